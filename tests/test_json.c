/* test_json.c — the JSON emitter (tools/lib/util/json.c): nesting,
 * separators and indentation, every kind of value, strings escaped to
 * valid JSON of valid UTF-8 (controls, quotes, stray bytes, U+2028);
 * and base64 (text_base64()) against RFC 4648's test vectors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "json.h"
#include "text.h"
#include "util.h"

/* `s` as a JSON string, compact. */
static void assert_string_json(const char *s, size_t len, const char *want)
{
	struct sb sb;
	struct json j;

	sb_init(&sb);
	json_init(&j, &sb, true);
	json_string_len(&j, s, len);
	assert_string_equal(sb.buf, want);
	sb_release(&sb);
}

#define STR(lit, want) assert_string_json(lit, sizeof(lit) - 1, want)

static void strings_escaped(void **state)
{
	(void)state;
	STR("plain", "\"plain\"");
	STR("", "\"\"");
	STR("say \"hi\" \\ bye", "\"say \\\"hi\\\" \\\\ bye\"");
	STR("a\nb\tc\rd\be\ff", "\"a\\nb\\tc\\rd\\be\\ff\"");
	STR("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	STR("\x1b[31mred\x1b[0m", "\"\\u001b[31mred\\u001b[0m\"");
	STR("nul\0in", "\"nul\\u0000in\"");
	/* UTF-8 stays as it is */
	STR("zażółć €  \xf0\x9f\x90\xa7", "\"zażółć €  \xf0\x9f\x90\xa7\"");
	/* a script embedding the text stays safe */
	STR("a\xe2\x80\xa8" "b\xe2\x80\xa9", "\"a\\u2028b\\u2029\"");
	/* what is not UTF-8 is U+FFFD, each byte */
	STR("bad \xff\xfe end", "\"bad \\ufffd\\ufffd end\"");
	STR("cut \xc5", "\"cut \\ufffd\"");
	STR("\xc0\x80", "\"\\ufffd\\ufffd\"");            /* overlong NUL */
	STR("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""); /* a surrogate */
}

static void document_indented(void **state)
{
	struct sb sb;
	struct json j;

	(void)state;
	sb_init(&sb);
	json_init(&j, &sb, false);
	json_object(&j);
	json_key(&j, "score");
	json_number(&j, 2.5, 1);
	json_key(&j, "n");
	json_int(&j, -3);
	json_key(&j, "ok");
	json_bool(&j, true);
	json_key(&j, "none");
	json_null(&j);
	json_key(&j, "empty");
	json_array(&j);
	json_end(&j);
	json_key(&j, "nothing");
	json_object(&j);
	json_end(&j);
	json_key(&j, "tests");
	json_array(&j);
	json_object(&j);
	json_key(&j, "name");
	json_string(&j, "1.1");
	json_key(&j, "tags");
	json_array(&j);
	json_string(&j, "a");
	json_string(&j, "b");
	json_end(&j);
	json_end(&j);
	json_int(&j, 7);
	json_end(&j);
	json_end(&j);
	assert_string_equal(sb.buf,
		"{\n"
		"  \"score\": 2.5,\n"
		"  \"n\": -3,\n"
		"  \"ok\": true,\n"
		"  \"none\": null,\n"
		"  \"empty\": [],\n"
		"  \"nothing\": {},\n"
		"  \"tests\": [\n"
		"    {\n"
		"      \"name\": \"1.1\",\n"
		"      \"tags\": [\n"
		"        \"a\",\n"
		"        \"b\"\n"
		"      ]\n"
		"    },\n"
		"    7\n"
		"  ]\n"
		"}\n");
	sb_release(&sb);
}

static void document_compact(void **state)
{
	struct sb sb;
	struct json j;

	(void)state;
	sb_init(&sb);
	json_init(&j, &sb, true);
	json_object(&j);
	json_key(&j, "k\"ey");
	json_array(&j);
	json_number(&j, 1.0 / 3, 4);
	json_number(&j, 6, 0);
	json_number(&j, NAN, 1);
	json_end(&j);
	json_key(&j, "s");
	json_string(&j, NULL);
	json_end(&j);
	assert_string_equal(sb.buf, "{\"k\\\"ey\":[0.3333,6,0.0],\"s\":\"\"}");
	sb_release(&sb);
}

static void base64(const char *in, const char *want)
{
	struct sb sb;

	sb_init(&sb);
	sb_adds(&sb, "");
	text_base64(&sb, in, strlen(in));
	assert_string_equal(sb.buf, want);
	sb_release(&sb);
}

static void base64_rfc4648(void **state)
{
	(void)state;
	base64("", "");
	base64("f", "Zg==");
	base64("fo", "Zm8=");
	base64("foo", "Zm9v");
	base64("foob", "Zm9vYg==");
	base64("fooba", "Zm9vYmE=");
	base64("foobar", "Zm9vYmFy");
	base64("\xff\xfe\xfd", "//79");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strings_escaped),
		cmocka_unit_test(document_indented),
		cmocka_unit_test(document_compact),
		cmocka_unit_test(base64_rfc4648),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
