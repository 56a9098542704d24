/*
 * check.c — the judge: a step's verdict from the spec's expectations and
 * the step's saved result, with no guest running.  `labkit check`
 * (check_cmocka.c writes the verdict as cmocka tests) and the report both
 * judge through check_judge(), so they can never disagree.
 *
 * A failed `match` names the pattern and shows the output lines that come
 * closest; a step the run could not finish (timeout, panic) fails every
 * expectation with the run's reason.  A skipped step is skipped, never
 * passed.  Nothing here prints or fails: explanations are returned.
 */
#include "check.h"
#include "match.h"

#include <stdbool.h>
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
			  struct sb *why, struct expand_vars *named)
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

/* The guest's fault during the step, quoted, with its source line. */
static void quote_fault(struct sb *why, const struct results_fault *f)
{
	sb_addf(why, "%s: '%s'", results_fault_name(f->kind),
		f->line ? f->line : "");
	if (f->where)
		sb_addf(why, "\n  at %s%s%s", f->where, f->source ? ":\n" : "",
			f->source ? f->source : "");
}

/* oops:, warn:, panic: — a fault of that kind whose text matches. */
static int check_fault(const struct spec_expect *e,
		       const struct expand_vars *vars,
		       const struct results_step *rs, struct sb *why,
		       struct expand_vars *named)
{
	const struct results_fault *f = &rs->fault;
	struct sb text;
	int r;

	if (f->kind != e->fault) {
		sb_addf(why, "expected %s '%s', but ", results_fault_name(e->fault),
			e->patterns[0]);
		if (f->kind == FAULT_NONE)
			sb_adds(why, "the kernel reported no fault");
		else
			quote_fault(why, f);
		return 0;
	}
	sb_init(&text);
	sb_addf(&text, "%s\n%s", f->line ? f->line : "", f->trace ? f->trace : "");
	r = check_patterns(e, vars, text.buf, why, named);
	sb_release(&text);
	return r;
}

int check_expect(const struct spec_expect *e, const struct spec_step *st,
		 const struct expand_vars *vars, const struct results *res,
		 const struct results_step *rs, struct sb *why,
		 struct expand_vars *named)
{
	static const char *const names[] = { "", " of the host command",
					     " (boot)", " of the kernel",
					     " of the command before" };
	int status;
	const char *text = subject(e, res, rs, &status);

	if (e->kind == SPEC_EXPECT_TIMEOUT) {
		if (rs->status == STATUS_TIMEOUT)
			return 1;
		sb_addf(why, "expected the step to pass its deadline, but it "
			"ended: %s", results_status_name(rs->status));
		return 0;
	}
	if (e->kind == SPEC_EXPECT_FAULT)
		return check_fault(e, vars, rs, why, named);
	if (rs->status != STATUS_RAN && !spec_step_expects_end(st, rs->status)) {
		const char *name = results_status_name(rs->status);
		const char *more = rs->status == STATUS_PANIC && rs->fault.line ?
				   rs->fault.line : rs->reason;

		if (more && !strcmp(more, name))   /* "timeout: timeout" */
			more = NULL;
		sb_addf(why, "the step did not run to the end: %s%s%s", name,
			more ? ": " : "", more ? more : "");
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
	return check_patterns(e, vars, text, why, named);
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
	struct sb why;

	ce->e = e;
	ce->patterns = xcalloc(e->npatterns + 1, sizeof(*ce->patterns));
	for (size_t i = 0; i < e->npatterns; i++)
		ce->patterns[i] = pattern_for_check(e->patterns[i], vars);
	copy.patterns = ce->patterns;
	sb_init(&why);
	ce->held = check_expect(&copy, st, vars, res, rs, &why, named);
	if (ce->held == 1)
		sb_release(&why);
	else
		ce->why = sb_detach(&why, NULL);
}

/* A fault (or an end) of the guest the step does not expect: 1 with the
 * explanation in `why`, else 0. */
static int unexpected_fault(const struct spec_step *st,
			    const struct results_step *rs, struct sb *why)
{
	for (size_t i = 0; i < st->nexpect; i++)
		if (st->expect[i].kind == SPEC_EXPECT_FAULT &&
		    st->expect[i].fault == rs->fault.kind)
			return 0;
	if (rs->fault.kind == FAULT_NONE)
		return 0;
	sb_adds(why, "unexpected ");
	quote_fault(why, &rs->fault);
	return 1;
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
	struct sb why;

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
	sb_init(&why);
	if (unexpected_fault(st, j->rs, &why))
		j->unexpected = sb_detach(&why, NULL);
	sb_release(&why);
	if (j->basis == BASIS_UNFINISHED)
		return;
	j->basis = st->nexpect ? BASIS_EXPECTATIONS : BASIS_NOTHING;
	j->why_unchecked = st->unchecked;
	j->verdict = j->failed || j->unexpected ? VERDICT_FAILED : VERDICT_PASSED;
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
		free(j->expect[i].why);
	}
	free(j->expect);
	free(j->unexpected);
	expand_vars_free(&j->captures);
	memset(j, 0, sizeof(*j));
}
