/* text.h — text as other formats need it: UTF-8 checked and counted,
 * HTML/XML escaped, base64. */
#ifndef LABKIT_TEXT_H
#define LABKIT_TEXT_H

#include <stdbool.h>
#include <stddef.h>

struct sb;

/* The length of the valid UTF-8 sequence at `s` (at most `left` bytes),
 * or 0 when it is not one (overlong, a surrogate, past U+10FFFF, cut). */
size_t text_utf8_len(const char *s, size_t left);

/* The number of characters in the first `n` bytes of UTF-8 `s`. */
size_t text_utf8_chars(const char *s, size_t n);

/* The bytes of the longest prefix of UTF-8 `s` that is at most `width`
 * characters, never splitting a character; the count goes to *chars. */
size_t text_utf8_prefix(const char *s, size_t width, size_t *chars);

/* `s` as valid UTF-8: each byte that is not becomes U+FFFD (caller frees). */
char *text_utf8_clean(const char *s);

enum text_escape {
	TEXT_HTML = 1,           /* & < > " as entities */
	TEXT_APOS = 2,           /* ' as &#39; too */
	TEXT_CONTROLS = 4,       /* C0 controls but tab, newline and carriage
				    return (which XML keeps), DEL, and a byte
				    that is not UTF-8, as \xNN */
	TEXT_CDATA = 8,          /* "]]>" split across two CDATA sections */
};

/* Appends `len` bytes of `s`, escaped as `how` (TEXT_* or'ed) asks. */
void text_escape(struct sb *out, const char *s, size_t len, int how);

/* text_escape(TEXT_HTML) of a NUL-terminated string. */
void text_html(struct sb *out, const char *s);

/* `len` bytes of `data` in base64 (RFC 4648, with padding), appended. */
void text_base64(struct sb *out, const void *data, size_t len);

#endif
