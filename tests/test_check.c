/* test_check.c — verdicts on golden transcripts, with the real labs.yaml. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "console.h"
#include "events.h"
#include "replay.h"
#include "results.h"
#include "spec.h"
#include "util.h"

static const struct console_login login = {
	.login_re = "login: ", .user = "root", .password = "",
	.prompt_re = "[#$] ",
};

struct fixture {
	struct spec *spec;
	struct results res;
	struct expand_vars vars;
	bool as_student;         /* check_step_report()'s --as-student */
};

/* The golden transcripts were recorded on one console; what the
 * kernel's own console shows during each step of exercise 3 (its lines
 * in the step's kernel text, as `labkit run` keeps them). */
static const char *const kernel_lines[] = {
	"[    5.118392] Hello world! I'ma a trivial module!\n", "", "",
	"[    6.204511] Oh no, why are you doing this to me? Argh!\n", "",
};

/* Replays tests/data/transcripts/<name> through the console as exercise 3
 * of labs.yaml would run it, filling results like `labkit run` does. */
static void replay(struct fixture *f, const char *name)
{
	const struct spec_exercise *ex = spec_exercise(f->spec, "3");
	struct replay r;
	size_t off;

	replay_open(&r, name, 0);
	assert_int_equal(console_login(&r.con, &login, now_monotonic() + 5), CONSOLE_OK);
	for (size_t i = 0; i < ex->nsteps; i++) {
		struct results_step *rs = results_add_step(&f->res, ex->steps[i].id);
		char *cmd = expand(ex->steps[i].run, &f->vars, EXPAND_PLAIN, &off, NULL);
		enum console_status s = console_run(&r.con, cmd, now_monotonic() + 5,
						    &rs->output, &rs->exit_status);

		results_step_set(rs, s == CONSOLE_OK ? STATUS_RAN : STATUS_TIMEOUT,
				 NULL);
		rs->command = cmd;
		if (s == CONSOLE_OK && i < sizeof(kernel_lines) / sizeof(kernel_lines[0]))
			rs->kernel = xstrdup(kernel_lines[i]);
	}
	replay_close(&r);
}

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	char *path = xasprintf("%s/labs.yaml", getenv("LABKIT_SOURCE_DIR"));

	f->spec = spec_load(path);
	free(path);
	assert_non_null(f->spec);
	results_init(&f->res, "lab2", "3");
	expand_vars_set(&f->res.facts, "kernel.release", "6.1.0-56-amd64");
	expand_vars_set(&f->res.facts, "module.name", "trivial");
	expand_vars_init(&f->vars);
	check_vars(f->spec, &f->res, &f->vars);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	spec_free(f->spec);
	results_free(&f->res);
	expand_vars_free(&f->vars);
	free(f);
	return 0;
}

static int verdict(struct fixture *f, const char *step, struct sb *why)
{
	const struct spec_step *st = spec_step(f->spec, step, NULL);
	const struct results_step *rs = results_step(&f->res, step);
	int all = 1;

	assert_non_null(st);
	assert_non_null(rs);
	for (size_t i = 0; i < st->nexpect; i++)
		all &= check_expect(&st->expect[i], st, &f->vars, &f->res, rs, why, NULL) == 1;
	return all;
}

static void good_run_passes_every_step(void **state)
{
	struct fixture *f = *state;
	static const char *const steps[] = { "3.1", "3.2", "3.3", "3.4", "3.5" };
	struct sb why;

	replay(f, "good.log");
	sb_init(&why);
	for (size_t i = 0; i < 5; i++) {
		sb_reset(&why);
		if (!verdict(f, steps[i], &why))
			fail_msg("step %s: %s", steps[i], why.buf);
	}
	sb_release(&why);
}

/* The same outputs against a wrong expectation: the failure names the
 * pattern and shows the line that comes closest. */
static void wrong_dmesg_line_fails_with_closest_line(void **state)
{
	struct fixture *f = *state;
	char *pat = xstrdup("Hello world! I am a trivial module!");
	struct spec_expect e = { .kind = SPEC_EXPECT_MATCH, .npatterns = 1,
				 .patterns = &pat };
	struct sb why;

	replay(f, "good.log");
	sb_init(&why);
	assert_int_equal(check_expect(&e, NULL, &f->vars, &f->res, results_step(&f->res, "3.3"), &why, NULL), 0);
	assert_non_null(strstr(why.buf, "pattern 'Hello world! I am a trivial module!' not found"));
	assert_non_null(strstr(why.buf, "| [    2.103156] Hello world! I'ma a trivial module!"));
	sb_release(&why);
	free(pat);
}

static void absent_and_ordered_can_fail(void **state)
{
	struct fixture *f = *state;
	char *pats[] = { "Oh no, why", "Hello world!" };
	struct spec_expect ordered = { .kind = SPEC_EXPECT_ORDERED, .npatterns = 2,
				       .patterns = pats };
	struct spec_expect absent = { .kind = SPEC_EXPECT_ABSENT, .npatterns = 1,
				      .patterns = &pats[1] };
	struct sb why;

	replay(f, "good.log");
	sb_init(&why);
	assert_int_equal(check_expect(&ordered, NULL, &f->vars, &f->res, results_step(&f->res, "3.5"), &why, NULL), 0);
	assert_non_null(strstr(why.buf, "not found after 'Oh no, why'"));
	sb_reset(&why);
	assert_int_equal(check_expect(&absent, NULL, &f->vars, &f->res, results_step(&f->res, "3.3"), &why, NULL), 0);
	assert_non_null(strstr(why.buf, "must not appear"));
	sb_release(&why);
}

