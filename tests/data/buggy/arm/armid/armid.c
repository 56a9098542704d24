// SPDX-License-Identifier: GPL-2.0
/*
 * armid.c — a buggy student's armid (tests/data/buggy/arm/): the ARM
 * lab's module with the exception level read from the wrong bits of
 * CurrentEL.  It builds and loads; steps 2.2 (its "EL1 on CPU" line) and
 * 2.3 (current_el: 1) fail, the others pass.
 *
 * MIDR_EL1 (the Main ID Register) names the CPU: its implementer (0x41,
 * Arm), variant, architecture, part number (0xd07, Cortex-A57) and
 * revision; CurrentEL the exception level the kernel runs at (EL1 under
 * QEMU's virt machine without virtualization).  Both are system registers
 * only arm64 has, read with mrs (read_cpuid_id(), read_sysreg()): the
 * module builds for arm64 only, with the cross compiler, against an arm64
 * kernel's build tree.  labkit builds it out of tree and loads it only in
 * the arm64 guest.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <asm/cputype.h>
#include <asm/sysreg.h>

#ifndef CONFIG_ARM64
#error "armid reads arm64's system registers: build it for ARCH=arm64"
#endif

/* The student's bug: CurrentEL's level is its bits 3:2 (the register
 * reads 0x4 at EL1), and this masks bits 1:0, which are always 0: "EL0",
 * where a kernel never runs. */
static unsigned int current_el(void)
{
	return (unsigned int)read_sysreg(CurrentEL) & 3;
}

static int armid_show(struct seq_file *m, void *v)
{
	u32 midr = read_cpuid_id();

	seq_printf(m, "midr_el1: 0x%08x\n", midr);
	seq_printf(m, "implementer: 0x%02x\n", MIDR_IMPLEMENTOR(midr));
	seq_printf(m, "variant: %u\n", MIDR_VARIANT(midr));
	seq_printf(m, "part: 0x%03x\n", MIDR_PARTNUM(midr));
	seq_printf(m, "revision: %u\n", MIDR_REVISION(midr));
	seq_printf(m, "current_el: %u\n", current_el());
	seq_printf(m, "page_size: %lu\n", PAGE_SIZE);
	return 0;
}

static int __init armid_init(void)
{
	u32 midr = read_cpuid_id();

	if (!proc_create_single("armid", 0444, NULL, armid_show))
		return -ENOMEM;
	pr_info("EL%u on CPU implementer 0x%02x part 0x%03x: /proc/armid is ready\n",
		current_el(), MIDR_IMPLEMENTOR(midr), MIDR_PARTNUM(midr));
	return 0;
}

static void __exit armid_exit(void)
{
	remove_proc_entry("armid", NULL);
	pr_info("/proc/armid removed\n");
}

module_init(armid_init);
module_exit(armid_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("The ARM lab: the CPU's MIDR_EL1 and exception level in /proc/armid");
