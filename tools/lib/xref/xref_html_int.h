/* xref_html_int.h — the web view's pages (xref_html.c), for xref_serve.c
 * and nobody else; each renders into `out` and returns its HTTP status. */
#ifndef LABKIT_XREF_HTML_INT_H
#define LABKIT_XREF_HTML_INT_H

#include <stddef.h>

struct sb;
struct xref_index;

int xref_html_home(const struct xref_index *idx, struct sb *out);
int xref_html_error(struct sb *out, int status, const char *msg);
/* `path` (relative to the root) whose contents are [text, text + len). */
int xref_html_source(const struct xref_index *idx, const char *path,
		     const char *text, size_t len, struct sb *out);
/* The index's files and directories right under `dir` ("" or "a/b/"). */
int xref_html_dir(const struct xref_index *idx, const char *dir, struct sb *out);
int xref_html_ident(const struct xref_index *idx, const char *name,
		    struct sb *out);
int xref_html_doc(const struct xref_index *idx, const char *query,
		  struct sb *out);

#endif
