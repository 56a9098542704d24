/* test_kbuild.c — labkit build's recipe, with a stand-in make. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "events.h"
#include "kbuild.h"
#include "results.h"
#include "spec.h"
#include "util.h"

/* What the build told the program. */
struct told {
	struct sb output;        /* PROGRESS_OUTPUT, as it came */
	struct sb steps;         /* "start 1.1/3 make ...\n", "done 1.1 0\n" */
	struct sb notes;
	struct sb warnings;
	size_t errors;
};

struct fixture {
	struct told told;
	char *dir;
	struct spec *spec;
	struct kbuild_opts o;
	struct results res;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	const char *data = getenv("LABKIT_TEST_DATA");
	char tmpl[] = "/tmp/labkit-kbuild-XXXXXX";
	char *path = xasprintf("%s/kbuild/spec.yaml", data);
	char *bin = xasprintf("%s/kbuild/bin:%s", data, getenv("PATH"));

	setenv("PATH", bin, 1); /* the stand-in make comes first */
	free(bin);
	f->dir = xstrdup(mkdtemp(tmpl));
	f->spec = spec_load(path);
	assert_non_null(f->spec);
	f->o.exercise = "1";
	f->o.src = xasprintf("%s/kbuild/src", data);
	f->o.obj = xasprintf("%s/obj", f->dir);
	f->o.out = xasprintf("%s/build-results.yaml", f->dir);
	f->o.jobs = 2;
	f->o.quiet = true;
	free(path);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char *cmd = xasprintf("rm -rf '%s'", f->dir); /* obj and obj.stage */

	assert_int_equal(system(cmd), 0);
	free(cmd);
	spec_free(f->spec);
	results_free(&f->res);
	free((char *)f->o.src);
	free((char *)f->o.obj);
	free((char *)f->o.out);
	free(f->dir);
	events_set(NULL);
	sb_release(&f->told.output);
	sb_release(&f->told.steps);
	sb_release(&f->told.notes);
	sb_release(&f->told.warnings);
	free(f);
	unsetenv("FAKE_MAKE_FAIL");
	return 0;
}

static void stages_run_in_order_and_are_timed(void **state)
{
	struct fixture *f = *state;
	const struct results_step *s;

	assert_int_equal(kbuild_run(f->spec, &f->o), EXIT_OK);
	assert_int_equal(results_load(&f->res, f->o.out), 0);
	assert_int_equal(f->res.outcome, OUTCOME_OK);
	assert_int_equal(f->res.nsteps, 3); /* every build step, in order */
	s = results_step(&f->res, "1.1");
	assert_string_equal(s->command, "make ARCH=um defconfig");
	assert_non_null(strstr(s->output, "configuration written to .config"));
	s = results_step(&f->res, "1.2");
	assert_int_equal(s->exit_status, 0);
	assert_true(s->duration > 0);
	assert_true(s->user + s->sys > 0); /* the child's rusage, via wait4 */
	assert_string_equal(expand_vars_get(&f->res.facts, "kernel.release"),
			    "6.1.0-fake");
	/* uname -v of this build, from include/generated/utsversion.h */
	assert_string_equal(expand_vars_get(&f->res.facts, "kernel.version"),
			    "#7 SMP Wed Nov 25 13:58:53 UTC 2026");
}

/* No step makes the config: `make <config>` and the fragments first; a
 * step's host: runs after it in the build dir; make install copies into
 * the stage through labkit's installkernel. */
static void base_config_follow_up_and_install(void **state)
{
	struct fixture *f = *state;
	const struct results_step *s;
	char *vmlinuz = xasprintf("%s.stage/boot/vmlinuz-6.1.0-fake", f->o.obj);
	char *release = xasprintf("%s.stage/boot/release", f->o.obj);
	char *data;
	size_t len;

	f->o.exercise = "2";
	f->o.fresh = true;
	f->o.config = "tinyconfig";
	assert_int_equal(kbuild_run(f->spec, &f->o), EXIT_OK);
	assert_int_equal(results_load(&f->res, f->o.out), 0);
	assert_string_equal(expand_vars_get(&f->res.facts, "config.base"),
			    "make ARCH=um tinyconfig");
	s = results_step(&f->res, "2.1");
	assert_non_null(strstr(s->output, "Automatically generated file"));
	assert_string_equal(s->host_output, "follow-up in obj\n");
	assert_int_equal(access(vmlinuz, F_OK), 0);
	assert_int_equal(fs_read_file(release, &data, &len), 0);
	assert_string_equal(data, "6.1.0-fake\n");
	free(data);
	free(release);
	free(vmlinuz);
}

