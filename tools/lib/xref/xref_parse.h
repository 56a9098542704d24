/* xref_parse.h — the definition parser's state and the helpers over it
 * that xref_parse.c (declarations) and xref_cpp.c (directives, assembler)
 * share, reporting a definition among them; nobody else.  xref_parse.c
 * calls xref_cpp.c, never the other way. */
#ifndef LABKIT_XREF_PARSE_H
#define LABKIT_XREF_PARSE_H

#include "xref_lex_int.h"

#include <string.h>

#define NOTOK ((size_t)-1)
#define GROUP_DEPTH 64

struct xref_group {
	size_t else_dir;  /* token index of the first #else/#elif, or NOTOK */
	size_t if_dir;    /* the #if itself */
	int brace, paren; /* counts where the current branch started */
	int else_brace, else_paren; /* what the later branches added */
	uint8_t unbalanced;
	uint8_t if0;      /* #if 0 and still in its first branch */
};

struct xref_parser {
	const char *src;
	struct xref_token *tok;
	size_t ntok;
	uint32_t *s;     /* the structural tokens: not PP, not INACTIVE */
	uint32_t *match; /* partner of each bracket in s (n when none) */
	size_t n;
	xref_def_fn *fn;
	void *ctx;
	/* conditional groups while reading directives */
	struct xref_group groups[GROUP_DEPTH];
	int depth;
	int if0;         /* how many open groups are in an #if 0 branch */
	int brace, paren;
	char namebuf[128];
};

/* --- small helpers over the structural tokens ------------------------- */

static inline const struct xref_token *S(const struct xref_parser *p, size_t i)
{
	return &p->tok[p->s[i]];
}

static inline int is_p(const struct xref_parser *p, size_t i, int ch)
{
	return i < p->n && S(p, i)->type == XREF_TOK_PUNCT && S(p, i)->ch == ch;
}

static inline int cls_at(const struct xref_parser *p, size_t i)
{
	return i < p->n ? xref_cls(S(p, i)) : -1;
}

static inline int tok_is(const struct xref_parser *p, const struct xref_token *t,
			 const char *word)
{
	size_t len = strlen(word);

	return t->len == len && !memcmp(p->src + t->off, word, len);
}

/* Past the bracket group opening at i (i itself when it opens none). */
static inline size_t past(const struct xref_parser *p, size_t i)
{
	return p->match[i] < p->n ? p->match[i] + 1 : p->n;
}

/* Past the attributes at k, like `__packed` or
 * `__attribute__((aligned(8)))`. */
static inline size_t skip_attrs(const struct xref_parser *p, size_t k, size_t end)
{
	while (k < end) {
		int c = cls_at(p, k);

		if (c == XREF_CLS_ATTR && is_p(p, k + 1, '('))
			k = past(p, k + 1);
		else if (c == XREF_CLS_ATTR || c == XREF_CLS_ATTRWORD)
			k++;
		else
			break;
	}
	return k;
}

static inline uint32_t line_at(const struct xref_parser *p, size_t i)
{
	return i < p->n ? S(p, i)->line : (p->n ? S(p, p->n - 1)->line : 1);
}

/* A definition of the token ti (of the whole file) / of the structural
 * token i, from start_line to end_line, handed to the parser's callback;
 * the token is marked XREF_TF_DEF (no reference). */
static inline void xref_emit_tok(struct xref_parser *p, size_t ti, int kind,
				 int flags, uint32_t start_line,
				 uint32_t end_line)
{
	struct xref_token *t = &p->tok[ti];
	struct xref_found d = {
		.name = p->src + t->off, .name_len = t->len, .tok = (uint32_t)ti,
		.line = t->line, .start_line = start_line,
		.end_line = end_line < t->line ? t->line : end_line,
		.kind = (uint8_t)kind, .flags = (uint8_t)flags,
	};

	if (start_line > t->line)
		d.start_line = t->line;
	t->flags |= XREF_TF_DEF;
	p->fn(p->ctx, &d);
}

static inline void xref_emit(struct xref_parser *p, size_t i, int kind,
			     int flags, uint32_t start_line, uint32_t end_line)
{
	xref_emit_tok(p, p->s[i], kind, flags, start_line, end_line);
}

/* Reads every directive: #define makes macros, conditional groups mark
 * tokens XREF_TF_INACTIVE (xref_cpp.c). */
void xref_directives(struct xref_parser *p);
/* SYM_FUNC_START(x) and `label:` in a .S file (xref_cpp.c). */
void xref_parse_asm(struct xref_parser *p);

#endif
