/*
 * background.c — guest steps that do not run the plain way, one after
 * another on the shell's line: a step on another console of the guest
 * (`console:`), a step left running in the background (`background:
 * true`: typed, not waited for; the next steps run), a later step that
 * waits for it (`wait: {step:}`: for its end, or for a line of its
 * output), and keys pressed on the guest's keyboard before a step's
 * command (`keys:`, through devices.c).  A background step still
 * running when the exercise ends is stopped with Ctrl-C and reported
 * so (status timeout, with the reason).
 *
 * A background step's kernel text runs from its start to its own end
 * mark, across the steps that ran meanwhile.  What a console status
 * makes of a step, and of the run when the guest fails, is run.c's
 * (run_step_status, run_guest_failed); reasons are the catalog's.
 */
#include "run_dev_int.h"
#include "fault.h"
#include "match.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static double step_timeout(const struct run *r, const struct spec_step *st)
{
	return st->timeout > 0 ? st->timeout : r->ex->guest->timeout;
}

/* What the kernel printed from `from` to `to`, and its worst fault. */
static void kernel_span(struct run *r, struct results_step *rs, size_t from,
			size_t to)
{
	struct console *k = &r->guest.klog;

	if (k->fd < 0)
		return;
	free(rs->kernel);
	rs->kernel = console_span(k, from, to);
	fault_find(k, from, to, &rs->fault);
	fault_decode(&rs->fault, r->o->modules, r->o->nmodules);
}

/* A kernel `wait:` of a step on another console or in the background:
 * from `from` on, at most its timeout. */
static void wait_kernel(struct run *r, const struct spec_step *st,
			struct results_step *rs, size_t from, size_t *to)
{
	size_t off, end = 0;
	char *err = NULL, *pat = expand(st->wait->pattern, &r->vars,
					 EXPAND_REGEX, &off, NULL);
	struct match_pattern *p = pat ? match_compile(pat, &err, &off) : NULL;
	double t = now_monotonic();
	double secs = st->wait->timeout > 0 ? st->wait->timeout : step_timeout(r, st);

	rs->wait_seen = p && r->guest.klog.fd >= 0 &&
		console_expect_line(&r->guest.klog, p, from, t + secs, &end) ==
		CONSOLE_OK;
	if (rs->wait_seen && to && end > *to)
		*to = end;
	rs->waited = now_monotonic() - t;
	match_free(p);
	free(err);
	free(pat);
}

static struct run_bg *find_bg(struct run *r, const char *id)
{
	for (size_t i = 0; r->dev && i < r->dev->nbg; i++)
		if (!strcmp(r->dev->bg[i].st->id, id))
			return &r->dev->bg[i];
	return NULL;
}

/* A background step that passed its deadline: Ctrl-C on its console,
 * and its shell's prompt awaited; what it printed so far is its output. */
static void stop_bg(struct run *r, struct run_bg *b, struct results_step *rs,
		    const struct reason *why)
{
	free(rs->output);
	rs->output = console_text_from(b->con, b->con->mark);
	console_send(b->con, "\003");
	if (b->con->prompt)
		console_expect(b->con, b->con->prompt, now_monotonic() + 5, NULL);
	kernel_span(r, rs, b->kernel_from, r->guest.klog.text.len);
	results_step_set_why(rs, STATUS_TIMEOUT, why);
}

/* Waits until `deadline` for background step `b` to end; its result. */
static void collect(struct run *r, struct run_bg *b, double deadline,
		    const struct reason *late)
{
	struct results_step *rs = &r->res.steps[b->index];
	enum console_status s;

	b->done = true;
	if (r->res.outcome != OUTCOME_OK || r->guest.proc.exited) {
		if (r->died.code)
			results_step_set_why(rs, STATUS_NOT_RUN, &r->died);
		else
			results_step_set(rs, STATUS_NOT_RUN, REASON_BG_GONE);
		return;
	}
	free(rs->output);
	s = console_finish(b->con, b->seq, deadline, &rs->output, &rs->exit_status);
	rs->duration = now_monotonic() - b->t0;
	if (s == CONSOLE_TIMEOUT) {
		stop_bg(r, b, rs, late);
		return;
	}
	results_step_set(rs, run_step_status(s), console_status_reason(s));
	kernel_span(r, rs, b->kernel_from, s == CONSOLE_OK ? b->con->kernel_end :
		    r->guest.klog.text.len);
	if (s != CONSOLE_OK)
		run_guest_failed(r, s, b->st->id);
}

/* `wait: {step: X, for: P}`: until X's output shows P (X goes on). */
static void wait_output(struct run *r, const struct spec_step *st,
			struct results_step *rs, struct run_bg *b)
{
	size_t off, end, mark = b->con->mark;
	char *err = NULL, *pat = expand(st->wait->pattern, &r->vars,
					 EXPAND_REGEX, &off, NULL);
	struct match_pattern *p = pat ? match_compile(pat, &err, &off) : NULL;
	double t = now_monotonic();
	double secs = st->wait->timeout > 0 ? st->wait->timeout : step_timeout(r, st);

