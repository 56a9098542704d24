/* junit.h — verdicts as JUnit XML: one writer for `labkit check
 * --format junit` (a step, a suite) and a grading's junit.xml (a
 * student, a suite of every graded step). */
#ifndef LABKIT_JUNIT_H
#define LABKIT_JUNIT_H

#include <stdbool.h>
#include <stddef.h>

#include "sb.h"

enum junit_result {
	JUNIT_PASSED,
	JUNIT_FAILURE,           /* it failed */
	JUNIT_SKIPPED,           /* it was not judged: could not run here */
	JUNIT_ERROR,             /* it could not be judged (the grader's
				    failure) */
};

struct junit_case {
	const char *classname;   /* or NULL */
	const char *name;
	enum junit_result result;
	const char *message;     /* the result's message attribute (one
				    line), or NULL */
	const char *text;        /* the result's text (the whole
				    explanation, in CDATA), or NULL */
};

struct junit_suite {
	const char *name;
	size_t ncases;
	const struct junit_case *cases;
	bool points;             /* it carries points (properties): */
	int got, max;            /* earned, of */
};

/*
 * The suites as one JUnit document, appended: <testsuites> with the
 * counts of all, a <testsuite> each with its counts and its points as
 * properties, a <testcase> each.  Names and messages are escaped for an
 * attribute, texts put in CDATA; a control character or a byte that is
 * not UTF-8 (a console's ESC) becomes "\xNN" in either, so the document
 * is always well formed.
 */
void junit_write(struct sb *xml, const struct junit_suite *suites, size_t n);

#endif
