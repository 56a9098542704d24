/*
 * report_html.c — report.html: the report's Markdown rendered by libcmark
 * into one self-contained page: inline CSS with print rules, the time
 * chart inline as SVG in place of the time.svg image, no scripts and no
 * external resources (links to out/<step>.txt stay links).  Each step's
 * heading has a stable anchor, id="step-<id>" (report_step_anchor()).
 *
 * libcmark knows no tables, so a top-level paragraph that is a GitHub
 * pipe table is rendered here, each cell's inlines still by libcmark.
 * libcmark's safe mode stays on: raw HTML in the Markdown is never
 * passed through.  Fails only when libcmark cannot parse (no memory).
 */
#include "report_int.h"
#include "layout.h"
#include "text.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#define CMARK_OPTS (CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8)

static const char css[] =
	"body{font-family:'DejaVu Sans',Verdana,sans-serif;line-height:1.45;"
	"color:#222;max-width:62rem;margin:2rem auto;padding:0 1rem}\n"
	"h1{font-size:1.7rem;border-bottom:2px solid #4f81bd;padding-bottom:.3rem}\n"
	"h2{margin-top:2.4rem;border-bottom:1px solid #bbb}\n"
	"h3{margin-top:2rem;font-size:1.08rem}\n"
	"pre{background:#f6f8fa;border:1px solid #ddd;padding:.6rem;"
	"overflow-x:auto;font-size:.8rem;line-height:1.3}\n"
	"code{font-family:'DejaVu Sans Mono',monospace}\n"
	":not(pre)>code{background:#f0f0f0;padding:0 .2em;border-radius:3px;"
	"overflow-wrap:anywhere}\n"
	"table{border-collapse:collapse;margin:1rem 0;font-size:.88rem}\n"
	"th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;"
	"vertical-align:top}\n"
	"th{background:#eef2f7}\n"
	"td:nth-child(-n+4):not(:last-child){white-space:nowrap}\n"
	"td.passed{color:#1a7f37;font-weight:bold}\n"
	"td.failed{color:#b71c1c;font-weight:bold;background:#fdecea}\n"
	"td.skipped{color:#8a6d00}\n"
	"td.not-run{color:#777}\n"
	"figure.chart{margin:1rem 0}\n"
	"figure.chart svg{max-width:100%;height:auto}\n"
	"@media print{body{max-width:none;margin:0;font-size:10pt}"
	"pre{white-space:pre-wrap;overflow-wrap:anywhere;overflow:visible;"
	"font-size:7.5pt}h2,h3{break-after:avoid}"
	"tr,figure{break-inside:avoid}a{color:inherit;text-decoration:none}}\n";

static void render(struct sb *html, cmark_node *n)
{
	char *s = cmark_render_html(n, CMARK_OPTS);

	sb_adds(html, s);
	free(s);
}

/* ---- pipe tables ---- */

/* A verdict's cell has a class of its own, the same in both languages. */
static const char *const verdict_class[VERDICT_COUNT] = {
	[VERDICT_PASSED] = "passed",
	[VERDICT_FAILED] = "failed",
	[VERDICT_SKIPPED] = "skipped",
	[VERDICT_NOT_RUN] = "not-run",
};

const char *report_verdict_class(enum verdict v)
{
	return verdict_class[v];
}

/* The inlines of one cell, by libcmark; `text` is the cell's Markdown,
 * `verdict` the verdict it shows (a class of its own), or -1. */
static void table_cell(struct sb *html, const char *tag, const char *text,
		       int verdict)
{
	cmark_node *doc = cmark_parse_document(text, strlen(text), CMARK_OPTS);
	cmark_node *para = doc ? cmark_node_first_child(doc) : NULL;
	struct sb inner;

	sb_init(&inner);
	for (cmark_node *n = para ? cmark_node_first_child(para) : NULL; n;
	     n = cmark_node_next(n))
		render(&inner, n);
	sb_addf(html, "<%s", tag);
	if (verdict >= 0)
		sb_addf(html, " class=\"%s\"", verdict_class[verdict]);
	sb_addf(html, ">%s</%s>", inner.buf, tag);
	sb_release(&inner);
	cmark_node_free(doc);
}

/* The verdict a summary row at report.md's line `l` shows, or -1. */
static int row_verdict(const struct report *r, int l)
{
	for (size_t i = 0; i < r->nrows; i++)
		if (r->rows[i].line == (size_t)l)
			return (int)r->rows[i].verdict;
	return -1;
}

/* Splits "| a | b \| c |" at its unescaped pipes, as GitHub does; the
 * row at report.md's line `l` (from 1). */
static void table_row(const struct report *r, struct sb *html,
		      const char *line, size_t len, const char *tag, int l)
{
	int verdict = row_verdict(r, l);
	struct sb cell;
	size_t i = line[0] == '|', n = 0;

	sb_init(&cell);
	sb_adds(html, "<tr>");
	for (; i < len; i++) {
		if (line[i] == '\\' && i + 1 < len) {
			if (line[i + 1] != '|')
				sb_addc(&cell, '\\');
			sb_addc(&cell, line[++i]);
		} else if (line[i] == '|') {
			table_cell(html, tag, cell.buf, n++ == 1 ? verdict : -1);
			sb_reset(&cell);
		} else {
			sb_addc(&cell, line[i]);
		}
	}
	if (cell.len && cell.buf[strspn(cell.buf, " ")])
		table_cell(html, tag, cell.buf, n == 1 ? verdict : -1);
	sb_adds(html, "</tr>\n");
	sb_release(&cell);
}

