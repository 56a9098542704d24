/*
 * json.c — the JSON emitter (json.h): separators and indentation by
 * nesting level, strings escaped to valid JSON of valid UTF-8.  It owns
 * no file: it appends to the caller's buffer, and cannot fail.
 */
#include "json.h"
#include "text.h"
#include "util.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void json_init(struct json *j, struct sb *out, bool compact)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->compact = compact;
	j->first[0] = true;
}

static void newline(struct json *j)
{
	if (j->compact)
		return;
	sb_addc(j->out, '\n');
	for (int i = 0; i < j->depth; i++)
		sb_adds(j->out, "  ");
}

/* What comes before a value: a comma and a new line in an array; nothing
 * after a key (json_key() wrote the separator) or at the top. */
static void before_value(struct json *j)
{
	if (j->depth && j->object[j->depth]) {
		assert(!j->key_due);     /* a value where a key is due */
		j->key_due = true;
		return;
	}
	if (j->depth) {
		if (!j->first[j->depth])
			sb_addc(j->out, ',');
		newline(j);
	}
	j->first[j->depth] = false;
}

static void open(struct json *j, char c, bool object)
{
	before_value(j);
	sb_addc(j->out, c);
	assert(j->depth + 1 < JSON_MAX_DEPTH);
	j->depth++;
	j->first[j->depth] = true;
	j->object[j->depth] = object;
	j->key_due = object;
}

void json_object(struct json *j)
{
	open(j, '{', true);
}

void json_array(struct json *j)
{
	open(j, '[', false);
}

void json_end(struct json *j)
{
	bool empty = j->first[j->depth], object = j->object[j->depth];

	assert(j->depth > 0 && (!object || j->key_due));
	j->depth--;
	if (!empty)
		newline(j);
	sb_addc(j->out, object ? '}' : ']');
	j->key_due = j->depth && j->object[j->depth];
	if (j->depth == 0 && !j->compact)
		sb_addc(j->out, '\n');
}

void json_key(struct json *j, const char *key)
{
	assert(j->depth && j->object[j->depth] && j->key_due);
	if (!j->first[j->depth])
		sb_addc(j->out, ',');
	newline(j);
	j->first[j->depth] = false;
	sb_addc(j->out, '"');
	json_escape(j->out, key, strlen(key));
	sb_adds(j->out, j->compact ? "\":" : "\": ");
	j->key_due = false;
}

/* One character that JSON (or a script embedding it) wants escaped:
 * its escape, or NULL when it stands as it is. */
static const char *escape_of(unsigned char c, char *buf, size_t size)
{
	switch (c) {
	case '"': return "\\\"";
	case '\\': return "\\\\";
	case '\n': return "\\n";
	case '\t': return "\\t";
	case '\r': return "\\r";
	case '\b': return "\\b";
	case '\f': return "\\f";
	default: break;
	}
	if (c >= 0x20 && c != 0x7f)
		return NULL;
	snprintf(buf, size, "\\u%04x", c);
	return buf;
}

void json_escape(struct sb *out, const char *s, size_t len)
{
	char buf[8];

	for (size_t i = 0; i < len; ) {
		size_t n = text_utf8_len(s + i, len - i);
		const char *esc;

		if (!n) {                        /* not UTF-8: U+FFFD */
			sb_adds(out, "\\ufffd");
			i++;
			continue;
		}
		if (n == 3 && !memcmp(s + i, "\xe2\x80", 2) &&
		    ((unsigned char)s[i + 2] == 0xa8 ||
		     (unsigned char)s[i + 2] == 0xa9)) {
			sb_addf(out, "\\u%04x", 0x2000 + (s[i + 2] & 0x3f));
			i += 3;
			continue;
		}
		esc = n == 1 ? escape_of((unsigned char)s[i], buf, sizeof(buf)) :
			       NULL;
		if (esc)
			sb_adds(out, esc);
		else
			sb_add(out, s + i, n);
		i += n;
	}
}

void json_string_len(struct json *j, const char *s, size_t len)
{
	before_value(j);
	sb_addc(j->out, '"');
	json_escape(j->out, s, len);
	sb_addc(j->out, '"');
}

void json_string(struct json *j, const char *s)
{
	json_string_len(j, s ? s : "", s ? strlen(s) : 0);
}

void json_int(struct json *j, long v)
{
	before_value(j);
	sb_addf(j->out, "%ld", v);
}

void json_number(struct json *j, double v, int decimals)
{
	before_value(j);
	if (!isfinite(v))
		v = 0;
	sb_addf(j->out, "%.*f", decimals < 0 ? 0 : decimals, v);
}

void json_bool(struct json *j, bool v)
{
	before_value(j);
	sb_adds(j->out, v ? "true" : "false");
}

void json_null(struct json *j)
{
	before_value(j);
	sb_adds(j->out, "null");
}
