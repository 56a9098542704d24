/*
 * spec.c — loading labs.yaml: reading the file, libyaml, the top-level
 * sections (lab, variables, kernels, modules, rootfs), the finished
 * model's lookups, and freeing it.  Exercises and steps are parsed in
 * spec_exercise.c and spec_step.c, kernels and modules in spec_build.c,
 * references in spec_refs.c, node helpers in spec_node.c (see
 * spec_parse.h).
 *
 * Sections are parsed in dependency order (variables, kernels, modules,
 * rootfs, exercises) whatever their order in the file, so a reference can
 * always be checked against what it names.
 *
 * Never exits and never runs anything.  Every problem found is printed
 * as "file:line:col: error: ..." (sorted by position, at most
 * MAX_ERRORS of them) and spec_load() returns NULL; a libyaml syntax
 * error stops the load after being printed, since there is no tree.
 */
#include "spec_parse.h"
#include "expand.h"
#include "yamldoc.h"

#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ERRORS 20

const char *const spec_builtin_vars[] = {
	"kernel.release", "kernel.arch", "kernel.version",
	"kernel.src", "kernel.build", "kernel.stage",
	"module.name", "module.file",
	"guest.pid", "guest.pgid",
	"lab.id", "exercise.id", "step.id",
	NULL,
};

void spec_vars(const struct spec *spec, const struct spec_exercise *ex,
	       struct expand_vars *vars)
{
	for (size_t i = 0; i < spec->nvars; i++)
		expand_vars_set(vars, spec->vars[i].name, spec->vars[i].value);
	expand_vars_set(vars, "lab.id", spec->lab_id);
	if (ex)
		expand_vars_set(vars, "exercise.id", ex->id);
}

/* ---- top-level sections ---- */

static const char *const lab_keys[] = { "id", "title", NULL };
enum { LAB_ID, LAB_TITLE, LAB_NKEYS };

static void parse_lab(struct spec_ctx *c, yaml_node_t *n)
{
	yaml_node_t *v[LAB_NKEYS], *k[LAB_NKEYS];

	if (spec_map(c, n, "'lab' at top level", "in lab", lab_keys, v, k) < 0)
		return;
	if (!v[LAB_ID])
		spec_missing(c, n, lab_keys, "id", "in lab");
	c->spec->lab_id = spec_get_str(c, v[LAB_ID], "id", "in lab");
	spec_get_text(c, v[LAB_TITLE], "title", "in lab", &c->spec->lab_title);
}

static int valid_var_name(const char *s)
{
	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
	      *s == '_'))
		return 0;
	for (s++; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || strchr("_.-", *s)))
			return 0;
	return 1;
}

static int builtin_var(const char *name)
{
	size_t i;

	for (i = 0; spec_builtin_vars[i]; i++)
		if (!strcmp(spec_builtin_vars[i], name))
			return 1;
	return 0;
}

static void parse_variable(struct spec_ctx *c, yaml_node_t *key,
			   yaml_node_t *val)
{
	struct spec *s = c->spec;
	const char *name = (const char *)key->data.scalar.value;
	struct spec_var *var;
	char *value;

	if (!valid_var_name(name)) {
		spec_diag(c, spec_mark_pos(key->start_mark),
			  "bad variable name '%s' in variables (letters, "
			  "digits, '_', '.', '-'; not starting with a digit)",
			  name);
		return;
	}
	if (builtin_var(name)) {
		spec_diag(c, spec_mark_pos(key->start_mark),
			  "variable '%s' in variables is built in", name);
		return;
	}
	value = spec_get_str(c, val, name, "in variables");
	if (!value)
		return;
	var = &s->vars[s->nvars++];
	var->name = xstrdup(name);
	var->value = value;
	var->pos = spec_mark_pos(key->start_mark);
}

static void parse_variables(struct spec_ctx *c, yaml_node_t *n)
{
	yaml_node_pair_t *pairs;
	size_t i, np;

	if (spec_map(c, n, "'variables' at top level", "in variables", NULL,
		     NULL, NULL) < 0)
		return;
	pairs = n->data.mapping.pairs.start;
	np = spec_len(n);
	c->spec->vars = xcalloc(np, sizeof(*c->spec->vars));
	for (i = 0; i < np; i++)
		if (!spec_map_skip(c, n, i))
			parse_variable(c, spec_node(c, pairs[i].key),
				       spec_node(c, pairs[i].value));
}

