// SPDX-License-Identifier: GPL-2.0
/*
 * hello.c — the smallest module: it says so when it is loaded and when it
 * is unloaded.  labs.yaml loads it in the guest (insmod), finds it in
 * /proc/modules, unloads it (rmmod) and checks both lines in the kernel
 * log.  Change a message here and the matching pattern in labs.yaml.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt	/* every line: "hello: ..." */

#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

static int __init hello_init(void)
{
	pr_info("loaded\n");
	return 0;
}

static void __exit hello_exit(void)
{
	pr_info("unloaded\n");
}

module_init(hello_init);
module_exit(hello_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Says hello when loaded and goodbye when unloaded");
