/*
 * proc.c — starting and ending child processes the way a guest runner
 * must: each child leads its own session (so its process group is ours to
 * kill and nobody else's), every wait has a deadline, and ending a child
 * means ending its whole group, SIGTERM first, SIGKILL after a grace
 * period.  Nothing here ever kills by name.
 *
 * Failures are returned (-1 with errno, or a message through error());
 * the only global state is the interrupt flag the signal handler sets.
 */
#include "proc.h"
#include "events.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

volatile sig_atomic_t proc_interrupted;

static void on_signal(int sig)
{
	proc_interrupted = sig;
}

void proc_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		proc_interrupted = SIGHUP;
}

/* In the child: the caller's resource limits; a hard limit above ours is
 * lowered to ours unless we are root (who may raise it). */
static int set_limits(const struct proc_opts *o)
{
	for (size_t i = 0; i < o->nlimits; i++) {
		struct rlimit cur, rl = { .rlim_cur = o->limits[i].soft,
					  .rlim_max = o->limits[i].hard };

		if (getrlimit(o->limits[i].resource, &cur) == 0 && geteuid() != 0 &&
		    rl.rlim_max > cur.rlim_max)
			rl.rlim_max = cur.rlim_max;
		if (rl.rlim_cur > rl.rlim_max)
			rl.rlim_cur = rl.rlim_max;
		if (setrlimit(o->limits[i].resource, &rl) < 0)
			return -1;
	}
	return 0;
}

/* In the child: into the cgroup whose cgroup.procs is `procs` ("0" is the
 * writer itself), as the caller still, before any limit or change of user. */
static int join_cgroup(const char *procs)
{
	int fd = open(procs, O_WRONLY | O_CLOEXEC), err;
	ssize_t n;

	if (fd < 0)
		return -1;
	do
		n = write(fd, "0", 1);
	while (n < 0 && errno == EINTR);
	err = errno;
	close(fd);
	errno = err;
	return n == 1 ? 0 : -1;
}

/* In the child: every descriptor from `first` on closes at exec (the
 * error pipe of proc_spawn() still reports a failed exec). */
static void cloexec_from(unsigned first)
{
	struct rlimit rl;

	if (close_range(first, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur > 65536)
		rl.rlim_cur = 65536;
	for (unsigned fd = first; fd < rl.rlim_cur; fd++)
		fcntl((int)fd, F_SETFD, FD_CLOEXEC);
}

/* In the child, before exec: -1 with errno when it cannot be set up
 * (proc_spawn() then fails with that errno, as for a failed exec). */
static int child_setup(const struct proc_opts *o, pid_t parent)
{
	int nul;

	for (size_t i = 0; o->cgroups && o->cgroups[i]; i++)
		if (join_cgroup(o->cgroups[i]) < 0)
			return -1;
	if (set_limits(o) < 0)
		return -1;
	if (o->uid > 0 && (setgroups(0, NULL) < 0 || setgid(o->gid) < 0 ||
			   setuid(o->uid) < 0))
		return -1;
	/* After setuid: changing credentials clears the parent-death signal. */
	if (o->die_with_parent) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
	}
	if (o->foreground)
		setpgid(0, 0);
	else
		setsid();
	if (o->tty >= 0) {
		ioctl(o->tty, TIOCSCTTY, 0);
		dup2(o->tty, 0);
		dup2(o->tty, 1);
		dup2(o->tty, 2);
	} else {
		nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
		dup2(o->in >= 0 ? o->in : nul, 0);
		if (o->out >= 0) {
			dup2(o->out, 1);
			dup2(o->out, 2);
		}
	}
	if (o->foreground && isatty(0)) {
		signal(SIGTTOU, SIG_IGN);    /* we are not its foreground yet */
		tcsetpgrp(0, getpid());
		signal(SIGTTOU, SIG_DFL);
	}
	if (o->fd3 > 2 && (o->fd3 == 3 ? fcntl(3, F_SETFD, 0) : dup2(o->fd3, 3)) < 0)
		return -1;
	if (o->close_fds)
		cloexec_from(o->fd3 > 2 ? 4 : 3);
	if (o->cwd && chdir(o->cwd) < 0)
		return -1;
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	return 0;
}

