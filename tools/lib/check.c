/*
 * check.c — `labkit check`: the verdict on one step, from the spec's
 * expectations and the step's saved result, with no guest running.  Each
 * expectation is one cmocka test built at run time, so TAP and xUnit come
 * from cmocka itself (CMOCKA_MESSAGE_OUTPUT, or `--format`, which sets it
 * for the call and can write the verdict to a file instead of stdout).
 * cmocka prints names and messages into its XML as they are, so for
 * JUnit they are made XML-safe here first.
 *
 * A failed `match` names the step and the pattern and shows the output
 * lines that come closest; a step the run could not finish (timeout,
 * panic) fails every expectation with the run's reason and the console's
 * last lines.  A skipped step is reported as skipped (exit 77), never as
 * passed.
 */
#include "check.h"
#include "match.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#define CLOSEST 3

void check_vars(const struct spec *spec, const struct results *res,
		struct expand_vars *vars)
{
	for (size_t i = 0; i < spec->nvars; i++)
		expand_vars_set(vars, spec->vars[i].name, spec->vars[i].value);
	expand_vars_set(vars, "lab.id", spec->lab_id);
	if (res->exercise)
		expand_vars_set(vars, "exercise.id", res->exercise);
	for (size_t i = 0; i < res->facts.n; i++)
		expand_vars_set(vars, res->facts.name[i], res->facts.value[i]);
}

static struct match_pattern *compile(const char *src,
				     const struct expand_vars *vars,
				     struct sb *why)
{
	size_t off;
	char *bad = NULL, *err = NULL;
	char *pat = expand(src, vars, EXPAND_REGEX, &off, &bad);
	struct match_pattern *p;

	if (!pat) {
		sb_addf(why, "pattern '%s': undefined variable '%s'", src,
			bad ? bad : "?");
		free(bad);
		return NULL;
	}
	p = match_compile(pat, &err, &off);
	if (!p) {
		sb_addf(why, "pattern '%s': %s at offset %zu", pat, err, off);
		free(err);
	}
	free(pat);
	return p;
}

static void show_output(struct sb *why, const char *pattern, const char *out)
{
	const char *lines[CLOSEST];
	size_t lens[CLOSEST], n;

	n = match_closest(pattern, out, strlen(out), CLOSEST, lines, lens);
	if (n == 0) {
		sb_adds(why, "\n  no line of the output comes close; the output was:\n");
		sb_adds(why, *out ? out : "  (empty)\n");
		return;
	}
	sb_adds(why, "\n  closest lines of the output:");
	for (size_t i = 0; i < n; i++)
		sb_addf(why, "\n  | %.*s", (int)lens[i], lines[i]);
}

static int check_patterns(const struct spec_expect *e,
			  const struct expand_vars *vars, const char *out,
			  struct sb *why)
{
	size_t len = strlen(out), pos = 0, ms, me;

	for (size_t i = 0; i < e->npatterns; i++) {
		struct match_pattern *p = compile(e->patterns[i], vars, why);
		int r;

		if (!p)
			return -1;
		r = match_find(p, out, len, pos, &ms, &me);
		match_free(p);
		if (e->kind == SPEC_EXPECT_ABSENT) {
			if (r != 1)
				return 1;
			sb_addf(why, "pattern '%s' must not appear, but does:\n  | %.*s",
				e->patterns[0], (int)(me - ms), out + ms);
			return 0;
		}
		if (r != 1) {
			if (e->kind == SPEC_EXPECT_ORDERED && i > 0)
				sb_addf(why, "pattern '%s' not found after '%s'",
					e->patterns[i], e->patterns[i - 1]);
			else
				sb_addf(why, "pattern '%s' not found",
					e->patterns[i]);
			show_output(why, e->patterns[i], out);
			return 0;
		}
		if (e->kind == SPEC_EXPECT_ORDERED)
			pos = me;
	}
	return 1;
}

/* The text an expectation looks at, and what to call it in messages. */
static const char *subject(const struct spec_expect *e,
			   const struct results *res,
			   const struct results_step *rs, int *exit_status)
{
	switch (e->in) {
	case SPEC_IN_HOST:
		*exit_status = rs->host_exit;
		return rs->host_output ? rs->host_output : "";
	case SPEC_IN_BOOT:
		*exit_status = -1;
		return res && res->boot ? res->boot : "";
	case SPEC_IN_OUTPUT:
		break;
	}
	*exit_status = rs->exit_status;
	return rs->output ? rs->output : "";
}

