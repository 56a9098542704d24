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

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "check.h"
#include "events.h"
#include "report.h"
#include "results.h"
#include "spec.h"
#include "util.h"
#include "testfiles.h"

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

static bool as_student;      /* the next report()'s report_opts */

/* Runs the report with its messages caught; reads what it wrote. */
static void report(struct fixture *f, const char *spec_path,
		   const char *results, const char *lang)
{
	struct report_opts o = { results, f->out, LANG_PL, as_student };
	struct sb err;
	struct events ev = { .message = collect, .ctx = &err };

	if (lang)
		assert_int_equal(lang_parse(lang, &o.lang), 0);
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

/* "5 linii", "22 linie", "1 linia"; "5 lines" in English. */
static char *lines_word(size_t n, const char *lang)
{
	if (lang && !strcmp(lang, "en"))
		return xasprintf("%zu line%s", n, n == 1 ? "" : "s");
	if (n == 1)
		return xstrdup("1 linia");
	if (n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14))
		return xasprintf("%zu linie", n);
	return xasprintf("%zu linii", n);
}

/* A trimmed block: the first lines, the marker (in the report's
 * language), the last lines. */
static void check_trimmed(const char *shown, const char *full, const char *lang)
{
	size_t lines = count_lines(full), head = 0, i;
	char *n = lines_word(lines - TRIM_HEAD - TRIM_TAIL, lang);
	char *marker = xasprintf("[… %s …]\n", n);
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
	free(n);
}

