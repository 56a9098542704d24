/* xref.h — the offline kernel cross-referencer behind `labkit xref`: a C
 * tokenizer, definition detection, a one-file index read back with mmap,
 * and the queries the lab's LXR steps run. */
#ifndef LABKIT_XREF_H
#define LABKIT_XREF_H

#include <stddef.h>
#include <stdint.h>

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

/* --- tokenizer ---------------------------------------------------------- */

enum xref_tok_type {
	XREF_TOK_IDENT,
	XREF_TOK_NUMBER,
	XREF_TOK_STRING,
	XREF_TOK_CHAR,
	XREF_TOK_HEADER, /* <linux/fs.h> after #include */
	XREF_TOK_PUNCT,
};

/* Token flags. */
enum {
	XREF_TF_BOL = 1,       /* first token on its line */
	XREF_TF_PP = 2,        /* part of a preprocessor directive */
	XREF_TF_DIRECTIVE = 4, /* the '#' that starts a directive */
	XREF_TF_DEF = 8,       /* the name a definition defines */
	XREF_TF_NOREF = 16,    /* not a reference: `defined`, macro parameters */
	XREF_TF_INACTIVE = 32, /* #if 0, or an #else branch that unbalances braces */
};

/* Punctuators other than single characters (`ch` of a PUNCT token). */
enum {
	XREF_P_OP = 0x80, /* any other multi-character operator: == += << ... */
	XREF_P_ARROW,     /* -> */
	XREF_P_ELLIPSIS,  /* ... */
	XREF_P_PASTE,     /* ## */
};

struct xref_token {
	uint32_t off;  /* byte offset in the source */
	uint32_t len;
	uint32_t line; /* 1-based */
	uint32_t sym;  /* identifier hash; the symbol id once interned */
	uint8_t type;  /* enum xref_tok_type */
	uint8_t ch;    /* PUNCT: the character ('{' for '<%' too) or XREF_P_* */
	uint8_t cls;   /* IDENT: keyword class (xref_classify) */
	uint8_t flags; /* XREF_TF_* */
};

struct xref_tokens {
	struct xref_token *v;
	size_t n;
	size_t cap;
};

/* Splits `src` into tokens (comments and whitespace dropped, line
 * continuations joined).  Never fails: any bytes give some tokens.
 * Files of 4 GiB or more are the caller's to refuse. */
void xref_lex(const char *src, size_t len, struct xref_tokens *out);
void xref_tokens_free(struct xref_tokens *t);
/* The FNV-1a hash xref_lex() stores in an identifier's `sym`. */
uint32_t xref_hash(const char *s, size_t len);
/* Keyword class of an identifier (0 for a plain name); the bit
 * XREF_CLS_KW marks a C keyword, which is never a reference. */
enum { XREF_CLS_KW = 0x80 };
uint8_t xref_classify(const char *s, size_t len);

/* --- definition detection ----------------------------------------------- */

enum xref_lang { XREF_LANG_C, XREF_LANG_ASM };

/* One definition found in a file.  `name` points into the source or,
 * for a made-up name such as sys_open, into the parser's own buffer
 * (valid only during the callback). */
struct xref_found {
	const char *name;
	size_t name_len;
	uint32_t tok;        /* index of the name token, or UINT32_MAX */
	uint32_t line;       /* the name's line */
	uint32_t start_line; /* where the declaration starts */
	uint32_t end_line;   /* its last line (closing brace, ';', macro end) */
	uint8_t kind;        /* enum xref_kind */
	uint8_t flags;       /* XREF_DF_* */
};

typedef void xref_def_fn(void *ctx, const struct xref_found *def);

/* Finds the definitions in tokenized `src` (tokens need `cls` set), calls
 * `fn` for each (the macros first, then the declarations, each in source
 * order), and sets XREF_TF_DEF / NOREF / INACTIVE on the tokens. */
void xref_parse(const char *src, struct xref_tokens *t, enum xref_lang lang,
		xref_def_fn *fn, void *ctx);
/* xref_lex + classify + xref_parse, for tests and one-off files. */
void xref_scan(const char *src, size_t len, enum xref_lang lang,
	       struct xref_tokens *t, xref_def_fn *fn, void *ctx);

/* --- index --------------------------------------------------------------- */

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
struct xref_source;

/* Maps an index; NULL after printing an error for a missing, truncated,
 * foreign or old-version file. */
struct xref_index *xref_open(const char *path);
void xref_close(struct xref_index *idx);
/* The absolute source tree the index was built from. */
const char *xref_root(const struct xref_index *idx);

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

/* --- the web view (`labkit xref serve`) ---------------------------------- */

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
