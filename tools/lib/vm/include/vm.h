/* vm.h — how to start a guest of each kind: per-arch facts as data. */
#ifndef LABKIT_VM_H
#define LABKIT_VM_H

#include <stdbool.h>

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
};

const struct vm_arch *vm_arch_find(const char *name);

/* The argv that starts `g` (NULL-terminated; free with vm_argv_free). */
char **vm_argv(const struct vm_arch *a, const struct vm_guest *g);
void vm_argv_free(char **argv);
/* The argv as one shell-quoted line, for transcripts (caller frees). */
char *vm_argv_str(char *const *argv);

/* The first line of `<emulator> --version` for a QEMU binary (what the
 * report shows), or NULL for anything else or when it cannot be run. */
char *vm_emulator_version(const char *bin);

#endif
