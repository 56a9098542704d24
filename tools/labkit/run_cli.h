/* run_cli.h — the options of `labkit run` that say what a guest boots and
 * how, which `labkit shell` and `labkit gdb` take alike (without them,
 * the grading plan's): one table, one parse (run_cli.c). */
#ifndef LABKIT_RUN_CLI_H
#define LABKIT_RUN_CLI_H

#include "opt.h"
#include "reason.h"
#include "run.h"

struct run_cli {
	const char *accel;       /* --accel, as given */
	const char *given[3];    /* --no-guest, --no-build, --no-xref: codes */
	struct opt_list args[3]; /* their --<option>-arg lists */
	struct reason why[3];    /* what run_cli_finish() made of them */
};

#define RUN_CLI_INIT { .accel = "auto", \
	.why = { REASON_INIT, REASON_INIT, REASON_INIT } }

/* The options, into run_opts `o` and run_cli `c`; --module into the
 * opt_list `mods`. */
#define RUN_CLI_OPTIONS(o, c, mods) \
	OPTION("kernel-dir", 0, OPT_STRING, &(o).kernel_dir, "<dir>", "the guest kernel's image and release"), \
	OPTION("kernel-image", 0, OPT_STRING, &(o).kernel_image, "<file>", "the file in --kernel-dir to boot (default: the best there)"), \
	OPTION("module", 0, OPT_LIST, (mods), "<id>=<file.ko>", "a module labkit built, to decode an Oops in it (repeatable)"), \
	OPTION("rootfs-dir", 0, OPT_STRING, &(o).rootfs_dir, "<dir>", "initramfs.cpio, rootfs.ext4 and rootfs.yaml"), \
	OPTION("build-results", 0, OPT_STRING, &(o).build_results, "<results.yaml>", "the kernel build's results (build steps)"), \
	OPTION("no-guest", 0, OPT_STRING, &(c).given[0], "<reason>", "why no guest can boot (a reason's code): its steps are skipped with it"), \
	OPTION("no-guest-arg", 0, OPT_LIST, &(c).args[0], "<name>=<value>", "an argument of --no-guest's reason (repeatable)"), \
	OPTION("no-build", 0, OPT_STRING, &(c).given[1], "<reason>", "why build steps have no results (a reason's code)"), \
	OPTION("no-build-arg", 0, OPT_LIST, &(c).args[1], "<name>=<value>", "an argument of --no-build's reason (repeatable)"), \
	OPTION("xref-index", 0, OPT_STRING, &(o).xref_index, "<index>", "the cross-reference index (lxr steps)"), \
	OPTION("no-xref", 0, OPT_STRING, &(c).given[2], "<reason>", "why there is no index (a reason's code)"), \
	OPTION("no-xref-arg", 0, OPT_LIST, &(c).args[2], "<name>=<value>", "an argument of --no-xref's reason (repeatable)"), \
	OPTION("accel", 0, OPT_CHOICE, &(c).accel, "auto|kvm|tcg", "the guest accelerator (auto: probe KVM, else TCG)", .choices = vm_accel_names), \
	OPTION("accel-cache", 0, OPT_STRING, &(o).accel_cache, "<file>", "where `auto` keeps its verdict"), \
	OPTION("saved", 0, OPT_STRING, &(o).saved_dir, "<dir>", "where the guest saved once booted is: a guest that can starts from there instead of booting"), \
	OPTION("probe-timeout", 0, OPT_DOUBLE, &(o).probe_timeout, "<seconds>", "how long a KVM guest gets to reach login: (default 6)")

/* What `labkit shell` and `labkit gdb` take alike, besides the run's: the
 * spec (into `spec_path`), the tree, the steps to run first and the shared
 * directory (into struct workbench `w` and struct run_workbench `wb`). */
#define WORKBENCH_CLI_OPTIONS(spec_path, w, wb) \
	OPTION("spec", 's', OPT_STRING, &(spec_path), "<labs.yaml>", "the lab spec (default: labs.yaml)"), \
	OPTION("build-dir", 'B', OPT_STRING, &(w).build_dir, "<dir>", "the lab's built tree: its grading plan says what the exercise boots (default: build)"), \
	OPTION("after", 'a', OPT_STRING, &(wb).after, "<step>", "run the exercise's steps up to this one first"), \
	OPTION("share", 0, OPT_STRING, &(w).share, "<dir>", "the host directory the guest has on /mnt/share, read-write (default: <build-dir>/share)"), \
	OPTION("no-share", 0, OPT_FLAG, &(w).no_share, NULL, "share no directory")

/* The accelerator and the reasons into `o` (pointing into `c`).  0, or -1
 * with a message (an -arg without its option, a code labkit has not). */
int run_cli_finish(struct run_cli *c, struct run_opts *o);
void run_cli_free(struct run_cli *c);

/* A step of `spec` failed, as check's judge says (which the run stage
 * cannot call): run_workbench's `failed`, for --shell-on-failure and
 * --on-failure. */
bool run_cli_step_failed(void *spec, const struct spec_step *st,
			 const struct results *res);

#endif
