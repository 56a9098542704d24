/* guest.h — one guest machine: booted on a pty in its own session,
 * logged into, powered off, and proven gone. */
#ifndef LABKIT_GUEST_H
#define LABKIT_GUEST_H

#include <stdbool.h>

#include "console.h"
#include "expand.h"
#include "proc.h"
#include "vm.h"

/* How the root file system's console is used: rootfs.yaml, which the
 * rootfs build writes beside the images it makes (cmake/rootfs.cmake). */
struct guest_rootfs {
	struct console_login login;
	char *poweroff;          /* the command that powers the guest off */
	char *buf[5];            /* what the fields point into */
};

/* Reads <dir>/rootfs.yaml.  0, or -1 with a "file:line:col:" message. */
int guest_rootfs_load(struct guest_rootfs *rf, const char *dir);
void guest_rootfs_free(struct guest_rootfs *rf);

struct guest_opts {
	const struct vm_arch *arch;
	struct vm_guest vm;      /* kernel, initrd or disk, extra arguments */
	const struct guest_rootfs *rootfs;
	const char *accel;       /* auto | kvm | tcg (QEMU) */
	const char *accel_cache; /* where `auto` keeps its verdict, or NULL */
	double probe_timeout;    /* seconds KVM gets to reach login: */
	double timeout;          /* seconds to reach a shell */
	const char *out_dir;     /* guest.pid and the copy-on-write file */
	int transcript;          /* every byte of the shell's line goes here */
	int kernel_log;          /* every byte of the kernel's console goes
				    here, when the shell has a line of its own */
	const char *lab, *exercise; /* for progress */
};

struct guest {
	struct console con;      /* the shell's line */
	struct console klog;     /* the kernel's console, when the guest kind
				    gives the shell a line of its own (its fd
				    is -1 otherwise: the kernel shares con) */
	struct proc proc;        /* the guest's process group */
	bool up;
	char *cow;               /* the guest's writes to its disk, per boot */
	char *home;              /* the unprivileged guest's home, or NULL */
	const struct guest_opts *o;
	struct expand_vars *facts; /* what the boot found out goes here */
};

/*
 * Boots the guest and logs in; with accel `auto`, KVM is believed only
 * when a guest booted with it reaches `login:` within the probe deadline
 * (the verdict is cached).  Records guest.command, guest.emulator,
 * guest.user, guest.accel, guest.accel_reason and boot.seconds in
 * `facts`.  CONSOLE_OK, or why the shell was not reached.
 */
enum console_status guest_boot(struct guest *g, const struct guest_opts *o,
			       struct expand_vars *facts);

/* Types `cmd`, which ends the shell (`exit`), and logs in again. */
enum console_status guest_relogin(struct guest *g, const char *cmd,
				  double deadline);

/*
 * Types `cmd`, which ends the guest (`poweroff`, `halt`), and waits for it
 * to exit: CONSOLE_OK with its exit status in *status, or why not.
 */
enum console_status guest_end(struct guest *g, const char *cmd,
			      double deadline, int *status);

/*
 * Powers the guest off when `clean` (the rootfs's command; it must exit
 * by the deadline), else kills it; then kills its whole process group
 * and counts what is left.  Records guest.poweroff and guest.leftover.
 * Returns 0, or -1 when the guest did not power off in time (a timeout)
 * and -2 when processes of its group survived the kill.
 */
int guest_power_off(struct guest *g, bool clean, double deadline);

/* Kills the group (if up), closes the console, removes the guest's files. */
void guest_release(struct guest *g);

#endif
