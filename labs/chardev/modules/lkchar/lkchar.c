// SPDX-License-Identifier: GPL-2.0
/*
 * lkchar.c — the chardev lab's character device: /dev/lkchar, a misc
 * device (major 10, a minor the misc layer picks) that keeps what is
 * written to it in one buffer of `size` bytes and gives it back on read.
 *
 * It behaves like a small file: a write stores at the file position and
 * the content ends where the furthest write ended; a read returns bytes
 * from the file position to the end of the content; lseek moves the
 * position (SEEK_END is the end of the content); opening for writing with
 * O_TRUNC empties it (the shell's `>`) and O_APPEND writes at its end (the
 * shell's `>>`).  A write that would pass the buffer's end stores what
 * fits; one at the very end fails with ENOSPC.  Two ioctls (lkchar_ioctl.h)
 * empty the buffer and report its length; /proc/lkchar reports the state.
 *
 * One mutex guards the buffer, its length and the counters; every file
 * operation takes it, so concurrent writers never interleave inside one
 * write.  The module refuses to load with a size outside 1..LKCHAR_MAX_SIZE.
 * labkit builds it out of tree and loads it only inside a guest.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/init.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "lkchar_ioctl.h"

#define LKCHAR_NAME "lkchar"
#define LKCHAR_MAX_SIZE (64 * 1024)

static unsigned int size = 4096;
module_param(size, uint, 0444);
MODULE_PARM_DESC(size, "capacity of the buffer in bytes (1 to 65536, default 4096)");

static char *greeting = "hello";
module_param(greeting, charp, 0444);
MODULE_PARM_DESC(greeting, "the word the module greets with when it loads");

static DEFINE_MUTEX(lkchar_lock);
static char *lkchar_buf;               /* `size` bytes */
static size_t lkchar_len;              /* bytes of content, 0..size */
static unsigned long lkchar_opens, lkchar_clears;
static unsigned long lkchar_bytes_read, lkchar_bytes_written;

static int lkchar_open(struct inode *inode, struct file *file)
{
	if (mutex_lock_interruptible(&lkchar_lock))
		return -ERESTARTSYS;
	lkchar_opens++;
	if ((file->f_mode & FMODE_WRITE) && (file->f_flags & O_TRUNC))
		lkchar_len = 0;
	mutex_unlock(&lkchar_lock);
	return 0;
}

static ssize_t lkchar_read(struct file *file, char __user *ubuf, size_t count,
			   loff_t *ppos)
{
	ssize_t ret = 0;
	size_t pos;

	if (*ppos < 0)
		return -EINVAL;
	if (mutex_lock_interruptible(&lkchar_lock))
		return -ERESTARTSYS;
	pos = (size_t)*ppos;
	if (pos >= lkchar_len)         /* at or past the end: end of file */
		goto out;
	count = min(count, lkchar_len - pos);
	if (copy_to_user(ubuf, lkchar_buf + pos, count)) {
		ret = -EFAULT;
		goto out;
	}
	*ppos += count;
	lkchar_bytes_read += count;
	ret = count;
out:
	mutex_unlock(&lkchar_lock);
	return ret;
}

static ssize_t lkchar_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	ssize_t ret;
	size_t pos;

	if (*ppos < 0)
		return -EINVAL;
	if (mutex_lock_interruptible(&lkchar_lock))
		return -ERESTARTSYS;
	ret = 0;
	if (!count)                    /* changes nothing, not even the length */
		goto out;
	if (file->f_flags & O_APPEND)
		*ppos = lkchar_len;
	if (*ppos >= size) {           /* no room left at all */
		ret = -ENOSPC;
		goto out;
	}
	pos = (size_t)*ppos;
	count = min_t(size_t, count, size - pos);
	if (copy_from_user(lkchar_buf + pos, ubuf, count)) {
		ret = -EFAULT;
		goto out;
	}
	if (pos > lkchar_len)          /* a hole reads as zeros, like a file's */
		memset(lkchar_buf + lkchar_len, 0, pos - lkchar_len);
	*ppos += count;
	lkchar_len = max(lkchar_len, pos + count);
	lkchar_bytes_written += count;
	ret = count;
