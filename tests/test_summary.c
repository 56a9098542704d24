/*
 * test_summary.c — the class table of a grading (tools/lib/grade/) from
 * the golden grading in tests/data/grade/: class/grade.yaml and six
 * students' results.yaml written by hand in the form `labkit run` writes
 * (all passed; a wrong output line; a module that did not build; a panic,
 * graded unsandboxed; an Oops decoded to its line; a guest that did not
 * boot, not graded), judged by labs.yaml (points) and
 * labs-nopoints.yaml, and summary.csv checked byte for byte against
 * summary.csv and summary-nopoints.csv.  No guest runs: a changed spec
 * re-grades the saved results.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "events.h"
#include "report.h"
#include "spec.h"
#include "summary.h"
#include "util.h"
#include "testfiles.h"

static const char *const students[] = { "alice", "bob", "carol", "dave",
					"eve", "fred" };
#define NSTUDENTS (sizeof(students) / sizeof(students[0]))

struct fixture {
	char *tmp;               /* scratch: gradings, specs */
	struct spec *spec;       /* labs.yaml */
	struct sb err;           /* the messages, as labkit prints them */
};

static char *data(const char *rel)
{
	return xasprintf("%s/grade/%s", getenv("LABKIT_TEST_DATA"), rel);
}

/* A file of the golden data, copied to `to`. */
static void copy_data(const char *rel, const char *to)
{
	char *from = data(rel);
	char *text = slurp(from);

	assert_non_null(text);
	spit(to, text);
	free(text);
	free(from);
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static void collect(void *ctx, const struct event_msg *m)
{
	struct sb *err = ctx;

	events_format(m, err);
	sb_addc(err, '\n');
}

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	char tmpl[] = "/tmp/labkit-summary-XXXXXX";
	struct events ev = { collect, NULL, &f->err };
	char *spec = data("labs.yaml");

	assert_non_null(mkdtemp(tmpl));
	f->tmp = xstrdup(tmpl);
	sb_init(&f->err);
	events_set(&ev);
	f->spec = spec_load(spec);
	assert_non_null(f->spec);
	free(spec);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	events_set(NULL);
	fs_remove_tree(f->tmp);
	spec_free(f->spec);
	sb_release(&f->err);
	free(f->tmp);
	free(f);
	return 0;
}

/* <tmp>/<name>: a grading of the golden students `who` (indices into
 * students[], in the order given, which is the order they are made),
 * with grade.yaml `grade` (NULL: the golden one).  Returns its path. */
static char *grading(struct fixture *f, const char *name, const int *who,
		     size_t n, const char *grade)
{
	char *dir = xasprintf("%s/%s", f->tmp, name);
	char *path = xasprintf("%s/grade.yaml", dir);

	if (grade)
		spit(path, grade);
	else
		copy_data("class/grade.yaml", path);
	free(path);
	for (size_t i = 0; i < n; i++) {
		char *rel = xasprintf("class/students/%s/1/results.yaml",
				      students[who[i]]);
		char *to = xasprintf("%s/students/%s/1/results.yaml", dir,
				     students[who[i]]);

		copy_data(rel, to);
		free(rel);
		free(to);
	}
	return dir;
}

static char *whole_class(struct fixture *f, const char *name)
{
	static const int all[] = { 0, 1, 2, 3, 4, 5 };

	return grading(f, name, all, NSTUDENTS, NULL);
}

/* <dir>/<file>, read; NULL when there is none. */
static char *read_in(const char *dir, const char *file)
{
	char *path = xasprintf("%s/%s", dir, file);
	char *text = slurp(path);

	free(path);
	return text;
}

static void assert_golden(const char *dir, const char *golden)
{
	char *path = data(golden);
	char *want = slurp(path);
	char *got = read_in(dir, "summary.csv");

	assert_non_null(want);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(want);
	free(got);
	free(path);
}

