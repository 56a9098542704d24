/*
 * sandbox.c — a command run contained, the way `labkit grade` runs a
 * student's Makefile: through bubblewrap (bwrap) with every namespace
 * unshared (no network, its own pids), a read-only view of /usr, /etc and
 * the directories the caller lists, one writable directory, and nothing
 * else of the host; as nobody when we are root (bwrap then makes its own
 * user namespace), as ourselves otherwise.  Its limits are runlimits.c's:
 * each process's, set before exec (CPU, address space, file size, no
 * core, 1024 files), and all of its processes' together (processes at
 * once, memory: a cgroup, or a uid of its own it then runs as).  A
 * wall-clock deadline, a cap on its output and a hit of the limits of the
 * whole run end it early.  Ending it means killing its process group,
 * waiting until its pid namespace is empty (bwrap's pid 1 gone), then
 * killing what its cgroups or its uid still hold and removing the groups,
 * so nothing of it is left when sandbox_run() returns.  Never kills by
 * name.
 *
 * The unsandboxed mode keeps the limits, deadline and cap and drops bwrap
 * and the change of user, for machines without user namespaces.
 *
 * Failures: sandbox_run() returns -1 (an error event, and the reason in
 * the result) when the command could not start or bwrap could not set up
 * the sandbox (told apart from the command's own failures by bwrap's
 * --json-status-fd: no "exit-code" means the command never ran); the
 * command's own ending, whatever it is, is a result, not an error.
 */
#include "sandbox.h"
#include "proc.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEFAULT_TIMEOUT 600.0
#define DEFAULT_CAP (1024 * 1024)
#define STATUS_CAP 65536          /* bwrap's JSON status lines */
#define STRAGGLE 0.2              /* seconds of output read after the end */

/* A growable NULL-terminated vector of owned strings. */
struct args {
	char **v;
	size_t n, cap;
};

/* One mount of the caller's; at the same path, the explicit one last. */
enum mount_kind {
	MOUNT_HIDE,                   /* an empty tmpfs, read-only */
	MOUNT_RO,
	MOUNT_RW,
};

struct mount {
	enum mount_kind kind;
	char *path;                   /* canonical */
};

/* Everything one run needs, made before it starts. */
struct box {
	const struct sandbox_opts *o;
	char *bwrap;                  /* NULL when unsandboxed */
	char *rw;                     /* rw_dir, canonical */
	struct mount *mounts;
	size_t nmounts, capmounts;
	struct args argv;             /* what is exec'd */
	struct args env;              /* NAME=value */
	struct runlimits lim;
	uid_t uid;                    /* whom it runs as, or 0: as we are */
};

/* A run in progress. */
struct live {
	struct proc p;
	int out, status;              /* our ends of its output, bwrap's JSON */
	struct sb output, json;
	size_t cap;
	bool capped, timed_out, interrupted, limited;
};

static void args_add(struct args *a, const char *s)
{
	ARRAY_PUSH(a->v, a->n, a->cap);
	a->v[a->n++] = xstrdup(s);
	ARRAY_PUSH(a->v, a->n, a->cap);
	a->v[a->n] = NULL;
}

/* Adds each argument up to a NULL. */
static void args_addv(struct args *a, ...)
{
	va_list ap;
	const char *s;

	va_start(ap, a);
	while ((s = va_arg(ap, const char *)))
		args_add(a, s);
	va_end(ap);
}

static void args_free(struct args *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
}

/* `reason` set once, to the first failure; -1. */
static int PRINTF_LIKE(2, 3) fail(struct sandbox_result *r, const char *fmt, ...)
{
	va_list ap;
	struct sb sb;

	if (r->reason)
		return -1;
	sb_init(&sb);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	r->reason = sb_detach(&sb, NULL);
	return -1;
}

char *sandbox_size_str(unsigned long long n)
{
	static const char *const units[] = { "GiB", "MiB", "KiB" };

	for (int i = 0; i < 3; i++) {
		unsigned long long u = 1ULL << (10 * (3 - i));

		if (n >= u && n % u == 0)
			return xasprintf("%llu %s", n / u, units[i]);
	}
	return xasprintf("%llu bytes", n);
}

