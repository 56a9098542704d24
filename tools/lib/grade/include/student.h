/* student.h — one student of a grading, from submission to report. */
#ifndef LABKIT_STUDENT_H
#define LABKIT_STUDENT_H

#include <stdbool.h>
#include <stddef.h>

#include "plan.h"
#include "spec.h"

struct student_job {
	const struct spec *spec;
	const struct plan *plan;
	const char *name;            /* the student: the submission's name */
	const char *submission;      /* their directory */
	const char *dir;             /* <grade>/students/<name>: made afresh */
	size_t nexercises;
	const char *const *exercises;/* graded, in spec order; in the plan */
	const char *const *hide;     /* NULL-terminated: what a build must not
					see (every submission, the grading) */
	const char *unsandboxed_why; /* non-NULL: build without a sandbox,
					because of this (the results'
					grade.sandbox.why) */
	const char *lang;            /* the report's */
};

/*
 * Grades one student into j->dir, the way a lab's own run leaves an
 * exercise: for each exercise, the submission's modules built in the
 * sandbox (modbuild.h: build/<module>/, build.log), each after the
 * modules it uses (the plan's `uses`) and with their Module.symvers,
 * the lab's root file
 * system with them in place of the lab's own (rootfs/<exercise>/), the
 * exercise run on the lab's kernel (<exercise>/results.yaml, with the
 * facts grade.student and grade.sandbox); a module that does not build
 * (or uses one that did not) leaves results whose steps did not run,
 * saying why.  Then junit.xml
 * (every graded step a test case) and the report (report.md, .html).
 *
 * Returns EXIT_OK when every step passed, EXIT_CHECK_FAILED when one did
 * not (the student's work), EXIT_INTERNAL when grading itself failed (a
 * message says why; what could be written is).
 */
int student_grade(const struct student_job *j);

#endif
