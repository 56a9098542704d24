/* xref_writeout.h — `labkit xref`'s query answers written out as lines or
 * JSON (xref_writeout.c); cmd_xref.c asks, the library answers. */
#ifndef LABKIT_XREF_WRITEOUT_H
#define LABKIT_XREF_WRITEOUT_H

#include <stddef.h>
#include <stdio.h>

struct xref_index;

/* How to answer: where, filtered how, in which format. */
struct writeout {
	FILE *out;
	const char *in; /* path prefix filter, or NULL */
	int kind;       /* enum xref_kind; XREF_NONE for any */
	int json;
	size_t limit;   /* 0: no limit (doc: 10) */
};

/* Each returns 0 when something was found, 1 when nothing was (after an
 * error saying so), -1 after an error. */
int writeout_def(const struct xref_index *idx, const struct writeout *w,
		 char **names, int nnames);
int writeout_refs(const struct xref_index *idx, const struct writeout *w,
		  const char *name);
/* `what` is NAME, or "struct NAME" / "union NAME" / "enum NAME". */
int writeout_show(const struct xref_index *idx, const struct writeout *w,
		  const char *what);
int writeout_file(const struct xref_index *idx, const struct writeout *w,
		  const char *pattern);
int writeout_doc(const struct xref_index *idx, const struct writeout *w,
		 char **words, int nwords);

#endif
