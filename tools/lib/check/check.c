/*
 * check.c — the judge: a step's verdict from the spec's expectations and
 * the step's saved result, with no guest running.  `labkit check`
 * (check_cmocka.c writes the verdict as cmocka tests) and the report both
 * judge through check_judge(), so they can never disagree.
 *
 * A failed `match` names the pattern and shows the output lines that come
 * closest; a step the run could not finish (timeout, panic) fails every
 * expectation with the run's reason.  A skipped step is skipped, never
 * passed.  Nothing here prints or fails: explanations are returned, as
 * reasons of the catalog (results/reason.h), which whoever shows them
 * words in its language.
 */
#include "check.h"
#include "match.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLOSEST 3

static const char *const verdict_names[VERDICT_COUNT] = {
	[VERDICT_PASSED] = "passed",
	[VERDICT_FAILED] = "failed",
	[VERDICT_SKIPPED] = "skipped",
	[VERDICT_NOT_RUN] = "not run",
};

const char *check_verdict_name(enum verdict v)
{
	return (unsigned)v < VERDICT_COUNT ? verdict_names[v] : "?";
}

void check_vars(const struct spec *spec, const struct results *res,
		struct expand_vars *vars)
{
	spec_vars(spec, NULL, vars);
	if (res->exercise)
		expand_vars_set(vars, "exercise.id", res->exercise);
	for (size_t i = 0; i < res->facts.n; i++)
		expand_vars_set(vars, res->facts.name[i], res->facts.value[i]);
}

static struct match_pattern *compile(const char *src,
				     const struct expand_vars *vars,
				     struct reason *why)
{
	size_t off;
	char *bad = NULL, *err = NULL, at[32];
	char *pat = expand(src, vars, EXPAND_REGEX, &off, &bad);
	struct match_pattern *p;

	if (!pat) {
		reason_set(why, REASON_PATTERN_UNDEFINED, src, bad ? bad : "?");
		free(bad);
		return NULL;
	}
	p = match_compile(pat, &err, &off);
	if (!p) {
		snprintf(at, sizeof(at), "%zu", off);
		reason_set(why, REASON_PATTERN_BAD, pat, err, at);
		free(err);
	}
	free(pat);
	return p;
}

/* What the output shows of a pattern not found: the lines that come
 * closest, or the whole output. */
static void show_output(struct reason *shown, const char *pattern,
			const char *out)
{
	const char *lines[CLOSEST];
	size_t lens[CLOSEST], n;
	struct sb quoted;

	n = match_closest(pattern, out, strlen(out), CLOSEST, lines, lens);
	if (n == 0) {
		if (*out)
			reason_set(shown, REASON_WHOLE_OUTPUT, out);
		else
			reason_set(shown, REASON_EMPTY_OUTPUT);
		return;
	}
	sb_init(&quoted);
	for (size_t i = 0; i < n; i++)
		sb_addf(&quoted, "%s  | %.*s", i ? "\n" : "", (int)lens[i],
			lines[i]);
	reason_set(shown, REASON_CLOSEST_LINES, quoted.buf);
	sb_release(&quoted);
}

/* Pattern i of `e` (of an ordered list, after the one before) not found
 * in `out`. */
static void not_found(const struct spec_expect *e, size_t i, const char *out,
		      struct reason *why)
{
	struct reason shown = REASON_INIT;

	show_output(&shown, e->patterns[i], out);
	if (e->kind == SPEC_EXPECT_ORDERED && i > 0)
		reason_set(why, REASON_PATTERN_MISSING_AFTER, e->patterns[i],
			   e->patterns[i - 1], &shown);
	else
		reason_set(why, REASON_PATTERN_MISSING, e->patterns[i], &shown);
	reason_free(&shown);
}

static int check_patterns(const struct spec_expect *e,
			  const struct expand_vars *vars, const char *out,
			  struct reason *why, struct expand_vars *named)
{
	size_t len = strlen(out), pos = 0, ms, me;

	for (size_t i = 0; i < e->npatterns; i++) {
		struct match_pattern *p = compile(e->patterns[i], vars, why);
		int r;

		if (!p)
			return -1;
		r = match_find_named(p, out, len, pos, &ms, &me,
				     e->kind == SPEC_EXPECT_ABSENT ? NULL : named);
		match_free(p);
		if (e->kind == SPEC_EXPECT_ABSENT) {
			char *seen;

			if (r != 1)
				return 1;
			seen = xstrndup(out + ms, me - ms);
			reason_set(why, REASON_PATTERN_PRESENT, e->patterns[0],
				   seen);
			free(seen);
			return 0;
		}
		if (r != 1) {
			not_found(e, i, out, why);
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
	case SPEC_IN_KERNEL:
		*exit_status = -1;
		return rs->kernel ? rs->kernel : "";
	case SPEC_IN_BEFORE:
		*exit_status = rs->before_exit;
		return rs->before_output ? rs->before_output : "";
	case SPEC_IN_OUTPUT:
		break;
	}
	*exit_status = rs->exit_status;
	return rs->output ? rs->output : "";
}

/* `why` about the guest's fault, with the source line it names. */
static void at_source(struct reason *why, const struct results_fault *f)
{
	if (f->where && f->source)
		reason_wrap(why, REASON_AT_SOURCE, f->where, f->source);
	else if (f->where)
		reason_wrap(why, REASON_AT, f->where);
}

/* oops:, warn:, panic: — a fault of that kind whose text matches. */
static int check_fault(const struct spec_expect *e,
		       const struct expand_vars *vars,
		       const struct results_step *rs, struct reason *why,
		       struct expand_vars *named)
{
	const struct results_fault *f = &rs->fault;
	struct sb text;
	int r;

