/*
 * xref_writeout.c — `labkit xref def|refs|show|file|doc` written out: the
 * answers the library returns (tools/lib/xref/xref_query.h) as
 * `path:line: ...` lines relative to the tree's root, or as JSON, on the
 * command's stdout (as curl's tool_writeout.c writes out a transfer).
 *
 * Owns both formats, what a query that finds nothing says (with the
 * names a missing definition suggests, or where else it is defined),
 * reading `show 'struct NAME'`, and how many documents `doc` lists
 * unless told (10).
 *
 * Each returns 0 when something was found, 1 when nothing was (after an
 * error saying so), -1 when a source could not be read (the library's
 * error says which).  Allocation failure dies.
 */
#include "xref_writeout.h"

#include "util.h"
#include "xref_query.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEFS 4096
#define MAX_HINTS 5
#define DOC_HITS 10

/* `s` as a JSON string, quotes included. */
static void json_str(FILE *out, const char *s, size_t len)
{
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void print_def(const struct writeout *w, const struct xref_def *d,
		      int first)
{
	int tag = d->kind == XREF_STRUCT || d->kind == XREF_UNION || d->kind == XREF_ENUM;

	if (!w->json) {
		fprintf(w->out, "%s:%u: %s %.*s%s\n", d->path, d->line,
			xref_kind_name(d->kind), (int)d->name_len, d->name,
			tag && (d->flags & XREF_DF_DECL) ? " (declaration)" : "");
		return;
	}
	fprintf(w->out, "%s{\"name\": ", first ? "" : ",\n ");
	json_str(w->out, d->name, d->name_len);
	fprintf(w->out, ", \"kind\": \"%s\", \"path\": ", xref_kind_name(d->kind));
	json_str(w->out, d->path, strlen(d->path));
	fprintf(w->out, ", \"line\": %u, \"start_line\": %u, \"end_line\": %u, "
		"\"declaration\": %s, \"macro\": %s}", d->line, d->start_line,
		d->end_line, d->flags & XREF_DF_DECL ? "true" : "false",
		d->flags & XREF_DF_MACRO ? "true" : "false");
}

/* Says that `name` has no definition, with names that start with it. */
static void no_def(const struct xref_index *idx, const struct writeout *w,
		   const char *name)
{
	const char *near[MAX_HINTS];
	size_t shown = xref_suggest(idx, name, near, MAX_HINTS), total;
	struct sb hint;
	struct xref_def any;

	sb_init(&hint);
	for (size_t i = 0; i < shown; i++)
		sb_addf(&hint, "%s'%s'", i ? ", " : " (did you mean ", near[i]);
	if (shown)
		sb_adds(&hint, "?)");
	if ((w->in || w->kind) && xref_defs(idx, name, XREF_NONE, NULL, &any, 1, &total))
		error("no definition of '%s'%s%s%s%s (%zu elsewhere, first %s:%u)", name,
		      w->kind ? " of kind " : "", w->kind ? xref_kind_name(w->kind) : "",
		      w->in ? " under " : "", w->in ? w->in : "", total, any.path, any.line);
	else
		error("no definition of '%s'%s", name, hint.buf);
	sb_release(&hint);
}

int writeout_def(const struct xref_index *idx, const struct writeout *w,
		 char **names, int nnames)
{
	struct xref_def *defs = xmalloc(MAX_DEFS * sizeof(*defs));
	size_t n, total, printed = 0;
	int missing = 0;

	if (w->json)
		fputc('[', w->out);
	for (int i = 0; i < nnames; i++) {
		n = xref_defs(idx, names[i], w->kind, w->in, defs, MAX_DEFS, &total);
		if (w->limit && n > w->limit)
			n = w->limit;
		for (size_t k = 0; k < n; k++)
			print_def(w, &defs[k], !printed++);
		if (!n)
			missing = 1;
	}
	if (w->json)
		fputs("]\n", w->out);
	for (int i = 0; i < nnames; i++)
		if (!xref_defs(idx, names[i], w->kind, w->in, defs, 1, &total))
			no_def(idx, w, names[i]);
	free(defs);
	return missing;
}

struct print_refs {
	const struct writeout *w;
	size_t n;
};

static void print_ref(void *ctx, const struct xref_ref *r, const char *text,
		      size_t len)
{
	struct print_refs *p = ctx;
	const struct writeout *w = p->w;

	if (!w->json) {
		fprintf(w->out, "%s:%u: %.*s\n", r->path, r->line, (int)len, text);
		return;
	}
	fprintf(w->out, "%s{\"path\": ", p->n++ ? ",\n " : "");
	json_str(w->out, r->path, strlen(r->path));
	fprintf(w->out, ", \"line\": %u, \"text\": ", r->line);
	json_str(w->out, text, len);
	fputc('}', w->out);
}

int writeout_refs(const struct xref_index *idx, const struct writeout *w,
		  const char *name)
{
	struct print_refs p = { w, 0 };
	long n;

	if (w->json)
		fputc('[', w->out);
	n = xref_ref_lines(idx, name, w->in, w->limit, print_ref, &p);
	if (w->json)
		fputs("]\n", w->out);
	if (n < 0)
		return -1;
	if (!n) {
		error("no references to '%s'%s%s", name, w->in ? " under " : "",
		      w->in ? w->in : "");
		return 1;
	}
	return 0;
}

static void print_lines(const struct writeout *w, const struct xref_shown *sh,
			uint32_t from, uint32_t to, struct sb *json)
{
	size_t len;
	const char *s;

	for (uint32_t n = from; n && n <= to && (s = xref_shown_line(sh, n, &len)); n++) {
		if (json)
			sb_addf(json, "%.*s\n", (int)len, s);
		else
			fprintf(w->out, "%6u  %.*s\n", n, (int)len, s);
	}
}

/* "struct NAME", "union NAME", "enum NAME" or NAME: the name and kind. */
static const char *parse_what(const char *what, int *kind)
{
	static const struct {
		const char *word;
		int kind;
	} tags[] = { { "struct", XREF_STRUCT }, { "union", XREF_UNION }, { "enum", XREF_ENUM } };

	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		size_t len = strlen(tags[i].word);

		if (!strncmp(what, tags[i].word, len) && isspace((unsigned char)what[len])) {
			*kind = tags[i].kind;
			what += len;
			while (isspace((unsigned char)*what))
				what++;
			return what;
		}
	}
	return what;
}

