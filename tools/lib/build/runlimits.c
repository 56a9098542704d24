/*
 * runlimits.c — what a sandboxed command may use: each of its processes
 * (resource limits set before exec: no core, 1024 files, CPU, address
 * space, file size) and all of them together (so many processes at once,
 * so much memory), so that a submission's fork storm or memory hog ends
 * at its own limits, not the grading machine's.
 *
 * The limits of the whole run are held by the first of these the host
 * lets us use, found by trying (never by the distribution's name):
 *  - cgroup v2: a group labkit-<pid>-<n> under the nearest group, ours or
 *    above it, that hands pids and memory down and takes a group of ours
 *    (root on a pure v2 host, or a delegated subtree): pids.max,
 *    memory.max, memory.swap.max 0, memory.oom.group;
 *  - cgroup v1: a group under ours in the pids and in the memory
 *    hierarchy: pids.max, memory.limit_in_bytes (and memsw, swappiness 0);
 *  - else RLIMIT_NPROC, which counts the processes of a real uid: when we
 *    are root the run gets a uid of its own (RUNLIMITS_UID_BASE + a slot
 *    locked in RUNLIMITS_LOCK_DIR), so that concurrent runs do not share one
 *    count; otherwise it is ours, and our other processes count too (a
 *    weak limit, and l->text says so); root without a change of user has
 *    none.  The memory total becomes each process's RLIMIT_AS.
 * proc_spawn()'s child writes itself into the groups before exec, so all
 * it starts is in them; a throwaway child proves a group joinable first.
 *
 * A hit is read from pids.events (max) and memory.events or
 * memory.oom_control (oom_kill); with RLIMIT_NPROC, from the uid's count
 * of processes reaching the limit.  The end kills whatever is left
 * (cgroup.kill, each listed process through a pidfd, or kill(-1) from a
 * child that took the run's uid) until nothing is, then removes the
 * groups.  Never kills by name.
 *
 * Failures: none is an error.  What cannot be set up is not used (the next
 * mechanism is tried); a group that cannot be removed is a warning.
 */
#include "runlimits.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define OPEN_FILES 1024
#define KILL_SECONDS 5.0
#define RMDIR_SECONDS 2.0
#define COUNT_EVERY 0.25          /* seconds between counts of a uid's */

enum { ROLE_PROCS = 1, ROLE_MEMORY = 2 };

/* Writes `value` to dir/name: 0, or -1 with errno. */
static int put(const char *dir, const char *name, const char *value)
{
	char *path = xasprintf("%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CLOEXEC), rc = -1, err;

	if (fd >= 0) {
		rc = fs_write_all(fd, value, strlen(value));
		err = errno;
		if (close(fd) < 0 && rc == 0)
			rc = -1, err = errno;
		errno = err;
	}
	free(path);
	return rc;
}

/* dir/name, whole; NULL when it cannot be read. */
static char *get(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name), *data = NULL;
	size_t len;

	if (fs_read_file(path, &data, &len) < 0)
		data = NULL;
	free(path);
	return data;
}

/* The number dir/name holds, or after `key` on a line of it ("max 3",
 * "oom_kill 1"); 0 when it is not there. */
static unsigned long long number(const char *dir, const char *name,
				 const char *key)
{
	char *text = get(dir, name);
	size_t k = key ? strlen(key) : 0;
	unsigned long long n = 0;

	for (const char *s = text; s && *s; s += strcspn(s, "\n"),
	     s += *s == '\n')
		if (!key || (!strncmp(s, key, k) && s[k] == ' ')) {
			n = strtoull(s + k, NULL, 10);
			break;
		}
	free(text);
	return n;
}

/* Is `word` one of the words of `list`, split at any of `seps`? */
static bool has_word(const char *list, const char *word, const char *seps)
{
	size_t k = strlen(word);

	while (list && *list) {
		size_t n = strcspn(list, seps);

		if (n == k && !strncmp(list, word, k))
			return true;
		list += n + (list[n] != '\0');
	}
	return false;
}

