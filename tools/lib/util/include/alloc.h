/* alloc.h — allocation that never returns NULL (it dies, through
 * events.h), formatted strings, growing arrays; the monotonic clock. */
#ifndef LABKIT_ALLOC_H
#define LABKIT_ALLOC_H

#include <stddef.h>

#include "events.h"                    /* PRINTF_LIKE, die() */

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* Grow an array `p` of `n` used elements to hold at least one more. */
#define ARRAY_PUSH(p, n, cap)                                              \
	do {                                                               \
		if ((n) == (cap)) {                                        \
			(cap) = (cap) ? 2 * (cap) : 8;                     \
			(p) = xrealloc((p), (cap) * sizeof(*(p)));         \
		}                                                          \
	} while (0)

/* Monotonic seconds. */
double now_monotonic(void);

#endif
