/*
 * events.c — where the library's messages and progress go: the callbacks
 * the program installed, and a copy of the last error; and the messages
 * themselves, error(), error_at(), warning() and die().  Cannot fail, and
 * uses nothing of labkit's (it formats into buffers of its own), so that
 * allocation and strings can report through it.
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
#include <stdlib.h>
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
	char *text = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;          /* no memory for a line of news: none */
	p.text = text;
	p.len = (size_t)n;
	events_progress(&p);
	free(text);
}

const char *events_last_error(void)
{
	return last_error;
}

static void report(enum event_level level, const char *file, int line,
		   int col, const char *fmt, va_list ap)
{
	char text[4096];
	struct event_msg m = { level, file, line, col, text };

	vsnprintf(text, sizeof(text), fmt, ap);
	events_message(&m);
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(EVENT_ERROR, NULL, 0, 0, fmt, ap);
	va_end(ap);
	return -1;
}

int error_at(const char *file, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(EVENT_ERROR, file, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(EVENT_WARNING, NULL, 0, 0, fmt, ap);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(EVENT_FATAL, NULL, 0, 0, fmt, ap);
	va_end(ap);
	abort();
}