int check_expect(const struct spec_expect *e, const struct expand_vars *vars,
		 const struct results *res, const struct results_step *rs,
		 struct sb *why)
{
	static const char *const names[] = { "", " of the host command", " (boot)" };
	int status;
	const char *text = subject(e, res, rs, &status);

	if (strcmp(rs->status, "ran")) {
		sb_addf(why, "the step did not run to the end: %s%s%s",
			rs->status, rs->reason ? ": " : "",
			rs->reason ? rs->reason : "");
		return 0;
	}
	if (e->kind == SPEC_EXPECT_EXIT) {
		if (status == e->exit_status)
			return 1;
		sb_addf(why, "exit status%s %d, expected %d", names[e->in],
			status, e->exit_status);
		if (*text)
			sb_addf(why, "\n  output:\n%s", text);
		return 0;
	}
	if (e->in != SPEC_IN_OUTPUT)
		sb_addf(why, "in the output%s: ", names[e->in]);
	return check_patterns(e, vars, text, why);
}

/* ---- XML safety: cmocka prints names and messages as they are ---- */

/* The length of the UTF-8 sequence at `p`, 0 when it is not one. */
static size_t utf8_len(const unsigned char *p)
{
	size_t n;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (size_t i = 1; i < n; i++)   /* stops at the NUL, too */
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] > 0x8f))
		return 0;                /* overlong, surrogate, > U+10FFFF */
	return n;
}

/*
 * `s` as text XML 1.0 can carry: a control character (a console's ESC)
 * or a byte that is not UTF-8 becomes "\xNN"; in an attribute & < > "
 * become entities, in CDATA a "]]>" is split across two sections.
 */
static void xml_text(struct sb *out, const char *s, bool attr)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = utf8_len(p);

		if (n == 0 || (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r'))
			sb_addf(out, "\\x%02x", *p), n = 1;
		else if (attr && (*p == '&' || *p == '<' || *p == '>' || *p == '"'))
			sb_adds(out, *p == '&' ? "&amp;" : *p == '<' ? "&lt;" :
				     *p == '>' ? "&gt;" : "&quot;");
		else if (!attr && !strncmp((const char *)p, "]]>", 3))
			sb_adds(out, "]]]]><![CDATA[>"), n = 3;
		else
			sb_add(out, p, n);
		p += n;
	}
}

static char *xml_attr(const char *s)
{
	struct sb out;

	sb_init(&out);
	xml_text(&out, s, true);
	return sb_detach(&out, NULL);
}

/* ---- cmocka glue ---- */

struct check_case {
	const struct spec *spec;
	const struct spec_expect *expect;
	const struct expand_vars *vars;
	const struct results_step *rs;
	const struct results *res;
	bool *tail_shown;        /* the console tail is shown once a step */
	bool xml;                /* the message goes into XML */
};

/* How check_step_report() writes: does cmocka print XML, is every verdict
 * a test case (TAP, JUnit) or a line (text). */
struct check_out {
	bool xml;
	bool cases;
};

/*
 * The explanation goes through _assert_true() as its "expression", so it
 * lands in cmocka's per-test message buffer and from there in the
 * standard, TAP and xUnit outputs alike (print_error() only reaches
 * stderr); the position is the expectation's own in the spec file.
 */
static void fail_with(const char *why, bool xml, const char *file, int line)
{
	struct sb msg;

	sb_init(&msg);
	if (xml)
		xml_text(&msg, why, false);
	else
		sb_adds(&msg, why);
	_assert_true(0, msg.buf, file, line);
	sb_release(&msg); /* not reached: _assert_true(0, ...) longjmps */
}

static void run_case(void **state)
{
	struct check_case *c = *state;
	struct sb why;
	int r;

	sb_init(&why);
	r = check_expect(c->expect, c->vars, c->res, c->rs, &why);
	if (r != 1 && c->res->tail && strcmp(c->rs->status, "ran") &&
	    !*c->tail_shown) {
		sb_addf(&why, "\n  last console lines:\n%s", c->res->tail);
		*c->tail_shown = true;
	}
	if (r != 1) {
		char *msg = xasprintf("step %s: %s", c->rs->id, why.buf);

		sb_release(&why);
		fail_with(msg, c->xml, c->spec->file, c->expect->pos.line);
		free(msg); /* not reached */
	}
	sb_release(&why);
}

static char *case_name(const struct spec_step *st, const struct spec_expect *e,
		       bool xml)
{
	static const char *const kinds[] = { "match", "absent", "exit", "ordered" };
	char *name, *safe;

	if (e->kind == SPEC_EXPECT_EXIT)
		name = xasprintf("%s exit %d", st->id, e->exit_status);
	else
		name = xasprintf("%s %s '%s'%s", st->id, kinds[e->kind],
				 e->patterns[0], e->npatterns > 1 ? " ..." : "");
	if (!xml)
		return name;
	safe = xml_attr(name);
	free(name);
	return safe;
}

