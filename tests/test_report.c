/*
 * test_report.c — `labkit report` on the results of a real run of every
 * exercise (tests/data/report/lab2, copied from a build tree) and the spec
 * they are judged by (tests/data/report/labs.yaml, labs.yaml pinned).
 * The output blocks of report.md are parsed back out and compared with
 * the results byte for byte.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "events.h"
#include "report.h"
#include "results.h"
#include "spec.h"
#include "util.h"

#define TRIM_HEAD 25     /* report_md.c's */
#define TRIM_TAIL 20

struct fixture {
	char *tmp;               /* scratch: results copies, bad specs */
	char *out;               /* the report's directory */
	char *md, *html, *svg;
	char *err;               /* the messages report_write() gave, as
				    labkit prints them */
	int rc;
	struct report_summary sum; /* of the last report_write() */
	struct spec *spec;       /* its spec, which `sum` points into */
	struct results res[5];   /* the golden results, exercises 1..5 */
};

static char *data(const char *rel)
{
	return xasprintf("%s/report/%s", getenv("LABKIT_TEST_DATA"), rel);
}

static char *slurp(const char *path)
{
	char *text = NULL;
	size_t len;

	return fs_read_file(path, &text, &len) == 0 ? text : NULL;
}

static void spit(const char *path, const char *text)
{
	char *dir = xstrdup(path);

	*strrchr(dir, '/') = '\0';
	assert_int_equal(fs_mkdirs(dir, 0755), 0);
	assert_int_equal(fs_write_atomic(path, text, strlen(text)), 0);
	free(dir);
}

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	char tmpl[] = "/tmp/labkit-report-XXXXXX";

	assert_non_null(mkdtemp(tmpl));
	f->tmp = xstrdup(tmpl);
	f->out = xasprintf("%s/out", tmpl);
	for (int i = 0; i < 5; i++) {
		char *rel = xasprintf("lab2/%d/results.yaml", i + 1);
		char *path = data(rel);

		assert_int_equal(results_load(&f->res[i], path), 0);
		free(path);
		free(rel);
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	fs_remove_tree(f->tmp);
	for (int i = 0; i < 5; i++)
		results_free(&f->res[i]);
	free(f->tmp);
	free(f->out);
	free(f->md);
	free(f->html);
	free(f->svg);
	free(f->err);
	report_summary_free(&f->sum);
	spec_free(f->spec);
	free(f);
	return 0;
}

/* The messages, one a line, as labkit's print.c writes them. */
static void collect(void *ctx, const struct event_msg *m)
{
	struct sb *err = ctx;

	events_format(m, err);
	sb_addc(err, '\n');
}

/* Runs the report with its messages caught; reads what it wrote. */
static void report(struct fixture *f, const char *spec_path,
		   const char *results, const char *lang)
{
	struct report_opts o = { results, f->out, lang };
	struct sb err;
	struct events ev = { .message = collect, .ctx = &err };

	report_summary_free(&f->sum);
	spec_free(f->spec);
	f->spec = spec_load(spec_path);
	assert_non_null(f->spec);
	sb_init(&err);
	events_set(&ev);
	f->rc = report_write(f->spec, &o, &f->sum);
	events_set(NULL);
	free(f->err);
	f->err = sb_detach(&err, NULL);
	free(f->md);
	free(f->html);
	free(f->svg);
	f->md = xasprintf("%s/report.md", f->out);
	f->html = xasprintf("%s/report.html", f->out);
	f->svg = xasprintf("%s/time.svg", f->out);
	for (char **p = &f->md; p <= &f->svg; p++) {
		char *path = *p;

		*p = slurp(path);
		free(path);
	}
}

static void golden(struct fixture *f, const char *lang)
{
	char *spec = data("labs.yaml"), *results = data("lab2");

	report(f, spec, results, lang);
	free(spec);
	free(results);
	assert_non_null(f->md);
	assert_non_null(f->html);
	assert_non_null(f->svg);
}

/* ---- the fenced blocks of report.md ---- */

struct block {
	char *info;              /* "text 3.3 output" */
	char *text;
};

static size_t parse_blocks(const char *md, struct block **out)
{
	size_t n = 0, cap = 0;
	const char *p = md;

	*out = NULL;
	while ((p = strstr(p, "\n```"))) {
		size_t fence = strspn(++p, "`");
		const char *info = p + fence, *body = strchr(info, '\n') + 1;
		const char *end = body;
		struct block b;

		while (strncmp(end, p, fence) || end[fence] != '\n') {
			end = strchr(end, '\n');
			if (!end)
				fail_msg("block '%.20s' has no closing fence", info);
			end++;
		}
		b.info = xstrndup(info, (size_t)(body - 1 - info));
		b.text = xstrndup(body, (size_t)(end - body));
		ARRAY_PUSH(*out, n, cap);
		(*out)[n++] = b;
		p = end + fence;
	}
	return n;
}

static void free_blocks(struct block *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(b[i].info);
		free(b[i].text);
	}
	free(b);
}

