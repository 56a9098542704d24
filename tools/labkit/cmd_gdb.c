/* cmd_gdb.c — `labkit gdb [options] <exercise>`: gdb on the kernel of
 * the exercise's guest, booted as its run boots it. */
#include <stdlib.h>
#include <unistd.h>

#include "cmd.h"
#include "opt.h"
#include "run.h"
#include "run_cli.h"
#include "spec.h"
#include "util.h"
#include "workbench.h"

int cmd_gdb(int argc, char **argv)
{
	struct run_opts o = { .accel = VM_ACCEL_AUTO, .probe_timeout = 6 };
	struct run_cli c = RUN_CLI_INIT;
	struct run_workbench wb = { .tool = RUN_TOOL_GDB,
				    .in = STDIN_FILENO, .out = STDOUT_FILENO };
	struct workbench w = { .build_dir = "build" };
	struct opt_list scripts = { 0 };
	const char *spec_path = "labs.yaml";
	const struct opt opts[] = {
		WORKBENCH_CLI_OPTIONS(spec_path, w, wb),
		OPTION("script", 'x', OPT_LIST, &scripts, "<file>", "gdb commands to run, after labkit's (gdb -x; repeatable)"),
		OPTION("batch", 0, OPT_FLAG, &wb.batch, NULL, "gdb --batch: run the scripts, then end (no ~/.gdbinit)"),
		OPTION("symbols", 0, OPT_STRING, &wb.kernel_symbols, "<vmlinux>", "the kernel with its symbols (default: the build's vmlinux, or /usr/lib/debug/boot/vmlinux-<release>)"),
		OPTION("no-kernel", 0, OPT_FLAG, &wb.kernel_hidden, NULL, "do not show the kernel's messages"),
		OPTION("out", 'o', OPT_STRING, &o.out_dir, "<dir>", "gdbinit, transcript.log, kernel.log, guest.pid (default: <build-dir>/labkit/<lab>/gdb/<exercise>)"),
		RUN_CLI_OPTIONS(o, c, &w.modules),
		OPT_END,
	};
	const struct opt_cmd cmd = {
		"gdb", "Boots an exercise's guest with a gdb stub and runs gdb on its kernel.",
		"<exercise>", 1, 1, opts,
		"The guest boots as `labkit run` boots it (with nokaslr), logs in, runs the\n"
		"steps up to --after; then gdb attaches with the kernel's symbols (where it\n"
		"has any) and the exercise's modules' where the guest put them: those loaded\n"
		"already, and each loaded later, before its init function runs, so\n"
		"`break <module>_init` then `guest insmod ...` stops there.  In gdb,\n"
		"`guest <command>` types a command on the guest's shell and continues it;\n"
		"the guest's shell and kernel show on the terminal.  Quitting gdb stops the\n"
		"guest.  Exit status: gdb's; 1 when the guest failed first.\n",
	};
	struct spec *spec = NULL;
	int first, rc = EXIT_USAGE, parsed = opt_parse(&cmd, argc, argv, &first);

	if (parsed != OPT_OK)
		return opt_exit(parsed);
	o.exercise = argv[first];
	wb.scripts = scripts.v;
	wb.nscripts = scripts.n;
	spec = spec_load(spec_path);
	if (spec && run_cli_finish(&c, &o) == 0 &&
	    workbench_setup(&w, spec, "gdb", &o, &wb) == 0)
		rc = run_exercise(spec, &o);
	run_cli_free(&c);
	workbench_free(&w);
	free(scripts.v);
	spec_free(spec);
	return rc;
}
