/* test_text.c — UTF-8 checked, counted and cut; HTML/XML escaping. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "util.h"

static size_t len_of(const char *s)
{
	return text_utf8_len(s, strlen(s));
}

static void utf8_len_of_valid_sequences(void **state)
{
	(void)state;
	assert_int_equal(len_of("a"), 1);
	assert_int_equal(len_of("\t"), 1);
	assert_int_equal(len_of("\xc2\x80"), 2);         /* U+0080 */
	assert_int_equal(len_of("ż"), 2);
	assert_int_equal(len_of("\xdf\xbf"), 2);         /* U+07FF */
	assert_int_equal(len_of("\xe0\xa0\x80"), 3);     /* U+0800 */
	assert_int_equal(len_of("€"), 3);
	assert_int_equal(len_of("\xed\x9f\xbf"), 3);     /* U+D7FF */
	assert_int_equal(len_of("\xee\x80\x80"), 3);     /* U+E000 */
	assert_int_equal(len_of("\xef\xbf\xbd"), 3);     /* U+FFFD */
	assert_int_equal(len_of("\xf0\x90\x80\x80"), 4); /* U+10000 */
	assert_int_equal(len_of("\xf4\x8f\xbf\xbf"), 4); /* U+10FFFF */
	/* only the first character counts */
	assert_int_equal(len_of("żółw"), 2);
	assert_int_equal(text_utf8_len("\0x", 2), 1);
}

static void utf8_len_refuses_overlong(void **state)
{
	(void)state;
	assert_int_equal(len_of("\xc0\x80"), 0);         /* NUL in two */
	assert_int_equal(len_of("\xc1\xbf"), 0);         /* U+007F in two */
	assert_int_equal(len_of("\xe0\x80\x80"), 0);
	assert_int_equal(len_of("\xe0\x9f\xbf"), 0);     /* U+07FF in three */
	assert_int_equal(len_of("\xf0\x80\x80\x80"), 0);
	assert_int_equal(len_of("\xf0\x8f\xbf\xbf"), 0); /* U+FFFF in four */
}

static void utf8_len_refuses_surrogates_and_beyond(void **state)
{
	(void)state;
	assert_int_equal(len_of("\xed\xa0\x80"), 0);     /* U+D800 */
	assert_int_equal(len_of("\xed\xbf\xbf"), 0);     /* U+DFFF */
	assert_int_equal(len_of("\xf4\x90\x80\x80"), 0); /* U+110000 */
	assert_int_equal(len_of("\xf7\xbf\xbf\xbf"), 0);
	assert_int_equal(len_of("\xf8\x88\x80\x80\x80"), 0); /* five bytes */
	assert_int_equal(len_of("\xff"), 0);
	assert_int_equal(len_of("\xfe"), 0);
}

static void utf8_len_refuses_cut_and_stray_bytes(void **state)
{
	(void)state;
	/* a lone continuation byte */
	assert_int_equal(len_of("\x80"), 0);
	assert_int_equal(len_of("\xbf" "a"), 0);
	/* the sequence goes past `left` */
	assert_int_equal(text_utf8_len("ż", 1), 0);
	assert_int_equal(text_utf8_len("€", 2), 0);
	assert_int_equal(text_utf8_len("\xf0\x90\x80\x80", 3), 0);
	assert_int_equal(text_utf8_len("a", 0), 0);
	/* a continuation byte missing before the end */
	assert_int_equal(len_of("\xe2\x82" "a"), 0);
	assert_int_equal(len_of("\xc5" "a"), 0);
}

static void utf8_chars_counts_lead_bytes(void **state)
{
	(void)state;
	assert_int_equal(text_utf8_chars("zażółć", strlen("zażółć")), 6);
	assert_int_equal(text_utf8_chars("zażółć", 4), 3);  /* z a ż */
	assert_int_equal(text_utf8_chars("abc", 0), 0);
	assert_int_equal(text_utf8_chars("\xf0\x9f\x90\xa7!", 5), 2);
}

/* Never splits a character: "zażółć" is 6 characters in 10 bytes. */
static void utf8_prefix_counts_characters(void **state)
{
	size_t chars;

	(void)state;
	assert_int_equal(text_utf8_prefix("zażółć", 3, &chars), 4); /* z a ż */
	assert_int_equal(chars, 3);
	assert_int_equal(text_utf8_prefix("zażółć", 99, &chars), 10);
	assert_int_equal(chars, 6);
	assert_int_equal(text_utf8_prefix("abc", 0, NULL), 0);
	assert_int_equal(text_utf8_prefix("", 5, &chars), 0);
	assert_int_equal(chars, 0);
	assert_int_equal(text_utf8_prefix("€€€", 2, &chars), 6);
	assert_int_equal(chars, 2);
	assert_int_equal(text_utf8_prefix("a\xf0\x9f\x90\xa7z", 2, &chars), 5);
	assert_int_equal(chars, 2);
}

static void utf8_clean_replaces_each_bad_byte(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "", "" },
		{ "plain ASCII\n", "plain ASCII\n" },
		{ "zażółć", "zażółć" },
		{ "caf\xc3\xa9 \xff\xfe bad", "caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd bad" },
		{ "\xc0\x80", "\xef\xbf\xbd\xef\xbf\xbd" },      /* overlong */
		{ "\xed\xa0\x80!", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd!" },
		{ "cut \xe2\x82", "cut \xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xef\xbf\xbd", "\xef\xbf\xbd" },              /* U+FFFD itself */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = text_utf8_clean(cases[i].in);

		assert_string_equal(s, cases[i].out);
		free(s);
	}
}

