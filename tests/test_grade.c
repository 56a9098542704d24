/* test_grade.c — what `labkit grade` refuses before grading anyone: an
 * exercise whose guest is a process of the host (UML), where a student's
 * module would run as host code. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "events.h"
#include "grade.h"
#include "spec.h"
#include "util.h"

static char *tmp;

static int make_tmp(void **state)
{
	char tmpl[] = "/tmp/labkit-grade-XXXXXX";

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	tmp = xstrdup(tmpl);
	return 0;
}

static int remove_tmp(void **state)
{
	(void)state;
	assert_int_equal(fs_remove_tree(tmp), 0);
	free(tmp);
	return 0;
}

static void spit(const char *path, const char *text)
{
	char *dir = xstrdup(path);

	*strrchr(dir, '/') = '\0';
	assert_int_equal(fs_mkdirs(dir, 0755), 0);
	assert_int_equal(fs_write_atomic(path, text, strlen(text)), 0);
	free(dir);
}

/* A UML exercise that takes a module is refused, named, before a
 * submission is built or a guest booted. */
static void uml_module_exercise_is_refused(void **state)
{
	char *spec_path = xasprintf("%s/labs.yaml", tmp);
	char *plan = xasprintf("%s/build/labkit/um/grade-plan.yaml", tmp);
	char *sub = xasprintf("%s/class/ania", tmp);
	char *yaml = xasprintf(
		"labkit: 1\nlab: {id: um, title: t}\n"
		"kernels:\n  uml: {arch: um, from: uml-package}\n"
		"modules:\n  trivial: {path: %s/modules/trivial, kernel: uml}\n"
		"rootfs:\n  bb: {hostname: h, modules: [trivial]}\n"
		"exercises:\n  - id: '1'\n    title: t\n    module: trivial\n"
		"    guest: {kernel: uml, rootfs: bb, boot: disk, timeout: 60}\n"
		"    steps:\n      - id: '1.1'\n        kind: guest\n"
		"        question: q\n        run: insmod ${module.file}\n"
		"        expect:\n          - match: 'x'\n            in: kernel\n",
		getenv("LABKIT_SOURCE_DIR"));
	char *plan_text = xasprintf(
		"labkit-grade-plan: 1\nlab: um\nspec: \"%s\"\nexercises:\n"
		"  - id: \"1\"\n    run:\n      kernel-dir: \"%s/k\"\n"
		"      rootfs-dir: \"%s/r\"\n    modules:\n"
		"      - id: \"trivial\"\n        headers: \"/usr/src\"\n",
		spec_path, tmp, tmp);
	char *build = xasprintf("%s/build", tmp);
	char *out = xasprintf("%s/out", tmp);
	const char *subs[] = { sub };
	const char *ex[] = { "1" };
	struct grade_opts o = {
		.build_dir = build, .out_dir = out, .submissions = subs,
		.nsubmissions = 1, .exercises = ex, .nexercises = 1, .jobs = 1,
		.lang = LANG_EN,
	};
	struct spec *spec;

	(void)state;
	spit(spec_path, yaml);
	spit(plan, plan_text);
	assert_int_equal(fs_mkdirs(sub, 0755), 0);
	spec = spec_load(spec_path);
	assert_non_null(spec);
	assert_int_equal(grade_class(spec, &o), EXIT_USAGE);
	assert_non_null(strstr(events_last_error(),
		"exercise '1' boots a um guest, whose kernel is a process of this machine"));
	assert_int_equal(access(out, F_OK), -1);   /* nothing graded */
	spec_free(spec);
	free(out);
	free(build);
	free(plan_text);
	free(yaml);
	free(sub);
	free(plan);
	free(spec_path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uml_module_exercise_is_refused),
	};

	return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
