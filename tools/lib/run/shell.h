/* shell.h — `labkit shell`: a person on the guest's shell line.  Private
 * to the run stage (run.c calls it). */
#ifndef LABKIT_SHELL_H
#define LABKIT_SHELL_H

#include "expand.h"
#include "guest.h"
#include "run.h"

/* Where the guest mounts the host's shared directory. */
#define SHELL_SHARE_MOUNT "/mnt/share"

/* Is the host's directory mounted on SHELL_SHARE_MOUNT in the guest?
 * Asked on its shell line.  1, 0, or -1 (the line failed). */
int shell_share_mounted(struct guest *g);

/*
 * The person's terminal joined to the logged-in guest `g` (bridge.c)
 * until they leave (Ctrl-] q), power it off, the guest dies, the
 * terminal closes or labkit gets a signal; says how to leave first, and
 * how it ended after.  Records workbench.end in `facts`.  Returns
 * EXIT_OK when the person left or powered the guest off, else
 * EXIT_CHECK_FAILED (the reason said).  The guest is left as it is.
 */
int shell_session(struct guest *g, const struct run_workbench *wb,
		  const char *lab, const char *exercise,
		  struct expand_vars *facts);

#endif
