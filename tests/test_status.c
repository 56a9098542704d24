/* test_status.c — the live status line: drawn only on a terminal, cut to
 * its width without splitting a UTF-8 character, erased on request. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "status.h"

struct tty {
	int master, saved;
};

/* stdout becomes a pty `cols` wide; what is drawn is read from its master. */
static void tty_open(struct tty *t, int cols)
{
	struct winsize ws = { .ws_row = 24, .ws_col = (unsigned short)cols };
	int slave;

	fflush(stdout);
	assert_int_equal(openpty(&t->master, &slave, NULL, NULL, &ws), 0);
	t->saved = dup(STDOUT_FILENO);
	assert_true(dup2(slave, STDOUT_FILENO) >= 0);
	close(slave);
	setenv("TERM", "xterm", 1);
}

/* Everything drawn: stdout back, which closes the pty's last slave fd,
 * then the master read to its end (EIO once the slave is gone and its
 * bytes are read; the pty hands them over asynchronously, so one read
 * may come too early). */
static char *tty_close(struct tty *t)
{
	static char buf[4096];
	size_t len = 0;
	ssize_t n;

	fflush(stdout);
	dup2(t->saved, STDOUT_FILENO);
	close(t->saved);
	while (len < sizeof(buf) - 1 &&
	       (n = read(t->master, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(t->master);
	buf[len] = '\0';
	return buf;
}

static void draws_step_and_last_line(void **state)
{
	struct status s;
	struct tty t;
	char *out;

	(void)state;
	tty_open(&t, 80);
	status_init(&s, "lab2", "3", 5);
	status_step(&s, 2);
	status_console_line(&s, "~ # lsmod", 9);
	status_clear(&s);
	out = tty_close(&t);
	assert_true(s.live);
	assert_non_null(strstr(out, "[lab2.3 step 2/5 "));
	assert_non_null(strstr(out, "] ~ # lsmod"));
	assert_non_null(strstr(out, "\r\033[K"));
}

static void cut_to_width_on_a_character(void **state)
{
	struct status s;
	struct tty t;
	char line[200], *out, *last;

	(void)state;
	memset(line, 0, sizeof(line));
	for (int i = 0; i < 60; i++)
		strcat(line, "ż"); /* two bytes, one column */
	tty_open(&t, 40);
	status_init(&s, "lab2", "5", 6);
	status_console_line(&s, line, strlen(line));
	out = tty_close(&t);
	assert_non_null(strstr(out, "[lab2.5 boot "));
	last = strstr(out, "] ") + 2;
	/* 39 columns in all: the head, then whole characters only */
	assert_int_equal(strlen(last) % 2, 0);
	assert_true(strlen(last) / 2 + (size_t)(last - strstr(out, "[lab2")) <= 39);
	assert_true(strlen(last) / 2 + (size_t)(last - strstr(out, "[lab2")) >= 38);
	assert_true(strlen(last) >= 2);
}

/* Control characters of a console line (a tab, an escape) are blanks. */
static void controls_become_blanks(void **state)
{
	struct status s;
	struct tty t;
	char *out;

	(void)state;
	tty_open(&t, 80);
	status_init(&s, "lab2", "4", 4);
	status_step(&s, 1);
	status_console_line(&s, "a\tb\033[0mc\r", 10);
	out = tty_close(&t);
	assert_non_null(strstr(out, "] a b [0mc "));
	assert_string_equal(s.last, "a b [0mc ");
	assert_null(strstr(out, "\033[0m"));
}

/* A console line longer than the status keeps is cut on a character too:
 * 200 "ż" on a terminal wide enough for all of them. */
static void long_line_kept_whole_characters(void **state)
{
	struct status s;
	struct tty t;
	char line[401], *out, *last;

	(void)state;
	line[0] = '\0';
	for (int i = 0; i < 200; i++)
		strcat(line, "ż");
	tty_open(&t, 500);
	status_init(&s, "lab2", "5", 6);
	status_console_line(&s, line, strlen(line));
	out = tty_close(&t);
	last = strstr(out, "] ");
	assert_non_null(last);
	last += 2;
	assert_true(strlen(last) > 200);
	/* only whole "ż": an even count of bytes, each pair the character */
	assert_int_equal(strlen(last) % 2, 0);
	for (size_t i = 0; i < strlen(last); i += 2)
		assert_memory_equal(last + i, "ż", 2);
}

static void silent_without_a_terminal(void **state)
{
	struct status s;
	int fds[2];
	char buf[64];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	fflush(stdout);
	int saved = dup(STDOUT_FILENO);
	dup2(fds[1], STDOUT_FILENO);
	status_init(&s, "lab2", "3", 5);
	status_step(&s, 1);
	status_console_line(&s, "login:", 6);
	status_clear(&s);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	close(fds[1]);
	assert_false(s.live);
	assert_int_equal(read(fds[0], buf, sizeof(buf)), 0);
	close(fds[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(draws_step_and_last_line),
		cmocka_unit_test(cut_to_width_on_a_character),
		cmocka_unit_test(controls_become_blanks),
		cmocka_unit_test(long_line_kept_whole_characters),
		cmocka_unit_test(silent_without_a_terminal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
