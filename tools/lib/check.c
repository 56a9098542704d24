/*
 * check.c — `labkit check`: the verdict on one step, from the spec's
 * expectations and the step's saved result, with no guest running.  Each
 * expectation is one cmocka test built at run time, so TAP and xUnit come
 * from cmocka's own CMOCKA_MESSAGE_OUTPUT.
 *
 * A failed `match` names the step and the pattern and shows the output
 * lines that come closest; a step the run could not finish (timeout,
 * panic) fails every expectation with the run's reason and the console's
 * last lines.  A skipped step is reported as skipped (exit 77), never as
 * passed.
 */
#include "check.h"
#include "match.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define CLOSEST 3

void check_vars(const struct spec *spec, const struct results *res,
		struct expand_vars *vars)
{
	for (size_t i = 0; i < spec->nvars; i++)
		expand_vars_set(vars, spec->vars[i].name, spec->vars[i].value);
	expand_vars_set(vars, "lab.id", spec->lab_id);
	if (res->exercise)
		expand_vars_set(vars, "exercise.id", res->exercise);
	for (size_t i = 0; i < res->facts.n; i++)
		expand_vars_set(vars, res->facts.name[i], res->facts.value[i]);
}

static struct match_pattern *compile(const char *src,
				     const struct expand_vars *vars,
				     struct sb *why)
{
	size_t off;
	char *bad = NULL, *err = NULL;
	char *pat = expand(src, vars, EXPAND_REGEX, &off, &bad);
	struct match_pattern *p;

	if (!pat) {
		sb_addf(why, "pattern '%s': undefined variable '%s'", src,
			bad ? bad : "?");
		free(bad);
		return NULL;
	}
	p = match_compile(pat, &err, &off);
	if (!p) {
		sb_addf(why, "pattern '%s': %s at offset %zu", pat, err, off);
		free(err);
	}
	free(pat);
	return p;
}

static void show_output(struct sb *why, const char *pattern, const char *out)
{
	const char *lines[CLOSEST];
	size_t lens[CLOSEST], n;

	n = match_closest(pattern, out, strlen(out), CLOSEST, lines, lens);
	if (n == 0) {
		sb_adds(why, "\n  no line of the output comes close; the output was:\n");
		sb_adds(why, *out ? out : "  (empty)\n");
		return;
	}
	sb_adds(why, "\n  closest lines of the output:");
	for (size_t i = 0; i < n; i++)
		sb_addf(why, "\n  | %.*s", (int)lens[i], lines[i]);
}

static int check_patterns(const struct spec_expect *e,
			  const struct expand_vars *vars, const char *out,
			  struct sb *why)
{
	size_t len = strlen(out), pos = 0, ms, me;

	for (size_t i = 0; i < e->npatterns; i++) {
		struct match_pattern *p = compile(e->patterns[i], vars, why);
		int r;

		if (!p)
			return -1;
		r = match_find(p, out, len, pos, &ms, &me);
		match_free(p);
		if (e->kind == SPEC_EXPECT_ABSENT) {
			if (r != 1)
				return 1;
			sb_addf(why, "pattern '%s' must not appear, but does:\n  | %.*s",
				e->patterns[0], (int)(me - ms), out + ms);
			return 0;
		}
		if (r != 1) {
			if (e->kind == SPEC_EXPECT_ORDERED && i > 0)
				sb_addf(why, "pattern '%s' not found after '%s'",
					e->patterns[i], e->patterns[i - 1]);
			else
				sb_addf(why, "pattern '%s' not found",
					e->patterns[i]);
			show_output(why, e->patterns[i], out);
			return 0;
		}
		if (e->kind == SPEC_EXPECT_ORDERED)
			pos = me;
	}
	return 1;
}

/* The text an expectation looks at, and what to call it in messages. */
static const char *subject(const struct spec_expect *e,
			   const struct results *res,
			   const struct results_step *rs, int *exit_status)
{
	switch (e->in) {
	case SPEC_IN_HOST:
		*exit_status = rs->host_exit;
		return rs->host_output ? rs->host_output : "";
	case SPEC_IN_BOOT:
		*exit_status = -1;
		return res && res->boot ? res->boot : "";
	case SPEC_IN_OUTPUT:
		break;
	}
	*exit_status = rs->exit_status;
	return rs->output ? rs->output : "";
}

int check_expect(const struct spec_expect *e, const struct expand_vars *vars,
		 const struct results *res, const struct results_step *rs,
		 struct sb *why)
{
	static const char *const names[] = { "", " of the host command", " (boot)" };
	int status;
	const char *text = subject(e, res, rs, &status);

