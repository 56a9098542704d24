/*
 * report_md.c — the report as Markdown (CommonMark plus GitHub's pipe
 * tables), laid out like the student's report in
 * shared/seeds/lab2-report.pl.txt: title, summary (with the scores),
 * environment, then each exercise (its run, facts and consoles) and each
 * step (report_step.c) with its question, command, real output, the
 * kernel's fault and messages, answer and verdict.
 *
 * Every output sits byte for byte in a fenced block whose fence is longer
 * than any backtick run in it (a final newline is added when the output
 * has none, and the caption says so); a long output shows its first and
 * last lines around a "[… N lines …]" line, and the whole text goes to
 * out/<step>.txt.  Text from the spec and the results is escaped, never
 * taken as markup.  Nothing here fails: it only appends to buffers.
 */
#include "report_int.h"
#include "fold.h"
#include "layout.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TRIM_OVER 60     /* outputs of more lines than this are trimmed */
#define TRIM_HEAD 25     /* to their first lines ... */
#define TRIM_TAIL 20     /* ... and their last */

#define L(l) report_label(r, (l))

/* ---- Markdown blocks ---- */

/* Emphasised text: no space may touch the asterisks. */
void report_md_emph(struct sb *md, const char *s)
{
	char *t = xstrdup(s + strspn(s, " \t\n"));
	size_t n = strlen(t);

	while (n && strchr(" \t\n", t[n - 1]))
		t[--n] = '\0';
	sb_addc(md, '*');
	report_md_text(md, t);
	sb_adds(md, "*\n\n");
	free(t);
}

void report_md_heading(const struct report *r, struct sb *md,
		       const char *head, const struct spec_text *t)
{
	const char *other = report_text_other(r, t);

	sb_adds(md, head);
	report_md_text(md, report_text(r, t));
	sb_adds(md, "\n\n");
	if (other)
		report_md_emph(md, other);
}

/* A fenced block of `shown`; the fence outruns every backtick run in
 * `full` (shown is full, or a part of it and the trim marker). */
void report_md_block(struct sb *md, const char *info, const char *full,
		     const char *shown, size_t len)
{
	size_t n = report_md_longest_run(full, strlen(full), '`') + 1;

	if (n < 3)
		n = 3;
	for (size_t i = 0; i < n; i++)
		sb_addc(md, '`');
	sb_addf(md, "%s\n", info);
	sb_add(md, shown, len);
	if (len && shown[len - 1] != '\n')
		sb_addc(md, '\n');
	for (size_t i = 0; i < n; i++)
		sb_addc(md, '`');
	sb_adds(md, "\n\n");
}

/* ---- outputs ---- */

static size_t count_lines(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n + (len && s[len - 1] != '\n');
}

/* Byte offset where line `line` (0-based) starts. */
static size_t line_start(const char *s, size_t len, size_t line)
{
	size_t i = 0;

	while (line && i < len)
		line -= s[i++] == '\n';
	return i;
}

/* out/<id>.txt, or out/<id>.<kind>.txt; the id made a safe file name. */
static char *file_name(const char *id, const char *kind)
{
	const char *out = layout_name(LAYOUT_REPORT_OUT);
	char *name = xasprintf("%s/%s%s%s.txt", out, id, kind ? "." : "",
			       kind ? kind : "");
	size_t at = strlen(out) + 1;

	for (char *p = name + at; *p && p < name + at + strlen(id); p++)
		if (!isalnum((unsigned char)*p) && !strchr("._-", *p))
			*p = '_';
	return name;
}

static void add_file(struct report *r, char *name, const char *text)
{
	ARRAY_PUSH(r->files, r->nfiles, r->cap);
	r->files[r->nfiles].name = name;
	r->files[r->nfiles++].text = text;
}

/* "1 linia", "3 linie", "5 linii", "12 linii", "22 linie". */
static void add_lines(struct report *r, struct sb *md, size_t n)
{
	enum report_label l = RL_LINES;

	if (n == 1)
		l = RL_LINE;
	else if (n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14))
		l = RL_LINES_FEW;
	sb_addf(md, "%zu %s", n, L(l));
}

static void output_caption(struct report *r, struct sb *md,
			   const struct report_output *o, size_t lines,
			   const char *file)
{
	size_t len = strlen(o->text);

	sb_addf(md, "**%s** (", L(o->what));
	if (o->exit_status >= 0)
		sb_addf(md, "%s %d, ", L(RL_EXIT), o->exit_status);
	add_lines(r, md, lines);
	if (o->text[len - 1] != '\n')
		sb_addf(md, ", %s", L(RL_NO_NEWLINE));
	sb_addf(md, "; %s: [%s](%s)):\n\n", L(RL_FULL), file, file);
}

