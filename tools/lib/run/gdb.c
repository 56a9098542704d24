/*
 * gdb.c — `labkit gdb`: gdb on the kernel of the guest an exercise
 * booted (run.c boots it with its gdb stub on a Unix socket, vm.c's row
 * says how).  Once the guest is logged in, labkit learns from it what
 * gdb needs: do_init_module's address (/proc/kallsyms: exact whatever
 * the kernel's symbols or KASLR), and the sections of the exercise's
 * modules already loaded (/sys/module/<name>/sections); from the host,
 * the kernel's symbols (a kernel with debug information: the build's
 * own vmlinux, Debian's linux-image-<release>-dbg, or --symbols) and the
 * offsets of struct module's fields (pahole, from the kernel's BTF or
 * DWARF).  It writes a gdbinit and gdb_helper.py (compiled in) into the
 * session's directory, starts gdb on the person's terminal, in the
 * foreground, and meanwhile shows the guest's lines on the terminal and
 * types on its shell line what `guest <command>` in gdb sends through a
 * control socket.
 *
 * Fails by saying so (events.h) and returning EXIT_CHECK_FAILED; gdb is
 * killed by its group when labkit is stopped, the terminal given back
 * either way.  The guest is run.c's to end.
 */
#include "gdb.h"
#include "bridge.h"
#include "run_int.h"
#include "events.h"
#include "layout.h"
#include "proc.h"
#include "util.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

extern const char run_gdb_helper[];   /* gdb_helper.py (embed.cmake) */

#define ASK_TIMEOUT 20.0

/* One session's findings, as Python values for the helper's setup(). */
struct session {
	struct run *r;
	char *symbols;           /* the kernel with symbols, or NULL */
	char *init_module;       /* do_init_module's address, or NULL */
	struct sb offsets;       /* a dict, or "None" */
	struct sb loaded;        /* name -> {section: address} */
	struct sb modules;       /* name -> .ko */
	int control;             /* the listening control socket */
	char *control_path;
};

const char *gdb_prepare(struct run *r)
{
	if (!(r->gdb_dir = fs_temp_dir("gdb"))) {
		error("cannot make a directory for the gdb stub: %m");
		return NULL;
	}
	r->gdb_stub = xasprintf("%s/stub", r->gdb_dir);
	return r->gdb_stub;
}

void gdb_release(struct run *r)
{
	if (r->gdb_dir)
		fs_remove_tree(r->gdb_dir);
	free(r->gdb_dir);
	free(r->gdb_stub);
	r->gdb_dir = r->gdb_stub = NULL;
}

/* ---- what the guest says ---- */

/* A command of labkit's own on the guest's shell line: its output, or
 * NULL when it failed. */
static char *ask(struct session *s, const char *cmd)
{
	char *out = NULL;
	int status = -1;

	if (console_run(&s->r->guest.con, cmd, now_monotonic() + ASK_TIMEOUT,
			&out, &status) == CONSOLE_OK && status == 0)
		return out;
	free(out);
	return NULL;
}

/* do_init_module's address: where a module's init is about to run. */
static void find_init_module(struct session *s)
{
	char *out = ask(s, "grep -E '^[0-9a-f]+ [tT] do_init_module$' "
			"/proc/kallsyms");
	unsigned long long a = out ? strtoull(out, NULL, 16) : 0;

	if (a)
		s->init_module = xasprintf("0x%llx", a);
	expand_vars_set(&s->r->res.facts, "gdb.do_init_module", a ?
			s->init_module : "not in /proc/kallsyms");
	free(out);
}

/* Appends a Python string literal of `v`. */
static void py_str(struct sb *sb, const char *v)
{
	sb_addc(sb, '\'');
	for (; *v; v++) {
		if (*v == '\\' || *v == '\'')
			sb_addc(sb, '\\');
		sb_addc(sb, *v);
	}
	sb_addc(sb, '\'');
}

/* The module's name in the kernel: its .ko's, '-' made '_'. */
static char *module_name(const char *ko)
{
	const char *base = strrchr(ko, '/');
	char *name = xstrdup(base ? base + 1 : ko);

	name[strcspn(name, ".")] = '\0';
	for (char *p = name; *p; p++)
		if (*p == '-')
			*p = '_';
	return name;
}

