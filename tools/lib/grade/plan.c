/*
 * plan.c — reads a lab's grading plan (plan.h), written by CMake at
 * configure time: the one way grading learns what a build tree made.
 *
 * Fails, with a "path:line:col: error:" message and nothing kept, on a
 * file that is not a plan of this version, an exercise without an id, an
 * option of `labkit run` it does not know (a plan of another labkit), a
 * module without headers, or one that uses a module its exercise does
 * not have.
 */
#include "plan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "yamldoc.h"

#define AT(n) YAMLDOC_LINE(n), YAMLDOC_COL(n)

/* The `run:` keys, and where each goes. */
static char **run_field(struct plan_exercise *e, const char *key)
{
	static const struct {
		const char *key;
		size_t offset;
	} fields[] = {
#define F(k, f) { k, offsetof(struct plan_exercise, f) }
		F("kernel-dir", kernel_dir), F("kernel-image", kernel_image),
		F("rootfs-dir", rootfs_dir), F("build-results", build_results),
		F("no-build", no_build), F("no-guest", no_guest),
		F("xref-index", xref_index), F("no-xref", no_xref),
		F("accel", accel), F("accel-cache", accel_cache),
#undef F
	};

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!strcmp(key, fields[i].key))
			return (char **)((char *)e + fields[i].offset);
	return NULL;
}

static int load_run(struct plan_exercise *e, const char *path,
		    yaml_document_t *doc, yaml_node_t *map)
{
	if (!map)
		return 0;
	if (map->type != YAML_MAPPING_NODE)
		return error_at(path, AT(map), "'run' must be a mapping");
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		yaml_node_t *v = yaml_document_get_node(doc, p->value);
		const char *key = yamldoc_scalar(k), *value = yamldoc_scalar(v);
		char **field = key ? run_field(e, key) : NULL;

		if (!field)
			return error_at(path, AT(k), "unknown option '%s' of `labkit run` (a plan of another labkit? configure again)",
					key ? key : "?");
		if (!value)
			return error_at(path, AT(v), "'%s' must be a string", key);
		free(*field);
		*field = xstrdup(value);
	}
	return 0;
}

/* A module's `uses`: a list of ids. */
static int load_uses(struct plan_module *m, const char *path,
		     yaml_document_t *doc, yaml_node_t *seq)
{
	size_t cap = 0;

	if (!seq)
		return 0;
	if (seq->type != YAML_SEQUENCE_NODE)
		return error_at(path, AT(seq), "'uses' must be a list");
	for (yaml_node_item_t *i = seq->data.sequence.items.start;
	     i < seq->data.sequence.items.top; i++) {
		yaml_node_t *n = yaml_document_get_node(doc, *i);
		const char *id = yamldoc_scalar(n);

		if (!id)
			return error_at(path, AT(n), "'uses' must be a list of module ids");
		ARRAY_PUSH(m->uses, m->nuses, cap);
		m->uses[m->nuses++] = xstrdup(id);
	}
	return 0;
}

/* Every module a module uses is another module of the exercise. */
static int check_uses(const struct plan_exercise *e, const char *path,
		      yaml_node_t *seq)
{
	for (size_t i = 0; i < e->nmodules; i++) {
		const struct plan_module *m = &e->modules[i];

		for (size_t k = 0; k < m->nuses; k++) {
			size_t j = 0;

			while (j < e->nmodules && strcmp(e->modules[j].id, m->uses[k]))
				j++;
			if (j == e->nmodules || j == i)
				return error_at(path, AT(seq), "module '%s' of exercise '%s' uses '%s', which is not another module of it (a plan of another labkit? configure again)",
						m->id, e->id, m->uses[k]);
		}
	}
	return 0;
}

static int load_modules(struct plan_exercise *e, const char *path,
			yaml_document_t *doc, yaml_node_t *seq)
{
	size_t cap = 0;

	if (!seq)
		return 0;
	if (seq->type != YAML_SEQUENCE_NODE)
		return error_at(path, AT(seq), "'modules' must be a list");
	for (yaml_node_item_t *i = seq->data.sequence.items.start;
	     i < seq->data.sequence.items.top; i++) {
		yaml_node_t *n = yaml_document_get_node(doc, *i);
		const char *id = yamldoc_scalar(yamldoc_get(doc, n, "id"));
		const char *h = yamldoc_scalar(yamldoc_get(doc, n, "headers"));
		const char *ko = yamldoc_scalar(yamldoc_get(doc, n, "ko"));

		if (!id || !h || !*h)
			return error_at(path, AT(n), "a module needs an 'id' and its 'headers'");
		ARRAY_PUSH(e->modules, e->nmodules, cap);
		memset(&e->modules[e->nmodules], 0, sizeof(*e->modules));
		e->modules[e->nmodules].id = xstrdup(id);
		e->modules[e->nmodules].ko = ko && *ko ? xstrdup(ko) : NULL;
		e->modules[e->nmodules++].headers = xstrdup(h);
		if (load_uses(&e->modules[e->nmodules - 1], path, doc,
			      yamldoc_get(doc, n, "uses")) < 0)
			return -1;
	}
	return check_uses(e, path, seq);
}

