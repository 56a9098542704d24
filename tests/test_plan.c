/* test_plan.c — a lab's grading plan (tools/lib/grade/plan.c), as
 * `labkit spec --plan` writes it (tools/lib/gen/gen_plan.c): the run's
 * options and each module's headers and `uses` loaded; a module that
 * uses one its exercise does not have, or a `uses` that is not a list,
 * refused at its position. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "events.h"
#include "plan.h"
#include "util.h"

static const char head[] =
	"labkit-grade-plan: 1\n"
	"lab: kernel_api\n"
	"spec: \"/lab/labs.yaml\"\n"
	"exercises:\n"
	"  - id: \"2\"\n"
	"    run:\n"
	"      accel: \"auto\"\n"
	"      kernel-dir: \"/k\"\n"
	"    modules:\n"
	"      - id: \"sym_provider\"\n"
	"        headers: \"/h\"\n"
	"        ko: \"/b/sym_provider.ko\"\n"
	"        arch: \"arm64\"\n"
	"      - id: \"sym_consumer\"\n"
	"        headers: \"/h\"\n";

/* Loads head + `tail` from a file of its own; the plan_load() result. */
static int load(struct plan *p, const char *tail)
{
	char path[] = "/tmp/labkit-test-plan-XXXXXX";
	int fd = mkstemp(path), rc;
	char *text = xasprintf("%s%s", head, tail);

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(fs_write_atomic(path, text, strlen(text)), 0);
	rc = plan_load(p, path);
	unlink(path);
	free(text);
	return rc;
}

static void uses_are_loaded(void **state)
{
	struct plan p;
	const struct plan_exercise *e;

	(void)state;
	assert_int_equal(load(&p, "        uses: [\"sym_provider\"]\n"), 0);
	e = plan_exercise(&p, "2");
	assert_non_null(e);
	assert_string_equal(e->kernel_dir, "/k");
	assert_int_equal(e->accel, VM_ACCEL_AUTO);
	assert_int_equal(e->nmodules, 2);
	assert_int_equal(e->modules[0].nuses, 0);
	/* the arch its kbuild needs (modbuild.h); none: the host's */
	assert_string_equal(e->modules[0].arch, "arm64");
	assert_null(e->modules[1].arch);
	assert_int_equal(e->modules[1].nuses, 1);
	assert_string_equal(e->modules[1].uses[0], "sym_provider");
	plan_free(&p);
}

/* What `labkit shell` and `labkit gdb` take of the plan: the run's
 * options, and the lab's own .ko of each module that has one. */
static void run_options_and_the_labs_modules(void **state)
{
	struct plan p;
	struct run_opts o = { 0 };
	char **modules;

	(void)state;
	assert_int_equal(load(&p, ""), 0);
	plan_run_opts(plan_exercise(&p, "2"), &o, &modules);
	assert_string_equal(o.kernel_dir, "/k");
	assert_int_equal(o.accel, VM_ACCEL_AUTO);
	assert_null(o.rootfs_dir);
	assert_int_equal(o.nmodules, 1);
	assert_string_equal(o.modules[0], "sym_provider=/b/sym_provider.ko");
	assert_null(modules[1]);
	free(modules[0]);
	free(modules);
	plan_free(&p);
}

static void a_module_the_exercise_lacks_is_refused(void **state)
{
	struct plan p;

	(void)state;
	assert_int_equal(load(&p, "        uses: [\"sym_provider\", \"nope\"]\n"), -1);
	assert_non_null(strstr(events_last_error(), ":10:7: module "
			       "'sym_consumer' of exercise '2' uses 'nope', which "
			       "is not another module of it"));
	assert_int_equal(load(&p, "        uses: [\"sym_consumer\"]\n"), -1);
	assert_non_null(strstr(events_last_error(), "uses 'sym_consumer', which "
			       "is not another module of it"));
	assert_int_equal(load(&p, "        uses: sym_provider\n"), -1);
	assert_non_null(strstr(events_last_error(), ":16:15: 'uses' must "
			       "be a list"));
}

/* The reasons CMake gives `labkit run` (a code, its arguments as a
 * list) are the plan's as reasons of the catalog; an unknown one, or
 * arguments without a code, are refused at their place. */
static void reasons_are_codes(void **state)
{
	struct plan p;
	const struct plan_exercise *e;
	char *en;

	(void)state;
	assert_int_equal(load(&p, "  - id: \"3\"\n    run:\n"
			      "      no-guest: \"kernel-prebuilt\"\n"
			      "      no-guest-arg: [\"kernel=um\", \"kernels=quick\", "
			      "\"prebuilt=uml-package\"]\n"
			      "      no-xref: \"no-xref-source\"\n"
			      "      no-xref-arg: [\"path=/usr/src/x\"]\n"
			      "      accel: \"tcg\"\n"), 0);
	e = plan_exercise(&p, "3");
	assert_non_null(e);
	assert_int_equal(e->no_guest.code, REASON_KERNEL_PREBUILT);
	assert_int_equal(e->no_xref.code, REASON_NO_XREF_SOURCE);
	assert_int_equal(e->no_build.code, REASON_NONE);
	assert_int_equal(e->accel, VM_ACCEL_TCG);
	en = reason_text(&e->no_guest, LANG_EN);
	assert_string_equal(en, "kernel 'um' is not built from source in this "
			    "build tree (LABKIT_KERNELS=quick): the prebuilt "
			    "uml-package kernel boots instead");
	free(en);
	plan_free(&p);
	assert_int_equal(load(&p, "  - id: \"3\"\n    run:\n"
			      "      no-guest: \"no-such-thing\"\n"
			      "      no-guest-arg: [\"a=b\"]\n"), -1);
	assert_non_null(strstr(events_last_error(), ":18:17: 'no-guest' is no reason"));
	assert_int_equal(load(&p, "  - id: \"3\"\n    run:\n"
			      "      no-build-arg: [\"a=b\"]\n"), -1);
	assert_non_null(strstr(events_last_error(), "'no-build-arg' without 'no-build'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uses_are_loaded),
		cmocka_unit_test(run_options_and_the_labs_modules),
		cmocka_unit_test(a_module_the_exercise_lacks_is_refused),
		cmocka_unit_test(reasons_are_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