/*
 * Calls fn for each entry of an id → mapping section, with where =
 * "in <what> '<id>'".  fn registers the id even when its value is not a
 * mapping (reported here), so references to it do not fail too.
 */
static void parse_section(struct spec_ctx *c, yaml_node_t *n,
			  const char *section, const char *what,
			  void (*fn)(struct spec_ctx *c, const char *id,
				     yaml_node_t *val, const char *where))
{
	char *sec_what = xasprintf("'%s' at top level", section);
	char *sec_where = xasprintf("in %s", section);
	yaml_node_pair_t *pairs;
	size_t i, np;

	if (spec_map(c, n, sec_what, sec_where, NULL, NULL, NULL) < 0)
		goto out;
	pairs = n->data.mapping.pairs.start;
	np = spec_len(n);
	for (i = 0; i < np; i++) {
		yaml_node_t *val = spec_node(c, pairs[i].value);
		const char *id;
		char *id_what, *where;

		if (spec_map_skip(c, n, i)) /* reported by spec_map() */
			continue;
		/* a scalar key (spec_map_skip), as written: `~:` is the id
		 * "~" (refused as one), not a missing one */
		id = (const char *)spec_node(c, pairs[i].key)->data.scalar.value;
		id_what = xasprintf("'%s'", id);
		where = xasprintf("in %s '%s'", what, id);
		spec_want(c, val, "mapping", id_what, sec_where);
		fn(c, id, val, where);
		free(where);
		free(id_what);
	}
out:
	free(sec_where);
	free(sec_what);
}

static const char *const top_keys[] = {
	"labkit", "lab", "variables", "kernels", "rootfs", "modules",
	"exercises", NULL,
};
enum { TOP_LABKIT, TOP_LAB, TOP_VARIABLES, TOP_KERNELS, TOP_ROOTFS,
       TOP_MODULES, TOP_EXERCISES, TOP_NKEYS };

static void parse_top(struct spec_ctx *c, yaml_node_t *root)
{
	yaml_node_t *v[TOP_NKEYS], *k[TOP_NKEYS];
	const char *top = "at top level";

	if (spec_map(c, root, "the document", top, top_keys, v, k) < 0)
		return;
	if (!v[TOP_LABKIT])
		spec_missing(c, root, top_keys, "labkit", top);
	else if (!spec_get_int(c, v[TOP_LABKIT], "labkit", top,
			       &c->spec->version) &&
		 c->spec->version != 1)
		spec_diag(c, spec_mark_pos(v[TOP_LABKIT]->start_mark),
			  "unsupported labkit version %d (this labkit reads "
			  "version 1)",
			  c->spec->version);
	if (!v[TOP_LAB])
		spec_missing(c, root, top_keys, "lab", top);
	else
		parse_lab(c, v[TOP_LAB]);
	if (v[TOP_VARIABLES])
		parse_variables(c, v[TOP_VARIABLES]);
	if (v[TOP_KERNELS])
		parse_section(c, v[TOP_KERNELS], "kernels", "kernel",
			      spec_parse_kernel);
	if (v[TOP_MODULES]) {
		parse_section(c, v[TOP_MODULES], "modules", "module",
			      spec_parse_module);
		spec_check_uses(c);
	}
	if (v[TOP_ROOTFS])
		parse_section(c, v[TOP_ROOTFS], "rootfs", "rootfs",
			      spec_parse_one_rootfs);
	if (!v[TOP_EXERCISES])
		spec_missing(c, root, top_keys, "exercises", top);
	else
		spec_parse_exercises(c, v[TOP_EXERCISES]);
}

/* ---- the file and libyaml ---- */

static void index_lines(struct spec_ctx *c)
{
	size_t i, cap = 0;

	ARRAY_PUSH(c->line_start, c->nlines, cap);
	c->line_start[c->nlines++] = 0;
	for (i = 0; i < c->len; i++) {
		if (c->src[i] != '\n')
			continue;
		ARRAY_PUSH(c->line_start, c->nlines, cap);
		c->line_start[c->nlines++] = i + 1;
	}
}

static struct spec_pos offset_pos(struct spec_ctx *c, size_t offset)
{
	struct spec_pos p = { 1, 1 };
	size_t i;

	for (i = 0; i < offset && i < c->len; i++) {
		if (c->src[i] == '\n') {
			p.line++;
			p.col = 1;
		} else if ((c->src[i] & 0xc0) != 0x80) {
			p.col++;
		}
	}
	return p;
}

