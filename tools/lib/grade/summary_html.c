/*
 * summary_html.c — summary.html, the class on one self-contained page
 * (inline CSS, no scripts, no external resources): a table of students ×
 * the graded steps, each cell colored by its verdict, a failed one
 * linking to the step in that student's report
 * (students/<student>/report.html#step-<id>, report_step_anchor()), each
 * student's score, how many passed each step, and a line on the students
 * graded unsandboxed and why.  The labels are English; the lab's title is
 * shown in English and, below it, in Polish, as the spec gives it.  All
 * text is escaped (text_escape(): HTML, quotes, controls).  Cannot fail.
 */
#include "summary_int.h"
#include "layout.h"
#include "text.h"

#include <string.h>

static const char css[] =
	"body{font-family:'DejaVu Sans',Verdana,sans-serif;line-height:1.4;"
	"color:#222;margin:2rem;}\n"
	"h1{font-size:1.6rem;border-bottom:2px solid #4f81bd;"
	"padding-bottom:.3rem;margin-bottom:.2rem}\n"
	"p.other{font-style:italic;color:#555;margin-top:0}\n"
	"p.unsandboxed{background:#fff3cd;border:1px solid #e0c36c;"
	"padding:.4rem .6rem}\n"
	"table{border-collapse:collapse;margin:1rem 0;font-size:.85rem}\n"
	"th,td{border:1px solid #ccc;padding:.2rem .45rem;text-align:center;"
	"white-space:nowrap}\n"
	"th{background:#eef2f7}\n"
	"th.student,td.reason{text-align:left}\n"
	"td.reason{white-space:normal;min-width:20rem}\n"
	"td.passed{background:#dff3e4;color:#1a7f37}\n"
	"td.failed{background:#fdecea;color:#b71c1c;font-weight:bold}\n"
	"td.failed a{color:inherit}\n"
	"td.skipped{background:#fff6d5;color:#8a6d00}\n"
	"td.not-run{background:#f0f0f0;color:#777}\n"
	"td.not-graded{background:#e8eaf6;color:#283593;font-style:italic}\n"
	"tfoot th,tfoot td{background:#eef2f7;font-weight:bold}\n";

static void esc(struct sb *h, const char *s)
{
	text_escape(h, s, strlen(s), TEXT_HTML | TEXT_APOS | TEXT_CONTROLS);
}

static void page_head(const struct summary_class *c, struct sb *h)
{
	const char *title = spec_text_get(&c->spec->lab_title, "en");
	const char *pl = spec_text_get(&c->spec->lab_title, "pl");

	sb_adds(h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		"<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<meta name=\"generator\" content=\"labkit grade\">\n<title>");
	esc(h, *title ? title : c->spec->lab_id);
	sb_addf(h, " — class summary</title>\n<style>\n%s</style>\n</head>\n"
		"<body>\n<main>\n<h1>", css);
	esc(h, *title ? title : c->spec->lab_id);
	sb_adds(h, " — class summary</h1>\n");
	if (strcmp(pl, title)) {
		sb_adds(h, "<p class=\"other\" lang=\"pl\">");
		esc(h, pl);
		sb_adds(h, " — podsumowanie grupy</p>\n");
	}
}

static void intro(const struct summary_class *c, struct sb *h)
{
	sb_addf(h, "<p>%zu student%s graded; lab <code>", c->nstudents,
		c->nstudents == 1 ? "" : "s");
	esc(h, c->spec->lab_id);
	sb_addf(h, "</code>, exercise%s ", c->grade->nexercises == 1 ? "" : "s");
	for (size_t i = 0; i < c->grade->nexercises; i++) {
		sb_adds(h, i ? ", " : "");
		esc(h, c->grade->exercises[i]);
	}
	sb_addf(h, ".  %s</p>\n", c->points ?
		"The score is the points of the steps passed." :
		"The lab gives no points: the score counts the steps passed.");
}

static bool unsandboxed(const struct summary_student *s)
{
	return s->sandbox == SANDBOX_NONE;
}

static bool same_why(const struct summary_student *a,
		     const struct summary_student *b)
{
	return !strcmp(a->sandbox_why ? a->sandbox_why : "",
		       b->sandbox_why ? b->sandbox_why : "");
}

/* "1 of 40 students could not be graded: labkit grade --retry grades
 * them again." */
static void not_graded_line(const struct summary_class *c, struct sb *h)
{
	if (!c->not_graded)
		return;
	sb_addf(h, "<p class=\"unsandboxed\"><strong>%zu of %zu student%s "
		"could not be graded</strong>, for a failure of the grader, not "
		"of their work (the reason is in their row): <code>labkit grade "
		"--retry</code> grades them again.</p>\n", c->not_graded,
		c->nstudents, c->nstudents == 1 ? "" : "s");
}

/* "2 of 4 students were graded unsandboxed: <why> (carol, dave)", a
 * group for each reason, in the order of its first student. */
