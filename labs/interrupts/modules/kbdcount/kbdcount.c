// SPDX-License-Identifier: GPL-2.0
/*
 * kbdcount — the interrupts lab's module (after SO2's keyboard driver):
 * shares the i8042 keyboard's IRQ 1 with its driver, counts every
 * interrupt in its handler and reads nothing from the port itself (the
 * keyboard's driver does).  /proc/kbdcount shows the count.
 */
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#define KBD_IRQ 1

static atomic_t irqs = ATOMIC_INIT(0);
static int dev_id;

static irqreturn_t kbdcount_irq(int irq, void *dev)
{
	atomic_inc(&irqs);
	return IRQ_NONE;        /* the keyboard's driver handles it */
}

static int kbdcount_show(struct seq_file *m, void *v)
{
	seq_printf(m, "irq: %d\nirqs: %d\n", KBD_IRQ, atomic_read(&irqs));
	return 0;
}

static int __init kbdcount_init(void)
{
	int err = request_irq(KBD_IRQ, kbdcount_irq, IRQF_SHARED, "kbdcount",
			      &dev_id);

	if (err) {
		pr_err("kbdcount: cannot share IRQ %d: %d\n", KBD_IRQ, err);
		return err;
	}
	if (!proc_create_single("kbdcount", 0444, NULL, kbdcount_show)) {
		free_irq(KBD_IRQ, &dev_id);
		return -ENOMEM;
	}
	pr_info("kbdcount: counting IRQ %d\n", KBD_IRQ);
	return 0;
}

static void __exit kbdcount_exit(void)
{
	remove_proc_entry("kbdcount", NULL);
	free_irq(KBD_IRQ, &dev_id);
	pr_info("kbdcount: goodbye after %d interrupts\n", atomic_read(&irqs));
}

module_init(kbdcount_init);
module_exit(kbdcount_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Counts the keyboard's interrupts on a shared IRQ 1");
