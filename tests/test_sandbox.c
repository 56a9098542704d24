/* test_sandbox.c — real commands in bubblewrap: what they cannot reach
 * (files outside rw_dir, hidden directories, /root, the network, our
 * descriptors), who they run as, and the limits that end them (output
 * cap, deadline, CPU, file size), leaving nothing behind; the unsandboxed
 * mode keeps the limits.  The limits of a whole run (processes at once,
 * memory) under each mechanism this host has — cgroup v2, cgroup v1,
 * RLIMIT_NPROC/RLIMIT_AS — the best chosen by default: a fork storm and a
 * memory hog stopped with their reason and nothing of them left, a normal
 * build passing, concurrent runs counted apart.  Exits 77 when no sandbox
 * can be set up here. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "events.h"
#include "proc.h"
#include "sandbox.h"
#include "util.h"

/* A temporary directory: rw/ (the writable one), secret/ (never bound),
 * ro/ (bound read-only) with ro/secret/ hidden. */
struct fixture {
	char base[64];
	char *rw, *secret, *ro, *ro_secret;
	char *const *argv;
	struct sandbox_opts o;
	struct sandbox_result r;
};

static void write_file(const char *path, const char *text)
{
	assert_int_equal(fs_write_atomic(path, text, strlen(text)), 0);
}

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	char *path;

	strcpy(f->base, "/tmp/labkit-test-sandbox.XXXXXX");
	assert_non_null(mkdtemp(f->base));
	chmod(f->base, 0755);
	f->rw = xasprintf("%s/rw", f->base);
	f->secret = xasprintf("%s/secret", f->base);
	f->ro = xasprintf("%s/ro", f->base);
	f->ro_secret = xasprintf("%s/ro/secret", f->base);
	assert_int_equal(fs_mkdirs(f->rw, 0755), 0);
	assert_int_equal(fs_mkdirs(f->secret, 0755), 0);
	assert_int_equal(fs_mkdirs(f->ro_secret, 0755), 0);
	path = xasprintf("%s/s.txt", f->secret);
	write_file(path, "labkit-secret-outside\n");
	free(path);
	path = xasprintf("%s/s.txt", f->ro_secret);
	write_file(path, "labkit-secret-hidden\n");
	free(path);
	path = xasprintf("%s/visible.txt", f->ro);
	write_file(path, "labkit-visible\n");
	free(path);
	f->o.rw_dir = f->rw;
	f->o.timeout = 60;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	sandbox_result_free(&f->r);
	fs_remove_tree(f->base);
	free(f->rw);
	free(f->secret);
	free(f->ro);
	free(f->ro_secret);
	free(f);
	return 0;
}

/* Runs `sh -c script` (printf-formatted) with f->o; sandbox_run's value. */
static int sh(struct fixture *f, const char *fmt, ...) PRINTF_LIKE(2, 3);
static int sh(struct fixture *f, const char *fmt, ...)
{
	char *argv[] = { "sh", "-c", NULL, NULL };
	struct sb script;
	va_list ap;
	int rc;

	sb_init(&script);
	va_start(ap, fmt);
	sb_vaddf(&script, fmt, ap);
	va_end(ap);
	argv[2] = script.buf;
	f->o.argv = argv;
	sandbox_result_free(&f->r);
	rc = sandbox_run(&f->o, &f->r);
	f->o.argv = NULL;
	sb_release(&script);
	return rc;
}

