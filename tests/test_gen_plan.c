/* test_gen_plan.c — a build tree's grading plan (tools/lib/gen/gen_plan.c):
 * from a spec and the configure's facts (configured.yaml), the options
 * each exercise's run gets there, as labkit_exercise() in
 * cmake/LabKit.cmake gives them, byte for byte what CMake wrote before;
 * loaded by grade/plan.c; written only when it changes; a missing or
 * foreign configured.yaml refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "events.h"
#include "gen.h"
#include "plan.h"
#include "spec.h"
#include "util.h"

static const char spec_text[] =
	"labkit: 1\n"
	"lab: {id: demo, title: \"A lab\"}\n"
	"kernels:\n"
	"  src: {arch: x86_64, from: source, config: defconfig}\n"
	"  deb: {arch: x86_64, from: debian-package}\n"
	"  uml: {arch: um, from: source, config: defconfig, prebuilt: uml-package}\n"
	"modules:\n"
	"  hello: {path: modules/hello, kernel: deb}\n"
	"  user: {path: modules/user, kernel: deb, uses: [hello]}\n"
	"  own: {path: modules/own, kernel: src}\n"
	"rootfs:\n"
	"  bb: {modules: [hello, user, own]}\n"
	"exercises:\n"
	"  - id: \"1\"\n"
	"    title: Build and boot\n"
	"    kernel: src\n"
	"    modules: [own]\n"
	"    guest: {kernel: src, rootfs: bb, boot: disk, use: installed, timeout: 90}\n"
	"    steps:\n"
	"      - {id: \"1.1\", kind: build, stage: build, question: q, run: make,"
	" expect: [exit: 0]}\n"
	"      - {id: \"1.2\", kind: guest, question: q, run: uname -r,"
	" expect: [exit: 0]}\n"
	"  - id: \"2\"\n"
	"    title: Modules\n"
	"    modules: [hello, user]\n"
	"    guest: {kernel: deb, rootfs: bb, boot: initramfs, timeout: 60}\n"
	"    steps:\n"
	"      - {id: \"2.1\", kind: guest, question: q, run: lsmod,"
	" expect: [exit: 0]}\n"
	"      - {id: \"2.2\", kind: lxr, question: q, run: labkit xref def x,"
	" expect: [exit: 0]}\n"
	"  - id: \"3\"\n"
	"    title: UML\n"
	"    kernel: uml\n"
	"    guest: {kernel: uml, rootfs: bb, boot: initramfs, timeout: 60}\n"
	"    steps:\n"
	"      - {id: \"3.1\", kind: build, stage: build, question: q, run: make,"
	" expect: [exit: 0]}\n"
	"      - {id: \"3.2\", kind: guest, question: q, run: uname -r,"
	" expect: [exit: 0]}\n"
	"  - id: \"4\"\n"
	"    title: Host\n"
	"    steps:\n"
	"      - {id: \"4.1\", kind: host, question: q, run: \"true\","
	" expect: [exit: 0]}\n";

/* LABKIT_KERNELS=quick: src built here, Debian's kernel unpacked, UML's
 * package for the uml kernel; no kernel source to index. */
static const char quick[] =
	"labkit-configured: 1\n"
	"accel: \"auto\"\n"
	"saved: true\n"
	"no-xref: [\"no-xref-source\", \"path=/usr/src/linux-source-*.tar.xz\"]\n"
	"kernels:\n"
	"  - id: \"src\"\n"
	"    source: true\n"
	"    dir: \"@/labkit/demo/kernels/src\"\n"
	"    headers: \"@/labkit/demo/kernels/src\"\n"
	"    missing: []\n"
	"    no-build: []\n"
	"  - id: \"deb\"\n"
	"    source: false\n"
	"    dir: \"@/labkit/debian/6.1.0-9-amd64\"\n"
	"    headers: \"/usr/src/linux-headers-6.1.0-9-amd64\"\n"
	"    missing: []\n"
	"    no-build: []\n"
	"  - id: \"uml\"\n"
	"    source: false\n"
	"    dir: \"@/labkit/uml-package\"\n"
	"    headers: \"\"\n"
	"    missing: []\n"
	"    no-build: [\"kernel-prebuilt\", \"kernel=uml\", \"kernels=quick\", \"prebuilt=uml-package\"]\n";

