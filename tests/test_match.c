/*
 * test_match.c — patterns over console output: compiling (and the error
 * offset PCRE2 blames), multi-line matching, `ordered` expectations as a
 * chain of match_find() calls, raw console bytes made into checkable text
 * (CR LF, ANSI colours, OSC titles, backspaces), invalid UTF-8 in the
 * output, and the closest-lines hint for a failed match.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "match.h"

#include <stdlib.h>
#include <string.h>

static void expect_normal(const char *raw, size_t len, const char *want)
{
	size_t out_len = 12345;
	char *out = match_normalize(raw, len, &out_len);

	assert_non_null(out);
	assert_string_equal(out, want);
	assert_int_equal(out_len, strlen(want));
	free(out);
}

#define NORMAL(raw, want) expect_normal(raw, sizeof(raw) - 1, want)

static void test_normalize_line_ends(void **state)
{
	(void)state;
	NORMAL("", "");
	NORMAL("a\r\nb\r\n", "a\nb\n");
	NORMAL("lone\rcr\r", "lone\ncr\n");
	NORMAL("doubled\r\r\nonlcr\r\r\n", "doubled\nonlcr\n");
	NORMAL("progress 1\rprogress 2\r\n\n", "progress 1\nprogress 2\n\n");
	NORMAL("tab\tkept\n", "tab\tkept\n");
}

static void test_normalize_ansi(void **state)
{
	(void)state;
	/* SGR colours, as ls and systemd print them */
	NORMAL("\x1b[1;31mred\x1b[0m ok\x1b[m", "red ok");
	NORMAL("[  \x1b[0;32mOK  \x1b[0m] Started", "[  OK  ] Started");
	/* erase line, cursor moves, private modes */
	NORMAL("a\x1b[Kb\x1b[2J\x1b[H\x1b[?25lc\x1b[?2004h", "abc");
	/* tput sgr0: ESC ( B, then a CSI */
	NORMAL("bold\x1b(B\x1b[m done", "bold done");
	/* two-byte escapes: ESC 7, ESC 8, ESC = */
	NORMAL("x\x1b" "7y\x1b" "8z\x1b=", "xyz");
	/* cut short at the end of what was read */
	NORMAL("tail\x1b[1;3", "tail");
	NORMAL("tail\x1b", "tail");
}

static void test_normalize_osc(void **state)
{
	(void)state;
	NORMAL("\x1b]0;root@guest: ~\x07# ls\n", "# ls\n");
	NORMAL("\x1b]2;title\x1b\\after", "after");
	/* an unterminated OSC ends at the line's end, not the output's */
	NORMAL("\x1b]0;runaway\nnext line\n", "\nnext line\n");
}

static void test_normalize_controls(void **state)
{
	(void)state;
	NORMAL("a\x01" "b\x07" "c\x0e\x0f" "d", "abcd");
	NORMAL("nul\0byte", "nulbyte");
	NORMAL("abc\bd", "abd");
	NORMAL("\bx", "x");
	NORMAL("line\n\bx", "line\nx");
	NORMAL("z\xc3\xb3\b!", "z!"); /* the whole UTF-8 character goes */
	NORMAL("ab\b\b\bc", "c");
	/* bytes that are not UTF-8 pass through untouched */
	NORMAL("\xff\xfe ok", "\xff\xfe ok");
}

static void test_compile_error(void **state)
{
	char *err = NULL;
	size_t off = 0;

	(void)state;
	assert_null(match_compile("fs\\.h:(\\d+", &err, &off));
	assert_string_equal(err, "missing closing parenthesis");
	assert_int_equal(off, 10);
	free(err);
	assert_null(match_compile("a+b)c", &err, &off));
	assert_string_equal(err, "unmatched closing parenthesis");
	assert_int_equal(off, 3);
	free(err);
	assert_null(match_compile("x{2,1}", NULL, NULL));
	match_free(NULL);
}

static void test_multiline(void **state)
{
	const char *text = "Linux guest 6.1.0-JanTrzeci #1 SMP\n"
			   "root=/dev/sda\n";
	struct match_pattern *p = match_compile("^root=\\S+$", NULL, NULL);
	size_t s, e;

	(void)state;
	assert_non_null(p);
	assert_int_equal(match_find(p, text, strlen(text), 0, &s, &e), 1);
	assert_int_equal(s, 35);
	assert_int_equal(e, 48);
	assert_int_equal(match_find(p, text, strlen(text), 36, &s, &e), 0);
	assert_int_equal(match_find(p, text, strlen(text), 999, &s, &e), 0);
	match_free(p);
}