static bool exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static void cannot_write_outside_rw_dir(void **state)
{
	struct fixture *f = *state;
	char *in_tmp = xasprintf("/tmp/labkit-escape-%d", (int)getpid());
	char *in_parent = xasprintf("%s/escape", f->base);
	char *ok = xasprintf("%s/ok", f->rw), *msg;
	struct stat st;

	assert_int_equal(sh(f, "echo in > ok; echo x > %s; echo x > %s; "
			    "echo x > /usr/escape-%d; echo x > /escape; exit 0",
			    in_tmp, in_parent, (int)getpid()), 0);
	assert_int_equal(f->r.status, 0);
	msg = xasprintf("%s: Read-only file system", in_tmp);
	assert_non_null(strstr(f->r.output, msg));
	free(msg);
	msg = xasprintf("%s: Read-only file system", in_parent);
	assert_non_null(strstr(f->r.output, msg));
	free(msg);
	assert_false(exists(in_tmp));
	assert_false(exists(in_parent));
	assert_int_equal(stat(ok, &st), 0);
	if (geteuid() == 0)
		assert_int_equal(st.st_uid, SANDBOX_UID);
	free(ok);
	free(in_parent);
	free(in_tmp);
}

/* A file outside rw_dir: not there at all; under a read-only directory
 * but hidden: an empty directory; the unsandboxed control reads both. */
static void cannot_read_outside_or_hidden(void **state)
{
	struct fixture *f = *state;
	const char *ro[] = { f->ro, NULL }, *hide[] = { f->ro_secret, NULL };
#define READ_ALL "cat %s/s.txt; cat %s/visible.txt; cat %s/s.txt; " \
		 "ls -A %s; exit 0", f->secret, f->ro, f->ro_secret, f->ro_secret

	f->o.ro_dirs = ro;
	f->o.hide = hide;
	assert_int_equal(sh(f, READ_ALL), 0);
	assert_non_null(strstr(f->r.output, "labkit-visible"));
	assert_null(strstr(f->r.output, "labkit-secret"));
	assert_non_null(strstr(f->r.output, "No such file or directory"));

	f->o.unsandboxed = true;
	assert_int_equal(sh(f, READ_ALL), 0);
#undef READ_ALL
	assert_non_null(strstr(f->r.output, "labkit-secret-outside"));
	assert_non_null(strstr(f->r.output, "labkit-secret-hidden"));
}

static void cannot_see_the_host(void **state)
{
	struct fixture *f = *state;

	assert_true(exists("/root") && exists("/tmp"));
	assert_int_equal(sh(f, "for d in /root /work /home /var /srv /opt "
			    "%s; do [ -e $d ] && echo visible: $d; done; "
			    "ls -A /tmp; echo done", f->base), 0);
	assert_non_null(strstr(f->r.output, "visible: "));  /* base: rw's way */
	assert_null(strstr(f->r.output, "visible: /root"));
	assert_null(strstr(f->r.output, "visible: /work"));
	assert_null(strstr(f->r.output, "visible: /home"));
	assert_null(strstr(f->r.output, "visible: /var"));
	assert_null(strstr(f->r.output, "secret"));
	assert_non_null(strstr(f->r.output, "done"));
}

static void runs_unprivileged(void **state)
{
	struct fixture *f = *state;
	char *uid = xasprintf("uid=%d\n", geteuid() == 0 ? SANDBOX_UID :
			      (int)getuid());

	assert_int_equal(sh(f, "echo uid=$(id -u); cat /etc/shadow >/dev/null"
			    " && echo read-shadow; exit 0"), 0);
	assert_non_null(strstr(f->r.output, uid));
	assert_null(strstr(f->r.output, "uid=0\n"));
	assert_null(strstr(f->r.output, "read-shadow"));
	free(uid);
}

/* A listener on the host's loopback: the sandbox cannot connect (another
 * network namespace), the unsandboxed control can. */