static void hung_guest_fails_the_unfinished_steps(void **state)
{
	struct fixture *f = *state;
	struct sb why;

	replay(f, "hung.log");
	sb_init(&why);
	assert_true(verdict(f, "3.1", &why));
	assert_true(verdict(f, "3.2", &why));
	assert_false(verdict(f, "3.3", &why));
	assert_non_null(strstr(why.buf, "did not run to the end"));
	sb_release(&why);
}

static void exit_status_mismatch(void **state)
{
	struct fixture *f = *state;
	struct spec_expect e = { .kind = SPEC_EXPECT_EXIT, .exit_status = 0 };
	struct results_step rs = { .id = "3.1", .status = STATUS_RAN, .exit_status = 1,
				   .output = "insmod: can't insert 'trivial.ko': File exists\n" };
	struct sb why;

	sb_init(&why);
	assert_int_equal(check_expect(&e, NULL, &f->vars, &f->res, &rs, &why, NULL), 0);
	assert_non_null(strstr(why.buf, "exit status 1, expected 0"));
	assert_non_null(strstr(why.buf, "File exists"));
	sb_release(&why);
}

static void variables_are_matched_literally(void **state)
{
	struct fixture *f = *state;
	char *pat = "^${module.name}\\s";
	struct spec_expect e = { .kind = SPEC_EXPECT_MATCH, .npatterns = 1,
				 .patterns = &pat };
	struct results_step rs = { .id = "x", .status = STATUS_RAN,
				   .output = "trivialX 1\n" };
	struct sb why;

	sb_init(&why);
	expand_vars_set(&f->vars, "module.name", "triv.al");
	assert_int_equal(check_expect(&e, NULL, &f->vars, &f->res, &rs, &why, NULL), 0);
	sb_release(&why);
}

/* ---- check_judge: the one judge ---- */

static void judge_names(void **state)
{
	(void)state;
	assert_string_equal(check_verdict_name(VERDICT_PASSED), "passed");
	assert_string_equal(check_verdict_name(VERDICT_FAILED), "failed");
	assert_string_equal(check_verdict_name(VERDICT_SKIPPED), "skipped");
	assert_string_equal(check_verdict_name(VERDICT_NOT_RUN), "not run");
	assert_string_equal(check_verdict_name(VERDICT_COUNT), "?");
}

/* A good run: every expectation held, its patterns shown as matched
 * (the run's variables filled in). */
static void judge_good_run(void **state)
{
	struct fixture *f = *state;
	const struct spec_step *st = spec_step(f->spec, "3.2", NULL);
	struct check_judgement j;

	replay(f, "good.log");
	check_judge(st, &f->res, &f->vars, &j);
	assert_int_equal(j.verdict, VERDICT_PASSED);
	assert_int_equal(j.basis, BASIS_EXPECTATIONS);
	assert_ptr_equal(j.rs, results_step(&f->res, "3.2"));
	assert_int_equal(j.nexpect, 2);
	assert_int_equal(j.failed, 0);
	assert_int_equal(j.expect[0].held, 1);
	assert_null(j.expect[0].why);
	assert_ptr_equal(j.expect[1].e, &st->expect[1]);
	assert_string_equal(j.expect[1].patterns[0], "^trivial\\s+\\d+\\s+0");
	check_judgement_free(&j);
}

static void judge_failed_expectation(void **state)
{
	struct fixture *f = *state;
	struct spec_step *st = (struct spec_step *)spec_step(f->spec, "3.3", NULL);
	struct check_judgement j;

	replay(f, "good.log");
	free(st->expect[0].patterns[0]);
	st->expect[0].patterns[0] = xstrdup("Hello world! I am a trivial module!");
	check_judge(st, &f->res, &f->vars, &j);
	assert_int_equal(j.verdict, VERDICT_FAILED);
	assert_int_equal(j.basis, BASIS_EXPECTATIONS);
	assert_int_equal(j.failed, 1);
	assert_int_equal(j.expect[0].held, 0);
	assert_non_null(strstr(j.expect[0].why, "not found"));
	assert_int_equal(j.expect[1].held, 1);
	check_judgement_free(&j);
}

/* A pattern that does not compile fails its step, explained. */
static void judge_bad_pattern(void **state)
{
	struct fixture *f = *state;
	struct spec_step *st = (struct spec_step *)spec_step(f->spec, "3.3", NULL);
	struct check_judgement j;

	replay(f, "good.log");
	free(st->expect[0].patterns[0]);
	st->expect[0].patterns[0] = xstrdup("Hello (world");
	check_judge(st, &f->res, &f->vars, &j);
	assert_int_equal(j.verdict, VERDICT_FAILED);
	assert_int_equal(j.expect[0].held, -1);
	assert_non_null(strstr(j.expect[0].why, "pattern 'Hello (world'"));
	assert_int_equal(j.failed, 1);
	check_judgement_free(&j);
}

/* What the result alone decides: no results, no result, skipped, not
 * run; a step cut short fails each expectation with the run's reason. */
