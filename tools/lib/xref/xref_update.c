/*
 * xref_update.c — re-indexing into an existing index: only the files
 * whose size or mtime differ from the stamps in the index, and new files,
 * are read again; everything else is carried over from the old index.
 *
 * Owns matching the walked tree against the old index's file list (both
 * sorted by path), telling a touched file from a changed one (the same
 * size and content hash: only its stamp is new, written in place when
 * nothing else changed), the decision to update rather than rebuild (the same
 * root, a readable index of this version, at most 1/8 of the source
 * bytes or 4 MiB to read again), and the merge: one pass over the old symbols and
 * the new worker's symbols in name order that drops the old records of
 * changed and removed files, renumbers the files of the rest, and merges
 * in the new records — definitions best first as a full build orders
 * them, postings in file order, copied a per-file group at a time with
 * only the group's file delta re-encoded.  Sections are laid out for the
 * most they can hold (old + new), so a few unused bytes may sit between
 * them.  Written like a full build: a temporary file renamed over `out`.
 *
 * Returns 0 (build in full) quietly when the index is missing, foreign,
 * of another version or of another tree; I/O errors print and return
 * -1 with the temporary file removed.  Allocation failure dies.
 */
#include "xref_build_int.h"
#include "xref_format_int.h"
#include "xref_index_int.h"
#include "xref_write_int.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GONE UINT32_MAX
#define NOSYM UINT32_MAX
/* Reading over 1/8 of the tree again, and more than this, is left to a
 * full build, which reads on every core. */
#define MIN_REBUILD (4u << 20)

struct update {
	const struct xref_index *old;
	struct xref_build *b;
	uint32_t *renum;  /* old file -> new file, or GONE */
	uint8_t *dropped; /* old file: its records are left out */
	uint8_t *fresh;   /* new file: read again */
	uint32_t *restamp;/* old files touched but unchanged */
	size_t nrestamp;
	uint64_t nrefs;
	uint32_t ndefs;
};

/* --- what changed ------------------------------------------------------------- */

static const struct xref_stamp *old_stamps(const struct update *u)
{
	return (const void *)(u->old->base + u->old->h->stamps_off);
}

static int stamp_differs(const struct update *u, uint32_t i, const struct xref_src *f)
{
	const struct xref_stamp *st = old_stamps(u);

	return f->type != u->old->files[i].type ||
	       (f->type != XREF_FILE_OTHER &&
		(st[i].size != f->size || st[i].mtime_ns != f->mtime_ns));
}

/*
 * Whether old file i, whose stamp differs from f's, still has the content
 * it was indexed with (the same size and hash): then f takes the new
 * stamp and nothing needs reading again.
 */
static bool content_same(const struct update *u, uint32_t i, struct xref_src *f)
{
	const struct xref_stamp *st = old_stamps(u);
	char *path, *data = NULL;
	size_t len;
	bool same;

	if (f->type != u->old->files[i].type || f->type == XREF_FILE_OTHER ||
	    st[i].size != f->size)
		return false;
	path = xasprintf("%s/%s", u->b->root, f->path);
	same = fs_read_file(path, &data, &len) == 0 && len == f->size &&
	       xref_content_hash(data, len) == st[i].hash;
	free(data);
	free(path);
	if (same)
		f->hash = st[i].hash;
	return same;
}

/* Matches old and new files; returns the source bytes to read again. */
static uint64_t match_files(struct update *u, struct xref_build_stats *stats)
{
	uint32_t nold = u->old->h->nfiles, i = 0;
	uint64_t bytes = 0;
	size_t j = 0;
	int c;

	while (i < nold || j < u->b->nfiles) {
		const char *op = i < nold ? xref_file_path(u->old, i) : NULL;

		c = !op ? 1 : j == u->b->nfiles ? -1 : strcmp(op, u->b->files[j].path);
		if (c < 0) {
			u->renum[i] = GONE;
			u->dropped[i++] = 1;
			stats->removed++;
			continue;
		}
		if (c == 0 && !stamp_differs(u, i, &u->b->files[j])) {
			u->b->files[j].hash = old_stamps(u)[i].hash;
		} else if (c == 0 && content_same(u, i, &u->b->files[j])) {
			u->restamp[u->nrestamp++] = i;
		} else {
			u->fresh[j] = u->b->files[j].type != XREF_FILE_OTHER;
			bytes += u->fresh[j] ? u->b->files[j].size : 0;
			stats->reread += u->fresh[j];
		}
		if (c == 0) {
			u->renum[i] = (uint32_t)j;
			u->dropped[i++] = u->fresh[j];
		}
		j++;
	}
	return bytes;
}