/* What labkit_exercise() gave `labkit run` for it (@: the build tree). */
static const char quick_plan[] =
	"labkit-grade-plan: 1\n"
	"lab: demo\n"
	"spec: \"%s\"\n"
	"exercises:\n"
	"  - id: \"1\"\n"
	"    run:\n"
	"      accel: \"auto\"\n"
	"      accel-cache: \"@/accel-probe.txt\"\n"
	"      build-results: \"@/labkit/demo/kernels/src/build-results-1.yaml\"\n"
	"      kernel-dir: \"@/labkit/demo/kernels/src.stage/boot\"\n"
	"      rootfs-dir: \"@/labkit/demo/rootfs/bb-src\"\n"
	"    modules:\n"
	"      - id: \"own\"\n"
	"        headers: \"@/labkit/demo/kernels/src\"\n"
	"        ko: \"@/labkit/demo/modules/own/own.ko\"\n"
	"        arch: \"x86_64\"\n"
	"  - id: \"2\"\n"
	"    run:\n"
	"      accel: \"auto\"\n"
	"      accel-cache: \"@/accel-probe.txt\"\n"
	"      no-xref: \"no-xref-source\"\n"
	"      kernel-dir: \"@/labkit/debian/6.1.0-9-amd64\"\n"
	"      rootfs-dir: \"@/labkit/demo/rootfs/bb\"\n"
	"      saved: \"@/demo/.saved/2\"\n"
	"      no-xref-arg: [\"path=/usr/src/linux-source-*.tar.xz\"]\n"
	"    modules:\n"
	"      - id: \"hello\"\n"
	"        headers: \"/usr/src/linux-headers-6.1.0-9-amd64\"\n"
	"        ko: \"@/labkit/demo/modules/hello/hello.ko\"\n"
	"        arch: \"x86_64\"\n"
	"      - id: \"user\"\n"
	"        headers: \"/usr/src/linux-headers-6.1.0-9-amd64\"\n"
	"        ko: \"@/labkit/demo/modules/user/user.ko\"\n"
	"        arch: \"x86_64\"\n"
	"        uses: [\"hello\"]\n"
	"  - id: \"3\"\n"
	"    run:\n"
	"      accel: \"auto\"\n"
	"      accel-cache: \"@/accel-probe.txt\"\n"
	"      no-build: \"kernel-prebuilt\"\n"
	"      kernel-dir: \"@/labkit/uml-package\"\n"
	"      rootfs-dir: \"@/labkit/demo/rootfs/bb\"\n"
	"      no-build-arg: [\"kernel=uml\", \"kernels=quick\", \"prebuilt=uml-package\"]\n"
	"  - id: \"4\"\n"
	"    run:\n"
	"      accel: \"auto\"\n"
	"      accel-cache: \"@/accel-probe.txt\"\n";

/* LABKIT_KERNELS=prebuilt, LABKIT_SAVED=OFF, no Debian package: no
 * guest boots src or deb; no headers, so no module is built. */
static const char prebuilt[] =
	"labkit-configured: 1\n"
	"accel: \"tcg\"\n"
	"saved: false\n"
	"no-xref: []\n"
	"kernels:\n"
	"  - id: \"src\"\n"
	"    source: false\n"
	"    dir: \"\"\n"
	"    headers: \"\"\n"
	"    missing: [\"kernel-not-built\", \"kernel=src\", \"kernels=prebuilt\"]\n"
	"    no-build: [\"kernel-not-built\", \"kernel=src\", \"kernels=prebuilt\"]\n"
	"  - id: \"deb\"\n"
	"    source: false\n"
	"    dir: \"\"\n"
	"    headers: \"\"\n"
	"    missing: [\"no-debian-kernel\", \"kernel=deb\", \"dir=/var/cache/labkit\", \"log=no \\\"network\\\"\"]\n"
	"    no-build: []\n"
	"  - id: \"uml\"\n"
	"    source: false\n"
	"    dir: \"@/labkit/uml-package\"\n"
	"    headers: \"\"\n"
	"    missing: []\n"
	"    no-build: [\"kernel-prebuilt\", \"kernel=uml\", \"kernels=prebuilt\", \"prebuilt=uml-package\"]\n";