/* The text a block "text <id> <kind>" shows, from the golden results. */
static const char *expected(struct fixture *f, const char *id, const char *kind)
{
	int ex = atoi(id);
	const struct results *res = &f->res[ex - 1];
	const struct results_step *rs = results_step(res, id);

	assert_true(ex >= 1 && ex <= 5);
	if (!strcmp(kind, "boot"))
		return res->boot;
	if (!strcmp(kind, "tail"))
		return res->tail;
	assert_non_null(rs);
	return !strcmp(kind, "host") ? rs->host_output : rs->output;
}

static size_t count_lines(const char *s)
{
	size_t n = 0, len = strlen(s);

	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n + (len && s[len - 1] != '\n');
}

/* A trimmed block: the first lines, the marker, the last lines. */
static void check_trimmed(const char *shown, const char *full)
{
	size_t lines = count_lines(full), head = 0, i;
	char *marker = xasprintf("[… %zu lines …]\n", lines - TRIM_HEAD - TRIM_TAIL);
	const char *m;

	for (i = 0; i < TRIM_HEAD; i++)
		head = (size_t)(strchr(full + head, '\n') - full) + 1;
	assert_memory_equal(shown, full, head);
	m = shown + head;
	assert_memory_equal(m, marker, strlen(marker));
	m += strlen(marker);
	assert_int_equal(count_lines(m), TRIM_TAIL);
	assert_true(strlen(full) >= strlen(m));
	/* the tail is the end of the output (plus the newline a block adds) */
	assert_memory_equal(full + strlen(full) - strlen(m) +
			    (full[strlen(full) - 1] != '\n'), m,
			    strlen(m) - (full[strlen(full) - 1] != '\n'));
	free(marker);
}

static void check_block(struct fixture *f, const struct block *b,
			size_t *trimmed)
{
	char id[32], kind[16], *file, *saved;
	const char *full;
	size_t len;

	assert_int_equal(sscanf(b->info, "text %31s %15s", id, kind), 2);
	full = expected(f, id, kind);
	assert_non_null(full);
	len = strlen(full);
	assert_true(len > 0);
	file = strcmp(kind, "output") ? xasprintf("%s/out/%s.%s.txt", f->out, id, kind)
				      : xasprintf("%s/out/%s.txt", f->out, id);
	saved = slurp(file);
	assert_non_null(saved);
	assert_string_equal(saved, full);  /* the whole output, next to it */
	if (count_lines(full) > 60) {
		check_trimmed(b->text, full);
		++*trimmed;
	} else if (full[len - 1] == '\n') {
		assert_string_equal(b->text, full);
	} else {
		assert_int_equal(strlen(b->text), len + 1);
		assert_memory_equal(b->text, full, len);
	}
	free(saved);
	free(file);
}

/* How many blocks the golden results need: every non-empty output. */
static size_t outputs(const struct fixture *f)
{
	size_t n = 0;

	for (int i = 0; i < 5; i++) {
		const struct results *res = &f->res[i];

		n += res->boot && *res->boot;
		n += res->tail && *res->tail;
		for (size_t j = 0; j < res->nsteps; j++)
			n += (res->steps[j].output && *res->steps[j].output) +
			     (res->steps[j].host_output && *res->steps[j].host_output);
	}
	return n;
}

/* ---- tests ---- */

static void test_blocks_identical(void **state)
{
	struct fixture *f = *state;
	struct block *b;
	size_t n, checked = 0, trimmed = 0;

	golden(f, NULL);
	n = parse_blocks(f->md, &b);
	for (size_t i = 0; i < n; i++) {
		if (strncmp(b[i].info, "text ", 5) || strstr(b[i].info, " why"))
			continue;
		check_block(f, &b[i], &trimmed);
		checked++;
	}
	assert_int_equal(checked, outputs(f));
	assert_true(checked > 25);
	assert_int_equal(trimmed, 2);  /* 2.2 make help, 2.8 make all */
	free_blocks(b, n);
}

static void test_every_step(void **state)
{
	struct fixture *f = *state;
	char *path = data("labs.yaml");
	struct spec *spec = spec_load(path);

	golden(f, NULL);
	assert_non_null(spec);
	for (size_t i = 0; i < spec->nexercises; i++) {
		const struct spec_exercise *ex = &spec->exercises[i];
		char *head = xasprintf("\n## %s. %s\n", ex->id,
				       spec_text_get(&ex->title, "pl"));

		assert_non_null(strstr(f->md, head));
		free(head);
		for (size_t j = 0; j < ex->nsteps; j++) {
			char *h = xasprintf("\n### %s ", ex->steps[j].id);
			char *row = xasprintf("\n| %s | ", ex->steps[j].id);

			assert_non_null(strstr(f->md, h));
			assert_non_null(strstr(f->md, row));
			free(h);
			free(row);
		}
	}
	spec_free(spec);
	free(path);
}

