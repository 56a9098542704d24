/*
 * xref_parse.c — definition detection over a file's tokens: what each file
 * defines (struct/union/enum tags, typedefs, functions and prototypes,
 * enumerators, variables and initialisers), with the line where each
 * starts and ends.  Macros and conditional groups are xref_cpp.c's.
 *
 * Owns the bracket partners, the declaration reader at file scope and
 * inside struct and enum bodies, and kernel idioms: SYSCALL_DEFINEn(name)
 * defines sys_name and the syscall `name`, BPF_CALL_2(name, ...) { and
 * its kin define `name`, DEFINE_MUTEX(x) and its kin define x, and
 * `__init`, `__printf(1, 2)`, `__attribute__((...))` are skipped.  A
 * declaration with no type before `name(` is a macro call, not a
 * function: `FOO(x) int bar(void)` defines bar.
 *
 * The reader is a heuristic, not a C parser: on code it cannot make
 * sense of it skips to the next `;` or block and goes on.  It never fails
 * and never reads outside the tokens; the only allocations are two index
 * arrays per file (dies when those fail).
 */
#include "xref_parse.h"
#include "xref_query.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

/* A definition whose name is `prefix` glued to the token i (sys_open). */
static void emit_glued(struct xref_parser *p, const char *prefix, size_t i,
		       int kind, uint32_t end_line)
{
	const struct xref_token *t = S(p, i);
	size_t plen = strlen(prefix);
	struct xref_found d = {
		.name = p->namebuf, .tok = UINT32_MAX, .line = t->line,
		.start_line = t->line, .end_line = end_line, .kind = (uint8_t)kind,
		.flags = XREF_DF_MACRO | XREF_DF_BODY,
	};

	if (plen + t->len >= sizeof(p->namebuf))
		return;
	memcpy(p->namebuf, prefix, plen);
	memcpy(p->namebuf + plen, p->src + t->off, t->len);
	d.name_len = plen + t->len;
	p->fn(p->ctx, &d);
}

/* --- the bracket partners ----------------------------------------------- */

static int closer_of(int ch)
{
	return ch == '(' ? ')' : ch == '[' ? ']' : ch == '{' ? '}' : 0;
}

/* Pairs (), [] and {}; a '}' closes the innermost '{' and unwinds the ( and
 * [ still open inside it, an unmatched ) ] or } is ignored, and what stays
 * open matches the end.  Linear: only a '}' with a '{' open unwinds. */
static void match_brackets(struct xref_parser *p)
{
	size_t *stack = xmalloc((p->n + 1) * sizeof(*stack));
	size_t sp = 0, braces = 0;

	for (size_t i = 0; i < p->n; i++) {
		const struct xref_token *t = S(p, i);
		int ch = t->type == XREF_TOK_PUNCT ? t->ch : 0;

		p->match[i] = (uint32_t)p->n;
		if (closer_of(ch)) {
			stack[sp++] = i;
			braces += ch == '{';
			continue;
		}
		if (ch == '}' && braces) {
			while (S(p, stack[sp - 1])->ch != '{')
				sp--;
			braces--;
		} else if (!(ch == ')' || ch == ']') || !sp ||
			   closer_of(S(p, stack[sp - 1])->ch) != ch) {
			continue;
		}
		sp--;
		p->match[stack[sp]] = (uint32_t)i;
		p->match[i] = (uint32_t)stack[sp];
	}
	free(stack);
}

/* --- declarators ---------------------------------------------------------- */

/* The tag after `struct` (or union, enum) at k, attributes skipped and an
 * unknown attribute macro too when a name and '{' follow (`struct
 * __ec_align4 name {`), or NOTOK; *next gets the token after it. */
static size_t tag_name_at(const struct xref_parser *p, size_t k, size_t end,
			  size_t *next)
{
	k = skip_attrs(p, k, end);
	if (cls_at(p, k) != XREF_CLS_NAME) {
		*next = k;
		return NOTOK;
	}
	if (cls_at(p, k + 1) == XREF_CLS_NAME && is_p(p, skip_attrs(p, k + 2, end), '{'))
		k++;
	*next = k + 1;
	return k;
}

