/* cmd_shell.c — `labkit shell [options] <exercise>`: a shell in the
 * exercise's guest, booted as its run boots it. */
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "cmd.h"
#include "opt.h"
#include "run.h"
#include "run_cli.h"
#include "spec.h"
#include "util.h"
#include "workbench.h"

int cmd_shell(int argc, char **argv)
{
	struct run_opts o = { .accel = VM_ACCEL_AUTO, .probe_timeout = 6 };
	struct run_cli c = RUN_CLI_INIT;
	struct run_workbench wb = { .tool = RUN_TOOL_SHELL,
				    .in = STDIN_FILENO, .out = STDOUT_FILENO };
	struct workbench w = { .build_dir = "build" };
	const char *spec_path = "labs.yaml";
	bool on_failure = false;
	const struct opt opts[] = {
		WORKBENCH_CLI_OPTIONS(spec_path, w, wb),
		OPTION("on-failure", 0, OPT_FLAG, &on_failure, NULL, "run the exercise's steps, the shell after the first that fails (none: no shell)"),
		OPTION("no-kernel", 0, OPT_FLAG, &wb.kernel_hidden, NULL, "hide the kernel's messages at first (Ctrl-] k shows them)"),
		OPTION("out", 'o', OPT_STRING, &o.out_dir, "<dir>", "transcript.log, kernel.log, guest.pid (default: <build-dir>/labkit/<lab>/shell/<exercise>)"),
		RUN_CLI_OPTIONS(o, c, &w.modules),
		OPT_END,
	};
	const struct opt_cmd cmd = {
		"shell", "Boots an exercise's guest as its run does and gives you its shell.",
		"<exercise>", 1, 1, opts,
		"The same kernel, root file system (the exercise's modules, programs and\n"
		"files) and kernel arguments as `labkit run`; the kernel's messages are\n"
		"shown beside the shell.  Ctrl-] q leaves (the guest is stopped), and so\n"
		"does `poweroff` in the guest; Ctrl-] k hides or shows the kernel's\n"
		"messages; Ctrl-C goes to the guest's program.  Nothing is left running.\n"
		"Exit status: 0 left or powered off, 1 the guest failed (a panic, a\n"
		"failed boot), the terminal closed or labkit was interrupted, 2 bad\n"
		"options.\n",
	};
	struct spec *spec = NULL;
	int first, rc = EXIT_USAGE, parsed = opt_parse(&cmd, argc, argv, &first);

	if (parsed != OPT_OK)
		return opt_exit(parsed);
	o.exercise = argv[first];
	spec = spec_load(spec_path);
	if (on_failure && !wb.after) {
		wb.failed = run_cli_step_failed;
		wb.failed_ctx = spec;
	}
	if (spec && run_cli_finish(&c, &o) == 0 &&
	    workbench_setup(&w, spec, "shell", &o, &wb) == 0)
		rc = run_exercise(spec, &o);
	run_cli_free(&c);
	workbench_free(&w);
	spec_free(spec);
	return rc;
}
