// SPDX-License-Identifier: GPL-2.0
/*
 * trivial.c — the lab's first module (Laboratorium 2, §3).
 *
 * Prints one line when loaded and one when unloaded, nothing else. labkit
 * builds it out of tree (kbuild M=) and loads it only inside a guest, never
 * on the host; the checks look for these two exact lines in dmesg.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

static int __init trivial_init(void)
{
	pr_info("Hello world! I'ma a trivial module!\n");
	return 0;
}

static void __exit trivial_exit(void)
{
	pr_info("Oh no, why are you doing this to me? Argh!\n");
}

module_init(trivial_init);
module_exit(trivial_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("labkit");
MODULE_DESCRIPTION("Trivial module: says hello on load and goodbye on unload");
