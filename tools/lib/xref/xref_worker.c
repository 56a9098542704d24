/*
 * xref_worker.c — reading the tree's files for an index, on worker
 * threads: each worker tokenizes and parses the .c .h .S files it takes
 * (xref_lex.c, xref_parse.c) and reads the titles and headings of
 * Documentation/ (xref_doc.c).
 *
 * Owns handing the walked files to the workers (two per segment, one from
 * each end, so both finish together whatever the files cost), each
 * worker's symbol table, postings and definitions, and the documents they
 * gather.  Workers share only the read-only file list and their segment's
 * two cursors.  A full build (xref_build.c) and an update (xref_update.c)
 * both scan through here; neither writes anything here.
 *
 * A file that cannot be read, or is over 256 MiB, is skipped with a
 * warning and counted in its worker's `skipped`.  Allocation failure dies.
 * Never writes into the tree.
 */
#include "xref_build_int.h"
#include "xref_format_int.h"
#include "xref_lex_int.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FILE_BYTES (256u << 20)
#define MAX_NAME 255

/* --- a worker's symbols ----------------------------------------------------- */

#define SLOT_ID_BITS 24
#define SLOT_ID_MASK ((1u << SLOT_ID_BITS) - 1)

static inline uint32_t slot_tag(uint32_t h)
{
	return h & ~SLOT_ID_MASK;
}

static uint32_t name_hash(const struct xref_worker *w, const struct xref_wsym *y)
{
	size_t len;
	const char *s = xref_wname(w, y, &len);

	return xref_hash(s, len);
}

static void symtab_grow(struct xref_worker *w)
{
	size_t size = w->mask ? 2 * (w->mask + 1) : 1u << 20;

	free(w->slots);
	w->slots = xcalloc(size, sizeof(*w->slots));
	w->mask = size - 1;
	for (size_t i = 0; i < w->nsyms; i++) {
		uint32_t h = name_hash(w, &w->syms[i]);
		size_t k = h & w->mask;

		while (w->slots[k])
			k = (k + 1) & w->mask;
		w->slots[k] = slot_tag(h) | (uint32_t)(i + 1);
	}
}

static uint32_t symtab_add(struct xref_worker *w, const char *s, size_t len)
{
	struct xref_wsym *y;

	if (w->nsyms + 1 >= SLOT_ID_MASK)
		die("xref: over %u distinct names in one worker's files", SLOT_ID_MASK - 1);
	if (w->nnames + len + 2 > w->cnames) {
		w->cnames = w->cnames ? 2 * w->cnames : 1u << 20;
		w->names = xrealloc(w->names, w->cnames);
	}
	ARRAY_PUSH(w->syms, w->nsyms, w->csyms);
	y = &w->syms[w->nsyms];
	memset(y, 0, sizeof(*y));
	y->name_off = (uint32_t)w->nnames;
	w->names[w->nnames++] = (char)len;
	w->names[w->nnames++] = (char)xref_classify(s, len);
	memcpy(w->names + w->nnames, s, len);
	w->nnames += len;
	return (uint32_t)w->nsyms++;
}

/* The worker's id for the name `s` with hash `h`, added when new.  The
 * table stays under 3/4 full. */
static uint32_t intern(struct xref_worker *w, const char *s, size_t len,
		       uint32_t h)
{
	uint32_t e, id;
	size_t k;

	if ((w->nsyms + 1) * 4 > w->mask * 3)
		symtab_grow(w);
	for (k = h & w->mask; (e = w->slots[k]); k = (k + 1) & w->mask) {
		const char *n;

		if (slot_tag(e) != slot_tag(h))
			continue;
		n = w->names + w->syms[(e & SLOT_ID_MASK) - 1].name_off;
		if ((uint8_t)n[0] == len && !memcmp(n + 2, s, len))
			return (e & SLOT_ID_MASK) - 1;
	}
	id = symtab_add(w, s, len);
	w->slots[k] = slot_tag(h) | (id + 1);
	return id;
}

static inline uint8_t *sym_cls(struct xref_worker *w, uint32_t sym)
{
	return (uint8_t *)w->names + w->syms[sym].name_off + 1;
}

static void set_post(struct xref_wsym *y, uint64_t v)
{
	y->post[0] = (uint32_t)v;
	y->post[1] = (uint32_t)(v >> 32);
}

#define SLAB_BYTES (1u << 20)

/* Capacity of size class c: 8, 16, 24, 32, 48, 64, 96, ... 49152. */
static uint32_t class_cap(int c)
{
	return c == 0 ? 8 : (c & 1 ? 16u : 24u) << ((c - 1) / 2);
}

