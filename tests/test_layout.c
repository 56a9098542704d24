/* test_layout.c — the build tree's paths, spelled once (layout.c): each
 * as it has always been, in a build tree and relative to one. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "util.h"

/* Checks and frees a path a function made. */
#define assert_path(got, want)                                             \
	do {                                                               \
		char *got_ = (got);                                        \
		assert_string_equal(got_, want);                           \
		free(got_);                                                \
	} while (0)

static void tree_paths(void **state)
{
	(void)state;
	assert_path(layout_tree("/b", LAYOUT_ACCEL_CACHE), "/b/accel-probe.txt");
	assert_path(layout_tree("/b", LAYOUT_XREF_INDEX), "/b/xref/index");
	assert_path(layout_tree("/b", LAYOUT_SHARE), "/b/share");
	assert_path(layout_tree("/b", LAYOUT_DEBIAN), "/b/labkit/debian");
	assert_path(layout_tree("/b", LAYOUT_UML_PACKAGE), "/b/labkit/uml-package");
	assert_path(layout_tree("/b", LAYOUT_DEBS), "/b/labkit/debs");
	assert_path(layout_tree("/b", LAYOUT_BUSYBOX), "/b/labkit/busybox");
	assert_path(layout_tree("/b", LAYOUT_SOURCE), "/b/src");
	assert_path(layout_tree("/b", LAYOUT_GRADE), "/b/grade");
	assert_path(layout_tree(NULL, LAYOUT_XREF_INDEX), "xref/index");
}

/* A lab's paths, under labkit/<lab>/ and <lab>/; relative without a
 * build tree. */
static void lab_paths(void **state)
{
	(void)state;
	assert_path(layout_lab_work("/b", "lab2"), "/b/labkit/lab2");
	assert_path(layout_grade_plan("/b", "lab2"), "/b/labkit/lab2/grade-plan.yaml");
	assert_path(layout_configured("/b", "lab2"), "/b/labkit/lab2/configured.yaml");
	assert_path(layout_kernel_dir("/b", "lab2", "um"), "/b/labkit/lab2/kernels/um");
	assert_path(layout_module_dir("/b", "lab2", "m"), "/b/labkit/lab2/modules/m");
	assert_path(layout_module_ko("/b", "lab2", "m"), "/b/labkit/lab2/modules/m/m.ko");
	assert_path(layout_rootfs_dir("/b", "lab2", "bb"), "/b/labkit/lab2/rootfs/bb");
	assert_path(layout_rootfs_for_kernel("/b", "lab2", "bb", "x86_64"),
		    "/b/labkit/lab2/rootfs/bb-x86_64");
	assert_path(layout_workbench_dir("/b", "lab2", "shell", "3"),
		    "/b/labkit/lab2/shell/3");
	assert_path(layout_results_dir("/b", "lab2"), "/b/lab2");
	assert_path(layout_saved_dir("/b", "lab2", "3"), "/b/lab2/.saved/3");
	assert_path(layout_saved_boot("/b/lab2/.saved/3"), "/b/lab2/.saved/3/boot");
	assert_path(layout_module_ko(NULL, "lab2", "m"), "labkit/lab2/modules/m/m.ko");
	assert_path(layout_results_dir(NULL, "lab2"), "lab2");
}

/* A kernel's build results, its stage, the installed kernel in it and
 * back. */
static void kernel_paths(void **state)
{
	(void)state;
	assert_path(layout_build_results("/k", "4"), "/k/build-results-4.yaml");
	assert_path(layout_kernel_stage("/k"), "/k.stage");
	assert_path(layout_kernel_installed("/k"), "/k.stage/boot");
	assert_path(layout_kernel_installed(""), ".stage/boot");
	assert_path(layout_installed_build("/k.stage/boot"), "/k");
	assert_null(layout_installed_build("/k"));
	assert_null(layout_installed_build(".stage/boot"));
}

/* A run's files and a grading's. */
static void run_and_grade_paths(void **state)
{
	(void)state;
	assert_path(layout_exercise_dir("/b/lab2", "3"), "/b/lab2/3");
	assert_path(layout_exercise_results("/b/lab2", "3"), "/b/lab2/3/results.yaml");
	assert_path(layout_file("/o", LAYOUT_TRANSCRIPT), "/o/transcript.log");
	assert_path(layout_file("/o", LAYOUT_INPUTS), "/o/inputs.txt");
	assert_path(layout_console_transcript("/o", "ttyS2"), "/o/transcript-ttyS2.log");
	assert_path(layout_disk_image("/o", "data"), "/o/disk-data.img");
	assert_path(layout_student_dir("/g", "alice"), "/g/students/alice");
	assert_path(layout_student_build("/g/students/alice", "m"),
		    "/g/students/alice/build/m");
	assert_path(layout_student_rootfs("/g/students/alice", "3"),
		    "/g/students/alice/rootfs/3");
}

/* Every file has a name, none twice. */
static void every_file_named_once(void **state)
{
	(void)state;
	for (int i = 0; i < LAYOUT_FILE_COUNT; i++) {
		const char *n = layout_name((enum layout_file)i);

		assert_non_null(n);
		assert_string_not_equal(n, "?");
		for (int j = 0; j < i; j++)
			assert_string_not_equal(n, layout_name((enum layout_file)j));
	}
	assert_string_equal(layout_name(LAYOUT_FILE_COUNT), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tree_paths),
		cmocka_unit_test(lab_paths),
		cmocka_unit_test(kernel_paths),
		cmocka_unit_test(run_and_grade_paths),
		cmocka_unit_test(every_file_named_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