/* Our group, from /proc/self/cgroup: in the v1 hierarchy of controller
 * `ctrl`, or in cgroup v2 when NULL.  NULL when there is none. */
static char *self_group(const char *ctrl)
{
	char *text = NULL, *save = NULL, *found = NULL;
	size_t len;

	if (fs_read_file("/proc/self/cgroup", &text, &len) < 0)
		return NULL;
	for (char *s = strtok_r(text, "\n", &save); s && !found;
	     s = strtok_r(NULL, "\n", &save)) {
		char *ctrls = strchr(s, ':'), *path;

		if (!ctrls || !(path = strchr(ctrls + 1, ':')))
			continue;
		*ctrls++ = '\0';
		*path++ = '\0';
		if (ctrl ? has_word(ctrls, ctrl, ",") :
			   !strcmp(s, "0") && !*ctrls)
			found = xstrdup(path);
	}
	free(text);
	return found;
}

/* Group `path` in the file system, where its hierarchy is mounted (the
 * v1 one with `ctrl` among its options, or cgroup2 when NULL); NULL when
 * it is not.  *mnt: the mount's own directory. */
static char *group_dir(const char *ctrl, const char *path, char **mnt)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL, *dir = NULL;
	size_t cap = 0;

	while (f && !dir && getline(&line, &cap, f) > 0) {
		char root[PATH_MAX], at[PATH_MAX], type[32], opts[512];
		const char *sep = strstr(line, " - "), *rest;
		size_t n;

		if (!sep ||
		    sscanf(line, "%*s %*s %*s %4095s %4095s", root, at) != 2 ||
		    sscanf(sep + 3, "%31s %*s %511s", type, opts) != 2 ||
		    strcmp(type, ctrl ? "cgroup" : "cgroup2") ||
		    (ctrl && !has_word(opts, ctrl, ",")))
			continue;
		n = strcmp(root, "/") ? strlen(root) : 0;
		rest = path + n;
		if (strncmp(path, root, n) || (*rest && *rest != '/'))
			continue;
		dir = xasprintf("%s%s", at, strcmp(rest, "/") ? rest : "");
		*mnt = xstrdup(at);
	}
	free(line);
	if (f)
		fclose(f);
	return dir;
}

/* A fresh group labkit-<pid>-<n> under `base`, or NULL. */
static char *make_group(const char *base)
{
	for (unsigned n = 1; n <= 1000; n++) {
		char *dir = xasprintf("%s/labkit-%d-%u", base, (int)getpid(),
				      n);

		if (mkdir(dir, 0755) == 0)
			return dir;
		free(dir);
		if (errno != EEXIST)
			break;
	}
	return NULL;
}

/* The group's limits; the knobs after the first of each role are kept
 * where the kernel has them (swap, OOM as a group). */
static int configure(const struct runlimits_group *g,
		     const struct runlimits_opts *o)
{
	char procs[32], bytes[32];
	bool v2 = g->version == 2;

	snprintf(procs, sizeof(procs), "%u", o->max_procs);
	snprintf(bytes, sizeof(bytes), "%llu", o->memory_total);
	if ((g->roles & ROLE_PROCS) && put(g->dir, "pids.max", procs) < 0)
		return -1;
	if (!(g->roles & ROLE_MEMORY))
		return 0;
	if (put(g->dir, v2 ? "memory.max" : "memory.limit_in_bytes", bytes) < 0)
		return -1;
	if (v2) {
		put(g->dir, "memory.swap.max", "0");
		put(g->dir, "memory.oom.group", "1");
	} else {
		put(g->dir, "memory.memsw.limit_in_bytes", bytes);
		put(g->dir, "memory.swappiness", "0");
	}
	return 0;
}

/* Can a child of ours move itself there?  A throwaway `true` tries, the
 * way proc_spawn() will. */
