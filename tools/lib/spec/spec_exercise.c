/*
 * spec_exercise.c — labs.yaml's exercises (the sheet's sections): their
 * guest, the kernel their build steps make, the modules their steps may
 * use (with the modules those use), and the list of steps (spec_step.c
 * parses each).
 *
 * Never prints and never runs anything: problems are queued with
 * spec_diag() at their position, and parsing goes on.
 */
#include "spec_parse.h"

#include "vm.h"

#include <stdlib.h>
#include <string.h>

static const char *const boots[] = { "initramfs", "disk", NULL };

const char *spec_boot_name(enum guest_boot b)
{
	return boots[b == BOOT_DISK];
}

/* ---- exercises ---- */

static const char *const guest_keys[] = {
	"kernel", "rootfs", "boot", "timeout", "image", "use", "append",
	"disks", "net", "serial", "share", NULL,
};
enum { GUEST_KERNEL, GUEST_ROOTFS, GUEST_BOOT, GUEST_TIMEOUT, GUEST_IMAGE,
       GUEST_USE, GUEST_APPEND, GUEST_DISKS, GUEST_NET, GUEST_SERIAL,
       GUEST_SHARE, GUEST_NKEYS };
static const char *const guest_uses[] = { "built", "installed", NULL };

/* The modules an exercise's steps use must be in its guest's rootfs. */
static void check_guest_modules(struct spec_ctx *c,
				const struct spec_exercise *ex, yaml_node_t *n)
{
	const struct spec_rootfs *r = ex->guest->rootfs ?
		spec_rootfs(c->spec, ex->guest->rootfs) : NULL;

	for (size_t i = 0; r && i < ex->nmodules; i++) {
		size_t j = 0;

		while (j < r->nmodules && strcmp(r->modules[j], ex->modules[i]))
			j++;
		if (j == r->nmodules)
			spec_diag(c, spec_mark_pos(n->start_mark),
				  "module '%s' of exercise %s is not in rootfs "
				  "'%s' (add it to its 'modules')", ex->modules[i],
				  ex->id ? ex->id : "?", r->id);
	}
}

/* The Debian architecture of the user space of a guest booting kernel
 * `id` (NULL: the host's own), and its arch's name in `name`. */
static const char *guest_userland(struct spec_ctx *c, const char *id,
				  const char **name)
{
	const struct spec_kernel *k = id ? spec_kernel(c->spec, id) : NULL;
	const struct vm_arch *a = k && k->arch ? vm_arch_find(k->arch) : NULL;

	*name = a ? a->name : NULL;
	return a ? a->deb_arch : NULL;
}

/*
 * One root file system, one user space: its busybox and programs are
 * built for its guests' (the host's own, or arm64's through the cross
 * compiler), so guests of two user spaces cannot share it.  Said at the
 * later guest's `rootfs`.
 */
static void check_guest_userland(struct spec_ctx *c,
				 const struct spec_exercise *ex, yaml_node_t *n)
{
	const struct spec_guest *g = ex->guest;
	const char *name, *other, *mine = guest_userland(c, g->kernel, &name);

	for (size_t i = 0; n && name && i < c->spec->nexercises; i++) {
		const struct spec_exercise *e = &c->spec->exercises[i];
		const char *theirs;

		if (!e->guest || !e->guest->rootfs || strcmp(e->guest->rootfs, g->rootfs))
			continue;
		theirs = guest_userland(c, e->guest->kernel, &other);
		if (!other || !strcmp(mine ? mine : "", theirs ? theirs : ""))
			continue;
		spec_diag(c, spec_mark_pos(n->start_mark), "rootfs '%s' in the "
			  "guest of exercise %s: exercise %s boots it in an %s "
			  "guest, whose user space is another than this %s "
			  "guest's (give each its own rootfs)", g->rootfs,
			  ex->id ? ex->id : "?", e->id ? e->id : "?", other, name);
		return;
	}
}

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
	g->append = spec_get_str(c, v[GUEST_APPEND], "append", where);
	if (g->append)
		spec_check_vars(c, v[GUEST_APPEND], where, ex);
	g->share = spec_get_str(c, v[GUEST_SHARE], "share", where);
	if (g->share)
		spec_check_path(c, v[GUEST_SHARE], g->share, true, "share",
				where);
	check_guest_modules(c, ex, n);
	if (g->rootfs)
		check_guest_userland(c, ex, v[GUEST_ROOTFS]);
	spec_parse_guest_devices(c, g, v[GUEST_DISKS], v[GUEST_NET],
				 v[GUEST_SERIAL], where);
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
			spec_parse_step(c, ex, spec_node(c, *it), ex_name);
	}
	free(where);
}