static size_t find_name(const struct xref_parser *p, size_t a, size_t b, int *func,
			int depth);

/* The name inside a parenthesised declarator at k: `(*fp)`, `(*fn(args))`,
 * `(name)`; NOTOK when the group is something else. */
static size_t paren_name(const struct xref_parser *p, size_t k, size_t b,
			 int *func, int depth)
{
	size_t close = p->match[k] < b ? p->match[k] : b, name;

	if (depth > 8 || k + 1 >= close)
		return NOTOK;
	if (is_p(p, k + 1, '*') || is_p(p, k + 1, '^') || is_p(p, k + 1, '(')) {
		name = find_name(p, k + 1, close, func, depth + 1);
		return name;
	}
	if (close == k + 2 && cls_at(p, k + 1) == XREF_CLS_NAME) {
		*func = is_p(p, close + 1, '(');
		return k + 1;
	}
	return NOTOK;
}

/* The name a declarator [a, b) declares, or NOTOK; *func when it declares
 * a function (the name is followed by its parameters). */
static size_t find_name(const struct xref_parser *p, size_t a, size_t b, int *func,
			int depth)
{
	size_t last = NOTOK, k = a, name;
	int c;

	*func = 0;
	while (k < b) {
		if (S(p, k)->type == XREF_TOK_PUNCT) {
			int ch = S(p, k)->ch;

			if (ch == '(' && (name = paren_name(p, k, b, func, depth)) != NOTOK)
				return name;
			if (ch == '[' && last != NOTOK)
				return last;
			if (ch == ':')
				break;
			k = (ch == '(' || ch == '[' || ch == '{') ? past(p, k) : k + 1;
			continue;
		}
		c = xref_cls(S(p, k));
		if (c == XREF_CLS_STRUCT || c == XREF_CLS_UNION || c == XREF_CLS_ENUM) {
			tag_name_at(p, k + 1, b, &k);
			continue;
		}
		if ((c == XREF_CLS_ATTR || c == XREF_CLS_TYPEOF) && is_p(p, k + 1, '(')) {
			k = past(p, k + 1);
			continue;
		}
		if (c == XREF_CLS_NAME && is_p(p, k + 1, '(') &&
		    !is_p(p, k + 2, '*') && !is_p(p, k + 2, '^')) {
			*func = 1;
			return k;
		}
		if (c == XREF_CLS_NAME)
			last = k;
		k++;
	}
	return last;
}

struct decl {
	size_t start;    /* first token of the declaration */
	size_t seg;      /* first token of the current declarator */
	size_t tag_kw;   /* its struct/union/enum keyword, or NOTOK */
	size_t tag_name; /* the tag, or NOTOK */
	int tag_kind;
	uint8_t is_typedef, is_extern, type_seen, tag_body, named, done;
};

/* The declarator [a, b) of `d`, which ends on `end_line` (after its
 * initialiser when `init`). */
static void declarator(struct xref_parser *p, struct decl *d, size_t a, size_t b,
		       uint32_t end_line, int init)
{
	int func, kind, flags = 0;
	size_t name = find_name(p, a, b, &func, 0);

	if (name == NOTOK)
		return;
	d->named = 1;
	if (d->is_typedef) {
		kind = XREF_TYPEDEF;
		flags = XREF_DF_BODY;
	} else if (func) {
		kind = XREF_PROTOTYPE;
		flags = XREF_DF_DECL;
	} else if (d->is_extern) {
		kind = XREF_EXTERNVAR;
		flags = XREF_DF_DECL;
	} else {
		kind = XREF_VARIABLE;
		flags = init ? XREF_DF_BODY : 0;
	}
	xref_emit(p, name, kind, flags, line_at(p, d->start), end_line);
}

/* Past an initialiser: the ',' or ';' (or stray '}') that ends it. */
static size_t skip_init(const struct xref_parser *p, size_t k, size_t end)
{
	while (k < end) {
		if (is_p(p, k, '(') || is_p(p, k, '[') || is_p(p, k, '{'))
			k = past(p, k);
		else if (is_p(p, k, ',') || is_p(p, k, ';') || is_p(p, k, '}'))
			return k;
		else
			k++;
	}
	return end;
}