/* The row of `student` in summary.csv `csv`, without its CRLF. */
static char *csv_row(const char *csv, const char *student)
{
	char *key = xasprintf("\r\n%s,", student);
	const char *at = strstr(csv, key);
	char *row;

	assert_non_null(at);
	at += 2;
	row = xstrndup(at, strcspn(at, "\r"));
	free(key);
	return row;
}

/* ---- the golden class ---- */

static void test_golden_points(void **state)
{
	struct fixture *f = *state;
	char *dir = whole_class(f, "class");

	/* fred did not boot: the grader's failure */
	assert_int_equal(summary_write(f->spec, dir), EXIT_NOT_GRADED);
	assert_golden(dir, "summary.csv");
	free(dir);
}

static void test_golden_no_points(void **state)
{
	struct fixture *f = *state;
	char *path = data("labs-nopoints.yaml");
	struct spec *spec = spec_load(path);
	char *dir = whole_class(f, "class");

	assert_non_null(spec);
	assert_int_equal(summary_write(spec, dir), EXIT_NOT_GRADED);
	assert_golden(dir, "summary-nopoints.csv");
	spec_free(spec);
	free(path);
	free(dir);
}

/* Made in another order, in another directory: the same bytes. */
static void test_sorted_and_reproducible(void **state)
{
	struct fixture *f = *state;
	static const int order[] = { 3, 5, 1, 0, 4, 2 };
	char *a = whole_class(f, "a");
	char *b = grading(f, "elsewhere/b", order, NSTUDENTS, NULL);
	char *csv_a, *csv_b, *html_a, *html_b;

	assert_int_equal(summary_write(f->spec, a), EXIT_NOT_GRADED);
	assert_int_equal(summary_write(f->spec, b), EXIT_NOT_GRADED);
	assert_golden(b, "summary.csv");
	csv_a = read_in(a, "summary.csv");
	csv_b = read_in(b, "summary.csv");
	html_a = read_in(a, "summary.html");
	html_b = read_in(b, "summary.html");
	assert_string_equal(csv_a, csv_b);
	assert_string_equal(html_a, html_b);
	assert_null(strstr(html_a, f->tmp));
	free(csv_a);
	free(csv_b);
	free(html_a);
	free(html_b);
	free(a);
	free(b);
}

/* Bytewise: upper case before lower, '-' before '.' before '_'; names
 * starting with '.' and plain files are no students. */
static void test_bytewise_order(void **state)
{
	struct fixture *f = *state;
	static const char *const made[] = { "a_b", "b", "Zed", "a.b", "a-b" };
	static const char *const want[] = { "Zed", "a-b", "a.b", "a_b", "b" };
	char *dir = grading(f, "order", NULL, 0, NULL);
	char *csv, *hidden, *file;
	const char *p;

	for (size_t i = 0; i < 5; i++) {
		char *s = xasprintf("%s/students/%s", dir, made[i]);

		assert_int_equal(fs_mkdirs(s, 0755), 0);
		free(s);
	}
	hidden = xasprintf("%s/students/.tmp", dir);
	file = xasprintf("%s/students/notes.txt", dir);
	assert_int_equal(fs_mkdirs(hidden, 0755), 0);
	spit(file, "not a student\n");
	assert_int_equal(summary_write(f->spec, dir), EXIT_NOT_GRADED);
	csv = read_in(dir, "summary.csv");
	p = strstr(csv, "\r\n") + 2;
	for (size_t i = 0; i < 5; i++) {
		char *row = csv_row(csv, want[i]);

		assert_ptr_equal(strstr(p, want[i]), p);
		/* no results: not graded (the grader made none), no score */
		assert_true(strstr(row, ",,,not graded,0,0,3,0,not run,not run,not run,,"));
		assert_non_null(strstr(row, "not graded: no results"));
		p += strcspn(p, "\n") + 1;
		free(row);
	}
	assert_string_equal(p, "");
	free(hidden);
	free(file);
	free(csv);
	free(dir);
}

/* ---- the CSV ---- */

static void field(const char *in, const char *want)
{
	struct sb sb;

	sb_init(&sb);
	summary_csv_field(&sb, in);
	assert_string_equal(sb.buf, want);
	sb_release(&sb);
}