static void judge_without_expectations(void **state)
{
	struct fixture *f = *state;
	const struct spec_step *st = spec_step(f->spec, "3.1", NULL);
	struct check_judgement j;
	struct results_step *rs;

	check_judge(st, NULL, &f->vars, &j);
	assert_int_equal(j.verdict, VERDICT_NOT_RUN);
	assert_int_equal(j.basis, BASIS_NO_RESULTS);
	assert_null(j.rs);
	assert_int_equal(j.nexpect, 0);
	check_judgement_free(&j);

	check_judge(st, &f->res, &f->vars, &j);
	assert_int_equal(j.verdict, VERDICT_NOT_RUN);
	assert_int_equal(j.basis, BASIS_NOT_RECORDED);
	assert_null(j.rs);
	check_judgement_free(&j);

	rs = results_add_step(&f->res, "3.1");
	results_step_set(rs, STATUS_SKIP, "no kernel");
	check_judge(st, &f->res, &f->vars, &j);
	assert_int_equal(j.verdict, VERDICT_SKIPPED);
	assert_int_equal(j.basis, BASIS_SKIPPED);
	assert_ptr_equal(j.rs, rs);
	check_judgement_free(&j);

	results_step_set(rs, STATUS_NOT_RUN, "the guest panicked");
	check_judge(st, &f->res, &f->vars, &j);
	assert_int_equal(j.verdict, VERDICT_NOT_RUN);
	assert_int_equal(j.basis, BASIS_NOT_RUN);
	check_judgement_free(&j);

	results_step_set(rs, STATUS_PANIC, "Kernel panic - not syncing");
	rs->exit_status = 0;     /* an exit status of a step cut short counts not */
	check_judge(st, &f->res, &f->vars, &j);
	assert_int_equal(j.verdict, VERDICT_FAILED);
	assert_int_equal(j.basis, BASIS_UNFINISHED);
	assert_int_equal(j.nexpect, 2);
	assert_int_equal(j.failed, 2);
	for (size_t i = 0; i < 2; i++)
		assert_non_null(strstr(j.expect[i].why,
				       "did not run to the end: panic: Kernel panic"));
	check_judgement_free(&j);
}

/* A step that ran and expects nothing passes on nothing. */
static void judge_nothing_to_check(void **state)
{
	struct fixture *f = *state;
	struct spec_step st = { .id = "3.9" };
	struct check_judgement j;
	struct results_step *rs = results_add_step(&f->res, "3.9");

	results_step_set(rs, STATUS_RAN, NULL);
	rs->exit_status = 1;
	check_judge(&st, &f->res, &f->vars, &j);
	assert_int_equal(j.verdict, VERDICT_PASSED);
	assert_int_equal(j.basis, BASIS_NOTHING);
	assert_int_equal(j.nexpect, 0);
	check_judgement_free(&j);
}

/* check_vars: spec variables, lab.id and exercise.id, then the facts,
 * which win. */
static void vars_from_spec_and_facts(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(expand_vars_get(&f->vars, "lab.id"), "lab2");
	assert_string_equal(expand_vars_get(&f->vars, "exercise.id"), "3");
	assert_string_equal(expand_vars_get(&f->vars, "kernel.release"),
			    "6.1.0-56-amd64");
	assert_string_equal(expand_vars_get(&f->vars, "module.name"), "trivial");
}

/* ---- check_step_report: TAP and JUnit, to a file ---- */

static struct results_step *step_result(struct fixture *f, const char *id)
{
	for (size_t i = 0; i < f->res.nsteps; i++)
		if (!strcmp(f->res.steps[i].id, id))
			return &f->res.steps[i];
	fail_msg("no result for step %s", id);
	return NULL;
}

/* A report runs cmocka itself, which must not nest in this test: it runs
 * in a child, whose stdout goes to `dir`/stdout.  Returns its exit status;
 * `*report` is the file it wrote (NULL when it wrote none; with
 * `to_stdout`, it is asked to write none). */
static int run_report(struct fixture *f, bool no_results, const char *step,
		      enum check_format fmt, bool to_stdout, char **report,
		      char **out)
{
	char tmpl[] = "/tmp/labkit-check-XXXXXX";
	char *dir = mkdtemp(tmpl), *path, *stdout_path;
	size_t len;
	pid_t pid;
	int status;

	assert_non_null(dir);
	path = xasprintf("%s/verdict", dir);
	stdout_path = xasprintf("%s/stdout", dir);
	fflush(stdout);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int rc;

		if (!freopen(stdout_path, "w", stdout))
			_exit(126);
		rc = check_step_report(f->spec, no_results ? NULL : &f->res,
				       step, fmt, to_stdout ? "-" : path,
				       f->as_student);
		printf("stdout is the caller's again\n");
		fflush(stdout);
		_exit(rc);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	*report = NULL;
	if (fs_read_file(path, report, &len) < 0)
		*report = NULL;
	assert_int_equal(fs_read_file(stdout_path, out, &len), 0);
	unlink(path);
	unlink(stdout_path);
	rmdir(dir);
	free(path);
	free(stdout_path);
	return WEXITSTATUS(status);
}

static int report(struct fixture *f, bool no_results, const char *step,
		  enum check_format fmt, char **report, char **out)
{
	return run_report(f, no_results, step, fmt, false, report, out);
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;

	for (s = strstr(s, needle); s; s = strstr(s + 1, needle))
		n++;
	return n;
}

static void junit_names_the_step_and_each_expectation(void **state)
{
	struct fixture *f = *state;
	char *xml, *out;

	replay(f, "good.log");
	assert_int_equal(report(f, false, "3.3", CHECK_FORMAT_JUNIT, &xml, &out), EXIT_OK);
	assert_non_null(xml);
	assert_true(!strncmp(xml, "<?xml", 5));
	assert_non_null(strstr(xml, "<testsuite name=\"lab2.3.3\""));
	assert_non_null(strstr(xml, "tests=\"2\" failures=\"0\""));
	assert_non_null(strstr(xml, "<testcase name=\"3.3 match 'Hello world! I'ma a trivial module!'\""));
	assert_non_null(strstr(xml, "<testcase name=\"3.3 absent 'Oh no, why are you doing this to me\\? Argh!'\""));
	assert_string_equal(out, "stdout is the caller's again\n");
	free(xml);
	free(out);
}

