/* test_gen.c — the CMake a spec turns into: a small spec written to a
 * temporary directory, loaded, generated, and the text checked. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "events.h"
#include "gen.h"
#include "spec.h"
#include "util.h"

static const char small_spec[] =
	"labkit: 1\n"
	"lab: {id: demo, title: \"A small lab\"}\n"
	"variables:\n"
	"  name: Jan\n"
	"  host: box\n"
	"kernels:\n"
	"  src:\n"
	"    arch: x86_64\n"
	"    from: source\n"
	"    config: defconfig\n"
	"    localversion: -${name}\n"
	"    fragments: [a.config, \"b c.config\"]\n"
	"    trimmed: tinyconfig\n"
	"  deb: {arch: x86_64, from: debian-package}\n"
	"  uml: {arch: um, from: source, config: defconfig, prebuilt: uml-package, debug: true}\n"
	"modules:\n"
	"  user: {path: modules/user, kernel: deb, uses: [bye, hello]}\n"
	"  hello: {path: modules/hello, kernel: deb}\n"
	"  bye: {path: modules/bye, kernel: deb}\n"
	"rootfs:\n"
	"  bb:\n"
	"    hostname: \"${host}-${lab.id}\"\n"
	"    modules: [hello, bye]\n"
	"    programs:\n"
	"      - source: [p/a.c, p/b.c]\n"
	"        to: /usr/bin/a\n"
	"        cflags: [-O2, '-DX=\"y;$z\"']\n"
	"      - {source: p/a.c, to: /sbin/tool}\n"
	"    files:\n"
	"      - {source: p/motd, to: /etc/motd, mode: \"0600\"}\n"
	"      - {source: /etc/passwd, to: /etc/host-passwd}\n"
	"  plain: {}\n"
	"exercises:\n"
	"  - id: \"1\"\n"
	"    title: Build\n"
	"    kernel: src\n"
	"    modules: [hello, bye]\n"
	"    guest: {kernel: src, rootfs: bb, boot: disk, use: installed,"
	" timeout: 90}\n"
	"    steps:\n"
	"      - {id: \"1.1\", kind: build, question: q, run: make help,"
	" expect: [exit: 0]}\n"
	"      - {id: \"1.2\", kind: build, stage: build, question: q,"
	" run: make, expect: [exit: 0]}\n"
	"      - {id: \"1.3\", kind: guest, question: q, run: uname -r,"
	" expect: [exit: 0]}\n"
	"      - {id: \"1.4\", kind: host, question: q, run: \"true\","
	" expect: [exit: 0]}\n"
	"  - id: \"2\"\n"
	"    title: Module\n"
	"    module: hello\n"
	"    guest: {kernel: uml, rootfs: bb, boot: initramfs, timeout: 2.5}\n"
	"    steps:\n"
	"      - {id: \"2.1\", kind: guest, question: q, run: lsmod,"
	" expect: [exit: 0]}\n"
	"      - {id: \"2.2\", kind: lxr, question: q, run: labkit xref def x,"
	" expect: [exit: 0]}\n"
	"  - id: \"3\"\n"
	"    title: Host only\n"
	"    steps:\n"
	"      - {id: \"3.1\", kind: host, question: q,"
	" run: \"echo 'a;b' \\\"$HOME\\\"\", expect: [exit: 0]}\n";

/* A path of the build tree as the generator writes it. */
#define B "\"${CMAKE_BINARY_DIR}/"

struct fixture {
	char *dir;
	char *path;              /* the spec */
	struct spec *spec;
	char *cmake;             /* what gen_cmake() made of it */
};

/* A file of the spec's directory, and the directories it needs. */
static void put(const struct fixture *f, const char *dir, const char *file,
		const char *text)
{
	char *path = xasprintf("%s/%s", f->dir, dir);

	assert_int_equal(fs_mkdirs(path, 0755), 0);
	free(path);
	path = xasprintf("%s/%s/%s", f->dir, dir, file);
	assert_int_equal(fs_write_atomic(path, text, strlen(text)), 0);
	free(path);
}