static const char *const exercise_keys[] = {
	"id", "title", "kernel", "module", "modules", "guest", "steps", NULL,
};
enum { EX_ID, EX_TITLE, EX_KERNEL, EX_MODULE, EX_MODULES, EX_GUEST, EX_STEPS,
       EX_NKEYS };

/* The module named at `n` comes with the modules it uses: the steps load
 * them first, and a grading builds them from the submission too. */
static void check_uses(struct spec_ctx *c, const struct spec_exercise *ex,
		       yaml_node_t *n)
{
	const char *id = spec_scalar(n);
	const struct spec_module *m = id ? spec_module(c->spec, id) : NULL;

	for (size_t i = 0; m && i < m->nuses; i++) {
		size_t j = 0;

		while (j < ex->nmodules && strcmp(ex->modules[j], m->uses[i]))
			j++;
		if (j == ex->nmodules && spec_module(c->spec, m->uses[i]))
			spec_diag(c, spec_mark_pos(n->start_mark), "module '%s' "
				  "of exercise %s uses '%s', which is not among "
				  "the exercise's modules (add it to its "
				  "'modules')", id, ex->id ? ex->id : "?",
				  m->uses[i]);
	}
}

/* `module: a` (${module.name}) and `modules: [a, b]` (${module.a.name}):
 * both name the modules the steps use. */
static void parse_modules(struct spec_ctx *c, struct spec_exercise *ex,
			  yaml_node_t **v, const char *where)
{
	yaml_node_item_t *it;

	ex->module = spec_get_ref(c, v[EX_MODULE], "module", "module", where);
	if (v[EX_MODULES] &&
	    spec_want(c, v[EX_MODULES], "sequence", "'modules'", where) == 0) {
		ex->modules = xcalloc(spec_len(v[EX_MODULES]) + 1,
				      sizeof(*ex->modules));
		for (it = v[EX_MODULES]->data.sequence.items.start;
		     it < v[EX_MODULES]->data.sequence.items.top; it++) {
			char *m = spec_get_ref(c, spec_node(c, *it), "modules",
					       "module", where);

			if (m)
				ex->modules[ex->nmodules++] = m;
		}
	}
	if (ex->module && !v[EX_MODULES]) {
		ex->modules = xcalloc(2, sizeof(*ex->modules));
		ex->modules[ex->nmodules++] = xstrdup(ex->module);
	} else if (ex->module) {
		spec_diag(c, spec_mark_pos(v[EX_MODULE]->start_mark),
			  "'module' and 'modules' %s: give one of them", where);
	} else if (ex->nmodules == 1) {
		ex->module = xstrdup(ex->modules[0]);
	}
	if (ex->modules && v[EX_MODULES])
		for (it = v[EX_MODULES]->data.sequence.items.start;
		     it < v[EX_MODULES]->data.sequence.items.top; it++)
			check_uses(c, ex, spec_node(c, *it));
	else if (ex->modules)
		check_uses(c, ex, v[EX_MODULE]);
}

static void parse_exercise_fields(struct spec_ctx *c, struct spec_exercise *ex,
				  yaml_node_t **v, const char *ex_name)
{
	char *where = xasprintf("in %s", ex_name);

	spec_get_text(c, v[EX_TITLE], "title", where, &ex->title);
	ex->kernel = spec_get_ref(c, v[EX_KERNEL], "kernel", "kernel", where);
	parse_modules(c, ex, v, where);
	if (v[EX_GUEST])
		parse_guest(c, ex, v[EX_GUEST], ex_name);
	if (v[EX_STEPS])
		parse_steps(c, ex, v[EX_STEPS], ex_name);
	spec_check_exercise_devices(c, ex);
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
			spec_duplicate_id(c, "exercise", ex->id, ex->pos,
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

void spec_exercise_free(struct spec_exercise *ex)
{
	size_t i;

	free(ex->id);
	spec_text_free(&ex->title);
	free(ex->kernel);
	free(ex->module);
	for (i = 0; i < ex->nmodules; i++)
		free(ex->modules[i]);
	free(ex->modules);
	if (ex->guest) {
		free(ex->guest->append);
		free(ex->guest->share);
		free(ex->guest->kernel);
		free(ex->guest->rootfs);
		free(ex->guest->image);
		spec_guest_devices_free(ex->guest);
		free(ex->guest);
	}
	for (i = 0; i < ex->nsteps; i++)
		spec_step_free(&ex->steps[i]);
	free(ex->steps);
}
