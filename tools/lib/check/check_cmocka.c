/*
 * check_cmocka.c — `labkit check`'s verdict on one step: made from the
 * judge's result (check.c) as cases — one per expectation, one for a
 * fault the step did not expect, or the one verdict no expectation gives
 * (skipped, not run, no results) — which cmocka runs as tests at run
 * time to write text and TAP (CMOCKA_MESSAGE_OUTPUT, or `--format`,
 * which sets it for the call), and junit.c writes as JUnit (`--format
 * junit`, or text asked for as CMOCKA_MESSAGE_OUTPUT=XML).
 *
 * A step with `points:` says what it earned (all when it passed, else
 * none): "# points 2/2" after its TAP cases, "step 3.3: points 2/2" in
 * text, and in JUnit properties of its <testsuite>.
 *
 * cmocka writes to stdout; a verdict bound for a file gets stdout pointed
 * at a temporary file, renamed into place when it is complete (removed
 * when no verdict was written); JUnit is made whole and written at once.
 * Fails by returning an exit code.
 */
#include "check.h"
#include "junit.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

/* How the verdict is written: as TAP, as JUnit, is every verdict a case
 * (TAP, JUnit) or a line (text). */
struct check_out {
	bool junit;
	bool tap;
	bool cases;
	bool student;            /* as a student may see it (--as-student) */
};

/* One case of a step's verdict. */
struct vcase {
	char *name;
	enum junit_result result;
	char *why;               /* a failure's message, or NULL */
	int line;                /* its place in the spec */
};

/* A step's verdict as cases, or (in text, for a verdict no expectation
 * gives) as a line. */
struct step_cases {
	const struct spec *spec;
	const struct spec_step *st;
	size_t n, cap;
	struct vcase *cases;
	char *line;              /* the text line, or NULL */
	int rc;                  /* EXIT_OK, EXIT_CHECK_FAILED, EXIT_SKIP */
};

static void add_case(struct step_cases *v, char *name, enum junit_result result,
		     char *why, int line)
{
	ARRAY_PUSH(v->cases, v->n, v->cap);
	v->cases[v->n++] = (struct vcase){ name, result, why, line };
}

static void verdict_free(struct step_cases *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->cases[i].name);
		free(v->cases[i].why);
	}
	free(v->cases);
	free(v->line);
}

static char *case_name(const struct spec_step *st, const struct spec_expect *e)
{
	static const char *const kinds[] = {
		[SPEC_EXPECT_MATCH] = "match", [SPEC_EXPECT_ABSENT] = "absent",
		[SPEC_EXPECT_ORDERED] = "ordered",
	};

	if (e->kind == SPEC_EXPECT_EXIT)
		return xasprintf("%s exit %d", st->id, e->exit_status);
	if (e->kind == SPEC_EXPECT_TIMEOUT)
		return xasprintf("%s timeout", st->id);
	return xasprintf("%s %s '%s'%s", st->id, e->kind == SPEC_EXPECT_FAULT ?
			 results_fault_name(e->fault) : kinds[e->kind],
			 e->patterns[0], e->npatterns > 1 ? " ..." : "");
}

/* "step 3.3: <why>", in English; the console's last lines after the
 * first failure of a step the run cut short (*tail_shown then). */
static char *step_why(const struct results *res, const struct results_step *rs,
		      const struct reason *why, bool *tail_shown)
{
	struct sb msg;

	sb_init(&msg);
	sb_addf(&msg, "step %s: ", rs->id);
	reason_say(&msg, why, LANG_EN);
	if (tail_shown && res->tail && rs->status != STATUS_RAN && !*tail_shown) {
		sb_addf(&msg, "\n  last console lines:\n%s", res->tail);
		*tail_shown = true;
	}
	return sb_detach(&msg, NULL);
}

/* A case per expectation; a fault the step did not expect is a case of
 * its own, even in a step with no expectations: its message quotes the
 * fault and its source line. */
static void expectation_cases(struct step_cases *v, const struct results *res,
			      const struct check_judgement *j,
			      const struct check_out *x)
{
	bool tail_shown = x->student;   /* the console is the teacher's */

	for (size_t i = 0; i < j->nexpect; i++) {
		const struct check_expect *ce = &j->expect[i];
		bool held = ce->held == 1;

		add_case(v, case_name(v->st, &v->st->expect[i]),
			 held ? JUNIT_PASSED : JUNIT_FAILURE,
			 held ? NULL : step_why(res, j->rs, &ce->why, &tail_shown),
			 ce->e->pos.line);
		v->rc = held && v->rc == EXIT_OK ? EXIT_OK : EXIT_CHECK_FAILED;
	}
	if (j->unexpected.code) {
		add_case(v, xasprintf("%s no unexpected fault", v->st->id),
			 JUNIT_FAILURE, step_why(res, j->rs, &j->unexpected, NULL),
			 v->st->pos.line);
		v->rc = EXIT_CHECK_FAILED;
	}
}