static void test_no_placeholders(void **state)
{
	static const char *const bad[] = { "TODO", "(null)", "${", "‹", "%s", "%d" };
	struct fixture *f = *state;

	golden(f, NULL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_null(strstr(f->md, bad[i]));
		assert_null(strstr(f->html, bad[i]));
	}
	/* the answers are filled in: ${localversion}, ${module.name} */
	assert_non_null(strstr(f->md, "Ustawiono JanTrzeci (w menuconfig"));
	assert_non_null(strstr(f->md, "poleceniem insmod trivial.ko."));
}

static void test_summary_and_timings(void **state)
{
	struct fixture *f = *state;

	golden(f, NULL);
	assert_int_equal(f->rc, EXIT_CHECK_FAILED);  /* 2.11 booted 6.1.192QEMU */
	assert_non_null(strstr(f->md, "\n## Podsumowanie\n\n| Krok | Wynik | Czas | Uwagi |\n"));
	assert_non_null(strstr(f->md, "\n| 3.3 | passed | 0.067 s |"));
	assert_non_null(strstr(f->md, "\n| 1.1 | skipped | — | the cross-referencer"));
	assert_non_null(strstr(f->md, "\n| 2.11 | failed | 0.037 s |"));
	assert_non_null(strstr(f->md, "23 passed, 1 failed, 9 skipped, 0 not run"));
	assert_non_null(strstr(f->md, "**Czas kompilacji:** `real 9m51.538s user 7m21.894s sys 2m4.213s`"));
	assert_non_null(strstr(f->md, "`tcg` (2, 3, 4) — a KVM guest did not reach login:"));
	assert_non_null(strstr(f->md, "`uname -a`: `Linux ps2017 6.1.176 #1 Sat Jul  4"));
	assert_non_null(strstr(f->md, "![Czas pracy według sekcji](time.svg)"));
}

/* The verdict table the program shows comes with the report. */
static void test_summary_for_the_program(void **state)
{
	struct fixture *f = *state;
	const struct report_summary *sum = &f->sum;
	int total[VERDICT_COUNT] = { 0 };

	golden(f, NULL);
	assert_string_equal(sum->out_dir, f->out);
	assert_int_equal(sum->counts[VERDICT_PASSED], 23);
	assert_int_equal(sum->counts[VERDICT_FAILED], 1);
	assert_int_equal(sum->counts[VERDICT_SKIPPED], 9);
	assert_int_equal(sum->counts[VERDICT_NOT_RUN], 0);
	assert_int_equal(sum->nsections, f->spec->nexercises);
	for (size_t i = 0; i < sum->nsections; i++) {
		assert_string_equal(sum->sections[i].id, f->spec->exercises[i].id);
		for (int v = 0; v < VERDICT_COUNT; v++)
			total[v] += sum->sections[i].counts[v];
	}
	assert_memory_equal(total, sum->counts, sizeof(total));
	assert_string_equal(sum->sections[2].title, "Moduł trivial_module");
	assert_int_equal(sum->sections[1].counts[VERDICT_FAILED], 1);
	assert_true(sum->sections[1].seconds > 591.0); /* the build's 591.5 s */
	assert_int_equal(sum->nfailed, 1);
	assert_string_equal(sum->failed[0].step, "2.11");
	assert_non_null(strstr(sum->failed[0].note, "1/"));

	golden(f, "en");
	assert_string_equal(sum->sections[2].title, "The trivial module");
}

/* The summary is optional; a report that fails fills in none. */
static void test_summary_optional(void **state)
{
	struct fixture *f = *state;
	char *path = data("labs.yaml"), *results = data("lab2");
	struct report_opts o = { results, f->out, "de" };
	struct report_summary sum;
	struct spec *spec = spec_load(path);
	char *md;

	assert_non_null(spec);
	memset(&sum, 0, sizeof(sum));
	assert_int_equal(report_write(spec, &o, &sum), EXIT_USAGE);
	assert_non_null(strstr(events_last_error(), "unknown report language 'de'"));
	assert_int_equal(sum.nsections, 0);
	assert_null(sum.sections);
	o.lang = NULL;
	assert_int_equal(report_write(spec, &o, NULL), EXIT_CHECK_FAILED);
	md = xasprintf("%s/report.md", f->out);
	assert_int_equal(access(md, F_OK), 0);
	free(md);
	spec_free(spec);
	free(results);
	free(path);
}

static void test_failed_shows_pattern_and_lines(void **state)
{
	struct fixture *f = *state;
	const char *s;

	golden(f, NULL);
	s = strstr(f->md, "\n### 2.11 ");
	assert_non_null(s);
	assert_non_null(strstr(s, "**Wynik:** ✘ **failed** · 0.037 s"));
	assert_non_null(strstr(s, "- ✘ `match` `^Linux \\S+ \\S+JanTrzeci #\\d+ SMP`"));
	assert_non_null(strstr(s, "```text 2.11 why\npattern '^Linux \\S+ \\S+JanTrzeci #\\d+ SMP' not found\n"
			       "  closest lines of the output:\n"
			       "  | Linux ps2017 6.1.192QEMU #2 SMP"));
}

