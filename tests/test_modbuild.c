/* test_modbuild.c — real kernel modules built in the sandbox against the
 * installed Debian headers: a good one gives its .ko; a syntax error, a
 * Kbuild naming another object, a missing Makefile and a submission over
 * the caps give the line a teacher reads; a Makefile that reads a file
 * outside its directory and writes to /tmp fails without the secret in
 * build.log or a file in the host's /tmp (the unsandboxed control does
 * both); links and fifos of a submission are not copied; a module that
 * calls another's export links with that one's Module.symvers only.
 * Exits 77 when there are no headers or no sandbox here. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "events.h"
#include "modbuild.h"
#include "proc.h"
#include "sandbox.h"
#include "util.h"

static char *headers;     /* /usr/src/linux-headers-*-amd64 */

static const char hello_c[] =
	"#include <linux/init.h>\n"
	"#include <linux/module.h>\n"
	"MODULE_LICENSE(\"GPL\");\n"
	"static int __init hello_init(void)\n"
	"{\n"
	"\tpr_info(\"hello\\n\");\n"
	"\treturn 0;\n"
	"}\n"
	"static void __exit hello_exit(void)\n"
	"{\n"
	"}\n"
	"module_init(hello_init);\n"
	"module_exit(hello_exit);\n";

/* base/ (mode 755, nobody must reach build/): sub/ the submission,
 * build/ the build dir, secret/s.txt a file the build must not read. */
struct fixture {
	char base[64];
	char *sub, *build, *secret, *pwned;
	struct modbuild_opts o;
	struct modbuild_result r;
};

static void put(const struct fixture *f, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", f->sub, name);

	assert_int_equal(fs_write_atomic(path, text, strlen(text)), 0);
	free(path);
}

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	char *dir;

	strcpy(f->base, "/tmp/labkit-test-modbuild.XXXXXX");
	assert_non_null(mkdtemp(f->base));
	chmod(f->base, 0755);
	f->sub = xasprintf("%s/sub/hello", f->base);
	f->build = xasprintf("%s/build", f->base);
	f->secret = xasprintf("%s/secret/s.txt", f->base);
	f->pwned = xasprintf("/tmp/labkit-pwned-%d", (int)getpid());
	dir = xasprintf("%s/secret", f->base);
	assert_int_equal(fs_mkdirs(dir, 0755), 0);
	assert_int_equal(fs_mkdirs(f->sub, 0755), 0);
	assert_int_equal(fs_write_atomic(f->secret, "labkit-secret-42\n", 17), 0);
	free(dir);
	put(f, "hello.c", hello_c);
	put(f, "Kbuild", "obj-m := hello.o\n");
	f->o = (struct modbuild_opts){ .src = f->sub, .dir = f->build,
				       .name = "hello", .headers = headers };
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	modbuild_result_free(&f->r);
	fs_remove_tree(f->base);
	unlink(f->pwned);
	free(f->sub);
	free(f->build);
	free(f->secret);
	free(f->pwned);
	free(f);
	return 0;
}

static char *read_log(const struct fixture *f)
{
	char *data = NULL;
	size_t len;

	assert_non_null(f->r.log);
	assert_int_equal(fs_read_file(f->r.log, &data, &len), 0);
	return data;
}

static int build(struct fixture *f)
{
	modbuild_result_free(&f->r);
	return modbuild_build(&f->o, &f->r);
}

static void a_good_module_gives_its_ko(void **state)
{
	struct fixture *f = *state;
	char *ko = xasprintf("%s/hello.ko", f->build);
	char *log;
	struct stat st;

	assert_int_equal(build(f), 0);
	assert_true(f->r.ok);
	assert_null(f->r.reason);
	assert_int_equal(f->r.status, 0);
	assert_string_equal(f->r.ko, ko);
	assert_int_equal(stat(ko, &st), 0);
	assert_true(st.st_size > 0);
	log = read_log(f);
	assert_non_null(strstr(log, "hello.ko"));
	/* Well within the limits of the whole build, where a cgroup counted. */
	assert_non_null(f->r.limits);
	print_message("%s: %.2f s, %u processes, %llu MiB at most\n",
		      f->r.limits, f->r.seconds, f->r.procs_peak,
		      f->r.memory_peak >> 20);
	if (f->r.procs_peak)
		assert_in_range(f->r.procs_peak, 2, 64);
	if (f->r.memory_peak)
		assert_in_range(f->r.memory_peak, 1 << 20, 512ULL << 20);
	free(log);
	free(ko);
}

