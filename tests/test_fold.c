/* test_fold.c — what a guest's kernel repeats, counted (fold.c): a line
 * or a block that comes again and again, its printk times aside, shown
 * once with how many times; less is kept as it is. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fold.h"
#include "match.h"
#include "util.h"

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

/* One line 412 times, each with a time of its own. */
static void a_line_again_and_again(void **state)
{
	struct sb in;
	size_t folded;
	char *out;

	(void)state;
	sb_init(&in);
	sb_adds(&in, "[    1.000000] BUG: scheduling while atomic\n");
	for (int i = 0; i < 412; i++)
		sb_addf(&in, "[%5d.%06d] bad: scheduling from the idle thread!\n",
			2 + i / 1000, i);
	sb_adds(&in, "[    9.000000] the end\n");
	out = fold_repeats(in.buf, NULL, NULL, &folded);
	assert_int_equal(folded, 1);
	assert_int_equal(count(out, "bad: scheduling"), 1);
	assert_non_null(strstr(out, "[    2.000000] bad: scheduling from the idle "
			       "thread!\n[… the line above repeated 412 times …]\n"
			       "[    9.000000] the end\n"));
	assert_non_null(strstr(out, "BUG: scheduling while atomic\n"));
	free(out);
	sb_release(&in);
}

/* A block (a line and its stack), the longest cover winning; twice in a
 * row is no flood; a last line without its newline still counts. */
static void blocks_and_what_is_not_folded(void **state)
{
	size_t folded;
	char *out;

	(void)state;
	out = fold_repeats("a\nb\nc\na\nb\nc\na\nb\nc\na\nb\nc\nd", NULL, NULL,
			   &folded);
	assert_string_equal(out, "a\nb\nc\n[… the 3 lines above repeated 4 "
			    "times …]\nd");
	assert_int_equal(folded, 1);
	free(out);
	out = fold_repeats("x\nx\ny\nx\nx\n", NULL, NULL, &folded);
	assert_string_equal(out, "x\nx\ny\nx\nx\n");
	assert_int_equal(folded, 0);
	free(out);
	out = fold_repeats("z\nz\nz", NULL, NULL, &folded);
	assert_string_equal(out, "z\n[… the line above repeated 3 times …]\n");
	free(out);
	out = fold_repeats("", NULL, NULL, &folded);
	assert_string_equal(out, "");
	free(out);
}

/* A real flood: a module's timer that sleeps on the idle task, Debian's
 * 6.1 under QEMU: 828 lines, its repeated blocks said once each. */
static void a_real_idle_flood(void **state)
{
	char *path = xasprintf("%s/transcripts/idle-flood.log",
			       getenv("LABKIT_TEST_DATA"));
	char *raw, *text, *out;
	size_t len, n, folded;

	(void)state;
	assert_int_equal(fs_read_file(path, &raw, &len), 0);
	text = match_normalize(raw, len, &n);
	out = fold_repeats(text, NULL, NULL, &folded);
	assert_true(count(text, "bad: scheduling from the idle thread!") >= 20);
	assert_true(count(out, "bad: scheduling from the idle thread!") <= 3);
	assert_non_null(strstr(out, "[… the 40 lines above repeated 15 times …]"));
	assert_true(count(out, "\n") * 3 < count(text, "\n"));
	assert_int_equal(folded, 2);
	free(out);
	free(text);
	free(raw);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_line_again_and_again),
		cmocka_unit_test(blocks_and_what_is_not_folded),
		cmocka_unit_test(a_real_idle_flood),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
