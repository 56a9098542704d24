/* workbench.h — what `labkit shell` and `labkit gdb` (cmd_shell.c,
 * cmd_gdb.c) share: where an exercise's guest comes from, when the
 * command line does not say, and where the session's files go. */
#ifndef LABKIT_WORKBENCH_H
#define LABKIT_WORKBENCH_H

#include <stdbool.h>

#include "opt.h"
#include "plan.h"
#include "run.h"
#include "spec.h"

struct workbench {
	const char *build_dir;   /* the lab's build tree (default "build") */
	const char *share;       /* --share, or NULL */
	bool no_share;           /* --no-share */
	struct opt_list modules; /* --module */
	struct plan plan;        /* the build tree's, when it was needed */
	bool have_plan;
	char **plan_modules;
	char *out;               /* made: the session's directory */
	char *share_dir;         /* made: the shared directory, absolute */
};

/*
 * Fills in what `o` lacks for a session of `tool` ("shell", "gdb") on
 * exercise o->exercise: without --kernel-dir, everything its run gets in
 * the build tree (labkit/<lab>/grade-plan.yaml); the output directory
 * <build>/labkit/<lab>/<tool>/<exercise>; the shared directory (made,
 * <build>/share unless --share, none with --no-share) into wb->share.
 * 0, or -1 with a message.
 */
int workbench_setup(struct workbench *w, const struct spec *spec,
		    const char *tool, struct run_opts *o,
		    struct run_workbench *wb);
void workbench_free(struct workbench *w);

#endif
