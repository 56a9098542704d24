/* gdb.h — `labkit gdb`: gdb on the kernel of an exercise's guest.
 * Private to the run stage (run.c calls it). */
#ifndef LABKIT_GDB_H
#define LABKIT_GDB_H

struct run;

/*
 * Where the guest's gdb stub listens: a Unix socket in a directory of
 * the session's own (made now, removed by gdb_release()), or NULL with a
 * message.  The path is the run's (r->gdb_dir holds it).
 */
const char *gdb_prepare(struct run *r);

/*
 * gdb on the logged-in guest of `r`: the kernel's symbols (its debug
 * information where there is some), the exercise's modules' symbols
 * where the guest put them (those loaded now, and each loaded later,
 * from a breakpoint on do_init_module), the person's scripts; the
 * guest's shell line and kernel shown on the terminal meanwhile, and
 * `guest <command>` in gdb typing a command on that line.  Returns
 * gdb's exit status, or EXIT_CHECK_FAILED when it could not run or was
 * stopped by a signal to labkit (gdb is killed then).  Records
 * workbench.end and gdb.* facts.
 */
int gdb_session(struct run *r);

/* Removes the session's directory. */
void gdb_release(struct run *r);

#endif
