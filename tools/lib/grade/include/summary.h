/* summary.h — a graded class as one table, made from a grading
 * directory's saved results only (no guest): summary.csv for a gradebook
 * and summary.html, and the shards of one grading merged into one.
 *
 *     <grade>/grade.yaml                             the grading's facts
 *     <grade>/students/<student>/<exercise>/results.yaml
 *     <grade>/students/<student>/report.html ...     the student's report
 *     <grade>/summary.csv, <grade>/summary.html      written here
 */
#ifndef LABKIT_SUMMARY_H
#define LABKIT_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>

#include "spec.h"

struct sb;

/*
 * A grading's own facts, <grade>/grade.yaml, which `labkit grade` writes:
 *
 *     labkit-grade: 1
 *     lab: lab2
 *     exercises: ["3"]
 */
struct summary_grade {
	char *lab;
	size_t nexercises;
	char **exercises;        /* the exercises graded, in spec order */
};

/* Reads `path`; with `spec` (may be NULL), also checks that the lab is
 * the spec's and that every exercise is in it.  Keys it does not know
 * are ignored.  0, or -1 with a "path:line:col: error:" message. */
int summary_grade_load(struct summary_grade *g, const char *path,
		       const struct spec *spec);
/* Writes `g` to `path` atomically, in the form above.  0, or -1 with a
 * message. */
int summary_grade_write(const struct summary_grade *g, const char *path);
void summary_grade_free(struct summary_grade *g);

/* Is `name` a student's directory name: bytes [A-Za-z0-9._-], not
 * starting with '.'? */
bool summary_student_name_ok(const char *name);

/*
 * Reads <grade_dir>/grade.yaml and every students/<name>/ (bytewise
 * order), judges each step of the graded exercises with check_judge(),
 * and writes <grade_dir>/summary.csv and summary.html, each atomically.
 * Two runs over the same results write the same bytes.  A student one
 * of whose exercises could not be graded (summary_not_graded(), a
 * missing results.yaml too) is "not graded": no score, the reason.
 * Returns EXIT_OK (EXIT_NOT_GRADED when a student was not graded);
 * EXIT_USAGE on bad input (a malformed results.yaml, another
 * lab's, no grade.yaml: "path:line:col: error:" messages, nothing
 * written); EXIT_INTERNAL when a file cannot be written.
 */
int summary_write(const struct spec *spec, const char *grade_dir);

/* Was student `name` of <grade_dir> graded in every graded exercise
 * (grade.yaml), by its saved results?  False when one is missing,
 * unreadable, or says it was not graded (summary_not_graded()). */
bool summary_student_graded(const struct spec *spec, const char *grade_dir,
			    const char *name);

/*
 * Merges the grading directories `shard_dirs` (n of them, each with
 * grade.yaml and students/) into `out_dir`: every students/<name>/ tree
 * hard-linked (copied where it cannot be) into out_dir/students/, which
 * replaces the one there, then out_dir/grade.yaml and summary_write().
 * Refuses, with nothing written, shards that grade another lab or other
 * exercises, a student in two shards, and what summary_write() refuses.
 * Returns as summary_write() does.
 */
int summary_merge(const char *out_dir, const char *const *shard_dirs,
		  size_t n, const struct spec *spec);

/* Why a step did not pass, in one line (the caller frees): what `labkit
 * check` says of its unexpected fault, or of its first failed
 * expectation; the
 * run's reason for a step it skipped or did not run. */
struct check_judgement;
char *summary_explain(const struct check_judgement *j);

/*
 * Whose failure an exercise's saved results show, when it is not the
 * student's: NULL when the student's code answers for them (it built or
 * did not, its steps passed or failed, its kernel faulted or hung), else
 * why the student could not be graded, in one line (the caller frees):
 * the grader's own failure (its note `grade.not_graded`), a guest that
 * did not boot, labkit unable to run the exercise or a step of it, a
 * grading interrupted; `res` NULL: no results at all.  The table of
 * which is which is in docs/teaching.md.
 */
struct results;
char *summary_not_graded(const struct results *res);

/* One field of summary.csv, quoted as RFC 4180 says when it holds a
 * comma, a double quote or a line break (the quote doubled). */
void summary_csv_field(struct sb *csv, const char *s);

#endif
