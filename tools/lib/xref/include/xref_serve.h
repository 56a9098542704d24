/* xref_serve.h — `labkit xref serve`: a local LXR in the browser over an
 * index (xref_index.h) and its tree, and the two checks on a request
 * that keep it inside the tree. */
#ifndef LABKIT_XREF_SERVE_H
#define LABKIT_XREF_SERVE_H

#include <stddef.h>

struct xref_serve_opts {
	const char *index;
	const char *tree; /* NULL: the root stored in the index */
	const char *bind; /* an IPv4 or IPv6 address */
	unsigned port;    /* 0: any free port */
};

/* Serves the index and its tree over HTTP until SIGINT or SIGTERM, once
 * listening saying "labkit xref serve: http://ADDR:PORT/" (a PROGRESS_NOTE
 * of no lab).  The signal that stopped it, or -1 after an error. */
int xref_serve(const struct xref_serve_opts *o);

/* Opens `rel` (a '/'-separated path, already URL-decoded) below the
 * directory `rootfd` for reading, never leaving it: -1 with errno EINVAL
 * for a path that may not name anything inside (empty, absolute, a `.` or
 * `..` or empty component, '\', '%', control bytes), or with the
 * openat(2) errno (ELOOP for any symbolic link on the way). */
int xref_serve_open(int rootfd, const char *rel);
/* Percent-decodes [s, s + len) into a new string; NULL for a malformed
 * escape or NUL, and in a path (`query` 0) for an escaped '/', '%' or
 * '\'.  In a query string '+' is a space. */
char *xref_serve_decode(const char *s, size_t len, int query);

#endif
