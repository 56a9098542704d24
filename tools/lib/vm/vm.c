/*
 * vm.c — the guest kinds labkit boots, as rows of one table, and the
 * command line that starts each.  Adding an architecture is adding a row;
 * no other file says "if x86_64".
 *
 * Never starts anything itself (proc.c does); fails only on allocation.
 */
#include "vm.h"
#include "proc.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static const char *const qemu_x86_64_args[] = {
	"-M", "pc", "-nodefaults", "-no-user-config", "-display", "none",
	"-serial", "stdio", "-no-reboot", NULL,
};

static const char *const qemu_arm64_args[] = {
	"-M", "virt", "-cpu", "cortex-a57", "-accel", "tcg", "-nodefaults",
	"-no-user-config", "-display", "none", "-serial", "stdio",
	"-no-reboot", NULL,
};

static const char *const uml_args[] = { NULL };

/* The root disk of a disk boot; its writes go to a temporary snapshot
 * (that drive's only: an extra disk keeps what the guest wrote, for the
 * host to read after the run). */
static const char *const qemu_x86_64_root[] = {
	"-drive", "file=%s,format=raw,if=ide,index=0,media=disk,snapshot=on",
	NULL,
};
static const char *const qemu_virtio_root[] = {
	"-drive", "file=%s,format=raw,if=virtio,snapshot=on", NULL,
};

/* Extra lines: x86_64's third and fourth ISA serial ports (the kernel's
 * 8250 driver has four at run time); arm64's virtio consoles after the
 * shell's. */
static const char *const x86_64_lines[] = { "ttyS2", "ttyS3", NULL };
static const char *const x86_64_line_args[] = { "-serial", "chardev:%s", NULL };
static const char *const arm64_lines[] = { "hvc1", "hvc2", "hvc3", NULL };
static const char *const arm64_line_args[] = {
	"-device", "virtconsole,chardev=%s", NULL,
};
static const char *const virtio_disk_args[] = {
	"-drive", "file=%s,format=raw,if=virtio", NULL,
};
static const char *const payload_disk_args[] = {
	"-drive", "file=%s,if=none,id=lkpayload,format=raw,readonly=on",
	"-device", "virtio-blk-pci,drive=lkpayload,serial=" VM_PAYLOAD_SERIAL,
	NULL,
};
static const char *const ide_disk_args[] = {
	"-drive", "file=%s,format=raw,if=ide,media=disk", NULL,
};
/* QEMU's user-mode network (slirp: no root, the host is 10.0.2.2). */
static const char *const user_net_args[] = {
	"-netdev", "user,id=net0%s", "-device", "virtio-net-pci,netdev=net0",
	NULL,
};

/* The shell's own line: QEMU's second serial port on the pty; UML's
 * serial line 0 on fd 3 (it may run as `nobody`, who cannot open the pty
 * by its path). */
static const char *const qemu_shell_args[] = { "-serial", "%s", NULL };
static const char *const uml_shell_args[] = { "ssl=null", "ssl0=fd:3", NULL };
/* arm64's virt machine has one UART: the shell's line is a virtio
 * console, hvc0, on the pty through QEMU's `serial` chardev (its old
 * alias `tty` draws a deprecation warning). */
static const char *const arm64_shell_args[] = {
	"-device", "virtio-serial-pci", "-chardev", "serial,id=shell,path=%s",
	"-device", "virtconsole,chardev=shell", NULL,
};

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
static const char *const qemu_arm64_images[] = {
	"arch/arm64/boot/Image", "Image", "vmlinuz", NULL,
};

static const struct vm_arch arches[] = {
	{
		.name = "x86_64",
		.label = "qemu",
		.images = qemu_x86_64_images,
		.emulator = "qemu-system-x86_64",
		.args = qemu_x86_64_args,
		.console = "ttyS0",
		.disk_root = "/dev/sda",
		.root_args = qemu_x86_64_root,
		.append = "panic=-1 quiet",
		.shell_tty = "ttyS1",
		.shell_kconfig = "CONFIG_SERIAL_8250",
		.shell_args = qemu_shell_args,
		.has_accel = true,
		.has_saved = true,
		.payload_args = payload_disk_args,
		.mem_mb = 256,
		.lines = x86_64_lines,
		.line_args = x86_64_line_args,
		.disk_args = virtio_disk_args,
		.ide_args = ide_disk_args,
		.disk_prefix = "vd",
		.ide_prefix = "sd",
		.disk_drivers = "virtio_pci virtio_blk",
		.ide_drivers = "ata_piix sd_mod",
		.net_args = user_net_args,
		.net_drivers = "virtio_pci virtio_net",
		.keyboard = "i8042",
		.packaged = "debian-package",
		.cross_compile = "",
		.kernel_arch = "x86",
		.gdb_args = qemu_gdb_args,
		.gdb = "gdb",
		.gdb_arg0 = "$rdi",
		.gdb_append = "nokaslr",
		.share_args = qemu_share_args,
		.share_ro = ",readonly=on",
		.share_append = "labkit.share=9p",
	},
	{
		/* TCG only: no host labkit runs on is an arm64 KVM host
		 * for it, and a failed KVM probe would be cached for the
		 * x86_64 guests of the same tree. */
		.name = "arm64",
		.label = "qemu",
		.images = qemu_arm64_images,
		.emulator = "qemu-system-aarch64",
		.args = qemu_arm64_args,
		.console = "ttyAMA0",
		.disk_root = "/dev/vda",
		.root_args = qemu_virtio_root,
		.append = "panic=-1 quiet",
		.shell_tty = "hvc0",
		.shell_kconfig = "CONFIG_VIRTIO_CONSOLE",
		.shell_args = arm64_shell_args,
		.has_accel = false,
		.mem_mb = 256,
		.lines = arm64_lines,
		.line_args = arm64_line_args,
		.disk_args = virtio_disk_args,
		.disk_prefix = "vd",
		.disk_drivers = "virtio_pci virtio_blk",
		.net_args = user_net_args,
		.net_drivers = "virtio_pci virtio_net",
		.cross_compile = "aarch64-linux-gnu-",
		.kernel_arch = "arm64",
		.deb_arch = "arm64",
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
		.packaged = "uml-package",
		.cross_compile = "",
		.kernel_arch = "um",
		/* UML is debugged as the host process it is (gdb -p), not
		 * through a stub: no gdb here.  Its hostfs mounts the host's
		 * directory by its path. */
		.share_append = "labkit.share=hostfs:%s",
	},
};

