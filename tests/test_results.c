/* test_results.c — results.yaml written and read back, any bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "events.h"
#include "proc.h"
#include "results.h"
#include "util.h"

static char *tmpfile_path(void)
{
	char tmpl[] = "/tmp/labkit-results-XXXXXX";
	int fd = mkstemp(tmpl);

	close(fd);
	return xstrdup(tmpl);
}

static void round_trip(void **state)
{
	struct results r, back;
	struct results_step *s;
	char *path = tmpfile_path();

	(void)state;
	results_init(&r, "lab2", "3");
	r.outcome = OUTCOME_OK;
	expand_vars_set(&r.facts, "kernel.release", "6.1.0-56-amd64");
	s = results_add_step(&r, "3.2");
	s->status = STATUS_RAN;
	s->command = xstrdup("lsmod");
	s->output = xstrdup("Module  Size  Used by\ntrivial 16384 0\n  indented\n");
	s->exit_status = 0;
	s->duration = 0.25;
	s = results_add_step(&r, "1.1");
	results_step_set(s, STATUS_SKIP, "not supported yet");
	assert_int_equal(results_write(&r, path), 0);
	assert_int_equal(results_load(&back, path), 0);
	assert_int_equal(back.outcome, OUTCOME_OK);
	assert_string_equal(expand_vars_get(&back.facts, "kernel.release"),
			    "6.1.0-56-amd64");
	assert_int_equal(back.nsteps, 2);
	assert_string_equal(back.steps[0].output, r.steps[0].output);
	assert_int_equal(back.steps[0].exit_status, 0);
	assert_int_equal(back.steps[0].status, STATUS_RAN);
	assert_int_equal(back.steps[1].status, STATUS_SKIP);
	assert_string_equal(back.steps[1].reason, "not supported yet");
	results_free(&r);
	results_free(&back);
	unlink(path);
	free(path);
}

static void invalid_utf8_and_controls_survive(void **state)
{
	struct results r, back;
	struct results_step *s;
	char *path = tmpfile_path();

	(void)state;
	results_init(&r, "lab2", "3");
	s = results_add_step(&r, "3.3");
	s->output = xstrdup("caf\xc3\xa9 \xff\xfe bad\ttab\n");
	assert_int_equal(results_write(&r, path), 0);
	assert_int_equal(results_load(&back, path), 0);
	assert_string_equal(back.steps[0].output,
			    "caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd bad\ttab\n");
	results_free(&r);
	results_free(&back);
	unlink(path);
	free(path);
}

static void load_reports_position(void **state)
{
	struct results r;
	char *path = tmpfile_path();

	(void)state;
	assert_int_equal(fs_write_atomic(path, "steps: [\n  - {id: 1\n", 20), 0);
	assert_int_equal(results_load(&r, path), -1);
	results_free(&r);
	unlink(path);
	free(path);
}

/* Every name parses back to its value, and the file's words are these. */
static void names_round_trip(void **state)
{
	enum step_status st = STATUS_RAN;
	enum run_outcome oc = OUTCOME_OK;

	(void)state;
	for (int i = 0; i < STATUS_COUNT; i++) {
		assert_int_equal(results_status_parse(results_status_name(i), &st), 0);
		assert_int_equal(st, i);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(results_status_name(i),
						results_status_name(j));
	}
	for (int i = 0; i < OUTCOME_COUNT; i++) {
		assert_int_equal(results_outcome_parse(results_outcome_name(i), &oc), 0);
		assert_int_equal(oc, i);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(results_outcome_name(i),
						results_outcome_name(j));
	}
	assert_string_equal(results_status_name(STATUS_NOT_RUN), "not-run");
	assert_string_equal(results_status_name(STATUS_GUEST_EXIT), "guest-exit");
	assert_string_equal(results_outcome_name(OUTCOME_BOOT_FAIL), "boot-fail");
	assert_string_equal(results_status_name(STATUS_COUNT), "?");
	assert_string_equal(results_outcome_name(OUTCOME_COUNT), "?");
	/* a word that is none leaves the value alone */
	st = STATUS_PANIC;
	assert_int_equal(results_status_parse("Ran", &st), -1);
	assert_int_equal(results_status_parse(NULL, &st), -1);
	assert_int_equal(st, STATUS_PANIC);
	oc = OUTCOME_PANIC;
	assert_int_equal(results_outcome_parse("okay", &oc), -1);
	assert_int_equal(oc, OUTCOME_PANIC);
}

