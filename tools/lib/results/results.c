/*
 * results.c — the results of a run as data, what `labkit run` leaves for
 * `labkit check` and `labkit report`: per step the command, its output,
 * exit status and duration, plus the facts of the run (kernel release,
 * the accelerator used and why); the names of statuses, outcomes and
 * fault kinds.  results_file.c writes and reads them as results.yaml.
 * Cannot fail but for a results file of another lab (an error message).
 */
#include "results.h"
#include "proc.h"
#include "text.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const status_names[STATUS_COUNT] = {
	[STATUS_RAN] = "ran",
	[STATUS_SKIP] = "skip",
	[STATUS_NOT_RUN] = "not-run",
	[STATUS_TIMEOUT] = "timeout",
	[STATUS_PANIC] = "panic",
	[STATUS_INTERRUPTED] = "interrupted",
	[STATUS_GUEST_EXIT] = "guest-exit",
	[STATUS_ERROR] = "error",
};

static const char *const outcome_names[OUTCOME_COUNT] = {
	[OUTCOME_OK] = "ok",
	[OUTCOME_FAIL] = "fail",
	[OUTCOME_TIMEOUT] = "timeout",
	[OUTCOME_PANIC] = "panic",
	[OUTCOME_BOOT_FAIL] = "boot-fail",
	[OUTCOME_INTERRUPTED] = "interrupted",
	[OUTCOME_GUEST_EXIT] = "guest-exit",
	[OUTCOME_ERROR] = "error",
};

static const char *const fault_names[FAULT_COUNT] = {
	[FAULT_NONE] = "none",
	[FAULT_WARN] = "warn",
	[FAULT_OOPS] = "oops",
	[FAULT_PANIC] = "panic",
};

TEXT_NAMES(results_status, enum step_status, status_names, STATUS_COUNT)

TEXT_NAMES(results_fault, enum fault_kind, fault_names, FAULT_COUNT)

TEXT_NAMES(results_outcome, enum run_outcome, outcome_names, OUTCOME_COUNT)

void results_init(struct results *r, const char *lab, const char *exercise)
{
	memset(r, 0, sizeof(*r));
	r->lab = xstrdup(lab ? lab : "");
	r->exercise = xstrdup(exercise ? exercise : "");
	r->outcome = OUTCOME_ERROR;
	expand_vars_init(&r->facts);
}

struct results_step *results_add_step(struct results *r, const char *id)
{
	struct results_step *s;

	ARRAY_PUSH(r->steps, r->nsteps, r->cap);
	s = &r->steps[r->nsteps++];
	memset(s, 0, sizeof(*s));
	s->id = xstrdup(id);
	s->status = STATUS_NOT_RUN;
	s->exit_status = -1;
	s->host_exit = -1;
	s->before_exit = -1;
	s->wait_seen = -1;
	s->ccache_hits = s->ccache_misses = -1;
	return s;
}

const struct results_step *results_step(const struct results *r,
					const char *id)
{
	for (size_t i = 0; i < r->nsteps; i++)
		if (!strcmp(r->steps[i].id, id))
			return &r->steps[i];
	return NULL;
}

void results_step_set_why(struct results_step *rs, enum step_status status,
			  const struct reason *why)
{
	rs->status = status;
	if (why)
		reason_copy(&rs->reason, why);
	else
		reason_free(&rs->reason);
}

void results_step_set(struct results_step *rs, enum step_status status,
		      enum reason_code code, ...)
{
	struct reason why = REASON_INIT;
	va_list ap;

	va_start(ap, code);
	reason_setv(&why, code, ap);
	va_end(ap);
	results_step_set_why(rs, status, code == REASON_NONE ? NULL : &why);
	reason_free(&why);
}

void results_fact_reason(struct results *r, const char *name,
			 const struct reason *why)
{
	char *text = reason_text(why, LANG_EN);
	size_t i = 0;

	expand_vars_set(&r->facts, name, text);
	free(text);
	while (i < r->nfact_why && strcmp(r->fact_why[i].name, name))
		i++;
	if (i == r->nfact_why) {
		ARRAY_PUSH(r->fact_why, r->nfact_why, r->fact_cap);
		r->fact_why[r->nfact_why].name = xstrdup(name);
		memset(&r->fact_why[r->nfact_why++].why, 0, sizeof(*why));
	}
	reason_copy(&r->fact_why[i].why, why);
}

const struct reason *results_fact_why(const struct results *r,
				      const char *name)
{
	for (size_t i = 0; i < r->nfact_why; i++)
		if (!strcmp(r->fact_why[i].name, name))
			return &r->fact_why[i].why;
	return NULL;
}

static double seconds(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

void results_step_finish(struct results_step *rs, int rc,
			 const struct proc *p, char *output)
{
	free(rs->output);
	rs->output = output;
	rs->duration = p->ended > p->started ? p->ended - p->started : 0;
	rs->user = seconds(p->ru.ru_utime);
	rs->sys = seconds(p->ru.ru_stime);
	rs->exit_status = rc >= 0 ? rc : -1;
	results_step_set(rs, rc == -2 ? STATUS_TIMEOUT : rc == -1 ?
			 STATUS_ERROR : STATUS_RAN, REASON_NONE);
}

void results_free(struct results *r)
{
	for (size_t i = 0; i < r->nsteps; i++) {
		struct results_step *s = &r->steps[i];

		free(s->id);
		reason_free(&s->reason);
		free(s->command);
		free(s->output);
		free(s->host_command);
		free(s->host_output);
		free(s->before_command);
		free(s->before_output);
		free(s->kernel);
		free(s->fault.line);
		free(s->fault.trace);
		free(s->fault.where);
		free(s->fault.source);
	}
	free(r->steps);
	free(r->lab);
	free(r->exercise);
	reason_free(&r->detail);
	for (size_t i = 0; i < r->nfact_why; i++) {
		free(r->fact_why[i].name);
		reason_free(&r->fact_why[i].why);
	}
	free(r->fact_why);
	free(r->tail);
	free(r->boot);
	expand_vars_free(&r->facts);
	memset(r, 0, sizeof(*r));
}

int results_load_exercise(struct results *r, const char *path,
			  const char *lab, const char *exercise, bool *loaded)
{
	struct stat st;

	*loaded = false;
	if (stat(path, &st) < 0 && errno == ENOENT) {
		results_init(r, lab, exercise);
		return 0;
	}
	if (results_load(r, path) < 0)
		return -1;
	if (!r->lab || !*r->lab || !r->exercise || !*r->exercise)
		return error_at(path, 0, 0,
				"not a labkit results file (no 'lab' or 'exercise')");
	if (strcmp(r->lab, lab) || strcmp(r->exercise, exercise))
		return error_at(path, 0, 0, "results of lab '%s' exercise '%s', "
				"expected lab '%s' exercise '%s'", r->lab,
				r->exercise, lab, exercise);
	*loaded = true;
	return 0;
}