static char *replace(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);

	assert_non_null(at);
	assert_null(strstr(at + 1, from));   /* exactly one */
	return xasprintf("%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
}

static void test_wrong_dmesg_pattern(void **state)
{
	struct fixture *f = *state;
	char *path = data("labs.yaml"), *text = slurp(path), *results = data("lab2");
	char *wrong = replace(text, "match: \"Hello world! I'ma a trivial module!\"",
			      "match: \"Hello world! I am a trivial module!\"");
	/* the copy lives elsewhere: its module's path must not be relative */
	char *mod = xasprintf("path: %s/modules/trivial", getenv("LABKIT_SOURCE_DIR"));
	char *bad = replace(wrong, "path: ../../../modules/trivial", mod);
	char *spec = xasprintf("%s/spec/labs.yaml", f->tmp);
	const char *s;

	spit(spec, bad);
	report(f, spec, results, NULL);
	assert_int_equal(f->rc, EXIT_CHECK_FAILED);
	assert_non_null(strstr(f->md, "\n| 3.3 | failed | 0.067 s | 1/2 niespełnione oczekiwania |"));
	s = strstr(f->md, "\n### 3.3 ");
	assert_non_null(s);
	assert_non_null(strstr(s, "- ✘ `match` `Hello world! I am a trivial module!`\n"
			       "- ✔ `absent` `Oh no, why are you doing this to me\\? Argh!`\n"));
	assert_non_null(strstr(s, "pattern 'Hello world! I am a trivial module!' not found\n"
			       "  closest lines of the output:\n"
			       "  | [    2.158060] Hello world! I'ma a trivial module!"));
	assert_true(strstr(s, "\n### 3.4 ") > strstr(s, "closest lines"));
	free(spec);
	free(mod);
	free(wrong);
	free(bad);
	free(text);
	free(path);
	free(results);
}

static void test_output_does_not_match(void **state)
{
	struct fixture *f = *state;
	char *spec = data("labs.yaml"), *path = data("lab2/3/results.yaml");
	char *text = slurp(path);
	char *bad = replace(text, "\\ntrivial                16384  0 \\n",
			    "\\nnotrivial              16384  0 \\n");
	char *results = xasprintf("%s/results", f->tmp);
	char *copy = xasprintf("%s/3/results.yaml", results);

	spit(copy, bad);
	report(f, spec, results, NULL);
	assert_int_equal(f->rc, EXIT_CHECK_FAILED);
	assert_non_null(strstr(f->md, "\n| 3.2 | failed | 0.036 s |"));
	assert_non_null(strstr(f->md, "pattern '^trivial\\s+\\d+\\s+0' not found"));
	assert_non_null(strstr(f->md, "  | notrivial              16384  0 "));
	assert_non_null(strstr(f->md, "\n| 3.3 | passed |"));
	free(copy);
	free(results);
	free(bad);
	free(text);
	free(path);
	free(spec);
}

static void test_not_run_is_no_failure(void **state)
{
	struct fixture *f = *state;
	char *spec = data("labs.yaml"), *path = data("lab2/3/results.yaml");
	char *text = slurp(path), *results = xasprintf("%s/results", f->tmp);
	char *copy = xasprintf("%s/3/results.yaml", results);

	spit(copy, text);
	report(f, spec, results, NULL);
	assert_int_equal(f->rc, EXIT_OK);
	assert_non_null(strstr(f->md, "\n| 1.1 | not run | — | brak wyników: ćwiczenie nie było jeszcze uruchomione |"));
	assert_non_null(strstr(f->md, "\n| 3.5 | passed |"));
	assert_non_null(strstr(f->md, "5 passed, 0 failed, 0 skipped, 28 not run"));
	/* what did not run shows its command, the unknown filled in visibly */
	assert_non_null(strstr(f->md, "**Polecenie (nie wykonane)** (guest):\n\n```sh\nuname -a\n```"));
	assert_non_null(strstr(f->md, "`Kernel Linux ‹kernel.release› on an x86_64`"));
	assert_null(strstr(f->md, "${"));
	free(copy);
	free(results);
	free(text);
	free(path);
	free(spec);
}

/* Backticks, a missing final newline and markup in the results: the
 * block's fence outruns them, the output stays as it was, and nothing
 * from the results becomes markup in the page. */
