/* gen.h — the CMake a spec turns into (build/labkit-gen/<stem>-<hash>.cmake). */
#ifndef LABKIT_GEN_H
#define LABKIT_GEN_H

#include "spec.h"
#include "util.h"

/* Appends the CMake for `spec` to `out`: calls of the functions in
 * cmake/LabKit.cmake, one per kernel, module, rootfs and exercise. */
void gen_cmake(const struct spec *spec, struct sb *out);

/* Generates and writes `path` atomically.  0 or -1 with a message. */
int gen_cmake_file(const struct spec *spec, const char *path);

#endif
