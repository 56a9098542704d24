/*
 * test_spec.c — loading labs.yaml.
 *
 * The real spec (LABKIT_SOURCE_DIR/labs.yaml) must load and hold the Lab 2
 * sheet: every step 1.1 ... 5.6, their kinds, expectations and texts.
 * Every tests/data/spec/bad/NAME.yaml must fail with exactly the first
 * line of NAME.err on stderr (the directory stripped from the file name).
 * Specs made on the fly in a temporary directory cover a missing file,
 * the report of every problem, sorted, its cap at 20, and modules'
 * `uses`.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "events.h"
#include "expand.h"
#include "spec.h"
#include "util.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * LABKIT_SOURCE_DIR or LABKIT_TEST_DATA into buf, as ctest sets them; run
 * by hand, the same places found from this file's own path.
 */
static void env_dir(const char *name, char *buf, size_t size)
{
	const char *dir = getenv(name);
	const char *tests = strrchr(__FILE__, '/');

	if (dir && *dir) {
		snprintf(buf, size, "%s", dir);
		return;
	}
	if (__FILE__[0] != '/' || !tests) {
		fprintf(stderr, "%s is not set\n", name);
		fail();
	}
	snprintf(buf, size, "%.*s/%s", (int)(tests - __FILE__), __FILE__,
		 strcmp(name, "LABKIT_TEST_DATA") ? ".." : "data");
}

/* The messages as labkit's print.c writes them, one a line. */
static void collect(void *ctx, const struct event_msg *m)
{
	struct sb *err = ctx;

	events_format(m, err);
	sb_addc(err, '\n');
}

/* spec_load() with its messages caught; *err gets them. */
static struct spec *load_quietly(const char *path, char **err)
{
	struct sb sb;
	struct events ev = { .message = collect, .ctx = &sb };
	struct spec *spec;

	sb_init(&sb);
	events_set(&ev);
	spec = spec_load(path);
	events_set(NULL);
	*err = sb_detach(&sb, NULL);
	return spec;
}

static char *read_text(const char *path)
{
	char *data;
	size_t len;

	if (fs_read_file(path, &data, &len) < 0) {
		fprintf(stderr, "cannot read %s\n", path);
		fail();
	}
	return data;
}

/* Line `i` (0-based) of `text`, without its newline; caller frees. */
static char *line_of(const char *text, size_t i)
{
	const char *end;

	for (; i > 0 && text; i--) {
		text = strchr(text, '\n');
		if (text)
			text++;
	}
	if (!text)
		return strdup("");
	end = strchr(text, '\n');
	return strndup(text, end ? (size_t)(end - text) : strlen(text));
}

/* ---- the real labs.yaml ---- */