/* A step with input: on a pty of its own, prompts answered. */
static void input_drives_a_terminal_program(void **state)
{
	struct fixture *f = *state;
	const struct results_step *s;

	f->o.exercise = "3";
	assert_int_equal(kbuild_run(f->spec, &f->o), EXIT_OK);
	assert_int_equal(results_load(&f->res, f->o.out), 0);
	s = results_step(&f->res, "3.1");
	assert_int_equal(s->exit_status, 0);
	assert_non_null(strstr(s->output, "hello labkit"));
	assert_non_null(strstr(s->output, "/dev/pts/"));
}

/* A kernel a guest boots must have the shell's line (UML: CONFIG_SSL):
 * refused after its config, with the option named, not at boot. */
static void booted_kernel_needs_the_shell_line(void **state)
{
	struct fixture *f = *state;

	f->o.exercise = "5";
	f->o.fresh = true;
	assert_int_not_equal(kbuild_run(f->spec, &f->o), EXIT_OK);
	assert_non_null(strstr(events_last_error(), "kernel 'booted'"));
	assert_non_null(strstr(events_last_error(), "lacks CONFIG_SSL=y"));
	assert_non_null(strstr(events_last_error(), "exercise '5'"));
}

static void booted_kernel_with_the_shell_line_builds(void **state)
{
	struct fixture *f = *state;

	f->o.exercise = "6";
	f->o.fresh = true;
	assert_int_equal(kbuild_run(f->spec, &f->o), EXIT_OK);
}

/* The caller's fragments (labkit's debug.config, for `debug: true`) are
 * merged after the spec's: the kernel that lacked the shell's line has it
 * from one of them. */
static void more_fragments_merge_after_the_specs(void **state)
{
	struct fixture *f = *state;
	char *ssl = xasprintf("%s/kbuild/ssl.config", getenv("LABKIT_TEST_DATA"));
	const char *const fragments[] = { ssl };
	const char *merge;

	f->o.exercise = "5";
	f->o.fresh = true;
	f->o.fragments = fragments;
	f->o.nfragments = 1;
	assert_int_equal(kbuild_run(f->spec, &f->o), EXIT_OK);
	assert_int_equal(results_load(&f->res, f->o.out), 0);
	merge = expand_vars_get(&f->res.facts, "config.merge");
	assert_non_null(strstr(merge, "frag.config' '"));
	assert_non_null(strstr(merge, "/kbuild/ssl.config'"));
	assert_true(strstr(merge, "frag.config") < strstr(merge, "ssl.config"));
	free(ssl);
}

static void dropped_options_are_named(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(kbuild_run(f->spec, &f->o), EXIT_OK);
	assert_int_equal(results_load(&f->res, f->o.out), 0);
	assert_string_equal(expand_vars_get(&f->res.facts, "config.dropped"),
			    "CONFIG_DROPPED=y");
}

static void a_failing_stage_stops_and_is_recorded(void **state)
{
	struct fixture *f = *state;
	const struct results_step *s;

	setenv("FAKE_MAKE_FAIL", "all", 1);
	assert_int_equal(kbuild_run(f->spec, &f->o), EXIT_CHECK_FAILED);
	assert_int_equal(results_load(&f->res, f->o.out), 0);
	assert_int_equal(f->res.outcome, OUTCOME_FAIL);
	s = results_step(&f->res, "1.2");
	assert_int_equal(s->exit_status, 2);
	assert_int_equal(s->status, STATUS_RAN);
	assert_non_null(strstr(s->output, "Error 2"));
	assert_non_null(strstr(events_last_error(), "step 1.2: 'make ARCH=um' failed (exit 2)"));
}

static void on_message(void *ctx, const struct event_msg *m)
{
	struct told *t = ctx;

	if (m->level == EVENT_WARNING)
		sb_addf(&t->warnings, "%s\n", m->text);
	else
		t->errors++;
}

