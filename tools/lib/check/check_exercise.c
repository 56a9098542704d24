/*
 * check_exercise.c — the one loop that loads an exercise's results and
 * judges each of its steps (check_judge()), handing every judgement to
 * the caller: the report, the class summary (and through its hook the
 * platforms' files) and a student's JUnit all go through it.
 *
 * A results.yaml that does not load, or is another lab's or exercise's,
 * is an error message; the exercise is then judged as one that has not
 * run.  Nothing here prints.
 */
#include "check.h"
#include "layout.h"

#include <stdlib.h>
#include <string.h>

int check_exercise_load(struct check_exercise *x, const struct spec *spec,
			const struct spec_exercise *ex, const char *dir)
{
	int rc;

	memset(x, 0, sizeof(*x));
	x->spec = spec;
	x->ex = ex;
	x->path = layout_exercise_results(dir, ex->id);
	expand_vars_init(&x->vars);
	rc = results_load_exercise(&x->res, x->path, spec->lab_id, ex->id,
				   &x->loaded);
	if (rc < 0) {
		results_free(&x->res);
		results_init(&x->res, spec->lab_id, ex->id);
		x->loaded = false;
	}
	check_vars(spec, &x->res, &x->vars);
	return rc;
}

void check_exercise_judge(const struct check_exercise *x, check_step_fn *fn,
			  void *arg)
{
	for (size_t i = 0; i < x->ex->nsteps; i++) {
		struct check_judgement j;

		check_judge(&x->ex->steps[i], x->loaded ? &x->res : NULL,
			    &x->vars, &j);
		fn(x, i, &j, arg);
		check_judgement_free(&j);
	}
}

void check_exercise_free(struct check_exercise *x)
{
	free(x->path);
	results_free(&x->res);
	expand_vars_free(&x->vars);
	memset(x, 0, sizeof(*x));
}
