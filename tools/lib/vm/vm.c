/*
 * vm.c — the guest kinds labkit boots, as rows of one table, and the
 * command line that starts each.  Adding an architecture is adding a row;
 * no other file says "if x86_64".
 *
 * Never starts anything itself (proc.c does); fails only on allocation.
 */
#include "vm.h"
#include "proc.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static const char *const qemu_x86_64_args[] = {
	"-M", "pc", "-nodefaults", "-no-user-config", "-display", "none",
	"-serial", "stdio", "-no-reboot", NULL,
};

static const char *const uml_args[] = { NULL };

/* The shell's own line: QEMU's second serial port on the pty; UML's
 * serial line 0 on fd 3 (it may run as `nobody`, who cannot open the pty
 * by its path). */
static const char *const qemu_shell_args[] = { "-serial", "%s", NULL };
static const char *const uml_shell_args[] = { "ssl=null", "ssl0=fd:3", NULL };

/* The gdb stub on a Unix socket, never a TCP port (nothing another user
 * of the machine can reach); QEMU 7's chardev syntax. */
static const char *const qemu_gdb_args[] = {
	"-chardev", "socket,id=labkit-gdb,server=on,wait=off,path=%s",
	"-gdb", "chardev:labkit-gdb", NULL,
};

/* A host directory as virtio 9p, tag `labkit` (the rootfs's rcS mounts
 * it: cmake/rootfs.cmake).  security_model=none: the files are the
 * host's, owned by whoever runs labkit. */
static const char *const qemu_share_args[] = {
	"-fsdev", "local,id=labkit-share,security_model=none,path=%s",
	"-device", "virtio-9p-pci,fsdev=labkit-share,mount_tag=labkit", NULL,
};

/* The uncompressed ELF vmlinux boots through PVH in a fraction of the time
 * TCG needs to decompress a bzImage. */
static const char *const qemu_x86_64_images[] = {
	"vmlinux", "bzImage", "vmlinuz", NULL,
};
static const char *const uml_images[] = { "vmlinux", "linux", NULL };

static const struct vm_arch arches[] = {
	{
		.name = "x86_64",
		.label = "qemu",
		.images = qemu_x86_64_images,
		.emulator = "qemu-system-x86_64",
		.args = qemu_x86_64_args,
		.console = "ttyS0",
		.disk_root = "/dev/sda",
		.append = "panic=-1 quiet",
		.shell_tty = "ttyS1",
		.shell_kconfig = "CONFIG_SERIAL_8250",
		.shell_args = qemu_shell_args,
		.has_accel = true,
		.mem_mb = 256,
		.gdb_args = qemu_gdb_args,
		.gdb = "gdb",
		.gdb_arg0 = "$rdi",
		.gdb_append = "nokaslr",
		.share_args = qemu_share_args,
		.share_ro = ",readonly=on",
		.share_append = "labkit.share=9p",
	},
	{
		.name = "um",
		.label = "uml",
		.images = uml_images,
		.emulator = NULL,
		.args = uml_args,
		.console = "tty0",
		.disk_root = "/dev/ubda",
		.append = "panic=-1 quiet con=null con0=fd:0,fd:1",
		.shell_tty = "ttyS0",
		.shell_kconfig = "CONFIG_SSL",
		.shell_args = uml_shell_args,
		.socket_lines = true,
		.has_accel = false,
		/* A UML guest is a host process, and its root mounts the
		 * host's / through hostfs: as root it could write anywhere. */
		.unprivileged = true,
		.host_process = true,
		.mem_mb = 256,
		/* UML is debugged as the host process it is (gdb -p), not
		 * through a stub: no gdb here.  Its hostfs mounts the host's
		 * directory by its path. */
		.share_append = "labkit.share=hostfs:%s",
	},
};

const struct vm_arch *vm_arch_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (!strcmp(arches[i].name, name))
			return &arches[i];
	return NULL;
}

struct argv {
	char **v;
	size_t n, cap;
};

static void push(struct argv *a, char *s)
{
	ARRAY_PUSH(a->v, a->n, a->cap);
	a->v[a->n++] = s;
}

const char *vm_guest_unsupported(const struct vm_arch *a,
				 const struct vm_guest *g)
{
	if (g->gdb_socket && !a->gdb_args)
		return "this guest kind has no gdb stub";
	if (g->share && !a->share_append)
		return "this guest kind cannot share a host directory";
	if (g->share && strpbrk(g->share, " \t\n"))
		return "the shared directory's path has white space, which "
		       "the guest's kernel command line cannot carry";
	if (g->share && strstr(a->share_append, "%s") && strchr(g->share, ','))
		return "the shared directory's path has a comma, which the "
		       "guest's mount options cannot carry";
	return NULL;
}

/* `fmt` with its "%s" replaced by `path` (commas doubled for QEMU's
 * option syntax when `qemu`), and `more` after it. */
static char *with_path(const char *fmt, const char *path, const char *more,
		       bool qemu)
{
	const char *at = strstr(fmt, "%s");
	struct sb sb;

	if (!at)
		return xstrdup(fmt);
	sb_init(&sb);
	sb_add(&sb, fmt, (size_t)(at - fmt));
	for (const char *p = path; *p; p++) {
		if (*p == ',' && qemu)
			sb_addc(&sb, ',');
		sb_addc(&sb, *p);
	}
	sb_adds(&sb, at + 2);
	if (more)
		sb_adds(&sb, more);
	return sb_detach(&sb, NULL);
}

