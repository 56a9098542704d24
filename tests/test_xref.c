/*
 * test_xref.c — the cross-referencer: the tokenizer on tricky input
 * (comment markers in strings, '"', continuations with CR LF, digraphs,
 * a 10 MB line, binary and NUL bytes), definition detection on kernel-style
 * snippets in tests/data/xref/ against the golden `<file>.defs` beside
 * each, and an index built from those snippets in a temp dir: lookups,
 * the queries' answers as data (what the command prints of them is
 * xref.queries'), Documentation/ ranking, a file too big to read, a
 * FIFO, a dangling link and a directory named like a source, the errors
 * for a missing, foreign, truncated or old index, a source gone since
 * indexing, and updating an index (changed, new and removed files)
 * against a full build.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "events.h"
#include "util.h"
#include "xref_index.h"
#include "xref_index_int.h"
#include "xref_lex_int.h"
#include "xref_query.h"

#include <fcntl.h>
#include <pthread.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *data_path(const char *name)
{
	const char *dir = getenv("LABKIT_TEST_DATA");

	return xasprintf("%s/xref/%s", dir ? dir : "tests/data", name);
}

static char *read_data(const char *name, size_t *len)
{
	char *path = data_path(name), *text;

	if (fs_read_file(path, &text, len) < 0)
		fail_msg("%s: cannot read", path);
	free(path);
	return text;
}

/* --- the tokenizer ------------------------------------------------------- */

static size_t lex(const char *src, struct xref_tokens *t)
{
	xref_lex(src, strlen(src), t);
	return t->n;
}

static int tok_is(const char *src, const struct xref_token *t, int type,
		  const char *text)
{
	return t->type == type && t->len == strlen(text) &&
	       !memcmp(src + t->off, text, t->len);
}

static void test_lex_strings_and_comments(void **state)
{
	const char *src = "a = \"/* not */ // nor\"; /* c \" */ b = '\"'; // x\nc";
	struct xref_tokens t = { 0 };

	(void)state;
	assert_int_equal(lex(src, &t), 9);
	assert_true(tok_is(src, &t.v[2], XREF_TOK_STRING, "\"/* not */ // nor\""));
	assert_true(tok_is(src, &t.v[4], XREF_TOK_IDENT, "b"));
	assert_true(tok_is(src, &t.v[6], XREF_TOK_CHAR, "'\"'"));
	assert_true(tok_is(src, &t.v[8], XREF_TOK_IDENT, "c"));
	assert_int_equal(t.v[8].line, 2);
	assert_true(t.v[8].flags & XREF_TF_BOL);
	xref_tokens_free(&t);
}

static void test_lex_directives(void **state)
{
	const char *src = "#include <linux/fs.h>\n"
			  "#define M(a) \\\r\n  ((a) + 1)\n"
			  "x < y; // go \\\n on\n"
			  "%:define D <% %> <: :>\n";
	struct xref_tokens t = { 0 };
	size_t i;

	(void)state;
	lex(src, &t);
	assert_true(t.v[0].flags & XREF_TF_DIRECTIVE);
	assert_true(tok_is(src, &t.v[2], XREF_TOK_HEADER, "<linux/fs.h>"));
	/* the macro's body is on line 3 and still in the directive */
	for (i = 3; !tok_is(src, &t.v[i], XREF_TOK_PUNCT, "+"); i++)
		assert_true(t.v[i].flags & XREF_TF_PP);
	assert_int_equal(t.v[i].line, 3);
	/* `x < y` is no header name; the // comment swallows the next line */
	for (; !tok_is(src, &t.v[i], XREF_TOK_IDENT, "x"); i++)
		;
	assert_false(t.v[i].flags & XREF_TF_PP);
	assert_int_equal(t.v[i + 1].ch, '<');
	assert_int_equal(t.v[i + 3].ch, ';');
	assert_int_equal(t.v[i + 4].ch, '#');
	assert_int_equal(t.v[i + 4].line, 6);
	assert_true(t.v[i + 4].flags & XREF_TF_DIRECTIVE);
	assert_int_equal(t.v[i + 7].ch, '{');
	assert_int_equal(t.v[i + 8].ch, '}');
	assert_int_equal(t.v[i + 9].ch, '[');
	assert_int_equal(t.v[i + 10].ch, ']');
	assert_int_equal(t.n, i + 11);
	xref_tokens_free(&t);
}

