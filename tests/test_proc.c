/* test_proc.c — sessions, deadlines, and killing a whole process group. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static void status_strings(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(proc_status_str(3 << 8, buf, sizeof(buf)), "exit 3");
	assert_non_null(strstr(proc_status_str(9, buf, sizeof(buf)), "signal 9"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(run_captures_output_and_status),
		cmocka_unit_test(run_missing_program),
		cmocka_unit_test(timeout_kills_the_whole_group),
		cmocka_unit_test(spawn_in_own_session),
		cmocka_unit_test(status_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
