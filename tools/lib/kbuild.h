/* kbuild.h — build a kernel from source the lab's way, timed. */
#ifndef LABKIT_KBUILD_H
#define LABKIT_KBUILD_H

#include <stdbool.h>

#include "spec.h"

struct kbuild_opts {
	const char *exercise;  /* whose `kind: build` steps make the kernel */
	const char *src;       /* the unpacked kernel source tree */
	const char *obj;       /* the out-of-tree build dir (O=) */
	const char *out;       /* results.yaml of the build */
	int jobs;              /* make -j */
	bool ccache;           /* put /usr/lib/ccache first in PATH */
	bool quiet;            /* do not stream the build's output */
};

/*
 * Runs the exercise's build steps with a `stage` in order (config, then
 * build), in `src` with KBUILD_OUTPUT=obj; after the config stage merges
 * the kernel's config fragments with scripts/kconfig/merge_config.sh and
 * names every requested option that did not survive.  Each step's output,
 * exit status, wall time and the CPU time of the step and all it started
 * (wait4) go to `out`, as do kernel.release (also written to obj/release,
 * where `labkit run` looks for it) and the options dropped.
 * Returns EXIT_OK, EXIT_CHECK_FAILED (a step failed) or EXIT_USAGE.
 */
int kbuild_run(const struct spec *spec, const struct kbuild_opts *o);

#endif