static int class_of(uint32_t need)
{
	for (int c = 0; c < XREF_SLAB_CLASSES; c++)
		if (class_cap(c) >= need)
			return c;
	return -1;
}

/* A block of at least `need` data bytes: [len][cap][data]. */
static uint32_t *block_alloc(struct xref_slabs *sl, uint32_t need)
{
	int c = class_of(need);
	uint32_t *blk;
	size_t size;

	if (c < 0) {
		need += need / 2;
		blk = xmalloc(8 + (size_t)need);
		blk[1] = need;
		return blk;
	}
	if ((blk = sl->free[c])) {
		memcpy(&sl->free[c], blk + 2, sizeof(void *));
	} else {
		size = 8 + class_cap(c);
		if (sl->left < size) {
			ARRAY_PUSH(sl->all, sl->nall, sl->call);
			sl->all[sl->nall++] = sl->cur = xmalloc(SLAB_BYTES);
			sl->left = SLAB_BYTES;
		}
		blk = (uint32_t *)sl->cur;
		sl->cur += size;
		sl->left -= size;
	}
	blk[1] = class_cap(c);
	return blk;
}

static void block_free(struct xref_slabs *sl, uint32_t *blk)
{
	int c = class_of(blk[1]);

	if (c < 0 || class_cap(c) != blk[1]) {
		free(blk);
		return;
	}
	memcpy(blk + 2, &sl->free[c], sizeof(void *));
	sl->free[c] = blk;
}

/* Appends n (<= 10) bytes to a symbol's postings. */
static void post_append(struct xref_slabs *sl, struct xref_wsym *y,
			const uint8_t *data, size_t n)
{
	uint64_t v = xref_wpost_word(y);
	uint8_t tmp[8];
	uint32_t len, *blk = (v && !(v & 1)) ? (uint32_t *)(uintptr_t)v : NULL;
	const uint8_t *old = xref_wpost(y, tmp, &len);

	if (len + n <= 7) {
		v = 1 | (uint64_t)(len + n) << 1;
		for (size_t i = 0; i < len; i++)
			v |= (uint64_t)old[i] << (8 * i + 8);
		for (size_t i = 0; i < n; i++)
			v |= (uint64_t)data[i] << (8 * (len + i) + 8);
		set_post(y, v);
		return;
	}
	if (!blk || blk[1] < len + n) {
		uint32_t *grown = block_alloc(sl, len + (uint32_t)n);

		memcpy(grown + 2, old, len);
		if (blk)
			block_free(sl, blk);
		blk = grown;
	}
	memcpy((uint8_t *)(blk + 2) + len, data, n);
	blk[0] = len + (uint32_t)n;
	set_post(y, (uint64_t)(uintptr_t)blk);
}

/* Records that `sym` occurs on `line` of `file` (once per line). */
static void add_ref(struct xref_worker *w, uint32_t sym, uint32_t file,
		    uint32_t line)
{
	struct xref_wsym *y = &w->syms[sym];
	uint8_t tmp[10];
	size_t n;

	if ((y->post[0] || y->post[1]) && y->last_file == file) {
		if (y->line == line)
			return;
		n = xref_put_varint(tmp, (line - y->line) << 1);
	} else {
		n = xref_put_varint(tmp, ((w->backward ? file : file - y->last_file) << 1) | 1);
		n += xref_put_varint(tmp + n, line);
	}
	post_append(&w->slabs, y, tmp, n);
	y->last_file = file;
	y->line = line;
	w->refs++;
}

/* --- a worker's files ----------------------------------------------------- */

struct def_ctx {
	struct xref_worker *w;
	uint32_t file;
};

static void on_def(void *ctx, const struct xref_found *d)
{
	struct def_ctx *c = ctx;
	struct xref_worker *w = c->w;
	struct xref_wdef *wd;
	uint32_t sym, span = d->end_line - d->line, back = d->line - d->start_line;

	if (d->name_len > MAX_NAME)
		return;
	if (d->tok != UINT32_MAX)
		sym = w->toks.v[d->tok].sym;
	else
		sym = intern(w, d->name, d->name_len, xref_hash(d->name, d->name_len));
	*sym_cls(w, sym) |= XREF_CLS_DEFINED;
	ARRAY_PUSH(w->defs, w->ndefs, w->cdefs);
	wd = &w->defs[w->ndefs++];
	wd->sym = sym;
	wd->file = c->file;
	wd->line = d->line;
	wd->span = (uint16_t)(span > 0xffff ? 0xffff : span);
	wd->back = (uint8_t)(back > 0xff ? 0xff : back);
	wd->kind = (uint8_t)(d->kind | d->flags << 4);
}

