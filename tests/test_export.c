/*
 * test_export.c — a grading's results in the platforms' forms
 * (tools/lib/grade/export*.c), from the golden class of
 * tests/data/grade/class/ (passed; a wrong line; a module that did not
 * build; a panic; an Oops decoded to its source line; a guest that did
 * not boot, not graded) judged by tests/data/grade/labs.yaml (a step
 * shown after the due date with its own feedback, a hidden one).  Each
 * format's files, every student's in name order, are checked byte for
 * byte against a golden file per format in tests/data/grade/export/;
 * then what each must show whatever the golden says: not graded as
 * each platform has it, a student's text escaped and trimmed, a roster,
 * a run that is no grading, and refusals that write nothing.  The
 * platforms' documented fields and types are checked by
 * tests/scripts/export-schema.py (export.schema).
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

#include "events.h"
#include "export.h"
#include "spec.h"
#include "util.h"
#include "testfiles.h"

static const char *const students[] = { "alice", "bob", "carol", "dave",
					"eve", "fred" };
#define NSTUDENTS (sizeof(students) / sizeof(students[0]))
#define ALL ((1u << EXPORT_NFORMATS) - 1)

struct fixture {
	char *tmp;
	struct spec *spec;
	struct sb err;           /* the messages, as labkit prints them */
};

static char *data(const char *rel)
{
	return xasprintf("%s/grade/%s", getenv("LABKIT_TEST_DATA"), rel);
}

static void copy_data(const char *rel, const char *to)
{
	char *from = data(rel), *text = slurp(from);

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
	events_format(m, ctx);
	sb_addc(ctx, '\n');
}

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	char tmpl[] = "/tmp/labkit-export-XXXXXX";
	struct events ev = { collect, NULL, &f->err };
	char *spec = data("labs.yaml");

	assert_non_null(mkdtemp(tmpl));
	f->tmp = xstrdup(tmpl);
	sb_init(&f->err);
	sb_adds(&f->err, "");
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

/* <tmp>/<name>: the golden grading, its students made in `order`
 * (indices into students[]). */
static char *grading(struct fixture *f, const char *name, const int *order)
{
	char *dir = xasprintf("%s/%s", f->tmp, name);
	char *path = xasprintf("%s/grade.yaml", dir);

	copy_data("class/grade.yaml", path);
	for (size_t i = 0; i < NSTUDENTS; i++) {
		const char *s = students[order ? order[i] : (int)i];
		char *rel = xasprintf("class/students/%s/1/results.yaml", s);
		char *to = xasprintf("%s/students/%s/1/results.yaml", dir, s);

		copy_data(rel, to);
		free(rel);
		free(to);
	}
	free(path);
	return dir;
}

static struct export_opts opts(unsigned formats, const char *lang)
{
	return (struct export_opts){ .formats = formats, .lang = lang };
}

/* The files of `format` in grading `dir`, each after a line naming it,
 * the students in name order: the golden's form. */
static char *files_of(const char *dir, enum export_format format)
{
	static const char *const names[][2] = {
		[EXPORT_GRADESCOPE] = { "results.json", NULL },
		[EXPORT_PRAIRIELEARN] = { "results.json", NULL },
		[EXPORT_CLASSROOM] = { "runners", "env" },
	};
	struct sb all;

	sb_init(&all);
	for (size_t i = 0; format != EXPORT_MOODLE && i < NSTUDENTS; i++)
		for (size_t n = 0; n < 2 && names[format][n]; n++) {
			char *rel = xasprintf("students/%s/%s/%s", students[i],
					      export_format_name(format),
					      names[format][n]);
			char *path = xasprintf("%s/%s", dir, rel), *text = slurp(path);

			assert_non_null(text);
			sb_addf(&all, "==> %s <==\n%s", rel, text);
			free(text);
			free(path);
			free(rel);
		}
	if (format == EXPORT_MOODLE) {
		char *path = xasprintf("%s/moodle.csv", dir), *text = slurp(path);

		assert_non_null(text);
		sb_adds(&all, text);
		free(text);
		free(path);
	}
	return sb_detach(&all, NULL);
}

/* A student's file of a format, read. */
static char *file_of(const char *dir, const char *student, const char *rel)
{
	char *path = xasprintf("%s/students/%s/%s", dir, student, rel);
	char *text = slurp(path);

	free(path);
	return text;
}

static void assert_golden(const char *dir, enum export_format format)
{
	char *rel = xasprintf("export/%s%s", export_format_name(format),
			      format == EXPORT_MOODLE ? ".csv" : ".txt");
	char *path = data(rel), *want = slurp(path), *got = files_of(dir, format);

	if (getenv("LABKIT_UPDATE_GOLDEN"))      /* to review by git diff */
		spit(path, got);
	assert_non_null(want);
	assert_string_equal(got, want);
	free(got);
	free(want);
	free(path);
	free(rel);
}

