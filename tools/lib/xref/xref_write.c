/*
 * xref_write.c — the second half of a build: merging the workers' symbol
 * tables into one sorted table and writing the index file (layout in
 * xref_format_int.h).
 *
 * Owns the global symbol ids (name order), the order of each symbol's
 * definitions (a body before a plain declaration before a prototype or
 * extern, then the better path, then path order and line), gluing each
 * symbol's postings from the workers' runs (a forward run only gets its
 * first varint re-encoded; a backward run has its per-file groups put
 * back in file order), and the file itself: written through a temporary
 * file next to `out` renamed over it, so a reader sees the old index or
 * the new one.  There is no fsync: a file torn by a crash fails
 * xref_open()'s size check, which says to rebuild it.
 *
 * Nothing is copied wholesale: the workers' tables are read in place and
 * streamed out.  Errors (a directory that cannot be made, a full disk)
 * are printed and return -1 with the temporary file removed; allocation
 * failure dies.
 */
#include "xref_build_int.h"
#include "xref_format_int.h"
#include "xref_query.h"
#include "xref_write_int.h"

#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOSYM UINT32_MAX
#define MAX_WORKERS 64
#define WRITE_BUF (1u << 20)

/* Scratch for gluing backward runs. */
struct glue {
	size_t *groups;
	size_t cap;
};

static void write_at(struct xref_writer *o, const uint8_t *p, size_t len,
		     uint64_t at)
{
	size_t off = 0;
	ssize_t n;

	while (off < len && !o->failed) {
		n = pwrite(o->fd, p + off, len - off, (off_t)(at + off));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			o->failed = n < 0 ? errno : EIO;
		else
			off += (size_t)n;
	}
}

static void flush(struct xref_writer *o)
{
	write_at(o, o->buf, o->len, o->pos - o->len);
	o->len = 0;
}

void xref_put(struct xref_writer *o, const void *p, size_t n)
{
	if (o->len + n > WRITE_BUF)
		flush(o);
	if (n > WRITE_BUF)
		write_at(o, p, n, o->pos);
	else
		memcpy(o->buf + o->len, p, n), o->len += n;
	o->pos += n;
}

void xref_writer_init(struct xref_writer *o, int fd, uint64_t at)
{
	memset(o, 0, sizeof(*o));
	o->fd = fd;
	o->pos = at;
	o->buf = xmalloc(WRITE_BUF);
}

void xref_seek(struct xref_writer *o, uint64_t at)
{
	flush(o);
	o->pos = at;
}

int xref_writer_done(struct xref_writer *o)
{
	flush(o);
	free(o->buf);
	o->buf = NULL;
	return o->failed;
}

/* --- symbols ----------------------------------------------------------------- */

static int name_cmp(const struct xref_worker *a, uint32_t x,
		    const struct xref_worker *b, uint32_t y)
{
	size_t lx, ly;
	const char *p = xref_wname(a, &a->syms[x], &lx);
	const char *q = xref_wname(b, &b->syms[y], &ly);
	int c = memcmp(p, q, lx < ly ? lx : ly);

	return c ? c : (int)lx - (int)ly;
}

/* Gives every distinct name a global id in name order, stored in the
 * worker symbols' `line`; returns how many there are. */
static size_t merge_syms(struct xref_build *b, uint64_t *names_size)
{
	size_t pos[MAX_WORKERS] = { 0 }, n = 0, len;
	uint32_t key;
	int best;

	for (;; n++) {
		best = -1;
		for (int k = 0; k < b->nworkers; k++) {
			const struct xref_worker *w = &b->workers[k];

			if (pos[k] < w->norder && (best < 0 ||
			    name_cmp(w, w->order[pos[k]], &b->workers[best],
				     b->workers[best].order[pos[best]]) < 0))
				best = k;
		}
		if (best < 0)
			return n;
		key = b->workers[best].order[pos[best]];
		xref_wname(&b->workers[best], &b->workers[best].syms[key], &len);
		*names_size += len + 1;
		for (int k = 0; k < b->nworkers; k++) {
			struct xref_worker *w = &b->workers[k];

			if (pos[k] < w->norder && (k == best ||
			    !name_cmp(w, w->order[pos[k]], &b->workers[best], key)))
				w->syms[w->order[pos[k]++]].line = (uint32_t)n;
		}
	}
}