static void has_no_network(void **state)
{
	struct fixture *f = *state;
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	char *script;
	char *argv[] = { "bash", "-c", NULL, NULL };

	assert_true(s >= 0);
	assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(s, 4), 0);
	assert_int_equal(getsockname(s, (struct sockaddr *)&a, &len), 0);
	script = xasprintf("exec 3<>/dev/tcp/127.0.0.1/%d && echo connected",
			   ntohs(a.sin_port));
	argv[2] = script;
	f->o.argv = argv;
	assert_int_equal(sandbox_run(&f->o, &f->r), 0);
	assert_int_not_equal(f->r.status, 0);
	assert_null(strstr(f->r.output, "connected"));
	sandbox_result_free(&f->r);
	f->o.unsandboxed = true;
	assert_int_equal(sandbox_run(&f->o, &f->r), 0);
	assert_int_equal(f->r.status, 0);
	assert_non_null(strstr(f->r.output, "connected"));
	close(s);
	free(script);
}

/* A descriptor of ours without FD_CLOEXEC, on a file outside: closed
 * before the command starts. */
static void inherits_no_descriptors(void **state)
{
	struct fixture *f = *state;
	char *path = xasprintf("%s/s.txt", f->secret);
	int fd = open(path, O_RDONLY);

	assert_true(fd > 2);
	assert_int_equal(sh(f, "cat <&%d; exit 0", fd), 0);
	assert_null(strstr(f->r.output, "labkit-secret"));
	f->o.unsandboxed = true;
	assert_int_equal(sh(f, "cat <&%d; exit 0", fd), 0);
	assert_null(strstr(f->r.output, "labkit-secret"));
	close(fd);
	free(path);
}

static void minimal_environment(void **state)
{
	struct fixture *f = *state;
	char *env[] = { "LABKIT_EXTRA=yes", NULL };
	char *want;

	setenv("LABKIT_LEAK", "leaked", 1);
	f->o.env = env;
	assert_int_equal(sh(f, "env | sort; [ -d \"$TMPDIR\" ] && "
			    "[ -w \"$TMPDIR\" ] && echo tmpdir-ok"), 0);
	want = xasprintf("HOME=%s\n", f->rw);
	assert_non_null(strstr(f->r.output, want));
	assert_non_null(strstr(f->r.output, "PATH=/usr/bin:/bin\n"));
	assert_non_null(strstr(f->r.output, "LANG=C.UTF-8\n"));
	assert_non_null(strstr(f->r.output, "LABKIT_EXTRA=yes\n"));
	assert_non_null(strstr(f->r.output, "tmpdir-ok"));
	assert_null(strstr(f->r.output, "LABKIT_LEAK"));
	unsetenv("LABKIT_LEAK");
	free(want);
}

static void exit_status_and_reason(void **state)
{
	struct fixture *f = *state;
	char *argv[] = { "labkit-no-such-command", NULL };

	assert_int_equal(sh(f, "echo out; exit 3"), 0);
	assert_int_equal(f->r.status, 3);
	assert_string_equal(f->r.reason, "exit 3");
	assert_string_equal(f->r.output, "out\n");
	assert_int_equal(sh(f, "true"), 0);
	assert_int_equal(f->r.status, 0);
	assert_null(f->r.reason);
	sandbox_result_free(&f->r);
	f->o.argv = argv;
	assert_int_equal(sandbox_run(&f->o, &f->r), -1);
	assert_true(f->r.setup_failed);
	assert_non_null(strstr(f->r.reason, "labkit-no-such-command"));
	assert_non_null(strstr(events_last_error(), "labkit-no-such-command"));
}

static void output_cap_kills_it(void **state)
{
	struct fixture *f = *state;

	f->o.output_cap = 64 * 1024;
	assert_int_equal(sh(f, "yes"), 0);
	assert_int_equal(f->r.status, -3);
	assert_true(f->r.output_capped);
	assert_int_equal(f->r.output_len, 64 * 1024);
	assert_string_equal(f->r.reason, "printed more than 64 KiB");
	assert_true(f->r.seconds < 10);
}

static void deadline_kills_it(void **state)
{
	struct fixture *f = *state;

	f->o.timeout = 1;
	assert_int_equal(sh(f, "sleep 100"), 0);
	assert_int_equal(f->r.status, -2);
	assert_true(f->r.timed_out);
	assert_string_equal(f->r.reason, "did not finish in 1 s");
	assert_true(f->r.seconds < 5);
}