static void a_syntax_error_gives_the_compiler_line(void **state)
{
	struct fixture *f = *state;
	char *bad = xstrdup(hello_c);

	*strstr(bad, ";\n\treturn 0;") = ' ';  /* pr_info(...) without ; */
	put(f, "hello.c", bad);
	assert_int_equal(build(f), 0);
	assert_false(f->r.ok);
	assert_null(f->r.ko);
	assert_non_null(f->r.reason);
	assert_true(!strncmp(f->r.reason, "hello.c:", 8));
	assert_non_null(strstr(f->r.reason, ": error: expected ';' before 'return'"));
	assert_null(strstr(f->r.reason, f->build));
	free(bad);
}

static void another_object_gives_the_missing_ko(void **state)
{
	struct fixture *f = *state;

	put(f, "Kbuild", "obj-m := other.o\n");
	put(f, "other.c", hello_c);
	assert_int_equal(build(f), 0);
	assert_false(f->r.ok);
	assert_string_equal(f->r.reason, "the module built no hello.ko (its "
			    "Kbuild must have obj-m := hello.o)");
}

/* The sandboxed build cannot read the secret or write /tmp: it fails with
 * cat's line; the unsandboxed control reads and writes both. */
static void a_makefile_cannot_reach_the_host(void **state)
{
	struct fixture *f = *state;
	char *mk = xasprintf("obj-m := hello.o\n"
			     "$(obj)/hello.o: $(obj)/steal\n"
			     "$(obj)/steal:\n"
			     "\t-echo pwned > %s\n"
			     "\tcat %s\n"
			     "\ttouch $@\n", f->pwned, f->secret);
	char *want = xasprintf("cat: %s: No such file or directory", f->secret);
	char *kbuild = xasprintf("%s/Kbuild", f->sub);
	char *log;

	unlink(kbuild);
	unlink(f->pwned);
	put(f, "Makefile", mk);
	assert_int_equal(build(f), 0);
	assert_false(f->r.ok);
	assert_string_equal(f->r.reason, want);
	log = read_log(f);
	assert_null(strstr(log, "labkit-secret-42"));
	assert_non_null(strstr(log, "Read-only file system"));
	assert_false(access(f->pwned, F_OK) == 0);
	free(log);

	f->o.unsandboxed = true;
	assert_int_equal(build(f), 0);
	log = read_log(f);
	assert_non_null(strstr(log, "labkit-secret-42"));
	assert_true(access(f->pwned, F_OK) == 0);
	free(log);
	free(kbuild);
	free(want);
	free(mk);
}

/* A hello.ko the build made a link to a host file is no module. */
static void a_ko_link_is_no_module(void **state)
{
	struct fixture *f = *state;

	put(f, "other.c", hello_c);
	put(f, "Kbuild", "obj-m := other.o\n"
			 "$(obj)/other.o: $(obj)/link\n"
			 "$(obj)/link:\n"
			 "\tln -sf /etc/hostname $(obj)/hello.ko\n"
			 "\ttouch $@\n");
	assert_int_equal(build(f), 0);
	assert_false(f->r.ok);
	assert_null(f->r.ko);
	assert_string_equal(f->r.reason, "the module built no hello.ko (its "
			    "Kbuild must have obj-m := hello.o)");
}

static void a_build_past_its_deadline_says_so(void **state)
{
	struct fixture *f = *state;

	put(f, "Kbuild", "obj-m := hello.o\n$(shell sleep 100)\n");
	f->o.timeout = 2;
	assert_int_equal(build(f), 0);
	assert_false(f->r.ok);
	assert_string_equal(f->r.reason, "did not finish in 2 s");
	assert_int_equal(f->r.status, -2);
	assert_true(f->r.seconds < 10);
}

