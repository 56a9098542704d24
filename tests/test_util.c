/* test_util.c — strings, whole-file reads, atomic writes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lang.h"
#include "util.h"
#include "yamldoc.h"

static int make_tmpdir(void **state)
{
	char tmpl[] = "/tmp/labkit-test-XXXXXX";

	*state = xstrdup(mkdtemp(tmpl));
	return 0;
}

static int remove_tmpdir(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", (char *)*state);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(*state);
	return 0;
}

static void sb_grows_and_formats(void **state)
{
	struct sb sb;

	(void)state;
	sb_init(&sb);
	for (int i = 0; i < 1000; i++)
		sb_addf(&sb, "%d,", i);
	assert_int_equal(sb.len, strlen(sb.buf));
	assert_memory_equal(sb.buf, "0,1,2,", 6);
	assert_non_null(strstr(sb.buf, "999,"));
	sb_release(&sb);
}

static void atomic_write_replaces_whole_file(void **state)
{
	char *path = xasprintf("%s/f", (char *)*state);
	char *data;
	size_t len;

	assert_int_equal(fs_write_atomic(path, "old", 3), 0);
	assert_int_equal(fs_write_atomic(path, "new content", 11), 0);
	assert_int_equal(fs_read_file(path, &data, &len), 0);
	assert_int_equal(len, 11);
	assert_string_equal(data, "new content");
	free(data);
	free(path);
}

static void atomic_write_leaves_no_temp_on_failure(void **state)
{
	char *path = xasprintf("%s/no/such/dir/f", (char *)*state);
	DIR *d;
	struct dirent *de;
	int entries = 0;

	assert_int_equal(fs_write_atomic(path, "x", 1), -1);
	d = opendir(*state);
	while ((de = readdir(d)))
		entries += de->d_name[0] != '.';
	closedir(d);
	assert_int_equal(entries, 0);
	free(path);
}

static void read_missing_file_fails(void **state)
{
	char *data = NULL;
	size_t len;

	(void)state;
	assert_int_equal(fs_read_file("/nonexistent/labkit", &data, &len), -1);
	assert_null(data);
}

static void mkdirs_makes_parents(void **state)
{
	char *path = xasprintf("%s/a/b/c", (char *)*state);
	struct stat st;

	assert_int_equal(fs_mkdirs(path, 0755), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(fs_mkdirs(path, 0755), 0);
	free(path);
}

static void remove_tree_and_world_readable(void **state)
{
	char *dir = xasprintf("%s/x/y", (char *)*state);
	char *file = xasprintf("%s/f", dir);
	char *top = xasprintf("%s/x", (char *)*state);
	char *link;

	assert_int_equal(fs_mkdirs(dir, 0755), 0);
	assert_int_equal(fs_write_atomic(file, "x", 1), 0);
	assert_int_equal(chmod(*state, 0755), 0);
	assert_true(fs_world_readable(file));
	link = xasprintf("%s/link", dir);
	assert_int_equal(symlink("/bin/sh", link), 0);
	assert_true(fs_world_readable(link));
	assert_int_equal(chmod(dir, 0700), 0);
	assert_false(fs_world_readable(file));
	assert_false(fs_world_readable(link)); /* the way to it is closed */
	assert_int_equal(fs_remove_tree(top), 0);
	assert_int_equal(access(top, F_OK), -1);
	assert_int_equal(fs_remove_tree(top), 0); /* already gone */
	free(link);
	free(top);
	free(file);
	free(dir);
}

/* The buffer goes to the caller; the string is empty and usable again. */
static void sb_detach_hands_over(void **state)
{
	struct sb sb;
	size_t len = 0;
	char *s;

	(void)state;
	sb_init(&sb);
	sb_add(&sb, "a\0b", 3);
	sb_addc(&sb, 'c');
	s = sb_detach(&sb, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(s, "a\0bc", 5);
	assert_int_equal(sb.len, 0);
	assert_null(sb.buf);
	sb_adds(&sb, "again");
	assert_string_equal(sb.buf, "again");
	sb_reset(&sb);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	sb_release(&sb);
	sb_release(&sb);         /* twice: nothing to free */
	free(s);
}

static void xstrndup_and_xasprintf(void **state)
{
	char *a = xstrndup("kernel panic", 6);
	char *b = xasprintf("%s-%d-%s", a, 42, "");

	(void)state;
	assert_string_equal(a, "kernel");
	assert_string_equal(b, "kernel-42-");
	free(a);
	free(b);
}

/* A file's format, read once: a whole number from 1, else 0. */
static void yamldoc_format_is_a_number(void **state)
{
	static const struct {
		const char *text;
		int format;
	} cases[] = {
		{ "labkit-x: 1\n", 1 }, { "labkit-x: 2\nlab: a\n", 2 },
		{ "labkit-x: '2'\n", 2 }, { "lab: a\n", 0 },
		{ "labkit-x: 1.0\n", 0 }, { "labkit-x: 01\n", 0 },
		{ "labkit-x: two\n", 0 }, { "labkit-x: [1]\n", 0 },
		{ "labkit-x: -1\n", 0 },
	};
	char *path = xasprintf("%s/f.yaml", (char *)*state);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		yaml_document_t doc;
		yaml_node_t *at;

		assert_int_equal(fs_write_atomic(path, cases[i].text,
						 strlen(cases[i].text)), 0);
		assert_int_equal(yamldoc_load(path, &doc), 0);
		assert_int_equal(yamldoc_format(&doc, yaml_document_get_root_node(&doc),
						"labkit-x", &at), cases[i].format);
		assert_true((at != NULL) == (strncmp(cases[i].text, "lab:", 4) != 0));
		yaml_document_delete(&doc);
	}
	free(path);
}

/* The languages' names, both ways. */
static void lang_names_both_ways(void **state)
{
	enum lang l = LANG_EN;

	(void)state;
	assert_string_equal(lang_name(LANG_PL), "pl");
	assert_string_equal(lang_name(LANG_EN), "en");
	assert_int_equal(lang_parse("pl", &l), 0);
	assert_int_equal(l, LANG_PL);
	assert_int_equal(lang_parse("de", &l), -1);
	assert_int_equal(lang_parse(NULL, &l), -1);
	assert_int_equal(l, LANG_PL);
	assert_null(lang_names[LANG_COUNT]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sb_grows_and_formats),
		cmocka_unit_test_setup_teardown(atomic_write_replaces_whole_file,
						make_tmpdir, remove_tmpdir),
		cmocka_unit_test_setup_teardown(atomic_write_leaves_no_temp_on_failure,
						make_tmpdir, remove_tmpdir),
		cmocka_unit_test(read_missing_file_fails),
		cmocka_unit_test(sb_detach_hands_over),
		cmocka_unit_test(xstrndup_and_xasprintf),
		cmocka_unit_test_setup_teardown(mkdirs_makes_parents,
						make_tmpdir, remove_tmpdir),
		cmocka_unit_test_setup_teardown(yamldoc_format_is_a_number,
						make_tmpdir, remove_tmpdir),
		cmocka_unit_test(lang_names_both_ways),
		cmocka_unit_test_setup_teardown(remove_tree_and_world_readable,
						make_tmpdir, remove_tmpdir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