/*
 * The watchdog of a guarded child: a process of ours that waits for our end
 * of a pipe to close, which happens however we end (even SIGKILL), and then
 * kills the child's whole group.  PR_SET_PDEATHSIG reaches the child only,
 * not what it started (UML's helpers), so it is not enough alone.
 */
static void start_guard(struct proc *p)
{
	int fds[2];
	char c;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return;
	p->guard = fork();
	if (p->guard == 0) {
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		/* Hold nothing but the pipe: a pty slave kept open here would
		 * keep the console from ever seeing the guest hang up. */
		close_range(3, (unsigned)fds[0] - 1, 0);
		close_range((unsigned)fds[0] + 1, ~0U, 0);
		while (read(fds[0], &c, 1) < 0 && errno == EINTR)
			;
		kill(-p->pid, SIGKILL);
		_exit(0);
	}
	close(fds[0]);
	if (p->guard < 0) {
		p->guard = 0;
		close(fds[1]);
		return;
	}
	p->guard_fd = fds[1];
}

static void stop_guard(struct proc *p)
{
	if (p->guard <= 0)
		return;
	close(p->guard_fd);
	while (waitpid(p->guard, NULL, 0) < 0 && errno == EINTR)
		;
	p->guard = 0;
}

int proc_spawn(struct proc *p, const struct proc_opts *o)
{
	pid_t parent = getpid();
	int pipefd[2];
	int err = 0;
	ssize_t n;

	memset(p, 0, sizeof(*p));
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -1;
	p->started = now_monotonic();
	p->pid = fork();
	if (p->pid < 0) {
		err = errno;
		close(pipefd[0]);
		close(pipefd[1]);
		errno = err;
		return -1;
	}
	if (p->pid == 0) {
		close(pipefd[0]);
		if (child_setup(o, parent) == 0) {
			if (o->env)
				execvpe(o->argv[0], o->argv, o->env);
			else
				execvp(o->argv[0], o->argv);
		}
		err = errno;
		if (write(pipefd[1], &err, sizeof(err)) < 0)
			_exit(126);
		_exit(127);
	}
	close(pipefd[1]);
	do
		n = read(pipefd[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(pipefd[0]);
	if (n == sizeof(err)) {
		while (waitpid(p->pid, NULL, 0) < 0 && errno == EINTR)
			;
		p->pid = 0;
		errno = err;
		return -1;
	}
	if (o->guard)
		start_guard(p);
	return 0;
}

void proc_foreground_back(int fd)
{
	void (*old)(int);

	if (!isatty(fd))
		return;
	old = signal(SIGTTOU, SIG_IGN);    /* a background group asks */
	tcsetpgrp(fd, getpgrp());
	signal(SIGTTOU, old);
}

static int reap(struct proc *p, int flags)
{
	pid_t r;
	int status;

	do
		r = wait4(p->pid, &status, flags, &p->ru);
	while (r < 0 && errno == EINTR && !(flags & WNOHANG));
	if (r < 0)
		return -1;
	if (r == 0)
		return 0;
	p->exited = true;
	p->status = status;
	p->ended = now_monotonic();
	return 1;
}

int proc_wait(struct proc *p, double deadline)
{
	if (p->exited)
		return 1;
	for (;;) {
		int r = reap(p, WNOHANG);

		if (r != 0)
			return r;
		if (now_monotonic() >= deadline || proc_interrupted)
			return 0;
		poll(NULL, 0, 10);
	}
}

/* Reaps any of our children that already exited (the group's members
 * re-parented to us as subreaper), without blocking. */
static void reap_strays(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

void proc_kill_group(struct proc *p, double grace)
{
	double deadline = now_monotonic() + grace;

	if (p->pid <= 0)
		return;
	kill(-p->pid, SIGTERM);
	while (now_monotonic() < deadline) {
		if (!p->exited)
			reap(p, WNOHANG);
		reap_strays();
		if (p->exited && proc_group_count(p->pid) == 0) {
			stop_guard(p);
			return;
		}
		poll(NULL, 0, 10);
	}
	kill(-p->pid, SIGKILL);
	if (!p->exited)
		reap(p, 0);
	deadline = now_monotonic() + 2.0;
	while (proc_group_count(p->pid) > 0 && now_monotonic() < deadline) {
		reap_strays();
		poll(NULL, 0, 5);
	}
	stop_guard(p);
}

int proc_group_count(pid_t pgid)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int count = 0;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char path[300], buf[512], *s;
		int fd;
		ssize_t n;
		long pg;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		/* pid (comm) state ppid pgrp ...; comm may hold spaces. */
		s = strrchr(buf, ')');
		if (!s || sscanf(s + 1, " %*c %*d %ld", &pg) != 1)
			continue;
		if (pg == pgid && s[2] != 'Z')
			count++;
	}
	closedir(d);
	return count;
}

const char *proc_status_str(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(buf, len, "status 0x%x", status);
	return buf;
}

static void drain(int fd, struct sb *out, double deadline, bool tee)
{
	char chunk[8192];

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		double left = deadline - now_monotonic();
		int r;
		ssize_t n;

		if (left <= 0 || proc_interrupted)
			return;
		r = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return;
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		if (out)
			sb_add(out, chunk, (size_t)n);
		if (tee) {
			struct progress ev = { .kind = PROGRESS_OUTPUT,
					       .text = chunk, .len = (size_t)n };

			events_progress(&ev);
		}
	}
}

