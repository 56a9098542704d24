// SPDX-License-Identifier: GPL-2.0
/*
 * deferred_ctl.c — starts deferred work in the deferred lab's module:
 *
 *     deferred_ctl timer MS | work MS | kthread TICKS
 *
 * opens /dev/deferred and issues the ioctl (deferred_ioctl.h), then says
 * what it started; the module prints when the work runs.  Exit 0 when the
 * ioctl succeeded, 1 when it failed (its error printed), 2 on bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "../modules/deferred/deferred_ioctl.h"

static const struct {
	const char *name;
	unsigned long cmd;
	const char *what;
} kinds[] = {
	{ "timer", DEFERRED_IOC_TIMER, "armed a timer for %u ms\n" },
	{ "work", DEFERRED_IOC_WORK, "queued work to run in %u ms\n" },
	{ "kthread", DEFERRED_IOC_KTHREAD, "started a kthread for %u ticks\n" },
};

int main(int argc, char **argv)
{
	char *end;
	unsigned long n;
	uint32_t arg;
	int fd;

	if (argc != 3)
		goto usage;
	n = strtoul(argv[2], &end, 10);
	if (*argv[2] == '\0' || *end || n > UINT32_MAX)
		goto usage;
	arg = (uint32_t)n;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(argv[1], kinds[i].name))
			continue;
		fd = open("/dev/deferred", O_RDWR);
		if (fd < 0 || ioctl(fd, kinds[i].cmd, &arg) < 0) {
			fprintf(stderr, "deferred_ctl: %s: %s\n", argv[1],
				strerror(errno));
			return 1;
		}
		close(fd);
		printf(kinds[i].what, arg);
		return 0;
	}
usage:
	fprintf(stderr, "usage: deferred_ctl timer MS | work MS | kthread TICKS\n");
	return 2;
}
