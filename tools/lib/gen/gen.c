/*
 * gen.c — turns a validated spec into CMake: one call of a LabKit.cmake
 * function per kernel, module, root file system and exercise, so the
 * targets, tests, fixtures and labels come from labs.yaml and nothing
 * about any particular lab is written in CMake or C.  The paths the
 * calls make come with them, from layout.h (as "${CMAKE_BINARY_DIR}/..."),
 * and the facts of each guest kind the lab's kernels are (labkit_arch())
 * from vm.c's rows: CMake spells neither.
 *
 * The file is written atomically: a failed generation leaves the previous
 * one in place.  Spec variables (not run-time facts) are expanded here.
 */
#include "gen.h"
#include "gen_int.h"
#include "expand.h"
#include "layout.h"
#include "vm.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The inside of a CMake quoted argument. */
static void quote_body(struct sb *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\' || *s == '$' || *s == ';')
			sb_addc(out, '\\');
		if (*s == '\n')
			sb_adds(out, "\\n");
		else
			sb_addc(out, *s);
	}
}

/* A CMake quoted argument. */
static void quote(struct sb *out, const char *s)
{
	sb_addc(out, '"');
	quote_body(out, s);
	sb_addc(out, '"');
}

/* KEY "${CMAKE_BINARY_DIR}/<rel>": a path of the build tree (layout.h's,
 * relative to it), which is freed. */
static void tree_arg(struct sb *out, const char *key, char *rel)
{
	sb_addf(out, " %s \"${CMAKE_BINARY_DIR}/", key);
	quote_body(out, rel);
	sb_addc(out, '"');
	free(rel);
}

static void arg(struct sb *out, const char *key, const char *value)
{
	if (!value)
		return;
	sb_addf(out, " %s ", key);
	quote(out, value);
}

/* KEY "a" "b" ...; nothing when the list is empty. */
static void args(struct sb *out, const char *key, char *const *values,
		 size_t n)
{
	if (!n)
		return;
	sb_addf(out, " %s", key);
	for (size_t i = 0; i < n; i++) {
		sb_addc(out, ' ');
		quote(out, values[i]);
	}
}

/* AT "line:col": where the spec declares it, for the build's messages. */
static void at(struct sb *out, struct spec_pos pos)
{
	sb_addf(out, " AT \"%d:%d\"", pos.line, pos.col);
}

static char *expand_spec_vars(const struct spec *spec, const char *s)
{
	struct expand_vars v;
	size_t off;
	char *bad = NULL, *out;

	expand_vars_init(&v);
	spec_vars(spec, NULL, &v);
	out = expand(s, &v, EXPAND_PLAIN, &off, &bad);
	free(bad);
	expand_vars_free(&v);
	return out ? out : xstrdup(s);
}

/* Where a kernel built here is: its O= tree, and its stage. */
static void gen_kernel_dirs(const struct spec *spec,
			    const struct spec_kernel *k, struct sb *out)
{
	char *dir = layout_kernel_dir(NULL, spec->lab_id, k->id);

	sb_adds(out, "\n ");
	tree_arg(out, "DIR", xstrdup(dir));
	tree_arg(out, "STAGE", layout_kernel_stage(dir));
	free(dir);
}

static void gen_kernels(const struct spec *spec, struct sb *out)
{
	for (size_t i = 0; i < spec->nkernels; i++) {
		const struct spec_kernel *k = &spec->kernels[i];
		char *lv = k->localversion ?
			expand_spec_vars(spec, k->localversion) : NULL;

		sb_adds(out, "labkit_kernel(");
		quote(out, k->id);
		arg(out, "ARCH", k->arch);
		arg(out, "FROM", spec_kernel_from_name(k->from));
		arg(out, "CONFIG", k->config);
		arg(out, "LOCALVERSION", lv);
		arg(out, "PREBUILT", k->has_prebuilt ?
		    spec_kernel_from_name(k->prebuilt) : NULL);
		arg(out, "TRIMMED", k->trimmed);
		args(out, "FRAGMENTS", k->fragments, k->nfragments);
		if (k->debug)
			sb_adds(out, " DEBUG");
		if (k->from == KERNEL_FROM_SOURCE)
			gen_kernel_dirs(spec, k, out);
		sb_adds(out, ")\n");
		free(lv);
	}
}

