/*
 * run_int.h — what run.c (the guest and the session) and run_host.c (the
 * steps that run on the host: host, lxr, and build steps copied from the
 * kernel build) share: one exercise's run.
 */
#ifndef LABKIT_RUN_INT_H
#define LABKIT_RUN_INT_H

#include "console.h"
#include "expand.h"
#include "proc.h"
#include "results.h"
#include "run.h"
#include "spec.h"
#include "status.h"

#include <stdbool.h>

struct run {
	const struct spec *spec;
	const struct spec_exercise *ex;
	const struct run_opts *o;
	struct results res;
	struct expand_vars vars;
	struct console con;
	struct proc guest;
	bool guest_up;
	char *transcript_path;
	char *cow_path;          /* the guest's writes to its disk, per run */
	char *home_path;         /* the unprivileged guest's home, or NULL */
	struct results built;    /* the kernel build's results (build steps) */
	int built_loaded;        /* 0 not yet read, 1 read, -1 unreadable */
	char *installed_image;   /* vmlinuz-<release> of `use: installed` */
	struct status status;    /* the live status line on a terminal */
	double t0;
};

void run_step_set(struct results_step *rs, const char *status,
		  const char *reason);
/* A step's command with its variables filled in, or NULL after an error. */
char *run_expand_cmd(struct run *r, const char *cmd);

/* run_host.c */
void run_host_step(struct run *r, const struct spec_step *st,
		   struct results_step *rs);
void run_host_side(struct run *r, const struct spec_step *st,
		   struct results_step *rs);
const struct results *run_build_results(struct run *r);
void run_copy_build_step(struct run *r, const struct spec_step *st,
			 struct results_step *rs);

#endif
