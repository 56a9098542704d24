/* report_int.h — what report*.c share and nobody else sees: the judged
 * workbook (exercises, steps, expectations) and the writers' entry points. */
#ifndef LABKIT_REPORT_INT_H
#define LABKIT_REPORT_INT_H

#include <stdbool.h>

#include "check.h"
#include "expand.h"
#include "report.h"
#include "results.h"
#include "spec.h"
#include "util.h"

struct report_step {
	const struct spec_step *st;
	const struct results_step *rs; /* NULL: the run recorded none */
	enum verdict verdict;
	char *note;              /* why skipped, not run or failed; or NULL */
	struct report_score score; /* its points (or 1 step) if it passed */
	struct check_judgement j;/* j.expect: NULL unless its expectations
				    were judged */
	bool shown;              /* in the report (as a student: visible) */
};

struct report_exercise {
	const struct spec_exercise *ex;
	char *path;              /* its results.yaml */
	bool loaded;             /* false: the exercise has not run */
	struct results res;
	struct expand_vars vars; /* spec variables, then the run's facts */
	struct expand_vars shown;/* vars, and "‹name›" for what the run did
				    not record: to show what did not run */
	struct report_step *steps; /* ex->nsteps */
	double build_s;          /* kernel build steps (run before the guest) */
	bool timed;              /* it has a timed build (`stage: build`) ... */
	long ccache_hits;        /* ... and ccache's counts over them, or -1 */
	long ccache_misses;
	double run_s;            /* the run itself: boot, steps, poweroff */
	struct report_score score;
};

/* A file written next to the report: out/<step>.txt ... */
struct report_file {
	char *name;              /* relative to the output directory */
	const char *text;        /* borrowed from the results */
};

struct report {
	const struct spec *spec;
	const char *results_dir;
	const char *out_dir;
	int en;                  /* primary language: 0 Polish, 1 English */
	size_t nex;
	struct report_exercise *ex;
	int counts[VERDICT_COUNT];
	bool points;             /* some step has `points:`; else scores
				    count steps (struct report_score) */
	struct report_score score;
	bool run_failed;         /* some run's outcome was neither ok nor skip */
	bool student;            /* as a student sees it (report_opts) */
	int not_shown;           /* steps a student does not see yet */
	size_t nfiles, cap;
	struct report_file *files;
};

/* The report's own words, in Polish and English (report_text.c has the
 * table, with the other helpers below it). */
enum report_label {
	RL_GENERATED, RL_SUMMARY, RL_STEP, RL_VERDICT, RL_DURATION, RL_NOTE,
	RL_TOTAL, RL_CHART, RL_ENV, RL_HOST_KERNEL, RL_AT_REPORT, RL_ACCEL,
	RL_SOURCES, RL_GUESTS, RL_UML, RL_RUN, RL_FACT, RL_VALUE, RL_BOOT,
	RL_TAIL, RL_COMMAND, RL_PLANNED, RL_OUTPUT, RL_HOST_COMMAND,
	RL_HOST_OUTPUT, RL_ANSWER, RL_EXPECT, RL_BUILD_TIME, RL_TIMES, RL_EXIT,
	RL_LINE, RL_LINES, RL_LINES_FEW,
	RL_FULL, RL_NO_OUTPUT, RL_NO_NEWLINE, RL_NOT_RUN_YET, RL_NOT_RECORDED,
	RL_GUEST_DOWN, RL_FAILED_OF, RL_BUILD, RL_RUNTIME, RL_NOT_FOUND,
	RL_IN_HOST, RL_IN_BOOT, RL_THEN, RL_SECTIONS,
	RL_POINTS, RL_PTS, RL_SECTION, RL_STEPS_PASSED, RL_NO_POINTS,
	RL_IN_KERNEL, RL_FAULT, RL_FAULT_EXPECTED, RL_FAULT_UNEXPECTED,
	RL_NO_FAULT, RL_SOURCE_LINE, RL_KERNEL, RL_TRACE,
	RL_WAIT, RL_WAIT_FOR, RL_WAIT_SEEN, RL_WAIT_MISSED, RL_UNCHECKED,
	RL_IN_BEFORE, RL_BEFORE_COMMAND, RL_BEFORE_OUTPUT,
	RL_EX_NOT_RUN, RL_UNEXPECTED_FAULT,
	RL_WARM, RL_WARM_SHORT, RL_PARTLY_WARM, RL_PARTLY_WARM_SHORT,
	RL_COLD, RL_COLD_SHORT, RL_NOTHING_COMPILED, RL_NO_CCACHE,
	RL_NO_CCACHE_SHORT, RL_HITS, RL_MISSES, RL_FEEDBACK, RL_NOT_SHOWN,
	RL_STUDENT,
	RL_NLABELS,
};
const char *report_label(const struct report *r, enum report_label l);
/* A label with placeholders ("{1}") filled in with args[0] ... */
void report_fill(struct sb *sb, const char *text, const char *const *args);

