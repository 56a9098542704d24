/*
 * spec_step.c — a step of labs.yaml (a numbered item of the sheet): its
 * kind, question, command, answer, points, who may see its result and
 * what a student is told (visibility, feedback), terminal input, wait,
 * and its expectations (match, absent, ordered, exit, and the faults oops, warn,
 * panic and timeout), whose patterns spec_refs.c checks.
 *
 * Never prints and never runs anything: problems are queued with
 * spec_diag() at the exact character they concern, and parsing goes on so
 * that one spec_load() reports every problem.
 */
#include "spec_parse.h"

#include "console.h"
#include "expand.h"
#include "match.h"

#include <stdlib.h>
#include <string.h>

/* ---- expectations ---- */

/* The keys of an expectation: one that says what, and `in`. */
static const char *const expect_keys[] = {
	"match", "absent", "exit", "ordered", "oops", "warn", "panic",
	"timeout", "in", NULL,
};
enum { EXPECT_OOPS = 4, EXPECT_WARN, EXPECT_PANIC, EXPECT_TIMEOUT,
       EXPECT_IN, EXPECT_NKEYS };
static const struct {
	enum spec_expect_kind kind;
	enum fault_kind fault;
} expect_of_key[EXPECT_IN] = {
	{ SPEC_EXPECT_MATCH, FAULT_NONE }, { SPEC_EXPECT_ABSENT, FAULT_NONE },
	{ SPEC_EXPECT_EXIT, FAULT_NONE }, { SPEC_EXPECT_ORDERED, FAULT_NONE },
	{ SPEC_EXPECT_FAULT, FAULT_OOPS }, { SPEC_EXPECT_FAULT, FAULT_WARN },
	{ SPEC_EXPECT_FAULT, FAULT_PANIC }, { SPEC_EXPECT_TIMEOUT, FAULT_NONE },
};
/* In the order of enum spec_in. */
static const char *const expect_ins[] = {
	"output", "host", "boot", "kernel", "before", NULL,
};

/* Appends pattern `p` (taken over), written at `n`. */
static void push_pattern(struct spec_expect *e, char *p, yaml_node_t *n)
{
	e->patterns = xrealloc(e->patterns,
			       (e->npatterns + 1) * sizeof(*e->patterns));
	e->ppos = xrealloc(e->ppos, (e->npatterns + 1) * sizeof(*e->ppos));
	e->patterns[e->npatterns] = p;
	e->ppos[e->npatterns++] = spec_mark_pos(n->start_mark);
}

static void add_pattern(struct spec_ctx *c, struct spec_expect *e,
			yaml_node_t *n, const char *key, const char *where,
			const struct spec_exercise *ex)
{
	char *p = spec_get_str(c, n, key, where);

	if (!p)
		return;
	spec_check_pattern(c, n, where, ex);
	push_pattern(e, p, n);
}

/* `oops: true` (plain, unquoted): any fault of that kind, as the
 * kernel's console words its first line (console_fault_pattern()). */
static bool any_fault(struct spec_expect *e, yaml_node_t *n)
{
	char *any;

	if (n->type != YAML_SCALAR_NODE ||
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
	    strcmp((const char *)n->data.scalar.value, "true"))
		return false;
	any = console_fault_pattern(e->fault);
	if (!any)
		return false;
	push_pattern(e, any, n);
	return true;
}

static void parse_ordered(struct spec_ctx *c, struct spec_expect *e,
			  yaml_node_t *n, const char *where,
			  const struct spec_exercise *ex)
{
	yaml_node_item_t *it;

	if (spec_want(c, n, "sequence", "'ordered'", where) < 0)
		return;
	if (!spec_len(n))
		spec_diag(c, spec_mark_pos(n->start_mark),
			  "expected at least one pattern for 'ordered' %s",
			  where);
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++)
		add_pattern(c, e, spec_node(c, *it), "ordered", where, ex);
}

