/* cmd_check.c — `labkit check --spec FILE --results FILE --step ID
 * [--format text|tap|junit] [-o FILE] [--as-student]`. */
#include "check.h"
#include "cmd.h"
#include "opt.h"
#include "results.h"
#include "spec.h"
#include "util.h"

int cmd_check(int argc, char **argv)
{
	static const char *const formats[] = { "text", "tap", "junit", NULL };
	const char *spec_path = NULL, *results_path = NULL, *step = NULL;
	const char *out = NULL, *format = "text";
	bool as_student = false;
	const struct opt opts[] = {
		OPTION("spec", 's', OPT_STRING, &spec_path, "<labs.yaml>", "the lab spec", .required = true),
		OPTION("results", 'r', OPT_STRING, &results_path, "<results.yaml>", "the exercise's saved results", .required = true),
		OPTION("step", 't', OPT_STRING, &step, "<id>", "the step to check", .required = true),
		OPTION("format", 'f', OPT_CHOICE, &format, "text|tap|junit", "the verdict as cmocka's text, TAP or JUnit XML (text follows\n"
		  "                                 CMOCKA_MESSAGE_OUTPUT=TAP|XML)", .choices = formats),
		OPTION("output", 'o', OPT_STRING, &out, "<file>", "write the verdict to the file instead of stdout"),
		OPTION("as-student", 0, OPT_FLAG, &as_student, NULL, "only what a student may see now: a step not visible is a skip,\n"
		  "                                 a failed one says its feedback; no console lines"),
		OPT_END,
	};
	const struct opt_cmd cmd = {
		"check", "Checks a step's saved result against its expectations.",
		NULL, 0, 0, opts,
		"exit status: 0 passed, 1 failed, 77 skipped, 2 bad input\n",
	};
	enum check_format fmt = CHECK_FORMAT_TEXT;
	struct results res;
	struct spec *spec;
	int loaded, rc = cmd_begin(&cmd, argc, argv, &spec_path, &spec);

	if (rc >= 0)
		return rc;
	check_format_parse(format, &fmt);  /* one of `formats` */
	loaded = results_load(&res, results_path) == 0;
	rc = check_step_report(spec, loaded ? &res : NULL, step, fmt, out,
			       as_student);
	results_free(&res);
	spec_free(spec);
	return rc;
}
