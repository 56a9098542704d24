/* cmd_grade.c — `labkit grade --spec FILE [options] SUBMISSION...`,
 * `labkit grade --spec FILE --merge SHARD... -o DIR` and
 * `labkit grade --spec FILE --summary -o DIR`; each with --format, the
 * platforms' files written from the table's results (labkit export). */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "export.h"
#include "grade.h"
#include "opt.h"
#include "spec.h"
#include "summary.h"
#include "util.h"

/* "i/n", 1 <= i <= n. */
static int parse_shard(const char *s, unsigned *i, unsigned *n)
{
	char tail;

	if (!s)
		return 0;
	if (sscanf(s, "%u/%u%c", i, n, &tail) != 2 || *n < 1 || *i < 1 ||
	    *i > *n)
		return error("--shard '%s': give <i>/<n>, 1 <= i <= n", s);
	return 0;
}

int cmd_grade(int argc, char **argv)
{
	struct grade_opts o = { .build_dir = "build", .out_dir = "grade",
				.lang = "pl" };
	struct opt_list exercises = { 0 }, merge = { 0 }, formats = { 0 };
	const char *spec_path = NULL, *shard = NULL, *id = NULL, *roster = NULL;
	bool summary = false;
	static const char *const langs[] = { "pl", "en", NULL };
	static const char *const ids[] = { "username", "idnumber", "email", NULL };
	struct export_opts eo;
	const struct opt opts[] = {
		OPTION("spec", 's', OPT_STRING, &spec_path, "<labs.yaml>", "the lab spec", .required = true),
		OPTION("build-dir", 'B', OPT_STRING, &o.build_dir, "<dir>", "the lab's configured and built tree (default: build)"),
		OPTION("out", 'o', OPT_STRING, &o.out_dir, "<dir>", "the grading: students/, summary.csv, summary.html (default: grade)"),
		OPTION("exercise", 'e', OPT_LIST, &exercises, "<id>", "grade this exercise (repeatable; default: every exercise with a module)"),
		OPTION("class", 'c', OPT_STRING, &o.class_dir, "<dir>", "every directory in <dir> is a submission"),
		OPTION("jobs", 'j', OPT_INT, &o.jobs, "<n>", "students at once (default: the number of cores)"),
		OPTION("shard", 0, OPT_STRING, &shard, "<i>/<n>", "grade share i of n of the submissions (every shard given the same ones)"),
		OPTION("retry", 0, OPT_FLAG, &o.retry, NULL, "grade again only the students of --out that could not be graded (the grader failed), or were never graded"),
		OPTION("unsandboxed", 0, OPT_FLAG, &o.unsandboxed, NULL, "build without a sandbox when none can be set up here (the summary says so)"),
		OPTION("lang", 0, OPT_CHOICE, &o.lang, "pl|en", "the students' reports' language (default: pl)", .choices = langs),
		OPTION("merge", 0, OPT_LIST, &merge, "<shard dir>", "combine the gradings of shards into --out (repeatable)"),
		OPTION("summary", 0, OPT_FLAG, &summary, NULL, "write the class table again from --out's saved results, against the spec as it is now"),
		OPTION("format", 'f', OPT_LIST, &formats, "<format>", "also write the files of gradescope, prairielearn, classroom or moodle\n"
		  "                                 (repeatable, or a,b; as labkit export does)"),
		OPTION("id-column", 0, OPT_CHOICE, &id, "email|idnumber|username", "moodle: the user field a row is matched by (default: username)", .choices = ids),
		OPTION("roster", 0, OPT_STRING, &roster, "<file.csv>", "moodle: a CSV naming each student's id (columns student and the --id-column)"),
		OPT_END,
	};
	const struct opt_cmd cmd = {
		"grade", "Grades a class: each submission's modules built in a sandbox, the lab's exercises run with them, one table.",
		"[<submission dir>...]", 0, -1, opts,
		"A submission is a directory: a module's sources with its Kbuild or Makefile\n"
		"(or, for an exercise of several modules, a directory per module); its name\n"
		"names the student.  The lab is configured and built in --build-dir first\n"
		"(its kernels and root file systems are shared by every student).  Writes\n"
		"<out>/students/<name>/ (results, junit.xml, report) and <out>/summary.csv\n"
		"and summary.html; with --format, the platforms' files too (labkit export).\n"
		"Exit status: 0 every student passed every step, 1 not, 2 bad input, 3 a\n"
		"student could not be graded (the grader failed, not the student: --retry),\n"
		"128 grading failed or was interrupted.\n",
	};
	struct spec *spec = NULL;
	int first, rc, parsed = opt_parse(&cmd, argc, argv, &first);

	if (parsed != OPT_OK)
		return opt_exit(parsed);
	rc = EXIT_USAGE;
	if (parse_shard(shard, &o.shard, &o.nshards) < 0 ||
	    cmd_export_options(&formats, id, roster, o.lang, &eo) < 0 ||
	    !(spec = spec_load(spec_path)))
		goto out;
	o.exercises = exercises.v;
	o.nexercises = exercises.n;
	o.submissions = (const char *const *)argv + first;
	o.nsubmissions = (size_t)(argc - first);
	if (merge.n)
		rc = summary_merge(o.out_dir, merge.v, merge.n, spec);
	else if (summary)
		rc = grade_summary(spec, o.out_dir);
	else
		rc = grade_class(spec, &o);
	if (eo.formats && (rc == EXIT_OK || rc == EXIT_CHECK_FAILED ||
			   rc == EXIT_NOT_GRADED)) {
		int erc = export_grading(spec, o.out_dir, &eo);

		rc = erc == EXIT_OK ? rc : erc;
	}
out:
	spec_free(spec);
	free(exercises.v);
	free(merge.v);
	free(formats.v);
	return rc;
}
