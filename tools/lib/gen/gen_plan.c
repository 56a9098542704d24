/*
 * gen_plan.c — a build tree's grading plan, labkit/<lab>/grade-plan.yaml
 * (`labkit spec --plan <build>`): per exercise, the options its `labkit
 * run` gets in that tree and the modules a submission replaces (the
 * headers each builds against, the lab's own .ko, the modules it uses),
 * which grade/plan.c reads for `labkit grade`, `labkit shell` and `labkit
 * gdb`.  It is the spec, layout.h's paths and what only the configure
 * knows, which CMake writes to labkit/<lab>/configured.yaml first: each
 * kernel as the tree has it (its directory and headers, built from source
 * or not, why no guest boots it, why no exercise builds it), the
 * accelerator, whether guests start from saved ones, why there is no
 * cross-reference index.  The options follow labkit_exercise()'s in
 * cmake/LabKit.cmake, which makes the same choices from the same facts.
 *
 * Fails with a "path:line:col: error:" message and writes nothing when
 * configured.yaml is missing, of another format, or names no kernel of
 * the spec's; the plan is rewritten only when it changes.
 */
#include "gen.h"
#include "gen_int.h"
#include "layout.h"
#include "yamldoc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define AT(n) YAMLDOC_LINE(n), YAMLDOC_COL(n)

/* A reason as CMake keeps it: its code, then "<name>=<value>"s; none
 * when empty.  The strings are the document's. */
struct strings {
	size_t n;
	const char **v;
};

/* A kernel as the build tree has it (LabKitKernels.cmake's properties). */
struct kernel_facts {
	const char *id, *dir, *headers;
	bool source;             /* built here from source */
	struct strings missing;  /* why no guest boots it */
	struct strings no_build; /* why no exercise builds it */
};

struct configured {
	const char *path;
	yaml_document_t doc;
	bool loaded;             /* doc is */
	const char *accel;
	bool saved;              /* LABKIT_SAVED */
	struct strings no_xref;
	size_t nkernels;
	struct kernel_facts *kernels;
};

/* ---- configured.yaml ---- */

static int load_strings(struct configured *c, yaml_node_t *n,
			const char *key, struct strings *s)
{
	if (!n)
		return 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return error_at(c->path, AT(n), "'%s' must be a list", key);
	s->v = xcalloc((size_t)(n->data.sequence.items.top -
				n->data.sequence.items.start) + 1,
		       sizeof(*s->v));
	for (yaml_node_item_t *i = n->data.sequence.items.start;
	     i < n->data.sequence.items.top; i++) {
		const char *v = yamldoc_scalar(yaml_document_get_node(&c->doc, *i));

		if (!v)
			return error_at(c->path, AT(n), "'%s' must be a list of strings", key);
		s->v[s->n++] = v;
	}
	return 0;
}

static int load_kernel(struct configured *c, yaml_node_t *n,
		       struct kernel_facts *k)
{
	const char *source = yamldoc_scalar(yamldoc_get(&c->doc, n, "source"));

	k->id = yamldoc_scalar(yamldoc_get(&c->doc, n, "id"));
	k->dir = yamldoc_scalar(yamldoc_get(&c->doc, n, "dir"));
	k->headers = yamldoc_scalar(yamldoc_get(&c->doc, n, "headers"));
	if (!k->id || !k->dir || !k->headers || !source)
		return error_at(c->path, AT(n), "a kernel needs an 'id', its 'dir', 'headers' and 'source'");
	k->source = !strcmp(source, "true");
	return load_strings(c, yamldoc_get(&c->doc, n, "missing"), "missing",
			    &k->missing) < 0 ||
	       load_strings(c, yamldoc_get(&c->doc, n, "no-build"), "no-build",
			    &k->no_build) < 0 ? -1 : 0;
}

static int load_kernels(struct configured *c, yaml_node_t *seq)
{
	if (!seq || seq->type != YAML_SEQUENCE_NODE)
		return error_at(c->path, seq ? YAMLDOC_LINE(seq) : 1,
				seq ? YAMLDOC_COL(seq) : 1, "'kernels' must be a list");
	c->kernels = xcalloc((size_t)(seq->data.sequence.items.top -
				      seq->data.sequence.items.start) + 1,
			     sizeof(*c->kernels));
	for (yaml_node_item_t *i = seq->data.sequence.items.start;
	     i < seq->data.sequence.items.top; i++)
		if (load_kernel(c, yaml_document_get_node(&c->doc, *i),
				&c->kernels[c->nkernels++]) < 0)
			return -1;
	return 0;
}