const struct vm_arch *vm_arch_at(size_t i)
{
	return i < sizeof(arches) / sizeof(arches[0]) ? &arches[i] : NULL;
}

size_t vm_arch_nlines(const struct vm_arch *a)
{
	size_t n = 0;

	while (a->lines && a->lines[n])
		n++;
	return n;
}

const char *const vm_accel_names[VM_ACCEL_COUNT + 1] = {
	[VM_ACCEL_AUTO] = "auto",
	[VM_ACCEL_KVM] = "kvm",
	[VM_ACCEL_TCG] = "tcg",
	[VM_ACCEL_COUNT] = NULL,
};

TEXT_NAMES(vm_accel, enum vm_accel, vm_accel_names, VM_ACCEL_COUNT)

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
	if (g->consoles)
		sb_addf(&sb, " labkit.consoles=%s", g->consoles);
	if (g->net_user)    /* the guest takes QEMU's user-mode addresses */
		sb_adds(&sb, " labkit.net=user");
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

/* `tmpl` with each "%s" replaced by `val`. */
static char *subst(const char *tmpl, const char *val)
{
	struct sb sb;
	const char *p;

	sb_init(&sb);
	while ((p = strstr(tmpl, "%s"))) {
		sb_add(&sb, tmpl, (size_t)(p - tmpl));
		sb_adds(&sb, val);
		tmpl = p + 2;
	}
	sb_adds(&sb, tmpl);
	return sb_detach(&sb, NULL);
}

/* Each of `tmpl`'s arguments, "%s" being `val`. */
static void push_each(struct argv *v, const char *const *tmpl,
		      const char *val)
{
	for (const char *const *s = tmpl; s && *s; s++)
		push(v, subst(*s, val));
}

/* The arguments that attach the shell's line, if it has one of its own. */
static void push_shell(struct argv *v, const struct vm_arch *a,
		       const struct vm_guest *g)
{
	if (g->shell)
		push_each(v, a->shell_args, g->shell);
}

/* The extra lines (chardevs line0, line1 ...), disks, the network and
 * the monitor. */
static void push_devices(struct argv *v, const struct vm_arch *a,
			 const struct vm_guest *g)
{
	for (size_t i = 0; i < g->nlines; i++) {
		char *id = xasprintf("line%zu", i);

		push(v, xstrdup("-chardev"));
		push(v, xasprintf("%s,id=%s", g->lines[i], id));
		push_each(v, a->line_args, id);
		free(id);
	}
	for (size_t i = 0; i < g->ndisks; i++)
		push_each(v, g->disk_ide && g->disk_ide[i] ? a->ide_args :
			  a->disk_args, g->disks[i]);
	if (g->net_user)
		push_each(v, a->net_args, g->hostfwd ? g->hostfwd : "");
	if (g->monitor) {
		push(v, xstrdup("-monitor"));
		push(v, xasprintf("unix:%s,server=on,wait=off", g->monitor));
	}
	if (g->payload)
		push_each(v, a->payload_args, g->payload);
	if (g->qmp) {
		push(v, xstrdup("-qmp"));
		push(v, xasprintf("unix:%s,server=on,wait=off", g->qmp));
	}
	if (g->incoming) {
		push(v, xstrdup("-incoming"));
		push(v, xstrdup(g->incoming));
	}
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
	if (a->has_accel && g->accel != VM_ACCEL_AUTO) {
		push(v, xstrdup("-accel"));
		push(v, xstrdup(vm_accel_name(g->accel)));
	}
	push(v, xstrdup("-m"));
	push(v, xasprintf("%d", a->mem_mb));
	push(v, xstrdup("-kernel"));
	push(v, xstrdup(g->kernel));
	if (g->boot == VM_BOOT_INITRAMFS) {
		push(v, xstrdup("-initrd"));
		push(v, xstrdup(g->initrd));
	} else {
		push_each(v, a->root_args, g->disk);
	}
	push_devices(v, a, g);
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
	/* asked once a process (a run asks for its key and for its facts):
	 * QEMU takes a tenth of a second to say it */
	static char *asked, *said;
	const char *base = strrchr(bin, '/');
	char *argv[] = { (char *)bin, "--version", NULL };
	struct proc p;
	struct sb out;

	if (strncmp(base ? base + 1 : bin, "qemu-system-", 12))
		return NULL;
	if (asked && !strcmp(asked, bin))
		return said ? xstrdup(said) : NULL;
	free(asked);
	free(said);
	asked = xstrdup(bin);
	said = NULL;
	sb_init(&out);
	if (proc_run(argv, NULL, 10.0, &out, &p) == 0 && out.len) {
		out.buf[strcspn(out.buf, "\n")] = '\0';
		said = xstrdup(out.buf);
	}
	sb_release(&out);
	return said ? xstrdup(said) : NULL;
}
