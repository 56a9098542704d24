/* tty.h — run a program on a terminal and answer it, as a person would
 * (the lab's `make menuconfig`). */
#ifndef LABKIT_TTY_H
#define LABKIT_TTY_H

#include <stddef.h>

#include "results.h"

/* One exchange: wait until `wait` (a PCRE2 pattern) shows, type `send`. */
struct tty_input {
	const char *wait;
	const char *send;
};

/*
 * Runs `cmd` (/bin/sh -c) in `cwd` on a pty of 100 x 32 with `env`, and
 * for each input waits until its pattern shows on the screen, then types
 * its keys.  Then waits for the program to end.  Fills rs (output: the
 * screen text, escapes removed; exit status; times; status).  Returns the
 * exit status, -2 on timeout (the program's group is killed; the output
 * ends with the screen it was stuck on), -1 on error (with a message).
 */
int tty_run(const char *cmd, const char *cwd, char *const *env,
	    const struct tty_input *in, size_t nin, double timeout,
	    struct results_step *rs);

#endif
