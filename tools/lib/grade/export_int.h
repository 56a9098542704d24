/* export_int.h — what export*.c share and nobody else sees: the class
 * as the platforms are shown it (each step's verdict, points and what a
 * student may read of it), and the writers of each platform's files. */
#ifndef LABKIT_EXPORT_INT_H
#define LABKIT_EXPORT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "export.h"
#include "json.h"
#include "summary_int.h"
#include "util.h"

/* A step as a student is shown it. */
struct export_step {
	const struct spec_step *st;
	const struct spec_exercise *ex;
	enum verdict verdict;
	struct report_score score;
	char *why;               /* the judge's whole explanation (a build's
				    whole compiler message), NULL: passed */
	char *line;              /* its first line (summary.csv's) */
	char *command;           /* as it ran, or NULL */
	char *output;            /* what it printed, or NULL */
	double seconds;
	enum fault_kind fault;   /* the step's fault, its first line, and the */
	char *fault_line;        /* source line it was decoded to, with the  */
	char *fault_where;       /* lines around it (NULL when not decoded)  */
	char *fault_source;
};

struct export_student {
	const struct summary_student *s;
	struct export_step *steps;   /* the class's nsteps */
};

struct export_class {
	struct summary_grade grade;
	struct summary_class c;
	const struct export_opts *o;
	const char *lang;            /* "pl" or "en" */
	char *spec_name;             /* labs.yaml's file name, no directory */
	struct export_student *students; /* c.nstudents */
};

/* ---- export.c: texts a student reads, in o->lang ---- */

enum export_word {
	EW_SCORE, EW_POINTS, EW_NOT_GRADED, EW_NOT_YOURS, EW_HIDDEN,
	EW_FAULT, EW_AT, EW_COMMAND, EW_OUTPUT, EW_NWORDS,
};
const char *export_word(const struct export_class *x, enum export_word w);
/* The step's question, its verdict's word. */
const char *export_question(const struct export_class *x,
			    const struct export_step *e);
const char *export_verdict(const struct export_class *x, enum verdict v);
/* One line a student is told of a step that did not pass: its feedback
 * (labs.yaml) when it ran and failed, else the judge's explanation's
 * first line (a step not run: the run's reason); "" when it passed. */
const char *export_message(const struct export_class *x,
			   const struct export_step *e);
/* What more a student is shown of it, appended (trimmed): the judge's
 * whole explanation, with the output lines that come closest and a fault
 * it did not expect with its decoded source line; or, when the feedback
 * takes the judge's place, the fault and its source line, the command
 * and what it printed. */
void export_detail(const struct export_class *x, const struct export_step *e,
		   struct sb *out);
/* "not graded: <why> ..." in the student's words. */
char *export_not_graded(const struct export_class *x,
			const struct export_student *s);
/* May a student see step `e` whatever the date? */
bool export_visible(const struct export_step *e);

/* Writes `sb` to <dir>/<name> atomically, the directory made first.
 * 0, or -1 reported. */
int export_write(const char *dir, const char *name, const struct sb *sb);

/* ---- each platform's writer: its files for student `s` into `dir`;
 * moodle.csv, the class's, made in `csv` (-1 reported: a bad roster,
 * nothing to write) ---- */

int export_gradescope(const struct export_class *x,
		      const struct export_student *s, const char *dir);
int export_prairielearn(const struct export_class *x,
			const struct export_student *s, const char *dir);
int export_classroom(const struct export_class *x,
		     const struct export_student *s, const char *dir);
int export_moodle(const struct export_class *x, struct sb *csv);

#endif