/*
 * A root file system's programs and files, a group of keywords each, on a
 * line of their own:
 *   PROGRAM "<to>" AT "<line:col>" SOURCES "<src>"... [CFLAGS "<flag>"...]
 *   FILE "<to>" AT "<line:col>" SOURCE "<src>" [MODE "<octal>"]
 * Sources as the spec gives them (relative to its directory, or
 * absolute).  CFLAGS come last and run to the next group, so that a flag
 * may be any word but PROGRAM and FILE.
 */
static void gen_rootfs_installs(const struct spec_rootfs *r, struct sb *out)
{
	for (size_t j = 0; j < r->nprograms; j++) {
		const struct spec_program *p = &r->programs[j];

		sb_adds(out, "\n ");
		arg(out, "PROGRAM", p->to);
		at(out, p->pos);
		args(out, "SOURCES", p->sources, p->nsources);
		args(out, "CFLAGS", p->cflags, p->ncflags);
	}
	for (size_t j = 0; j < r->nfiles; j++) {
		const struct spec_file *f = &r->files[j];

		sb_adds(out, "\n ");
		arg(out, "FILE", f->to);
		at(out, f->pos);
		arg(out, "SOURCE", f->source);
		arg(out, "MODE", f->mode);
	}
}

/* Has every module m uses been generated (done[], by spec index)? */
static bool uses_done(const struct spec *spec, const struct spec_module *m,
		      const bool *done)
{
	for (size_t k = 0; k < m->nuses; k++)
		for (size_t j = 0; j < spec->nmodules; j++)
			if (!done[j] && !strcmp(spec->modules[j].id, m->uses[k]))
				return false;
	return true;
}

/* Modules in the spec's order, but each after the modules it uses:
 * labkit_module() of a module that uses another reads that one's
 * target (the spec has no cycle; were there one, the rest would come
 * in the spec's order). */
static void gen_modules(const struct spec *spec, struct sb *out)
{
	bool *done = xcalloc(spec->nmodules + 1, sizeof(*done));

	for (size_t n = 0; n < spec->nmodules; n++) {
		size_t i = 0;

		while (i < spec->nmodules &&
		       (done[i] || !uses_done(spec, &spec->modules[i], done)))
			i++;
		if (i == spec->nmodules)     /* a cycle: the first left */
			for (i = 0; done[i]; i++)
				;
		done[i] = true;
		sb_adds(out, "labkit_module(");
		quote(out, spec->modules[i].id);
		arg(out, "PATH", spec->modules[i].path);
		arg(out, "KERNEL", spec->modules[i].kernel);
		args(out, "USES", spec->modules[i].uses, spec->modules[i].nuses);
		sb_adds(out, "\n ");
		tree_arg(out, "DIR", layout_module_dir(NULL, spec->lab_id,
						       spec->modules[i].id));
		tree_arg(out, "KO", layout_module_ko(NULL, spec->lab_id,
						     spec->modules[i].id));
		sb_adds(out, ")\n");
	}
	free(done);
}

/* Appends each space-separated word of `words` not yet in `sb` (a list
 * of quoted words). */
static void add_drivers(struct sb *sb, const char *words)
{
	char *copy = xstrdup(words ? words : ""), *save = NULL, *w;

	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		char *q = xasprintf(" \"%s\"", w);

		if (!sb->buf || !strstr(sb->buf, q))
			sb_adds(sb, q);
		free(q);
	}
	free(copy);
}

/*
 * The exercise whose guest exercise `ex`'s is — the first with the same
 * kernel, root file system and arguments — when it can start from a
 * saved one (run_saved.c says the same at run time), or NULL.  Its
 * saved guest serves them all.
 */
