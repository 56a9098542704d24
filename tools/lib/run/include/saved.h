/* saved.h — a saved, booted guest: its key and stamp, the payload a
 * restored one gets (saved.c). */
#ifndef LABKIT_SAVED_H
#define LABKIT_SAVED_H

#include <stdbool.h>
#include <stddef.h>

#include "vm.h"

/* The size of the payload disk a saved guest has (a sparse file). */
#define SAVED_DISK (64 * 1024 * 1024)

/* What a saved guest of `g` (booted from g->initrd, its base) is made
 * from, as text: labkit, the emulator's version, the kernel, the base's
 * hash, the command line with each run's own paths left out (caller
 * frees). */
char *saved_key(const struct vm_arch *a, const struct vm_guest *g);

/* <dir>/<name> (caller frees). */
char *saved_path(const char *dir, const char *name);

/*
 * QEMU's migration URI that writes the state of a guest saved into `dir`
 * (`save`), or reads it back: through zstd when it is installed.  NULL
 * when there is none to read, or `dir` holds a quote (caller frees).
 */
char *saved_state_uri(const char *dir, bool save);

/* The directory of the guest saved in `dir` from `key` (caller frees),
 * or NULL with *why saying why there is none. */
struct reason;
char *saved_find(const char *dir, const char *key, struct reason *why);

/* A new, empty directory in `dir` to save a guest into (caller frees),
 * or NULL with a message. */
char *saved_begin(const char *dir);

/* The guest saved into `tmp` (saved_begin) is the one of `key` from now
 * on: its key written, `tmp` renamed into place, the stale ones removed.
 * 0, or -1 with a message (`tmp` removed). */
int saved_commit(const char *dir, const char *key, const char *tmp);

/* A payload disk with nothing on it, at `path`.  0 or -1. */
int saved_empty_disk(const char *path);

/*
 * The payload disk at `path`: the cpio archives `cpios` one after the
 * other, each at a 64 KiB boundary; *command (caller frees) is the
 * guest's shell command that finds the disk and unpacks them over /, in
 * order.  0, or -1 with a message (a file not read, more than the disk
 * holds).
 */
int saved_payload(const char *path, const char *const *cpios, size_t n,
		  char **command);

#endif