/* --- definitions --------------------------------------------------------------- */

/* Puts symbol g's definitions: the old ones of `os` still valid, merged
 * with the new worker's run at *dpos; returns how many. */
static uint32_t merge_defs(struct update *u, struct xref_writer *o,
			   const struct xref_sym_rec *os, size_t *dpos, uint32_t g)
{
	const struct xref_worker *w = &u->b->workers[0];
	uint32_t i = os ? os->def_first : 0, end = os ? os[1].def_first : 0, n = 0;
	struct xref_wdef od, nd;
	struct xref_def_rec r;

	for (;;) {
		while (i < end && u->dropped[u->old->defs[i].file])
			i++;
		if (i < end) {
			r = u->old->defs[i];
			od = (struct xref_wdef){ g, u->renum[r.file], r.line, r.span, r.back, r.kind };
		}
		if (*dpos < w->ndefs && w->defs[*dpos].sym == g)
			nd = w->defs[*dpos];
		else if (i < end)
			nd.sym = NOSYM;
		else
			return n;
		if (i < end && (nd.sym == NOSYM || xref_def_before(u->b, &od, &nd))) {
			i++;
		} else {
			od = nd;
			++*dpos;
		}
		r = (struct xref_def_rec){ od.file, od.line, od.span, od.back, od.kind };
		xref_put(o, &r, sizeof(r));
		n++;
	}
}

/* --- postings -------------------------------------------------------------------- */

/* A per-file group of postings: its file (absolute, after the delta),
 * where its lines start and where it ends. */
struct group {
	const uint8_t *p, *end; /* the run */
	uint32_t file;
	const uint8_t *body, *next;
	size_t count;
};

/* Moves to the next group; 0 at the end of the run. */
static int next_group(struct group *g)
{
	uint32_t v;
	size_t k;

	if (g->p >= g->end || !(k = xref_get_varint(g->p, g->end, &v)) || !(v & 1))
		return 0;
	g->file += v >> 1;
	g->body = g->p + k;
	g->count = 0;
	for (g->next = g->body; g->next < g->end; g->next += k) {
		if (!(k = xref_get_varint(g->next, g->end, &v)) || ((v & 1) && g->count))
			break;
		g->count++;
	}
	g->p = g->next;
	return 1;
}

/* The next old group whose file is kept, renumbered in `file`. */
static int next_kept(struct update *u, struct group *g, uint32_t *file)
{
	while (next_group(g)) {
		if (g->file < u->old->h->nfiles && !u->dropped[g->file]) {
			*file = u->renum[g->file];
			return 1;
		}
		u->nrefs -= g->count;
	}
	return 0;
}

static void put_group(struct xref_writer *o, const struct group *g,
		      uint32_t file, uint32_t *last, uint32_t *len)
{
	uint8_t head[10];
	size_t n = xref_put_varint(head, ((file - *last) << 1) | 1);

	xref_put(o, head, n);
	xref_put(o, g->body, (size_t)(g->next - g->body));
	*len += (uint32_t)(n + (size_t)(g->next - g->body));
	*last = file;
}

/* Puts a symbol's postings: the old run minus dropped files merged with
 * the new worker symbol `ny`'s run; returns their length. */
