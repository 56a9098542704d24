/* json.h — JSON written by hand, carefully: a small emitter that
 * indents, separates and escapes, so a caller only says what comes next.
 *
 *     struct json j;
 *     json_init(&j, &sb);
 *     json_object(&j);
 *     json_key(&j, "score"); json_number(&j, 2.0, 1);
 *     json_key(&j, "tests"); json_array(&j); ... json_end(&j);
 *     json_end(&j);                          (then sb holds the text)
 *
 * Strings are written as valid JSON of valid UTF-8 whatever the bytes:
 * '"', '\\' and the C0 controls escaped (\n \t \r \b \f, else \u00XX),
 * DEL and U+2028/U+2029 as \u escapes too (a script that embeds the text
 * stays safe), a byte that is not UTF-8 as U+FFFD.  Output is
 * deterministic: the same calls give the same bytes.  Nothing fails; a
 * call out of order (a value where a key is due) is a bug, caught by
 * assert().
 */
#ifndef LABKIT_JSON_H
#define LABKIT_JSON_H

#include <stdbool.h>
#include <stddef.h>

struct sb;

#define JSON_MAX_DEPTH 32

struct json {
	struct sb *out;
	int depth;
	bool compact;            /* one line, no spaces (default: indented
				    by two spaces a level) */
	bool first[JSON_MAX_DEPTH]; /* nothing yet at this level */
	bool object[JSON_MAX_DEPTH]; /* this level is an object */
	bool key_due;            /* in an object, the next call is a key */
};

void json_init(struct json *j, struct sb *out, bool compact);

/* Opens an object or an array (as a value: after a key, in an array, or
 * at the top); json_end() closes the innermost one. */
void json_object(struct json *j);
void json_array(struct json *j);
void json_end(struct json *j);

/* A member's name, in an object; its value comes next. */
void json_key(struct json *j, const char *key);

void json_string(struct json *j, const char *s);
/* The first `len` bytes of `s` as a string. */
void json_string_len(struct json *j, const char *s, size_t len);
void json_int(struct json *j, long v);
/* `v` with `decimals` digits after the point (0: an integer's form);
 * NaN and infinities, which JSON has not, are written as 0. */
void json_number(struct json *j, double v, int decimals);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

/* `s` escaped as the inside of a JSON string (no quotes), appended. */
void json_escape(struct sb *out, const char *s, size_t len);

#endif