static const char prebuilt_plan[] =
	"labkit-grade-plan: 1\n"
	"lab: demo\n"
	"spec: \"%s\"\n"
	"exercises:\n"
	"  - id: \"1\"\n"
	"    run:\n"
	"      accel: \"tcg\"\n"
	"      accel-cache: \"@/accel-probe.txt\"\n"
	"      no-build: \"kernel-not-built\"\n"
	"      no-guest: \"kernel-not-built\"\n"
	"      no-build-arg: [\"kernel=src\", \"kernels=prebuilt\"]\n"
	"      no-guest-arg: [\"kernel=src\", \"kernels=prebuilt\"]\n"
	"  - id: \"2\"\n"
	"    run:\n"
	"      accel: \"tcg\"\n"
	"      accel-cache: \"@/accel-probe.txt\"\n"
	"      xref-index: \"@/xref/index\"\n"
	"      no-guest: \"no-debian-kernel\"\n"
	"      no-guest-arg: [\"kernel=deb\", \"dir=/var/cache/labkit\", \"log=no \\\"network\\\"\"]\n"
	"  - id: \"3\"\n"
	"    run:\n"
	"      accel: \"tcg\"\n"
	"      accel-cache: \"@/accel-probe.txt\"\n"
	"      no-build: \"kernel-prebuilt\"\n"
	"      kernel-dir: \"@/labkit/uml-package\"\n"
	"      rootfs-dir: \"@/labkit/demo/rootfs/bb\"\n"
	"      no-build-arg: [\"kernel=uml\", \"kernels=prebuilt\", \"prebuilt=uml-package\"]\n"
	"  - id: \"4\"\n"
	"    run:\n"
	"      accel: \"tcg\"\n"
	"      accel-cache: \"@/accel-probe.txt\"\n";

struct fixture {
	char *dir;               /* the lab */
	char *build;             /* its build tree */
	struct spec *spec;
};

/* `text` with each '@' the build tree, and each "%s" the spec. */
/* '@' as the build tree, '%s' as the spec; in a YAML double-quoted
 * scalar (`yaml`) the build tree escaped as CMake's _labkit_yaml_quote
 * escapes it. */
static char *fill_as(const struct fixture *f, const char *text, bool yaml)
{
	struct sb sb;

	sb_init(&sb);
	for (const char *p = text; *p; p++) {
		if (*p != '@' && !(p[0] == '%' && p[1] == 's')) {
			sb_addc(&sb, *p);
			continue;
		}
		if (*p == '%') {
			sb_adds(&sb, f->spec->file);
			p++;
			continue;
		}
		for (const char *b = f->build; *b; b++) {
			if (!yaml || !strchr("\"\\\t\n", *b))
				sb_addc(&sb, *b);
			else
				sb_adds(&sb, *b == '\t' ? "\\t" : *b == '\n' ? "\\n" :
					    *b == '"' ? "\\\"" : "\\\\");
		}
	}
	return sb_detach(&sb, NULL);
}

static char *fill(const struct fixture *f, const char *text)
{
	return fill_as(f, text, false);
}

static void put(const char *path, const char *text)
{
	char *dir = xstrdup(path);

	*strrchr(dir, '/') = '\0';
	assert_int_equal(fs_mkdirs(dir, 0755), 0);
	assert_int_equal(fs_write_atomic(path, text, strlen(text)), 0);
	free(dir);
}

/* The build tree's configured.yaml, '@' filled in. */
static void configure(const struct fixture *f, const char *text)
{
	char *path = xasprintf("%s/labkit/demo/configured.yaml", f->build);
	char *filled = fill_as(f, text, true);

	put(path, filled);
	free(filled);
	free(path);
}

static int setup(void **state)
{
	char tmpl[] = "/tmp/labkit-gen-plan-XXXXXX";
	struct fixture *f = xcalloc(1, sizeof(*f));
	char *path;

	assert_non_null(mkdtemp(tmpl));
	f->dir = xstrdup(tmpl);
	f->build = xasprintf("%s/build", f->dir);
	for (const char *const *m = (const char *const[]){ "hello", "user", "own", NULL };
	     *m; m++) {
		char *kbuild = xasprintf("%s/modules/%s/Kbuild", f->dir, *m);
		char *text = xasprintf("obj-m := %s.o\n", *m);

		put(kbuild, text);
		free(text);
		free(kbuild);
	}
	path = xasprintf("%s/labs.yaml", f->dir);
	put(path, spec_text);
	f->spec = spec_load(path);
	free(path);
	if (!f->spec)
		fail_msg("the spec does not load: %s", events_last_error());
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	spec_free(f->spec);
	fs_remove_tree(f->dir);
	free(f->build);
	free(f->dir);
	free(f);
	return 0;
}

static void assert_plan(const struct fixture *f, const char *facts,
			const char *want)
{
	char *expected = fill(f, want);
	struct sb out;

	configure(f, facts);
	sb_init(&out);
	assert_int_equal(gen_plan(f->spec, f->build, &out), 0);
	assert_string_equal(out.buf, expected);
	sb_release(&out);
	free(expected);
}

/* Kernels built here, packaged, and one stood in for; a saved guest;
 * modules with their headers and `uses`; no index. */
