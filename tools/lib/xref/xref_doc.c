/*
 * xref_doc.c — the Documentation/ search: headings out of .rst and .txt
 * files at index time, and `xref doc WORDS` ranking at query time.
 *
 * Owns what a heading is (a line underlined, or over- and underlined, by
 * one repeated punctuation character, as reStructuredText and most of the
 * old .txt files write them), the words made of headings (lowercase,
 * split at anything not a letter or digit, light stemming so "walking"
 * finds "walk"), and the score: per query word, a hit in the title counts
 * most, then the file's name, then the headings (capped, so a long file
 * does not win by length); a file that misses some query words is scaled
 * down by the square of the share it has; .rst files, the documentation
 * the kernel builds, rank above the unconverted .txt ones (x0.6); files
 * under a quarter of the best score are left out.
 *
 * Never fails at index time (a file without headings gets its first line
 * as title); allocation failure dies.
 */
#include "xref_build_int.h"
#include "xref_index_int.h"
#include "xref_query.h"

#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TITLE 160

/* Lowercases and stems one word in place; returns its new length. */
static size_t doc_stem(char *w, size_t len)
{
	for (size_t i = 0; i < len; i++)
		w[i] = (char)tolower((unsigned char)w[i]);
#define ENDS(s) (len > strlen(s) && !memcmp(w + len - strlen(s), s, strlen(s)))
	if (len > 5 && ENDS("ing"))
		len -= 3;
	else if (len > 4 && ENDS("ies"))
		w[len - 3] = 'y', len -= 2;
	else if (len > 4 && (ENDS("ches") || ENDS("shes") || ENDS("sses") || ENDS("xes")))
		len -= 2;
	else if (len > 3 && ENDS("s") && !ENDS("ss") && !ENDS("us") && !ENDS("is"))
		len -= 1;
	else if (len > 4 && ENDS("ed"))
		len -= 2;
#undef ENDS
	return len;
}

/* Appends the words of [s, s + len) to `sb`, space-separated. */
static void add_words(struct sb *sb, const char *s, size_t len)
{
	char w[64];
	size_t i = 0, n;

	while (i < len) {
		if (!isalnum((unsigned char)s[i])) {
			i++;
			continue;
		}
		for (n = 0; i < len && isalnum((unsigned char)s[i]); i++)
			if (n < sizeof(w))
				w[n++] = s[i];
		n = doc_stem(w, n);
		if (sb->len && sb->buf[sb->len - 1] != '\n')
			sb_addc(sb, ' ');
		sb_add(sb, w, n);
	}
}

/* A line of one punctuation character repeated, 3 or more long. */
static int adornment(const char *s, size_t len)
{
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	if (len < 3 || !strchr("=-~^\"'`#*+_:.<>", s[0]))
		return 0;
	for (size_t i = 1; i < len; i++)
		if (s[i] != s[0])
			return 0;
	return (int)len;
}

/* Trims [*s, *s + len) of spaces at both ends; returns the new length. */
static size_t trimmed(const char **s, size_t len)
{
	while (len && isspace((unsigned char)**s))
		(*s)++, len--;
	while (len && isspace((unsigned char)(*s)[len - 1]))
		len--;
	return len;
}

struct line {
	const char *s;
	size_t len;
};

static size_t text_len(struct line l)
{
	return trimmed(&l.s, l.len);
}

/* The heading `text` (line `lineno`), into the title or the headings. */
static void heading(struct line text, uint32_t lineno, struct sb *words,
		    char **title, uint32_t *title_line)
{
	size_t n = trimmed(&text.s, text.len);

	if (!n)
		return;
	if (!*title) {
		*title = xstrndup(text.s, n < MAX_TITLE ? n : MAX_TITLE);
		*title_line = lineno;
		add_words(words, text.s, n);
		return;
	}
	sb_addc(words, '\n');
	add_words(words, text.s, n);
}

uint32_t xref_doc_extract(const char *text, size_t len, char **title,
			  char **words)
{
	struct line prev = { NULL, 0 }, first = { NULL, 0 };
	struct sb sb;
	uint32_t lineno = 0, title_line = 0, first_line = 0;
	const char *p = text, *end = text + len, *nl;
	int adorn;

	sb_init(&sb);
	*title = NULL;
	for (; p < end; p = nl + 1) {
		struct line cur = { p, 0 };

		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		cur.len = (size_t)(nl - p);
		lineno++;
		adorn = adornment(cur.s, cur.len);
		if (adorn && prev.s && !adornment(prev.s, prev.len) &&
		    prev.len && !isspace((unsigned char)prev.s[0]) &&
		    (size_t)adorn * 2 >= text_len(prev))
			heading(prev, lineno - 1, &sb, title, &title_line);
		if (!first.s && !adorn && text_len(cur))
			first = cur, first_line = lineno;
		prev = cur;
	}
	if (!*title && first.s)
		heading(first, first_line, &sb, title, &title_line);
	if (!*title)
		*title = xstrdup("");
	*words = sb_detach(&sb, NULL);
	return title_line;
}

/* --- the query -------------------------------------------------------------- */