int proc_run(char *const *argv, const char *cwd, double timeout,
	     struct sb *out, struct proc *p)
{
	return proc_run_env(argv, cwd, NULL, false, timeout, out, p);
}

int proc_run_env(char *const *argv, const char *cwd, char *const *env,
		 bool tee, double timeout, struct sb *out, struct proc *p)
{
	struct proc_opts o = { .argv = argv, .cwd = cwd, .tty = -1,
			       .in = -1, .die_with_parent = true, .env = env };
	double deadline = now_monotonic() + timeout;
	int pipefd[2];
	int r;

	memset(p, 0, sizeof(*p));
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -1;
	o.out = pipefd[1];
	r = proc_spawn(p, &o);
	close(pipefd[1]);
	if (r < 0) {
		close(pipefd[0]);
		return -1;
	}
	drain(pipefd[0], out, deadline, tee);
	close(pipefd[0]);
	if (proc_wait(p, deadline) != 1) {
		proc_kill_group(p, 1.0);
		return -2;
	}
	proc_kill_group(p, 0.5); /* anything it left behind in its group */
	if (WIFEXITED(p->status))
		return WEXITSTATUS(p->status);
	return 128 + WTERMSIG(p->status);
}

extern char **environ;

char **proc_env_set(char **env, const char *name, const char *value)
{
	size_t n = 0, len = strlen(name);
	char **src = env ? env : environ;
	char **out;
	bool found = false;
	size_t o = 0;

	while (src[n])
		n++;
	out = xcalloc(n + 2, sizeof(*out));

	for (size_t i = 0; i < n; i++) {
		if (!strncmp(src[i], name, len) && src[i][len] == '=') {
			found = true;
			if (value)
				out[o++] = xasprintf("%s=%s", name, value);
		} else {
			out[o++] = xstrdup(src[i]);
		}
	}
	if (!found && value)
		out[o] = xasprintf("%s=%s", name, value);
	if (env)
		proc_env_free(env);
	return out;
}

const char *proc_env_get(char *const *env, const char *name)
{
	size_t len = strlen(name);

	for (char *const *e = env ? env : environ; *e; e++)
		if (!strncmp(*e, name, len) && (*e)[len] == '=')
			return *e + len + 1;
	return NULL;
}

void proc_env_free(char **env)
{
	if (!env)
		return;
	for (char **e = env; *e; e++)
		free(*e);
	free(env);
}