static void test_csv_quoting(void **state)
{
	struct fixture *f = *state;
	char *dir = whole_class(f, "class"), *csv, *row;
	size_t lines = 0;

	field("plain 'text'", "plain 'text'");
	field("a,b", "\"a,b\"");
	field("say \"hi\"", "\"say \"\"hi\"\"\"");
	field("two\nlines", "\"two\nlines\"");
	field("cr\r", "\"cr\r\"");
	field("", "");
	/* a reason with a comma and quotes, the first of several lines */
	assert_int_equal(summary_write(f->spec, dir), EXIT_NOT_GRADED);
	csv = read_in(dir, "summary.csv");
	row = csv_row(csv, "carol");
	assert_string_equal(row, "carol,0,6,graded,0,0,3,0,not run,not run,not run,"
			    "bubblewrap,\"1.1: module 'hello' did not build: "
			    "hello.c:7:5: error: expected ',' or ';' before "
			    "\"\"return\"\"\"");
	for (const char *p = csv; (p = strstr(p, "\r\n")); p += 2)
		lines++;
	assert_int_equal(lines, 1 + NSTUDENTS);
	for (const char *p = csv; *p; p++)   /* every \n ends a record */
		if (*p == '\n')
			assert_true(p > csv && p[-1] == '\r');
	free(row);
	free(csv);
	free(dir);
}

/* `from` replaced by `to` in file `path`. */
static void replace_in(const char *path, const char *from, const char *to)
{
	char *text = slurp(path), *at, *changed;

	assert_non_null(text);
	at = strstr(text, from);
	assert_non_null(at);
	changed = xasprintf("%.*s%s%s", (int)(at - text), text, to,
			    at + strlen(from));
	spit(path, changed);
	free(changed);
	free(text);
}

/* A reason's control characters (a compiler's colors) are shown as \xNN,
 * never written. */
static void test_csv_controls(void **state)
{
	struct fixture *f = *state;
	static const int carol[] = { 2 };
	char *dir = grading(f, "ctl", carol, 1, NULL), *path, *csv, *row;

	path = xasprintf("%s/students/carol/1/results.yaml", dir);
	replace_in(path, "reason: \"module 'hello'",
		   "reason: \"\\e[01;31mmodule 'hello'");
	assert_int_equal(summary_write(f->spec, dir), EXIT_OK);
	csv = read_in(dir, "summary.csv");
	row = csv_row(csv, "carol");
	assert_null(strchr(row, '\033'));
	assert_non_null(strstr(row, ",\"1.1: \\x1b[01;31mmodule 'hello'"));
	free(row);
	free(csv);
	free(path);
	free(dir);
}

/* ---- judging ---- */

/* labs.yaml with `from` replaced by `to`. */
static struct spec *spec_with(struct fixture *f, const char *from,
			      const char *to)
{
	char *out = xasprintf("%s/changed.yaml", f->tmp);
	struct spec *spec;

	copy_data("labs.yaml", out);
	replace_in(out, from, to);
	spec = spec_load(out);
	assert_non_null(spec);
	free(out);
	return spec;
}

/* Another pattern re-grades the saved results: bob passes, alice fails. */
static void test_changed_spec(void **state)
{
	struct fixture *f = *state;
	struct spec *spec = spec_with(f, "'^Hello, world$'", "'^Hello, World!$'");
	char *dir = whole_class(f, "class"), *csv, *row;

	assert_int_equal(summary_write(spec, dir), EXIT_NOT_GRADED);
	csv = read_in(dir, "summary.csv");
	row = csv_row(csv, "bob");
	assert_string_equal(row, "bob,6,6,graded,3,0,0,0,passed,passed,passed,bubblewrap,");
	free(row);
	row = csv_row(csv, "alice");
	assert_string_equal(row, "alice,3,6,graded,2,1,0,0,passed,failed,passed,"
			    "bubblewrap,\"1.2: pattern '^Hello, World!$' not found\"");
	free(row);
	free(csv);
	spec_free(spec);
	free(dir);
}