static void check_block(struct fixture *f, const struct block *b,
			size_t *trimmed, const char *lang)
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
		check_trimmed(b->text, full, lang);
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

	for (int en = 0; en < 2; en++) {
		const char *lang = en ? "en" : NULL;

		golden(f, lang);
		n = parse_blocks(f->md, &b);
		checked = trimmed = 0;
		for (size_t i = 0; i < n; i++) {
			if (strncmp(b[i].info, "text ", 5) || strstr(b[i].info, " why"))
				continue;
			check_block(f, &b[i], &trimmed, lang);
			checked++;
		}
		assert_int_equal(checked, outputs(f));
		assert_true(checked > 25);
		assert_int_equal(trimmed, 2);  /* 2.2 make help, 2.8 make all */
		free_blocks(b, n);
	}
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
	assert_non_null(strstr(f->md, "\n| 3.3 | zaliczony | 0.067 s |"));
	assert_non_null(strstr(f->md, "\n| 1.1 | pominięty | — | indeks odwołań (labkit xref) "
			       "nie jest jeszcze obsługiwany |"));
	assert_non_null(strstr(f->md, "\n| 2.11 | niezaliczony | 0.037 s |"));
	assert_non_null(strstr(f->md, "**Razem:** zaliczone: 23, niezaliczone: 1, "
			       "pominięte: 9, niewykonane: 0; "));
	assert_non_null(strstr(f->md, "**Czas kompilacji:** `real 9m51.538s user 7m21.894s sys 2m4.213s`"));
	/* these results have no ccache counts: the time says so */
	assert_non_null(strstr(f->md, "`real 9m51.538s user 7m21.894s sys 2m4.213s` — "
			       "bez ccache lub bez jego liczników\n"));
	assert_non_null(strstr(f->md, "\n| 2.8 | zaliczony | 591.538 s (bez ccache) |"));
	assert_non_null(strstr(f->md, "`tcg` (2, 3, 4) — gość z KVM nie doszedł do login: "
			       "w ciągu 6 s (przekroczony limit czasu); zapamiętane w "
			       "/tmp/b4/accel-probe.txt\n"));
	assert_non_null(strstr(f->md, "| `guest.user` | użytkownik uruchamiający labkit |\n"));
	assert_non_null(strstr(f->md, "| `guest.poweroff` | wyłączony poprawnie po 0.07 s |\n"));
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
	char *none = data("no-such-results");
	struct report_opts o = { none, f->out, LANG_PL, false };
	struct report_summary sum;
	struct spec *spec = spec_load(path);
	char *md;

	assert_non_null(spec);
	memset(&sum, 0, sizeof(sum));
	assert_int_equal(report_write(spec, &o, &sum), EXIT_USAGE);
	assert_non_null(strstr(events_last_error(), "no such results directory"));
	assert_int_equal(sum.nsections, 0);
	assert_null(sum.sections);
	o.results_dir = results;
	assert_int_equal(report_write(spec, &o, NULL), EXIT_CHECK_FAILED);
	md = xasprintf("%s/report.md", f->out);
	assert_int_equal(access(md, F_OK), 0);
	free(md);
	spec_free(spec);
	free(none);
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
	assert_non_null(strstr(s, "**Wynik:** ✘ **niezaliczony** · 0.037 s"));
	assert_non_null(strstr(s, "- ✘ występuje `^Linux \\S+ \\S+JanTrzeci #\\d+ SMP`"));
	assert_non_null(strstr(s, "```text 2.11 why\nnie znaleziono wzorca '^Linux \\S+ \\S+JanTrzeci #\\d+ SMP'\n"
			       "  najbliższe linie wyjścia:\n"
			       "  | Linux ps2017 6.1.192QEMU #2 SMP"));
	/* in English, `labkit check`'s own words */
	golden(f, "en");
	s = strstr(f->md, "\n### 2.11 ");
	assert_non_null(s);
	assert_non_null(strstr(s, "**Verdict:** ✘ **failed** · 0.037 s"));
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
	assert_non_null(strstr(f->md, "\n| 3.3 | niezaliczony | 0.067 s | 1/2 niespełnione oczekiwania |"));
	s = strstr(f->md, "\n### 3.3 ");
	assert_non_null(s);
	assert_non_null(strstr(s, "- ✘ występuje `Hello world! I am a trivial module!`\n"
			       "- ✔ nie występuje `Oh no, why are you doing this to me\\? Argh!`\n"));
	assert_non_null(strstr(s, "nie znaleziono wzorca 'Hello world! I am a trivial module!'\n"
			       "  najbliższe linie wyjścia:\n"
			       "  | [    2.158060] Hello world! I'ma a trivial module!"));
	assert_true(strstr(s, "\n### 3.4 ") > strstr(s, "najbliższe linie"));
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
	assert_non_null(strstr(f->md, "\n| 3.2 | niezaliczony | 0.036 s |"));
	assert_non_null(strstr(f->md, "nie znaleziono wzorca '^trivial\\s+\\d+\\s+0'"));
	assert_non_null(strstr(f->md, "  | notrivial              16384  0 "));
	assert_non_null(strstr(f->md, "\n| 3.3 | zaliczony |"));
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
	assert_non_null(strstr(f->md, "\n| 1.1 | niewykonany | — | brak wyników: ćwiczenie nie było jeszcze uruchomione |"));
	assert_non_null(strstr(f->md, "\n| 3.5 | zaliczony |"));
	assert_non_null(strstr(f->md, "zaliczone: 5, niezaliczone: 0, pominięte: 0, niewykonane: 28"));
	/* what did not run shows its command, the unknown filled in visibly */
	assert_non_null(strstr(f->md, "**Polecenie (nie wykonane)** (na gościu):\n\n```sh\nuname -a\n```"));
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
	assert_non_null(strstr(f->svg, "<tspan fill=\"#c0504d\">budowanie: bez ccache · </tspan>"
			       "602.2 s (10m02.225s)</text>"));
	/* the page holds the chart itself, the tables, and nothing from outside */
	svg = xstrndup(f->svg, strlen(f->svg) - 1);
	assert_non_null(strstr(f->html, svg));
	assert_non_null(strstr(f->html, "<tr><td>2.11</td><td class=\"failed\">niezaliczony</td>"));
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
			       "|---|---|---|---|---|\n| 1.1 | zaliczony | 2/2 | 0.020 s |  |\n"));
	assert_non_null(strstr(f->md, "\n| 1.2 | niezaliczony | 0/3 | 0.310 s | "));
	assert_non_null(strstr(f->md, "\n| 1.3 | zaliczony | 1/1 | 2.100 s |  |\n"));
	assert_non_null(strstr(f->md, "\n| 1.4 | niezaliczony | — | 0.030 s | "));  /* no points */
	assert_non_null(strstr(f->md, "\n| 1.5 | niezaliczony | 0/4 | 5.010 s | "));
	assert_non_null(strstr(f->md, "\n| 2.1 | niewykonany | 0/5 | — | "));
	assert_non_null(strstr(f->md, "\n\n| § | Sekcja | Punkty |\n|---|---|---|\n"
			       "| 1 | Moduł z błędem | 3/10 |\n"
			       "| 2 | Na gospodarzu | 0/5 |\n"
			       "| | **Razem** | **3/15** |\n\n"));
	assert_null(strstr(f->md, "nie przyznaje"));
	/* the section and the step say it too */
	assert_non_null(strstr(f->md, "\n**Punkty:** 3/10\n"));
	assert_non_null(strstr(f->md, "**Wynik:** ✔ **zaliczony** · 0.020 s · 2/2 pkt\n"));
	assert_non_null(strstr(f->md, "**Wynik:** ○ **niewykonany** · 0/5 pkt — "));
	assert_non_null(strstr(f->html, "<td>1.1</td><td class=\"passed\">zaliczony</td><td>2/2</td>"));
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
	assert_non_null(strstr(f->html, "<td>1.1</td><td class=\"passed\">passed</td><td>2/2</td>"));
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
	char *text, *file, *saved, *why;
	const char *s;

	points(f, NULL);
	assert_non_null(sp);
	assert_int_equal(results_load(&res, path), 0);
	rs = results_step(&res, "1.2");
	assert_non_null(strstr(f->md, "\n| 1.2 | niezaliczony | 0/3 | 0.310 s | 1/1 niespełnione "
			       "oczekiwania; nieoczekiwany błąd jądra (oops): 'BUG: kernel NULL pointer "
			       "dereference, address: 0000000000000000' (oops.c:8) |\n"));
	assert_int_equal(f->sum.nfailed, 3);
	assert_string_equal(f->sum.failed[0].step, "1.2");
	assert_non_null(strstr(f->sum.failed[0].note, "nieoczekiwany błąd jądra (oops): 'BUG: kernel NULL"));
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
	assert_non_null(strstr(s, "- ✘ kod wyjścia `0`\n- ✘ bez nieoczekiwanego błędu jądra\n"));
	expand_vars_init(&vars);
	check_vars(sp, &res, &vars);
	check_judge(spec_step(sp, "1.2", NULL), &res, &vars, &j);
	assert_int_not_equal(j.unexpected.code, REASON_NONE);
	why = reason_text(&j.unexpected, LANG_EN);
	assert_non_null(strstr(why, "  at oops.c:8:\n     6 | static int __init"));
	/* in Polish, its lines in Polish, the source as it is */
	assert_non_null(strstr(s, "```text 1.2 why\nnieoczekiwany błąd jądra (oops): 'BUG: kernel "
			       "NULL pointer dereference, address: 0000000000000000'\n  w oops.c:8:\n"));
	assert_non_null(strstr(s, strstr(why, "     6 | static int __init")));
	/* in a step with no expectations, and without a source: its trace */
	s = strstr(f->md, "\n### 1.4 ");
	assert_non_null(s);
	assert_non_null(strstr(s, "**Wynik:** ✘ **niezaliczony** · 0.030 s — bez sprawdzenia: "
			       "only a fault of the kernel can fail it; nieoczekiwany błąd jądra "
			       "(ostrzeżenie): "));
	assert_non_null(strstr(s, "**Miejsce w kodzie:** `warn.c:20`.\n\n**Ślad błędu** (1 linia;"));
	assert_non_null(strstr(s, "**Oczekiwania:**\n\n- ✘ bez nieoczekiwanego błędu jądra\n\n"
			       "```text 1.4 why\nnieoczekiwany błąd jądra (ostrzeżenie): "
			       "'WARNING: CPU: 0 PID: 81"));
	text = block_text(f->md, "text 1.4 trace");
	assert_string_equal(text, results_step(&res, "1.4")->fault.trace);
	free(text);
	assert_null(strstr(f->md, "(null)"));
	assert_null(strstr(f->md, "${"));
	/* in English, what `labkit check` says, word for word */
	points(f, "en");
	s = strstr(f->md, "\n### 1.2 ");
	assert_non_null(s);
	text = xasprintf("```text 1.2 why\n%s```\n", why);
	assert_non_null(strstr(s, text));
	free(text);
	free(why);
	check_judgement_free(&j);
	expand_vars_free(&vars);
	results_free(&res);
	spec_free(sp);
	free(path);
	free(spec);
}

