/*
 * spec_node.c — the spec loader's view of libyaml nodes: typed getters,
 * mappings checked against their valid keys, did-you-mean suggestions,
 * and positions in the file (including positions inside a scalar, so an
 * error in a pattern or a ${name} points at the very character).
 *
 * Never prints: every problem is queued with spec_diag() and spec_load()
 * prints them sorted by position.  A getter that finds a problem reports
 * it and returns NULL/-1 so the caller can go on checking the rest.
 */
#include "spec_parse.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct spec_pos spec_mark_pos(yaml_mark_t m)
{
	struct spec_pos p = { (int)m.line + 1, (int)m.column + 1 };

	return p;
}

int spec_diag(struct spec_ctx *c, struct spec_pos pos, const char *fmt, ...)
{
	struct spec_diag *d;
	struct sb sb;
	va_list ap;

	ARRAY_PUSH(c->diags, c->ndiags, c->diags_cap);
	d = &c->diags[c->ndiags];
	d->pos = pos;
	d->seq = c->ndiags++;
	sb_init(&sb);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	d->msg = sb_detach(&sb, NULL);
	return 1;
}

yaml_node_t *spec_node(struct spec_ctx *c, int index)
{
	return yaml_document_get_node(c->doc, index);
}

/* ---- did you mean ---- */

static size_t levenshtein(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t *row = xcalloc(lb + 1, sizeof(*row));
	size_t d;

	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	d = row[lb];
	free(row);
	return d;
}

void spec_suggest_init(struct spec_suggest *s, const char *word)
{
	s->word = word;
	s->best = NULL;
	s->dist = 3;
}

void spec_suggest_try(struct spec_suggest *s, const char *candidate)
{
	size_t d = levenshtein(s->word, candidate);

	/* At most 2 edits, and fewer than the word has characters. */
	if (d < s->dist && d < strlen(s->word) && d < strlen(candidate)) {
		s->dist = d;
		s->best = candidate;
	}
}

const char *spec_suggest_fmt(const struct spec_suggest *s, char *buf,
			     size_t size)
{
	if (!s->best)
		return "";
	snprintf(buf, size, " (did you mean '%s'?)", s->best);
	return buf;
}

/* ---- positions ---- */

