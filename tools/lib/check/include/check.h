/* check.h — verdicts: a step's expectations against its saved result. */
#ifndef LABKIT_CHECK_H
#define LABKIT_CHECK_H

#include <stdbool.h>

#include "expand.h"
#include "results.h"
#include "spec.h"
#include "util.h"

/* A step's verdict; check_verdict_name() has the names. */
enum verdict {
	VERDICT_PASSED,
	VERDICT_FAILED,
	VERDICT_SKIPPED,
	VERDICT_NOT_RUN,
	VERDICT_COUNT,
};

const char *check_verdict_name(enum verdict v);

/* Why a step got its verdict, when its expectations did not decide it. */
enum check_basis {
	BASIS_EXPECTATIONS,      /* judged by its expectations */
	BASIS_NO_RESULTS,        /* no results: the exercise has not run */
	BASIS_NOT_RECORDED,      /* the run recorded no result for it */
	BASIS_SKIPPED,           /* the run skipped it (rs->reason) */
	BASIS_NOT_RUN,           /* not started after a failure (rs->reason) */
	BASIS_UNFINISHED,        /* did not run to its end (rs->status) */
	BASIS_NOTHING,           /* it ran and has no expectations */
};

/* One expectation as judged: its patterns as matched (variables filled
 * in) and, when it did not hold, the explanation (closest lines ...). */
struct check_expect {
	const struct spec_expect *e;
	char **patterns;         /* e->npatterns, expanded */
	int held;                /* 1 held, 0 failed, -1 bad pattern */
	struct reason why;       /* REASON_NONE when it held */
};

struct check_judgement {
	enum verdict verdict;
	enum check_basis basis;
	const struct results_step *rs; /* NULL: no result */
	size_t nexpect, failed;
	struct check_expect *expect;   /* nexpect, when judged by them */
	struct reason unexpected;/* a fault of the guest's kernel the step did
				    not expect, quoted (it fails the step), or
				    REASON_NONE */
	struct expand_vars captures; /* match.<name>: the named groups of its
				    patterns that matched, for its answer */
	const char *why_unchecked; /* BASIS_NOTHING: the step's `unchecked:` */
};

/* The variables a check expands: spec variables, then the run's facts. */
void check_vars(const struct spec *spec, const struct results *res,
		struct expand_vars *vars);

/*
 * Evaluates one expectation on a step's result.  Returns 1 when it holds,
 * 0 when not (with the explanation, a reason of the catalog, in `why`),
 * -1 when a pattern does not expand or compile (also explained).  The
 * named groups of a pattern that matched go into `named` (may be NULL)
 * as match.<name>.
 */
int check_expect(const struct spec_expect *e, const struct spec_step *st,
		 const struct expand_vars *vars, const struct results *res,
		 const struct results_step *rs, struct reason *why,
		 struct expand_vars *named);


/* A fault the step did not expect, in a line: "unexpected oops: 'BUG:
 * ...' (oops.c:8)" (what the report's summary and a student are told). */
void check_fault_note(const struct results_fault *f, struct reason *note);

/*
 * Judges step `st` on `res` (NULL: the exercise has no results), with
 * the variables `vars` (check_vars()).  The one judge: `labkit check`
 * and the report both go through it.  Free with check_judgement_free().
 */
void check_judge(const struct spec_step *st, const struct results *res,
		 const struct expand_vars *vars, struct check_judgement *j);
void check_judgement_free(struct check_judgement *j);

/* Does step `st` fail on `res` (a run's results so far), as check_judge()
 * judges it, with the spec's variables and the run's facts?  (`labkit run
 * --shell-on-failure` asks after each step.) */
bool check_failed(const struct spec *spec, const struct spec_step *st,
		  const struct results *res);

/*
 * An exercise's results and the variables its checks expand, loaded
 * (check_exercise.c) to have each of its steps judged: the one loop the
 * report, the class summary and a student's JUnit go through.
 */
struct check_exercise {
	const struct spec *spec;
	const struct spec_exercise *ex;
	char *path;              /* <dir>/<exercise>/results.yaml */
	bool loaded;             /* false: no results (it has not run) */
	struct results res;      /* empty when not loaded */
	struct expand_vars vars; /* check_vars() of them */
};

/* Step i of x->ex, judged: `j` is freed after the call, unless the
 * callee takes it over (moving it out and zeroing it). */
typedef void check_step_fn(const struct check_exercise *x, size_t i,
			   struct check_judgement *j, void *arg);

/* Loads <dir>/<ex->id>/results.yaml (spec's lab, exercise ex; none is
 * an exercise that has not run).  0, or -1 with a message for a file
 * that does not load or is another lab's or exercise's: x then holds no
 * results, as an exercise that has not run.  Free with
 * check_exercise_free() either way. */
int check_exercise_load(struct check_exercise *x, const struct spec *spec,
			const struct spec_exercise *ex, const char *dir);
/* Judges each step of x->ex in order (check_judge()), each judgement to
 * `fn`. */
void check_exercise_judge(const struct check_exercise *x, check_step_fn *fn,
			  void *arg);
void check_exercise_free(struct check_exercise *x);

/*
 * The null-run rule (check_null.c): every step of `spec` judged against
 * the runs a booted guest gives without doing the step's work (nothing
 * printed, exit 0 or 1; only the command's own echo).  Each step that
 * passes one is an error event at its position; returns their count.
 * Exempt: skipped and `unchecked:` steps, build steps checked by their
 * exit status alone.
 */
int check_null_runs(const struct spec *spec);

/* How a verdict is written: cmocka's own output (which the environment's
 * CMOCKA_MESSAGE_OUTPUT may change), TAP, or JUnit XML. */
enum check_format { CHECK_FORMAT_TEXT, CHECK_FORMAT_TAP, CHECK_FORMAT_JUNIT };

/* "text", "tap" or "junit"; -1 with a message for anything else. */
int check_format_parse(const char *name, enum check_format *fmt);

/*
 * The verdict on `step_id` as cmocka tests, one per expectation, in
 * `fmt`, to `out_path` (written through a temporary file and renamed;
 * NULL or "-": stdout, where cmocka writes).  TAP and JUnit override
 * CMOCKA_MESSAGE_OUTPUT for the call, and every verdict is a test case in
 * them: a skipped step one skipped case, a step with no result (or `res`
 * NULL: no results file) one failed case; in text a line.  JUnit names
 * and messages are made safe for XML.  `as_student`: as a student may
 * see it now: a step not `visible` is only said to be so (EXIT_SKIP), a
 * failed one with a `feedback` says it in place of the judge's
 * explanation, and the console's last lines are left out.  Must not run
 * inside a running cmocka test.
 * Returns EXIT_OK, EXIT_CHECK_FAILED, EXIT_SKIP, EXIT_USAGE (no such
 * step; nothing written) or EXIT_INTERNAL.
 */
int check_step_report(const struct spec *spec, const struct results *res,
		      const char *step_id, enum check_format fmt,
		      const char *out_path, bool as_student);

#endif
