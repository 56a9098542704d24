/*
 * report_step.c — a step of the report as Markdown (report_md.c writes
 * the rest): its question, verdict and times, the command as it ran (or
 * would have), its outputs, the wait, the kernel's fault with its source
 * line and messages, the answer quoting what the run showed, and the
 * expectations with what `labkit check` says of those that failed, in
 * the report's language.  Nothing here fails: it only appends to md.
 */
#include "report_int.h"
#include "fold.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define L(l) report_label(r, (l))

/* real/user/sys as time(1) prints them; a kernel build's is the seed's
 * "Zmierzony czas kompilacji", and says whether it was warm or cold:
 * a warm build's time is never shown as if it were a whole build's. */
static void md_times(struct report *r, struct sb *md,
		     const struct report_step *s)
{
	const double t[3] = { s->rs->duration, s->rs->user, s->rs->sys };
	static const char *const names[3] = { "real", "user", "sys" };
	struct sb line;

	sb_init(&line);
	for (int i = 0; i < 3; i++)
		sb_addf(&line, "%s%s %dm%.3fs", i ? " " : "", names[i],
			(int)(t[i] / 60), t[i] - 60 * (int)(t[i] / 60));
	sb_addf(md, "**%s:** ", L(s->st->stage == STAGE_BUILD ?
				   RL_BUILD_TIME : RL_TIMES));
	report_md_code(md, line.buf, false);
	if (s->st->stage == STAGE_BUILD) {
		sb_adds(md, " — ");
		report_warmth(r, md, s->rs->ccache_hits, s->rs->ccache_misses,
			      false);
	}
	sb_adds(md, "\n\n");
	sb_release(&line);
}

static void md_verdict(struct report *r, struct sb *md,
		       const struct report_step *s)
{
	const struct results_step *rs = s->rs;

	static const char *const marks[VERDICT_COUNT] = { "✔", "✘", "–", "○" };

	sb_addf(md, "**%s:** %s **%s**", L(RL_VERDICT), marks[s->verdict],
		report_verdict(r, s->verdict));
	if (rs && (s->verdict == VERDICT_PASSED || s->verdict == VERDICT_FAILED))
		sb_addf(md, " · %.3f s", rs->duration);
	if (r->points && s->st->points >= 0)
		sb_addf(md, " · %d/%d %s", s->score.got, s->score.max, L(RL_PTS));
	if (s->note && *s->note) {
		sb_adds(md, " — ");
		report_md_text(md, s->note);
	}
	sb_adds(md, "\n\n");
	if (rs && s->st->kind == STEP_BUILD && (rs->user > 0 || rs->sys > 0))
		md_times(r, md, s);
}

static void md_command(struct report *r, struct sb *md, enum report_label what,
		       const char *kind, const char *cmd)
{
	sb_addf(md, "**%s**", L(what));
	if (kind)
		sb_addf(md, " (%s)", kind);
	sb_adds(md, ":\n\n");
	report_md_block(md, "sh", cmd, cmd, strlen(cmd));
}

/* The command as it ran; or, when it did not, as it would have. */
static void md_step_command(struct report *r, struct sb *md,
			    struct report_exercise *x,
			    const struct report_step *s)
{
	size_t off;
	char *planned;

	if (s->rs && s->rs->command) {
		md_command(r, md, RL_COMMAND, report_step_kind(r, s->st->kind),
			   s->rs->command);
		return;
	}
	if (!s->st->run)
		return;
	planned = expand(s->st->run, &x->shown, EXPAND_PLAIN, &off, NULL);
	if (planned)
		md_command(r, md, RL_PLANNED, report_step_kind(r, s->st->kind),
			   planned);
	free(planned);
}

static void md_step_outputs(struct report *r, struct sb *md,
			    const struct report_step *s)
{
	const struct results_step *rs = s->rs;
	struct report_output out = { RL_OUTPUT, "output", s->st->id,
			      rs->output ? rs->output : "", rs->exit_status,
				     NULL };
	struct report_output host = { RL_HOST_OUTPUT, "host", s->st->id,
			       rs->host_output, rs->host_exit, NULL };
	struct report_output before = { RL_BEFORE_OUTPUT, "before", s->st->id,
				 rs->before_output, rs->before_exit,
					NULL };

	if (rs->before_command) {
		md_command(r, md, RL_BEFORE_COMMAND, NULL, rs->before_command);
		if (rs->before_output)
			report_md_output(r, md, &before);
	}
	if (rs->output || rs->status == STATUS_RAN)
		report_md_output(r, md, &out);
	if (!rs->host_command)
		return;
	md_command(r, md, RL_HOST_COMMAND, NULL, rs->host_command);
	if (rs->host_output)
		report_md_output(r, md, &host);
}

