/* test_scaffold.c — `labkit new`'s starter lab: written into a temporary
 * directory, its files and modes checked, its labs.yaml loaded by the real
 * spec loader, its presets parsed; refusals (a directory that is not
 * empty, a bad id or title) and a failure midway (fs_mkdirs wrapped) leave
 * the file system as it was. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "events.h"
#include "scaffold.h"
#include "spec.h"
#include "util.h"
#include "yamldoc.h"

/* ---- fs_mkdirs, wrapped: fails for a path ending in fail_mkdirs ---- */

int __real_fs_mkdirs(const char *path, int mode);
static const char *fail_mkdirs;

int __wrap_fs_mkdirs(const char *path, int mode)
{
	size_t n = strlen(path), m = fail_mkdirs ? strlen(fail_mkdirs) : 0;

	if (fail_mkdirs && n >= m && !strcmp(path + n - m, fail_mkdirs)) {
		errno = EACCES;
		return -1;
	}
	return __real_fs_mkdirs(path, mode);
}

/* ---- helpers ---- */

static char root[] = "/tmp/labkit-test-scaffold.XXXXXX";

static int setup(void **state)
{
	(void)state;
	strcpy(root, "/tmp/labkit-test-scaffold.XXXXXX");
	fail_mkdirs = NULL;
	return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return fs_remove_tree(root);
}

static char *in_root(const char *rel)
{
	return xasprintf("%s/%s", root, rel);
}

/* Every entry under `walk_base`, one "path mode" line each, sorted by
 * nftw's order made stable with qsort. */
static const char *walk_base;
static char *walk_lines[64];
static size_t walk_n;

static int walk_one(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)flag;
	if (ftw->level == 0 || walk_n == 64)
		return 0;
	walk_lines[walk_n++] = xasprintf("%s%s %04o",
		path + strlen(walk_base) + 1, S_ISDIR(st->st_mode) ? "/" : "",
		(unsigned)(st->st_mode & 07777));
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *listing(const char *dir)
{
	struct sb out;

	walk_base = dir;
	walk_n = 0;
	if (nftw(dir, walk_one, 16, FTW_PHYS) < 0)
		return xstrdup("(cannot walk)");
	qsort(walk_lines, walk_n, sizeof(*walk_lines), cmp_str);
	sb_init(&out);
	for (size_t i = 0; i < walk_n; i++) {
		sb_addf(&out, "%s\n", walk_lines[i]);
		free(walk_lines[i]);
	}
	return sb_detach(&out, NULL);
}

/* The names in `root`, each followed by '/' for a directory and a space,
 * sorted; kept until the next call. */
static const char *top_level(void)
{
	static char buf[512];
	char *names[32];
	size_t n = 0;
	struct dirent *e;
	DIR *d = opendir(root);

	assert_non_null(d);
	while (n < 32 && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			names[n++] = xasprintf("%s%s ", e->d_name,
					       e->d_type == DT_DIR ? "/" : "");
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		strncat(buf, names[i], sizeof(buf) - strlen(buf) - 1);
		free(names[i]);
	}
	return buf;
}

static char *read_in(const char *dir, const char *rel)
{
	char *path = xasprintf("%s/%s", dir, rel), *data = NULL;
	size_t len;

	if (fs_read_file(path, &data, &len) < 0)
		fail_msg("cannot read '%s'", path);
	free(path);
	return data;
}

/* Writes a starter in `lang` with `autograders`; the id it got, or NULL
 * with the error kept. */
static char *new_lab_full(const char *dir, const char *id, const char *title,
			  const char *lang, const char *const *autograders,
			  size_t n)
{
	struct scaffold_opts o = { .dir = dir, .id = id, .title = title,
				   .lang = lang, .nautograders = n,
				   .autograders = autograders };
	char *got = NULL;

	return scaffold_new(&o, &got) == 0 ? got : NULL;
}