static void configured_free(struct configured *c)
{
	for (size_t i = 0; i < c->nkernels; i++) {
		free(c->kernels[i].missing.v);
		free(c->kernels[i].no_build.v);
	}
	free(c->kernels);
	free(c->no_xref.v);
	if (c->loaded)
		yaml_document_delete(&c->doc);
}

static int configured_load(struct configured *c, const char *path)
{
	yaml_node_t *root, *v;
	const char *saved;

	memset(c, 0, sizeof(*c));
	c->path = path;
	if (yamldoc_load(path, &c->doc) < 0)
		return error("'%s' is what configuring the build tree writes: configure it again",
			     path);
	c->loaded = true;
	root = yaml_document_get_root_node(&c->doc);
	if (yamldoc_format(&c->doc, root, "labkit-configured", &v) != 1)
		return error_at(path, v ? YAMLDOC_LINE(v) : 1, v ? YAMLDOC_COL(v) : 1,
				"not what this labkit's CMake writes (no 'labkit-configured: 1'): configure again");
	c->accel = yamldoc_scalar(yamldoc_get(&c->doc, root, "accel"));
	saved = yamldoc_scalar(yamldoc_get(&c->doc, root, "saved"));
	if (!c->accel || !saved)
		return error_at(path, 1, 1, "no 'accel' or 'saved'");
	c->saved = !strcmp(saved, "true");
	return load_strings(c, yamldoc_get(&c->doc, root, "no-xref"), "no-xref",
			    &c->no_xref) < 0 ? -1 :
	       load_kernels(c, yamldoc_get(&c->doc, root, "kernels"));
}

static const struct kernel_facts *kernel_facts(const struct configured *c,
					       const char *id)
{
	for (size_t i = 0; i < c->nkernels; i++)
		if (!strcmp(c->kernels[i].id, id))
			return &c->kernels[i];
	return NULL;
}

/* Every kernel of the spec is there. */
static int check_kernels(const struct configured *c, const struct spec *spec)
{
	for (size_t i = 0; i < spec->nkernels; i++)
		if (!kernel_facts(c, spec->kernels[i].id))
			return error_at(c->path, 1, 1, "no kernel '%s' of '%s': configure again",
					spec->kernels[i].id, spec->file);
	return 0;
}

/* ---- the plan ---- */

/* A value as a double-quoted YAML scalar: a control character (a newline
 * in a path) escaped, not folded into a space by the reader. */
