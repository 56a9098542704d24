/*
 * bridge.h — a person's terminal joined to a booted guest (bridge.c):
 * what `labkit shell` (shell.c) and `labkit gdb` (gdb.c) share.  Private
 * to the run stage.
 */
#ifndef LABKIT_BRIDGE_H
#define LABKIT_BRIDGE_H

#include <poll.h>
#include <stdbool.h>
#include <termios.h>

#include "guest.h"
#include "util.h"

/* The escape key: Ctrl-] (as telnet's and virsh console's). */
#define BRIDGE_ESCAPE 0x1d

/* How a bridge ended. */
enum bridge_end {
	BRIDGE_ON,               /* it has not */
	BRIDGE_LEFT,             /* the escape key, then q */
	BRIDGE_GUEST_EXIT,       /* the guest ended (poweroff, a panic) */
	BRIDGE_HANGUP,           /* the terminal went away */
	BRIDGE_INTERRUPTED,      /* SIGINT, SIGTERM, SIGHUP to labkit */
	BRIDGE_ERROR,            /* a read or write failed */
};

struct bridge {
	struct guest *g;
	int in;                  /* the person's keys, or -1 (gdb has them) */
	int out;                 /* the terminal the guest is shown on */
	int tty;                 /* `in` as a terminal in raw mode now, or
				    -1 ... */
	struct termios saved;    /* ... and this is how it was */
	bool color;              /* `out` is a terminal: kernel lines colored */
	bool kernel;             /* the kernel's lines are shown */
	bool escape;             /* the escape key came last */
	struct sb line;          /* the shell's line being drawn (redrawn
				    after a kernel line), without its escape
				    sequences (ash's prompt asks the terminal
				    where the cursor is: asked again, the
				    answer would be typed into the guest) */
	int esc;                 /* in an escape sequence: 1 after ESC, 2 in
				    a CSI's parameters; 0 not */
	struct sb kline;         /* the kernel's line not yet complete */
	struct sb keys;          /* keys not yet taken by the guest */
	enum bridge_end end;
	const char *lab, *exercise; /* for notes */
};

/*
 * Joins `in` (keys, or -1) and `out` to the guest: every byte of its
 * shell's line goes to `out` as it comes, the kernel's console beside it
 * when `kernel` (a line at a time, colored on a terminal), keys to the
 * shell's line.  A terminal `in` goes into raw mode (output processing
 * kept, so labkit's own lines still end well) until bridge_end().  The
 * consoles' line callbacks (the live status line) are off from then on.
 */
void bridge_begin(struct bridge *b, struct guest *g, int in, int out,
		  bool kernel, const char *lab, const char *exercise);

/*
 * One round: waits up to `ms` for keys, the guest's lines and the
 * caller's own `extra` descriptors (their revents set), and deals with
 * what came.  Returns b->end: BRIDGE_ON while it goes on.
 */
enum bridge_end bridge_poll(struct bridge *b, struct pollfd *extra,
			    size_t nextra, int ms);

/* Types `s` on the guest's shell line, as keys. */
void bridge_type(struct bridge *b, const char *s, size_t n);

/* A note for the person on its own line, the shell's line redrawn after
 * it (events.h: the note is printed by the command). */
void bridge_note(struct bridge *b, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* The terminal as it was, the consoles' callbacks back; the guest stays
 * as it is.  Safe to call twice. */
void bridge_end(struct bridge *b);

#endif
