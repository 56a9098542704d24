/* test_guest.c — the root file system's description (rootfs.yaml), read
 * from a temporary directory as the rootfs build leaves it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "events.h"
#include "guest.h"
#include "util.h"

static int make_tmpdir(void **state)
{
	char tmpl[] = "/tmp/labkit-guest-XXXXXX";

	assert_non_null(mkdtemp(tmpl));
	*state = xstrdup(tmpl);
	return 0;
}

static int remove_tmpdir(void **state)
{
	assert_int_equal(fs_remove_tree(*state), 0);
	free(*state);
	return 0;
}

static char *write_rootfs(const char *dir, const char *yaml)
{
	char *path = xasprintf("%s/rootfs.yaml", dir);

	assert_int_equal(fs_write_atomic(path, yaml, strlen(yaml)), 0);
	return path;
}

/* guest_rootfs_load() that must fail; the last error must hold `want`
 * after the path. */
static void load_fails(const char *dir, const char *yaml, const char *want)
{
	struct guest_rootfs rf;
	char *path = write_rootfs(dir, yaml);
	char *msg = xasprintf("%s%s", path, want);

	assert_int_equal(guest_rootfs_load(&rf, dir), -1);
	if (!strstr(events_last_error(), msg))
		fail_msg("expected '%s' in '%s'", msg, events_last_error());
	/* nothing left to free, and freeing again is harmless */
	for (size_t i = 0; i < 5; i++)
		assert_null(rf.buf[i]);
	assert_null(rf.poweroff);
	guest_rootfs_free(&rf);
	free(msg);
	free(path);
}

static void loads_every_field(void **state)
{
	struct guest_rootfs rf;
	char *path = write_rootfs(*state,
		"# written by cmake/rootfs.cmake\n"
		"login:\n"
		"  prompt: 'login: *$'\n"
		"  user: root\n"
		"  password: \"\"\n"
		"  shell: '[#$] *$'\n"
		"poweroff: poweroff -f\n");

	assert_int_equal(guest_rootfs_load(&rf, *state), 0);
	assert_string_equal(rf.login.login_re, "login: *$");
	assert_string_equal(rf.login.user, "root");
	assert_string_equal(rf.login.password, "");
	assert_string_equal(rf.login.prompt_re, "[#$] *$");
	assert_string_equal(rf.poweroff, "poweroff -f");
	guest_rootfs_free(&rf);
	assert_null(rf.poweroff);
	assert_null(rf.login.user);
	guest_rootfs_free(&rf);  /* twice: nothing to free */
	free(path);
}

/* The order of the keys, flow style, and extra keys do not matter. */
static void order_and_style_do_not_matter(void **state)
{
	struct guest_rootfs rf;
	char *path = write_rootfs(*state,
		"poweroff: \"echo o > /proc/sysrq-trigger\"\n"
		"hostname: box\n"
		"login: {shell: '\\$ $', password: secret, user: student,"
		" prompt: 'box login: '}\n");

	assert_int_equal(guest_rootfs_load(&rf, *state), 0);
	assert_string_equal(rf.login.login_re, "box login: ");
	assert_string_equal(rf.login.user, "student");
	assert_string_equal(rf.login.password, "secret");
	assert_string_equal(rf.login.prompt_re, "\\$ $");
	assert_string_equal(rf.poweroff, "echo o > /proc/sysrq-trigger");
	guest_rootfs_free(&rf);
	free(path);
}

static void missing_key_is_named(void **state)
{
	load_fails(*state,
		   "login: {prompt: 'login: ', user: root, shell: '# '}\n"
		   "poweroff: poweroff\n",
		   ": no 'login.password'");
	load_fails(*state,
		   "login: {prompt: 'login: ', user: root, password: '', shell: '# '}\n",
		   ": no 'poweroff'");
	load_fails(*state, "poweroff: poweroff\n", ": no 'login.prompt'");
	/* a mapping where a string belongs is no string */
	load_fails(*state,
		   "login: {prompt: 'login: ', user: {name: root}, password: '',"
		   " shell: '# '}\npoweroff: poweroff\n",
		   ": no 'login.user'");
	load_fails(*state,
		   "login: {prompt: 'login: ', user: root, password: '', shell: '# '}\n"
		   "poweroff: [poweroff, -f]\n",
		   ": no 'poweroff'");
}

/* `login` must be a mapping: a string there holds none of its keys. */
static void login_must_be_a_mapping(void **state)
{
	load_fails(*state, "login: root\npoweroff: poweroff\n",
		   ": no 'login.prompt'");
}

/* A file with no document, or not a mapping, holds none of the keys. */
static void empty_file_has_no_keys(void **state)
{
	load_fails(*state, "", ": ");
	load_fails(*state, "# nothing here\n", ": ");
	load_fails(*state, "- a list\n", ": no 'login.prompt'");
	load_fails(*state, "just words\n", ": no 'login.prompt'");
}

/* libyaml's problem, at the place it found it (1-based). */
static void malformed_yaml_gives_the_place(void **state)
{
	load_fails(*state,
		   "login:\n"
		   "  prompt: 'login: '\n"
		   "  user: [root\n"
		   "poweroff: poweroff\n",
		   ":4:9: ");
	load_fails(*state,
		   "login:\n"
		   "  prompt: \"unterminated\n",
		   ":3:1: ");
	load_fails(*state, "poweroff: x\n\tlogin: y\n", ":2:1: ");
}

static void missing_file_names_the_path(void **state)
{
	struct guest_rootfs rf;
	char *dir = xasprintf("%s/not-built", (char *)*state);

	assert_int_equal(guest_rootfs_load(&rf, dir), -1);
	assert_non_null(strstr(events_last_error(), dir));
	assert_non_null(strstr(events_last_error(), "/rootfs.yaml: cannot open: "));
	assert_non_null(strstr(events_last_error(), "No such file or directory"));
	assert_null(rf.poweroff);
	guest_rootfs_free(&rf);
	free(dir);
}

/* An unreadable rootfs.yaml (a directory by that name) is an error too. */
static void unreadable_file_is_an_error(void **state)
{
	struct guest_rootfs rf;
	char *path = xasprintf("%s/rootfs.yaml", (char *)*state);

	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(guest_rootfs_load(&rf, *state), -1);
	assert_non_null(strstr(events_last_error(), path));
	guest_rootfs_free(&rf);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(loads_every_field, make_tmpdir, remove_tmpdir),
		cmocka_unit_test_setup_teardown(order_and_style_do_not_matter, make_tmpdir, remove_tmpdir),
		cmocka_unit_test_setup_teardown(missing_key_is_named, make_tmpdir, remove_tmpdir),
		cmocka_unit_test_setup_teardown(login_must_be_a_mapping, make_tmpdir, remove_tmpdir),
		cmocka_unit_test_setup_teardown(empty_file_has_no_keys, make_tmpdir, remove_tmpdir),
		cmocka_unit_test_setup_teardown(malformed_yaml_gives_the_place, make_tmpdir, remove_tmpdir),
		cmocka_unit_test_setup_teardown(missing_file_names_the_path, make_tmpdir, remove_tmpdir),
		cmocka_unit_test_setup_teardown(unreadable_file_is_an_error, make_tmpdir, remove_tmpdir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
