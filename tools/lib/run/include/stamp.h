/* stamp.h — what a run was made from, to tell when its results are current. */
#ifndef LABKIT_STAMP_H
#define LABKIT_STAMP_H

#include <stdbool.h>

#include "run.h"
#include "spec.h"
#include "util.h"

/*
 * The inputs of a run of `o` as text: labkit itself, the spec, the
 * options that say what the guest boots, and every file it reads (the
 * kernel directory's files, the root file system's, the modules, the
 * build results, the index), each by path, size and modification time.
 */
void stamp_inputs(const struct spec *spec, const struct run_opts *o,
		  struct sb *out);
/* "<what> <path> <size> <mtime>\n" of a file, or "<what> <path>
 * missing\n", into `out`: how a stamp (or a saved guest's key) names one. */
void stamp_add_file(struct sb *out, const char *what, const char *path);
/* True when <out_dir>/inputs.txt holds exactly `stamp`. */
bool stamp_matches(const char *out_dir, const char *stamp);
/* Writes `stamp` as <out_dir>/inputs.txt (atomically); NULL removes it. */
int stamp_save(const char *out_dir, const char *stamp);

#endif
