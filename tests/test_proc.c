/* test_proc.c — sessions, deadlines, and killing a whole process group. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "events.h"
#include "proc.h"
#include "util.h"

static void run_captures_output_and_status(void **state)
{
	char *argv[] = { "/bin/sh", "-c", "echo out; echo err >&2; exit 3", NULL };
	struct proc p;
	struct sb out;

	(void)state;
	sb_init(&out);
	assert_int_equal(proc_run(argv, NULL, 10, &out, &p), 3);
	assert_non_null(strstr(out.buf, "out\n"));
	assert_non_null(strstr(out.buf, "err\n"));
	sb_release(&out);
}

static void run_missing_program(void **state)
{
	char *argv[] = { "/nonexistent/labkit-prog", NULL };
	struct proc p;

	(void)state;
	assert_int_equal(proc_run(argv, NULL, 10, NULL, &p), -1);
}

/* A child that forks grandchildren which ignore SIGTERM, like UML's
 * helpers: after the deadline nothing of the group may be left. */
static void timeout_kills_the_whole_group(void **state)
{
	char *argv[] = { "/bin/sh", "-c",
			 "trap '' TERM; sleep 100 & sleep 100 & sleep 100", NULL };
	struct proc p;
	double t = now_monotonic();

	(void)state;
	proc_catch_signals();
	assert_int_equal(proc_run(argv, NULL, 0.5, NULL, &p), -2);
	assert_true(now_monotonic() - t < 5);
	assert_int_equal(proc_group_count(p.pid), 0);
}

static void spawn_in_own_session(void **state)
{
	char *argv[] = { "sleep", "100", NULL };
	struct proc_opts o = { .argv = argv, .tty = -1, .in = -1, .out = -1 };
	struct proc p;

	(void)state;
	assert_int_equal(proc_spawn(&p, &o), 0);
	assert_int_equal(getsid(p.pid), p.pid);
	assert_int_equal(getpgid(p.pid), p.pid);
	assert_int_equal(proc_wait(&p, now_monotonic() + 0.1), 0);
	proc_kill_group(&p, 1.0);
	assert_true(p.exited);
	assert_true(WIFSIGNALED(p.status));
	assert_int_equal(proc_group_count(p.pid), 0);
}

/* An interactive child (gdb): a group of its own, in our session, so
 * that it can be the terminal's foreground; still killed as a group. */
static void spawn_in_the_foreground(void **state)
{
	char *argv[] = { "/bin/sh", "-c", "sleep 100 & sleep 100", NULL };
	struct proc_opts o = { .argv = argv, .tty = -1, .in = -1, .out = -1,
			       .foreground = true };
	struct proc p;

	(void)state;
	assert_int_equal(proc_spawn(&p, &o), 0);
	assert_int_equal(getsid(p.pid), getsid(0));
	assert_int_equal(getpgid(p.pid), p.pid);
	assert_int_not_equal(getpgid(p.pid), getpgrp());
	proc_kill_group(&p, 1.0);
	assert_true(p.exited);
	assert_int_equal(proc_group_count(p.pid), 0);
	proc_foreground_back(-1);       /* no terminal: nothing to do */
}

/* The child writes "0" (itself) to each cgroup.procs before exec, here a
 * plain file standing for one; one it cannot open fails the spawn. */