static void cpu_limit_kills_it(void **state)
{
	struct fixture *f = *state;

	f->o.cpu_seconds = 1;
	assert_int_equal(sh(f, "while :; do :; done"), 0);
	assert_true(f->r.cpu_limit);
	assert_false(f->r.timed_out);
	assert_string_equal(f->r.reason, "used more than 1 s of CPU");
	assert_true(f->r.seconds < 20);
}

static void file_limit_stops_it(void **state)
{
	struct fixture *f = *state;
	char *big = xasprintf("%s/big", f->rw);
	struct stat st;

	f->o.file_bytes = 1024 * 1024;
	assert_int_equal(sh(f, "head -c 2097152 /dev/zero > big"), 0);
	assert_true(f->r.file_limit);
	assert_string_equal(f->r.reason, "wrote a file larger than 1 MiB");
	assert_int_equal(stat(big, &st), 0);
	assert_true(st.st_size <= 1024 * 1024);
	free(big);
}

/* Live processes whose command line has `arg` as an argument. */
static int count_with_arg(const char *arg)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d))) {
		char *path = xasprintf("/proc/%s/cmdline", de->d_name), *data = NULL;
		size_t len;

		if (de->d_name[0] >= '1' && de->d_name[0] <= '9' &&
		    fs_read_file(path, &data, &len) == 0)
			for (size_t i = 0; i < len; i += strlen(data + i) + 1)
				n += !strcmp(data + i, arg);
		free(data);
		free(path);
	}
	closedir(d);
	return n;
}

/* What it leaves running (in its session, or in a session of its own
 * inside the sandbox) is gone when sandbox_run returns; the count itself
 * sees such a process when there is one. */
static void leaves_nothing_behind(void **state)
{
	struct fixture *f = *state;
	char *mark = xasprintf("1000.%d1", (int)getpid());
	char *mark2 = xasprintf("1000.%d2", (int)getpid());
	char *argv[] = { "sleep", mark, NULL };
	struct proc_opts po = { .argv = argv, .tty = -1, .in = -1, .out = -1 };
	struct proc p;

	assert_int_equal(proc_spawn(&p, &po), 0);
	for (int i = 0; i < 100 && count_with_arg(mark) == 0; i++)
		usleep(10000);
	assert_int_equal(count_with_arg(mark), 1);
	proc_kill_group(&p, 1.0);
	assert_int_equal(count_with_arg(mark), 0);

	assert_int_equal(sh(f, "setsid sleep %s >/dev/null 2>&1 & sleep %s & "
			    "sleep 0.3; echo started", mark, mark2), 0);
	assert_int_equal(f->r.status, 0);
	assert_non_null(strstr(f->r.output, "started"));
	assert_true(f->r.seconds < 5);
	assert_int_equal(count_with_arg(mark), 0);
	assert_int_equal(count_with_arg(mark2), 0);

	f->o.unsandboxed = true;
	assert_int_equal(sh(f, "sleep %s & sleep 0.3; echo started", mark2), 0);
	assert_non_null(strstr(f->r.output, "started"));
	assert_int_equal(count_with_arg(mark2), 0);
	free(mark2);
	free(mark);
}

static void unsandboxed_keeps_the_limits(void **state)
{
	struct fixture *f = *state;
	char *ok = xasprintf("%s/ok", f->rw);

	f->o.unsandboxed = true;
	f->o.timeout = 1;
	assert_int_equal(sh(f, "sleep 100"), 0);
	assert_int_equal(f->r.status, -2);
	assert_string_equal(f->r.reason, "did not finish in 1 s");
	assert_true(f->r.seconds < 5);
	f->o.timeout = 30;
	f->o.output_cap = 1000;
	assert_int_equal(sh(f, "yes"), 0);
	assert_int_equal(f->r.status, -3);
	assert_int_equal(f->r.output_len, 1000);
	assert_string_equal(f->r.reason, "printed more than 1000 bytes");
	f->o.cpu_seconds = 1;
	assert_int_equal(sh(f, "echo x > ok; while :; do :; done"), 0);
	assert_true(f->r.cpu_limit);
	assert_true(exists(ok));
	free(ok);
}

