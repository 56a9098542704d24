/* expand.h — ${name} variables in commands and patterns. */
#ifndef LABKIT_EXPAND_H
#define LABKIT_EXPAND_H

#include <stddef.h>

/* A set of name=value pairs; later additions override earlier ones. */
struct expand_vars {
	size_t n, cap;
	char **name;
	char **value;
};

void expand_vars_init(struct expand_vars *v);
void expand_vars_set(struct expand_vars *v, const char *name,
		     const char *value);
const char *expand_vars_get(const struct expand_vars *v, const char *name);
void expand_vars_free(struct expand_vars *v);

enum expand_mode {
	EXPAND_PLAIN, /* values inserted as they are */
	EXPAND_REGEX, /* values inserted as literal text in a PCRE2 pattern */
};

/*
 * Expands every ${name} in `in`; "$$" stands for one "$".  Returns the new
 * string, or NULL when a name is undefined or a ${ is not closed; then
 * *bad_offset is the byte offset of the offending "$" in `in` and *bad_name
 * (caller frees) the name, or NULL for a syntax error.
 */
char *expand(const char *in, const struct expand_vars *v,
	     enum expand_mode mode, size_t *bad_offset, char **bad_name);

/*
 * Calls fn for every ${name} in `in` with the name and the byte offset of
 * its "$".  Returns 0, or -1 at the first unclosed "${" (offset in *bad).
 */
int expand_each_name(const char *in,
		     void (*fn)(const char *name, size_t offset, void *arg),
		     void *arg, size_t *bad);

#endif
