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
	results_step_set(s, STATUS_SKIP, REASON_TEXT, "not supported yet");
	s = results_add_step(&r, "1.2");
	results_step_set(s, STATUS_NOT_RUN, REASON_GUEST_DIED, "1.1");
	assert_int_equal(results_write(&r, path), 0);
	assert_int_equal(results_load(&back, path), 0);
	assert_int_equal(back.outcome, OUTCOME_OK);
	assert_string_equal(expand_vars_get(&back.facts, "kernel.release"),
			    "6.1.0-56-amd64");
	assert_int_equal(back.nsteps, 3);
	assert_string_equal(back.steps[0].output, r.steps[0].output);
	assert_int_equal(back.steps[0].exit_status, 0);
	assert_int_equal(back.steps[0].status, STATUS_RAN);
	assert_int_equal(back.steps[1].status, STATUS_SKIP);
	assert_int_equal(back.steps[1].reason.code, REASON_TEXT);
	assert_string_equal(back.steps[1].reason.arg[0].text, "not supported yet");
	assert_int_equal(back.steps[2].reason.code, REASON_GUEST_DIED);
	assert_string_equal(back.steps[2].reason.arg[0].text, "1.1");
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
					 (enum step_status)i, REASON_NONE);
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
	assert_int_equal(s->reason.code, REASON_NONE);
	assert_ptr_equal(results_step(&r, "1.1"), s);
	assert_null(results_step(&r, "1.2"));
	results_free(&r);
}

