/* console.h — a guest's console on a pty: expect, log in, run commands. */
#ifndef LABKIT_CONSOLE_H
#define LABKIT_CONSOLE_H

#include <stddef.h>

#include "util.h"

struct match_pattern;

enum console_status {
	CONSOLE_OK = 0,
	CONSOLE_TIMEOUT,     /* the deadline passed */
	CONSOLE_EOF,         /* the guest closed its console (it exited) */
	CONSOLE_PANIC,       /* a panic/Oops/BUG line was seen */
	CONSOLE_INTERRUPTED, /* SIGINT/SIGTERM/SIGHUP */
	CONSOLE_ERROR,       /* a read or write failed */
};

struct console {
	int fd;              /* pty master, or any readable+writable fd */
	int transcript;      /* every byte read is appended here; -1 none */
	struct sb raw;       /* everything read, as read */
	struct sb text;      /* the complete lines of `raw`, normalized */
	size_t raw_done;     /* `raw` offset where the partial last line starts */
	size_t mark;         /* expect() searches from here in `text` */
	char *panic_line;    /* the first fatal line seen, or NULL */
	size_t seq;          /* command sequence number for markers */
	struct match_pattern *prompt; /* the shell's prompt, once logged in */
	/* Called with each complete normalized line as it arrives (a live
	 * status line); NULL for none. */
	void (*on_line)(void *ctx, const char *line, size_t len);
	void *on_line_ctx;
};

/* Opens a pty pair in raw mode; *slave is for the guest.  0 or -1. */
int console_open_pty(struct console *c, int *slave, int transcript_fd);
/* Wraps an existing fd (tests use a socketpair or a pipe). */
void console_init(struct console *c, int fd, int transcript_fd);
void console_close(struct console *c);

int console_send(struct console *c, const char *s);

/*
 * Reads until `p` matches the normalized console text after the mark, or
 * the deadline (monotonic).  On a match the mark moves past it and the
 * matched normalized text may be returned in *matched (caller frees).
 */
enum console_status console_expect(struct console *c,
				   const struct match_pattern *p,
				   double deadline, char **matched);

/* Login as in the lab: wait for `login_re`, send the user, answer a
 * password prompt if one comes, wait for the shell. */
struct console_login {
	const char *login_re;    /* "login: *$" */
	const char *user;        /* "root" */
	const char *password;    /* "" */
	const char *prompt_re;   /* "[#$] *$" */
};
enum console_status console_login(struct console *c,
				  const struct console_login *l,
				  double deadline);

/*
 * Runs one shell command, cut out between unique markers.  *output gets
 * what it printed (normalized), *exit_status its status.  After a login,
 * also waits for the next prompt, so the next command is not typed ahead
 * of it (which would garble the transcript's echo).
 */
enum console_status console_run(struct console *c, const char *cmd,
				double deadline, char **output,
				int *exit_status);

/* Reads until nothing came for `quiet` seconds (a screen done drawing),
 * EOF, or the deadline. */
enum console_status console_settle(struct console *c, double quiet,
				   double deadline);

/* Reads whatever comes until EOF or the deadline (after poweroff). */
enum console_status console_drain(struct console *c, double deadline);

/* The normalized console text up to the mark: what was seen so far by
 * expectations that matched (caller frees). */
char *console_seen(const struct console *c);

/* The last `n` lines of the console, normalized (caller frees). */
char *console_tail(const struct console *c, size_t n);

/* Is this line (normalized, no newline) one that means the kernel died? */
int console_is_fatal_line(const char *line, size_t len);

const char *console_status_str(enum console_status s);

#endif
