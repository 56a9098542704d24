/* util.h — errors, allocation, growable strings, whole-file I/O. */
#ifndef LABKIT_UTIL_H
#define LABKIT_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Exit codes shared by every labkit command (docs/labs-yaml.md). */
enum {
	EXIT_OK = 0,
	EXIT_CHECK_FAILED = 1,
	EXIT_USAGE = 2,
	EXIT_NOT_GRADED = 3,     /* labkit grade: a student could not be
				    graded, for the grader's failure */
	EXIT_SKIP = 77,
	EXIT_INTERNAL = 128,
};

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

/* An error (events.h); returns -1 so callers can `return error()`. */
int error(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* An error at a place in a file ("file:line:col: error: ..."); line 0:
 * the whole file. */
int error_at(const char *file, int line, int col, const char *fmt, ...)
	PRINTF_LIKE(4, 5);
void warning(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* An internal failure the process cannot survive (out of memory): reported
 * as fatal, then abort() unless the program's callback ends it first. */
void die(const char *fmt, ...) PRINTF_LIKE(1, 2) __attribute__((noreturn));

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* Grow an array `p` of `n` used elements to hold at least one more. */
#define ARRAY_PUSH(p, n, cap)                                              \
	do {                                                               \
		if ((n) == (cap)) {                                        \
			(cap) = (cap) ? 2 * (cap) : 8;                     \
			(p) = xrealloc((p), (cap) * sizeof(*(p)));         \
		}                                                          \
	} while (0)

/* A growable, always NUL-terminated byte string. */
struct sb {
	char *buf;
	size_t len;
	size_t cap;
};

void sb_init(struct sb *sb);
void sb_add(struct sb *sb, const void *data, size_t len);
void sb_adds(struct sb *sb, const char *s);
void sb_addc(struct sb *sb, char c);
void sb_addf(struct sb *sb, const char *fmt, ...) PRINTF_LIKE(2, 3);
void sb_vaddf(struct sb *sb, const char *fmt, va_list ap);
void sb_reset(struct sb *sb);
/* Hands the buffer to the caller and leaves `sb` empty, owning nothing
 * (usable again, or released at no cost). */
char *sb_detach(struct sb *sb, size_t *len);
void sb_release(struct sb *sb);

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
/* Can any user read `path` (every directory on the way searchable by
 * others, the file readable by others)?  Follows symbolic links. */
int fs_world_readable(const char *path);

/* Monotonic seconds. */
double now_monotonic(void);

#endif
