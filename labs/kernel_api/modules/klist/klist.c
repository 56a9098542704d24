// SPDX-License-Identifier: GPL-2.0
/*
 * klist.c — the kernel_api lab's list of names, kept in kernel memory
 * and worked through /proc:
 *
 *   /proc/klist/management  (write) one command a write:
 *                           addf <name>  add at the front of the list
 *                           adde <name>  add at the end
 *                           delf <name>  delete the first <name>
 *                           dela <name>  delete every <name>
 *   /proc/klist/preview     (read) the names, one a line, front first
 *
 * A name is 1 to KLIST_NAME_MAX characters without blanks.  A command
 * the module does not know, or a bad name, fails the write with EINVAL;
 * deleting a name the list does not hold fails it with ENOENT.
 *
 * Each item is kmalloc()ed and linked into one list_head; one spinlock
 * guards the list (an item is allocated before taking it, and freed
 * after letting it go).  Unloading frees every item and says how many.
 * labkit builds it out of tree and loads it only inside a guest.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#define KLIST_NAME_MAX 31
#define KLIST_CMD_MAX 64               /* bytes of one command */

struct klist_item {
	struct list_head node;
	char name[KLIST_NAME_MAX + 1];
};

static LIST_HEAD(klist_items);
static DEFINE_SPINLOCK(klist_lock);
static struct proc_dir_entry *klist_dir;

static int klist_add(const char *name, bool front)
{
	struct klist_item *item = kmalloc(sizeof(*item), GFP_KERNEL);

	if (!item)
		return -ENOMEM;
	strscpy(item->name, name, sizeof(item->name));
	spin_lock(&klist_lock);
	if (front)
		list_add(&item->node, &klist_items);
	else
		list_add_tail(&item->node, &klist_items);
	spin_unlock(&klist_lock);
	return 0;
}

/* Deletes the first item called `name`, or all of them: how many went. */
static int klist_del(const char *name, bool all)
{
	struct klist_item *item, *tmp;
	LIST_HEAD(gone);
	int n = 0;

	spin_lock(&klist_lock);
	list_for_each_entry_safe(item, tmp, &klist_items, node) {
		if (strcmp(item->name, name))
			continue;
		list_move_tail(&item->node, &gone);
		n++;
		if (!all)
			break;
	}
	spin_unlock(&klist_lock);
	list_for_each_entry_safe(item, tmp, &gone, node)
		kfree(item);
	return n;
}

/* One command, "<cmd> <name>" with the trailing newline gone. */
static int klist_command(char *line)
{
	char *cmd = strim(line), *name = strchr(cmd, ' ');

	if (!name)
		return -EINVAL;
	*name++ = '\0';
	name = skip_spaces(name);
	if (!*name || strlen(name) > KLIST_NAME_MAX || strpbrk(name, " \t\n"))
		return -EINVAL;
	if (!strcmp(cmd, "addf"))
		return klist_add(name, true);
	if (!strcmp(cmd, "adde"))
		return klist_add(name, false);
	if (!strcmp(cmd, "delf"))
		return klist_del(name, false) ? 0 : -ENOENT;
	if (!strcmp(cmd, "dela"))
		return klist_del(name, true) ? 0 : -ENOENT;
	return -EINVAL;
}

static ssize_t klist_management_write(struct file *file,
				      const char __user *ubuf, size_t count,
				      loff_t *ppos)
{
	char line[KLIST_CMD_MAX];
	int rc;

	if (count >= sizeof(line))
		return -EINVAL;
	if (copy_from_user(line, ubuf, count))
		return -EFAULT;
	line[count] = '\0';
	rc = klist_command(line);
	return rc ? rc : count;
}

static const struct proc_ops klist_management_ops = {
	.proc_write = klist_management_write,
	.proc_lseek = noop_llseek,
};

static int klist_preview_show(struct seq_file *m, void *v)
{
	struct klist_item *item;

	spin_lock(&klist_lock);
	list_for_each_entry(item, &klist_items, node)
		seq_printf(m, "%s\n", item->name);
	spin_unlock(&klist_lock);
	return 0;
}

static int __init klist_init(void)
{
	klist_dir = proc_mkdir("klist", NULL);
	if (!klist_dir)
		return -ENOMEM;
	if (!proc_create("management", 0200, klist_dir, &klist_management_ops) ||
	    !proc_create_single("preview", 0444, klist_dir, klist_preview_show)) {
		proc_remove(klist_dir);
		return -ENOMEM;
	}
	pr_info("/proc/klist/management and /proc/klist/preview are ready\n");
	return 0;
}

static void __exit klist_exit(void)
{
	struct klist_item *item, *tmp;
	int n = 0;

	proc_remove(klist_dir);        /* no reader or writer is left */
	list_for_each_entry_safe(item, tmp, &klist_items, node) {
		list_del(&item->node);
		kfree(item);
		n++;
	}
	pr_info("freed %d items, goodbye\n", n);
}

module_init(klist_init);
module_exit(klist_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("labkit");
MODULE_DESCRIPTION("A list of names in kernel memory, worked through /proc/klist");
