/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_KERNEL_H
#define _LINUX_KERNEL_H

#include <linux/types.h>
#include "local.h"

#define NAME_MAX 255
#define max_t(type, x, y) ({			\
	type __x = (x);				\
	type __y = (y);				\
	__x > __y ? __x : __y; })

struct inode;
struct file;

/* the operations on an open file */
struct file_operations {
	struct module *owner;
	loff_t (*llseek) (struct file *, loff_t, int);
	ssize_t (*read_iter) (struct kiocb *, struct iov_iter *);
	int (*open) (struct inode *, struct file *);
	int (*release) (struct inode *, struct file *);
} __randomize_layout;

struct dentry {
	unsigned int d_flags;
	struct dentry *d_parent;
	union {
		struct hlist_node d_alias;
		struct rcu_head d_rcu;
	} d_u;
	struct lockref {
		int count;
	} d_lockref;
};

enum dentry_d_lock_class {
	DENTRY_D_LOCK_NORMAL,
	DENTRY_D_LOCK_NESTED = NAME_MAX + 1,
	DENTRY_D_LOCK_MAX = max_t(int, 1, 2),
};

typedef struct {
	int counter;
} atomic_t;

typedef int (*filldir_t)(struct dir_context *, const char *, int);

extern int kern_path(const char *, unsigned, struct path *);
extern struct dentry *kern_path_create(int, const char *, struct path *,
				       unsigned int);
__printf(2, 3) __must_check int kasprintf_like(char *buf, const char *fmt, ...);
extern unsigned long totalram_pages __read_mostly;

/**
 *	dget, dget_dlock -	get a reference to a dentry
 *	@dentry: dentry to get a reference to
 *
 *	Given a dentry or %NULL pointer increment the reference count.
 */
static inline struct dentry *dget_dlock(struct dentry *dentry)
{
	if (dentry)
		dentry->d_lockref.count++;
	return dentry;
}

static __always_inline struct dentry *dget(struct dentry *dentry)
{
	if (dentry)
		lockref_get(&dentry->d_lockref);
	return dentry;
}

#ifdef CONFIG_FOO
int foo_enable(int level);
#else
static inline int foo_enable(int level) { return 0; }
#endif

#ifdef CONFIG_SPLIT
static int split(int a, int b) {
#else
static int split(int a) {
	int b = 0;
#endif
	return a + b;
}

#if 0
int never_defined(void) { return 1; }
#endif

#endif /* _LINUX_KERNEL_H */
