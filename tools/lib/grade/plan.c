/*
 * plan.c — reads a lab's grading plan (plan.h), which `labkit spec --plan`
 * writes when the build tree is configured (gen/gen_plan.c): the one way
 * grading learns what a build tree made.
 *
 * Fails, with a "path:line:col: error:" message and nothing kept, on a
 * file that is not a plan of this version, an exercise without an id, an
 * option of `labkit run` it does not know (a plan of another labkit), a
 * module without headers, or one that uses a module its exercise does
 * not have.
 */
#include "plan.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "yamldoc.h"

#define AT(n) YAMLDOC_LINE(n), YAMLDOC_COL(n)

/* The `run:` options of a plan: a path, the accelerator, or a reason
 * (its code; its arguments under "<key>-arg", a list). */
enum run_kind { RUN_PATH, RUN_ACCEL, RUN_REASON };

static const struct run_field {
	const char *key;
	enum run_kind kind;
	size_t offset;
} run_fields[] = {
#define F(k, t, f) { k, t, offsetof(struct plan_exercise, f) }
	F("kernel-dir", RUN_PATH, kernel_dir),
	F("kernel-image", RUN_PATH, kernel_image),
	F("rootfs-dir", RUN_PATH, rootfs_dir),
	F("build-results", RUN_PATH, build_results),
	F("xref-index", RUN_PATH, xref_index),
	F("accel-cache", RUN_PATH, accel_cache),
	F("saved", RUN_PATH, saved_dir),
	F("accel", RUN_ACCEL, accel),
	F("no-build", RUN_REASON, no_build),
	F("no-guest", RUN_REASON, no_guest),
	F("no-xref", RUN_REASON, no_xref),
#undef F
};

#define NRUN (sizeof(run_fields) / sizeof(run_fields[0]))

/* The field of `key` ("no-guest"; with `arg`, "no-guest-arg"), or NULL. */
static const struct run_field *run_field(const char *key, bool *arg)
{
	size_t n = key ? strlen(key) : 0;

	*arg = n > 4 && !strcmp(key + n - 4, "-arg");
	for (size_t i = 0; key && i < NRUN; i++)
		if (!strncmp(key, run_fields[i].key, *arg ? n - 4 : n) &&
		    !run_fields[i].key[*arg ? n - 4 : n] &&
		    (!*arg || run_fields[i].kind == RUN_REASON))
			return &run_fields[i];
	return NULL;
}

/* What the `run:` mapping gives a reason: its code and its arguments. */
struct pending {
	const char *code;
	yaml_node_t *at;
	const char **args;
	size_t nargs;
};

/* A reason's arguments: a list of "<name>=<value>". */
static int load_args(struct pending *r, const char *path,
		     yaml_document_t *doc, yaml_node_t *seq, const char *key)
{
	if (seq->type != YAML_SEQUENCE_NODE)
		return error_at(path, AT(seq), "'%s' must be a list", key);
	for (yaml_node_item_t *i = seq->data.sequence.items.start;
	     i < seq->data.sequence.items.top; i++) {
		const char *a = yamldoc_scalar(yaml_document_get_node(doc, *i));

		if (!a)
			return error_at(path, AT(seq), "'%s' must be a list of strings", key);
		r->args = xrealloc(r->args, (r->nargs + 1) * sizeof(*r->args));
		r->args[r->nargs++] = a;
	}
	return 0;
}

static int load_option(struct plan_exercise *e, const char *path,
		       yaml_node_t *k, yaml_node_t *v, struct pending *pending)
{
	const char *key = yamldoc_scalar(k), *value = yamldoc_scalar(v);
	bool arg;
	const struct run_field *f = run_field(key, &arg);
	char **s = f ? (char **)((char *)e + f->offset) : NULL;

	if (!f)
		return error_at(path, AT(k), "unknown option '%s' of `labkit run` (a plan of another labkit? configure again)",
				key ? key : "?");
	if (arg)
		return 1;        /* the caller's, a list */
	if (!value)
		return error_at(path, AT(v), "'%s' must be a string", key);
	switch (f->kind) {
	case RUN_PATH:
		free(*s);
		*s = xstrdup(value);
		break;
	case RUN_ACCEL:
		if (vm_accel_parse(value, (enum vm_accel *)s) < 0)
			return error_at(path, AT(v), "unknown accelerator '%s' (auto, kvm or tcg)",
					value);
		break;
	case RUN_REASON:
		pending[f - run_fields].code = value;
		pending[f - run_fields].at = v;
		break;
	}
	return 0;
}