/* A fault that floods the kernel's console: the step's kernel text in
 * the report has the repeated block once and how many times (in the
 * report's language), out/ has it whole. */
static void test_a_flood_is_counted(void **state)
{
	struct fixture *f = *state;
	char *spec = data("points/labs.yaml"), *path = data("points/faults/1/results.yaml");
	char *dir = xasprintf("%s/flood/1", f->tmp), *copy, *text, *file, *saved;
	struct results res;
	struct results_step *rs;
	struct sb k;

	assert_int_equal(results_load(&res, path), 0);
	rs = (struct results_step *)results_step(&res, "1.2");
	sb_init(&k);
	sb_adds(&k, "[    5.8] BUG: scheduling while atomic: swapper/0/0/0x00000102\n");
	for (int i = 0; i < 412; i++)
		sb_addf(&k, "[    6.%03d] bad: scheduling from the idle thread!\n"
			"[    6.%03d]  dump_stack_lvl+0x44/0x5c\n", i, i);
	free(rs->kernel);
	rs->kernel = sb_detach(&k, NULL);
	assert_int_equal(fs_mkdirs(dir, 0755), 0);
	copy = xasprintf("%s/results.yaml", dir);
	assert_int_equal(results_write(&res, copy), 0);
	*strrchr(dir, '/') = '\0';
	report(f, spec, dir, "pl");
	text = block_text(f->md, "text 1.2 kernel");
	assert_string_equal(text, "[    5.8] BUG: scheduling while atomic: swapper/0/0/0x00000102\n"
			    "[    6.000] bad: scheduling from the idle thread!\n"
			    "[    6.000]  dump_stack_lvl+0x44/0x5c\n"
			    "[… powyższe wiersze (2) powtórzyły się 412 razy …]\n");
	free(text);
	assert_non_null(strstr(f->md, "**Komunikaty jądra** (825 linii;"));
	file = xasprintf("%s/out/1.2.kernel.txt", f->out);
	saved = slurp(file);
	assert_string_equal(saved, rs->kernel);
	report(f, spec, dir, "en");
	assert_non_null(strstr(f->md, "[… the 2 lines above repeated 412 times …]\n"));
	free(saved);
	free(file);
	free(copy);
	free(dir);
	results_free(&res);
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
	assert_non_null(strstr(s, "**Wynik:** ✔ **zaliczony** · 2.100 s · 1/1 pkt\n"));
	assert_non_null(strstr(s, "\n**Oczekiwanie** na komunikat jądra `timer fired`: "
			       "pojawił się po 2.004 s.\n"));
	assert_non_null(strstr(s, "\n**Błąd jądra** (`ostrzeżenie`, oczekiwany przez krok): "
			       "`WARNING: CPU: 0 PID: 80 at warn.c:12 warn_write+0x10/0x20 [warn]`\n"));
	assert_non_null(strstr(s, "- ✔ ostrzeżenie `WARNING: .* warn_write`\n"
			       "- ✔ występuje `timer fired` (w komunikatach jądra)\n"));
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
	assert_non_null(strstr(f->md, "- ✔ warn `WARNING: .* warn_write`\n"
			       "- ✔ match `timer fired` (in the kernel's messages)\n"));
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
	assert_non_null(strstr(f->md, "\n| 1.3 | niezaliczony | 0/1 | 2.100 s | 1/2 niespełnione "
			       "oczekiwania; nieoczekiwany błąd jądra (oops): 'WARNING: CPU: 0 PID: 80"));
	s = strstr(f->md, "\n### 1.3 ");
	assert_non_null(s);
	assert_non_null(strstr(s, "- ✘ ostrzeżenie `WARNING: .* warn_write`\n"));
	assert_non_null(strstr(s, "```text 1.3 why\noczekiwano błędu jądra (ostrzeżenie) pasującego "
			       "do 'WARNING: .* warn_write', a jądro zgłosiło (oops): 'WARNING: CPU: 0 "
			       "PID: 80 at warn.c:12 warn_write+0x10/0x20 [warn]'\n  w oops.c:8:\n"
			       ">    8 | x = 1;\n```\n"));
	/* in English, as `labkit check` says it */
	report(f, spec, results, "en");
	s = strstr(f->md, "\n### 1.3 ");
	assert_non_null(s);
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

/* ---- one language: tests/data/report/lang ---- */

/* The small lab whose texts and outputs hold no fixed word of either
 * report: exercises 1-3 ran (lang/results), 4 did not. */
static void lang(struct fixture *f, const char *l)
{
	char *spec = data("lang/labs.yaml"), *results = data("lang/results");

	report(f, spec, results, l);
	free(spec);
	free(results);
	assert_non_null(f->md);
	assert_non_null(f->html);
	assert_non_null(f->svg);
}

/* Drops the code spans of a line of Markdown, and its links to out/:
 * they hold data and file names. */
static void add_without_code(struct sb *sb, const char *line, size_t len)
{
	for (size_t i = 0; i < len; ) {
		size_t n = 0, j;
		const char *end;

		if (!strncmp(line + i, "[out/", 5) &&
		    (end = memmem(line + i, len - i, ")", 1))) {
			i = (size_t)(end - line) + 1;
			continue;
		}
		while (i + n < len && line[i + n] == '`')
			n++;
		if (!n) {
			sb_addc(sb, line[i++]);
			continue;
		}
		for (j = i + n; j < len; j++) {   /* the closing run */
			size_t m = 0;

			while (j + m < len && line[j + m] == '`')
				m++;
			if (m == n)
				break;
			j += m ? m - 1 : 0;
		}
		i = j < len ? j + n : len;
		sb_addc(sb, ' ');
	}
}

/*
 * The report's own text: report.md without the blocks of outputs,
 * commands and sources (the explanations of failures stay: the report
 * words them), without code spans (commands, patterns, paths, facts as
 * recorded) and without emphasised lines (the other language's texts
 * from the spec); `no_spec`: nor headings and answers (the spec's texts
 * in the report's language).
 */
static char *own_md(const char *md, bool no_spec)
{
	struct sb sb;
	size_t fence = 0;
	bool keep = true;

	sb_init(&sb);
	for (const char *p = md; *p; ) {
		size_t n = strcspn(p, "\n"), ticks = strspn(p, "`");

		if (!fence && ticks >= 3) {
			fence = ticks;
			keep = memmem(p, n, " why", 4) != NULL;
		} else if (fence && ticks == fence && ticks == n) {
			fence = 0;
		} else if (fence) {
			if (keep)
				sb_add(&sb, p, n);
		} else if (no_spec && (p[0] == '#' || !strncmp(p, "**Odpowiedź:**", 15) ||
				       !strncmp(p, "**Answer:**", 11))) {
			;
		} else if (!(n > 2 && p[0] == '*' && p[1] != '*' && p[n - 1] == '*')) {
			add_without_code(&sb, p, n);
		}
		sb_addc(&sb, '\n');
		p += n + (p[n] == '\n');
	}
	return sb_detach(&sb, NULL);
}

/* Drops <tag>...</tag> wholly. */
static void drop_element(char *s, const char *open, const char *close)
{
	char *a, *b;

	while ((a = strstr(s, open)) && (b = strstr(a, close)))
		memmove(a, b + strlen(close), strlen(b + strlen(close)) + 1);
}

/* What a reader sees of report.html or time.svg, but outputs, data, file
 * names and the other language's texts: no style, <pre>, <code>, <em>,
 * links to out/, no tags. */
static char *own_markup(const char *html)
{
	char *s = xstrdup(html), *o = s;
	bool tag = false;

	drop_element(s, "<style>", "</style>");
	drop_element(s, "<pre>", "</pre>");
	drop_element(s, "<code>", "</code>");
	drop_element(s, "<em>", "</em>");
	drop_element(s, "<a href=\"out/", "</a>");
	for (const char *p = s; *p; p++) {
		if (*p == '<' || *p == '>')
			tag = *p == '<';
		else if (!tag)
			*o++ = *p;
		if (*p == '>')
			*o++ = ' ';
	}
	*o = '\0';
	return s;
}

/* A byte of a word: "--kernel-dir" and "guest_exit" are one word each. */
static bool word_byte(char c)
{
	return isalnum((unsigned char)c) || (unsigned char)c >= 0x80 ||
	       c == '-' || c == '_';
}

/* `w` in `text` as a word (or words): not part of a longer one. */
static const char *find_word(const char *text, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = text; (p = strstr(p, w)); p++)
		if (!(p > text && word_byte(p[-1]) && word_byte(w[0])) &&
		    !(word_byte(p[n]) && word_byte(w[n - 1])))
			return p;
	return NULL;
}