/* The parts of global symbol g: each worker's symbol, or NOSYM; moves
 * the cursors `pos` past them. */
static void sym_parts(const struct xref_build *b, size_t *pos, uint32_t g,
		      uint32_t *part)
{
	for (int k = 0; k < b->nworkers; k++) {
		const struct xref_worker *w = &b->workers[k];

		part[k] = NOSYM;
		if (pos[k] < w->norder && w->syms[w->order[pos[k]]].line == g)
			part[k] = w->order[pos[k]++];
	}
}

/* --- definitions ------------------------------------------------------------ */

/* 0 for a complete definition, 1 for a plain one (`int x;`), 2 for a
 * declaration. */
static int def_rank(const struct xref_wdef *d)
{
	unsigned flags = d->kind >> 4;

	return flags & XREF_DF_DECL ? 2 : !(flags & XREF_DF_BODY);
}

int xref_def_before(const struct xref_build *b, const struct xref_wdef *x,
		      const struct xref_wdef *y)
{
	int rx, ry;

	if (x->sym != y->sym)
		return x->sym < y->sym;
	rx = def_rank(x);
	ry = def_rank(y);
	if (rx != ry)
		return rx < ry;
	if (b->files[x->file].score != b->files[y->file].score)
		return b->files[x->file].score > b->files[y->file].score;
	if (x->file != y->file)
		return x->file < y->file;
	return x->line < y->line;
}

static void swap_defs(struct xref_wdef *x, struct xref_wdef *y)
{
	struct xref_wdef t = *x;

	*x = *y;
	*y = t;
}

