// SPDX-License-Identifier: GPL-2.0
/*
 * sym_consumer.c — the kernel_api lab's consumer: calls klab_calls(),
 * which sym_provider (another module, another directory) exports.
 *
 * The declaration below is all the compiler needs; the symbol itself is
 * resolved twice: by modpost when the module is built (it must find
 * klab_calls in sym_provider's Module.symvers, given as
 * KBUILD_EXTRA_SYMBOLS, else "klab_calls" [sym_consumer.ko] undefined!),
 * and by the kernel when it is loaded (sym_provider must be loaded
 * first, else "Unknown symbol klab_calls").  Loaded, it holds a
 * reference to sym_provider, which cannot be unloaded before it.
 * labkit builds it out of tree and loads it only inside a guest.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

/* Exported by sym_provider (EXPORT_SYMBOL(klab_calls)). */
extern u32 klab_calls(void);

static int __init sym_consumer_init(void)
{
	u32 first = klab_calls();
	u32 second = klab_calls();

	pr_info("klab_calls() returned 0x%08x, then 0x%08x\n", first, second);
	return 0;
}

static void __exit sym_consumer_exit(void)
{
	pr_info("goodbye\n");
}

module_init(sym_consumer_init);
module_exit(sym_consumer_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("labkit");
MODULE_DESCRIPTION("Calls klab_calls(), which sym_provider exports");
