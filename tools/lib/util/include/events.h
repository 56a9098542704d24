/*
 * events.h — the library's one way out.  Every error, warning and sign of
 * progress goes to the callbacks the program installs with events_set()
 * (the labkit command's are in tools/labkit/print.c); the library itself
 * never prints and never exits.  Without callbacks nothing is shown, and
 * the last error is kept for events_last_error() (tests read it there).
 * Any thread may report; the callbacks are called one at a time.
 */
#ifndef LABKIT_EVENTS_H
#define LABKIT_EVENTS_H

#include <stdbool.h>
#include <stddef.h>

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

struct results_step;

enum event_level {
	EVENT_ERROR,
	EVENT_WARNING,
	EVENT_FATAL,             /* the process cannot go on (out of memory) */
};

/* A message, with the place in a file it is about, when it has one. */
struct event_msg {
	enum event_level level;
	const char *file;        /* NULL: not about a file */
	int line, col;           /* 1-based; 0: the whole file */
	const char *text;        /* lowercase, the subject quoted */
};

enum progress_kind {
	PROGRESS_NOTE,           /* a line of news: the accelerator, a login */
	PROGRESS_STEP_START,     /* step `step` of `total` starts (rs: command) */
	PROGRESS_STEP_DONE,      /* it ended; rs holds its result */
	PROGRESS_CONSOLE,        /* a line the guest printed (text, len) */
	PROGRESS_OUTPUT,         /* bytes of a command's output as they come */
	PROGRESS_FAILURE,        /* the run failed: text why, detail the
				    console's last lines, path the transcript */
	PROGRESS_DONE,           /* the run is over (a live line may go) */
};

struct progress {
	enum progress_kind kind;
	const char *lab;         /* "lab2" */
	const char *exercise;    /* "3" */
	size_t step, total;      /* 1-based; 0: before the first step */
	const char *text;
	size_t len;              /* of text */
	const char *detail;
	const char *path;
	const struct results_step *rs;
	bool timed;              /* a timed build step: show real/user/sys */
};

struct events {
	void (*message)(void *ctx, const struct event_msg *m);
	void (*progress)(void *ctx, const struct progress *p);
	void *ctx;
};

/* Installs the callbacks (copied); NULL for none. */
void events_set(const struct events *ev);

/* Hands a message or a sign of progress to the callbacks. */
void events_message(const struct event_msg *m);
void events_progress(const struct progress *p);
/* A PROGRESS_NOTE of lab.exercise, printf-style. */
void events_note(const char *lab, const char *exercise, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* `m` as a line for a person, without the newline: "file:line:col:
 * error: text", "file: error: text", or "labkit: error: text". */
struct sb;
void events_format(const struct event_msg *m, struct sb *out);

/* The text of the last error reported, "" when none. */
const char *events_last_error(void);

/* An error (events.h); returns -1 so callers can `return error()`. */
int error(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* An error at a place in a file ("file:line:col: error: ..."); line 0:
 * the whole file. */
int error_at(const char *file, int line, int col, const char *fmt, ...)
	PRINTF_LIKE(4, 5);
void warning(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* An internal failure the process cannot survive (out of memory): reported
 * as fatal, then abort() unless the program's callback ends it first. */
void die(const char *fmt, ...) PRINTF_LIKE(1, 2) __attribute__((noreturn));

#endif
