/* xref_index.h — an index of a kernel tree for the cross-referencer
 * (`labkit xref index`): built into one file, written atomically, and
 * opened again with mmap.  What an open index answers is xref_query.h's;
 * the web view over it is xref_serve.h's. */
#ifndef LABKIT_XREF_INDEX_H
#define LABKIT_XREF_INDEX_H

#include <stddef.h>

struct xref_build_stats {
	size_t files;   /* .c .h .S files indexed */
	size_t skipped; /* unreadable or too big, warned about */
	size_t bytes;
	size_t tokens;
	size_t syms;
	size_t defs;
	size_t refs;
	size_t docs;
	size_t index_bytes;
	double seconds;
	int updated;    /* an existing index was updated, not rebuilt */
	size_t reread;  /* files read again because they changed or are new */
	size_t removed; /* files gone since the index was written */
	size_t restamped; /* touched, the same content: only stamped anew */
};

/* xref_build() flags. */
enum { XREF_BUILD_FULL = 1 /* ignore an index already at `out` */ };

/* Indexes every .c .h .S file under `tree` (and the titles and headings
 * of Documentation/) into the one file `out`, written atomically, with
 * `jobs` worker threads.  When `out` is already an index of `tree`, only
 * the files whose size or mtime changed, and new files, are read again
 * (stats->updated), unless `flags` has XREF_BUILD_FULL.  -1 after
 * printing an error. */
int xref_build(const char *tree, const char *out, int jobs, unsigned flags,
	       struct xref_build_stats *stats);

struct xref_index;

/* Maps an index; NULL after printing an error for a missing, truncated,
 * foreign or old-version file. */
struct xref_index *xref_open(const char *path);
void xref_close(struct xref_index *idx);
/* The absolute source tree the index was built from. */
const char *xref_root(const struct xref_index *idx);

#endif
