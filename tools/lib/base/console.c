/*
 * console.c — talking to a guest through its console as a student would:
 * wait for `login:`, type `root`, type commands.  Every byte read is
 * appended to the transcript before anything looks at it.  Commands are
 * wrapped in markers that differ between the echoed command line and what
 * the shell prints:
 *
 *     echo '@@LK'-B-7-@@; { CMD
 *     }; echo '@@LK'-E-7-$?-@@
 *
 * prints "@@LK-B-7-@@" and "@@LK-E-7-<status>-@@", which the echo of the
 * typed line (with its quotes) never contains, so the output and exit
 * status are cut out exactly.
 *
 * A guest may have two consoles, paired: the shell's line and the
 * kernel's (console_pair), read together so that neither blocks the
 * other.  The kernel's lines are watched: every fault (a warning, an
 * Oops, a panic) is remembered where it is, and a panic ("Kernel panic -
 * not syncing": the guest is dead) ends any wait at once with
 * CONSOLE_PANIC, the line kept to be quoted.  An Oops does not end a
 * wait: the guest goes on.  Every wait has a deadline.  What a console
 * keeps is bounded (CONSOLE_KEEP): a guest that prints without end is
 * read and dropped past it, and its step meets its deadline.  Nothing
 * here starts or kills processes.
 */
#include "console.h"
#include "match.h"
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

void console_init(struct console *c, int fd, int transcript_fd)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->transcript = transcript_fd;
	c->keep = CONSOLE_KEEP;
	c->kernel_log = true;
	sb_init(&c->raw);
	sb_init(&c->text);
}

int console_open_pty(struct console *c, int *slave, int transcript_fd)
{
	struct termios t;
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0)
		goto fail;
	*slave = open(ptsname(m), O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*slave < 0)
		goto fail;
	if (tcgetattr(*slave, &t) == 0) {
		cfmakeraw(&t);
		tcsetattr(*slave, TCSANOW, &t);
	}
	console_init(c, m, transcript_fd);
	return 0;
fail:
	if (m >= 0)
		close(m);
	return -1;
}

void console_close(struct console *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	sb_release(&c->raw);
	sb_release(&c->text);
	free(c->panic_line);
	c->panic_line = NULL;
	free(c->faults);
	c->faults = NULL;
	c->nfaults = c->faults_cap = 0;
	c->side = NULL;
	match_free(c->prompt);
	c->prompt = NULL;
}

int console_send(struct console *c, const char *s)
{
	return fs_write_all(c->fd, s, strlen(s));
}

/* How the kernel words a fault's first line, most severe first.  None
 * holds a pattern's special character: console_fault_pattern() joins
 * them as they are. */
static const struct {
	const char *text;
	enum fault_kind kind;
} faults[] = {
	{ "Kernel panic - not syncing", FAULT_PANIC },
	{ "BUG: ", FAULT_OOPS }, { "Oops: ", FAULT_OOPS },
	{ "general protection fault", FAULT_OOPS },
	{ "kernel BUG at ", FAULT_OOPS },
	{ "Unable to handle kernel", FAULT_OOPS },
	{ "WARNING: ", FAULT_WARN },
};

enum fault_kind console_fault_line(const char *line, size_t len)
{
	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		if (memmem(line, len, faults[i].text, strlen(faults[i].text)))
			return faults[i].kind;
	return FAULT_NONE;
}

char *console_fault_pattern(enum fault_kind k)
{
	struct sb sb;

	sb_init(&sb);
	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		if (faults[i].kind == k)
			sb_addf(&sb, "%s%s", sb.len ? "|" : "", faults[i].text);
	if (!sb.len) {
		sb_release(&sb);
		return NULL;
	}
	return sb_detach(&sb, NULL);
}

void console_pair(struct console *shell, struct console *kernel)
{
	shell->side = kernel;
	kernel->side = shell;
	shell->kernel_log = false;
	kernel->kernel_log = true;
}

/* A line of the kernel's: a panic is kept to be quoted (without the
 * printk time: a bracket that holds the panic's words is none), every
 * fault remembered where it is. */