/* ---- the golden files ---- */

static void golden(void **state, enum export_format format)
{
	struct fixture *f = *state;
	char *dir = grading(f, "class", NULL);
	struct export_opts o = opts(1u << format, "en");

	assert_int_equal(export_grading(f->spec, dir, &o), EXIT_OK);
	assert_golden(dir, format);
	/* only the format asked for */
	for (int other = 0; other < EXPORT_NFORMATS; other++) {
		char *path = other == EXPORT_MOODLE ?
			     xasprintf("%s/moodle.csv", dir) :
			     xasprintf("%s/students/bob/%s", dir,
				       export_format_name(other));

		assert_int_equal(exists(path), other == (int)format);
		free(path);
	}
	free(dir);
}

static void test_golden_gradescope(void **state) { golden(state, EXPORT_GRADESCOPE); }
static void test_golden_prairielearn(void **state) { golden(state, EXPORT_PRAIRIELEARN); }
static void test_golden_classroom(void **state) { golden(state, EXPORT_CLASSROOM); }
static void test_golden_moodle(void **state) { golden(state, EXPORT_MOODLE); }

/* Made in another order, elsewhere, exported twice: the same bytes, and
 * no path of the machine in them. */
static void test_reproducible(void **state)
{
	struct fixture *f = *state;
	static const int order[] = { 5, 3, 1, 0, 4, 2 };
	char *a = grading(f, "a", NULL), *b = grading(f, "elsewhere/b", order);
	struct export_opts o = opts(ALL, "en");

	assert_int_equal(export_grading(f->spec, a, &o), EXIT_OK);
	assert_int_equal(export_grading(f->spec, b, &o), EXIT_OK);
	assert_int_equal(export_grading(f->spec, b, &o), EXIT_OK);
	for (int format = 0; format < EXPORT_NFORMATS; format++) {
		char *x = files_of(a, format), *y = files_of(b, format);

		assert_string_equal(x, y);
		assert_null(strstr(x, f->tmp));
		free(x);
		free(y);
	}
	free(a);
	free(b);
}

/* ---- what each must show ---- */

/* fred's guest did not boot: the grader's failure.  No score on
 * Gradescope, gradable false on PrairieLearn, an empty grade in Moodle,
 * every test an error in Classroom; each says why.  carol's module did
 * not compile: graded, 0, the compiler's line. */
static void test_not_graded(void **state)
{
	struct fixture *f = *state;
	char *dir = grading(f, "class", NULL), *text, *csv;
	struct export_opts o = opts(ALL, "en");

	assert_int_equal(export_grading(f->spec, dir, &o), EXIT_OK);
	text = file_of(dir, "fred", "gradescope/results.json");
	assert_null(strstr(text, "\"score\""));
	assert_non_null(strstr(text, "\"output\": \"not graded: the guest did not boot"));
	free(text);
	text = file_of(dir, "carol", "gradescope/results.json");
	assert_non_null(strstr(text, "{\n  \"score\": 0.0,"));
	assert_non_null(strstr(text, "did not build: hello.c:7:5: error"));
	free(text);
	text = file_of(dir, "fred", "prairielearn/results.json");
	assert_non_null(strstr(text, "\"gradable\": false"));
	assert_null(strstr(text, "\"score\""));
	assert_non_null(strstr(text, "the guest did not boot"));
	free(text);
	text = file_of(dir, "carol", "prairielearn/results.json");
	assert_non_null(strstr(text, "\"gradable\": true,\n  \"score\": 0.000000"));
	free(text);
	csv = xasprintf("%s/moodle.csv", dir);
	text = slurp(csv);
	assert_non_null(strstr(text, "\r\nfred,,\"not graded: the guest did not boot"));
	assert_non_null(strstr(text, "\r\ncarol,0,\""));
	free(text);
	free(csv);
	text = file_of(dir, "fred", "classroom/env");
	assert_int_equal(strncmp(text, "LABKIT1_RESULTS=", 16), 0);
	free(text);
	free(dir);
}

/* What a student's run printed reaches a JSON string as valid JSON of
 * valid UTF-8, and the CSV with its controls shown. */