/* Leading whitespace up to the problem holds a tab. */
static int tab_at(struct spec_ctx *c, yaml_mark_t m)
{
	const char *p = spec_src_at(c, m.line, 0);
	const char *at = spec_src_at(c, m.line, m.column);

	if (at && at < c->src + c->len && *at == '\t')
		return 1;
	for (; p && p < at && (*p == ' ' || *p == '\t'); p++)
		if (*p == '\t')
			return 1;
	return 0;
}

static void yaml_error(struct spec_ctx *c, const yaml_parser_t *p)
{
	yaml_mark_t pm = p->problem_mark, cm = p->context_mark;
	const char *tab = "";
	char started[64] = "";

	if (p->error == YAML_MEMORY_ERROR)
		die("out of memory (libyaml)");
	if (p->error == YAML_READER_ERROR) {
		spec_diag(c, offset_pos(c, p->problem_offset),
			  "%s (byte 0x%02x)", p->problem,
			  (unsigned)p->problem_value & 0xff);
		return;
	}
	if (p->context && (cm.line != pm.line || cm.column != pm.column))
		snprintf(started, sizeof(started), " (started at %d:%d)",
			 (int)cm.line + 1, (int)cm.column + 1);
	if (tab_at(c, pm))
		tab = " (tabs are not allowed for indentation)";
	spec_diag(c, spec_mark_pos(pm), "%s%s%s%s%s",
		  p->problem ? p->problem : "syntax error",
		  p->context ? " " : "", p->context ? p->context : "", started,
		  tab);
}

/*
 * Refuses flow nesting ('[', '{') deeper than YAMLDOC_MAX_NESTING before
 * libyaml builds the document: it takes time quadratic in that depth
 * (100,000 '[' would take 25 s), and no lab needs it.  0, or -1 with the
 * problem queued.
 */
static int check_nesting(struct spec_ctx *c)
{
	int line, col;

	if (!yamldoc_too_deep(c->src, c->len, &line, &col))
		return 0;
	spec_diag(c, (struct spec_pos){ line, col }, "collections nested "
		  "deeper than %d levels (no lab needs that many)",
		  YAMLDOC_MAX_NESTING);
	return -1;
}

/* Parses c->src into c->doc; reports and returns NULL on a syntax error,
 * an empty file or a second document. */
static yaml_node_t *load_yaml(struct spec_ctx *c, yaml_parser_t *parser)
{
	yaml_document_t extra;
	yaml_node_t *root, *n;

	if (check_nesting(c) < 0) {
		c->doc = NULL;
		return NULL;
	}
	yaml_parser_set_input_string(parser, (const unsigned char *)c->src,
				     c->len);
	if (!yaml_parser_load(parser, c->doc)) {
		c->doc = NULL;
		yaml_error(c, parser);
		return NULL;
	}
	root = yaml_document_get_root_node(c->doc);
	if (!root) {
		spec_diag(c, (struct spec_pos){ 0, 0 }, "the file is empty");
		return NULL;
	}
	if (!yaml_parser_load(parser, &extra)) {
		yaml_error(c, parser);
		return NULL;
	}
	n = yaml_document_get_root_node(&extra);
	if (n)
		spec_diag(c, spec_mark_pos(n->start_mark),
			  "a second YAML document is not allowed");
	yaml_document_delete(&extra);
	return n ? NULL : root;
}