out:
	mutex_unlock(&lkchar_lock);
	return ret;
}

static loff_t lkchar_llseek(struct file *file, loff_t offset, int whence)
{
	loff_t ret;

	mutex_lock(&lkchar_lock);
	ret = generic_file_llseek_size(file, offset, whence, size, lkchar_len);
	mutex_unlock(&lkchar_lock);
	return ret;
}

static long lkchar_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	__u32 len;

	switch (cmd) {
	case LKCHAR_IOC_CLEAR:
		if (mutex_lock_interruptible(&lkchar_lock))
			return -ERESTARTSYS;
		memset(lkchar_buf, 0, lkchar_len);
		lkchar_len = 0;
		lkchar_clears++;
		mutex_unlock(&lkchar_lock);
		return 0;
	case LKCHAR_IOC_GETLEN:
		if (mutex_lock_interruptible(&lkchar_lock))
			return -ERESTARTSYS;
		len = (__u32)lkchar_len;
		mutex_unlock(&lkchar_lock);
		return put_user(len, (__u32 __user *)arg);
	default:
		return -ENOTTY;        /* the answer for "not my ioctl" */
	}
}

static const struct file_operations lkchar_fops = {
	.owner = THIS_MODULE,
	.open = lkchar_open,
	.read = lkchar_read,
	.write = lkchar_write,
	.llseek = lkchar_llseek,
	.unlocked_ioctl = lkchar_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice lkchar_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = LKCHAR_NAME,
	.fops = &lkchar_fops,
	.mode = 0666,                  /* devtmpfs makes the node with it */
};

static int lkchar_proc_show(struct seq_file *m, void *v)
{
	mutex_lock(&lkchar_lock);
	seq_printf(m, "device: /dev/%s (%d:%d)\n", LKCHAR_NAME, MISC_MAJOR,
		   lkchar_misc.minor);
	seq_printf(m, "size: %u\n", size);
	seq_printf(m, "length: %zu\n", lkchar_len);
	seq_printf(m, "opens: %lu\n", lkchar_opens);
	seq_printf(m, "bytes written: %lu\n", lkchar_bytes_written);
	seq_printf(m, "bytes read: %lu\n", lkchar_bytes_read);
	seq_printf(m, "clears: %lu\n", lkchar_clears);
	mutex_unlock(&lkchar_lock);
	return 0;
}

static int __init lkchar_init(void)
{
	int err;

	if (size < 1 || size > LKCHAR_MAX_SIZE) {
		pr_err("size=%u is out of range (1 to %u)\n", size,
		       LKCHAR_MAX_SIZE);
		return -EINVAL;
	}
	lkchar_buf = kzalloc(size, GFP_KERNEL);
	if (!lkchar_buf)
		return -ENOMEM;
	if (!proc_create_single(LKCHAR_NAME, 0444, NULL, lkchar_proc_show)) {
		err = -ENOMEM;
		goto free_buf;
	}
	err = misc_register(&lkchar_misc);
	if (err) {
		pr_err("misc_register failed: %d\n", err);
		goto remove_proc;
	}
	pr_info("%s! /dev/%s is ready (%d:%d), a buffer of %u bytes\n",
		greeting, LKCHAR_NAME, MISC_MAJOR, lkchar_misc.minor, size);
	return 0;

remove_proc:
	remove_proc_entry(LKCHAR_NAME, NULL);
free_buf:
	kfree(lkchar_buf);
	return err;
}

static void __exit lkchar_exit(void)
{
	/*
	 * First no new opens, then no /proc readers; a file still open
	 * holds the module (fops.owner), so nothing uses the buffer now.
	 */
	misc_deregister(&lkchar_misc);
	remove_proc_entry(LKCHAR_NAME, NULL);
	pr_info("goodbye: %lu opens, %lu bytes written, %lu bytes read\n",
		lkchar_opens, lkchar_bytes_written, lkchar_bytes_read);
	kfree(lkchar_buf);
}

module_init(lkchar_init);
module_exit(lkchar_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("labkit");
MODULE_DESCRIPTION("A misc character device keeping what is written to it");
