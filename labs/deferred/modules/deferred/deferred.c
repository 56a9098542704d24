// SPDX-License-Identifier: GPL-2.0
/*
 * deferred.c — the deferred-work lab's module: three ways to run code
 * later, each started by an ioctl on the misc device /dev/deferred
 * (deferred_ioctl.h) and each counted in /proc/deferred:
 *
 *   DEFERRED_IOC_TIMER    a timer (timer_setup, mod_timer) that fires
 *                         after the delay, in softirq context
 *   DEFERRED_IOC_WORK     delayed work on the system workqueue
 *                         (schedule_delayed_work): process context, a
 *                         kworker, may sleep
 *   DEFERRED_IOC_KTHREAD  a kernel thread (kthread_run) that ticks every
 *                         100 ms, then waits to be stopped
 *
 * Each prints one line when its code runs; the counters in /proc/deferred
 * are what the code did, read back, not what it printed.  The exit
 * function cancels what is pending (del_timer_sync,
 * cancel_delayed_work_sync, kthread_stop) before it goes.  labkit builds
 * it out of tree and loads it only inside a guest.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/timer.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "deferred_ioctl.h"

#define DEFERRED_MAX_MS 10000
#define DEFERRED_MAX_TICKS 50

static struct timer_list deferred_timer;
static unsigned long timer_armed;      /* jiffies when armed */
static struct delayed_work deferred_work;
static unsigned long work_queued;      /* jiffies when queued */
static struct task_struct *deferred_thread;
static DEFINE_MUTEX(thread_lock);      /* deferred_thread */
static atomic_t timer_fires = ATOMIC_INIT(0);
static atomic_t work_runs = ATOMIC_INIT(0);
static atomic_t kthread_ticks = ATOMIC_INIT(0);

static void deferred_timer_fn(struct timer_list *t)
{
	atomic_inc(&timer_fires);
	pr_info("timer fired after %u ms in %s context\n",
		jiffies_to_msecs(jiffies - READ_ONCE(timer_armed)),
		in_softirq() ? "softirq" : "process");
}

static void deferred_work_fn(struct work_struct *w)
{
	atomic_inc(&work_runs);
	pr_info("work ran in process context after %u ms (%s)\n",
		jiffies_to_msecs(jiffies - READ_ONCE(work_queued)),
		current->comm);
}

static int deferred_thread_fn(void *data)
{
	unsigned int ticks = (unsigned int)(unsigned long)data, i;

	for (i = 1; i <= ticks && !kthread_should_stop(); i++) {
		msleep_interruptible(100);
		atomic_inc(&kthread_ticks);
		pr_info("kthread %s tick %u/%u\n", current->comm, i, ticks);
	}
	pr_info("kthread done after %u ticks\n", i - 1);
	/* kthread_stop() reaps it: wait for it, asleep. */
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

static long deferred_start_thread(u32 ticks)
{
	struct task_struct *t;
	long ret = 0;

	mutex_lock(&thread_lock);
	if (deferred_thread) {
		ret = -EBUSY;
		goto out;
	}
	t = kthread_run(deferred_thread_fn, (void *)(unsigned long)ticks,
			"deferred_kt");
	if (IS_ERR(t))
		ret = PTR_ERR(t);
	else
		deferred_thread = t;
out:
	mutex_unlock(&thread_lock);
	return ret;
}

static long deferred_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	u32 n;

	if (get_user(n, (u32 __user *)arg))
		return -EFAULT;
	switch (cmd) {
	case DEFERRED_IOC_TIMER:
		if (n > DEFERRED_MAX_MS)
			return -EINVAL;
		WRITE_ONCE(timer_armed, jiffies);
		mod_timer(&deferred_timer, jiffies + msecs_to_jiffies(n));
		return 0;
	case DEFERRED_IOC_WORK:
		if (n > DEFERRED_MAX_MS)
			return -EINVAL;
		WRITE_ONCE(work_queued, jiffies);
		schedule_delayed_work(&deferred_work, msecs_to_jiffies(n));
		return 0;
	case DEFERRED_IOC_KTHREAD:
		if (n < 1 || n > DEFERRED_MAX_TICKS)
			return -EINVAL;
		return deferred_start_thread(n);
	}
	return -ENOTTY;
}

static const struct file_operations deferred_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = deferred_ioctl,
};

static struct miscdevice deferred_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "deferred",
	.fops = &deferred_fops,
	.mode = 0666,
};

static int deferred_show(struct seq_file *m, void *v)
{
	seq_printf(m, "timer_fires: %d\n", atomic_read(&timer_fires));
	seq_printf(m, "work_runs: %d\n", atomic_read(&work_runs));
	seq_printf(m, "kthread_ticks: %d\n", atomic_read(&kthread_ticks));
	mutex_lock(&thread_lock);
	seq_printf(m, "kthread: %s\n", deferred_thread ? "started" : "none");
	mutex_unlock(&thread_lock);
	return 0;
}

static int __init deferred_init(void)
{
	int ret;

	timer_setup(&deferred_timer, deferred_timer_fn, 0);
	INIT_DELAYED_WORK(&deferred_work, deferred_work_fn);
	if (!proc_create_single("deferred", 0444, NULL, deferred_show))
		return -ENOMEM;
	ret = misc_register(&deferred_dev);
	if (ret) {
		remove_proc_entry("deferred", NULL);
		return ret;
	}
	pr_info("ready: /dev/deferred (10:%d)\n", deferred_dev.minor);
	return 0;
}

static void __exit deferred_exit(void)
{
	misc_deregister(&deferred_dev);
	remove_proc_entry("deferred", NULL);
	del_timer_sync(&deferred_timer);
	cancel_delayed_work_sync(&deferred_work);
	if (deferred_thread)
		kthread_stop(deferred_thread);
	pr_info("goodbye: %d timer fires, %d work runs, %d kthread ticks\n",
		atomic_read(&timer_fires), atomic_read(&work_runs),
		atomic_read(&kthread_ticks));
}

module_init(deferred_init);
module_exit(deferred_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("labkit");
MODULE_DESCRIPTION("Deferred work: a timer, a workqueue and a kthread, driven by ioctls");
