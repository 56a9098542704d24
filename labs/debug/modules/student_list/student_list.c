// SPDX-License-Identifier: GPL-2.0
/*
 * student_list.c — a module written the way a student might hand it in:
 * it keeps a list of students and their grades, removes those who failed
 * and reports who passed; on unload it frees the list.
 *
 * What it keeps can be read back, so a check need not take its word:
 * /proc/student_list lists the students on the list, and the students
 * come from a slab cache of its own, "student_list", made with
 * SLAB_STORE_USER, so /sys/kernel/slab/student_list/alloc_calls counts
 * the ones not freed; destroying the cache with one still allocated
 * makes the kernel warn ("Slab cache still has objects").
 *
 * It has a bug: loading it Oopses.  Exercise 2 of the debug lab expects a
 * clean load and unload, so its steps fail until the module is fixed; the
 * failure quotes the Oops and the source line it happened on.  Finding
 * and fixing the bug is the exercise (README.md) — do not fix it here;
 * the list, /proc file and cache are the lab's, not the bug.
 *
 * labkit builds it out of tree with debug info and loads it only inside a
 * guest, never on the host.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#define PASS_GRADE 3

struct student {
	struct list_head node;
	int grade;
	char name[24];
};

static const struct {
	const char *name;
	int grade;
} roster[] = {
	{ "Ala", 5 }, { "Bartek", 2 }, { "Celina", 4 }, { "Darek", 2 },
};

static LIST_HEAD(students);
static struct kmem_cache *student_cache;

static int add_student(const char *name, int grade)
{
	struct student *s = kmem_cache_alloc(student_cache, GFP_KERNEL);

	if (!s)
		return -ENOMEM;
	strscpy(s->name, name, sizeof(s->name));
	s->grade = grade;
	list_add_tail(&s->node, &students);
	return 0;
}

/* Removes the students who failed from the list. */
static void remove_failed(void)
{
	struct student *s;

	list_for_each_entry(s, &students, node) {
		if (s->grade < PASS_GRADE) {
			pr_info("%s failed (grade %d), removing\n", s->name,
				s->grade);
			list_del(&s->node);
			kmem_cache_free(student_cache, s);
		}
	}
}

static void free_students(void)
{
	struct student *s, *tmp;

	list_for_each_entry_safe(s, tmp, &students, node) {
		list_del(&s->node);
		kmem_cache_free(student_cache, s);
	}
}

/* /proc/student_list: "<name> <grade>", a line per student on the list. */
static int student_list_show(struct seq_file *m, void *v)
{
	struct student *s;

	list_for_each_entry(s, &students, node)
		seq_printf(m, "%s %d\n", s->name, s->grade);
	return 0;
}

static int __init student_list_init(void)
{
	struct student *s;
	size_t i;
	int passed = 0;

	student_cache = kmem_cache_create("student_list", sizeof(struct student),
					  0, SLAB_STORE_USER, NULL);
	if (!student_cache)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(roster); i++) {
		if (add_student(roster[i].name, roster[i].grade))
			goto fail;
	}
	remove_failed();
	list_for_each_entry(s, &students, node) {
		pr_info("%s passed (grade %d)\n", s->name, s->grade);
		passed++;
	}
	if (!proc_create_single("student_list", 0444, NULL, student_list_show))
		goto fail;
	pr_info("%d of %zu students passed\n", passed, ARRAY_SIZE(roster));
	return 0;
fail:
	free_students();
	kmem_cache_destroy(student_cache);
	return -ENOMEM;
}

static void __exit student_list_exit(void)
{
	remove_proc_entry("student_list", NULL);
	free_students();
	kmem_cache_destroy(student_cache);
	pr_info("list freed, goodbye\n");
}

module_init(student_list_init);
module_exit(student_list_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("a student");
MODULE_DESCRIPTION("Keeps a list of students and removes those who failed");