static void on_progress(void *ctx, const struct progress *p)
{
	struct told *t = ctx;

	switch (p->kind) {
	case PROGRESS_OUTPUT:
		sb_add(&t->output, p->text, p->len);
		break;
	case PROGRESS_STEP_START:
		assert_true(p->timed);
		assert_string_equal(p->lab, "kb");
		sb_addf(&t->steps, "start %s/%zu %s in %s\n", p->rs->id, p->step,
			p->rs->command, p->text);
		break;
	case PROGRESS_STEP_DONE:
		sb_addf(&t->steps, "done %s %s %d\n", p->rs->id,
			results_status_name(p->rs->status), p->rs->exit_status);
		break;
	case PROGRESS_NOTE:
		sb_addf(&t->notes, "%.*s\n", (int)p->len, p->text);
		break;
	case PROGRESS_CONSOLE:
	case PROGRESS_FAILURE:
	case PROGRESS_DONE:
		break;
	}
}

/* The program hears of each step as it starts and ends, of the build's
 * own output as it comes (unless quiet), and of a dropped option. */
static void progress_reaches_the_program(void **state)
{
	struct fixture *f = *state;
	struct events ev = { on_message, on_progress, &f->told };
	char *want;

	sb_init(&f->told.output);
	sb_init(&f->told.steps);
	sb_init(&f->told.notes);
	sb_init(&f->told.warnings);
	events_set(&ev);
	f->o.quiet = false;
	assert_int_equal(kbuild_run(f->spec, &f->o), EXIT_OK);
	events_set(NULL);
	want = xasprintf("start 1.1/1 make ARCH=um defconfig in %s\n"
			 "done 1.1 ran 0\n"
			 "start 1.2/2 make ARCH=um in %s\n"
			 "done 1.2 ran 0\n"
			 "start 1.3/3 make help in %s\n"
			 "done 1.3 ran 0\n", f->o.obj, f->o.obj, f->o.obj);
	assert_string_equal(f->told.steps.buf, want);
	free(want);
	assert_non_null(strstr(f->told.output.buf, "configuration written to .config"));
	assert_non_null(strstr(f->told.output.buf, "  LD      vmlinux\n"));
	assert_non_null(strstr(f->told.warnings.buf, "dropped: CONFIG_DROPPED=y"));
	assert_int_equal(f->told.errors, 0);

	/* quiet: the steps still, but not their output */
	sb_reset(&f->told.output);
	sb_reset(&f->told.steps);
	events_set(&ev);
	f->o.quiet = true;
	assert_int_equal(kbuild_run(f->spec, &f->o), EXIT_OK);
	events_set(NULL);
	assert_string_equal(f->told.output.buf, "");
	assert_non_null(strstr(f->told.steps.buf, "done 1.2 ran 0\n"));
}

/* ccache's masquerade directory, which the build puts first in PATH when
 * it exists (tools/lib/build/kbuild.c). */
#define CCACHE_MASQUERADE "/usr/lib/ccache"

/* distcc behind ccache: only misses travel; the user's ~/.distcc (make's
 * HOME is not).  Needs CCACHE_MASQUERADE: main() runs it only then. */
static void distcc_behind_ccache(void **state)
{
	struct fixture *f = *state;
	const struct results_step *s;
	char *dir = xasprintf("DISTCC_DIR=%s/.distcc\n", getenv("HOME"));

	unsetenv("CCACHE_PREFIX");
	unsetenv("DISTCC_DIR");
	f->o.exercise = "4";
	f->o.distcc = true;
	f->o.ccache = true;
	assert_int_equal(kbuild_run(f->spec, &f->o), EXIT_OK);
	assert_int_equal(results_load(&f->res, f->o.out), 0);
	s = results_step(&f->res, "4.1");
	assert_true(!strncmp(s->output, "PATH=" CCACHE_MASQUERADE ":",
			     sizeof("PATH=" CCACHE_MASQUERADE ":") - 1));
	assert_non_null(strstr(s->output, "\nCCACHE_PREFIX=distcc\n"));
	assert_non_null(strstr(s->output, dir));
	free(dir);
}

/* distcc on its own, through its masquerade dir first in PATH; the
 * user's ~/.distcc either way.  Needs nothing installed. */