/* The reason is copied and replaced; REASON_NONE clears it. */
static void step_set_replaces_reason(void **state)
{
	struct results r;
	struct results_step *s;
	char reason[] = "no guest";

	(void)state;
	results_init(&r, "lab2", "3");
	s = results_add_step(&r, "3.1");
	results_step_set(s, STATUS_SKIP, REASON_TEXT, reason);
	reason[0] = 'N';
	assert_int_equal(s->status, STATUS_SKIP);
	assert_string_equal(s->reason.arg[0].text, "no guest");
	results_step_set(s, STATUS_NOT_RUN, REASON_GUEST_DIED, "3.0");
	assert_int_equal(s->status, STATUS_NOT_RUN);
	assert_int_equal(s->reason.code, REASON_GUEST_DIED);
	assert_null(s->reason.arg[1].text);
	results_step_set(s, STATUS_RAN, REASON_NONE);
	assert_int_equal(s->status, STATUS_RAN);
	assert_int_equal(s->reason.code, REASON_NONE);
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
		results_step_set(s, STATUS_SKIP, REASON_TEXT, "stale");
		results_step_finish(s, cases[i].rc, &p, xstrdup("new output\n"));
		assert_int_equal(s->status, cases[i].status);
		assert_int_equal(s->exit_status, cases[i].exit_status);
		assert_int_equal(s->reason.code, REASON_NONE);
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
	char *path = tmpfile_path(), *said;

	(void)state;
	assert_int_equal(fs_write_atomic(path, yaml, strlen(yaml)), 0);
	assert_int_equal(results_load(&r, path), 0);
	said = reason_text(&r.detail, LANG_EN);
	assert_string_equal(said, "second");
	free(said);
	assert_string_equal(r.lab, "lab2");
	assert_string_equal(r.tail, "second");
	assert_string_equal(r.boot, "second");
	assert_int_equal(r.nsteps, 1);
	s = &r.steps[0];
	assert_int_equal(s->status, STATUS_SKIP);
	said = reason_text(&s->reason, LANG_EN);
	assert_string_equal(said, "second");
	free(said);
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

/* ---- reasons: the catalog, and format 1 read into codes ---- */

/* A reason of `code` with made-up arguments: text "a<i>", the status
 * timeout, the fault oops, a reason within that is the console's. */
static void sample(struct reason *r, enum reason_code code)
{
	reason_free(r);
	r->code = code;
	for (size_t i = 0; i < reason_nargs(code); i++) {
		switch (reason_arg_kind(code, i)) {
		case REASON_ARG_TEXT:
			r->arg[i].text = xasprintf("a%zu", i);
			break;
		case REASON_ARG_STATUS:
			r->arg[i].value = STATUS_TIMEOUT;
			break;
		case REASON_ARG_FAULT:
			r->arg[i].value = FAULT_OOPS;
			break;
		case REASON_ARG_REASON:
			r->arg[i].why = xcalloc(1, sizeof(*r->arg[i].why));
			reason_set(r->arg[i].why, REASON_CONSOLE_CLOSED);
			break;
		}
	}
}

/* Every code has a name of its own and both languages; its arguments
 * all appear in both; the English read back (as format 1 was) gives the
 * same English, and for the reasons format 1 wrote, the same code. */
static void catalog_is_whole(void **state)
{
	static const enum reason_code format1[] = {
		REASON_USER_SELF, REASON_ACCEL_CACHED, REASON_KVM_NO_LOGIN,
		REASON_POWEROFF_CLEAN, REASON_CONSOLE_CLOSED, REASON_STEP_ENDED,
		REASON_BOOT_PANIC, REASON_GUEST_DIED, REASON_HOST_DEADLINE,
		REASON_BUILD_NOT_RUN, REASON_KERNEL_PREBUILT,
		REASON_KERNEL_NOT_BUILT, REASON_NO_XREF_SOURCE,
		REASON_XREF_UNSUPPORTED,
	};
	struct reason r = REASON_INIT, back = REASON_INIT;
	enum reason_code code;

	(void)state;
	for (int c = REASON_TEXT; c < REASON_COUNT; c++) {
		char *en, *pl, *again;

		assert_int_equal(reason_parse_name(reason_name(c), &code), 0);
		assert_int_equal(code, c);
		sample(&r, c);
		en = reason_text(&r, LANG_EN);
		pl = reason_text(&r, LANG_PL);
		assert_true(*en && *pl);
		assert_null(strchr(en, '{'));
		assert_null(strchr(pl, '{'));
		for (size_t i = 0; i < reason_nargs(c); i++)
			if (reason_arg_kind(c, i) == REASON_ARG_TEXT) {
				assert_non_null(strstr(en, r.arg[i].text));
				assert_non_null(strstr(pl, r.arg[i].text));
			}
		reason_from_english(&back, en, true);
		again = reason_text(&back, LANG_EN);
		assert_string_equal(again, en);
		free(again);
		free(pl);
		free(en);
	}
	for (size_t i = 0; i < sizeof(format1) / sizeof(format1[0]); i++) {
		char *en;

		sample(&r, format1[i]);
		en = reason_text(&r, LANG_EN);
		assert_true(reason_from_english(&back, en, true));
		assert_int_equal(back.code, format1[i]);
		free(en);
	}
	reason_free(&back);
	reason_free(&r);
}

/* The reasons within are worded in the same language; a status and a
 * fault by results.yaml's names in English, by the report's words in
 * Polish. */
static void reasons_are_worded_per_language(void **state)
{
	struct reason r = REASON_INIT, why = REASON_INIT;
	char *s;

	(void)state;
	reason_set(&why, REASON_CONSOLE_TIMEOUT);
	reason_set(&r, REASON_KVM_NO_LOGIN, "6", &why);
	reason_wrap(&r, REASON_ACCEL_CACHED, "/tmp/accel-probe.txt");
	s = reason_text(&r, LANG_EN);
	assert_string_equal(s, "a KVM guest did not reach login: within 6 s "
			    "(timeout); cached in /tmp/accel-probe.txt");
	free(s);
	s = reason_text(&r, LANG_PL);
	assert_string_equal(s, "gość z KVM nie doszedł do login: w ciągu 6 s "
			    "(przekroczony limit czasu); zapamiętane w "
			    "/tmp/accel-probe.txt");
	free(s);
	reason_set(&r, REASON_FAULT_OTHER, FAULT_WARN, "W.*", FAULT_PANIC, "Kernel panic");
	s = reason_text(&r, LANG_EN);
	assert_string_equal(s, "expected warn 'W.*', but panic: 'Kernel panic'");
	free(s);
	s = reason_text(&r, LANG_PL);
	assert_string_equal(s, "oczekiwano błędu jądra (ostrzeżenie) pasującego "
			    "do 'W.*', a jądro zgłosiło (panika jądra): 'Kernel panic'");
	free(s);
	assert_string_equal(reason_word(REASON_CONSOLE_CLOSED, LANG_PL),
			    "konsola zamknięta");
	reason_free(&r);
	reason_free(&why);
}

/* Pairs, as `labkit run --no-build` and the accelerator's cache take
 * them: a reason and back; what makes none is refused, named. */
static void reasons_from_pairs(void **state)
{
	static const char *const good[] = { "code=kernel-prebuilt", "kernel=um",
					    "kernels=quick", "prebuilt=uml-package" };
	static const char *const unknown[] = { "code=no-such-reason" };
	static const char *const extra[] = { "code=no-uml", "kernel=um", "arch=um" };
	static const char *const missing[] = { "code=no-uml" };
	struct reason r = REASON_INIT, back = REASON_INIT;
	struct sb pairs;
	char *en, **lines = NULL;
	size_t n = 0, cap = 0;

	(void)state;
	assert_int_equal(reason_from_pairs(&r, good, 4), 0);
	en = reason_text(&r, LANG_EN);
	assert_string_equal(en, "kernel 'um' is not built from source in this build "
			    "tree (LABKIT_KERNELS=quick): the prebuilt uml-package "
			    "kernel boots instead");
	free(en);
	assert_int_equal(reason_from_pairs(&r, unknown, 1), -1);
	assert_non_null(strstr(events_last_error(), "'no-such-reason' names no reason"));
	assert_int_equal(reason_from_pairs(&r, extra, 3), -1);
	assert_non_null(strstr(events_last_error(), "'arch=um' is no argument of reason 'no-uml'"));
	assert_int_equal(reason_from_pairs(&r, missing, 1), -1);
	assert_non_null(strstr(events_last_error(), "reason 'no-uml' needs its 'kernel'"));
	/* a reason within a reason: dotted */
	sample(&r, REASON_ACCEL_CACHED);
	sb_init(&pairs);
	reason_pairs(&pairs, &r);
	assert_string_equal(pairs.buf, "code=accel-cached\nwhy.code=console-closed\n"
			    "cache=a1\n");
	for (char *p = pairs.buf, *save = NULL; (p = strtok_r(p, "\n", &save)); p = NULL) {
		ARRAY_PUSH(lines, n, cap);
		lines[n++] = p;
	}
	assert_int_equal(reason_from_pairs(&back, (const char *const *)lines, n), 0);
	assert_int_equal(back.code, REASON_ACCEL_CACHED);
	assert_int_equal(back.arg[0].why->code, REASON_CONSOLE_CLOSED);
	free(lines);
	sb_release(&pairs);
	reason_free(&back);
	reason_free(&r);
}

/* A file of format 1 (English only) is read into codes and written as
 * format 2: byte for byte what tests/data/results/format2/ holds
 * (LABKIT_UPDATE_GOLDEN=1 writes it); that file read and written again
 * is the same. */
static void format1_read_into_codes(void **state)
{
	static const char *const files[] = {
		"report/forms/results/1", "report/forms/results/2",
		"report/forms/results/3", "report/forms/results/4",
		"report/forms/results/5", "report/forms/results/6",
		"report/forms/results/7", "report/lab2/1", "report/lab2/5",
		"report/lang/results/1",
	};
	const char *update = getenv("LABKIT_UPDATE_GOLDEN");
	char *path = tmpfile_path();

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *from = xasprintf("%s/%s/results.yaml",
				       getenv("LABKIT_TEST_DATA"), files[i]);
		char *golden = xasprintf("%s/results/format2/%s/results.yaml",
					 getenv("LABKIT_TEST_DATA"), files[i]);
		char *got, *want, *again;
		struct results r;
		size_t len;

		assert_int_equal(results_load(&r, from), 0);
		assert_int_equal(results_write(&r, path), 0);
		results_free(&r);
		assert_int_equal(fs_read_file(path, &got, &len), 0);
		if (update && !strcmp(update, "1")) {
			char *dir = xstrdup(golden);

			*strrchr(dir, '/') = '\0';
			assert_int_equal(fs_mkdirs(dir, 0755), 0);
			assert_int_equal(fs_write_atomic(golden, got, len), 0);
			free(dir);
		}
		assert_int_equal(fs_read_file(golden, &want, &len), 0);
		assert_string_equal(got, want);
		assert_int_equal(results_load(&r, golden), 0);
		assert_int_equal(results_write(&r, path), 0);
		results_free(&r);
		assert_int_equal(fs_read_file(path, &again, &len), 0);
		assert_string_equal(again, want);
		free(again);
		free(want);
		free(got);
		free(golden);
		free(from);
	}
	unlink(path);
	free(path);
}

/* A format this labkit does not know is refused, named; a reason code it
 * does not know too. */
static void other_formats_refused(void **state)
{
	(void)state;
	load_bad("labkit-results: 3\nlab: a\n",
		 ":1:17: results of another labkit (format '3'; this one reads 1 and 2)");
	load_bad("labkit-results: 2\nsteps:\n- id: '1'\n  why:\n    code: nope\n",
		 ":5:5: unknown reason code");
	load_bad("labkit-results: 2\nsteps:\n- id: '1'\n  why:\n    code: unfinished\n    status: late\n",
		 ":6:13: unknown step status");
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
		cmocka_unit_test(catalog_is_whole),
		cmocka_unit_test(reasons_are_worded_per_language),
		cmocka_unit_test(reasons_from_pairs),
		cmocka_unit_test(format1_read_into_codes),
		cmocka_unit_test(other_formats_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
