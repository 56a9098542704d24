/*
 * export_classroom.c — a student's grading as GitHub Classroom's grading
 * reporter (classroom-resources/autograding-grading-reporter, formerly
 * education/autograding-grading-reporter; src/main.js,
 * src/notify-classroom.js, src/helpers/test-helpers.js) takes it: for each
 * runner id of its `runners` input, the environment variable
 * <RUNNER>_RESULTS (the id in upper case) holding base64 of a runner's
 * result, in the form its graders write
 * (classroom-resources/autograding-command-grader, src/main.js):
 *
 *   {"version": 1, "status": "pass"|"fail"|"error", "max_score": N,
 *    "tests": [{"name", "status", "score", "message", "test_code",
 *               "filename", "line_no", "duration"}]}
 *
 * The reporter shows a runner's points as (tests passed / tests) ×
 * max_score and tells Classroom the sum of the tests' `score` over the
 * sum of `max_score`: so each graded step is a runner of its own
 * ("labkit1", "labkit2", ... in spec order: its ids must be letters and
 * digits), whose one test carries the step's points, and the two agree.
 *
 * Written into <dir>: `env`, a line RUNNER_RESULTS=<base64> per step,
 * for $GITHUB_ENV; `runners`, the ids joined by commas, for the
 * reporter's `runners` input.  A step not `visible` is named without its
 * question and message (the student owns the repository and its logs).
 * Not graded: every test "error" with the reason (the reporter fails
 * the job, "Some tests errored"); Classroom has no ungraded state.
 */
#include "export_int.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

static const char *status_of(const struct export_class *x,
			     const struct export_student *s,
			     const struct export_step *e)
{
	(void)x;
	if (s->s->not_graded)
		return "error";
	return e->verdict == VERDICT_PASSED ? "pass" : "fail";
}

/* The step's message: the reason it did not pass, when shown. */
static char *message(const struct export_class *x,
		     const struct export_student *s,
		     const struct export_step *e)
{
	if (s->s->not_graded)
		return export_not_graded(x, s);
	if (!export_visible(e))
		return xstrdup(e->verdict == VERDICT_PASSED ? "" :
			       export_word(x, EW_HIDDEN));
	if (e->verdict == VERDICT_PASSED)
		return xstrdup("");
	return *export_message(x, e) ?
	       xasprintf("%s: %s", export_verdict(x, e->verdict),
			 export_message(x, e)) :
	       xstrdup(export_verdict(x, e->verdict));
}

/* One runner's result, compact. */
static void runner(const struct export_class *x, const struct export_student *s,
		   const struct export_step *e, struct sb *doc)
{
	const char *status = status_of(x, s, e);
	bool shown = export_visible(e);
	char *name = shown ? xasprintf("%s %s", e->st->id, export_question(x, e)) :
			     xstrdup(e->st->id);
	char *msg = message(x, s, e);
	struct json j;

	json_init(&j, doc, true);
	json_object(&j);
	json_key(&j, "version");
	json_int(&j, 1);
	json_key(&j, "status");
	json_string(&j, status);
	json_key(&j, "max_score");
	json_int(&j, e->score.max);
	json_key(&j, "tests");
	json_array(&j);
	json_object(&j);
	json_key(&j, "name");
	json_string(&j, name);
	json_key(&j, "status");
	json_string(&j, status);
	json_key(&j, "score");
	json_int(&j, s->s->not_graded ? 0 : e->score.got);
	json_key(&j, "message");
	json_string(&j, msg);
	json_key(&j, "test_code");
	json_string(&j, shown && e->command ? e->command : "");
	json_key(&j, "filename");
	json_string(&j, x->spec_name);
	json_key(&j, "line_no");
	json_int(&j, e->st->pos.line);
	json_key(&j, "duration");
	json_int(&j, (long)(e->seconds * 1000 + 0.5));
	json_end(&j);
	json_end(&j);
	json_end(&j);
	free(msg);
	free(name);
}

int export_classroom(const struct export_class *x,
		     const struct export_student *s, const char *dir)
{
	struct sb env, runners, doc;
	int rc;

	sb_init(&env);
	sb_init(&runners);
	sb_init(&doc);
	for (size_t k = 0; k < x->c.nsteps; k++) {
		sb_reset(&doc);
		runner(x, s, &s->steps[k], &doc);
		sb_addf(&env, "LABKIT%zu_RESULTS=", k + 1);
		text_base64(&env, doc.buf, doc.len);
		sb_addc(&env, '\n');
		sb_addf(&runners, "%slabkit%zu", k ? "," : "", k + 1);
	}
	sb_addc(&runners, '\n');
	rc = export_write(dir, "env", &env) < 0 ||
	     export_write(dir, "runners", &runners) < 0 ? -1 : 0;
	sb_release(&doc);
	sb_release(&runners);
	sb_release(&env);
	return rc;
}
