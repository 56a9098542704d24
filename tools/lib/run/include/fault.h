/* fault.h — a fault of the guest's kernel as a step's result, decoded to
 * the source line of a module labkit built. */
#ifndef LABKIT_FAULT_H
#define LABKIT_FAULT_H

#include <stddef.h>

#include "console.h"
#include "results.h"

/*
 * The most severe fault the kernel's console `k` reported between bytes
 * `from` and `to` of its text, into `f` (left FAULT_NONE when there is
 * none): its first line (the printk time stripped) and its trace, up to
 * the kernel's "---[ end trace" line.
 */
void fault_find(const struct console *k, size_t from, size_t to,
		struct results_fault *f);

/*
 * When the fault's trace names a function of one of `modules` ("<id>=
 * <path of its .ko>"), as `RIP: 0010:f+0x1c/0x30 [id]` or a call trace
 * line `f+0x1c/0x30 [id]`, sets f->where ("f.c:8") and f->source (that
 * line with three around it) from the module's debug information, with
 * binutils' objdump and addr2line.  A call-trace frame is a return
 * address: the call is the instruction before it, so its line is looked
 * up one byte back (as the kernel's decode_stacktrace.sh does); the
 * faulting RIP is looked up as it is.  Leaves them NULL when it cannot.
 */
void fault_decode(struct results_fault *f, const char *const *modules,
		  size_t nmodules);

#endif