/* The mechanisms that may hold the limits of a whole run, best first. */
static const struct {
	unsigned via;
	const char *name;
} mechanisms[] = {
	{ RUNLIMITS_CGROUP2, "cgroup v2" },
	{ RUNLIMITS_CGROUP1, "cgroup v1" },
	{ RUNLIMITS_RLIMIT, "rlimit" },
};
#define NMECH (sizeof(mechanisms) / sizeof(mechanisms[0]))

/* Does `via` alone hold the processes (or the memory) of a run here? */
static bool holds(struct fixture *f, unsigned via, bool memory)
{
	unsigned saved = f->o.limits_via;
	bool held;

	f->o.limits_via = via;
	assert_int_equal(sh(f, "true"), 0);
	assert_int_equal(f->r.status, 0);
	assert_non_null(f->r.limits);
	held = (memory ? f->r.memory_via : f->r.procs_via) == via;
	for (size_t i = 0; i < NMECH && !held; i++)
		if (mechanisms[i].via == via)
			print_message("%s does not hold the %s here (%s)\n",
				      mechanisms[i].name, memory ? "memory" :
				      "processes", f->r.limits);
	f->o.limits_via = saved;
	return held;
}

/* Live processes (not zombies) whose real uid is `uid`. */
static int count_uid(uid_t uid)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d))) {
		char *path = xasprintf("/proc/%s/status", de->d_name), *data = NULL;
		const char *state, *ids;
		size_t len;

		if (de->d_name[0] >= '1' && de->d_name[0] <= '9' &&
		    fs_read_file(path, &data, &len) == 0 &&
		    (state = strstr(data, "\nState:\t")) &&
		    (ids = strstr(data, "\nUid:\t")) && state[8] != 'Z' &&
		    strtoul(ids + 6, NULL, 10) == uid)
			n++;
		free(data);
		free(path);
	}
	closedir(d);
	return n;
}

/* Nothing of the last run is left: no process with `mark` among its
 * arguments, none of its own uid, none of its cgroups. */
static void nothing_left(const struct fixture *f, const char *mark)
{
	assert_int_equal(count_with_arg(mark), 0);
	if (f->r.uid >= RUNLIMITS_UID_BASE)
		assert_int_equal(count_uid(f->r.uid), 0);
	for (int i = 0; i < 2; i++)
		if (f->r.cgroups[i])
			assert_false(exists(f->r.cgroups[i]));
}

/* The best mechanism this host has holds a run by default, and says so:
 * a group of ours (labkit-<pid>-<n>) run as nobody, or RLIMIT_NPROC on a
 * uid of the run's own from the range (root) or ours. */
static void the_best_mechanism_holds_by_default(void **state)
{
	struct fixture *f = *state;
	char *group = xasprintf("/labkit-%d-", (int)getpid()), *want;
	unsigned best = 0;

	for (size_t i = 0; i < NMECH && !best; i++)
		if (holds(f, mechanisms[i].via, false))
			best = mechanisms[i].via;
	assert_true(holds(f, RUNLIMITS_RLIMIT, false));
	if (geteuid() == 0) {
		assert_in_range(f->r.uid, RUNLIMITS_UID_BASE,
				RUNLIMITS_UID_BASE + RUNLIMITS_UID_SLOTS - 1);
		want = xasprintf("rlimit nproc (uid %u), rlimit as (each process)",
				 (unsigned)f->r.uid);
	} else {
		want = xasprintf("rlimit nproc (uid %u, with its other processes), "
				 "rlimit as (each process)", (unsigned)getuid());
	}
	assert_string_equal(f->r.limits, want);
	assert_null(f->r.cgroups[0]);
	free(want);

	assert_int_equal(sh(f, "true"), 0);
	print_message("here: %s\n", f->r.limits);
	assert_int_equal(f->r.procs_via, best);
	if (best != RUNLIMITS_RLIMIT) {
		assert_non_null(f->r.cgroups[0]);
		assert_non_null(strstr(f->r.cgroups[0], group));
		assert_false(exists(f->r.cgroups[0]));
		assert_int_equal(f->r.uid, geteuid() == 0 ? SANDBOX_UID : geteuid());
		if (f->r.memory_via == best)
			assert_string_equal(f->r.limits, best == RUNLIMITS_CGROUP2 ?
					    "cgroup v2 pids+memory" :
					    "cgroup v1 pids+memory");
	}
	free(group);
}

