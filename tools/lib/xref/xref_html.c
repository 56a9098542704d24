/*
 * xref_html.c — the pages of `labkit xref serve`, rendered into a string:
 * the home page with the two search boxes, a source file with numbered
 * lines (anchors #L<n>) and every identifier the index defines linked to
 * its /ident page, a directory of the tree (from the index's file list),
 * an identifier's definitions and references, Documentation/ search
 * results, and error pages.
 *
 * Owns the HTML: every byte that comes from the tree, the index or the
 * request goes through html_text() or html_attr(), so a file or a query
 * can never inject markup.  Never reads a file itself (xref_serve.c
 * resolves and reads sources) and never fails: a page that cannot be
 * made is an error page with its HTTP status.  Allocation failure dies.
 */
#include "xref_html_int.h"
#include "xref_index_int.h"
#include "xref_lex_int.h"
#include "xref_query.h"

#include "text.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEFS 1000
#define MAX_REFS 20000
#define MAX_NAME 255

/* --- escaping -------------------------------------------------------------- */

/* Text from the tree or a request: markup characters as entities, control
 * characters and bytes that are not UTF-8 as \xNN. */
static void html_text(struct sb *out, const char *s, size_t len)
{
	text_escape(out, s, len, TEXT_HTML | TEXT_APOS | TEXT_CONTROLS);
}

static void html_str(struct sb *out, const char *s)
{
	html_text(out, s, strlen(s));
}

/* A URL path component set into an attribute: unreserved bytes as they
 * are, '/' kept when `slash`, the rest percent-encoded. */
static void html_url(struct sb *out, const char *s, int slash)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || strchr("-._~", c) || (slash && c == '/'))
			sb_addc(out, (char)c);
		else
			sb_addf(out, "%%%02X", c);
	}
}

/* --- the frame ------------------------------------------------------------- */

static void page_head(struct sb *out, const char *title, const char *q)
{
	sb_adds(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		"<title>");
	html_str(out, title);
	sb_adds(out, " - labkit xref</title><style>"
		"body{font-family:sans-serif;margin:0 1em}"
		"pre{font-family:monospace;line-height:1.3}"
		"a.n{color:#888;text-decoration:none;display:inline-block;"
		"width:6ch;text-align:right;margin-right:1ch}"
		"pre span:target{background:#ffa}"
		"pre a.i{color:inherit}"
		"header{padding:.5em 0;border-bottom:1px solid #ccc}"
		"li{font-family:monospace}"
		"</style></head><body><header><a href=\"/\">labkit xref</a> "
		"<form action=\"/ident\" method=\"get\" style=\"display:inline\">"
		"<input name=\"q\" size=\"30\" placeholder=\"identifier\" value=\"");
	html_str(out, q ? q : "");
	sb_adds(out, "\"> <button>find</button></form> "
		"<form action=\"/doc\" method=\"get\" style=\"display:inline\">"
		"<input name=\"q\" size=\"30\" placeholder=\"Documentation/ words\">"
		" <button>search docs</button></form> "
		"<a href=\"/source/\">source</a></header>\n");
}

static void page_tail(struct sb *out)
{
	sb_adds(out, "</body></html>\n");
}

int xref_html_error(struct sb *out, int status, const char *msg)
{
	char title[32];

	snprintf(title, sizeof(title), "%d", status);
	page_head(out, title, NULL);
	sb_addf(out, "<h1>%d</h1><p>", status);
	html_str(out, msg);
	sb_adds(out, "</p>\n");
	page_tail(out);
	return status;
}

int xref_html_home(const struct xref_index *idx, struct sb *out)
{
	page_head(out, "home", NULL);
	sb_adds(out, "<h1>labkit xref</h1><p>An index of <code>");
	html_str(out, xref_root(idx));
	sb_addf(out, "</code>: %u files, %u identifiers, %u definitions, %llu references, "
		"%u documents.</p>\n<p>Try <a href=\"/ident/file_operations\">"
		"file_operations</a>, <a href=\"/ident/dentry\">dentry</a>, "
		"<a href=\"/ident/dget\">dget</a> or "
		"<a href=\"/doc?q=path+walking\">path walking</a>.</p>\n",
		idx->h->nfiles, idx->h->nsyms, idx->h->ndefs,
		(unsigned long long)idx->h->nrefs, idx->h->ndocs);
	page_tail(out);
	return 200;
}