static int setup(void **state)
{
	char tmpl[] = "/tmp/labkit-gen-XXXXXX";
	struct fixture *f = xcalloc(1, sizeof(*f));
	struct sb out;

	assert_non_null(mkdtemp(tmpl));
	f->dir = xstrdup(tmpl);
	f->path = xasprintf("%s/labs.yaml", f->dir);
	put(f, "modules/hello", "Kbuild", "obj-m := hello.o\n");
	put(f, "modules/bye", "Kbuild", "obj-m := bye.o\n");
	put(f, "modules/user", "Kbuild", "obj-m := user.o\n");
	put(f, "p", "a.c", "int main(void) { return 0; }\n");
	put(f, "p", "b.c", "\n");
	put(f, "p", "motd", "hello\n");
	assert_int_equal(fs_write_atomic(f->path, small_spec,
					 strlen(small_spec)), 0);
	f->spec = spec_load(f->path);
	if (!f->spec)
		fail_msg("the spec does not load: %s", events_last_error());
	sb_init(&out);
	gen_cmake(f->spec, &out);
	f->cmake = sb_detach(&out, NULL);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	spec_free(f->spec);
	fs_remove_tree(f->dir);
	free(f->cmake);
	free(f->path);
	free(f->dir);
	free(f);
	return 0;
}

/* The line of the generated text that starts with `start` (a call may
 * span lines: up to its closing parenthesis at a line's end). */
static char *call(const char *text, const char *start)
{
	const char *p = text, *end;

	while (p && strncmp(p, start, strlen(start))) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (!p)
		fail_msg("no line starting '%s' in:\n%s", start, text);
	end = strstr(p, ")\n");
	assert_non_null(end);
	return xstrndup(p, (size_t)(end + 1 - p));
}

#define assert_call(text, start, want)                                     \
	do {                                                               \
		char *got_ = call(text, start);                            \
		assert_string_equal(got_, want);                           \
		free(got_);                                                \
	} while (0)

static void header_and_lab(void **state)
{
	struct fixture *f = *state;
	char *head = xasprintf("# Generated by `labkit spec` from %s; do not edit.\n"
			       "labkit_lab(\"demo\" SPEC \"%s\")\n", f->path, f->path);

	assert_int_equal(strncmp(f->cmake, head, strlen(head)), 0);
	/* the lab ends once, last */
	assert_non_null(strstr(f->cmake, ")\nlabkit_lab_end()\n"));
	assert_string_equal(f->cmake + strlen(f->cmake) - strlen("labkit_lab_end()\n"),
			    "labkit_lab_end()\n");
	free(head);
}

/* The lab's directories and what labs share, layout.c's, in the build
 * tree. */
static void layout(void **state)
{
	struct fixture *f = *state;

	assert_call(f->cmake, "labkit_layout(",
		    "labkit_layout(\n"
		    "  WORK " B "labkit/demo\" RESULTS " B "demo\""
		    " CONFIGURED " B "labkit/demo/configured.yaml\"\n"
		    "  ACCEL_CACHE " B "accel-probe.txt\" XREF_INDEX " B "xref/index\""
		    " DEBIAN " B "labkit/debian\" UML_PACKAGE " B "labkit/uml-package\""
		    " DEBS " B "labkit/debs\" BUSYBOX " B "labkit/busybox\""
		    " SOURCE " B "src\" GRADE " B "grade\")");
}

/* Each guest kind the kernels are, once, from vm.c's row. */
static void arches(void **state)
{
	struct fixture *f = *state;
	const char *x86 = strstr(f->cmake, "labkit_arch(\"x86_64\"");

	assert_call(f->cmake, "labkit_arch(\"x86_64\"",
		    "labkit_arch(\"x86_64\" PACKAGED \"debian-package\""
		    " IMAGES \"vmlinux\" \"bzImage\" \"vmlinuz\")");
	assert_call(f->cmake, "labkit_arch(\"um\"",
		    "labkit_arch(\"um\" PACKAGED \"uml-package\""
		    " IMAGES \"vmlinux\" \"linux\")");
	assert_non_null(x86);
	assert_null(strstr(x86 + 1, "labkit_arch(\"x86_64\""));
	assert_true(x86 < strstr(f->cmake, "labkit_kernel("));
}

/* One call a kernel; the spec's variables filled in; absent fields left
 * out; where one built here is built and installed. */