/* A step that waited for a kernel message: for what, and how long. */
static void md_wait(struct report *r, struct sb *md,
		    const struct report_exercise *x, const struct report_step *s)
{
	const struct results_step *rs = s->rs;
	size_t off;

	if (rs->wait_seen < 0)
		return;
	sb_addf(md, "**%s**", L(RL_WAIT));
	if (s->st->wait && s->st->wait->pattern) {
		char *p = expand(s->st->wait->pattern, &x->shown, EXPAND_PLAIN,
				 &off, NULL);

		sb_addf(md, " %s ", L(RL_WAIT_FOR));
		report_md_code(md, p ? p : s->st->wait->pattern, false);
		free(p);
	}
	sb_addf(md, ": %s ", L(rs->wait_seen ? RL_WAIT_SEEN : RL_WAIT_MISSED));
	report_seconds(md, rs->waited);
	sb_adds(md, ".\n\n");
}

static bool fault_expected(const struct spec_step *st, enum fault_kind k)
{
	for (size_t i = 0; i < st->nexpect; i++)
		if (st->expect[i].kind == SPEC_EXPECT_FAULT &&
		    st->expect[i].fault == k)
			return true;
	return false;
}

/*
 * The guest's kernel during the step: its fault, when it had one (its
 * kind, whether the step expects it, its first line; the line of a module
 * labkit built that it names, with the lines around it, fenced "c <step>
 * source"); then the kernel's messages of the step (out/<step>.kernel.txt),
 * or when the run kept none, the fault's trace.
 */
static void md_kernel(struct report *r, struct sb *md,
		     const struct report_step *s)
{
	const struct results_step *rs = s->rs;
	const struct results_fault *f = &rs->fault;
	struct report_output kernel = { RL_KERNEL, "kernel", s->st->id, rs->kernel,
					-1, NULL };
	struct report_output trace = { RL_TRACE, "trace", s->st->id, f->trace, -1,
				       NULL };
	char *folded = NULL;

	if (f->kind != FAULT_NONE) {
		sb_addf(md, "**%s** (`%s`, %s): ", L(RL_FAULT),
			report_fault(r, f->kind),
			L(fault_expected(s->st, f->kind) ? RL_FAULT_EXPECTED :
			  RL_FAULT_UNEXPECTED));
		report_md_code(md, f->line ? f->line : "", false);
		sb_adds(md, "\n\n");
	}
	if (f->kind != FAULT_NONE && f->where) {
		sb_addf(md, "**%s:** ", L(RL_SOURCE_LINE));
		report_md_code(md, f->where, false);
		sb_adds(md, f->source && *f->source ? "\n\n" : ".\n\n");
		if (f->source && *f->source) {
			char *info = xasprintf("c %s source", s->st->id);

			report_md_block(md, info, f->source, f->source, strlen(f->source));
			free(info);
		}
	}
	if (r->student)          /* the kernel's whole text: the teacher's */
		return;
	if (rs->kernel && *rs->kernel) {
		/* A fault that floods the console reads as what it is. */
		kernel.shown = folded = fold_repeats(rs->kernel,
						     report_fold_mark, r, NULL);
		report_md_output(r, md, &kernel);
	} else if (f->kind != FAULT_NONE && f->trace && *f->trace) {
		report_md_output(r, md, &trace);
	}
	free(folded);
}

static void md_text_pair(struct report *r, struct sb *md, enum report_label l,
			 const struct spec_text *t, const struct expand_vars *v)
{
	const char *texts[2] = { report_text(r, t), report_text_other(r, t) };
	size_t off;

	for (int i = 0; i < 2 && texts[i] && *texts[i]; i++) {
		char *s = expand(texts[i], v, EXPAND_PLAIN, &off, NULL);

		if (i == 0) {
			sb_addf(md, "**%s:** ", L(l));
			report_md_text(md, s ? s : texts[i]);
			sb_adds(md, "\n\n");
		} else {
			report_md_emph(md, s ? s : texts[i]);
		}
		free(s);
	}
}

/* A ${match.<name>} the run did not capture is shown as ‹match.<name>›. */
static void unknown_capture(const char *name, size_t offset, void *arg)
{
	struct expand_vars *v = arg;
	char *shown;

	(void)offset;
	if (strncmp(name, "match.", 6) || expand_vars_get(v, name))
		return;
	shown = xasprintf("‹%s›", name);
	expand_vars_set(v, name, shown);
	free(shown);
}

/* The answer, quoting what the run's output showed: the named groups of
 * the step's patterns (${match.line}). */
