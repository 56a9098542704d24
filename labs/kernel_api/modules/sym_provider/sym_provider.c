// SPDX-License-Identifier: GPL-2.0
/*
 * sym_provider.c — the kernel_api lab's provider: exports klab_calls()
 * with EXPORT_SYMBOL, for sym_consumer (modules/sym_consumer, another
 * directory, another build) to call.
 *
 * klab_calls() counts its calls and returns, for call n, a number only
 * this module can compute: a random key drawn when it loads, mixed with
 * n.  It logs each call, who made it (%pS of its return address) and the
 * number it returned, so a step can tell that the consumer printed what
 * the call returned and did not make it up.  The count is the read-only
 * parameter `calls` (/sys/module/sym_provider/parameters/calls).
 *
 * Its build writes Module.symvers, with klab_calls and its CRC: the
 * consumer's build needs it (KBUILD_EXTRA_SYMBOLS), and once the
 * consumer is loaded the kernel keeps this module from unloading.
 * labkit builds it out of tree and loads it only inside a guest.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/spinlock.h>

static int calls;
module_param(calls, int, 0444);
MODULE_PARM_DESC(calls, "how many times klab_calls() was called (read-only)");

static DEFINE_SPINLOCK(klab_lock);
static u32 klab_key;

u32 klab_calls(void);

/* Call n returns the key mixed with n (golden-ratio multiplier). */
u32 klab_calls(void)
{
	u32 value;
	int n;

	spin_lock(&klab_lock);
	n = ++calls;
	spin_unlock(&klab_lock);
	value = klab_key ^ ((u32)n * 0x9e3779b9U);
	pr_info("call %d from %pS returns 0x%08x\n", n,
		__builtin_return_address(0), value);
	return value;
}
EXPORT_SYMBOL(klab_calls);

static int __init sym_provider_init(void)
{
	klab_key = get_random_u32();
	pr_info("klab_calls() is exported\n");
	return 0;
}

static void __exit sym_provider_exit(void)
{
	pr_info("klab_calls() was called %d times, goodbye\n", calls);
}

module_init(sym_provider_init);
module_exit(sym_provider_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("labkit");
MODULE_DESCRIPTION("Exports klab_calls() for sym_consumer");
