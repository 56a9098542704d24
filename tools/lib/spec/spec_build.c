/*
 * spec_build.c — the part of labs.yaml that says what a lab builds:
 * kernels, modules (whose directories must be kbuild directories, and
 * whose `uses` name other modules of the same kernel, in no cycle), and
 * root file systems with the modules, user programs and files they carry
 * (whose sources must exist).  Paths are relative to the spec's directory.
 *
 * Never prints and never runs anything: problems are queued with
 * spec_diag() at their position, and parsing goes on.
 */
#include "spec_parse.h"
#include "vm.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const kernel_keys[] = {
	"arch", "from", "config", "localversion", "fragments", "prebuilt",
	"trimmed", "debug", NULL,
};
enum { KERNEL_ARCH, KERNEL_FROM, KERNEL_CONFIG, KERNEL_LOCALVERSION,
       KERNEL_FRAGMENTS, KERNEL_PREBUILT, KERNEL_TRIMMED, KERNEL_DEBUG,
       KERNEL_NKEYS };
static const char *const booleans[] = { "false", "true", NULL };
static const char *const froms[KERNEL_FROM_COUNT + 1] = {
	[KERNEL_FROM_DEBIAN_PACKAGE] = "debian-package",
	[KERNEL_FROM_UML_PACKAGE] = "uml-package",
	[KERNEL_FROM_SOURCE] = "source",
	[KERNEL_FROM_COUNT] = NULL,
};

const char *spec_kernel_from_name(enum kernel_from f)
{
	return (unsigned)f < KERNEL_FROM_COUNT ? froms[f] : "?";
}

static void parse_fragments(struct spec_ctx *c, struct spec_kernel *kn,
			    yaml_node_t *n, const char *where)
{
	yaml_node_item_t *it;
	char *f;

	if (spec_want(c, n, "sequence", "'fragments'", where) < 0)
		return;
	kn->fragments = xcalloc(spec_len(n), sizeof(*kn->fragments));
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		f = spec_get_str(c, spec_node(c, *it), "fragments", where);
		if (f)
			kn->fragments[kn->nfragments++] = f;
	}
}

/* `arch`: a guest kind of vm.c's table, one of its rows' names. */
static char *parse_arch(struct spec_ctx *c, yaml_node_t *n, const char *where)
{
	const char **names;
	size_t n_arches = 0;
	char *arch;

	while (vm_arch_at(n_arches))
		n_arches++;
	names = xcalloc(n_arches + 1, sizeof(*names));
	for (size_t i = 0; i < n_arches; i++)
		names[i] = vm_arch_at(i)->name;
	arch = spec_get_choice(c, n, "arch", where, names);
	free(names);
	return arch;
}

/* `debug: true`: labkit's debug configuration merged in, which only a
 * kernel built here can take. */
static void parse_debug(struct spec_ctx *c, struct spec_kernel *kn,
			yaml_node_t *n, const char *where)
{
	int i;

	if (!n || spec_get_enum(c, n, "debug", where, booleans, &i) < 0)
		return;
	kn->debug = i == 1;
	if (kn->debug && kn->from != KERNEL_FROM_SOURCE)
		spec_diag(c, spec_mark_pos(n->start_mark), "'debug' %s: only a "
			  "kernel built here (from: source) takes labkit's "
			  "debug configuration", where);
}

void spec_parse_kernel(struct spec_ctx *c, const char *id, yaml_node_t *n,
			 const char *where)
{
	struct spec *s = c->spec;
	struct spec_kernel *kn;
	yaml_node_t *v[KERNEL_NKEYS], *k[KERNEL_NKEYS];
	int from;

	s->kernels = xrealloc(s->kernels, (s->nkernels + 1) * sizeof(*kn));
	kn = &s->kernels[s->nkernels++];
	memset(kn, 0, sizeof(*kn));
	kn->id = xstrdup(id);
	kn->pos = spec_mark_pos(n->start_mark);
	spec_check_id(c, kn->pos, "kernel", id);
	if (n->type != YAML_MAPPING_NODE)
		return;
	spec_map(c, n, "a kernel", where, kernel_keys, v, k);
	if (!v[KERNEL_ARCH])
		spec_missing(c, n, kernel_keys, "arch", where);
	if (!v[KERNEL_FROM])
		spec_missing(c, n, kernel_keys, "from", where);
	kn->arch = parse_arch(c, v[KERNEL_ARCH], where);
	if (spec_get_enum(c, v[KERNEL_FROM], "from", where, froms, &from) == 0)
		kn->from = (enum kernel_from)from;
	kn->config = spec_get_str(c, v[KERNEL_CONFIG], "config", where);
	kn->localversion = spec_get_str(c, v[KERNEL_LOCALVERSION],
					"localversion", where);
	if (kn->localversion)
		spec_check_vars(c, v[KERNEL_LOCALVERSION], where, NULL);
	if (spec_get_enum(c, v[KERNEL_PREBUILT], "prebuilt", where, froms,
			  &from) == 0) {
		kn->has_prebuilt = true;
		kn->prebuilt = (enum kernel_from)from;
	}
	kn->trimmed = spec_get_str(c, v[KERNEL_TRIMMED], "trimmed", where);
	if (v[KERNEL_FRAGMENTS])
		parse_fragments(c, kn, v[KERNEL_FRAGMENTS], where);
	parse_debug(c, kn, v[KERNEL_DEBUG], where);
}

