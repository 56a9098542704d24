/* test_console.c — login and markers on golden transcripts, replayed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "console.h"
#include "events.h"
#include "replay.h"
#include "util.h"

static const struct console_login login = {
	.login_re = "login: ", .user = "root", .password = "",
	.prompt_re = "[#$] ",
};

/* The commands exercise 3 of labs.yaml sends, in order. */
static const char *const commands[] = {
	"insmod /lib/modules/6.1.0-56-amd64/extra/trivial.ko",
	"lsmod", "dmesg | tail -n 20", "rmmod trivial && lsmod",
	"dmesg | tail -n 20",
};

static void good_run_cuts_every_output(void **state)
{
	struct replay r;
	double deadline = now_monotonic() + 5;
	char *out;
	int status;

	(void)state;
	replay_open(&r, "good.log", 0);
	assert_int_equal(console_login(&r.con, &login, deadline), CONSOLE_OK);
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(console_run(&r.con, commands[i], deadline,
					     &out, &status), CONSOLE_OK);
		assert_int_equal(status, 0);
		assert_null(strstr(out, "@@LK"));
		assert_null(strchr(out, '\r'));
		assert_null(strchr(out, '\x1b'));
		if (i == 1)
			assert_string_equal(out,
				"Module                  Size  Used by    Tainted: G  \n"
				"trivial                16384  0 \n");
		if (i == 2)
			assert_non_null(strstr(out, "] Hello world! I'ma a trivial module!\n"));
		if (i == 4)
			assert_non_null(strstr(out, "] Oh no, why are you doing this to me? Argh!\n"));
		free(out);
	}
	assert_null(r.con.panic_line);
	replay_close(&r);
}

static void panic_stops_the_wait_and_is_quoted(void **state)
{
	struct replay r;
	double t = now_monotonic();

	(void)state;
	replay_open(&r, "panic.log", 1);
	assert_int_equal(console_login(&r.con, &login, t + 10), CONSOLE_PANIC);
	assert_true(now_monotonic() - t < 5); /* not the deadline */
	assert_non_null(r.con.panic_line);
	assert_non_null(strstr(r.con.panic_line,
		"Kernel panic - not syncing: VFS: Unable to mount root fs"));
	replay_close(&r);
}

static void hung_guest_times_out(void **state)
{
	struct replay r;
	double deadline = now_monotonic() + 5;
	char *out, *tail;
	int status;

	(void)state;
	replay_open(&r, "hung.log", 1);
	assert_int_equal(console_login(&r.con, &login, deadline), CONSOLE_OK);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(console_run(&r.con, commands[i], deadline,
					     &out, &status), CONSOLE_OK);
		free(out);
	}
	assert_int_equal(console_run(&r.con, commands[2], now_monotonic() + 0.3,
				     &out, &status), CONSOLE_TIMEOUT);
	assert_null(out);
	tail = console_tail(&r.con, 2);
	assert_non_null(strstr(tail, "@@LK-B-3-@@"));
	free(tail);
	replay_close(&r);
}

static void guest_exit_is_eof(void **state)
{
	struct replay r;
	char *out;
	int status;

	(void)state;
	replay_open(&r, "hung.log", 0);
	assert_int_equal(console_login(&r.con, &login, now_monotonic() + 5), CONSOLE_OK);
	console_run(&r.con, commands[0], now_monotonic() + 5, &out, &status);
	free(out);
	console_run(&r.con, commands[1], now_monotonic() + 5, &out, &status);
	free(out);
	assert_int_equal(console_run(&r.con, commands[2], now_monotonic() + 5,
				     &out, &status), CONSOLE_EOF);
	replay_close(&r);
}

static void fatal_lines(void **state)
{
	(void)state;
	assert_true(console_is_fatal_line("[ 2.0] Kernel panic - not syncing: x", 36));
	assert_true(console_is_fatal_line("BUG: kernel NULL pointer dereference", 36));
	assert_true(console_is_fatal_line("Oops: 0002 [#1] SMP", 19));
	assert_false(console_is_fatal_line("Hello world! I'ma a trivial module!", 35));
}

/* A login pattern that does not compile (a broken rootfs.yaml) is an
 * error, said through events, not a wait until the deadline. */
static void bad_login_pattern_is_an_error(void **state)
{
	static const struct console_login bad = {
		.login_re = "login: (", .user = "root", .password = "",
		.prompt_re = "[#$] ",
	};
	struct replay r;
	double t = now_monotonic();

	(void)state;
	replay_open(&r, "good.log", 1);
	assert_int_equal(console_login(&r.con, &bad, t + 5), CONSOLE_ERROR);
	assert_true(now_monotonic() - t < 2);
	assert_non_null(strstr(events_last_error(), "bad console pattern 'login: ('"));
	replay_close(&r);
}

/* Each complete line goes to on_line as it arrives, normalized. */
struct lines {
	size_t n;
	int saw_cr;
};

static void on_line(void *ctx, const char *line, size_t len)
{
	struct lines *l = ctx;

	l->n++;
	if (memchr(line, '\r', len) || memchr(line, '\n', len))
		l->saw_cr = 1;
}

static void lines_reach_on_line(void **state)
{
	struct replay r;
	struct lines l = { 0 };

	(void)state;
	replay_open(&r, "good.log", 0);
	r.con.on_line = on_line;
	r.con.on_line_ctx = &l;
	assert_int_equal(console_login(&r.con, &login, now_monotonic() + 5), CONSOLE_OK);
	assert_true(l.n > 5);
	assert_false(l.saw_cr);
	replay_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_run_cuts_every_output),
		cmocka_unit_test(panic_stops_the_wait_and_is_quoted),
		cmocka_unit_test(hung_guest_times_out),
		cmocka_unit_test(guest_exit_is_eof),
		cmocka_unit_test(fatal_lines),
		cmocka_unit_test(bad_login_pattern_is_an_error),
		cmocka_unit_test(lines_reach_on_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