void xref_sort_defs(const struct xref_build *b, struct xref_wdef *v, size_t n)
{
	struct xref_wdef pivot;

	while (n > 16) {
		size_t mid = n / 2, i = 0, j = n - 1;

		if (xref_def_before(b, &v[mid], &v[0]))
			swap_defs(&v[mid], &v[0]);
		if (xref_def_before(b, &v[n - 1], &v[mid]))
			swap_defs(&v[n - 1], &v[mid]);
		if (xref_def_before(b, &v[mid], &v[0]))
			swap_defs(&v[mid], &v[0]);
		pivot = v[mid];
		for (;;) {
			while (xref_def_before(b, &v[i], &pivot))
				i++;
			while (xref_def_before(b, &pivot, &v[j]))
				j--;
			if (i >= j)
				break;
			swap_defs(&v[i++], &v[j--]);
		}
		/* recurse into the smaller side, loop on the larger */
		if (j + 1 < n - j - 1) {
			xref_sort_defs(b, v, j + 1);
			v += j + 1;
			n -= j + 1;
		} else {
			xref_sort_defs(b, v + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && xref_def_before(b, &v[k], &v[k - 1]); k--)
			swap_defs(&v[k], &v[k - 1]);
}

static void *prepare_defs(void *arg)
{
	struct xref_worker *w = arg;

	for (size_t i = 0; i < w->ndefs; i++)
		w->defs[i].sym = w->syms[w->defs[i].sym].line;
	xref_sort_defs(w->b, w->defs, w->ndefs);
	return NULL;
}

/* Every worker's definitions by global symbol and rank, on threads. */
static void order_defs(struct xref_build *b)
{
	pthread_t th[MAX_WORKERS];
	int started[MAX_WORKERS];

	for (int k = 0; k < b->nworkers; k++)
		started[k] = k + 1 < b->nworkers &&
			     pthread_create(&th[k], NULL, prepare_defs, &b->workers[k]) == 0;
	for (int k = 0; k < b->nworkers; k++)
		if (!started[k])
			prepare_defs(&b->workers[k]);
	for (int k = 0; k < b->nworkers; k++)
		if (started[k])
			pthread_join(th[k], NULL);
}

/* Writes the definitions of global symbol g, best first across the
 * workers, moving the cursors `pos` past them; returns how many. */
static uint32_t put_defs_of(struct xref_writer *o, const struct xref_build *b,
			    size_t *pos, uint32_t g)
{
	const struct xref_wdef *d;
	struct xref_def_rec r;
	uint32_t n = 0;
	int best;

	for (;; n++) {
		best = -1;
		for (int k = 0; k < b->nworkers; k++) {
			const struct xref_worker *w = &b->workers[k];

			if (pos[k] < w->ndefs && w->defs[pos[k]].sym == g &&
			    (best < 0 || xref_def_before(b, &w->defs[pos[k]],
						    &b->workers[best].defs[pos[best]])))
				best = k;
		}
		if (best < 0)
			return n;
		d = &b->workers[best].defs[pos[best]++];
		r = (struct xref_def_rec){
			.file = d->file, .line = d->line, .span = d->span,
			.back = d->back, .kind = d->kind,
		};
		xref_put(o, &r, sizeof(r));
	}
}

/* --- postings ------------------------------------------------------------------ */

/* A forward run: only its first varint changes, to a delta from `last`. */
static uint32_t glue_forward(struct xref_writer *o, const struct xref_wsym *y,
			     uint32_t *last)
{
	uint8_t tmp[8], head[10];
	uint32_t len, v;
	const uint8_t *p = xref_wpost(y, tmp, &len);
	size_t k = xref_get_varint(p, p + len, &v), n;

	if (!k)
		return 0;
	n = xref_put_varint(head, (((v >> 1) - *last) << 1) | 1);
	xref_put(o, head, n);
	xref_put(o, p + k, len - k);
	*last = y->last_file;
	return (uint32_t)(n + len - k);
}

/* A backward run: its per-file groups (each opening with the absolute
 * file) written last to first, each opening re-encoded as a delta. */
static uint32_t glue_backward(struct xref_writer *o, struct glue *gl,
			      const struct xref_wsym *y, uint32_t *last)
{
	uint8_t tmp[8], head[10];
	uint32_t len, v, total = 0;
	const uint8_t *p = xref_wpost(y, tmp, &len);
	size_t ng = 0, k, at = 0, n;

	while (at < len && (k = xref_get_varint(p + at, p + len, &v))) {
		if (v & 1) {
			ARRAY_PUSH(gl->groups, ng, gl->cap);
			gl->groups[ng++] = at;
			at += k;
			k = xref_get_varint(p + at, p + len, &v);
		}
		at += k ? k : len;
	}
	for (size_t g = ng; g-- > 0;) {
		size_t start = gl->groups[g], end = g + 1 < ng ? gl->groups[g + 1] : len;

		k = xref_get_varint(p + start, p + end, &v);
		n = xref_put_varint(head, (((v >> 1) - *last) << 1) | 1);
		xref_put(o, head, n);
		xref_put(o, p + start + k, end - start - k);
		total += (uint32_t)(n + end - start - k);
		*last = v >> 1;
	}
	return total;
}

/* Writes the postings of a symbol made of `part`s; returns their
 * length. */
static uint32_t glue(struct xref_writer *o, struct glue *gl,
		     const struct xref_build *b, const uint32_t *part)
{
	uint32_t last = 0, total = 0;

	for (int k = 0; k < b->nworkers; k++) {
		const struct xref_worker *w = &b->workers[k];

		if (part[k] == NOSYM)
			continue;
		if (w->backward)
			total += glue_backward(o, gl, &w->syms[part[k]], &last);
		else
			total += glue_forward(o, &w->syms[part[k]], &last);
	}
	return total;
}

/* --- sections ------------------------------------------------------------------- */

void xref_put_files(struct xref_writer *o, const struct xref_build *b,
		    uint64_t stamps_off)
{
	uint64_t off = 0;

	for (size_t i = 0; i < b->nfiles; i++) {
		const struct xref_src *f = &b->files[i];
		struct xref_file_rec r = {
			.path_off = (uint32_t)off, .type = f->type, .score = f->score,
		};

		xref_put(o, &r, sizeof(r));
		off += strlen(f->path) + 1;
	}
	xref_seek(o, stamps_off);
	for (size_t i = 0; i < b->nfiles; i++) {
		struct xref_stamp st = { b->files[i].size, b->files[i].mtime_ns,
					 b->files[i].hash };

		xref_put(o, &st, sizeof(st));
	}
}

static void put_docs(struct xref_writer *o, const struct xref_build *b, uint64_t off)
{
	for (size_t i = 0; i < b->docs.n; i++) {
		const struct xref_doc *d = &b->docs.v[i];
		struct xref_doc_rec r = { .file = d->file, .line = d->line };

		r.title_off = (uint32_t)off;
		off += strlen(d->title) + 1;
		r.words_off = (uint32_t)off;
		off += strlen(d->words) + 1;
		xref_put(o, &r, sizeof(r));
	}
}

/* Where each section goes. */
static void plan(const struct xref_build *b, size_t n, uint64_t names_size,
		 struct xref_layout *l)
{
	size_t ndefs = 0;

	l->paths_size = 0;
	for (size_t i = 0; i < b->nfiles; i++)
		l->paths_size += strlen(b->files[i].path) + 1;
	l->strs_size = l->paths_size + names_size;
	for (size_t i = 0; i < b->docs.n; i++)
		l->strs_size += strlen(b->docs.v[i].title) + strlen(b->docs.v[i].words) + 2;
	for (int k = 0; k < b->nworkers; k++)
		ndefs += b->workers[k].ndefs;
	l->files = xref_up8(sizeof(struct xref_header) + strlen(b->root) + 1);
	l->stamps = xref_up8(l->files + b->nfiles * sizeof(struct xref_file_rec));
	l->syms = l->stamps + b->nfiles * sizeof(struct xref_stamp);
	l->defs = xref_up8(l->syms + (n + 1) * sizeof(struct xref_sym_rec));
	l->docs = xref_up8(l->defs + ndefs * sizeof(struct xref_def_rec));
	l->strs = xref_up8(l->docs + b->docs.n * sizeof(struct xref_doc_rec));
	l->post = xref_up8(l->strs + l->strs_size);
}

/* The symbols, their definitions, names and postings, in one pass over
 * the global symbols, each into its own section. */
static void put_symbols(struct xref_writer *w, const struct xref_build *b,
			size_t n, const struct xref_layout *l, struct xref_header *h)
{
	size_t pos[MAX_WORKERS] = { 0 }, dpos[MAX_WORKERS] = { 0 }, len = 0;
	uint32_t part[MAX_WORKERS];
	struct xref_sym_rec r = { .name_off = (uint32_t)l->paths_size };
	struct glue gl = { 0 };
	const char *name = "";

	for (size_t g = 0; g < n; g++) {
		xref_put(&w[0], &r, sizeof(r));
		sym_parts(b, pos, (uint32_t)g, part);
		for (int k = 0; k < b->nworkers; k++)
			if (part[k] != NOSYM) {
				name = xref_wname(&b->workers[k], &b->workers[k].syms[part[k]], &len);
				break;
			}
		xref_put(&w[2], name, len);
		xref_put(&w[2], "", 1);
		r.name_off += (uint32_t)len + 1;
		r.def_first += put_defs_of(&w[1], b, dpos, (uint32_t)g);
		r.post_off += glue(&w[3], &gl, b, part);
	}
	xref_put(&w[0], &r, sizeof(r));
	h->ndefs = r.def_first;
	h->post_size = r.post_off;
	free(gl.groups);
}

static void fill_header(struct xref_header *h, const struct xref_build *b,
			size_t n, const struct xref_layout *l)
{
	xref_header_init(h);
	h->nfiles = (uint32_t)b->nfiles;
	h->nsyms = (uint32_t)n;
	for (int k = 0; k < b->nworkers; k++)
		h->nrefs += b->workers[k].refs;
	h->ndocs = (uint32_t)b->docs.n;
	h->strs_size = l->strs_size;
	xref_header_place(h, l);
}

/* Writes the whole index; the header last, at offset 0. */
static int write_index(int fd, const struct xref_build *b, size_t n,
		       uint64_t names_size, struct xref_header *h)
{
	struct xref_writer w[5];
	struct xref_layout l;
	int err = 0;

	plan(b, n, names_size, &l);
	memset(h, 0, sizeof(*h));
	xref_writer_init(&w[0], fd, l.syms);
	xref_writer_init(&w[1], fd, l.defs);
	xref_writer_init(&w[2], fd, l.strs);
	xref_writer_init(&w[3], fd, l.post);
	xref_writer_init(&w[4], fd, sizeof(*h));
	for (size_t i = 0; i < b->nfiles; i++)
		xref_put(&w[2], b->files[i].path, strlen(b->files[i].path) + 1);
	put_symbols(w, b, n, &l, h);
	for (size_t i = 0; i < b->docs.n; i++) {
		xref_put(&w[2], b->docs.v[i].title, strlen(b->docs.v[i].title) + 1);
		xref_put(&w[2], b->docs.v[i].words, strlen(b->docs.v[i].words) + 1);
	}
	xref_put(&w[4], b->root, strlen(b->root) + 1);
	xref_seek(&w[4], l.files);
	xref_put_files(&w[4], b, l.stamps);
	xref_seek(&w[4], l.docs);
	put_docs(&w[4], b, l.paths_size + names_size);
	for (int i = 0; i < 5; i++)
		if (xref_writer_done(&w[i]))
			err = w[i].failed;
	fill_header(h, b, n, &l);
	return xref_finish(fd, err, l.strs_size, h);
}

int xref_finish(int fd, int err, uint64_t strs_size,
		const struct xref_header *h)
{
	/* offsets into the names and the postings are 32-bit */
	if (strs_size >= UINT32_MAX || h->post_size >= UINT32_MAX) {
		error("index over 4 GiB of names or postings");
		errno = 0; /* said */
		return -1;
	}
	if (!err && (pwrite(fd, h, sizeof(*h), 0) != (ssize_t)sizeof(*h) ||
		     ftruncate(fd, (off_t)h->file_size) < 0))
		err = errno;
	errno = err;
	return err ? -1 : 0;
}

static int open_temp(const char *out, char **tmp)
{
	char *dir = xstrdup(out), *slash = strrchr(dir, '/');
	int fd;

	if (slash && slash != dir) {
		*slash = '\0';
		if (fs_mkdirs(dir, 0777) < 0) {
			error("cannot create '%s': %s", dir, strerror(errno));
			free(dir);
			return -1;
		}
	}
	free(dir);
	*tmp = xasprintf("%s.tmp.XXXXXX", out);
	fd = mkstemp(*tmp);
	if (fd < 0 || fchmod(fd, 0644) < 0) {
		error("cannot create '%s': %s", *tmp, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(*tmp);
		}
		return -1;
	}
	return fd;
}

int xref_write_file(const char *out,
		    int (*fill)(int fd, void *ctx, struct xref_header *h),
		    void *ctx, struct xref_header *h)
{
	char *tmp = NULL;
	int fd = open_temp(out, &tmp), rc = -1;

	if (fd < 0)
		goto out;
	errno = 0;
	if (fill(fd, ctx, h) < 0) {
		if (errno)
			error("cannot write '%s': %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (close(fd) < 0 || rename(tmp, out) < 0) {
		error("cannot write '%s': %s", out, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	return rc;
}

struct full {
	const struct xref_build *b;
	size_t n;
	uint64_t names_size;
};

static int write_full(int fd, void *ctx, struct xref_header *h)
{
	const struct full *f = ctx;

	return write_index(fd, f->b, f->n, f->names_size, h);
}

int xref_write(struct xref_build *b, const char *out,
	       struct xref_build_stats *stats)
{
	struct xref_header h;
	struct full f = { .b = b };

	if (b->nworkers > MAX_WORKERS)
		return error("xref: at most %d workers", MAX_WORKERS);
	f.n = merge_syms(b, &f.names_size);
	order_defs(b);
	if (xref_write_file(out, write_full, &f, &h) < 0)
		return -1;
	stats->syms = f.n;
	stats->defs = h.ndefs;
	stats->refs = h.nrefs;
	stats->index_bytes = h.file_size;
	return 0;
}