static char *cmdline(const struct vm_arch *a, const struct vm_guest *g)
{
	struct sb sb;

	sb_init(&sb);
	sb_addf(&sb, "console=%s", a->console);
	if (g->boot == VM_BOOT_DISK)
		sb_addf(&sb, " root=%s rw", a->disk_root);
	if (a->append)
		sb_addf(&sb, " %s", a->append);
	if (g->shell)
		sb_addf(&sb, " labkit.shell=%s", a->shell_tty);
	if ((g->gdb_socket || g->debug) && a->gdb_append)
		sb_addf(&sb, " %s", a->gdb_append);
	if (g->share && a->share_append) {
		char *s = with_path(a->share_append, g->share, NULL, false);

		sb_addf(&sb, " %s%s", s, g->share_ro ? " labkit.share_ro" : "");
		free(s);
	}
	if (g->append && *g->append)
		sb_addf(&sb, " %s", g->append);
	return sb_detach(&sb, NULL);
}

/* The arguments that attach the shell's line, if it has one of its own. */
static void push_shell(struct argv *v, const struct vm_arch *a,
		       const struct vm_guest *g)
{
	for (const char *const *s = a->shell_args; g->shell && *s; s++)
		push(v, strcmp(*s, "%s") ? xstrdup(*s) : xstrdup(g->shell));
}

/* The arguments of the gdb stub and of the shared directory, when asked. */
static void push_workbench(struct argv *v, const struct vm_arch *a,
			   const struct vm_guest *g)
{
	for (const char *const *s = a->gdb_args; g->gdb_socket && s && *s; s++)
		push(v, with_path(*s, g->gdb_socket, NULL, true));
	for (const char *const *s = a->share_args; g->share && s && *s; s++)
		push(v, with_path(*s, g->share, g->share_ro ? a->share_ro :
				    NULL, true));
}

static void push_qemu(struct argv *v, const struct vm_arch *a,
		      const struct vm_guest *g)
{
	push(v, xstrdup(a->emulator));
	for (const char *const *s = a->args; *s; s++)
		push(v, xstrdup(*s));
	push_shell(v, a, g);
	push_workbench(v, a, g);
	if (a->has_accel && g->accel) {
		push(v, xstrdup("-accel"));
		push(v, xstrdup(g->accel));
	}
	push(v, xstrdup("-m"));
	push(v, xasprintf("%d", a->mem_mb));
	push(v, xstrdup("-kernel"));
	push(v, xstrdup(g->kernel));
	if (g->boot == VM_BOOT_INITRAMFS) {
		push(v, xstrdup("-initrd"));
		push(v, xstrdup(g->initrd));
	} else {
		push(v, xstrdup("-hda"));
		push(v, xstrdup(g->disk));
		push(v, xstrdup("-snapshot"));
	}
	push(v, xstrdup("-append"));
	push(v, cmdline(a, g));
}

/* UML: the kernel is the program; its arguments are the command line. */
static void push_uml(struct argv *v, const struct vm_arch *a,
		     const struct vm_guest *g)
{
	char *line = cmdline(a, g);
	char *save = NULL, *tok;

	push(v, xstrdup(g->kernel));
	push(v, xasprintf("mem=%dM", a->mem_mb));
	if (g->boot == VM_BOOT_DISK && g->cow)
		push(v, xasprintf("ubd0=%s,%s", g->cow, g->disk));
	else if (g->boot == VM_BOOT_DISK)
		push(v, xasprintf("ubd0=%s", g->disk));
	else
		push(v, xasprintf("initrd=%s", g->initrd));
	push_shell(v, a, g);
	for (tok = strtok_r(line, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save))
		push(v, xstrdup(tok));
	free(line);
}

char **vm_argv(const struct vm_arch *a, const struct vm_guest *g)
{
	struct argv v = { 0 };

	if (a->emulator)
		push_qemu(&v, a, g);
	else
		push_uml(&v, a, g);
	push(&v, NULL);
	return v.v;
}

void vm_argv_free(char **argv)
{
	if (!argv)
		return;
	for (char **s = argv; *s; s++)
		free(*s);
	free(argv);
}

char *vm_argv_str(char *const *argv)
{
	struct sb sb;

	sb_init(&sb);
	for (char *const *s = argv; *s; s++) {
		if (s != argv)
			sb_addc(&sb, ' ');
		if (strpbrk(*s, " '\"$\\") || !**s) {
			sb_addc(&sb, '\'');
			for (const char *c = *s; *c; c++) {
				if (*c == '\'')
					sb_adds(&sb, "'\\''");
				else
					sb_addc(&sb, *c);
			}
			sb_addc(&sb, '\'');
		} else {
			sb_adds(&sb, *s);
		}
	}
	return sb_detach(&sb, NULL);
}

char *vm_emulator_version(const char *bin)
{
	const char *base = strrchr(bin, '/');
	char *argv[] = { (char *)bin, "--version", NULL };
	char *line = NULL;
	struct proc p;
	struct sb out;

	if (strncmp(base ? base + 1 : bin, "qemu-system-", 12))
		return NULL;
	sb_init(&out);
	if (proc_run(argv, NULL, 10.0, &out, &p) == 0 && out.len) {
		out.buf[strcspn(out.buf, "\n")] = '\0';
		line = xstrdup(out.buf);
	}
	sb_release(&out);
	return line;
}