static void kernels(void **state)
{
	struct fixture *f = *state;

	assert_call(f->cmake, "labkit_kernel(\"src\"",
		    "labkit_kernel(\"src\" ARCH \"x86_64\" FROM \"source\" CONFIG"
		    " \"defconfig\" LOCALVERSION \"-Jan\" TRIMMED \"tinyconfig\""
		    " FRAGMENTS \"a.config\" \"b c.config\"\n"
		    "  DIR " B "labkit/demo/kernels/src\""
		    " STAGE " B "labkit/demo/kernels/src.stage\")");
	assert_call(f->cmake, "labkit_kernel(\"deb\"",
		    "labkit_kernel(\"deb\" ARCH \"x86_64\" FROM \"debian-package\")");
	assert_call(f->cmake, "labkit_kernel(\"uml\"",
		    "labkit_kernel(\"uml\" ARCH \"um\" FROM \"source\" CONFIG"
		    " \"defconfig\" PREBUILT \"uml-package\" DEBUG\n"
		    "  DIR " B "labkit/demo/kernels/uml\""
		    " STAGE " B "labkit/demo/kernels/uml.stage\")");
}

static void modules_and_rootfs(void **state)
{
	struct fixture *f = *state;

	assert_call(f->cmake, "labkit_module(\"hello\"",
		    "labkit_module(\"hello\" PATH \"modules/hello\" KERNEL \"deb\"\n"
		    "  DIR " B "labkit/demo/modules/hello\""
		    " KO " B "labkit/demo/modules/hello/hello.ko\")");
	assert_call(f->cmake, "labkit_module(\"bye\"",
		    "labkit_module(\"bye\" PATH \"modules/bye\" KERNEL \"deb\"\n"
		    "  DIR " B "labkit/demo/modules/bye\""
		    " KO " B "labkit/demo/modules/bye/bye.ko\")");
	/* the modules whose Module.symvers its kbuild gets */
	assert_call(f->cmake, "labkit_module(\"user\"",
		    "labkit_module(\"user\" PATH \"modules/user\" KERNEL \"deb\""
		    " USES \"bye\" \"hello\"\n"
		    "  DIR " B "labkit/demo/modules/user\""
		    " KO " B "labkit/demo/modules/user/user.ko\")");
	assert_call(f->cmake, "labkit_rootfs(\"plain\"",
		    "labkit_rootfs(\"plain\" HOSTNAME \"labkit\""
		    " DIR " B "labkit/demo/rootfs/plain\")");
}

/* A root file system's programs and files: a group a line, with where
 * the spec declares it; sources as the spec gives them; no MODE when the
 * spec gives none; CFLAGS last. */
static void rootfs_programs_and_files(void **state)
{
	struct fixture *f = *state;

	/* ${lab.id} is the spec's too */
	assert_call(f->cmake, "labkit_rootfs(\"bb\"",
		    "labkit_rootfs(\"bb\" HOSTNAME \"box-demo\""
		    " DIR " B "labkit/demo/rootfs/bb\" MODULES \"hello\" \"bye\"\n"
		    "  PROGRAM \"/usr/bin/a\" AT \"25:9\" SOURCES \"p/a.c\" \"p/b.c\""
		    " CFLAGS \"-O2\" \"-DX=\\\"y\\;\\$z\\\"\"\n"
		    "  PROGRAM \"/sbin/tool\" AT \"28:9\" SOURCES \"p/a.c\"\n"
		    "  FILE \"/etc/motd\" AT \"30:9\" SOURCE \"p/motd\" MODE \"0600\"\n"
		    "  FILE \"/etc/host-passwd\" AT \"31:9\" SOURCE \"/etc/passwd\")");
}

/* An exercise: its kernel, its modules (and MODULE, the one
 * ${module.name} names, when it has one) and guest; BUILDS_KERNEL when a
 * step has a stage; XREF with an lxr step; its paths (its run's
 * directory and results, its kernel build's results, the root file
 * system for the kernel it installed); its steps and one label each (a
 * guest step's is its guest's kind: qemu, uml). */
