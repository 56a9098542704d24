/*
 * report.c — `labkit report`: reads every exercise's results.yaml, judges
 * each step of the spec with check.c's own expectations, and writes the
 * report (Markdown: report_md.c, its environment section: report_env.c),
 * its page (report_html.c) and the time chart (report_svg.c) next to the
 * steps' full outputs.  It never runs a
 * step or a guest, and never changes a results file.
 *
 * It scores as `make grade` does: a step's points count when it passes,
 * per section and in total; a lab whose steps give no points is scored
 * by the steps passed.  A step failed by a fault its kernel had and the
 * step did not expect has the fault quoted in its note.
 *
 * An exercise without a results.yaml has not run yet: its steps are "not
 * run", which is no failure.  A results.yaml that does not parse, or that
 * is another lab's or exercise's, is an error naming the file ("path:
 * error: ..."), and then nothing is written.  Each file is written
 * atomically (temp + rename): the outputs first, report.html last.
 */
#include "report.h"
#include "report_int.h"
#include "check.h"
#include "layout.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- loading ---- */

/* The variables to show what did not run: the exercise's, and
 * "‹name›" for what the run did not record. */
static void exercise_vars(struct report_exercise *x)
{
	for (size_t i = 0; i < x->c.vars.n; i++)
		expand_vars_set(&x->shown, x->c.vars.name[i], x->c.vars.value[i]);
	for (size_t i = 0; spec_builtin_vars[i]; i++) {
		char *unknown = xasprintf("‹%s›", spec_builtin_vars[i]);

		if (!expand_vars_get(&x->shown, spec_builtin_vars[i]))
			expand_vars_set(&x->shown, spec_builtin_vars[i], unknown);
		free(unknown);
	}
}

static int load_exercise(struct report *r, struct report_exercise *x)
{
	int rc = check_exercise_load(&x->c, r->spec, x->ex, r->results_dir);

	expand_vars_init(&x->shown);
	exercise_vars(x);
	return rc;
}

/* ---- judging ---- */

/* The summary's note on an unexpected fault, quoted as `labkit check`
 * quotes it: "unexpected oops: 'BUG: ...' (oops.c:8)", after what the
 * note said already. */
static void note_fault(struct report *r, struct report_step *s)
{
	struct reason fault = REASON_INIT;
	const struct results_fault *f;
	struct sb note;

	if (!s->j.unexpected.code || !s->rs)
		return;
	f = &s->rs->fault;
	if (s->note && f->line && strstr(s->note, f->line))
		return;          /* the reason quotes it (a panic) */
	sb_init(&note);
	if (s->note)
		sb_addf(&note, "%s; ", s->note);
	check_fault_note(f, &fault);
	reason_say(&note, &fault, r->lang);
	reason_free(&fault);
	free(s->note);
	s->note = sb_detach(&note, NULL);
}

/* "label: reason", the reason in the report's words; "label" alone when
 * there is no reason, or it says no more than the status `s` the label
 * names (-1: none). */
static char *note_with(const struct report *r, const char *label, int s,
		       const struct reason *reason)
{
	char *said, *note;

	if (!reason || reason->code == REASON_NONE ||
	    (s >= 0 && results_reason_names(reason, s)))
		return xstrdup(label);
	said = reason_text(reason, r->lang);
	note = *label ? xasprintf("%s: %s", label, said) : xstrdup(said);
	free(said);
	return note;
}

struct report_score report_step_score(const struct spec_step *st, bool points,
				      enum verdict v)
{
	int worth = points ? (st->points > 0 ? st->points : 0) : 1;

	return (struct report_score){ v == VERDICT_PASSED ? worth : 0, worth };
}

/* A step's score (report_step_score()), added to its section's and the
 * lab's when it is shown. */
static void score_step(struct report *r, struct report_exercise *x,
		       struct report_step *s)
{
	s->score = report_step_score(s->st, r->points, s->verdict);
	if (!s->shown)
		return;
	x->score.got += s->score.got;
	x->score.max += s->score.max;
	r->score.got += s->score.got;
	r->score.max += s->score.max;
}

/* The verdict by check.c's judge (`j`, taken over), and the note the
 * summary shows. */
static void judge_step(struct report *r, struct report_exercise *x,
		       struct report_step *s, struct check_judgement *j)
{
	const struct reason *reason;

