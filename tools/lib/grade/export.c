/*
 * export.c — a graded class for the platforms (export.h): the formats'
 * names, the class loaded and judged by summary.c's own loader (its hook
 * keeps, of every step, what a student may be shown), the texts a
 * student reads, and the files written, each atomically, by
 * export_gradescope.c, export_prairielearn.c, export_classroom.c and
 * export_moodle.c.
 *
 * What a student reads is in the export's language (--lang), the spec's
 * own texts in it too; the results' words (a compiler's, the kernel's)
 * as they are.  Long outputs are trimmed, so that no platform's size
 * limit is reached.  Bad input (what the class table refuses, a bad
 * roster) is reported before anything is written.
 */
#include "export_int.h"
#include "layout.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TRIM_OVER 8192           /* a text longer than this shows its */
#define TRIM_HEAD 4096           /* first bytes ...                   */
#define TRIM_TAIL 2048           /* ... and its last                  */

static const char *const format_names[EXPORT_NFORMATS] = {
	[EXPORT_GRADESCOPE] = "gradescope",
	[EXPORT_PRAIRIELEARN] = "prairielearn",
	[EXPORT_CLASSROOM] = "classroom",
	[EXPORT_MOODLE] = "moodle",
};

static const char *const id_names[EXPORT_NIDS] = {
	[EXPORT_ID_USERNAME] = "username",
	[EXPORT_ID_IDNUMBER] = "idnumber",
	[EXPORT_ID_EMAIL] = "email",
};

const char *export_format_name(enum export_format f)
{
	return (unsigned)f < EXPORT_NFORMATS ? format_names[f] : "?";
}

int export_format_parse(const char *name, unsigned *formats)
{
	for (int f = 0; f < EXPORT_NFORMATS; f++)
		if (!strcmp(name, format_names[f])) {
			*formats |= 1u << f;
			return 0;
		}
	return error("unknown format '%s' (gradescope, prairielearn, classroom or moodle)",
		     name);
}

const char *export_id_name(enum export_id id)
{
	return (unsigned)id < EXPORT_NIDS ? id_names[id] : "?";
}

int export_id_parse(const char *name, enum export_id *id)
{
	for (int i = 0; i < EXPORT_NIDS; i++)
		if (!strcmp(name, id_names[i])) {
			*id = (enum export_id)i;
			return 0;
		}
	return error("unknown identity column '%s' (email, idnumber or username)",
		     name);
}

/* ---- the words a student reads ---- */

static const char *const words[EW_NWORDS][LANG_COUNT] = {
	[EW_SCORE] = { "wynik", "score" },
	[EW_POINTS] = { "pkt", "points" },
	[EW_NOT_GRADED] = { "nie oceniono", "not graded" },
	[EW_NOT_YOURS] = {
		"labkit nie mógł ocenić tego rozwiązania; to nie Twój błąd, zostanie ocenione ponownie",
		"labkit could not grade this submission; this is no fault of yours, and it will be graded again" },
	[EW_HIDDEN] = { "wynik pokazany później", "its result is shown later" },
	[EW_FAULT] = { "błąd jądra", "the kernel's fault" },
	[EW_AT] = { "w wierszu", "at" },
	[EW_COMMAND] = { "polecenie", "command" },
	[EW_OUTPUT] = { "wyjście", "output" },
};

const char *export_word(const struct export_class *x, enum export_word w)
{
	return words[w][x->lang];
}

const char *export_question(const struct export_class *x,
			    const struct export_step *e)
{
	return spec_text_get(&e->st->question, lang_name(x->lang));
}

const char *export_verdict(const struct export_class *x, enum verdict v)
{
	return report_verdict_word(v, x->lang, false);
}

bool export_visible(const struct export_step *e)
{
	return e->st->visibility == VISIBILITY_VISIBLE;
}