	rs->wait_seen = p && console_expect_line(b->con, p, mark, t + secs,
						 &end) == CONSOLE_OK;
	b->con->mark = mark;     /* the begin marker is still to be found */
	rs->waited = now_monotonic() - t;
	match_free(p);
	free(err);
	free(pat);
}

int run_bg_before(struct run *r, const struct spec_step *st,
		  struct results_step *rs)
{
	struct run_bg *b = st->wait && st->wait->step ? find_bg(r, st->wait->step) :
			   NULL;
	struct reason late = REASON_INIT;
	char secs[32];

	if (b && st->wait->pattern && !b->done) {
		wait_output(r, st, rs, b);
	} else if (b && !b->done) {
		double t = now_monotonic();

		snprintf(secs, sizeof(secs), "%g", step_timeout(r, st));
		reason_set(&late, REASON_BG_LATE, secs, st->id);
		collect(r, b, t + step_timeout(r, st), &late);
		rs->waited = now_monotonic() - t;
		rs->wait_seen = r->res.steps[b->index].status == STATUS_RAN;
		reason_free(&late);
	}
	if (r->res.outcome != OUTCOME_OK) {
		results_step_set_why(rs, STATUS_NOT_RUN, r->died.code ? &r->died :
				     &r->res.detail);
		return -1;
	}
	if (st->nkeys && run_press_keys(r, st) < 0) {
		results_step_set(rs, STATUS_ERROR, REASON_KEYS_FAILED);
		return -1;
	}
	return 0;
}

/* Types the step's command on its console and leaves it running. */
static void start_bg(struct run *r, const struct spec_step *st,
		     struct results_step *rs, struct console *c)
{
	struct run_devices *d = r->dev;
	struct run_bg *b;
	enum console_status s;

	d->bg = xrealloc(d->bg, (d->nbg + 1) * sizeof(*d->bg));
	b = &d->bg[d->nbg];
	*b = (struct run_bg){ .st = st, .index = (size_t)(rs - r->res.steps),
			      .con = c, .kernel_from = r->guest.klog.text.len,
			      .t0 = now_monotonic() };
	s = console_start(c, rs->command, &b->seq);
	if (s != CONSOLE_OK) {
		results_step_set(rs, run_step_status(s), console_status_reason(s));
		run_guest_failed(r, s, st->id);
		return;
	}
	d->nbg++;
	results_step_set(rs, STATUS_RAN, REASON_BG_RUNNING);
	if (st->wait && !st->wait->step)
		wait_kernel(r, st, rs, b->kernel_from, NULL);
}

/* Runs the step on another console, to its end. */
static void run_on(struct run *r, const struct spec_step *st,
		   struct results_step *rs, struct console *c)
{
	double t = now_monotonic();
	enum console_status s = console_run(c, rs->command, t + step_timeout(r, st),
					    &rs->output, &rs->exit_status);
	size_t to = s == CONSOLE_OK ? c->kernel_end : r->guest.klog.text.len;

	rs->duration = now_monotonic() - t;
	results_step_set(rs, run_step_status(s), console_status_reason(s));
	if (s == CONSOLE_OK && st->wait && !st->wait->step)
		wait_kernel(r, st, rs, r->kernel_from, &to);
	kernel_span(r, rs, r->kernel_from, to);
	r->kernel_from = to;
	if (s != CONSOLE_OK) {  /* as on the shell's line: the guest stops */
		run_guest_failed(r, s, st->id);
		r->res.expected = spec_step_expects_end(st, rs->status);
	}
}

bool run_bg_step(struct run *r, const struct spec_step *st,
		 struct results_step *rs)
{
	struct console *c;

	if (!st->console && !st->background)
		return false;
	c = run_dev_console(r, st->console);
	if (!c || c->fd < 0) {
		results_step_set(rs, STATUS_ERROR, REASON_NO_CONSOLE);
		return true;
	}
	if (st->background)
		start_bg(r, st, rs, c);
	else
		run_on(r, st, rs, c);
	if (st->host && rs->status == STATUS_RAN)
		run_host_side(r, st, rs);
	return true;
}

void run_bg_end(struct run *r)
{
	struct reason late = REASON_INIT;

	reason_set(&late, REASON_BG_UNFINISHED);
	for (size_t i = 0; r->dev && i < r->dev->nbg; i++) {
		struct run_bg *b = &r->dev->bg[i];

		if (!b->done)
			collect(r, b, now_monotonic() + 1.0, &late);
	}
	reason_free(&late);
}