/* Only the graded exercises are columns; a grading of both has 2.1.
 * Exercise 2 has no results: the grader made none, so alice is not
 * graded (no score), her steps of 1 judged all the same. */
static void test_graded_exercises(void **state)
{
	struct fixture *f = *state;
	static const int alice[] = { 0 };
	char *dir = grading(f, "both", alice, 1,
			    "labkit-grade: 1\nlab: hello\nexercises: [\"1\", \"2\"]\n");
	char *csv;

	assert_int_equal(summary_write(f->spec, dir), EXIT_NOT_GRADED);
	csv = read_in(dir, "summary.csv");
	assert_ptr_equal(strstr(csv, "student,score,max,grading,passed,failed,not_run,"
				"skipped,1.1,1.2,1.3,2.1,sandbox,reason\r\n"), csv);
	assert_non_null(strstr(csv, "\r\nalice,,,not graded,3,0,1,0,passed,passed,"
			       "passed,not run,bubblewrap,not graded: no results"));
	free(csv);
	free(dir);
}

/* ---- bad input ---- */

static void test_malformed_results(void **state)
{
	struct fixture *f = *state;
	char *dir = whole_class(f, "class");
	char *path = xasprintf("%s/students/bob/1/results.yaml", dir);
	char *want = xasprintf("%s:4:1: error: ", path);

	spit(path, "labkit-results: 1\nlab: hello\nsteps: [\n- id: 1.1\n");
	assert_int_equal(summary_write(f->spec, dir), EXIT_USAGE);
	assert_non_null(strstr(f->err.buf, want));
	assert_false(read_in(dir, "summary.csv") != NULL);
	assert_false(read_in(dir, "summary.html") != NULL);
	free(want);
	free(path);
	free(dir);
}

static void test_bad_grade_yaml(void **state)
{
	struct fixture *f = *state;
	char *dir = grading(f, "other", NULL, 0,
			    "labkit-grade: 1\nlab: lab9\nexercises: [\"1\"]\n");
	char *want = xasprintf("%s/grade.yaml:2:6: error: a grading of lab "
			       "'lab9'", dir);

	assert_int_equal(summary_write(f->spec, dir), EXIT_USAGE);
	assert_non_null(strstr(f->err.buf, want));
	free(want);
	free(dir);
	dir = grading(f, "noex", NULL, 0,
		      "labkit-grade: 1\nlab: hello\nexercises: [\"1\", \"7\"]\n");
	want = xasprintf("%s/grade.yaml:3:18: error: no exercise '7'", dir);
	assert_int_equal(summary_write(f->spec, dir), EXIT_USAGE);
	assert_non_null(strstr(f->err.buf, want));
	assert_null(read_in(dir, "summary.csv"));
	free(want);
	free(dir);
}

/* ---- merging shards ---- */

static void test_merge_equals_unsharded(void **state)
{
	struct fixture *f = *state;
	static const int one[] = { 2, 0, 5 }, two[] = { 3, 1, 4 };
	char *whole = whole_class(f, "whole");
	char *a = grading(f, "a", one, 3, NULL), *b = grading(f, "b", two, 3, NULL);
	const char *shards[] = { b, a };
	char *out = xasprintf("%s/merged", f->tmp);
	char *grade, *golden_grade = data("class/grade.yaml");
	char *m, *w;

	assert_int_equal(summary_write(f->spec, whole), EXIT_NOT_GRADED);
	assert_int_equal(summary_merge(out, shards, 2, f->spec), EXIT_NOT_GRADED);
	assert_golden(out, "summary.csv");
	m = read_in(out, "summary.html");
	w = read_in(whole, "summary.html");
	assert_string_equal(m, w);
	free(m);
	free(w);
	grade = read_in(out, "grade.yaml");
	m = slurp(golden_grade);
	assert_string_equal(grade, m);
	free(m);
	free(grade);
	m = xasprintf("%s/students/dave/1/results.yaml", out);
	assert_true(exists(m));
	free(m);
	/* merged again from one shard: the others are gone */
	assert_int_equal(summary_merge(out, shards + 1, 1, f->spec), EXIT_NOT_GRADED);
	m = read_in(out, "summary.csv");
	assert_non_null(strstr(m, "\r\nalice,"));
	assert_null(strstr(m, "\r\nbob,"));
	free(m);
	m = xasprintf("%s/students/bob", out);
	assert_false(exists(m));
	free(m);
	free(golden_grade);
	free(out);
	free(a);
	free(b);
	free(whole);
}