static void test_hostile_output(void **state)
{
	struct fixture *f = *state;
	char *spec = data("labs.yaml"), *path = data("lab2/3/results.yaml");
	char *text = slurp(path), *results = xasprintf("%s/results", f->tmp);
	char *copy = xasprintf("%s/3/results.yaml", results);
	char *a = replace(text, "\\ntrivial                16384  0 \\n\"",
			  "\\ntrivial                16384  0 \\n```\\n````x\\n~ #\"");
	char *b = replace(a, "guest.poweroff: clean in 0.06 s",
			  "guest.poweroff: '<b>x</b> *y* [z](http://e) | a_b_ _c_'");
	struct block *blocks;
	size_t n, found = 0;

	spit(copy, b);
	report(f, spec, results, NULL);
	assert_int_equal(f->rc, EXIT_OK);
	n = parse_blocks(f->md, &blocks);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(blocks[i].info, "text 3.2 output"))
			continue;
		assert_string_equal(blocks[i].text, "Module                  Size  "
				    "Used by    Tainted: G  \ntrivial                "
				    "16384  0 \n```\n````x\n~ #\n");
		found++;
	}
	assert_int_equal(found, 1);
	assert_non_null(strstr(f->md, "\n`````text 3.2 output\n"));
	assert_non_null(strstr(f->md, "(kod wyjścia 0, 5 linii, bez końca linii na końcu; "
			       "pełne wyjście: [out/3.2.txt](out/3.2.txt)):\n\n`````text 3.2"));
	assert_non_null(strstr(f->html, "16384  0 \n```\n````x\n~ #\n</code></pre>"));
	assert_non_null(strstr(f->html, "<code>&lt;b&gt;x&lt;/b&gt; *y* [z](http://e) | a_b_ _c_</code>"));
	assert_null(strstr(f->html, "<b>x"));
	assert_null(strstr(f->html, "href=\"http://e\""));
	free_blocks(blocks, n);
	free(b);
	free(a);
	free(copy);
	free(results);
	free(text);
	free(path);
	free(spec);
}

static void bad_results(struct fixture *f, const char *yaml, const char *msg)
{
	char *spec = data("labs.yaml");
	char *results = xasprintf("%s/bad", f->tmp);
	char *path = xasprintf("%s/3/results.yaml", results);
	char *want = xasprintf("%s%s", path, msg);
	char *old = xasprintf("%s/report.md", f->out);

	spit(path, yaml);
	spit(old, "an older report\n");
	report(f, spec, results, NULL);
	assert_int_equal(f->rc, EXIT_USAGE);
	assert_non_null(f->err);
	if (!strstr(f->err, want))
		fail_msg("expected '%s' in:\n%s", want, f->err);
	assert_string_equal(f->md, "an older report\n");  /* left alone */
	assert_null(f->svg);
	free(old);
	free(want);
	free(path);
	free(results);
	free(spec);
}

static void test_malformed_results(void **state)
{
	bad_results(*state, "labkit-results: 1\nlab: [lab2\n", ":3:1: error: ");
}

static void test_empty_results(void **state)
{
	bad_results(*state, "", ": error: not a labkit results file");
}

static void test_other_exercise(void **state)
{
	struct fixture *f = *state;
	char *path = data("lab2/4/results.yaml"), *text = slurp(path);

	bad_results(f, text, ": error: results of lab 'lab2' exercise '4', "
		    "expected lab 'lab2' exercise '3'");
	free(text);
	free(path);
}

static void test_no_results_dir(void **state)
{
	struct fixture *f = *state;
	char *spec = data("labs.yaml"), *results = xasprintf("%s/nowhere", f->tmp);
	char *want = xasprintf("%s: error: no such results directory", results);

	report(f, spec, results, NULL);
	assert_int_equal(f->rc, EXIT_USAGE);
	assert_non_null(strstr(f->err, want));
	assert_null(f->md);
	free(want);
	free(results);
	free(spec);
}

static void test_english_first(void **state)
{
	struct fixture *f = *state;

	golden(f, "en");
	assert_non_null(strstr(f->md, "\n## Summary\n\n| Step | Verdict | Duration | Note |\n"));
	assert_non_null(strstr(f->md, "\n### 3.3 Look at the kernel messages: dmesg.\n\n"
			       "*Obejrzyj komunikaty jądra: dmesg.*\n"));
	assert_non_null(strstr(f->md, "**Build time:** `real 9m51.538s"));
	assert_non_null(strstr(f->html, "<html lang=\"en\">"));
}

static void test_chart_and_page(void **state)
{
	static const char *const external[] = { "src=\"http", "href=\"http",
		"<link", "@import", "url(", "<script", "<img" };
	struct fixture *f = *state;
	char *svg;

	golden(f, NULL);
	assert_int_equal(strncmp(f->svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39), 0);
	assert_non_null(strstr(f->svg, ">2. Kompilacja jądra</text>"));
	assert_non_null(strstr(f->svg, ">602.2 s (10m02.225s)</text>"));
	assert_null(strstr(f->svg, ">not run</text>"));
	/* the page holds the chart itself, the tables, and nothing from outside */
	svg = xstrndup(f->svg, strlen(f->svg) - 1);
	assert_non_null(strstr(f->html, svg));
	assert_non_null(strstr(f->html, "<tr><td>2.11</td><td class=\"failed\">failed</td>"));
	assert_non_null(strstr(f->html, "<th>Krok</th><th>Wynik</th>"));
	assert_non_null(strstr(f->html, "@media print"));
	for (size_t i = 0; i < sizeof(external) / sizeof(external[0]); i++)
		assert_null(strstr(f->html, external[i]));
	/* outputs are escaped, never markup */
	assert_non_null(strstr(f->html, "&lt;Select&gt;"));
	free(svg);
}

