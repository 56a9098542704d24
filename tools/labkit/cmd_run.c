/* cmd_run.c — `labkit run --spec FILE --exercise ID --out DIR ...`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "run.h"
#include "spec.h"
#include "util.h"

static int usage(void)
{
	fprintf(stderr,
		"usage: labkit run --spec <labs.yaml> --exercise <id> --out <dir>\n"
		"                  [--kernel-dir <dir> [--kernel-image <file>]]\n"
		"                  [--rootfs-dir <dir>] [--build-results <results.yaml>]\n"
		"                  [--no-guest <reason>] [--no-build <reason>]\n"
		"                  [--xref-index <index> | --no-xref <reason>]\n"
		"                  [--accel auto|kvm|tcg] [--accel-cache <file>]\n"
		"                  [--probe-timeout <seconds>]\n");
	return EXIT_USAGE;
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "spec", required_argument, NULL, 's' },
		{ "exercise", required_argument, NULL, 'e' },
		{ "out", required_argument, NULL, 'o' },
		{ "kernel-dir", required_argument, NULL, 'k' },
		{ "kernel-image", required_argument, NULL, 'i' },
		{ "rootfs-dir", required_argument, NULL, 'r' },
		{ "build-results", required_argument, NULL, 'b' },
		{ "no-guest", required_argument, NULL, 'G' },
		{ "no-build", required_argument, NULL, 'B' },
		{ "xref-index", required_argument, NULL, 'x' },
		{ "no-xref", required_argument, NULL, 'X' },
		{ "accel", required_argument, NULL, 'a' },
		{ "accel-cache", required_argument, NULL, 'c' },
		{ "probe-timeout", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct run_opts o = { .accel = "auto", .probe_timeout = 6 };
	const char *spec_path = NULL;
	struct spec *spec;
	int c, rc;

	while ((c = getopt_long(argc, argv, "s:e:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 's': spec_path = optarg; break;
		case 'e': o.exercise = optarg; break;
		case 'o': o.out_dir = optarg; break;
		case 'k': o.kernel_dir = optarg; break;
		case 'i': o.kernel_image = optarg; break;
		case 'r': o.rootfs_dir = optarg; break;
		case 'b': o.build_results = optarg; break;
		case 'G': o.no_guest = optarg; break;
		case 'B': o.no_build = optarg; break;
		case 'x': o.xref_index = optarg; break;
		case 'X': o.no_xref = optarg; break;
		case 'a': o.accel = optarg; break;
		case 'c': o.accel_cache = optarg; break;
		case 'p': o.probe_timeout = atof(optarg); break;
		default: return usage();
		}
	}
	if (!spec_path || !o.exercise || !o.out_dir || optind != argc)
		return usage();
	if (strcmp(o.accel, "auto") && strcmp(o.accel, "kvm") &&
	    strcmp(o.accel, "tcg")) {
		error("unknown accelerator '%s' (auto, kvm or tcg)", o.accel);
		return EXIT_USAGE;
	}
	spec = spec_load(spec_path);
	if (!spec)
		return EXIT_USAGE;
	rc = run_exercise(spec, &o);
	spec_free(spec);
	return rc;
}