static void test_merge_refuses_student_twice(void **state)
{
	struct fixture *f = *state;
	static const int one[] = { 0, 1 }, two[] = { 1, 3 };
	char *a = grading(f, "a", one, 2, NULL), *b = grading(f, "b", two, 2, NULL);
	const char *shards[] = { a, b };
	char *out = xasprintf("%s/merged", f->tmp);
	char *want = xasprintf("student 'bob' is in two gradings: '%s' and '%s'",
			       a, b);

	assert_int_equal(summary_merge(out, shards, 2, f->spec), EXIT_USAGE);
	assert_non_null(strstr(f->err.buf, want));
	assert_false(exists(out));
	free(want);
	free(out);
	free(a);
	free(b);
}

static void test_merge_refuses_other_exercises(void **state)
{
	struct fixture *f = *state;
	static const int one[] = { 0 }, two[] = { 1 };
	char *a = grading(f, "a", one, 1, NULL);
	char *b = grading(f, "b", two, 1,
			  "labkit-grade: 1\nlab: hello\nexercises: [\"1\", \"2\"]\n");
	const char *shards[] = { a, b };
	char *out = xasprintf("%s/merged", f->tmp);

	assert_int_equal(summary_merge(out, shards, 2, f->spec), EXIT_USAGE);
	assert_non_null(strstr(f->err.buf, "not shards of one grading"));
	assert_false(exists(out));
	free(out);
	free(a);
	free(b);
}

/* ---- the page ---- */

/* Every link of summary.html into a report names an anchor the report
 * (written by report_write(), as the driver writes it) has. */
static void test_html_links_to_anchors(void **state)
{
	struct fixture *f = *state;
	char *dir = whole_class(f, "class"), *html;
	const char *p;
	size_t links = 0;

	for (size_t i = 0; i < NSTUDENTS; i++) {
		char *sdir = xasprintf("%s/students/%s", dir, students[i]);
		struct report_opts o = { sdir, NULL, "en", false };

		assert_in_range(report_write(f->spec, &o, NULL), EXIT_OK,
				EXIT_CHECK_FAILED);
		free(sdir);
	}
	assert_int_equal(summary_write(f->spec, dir), EXIT_NOT_GRADED);
	html = read_in(dir, "summary.html");
	for (p = html; (p = strstr(p, "href=\"students/")); p++) {
		const char *start = p + 6, *hash, *end = strchr(start, '"');
		char *file, *anchor, *report;

		hash = memchr(start, '#', (size_t)(end - start));
		if (!hash)
			continue;
		file = xasprintf("%s/%.*s", dir, (int)(hash - start), start);
		anchor = xasprintf("id=\"%.*s\"", (int)(end - hash - 1), hash + 1);
		report = slurp(file);
		assert_non_null(report);
		assert_non_null(strstr(report, anchor));
		links++;
		free(report);
		free(anchor);
		free(file);
	}
	assert_int_equal(links, 5);   /* bob's 1.2, dave's 1.2, eve's three */
	assert_non_null(strstr(html, "href=\"students/bob/report.html#step-1.2\""));
	free(html);
	free(dir);
}

