/* cmd_report.c — `labkit report --spec FILE --results DIR [-o DIR]
 * [--lang pl|en] [--lab ID]`. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "report.h"
#include "spec.h"
#include "util.h"

static int usage(void)
{
	fprintf(stderr,
		"usage: labkit report --spec <labs.yaml> --results <dir> [-o <dir>]\n"
		"                     [--lang pl|en] [--lab <id>] [--exit-zero]\n"
		"  --results  the lab's results: <dir>/<exercise>/results.yaml (build/lab2)\n"
		"  -o         where report.md, report.html, time.svg and out/ go\n"
		"             (default: the results directory)\n"
		"  --lang     the report's first language (default pl); the other follows\n"
		"  --lab      the lab to report on; must be the spec's lab\n"
		"  --exit-zero  exit 0 when steps failed too (the report says so);\n"
		"             still 2 on bad input and 128 when it cannot be written\n"
		"exit status: 0 all passed, 1 a step or run failed (the report is\n"
		"written), 2 bad input (nothing is written)\n");
	return EXIT_USAGE;
}

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "spec", required_argument, NULL, 's' },
		{ "results", required_argument, NULL, 'r' },
		{ "output", required_argument, NULL, 'o' },
		{ "lang", required_argument, NULL, 'L' },
		{ "lab", required_argument, NULL, 'l' },
		{ "exit-zero", no_argument, NULL, 'z' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct report_opts o = { NULL, NULL, "pl" };
	const char *spec_path = NULL, *lab = NULL;
	int exit_zero = 0;
	struct spec *spec;
	int c, rc;

	while ((c = getopt_long(argc, argv, "s:r:o:L:l:h", opts, NULL)) != -1) {
		switch (c) {
		case 's': spec_path = optarg; break;
		case 'r': o.results_dir = optarg; break;
		case 'o': o.out_dir = optarg; break;
		case 'L': o.lang = optarg; break;
		case 'l': lab = optarg; break;
		case 'z': exit_zero = 1; break;
		default: return usage();
		}
	}
	if (!spec_path || !o.results_dir || optind != argc)
		return usage();
	if (strcmp(o.lang, "pl") && strcmp(o.lang, "en")) {
		error("unknown language '%s' (pl or en)", o.lang);
		return usage();
	}
	spec = spec_load(spec_path);
	if (!spec)
		return EXIT_USAGE;
	if (lab && strcmp(lab, spec->lab_id)) {
		error("no lab '%s' in '%s' (it describes '%s')", lab, spec_path,
		      spec->lab_id);
		spec_free(spec);
		return EXIT_USAGE;
	}
	rc = report_write(spec, &o);
	spec_free(spec);
	return exit_zero && rc == EXIT_CHECK_FAILED ? EXIT_OK : rc;
}
