/*
 * testfiles.h — reading and writing whole files in unit tests (test_report.c,
 * test_summary.c).  Test code only: spit() asserts with cmocka, so include
 * it after <cmocka.h>.
 */
#ifndef LABKIT_TESTS_TESTFILES_H
#define LABKIT_TESTS_TESTFILES_H

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The whole file, or NULL when it cannot be read (caller frees). */
static inline char *slurp(const char *path)
{
	char *text = NULL;
	size_t len;

	return fs_read_file(path, &text, &len) == 0 ? text : NULL;
}

/* Writes `text` to `path`, making its directories. */
static inline void spit(const char *path, const char *text)
{
	char *dir = xstrdup(path);

	*strrchr(dir, '/') = '\0';
	assert_int_equal(fs_mkdirs(dir, 0755), 0);
	assert_int_equal(fs_write_atomic(path, text, strlen(text)), 0);
	free(dir);
}

#endif
