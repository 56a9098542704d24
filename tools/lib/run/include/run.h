/* run.h — run one exercise: boot its guest once, run its steps. */
#ifndef LABKIT_RUN_H
#define LABKIT_RUN_H

#include <stdbool.h>

#include "expand.h"
#include "reason.h"
#include "spec.h"
#include "vm.h"

struct results;

/* What a person does with the guest: a shell on its line, or gdb on its
 * kernel (labkit shell, labkit gdb). */
enum run_tool { RUN_TOOL_SHELL, RUN_TOOL_GDB };

/*
 * A run that hands its guest to a person (labkit shell, labkit gdb,
 * labkit run --shell-on-failure): after the login, or after a step, the
 * person's terminal is joined to the guest (bridge.c) until they leave;
 * the steps after that are not run.
 */
struct run_workbench {
	enum run_tool tool;
	const char *after;       /* the step after which; NULL: after the
				    login, unless `failed` is given */
	/* labkit run --shell-on-failure: after the first step this says
	 * failed (check_judge(), above this stage); NULL: not so. */
	bool (*failed)(void *ctx, const struct spec_step *st,
		       const struct results *res);
	void *failed_ctx;
	const char *share;       /* a host directory the guest mounts on
				    /mnt/share, read-write; NULL: none */
	int in, out;             /* the person's terminal (keys, screen) */
	bool kernel_hidden;      /* the kernel's messages not shown at first */
	/* labkit gdb: */
	bool batch;              /* gdb --batch: its scripts, then it ends */
	size_t nscripts;
	const char *const *scripts; /* gdb -x, in order */
	const char *kernel_symbols; /* the kernel with symbols; NULL: the
				    best labkit finds */
};

struct run_opts {
	const char *exercise;      /* exercise id */
	const char *out_dir;       /* transcript.log, results.yaml go here */
	const char *kernel_dir;    /* image + release of the guest kernel */
	const char *kernel_image;  /* file in kernel_dir to boot; NULL: best */
	const char *rootfs_dir;    /* initramfs.cpio, rootfs.ext4 */
	size_t nmodules;
	const char *const *modules;/* "<id>=<path of its .ko>": the modules
				      labkit built, to name an Oops's source
				      line */
	const char *build_results; /* results of the kernel build (build steps) */
	const struct reason *no_guest; /* why no guest can boot (no kernel),
				      or NULL */
	const struct reason *no_build; /* why build steps have no results,
				      or NULL */
	const char *xref_index;    /* the cross-reference index (lxr steps) */
	const struct reason *no_xref;  /* why there is no index, or NULL */
	enum vm_accel accel;       /* AUTO: probe KVM, else TCG */
	const char *accel_cache;   /* where `auto` keeps its verdict, or NULL */
	double probe_timeout;      /* seconds KVM gets to reach login: */
	const char *saved_dir;     /* where the guest saved once booted is
				      (restore.c): a guest that can start
				      from there, or NULL: always cold */
	bool save;                 /* boot the guest and save it into
				      saved_dir, no step run */
	bool reuse;                /* keep results of an earlier run from the
				      same inputs (stamp.h) that did its job */
	const struct expand_vars *facts; /* more facts of the run for its
				      results (a grading's), or NULL */
	const struct run_workbench *wb; /* a person takes the guest over, or
				      NULL (labkit run) */
	int verbose;
};

/*
 * Runs the exercise and writes <out_dir>/results.yaml and transcript.log
 * (and inputs.txt when it did its job: stamp.h).  With `reuse`, keeps
 * the results of an earlier run from the same inputs instead.  Returns
 * EXIT_OK when every step that could run ran, or the guest ended as a
 * step expected (their expectations are `labkit check`'s business),
 * EXIT_CHECK_FAILED when the guest failed (boot failure, timeout, panic,
 * interrupt) unexpectedly, EXIT_USAGE for bad options, EXIT_INTERNAL
 * when results.yaml or inputs.txt cannot be written.
 * With o->save, runs no step and writes no results: boots the guest from
 * the base of its root file system and saves it into o->saved_dir
 * (nothing when the one there is of the same inputs); a guest that
 * cannot be saved — its kind, its devices, a boot that fails — is not,
 * with a warning, and its runs boot cold (EXIT_OK all the same).
 * With `wb`, a person
 * takes the guest over where it says: then the exit status is the
 * session's (shell.h, gdb.h) when the guest did not fail before, and no
 * reuse stamp is written (the steps after it did not run).
 */
int run_exercise(const struct spec *spec, const struct run_opts *o);

/* The release of the kernel exercise `o->exercise`'s guest boots with
 * these options (what ${kernel.release} is in its steps), or NULL with a
 * message. */
char *run_guest_release(const struct spec *spec, const struct run_opts *o);

/* Whether a step cannot run with these options, and why (in `why`,
 * which may be NULL). */
bool run_step_unsupported(const struct spec *spec,
			  const struct spec_exercise *ex,
			  const struct spec_step *st, const struct run_opts *o,
			  struct reason *why);

#endif
