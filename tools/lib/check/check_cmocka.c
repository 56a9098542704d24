/*
 * check_cmocka.c — `labkit check`'s verdict written by cmocka: each
 * expectation of the step is one cmocka test built at run time from the
 * judge's result (check.c), so text, TAP and xUnit come from cmocka itself
 * (CMOCKA_MESSAGE_OUTPUT, or `--format`, which sets it for the call and
 * can send the verdict to a file instead of stdout).  cmocka prints names
 * and messages into its XML as they are, so for JUnit they are made
 * XML-safe here first.
 *
 * A step with `points:` says what it earned (all when it passed, else
 * none): "# points 2/2" after its TAP cases, "step 3.3: points 2/2" in
 * text, and in JUnit properties of its <testsuite>, "points" and
 * "max_points", put into cmocka's XML when it is complete.
 *
 * cmocka writes to stdout; a verdict bound for a file gets stdout pointed
 * at a temporary file, renamed into place when it is complete (removed
 * when no verdict was written); JUnit with points bound for stdout is
 * caught in a temporary file too, and copied out.  Fails by returning an
 * exit code.
 */
#include "check.h"
#include "text.h"

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

/* How the verdict is written: does cmocka print XML or TAP, is every
 * verdict a test case (TAP, JUnit) or a line (text). */
struct check_out {
	bool xml;
	bool tap;
	bool cases;
	bool student;            /* as a student may see it (--as-student) */
};

/*
 * `s` as text XML 1.0 can carry: a control character (a console's ESC)
 * or a byte that is not UTF-8 becomes "\xNN"; in an attribute & < > "
 * become entities, in CDATA a "]]>" is split across two sections.
 */
static char *xml_safe(const char *s, bool xml, bool attr)
{
	struct sb out;

	if (!xml)
		return xstrdup(s);
	sb_init(&out);
	text_escape(&out, s, strlen(s),
		    TEXT_CONTROLS | (attr ? TEXT_HTML : TEXT_CDATA));
	return sb_detach(&out, NULL);
}

/*
 * The explanation goes through _assert_true() as its "expression", so it
 * lands in cmocka's per-test message buffer and from there in the
 * standard, TAP and xUnit outputs alike (print_error() only reaches
 * stderr); the position is the expectation's own in the spec file.
 */
static void fail_with(const char *why, bool xml, const char *file, int line)
{
	char *msg = xml_safe(why, xml, false);

	_assert_true(0, msg, file, line);
	free(msg); /* not reached: _assert_true(0, ...) longjmps */
}

struct check_case {
	const struct spec *spec;
	const struct check_expect *ce;
	const struct results *res;
	const struct results_step *rs;
	bool *tail_shown;        /* the console tail is shown once a step */
	bool xml;
	const char *unexpected;  /* run_no_fault's: the fault */
	int line;                /* run_no_fault's: the step's line */
};

static void run_case(void **state)
{
	struct check_case *c = *state;
	struct sb why;
	char *msg;

	if (c->ce->held == 1)
		return;
	sb_init(&why);
	sb_addf(&why, "step %s: %s", c->rs->id, c->ce->why);
	if (c->res->tail && c->rs->status != STATUS_RAN && !*c->tail_shown) {
		sb_addf(&why, "\n  last console lines:\n%s", c->res->tail);
		*c->tail_shown = true;
	}
	msg = sb_detach(&why, NULL);
	fail_with(msg, c->xml, c->spec->file, c->ce->e->pos.line);
	free(msg); /* not reached */
}

static char *case_name(const struct spec_step *st, const struct spec_expect *e,
		       bool xml)
{
	static const char *const kinds[] = {
		[SPEC_EXPECT_MATCH] = "match", [SPEC_EXPECT_ABSENT] = "absent",
		[SPEC_EXPECT_ORDERED] = "ordered",
	};
	char *name, *safe;

	if (e->kind == SPEC_EXPECT_EXIT)
		name = xasprintf("%s exit %d", st->id, e->exit_status);
	else if (e->kind == SPEC_EXPECT_TIMEOUT)
		name = xasprintf("%s timeout", st->id);
	else
		name = xasprintf("%s %s '%s'%s", st->id,
				 e->kind == SPEC_EXPECT_FAULT ?
				 results_fault_name(e->fault) : kinds[e->kind],
				 e->patterns[0], e->npatterns > 1 ? " ..." : "");
	safe = xml_safe(name, xml, true);
	free(name);
	return safe;
}

static char *group_name(const struct spec *spec, const struct spec_step *st,
			bool xml)
{
	char *name = xasprintf("%s.%s", spec->lab_id, st->id);
	char *safe = xml_safe(name, xml, true);

	free(name);
	return safe;
}

/* The case every step has when its guest had a fault: the step expected
 * it (then its own expectation says so), or it fails here. */
