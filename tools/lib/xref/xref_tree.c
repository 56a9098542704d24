/*
 * xref_tree.c — the list of files an index covers: every regular file of
 * the tree (so `file` queries find Kconfig and Makefiles too), sorted by
 * path, each with its type (.c, .h, .S, a Documentation/ .rst or .txt,
 * other) and the rank its definitions get (include/linux/ first, tools/
 * last), and for the files that are read their size and mtime.  Symbolic links and dot files are left out.
 *
 * A directory that cannot be read is skipped with a warning, except the
 * top one, which is an error.  Allocation failure dies.
 */
#include "xref_build_int.h"
#include "xref_format_int.h"

#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int file_type(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (!strncmp(path, "Documentation/", 14) && dot &&
	    (!strcmp(dot, ".rst") || !strcmp(dot, ".txt")))
		return XREF_FILE_DOC;
	if (!dot || strchr(dot, '/'))
		return XREF_FILE_OTHER;
	if (!strcmp(dot, ".c"))
		return XREF_FILE_C;
	if (!strcmp(dot, ".h"))
		return XREF_FILE_H;
	if (!strcmp(dot, ".S"))
		return XREF_FILE_ASM;
	return XREF_FILE_OTHER;
}

/* How much a path's definitions are preferred: the kernel's own headers,
 * then core code, drivers, arch/, and last samples/ and tools/. */
static uint8_t path_score(const char *path)
{
	static const char *const core[] = {
		"kernel/", "mm/", "fs/", "lib/", "init/", "ipc/", "block/",
		"net/", "security/", "crypto/", "virt/", "io_uring/", "certs/",
	};

	if (!strncmp(path, "include/linux/", 14))
		return 90;
	if (!strncmp(path, "include/", 8))
		return 80;
	for (size_t i = 0; i < sizeof(core) / sizeof(core[0]); i++)
		if (!strncmp(path, core[i], strlen(core[i])))
			return 60;
	if (!strncmp(path, "drivers/", 8) || !strncmp(path, "sound/", 6))
		return 40;
	if (!strncmp(path, "arch/x86/", 9))
		return 35;
	if (!strncmp(path, "arch/", 5))
		return 20;
	if (!strncmp(path, "tools/", 6))
		return 5;
	return 10;
}

static void add_file(struct xref_build *b, const char *rel, int dirfd,
		     const char *name)
{
	struct xref_src *f;
	struct stat st;

	ARRAY_PUSH(b->files, b->nfiles, b->cfiles);
	f = &b->files[b->nfiles++];
	f->path = xstrdup(rel);
	f->type = (uint8_t)file_type(rel);
	f->score = path_score(rel);
	f->size = 0;
	f->mtime_ns = 0;
	if (f->type != XREF_FILE_OTHER && fstatat(dirfd, name, &st, 0) == 0) {
		f->size = (uint64_t)st.st_size;
		f->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	}
}

/* The type of directory entry `e` of `d` (DT_REG, DT_DIR, or other). */
static int entry_type(DIR *d, const struct dirent *e)
{
	struct stat st;

	if (e->d_type != DT_UNKNOWN)
		return e->d_type;
	if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return DT_UNKNOWN;
	return S_ISREG(st.st_mode) ? DT_REG : S_ISDIR(st.st_mode) ? DT_DIR : DT_UNKNOWN;
}

/* Adds every regular file under `dir` (relative `rel`, "" at the top). */
static int walk(struct xref_build *b, const char *dir, const char *rel)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *path, *sub;
	int type;

	if (!d)
		return error("%s: %s", dir, strerror(errno));
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		type = entry_type(d, e);
		sub = *rel ? xasprintf("%s/%s", rel, e->d_name) : xstrdup(e->d_name);
		if (type == DT_REG) {
			add_file(b, sub, dirfd(d), e->d_name);
		} else if (type == DT_DIR) {
			path = xasprintf("%s/%s", dir, e->d_name);
			if (walk(b, path, sub) < 0)
				warning("%s: skipped", path);
			free(path);
		}
		free(sub);
	}
	closedir(d);
	return 0;
}

static int src_cmp(const void *a, const void *b)
{
	return strcmp(((const struct xref_src *)a)->path,
		      ((const struct xref_src *)b)->path);
}

int xref_walk(struct xref_build *b)
{
	if (walk(b, b->root, "") < 0)
		return -1;
	if (b->nfiles > 1)
		qsort(b->files, b->nfiles, sizeof(*b->files), src_cmp);
	return 0;
}
