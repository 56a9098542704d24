/*
 * xref_query.c — the answers behind `labkit xref refs`, `show` and `file`
 * and the hint of `def`, as data: each reference with its line of
 * source, a definition with its comment and its file's lines, the files
 * whose path matches, the defined names that begin with a missing one.
 * (xref_defs() and xref_refs() are xref_index.c's, the Documentation/
 * search xref_doc.c's.)
 *
 * Owns reading the sources from the root stored in the index, a line by
 * its number, and for `show` the comment block right above a
 * definition, or else the nearest kernel-doc comment above it that names
 * it (`dget, dget_dlock - ...` documents both).
 *
 * A source file that cannot be read is an error naming it (-1).
 * Allocation failure dies.
 */
#include "xref_query.h"
#include "xref_index_int.h"

#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define DOC_SEARCH_LINES 300

/* --- a source file's lines ---------------------------------------------------- */

struct xref_source {
	char *text;
	size_t len;
	size_t *lines; /* offset of each line; lines[0] is line 1 */
	size_t nlines;
};

static int source_read(const struct xref_index *idx, const char *path,
		       struct xref_source *src)
{
	char *full = xasprintf("%s/%s", xref_root(idx), path);
	size_t cap = 0;

	memset(src, 0, sizeof(*src));
	if (fs_read_file(full, &src->text, &src->len) < 0) {
		error("%s: %s (the index was built from '%s')", full,
		      strerror(errno), xref_root(idx));
		free(full);
		return -1;
	}
	free(full);
	for (size_t i = 0; i <= src->len; i++) {
		if (i == 0 || src->text[i - 1] == '\n') {
			if (i == src->len && i)
				break;
			ARRAY_PUSH(src->lines, src->nlines, cap);
			src->lines[src->nlines++] = i;
		}
	}
	return 0;
}

static void source_free(struct xref_source *src)
{
	free(src->text);
	free(src->lines);
}

/* Line `n` (1-based) without its newline; "" past the end. */
static const char *source_line(const struct xref_source *src, uint32_t n,
			       size_t *len)
{
	size_t start, end;

	if (n == 0 || n > src->nlines) {
		*len = 0;
		return "";
	}
	start = src->lines[n - 1];
	end = n < src->nlines ? src->lines[n] : src->len;
	while (end > start && (src->text[end - 1] == '\n' || src->text[end - 1] == '\r'))
		end--;
	*len = end - start;
	return src->text + start;
}

/* --- refs ------------------------------------------------------------------------- */

long xref_ref_lines(const struct xref_index *idx, const char *name,
		    const char *in, size_t limit, xref_ref_line_fn *fn,
		    void *ctx)
{
	struct xref_ref *refs;
	struct xref_source src = { 0 };
	uint32_t file = UINT32_MAX;
	size_t n, total, len;
	const char *text;
	int rc = 0;

	xref_refs(idx, name, in, NULL, 0, &total);
	if (limit && total > limit)
		total = limit;
	refs = xmalloc((total + 1) * sizeof(*refs));
	n = xref_refs(idx, name, in, refs, total, NULL);
	for (size_t i = 0; i < n; i++) {
		if (refs[i].file != file) {
			source_free(&src);
			file = refs[i].file;
			if (source_read(idx, refs[i].path, &src) < 0) {
				memset(&src, 0, sizeof(src));
				rc = -1;
				break;
			}
		}
		text = source_line(&src, refs[i].line, &len);
		fn(ctx, &refs[i], text, len);
	}
	source_free(&src);
	free(refs);
	return rc < 0 ? -1 : (long)n;
}

/* --- show -------------------------------------------------------------------------- */