/* A guest's output with an escape sequence, a "]]>" and markup, and a
 * pattern with markup: the XML stays well formed. */
static void junit_failure_is_xml_safe(void **state)
{
	struct fixture *f = *state;
	struct spec_step *st = (struct spec_step *)spec_step(f->spec, "3.3", NULL);
	struct results_step *rs;
	char *xml, *out, *p;

	replay(f, "good.log");
	rs = step_result(f, "3.3");
	free(rs->output);
	rs->output = xstrdup("\x1b[1mHello]]> <b>&\"world\"\xff\n");
	free(st->expect[0].patterns[0]);
	st->expect[0].patterns[0] = xstrdup("<b>&\"x\"");
	assert_int_equal(report(f, false, "3.3", CHECK_FORMAT_JUNIT, &xml, &out),
			 EXIT_CHECK_FAILED);
	assert_non_null(xml);
	assert_non_null(strstr(xml, "failures=\"1\""));
	assert_non_null(strstr(xml, "<testcase name=\"3.3 match '&lt;b&gt;&amp;&quot;x&quot;'\""));
	assert_non_null(strstr(xml, "<failure><![CDATA[step 3.3: pattern '<b>&\"x\"' not found"));
	assert_non_null(strstr(xml, "\\x1b[1mHello]]]]><![CDATA[> <b>&\"world\"\\xff"));
	assert_int_equal(count(xml, "<![CDATA["), count(xml, "]]>"));
	for (p = xml; *p; p++)
		assert_true((unsigned char)*p >= 0x20 || *p == '\n' || *p == '\t');
	free(xml);
	free(out);
}

static void tap_lists_each_expectation(void **state)
{
	struct fixture *f = *state;
	struct results_step *rs;
	char *tap, *out;

	replay(f, "good.log");
	rs = step_result(f, "3.3");
	free(rs->output);
	rs->output = xstrdup("[    2.1] Hello world! I am a trivial module!\n");
	assert_int_equal(report(f, false, "3.3", CHECK_FORMAT_TAP, &tap, &out),
			 EXIT_CHECK_FAILED);
	assert_non_null(tap);
	assert_true(!strncmp(tap, "1..2\n", 5));
	assert_non_null(strstr(tap, "not ok 1 - 3.3 match 'Hello world! I'ma a trivial module!'"));
	assert_non_null(strstr(tap, "| [    2.1] Hello world! I am a trivial module!"));
	assert_non_null(strstr(tap, "\nok 2 - 3.3 absent"));
	free(tap);
	free(out);
}

/* Skipped, or no results at all: still a case of the step's own. */
static void skipped_and_missing_steps_are_cases(void **state)
{
	struct fixture *f = *state;
	struct results_step *rs = results_add_step(&f->res, "3.3");
	char *xml, *tap, *out;

	results_step_set(rs, STATUS_SKIP, "no guest: kernel <debian> missing");
	assert_int_equal(report(f, false, "3.3", CHECK_FORMAT_JUNIT, &xml, &out), EXIT_SKIP);
	assert_non_null(strstr(xml, "<testcase name=\"3.3 skipped: no guest: kernel &lt;debian&gt; missing\""));
	assert_non_null(strstr(xml, "<skipped/>"));
	assert_non_null(strstr(xml, "skipped=\"1\""));
	free(xml);
	free(out);
	assert_int_equal(report(f, false, "3.3", CHECK_FORMAT_TAP, &tap, &out), EXIT_SKIP);
	assert_non_null(strstr(tap, "# SKIP"));
	free(tap);
	free(out);
	assert_int_equal(report(f, true, "3.3", CHECK_FORMAT_JUNIT, &xml, &out), EXIT_CHECK_FAILED);
	assert_non_null(strstr(xml, "<testcase name=\"3.3 result\""));
	assert_non_null(strstr(xml, "<failure><![CDATA[step 3.3: no results: run the exercise first"));
	free(xml);
	free(out);
}

static void text_is_unchanged_and_a_bad_path_writes_nothing(void **state)
{
	struct fixture *f = *state;
	enum check_format fmt;
	char *text, *out;

	assert_int_equal(check_format_parse("junit", &fmt), 0);
	assert_int_equal(fmt, CHECK_FORMAT_JUNIT);
	assert_int_equal(check_format_parse("tap", &fmt), 0);
	assert_int_equal(fmt, CHECK_FORMAT_TAP);
	assert_int_equal(check_format_parse("xml", &fmt), -1);
	assert_non_null(strstr(events_last_error(), "unknown format 'xml'"));
	assert_int_equal(report(f, true, "3.3", CHECK_FORMAT_TEXT, &text, &out),
			 EXIT_CHECK_FAILED);
	assert_string_equal(text, "step 3.3: no results: run the exercise first\n");
	free(text);
	free(out);
	assert_int_equal(check_step_report(f->spec, NULL, "3.3", CHECK_FORMAT_JUNIT,
					   "/nonexistent/dir/verdict.xml", false), EXIT_USAGE);
	assert_int_equal(access("/nonexistent/dir/verdict.xml", F_OK), -1);
	/* a step the spec does not have: no verdict, so no (empty) file */
	out = xasprintf("/tmp/labkit-verdict-%d.xml", (int)getpid());
	unlink(out);
	assert_int_equal(check_step_report(f->spec, NULL, "9.9", CHECK_FORMAT_JUNIT,
					   out, false), EXIT_USAGE);
	assert_int_equal(access(out, F_OK), -1);
	assert_non_null(strstr(events_last_error(), "no step '9.9'"));
	free(out);
}

/* ---- points and faults: tests/data/report/points ---- */