/* The one key of an expectation, or -1 after reporting why not. */
static int expect_key(struct spec_ctx *c, yaml_node_t *n, yaml_node_t **v,
		      const char *where)
{
	int i, key = -1;

	for (i = 0; i < EXPECT_IN; i++) {
		if (!v[i])
			continue;
		if (key >= 0) {
			spec_diag(c, spec_mark_pos(n->start_mark),
				  "an expectation %s has both '%s' and '%s' "
				  "(one key per item)",
				  where, expect_keys[key], expect_keys[i]);
			return -1;
		}
		key = i;
	}
	if (key < 0 && !spec_len(n))
		spec_diag(c, spec_mark_pos(n->start_mark),
			  "empty expectation %s (expected one of: match, "
			  "absent, exit, ordered, oops, warn, panic, timeout)",
			  where);
	else if (key < 0 && v[EXPECT_IN])
		spec_diag(c, spec_mark_pos(n->start_mark),
			  "an expectation %s has 'in' and nothing to look "
			  "for there (add one of: match, absent, exit, "
			  "ordered)", where);
	else if (v[EXPECT_IN] && key >= EXPECT_OOPS)
		spec_diag(c, spec_mark_pos(v[EXPECT_IN]->start_mark),
			  "'in' %s: '%s' looks at the guest's kernel or "
			  "deadline, not at a text", where, expect_keys[key]);
	return key;
}

/* What an expectation checks, from its key's value. */
static void expect_value(struct spec_ctx *c, struct spec_step *st,
			 struct spec_expect *e, yaml_node_t *v, int key,
			 const char *where, const struct spec_exercise *ex)
{
	switch (e->kind) {
	case SPEC_EXPECT_FAULT:
		if (!any_fault(e, v))   /* a pattern the fault's lines match */
			add_pattern(c, e, v, expect_keys[key], where, ex);
		break;
	case SPEC_EXPECT_MATCH:
	case SPEC_EXPECT_ABSENT:
		add_pattern(c, e, v, expect_keys[key], where, ex);
		break;
	case SPEC_EXPECT_ORDERED:
		parse_ordered(c, e, v, where, ex);
		break;
	case SPEC_EXPECT_EXIT:
		if (!spec_get_int(c, v, "exit", where, &e->exit_status) &&
		    (e->exit_status < 0 || e->exit_status > 255))
			spec_diag(c, spec_mark_pos(v->start_mark),
				  "exit status %d %s is out of range (0 to 255)",
				  e->exit_status, where);
		break;
	case SPEC_EXPECT_TIMEOUT:
		if (!spec_scalar(v) || strcmp(spec_scalar(v), "true"))
			spec_diag(c, spec_mark_pos(v->start_mark),
				  "'timeout' %s expects true (the step passes its "
				  "deadline), not '%s'", where,
				  spec_scalar(v) ? spec_scalar(v) : "a collection");
		break;
	}
	if ((e->kind == SPEC_EXPECT_FAULT || e->kind == SPEC_EXPECT_TIMEOUT) &&
	    st->kind != STEP_GUEST)
		spec_diag(c, spec_mark_pos(v->start_mark),
			  "'%s' %s: only a guest step can expect a fault or "
			  "a timeout of the guest", expect_keys[key], where);
}

static void parse_expect(struct spec_ctx *c, struct spec_step *st,
			 yaml_node_t *n, const char *where,
			 const struct spec_exercise *ex)
{
	char *what = xasprintf("an item of 'expect' %s", where);
	yaml_node_t *v[EXPECT_NKEYS], *k[EXPECT_NKEYS];
	struct spec_expect *e;
	int key, rc, in;

	rc = spec_map(c, n, what, where, expect_keys, v, k);
	free(what);
	if (rc < 0)
		return;
	key = expect_key(c, n, v, where);
	if (key < 0)
		return;
	e = &st->expect[st->nexpect++];
	e->kind = expect_of_key[key].kind;
	e->fault = expect_of_key[key].fault;
	e->pos = spec_mark_pos(n->start_mark);
	if (spec_get_enum(c, v[EXPECT_IN], "in", where, expect_ins, &in) == 0)
		e->in = (enum spec_in)in;
	if (e->in == SPEC_IN_HOST && !st->host)
		spec_diag(c, spec_mark_pos(v[EXPECT_IN]->start_mark),
			  "'in: host' %s, but the step has no 'host' command",
			  where);
	if (e->in == SPEC_IN_BEFORE && !st->before)
		spec_diag(c, spec_mark_pos(v[EXPECT_IN]->start_mark),
			  "'in: before' %s, but the step has no 'before' command",
			  where);
	if (e->in == SPEC_IN_KERNEL && st->kind != STEP_GUEST)
		spec_diag(c, spec_mark_pos(v[EXPECT_IN]->start_mark),
			  "'in: kernel' %s: only a guest step has a kernel log",
			  where);
	expect_value(c, st, e, v[key], key, where, ex);
}