static void quick_tree(void **state)
{
	assert_plan(*state, quick, quick_plan);
}

/* Reasons: their codes among the options, their arguments after them
 * all, in the order no-build, no-xref, no-guest; no module without
 * headers; no saved guest with LABKIT_SAVED off. */
static void prebuilt_tree(void **state)
{
	assert_plan(*state, prebuilt, prebuilt_plan);
}

/* grade/plan.c reads what it writes. */
static void plan_loads(void **state)
{
	struct fixture *f = *state;
	char *path = xasprintf("%s/labkit/demo/grade-plan.yaml", f->build);
	const struct plan_exercise *e;
	struct plan p;

	configure(f, quick);
	assert_int_equal(gen_plan_file(f->spec, f->build), 0);
	assert_int_equal(plan_load(&p, path), 0);
	assert_string_equal(p.spec, f->spec->file);
	assert_int_equal(p.nexercises, 4);
	e = plan_exercise(&p, "2");
	assert_non_null(e);
	assert_int_equal(e->nmodules, 2);
	assert_string_equal(e->modules[1].uses[0], "hello");
	assert_non_null(strstr(e->saved_dir, "/demo/.saved/2"));
	assert_int_equal(e->no_xref.code, REASON_NO_XREF_SOURCE);
	e = plan_exercise(&p, "3");
	assert_int_equal(e->no_build.code, REASON_KERNEL_PREBUILT);
	plan_free(&p);
	free(path);
}

/* A build tree whose path has a quote, a backslash, a tab and a newline:
 * the plan reads back the same paths (escaped, not folded). */
static void odd_paths_load(void **state)
{
	struct fixture *f = *state;
	const char *odd = "/b\"u\\i\tl\nd";
	char *want = xasprintf("%s%s/demo/.saved/2", f->dir, odd);
	char *path;
	const struct plan_exercise *e;
	struct plan p;

	free(f->build);
	f->build = xasprintf("%s%s", f->dir, odd);
	path = xasprintf("%s/labkit/demo/grade-plan.yaml", f->build);
	configure(f, quick);
	assert_int_equal(gen_plan_file(f->spec, f->build), 0);
	assert_int_equal(plan_load(&p, path), 0);
	e = plan_exercise(&p, "2");
	assert_non_null(e);
	assert_string_equal(e->saved_dir, want);
	plan_free(&p);
	free(path);
	free(want);
}

/* Written again only when it changes: the same file otherwise. */
static void written_when_changed(void **state)
{
	struct fixture *f = *state;
	char *path = xasprintf("%s/labkit/demo/grade-plan.yaml", f->build);
	struct stat a, b;

	configure(f, quick);
	assert_int_equal(gen_plan_file(f->spec, f->build), 0);
	assert_int_equal(stat(path, &a), 0);
	assert_int_equal(gen_plan_file(f->spec, f->build), 0);
	assert_int_equal(stat(path, &b), 0);
	assert_int_equal(a.st_ino, b.st_ino);
	configure(f, prebuilt);
	assert_int_equal(gen_plan_file(f->spec, f->build), 0);
	assert_int_equal(stat(path, &b), 0);
	assert_int_not_equal(a.st_ino, b.st_ino);
	free(path);
}

/* No configured.yaml, another format, a kernel it lacks: an error naming
 * the file, and no plan. */
static void configured_refused(void **state)
{
	struct fixture *f = *state;
	char *plan = xasprintf("%s/labkit/demo/grade-plan.yaml", f->build);
	struct sb out;

	sb_init(&out);
	assert_int_equal(gen_plan_file(f->spec, f->build), -1);
	assert_non_null(strstr(events_last_error(), "configure it again"));
	configure(f, "labkit-configured: 2\naccel: auto\nsaved: true\nkernels: []\n");
	assert_int_equal(gen_plan(f->spec, f->build, &out), -1);
	assert_non_null(strstr(events_last_error(), "configured.yaml:1:20: not what this labkit"));
	configure(f, "labkit-configured: 1\naccel: auto\nsaved: true\nkernels: []\n");
	assert_int_equal(gen_plan(f->spec, f->build, &out), -1);
	assert_non_null(strstr(events_last_error(), "no kernel 'src'"));
	assert_int_equal(access(plan, F_OK), -1);
	sb_release(&out);
	free(plan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(quick_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(prebuilt_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(plan_loads, setup, teardown),
		cmocka_unit_test_setup_teardown(odd_paths_load, setup, teardown),
		cmocka_unit_test_setup_teardown(written_when_changed, setup, teardown),
		cmocka_unit_test_setup_teardown(configured_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