/* The small lab with points and faults, and the results of its exercise
 * 1 (a step that passes, one with an oops it did not expect, one with the
 * warning it expects, one with a warning and no expectations, one whose
 * wait timed out). */
static int setup_points(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	char *spec = xasprintf("%s/report/points/labs.yaml", getenv("LABKIT_TEST_DATA"));
	char *res = xasprintf("%s/report/points/faults/1/results.yaml",
			      getenv("LABKIT_TEST_DATA"));

	f->spec = spec_load(spec);
	assert_non_null(f->spec);
	assert_int_equal(results_load(&f->res, res), 0);
	expand_vars_init(&f->vars);
	check_vars(f->spec, &f->res, &f->vars);
	free(res);
	free(spec);
	*state = f;
	return 0;
}

/* The fault's source lines, as fault.c quotes them. */
#define OOPS_SOURCE "  at oops.c:8:\n     6 | static int __init oops_init(void)\n" \
	"     7 | {\n>    8 | \t*(int *)0 = 1;   /* `boom` */\n"

static void tap_carries_points(void **state)
{
	struct fixture *f = *state;
	char *tap, *out;

	assert_int_equal(report(f, false, "1.1", CHECK_FORMAT_TAP, &tap, &out), EXIT_OK);
	assert_true(!strncmp(tap, "1..1\nok 1 - 1.1 match '^hello$'\n", 31));
	assert_non_null(strstr(tap, "\n# points 2/2\n"));
	assert_int_equal(count(tap, "# points"), 1);
	free(tap);
	free(out);
	/* failed: none of its points */
	assert_int_equal(report(f, false, "1.2", CHECK_FORMAT_TAP, &tap, &out),
			 EXIT_CHECK_FAILED);
	assert_non_null(strstr(tap, "\n# points 0/3\n"));
	free(tap);
	free(out);
	/* a step without points: no line */
	assert_int_equal(report(f, false, "1.4", CHECK_FORMAT_TAP, &tap, &out),
			 EXIT_CHECK_FAILED);
	assert_null(strstr(tap, "# points"));
	free(tap);
	free(out);
	/* not run (no results): none of them either */
	assert_int_equal(report(f, true, "1.1", CHECK_FORMAT_TAP, &tap, &out),
			 EXIT_CHECK_FAILED);
	assert_non_null(strstr(tap, "\n# points 0/2\n"));
	free(tap);
	free(out);
}

/* The points are properties of the step's <testsuite>, before its cases;
 * the same to a file and to stdout. */
static void junit_carries_points(void **state)
{
	struct fixture *f = *state;
	const char *props = "\n    <properties>\n"
		"      <property name=\"points\" value=\"2\"/>\n"
		"      <property name=\"max_points\" value=\"2\"/>\n"
		"    </properties>\n    <testcase name=\"1.1 match '^hello$'\"";
	char *xml, *out, *suite;

	assert_int_equal(report(f, false, "1.1", CHECK_FORMAT_JUNIT, &xml, &out), EXIT_OK);
	assert_true(!strncmp(xml, "<?xml", 5));
	suite = strstr(xml, "<testsuite name=\"faults.1.1\"");
	assert_non_null(suite);
	assert_ptr_equal(strstr(xml, props), strchr(suite, '>') + 1);
	assert_non_null(strstr(xml, "</testsuite>\n</testsuites>"));
	assert_string_equal(out, "stdout is the caller's again\n");
	free(xml);
	free(out);
	assert_int_equal(run_report(f, false, "1.1", CHECK_FORMAT_JUNIT, true,
				    &xml, &out), EXIT_OK);
	assert_null(xml);
	assert_true(!strncmp(out, "<?xml", 5));
	assert_non_null(strstr(out, props));
	assert_non_null(strstr(out, "</testsuites>\nstdout is the caller's again\n"));
	free(out);
	/* failed: 0 of 3, with both failures */
	assert_int_equal(report(f, false, "1.2", CHECK_FORMAT_JUNIT, &xml, &out),
			 EXIT_CHECK_FAILED);
	assert_non_null(strstr(xml, "<property name=\"points\" value=\"0\"/>\n"
			       "      <property name=\"max_points\" value=\"3\"/>"));
	assert_non_null(strstr(xml, "failures=\"2\""));
	assert_int_equal(count(xml, "<properties>"), 1);
	free(xml);
	free(out);
	/* no points: cmocka's XML as it was */
	assert_int_equal(report(f, false, "1.4", CHECK_FORMAT_JUNIT, &xml, &out),
			 EXIT_CHECK_FAILED);
	assert_null(strstr(xml, "<properties>"));
	free(xml);
	free(out);
	/* skipped: still 0 of 2, as a property of its one case's suite */
	results_step_set(step_result(f, "1.1"), STATUS_SKIP, "no guest");
	assert_int_equal(report(f, false, "1.1", CHECK_FORMAT_JUNIT, &xml, &out), EXIT_SKIP);
	assert_non_null(strstr(xml, "<property name=\"points\" value=\"0\"/>"));
	assert_non_null(strstr(xml, "<skipped/>"));
	free(xml);
	free(out);
}

static void text_carries_points(void **state)
{
	struct fixture *f = *state;
	char *text, *out;

	assert_int_equal(report(f, false, "1.1", CHECK_FORMAT_TEXT, &text, &out), EXIT_OK);
	/* after cmocka's own lines (its last ones go to stderr) */
	assert_non_null(strstr(text, "[       OK ] 1.1 match '^hello$'\n"));
	assert_int_equal(strcmp(text + strlen(text) - 21, "step 1.1: points 2/2\n"), 0);
	free(text);
	free(out);
	assert_int_equal(report(f, true, "1.2", CHECK_FORMAT_TEXT, &text, &out),
			 EXIT_CHECK_FAILED);
	assert_string_equal(text, "step 1.2: no results: run the exercise first\n"
			    "step 1.2: points 0/3\n");
	free(text);
	free(out);
}