/*
 * A verdict no expectation gives: in text, the line it always was; in
 * TAP and JUnit a case of its own ("3.3 skipped: <reason>", "3.3
 * result"), so no step is ever missing from a report.
 */
static void one_verdict(struct step_cases *v, const struct check_out *x, int rc,
			const char *why)
{
	const struct spec_step *st = v->st;
	bool skip = rc == EXIT_SKIP;
	char *msg = xasprintf("step %s%s%s", st->id, skip ? " " : ": ", why);

	v->rc = rc;
	if (!x->cases) {
		v->line = msg;
		return;
	}
	add_case(v, skip ? xasprintf("%s %s", st->id, why) :
		 xasprintf("%s result", st->id),
		 skip ? JUNIT_SKIPPED : rc != EXIT_OK ? JUNIT_FAILURE : JUNIT_PASSED,
		 rc != EXIT_OK && !skip ? msg : NULL, st->pos.line);
	if (skip || rc == EXIT_OK)
		free(msg);
}

/* The words of a verdict the expectations did not decide. */
static char *basis_text(const struct check_judgement *j)
{
	char *said = j->rs && j->rs->reason.code ?
		     reason_text(&j->rs->reason, LANG_EN) : NULL;
	const char *reason = said ? said : "no reason given";
	char *text = NULL;

	switch (j->basis) {
	case BASIS_NO_RESULTS:
		text = xstrdup("no results: run the exercise first");
		break;
	case BASIS_NOT_RECORDED:
		text = xstrdup("no result: the run did not record it");
		break;
	case BASIS_SKIPPED:
		text = xasprintf("skipped: %s", reason);
		break;
	case BASIS_NOT_RUN:
		text = xasprintf("not run: %s", reason);
		break;
	case BASIS_NOTHING:
		text = xasprintf("unchecked: %s", j->why_unchecked ?
				 j->why_unchecked : "no expectations");
		break;
	case BASIS_EXPECTATIONS:
	case BASIS_UNFINISHED:
		break;
	}
	free(said);
	return text;
}

/*
 * As a student sees it: a step whose results are not `visible` yet says
 * only that (a skip: neither passed nor failed); one that failed and has
 * a `feedback` says the feedback in place of the judge's explanation,
 * with the fault it did not expect and its source line.  False when the
 * verdict is as anyone sees it.
 */
static bool student_verdict(struct step_cases *v, const struct check_judgement *j,
			    const struct check_out *x)
{
	const struct spec_step *st = v->st;
	const struct results_fault *f = j->rs ? &j->rs->fault : NULL;
	struct reason note = REASON_INIT;
	char *why, *said;

	if (!x->student)
		return false;
	if (st->visibility != VISIBILITY_VISIBLE) {
		why = xasprintf("its result is not shown to students yet (visibility: %s)",
				spec_visibility_name(st->visibility));
		one_verdict(v, x, EXIT_SKIP, why);
		free(why);
		return true;
	}
	if (j->verdict != VERDICT_FAILED || !st->feedback.n)
		return false;
	if (j->unexpected.code && f && f->kind != FAULT_NONE) {
		check_fault_note(f, &note);
		said = reason_text(&note, LANG_EN);
		why = xasprintf("%s\n  %s", spec_text_get(&st->feedback, "en"),
				said);
		free(said);
		reason_free(&note);
	} else {
		why = xstrdup(spec_text_get(&st->feedback, "en"));
	}
	one_verdict(v, x, EXIT_CHECK_FAILED, why);
	free(why);
	return true;
}

/* The verdict on the step, judged. */
static void step_verdict(struct step_cases *v, const struct results *res,
			 const struct check_judgement *j,
			 const struct check_out *x)
{
	char *why;

	if (student_verdict(v, j, x))
		return;
	if (j->basis == BASIS_EXPECTATIONS || j->basis == BASIS_UNFINISHED ||
	    j->unexpected.code) {
		expectation_cases(v, res, j, x);
		return;
	}
	why = basis_text(j);
	one_verdict(v, x, j->verdict == VERDICT_PASSED ? EXIT_OK :
		    j->verdict == VERDICT_SKIPPED ||
		    /* after a panic or a hang a step expected */
		    (j->verdict == VERDICT_NOT_RUN && res && res->expected) ?
		    EXIT_SKIP : EXIT_CHECK_FAILED, why);
	free(why);
}