static void watch_line(struct console *c, const char *line, size_t n)
{
	enum fault_kind k = console_fault_line(line, n);

	if (k == FAULT_NONE)
		return;
	if (k == FAULT_PANIC && !c->panic_line) {
		const char *end = line[0] == '[' ? memchr(line, ']', n) : NULL;

		if (end && (size_t)(end - line) + 2 <= n && end[1] == ' ' &&
		    console_fault_line(end + 2, n - (size_t)(end + 2 - line)) ==
		    FAULT_PANIC) {
			n -= (size_t)(end + 2 - line);  /* no printk time */
			line = end + 2;
		}
		c->panic_line = xstrndup(line, n);
	}
	ARRAY_PUSH(c->faults, c->nfaults, c->faults_cap);
	c->faults[c->nfaults].kind = k;
	c->faults[c->nfaults++].at = c->text.len;
}

/* One normalized line (`n` bytes, its newline included when it has one)
 * into `text`: watched on the kernel's console, handed to on_line. */
static void commit_line(struct console *c, const char *line, size_t n)
{
	size_t len = n && line[n - 1] == '\n' ? n - 1 : n;

	if (c->kernel_log)
		watch_line(c, line, len);
	sb_add(&c->text, line, n);
	if (c->on_line)
		c->on_line(c->on_line_ctx, line, len);
}

/*
 * Moves the complete lines that arrived since the last call from `raw` to
 * `text`, normalized, and (on the kernel's console) looks at each for a
 * fault.  A raw line may normalize to several (a lone CR, as a progress
 * bar prints, ends a line too): each is a line of its own.  Matching
 * works on `text` plus the normalized partial last line, so a mark in
 * `text` is exact whatever the reads' boundaries were.
 */
static void commit_lines(struct console *c)
{
	const char *buf = c->raw.buf;

	for (;;) {
		const char *nl = memchr(buf + c->raw_done, '\n',
					c->raw.len - c->raw_done);
		size_t n, len;
		char *clean;

		if (!nl)
			break;
		len = (size_t)(nl - (buf + c->raw_done)) + 1;
		clean = match_normalize(buf + c->raw_done, len, &n);
		for (size_t i = 0, end; i < n; i = end) {
			const char *eol = memchr(clean + i, '\n', n - i);

			end = eol ? (size_t)(eol - clean) + 1 : n;
			commit_line(c, clean + i, end - i);
		}
		free(clean);
		c->raw_done += len;
	}
}

/* `text` from `from` on, plus the partial last line (without the CRs a
 * line end may still bring).  Caller frees. */
static char *view(const struct console *c, size_t from, size_t *len)
{
	size_t plen, rlen = c->raw.len - c->raw_done;
	char *partial;
	struct sb sb;

	while (rlen > 0 && c->raw.buf[c->raw_done + rlen - 1] == '\r')
		rlen--;
	partial = match_normalize(c->raw.buf + c->raw_done, rlen, &plen);
	sb_init(&sb);
	if (from < c->text.len)
		sb_add(&sb, c->text.buf + from, c->text.len - from);
	sb_add(&sb, partial, plen);
	free(partial);
	return sb_detach(&sb, len);
}

/* Bytes that arrived (or labkit's note among them): to the transcript,
 * kept, cut into lines. */
static enum console_status keep_bytes(struct console *c, const char *p,
				      size_t n)
{
	if (c->transcript >= 0 && write(c->transcript, p, n) != (ssize_t)n)
		return CONSOLE_ERROR;
	sb_add(&c->raw, p, n);
	commit_lines(c);
	return CONSOLE_OK;
}

/* Past `keep` bytes (a guest printing without end): what arrives is read
 * and dropped, so the guest does not block, and the transcript says so
 * once; memory and disk stay bounded until the step's deadline. */
static enum console_status drop(struct console *c)
{
	char note[128];
	int n;

	if (c->dropping)
		return CONSOLE_OK;
	c->dropping = true;
	n = snprintf(note, sizeof(note),
		     "\n[labkit: the console printed more than %zu MiB; the rest is not kept]\n",
		     c->keep >> 20);
	return keep_bytes(c, note, (size_t)n);
}

/* Reads what is ready on `c` into it.  CONSOLE_OK when bytes arrived. */
static enum console_status take(struct console *c)
{
	char chunk[4096];
	ssize_t n;

