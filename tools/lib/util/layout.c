/*
 * layout.c — where labkit's artifacts are (layout.h): every path of a
 * build tree, and the names of the files in labkit's directories, spelled
 * here once.  CMake spells none of the build tree's paths but what it
 * needs before `labkit spec` runs and the files its own scripts write
 * (cmake/LabKit.cmake says which).
 *
 * Cannot fail (allocation dies).
 */
#include "layout.h"
#include "alloc.h"
#include "sb.h"

#include <stdarg.h>
#include <string.h>

/* Where a kernel built here is installed, and its installed kernel: the
 * kernel directory with these after it. */
#define STAGE ".stage"
#define INSTALLED STAGE "/boot"

static const char *const tree_paths[LAYOUT_TREE_COUNT] = {
	[LAYOUT_ACCEL_CACHE] = "accel-probe.txt",
	[LAYOUT_XREF_INDEX] = "xref/index",
	[LAYOUT_SHARE] = "share",
	[LAYOUT_DEBIAN] = "labkit/debian",
	[LAYOUT_UML_PACKAGE] = "labkit/uml-package",
	[LAYOUT_DEBS] = "labkit/debs",
	[LAYOUT_BUSYBOX] = "labkit/busybox",
	[LAYOUT_SOURCE] = "src",
	[LAYOUT_GRADE] = "grade",
};

static const char *const file_names[LAYOUT_FILE_COUNT] = {
	[LAYOUT_RESULTS] = "results.yaml",
	[LAYOUT_TRANSCRIPT] = "transcript.log",
	[LAYOUT_KERNEL_LOG] = "kernel.log",
	[LAYOUT_GUEST_PID] = "guest.pid",
	[LAYOUT_INPUTS] = "inputs.txt",
	[LAYOUT_COW] = "rootfs.cow",
	[LAYOUT_PAYLOAD_IMG] = "payload.img",
	[LAYOUT_INITRAMFS] = "initramfs.cpio",
	[LAYOUT_BASE_CPIO] = "base.cpio",
	[LAYOUT_PAYLOAD_CPIO] = "payload.cpio",
	[LAYOUT_OVERLAY_CPIO] = "overlay.cpio",
	[LAYOUT_ROOTFS_EXT4] = "rootfs.ext4",
	[LAYOUT_ROOTFS_YAML] = "rootfs.yaml",
	[LAYOUT_RELEASE] = "release",
	[LAYOUT_REPORT_MD] = "report.md",
	[LAYOUT_REPORT_HTML] = "report.html",
	[LAYOUT_TIME_SVG] = "time.svg",
	[LAYOUT_REPORT_OUT] = "out",
	[LAYOUT_GRADE_YAML] = "grade.yaml",
	[LAYOUT_SUMMARY_CSV] = "summary.csv",
	[LAYOUT_SUMMARY_HTML] = "summary.html",
	[LAYOUT_STUDENTS] = "students",
	[LAYOUT_GRADE_LOG] = "grade.log",
	[LAYOUT_JUNIT] = "junit.xml",
	[LAYOUT_BUILD_LOG] = "build.log",
};

/* <build>/<fmt ...>, or <fmt ...> alone when build is NULL. */
static char *in_tree(const char *build, const char *fmt, ...)
	PRINTF_LIKE(2, 3);
static char *in_tree(const char *build, const char *fmt, ...)
{
	struct sb sb;
	va_list ap;

	sb_init(&sb);
	if (build)
		sb_addf(&sb, "%s/", build);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	return sb_detach(&sb, NULL);
}

char *layout_tree(const char *build, enum layout_tree what)
{
	return in_tree(build, "%s", (unsigned)what < LAYOUT_TREE_COUNT ?
		       tree_paths[what] : "?");
}

char *layout_lab_work(const char *build, const char *lab)
{
	return in_tree(build, "labkit/%s", lab);
}

char *layout_grade_plan(const char *build, const char *lab)
{
	return in_tree(build, "labkit/%s/grade-plan.yaml", lab);
}

char *layout_configured(const char *build, const char *lab)
{
	return in_tree(build, "labkit/%s/configured.yaml", lab);
}

char *layout_kernel_dir(const char *build, const char *lab, const char *id)
{
	return in_tree(build, "labkit/%s/kernels/%s", lab, id);
}

char *layout_module_dir(const char *build, const char *lab, const char *id)
{
	return in_tree(build, "labkit/%s/modules/%s", lab, id);
}

char *layout_module_ko(const char *build, const char *lab, const char *id)
{
	return in_tree(build, "labkit/%s/modules/%s/%s.ko", lab, id, id);
}

char *layout_rootfs_dir(const char *build, const char *lab, const char *id)
{
	return in_tree(build, "labkit/%s/rootfs/%s", lab, id);
}

char *layout_rootfs_for_kernel(const char *build, const char *lab,
			       const char *id, const char *kernel)
{
	return in_tree(build, "labkit/%s/rootfs/%s-%s", lab, id, kernel);
}

char *layout_workbench_dir(const char *build, const char *lab,
			   const char *tool, const char *ex)
{
	return in_tree(build, "labkit/%s/%s/%s", lab, tool, ex);
}

char *layout_results_dir(const char *build, const char *lab)
{
	return in_tree(build, "%s", lab);
}

char *layout_saved_dir(const char *build, const char *lab, const char *ex)
{
	return in_tree(build, "%s/.saved/%s", lab, ex);
}

char *layout_saved_boot(const char *saved_dir)
{
	return xasprintf("%s/boot", saved_dir);
}

char *layout_build_results(const char *kernel_dir, const char *ex)
{
	return xasprintf("%s/build-results-%s.yaml", kernel_dir, ex);
}

char *layout_kernel_stage(const char *kernel_dir)
{
	return xasprintf("%s" STAGE, kernel_dir);
}

char *layout_kernel_installed(const char *kernel_dir)
{
	return xasprintf("%s" INSTALLED, kernel_dir);
}

char *layout_installed_build(const char *dir)
{
	size_t n = strlen(dir), tail = strlen(INSTALLED);

	if (n <= tail || strcmp(dir + n - tail, INSTALLED))
		return NULL;
	return xstrndup(dir, n - tail);
}

char *layout_exercise_dir(const char *dir, const char *ex)
{
	return xasprintf("%s/%s", dir, ex);
}

char *layout_exercise_results(const char *dir, const char *ex)
{
	return xasprintf("%s/%s/%s", dir, ex, file_names[LAYOUT_RESULTS]);
}

char *layout_console_transcript(const char *dir, const char *console)
{
	return xasprintf("%s/transcript-%s.log", dir, console);
}

char *layout_disk_image(const char *dir, const char *name)
{
	return xasprintf("%s/disk-%s.img", dir, name);
}

char *layout_student_dir(const char *grade_dir, const char *name)
{
	return xasprintf("%s/%s/%s", grade_dir, file_names[LAYOUT_STUDENTS],
			 name);
}

char *layout_student_build(const char *student_dir, const char *module)
{
	return xasprintf("%s/build/%s", student_dir, module);
}

char *layout_student_rootfs(const char *student_dir, const char *ex)
{
	return xasprintf("%s/rootfs/%s", student_dir, ex);
}

const char *layout_name(enum layout_file f)
{
	return (unsigned)f < LAYOUT_FILE_COUNT ? file_names[f] : "?";
}

char *layout_file(const char *dir, enum layout_file f)
{
	return xasprintf("%s/%s", dir, layout_name(f));
}
