/* kbuild_tty.h — run a program on a terminal and answer it (menuconfig). */
#ifndef LABKIT_KBUILD_TTY_H
#define LABKIT_KBUILD_TTY_H

#include <stddef.h>

#include "expand.h"
#include "results.h"
#include "spec.h"

/*
 * Runs `cmd` (/bin/sh -c) in `cwd` on a pty of `cols` x `rows` with `env`,
 * and for each input waits until its pattern shows on the screen, then
 * types its keys (${} expanded).  Then waits for the program to end.
 * Fills rs (output: the screen text, escapes removed; exit status;
 * times).  Returns the exit status, -2 on timeout (the program's group is
 * killed; the output ends with the screen it was stuck on), -1 on error.
 */
int kbuild_tty_run(const char *cmd, const char *cwd, char *const *env,
		   const struct spec_input *in, size_t nin,
		   const struct expand_vars *vars, double timeout,
		   struct results_step *rs);

#endif