static uint32_t merge_posts(struct update *u, struct xref_writer *o,
			    const struct xref_sym_rec *os, const struct xref_wsym *ny)
{
	struct group og = { 0 }, ng = { 0 };
	uint8_t tmp[8];
	uint32_t nlen = 0, len = 0, last = 0, ofile = 0;
	int ho, hn;

	if (os && os[1].post_off >= os->post_off && os[1].post_off <= u->old->h->post_size) {
		og.p = u->old->post + os->post_off;
		og.end = u->old->post + os[1].post_off;
	}
	if (ny) {
		ng.p = xref_wpost(ny, tmp, &nlen);
		ng.end = ng.p + nlen;
	}
	ho = next_kept(u, &og, &ofile);
	hn = next_group(&ng);
	while (ho || hn) {
		if (ho && (!hn || ofile < ng.file)) {
			put_group(o, &og, ofile, &last, &len);
			ho = next_kept(u, &og, &ofile);
		} else {
			put_group(o, &ng, ng.file, &last, &len);
			u->nrefs += ng.count;
			hn = next_group(&ng);
		}
	}
	return len;
}

/* --- the merge ---------------------------------------------------------------------- */

/* Where the sections go (each sized for the most it can hold). */
static void make_plan(const struct update *u, struct xref_layout *l)
{
	const struct xref_build *b = u->b;
	const struct xref_worker *w = &b->workers[0];
	uint64_t nsyms = (uint64_t)u->old->h->nsyms + w->norder + 1;
	uint64_t ndocs = (uint64_t)u->old->h->ndocs + b->docs.n;

	l->paths_size = l->docs_size = 0;
	for (size_t i = 0; i < b->nfiles; i++)
		l->paths_size += strlen(b->files[i].path) + 1;
	for (uint32_t i = 0; i < u->old->h->ndocs; i++) {
		const char *t = xref_str(u->old, u->old->docs[i].title_off);
		const char *ws = xref_str(u->old, u->old->docs[i].words_off);

		l->docs_size += (t ? strlen(t) : 0) + (ws ? strlen(ws) : 0) + 2;
	}
	for (size_t i = 0; i < b->docs.n; i++)
		l->docs_size += strlen(b->docs.v[i].title) + strlen(b->docs.v[i].words) + 2;
	l->files = xref_up8(sizeof(struct xref_header) + strlen(b->root) + 1);
	l->stamps = xref_up8(l->files + b->nfiles * sizeof(struct xref_file_rec));
	l->syms = l->stamps + b->nfiles * sizeof(struct xref_stamp);
	l->defs = xref_up8(l->syms + nsyms * sizeof(struct xref_sym_rec));
	l->docs = xref_up8(l->defs + ((uint64_t)u->old->h->ndefs + w->ndefs) *
				     sizeof(struct xref_def_rec));
	l->strs = xref_up8(l->docs + ndocs * sizeof(struct xref_doc_rec));
	l->post = xref_up8(l->strs + l->paths_size + l->docs_size + u->old->h->strs_size +
			   w->nnames);
}

static void put_doc(struct xref_writer *rec, struct xref_writer *str,
		    uint32_t file, uint32_t line, const char *title,
		    const char *words, uint32_t *off)
{
	struct xref_doc_rec r = { file, line, *off, 0 };

	*off += (uint32_t)strlen(title) + 1;
	r.words_off = *off;
	*off += (uint32_t)strlen(words) + 1;
	xref_put(rec, &r, sizeof(r));
	xref_put(str, title, strlen(title) + 1);
	xref_put(str, words, strlen(words) + 1);
}

/* The documents, old ones kept and new ones, in file order; returns how
 * many. */
static uint32_t merge_docs(const struct update *u, struct xref_writer *rec,
			   struct xref_writer *str, uint32_t off)
{
	const struct xref_docs *nd = &u->b->docs;
	uint32_t i = 0, n = 0, nold = u->old->h->ndocs;
	size_t k = 0;

	for (;; n++) {
		const struct xref_doc_rec *d;

		while (i < nold && (u->old->docs[i].file >= u->old->h->nfiles ||
				    u->dropped[u->old->docs[i].file]))
			i++;
		if (i == nold && k == nd->n)
			return n;
		d = i < nold ? &u->old->docs[i] : NULL;
		if (d && (k == nd->n || u->renum[d->file] < nd->v[k].file)) {
			const char *t = xref_str(u->old, d->title_off);
			const char *ws = xref_str(u->old, d->words_off);

			put_doc(rec, str, u->renum[d->file], d->line, t ? t : "",
				ws ? ws : "", &off);
			i++;
		} else {
			put_doc(rec, str, nd->v[k].file, nd->v[k].line, nd->v[k].title,
				nd->v[k].words, &off);
			k++;
		}
	}
}

