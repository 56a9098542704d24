/* match.h — expectations: PCRE2 patterns over a step's output. */
#ifndef LABKIT_MATCH_H
#define LABKIT_MATCH_H

#include <stddef.h>

struct match_pattern;

/*
 * Compiles a pattern (multi-line: ^ and $ match at line ends; UTF-8).
 * On error returns NULL, sets *err to PCRE2's message (caller frees) and
 * *err_offset to the byte offset in `pattern` PCRE2 blames.
 */
struct match_pattern *match_compile(const char *pattern, char **err,
				    size_t *err_offset);
void match_free(struct match_pattern *p);

/* Finds the first match at or after `start`.  1 found, 0 not, -1 error. */
int match_find(const struct match_pattern *p, const char *text, size_t len,
	       size_t start, size_t *mstart, size_t *mend);

/* The same; on a match each named group that took part, (?<line>\d+),
 * is set in `named` as "match.line". */
struct expand_vars;
int match_find_named(const struct match_pattern *p, const char *text,
		     size_t len, size_t start, size_t *mstart, size_t *mend,
		     struct expand_vars *named);

/* Does the pattern match the empty string (so it proves nothing)? */
int match_empty(const struct match_pattern *p);

/*
 * Output as the checks see it: CR LF and lone CR made LF, ANSI/VT100
 * escape sequences (CSI, OSC, two-byte ESC) and other C0 controls but
 * tab and newline removed.  Caller frees.
 */
char *match_normalize(const char *raw, size_t len, size_t *out_len);

/*
 * The `max` lines of `text` that look most like `pattern` (for a failed
 * `match`): scored by the literal words of the pattern they share.
 * Fills lines[] with pointers to the start of each line and lens[] with
 * their lengths; returns how many were found.
 */
size_t match_closest(const char *pattern, const char *text, size_t len,
		     size_t max, const char **lines, size_t *lens);

#endif