static void distcc_first_in_path_without_ccache(void **state)
{
	struct fixture *f = *state;
	const struct results_step *s;
	char *dir = xasprintf("DISTCC_DIR=%s/.distcc\n", getenv("HOME"));

	unsetenv("CCACHE_PREFIX");
	unsetenv("DISTCC_DIR");
	f->o.exercise = "4";
	f->o.distcc = true;
	f->o.ccache = false;
	assert_int_equal(kbuild_run(f->spec, &f->o), EXIT_OK);
	assert_int_equal(results_load(&f->res, f->o.out), 0);
	s = results_step(&f->res, "4.1");
	assert_true(!strncmp(s->output, "PATH=/usr/lib/distcc:", 21));
	assert_non_null(strstr(s->output, "\nCCACHE_PREFIX=\n"));
	assert_non_null(strstr(s->output, dir));
	free(dir);
}

/* A kernel of another architecture (arm64 on this host): every command
 * has its row's ARCH and CROSS_COMPILE, so `make all` as typed
 * cross-builds; the host's own kinds get neither. */
static void cross_kernel_has_arch_and_cross_compile(void **state)
{
	struct fixture *f = *state;
	const struct results_step *s;

	unsetenv("ARCH");
	unsetenv("CROSS_COMPILE");
	f->o.exercise = "7";
	assert_int_equal(kbuild_run(f->spec, &f->o), EXIT_OK);
	assert_int_equal(results_load(&f->res, f->o.out), 0);
	s = results_step(&f->res, "7.1");
	assert_string_equal(s->output,
			    "ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-\n");
	results_free(&f->res);
	memset(&f->res, 0, sizeof(f->res));
	f->o.exercise = "4";
	assert_int_equal(kbuild_run(f->spec, &f->o), EXIT_OK);
	assert_int_equal(results_load(&f->res, f->o.out), 0);
	s = results_step(&f->res, "4.1");
	assert_null(strstr(s->output, "aarch64"));
}

static void no_source_kernel_is_a_usage_error(void **state)
{
	struct fixture *f = *state;

	f->o.exercise = "9";
	assert_int_equal(kbuild_run(f->spec, &f->o), EXIT_USAGE);
	assert_int_equal(access(f->o.out, F_OK), -1);
	assert_non_null(strstr(events_last_error(), "no exercise '9'"));
}

/*
 * The tests that need something installed run only where it is.  Where
 * it is not, the others still run, and the program exits 77 (EXIT_SKIP:
 * ctest's Skipped) naming what is missing, unless one of them failed:
 * cmocka's skip() would exit 0, and ctest would say Passed.
 */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(stages_run_in_order_and_are_timed, setup, teardown),
		cmocka_unit_test_setup_teardown(more_fragments_merge_after_the_specs,
						setup, teardown),
		cmocka_unit_test_setup_teardown(dropped_options_are_named, setup, teardown),
		cmocka_unit_test_setup_teardown(booted_kernel_needs_the_shell_line, setup, teardown),
		cmocka_unit_test_setup_teardown(booted_kernel_with_the_shell_line_builds, setup, teardown),
		cmocka_unit_test_setup_teardown(base_config_follow_up_and_install, setup, teardown),
		cmocka_unit_test_setup_teardown(input_drives_a_terminal_program, setup, teardown),
		cmocka_unit_test_setup_teardown(a_failing_stage_stops_and_is_recorded, setup, teardown),
		cmocka_unit_test_setup_teardown(progress_reaches_the_program, setup, teardown),
		cmocka_unit_test_setup_teardown(distcc_first_in_path_without_ccache, setup, teardown),
		cmocka_unit_test_setup_teardown(no_source_kernel_is_a_usage_error, setup, teardown),
		cmocka_unit_test_setup_teardown(cross_kernel_has_arch_and_cross_compile,
						setup, teardown),
	};
	const struct CMUnitTest with_ccache[] = {
		cmocka_unit_test_setup_teardown(distcc_behind_ccache, setup, teardown),
	};
	int failed = cmocka_run_group_tests_name("kbuild", tests, NULL, NULL);

	if (access(CCACHE_MASQUERADE, F_OK) < 0) {
		fprintf(stderr, "test_kbuild: skipped: distcc_behind_ccache: "
			"no '%s' (%s): install ccache\n", CCACHE_MASQUERADE,
			strerror(errno));
		return failed ? EXIT_CHECK_FAILED : EXIT_SKIP;
	}
	failed += cmocka_run_group_tests_name("kbuild with ccache", with_ccache,
					      NULL, NULL);
	return failed ? EXIT_CHECK_FAILED : EXIT_OK;
}