static void test_lex_unterminated(void **state)
{
	const char *srcs[] = { "int a; /* never ends", "int a; \"never ends",
			       "int a; 'x", "int a; \\", "#define" };
	struct xref_tokens t = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(srcs) / sizeof(srcs[0]); i++) {
		lex(srcs[i], &t);
		for (size_t k = 0; k < t.n; k++)
			assert_true(t.v[k].off + t.v[k].len <= strlen(srcs[i]));
	}
	xref_tokens_free(&t);
}

/* Raw __attribute__((...)) lists: a string with ')' and a comment opener
 * in it stays one token, the brackets balance, a continuation joins. */
static void test_lex_attribute_lists(void **state)
{
	const char *src = "int __attribute__((section(\".x)/*\"), aligned(8))) v;\n"
			  "#define A __attribute__(( \\\n  unused ))\n";
	struct xref_tokens t = { 0 };
	int depth = 0;

	(void)state;
	lex(src, &t);
	assert_true(tok_is(src, &t.v[1], XREF_TOK_IDENT, "__attribute__"));
	assert_true(tok_is(src, &t.v[6], XREF_TOK_STRING, "\".x)/*\""));
	for (size_t i = 0; i < t.n; i++)
		depth += t.v[i].ch == '(' ? 1 : t.v[i].ch == ')' ? -1 : 0;
	assert_int_equal(depth, 0);
	assert_true(tok_is(src, &t.v[t.n - 3], XREF_TOK_IDENT, "unused"));
	assert_true(t.v[t.n - 3].flags & XREF_TF_PP);
	assert_int_equal(t.v[t.n - 3].line, 3);
	xref_tokens_free(&t);
}

/* --- definitions ---------------------------------------------------------- */

struct found {
	char **v;
	size_t n, cap;
};

static void collect(void *ctx, const struct xref_found *d)
{
	struct found *f = ctx;

	ARRAY_PUSH(f->v, f->n, f->cap);
	f->v[f->n++] = xasprintf("%u %u-%u %s %.*s%s%s%s", d->line, d->start_line,
				 d->end_line, xref_kind_name(d->kind),
				 (int)d->name_len, d->name,
				 d->flags ? " " : "", d->flags & XREF_DF_MACRO ? "M" : "",
				 d->flags & XREF_DF_DECL ? "D" :
				 d->flags & XREF_DF_BODY ? "B" : "");
}

static int line_cmp(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	long lx = strtol(x, NULL, 10), ly = strtol(y, NULL, 10);

	return lx != ly ? (lx < ly ? -1 : 1) : 0;
}

/* The definitions of a snippet, one per line, in line order. */
static char *scan(const char *src, size_t len, enum xref_lang lang)
{
	struct xref_tokens t = { 0 };
	struct found f = { 0 };
	struct sb sb;

	xref_scan(src, len, lang, &t, collect, &f);
	xref_tokens_free(&t);
	/* stable: same-line definitions keep the parser's order */
	for (size_t i = 1; i < f.n; i++)
		for (size_t k = i; k > 0 && line_cmp(&f.v[k], &f.v[k - 1]) < 0; k--) {
			char *tmp = f.v[k];

			f.v[k] = f.v[k - 1];
			f.v[k - 1] = tmp;
		}
	sb_init(&sb);
	for (size_t i = 0; i < f.n; i++) {
		sb_addf(&sb, "%s\n", f.v[i]);
		free(f.v[i]);
	}
	free(f.v);
	return sb_detach(&sb, NULL);
}

static void expect_defs(const char *name, enum xref_lang lang)
{
	char *golden_name = xasprintf("%s.defs", name);
	size_t len, glen;
	char *src = read_data(name, &len), *golden = read_data(golden_name, &glen);
	char *got = scan(src, len, lang);

	assert_string_equal(got, golden);
	free(got);
	free(golden);
	free(src);
	free(golden_name);
}

static void test_defs_kernel_header(void **state)
{
	(void)state;
	expect_defs("kernel.h", XREF_LANG_C);
}

