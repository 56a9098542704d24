/*
 * reason_read.c — reasons read back into codes: from "name=value" pairs
 * (`labkit run --no-build <code> --no-build-arg <name>=<value>`, a
 * grading plan, the accelerator's cache) and written as such; and from
 * the English that results format 1 carried, by the catalog's English
 * templates (reason.c) of the reasons format 1 wrote.
 *
 * Pairs that do not make a reason are an error message naming the pair;
 * English of no known form is REASON_TEXT, the text itself.
 */
#include "reason.h"
#include "reason_int.h"
#include "results.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* ---- pairs ---- */

/* The value of pair `key` ("why.code"), or NULL; marks it used. */
static const char *pair(const char *const *pairs, size_t n, bool *used,
			const char *key)
{
	size_t len = strlen(key);

	for (size_t i = 0; i < n; i++)
		if (!strncmp(pairs[i], key, len) && pairs[i][len] == '=') {
			used[i] = true;
			return pairs[i] + len + 1;
		}
	return NULL;
}

static int from_pairs(struct reason *r, const char *prefix,
		      const char *const *pairs, size_t n, bool *used);

/* Argument i of r, from the pair <prefix><its name>. */
static int arg_from_pairs(struct reason *r, size_t i, const char *prefix,
			  const char *const *pairs, size_t n, bool *used)
{
	const char *name = reason_arg_name(r->code, i);
	char *key = xasprintf("%s%s", prefix, name);
	const char *v = pair(pairs, n, used, key);
	int rc = 0;

	switch (reason_arg_kind(r->code, i)) {
	case REASON_ARG_TEXT:
		if (!v)
			rc = error("reason '%s' needs its '%s'", reason_name(r->code),
				   key);
		r->arg[i].text = xstrdup(v ? v : "");
		break;
	case REASON_ARG_STATUS:
		if (!v || results_status_parse(v, (enum step_status *)&r->arg[i].value) < 0)
			rc = error("'%s' of reason '%s' is no step status",
				   key, reason_name(r->code));
		break;
	case REASON_ARG_FAULT:
		if (!v || results_fault_parse(v, (enum fault_kind *)&r->arg[i].value) < 0)
			rc = error("'%s' of reason '%s' is no fault kind",
				   key, reason_name(r->code));
		break;
	case REASON_ARG_REASON:
		free(key);
		key = xasprintf("%s%s.", prefix, name);
		r->arg[i].why = xcalloc(1, sizeof(*r->arg[i].why));
		rc = from_pairs(r->arg[i].why, key, pairs, n, used);
		break;
	}
	free(key);
	return rc;
}

static int from_pairs(struct reason *r, const char *prefix,
		      const char *const *pairs, size_t n, bool *used)
{
	char *key = xasprintf("%scode", prefix);
	const char *code = pair(pairs, n, used, key);
	int rc = 0;

	if (!code || reason_parse_name(code, &r->code) < 0 ||
	    r->code == REASON_NONE)
		rc = error("%s '%s' names no reason", key, code ? code : "");
	free(key);
	for (size_t i = 0; rc == 0 && i < reason_nargs(r->code); i++)
		rc = arg_from_pairs(r, i, prefix, pairs, n, used);
	return rc;
}

int reason_from_pairs(struct reason *r, const char *const *pairs, size_t n)
{
	bool *used = xcalloc(n + 1, sizeof(*used));
	int rc;

	reason_free(r);
	rc = from_pairs(r, "", pairs, n, used);
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (!used[i])
			rc = error("'%s' is no argument of reason '%s'", pairs[i],
				   reason_name(r->code));
	free(used);
	if (rc < 0)
		reason_free(r);
	return rc;
}

int reason_from_option(struct reason *r, const char *value,
		       const char *const *args, size_t nargs)
{
	const char **pairs;
	enum reason_code code;
	int rc;

	if (!nargs && reason_parse_name(value, &code) < 0) {
		reason_from_english(r, value, true);
		return 0;
	}
	pairs = xcalloc(nargs + 2, sizeof(*pairs));
	pairs[0] = xasprintf("code=%s", value);
	for (size_t i = 0; i < nargs; i++)
		pairs[i + 1] = args[i];
	rc = reason_from_pairs(r, pairs, nargs + 1);
	free((char *)pairs[0]);
	free(pairs);
	return rc;
}