	s->j = *j;
	memset(j, 0, sizeof(*j));
	s->rs = s->j.rs;
	s->verdict = s->j.verdict;
	reason = s->rs ? &s->rs->reason : NULL;
	switch (s->j.basis) {
	case BASIS_NO_RESULTS:
		s->note = xstrdup(report_label(r, RL_NOT_RUN_YET));
		break;
	case BASIS_NOT_RECORDED:
		s->note = xstrdup(report_label(r, RL_NOT_RECORDED));
		break;
	case BASIS_SKIPPED:
		s->note = note_with(r, "", -1, reason);
		break;
	case BASIS_NOT_RUN:
		s->note = note_with(r, report_label(r, RL_GUEST_DOWN), -1, reason);
		break;
	case BASIS_UNFINISHED:
		s->note = note_with(r, report_status(r, s->rs->status),
				    (int)s->rs->status, reason);
		break;
	case BASIS_EXPECTATIONS:
		if (s->j.failed)
			s->note = xasprintf("%zu/%zu %s", s->j.failed,
					    s->j.nexpect,
					    report_label(r, RL_FAILED_OF));
		break;
	case BASIS_NOTHING:
		s->note = xasprintf("%s: %s", report_label(r, RL_UNCHECKED),
				    s->st->unchecked ? s->st->unchecked : "");
		break;
	}
	note_fault(r, s);
	s->shown = !r->student || s->st->visibility == VISIBILITY_VISIBLE;
	if (s->shown)
		r->counts[s->verdict]++;
	else
		r->not_shown++;
	score_step(r, x, s);
}

/* A timed build (`stage: build`) that ran: its ccache counts add up to
 * the exercise's, which are -1 when one of them has none. */
static void count_ccache(struct report_exercise *x, const struct report_step *s)
{
	const struct results_step *rs = s->rs;

	if (s->st->stage != STAGE_BUILD)
		return;
	if (!x->timed)
		x->ccache_hits = x->ccache_misses = 0;
	x->timed = true;
	if (rs->ccache_hits < 0 || rs->ccache_misses < 0 || x->ccache_hits < 0) {
		x->ccache_hits = x->ccache_misses = -1;
		return;
	}
	x->ccache_hits += rs->ccache_hits;
	x->ccache_misses += rs->ccache_misses;
}

struct judging {
	struct report *r;
	struct report_exercise *x;
};

/* check_exercise_judge()'s: step i judged. */
static void step_judged(const struct check_exercise *c, size_t i,
			struct check_judgement *j, void *arg)
{
	struct judging *g = arg;
	struct report_step *s = &g->x->steps[i];

	s->st = &c->ex->steps[i];
	judge_step(g->r, g->x, s, j);
	if (s->rs && s->rs->status == STATUS_RAN && s->st->kind == STEP_BUILD) {
		g->x->build_s += s->rs->duration;
		count_ccache(g->x, s);
	}
}

static void judge_exercise(struct report *r, struct report_exercise *x)
{
	struct judging g = { r, x };

	x->steps = xcalloc(x->ex->nsteps + 1, sizeof(*x->steps));
	check_exercise_judge(&x->c, step_judged, &g);
	if (!x->c.loaded)
		return;
	x->run_s = x->c.res.duration;
	if (x->c.res.outcome != OUTCOME_OK && !x->c.res.expected)
		r->run_failed = true;
}

/* ---- writing ---- */

static int write_file(const char *dir, const char *name, const char *text,
		      size_t len)
{
	char *path = xasprintf("%s/%s", dir, name);
	int rc = fs_write_atomic(path, text, len);

	if (rc < 0)
		error("cannot write '%s': %m", path);
	free(path);
	return rc;
}

static int write_all(const struct report *r, const struct sb *md,
		     const struct sb *svg, const struct sb *html)
{
	char *outs = layout_file(r->out_dir, LAYOUT_REPORT_OUT);
	int rc = -1;

	if (fs_mkdirs(outs, 0755) < 0) {
		error("cannot create '%s': %m", outs);
		goto out;
	}
	for (size_t i = 0; i < r->nfiles; i++)
		if (write_file(r->out_dir, r->files[i].name, r->files[i].text,
			       strlen(r->files[i].text)) < 0)
			goto out;
	if (write_file(r->out_dir, layout_name(LAYOUT_TIME_SVG), svg->buf,
		       svg->len) < 0 ||
	    write_file(r->out_dir, layout_name(LAYOUT_REPORT_MD), md->buf,
		       md->len) < 0 ||
	    write_file(r->out_dir, layout_name(LAYOUT_REPORT_HTML), html->buf,
		       html->len) < 0)
		goto out;
	rc = 0;
out:
	free(outs);
	return rc;
}

