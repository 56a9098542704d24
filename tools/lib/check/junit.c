/*
 * junit.c — the one JUnit writer (junit.h): `labkit check --format
 * junit` writes a step as a suite of a case per expectation; a grading's
 * junit.xml a student as a suite of a case per graded step.  The
 * document is made in memory, whole; nothing here fails.
 */
#include "junit.h"
#include "text.h"

#include <string.h>

struct counts {
	size_t tests, failures, errors, skipped;
};

static void count(struct counts *c, const struct junit_suite *s)
{
	for (size_t i = 0; i < s->ncases; i++) {
		c->tests++;
		c->failures += s->cases[i].result == JUNIT_FAILURE;
		c->errors += s->cases[i].result == JUNIT_ERROR;
		c->skipped += s->cases[i].result == JUNIT_SKIPPED;
	}
}

static void attr(struct sb *xml, const char *name, const char *value)
{
	sb_addf(xml, " %s=\"", name);
	text_escape(xml, value, strlen(value), TEXT_HTML | TEXT_CONTROLS);
	sb_addc(xml, '"');
}

static void add_counts(struct sb *xml, const struct counts *c)
{
	sb_addf(xml, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\">\n",
		c->tests, c->failures, c->errors, c->skipped);
}

static void add_case(struct sb *xml, const struct junit_case *c)
{
	static const char *const tags[] = {
		[JUNIT_FAILURE] = "failure", [JUNIT_SKIPPED] = "skipped",
		[JUNIT_ERROR] = "error",
	};

	sb_adds(xml, "    <testcase");
	if (c->classname)
		attr(xml, "classname", c->classname);
	attr(xml, "name", c->name);
	if (c->result == JUNIT_PASSED) {
		sb_adds(xml, "/>\n");
		return;
	}
	sb_addf(xml, ">\n      <%s", tags[c->result]);
	if (c->message)
		attr(xml, "message", c->message);
	if (c->text) {
		sb_adds(xml, "><![CDATA[");
		text_escape(xml, c->text, strlen(c->text),
			    TEXT_CDATA | TEXT_CONTROLS);
		sb_addf(xml, "]]></%s>\n", tags[c->result]);
	} else {
		sb_adds(xml, "/>\n");
	}
	sb_adds(xml, "    </testcase>\n");
}

static void add_suite(struct sb *xml, const struct junit_suite *s)
{
	struct counts c = { 0 };

	count(&c, s);
	sb_adds(xml, "  <testsuite");
	attr(xml, "name", s->name);
	add_counts(xml, &c);
	if (s->points)
		sb_addf(xml, "    <properties>\n"
			"      <property name=\"points\" value=\"%d\"/>\n"
			"      <property name=\"max_points\" value=\"%d\"/>\n"
			"    </properties>\n", s->got, s->max);
	for (size_t i = 0; i < s->ncases; i++)
		add_case(xml, &s->cases[i]);
	sb_adds(xml, "  </testsuite>\n");
}

void junit_write(struct sb *xml, const struct junit_suite *suites, size_t n)
{
	struct counts all = { 0 };

	for (size_t i = 0; i < n; i++)
		count(&all, &suites[i]);
	sb_adds(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
	add_counts(xml, &all);
	for (size_t i = 0; i < n; i++)
		add_suite(xml, &suites[i]);
	sb_adds(xml, "</testsuites>\n");
}