/* A fault the step did not expect fails it with the fault quoted and its
 * source line, as a case of its own: also in a step that expects nothing
 * (1.4), where "nothing to check" would say nothing. */
static void unexpected_fault_is_quoted(void **state)
{
	struct fixture *f = *state;
	char *tap, *out;

	assert_int_equal(report(f, false, "1.2", CHECK_FORMAT_TAP, &tap, &out),
			 EXIT_CHECK_FAILED);
	assert_non_null(strstr(tap, "\nnot ok 1 - 1.2 exit 0\n"));
	assert_non_null(strstr(tap, "\nnot ok 2 - 1.2 no unexpected fault\n"
			       "# step 1.2: unexpected oops: 'BUG: kernel NULL "
			       "pointer dereference, address: 0000000000000000'\n"
			       "#   at oops.c:8:\n#      6 | static int __init oops_init(void)\n"));
	assert_non_null(strstr(tap, "\n# >    8 | \t*(int *)0 = 1;   /* `boom` */\n"));
	free(tap);
	free(out);
	assert_int_equal(report(f, false, "1.4", CHECK_FORMAT_TAP, &tap, &out),
			 EXIT_CHECK_FAILED);
	assert_true(!strncmp(tap, "1..1\nnot ok 1 - 1.4 no unexpected fault\n"
			     "# step 1.4: unexpected warn: 'WARNING: CPU: 0 PID: 81 "
			     "at warn.c:20 warn_read+0x10/0x20 [warn]'\n", 120));
	assert_null(strstr(tap, "nothing to check"));
	free(tap);
	free(out);
}

/* A fault expectation that meets another fault names that fault, where
 * it is and its source; the step also fails on the fault as unexpected. */
static void failed_fault_expectation_names_the_source(void **state)
{
	struct fixture *f = *state;
	struct results_step *warn = step_result(f, "1.3");
	const struct results_step *oops = results_step(&f->res, "1.2");
	const struct spec_step *st = spec_step(f->spec, "1.3", NULL);
	struct check_judgement j;
	char *tap, *out;

	check_judge(st, &f->res, &f->vars, &j);
	assert_int_equal(j.verdict, VERDICT_PASSED);   /* the warning it expects */
	assert_null(j.unexpected);
	check_judgement_free(&j);
	warn->fault.kind = FAULT_OOPS;
	free(warn->fault.line);
	warn->fault.line = xstrdup(oops->fault.line);
	warn->fault.where = xstrdup(oops->fault.where);
	warn->fault.source = xstrdup(oops->fault.source);
	check_judge(st, &f->res, &f->vars, &j);
	assert_int_equal(j.verdict, VERDICT_FAILED);
	assert_non_null(strstr(j.expect[0].why, "expected warn 'WARNING: .* warn_write', "
			       "but oops: 'BUG: kernel NULL pointer dereference"));
	assert_non_null(strstr(j.expect[0].why, OOPS_SOURCE));
	assert_non_null(j.unexpected);
	check_judgement_free(&j);
	assert_int_equal(report(f, false, "1.3", CHECK_FORMAT_TAP, &tap, &out),
			 EXIT_CHECK_FAILED);
	assert_non_null(strstr(tap, "not ok 1 - 1.3 warn 'WARNING: .* warn_write'\n"
			       "# step 1.3: expected warn 'WARNING: .* warn_write', but oops: "));
	assert_non_null(strstr(tap, "#   at oops.c:8:\n"));
	assert_non_null(strstr(tap, "\n# points 0/1\n"));
	free(tap);
	free(out);
}

/* ---- the null-run rule ---- */

/* Every error event, formatted, while collecting. */
static struct sb collected;

static void collect(void *ctx, const struct event_msg *m)
{
	(void)ctx;
	events_format(m, &collected);
	sb_adds(&collected, "\n");
}

static void events_clear_errors(void)
{
	const struct events ev = { .message = collect };

	sb_release(&collected);
	sb_init(&collected);
	events_set(&ev);
}

/* What was collected; events go nowhere again. */
static const char *events_errors(void)
{
	events_set(NULL);
	return collected.buf ? collected.buf : "";
}

/* The findings of check_null_runs() on a one-exercise lab whose steps
 * are `steps` (YAML, indented for the steps list); *errors gets the
 * error events' text. */
static int null_findings(const char *steps, char **errors)
{
	char dir[] = "/tmp/labkit-null-XXXXXX";
	char *path, *yaml;
	struct spec *spec;
	int n;

	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/labs.yaml", dir);
	yaml = xasprintf("labkit: 1\nlab: {id: nl, title: t}\n"
			 "exercises:\n  - id: '1'\n    title: t\n    steps:\n%s",
			 steps);
	assert_int_equal(fs_write_atomic(path, yaml, strlen(yaml)), 0);
	spec = spec_load(path);
	assert_non_null(spec);
	events_clear_errors();
	n = check_null_runs(spec);
	*errors = xstrdup(events_errors());
	spec_free(spec);
	assert_int_equal(fs_remove_tree(dir), 0);
	free(yaml);
	free(path);
	return n;
}

/* A step that only checks what is absent, or only the exit status of a
 * guest command, passes a run that did nothing: refused at its place. */
