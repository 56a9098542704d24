/* console.h — a guest's console on a pty: expect, log in, run commands. */
#ifndef LABKIT_CONSOLE_H
#define LABKIT_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

#include "results.h"
#include "util.h"

struct match_pattern;

enum console_status {
	CONSOLE_OK = 0,
	CONSOLE_TIMEOUT,     /* the deadline passed */
	CONSOLE_EOF,         /* the guest closed its console (it exited) */
	CONSOLE_PANIC,       /* the kernel said "Kernel panic - not syncing" */
	CONSOLE_INTERRUPTED, /* SIGINT/SIGTERM/SIGHUP */
	CONSOLE_ERROR,       /* a read or write failed */
};

/* A line of the kernel's that says something went wrong, where it is. */
struct console_fault {
	enum fault_kind kind;
	size_t at;           /* offset of its line in `text` */
};

/* What a console keeps of what it reads: past it, bytes are dropped. */
#define CONSOLE_KEEP ((size_t)16 << 20)

/* The hex digits of a run's random nonce, which every marker carries. */
#define CONSOLE_NONCE_LEN 16

/* Where on the kernel's console a command's end was marked. */
struct console_mark {
	size_t seq;          /* the command's sequence number */
	size_t at;           /* offset in `text` where the mark stood */
};

struct console {
	int fd;              /* pty master, or any readable+writable fd */
	int transcript;      /* every byte read is appended here; -1 none */
	struct sb raw;       /* everything read, as read */
	struct sb text;      /* the complete lines of `raw`, normalized */
	size_t raw_done;     /* `raw` offset where the partial last line starts */
	size_t mark;         /* expect() searches from here in `text` */
	size_t keep;         /* bytes of `raw` kept (CONSOLE_KEEP) ... */
	bool dropping;       /* ... and past them, read and dropped */
	bool kernel_log;     /* the kernel prints here: its lines are watched
			        for faults (console_init sets it) */
	struct console *side;/* another console of the same guest, read along
			        (the kernel's beside the shell's), or NULL */
	char *panic_line;    /* the panic line seen, or NULL */
	struct console_fault *faults; /* every fault line seen, in order */
	size_t nfaults, faults_cap;
	size_t seq;          /* command sequence number for markers */
	char nonce[CONSOLE_NONCE_LEN + 1]; /* this run's, random: in every
			        marker, so nothing the guest prints by chance
			        is taken for one (console_pair shares it) */
	struct console_mark *marks; /* the kernel's console: each command's
			        end mark seen, taken out of `text` */
	size_t nmarks, marks_cap;
	size_t kernel_end;   /* the shell's console: where on its side the
			        last command's end was marked */
	struct match_pattern *prompt; /* the shell's prompt, once logged in */
	/* Called with each complete normalized line as it arrives (a live
	 * status line); NULL for none. */
	void (*on_line)(void *ctx, const char *line, size_t len);
	void *on_line_ctx;
	/* Called with every chunk read, as read, before it is kept or
	 * dropped (a person's terminal attached to the guest); NULL for
	 * none. */
	void (*on_bytes)(void *ctx, const char *buf, size_t len);
	void *on_bytes_ctx;
};

/* Opens a pty pair in raw mode; *slave is for the guest.  0 or -1. */
int console_open_pty(struct console *c, int *slave, int transcript_fd);
/* Wraps an existing fd (tests use a socketpair or a pipe). */
void console_init(struct console *c, int fd, int transcript_fd);
void console_close(struct console *c);

int console_send(struct console *c, const char *s);

/*
 * Reads once what is ready on the console (its caller polled its fd, as a
 * terminal bridge does): CONSOLE_OK when bytes came (kept, cut into lines,
 * handed to on_bytes), CONSOLE_EOF when the guest closed it, CONSOLE_ERROR.
 */
enum console_status console_take(struct console *c);

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

/* The shell's prompt is `prompt_re` from now on (a shell already logged
 * in: a guest restored at its prompt).  0, or -1 with a message. */
int console_set_prompt(struct console *c, const char *prompt_re);

/*
 * Runs one shell command, cut out between markers that carry the run's
 * nonce.  *output gets what it printed (normalized), *exit_status its
 * status.  With a kernel's console paired, the command's end is marked
 * there too (written to the guest's /dev/console, in the order of the
 * kernel's own lines), and the run returns once that mark has been read:
 * c->kernel_end is where it stands.  When the output was cut out but the
 * mark did not come by the deadline, *output is set all the same and the
 * status says why the run did not end well.  After a login, also waits for the
 * next prompt, so the next command is not typed ahead of it (which would
 * garble the transcript's echo).
 */
enum console_status console_run(struct console *c, const char *cmd,
				double deadline, char **output,
				int *exit_status);

/* console_run() in two halves, for a command left running while others
 * do their work (a background step): types it (*seq its number), and
 * later waits for its end and cuts out its output. */
enum console_status console_start(struct console *c, const char *cmd,
				  size_t *seq);
enum console_status console_finish(struct console *c, size_t seq,
				   double deadline, char **output,
				   int *exit_status);

/* Reads until nothing came for `quiet` seconds (a screen done drawing),
 * EOF, or the deadline. */
enum console_status console_settle(struct console *c, double quiet,
				   double deadline);

/* Takes `n` bytes as if read from the guest: into the transcript, kept
 * (up to `keep`), cut into lines and watched.  take() feeds what it reads
 * through here; tests and the fuzzer (tests/fuzz/) feed bytes directly.
 * CONSOLE_OK, or CONSOLE_ERROR when the transcript cannot be written. */
enum console_status console_feed(struct console *c, const char *p, size_t n);

/* Reads whatever comes until EOF or the deadline (after poweroff). */
enum console_status console_drain(struct console *c, double deadline);

/* The normalized console text up to the mark: what was seen so far by
 * expectations that matched (caller frees). */
char *console_seen(const struct console *c);

/* The last `n` lines of the console, normalized (caller frees). */
char *console_tail(const struct console *c, size_t n);

/* What fault, if any, a line of the kernel's (normalized, no newline)
 * reports: panic, an Oops (BUG:, Oops:, general protection fault, kernel
 * BUG at, Unable to handle kernel) or a warning (WARNING:). */
enum fault_kind console_fault_line(const char *line, size_t len);
/* A pattern matching any first line of a fault of kind `k`, as
 * console_fault_line() tells them ("WARNING: "); NULL for a kind without
 * one (caller frees). */
char *console_fault_pattern(enum fault_kind k);

/* Pairs two consoles of one guest: the shell's, and the kernel's (whose
 * lines alone are watched for faults); each is read along when the other
 * waits, and a panic on the kernel's ends a wait on either. */
void console_pair(struct console *shell, struct console *kernel);

/* The normalized text from byte `from` of `text` on, complete lines only
 * (caller frees). */
char *console_text_from(const struct console *c, size_t from);

/* The normalized text from byte `from` to byte `to` of `text` (caller
 * frees). */
char *console_span(const struct console *c, size_t from, size_t to);

/*
 * Reads until `p` matches the kernel's console from byte `from` of its
 * text on, in complete lines, or the deadline.  *line_end gets the offset
 * just past the line the match ends in.
 */
enum console_status console_expect_line(struct console *c,
					const struct match_pattern *p,
					size_t from, double deadline,
					size_t *line_end);

/* Why a wait ended, as a reason of the catalog (reason.h): REASON_NONE
 * for CONSOLE_OK. */
enum reason_code console_status_reason(enum console_status s);
/* ... in English, for messages ("console closed"; "ok"). */
const char *console_status_str(enum console_status s);

#endif
