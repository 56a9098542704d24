/* check.h — verdicts: a step's expectations against its results. */
#ifndef LABKIT_CHECK_H
#define LABKIT_CHECK_H

#include "expand.h"
#include "results.h"
#include "spec.h"
#include "util.h"

/*
 * Evaluates one expectation on a step's result.  Returns 1 when it holds,
 * 0 when not (with the explanation appended to `why`), -1 when a pattern
 * does not expand or compile (also explained).
 */
int check_expect(const struct spec_expect *e, const struct expand_vars *vars,
		 const struct results *res, const struct results_step *rs,
		 struct sb *why);

/* The variables a check expands: spec variables, then the run's facts. */
void check_vars(const struct spec *spec, const struct results *res,
		struct expand_vars *vars);

/*
 * Runs every expectation of `step_id` as a cmocka test (honouring
 * CMOCKA_MESSAGE_OUTPUT).  Returns EXIT_OK, EXIT_CHECK_FAILED, EXIT_SKIP
 * (the step was skipped; the reason is printed) or EXIT_USAGE.
 */
int check_step(const struct spec *spec, const struct results *res,
	       const char *step_id);

/* How a verdict is written: cmocka's own output (which the environment's
 * CMOCKA_MESSAGE_OUTPUT may change), TAP, or JUnit XML. */
enum check_format { CHECK_FORMAT_TEXT, CHECK_FORMAT_TAP, CHECK_FORMAT_JUNIT };

/* "text", "tap" or "junit"; -1 with a message for anything else. */
int check_format_parse(const char *name, enum check_format *fmt);

/*
 * check_step() in `fmt`, to `out_path` (written through a temporary file
 * and renamed; NULL or "-": stdout).  TAP and JUnit override
 * CMOCKA_MESSAGE_OUTPUT for the call, and every verdict is a test case in
 * them: a skipped step one skipped case, a step with no result (or `res`
 * NULL: no results file) one failed case.  JUnit names and messages are
 * made safe for XML.  Must not run inside a running cmocka test.
 */
int check_step_report(const struct spec *spec, const struct results *res,
		      const char *step_id, enum check_format fmt,
		      const char *out_path);

#endif