static void null_run_silent_steps_are_refused(void **state)
{
	char *err;

	(void)state;
	assert_int_equal(null_findings(
		"      - id: '1.1'\n        kind: host\n        question: q\n"
		"        run: rm -rf /tmp/nothing\n        expect:\n"
		"          - absent: 'No such file'\n", &err), 1);
	assert_non_null(strstr(err, "labs.yaml:7:9: error: step 1.1 passes whatever the command does: its checks hold on a run that printed nothing and exited 0"));
	free(err);
	assert_int_equal(null_findings(
		"      - id: '1.1'\n        kind: host\n        question: q\n"
		"        run: 'false'\n        expect:\n"
		"          - exit: 1\n", &err), 1);
	assert_non_null(strstr(err, "a run that printed nothing and exited 1"));
	free(err);
}

/* A check that its own command's echo satisfies (`|| echo ok`) proves
 * nothing; one that needs what the command observes does. */
static void null_run_own_echo_is_refused(void **state)
{
	char *err;

	(void)state;
	assert_int_equal(null_findings(
		"      - id: '1.1'\n        kind: host\n        question: q\n"
		"        run: ps -p 1 >/dev/null || echo \"no process left\"\n"
		"        expect:\n          - match: '^no process left$'\n", &err), 1);
	assert_non_null(strstr(err, "printed only its own command line and what its own echo says"));
	free(err);
	assert_int_equal(null_findings(
		"      - id: '1.1'\n        kind: host\n        question: q\n"
		"        run: echo \"pid 1 is $(cat /proc/1/comm)\"\n"
		"        expect:\n          - match: '^pid 1 is \\w+$'\n", &err), 0);
	free(err);
}

/* A pattern the runner sees before any step (the login prompt in the
 * boot) holds on every null run: refused at the pattern, even in a step
 * whose other checks can fail. */
static void null_run_vacuous_check_is_refused(void **state)
{
	char *err;

	(void)state;
	assert_int_equal(null_findings(
		"      - id: '1.1'\n        kind: host\n        question: q\n"
		"        run: uname -r\n        expect:\n"
		"          - match: '^\\d+\\.\\d+'\n"
		"          - match: 'login: '\n            in: boot\n", &err), 1);
	assert_non_null(strstr(err, "labs.yaml:13:13: error: in step 1.1, pattern 'login: ' holds whatever the run does"));
	free(err);
}

/* Exempt: `unchecked: why`, a build step checked by its exit status, a
 * skipped step; a check on a variable only a real run has is left to it. */
static void null_run_exemptions(void **state)
{
	char *err;

	(void)state;
	assert_int_equal(null_findings(
		"      - id: '1.1'\n        kind: host\n        question: q\n"
		"        run: 'true'\n        unchecked: it exists to fail\n"
		"        expect:\n          - exit: 0\n"
		"      - id: '1.2'\n        kind: host\n        question: q\n"
		"        skip: not here\n"
		"      - id: '1.3'\n        kind: host\n        question: q\n"
		"        run: ls ${kernel.stage}\n        expect:\n"
		"          - absent: '${kernel.stage}'\n", &err), 0);
	free(err);
}

/* Every lab labkit ships passes the rule. */
static void null_run_shipped_labs_pass(void **state)
{
	static const char *const labs[] = {
		"labs.yaml", "labs/chardev/labs.yaml", "labs/debug/labs.yaml",
		"labs/deferred/labs.yaml", "labs/kernel_api/labs.yaml",
		"tests/labs/selftest.yaml",
		"tests/labs/faults.yaml",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(labs) / sizeof(labs[0]); i++) {
		char *path = xasprintf("%s/%s", getenv("LABKIT_SOURCE_DIR"), labs[i]);
		struct spec *spec = spec_load(path);

		assert_non_null(spec);
		events_clear_errors();
		if (check_null_runs(spec))
			fail_msg("%s: %s", labs[i], events_errors());
		spec_free(spec);
		free(path);
	}
}

/* ---- as a student sees it ---- */

/* The golden class's spec (tests/data/grade/labs.yaml: 1.2 shown after
 * the due date, with a feedback of its own, 1.3 hidden), 1.2 made
 * visible with `visible_12`; a student's results from its class. */
static void student_fixture(struct fixture *f, bool visible_12,
			    const char *student)
{
	char *spec = xasprintf("%s/grade/labs.yaml", getenv("LABKIT_TEST_DATA"));
	char *res = xasprintf("%s/grade/class/students/%s/1/results.yaml",
			      getenv("LABKIT_TEST_DATA"), student);
	char tmpl[] = "/tmp/labkit-check-spec-XXXXXX";
	char *text = NULL, *at, *copy = NULL;
	size_t len;

	memset(f, 0, sizeof(*f));
	if (visible_12) {
		assert_int_equal(fs_read_file(spec, &text, &len), 0);
		at = strstr(text, "visibility: after_due_date");
		assert_non_null(at);
		memcpy(at, "visibility: visible       ", 26);
		assert_non_null(mkdtemp(tmpl));
		copy = xasprintf("%s/labs.yaml", tmpl);
		assert_int_equal(fs_write_atomic(copy, text, len), 0);
	}
	f->spec = spec_load(copy ? copy : spec);
	assert_non_null(f->spec);
	assert_int_equal(results_load(&f->res, res), 0);
	if (copy) {
		unlink(copy);
		rmdir(tmpl);
	}
	free(copy);
	free(text);
	free(res);
	free(spec);
}

static void student_fixture_free(struct fixture *f)
{
	spec_free(f->spec);
	results_free(&f->res);
}

/* A hidden step: a student is told only that (a skip); the teacher, the
 * verdict. */
