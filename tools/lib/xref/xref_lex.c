/*
 * xref_lex.c — the C tokenizer of the cross-referencer, and the keyword
 * table that tells a plain name from `static`, `__init` or `__attribute__`.
 *
 * Owns turning a file's bytes into xref_tokens: comments and whitespace
 * are dropped, backslash-newline joins lines (also inside comments, strings
 * and `//` comments), a '#' first on a line starts a directive that runs to
 * the next unescaped newline, `<...>` after #include is one header-name
 * token, digraphs become the characters they stand for.  A string or
 * character literal ends at its line's end even when unterminated, and
 * bytes that are neither C nor ASCII (NUL, UTF-8, binary) are skipped, so
 * any input gives tokens and the lexer never fails or reads past `len`.
 * Never allocates except the token array (dies when that fails).
 */
#include "xref_lex_int.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

static const struct keyword {
	const char *name;
	uint8_t cls;
} keywords[] = {
	{ "_Alignas", XREF_CLS_ATTR | XREF_CLS_KW },
	{ "_Alignof", XREF_CLS_STMT | XREF_CLS_KW },
	{ "_Atomic", XREF_CLS_QUAL | XREF_CLS_KW },
	{ "_Bool", XREF_CLS_TYPE | XREF_CLS_KW },
	{ "_Complex", XREF_CLS_TYPE | XREF_CLS_KW },
	{ "_Generic", XREF_CLS_STMT | XREF_CLS_KW },
	{ "_Noreturn", XREF_CLS_STORAGE | XREF_CLS_KW },
	{ "_Static_assert", XREF_CLS_ATTR | XREF_CLS_KW },
	{ "_Thread_local", XREF_CLS_STORAGE | XREF_CLS_KW },
	{ "____cacheline_aligned", XREF_CLS_ATTRWORD },
	{ "____cacheline_aligned_in_smp", XREF_CLS_ATTRWORD },
	{ "____cacheline_internodealigned_in_smp", XREF_CLS_ATTRWORD },
	{ "__acquires", XREF_CLS_ATTR },
	{ "__aligned", XREF_CLS_ATTR },
	{ "__alignof", XREF_CLS_STMT | XREF_CLS_KW },
	{ "__alignof__", XREF_CLS_STMT | XREF_CLS_KW },
	{ "__alloc_size", XREF_CLS_ATTR },
	{ "__always_inline", XREF_CLS_ATTRWORD },
	{ "__always_unused", XREF_CLS_ATTRWORD },
	{ "__asm", XREF_CLS_ATTR | XREF_CLS_KW },
	{ "__asm__", XREF_CLS_ATTR | XREF_CLS_KW },
	{ "__assume_aligned", XREF_CLS_ATTR },
	{ "__attribute", XREF_CLS_ATTR | XREF_CLS_KW },
	{ "__attribute__", XREF_CLS_ATTR | XREF_CLS_KW },
	{ "__attribute_const__", XREF_CLS_ATTRWORD },
	{ "__auto_type", XREF_CLS_TYPE | XREF_CLS_KW },
	{ "__bitwise", XREF_CLS_ATTRWORD },
	{ "__cacheline_aligned", XREF_CLS_ATTRWORD },
	{ "__cacheline_aligned_in_smp", XREF_CLS_ATTRWORD },
	{ "__cold", XREF_CLS_ATTRWORD },
	{ "__cond_acquires", XREF_CLS_ATTR },
	{ "__const", XREF_CLS_QUAL | XREF_CLS_KW },
	{ "__const__", XREF_CLS_QUAL | XREF_CLS_KW },
	{ "__counted_by", XREF_CLS_ATTR },
	{ "__cpuidle", XREF_CLS_ATTRWORD },
	{ "__declspec", XREF_CLS_ATTR | XREF_CLS_KW },
	{ "__deprecated", XREF_CLS_ATTRWORD },
	{ "__designated_init", XREF_CLS_ATTRWORD },
	{ "__exit", XREF_CLS_ATTRWORD },
	{ "__exitdata", XREF_CLS_ATTRWORD },
	{ "__extension__", XREF_CLS_STORAGE | XREF_CLS_KW },
	{ "__flatten", XREF_CLS_ATTRWORD },
	{ "__force", XREF_CLS_ATTRWORD },
	{ "__gnu_inline", XREF_CLS_ATTRWORD },
	{ "__hot", XREF_CLS_ATTRWORD },
	{ "__init", XREF_CLS_ATTRWORD },
	{ "__init_memblock", XREF_CLS_ATTRWORD },
	{ "__init_or_module", XREF_CLS_ATTRWORD },
	{ "__initconst", XREF_CLS_ATTRWORD },
	{ "__initdata", XREF_CLS_ATTRWORD },
	{ "__initdata_memblock", XREF_CLS_ATTRWORD },
	{ "__inline", XREF_CLS_STORAGE | XREF_CLS_KW },
	{ "__inline__", XREF_CLS_STORAGE | XREF_CLS_KW },
	{ "__int128", XREF_CLS_TYPE | XREF_CLS_KW },
	{ "__iomem", XREF_CLS_ATTRWORD },
	{ "__irq_entry", XREF_CLS_ATTRWORD },
	{ "__kernel", XREF_CLS_ATTRWORD },
	{ "__kprobes", XREF_CLS_ATTRWORD },
	{ "__label__", XREF_CLS_STMT | XREF_CLS_KW },
	{ "__latent_entropy", XREF_CLS_ATTRWORD },
	{ "__lockfunc", XREF_CLS_ATTRWORD },
	{ "__malloc", XREF_CLS_ATTRWORD },
	{ "__maybe_unused", XREF_CLS_ATTRWORD },
	{ "__meminit", XREF_CLS_ATTRWORD },
	{ "__meminitconst", XREF_CLS_ATTRWORD },
	{ "__meminitdata", XREF_CLS_ATTRWORD },
	{ "__must_check", XREF_CLS_ATTRWORD },
	{ "__must_hold", XREF_CLS_ATTR },
	{ "__naked", XREF_CLS_ATTRWORD },
	{ "__net_exit", XREF_CLS_ATTRWORD },
	{ "__net_init", XREF_CLS_ATTRWORD },
	{ "__net_initdata", XREF_CLS_ATTRWORD },
	{ "__no_kasan_or_inline", XREF_CLS_ATTRWORD },
	{ "__no_kcsan", XREF_CLS_ATTRWORD },
	{ "__no_profile", XREF_CLS_ATTRWORD },
	{ "__no_randomize_layout", XREF_CLS_ATTRWORD },
	{ "__no_sanitize_address", XREF_CLS_ATTRWORD },
	{ "__no_sanitize_or_inline", XREF_CLS_ATTRWORD },
	{ "__no_stack_protector", XREF_CLS_ATTRWORD },
	{ "__nocast", XREF_CLS_ATTRWORD },
	{ "__nocfi", XREF_CLS_ATTRWORD },
	{ "__noclone", XREF_CLS_ATTRWORD },
	{ "__nonstring", XREF_CLS_ATTRWORD },
	{ "__noreturn", XREF_CLS_ATTRWORD },
	{ "__nosavedata", XREF_CLS_ATTRWORD },
	{ "__noscs", XREF_CLS_ATTRWORD },
	{ "__nostackprotector", XREF_CLS_ATTRWORD },
	{ "__packed", XREF_CLS_ATTRWORD },
	{ "__page_aligned_bss", XREF_CLS_ATTRWORD },
	{ "__page_aligned_data", XREF_CLS_ATTRWORD },
	{ "__percpu", XREF_CLS_ATTRWORD },
	{ "__printf", XREF_CLS_ATTR },
	{ "__private", XREF_CLS_ATTRWORD },
	{ "__pure", XREF_CLS_ATTRWORD },
	{ "__randomize_layout", XREF_CLS_ATTRWORD },
	{ "__rcu", XREF_CLS_ATTRWORD },
	{ "__read_mostly", XREF_CLS_ATTRWORD },
	{ "__ref", XREF_CLS_ATTRWORD },
	{ "__refconst", XREF_CLS_ATTRWORD },
	{ "__refdata", XREF_CLS_ATTRWORD },
	{ "__releases", XREF_CLS_ATTR },
	{ "__restrict", XREF_CLS_QUAL | XREF_CLS_KW },
	{ "__restrict__", XREF_CLS_QUAL | XREF_CLS_KW },
	{ "__ro_after_init", XREF_CLS_ATTRWORD },
	{ "__safe", XREF_CLS_ATTRWORD },
	{ "__scanf", XREF_CLS_ATTR },
	{ "__sched", XREF_CLS_ATTRWORD },
	{ "__section", XREF_CLS_ATTR },
	{ "__signed", XREF_CLS_TYPE | XREF_CLS_KW },
	{ "__signed__", XREF_CLS_TYPE | XREF_CLS_KW },
	{ "__softirq_entry", XREF_CLS_ATTRWORD },
	{ "__thread", XREF_CLS_STORAGE | XREF_CLS_KW },
	{ "__typeof", XREF_CLS_TYPEOF | XREF_CLS_KW },
	{ "__typeof__", XREF_CLS_TYPEOF | XREF_CLS_KW },
	{ "__unused", XREF_CLS_ATTRWORD },
	{ "__used", XREF_CLS_ATTRWORD },
	{ "__user", XREF_CLS_ATTRWORD },
	{ "__visible", XREF_CLS_ATTRWORD },
	{ "__volatile", XREF_CLS_QUAL | XREF_CLS_KW },
	{ "__volatile__", XREF_CLS_QUAL | XREF_CLS_KW },
	{ "__weak", XREF_CLS_ATTRWORD },
	{ "alignas", XREF_CLS_ATTR },
	{ "asm", XREF_CLS_ATTR | XREF_CLS_KW },
	{ "asmlinkage", XREF_CLS_ATTRWORD },
	{ "auto", XREF_CLS_STORAGE | XREF_CLS_KW },
	{ "break", XREF_CLS_STMT | XREF_CLS_KW },
	{ "case", XREF_CLS_STMT | XREF_CLS_KW },
	{ "char", XREF_CLS_TYPE | XREF_CLS_KW },
	{ "const", XREF_CLS_QUAL | XREF_CLS_KW },
	{ "continue", XREF_CLS_STMT | XREF_CLS_KW },
	{ "default", XREF_CLS_STMT | XREF_CLS_KW },
	{ "do", XREF_CLS_STMT | XREF_CLS_KW },
	{ "double", XREF_CLS_TYPE | XREF_CLS_KW },
	{ "else", XREF_CLS_STMT | XREF_CLS_KW },
	{ "enum", XREF_CLS_ENUM | XREF_CLS_KW },
	{ "extern", XREF_CLS_EXTERN | XREF_CLS_KW },
	{ "float", XREF_CLS_TYPE | XREF_CLS_KW },
	{ "for", XREF_CLS_STMT | XREF_CLS_KW },
	{ "goto", XREF_CLS_STMT | XREF_CLS_KW },
	{ "if", XREF_CLS_STMT | XREF_CLS_KW },
	{ "inline", XREF_CLS_STORAGE | XREF_CLS_KW },
	{ "int", XREF_CLS_TYPE | XREF_CLS_KW },
	{ "long", XREF_CLS_TYPE | XREF_CLS_KW },
	{ "noinline", XREF_CLS_ATTRWORD },
	{ "noinline_for_stack", XREF_CLS_ATTRWORD },
	{ "noinstr", XREF_CLS_ATTRWORD },
	{ "notrace", XREF_CLS_ATTRWORD },
	{ "register", XREF_CLS_STORAGE | XREF_CLS_KW },
	{ "restrict", XREF_CLS_QUAL | XREF_CLS_KW },
	{ "return", XREF_CLS_STMT | XREF_CLS_KW },
	{ "short", XREF_CLS_TYPE | XREF_CLS_KW },
	{ "signed", XREF_CLS_TYPE | XREF_CLS_KW },
	{ "sizeof", XREF_CLS_STMT | XREF_CLS_KW },
	{ "static", XREF_CLS_STORAGE | XREF_CLS_KW },
	{ "static_assert", XREF_CLS_ATTR },
	{ "struct", XREF_CLS_STRUCT | XREF_CLS_KW },
	{ "switch", XREF_CLS_STMT | XREF_CLS_KW },
	{ "typedef", XREF_CLS_TYPEDEF | XREF_CLS_KW },
	{ "typeof", XREF_CLS_TYPEOF | XREF_CLS_KW },
	{ "union", XREF_CLS_UNION | XREF_CLS_KW },
	{ "unsigned", XREF_CLS_TYPE | XREF_CLS_KW },
	{ "void", XREF_CLS_TYPE | XREF_CLS_KW },
	{ "volatile", XREF_CLS_QUAL | XREF_CLS_KW },
	{ "while", XREF_CLS_STMT | XREF_CLS_KW },
};

