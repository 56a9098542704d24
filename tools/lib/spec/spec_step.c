/*
 * spec_check.c — the part of labs.yaml that says what to check: exercises,
 * their guests and steps, each step's expectations, and the checks that
 * need the whole spec: ${name} references, references to kernels, rootfs
 * and modules, unique ids, and patterns that PCRE2 must accept.
 *
 * Never prints and never runs anything: problems are queued with
 * spec_diag() at the exact character they concern (a pattern's error
 * offset or a "$" is mapped back into the file), and parsing goes on so
 * that one spec_load() reports every problem.
 */
#include "spec_parse.h"

#include "expand.h"
#include "match.h"

#include <stdlib.h>
#include <string.h>

/* ---- ${name} references ---- */

struct var_ref {
	char *name;
	size_t offset;
};

struct var_refs {
	struct var_ref *v;
	size_t n, cap;
};

static void collect_ref(const char *name, size_t offset, void *arg)
{
	struct var_refs *r = arg;

	ARRAY_PUSH(r->v, r->n, r->cap);
	r->v[r->n].name = xstrdup(name);
	r->v[r->n++].offset = offset;
}

static void free_refs(struct var_refs *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->v[i].name);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static int var_defined(const struct spec *s, const char *name,
		       struct spec_suggest *sg)
{
	size_t i;

	for (i = 0; i < s->nvars; i++) {
		if (!strcmp(s->vars[i].name, name))
			return 1;
		spec_suggest_try(sg, s->vars[i].name);
	}
	for (i = 0; spec_builtin_vars[i]; i++) {
		if (!strcmp(spec_builtin_vars[i], name))
			return 1;
		spec_suggest_try(sg, spec_builtin_vars[i]);
	}
	return 0;
}

/* "${" at `bad` starts no valid reference: unclosed, or a bad name. */
static void bad_ref(struct spec_ctx *c, yaml_node_t *n, const char *s,
		    size_t bad, const char *where)
{
	const char *name = s + bad + 2;
	size_t len = strcspn(name, "} \t\n${");
	struct spec_pos pos = spec_value_pos(c, n, bad);

	if (name[len] != '}')
		spec_diag(c, pos, "unclosed '${' %s", where);
	else
		spec_diag(c, pos, "bad variable name '%.*s' %s", (int)len,
			  name, where);
}

/* Checks one string scalar; returns the number of problems reported. */
static int check_scalar_vars(struct spec_ctx *c, yaml_node_t *n,
			     const char *where, const struct spec_exercise *ex)
{
	const char *s = spec_scalar(n);
	struct var_refs r = { 0 };
	struct spec_suggest sg;
	char buf[128];
	size_t i, bad;
	int errs = 0;

	if (!s)
		return 0;
	if (expand_each_name(s, collect_ref, &r, &bad) < 0) {
		bad_ref(c, n, s, bad, where);
		errs++;
	}
	for (i = 0; i < r.n; i++) {
		struct spec_pos pos = spec_value_pos(c, n, r.v[i].offset);

		spec_suggest_init(&sg, r.v[i].name);
		if (!var_defined(c->spec, r.v[i].name, &sg)) {
			spec_diag(c, pos, "undefined variable '%s' %s%s",
				  r.v[i].name, where,
				  spec_suggest_fmt(&sg, buf, sizeof(buf)));
			errs++;
		} else if (ex && !ex->module &&
			   !strncmp(r.v[i].name, "module.", 7)) {
			spec_diag(c, pos,
				  "variable '%s' %s needs 'module:' in its "
				  "exercise",
				  r.v[i].name, where);
			errs++;
		}
	}
	free_refs(&r);
	return errs;
}

int spec_check_vars(struct spec_ctx *c, yaml_node_t *n, const char *where,
		    const struct spec_exercise *ex)
{
	yaml_node_pair_t *p;
	int errs = 0;

	if (!n || n->type != YAML_MAPPING_NODE)
		return n ? check_scalar_vars(c, n, where, ex) : 0;
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++)
		errs += check_scalar_vars(c, spec_node(c, p->value), where, ex);
	return errs;
}

