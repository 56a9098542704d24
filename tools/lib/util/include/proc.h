/* proc.h — child processes in their own session, deadlines, group kill. */
#ifndef LABKIT_PROC_H
#define LABKIT_PROC_H

#include <signal.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/types.h>

struct proc {
	pid_t pid;               /* also the process group and session id */
	bool exited;
	int status;              /* waitpid status once exited */
	struct rusage ru;        /* the child's own rusage (wait4) */
	double started, ended;   /* monotonic seconds */
	pid_t guard;             /* the watchdog of a guarded child, or 0 */
	int guard_fd;            /* our end of its pipe */
};

/* A resource limit the child sets before exec (setrlimit). */
struct proc_limit {
	int resource;            /* RLIMIT_* */
	rlim_t soft, hard;
};

struct proc_opts {
	char *const *argv;
	const char *cwd;         /* NULL: stay */
	int tty;                 /* pty slave: stdin/out/err and controlling tty; -1 none */
	int out;                 /* stdout+stderr when tty < 0; -1 inherit */
	int in;                  /* stdin when tty < 0; -1 /dev/null */
	bool die_with_parent;    /* PR_SET_PDEATHSIG(SIGKILL) in the child */
	char *const *env;        /* the child's environment; NULL: ours */
	bool guard;              /* a watchdog kills the group if we die */
	int fd3;                 /* > 2: becomes the child's fd 3 (UML's
				    shell line); 0: none */
	uid_t uid;               /* > 0: run as this user (we are root) */
	gid_t gid;
	const struct proc_limit *limits; /* set in the child before exec; a
				    hard limit above ours is lowered to
				    ours when we are not root */
	size_t nlimits;
	char *const *cgroups;    /* NULL-terminated or NULL: cgroup.procs
				    files the child writes itself into before
				    anything else, so all it starts is there */
	bool close_fds;          /* no other descriptor (above 2, or 3 with
				    fd3) survives the exec */
	bool foreground;         /* an interactive program on our terminal
				    (gdb): it leads a process group of its
				    own in our session, not a session, and
				    when `in` is a terminal, it is made that
				    terminal's foreground (its keys, Ctrl-C
				    its own); proc_foreground_back() gives
				    the terminal back */
};

/* Set by the handlers proc_catch_signals() installs. */
extern volatile sig_atomic_t proc_interrupted;

/*
 * SIGINT, SIGTERM and SIGHUP set proc_interrupted (no SA_RESTART, so a
 * blocking poll returns EINTR); also asks the kernel to send SIGTERM when
 * our parent dies and makes us the subreaper of everything we start, so a
 * guest's grandchildren come back to us to be reaped.
 */
void proc_catch_signals(void);

/* Starts argv[0] (searched in PATH) in a new session.  0 or -1. */
int proc_spawn(struct proc *p, const struct proc_opts *o);

/* Makes our own process group the foreground of terminal `fd` again
 * (after a `foreground` child), when it is a terminal. */
void proc_foreground_back(int fd);

/* Waits until `deadline` (monotonic).  1 exited, 0 still running, -1 error. */
int proc_wait(struct proc *p, double deadline);

/*
 * Ends the whole process group: SIGTERM, up to `grace` seconds, SIGKILL,
 * then reaps the leader.  Safe to call when it already exited.
 */
void proc_kill_group(struct proc *p, double grace);

/* Number of live processes in process group `pgid` (from /proc). */
int proc_group_count(pid_t pgid);

/* Describes a waitpid status: "exit 1", "signal 9 (Killed)". */
const char *proc_status_str(int status, char *buf, size_t len);

/* Runs argv to completion, output (stdout+stderr) into *out.  Returns the
 * exit status (0-255), 128+sig when killed, -1 if it could not start, -2
 * on timeout (the group is killed). */
struct sb;
int proc_run(char *const *argv, const char *cwd, double timeout,
	     struct sb *out, struct proc *p);
/* The same with an environment (NULL: ours), the output also handed to
 * events (PROGRESS_OUTPUT) as it comes when `tee`. */
int proc_run_env(char *const *argv, const char *cwd, char *const *env,
		 bool tee, double timeout, struct sb *out, struct proc *p);

/* `env` (NULL: ours) with `name` set to `value`, replaced or added, or
 * removed when `value` is NULL; consumes `env`.  Free with proc_env_free. */
char **proc_env_set(char **env, const char *name, const char *value);
void proc_env_free(char **env);
/* The value of `name` in `env` (NULL: ours), or NULL. */
const char *proc_env_get(char *const *env, const char *name);

#endif
