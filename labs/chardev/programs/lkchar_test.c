// SPDX-License-Identifier: GPL-2.0
/*
 * lkchar_test — drives /dev/lkchar from user space the way the lab's step
 * 1.5 checks it: open with O_TRUNC, write, read back from the start and
 * from an offset, the two ioctls (LKCHAR_IOC_GETLEN, LKCHAR_IOC_CLEAR), an
 * unknown ioctl, and the buffer's bound (the module's `size` parameter,
 * read from sysfs).
 *
 * Prints one line per check, "ok   <what>" or "FAIL <what>: <why>", then
 * "summary: N ok, M failed"; exits 0 when every check passed, 1 when one
 * failed, 2 when the device cannot be opened.  Leaves the device empty.
 *
 * Usage: lkchar_test [device]   (default /dev/lkchar)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* The header the module is built with: one definition of the numbers. */
#include "../modules/lkchar/lkchar_ioctl.h"

#define MESSAGE "labkit chardev test"
#define OFFSET 7                        /* "chardev test" */
#define SIZE_PARAM "/sys/module/lkchar/parameters/size"

struct tally {
	int ok, failed;
};

static void check(struct tally *t, int good, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prints "ok   <what>" or "FAIL <what>", the text after a ": " in `fmt`
 * being the detail either way. */
static void check(struct tally *t, int good, const char *fmt, ...)
{
	va_list ap;

	fputs(good ? "ok   " : "FAIL ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (good)
		t->ok++;
	else
		t->failed++;
}

/* The buffer's length by LKCHAR_IOC_GETLEN, or -1 with errno set. */
static long getlen(int fd)
{
	__u32 len;

	if (ioctl(fd, LKCHAR_IOC_GETLEN, &len) < 0)
		return -1;
	return (long)len;
}

/* Reads up to `cap - 1` bytes at `off` into `buf` and ends it with NUL;
 * returns what read() returned. */
static ssize_t read_at(int fd, off_t off, char *buf, size_t cap)
{
	ssize_t n;

	buf[0] = '\0';
	if (lseek(fd, off, SEEK_SET) != off)
		return -1;
	do
		n = read(fd, buf, cap - 1);
	while (n < 0 && errno == EINTR);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

/* The module's `size` parameter, or 0 when sysfs does not say. */
static long capacity(void)
{
	FILE *f = fopen(SIZE_PARAM, "r");
	long size = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%ld", &size) != 1)
		size = 0;
	fclose(f);
	return size;
}

static void test_write_read(struct tally *t, int fd)
{
	char buf[256];
	ssize_t n;
	long len;

	n = write(fd, MESSAGE, strlen(MESSAGE));
	check(t, n == (ssize_t)strlen(MESSAGE), "write %zd bytes: '%s'", n,
	      MESSAGE);
	len = getlen(fd);
	check(t, len == (long)strlen(MESSAGE), "LKCHAR_IOC_GETLEN: %ld", len);
	n = read_at(fd, 0, buf, sizeof(buf));
	check(t, n >= 0 && !strcmp(buf, MESSAGE), "read from 0: '%s'", buf);
	n = read_at(fd, OFFSET, buf, sizeof(buf));
	check(t, n >= 0 && !strcmp(buf, MESSAGE + OFFSET), "read from %d: '%s'",
	      OFFSET, buf);
	n = read(fd, buf, sizeof(buf));
	check(t, n == 0, "read at the end: %zd bytes", n);
}

static void test_clear(struct tally *t, int fd)
{
	char buf[16];
	ssize_t n;
	long len;
	int r;

	r = ioctl(fd, LKCHAR_IOC_CLEAR);
	check(t, r == 0, "LKCHAR_IOC_CLEAR: %s", r == 0 ? "done" : strerror(errno));
	len = getlen(fd);
	check(t, len == 0, "LKCHAR_IOC_GETLEN after clear: %ld", len);
	n = read_at(fd, 0, buf, sizeof(buf));
	check(t, n == 0, "read after clear: %zd bytes", n);
	r = ioctl(fd, _IO(LKCHAR_IOC_MAGIC, 42));
	check(t, r < 0 && errno == ENOTTY, "unknown ioctl fails: %s",
	      r < 0 ? strerror(errno) : "it succeeded");
}

/* Fills the buffer past its end: the write stores what fits, the next
 * one finds no room. */
static void test_bound(struct tally *t, int fd)
{
	long size = capacity();
	size_t want = (size_t)size + 36;
	char *big = malloc(want);
	ssize_t n;
	long len;
	int r;

	if (size <= 0 || !big) {
		check(t, 0, "capacity: cannot read %s", SIZE_PARAM);
		free(big);
		return;
	}
	memset(big, 'x', want);
	lseek(fd, 0, SEEK_SET);
	n = write(fd, big, want);
	check(t, n == size, "capacity %ld: a write of %zu bytes stores %zd",
	      size, want, n);
	n = write(fd, big, 1);
	check(t, n < 0 && errno == ENOSPC, "a write at the end fails: %s",
	      n < 0 ? strerror(errno) : "it succeeded");
	len = getlen(fd);
	check(t, len == size, "LKCHAR_IOC_GETLEN when full: %ld", len);
	r = ioctl(fd, LKCHAR_IOC_CLEAR);
	check(t, r == 0, "LKCHAR_IOC_CLEAR: %s",
	      r == 0 ? "the device is left empty" : strerror(errno));
	free(big);
}

int main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "/dev/lkchar";
	struct tally t = { 0, 0 };
	long len;
	int fd;

	printf("ioctl numbers: LKCHAR_IOC_CLEAR=0x%08lx LKCHAR_IOC_GETLEN=0x%08lx\n",
	       (unsigned long)LKCHAR_IOC_CLEAR, (unsigned long)LKCHAR_IOC_GETLEN);
	fd = open(dev, O_RDWR | O_TRUNC);
	if (fd < 0) {
		printf("FAIL open %s: %s\n", dev, strerror(errno));
		return 2;
	}
	len = getlen(fd);
	check(&t, len == 0, "open %s with O_TRUNC: length %ld", dev, len);
	test_write_read(&t, fd);
	test_clear(&t, fd);
	test_bound(&t, fd);
	if (close(fd) < 0)
		check(&t, 0, "close: %s", strerror(errno));
	printf("summary: %d ok, %d failed\n", t.ok, t.failed);
	return t.failed ? 1 : 0;
}