/* An English starter, with autograders. */
static char *new_lab_with(const char *dir, const char *id, const char *title,
			  const char *const *autograders, size_t n)
{
	return new_lab_full(dir, id, title, "en", autograders, n);
}

/* A starter in `lang`. */
static char *new_lab_in(const char *dir, const char *id, const char *title,
			const char *lang)
{
	return new_lab_full(dir, id, title, lang, NULL, 0);
}

/* An English starter. */
static char *new_lab(const char *dir, const char *id, const char *title)
{
	return new_lab_with(dir, id, title, NULL, 0);
}

static const char *const every_autograder[] = { "gradescope", "prairielearn" };

static void assert_contains(const char *text, const char *what)
{
	if (!strstr(text, what))
		fail_msg("'%s' is not in:\n%s", what, text);
}

/* ---- the starter ---- */

static void writes_every_file_with_its_mode(void **state)
{
	char *dir = in_root("mylab"), *id, *list;
	struct stat st;

	(void)state;
	id = new_lab(dir, NULL, NULL);
	assert_non_null(id);
	assert_string_equal(id, "mylab");
	list = listing(dir);
	assert_string_equal(list,
		".clangd 0644\n"
		".github/ 0755\n"
		".github/workflows/ 0755\n"
		".github/workflows/lab.yml 0644\n"
		".gitignore 0644\n"
		".gitlab-ci.yml 0644\n"
		"CMakeLists.txt 0644\n"
		"CMakePresets.json 0644\n"
		"README.md 0644\n"
		"labs.yaml 0644\n"
		"modules/ 0755\n"
		"modules/hello/ 0755\n"
		"modules/hello/Kbuild 0644\n"
		"modules/hello/hello.c 0644\n");
	free(list);
	/* mode 0755 like mkdir's (not mkdtemp's 0700), nothing beside it
	 * (no temporary) */
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	assert_string_equal(top_level(), "mylab/ ");
	free(id);
	free(dir);
}

static void cmakelists_is_four_lines(void **state)
{
	char *dir = in_root("os-lab_3"), *id = new_lab(dir, NULL, NULL), *t;

	(void)state;
	assert_non_null(id);
	t = read_in(dir, "CMakeLists.txt");
	assert_string_equal(t,
		"cmake_minimum_required(VERSION 3.25)\n"
		"project(os-lab_3 NONE)\n"
		"find_package(LabKit 1.0 REQUIRED)\n"
		"labkit_add_lab(labs.yaml)\n");
	free(t);
	free(id);
	free(dir);
}

static void labs_yaml_loads_with_the_spec_loader(void **state)
{
	char *dir = in_root("demo"), *id = new_lab(dir, NULL, NULL);
	char *path = xasprintf("%s/labs.yaml", dir);
	const struct spec_exercise *ex;
	struct spec *spec;

	(void)state;
	assert_non_null(id);
	spec = spec_load(path);
	if (!spec)
		fail_msg("spec_load: %s", events_last_error());
	assert_string_equal(spec->lab_id, "demo");
	ex = spec_exercise(spec, "1");
	assert_non_null(ex);
	assert_non_null(ex->module);
	assert_string_equal(ex->module, "hello");
	assert_non_null(ex->guest);
	assert_int_equal(ex->guest->boot, BOOT_INITRAMFS);
	assert_string_equal(ex->guest->kernel, "debian");
	assert_int_equal(ex->nsteps, 3);
	for (size_t i = 0; i < ex->nsteps; i++) {
		assert_true(ex->steps[i].nexpect > 0);
		assert_true(ex->steps[i].points > 0);
		assert_int_equal(ex->steps[i].question.n, 1);
		assert_int_equal(ex->steps[i].answer.n, 1);
	}
	assert_string_equal(ex->steps[0].run, "insmod ${module.file}");
	assert_non_null(spec_module(spec, "hello"));
	assert_int_equal(spec_kernel(spec, "debian")->from, KERNEL_FROM_DEBIAN_PACKAGE);
	assert_int_equal(spec->nexercises, 1);
	spec_free(spec);
	free(path);
	free(id);
	free(dir);
}

