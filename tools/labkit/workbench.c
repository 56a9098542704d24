/*
 * workbench.c — where `labkit shell` and `labkit gdb` find the guest an
 * exercise boots: given on the command line as `labkit run` takes it, or
 * else the build tree's grading plan, which says what each exercise's run
 * gets there (the targets <lab>.<ex>.shell and .gdb take it from there);
 * and where the session's files (layout.h's) and the shared directory
 * go.  Fails with a message
 * (a build tree not configured, an exercise it does not have).
 */
#include "workbench.h"
#include "layout.h"
#include "util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* What the exercise's run gets in the build tree. */
static int from_plan(struct workbench *w, const struct spec *spec,
		     struct run_opts *o)
{
	char *path = layout_grade_plan(w->build_dir, spec->lab_id);
	const struct plan_exercise *pe;
	int rc = -1;

	if (plan_load(&w->plan, path) < 0) {
		error("'%s' has no plan of lab '%s': configure and build it "
		      "first (cmake -S . -B %s), or give --build-dir",
		      w->build_dir, spec->lab_id, w->build_dir);
		goto out;
	}
	w->have_plan = true;
	pe = plan_exercise(&w->plan, o->exercise);
	if (!pe) {
		error("exercise '%s' is not in '%s'", o->exercise, path);
		goto out;
	}
	plan_run_opts(pe, o, &w->plan_modules);
	rc = 0;
out:
	free(path);
	return rc;
}

/* The shared directory: made when missing, named absolutely (QEMU and
 * UML resolve it from elsewhere). */
static int share_dir(struct workbench *w, struct run_workbench *wb)
{
	char *dir = w->share ? xstrdup(w->share) :
		    layout_tree(w->build_dir, LAYOUT_SHARE);
	char real[PATH_MAX];

	if (fs_mkdirs(dir, 0755) < 0 || !realpath(dir, real)) {
		error("cannot make '%s': %m", dir);
		free(dir);
		return -1;
	}
	free(dir);
	w->share_dir = xstrdup(real);
	wb->share = w->share_dir;
	return 0;
}

int workbench_setup(struct workbench *w, const struct spec *spec,
		    const char *tool, struct run_opts *o,
		    struct run_workbench *wb)
{
	if (!o->kernel_dir && from_plan(w, spec, o) < 0)
		return -1;
	if (w->modules.n) {      /* given: they replace the plan's */
		o->modules = w->modules.v;
		o->nmodules = w->modules.n;
	}
	if (!o->out_dir) {
		w->out = layout_workbench_dir(w->build_dir, spec->lab_id, tool,
					      o->exercise);
		o->out_dir = w->out;
	}
	if (!w->no_share && share_dir(w, wb) < 0)
		return -1;
	o->wb = wb;
	return 0;
}

void workbench_free(struct workbench *w)
{
	if (w->have_plan)
		plan_free(&w->plan);
	for (char **m = w->plan_modules; m && *m; m++)
		free(*m);
	free(w->plan_modules);
	free(w->modules.v);
	free(w->out);
	free(w->share_dir);
}
