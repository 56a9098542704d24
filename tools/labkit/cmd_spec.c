/* cmd_spec.c — `labkit spec FILE [-o OUT.cmake] [--plan BUILD-DIR]`. */
#include <stdio.h>

#include "check.h"
#include "cmd.h"
#include "gen.h"
#include "opt.h"
#include "spec.h"
#include "util.h"

int cmd_spec(int argc, char **argv)
{
	const char *out = NULL, *plan = NULL;
	const struct opt opts[] = {
		OPTION("output", 'o', OPT_STRING, &out, "<labs.cmake>", "write the CMake the spec drives there"),
		OPTION("plan", 0, OPT_STRING, &plan, "<build-dir>", "write the build tree's grading plan (labkit/<lab>/grade-plan.yaml) from what its configure found (labkit/<lab>/configured.yaml)"),
		OPT_END,
	};
	const struct opt_cmd cmd = {
		"spec", "Validates a lab spec; with -o, writes the CMake it turns into; with --plan, a configured build tree's grading plan.",
		"<labs.yaml>", 1, 1, opts, NULL,
	};
	struct spec *spec;
	size_t steps = 0;
	int first, rc = EXIT_OK, parsed = opt_parse(&cmd, argc, argv, &first);

	if (parsed != OPT_OK)
		return opt_exit(parsed);
	spec = spec_load(argv[first]);
	if (!spec)
		return EXIT_USAGE;
	if (check_null_runs(spec) > 0)
		rc = EXIT_USAGE;
	else if (out && gen_cmake_file(spec, out) < 0)
		rc = EXIT_INTERNAL;
	else if (plan && gen_plan_file(spec, plan) < 0)
		rc = EXIT_INTERNAL;
	for (size_t i = 0; i < spec->nexercises; i++)
		steps += spec->exercises[i].nsteps;
	if (rc == EXIT_OK && !out && !plan)
		printf("%s: ok: lab %s, %zu exercises, %zu steps\n", spec->file,
		       spec->lab_id, spec->nexercises, steps);
	spec_free(spec);
	return rc;
}
