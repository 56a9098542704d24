/*
 * print.c — everything labkit prints about its work: errors and warnings
 * on stderr ("labkit: error: ...", or "file:line:col: error: ..." like a
 * compiler), progress on stdout (a line per step, notes such as the
 * accelerator chosen, a kernel build's own output as it comes), the live
 * status line on a terminal (status.c), and a failed run's last console
 * lines.  The library only hands over events (tools/lib/util/include/events.h).
 *
 * A fatal event (out of memory) ends the process with EXIT_INTERNAL.
 */
#include "print.h"
#include "events.h"
#include "results.h"
#include "status.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct status live;

static void message(void *ctx, const struct event_msg *m)
{
	struct sb line;

	(void)ctx;
	status_clear(&live);
	fflush(stdout);
	sb_init(&line);
	events_format(m, &line);
	fprintf(stderr, "%s\n", line.buf);
	sb_release(&line);
	if (m->level == EVENT_FATAL)
		exit(EXIT_INTERNAL);
}

/* "1m28.880s", as time(1) prints it. */
static const char *time1(char *buf, size_t len, double s)
{
	int m = (int)(s / 60);

	snprintf(buf, len, "%dm%.3fs", m, s - 60.0 * m);
	return buf;
}

static void step_start(const struct progress *p)
{
	if (p->timed) {     /* a kernel build's step: what runs, and where */
		printf("%s.%s: %s (in %s)\n", p->lab, p->rs->id,
		       p->rs->command ? p->rs->command : "", p->text);
		return;
	}
	if (strcmp(live.label, p->lab) || !live.t0)
		status_init(&live, p->lab, p->exercise, p->total);
	status_step(&live, p->step);
}

static void step_done(const struct progress *p)
{
	const struct results_step *rs = p->rs;
	char real[32], user[32], sys[32];

	status_clear(&live);
	if (p->timed)
		printf("%s.%s: %s: exit %d, real %s user %s sys %s\n", p->lab,
		       rs->id, rs->command ? rs->command : "", rs->exit_status,
		       time1(real, sizeof(real), rs->duration),
		       time1(user, sizeof(user), rs->user),
		       time1(sys, sizeof(sys), rs->sys));
	else if (rs->status == STATUS_RAN)
		printf("%s.%s: %-6s exit %d  %.2f s  %s\n", p->lab, rs->id,
		       results_status_name(rs->status), rs->exit_status,
		       rs->duration, rs->command);
	else
		printf("%s.%s: %-6s %s\n", p->lab, rs->id,
		       results_status_name(rs->status),
		       rs->reason ? rs->reason : "");
}

static void failure(const struct progress *p)
{
	const char *tail = p->detail;

	status_clear(&live);
	fflush(stdout);
	fprintf(stderr, "labkit: error: %s.%s: %s\n", p->lab, p->exercise,
		p->text);
	if (tail)
		fprintf(stderr, "--- last console lines ---\n%s%s---\n", tail,
			*tail && tail[strlen(tail) - 1] != '\n' ? "\n" : "");
	fprintf(stderr, "transcript: %s\n", p->path);
}

static void note(const struct progress *p)
{
	status_clear(&live);
	if (p->lab && p->exercise)
		printf("%s.%s: ", p->lab, p->exercise);
	else if (p->lab)
		printf("%s: ", p->lab);
	printf("%.*s\n", (int)p->len, p->text);
}

static void progress(void *ctx, const struct progress *p)
{
	(void)ctx;
	switch (p->kind) {
	case PROGRESS_NOTE:
		note(p);
		break;
	case PROGRESS_STEP_START:
		step_start(p);
		break;
	case PROGRESS_STEP_DONE:
		step_done(p);
		break;
	case PROGRESS_CONSOLE:
		status_console_line(&live, p->text, p->len);
		break;
	case PROGRESS_OUTPUT:
		status_clear(&live);
		fwrite(p->text, 1, p->len, stdout);
		break;
	case PROGRESS_FAILURE:
		failure(p);
		break;
	case PROGRESS_DONE:
		status_clear(&live);
		break;
	}
	fflush(stdout);
}

void print_install(void)
{
	static const struct events ev = { message, progress, NULL };

	events_set(&ev);
}
