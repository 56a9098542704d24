/* xref_format_int.h — the index file as it is laid out on disk, for the
 * xref_*.c files that write it (xref_write.c, xref_update.c) or read it
 * (xref_index.c and what looks into the mapping), and nobody else: the
 * header and its sections, the records, the stamps and their content
 * hash, and the varints of the postings. */
#ifndef LABKIT_XREF_FORMAT_INT_H
#define LABKIT_XREF_FORMAT_INT_H

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

#endif
