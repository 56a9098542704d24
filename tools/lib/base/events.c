/*
 * events.c — where the library's messages and progress go: the callbacks
 * the program installed, and a copy of the last error.  Cannot fail.
 *
 * The callbacks are set once, when the program starts (like libgit2's
 * trace callback).  Threads may report (the cross-referencer's workers
 * do): the callbacks are called one at a time, under a lock, and the last
 * error is the last of any thread.
 */
#include "events.h"
#include "util.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static struct events installed;
static char last_error[1024];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void events_set(const struct events *ev)
{
	if (ev)
		installed = *ev;
	else
		memset(&installed, 0, sizeof(installed));
}

void events_message(const struct event_msg *m)
{
	pthread_mutex_lock(&lock);
	if (m->level != EVENT_WARNING) {
		if (m->file && m->line > 0)
			snprintf(last_error, sizeof(last_error), "%s:%d:%d: %s",
				 m->file, m->line, m->col, m->text);
		else if (m->file)
			snprintf(last_error, sizeof(last_error), "%s: %s",
				 m->file, m->text);
		else
			snprintf(last_error, sizeof(last_error), "%s", m->text);
	}
	if (installed.message)
		installed.message(installed.ctx, m);
	pthread_mutex_unlock(&lock);
}

void events_progress(const struct progress *p)
{
	pthread_mutex_lock(&lock);
	if (installed.progress)
		installed.progress(installed.ctx, p);
	pthread_mutex_unlock(&lock);
}

void events_note(const char *lab, const char *exercise, const char *fmt, ...)
{
	struct progress p = { .kind = PROGRESS_NOTE, .lab = lab,
			      .exercise = exercise };
	struct sb text;
	va_list ap;

	sb_init(&text);
	va_start(ap, fmt);
	sb_vaddf(&text, fmt, ap);
	va_end(ap);
	p.text = text.buf;
	p.len = text.len;
	events_progress(&p);
	sb_release(&text);
}

void events_format(const struct event_msg *m, struct sb *out)
{
	static const char *const level[] = {
		[EVENT_ERROR] = "error", [EVENT_WARNING] = "warning",
		[EVENT_FATAL] = "fatal",
	};

	if (m->file && m->line > 0)
		sb_addf(out, "%s:%d:%d: %s: %s", m->file, m->line, m->col,
			level[m->level], m->text);
	else if (m->file)
		sb_addf(out, "%s: %s: %s", m->file, level[m->level], m->text);
	else
		sb_addf(out, "labkit: %s: %s", level[m->level], m->text);
}

const char *events_last_error(void)
{
	return last_error;
}
