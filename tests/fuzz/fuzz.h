/*
 * fuzz.h — what the libFuzzer harnesses of tests/fuzz/ share: the
 * library's messages formatted as labkit prints them and then dropped
 * (a fuzzer runs millions of inputs), a scratch directory on a RAM disk
 * for the loaders that read a path, and FUZZ_CHECK(), an invariant whose
 * failure aborts, so that libFuzzer keeps the input as a crash.
 */
#ifndef LABKIT_FUZZ_H
#define LABKIT_FUZZ_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "events.h"
#include "util.h"

#define FUZZ_CHECK(cond)                                                   \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: invariant failed: %s\n",   \
				__FILE__, __LINE__, #cond);                \
			abort();                                           \
		}                                                          \
	} while (0)

static inline void fuzz_message(void *ctx, const struct event_msg *m)
{
	struct sb line;

	(void)ctx;
	sb_init(&line);
	events_format(m, &line);
	FUZZ_CHECK(line.len > 0 && !memchr(line.buf, '\0', line.len));
	sb_release(&line);
}

/* Messages formatted, as print.c would, and dropped. */
static inline void fuzz_quiet(void)
{
	static const struct events ev = { .message = fuzz_message };

	events_set(&ev);
}

static char fuzz_dir[64];

static inline void fuzz_scratch_remove(void)
{
	char *cmd = xasprintf("rm -rf -- '%s'", fuzz_dir);

	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove '%s'\n", fuzz_dir);
	free(cmd);
}

/* A directory of this process's own, on /dev/shm when there is one (the
 * writer's fsync() costs nothing there), removed at exit; "" on failure. */
static inline const char *fuzz_scratch(void)
{
	if (fuzz_dir[0])
		return fuzz_dir;
	snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/labkit-fuzz.XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(fuzz_dir)) {
		perror("fuzz: mkdtemp");
		abort();
	}
	atexit(fuzz_scratch_remove);
	return fuzz_dir;
}

/* `data` as the file `name` in the scratch directory; its path. */
static inline char *fuzz_file(const char *name, const uint8_t *data,
			      size_t size)
{
	char *path = xasprintf("%s/%s", fuzz_scratch(), name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	FUZZ_CHECK(fd >= 0);
	FUZZ_CHECK(fs_write_all(fd, data, size) == 0);
	close(fd);
	return path;
}

#endif
