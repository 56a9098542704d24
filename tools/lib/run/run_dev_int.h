/*
 * run_dev_int.h — what devices.c (the guest's disks, network, serial
 * ports, extra consoles and monitor, made for one run) and background.c
 * (steps on those consoles, in the background, and keys) share.
 */
#ifndef LABKIT_RUN_DEV_INT_H
#define LABKIT_RUN_DEV_INT_H

#include "run_int.h"

/* A step started in the background, not yet collected. */
struct run_bg {
	const struct spec_step *st;
	size_t index;            /* its result: r->res.steps[index] */
	struct console *con;     /* the console it runs on */
	size_t seq;              /* its command's number there */
	size_t kernel_from;      /* where the kernel's text stood at its start */
	double t0;
	bool done;
};

struct run_devices {
	char *dir;               /* /tmp/labkit-run-XXXXXX: the sockets (a
				    unix socket's path is short) */
	size_t nlines;
	char **lines;            /* QEMU chardev backends, in tty order */
	char *consoles;          /* the extra consoles' ttys, "ttyS2,..." */
	size_t ncons;
	struct console *con;     /* the extra consoles, as the guest's
				    `consoles` (spec order) */
	int *slave;              /* their pty slaves, kept open while the
				    guest runs (a pty nobody holds reads EIO) */
	int *transcript;         /* transcript-<console>.log each */
	size_t ndisks;
	char **disks;            /* the images, <out>/disk-<name>.img */
	bool *ide;
	char *hostfwd;           /* ",hostfwd=tcp:127.0.0.1:<port>-:<port>..." */
	char *monitor;           /* QEMU's monitor socket, when a step presses
				    keys */
	size_t nbg;
	struct run_bg *bg;       /* background steps, in the order started */
};

/* The console named `name` ("1" or NULL: the shell's own line). */
struct console *run_dev_console(struct run *r, const char *name);

#endif
