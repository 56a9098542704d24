/* status.h — a live status line for long runs on a terminal. */
#ifndef LABKIT_STATUS_H
#define LABKIT_STATUS_H

#include <stdbool.h>
#include <stddef.h>

struct status {
	bool live;           /* stdout is a terminal (and TERM is not dumb) */
	char label[64];      /* "lab2.3" */
	size_t step, total;  /* step n of m; 0 before the first */
	double t0;           /* monotonic start */
	char last[256];      /* the guest's last console line */
};

/* Live only when stdout is a terminal; otherwise every call is a no-op. */
void status_init(struct status *s, const char *lab, const char *exercise,
		 size_t total);
/* Step `n` (1-based) starts: redraws the line. */
void status_step(struct status *s, size_t n);
/* A console line arrived. */
void status_console_line(struct status *s, const char *line, size_t len);
/* Erases the line, so that a plain line can be printed in its place. */
void status_clear(struct status *s);

#endif
