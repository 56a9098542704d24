/*
 * report_svg.c — time.svg: a horizontal bar chart of where the workbook's
 * time went, one bar per exercise (the seed's sections), the kernel build
 * steps and the run (boot, steps, poweroff) stacked, each bar labelled
 * with its seconds, and with whether its timed build was warm or cold.  Plain SVG 1.1 with its own fonts and colours, no
 * scripts and no external references, so report.html can inline it and a
 * browser or an image viewer shows the file as it is.  Never fails.
 */
#include "report_int.h"
#include "text.h"

#include <string.h>

#define WIDTH 760
#define LABEL_W 250      /* the exercise names, right-aligned */
#define VALUE_W 150      /* the seconds after each bar, at least */
#define CHAR_W 7         /* a character's width, about (13px) */
#define ROW_H 28
#define TOP 40
#define BAR_H 18
#define LABEL_MAX 36     /* characters of a name before it is cut */

#define COLOR_BUILD "#c0504d"
#define COLOR_RUN "#4f81bd"

#define L(l) report_label(r, (l))

/* `s` escaped, cut to `max` characters with an ellipsis. */
static void xml_text(struct sb *svg, const char *s, size_t max)
{
	size_t len = text_utf8_prefix(s, max, NULL);

	text_escape(svg, s, len, TEXT_HTML);
	if (s[len])
		sb_adds(svg, "…");
}

static void svg_head(const struct report *r, struct sb *svg, int height)
{
	sb_addf(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
		"aria-labelledby=\"chart-title\">\n", WIDTH, height, WIDTH, height);
	sb_adds(svg, "<title id=\"chart-title\">");
	xml_text(svg, L(RL_CHART), 200);
	sb_adds(svg, "</title>\n<style>text{font-family:'DejaVu Sans',"
		"Verdana,sans-serif;font-size:13px;fill:#222}"
		".t{font-size:15px;font-weight:bold}.v{fill:#444}</style>\n");
	sb_addf(svg, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n",
		WIDTH, height);
	sb_addf(svg, "<text class=\"t\" x=\"10\" y=\"24\">");
	xml_text(svg, L(RL_CHART), 200);
	sb_adds(svg, "</text>\n");
}

/* The text after a bar: its seconds (or that it has not run), after
 * whether its timed build was warm, "budowanie: zimna · ". */
static void bar_value(const struct report *r, const struct report_exercise *x,
		      struct sb *warm, struct sb *value)
{
	if (x->timed && x->build_s > 0) {
		sb_addf(warm, "%s: ", L(RL_BUILD));
		report_warmth(r, warm, x->ccache_hits, x->ccache_misses, true);
		sb_adds(warm, " · ");
	}
	if (x->c.loaded)
		report_seconds(value, x->build_s + x->run_s);
	else
		sb_adds(value, L(RL_EX_NOT_RUN));
}

static void svg_bar(const struct report *r, struct sb *svg,
		    const struct report_exercise *x, int y, double scale)
{
	double wb = x->build_s * scale, wr = x->run_s * scale;
	struct sb warm, value;

	sb_addf(svg, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s. ",
		LABEL_W - 8, y + 14, x->ex->id);
	xml_text(svg, report_text(r, &x->ex->title), LABEL_MAX);
	sb_adds(svg, "</text>\n");
	if (x->build_s > 0)
		sb_addf(svg, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
			"fill=\"" COLOR_BUILD "\"/>\n", LABEL_W, y,
			wb < 1 ? 1 : wb, BAR_H);
	if (x->run_s > 0)
		sb_addf(svg, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
			"fill=\"" COLOR_RUN "\"/>\n", LABEL_W + wb, y,
			wr < 1 ? 1 : wr, BAR_H);
	sb_init(&warm);
	sb_init(&value);
	bar_value(r, x, &warm, &value);
	sb_addf(svg, "<text class=\"v\" x=\"%.1f\" y=\"%d\">", LABEL_W + wb + wr +
		(x->build_s > 0 || x->run_s > 0 ? 6 : 0), y + 14);
	if (warm.len) {
		sb_adds(svg, "<tspan fill=\"" COLOR_BUILD "\">");
		xml_text(svg, warm.buf, 60);
		sb_adds(svg, "</tspan>");
	}
	xml_text(svg, value.buf, 60);
	sb_adds(svg, "</text>\n");
	sb_release(&warm);
	sb_release(&value);
}

/* Room for the widest text after a bar: VALUE_W, or more. */
static int value_width(const struct report *r)
{
	size_t widest = 0;

	for (size_t i = 0; i < r->nex; i++) {
		struct sb warm, value;
		size_t cols;

		sb_init(&warm);
		sb_init(&value);
		bar_value(r, &r->ex[i], &warm, &value);
		sb_adds(&warm, value.buf);
		cols = text_utf8_chars(warm.buf, warm.len);
		if (cols > widest)
			widest = cols;
		sb_release(&warm);
		sb_release(&value);
	}
	return (int)widest * CHAR_W + 12 > VALUE_W ? (int)widest * CHAR_W + 12 :
	       VALUE_W;
}

static void svg_legend(const struct report *r, struct sb *svg, int y)
{
	sb_addf(svg, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" "
		"fill=\"" COLOR_BUILD "\"/>\n<text x=\"%d\" y=\"%d\">",
		LABEL_W, y, LABEL_W + 20, y + 12);
	xml_text(svg, L(RL_BUILD), 60);
	sb_addf(svg, "</text>\n<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" "
		"fill=\"" COLOR_RUN "\"/>\n<text x=\"%d\" y=\"%d\">",
		LABEL_W + 140, y, LABEL_W + 160, y + 12);
	xml_text(svg, L(RL_RUNTIME), 60);
	sb_adds(svg, "</text>\n");
}

void report_svg(const struct report *r, struct sb *svg)
{
	int height = TOP + (int)r->nex * ROW_H + 40, value_w = value_width(r);
	double max = 0;

	for (size_t i = 0; i < r->nex; i++)
		if (r->ex[i].build_s + r->ex[i].run_s > max)
			max = r->ex[i].build_s + r->ex[i].run_s;
	svg_head(r, svg, height);
	for (size_t i = 0; i < r->nex; i++)
		svg_bar(r, svg, &r->ex[i], TOP + (int)i * ROW_H,
			max > 0 ? (WIDTH - LABEL_W - value_w) / max : 0);
	svg_legend(r, svg, TOP + (int)r->nex * ROW_H + 10);
	sb_adds(svg, "</svg>\n");
}
