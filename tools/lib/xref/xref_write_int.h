/* xref_write_int.h — what xref_write.c lends xref_update.c, and nobody
 * else: a buffered writer of the index file, the end of writing one, the
 * file written whole or not at all, and the order of definitions. */
#ifndef LABKIT_XREF_WRITE_INT_H
#define LABKIT_XREF_WRITE_INT_H

#include "xref_build_int.h"
#include "xref_format_int.h"

#include <stddef.h>
#include <stdint.h>

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

#endif