/* ---- patterns ---- */

/*
 * The pattern with each ${name} replaced by "x" and "$$" by "$", as PCRE2
 * will see it once expanded; map[i] is the offset in `s` of byte i.
 */
static char *stand_in(const char *s, size_t **map)
{
	struct var_refs r = { 0 };
	size_t i = 0, k = 0, *m = xcalloc(strlen(s) + 1, sizeof(*m));
	struct sb out;

	expand_each_name(s, collect_ref, &r, NULL);
	sb_init(&out);
	while (s[i]) {
		m[out.len] = i;
		if (k < r.n && i == r.v[k].offset) {
			sb_addc(&out, 'x');
			i += strlen(r.v[k++].name) + 3;
		} else if (s[i] == '$' && s[i + 1] == '$') {
			sb_addc(&out, '$');
			i += 2;
		} else {
			sb_addc(&out, s[i++]);
		}
	}
	m[out.len] = i;
	free_refs(&r);
	*map = m;
	return sb_detach(&out, NULL);
}

/*
 * For "missing closing parenthesis" and "missing terminating ]", which
 * PCRE2 blames on the end of the pattern: the offset of the unclosed "("
 * (the innermost) or "[", or -1.
 */
static long unclosed(const char *s, char open)
{
	long parens[64], cls = -1;
	size_t i, depth = 0;

	for (i = 0; s[i]; i++) {
		if (s[i] == '\\' && s[i + 1]) {
			i++;
		} else if (cls >= 0) {
			/* "]" right after "[" or "[^" is a literal */
			if (s[i] == ']' && (long)i > cls + 1 &&
			    !((long)i == cls + 2 && s[cls + 1] == '^'))
				cls = -1;
		} else if (s[i] == '[') {
			cls = (long)i;
		} else if (s[i] == '(' && depth < 64) {
			parens[depth++] = (long)i;
		} else if (s[i] == ')' && depth > 0) {
			depth--;
		}
	}
	if (open == '[')
		return cls;
	return depth ? parens[depth - 1] : -1;
}

/* "bad pattern in step 3.3: <PCRE2's message>[ (unclosed '(' at L:C)]" */
static void bad_pattern(struct spec_ctx *c, yaml_node_t *n, const char *where,
			const char *pattern, const size_t *map, size_t off,
			const char *err)
{
	size_t len = strlen(pattern);
	struct spec_pos pos = spec_value_pos(c, n, map[off < len ? off : len]);
	char open = strstr(err, "parenthesis") ? '(' :
		    strstr(err, "terminating ]") ? '[' : 0;
	long at = open ? unclosed(pattern, open) : -1;
	struct spec_pos o;

	if (at < 0 || strncmp(err, "missing", 7)) {
		spec_diag(c, pos, "bad pattern %s: %s", where, err);
		return;
	}
	o = spec_value_pos(c, n, map[at]);
	spec_diag(c, pos, "bad pattern %s: %s (unclosed '%c' at %d:%d)", where,
		  err, open, o.line, o.col);
}

/* A pattern's ${} names, then whether PCRE2 compiles it. */
static void check_pattern(struct spec_ctx *c, yaml_node_t *n,
			  const char *where, const struct spec_exercise *ex)
{
	struct match_pattern *mp;
	char *pattern, *err = NULL;
	size_t *map, off = 0;

	if (!spec_scalar(n) || check_scalar_vars(c, n, where, ex))
		return;
	pattern = stand_in(spec_scalar(n), &map);
	mp = match_compile(pattern, &err, &off);
	if (!mp) {
		bad_pattern(c, n, where, pattern, map, off, err);
		free(err);
	}
	match_free(mp);
	free(map);
	free(pattern);
}

/* ---- references between sections ---- */