/* A path of the lab's: as it is when absolute, else in the spec's
 * directory (caller frees). */
static char *lab_path(struct spec_ctx *c, const char *path, const char *file)
{
	return xasprintf("%s%s%s%s%s", path[0] == '/' ? "" : c->spec->dir,
			 path[0] == '/' ? "" : "/", path, file ? "/" : "",
			 file ? file : "");
}

/* A path of the lab's, relative to the spec's directory, at node `n`:
 * must be a directory (`dir`) or a regular file.  Reports what it is
 * not; 0 when it is. */
int spec_check_path(struct spec_ctx *c, yaml_node_t *n, const char *path,
		    bool dir, const char *what, const char *where)
{
	char *full = lab_path(c, path, NULL);
	struct stat st;
	int rc = 0;

	if (stat(full, &st) < 0)
		rc = spec_diag(c, spec_mark_pos(n->start_mark), "%s '%s' %s: "
			       "%s", what, path, where, strerror(errno));
	else if (dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))
		rc = spec_diag(c, spec_mark_pos(n->start_mark), "%s '%s' %s is "
			       "not a %s", what, path, where,
			       dir ? "directory" : "file");
	free(full);
	return rc;
}

/* A module's directory must be a kbuild one: a Makefile or a Kbuild. */
static void check_module_dir(struct spec_ctx *c, yaml_node_t *n,
			     const char *path, const char *where)
{
	char *mk, *kb;

	if (spec_check_path(c, n, path, true, "module directory", where))
		return;
	mk = lab_path(c, path, "Makefile");
	kb = lab_path(c, path, "Kbuild");
	if (access(mk, F_OK) < 0 && access(kb, F_OK) < 0)
		spec_diag(c, spec_mark_pos(n->start_mark), "module directory "
			  "'%s' %s has no Makefile or Kbuild (not a kbuild "
			  "module directory)", path, where);
	free(kb);
	free(mk);
}

static const char *const module_keys[] = { "path", "kernel", "uses", NULL };
enum { MODULE_PATH, MODULE_KERNEL, MODULE_USES, MODULE_NKEYS };

/* `uses:` as written, each id with its position: what it names is
 * checked once every module is known (spec_check_uses()). */
static void parse_uses(struct spec_ctx *c, struct spec_module *m,
		       yaml_node_t *n, const char *where)
{
	yaml_node_item_t *it;
	char *u;

	if (spec_want(c, n, "sequence", "'uses'", where) < 0)
		return;
	m->uses = xcalloc(spec_len(n) + 1, sizeof(*m->uses));
	m->uses_pos = xcalloc(spec_len(n) + 1, sizeof(*m->uses_pos));
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		yaml_node_t *item = spec_node(c, *it);

		if (!(u = spec_get_str(c, item, "uses", where)))
			continue;
		m->uses_pos[m->nuses] = spec_mark_pos(item->start_mark);
		m->uses[m->nuses++] = u;
	}
}

