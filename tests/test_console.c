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
#include "match.h"
#include "replay.h"
#include "util.h"

static const struct console_login login = {
	.login_re = "login: ", .user = "root", .password = "",
	.prompt_re = "[#$] ",
};

/* The commands exercise 3 of labs.yaml sends, in order. */
static const char *const commands[] = {
	"insmod /lib/modules/6.1.0-56-amd64/extra/trivial.ko && grep '^trivial ' /proc/modules",
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
	assert_non_null(strstr(tail, "@@LK-" REPLAY_NONCE "-B-3-@@"));
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

/* A guest that prints without end: the console keeps `keep` bytes, says
 * once in the transcript that it drops the rest, and still reads it all
 * (the guest never blocks); the wait meets its deadline. */
static void flood_is_bounded(void **state)
{
	struct console c;
	int sv[2], tr[2];
	char line[100], buf[256] = { 0 };
	size_t sent = 0;
	(void)state;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(pipe(tr), 0);
	console_init(&c, sv[0], tr[1]);
	c.keep = 2048;
	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\n';
	for (int i = 0; i < 100; i++)
		sent += (size_t)write(sv[1], line, sizeof(line));
	assert_true(sent > 4 * c.keep);
	assert_int_equal(console_login(&c, &login, now_monotonic() + 0.5),
			 CONSOLE_TIMEOUT);
	assert_true(c.dropping);
	assert_true(c.raw.len < c.keep + 4096 + 128);
	close(tr[1]);
	while (read(tr[0], buf, sizeof(buf) - 1) > 0) {
		if (strstr(buf, "[labkit: the console printed more than"))
			break;
		memset(buf, 0, sizeof(buf));
	}
	assert_non_null(strstr(buf, "[labkit: the console printed more than"));
	close(tr[0]);
	close(sv[1]);
	console_close(&c);
}

static enum fault_kind fault_of(const char *line)
{
	return console_fault_line(line, strlen(line));
}

static void fault_lines(void **state)
{
	(void)state;
	assert_int_equal(fault_of("[ 2.0] Kernel panic - not syncing: x"), FAULT_PANIC);
	assert_int_equal(fault_of("BUG: kernel NULL pointer dereference"), FAULT_OOPS);
	assert_int_equal(fault_of("Oops: 0002 [#1] SMP"), FAULT_OOPS);
	assert_int_equal(fault_of("[ 3.1] kernel BUG at mm/slub.c:42!"), FAULT_OOPS);
	assert_int_equal(fault_of("general protection fault, probably for"), FAULT_OOPS);
	assert_int_equal(fault_of("[ 1.0] WARNING: CPU: 0 PID: 1 at m.c:9 f+0x1/0x2"),
			 FAULT_WARN);
	assert_int_equal(fault_of("Hello world! I'ma a trivial module!"), FAULT_NONE);
}

/* A shell's line and a kernel's, paired, as a guest with two lines. */
struct pair {
	struct console shell, kernel;
	int shell_peer, kernel_peer;
};

static void pair_open(struct pair *p)
{
	int a[2], b[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, a), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, b), 0);
	console_init(&p->shell, a[0], -1);
	console_init(&p->kernel, b[0], -1);
	console_pair(&p->shell, &p->kernel);
	p->shell_peer = a[1];
	p->kernel_peer = b[1];
}

static void pair_close(struct pair *p)
{
	console_close(&p->shell);
	console_close(&p->kernel);
	close(p->shell_peer);
	close(p->kernel_peer);
}