const char *gen_saved_guest(const struct spec *spec,
			    const struct spec_exercise *ex)
{
	const struct spec_guest *g = ex->guest;
	const struct spec_kernel *k = spec_kernel(spec, g->kernel);
	const struct vm_arch *a = k ? vm_arch_find(k->arch) : NULL;

	if (!a || !a->has_saved || spec_guest_unsaved(spec, ex) != UNSAVED_NONE)
		return NULL;
	for (size_t i = 0; i < spec->nexercises; i++) {
		const struct spec_exercise *e = &spec->exercises[i];
		const struct spec_guest *o = e->guest;

		if (o && spec_guest_unsaved(spec, e) == UNSAVED_NONE &&
		    !strcmp(o->kernel, g->kernel) &&
		    !strcmp(o->rootfs, g->rootfs) &&
		    !strcmp(o->append ? o->append : "", g->append ? g->append : ""))
			return e->id;
	}
	return NULL;
}

/*
 * The kernel's own modules the guests booting root file system `r` need
 * for their devices (their arch's row says which: a virtio disk's, the
 * NIC's; a disk's mkfs, its file system's; the disk a saved guest gets
 * the lab's part on), and the kernel they come from: " DRIVERS ...
 * DRIVERS_KERNEL <k>", or nothing.
 */
static void gen_rootfs_drivers(const struct spec *spec,
			       const struct spec_rootfs *r, struct sb *out)
{
	const char *kernel = NULL;
	struct sb sb;

	sb_init(&sb);
	for (size_t i = 0; i < spec->nexercises; i++) {
		const struct spec_guest *g = spec->exercises[i].guest;
		const struct spec_kernel *k = g ? spec_kernel(spec, g->kernel) : NULL;
		const struct vm_arch *a = k ? vm_arch_find(k->arch) : NULL;

		if (!a || strcmp(g->rootfs, r->id) || (kernel && strcmp(kernel, g->kernel)))
			continue;
		for (size_t j = 0; j < g->ndisks; j++) {
			add_drivers(&sb, g->disks[j].bus == DISK_IDE ?
				    a->ide_drivers : a->disk_drivers);
			add_drivers(&sb, spec_mkfs_module(g->disks[j].mkfs));
		}
		if (g->net_user)
			add_drivers(&sb, a->net_drivers);
		/* A guest that may start from a saved, booted one gets the
		 * lab's part on a disk. */
		if (gen_saved_guest(spec, &spec->exercises[i]))
			add_drivers(&sb, a->disk_drivers);
		if (sb.len && !kernel)
			kernel = g->kernel;
	}
	if (sb.len) {
		sb_addf(out, "\n  DRIVERS%s", sb.buf);
		arg(out, "DRIVERS_KERNEL", kernel);
	}
	sb_release(&sb);
}

/*
 * The arch of root file system `r`'s guests when their user space is
 * another than the host's (its row has a deb_arch; `labkit spec` refuses
 * guests of two user spaces on one root file system): " ARCH <name>",
 * whose labkit_arch() facts (DEB_ARCH, CROSS_COMPILE) make its busybox
 * and programs; nothing for the host's own.
 */
static void gen_rootfs_arch(const struct spec *spec,
			    const struct spec_rootfs *r, struct sb *out)
{
	for (size_t i = 0; i < spec->nexercises; i++) {
		const struct spec_guest *g = spec->exercises[i].guest;
		const struct spec_kernel *k = g ? spec_kernel(spec, g->kernel) : NULL;
		const struct vm_arch *a = k ? vm_arch_find(k->arch) : NULL;

		if (!a || !g->rootfs || strcmp(g->rootfs, r->id) || !a->deb_arch)
			continue;
		arg(out, "ARCH", a->name);
		return;
	}
}

static void gen_modules_rootfs(const struct spec *spec, struct sb *out)
{
	gen_modules(spec, out);
	for (size_t i = 0; i < spec->nrootfs; i++) {
		const struct spec_rootfs *r = &spec->rootfs[i];
		char *host = expand_spec_vars(spec, r->hostname ? r->hostname : "labkit");

		sb_adds(out, "labkit_rootfs(");
		quote(out, r->id);
		arg(out, "HOSTNAME", host);
		tree_arg(out, "DIR", layout_rootfs_dir(NULL, spec->lab_id, r->id));
		args(out, "MODULES", r->modules, r->nmodules);
		gen_rootfs_arch(spec, r, out);
		gen_rootfs_drivers(spec, r, out);
		gen_rootfs_installs(r, out);
		sb_adds(out, ")\n");
		free(host);
	}
}