static int keyword_cmp(const void *key, const void *elem)
{
	const struct keyword *k = key, *e = elem;

	return strcmp(k->name, e->name);
}

uint8_t xref_classify(const char *s, size_t len)
{
	struct keyword key;
	const struct keyword *k;
	char buf[48];

	/* every keyword is 2..40 bytes and starts with a letter or '_' */
	if (len < 2 || len >= sizeof(buf))
		return XREF_CLS_NAME;
	memcpy(buf, s, len);
	buf[len] = '\0';
	key.name = buf;
	k = bsearch(&key, keywords, sizeof(keywords) / sizeof(keywords[0]),
		    sizeof(keywords[0]), keyword_cmp);
	return k ? k->cls : XREF_CLS_NAME;
}

uint32_t xref_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

/* Byte classes. */
enum { C_SKIP, C_SPACE, C_ID, C_DIGIT, C_PUNCT };

#define R(a, b) [a ... b]
static const uint8_t byte_class[256] = {
	['\t'] = C_SPACE, ['\v'] = C_SPACE, ['\f'] = C_SPACE, ['\r'] = C_SPACE,
	[' '] = C_SPACE,
	R('!', '/') = C_PUNCT, R(':', '@') = C_PUNCT, R('[', '^') = C_PUNCT,
	['`'] = C_PUNCT, R('{', '~') = C_PUNCT,
	R('0', '9') = C_DIGIT,
	R('A', 'Z') = C_ID, R('a', 'z') = C_ID, ['_'] = C_ID,
};
#undef R