static void test_escaped(void **state)
{
	struct fixture *f = *state;
	char *dir = grading(f, "class", NULL), *path, *text, *csv;
	struct export_opts o = opts(ALL, "en");

	path = xasprintf("%s/students/bob/1/results.yaml", dir);
	spit(path, "labkit-results: 1\nlab: hello\nexercise: 1\noutcome: ok\n"
	     "duration: 1.0\nsteps:\n- id: 1.1\n  status: ran\n  command: insmod /hello.ko\n"
	     "  exit: 3\n  duration: 0.1\n"
	     "  output: \"\\e[31mred\\e[0m \\\"q\\\" \\\\ tab\\tend \\u2028 żółw \\x01\\n\"\n");
	assert_int_equal(export_grading(f->spec, dir, &o), EXIT_OK);
	text = file_of(dir, "bob", "gradescope/results.json");
	assert_null(strchr(text, '\033'));
	assert_null(strchr(text, '\001'));
	assert_non_null(strstr(text, "\\u001b[31mred\\u001b[0m \\\"q\\\" \\\\ tab\\tend "
			       "\\u2028 żółw \\u0001"));
	free(text);
	csv = xasprintf("%s/moodle.csv", dir);
	text = slurp(csv);
	assert_null(strchr(text, '\033'));
	free(text);
	free(csv);
	free(path);
	free(dir);
}

/* An output of 100 000 bytes is shown by its ends (platforms cap a
 * file: PrairieLearn at 1 MB); a UTF-8 character is never cut. */
static void test_trimmed(void **state)
{
	struct fixture *f = *state;
	char *dir = grading(f, "class", NULL), *path, *text, *doc;
	struct export_opts o = opts(1u << EXPORT_PRAIRIELEARN, "en");
	struct sb long_out;

	sb_init(&long_out);
	sb_adds(&long_out, "labkit-results: 1\nlab: hello\nexercise: 1\noutcome: ok\n"
		"duration: 1.0\nsteps:\n- id: 1.1\n  status: ran\n  command: insmod /hello.ko\n"
		"  exit: 3\n  duration: 0.1\n  output: \"");
	for (int i = 0; i < 20000; i++)
		sb_adds(&long_out, "żółw");      /* 7 bytes, 4 of them 2-byte */
	sb_adds(&long_out, "\"\n");
	path = xasprintf("%s/students/bob/1/results.yaml", dir);
	spit(path, long_out.buf);
	assert_int_equal(export_grading(f->spec, dir, &o), EXIT_OK);
	text = file_of(dir, "bob", "prairielearn/results.json");
	assert_true(strlen(text) < 20000);
	assert_non_null(strstr(text, " bytes …]"));
	assert_null(strstr(text, "\\ufffd"));    /* no character cut */
	doc = strstr(text, "żółw");
	assert_non_null(doc);
	free(text);
	free(path);
	sb_release(&long_out);
	free(dir);
}

/* ---- a roster ---- */

static void test_roster(void **state)
{
	struct fixture *f = *state;
	char *dir = grading(f, "class", NULL);
	char *roster = xasprintf("%s/roster.csv", f->tmp), *csv, *text;
	struct export_opts o = opts(1u << EXPORT_MOODLE, "en");

	/* Moodle's own header name, quoted fields, CRLF, no dave */
	spit(roster, "Email address,student,name\r\n"
	     "alice@example.edu,alice,\"Alice, A.\"\r\n"
	     "bob@example.edu,bob,Bob\r\n\"carol@example.edu\",carol,\"C \"\"C\"\"\"\r\n"
	     "eve@example.edu,eve,Eve\r\nfred@example.edu,fred,Fred\r\n");
	o.id = EXPORT_ID_EMAIL;
	o.roster = roster;
	assert_int_equal(export_grading(f->spec, dir, &o), EXIT_OK);
	csv = xasprintf("%s/moodle.csv", dir);
	text = slurp(csv);
	assert_ptr_equal(strstr(text, "Email address,hello,Feedback\r\n"
				"alice@example.edu,6,"), text);
	assert_non_null(strstr(text, "\r\ncarol@example.edu,0,"));
	assert_non_null(strstr(text, "\r\nfred@example.edu,,"));
	assert_null(strstr(text, "dave"));
	assert_non_null(strstr(f->err.buf, "warning: moodle: student 'dave' is not in roster"));
	free(text);
	/* a student twice: refused, at its line, nothing written */
	remove(csv);
	spit(roster, "student,email\nalice,a@x\nbob,b@x\n\nalice,c@x\n");
	assert_int_equal(export_grading(f->spec, dir, &o), EXIT_USAGE);
	text = xasprintf("%s:5:1: error: student 'alice' is named twice", roster);
	assert_non_null(strstr(f->err.buf, text));
	assert_false(exists(csv));
	free(text);
	/* no such column */
	spit(roster, "student,idnumber\nalice,1\n");
	assert_int_equal(export_grading(f->spec, dir, &o), EXIT_USAGE);
	assert_non_null(strstr(f->err.buf, "must name a column 'student' and a column 'email'"));
	/* e-mail addresses come from a roster only */
	o.roster = NULL;
	assert_int_equal(export_grading(f->spec, dir, &o), EXIT_USAGE);
	assert_false(exists(csv));
	/* idnumber by the directory names */
	o.id = EXPORT_ID_IDNUMBER;
	assert_int_equal(export_grading(f->spec, dir, &o), EXIT_OK);
	text = slurp(csv);
	assert_ptr_equal(strstr(text, "ID number,hello,Feedback\r\nalice,6,"), text);
	free(text);
	free(csv);
	free(roster);
	free(dir);
}