/* The literal pieces of a word of the table ("a KVM guest did not reach
 * login: within {1} s ({t2})"), trimmed of spaces and punctuation, that
 * the other language's word does not hold too; `fn` sees each. */
static void each_piece(const char *word, const char *other,
		       void (*fn)(const char *piece, void *ctx), void *ctx)
{
	char *s = xstrdup(word);

	for (char *p = s; *p; ) {
		size_t n = 0;
		char *piece;

		while (p[n] && !(p[n] == '{' && strchr(p + n, '}')))
			n++;
		piece = xstrndup(p, n);
		p += n;
		if (*p == '{')
			p = strchr(p, '}') + 1;
		for (size_t a = 0, len = strlen(piece); len; ) {
			if (!word_byte(piece[a]) && piece[a] != '\'') {
				a++, len--;
			} else if (!word_byte(piece[a + len - 1]) &&
				   piece[a + len - 1] != ')') {
				len--;
			} else {
				memmove(piece, piece + a, len);
				piece[len] = '\0';
				break;
			}
			if (!len)
				piece[0] = '\0';
		}
		if (strlen(piece) >= 2 && !strstr(other, piece))
			fn(piece, ctx);
		free(piece);
	}
	free(s);
}

struct own {
	const char *lang;        /* the report's: the words looked for are
				    the other's */
	const char *text[3];     /* report.md, report.html, time.svg as read */
	size_t checked;
};