static void show_json(const struct writeout *w, const struct xref_shown *sh)
{
	const struct xref_def *d = &sh->def;
	struct sb text;

	sb_init(&text);
	fputs("{\"name\": ", w->out);
	json_str(w->out, d->name, d->name_len);
	fprintf(w->out, ", \"kind\": \"%s\", \"path\": ", xref_kind_name(d->kind));
	json_str(w->out, d->path, strlen(d->path));
	fprintf(w->out, ", \"line\": %u, \"start_line\": %u, \"end_line\": %u, "
		"\"comment_line\": %u, \"comment\": ", d->line, d->start_line,
		d->end_line, sh->comment_line);
	print_lines(w, sh, sh->comment_line, sh->comment_end, &text);
	json_str(w->out, text.buf, text.len);
	sb_reset(&text);
	fputs(", \"text\": ", w->out);
	print_lines(w, sh, d->start_line, d->end_line, &text);
	json_str(w->out, text.buf, text.len);
	fputs("}\n", w->out);
	sb_release(&text);
}

/* "(2 other definitions, 12 declarations: labkit xref def ...)" */
static void show_others(const struct writeout *w, const char *name,
			const struct xref_shown *sh)
{
	size_t decls = sh->decls, others = sh->total - 1 - decls;

	fprintf(w->out, "(%zu other definition%s, %zu declaration%s: labkit xref def%s%s%s%s %s)\n",
		others, others == 1 ? "" : "s", decls, decls == 1 ? "" : "s",
		w->kind ? " --kind " : "", w->kind ? xref_kind_name(w->kind) : "",
		w->in ? " --in " : "", w->in ? w->in : "", name);
}

int writeout_show(const struct xref_index *idx, const struct writeout *w,
		  const char *what)
{
	struct writeout sw = *w;
	struct xref_shown sh;
	const char *name = parse_what(what, &sw.kind);
	int found = xref_show(idx, name, sw.kind, w->in, &sh);

	if (found == 0) {
		no_def(idx, &sw, name);
		return 1;
	}
	if (found < 0)
		return -1;
	if (w->json) {
		show_json(w, &sh);
	} else {
		print_def(w, &sh.def, 1);
		print_lines(w, &sh, sh.comment_line, sh.comment_end, NULL);
		if (sh.comment_end && sh.comment_end + 1 < sh.def.start_line)
			fprintf(w->out, "%6s  ...\n", "");
		print_lines(w, &sh, sh.def.start_line, sh.def.end_line, NULL);
		if (sh.total > 1)
			show_others(&sw, name, &sh);
	}
	xref_shown_free(&sh);
	return 0;
}

int writeout_file(const struct xref_index *idx, const struct writeout *w,
		  const char *pattern)
{
	const char **paths;
	size_t n = xref_files(idx, pattern, w->in, w->limit, &paths);

	if (w->json)
		fputc('[', w->out);
	for (size_t i = 0; i < n; i++) {
		if (w->json) {
			fputs(i ? ",\n " : "", w->out);
			json_str(w->out, paths[i], strlen(paths[i]));
		} else {
			fprintf(w->out, "%s\n", paths[i]);
		}
	}
	if (w->json)
		fputs("]\n", w->out);
	free(paths);
	if (!n)
		error("no file path contains '%s'", pattern);
	return n ? 0 : 1;
}

static void print_hits(const struct writeout *w,
		       const struct xref_doc_hit *hits, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!w->json) {
			fprintf(w->out, "%s:%u: %s\n", hits[i].path, hits[i].line,
				hits[i].title);
			continue;
		}
		fprintf(w->out, "%s{\"path\": ", i ? ",\n " : "[");
		json_str(w->out, hits[i].path, strlen(hits[i].path));
		fprintf(w->out, ", \"line\": %u, \"title\": ", hits[i].line);
		json_str(w->out, hits[i].title, strlen(hits[i].title));
		fprintf(w->out, ", \"score\": %.1f}", hits[i].score);
	}
	if (w->json)
		fprintf(w->out, "%s]\n", n ? "" : "[");
}

int writeout_doc(const struct xref_index *idx, const struct writeout *w,
		 char **words, int nwords)
{
	struct xref_doc_hit *hits;
	size_t n = xref_doc_rank(idx, words, nwords, &hits);
	size_t limit = w->limit ? w->limit : DOC_HITS;
	struct sb sb;

	if (n || w->json)
		print_hits(w, hits, n < limit ? n : limit);
	if (!n) {
		sb_init(&sb);
		for (int i = 0; i < nwords; i++)
			sb_addf(&sb, "%s%s", i ? " " : "", words[i]);
		error("no document under Documentation/ has headings matching '%s'",
		      sb.buf);
		sb_release(&sb);
	}
	free(hits);
	return n ? 0 : 1;
}