/* ---- one run, and the students' language ---- */

/* bob's results as a lab's own run leaves them: the same file as in the
 * grading; Moodle's, a class's, refused. */
static void test_run(void **state)
{
	struct fixture *f = *state;
	char *dir = grading(f, "class", NULL);
	char *run = xasprintf("%s/run", f->tmp), *out = xasprintf("%s/out", f->tmp);
	char *to = xasprintf("%s/1/results.yaml", run);
	char *path = xasprintf("%s/gradescope/results.json", out), *a, *b;
	struct export_opts o = opts(1u << EXPORT_GRADESCOPE, "en");

	copy_data("class/students/bob/1/results.yaml", to);
	assert_int_equal(export_run(f->spec, run, "bob", out, &o), EXIT_OK);
	assert_int_equal(export_grading(f->spec, dir, &o), EXIT_OK);
	a = slurp(path);
	b = file_of(dir, "bob", "gradescope/results.json");
	assert_non_null(a);
	assert_string_equal(a, b);
	free(a);
	free(b);
	o.formats |= 1u << EXPORT_MOODLE;
	assert_int_equal(export_run(f->spec, run, "bob", out, &o), EXIT_USAGE);
	free(path);
	free(to);
	free(out);
	free(run);
	free(dir);
}

static void test_polish(void **state)
{
	struct fixture *f = *state;
	char *dir = grading(f, "class", NULL), *text;
	struct export_opts o = opts(ALL, NULL);          /* pl by default */

	assert_int_equal(export_grading(f->spec, dir, &o), EXIT_OK);
	text = file_of(dir, "bob", "prairielearn/results.json");
	assert_non_null(strstr(text, "\"message\": \"wynik: 3/6 pkt\""));
	free(text);
	text = file_of(dir, "bob", "gradescope/results.json");
	assert_non_null(strstr(text, "\"output\": \"niezaliczony: Plik /proc/hello "
			       "ma wypisać dokładnie „Hello, world”."));
	assert_non_null(strstr(text, "\"1. Moduł\""));
	free(text);
	text = file_of(dir, "fred", "gradescope/results.json");
	assert_non_null(strstr(text, "nie oceniono: the guest did not boot"));
	free(text);
	free(dir);
}

/* A results.yaml that does not parse: refused, naming it, and nothing
 * written. */
static void test_bad_results(void **state)
{
	struct fixture *f = *state;
	char *dir = grading(f, "class", NULL);
	char *path = xasprintf("%s/students/bob/1/results.yaml", dir);
	char *want = xasprintf("%s:4:1: error: ", path), *out;
	struct export_opts o = opts(ALL, "en");

	spit(path, "labkit-results: 1\nlab: hello\nsteps: [\n- id: 1.1\n");
	assert_int_equal(export_grading(f->spec, dir, &o), EXIT_USAGE);
	assert_non_null(strstr(f->err.buf, want));
	out = xasprintf("%s/students/alice/gradescope", dir);
	assert_false(exists(out));
	free(out);
	out = xasprintf("%s/moodle.csv", dir);
	assert_false(exists(out));
	free(out);
	free(want);
	free(path);
	free(dir);
}

static void test_names(void **state)
{
	unsigned formats = 0;
	enum export_id id = EXPORT_ID_USERNAME;
	struct fixture *f = *state;

	assert_int_equal(export_format_parse("moodle", &formats), 0);
	assert_int_equal(export_format_parse("gradescope", &formats), 0);
	assert_int_equal(formats, (1u << EXPORT_MOODLE) | (1u << EXPORT_GRADESCOPE));
	assert_int_equal(export_format_parse("canvas", &formats), -1);
	assert_non_null(strstr(f->err.buf, "unknown format 'canvas'"));
	assert_int_equal(export_id_parse("email", &id), 0);
	assert_int_equal(id, EXPORT_ID_EMAIL);
	assert_int_equal(export_id_parse("mail", &id), -1);
}

int main(void)
{
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_golden_gradescope),
		T(test_golden_prairielearn),
		T(test_golden_classroom),
		T(test_golden_moodle),
		T(test_reproducible),
		T(test_not_graded),
		T(test_escaped),
		T(test_trimmed),
		T(test_roster),
		T(test_run),
		T(test_polish),
		T(test_bad_results),
		T(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
