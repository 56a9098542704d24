/* cmd_run.c — `labkit run --spec FILE --exercise ID --out DIR ...`. */
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "cmd.h"
#include "opt.h"
#include "run.h"
#include "run_cli.h"
#include "spec.h"
#include "util.h"

int cmd_run(int argc, char **argv)
{
	struct run_opts o = { .accel = VM_ACCEL_AUTO, .probe_timeout = 6 };
	struct run_cli c = RUN_CLI_INIT;
	struct opt_list modules = { 0 };
	const char *spec_path = NULL;
	bool on_failure = false;
	struct run_workbench wb = { .tool = RUN_TOOL_SHELL, .failed = run_cli_step_failed,
				    .in = STDIN_FILENO, .out = STDOUT_FILENO };
	const struct opt opts[] = {
		OPTION("spec", 's', OPT_STRING, &spec_path, "<labs.yaml>", "the lab spec", .required = true),
		OPTION("exercise", 'e', OPT_STRING, &o.exercise, "<id>", "the exercise to run", .required = true),
		OPTION("out", 'o', OPT_STRING, &o.out_dir, "<dir>", "where transcript.log and results.yaml go", .required = true),
		RUN_CLI_OPTIONS(o, c, &modules),
		OPTION("save", 0, OPT_FLAG, &o.save, NULL, "boot the guest and save it into --saved, run no step"),
		OPTION("reuse", 0, OPT_FLAG, &o.reuse, NULL, "keep the results of an earlier run from the same inputs (kernel, root file system, modules, spec, labkit) that did its job"),
		OPTION("shell-on-failure", 0, OPT_FLAG, &on_failure, NULL, "when a step fails, a shell in the guest where it failed (labkit shell's keys); the later steps are not run"),
		OPT_END,
	};
	const struct opt_cmd cmd = {
		"run", "Boots an exercise's guest once and runs its steps.",
		NULL, 0, 0, opts, NULL,
	};
	struct spec *spec;
	int rc = cmd_begin(&cmd, argc, argv, &spec_path, &spec);

	if (rc >= 0)
		return rc;
	o.modules = modules.v;
	o.nmodules = modules.n;
	wb.failed_ctx = spec;
	if (on_failure && !isatty(STDIN_FILENO))  /* ctest, CI: no one to type */
		warning("--shell-on-failure: standard input is not a terminal: "
			"no shell");
	else if (on_failure)
		o.wb = &wb;
	rc = run_cli_finish(&c, &o) < 0 ? EXIT_USAGE : run_exercise(spec, &o);
	run_cli_free(&c);
	free(modules.v);
	spec_free(spec);
	return rc;
}
