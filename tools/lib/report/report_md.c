/*
 * report_md.c — the report as Markdown (CommonMark plus GitHub's pipe
 * tables), laid out like the student's report in
 * shared/seeds/lab2-report.pl.txt: title, summary (with the scores),
 * environment, then each exercise and each step with its question,
 * command, real output, the kernel's fault and messages, answer and
 * verdict.
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
static void md_emph(struct sb *md, const char *s)
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

/* A fenced block of `shown`; the fence outruns every backtick run in
 * `full` (shown is full, or a part of it and the trim marker). */
static void md_block(struct sb *md, const char *info, const char *full,
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
	char *name = xasprintf("out/%s%s%s.txt", id, kind ? "." : "",
			       kind ? kind : "");

	for (char *p = name + 4; *p && p < name + 4 + strlen(id); p++)
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

/* An output to show: the fence's info string is "text <id> <kind>", so
 * that a reader (and tests/test_report.c) knows whose output a block is. */
struct output {
	enum report_label what;  /* RL_OUTPUT, RL_HOST_OUTPUT, RL_BOOT ... */
	const char *kind;        /* output, host, boot, tail */
	const char *id;          /* the step's, or the exercise's */
	const char *text;
	int exit_status;         /* shown when >= 0 */
	const char *shown;       /* what the block shows of it (a kernel's
				    text with its repeats folded), or NULL:
				    the text itself; out/ has the text */
};

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
			   const struct output *o, size_t lines,
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

static void md_output(struct report *r, struct sb *md, const struct output *o)
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
	md_block(md, info, text, shown.buf, shown.len);
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
		md_emph(md, other);
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

static void md_summary_row(struct report *r, struct sb *md,
			   const struct report_step *s)
{
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
	sb_addf(md, "![%s](time.svg)\n\n", L(RL_CHART));
}

/* ---- an exercise ---- */

static void md_facts(struct report *r, struct sb *md,
		     const struct report_exercise *x)
{
	const struct expand_vars *f = &x->res.facts;

	if (!f->n)
		return;
	sb_addf(md, "| %s | %s |\n|---|---|\n", L(RL_FACT), L(RL_VALUE));
	for (size_t i = 0; i < f->n; i++) {
		char *said = report_fact(r, f->value[i]);

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
	const struct results *res = &x->res;

	sb_addf(md, "**%s:** ", L(RL_RUN));
	if (!x->loaded) {
		sb_addf(md, "%s.\n\n", L(RL_NOT_RUN_YET));
		return;
	}
	sb_adds(md, report_outcome(r, res->outcome));
	if (res->detail) {
		char *said = report_reason(r, res->detail);

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

static void md_step(struct report *r, struct sb *md, struct report_exercise *x,
		    struct report_step *s);

static void md_exercise(struct report *r, struct sb *md,
			struct report_exercise *x)
{
	const char *other = report_text_other(r, &x->ex->title);
	struct output boot = { RL_BOOT, "boot", x->ex->id, x->res.boot, -1,
			       NULL };
	struct output tail = { RL_TAIL, "tail", x->ex->id, x->res.tail, -1,
			       NULL };

	sb_addf(md, "## %s. ", x->ex->id);
	report_md_text(md, report_text(r, &x->ex->title));
	sb_adds(md, "\n\n");
	if (other)
		md_emph(md, other);
	md_run(r, md, x);
	if (r->points)
		sb_addf(md, "**%s:** %d/%d\n\n", L(RL_POINTS), x->score.got,
			x->score.max);
	if (x->res.boot && !r->student)      /* the whole console: the */
		md_output(r, md, &boot);     /* teacher's               */
	if (x->res.tail && !r->student)
		md_output(r, md, &tail);
	for (size_t i = 0; i < x->ex->nsteps; i++)
		if (x->steps[i].shown)
			md_step(r, md, x, &x->steps[i]);
}

/* ---- a step ---- */

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
	md_block(md, "sh", cmd, cmd, strlen(cmd));
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
	struct output out = { RL_OUTPUT, "output", s->st->id,
			      rs->output ? rs->output : "", rs->exit_status,
			      NULL };
	struct output host = { RL_HOST_OUTPUT, "host", s->st->id,
			       rs->host_output, rs->host_exit, NULL };
	struct output before = { RL_BEFORE_OUTPUT, "before", s->st->id,
				 rs->before_output, rs->before_exit, NULL };

	if (rs->before_command) {
		md_command(r, md, RL_BEFORE_COMMAND, NULL, rs->before_command);
		if (rs->before_output)
			md_output(r, md, &before);
	}
	if (rs->output || rs->status == STATUS_RAN)
		md_output(r, md, &out);
	if (!rs->host_command)
		return;
	md_command(r, md, RL_HOST_COMMAND, NULL, rs->host_command);
	if (rs->host_output)
		md_output(r, md, &host);
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
	struct output kernel = { RL_KERNEL, "kernel", s->st->id, rs->kernel, -1,
				 NULL };
	struct output trace = { RL_TRACE, "trace", s->st->id, f->trace, -1,
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

			md_block(md, info, f->source, f->source, strlen(f->source));
			free(info);
		}
	}
	if (r->student)          /* the kernel's whole text: the teacher's */
		return;
	if (rs->kernel && *rs->kernel) {
		/* A fault that floods the console reads as what it is. */
		kernel.shown = folded = fold_repeats(rs->kernel,
						     report_fold_mark, r, NULL);
		md_output(r, md, &kernel);
	} else if (f->kind != FAULT_NONE && f->trace && *f->trace) {
		md_output(r, md, &trace);
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
			md_emph(md, s ? s : texts[i]);
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
	switch (e->in) {
	case SPEC_IN_OUTPUT:
		return;
	case SPEC_IN_HOST:
		sb_addf(md, " (%s)", L(RL_IN_HOST));
		return;
	case SPEC_IN_BOOT:
		sb_addf(md, " (%s)", L(RL_IN_BOOT));
		return;
	case SPEC_IN_KERNEL:
		sb_addf(md, " (%s)", L(RL_IN_KERNEL));
		return;
	case SPEC_IN_BEFORE:
		sb_addf(md, " (%s)", L(RL_IN_BEFORE));
		return;
	}
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
		   const char *why)
{
	char *said = report_why(r, why);

	md_block(md, info, said, said, strlen(said));
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
	const char *unexpected = s->j.unexpected;
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
		if (s->j.expect && s->j.expect[i].why)
			md_why(r, md, info, s->j.expect[i].why);
	if (unexpected)
		md_why(r, md, info, unexpected);
	free(info);
}

static void md_step(struct report *r, struct sb *md, struct report_exercise *x,
		    struct report_step *s)
{
	const char *other = report_text_other(r, &s->st->question);

	expand_vars_set(&x->shown, "step.id", s->st->id);
	sb_addf(md, "### %s ", s->st->id);
	report_md_text(md, report_text(r, &s->st->question));
	sb_adds(md, "\n\n");
	if (other)
		md_emph(md, other);
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

void report_markdown(struct report *r, struct sb *md)
{
	md_title(r, md);
	md_summary(r, md);
	report_environment(r, md);
	for (size_t i = 0; i < r->nex; i++)
		md_exercise(r, md, &r->ex[i]);
}
