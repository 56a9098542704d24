/* grade.h — `labkit grade`: a class's submissions graded, one table. */
#ifndef LABKIT_GRADE_H
#define LABKIT_GRADE_H

#include <stdbool.h>
#include <stddef.h>

#include "spec.h"

struct grade_opts {
	const char *build_dir;       /* the lab's configured and built tree:
					<build>/labkit/<lab>/grade-plan.yaml */
	const char *out_dir;         /* the grading: grade.yaml, students/,
					summary.csv, summary.html */
	size_t nexercises;
	const char *const *exercises;/* none: each exercise with a module */
	size_t nsubmissions;
	const char *const *submissions; /* directories, one per student */
	const char *class_dir;       /* or NULL: each directory in it is a
					submission too */
	int jobs;                    /* students at once; <= 0: the cores */
	unsigned shard, nshards;     /* grade share `shard` (1-based) of
					`nshards`; 0/0: all */
	bool unsandboxed;            /* build without a sandbox when none can
					be set up (the summary says so) */
	bool retry;                  /* grade only those of out_dir not graded
					yet (the grader failed, or never) */
	const char *lang;            /* the students' reports' */
};

/*
 * Grades each submission (student.h) into <out>/students/<name>/,
 * o->jobs at a time, each in a process of its own, then writes the class
 * table (summary.h).  The submissions are taken in name order; with a
 * shard, the i-th of them (from 0) when i % nshards == shard - 1, so
 * shards given the same submissions split them whole and evenly.
 * Refuses (EXIT_USAGE, nothing graded): a build tree not configured for
 * this spec or not built, an exercise that builds a kernel (the lab's
 * own work, not a submission's) or takes no module, two submissions of
 * one name, a name that cannot be a directory, no sandbox without
 * --unsandboxed.  A signal stops the students in progress (their guests
 * and sandboxes killed) and returns EXIT_INTERNAL.  Else EXIT_NOT_GRADED
 * when a student of out_dir could not be graded (a failure of the
 * grader, not the student's: summary.csv says why, --retry grades them
 * again), EXIT_OK when every student passed every step,
 * EXIT_CHECK_FAILED when not.
 */
int grade_class(const struct spec *spec, const struct grade_opts *o);

/* The class table again from <out>'s saved results, judged against
 * `spec` as it is now (no guest runs): as summary_write(). */
int grade_summary(const struct spec *spec, const char *out_dir);

#endif