/* The ctest labels of a step: its kind's, and the guest's kind. */
static const char *step_label(const struct spec *spec,
			      const struct spec_exercise *ex,
			      const struct spec_step *st)
{
	const struct spec_kernel *k;
	const struct vm_arch *a;

	if (st->kind != STEP_GUEST || !ex->guest)
		return spec_step_kind_name(st->kind);
	k = spec_kernel(spec, ex->guest->kernel);
	a = k ? vm_arch_find(k->arch) : NULL;
	return a ? a->label : spec_step_kind_name(st->kind);
}

bool gen_builds_kernel(const struct spec_exercise *ex)
{
	for (size_t i = 0; i < ex->nsteps; i++)
		if (ex->steps[i].stage != STAGE_NONE)
			return true;
	return false;
}

bool gen_uses_xref(const struct spec_exercise *ex)
{
	for (size_t i = 0; i < ex->nsteps; i++)
		if (ex->steps[i].kind == STEP_LXR)
			return true;
	return false;
}

/*
 * An exercise's paths, on a line of their own: OUT (its run's
 * directory), RESULTS (its results.yaml), BUILD_RESULTS (its build of
 * its kernel's), GUEST_ROOTFS_DIR (the root file system for the kernel
 * it installed), SAVED_DIR and SAVED_OUT (its saved guest's, and the
 * saving run's directory).
 */
static void gen_exercise_paths(const struct spec *spec,
			       const struct spec_exercise *ex, struct sb *out)
{
	const char *lab = spec->lab_id, *saved;
	char *results = layout_results_dir(NULL, lab), *dir;

	sb_adds(out, "\n ");
	tree_arg(out, "OUT", layout_exercise_dir(results, ex->id));
	tree_arg(out, "RESULTS", layout_exercise_results(results, ex->id));
	if (ex->kernel && gen_builds_kernel(ex)) {
		dir = layout_kernel_dir(NULL, lab, ex->kernel);
		tree_arg(out, "BUILD_RESULTS", layout_build_results(dir, ex->id));
		free(dir);
	}
	if (ex->guest && ex->guest->use_installed)
		tree_arg(out, "GUEST_ROOTFS_DIR", layout_rootfs_for_kernel(NULL,
			 lab, ex->guest->rootfs, ex->guest->kernel));
	saved = ex->guest ? gen_saved_guest(spec, ex) : NULL;
	if (saved) {
		dir = layout_saved_dir(NULL, lab, saved);
		tree_arg(out, "SAVED_DIR", xstrdup(dir));
		tree_arg(out, "SAVED_OUT", layout_saved_boot(dir));
		free(dir);
	}
	free(results);
}

static void gen_exercise(const struct spec *spec,
			 const struct spec_exercise *ex, struct sb *out)
{
	char buf[32], *installed = layout_kernel_installed("");

	sb_adds(out, "labkit_exercise(");
	quote(out, ex->id);
	arg(out, "KERNEL", ex->kernel);
	arg(out, "MODULE", ex->module);
	args(out, "MODULES", ex->modules, ex->nmodules);
	if (ex->guest) {
		arg(out, "GUEST_KERNEL", ex->guest->kernel);
		arg(out, "ROOTFS", ex->guest->rootfs);
		arg(out, "BOOT", spec_boot_name(ex->guest->boot));
		if (ex->guest->use_installed)
			arg(out, "GUEST_DIR", installed);
		arg(out, "SAVED", gen_saved_guest(spec, ex));
		snprintf(buf, sizeof(buf), "%g", ex->guest->timeout);
		arg(out, "TIMEOUT", buf);
	}
	free(installed);
	if (gen_builds_kernel(ex))
		sb_adds(out, " BUILDS_KERNEL");
	if (gen_uses_xref(ex))
		sb_adds(out, " XREF");
	gen_exercise_paths(spec, ex, out);
	sb_adds(out, "\n  STEPS");
	for (size_t i = 0; i < ex->nsteps; i++) {
		sb_addc(out, ' ');
		quote(out, ex->steps[i].id);
	}
	sb_adds(out, "\n  LABELS");
	for (size_t i = 0; i < ex->nsteps; i++) {
		sb_addc(out, ' ');
		quote(out, step_label(spec, ex, &ex->steps[i]));
	}
	sb_adds(out, ")\n");
}