/* The reasons the options gave, made. */
static int make_reasons(struct plan_exercise *e, const char *path,
			struct pending *pending, yaml_node_t *map)
{
	int rc = 0;

	for (size_t i = 0; i < NRUN; i++) {
		struct reason *r = (struct reason *)((char *)e + run_fields[i].offset);

		if (run_fields[i].kind != RUN_REASON)
			continue;
		if (!pending[i].code && pending[i].nargs)
			rc = error_at(path, AT(map), "'%s-arg' without '%s'",
				      run_fields[i].key, run_fields[i].key);
		else if (pending[i].code && rc == 0 &&
			 reason_from_option(r, pending[i].code, pending[i].args,
					    pending[i].nargs) < 0)
			rc = error_at(path, AT(pending[i].at), "'%s' is no reason of this labkit's (a plan of another labkit? configure again)",
				      run_fields[i].key);
		free(pending[i].args);
	}
	return rc;
}

static int load_run(struct plan_exercise *e, const char *path,
		    yaml_document_t *doc, yaml_node_t *map)
{
	struct pending pending[NRUN];
	int rc = 0;

	if (!map)
		return 0;
	if (map->type != YAML_MAPPING_NODE)
		return error_at(path, AT(map), "'run' must be a mapping");
	memset(pending, 0, sizeof(pending));
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     rc == 0 && p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		yaml_node_t *v = yaml_document_get_node(doc, p->value);
		bool arg;
		const struct run_field *f;

		rc = load_option(e, path, k, v, pending);
		if (rc > 0) {
			f = run_field(yamldoc_scalar(k), &arg);
			rc = load_args(&pending[f - run_fields], path, doc, v,
				       yamldoc_scalar(k));
		}
	}
	if (rc < 0) {
		for (size_t i = 0; i < NRUN; i++)
			free(pending[i].args);
		return -1;
	}
	return make_reasons(e, path, pending, map);
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
		const char *arch = yamldoc_scalar(yamldoc_get(doc, n, "arch"));

		if (!id || !h || !*h)
			return error_at(path, AT(n), "a module needs an 'id' and its 'headers'");
		ARRAY_PUSH(e->modules, e->nmodules, cap);
		memset(&e->modules[e->nmodules], 0, sizeof(*e->modules));
		e->modules[e->nmodules].id = xstrdup(id);
		e->modules[e->nmodules].ko = ko && *ko ? xstrdup(ko) : NULL;
		e->modules[e->nmodules].arch = arch && *arch ? xstrdup(arch) : NULL;
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
	if (yamldoc_format(&doc, root, "labkit-grade-plan", &v) != 1) {
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

	o->exercise = pe->id;
	o->kernel_dir = pe->kernel_dir;
	o->kernel_image = pe->kernel_image;
	o->rootfs_dir = pe->rootfs_dir;
	o->build_results = pe->build_results;
	o->no_build = pe->no_build.code ? &pe->no_build : NULL;
	o->no_guest = pe->no_guest.code ? &pe->no_guest : NULL;
	o->xref_index = pe->xref_index;
	o->no_xref = pe->no_xref.code ? &pe->no_xref : NULL;
	o->accel = pe->accel;
	o->accel_cache = pe->accel_cache;
	o->saved_dir = pe->saved_dir;
	o->probe_timeout = 6;
	if (!modules)
		return;
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
			free(e->modules[j].arch);
			for (size_t k = 0; k < e->modules[j].nuses; k++)
				free(e->modules[j].uses[k]);
			free(e->modules[j].uses);
		}
		free(e->modules);
		free(e->id);
		free(e->kernel_dir);
		free(e->kernel_image);
		free(e->rootfs_dir);
		free(e->saved_dir);
		free(e->build_results);
		reason_free(&e->no_build);
		reason_free(&e->no_guest);
		free(e->xref_index);
		reason_free(&e->no_xref);
		free(e->accel_cache);
	}
	free(p->exercises);
	free(p->path);
	free(p->lab);
	free(p->spec);
	memset(p, 0, sizeof(*p));
}
