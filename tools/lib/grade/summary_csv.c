/*
 * summary_csv.c — summary.csv, the class for a gradebook: a header row,
 * then a row per student (in the class's order):
 *
 *     student,score,max,grading,passed,failed,not_run,skipped,<step>...,sandbox,reason
 *
 * a step's column holding its verdict (check_verdict_name()), `reason`
 * one line.  `grading` is "graded", or "not graded" for a student the
 * grader failed (summary_not_graded()): score and max are then empty, not
 * 0, and the reason says why.  RFC 4180: records end in CRLF; a field with a comma, a
 * double quote or a line break is quoted, its quotes doubled.  Text from
 * the results has its control characters and bytes that are not UTF-8
 * written as \xNN (text_escape()), so the file is UTF-8 text.  Cannot fail.
 */
#include "summary_int.h"
#include "text.h"

#include <string.h>

void summary_csv_field(struct sb *csv, const char *s)
{
	if (!s[strcspn(s, ",\"\r\n")]) {
		sb_adds(csv, s);
		return;
	}
	sb_addc(csv, '"');
	for (; *s; s++) {
		if (*s == '"')
			sb_addc(csv, '"');
		sb_addc(csv, *s);
	}
	sb_addc(csv, '"');
}

/* Text from the results: controls and stray bytes made visible. */
static void csv_text(struct sb *csv, const char *s)
{
	struct sb clean;

	sb_init(&clean);
	text_escape(&clean, s, strlen(s), TEXT_CONTROLS);
	summary_csv_field(csv, clean.buf);
	sb_release(&clean);
}

static void header(const struct summary_class *c, struct sb *csv)
{
	sb_adds(csv, "student,score,max,grading,passed,failed,not_run,skipped");
	for (size_t k = 0; k < c->nsteps; k++) {
		sb_addc(csv, ',');
		summary_csv_field(csv, c->steps[k]->id);
	}
	sb_adds(csv, ",sandbox,reason\r\n");
}

static void row(const struct summary_class *c, const struct summary_student *s,
		struct sb *csv)
{
	summary_csv_field(csv, s->name);
	if (s->not_graded)
		sb_adds(csv, ",,,not graded");
	else
		sb_addf(csv, ",%d,%d,graded", s->score.got, s->score.max);
	sb_addf(csv, ",%d,%d,%d,%d",
		s->counts[VERDICT_PASSED], s->counts[VERDICT_FAILED],
		s->counts[VERDICT_NOT_RUN], s->counts[VERDICT_SKIPPED]);
	for (size_t k = 0; k < c->nsteps; k++) {
		sb_addc(csv, ',');
		summary_csv_field(csv, check_verdict_name(s->verdicts[k]));
	}
	sb_addc(csv, ',');
	csv_text(csv, s->sandbox >= 0 ? sandbox_kind_name(s->sandbox) : "");
	sb_addc(csv, ',');
	csv_text(csv, s->reason);
	sb_adds(csv, "\r\n");
}

void summary_csv(const struct summary_class *c, struct sb *csv)
{
	header(c, csv);
	for (size_t i = 0; i < c->nstudents; i++)
		row(c, &c->students[i], csv);
}
