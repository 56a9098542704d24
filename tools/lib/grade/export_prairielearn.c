/*
 * export_prairielearn.c — a student's grading as PrairieLearn's external
 * grader reports it, /grade/results/results.json.  Its form, from
 * PrairieLearn's "External Grading" ("Grading results",
 * https://prairielearn.readthedocs.io/en/latest/externalGrading/, the
 * source github.com/PrairieLearn/PrairieLearn docs/externalGrading.md):
 *
 *   gradable   false when the submission could not be graded: "no points
 *              will be awarded or lost, and the student will not be
 *              penalized an attempt" — labkit's not graded, the
 *              grader's failure; `score` is then left out
 *   score      number in [0.0, 1.0]: points got / points of the steps
 *   message    one line for the student
 *   output     more text for the student
 *   tests[]    name ("1.2"), description (the question), points,
 *              max_points, message, output
 *
 * Everything in it is shown to the student, and a test has no
 * visibility of its own: a step not `visible` (labs.yaml) is left out of
 * `tests` (its points still count in `score`), and out of the texts.
 * The file must stay under 1 MB: outputs are trimmed (export.c).
 */
#include "export_int.h"

#include <stdlib.h>
#include <string.h>

static void test(const struct export_class *x, const struct export_step *e,
		 struct json *j)
{
	struct sb out;

	sb_init(&out);
	json_object(j);
	json_key(j, "name");
	json_string(j, e->st->id);
	json_key(j, "description");
	json_string(j, export_question(x, e));
	json_key(j, "points");
	json_int(j, e->score.got);
	json_key(j, "max_points");
	json_int(j, e->score.max);
	json_key(j, "message");
	if (e->verdict == VERDICT_PASSED || !*export_message(x, e))
		json_string(j, export_verdict(x, e->verdict));
	else {
		char *msg = xasprintf("%s: %s", export_verdict(x, e->verdict),
				      export_message(x, e));

		json_string(j, msg);
		free(msg);
	}
	if (e->verdict != VERDICT_PASSED) {
		export_detail(x, e, &out);
		json_key(j, "output");
		json_string(j, out.buf);
	}
	json_end(j);
	sb_release(&out);
}

/* got/max; a lab of no points at all (max 0) scores 1 when nothing
 * failed. */
static double fraction(const struct export_student *s)
{
	const struct summary_student *ss = s->s;

	if (ss->score.max > 0)
		return (double)ss->score.got / ss->score.max;
	return ss->counts[VERDICT_FAILED] || ss->counts[VERDICT_NOT_RUN] ? 0 : 1;
}

static void texts(const struct export_class *x, const struct export_student *s,
		  struct json *j)
{
	struct sb out;
	char *msg;

	sb_init(&out);
	msg = xasprintf("%s: %d/%d %s", export_word(x, EW_SCORE),
			s->s->score.got, s->s->score.max,
			export_word(x, EW_POINTS));
	for (size_t k = 0; k < x->c.nsteps; k++) {
		const struct export_step *e = &s->steps[k];

		if (e->verdict == VERDICT_PASSED || !export_visible(e))
			continue;
		sb_addf(&out, "%s%s: %s", out.len ? "\n" : "", e->st->id,
			export_verdict(x, e->verdict));
		if (*export_message(x, e))
			sb_addf(&out, ": %s", export_message(x, e));
	}
	json_key(j, "message");
	json_string(j, msg);
	json_key(j, "output");
	json_string(j, out.buf);
	free(msg);
	sb_release(&out);
}

int export_prairielearn(const struct export_class *x,
			const struct export_student *s, const char *dir)
{
	struct sb doc;
	struct json j;
	int rc;

	sb_init(&doc);
	json_init(&j, &doc, false);
	json_object(&j);
	json_key(&j, "gradable");
	json_bool(&j, !s->s->not_graded);
	if (s->s->not_graded) {
		char *why = export_not_graded(x, s);

		json_key(&j, "message");
		json_string(&j, why);
		free(why);
	} else {
		json_key(&j, "score");
		json_number(&j, fraction(s), 6);
		texts(x, s, &j);
		json_key(&j, "tests");
		json_array(&j);
		for (size_t k = 0; k < x->c.nsteps; k++)
			if (export_visible(&s->steps[k]))
				test(x, &s->steps[k], &j);
		json_end(&j);
	}
	json_end(&j);
	rc = export_write(dir, "results.json", &doc);
	sb_release(&doc);
	return rc;
}