static void parse_expects(struct spec_ctx *c, struct spec_step *st,
			  yaml_node_t *n, const char *where,
			  const struct spec_exercise *ex)
{
	yaml_node_item_t *it;

	if (!n || spec_want(c, n, "sequence", "'expect'", where) < 0)
		return;
	st->expect = xcalloc(spec_len(n), sizeof(*st->expect));
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++)
		parse_expect(c, st, spec_node(c, *it), where, ex);
}

/* ---- steps ---- */

static const char *const step_keys[] = {
	"id", "kind", "question", "answer", "run", "timeout", "skip", "expect",
	"host", "stage", "input", "ends", "points", "wait", "before",
	"unchecked", "visibility", "feedback", NULL,
};
enum { KEY_ID, KEY_KIND, KEY_QUESTION, KEY_ANSWER, KEY_RUN, KEY_TIMEOUT,
       KEY_SKIP, KEY_EXPECT, KEY_HOST, KEY_STAGE, KEY_INPUT, KEY_ENDS,
       KEY_POINTS, KEY_WAIT, KEY_BEFORE, KEY_UNCHECKED, KEY_VISIBILITY,
       KEY_FEEDBACK, KEY_NKEYS };
/* In the order of enum spec_visibility. */
static const char *const visibilities[VISIBILITY_COUNT + 1] = {
	[VISIBILITY_VISIBLE] = "visible",
	[VISIBILITY_HIDDEN] = "hidden",
	[VISIBILITY_AFTER_DUE_DATE] = "after_due_date",
	[VISIBILITY_AFTER_PUBLISHED] = "after_published",
};
/* In the order of enum step_ends, from ENDS_LOGIN. */
static const char *const step_ends[] = { "login", "poweroff", NULL };
static const char *const input_keys[] = { "wait", "send", NULL };
enum { INPUT_WAIT, INPUT_SEND, INPUT_NKEYS };
static const char *const wait_keys[] = { "for", "timeout", NULL };
enum { WAIT_FOR, WAIT_TIMEOUT, WAIT_NKEYS };
/* In the order of enum step_stage, step_kind and guest_boot. */
static const char *const step_stages[] = { "", "config", "build", NULL };
static const char *const step_kinds[STEP_KIND_COUNT + 1] = {
	[STEP_GUEST] = "guest",
	[STEP_HOST] = "host",
	[STEP_BUILD] = "build",
	[STEP_LXR] = "lxr",
};

bool spec_step_expects_end(const struct spec_step *st, enum step_status s)
{
	for (size_t i = 0; st && i < st->nexpect; i++) {
		const struct spec_expect *e = &st->expect[i];

		if ((e->kind == SPEC_EXPECT_TIMEOUT && s == STATUS_TIMEOUT) ||
		    (e->kind == SPEC_EXPECT_FAULT && e->fault == FAULT_PANIC &&
		     s == STATUS_PANIC))
			return true;
	}
	return false;
}

const char *spec_step_kind_name(enum step_kind k)
{
	return (unsigned)k < STEP_KIND_COUNT ? step_kinds[k] : "?";
}

const char *spec_visibility_name(enum spec_visibility v)
{
	return (unsigned)v < VISIBILITY_COUNT ? visibilities[v] : "?";
}

static void check_step_id(struct spec_ctx *c, const struct spec_exercise *ex,
			  const struct spec_step *st)
{
	const struct spec *s = c->spec;
	size_t i, j;

	for (i = 0; i <= s->nexercises; i++) {
		const struct spec_exercise *e = i < s->nexercises ?
							&s->exercises[i] :
							ex;

		for (j = 0; j < e->nsteps; j++)
			if (&e->steps[j] != st && e->steps[j].id &&
			    !strcmp(e->steps[j].id, st->id)) {
				spec_duplicate_id(c, "step", st->id, st->pos,
					     e->steps[j].pos);
				return;
			}
	}
}

