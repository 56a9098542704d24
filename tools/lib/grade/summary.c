/*
 * summary.c — a graded class as one table.  It owns grade.yaml (the
 * grading's facts), the list of students (students/<name>/, bytewise
 * order) and their judging: every step of the graded exercises through
 * check_judge(), as `labkit check` and the report judge it, scored by the
 * report's own rule (report_step_score()).  summary_csv.c and
 * summary_html.c write the table; summary_merge.c joins shards.
 *
 * It reads saved files only (no guest runs), and writes nothing but
 * summary.csv and summary.html, each atomically, from what the results
 * say: no paths, times or host names, so the same results give the same
 * bytes on any machine.  A grade.yaml or results.yaml that does not parse,
 * or is another lab's, is an error naming the file ("path:line:col:
 * error:"); every such problem is reported, and then nothing is written.
 */
#include "summary_int.h"
#include "layout.h"
#include "yamldoc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define LINE(n) YAMLDOC_LINE(n)
#define COL(n) YAMLDOC_COL(n)

/* ---- grade.yaml ---- */

void summary_grade_free(struct summary_grade *g)
{
	for (size_t i = 0; i < g->nexercises; i++)
		free(g->exercises[i]);
	free(g->exercises);
	free(g->lab);
	memset(g, 0, sizeof(*g));
}

static bool graded(const struct summary_grade *g, const char *exercise)
{
	for (size_t i = 0; i < g->nexercises; i++)
		if (!strcmp(g->exercises[i], exercise))
			return true;
	return false;
}

static int load_exercises(struct summary_grade *g, const char *path,
			  yaml_document_t *doc, yaml_node_t *seq,
			  const struct spec *spec)
{
	size_t cap = 0;

	if (!seq || seq->type != YAML_SEQUENCE_NODE ||
	    seq->data.sequence.items.start == seq->data.sequence.items.top)
		return error_at(path, seq ? LINE(seq) : 0, seq ? COL(seq) : 0,
				"'exercises' must list the exercises graded");
	for (yaml_node_item_t *i = seq->data.sequence.items.start;
	     i < seq->data.sequence.items.top; i++) {
		yaml_node_t *n = yaml_document_get_node(doc, *i);
		const char *id = yamldoc_scalar(n);

		if (!id || !*id)
			return error_at(path, LINE(n), COL(n),
					"an exercise must be an id");
		if (spec && !spec_exercise(spec, id))
			return error_at(path, LINE(n), COL(n),
					"no exercise '%s' in '%s'", id, spec->file);
		if (graded(g, id))
			return error_at(path, LINE(n), COL(n),
					"exercise '%s' is listed twice", id);
		ARRAY_PUSH(g->exercises, g->nexercises, cap);
		g->exercises[g->nexercises++] = xstrdup(id);
	}
	return 0;
}

int summary_grade_load(struct summary_grade *g, const char *path,
		       const struct spec *spec)
{
	yaml_document_t doc;
	yaml_node_t *root, *v;
	const char *lab;
	int rc = -1;

	memset(g, 0, sizeof(*g));
	if (yamldoc_load(path, &doc) < 0)
		return -1;
	root = yaml_document_get_root_node(&doc);
	if (yamldoc_format(&doc, root, "labkit-grade", &v) != 1) {
		error_at(path, v ? LINE(v) : 0, v ? COL(v) : 0,
			 "not a labkit grading file (no 'labkit-grade: 1')");
		goto out;
	}
	v = yamldoc_get(&doc, root, "lab");
	lab = yamldoc_scalar(v);
	if (!lab || !*lab) {
		error_at(path, v ? LINE(v) : 0, v ? COL(v) : 0, "no 'lab'");
		goto out;
	}
	if (spec && strcmp(lab, spec->lab_id)) {
		error_at(path, LINE(v), COL(v),
			 "a grading of lab '%s', but '%s' is lab '%s'", lab,
			 spec->file, spec->lab_id);
		goto out;
	}
	g->lab = xstrdup(lab);
	rc = load_exercises(g, path, &doc,
			    yamldoc_get(&doc, root, "exercises"), spec);
out:
	yaml_document_delete(&doc);
	if (rc < 0)
		summary_grade_free(g);
	return rc;
}