struct lexer {
	const char *s;
	size_t n;
	size_t i;
	uint32_t line;
	uint8_t bol;      /* no token yet on this line */
	uint8_t pp;       /* inside a directive */
	uint8_t pp_count; /* tokens so far in this directive */
	uint8_t include;  /* an #include: '<' starts a header name */
	struct xref_tokens *out;
};

static inline int at(const struct lexer *lx, size_t k)
{
	return lx->i + k < lx->n ? (uint8_t)lx->s[lx->i + k] : -1;
}

/* A backslash-newline at i + k: its length (2, or 3 with CR), else 0. */
static inline size_t splice_len(const struct lexer *lx, size_t k)
{
	if (at(lx, k) != '\\')
		return 0;
	if (at(lx, k + 1) == '\n')
		return 2;
	if (at(lx, k + 1) == '\r' && at(lx, k + 2) == '\n')
		return 3;
	return 0;
}

static void skip_block_comment(struct lexer *lx)
{
	const char *s = lx->s;
	size_t i = lx->i + 2;

	for (; i < lx->n; i++) {
		if (s[i] == '\n')
			lx->line++;
		else if (s[i] == '*' && i + 1 < lx->n && s[i + 1] == '/')
			break;
	}
	lx->i = i < lx->n ? i + 2 : lx->n;
}

