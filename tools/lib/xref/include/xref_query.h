/* xref_query.h — what an open index (xref_index.h) answers, as data:
 * where a name is defined and used, a definition with its comment, the
 * files whose path matches, the Documentation/ pages about some words.
 * Nothing here prints; `labkit xref` writes the answers out
 * (tools/labkit/xref_writeout.c) and the web view renders them. */
#ifndef LABKIT_XREF_QUERY_H
#define LABKIT_XREF_QUERY_H

#include <stddef.h>
#include <stdint.h>

struct xref_index;
struct xref_source;

/* What a definition defines. */
enum xref_kind {
	XREF_NONE,
	XREF_STRUCT,
	XREF_UNION,
	XREF_ENUM,
	XREF_TYPEDEF,
	XREF_FUNCTION,
	XREF_PROTOTYPE,
	XREF_MACRO,
	XREF_ENUMERATOR,
	XREF_VARIABLE,
	XREF_EXTERNVAR,
	XREF_SYSCALL,
	XREF_LABEL,
	XREF_NKINDS,
};

/* Definition flags. */
enum {
	XREF_DF_DECL = 1,  /* a declaration: prototype, extern, `struct x;` */
	XREF_DF_MACRO = 2, /* made by a macro: SYSCALL_DEFINE3(), DEFINE_MUTEX() */
	XREF_DF_BODY = 4,  /* a complete definition: a body, an initialiser, a
			    * macro's text, an enumerator, a typedef */
};

const char *xref_kind_name(enum xref_kind kind);
/* The kind called `name` ("struct", "func", "macro", ...), or -1. */
int xref_kind_parse(const char *name);

/* One definition as queries see it. */
struct xref_def {
	const char *path; /* relative to the root, NUL-terminated */
	const char *name;
	size_t name_len;
	uint32_t line;
	uint32_t start_line;
	uint32_t end_line;
	enum xref_kind kind;
	unsigned flags;
};

/* One reference. */
struct xref_ref {
	const char *path;
	uint32_t file;
	uint32_t line;
};

/* Definitions of `name` best first (bodies before declarations, then
 * include/ and core code before arch/ and tools/), filtered by `kind`
 * (XREF_NONE for any) and path prefix `in` (NULL for any).  Returns how
 * many were stored in `out` (at most `max`); `total` gets how many match. */
size_t xref_defs(const struct xref_index *idx, const char *name, int kind,
		 const char *in, struct xref_def *out, size_t max,
		 size_t *total);
/* References to `name` in path order; the same contract as xref_defs. */
size_t xref_refs(const struct xref_index *idx, const char *name,
		 const char *in, struct xref_ref *out, size_t max,
		 size_t *total);

/* Names that have a definition and begin with `name` (not `name` itself),
 * in name order: `user_path` suggests `user_path_at`.  Stores at most
 * `max` in `out` (the index's own strings) and returns how many. */
size_t xref_suggest(const struct xref_index *idx, const char *name,
		    const char **out, size_t max);

/* Called with each reference and its line of source, without the newline
 * (`text` is valid during the call only). */
typedef void xref_ref_line_fn(void *ctx, const struct xref_ref *ref,
			      const char *text, size_t len);
/* The references to `name` under `in` (NULL for any) in path order, at
 * most `limit` (0: all), each handed to `fn` with its line read from the
 * tree the index was built from.  Returns how many were handed over, or
 * -1 after an error naming a source that could not be read (the
 * references before it were handed over). */
long xref_ref_lines(const struct xref_index *idx, const char *name,
		    const char *in, size_t limit, xref_ref_line_fn *fn,
		    void *ctx);

/* A definition to show: the best of its name, with its comment. */
struct xref_shown {
	struct xref_def def;
	size_t total;          /* definitions that match, `def` the first */
	size_t decls;          /* declarations among the other total - 1 */
	uint32_t comment_line; /* the comment's first line, 0 when none */
	uint32_t comment_end;  /* its last line */
	struct xref_source *src; /* def.path, read */
};

/* The best definition of `name` (of `kind` under `in`, as xref_defs()),
 * with the comment block right above it, or else the nearest kernel-doc
 * comment above it that names it (`dget, dget_dlock - ...` documents
 * both), and its file read from the tree.  1 when found (free it with
 * xref_shown_free()), 0 when there is none, -1 after an error naming a
 * source that could not be read. */
int xref_show(const struct xref_index *idx, const char *name, int kind,
	      const char *in, struct xref_shown *out);
/* Line `n` (1-based) of the shown definition's file, without its newline;
 * NULL past the end. */
const char *xref_shown_line(const struct xref_shown *s, uint32_t n,
			    size_t *len);
void xref_shown_free(struct xref_shown *s);

/* The indexed files (sources, documents, others) whose path contains
 * `pattern`, under `in` (NULL for any), in path order, at most `limit`
 * (0: all): their paths (the index's own strings) in `*paths`, which the
 * caller frees.  Returns how many. */
size_t xref_files(const struct xref_index *idx, const char *pattern,
		  const char *in, size_t limit, const char ***paths);

/* One document matching a Documentation/ search. */
struct xref_doc_hit {
	const char *path;
	uint32_t line;     /* its title's */
	const char *title; /* "" when it has none */
	double score;
};

/* The documents whose headings match `words`, best first (ties in path
 * order), those under a quarter of the best score left out; returns how
 * many are in `*hits`, which the caller frees. */
size_t xref_doc_rank(const struct xref_index *idx, char **words, int nwords,
		     struct xref_doc_hit **hits);

#endif
