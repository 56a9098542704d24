// SPDX-License-Identifier: GPL-2.0
#include <linux/syscalls.h>

static DEFINE_MUTEX(open_lock);
static DEFINE_PER_CPU(unsigned long, open_count);
LIST_HEAD(open_list);

static const struct file_operations hostfs_file_fops = {
	.llseek		= generic_file_llseek,
	.read_iter	= generic_file_read_iter,
	.open		= hostfs_open,
	.release	= hostfs_file_release,
};

static int hostfs_file_release(struct inode *inode, struct file *file)
{
	return 0;
}

long do_sys_open(int dfd, const char __user *filename, int flags,
		 umode_t mode)
{
	return dfd + flags + mode;
}

SYSCALL_DEFINE3(open, const char __user *, filename, int, flags, umode_t, mode)
{
	return do_sys_open(AT_FDCWD, filename, flags, mode);
}

COMPAT_SYSCALL_DEFINE3(open, const char __user *, filename, int, flags,
		       umode_t, mode)
{
	return do_sys_open(AT_FDCWD, filename, flags, mode);
}
EXPORT_SYMBOL(do_sys_open);

static int __init
hostfs_init(void)
{
	return 0;
}
module_init(hostfs_init);

unsigned long __per_cpu_offset[NR_CPUS] __read_mostly;
int count, *countp, counts[4] = { 1, 2, 3, 4 };
static void (*handler)(int) = NULL;
void (*signal_like(int sig, void (*func)(int)))(int);

MODULE_AUTHOR("someone")
int after_missing_semicolon(void) { return 1; }

BPF_CALL_2(bpf_map_lookup, struct bpf_map *, map, void *, key)
{
	return 0;
}

DEFINE_IDTENTRY_RAW(exc_int3)
{
	struct local_state { int depth; } st = { 0 };
}

TEST_F(fixture, no_definition_here)
{
	return;
}
