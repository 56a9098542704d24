/* plan.h — what grading needs of a lab's build tree: grade-plan.yaml. */
#ifndef LABKIT_PLAN_H
#define LABKIT_PLAN_H

#include <stddef.h>

#include "reason.h"
#include "vm.h"
#include "run.h"

/*
 * <build>/labkit/<lab>/grade-plan.yaml, which `labkit spec --plan` writes
 * when the lab is configured (gen/gen_plan.c): per exercise, the options its `labkit run`
 * gets there (the kernel, the root file system, the accelerator, ...)
 * and, for each module a submission replaces, the kernel headers it is
 * built against and the modules of the exercise it uses (the spec's
 * `uses`: built first, their Module.symvers given to its build).
 */
struct plan_module {
	char *id;
	char *headers;
	char *ko;                /* the lab's own build of it, or NULL */
	char *arch;              /* its kernel's arch (vm.c's row), or NULL */
	size_t nuses;
	char **uses;             /* ids of other modules of the exercise */
};

struct plan_exercise {
	char *id;
	char *kernel_dir, *kernel_image, *rootfs_dir;
	char *build_results, *xref_index;
	struct reason no_build, no_guest, no_xref; /* REASON_NONE: none */
	enum vm_accel accel;     /* AUTO when the plan names none */
	char *accel_cache;
	char *saved_dir;         /* where its guest is saved booted, or NULL */
	size_t nmodules;
	struct plan_module *modules;
};

struct plan {
	char *path;
	char *lab;
	char *spec;              /* the spec the build tree was configured with */
	size_t nexercises;
	struct plan_exercise *exercises;
};

/* Loads `path`.  0, or -1 with a "path:line:col: error:" message (a
 * missing file: configure and build the lab first). */
int plan_load(struct plan *p, const char *path);
const struct plan_exercise *plan_exercise(const struct plan *p,
					  const char *id);
void plan_free(struct plan *p);

/*
 * The options of exercise pe's `labkit run` as the plan has them, into
 * `o` (pointing into `pe`; the output is the caller's), and with
 * `modules` the lab's own modules as "<id>=<ko>" in *modules, NULL-ended
 * (the strings and the array are the caller's to free).
 */
void plan_run_opts(const struct plan_exercise *pe, struct run_opts *o,
		   char ***modules);

#endif