static void absent_from_own(const char *piece, void *ctx)
{
	struct own *o = ctx;
	static const char *const names[] = { "report.md", "report.html", "time.svg" };

	for (int i = 0; i < 3; i++) {
		const char *at = find_word(o->text[i], piece);

		if (at)
			fail_msg("the %s report's %s holds '%s' of the other language: "
				 "'...%.60s'", o->lang, names[i], piece,
				 at > o->text[i] + 20 ? at - 20 : o->text[i]);
	}
	o->checked++;
}

/* No word of the table in the other language appears in the report's
 * own text (where the two languages' words differ).  `no_spec`: the
 * spec's texts hold any words, so its headings and answers are left
 * out, and the page (which holds them too). */
static size_t check_one_language(struct fixture *f, const char *l, bool no_spec)
{
	struct own o = { l ? l : "pl", { own_md(f->md, no_spec),
					  no_spec ? xstrdup("") : own_markup(f->html),
					  own_markup(f->svg) }, 0 };
	const char *pl, *en;

	for (size_t i = 0; report_words(i, &pl, &en); i++) {
		assert_non_null(pl);
		assert_non_null(en);
		if (!strcmp(pl, en))
			continue;
		if (l && !strcmp(l, "en"))
			each_piece(pl, en, absent_from_own, &o);
		else
			each_piece(en, pl, absent_from_own, &o);
	}
	for (int i = 0; i < 3; i++)
		free((char *)o.text[i]);
	return o.checked;
}

/* Every fixed word of the Polish report is Polish, every one of the
 * English report English: the table's words, the names of results, the
 * known forms of facts and reasons, the explanations' words. */
static void test_one_language(void **state)
{
	struct fixture *f = *state;
	size_t n;

	lang(f, NULL);
	n = check_one_language(f, NULL, false);
	assert_true(n > 150);        /* pieces of English looked for */
	lang(f, "en");
	n = check_one_language(f, "en", false);
	assert_true(n > 150);        /* pieces of Polish */
	/* the Lab 2 run's reports too, but for the spec's own texts */
	golden(f, NULL);
	check_one_language(f, NULL, true);
	golden(f, "en");
	check_one_language(f, "en", true);
}

/* The Lab 2 run's Polish report: none of the English it used to hold;
 * the English one none of the Polish. */
static void test_lab2_one_language(void **state)
{
	static const char *const english[] = {
		"passed", "failed", "skipped", "not run", "Razem: 33",
		"the user running", "clean in", "a KVM guest", "cached in",
		"lines …]", "(guest)", "(build)", "`match`", "`exit`", "ok",
	};
	static const char *const polish[] = {
		"zaliczony", "niezaliczony", "pominięty", "niewykonany",
		"zaliczone:", "Razem", "Podsumowanie", "Środowisko", "Przebieg",
		"użytkownik uruchamiający", "wyłączony poprawnie", "gość z KVM",
		"zapamiętane w", "bez ccache", "linii …]", "(na gościu)",
		"występuje", "nie uruchomiono", "budowanie",
	};
	struct fixture *f = *state;
	char *md, *html, *svg;

	golden(f, NULL);
	md = own_md(f->md, false);   /* the outputs are the run's own */
	html = own_markup(f->html);
	for (size_t i = 0; i < sizeof(english) / sizeof(english[0]); i++) {
		if (strstr(english[i], "…]") || english[i][0] == '(' ||
		    english[i][0] == '`') {   /* in blocks and code spans */
			assert_null(strstr(f->md, english[i]));
			continue;
		}
		assert_null(find_word(md, english[i]));
		assert_null(find_word(html, english[i]));
		assert_null(find_word(f->svg, english[i]));
	}
	assert_non_null(strstr(f->md, "[… 1620 linii …]"));
	free(md);
	free(html);

	golden(f, "en");
	md = own_md(f->md, false);   /* and the Polish texts of the spec */
	html = own_markup(f->html);
	svg = own_markup(f->svg);
	for (size_t i = 0; i < sizeof(polish) / sizeof(polish[0]); i++) {
		if (strstr(polish[i], "…]")) {
			assert_null(strstr(f->md, polish[i]));
			continue;
		}
		assert_null(find_word(md, polish[i]));
		assert_null(find_word(html, polish[i]));
		assert_null(find_word(svg, polish[i]));
	}
	assert_non_null(strstr(f->md, "[… 1620 lines …]"));
	free(md);
	free(html);
	free(svg);
}

