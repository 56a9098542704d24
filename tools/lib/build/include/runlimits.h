/* runlimits.h — what a sandboxed command may use: each of its processes, and
 * all of them together (processes at once, memory). */
#ifndef LABKIT_RUNLIMITS_H
#define LABKIT_RUNLIMITS_H

#include "proc.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* What holds the limits of a whole run (a mask of those that may). */
enum runlimits_via {
	RUNLIMITS_CGROUP2 = 1,  /* a cgroup v2 group: pids.max, memory.max */
	RUNLIMITS_CGROUP1 = 2,  /* a group in the v1 pids and memory
				   hierarchies */
	RUNLIMITS_RLIMIT = 4,   /* RLIMIT_NPROC on a uid of the run's own (or
				   ours), RLIMIT_AS on each process */
	RUNLIMITS_ANY = 7,
};

/* When we are root and no cgroup holds the processes, a run has a uid of
 * its own, RUNLIMITS_UID_BASE + a slot, held with a lock in
 * RUNLIMITS_LOCK_DIR: a range systemd leaves unused (its UIDS-GIDS.md),
 * above any account, and skipped where /etc/subuid hands it out. */
#define RUNLIMITS_UID_BASE 2000000000u
#define RUNLIMITS_UID_SLOTS 1024
#define RUNLIMITS_LOCK_DIR "/run/labkit"

struct runlimits_opts {
	unsigned max_procs;              /* at once, all together; 0: none */
	unsigned long long memory_total; /* bytes, all together; 0: none */
	double cpu_seconds;              /* RLIMIT_CPU of each; <= 0: none */
	unsigned long long memory_bytes; /* RLIMIT_AS of each; 0: none */
	unsigned long long file_bytes;   /* RLIMIT_FSIZE of each; 0: none */
	bool own_uid;                    /* it may run as a uid of its own
					    (we are root, it changes user) */
	unsigned via;                    /* enum runlimits_via; 0: any */
};

/* One cgroup of ours (runlimits.c's). */
struct runlimits_group {
	char *dir;
	int version;                     /* 1 or 2 */
	unsigned roles;                  /* 1 processes, 2 memory */
};

struct runlimits {
	struct proc_limit rl[6];         /* each process's, set before exec */
	size_t nrl;
	char *join[3];                   /* proc_opts.cgroups: NULL-ended */
	uid_t uid;                       /* the run's own uid, or 0: none */
	unsigned procs_via, memory_via;  /* enum runlimits_via; 0: not held */
	char *text;                      /* how, in words for a teacher:
					    "cgroup v1 pids+memory" */
	unsigned long long as_bytes;     /* each process's RLIMIT_AS, or 0 */
	bool procs_hit, memory_hit;      /* seen by runlimits_check() */
	unsigned procs_peak;             /* by runlimits_end(), where a cgroup
					    counted: most processes at once */
	unsigned long long memory_peak;  /* bytes, where a cgroup measured */
	/* runlimits.c's own */
	struct runlimits_group group[2];
	size_t ngroups;
	unsigned long nproc;             /* RLIMIT_NPROC set, or 0 */
	uid_t count_uid;                 /* whose processes it counts */
	int slot_fd;                     /* the lock of uid's slot, or -1 */
	double next_count;               /* when to count the uid's again */
	bool killed, ended;
};

/*
 * Makes the limits of one run, before it starts: each process's resource
 * limits (no core, 1024 files, and the CPU, address-space and file-size
 * ones asked for), and what holds max_procs and memory_total, tried in
 * order — cgroup v2, cgroup v1, RLIMIT_NPROC and RLIMIT_AS — among those
 * o->via allows.  What does not work here is passed over; l->text says
 * what held.  Never fails; free with runlimits_free().
 */
void runlimits_setup(struct runlimits *l, const struct runlimits_opts *o);

/* Did a process run out of its RLIMIT_AS?  By the words of the usual
 * tools in the run's output (dd, make, cc1, bash, python). */
bool runlimits_ran_out(const struct runlimits *l, const char *output);

/* Has the run hit max_procs or memory_total so far?  Sets l->procs_hit
 * and l->memory_hit; cheap enough to call every 50 ms (a uid's processes
 * are counted every 250 ms). */
bool runlimits_check(struct runlimits *l);

/* Kills every process of the run its groups or its uid hold, until none
 * is left (up to 5 s); later runlimits_check() calls see nothing new. */
void runlimits_kill(struct runlimits *l);

/* The end of the run: a last runlimits_check(), runlimits_kill(), the peaks
 * read, the groups removed (a warning when one cannot be), the uid's
 * slot given back.  Once; runlimits_free() calls it too. */
void runlimits_end(struct runlimits *l);

void runlimits_free(struct runlimits *l);

#endif