static void test_html_content(void **state)
{
	struct fixture *f = *state;
	char *dir = whole_class(f, "class"), *html;

	assert_int_equal(summary_write(f->spec, dir), EXIT_NOT_GRADED);
	html = read_in(dir, "summary.html");
	assert_non_null(strstr(html, "<html lang=\"en\">"));
	assert_null(strstr(html, "<script"));
	assert_non_null(strstr(html, "<td class=\"not-run\" title=\"module "));
	assert_non_null(strstr(html, "<td>3/6</td>"));          /* bob */
	assert_non_null(strstr(html, "<td>3/6</td><td>1/6</td><td>2/6</td>"));
	assert_non_null(strstr(html, "1 of 6 students was graded unsandboxed"
			       "</strong>: bubblewrap is not installed (dave)."));
	/* escaped: the question's <you>, the reason's quotes */
	assert_non_null(strstr(html, "greet &lt;you&gt;?"));
	assert_null(strstr(html, "<you>"));
	assert_non_null(strstr(html, "before &quot;return&quot;"));
	assert_non_null(strstr(html, "Moduł hello"));
	free(html);
	free(dir);
}

/* ---- not graded ---- */

/* A student the grader failed is "not graded", never scored 0: a guest
 * that did not boot, the grader's own note (a sandbox that could not be
 * set up), no results at all.  The student whose module did not build
 * (carol) is graded: that is the student's. */
static void test_not_graded(void **state)
{
	struct fixture *f = *state;
	static const int some[] = { 0, 2 };
	char *dir = grading(f, "ungraded", some, 2, NULL);
	char *boot = xasprintf("%s/students/erin/1/results.yaml", dir);
	char *note = xasprintf("%s/students/frank/1/results.yaml", dir);
	char *none = xasprintf("%s/students/gus", dir);
	char *csv, *row, *html;

	spit(boot, "labkit-results: 1\nlab: hello\nexercise: 1\n"
	     "outcome: boot-fail\ndetail: 'boot: timeout'\nduration: 60.0\n"
	     "steps:\n- id: 1.1\n  status: not-run\n  reason: boot\n");
	spit(note, "labkit-results: 1\nlab: hello\nexercise: 1\n"
	     "outcome: fail\nduration: 0.0\nfacts:\n"
	     "  grade.not_graded: 'the sandbox could not be set up: no user namespaces'\n"
	     "steps:\n- id: 1.1\n  status: not-run\n  reason: sandbox\n");
	assert_int_equal(fs_mkdirs(none, 0755), 0);
	assert_int_equal(summary_write(f->spec, dir), EXIT_NOT_GRADED);
	csv = read_in(dir, "summary.csv");
	row = csv_row(csv, "erin");
	assert_non_null(strstr(row, "erin,,,not graded,"));
	assert_non_null(strstr(row, ",not graded: the guest did not boot: boot: timeout"));
	free(row);
	row = csv_row(csv, "frank");
	assert_non_null(strstr(row, "frank,,,not graded,"));
	assert_non_null(strstr(row, "not graded: the sandbox could not be set up"));
	free(row);
	row = csv_row(csv, "gus");
	assert_non_null(strstr(row, "gus,,,not graded,"));
	free(row);
	row = csv_row(csv, "carol");
	assert_non_null(strstr(row, "carol,0,6,graded,"));
	free(row);
	html = read_in(dir, "summary.html");
	assert_non_null(strstr(html, "<strong>3 of 5 students could not be graded</strong>"));
	assert_non_null(strstr(html, "<td class=\"not-graded\">not graded</td>"));
	assert_true(summary_student_graded(f->spec, dir, "alice"));
	assert_true(summary_student_graded(f->spec, dir, "carol"));
	assert_false(summary_student_graded(f->spec, dir, "erin"));
	assert_false(summary_student_graded(f->spec, dir, "frank"));
	assert_false(summary_student_graded(f->spec, dir, "gus"));
	assert_false(summary_student_graded(f->spec, dir, "nobody"));
	free(html);
	free(csv);
	free(none);
	free(note);
	free(boot);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_golden_points, setup, teardown),
		cmocka_unit_test_setup_teardown(test_golden_no_points, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sorted_and_reproducible, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bytewise_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_quoting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_controls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed_spec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_graded_exercises, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_results, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_grade_yaml, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_equals_unsharded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_refuses_student_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_refuses_other_exercises, setup, teardown),
		cmocka_unit_test_setup_teardown(test_html_links_to_anchors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_html_content, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_graded, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