/* What the run wrote in English, in the Polish report's words; its data
 * kept.  The English report shows it as it was written. */
static void test_facts_and_reasons(void **state)
{
	struct fixture *f = *state;

	lang(f, NULL);
	assert_non_null(strstr(f->md, "| `guest.user` | użytkownik uruchamiający labkit |\n"));
	assert_non_null(strstr(f->md, "| `guest.poweroff` | zabity |\n"));
	assert_non_null(strstr(f->md, "| `guest.accel_reason` | gość z KVM nie doszedł do "
			       "login: w ciągu 6 s (przekroczony limit czasu); zapamiętane w "
			       "/tmp/lang/accel-probe.txt |\n"));
	assert_non_null(strstr(f->md, "| `guest.leftover` | `0` |\n"));   /* data */
	assert_non_null(strstr(f->md, "**Przebieg:** przekroczony limit czasu — krok 1.5: "
			       "przekroczony limit czasu; uruchomienie 70.5 s"));
	assert_non_null(strstr(f->md, "\n| 1.5 | niezaliczony | 0/1 | 60.000 s | "
			       "przekroczony limit czasu |\n"));
	assert_non_null(strstr(f->md, "\n| 1.6 | niewykonany | 0/1 | — | gość już nie "
			       "działał: gość został zatrzymany, gdy krok 1.5 przekroczył "
			       "limit czasu |\n"));
	assert_non_null(strstr(f->md, "\n| 1.7 | pominięty | — | — | nie podano jądra "
			       "gościa (--kernel-dir) |\n"));
	assert_non_null(strstr(f->md, "**Polecenie** (na gościu):"));
	assert_non_null(strstr(f->md, "**Polecenie (nie wykonane)** (na gospodarzu):"));
	assert_non_null(strstr(f->md, "```text 1.2 why\nnie znaleziono wzorca '^qqq$'\n"
			       "  żadna linia wyjścia nie jest podobna; całe wyjście:\nzzz\n```"));
	assert_non_null(strstr(f->md, "```text 1.3 why\nkod wyjścia polecenia na gospodarzu 1, "
			       "oczekiwano 0\n  wyjście:\nqqq\n```"));
	assert_non_null(strstr(f->md, "```text 1.5 why\nkrok nie dobiegł końca: "
			       "przekroczony limit czasu\n```"));
	assert_non_null(strstr(f->md, "- ✔ kolejno `^1$` potem `^2$`\n"));
	assert_non_null(strstr(f->svg, ">nie uruchomiono</text>"));
	assert_non_null(strstr(f->html, "<td class=\"not-run\">niewykonany</td>"));
	assert_non_null(strstr(f->html, "<td class=\"skipped\">pominięty</td>"));

	lang(f, "en");
	assert_non_null(strstr(f->md, "| `guest.user` | the user running labkit |\n"));
	assert_non_null(strstr(f->md, "| `guest.poweroff` | killed |\n"));
	assert_non_null(strstr(f->md, "**Run:** timeout — step 1.5: timeout; run 70.5 s"));
	assert_non_null(strstr(f->md, "```text 1.3 why\nexit status of the host command 1, "
			       "expected 0\n  output:\nqqq\n```"));
	assert_non_null(strstr(f->md, "**Command** (guest):"));
	assert_non_null(strstr(f->svg, ">not run</text>"));
	assert_non_null(strstr(f->html, "<td class=\"not-run\">not run</td>"));
}

/* A timed build's time always says whether it was warm or cold, with
 * ccache's counts: beside the time(1) line, in the summary, in the run's
 * line and in the chart.  Lab 2's results have no counts, and say so. */