/* Its sections' addresses, when it is loaded now, as a dict. */
static void loaded_sections(struct session *s, const char *name)
{
	char *cmd = xasprintf("cd /sys/module/%s/sections 2>/dev/null && "
			      "for f in .* *; do [ -f \"$f\" ] && echo \"$f "
			      "$(cat \"$f\")\"; done; true", name);
	char *out = ask(s, cmd), *save = NULL;
	size_t start = s->loaded.len;

	py_str(&s->loaded, name);
	sb_adds(&s->loaded, ": {");
	for (char *l = out ? strtok_r(out, "\n", &save) : NULL; l;
	     l = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(l, ' ');

		if (!sp || strncmp(sp + 1, "0x", 2))
			continue;
		*sp = '\0';
		py_str(&s->loaded, l);
		sb_addf(&s->loaded, ": %s, ", sp + 1);
	}
	if (s->loaded.buf[s->loaded.len - 1] == '{') {   /* not loaded */
		s->loaded.len = start;
		s->loaded.buf[start] = '\0';
	} else {
		sb_adds(&s->loaded, "}, ");
	}
	free(out);
	free(cmd);
}

/* The exercise's modules: name -> .ko, and those loaded now. */
static void modules(struct session *s)
{
	const struct run_opts *o = s->r->o;

	sb_adds(&s->modules, "{");
	sb_adds(&s->loaded, "{");
	for (size_t i = 0; i < o->nmodules; i++) {
		const char *ko = strchr(o->modules[i], '=');
		char *name;

		if (!ko)
			continue;
		name = module_name(ko + 1);
		py_str(&s->modules, name);
		sb_adds(&s->modules, ": ");
		py_str(&s->modules, ko + 1);
		sb_adds(&s->modules, ", ");
		loaded_sections(s, name);
		free(name);
	}
	sb_adds(&s->modules, "}");
	sb_adds(&s->loaded, "}");
}

/* ---- what the host has ---- */

/* Has the ELF file a symbol table? */
static bool has_symtab(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf64_Ehdr eh;
	Elf64_Shdr sh;
	bool found = false;

	if (fd < 0)
		return false;
	if (pread(fd, &eh, sizeof(eh), 0) == sizeof(eh) &&
	    !memcmp(eh.e_ident, ELFMAG, SELFMAG) &&
	    eh.e_ident[EI_CLASS] == ELFCLASS64 &&
	    eh.e_shentsize == sizeof(sh))
		for (unsigned i = 0; i < eh.e_shnum && !found; i++)
			found = pread(fd, &sh, sizeof(sh), (off_t)(eh.e_shoff +
				      i * sizeof(sh))) == sizeof(sh) &&
				sh.sh_type == SHT_SYMTAB;
	close(fd);
	return found;
}

/* The build of a kernel that boots from its stage (`use: installed`:
 * layout_kernel_installed()), where its vmlinux is. */
static char *stage_build(const char *kernel_dir)
{
	char *build = layout_installed_build(kernel_dir), *vmlinux;

	if (!build)
		return NULL;
	vmlinux = xasprintf("%s/vmlinux", build);
	free(build);
	return vmlinux;
}

/* The kernel's symbols: --symbols, Debian's debug package's, the
 * vmlinux its build made (the build's results say where; a kernel `use:
 * installed` boots its stage's copy), or the kernel directory's, the
 * first that has any. */
static void kernel_symbols(struct session *s)
{
	struct run *r = s->r;
	const char *rel = expand_vars_get(&r->vars, "kernel.release");
	const struct results *b = r->o->build_results ? run_build_results(r) :
				  NULL;
	const char *obj = b ? expand_vars_get(&b->facts, "kernel.build") : NULL;
	char *cand[5] = {
		r->o->wb->kernel_symbols ? xstrdup(r->o->wb->kernel_symbols) :
					   NULL,
		rel ? xasprintf("/usr/lib/debug/boot/vmlinux-%s", rel) : NULL,
		obj ? xasprintf("%s/vmlinux", obj) : NULL,
		stage_build(r->o->kernel_dir),
		xasprintf("%s/vmlinux", r->o->kernel_dir),
	};

	for (int i = 0; i < 5; i++) {
		if (!s->symbols && cand[i] && has_symtab(cand[i]))
			s->symbols = cand[i];
		else
			free(cand[i]);
	}
	expand_vars_set(&r->res.facts, "gdb.symbols", s->symbols ? s->symbols :
			"none (the kernel has no symbol table: docs/workbench.md)");
	if (!s->symbols)
		events_note(r->spec->lab_id, r->ex->id, "the kernel has no "
			    "symbols (for Debian's: linux-image-%s-dbg, or "
			    "--symbols); its modules' are loaded", rel ? rel : "?");
}