/* ---- points and faults: tests/data/report/points ---- */

/* The small lab with points: exercise 1 ran (faults/1/results.yaml),
 * exercise 2 did not. */
static void points(struct fixture *f, const char *lang)
{
	char *spec = data("points/labs.yaml"), *results = data("points/faults");

	report(f, spec, results, lang);
	free(spec);
	free(results);
	assert_non_null(f->md);
	assert_non_null(f->html);
}

/* The text of the only block whose info string is `info`. */
static char *block_text(const char *md, const char *info)
{
	struct block *b;
	size_t n = parse_blocks(md, &b);
	char *text = NULL;

	for (size_t i = 0; i < n; i++) {
		if (strcmp(b[i].info, info))
			continue;
		assert_null(text);
		text = xstrdup(b[i].text);
	}
	free_blocks(b, n);
	if (!text)
		fail_msg("no block '%s'", info);
	return text;
}

/* A step's points count when it passes; each section's score and the
 * lab's, in the report and for the program. */
static void test_points_and_scores(void **state)
{
	struct fixture *f = *state;
	const struct report_summary *sum = &f->sum;

	points(f, NULL);
	assert_int_equal(f->rc, EXIT_CHECK_FAILED);
	assert_non_null(strstr(f->md, "\n## Podsumowanie\n\n| Krok | Wynik | Punkty | Czas | Uwagi |\n"
			       "|---|---|---|---|---|\n| 1.1 | passed | 2/2 | 0.020 s |  |\n"));
	assert_non_null(strstr(f->md, "\n| 1.2 | failed | 0/3 | 0.310 s | "));
	assert_non_null(strstr(f->md, "\n| 1.3 | passed | 1/1 | 2.100 s |  |\n"));
	assert_non_null(strstr(f->md, "\n| 1.4 | failed | — | 0.030 s | "));  /* no points */
	assert_non_null(strstr(f->md, "\n| 1.5 | failed | 0/4 | 5.010 s | "));
	assert_non_null(strstr(f->md, "\n| 2.1 | not run | 0/5 | — | "));
	assert_non_null(strstr(f->md, "\n\n| § | Sekcja | Punkty |\n|---|---|---|\n"
			       "| 1 | Moduł z błędem | 3/10 |\n"
			       "| 2 | Na gospodarzu | 0/5 |\n"
			       "| | **Razem** | **3/15** |\n\n"));
	assert_null(strstr(f->md, "nie przyznaje"));
	/* the section and the step say it too */
	assert_non_null(strstr(f->md, "\n**Punkty:** 3/10\n"));
	assert_non_null(strstr(f->md, "**Wynik:** ✔ **passed** · 0.020 s · 2/2 pkt\n"));
	assert_non_null(strstr(f->md, "**Wynik:** ○ **not run** · 0/5 pkt — "));
	assert_non_null(strstr(f->html, "<td>1.1</td><td class=\"passed\">passed</td><td>2/2</td>"));
	assert_non_null(strstr(f->html, "<td><strong>Razem</strong></td><td><strong>3/15</strong></td>"));
	/* for the program */
	assert_true(sum->points);
	assert_int_equal(sum->score.got, 3);
	assert_int_equal(sum->score.max, 15);
	assert_int_equal(sum->nsections, 2);
	assert_int_equal(sum->sections[0].score.got, 3);
	assert_int_equal(sum->sections[0].score.max, 10);
	assert_int_equal(sum->sections[1].score.got, 0);
	assert_int_equal(sum->sections[1].score.max, 5);

	points(f, "en");
	assert_non_null(strstr(f->md, "| Step | Verdict | Points | Duration | Note |\n"));
	assert_non_null(strstr(f->md, "| § | Section | Points |\n"));
	assert_non_null(strstr(f->md, "| | **Total** | **3/15** |\n"));
	assert_non_null(strstr(f->md, "· 2/2 pts\n"));
}

/* A lab that gives no points is scored by the steps passed, and says so. */
static void test_no_points_counts_steps(void **state)
{
	struct fixture *f = *state;
	const struct report_summary *sum = &f->sum;

	golden(f, NULL);
	assert_non_null(strstr(f->md, "\n\n| § | Sekcja | Zaliczone kroki |\n|---|---|---|\n"
			       "| 1 | LXR i dokumentacja | 0/7 |\n"));
	assert_non_null(strstr(f->md, "\n| 2 | Kompilacja jądra | 10/11 |\n"));
	assert_non_null(strstr(f->md, "| | **Razem** | **23/33** |\n\n"
			       "*Laboratorium nie przyznaje punktów: wynik to liczba "
			       "zaliczonych kroków.*\n\n![Czas pracy"));
	assert_null(strstr(f->md, "| Punkty |"));
	assert_null(strstr(f->md, " pkt"));
	assert_false(sum->points);
	assert_int_equal(sum->score.got, 23);
	assert_int_equal(sum->score.max, 33);
	assert_int_equal(sum->sections[1].score.got, 10);
	assert_int_equal(sum->sections[1].score.max, 11);

	golden(f, "en");
	assert_non_null(strstr(f->md, "| § | Section | Steps passed |\n"));
	assert_non_null(strstr(f->md, "*The lab gives no points: the score is the "
			       "number of steps passed.*\n"));
}

