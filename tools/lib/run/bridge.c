/*
 * bridge.c — a person's terminal joined to a booted guest, as a serial
 * console is: every byte of the guest's shell line shown as it comes,
 * every key typed on that line, the kernel's console beside it (a line
 * at a time, colored, the shell's half-drawn line drawn again under it).
 * The escape key (Ctrl-]) and a second key are labkit's: q leaves, k
 * shows or hides the kernel, Ctrl-] types itself; Ctrl-C, Ctrl-Z and
 * the rest go to the guest, whose programs they are for.
 *
 * Owns the terminal's mode while joined: raw input, output processing
 * kept, restored by bridge_end() on every way out (the caller calls it
 * whatever happened; a signal to labkit ends the bridge, it does not
 * kill it).  Starts and kills nothing: how the guest ends is the
 * caller's business.  Fails by ending the bridge with BRIDGE_ERROR.
 */
#include "bridge.h"
#include "events.h"
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define LINE_KEEP 1024   /* of the shell's half-drawn line, to redraw */

/* Writes what `fd` takes now, without blocking (a guest stopped in gdb
 * stops reading its line); the rest stays in `sb`. */
static int write_some(int fd, struct sb *sb)
{
	int flags = fcntl(fd, F_GETFL);
	ssize_t n;

	if (!sb->len)
		return 0;
	if (flags >= 0)
		fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	n = write(fd, sb->buf, sb->len);
	if (flags >= 0)
		fcntl(fd, F_SETFL, flags);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	memmove(sb->buf, sb->buf + n, sb->len - (size_t)n + 1);
	sb->len -= (size_t)n;
	return 0;
}

static void to_terminal(struct bridge *b, const char *s, size_t n)
{
	if (fs_write_all(b->out, s, n) < 0 && b->end == BRIDGE_ON)
		b->end = errno == EIO ? BRIDGE_HANGUP : BRIDGE_ERROR;
}

/* A byte of the shell's line being drawn, kept unless it belongs to an
 * escape sequence (ESC x, or ESC [ parameters final). */
static void keep_line(struct bridge *b, char c)
{
	if (b->esc == 1) {
		b->esc = c == '[' ? 2 : 0;
	} else if (b->esc == 2) {
		if (c >= 0x40 && c <= 0x7e)
			b->esc = 0;
	} else if (c == '\033') {
		b->esc = 1;
	} else if (c == '\n' || c == '\r') {
		sb_reset(&b->line);
	} else if (b->line.len < LINE_KEEP) {
		sb_addc(&b->line, c);
	}
}

/* The shell's bytes: shown as they are; the line being drawn kept. */
static void shell_bytes(void *ctx, const char *buf, size_t len)
{
	struct bridge *b = ctx;

	to_terminal(b, buf, len);
	for (size_t i = 0; i < len; i++)
		keep_line(b, buf[i]);
}

/* A complete line of the kernel's, on a line of its own above the
 * shell's half-drawn one. */
static void kernel_line(struct bridge *b, const char *s, size_t n)
{
	while (n && (s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	if (!b->kernel)
		return;
	if (!b->color) {        /* a file or a pipe: a line after a line */
		if (b->line.len)
			to_terminal(b, "\n", 1);
		to_terminal(b, s, n);
		to_terminal(b, "\n", 1);
		sb_reset(&b->line);
		return;
	}
	to_terminal(b, "\r\033[K\033[36m", 9);
	to_terminal(b, s, n);
	to_terminal(b, "\033[0m\r\n", 6);
	to_terminal(b, b->line.buf, b->line.len);
}

static void kernel_bytes(void *ctx, const char *buf, size_t len)
{
	struct bridge *b = ctx;

	for (size_t i = 0; i < len; i++) {
		sb_addc(&b->kline, buf[i]);
		if (buf[i] == '\n' || b->kline.len >= LINE_KEEP) {
			kernel_line(b, b->kline.buf, b->kline.len);
			sb_reset(&b->kline);
		}
	}
}

static void raw_mode(struct bridge *b)
{
	struct termios t;

	b->tty = -1;
	if (b->in < 0 || !isatty(b->in) || tcgetattr(b->in, &b->saved) < 0)
		return;
	t = b->saved;
	t.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR |
				 IGNCR | ICRNL | IXON);
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t.c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
	t.c_cflag |= CS8;
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(b->in, TCSAFLUSH, &t) == 0)
		b->tty = b->in;
}

void bridge_begin(struct bridge *b, struct guest *g, int in, int out,
		  bool kernel, const char *lab, const char *exercise)
{
	memset(b, 0, sizeof(*b));
	b->g = g;
	b->in = in;
	b->out = out;
	b->kernel = kernel;
	b->color = isatty(out);
	b->lab = lab;
	b->exercise = exercise;
	sb_init(&b->line);
	sb_init(&b->kline);
	sb_init(&b->keys);
	g->con.on_line = g->klog.on_line = NULL;
	g->con.on_bytes = shell_bytes;
	g->con.on_bytes_ctx = b;
	g->klog.on_bytes = kernel_bytes;
	g->klog.on_bytes_ctx = b;
	raw_mode(b);
}