static bool joinable(char *procs)
{
	char *argv[] = { "true", NULL }, *cgroups[] = { procs, NULL };
	struct proc_opts po = { .argv = argv, .tty = -1, .in = -1, .out = -1,
				.cgroups = cgroups, .close_fds = true };
	struct proc p;

	if (proc_spawn(&p, &po) < 0)
		return false;
	if (proc_wait(&p, now_monotonic() + 5) != 1) {
		proc_kill_group(&p, 0);
		return false;
	}
	return WIFEXITED(p.status) && WEXITSTATUS(p.status) == 0;
}

/* A group of ours under `base` holding `roles`, its limits set and proven
 * joinable: 0, or -1 with nothing left of it. */
static int add_group(struct runlimits *l, const char *base, int version,
		     unsigned roles, const struct runlimits_opts *o)
{
	struct runlimits_group g = { make_group(base), version, roles };
	char *procs;

	if (!g.dir)
		return -1;
	procs = xasprintf("%s/cgroup.procs", g.dir);
	if (configure(&g, o) == 0 && joinable(procs)) {
		l->join[l->ngroups] = procs;
		l->group[l->ngroups++] = g;
		return 0;
	}
	rmdir(g.dir);
	free(g.dir);
	free(procs);
	return -1;
}

/* cgroup v2: the nearest group, ours or above, that hands the controllers
 * of `roles` down (its cgroup.subtree_control) and takes a group of ours. */
static bool try_v2(struct runlimits *l, const struct runlimits_opts *o,
		   unsigned roles)
{
	char *self = self_group(NULL), *mnt = NULL;
	char *base = self ? group_dir(NULL, self, &mnt) : NULL;
	bool ok = false;

	while (base && !ok) {
		char *ctl = get(base, "cgroup.subtree_control"), *up;
		bool hands = ctl && (!(roles & ROLE_PROCS) ||
				     has_word(ctl, "pids", " \n")) &&
			     (!(roles & ROLE_MEMORY) ||
			      has_word(ctl, "memory", " \n"));

		ok = hands && add_group(l, base, 2, roles, o) == 0;
		free(ctl);
		up = strrchr(base, '/');
		if (!strcmp(base, mnt) || !up || up == base)
			break;
		*up = '\0';
	}
	free(base);
	free(mnt);
	free(self);
	return ok;
}

/* cgroup v1: a group under ours in the hierarchy of `ctrl`. */
static bool try_v1(struct runlimits *l, const struct runlimits_opts *o,
		   const char *ctrl, unsigned role)
{
	char *self = self_group(ctrl), *mnt = NULL;
	char *base = self ? group_dir(ctrl, self, &mnt) : NULL;
	bool ok = base && add_group(l, base, 1, role, o) == 0;

	free(base);
	free(mnt);
	free(self);
	return ok;
}

/* The live processes (not zombies) whose real uid is `uid`, from /proc;
 * -1 when /proc cannot be read. */
static int count_uid(uid_t uid)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char path[300], buf[1024];
		const char *state, *ids;
		ssize_t len;
		int fd;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/status", de->d_name);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		do
			len = read(fd, buf, sizeof(buf) - 1);
		while (len < 0 && errno == EINTR);
		close(fd);
		buf[len > 0 ? len : 0] = '\0';
		state = strstr(buf, "\nState:\t");
		ids = strstr(buf, "\nUid:\t");
		if (state && ids && state[8] != 'Z' && state[8] != 'X' &&
		    strtoul(ids + 6, NULL, 10) == uid)
			n++;
	}
	closedir(d);
	return n;
}

/* Is `uid` in a range of /etc/subuid ("name:first:count" lines)? */
static bool subordinate(const char *subuid, uid_t uid)
{
	for (const char *s = subuid; s && *s; s += strcspn(s, "\n"),
	     s += *s == '\n') {
		unsigned long long first, count;

		if (sscanf(s, "%*[^:\n]:%llu:%llu", &first, &count) == 2 &&
		    uid >= first && uid - first < count)
			return true;
	}
	return false;
}

/* Our lock on `uid`'s slot, or -1 when another run holds it. */
static int lock_slot(uid_t uid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), RUNLIMITS_LOCK_DIR "/uid-%u.lock",
		 (unsigned)uid);
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* A uid of the run's own: the first slot whose lock is ours, that no
 * account, subordinate range or live process has.  Only root's (the lock
 * directory is root's alone). */