/* `ordered`: each pattern searched from where the previous one ended. */
static int find_ordered(const char *const *patterns, size_t n,
			const char *text)
{
	size_t i, pos = 0, s, e;
	int rc = 1;

	for (i = 0; i < n && rc == 1; i++) {
		struct match_pattern *p;

		p = match_compile(patterns[i], NULL, NULL);
		assert_non_null(p);
		rc = match_find(p, text, strlen(text), pos, &s, &e);
		pos = e;
		match_free(p);
	}
	return rc;
}

static void test_ordered(void **state)
{
	const char *text =
		"[ 1.0] Hello world! I'ma a trivial module!\n"
		"[ 2.0] Oh no, why are you doing this to me? Argh!\n";
	const char *in_order[] = { "Hello world!", "Oh no, why .* Argh!" };
	const char *reversed[] = { "Oh no", "Hello world!" };
	const char *twice[] = { "Hello", "Hello" };
	const char *fields[] = { "\\bllseek\\b", "\\bread_iter\\b",
				 "\\bopen\\b" };
	const char *fops = "struct file_operations {\n\tloff_t (*llseek)();\n"
			   "\tssize_t (*read_iter)();\n\tint (*open)();\n};\n";

	(void)state;
	assert_int_equal(find_ordered(in_order, 2, text), 1);
	assert_int_equal(find_ordered(reversed, 2, text), 0);
	assert_int_equal(find_ordered(twice, 2, text), 0);
	assert_int_equal(find_ordered(fields, 3, fops), 1);
}

static void test_invalid_utf8(void **state)
{
	static const char text[] = "ok \xff\xfe bad \xc3( \xe2\x82 end "
				   "za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87\n";
	struct match_pattern *p;
	size_t s, e, i;

	(void)state;
	p = match_compile("\\bend\\b", NULL, NULL);
	assert_non_null(p);
	assert_int_equal(match_find(p, text, sizeof(text) - 1, 0, &s, &e), 1);
	assert_memory_equal(text + s, "end", 3);
	/* any start offset, even inside a broken or a valid character */
	for (i = 0; i < sizeof(text); i++)
		assert_true(match_find(p, text, sizeof(text) - 1, i, &s, &e) >=
			    0);
	match_free(p);
	p = match_compile("za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87$", NULL, NULL);
	assert_non_null(p);
	assert_int_equal(match_find(p, text, sizeof(text) - 1, 0, &s, &e), 1);
	match_free(p);
	p = match_compile("bad .", NULL, NULL);
	assert_non_null(p);
	assert_int_equal(match_find(p, text, sizeof(text) - 1, 0, &s, &e), 0);
	match_free(p);
}

static void test_closest(void **state)
{
	const char *text = "Linux guest 6.1.0 #1 SMP PREEMPT_DYNAMIC\n"
			   "unrelated\n"
			   "Linux was here\n"
			   "SMP alternatives\n"
			   "JanTrzeci and Linux and SMP";
	const char *pattern = "^Linux \\S+ \\S+JanTrzeci #\\d+ SMP";
	const char *lines[4];
	size_t lens[4], n;

	(void)state;
	n = match_closest(pattern, text, strlen(text), 4, lines, lens);
	assert_int_equal(n, 4);
	assert_memory_equal(lines[0], "JanTrzeci and Linux and SMP", lens[0]);
	assert_int_equal(lens[0], strlen("JanTrzeci and Linux and SMP"));
	assert_memory_equal(lines[1], "Linux guest", 11);
	assert_int_equal(lens[1], 40);
	assert_memory_equal(lines[2], "Linux was here", lens[2]);
	assert_memory_equal(lines[3], "SMP alternatives", lens[3]);

	n = match_closest(pattern, text, strlen(text), 2, lines, lens);
	assert_int_equal(n, 2);
	assert_memory_equal(lines[1], "Linux guest", 11);
	assert_int_equal(match_closest(pattern, text, strlen(text), 0, lines,
				       lens),
			 0);
	/* escapes like \d \b are not words; short words do not count */
	assert_int_equal(match_closest("\\bdd\\d+", "dd 12\n", 6, 4, lines,
				       lens),
			 0);
	assert_int_equal(match_closest("nothing", text, strlen(text), 4,
				       lines, lens),
			 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize_line_ends),
		cmocka_unit_test(test_normalize_ansi),
		cmocka_unit_test(test_normalize_osc),
		cmocka_unit_test(test_normalize_controls),
		cmocka_unit_test(test_compile_error),
		cmocka_unit_test(test_multiline),
		cmocka_unit_test(test_ordered),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_closest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