/* 3000 `sleep 40 &` from bash, which retries a failed fork for seconds:
 * under each mechanism here, stopped at 256 processes with its reason,
 * long before the sleeps end, nothing of it left; unsandboxed too. */
static void a_fork_storm_stops_at_the_process_limit(void **state)
{
	struct fixture *f = *state;
	char *mark = xasprintf("40.%d", (int)getpid());
#define STORM "exec bash -c 'for i in $(seq 3000); do sleep %s & done; wait'"
	int ran = 0;
	bool rlimit = false;

	for (size_t i = 0; i <= NMECH; i++) {
		f->o.unsandboxed = i == NMECH;
		if (i < NMECH && !holds(f, mechanisms[i].via, false))
			continue;
		f->o.limits_via = i < NMECH ? mechanisms[i].via : 0;
		assert_int_equal(sh(f, "true"), 0);
		if (!f->r.procs_via) {
			/* Root keeping its uid: RLIMIT_NPROC does not hold. */
			assert_true(f->o.unsandboxed && geteuid() == 0);
			assert_non_null(strstr(f->r.limits, "no process limit"));
			continue;
		}
		assert_int_equal(sh(f, STORM, mark), 0);
		print_message("%s: %s in %.2f s (%u at most)\n", f->r.limits,
			      f->r.reason, f->r.seconds, f->r.procs_peak);
		assert_int_equal(f->r.status, -5);
		assert_true(f->r.procs_limit);
		assert_string_equal(f->r.reason,
				    "tried to run more than 256 processes at once");
		assert_true(f->r.seconds < 20);
		if (f->r.procs_peak)
			assert_in_range(f->r.procs_peak, 200, 256);
		nothing_left(f, mark);
		rlimit |= f->r.procs_via == RUNLIMITS_RLIMIT && !f->o.unsandboxed;
		ran++;
	}
#undef STORM
	assert_true(rlimit);     /* held everywhere, when nothing better is */
	assert_true(ran > 0);
	free(mark);
}

/* 8 processes of 200 MiB against 512 MiB together: a cgroup stops them
 * with the memory reason, and one process of 600 MiB.  RLIMIT_AS, each
 * process's, cannot see a total: there the one of 600 MiB is stopped and
 * one of 100 MiB is not. */