static void links_and_fifos_are_not_copied(void **state)
{
	struct fixture *f = *state;
	char *link = xasprintf("%s/leak.txt", f->sub);
	char *fifo = xasprintf("%s/fifo", f->sub);
	char *copied = xasprintf("%s/leak.txt", f->build);
	char *log;
	struct stat st;

	assert_int_equal(symlink(f->secret, link), 0);
	assert_int_equal(mkfifo(fifo, 0644), 0);
	assert_int_equal(build(f), 0);
	assert_true(f->r.ok);
	assert_int_equal(lstat(copied, &st), -1);
	log = read_log(f);
	assert_non_null(strstr(log, "labkit: not copied: leak.txt (a symbolic link)\n"));
	assert_non_null(strstr(log, "labkit: not copied: fifo (a fifo)\n"));
	assert_null(strstr(log, "labkit-secret-42"));
	free(log);
	free(copied);
	free(fifo);
	free(link);
}

static void no_makefile_is_said(void **state)
{
	struct fixture *f = *state;
	char *path = xasprintf("%s/Kbuild", f->sub);
	char *want = xasprintf("no Makefile or Kbuild in %s", f->sub);

	unlink(path);
	assert_int_equal(build(f), 0);
	assert_false(f->r.ok);
	assert_string_equal(f->r.reason, want);
	free(want);
	free(path);
}

static void caps_stop_the_copy(void **state)
{
	struct fixture *f = *state;

	f->o.max_files = 1;
	assert_int_equal(build(f), 0);
	assert_false(f->r.ok);
	assert_string_equal(f->r.reason, "the submission has more than 1 files");
	f->o.max_files = 0;
	f->o.max_bytes = 100;
	assert_int_equal(build(f), 0);
	assert_false(f->r.ok);
	assert_string_equal(f->r.reason, "the submission is larger than 100 bytes");
}

static void the_build_dir_cannot_hold_the_submission(void **state)
{
	struct fixture *f = *state;
	char *inside = xasprintf("%s/build", f->sub);
	char *hello = xasprintf("%s/hello.c", f->sub);
	char *precious = xasprintf("%s/precious", f->build);

	f->o.dir = f->base;
	assert_int_equal(build(f), -1);
	f->o.dir = inside;
	assert_int_equal(build(f), -1);
	assert_int_equal(access(hello, F_OK), 0);
	f->o.dir = f->build;
	f->o.name = "../x";
	assert_int_equal(build(f), -1);
	f->o.name = "hello";
	assert_int_equal(fs_mkdirs(f->build, 0755), 0);
	assert_int_equal(fs_write_atomic(precious, "", 0), 0);
	assert_int_equal(build(f), -1);         /* not a build dir of ours */
	assert_int_equal(access(precious, F_OK), 0);
	unlink(precious);
	assert_int_equal(build(f), 0);
	assert_true(f->r.ok);
	assert_int_equal(build(f), 0);          /* a build dir of ours */
	assert_true(f->r.ok);
	free(precious);
	free(hello);
	free(inside);
}

static const char provider_c[] =
	"#include <linux/module.h>\n"
	"MODULE_LICENSE(\"GPL\");\n"
	"int klab_calls(void);\n"
	"int klab_calls(void)\n"
	"{\n"
	"\treturn 42;\n"
	"}\n"
	"EXPORT_SYMBOL(klab_calls);\n";

static const char consumer_c[] =
	"#include <linux/init.h>\n"
	"#include <linux/module.h>\n"
	"MODULE_LICENSE(\"GPL\");\n"
	"int klab_calls(void);\n"
	"static int __init cons_init(void)\n"
	"{\n"
	"\treturn klab_calls() == 42 ? 0 : -EINVAL;\n"
	"}\n"
	"module_init(cons_init);\n";

/* <base>/sub/<name>/ with <name>.c and its Kbuild (and `more` in it). */
static char *submission(const struct fixture *f, const char *name,
			const char *c, const char *more)
{
	char *dir = xasprintf("%s/sub/%s", f->base, name);
	char *file = xasprintf("%s/%s.c", dir, name);
	char *kbuild = xasprintf("%s/Kbuild", dir);
	char *text = xasprintf("obj-m := %s.o\n%s", name, more);

	assert_int_equal(fs_mkdirs(dir, 0755), 0);
	assert_int_equal(fs_write_atomic(file, c, strlen(c)), 0);
	assert_int_equal(fs_write_atomic(kbuild, text, strlen(text)), 0);
	free(text);
	free(kbuild);
	free(file);
	return dir;
}

