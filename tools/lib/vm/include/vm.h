/* vm.h — how to start a guest of each kind: per-arch facts as data. */
#ifndef LABKIT_VM_H
#define LABKIT_VM_H

#include <stdbool.h>

enum vm_boot {
	VM_BOOT_INITRAMFS,
	VM_BOOT_DISK,
};

/* One row per guest kind (kunit.py's QemuArchParams). */
struct vm_arch {
	const char *name;          /* "x86_64", "um" */
	const char *label;         /* ctest label of its guest steps */
	const char *const *images; /* kernel files to boot, best first */
	const char *emulator;      /* "qemu-system-x86_64"; NULL: the kernel runs itself */
	const char *const *args;   /* fixed emulator arguments */
	const char *console;       /* kernel console= value */
	const char *disk_root;     /* root= for a disk boot */
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
	bool unprivileged;         /* run as `nobody` when labkit is root */
	bool host_process;         /* the guest's kernel is a process of the
				      host (UML): a module loaded in it runs
				      as host code, so a student's is never
				      graded in it */
	int mem_mb;
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
	const char *accel;         /* "kvm", "tcg"; NULL for UML */
	const char *append;        /* more kernel arguments, or NULL */
	const char *shell;         /* the pty of the shell's own line (its
				      slave's path; for socket lines, the
				      guest's fd 3), or NULL: the shell
				      shares the kernel's console */
	const char *gdb_socket;    /* the gdb stub's Unix socket, or NULL */
	bool debug;                /* a kernel built to be debugged: booted
				      with the row's gdb_append (nokaslr)
				      even without a stub */
	const char *share;         /* a host directory shared on /mnt/share,
				      or NULL */
	bool share_ro;             /* ... read-only */
};

const struct vm_arch *vm_arch_find(const char *name);

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
