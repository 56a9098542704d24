/* sandbox.h — a command run contained (bubblewrap), with limits. */
#ifndef LABKIT_SANDBOX_H
#define LABKIT_SANDBOX_H

#include "runlimits.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The user a sandbox runs as when we are root: nobody/nogroup, or a uid of
 * its own (RUNLIMITS_UID_BASE + a slot) when only that can count its
 * processes (runlimits.h). */
#define SANDBOX_UID 65534
#define SANDBOX_GID 65534

/* The limits of all of a run's processes together, by default. */
#define SANDBOX_MAX_PROCS 256
#define SANDBOX_MEMORY_TOTAL (1ULL << 30)

struct sandbox_opts {
	char *const *argv;           /* the command; argv[0] is searched in
					PATH=/usr/bin:/bin */
	const char *rw_dir;          /* the one writable directory, at its own
					path; when we are root it is chowned to
					the user it runs as first (nobody, or
					its own uid), recursively: the caller's
					files in it become that user's */
	const char *cwd;             /* where it starts; NULL: rw_dir */
	const char *const *ro_dirs;  /* NULL-terminated or NULL: more
					directories, read-only, at their own
					(canonical) paths */
	const char *const *hide;     /* NULL-terminated or NULL: directories
					shown empty where they fall under a
					visible path (/usr, /etc, ro_dirs,
					rw_dir) */
	char *const *env;            /* NULL-terminated or NULL: NAME=value
					added to the minimal environment */
	double timeout;              /* wall-clock seconds; <= 0: 600 */
	double cpu_seconds;          /* RLIMIT_CPU of each process; <= 0: none */
	unsigned long long memory_bytes; /* RLIMIT_AS of each process; 0: none */
	unsigned max_procs;          /* processes (and threads) at once, all
					of them together; 0: SANDBOX_MAX_PROCS */
	unsigned long long memory_total_bytes; /* memory of all of them
					together; 0: SANDBOX_MEMORY_TOTAL.
					Where no cgroup holds it: each
					process's RLIMIT_AS (when lower) */
	unsigned limits_via;         /* enum runlimits_via: what may hold those
					two; 0: the best this host has */
	unsigned long long file_bytes;   /* RLIMIT_FSIZE; 0: none */
	size_t output_cap;           /* bytes of stdout+stderr kept; the
					command is killed when it prints more;
					0: 1 MiB */
	bool unsandboxed;            /* the same limits, deadline and cap, but
					no bwrap and no change of user */
};

struct sandbox_result {
	int status;          /* 0-255, 128+sig; -1 it did not start, -2 the
				deadline passed, -3 it printed more than the
				cap, -4 we were interrupted, -5 it hit
				max_procs, -6 memory_total (all killed) */
	char *output;        /* stdout+stderr, at most output_cap bytes */
	size_t output_len;
	bool timed_out;
	bool output_capped;
	bool cpu_limit;      /* a process of it ran out of CPU (SIGXCPU) */
	bool file_limit;     /* it wrote past file_bytes (SIGXFSZ) */
	bool procs_limit;    /* a fork failed at max_procs */
	bool memory_limit;   /* its processes together needed more than
				memory_total_bytes (an OOM kill in its
				cgroup), or one ran out of its RLIMIT_AS */
	bool setup_failed;   /* it did not start: bwrap could not set up the
				sandbox or exec the command, or we could not
				start bwrap (or the command) */
	bool interrupted;
	double seconds;      /* wall clock */
	char *reason;        /* one line for a teacher when status != 0:
				"did not finish in 120 s", "printed more than
				1 MiB", "used more than 300 s of CPU", "tried
				to run more than 256 processes at once", "used
				more than 1 GiB of memory", "exit 2"; NULL when
				status is 0 */
	char *limits;        /* what held max_procs and memory_total_bytes:
				"cgroup v2 pids+memory", "cgroup v1
				pids+memory", "rlimit nproc (uid 2000000000),
				rlimit as (each process)" (runlimits.h) */
	unsigned procs_via, memory_via; /* enum runlimits_via; 0: not held */
	uid_t uid;           /* whom it ran as */
	char *cgroups[2];    /* the groups it ran in, removed by the time
				sandbox_run() returns; NULL: fewer */
	unsigned procs_peak; /* most processes at once, where a cgroup
				counted them; else 0 */
	unsigned long long memory_peak; /* bytes, where a cgroup measured
				them (page cache included); else 0 */
};

/*
 * 0 when a sandbox can be set up here: bwrap is installed and `true` runs
 * in it with the options sandbox_run() uses, as the user it will run as.
 * Else -1 and *why (the caller frees): "bwrap is not installed (Debian
 * package bubblewrap)", "user namespaces are disabled: ...", or bwrap's
 * own message.  Reports no error events; caches nothing.
 */
int sandbox_probe(char **why);

/*
 * Runs o->argv to its end, the deadline, the output cap or an interrupt,
 * then kills whatever of it is left (its process group; in the sandbox its
 * whole pid namespace) before returning.  In the sandbox: --unshare-all
 * (no network), a new session, a read-only /usr, /etc and merged-usr
 * links, a fresh /dev and /proc, an empty read-only /tmp and /, the
 * ro_dirs read-only, rw_dir writable, nothing else of the host; the
 * environment is PATH=/usr/bin:/bin, HOME=rw_dir, TMPDIR=rw_dir/.tmp
 * (created here), LANG=C.UTF-8 and o->env.  As nobody when we are root
 * (or a uid of its own, see runlimits.h), as ourselves otherwise.  Every
 * process has the CPU, address-space and file-size limits, no core dumps
 * and at most 1024 open files; all of them together at most max_procs
 * processes at once and memory_total_bytes of memory (runlimits.h says
 * how; r->limits what held).  A run that hits one is stopped at once.
 *
 * Returns 0 when the command ran (r->status says how it ended), -1 when
 * it could not be started or the sandbox not set up (an error event;
 * r->status -1, r->setup_failed, r->reason say why).  Free r with
 * sandbox_result_free() in both cases.
 */
int sandbox_run(const struct sandbox_opts *o, struct sandbox_result *r);

void sandbox_result_free(struct sandbox_result *r);

/* "1 MiB", "64 KiB", "1000 bytes": a size in a reason. */
char *sandbox_size_str(unsigned long long bytes);

#endif
