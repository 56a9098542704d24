/*
 * run_int.h — what run.c (the session and the guest steps) and
 * run_host.c (the steps that run on the host: host, lxr, and build steps
 * copied from the kernel build) share: one exercise's run.
 */
#ifndef LABKIT_RUN_INT_H
#define LABKIT_RUN_INT_H

#include "expand.h"
#include "guest.h"
#include "results.h"
#include "run.h"
#include "spec.h"

#include <stdbool.h>

struct run {
	const struct spec *spec;
	const struct spec_exercise *ex;
	const struct run_opts *o;
	struct results res;
	struct expand_vars vars;
	struct guest guest;
	struct guest_rootfs rootfs; /* how to log in and power off */
	char *transcript_path;
	int transcript;          /* transcript.log: the shell's line */
	int kernel_log;          /* kernel.log: the kernel's console */
	char *append;            /* the guest's `append:`, expanded */
	char *died;              /* "the guest died in step X", once it did */
	char *kernel_path;       /* the image the guest boots */
	char *share_path;        /* the spec's share:, absolute */
	char *image_path;        /* its initramfs or disk */
	struct results built;    /* the kernel build's results (build steps) */
	int built_loaded;        /* 0 not yet read, 1 read, -1 unreadable */
	char *installed_image;   /* vmlinuz-<release> of `use: installed` */
	size_t kernel_from;      /* where on the kernel's console the next
				    guest step's text begins: where the last
				    one ended (the first: at the shell) */
	double t0;
	bool handed;             /* a person took the guest over (o->wb) */
	char *handed_why;        /* ... the reason the later steps give */
	int wb_rc;               /* how their session ended (an exit code) */
	char *gdb_dir;           /* labkit gdb: the session's directory, */
	char *gdb_stub;          /* ... and the stub's socket in it (gdb.c) */
};

/* A step's command with its variables filled in, or NULL after an error. */
char *run_expand_cmd(struct run *r, const char *cmd);

/* handover.c: a person takes the guest over (o->wb). */
/* Is the person to have the guest after step `st` (NULL: the login)? */
bool run_wants_hand_over(const struct run *r, const struct spec_step *st);
/* Their session (shell.c, gdb.c); the steps after it are not run. */
void run_hand_over(struct run *r, const struct spec_step *st);
/* Asked for what the exercise does not have (a guest, a step): said. */
bool run_workbench_refused(const struct run *r);
/* The exit status of a run a person was to take over: their session's,
 * unless the run failed first, or never came to them. */
int run_workbench_rc(const struct run *r, int rc);
/* What the guest of kind `a` gets for them: gdb's stub, and the
 * directory on /mnt/share: a person's (read-write), else the spec's own
 * `share:` (read-only), else none.  0, or -1 with a message. */
int run_workbench_guest(struct run *r, const struct vm_arch *a,
			struct vm_guest *vm);
/* What the session left (gdb's directory) removed. */
void run_workbench_release(struct run *r);

/* run_host.c */
void run_host_step(struct run *r, const struct spec_step *st,
		   struct results_step *rs);
void run_host_side(struct run *r, const struct spec_step *st,
		   struct results_step *rs);
/* A guest step's `before:`, on the host: 0, or -1 when it failed (the
 * step is then not run). */
int run_host_before(struct run *r, const struct spec_step *st,
		    struct results_step *rs);
const struct results *run_build_results(struct run *r);
void run_copy_build_step(struct run *r, const struct spec_step *st,
			 struct results_step *rs);

#endif