static int claim_uid(struct runlimits *l)
{
	char *subuid = NULL;
	struct stat st;
	size_t len;

	if (mkdir(RUNLIMITS_LOCK_DIR, 0700) < 0 && errno != EEXIST)
		return -1;
	if (lstat(RUNLIMITS_LOCK_DIR, &st) < 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != 0 || (st.st_mode & 022))
		return -1;
	if (fs_read_file("/etc/subuid", &subuid, &len) < 0)
		subuid = NULL;
	for (unsigned s = 0; s < RUNLIMITS_UID_SLOTS && l->slot_fd < 0; s++) {
		uid_t uid = RUNLIMITS_UID_BASE + s;
		int fd;

		if (subordinate(subuid, uid) || getpwuid(uid) ||
		    (fd = lock_slot(uid)) < 0)
			continue;
		if (count_uid(uid) != 0) {
			close(fd);
			continue;
		}
		l->slot_fd = fd;
		l->uid = uid;
	}
	free(subuid);
	return l->slot_fd >= 0 ? 0 : -1;
}

/* RLIMIT_NPROC: on a uid of the run's own when we are root and it changes
 * user; on ours, above what already runs as us, when we are not root;
 * root keeping its uid is not held by it at all. */
static void try_nproc(struct runlimits *l, const struct runlimits_opts *o)
{
	int n;

	if (geteuid() == 0) {
		if (!o->own_uid || claim_uid(l) < 0)
			return;
		l->nproc = o->max_procs;
		l->count_uid = l->uid;
	} else {
		if ((n = count_uid(getuid())) < 0)
			return;
		l->nproc = (unsigned long)n + o->max_procs;
		l->count_uid = getuid();
	}
	l->procs_via = RUNLIMITS_RLIMIT;
}

static void add_rl(struct runlimits *l, int resource, rlim_t soft, rlim_t hard)
{
	l->rl[l->nrl++] = (struct proc_limit){ resource, soft, hard };
}

/* Each process's: the caller's, RLIMIT_AS down to the memory total when
 * no cgroup holds it, RLIMIT_NPROC when chosen. */
static void make_rlimits(struct runlimits *l, const struct runlimits_opts *o,
			 unsigned via)
{
	unsigned long long as = o->memory_bytes;

	add_rl(l, RLIMIT_CORE, 0, 0);
	add_rl(l, RLIMIT_NOFILE, OPEN_FILES, OPEN_FILES);
	if (o->cpu_seconds > 0) {
		rlim_t s = (rlim_t)o->cpu_seconds;

		s += (double)s < o->cpu_seconds;
		/* SIGXCPU at the soft limit, SIGKILL at the hard one. */
		add_rl(l, RLIMIT_CPU, s, s + 5);
	}
	if (o->memory_total && !l->memory_via && (via & RUNLIMITS_RLIMIT)) {
		if (!as || o->memory_total < as)
			as = o->memory_total;
		l->memory_via = RUNLIMITS_RLIMIT;
	}
	if (as)
		add_rl(l, RLIMIT_AS, as, as);
	l->as_bytes = as;
	if (o->file_bytes)
		add_rl(l, RLIMIT_FSIZE, o->file_bytes, o->file_bytes);
	if (l->nproc)
		add_rl(l, RLIMIT_NPROC, l->nproc, l->nproc);
}

/* "cgroup v1 pids+memory", "rlimit nproc (uid 2000000000), rlimit as
 * (each process)". */
