// SPDX-License-Identifier: GPL-2.0
/*
 * spin_forever.c — the debug lab's hang: a write to /proc/spin_forever
 * waits in the kernel for a flag that nothing ever sets.
 *
 * The loop neither sleeps nor calls cond_resched() nor looks at signals,
 * so the writer can be neither interrupted (Ctrl-C only marks a signal
 * pending) nor killed, and on Debian's voluntary-preemption kernel it
 * keeps its CPU to itself: the shell that ran the write never comes back.
 * Only a reboot ends it.  After about 20 s the soft-lockup watchdog would
 * report "BUG: soft lockup"; the lab's step deadline is much shorter.
 *
 * Loading it is harmless: the module only makes the /proc file (write
 * only, for root).  labkit builds it out of tree with debug info and loads
 * it only inside a guest, never on the host.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compiler.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/proc_fs.h>
#include <linux/processor.h>
#include <linux/sched.h>

#define SPIN_FOREVER_NAME "spin_forever"

/* What the writer waits for; nothing sets it. */
static bool spin_released;

static ssize_t spin_forever_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	unsigned long spins = 0;

	pr_info("%s (pid %d) starts spinning\n", current->comm,
		task_pid_nr(current));
	while (!READ_ONCE(spin_released)) {
		cpu_relax();
		spins++;
	}
	pr_info("released after %lu spins\n", spins);
	return count;
}

static const struct proc_ops spin_forever_ops = {
	.proc_write = spin_forever_write,
	.proc_lseek = noop_llseek,
};

static int __init spin_forever_init(void)
{
	if (!proc_create(SPIN_FOREVER_NAME, 0200, NULL, &spin_forever_ops))
		return -ENOMEM;
	pr_info("write to /proc/%s to hang the writer\n", SPIN_FOREVER_NAME);
	return 0;
}

static void __exit spin_forever_exit(void)
{
	remove_proc_entry(SPIN_FOREVER_NAME, NULL);
	pr_info("unloaded\n");
}

module_init(spin_forever_init);
module_exit(spin_forever_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("labkit");
MODULE_DESCRIPTION("Hangs whoever writes to /proc/spin_forever");