/* The report's words for what the stages below name in English. */
const char *report_verdict(const struct report *r, enum verdict v);
/* ... counted ("zaliczone: 23"): the plural */
const char *report_verdict_counted(const struct report *r, enum verdict v);
const char *report_status(const struct report *r, enum step_status s);
const char *report_outcome(const struct report *r, enum run_outcome o);
const char *report_fault(const struct report *r, enum fault_kind k);
const char *report_step_kind(const struct report *r, enum step_kind k);
const char *report_expect_kind(const struct report *r,
			       const struct spec_expect *e);

/*
 * What the other stages write in English, in the report's words: a fact
 * of a known form ("the user running labkit", "clean in 0.07 s"), or
 * NULL when its form is not known (it is data, shown as it is); a
 * reason or a run's detail, always (as it is when unknown); `labkit
 * check`'s explanation, line by line, its quotes as they are.  Each
 * returns a new string; the English report keeps them as they are.
 */
char *report_fact(const struct report *r, const char *value);
char *report_reason(const struct report *r, const char *reason);
char *report_why(const struct report *r, const char *why);

/* Whether a timed build was warm or cold, by ccache's counts (-1: none):
 * "zimna kompilacja (ccache — trafienia: 3, chybienia: 2345)"; brief:
 * "zimna". */
void report_warmth(const struct report *r, struct sb *sb, long hits,
		   long misses, bool brief);

/* The line under a block of a kernel's text that it repeated (fold.h's
 * fold_mark_fn; ctx: the report): "[… the 40 lines above repeated 20
 * times …]", "[… powyższe wiersze (40) powtórzyły się 20 razy …]". */
void report_fold_mark(struct sb *out, size_t lines, size_t times, void *ctx);

/* Markdown of the whole report into `md`; registers out/ files in r. */
void report_markdown(struct report *r, struct sb *md);

/* The environment: host kernel, emulator, accelerator, kernel sources. */
void report_environment(const struct report *r, struct sb *md);

/* The time chart: one bar per exercise, build and run time stacked. */
void report_svg(const struct report *r, struct sb *svg);

/* The self-contained page: `md` rendered by libcmark, `svg` inline in
 * place of the time.svg image.  0, or -1 with a message. */
int report_html(const struct report *r, const char *md, const char *svg,
		struct sb *html);

/* Text in the primary language, and the other one (NULL when the text
 * has no other, or it says the same). */
const char *report_text(const struct report *r, const struct spec_text *t);
const char *report_text_other(const struct report *r,
			      const struct spec_text *t);

/* Markdown helpers shared with the environment section: text escaped
 * so that nothing in it is markup; a code span (in a table cell: with
 * its pipes escaped). */
void report_md_text(struct sb *md, const char *s);
void report_md_code(struct sb *md, const char *s, bool cell);
/* The longest run of `c` in `s` (a fence must outrun the backticks). */
size_t report_md_longest_run(const char *s, size_t len, char c);

/* "591.5 s", "9m51.538s" as time(1) prints it. */
void report_seconds(struct sb *sb, double s);

#endif
