// SPDX-License-Identifier: GPL-2.0
/*
 * atomic_sleep.c — the deferred lab's bug: sleeping where the kernel may
 * not.  The init function takes a spinlock (preemption off: atomic
 * context) and, inside it, calls msleep(), which schedules.  The kernel
 * catches it: "BUG: scheduling while atomic", with a call trace whose
 * frame in this module is the msleep() call's return address; labkit
 * decodes it to the msleep() line.  The guest goes on: the sleep is
 * done, the lock released, the module loaded.  The fix is to sleep
 * outside the lock, or not to sleep (mdelay() busy-waits).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/module.h>
#include <linux/spinlock.h>

static DEFINE_SPINLOCK(atomic_sleep_lock);
static unsigned long atomic_sleep_count;

static int __init atomic_sleep_init(void)
{
	spin_lock(&atomic_sleep_lock);
	atomic_sleep_count++;
	msleep(10);                       /* the bug: asleep under a spinlock */
	spin_unlock(&atomic_sleep_lock);
	pr_info("slept under a spinlock %lu time(s)\n", atomic_sleep_count);
	return 0;
}

static void __exit atomic_sleep_exit(void)
{
	pr_info("goodbye\n");
}

module_init(atomic_sleep_init);
module_exit(atomic_sleep_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("labkit");
MODULE_DESCRIPTION("Sleeping in atomic context: a bug the kernel reports");