static void test_build_warmth(void **state)
{
	struct fixture *f = *state;

	lang(f, NULL);
	assert_non_null(strstr(f->md, "**Czas kompilacji:** `real 1m35.250s user 10m10.500s "
			       "sys 1m20.250s` — ciepła kompilacja (ccache — trafienia: 1900, "
			       "chybienia: 20)\n"));
	assert_non_null(strstr(f->md, "`real 0m30.500s user 2m0.000s sys 0m20.000s` — "
			       "częściowo ciepła kompilacja (ccache — trafienia: 30, "
			       "chybienia: 120)\n"));
	assert_non_null(strstr(f->md, "`real 62m38.067s user 194m32.753s sys 30m9.810s` — "
			       "zimna kompilacja (ccache — trafienia: 3, chybienia: 2400)\n"));
	assert_non_null(strstr(f->md, "\n| 2.1 | zaliczony | 1/1 | 95.250 s (ciepła) |  |\n"));
	assert_non_null(strstr(f->md, "\n| 2.2 | zaliczony | 1/1 | 30.500 s (częściowo ciepła) |"));
	assert_non_null(strstr(f->md, "\n| 3.1 | zaliczony | 1/1 | 3758.067 s (zimna) |"));
	assert_non_null(strstr(f->md, "budowanie 125.8 s (2m05.750s) — ciepła kompilacja "
			       "(ccache — trafienia: 1930, chybienia: 140).\n"));
	assert_non_null(strstr(f->svg, ">budowanie: zimna · </tspan>3758.1 s (62m38.067s)</text>"));

	lang(f, "en");
	assert_non_null(strstr(f->md, "**Build time:** `real 1m35.250s user 10m10.500s "
			       "sys 1m20.250s` — warm build (ccache — hits: 1900, misses: 20)\n"));
	assert_non_null(strstr(f->md, "— partly warm build (ccache — hits: 30, misses: 120)\n"));
	assert_non_null(strstr(f->md, "— cold build (ccache — hits: 3, misses: 2400)\n"));
	assert_non_null(strstr(f->md, "\n| 2.1 | passed | 1/1 | 95.250 s (warm) |  |\n"));
	assert_non_null(strstr(f->md, "build 125.8 s (2m05.750s) — warm build "
			       "(ccache — hits: 1930, misses: 140).\n"));
	assert_non_null(strstr(f->svg, ">build: cold · </tspan>"));

	/* no build time without its warmth, in any report */
	for (int i = 0; i < 4; i++) {
		const char *label = i % 2 ? "**Build time:** " : "**Czas kompilacji:** ";
		size_t n = 0;

		if (i < 2)
			lang(f, i ? "en" : NULL);
		else
			golden(f, i == 3 ? "en" : NULL);
		for (const char *p = f->md; (p = strstr(p, label)); p++, n++) {
			size_t len = strcspn(p, "\n");

			if (!memmem(p, len, "` — ", strlen("` — ")))
				fail_msg("a build time without its warmth: '%.*s'", (int)len, p);
		}
		assert_true(n >= (i < 2 ? 3 : 2));
	}
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

/* ---- as a student sees it ---- */

/* The golden class of a grading (tests/data/grade/: 1.2 shown after the
 * due date, 1.3 hidden), eve's Oops in 1.1: the teacher's report has
 * every step, the kernel's messages and the trace; the student's only
 * 1.1, its fault and the source line it was decoded to, says that two
 * steps come later, and scores what it shows. */
static void test_as_student(void **state)
{
	struct fixture *f = *state;
	char *spec = xasprintf("%s/grade/labs.yaml", getenv("LABKIT_TEST_DATA"));
	char *eve = xasprintf("%s/grade/class/students/eve", getenv("LABKIT_TEST_DATA"));

	as_student = false;
	report(f, spec, eve, "en");
	assert_int_equal(f->rc, EXIT_CHECK_FAILED);
	assert_non_null(strstr(f->md, "### 1.2 "));
	assert_non_null(strstr(f->md, "### 1.3 "));
	assert_non_null(strstr(f->md, "**Kernel messages**"));
	assert_null(strstr(f->md, "The student's view"));
	as_student = true;
	report(f, spec, eve, "en");
	as_student = false;
	assert_int_equal(f->rc, EXIT_CHECK_FAILED);
	assert_non_null(strstr(f->md, "*The student's view: without the whole "
			       "console, the traces and the answers.*"));
	assert_non_null(strstr(f->md, "### 1.1 "));
	assert_non_null(strstr(f->md, "`hello.c:12`"));
	assert_null(strstr(f->md, "### 1.2 "));
	assert_null(strstr(f->md, "### 1.3 "));
	assert_null(strstr(f->md, "| 1.2 |"));
	assert_null(strstr(f->md, "**Kernel messages**"));
	assert_null(strstr(f->md, "RIP: 0010"));
	assert_non_null(strstr(f->md, "*Steps whose results are shown later: 2.*"));
	assert_non_null(strstr(f->md, "| 1 | The module | 0/2 |"));  /* of 6 */
	assert_int_equal(f->sum.counts[VERDICT_FAILED], 1);
	assert_int_equal(f->sum.sections[0].score.max, 2);
	free(eve);
	free(spec);
}

/* ---- golden reports: tests/data/report/golden/ ---- */

/* `s` with every `what` replaced by `with` (caller frees). */
static char *replace_all(const char *s, const char *what, const char *with)
{
	struct sb out;
	const char *p;

	sb_init(&out);
	while ((p = strstr(s, what))) {
		sb_add(&out, s, (size_t)(p - s));
		sb_adds(&out, with);
		s = p + strlen(what);
	}
	sb_adds(&out, s);
	return sb_detach(&out, NULL);
}

/* Where the results a golden report is of were rewritten (format 2),
 * and where they were read from: the report names the latter. */
static const char *rewritten_dir, *rewritten_from;

/* A report as the golden files hold it: the test data's directory is
 * DATA, and the host's kernel (uname(2), which the report shows as it is
 * when the report is made) HOST. */
static char *normalized(const char *text)
{
	struct utsname u;
	char *host, *a, *b, *c;

	assert_int_equal(uname(&u), 0);
	host = xasprintf("%s %s %s %s", u.sysname, u.release, u.version,
			 u.machine);
	a = rewritten_dir ? replace_all(text, rewritten_dir, rewritten_from) :
			    xstrdup(text);
	b = replace_all(a, getenv("LABKIT_TEST_DATA"), "DATA");
	c = replace_all(b, host, "HOST");
	free(a);
	free(b);
	free(host);
	return c;
}

/* The first line where `got` and `want` differ, to say where. */
static void assert_same_text(const char *got, const char *want,
			     const char *path)
{
	size_t line = 1, i = 0;

	if (!strcmp(got, want))
		return;
	while (got[i] && got[i] == want[i])
		line += got[i++] == '\n';
	fail_msg("%s differs at line %zu:\n  want: '%.80s'\n  got:  '%.80s'",
		 path, line, want + i, got + i);
}

/*
 * The report of `results` (judged by `spec`, both under the test data)
 * in `lang`, as a student sees it or not, byte for byte what
 * golden/<name>.<lang>.{md,html,svg} hold.  LABKIT_UPDATE_GOLDEN=1
 * writes them instead (only when the change to the report is meant).
 */
static void check_golden(struct fixture *f, const char *name,
			 const char *spec, const char *results,
			 const char *lang, bool student)
{
	static const char *const exts[] = { "md", "html", "svg" };
	char *spec_path = xasprintf("%s/%s", getenv("LABKIT_TEST_DATA"), spec);
	char *dir = xasprintf("%s/%s", getenv("LABKIT_TEST_DATA"), results);
	const char *update = rewritten_dir ? NULL : getenv("LABKIT_UPDATE_GOLDEN");

	setenv("SOURCE_DATE_EPOCH", "0", 1);
	as_student = student;
	rewritten_from = dir;
	report(f, spec_path, rewritten_dir ? rewritten_dir : dir, lang);
	as_student = false;
	unsetenv("SOURCE_DATE_EPOCH");
	for (int i = 0; i < 3; i++) {
		const char *text = i == 0 ? f->md : i == 1 ? f->html : f->svg;
		char *rel = xasprintf("golden/%s.%s.%s", name, lang ? lang : "pl",
				      exts[i]);
		char *path = data(rel), *got, *want;

		assert_non_null(text);
		got = normalized(text);
		if (update && !strcmp(update, "1"))
			spit(path, got);
		want = slurp(path);
		if (!want)
			fail_msg("no golden '%s' (LABKIT_UPDATE_GOLDEN=1 writes it)",
				 path);
		assert_same_text(got, want, path);
		free(want);
		free(got);
		free(path);
		free(rel);
	}
	free(dir);
	free(spec_path);
}

static const struct golden_case {
	const char *name, *spec, *results;
	bool student;
} golden_cases[] = {
	{ "lab2", "report/labs.yaml", "report/lab2", false },
	{ "points", "report/points/labs.yaml", "report/points/faults", false },
	{ "lang", "report/lang/labs.yaml", "report/lang/results", false },
	{ "forms", "report/forms/labs.yaml", "report/forms/results", false },
	{ "student", "grade/labs.yaml", "grade/class/students/eve", true },
};

/*
 * The reports of saved results are byte for byte the golden ones, in
 * both languages: the Lab 2 run (tests/data/report/lab2), the lab with
 * points and faults, the one-language lab, the lab of every form of
 * reason (forms/: what run, guest, console and CMake wrote in English,
 * and each of check's explanations) and a student's view of a grading.
 * All these results are of format 1.
 */
static void test_golden_reports(void **state)
{
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(golden_cases) / sizeof(golden_cases[0]); i++) {
		const struct golden_case *c = &golden_cases[i];

		check_golden(f, c->name, c->spec, c->results, NULL, c->student);
		check_golden(f, c->name, c->spec, c->results, "en", c->student);
	}
}

