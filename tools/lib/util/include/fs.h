/* fs.h — whole files and directory trees (fs.c). */
#ifndef LABKIT_FS_H
#define LABKIT_FS_H

#include <stdbool.h>
#include <stddef.h>

/* Reads a whole file; NUL-terminated.  -1 with errno set on failure. */
int fs_read_file(const char *path, char **data, size_t *len);
/* Writes all `len` bytes to `fd`, through short writes and EINTR.  0, or
 * -1 with errno set. */
int fs_write_all(int fd, const void *data, size_t len);
/* Writes `path` through a temporary file in the same directory and
 * rename(2), so readers see the old or the new content, never a part. */
int fs_write_atomic(const char *path, const void *data, size_t len);
/* mkdir -p. */
int fs_mkdirs(const char *path, int mode);
/* `path` made absolute against the current directory, by its name (no
 * link followed, "." and ".." taken out, no trailing '/'); caller frees. */
char *fs_absolute(const char *path);
/* Is `path` the directory `dir` or below it?  By the names only: both
 * absolute and normalized (no "..", no trailing '/'). */
bool fs_path_under(const char *path, const char *dir);
/* rm -rf, without following symbolic links.  0 or -1. */
int fs_remove_tree(const char *path);
/* A new directory /tmp/labkit-<what>-XXXXXX (in /tmp: every user reaches
 * it, and a socket's path in it stays short); its path (caller frees), or
 * NULL with errno set. */
char *fs_temp_dir(const char *what);
/* Can any user read `path` (every directory on the way searchable by
 * others, the file readable by others)?  Follows symbolic links. */
int fs_world_readable(const char *path);

#endif
