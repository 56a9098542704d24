/* test_fault.c — a step's fault from the kernel's console (run/fault.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "fault.h"

static const char kernel[] =
	"[    1.000000] WARNING: CPU: 0 PID: 1 at m.c:9 f+0x1/0x2\n"
	"[    1.100000] ---[ end trace 0000000000000000 ]---\n"
	"[    2.000000] BUG: kernel NULL pointer dereference, address: 0\n"
	"[    2.000001] RIP: 0010:oops_null_init+0x15/0x1000 [oops_null]\n"
	"[    2.000002] ---[ end trace 0000000000000001 ]---\n"
	"[    3.000000] after\n";

static void fed(struct console *k, const char *text)
{
	console_init(k, -1, -1);
	assert_int_equal(console_feed(k, text, strlen(text)), CONSOLE_OK);
}

static void clear(struct results_fault *f)
{
	free(f->line);
	free(f->trace);
	free(f->where);
	free(f->source);
	memset(f, 0, sizeof(*f));
}

/* The most severe fault from `from` on: its line without the printk
 * time, its trace to the end-of-trace line. */
static void most_severe_from(void **state)
{
	struct console k;
	struct results_fault f = { 0 };

	(void)state;
	fed(&k, kernel);
	fault_find(&k, 0, &f);
	assert_int_equal(f.kind, FAULT_OOPS);
	assert_string_equal(f.line, "BUG: kernel NULL pointer dereference, address: 0");
	assert_non_null(strstr(f.trace, "RIP: 0010:oops_null_init"));
	assert_null(strstr(f.trace, "after"));
	clear(&f);
	fault_find(&k, k.faults[1].at + 1, &f);
	assert_int_equal(f.kind, FAULT_NONE);
	assert_null(f.line);
	console_close(&k);
}

/* A bracket that holds the fault's words is no printk time: the line is
 * quoted whole, so it still says what it is (the console fuzzer's find). */
static void bracket_with_the_words_is_kept(void **state)
{
	struct console k;
	struct results_fault f = { 0 };

	(void)state;
	fed(&k, "[ 1.8Kernel panic - not syncing.81] TERM=linux\n"
		"[BUG: x] y\n");
	assert_string_equal(k.panic_line, "[ 1.8Kernel panic - not syncing.81] TERM=linux");
	fault_find(&k, 0, &f);
	assert_int_equal(f.kind, FAULT_PANIC);
	assert_string_equal(f.line, k.panic_line);
	clear(&f);
	fault_find(&k, k.faults[1].at, &f);
	assert_int_equal(f.kind, FAULT_OOPS);
	assert_string_equal(f.line, "[BUG: x] y");
	clear(&f);
	console_close(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(most_severe_from),
		cmocka_unit_test(bracket_with_the_words_is_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
