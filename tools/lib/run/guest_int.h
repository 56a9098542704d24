/*
 * guest_int.h — what guest.c (booting, logging in, powering off) and
 * restore.c (a guest started from a saved one, and the saving) share:
 * starting and stopping the emulator, and starting over.
 */
#ifndef LABKIT_GUEST_INT_H
#define LABKIT_GUEST_INT_H

#include "guest.h"

/* Starts the emulator of `vg` on fresh lines, in its own session. */
int guest_start(struct guest *g, struct vm_guest *vg);
/* Kills the guest's process group (SIGTERM, `grace`, SIGKILL). */
void guest_stop(struct guest *g, double grace);
/* Stops the guest, closes its consoles and empties its transcripts: a
 * boot starts over. */
void guest_reset(struct guest *g);

/* The accelerator a boot with the options will use, when known without
 * booting (chosen, or cached), or VM_ACCEL_AUTO. */
enum vm_accel guest_accel_known(const struct guest_opts *o);

/* restore.c: the guest started from the one saved in o->saved_dir, given
 * its payload, with a fresh shell.  CONSOLE_OK, or why not (guest.start
 * says so; the caller boots cold after guest_reset()). */
enum console_status guest_restore(struct guest *g, enum vm_accel accel,
				  double timeout);
/* A guest to be saved: `vg` boots the base, with the payload disk (empty)
 * and the QMP socket that a restored one has; g->saved_key is what it is
 * made from.  0, or -1 with a message. */
int guest_saved_devices(struct guest *g, struct vm_guest *vg);

#endif
