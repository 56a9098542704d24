/* xref_lex_int.h — reading C and assembler source, for the xref_*.c files
 * that do (the workers, the parser, the web view's source pages) and
 * nobody else: the tokenizer (xref_lex.c), its keyword classes, and the
 * definitions found in its tokens (xref_parse.c). */
#ifndef LABKIT_XREF_LEX_INT_H
#define LABKIT_XREF_LEX_INT_H

#include <stddef.h>
#include <stdint.h>

/* --- tokenizer ---------------------------------------------------------- */

enum xref_tok_type {
	XREF_TOK_IDENT,
	XREF_TOK_NUMBER,
	XREF_TOK_STRING,
	XREF_TOK_CHAR,
	XREF_TOK_HEADER, /* <linux/fs.h> after #include */
	XREF_TOK_PUNCT,
};

/* Token flags. */
enum {
	XREF_TF_BOL = 1,       /* first token on its line */
	XREF_TF_PP = 2,        /* part of a preprocessor directive */
	XREF_TF_DIRECTIVE = 4, /* the '#' that starts a directive */
	XREF_TF_DEF = 8,       /* the name a definition defines */
	XREF_TF_NOREF = 16,    /* not a reference: `defined`, macro parameters */
	XREF_TF_INACTIVE = 32, /* #if 0, or an #else branch that unbalances braces */
};

/* Punctuators other than single characters (`ch` of a PUNCT token). */
enum {
	XREF_P_OP = 0x80, /* any other multi-character operator: == += << ... */
	XREF_P_ARROW,     /* -> */
	XREF_P_ELLIPSIS,  /* ... */
	XREF_P_PASTE,     /* ## */
};

struct xref_token {
	uint32_t off;  /* byte offset in the source */
	uint32_t len;
	uint32_t line; /* 1-based */
	uint32_t sym;  /* identifier hash; the symbol id once interned */
	uint8_t type;  /* enum xref_tok_type */
	uint8_t ch;    /* PUNCT: the character ('{' for '<%' too) or XREF_P_* */
	uint8_t cls;   /* IDENT: keyword class (xref_classify) */
	uint8_t flags; /* XREF_TF_* */
};

struct xref_tokens {
	struct xref_token *v;
	size_t n;
	size_t cap;
};

/* Splits `src` into tokens (comments and whitespace dropped, line
 * continuations joined).  Never fails: any bytes give some tokens.
 * Files of 4 GiB or more are the caller's to refuse. */
void xref_lex(const char *src, size_t len, struct xref_tokens *out);
void xref_tokens_free(struct xref_tokens *t);
/* The FNV-1a hash xref_lex() stores in an identifier's `sym`. */
uint32_t xref_hash(const char *s, size_t len);
/* Keyword class of an identifier (0 for a plain name); the bit
 * XREF_CLS_KW marks a C keyword, which is never a reference. */
enum { XREF_CLS_KW = 0x80 };
uint8_t xref_classify(const char *s, size_t len);

/* Keyword classes (xref_token.cls, with XREF_CLS_KW); the attribute
 * macros like __init are references, not keywords. */
enum {
	XREF_CLS_NAME = 0,
	XREF_CLS_TYPE,     /* int, unsigned, void, _Bool */
	XREF_CLS_QUAL,     /* const, volatile, restrict */
	XREF_CLS_STORAGE,  /* static, extern, inline, register */
	XREF_CLS_EXTERN,
	XREF_CLS_TYPEDEF,
	XREF_CLS_STRUCT,
	XREF_CLS_UNION,
	XREF_CLS_ENUM,
	XREF_CLS_TYPEOF,   /* typeof(...) names a type */
	XREF_CLS_ATTR,     /* __attribute__((...)), __aligned(8): skip (...) */
	XREF_CLS_ATTRWORD, /* __init, __read_mostly, asmlinkage */
	XREF_CLS_STMT,     /* if, return, sizeof: never a declaration */
	XREF_CLS_MASK = 0x3f,
	XREF_CLS_DEFINED = 0x40, /* (symbol tables) something defines it */
};

static inline int xref_cls(const struct xref_token *t)
{
	return t->type == XREF_TOK_IDENT ? (t->cls & XREF_CLS_MASK) : -1;
}

/* --- definition detection ----------------------------------------------- */

enum xref_lang { XREF_LANG_C, XREF_LANG_ASM };

/* One definition found in a file.  `name` points into the source or,
 * for a made-up name such as sys_open, into the parser's own buffer
 * (valid only during the callback). */
struct xref_found {
	const char *name;
	size_t name_len;
	uint32_t tok;        /* index of the name token, or UINT32_MAX */
	uint32_t line;       /* the name's line */
	uint32_t start_line; /* where the declaration starts */
	uint32_t end_line;   /* its last line (closing brace, ';', macro end) */
	uint8_t kind;        /* enum xref_kind */
	uint8_t flags;       /* XREF_DF_* */
};

typedef void xref_def_fn(void *ctx, const struct xref_found *def);

/* Finds the definitions in tokenized `src` (tokens need `cls` set), calls
 * `fn` for each (the macros first, then the declarations, each in source
 * order), and sets XREF_TF_DEF / NOREF / INACTIVE on the tokens. */
void xref_parse(const char *src, struct xref_tokens *t, enum xref_lang lang,
		xref_def_fn *fn, void *ctx);
/* xref_lex + classify + xref_parse, for tests and one-off files. */
void xref_scan(const char *src, size_t len, enum xref_lang lang,
	       struct xref_tokens *t, xref_def_fn *fn, void *ctx);

#endif
