/* vm.h — how to start a guest of each kind: per-arch facts as data. */
#ifndef LABKIT_VM_H
#define LABKIT_VM_H

#include <stdbool.h>
#include <stddef.h>

enum vm_boot {
	VM_BOOT_INITRAMFS,
	VM_BOOT_DISK,
};

/* The accelerator of a guest that has one (QEMU's -accel).  AUTO is none
 * chosen: `labkit run --accel auto` probes KVM, and a vm_guest with it
 * gets no -accel at all. */
enum vm_accel {
	VM_ACCEL_AUTO,
	VM_ACCEL_KVM,
	VM_ACCEL_TCG,
	VM_ACCEL_COUNT,
};

/* "auto", "kvm", "tcg", then NULL: --accel's choices, accel-probe.txt's
 * first line, the fact guest.accel. */
extern const char *const vm_accel_names[VM_ACCEL_COUNT + 1];
const char *vm_accel_name(enum vm_accel a);
/* 0 and *a set, or -1 for a name that is none (no message). */
int vm_accel_parse(const char *name, enum vm_accel *a);

/* One row per guest kind (kunit.py's QemuArchParams). */
struct vm_arch {
	const char *name;          /* "x86_64", "um" */
	const char *label;         /* ctest label of its guest steps */
	const char *const *images; /* kernel files to boot, best first */
	const char *emulator;      /* "qemu-system-x86_64"; NULL: the kernel runs itself */
	const char *const *args;   /* fixed emulator arguments */
	const char *console;       /* kernel console= value */
	const char *disk_root;     /* root= for a disk boot */
	const char *const *root_args; /* attaches root disk %s (QEMU) */
	const char *append;        /* arch-specific kernel arguments */
	const char *shell_tty;     /* the guest's tty of the shell's own line */
	const char *shell_kconfig; /* the kernel option that line needs */
	const char *const *shell_args; /* what attaches that line to a pty:
				      "%s" is its path; the pty is also the
				      guest's fd 3 */
	bool socket_lines;         /* its console and shell lines are socket
				      pairs, not ptys: UML watches a tty
				      line for SIGWINCH with a helper of its
				      own session, which outlives a killed
				      guest; a socket has no window size */
	bool has_accel;            /* -accel kvm|tcg applies */
	bool has_saved;            /* a booted guest can be saved and started
				      again from its state (QEMU's migration
				      to a file), its initramfs boots only */
	bool unprivileged;         /* run as `nobody` when labkit is root */
	bool host_process;         /* the guest's kernel is a process of the
				      host (UML): a module loaded in it runs
				      as host code, so a student's is never
				      graded in it */
	int mem_mb;
	/* The guest's devices beyond its console and shell (QEMU only;
	 * NULL: this guest kind has none of that kind).  In every argument
	 * "%s" stands for the device's file, socket or chardev id. */
	const char *const *lines;  /* the guest's ttys of its extra lines
				      (consoles, serial ports), in order */
	const char *const *line_args;  /* attaches chardev %s as the next */
	const char *const *disk_args;  /* a virtio disk of file %s */
	const char *const *ide_args;   /* an IDE disk of file %s */
	const char *disk_prefix;   /* the guest's names of virtio disks: vd */
	const char *ide_prefix;    /* of IDE disks: sd */
	const char *disk_drivers;  /* kernel modules a virtio disk needs,
				      space-separated (loaded at start-up
				      where the kernel has them as modules) */
	const char *ide_drivers;   /* those an IDE disk needs */
	const char *const *net_args; /* user-mode network; %s: its hostfwd=
				      options (",hostfwd=...", or "") */
	const char *net_drivers;   /* kernel modules its NIC needs */
	const char *const *payload_args; /* the payload disk of file %s, read
				      only, known to the guest by its serial
				      number VM_PAYLOAD_SERIAL */
	const char *keyboard;      /* the guest's PS/2 keyboard ("i8042"), or
				      NULL: keys cannot be pressed */
	const char *packaged;      /* the packaged kernel that boots as this
				      guest kind, as labs.yaml's `from:`
				      names it ("debian-package": Debian's
				      amd64 image; "uml-package": Debian's
				      user-mode-linux), or NULL: none */
	const char *cross_compile; /* CROSS_COMPILE= for modules, kernels and
				      programs of this arch ("" native) */
	const char *kernel_arch;   /* the kernel's ARCH= (x86, arm64, um) */
	const char *deb_arch;      /* the Debian architecture of the guest's
				      user space (its busybox-static package,
				      programs built with cross_compile), or
				      NULL: the host's own, whose busybox
				      and compiler serve it */
	/* The workbench (labkit shell, labkit gdb): */
	const char *const *gdb_args; /* what gives the guest a gdb stub on a
				      Unix socket ("%s": its path); NULL: the
				      guest kind has none */
	const char *gdb;           /* the debugger for its kernel: "gdb" for
				      the host's own arch, gdb-multiarch for
				      another */
	const char *gdb_arg0;      /* where a function finds its first
				      argument on entry ("$rdi") */
	const char *gdb_append;    /* kernel arguments under a debugger
				      (nokaslr: symbols where vmlinux says) */
	const char *const *share_args; /* what shares a host directory with
				      the guest ("%s": its path); NULL: the
				      kernel argument alone does */
	const char *share_ro;      /* appended to the argument holding "%s"
				      to share it read-only */
	const char *share_append;  /* the kernel argument that says how the
				      guest mounts it ("%s": the path), read
				      by the root file system's rcS */
};

