/* xref_int.h — what the xref_*.c files share and nobody else sees: the
 * index file's layout, varints and document headings. */
#ifndef LABKIT_XREF_INT_H
#define LABKIT_XREF_INT_H

#include "xref_index.h"
#include "xref_lex_int.h"
#include "xref_query.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* --- the index file ------------------------------------------------------
 *
 * header | root path | files | stamps | syms | defs | docs | strings |
 * postings
 *
 * All integers in host order; `byte_order` catches a file from another
 * machine.  Symbols are sorted by name (memcmp) and followed by one
 * sentinel record, so a symbol's name length, definitions and postings
 * end where the next symbol's begin.  Names are NUL-terminated and laid
 * out in symbol order.  A symbol's definitions are contiguous and best
 * first; its postings a run of varints: for each (file, line), in file
 * then line order, either (line delta << 1) in the same file or
 * ((file delta << 1) | 1) followed by the line, starting from file 0,
 * line 0.  A file's stamp (size and mtime when it was read) lets the
 * next `xref index` into the same file re-read only what changed
 * (xref_update.c); an updated index may have unused bytes between
 * sections. */
#define XREF_MAGIC "LKXREF\0\n"
#define XREF_VERSION 3u
#define XREF_BYTE_ORDER 0x01020304u

struct xref_header {
	char magic[8];
	uint32_t version;
	uint32_t byte_order;
	uint64_t file_size;
	uint32_t nfiles, nsyms, ndefs, ndocs;
	uint64_t nrefs;
	uint64_t root_off;
	uint64_t files_off;
	uint64_t syms_off;
	uint64_t defs_off;
	uint64_t docs_off;
	uint64_t post_off, post_size;
	uint64_t strs_off, strs_size;
	uint64_t stamps_off;
};

static inline void xref_header_init(struct xref_header *h)
{
	memcpy(h->magic, XREF_MAGIC, sizeof(h->magic));
	h->version = XREF_VERSION;
	h->byte_order = XREF_BYTE_ORDER;
}

/* Where a full build (xref_write.c) or an update (xref_update.c) puts
 * each section, and the sizes it planned them by. */
struct xref_layout {
	uint64_t files, stamps, syms, defs, docs, strs, post;
	uint64_t paths_size, strs_size, docs_size;
};

/* The header's section offsets and file size from a layout (post_size
 * must be set already). */
static inline void xref_header_place(struct xref_header *h,
				     const struct xref_layout *l)
{
	h->root_off = sizeof(*h);
	h->files_off = l->files;
	h->stamps_off = l->stamps;
	h->syms_off = l->syms;
	h->defs_off = l->defs;
	h->docs_off = l->docs;
	h->strs_off = l->strs;
	h->post_off = l->post;
	h->file_size = l->post + h->post_size;
}

static inline uint64_t xref_up8(uint64_t v)
{
	return (v + 7) & ~(uint64_t)7;
}

enum { XREF_FILE_OTHER, XREF_FILE_C, XREF_FILE_H, XREF_FILE_ASM, XREF_FILE_DOC };

struct xref_file_rec {
	uint32_t path_off; /* into strings, NUL-terminated */
	uint8_t type;      /* XREF_FILE_* */
	uint8_t score;     /* path rank: higher is better */
	uint16_t pad;
};

struct xref_stamp {
	uint64_t size;
	int64_t mtime_ns; /* 0 for files that are not read */
	uint64_t hash;    /* xref_content_hash() of the content as read */
};

/* A fast 64-bit hash of a file's content (8 bytes a step, multiply and
 * rotate, then a final mix): a touched file whose content hashes the same
 * needs no re-indexing, only a new stamp. */
static inline uint64_t xref_content_hash(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ len, v;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&v, p + i, 8);
		h = ((h ^ (v * 0xff51afd7ed558ccdull)) << 27 |
		     (h ^ (v * 0xff51afd7ed558ccdull)) >> 37) * 0xc4ceb9fe1a85ec53ull;
	}
	for (v = 0; i < len; i++)
		v = v << 8 | p[i];
	h ^= v * 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 29);
}