static void add_pairs(struct sb *out, const char *prefix,
		      const struct reason *r)
{
	sb_addf(out, "%scode=%s\n", prefix, reason_name(r->code));
	for (size_t i = 0; i < reason_nargs(r->code); i++) {
		const struct reason_arg *a = &r->arg[i];
		const char *name = reason_arg_name(r->code, i);
		char *sub;

		switch (reason_arg_kind(r->code, i)) {
		case REASON_ARG_TEXT:
			sb_addf(out, "%s%s=", prefix, name);
			for (const char *p = a->text ? a->text : ""; *p; p++)
				sb_addc(out, *p == '\n' ? ' ' : *p);
			sb_addc(out, '\n');
			break;
		case REASON_ARG_STATUS:
			sb_addf(out, "%s%s=%s\n", prefix, name,
				results_status_name(a->value));
			break;
		case REASON_ARG_FAULT:
			sb_addf(out, "%s%s=%s\n", prefix, name,
				results_fault_name(a->value));
			break;
		case REASON_ARG_REASON:
			sub = xasprintf("%s%s.", prefix, name);
			if (a->why)
				add_pairs(out, sub, a->why);
			free(sub);
			break;
		}
	}
}

void reason_pairs(struct sb *out, const struct reason *r)
{
	add_pairs(out, "", r);
}

/* ---- format 1's English ---- */

struct span {
	const char *s;
	size_t len;
};

/*
 * Does `s` have the form of template `p` of `code`?  Each argument takes
 * one character or more, as few as let the rest match (as the report
 * matched format 1's English before reasons had codes).
 */
static bool form_match(enum reason_code code, const char *p, const char *s,
		       struct span *cap)
{
	size_t len;
	int i = -1;

	while (!(len = reason_placeholder(p)) ||
	       (i = reason_arg_at(code, p + 1, len)) < 0) {
		if (!*p)
			return !*s;
		if (*p++ != *s++)
			return false;
	}
	for (size_t k = 1; s[k - 1]; k++) {
		cap[i] = (struct span){ s, k };
		if (form_match(code, p + len + 2, s + k, cap))
			return true;
	}
	return false;
}

/* The arguments of `code` from what its English held: false when a
 * status or fault is none. */
static bool take_spans(struct reason *r, const struct span *cap)
{
	for (size_t i = 0; i < reason_nargs(r->code); i++) {
		char *s = xstrndup(cap[i].s, cap[i].len);
		bool ok = true;

		switch (reason_arg_kind(r->code, i)) {
		case REASON_ARG_TEXT:
			r->arg[i].text = s;
			continue;
		case REASON_ARG_STATUS:
			ok = results_status_parse(s, (enum step_status *)&r->arg[i].value) == 0;
			break;
		case REASON_ARG_FAULT:
			ok = results_fault_parse(s, (enum fault_kind *)&r->arg[i].value) == 0;
			break;
		case REASON_ARG_REASON:
			r->arg[i].why = xcalloc(1, sizeof(*r->arg[i].why));
			reason_from_english(r->arg[i].why, s, true);
			break;
		}
		free(s);
		if (!ok)
			return false;
	}
	return true;
}

bool reason_from_english(struct reason *r, const char *text, bool names)
{
	struct span cap[REASON_ARGS];
	bool v1, name_only;

	reason_free(r);
	for (int c = REASON_TEXT + 1; c < REASON_COUNT; c++) {
		const char *en = reason_english_form(c, &v1, &name_only);

		if (!v1 || (name_only && !names))
			continue;
		memset(cap, 0, sizeof(cap));
		if (!form_match(c, en, text, cap))
			continue;
		r->code = (enum reason_code)c;
		if (take_spans(r, cap))
			return true;
		reason_free(r);
	}
	reason_set(r, REASON_TEXT, text);
	return false;
}