/* Past a statement that cannot be a declaration. */
static size_t skip_statement(const struct xref_parser *p, size_t k, size_t end)
{
	while (k < end) {
		if (is_p(p, k, '{'))
			return past(p, k);
		if (is_p(p, k, ';'))
			return k + 1;
		if (is_p(p, k, '}'))
			return k;
		k = (is_p(p, k, '(') || is_p(p, k, '[')) ? past(p, k) : k + 1;
	}
	return end;
}

/* --- bodies of enums and structs ----------------------------------------- */

static void enumerators(struct xref_parser *p, size_t k, size_t close)
{
	int expect = 1;

	while (k < close) {
		if (expect && cls_at(p, k) == XREF_CLS_NAME)
			xref_emit(p, k, XREF_ENUMERATOR, XREF_DF_BODY, line_at(p, k), line_at(p, k));
		expect = is_p(p, k, ',');
		if (is_p(p, k, '(') || is_p(p, k, '[') || is_p(p, k, '{'))
			k = past(p, k);
		else
			k++;
	}
}

static int tag_kind_of(int cls)
{
	return cls == XREF_CLS_STRUCT ? XREF_STRUCT :
	       cls == XREF_CLS_UNION ? XREF_UNION :
	       cls == XREF_CLS_ENUM ? XREF_ENUM : XREF_NONE;
}

/* Tags defined inside the body [k, close) of a struct, union or function:
 * `struct x {` at any depth, and the enumerators of enums there. */
static void nested_tags(struct xref_parser *p, size_t k, size_t close)
{
	for (; k < close; k++) {
		int kind = tag_kind_of(cls_at(p, k));
		size_t name = NOTOK, br = k + 1;

		if (!kind)
			continue;
		name = tag_name_at(p, br, close, &br);
		br = skip_attrs(p, br, close);
		if (!is_p(p, br, '{'))
			continue;
		if (name != NOTOK)
			xref_emit(p, name, kind, XREF_DF_BODY, line_at(p, k), line_at(p, p->match[br]));
		if (kind == XREF_ENUM)
			enumerators(p, br + 1, p->match[br] < close ? p->match[br] : close);
	}
}

/* --- definitions made by macros ------------------------------------------- */

/* Macros that define the variable named by an argument, at file scope. */
static const struct macro_var {
	const char *name;
	uint8_t prefix; /* `name` is a prefix: DEFINE_PER_CPU_ALIGNED */
	uint8_t last;   /* the name is the last argument, not the first */
	uint8_t kind;
} macro_vars[] = {
	{ "ATOMIC_NOTIFIER_HEAD", 0, 0, XREF_VARIABLE },
	{ "BLOCKING_NOTIFIER_HEAD", 0, 0, XREF_VARIABLE },
	{ "DECLARE_BITMAP", 0, 0, XREF_VARIABLE },
	{ "DECLARE_COMPLETION", 0, 0, XREF_VARIABLE },
	{ "DECLARE_DELAYED_WORK", 0, 0, XREF_VARIABLE },
	{ "DECLARE_PER_CPU", 1, 1, XREF_EXTERNVAR },
	{ "DECLARE_RWSEM", 0, 0, XREF_VARIABLE },
	{ "DECLARE_STATIC_KEY_", 1, 0, XREF_EXTERNVAR },
	{ "DECLARE_TASKLET", 1, 0, XREF_VARIABLE },
	{ "DECLARE_WAIT_QUEUE_HEAD", 0, 0, XREF_VARIABLE },
	{ "DECLARE_WORK", 0, 0, XREF_VARIABLE },
	{ "DEFINE_DEBUGFS_ATTRIBUTE", 0, 0, XREF_VARIABLE },
	{ "DEFINE_HASHTABLE", 0, 0, XREF_VARIABLE },
	{ "DEFINE_IDA", 0, 0, XREF_VARIABLE },
	{ "DEFINE_IDR", 0, 0, XREF_VARIABLE },
	{ "DEFINE_MUTEX", 0, 0, XREF_VARIABLE },
	{ "DEFINE_PER_CPU", 1, 1, XREF_VARIABLE },
	{ "DEFINE_RATELIMIT_STATE", 0, 0, XREF_VARIABLE },
	{ "DEFINE_RAW_SPINLOCK", 0, 0, XREF_VARIABLE },
	{ "DEFINE_RWLOCK", 0, 0, XREF_VARIABLE },
	{ "DEFINE_SEMAPHORE", 0, 0, XREF_VARIABLE },
	{ "DEFINE_SEQLOCK", 0, 0, XREF_VARIABLE },
	{ "DEFINE_SIMPLE_ATTRIBUTE", 0, 0, XREF_VARIABLE },
	{ "DEFINE_SPINLOCK", 0, 0, XREF_VARIABLE },
	{ "DEFINE_SRCU", 0, 0, XREF_VARIABLE },
	{ "DEFINE_STATIC_KEY_", 1, 0, XREF_VARIABLE },
	{ "DEFINE_STATIC_SRCU", 0, 0, XREF_VARIABLE },
	{ "DEFINE_XARRAY", 1, 0, XREF_VARIABLE },
	{ "HLIST_HEAD", 0, 0, XREF_VARIABLE },
	{ "LIST_HEAD", 0, 0, XREF_VARIABLE },
	{ "LLIST_HEAD", 0, 0, XREF_VARIABLE },
	{ "RAW_NOTIFIER_HEAD", 0, 0, XREF_VARIABLE },
	{ "SRCU_NOTIFIER_HEAD", 0, 0, XREF_VARIABLE },
};

