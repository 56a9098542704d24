/* cmd_export.c — `labkit export --spec FILE [--out GRADING] --format F...
 * [--lang pl|en] [--id-column email|idnumber|username] [--roster CSV]`,
 * and `labkit export --spec FILE --results DIR --format F...` for one
 * run; and the options labkit grade shares (cmd_export_options()). */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "export.h"
#include "opt.h"
#include "spec.h"
#include "util.h"

int cmd_export_options(const struct opt_list *formats, const char *id,
		       const char *roster, const char *lang,
		       struct export_opts *eo)
{
	memset(eo, 0, sizeof(*eo));
	eo->lang = lang;
	eo->roster = roster;
	for (size_t i = 0; i < formats->n; i++) {
		char *list = xstrdup(formats->v[i]), *save = NULL;

		for (char *f = strtok_r(list, ",", &save); f;
		     f = strtok_r(NULL, ",", &save))
			if (export_format_parse(f, &eo->formats) < 0) {
				free(list);
				return -1;
			}
		free(list);
	}
	if (id && export_id_parse(id, &eo->id) < 0)
		return -1;
	if (eo->id == EXPORT_ID_EMAIL && !roster &&
	    (eo->formats & (1u << EXPORT_MOODLE)))
		return error("--id-column email needs --roster FILE (columns student,email): a submission's name cannot be an e-mail address");
	return 0;
}

int cmd_export(int argc, char **argv)
{
	static const char *const langs[] = { "pl", "en", NULL };
	static const char *const ids[] = { "username", "idnumber", "email", NULL };
	const char *spec_path = NULL, *out = NULL, *results = NULL;
	const char *lang = "pl", *id = NULL, *roster = NULL, *student = "student";
	struct opt_list formats = { 0 };
	const struct opt opts[] = {
		OPTION("spec", 's', OPT_STRING, &spec_path, "<labs.yaml>", "the lab spec", .required = true),
		OPTION("out", 'o', OPT_STRING, &out, "<dir>", "the grading to export (default: grade); with --results, where the files go"),
		OPTION("format", 'f', OPT_LIST, &formats, "<format>", "gradescope, prairielearn, classroom or moodle (repeatable, or a,b)", .required = true),
		OPTION("lang", 0, OPT_CHOICE, &lang, "pl|en", "what the students read (default: pl)", .choices = langs),
		OPTION("id-column", 0, OPT_CHOICE, &id, "email|idnumber|username", "moodle: the user field a row is matched by (default: username)", .choices = ids),
		OPTION("roster", 0, OPT_STRING, &roster, "<file.csv>", "moodle: a CSV naming each student's id (columns student and the --id-column)"),
		OPTION("results", 'r', OPT_STRING, &results, "<dir>", "export one run of the lab instead (<dir>/<exercise>/results.yaml)"),
		OPTION("student", 0, OPT_STRING, &student, "<name>", "with --results: the student it is (default: student)"),
		OPT_END,
	};
	const struct opt_cmd cmd = {
		"export", "Writes a graded class in the forms Gradescope, PrairieLearn, GitHub Classroom and Moodle read.",
		NULL, 0, 0, opts,
		"From a grading's saved results (labkit grade's --out), judged as summary.csv is\n"
		"(no guest runs): <out>/students/<name>/gradescope/results.json,\n"
		"<name>/prairielearn/results.json, <name>/classroom/env and runners, and\n"
		"<out>/moodle.csv.  With --results, one run's files into <out>/<format>/.\n"
		"Exit status: 0 written, 2 bad input (nothing written), 128 a file not written.\n",
	};
	struct export_opts eo;
	struct spec *spec;
	int rc = cmd_begin(&cmd, argc, argv, &spec_path, &spec);

	if (rc >= 0) {
		free(formats.v);
		return rc;
	}
	rc = EXIT_USAGE;
	if (cmd_export_options(&formats, id, roster, lang, &eo) == 0)
		rc = results ? export_run(spec, results, student,
					  out ? out : results, &eo) :
			       export_grading(spec, out ? out : "grade", &eo);
	spec_free(spec);
	free(formats.v);
	return rc;
}