static bool is_delimiter_row(const char *line, size_t len)
{
	return len > 2 && line[0] == '|' &&
	       strspn(line, "|-: ") >= len && memchr(line, '-', len);
}

struct lines {
	size_t n;
	const char **start;      /* start[i]: line i + 1 of the Markdown */
	size_t *len;
};

/* Renders node n when it is a pipe table: 1, else 0. */
static int table(const struct report *r, struct sb *html,
		 const struct lines *md, cmark_node *n)
{
	int first = cmark_node_get_start_line(n), last = cmark_node_get_end_line(n);

	if (cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH || first < 1 ||
	    last < first + 1 || (size_t)last > md->n ||
	    !is_delimiter_row(md->start[first], md->len[first]))
		return 0;
	for (int l = first; l <= last; l++)
		if (md->start[l - 1][0] != '|')
			return 0;
	sb_adds(html, "<table>\n<thead>\n");
	table_row(r, html, md->start[first - 1], md->len[first - 1], "th",
		  first);
	sb_adds(html, "</thead>\n<tbody>\n");
	for (int l = first + 2; l <= last; l++)
		table_row(r, html, md->start[l - 1], md->len[l - 1], "td", l);
	sb_adds(html, "</tbody>\n</table>\n");
	return 1;
}

static void split_lines(const char *md, struct lines *l)
{
	size_t cap = 0;

	memset(l, 0, sizeof(*l));
	for (const char *p = md; *p; ) {
		size_t n = strcspn(p, "\n");

		if (l->n == cap) {
			cap = cap ? 2 * cap : 256;
			l->start = xrealloc(l->start, cap * sizeof(*l->start));
			l->len = xrealloc(l->len, cap * sizeof(*l->len));
		}
		l->start[l->n] = p;
		l->len[l->n++] = n;
		p += n + (p[n] == '\n');
	}
}

/* ---- the page ---- */

/* The paragraph holding only the chart's image becomes the chart. */
static int chart(struct sb *html, cmark_node *n, const char *svg)
{
	cmark_node *img = cmark_node_first_child(n);

	if (cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH || !img ||
	    cmark_node_next(img) || cmark_node_get_type(img) != CMARK_NODE_IMAGE ||
	    strcmp(cmark_node_get_url(img), layout_name(LAYOUT_TIME_SVG)))
		return 0;
	sb_adds(html, "<figure class=\"chart\">\n");
	sb_adds(html, svg);
	sb_adds(html, "</figure>\n");
	return 1;
}

void report_step_anchor(struct sb *sb, const char *step_id)
{
	sb_addf(sb, "step-%s", step_id);
}

/* A step's heading ("### 3.1 ..." in the Markdown) with its anchor,
 * id="step-3.1", which a class's summary links to: 1, else 0. */
static int step_heading(struct sb *html, const struct lines *md, cmark_node *n)
{
	int l = cmark_node_get_start_line(n);
	char *h, *id;

	if (cmark_node_get_type(n) != CMARK_NODE_HEADING ||
	    cmark_node_get_heading_level(n) != 3 || l < 1 || (size_t)l > md->n ||
	    strncmp(md->start[l - 1], "### ", 4))
		return 0;
	h = cmark_render_html(n, CMARK_OPTS);
	id = xstrndup(md->start[l - 1] + 4, strcspn(md->start[l - 1] + 4, " \n"));
	if (!strncmp(h, "<h3>", 4)) {
		sb_adds(html, "<h3 id=\"");
		report_step_anchor(html, id);
		sb_addf(html, "\">%s", h + 4);
	} else {
		sb_adds(html, h);
	}
	free(id);
	free(h);
	return 1;
}

static void page_head(const struct report *r, struct sb *html)
{
	const char *title = report_text(r, &r->spec->lab_title);

	sb_addf(html, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
		"<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<meta name=\"generator\" content=\"labkit report\">\n<title>",
		lang_name(r->lang));
	text_html(html, *title ? title : r->spec->lab_id);
	sb_addf(html, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n",
		css);
}

int report_html(const struct report *r, const char *md, const char *svg,
		struct sb *html)
{
	cmark_node *doc = cmark_parse_document(md, strlen(md), CMARK_OPTS);
	struct lines lines;

	if (!doc)
		return error("libcmark could not parse the report");
	split_lines(md, &lines);
	page_head(r, html);
	for (cmark_node *n = cmark_node_first_child(doc); n; n = cmark_node_next(n))
		if (!chart(html, n, svg) && !table(r, html, &lines, n) &&
		    !step_heading(html, &lines, n))
			render(html, n);
	sb_adds(html, "</main>\n</body>\n</html>\n");
	free(lines.start);
	free(lines.len);
	cmark_node_free(doc);
	return 0;
}