struct qword {
	char w[65]; /* NUL-terminated */
	size_t len;
};

/* 2 when one of the space-separated words of [s, s + len) is `q`, 1 when
 * one begins with it, else 0. */
static int line_hit(const char *s, size_t len, const struct qword *q)
{
	const char *end = s + len, *sp;
	int best = 0;

	for (; s < end; s = sp + 1) {
		sp = memchr(s, ' ', (size_t)(end - s));
		if (!sp)
			sp = end;
		if ((size_t)(sp - s) == q->len && !memcmp(s, q->w, q->len))
			return 2;
		if ((size_t)(sp - s) > q->len && !memcmp(s, q->w, q->len))
			best = 1;
	}
	return best;
}

/* How well query word q matches the headings [w, w + len) (title first)
 * and the file's name words. */
static double word_score(const char *w, size_t len, const char *name,
			 const struct qword *q)
{
	const char *end = w + len, *nl = memchr(w, '\n', len);
	double heads = 0, title;
	int hit;

	if (!nl)
		nl = end;
	hit = line_hit(w, (size_t)(nl - w), q);
	title = hit == 2 ? 10 : hit == 1 ? 4 : 0;
	for (const char *s = nl + 1; s < end; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			nl = end;
		hit = line_hit(s, (size_t)(nl - s), q);
		heads += hit == 2 ? 1 : hit == 1 ? 0.5 : 0;
	}
	hit = line_hit(name, strlen(name), q);
	return title + 2 * (heads < 5 ? heads : 5) + (hit == 2 ? 6 : hit == 1 ? 3 : 0);
}

static double score_doc(const struct xref_index *idx,
			const struct xref_doc_rec *d, const char *path,
			const struct qword *q, size_t nq)
{
	const char *words = xref_str(idx, d->words_off);
	const char *base = strrchr(path, '/'), *dot;
	struct sb name;
	double total = 0, s;
	size_t matched = 0;

	if (!words)
		return 0;
	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	for (size_t i = 0; i < nq && !matched; i++)
		matched = strstr(words, q[i].w) || strcasestr(base, q[i].w);
	if (!matched)
		return 0; /* the common case, decided without scoring */
	matched = 0;
	sb_init(&name);
	add_words(&name, base, dot ? (size_t)(dot - base) : strlen(base));
	for (size_t i = 0; i < nq; i++) {
		s = word_score(words, strlen(words), name.buf, &q[i]);
		matched += s > 0;
		total += s;
	}
	sb_release(&name);
	total *= (double)matched * matched / ((double)nq * nq);
	if (!dot || strcmp(dot, ".rst"))
		total *= 0.6;
	return total;
}

/* A document's score while ranking (docs[doc], its path). */
struct scored {
	uint32_t doc;
	double score;
	const char *path;
};

static int scored_cmp(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return strcmp(x->path, y->path);
}

/* The query's words, lowercased and stemmed like the headings. */
static struct qword *query_words(char **words, int nwords, size_t *nq)
{
	struct qword *qw = NULL;
	struct sb sb;

	*nq = 0;
	sb_init(&sb);
	for (int i = 0; i < nwords; i++) {
		sb_reset(&sb);
		add_words(&sb, words[i], strlen(words[i]));
		for (char *save, *w = strtok_r(sb.buf, " ", &save); w;
		     w = strtok_r(NULL, " ", &save)) {
			qw = xrealloc(qw, (*nq + 1) * sizeof(*qw));
			qw[*nq].len = strlen(w) < sizeof(qw->w) ? strlen(w) : sizeof(qw->w) - 1;
			memcpy(qw[*nq].w, w, qw[*nq].len);
			qw[*nq].w[qw[*nq].len] = '\0';
			(*nq)++;
		}
	}
	sb_release(&sb);
	return qw;
}

size_t xref_doc_rank(const struct xref_index *idx, char **words, int nwords,
		     struct xref_doc_hit **out)
{
	struct scored *sc = xcalloc((size_t)idx->h->ndocs + 1, sizeof(*sc));
	struct xref_doc_hit *hits;
	size_t nq, n = 0;
	struct qword *qw = query_words(words, nwords, &nq);

	for (uint32_t i = 0; nq && i < idx->h->ndocs; i++) {
		const char *path = xref_file_path(idx, idx->docs[i].file);
		double s = path ? score_doc(idx, &idx->docs[i], path, qw, nq) : 0;

		if (s > 0)
			sc[n++] = (struct scored){ i, s, path };
	}
	qsort(sc, n, sizeof(*sc), scored_cmp);
	/* a file scoring under a quarter of the best is noise */
	while (n > 1 && sc[n - 1].score * 4 < sc[0].score)
		n--;
	hits = xcalloc(n + 1, sizeof(*hits));
	for (size_t i = 0; i < n; i++) {
		const struct xref_doc_rec *d = &idx->docs[sc[i].doc];
		const char *title = xref_str(idx, d->title_off);

		hits[i] = (struct xref_doc_hit){ sc[i].path, d->line,
						 title ? title : "", sc[i].score };
	}
	free(sc);
	free(qw);
	*out = hits;
	return n;
}