const char *spec_src_at(struct spec_ctx *c, size_t line, size_t col)
{
	const unsigned char *p, *end = (const unsigned char *)c->src + c->len;

	if (line >= c->nlines)
		return NULL;
	p = (const unsigned char *)c->src + c->line_start[line];
	while (col > 0 && p < end && *p != '\n') {
		p++;
		while (p < end && (*p & 0xc0) == 0x80)
			p++;
		col--;
	}
	return (const char *)p;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

/* Source and value length of one double-quoted escape at p[0] == '\\'. */
static void dq_escape(const char *p, size_t *src, size_t *val)
{
	size_t i, digits = p[1] == 'x' ? 2 : p[1] == 'u' ? 4 : 8;
	unsigned long cp = 0;

	*src = 2;
	*val = 1;
	if (p[1] == 'x' || p[1] == 'u' || p[1] == 'U') {
		for (i = 0; i < digits && hex_digit(p[2 + i]) >= 0; i++)
			cp = cp * 16 + (unsigned long)hex_digit(p[2 + i]);
		*src = 2 + i;
		*val = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	} else if (p[1] == 'N' || p[1] == '_') {
		*val = 2;
	} else if (p[1] == 'L' || p[1] == 'P') {
		*val = 3;
	}
}

/* Whitespace at p that folds a line break: the breaks it holds, or 0. */
static size_t fold_breaks(const char *p, const char *end, const char **after,
			  size_t *col)
{
	size_t breaks = 0;

	*col = 0;
	for (; p < end && strchr(" \t\r\n", *p); p++) {
		(*col)++;
		if (*p == '\n') {
			breaks++;
			*col = 0;
		}
	}
	*after = p;
	return breaks;
}

/* Plain and quoted scalars, folded over lines or not. */
static struct spec_pos flow_pos(struct spec_ctx *c, const yaml_node_t *n,
				size_t offset)
{
	yaml_scalar_style_t st = n->data.scalar.style;
	size_t line = n->start_mark.line, col = n->start_mark.column;
	const char *p = spec_src_at(c, line, col), *end = c->src + c->len;
	size_t v = 0, src, val, cols, breaks, ncol;
	const char *after;

	if (!p)
		return spec_mark_pos(n->start_mark);
	if (st != YAML_PLAIN_SCALAR_STYLE) { /* the opening quote */
		p++;
		col++;
	}
	while (v < offset && p < end) {
		int escaped = st == YAML_DOUBLE_QUOTED_SCALAR_STYLE &&
			      p[0] == '\\' && (p[1] == '\n' || p[1] == '\r');

		breaks = fold_breaks(p + escaped, end, &after, &ncol);
		if (breaks) { /* a folded (or escaped) line break */
			v += escaped ? 0 : breaks == 1 ? 1 : breaks - 1;
			line += breaks;
			col = ncol;
			p = after;
			continue;
		}
		cols = 1;
		src = val = text_utf8_len(p, (size_t)(end - p));
		if (src == 0)       /* libyaml read it: cannot happen */
			src = val = 1;
		if (st == YAML_SINGLE_QUOTED_SCALAR_STYLE && p[0] == '\'')
			src = cols = 2;
		else if (st == YAML_DOUBLE_QUOTED_SCALAR_STYLE &&
			 p[0] == '\\') {
			dq_escape(p, &src, &val);
			cols = src;
		}
		if (v + val > offset)
			break;
		p += src;
		v += val;
		col += cols;
	}
	return (struct spec_pos){ (int)line + 1, (int)col + 1 };
}

/*
 * Literal and folded block scalars: the content starts the line after the
 * indicator; each content line gives its text (less the indentation) and
 * one line break (folded: blank lines give nothing, approximately).
 */
static struct spec_pos block_pos(struct spec_ctx *c, const yaml_node_t *n,
				 size_t offset)
{
	int literal = n->data.scalar.style == YAML_LITERAL_SCALAR_STYLE;
	struct spec_pos end = spec_mark_pos(n->start_mark);
	size_t line, v = 0, indent = (size_t)-1;

	for (line = n->start_mark.line + 1; line < c->nlines; line++) {
		const char *s = c->src + c->line_start[line];
		const char *e = memchr(s, '\n', (size_t)(c->src + c->len - s));
		size_t sp = 0, clen;

		if (!e)
			e = c->src + c->len;
		while (s + sp < e && s[sp] == ' ')
			sp++;
		if (s + sp == e || s[sp] == '\r') {
			v += literal;
			continue;
		}
		if (indent == (size_t)-1)
			indent = sp;
		if (sp < indent)
			break;
		clen = (size_t)(e - s) - indent;
		end.line = (int)line + 1;
		end.col = (int)(indent + text_utf8_chars(s + indent, clen)) + 1;
		if (offset <= v + clen) {
			end.col = (int)(indent + text_utf8_chars(s + indent,
							    offset - v)) + 1;
			break;
		}
		v += clen + 1;
	}
	return end;
}

struct spec_pos spec_value_pos(struct spec_ctx *c, const yaml_node_t *n,
			       size_t offset)
{
	if (n->type != YAML_SCALAR_NODE)
		return spec_mark_pos(n->start_mark);
	if (n->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
	    n->data.scalar.style == YAML_FOLDED_SCALAR_STYLE)
		return block_pos(c, n, offset);
	return flow_pos(c, n, offset);
}

/* ---- types ---- */

size_t spec_len(const yaml_node_t *n)
{
	if (n->type == YAML_SEQUENCE_NODE)
		return (size_t)(n->data.sequence.items.top -
				n->data.sequence.items.start);
	if (n->type == YAML_MAPPING_NODE)
		return (size_t)(n->data.mapping.pairs.top -
				n->data.mapping.pairs.start);
	return 0;
}

int spec_is_null(const yaml_node_t *n)
{
	const char *v;

	if (!n || n->type != YAML_SCALAR_NODE ||
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	v = (const char *)n->data.scalar.value;
	return !*v || !strcmp(v, "~") || !strcmp(v, "null") ||
	       !strcmp(v, "Null") || !strcmp(v, "NULL");
}

const char *spec_scalar(const yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE || spec_is_null(n))
		return NULL;
	return (const char *)n->data.scalar.value;
}

/* [-+]digits[.digits][e[-+]digits], the YAML 1.2 core schema's numbers. */
static int is_number(const char *s, int integer)
{
	size_t i = 0, d;

	if (s[i] == '-' || s[i] == '+')
		i++;
	for (d = i; s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (i == d)
		return 0;
	if (integer)
		return !s[i];
	if (s[i] == '.')
		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			;
	if (s[i] == 'e' || s[i] == 'E') {
		i++;
		if (s[i] == '-' || s[i] == '+')
			i++;
		for (d = i; s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return 0;
	}
	return !s[i];
}

static int is_plain_number(const yaml_node_t *n, int integer)
{
	return n->type == YAML_SCALAR_NODE &&
	       n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       is_number((const char *)n->data.scalar.value, integer);
}

static const char *describe(const yaml_node_t *n)
{
	if (n->type == YAML_MAPPING_NODE)
		return "a mapping";
	if (n->type == YAML_SEQUENCE_NODE)
		return "a sequence";
	if (spec_is_null(n))
		return "nothing";
	return is_plain_number(n, 0) ? "a number" : "a string";
}

int spec_want(struct spec_ctx *c, yaml_node_t *n, const char *type,
	      const char *what, const char *where)
{
	int ok;

	if (!strcmp(type, "mapping"))
		ok = n->type == YAML_MAPPING_NODE;
	else if (!strcmp(type, "sequence"))
		ok = n->type == YAML_SEQUENCE_NODE;
	else
		ok = spec_scalar(n) != NULL;
	if (ok)
		return 0;
	spec_diag(c, spec_mark_pos(n->start_mark),
		  "expected a %s for %s%s%s, got %s", type, what,
		  where ? " " : "", where ? where : "", describe(n));
	return -1;
}

static int want_key(struct spec_ctx *c, yaml_node_t *n, const char *type,
		    const char *key, const char *where)
{
	char *what = xasprintf("'%s'", key);
	int rc = spec_want(c, n, type, what, where);

	free(what);
	return rc;
}

char *spec_get_str(struct spec_ctx *c, yaml_node_t *n, const char *key,
		   const char *where)
{
	if (!n || want_key(c, n, "string", key, where) < 0)
		return NULL;
	return xstrdup(spec_scalar(n));
}

int spec_get_num(struct spec_ctx *c, yaml_node_t *n, const char *key,
		 const char *where, int positive, double *out)
{
	const char *kind = positive ? "a positive number" : "a number";
	double d;

	if (!n)
		return -1;
	if (!is_plain_number(n, 0)) {
		spec_diag(c, spec_mark_pos(n->start_mark),
			  "expected %s for '%s' %s, got %s", kind, key, where,
			  describe(n));
		return -1;
	}
	d = strtod((const char *)n->data.scalar.value, NULL);
	if (d < 0 || (positive && d <= 0)) {
		spec_diag(c, spec_mark_pos(n->start_mark),
			  "expected %s for '%s' %s, got %s",
			  positive ? kind : "a number >= 0", key, where,
			  (const char *)n->data.scalar.value);
		return -1;
	}
	*out = d;
	return 0;
}

int spec_get_int(struct spec_ctx *c, yaml_node_t *n, const char *key,
		 const char *where, int *out)
{
	long v;

	if (!n)
		return -1;
	if (!is_plain_number(n, 1)) {
		spec_diag(c, spec_mark_pos(n->start_mark),
			  "expected an integer for '%s' %s, got %s", key,
			  where, describe(n));
		return -1;
	}
	v = strtol((const char *)n->data.scalar.value, NULL, 10);
	if (v < -1000000 || v > 1000000) {
		spec_diag(c, spec_mark_pos(n->start_mark),
			  "integer %s for '%s' %s is out of range",
			  (const char *)n->data.scalar.value, key, where);
		return -1;
	}
	*out = (int)v;
	return 0;
}

char *spec_get_choice(struct spec_ctx *c, yaml_node_t *n, const char *key,
		      const char *where, const char *const choices[])
{
	struct spec_suggest sg;
	struct sb list;
	char buf[128];
	char *v = spec_get_str(c, n, key, where);
	size_t i;

	if (!v)
		return NULL;
	spec_suggest_init(&sg, v);
	sb_init(&list);
	for (i = 0; choices[i]; i++) {
		if (!strcmp(v, choices[i])) {
			sb_release(&list);
			return v;
		}
		spec_suggest_try(&sg, choices[i]);
		sb_addf(&list, "%s%s", i ? ", " : "", choices[i]);
	}
	if (sg.best)
		spec_suggest_fmt(&sg, buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), " (expected one of: %s)", list.buf);
	spec_diag(c, spec_mark_pos(n->start_mark), "unknown %s '%s' %s%s",
		  key, v, where, buf);
	sb_release(&list);
	free(v);
	return NULL;
}

int spec_get_enum(struct spec_ctx *c, yaml_node_t *n, const char *key,
		  const char *where, const char *const choices[], int *out)
{
	char *v = spec_get_choice(c, n, key, where, choices);
	int rc = -1;

	for (int i = 0; v && choices[i]; i++)
		if (!strcmp(v, choices[i])) {
			*out = i;
			rc = 0;
		}
	free(v);
	return rc;
}

/* ---- mappings ---- */

static const char *key_str(yaml_node_t *k)
{
	return k && k->type == YAML_SCALAR_NODE ?
		       (const char *)k->data.scalar.value :
		       NULL;
}

int spec_map_skip(struct spec_ctx *c, yaml_node_t *map, size_t i)
{
	yaml_node_pair_t *pairs = map->data.mapping.pairs.start;
	const char *k = key_str(spec_node(c, pairs[i].key));
	size_t j;

	if (!k)
		return 1;
	for (j = 0; j < i; j++) {
		const char *o = key_str(spec_node(c, pairs[j].key));

		if (o && !strcmp(o, k))
			return 1;
	}
	return 0;
}

/* Reports a non-string or repeated key; returns its string or NULL. */
static const char *check_key(struct spec_ctx *c, yaml_node_t *map, size_t i,
			     const char *where)
{
	yaml_node_pair_t *pairs = map->data.mapping.pairs.start;
	yaml_node_t *kn = spec_node(c, pairs[i].key);
	const char *k = key_str(kn);
	size_t j;

	if (!k) {
		spec_diag(c, spec_mark_pos(kn->start_mark),
			  "expected a string key %s, got %s", where,
			  describe(kn));
		return NULL;
	}
	for (j = 0; j < i; j++) {
		yaml_node_t *o = spec_node(c, pairs[j].key);

		if (key_str(o) && !strcmp(key_str(o), k)) {
			spec_diag(c, spec_mark_pos(kn->start_mark),
				  "duplicate key '%s' %s (first defined at "
				  "%d:%d)",
				  k, where, (int)o->start_mark.line + 1,
				  (int)o->start_mark.column + 1);
			return NULL;
		}
	}
	return k;
}

static void unknown_key(struct spec_ctx *c, yaml_node_t *kn, const char *k,
			const char *where, const char *const keys[])
{
	struct spec_suggest sg;
	char buf[128];
	size_t i;

	spec_suggest_init(&sg, k);
	for (i = 0; keys[i]; i++)
		spec_suggest_try(&sg, keys[i]);
	spec_diag(c, spec_mark_pos(kn->start_mark), "unknown key '%s' %s%s", k,
		  where, spec_suggest_fmt(&sg, buf, sizeof(buf)));
}

int spec_map(struct spec_ctx *c, yaml_node_t *map, const char *what,
	     const char *where, const char *const keys[], yaml_node_t **val,
	     yaml_node_t **key)
{
	yaml_node_pair_t *p;
	size_t i, n;

	for (i = 0; keys && keys[i]; i++)
		val[i] = key[i] = NULL;
	if (spec_want(c, map, "mapping", what, NULL) < 0)
		return -1;
	n = spec_len(map);
	for (i = 0; i < n; i++) {
		const char *k = check_key(c, map, i, where);
		size_t j;

		if (!k || !keys)
			continue;
		p = &map->data.mapping.pairs.start[i];
		for (j = 0; keys[j] && strcmp(keys[j], k); j++)
			;
		if (!keys[j]) {
			unknown_key(c, spec_node(c, p->key), k, where, keys);
			continue;
		}
		key[j] = spec_node(c, p->key);
		val[j] = spec_node(c, p->value);
	}
	return 0;
}

const char *spec_map_peek(struct spec_ctx *c, yaml_node_t *map,
			  const char *key)
{
	yaml_node_pair_t *p;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		const char *k = key_str(spec_node(c, p->key));

		if (k && !strcmp(k, key))
			return spec_scalar(spec_node(c, p->value));
	}
	return NULL;
}

void spec_missing(struct spec_ctx *c, yaml_node_t *map,
		  const char *const keys[], const char *key, const char *where)
{
	yaml_node_pair_t *p;
	size_t i;

	/* A misspelt key was reported as unknown, with this one suggested. */
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		const char *k = key_str(spec_node(c, p->key));
		struct spec_suggest sg;

		if (!k)
			continue;
		spec_suggest_init(&sg, k);
		for (i = 0; keys[i] && strcmp(keys[i], k); i++)
			spec_suggest_try(&sg, keys[i]);
		if (!keys[i] && sg.best && !strcmp(sg.best, key))
			return;
	}
	spec_diag(c, spec_mark_pos(map->start_mark),
		  "missing required key '%s' %s", key, where);
}