/* A // comment: to the end of the line, which a trailing backslash
 * continues.  Leaves the newline for the main loop. */
static void skip_line_comment(struct lexer *lx)
{
	size_t sp;

	lx->i += 2;
	while (lx->i < lx->n && lx->s[lx->i] != '\n') {
		sp = splice_len(lx, 0);
		if (sp) {
			lx->line++;
			lx->i += sp;
		} else {
			lx->i++;
		}
	}
}

/* A string, character literal or header name closed by `close`; ends
 * early, unconsumed, at an unescaped newline. */
static void skip_quoted(struct lexer *lx, int close)
{
	size_t sp;

	lx->i++;
	while (lx->i < lx->n) {
		int c = (uint8_t)lx->s[lx->i];

		if (c == '\n')
			return;
		if (c == '\\') {
			sp = splice_len(lx, 0);
			if (sp)
				lx->line++;
			lx->i += sp ? sp : 2;
			continue;
		}
		lx->i++;
		if (c == close)
			return;
	}
	if (lx->i > lx->n)
		lx->i = lx->n;
}

static void push(struct lexer *lx, size_t start, uint32_t line, int type,
		 int ch, uint32_t hash)
{
	struct xref_tokens *t = lx->out;
	struct xref_token *tok;

	ARRAY_PUSH(t->v, t->n, t->cap);
	tok = &t->v[t->n++];
	tok->off = (uint32_t)start;
	tok->len = (uint32_t)(lx->i - start);
	tok->line = line;
	tok->sym = hash;
	tok->type = (uint8_t)type;
	tok->ch = (uint8_t)ch;
	tok->cls = 0;
	tok->flags = (lx->bol ? XREF_TF_BOL : 0) | (lx->pp ? XREF_TF_PP : 0);
	lx->bol = 0;
	if (lx->pp)
		lx->pp_count = lx->pp_count < 255 ? lx->pp_count + 1 : 255;
}

