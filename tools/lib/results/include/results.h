/* results.h — what a run leaves for check and report: results.yaml. */
#ifndef LABKIT_RESULTS_H
#define LABKIT_RESULTS_H

#include <stdbool.h>
#include <stddef.h>

#include "expand.h"

struct proc;

/* How far a step got.  The names (results_status_name) are results.yaml's. */
enum step_status {
	STATUS_RAN,              /* ran to its end (whatever its exit status) */
	STATUS_SKIP,             /* could not run here: `reason` says why */
	STATUS_NOT_RUN,          /* not started: an earlier failure, `reason` */
	STATUS_TIMEOUT,          /* passed its deadline */
	STATUS_PANIC,            /* the guest's kernel died during it */
	STATUS_INTERRUPTED,      /* a signal stopped the run */
	STATUS_GUEST_EXIT,       /* the guest went away during it */
	STATUS_ERROR,            /* labkit could not run it */
	STATUS_COUNT,
};

/* How a whole run (an exercise's boot, or a kernel build) ended. */
enum run_outcome {
	OUTCOME_OK,
	OUTCOME_FAIL,            /* a kernel build's step failed */
	OUTCOME_TIMEOUT,         /* a step or the power-off passed its deadline */
	OUTCOME_PANIC,           /* the guest's kernel panicked */
	OUTCOME_BOOT_FAIL,       /* no login prompt before the deadline */
	OUTCOME_INTERRUPTED,     /* SIGINT, SIGTERM or SIGHUP */
	OUTCOME_GUEST_EXIT,      /* the guest ended by itself */
	OUTCOME_ERROR,           /* labkit could not do its part */
	OUTCOME_COUNT,
};

/* A fault of the guest's kernel during a step, from its kernel log. */
enum fault_kind {
	FAULT_NONE,
	FAULT_WARN,              /* WARNING: ... (WARN_ON): the kernel goes on */
	FAULT_OOPS,              /* BUG:, Oops:, general protection fault,
				    kernel BUG at: the task dies, the guest
				    goes on */
	FAULT_PANIC,             /* Kernel panic - not syncing: the guest dies */
	FAULT_COUNT,
};

struct results_fault {
	enum fault_kind kind;
	char *line;              /* its first line, as the kernel printed it */
	char *trace;             /* its lines, to the end of the trace */
	char *where;             /* "oops.c:8": the source line it names in a
				    module labkit built, or NULL */
	char *source;            /* that line with a few around it, or NULL */
};

const char *results_fault_name(enum fault_kind k);
int results_fault_parse(const char *name, enum fault_kind *k);

const char *results_status_name(enum step_status s);
/* 0 and *s set, or -1 for a name that is none. */
int results_status_parse(const char *name, enum step_status *s);
const char *results_outcome_name(enum run_outcome o);
int results_outcome_parse(const char *name, enum run_outcome *o);

struct results_step {
	char *id;
	enum step_status status;
	char *reason;            /* why skipped or not run; NULL when ran */
	char *command;           /* as run, variables expanded */
	char *output;            /* normalized output */
	int exit_status;         /* -1 when unknown */
	double duration;         /* seconds, wall clock */
	double user, sys;        /* CPU seconds of the command and its children */
	long ccache_hits;        /* a timed build: compiles ccache answered, */
	long ccache_misses;      /* and those it did not; -1: no ccache */
	char *before_command;    /* `before:` run on the host before `run` */
	char *before_output;
	int before_exit;
	char *host_command;      /* `host:` run while the guest was up */
	char *host_output;
	int host_exit;
	char *kernel;            /* what the guest's kernel printed during the
				    step (its console), or NULL */
	struct results_fault fault; /* the first fault during the step */
	double waited;           /* seconds it waited for `wait:` */
	int wait_seen;           /* 1 seen, 0 not in time, -1 no `wait:` */
};

struct results {
	char *lab;
	char *exercise;
	enum run_outcome outcome;
	bool expected;           /* the outcome is what a step expected (a
				    panic, a timeout): the run did its job */
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
/* Sets a step's status and reason (copied; NULL for none). */
void results_step_set(struct results_step *rs, enum step_status status,
		      const char *reason);
/*
 * A finished command as a step's result: `rc` as proc_run() returned it
 * (the exit status, -1 could not start, -2 deadline passed), its output
 * (taken over), the wall and CPU time of `p`.
 */
void results_step_finish(struct results_step *rs, int rc,
			 const struct proc *p, char *output);
void results_free(struct results *r);

/* Written atomically (libyaml emitter).  0 or -1 with a message. */
int results_write(const struct results *r, const char *path);
/* 0 or -1 with a "file:line:col: error:" message. */
int results_load(struct results *r, const char *path);
/* The results of exercise `exercise` of lab `lab` at `path`: loaded
 * (*loaded true), or, when there is no such file, empty ones of that
 * exercise (the exercise has not run).  0, or -1 with a message: the
 * file does not load, or holds another lab's or exercise's results. */
int results_load_exercise(struct results *r, const char *path,
			  const char *lab, const char *exercise, bool *loaded);

#endif
