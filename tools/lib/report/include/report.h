/* report.h — `labkit report`: a workbook's results as report.md,
 * report.html and time.svg, next to the full outputs (out/<step>.txt). */
#ifndef LABKIT_REPORT_H
#define LABKIT_REPORT_H

#include <stdbool.h>

#include "check.h"
#include "spec.h"

struct report_opts {
	const char *results_dir; /* holds <exercise>/results.yaml */
	const char *out_dir;     /* NULL: results_dir */
	const char *lang;        /* primary language: "pl" (NULL) or "en" */
	bool as_student;         /* only what a student may see now: the
				    `visible` steps, with their feedback,
				    without the whole console, the trace and
				    the answer */
};

/* A score, "got/max": the points of the steps that passed of the points
 * of all steps (a step without `points:` counts none); or, in a lab that
 * gives no points at all, the steps that passed of all steps. */
struct report_score {
	int got;
	int max;
};

/* Does any step of the spec give points?  When none does, scores count
 * the steps passed. */
bool report_gives_points(const struct spec *spec);
/* What step `st` with verdict `v` adds to a score: its points (none
 * without `points:`) when it passed, of its points; or, when the lab
 * gives no points (`points` false), one step passed (or not) of one. */
struct report_score report_step_score(const struct spec_step *st, bool points,
				      enum verdict v);
/* The class of a cell showing verdict `v` in report.html ("not-run"),
 * the same in both languages and in the class summary. */
const char *report_verdict_class(enum verdict v);
/* The anchor of step `step_id` in report.html ("step-3.1"), appended. */
void report_step_anchor(struct sb *sb, const char *step_id);

/* What the report found, for the program to show (the verdict table the
 * workbook ends with). */
struct report_summary {
	const char *out_dir;     /* where report.md and report.html are */
	size_t nsections;
	struct report_section {
		const char *id;      /* the exercise's */
		const char *title;   /* in the report's language */
		int counts[VERDICT_COUNT];
		double seconds;      /* build and run */
		struct report_score score;
	} *sections;
	size_t nfailed;
	struct report_failure {
		const char *step;
		char *note;
	} *failed;               /* the failed steps, in order */
	int counts[VERDICT_COUNT];
	bool points;             /* false: the lab gives no points, and the
				    scores count steps passed */
	struct report_score score; /* the whole lab's */
};

/*
 * Reads every exercise's results, judges each step against the spec's
 * expectations and writes <out>/report.md, report.html, time.svg and
 * out/<step>.txt, each file atomically.  Returns EXIT_OK; EXIT_CHECK_FAILED
 * when a step or a run failed (the report is written all the same);
 * EXIT_USAGE when a results.yaml is malformed or belongs elsewhere (a
 * "path: error:" message, nothing written); EXIT_INTERNAL when a file
 * cannot be written.
 */
int report_write(const struct spec *spec, const struct report_opts *o,
		 struct report_summary *sum);
/* Frees what report_write() put in `sum` (which lives as long as `spec`). */
void report_summary_free(struct report_summary *sum);

/* A verdict in the words of the report in `lang` ("pl", NULL, or "en");
 * `counted`: as a count's name, "zaliczone: 23". */
const char *report_verdict_word(enum verdict v, const char *lang, bool counted);

/* The report's fixed words, for a test that a report in one language
 * holds none of the other's: the i-th pair, Polish and English (where
 * data goes in a form the other stages write, "{1}" or "{t1}"); false
 * past the last. */
bool report_words(size_t i, const char **pl, const char **en);

#endif
