// SPDX-License-Identifier: GPL-2.0
/*
 * oops_null.c — the debug lab's Oops: the init function counts its load
 * in a structure reached through a pointer that nothing ever set, so it
 * writes through NULL.
 *
 * The page fault at address 0 in kernel mode is an Oops ("BUG: kernel
 * NULL pointer dereference"): the kernel prints the registers and the
 * call trace, marks itself tainted (D) and kills the task that faulted —
 * insmod, with SIGKILL — while the rest of the system goes on.  The module
 * stays half loaded ("Loading" in /proc/modules) and cannot be removed
 * until the guest reboots.  With panic_on_oops=1 the same Oops is a panic.
 *
 * labkit builds it out of tree with debug info and loads it only inside a
 * guest, never on the host.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compiler.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

struct oops_null_stats {
	unsigned long loads;
};

/* Should point at the statistics; never set, so it stays NULL. */
static struct oops_null_stats *stats;

static int __init oops_null_init(void)
{
	/* READ_ONCE: the compiler must load the pointer, not assume it. */
	struct oops_null_stats *s = READ_ONCE(stats);

	pr_info("counting this load in the statistics\n");
	s->loads++;                     /* the Oops: s is NULL */
	pr_info("loaded %lu times\n", s->loads);
	return 0;
}

static void __exit oops_null_exit(void)
{
	pr_info("unloaded\n");
}

module_init(oops_null_init);
module_exit(oops_null_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("labkit");
MODULE_DESCRIPTION("Oopses on load: a write through a NULL pointer");
