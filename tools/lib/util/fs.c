/*
 * fs.c — whole files and directory trees: reads, writes through short
 * writes and EINTR, atomic replacement (a temporary file and rename(2)),
 * mkdir -p, rm -rf without following links, paths made absolute by name.
 * Every operation reports through its return value and errno; nothing
 * here prints.
 */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fs_read_file(const char *path, char **data, size_t *len)
{
	struct sb sb;
	char chunk[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	sb_init(&sb);
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;

			close(fd);
			sb_release(&sb);
			errno = err;
			return -1;
		}
		if (n == 0)
			break;
		sb_add(&sb, chunk, (size_t)n);
	}
	close(fd);
	*data = sb_detach(&sb, len);
	sb_release(&sb);
	return 0;
}

int fs_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int fs_write_atomic(const char *path, const void *data, size_t len)
{
	char *tmp = xasprintf("%s.tmp.XXXXXX", path);
	int fd = mkstemp(tmp);
	int err;

	if (fd < 0)
		goto fail;
	if (fs_write_all(fd, data, len) < 0 || fchmod(fd, 0644) < 0 ||
	    fsync(fd) < 0) {
		err = errno;
		close(fd);
		unlink(tmp);
		errno = err;
		goto fail;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		err = errno;
		unlink(tmp);
		errno = err;
		goto fail;
	}
	free(tmp);
	return 0;
fail:
	err = errno;
	free(tmp);
	errno = err;
	return -1;
}

char *fs_absolute(const char *path)
{
	char *cwd = path[0] == '/' ? NULL : getcwd(NULL, 0);
	char *full = cwd ? xasprintf("%s/%s", cwd, path) : xstrdup(path);
	char *out = xmalloc(strlen(full) + 2), *save = NULL;
	size_t n = 0;

	if (path[0] != '/' && !cwd)
		die("cannot find the current directory: %m");
	for (char *c = strtok_r(full, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (!strcmp(c, "."))
			continue;
		if (!strcmp(c, "..")) {
			while (n > 0 && out[--n] != '/')
				;
			continue;
		}
		n += (size_t)sprintf(out + n, "/%s", c);
	}
	if (!n)
		out[n++] = '/';
	out[n] = '\0';
	free(full);
	free(cwd);
	return out;
}

bool fs_path_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(path, dir, n) && (path[n] == '/' || path[n] == '\0');
}

int fs_mkdirs(const char *path, int mode)
{
	char *p = xstrdup(path);
	char *s;
	int rc = 0;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, (mode_t)mode) < 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
		if (rc)
			break;
	}
	if (!rc && mkdir(p, (mode_t)mode) < 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

int fs_remove_tree(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	return nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Is every directory on the way to `path` (as written) searchable by
 * others?  stat() follows the links, as exec and open will. */
static int dirs_searchable(const char *path)
{
	char *p = xstrdup(path);
	struct stat st;
	char *s;
	int ok = 1;

	for (s = strrchr(p, '/'); ok && s && s > p; s = strrchr(p, '/')) {
		*s = '\0';
		ok = stat(p, &st) == 0 && (st.st_mode & S_IXOTH);
	}
	free(p);
	return ok;
}

int fs_world_readable(const char *path)
{
	char real[PATH_MAX];
	struct stat st;

	if (!realpath(path, real) || stat(real, &st) < 0 ||
	    !(st.st_mode & S_IROTH))
		return 0;
	return dirs_searchable(real) && (path[0] != '/' || dirs_searchable(path));
}

char *fs_temp_dir(const char *what)
{
	char *dir = xasprintf("/tmp/labkit-%s-XXXXXX", what);

	if (mkdtemp(dir))
		return dir;
	free(dir);
	return NULL;
}
