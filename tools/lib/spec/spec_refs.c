/*
 * spec_refs.c — what in labs.yaml points somewhere else: ${name}
 * references (defined variables, ${module.*} only where the exercise has
 * modules), PCRE2 patterns (accepted once expanded, their errors mapped
 * back to the character in the file), references between sections
 * (kernels, modules, root file systems) and the form of ids.
 *
 * Never prints and never runs anything: problems are queued with
 * spec_diag() at the exact character they concern.
 */
#include "spec_parse.h"
#include "expand.h"
#include "match.h"

#include <ctype.h>
#include <stdbool.h>
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

/* "module.<id>.name" or "module.<id>.file": the last dot, and the id in
 * *id (caller frees) when asked; NULL for any other name. */
static const char *module_var(const char *name, char **id)
{
	const char *dot;

	if (strncmp(name, "module.", 7))
		return NULL;
	dot = strrchr(name + 7, '.');
	if (!dot || dot == name + 7 || (strcmp(dot, ".name") && strcmp(dot, ".file")))
		return NULL;
	if (id)
		*id = xstrndup(name + 7, (size_t)(dot - name - 7));
	return dot;
}

/* Does one of the step's patterns have a group (?<name>...)? */
static int step_has_group(const struct spec_step *st, const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; st && i < st->nexpect; i++)
		for (size_t j = 0; j < st->expect[i].npatterns; j++) {
			const char *p = st->expect[i].patterns[j];

			while ((p = strstr(p, "(?")) != NULL) {
				p += 2;
				if (*p == 'P')
					p++;
				if ((*p == '<' || *p == '\'') &&
				    !strncmp(p + 1, name, len) &&
				    (p[1 + len] == '>' || p[1 + len] == '\''))
					return 1;
			}
		}
	return 0;
}

static int var_defined(const struct spec_ctx *c, const char *name,
		       struct spec_suggest *sg)
{
	const struct spec *s = c->spec;

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
	if (!strncmp(name, "match.", 6))
		return step_has_group(c->step, name + 6);
	if (spec_device_var(name, NULL))
		return 1;
	return module_var(name, NULL) != NULL;
}

/* A ${module...} the exercise `ex` can give: module.name and module.file
 * with one module, module.<id>.* with <id> among its modules.  Reports
 * why not and returns 1, else 0. */
static int check_module_var(struct spec_ctx *c, struct spec_pos pos,
			    const char *name, const char *where,
			    const struct spec_exercise *ex)
{
	char *id = NULL;
	int bad = 0;

	if (strncmp(name, "module.", 7))
		return 0;
	if (!module_var(name, &id)) {
		if (!ex->module)
			bad = spec_diag(c, pos, "variable '%s' %s needs "
					"'module:' in its exercise (or "
					"${module.<id>.name})", name, where);
	} else {
		size_t i = 0;

		while (i < ex->nmodules && strcmp(ex->modules[i], id))
			i++;
		if (i == ex->nmodules)
			bad = spec_diag(c, pos, "variable '%s' %s: module "
					"'%s' is not among its exercise's "
					"'modules'", name, where, id);
	}
	free(id);
	return bad;
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
		if (!var_defined(c, r.v[i].name, &sg)) {
			spec_diag(c, pos, "undefined variable '%s' %s%s",
				  r.v[i].name, where,
				  spec_suggest_fmt(&sg, buf, sizeof(buf)));
			errs++;
		} else if (ex) {
			errs += check_module_var(c, pos, r.v[i].name, where, ex);
			errs += spec_check_device_var(c, pos, r.v[i].name, where, ex);
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
void spec_check_pattern(struct spec_ctx *c, yaml_node_t *n,
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
	} else if (match_empty(mp)) {
		spec_diag(c, spec_mark_pos(n->start_mark), "pattern '%s' %s "
			  "matches the empty string: it would hold whatever "
			  "the output is", spec_scalar(n), where);
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

/* ---- ids ---- */

void spec_check_id(struct spec_ctx *c, struct spec_pos pos, const char *what,
		   const char *id)
{
	bool ok = isalnum((unsigned char)id[0]) && !strstr(id, "..");

	for (const char *p = id; ok && *p; p++)
		ok = isalnum((unsigned char)*p) || strchr("._-", *p);
	if (!ok)
		spec_diag(c, pos, "%s id '%s' may hold only letters, digits, '.', "
			  "'_' and '-' (it names files and targets)", what, id);
}


void spec_duplicate_id(struct spec_ctx *c, const char *what,
			 const char *id, struct spec_pos pos,
			 struct spec_pos first)
{
	spec_diag(c, pos, "duplicate %s id '%s' (first defined at %d:%d)", what,
		  id, first.line, first.col);
}
