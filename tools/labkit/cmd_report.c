/* cmd_report.c — `labkit report --spec FILE --results DIR [-o DIR]
 * [--lang pl|en] [--lab ID] [--as-student]`, and the verdict table it ends with, in the
 * report's language. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "lang.h"
#include "layout.h"
#include "opt.h"
#include "report.h"
#include "spec.h"
#include "text.h"
#include "util.h"

/* `text` in a column `width` characters wide (UTF-8: bytes != columns). */
static void print_column(const char *text, int width)
{
	size_t cols, len = text_utf8_prefix(text, (size_t)width, &cols);

	printf("%.*s%*s", (int)len, text, width - (int)cols, "");
}

/* "90/110", right-aligned in `width` columns. */
static void print_score(const struct report_score *sc, int width)
{
	char cell[32];

	snprintf(cell, sizeof(cell), "%d/%d", sc->got, sc->max);
	printf(" %*s", width, cell);
}

/* The table's own words, in the report's language (the verdicts are the
 * report's: report_verdict_word()). */
enum summary_word { SW_SECONDS, SW_SCORE, SW_REPORT, SW_NO_POINTS, SW_COUNT };

static const char *const summary_words[SW_COUNT][LANG_COUNT] = {
	[SW_SECONDS] = { "sekundy", "seconds" },
	[SW_SCORE] = { "wynik", "score" },
	[SW_REPORT] = { "raport", "report" },
	[SW_NO_POINTS] = { "zaliczonych kroków (laboratorium nie przyznaje punktów)",
			   "steps passed (the lab gives no points)" },
};

/* A heading right-aligned over a column at least `width` wide: the
 * column's width. */
static int print_heading(const char *word, int width)
{
	size_t cols = text_utf8_chars(word, strlen(word));

	if ((int)cols > width)
		width = (int)cols;
	printf(" %*s%s", width - (int)cols, "", word);
	return width;
}

/* The verdict table the workbook ends with: one row per section with its
 * score, the failed steps, where the report is, and the lab's score as
 * `make grade` gives it ("score: 90/110"); a lab that gives no points is
 * scored by the steps passed, and the last line says so.  In the
 * report's language. */
static void print_summary(const struct spec *spec,
			  const struct report_summary *sum, enum lang lang)
{
	int w[VERDICT_COUNT], ws, wsc;
	const int *n;

	printf("§    %-36s", "");
	for (int v = 0; v < VERDICT_COUNT; v++)
		w[v] = print_heading(report_verdict_word(v, lang, true), 7);
	ws = print_heading(summary_words[SW_SECONDS][lang], 9);
	wsc = print_heading(summary_words[SW_SCORE][lang], 9);
	printf("\n");
	for (size_t i = 0; i < sum->nsections; i++) {
		n = sum->sections[i].counts;
		printf("%-4s ", sum->sections[i].id);
		print_column(sum->sections[i].title, 36);
		for (int v = 0; v < VERDICT_COUNT; v++)
			printf(" %*d", w[v], n[v]);
		printf(" %*.1f", ws, sum->sections[i].seconds);
		print_score(&sum->sections[i].score, wsc);
		printf("\n");
	}
	for (size_t i = 0; i < sum->nfailed; i++)
		printf("%s.%s: %s: %s\n", spec->lab_id, sum->failed[i].step,
		       report_verdict_word(VERDICT_FAILED, lang, false),
		       sum->failed[i].note);
	n = sum->counts;
	printf("%s: %s/%s, %s/%s:", summary_words[SW_REPORT][lang],
	       sum->out_dir, layout_name(LAYOUT_REPORT_MD), sum->out_dir,
	       layout_name(LAYOUT_REPORT_HTML));
	for (int v = 0; v < VERDICT_COUNT; v++)
		printf("%s %s: %d", v ? "," : "", report_verdict_word(v, lang, true),
		       n[v]);
	printf("\n%s: %d/%d", summary_words[SW_SCORE][lang], sum->score.got,
	       sum->score.max);
	if (!sum->points)
		printf(" %s", summary_words[SW_NO_POINTS][lang]);
	printf("\n");
}

int cmd_report(int argc, char **argv)
{
	struct report_opts o = { NULL, NULL, LANG_PL, false };
	const char *spec_path = NULL, *lab = NULL, *lang = "pl";
	bool exit_zero = false;
	const struct opt opts[] = {
		OPTION("spec", 's', OPT_STRING, &spec_path, "<labs.yaml>", "the lab spec", .required = true),
		OPTION("results", 'r', OPT_STRING, &o.results_dir, "<dir>", "the lab's results: <dir>/<exercise>/results.yaml", .required = true),
		OPTION("output", 'o', OPT_STRING, &o.out_dir, "<dir>", "where report.md, report.html, time.svg and out/ go\n"
		  "                                 (default: the results directory)"),
		OPTION("lang", 'L', OPT_CHOICE, &lang, "pl|en", "the report's first language (default pl); the other follows", .choices = lang_names),
		OPTION("lab", 'l', OPT_STRING, &lab, "<id>", "the lab to report on; must be the spec's"),
		OPTION("exit-zero", 'z', OPT_FLAG, &exit_zero, NULL, "exit 0 when steps failed too (the report says so)"),
		OPTION("as-student", 0, OPT_FLAG, &o.as_student, NULL, "only what a student may see now: the visible steps with their\n"
		  "                                 feedback, no whole console, trace or answer"),
		OPT_END,
	};
	const struct opt_cmd cmd = {
		"report", "Writes the lab report from the saved results.", NULL, 0, 0, opts,
		"exit status: 0 all passed, 1 a step or run failed (the report is\n"
		"written), 2 bad input (nothing is written), 128 it cannot be written\n",
	};
	struct report_summary sum = { 0 };
	struct spec *spec;
	int rc = cmd_begin(&cmd, argc, argv, &spec_path, &spec);

	if (rc >= 0)
		return rc;
	lang_parse(lang, &o.lang);   /* one of its choices */
	if (lab && strcmp(lab, spec->lab_id)) {
		error("no lab '%s' in '%s' (it describes '%s')", lab, spec_path,
		      spec->lab_id);
		spec_free(spec);
		return EXIT_USAGE;
	}
	rc = report_write(spec, &o, &sum);
	if (rc == EXIT_OK || rc == EXIT_CHECK_FAILED)
		print_summary(spec, &sum, o.lang);
	report_summary_free(&sum);
	spec_free(spec);
	return exit_zero && rc == EXIT_CHECK_FAILED ? EXIT_OK : rc;
}