	if (strcmp(rs->status, "ran")) {
		sb_addf(why, "the step did not run to the end: %s%s%s",
			rs->status, rs->reason ? ": " : "",
			rs->reason ? rs->reason : "");
		return 0;
	}
	if (e->kind == SPEC_EXPECT_EXIT) {
		if (status == e->exit_status)
			return 1;
		sb_addf(why, "exit status%s %d, expected %d", names[e->in],
			status, e->exit_status);
		if (*text)
			sb_addf(why, "\n  output:\n%s", text);
		return 0;
	}
	if (e->in != SPEC_IN_OUTPUT)
		sb_addf(why, "in the output%s: ", names[e->in]);
	return check_patterns(e, vars, text, why);
}

/* ---- cmocka glue ---- */

struct check_case {
	const struct spec *spec;
	const struct spec_expect *expect;
	const struct expand_vars *vars;
	const struct results_step *rs;
	const struct results *res;
	bool *tail_shown;        /* the console tail is shown once a step */
};

/*
 * The explanation goes through _assert_true() as its "expression", so it
 * lands in cmocka's per-test message buffer and from there in the
 * standard, TAP and xUnit outputs alike (print_error() only reaches
 * stderr); the position is the expectation's own in the spec file.
 */
static void run_case(void **state)
{
	struct check_case *c = *state;
	struct sb why;
	int r;

	sb_init(&why);
	r = check_expect(c->expect, c->vars, c->res, c->rs, &why);
	if (r != 1 && c->res->tail && strcmp(c->rs->status, "ran") &&
	    !*c->tail_shown) {
		sb_addf(&why, "\n  last console lines:\n%s", c->res->tail);
		*c->tail_shown = true;
	}
	if (r != 1) {
		char *msg = xasprintf("step %s: %s", c->rs->id, why.buf);

		sb_release(&why);
		_assert_true(0, msg, c->spec->file, c->expect->pos.line);
		free(msg); /* not reached: _assert_true(0, ...) longjmps */
	}
	sb_release(&why);
}

static char *case_name(const struct spec_step *st, const struct spec_expect *e)
{
	static const char *const kinds[] = { "match", "absent", "exit", "ordered" };

	if (e->kind == SPEC_EXPECT_EXIT)
		return xasprintf("%s exit %d", st->id, e->exit_status);
	return xasprintf("%s %s '%s'%s", st->id, kinds[e->kind], e->patterns[0],
			 e->npatterns > 1 ? " ..." : "");
}

static int run_cases(const struct spec *spec, const struct results *res,
		     const struct spec_step *st, const struct results_step *rs)
{
	struct CMUnitTest *tests = xcalloc(st->nexpect, sizeof(*tests));
	struct check_case *cases = xcalloc(st->nexpect, sizeof(*cases));
	struct expand_vars vars;
	bool tail_shown = false;
	char *group = xasprintf("%s.%s", spec->lab_id, st->id);
	int failed;

	expand_vars_init(&vars);
	check_vars(spec, res, &vars);
	for (size_t i = 0; i < st->nexpect; i++) {
		cases[i] = (struct check_case){ spec, &st->expect[i], &vars, rs,
						res, &tail_shown };
		tests[i].name = case_name(st, &st->expect[i]);
		tests[i].test_func = run_case;
		tests[i].initial_state = &cases[i];
	}
	failed = _cmocka_run_group_tests(group, tests, st->nexpect, NULL, NULL);
	for (size_t i = 0; i < st->nexpect; i++)
		free((char *)tests[i].name);
	free(tests);
	free(cases);
	free(group);
	expand_vars_free(&vars);
	return failed ? EXIT_CHECK_FAILED : EXIT_OK;
}

int check_step(const struct spec *spec, const struct results *res,
	       const char *step_id)
{
	const struct spec_step *st = spec_step(spec, step_id, NULL);
	const struct results_step *rs = results_step(res, step_id);

	if (!st)
		return error("no step '%s' in '%s'", step_id, spec->file), EXIT_USAGE;
	if (!rs) {
		printf("step %s: no result: the run did not record it\n", step_id);
		return EXIT_CHECK_FAILED;
	}
	if (!strcmp(rs->status, "skip")) {
		printf("step %s skipped: %s\n", step_id,
		       rs->reason ? rs->reason : "no reason given");
		return EXIT_SKIP;
	}
	if (st->nexpect == 0) {
		printf("step %s: nothing to check (no expectations)\n", step_id);
		return strcmp(rs->status, "ran") ? EXIT_CHECK_FAILED : EXIT_OK;
	}
	return run_cases(spec, res, st, rs);
}