/* A module that calls another's export links only with that one's
 * Module.symvers (modpost's line otherwise), which its sandbox can read
 * but not write; one that is a link is refused. */
static void a_module_uses_anothers_symbols(void **state)
{
	struct fixture *f = *state;
	char *pdir = xasprintf("%s/build-prov", f->base);
	char *symvers = xasprintf("%s/Module.symvers", pdir);
	char *pwned = xasprintf("%s/pwned", pdir);
	char *more = xasprintf("$(shell touch %s)\n", pwned);
	char *psrc = submission(f, "prov", provider_c, "");
	char *csrc = submission(f, "cons", consumer_c, more);
	const char *uses[] = { symvers, NULL };
	struct modbuild_opts po = { .src = psrc, .dir = pdir, .name = "prov",
				    .headers = headers };
	char *ko;
	size_t len;

	assert_int_equal(modbuild_build(&po, &f->r), 0);
	assert_true(f->r.ok);
	f->o = (struct modbuild_opts){ .src = csrc, .name = "cons",
				       .dir = f->build, .headers = headers };
	assert_int_equal(build(f), 0);
	assert_false(f->r.ok);
	assert_string_equal(f->r.reason,
			    "ERROR: modpost: \"klab_calls\" [cons.ko] undefined!");
	f->o.symvers = uses;
	assert_int_equal(build(f), 0);
	assert_true(f->r.ok);
	assert_int_equal(fs_read_file(f->r.ko, &ko, &len), 0);
	assert_non_null(memmem(ko, len, "depends=prov", 13));
	assert_int_equal(access(pwned, F_OK), -1);
	free(ko);
	assert_int_equal(unlink(symvers), 0);
	assert_int_equal(symlink("/etc/hostname", symvers), 0);
	assert_int_equal(build(f), -1);
	free(csrc);
	free(psrc);
	free(more);
	free(pwned);
	free(symvers);
	free(pdir);
}

/* The newest /usr/src/linux-headers-*-amd64 with a Makefile, or NULL. */
static char *find_headers(void)
{
	glob_t g;
	char *found = NULL;

	if (glob("/usr/src/linux-headers-*-amd64", 0, NULL, &g) != 0)
		return NULL;
	for (size_t i = g.gl_pathc; i-- > 0 && !found;) {
		char *mk = xasprintf("%s/Makefile", g.gl_pathv[i]);

		if (access(mk, R_OK) == 0)
			found = xstrdup(g.gl_pathv[i]);
		free(mk);
	}
	globfree(&g);
	return found;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_good_module_gives_its_ko, setup, teardown),
		cmocka_unit_test_setup_teardown(a_syntax_error_gives_the_compiler_line, setup, teardown),
		cmocka_unit_test_setup_teardown(another_object_gives_the_missing_ko, setup, teardown),
		cmocka_unit_test_setup_teardown(a_makefile_cannot_reach_the_host, setup, teardown),
		cmocka_unit_test_setup_teardown(a_ko_link_is_no_module, setup, teardown),
		cmocka_unit_test_setup_teardown(a_build_past_its_deadline_says_so, setup, teardown),
		cmocka_unit_test_setup_teardown(links_and_fifos_are_not_copied, setup, teardown),
		cmocka_unit_test_setup_teardown(no_makefile_is_said, setup, teardown),
		cmocka_unit_test_setup_teardown(caps_stop_the_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(the_build_dir_cannot_hold_the_submission, setup, teardown),
		cmocka_unit_test_setup_teardown(a_module_uses_anothers_symbols, setup, teardown),
	};
	char *why = NULL;
	int rc;

	proc_catch_signals();
	if (!(headers = find_headers())) {
		printf("test_modbuild: no /usr/src/linux-headers-*-amd64, skipped\n");
		return EXIT_SKIP;
	}
	if (sandbox_probe(&why) < 0) {
		printf("test_modbuild: no sandbox here, skipped: %s\n", why);
		free(why);
		free(headers);
		return EXIT_SKIP;
	}
	rc = cmocka_run_group_tests_name("modbuild", tests, NULL, NULL);
	free(headers);
	return rc;
}