static const struct macro_var *find_macro_var(const struct xref_parser *p,
					      const struct xref_token *t)
{
	const char *s = p->src + t->off;

	for (size_t i = 0; i < sizeof(macro_vars) / sizeof(macro_vars[0]); i++) {
		size_t len = strlen(macro_vars[i].name);

		if ((t->len == len || (macro_vars[i].prefix && t->len > len)) &&
		    !memcmp(s, macro_vars[i].name, len))
			return &macro_vars[i];
	}
	return NULL;
}

/* `DEFINE_MUTEX(name);` at j, its ')' at close. */
static void macro_variable(struct xref_parser *p, const struct decl *d, size_t j,
			   size_t close)
{
	const struct macro_var *mv = find_macro_var(p, S(p, j));
	size_t name = NOTOK;

	if (!mv)
		return;
	for (size_t k = j + 2; k < close; k = is_p(p, k, '(') ? past(p, k) : k + 1) {
		if (cls_at(p, k) == XREF_CLS_NAME && (is_p(p, k + 1, ',') || k + 1 == close))
			name = k;
		if (name != NOTOK && !mv->last)
			break;
	}
	if (name != NOTOK)
		xref_emit(p, name, mv->kind, XREF_DF_MACRO |
		     (mv->kind == XREF_EXTERNVAR ? XREF_DF_DECL : XREF_DF_BODY),
		     line_at(p, d->start), line_at(p, close));
}

/* `SYSCALL_DEFINE3(open, ...) {` at j, or another macro that makes a
 * function named by its first argument: BPF_CALL_2, and those that say
 * DEFINE or DECLARE (DEFINE_IDTENTRY, DEFINE_INTERRUPT_HANDLER).  Not
 * TEST_F(fixture, name) and its kin, whose first argument is no name. */