static char *group_name(const struct spec *spec, const struct spec_step *st,
			bool xml)
{
	char *name = xasprintf("%s.%s", spec->lab_id, st->id), *safe;

	if (!xml)
		return name;
	safe = xml_attr(name);
	free(name);
	return safe;
}

static int run_cases(const struct spec *spec, const struct results *res,
		     const struct spec_step *st, const struct results_step *rs,
		     const struct check_out *x)
{
	struct CMUnitTest *tests = xcalloc(st->nexpect, sizeof(*tests));
	struct check_case *cases = xcalloc(st->nexpect, sizeof(*cases));
	struct expand_vars vars;
	bool tail_shown = false;
	char *group = group_name(spec, st, x->xml);
	int failed;

	expand_vars_init(&vars);
	check_vars(spec, res, &vars);
	for (size_t i = 0; i < st->nexpect; i++) {
		cases[i] = (struct check_case){ spec, &st->expect[i], &vars, rs,
						res, &tail_shown, x->xml };
		tests[i].name = case_name(st, &st->expect[i], x->xml);
		tests[i].test_func = run_case;
		tests[i].initial_state = &cases[i];
	}
	failed = _cmocka_run_group_tests(group, tests, st->nexpect, NULL, NULL);
	for (size_t i = 0; i < st->nexpect; i++)
		free((char *)tests[i].name);
	free(tests);
	free(cases);
	free(group);
	expand_vars_free(&vars);
	return failed ? EXIT_CHECK_FAILED : EXIT_OK;
}

/* A verdict no expectation gives: skipped, failed with `why`, or passed. */
struct check_verdict {
	const char *file;
	int line;
	const char *why;         /* NULL: passed, or skipped */
	bool skip;
	bool xml;
};

static void run_verdict(void **state)
{
	const struct check_verdict *v = *state;

	if (v->skip)
		skip();
	else if (v->why)
		fail_with(v->why, v->xml, v->file, v->line);
}

/*
 * In text, the line it always was; in TAP and JUnit a case of its own
 * ("3.3 skipped: <reason>", "3.3 result"), so no step is ever missing
 * from a report.  Returns `rc`.
 */
static int verdict(const struct spec *spec, const struct spec_step *st,
		   const struct check_out *x, int rc, const char *why)
{
	struct check_verdict v = { spec->file, st->pos.line, NULL,
				   rc == EXIT_SKIP, x->xml };
	struct CMUnitTest test = { .test_func = run_verdict, .initial_state = &v };
	char *msg = xasprintf("step %s%s%s", st->id, v.skip ? " " : ": ", why);
	char *name, *group;

	if (!x->cases) {
		printf("%s\n", msg);
		free(msg);
		return rc;
	}
	name = v.skip ? xasprintf("%s %s", st->id, why) :
			xasprintf("%s result", st->id);
	test.name = x->xml ? xml_attr(name) : xstrdup(name);
	if (rc != EXIT_OK && !v.skip)
		v.why = msg;
	group = group_name(spec, st, x->xml);
	_cmocka_run_group_tests(group, &test, 1, NULL, NULL);
	free(group);
	free((char *)test.name);
	free(name);
	free(msg);
	return rc;
}

static int step_verdict(const struct spec *spec, const struct results *res,
			const char *step_id, const struct check_out *x)
{
	const struct spec_step *st = spec_step(spec, step_id, NULL);
	const struct results_step *rs = res ? results_step(res, step_id) : NULL;
	char *why;
	int rc;

	if (!st)
		return error("no step '%s' in '%s'", step_id, spec->file), EXIT_USAGE;
	if (!res)
		return verdict(spec, st, x, EXIT_CHECK_FAILED,
			       "no results: run the exercise first");
	if (!rs)
		return verdict(spec, st, x, EXIT_CHECK_FAILED,
			       "no result: the run did not record it");
	if (!strcmp(rs->status, "skip")) {
		why = xasprintf("skipped: %s", rs->reason ? rs->reason :
			       "no reason given");
		rc = verdict(spec, st, x, EXIT_SKIP, why);
		free(why);
		return rc;
	}
	if (st->nexpect == 0)
		return verdict(spec, st, x, strcmp(rs->status, "ran") ?
			       EXIT_CHECK_FAILED : EXIT_OK,
			       "nothing to check (no expectations)");
	return run_cases(spec, res, st, rs, x);
}