static void run_no_fault(void **state)
{
	const struct check_case *c = *state;
	char *msg;

	if (!c->unexpected)
		return;
	msg = xasprintf("step %s: %s", c->rs->id, c->unexpected);
	fail_with(msg, c->xml, c->spec->file, c->line);
	free(msg); /* not reached */
}

static int run_cases(const struct spec *spec, const struct results *res,
		     const struct spec_step *st,
		     const struct check_judgement *j, const struct check_out *x)
{
	size_t n = j->nexpect + (j->unexpected != NULL);
	struct CMUnitTest *tests = xcalloc(n, sizeof(*tests));
	struct check_case *cases = xcalloc(n, sizeof(*cases));
	bool tail_shown = x->student;   /* the console is the teacher's */
	char *group = group_name(spec, st, x->xml);
	int failed;

	for (size_t i = 0; i < j->nexpect; i++) {
		cases[i] = (struct check_case){ spec, &j->expect[i], res, j->rs,
						&tail_shown, x->xml, NULL, 0 };
		tests[i].name = case_name(st, &st->expect[i], x->xml);
		tests[i].test_func = run_case;
		tests[i].initial_state = &cases[i];
	}
	if (j->unexpected) {
		char *name = xasprintf("%s no unexpected fault", st->id);

		cases[n - 1] = (struct check_case){ spec, NULL, res, j->rs,
			&tail_shown, x->xml, j->unexpected, st->pos.line };
		tests[n - 1].name = xml_safe(name, x->xml, true);
		tests[n - 1].test_func = run_no_fault;
		tests[n - 1].initial_state = &cases[n - 1];
		free(name);
	}
	failed = _cmocka_run_group_tests(group, tests, n, NULL, NULL);
	for (size_t i = 0; i < n; i++)
		free((char *)tests[i].name);
	free(tests);
	free(cases);
	free(group);
	return failed ? EXIT_CHECK_FAILED : EXIT_OK;
}

/* A verdict no expectation gives: skipped, failed with `why`, or passed. */
struct check_verdict {
	const char *file;
	int line;
	const char *why;         /* NULL: passed, or skipped */
	bool skip;
	bool xml;
};

static void run_verdict(void **state)
{
	const struct check_verdict *v = *state;

	if (v->skip)
		skip();
	else if (v->why)
		fail_with(v->why, v->xml, v->file, v->line);
}

/*
 * In text, the line it always was (through cmocka's print_message(), as
 * all of the verdict); in TAP and JUnit a case of its own
 * ("3.3 skipped: <reason>", "3.3 result"), so no step is ever missing
 * from a report.  Returns `rc`.
 */
static int verdict(const struct spec *spec, const struct spec_step *st,
		   const struct check_out *x, int rc, const char *why)
{
	struct check_verdict v = { spec->file, st->pos.line, NULL,
				   rc == EXIT_SKIP, x->xml };
	struct CMUnitTest test = { .test_func = run_verdict, .initial_state = &v };
	char *msg = xasprintf("step %s%s%s", st->id, v.skip ? " " : ": ", why);
	char *name, *group;

	if (!x->cases) {
		print_message("%s\n", msg);
		free(msg);
		return rc;
	}
	name = v.skip ? xasprintf("%s %s", st->id, why) :
			xasprintf("%s result", st->id);
	test.name = xml_safe(name, x->xml, true);
	if (rc != EXIT_OK && !v.skip)
		v.why = msg;
	group = group_name(spec, st, x->xml);
	_cmocka_run_group_tests(group, &test, 1, NULL, NULL);
	free(group);
	free((char *)test.name);
	free(name);
	free(msg);
	return rc;
}

/* The words of a verdict the expectations did not decide. */
static char *basis_text(const struct check_judgement *j)
{
	const char *reason = j->rs && j->rs->reason ? j->rs->reason :
			     "no reason given";

	switch (j->basis) {
	case BASIS_NO_RESULTS:
		return xstrdup("no results: run the exercise first");
	case BASIS_NOT_RECORDED:
		return xstrdup("no result: the run did not record it");
	case BASIS_SKIPPED:
		return xasprintf("skipped: %s", reason);
	case BASIS_NOT_RUN:
		return xasprintf("not run: %s", reason);
	case BASIS_NOTHING:
		return xasprintf("unchecked: %s", j->why_unchecked ?
				 j->why_unchecked : "no expectations");
	case BASIS_EXPECTATIONS:
	case BASIS_UNFINISHED:
		break;
	}
	return NULL;
}

/*
 * The step's points, when it has them: all of them when it passed, none
 * otherwise.  TAP gets a diagnostic line after the step's cases, "#
 * points 2/2"; text a line of its own, "step 3.3: points 2/2", which is
 * what ctest's --output-junit can carry (the test's output, in
 * <system-out>); JUnit properties of the testsuite (junit_points()).
 */