void spec_parse_module(struct spec_ctx *c, const char *id, yaml_node_t *n,
			 const char *where)
{
	struct spec *s = c->spec;
	struct spec_module *m;
	yaml_node_t *v[MODULE_NKEYS], *k[MODULE_NKEYS];

	s->modules = xrealloc(s->modules, (s->nmodules + 1) * sizeof(*m));
	m = &s->modules[s->nmodules++];
	memset(m, 0, sizeof(*m));
	m->id = xstrdup(id);
	m->pos = spec_mark_pos(n->start_mark);
	spec_check_id(c, m->pos, "module", id);
	if (n->type != YAML_MAPPING_NODE)
		return;
	spec_map(c, n, "a module", where, module_keys, v, k);
	if (!v[MODULE_PATH])
		spec_missing(c, n, module_keys, "path", where);
	if (!v[MODULE_KERNEL])
		spec_missing(c, n, module_keys, "kernel", where);
	m->path = spec_get_str(c, v[MODULE_PATH], "path", where);
	if (m->path)
		check_module_dir(c, v[MODULE_PATH], m->path, where);
	m->kernel = spec_get_ref(c, v[MODULE_KERNEL], "kernel", "kernel",
				 where);
	if (v[MODULE_USES])
		parse_uses(c, m, v[MODULE_USES], where);
}

/* ---- uses: which modules' symbols a module calls ---- */

static size_t module_index(const struct spec *s, const char *id)
{
	size_t i = 0;

	while (i < s->nmodules && strcmp(s->modules[i].id, id))
		i++;
	return i;
}

/* Entry k of m's `uses`: a module of the lab, not m itself, named once,
 * built against m's kernel.  0 when it is; else reported. */
static int check_use(struct spec_ctx *c, const struct spec_module *m,
		     size_t k)
{
	const struct spec *s = c->spec;
	const char *u = m->uses[k];
	size_t p = module_index(s, u);
	struct spec_suggest sg;
	char buf[128];

	if (!strcmp(u, m->id))
		return spec_diag(c, m->uses_pos[k], "module '%s' uses itself",
				 m->id);
	if (p == s->nmodules) {
		spec_suggest_init(&sg, u);
		for (size_t i = 0; i < s->nmodules; i++)
			if (strcmp(s->modules[i].id, m->id))
				spec_suggest_try(&sg, s->modules[i].id);
		return spec_diag(c, m->uses_pos[k], "module '%s' uses '%s', "
				 "which is not a module of this lab%s", m->id,
				 u, spec_suggest_fmt(&sg, buf, sizeof(buf)));
	}
	for (size_t i = 0; i < k; i++)
		if (!strcmp(m->uses[i], u))
			return spec_diag(c, m->uses_pos[k], "module '%s' uses "
					 "'%s' twice (first at %d:%d)", m->id, u,
					 m->uses_pos[i].line, m->uses_pos[i].col);
	if (m->kernel && s->modules[p].kernel &&
	    strcmp(m->kernel, s->modules[p].kernel))
		return spec_diag(c, m->uses_pos[k], "module '%s' uses '%s', "
				 "which is built against kernel '%s', not '%s' "
				 "(its own)", m->id, u, s->modules[p].kernel,
				 m->kernel);
	return 0;
}

/* The depth-first walk that finds cycles: a module is ON_PATH while the
 * modules it uses are walked, DONE after; only entries check_use()
 * passed are followed (ok[first[i] + k]: entry k of module i). */
struct uses_walk {
	struct spec_ctx *c;
	bool *ok;
	size_t *first;
	enum { UNSEEN, ON_PATH, DONE } *state;
	size_t *path, depth;
};

/* "module 'b' uses 'a' in a cycle: a -> b -> a", at that entry. */
static void report_cycle(struct uses_walk *w, const struct spec_module *m,
			 size_t k, size_t to)
{
	const struct spec_module *mods = w->c->spec->modules;
	size_t from = w->depth;
	struct sb path;

	while (from > 0 && w->path[from - 1] != to)
		from--;
	sb_init(&path);
	for (size_t i = from - 1; i < w->depth; i++)
		sb_addf(&path, "%s -> ", mods[w->path[i]].id);
	sb_adds(&path, mods[to].id);
	spec_diag(w->c, m->uses_pos[k], "module '%s' uses '%s' in a cycle: %s",
		  m->id, m->uses[k], path.buf);
	sb_release(&path);
}

static void walk_uses(struct uses_walk *w, size_t i)
{
	const struct spec *s = w->c->spec;
	const struct spec_module *m = &s->modules[i];

	w->state[i] = ON_PATH;
	w->path[w->depth++] = i;
	for (size_t k = 0; k < m->nuses; k++) {
		size_t j = module_index(s, m->uses[k]);

		if (!w->ok[w->first[i] + k])
			continue;
		if (w->state[j] == ON_PATH)
			report_cycle(w, m, k, j);
		else if (w->state[j] == UNSEEN)
			walk_uses(w, j);
	}
	w->depth--;
	w->state[i] = DONE;
}