/* Every status and outcome survives the file. */
static void every_status_written_and_read(void **state)
{
	char *path = tmpfile_path();

	(void)state;
	for (int o = 0; o < OUTCOME_COUNT; o++) {
		struct results r, back;

		results_init(&r, "lab2", "3");
		r.outcome = (enum run_outcome)o;
		for (int i = 0; i < STATUS_COUNT; i++) {
			char id[16];

			snprintf(id, sizeof(id), "3.%d", i);
			results_step_set(results_add_step(&r, id),
					 (enum step_status)i, NULL);
		}
		assert_int_equal(results_write(&r, path), 0);
		assert_int_equal(results_load(&back, path), 0);
		assert_int_equal(back.outcome, o);
		assert_int_equal(back.nsteps, STATUS_COUNT);
		for (int i = 0; i < STATUS_COUNT; i++)
			assert_int_equal(back.steps[i].status, i);
		results_free(&r);
		results_free(&back);
	}
	unlink(path);
	free(path);
}

static void new_step_has_not_run(void **state)
{
	struct results r;
	struct results_step *s;

	(void)state;
	results_init(&r, NULL, NULL);
	assert_int_equal(r.outcome, OUTCOME_ERROR);
	assert_string_equal(r.lab, "");
	s = results_add_step(&r, "1.1");
	assert_int_equal(s->status, STATUS_NOT_RUN);
	assert_int_equal(s->exit_status, -1);
	assert_int_equal(s->host_exit, -1);
	assert_null(s->reason);
	assert_ptr_equal(results_step(&r, "1.1"), s);
	assert_null(results_step(&r, "1.2"));
	results_free(&r);
}

/* The reason is copied and replaced; NULL clears it. */
static void step_set_replaces_reason(void **state)
{
	struct results r;
	struct results_step *s;
	char reason[] = "no guest";

	(void)state;
	results_init(&r, "lab2", "3");
	s = results_add_step(&r, "3.1");
	results_step_set(s, STATUS_SKIP, reason);
	reason[0] = 'N';
	assert_int_equal(s->status, STATUS_SKIP);
	assert_string_equal(s->reason, "no guest");
	results_step_set(s, STATUS_NOT_RUN, "the guest panicked");
	assert_int_equal(s->status, STATUS_NOT_RUN);
	assert_string_equal(s->reason, "the guest panicked");
	results_step_set(s, STATUS_RAN, NULL);
	assert_int_equal(s->status, STATUS_RAN);
	assert_null(s->reason);
	results_free(&r);
}

/* proc_run()'s return value decides the status; the times come from the
 * process, the output is taken over. */
static void step_finish_from_rc(void **state)
{
	static const struct {
		int rc;
		enum step_status status;
		int exit_status;
	} cases[] = {
		{ 0, STATUS_RAN, 0 },
		{ 2, STATUS_RAN, 2 },
		{ 137, STATUS_RAN, 137 },    /* killed by SIGKILL: it ran */
		{ -1, STATUS_ERROR, -1 },    /* could not start */
		{ -2, STATUS_TIMEOUT, -1 },  /* deadline passed */
	};
	struct proc p;
	struct results r;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.started = 10.0;
	p.ended = 12.5;
	p.ru.ru_utime.tv_sec = 1;
	p.ru.ru_utime.tv_usec = 500000;
	p.ru.ru_stime.tv_usec = 250000;
	results_init(&r, "lab2", "2");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct results_step *s = results_add_step(&r, "2.1");

		s->output = xstrdup("old");
		results_step_set(s, STATUS_SKIP, "stale");
		results_step_finish(s, cases[i].rc, &p, xstrdup("new output\n"));
		assert_int_equal(s->status, cases[i].status);
		assert_int_equal(s->exit_status, cases[i].exit_status);
		assert_null(s->reason);
		assert_string_equal(s->output, "new output\n");
		assert_true(s->duration > 2.499 && s->duration < 2.501);
		assert_true(s->user > 1.499 && s->user < 1.501);
		assert_true(s->sys > 0.249 && s->sys < 0.251);
	}
	/* a process that has not ended has no duration */
	p.ended = 0;
	results_step_finish(&r.steps[0], 0, &p, NULL);
	assert_true(r.steps[0].duration == 0);
	assert_null(r.steps[0].output);
	results_free(&r);
}

static void load_bad(const char *yaml, const char *want)
{
	struct results r;
	char *path = tmpfile_path();
	char *msg;

	assert_int_equal(fs_write_atomic(path, yaml, strlen(yaml)), 0);
	assert_int_equal(results_load(&r, path), -1);
	msg = xasprintf("%s%s", path, want);
	if (!strstr(events_last_error(), msg))
		fail_msg("expected '%s' in '%s'", msg, events_last_error());
	free(msg);
	results_free(&r);
	unlink(path);
	free(path);
}

