/* sb.h — a growable, always NUL-terminated byte string. */
#ifndef LABKIT_SB_H
#define LABKIT_SB_H

#include <stdarg.h>
#include <stddef.h>

#include "events.h"                    /* PRINTF_LIKE */

/* A growable, always NUL-terminated byte string. */
struct sb {
	char *buf;
	size_t len;
	size_t cap;
};

void sb_init(struct sb *sb);
void sb_add(struct sb *sb, const void *data, size_t len);
void sb_adds(struct sb *sb, const char *s);
void sb_addc(struct sb *sb, char c);
void sb_addf(struct sb *sb, const char *fmt, ...) PRINTF_LIKE(2, 3);
void sb_vaddf(struct sb *sb, const char *fmt, va_list ap);
void sb_reset(struct sb *sb);
/* Hands the buffer to the caller and leaves `sb` empty, owning nothing
 * (usable again, or released at no cost). */
char *sb_detach(struct sb *sb, size_t *len);
void sb_release(struct sb *sb);

#endif
