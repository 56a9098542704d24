/* cmd_build.c — `labkit build --spec FILE --exercise ID --src DIR --obj DIR --out FILE`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmd.h"
#include "kbuild.h"
#include "spec.h"
#include "util.h"

static int usage(void)
{
	fprintf(stderr,
		"usage: labkit build --spec <labs.yaml> --exercise <id> --src <tree>\n"
		"                    --obj <build dir> --out <results.yaml>\n"
		"                    [--fresh [--config <target>]] [--jobs <n>]\n"
		"                    [--no-ccache] [--distcc] [--quiet]\n"
		"  --distcc sends compiles to distcc's DISTCC_HOSTS (behind ccache)\n");
	return EXIT_USAGE;
}

int cmd_build(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "spec", required_argument, NULL, 's' },
		{ "exercise", required_argument, NULL, 'e' },
		{ "src", required_argument, NULL, 'S' },
		{ "obj", required_argument, NULL, 'O' },
		{ "out", required_argument, NULL, 'o' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "no-ccache", no_argument, NULL, 'C' },
		{ "distcc", no_argument, NULL, 'D' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "fresh", no_argument, NULL, 'f' },
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kbuild_opts o = { .jobs = (int)sysconf(_SC_NPROCESSORS_ONLN),
				 .ccache = true };
	const char *spec_path = NULL;
	struct spec *spec;
	int c, rc;

	while ((c = getopt_long(argc, argv, "s:e:o:j:qh", opts, NULL)) != -1) {
		switch (c) {
		case 's': spec_path = optarg; break;
		case 'e': o.exercise = optarg; break;
		case 'S': o.src = optarg; break;
		case 'O': o.obj = optarg; break;
		case 'o': o.out = optarg; break;
		case 'j': o.jobs = atoi(optarg); break;
		case 'C': o.ccache = false; break;
		case 'D': o.distcc = true; break;
		case 'q': o.quiet = true; break;
		case 'f': o.fresh = true; break;
		case 'c': o.config = optarg; break;
		default: return usage();
		}
	}
	if (!spec_path || !o.exercise || !o.src || !o.obj || !o.out ||
	    optind != argc)
		return usage();
	spec = spec_load(spec_path);
	if (!spec)
		return EXIT_USAGE;
	rc = kbuild_run(spec, &o);
	spec_free(spec);
	return rc;
}