static void parse_inputs(struct spec_ctx *c, struct spec_step *st,
			 yaml_node_t *n, const char *where,
			 const struct spec_exercise *ex)
{
	yaml_node_item_t *it;

	if (spec_want(c, n, "sequence", "'input'", where) < 0)
		return;
	st->input = xcalloc(spec_len(n), sizeof(*st->input));
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		yaml_node_t *item = spec_node(c, *it);
		yaml_node_t *v[INPUT_NKEYS], *k[INPUT_NKEYS];
		struct spec_input *in;

		if (spec_map(c, item, "an item of 'input'", where, input_keys,
			     v, k) < 0)
			continue;
		in = &st->input[st->ninput++];
		in->pos = spec_mark_pos(item->start_mark);
		if (!v[INPUT_WAIT])
			spec_missing(c, item, input_keys, "wait", where);
		in->wait = spec_get_str(c, v[INPUT_WAIT], "wait", where);
		if (in->wait)
			spec_check_pattern(c, v[INPUT_WAIT], where, ex);
		in->send = spec_get_str(c, v[INPUT_SEND], "send", where);
		if (in->send)
			spec_check_vars(c, v[INPUT_SEND], where, ex);
	}
}

/* `wait: 'pattern'` or `wait: {for: 'pattern', timeout: 5}`. */
static void parse_wait(struct spec_ctx *c, struct spec_step *st,
		       yaml_node_t *n, const char *where,
		       const struct spec_exercise *ex)
{
	yaml_node_t *v[WAIT_NKEYS], *k[WAIT_NKEYS], *pat = n;
	struct spec_wait *w;

	if (st->kind != STEP_GUEST) {
		spec_diag(c, spec_mark_pos(n->start_mark), "'wait' %s: only a "
			  "guest step can wait for its kernel's messages", where);
		return;
	}
	w = st->wait = xcalloc(1, sizeof(*w));
	w->pos = spec_mark_pos(n->start_mark);
	if (n->type == YAML_MAPPING_NODE) {
		if (spec_map(c, n, "'wait'", where, wait_keys, v, k) < 0)
			return;
		if (!v[WAIT_FOR])
			spec_missing(c, n, wait_keys, "for", where);
		spec_get_num(c, v[WAIT_TIMEOUT], "timeout", where, 1, &w->timeout);
		pat = v[WAIT_FOR];
	}
	if (pat && (w->pattern = spec_get_str(c, pat, "wait", where)))
		spec_check_pattern(c, pat, where, ex);
}

/* What the step runs: its command, the host's before and after it,
 * how it ends, its terminal input, its deadline and its wait. */
static void parse_commands(struct spec_ctx *c, struct spec_step *st,
			   yaml_node_t **v, const char *where,
			   const struct spec_exercise *ex)
{
	int i;

	st->run = spec_get_str(c, v[KEY_RUN], "run", where);
	if (st->run)
		spec_check_vars(c, v[KEY_RUN], where, ex);
	st->host = spec_get_str(c, v[KEY_HOST], "host", where);
	if (st->host)
		spec_check_vars(c, v[KEY_HOST], where, ex);
	st->before = spec_get_str(c, v[KEY_BEFORE], "before", where);
	if (st->before)
		spec_check_vars(c, v[KEY_BEFORE], where, ex);
	if (spec_get_enum(c, v[KEY_STAGE], "stage", where, step_stages + 1,
			  &i) == 0)
		st->stage = (enum step_stage)(i + 1);
	if (spec_get_enum(c, v[KEY_ENDS], "ends", where, step_ends, &i) == 0)
		st->ends = (enum step_ends)(i + 1);
	if (v[KEY_INPUT])
		parse_inputs(c, st, v[KEY_INPUT], where, ex);
	spec_get_num(c, v[KEY_TIMEOUT], "timeout", where, 0, &st->timeout);
	if (v[KEY_WAIT])
		parse_wait(c, st, v[KEY_WAIT], where, ex);
}

/* A step must be able to fail: it runs a command and expects something
 * of it, unless it says why not (skip:, unchecked:). */
static void check_not_vacuous(struct spec_ctx *c, const struct spec_step *st,
			      yaml_node_t *n, const char *where)
{
	if (st->skip)
		return;
	if (!st->run)
		spec_diag(c, spec_mark_pos(n->start_mark), "step %s has no 'run': "
			  "a %s step runs a command", where + strlen("in step "),
			  spec_step_kind_name(st->kind));
	if (!st->nexpect && !st->unchecked)
		spec_diag(c, spec_mark_pos(n->start_mark), "step %s expects "
			  "nothing, so it could never fail (add 'expect', or "
			  "'unchecked: <why>' to say so in the report)",
			  where + strlen("in step "));
}

