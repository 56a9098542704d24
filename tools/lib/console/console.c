/*
 * console.c — talking to a guest through its console as a student would:
 * wait for `login:`, type `root`, type commands.  Every byte read is
 * appended to the transcript before anything looks at it.  Commands are
 * wrapped in markers that carry a random nonce of the run (N) and differ
 * between the echoed command line and what the shell prints:
 *
 *     echo '@@LK-N'-B-7-@@; { CMD
 *     }; echo '@@LK-N'-E-7-$?-$(echo '@@LK-N'-K-7-@@ >/dev/console; echo $?)-@@
 *
 * prints "@@LK-N-B-7-@@" and "@@LK-N-E-7-<status>-<k>-@@", which the echo
 * of the typed line (with its quotes) never contains, and which nothing
 * the guest prints by chance can imitate: the output is cut between the
 * begin marker and the span the end marker's pattern matched.
 *
 * A guest may have two consoles, paired: the shell's line and the
 * kernel's (console_pair), read together so that neither blocks the
 * other.  A command's end is then also marked on the kernel's console
 * ("@@LK-N-K-7-@@" written to /dev/console, after every line the kernel
 * printed while the command ran; <k> in the end marker says whether it
 * was written): the mark is taken out of the kernel's text and remembered
 * where it stood, so what the kernel printed during a step is cut by the
 * console's own order, not by when labkit happened to read it.  The
 * kernel's lines are watched: every fault (a warning, an Oops, a panic)
 * is remembered where it is, and a panic ("Kernel panic - not syncing":
 * the guest is dead) ends any wait at once with CONSOLE_PANIC, the line
 * kept to be quoted.  An Oops does not end a wait: the guest goes on.
 * Every wait has a deadline.  What a console keeps is bounded
 * (CONSOLE_KEEP): a guest that prints without end is read and dropped
 * past it, and its step meets its deadline.  Nothing here starts or kills
 * processes.
 */
#include "console.h"
#include "match.h"
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <termios.h>
#include <unistd.h>

/* A fresh nonce: random bytes as hex; without a source of them, the
 * clock and the pid (still nothing a guest prints by chance). */
static void make_nonce(char *hex)
{
	unsigned char b[CONSOLE_NONCE_LEN / 2];
	size_t got = 0;
	ssize_t n;

	while (got < sizeof(b)) {
		n = getrandom(b + got, sizeof(b) - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got < sizeof(b)) {
		uint64_t x = (uint64_t)(now_monotonic() * 1e9) ^
			     ((uint64_t)getpid() << 40);

		memcpy(b, &x, sizeof(b) < sizeof(x) ? sizeof(b) : sizeof(x));
	}
	for (size_t i = 0; i < sizeof(b); i++)
		snprintf(hex + 2 * i, 3, "%02x", b[i]);
}

void console_init(struct console *c, int fd, int transcript_fd)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->transcript = transcript_fd;
	c->keep = CONSOLE_KEEP;
	c->kernel_log = true;
	make_nonce(c->nonce);
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
	free(c->marks);
	c->marks = NULL;
	c->nmarks = c->marks_cap = 0;
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
	memcpy(kernel->nonce, shell->nonce, sizeof(kernel->nonce));
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
 * A command's end mark on the kernel's console ("@@LK-<nonce>-K-<seq>-@@")
 * in a normalized line: taken out (a line left empty goes whole), and
 * remembered where it stood in `text`.  The nonce makes it ours.
 */
static void take_mark(struct console *c, char *line, size_t *n)
{
	char prefix[CONSOLE_NONCE_LEN + 16];
	size_t plen = (size_t)snprintf(prefix, sizeof(prefix), "@@LK-%s-K-",
				       c->nonce);
	char *m = memmem(line, *n, prefix, plen), *end;
	unsigned long long seq;

	if (!m)
		return;
	seq = strtoull(m + plen, &end, 10);
	if (end == m + plen || (size_t)(end - line) + 3 > *n ||
	    memcmp(end, "-@@", 3))
		return;
	end += 3;
	ARRAY_PUSH(c->marks, c->nmarks, c->marks_cap);
	c->marks[c->nmarks].seq = (size_t)seq;
	c->marks[c->nmarks++].at = c->text.len + (size_t)(m - line);
	memmove(m, end, *n - (size_t)(end - line));
	*n -= (size_t)(end - m);
	if (*n == 1 && line[0] == '\n' && m == line)
		*n = 0;
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
		c->raw_done += len;
		for (size_t i = 0, end; i < n; i = end) {
			const char *eol = memchr(clean + i, '\n', n - i);
			size_t sub;

			end = eol ? (size_t)(eol - clean) + 1 : n;
			sub = end - i;
			take_mark(c, clean + i, &sub);
			if (sub)
				commit_line(c, clean + i, sub);
		}
		free(clean);
	}
}

