/* test_check.c — verdicts on golden transcripts, with the real labs.yaml. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "console.h"
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

		free(rs->status);
		rs->status = xstrdup(s == CONSOLE_OK ? "ran" : "timeout");
		rs->command = cmd;
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
		all &= check_expect(&st->expect[i], &f->vars, &f->res, rs, why) == 1;
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
	assert_int_equal(check_expect(&e, &f->vars, &f->res, results_step(&f->res, "3.3"), &why), 0);
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
	assert_int_equal(check_expect(&ordered, &f->vars, &f->res, results_step(&f->res, "3.5"), &why), 0);
	assert_non_null(strstr(why.buf, "not found after 'Oh no, why'"));
	sb_reset(&why);
	assert_int_equal(check_expect(&absent, &f->vars, &f->res, results_step(&f->res, "3.3"), &why), 0);
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
	struct results_step rs = { .id = "3.1", .status = "ran", .exit_status = 1,
				   .output = "insmod: can't insert 'trivial.ko': File exists\n" };
	struct sb why;

	sb_init(&why);
	assert_int_equal(check_expect(&e, &f->vars, &f->res, &rs, &why), 0);
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
	struct results_step rs = { .id = "x", .status = "ran",
				   .output = "trivialX 1\n" };
	struct sb why;

	sb_init(&why);
	expand_vars_set(&f->vars, "module.name", "triv.al");
	assert_int_equal(check_expect(&e, &f->vars, &f->res, &rs, &why), 0);
	sb_release(&why);
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