/*
 * labkit_layout(): the lab's directories and what the build tree's labs
 * share, as CMake needs them (layout.h's, in the build tree).
 */
static void gen_layout(const struct spec *spec, struct sb *out)
{
	static const struct { const char *key; enum layout_tree what; } tree[] = {
		{ "ACCEL_CACHE", LAYOUT_ACCEL_CACHE },
		{ "XREF_INDEX", LAYOUT_XREF_INDEX },
		{ "DEBIAN", LAYOUT_DEBIAN },
		{ "UML_PACKAGE", LAYOUT_UML_PACKAGE },
		{ "DEBS", LAYOUT_DEBS },
		{ "BUSYBOX", LAYOUT_BUSYBOX },
		{ "SOURCE", LAYOUT_SOURCE },
		{ "GRADE", LAYOUT_GRADE },
	};

	sb_adds(out, "labkit_layout(\n ");
	tree_arg(out, "WORK", layout_lab_work(NULL, spec->lab_id));
	tree_arg(out, "RESULTS", layout_results_dir(NULL, spec->lab_id));
	tree_arg(out, "CONFIGURED", layout_configured(NULL, spec->lab_id));
	sb_adds(out, "\n ");
	for (size_t i = 0; i < sizeof(tree) / sizeof(tree[0]); i++)
		tree_arg(out, tree[i].key, layout_tree(NULL, tree[i].what));
	sb_adds(out, ")\n");
}

/*
 * labkit_arch(<name> [PACKAGED <from>] IMAGES <file>...
 *   [KBUILD_ARCH <ARCH> CROSS_COMPILE <prefix>] [DEB_ARCH <arch>]): what
 * CMake needs of each guest kind the lab's kernels are, from its row in
 * vm.c: the packaged kernel that boots as it (labs.yaml's `from:`), the
 * files a guest of it boots, best first; for an arch of another than the
 * host's (its row names a cross compiler) the ARCH= and CROSS_COMPILE=
 * its modules' kbuild needs, and the Debian architecture of its guests'
 * user space.  Once an arch, in the spec's order.
 */
static void gen_arches(const struct spec *spec, struct sb *out)
{
	for (size_t i = 0; i < spec->nkernels; i++) {
		const struct vm_arch *a = vm_arch_find(spec->kernels[i].arch);
		size_t j = 0, n = 0;

		while (a && j < i && strcmp(spec->kernels[j].arch, a->name))
			j++;
		if (!a || j < i)
			continue;
		while (a->images[n])
			n++;
		sb_adds(out, "labkit_arch(");
		quote(out, a->name);
		arg(out, "PACKAGED", a->packaged);
		args(out, "IMAGES", (char *const *)a->images, n);
		if (a->cross_compile && *a->cross_compile) {
			arg(out, "KBUILD_ARCH", a->kernel_arch);
			arg(out, "CROSS_COMPILE", a->cross_compile);
		}
		arg(out, "DEB_ARCH", a->deb_arch);
		sb_adds(out, ")\n");
	}
}

void gen_cmake(const struct spec *spec, struct sb *out)
{
	sb_addf(out, "# Generated by `labkit spec` from %s; do not edit.\n",
		spec->file);
	sb_adds(out, "labkit_lab(");
	quote(out, spec->lab_id);
	arg(out, "SPEC", spec->file);
	sb_adds(out, ")\n");
	gen_layout(spec, out);
	gen_arches(spec, out);
	gen_kernels(spec, out);
	gen_modules_rootfs(spec, out);
	for (size_t i = 0; i < spec->nexercises; i++)
		gen_exercise(spec, &spec->exercises[i], out);
	sb_adds(out, "labkit_lab_end()\n");
}

int gen_cmake_file(const struct spec *spec, const char *path)
{
	struct sb out;
	int rc;

	sb_init(&out);
	gen_cmake(spec, &out);
	rc = fs_write_atomic(path, out.buf, out.len);
	if (rc < 0)
		error("cannot write '%s': %m", path);
	sb_release(&out);
	return rc;
}
