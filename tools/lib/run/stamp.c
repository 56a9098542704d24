/*
 * stamp.c — a run's inputs, as <out>/inputs.txt.
 *
 * A finished run that did its job leaves the list of what it was made
 * from; `labkit run --reuse` compares that list with the inputs of now
 * and, when nothing changed, keeps the results instead of booting the
 * same guest again (the build target ran the exercise, then ctest's
 * fixture asks for the same run).  A file is known by path, size and
 * modification time in nanoseconds, as make and ninja know theirs; a
 * file that cannot be stat'ed is listed as missing, so that its
 * appearing changes the stamp.  Nothing here fails: an unreadable
 * inputs.txt matches nothing.
 */
#include "stamp.h"
#include "layout.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void stamp_add_file(struct sb *out, const char *what, const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		sb_addf(out, "%s %s missing\n", what, path);
	else
		sb_addf(out, "%s %s %lld %lld.%09ld\n", what, path,
			(long long)st.st_size, (long long)st.st_mtim.tv_sec,
			st.st_mtim.tv_nsec);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files right in `dir` (a kernel's image, release, ...), in
 * name order. */
static void add_dir_files(struct sb *out, const char *what, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;

	if (!d) {
		sb_addf(out, "%s %s missing\n", what, dir);
		return;
	}
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			names = xrealloc(names, (n + 1) * sizeof(*names));
			names[n++] = xasprintf("%s/%s", dir, e->d_name);
		}
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		stamp_add_file(out, what, names[i]);
		free(names[i]);
	}
	free(names);
}

static void add_option(struct sb *out, const char *name, const char *value)
{
	if (value)
		sb_addf(out, "option %s %s\n", name, value);
}

/* A reason as its English: what the run records of it. */
static void add_reason(struct sb *out, const char *name,
		       const struct reason *why)
{
	char *text = why ? reason_text(why, LANG_EN) : NULL;

	add_option(out, name, text);
	free(text);
}

/* The files right in the directory a spec's guest shares (share:). */
static void add_share(struct sb *out, const struct spec *spec,
		      const struct run_opts *o)
{
	const struct spec_exercise *ex = spec_exercise(spec, o->exercise);
	const char *share = ex && ex->guest ? ex->guest->share : NULL;
	char *path;

	if (!share)
		return;
	path = share[0] == '/' ? xstrdup(share) :
	       xasprintf("%s/%s", spec->dir, share);
	add_dir_files(out, "share", path);
	free(path);
}

void stamp_inputs(const struct spec *spec, const struct run_opts *o,
		  struct sb *out)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	sb_adds(out, "labkit-inputs: 1\n");
	if (n > 0) {
		exe[n] = '\0';
		stamp_add_file(out, "labkit", exe);
	}
	stamp_add_file(out, "spec", spec->file);
	add_option(out, "exercise", o->exercise);
	add_option(out, "kernel-image", o->kernel_image);
	add_reason(out, "no-guest", o->no_guest);
	add_reason(out, "no-build", o->no_build);
	add_reason(out, "no-xref", o->no_xref);
	add_option(out, "accel", vm_accel_name(o->accel));
	if (o->kernel_dir)
		add_dir_files(out, "kernel", o->kernel_dir);
	if (o->rootfs_dir)
		add_dir_files(out, "rootfs", o->rootfs_dir);
	for (size_t i = 0; i < o->nmodules; i++) {
		const char *eq = strchr(o->modules[i], '=');

		stamp_add_file(out, "module", eq ? eq + 1 : o->modules[i]);
	}
	if (o->build_results)
		stamp_add_file(out, "build-results", o->build_results);
	if (o->xref_index)
		stamp_add_file(out, "xref-index", o->xref_index);
	add_share(out, spec, o);
}

bool stamp_matches(const char *out_dir, const char *stamp)
{
	char *path = layout_file(out_dir, LAYOUT_INPUTS), *data = NULL;
	size_t len = 0;
	bool same = fs_read_file(path, &data, &len) == 0 &&
		    len == strlen(stamp) && !memcmp(data, stamp, len);

	free(data);
	free(path);
	return same;
}

int stamp_save(const char *out_dir, const char *stamp)
{
	char *path = layout_file(out_dir, LAYOUT_INPUTS);
	int rc = 0;

	if (stamp)
		rc = fs_write_atomic(path, stamp, strlen(stamp));
	else if (unlink(path) < 0 && errno != ENOENT)
		rc = error("cannot remove '%s': %s", path, strerror(errno));
	free(path);
	return rc;
}
