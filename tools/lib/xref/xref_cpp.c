/*
 * xref_cpp.c — the preprocessor's and the assembler's part of definition
 * detection: #define (object- and function-like, its parameters made no
 * references inside its body), `defined`, the conditional groups, and in
 * .S files SYM_FUNC_START(x) and its kin and `label:`.
 *
 * Conditional groups: every branch is read, unless a branch leaves the
 * braces or parentheses unbalanced (`#ifdef X` / `int f(int a) {` /
 * `#else` / `int f(void) {`), in which case only the first one is;
 * `#if 0` bodies are never read, nor their #defines.  Directive names,
 * #pragma and #error text and assembler `# comments` are no references.
 * Never fails and never allocates.
 */
#include "xref_parse.h"
#include "xref_query.h"

#include <string.h>

/* --- directives ----------------------------------------------------------- */

/* Marks tokens [from, to) of the whole file inactive. */
static void deactivate(struct xref_parser *p, size_t from, size_t to)
{
	for (size_t i = from; i < to && i < p->ntok; i++)
		p->tok[i].flags |= XREF_TF_INACTIVE;
}

static void group_open(struct xref_parser *p, size_t dir, int if0)
{
	struct xref_group *g;

	if (p->depth >= GROUP_DEPTH) {
		p->depth++;
		return;
	}
	g = &p->groups[p->depth++];
	memset(g, 0, sizeof(*g));
	g->if_dir = dir;
	g->else_dir = NOTOK;
	g->brace = p->brace;
	g->paren = p->paren;
	g->if0 = (uint8_t)if0;
	p->if0 += if0;
}

/* Ends the current branch of the innermost group at directive `dir`.  An
 * #if 0 branch ends inactive and does not count. */
static void group_branch(struct xref_parser *p, size_t dir)
{
	struct xref_group *g;
	int db, dp;

	if (p->depth == 0 || p->depth > GROUP_DEPTH)
		return;
	g = &p->groups[p->depth - 1];
	db = p->brace - g->brace;
	dp = p->paren - g->paren;
	if (g->else_dir == NOTOK) {
		g->else_dir = dir;
		if (g->if0) {
			deactivate(p, g->if_dir, dir);
			p->brace = g->brace;
			p->paren = g->paren;
			db = dp = 0;
			g->if0 = 0;
			p->if0--;
		}
	} else {
		g->else_brace += db;
		g->else_paren += dp;
	}
	if (db || dp)
		g->unbalanced = 1;
	g->brace = p->brace;
	g->paren = p->paren;
}

static void group_close(struct xref_parser *p, size_t dir)
{
	struct xref_group *g;

	if (p->depth == 0)
		return;
	if (p->depth > GROUP_DEPTH) {
		p->depth--;
		return;
	}
	group_branch(p, dir);
	g = &p->groups[--p->depth];
	if (g->unbalanced && g->else_dir != NOTOK && g->else_dir != dir) {
		deactivate(p, g->else_dir, dir);
		p->brace -= g->else_brace;
		p->paren -= g->else_paren;
	}
}

/* Marks the identifiers in [from, to) that name one of the parameters. */
static void mark_params(struct xref_parser *p, const size_t *params, size_t np,
			size_t from, size_t to)
{
	struct xref_token *t = p->tok;

	for (size_t k = from; k < to; k++) {
		if (t[k].type != XREF_TOK_IDENT)
			continue;
		for (size_t j = 0; j < np; j++)
			if (t[k].len == t[params[j]].len &&
			    !memcmp(p->src + t[k].off, p->src + t[params[j]].off, t[k].len))
				t[k].flags |= XREF_TF_NOREF;
	}
}

/* `#define NAME body` or `#define NAME(params) body` at directive `dir`:
 * the macro, and its parameters made no references inside it. */
static void directive_define(struct xref_parser *p, size_t dir, size_t end)
{
	struct xref_token *t = p->tok;
	size_t params[32], np = 0, ni = dir + 2, k = ni + 1;

	if (ni >= end || t[ni].type != XREF_TOK_IDENT || p->if0)
		return;
	if (k < end && t[k].type == XREF_TOK_PUNCT && t[k].ch == '(' &&
	    t[k].off == t[ni].off + t[ni].len) {
		for (k++; k < end && !(t[k].type == XREF_TOK_PUNCT && t[k].ch == ')'); k++) {
			if (t[k].type == XREF_TOK_IDENT && np < 32) {
				t[k].flags |= XREF_TF_NOREF;
				params[np++] = k;
			}
		}
		mark_params(p, params, np, k, end);
	}
	xref_emit_tok(p, ni, XREF_MACRO, XREF_DF_BODY, t[dir].line, t[end - 1].line);
}

/* Handles the directive whose '#' is token i and whose last token is
 * end - 1. */