static void test_defs_macro_made(void **state)
{
	(void)state;
	expect_defs("syscalls.c", XREF_LANG_C);
}

static void test_defs_assembler(void **state)
{
	(void)state;
	expect_defs("entry.S", XREF_LANG_ASM);
}

static void test_defs_tricky(void **state)
{
	(void)state;
	expect_defs("tricky.c", XREF_LANG_C);
	expect_defs("crlf.c", XREF_LANG_C);
}

/* Which identifiers count as references. */
static void test_refs_flags(void **state)
{
	const char *src = "#define ADD(a, b) ((a) + (b) + c)\n"
			  "#if defined(CONFIG_X)\n#endif\n"
			  "static int f(int x) { return ADD(x, 1); }\n";
	struct xref_tokens t = { 0 };
	struct found f = { 0 };
	struct sb refs;

	(void)state;
	xref_scan(src, strlen(src), XREF_LANG_C, &t, collect, &f);
	sb_init(&refs);
	for (size_t i = 0; i < t.n; i++)
		if (t.v[i].type == XREF_TOK_IDENT && !(t.v[i].cls & XREF_CLS_KW) &&
		    !(t.v[i].flags & (XREF_TF_DEF | XREF_TF_NOREF)))
			sb_addf(&refs, "%.*s ", (int)t.v[i].len, src + t.v[i].off);
	/* not a, b (parameters), define, defined, static, int, return */
	assert_string_equal(refs.buf, "c CONFIG_X x ADD x ");
	sb_release(&refs);
	for (size_t i = 0; i < f.n; i++)
		free(f.v[i]);
	free(f.v);
	xref_tokens_free(&t);
}

/* A 10 MB line, binary noise, unbalanced brackets and NUL bytes: tokens
 * stay inside the input and the definitions that are there are found. */
static void test_defs_odd_input(void **state)
{
	size_t n = 10u << 20, len = 0, count = 0;
	char *big = xmalloc(n + 32), *got;
	uint32_t seed = 12345;
	const char nul[] = "int a;\0int b;\0\0int c;";

	(void)state;
	while (len < n)
		len += (size_t)sprintf(big + len, "int v%zu;", count++);
	got = scan(big, len, XREF_LANG_C);
	for (char *p = got; (p = strchr(p, '\n')); p++)
		count--;
	assert_int_equal(count, 0);
	assert_int_equal(strncmp(got, "1 1-1 variable v0\n", 18), 0);
	free(got);
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		big[i] = (char)(seed >> 16);
	}
	free(scan(big, n, XREF_LANG_C));
	free(scan(big, n, XREF_LANG_ASM));
	/* a million '(' then a million '}': linear, nothing defined */
	memset(big, '(', 1u << 20);
	memset(big + (1u << 20), '}', 1u << 20);
	got = scan(big, 2u << 20, XREF_LANG_C);
	assert_string_equal(got, "");
	free(got);
	free(big);
	got = scan(nul, sizeof(nul) - 1, XREF_LANG_C);
	assert_string_equal(got, "1 1-1 variable a\n1 1-1 variable b\n1 1-1 variable c\n");
	free(got);
}

static void test_kind_names(void **state)
{
	(void)state;
	assert_int_equal(xref_kind_parse("struct"), XREF_STRUCT);
	assert_int_equal(xref_kind_parse("func"), XREF_FUNCTION);
	assert_int_equal(xref_kind_parse("function"), XREF_FUNCTION);
	assert_int_equal(xref_kind_parse("define"), XREF_MACRO);
	assert_int_equal(xref_kind_parse("extern"), XREF_EXTERNVAR);
	assert_int_equal(xref_kind_parse("none"), -1);
	assert_int_equal(xref_kind_parse("structs"), -1);
	for (int k = 1; k < XREF_NKINDS; k++)
		assert_int_equal(xref_kind_parse(xref_kind_name(k)), k);
}

/* --- an index of the snippets ---------------------------------------------- */

struct tree {
	char *dir;   /* the temp dir */
	char *root;  /* dir/tree */
	char *index; /* dir/index */
	struct xref_index *idx;
};