/* --- a source file ---------------------------------------------------------- */

static int has_def(const struct xref_index *idx, const char *s, size_t len)
{
	const struct xref_sym_rec *y;

	if (len > MAX_NAME || (xref_classify(s, len) & XREF_CLS_KW))
		return 0;
	y = xref_lookup(idx, s, len);
	return y && y[1].def_first > y->def_first;
}

/* Source text [s, s + len) with a new numbered line at each newline. */
static void put_source_text(struct sb *out, const char *s, size_t len,
			    uint32_t *line)
{
	const char *nl;

	while (len && (nl = memchr(s, '\n', len))) {
		html_text(out, s, (size_t)(nl - s));
		++*line;
		sb_addf(out, "</span>\n<span id=\"L%u\"><a class=\"n\" href=\"#L%u\">%u</a>",
			*line, *line, *line);
		len -= (size_t)(nl - s) + 1;
		s = nl + 1;
	}
	html_text(out, s, len);
}

int xref_html_source(const struct xref_index *idx, const char *path,
		     const char *text, size_t len, struct sb *out)
{
	struct xref_tokens t = { 0 };
	uint32_t line = 1;
	size_t at = 0;

	xref_lex(text, len, &t);
	page_head(out, path, NULL);
	sb_adds(out, "<h2><a href=\"/source/\">/</a>");
	for (const char *p = path, *slash; (slash = strchr(p, '/')); p = slash + 1) {
		char *dir = xstrndup(path, (size_t)(slash - path) + 1);

		sb_adds(out, "<a href=\"/source/");
		html_url(out, dir, 1);
		sb_adds(out, "\">");
		html_text(out, p, (size_t)(slash - p) + 1);
		sb_adds(out, "</a>");
		free(dir);
	}
	html_str(out, strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
	sb_adds(out, "</h2>\n<pre><span id=\"L1\"><a class=\"n\" href=\"#L1\">1</a>");
	for (size_t i = 0; i < t.n; i++) {
		const struct xref_token *k = &t.v[i];
		const char *s = text + k->off;

		if (k->type != XREF_TOK_IDENT || k->off < at || !has_def(idx, s, k->len) ||
		    memchr(s, '\n', k->len) || memchr(s, '\\', k->len))
			continue;
		put_source_text(out, text + at, k->off - at, &line);
		sb_adds(out, "<a class=\"i\" href=\"/ident/");
		html_text(out, s, k->len); /* an identifier needs no encoding */
		sb_adds(out, "\">");
		html_text(out, s, k->len);
		sb_adds(out, "</a>");
		at = k->off + k->len;
	}
	put_source_text(out, text + at, len - at, &line);
	sb_adds(out, "</span></pre>\n");
	page_tail(out);
	xref_tokens_free(&t);
	return 200;
}

/* --- a directory ---------------------------------------------------------------- */

/* The entries right under `dir` ("" or ending in '/'), from the index's
 * sorted file list; 404 when there are none. */
int xref_html_dir(const struct xref_index *idx, const char *dir, struct sb *out)
{
	size_t dlen = strlen(dir), n = 0, last_len = 0;
	const char *last = NULL;

	page_head(out, *dir ? dir : "/", NULL);
	sb_adds(out, "<h2>/");
	html_str(out, dir);
	sb_adds(out, "</h2><ul>\n");
	for (uint32_t i = 0; i < idx->h->nfiles; i++) {
		const char *path = xref_file_path(idx, i), *rest, *slash;
		size_t len;

		if (!path || strncmp(path, dir, dlen))
			continue;
		rest = path + dlen;
		slash = strchr(rest, '/');
		len = slash ? (size_t)(slash - rest) + 1 : strlen(rest);
		if (last && len == last_len && !memcmp(last, rest, len))
			continue;
		last = rest;
		last_len = len;
		sb_adds(out, "<li><a href=\"/source/");
		html_url(out, dir, 1);
		for (size_t k = 0; k < len; k++) {
			char c[2] = { rest[k], 0 };

			html_url(out, c, 1);
		}
		sb_adds(out, "\">");
		html_text(out, rest, len);
		sb_adds(out, "</a></li>\n");
		n++;
	}
	sb_adds(out, "</ul>\n");
	page_tail(out);
	if (!n) {
		sb_reset(out);
		return xref_html_error(out, 404, "no such directory in the index");
	}
	return 200;
}

/* --- an identifier ---------------------------------------------------------------- */

static void put_loc_link(struct sb *out, const char *path, uint32_t line)
{
	sb_adds(out, "<a href=\"/source/");
	html_url(out, path, 1);
	sb_addf(out, "#L%u\">", line);
	html_str(out, path);
	sb_addf(out, ":%u</a>", line);
}

static void put_defs(const struct xref_index *idx, const char *name,
		     struct sb *out)
{
	struct xref_def *d = xmalloc(MAX_DEFS * sizeof(*d));
	size_t total, n = xref_defs(idx, name, XREF_NONE, NULL, d, MAX_DEFS, &total);

	sb_addf(out, "<h2>%zu definition%s</h2><ul class=\"defs\">\n", total,
		total == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		sb_adds(out, "<li>");
		put_loc_link(out, d[i].path, d[i].line);
		sb_addf(out, " %s%s%s</li>\n", xref_kind_name(d[i].kind),
			d[i].flags & XREF_DF_DECL ? " (declaration)" : "",
			d[i].flags & XREF_DF_MACRO ? " (made by a macro)" : "");
	}
	if (n < total)
		sb_addf(out, "<li>... %zu more</li>\n", total - n);
	sb_adds(out, "</ul>\n");
	free(d);
}

static void put_refs(const struct xref_index *idx, const char *name,
		     struct sb *out)
{
	struct xref_ref *r = xmalloc(MAX_REFS * sizeof(*r));
	size_t total, n = xref_refs(idx, name, NULL, r, MAX_REFS, &total);

	sb_addf(out, "<h2>%zu reference%s</h2><ul class=\"refs\">\n", total,
		total == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || r[i].file != r[i - 1].file) {
			sb_adds(out, i ? "</li>\n<li>" : "<li>");
			html_str(out, r[i].path);
			sb_adds(out, ":");
		}
		sb_adds(out, " <a href=\"/source/");
		html_url(out, r[i].path, 1);
		sb_addf(out, "#L%u\">%u</a>", r[i].line, r[i].line);
	}
	sb_adds(out, n ? "</li>\n" : "");
	if (n < total)
		sb_addf(out, "<li>... %zu more</li>\n", total - n);
	sb_adds(out, "</ul>\n");
	free(r);
}

