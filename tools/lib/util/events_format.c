/*
 * events_format.c — a message as a line for a person, like a compiler
 * writes it ("file:line:col: error: text").  Kept apart from events.c,
 * which uses no struct sb, so that the strings can report through it.
 */
#include "events.h"
#include "util.h"

void events_format(const struct event_msg *m, struct sb *out)
{
	static const char *const level[] = {
		[EVENT_ERROR] = "error", [EVENT_WARNING] = "warning",
		[EVENT_FATAL] = "fatal",
	};

	if (m->file && m->line > 0)
		sb_addf(out, "%s:%d:%d: %s: %s", m->file, m->line, m->col,
			level[m->level], m->text);
	else if (m->file)
		sb_addf(out, "%s: %s: %s", m->file, level[m->level], m->text);
	else
		sb_addf(out, "labkit: %s: %s", level[m->level], m->text);
}