static void copy_in(const struct tree *t, const char *name, const char *to)
{
	size_t len;
	char *text = read_data(name, &len), *path = xasprintf("%s/%s", t->root, to);
	char *slash = strrchr(path, '/');

	*slash = '\0';
	assert_int_equal(fs_mkdirs(path, 0777), 0);
	*slash = '/';
	assert_int_equal(fs_write_atomic(path, text, len), 0);
	free(path);
	free(text);
}

static int tree_setup(void **state)
{
	struct tree *t = xcalloc(1, sizeof(*t));
	struct xref_build_stats st;

	t->dir = xstrdup("/tmp/labkit-xref-XXXXXX");
	if (!mkdtemp(t->dir))
		return -1;
	t->root = xasprintf("%s/tree", t->dir);
	t->index = xasprintf("%s/index", t->dir);
	copy_in(t, "kernel.h", "include/linux/kernel.h");
	copy_in(t, "syscalls.c", "fs/syscalls.c");
	copy_in(t, "entry.S", "arch/x86/entry/entry.S");
	copy_in(t, "tricky.c", "lib/tricky.c");
	copy_in(t, "crlf.c", "tools/crlf.c");
	copy_in(t, "path-lookup.rst", "Documentation/filesystems/path-lookup.rst");
	copy_in(t, "path-lookup.txt", "Documentation/filesystems/path-lookup.txt");
	copy_in(t, "vfs.rst", "Documentation/filesystems/vfs.rst");
	copy_in(t, "kernel.h.defs", "Kconfig");
	if (xref_build(t->root, t->index, 2, 0, &st) < 0)
		return -1;
	assert_int_equal(st.files, 5);
	assert_int_equal(st.docs, 3);
	t->idx = xref_open(t->index);
	*state = t;
	return t->idx ? 0 : -1;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int tree_teardown(void **state)
{
	struct tree *t = *state;

	xref_close(t->idx);
	if (nftw(t->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "could not remove %s\n", t->dir);
	free(t->dir);
	free(t->root);
	free(t->index);
	free(t);
	return 0;
}

static void test_index_defs(void **state)
{
	struct tree *t = *state;
	struct xref_def d[8];
	size_t total;

	assert_string_equal(xref_root(t->idx), t->root);
	assert_int_equal(xref_defs(t->idx, "dget", XREF_NONE, NULL, d, 8, &total), 1);
	assert_string_equal(d[0].path, "include/linux/kernel.h");
	assert_int_equal(d[0].line, 69);
	assert_int_equal(d[0].end_line, 74);
	/* the body first, then the forward declarations */
	assert_int_equal(xref_defs(t->idx, "foo_enable", XREF_NONE, NULL, d, 8, &total), 2);
	assert_int_equal(d[0].kind, XREF_FUNCTION);
	assert_int_equal(d[1].kind, XREF_PROTOTYPE);
	assert_int_equal(xref_defs(t->idx, "open", XREF_SYSCALL, "fs/", d, 8, &total), 2);
	assert_int_equal(xref_defs(t->idx, "open", XREF_STRUCT, NULL, d, 8, &total), 0);
	assert_int_equal(xref_defs(t->idx, "sys_open", XREF_NONE, NULL, d, 8, &total), 1);
	assert_int_equal(xref_defs(t->idx, "kern_path", XREF_NONE, "include/linux/kernel.h",
				   d, 8, &total), 1);
	assert_int_equal(xref_defs(t->idx, "kern_path", XREF_NONE, "fs/", d, 8, &total), 0);
	assert_int_equal(xref_defs(t->idx, "no_such_name", XREF_NONE, NULL, d, 8, &total), 0);
	assert_int_equal(xref_defs(t->idx, "", XREF_NONE, NULL, d, 8, &total), 0);
}

static void test_index_refs(void **state)
{
	struct tree *t = *state;
	struct xref_ref r[16];
	size_t total;

	/* uses, not the definition on line 20 */
	assert_int_equal(xref_refs(t->idx, "do_sys_open", NULL, r, 16, &total), 3);
	assert_string_equal(r[0].path, "fs/syscalls.c");
	assert_int_equal(r[0].line, 28);
	assert_int_equal(r[1].line, 34);
	assert_int_equal(r[2].line, 36);
	/* across files, in path order; `struct inode;` is no reference */
	assert_int_equal(xref_refs(t->idx, "inode", NULL, r, 16, &total), 3);
	assert_string_equal(r[0].path, "fs/syscalls.c");
	assert_int_equal(r[0].line, 15);
	assert_string_equal(r[1].path, "include/linux/kernel.h");
	assert_int_equal(r[1].line, 22);
	assert_int_equal(r[2].line, 23);
	/* the tag's definition is not a reference to it either */
	assert_int_equal(xref_refs(t->idx, "file_operations", "include/", r, 16, &total), 0);
	assert_int_equal(xref_refs(t->idx, "dentry", "include/", r, 1, &total), 1);
	assert_true(total > 5);
	/* a keyword is nobody's reference */
	assert_int_equal(xref_refs(t->idx, "static", NULL, r, 16, &total), 0);
}

/* The answers as data: each reference with its line, a definition with
 * its comment, the files that match, the names a missing one suggests,
 * the documents best first. */
struct lines {
	struct sb sb;
	size_t n;
};

static void collect_line(void *ctx, const struct xref_ref *r, const char *text,
			 size_t len)
{
	struct lines *l = ctx;

	sb_addf(&l->sb, "%s:%u: %.*s\n", r->path, r->line, (int)len, text);
	l->n++;
}

static void test_index_answers(void **state)
{
	struct tree *t = *state;
	struct lines l = { .n = 0 };
	struct xref_shown sh;
	struct xref_doc_hit *hits;
	const char **paths, *near[4], *line;
	char *words[] = { "path", "walking" }, *gone;
	size_t len;

	sb_init(&l.sb);
	assert_int_equal(xref_ref_lines(t->idx, "do_sys_open", NULL, 2, collect_line, &l), 2);
	assert_string_equal(l.sb.buf,
		"fs/syscalls.c:28: \treturn do_sys_open(AT_FDCWD, filename, flags, mode);\n"
		"fs/syscalls.c:34: \treturn do_sys_open(AT_FDCWD, filename, flags, mode);\n");
	assert_int_equal(xref_ref_lines(t->idx, "do_sys_open", "include/", 0, collect_line, &l), 0);
	sb_release(&l.sb);

	assert_int_equal(xref_show(t->idx, "dget", XREF_NONE, NULL, &sh), 1);
	assert_int_equal(sh.def.line, 69);
	assert_int_equal(sh.total, 1);
	assert_int_equal(sh.comment_line, 56);
	assert_int_equal(sh.comment_end, 61);
	line = xref_shown_line(&sh, 74, &len);
	assert_int_equal(len, 1);
	assert_memory_equal(line, "}", 1);
	assert_null(xref_shown_line(&sh, 0, &len));
	assert_null(xref_shown_line(&sh, 96, &len));
	xref_shown_free(&sh);
	assert_int_equal(xref_show(t->idx, "foo_enable", XREF_NONE, NULL, &sh), 1);
	assert_int_equal(sh.total, 2);
	assert_int_equal(sh.decls, 1);
	assert_int_equal(sh.comment_line, 0);
	xref_shown_free(&sh);
	assert_int_equal(xref_show(t->idx, "dentry", XREF_UNION, NULL, &sh), 0);
	xref_shown_free(&sh);

	assert_int_equal(xref_files(t->idx, ".c", NULL, 0, &paths), 3);
	assert_string_equal(paths[0], "fs/syscalls.c");
	assert_string_equal(paths[2], "tools/crlf.c");
	free(paths);
	assert_int_equal(xref_files(t->idx, ".c", "lib/", 1, &paths), 1);
	assert_string_equal(paths[0], "lib/tricky.c");
	free(paths);

	assert_int_equal(xref_suggest(t->idx, "dge", near, 4), 2);
	assert_string_equal(near[0], "dget");
	assert_string_equal(near[1], "dget_dlock");
	assert_int_equal(xref_suggest(t->idx, "dget", near, 4), 1);
	assert_int_equal(xref_suggest(t->idx, "user_path", near, 4), 0);

	assert_int_equal(xref_doc_rank(t->idx, words, 2, &hits), 2);
	assert_string_equal(hits[0].path, "Documentation/filesystems/path-lookup.rst");
	assert_int_equal(hits[0].line, 2);
	assert_string_equal(hits[0].title, "Pathname lookup");
	assert_true(hits[0].score >= hits[1].score);
	free(hits);

	/* a source gone from the tree is an error naming it */
	gone = xasprintf("%s/include/linux/kernel.h", t->root);
	assert_int_equal(unlink(gone), 0);
	assert_int_equal(xref_show(t->idx, "dget", XREF_NONE, NULL, &sh), -1);
	assert_non_null(strstr(events_last_error(), "include/linux/kernel.h: No such file"));
	sb_init(&l.sb);
	l.n = 0;
	assert_int_equal(xref_ref_lines(t->idx, "inode", NULL, 0, collect_line, &l), -1);
	assert_int_equal(l.n, 1);
	sb_release(&l.sb);
	free(gone);
}

/* --- bad files ------------------------------------------------------------- */

/* xref_open() of `path` fails, saying `want` (the last error). */
static void expect_open_error(const char *path, const char *want)
{
	assert_null(xref_open(path));
	if (!strstr(events_last_error(), want))
		fail_msg("'%s' does not say '%s'", events_last_error(), want);
	if (strncmp(events_last_error(), path, strlen(path)))
		fail_msg("'%s' does not name '%s'", events_last_error(), path);
}

static void test_index_bad_files(void **state)
{
	struct tree *t = *state;
	char *bad = xasprintf("%s/bad", t->dir), *data;
	size_t len;

	expect_open_error("/nonexistent/index", "No such file or directory");
	assert_int_equal(fs_write_atomic(bad, "", 0), 0);
	expect_open_error(bad, "not a labkit xref index");
	assert_int_equal(fs_write_atomic(bad, "!<arch>\ndebian-binary   1342177280  0     0     100644  4         `\n", 68), 0);
	expect_open_error(bad, "not a labkit xref index");
	assert_int_equal(fs_read_file(t->index, &data, &len), 0);
	assert_int_equal(fs_write_atomic(bad, data, len - 1), 0);
	expect_open_error(bad, "truncated or damaged index");
	data[8] = 7; /* the format version */
	assert_int_equal(fs_write_atomic(bad, data, len), 0);
	expect_open_error(bad, "index format version 7, this labkit reads version 3");
	free(data);
	free(bad);
}

/* The warnings a build gave (its workers give them too). */
struct warnings {
	pthread_mutex_t lock;
	size_t n, errors;
	char text[4096];
};

static void count_warning(void *ctx, const struct event_msg *m)
{
	struct warnings *w = ctx;

	pthread_mutex_lock(&w->lock);
	if (m->level == EVENT_WARNING) {
		w->n++;
		snprintf(w->text + strlen(w->text), sizeof(w->text) - strlen(w->text),
			 "%s\n", m->text);
	} else {
		w->errors++;
	}
	pthread_mutex_unlock(&w->lock);
}

/* A source too big to read is skipped with a warning; the rest is indexed. */
static void test_index_skips_unreadable(void **state)
{
	struct tree *t = *state;
	char *big = xasprintf("%s/include/huge.h", t->root);
	char *locked = xasprintf("%s/include/locked.h", t->root);
	char *index = xasprintf("%s/index2", t->dir);
	struct xref_build_stats st;
	struct warnings w = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct events ev = { .message = count_warning, .ctx = &w };
	int fd = open(big, O_WRONLY | O_CREAT, 0644);

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 300 << 20), 0);
	close(fd);
	assert_int_equal(fs_write_atomic(locked, "int locked;\n", 12), 0);
	chmod(locked, 0);
	events_set(&ev);
	assert_int_equal(xref_build(t->root, index, 1, 0, &st), 0);
	events_set(NULL);
	assert_int_equal(st.skipped, geteuid() == 0 ? 1 : 2);
	assert_int_equal(st.files, geteuid() == 0 ? 6 : 5);
	/* a warning for each file skipped, naming it; no error */
	assert_int_equal(w.errors, 0);
	assert_int_equal(w.n, st.skipped);
	assert_non_null(strstr(w.text, "include/huge.h: over "));
	unlink(big);
	unlink(locked);
	unlink(index);
	free(big);
	free(locked);
	free(index);
}