void spec_check_uses(struct spec_ctx *c)
{
	const struct spec *s = c->spec;
	struct uses_walk w = { .c = c };
	size_t n = 0;

	w.first = xcalloc(s->nmodules + 1, sizeof(*w.first));
	for (size_t i = 0; i < s->nmodules; i++) {
		w.first[i] = n;
		n += s->modules[i].nuses;
	}
	w.ok = xcalloc(n + 1, sizeof(*w.ok));
	for (size_t i = 0; i < s->nmodules; i++)
		for (size_t k = 0; k < s->modules[i].nuses; k++)
			w.ok[w.first[i] + k] = !check_use(c, &s->modules[i], k);
	w.state = xcalloc(s->nmodules + 1, sizeof(*w.state));
	w.path = xcalloc(s->nmodules + 1, sizeof(*w.path));
	for (size_t i = 0; i < s->nmodules; i++)
		if (w.state[i] == UNSEEN)
			walk_uses(&w, i);
	free(w.path);
	free(w.state);
	free(w.ok);
	free(w.first);
}

static const char *const rootfs_keys[] = {
	"hostname", "modules", "programs", "files", NULL,
};
enum { ROOTFS_HOSTNAME, ROOTFS_MODULES, ROOTFS_PROGRAMS, ROOTFS_FILES,
       ROOTFS_NKEYS };
static const char *const program_keys[] = { "source", "to", "cflags", NULL };
enum { PROG_SOURCE, PROG_TO, PROG_CFLAGS, PROG_NKEYS };
static const char *const file_keys[] = { "source", "to", "mode", NULL };
enum { FILE_SOURCE, FILE_TO, FILE_MODE, FILE_NKEYS };

/* A string, or a sequence of strings, into *list (one more each). */
static void get_strings(struct spec_ctx *c, yaml_node_t *n, const char *key,
			const char *where, char ***list, size_t *len)
{
	bool one = n->type == YAML_SCALAR_NODE;
	size_t count = one ? 1 : spec_len(n);
	char *s;

	if (!one && spec_want(c, n, "sequence", key, where) < 0)
		return;
	*list = xcalloc(count + 1, sizeof(**list));
	for (size_t i = 0; i < count; i++) {
		yaml_node_t *item = one ? n :
			spec_node(c, n->data.sequence.items.start[i]);

		if ((s = spec_get_str(c, item, key, where)))
			(*list)[(*len)++] = s;
	}
}

/* `to:` of a program or file: an absolute path in the guest, of a file. */
static char *guest_path(struct spec_ctx *c, yaml_node_t *n, const char *where)
{
	char *to = spec_get_str(c, n, "to", where);

	if (to && (to[0] != '/' || to[strlen(to) - 1] == '/' || strstr(to, "/../")))
		spec_diag(c, spec_mark_pos(n->start_mark), "'to' %s must be an "
			  "absolute path of a file in the guest, not '%s'",
			  where, to);
	return to;
}

static void parse_program(struct spec_ctx *c, struct spec_rootfs *r,
			  yaml_node_t *n, const char *where)
{
	yaml_node_t *v[PROG_NKEYS], *k[PROG_NKEYS];
	struct spec_program *p;

	if (spec_map(c, n, "an item of 'programs'", where, program_keys, v, k) < 0)
		return;
	p = &r->programs[r->nprograms++];
	p->pos = spec_mark_pos(n->start_mark);
	if (!v[PROG_SOURCE])
		spec_missing(c, n, program_keys, "source", where);
	if (!v[PROG_TO])
		spec_missing(c, n, program_keys, "to", where);
	if (v[PROG_SOURCE])
		get_strings(c, v[PROG_SOURCE], "source", where, &p->sources,
			    &p->nsources);
	for (size_t i = 0; i < p->nsources; i++)
		spec_check_path(c, v[PROG_SOURCE], p->sources[i], false, "source",
			   where);
	p->to = guest_path(c, v[PROG_TO], where);
	if (v[PROG_CFLAGS])
		get_strings(c, v[PROG_CFLAGS], "cflags", where, &p->cflags,
			    &p->ncflags);
}