static const char *ref_id(const struct spec *s, const char *kind, size_t i)
{
	if (!strcmp(kind, "kernel"))
		return i < s->nkernels ? s->kernels[i].id : NULL;
	if (!strcmp(kind, "module"))
		return i < s->nmodules ? s->modules[i].id : NULL;
	return i < s->nrootfs ? s->rootfs[i].id : NULL;
}

char *spec_get_ref(struct spec_ctx *c, yaml_node_t *n, const char *key,
		   const char *kind, const char *where)
{
	struct spec_suggest sg;
	char buf[128];
	char *v = spec_get_str(c, n, key, where);
	const char *id;
	size_t i;

	if (!v)
		return NULL;
	spec_suggest_init(&sg, v);
	for (i = 0; (id = ref_id(c->spec, kind, i)); i++) {
		if (!strcmp(id, v))
			return v;
		spec_suggest_try(&sg, id);
	}
	spec_diag(c, spec_mark_pos(n->start_mark), "unknown %s '%s' %s%s",
		  kind, v, where, spec_suggest_fmt(&sg, buf, sizeof(buf)));
	return v;
}

/* ---- expectations ---- */

/* In the order of enum spec_expect_kind. */
static const char *const expect_keys[] = {
	"match", "absent", "exit", "ordered", "in", NULL,
};
enum { EXPECT_IN = 4, EXPECT_NKEYS };
/* In the order of enum spec_in. */
static const char *const expect_ins[] = { "output", "host", "boot", NULL };