	do
		n = read(c->fd, chunk, sizeof(chunk));
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EIO)
		return CONSOLE_EOF; /* pty: the slave side is closed */
	if (n < 0)
		return CONSOLE_ERROR;
	if (n == 0)
		return CONSOLE_EOF;
	return console_feed(c, chunk, (size_t)n);
}

enum console_status console_feed(struct console *c, const char *p, size_t n)
{
	if (c->raw.len >= c->keep)
		return drop(c);
	return keep_bytes(c, p, n);
}

/*
 * One read with a deadline, on `c` and, along, on its side (so that a
 * guest printing on one line never blocks on a full buffer of the other).
 * CONSOLE_OK when bytes arrived on either.
 */
static enum console_status read_some(struct console *c, double deadline)
{
	struct console *both[2] = { c, c->side && c->side->fd >= 0 ? c->side : NULL };

	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = c->fd, .events = POLLIN },
			{ .fd = both[1] ? both[1]->fd : -1, .events = POLLIN },
		};
		double left = deadline - now_monotonic();
		enum console_status s = CONSOLE_OK;
		int r;

		if (proc_interrupted)
			return CONSOLE_INTERRUPTED;
		if (left <= 0)
			return CONSOLE_TIMEOUT;
		r = poll(pfd, both[1] ? 2 : 1, (int)(left * 1000) + 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return CONSOLE_ERROR;
		for (int i = 0; i < 2 && s == CONSOLE_OK; i++)
			if (both[i] && (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				s = take(both[i]);
		if (r > 0)
			return s;
	}
}

/* A panic on the kernel's line, whichever console waits. */
static bool panicked(const struct console *c)
{
	return c->panic_line || (c->side && c->side->panic_line);
}

/* Tries `p` on the console text after the mark; on a match moves the
 * mark past it.  *matched gets the matched text, *from_mark the text
 * from the old mark on (both optional, caller frees). */
static int try_match(struct console *c, const struct match_pattern *p,
		     char **matched, char **from_mark)
{
	size_t len, ms, me;
	char *text = view(c, c->mark, &len);
	int r = match_find(p, text, len, 0, &ms, &me);

	if (r == 1) {
		if (matched)
			*matched = xstrndup(text + ms, me - ms);
		c->mark += me;
	}
	if (from_mark && r == 1)
		*from_mark = text;
	else
		free(text);
	return r;
}

enum console_status console_expect(struct console *c,
				   const struct match_pattern *p,
				   double deadline, char **matched)
{
	enum console_status s;

	for (;;) {
		if (try_match(c, p, matched, NULL) == 1)
			return CONSOLE_OK;
		if (panicked(c))
			return CONSOLE_PANIC;
		s = read_some(c, deadline);
		if (s != CONSOLE_OK)
			return s;
	}
}

static enum console_status expect_re(struct console *c, const char *re,
				     double deadline, char **matched)
{
	char *err = NULL;
	size_t off;
	struct match_pattern *p = match_compile(re, &err, &off);
	enum console_status s;

	if (!p) {
		error("bad console pattern '%s': %s", re, err);
		free(err);
		return CONSOLE_ERROR;
	}
	s = console_expect(c, p, deadline, matched);
	match_free(p);
	return s;
}

enum console_status console_login(struct console *c,
				  const struct console_login *l,
				  double deadline)
{
	enum console_status s;
	char *seen = NULL;
	char *line;
	char *either;

	s = expect_re(c, l->login_re, deadline, NULL);
	if (s != CONSOLE_OK)
		return s;
	line = xasprintf("%s\n", l->user);
	s = console_send(c, line) < 0 ? CONSOLE_ERROR : CONSOLE_OK;
	free(line);
	if (s != CONSOLE_OK)
		return s;
	either = xasprintf("(?:[Pp]assword: )|(?:%s)", l->prompt_re);
	s = expect_re(c, either, deadline, &seen);
	free(either);
	if (s == CONSOLE_OK && strstr(seen, "assword")) {
		line = xasprintf("%s\n", l->password ? l->password : "");
		if (console_send(c, line) < 0)
			s = CONSOLE_ERROR;
		free(line);
		if (s == CONSOLE_OK)
			s = expect_re(c, l->prompt_re, deadline, NULL);
	}
	free(seen);
	if (s == CONSOLE_OK) {
		char *err = NULL;
		size_t off;

		match_free(c->prompt);
		c->prompt = match_compile(l->prompt_re, &err, &off);
		free(err);
	}
	return s;
}

/* Cuts the output and status out of `text` (normalized, after the mark). */
static int cut_output(const char *text, size_t seq, char **output,
		      int *exit_status)
{
	char begin[64], end[64];
	const char *b, *e, *nl;

	snprintf(begin, sizeof(begin), "@@LK-B-%zu-@@", seq);
	snprintf(end, sizeof(end), "@@LK-E-%zu-", seq);
	b = strstr(text, begin);
	if (!b)
		return -1;
	nl = strchr(b, '\n');
	if (!nl)
		return -1;
	e = strstr(nl + 1, end);
	if (!e)
		e = strstr(nl, end);
	if (!e)
		return -1;
	*output = xstrndup(nl + 1, e >= nl + 1 ? (size_t)(e - nl - 1) : 0);
	*exit_status = atoi(e + strlen(end));
	return 0;
}

enum console_status console_run(struct console *c, const char *cmd,
				double deadline, char **output,
				int *exit_status)
{
	size_t seq = ++c->seq;
	char *line, *re, *text = NULL;
	struct match_pattern *p;
	enum console_status s = CONSOLE_OK;
	char *err = NULL;
	size_t off;

	*output = NULL;
	*exit_status = -1;
	re = xasprintf("@@LK-E-%zu-\\d+-@@", seq);
	p = match_compile(re, &err, &off);
	free(re);
	if (!p)
		die("marker pattern: %s", err);
	line = xasprintf("echo '@@LK'-B-%zu-@@; { %s\n}; echo '@@LK'-E-%zu-$?-@@\n",
			 seq, cmd, seq);
	if (console_send(c, line) < 0)
		s = CONSOLE_ERROR;
	free(line);
	while (s == CONSOLE_OK) {
		if (try_match(c, p, NULL, &text) == 1) {
			if (cut_output(text, seq, output, exit_status) < 0)
				s = CONSOLE_ERROR;
			break;
		}
		if (panicked(c)) {
			s = CONSOLE_PANIC;
			break;
		}
		s = read_some(c, deadline);
	}
	free(text);
	match_free(p);
	if (s == CONSOLE_OK && c->prompt)
		s = console_expect(c, c->prompt, deadline, NULL);
	return s;
}

enum console_status console_settle(struct console *c, double quiet,
				   double deadline)
{
	enum console_status s;

	for (;;) {
		double until = now_monotonic() + quiet;

		s = read_some(c, until < deadline ? until : deadline);
		if (s == CONSOLE_TIMEOUT)
			return now_monotonic() < deadline ? CONSOLE_OK : s;
		if (s != CONSOLE_OK)
			return s;
	}
}

enum console_status console_drain(struct console *c, double deadline)
{
	enum console_status s;

	do
		s = read_some(c, deadline);
	while (s == CONSOLE_OK);
	return s;
}

void console_settle_both(struct console *c, double quiet, double deadline)
{
	for (;;) {
		double until = now_monotonic() + quiet;

		if (read_some(c, until < deadline ? until : deadline) != CONSOLE_OK)
			return;
	}
}

char *console_text_from(const struct console *c, size_t from)
{
	return xstrdup(from < c->text.len ? c->text.buf + from : "");
}

char *console_seen(const struct console *c)
{
	size_t len;
	char *text = view(c, 0, &len);

	if (c->mark < len)
		text[c->mark] = '\0';
	return text;
}

char *console_tail(const struct console *c, size_t n)
{
	size_t len, i, lines = 0;
	char *text = view(c, 0, &len);
	char *tail;

	i = len;
	if (i > 0 && text[i - 1] == '\n')
		i--;
	while (i > 0) {
		if (text[i - 1] == '\n' && ++lines == n)
			break;
		i--;
	}
	tail = xstrdup(text + i);
	free(text);
	return tail;
}

const char *console_status_str(enum console_status s)
{
	switch (s) {
	case CONSOLE_OK: return "ok";
	case CONSOLE_TIMEOUT: return "timeout";
	case CONSOLE_EOF: return "console closed";
	case CONSOLE_PANIC: return "kernel panic";
	case CONSOLE_INTERRUPTED: return "interrupted";
	case CONSOLE_ERROR: return "console error";
	}
	return "?";
}