/*
 * The same results read (format 1) and written again (format 2: each
 * reason as its code and arguments) give the same reports, byte for
 * byte: nothing of a reason is lost on the way, and the report words
 * both formats alike.
 */
static void test_golden_reports_format2(void **state)
{
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(golden_cases) / sizeof(golden_cases[0]); i++) {
		const struct golden_case *c = &golden_cases[i];
		char *spec_path = xasprintf("%s/%s", getenv("LABKIT_TEST_DATA"), c->spec);
		struct spec *spec = spec_load(spec_path);
		char *to = xasprintf("%s/format2-%s", f->tmp, c->name);

		assert_non_null(spec);
		for (size_t k = 0; k < spec->nexercises; k++) {
			char *from = xasprintf("%s/%s/%s/results.yaml",
					       getenv("LABKIT_TEST_DATA"), c->results,
					       spec->exercises[k].id);
			char *dir = xasprintf("%s/%s", to, spec->exercises[k].id);
			char *path = xasprintf("%s/results.yaml", dir);
			struct results res;

			if (access(from, F_OK) == 0) {
				assert_int_equal(results_load(&res, from), 0);
				assert_int_equal(fs_mkdirs(dir, 0755), 0);
				assert_int_equal(results_write(&res, path), 0);
				results_free(&res);
			}
			free(path);
			free(dir);
			free(from);
		}
		rewritten_dir = to;
		check_golden(f, c->name, c->spec, c->results, NULL, c->student);
		check_golden(f, c->name, c->spec, c->results, "en", c->student);
		rewritten_dir = NULL;
		spec_free(spec);
		free(to);
		free(spec_path);
	}
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
		cmocka_unit_test_setup_teardown(test_a_flood_is_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expected_fault_and_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_fault_expectation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_language, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lab2_one_language, setup, teardown),
		cmocka_unit_test_setup_teardown(test_facts_and_reasons, setup, teardown),
		cmocka_unit_test_setup_teardown(test_build_warmth, setup, teardown),
		cmocka_unit_test_setup_teardown(test_as_student, setup, teardown),
		cmocka_unit_test_setup_teardown(test_golden_reports, setup, teardown),
		cmocka_unit_test_setup_teardown(test_golden_reports_format2, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