void report_md_output(struct report *r, struct sb *md,
		      const struct report_output *o)
{
	const char *text = o->shown ? o->shown : o->text;
	size_t len = strlen(text), lines = count_lines(text, len);
	char *file, *info;
	struct sb shown;

	if (!len) {
		sb_addf(md, "**%s**", L(o->what));
		if (o->exit_status >= 0)
			sb_addf(md, " (%s %d)", L(RL_EXIT), o->exit_status);
		sb_addf(md, ": %s\n\n", L(RL_NO_OUTPUT));
		return;
	}
	file = file_name(o->id, o->what == RL_OUTPUT ? NULL : o->kind);
	add_file(r, file, o->text);
	output_caption(r, md, o, count_lines(o->text, strlen(o->text)), file);
	info = xasprintf("text %s %s", o->id, o->kind);
	sb_init(&shown);
	if (lines <= TRIM_OVER) {
		sb_adds(&shown, text);
	} else {
		sb_add(&shown, text, line_start(text, len, TRIM_HEAD));
		sb_adds(&shown, "[… ");
		add_lines(r, &shown, lines - TRIM_HEAD - TRIM_TAIL);
		sb_adds(&shown, " …]\n");
		sb_adds(&shown, text + line_start(text, len, lines - TRIM_TAIL));
	}
	report_md_block(md, info, o->text, shown.buf, shown.len);
	sb_release(&shown);
	free(info);
}

/* ---- title and summary ---- */

static void md_title(struct report *r, struct sb *md)
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	time_t now = epoch ? (time_t)strtoll(epoch, NULL, 10) : time(NULL);
	const char *other = report_text_other(r, &r->spec->lab_title);
	char when[64];
	struct tm tm;

	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", gmtime_r(&now, &tm));
	sb_adds(md, "# ");
	report_md_text(md, *report_text(r, &r->spec->lab_title) ?
		       report_text(r, &r->spec->lab_title) : r->spec->lab_id);
	sb_adds(md, "\n\n");
	if (other)
		report_md_emph(md, other);
	sb_addf(md, "%s ", L(RL_GENERATED));
	report_md_code(md, r->results_dir, false);
	sb_adds(md, " (");
	report_md_code(md, r->spec->file, false);
	sb_addf(md, "), %s.\n\n", when);
	if (r->student)
		sb_addf(md, "*%s*\n\n", L(RL_STUDENT));
}

/* A timed build that ran and shows its time: `stage: build`. */
static bool timed_build(const struct report_step *s)
{
	return s->rs && s->st->kind == STEP_BUILD && s->st->stage == STAGE_BUILD &&
	       (s->verdict == VERDICT_PASSED || s->verdict == VERDICT_FAILED);
}

/* The line report.md is at: where the next line goes. */
static size_t md_line(const struct sb *md)
{
	size_t n = 1;

	for (size_t i = 0; i < md->len; i++)
		n += md->buf[i] == '\n';
	return n;
}

static void md_summary_row(struct report *r, struct sb *md,
			   const struct report_step *s)
{
	ARRAY_PUSH(r->rows, r->nrows, r->rows_cap);
	r->rows[r->nrows++] = (struct report_row){ md_line(md), s->verdict };
	sb_adds(md, "| ");
	report_md_text(md, s->st->id);
	sb_addf(md, " | %s | ", report_verdict(r, s->verdict));
	if (r->points && s->st->points >= 0)
		sb_addf(md, "%d/%d | ", s->score.got, s->score.max);
	else if (r->points)
		sb_adds(md, "— | ");
	if (s->rs && (s->verdict == VERDICT_PASSED || s->verdict == VERDICT_FAILED))
		sb_addf(md, "%.3f s", s->rs->duration);
	else
		sb_adds(md, "—");
	if (timed_build(s)) {   /* a build's time says whether it was warm */
		sb_adds(md, " (");
		report_warmth(r, md, s->rs->ccache_hits, s->rs->ccache_misses, true);
		sb_adds(md, ")");
	}
	sb_adds(md, " | ");
	report_md_text(md, s->note ? s->note : "");
	sb_adds(md, " |\n");
}

/* Each section's score and the lab's, like `make grade`'s "Score:
 * 90/110"; in a lab that gives no points, the steps passed, and it says
 * so. */
static void md_scores(struct report *r, struct sb *md)
{
	sb_addf(md, "| § | %s | %s |\n|---|---|---|\n", L(RL_SECTION),
		L(r->points ? RL_POINTS : RL_STEPS_PASSED));
	for (size_t i = 0; i < r->nex; i++) {
		const struct report_exercise *x = &r->ex[i];

		sb_adds(md, "| ");
		report_md_text(md, x->ex->id);
		sb_adds(md, " | ");
		report_md_text(md, report_text(r, &x->ex->title));
		sb_addf(md, " | %d/%d |\n", x->score.got, x->score.max);
	}
	sb_addf(md, "| | **%s** | **%d/%d** |\n\n", L(RL_TOTAL), r->score.got,
		r->score.max);
	if (!r->points)
		sb_addf(md, "*%s*\n\n", L(RL_NO_POINTS));
}

