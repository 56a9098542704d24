/* gen_int.h — what gen.c (the CMake) and gen_plan.c (the grading plan)
 * both decide of an exercise, so that the two say the same; private to
 * tools/lib/gen/ and its unit tests. */
#ifndef LABKIT_GEN_INT_H
#define LABKIT_GEN_INT_H

#include <stdbool.h>

#include "spec.h"

/* The exercise whose saved guest exercise `ex`'s starts from (the first
 * with the same kernel, root file system and arguments, when its guest
 * kind can be saved and nothing of it keeps it from that), or NULL. */
const char *gen_saved_guest(const struct spec *spec,
			    const struct spec_exercise *ex);
/* Has the exercise build steps (a `stage:`), which build its kernel? */
bool gen_builds_kernel(const struct spec_exercise *ex);
/* Has it lxr steps, which need the cross-reference index? */
bool gen_uses_xref(const struct spec_exercise *ex);

#endif