static void print_points(const struct spec_step *st, int got,
			 const struct check_out *x)
{
	if (st->points < 0 || x->xml)
		return;
	if (x->tap)
		print_message("# points %d/%d\n", got, st->points);
	else
		print_message("step %s: points %d/%d\n", st->id, got, st->points);
}

/*
 * As a student sees it: a step whose results are not `visible` yet says
 * only that (a skip: neither passed nor failed); one that failed and has
 * a `feedback` says the feedback in place of the judge's explanation,
 * with the fault it did not expect and its source line.  Returns -1
 * when the verdict is as anyone sees it.
 */
static int student_verdict(const struct spec *spec, const struct spec_step *st,
			   const struct check_judgement *j,
			   const struct check_out *x)
{
	const struct results_fault *f = j->rs ? &j->rs->fault : NULL;
	char *why;
	int rc;

	if (!x->student)
		return -1;
	if (st->visibility != VISIBILITY_VISIBLE) {
		why = xasprintf("its result is not shown to students yet (visibility: %s)",
				spec_visibility_name(st->visibility));
		rc = verdict(spec, st, x, EXIT_SKIP, why);
		free(why);
		return rc;
	}
	if (j->verdict != VERDICT_FAILED || !st->feedback.n)
		return -1;
	if (j->unexpected && f && f->kind != FAULT_NONE)
		why = xasprintf("%s\n  unexpected %s: '%s'%s%s%s",
				spec_text_get(&st->feedback, "en"),
				results_fault_name(f->kind), f->line ? f->line : "",
				f->where ? " (" : "", f->where ? f->where : "",
				f->where ? ")" : "");
	else
		why = xstrdup(spec_text_get(&st->feedback, "en"));
	rc = verdict(spec, st, x, EXIT_CHECK_FAILED, why);
	free(why);
	return rc;
}

/* The verdict on the step; `*got` its points earned (0 when it did not
 * pass, or has none). */