/* ---- texts ---- */

int spec_get_text(struct spec_ctx *c, yaml_node_t *n, const char *key,
		  const char *where, struct spec_text *t)
{
	yaml_node_pair_t *pairs;
	size_t i, np;

	if (!n)
		return -1;
	if (spec_scalar(n)) {
		t->n = 1;
		t->lang = xcalloc(1, sizeof(*t->lang));
		t->text = xcalloc(1, sizeof(*t->text));
		t->lang[0] = xstrdup("");
		t->text[0] = xstrdup(spec_scalar(n));
		return 0;
	}
	if (n->type != YAML_MAPPING_NODE) {
		spec_diag(c, spec_mark_pos(n->start_mark),
			  "expected a string or a mapping of languages for "
			  "'%s' %s, got %s",
			  key, where, describe(n));
		return -1;
	}
	spec_map(c, n, key, where, NULL, NULL, NULL); /* duplicates */
	pairs = n->data.mapping.pairs.start;
	np = spec_len(n);
	t->lang = xcalloc(np, sizeof(*t->lang));
	t->text = xcalloc(np, sizeof(*t->text));
	for (i = 0; i < np; i++) {
		const char *lang = key_str(spec_node(c, pairs[i].key));
		char *k;

		if (spec_map_skip(c, n, i))
			continue;
		k = xasprintf("%s.%s", key, lang);
		t->text[t->n] = spec_get_str(c, spec_node(c, pairs[i].value),
					     k, where);
		free(k);
		if (t->text[t->n])
			t->lang[t->n++] = xstrdup(lang);
	}
	return 0;
}

void spec_text_free(struct spec_text *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->lang[i]);
		free(t->text[i]);
	}
	free(t->lang);
	free(t->text);
	memset(t, 0, sizeof(*t));
}
