/* cmd_check.c — `labkit check --spec FILE --results FILE --step ID
 * [--format text|tap|junit] [-o FILE]`. */
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
		"                    [--format text|tap|junit] [-o <file>]\n"
		"  --format tap|junit  the verdict as TAP or JUnit XML (text: cmocka's,\n"
		"                      which CMOCKA_MESSAGE_OUTPUT=TAP|XML also changes)\n"
		"  -o, --output FILE   write the verdict to FILE instead of stdout\n");
	return EXIT_USAGE;
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "spec", required_argument, NULL, 's' },
		{ "results", required_argument, NULL, 'r' },
		{ "step", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *spec_path = NULL, *results_path = NULL, *step = NULL;
	const char *out = NULL;
	enum check_format fmt = CHECK_FORMAT_TEXT;
	struct results res;
	struct spec *spec;
	int c, rc, loaded;

	while ((c = getopt_long(argc, argv, "s:r:t:f:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 's': spec_path = optarg; break;
		case 'r': results_path = optarg; break;
		case 't': step = optarg; break;
		case 'f':
			if (check_format_parse(optarg, &fmt) < 0)
				return usage();
			break;
		case 'o': out = optarg; break;
		default: return usage();
		}
	}
	if (!spec_path || !results_path || !step || optind != argc)
		return usage();
	spec = spec_load(spec_path);
	if (!spec)
		return EXIT_USAGE;
	loaded = results_load(&res, results_path) == 0;
	rc = check_step_report(spec, loaded ? &res : NULL, step, fmt, out);
	results_free(&res);
	spec_free(spec);
	return rc;
}