static void parse_step_fields(struct spec_ctx *c, struct spec_step *st,
			      yaml_node_t **v, const char *where,
			      const struct spec_exercise *ex)
{
	int i;

	if (spec_get_enum(c, v[KEY_KIND], "kind", where, step_kinds, &i) == 0)
		st->kind = (enum step_kind)i;
	spec_get_text(c, v[KEY_QUESTION], "question", where, &st->question);
	parse_commands(c, st, v, where, ex);
	st->points = -1;
	if (v[KEY_POINTS] && !spec_get_int(c, v[KEY_POINTS], "points", where,
					   &st->points) && st->points < 0) {
		spec_diag(c, spec_mark_pos(v[KEY_POINTS]->start_mark),
			  "'points' %s must be a whole number 0 or more, not %d",
			  where, st->points);
		st->points = -1;
	}
	st->skip = spec_get_str(c, v[KEY_SKIP], "skip", where);
	st->unchecked = spec_get_str(c, v[KEY_UNCHECKED], "unchecked", where);
	if (spec_get_enum(c, v[KEY_VISIBILITY], "visibility", where,
			  visibilities, &i) == 0)
		st->visibility = (enum spec_visibility)i;
	spec_get_text(c, v[KEY_FEEDBACK], "feedback", where, &st->feedback);
	parse_expects(c, st, v[KEY_EXPECT], where, ex);
	c->step = st;            /* the answer may quote its ${match.*} */
	if (!spec_get_text(c, v[KEY_ANSWER], "answer", where, &st->answer))
		spec_check_vars(c, v[KEY_ANSWER], where, ex);
	c->step = NULL;
}

void spec_parse_step(struct spec_ctx *c, struct spec_exercise *ex,
		       yaml_node_t *n, const char *ex_name)
{
	struct spec_step *st = &ex->steps[ex->nsteps];
	yaml_node_t *v[KEY_NKEYS], *k[KEY_NKEYS];
	const char *id = spec_map_peek(c, n, "id");
	char *where = id ? xasprintf("in step %s", id) :
			   xasprintf("in step #%zu of %s", ex->nsteps + 1,
				     ex_name);
	char *what = xasprintf("an item of 'steps' in %s", ex_name);
	size_t errors;

	memset(st, 0, sizeof(*st));
	st->pos = spec_mark_pos(n->start_mark);
	errors = c->ndiags;
	if (spec_map(c, n, what, where, step_keys, v, k) < 0)
		goto out;
	ex->nsteps++;
	st->id = spec_get_str(c, v[KEY_ID], "id", where);
	if (st->id) {
		spec_check_id(c, spec_mark_pos(v[KEY_ID]->start_mark), "step",
			      st->id);
		check_step_id(c, ex, st);
	}
	if (!v[KEY_ID])
		spec_missing(c, n, step_keys, "id", where);
	if (!v[KEY_KIND])
		spec_missing(c, n, step_keys, "kind", where);
	if (!v[KEY_QUESTION])
		spec_missing(c, n, step_keys, "question", where);
	parse_step_fields(c, st, v, where, ex);
	if (c->ndiags == errors)  /* a misspelt 'expect' says it all */
		check_not_vacuous(c, st, n, where);
out:
	free(what);
	free(where);
}

/* ---- freeing ---- */

void spec_step_free(struct spec_step *st)
{
	size_t i, j;

	free(st->id);
	spec_text_free(&st->question);
	spec_text_free(&st->answer);
	spec_text_free(&st->feedback);
	free(st->run);
	free(st->host);
	for (j = 0; j < st->ninput; j++) {
		free(st->input[j].wait);
		free(st->input[j].send);
	}
	free(st->input);
	if (st->wait)
		free(st->wait->pattern);
	free(st->wait);
	free(st->skip);
	free(st->before);
	free(st->unchecked);
	for (i = 0; i < st->nexpect; i++) {
		for (j = 0; j < st->expect[i].npatterns; j++)
			free(st->expect[i].patterns[j]);
		free(st->expect[i].patterns);
		free(st->expect[i].ppos);
	}
	free(st->expect);
}