static void a_memory_hog_stops_at_the_memory_limit(void **state)
{
	struct fixture *f = *state;
	char *mark = xasprintf("40.%d", (int)getpid());
	int ran = 0;

	f->o.memory_total_bytes = 512ULL << 20;
	for (size_t i = 0; i < NMECH; i++) {
		unsigned via = mechanisms[i].via;

		if (!holds(f, via, true))
			continue;
		f->o.limits_via = via;
		assert_int_equal(sh(f, "dd if=/dev/zero of=/dev/null bs=600M "
				    "count=1"), 0);
		assert_true(f->r.memory_limit);
		ran++;
		if (via == RUNLIMITS_RLIMIT) {
			assert_string_equal(f->r.reason, "a process used more "
					    "than 512 MiB of memory");
			assert_int_equal(sh(f, "dd if=/dev/zero of=/dev/null "
					    "bs=100M count=1"), 0);
			assert_int_equal(f->r.status, 0);
			continue;
		}
		assert_int_equal(f->r.status, -6);
		assert_string_equal(f->r.reason, "used more than 512 MiB of memory");
		assert_int_equal(sh(f, "for i in 1 2 3 4 5 6 7 8; do dd "
				    "if=/dev/zero bs=200M count=1 2>/dev/null | "
				    "sleep %s & done; wait", mark), 0);
		print_message("%s: %s in %.2f s (%llu MiB at most)\n",
			      f->r.limits, f->r.reason, f->r.seconds,
			      f->r.memory_peak >> 20);
		assert_int_equal(f->r.status, -6);
		assert_true(f->r.memory_limit);
		assert_false(f->r.procs_limit);
		assert_string_equal(f->r.reason, "used more than 512 MiB of memory");
		assert_true(f->r.seconds < 20);
		if (f->r.memory_peak)
			assert_in_range(f->r.memory_peak, 256ULL << 20, 512ULL << 20);
		nothing_left(f, mark);
	}
	assert_true(ran > 0);
	free(mark);
}

/* A small program built by make -j4 and cc passes under the default
 * limits of each mechanism; a cgroup counted it, within them. */
static void a_normal_build_passes_under_the_limits(void **state)
{
	struct fixture *f = *state;
	int ran = 0;

	for (int i = 0; i < 4; i++) {
		char *c = xasprintf("%s/f%d.c", f->rw, i);
		char *text = xasprintf("#include <stdio.h>\nint f%d(void) { return %d; }\n%s",
				       i, i + 1, i ? "" : "int f1(void), f2(void), f3(void);\n"
				       "int main(void) { printf(\"sum %d\\n\", f0() + f1() + f2() + f3()); return 0; }\n");
		write_file(c, text);
		free(text);
		free(c);
	}
	for (size_t i = 0; i < NMECH; i++) {
		if (!holds(f, mechanisms[i].via, false))
			continue;
		f->o.limits_via = mechanisms[i].via;
		assert_int_equal(sh(f, "rm -f prog *.o; printf 'prog: f0.o f1.o "
				    "f2.o f3.o\\n\\tcc -o $@ $^\\n' > Makefile && "
				    "make -j4 && ./prog"), 0);
		print_message("%s: %.2f s, %u processes, %llu MiB at most\n",
			      f->r.limits, f->r.seconds, f->r.procs_peak,
			      f->r.memory_peak >> 20);
		assert_int_equal(f->r.status, 0);
		assert_null(f->r.reason);
		assert_non_null(strstr(f->r.output, "sum 10\n"));
		if (mechanisms[i].via != RUNLIMITS_RLIMIT && f->r.procs_peak)
			assert_in_range(f->r.procs_peak, 3, 64);
		if (f->r.memory_via != RUNLIMITS_RLIMIT && f->r.memory_peak)
			assert_in_range(f->r.memory_peak, 1 << 20, 512ULL << 20);
		ran++;
	}
	assert_true(ran > 0);
}

/* Two runs at once, from two processes, each with 150 processes alive:
 * over 256 together, so both pass only when each is counted apart (a
 * group, or a uid, of its own).  The child's run lasts until the parent's
 * has ended (rw2/go).  RLIMIT_NPROC as a user counts all of the user's
 * processes, so there they are not apart, and say so. */
