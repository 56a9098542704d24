/* test_results.c — results.yaml written and read back, any bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	free(r.outcome);
	r.outcome = xstrdup("ok");
	expand_vars_set(&r.facts, "kernel.release", "6.1.0-56-amd64");
	s = results_add_step(&r, "3.2");
	free(s->status);
	s->status = xstrdup("ran");
	s->command = xstrdup("lsmod");
	s->output = xstrdup("Module  Size  Used by\ntrivial 16384 0\n  indented\n");
	s->exit_status = 0;
	s->duration = 0.25;
	s = results_add_step(&r, "1.1");
	free(s->status);
	s->status = xstrdup("skip");
	s->reason = xstrdup("not supported yet");
	assert_int_equal(results_write(&r, path), 0);
	assert_int_equal(results_load(&back, path), 0);
	assert_string_equal(back.outcome, "ok");
	assert_string_equal(expand_vars_get(&back.facts, "kernel.release"),
			    "6.1.0-56-amd64");
	assert_int_equal(back.nsteps, 2);
	assert_string_equal(back.steps[0].output, r.steps[0].output);
	assert_int_equal(back.steps[0].exit_status, 0);
	assert_string_equal(back.steps[1].status, "skip");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(invalid_utf8_and_controls_survive),
		cmocka_unit_test(load_reports_position),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