int check_step(const struct spec *spec, const struct results *res,
	       const char *step_id)
{
	return check_step_report(spec, res, step_id, CHECK_FORMAT_TEXT, NULL);
}

int check_format_parse(const char *name, enum check_format *fmt)
{
	static const char *const names[] = { "text", "tap", "junit" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(name, names[i])) {
			*fmt = (enum check_format)i;
			return 0;
		}
	}
	return error("unknown format '%s' (text, tap or junit)", name);
}

/* ---- where the report goes ---- */

struct verdict_file {
	const char *path;        /* NULL: stdout as it is */
	char *tmp;
	int saved;               /* the caller's stdout */
};

/* stdout into a temporary file next to `path` until verdict_file_close(). */
static int verdict_file_open(struct verdict_file *r, const char *path)
{
	int fd;

	memset(r, 0, sizeof(*r));
	r->saved = -1;
	if (!path || !strcmp(path, "-"))
		return 0;
	r->path = path;
	r->tmp = xasprintf("%s.tmp.XXXXXX", path);
	fd = mkstemp(r->tmp);
	if (fd < 0) {
		error("cannot create '%s': %m", path);
		free(r->tmp);
		r->tmp = NULL;
		return -1;
	}
	fflush(stdout);
	r->saved = dup(STDOUT_FILENO);
	if (r->saved < 0 || fchmod(fd, 0644) < 0 ||
	    dup2(fd, STDOUT_FILENO) < 0) {
		error("cannot write '%s': %m", path);
		if (r->saved >= 0)
			close(r->saved);
		close(fd);
		unlink(r->tmp);
		free(r->tmp);
		r->tmp = NULL;
		return -1;
	}
	close(fd);
	return 0;
}

/* The caller's stdout back; the file renamed into place, or removed when
 * `keep` is false (no verdict was written: a bad step id, say). */
static int verdict_file_close(struct verdict_file *r, bool keep)
{
	int rc = keep ? 0 : -1;

	if (fflush(stdout) != 0 || (r->tmp && fsync(STDOUT_FILENO) < 0))
		rc = error("cannot write '%s': %m", r->path ? r->path : "stdout");
	if (!r->tmp)
		return rc;
	if (dup2(r->saved, STDOUT_FILENO) < 0)
		die_errno("cannot restore stdout");
	close(r->saved);
	if (rc == 0 && rename(r->tmp, r->path) < 0)
		rc = error("cannot rename '%s' to '%s': %m", r->tmp, r->path);
	if (rc < 0)
		unlink(r->tmp);
	free(r->tmp);
	return rc;
}

/* Sets (value) or unsets (NULL) an environment variable; returns the old
 * value for restore_env(). */
static char *swap_env(const char *name, const char *value)
{
	const char *old = getenv(name);
	char *saved = old ? xstrdup(old) : NULL;

	if (value)
		setenv(name, value, 1);
	else
		unsetenv(name);
	return saved;
}

static void restore_env(const char *name, char *saved)
{
	if (saved)
		setenv(name, saved, 1);
	else
		unsetenv(name);
	free(saved);
}

int check_step_report(const struct spec *spec, const struct results *res,
		      const char *step_id, enum check_format fmt,
		      const char *out_path)
{
	static const char *const cmocka_output[] = { NULL, "TAP", "XML" };
	const char *env = getenv("CMOCKA_MESSAGE_OUTPUT");
	struct check_out x = {
		.xml = fmt == CHECK_FORMAT_JUNIT ||
		       (fmt == CHECK_FORMAT_TEXT && env && !strcasecmp(env, "XML")),
		.cases = fmt != CHECK_FORMAT_TEXT,
	};
	char *saved_output = NULL, *saved_file = NULL;
	struct verdict_file r;
	int rc;

	if (verdict_file_open(&r, out_path) < 0)
		return EXIT_USAGE;
	if (fmt != CHECK_FORMAT_TEXT) {
		/* cmocka reads these at every print; the XML goes to stdout */
		saved_output = swap_env("CMOCKA_MESSAGE_OUTPUT", cmocka_output[fmt]);
		saved_file = swap_env("CMOCKA_XML_FILE", NULL);
	}
	rc = step_verdict(spec, res, step_id, &x);
	if (fmt != CHECK_FORMAT_TEXT) {
		restore_env("CMOCKA_MESSAGE_OUTPUT", saved_output);
		restore_env("CMOCKA_XML_FILE", saved_file);
	}
	if (verdict_file_close(&r, rc != EXIT_USAGE && rc != EXIT_INTERNAL) < 0 &&
	    rc != EXIT_USAGE)
		rc = EXIT_INTERNAL;
	return rc;
}
