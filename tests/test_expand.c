/*
 * test_expand.c — ${name} expansion: plain values, values quoted for
 * PCRE2 (checked by compiling and matching the result), "$$", and the
 * offsets reported for undefined names and unclosed "${".
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "expand.h"
#include "match.h"

#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
	struct expand_vars *v = calloc(1, sizeof(*v));

	if (!v)
		return -1;
	expand_vars_init(v);
	expand_vars_set(v, "a", "1");
	expand_vars_set(v, "localversion", "-JanTrzeci");
	expand_vars_set(v, "kernel.release", "6.1.0-13-amd64");
	expand_vars_set(v, "odd", "a.b(c)[d]*+?^$|\\/ {2} -]");
	*state = v;
	return 0;
}

static int teardown(void **state)
{
	expand_vars_free(*state);
	free(*state);
	return 0;
}

static void expect_expansion(const struct expand_vars *v, const char *in,
			     enum expand_mode mode, const char *want)
{
	size_t off = 99;
	char *name = (char *)"untouched";
	char *out = expand(in, v, mode, &off, &name);

	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
}

static void test_plain(void **state)
{
	const struct expand_vars *v = *state;

	expect_expansion(v, "", EXPAND_PLAIN, "");
	expect_expansion(v, "no variables", EXPAND_PLAIN, "no variables");
	expect_expansion(v, "x${a}y", EXPAND_PLAIN, "x1y");
	expect_expansion(v, "/lib/modules/${kernel.release}/extra",
			 EXPAND_PLAIN, "/lib/modules/6.1.0-13-amd64/extra");
	expect_expansion(v, "${a}${a}${localversion}", EXPAND_PLAIN,
			 "11-JanTrzeci");
	expect_expansion(v, "${odd}", EXPAND_PLAIN,
			 "a.b(c)[d]*+?^$|\\/ {2} -]");
}

static void test_override_and_get(void **state)
{
	struct expand_vars *v = *state;

	assert_string_equal(expand_vars_get(v, "a"), "1");
	assert_null(expand_vars_get(v, "b"));
	expand_vars_set(v, "a", "2");
	assert_string_equal(expand_vars_get(v, "a"), "2");
	expect_expansion(v, "${a}", EXPAND_PLAIN, "2");
}

static void test_dollars(void **state)
{
	const struct expand_vars *v = *state;

	expect_expansion(v, "$$", EXPAND_PLAIN, "$");
	expect_expansion(v, "cost: $$5", EXPAND_PLAIN, "cost: $5");
	expect_expansion(v, "$${a}", EXPAND_PLAIN, "${a}");
	expect_expansion(v, "$$$${a}", EXPAND_PLAIN, "$${a}");
	expect_expansion(v, "$$${a}", EXPAND_PLAIN, "$1");
	/* A "$" not starting "${" or "$$" stays: it is an anchor. */
	expect_expansion(v, "^foo$", EXPAND_REGEX, "^foo$");
	expect_expansion(v, "$HOME $1", EXPAND_PLAIN, "$HOME $1");
	expect_expansion(v, "end$$", EXPAND_REGEX, "end$");
}

static void test_regex_quoting(void **state)
{
	const struct expand_vars *v = *state;
	const char *odd = "a.b(c)[d]*+?^$|\\/ {2} -]";
	const char *subject = "x a.b(c)[d]*+?^$|\\/ {2} -] y";
	const char *look_alike = "x aXb(c)[d]*+?^$|\\/ {2} -] y";
	struct match_pattern *p;
	char *pattern, *err = NULL;
	size_t off, s, e;

	expect_expansion(v, "${a}.${localversion}", EXPAND_REGEX,
			 "1.\\-JanTrzeci");
	pattern = expand("^x ${odd} y$", v, EXPAND_REGEX, &off, NULL);
	assert_non_null(pattern);
	p = match_compile(pattern, &err, &off);
	assert_non_null(p);
	assert_int_equal(match_find(p, subject, strlen(subject), 0, &s, &e), 1);
	assert_int_equal(s, 0);
	assert_int_equal(e, strlen(subject));
	assert_int_equal(match_find(p, look_alike, strlen(look_alike), 0, &s,
				    &e),
			 0);
	match_free(p);
	free(pattern);

	/* Quoted values compose inside a character class too. */
	pattern = expand("^[${odd}]+$", v, EXPAND_REGEX, &off, NULL);
	p = match_compile(pattern, &err, &off);
	assert_non_null(p);
	assert_int_equal(match_find(p, odd, strlen(odd), 0, &s, &e), 1);
	assert_int_equal(match_find(p, "Z", 1, 0, &s, &e), 0);
	match_free(p);
	free(pattern);
}

static void test_undefined(void **state)
{
	const struct expand_vars *v = *state;
	char *name = NULL;
	size_t off = 0;

	assert_null(expand("ab ${nope} ${a}", v, EXPAND_PLAIN, &off, &name));
	assert_int_equal(off, 3);
	assert_string_equal(name, "nope");
	free(name);
	assert_null(expand("${a}${localverison}", v, EXPAND_REGEX, &off,
			   &name));
	assert_int_equal(off, 4);
	assert_string_equal(name, "localverison");
	free(name);
	/* The outputs are optional. */
	assert_null(expand("${nope}", v, EXPAND_PLAIN, NULL, NULL));
}

static void test_syntax_errors(void **state)
{
	const struct expand_vars *v = *state;
	const char *bad[] = { "x ${abc", "x ${", "x ${}", "x ${1a}", "x ${a b}",
			      "x ${a" };
	size_t i, off;
	char *name;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		name = (char *)"untouched";
		off = 0;
		assert_null(expand(bad[i], v, EXPAND_PLAIN, &off, &name));
		assert_int_equal(off, 2);
		assert_null(name);
	}
}

struct seen {
	char names[8][32];
	size_t offsets[8];
	size_t n;
};

static void remember(const char *name, size_t offset, void *arg)
{
	struct seen *s = arg;

	assert_true(s->n < 8);
	strncpy(s->names[s->n], name, sizeof(s->names[0]) - 1);
	s->offsets[s->n++] = offset;
}

static void test_each_name(void **state)
{
	struct seen s = { 0 };
	size_t bad = 0;

	(void)state;
	assert_int_equal(expand_each_name("${a} $${b} $ ${c.d-e_f}$$", remember,
					  &s, &bad),
			 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.names[0], "a");
	assert_int_equal(s.offsets[0], 0);
	assert_string_equal(s.names[1], "c.d-e_f");
	assert_int_equal(s.offsets[1], 13);

	memset(&s, 0, sizeof(s));
	assert_int_equal(expand_each_name("${a} and ${unclosed", remember, &s,
					  &bad),
			 -1);
	assert_int_equal(bad, 9);
	assert_int_equal(s.n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_override_and_get, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dollars, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regex_quoting, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_undefined, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_syntax_errors, setup,
						teardown),
		cmocka_unit_test(test_each_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