static void exercises(void **state)
{
	struct fixture *f = *state;

	assert_call(f->cmake, "labkit_exercise(\"1\"",
		    "labkit_exercise(\"1\" KERNEL \"src\" MODULES \"hello\" \"bye\""
		    " GUEST_KERNEL \"src\""
		    " ROOTFS \"bb\" BOOT \"disk\" GUEST_DIR \".stage/boot\""
		    " TIMEOUT \"90\" BUILDS_KERNEL\n"
		    "  OUT " B "demo/1\" RESULTS " B "demo/1/results.yaml\""
		    " BUILD_RESULTS " B "labkit/demo/kernels/src/build-results-1.yaml\""
		    " GUEST_ROOTFS_DIR " B "labkit/demo/rootfs/bb-src\"\n"
		    "  STEPS \"1.1\" \"1.2\" \"1.3\" \"1.4\"\n"
		    "  LABELS \"build\" \"build\" \"qemu\" \"host\")");
	assert_call(f->cmake, "labkit_exercise(\"2\"",
		    "labkit_exercise(\"2\" MODULE \"hello\" MODULES \"hello\""
		    " GUEST_KERNEL \"uml\""
		    " ROOTFS \"bb\" BOOT \"initramfs\" TIMEOUT \"2.5\" XREF\n"
		    "  OUT " B "demo/2\" RESULTS " B "demo/2/results.yaml\"\n"
		    "  STEPS \"2.1\" \"2.2\"\n"
		    "  LABELS \"uml\" \"lxr\")");
	assert_call(f->cmake, "labkit_exercise(\"3\"",
		    "labkit_exercise(\"3\"\n"
		    "  OUT " B "demo/3\" RESULTS " B "demo/3/results.yaml\"\n"
		    "  STEPS \"3.1\"\n"
		    "  LABELS \"host\")");
}

/* A guest that starts from a saved one: the exercise that saves it, its
 * directory and the saving run's. */
static void saved_guest(void **state)
{
	struct fixture *f = *state;
	struct spec_exercise *ex = (struct spec_exercise *)spec_exercise(f->spec, "2");
	struct spec_guest *g = ex->guest;
	struct sb out;

	free(g->kernel);
	g->kernel = xstrdup("deb");
	sb_init(&out);
	gen_cmake(f->spec, &out);
	assert_call(out.buf, "labkit_exercise(\"2\"",
		    "labkit_exercise(\"2\" MODULE \"hello\" MODULES \"hello\""
		    " GUEST_KERNEL \"deb\""
		    " ROOTFS \"bb\" BOOT \"initramfs\" SAVED \"2\" TIMEOUT \"2.5\" XREF\n"
		    "  OUT " B "demo/2\" RESULTS " B "demo/2/results.yaml\""
		    " SAVED_DIR " B "demo/.saved/2\" SAVED_OUT " B "demo/.saved/2/boot\"\n"
		    "  STEPS \"2.1\" \"2.2\"\n"
		    "  LABELS \"qemu\" \"lxr\")");
	sb_release(&out);
}

/* Every call in the order of the spec: lab, kernels, modules, rootfs,
 * exercises, end; but a module after the modules it uses (its target
 * needs theirs), the others keeping the spec's order. */
static void order(void **state)
{
	struct fixture *f = *state;
	static const char *const seq[] = {
		"\nlabkit_lab(", "\nlabkit_layout(", "\nlabkit_arch(\"x86_64\"",
		"\nlabkit_arch(\"um\"", "\nlabkit_kernel(\"src\"", "\nlabkit_kernel(\"deb\"",
		"\nlabkit_kernel(\"uml\"", "\nlabkit_module(\"hello\"",
		"\nlabkit_module(\"bye\"", "\nlabkit_module(\"user\"",
		"\nlabkit_rootfs(\"bb\"", "\nlabkit_rootfs(\"plain\"",
		"\nlabkit_exercise(\"1\"", "\nlabkit_exercise(\"2\"",
		"\nlabkit_exercise(\"3\"", "\nlabkit_lab_end()",
	};
	const char *at = f->cmake;

	for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		const char *p = strstr(at, seq[i]);

		if (!p)
			fail_msg("'%s' missing or out of order", seq[i] + 1);
		at = p + 1;
	}
}

/* What CMake would read otherwise: quotes, backslashes, $ and ; escaped,
 * a newline as \n. */
static void quoting(void **state)
{
	struct fixture *f = *state;
	struct spec_kernel *k = (struct spec_kernel *)spec_kernel(f->spec, "deb");
	struct sb out;

	free(k->config);
	k->config = xstrdup("a\"b\\c$d;e\nf");
	sb_init(&out);
	gen_cmake(f->spec, &out);
	assert_non_null(strstr(out.buf, "labkit_kernel(\"deb\" ARCH \"x86_64\""
			       " FROM \"debian-package\" CONFIG \"a\\\"b\\\\c\\$d\\;e\\nf\")\n"));
	sb_release(&out);
}