/* A YAML scalar: plain when it is an id, else double-quoted. */
static void yaml_scalar(struct sb *sb, const char *s, bool quote)
{
	bool plain = !quote && *s && *s != '-' && *s != '.';

	for (const char *p = s; plain && *p; p++)
		plain = isalnum((unsigned char)*p) || strchr("._-", *p);
	if (plain) {
		sb_adds(sb, s);
		return;
	}
	sb_addc(sb, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"' || *p == '\\')
			sb_addc(sb, '\\');
		if ((unsigned char)*p < 0x20)
			sb_addf(sb, "\\x%02x", (unsigned char)*p);
		else
			sb_addc(sb, *p);
	}
	sb_addc(sb, '"');
}

int summary_grade_write(const struct summary_grade *g, const char *path)
{
	struct sb y;
	int rc;

	sb_init(&y);
	sb_adds(&y, "labkit-grade: 1\nlab: ");
	yaml_scalar(&y, g->lab, false);
	sb_adds(&y, "\nexercises: [");
	for (size_t i = 0; i < g->nexercises; i++) {
		sb_adds(&y, i ? ", " : "");
		yaml_scalar(&y, g->exercises[i], true);
	}
	sb_adds(&y, "]\n");
	rc = fs_write_atomic(path, y.buf, y.len);
	if (rc < 0)
		error("cannot write '%s': %m", path);
	sb_release(&y);
	return rc;
}

/* ---- the students ---- */