static void concurrent_runs_count_apart(void **state)
{
	struct fixture *f = *state;
	char *rw2 = xasprintf("%s/rw2", f->base);
	char *go = xasprintf("%s/go", rw2);
	char *mark = xasprintf("30.%d1", (int)getpid());
	char *mark2 = xasprintf("30.%d2", (int)getpid());
#define HOLD "for i in $(seq 150); do sleep %s & done; "
	int ran = 0;

	assert_int_equal(fs_mkdirs(rw2, 0755), 0);
	for (size_t i = 0; i < NMECH; i++) {
		pid_t child;
		int status, n = 0;

		if (!holds(f, mechanisms[i].via, false))
			continue;
		if (mechanisms[i].via == RUNLIMITS_RLIMIT && geteuid() != 0) {
			assert_non_null(strstr(f->r.limits, "with its other "
					       "processes"));
			print_message("%s: one count for all of the user's "
				      "processes\n", f->r.limits);
			continue;
		}
		f->o.limits_via = mechanisms[i].via;
		unlink(go);
		if ((child = fork()) == 0) {
			f->o.rw_dir = rw2;
			_exit(sh(f, HOLD "until [ -e go ]; do sleep 0.1; done",
				 mark) == 0 && f->r.status == 0 ? 0 : 1);
		}
		assert_true(child > 0);
		while (count_with_arg(mark) < 150 && n++ < 3000)
			usleep(20000);
		assert_int_equal(count_with_arg(mark), 150);
		assert_int_equal(sh(f, HOLD "echo held too", mark2), 0);
		assert_int_equal(f->r.status, 0);
		assert_false(f->r.procs_limit);
		write_file(go, "");
		assert_int_equal(waitpid(child, &status, 0), child);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		nothing_left(f, mark2);
		assert_int_equal(count_with_arg(mark), 0);
		ran++;
	}
#undef HOLD
	assert_true(ran > 0 || geteuid() != 0);   /* root: a uid apart, always */
	free(mark2);
	free(mark);
	free(go);
	free(rw2);
}

static void sizes_read_well(void **state)
{
	char *s;

	(void)state;
	s = sandbox_size_str(1024 * 1024);
	assert_string_equal(s, "1 MiB");
	free(s);
	s = sandbox_size_str(3ULL << 30);
	assert_string_equal(s, "3 GiB");
	free(s);
	s = sandbox_size_str(1500);
	assert_string_equal(s, "1500 bytes");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(cannot_write_outside_rw_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(cannot_read_outside_or_hidden, setup, teardown),
		cmocka_unit_test_setup_teardown(cannot_see_the_host, setup, teardown),
		cmocka_unit_test_setup_teardown(runs_unprivileged, setup, teardown),
		cmocka_unit_test_setup_teardown(has_no_network, setup, teardown),
		cmocka_unit_test_setup_teardown(inherits_no_descriptors, setup, teardown),
		cmocka_unit_test_setup_teardown(minimal_environment, setup, teardown),
		cmocka_unit_test_setup_teardown(exit_status_and_reason, setup, teardown),
		cmocka_unit_test_setup_teardown(output_cap_kills_it, setup, teardown),
		cmocka_unit_test_setup_teardown(deadline_kills_it, setup, teardown),
		cmocka_unit_test_setup_teardown(cpu_limit_kills_it, setup, teardown),
		cmocka_unit_test_setup_teardown(file_limit_stops_it, setup, teardown),
		cmocka_unit_test_setup_teardown(leaves_nothing_behind, setup, teardown),
		cmocka_unit_test_setup_teardown(unsandboxed_keeps_the_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(the_best_mechanism_holds_by_default, setup, teardown),
		cmocka_unit_test_setup_teardown(a_fork_storm_stops_at_the_process_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(a_memory_hog_stops_at_the_memory_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(a_normal_build_passes_under_the_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(concurrent_runs_count_apart, setup, teardown),
		cmocka_unit_test(sizes_read_well),
	};
	char *why = NULL;

	proc_catch_signals();
	if (sandbox_probe(&why) < 0) {
		printf("test_sandbox: no sandbox here, skipped: %s\n", why);
		free(why);
		return EXIT_SKIP;
	}
	return cmocka_run_group_tests_name("sandbox", tests, NULL, NULL);
}