/* bwrap from the system's directories first, then from PATH. */
static char *find_bwrap(void)
{
	const char *path = getenv("PATH");
	char *dirs = xasprintf("/usr/bin:/bin:%s", path ? path : "");
	char *save = NULL, *found = NULL;

	for (char *d = strtok_r(dirs, ":", &save); d && !found;
	     d = strtok_r(NULL, ":", &save)) {
		char *f = xasprintf("%s/bwrap", d);

		if (d[0] == '/' && access(f, X_OK) == 0)
			found = f;
		else
			free(f);
	}
	free(dirs);
	return found;
}

/* /usr, the merged-usr links (or directories) beside it, /etc, a fresh
 * /dev and /proc, an empty /tmp (read-only at the end). */
static void add_system(struct args *a)
{
	static const char *const tops[] = {
		"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32",
	};

	args_addv(a, "--ro-bind", "/usr", "/usr", NULL);
	for (size_t i = 0; i < sizeof(tops) / sizeof(tops[0]); i++) {
		char target[PATH_MAX];
		struct stat st;
		ssize_t n;

		if (lstat(tops[i], &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			args_addv(a, "--ro-bind", tops[i], tops[i], NULL);
		} else if (S_ISLNK(st.st_mode) &&
			   (n = readlink(tops[i], target, sizeof(target) - 1)) > 0) {
			target[n] = '\0';
			args_addv(a, "--symlink", target, tops[i], NULL);
		}
	}
	args_addv(a, "--ro-bind", "/etc", "/etc", "--dev", "/dev",
		  "--proc", "/proc", "--tmpfs", "/tmp", NULL);
}

/* A hidden directory matters only under something visible; hiding a
 * directory we bind anyway, or the path to it, would hide nothing. */
static bool worth_hiding(const char *h, const struct mount *m, size_t n)
{
	bool visible = fs_path_under(h, "/usr") || fs_path_under(h, "/etc");

	for (size_t i = 0; i < n; i++) {
		if (m[i].kind == MOUNT_HIDE)
			continue;
		if (!strcmp(h, m[i].path))
			return false;
		if (fs_path_under(h, m[i].path))
			visible = true;
	}
	return visible;
}

static void add_mount(struct box *b, enum mount_kind kind, char *path)
{
	ARRAY_PUSH(b->mounts, b->nmounts, b->capmounts);
	b->mounts[b->nmounts++] = (struct mount){ kind, path };
}

static int mount_cmp(const void *a, const void *c)
{
	const struct mount *x = a, *y = c;
	int d = strcmp(x->path, y->path);

	return d ? d : (int)x->kind - (int)y->kind;
}

/* The caller's directories, canonical, sorted so that a directory comes
 * before what is under it (bwrap mounts in order).  -1 when a ro_dir
 * does not exist. */
static int caller_mounts(struct box *b, struct sandbox_result *r)
{
	const struct sandbox_opts *o = b->o;
	size_t nbound;
	char *real;

	add_mount(b, MOUNT_RW, xstrdup(b->rw));
	for (size_t i = 0; o->ro_dirs && o->ro_dirs[i]; i++) {
		if (!(real = realpath(o->ro_dirs[i], NULL)))
			return fail(r, "cannot find '%s': %m", o->ro_dirs[i]);
		add_mount(b, MOUNT_RO, real);
	}
	nbound = b->nmounts;
	for (size_t i = 0; o->hide && o->hide[i]; i++) {
		real = realpath(o->hide[i], NULL);
		if (real && worth_hiding(real, b->mounts, nbound))
			add_mount(b, MOUNT_HIDE, real);
		else
			free(real);
	}
	qsort(b->mounts, b->nmounts, sizeof(*b->mounts), mount_cmp);
	return 0;
}

/* bwrap's command line: the system, the caller's mounts, everything
 * read-only but rw_dir, the environment, the command. */
static int bwrap_argv(struct box *b, struct sandbox_result *r)
{
	static const char *const how[] = {
		[MOUNT_HIDE] = "--tmpfs", [MOUNT_RO] = "--ro-bind",
		[MOUNT_RW] = "--bind",
	};
	struct args *a = &b->argv;

	args_addv(a, b->bwrap, "--unshare-all", "--die-with-parent",
		  "--new-session", "--json-status-fd", "3", NULL);
	add_system(a);
	if (caller_mounts(b, r) < 0)
		return -1;
	for (size_t i = 0; i < b->nmounts; i++) {
		args_addv(a, how[b->mounts[i].kind], b->mounts[i].path, NULL);
		if (b->mounts[i].kind != MOUNT_HIDE)
			args_add(a, b->mounts[i].path);
	}
	for (size_t i = 0; i < b->nmounts; i++)
		if (b->mounts[i].kind == MOUNT_HIDE)
			args_addv(a, "--remount-ro", b->mounts[i].path, NULL);
	args_addv(a, "--remount-ro", "/tmp", "--remount-ro", "/", "--chdir",
		  b->o->cwd ? b->o->cwd : b->rw, "--clearenv", NULL);
	for (size_t i = 0; i < b->env.n; i++) {
		char *name = xstrndup(b->env.v[i], strcspn(b->env.v[i], "="));

		args_addv(a, "--setenv", name, b->env.v[i] + strlen(name) + 1,
			  NULL);
		free(name);
	}
	args_add(a, "--");
	return 0;
}

/* PATH, HOME, TMPDIR, LANG, then the caller's (replacing ours). */
static void make_env(struct box *b)
{
	char *home = xasprintf("HOME=%s", b->rw);
	char *tmp = xasprintf("TMPDIR=%s/.tmp", b->rw);

	args_addv(&b->env, "PATH=/usr/bin:/bin", home, tmp, "LANG=C.UTF-8",
		  NULL);
	free(home);
	free(tmp);
	for (size_t i = 0; b->o->env && b->o->env[i]; i++) {
		const char *v = b->o->env[i];
		size_t k = strcspn(v, "="), j = 0;

		while (j < b->env.n && strncmp(b->env.v[j], v, k + 1))
			j++;
		if (!v[k])
			continue;
		if (j == b->env.n)
			args_add(&b->env, v);
		else
			free(b->env.v[j]), b->env.v[j] = xstrdup(v);
	}
}

/* The limits of each process and of all together (runlimits.c), which also
 * say whom it runs as: a uid of its own, or nobody, when we are root. */
static void make_limits(struct box *b)
{
	const struct sandbox_opts *o = b->o;
	struct runlimits_opts lo = {
		.max_procs = o->max_procs ? o->max_procs : SANDBOX_MAX_PROCS,
		.memory_total = o->memory_total_bytes ? o->memory_total_bytes :
				SANDBOX_MEMORY_TOTAL,
		.cpu_seconds = o->cpu_seconds, .memory_bytes = o->memory_bytes,
		.file_bytes = o->file_bytes, .via = o->limits_via,
		.own_uid = b->bwrap && geteuid() == 0,
	};

	runlimits_setup(&b->lim, &lo);
	if (lo.own_uid)
		b->uid = b->lim.uid ? b->lim.uid : SANDBOX_UID;
}

/* Whom chown_one() gives rw_dir to (nftw hands it no argument). */
static uid_t rw_owner;

static int chown_one(const char *path, const struct stat *st, int flag,
		     struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return lchown(path, rw_owner, SANDBOX_GID) < 0 ? -1 : 0;
}

/* rw_dir canonical, its .tmp made, all of it the sandbox's user's when we
 * are root. */
static int prepare_rw(struct box *b, struct sandbox_result *r)
{
	char *tmp;
	int rc = 0;

	if (!b->o->rw_dir || !(b->rw = realpath(b->o->rw_dir, NULL)))
		return fail(r, "cannot find '%s': %m",
			    b->o->rw_dir ? b->o->rw_dir : "(no rw_dir)");
	if (!strcmp(b->rw, "/"))
		return fail(r, "'%s': the writable directory cannot be /",
			    b->o->rw_dir);
	tmp = xasprintf("%s/.tmp", b->rw);
	if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
		rc = fail(r, "cannot create '%s': %m", tmp);
	rw_owner = b->uid;
	if (rc == 0 && b->uid &&
	    nftw(b->rw, chown_one, 16, FTW_PHYS | FTW_MOUNT) != 0)
		rc = fail(r, "cannot give '%s' to the sandbox's user (%u): %m",
			  b->rw, (unsigned)b->uid);
	free(tmp);
	return rc;
}

static int prepare(struct box *b, const struct sandbox_opts *o,
		   struct sandbox_result *r)
{
	memset(b, 0, sizeof(*b));
	b->o = o;
	if (!o->argv || !o->argv[0])
		return fail(r, "no command to run");
	if (!o->unsandboxed && !(b->bwrap = find_bwrap()))
		return fail(r, "bwrap is not installed (Debian package bubblewrap)");
	make_limits(b);
	if (prepare_rw(b, r) < 0)
		return -1;
	make_env(b);
	if (b->bwrap && bwrap_argv(b, r) < 0)
		return -1;
	for (size_t i = 0; o->argv[i]; i++)
		args_add(&b->argv, o->argv[i]);
	return 0;
}

static void box_free(struct box *b)
{
	free(b->bwrap);
	free(b->rw);
	for (size_t i = 0; i < b->nmounts; i++)
		free(b->mounts[i].path);
	free(b->mounts);
	args_free(&b->argv);
	args_free(&b->env);
	runlimits_free(&b->lim);
}

/* A pipe whose read end (ours, [0]) does not block. */
static int reader_pipe(int fds[2])
{
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
	return 0;
}

static int start(struct box *b, struct live *l, struct sandbox_result *r)
{
	struct proc_opts po = {
		.argv = b->argv.v, .tty = -1, .in = -1, .die_with_parent = true,
		.env = b->env.v, .limits = b->lim.rl, .nlimits = b->lim.nrl,
		.cgroups = b->lim.join, .close_fds = true,
		.uid = b->uid, .gid = b->uid ? SANDBOX_GID : 0,
		.cwd = b->bwrap ? "/" : b->o->cwd ? b->o->cwd : b->rw,
	};
	int out[2], status[2] = { -1, -1 }, rc;

	if (reader_pipe(out) < 0 || (b->bwrap && reader_pipe(status) < 0))
		return fail(r, "cannot make a pipe: %m");
	po.out = out[1];
	po.fd3 = status[1] > 2 ? status[1] : 0;
	rc = proc_spawn(&l->p, &po);
	close(out[1]);
	if (status[1] >= 0)
		close(status[1]);
	l->out = out[0];
	l->status = status[0];
	if (rc < 0)
		return fail(r, "cannot run '%s': %m", b->argv.v[0]);
	return 0;
}

/* Reads what is there into `into`, keeping `cap` bytes; false at EOF. */
static bool pump(int fd, struct sb *into, size_t cap, bool *over)
{
	char chunk[16384];
	ssize_t n = read(fd, chunk, sizeof(chunk));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	if (into->len + (size_t)n > cap) {
		sb_add(into, chunk, cap - into->len);
		*over = true;
		return true;
	}
	sb_add(into, chunk, (size_t)n);
	return true;
}

/*
 * Reads its output until the end, the deadline, the cap, a limit of the
 * whole run or an interrupt.  Output that processes left behind still
 * write after it ended is read for STRAGGLE seconds more (they are killed
 * next).
 */
static void watch(struct live *l, struct runlimits *lim, double deadline)
{
	double ended = 0;
	bool out = true, st = l->status >= 0, over = false;

	while ((out || st) && !l->capped) {
		struct pollfd pfd[2] = { { .fd = out ? l->out : -1, .events = POLLIN },
					 { .fd = st ? l->status : -1, .events = POLLIN } };
		double left = deadline - now_monotonic();

		if (proc_interrupted) {
			l->interrupted = true;
			return;
		}
		if (left <= 0) {
			l->timed_out = true;
			return;
		}
		if (runlimits_check(lim)) {
			l->limited = true;
			return;
		}
		if (!ended && proc_wait(&l->p, 0) == 1)
			ended = now_monotonic();
		if (ended && now_monotonic() - ended > STRAGGLE)
			return;
		poll(pfd, 2, left < 0.05 ? (int)(left * 1000) + 1 : 50);
		if (out && pfd[0].revents)
			out = pump(l->out, &l->output, l->cap, &l->capped);
		if (st && pfd[1].revents)
			st = pump(l->status, &l->json, STATUS_CAP, &over);
	}
	if (!l->capped && proc_wait(&l->p, deadline) != 1)
		l->timed_out = !proc_interrupted, l->interrupted = proc_interrupted;
}

/* bwrap's last status line ("exit-code"), written as it ended. */
static void drain_status(struct live *l)
{
	char chunk[4096];
	ssize_t n;

	while (l->status >= 0 && (n = read(l->status, chunk, sizeof(chunk))) > 0)
		if (l->json.len + (size_t)n <= STATUS_CAP)
			sb_add(&l->json, chunk, (size_t)n);
}

/* bwrap's pid 1 in the sandbox (its host pid from the JSON status) is
 * gone, or a zombie, only once every process of its namespace is. */
static void wait_namespace(const struct live *l)
{
	const char *key = "\"child-pid\":";
	const char *s = strstr(l->json.buf, key);
	double end = now_monotonic() + 5;
	int pid;

	if (!s || sscanf(s + strlen(key), " %d", &pid) != 1 || pid <= 1)
		return;
	while (now_monotonic() < end) {
		char path[64], buf[512], *p;
		int fd;
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			return;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[n > 0 ? n : 0] = '\0';
		if (!(p = strrchr(buf, ')')) || p[2] == 'Z' || p[2] == 'X') {
			waitpid(pid, NULL, WNOHANG); /* ours when we are subreaper */
			return;
		}
		poll(NULL, 0, 5);
	}
}

/* The status, as proc_run has it, and the signal that ended it, if any
 * (bwrap and shells pass a child's death by signal on as 128+sig).  A
 * limit of the whole run hit is the status even when the run ended by
 * itself (its shell gave up on a fork, its make on a killed compiler). */
static int end_signal(const struct box *b, const struct live *l,
		      struct sandbox_result *r)
{
	int ws = l->p.status;

	if (l->timed_out)
		r->status = -2;
	else if (l->capped)
		r->status = -3;
	else if (l->interrupted)
		r->status = -4;
	else if (b->lim.procs_hit)
		r->status = -5;
	else if (b->lim.memory_hit)
		r->status = -6;
	else
		r->status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	if (r->status < 0)
		return 0;
	if (WIFSIGNALED(ws))
		return WTERMSIG(ws);
	return r->status > 128 && r->status < 128 + 65 ? r->status - 128 : 0;
}

/* "printed more than" 1 MiB ""; "used more than" 1 GiB " of memory" */
static char *size_reason(const char *what, unsigned long long bytes,
			 const char *tail)
{
	char *size = sandbox_size_str(bytes);
	char *s = xasprintf("%s %s%s", what, size, tail);

	free(size);
	return s;
}

static void judge(const struct box *b, const struct live *l,
		  struct sandbox_result *r)
{
	const struct sandbox_opts *o = b->o;
	int sig = end_signal(b, l, r);
	const char *out = l->output.buf;
	bool as_hit = r->status > 0 && runlimits_ran_out(&b->lim, out);

	r->cpu_limit = sig == SIGXCPU ||
		(r->status > 0 && strstr(out, "CPU time limit exceeded"));
	r->file_limit = sig == SIGXFSZ ||
		(r->status > 0 && strstr(out, "File size limit exceeded"));
	r->setup_failed = b->bwrap && r->status == 1 &&
		!strstr(l->json.buf, "\"exit-code\"");
	r->procs_limit = b->lim.procs_hit;
	r->memory_limit = b->lim.memory_hit || as_hit;
	r->timed_out = l->timed_out;
	r->output_capped = l->capped;
	r->interrupted = l->interrupted;
	if (r->timed_out) {
		r->reason = xasprintf("did not finish in %g s", o->timeout > 0 ?
				      o->timeout : DEFAULT_TIMEOUT);
	} else if (r->output_capped) {
		r->reason = size_reason("printed more than", l->cap, "");
	} else if (r->interrupted) {
		r->reason = xstrdup("interrupted");
	} else if (r->setup_failed) {             /* bwrap's own words */
		const char *msg = strstr(out, "bwrap: ");

		r->reason = xasprintf("the sandbox could not run '%s': %.*s",
				      o->argv[0], msg ? (int)strcspn(msg, "\n") : 5,
				      msg ? msg : "bwrap");
	} else if (r->procs_limit) {
		r->reason = xasprintf("tried to run more than %u processes at "
				      "once", o->max_procs ? o->max_procs :
				      SANDBOX_MAX_PROCS);
	} else if (b->lim.memory_hit) {
		r->reason = size_reason("used more than", o->memory_total_bytes
					?: SANDBOX_MEMORY_TOTAL, " of memory");
	} else if (as_hit) {
		r->reason = size_reason("a process used more than",
					b->lim.as_bytes, " of memory");
	} else if (r->cpu_limit && o->cpu_seconds > 0) {
		r->reason = xasprintf("used more than %g s of CPU", o->cpu_seconds);
	} else if (r->file_limit && o->file_bytes) {
		r->reason = size_reason("wrote a file larger than",
					o->file_bytes, "");
	} else if (sig) {
		r->reason = xasprintf("killed by signal %d (%s)", sig, strsignal(sig));
	} else if (r->status != 0) {
		r->reason = xasprintf("exit %d", r->status);
	}
}

/* What held the limits of the whole run, and what it used of them. */
static void record_limits(const struct box *b, struct sandbox_result *r)
{
	const struct runlimits *lim = &b->lim;

	if (!lim->text)
		return;
	r->limits = xstrdup(lim->text);
	r->procs_via = lim->procs_via;
	r->memory_via = lim->memory_via;
	r->uid = b->uid ? b->uid : geteuid();
	for (size_t i = 0; i < lim->ngroups; i++)
		r->cgroups[i] = xstrdup(lim->group[i].dir);
	r->procs_peak = lim->procs_peak;
	r->memory_peak = lim->memory_peak;
}

/* The run, reporting its failures as events unless `quiet`. */
static int run(const struct sandbox_opts *o, struct sandbox_result *r,
	       bool quiet)
{
	struct live l = { .out = -1, .status = -1 };
	struct box b;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	sb_init(&l.output);
	sb_init(&l.json);
	l.cap = o->output_cap ? o->output_cap : DEFAULT_CAP;
	if (prepare(&b, o, r) < 0 || start(&b, &l, r) < 0)
		goto out;
	watch(&l, &b.lim, l.p.started + (o->timeout > 0 ? o->timeout :
					 DEFAULT_TIMEOUT));
	if (l.limited)
		runlimits_kill(&b.lim);
	proc_kill_group(&l.p, l.p.exited || l.limited ? 0.5 : 1.0);
	drain_status(&l);
	wait_namespace(&l);
	runlimits_end(&b.lim);
	r->seconds = now_monotonic() - l.p.started;
	judge(&b, &l, r);
	rc = r->setup_failed ? -1 : 0;
out:
	runlimits_end(&b.lim);
	record_limits(&b, r);
	if (rc < 0)
		r->status = -1, r->setup_failed = true;
	if (l.out >= 0)
		close(l.out);
	if (l.status >= 0)
		close(l.status);
	r->output = sb_detach(&l.output, &r->output_len);
	sb_release(&l.json);
	box_free(&b);
	if (rc < 0 && !quiet)
		error("%s", r->reason);
	return rc;
}

int sandbox_run(const struct sandbox_opts *o, struct sandbox_result *r)
{
	return run(o, r, false);
}

void sandbox_result_free(struct sandbox_result *r)
{
	free(r->output);
	free(r->reason);
	free(r->limits);
	free(r->cgroups[0]);
	free(r->cgroups[1]);
	memset(r, 0, sizeof(*r));
}

/* Why `true` did not run: a known switch that turns user namespaces off,
 * with bwrap's own words. */
static char *explain(const struct sandbox_result *r)
{
	static const struct { const char *file, *name, *off, *what; } knobs[] = {
		{ "/proc/sys/user/max_user_namespaces",
		  "user.max_user_namespaces", "0", "disabled" },
		{ "/proc/sys/kernel/unprivileged_userns_clone",
		  "kernel.unprivileged_userns_clone", "0", "disabled" },
		{ "/proc/sys/kernel/apparmor_restrict_unprivileged_userns",
		  "kernel.apparmor_restrict_unprivileged_userns", "1",
		  "restricted by AppArmor" },
	};
	const char *said = r->reason ? r->reason : "it failed";

	for (size_t i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		char *v = NULL;
		size_t len;
		bool off = fs_read_file(knobs[i].file, &v, &len) == 0 &&
			   !strncmp(v, knobs[i].off, 1) && v[1] == '\n';

		free(v);
		if (off)
			return xasprintf("user namespaces are %s: %s is %s (%s)",
					 knobs[i].what, knobs[i].name,
					 knobs[i].off, said);
	}
	return xstrdup(said);
}

int sandbox_probe(char **why)
{
	char dir[] = "/tmp/labkit-sandbox-probe.XXXXXX";
	char *argv[] = { "true", NULL };
	struct sandbox_opts o = { .argv = argv, .rw_dir = dir, .timeout = 30 };
	struct sandbox_result r;
	char *bwrap = find_bwrap();
	int rc;

	*why = NULL;
	if (!bwrap) {
		*why = xstrdup("bwrap is not installed (Debian package bubblewrap)");
		return -1;
	}
	free(bwrap);
	if (!mkdtemp(dir)) {
		*why = xasprintf("cannot create '%s': %s", dir, strerror(errno));
		return -1;
	}
	rc = run(&o, &r, true);
	if (rc == 0 && r.status != 0)
		rc = -1;
	if (rc < 0)
		*why = explain(&r);
	sandbox_result_free(&r);
	fs_remove_tree(dir);
	return rc;
}