static char *describe(const struct runlimits *l)
{
	static const char *const cg[] = { [RUNLIMITS_CGROUP2] = "cgroup v2",
					  [RUNLIMITS_CGROUP1] = "cgroup v1" };
	unsigned p = l->procs_via, m = l->memory_via;
	struct sb sb;

	sb_init(&sb);
	if (p == m && p != RUNLIMITS_RLIMIT && p)
		sb_addf(&sb, "%s pids+memory", cg[p]);
	else if (p == RUNLIMITS_RLIMIT)
		sb_addf(&sb, "rlimit nproc (uid %u%s)", (unsigned)l->count_uid,
			l->uid ? "" : ", with its other processes");
	else if (p)
		sb_addf(&sb, "%s pids", cg[p]);
	else
		sb_adds(&sb, "no process limit");
	if (p == m && p != RUNLIMITS_RLIMIT && p)
		return sb_detach(&sb, NULL);
	if (m == RUNLIMITS_RLIMIT)
		sb_adds(&sb, ", rlimit as (each process)");
	else if (m)
		sb_addf(&sb, ", %s memory", cg[m]);
	else
		sb_adds(&sb, ", no memory limit");
	return sb_detach(&sb, NULL);
}

void runlimits_setup(struct runlimits *l, const struct runlimits_opts *o)
{
	unsigned via = o->via ? o->via : RUNLIMITS_ANY;
	unsigned want = (o->max_procs ? ROLE_PROCS : 0) |
			(o->memory_total ? ROLE_MEMORY : 0);

	memset(l, 0, sizeof(*l));
	l->slot_fd = -1;
	if (want && (via & RUNLIMITS_CGROUP2) && try_v2(l, o, want)) {
		l->procs_via = want & ROLE_PROCS ? RUNLIMITS_CGROUP2 : 0;
		l->memory_via = want & ROLE_MEMORY ? RUNLIMITS_CGROUP2 : 0;
	}
	if ((want & ROLE_PROCS) && !l->procs_via &&
	    (via & RUNLIMITS_CGROUP1) && try_v1(l, o, "pids", ROLE_PROCS))
		l->procs_via = RUNLIMITS_CGROUP1;
	if ((want & ROLE_MEMORY) && !l->memory_via &&
	    (via & RUNLIMITS_CGROUP1) && try_v1(l, o, "memory", ROLE_MEMORY))
		l->memory_via = RUNLIMITS_CGROUP1;
	if ((want & ROLE_PROCS) && !l->procs_via && (via & RUNLIMITS_RLIMIT))
		try_nproc(l, o);
	make_rlimits(l, o, via);
	l->text = describe(l);
}

bool runlimits_ran_out(const struct runlimits *l, const char *output)
{
	static const char *const says[] = {
		"memory exhausted", "out of memory", "Cannot allocate memory",
		"cannot allocate", "MemoryError",
	};

	for (size_t i = 0; i < sizeof(says) / sizeof(says[0]); i++)
		if (l->as_bytes && strstr(output, says[i]))
			return true;
	return false;
}

bool runlimits_check(struct runlimits *l)
{
	for (size_t i = 0; i < l->ngroups && !l->killed; i++) {
		const struct runlimits_group *g = &l->group[i];

		if ((g->roles & ROLE_PROCS) &&
		    number(g->dir, "pids.events", "max") > 0)
			l->procs_hit = true;
		if ((g->roles & ROLE_MEMORY) &&
		    number(g->dir, g->version == 2 ? "memory.events" :
			   "memory.oom_control", "oom_kill") > 0)
			l->memory_hit = true;
	}
	if (!l->killed && l->procs_via == RUNLIMITS_RLIMIT &&
	    now_monotonic() >= l->next_count) {
		l->next_count = now_monotonic() + COUNT_EVERY;
		if (count_uid(l->count_uid) >= (int)l->nproc)
			l->procs_hit = true;
	}
	return l->procs_hit || l->memory_hit;
}

/* Is `pid` on a line of a cgroup.procs text? */
static bool listed(const char *procs, pid_t pid)
{
	for (const char *s = procs; s && *s; s += strcspn(s, "\n"),
	     s += *s == '\n')
		if (strtol(s, NULL, 10) == pid)
			return true;
	return false;
}

/* SIGKILL to every process dir/cgroup.procs lists, through a pidfd opened
 * before the list is read again: a pid that died and was reused outside
 * the group is never hit.  The number listed. */