/* ---- written by cmocka: text and TAP ---- */

struct run_state {
	const char *file;
	const struct vcase *c;
};

static void run_case(void **state)
{
	const struct run_state *s = *state;

	if (s->c->result == JUNIT_SKIPPED)
		skip();
	else if (s->c->result == JUNIT_FAILURE)
		_assert_true(0, s->c->why, s->file, s->c->line);
	/*
	 * The explanation goes through _assert_true() as its "expression",
	 * so it lands in cmocka's per-test message buffer and from there in
	 * the standard and TAP outputs alike (print_error() only reaches
	 * stderr); the position is the case's own in the spec file.
	 */
}

/*
 * The step's points, when it has them: all of them when it passed, none
 * otherwise.  TAP gets a diagnostic line after the step's cases, "#
 * points 2/2"; text a line of its own, "step 3.3: points 2/2", which is
 * what ctest's --output-junit can carry (the test's output, in
 * <system-out>).
 */
static void print_points(const struct spec_step *st, int got,
			 const struct check_out *x)
{
	if (st->points < 0)
		return;
	if (x->tap)
		print_message("# points %d/%d\n", got, st->points);
	else
		print_message("step %s: points %d/%d\n", st->id, got, st->points);
}

static void run_cmocka(const struct step_cases *v, const struct check_out *x,
		       int got)
{
	struct CMUnitTest *tests = xcalloc(v->n + 1, sizeof(*tests));
	struct run_state *states = xcalloc(v->n + 1, sizeof(*states));
	char *group = xasprintf("%s.%s", v->spec->lab_id, v->st->id);

	if (v->line) {
		print_message("%s\n", v->line);
	} else {
		for (size_t i = 0; i < v->n; i++) {
			states[i] = (struct run_state){ v->spec->file, &v->cases[i] };
			tests[i] = (struct CMUnitTest){ .name = v->cases[i].name,
				.test_func = run_case, .initial_state = &states[i] };
		}
		_cmocka_run_group_tests(group, tests, v->n, NULL, NULL);
	}
	if (!(x->student && v->st->visibility != VISIBILITY_VISIBLE))
		print_points(v->st, got, x);
	free(group);
	free(states);
	free(tests);
}

/* ---- written here: JUnit ---- */

/* The verdict as a JUnit document; a failure's text ends with its place
 * in the spec, as cmocka says it. */
static void make_junit(const struct step_cases *v, int got, bool points,
		       struct sb *xml)
{
	struct junit_case *cases = xcalloc(v->n + 1, sizeof(*cases));
	char **texts = xcalloc(v->n + 1, sizeof(*texts));
	char *name = xasprintf("%s.%s", v->spec->lab_id, v->st->id);
	struct junit_suite suite = { name, v->n, cases, points, got,
				     v->st->points };

	for (size_t i = 0; i < v->n; i++) {
		const struct vcase *c = &v->cases[i];

		if (c->why)
			texts[i] = xasprintf("%s\n%s:%d: error: Failure!", c->why,
					     v->spec->file, c->line);
		cases[i] = (struct junit_case){ NULL, c->name, c->result, NULL,
						texts[i] };
	}
	junit_write(xml, &suite, 1);
	for (size_t i = 0; i < v->n; i++)
		free(texts[i]);
	free(texts);
	free(cases);
	free(name);
}

int check_format_parse(const char *name, enum check_format *fmt)
{
	static const char *const names[] = { "text", "tap", "junit" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(name, names[i])) {
			*fmt = (enum check_format)i;
			return 0;
		}
	}
	return error("unknown format '%s' (text, tap or junit)", name);
}

/* ---- where the verdict goes ---- */

struct verdict_file {
	const char *path;        /* NULL: stdout */
	char *tmp;               /* where stdout goes meanwhile, or NULL */
	int saved;               /* the caller's stdout */
};

/* stdout into a temporary file next to `path` until
 * verdict_file_close(); nothing for stdout (NULL, "-"). */
static int verdict_file_open(struct verdict_file *r, const char *path)
{
	int fd;

	memset(r, 0, sizeof(*r));
	r->saved = -1;
	if (!path || !strcmp(path, "-"))
		return 0;
	r->path = path;
	r->tmp = xasprintf("%s.tmp.XXXXXX", path);
	fd = mkstemp(r->tmp);
	if (fd < 0) {
		error("cannot create '%s': %m", r->path);
		free(r->tmp);
		r->tmp = NULL;
		return -1;
	}
	fflush(stdout);
	r->saved = dup(STDOUT_FILENO);
	if (r->saved < 0 || fchmod(fd, 0644) < 0 ||
	    dup2(fd, STDOUT_FILENO) < 0) {
		error("cannot write '%s': %m", r->path);
		if (r->saved >= 0)
			close(r->saved);
		close(fd);
		unlink(r->tmp);
		free(r->tmp);
		r->tmp = NULL;
		return -1;
	}
	close(fd);
	return 0;
}