/* The first line of `s` with something on it. */
static const char *first_line(const char *s, size_t *len)
{
	s += strspn(s, " \t\n");
	*len = strcspn(s, "\n");
	while (*len && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
		(*len)--;
	return s;
}

/* Does the step's feedback take the judge's place?  Only for a step
 * that ran and failed: one that did not run has the run's reason. */
static bool told_feedback(const struct export_step *e)
{
	return e->verdict == VERDICT_FAILED && e->st->feedback.n;
}

const char *export_message(const struct export_class *x,
			   const struct export_step *e)
{
	if (e->verdict == VERDICT_PASSED)
		return "";
	if (told_feedback(e))
		return spec_text_get(&e->st->feedback, lang_name(x->lang));
	return e->line ? e->line : "";
}

/* `s`, or its first and last bytes around a line saying how many were
 * left out; never a UTF-8 character cut. */
static void add_trimmed(struct sb *out, const char *s)
{
	size_t n = strlen(s), head = TRIM_HEAD, tail = n - TRIM_TAIL;

	if (n <= TRIM_OVER) {
		sb_adds(out, s);
		return;
	}
	while (head && ((unsigned char)s[head] & 0xc0) == 0x80)
		head--;
	while (tail < n && ((unsigned char)s[tail] & 0xc0) == 0x80)
		tail++;
	sb_add(out, s, head);
	sb_addf(out, "\n[… %zu bytes …]\n", tail - head);
	sb_adds(out, s + tail);
}

static void add_block(struct sb *out, const char *s)
{
	if (out->len)
		sb_adds(out, "\n\n");
	add_trimmed(out, s);
	while (out->len && out->buf[out->len - 1] == '\n')
		out->buf[--out->len] = '\0';
}

void export_detail(const struct export_class *x, const struct export_step *e,
		   struct sb *out)
{
	bool why = e->why && !told_feedback(e);
	size_t said = e->line ? strlen(e->line) : 0;
	struct sb b;

	sb_init(&b);
	/* what the message said already is not said again */
	if (why && said && !strncmp(e->why, e->line, said) &&
	    (!e->why[said] || e->why[said] == '\n'))
		why = e->why[said] && e->why[said + 1];
	else
		said = 0;
	if (why)
		add_block(out, e->why + said + (said > 0));
	/* the judge quotes a fault it did not expect, with its line */
	if (e->fault != FAULT_NONE &&
	    !(why && e->fault_line && strstr(e->why, e->fault_line))) {
		sb_addf(&b, "%s (%s): %s", export_word(x, EW_FAULT),
			results_fault_name(e->fault),
			e->fault_line ? e->fault_line : "");
		if (e->fault_where)
			sb_addf(&b, "\n%s %s:\n%s", export_word(x, EW_AT),
				e->fault_where,
				e->fault_source ? e->fault_source : "");
		add_block(out, b.buf);
		sb_reset(&b);
	}
	if (e->command && told_feedback(e)) {  /* the judge's would show it */
		sb_addf(&b, "$ %s\n%s", e->command, e->output ? e->output : "");
		add_block(out, b.buf);
	}
	sb_release(&b);
}

char *export_not_graded(const struct export_class *x,
			const struct export_student *s)
{
	size_t n;
	const char *why = first_line(s->s->not_graded, &n);

	return xasprintf("%s: %.*s (%s)", export_word(x, EW_NOT_GRADED), (int)n,
			 why, export_word(x, EW_NOT_YOURS));
}

/* ---- loading: the class as summary.c judges it ---- */

/* The judge's whole explanation of a step that did not pass: each failed
 * expectation's, then the fault it did not expect; a step that did not
 * run, the run's whole reason (a compiler's message). */
static char *full_why(const struct check_judgement *j, const char *line)
{
	struct sb why;

	if (j->basis == BASIS_SKIPPED || j->basis == BASIS_NOT_RUN)
		return j->rs && j->rs->reason.code ?
		       reason_text(&j->rs->reason, LANG_EN) : xstrdup(line);
	sb_init(&why);
	for (size_t i = 0; i < j->nexpect; i++)
		if (j->expect[i].held != 1 && j->expect[i].why.code) {
			sb_adds(&why, why.len ? "\n" : "");
			reason_say(&why, &j->expect[i].why, LANG_EN);
		}
	if (j->unexpected.code) {
		sb_adds(&why, why.len ? "\n" : "");
		reason_say(&why, &j->unexpected, LANG_EN);
	}
	if (!why.len)
		sb_adds(&why, line ? line : "");
	return sb_detach(&why, NULL);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void keep_step(const struct summary_class *c, struct summary_student *s,
		      size_t k, const struct check_judgement *j,
		      const struct results *res, void *arg)
{
	struct export_class *x = arg;
	struct export_student *es;
	struct export_step *e;
	const struct results_step *rs = j->rs;

	(void)res;
	if (!x->students)
		x->students = xcalloc(c->nstudents + 1, sizeof(*x->students));
	es = &x->students[s - c->students];
	if (!es->steps)
		es->steps = xcalloc(c->nsteps + 1, sizeof(*es->steps));
	e = &es->steps[k];
	e->st = c->steps[k];
	spec_step(c->spec, e->st->id, &e->ex);
	e->verdict = j->verdict;
	e->score = report_step_score(e->st, c->points, j->verdict);
	if (j->verdict != VERDICT_PASSED) {
		e->line = dup_or_null(s->why[k]);
		e->why = full_why(j, s->why[k]);
	}
	if (!rs)
		return;
	e->command = dup_or_null(rs->command);
	e->output = dup_or_null(rs->output);
	e->seconds = rs->duration;
	e->fault = rs->fault.kind;
	e->fault_line = dup_or_null(rs->fault.line);
	e->fault_where = dup_or_null(rs->fault.where);
	e->fault_source = dup_or_null(rs->fault.source);
}

static void class_free(struct export_class *x)
{
	for (size_t i = 0; x->students && i < x->c.nstudents; i++) {
		struct export_step *steps = x->students[i].steps;

		for (size_t k = 0; steps && k < x->c.nsteps; k++) {
			free(steps[k].why);
			free(steps[k].line);
			free(steps[k].command);
			free(steps[k].output);
			free(steps[k].fault_line);
			free(steps[k].fault_where);
			free(steps[k].fault_source);
		}
		free(steps);
	}
	free(x->students);
	free(x->spec_name);
	summary_class_free(&x->c);
	summary_grade_free(&x->grade);
}

static void class_init(struct export_class *x, const struct spec *spec,
		       const struct export_opts *o)
{
	const char *slash = strrchr(spec->file, '/');

	memset(x, 0, sizeof(*x));
	x->o = o;
	x->lang = o->lang;
	x->spec_name = xstrdup(slash ? slash + 1 : spec->file);
}

/* Every student has its steps, and its summary row. */
static void class_done(struct export_class *x)
{
	if (!x->students)
		x->students = xcalloc(x->c.nstudents + 1, sizeof(*x->students));
	for (size_t i = 0; i < x->c.nstudents; i++) {
		x->students[i].s = &x->c.students[i];
		if (!x->students[i].steps)
			x->students[i].steps = xcalloc(x->c.nsteps + 1,
						       sizeof(struct export_step));
	}
}

/* ---- writing ---- */

int export_write(const char *dir, const char *name, const struct sb *sb)
{
	char *path = xasprintf("%s/%s", dir, name);
	int rc = fs_mkdirs(dir, 0755);

	if (rc == 0)
		rc = fs_write_atomic(path, sb->buf ? sb->buf : "", sb->len);
	if (rc < 0)
		error("cannot write '%s': %m", path);
	free(path);
	return rc;
}

/* Student `s`'s files of every format asked for but moodle, each in
 * <base>/<format>/. */
static int write_student(const struct export_class *x,
			 const struct export_student *s, const char *base)
{
	static int (*const writers[EXPORT_MOODLE])(const struct export_class *,
						     const struct export_student *,
						     const char *) = {
		[EXPORT_GRADESCOPE] = export_gradescope,
		[EXPORT_PRAIRIELEARN] = export_prairielearn,
		[EXPORT_CLASSROOM] = export_classroom,
	};
	int rc = 0;

	for (int f = 0; rc == 0 && f < EXPORT_MOODLE; f++) {
		char *dir;

		if (!(x->o->formats & (1u << f)))
			continue;
		dir = xasprintf("%s/%s", base, format_names[f]);
		rc = writers[f](x, s, dir);
		free(dir);
	}
	return rc;
}

int export_grading(const struct spec *spec, const char *grade_dir,
		   const struct export_opts *o)
{
	struct summary_hook hook = { keep_step, NULL };
	char *path = layout_file(grade_dir, LAYOUT_GRADE_YAML);
	struct export_class x;
	struct sb csv;
	int rc = EXIT_USAGE;

	class_init(&x, spec, o);
	hook.arg = &x;
	sb_init(&csv);
	if (summary_grade_load(&x.grade, path, spec) < 0 ||
	    summary_class_load(&x.c, spec, &x.grade, &grade_dir, 1, &hook) < 0)
		goto out;
	class_done(&x);
	if ((o->formats & (1u << EXPORT_MOODLE)) && export_moodle(&x, &csv) < 0)
		goto out;
	rc = EXIT_INTERNAL;
	for (size_t i = 0; i < x.c.nstudents; i++)
		if (write_student(&x, &x.students[i], x.c.students[i].results) < 0)
			goto out;
	if ((o->formats & (1u << EXPORT_MOODLE)) &&
	    export_write(grade_dir, "moodle.csv", &csv) < 0)
		goto out;
	rc = EXIT_OK;
out:
	sb_release(&csv);
	class_free(&x);
	free(path);
	return rc;
}

/* A run's exercises: those it has results of (every one of the spec
 * when it has none: then none is graded, for want of results). */
static void run_exercises(struct summary_grade *g, const struct spec *spec,
			  const char *results_dir)
{
	g->lab = xstrdup(spec->lab_id);
	g->exercises = xcalloc(spec->nexercises + 1, sizeof(char *));
	for (int all = 0; all < 2 && !g->nexercises; all++)
		for (size_t i = 0; i < spec->nexercises; i++) {
			const char *id = spec->exercises[i].id;
			char *path = layout_exercise_results(results_dir, id);
			struct stat st;

			if (all || stat(path, &st) == 0)
				g->exercises[g->nexercises++] = xstrdup(id);
			free(path);
		}
}

int export_run(const struct spec *spec, const char *results_dir,
	       const char *name, const char *out_dir,
	       const struct export_opts *o)
{
	struct summary_hook hook = { keep_step, NULL };
	struct export_class x;
	int rc = EXIT_USAGE;

	if (o->formats & (1u << EXPORT_MOODLE))
		return error("moodle.csv is a class's: export a grading (--out) for it"),
		       EXIT_USAGE;
	class_init(&x, spec, o);
	hook.arg = &x;
	run_exercises(&x.grade, spec, results_dir);
	if (summary_class_load_run(&x.c, spec, &x.grade, results_dir, name,
				   &hook) == 0) {
		class_done(&x);
		rc = write_student(&x, &x.students[0], out_dir) < 0 ?
		     EXIT_INTERNAL : EXIT_OK;
	}
	class_free(&x);
	return rc;
}
