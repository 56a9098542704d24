/* test_sandbox.c — real commands in bubblewrap: what they cannot reach
 * (files outside rw_dir, hidden directories, /root, the network, our
 * descriptors), who they run as, and the limits that end them (output
 * cap, deadline, CPU, file size), leaving nothing behind; the unsandboxed
 * mode keeps the limits.  Exits 77 when no sandbox can be set up here. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
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
