// SPDX-License-Identifier: GPL-2.0
/*
 * taint — says why the kernel is tainted: reads /proc/sys/kernel/tainted
 * (a bit mask) and prints each set bit with the letter the kernel shows
 * in an Oops's "Tainted:" line and what it means (the table of
 * Documentation/admin-guide/tainted-kernels.rst, Linux 6.1).
 *
 * Output: "tainted: <value>", then "bit <n> <letter>: <meaning>" for each
 * set bit, or "not tainted".  Exits 0, or 1 when the file cannot be read.
 *
 * Usage: taint [value]   (decode a value given instead of the kernel's)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAINTED "/proc/sys/kernel/tainted"

static const struct {
	char letter;
	const char *meaning;
} taint_bits[] = {
	{ 'P', "a proprietary module was loaded" },
	{ 'F', "a module was force-loaded" },
	{ 'S', "the kernel runs on out-of-spec hardware" },
	{ 'R', "a module was force-unloaded" },
	{ 'M', "a machine check exception happened" },
	{ 'B', "a bad page was found" },
	{ 'U', "a user asked for the taint" },
	{ 'D', "the kernel died recently (an Oops or a BUG)" },
	{ 'A', "an ACPI table was overridden" },
	{ 'W', "the kernel issued a warning (WARN)" },
	{ 'C', "a staging driver was loaded" },
	{ 'I', "a firmware bug is worked around" },
	{ 'O', "an out-of-tree module was loaded" },
	{ 'E', "an unsigned module was loaded" },
	{ 'L', "a soft lockup happened" },
	{ 'K', "the kernel was live-patched" },
	{ 'X', "an auxiliary (distribution) taint" },
	{ 'T', "the kernel was built with the struct randomization plugin" },
	{ 'N', "an in-kernel test was run" },
};

#define NBITS (sizeof(taint_bits) / sizeof(taint_bits[0]))

static int read_tainted(unsigned long *value)
{
	FILE *f = fopen(TAINTED, "r");
	int ok;

	if (!f) {
		fprintf(stderr, "taint: %s: %s\n", TAINTED, strerror(errno));
		return -1;
	}
	ok = fscanf(f, "%lu", value) == 1;
	fclose(f);
	if (!ok)
		fprintf(stderr, "taint: %s: not a number\n", TAINTED);
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	unsigned long value;
	size_t bit;

	if (argc > 1) {
		char *end;

		errno = 0;
		value = strtoul(argv[1], &end, 0);
		if (errno || end == argv[1] || *end) {
			fprintf(stderr, "usage: taint [value]\n");
			return 2;
		}
	} else if (read_tainted(&value) < 0) {
		return 1;
	}
	printf("tainted: %lu\n", value);
	if (!value)
		printf("not tainted\n");
	for (bit = 0; bit < 8 * sizeof(value); bit++) {
		if (!(value & (1UL << bit)))
			continue;
		if (bit < NBITS)
			printf("bit %2zu %c: %s\n", bit, taint_bits[bit].letter,
			       taint_bits[bit].meaning);
		else
			printf("bit %2zu ?: unknown to this program\n", bit);
	}
	return 0;
}