static void spawn_joins_cgroups_first(void **state)
{
	char path[] = "/tmp/labkit-test-procs.XXXXXX";
	char *argv[] = { "true", NULL }, *join[] = { path, NULL };
	char *bad[] = { "/nonexistent/labkit/cgroup.procs", NULL };
	struct proc_opts o = { .argv = argv, .tty = -1, .in = -1, .out = -1,
			       .cgroups = join };
	int fd = mkstemp(path);
	struct proc p;
	char *data = NULL;
	size_t len;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(proc_spawn(&p, &o), 0);
	assert_int_equal(proc_wait(&p, now_monotonic() + 10), 1);
	assert_int_equal(fs_read_file(path, &data, &len), 0);
	assert_string_equal(data, "0");
	o.cgroups = bad;
	errno = 0;
	assert_int_equal(proc_spawn(&p, &o), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(p.pid, 0);
	unlink(path);
	free(data);
}

static void status_strings(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(proc_status_str(3 << 8, buf, sizeof(buf)), "exit 3");
	assert_non_null(strstr(proc_status_str(9, buf, sizeof(buf)), "signal 9"));
}

/* What the program hears of a command's output as it comes. */
static void on_progress(void *ctx, const struct progress *p)
{
	struct sb *teed = ctx;

	assert_int_equal(p->kind, PROGRESS_OUTPUT);
	sb_add(teed, p->text, p->len);
}

/* The output goes to `out` always, and to events only with `tee`. */
static void run_env_tees_output(void **state)
{
	char *argv[] = { "/bin/sh", "-c", "echo one; echo two >&2; printf three", NULL };
	struct events ev = { .progress = on_progress };
	struct sb out, teed;
	struct proc p;

	(void)state;
	sb_init(&out);
	sb_init(&teed);
	ev.ctx = &teed;
	events_set(&ev);
	assert_int_equal(proc_run_env(argv, NULL, NULL, true, 10, &out, &p), 0);
	assert_string_equal(teed.buf, out.buf);
	assert_non_null(strstr(out.buf, "one\n"));
	assert_non_null(strstr(out.buf, "two\n"));
	assert_non_null(strstr(out.buf, "three"));
	assert_true(p.exited);
	assert_true(p.ended >= p.started);
	sb_reset(&out);
	sb_reset(&teed);
	assert_int_equal(proc_run_env(argv, NULL, NULL, false, 10, &out, &p), 0);
	assert_non_null(strstr(out.buf, "three"));
	assert_string_equal(teed.buf, "");
	events_set(NULL);
	sb_release(&teed);
	sb_release(&out);
}

/* The child's environment: a variable replaced, added, removed. */
static void run_env_sets_the_environment(void **state)
{
	char *argv[] = { "/bin/sh", "-c",
			 "echo \"A=$A B=$B C=${C-unset} PATH=${PATH:+set}\"", NULL };
	char **env;
	struct sb out;
	struct proc p;

	(void)state;
	setenv("A", "parent", 1);
	setenv("C", "parent", 1);
	env = proc_env_set(NULL, "A", "child");
	env = proc_env_set(env, "B", "new");
	env = proc_env_set(env, "C", NULL);
	env = proc_env_set(env, "NOT_THERE", NULL);
	sb_init(&out);
	assert_int_equal(proc_run_env(argv, NULL, env, false, 10, &out, &p), 0);
	assert_string_equal(out.buf, "A=child B=new C=unset PATH=set\n");
	/* ours is untouched */
	assert_string_equal(getenv("A"), "parent");
	assert_null(getenv("B"));
	proc_env_free(env);
	proc_env_free(NULL);
	unsetenv("A");
	unsetenv("C");
	sb_release(&out);
}

/* Killed by a signal: 128 + the signal. */
static void run_killed_by_signal(void **state)
{
	char *argv[] = { "/bin/sh", "-c", "kill -KILL $$", NULL };
	struct proc p;

	(void)state;
	assert_int_equal(proc_run(argv, NULL, 10, NULL, &p), 128 + SIGKILL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(run_captures_output_and_status),
		cmocka_unit_test(run_missing_program),
		cmocka_unit_test(timeout_kills_the_whole_group),
		cmocka_unit_test(spawn_in_own_session),
		cmocka_unit_test(spawn_in_the_foreground),
		cmocka_unit_test(spawn_joins_cgroups_first),
		cmocka_unit_test(status_strings),
		cmocka_unit_test(run_env_tees_output),
		cmocka_unit_test(run_env_sets_the_environment),
		cmocka_unit_test(run_killed_by_signal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