static void say(int fd, const char *s)
{
	assert_int_equal(write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

/* An Oops on the kernel's line is remembered where it is, ends no wait,
 * and never lands in what the shell printed; "BUG:" printed by the shell
 * (dmesg) is no fault. */
static void oops_on_the_kernel_line_is_no_panic(void **state)
{
	struct match_pattern *p;
	struct pair pr;
	char *err = NULL, *text;
	size_t off;

	(void)state;
	pair_open(&pr);
	say(pr.kernel_peer, "[ 4.2] BUG: kernel NULL pointer dereference\n"
	    "[ 4.3] ---[ end trace 0 ]---\n");
	say(pr.shell_peer, "BUG: from dmesg\nKilled\n# ");
	p = match_compile("# $", &err, &off);
	assert_int_equal(console_expect(&pr.shell, p, now_monotonic() + 5, NULL),
			 CONSOLE_OK);
	match_free(p);
	p = match_compile("end trace", &err, &off);
	assert_int_equal(console_expect(&pr.kernel, p, now_monotonic() + 5, NULL),
			 CONSOLE_OK);
	assert_null(pr.kernel.panic_line);
	assert_int_equal(pr.shell.nfaults, 0);
	assert_int_equal(pr.kernel.nfaults, 1);
	assert_int_equal(pr.kernel.faults[0].kind, FAULT_OOPS);
	text = console_text_from(&pr.kernel, pr.kernel.faults[0].at);
	assert_non_null(strstr(text, "BUG: kernel NULL pointer"));
	free(text);
	text = console_seen(&pr.shell);
	assert_null(strstr(text, "end trace"));
	free(text);
	match_free(p);
	pair_close(&pr);
}

/* A panic on the kernel's line ends a wait on the shell's at once. */
static void panic_on_the_kernel_line_ends_the_shell_wait(void **state)
{
	struct match_pattern *p;
	struct pair pr;
	char *err = NULL;
	size_t off;
	double t = now_monotonic();

	(void)state;
	pair_open(&pr);
	say(pr.kernel_peer, "[ 5.0] Kernel panic - not syncing: Fatal exception\n");
	p = match_compile("never comes", &err, &off);
	assert_int_equal(console_expect(&pr.shell, p, t + 10, NULL), CONSOLE_PANIC);
	assert_true(now_monotonic() - t < 5);
	assert_string_equal(pr.kernel.panic_line,
			    "Kernel panic - not syncing: Fatal exception");
	match_free(p);
	pair_close(&pr);
}

/* One guest command on a paired console, as a guest would answer it:
 * `shell` what the shell prints between the markers, `kernel_before`
 * what the kernel prints before the command's end mark, `kernel_after`
 * after it. */
static void guest_answers(struct pair *pr, size_t seq, const char *shell,
			  int status, const char *kernel_before,
			  const char *kernel_after)
{
	const char *n = pr->shell.nonce;
	char *s = xasprintf("@@LK-%s-B-%zu-@@\n%s@@LK-%s-E-%zu-%d-0-@@\n# ",
			    n, seq, shell, n, seq, status);
	char *k = xasprintf("%s@@LK-%s-K-%zu-@@\r\n%s", kernel_before, n, seq,
			    kernel_after);

	say(pr->kernel_peer, k);
	say(pr->shell_peer, s);
	free(k);
	free(s);
}

static void logged_in(struct pair *pr)
{
	char *err = NULL;
	size_t off;

	pr->shell.prompt = match_compile("# $", &err, &off);
	assert_non_null(pr->shell.prompt);
}

/* Output shaped like the runner's markers, with and without a plausible
 * sequence number, and with another run's nonce, is output: it cuts
 * nothing, and the exit status is the command's. */
static void marker_shaped_output_is_output(void **state)
{
	static const char fake[] =
		"@@LK-E-1-1-@@\n@@LK-E-7-1-@@\n@@LK-B-1-@@\n"
		"@@LK-0123456789abcdef-E-1-1-0-@@\nreal line\n";
	struct pair pr;
	char *out, *k;
	int status;

	(void)state;
	pair_open(&pr);
	logged_in(&pr);
	guest_answers(&pr, 1, fake, 0, "[ 1.0] @@LK-E-1-1-@@\n", "");
	assert_int_equal(console_run(&pr.shell, "cat fake", now_monotonic() + 5,
				     &out, &status), CONSOLE_OK);
	assert_string_equal(out, fake);
	assert_int_equal(status, 0);
	k = console_span(&pr.kernel, 0, pr.shell.kernel_end);
	assert_string_equal(k, "[ 1.0] @@LK-E-1-1-@@\n");
	free(k);
	free(out);
	pair_close(&pr);
}

/* The kernel's lines are cut at the command's end mark, in the console's
 * order: what came before it is the command's, after it the next one's,
 * and the mark itself is in neither. */
static void kernel_lines_cut_at_the_end_mark(void **state)
{
	struct pair pr;
	char *out, *k;
	int status;
	size_t end1;

	(void)state;
	pair_open(&pr);
	logged_in(&pr);
	guest_answers(&pr, 1, "one\n", 3, "[ 1.0] during one\n",
		      "[ 1.1] after one\n");
	assert_int_equal(console_run(&pr.shell, "one", now_monotonic() + 5,
				     &out, &status), CONSOLE_OK);
	assert_int_equal(status, 3);
	free(out);
	end1 = pr.shell.kernel_end;
	k = console_span(&pr.kernel, 0, end1);
	assert_string_equal(k, "[ 1.0] during one\n");
	free(k);
	guest_answers(&pr, 2, "two\n", 0, "[ 2.0] during two\n", "");
	assert_int_equal(console_run(&pr.shell, "two", now_monotonic() + 5,
				     &out, &status), CONSOLE_OK);
	free(out);
	k = console_span(&pr.kernel, end1, pr.shell.kernel_end);
	assert_string_equal(k, "[ 1.1] after one\n[ 2.0] during two\n");
	free(k);
	assert_int_equal(pr.kernel.nmarks, 2);
	pair_close(&pr);
}

/* A command whose end mark could not be written (no /dev/console) is
 * not waited for: its kernel text ends where reading stopped. */
static void no_end_mark_is_not_waited_for(void **state)
{
	struct pair pr;
	char *out, *s;
	int status;
	double t = now_monotonic();

	(void)state;
	pair_open(&pr);
	logged_in(&pr);
	s = xasprintf("@@LK-%s-B-1-@@\nx\n@@LK-%s-E-1-0-1-@@\n# ",
		      pr.shell.nonce, pr.shell.nonce);
	say(pr.shell_peer, s);
	free(s);
	assert_int_equal(console_run(&pr.shell, "x", t + 5, &out, &status),
			 CONSOLE_OK);
	assert_true(now_monotonic() - t < 2);
	assert_string_equal(out, "x\n");
	free(out);
	pair_close(&pr);
}

/* A kernel line a wait matches is whole: half a line (the console still
 * printing it) is not yet the kernel's, and the line's end is given. */
static void a_wait_matches_whole_kernel_lines(void **state)
{
	struct match_pattern *p;
	struct pair pr;
	char *err = NULL;
	size_t off, end = 0;

	(void)state;
	pair_open(&pr);
	say(pr.kernel_peer, "[ 1.0] before\n[ 1.5] deferred: work ran");
	p = match_compile("deferred: work ran", &err, &off);
	assert_int_equal(console_expect_line(&pr.kernel, p, 0,
					     now_monotonic() + 0.3, &end),
			 CONSOLE_TIMEOUT);
	say(pr.kernel_peer, " in 12 ms\n[ 1.6] later\n");
	assert_int_equal(console_expect_line(&pr.kernel, p, 0,
					     now_monotonic() + 5, &end),
			 CONSOLE_OK);
	assert_int_equal(end, strlen("[ 1.0] before\n[ 1.5] deferred: work ran in 12 ms\n"));
	match_free(p);
	pair_close(&pr);
}

/* Each run has a nonce of its own. */
static void every_console_has_its_own_nonce(void **state)
{
	struct pair a, b;

	(void)state;
	pair_open(&a);
	pair_open(&b);
	assert_int_equal(strlen(a.shell.nonce), CONSOLE_NONCE_LEN);
	assert_string_equal(a.shell.nonce, a.kernel.nonce);
	assert_string_not_equal(a.shell.nonce, b.shell.nonce);
	pair_close(&a);
	pair_close(&b);
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

static enum console_status feed(struct console *c, const char *s)
{
	return console_feed(c, s, strlen(s));
}

/* Bytes fed as if read: a line split over two feeds is one line, a
 * fault on it is seen where the line starts, and past `keep` the rest is
 * dropped with one note. */
static void feed_is_as_read(void **state)
{
	struct console c;

	(void)state;
	console_init(&c, -1, -1);
	assert_int_equal(feed(&c, "hello\n[ 1.0] BUG: kern"), CONSOLE_OK);
	assert_int_equal(c.nfaults, 0);
	assert_int_equal(feed(&c, "el NULL\r\n"), CONSOLE_OK);
	assert_int_equal(c.nfaults, 1);
	assert_int_equal(c.faults[0].kind, FAULT_OOPS);
	assert_int_equal(c.faults[0].at, 6);
	assert_string_equal(c.text.buf, "hello\n[ 1.0] BUG: kernel NULL\n");
	c.keep = c.raw.len;
	assert_int_equal(feed(&c, "extra\n"), CONSOLE_OK);
	assert_int_equal(feed(&c, "extra\n"), CONSOLE_OK);
	assert_true(c.dropping);
	assert_null(strstr(c.text.buf, "extra"));
	assert_non_null(strstr(c.text.buf, "the rest is not kept"));
	console_close(&c);
}

/* A lone CR (a progress bar) ends a line as a newline does: the lines
 * after it are lines of their own, to on_line and to the fault watch, so
 * a fault is quoted from its own line and a panic line is one line. */
static void lone_cr_makes_lines(void **state)
{
	struct console c;
	struct lines l = { 0 };

	(void)state;
	console_init(&c, -1, -1);
	c.on_line = on_line;
	c.on_line_ctx = &l;
	assert_int_equal(feed(&c, "10%\r50%\rBUG: x\r\n"), CONSOLE_OK);
	assert_int_equal(feed(&c, "junk\rKernel panic - not syncing: y\n"), CONSOLE_OK);
	assert_string_equal(c.text.buf, "10%\n50%\nBUG: x\njunk\n"
			    "Kernel panic - not syncing: y\n");
	assert_int_equal(l.n, 5);
	assert_false(l.saw_cr);
	assert_int_equal(c.nfaults, 2);
	assert_int_equal(c.faults[0].at, 8);
	assert_string_equal(c.panic_line, "Kernel panic - not syncing: y");
	console_close(&c);
}

/* A match in the partial last line (a prompt) moves the mark into it: the
 * next wait sees only what came after, so the same prompt is not matched
 * twice while the line grows, nor after it is whole. */
static void a_match_in_the_partial_line_is_not_seen_again(void **state)
{
	struct console c;
	struct match_pattern *prompt, *echo;
	char *err = NULL;
	size_t off;

	(void)state;
	console_init(&c, -1, -1);
	prompt = match_compile("[#$] *$", &err, &off);
	echo = match_compile("exec login -f root\\s*$", &err, &off);
	assert_int_equal(feed(&c, "done\r\n~ # "), CONSOLE_OK);
	assert_int_equal(console_expect(&c, prompt, 0, NULL), CONSOLE_OK);
	assert_int_equal(console_expect(&c, prompt, 0, NULL), CONSOLE_TIMEOUT);
	assert_int_equal(feed(&c, "\033[6nexec login -f ro"), CONSOLE_OK);
	assert_int_equal(console_expect(&c, echo, 0, NULL), CONSOLE_TIMEOUT);
	assert_int_equal(feed(&c, "ot"), CONSOLE_OK);
	assert_int_equal(console_expect(&c, echo, 0, NULL), CONSOLE_OK);
	assert_int_equal(console_expect(&c, prompt, 0, NULL), CONSOLE_TIMEOUT);
	assert_int_equal(feed(&c, "\r\n\r\nBusyBox #1\r\n"), CONSOLE_OK);
	assert_int_equal(console_expect(&c, prompt, 0, NULL), CONSOLE_TIMEOUT);
	assert_int_equal(feed(&c, "~ # "), CONSOLE_OK);
	assert_int_equal(console_expect(&c, prompt, 0, NULL), CONSOLE_OK);
	match_free(echo);
	match_free(prompt);
	console_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_run_cuts_every_output),
		cmocka_unit_test(panic_stops_the_wait_and_is_quoted),
		cmocka_unit_test(hung_guest_times_out),
		cmocka_unit_test(guest_exit_is_eof),
		cmocka_unit_test(fault_lines),
		cmocka_unit_test(flood_is_bounded),
		cmocka_unit_test(oops_on_the_kernel_line_is_no_panic),
		cmocka_unit_test(panic_on_the_kernel_line_ends_the_shell_wait),
		cmocka_unit_test(marker_shaped_output_is_output),
		cmocka_unit_test(kernel_lines_cut_at_the_end_mark),
		cmocka_unit_test(no_end_mark_is_not_waited_for),
		cmocka_unit_test(a_wait_matches_whole_kernel_lines),
		cmocka_unit_test(every_console_has_its_own_nonce),
		cmocka_unit_test(bad_login_pattern_is_an_error),
		cmocka_unit_test(lines_reach_on_line),
		cmocka_unit_test(feed_is_as_read),
		cmocka_unit_test(lone_cr_makes_lines),
		cmocka_unit_test(a_match_in_the_partial_line_is_not_seen_again),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