static void macro_function(struct xref_parser *p, const struct decl *d, size_t j,
			   size_t close)
{
	const struct xref_token *m = S(p, j);
	const char *s = p->src + m->off;
	size_t arg = j + 2, plen;
	uint32_t start = line_at(p, d->start), end = line_at(p, close);

	if (cls_at(p, arg) != XREF_CLS_NAME)
		return;
	if (!memmem(s, m->len, "DEFINE", 6) && !memmem(s, m->len, "DECLARE", 7) &&
	    !(m->len == 10 && !memcmp(s, "BPF_CALL_", 9)))
		return;
	plen = m->len >= 21 && !memcmp(s, "COMPAT_SYSCALL_DEFINE", 21) ? 7 : 0;
	if (m->len == plen + 15 && !memcmp(s + plen, "SYSCALL_DEFINE", 14) &&
	    s[plen + 14] >= '0' && s[plen + 14] <= '9') {
		emit_glued(p, plen ? "compat_sys_" : "sys_", arg, XREF_FUNCTION, end);
		xref_emit(p, arg, XREF_SYSCALL, XREF_DF_MACRO | XREF_DF_BODY, start, end);
		return;
	}
	xref_emit(p, arg, XREF_FUNCTION, XREF_DF_MACRO | XREF_DF_BODY, start, end);
}

/* A macro call where a declaration starts (no type before it): a function
 * it defines (`{` follows), a variable (`;` follows), or a prefix to skip
 * (`FOO(x) int bar(void)`). */
static size_t on_macro_call(struct xref_parser *p, struct decl *d, size_t j,
			    size_t end)
{
	size_t next = past(p, j + 1);

	if (next < end && is_p(p, next, '{')) {
		macro_function(p, d, j, p->match[next]);
		nested_tags(p, next + 1, p->match[next] < p->n ? p->match[next] : p->n);
		d->done = 1;
		return past(p, next);
	}
	if (next < end && (is_p(p, next, ';') || is_p(p, next, ',') ||
			   is_p(p, next, '='))) {
		macro_variable(p, d, j, next - 1);
		d->named = 1;
	} else {
		d->start = next;
	}
	d->seg = next;
	return next;
}

/* --- declarations at file scope ------------------------------------------ */

/* `struct x {...}` at j: the tag and what its body defines. */
static void tag_body(struct xref_parser *p, struct decl *d, size_t j, size_t close)
{
	d->tag_body = 1;
	if (d->tag_name != NOTOK)
		xref_emit(p, d->tag_name, d->tag_kind, XREF_DF_BODY, line_at(p, d->start),
		     line_at(p, close));
	if (d->tag_kind == XREF_ENUM)
		enumerators(p, j + 1, close);
	else
		nested_tags(p, j + 1, close);
}

/* A '{' at j: a tag's body (the declaration goes on), a function's body,
 * `extern "C" {`, or a block nobody can name. */
static size_t on_brace(struct xref_parser *p, struct decl *d, size_t j)
{
	size_t close = p->match[j], name;
	int func;

	if (d->tag_kw != NOTOK && !d->tag_body &&
	    skip_attrs(p, (d->tag_name != NOTOK ? d->tag_name : d->tag_kw) + 1, j) == j) {
		tag_body(p, d, j, close);
		return past(p, j);
	}
	d->done = 1;
	if (d->is_extern && j == d->start + 2 &&
	    S(p, d->start + 1)->type == XREF_TOK_STRING)
		return j + 1;
	name = find_name(p, d->seg, j, &func, 0);
	if (name != NOTOK && func && !d->is_typedef)
		xref_emit(p, name, XREF_FUNCTION, XREF_DF_BODY, line_at(p, d->start),
			  line_at(p, close));
	/* a function's (or unknown block's) local struct and enum types */
	nested_tags(p, j + 1, close < p->n ? close : p->n);
	return past(p, j);
}

static size_t decl_punct(struct xref_parser *p, struct decl *d, size_t j,
			 size_t end)
{
	size_t k;

	switch (S(p, j)->ch) {
	case '(': case '[':
		return past(p, j);
	case '{':
		return on_brace(p, d, j);
	case '=':
		k = skip_init(p, j + 1, end);
		declarator(p, d, d->seg, j, line_at(p, k), 1);
		d->seg = k + 1;
		d->done = !is_p(p, k, ',');
		return k < end && !is_p(p, k, '}') ? k + 1 : k;
	case ',':
		declarator(p, d, d->seg, j, line_at(p, j), 0);
		d->seg = j + 1;
		return j + 1;
	case ';':
		declarator(p, d, d->seg, j, line_at(p, j), 0);
		if (!d->named && d->tag_kw != NOTOK && !d->tag_body &&
		    d->tag_name != NOTOK)
			xref_emit(p, d->tag_name, d->tag_kind, XREF_DF_DECL,
			     line_at(p, d->start), line_at(p, j));
		d->done = 1;
		return j + 1;
	case '}':
		d->done = 1;
		return j;
	default:
		return j + 1;
	}
}

