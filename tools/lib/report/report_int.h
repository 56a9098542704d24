/* report_int.h — what report*.c share and nobody else sees: the judged
 * workbook (exercises, steps, expectations) and the writers' entry points. */
#ifndef LABKIT_REPORT_INT_H
#define LABKIT_REPORT_INT_H

#include <stdbool.h>

#include "check.h"
#include "expand.h"
#include "lang.h"
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
	struct check_exercise c; /* its results (c.loaded false: it has not
				    run) and variables: spec variables, then
				    the run's facts */
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
	enum lang lang;          /* the primary language */
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
	size_t nrows, rows_cap; /* the summary's rows, as report.md has them: */
	struct report_row {
		size_t line;     /* its line (from 1) */
		enum verdict verdict; /* the verdict in its second cell */
	} *rows;
};

/* The report's own words, in Polish and English (report_text.c has the
 * table, with the other helpers below it). */
enum report_label {
	RL_GENERATED, RL_SUMMARY, RL_STEP, RL_VERDICT, RL_DURATION, RL_NOTE,
	RL_TOTAL, RL_CHART, RL_ENV, RL_HOST_KERNEL, RL_AT_REPORT, RL_ACCEL,
	RL_SOURCES, RL_GUESTS, RL_UML, RL_RUN, RL_FACT, RL_VALUE, RL_BOOT,
	RL_TAIL, RL_COMMAND, RL_PLANNED, RL_OUTPUT, RL_HOST_COMMAND,
	RL_HOST_OUTPUT, RL_ANSWER, RL_EXPECT, RL_BUILD_TIME, RL_TIMES, RL_EXIT,
	RL_LINE, RL_LINES, RL_LINES_FEW, RL_START, RL_RESTORED,
	RL_FULL, RL_NO_OUTPUT, RL_NO_NEWLINE, RL_NOT_RUN_YET, RL_NOT_RECORDED,
	RL_GUEST_DOWN, RL_FAILED_OF, RL_BUILD, RL_RUNTIME, RL_NOT_FOUND,
	RL_IN_HOST, RL_IN_BOOT, RL_THEN, RL_SECTIONS,
	RL_POINTS, RL_PTS, RL_SECTION, RL_STEPS_PASSED, RL_NO_POINTS,
	RL_IN_KERNEL, RL_FAULT, RL_FAULT_EXPECTED, RL_FAULT_UNEXPECTED,
	RL_NO_FAULT, RL_SOURCE_LINE, RL_KERNEL, RL_TRACE,
	RL_WAIT, RL_WAIT_FOR, RL_WAIT_SEEN, RL_WAIT_MISSED, RL_UNCHECKED,
	RL_IN_BEFORE, RL_BEFORE_COMMAND, RL_BEFORE_OUTPUT,
	RL_EX_NOT_RUN,
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

/* An output to show: the fence's info string is "text <id> <kind>", so
 * that a reader (and tests/test_report.c) knows whose output a block is. */
struct report_output {
	enum report_label what;  /* RL_OUTPUT, RL_HOST_OUTPUT, RL_BOOT ... */
	const char *kind;        /* output, host, boot, tail */
	const char *id;          /* the step's, or the exercise's */
	const char *text;
	int exit_status;         /* shown when >= 0 */
	const char *shown;       /* what the block shows of it (a kernel's
				    text with its repeats folded), or NULL:
				    the text itself; out/ has the text */
};

/* report_md.c's blocks: an output, fenced and captioned (trimmed when
 * long, the whole registered as out/<id>[.kind].txt); a fenced block of
 * `shown` (`full` or part of it) whose fence outruns its backticks; an
 * emphasised line (the other language's text). */
void report_md_output(struct report *r, struct sb *md,
		      const struct report_output *o);
void report_md_block(struct sb *md, const char *info, const char *full,
		     const char *shown, size_t len);
void report_md_emph(struct sb *md, const char *s);
/* A heading, "## 1. " or "### 1.1 " (`head`), of spec text `t` in the
 * report's language, the other language's under it. */
void report_md_heading(const struct report *r, struct sb *md,
		       const char *head, const struct spec_text *t);

/* report_step.c: step `s` of exercise `x`. */
void report_md_step(struct report *r, struct sb *md,
		    struct report_exercise *x, struct report_step *s);

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
