/* summary_int.h — what summary*.c share and nobody else sees: the class
 * as judged (students × the graded steps), and its writers. */
#ifndef LABKIT_SUMMARY_INT_H
#define LABKIT_SUMMARY_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "check.h"
#include "report.h"
#include "spec.h"
#include "summary.h"
#include "util.h"

struct summary_student {
	char *name;
	size_t shard;            /* the grading directory it is in */
	char *results;           /* the directory of its <exercise>/results.yaml */
	double seconds;          /* its runs' time, as the results say */
	enum verdict *verdicts;  /* one per graded step */
	char **why;              /* a step's explanation, its first line;
				    NULL when it passed */
	int counts[VERDICT_COUNT];
	struct report_score score;
	char *sandbox;           /* grade.sandbox: "bubblewrap", "none"; NULL
				    when no results say */
	char *sandbox_why;       /* grade.sandbox.why, or NULL */
	char *reason;            /* "<step>: <why>", "" when all passed;
				    "not graded: <why>" */
	char *not_graded;        /* why it could not be graded (the
				    grader's failure), or NULL */
};

struct summary_class;

/* What a caller wants of every step as judged, besides the table (the
 * platforms' files keep what a student and a teacher are shown): the
 * student, the step's index in c->steps, its judgement and the
 * exercise's results (NULL: it has none), all freed after the call. */
struct summary_hook {
	void (*step)(const struct summary_class *c, struct summary_student *s,
		     size_t k, const struct check_judgement *j,
		     const struct results *res, void *arg);
	void *arg;
};

struct summary_class {
	const struct spec *spec;
	const struct summary_grade *grade;
	bool points;             /* false: scores count the steps passed */
	size_t nsteps;
	const struct spec_step **steps; /* of the graded exercises, in
				    spec order */
	int *passed;             /* per step: how many students passed it */
	size_t not_graded;       /* students who could not be graded */
	size_t nstudents, cap;
	struct summary_student *students; /* sorted by name, bytewise */
	const struct summary_hook *hook; /* or NULL */
};

/* Lists the students of the grading directories `dirs` (all grading
 * `grade`), sorted, and judges each (`hook`, when not NULL, sees every
 * step judged).  0, or -1 with every problem reported (a student in two
 * of them, a malformed results.yaml). */
int summary_class_load(struct summary_class *c, const struct spec *spec,
		       const struct summary_grade *grade,
		       const char *const *dirs, size_t n,
		       const struct summary_hook *hook);
/* The same for one run that is no grading: a class of one student,
 * `name`, whose results are <results_dir>/<exercise>/results.yaml (a
 * lab's own run, as `labkit run` leaves it). */
int summary_class_load_run(struct summary_class *c, const struct spec *spec,
			   const struct summary_grade *grade,
			   const char *results_dir, const char *name,
			   const struct summary_hook *hook);
void summary_class_free(struct summary_class *c);
/* Writes the class's table, summary.csv and summary.html, into `dir`.
 * EXIT_OK or EXIT_INTERNAL with a message. */
int summary_class_write(const struct summary_class *c, const char *dir);

/* summary_csv.c, summary_html.c: the class's table. */
void summary_csv(const struct summary_class *c, struct sb *csv);
void summary_html(const struct summary_class *c, struct sb *html);

#endif