/* A fault the step did not expect: under the step, its kind and first
 * line, the source line with the lines around it, the kernel's messages
 * of the step; what `labkit check` says of it, word for word; the
 * summary's note quotes it. */
static void test_unexpected_fault(void **state)
{
	struct fixture *f = *state;
	char *spec = data("points/labs.yaml"), *path = data("points/faults/1/results.yaml");
	struct spec *sp = spec_load(spec);
	struct results res;
	struct expand_vars vars;
	struct check_judgement j;
	const struct results_step *rs;
	char *text, *file, *saved;
	const char *s;

	points(f, NULL);
	assert_non_null(sp);
	assert_int_equal(results_load(&res, path), 0);
	rs = results_step(&res, "1.2");
	assert_non_null(strstr(f->md, "\n| 1.2 | failed | 0/3 | 0.310 s | 1/1 niespełnione "
			       "oczekiwania; nieoczekiwany oops: 'BUG: kernel NULL pointer "
			       "dereference, address: 0000000000000000' (oops.c:8) |\n"));
	assert_int_equal(f->sum.nfailed, 3);
	assert_string_equal(f->sum.failed[0].step, "1.2");
	assert_non_null(strstr(f->sum.failed[0].note, "nieoczekiwany oops: 'BUG: kernel NULL"));
	s = strstr(f->md, "\n### 1.2 ");
	assert_non_null(s);
	assert_non_null(strstr(s, "\n**Błąd jądra** (`oops`, nieoczekiwany: krok nie zalicza się): "
			       "`BUG: kernel NULL pointer dereference, address: 0000000000000000`\n\n"
			       "**Miejsce w kodzie:** `oops.c:8`\n\n```c 1.2 source\n"));
	text = block_text(f->md, "c 1.2 source");
	assert_string_equal(text, rs->fault.source);
	free(text);
	/* the kernel's messages: an output block, the whole in out/ */
	assert_non_null(strstr(s, "**Komunikaty jądra** (9 linii; pełne wyjście: "
			       "[out/1.2.kernel.txt](out/1.2.kernel.txt)):\n\n```text 1.2 kernel\n"));
	text = block_text(f->md, "text 1.2 kernel");
	assert_string_equal(text, rs->kernel);
	free(text);
	file = xasprintf("%s/out/1.2.kernel.txt", f->out);
	saved = slurp(file);
	assert_string_equal(saved, rs->kernel);
	free(saved);
	free(file);
	/* as one more failed expectation, explained as check explains it */
	assert_non_null(strstr(s, "- ✘ `exit` `0`\n- ✘ bez nieoczekiwanego błędu jądra\n"));
	expand_vars_init(&vars);
	check_vars(sp, &res, &vars);
	check_judge(spec_step(sp, "1.2", NULL), &res, &vars, &j);
	assert_non_null(j.unexpected);
	assert_non_null(strstr(j.unexpected, "  at oops.c:8:\n     6 | static int __init"));
	text = xasprintf("```text 1.2 why\n%s```\n", j.unexpected);
	assert_non_null(strstr(s, text));
	free(text);
	check_judgement_free(&j);
	/* in a step with no expectations, and without a source: its trace */
	s = strstr(f->md, "\n### 1.4 ");
	assert_non_null(s);
	assert_non_null(strstr(s, "**Wynik:** ✘ **failed** · 0.030 s — bez sprawdzenia: "
			       "only a fault of the kernel can fail it; nieoczekiwany warn: "));
	assert_non_null(strstr(s, "**Miejsce w kodzie:** `warn.c:20`.\n\n**Ślad błędu** (1 linia;"));
	assert_non_null(strstr(s, "**Oczekiwania:**\n\n- ✘ bez nieoczekiwanego błędu jądra\n\n"
			       "```text 1.4 why\nunexpected warn: 'WARNING: CPU: 0 PID: 81"));
	text = block_text(f->md, "text 1.4 trace");
	assert_string_equal(text, results_step(&res, "1.4")->fault.trace);
	free(text);
	assert_null(strstr(f->md, "(null)"));
	assert_null(strstr(f->md, "${"));
	expand_vars_free(&vars);
	results_free(&res);
	spec_free(sp);
	free(path);
	free(spec);
}

/* A fault the step expects is shown, and does not fail it; a step that
 * waited says for what and how long. */