struct xref_sym_rec {
	uint32_t name_off;  /* into strings */
	uint32_t def_first;
	uint32_t post_off;  /* into postings */
};

struct xref_def_rec {
	uint32_t file;
	uint32_t line;
	uint16_t span; /* end_line - line, saturated */
	uint8_t back;  /* line - start_line, saturated */
	uint8_t kind;  /* kind | flags << 4 */
};

struct xref_doc_rec {
	uint32_t file;
	uint32_t line;      /* the title's line */
	uint32_t title_off; /* the title as written */
	uint32_t words_off; /* normalised headings (xref_doc_extract) */
};

/* --- varints ------------------------------------------------------------- */

static inline size_t xref_put_varint(uint8_t *p, uint32_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

/* Reads one varint; 0 at the end of the buffer or on a malformed one. */
static inline size_t xref_get_varint(const uint8_t *p, const uint8_t *end,
				     uint32_t *v)
{
	uint32_t r = 0;
	size_t n = 0;
	int shift = 0;

	while (p + n < end && shift < 35) {
		uint8_t b = p[n++];

		r |= (uint32_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = r;
			return n;
		}
		shift += 7;
	}
	return 0;
}

/* --- shared helpers ------------------------------------------------------ */

/* Documentation: the title of a .rst/.txt file and its headings, made
 * into lowercase stemmed words, one heading per line, the title first.
 * Returns the title's line (0 when the file has no heading). */
uint32_t xref_doc_extract(const char *text, size_t len, char **title,
			  char **words);
/* Lowercases and stems one word in place; returns its new length. */
size_t xref_doc_stem(char *w, size_t len);

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

/* --- what xref_write.c lends xref_update.c ---------------------------------- */

/* A buffered writer of one region of the output file. */
struct xref_writer {
	int fd;
	uint8_t *buf;
	size_t len;
	uint64_t pos; /* the file offset after the last byte put */
	int failed;   /* an errno */
};

void xref_writer_init(struct xref_writer *o, int fd, uint64_t at);
void xref_put(struct xref_writer *o, const void *p, size_t n);
/* Moves the writer to file offset `at`. */
void xref_seek(struct xref_writer *o, uint64_t at);
/* Flushes and frees; returns its errno, 0 when all went well. */
int xref_writer_done(struct xref_writer *o);
/* The end of writing an index (a full build's or an update's), once its
 * writers are done (`err`: the first one's errno) and its header filled:
 * refuses names or postings past 32-bit offsets, writes the header and
 * sets the file's size.  0, or -1 with errno (0 when it said why). */
int xref_finish(int fd, int err, uint64_t strs_size,
		const struct xref_header *h);
/* The file records, then the stamps at `stamps_off`. */
void xref_put_files(struct xref_writer *o, const struct xref_build *b,
		    uint64_t stamps_off);
/*
 * Writes an index to `out` whole or not at all: `fill` writes it into a
 * temporary file next to `out` (whose directory is made if need be) and
 * sets *h; the file is then renamed over `out`.  -1 after printing an
 * error, with the temporary file removed.  `fill` returns -1 with errno
 * set, or with errno 0 after printing its own error.
 */
int xref_write_file(const char *out,
		    int (*fill)(int fd, void *ctx, struct xref_header *h),
		    void *ctx, struct xref_header *h);
/* Whether definition x goes before y (by symbol, then best first). */
int xref_def_before(const struct xref_build *b, const struct xref_wdef *x,
		    const struct xref_wdef *y);
/* Sorts in place by xref_def_before (no scratch as big as the array). */
void xref_sort_defs(const struct xref_build *b, struct xref_wdef *v, size_t n);
/* Maps an index without a word when it is missing or unusable. */
struct xref_index *xref_open_quiet(const char *path);

/* The mapped index, for xref_query*.c. */
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

/* --- the web view's pages (xref_html.c); each returns its HTTP status --- */

struct sb;
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