static int blank_line(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Whether the kernel-doc comment opening on line `n` names `name` in its
 * title (`name - ...`, `name() - ...`, `a, name - ...`). */
static int kdoc_names(const struct xref_source *src, uint32_t n, const char *name)
{
	size_t len, nlen = strlen(name);
	const char *s = source_line(src, n, &len), *dash, *end;

	if (len <= 3 || blank_line(s + 3, len - 3))
		s = source_line(src, n + 1, &len);
	end = s + len;
	dash = memmem(s, len, " -", 2);
	if (dash)
		end = dash;
	for (const char *p = s; p + nlen <= end; p++) {
		if (memcmp(p, name, nlen))
			continue;
		if ((p == s || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
		    (p + nlen == end || !(isalnum((unsigned char)p[nlen]) || p[nlen] == '_')))
			return 1;
	}
	return 0;
}

/* The comment for the definition starting at `start`: the block ending
 * right above it, or the nearest kernel-doc above that names it.  Sets
 * [*from, *to] (0 when there is none). */
static void find_comment(const struct xref_source *src, uint32_t start,
			 const char *name, uint32_t *from, uint32_t *to)
{
	size_t len;
	const char *s;
	uint32_t n;

	*from = *to = 0;
	if (start < 2)
		return;
	s = source_line(src, start - 1, &len);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (len >= 2 && !memcmp(s + len - 2, "*/", 2)) {
		for (n = start - 1; n > 0; n--) {
			s = source_line(src, n, &len);
			if (memmem(s, len, "/*", 2))
				break;
		}
		*from = n ? n : 1;
		*to = start - 1;
		return;
	}
	for (n = start - 1; n > 0 && start - n < DOC_SEARCH_LINES; n--) {
		s = source_line(src, n, &len);
		if (len >= 3 && !memcmp(s, "/**", 3) && kdoc_names(src, n, name))
			break;
	}
	if (n == 0 || start - n >= DOC_SEARCH_LINES)
		return;
	*from = n;
	for (*to = n; *to < start - 1; (*to)++) {
		s = source_line(src, *to, &len);
		if (memmem(s, len, "*/", 2))
			break;
	}
}

/* How many of the definitions after the best are declarations. */
static size_t count_decls(const struct xref_index *idx, const char *name,
			  int kind, const char *in, size_t total)
{
	struct xref_def *defs = xmalloc(total * sizeof(*defs));
	size_t n = xref_defs(idx, name, kind, in, defs, total, NULL), decls = 0;

	for (size_t i = 1; i < n; i++)
		decls += (defs[i].flags & XREF_DF_DECL) != 0;
	free(defs);
	return decls;
}

int xref_show(const struct xref_index *idx, const char *name, int kind,
	      const char *in, struct xref_shown *out)
{
	struct xref_source *src;
	char *cname;

	memset(out, 0, sizeof(*out));
	if (!xref_defs(idx, name, kind, in, &out->def, 1, &out->total))
		return 0;
	src = xmalloc(sizeof(*src));
	if (source_read(idx, out->def.path, src) < 0) {
		free(src);
		return -1;
	}
	out->src = src;
	cname = xstrndup(out->def.name, out->def.name_len);
	find_comment(src, out->def.start_line, cname, &out->comment_line,
		     &out->comment_end);
	free(cname);
	if (out->total > 1)
		out->decls = count_decls(idx, name, kind, in, out->total);
	return 1;
}

const char *xref_shown_line(const struct xref_shown *s, uint32_t n,
			    size_t *len)
{
	if (n == 0 || n > s->src->nlines)
		return NULL;
	return source_line(s->src, n, len);
}

void xref_shown_free(struct xref_shown *s)
{
	if (!s->src)
		return;
	source_free(s->src);
	free(s->src);
	s->src = NULL;
}

/* --- file ----------------------------------------------------------------------------- */

size_t xref_files(const struct xref_index *idx, const char *pattern,
		  const char *in, size_t limit, const char ***paths)
{
	const char **v = NULL;
	size_t n = 0, cap = 0;

	for (uint32_t i = 0; i < idx->h->nfiles; i++) {
		const char *path = xref_file_path(idx, i);

		if (!path || !strstr(path, pattern) ||
		    (in && strncmp(path, in, strlen(in))))
			continue;
		if (limit && n >= limit)
			break;
		ARRAY_PUSH(v, n, cap);
		v[n++] = path;
	}
	*paths = v;
	return n;
}

/* --- def's hint ------------------------------------------------------------------------ */

size_t xref_suggest(const struct xref_index *idx, const char *name,
		    const char **out, size_t max)
{
	size_t lo = 0, hi = idx->h->nsyms, len = strlen(name), n = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *s = xref_str(idx, idx->syms[mid].name_off);

		if (s && strcmp(s, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < idx->h->nsyms && n < max; i++) {
		const struct xref_sym_rec *y = &idx->syms[i];
		const char *s = xref_str(idx, y->name_off);

		if (!s || strncmp(s, name, len))
			break;
		if (y[1].def_first == y->def_first || !strcmp(s, name))
			continue;
		out[n++] = s;
	}
	return n;
}