static int name_cmp(const char *a, size_t la, const char *b, size_t lb)
{
	int c = memcmp(a, b, la < lb ? la : lb);

	return c ? c : (la > lb) - (la < lb);
}

/* One pass over the old and the new symbols in name order; w[0] symbols,
 * w[1] definitions, w[2] names, w[3] postings. */
static void merge_syms(struct update *u, struct xref_writer *w, uint32_t names_off,
		       struct xref_header *h)
{
	struct xref_worker *nw = &u->b->workers[0];
	struct xref_sym_rec r = { .name_off = names_off };
	size_t ns = 0, dpos = 0, olen = 0, nlen = 0;
	uint32_t os = 0, g = 0, nd, np;
	const char *oname, *nname;
	int c;

	for (;;) {
		const struct xref_sym_rec *o = NULL;
		const struct xref_wsym *ny = NULL;

		oname = os < u->old->h->nsyms ? xref_sym_name(u->old, &u->old->syms[os], &olen) : NULL;
		nname = ns < nw->norder ? xref_wname(nw, &nw->syms[nw->order[ns]], &nlen) : NULL;
		if (!oname && !nname)
			break;
		c = !oname ? 1 : !nname ? -1 : name_cmp(oname, olen, nname, nlen);
		if (c <= 0)
			o = &u->old->syms[os++];
		if (c >= 0)
			ny = &nw->syms[nw->order[ns++]];
		nd = merge_defs(u, &w[1], o, &dpos, ny ? ny->line : NOSYM);
		np = merge_posts(u, &w[3], o, ny);
		if (!ny && !nd && !np && (o[1].def_first > o->def_first ||
					  o[1].post_off > o->post_off))
			continue; /* everything it had was in files now gone */
		xref_put(&w[0], &r, sizeof(r));
		xref_put(&w[2], c <= 0 ? oname : nname, c <= 0 ? olen : nlen);
		xref_put(&w[2], "", 1);
		r.name_off += (uint32_t)(c <= 0 ? olen : nlen) + 1;
		r.def_first += nd;
		r.post_off += np;
		g++;
	}
	xref_put(&w[0], &r, sizeof(r));
	h->nsyms = g;
	h->ndefs = r.def_first;
	h->post_size = r.post_off;
	h->strs_size = r.name_off;
}

static void fill_header(struct update *u, const struct xref_layout *l, uint32_t ndocs,
			struct xref_header *h)
{
	xref_header_init(h);
	h->nfiles = (uint32_t)u->b->nfiles;
	h->ndocs = ndocs;
	h->nrefs = u->nrefs;
	xref_header_place(h, l);
}

/* Writes the merged index into `fd` (xref_write_file's `fill`). */
static int write_merged(int fd, void *ctx, struct xref_header *h)
{
	struct update *u = ctx;
	struct xref_writer w[5];
	struct xref_layout l;
	uint32_t off, ndocs;
	int err = 0;

	make_plan(u, &l);
	memset(h, 0, sizeof(*h));
	xref_writer_init(&w[0], fd, l.syms);
	xref_writer_init(&w[1], fd, l.defs);
	xref_writer_init(&w[2], fd, l.strs);
	xref_writer_init(&w[3], fd, l.post);
	xref_writer_init(&w[4], fd, l.docs);
	for (size_t i = 0; i < u->b->nfiles; i++)
		xref_put(&w[2], u->b->files[i].path, strlen(u->b->files[i].path) + 1);
	ndocs = merge_docs(u, &w[4], &w[2], (uint32_t)l.paths_size);
	off = (uint32_t)(w[2].pos - l.strs);
	merge_syms(u, w, off, h);
	xref_seek(&w[4], sizeof(*h));
	xref_put(&w[4], u->b->root, strlen(u->b->root) + 1);
	xref_seek(&w[4], l.files);
	xref_put_files(&w[4], u->b, l.stamps);
	for (int i = 0; i < 5; i++)
		if (xref_writer_done(&w[i]))
			err = w[i].failed;
	fill_header(u, &l, ndocs, h);
	return xref_finish(fd, err, w[2].pos - l.strs, h);
}

