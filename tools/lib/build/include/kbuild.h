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
	bool distcc;           /* compile with distcc (behind ccache if on) */
	bool quiet;            /* do not stream the build's output */
	bool fresh;            /* start from the kernel's base config */
	const char *config;    /* base config target; NULL: the spec's */
	size_t nfragments;     /* more fragments, merged after the spec's */
	const char *const *fragments; /* (labkit's debug.config for a kernel
				  `debug: true`) */
};

/*
 * Runs the exercise's build steps in order, in the build dir `obj` (an
 * out-of-tree build of `src`: `make ...` there works as in a source tree).
 * With `fresh`, the kernel's base config comes first (`make <config>`,
 * unless a step has `stage: config` and makes it), then its fragments are
 * merged with scripts/kconfig/merge_config.sh and `make olddefconfig`, and
 * every requested option that did not survive is named.  The `build` stage
 * runs with -j<jobs>.  With `ccache`, compilers are ccache's masquerade
 * (/usr/lib/ccache first in PATH, paths hashed relative to the common
 * parent of src and obj); with `distcc`, compiles go to distcc: as
 * ccache's CCACHE_PREFIX when ccache is on, else through /usr/lib/distcc
 * first in PATH; DISTCC_HOSTS comes from the caller.  A step with `input` runs on a terminal and is
 * answered (menuconfig); a step's `host:` runs after it, in `obj` too.
 * `make install` finds labkit's own installkernel, which only copies into
 * INSTALL_PATH.  Each step's output, exit status, wall time and the CPU
 * time of the step and all it started (wait4) go to `out`, with
 * kernel.release (also written to obj/release, where `labkit run` reads
 * it).  Returns EXIT_OK, EXIT_CHECK_FAILED (a step failed) or EXIT_USAGE.
 */
int kbuild_run(const struct spec *spec, const struct kbuild_opts *o);

#endif