	if (f->kind != e->fault) {
		if (f->kind == FAULT_NONE) {
			reason_set(why, REASON_FAULT_NONE_SEEN, (int)e->fault,
				   e->patterns[0]);
			return 0;
		}
		reason_set(why, REASON_FAULT_OTHER, (int)e->fault,
			   e->patterns[0], (int)f->kind, f->line ? f->line : "");
		at_source(why, f);
		return 0;
	}
	sb_init(&text);
	sb_addf(&text, "%s\n%s", f->line ? f->line : "", f->trace ? f->trace : "");
	r = check_patterns(e, vars, text.buf, why, named);
	sb_release(&text);
	return r;
}

/* A step the run did not finish: its status, and the panic's line or
 * the run's reason (unless it only names the status: "timeout"). */
static void unfinished(const struct results_step *rs, struct reason *why)
{
	struct reason more = REASON_INIT;

	if (rs->status == STATUS_PANIC && rs->fault.line)
		reason_set(&more, REASON_TEXT, rs->fault.line);
	else if (!results_reason_names(&rs->reason, rs->status))
		reason_copy(&more, &rs->reason);
	if (more.code == REASON_NONE)
		reason_set(why, REASON_UNFINISHED, (int)rs->status);
	else
		reason_set(why, REASON_UNFINISHED_WHY, (int)rs->status, &more);
	reason_free(&more);
}

/* An exit status not the one expected, with what was printed. */
static void exit_mismatch(const struct spec_expect *e, int status,
			  const char *text, struct reason *why)
{
	static const enum reason_code codes[] = {
		[SPEC_IN_OUTPUT] = REASON_EXIT_STATUS,
		[SPEC_IN_HOST] = REASON_EXIT_STATUS_HOST,
		[SPEC_IN_BOOT] = REASON_EXIT_STATUS_BOOT,
		[SPEC_IN_KERNEL] = REASON_EXIT_STATUS_KERNEL,
		[SPEC_IN_BEFORE] = REASON_EXIT_STATUS_BEFORE,
	};
	char got[16], want[16];

	snprintf(got, sizeof(got), "%d", status);
	snprintf(want, sizeof(want), "%d", e->exit_status);
	reason_set(why, codes[e->in], got, want);
	if (*text)
		reason_wrap(why, REASON_WITH_OUTPUT, text);
}

int check_expect(const struct spec_expect *e, const struct spec_step *st,
		 const struct expand_vars *vars, const struct results *res,
		 const struct results_step *rs, struct reason *why,
		 struct expand_vars *named)
{
	static const enum reason_code in[] = {
		[SPEC_IN_OUTPUT] = REASON_NONE, [SPEC_IN_HOST] = REASON_IN_HOST,
		[SPEC_IN_BOOT] = REASON_IN_BOOT, [SPEC_IN_KERNEL] = REASON_IN_KERNEL,
		[SPEC_IN_BEFORE] = REASON_IN_BEFORE,
	};
	int status, held;
	const char *text = subject(e, res, rs, &status);

	if (e->kind == SPEC_EXPECT_TIMEOUT) {
		if (rs->status == STATUS_TIMEOUT)
			return 1;
		reason_set(why, REASON_TIMEOUT_EXPECTED, (int)rs->status);
		return 0;
	}
	if (e->kind == SPEC_EXPECT_FAULT)
		return check_fault(e, vars, rs, why, named);
	if (rs->status != STATUS_RAN && !spec_step_expects_end(st, rs->status)) {
		unfinished(rs, why);
		return 0;
	}
	if (e->kind == SPEC_EXPECT_EXIT) {
		if (status == e->exit_status)
			return 1;
		exit_mismatch(e, status, text, why);
		return 0;
	}
	held = check_patterns(e, vars, text, why, named);
	if (held != 1 && in[e->in] != REASON_NONE)
		reason_wrap(why, in[e->in]);
	return held;
}

/* ---- the judge ---- */

/*
 * A pattern with the run's variables filled in, to show and to check.
 * check_expect() expands it once more: that must change nothing, so a
 * result holding "$$" or "${" keeps the spec's own text.
 */
static char *pattern_for_check(const char *src, const struct expand_vars *vars)
{
	size_t off;
	char *p = expand(src, vars, EXPAND_REGEX, &off, NULL);

	if (!p || strstr(p, "$$") || strstr(p, "${")) {
		free(p);
		return xstrdup(src);
	}
	return p;
}

static void judge_expect(const struct spec_expect *e,
			 const struct spec_step *st, const struct results *res,
			 const struct results_step *rs,
			 const struct expand_vars *vars, struct check_expect *ce,
			 struct expand_vars *named)
{
	struct spec_expect copy = *e;