/* A FIFO, a dangling symbolic link and a directory named like sources
 * are not read (a FIFO would block) and the index is still built. */
static void test_index_odd_files(void **state)
{
	struct tree *t = *state;
	char *fifo = xasprintf("%s/fs/fifo.c", t->root);
	char *link = xasprintf("%s/fs/dangling.c", t->root);
	char *dir = xasprintf("%s/fs/dir.c", t->root);
	char *index = xasprintf("%s/index3", t->dir);
	struct xref_build_stats st;
	struct xref_index *idx;
	struct xref_def d;

	assert_int_equal(mkfifo(fifo, 0644), 0);
	assert_int_equal(symlink("/nonexistent/x.c", link), 0);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(xref_build(t->root, index, 2, XREF_BUILD_FULL, &st), 0);
	assert_int_equal(st.files, 5);
	assert_int_equal(st.skipped, 0);
	idx = xref_open(index);
	assert_non_null(idx);
	assert_int_equal(xref_defs(idx, "do_sys_open", XREF_NONE, NULL, &d, 1, NULL), 1);
	xref_close(idx);
	unlink(index);
	unlink(fifo);
	unlink(link);
	rmdir(dir);
	free(fifo);
	free(link);
	free(dir);
	free(index);
}

/* --- updating an index ---------------------------------------------------- */

