/* cmd_run.c — `labkit run --spec FILE --exercise ID --out DIR ...`. */
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "cmd.h"
#include "opt.h"
#include "run.h"
#include "spec.h"
#include "util.h"

/* --shell-on-failure: check's judge, which the run stage cannot call. */
static bool step_failed(void *spec, const struct spec_step *st,
			const struct results *res)
{
	return check_failed(spec, st, res);
}

int cmd_run(int argc, char **argv)
{
	static const char *const accels[] = { "auto", "kvm", "tcg", NULL };
	struct run_opts o = { .accel = "auto", .probe_timeout = 6 };
	struct opt_list modules = { 0 };
	const char *spec_path = NULL;
	bool on_failure = false;
	struct run_workbench wb = { .tool = RUN_TOOL_SHELL, .failed = step_failed,
				    .in = STDIN_FILENO, .out = STDOUT_FILENO };
	const struct opt opts[] = {
		OPTION("spec", 's', OPT_STRING, &spec_path, "<labs.yaml>", "the lab spec", .required = true),
		OPTION("exercise", 'e', OPT_STRING, &o.exercise, "<id>", "the exercise to run", .required = true),
		OPTION("out", 'o', OPT_STRING, &o.out_dir, "<dir>", "where transcript.log and results.yaml go", .required = true),
		OPTION("kernel-dir", 0, OPT_STRING, &o.kernel_dir, "<dir>", "the guest kernel's image and release"),
		OPTION("kernel-image", 0, OPT_STRING, &o.kernel_image, "<file>", "the file in --kernel-dir to boot (default: the best there)"),
		OPTION("module", 0, OPT_LIST, &modules, "<id>=<file.ko>", "a module labkit built, to decode an Oops in it (repeatable)"),
		OPTION("rootfs-dir", 0, OPT_STRING, &o.rootfs_dir, "<dir>", "initramfs.cpio, rootfs.ext4 and rootfs.yaml"),
		OPTION("build-results", 0, OPT_STRING, &o.build_results, "<results.yaml>", "the kernel build's results (build steps)"),
		OPTION("no-guest", 0, OPT_STRING, &o.no_guest, "<reason>", "why no guest can boot: its steps are skipped with it"),
		OPTION("no-build", 0, OPT_STRING, &o.no_build, "<reason>", "why build steps have no results"),
		OPTION("xref-index", 0, OPT_STRING, &o.xref_index, "<index>", "the cross-reference index (lxr steps)"),
		OPTION("no-xref", 0, OPT_STRING, &o.no_xref, "<reason>", "why there is no index"),
		OPTION("accel", 0, OPT_CHOICE, &o.accel, "auto|kvm|tcg", "the guest accelerator (auto: probe KVM, else TCG)", .choices = accels),
		OPTION("accel-cache", 0, OPT_STRING, &o.accel_cache, "<file>", "where `auto` keeps its verdict"),
		OPTION("reuse", 0, OPT_FLAG, &o.reuse, NULL, "keep the results of an earlier run from the same inputs (kernel, root file system, modules, spec, labkit) that did its job"),
		OPTION("probe-timeout", 0, OPT_DOUBLE, &o.probe_timeout, "<seconds>", "how long a KVM guest gets to reach login: (default 6)"),
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
	rc = run_exercise(spec, &o);
	free(modules.v);
	spec_free(spec);
	return rc;
}
