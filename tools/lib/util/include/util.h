/* util.h — what nearly every file needs: the exit codes every command
 * shares, and, included from here, messages (events.h), allocation
 * (alloc.h), growable strings (sb.h) and files (fs.h). */
#ifndef LABKIT_UTIL_H
#define LABKIT_UTIL_H

#include "alloc.h"
#include "events.h"
#include "fs.h"
#include "sb.h"

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

#endif