static void parse_file(struct spec_ctx *c, struct spec_rootfs *r,
		       yaml_node_t *n, const char *where)
{
	yaml_node_t *v[FILE_NKEYS], *k[FILE_NKEYS];
	struct spec_file *f;

	if (spec_map(c, n, "an item of 'files'", where, file_keys, v, k) < 0)
		return;
	f = &r->files[r->nfiles++];
	f->pos = spec_mark_pos(n->start_mark);
	if (!v[FILE_SOURCE])
		spec_missing(c, n, file_keys, "source", where);
	if (!v[FILE_TO])
		spec_missing(c, n, file_keys, "to", where);
	f->source = spec_get_str(c, v[FILE_SOURCE], "source", where);
	if (f->source)
		spec_check_path(c, v[FILE_SOURCE], f->source, false, "source", where);
	f->to = guest_path(c, v[FILE_TO], where);
	f->mode = spec_get_str(c, v[FILE_MODE], "mode", where);
	if (f->mode && (strlen(f->mode) > 4 ||
			strspn(f->mode, "01234567") != strlen(f->mode)))
		spec_diag(c, spec_mark_pos(v[FILE_MODE]->start_mark), "'mode' "
			  "%s must be octal, like '0755', not '%s'", where, f->mode);
}

/* `programs:` or `files:`: a sequence whose items `fn` parses. */
static void parse_items(struct spec_ctx *c, struct spec_rootfs *r,
			yaml_node_t *n, const char *key, const char *where,
			void (*fn)(struct spec_ctx *, struct spec_rootfs *,
				   yaml_node_t *, const char *))
{
	yaml_node_item_t *it;

	if (spec_want(c, n, "sequence", key, where) < 0)
		return;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++)
		fn(c, r, spec_node(c, *it), where);
}

static void parse_rootfs_modules(struct spec_ctx *c, struct spec_rootfs *r,
				 yaml_node_t *n, const char *where)
{
	yaml_node_item_t *it;
	char *m;

	if (spec_want(c, n, "sequence", "'modules'", where) < 0)
		return;
	r->modules = xcalloc(spec_len(n), sizeof(*r->modules));
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		m = spec_get_ref(c, spec_node(c, *it), "modules", "module",
				 where);
		if (m)
			r->modules[r->nmodules++] = m;
	}
}

void spec_parse_one_rootfs(struct spec_ctx *c, const char *id,
			     yaml_node_t *n, const char *where)
{
	struct spec *s = c->spec;
	struct spec_rootfs *r;
	yaml_node_t *v[ROOTFS_NKEYS], *k[ROOTFS_NKEYS];

	s->rootfs = xrealloc(s->rootfs, (s->nrootfs + 1) * sizeof(*r));
	r = &s->rootfs[s->nrootfs++];
	memset(r, 0, sizeof(*r));
	r->id = xstrdup(id);
	r->pos = spec_mark_pos(n->start_mark);
	spec_check_id(c, r->pos, "rootfs", id);
	if (n->type != YAML_MAPPING_NODE)
		return;
	spec_map(c, n, "a rootfs", where, rootfs_keys, v, k);
	r->hostname = spec_get_str(c, v[ROOTFS_HOSTNAME], "hostname", where);
	if (r->hostname)
		spec_check_vars(c, v[ROOTFS_HOSTNAME], where, NULL);
	if (v[ROOTFS_MODULES])
		parse_rootfs_modules(c, r, v[ROOTFS_MODULES], where);
	if (v[ROOTFS_PROGRAMS]) {
		r->programs = xcalloc(spec_len(v[ROOTFS_PROGRAMS]) + 1,
				      sizeof(*r->programs));
		parse_items(c, r, v[ROOTFS_PROGRAMS], "'programs'", where,
			    parse_program);
	}
	if (v[ROOTFS_FILES]) {
		r->files = xcalloc(spec_len(v[ROOTFS_FILES]) + 1,
				   sizeof(*r->files));
		parse_items(c, r, v[ROOTFS_FILES], "'files'", where, parse_file);
	}
}


static void free_strings(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void spec_module_free(struct spec_module *m)
{
	free(m->id);
	free(m->path);
	free(m->kernel);
	free_strings(m->uses, m->nuses);
	free(m->uses_pos);
}

void spec_rootfs_free(struct spec_rootfs *r)
{
	free(r->id);
	free(r->hostname);
	free_strings(r->modules, r->nmodules);
	for (size_t i = 0; i < r->nprograms; i++) {
		free_strings(r->programs[i].sources, r->programs[i].nsources);
		free_strings(r->programs[i].cflags, r->programs[i].ncflags);
		free(r->programs[i].to);
	}
	free(r->programs);
	for (size_t i = 0; i < r->nfiles; i++) {
		free(r->files[i].source);
		free(r->files[i].to);
		free(r->files[i].mode);
	}
	free(r->files);
}