static int step_verdict(const struct spec *spec, const struct results *res,
			const char *step_id, const struct check_out *x,
			int *got)
{
	const struct spec_step *st = spec_step(spec, step_id, NULL);
	struct check_judgement j;
	struct expand_vars vars;
	char *why;
	int rc;

	if (!st)
		return error("no step '%s' in '%s'", step_id, spec->file), EXIT_USAGE;
	expand_vars_init(&vars);
	if (res)
		check_vars(spec, res, &vars);
	check_judge(st, res, &vars, &j);
	why = basis_text(&j);
	/* an unexpected fault is a case of its own, even in a step with no
	 * expectations: its message quotes the fault and its source line */
	if ((rc = student_verdict(spec, st, &j, x)) >= 0) {
		if (st->visibility != VISIBILITY_VISIBLE) {
			*got = 0;
			goto out;
		}
	} else if (j.basis == BASIS_EXPECTATIONS || j.basis == BASIS_UNFINISHED ||
	    j.unexpected)
		rc = run_cases(spec, res, st, &j, x);
	else
		rc = verdict(spec, st, x, j.verdict == VERDICT_PASSED ? EXIT_OK :
			     j.verdict == VERDICT_SKIPPED ||
			     /* after a panic or a hang a step expected */
			     (j.verdict == VERDICT_NOT_RUN && res && res->expected) ?
			     EXIT_SKIP : EXIT_CHECK_FAILED, why);
	*got = j.verdict == VERDICT_PASSED && st->points > 0 ? st->points : 0;
	print_points(st, *got, x);
out:
	free(why);
	check_judgement_free(&j);
	expand_vars_free(&vars);
	return rc;
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

/*
 * stdout into a temporary file until verdict_file_close(): next to
 * `path`; or, for stdout (NULL, "-") when `capture` asks for it, in
 * $TMPDIR, to be copied to stdout at the end.
 */
static int verdict_file_open(struct verdict_file *r, const char *path,
			     bool capture)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	memset(r, 0, sizeof(*r));
	r->saved = -1;
	if (path && strcmp(path, "-"))
		r->path = path;
	else if (!capture)
		return 0;
	r->tmp = r->path ? xasprintf("%s.tmp.XXXXXX", path) :
		 xasprintf("%s/labkit-verdict.XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(r->tmp);
	if (fd < 0) {
		error("cannot create '%s': %m", r->path ? r->path : r->tmp);
		free(r->tmp);
		r->tmp = NULL;
		return -1;
	}
	fflush(stdout);
	r->saved = dup(STDOUT_FILENO);
	if (r->saved < 0 || fchmod(fd, 0644) < 0 ||
	    dup2(fd, STDOUT_FILENO) < 0) {
		error("cannot write '%s': %m", r->path ? r->path : r->tmp);
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

/* The step's points, for JUnit: what it earned of what it is worth. */
struct verdict_points {
	int got, max;
};

/*
 * cmocka writes its XML whole, with no room for more: the step's points
 * go in as properties of its <testsuite> (the JUnit schema's
 * <properties>, before the test cases), "points" earned and "max_points".
 * The start tag's attributes are escaped (xml_safe()), so its first '>'
 * ends it.
 */
static int junit_points(const char *path, const struct verdict_points *p)
{
	char *xml, *at, *out;
	size_t len;
	int rc = 0;

	if (fs_read_file(path, &xml, &len) < 0)
		return error("cannot read '%s': %m", path);
	at = strstr(xml, "<testsuite ");
	at = at ? strchr(at, '>') : NULL;
	if (at) {
		out = xasprintf("%.*s\n    <properties>\n"
				"      <property name=\"points\" value=\"%d\"/>\n"
				"      <property name=\"max_points\" value=\"%d\"/>\n"
				"    </properties>%s", (int)(at + 1 - xml), xml,
				p->got, p->max, at + 1);
		if (fs_write_atomic(path, out, strlen(out)) < 0)
			rc = error("cannot write '%s': %m", path);
		free(out);
	}
	free(xml);
	return rc;
}

/* A captured verdict to the caller's stdout. */
static int copy_to_stdout(const char *tmp)
{
	char *text;
	size_t len;
	int rc = 0;

	if (fs_read_file(tmp, &text, &len) < 0)
		return error("cannot read '%s': %m", tmp);
	if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
		rc = error("cannot write stdout: %m");
	free(text);
	return rc;
}

/* The caller's stdout back; the verdict (with `points`, when JUnit has
 * them to carry) renamed into place or copied to stdout; the file removed
 * when `keep` is false (no verdict was written: a bad step id, say). */
static int verdict_file_close(struct verdict_file *r, bool keep,
			      const struct verdict_points *points)
{
	int rc = keep ? 0 : -1;

	if (fflush(stdout) != 0 || (r->tmp && fsync(STDOUT_FILENO) < 0))
		rc = error("cannot write '%s': %m", r->path ? r->path : "stdout");
	if (!r->tmp)
		return rc;
	if (dup2(r->saved, STDOUT_FILENO) < 0)
		rc = error("cannot restore stdout: %m");
	close(r->saved);
	if (rc == 0 && points)
		rc = junit_points(r->tmp, points);
	if (rc == 0 && !r->path)
		rc = copy_to_stdout(r->tmp);
	else if (rc == 0 && rename(r->tmp, r->path) < 0)
		rc = error("cannot rename '%s' to '%s': %m", r->tmp, r->path);
	if (rc < 0 || !r->path)
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

int check_step_report(const struct spec *spec, const struct results *res,
		      const char *step_id, enum check_format fmt,
		      const char *out_path, bool as_student)
{
	static const char *const cmocka_output[] = { NULL, "TAP", "XML" };
	const char *env = getenv("CMOCKA_MESSAGE_OUTPUT");
	const struct spec_step *st = spec_step(spec, step_id, NULL);
	struct check_out x = {
		.xml = fmt == CHECK_FORMAT_JUNIT ||
		       (fmt == CHECK_FORMAT_TEXT && env && !strcasecmp(env, "XML")),
		.tap = fmt == CHECK_FORMAT_TAP ||
		       (fmt == CHECK_FORMAT_TEXT && env && !strcasecmp(env, "TAP")),
		.cases = fmt != CHECK_FORMAT_TEXT,
		.student = as_student,
	};
	/* JUnit carries the points only by rewriting cmocka's XML */
	bool points = fmt == CHECK_FORMAT_JUNIT && st && st->points >= 0 &&
		      !(as_student && st->visibility != VISIBILITY_VISIBLE);
	struct verdict_points p = { 0, st ? st->points : 0 };
	char *saved_output = NULL, *saved_file = NULL;
	struct verdict_file r;
	int rc;

	if (verdict_file_open(&r, out_path, points) < 0)
		return EXIT_USAGE;
	if (fmt != CHECK_FORMAT_TEXT) {
		/* cmocka reads these at every print; the XML goes to stdout */
		saved_output = swap_env("CMOCKA_MESSAGE_OUTPUT", cmocka_output[fmt]);
		saved_file = swap_env("CMOCKA_XML_FILE", NULL);
	}
	rc = step_verdict(spec, res, step_id, &x, &p.got);
	if (fmt != CHECK_FORMAT_TEXT) {
		restore_env("CMOCKA_MESSAGE_OUTPUT", saved_output);
		restore_env("CMOCKA_XML_FILE", saved_file);
	}
	if (verdict_file_close(&r, rc != EXIT_USAGE && rc != EXIT_INTERNAL,
			       points ? &p : NULL) < 0 &&
	    rc != EXIT_USAGE)
		rc = EXIT_INTERNAL;
	return rc;
}
