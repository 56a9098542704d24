/*
 * layout.h — where labkit's artifacts are: the one owner of the paths of
 * a build tree (labkit/<lab>/..., <lab>/<ex>/..., accel-probe.txt, ...)
 * and of the names of the files in a run's, a root file system's, a
 * kernel's, a report's and a grading's directory (layout.c).  C code asks
 * here; CMake gets the paths it needs from `labkit spec` (gen.c), which
 * asks here too; docs/architecture.md draws the tree.
 *
 * Every function returns a new string (the caller frees).  `build` is the
 * build tree; NULL gives the path relative to it.
 */
#ifndef LABKIT_LAYOUT_H
#define LABKIT_LAYOUT_H

/* ---- the build tree ---- */

/* What the labs of one build tree share, one file or directory each. */
enum layout_tree {
	LAYOUT_ACCEL_CACHE,      /* accel-probe.txt: the KVM verdict */
	LAYOUT_XREF_INDEX,       /* xref/index: the cross-referencer's */
	LAYOUT_SHARE,            /* share/: the guest's /mnt/share (labkit
				    shell, labkit gdb) */
	LAYOUT_DEBIAN,           /* labkit/debian/: Debian's kernels, one
				    directory per release */
	LAYOUT_UML_PACKAGE,      /* labkit/uml-package/: Debian's UML */
	LAYOUT_DEBS,             /* labkit/debs/: a kernel package
				    downloaded */
	LAYOUT_BUSYBOX,          /* labkit/busybox/: <deb arch>/busybox,
				    the busybox of guests whose user space
				    is another arch's (arm64) */
	LAYOUT_SOURCE,           /* src/: the kernel source, unpacked */
	LAYOUT_GRADE,            /* grade/: the target <lab>.grade's
				    grading */
	LAYOUT_TREE_COUNT,
};

char *layout_tree(const char *build, enum layout_tree what);

/* labkit/<lab>: what the lab builds (kernels/, modules/, rootfs/), its
 * grading plan, the workbench's sessions. */
char *layout_lab_work(const char *build, const char *lab);
/* labkit/<lab>/grade-plan.yaml: what grading and the workbench need of
 * the build tree (`labkit spec --plan` writes it, grade/plan.c reads). */
char *layout_grade_plan(const char *build, const char *lab);
/* labkit/<lab>/configured.yaml: what the configure found, for the plan
 * (CMake writes it, gen/gen_plan.c reads). */
char *layout_configured(const char *build, const char *lab);
/* labkit/<lab>/kernels/<id>: a kernel built from source (its O= tree). */
char *layout_kernel_dir(const char *build, const char *lab, const char *id);
/* labkit/<lab>/modules/<id>, and the module there: <id>/<id>.ko. */
char *layout_module_dir(const char *build, const char *lab, const char *id);
char *layout_module_ko(const char *build, const char *lab, const char *id);
/* labkit/<lab>/rootfs/<id>: a root file system; <id>-<kernel>: the one
 * for booting a kernel the lab built and installed. */
char *layout_rootfs_dir(const char *build, const char *lab, const char *id);
char *layout_rootfs_for_kernel(const char *build, const char *lab,
			       const char *id, const char *kernel);
/* labkit/<lab>/<tool>/<ex>: a `labkit shell` or `labkit gdb` session's
 * files (tool "shell", "gdb"). */
char *layout_workbench_dir(const char *build, const char *lab,
			   const char *tool, const char *ex);
/* <lab>: the lab's results and its report. */
char *layout_results_dir(const char *build, const char *lab);
/* <lab>/.saved/<ex>: the guest exercise <ex> saves booted (saved.c owns
 * what is inside), and <that>/boot, the saving run's own directory. */
char *layout_saved_dir(const char *build, const char *lab, const char *ex);
char *layout_saved_boot(const char *saved_dir);

/* ---- a kernel's directory ---- */

