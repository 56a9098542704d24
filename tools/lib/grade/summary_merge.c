/*
 * summary_merge.c — the shards of one grading (`labkit grade --shard
 * i/n`, each a grading directory of its own) joined into one: the same
 * grade.yaml, every student's tree under students/, and the summary
 * written by summary_class_write() from the students judged in the
 * shards, so it is byte for byte what one unsharded grading of the same
 * students writes.
 *
 * It refuses before writing anything: shards that grade another lab or
 * other exercises, a student in two shards, a results.yaml that does not
 * load.  Then each students/<name>/ is hard-linked (copied where a link
 * cannot be made: another file system) into a new directory beside
 * out_dir/students, which replaces the old one by rename, so no student
 * of an earlier merge is left behind.  Fails by returning an exit code
 * after a message.
 */
#include "summary_int.h"
#include "layout.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the shards' grade.yaml ---- */

static bool same_grade(const struct summary_grade *a,
		       const struct summary_grade *b)
{
	if (strcmp(a->lab, b->lab) || a->nexercises != b->nexercises)
		return false;
	for (size_t i = 0; i < a->nexercises; i++)
		if (strcmp(a->exercises[i], b->exercises[i]))
			return false;
	return true;
}

/* "lab 'lab2' exercises 3, 4" */
static char *grade_words(const struct summary_grade *g)
{
	struct sb sb;

	sb_init(&sb);
	sb_addf(&sb, "lab '%s' exercises ", g->lab);
	for (size_t i = 0; i < g->nexercises; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", g->exercises[i]);
	return sb_detach(&sb, NULL);
}

/* The first shard's grade.yaml in `grade`; every other one the same. */
static int load_shards(struct summary_grade *grade, const char *const *dirs,
		       size_t n, const struct spec *spec)
{
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		char *path = layout_file(dirs[i], LAYOUT_GRADE_YAML);
		struct summary_grade g;

		if (summary_grade_load(i ? &g : grade, path, spec) < 0) {
			free(path);
			if (!i)
				return -1;
			rc = -1;
			continue;
		}
		if (i && !same_grade(grade, &g)) {
			char *ours = grade_words(&g), *first = grade_words(grade);

			rc = error_at(path, 0, 0, "a grading of %s, but "
				      "'%s/%s' is of %s: not shards of "
				      "one grading", ours, dirs[0],
				      layout_name(LAYOUT_GRADE_YAML), first);
			free(ours);
			free(first);
		}
		if (i)
			summary_grade_free(&g);
		free(path);
	}
	return rc;
}

/* ---- the students' trees ---- */

static int copy_file(const char *from, const char *to)
{
	char *data;
	size_t len;
	int rc;

	if (link(from, to) == 0)
		return 0;
	if (fs_read_file(from, &data, &len) < 0)
		return error("cannot read '%s': %m", from);
	rc = fs_write_atomic(to, data, len);
	if (rc < 0)
		error("cannot write '%s': %m", to);
	free(data);
	return rc;
}

static int copy_link(const char *from, const char *to)
{
	char target[PATH_MAX];
	ssize_t n = readlink(from, target, sizeof(target) - 1);

	if (n < 0)
		return error("cannot read '%s': %m", from);
	target[n] = '\0';
	if (symlink(target, to) < 0)
		return error("cannot create '%s': %m", to);
	return 0;
}

/* `from` into the new directory `to`: directories made, files linked or
 * copied, symbolic links made again; anything else is left out. */
static int copy_tree(const char *from, const char *to)
{
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (mkdir(to, 0755) < 0)
		return error("cannot create '%s': %m", to);
	d = opendir(from);
	if (!d)
		return error("cannot read '%s': %m", from);
	while (!rc && (e = readdir(d))) {
		char *src, *dst;
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		src = xasprintf("%s/%s", from, e->d_name);
		dst = xasprintf("%s/%s", to, e->d_name);
		if (lstat(src, &st) < 0)
			rc = error("cannot read '%s': %m", src);
		else if (S_ISDIR(st.st_mode))
			rc = copy_tree(src, dst);
		else if (S_ISREG(st.st_mode))
			rc = copy_file(src, dst);
		else if (S_ISLNK(st.st_mode))
			rc = copy_link(src, dst);
		free(src);
		free(dst);
	}
	closedir(d);
	return rc;
}

static int copy_students(const struct summary_class *c,
			 const char *const *dirs, const char *to)
{
	int rc = 0;

	for (size_t i = 0; !rc && i < c->nstudents; i++) {
		const struct summary_student *s = &c->students[i];
		char *src = layout_student_dir(dirs[s->shard], s->name);
		char *dst = xasprintf("%s/%s", to, s->name);

		rc = copy_tree(src, dst);
		free(src);
		free(dst);
	}
	return rc;
}

/* The new students/ in place of the old one (removed). */
static int install_students(const char *out_dir, const char *fresh)
{
	char *dst = layout_file(out_dir, LAYOUT_STUDENTS);
	char *old = xasprintf("%s/.%s.old.XXXXXX", out_dir,
			      layout_name(LAYOUT_STUDENTS));
	int rc = 0;

	if (rename(fresh, dst) == 0)
		goto out;        /* there was none, or an empty one */
	if ((errno != EEXIST && errno != ENOTEMPTY) || !mkdtemp(old) ||
	    rename(dst, old) < 0) {
		rc = error("cannot replace '%s': %m", dst);
		goto out;
	}
	if (rename(fresh, dst) < 0) {
		rc = error("cannot replace '%s': %m", dst);
		rename(old, dst);
		goto out;
	}
	fs_remove_tree(old);
out:
	free(dst);
	free(old);
	return rc;
}

/* ---- the merge ---- */

int summary_merge(const char *out_dir, const char *const *shard_dirs,
		  size_t n, const struct spec *spec)
{
	struct summary_grade grade = { 0 };
	struct summary_class c = { 0 };
	char *fresh = xasprintf("%s/.%s.new.XXXXXX", out_dir,
				layout_name(LAYOUT_STUDENTS));
	char *path = layout_file(out_dir, LAYOUT_GRADE_YAML);
	bool made = false;
	int rc = EXIT_USAGE;

	if (!n) {
		error("no gradings to merge");
		goto out;
	}
	if (load_shards(&grade, shard_dirs, n, spec) < 0 ||
	    summary_class_load(&c, spec, &grade, shard_dirs, n, NULL) < 0)
		goto out;
	rc = EXIT_INTERNAL;
	if (fs_mkdirs(out_dir, 0755) < 0 || !mkdtemp(fresh) ||
	    chmod(fresh, 0755) < 0) {
		error("cannot create '%s': %m", fresh);
		goto out;
	}
	made = true;
	if (copy_students(&c, shard_dirs, fresh) < 0 ||
	    install_students(out_dir, fresh) < 0 ||
	    summary_grade_write(&grade, path) < 0)
		goto out;
	/* The class judged from the shards is the one just copied: its
	 * table is written as is, not judged again from the copies. */
	rc = summary_class_write(&c, out_dir);
	if (rc == EXIT_OK && c.not_graded)
		rc = EXIT_NOT_GRADED;
out:
	if (made)
		fs_remove_tree(fresh);   /* left only when it failed */
	summary_class_free(&c);
	summary_grade_free(&grade);
	free(fresh);
	free(path);
	return rc;
}