static void directive(struct xref_parser *p, size_t i, size_t end)
{
	struct xref_token *t = p->tok, *name = i + 1 < end ? &t[i + 1] : NULL;

	if (!name || name->type != XREF_TOK_IDENT)
		return;
	name->flags |= XREF_TF_NOREF;
	if (tok_is(p, name, "define")) {
		directive_define(p, i, end);
	} else if (tok_is(p, name, "if") || tok_is(p, name, "ifdef") ||
		   tok_is(p, name, "ifndef")) {
		group_open(p, i, tok_is(p, name, "if") && end == i + 3 &&
				 t[i + 2].type == XREF_TOK_NUMBER &&
				 tok_is(p, &t[i + 2], "0"));
	} else if (tok_is(p, name, "elif") || tok_is(p, name, "else") ||
		   tok_is(p, name, "elifdef") || tok_is(p, name, "elifndef")) {
		group_branch(p, i);
	} else if (tok_is(p, name, "endif")) {
		group_close(p, i);
	} else if (!tok_is(p, name, "undef") && !tok_is(p, name, "include") &&
		   !tok_is(p, name, "include_next")) {
		/* #pragma, #error, #line, and assembler `# comments` */
		for (size_t k = i + 2; k < end; k++)
			t[k].flags |= XREF_TF_NOREF;
		return;
	}
	for (size_t k = i + 2; k < end; k++)
		if (t[k].type == XREF_TOK_IDENT && tok_is(p, &t[k], "defined"))
			t[k].flags |= XREF_TF_NOREF;
}

/* Reads every directive in order, keeping the brace and parenthesis
 * counts of the code between them for the conditional groups. */
void xref_directives(struct xref_parser *p)
{
	struct xref_token *t = p->tok;
	size_t i = 0, end;

	while (i < p->ntok) {
		if (!(t[i].flags & XREF_TF_DIRECTIVE)) {
			if (t[i].type == XREF_TOK_PUNCT && !(t[i].flags & XREF_TF_PP)) {
				p->brace += (t[i].ch == '{') - (t[i].ch == '}');
				p->paren += (t[i].ch == '(') - (t[i].ch == ')');
			}
			i++;
			continue;
		}
		for (end = i + 1; end < p->ntok && (t[end].flags & XREF_TF_PP) &&
				  !(t[end].flags & XREF_TF_DIRECTIVE); end++)
			;
		directive(p, i, end);
		i = end;
	}
	while (p->depth > 0)
		group_close(p, p->ntok);
}

/* --- assembler ------------------------------------------------------------ */

/* Assembler macros that start a symbol, and what they make; the SYM_
 * ones come with suffixes (_LOCAL, _ALIAS, _NOALIGN, but not _END). */
static const struct asm_macro {
	const char *name;
	uint8_t kind;
	uint8_t suffixes;
} asm_macros[] = {
	{ "SYM_FUNC_START", XREF_FUNCTION, 1 },
	{ "SYM_TYPED_FUNC_START", XREF_FUNCTION, 1 },
	{ "SYM_CODE_START", XREF_LABEL, 1 },
	{ "SYM_INNER_LABEL", XREF_LABEL, 1 },
	{ "SYM_DATA_START", XREF_VARIABLE, 1 },
	{ "SYM_DATA", XREF_VARIABLE, 1 },
	{ "ENTRY", XREF_FUNCTION, 0 },
	{ "GLOBAL", XREF_FUNCTION, 0 },
	{ "WEAK", XREF_FUNCTION, 0 },
};

static int asm_macro_kind(const struct xref_parser *p, const struct xref_token *t)
{
	const char *s = p->src + t->off;

	for (size_t i = 0; i < sizeof(asm_macros) / sizeof(asm_macros[0]); i++) {
		const struct asm_macro *m = &asm_macros[i];
		size_t len = strlen(m->name);

		if (t->len >= len && !memcmp(s, m->name, len) &&
		    (t->len == len || (m->suffixes && !memmem(s, t->len, "_END", 4))))
			return m->kind;
	}
	return XREF_NONE;
}

/* SYM_FUNC_START(name) and its kin, and `name:` first on a line. */
void xref_parse_asm(struct xref_parser *p)
{
	for (size_t k = 0; k < p->n; k++) {
		const struct xref_token *t = S(p, k);
		int kind;

		if (t->type != XREF_TOK_IDENT)
			continue;
		if ((t->flags & XREF_TF_BOL) && is_p(p, k + 1, ':') &&
		    S(p, k + 1)->line == t->line && cls_at(p, k) == XREF_CLS_NAME) {
			xref_emit(p, k, XREF_LABEL, XREF_DF_BODY, t->line, t->line);
			continue;
		}
		kind = asm_macro_kind(p, t);
		if (kind && is_p(p, k + 1, '(') && cls_at(p, k + 2) == XREF_CLS_NAME)
			xref_emit(p, k + 2, kind, XREF_DF_MACRO | XREF_DF_BODY, t->line, t->line);
	}
}