/* The caller's stdout back; the verdict renamed into place, or the file
 * removed when `keep` is false (no verdict was written). */
static int verdict_file_close(struct verdict_file *r, bool keep)
{
	int rc = keep ? 0 : -1;

	if (fflush(stdout) != 0 || (r->tmp && fsync(STDOUT_FILENO) < 0))
		rc = error("cannot write '%s': %m", r->path ? r->path : "stdout");
	if (!r->tmp)
		return rc;
	if (dup2(r->saved, STDOUT_FILENO) < 0)
		rc = error("cannot restore stdout: %m");
	close(r->saved);
	if (rc == 0 && rename(r->tmp, r->path) < 0)
		rc = error("cannot rename '%s' to '%s': %m", r->tmp, r->path);
	if (rc < 0)
		unlink(r->tmp);
	free(r->tmp);
	return rc;
}

/* Sets (value) or unsets (NULL) an environment variable; returns the old
 * value for restore_env(). */
static char *swap_env(const char *name, const char *value)
{
	const char *old = getenv(name);
	char *saved = old ? xstrdup(old) : NULL;

	if (value)
		setenv(name, value, 1);
	else
		unsetenv(name);
	return saved;
}

static void restore_env(const char *name, char *saved)
{
	if (saved)
		setenv(name, saved, 1);
	else
		unsetenv(name);
	free(saved);
}

/* The verdict to stdout: JUnit, or what cmocka writes (text, TAP). */
static void write_verdict(const struct step_cases *v, const struct check_out *x,
			  int got, bool points)
{
	char *saved_output = NULL, *saved_file = NULL;
	struct sb doc;

	if (x->junit) {
		sb_init(&doc);
		make_junit(v, got, points, &doc);
		fwrite(doc.buf, 1, doc.len, stdout);
		sb_release(&doc);
		return;
	}
	if (x->tap) {
		/* cmocka reads these at every print */
		saved_output = swap_env("CMOCKA_MESSAGE_OUTPUT", "TAP");
		saved_file = swap_env("CMOCKA_XML_FILE", NULL);
	}
	run_cmocka(v, x, got);
	if (x->tap) {
		restore_env("CMOCKA_MESSAGE_OUTPUT", saved_output);
		restore_env("CMOCKA_XML_FILE", saved_file);
	}
}

int check_step_report(const struct spec *spec, const struct results *res,
		      const char *step_id, enum check_format fmt,
		      const char *out_path, bool as_student)
{
	const char *env = getenv("CMOCKA_MESSAGE_OUTPUT");
	const struct spec_step *st = spec_step(spec, step_id, NULL);
	bool xml = fmt == CHECK_FORMAT_TEXT && env && !strcasecmp(env, "XML");
	struct check_out x = {
		.junit = fmt == CHECK_FORMAT_JUNIT || xml,
		.tap = fmt == CHECK_FORMAT_TAP ||
		       (fmt == CHECK_FORMAT_TEXT && env && !strcasecmp(env, "TAP")),
		.cases = fmt != CHECK_FORMAT_TEXT || xml,
		.student = as_student,
	};
	struct step_cases v = { spec, st, 0, 0, NULL, NULL, EXIT_OK };
	struct check_judgement j;
	struct expand_vars vars;
	struct verdict_file r;
	int rc, got;

	if (!st)
		return error("no step '%s' in '%s'", step_id, spec->file), EXIT_USAGE;
	if (verdict_file_open(&r, out_path) < 0)
		return EXIT_USAGE;
	expand_vars_init(&vars);
	if (res)
		check_vars(spec, res, &vars);
	check_judge(st, res, &vars, &j);
	step_verdict(&v, res, &j, &x);
	got = j.verdict == VERDICT_PASSED && st->points > 0 ? st->points : 0;
	write_verdict(&v, &x, got, st->points >= 0 &&
		      !(as_student && st->visibility != VISIBILITY_VISIBLE));
	rc = verdict_file_close(&r, true) < 0 ? EXIT_INTERNAL : v.rc;
	verdict_free(&v);
	check_judgement_free(&j);
	expand_vars_free(&vars);
	return rc;
}
