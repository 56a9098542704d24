/* export.h — a graded class in the forms the platforms where teachers
 * keep grades read, made from the saved results only (judged as the
 * class table is: summary.h), so a grading never runs twice for them:
 *
 *   gradescope    students/<name>/gradescope/results.json: Gradescope's
 *                 autograder results (/autograder/results/results.json)
 *   prairielearn  students/<name>/prairielearn/results.json: PrairieLearn's
 *                 external grader results (/grade/results/results.json)
 *   classroom     students/<name>/classroom/env and runners: GitHub
 *                 Classroom's grading reporter's inputs (a runner per step)
 *   moodle        moodle.csv: a Moodle grade import, a row per student,
 *                 keyed by the user field the teacher chooses
 *
 * Each file is written atomically; the same results give the same bytes.
 * What a student is shown (a step's visibility and feedback, labs.yaml)
 * is kept apart from the teacher's detail (the whole console, the trace),
 * which stays in the student's report and results.
 */
#ifndef LABKIT_EXPORT_H
#define LABKIT_EXPORT_H

#include <stdbool.h>

#include "spec.h"

enum export_format {
	EXPORT_GRADESCOPE,
	EXPORT_PRAIRIELEARN,
	EXPORT_CLASSROOM,
	EXPORT_MOODLE,
	EXPORT_NFORMATS,
};

/* The user field a Moodle import matches a row by. */
enum export_id {
	EXPORT_ID_USERNAME,
	EXPORT_ID_IDNUMBER,
	EXPORT_ID_EMAIL,
	EXPORT_NIDS,
};

struct export_opts {
	unsigned formats;        /* 1u << enum export_format, or'ed */
	const char *lang;        /* what a student reads: "pl" (NULL) or "en" */
	enum export_id id;       /* moodle.csv's identity column */
	const char *roster;      /* a CSV file naming each student's id
				    (columns "student" and the id's), or
				    NULL: the student's directory name */
};

/* "gradescope" ... "moodle"; export_format_parse() adds the one `name`
 * names to *formats, or reports it and returns -1. */
const char *export_format_name(enum export_format f);
int export_format_parse(const char *name, unsigned *formats);
/* "username", "idnumber", "email"; -1 reported for another name. */
const char *export_id_name(enum export_id id);
int export_id_parse(const char *name, enum export_id *id);

/*
 * Writes the files of o->formats for the grading <grade_dir> (its
 * grade.yaml and students/, as summary_write() reads them).  EXIT_OK;
 * EXIT_USAGE on bad input (what summary_write() refuses, a roster that
 * does not parse or names a student twice, an e-mail column without a
 * roster: messages, nothing written); EXIT_INTERNAL when a file cannot
 * be written.  A student the roster does not name is left out of
 * moodle.csv with a warning (Moodle stops an import at a row it cannot
 * match).
 */
int export_grading(const struct spec *spec, const char *grade_dir,
		   const struct export_opts *o);

/*
 * The same for one run of the lab that is no grading (a student's CI:
 * <results_dir>/<exercise>/results.yaml, for each exercise that has
 * one), as student `name`, into <out_dir>/<format>/.  Moodle's is a class's
 * file: refused (EXIT_USAGE).
 */
int export_run(const struct spec *spec, const char *results_dir,
	       const char *name, const char *out_dir,
	       const struct export_opts *o);

#endif