bool summary_student_name_ok(const char *name)
{
	if (!*name || *name == '.')
		return false;
	for (const char *p = name; *p; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9') && !strchr("._-", *p))
			return false;
	return true;
}

/* The students of one grading directory; none when it has no students/
 * yet.  Names starting with '.' (temporary files) and files are not
 * students. */
static int list_students(struct summary_class *c, const char *dir,
			 size_t shard)
{
	char *sdir = layout_file(dir, LAYOUT_STUDENTS);
	DIR *d = opendir(sdir);
	struct dirent *e;
	int rc = 0;

	if (!d) {
		if (errno != ENOENT)
			rc = error_at(sdir, 0, 0, "cannot read: %m");
		free(sdir);
		return rc;
	}
	while ((e = readdir(d))) {
		struct stat st;

		if (e->d_name[0] == '.' ||
		    fstatat(dirfd(d), e->d_name, &st, 0) < 0 ||
		    !S_ISDIR(st.st_mode))
			continue;
		if (!summary_student_name_ok(e->d_name)) {
			rc = error_at(sdir, 0, 0, "'%s' is not a student's name "
				      "(letters, digits, '.', '_', '-')", e->d_name);
			continue;
		}
		ARRAY_PUSH(c->students, c->nstudents, c->cap);
		memset(&c->students[c->nstudents], 0, sizeof(*c->students));
		c->students[c->nstudents].sandbox = -1;
		c->students[c->nstudents].name = xstrdup(e->d_name);
		c->students[c->nstudents].results = layout_student_dir(dir,
								       e->d_name);
		c->students[c->nstudents++].shard = shard;
	}
	closedir(d);
	free(sdir);
	return rc;
}

static int by_name(const void *a, const void *b)
{
	const struct summary_student *x = a, *y = b;
	int d = strcmp(x->name, y->name);

	return d ? d : (x->shard > y->shard) - (x->shard < y->shard);
}

/* Sorted bytewise (strcmp compares unsigned bytes); a name twice is a
 * student in two gradings. */
static int sort_students(struct summary_class *c, const char *const *dirs)
{
	int rc = 0;

	if (c->nstudents)
		qsort(c->students, c->nstudents, sizeof(*c->students), by_name);
	for (size_t i = 1; i < c->nstudents; i++) {
		const struct summary_student *a = &c->students[i - 1];
		const struct summary_student *b = &c->students[i];

		if (!strcmp(a->name, b->name))
			rc = error("student '%s' is in two gradings: '%s' and '%s'",
				   b->name, dirs[a->shard], dirs[b->shard]);
	}
	return rc;
}

/* ---- judging ---- */

/* The first line of `text` with something on it, trimmed. */
static char *first_line(const char *text)
{
	for (const char *p = text; *p; ) {
		size_t n = strcspn(p, "\n"), b = 0, e = n;

		while (b < n && isspace((unsigned char)p[b]))
			b++;
		while (e > b && isspace((unsigned char)p[e - 1]))
			e--;
		if (e > b)
			return xstrndup(p + b, e - b);
		p += n + (p[n] == '\n');
	}
	return xstrdup("");
}

/* The first line of a reason, in English. */
static char *reason_line(const struct reason *why)
{
	char *text = reason_text(why, LANG_EN), *line = first_line(text);

	free(text);
	return line;
}

char *summary_explain(const struct check_judgement *j)
{
	static const struct reason none = REASON_INIT;

	switch (j->basis) {
	case BASIS_NO_RESULTS:
		return xstrdup("no results: the exercise did not run");
	case BASIS_NOT_RECORDED:
		return xstrdup("no result: the run did not record it");
	case BASIS_SKIPPED:
	case BASIS_NOT_RUN:
		return reason_line(j->rs ? &j->rs->reason : &none);
	case BASIS_EXPECTATIONS:
	case BASIS_UNFINISHED:
	case BASIS_NOTHING:
		break;
	}
	if (j->unexpected.code)        /* a fault explains what failed after */
		return reason_line(&j->unexpected);
	for (size_t i = 0; i < j->nexpect; i++)
		if (j->expect[i].held != 1 && j->expect[i].why.code)
			return reason_line(&j->expect[i].why);
	return xasprintf("the step did not run to the end: %s",
			 j->rs ? results_status_name(j->rs->status) : "?");
}

/* A student's exercise being judged, its first step the class's k-th. */
struct judging {
	struct summary_class *c;
	struct summary_student *s;
	size_t k;
};

/* check_exercise_judge()'s: step i of the exercise judged, `j`. */
static void judge_step(const struct check_exercise *x, size_t i,
		       struct check_judgement *j, void *arg)
{
	struct judging *g = arg;
	struct summary_class *c = g->c;
	struct summary_student *s = g->s;
	size_t k = g->k + i;
	struct report_score score;

	s->verdicts[k] = j->verdict;
	s->counts[j->verdict]++;
	if (j->verdict == VERDICT_PASSED)
		c->passed[k]++;
	else
		s->why[k] = summary_explain(j);
	if (s->why[k] && !*s->why[k]) {
		free(s->why[k]);
		s->why[k] = xstrdup(check_verdict_name(j->verdict));
	}
	score = report_step_score(c->steps[k], c->points, j->verdict);
	s->score.got += score.got;
	s->score.max += score.max;
	if (c->hook)
		c->hook->step(c, s, k, j, x->loaded ? &x->res : NULL,
			      c->hook->arg);
}

/* The sandbox the results record: the first exercise's, unless a later
 * one ran unsandboxed. */
static void note_sandbox(struct summary_student *s, const struct results *res)
{
	const char *why = expand_vars_get(&res->facts, "grade.sandbox.why");
	enum sandbox_kind box;

	if (sandbox_kind_parse(expand_vars_get(&res->facts, "grade.sandbox"),
			       &box) < 0 ||
	    (s->sandbox >= 0 && (s->sandbox == SANDBOX_NONE ||
				 box != SANDBOX_NONE)))
		return;
	free(s->sandbox_why);
	s->sandbox = (int)box;
	s->sandbox_why = why ? xstrdup(why) : NULL;
}

/* "<what>: <why>", the reason in English ("?" when there is none). */
static char *with_reason(const char *what, const struct reason *why)
{
	char *text = why->code ? reason_text(why, LANG_EN) : xstrdup("?");
	char *line = xasprintf("%s: %s", what, text);

	free(text);
	return line;
}

char *summary_not_graded(const struct results *res)
{
	const char *note;
	char *what, *line;

	if (!res)
		return xstrdup("no results: the exercise did not run");
	note = expand_vars_get(&res->facts, "grade.not_graded");
	if (note)
		return xstrdup(note);
	switch (res->outcome) {
	case OUTCOME_BOOT_FAIL:
		return with_reason("the guest did not boot", &res->detail);
	case OUTCOME_ERROR:
		return with_reason("labkit could not run the exercise",
				   &res->detail);
	case OUTCOME_INTERRUPTED:
		return xstrdup("the grading was interrupted");
	default:
		break;
	}
	for (size_t i = 0; i < res->nsteps; i++) {
		if (res->steps[i].status != STATUS_ERROR)
			continue;
		what = xasprintf("labkit could not run step %s", res->steps[i].id);
		line = with_reason(what, &res->steps[i].reason);
		free(what);
		return line;
	}
	return NULL;
}

/* Judges exercise `ex`'s steps, the class's k-th and on. */
static int judge_exercise(struct summary_class *c, struct summary_student *s,
			  const struct spec_exercise *ex, size_t k)
{
	struct judging g = { c, s, k };
	struct check_exercise x;
	int rc = check_exercise_load(&x, c->spec, ex, s->results);

	if (rc == 0) {
		check_exercise_judge(&x, judge_step, &g);
		if (x.loaded) {
			note_sandbox(s, &x.res);
			s->seconds += x.res.duration;
		}
		if (!s->not_graded)
			s->not_graded = summary_not_graded(x.loaded ? &x.res : NULL);
	}
	check_exercise_free(&x);
	return rc;
}

/* "<step>: <why>" of the first step that failed or did not run, else of
 * the first skipped; "" when every step passed. */
static void pick_reason(const struct summary_class *c,
			struct summary_student *s)
{
	size_t k = 0;

	if (s->not_graded) {
		s->reason = xasprintf("not graded: %s", s->not_graded);
		return;
	}
	while (k < c->nsteps && s->verdicts[k] != VERDICT_FAILED &&
	       s->verdicts[k] != VERDICT_NOT_RUN)
		k++;
	if (k == c->nsteps) {
		k = 0;
		while (k < c->nsteps && s->verdicts[k] != VERDICT_SKIPPED)
			k++;
	}
	s->reason = k < c->nsteps ?
		    xasprintf("%s: %s", c->steps[k]->id, s->why[k]) : xstrdup("");
}

static int judge_student(struct summary_class *c, struct summary_student *s)
{
	size_t k = 0;
	int rc = 0;

	s->verdicts = xcalloc(c->nsteps + 1, sizeof(*s->verdicts));
	s->why = xcalloc(c->nsteps + 1, sizeof(*s->why));
	for (size_t i = 0; i < c->spec->nexercises; i++) {
		const struct spec_exercise *ex = &c->spec->exercises[i];

		if (!graded(c->grade, ex->id))
			continue;
		if (judge_exercise(c, s, ex, k) < 0)
			rc = -1;
		k += ex->nsteps;
	}
	pick_reason(c, s);
	return rc;
}

/* ---- the class ---- */

/* The steps of the graded exercises, in spec order. */
static void graded_steps(struct summary_class *c)
{
	size_t cap = 0;

	for (size_t i = 0; i < c->spec->nexercises; i++) {
		const struct spec_exercise *ex = &c->spec->exercises[i];

		for (size_t j = 0; graded(c->grade, ex->id) && j < ex->nsteps; j++) {
			ARRAY_PUSH(c->steps, c->nsteps, cap);
			c->steps[c->nsteps++] = &ex->steps[j];
		}
	}
	c->passed = xcalloc(c->nsteps + 1, sizeof(*c->passed));
}

static void class_init(struct summary_class *c, const struct spec *spec,
		       const struct summary_grade *grade,
		       const struct summary_hook *hook)
{
	memset(c, 0, sizeof(*c));
	c->spec = spec;
	c->grade = grade;
	c->hook = hook;
	c->points = report_gives_points(spec);
	graded_steps(c);
}

static int judge_all(struct summary_class *c)
{
	int rc = 0;

	for (size_t i = 0; i < c->nstudents; i++) {
		struct summary_student *s = &c->students[i];

		if (judge_student(c, s) < 0)
			rc = -1;
		c->not_graded += s->not_graded != NULL;
	}
	return rc;
}

int summary_class_load(struct summary_class *c, const struct spec *spec,
		       const struct summary_grade *grade,
		       const char *const *dirs, size_t n,
		       const struct summary_hook *hook)
{
	int rc = 0;

	class_init(c, spec, grade, hook);
	for (size_t i = 0; i < n; i++)
		if (list_students(c, dirs[i], i) < 0)
			rc = -1;
	if (sort_students(c, dirs) < 0)
		rc = -1;
	if (judge_all(c) < 0)
		rc = -1;
	return rc;
}

int summary_class_load_run(struct summary_class *c, const struct spec *spec,
			   const struct summary_grade *grade,
			   const char *results_dir, const char *name,
			   const struct summary_hook *hook)
{
	class_init(c, spec, grade, hook);
	ARRAY_PUSH(c->students, c->nstudents, c->cap);
	memset(c->students, 0, sizeof(*c->students));
	c->students[0].sandbox = -1;
	c->students[0].name = xstrdup(name);
	c->students[0].results = xstrdup(results_dir);
	c->nstudents = 1;
	return judge_all(c);
}

void summary_class_free(struct summary_class *c)
{
	for (size_t i = 0; i < c->nstudents; i++) {
		struct summary_student *s = &c->students[i];

		for (size_t k = 0; s->why && k < c->nsteps; k++)
			free(s->why[k]);
		free(s->why);
		free(s->verdicts);
		free(s->name);
		free(s->results);
		free(s->sandbox_why);
		free(s->reason);
		free(s->not_graded);
	}
	free(c->students);
	free(c->steps);
	free(c->passed);
	memset(c, 0, sizeof(*c));
}

/* ---- writing ---- */

static int write_file(const char *dir, const char *name, const struct sb *sb)
{
	char *path = xasprintf("%s/%s", dir, name);
	int rc = fs_write_atomic(path, sb->buf, sb->len);

	if (rc < 0)
		error("cannot write '%s': %m", path);
	free(path);
	return rc;
}

int summary_class_write(const struct summary_class *c, const char *dir)
{
	struct sb csv, html;
	int rc = EXIT_INTERNAL;

	sb_init(&csv);
	sb_init(&html);
	summary_csv(c, &csv);
	summary_html(c, &html);
	if (write_file(dir, layout_name(LAYOUT_SUMMARY_CSV), &csv) == 0 &&
	    write_file(dir, layout_name(LAYOUT_SUMMARY_HTML), &html) == 0)
		rc = EXIT_OK;
	sb_release(&csv);
	sb_release(&html);
	return rc;
}

int summary_write(const struct spec *spec, const char *grade_dir)
{
	char *path = layout_file(grade_dir, LAYOUT_GRADE_YAML);
	struct summary_grade grade = { 0 };
	struct summary_class c = { 0 };
	int rc = EXIT_USAGE;

	if (summary_grade_load(&grade, path, spec) == 0 &&
	    summary_class_load(&c, spec, &grade, &grade_dir, 1, NULL) == 0)
		rc = summary_class_write(&c, grade_dir);
	if (rc == EXIT_OK && c.not_graded)
		rc = EXIT_NOT_GRADED;
	summary_class_free(&c);
	summary_grade_free(&grade);
	free(path);
	return rc;
}

bool summary_student_graded(const struct spec *spec, const char *grade_dir,
			    const char *name)
{
	char *path = layout_file(grade_dir, LAYOUT_GRADE_YAML);
	struct summary_grade grade;
	bool graded_all = summary_grade_load(&grade, path, spec) == 0;

	for (size_t i = 0; graded_all && i < grade.nexercises; i++) {
		char *sdir = layout_student_dir(grade_dir, name);
		char *rpath = layout_exercise_results(sdir, grade.exercises[i]);
		struct results res;
		bool loaded = false;
		char *why = NULL;

		if (results_load_exercise(&res, rpath, spec->lab_id,
					  grade.exercises[i], &loaded) < 0 ||
		    (why = summary_not_graded(loaded ? &res : NULL)))
			graded_all = false;
		free(why);
		results_free(&res);
		free(rpath);
		free(sdir);
	}
	summary_grade_free(&grade);
	free(path);
	return graded_all;
}