int xref_html_ident(const struct xref_index *idx, const char *name,
		    struct sb *out)
{
	size_t total_d = 0, total_r = 0;

	if (!*name || strlen(name) > MAX_NAME)
		return xref_html_error(out, 400, "not an identifier");
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '$')
			return xref_html_error(out, 400, "not an identifier");
	xref_defs(idx, name, XREF_NONE, NULL, NULL, 0, &total_d);
	xref_refs(idx, name, NULL, NULL, 0, &total_r);
	page_head(out, name, name);
	sb_adds(out, "<h1>");
	html_str(out, name);
	sb_adds(out, "</h1>\n");
	put_defs(idx, name, out);
	put_refs(idx, name, out);
	page_tail(out);
	return total_d || total_r ? 200 : 404;
}

/* --- Documentation/ ------------------------------------------------------------------ */

int xref_html_doc(const struct xref_index *idx, const char *query,
		  struct sb *out)
{
	char *copy = xstrdup(query), **words = NULL, *save;
	int nwords = 0;
	struct xref_doc_hit *hits;
	size_t n;

	for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		words = xrealloc(words, (size_t)(nwords + 1) * sizeof(*words));
		words[nwords++] = w;
	}
	n = xref_doc_rank(idx, words, nwords, &hits);
	page_head(out, query, NULL);
	sb_adds(out, "<h1>Documentation/: ");
	html_str(out, query);
	sb_addf(out, "</h1><p>%zu document%s</p><ol>\n", n, n == 1 ? "" : "s");
	for (size_t i = 0; i < n && i < 50; i++) {
		sb_adds(out, "<li>");
		put_loc_link(out, hits[i].path, hits[i].line);
		sb_adds(out, " ");
		html_str(out, hits[i].title);
		sb_adds(out, "</li>\n");
	}
	sb_adds(out, "</ol>\n");
	page_tail(out);
	free(hits);
	free(words);
	free(copy);
	return 200;
}