static size_t kill_listed(const char *dir)
{
	char *procs = get(dir, "cgroup.procs"), *again;
	int *fds = NULL;
	pid_t *pids = NULL;
	size_t n = 0, cap = 0;

	for (const char *s = procs; s && *s; s += strcspn(s, "\n"),
	     s += *s == '\n') {
		ARRAY_PUSH(pids, n, cap);
		pids[n++] = (pid_t)strtol(s, NULL, 10);
	}
	fds = xcalloc(n + 1, sizeof(*fds));
	for (size_t i = 0; i < n; i++)
		fds[i] = pids[i] > 0 ? (int)syscall(SYS_pidfd_open, pids[i], 0) :
				       -1;
	again = get(dir, "cgroup.procs");
	for (size_t i = 0; i < n; i++) {
		if (fds[i] >= 0 && listed(again, pids[i]))
			syscall(SYS_pidfd_send_signal, fds[i], SIGKILL, NULL, 0);
		if (fds[i] >= 0)
			close(fds[i]);
	}
	free(again);
	free(fds);
	free(pids);
	free(procs);
	return n;
}

/* Every process of the run's own uid, from a child that takes that uid
 * for good: kill(-1) then reaches exactly the processes of that uid.  It
 * checks first that it can no longer signal init, as root could. */
static void kill_uid(uid_t uid)
{
	pid_t pid;

	if (uid < RUNLIMITS_UID_BASE)
		return;
	pid = fork();
	if (pid == 0) {
		if (setresuid(uid, uid, uid) == 0 && getuid() == uid &&
		    geteuid() == uid && kill(1, 0) < 0 && errno == EPERM)
			kill(-1, SIGKILL);
		_exit(0);
	}
	while (pid > 0 && waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

void runlimits_kill(struct runlimits *l)
{
	double end = now_monotonic() + KILL_SECONDS;
	bool left = true;

	l->killed = true;
	for (size_t i = 0; i < l->ngroups; i++) {
		/* No more forks, then all at once where the kernel can. */
		if (l->group[i].roles & ROLE_PROCS)
			put(l->group[i].dir, "pids.max", "0");
		if (l->group[i].version == 2)
			put(l->group[i].dir, "cgroup.kill", "1");
	}
	while (left && now_monotonic() < end) {
		left = false;
		for (size_t i = 0; i < l->ngroups; i++)
			left |= kill_listed(l->group[i].dir) > 0;
		if (l->uid) {
			kill_uid(l->uid);
			left |= count_uid(l->uid) > 0;
		}
		if (left)
			poll(NULL, 0, 10);
	}
}

/* rmdir, again while the last of it is being torn down (EBUSY). */
static void remove_group(const char *dir)
{
	double end = now_monotonic() + RMDIR_SECONDS;
	int rc;

	while ((rc = rmdir(dir)) < 0 && errno == EBUSY && now_monotonic() < end)
		poll(NULL, 0, 10);
	if (rc < 0 && errno != ENOENT)
		warning("cannot remove the cgroup '%s': %m", dir);
}

void runlimits_end(struct runlimits *l)
{
	if (l->ended || !l->text)        /* done, or never set up */
		return;
	l->ended = true;
	runlimits_check(l);
	runlimits_kill(l);
	for (size_t i = 0; i < l->ngroups; i++) {
		const struct runlimits_group *g = &l->group[i];
		const char *peak = g->version == 2 ? "memory.peak" :
				   "memory.max_usage_in_bytes";

		if (g->roles & ROLE_PROCS)
			l->procs_peak = (unsigned)number(g->dir, "pids.peak",
							 NULL);
		if (g->roles & ROLE_MEMORY)
			l->memory_peak = number(g->dir, peak, NULL);
		remove_group(g->dir);
	}
	if (l->slot_fd >= 0)
		close(l->slot_fd);
	l->slot_fd = -1;
}

void runlimits_free(struct runlimits *l)
{
	runlimits_end(l);
	for (size_t i = 0; i < l->ngroups; i++) {
		free(l->group[i].dir);
		free(l->join[i]);
	}
	free(l->text);
	memset(l, 0, sizeof(*l));
	l->slot_fd = -1;
	l->ended = true;
}