static size_t decl_ident(struct xref_parser *p, struct decl *d, size_t j,
			 size_t end)
{
	int c = cls_at(p, j);
	size_t k, name;

	switch (c) {
	case XREF_CLS_TYPEDEF:
		d->is_typedef = 1;
		break;
	case XREF_CLS_EXTERN:
		d->is_extern = 1;
		break;
	case XREF_CLS_STRUCT: case XREF_CLS_UNION: case XREF_CLS_ENUM:
		d->type_seen = 1;
		name = tag_name_at(p, j + 1, end, &k);
		if (d->tag_kw == NOTOK) {
			d->tag_kw = j;
			d->tag_kind = tag_kind_of(c);
			d->tag_name = name;
		}
		return k;
	case XREF_CLS_TYPE:
		d->type_seen = 1;
		break;
	case XREF_CLS_TYPEOF:
		d->type_seen = 1;
		/* fall through */
	case XREF_CLS_ATTR:
		return is_p(p, j + 1, '(') ? past(p, j + 1) : j + 1;
	case XREF_CLS_STMT:
		d->done = 1;
		return skip_statement(p, j, end);
	case XREF_CLS_NAME:
		if (is_p(p, j + 1, '(') && !d->type_seen && d->tag_kw == NOTOK &&
		    !is_p(p, j + 2, '*'))
			return on_macro_call(p, d, j, end);
		d->type_seen = 1;
		break;
	}
	return j + 1;
}

/* One declaration from i; returns where the next one starts. */
static size_t parse_decl(struct xref_parser *p, size_t i, size_t end)
{
	struct decl d = { .start = i, .seg = i, .tag_kw = NOTOK, .tag_name = NOTOK };
	size_t j = i;

	while (j < end && !d.done) {
		const struct xref_token *t = S(p, j);

		if (t->type == XREF_TOK_PUNCT)
			j = decl_punct(p, &d, j, end);
		else if (t->type == XREF_TOK_IDENT)
			j = decl_ident(p, &d, j, end);
		else
			j++;
	}
	return j;
}

static void parse_file_scope(struct xref_parser *p)
{
	size_t i = 0, next;

	while (i < p->n) {
		const struct xref_token *t = S(p, i);

		if (t->type == XREF_TOK_PUNCT && t->ch != '(' && t->ch != '*') {
			i = t->ch == '{' ? past(p, i) : i + 1;
			continue;
		}
		next = parse_decl(p, i, p->n);
		i = next > i ? next : i + 1;
	}
}

/* --- entry points ---------------------------------------------------------- */

void xref_parse(const char *src, struct xref_tokens *t, enum xref_lang lang,
		xref_def_fn *fn, void *ctx)
{
	struct xref_parser p = {
		.src = src, .tok = t->v, .ntok = t->n, .fn = fn, .ctx = ctx,
	};

	xref_directives(&p);
	p.s = xmalloc((t->n + 1) * sizeof(*p.s));
	p.match = xmalloc((t->n + 1) * sizeof(*p.match));
	for (size_t i = 0; i < t->n; i++)
		if (!(t->v[i].flags & (XREF_TF_PP | XREF_TF_INACTIVE)))
			p.s[p.n++] = (uint32_t)i;
	match_brackets(&p);
	if (lang == XREF_LANG_ASM)
		xref_parse_asm(&p);
	else
		parse_file_scope(&p);
	free(p.s);
	free(p.match);
}

void xref_scan(const char *src, size_t len, enum xref_lang lang,
	       struct xref_tokens *t, xref_def_fn *fn, void *ctx)
{
	xref_lex(src, len, t);
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].type == XREF_TOK_IDENT)
			t->v[i].cls = xref_classify(src + t->v[i].off, t->v[i].len);
	xref_parse(src, t, lang, fn, ctx);
}