static void load_errors_name_the_place(void **state)
{
	(void)state;
	load_bad("labkit-results: 1\nsteps:\n  - id: '1'\n    status: finished\n",
		 ":4:13: unknown step status");
	load_bad("labkit-results: 1\noutcome: great\n", ":2:10: unknown outcome");
	load_bad("labkit-results: 1\nsteps: {id: 1}\n",
		 ":2:8: expected a sequence for 'steps'");
	load_bad("labkit-results: 1\nsteps:\n  - status: ran\n",
		 ":3:5: step without an id");
	load_bad("- a\n- b\n", ": not a labkit results file");
	load_bad("", ": ");      /* no document: the file is named */
}

/* A malformed file that gives a key twice (a mutated results.yaml): the
 * last one counts, and nothing of the first is left behind (the ASan
 * build's LeakSanitizer fails this program if it is). */
static void load_key_given_twice(void **state)
{
	static const char yaml[] =
		"labkit-results: 1\nlab: lab2\nexercise: '3'\n"
		"detail: first\ndetail: second\ntail: first\ntail: second\n"
		"boot: first\nboot: second\n"
		"steps:\n  - id: '3.1'\n    status: skip\n"
		"    reason: first\n    reason: second\n"
		"    command: first\n    command: second\n"
		"    output: first\n    output: second\n"
		"    before_command: first\n    before_command: second\n"
		"    before_output: first\n    before_output: second\n"
		"    host_command: first\n    host_command: second\n"
		"    host_output: first\n    host_output: second\n"
		"    kernel: first\n    kernel: second\n"
		"    fault: oops\n"
		"    fault_line: first\n    fault_line: second\n"
		"    fault_trace: first\n    fault_trace: second\n"
		"    fault_where: first\n    fault_where: second\n"
		"    fault_source: first\n    fault_source: second\n";
	struct results r;
	const struct results_step *s;
	char *path = tmpfile_path();

	(void)state;
	assert_int_equal(fs_write_atomic(path, yaml, strlen(yaml)), 0);
	assert_int_equal(results_load(&r, path), 0);
	assert_string_equal(r.detail, "second");
	assert_string_equal(r.lab, "lab2");
	assert_string_equal(r.tail, "second");
	assert_string_equal(r.boot, "second");
	assert_int_equal(r.nsteps, 1);
	s = &r.steps[0];
	assert_int_equal(s->status, STATUS_SKIP);
	assert_string_equal(s->reason, "second");
	assert_string_equal(s->command, "second");
	assert_string_equal(s->output, "second");
	assert_string_equal(s->before_command, "second");
	assert_string_equal(s->before_output, "second");
	assert_string_equal(s->host_command, "second");
	assert_string_equal(s->host_output, "second");
	assert_string_equal(s->kernel, "second");
	assert_int_equal(s->fault.kind, FAULT_OOPS);
	assert_string_equal(s->fault.line, "second");
	assert_string_equal(s->fault.trace, "second");
	assert_string_equal(s->fault.where, "second");
	assert_string_equal(s->fault.source, "second");
	results_free(&r);
	unlink(path);
	free(path);
}

/* A hand-in's results.yaml nested deeper than labkit ever writes is
 * refused before libyaml, whose time grows with the square of the depth
 * (70,000 '[' took `labkit check` 10 s of CPU), at the bracket too many;
 * brackets in a string are no nesting (the results fuzzer's round trip
 * found a first cut that counted them). */