static void lex_ident(struct lexer *lx)
{
	size_t start = lx->i;
	uint32_t h = 2166136261u;
	int c;

	while (lx->i < lx->n) {
		c = (uint8_t)lx->s[lx->i];
		if (byte_class[c] != C_ID && byte_class[c] != C_DIGIT)
			break;
		h = (h ^ (uint32_t)c) * 16777619u;
		lx->i++;
	}
	/* L"..", u8"..", U'..': one string or character literal */
	c = at(lx, 0);
	if ((c == '"' || c == '\'') && lx->i - start <= 2 &&
	    strchr("LuU", lx->s[start]) &&
	    (lx->i - start == 1 || !memcmp(lx->s + start, "u8", 2))) {
		uint32_t line = lx->line;

		skip_quoted(lx, c);
		push(lx, start, line, c == '"' ? XREF_TOK_STRING : XREF_TOK_CHAR, 0, 0);
		return;
	}
	push(lx, start, lx->line, XREF_TOK_IDENT, 0, h);
	if (lx->pp && lx->pp_count == 2 &&
	    ((lx->i - start == 7 && !memcmp(lx->s + start, "include", 7)) ||
	     (lx->i - start == 12 && !memcmp(lx->s + start, "include_next", 12)) ||
	     (lx->i - start == 6 && !memcmp(lx->s + start, "import", 6))))
		lx->include = 1;
}

static void lex_number(struct lexer *lx)
{
	size_t start = lx->i;
	int c;

	while (lx->i < lx->n) {
		c = (uint8_t)lx->s[lx->i];
		if ((c == '+' || c == '-') && lx->i > start &&
		    strchr("eEpP", lx->s[lx->i - 1])) {
			lx->i++;
			continue;
		}
		if (byte_class[c] != C_ID && byte_class[c] != C_DIGIT && c != '.')
			break;
		lx->i++;
	}
	push(lx, start, lx->line, XREF_TOK_NUMBER, 0, 0);
}