static const char *scalar_at(yaml_document_t *doc, yaml_node_t *map,
			     const char *key)
{
	const char *s = yamldoc_scalar(yamldoc_get(doc, map, key));

	return s ? s : "(none)";
}

/* The preset named `name` in the sequence `list` of the presets. */
static yaml_node_t *preset(yaml_document_t *doc, const char *list,
			   const char *name)
{
	yaml_node_t *seq = yamldoc_get(doc, yaml_document_get_root_node(doc),
				       list);

	if (!seq || seq->type != YAML_SEQUENCE_NODE)
		fail_msg("no %s", list);
	for (yaml_node_item_t *i = seq->data.sequence.items.start;
	     i < seq->data.sequence.items.top; i++) {
		yaml_node_t *p = yaml_document_get_node(doc, *i);

		if (!strcmp(scalar_at(doc, p, "name"), name))
			return p;
	}
	fail_msg("no %s named '%s'", list, name);
	return NULL;
}

/* The types and names of a workflow's steps: "configure quick, ...". */
static char *workflow_steps(yaml_document_t *doc, yaml_node_t *wf)
{
	yaml_node_t *steps = yamldoc_get(doc, wf, "steps");
	struct sb out;

	assert_non_null(steps);
	assert_int_equal(steps->type, YAML_SEQUENCE_NODE);
	sb_init(&out);
	for (yaml_node_item_t *i = steps->data.sequence.items.start;
	     i < steps->data.sequence.items.top; i++) {
		yaml_node_t *s = yaml_document_get_node(doc, *i);

		sb_addf(&out, "%s%s %s", out.len ? ", " : "",
			scalar_at(doc, s, "type"), scalar_at(doc, s, "name"));
	}
	return sb_detach(&out, NULL);
}

static void presets_parse_with_both_workflows(void **state)
{
	char *dir = in_root("p1"), *id = new_lab(dir, NULL, NULL);
	char *path = xasprintf("%s/CMakePresets.json", dir), *steps;
	yaml_document_t doc;
	yaml_node_t *top, *p;

	(void)state;
	assert_non_null(id);
	if (yamldoc_load(path, &doc) < 0)      /* JSON is YAML's flow style */
		fail_msg("%s", events_last_error());
	top = yaml_document_get_root_node(&doc);
	assert_string_equal(scalar_at(&doc, top, "version"), "6");
	assert_string_equal(scalar_at(&doc, top, "cmakeMinimumRequired.minor"), "25");
	p = preset(&doc, "configurePresets", "lab");
	assert_string_equal(scalar_at(&doc, p, "binaryDir"), "${sourceDir}/build");
	p = preset(&doc, "configurePresets", "quick");
	assert_string_equal(scalar_at(&doc, p, "binaryDir"), "${sourceDir}/build-quick");
	assert_string_equal(scalar_at(&doc, p, "cacheVariables.LABKIT_KERNELS"), "quick");
	for (int i = 0; i < 2; i++) {
		p = preset(&doc, "testPresets", i ? "quick" : "lab");
		assert_string_equal(scalar_at(&doc, p, "output.outputJUnitFile"), "p1/junit.xml");
		assert_string_equal(scalar_at(&doc, p, "output.outputOnFailure"), "true");
		assert_string_equal(scalar_at(&doc, p, "execution.jobs"), "2");
		preset(&doc, "buildPresets", i ? "quick" : "lab");
	}
	p = preset(&doc, "packagePresets", "lab");
	assert_non_null(yamldoc_get(&doc, p, "generators"));
	steps = workflow_steps(&doc, preset(&doc, "workflowPresets", "lab"));
	assert_string_equal(steps, "configure lab, build lab, test lab, package lab");
	free(steps);
	steps = workflow_steps(&doc, preset(&doc, "workflowPresets", "check"));
	assert_string_equal(steps, "configure quick, build quick, test quick");
	free(steps);
	yaml_document_delete(&doc);
	free(path);
	free(id);
	free(dir);
}

