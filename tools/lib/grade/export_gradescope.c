/*
 * export_gradescope.c — a student's grading as Gradescope's autograder
 * harness reads it, /autograder/results/results.json.  Its form, from
 * Gradescope's "Autograder Specifications"
 * (https://gradescope-autograders.readthedocs.io/en/latest/specs/, the
 * source github.com/gradescope/autograder_samples docs/specs.md):
 *
 *   score             number: the total ("required if not on each test")
 *   execution_time    number, seconds
 *   output            text about the whole submission, shown to students
 *   output_format, test_output_format, test_name_format
 *                     "text" (no HTML, Markdown or ANSI is rendered: a
 *                     question's "<you>" is text, not a tag)
 *   stdout_visibility "hidden": run_autograder's stdout, where the
 *                     teacher's whole report goes, is the teacher's
 *   extra_data        stored, not shown: {"labkit": {lab, grading, ...}}
 *   tests[]           a test per graded step, in spec order:
 *     name, number    "1.2 <question>", "1.2"
 *     score, max_score  the step's points (report_step_score())
 *     status          "passed" or "failed" (none for a skipped step)
 *     output          what the student is told, and shown
 *     tags            the exercise: "1. <title>"
 *     visibility      the step's (visible, hidden, after_due_date,
 *                     after_published: Gradescope's own words)
 *
 * Not graded (the grader's failure): no score anywhere — neither at the
 * top nor on a test, which the specification requires of a graded
 * result — and the output says why.  Cannot fail but in writing.
 */
#include "export_int.h"

#include <stdlib.h>
#include <string.h>

static void test_output(const struct export_class *x,
			const struct export_step *e, struct sb *out)
{
	const char *msg = export_message(x, e);

	sb_adds(out, export_verdict(x, e->verdict));
	if (*msg)
		sb_addf(out, ": %s", msg);
	if (e->verdict != VERDICT_PASSED)
		export_detail(x, e, out);
}

static void test(const struct export_class *x, const struct export_student *s,
		 const struct export_step *e, struct json *j)
{
	char *name = xasprintf("%s %s", e->st->id, export_question(x, e));
	char *tag = xasprintf("%s. %s", e->ex->id,
			      spec_text_get(&e->ex->title, x->lang));
	struct sb out;

	sb_init(&out);
	json_object(j);
	json_key(j, "name");
	json_string(j, name);
	json_key(j, "number");
	json_string(j, e->st->id);
	if (!s->s->not_graded) {
		json_key(j, "score");
		json_number(j, e->score.got, 1);
		json_key(j, "max_score");
		json_number(j, e->score.max, 1);
		if (e->verdict != VERDICT_SKIPPED) {
			json_key(j, "status");
			json_string(j, e->verdict == VERDICT_PASSED ? "passed" :
				    "failed");
		}
		test_output(x, e, &out);
	} else {
		sb_adds(&out, export_verdict(x, e->verdict));
	}
	json_key(j, "output");
	json_string(j, out.buf);
	json_key(j, "tags");
	json_array(j);
	json_string(j, tag);
	json_end(j);
	json_key(j, "visibility");
	json_string(j, spec_visibility_name(e->st->visibility));
	json_end(j);
	sb_release(&out);
	free(tag);
	free(name);
}

/* The whole submission's text: the score (unless a step is not shown to
 * students: Gradescope then hides the total, and so does this), each
 * shown step that did not pass. */
static void top_output(const struct export_class *x,
		       const struct export_student *s, struct sb *out)
{
	bool all_shown = true;

	if (s->s->not_graded) {
		char *why = export_not_graded(x, s);

		sb_adds(out, why);
		free(why);
		return;
	}
	for (size_t k = 0; k < x->c.nsteps; k++)
		all_shown = all_shown && export_visible(&s->steps[k]);
	if (all_shown)
		sb_addf(out, "%s: %d/%d %s", export_word(x, EW_SCORE),
			s->s->score.got, s->s->score.max,
			export_word(x, EW_POINTS));
	for (size_t k = 0; k < x->c.nsteps; k++) {
		const struct export_step *e = &s->steps[k];

		if (e->verdict == VERDICT_PASSED || !export_visible(e))
			continue;
		sb_addf(out, "%s%s: %s", out->len ? "\n" : "", e->st->id,
			export_verdict(x, e->verdict));
		if (*export_message(x, e))
			sb_addf(out, ": %s", export_message(x, e));
	}
}

static void extra_data(const struct export_class *x,
		       const struct export_student *s, struct json *j)
{
	json_key(j, "extra_data");
	json_object(j);
	json_key(j, "labkit");
	json_object(j);
	json_key(j, "lab");
	json_string(j, x->c.spec->lab_id);
	json_key(j, "student");
	json_string(j, s->s->name);
	json_key(j, "grading");
	json_string(j, s->s->not_graded ? "not graded" : "graded");
	if (s->s->not_graded) {
		json_key(j, "not_graded");
		json_string(j, s->s->not_graded);
	} else {
		json_key(j, "max_score");
		json_int(j, s->s->score.max);
	}
	json_key(j, "sandbox");
	json_string(j, s->s->sandbox ? s->s->sandbox : "");
	json_end(j);
	json_end(j);
}

int export_gradescope(const struct export_class *x,
		      const struct export_student *s, const char *dir)
{
	struct sb doc, out;
	struct json j;
	int rc;

	sb_init(&doc);
	sb_init(&out);
	json_init(&j, &doc, false);
	json_object(&j);
	if (!s->s->not_graded) {
		json_key(&j, "score");
		json_number(&j, s->s->score.got, 1);
	}
	json_key(&j, "execution_time");
	json_int(&j, (long)(s->s->seconds + 0.5));
	top_output(x, s, &out);
	json_key(&j, "output");
	json_string(&j, out.buf);
	json_key(&j, "output_format");
	json_string(&j, "text");
	json_key(&j, "test_output_format");
	json_string(&j, "text");
	json_key(&j, "test_name_format");
	json_string(&j, "text");
	json_key(&j, "stdout_visibility");
	json_string(&j, "hidden");
	extra_data(x, s, &j);
	json_key(&j, "tests");
	json_array(&j);
	for (size_t k = 0; k < x->c.nsteps; k++)
		test(x, s, &s->steps[k], &j);
	json_end(&j);
	json_end(&j);
	rc = export_write(dir, "results.json", &doc);
	sb_release(&out);
	sb_release(&doc);
	return rc;
}