	ce->e = e;
	ce->patterns = xcalloc(e->npatterns + 1, sizeof(*ce->patterns));
	for (size_t i = 0; i < e->npatterns; i++)
		ce->patterns[i] = pattern_for_check(e->patterns[i], vars);
	copy.patterns = ce->patterns;
	ce->held = check_expect(&copy, st, vars, res, rs, &ce->why, named);
	if (ce->held == 1)
		reason_free(&ce->why);
}

void check_fault_note(const struct results_fault *f, struct reason *note)
{
	reason_set(note, REASON_UNEXPECTED_FAULT, (int)f->kind,
		   f->line ? f->line : "");
	if (f->where)
		reason_wrap(note, REASON_FAULT_WHERE, f->where);
}

/* A fault of the guest the step does not expect: `why` says so, quoted
 * with its source line; else it stays REASON_NONE. */
static void unexpected_fault(const struct spec_step *st,
			     const struct results_step *rs, struct reason *why)
{
	const struct results_fault *f = &rs->fault;

	for (size_t i = 0; i < st->nexpect; i++)
		if (st->expect[i].kind == SPEC_EXPECT_FAULT &&
		    st->expect[i].fault == f->kind)
			return;
	if (f->kind == FAULT_NONE)
		return;
	reason_set(why, REASON_UNEXPECTED_FAULT, (int)f->kind,
		   f->line ? f->line : "");
	at_source(why, f);
}

/* The verdict and its basis when the result alone decides it. */
static bool judge_status(const struct spec_step *st,
			 const struct results_step *rs,
			 struct check_judgement *j)
{
	switch (rs->status) {
	case STATUS_SKIP:
		j->verdict = VERDICT_SKIPPED;
		j->basis = BASIS_SKIPPED;
		return true;
	case STATUS_NOT_RUN:
		j->verdict = VERDICT_NOT_RUN;
		j->basis = BASIS_NOT_RUN;
		return true;
	case STATUS_RAN:
		return false;
	case STATUS_TIMEOUT:
	case STATUS_PANIC:
		if (spec_step_expects_end(st, rs->status))
			return false;
		/* fall through */
	case STATUS_INTERRUPTED:
	case STATUS_GUEST_EXIT:
	case STATUS_ERROR:
	case STATUS_COUNT:
		break;
	}
	j->verdict = VERDICT_FAILED;
	j->basis = BASIS_UNFINISHED;
	return false;            /* its expectations say why, each */
}

void check_judge(const struct spec_step *st, const struct results *res,
		 const struct expand_vars *vars, struct check_judgement *j)
{
	memset(j, 0, sizeof(*j));
	expand_vars_init(&j->captures);
	j->verdict = VERDICT_NOT_RUN;
	j->basis = res ? BASIS_NOT_RECORDED : BASIS_NO_RESULTS;
	j->rs = res ? results_step(res, st->id) : NULL;
	if (!j->rs || judge_status(st, j->rs, j))
		return;
	j->nexpect = st->nexpect;
	j->expect = xcalloc(st->nexpect + 1, sizeof(*j->expect));
	for (size_t i = 0; i < st->nexpect; i++) {
		judge_expect(&st->expect[i], st, res, j->rs, vars, &j->expect[i],
			     &j->captures);
		j->failed += j->expect[i].held != 1;
	}
	unexpected_fault(st, j->rs, &j->unexpected);
	if (j->basis == BASIS_UNFINISHED)
		return;
	j->basis = st->nexpect ? BASIS_EXPECTATIONS : BASIS_NOTHING;
	j->why_unchecked = st->unchecked;
	j->verdict = j->failed || j->unexpected.code ? VERDICT_FAILED :
		     VERDICT_PASSED;
}

bool check_failed(const struct spec *spec, const struct spec_step *st,
		  const struct results *res)
{
	struct expand_vars vars;
	struct check_judgement j;
	bool failed;

	expand_vars_init(&vars);
	check_vars(spec, res, &vars);
	check_judge(st, res, &vars, &j);
	failed = j.verdict == VERDICT_FAILED;
	check_judgement_free(&j);
	expand_vars_free(&vars);
	return failed;
}

void check_judgement_free(struct check_judgement *j)
{
	for (size_t i = 0; i < j->nexpect; i++) {
		for (size_t k = 0; k < j->expect[i].e->npatterns; k++)
			free(j->expect[i].patterns[k]);
		free(j->expect[i].patterns);
		reason_free(&j->expect[i].why);
	}
	free(j->expect);
	reason_free(&j->unexpected);
	expand_vars_free(&j->captures);
	memset(j, 0, sizeof(*j));
}