/* No @NAME@ is left in any file, and the values are where they go. */
static void placeholders_are_all_filled_in(void **state)
{
	char *dir = in_root("fill"), *t;
	char *id = new_lab_with(dir, NULL, NULL, every_autograder, 2);
	const char *deb;

	(void)state;
	assert_non_null(id);
	for (size_t i = 0; i < scaffold_ntemplates; i++) {
		const char *p;

		t = read_in(dir, scaffold_templates[i].path);
		for (p = strchr(t, '@'); p; p = strchr(p + 1, '@')) {
			size_t n = strspn(p + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

			if (n && p[1 + n] == '@')
				fail_msg("%s: '%.*s' is left", scaffold_templates[i].path,
					 (int)n + 2, p);
		}
		free(t);
	}
	t = read_in(dir, "README.md");
	assert_contains(t, "# Lab fill\n");
	assert_contains(t, "cmake --workflow --preset lab");
	assert_contains(t, "cmake --workflow --preset check");
	assert_contains(t, "cmake --build build --target fill.1 && ctest --test-dir build -L fill.1");
	assert_contains(t, "build/fill/report.html");
	assert_contains(t, "build/fill-report.tar.gz");
	assert_contains(t, "build/compile_commands.json");
	/* the project's version, compiled in */
	deb = strstr(t, "apt install ./labkit_");
	assert_non_null(deb);
	deb += strlen("apt install ./labkit_");
	assert_true(strspn(deb, "0123456789.") > 0);
	assert_memory_equal(deb + strspn(deb, "0123456789."), "_amd64.deb", 10);
	free(t);
	t = read_in(dir, ".gitlab-ci.yml");
	assert_contains(t, "junit: build/fill/junit.xml");
	assert_contains(t, "LABKIT_DEB");
	assert_contains(t, "when: always");
	free(t);
	t = read_in(dir, ".github/workflows/lab.yml");
	assert_contains(t, "report_paths: build/fill/junit.xml");
	assert_contains(t, "actions/upload-artifact@v4");
	assert_contains(t, "if: always()");
	free(t);
	t = read_in(dir, ".gitignore");
	assert_contains(t, "build*/\n");
	assert_contains(t, "fill-report.tar.gz\n");
	free(t);
	free(id);
	free(dir);
}

/* The workflow reports every step's points to GitHub Classroom through
 * its grading reporter's contract: the check run is the job named
 * run-autograding-tests, the reporter may read the run (actions: read)
 * and update its check (checks: write), labkit export --format
 * classroom's variables go to $GITHUB_ENV and its runner ids to the
 * reporter's `runners`, even after a failed step. */
static void the_workflow_reports_to_classroom(void **state)
{
	char *dir = in_root("cls"), *id = new_lab(dir, NULL, NULL), *path, *run;
	yaml_document_t doc;
	yaml_node_t *top, *job, *steps, *points = NULL, *reporter = NULL;

	(void)state;
	assert_non_null(id);
	path = xasprintf("%s/.github/workflows/lab.yml", dir);
	assert_int_equal(yamldoc_load(path, &doc), 0);
	top = yaml_document_get_root_node(&doc);
	assert_string_equal(scalar_at(&doc, top, "permissions.actions"), "read");
	assert_string_equal(scalar_at(&doc, top, "permissions.checks"), "write");
	assert_non_null(yamldoc_get(&doc, top, "on.repository_dispatch"));
	job = yamldoc_get(&doc, top, "jobs.run-autograding-tests");
	assert_non_null(job);
	assert_null(yamldoc_get(&doc, job, "name"));   /* the check's name */
	steps = yamldoc_get(&doc, job, "steps");
	assert_non_null(steps);
	for (yaml_node_item_t *i = steps->data.sequence.items.start;
	     i < steps->data.sequence.items.top; i++) {
		yaml_node_t *s = yaml_document_get_node(&doc, *i);

		if (!strcmp(scalar_at(&doc, s, "id"), "points"))
			points = s;
		if (strstr(scalar_at(&doc, s, "uses"), "autograding-grading-reporter"))
			reporter = s;
	}
	assert_non_null(points);
	assert_non_null(reporter);
	assert_string_equal(scalar_at(&doc, points, "if"), "always()");
	run = xstrdup(scalar_at(&doc, points, "run"));
	assert_contains(run, "labkit export --spec labs.yaml --results build/cls "
			"--format classroom -o build/cls\n");
	assert_contains(run, "cat build/cls/classroom/env >> \"$GITHUB_ENV\"\n");
	assert_contains(run, "echo \"runners=$(cat build/cls/classroom/runners)\" "
			">> \"$GITHUB_OUTPUT\"\n");
	assert_string_equal(scalar_at(&doc, reporter, "uses"),
			    "classroom-resources/autograding-grading-reporter@v1");
	assert_string_equal(scalar_at(&doc, reporter, "with.runners"),
			    "${{ steps.points.outputs.runners }}");
	assert_contains(scalar_at(&doc, reporter, "if"), "always()");
	free(run);
	yaml_document_delete(&doc);
	free(path);
	free(id);
	free(dir);
}

/* --autograder: each platform's files under autograder/<platform>/, the
 * scripts executable; PrairieLearn's info.json, JSON, grading with the
 * image's entrypoint within its 600 s; no other platform's files; an
 * unknown platform refused, nothing written. */
static void autograders_are_written_when_asked(void **state)
{
	char *dir = in_root("ag"), *list, *path;
	const char *const gs[] = { "gradescope" };
	yaml_document_t doc;
	yaml_node_t *top;
	char *id = new_lab_with(dir, NULL, NULL, every_autograder, 2);

	(void)state;
	assert_non_null(id);
	list = listing(dir);
	assert_contains(list, "autograder/gradescope/README.md 0644\n"
			"autograder/gradescope/make-zip 0755\n"
			"autograder/gradescope/run_autograder 0755\n"
			"autograder/gradescope/setup.sh 0755\n"
			"autograder/prairielearn/ 0755\n"
			"autograder/prairielearn/Dockerfile 0644\n");
	assert_contains(list, "autograder/prairielearn/labkit-pl-grade 0755\n");
	free(list);
	path = xasprintf("%s/autograder/prairielearn/info.json", dir);
	assert_int_equal(yamldoc_load(path, &doc), 0);
	top = yaml_document_get_root_node(&doc);
	assert_string_equal(scalar_at(&doc, top, "gradingMethod"), "External");
	assert_string_equal(scalar_at(&doc, top, "externalGradingOptions.enabled"), "true");
	assert_string_equal(scalar_at(&doc, top, "externalGradingOptions.entrypoint"),
			    "/usr/local/bin/labkit-pl-grade");
	assert_string_equal(scalar_at(&doc, top, "externalGradingOptions.image"),
			    "docker-hub-user/ag-grader");
	assert_true(atoi(scalar_at(&doc, top, "externalGradingOptions.timeout")) <= 600);
	yaml_document_delete(&doc);
	free(path);
	free(id);
	free(dir);
	dir = in_root("gs");
	id = new_lab_with(dir, NULL, NULL, gs, 1);
	list = listing(dir);
	assert_contains(list, "autograder/gradescope/run_autograder 0755\n");
	assert_null(strstr(list, "prairielearn"));
	free(list);
	free(id);
	free(dir);
	dir = in_root("none");
	assert_null(new_lab_with(dir, NULL, NULL, (const char *const[]){ "moodle" }, 1));
	assert_contains(events_last_error(), "no autograder for 'moodle' (labkit new "
			"writes one for: gradescope, prairielearn)");
	assert_int_equal(access(dir, F_OK), -1);
	free(dir);
}

static void the_module_and_clangd(void **state)
{
	char *dir = in_root("m"), *id = new_lab(dir, NULL, NULL), *t;

	(void)state;
	assert_non_null(id);
	t = read_in(dir, "modules/hello/Kbuild");
	assert_contains(t, "\nobj-m := hello.o\n");
	free(t);
	t = read_in(dir, "modules/hello/hello.c");
	assert_contains(t, "#define pr_fmt(fmt) KBUILD_MODNAME \": \" fmt");
	assert_contains(t, "pr_info(\"loaded\\n\");");
	assert_contains(t, "pr_info(\"unloaded\\n\");");
	assert_contains(t, "MODULE_LICENSE(\"GPL\");");
	assert_contains(t, "MODULE_DESCRIPTION(");
	free(t);
	t = read_in(dir, ".clangd");
	assert_contains(t, "CompileFlags:\n");
	assert_contains(t, "    - -mrecord-mcount\n");
	assert_contains(t, "    - -mindirect-branch=*\n");
	assert_contains(t, "    - -fno-allow-store-data-races\n");
	free(t);
	free(id);
	free(dir);
}

/* A title with YAML's quote and backslash comes back as it was given. */
static void a_title_is_quoted_for_yaml(void **state)
{
	const char *title = "Jądro: \"moduły\" \\ 2";
	char *dir = in_root("t"), *id = new_lab(dir, "os2", title);
	char *path = xasprintf("%s/labs.yaml", dir);
	struct spec *spec;

	(void)state;
	assert_non_null(id);
	assert_string_equal(id, "os2");
	spec = spec_load(path);
	if (!spec)
		fail_msg("spec_load: %s", events_last_error());
	assert_string_equal(spec->lab_id, "os2");
	assert_int_equal(spec->lab_title.n, 1);
	assert_string_equal(spec->lab_title.text[0], title);
	spec_free(spec);
	free(path);
	free(id);
	free(dir);
}

/* --lang: every text of labs.yaml in that language only, and the
 * report's language in both configure presets, which say how to change
 * it. */
static void one_language_each(void **state)
{
	const char *const langs[] = { "pl", "en" };

	(void)state;
	for (int i = 0; i < 2; i++) {
		bool pl = !strcmp(langs[i], "pl");
		char *dir = in_root(langs[i]), *id = new_lab_in(dir, NULL, NULL, langs[i]);
		char *path = xasprintf("%s/labs.yaml", dir), *t;
		struct spec *spec = spec_load(path);
		const struct spec_exercise *ex;

		assert_non_null(id);
		if (!spec)
			fail_msg("spec_load: %s", events_last_error());
		ex = spec_exercise(spec, "1");
		assert_int_equal(spec->lab_title.n, 1);
		assert_string_equal(spec->lab_title.lang[0], langs[i]);
		assert_string_equal(spec->lab_title.text[0], pl ? "Laboratorium pl" : "Lab en");
		assert_int_equal(ex->title.n, 1);
		assert_string_equal(ex->title.lang[0], langs[i]);
		for (size_t s = 0; s < ex->nsteps; s++) {
			assert_int_equal(ex->steps[s].question.n, 1);
			assert_string_equal(ex->steps[s].question.lang[0], langs[i]);
			assert_string_equal(ex->steps[s].answer.lang[0], langs[i]);
		}
		t = read_in(dir, "labs.yaml");
		assert_null(strstr(t, "@PL@"));
		assert_null(strstr(t, "@EN@"));
		assert_null(strstr(t, pl ? "\n      en: " : "\n      pl: "));
		assert_contains(t, pl ? "Załaduj moduł hello" : "Load the module hello");
		free(t);
		t = read_in(dir, "CMakePresets.json");
		assert_contains(t, pl ? "\"LABKIT_REPORT_LANG\": \"pl\"" :
			"\"LABKIT_REPORT_LANG\": \"en\"");
		assert_int_equal(strstr(strstr(t, "LABKIT_REPORT_LANG\": ") + 1,
					"LABKIT_REPORT_LANG\": ") != NULL, 1);
		assert_contains(t, "pl or en");
		free(t);
		spec_free(spec);
		free(path);
		free(id);
		free(dir);
	}
}

/* The default is the locale's: Polish when it is, English else; LC_ALL
 * before LC_MESSAGES before LANG; a language labkit does not write is
 * refused, nothing written. */
static void the_default_language_is_the_locales(void **state)
{
	char *dir = in_root("de");

	(void)state;
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	setenv("LANG", "pl_PL.UTF-8", 1);
	assert_string_equal(scaffold_default_lang(), "pl");
	setenv("LC_MESSAGES", "C", 1);
	assert_string_equal(scaffold_default_lang(), "en");
	setenv("LC_ALL", "pl_PL", 1);
	assert_string_equal(scaffold_default_lang(), "pl");
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	setenv("LANG", "C.UTF-8", 1);
	assert_string_equal(scaffold_default_lang(), "en");
	unsetenv("LANG");
	assert_string_equal(scaffold_default_lang(), "en");
	assert_null(new_lab_in(dir, NULL, NULL, "de"));
	assert_non_null(strstr(events_last_error(), "language 'de' is not one "
			       "labkit writes (en or pl)"));
	assert_int_equal(access(dir, F_OK), -1);
	free(dir);
}

/* ---- where it goes ---- */

static void a_missing_directory_is_made_and_an_empty_one_used(void **state)
{
	char *dir = in_root("empty"), *id, *t;

	(void)state;
	assert_int_equal(mkdir(dir, 0700), 0);
	id = new_lab(dir, NULL, NULL);
	assert_non_null(id);
	assert_string_equal(id, "empty");
	t = read_in(dir, "labs.yaml");
	free(t);
	free(id);
	free(dir);
	/* a trailing slash, and the id from a name that needs tidying */
	dir = in_root("My Lab.2/");
	id = new_lab(dir, NULL, NULL);
	assert_non_null(id);
	assert_string_equal(id, "my-lab-2");
	free(id);
	free(dir);
	assert_string_equal(top_level(), "My Lab.2/ empty/ ");
	dir = in_root("empty/modules/hello/hello.c");
	assert_int_equal(access(dir, R_OK), 0);
	free(dir);
}

static void a_directory_not_empty_is_refused_and_kept(void **state)
{
	char *dir = in_root("busy"), *file = in_root("busy/notes.txt");
	char *before, *after, *data;
	size_t len;

	(void)state;
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(fs_write_atomic(file, "mine\n", 5), 0);
	before = listing(root);
	assert_null(new_lab(dir, NULL, NULL));
	assert_non_null(strstr(events_last_error(), "exists and is not empty"));
	assert_non_null(strstr(events_last_error(), "'"));
	assert_non_null(strstr(events_last_error(), "busy'"));
	after = listing(root);
	assert_string_equal(after, before);
	assert_int_equal(fs_read_file(file, &data, &len), 0);
	assert_string_equal(data, "mine\n");
	free(data);
	free(before);
	free(after);
	/* a file where the directory would go */
	assert_null(new_lab(file, "lab", NULL));
	assert_non_null(strstr(events_last_error(), "exists and is not a directory"));
	free(file);
	free(dir);
}

static void bad_ids_and_titles_are_refused_and_write_nothing(void **state)
{
	static const char *const bad_ids[] = {
		"", "9lab", "my.lab", "a b", "lab/x", "_lab", "Łódź",
		"a1234567890123456789012345678901234567890123456789012345678901234",
	};
	char *dir = in_root("fine"), *list;

	(void)state;
	for (size_t i = 0; i < sizeof(bad_ids) / sizeof(*bad_ids); i++) {
		if (new_lab(dir, bad_ids[i], NULL))
			fail_msg("id '%s' was taken", bad_ids[i]);
		assert_non_null(strstr(events_last_error(), "id"));
	}
	assert_null(new_lab(dir, NULL, "two\nlines"));
	assert_non_null(strstr(events_last_error(), "control characters"));
	assert_null(new_lab(dir, NULL, ""));
	assert_null(new_lab(dir, NULL, "\xff"));
	/* a name with no letter makes no id */
	free(dir);
	dir = in_root("2024");
	assert_null(new_lab(dir, NULL, NULL));
	assert_non_null(strstr(events_last_error(), "'2024' makes no lab id"));
	assert_null(new_lab(".", NULL, NULL));
	assert_non_null(strstr(events_last_error(), "does not name a new directory"));
	list = listing(root);
	assert_string_equal(list, "");
	free(list);
	free(dir);
}

static void default_ids(void **state)
{
	static const char *const cases[][2] = {
		{ "lab", "lab" }, { "/a/b/OS-Lab_3/", "os-lab_3" },
		{ "2024 kernel lab", "kernel-lab" }, { "x..y", "x-y" },
		{ "lab!", "lab" }, { "Łódź", "d" },
	};
	char *id;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		id = scaffold_default_id(cases[i][0]);
		assert_non_null(id);
		assert_string_equal(id, cases[i][1]);
		assert_int_equal(scaffold_check_id(id), 0);
		free(id);
	}
	assert_null(scaffold_default_id("/tmp/123/"));
	assert_null(scaffold_default_id("---"));
}