static void quoted(struct sb *out, const char *s)
{
	sb_addc(out, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			sb_addf(out, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			sb_addf(out, "\\x%02x", c);
		else
			sb_addc(out, (char)c);
	}
	sb_addc(out, '"');
}

/* `      <key>: "<value>"`, the value freed. */
static void option(struct sb *out, const char *key, char *value)
{
	sb_addf(out, "      %s: ", key);
	quoted(out, value);
	sb_addc(out, '\n');
	free(value);
}

/* `[ "a", "b" ]` of the strings from the i-th. */
static void list(struct sb *out, const struct strings *s, size_t i)
{
	sb_addc(out, '[');
	for (; i < s->n; i++) {
		quoted(out, s->v[i]);
		if (i + 1 < s->n)
			sb_adds(out, ", ");
	}
	sb_addc(out, ']');
}

/* A reason: its code among the options, its arguments (a list under
 * "<key>-arg") into `args`, which come after them all. */
static void reason(struct sb *out, struct sb *args, const char *key,
		   const struct strings *r)
{
	option(out, key, xstrdup(r->v[0]));
	if (r->n < 2)
		return;
	sb_addf(args, "      %s-arg: ", key);
	list(args, r, 1);
	sb_addc(args, '\n');
}

/* What the exercise's kernel build gives it: its results, or why none. */
static void plan_build(const struct spec *spec, const struct configured *c,
		       const char *build, const struct spec_exercise *ex,
		       struct sb *out, struct sb *args)
{
	const struct kernel_facts *k = kernel_facts(c, ex->kernel);
	char *dir;

	if (gen_builds_kernel(ex) && k->source) {
		dir = layout_kernel_dir(build, spec->lab_id, ex->kernel);
		option(out, "build-results", layout_build_results(dir, ex->id));
		free(dir);
	} else if (k->no_build.n) {
		reason(out, args, "no-build", &k->no_build);
	}
}

/* Its guest: the kernel's directory and the root file system's (the
 * ones for the kernel it installed, `use: installed`), the saved guest
 * it starts from; or why none boots. */
static void plan_guest(const struct spec *spec, const struct configured *c,
		       const char *build, const struct spec_exercise *ex,
		       struct sb *out, struct sb *args)
{
	const struct spec_guest *g = ex->guest;
	const struct kernel_facts *k = kernel_facts(c, g->kernel);
	const char *saved = gen_saved_guest(spec, ex);
	char *installed = layout_kernel_installed("");

	if (k->missing.n) {
		reason(out, args, "no-guest", &k->missing);
		free(installed);
		return;
	}
	option(out, "kernel-dir", xasprintf("%s%s", k->dir,
					    g->use_installed ? installed : ""));
	option(out, "rootfs-dir", g->use_installed && k->source ?
	       layout_rootfs_for_kernel(build, spec->lab_id, g->rootfs, g->kernel) :
	       layout_rootfs_dir(build, spec->lab_id, g->rootfs));
	if (saved && c->saved)
		option(out, "saved", layout_saved_dir(build, spec->lab_id, saved));
	free(installed);
}

/* The modules a submission replaces: those built in this tree (their
 * kernel has headers here). */
static void plan_modules(const struct spec *spec, const struct configured *c,
			 const char *build, const struct spec_exercise *ex,
			 struct sb *out)
{
	bool any = false;

	for (size_t i = 0; i < ex->nmodules; i++) {
		const struct spec_module *m = spec_module(spec, ex->modules[i]);
		const struct kernel_facts *k = m ? kernel_facts(c, m->kernel) : NULL;
		char *ko;

		if (!k || !*k->headers)
			continue;
		if (!any)
			sb_adds(out, "    modules:\n");
		any = true;
		ko = layout_module_ko(build, spec->lab_id, m->id);
		sb_adds(out, "      - id: ");
		quoted(out, m->id);
		sb_adds(out, "\n        headers: ");
		quoted(out, k->headers);
		sb_adds(out, "\n        ko: ");
		quoted(out, ko);
		/* what its kbuild needs besides the headers (modbuild.h) */
		sb_adds(out, "\n        arch: ");
		quoted(out, spec_kernel(spec, m->kernel)->arch);
		sb_addc(out, '\n');
		if (m->nuses) {
			struct strings uses = { m->nuses, (const char **)m->uses };

			sb_adds(out, "        uses: ");
			list(out, &uses, 0);
			sb_addc(out, '\n');
		}
		free(ko);
	}
}

static void plan_exercise(const struct spec *spec, const struct configured *c,
			  const char *build, const struct spec_exercise *ex,
			  struct sb *out)
{
	struct sb args;

	sb_init(&args);
	sb_adds(out, "  - id: ");
	quoted(out, ex->id);
	sb_adds(out, "\n    run:\n");
	option(out, "accel", xstrdup(c->accel));
	option(out, "accel-cache", layout_tree(build, LAYOUT_ACCEL_CACHE));
	if (ex->kernel)
		plan_build(spec, c, build, ex, out, &args);
	if (gen_uses_xref(ex) && c->no_xref.n)
		reason(out, &args, "no-xref", &c->no_xref);
	else if (gen_uses_xref(ex))
		option(out, "xref-index", layout_tree(build, LAYOUT_XREF_INDEX));
	if (ex->guest)
		plan_guest(spec, c, build, ex, out, &args);
	if (args.len)
		sb_add(out, args.buf, args.len);
	sb_release(&args);
	plan_modules(spec, c, build, ex, out);
}

int gen_plan(const struct spec *spec, const char *build_dir, struct sb *out)
{
	struct configured c;
	char *path = layout_configured(build_dir, spec->lab_id);
	int rc = configured_load(&c, path);

	if (rc == 0)
		rc = check_kernels(&c, spec);
	if (rc == 0) {
		sb_addf(out, "labkit-grade-plan: 1\nlab: %s\nspec: ", spec->lab_id);
		quoted(out, spec->file);
		sb_adds(out, "\nexercises:\n");
		for (size_t i = 0; i < spec->nexercises; i++)
			plan_exercise(spec, &c, build_dir, &spec->exercises[i], out);
		if (!spec->nexercises)
			sb_adds(out, "  []\n");
	}
	configured_free(&c);
	free(path);
	return rc;
}

int gen_plan_file(const struct spec *spec, const char *build_dir)
{
	char *path = layout_grade_plan(build_dir, spec->lab_id), *old = NULL;
	size_t len = 0;
	struct sb out;
	int rc;

	sb_init(&out);
	rc = gen_plan(spec, build_dir, &out);
	if (rc == 0 && (fs_read_file(path, &old, &len) < 0 || len != out.len ||
			memcmp(old, out.buf, len))) {
		rc = fs_write_atomic(path, out.buf, out.len);
		if (rc < 0)
			error("cannot write '%s': %m", path);
	}
	free(old);
	sb_release(&out);
	free(path);
	return rc;
}
