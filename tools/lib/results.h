/* results.h — what a run leaves for check and report: results.yaml. */
#ifndef LABKIT_RESULTS_H
#define LABKIT_RESULTS_H

#include <stddef.h>

#include "expand.h"

struct results_step {
	char *id;
	char *status;            /* ran | skip | not-run */
	char *reason;            /* why skipped or not run; NULL when ran */
	char *command;           /* as run, variables expanded */
	char *output;            /* normalized output */
	int exit_status;         /* -1 when unknown */
	double duration;         /* seconds, wall clock */
	double user, sys;        /* CPU seconds of the command and its children */
	char *host_command;      /* `host:` run while the guest was up */
	char *host_output;
	int host_exit;
};

struct results {
	char *lab;
	char *exercise;
	/* ok | fail | timeout | panic | boot-fail | interrupted | error | skip */
	char *outcome;
	char *detail;            /* the panic line, the timeout, the skip reason */
	double duration;
	struct expand_vars facts;/* kernel.release, guest.accel, ... */
	char *tail;              /* last console lines when something failed */
	char *boot;              /* the console up to the shell prompt */
	size_t nsteps, cap;
	struct results_step *steps;
};

void results_init(struct results *r, const char *lab, const char *exercise);
struct results_step *results_add_step(struct results *r, const char *id);
const struct results_step *results_step(const struct results *r,
					const char *id);
void results_free(struct results *r);

/* Written atomically (libyaml emitter).  0 or -1 with a message. */
int results_write(const struct results *r, const char *path);
/* 0 or -1 with a "file:line:col: error:" message. */
int results_load(struct results *r, const char *path);

#endif
