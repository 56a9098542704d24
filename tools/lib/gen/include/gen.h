/* gen.h — the CMake a spec turns into (build/labkit-gen/<stem>-<hash>.cmake),
 * and a build tree's grading plan (labkit/<lab>/grade-plan.yaml). */
#ifndef LABKIT_GEN_H
#define LABKIT_GEN_H

#include "spec.h"
#include "util.h"

/* Appends the CMake for `spec` to `out`: calls of the functions in
 * cmake/LabKit.cmake, one per kernel, module, rootfs and exercise. */
void gen_cmake(const struct spec *spec, struct sb *out);

/* Generates and writes `path` atomically.  0 or -1 with a message. */
int gen_cmake_file(const struct spec *spec, const char *path);

/*
 * The grading plan of build tree `build_dir` (gen_plan.c), appended to
 * `out`: the spec, layout.h's paths and what the tree's configure found,
 * <build>/labkit/<lab>/configured.yaml (CMake writes it).  0, or -1 with
 * a message (no such file: configure again).
 */
int gen_plan(const struct spec *spec, const char *build_dir, struct sb *out);
/* Writes it to <build>/labkit/<lab>/grade-plan.yaml, atomically, when it
 * changed.  0 or -1 with a message. */
int gen_plan_file(const struct spec *spec, const char *build_dir);

#endif