/* `text` from `from` on, plus the partial last line (without the CRs a
 * line end may still bring); on a kernel's console of its own, complete
 * lines only (a line is the kernel's when it is whole).  A `from` past
 * `text` is in the partial line (a match ended there: a prompt), and
 * what of it came before is left out.  Caller frees. */
static char *view(const struct console *c, size_t from, size_t *len)
{
	size_t plen, skip = 0, rlen = c->raw.len - c->raw_done;
	char *partial;
	struct sb sb;

	if (c->kernel_log && c->side)
		rlen = 0;
	while (rlen > 0 && c->raw.buf[c->raw_done + rlen - 1] == '\r')
		rlen--;
	partial = match_normalize(c->raw.buf + c->raw_done, rlen, &plen);
	sb_init(&sb);
	if (from < c->text.len)
		sb_add(&sb, c->text.buf + from, c->text.len - from);
	else
		skip = from - c->text.len < plen ? from - c->text.len : plen;
	sb_add(&sb, partial + skip, plen - skip);
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

enum console_status console_take(struct console *c)
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
	if (c->on_bytes)
		c->on_bytes(c->on_bytes_ctx, chunk, (size_t)n);
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
				s = console_take(both[i]);
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
 * mark past it.  *ms and *me (optional) get where the match is, as
 * offsets of the whole text; *from_mark (optional, caller frees) the text
 * from the old mark on. */
static int try_match(struct console *c, const struct match_pattern *p,
		     size_t *ms, size_t *me, char **from_mark)
{
	size_t len, s, e, from = c->mark;
	char *text = view(c, from, &len);
	int r = match_find(p, text, len, 0, &s, &e);

	if (r == 1) {
		if (ms)
			*ms = from + s;
		if (me)
			*me = from + e;
		c->mark += e;
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
		char *text = NULL;
		size_t from = c->mark, ms, me;

		if (try_match(c, p, &ms, &me, matched ? &text : NULL) == 1) {
			if (matched)
				*matched = xstrndup(text + ms - from, me - ms);
			free(text);
			return CONSOLE_OK;
		}
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
	if (s == CONSOLE_OK && console_set_prompt(c, l->prompt_re) < 0)
		s = CONSOLE_ERROR;
	return s;
}

int console_set_prompt(struct console *c, const char *prompt_re)
{
	char *err = NULL;
	size_t off;

	match_free(c->prompt);
	c->prompt = match_compile(prompt_re, &err, &off);
	if (!c->prompt)
		error("bad prompt pattern '%s': %s", prompt_re, err);
	free(err);
	return c->prompt ? 0 : -1;
}

/*
 * The output and status of command `seq`: `text` (normalized, from the
 * old mark) holds its begin marker, then the output, then the end marker
 * the pattern matched at [ms, me).  *kernel_mark: whether the guest wrote
 * the command's end mark on the kernel's console.
 */
static int cut_output(const struct console *c, const char *text, size_t ms,
		      size_t me, size_t seq, char **output, int *exit_status,
		      bool *kernel_mark)
{
	char *begin = xasprintf("@@LK-%s-B-%zu-@@", c->nonce, seq);
	const char *b = memmem(text, ms, begin, strlen(begin)), *nl, *e;
	const char *out;
	size_t elen = (size_t)snprintf(NULL, 0, "@@LK-%s-E-%zu-", c->nonce, seq);
	char *st;

	free(begin);
	if (!b || me - ms <= elen)
		return -1;
	nl = memchr(b, '\n', ms - (size_t)(b - text));
	out = nl ? nl + 1 : text + ms;   /* no newline: the output is empty */
	*output = xstrndup(out, (size_t)(text + ms - out));
	e = text + ms + elen;
	*exit_status = (int)strtol(e, &st, 10);
	*kernel_mark = st[0] == '-' && st[1] == '0' && st[2] == '-';
	return 0;
}

/* The line typed for command `seq`: markers around it, and, with a
 * kernel's console beside, the end marked there too. */
static char *command_line(const struct console *c, const char *cmd,
			  size_t seq)
{
	const char *n = c->nonce;

	if (!c->side)
		return xasprintf("echo '@@LK-%s'-B-%zu-@@; { %s\n}; "
				 "echo '@@LK-%s'-E-%zu-$?-none-@@\n",
				 n, seq, cmd, n, seq);
	return xasprintf("echo '@@LK-%s'-B-%zu-@@; { %s\n}; "
			 "echo '@@LK-%s'-E-%zu-$?-$(echo '@@LK-%s'-K-%zu-@@ "
			 "2>/dev/null >/dev/console; echo $?)-@@\n",
			 n, seq, cmd, n, seq, n, seq);
}

/* Where command `seq`'s end was marked on the kernel's console `k`. */
static bool find_mark(const struct console *k, size_t seq, size_t *at)
{
	for (size_t i = k->nmarks; i-- > 0;)
		if (k->marks[i].seq == seq) {
			*at = k->marks[i].at;
			return true;
		}
	return false;
}

/* Reads until the kernel's console beside `c` has command `seq`'s end
 * mark; c->kernel_end is where it stands.  A console that drops what it
 * reads has no marks to wait for: its end is where it stopped. */
static enum console_status await_kernel_mark(struct console *c, size_t seq,
					     double deadline)
{
	struct console *k = c->side;
	enum console_status s = CONSOLE_OK;

	while (!find_mark(k, seq, &c->kernel_end)) {
		if (k->dropping || k->fd < 0) {
			c->kernel_end = k->text.len;
			break;
		}
		if (panicked(c))
			return CONSOLE_PANIC;
		s = read_some(c, deadline);
		if (s != CONSOLE_OK)
			return s;
	}
	return s;
}

/* Waits for command `seq`'s end marker; cuts out what it printed. */
static enum console_status await_end(struct console *c, size_t seq,
				     double deadline, char **output,
				     int *exit_status, bool *kernel_mark)
{
	char *re = xasprintf("@@LK-%s-E-%zu-\\d+-\\w+-@@", c->nonce, seq);
	char *err = NULL, *text = NULL;
	struct match_pattern *p;
	enum console_status s = CONSOLE_OK;
	size_t off, ms, me;

	p = match_compile(re, &err, &off);
	free(re);
	if (!p)
		die("marker pattern: %s", err);
	while (s == CONSOLE_OK) {
		size_t from = c->mark;

		if (try_match(c, p, &ms, &me, &text) == 1) {
			if (cut_output(c, text, ms - from, me - from, seq, output,
				       exit_status, kernel_mark) < 0)
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
	return s;
}

enum console_status console_start(struct console *c, const char *cmd,
				  size_t *seq)
{
	char *line;
	enum console_status s;

	*seq = ++c->seq;
	line = command_line(c, cmd, *seq);
	s = console_send(c, line) < 0 ? CONSOLE_ERROR : CONSOLE_OK;
	free(line);
	return s;
}

enum console_status console_finish(struct console *c, size_t seq,
				   double deadline, char **output,
				   int *exit_status)
{
	bool kernel_mark = false;
	enum console_status s;

	*output = NULL;
	*exit_status = -1;
	s = await_end(c, seq, deadline, output, exit_status, &kernel_mark);
	if (s == CONSOLE_OK && c->side) {
		c->kernel_end = c->side->text.len;
		if (kernel_mark)
			s = await_kernel_mark(c, seq, deadline);
	}
	if (s == CONSOLE_OK && c->prompt)
		s = console_expect(c, c->prompt, deadline, NULL);
	return s;
}

enum console_status console_run(struct console *c, const char *cmd,
				double deadline, char **output,
				int *exit_status)
{
	size_t seq;
	enum console_status s = console_start(c, cmd, &seq);

	*output = NULL;
	*exit_status = -1;
	return s == CONSOLE_OK ? console_finish(c, seq, deadline, output,
						exit_status) : s;
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

char *console_text_from(const struct console *c, size_t from)
{
	return xstrdup(from < c->text.len ? c->text.buf + from : "");
}

char *console_span(const struct console *c, size_t from, size_t to)
{
	if (to > c->text.len)
		to = c->text.len;
	return xstrndup(c->text.buf ? c->text.buf + (from < to ? from : to) : "",
			from < to ? to - from : 0);
}

enum console_status console_expect_line(struct console *c,
					const struct match_pattern *p,
					size_t from, double deadline,
					size_t *line_end)
{
	enum console_status s;
	const char *nl;

	c->mark = from;
	s = console_expect(c, p, deadline, NULL);
	if (s != CONSOLE_OK)
		return s;
	/* A match that ends with its line's newline ends that line. */
	if (c->mark > c->text.len || (c->mark > from &&
				      c->text.buf[c->mark - 1] == '\n')) {
		*line_end = c->mark < c->text.len ? c->mark : c->text.len;
		return s;
	}
	nl = memchr(c->text.buf + c->mark, '\n', c->text.len - c->mark);
	*line_end = nl ? (size_t)(nl - c->text.buf) + 1 : c->text.len;
	return s;
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

enum reason_code console_status_reason(enum console_status s)
{
	switch (s) {
	case CONSOLE_OK: return REASON_NONE;
	case CONSOLE_TIMEOUT: return REASON_CONSOLE_TIMEOUT;
	case CONSOLE_EOF: return REASON_CONSOLE_CLOSED;
	case CONSOLE_PANIC: return REASON_CONSOLE_PANIC;
	case CONSOLE_INTERRUPTED: return REASON_CONSOLE_INTERRUPTED;
	case CONSOLE_ERROR: return REASON_CONSOLE_ERROR;
	}
	return REASON_CONSOLE_ERROR;
}

const char *console_status_str(enum console_status s)
{
	return s == CONSOLE_OK ? "ok" :
	       reason_word(console_status_reason(s), LANG_EN);
}