struct vm_guest {
	const char *kernel;        /* image to boot: vmlinux/bzImage/linux.uml */
	const char *initrd;        /* VM_BOOT_INITRAMFS */
	const char *disk;          /* VM_BOOT_DISK; never written: writes go to */
	const char *cow;           /* this copy-on-write file (UML), or to a
				      temporary snapshot (QEMU) */
	enum vm_boot boot;
	enum vm_accel accel;       /* KVM, TCG; AUTO: no -accel (UML) */
	const char *append;        /* more kernel arguments, or NULL */
	const char *shell;         /* the pty of the shell's own line (its
				      slave's path; for socket lines, the
				      guest's fd 3), or NULL: the shell
				      shares the kernel's console */
	size_t nlines;
	const char *const *lines;  /* QEMU chardev backends of the extra lines
				      ("tty,path=/dev/pts/4", "socket,..."),
				      in the order of the arch's `lines` */
	const char *consoles;      /* those of them with a login, as the
				      guest's ttys ("ttyS2,ttyS3"), or NULL */
	size_t ndisks;
	const char *const *disks;  /* extra disk images, attached in order */
	const bool *disk_ide;      /* each: IDE (true) or virtio */
	bool net_user;             /* QEMU's user-mode network */
	const char *hostfwd;       /* its ",hostfwd=..." options, or NULL */
	const char *monitor;       /* a unix socket for QEMU's monitor, or
				      NULL */
	/* A guest that is saved or started from a saved state (has_saved):
	 * the same devices both times, with what differs on the payload
	 * disk, which the saved guest never read. */
	const char *qmp;           /* a unix socket for QMP, or NULL */
	const char *payload;       /* the payload disk's image, or NULL */
	const char *incoming;      /* start from the state this migration
				      URI reads (QEMU's -incoming), or NULL */
	const char *gdb_socket;    /* the gdb stub's Unix socket, or NULL */
	bool debug;                /* a kernel built to be debugged: booted
				      with the row's gdb_append (nokaslr)
				      even without a stub */
	const char *share;         /* a host directory shared on /mnt/share,
				      or NULL */
	bool share_ro;             /* ... read-only */
};

/* The serial number the guest finds its payload disk by. */
#define VM_PAYLOAD_SERIAL "labkit-payload"

const struct vm_arch *vm_arch_find(const char *name);
/* The i-th row, from 0, or NULL past the last: every arch there is (what
 * labs.yaml's `arch:` may name). */
const struct vm_arch *vm_arch_at(size_t i);
/* How many extra lines (consoles and serial ports) guests of `a` get. */
size_t vm_arch_nlines(const struct vm_arch *a);

/* Why `g` cannot be started as asked (a gdb stub or a share this guest
 * kind has not, a path its command line cannot carry), or NULL. */
const char *vm_guest_unsupported(const struct vm_arch *a,
				 const struct vm_guest *g);

/* The argv that starts `g` (NULL-terminated; free with vm_argv_free). */
char **vm_argv(const struct vm_arch *a, const struct vm_guest *g);
void vm_argv_free(char **argv);
/* The argv as one shell-quoted line, for transcripts (caller frees). */
char *vm_argv_str(char *const *argv);

/* The first line of `<emulator> --version` for a QEMU binary (what the
 * report shows), or NULL for anything else or when it cannot be run. */
char *vm_emulator_version(const char *bin);

#endif