static void md_summary(struct report *r, struct sb *md)
{
	double total = 0;

	sb_addf(md, "## %s\n\n| %s | %s | ", L(RL_SUMMARY), L(RL_STEP),
		L(RL_VERDICT));
	if (r->points)
		sb_addf(md, "%s | ", L(RL_POINTS));
	sb_addf(md, "%s | %s |\n|---|---|---|---|%s\n", L(RL_DURATION),
		L(RL_NOTE), r->points ? "---|" : "");
	for (size_t i = 0; i < r->nex; i++) {
		for (size_t j = 0; j < r->ex[i].ex->nsteps; j++)
			if (r->ex[i].steps[j].shown)
				md_summary_row(r, md, &r->ex[i].steps[j]);
		total += r->ex[i].build_s + r->ex[i].run_s;
	}
	sb_addf(md, "\n**%s:** ", L(RL_TOTAL));
	for (int v = 0; v < VERDICT_COUNT; v++)
		sb_addf(md, "%s%s: %d", v ? ", " : "",
			report_verdict_counted(r, v), r->counts[v]);
	sb_adds(md, "; ");
	report_seconds(md, total);
	sb_adds(md, ".\n\n");
	if (r->not_shown) {
		char n[32];
		const char *arg = n;

		snprintf(n, sizeof(n), "%d", r->not_shown);
		sb_adds(md, "*");
		report_fill(md, L(RL_NOT_SHOWN), &arg);
		sb_adds(md, "*\n\n");
	}
	md_scores(r, md);
	sb_addf(md, "![%s](%s)\n\n", L(RL_CHART), layout_name(LAYOUT_TIME_SVG));
}

/* ---- an exercise ---- */

static void md_facts(struct report *r, struct sb *md,
		     const struct report_exercise *x)
{
	const struct expand_vars *f = &x->c.res.facts;

	if (!f->n)
		return;
	sb_addf(md, "| %s | %s |\n|---|---|\n", L(RL_FACT), L(RL_VALUE));
	for (size_t i = 0; i < f->n; i++) {
		const struct reason *why = results_fact_why(&x->c.res, f->name[i]);
		char *said = why ? reason_text(why, r->lang) : NULL;

		sb_adds(md, "| ");
		report_md_code(md, f->name[i], true);
		sb_adds(md, " | ");
		if (said)        /* in the report's words */
			report_md_text(md, said);
		else             /* data, as the run recorded it */
			report_md_code(md, f->value[i], true);
		sb_adds(md, " |\n");
		free(said);
	}
	sb_adds(md, "\n");
}

static void md_run(struct report *r, struct sb *md,
		   const struct report_exercise *x)
{
	const struct results *res = &x->c.res;

	sb_addf(md, "**%s:** ", L(RL_RUN));
	if (!x->c.loaded) {
		sb_addf(md, "%s.\n\n", L(RL_NOT_RUN_YET));
		return;
	}
	sb_adds(md, report_outcome(r, res->outcome));
	if (res->detail.code != REASON_NONE) {
		char *said = reason_text(&res->detail, r->lang);

		sb_adds(md, " — ");
		report_md_text(md, said);
		free(said);
	}
	sb_addf(md, "; %s ", L(RL_RUNTIME));
	report_seconds(md, x->run_s);
	if (x->build_s > 0) {
		sb_addf(md, ", %s ", L(RL_BUILD));
		report_seconds(md, x->build_s);
	}
	if (x->build_s > 0 && x->timed) {
		sb_adds(md, " — ");
		report_warmth(r, md, x->ccache_hits, x->ccache_misses, false);
	}
	sb_adds(md, ".\n\n");
	md_facts(r, md, x);
}

static void md_exercise(struct report *r, struct sb *md,
			struct report_exercise *x)
{
	struct report_output boot = { RL_BOOT, "boot", x->ex->id, x->c.res.boot, -1, NULL };
	struct report_output tail = { RL_TAIL, "tail", x->ex->id, x->c.res.tail, -1, NULL };
	char *head = xasprintf("## %s. ", x->ex->id);

	report_md_heading(r, md, head, &x->ex->title);
	free(head);
	md_run(r, md, x);
	if (r->points)
		sb_addf(md, "**%s:** %d/%d\n\n", L(RL_POINTS), x->score.got,
			x->score.max);
	if (x->c.res.boot && !r->student)      /* the whole console: the */
		report_md_output(r, md, &boot);     /* teacher's               */
	if (x->c.res.tail && !r->student)
		report_md_output(r, md, &tail);
	for (size_t i = 0; i < x->ex->nsteps; i++)
		if (x->steps[i].shown)
			report_md_step(r, md, x, &x->steps[i]);
}

void report_markdown(struct report *r, struct sb *md)
{
	md_title(r, md);
	md_summary(r, md);
	report_environment(r, md);
	for (size_t i = 0; i < r->nex; i++)
		md_exercise(r, md, &r->ex[i]);
}