static void sandbox_line(const struct summary_class *c, struct sb *h)
{
	const struct summary_student *st = c->students;
	size_t n = 0, groups = 0;

	for (size_t i = 0; i < c->nstudents; i++)
		n += unsandboxed(&st[i]);
	if (!n)
		return;
	sb_addf(h, "<p class=\"unsandboxed\"><strong>%zu of %zu student%s %s "
		"graded unsandboxed</strong>:", n, c->nstudents,
		c->nstudents == 1 ? "" : "s", n == 1 ? "was" : "were");
	for (size_t i = 0; i < c->nstudents; i++) {
		size_t j = 0, shown = 0;

		while (j < i && !(unsandboxed(&st[j]) && same_why(&st[j], &st[i])))
			j++;
		if (!unsandboxed(&st[i]) || j < i)
			continue;        /* not unsandboxed, or its group is shown */
		sb_adds(h, groups++ ? "; " : " ");
		esc(h, st[i].sandbox_why ? st[i].sandbox_why : "no reason recorded");
		sb_adds(h, " (");
		for (j = i; j < c->nstudents; j++) {
			if (!unsandboxed(&st[j]) || !same_why(&st[j], &st[i]))
				continue;
			sb_adds(h, shown++ ? ", " : "");
			esc(h, st[j].name);
		}
		sb_adds(h, ")");
	}
	sb_adds(h, ".</p>\n");
}

/* Two header rows: the exercises over their steps, then the steps. */
static void table_head(const struct summary_class *c, struct sb *h)
{
	sb_adds(h, "<table>\n<thead>\n<tr><th class=\"student\" rowspan=\"2\">"
		"Student</th><th rowspan=\"2\">Score</th>");
	for (size_t k = 0; k < c->nsteps; ) {
		const struct spec_exercise *ex = NULL;

		spec_step(c->spec, c->steps[k]->id, &ex);
		sb_addf(h, "<th colspan=\"%zu\">", ex ? ex->nsteps : 1);
		esc(h, ex ? ex->id : "");
		sb_adds(h, ". ");
		esc(h, ex ? spec_text_get(&ex->title, "en") : "");
		sb_adds(h, "</th>");
		k += ex && ex->nsteps ? ex->nsteps : 1;
	}
	sb_adds(h, "<th class=\"student\" rowspan=\"2\">Reason</th></tr>\n<tr>");
	for (size_t k = 0; k < c->nsteps; k++) {
		sb_adds(h, "<th title=\"");
		esc(h, spec_text_get(&c->steps[k]->question, "en"));
		sb_adds(h, "\">");
		esc(h, c->steps[k]->id);
		sb_adds(h, "</th>");
	}
	sb_adds(h, "</tr>\n</thead>\n<tbody>\n");
}

/* A step's cell: its verdict, why it did not pass as the cell's title,
 * and a failed one a link to the step in the student's report. */
static void cell(const struct summary_class *c, const struct summary_student *s,
		 size_t k, struct sb *h)
{
	enum verdict v = s->verdicts[k];
	struct sb href;

	sb_addf(h, "<td class=\"%s\"", report_verdict_class(v));
	if (s->why[k]) {
		sb_adds(h, " title=\"");
		esc(h, s->why[k]);
		sb_adds(h, "\"");
	}
	sb_adds(h, ">");
	if (v != VERDICT_FAILED) {
		sb_addf(h, "%s</td>", check_verdict_name(v));
		return;
	}
	sb_init(&href);
	sb_addf(&href, "%s/%s/%s#", layout_name(LAYOUT_STUDENTS), s->name,
		layout_name(LAYOUT_REPORT_HTML));
	report_step_anchor(&href, c->steps[k]->id);
	sb_adds(h, "<a href=\"");
	esc(h, href.buf);
	sb_addf(h, "\">%s</a></td>", check_verdict_name(v));
	sb_release(&href);
}

static void student_row(const struct summary_class *c,
			const struct summary_student *s, struct sb *h)
{
	sb_addf(h, "<tr><th class=\"student\" scope=\"row\"><a href=\"%s/",
		layout_name(LAYOUT_STUDENTS));
	esc(h, s->name);
	sb_addf(h, "/%s\">", layout_name(LAYOUT_REPORT_HTML));
	esc(h, s->name);
	sb_adds(h, "</a>");
	if (unsandboxed(s))
		sb_adds(h, " <small>(unsandboxed)</small>");
	if (s->not_graded)
		sb_adds(h, "</th><td class=\"not-graded\">not graded</td>");
	else
		sb_addf(h, "</th><td>%d/%d</td>", s->score.got, s->score.max);
	for (size_t k = 0; k < c->nsteps; k++)
		cell(c, s, k, h);
	sb_adds(h, "<td class=\"reason\">");
	esc(h, s->reason);
	sb_adds(h, "</td></tr>\n");
}

static void table_foot(const struct summary_class *c, struct sb *h)
{
	sb_adds(h, "</tbody>\n<tfoot>\n<tr><th class=\"student\" scope=\"row\">"
		"Passed</th><td></td>");
	for (size_t k = 0; k < c->nsteps; k++)
		sb_addf(h, "<td>%d/%zu</td>", c->passed[k], c->nstudents);
	sb_adds(h, "<td></td></tr>\n</tfoot>\n</table>\n");
}

void summary_html(const struct summary_class *c, struct sb *h)
{
	page_head(c, h);
	intro(c, h);
	not_graded_line(c, h);
	sandbox_line(c, h);
	table_head(c, h);
	for (size_t i = 0; i < c->nstudents; i++)
		student_row(c, &c->students[i], h);
	table_foot(c, h);
	sb_adds(h, "</main>\n</body>\n</html>\n");
}
