/* xref_index_int.h — an open index as mapped (xref_index.c), for the
 * xref_*.c files that look into it beyond xref_query.h (the queries, the
 * Documentation/ search, the web view, an update reading the old index)
 * and nobody else: its sections, and the bounds-checked lookups of a
 * symbol, a string and a file's path. */
#ifndef LABKIT_XREF_INDEX_INT_H
#define LABKIT_XREF_INDEX_INT_H

#include "xref_format_int.h"
#include "xref_index.h"

#include <stddef.h>
#include <stdint.h>

struct xref_index {
	const uint8_t *base;
	size_t size;
	const struct xref_header *h;
	const struct xref_file_rec *files;
	const struct xref_sym_rec *syms;
	const struct xref_def_rec *defs;
	const struct xref_doc_rec *docs;
	const char *strs;
	const uint8_t *post;
};

/* A symbol's record (the sentinel after it is valid too), or NULL. */
const struct xref_sym_rec *xref_lookup(const struct xref_index *idx,
				       const char *name, size_t len);
/* The NUL-terminated string at `off` of the strings, or NULL. */
const char *xref_str(const struct xref_index *idx, uint32_t off);
/* A symbol's name and its length, or NULL when damaged. */
const char *xref_sym_name(const struct xref_index *idx,
			  const struct xref_sym_rec *s, size_t *len);
const char *xref_file_path(const struct xref_index *idx, uint32_t file);

/* Maps an index without a word when it is missing or unusable. */
struct xref_index *xref_open_quiet(const char *path);

#endif