/* text_escape() of a NUL-terminated string; caller frees. */
static char *escape(const char *s, int how)
{
	struct sb sb;

	sb_init(&sb);
	text_escape(&sb, s, strlen(s), how);
	return sb_detach(&sb, NULL);
}

#define assert_escape(in, how, want)                                       \
	do {                                                               \
		char *got_ = escape(in, how);                              \
		assert_string_equal(got_, want);                           \
		free(got_);                                                \
	} while (0)

static void escape_nothing_copies(void **state)
{
	(void)state;
	assert_escape("<a href=\"x\">it's & \x1b[0m \xff]]></a>", 0,
		      "<a href=\"x\">it's & \x1b[0m \xff]]></a>");
}

static void escape_html(void **state)
{
	struct sb sb;

	(void)state;
	assert_escape("<b class=\"x\">Tom & 'Jerry'</b>", TEXT_HTML,
		      "&lt;b class=&quot;x&quot;&gt;Tom &amp; 'Jerry'&lt;/b&gt;");
	assert_escape("it's", TEXT_HTML | TEXT_APOS, "it&#39;s");
	/* TEXT_APOS means nothing without TEXT_HTML */
	assert_escape("it's <", TEXT_APOS, "it's <");
	/* bytes are left as they are: no control or UTF-8 check */
	assert_escape("zażółć \x1b \xff", TEXT_HTML, "zażółć \x1b \xff");
	/* only `len` bytes; appends */
	sb_init(&sb);
	sb_adds(&sb, "x=");
	text_escape(&sb, "<<>>", 2, TEXT_HTML);
	assert_string_equal(sb.buf, "x=&lt;&lt;");
	text_html(&sb, "&");
	assert_string_equal(sb.buf, "x=&lt;&lt;&amp;");
	sb_release(&sb);
}

static void escape_controls(void **state)
{
	struct sb sb;

	(void)state;
	assert_escape("\x1b[1mbold\x1b[0m", TEXT_CONTROLS, "\\x1b[1mbold\\x1b[0m");
	/* tab, newline and CR stay (XML keeps them); every other C0
	 * control and DEL does not */
	assert_escape("a\tb\nc", TEXT_CONTROLS, "a\tb\nc");
	assert_escape("\x01\x07\x08\x0b\x0c\x1f\x7f", TEXT_CONTROLS,
		      "\\x01\\x07\\x08\\x0b\\x0c\\x1f\\x7f");
	assert_escape("line\r\n", TEXT_CONTROLS, "line\r\n");
	/* a byte that is not UTF-8, one at a time; valid UTF-8 stays */
	assert_escape("zażółć \xff\xfe", TEXT_CONTROLS, "zażółć \\xff\\xfe");
	assert_escape("\xc0\x80", TEXT_CONTROLS, "\\xc0\\x80");
	assert_escape("\xed\xa0\x80", TEXT_CONTROLS, "\\xed\\xa0\\x80");
	assert_escape("\xe2\x82", TEXT_CONTROLS, "\\xe2\\x82");
	/* a NUL inside `len` */
	sb_init(&sb);
	text_escape(&sb, "a\0b", 3, TEXT_CONTROLS);
	assert_string_equal(sb.buf, "a\\x00b");
	/* a sequence cut by `len` is not read past it */
	sb_reset(&sb);
	text_escape(&sb, "€", 2, TEXT_CONTROLS);
	assert_string_equal(sb.buf, "\\xe2\\x82");
	sb_release(&sb);
	/* with TEXT_HTML, as in a JUnit attribute */
	assert_escape("<\x1b>&\xff\"", TEXT_CONTROLS | TEXT_HTML,
		      "&lt;\\x1b&gt;&amp;\\xff&quot;");
}

static void escape_cdata_splits_the_end_marker(void **state)
{
	char *s;

	(void)state;
	assert_escape("a]]>b", TEXT_CDATA, "a]]]]><![CDATA[>b");
	assert_escape("]]>]]>", TEXT_CDATA, "]]]]><![CDATA[>]]]]><![CDATA[>");
	assert_escape("]]]>", TEXT_CDATA, "]]]]]><![CDATA[>");
	assert_escape("]] > ]>", TEXT_CDATA, "]] > ]>");
	assert_escape("x]]", TEXT_CDATA, "x]]");
	/* what CDATA carries stays as it is, but for the marker */
	assert_escape("<b>&\"x\"", TEXT_CDATA, "<b>&\"x\"");
	/* as check_cmocka.c escapes a failure's message */
	assert_escape("\x1b[1mHello]]> <b>&\"world\"\xff",
		      TEXT_CONTROLS | TEXT_CDATA,
		      "\\x1b[1mHello]]]]><![CDATA[> <b>&\"world\"\\xff");
	/* wrapped in a section, no "]]>" but the one that ends it */
	s = escape("]]>]]>", TEXT_CDATA);
	for (const char *p = strstr(s, "]]>"); p; p = strstr(p + 1, "]]>"))
		assert_memory_equal(p + 3, "<![CDATA[", 9);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf8_len_of_valid_sequences),
		cmocka_unit_test(utf8_len_refuses_overlong),
		cmocka_unit_test(utf8_len_refuses_surrogates_and_beyond),
		cmocka_unit_test(utf8_len_refuses_cut_and_stray_bytes),
		cmocka_unit_test(utf8_chars_counts_lead_bytes),
		cmocka_unit_test(utf8_prefix_counts_characters),
		cmocka_unit_test(utf8_clean_replaces_each_bad_byte),
		cmocka_unit_test(escape_nothing_copies),
		cmocka_unit_test(escape_html),
		cmocka_unit_test(escape_controls),
		cmocka_unit_test(escape_cdata_splits_the_end_marker),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
