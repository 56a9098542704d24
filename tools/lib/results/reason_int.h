/* reason_int.h — what reason.c (the catalog) lends reason_read.c (reasons
 * read back), and nobody else sees. */
#ifndef LABKIT_REASON_INT_H
#define LABKIT_REASON_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "reason.h"

/* A placeholder "{name}" at p: the length of its name, or 0. */
size_t reason_placeholder(const char *p);
/* The index of `code`'s argument named by the `len` bytes at `name`, or
 * -1. */
int reason_arg_at(enum reason_code code, const char *name, size_t len);
/* The row's English; *v1 whether results format 1 wrote it, *name_only
 * whether only as a status's name. */
const char *reason_english_form(enum reason_code code, bool *v1,
				bool *name_only);

#endif