/* An arm64 kernel and the root file system its guests boot: its arch's
 * row gives CMake its ARCH, cross compiler and Debian architecture, once
 * (labkit_arch()); the root file system its guests boot names that arch,
 * one no guest boots does not; the host's own kinds (the fixture's) get
 * none of these. */
static void cross_arch(void **state)
{
	static const char text[] =
		"labkit: 1\n"
		"lab: {id: arm}\n"
		"kernels:\n"
		"  a64: {arch: arm64, from: source, config: tinyconfig}\n"
		"rootfs:\n"
		"  bb: {hostname: arm}\n"
		"  unbooted: {}\n"
		"exercises:\n"
		"  - id: \"1\"\n"
		"    guest: {kernel: a64, rootfs: bb, boot: initramfs, timeout: 60}\n"
		"    steps:\n"
		"      - {id: \"1.1\", kind: guest, question: q, run: uname -m,"
		" expect: [match: '^aarch64$']}\n";
	struct fixture *f = *state;
	char *path = xasprintf("%s/arm.yaml", f->dir);
	struct spec *spec;
	struct sb out;

	assert_int_equal(fs_write_atomic(path, text, strlen(text)), 0);
	spec = spec_load(path);
	if (!spec)
		fail_msg("the spec does not load: %s", events_last_error());
	sb_init(&out);
	gen_cmake(spec, &out);
	assert_call(out.buf, "labkit_arch(\"arm64\"",
		    "labkit_arch(\"arm64\" IMAGES \"arch/arm64/boot/Image\" \"Image\" \"vmlinuz\""
		    " KBUILD_ARCH \"arm64\" CROSS_COMPILE \"aarch64-linux-gnu-\""
		    " DEB_ARCH \"arm64\")");
	assert_call(out.buf, "labkit_rootfs(\"bb\"",
		    "labkit_rootfs(\"bb\" HOSTNAME \"arm\""
		    " DIR " B "labkit/arm/rootfs/bb\" ARCH \"arm64\")");
	assert_call(out.buf, "labkit_rootfs(\"unbooted\"",
		    "labkit_rootfs(\"unbooted\" HOSTNAME \"labkit\""
		    " DIR " B "labkit/arm/rootfs/unbooted\")");
	assert_null(strstr(f->cmake, "CROSS_COMPILE"));
	assert_null(strstr(f->cmake, "DEB_ARCH"));
	/* no saved guest: neither its kind (has_saved) nor a kernel built here can be */
	assert_null(strstr(out.buf, "SAVED_DIR"));
	sb_release(&out);
	spec_free(spec);
	free(path);
}

/* The file is written whole; a directory that is not there is an error
 * naming the path, and leaves nothing. */
static void file_written_atomically(void **state)
{
	struct fixture *f = *state;
	char *path = xasprintf("%s/labs.cmake", f->dir);
	char *bad = xasprintf("%s/no/such/labs.cmake", f->dir);
	char *text;
	size_t len;

	assert_int_equal(gen_cmake_file(f->spec, path), 0);
	assert_int_equal(fs_read_file(path, &text, &len), 0);
	assert_string_equal(text, f->cmake);
	free(text);
	assert_int_equal(gen_cmake_file(f->spec, bad), -1);
	assert_non_null(strstr(events_last_error(), bad));
	assert_int_equal(access(bad, F_OK), -1);
	free(bad);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(header_and_lab, setup, teardown),
		cmocka_unit_test_setup_teardown(layout, setup, teardown),
		cmocka_unit_test_setup_teardown(arches, setup, teardown),
		cmocka_unit_test_setup_teardown(kernels, setup, teardown),
		cmocka_unit_test_setup_teardown(modules_and_rootfs, setup, teardown),
		cmocka_unit_test_setup_teardown(rootfs_programs_and_files, setup,
						teardown),
		cmocka_unit_test_setup_teardown(exercises, setup, teardown),
		cmocka_unit_test_setup_teardown(saved_guest, setup, teardown),
		cmocka_unit_test_setup_teardown(order, setup, teardown),
		cmocka_unit_test_setup_teardown(quoting, setup, teardown),
		cmocka_unit_test_setup_teardown(cross_arch, setup, teardown),
		cmocka_unit_test_setup_teardown(file_written_atomically, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
