// SPDX-License-Identifier: GPL-2.0
/*
 * warn_once.c — the debug lab's warning: a check that "cannot fail"
 * (WARN_ON_ONCE) fails, and the module loads anyway.
 *
 * The init function divides 1000 by the parameter `divisor` three times.
 * A zero divisor trips WARN_ON_ONCE each time: the macro returns the
 * condition every time, but prints the WARNING (the file and line, the
 * registers, the call trace) only the first time, and taints the kernel
 * (W).  The module skips the division, loads and unloads normally.  The
 * "once" is a flag in the module's own data, so a new load warns again.
 *
 * labkit builds it out of tree with debug info and loads it only inside a
 * guest, never on the host.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>

#define WARN_ONCE_ROUNDS 3

static int divisor;
module_param(divisor, int, 0444);
MODULE_PARM_DESC(divisor, "what 1000 is divided by; 0 (the default) trips the WARN_ON_ONCE");

static int __init warn_once_init(void)
{
	int i, tripped = 0, result = 0;

	for (i = 0; i < WARN_ONCE_ROUNDS; i++) {
		/* "Never zero", thought the author; if it is, say so and go on. */
		if (WARN_ON_ONCE(divisor == 0)) {
			tripped++;
			continue;
		}
		result += 1000 / divisor;
	}
	pr_info("divisor=%d: the check tripped %d times, result %d\n", divisor,
		tripped, result);
	return 0;
}

static void __exit warn_once_exit(void)
{
	pr_info("unloaded\n");
}

module_init(warn_once_init);
module_exit(warn_once_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("labkit");
MODULE_DESCRIPTION("Warns once on load (WARN_ON_ONCE) and loads anyway");