static void load_refuses_deep_nesting(void **state)
{
	struct sb yaml;
	struct results r;
	char *path = tmpfile_path();
	double t = now_monotonic();

	(void)state;
	sb_init(&yaml);
	sb_adds(&yaml, "labkit-results: 1\nsteps: ");
	for (int i = 0; i < 100000; i++)
		sb_addc(&yaml, '[');
	assert_int_equal(fs_write_atomic(path, yaml.buf, yaml.len), 0);
	assert_int_equal(results_load(&r, path), -1);
	assert_true(now_monotonic() - t < 2);
	assert_non_null(strstr(events_last_error(), ":2:72: collections nested deeper than 64 levels"));
	results_free(&r);
	/* brackets in text are text, however many: a step's output (and
	 * labkit writes what it read back) */
	yaml.buf[25] = 'x';    /* a plain scalar: "x[[[..." */
	results_init(&r, "lab2", "3");
	results_add_step(&r, "3.1")->output = xstrdup(yaml.buf + 25);
	expand_vars_set(&r.facts, "bar", yaml.buf + 25);
	assert_int_equal(results_write(&r, path), 0);
	results_free(&r);
	assert_int_equal(results_load(&r, path), 0);
	assert_int_equal(strlen(r.steps[0].output), 100000);
	assert_int_equal(strlen(expand_vars_get(&r.facts, "bar")), 100000);
	results_free(&r);
	/* as deep as the limit is no problem */
	sb_release(&yaml);
	sb_init(&yaml);
	sb_adds(&yaml, "labkit-results: 1\nfacts: {a: ");
	for (int i = 0; i < 63; i++)
		sb_addc(&yaml, '[');
	for (int i = 0; i < 63; i++)
		sb_addc(&yaml, ']');
	sb_adds(&yaml, "}\n");
	assert_int_equal(fs_write_atomic(path, yaml.buf, yaml.len), 0);
	assert_int_equal(results_load(&r, path), 0);
	results_free(&r);
	sb_release(&yaml);
	unlink(path);
	free(path);
}

/* Numbers are written as held, whatever their size: a count past
 * INT_MAX, a duration of 1e300 (a loaded file may hold one; its digits
 * were cut at 63 and read back as another number, as the results fuzzer
 * found). */
static void numbers_written_whole(void **state)
{
	struct results r, back;
	struct results_step *s;
	char *path = tmpfile_path();

	(void)state;
	results_init(&r, "lab2", "2");
	r.duration = 1e300;
	s = results_add_step(&r, "2.8");
	s->ccache_hits = 3000000000L;
	s->ccache_misses = 0;
	s->duration = -1e300;
	s->user = 0.5;
	assert_int_equal(results_write(&r, path), 0);
	assert_int_equal(results_load(&back, path), 0);
	assert_true(back.duration == 1e300);
	assert_true(back.steps[0].duration == -1e300);
	assert_true(back.steps[0].ccache_hits == 3000000000L);
	assert_true(back.steps[0].ccache_misses == 0);
	results_free(&back);
	results_free(&r);
	unlink(path);
	free(path);
}

/* A lab or exercise that is not a string is "", as results_init() has
 * them, never NULL: written back, the file says the same (the results
 * fuzzer's round trip found the key dropped once, written empty then). */
static void lab_not_a_string_is_empty(void **state)
{
	static const char yaml[] = "labkit-results: 1\nlab: [a]\nexercise: {b: c}\n";
	struct results r, back;
	char *path = tmpfile_path();

	(void)state;
	assert_int_equal(fs_write_atomic(path, yaml, strlen(yaml)), 0);
	assert_int_equal(results_load(&r, path), 0);
	assert_string_equal(r.lab, "");
	assert_string_equal(r.exercise, "");
	assert_int_equal(results_write(&r, path), 0);
	assert_int_equal(results_load(&back, path), 0);
	assert_string_equal(back.lab, "");
	assert_string_equal(back.exercise, "");
	results_free(&back);
	results_free(&r);
	unlink(path);
	free(path);
}

static void load_missing_file(void **state)
{
	struct results r;

	(void)state;
	assert_int_equal(results_load(&r, "/nonexistent/labkit/results.yaml"), -1);
	assert_non_null(strstr(events_last_error(),
			       "/nonexistent/labkit/results.yaml: cannot open"));
	results_free(&r);
}

static void write_to_missing_dir_fails(void **state)
{
	struct results r;

	(void)state;
	results_init(&r, "lab2", "3");
	assert_int_equal(results_write(&r, "/nonexistent/labkit/results.yaml"), -1);
	assert_non_null(strstr(events_last_error(),
			       "cannot write '/nonexistent/labkit/results.yaml'"));
	assert_int_equal(access("/nonexistent/labkit/results.yaml", F_OK), -1);
	results_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(invalid_utf8_and_controls_survive),
		cmocka_unit_test(load_reports_position),
		cmocka_unit_test(names_round_trip),
		cmocka_unit_test(every_status_written_and_read),
		cmocka_unit_test(new_step_has_not_run),
		cmocka_unit_test(step_set_replaces_reason),
		cmocka_unit_test(step_finish_from_rc),
		cmocka_unit_test(load_errors_name_the_place),
		cmocka_unit_test(load_key_given_twice),
		cmocka_unit_test(load_refuses_deep_nesting),
		cmocka_unit_test(numbers_written_whole),
		cmocka_unit_test(lab_not_a_string_is_empty),
		cmocka_unit_test(load_missing_file),
		cmocka_unit_test(write_to_missing_dir_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