/* The verdict table the workbook ends with, as data for the program. */
static void summarize(const struct report *r, struct report_summary *sum)
{
	memset(sum, 0, sizeof(*sum));
	sum->out_dir = r->out_dir;
	sum->nsections = r->nex;
	sum->sections = xcalloc(r->nex + 1, sizeof(*sum->sections));
	sum->failed = xcalloc((size_t)r->counts[VERDICT_FAILED] + 1,
			      sizeof(*sum->failed));
	memcpy(sum->counts, r->counts, sizeof(sum->counts));
	sum->points = r->points;
	sum->score = r->score;
	for (size_t i = 0; i < r->nex; i++) {
		const struct report_exercise *x = &r->ex[i];
		struct report_section *sec = &sum->sections[i];

		sec->id = x->ex->id;
		sec->title = report_text(r, &x->ex->title);
		sec->seconds = x->build_s + x->run_s;
		sec->score = x->score;
		for (size_t j = 0; j < x->ex->nsteps; j++) {
			const struct report_step *s = &x->steps[j];

			if (!s->shown)
				continue;
			sec->counts[s->verdict]++;
			if (s->verdict != VERDICT_FAILED)
				continue;
			sum->failed[sum->nfailed].step = s->st->id;
			sum->failed[sum->nfailed++].note =
				xstrdup(s->note ? s->note : "");
		}
	}
}

void report_summary_free(struct report_summary *sum)
{
	for (size_t i = 0; i < sum->nfailed; i++)
		free(sum->failed[i].note);
	free(sum->failed);
	free(sum->sections);
	memset(sum, 0, sizeof(*sum));
}

static void report_free(struct report *r)
{
	for (size_t i = 0; i < r->nex; i++) {
		struct report_exercise *x = &r->ex[i];

		for (size_t j = 0; x->steps && j < x->ex->nsteps; j++) {
			struct report_step *s = &x->steps[j];

			check_judgement_free(&s->j);
			free(s->note);
		}
		free(x->steps);
		check_exercise_free(&x->c);
		expand_vars_free(&x->shown);
	}
	for (size_t i = 0; i < r->nfiles; i++)
		free(r->files[i].name);
	free(r->files);
	free(r->rows);
	free(r->ex);
}

bool report_gives_points(const struct spec *spec)
{
	for (size_t i = 0; i < spec->nexercises; i++)
		for (size_t j = 0; j < spec->exercises[i].nsteps; j++)
			if (spec->exercises[i].steps[j].points >= 0)
				return true;
	return false;
}

static int load_all(struct report *r)
{
	struct stat st;
	int rc = 0;

	if (stat(r->results_dir, &st) < 0)
		return error_at(r->results_dir, 0, 0, "%s", errno == ENOENT ?
				"no such results directory (run the lab first)" :
				strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return error_at(r->results_dir, 0, 0, "not a directory");
	for (size_t i = 0; i < r->nex; i++) {
		r->ex[i].ex = &r->spec->exercises[i];
		if (load_exercise(r, &r->ex[i]) < 0)
			rc = -1;
	}
	return rc;
}

int report_write(const struct spec *spec, const struct report_opts *o,
		 struct report_summary *sum)
{
	struct report r = { .spec = spec, .results_dir = o->results_dir,
			    .out_dir = o->out_dir ? o->out_dir : o->results_dir,
			    .lang = o->lang,
			    .student = o->as_student };
	struct sb md, svg, html;
	int rc = EXIT_USAGE;

	sb_init(&md);
	sb_init(&svg);
	sb_init(&html);
	r.nex = spec->nexercises;
	r.ex = xcalloc(r.nex + 1, sizeof(*r.ex));
	if (load_all(&r) < 0)
		goto out;
	r.points = report_gives_points(spec);
	for (size_t i = 0; i < r.nex; i++)
		judge_exercise(&r, &r.ex[i]);
	report_markdown(&r, &md);
	report_svg(&r, &svg);
	rc = EXIT_INTERNAL;
	if (report_html(&r, md.buf, svg.buf, &html) < 0 ||
	    write_all(&r, &md, &svg, &html) < 0)
		goto out;
	if (sum)
		summarize(&r, sum);
	rc = r.counts[VERDICT_FAILED] || r.run_failed ? EXIT_CHECK_FAILED : EXIT_OK;
out:
	report_free(&r);
	sb_release(&md);
	sb_release(&svg);
	sb_release(&html);
	return rc;
}