static void add_pattern(struct spec_ctx *c, struct spec_expect *e,
			yaml_node_t *n, const char *key, const char *where,
			const struct spec_exercise *ex)
{
	char *p = spec_get_str(c, n, key, where);

	if (!p)
		return;
	check_pattern(c, n, where, ex);
	e->patterns = xrealloc(e->patterns,
			       (e->npatterns + 1) * sizeof(*e->patterns));
	e->ppos = xrealloc(e->ppos, (e->npatterns + 1) * sizeof(*e->ppos));
	e->patterns[e->npatterns] = p;
	e->ppos[e->npatterns++] = spec_mark_pos(n->start_mark);
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
static int expect_kind(struct spec_ctx *c, yaml_node_t *n, yaml_node_t **v,
		       const char *where)
{
	int i, kind = -1;

	for (i = 0; i < EXPECT_IN; i++) {
		if (!v[i])
			continue;
		if (kind >= 0) {
			spec_diag(c, spec_mark_pos(n->start_mark),
				  "an expectation %s has both '%s' and '%s' "
				  "(one key per item)",
				  where, expect_keys[kind], expect_keys[i]);
			return -1;
		}
		kind = i;
	}
	if (kind < 0 && !spec_len(n))
		spec_diag(c, spec_mark_pos(n->start_mark),
			  "empty expectation %s (expected one of: match, "
			  "absent, exit, ordered)",
			  where);
	return kind;
}

static void parse_expect(struct spec_ctx *c, struct spec_step *st,
			 yaml_node_t *n, const char *where,
			 const struct spec_exercise *ex)
{
	char *what = xasprintf("an item of 'expect' %s", where);
	yaml_node_t *v[EXPECT_NKEYS], *k[EXPECT_NKEYS];
	struct spec_expect *e;
	int kind, rc, in;

	rc = spec_map(c, n, what, where, expect_keys, v, k);
	free(what);
	if (rc < 0)
		return;
	kind = expect_kind(c, n, v, where);
	if (kind < 0)
		return;
	e = &st->expect[st->nexpect++];
	e->kind = (enum spec_expect_kind)kind;
	e->pos = spec_mark_pos(n->start_mark);
	if (spec_get_enum(c, v[EXPECT_IN], "in", where, expect_ins, &in) == 0)
		e->in = (enum spec_in)in;
	if (e->in == SPEC_IN_HOST && !st->host)
		spec_diag(c, spec_mark_pos(v[EXPECT_IN]->start_mark),
			  "'in: host' %s, but the step has no 'host' command",
			  where);
	if (kind == SPEC_EXPECT_MATCH || kind == SPEC_EXPECT_ABSENT) {
		add_pattern(c, e, v[kind], expect_keys[kind], where, ex);
	} else if (kind == SPEC_EXPECT_ORDERED) {
		parse_ordered(c, e, v[kind], where, ex);
	} else if (!spec_get_int(c, v[kind], "exit", where, &e->exit_status) &&
		   (e->exit_status < 0 || e->exit_status > 255)) {
		spec_diag(c, spec_mark_pos(v[kind]->start_mark),
			  "exit status %d %s is out of range (0 to 255)",
			  e->exit_status, where);
	}
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
	"host", "stage", "input", "ends", NULL,
};
enum { KEY_ID, KEY_KIND, KEY_QUESTION, KEY_ANSWER, KEY_RUN, KEY_TIMEOUT,
       KEY_SKIP, KEY_EXPECT, KEY_HOST, KEY_STAGE, KEY_INPUT, KEY_ENDS,
       KEY_NKEYS };
static const char *const step_ends[] = { "login", NULL };
static const char *const input_keys[] = { "wait", "send", NULL };
enum { INPUT_WAIT, INPUT_SEND, INPUT_NKEYS };
/* In the order of enum step_stage, step_kind and guest_boot. */
static const char *const step_stages[] = { "", "config", "build", NULL };
static const char *const step_kinds[STEP_KIND_COUNT + 1] = {
	[STEP_GUEST] = "guest",
	[STEP_HOST] = "host",
	[STEP_BUILD] = "build",
	[STEP_LXR] = "lxr",
};
static const char *const boots[] = { "initramfs", "disk", NULL };

const char *spec_step_kind_name(enum step_kind k)
{
	return (unsigned)k < STEP_KIND_COUNT ? step_kinds[k] : "?";
}

const char *spec_boot_name(enum guest_boot b)
{
	return boots[b == BOOT_DISK];
}

static void duplicate_id(struct spec_ctx *c, const char *what,
			 const char *id, struct spec_pos pos,
			 struct spec_pos first)
{
	spec_diag(c, pos, "duplicate %s id '%s' (first defined at %d:%d)", what,
		  id, first.line, first.col);
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
				duplicate_id(c, "step", st->id, st->pos,
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
			check_pattern(c, v[INPUT_WAIT], where, ex);
		in->send = spec_get_str(c, v[INPUT_SEND], "send", where);
		if (in->send)
			spec_check_vars(c, v[INPUT_SEND], where, ex);
	}
}

static void parse_step_fields(struct spec_ctx *c, struct spec_step *st,
			      yaml_node_t **v, const char *where,
			      const struct spec_exercise *ex)
{
	int i;

	if (spec_get_enum(c, v[KEY_KIND], "kind", where, step_kinds, &i) == 0)
		st->kind = (enum step_kind)i;
	spec_get_text(c, v[KEY_QUESTION], "question", where, &st->question);
	if (!spec_get_text(c, v[KEY_ANSWER], "answer", where, &st->answer))
		spec_check_vars(c, v[KEY_ANSWER], where, ex);
	st->run = spec_get_str(c, v[KEY_RUN], "run", where);
	if (st->run)
		spec_check_vars(c, v[KEY_RUN], where, ex);
	st->host = spec_get_str(c, v[KEY_HOST], "host", where);
	if (st->host)
		spec_check_vars(c, v[KEY_HOST], where, ex);
	if (spec_get_enum(c, v[KEY_STAGE], "stage", where, step_stages + 1,
			  &i) == 0)
		st->stage = (enum step_stage)(i + 1);
	st->ends_login = spec_get_enum(c, v[KEY_ENDS], "ends", where,
				       step_ends, &i) == 0;
	if (v[KEY_INPUT])
		parse_inputs(c, st, v[KEY_INPUT], where, ex);
	spec_get_num(c, v[KEY_TIMEOUT], "timeout", where, 0, &st->timeout);
	st->skip = spec_get_str(c, v[KEY_SKIP], "skip", where);
	parse_expects(c, st, v[KEY_EXPECT], where, ex);
}

static void parse_step(struct spec_ctx *c, struct spec_exercise *ex,
		       yaml_node_t *n, const char *ex_name)
{
	struct spec_step *st = &ex->steps[ex->nsteps];
	yaml_node_t *v[KEY_NKEYS], *k[KEY_NKEYS];
	const char *id = spec_map_peek(c, n, "id");
	char *where = id ? xasprintf("in step %s", id) :
			   xasprintf("in step #%zu of %s", ex->nsteps + 1,
				     ex_name);
	char *what = xasprintf("an item of 'steps' in %s", ex_name);

	memset(st, 0, sizeof(*st));
	st->pos = spec_mark_pos(n->start_mark);
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
out:
	free(what);
	free(where);
}

/* ---- exercises ---- */

static const char *const guest_keys[] = {
	"kernel", "rootfs", "boot", "timeout", "image", "use", NULL,
};
enum { GUEST_KERNEL, GUEST_ROOTFS, GUEST_BOOT, GUEST_TIMEOUT, GUEST_IMAGE,
       GUEST_USE, GUEST_NKEYS };
static const char *const guest_uses[] = { "built", "installed", NULL };

static void parse_guest(struct spec_ctx *c, struct spec_exercise *ex,
			yaml_node_t *n, const char *ex_name)
{
	yaml_node_t *v[GUEST_NKEYS], *k[GUEST_NKEYS];
	char *what = xasprintf("'guest' in %s", ex_name);
	char *where = xasprintf("in the guest of %s", ex_name);
	struct spec_guest *g;
	int i;

	if (spec_map(c, n, what, where, guest_keys, v, k) < 0)
		goto out;
	g = ex->guest = xcalloc(1, sizeof(*g));
	g->pos = spec_mark_pos(n->start_mark);
	for (i = 0; i < GUEST_IMAGE; i++) /* all four are needed to boot */
		if (!v[i])
			spec_missing(c, n, guest_keys, guest_keys[i], where);
	g->kernel = spec_get_ref(c, v[GUEST_KERNEL], "kernel", "kernel", where);
	g->rootfs = spec_get_ref(c, v[GUEST_ROOTFS], "rootfs", "rootfs", where);
	if (spec_get_enum(c, v[GUEST_BOOT], "boot", where, boots, &i) == 0)
		g->boot = (enum guest_boot)i;
	spec_get_num(c, v[GUEST_TIMEOUT], "timeout", where, 1, &g->timeout);
	g->image = spec_get_str(c, v[GUEST_IMAGE], "image", where);
	g->use_installed = spec_get_enum(c, v[GUEST_USE], "use", where,
					 guest_uses, &i) == 0 && i == 1;
out:
	free(where);
	free(what);
}

static void parse_steps(struct spec_ctx *c, struct spec_exercise *ex,
			yaml_node_t *n, const char *ex_name)
{
	char *where = xasprintf("in %s", ex_name);
	yaml_node_item_t *it;

	if (spec_want(c, n, "sequence", "'steps'", where) == 0) {
		ex->steps = xcalloc(spec_len(n), sizeof(*ex->steps));
		for (it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++)
			parse_step(c, ex, spec_node(c, *it), ex_name);
	}
	free(where);
}

static const char *const exercise_keys[] = {
	"id", "title", "kernel", "module", "guest", "steps", NULL,
};
enum { EX_ID, EX_TITLE, EX_KERNEL, EX_MODULE, EX_GUEST, EX_STEPS, EX_NKEYS };

static void parse_exercise_fields(struct spec_ctx *c, struct spec_exercise *ex,
				  yaml_node_t **v, const char *ex_name)
{
	char *where = xasprintf("in %s", ex_name);

	spec_get_text(c, v[EX_TITLE], "title", where, &ex->title);
	ex->kernel = spec_get_ref(c, v[EX_KERNEL], "kernel", "kernel", where);
	ex->module = spec_get_ref(c, v[EX_MODULE], "module", "module", where);
	if (v[EX_GUEST])
		parse_guest(c, ex, v[EX_GUEST], ex_name);
	if (v[EX_STEPS])
		parse_steps(c, ex, v[EX_STEPS], ex_name);
	free(where);
}

static void parse_exercise(struct spec_ctx *c, yaml_node_t *n, size_t index)
{
	struct spec *s = c->spec;
	struct spec_exercise *ex = &s->exercises[s->nexercises];
	yaml_node_t *v[EX_NKEYS], *k[EX_NKEYS];
	const char *id = spec_map_peek(c, n, "id");
	char *name = id ? xasprintf("exercise %s", id) :
			  xasprintf("exercise #%zu", index + 1);
	char *where = xasprintf("in %s", name);
	size_t i;

	memset(ex, 0, sizeof(*ex));
	ex->pos = spec_mark_pos(n->start_mark);
	if (spec_map(c, n, "an item of 'exercises' at top level", where,
		     exercise_keys, v, k) < 0)
		goto out;
	ex->id = spec_get_str(c, v[EX_ID], "id", where);
	if (ex->id)
		spec_check_id(c, spec_mark_pos(v[EX_ID]->start_mark),
			      "exercise", ex->id);
	for (i = 0; ex->id && i < s->nexercises; i++) {
		if (s->exercises[i].id && !strcmp(s->exercises[i].id, ex->id)) {
			duplicate_id(c, "exercise", ex->id, ex->pos,
				     s->exercises[i].pos);
			break;
		}
	}
	if (!v[EX_ID])
		spec_missing(c, n, exercise_keys, "id", where);
	if (!v[EX_STEPS])
		spec_missing(c, n, exercise_keys, "steps", where);
	parse_exercise_fields(c, ex, v, name);
	s->nexercises++;
out:
	free(where);
	free(name);
}

void spec_parse_exercises(struct spec_ctx *c, yaml_node_t *seq)
{
	yaml_node_item_t *items;
	size_t i;

	if (spec_want(c, seq, "sequence", "'exercises'", "at top level") < 0)
		return;
	items = seq->data.sequence.items.start;
	c->spec->exercises = xcalloc(spec_len(seq),
				     sizeof(*c->spec->exercises));
	for (i = 0; i < spec_len(seq); i++)
		parse_exercise(c, spec_node(c, items[i]), i);
}

/* ---- freeing ---- */

static void step_free(struct spec_step *st)
{
	size_t i, j;

	free(st->id);
	spec_text_free(&st->question);
	spec_text_free(&st->answer);
	free(st->run);
	free(st->host);
	for (j = 0; j < st->ninput; j++) {
		free(st->input[j].wait);
		free(st->input[j].send);
	}
	free(st->input);
	free(st->skip);
	for (i = 0; i < st->nexpect; i++) {
		for (j = 0; j < st->expect[i].npatterns; j++)
			free(st->expect[i].patterns[j]);
		free(st->expect[i].patterns);
		free(st->expect[i].ppos);
	}
	free(st->expect);
}

void spec_exercise_free(struct spec_exercise *ex)
{
	size_t i;

	free(ex->id);
	spec_text_free(&ex->title);
	free(ex->kernel);
	free(ex->module);
	if (ex->guest) {
		free(ex->guest->kernel);
		free(ex->guest->rootfs);
		free(ex->guest->image);
		free(ex->guest);
	}
	for (i = 0; i < ex->nsteps; i++)
		step_free(&ex->steps[i]);
	free(ex->steps);
}
