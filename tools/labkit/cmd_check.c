/* cmd_check.c — `labkit check --spec FILE --results FILE --step ID`. */
#include <getopt.h>
#include <stdio.h>

#include "check.h"
#include "cmd.h"
#include "results.h"
#include "spec.h"
#include "util.h"

static int usage(void)
{
	fprintf(stderr,
		"usage: labkit check --spec <labs.yaml> --results <results.yaml> --step <id>\n"
		"  set CMOCKA_MESSAGE_OUTPUT=TAP or XML for TAP or xUnit output\n");
	return EXIT_USAGE;
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "spec", required_argument, NULL, 's' },
		{ "results", required_argument, NULL, 'r' },
		{ "step", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *spec_path = NULL, *results_path = NULL, *step = NULL;
	struct results res;
	struct spec *spec;
	int c, rc;

	while ((c = getopt_long(argc, argv, "s:r:t:h", opts, NULL)) != -1) {
		switch (c) {
		case 's': spec_path = optarg; break;
		case 'r': results_path = optarg; break;
		case 't': step = optarg; break;
		default: return usage();
		}
	}
	if (!spec_path || !results_path || !step || optind != argc)
		return usage();
	spec = spec_load(spec_path);
	if (!spec)
		return EXIT_USAGE;
	if (results_load(&res, results_path) < 0) {
		fprintf(stderr, "step %s: no results: run the exercise first\n", step);
		spec_free(spec);
		results_free(&res);
		return EXIT_CHECK_FAILED;
	}
	rc = check_step(spec, &res, step);
	results_free(&res);
	spec_free(spec);
	return rc;
}