/* Everything an index answers, one symbol a line: its definitions and
 * references (symbols with neither are invisible to queries), then the
 * documents. */
static char *dump_index(const struct xref_index *idx)
{
	struct xref_def d[64];
	struct xref_ref r[256];
	struct sb sb;
	size_t len, nd, nr;

	sb_init(&sb);
	for (uint32_t i = 0; i < idx->h->nsyms; i++) {
		const char *n = xref_sym_name(idx, &idx->syms[i], &len);
		char *name = xstrndup(n, len);

		nd = xref_defs(idx, name, XREF_NONE, NULL, d, 64, NULL);
		nr = xref_refs(idx, name, NULL, r, 256, NULL);
		if (nd || nr)
			sb_addf(&sb, "%s:", name);
		for (size_t k = 0; k < nd; k++)
			sb_addf(&sb, " %s:%u-%u-%u:%s:%u", d[k].path, d[k].start_line,
				d[k].line, d[k].end_line, xref_kind_name(d[k].kind), d[k].flags);
		for (size_t k = 0; k < nr; k++)
			sb_addf(&sb, " %s:%u", r[k].path, r[k].line);
		if (nd || nr)
			sb_addc(&sb, '\n');
		free(name);
	}
	for (uint32_t i = 0; i < idx->h->ndocs; i++)
		sb_addf(&sb, "doc %s:%u %s | %s\n", xref_file_path(idx, idx->docs[i].file),
			idx->docs[i].line, xref_str(idx, idx->docs[i].title_off),
			xref_str(idx, idx->docs[i].words_off));
	return sb_detach(&sb, NULL);
}