void bridge_type(struct bridge *b, const char *s, size_t n)
{
	sb_add(&b->keys, s, n);
}

void bridge_note(struct bridge *b, const char *fmt, ...)
{
	struct sb text;
	va_list ap;

	sb_init(&text);
	va_start(ap, fmt);
	sb_vaddf(&text, fmt, ap);
	va_end(ap);
	to_terminal(b, "\r\033[K", b->color ? 4 : 1);
	events_note(b->lab, b->exercise, "%s", text.buf);
	to_terminal(b, b->line.buf, b->line.len);
	sb_release(&text);
}

static void help(struct bridge *b)
{
	bridge_note(b, "keys: Ctrl-] q leaves (the guest is stopped), "
		    "Ctrl-] k %s the kernel's messages, Ctrl-] Ctrl-] types "
		    "Ctrl-]; poweroff in the guest ends it too",
		    b->kernel ? "hides" : "shows");
}

/* The key after the escape key. */
static void escaped(struct bridge *b, char c)
{
	if (c == 'q' || c == 'Q' || c == '.') {
		b->end = BRIDGE_LEFT;
	} else if (c == 'k' || c == 'K') {
		b->kernel = !b->kernel;
		bridge_note(b, "the kernel's messages are %s (Ctrl-] k %s them)",
			    b->kernel ? "shown" : "hidden",
			    b->kernel ? "hides" : "shows");
	} else if (c == BRIDGE_ESCAPE) {
		sb_addc(&b->keys, c);
	} else {
		help(b);
	}
}

/* Keys that came: labkit's after the escape key, the rest the guest's. */
static void keys(struct bridge *b)
{
	char buf[512];
	ssize_t n = read(b->in, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		/* A closed terminal ends it; the end of a pipe's input only
		 * ends the keys (a script typed its commands). */
		if (b->tty >= 0 || n < 0)
			b->end = BRIDGE_HANGUP;
		b->in = -1;
		return;
	}
	for (ssize_t i = 0; i < n && b->end == BRIDGE_ON; i++) {
		if (b->escape) {
			b->escape = false;
			escaped(b, buf[i]);
		} else if (buf[i] == BRIDGE_ESCAPE) {
			b->escape = true;
		} else {
			sb_addc(&b->keys, buf[i]);
		}
	}
}

/* A console that came to its end: the guest is going; wait for it. */
static void guest_gone(struct bridge *b)
{
	console_drain(&b->g->klog, now_monotonic() + 0.5);
	proc_wait(&b->g->proc, now_monotonic() + 5.0);
	b->end = BRIDGE_GUEST_EXIT;
}

/* What is ready on a console of the guest. */
static void from_guest(struct bridge *b, struct console *c, short revents)
{
	enum console_status s;

	if (!(revents & (POLLIN | POLLHUP | POLLERR)))
		return;
	s = console_take(c);
	if (s == CONSOLE_EOF)
		guest_gone(b);
	else if (s != CONSOLE_OK)
		b->end = BRIDGE_ERROR;
}

enum bridge_end bridge_poll(struct bridge *b, struct pollfd *extra,
			    size_t nextra, int ms)
{
	struct guest *g = b->g;
	struct pollfd pfd[8] = {
		{ .fd = b->in, .events = POLLIN },
		{ .fd = g->con.fd, .events = POLLIN |
			(short)(b->keys.len ? POLLOUT : 0) },
		{ .fd = g->klog.fd, .events = POLLIN },
	};
	int r;

	if (nextra > 5)
		nextra = 5;
	memcpy(pfd + 3, extra, nextra * sizeof(*extra));
	if (proc_interrupted)
		return b->end = BRIDGE_INTERRUPTED;
	r = poll(pfd, 3 + nextra, ms);
	if (r < 0)
		return b->end = errno == EINTR ? b->end : BRIDGE_ERROR;
	memcpy(extra, pfd + 3, nextra * sizeof(*extra));
	if (pfd[0].revents && b->in >= 0)
		keys(b);
	if (pfd[1].revents & POLLOUT && write_some(g->con.fd, &b->keys) < 0)
		b->end = BRIDGE_ERROR;
	if (b->end == BRIDGE_ON)
		from_guest(b, &g->con, pfd[1].revents);
	if (b->end == BRIDGE_ON && g->klog.fd >= 0)
		from_guest(b, &g->klog, pfd[2].revents);
	if (b->end == BRIDGE_ON && proc_interrupted)
		b->end = BRIDGE_INTERRUPTED;
	return b->end;
}

void bridge_end(struct bridge *b)
{
	if (b->g && b->line.len)   /* the shell's last line, gone with it */
		to_terminal(b, "\r\033[K", b->color ? 4 : 1);
	if (b->tty >= 0)
		tcsetattr(b->tty, TCSAFLUSH, &b->saved);
	b->tty = -1;
	if (b->g) {
		b->g->con.on_bytes = b->g->klog.on_bytes = NULL;
		b->g = NULL;
	}
	sb_release(&b->line);
	sb_release(&b->kline);
	sb_release(&b->keys);
}