/* The punctuator at lx->i: its length and its `ch`. */
static size_t punct(const struct lexer *lx, int *ch)
{
	int c = at(lx, 0), d = at(lx, 1), e = at(lx, 2);

	*ch = c;
	switch (c) {
	case '-':
		if (d == '>')
			return *ch = XREF_P_ARROW, 2;
		return (d == '-' || d == '=') ? (*ch = XREF_P_OP, 2) : 1;
	case '+': case '&': case '|':
		return (d == c || d == '=') ? (*ch = XREF_P_OP, 2) : 1;
	case '<': case '>':
		if (d == c)
			return *ch = XREF_P_OP, e == '=' ? 3 : 2;
		if (d == '=')
			return *ch = XREF_P_OP, 2;
		if (c == '<' && (d == ':' || d == '%'))
			return *ch = d == ':' ? '[' : '{', 2;
		return 1;
	case '%':
		if (d == '>')
			return *ch = '}', 2;
		if (d == ':')
			return (e == '%' && at(lx, 3) == ':') ?
				(*ch = XREF_P_PASTE, 4) : (*ch = '#', 2);
		return d == '=' ? (*ch = XREF_P_OP, 2) : 1;
	case ':':
		return d == '>' ? (*ch = ']', 2) : 1;
	case '.':
		return (d == '.' && e == '.') ? (*ch = XREF_P_ELLIPSIS, 3) : 1;
	case '#':
		return d == '#' ? (*ch = XREF_P_PASTE, 2) : 1;
	case '=': case '!': case '*': case '/': case '^':
		return d == '=' ? (*ch = XREF_P_OP, 2) : 1;
	default:
		return 1;
	}
}

static void lex_punct(struct lexer *lx)
{
	size_t start = lx->i;
	int ch, directive;

	if (lx->include && lx->s[lx->i] == '<') {
		skip_quoted(lx, '>');
		push(lx, start, lx->line, XREF_TOK_HEADER, 0, 0);
		return;
	}
	lx->i += punct(lx, &ch);
	directive = ch == '#' && lx->bol;
	if (directive) {
		lx->pp = 1;
		lx->pp_count = 0;
		lx->include = 0;
	}
	push(lx, start, lx->line, XREF_TOK_PUNCT, ch, 0);
	if (directive)
		lx->out->v[lx->out->n - 1].flags |= XREF_TF_DIRECTIVE;
}

/* Whitespace, newlines, splices and comments; 1 if it consumed any. */
static int skip_blank(struct lexer *lx, int c)
{
	size_t sp;

	if (c == '\n') {
		lx->line++;
		lx->bol = 1;
		lx->pp = 0;
		lx->include = 0;
		lx->i++;
		return 1;
	}
	if (byte_class[c] == C_SPACE || byte_class[c] == C_SKIP) {
		lx->i++;
		return 1;
	}
	if (c == '\\' && (sp = splice_len(lx, 0))) {
		lx->line++;
		lx->i += sp;
		return 1;
	}
	if (c == '/' && at(lx, 1) == '*') {
		skip_block_comment(lx);
		return 1;
	}
	if (c == '/' && at(lx, 1) == '/') {
		skip_line_comment(lx);
		return 1;
	}
	return 0;
}

void xref_lex(const char *src, size_t len, struct xref_tokens *out)
{
	struct lexer lx = { .s = src, .n = len, .line = 1, .bol = 1, .out = out };
	int c;

	out->n = 0;
	while (lx.i < lx.n) {
		c = (uint8_t)src[lx.i];
		if (skip_blank(&lx, c))
			continue;
		if (byte_class[c] == C_ID)
			lex_ident(&lx);
		else if (byte_class[c] == C_DIGIT ||
			 (c == '.' && at(&lx, 1) >= '0' && at(&lx, 1) <= '9'))
			lex_number(&lx);
		else if (c == '"' || c == '\'') {
			size_t start = lx.i;
			uint32_t line = lx.line;

			skip_quoted(&lx, c);
			push(&lx, start, line, c == '"' ? XREF_TOK_STRING : XREF_TOK_CHAR, 0, 0);
		} else
			lex_punct(&lx);
	}
}

void xref_tokens_free(struct xref_tokens *t)
{
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}