static void as_student_hidden_is_a_skip(void **state)
{
	struct fixture f;
	char *rep, *out;

	(void)state;
	student_fixture(&f, false, "eve");
	assert_int_equal(report(&f, false, "1.3", CHECK_FORMAT_TAP, &rep, &out),
			 EXIT_CHECK_FAILED);
	assert_non_null(strstr(rep, "exit status 1, expected 0"));
	free(rep);
	free(out);
	f.as_student = true;
	assert_int_equal(report(&f, false, "1.3", CHECK_FORMAT_TAP, &rep, &out),
			 EXIT_SKIP);
	assert_non_null(strstr(rep, "ok 1 # SKIP"));
	assert_non_null(strstr(rep, "its result is not shown to students yet "
			       "(visibility: hidden)"));
	assert_null(strstr(rep, "exit status"));
	free(rep);
	free(out);
	/* and in JUnit, a skipped case without the points */
	assert_int_equal(report(&f, false, "1.2", CHECK_FORMAT_JUNIT, &rep, &out),
			 EXIT_SKIP);
	assert_non_null(strstr(rep, "<skipped"));
	assert_null(strstr(rep, "points"));
	free(rep);
	free(out);
	student_fixture_free(&f);
}

/* A failed step with a feedback: a student reads the feedback, not the
 * pattern nor the run's end; the fault it did not expect is still named;
 * no console lines. */
static void as_student_feedback_replaces_the_why(void **state)
{
	struct fixture f;
	char *rep, *out;

	(void)state;
	student_fixture(&f, true, "bob");
	assert_int_equal(report(&f, false, "1.2", CHECK_FORMAT_TAP, &rep, &out),
			 EXIT_CHECK_FAILED);
	assert_non_null(strstr(rep, "pattern '^Hello, world$' not found"));
	free(rep);
	free(out);
	f.as_student = true;
	assert_int_equal(report(&f, false, "1.2", CHECK_FORMAT_TAP, &rep, &out),
			 EXIT_CHECK_FAILED);
	assert_non_null(strstr(rep, "step 1.2: /proc/hello must print exactly"));
	assert_null(strstr(rep, "Hello, world$"));
	free(rep);
	free(out);
	/* a visible step without feedback: as anyone sees it */
	assert_int_equal(report(&f, false, "1.1", CHECK_FORMAT_TAP, &rep, &out),
			 EXIT_OK);
	free(rep);
	free(out);
	student_fixture_free(&f);

	student_fixture(&f, true, "dave");
	assert_int_equal(report(&f, false, "1.2", CHECK_FORMAT_TAP, &rep, &out),
			 EXIT_CHECK_FAILED);
	assert_non_null(strstr(rep, "did not run to the end: panic"));
	assert_non_null(strstr(rep, "last console lines"));
	free(rep);
	free(out);
	f.as_student = true;
	assert_int_equal(report(&f, false, "1.2", CHECK_FORMAT_TAP, &rep, &out),
			 EXIT_CHECK_FAILED);
	assert_non_null(strstr(rep, "step 1.2: /proc/hello must print exactly "
			       "\"Hello, world\".\n#   unexpected panic: 'Kernel panic"));
	assert_null(strstr(rep, "did not run to the end"));
	assert_null(strstr(rep, "last console lines"));
	free(rep);
	free(out);
	student_fixture_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(good_run_passes_every_step, setup, teardown),
		cmocka_unit_test_setup_teardown(wrong_dmesg_line_fails_with_closest_line, setup, teardown),
		cmocka_unit_test_setup_teardown(absent_and_ordered_can_fail, setup, teardown),
		cmocka_unit_test_setup_teardown(hung_guest_fails_the_unfinished_steps, setup, teardown),
		cmocka_unit_test_setup_teardown(exit_status_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(variables_are_matched_literally, setup, teardown),
		cmocka_unit_test(judge_names),
		cmocka_unit_test_setup_teardown(judge_good_run, setup, teardown),
		cmocka_unit_test_setup_teardown(judge_failed_expectation, setup, teardown),
		cmocka_unit_test_setup_teardown(judge_bad_pattern, setup, teardown),
		cmocka_unit_test_setup_teardown(judge_without_expectations, setup, teardown),
		cmocka_unit_test_setup_teardown(judge_nothing_to_check, setup, teardown),
		cmocka_unit_test_setup_teardown(vars_from_spec_and_facts, setup, teardown),
		cmocka_unit_test_setup_teardown(junit_names_the_step_and_each_expectation, setup, teardown),
		cmocka_unit_test_setup_teardown(junit_failure_is_xml_safe, setup, teardown),
		cmocka_unit_test_setup_teardown(tap_lists_each_expectation, setup, teardown),
		cmocka_unit_test_setup_teardown(skipped_and_missing_steps_are_cases, setup, teardown),
		cmocka_unit_test_setup_teardown(text_is_unchanged_and_a_bad_path_writes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(tap_carries_points, setup_points, teardown),
		cmocka_unit_test_setup_teardown(junit_carries_points, setup_points, teardown),
		cmocka_unit_test_setup_teardown(text_carries_points, setup_points, teardown),
		cmocka_unit_test_setup_teardown(unexpected_fault_is_quoted, setup_points, teardown),
		cmocka_unit_test_setup_teardown(failed_fault_expectation_names_the_source, setup_points, teardown),
		cmocka_unit_test(null_run_silent_steps_are_refused),
		cmocka_unit_test(null_run_own_echo_is_refused),
		cmocka_unit_test(null_run_vacuous_check_is_refused),
		cmocka_unit_test(null_run_exemptions),
		cmocka_unit_test(null_run_shipped_labs_pass),
		cmocka_unit_test(as_student_hidden_is_a_skip),
		cmocka_unit_test(as_student_feedback_replaces_the_why),
	};

	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	sb_release(&collected);
	return rc;
}