/* Reads `path` into the worker's buffer; -1 after a warning. */
static int read_source(struct xref_worker *w, const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	size_t got = 0;
	ssize_t n;

	if (fd < 0 || fstat(fd, &st) < 0) {
		warning("%s: %s (skipped)", path, strerror(errno));
		goto fail;
	}
	if ((uint64_t)st.st_size > MAX_FILE_BYTES) {
		warning("%s: over %u MiB (skipped)", path, MAX_FILE_BYTES >> 20);
		goto fail;
	}
	if ((size_t)st.st_size + 1 > w->cbuf) {
		w->cbuf = (size_t)st.st_size + 1;
		w->buf = xrealloc(w->buf, w->cbuf);
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, w->buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			warning("%s: %s (skipped)", path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	w->buf[got] = '\0';
	*len = got;
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	w->skipped++;
	return -1;
}

/* Interns the identifiers of the worker's tokens. */
static void intern_tokens(struct xref_worker *w)
{
	for (size_t i = 0; i < w->toks.n; i++) {
		struct xref_token *t = &w->toks.v[i];

		if (t->type != XREF_TOK_IDENT)
			continue;
		if (t->len > MAX_NAME) {
			t->cls = XREF_CLS_KW;
			t->sym = UINT32_MAX;
			continue;
		}
		t->sym = intern(w, w->buf + t->off, t->len, t->sym);
		t->cls = *sym_cls(w, t->sym);
	}
}

static void index_source(struct xref_worker *w, uint32_t file, size_t len)
{
	struct def_ctx ctx = { w, file };

	xref_lex(w->buf, len, &w->toks);
	intern_tokens(w);
	xref_parse(w->buf, &w->toks, w->b->files[file].type == XREF_FILE_ASM ?
		   XREF_LANG_ASM : XREF_LANG_C, on_def, &ctx);
	for (size_t i = 0; i < w->toks.n; i++) {
		const struct xref_token *t = &w->toks.v[i];

		if (t->type == XREF_TOK_IDENT && !(t->cls & XREF_CLS_KW) &&
		    !(t->flags & (XREF_TF_DEF | XREF_TF_NOREF)))
			add_ref(w, t->sym, file, t->line);
	}
	w->bytes += len;
	w->tokens += w->toks.n;
}

static void index_doc(struct xref_worker *w, uint32_t file, size_t len)
{
	struct xref_doc *d;

	ARRAY_PUSH(w->docs.v, w->docs.n, w->docs.cap);
	d = &w->docs.v[w->docs.n++];
	d->file = file;
	d->line = xref_doc_extract(w->buf, len, &d->title, &d->words);
}

static void index_file(struct xref_worker *w, uint32_t file)
{
	struct xref_src *f = &w->b->files[file];
	char *path;
	size_t len;

	if (f->type == XREF_FILE_OTHER || (w->b->only && !w->b->only[file]))
		return;
	path = xasprintf("%s/%s", w->b->root, f->path);
	if (read_source(w, path, &len) == 0) {
		f->hash = xref_content_hash(w->buf, len); /* this worker's file alone */
		if (f->type == XREF_FILE_DOC)
			index_doc(w, file, len);
		else
			index_source(w, file, len);
	}
	free(path);
	/* keep no huge buffers for the rest of the run */
	if (w->toks.cap > (1u << 18)) {
		xref_tokens_free(&w->toks);
		free(w->buf);
		w->buf = NULL;
		w->cbuf = 0;
	}
}

/* The next file for the worker, from its end of its segment, or -1. */
static long next_file(struct xref_worker *w)
{
	struct xref_segment *seg = w->seg;
	long i = -1;

	pthread_mutex_lock(&seg->lock);
	if (seg->lo < seg->hi)
		i = (long)(w->backward ? --seg->hi : seg->lo++);
	pthread_mutex_unlock(&seg->lock);
	return i;
}

static int sym_cmp(const void *a, const void *b, void *arg)
{
	const struct xref_worker *w = arg;
	size_t lx, ly;
	const char *x = xref_wname(w, &w->syms[*(const uint32_t *)a], &lx);
	const char *y = xref_wname(w, &w->syms[*(const uint32_t *)b], &ly);
	int c = memcmp(x, y, lx < ly ? lx : ly);

	return c ? c : (int)lx - (int)ly;
}

/* A worker: files until its segment is done, then its symbols sorted by
 * name (keywords nothing defines left out), ready for the merge. */
static void *work(void *arg)
{
	struct xref_worker *w = arg;
	double t0 = now_monotonic();
	size_t n = 0;
	long i;

	while ((i = next_file(w)) >= 0)
		index_file(w, (uint32_t)i);
	free(w->slots);
	w->slots = NULL;
	xref_tokens_free(&w->toks);
	free(w->buf);
	w->buf = NULL;
	w->order = xmalloc((w->nsyms + 1) * sizeof(*w->order));
	for (size_t k = 0; k < w->nsyms; k++) {
		uint8_t cls = *sym_cls(w, (uint32_t)k);

		if (!(cls & XREF_CLS_KW) || (cls & XREF_CLS_DEFINED))
			w->order[n++] = (uint32_t)k;
	}
	qsort_r(w->order, n, sizeof(*w->order), sym_cmp, w);
	w->norder = n;
	w->seconds = now_monotonic() - t0;
	return NULL;
}

/* --- the scan ------------------------------------------------------------- */

/* Cuts the files into segments of about equal bytes, two workers each
 * (one when there is a single worker). */
static void split(struct xref_build *b)
{
	int nseg = (b->nworkers + 1) / 2;
	uint64_t total = 0, acc = 0;
	size_t i = 0;

	b->segs = xcalloc((size_t)nseg, sizeof(*b->segs));
	for (size_t k = 0; k < b->nfiles; k++)
		total += b->files[k].type != XREF_FILE_OTHER ? b->files[k].size : 0;
	for (int s = 0; s < nseg; s++) {
		uint64_t goal = total * (uint64_t)(s + 1) / (uint64_t)nseg;

		b->segs[s].lo = i;
		for (; i < b->nfiles && (acc < goal || s == nseg - 1); i++)
			if (b->files[i].type != XREF_FILE_OTHER)
				acc += b->files[i].size;
		b->segs[s].hi = i;
		pthread_mutex_init(&b->segs[s].lock, NULL);
	}
	for (int k = 0; k < b->nworkers; k++) {
		b->workers[k].b = b;
		b->workers[k].seg = &b->segs[k / 2];
		b->workers[k].backward = k % 2;
	}
}

/* Runs the workers on threads, the last one on this thread. */
static void run_workers(struct xref_build *b)
{
	pthread_t *th = xcalloc((size_t)b->nworkers, sizeof(*th));
	int *started = xcalloc((size_t)b->nworkers, sizeof(*started));

	for (int k = 0; k < b->nworkers - 1; k++)
		started[k] = pthread_create(&th[k], NULL, work, &b->workers[k]) == 0;
	work(&b->workers[b->nworkers - 1]);
	for (int k = 0; k < b->nworkers - 1; k++) {
		if (started[k])
			pthread_join(th[k], NULL);
		else
			work(&b->workers[k]);
	}
	free(started);
	free(th);
}

static int doc_cmp(const void *a, const void *b)
{
	const struct xref_doc *x = a, *y = b;

	return x->file < y->file ? -1 : x->file > y->file;
}

/* All workers' documents, in file order. */
static void gather_docs(struct xref_build *b)
{
	for (int k = 0; k < b->nworkers; k++) {
		struct xref_docs *d = &b->workers[k].docs;

		for (size_t i = 0; i < d->n; i++) {
			ARRAY_PUSH(b->docs.v, b->docs.n, b->docs.cap);
			b->docs.v[b->docs.n++] = d->v[i];
		}
		free(d->v);
		memset(d, 0, sizeof(*d));
	}
	if (b->docs.n > 1)
		qsort(b->docs.v, b->docs.n, sizeof(*b->docs.v), doc_cmp);
}

void xref_scan_files(struct xref_build *b)
{
	b->workers = xcalloc((size_t)b->nworkers, sizeof(*b->workers));
	split(b);
	run_workers(b);
	gather_docs(b);
}

static void worker_free(struct xref_worker *w)
{
	uint64_t v;

	for (size_t i = 0; i < w->nsyms; i++)
		if ((v = xref_wpost_word(&w->syms[i])) && !(v & 1) &&
		    class_of(((uint32_t *)(uintptr_t)v)[1]) < 0)
			free((void *)(uintptr_t)v);
	for (size_t i = 0; i < w->slabs.nall; i++)
		free(w->slabs.all[i]);
	free(w->slabs.all);
	free(w->syms);
	free(w->names);
	free(w->order);
	free(w->defs);
	free(w->slots);
	free(w->buf);
	free(w->docs.v);
	xref_tokens_free(&w->toks);
}

void xref_scan_free(struct xref_build *b)
{
	for (int k = 0; b->workers && k < b->nworkers; k++)
		worker_free(&b->workers[k]);
	for (int s = 0; b->segs && s < (b->nworkers + 1) / 2; s++)
		pthread_mutex_destroy(&b->segs[s].lock);
	free(b->segs);
	free(b->workers);
	for (size_t i = 0; i < b->docs.n; i++) {
		free(b->docs.v[i].title);
		free(b->docs.v[i].words);
	}
	free(b->docs.v);
}
