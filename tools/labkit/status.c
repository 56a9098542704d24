/*
 * status.c — the live status line of `labkit run` on a terminal:
 * "[lab2.3 step 2/5 12.3 s] <the guest's last console line>", redrawn in
 * place (\r, erase to end of line) and cut to the terminal's width.
 * Plain, one-line-per-step output stays print.c's; it calls
 * status_clear() before printing one.  When stdout is not a terminal
 * (ctest, CI logs) nothing is drawn at all.  Cannot fail.
 */
#include "status.h"
#include "text.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static void erase_line(void)
{
	fputs("\r\033[K", stdout);
}

void status_init(struct status *s, const char *lab, const char *exercise,
		 size_t total)
{
	const char *term = getenv("TERM");

	memset(s, 0, sizeof(*s));
	s->live = isatty(STDOUT_FILENO) && term && strcmp(term, "dumb");
	snprintf(s->label, sizeof(s->label), "%s.%s", lab, exercise);
	s->total = total;
	s->t0 = now_monotonic();
}

static int columns(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10)
		return ws.ws_col;
	return 80;
}

static void draw(const struct status *s)
{
	char head[128];
	int n, room;

	if (s->step == 0)
		n = snprintf(head, sizeof(head), "[%s boot %.1f s] ", s->label,
			     now_monotonic() - s->t0);
	else
		n = snprintf(head, sizeof(head), "[%s step %zu/%zu %.1f s] ",
			     s->label, s->step, s->total, now_monotonic() - s->t0);
	room = columns() - 1 - n;
	printf("\r\033[K%s%.*s", head,
	       room > 0 ? (int)text_utf8_prefix(s->last, (size_t)room, NULL) : 0,
	       s->last);
	fflush(stdout);
}

void status_step(struct status *s, size_t n)
{
	s->step = n;
	if (s->live)
		draw(s);
}

void status_console_line(struct status *s, const char *line, size_t len)
{
	if (!s->live || len == 0)
		return;
	if (len >= sizeof(s->last)) { /* cut before a character, not inside */
		len = sizeof(s->last) - 1;
		while (len > 0 && ((unsigned char)line[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(s->last, line, len);
	s->last[len] = '\0';
	for (char *c = s->last; *c; c++)
		if ((unsigned char)*c < ' ')
			*c = ' ';
	draw(s);
}

void status_clear(struct status *s)
{
	if (s->live) {
		erase_line();
		fflush(stdout);
	}
}
