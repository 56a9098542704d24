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
	struct reason died;      /* "the guest died in step X", once it did */
	char *kernel_path;       /* the image the guest boots */
	char *share_path;        /* the spec's share:, absolute */
	char *image_path;        /* its initramfs or disk */
	char *saved[3];          /* base.cpio, payload.cpio and a student's
				    overlay.cpio, for a guest that may start
				    from a saved one */
	size_t nsaved;
	struct results built;    /* the kernel build's results (build steps) */
	int built_loaded;        /* 0 not yet read, 1 read, -1 unreadable */
	char *installed_image;   /* vmlinuz-<release> of `use: installed` */
	struct run_devices *dev; /* disks, ports, consoles ... (devices.c) */
	size_t kernel_from;      /* where on the kernel's console the next
				    guest step's text begins: where the last
				    one ended (the first: at the shell) */
	double t0;
	bool handed;             /* a person took the guest over (o->wb) */
	struct reason handed_why; /* ... the reason the later steps give */
	int wb_rc;               /* how their session ended (an exit code) */
	char *gdb_dir;           /* labkit gdb: the session's directory, */
	char *gdb_stub;          /* ... and the stub's socket in it (gdb.c) */
};

/* The guest failed in step `step` (NULL: while it booted): the run's
 * first failure says how. */
void run_guest_failed(struct run *r, enum console_status s, const char *step);
/* What a console status makes of a step. */
enum step_status run_step_status(enum console_status s);

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

/* devices.c: the guest's devices, made before the boot (their variables
 * set in r->vars); 0, or -1 with a message. */
int run_devices_prepare(struct run *r, struct vm_guest *vg,
			const struct vm_arch *a);
/* A login on each extra console, after the shell's. */
enum console_status run_devices_login(struct run *r, double deadline);
/* Presses the step's keys on the guest's keyboard; 0 or -1. */
int run_press_keys(struct run *r, const struct spec_step *st);
void run_devices_free(struct run *r);

/* run_saved.c: with --saved, and a guest that can, *go says where its
 * saved one is and what it is given (else guest.start says why not) ... */
void run_saved_opts(struct run *r, struct guest_opts *go);
/* ... and with --save, the guest is saved there: EXIT_OK, or with a
 * warning when it could not be (its runs boot cold). */
int run_saved_save(struct run *r, struct guest_opts *go);

/* background.c: before a guest step's command, its `wait: {step:}` and
 * its keys (0, or -1 with the step's result set); then, when the step
 * runs on another console or in the background, runs it (true). */
int run_bg_before(struct run *r, const struct spec_step *st,
		  struct results_step *rs);
bool run_bg_step(struct run *r, const struct spec_step *st,
		 struct results_step *rs);
/* The background steps still running at the end: stopped, reported. */
void run_bg_end(struct run *r);

#endif