static int load_real(void **state)
{
	char dir[4096], path[4200];
	struct spec *spec;

	env_dir("LABKIT_SOURCE_DIR", dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/labs.yaml", dir);
	spec = spec_load(path);
	if (!spec)
		return -1;
	*state = spec;
	return 0;
}

static int free_real(void **state)
{
	spec_free(*state);
	return 0;
}

static void test_real_header(void **state)
{
	const struct spec *spec = *state;
	char dir[4096];
	size_t i;

	env_dir("LABKIT_SOURCE_DIR", dir, sizeof(dir));
	assert_int_equal(spec->version, 1);
	assert_string_equal(spec->lab_id, "lab2");
	assert_string_equal(spec->dir, dir);
	assert_non_null(strstr(spec_text_get(&spec->lab_title, "en"),
			       "Lab 2"));
	assert_non_null(strstr(spec_text_get(&spec->lab_title, "pl"),
			       "Laboratorium 2"));
	/* no such language: English */
	assert_string_equal(spec_text_get(&spec->lab_title, "de"),
			    spec_text_get(&spec->lab_title, "en"));
	for (i = 0; i < spec->nvars; i++)
		if (!strcmp(spec->vars[i].name, "localversion"))
			break;
	assert_true(i < spec->nvars);
	assert_string_equal(spec->vars[i].value, "JanTrzeci");
}

static void test_real_machines(void **state)
{
	const struct spec *spec = *state;
	const struct spec_kernel *k;
	const struct spec_rootfs *r;
	const struct spec_module *m;

	assert_true(spec->nkernels >= 3);
	k = spec_kernel(spec, "debian");
	assert_non_null(k);
	assert_string_equal(k->from, "debian-package");
	k = spec_kernel(spec, "x86_64");
	assert_non_null(k);
	assert_string_equal(k->arch, "x86_64");
	assert_string_equal(k->from, "source");
	assert_string_equal(k->config, "defconfig");
	assert_string_equal(k->trimmed, "tinyconfig");
	assert_int_equal(k->nfragments, 1);
	assert_string_equal(k->fragments[0], "cmake/kconfig/x86_64-lab.config");
	assert_null(k->localversion); /* the lab's steps 2.4/2.5 set it */
	assert_string_equal(spec_kernel(spec, "um")->arch, "um");
	assert_null(spec_kernel(spec, "x86"));
	r = spec_rootfs(spec, "busybox");
	assert_non_null(r);
	assert_string_equal(r->hostname, "${hostname}");
	assert_int_equal(r->nmodules, 1);
	assert_string_equal(r->modules[0], "trivial");
	m = spec_module(spec, "trivial");
	assert_non_null(m);
	assert_string_equal(m->path, "modules/trivial");
	assert_string_equal(m->kernel, "debian");
}

static void test_real_steps(void **state)
{
	static const int per_exercise[] = { 7, 11, 5, 4, 7 };
	const struct spec *spec = *state;
	const struct spec_exercise *ex;
	size_t e, total = 0;
	char id[16];
	int i;

	assert_int_equal(spec->nexercises, 5);
	for (e = 0; e < 5; e++) {
		snprintf(id, sizeof(id), "%zu", e + 1);
		assert_non_null(spec_exercise(spec, id));
		assert_int_equal(spec->exercises[e].nsteps, per_exercise[e]);
		for (i = 1; i <= per_exercise[e]; i++) {
			snprintf(id, sizeof(id), "%zu.%d", e + 1, i);
			assert_non_null(spec_step(spec, id, &ex));
			assert_ptr_equal(ex, &spec->exercises[e]);
		}
		total += spec->exercises[e].nsteps;
	}
	assert_int_equal(total, 34);    /* 1.1 to 5.7, every item of the sheet */
	assert_null(spec_step(spec, "5.8", &ex));
	assert_null(ex);
	assert_null(spec_exercise(spec, "6"));
}

static void test_real_step_3_3(void **state)
{
	const struct spec *spec = *state;
	const struct spec_exercise *ex;
	const struct spec_step *st = spec_step(spec, "3.3", &ex);
	char *text, *line;

	assert_non_null(st);
	assert_int_equal(st->kind, STEP_GUEST);
	assert_string_equal(st->run, "dmesg | tail -n 20");
	assert_int_equal(st->nexpect, 2);
	assert_int_equal(st->expect[0].kind, SPEC_EXPECT_MATCH);
	assert_int_equal(st->expect[0].npatterns, 1);
	assert_string_equal(st->expect[0].patterns[0],
			    "Hello world! I'ma a trivial module!");
	assert_int_equal(st->expect[1].kind, SPEC_EXPECT_ABSENT);
	assert_null(st->skip);
	assert_true(st->timeout == 0);
	assert_non_null(strstr(spec_text_get(&st->question, "en"), "dmesg"));
	assert_non_null(strstr(spec_text_get(&st->answer, "pl"), "dmesg"));
	/* the pattern's recorded place is its opening quote */
	text = read_text(spec->file);
	line = line_of(text, (size_t)st->expect[0].ppos[0].line - 1);
	assert_string_equal(line + st->expect[0].ppos[0].col - 1,
			    "\"Hello world! I'ma a trivial module!\"");
	free(line);
	free(text);
	/* its exercise boots a guest and has a module */
	assert_string_equal(ex->id, "3");
	assert_string_equal(ex->module, "trivial");
	assert_non_null(ex->guest);
	assert_string_equal(ex->guest->kernel, "debian");
	assert_string_equal(ex->guest->rootfs, "busybox");
	assert_int_equal(ex->guest->boot, BOOT_INITRAMFS);
	assert_false(ex->guest->use_installed);
	assert_true(ex->guest->timeout == 60);
}

static void test_real_expectations(void **state)
{
	const struct spec *spec = *state;
	const struct spec_step *st;

	st = spec_step(spec, "1.1", NULL);
	assert_int_equal(st->kind, STEP_LXR);
	assert_int_equal(st->expect[1].kind, SPEC_EXPECT_ORDERED);
	assert_int_equal(st->expect[1].npatterns, 5);
	assert_string_equal(st->expect[1].patterns[4], "\\brelease\\b");
	st = spec_step(spec, "3.5", NULL);
	assert_int_equal(st->expect[0].kind, SPEC_EXPECT_ORDERED);
	assert_int_equal(st->expect[0].npatterns, 2);
	assert_true(st->expect[0].ppos[1].line > st->expect[0].ppos[0].line);
	st = spec_step(spec, "2.3", NULL);
	assert_int_equal(st->kind, STEP_BUILD);
	assert_int_equal(st->expect[0].kind, SPEC_EXPECT_EXIT);
	assert_int_equal(st->expect[0].exit_status, 0);
	st = spec_step(spec, "2.11", NULL);
	assert_string_equal(st->expect[0].patterns[0],
			    "^Linux \\S+ (?<release>\\S+${localversion}) "
			    "(?<version>${kernel.version}) ");
	assert_int_equal(st->expect[2].kind, SPEC_EXPECT_MATCH);
	st = spec_step(spec, "5.7", NULL);
	assert_int_equal(st->ends, ENDS_POWEROFF);
	assert_int_equal(st->expect[1].in, SPEC_IN_KERNEL);
	st = spec_step(spec, "5.5", NULL);
	assert_non_null(st->before);
	st = spec_step(spec, "5.6", NULL);
	assert_non_null(st);
	assert_int_equal(st->kind, STEP_GUEST);
	assert_string_equal(st->run, "ps aux");
	assert_string_equal(spec->exercises[4].kernel, "um");
}

/* The words of the file as enums and bools, and their names. */
static void test_real_enums(void **state)
{
	const struct spec *spec = *state;
	const struct spec_exercise *ex;

	assert_int_equal(spec_step(spec, "1.1", NULL)->kind, STEP_LXR);
	assert_int_equal(spec_step(spec, "2.1", NULL)->stage, STAGE_NONE);
	assert_int_equal(spec_step(spec, "2.8", NULL)->stage, STAGE_BUILD);
	assert_int_equal(spec_step(spec, "5.1", NULL)->stage, STAGE_CONFIG);
	assert_int_equal(spec_step(spec, "5.1", NULL)->kind, STEP_BUILD);
	assert_int_equal(spec_step(spec, "2.4", NULL)->ninput, 9);
	assert_int_equal(spec_step(spec, "2.4", NULL)->expect[2].in, SPEC_IN_BEFORE);
	assert_int_equal(spec_step(spec, "2.4", NULL)->expect[4].in, SPEC_IN_HOST);
	assert_int_equal(spec_step(spec, "4.2", NULL)->expect[3].in, SPEC_IN_BOOT);
	assert_true(spec_step(spec, "4.4", NULL)->ends == ENDS_LOGIN);
	assert_false(spec_step(spec, "4.3", NULL)->ends == ENDS_LOGIN);
	ex = spec_exercise(spec, "2");
	assert_int_equal(ex->guest->boot, BOOT_DISK);
	assert_true(ex->guest->use_installed);
	ex = spec_exercise(spec, "4");
	assert_int_equal(ex->guest->boot, BOOT_DISK);
	assert_false(ex->guest->use_installed);
	assert_string_equal(ex->guest->image, "arch/x86/boot/bzImage");
	assert_null(spec_exercise(spec, "1")->guest);
	assert_string_equal(spec_step_kind_name(STEP_GUEST), "guest");
	assert_string_equal(spec_step_kind_name(STEP_HOST), "host");
	assert_string_equal(spec_step_kind_name(STEP_BUILD), "build");
	assert_string_equal(spec_step_kind_name(STEP_LXR), "lxr");
	assert_string_equal(spec_step_kind_name(STEP_KIND_COUNT), "?");
	assert_string_equal(spec_boot_name(BOOT_INITRAMFS), "initramfs");
	assert_string_equal(spec_boot_name(BOOT_DISK), "disk");
}

static void test_spec_vars(void **state)
{
	const struct spec *spec = *state;
	struct expand_vars v;

	expand_vars_init(&v);
	spec_vars(spec, NULL, &v);
	assert_string_equal(expand_vars_get(&v, "localversion"), "JanTrzeci");
	assert_string_equal(expand_vars_get(&v, "hostname"), "ps2017");
	assert_string_equal(expand_vars_get(&v, "lab.id"), "lab2");
	assert_null(expand_vars_get(&v, "exercise.id"));
	spec_vars(spec, spec_exercise(spec, "4"), &v);
	assert_string_equal(expand_vars_get(&v, "exercise.id"), "4");
	expand_vars_free(&v);
}

static void test_builtin_vars(void **state)
{
	static const char *const want[] = { "kernel.release", "module.name",
					    "module.file", "guest.pid",
					    "step.id" };
	size_t i, j, n;

	(void)state;
	for (n = 0; spec_builtin_vars[n]; n++)
		assert_string_not_equal(spec_builtin_vars[n], "localversion");
	for (i = 0; i < sizeof(want) / sizeof(*want); i++) {
		for (j = 0; j < n && strcmp(spec_builtin_vars[j], want[i]); j++)
			;
		assert_true(j < n);
	}
}

/* ---- the corpus of bad specs ---- */

/* Loads one bad spec; 0 when it fails with the .err file's first line. */
static int check_bad(const char *yaml, const char *dir)
{
	char *err_path = strdup(yaml), *want_text, *want, *got_text, *got;
	const char *shown;
	struct spec *spec;
	int rc = 0;

	strcpy(err_path + strlen(err_path) - strlen("yaml"), "err");
	want_text = read_text(err_path);
	want = line_of(want_text, 0);
	spec = load_quietly(yaml, &got_text);
	got = line_of(got_text, 0);
	shown = got;
	if (!strncmp(shown, dir, strlen(dir)) && shown[strlen(dir)] == '/')
		shown += strlen(dir) + 1;
	if (spec || strcmp(shown, want)) {
		fprintf(stderr, "%s:\n  want: %s\n  got:  %s%s\n", yaml, want,
			shown, spec ? " (and the spec loaded)" : "");
		rc = -1;
	}
	spec_free(spec);
	free(got);
	free(got_text);
	free(want);
	free(want_text);
	free(err_path);
	return rc;
}

static void test_bad_corpus(void **state)
{
	char data[4000], dir[4096], pattern[4200];
	glob_t g;
	size_t i;
	int failed = 0;

	(void)state;
	env_dir("LABKIT_TEST_DATA", data, sizeof(data));
	snprintf(dir, sizeof(dir), "%s/spec/bad", data);
	snprintf(pattern, sizeof(pattern), "%s/*.yaml", dir);
	assert_int_equal(glob(pattern, 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 15);
	for (i = 0; i < g.gl_pathc; i++)
		if (check_bad(g.gl_pathv[i], dir) < 0)
			failed++;
	globfree(&g);
	assert_int_equal(failed, 0);
}

/* ---- specs made in a temporary directory ---- */

static int make_tmpdir(void **state)
{
	char *dir = strdup("/tmp/test_spec.XXXXXX");

	if (!dir || !mkdtemp(dir))
		return -1;
	*state = dir;
	return 0;
}

static int remove_tmpdir(void **state)
{
	char *dir = *state;
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", dir);
	free(dir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *write_spec(const char *dir, const char *name, const char *text)
{
	char *path = malloc(strlen(dir) + strlen(name) + 2);
	FILE *f;

	assert_non_null(path);
	sprintf(path, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void test_missing_file(void **state)
{
	char *path = malloc(strlen(*state) + 32), *err;

	assert_non_null(path);
	sprintf(path, "%s/no-such.yaml", (char *)*state);
	assert_null(load_quietly(path, &err));
	assert_non_null(strstr(err, "no-such.yaml: error: cannot open: "
				    "No such file or directory\n"));
	assert_int_equal(strncmp(err, path, strlen(path)), 0);
	free(err);
	free(path);
}

static void test_minimal(void **state)
{
	char *path = write_spec(*state, "min.yaml",
				"labkit: 1\nlab: {id: m}\nexercises:\n"
				"  - id: '1'\n    steps:\n"
				"      - {id: a, kind: host, question: plain, "
				"timeout: 2.5, skip: not today}\n");
	struct spec *spec = spec_load(path);
	const struct spec_step *st;

	assert_non_null(spec);
	assert_string_equal(spec->dir, *state);
	st = spec_step(spec, "a", NULL);
	assert_non_null(st);
	assert_int_equal(st->question.n, 1);
	assert_string_equal(st->question.lang[0], "");
	assert_string_equal(spec_text_get(&st->question, "pl"), "plain");
	assert_string_equal(spec_text_get(&st->answer, "en"), "");
	assert_true(st->timeout == 2.5);
	assert_string_equal(st->skip, "not today");
	assert_int_equal(st->nexpect, 0);
	assert_null(st->run);
	spec_free(spec);
	free(path);
}

/* A kind, a stage, a boot, a `use`, an `ends` the file does not know. */
static void test_unknown_enum_words(void **state)
{
	char *path = write_spec(*state, "words.yaml",
				"labkit: 1\nlab: {id: w}\n"
				"kernels: {k: {arch: um, from: uml-package}}\n"
				"rootfs: {r: {}}\n"
				"exercises:\n"
				"  - id: '1'\n"
				"    guest: {kernel: k, rootfs: r, boot: floppy, "
				"use: borrowed, timeout: 5}\n"
				"    steps:\n"
				"      - {id: a, kind: build, stage: link, question: q}\n"
				"      - {id: b, kind: guest, ends: logout, question: q}\n");
	char *err, *line;

	assert_null(load_quietly(path, &err));
	line = line_of(err, 0);
	assert_non_null(strstr(line, "words.yaml:7:41: error: unknown boot 'floppy'"));
	free(line);
	line = line_of(err, 1);
	assert_non_null(strstr(line, "words.yaml:7:54: error: unknown use 'borrowed'"));
	free(line);
	line = line_of(err, 2);
	assert_non_null(strstr(line, "words.yaml:9:37: error: unknown stage 'link'"));
	free(line);
	line = line_of(err, 3);
	assert_non_null(strstr(line, "words.yaml:10:36: error: unknown ends 'logout'"));
	free(line);
	/* without callbacks the last one is kept */
	assert_null(spec_load(path));
	assert_non_null(strstr(events_last_error(), "words.yaml:10:36: unknown ends 'logout'"));
	free(err);
	free(path);
}

/* The other choices than the real spec's. */
static void test_enum_words(void **state)
{
	char *path = write_spec(*state, "ok.yaml",
				"labkit: 1\nlab: {id: w}\n"
				"kernels: {k: {arch: um, from: uml-package}}\n"
				"rootfs: {r: {}}\n"
				"exercises:\n"
				"  - id: '1'\n"
				"    guest: {kernel: k, rootfs: r, boot: initramfs, "
				"use: built, timeout: 5}\n"
				"    steps:\n"
				"      - {id: a, kind: host, question: q, run: 'true',"
				" unchecked: 'a test'}\n"
				"      - {id: b, kind: guest, ends: login, question: q,"
				" run: exit, expect: [{match: 'login: '}]}\n");
	struct spec *spec = spec_load(path);
	const struct spec_exercise *ex;

	assert_non_null(spec);
	ex = spec_exercise(spec, "1");
	assert_int_equal(ex->guest->boot, BOOT_INITRAMFS);
	assert_false(ex->guest->use_installed);
	assert_int_equal(ex->steps[0].kind, STEP_HOST);
	assert_false(ex->steps[0].ends == ENDS_LOGIN);
	assert_int_equal(ex->steps[1].kind, STEP_GUEST);
	assert_true(ex->steps[1].ends == ENDS_LOGIN);
	assert_int_equal(ex->steps[1].stage, STAGE_NONE);
	spec_free(spec);
	free(path);
}

/* Who may see a step, and what a student is told: every visibility,
 * feedback plain or in languages; a word the file does not know and a
 * feedback that is no text named at their line and column. */
static void test_visibility_feedback(void **state)
{
	static const char *const head =
		"labkit: 1\nlab: {id: v}\nexercises:\n  - id: '1'\n    steps:\n";
	char *text = xasprintf("%s"
		"      - {id: a, kind: host, question: q, run: 'true', unchecked: u}\n"
		"      - {id: b, kind: host, question: q, run: 'true', unchecked: u,"
		" visibility: hidden, feedback: 'Look at init.'}\n"
		"      - {id: c, kind: host, question: q, run: 'true', unchecked: u,"
		" visibility: after_due_date, feedback: {pl: 'Zajrzyj', en: 'Look'}}\n"
		"      - {id: d, kind: host, question: q, run: 'true', unchecked: u,"
		" visibility: after_published}\n"
		"      - {id: e, kind: host, question: q, run: 'true', unchecked: u,"
		" visibility: visible}\n", head);
	char *path = write_spec(*state, "vis.yaml", text), *err, *line;
	struct spec *spec = spec_load(path);
	const struct spec_step *st;

	assert_non_null(spec);
	assert_int_equal(spec_step(spec, "a", NULL)->visibility, VISIBILITY_VISIBLE);
	assert_int_equal(spec_step(spec, "a", NULL)->feedback.n, 0);
	st = spec_step(spec, "b", NULL);
	assert_int_equal(st->visibility, VISIBILITY_HIDDEN);
	assert_string_equal(spec_text_get(&st->feedback, "en"), "Look at init.");
	st = spec_step(spec, "c", NULL);
	assert_int_equal(st->visibility, VISIBILITY_AFTER_DUE_DATE);
	assert_string_equal(spec_text_get(&st->feedback, "pl"), "Zajrzyj");
	assert_string_equal(spec_text_get(&st->feedback, "en"), "Look");
	assert_int_equal(spec_step(spec, "d", NULL)->visibility,
			 VISIBILITY_AFTER_PUBLISHED);
	assert_int_equal(spec_step(spec, "e", NULL)->visibility, VISIBILITY_VISIBLE);
	assert_string_equal(spec_visibility_name(VISIBILITY_AFTER_DUE_DATE),
			    "after_due_date");
	spec_free(spec);
	free(path);
	free(text);
	text = xasprintf("%s"
		"      - {id: a, kind: host, question: q, run: 'true', unchecked: u,"
		" visibility: hiden}\n"
		"      - {id: b, kind: host, question: q, run: 'true', unchecked: u,"
		" visibility: later}\n"
		"      - {id: c, kind: host, question: q, run: 'true', unchecked: u,"
		" feedback: [a, b]}\n", head);
	path = write_spec(*state, "badvis.yaml", text);
	assert_null(load_quietly(path, &err));
	line = line_of(err, 0);
	assert_non_null(strstr(line, "badvis.yaml:6:81: error: unknown visibility "
			       "'hiden' in step a (did you mean 'hidden'?)"));
	free(line);
	line = line_of(err, 1);
	assert_non_null(strstr(line, "badvis.yaml:7:81: error: unknown visibility "
			       "'later' in step b (expected one of: visible, hidden, "
			       "after_due_date, after_published)"));
	free(line);
	line = line_of(err, 2);
	assert_non_null(strstr(line, "badvis.yaml:8:79: error: expected a string or "
			       "a mapping of languages for 'feedback' in step c"));
	free(line);
	free(err);
	free(path);
	free(text);
}

/* All problems, sorted by position, not just the first. */
static void test_every_problem(void **state)
{
	char *path = write_spec(*state, "many.yaml",
				"exercises:\n"
				"  - id: '1'\n"
				"    steps:\n"
				"      - id: '1.1'\n"
				"        kind: hots\n"
				"        question: q\n"
				"        run: ${nope}\n"
				"labkit: 1\n"
				"lab: {id: x, titel: y}\n");
	char *err, *line;

	assert_null(load_quietly(path, &err));
	line = line_of(err, 0);
	assert_non_null(strstr(line, "many.yaml:5:15: error: unknown kind "
				     "'hots' in step 1.1 (did you mean "
				     "'host'?)"));
	free(line);
	line = line_of(err, 1);
	assert_non_null(strstr(line, "many.yaml:7:14: error: undefined "
				     "variable 'nope' in step 1.1"));
	free(line);
	line = line_of(err, 2);
	assert_non_null(strstr(line, "many.yaml:9:14: error: unknown key "
				     "'titel' in lab (did you mean 'title'?)"));
	free(line);
	line = line_of(err, 3);
	assert_string_equal(line, "");
	free(line);
	free(err);
	free(path);
}

/* `uses`: a module named later is fine, and the model keeps where each
 * is named; an unknown one, the module itself and a cycle are each
 * reported at their entry, all in one load. */
static void test_module_uses(void **state)
{
	static const char head[] =
		"labkit: 1\nlab: {id: u}\n"
		"kernels: {k: {arch: x86_64, from: debian-package}}\n"
		"exercises: [{id: '1', steps: [{id: a, kind: host, question: q,"
		" run: x, expect: [exit: 0]}]}]\n"
		"modules:\n";
	char *good = xasprintf("%s  user: {path: ., kernel: k, uses: [lib]}\n"
			       "  lib: {path: ., kernel: k}\n", head);
	char *bad = xasprintf("%s  a: {path: ., kernel: k, uses: [b]}\n"
			      "  b: {path: ., kernel: k, uses: [a, b, lbi]}\n"
			      "  lib: {path: ., kernel: k}\n", head);
	char *path, *err, *line;
	struct spec *spec;
	const struct spec_module *m;

	free(write_spec(*state, "Kbuild", "obj-m := a.o\n"));
	path = write_spec(*state, "good.yaml", good);
	spec = load_quietly(path, &err);
	assert_non_null(spec);
	m = spec_module(spec, "user");
	assert_int_equal(m->nuses, 1);
	assert_string_equal(m->uses[0], "lib");
	assert_int_equal(m->uses_pos[0].line, 6);
	assert_int_equal(m->uses_pos[0].col, 37);
	assert_int_equal(spec_module(spec, "lib")->nuses, 0);
	spec_free(spec);
	free(err);
	free(path);
	path = write_spec(*state, "bad.yaml", bad);
	assert_null(load_quietly(path, &err));
	line = line_of(err, 0);
	assert_non_null(strstr(line, "bad.yaml:7:34: error: module 'b' uses "
				     "'a' in a cycle: a -> b -> a"));
	free(line);
	line = line_of(err, 1);
	assert_non_null(strstr(line, "bad.yaml:7:37: error: module 'b' uses "
				     "itself"));
	free(line);
	line = line_of(err, 2);
	assert_non_null(strstr(line, "bad.yaml:7:40: error: module 'b' uses "
				     "'lbi', which is not a module of this lab "
				     "(did you mean 'lib'?)"));
	free(line);
	line = line_of(err, 3);
	assert_string_equal(line, "");
	free(line);
	free(err);
	free(path);
	free(bad);
	free(good);
}

static void test_error_cap(void **state)
{
	struct sb text;
	char *path, *err, *line;
	int i;

	sb_init(&text);
	sb_adds(&text, "labkit: 1\nlab:\n  id: x\n");
	for (i = 0; i < 25; i++)
		sb_addf(&text, "  bogus%d: 1\n", i);
	sb_adds(&text, "exercises: []\n");
	path = write_spec(*state, "cap.yaml", text.buf);
	sb_release(&text);
	assert_null(load_quietly(path, &err));
	line = line_of(err, 19);
	assert_non_null(strstr(line, "cap.yaml:23:3: error: unknown key "
				     "'bogus19' in lab"));
	free(line);
	line = line_of(err, 20);
	assert_non_null(strstr(line, "cap.yaml: error: 5 more errors not "
				     "shown"));
	free(line);
	line = line_of(err, 21);
	assert_string_equal(line, "");
	free(line);
	free(err);
	free(path);
}

/* `oops: true` (plain) accepts any Oops: it stands for the first lines
 * the kernel gives one; a quoted 'true' stays the pattern "true". */
static void test_fault_true(void **state)
{
	static const char text[] =
		"labkit: 1\n"
		"lab: {id: t, title: t}\n"
		"kernels: {k: {arch: x86_64, from: debian-package}}\n"
		"rootfs: {r: {hostname: t}}\n"
		"exercises:\n"
		"  - id: \"1\"\n"
		"    title: t\n"
		"    guest: {kernel: k, rootfs: r, boot: initramfs, timeout: 9}\n"
		"    steps:\n"
		"      - {id: a, kind: guest, question: q, run: x, expect: [oops: true]}\n"
		"      - {id: b, kind: guest, question: q, run: x, expect: [panic: 'true']}\n";
	char path[] = "/tmp/labkit-test-spec-XXXXXX.yaml", *err = NULL;
	int fd = mkstemps(path, 5);
	struct spec *spec;
	const struct spec_exercise *ex;
	(void)state;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	spec = load_quietly(path, &err);
	unlink(path);
	if (!spec)
		fprintf(stderr, "%s", err);
	assert_non_null(spec);
	ex = spec_exercise(spec, "1");
	assert_int_equal(ex->steps[0].expect[0].kind, SPEC_EXPECT_FAULT);
	assert_int_equal(ex->steps[0].expect[0].fault, FAULT_OOPS);
	assert_non_null(strstr(ex->steps[0].expect[0].patterns[0], "BUG: |Oops: "));
	assert_string_equal(ex->steps[1].expect[0].patterns[0], "true");
	spec_free(spec);
	free(err);
}

int main(void)
{

	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_real_header, load_real,
						free_real),
		cmocka_unit_test_setup_teardown(test_real_machines, load_real,
						free_real),
		cmocka_unit_test_setup_teardown(test_real_steps, load_real,
						free_real),
		cmocka_unit_test_setup_teardown(test_real_step_3_3, load_real,
						free_real),
		cmocka_unit_test_setup_teardown(test_real_expectations,
						load_real, free_real),
		cmocka_unit_test_setup_teardown(test_real_enums, load_real,
						free_real),
		cmocka_unit_test_setup_teardown(test_spec_vars, load_real,
						free_real),
		cmocka_unit_test(test_builtin_vars),
		cmocka_unit_test(test_bad_corpus),
		cmocka_unit_test_setup_teardown(test_missing_file, make_tmpdir,
						remove_tmpdir),
		cmocka_unit_test_setup_teardown(test_minimal, make_tmpdir,
						remove_tmpdir),
		cmocka_unit_test_setup_teardown(test_unknown_enum_words,
						make_tmpdir, remove_tmpdir),
		cmocka_unit_test_setup_teardown(test_enum_words, make_tmpdir,
						remove_tmpdir),
		cmocka_unit_test_setup_teardown(test_visibility_feedback,
						make_tmpdir, remove_tmpdir),
		cmocka_unit_test_setup_teardown(test_every_problem,
						make_tmpdir, remove_tmpdir),
		cmocka_unit_test_setup_teardown(test_error_cap, make_tmpdir,
						remove_tmpdir),
		cmocka_unit_test_setup_teardown(test_module_uses, make_tmpdir,
						remove_tmpdir),
		cmocka_unit_test(test_fault_true),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