/* ---- failing midway ---- */

static void a_failure_midway_leaves_nothing(void **state)
{
	char *dir = in_root("half"), *list;

	(void)state;
	fail_mkdirs = "/modules/hello";   /* after the files at the top */
	assert_null(new_lab(dir, NULL, NULL));
	fail_mkdirs = NULL;
	assert_non_null(strstr(events_last_error(), "cannot create '"));
	assert_non_null(strstr(events_last_error(), "half/modules/hello'"));
	list = listing(root);
	assert_string_equal(list, "");
	free(list);
	/* over an empty directory: it stays, empty */
	assert_int_equal(mkdir(dir, 0755), 0);
	fail_mkdirs = "/.github/workflows";
	assert_null(new_lab(dir, NULL, NULL));
	fail_mkdirs = NULL;
	list = listing(root);
	assert_string_equal(list, "half/ 0755\n");
	free(list);
	/* a parent that is not there: nothing made on the way */
	free(dir);
	dir = in_root("no/such/lab");
	assert_null(new_lab(dir, NULL, NULL));
	assert_non_null(strstr(events_last_error(), "beside '"));
	list = listing(root);
	assert_string_equal(list, "half/ 0755\n");
	free(list);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(writes_every_file_with_its_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(cmakelists_is_four_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(labs_yaml_loads_with_the_spec_loader, setup, teardown),
		cmocka_unit_test_setup_teardown(presets_parse_with_both_workflows, setup, teardown),
		cmocka_unit_test_setup_teardown(placeholders_are_all_filled_in, setup, teardown),
		cmocka_unit_test_setup_teardown(the_workflow_reports_to_classroom, setup, teardown),
		cmocka_unit_test_setup_teardown(autograders_are_written_when_asked, setup, teardown),
		cmocka_unit_test_setup_teardown(the_module_and_clangd, setup, teardown),
		cmocka_unit_test_setup_teardown(a_title_is_quoted_for_yaml, setup, teardown),
		cmocka_unit_test_setup_teardown(one_language_each, setup, teardown),
		cmocka_unit_test_setup_teardown(the_default_language_is_the_locales, setup, teardown),
		cmocka_unit_test_setup_teardown(a_missing_directory_is_made_and_an_empty_one_used, setup, teardown),
		cmocka_unit_test_setup_teardown(a_directory_not_empty_is_refused_and_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_ids_and_titles_are_refused_and_write_nothing, setup, teardown),
		cmocka_unit_test(default_ids),
		cmocka_unit_test_setup_teardown(a_failure_midway_leaves_nothing, setup, teardown),
	};

	umask(022);
	return cmocka_run_group_tests_name("scaffold", tests, NULL, NULL);
}