static void test_expected_fault_and_wait(void **state)
{
	struct fixture *f = *state;
	const char *s, *k;

	points(f, NULL);
	s = strstr(f->md, "\n### 1.3 ");
	assert_non_null(s);
	assert_non_null(strstr(s, "**Wynik:** ✔ **passed** · 2.100 s · 1/1 pkt\n"));
	assert_non_null(strstr(s, "\n**Oczekiwanie** na komunikat jądra `timer fired`: "
			       "pojawił się po 2.004 s.\n"));
	assert_non_null(strstr(s, "\n**Błąd jądra** (`warn`, oczekiwany przez krok): "
			       "`WARNING: CPU: 0 PID: 80 at warn.c:12 warn_write+0x10/0x20 [warn]`\n"));
	assert_non_null(strstr(s, "- ✔ `warn` `WARNING: .* warn_write`\n"
			       "- ✔ `match` `timer fired` (w komunikatach jądra)\n"));
	k = strstr(s, "\n```text 1.3 kernel\n[    4.001000] WARNING: CPU: 0");
	assert_non_null(k);
	assert_true(k < strstr(s, "\n### 1.4 "));
	s = strstr(f->md, "\n### 1.5 ");
	assert_non_null(s);
	assert_non_null(strstr(s, "\n**Oczekiwanie** na komunikat jądra `second timer`: "
			       "nie pojawił się w ciągu 5.000 s.\n"));
	/* a step with no wait says nothing of one */
	s = strstr(f->md, "\n### 1.1 ");
	assert_true(strstr(s, "**Oczekiwanie**") > strstr(s, "\n### 1.3 "));

	points(f, "en");
	assert_non_null(strstr(f->md, "\n**Wait** for the kernel message `timer fired`: "
			       "seen after 2.004 s.\n"));
	assert_non_null(strstr(f->md, "`second timer`: not seen within 5.000 s.\n"));
	assert_non_null(strstr(f->md, "\n**Kernel fault** (`oops`, unexpected: the step fails): "));
	assert_non_null(strstr(f->md, "\n**Source line:** `oops.c:8`\n"));
	assert_non_null(strstr(f->md, "- ✘ no unexpected kernel fault\n"));
	assert_non_null(strstr(f->md, "| 1/1 expectations failed; unexpected oops: 'BUG: "));
}

/* A fault expectation that met another fault: the report's explanation
 * names the line and source, as `labkit check` does. */
static void test_failed_fault_expectation(void **state)
{
	struct fixture *f = *state;
	char *path = data("points/faults/1/results.yaml"), *spec = data("points/labs.yaml");
	char *text = slurp(path), *results = xasprintf("%s/results", f->tmp);
	char *copy = xasprintf("%s/1/results.yaml", results);
	char *bad = replace(text, "  fault: warn\n  fault_line: \"WARNING: CPU: 0 PID: 80",
			    "  fault: oops\n  fault_where: oops.c:8\n  fault_source: \">    8 | x = 1;\\n\"\n"
			    "  fault_line: \"WARNING: CPU: 0 PID: 80");
	const char *s;

	spit(copy, bad);
	report(f, spec, results, NULL);
	assert_int_equal(f->rc, EXIT_CHECK_FAILED);
	assert_non_null(strstr(f->md, "\n| 1.3 | failed | 0/1 | 2.100 s | 1/2 niespełnione "
			       "oczekiwania; nieoczekiwany oops: 'WARNING: CPU: 0 PID: 80"));
	s = strstr(f->md, "\n### 1.3 ");
	assert_non_null(s);
	assert_non_null(strstr(s, "- ✘ `warn` `WARNING: .* warn_write`\n"));
	assert_non_null(strstr(s, "```text 1.3 why\nexpected warn 'WARNING: .* warn_write', "
			       "but oops: 'WARNING: CPU: 0 PID: 80 at warn.c:12 warn_write+0x10/0x20 "
			       "[warn]'\n  at oops.c:8:\n>    8 | x = 1;\n```\n"));
	free(bad);
	free(copy);
	free(results);
	free(text);
	free(spec);
	free(path);
}

static void test_live_spec(void **state)
{
	struct fixture *f = *state;
	char *spec = xasprintf("%s/labs.yaml", getenv("LABKIT_SOURCE_DIR"));
	char *results = data("lab2");

	report(f, spec, results, NULL);
	assert_true(f->rc == EXIT_OK || f->rc == EXIT_CHECK_FAILED);
	assert_non_null(f->md);
	assert_null(strstr(f->md, "(null)"));
	free(results);
	free(spec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_blocks_identical, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_step, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_placeholders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_summary_and_timings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_summary_for_the_program, setup, teardown),
		cmocka_unit_test_setup_teardown(test_summary_optional, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_shows_pattern_and_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_dmesg_pattern, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_does_not_match, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_run_is_no_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_output, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_results, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_results, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_exercise, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_results_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_english_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chart_and_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_live_spec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_points_and_scores, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_points_counts_steps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unexpected_fault, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expected_fault_and_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_fault_expectation, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