/* <kernel dir>/build-results-<ex>.yaml: exercise <ex>'s build of it. */
char *layout_build_results(const char *kernel_dir, const char *ex);
/* <kernel dir>.stage: where its build installs (modules_install,
 * install); <kernel dir>.stage/boot: the installed kernel, which a guest
 * `use: installed` boots ("" gives that suffix alone). */
char *layout_kernel_stage(const char *kernel_dir);
char *layout_kernel_installed(const char *kernel_dir);
/* The kernel directory whose installed kernel `dir` is, or NULL. */
char *layout_installed_build(const char *dir);

/* ---- a run's directory, and a grading's ---- */

/* <dir>/<ex>: an exercise's run in a lab's results (<lab>/) or in a
 * student's directory; <dir>/<ex>/results.yaml, its results. */
char *layout_exercise_dir(const char *dir, const char *ex);
char *layout_exercise_results(const char *dir, const char *ex);
/* <dir>/transcript-<console>.log: an extra console's transcript;
 * <dir>/disk-<name>.img: an extra disk, made afresh each run. */
char *layout_console_transcript(const char *dir, const char *console);
char *layout_disk_image(const char *dir, const char *name);
/* <grade>/students/<name>: a student's grading; in it build/<module>
 * (the sandboxed build) and rootfs/<ex> (the lab's image with the
 * student's modules). */
char *layout_student_dir(const char *grade_dir, const char *name);
char *layout_student_build(const char *student_dir, const char *module);
char *layout_student_rootfs(const char *student_dir, const char *ex);

/* The files of labkit's directories, each in the one directory said. */
enum layout_file {
	/* a run's directory (<lab>/<ex>/, a session's, a student's <ex>/) */
	LAYOUT_RESULTS,          /* results.yaml */
	LAYOUT_TRANSCRIPT,       /* transcript.log: the shell's line */
	LAYOUT_KERNEL_LOG,       /* kernel.log: the kernel's console */
	LAYOUT_GUEST_PID,        /* guest.pid: the guest's process group */
	LAYOUT_INPUTS,           /* inputs.txt: the --reuse stamp (stamp.c) */
	LAYOUT_COW,              /* rootfs.cow: a UML disk's writes */
	LAYOUT_PAYLOAD_IMG,      /* payload.img: a restored guest's payload
				    disk (saved.c) */
	/* a root file system's (cmake/rootfs.cmake writes them) */
	LAYOUT_INITRAMFS,        /* initramfs.cpio = base + payload */
	LAYOUT_BASE_CPIO,        /* base.cpio: what a saved guest booted */
	LAYOUT_PAYLOAD_CPIO,     /* payload.cpio: the lab's part */
	LAYOUT_OVERLAY_CPIO,     /* overlay.cpio: a student's modules */
	LAYOUT_ROOTFS_EXT4,      /* rootfs.ext4 */
	LAYOUT_ROOTFS_YAML,      /* rootfs.yaml: login, prompt, power-off */
	/* a kernel's (its build, or cmake/debian-kernel.cmake) */
	LAYOUT_RELEASE,          /* release: its `uname -r` */
	/* a report's (<lab>/, a student's) */
	LAYOUT_REPORT_MD,        /* report.md */
	LAYOUT_REPORT_HTML,      /* report.html */
	LAYOUT_TIME_SVG,         /* time.svg */
	LAYOUT_REPORT_OUT,       /* out/: each step's output */
	/* a grading's */
	LAYOUT_GRADE_YAML,       /* grade.yaml */
	LAYOUT_SUMMARY_CSV,      /* summary.csv */
	LAYOUT_SUMMARY_HTML,     /* summary.html */
	LAYOUT_STUDENTS,         /* students/ */
	/* a student's */
	LAYOUT_GRADE_LOG,        /* grade.log */
	LAYOUT_JUNIT,            /* junit.xml */
	LAYOUT_BUILD_LOG,        /* build.log: in build/<module>/, its
				    sandboxed build's (modbuild.c) */
	LAYOUT_FILE_COUNT,
};

/* The file's name ("results.yaml"). */
const char *layout_name(enum layout_file f);
/* <dir>/<its name>. */
char *layout_file(const char *dir, enum layout_file f);

#endif