static void write_text(const struct tree *t, const char *rel, const char *text,
		       int append)
{
	char *path = xasprintf("%s/%s", t->root, rel);
	FILE *f = fopen(path, append ? "a" : "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	free(path);
}

/* Sets rel's mtime a second past what it is, its content untouched. */
static void touch_later(const struct tree *t, const char *rel)
{
	char *path = xasprintf("%s/%s", t->root, rel);
	struct stat st;
	struct timespec ts[2];

	assert_int_equal(stat(path, &st), 0);
	ts[0] = st.st_atim;
	ts[1] = st.st_mtim;
	ts[1].tv_sec++;
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
	free(path);
}

/* Changed, new and removed files (sources and documents): the updated
 * index answers exactly what a full build of the same tree does. */
static void test_index_update(void **state)
{
	struct tree *t = *state;
	char *full = xasprintf("%s/full", t->dir), *gone = xasprintf("%s/tools/crlf.c", t->root);
	struct xref_build_stats st, fst;
	struct xref_index *a, *b;
	char *da, *db;
	struct stat before, after;

	write_text(t, "fs/syscalls.c", "int dget_user(struct dentry *d)\n{\n\treturn !!dget(d);\n}\n", 1);
	write_text(t, "lib/zz_new.c", "struct newthing { int a; };\n#define NEWTHING 1\n"
		   "static int newfn(void) { return do_sys_open(0) + NEWTHING; }\n", 0);
	write_text(t, "Documentation/filesystems/zz.rst", "Walking new paths\n=================\n", 0);
	write_text(t, "Documentation/filesystems/vfs.rst", "\nVFS again\n---------\n", 1);
	assert_int_equal(unlink(gone), 0);
	assert_int_equal(xref_build(t->root, t->index, 1, 0, &st), 0);
	assert_true(st.updated);
	assert_int_equal(st.reread, 4);
	assert_int_equal(st.removed, 1);
	assert_int_equal(xref_build(t->root, full, 2, XREF_BUILD_FULL, &fst), 0);
	assert_false(fst.updated);
	assert_int_equal(st.defs, fst.defs);
	assert_int_equal(st.refs, fst.refs);
	a = xref_open(t->index);
	b = xref_open(full);
	assert_non_null(a);
	assert_non_null(b);
	da = dump_index(a);
	db = dump_index(b);
	assert_non_null(strstr(db, "newfn: lib/zz_new.c:3-3-3:function"));
	assert_non_null(strstr(db, "dget: include/linux/kernel.h:"));
	assert_non_null(strstr(db, "fs/syscalls.c:67"));
	assert_null(strstr(db, "tools/crlf.c"));
	assert_string_equal(da, db);
	free(da);
	free(db);
	xref_close(a);
	xref_close(b);
	/* nothing changed: nothing is written */
	assert_int_equal(stat(t->index, &before), 0);
	assert_int_equal(xref_build(t->root, t->index, 1, 0, &st), 0);
	assert_int_equal(stat(t->index, &after), 0);
	assert_true(st.updated);
	assert_int_equal(st.reread + st.removed, 0);
	assert_int_equal(before.st_ino, after.st_ino);
	assert_int_equal(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
	/* touched, the same content: only its stamp is written, in place;
	 * the next run finds the stamp current and reads nothing */
	touch_later(t, "fs/syscalls.c");
	assert_int_equal(xref_build(t->root, t->index, 1, 0, &st), 0);
	assert_int_equal(stat(t->index, &after), 0);
	assert_int_equal(st.reread + st.removed, 0);
	assert_int_equal(st.restamped, 1);
	assert_int_equal(before.st_ino, after.st_ino);
	assert_int_equal(xref_build(t->root, t->index, 1, 0, &st), 0);
	assert_int_equal(st.restamped + st.reread, 0);
	/* changed, the same size: the hash tells, and it is read again */
	{
		char *path = xasprintf("%s/fs/syscalls.c", t->root), *data;
		size_t len;

		assert_int_equal(fs_read_file(path, &data, &len), 0);
		data[len - 2] = data[len - 2] == ' ' ? '\t' : ' ';
		assert_int_equal(fs_write_atomic(path, data, len), 0);
		touch_later(t, "fs/syscalls.c");
		assert_int_equal(xref_build(t->root, t->index, 1, 0, &st), 0);
		assert_int_equal(st.reread, 1);
		assert_int_equal(st.restamped, 0);
		free(data);
		free(path);
	}
	unlink(full);
	free(full);
	free(gone);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lex_strings_and_comments),
		cmocka_unit_test(test_lex_directives),
		cmocka_unit_test(test_lex_unterminated),
		cmocka_unit_test(test_lex_attribute_lists),
		cmocka_unit_test(test_defs_kernel_header),
		cmocka_unit_test(test_defs_macro_made),
		cmocka_unit_test(test_defs_assembler),
		cmocka_unit_test(test_defs_tricky),
		cmocka_unit_test(test_refs_flags),
		cmocka_unit_test(test_defs_odd_input),
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test_setup_teardown(test_index_defs, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_index_refs, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_index_answers, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_index_bad_files, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_index_skips_unreadable, tree_setup,
						tree_teardown),
		cmocka_unit_test_setup_teardown(test_index_odd_files, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_index_update, tree_setup, tree_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
