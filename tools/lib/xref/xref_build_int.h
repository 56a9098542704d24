/* xref_build_int.h — an index being built, for the xref_*.c files that
 * build it (xref_build.c, xref_tree.c, xref_worker.c, xref_write.c,
 * xref_update.c) and nobody else: the walked files, the workers' symbol
 * tables, postings and definitions, the documents' headings, and the
 * steps of a build. */
#ifndef LABKIT_XREF_BUILD_INT_H
#define LABKIT_XREF_BUILD_INT_H

#include "xref_index.h"
#include "xref_lex_int.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/* --- the index being built (xref_worker.c fills it, xref_write.c writes it)
 *
 * The source files are split into segments of about equal bytes; two
 * workers eat each segment from both ends (one forward, one backward)
 * until they meet, so they finish together whatever the files cost.  A
 * worker's postings for a symbol are one run in its own direction; the
 * writer glues the runs in file order, reversing the backward ones. */

/* A source file or document of the tree. */
struct xref_src {
	char *path;    /* relative to the tree */
	uint64_t size;
	int64_t mtime_ns;
	uint64_t hash; /* of the content, once read */
	uint8_t type;  /* XREF_FILE_* */
	uint8_t score; /* path rank */
};

/* A symbol as one worker saw it: 20 bytes, as there are millions.  The
 * name lives in the worker's arena after two bytes, its length and its
 * keyword class.  Up to 7 bytes of postings live in `post` itself (bit 0
 * set, the length in bits 1-3, byte i in bits 8i + 8...), more in a block
 * `post` points to, which starts with its length and capacity (two
 * uint32_t); 0 is no postings.  A forward worker writes ((file delta <<
 * 1) | 1) where a new file starts, a backward one ((file << 1) | 1). */
struct xref_wsym {
	uint32_t name_off;
	uint32_t last_file;
	uint32_t line;    /* the last line seen; the global id once merged */
	uint32_t post[2]; /* a uint64_t, kept 4-aligned */
};

/* A definition one worker found: 14 bytes, as there are millions. */
struct __attribute__((packed)) xref_wdef {
	uint32_t sym; /* worker symbol, then global symbol */
	uint32_t file;
	uint32_t line;
	uint16_t span;
	uint8_t back;
	uint8_t kind; /* kind | flags << 4 */
};

/* Postings blocks bigger than fit inline: carved from 1 MiB slabs in
 * size classes 1.5x apart, reused through a free list per class. */
#define XREF_SLAB_CLASSES 24
struct xref_slabs {
	uint8_t *cur;
	size_t left;
	void *free[XREF_SLAB_CLASSES];
	void **all;
	size_t nall, call;
};

/* A document's title and heading words (xref_doc_extract). */
struct xref_doc {
	uint32_t file;
	uint32_t line;
	char *title;
	char *words;
};

struct xref_docs {
	struct xref_doc *v;
	size_t n, cap;
};

struct xref_segment {
	size_t lo, hi; /* the files not yet taken */
	pthread_mutex_t lock;
};

struct xref_worker {
	const struct xref_build *b;
	struct xref_segment *seg;
	int backward;
	/* symbols: open addressing over `syms`, each slot the top 8 bits
	 * of the hash over id + 1 */
	uint32_t *slots;
	size_t mask;
	struct xref_wsym *syms;
	size_t nsyms, csyms;
	struct xref_slabs slabs;
	char *names;
	size_t nnames, cnames;
	uint32_t *order; /* symbols sorted by name, after the scan */
	size_t norder;
	struct xref_wdef *defs; /* by global symbol and rank, once merged */
	size_t ndefs, cdefs;
	struct xref_docs docs; /* Documentation/ files it read */
	struct xref_tokens toks;
	char *buf;
	size_t cbuf;
	size_t bytes, tokens, refs, skipped;
	double seconds;
};

struct xref_build {
	const char *root; /* absolute */
	struct xref_src *files;
	size_t nfiles, cfiles;
	const uint8_t *only; /* when set, only files[i] with only[i] are read */
	struct xref_segment *segs;
	struct xref_worker *workers; /* in file order of their runs */
	int nworkers;
	struct xref_docs docs;
};

static inline uint64_t xref_wpost_word(const struct xref_wsym *y)
{
	return (uint64_t)y->post[1] << 32 | y->post[0];
}

static inline const char *xref_wname(const struct xref_worker *w,
				     const struct xref_wsym *y, size_t *len)
{
	*len = (uint8_t)w->names[y->name_off];
	return w->names + y->name_off + 2;
}

/* A worker symbol's postings: their bytes (in `tmp` when inline) and
 * length. */
static inline const uint8_t *xref_wpost(const struct xref_wsym *y,
					uint8_t tmp[8], uint32_t *len)
{
	uint64_t v = xref_wpost_word(y);

	if (v & 1) {
		*len = (uint32_t)(v >> 1) & 7;
		for (uint32_t i = 0; i < *len; i++)
			tmp[i] = (uint8_t)(v >> (8 * i + 8));
		return tmp;
	}
	if (!v) {
		*len = 0;
		return tmp;
	}
	*len = ((const uint32_t *)(uintptr_t)v)[0];
	return (const uint8_t *)(uintptr_t)v + 8;
}

/* Lists the files under b->root into b->files, sorted by path. */
int xref_walk(struct xref_build *b);

/* Reads the files on the workers' threads (b->nworkers set), each
 * worker's symbols sorted by name after, and the documents gathered in
 * b->docs (xref_worker.c). */
void xref_scan_files(struct xref_build *b);
/* Frees what xref_scan_files() made: the workers, their segments and
 * b->docs (nothing when it has not run). */
void xref_scan_free(struct xref_build *b);

/* Merges the workers' symbols and writes the index to `out` through a
 * temporary file and rename(2).  -1 after printing an error. */
int xref_write(struct xref_build *b, const char *out,
	       struct xref_build_stats *stats);

/* Re-indexes into the existing index `out` only the files of the walked
 * `b` that changed since it was written (xref_update.c): 1 when done,
 * 0 when a full build is the better way (no usable index there, another
 * tree, too much changed), -1 after printing an error. */
int xref_update(struct xref_build *b, const char *out,
		struct xref_build_stats *stats);

/* Documentation: the title of a .rst/.txt file and its headings, made
 * into lowercase stemmed words, one heading per line, the title first
 * (xref_doc.c, for the workers).  Returns the title's line (0 when the
 * file has no heading). */
uint32_t xref_doc_extract(const char *text, size_t len, char **title,
			  char **words);

#endif