static void md_answer(struct report *r, struct sb *md,
		      const struct report_exercise *x,
		      const struct report_step *s)
{
	struct expand_vars v;
	size_t bad;

	expand_vars_init(&v);
	for (size_t i = 0; i < x->shown.n; i++)
		expand_vars_set(&v, x->shown.name[i], x->shown.value[i]);
	for (size_t i = 0; i < s->j.captures.n; i++)
		expand_vars_set(&v, s->j.captures.name[i], s->j.captures.value[i]);
	for (size_t i = 0; i < s->st->answer.n; i++)
		expand_each_name(s->st->answer.text[i], unknown_capture, &v, &bad);
	md_text_pair(r, md, RL_ANSWER, &s->st->answer, &v);
	expand_vars_free(&v);
}

/* Where an expectation looks, when not at the step's output. */
static void md_expect_in(struct report *r, struct sb *md,
			 const struct spec_expect *e)
{
	static const enum report_label in[] = {
		[SPEC_IN_HOST] = RL_IN_HOST, [SPEC_IN_BOOT] = RL_IN_BOOT,
		[SPEC_IN_KERNEL] = RL_IN_KERNEL, [SPEC_IN_BEFORE] = RL_IN_BEFORE,
	};

	if (e->in != SPEC_IN_OUTPUT)
		sb_addf(md, " (%s)", L(in[e->in]));
}

static void md_expect_item(struct report *r, struct sb *md,
			   const struct report_step *s, size_t i,
			   const struct expand_vars *shown)
{
	const struct spec_expect *e = &s->st->expect[i];
	const struct check_expect *re = s->j.expect ? &s->j.expect[i] : NULL;
	size_t off;

	sb_adds(md, "- ");
	if (re)
		sb_adds(md, re->held == 1 ? "✔ " : "✘ ");
	sb_addf(md, "%s ", report_expect_kind(r, e));
	if (e->kind == SPEC_EXPECT_EXIT)
		sb_addf(md, "`%d`", e->exit_status);
	for (size_t j = 0; j < e->npatterns; j++) {
		char *p = re ? NULL : expand(e->patterns[j], shown,
					     EXPAND_PLAIN, &off, NULL);

		if (j)
			sb_addf(md, " %s ", L(RL_THEN));
		report_md_code(md, re ? re->patterns[j] :
			       p ? p : e->patterns[j], false);
		free(p);
	}
	md_expect_in(r, md, e);
	sb_adds(md, "\n");
}

/* What `labkit check` says of a failed expectation, in the report's
 * words, in a block. */
static void md_why(struct report *r, struct sb *md, const char *info,
		   const struct reason *why)
{
	char *said = reason_text(why, r->lang);

	report_md_block(md, info, said, said, strlen(said));
	free(said);
}

/*
 * The expectations, each held or not, and what `labkit check` says of
 * those that failed; a fault the step did not expect fails it as one
 * more ("no unexpected kernel fault"), quoted with its source line as
 * `labkit check` quotes it.
 */
static void md_expectations(struct report *r, struct sb *md,
			    const struct report_step *s,
			    const struct expand_vars *shown)
{
	const struct reason *unexpected = s->j.unexpected.code ?
					  &s->j.unexpected : NULL;
	char *info;

	if (!s->st->nexpect && !unexpected)
		return;
	sb_addf(md, "**%s:**\n\n", L(RL_EXPECT));
	for (size_t i = 0; i < s->st->nexpect; i++)
		md_expect_item(r, md, s, i, shown);
	if (unexpected)
		sb_addf(md, "- ✘ %s\n", L(RL_NO_FAULT));
	sb_adds(md, "\n");
	info = xasprintf("text %s why", s->st->id);
	for (size_t i = 0; i < s->st->nexpect; i++)
		if (s->j.expect && s->j.expect[i].why.code)
			md_why(r, md, info, &s->j.expect[i].why);
	if (unexpected)
		md_why(r, md, info, unexpected);
	free(info);
}

void report_md_step(struct report *r, struct sb *md,
		    struct report_exercise *x, struct report_step *s)
{
	char *head = xasprintf("### %s ", s->st->id);

	expand_vars_set(&x->shown, "step.id", s->st->id);
	report_md_heading(r, md, head, &s->st->question);
	free(head);
	md_verdict(r, md, s);
	md_step_command(r, md, x, s);
	if (s->rs) {
		md_step_outputs(r, md, s);
		md_wait(r, md, x, s);
		md_kernel(r, md, s);
	}
	if (r->student && s->verdict == VERDICT_FAILED && s->st->feedback.n) {
		/* the feedback in place of the judge's explanation */
		sb_addf(md, "**%s:** ", L(RL_FEEDBACK));
		report_md_text(md, report_text(r, &s->st->feedback));
		sb_adds(md, "\n\n");
		return;
	}
	if (!r->student)
		md_answer(r, md, x, s);
	md_expectations(r, md, s, &x->shown);
}

