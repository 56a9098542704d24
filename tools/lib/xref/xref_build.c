/*
 * xref_build.c — `xref index`: the walk over the source tree (xref_tree.c),
 * then either an update of the index already there (xref_update.c) or a
 * full build: the files read on worker threads (xref_worker.c) and the
 * index written (xref_write.c).
 *
 * Owns the choice between an update and a full build (an update unless
 * told XREF_BUILD_FULL or xref_update() finds a full build the better
 * way), the number of workers (1 to 64), the LABKIT_XREF_TRACE report of
 * each worker, and the build's statistics.
 *
 * A tree that cannot be resolved or walked, or that has no .c, .h or .S
 * file, is an error (printed, -1); files the workers cannot read are
 * skipped with a warning and the index is still built.  Allocation
 * failure dies.  Never writes into the tree.
 */
#include "xref_build_int.h"
#include "xref_format_int.h"
#include "xref_index.h"

#include "events.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static int is_source(const struct xref_src *f)
{
	return f->type == XREF_FILE_C || f->type == XREF_FILE_H ||
	       f->type == XREF_FILE_ASM;
}

static void build_free(struct xref_build *b)
{
	for (size_t i = 0; i < b->nfiles; i++)
		free(b->files[i].path);
	free(b->files);
	xref_scan_free(b);
}

static void trace(const struct xref_build *b, double t0)
{
	if (!getenv("LABKIT_XREF_TRACE"))
		return;
	for (int k = 0; k < b->nworkers; k++) {
		const struct xref_worker *w = &b->workers[k];
		size_t heap = 0, nheap = 0;

		for (size_t i = 0; i < w->nsyms; i++) {
			uint64_t v = xref_wpost_word(&w->syms[i]);

			if (v && !(v & 1)) {
				nheap++;
				heap += ((const uint32_t *)(uintptr_t)v)[1] + 8;
			}
		}
		events_note(NULL, NULL, "xref: worker %d: %.2f s, %zu bytes, "
			    "%zu symbols, %zu name bytes, %zu definitions, "
			    "%zu references, %zu postings blocks of %zu bytes",
			    k, w->seconds, w->bytes, w->nsyms, w->nnames,
			    w->ndefs, w->refs, nheap, heap);
	}
	events_note(NULL, NULL, "xref: walked and scanned in %.2f s",
		    now_monotonic() - t0);
}

int xref_build(const char *tree, const char *out, int jobs, unsigned flags,
	       struct xref_build_stats *stats)
{
	struct xref_build b = { 0 };
	char root[PATH_MAX];
	double t0 = now_monotonic();
	size_t nsrc = 0;
	int rc = -1;

	memset(stats, 0, sizeof(*stats));
	if (!realpath(tree, root))
		return error("%s: %s", tree, strerror(errno));
	b.root = root;
	if (xref_walk(&b) < 0)
		goto out;
	for (size_t i = 0; i < b.nfiles; i++)
		nsrc += is_source(&b.files[i]);
	if (!nsrc) {
		error("%s: no .c, .h or .S files to index", tree);
		goto out;
	}
	if (!(flags & XREF_BUILD_FULL)) {
		rc = xref_update(&b, out, stats);
		if (rc != 0) {
			rc = rc < 0 ? -1 : 0;
			stats->seconds = now_monotonic() - t0;
			goto out;
		}
		rc = -1;
	}
	b.nworkers = jobs < 1 ? 1 : jobs > 64 ? 64 : jobs;
	xref_scan_files(&b);
	trace(&b, t0);
	for (int k = 0; k < b.nworkers; k++) {
		stats->skipped += b.workers[k].skipped;
		stats->bytes += b.workers[k].bytes;
		stats->tokens += b.workers[k].tokens;
	}
	rc = xref_write(&b, out, stats);
	stats->files = nsrc - stats->skipped;
	stats->docs = b.docs.n;
	stats->seconds = now_monotonic() - t0;
out:
	build_free(&b);
	return rc;
}
