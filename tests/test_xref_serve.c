/*
 * test_xref_serve.c — the web view's guards: decoding a request target
 * once and strictly, and opening paths strictly inside the tree (`..`,
 * encoded and double-encoded `..` and '/', absolute paths, control bytes,
 * symbolic links out of the tree and inside it), in a temp dir with a
 * secret file beside the tree.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util.h"
#include "xref_serve.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --- decoding -------------------------------------------------------------- */

static void expect_decoded(const char *in, int query, const char *want)
{
	char *got = xref_serve_decode(in, strlen(in), query);

	if (!want) {
		if (got)
			fail_msg("'%s' decoded to '%s', wanted a refusal", in, got);
		return;
	}
	if (!got)
		fail_msg("'%s' refused, wanted '%s'", in, want);
	assert_string_equal(got, want);
	free(got);
}

static void test_decode(void **state)
{
	(void)state;
	expect_decoded("/source/fs/namei.c", 0, "/source/fs/namei.c");
	expect_decoded("/source/%2e%2e/%2E%2E/etc", 0, "/source/../../etc");
	expect_decoded("/a+b", 0, "/a+b");
	/* escaped '/', '%' (so double encoding) and '\' in a path */
	expect_decoded("/source/..%2fetc", 0, NULL);
	expect_decoded("/source/..%2Fetc", 0, NULL);
	expect_decoded("/source/%252e%252e/etc", 0, NULL);
	expect_decoded("/source/..%5cetc", 0, NULL);
	/* NUL, and malformed escapes */
	expect_decoded("/source/a%00.c", 0, NULL);
	expect_decoded("q=a%00", 1, NULL);
	expect_decoded("/x%", 0, NULL);
	expect_decoded("/x%2", 0, NULL);
	expect_decoded("/x%zz", 0, NULL);
	expect_decoded("%g0", 1, NULL);
	/* a query string may carry '/' and '%'; '+' is a space */
	expect_decoded("path+walking%2Fx%25", 1, "path walking/x%");
	expect_decoded("", 1, "");
}

/* --- opening inside the tree --------------------------------------------------- */

struct jail {
	char *dir;  /* the temp dir */
	char *root; /* dir/tree */
	int rootfd;
};

static void write_file(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);

	assert_int_equal(fs_write_atomic(path, text, strlen(text)), 0);
	free(path);
}

static void make_link(const char *target, const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);

	assert_int_equal(symlink(target, path), 0);
	free(path);
}

static int jail_setup(void **state)
{
	struct jail *j = xcalloc(1, sizeof(*j));
	char *sub;

	j->dir = xstrdup("/tmp/labkit-xref-serve-XXXXXX");
	if (!mkdtemp(j->dir))
		return -1;
	j->root = xasprintf("%s/tree", j->dir);
	sub = xasprintf("%s/fs", j->root);
	assert_int_equal(fs_mkdirs(sub, 0777), 0);
	write_file(j->dir, "secret", "SECRET\n");
	write_file(sub, "namei.c", "int kern_path;\n");
	write_file(j->root, "Makefile", "all:\n");
	make_link("..", j->root, "up");                  /* out of the tree */
	make_link("/etc", j->root, "etc");               /* absolute */
	make_link("../../secret", sub, "secret.c");      /* a file out of it */
	make_link("fs", j->root, "alias");               /* inside, still refused */
	make_link("namei.c", sub, "alias.c");
	free(sub);
	j->rootfd = open(j->root, O_RDONLY | O_DIRECTORY);
	*state = j;
	return j->rootfd < 0 ? -1 : 0;
}

static int jail_teardown(void **state)
{
	struct jail *j = *state;

	close(j->rootfd);
	fs_remove_tree(j->dir);
	free(j->dir);
	free(j->root);
	free(j);
	return 0;
}

/* Opening `rel` fails with `err`. */
static void expect_refused(const struct jail *j, const char *rel, int err)
{
	int fd;

	errno = 0;
	fd = xref_serve_open(j->rootfd, rel);
	if (fd >= 0) {
		close(fd);
		fail_msg("'%s' was opened", rel);
	}
	if (errno != err)
		fail_msg("'%s': errno %d (%s), wanted %d (%s)", rel, errno,
			 strerror(errno), err, strerror(err));
}

static void expect_opens(const struct jail *j, const char *rel, const char *want)
{
	char buf[64];
	int fd = xref_serve_open(j->rootfd, rel);
	ssize_t n;

	if (fd < 0)
		fail_msg("'%s': %s", rel, strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(n >= 0);
	buf[n] = '\0';
	assert_string_equal(buf, want);
}

static void test_open_inside(void **state)
{
	struct jail *j = *state;

	expect_opens(j, "fs/namei.c", "int kern_path;\n");
	expect_opens(j, "Makefile", "all:\n");
	expect_refused(j, "fs/nope.c", ENOENT);
	expect_refused(j, "fs/namei.c/x", ENOTDIR);
}

static void test_open_traversal(void **state)
{
	static const char *const bad[] = {
		"", "..", "../secret", "fs/../../secret", "fs/..", "./fs/namei.c",
		"fs/./namei.c", "/etc/passwd", "//etc/passwd", "fs//namei.c",
		"fs/namei.c/", "fs\\..\\..\\secret", "%2e%2e/secret",
		"%252e%252e/secret", "fs/%2fetc", "fs/na\nmei.c", "fs/\x7f",
		"...//secret",
	};
	struct jail *j = *state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_refused(j, bad[i], EINVAL);
	/* "..." is a name like any other, just not there */
	expect_refused(j, ".../secret", ENOENT);
}

static void test_open_symlinks(void **state)
{
	struct jail *j = *state;

	expect_refused(j, "up/secret", ELOOP);
	expect_refused(j, "etc/passwd", ELOOP);
	expect_refused(j, "fs/secret.c", ELOOP);
	expect_refused(j, "alias/namei.c", ELOOP);
	expect_refused(j, "fs/alias.c", ELOOP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test_setup_teardown(test_open_inside, jail_setup, jail_teardown),
		cmocka_unit_test_setup_teardown(test_open_traversal, jail_setup, jail_teardown),
		cmocka_unit_test_setup_teardown(test_open_symlinks, jail_setup, jail_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
