/* cmd_spec.c — `labkit spec FILE [-o OUT.cmake]`. */
#include <getopt.h>
#include <stdio.h>

#include "cmd.h"
#include "gen.h"
#include "spec.h"
#include "util.h"

static int usage(void)
{
	fprintf(stderr, "usage: labkit spec <labs.yaml> [-o <labs.cmake>]\n");
	return EXIT_USAGE;
}

int cmd_spec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	struct spec *spec;
	size_t steps = 0;
	int c, rc = EXIT_OK;

	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		if (c == 'o')
			out = optarg;
		else
			return usage();
	}
	if (optind != argc - 1)
		return usage();
	spec = spec_load(argv[optind]);
	if (!spec)
		return EXIT_USAGE;
	if (out && gen_cmake_file(spec, out) < 0)
		rc = EXIT_INTERNAL;
	for (size_t i = 0; i < spec->nexercises; i++)
		steps += spec->exercises[i].nsteps;
	if (rc == EXIT_OK && !out)
		printf("%s: ok: lab %s, %zu exercises, %zu steps\n", spec->file,
		       spec->lab_id, spec->nexercises, steps);
	spec_free(spec);
	return rc;
}
