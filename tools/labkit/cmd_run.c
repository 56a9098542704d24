/* cmd_run.c — `labkit run --spec FILE --exercise ID --out DIR ...`. */
#include <stdlib.h>

#include "cmd.h"
#include "opt.h"
#include "run.h"
#include "spec.h"
#include "util.h"

/* --no-guest, --no-build and --no-xref with their arguments, as reasons
 * of the catalog.  0, or -1 with a message. */
static int reasons(const char *const *given, const struct opt_list *args,
		   struct reason *why, struct run_opts *o)
{
	static const char *const names[] = { "no-guest", "no-build", "no-xref" };
	const struct reason **to[] = { &o->no_guest, &o->no_build, &o->no_xref };

	for (int i = 0; i < 3; i++) {
		if (!given[i] && args[i].n)
			return error("--%s-arg without --%s", names[i], names[i]);
		if (!given[i])
			continue;
		if (reason_from_option(&why[i], given[i], args[i].v, args[i].n) < 0)
			return error("--%s: no reason of labkit's", names[i]);
		*to[i] = &why[i];
	}
	return 0;
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o = { .accel = VM_ACCEL_AUTO, .probe_timeout = 6 };
	struct opt_list modules = { 0 }, args[3] = { { 0 } };
	const char *spec_path = NULL, *accel = "auto", *given[3] = { NULL };
	struct reason why[3] = { REASON_INIT, REASON_INIT, REASON_INIT };
	const struct opt opts[] = {
		OPTION("spec", 's', OPT_STRING, &spec_path, "<labs.yaml>", "the lab spec", .required = true),
		OPTION("exercise", 'e', OPT_STRING, &o.exercise, "<id>", "the exercise to run", .required = true),
		OPTION("out", 'o', OPT_STRING, &o.out_dir, "<dir>", "where transcript.log and results.yaml go", .required = true),
		OPTION("kernel-dir", 0, OPT_STRING, &o.kernel_dir, "<dir>", "the guest kernel's image and release"),
		OPTION("kernel-image", 0, OPT_STRING, &o.kernel_image, "<file>", "the file in --kernel-dir to boot (default: the best there)"),
		OPTION("module", 0, OPT_LIST, &modules, "<id>=<file.ko>", "a module labkit built, to decode an Oops in it (repeatable)"),
		OPTION("rootfs-dir", 0, OPT_STRING, &o.rootfs_dir, "<dir>", "initramfs.cpio, rootfs.ext4 and rootfs.yaml"),
		OPTION("build-results", 0, OPT_STRING, &o.build_results, "<results.yaml>", "the kernel build's results (build steps)"),
		OPTION("no-guest", 0, OPT_STRING, &given[0], "<reason>", "why no guest can boot (a reason's code): its steps are skipped with it"),
		OPTION("no-guest-arg", 0, OPT_LIST, &args[0], "<name>=<value>", "an argument of --no-guest's reason (repeatable)"),
		OPTION("no-build", 0, OPT_STRING, &given[1], "<reason>", "why build steps have no results (a reason's code)"),
		OPTION("no-build-arg", 0, OPT_LIST, &args[1], "<name>=<value>", "an argument of --no-build's reason (repeatable)"),
		OPTION("xref-index", 0, OPT_STRING, &o.xref_index, "<index>", "the cross-reference index (lxr steps)"),
		OPTION("no-xref", 0, OPT_STRING, &given[2], "<reason>", "why there is no index (a reason's code)"),
		OPTION("no-xref-arg", 0, OPT_LIST, &args[2], "<name>=<value>", "an argument of --no-xref's reason (repeatable)"),
		OPTION("accel", 0, OPT_CHOICE, &accel, "auto|kvm|tcg", "the guest accelerator (auto: probe KVM, else TCG)", .choices = vm_accel_names),
		OPTION("accel-cache", 0, OPT_STRING, &o.accel_cache, "<file>", "where `auto` keeps its verdict"),
		OPTION("saved", 0, OPT_STRING, &o.saved_dir, "<dir>", "where the guest saved once booted is: a guest that can starts from there instead of booting"),
		OPTION("save", 0, OPT_FLAG, &o.save, NULL, "boot the guest and save it into --saved, run no step"),
		OPTION("reuse", 0, OPT_FLAG, &o.reuse, NULL, "keep the results of an earlier run from the same inputs (kernel, root file system, modules, spec, labkit) that did its job"),
		OPTION("probe-timeout", 0, OPT_DOUBLE, &o.probe_timeout, "<seconds>", "how long a KVM guest gets to reach login: (default 6)"),
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
	vm_accel_parse(accel, &o.accel);   /* one of its choices */
	o.modules = modules.v;
	o.nmodules = modules.n;
	rc = reasons(given, args, why, &o) < 0 ? EXIT_USAGE :
	     run_exercise(spec, &o);
	for (int i = 0; i < 3; i++) {
		reason_free(&why[i]);
		free(args[i].v);
	}
	free(modules.v);
	spec_free(spec);
	return rc;
}