/* Reads the changed files with one worker and orders its definitions by
 * the rank of their names, as merge_syms() meets them. */
static void scan_changed(struct update *u)
{
	struct xref_worker *w;

	u->b->only = u->fresh;
	u->b->nworkers = 1;
	xref_scan_files(u->b);
	w = &u->b->workers[0];
	for (size_t k = 0; k < w->norder; k++)
		w->syms[w->order[k]].line = (uint32_t)k;
	for (size_t i = 0; i < w->ndefs; i++)
		w->defs[i].sym = w->syms[w->defs[i].sym].line;
	xref_sort_defs(u->b, w->defs, w->ndefs);
	u->nrefs = u->old->h->nrefs;
}

static int commit(struct update *u, const char *out, struct xref_build_stats *stats)
{
	struct xref_header h;

	if (xref_write_file(out, write_merged, u, &h) < 0)
		return -1;
	stats->syms = h.nsyms;
	stats->defs = h.ndefs;
	stats->refs = h.nrefs;
	stats->docs = h.ndocs;
	stats->index_bytes = h.file_size;
	return 1;
}

/*
 * Only touched files, their content the same: the new stamps go into the
 * index in place (queries never read stamps; an interrupted write leaves
 * old stamps, and those files are hashed again next time).  1, or -1
 * after an error.
 */
static int restamp_in_place(const struct update *u, const char *out)
{
	int fd, rc = 1;

	if (!u->nrestamp)
		return 1;
	fd = open(out, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return error("cannot open '%s': %m", out);
	for (size_t k = 0; k < u->nrestamp && rc == 1; k++) {
		uint32_t i = u->restamp[k];
		const struct xref_src *f = &u->b->files[u->renum[i]];
		struct xref_stamp st = { f->size, f->mtime_ns, f->hash };
		off_t at = (off_t)(u->old->h->stamps_off + (uint64_t)i * sizeof(st));

		if (pwrite(fd, &st, sizeof(st), at) != (ssize_t)sizeof(st))
			rc = error("cannot write '%s': %m", out);
	}
	if (close(fd) < 0 && rc == 1)
		rc = error("cannot write '%s': %m", out);
	return rc;
}

int xref_update(struct xref_build *b, const char *out,
		struct xref_build_stats *stats)
{
	struct update u = { .b = b };
	struct xref_index *old = xref_open_quiet(out);
	uint64_t total = 0, bytes;
	int rc = 0;

	if (!old || strcmp(xref_root(old), b->root))
		goto out;
	u.old = old;
	u.renum = xcalloc(old->h->nfiles + 1, sizeof(*u.renum));
	u.dropped = xcalloc(old->h->nfiles + 1, 1);
	u.fresh = xcalloc(b->nfiles + 1, 1);
	u.restamp = xcalloc(old->h->nfiles + 1, sizeof(*u.restamp));
	bytes = match_files(&u, stats);
	for (size_t i = 0; i < b->nfiles; i++)
		total += b->files[i].type != XREF_FILE_OTHER ? b->files[i].size : 0;
	if (bytes > total / 8 && bytes > MIN_REBUILD) {
		stats->reread = stats->removed = 0;
		goto out;
	}
	stats->updated = 1;
	for (size_t i = 0; i < b->nfiles; i++)
		stats->files += b->files[i].type == XREF_FILE_C ||
				b->files[i].type == XREF_FILE_H || b->files[i].type == XREF_FILE_ASM;
	if (!stats->reread && !stats->removed && b->nfiles == old->h->nfiles) {
		stats->syms = old->h->nsyms; /* nothing changed: nothing to write */
		stats->defs = old->h->ndefs;
		stats->refs = old->h->nrefs;
		stats->docs = old->h->ndocs;
		stats->index_bytes = old->h->file_size;
		stats->restamped = u.nrestamp;
		rc = restamp_in_place(&u, out);
		goto out;
	}
	scan_changed(&u);
	stats->skipped = b->workers[0].skipped;
	rc = commit(&u, out, stats);
out:
	b->only = NULL;
	free(u.renum);
	free(u.dropped);
	free(u.fresh);
	free(u.restamp);
	xref_close(old);
	return rc;
}