static int diag_cmp(const void *a, const void *b)
{
	const struct spec_diag *x = a, *y = b;

	if (x->pos.line != y->pos.line)
		return x->pos.line < y->pos.line ? -1 : 1;
	if (x->pos.col != y->pos.col)
		return x->pos.col < y->pos.col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Prints the queued problems sorted by position; returns how many. */
static size_t flush_diags(struct spec_ctx *c)
{
	size_t i, n = c->ndiags;

	if (!n)
		return 0;
	qsort(c->diags, n, sizeof(*c->diags), diag_cmp);
	for (i = 0; i < n; i++) {
		if (i < MAX_ERRORS)
			error_at(c->file, c->diags[i].pos.line,
				 c->diags[i].pos.col, "%s", c->diags[i].msg);
		free(c->diags[i].msg);
	}
	if (n > MAX_ERRORS)
		error_at(c->file, 0, 0, "%zu more errors not shown",
			 n - MAX_ERRORS);
	free(c->diags);
	c->diags = NULL;
	c->ndiags = 0;
	return n;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

struct spec *spec_load(const char *path)
{
	struct spec *spec;
	char *src;
	size_t len;

	if (fs_read_file(path, &src, &len) < 0) {
		error_at(path, 0, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	spec = spec_load_buffer(path, src, len);
	free(src);
	return spec;
}

struct spec *spec_load_buffer(const char *path, const char *src, size_t len)
{
	struct spec_ctx c = { .file = path, .src = src, .len = len };
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;

	c.doc = &doc;
	c.spec = xcalloc(1, sizeof(*c.spec));
	c.spec->file = xstrdup(path);
	c.spec->dir = dir_of(path);
	index_lines(&c);
	if (!yaml_parser_initialize(&parser))
		die("out of memory (libyaml)");
	root = load_yaml(&c, &parser);
	if (root)
		parse_top(&c, root);
	if (c.doc)
		yaml_document_delete(c.doc);
	yaml_parser_delete(&parser);
	free(c.line_start);
	if (flush_diags(&c)) {
		spec_free(c.spec);
		return NULL;
	}
	return c.spec;
}

/* ---- the model ---- */

void spec_free(struct spec *spec)
{
	size_t i, j;

	if (!spec)
		return;
	for (i = 0; i < spec->nvars; i++) {
		free(spec->vars[i].name);
		free(spec->vars[i].value);
	}
	for (i = 0; i < spec->nkernels; i++) {
		free(spec->kernels[i].id);
		free(spec->kernels[i].arch);
		free(spec->kernels[i].config);
		free(spec->kernels[i].localversion);
		free(spec->kernels[i].trimmed);
		for (j = 0; j < spec->kernels[i].nfragments; j++)
			free(spec->kernels[i].fragments[j]);
		free(spec->kernels[i].fragments);
	}
	for (i = 0; i < spec->nrootfs; i++) {
		spec_rootfs_free(&spec->rootfs[i]);
	}
	for (i = 0; i < spec->nmodules; i++)
		spec_module_free(&spec->modules[i]);
	for (i = 0; i < spec->nexercises; i++)
		spec_exercise_free(&spec->exercises[i]);
	free(spec->vars);
	free(spec->kernels);
	free(spec->rootfs);
	free(spec->modules);
	free(spec->exercises);
	spec_text_free(&spec->lab_title);
	free(spec->lab_id);
	free(spec->dir);
	free(spec->file);
	free(spec);
}

const struct spec_exercise *spec_exercise(const struct spec *spec,
					  const char *id)
{
	size_t i;

	for (i = 0; i < spec->nexercises; i++)
		if (spec->exercises[i].id && !strcmp(spec->exercises[i].id, id))
			return &spec->exercises[i];
	return NULL;
}

const struct spec_step *spec_step(const struct spec *spec, const char *id,
				  const struct spec_exercise **exercise)
{
	size_t i, j;

	for (i = 0; i < spec->nexercises; i++) {
		const struct spec_exercise *ex = &spec->exercises[i];

		for (j = 0; j < ex->nsteps; j++) {
			if (!ex->steps[j].id || strcmp(ex->steps[j].id, id))
				continue;
			if (exercise)
				*exercise = ex;
			return &ex->steps[j];
		}
	}
	if (exercise)
		*exercise = NULL;
	return NULL;
}

const struct spec_kernel *spec_kernel(const struct spec *spec, const char *id)
{
	size_t i;

	for (i = 0; i < spec->nkernels; i++)
		if (!strcmp(spec->kernels[i].id, id))
			return &spec->kernels[i];
	return NULL;
}

const struct spec_rootfs *spec_rootfs(const struct spec *spec, const char *id)
{
	size_t i;

	for (i = 0; i < spec->nrootfs; i++)
		if (!strcmp(spec->rootfs[i].id, id))
			return &spec->rootfs[i];
	return NULL;
}

const struct spec_module *spec_module(const struct spec *spec, const char *id)
{
	size_t i;

	for (i = 0; i < spec->nmodules; i++)
		if (!strcmp(spec->modules[i].id, id))
			return &spec->modules[i];
	return NULL;
}

const char *spec_text_get(const struct spec_text *t, const char *lang)
{
	size_t i;

	if (!t->n)
		return "";
	for (i = 0; lang && i < t->n; i++)
		if (!strcmp(t->lang[i], lang))
			return t->text[i];
	for (i = 0; i < t->n; i++)
		if (!strcmp(t->lang[i], "en"))
			return t->text[i];
	return t->text[0];
}