static int load_exercises(struct plan *p, yaml_document_t *doc,
			  yaml_node_t *seq)
{
	size_t cap = 0;

	if (!seq || seq->type != YAML_SEQUENCE_NODE)
		return error_at(p->path, seq ? YAMLDOC_LINE(seq) : 1,
				seq ? YAMLDOC_COL(seq) : 1,
				"'exercises' must be a list");
	for (yaml_node_item_t *i = seq->data.sequence.items.start;
	     i < seq->data.sequence.items.top; i++) {
		yaml_node_t *n = yaml_document_get_node(doc, *i);
		const char *id = yamldoc_scalar(yamldoc_get(doc, n, "id"));
		struct plan_exercise *e;

		if (!id)
			return error_at(p->path, AT(n), "an exercise needs an 'id'");
		ARRAY_PUSH(p->exercises, p->nexercises, cap);
		e = &p->exercises[p->nexercises++];
		memset(e, 0, sizeof(*e));
		e->id = xstrdup(id);
		if (load_run(e, p->path, doc, yamldoc_get(doc, n, "run")) < 0 ||
		    load_modules(e, p->path, doc,
				 yamldoc_get(doc, n, "modules")) < 0)
			return -1;
	}
	return 0;
}

int plan_load(struct plan *p, const char *path)
{
	yaml_document_t doc;
	yaml_node_t *root, *v;
	int rc = -1;

	memset(p, 0, sizeof(*p));
	p->path = xstrdup(path);
	if (yamldoc_load(path, &doc) < 0)
		return plan_free(p), -1;
	root = yaml_document_get_root_node(&doc);
	v = yamldoc_get(&doc, root, "labkit-grade-plan");
	if (!yamldoc_scalar(v) || strcmp(yamldoc_scalar(v), "1")) {
		error_at(path, v ? YAMLDOC_LINE(v) : 1, v ? YAMLDOC_COL(v) : 1,
			 "not a labkit grading plan (no 'labkit-grade-plan: 1')");
		goto out;
	}
	p->lab = xstrdup(yamldoc_scalar(yamldoc_get(&doc, root, "lab")) ?: "");
	p->spec = xstrdup(yamldoc_scalar(yamldoc_get(&doc, root, "spec")) ?: "");
	rc = load_exercises(p, &doc, yamldoc_get(&doc, root, "exercises"));
out:
	yaml_document_delete(&doc);
	if (rc < 0)
		plan_free(p);
	return rc;
}

const struct plan_exercise *plan_exercise(const struct plan *p,
					  const char *id)
{
	for (size_t i = 0; i < p->nexercises; i++)
		if (!strcmp(p->exercises[i].id, id))
			return &p->exercises[i];
	return NULL;
}

void plan_run_opts(const struct plan_exercise *pe, struct run_opts *o,
		   char ***modules)
{
	size_t n = 0;

	o->kernel_dir = pe->kernel_dir;
	o->kernel_image = pe->kernel_image;
	o->rootfs_dir = pe->rootfs_dir;
	o->build_results = pe->build_results;
	o->no_build = pe->no_build;
	o->no_guest = pe->no_guest;
	o->xref_index = pe->xref_index;
	o->no_xref = pe->no_xref;
	o->accel = pe->accel ? pe->accel : "auto";
	o->accel_cache = pe->accel_cache;
	o->probe_timeout = 6;
	*modules = xcalloc(pe->nmodules + 1, sizeof(**modules));
	for (size_t i = 0; i < pe->nmodules; i++)
		if (pe->modules[i].ko)
			(*modules)[n++] = xasprintf("%s=%s", pe->modules[i].id,
						    pe->modules[i].ko);
	o->modules = (const char *const *)*modules;
	o->nmodules = n;
}

void plan_free(struct plan *p)
{
	for (size_t i = 0; i < p->nexercises; i++) {
		struct plan_exercise *e = &p->exercises[i];

		for (size_t j = 0; j < e->nmodules; j++) {
			free(e->modules[j].id);
			free(e->modules[j].headers);
			free(e->modules[j].ko);
			for (size_t k = 0; k < e->modules[j].nuses; k++)
				free(e->modules[j].uses[k]);
			free(e->modules[j].uses);
		}
		free(e->modules);
		free(e->id);
		free(e->kernel_dir);
		free(e->kernel_image);
		free(e->rootfs_dir);
		free(e->build_results);
		free(e->no_build);
		free(e->no_guest);
		free(e->xref_index);
		free(e->no_xref);
		free(e->accel);
		free(e->accel_cache);
	}
	free(p->exercises);
	free(p->path);
	free(p->lab);
	free(p->spec);
	memset(p, 0, sizeof(*p));
}