/* What the helper needs of the kernel's structs (pahole's names). */
static const char *const fields[] = {
	"module.name", "module.sect_attrs", "module_sect_attrs.nsections",
	"module_sect_attrs.attrs", "module_sect_attr.address",
	"module_sect_attr.battr", "bin_attribute.attr", "attribute.name",
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

/* A member's line of pahole's ("\ttype name[n];  slash-star off size
 * star-slash"): its name and offset.  0, or -1 for any other line. */
static int member(const char *l, char *name, size_t size, long *off)
{
	const char *semi = strchr(l, ';'), *cm = strstr(l, "/*"), *end;
	size_t len = 0;

	if (!semi || !cm || cm < semi || sscanf(cm, "/* %ld", off) != 1)
		return -1;
	end = semi;
	if (end > l && end[-1] == ']')           /* name[56] */
		while (end > l && *--end != '[')
			;
	while (end - len > l && (end[-len - 1] == '_' ||
	       (end[-len - 1] >= 'a' && end[-len - 1] <= 'z')))
		len++;
	snprintf(name, size, "%.*s", (int)len, end - len);
	return 0;
}

/* The offsets of `fields`, and the size of struct module_sect_attr, out
 * of pahole's layout of the structs. */
static void parse_pahole(char *out, long *o, long *size)
{
	char type[64] = "", name[64], key[140], *save = NULL;
	long off;

	for (char *l = strtok_r(out, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		if (sscanf(l, "struct %63[a-z_] {", type) == 1)
			continue;
		if (sscanf(l, "\t/* size: %ld,", &off) == 1 &&
		    !strcmp(type, "module_sect_attr"))
			*size = off;
		if (member(l, name, sizeof(name), &off) < 0)
			continue;
		snprintf(key, sizeof(key), "%s.%s", type, name);
		for (size_t i = 0; i < NFIELDS; i++)
			if (!strcmp(key, fields[i]))
				o[i] = off;
	}
}

/* struct module's offsets from pahole, as a dict, or None. */
static void struct_offsets(struct session *s)
{
	const char *file = s->symbols ? s->symbols : s->r->kernel_path;
	char *argv[] = { "pahole", "-C", "module,module_sect_attrs,"
			 "module_sect_attr,bin_attribute,attribute",
			 (char *)file, NULL };
	long o[NFIELDS], size = -1;
	struct sb out;
	struct proc p;
	bool all = true;

	for (size_t i = 0; i < NFIELDS; i++)
		o[i] = -1;
	sb_init(&out);
	if (proc_run(argv, NULL, 60, &out, &p) == 0 && out.len)
		parse_pahole(out.buf, o, &size);
	sb_release(&out);
	for (size_t i = 0; i < NFIELDS; i++)
		all = all && o[i] >= 0;
	if (!all || size <= 0) {
		sb_adds(&s->offsets, "None");
		return;
	}
	sb_addf(&s->offsets, "{'module.name': %ld, 'module.sect_attrs': %ld, "
		"'module_sect_attrs.nsections': %ld, 'module_sect_attrs.attrs': "
		"%ld, 'module_sect_attr.address': %ld, 'module_sect_attr.size': "
		"%ld, 'module_sect_attr.name': %ld}", o[0], o[1], o[2], o[3],
		o[4], size, o[5] + o[6] + o[7]);
}

/* ---- gdb's files ---- */

/* Where the student edits a module: labkit builds a copy of it, whose
 * paths the .ko's debug information names. */
static void substitute_path(const struct run *r, const char *module,
			    struct sb *init)
{
	const char *eq = strchr(module, '=');
	char *id = eq ? xstrndup(module, (size_t)(eq - module)) : NULL;
	const struct spec_module *m = id ? spec_module(r->spec, id) : NULL;
	char *built = eq ? fs_absolute(eq + 1) : NULL, *rel, *src;

	if (m && built && strrchr(built, '/')) {
		*strrchr(built, '/') = '\0';
		rel = m->path[0] == '/' ? xstrdup(m->path) :
		      xasprintf("%s/%s", r->spec->dir, m->path);
		src = fs_absolute(rel);
		sb_addf(init, "set substitute-path %s %s\n", built, src);
		free(src);
		free(rel);
	}
	free(built);
	free(id);
}

/* <out>/gdbinit: the settings, the symbols, the stub, the helper. */
static char *gdbinit(struct session *s, const char *helper)
{
	const struct run *r = s->r;
	const struct vm_arch *a = r->guest.o->arch;
	const char *slash = s->symbols ? strrchr(s->symbols, '/') : NULL;
	char *scripts = slash ? xasprintf("%.*s/vmlinux-gdb.py",
					  (int)(slash - s->symbols), s->symbols) :
				xstrdup("");
	struct sb init;

	sb_init(&init);
	sb_adds(&init, "# labkit gdb: this session's gdbinit (the guest and "
		"its stub are gone when the session ends)\nset confirm off\n"
		"set breakpoint pending on\n");
	if (r->o->wb->batch)
		sb_adds(&init, "set pagination off\n");
	for (size_t i = 0; i < r->o->nmodules; i++)
		substitute_path(r, r->o->modules[i], &init);
	/* vmlinux-gdb.py is sourced below, not auto-loaded (gdb would
	 * decline it outside its safe path, and say so at length) */
	sb_adds(&init, "set auto-load python-scripts off\n");
	if (s->symbols)
		sb_addf(&init, "file %s\n", s->symbols);
	if (*scripts && access(scripts, R_OK) == 0)   /* lx-dmesg, lx-ps ... */
		sb_addf(&init, "source %s\n", scripts);
	sb_addf(&init, "target remote %s\nsource %s\npython setup(%s, %s, ",
		r->gdb_stub, helper, s->modules.buf, s->init_module ?
		s->init_module : "None");
	py_str(&init, a->gdb_arg0);
	sb_adds(&init, ", ");
	py_str(&init, s->control_path);
	sb_addf(&init, ", %s, %s)\n", s->offsets.buf, s->loaded.buf);
	free(scripts);
	return sb_detach(&init, NULL);
}

static int write_files(struct session *s, char **init_path)
{
	char *out = fs_absolute(s->r->o->out_dir);
	char *helper = xasprintf("%s/gdb_helper.py", out), *init;
	int rc = 0;

	*init_path = xasprintf("%s/gdbinit", out);
	free(out);
	init = gdbinit(s, helper);
	if (fs_write_atomic(helper, run_gdb_helper,
			    strlen(run_gdb_helper)) < 0)
		rc = error("cannot write '%s': %m", helper);
	else if (fs_write_atomic(*init_path, init, strlen(init)) < 0)
		rc = error("cannot write '%s': %m", *init_path);
	free(init);
	free(helper);
	return rc;
}

/* ---- the control socket: `guest <command>` ---- */

static int listen_control(struct session *s)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };

	s->control_path = xasprintf("%s/guest", s->r->gdb_dir);
	s->control = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (strlen(s->control_path) >= sizeof(a.sun_path) || s->control < 0)
		return error("cannot make the control socket: %m");
	memcpy(a.sun_path, s->control_path, strlen(s->control_path) + 1);
	if (bind(s->control, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(s->control, 4) < 0)
		return error("cannot listen on '%s': %m", s->control_path);
	return 0;
}

/* A command `guest` sent: typed on the guest's shell line. */
static void take_command(struct session *s, struct bridge *b)
{
	int c = accept4(s->control, NULL, NULL, SOCK_CLOEXEC);
	double deadline = now_monotonic() + 2.0;
	char buf[4096];
	size_t len = 0;

	if (c < 0)
		return;
	while (len < sizeof(buf) && now_monotonic() < deadline) {
		struct pollfd p = { .fd = c, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 200) <= 0)
			continue;
		n = read(c, buf + len, sizeof(buf) - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(c);
	if (b->end == BRIDGE_ON && len)
		bridge_type(b, buf, len);
}

/* ---- gdb itself ---- */

static int start_gdb(struct session *s, struct proc *p, const char *init)
{
	const struct run_workbench *wb = s->r->o->wb;
	const char *names[] = { s->r->guest.o->arch->gdb, "gdb-multiarch" };
	char **argv = xcalloc(8 + 2 * wb->nscripts, sizeof(*argv));
	struct proc_opts po = { .tty = -1, .in = wb->in, .out = wb->out,
				.die_with_parent = true, .foreground = true };
	size_t n = 1;
	int rc = -1;

	argv[n++] = "-q";
	if (wb->batch) {
		argv[n++] = "-nx";
		argv[n++] = "-batch";
	}
	argv[n++] = "-x";
	argv[n++] = (char *)init;
	for (size_t i = 0; i < wb->nscripts; i++) {
		argv[n++] = "-x";
		argv[n++] = (char *)wb->scripts[i];
	}
	po.argv = argv;
	for (size_t i = 0; i < 2 && rc < 0; i++) {
		argv[0] = (char *)names[i];
		rc = proc_spawn(p, &po);
	}
	if (rc < 0)
		error("cannot start '%s' (nor gdb-multiarch): %m", names[0]);
	free(argv);
	return rc;
}

/* Until gdb ends (or labkit is stopped): the guest's lines shown, the
 * commands `guest` sends typed. */
static void serve(struct session *s, struct proc *p)
{
	const struct run_workbench *wb = s->r->o->wb;
	struct pollfd control = { .fd = s->control, .events = POLLIN };
	struct bridge b;

	bridge_begin(&b, &s->r->guest, -1, wb->out, !wb->kernel_hidden,
		     s->r->spec->lab_id, s->r->ex->id);
	while (!proc_interrupted && proc_wait(p, now_monotonic()) != 1) {
		if (b.end == BRIDGE_ON)
			bridge_poll(&b, &control, 1, 250);
		else if (poll(&control, 1, 250) < 0 && errno != EINTR)
			break;
		if (control.revents & POLLIN)
			take_command(s, &b);
	}
	bridge_end(&b);
}

/* How gdb ended, recorded; the exit status. */
static int gdb_ended(struct session *s, struct proc *p)
{
	char buf[64];

	if (!p->exited) {
		proc_kill_group(p, 1.0);
		expand_vars_set(&s->r->res.facts, "workbench.end", "interrupted");
		error("interrupted: gdb and the guest are stopped");
		return EXIT_CHECK_FAILED;
	}
	proc_kill_group(p, 0.5);        /* whatever it left in its group */
	snprintf(buf, sizeof(buf), "gdb %s",
		 proc_status_str(p->status, buf + 4, sizeof(buf) - 4));
	expand_vars_set(&s->r->res.facts, "workbench.end", buf);
	return WIFEXITED(p->status) ? WEXITSTATUS(p->status) : EXIT_CHECK_FAILED;
}

int gdb_session(struct run *r)
{
	const struct run_workbench *wb = r->o->wb;
	struct session s = { .r = r, .control = -1 };
	struct termios saved;
	bool tty = isatty(wb->in) && tcgetattr(wb->in, &saved) == 0;
	void (*ttou)(int) = signal(SIGTTOU, SIG_IGN);
	char *init = NULL;
	struct proc p;
	int rc = EXIT_CHECK_FAILED;

	sb_init(&s.offsets);
	sb_init(&s.loaded);
	sb_init(&s.modules);
	find_init_module(&s);
	modules(&s);
	kernel_symbols(&s);
	struct_offsets(&s);
	if (listen_control(&s) == 0 && write_files(&s, &init) == 0 &&
	    start_gdb(&s, &p, init) == 0) {
		serve(&s, &p);
		rc = gdb_ended(&s, &p);
	}
	proc_foreground_back(wb->in);
	if (tty)
		tcsetattr(wb->in, TCSAFLUSH, &saved);
	signal(SIGTTOU, ttou);
	if (s.control >= 0)
		close(s.control);
	free(s.control_path);
	free(s.symbols);
	free(s.init_module);
	free(init);
	sb_release(&s.offsets);
	sb_release(&s.loaded);
	sb_release(&s.modules);
	return rc;
}
