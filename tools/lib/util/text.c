/*
 * text.c — the one place that knows UTF-8 and markup escaping: results
 * files (YAML must be UTF-8), JUnit (XML 1.0 cannot carry most control
 * characters), the report's page and chart, the cross-referencer's pages
 * and a terminal line cut to its width all use these.  Cannot fail.
 */
#include "text.h"
#include "util.h"

#include <string.h>

size_t text_utf8_len(const char *str, size_t left)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;
	unsigned int cp;

	if (left == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) { n = 2; cp = s[0] & 0x1f; }
	else if ((s[0] & 0xf0) == 0xe0) { n = 3; cp = s[0] & 0x0f; }
	else if ((s[0] & 0xf8) == 0xf0) { n = 4; cp = s[0] & 0x07; }
	else return 0;
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

size_t text_utf8_chars(const char *s, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			k++;
	return k;
}

size_t text_utf8_prefix(const char *s, size_t width, size_t *chars)
{
	const char *p = s;
	size_t n = 0;

	while (*p && n < width) {
		do
			p++;
		while ((*p & 0xc0) == 0x80);
		n++;
	}
	if (chars)
		*chars = n;
	return (size_t)(p - s);
}

char *text_utf8_clean(const char *s)
{
	struct sb sb;
	size_t len = strlen(s), i = 0;

	sb_init(&sb);
	while (i < len) {
		size_t n = text_utf8_len(s + i, len - i);

		if (n == 0) {
			sb_adds(&sb, "\xef\xbf\xbd");
			i++;
		} else {
			sb_add(&sb, s + i, n);
			i += n;
		}
	}
	return sb_detach(&sb, NULL);
}

static const char *entity(unsigned char c, int how)
{
	if (!(how & TEXT_HTML))
		return NULL;
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return how & TEXT_APOS ? "&#39;" : NULL;
	default: return NULL;
	}
}

void text_escape(struct sb *out, const char *s, size_t len, int how)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n = how & TEXT_CONTROLS ? text_utf8_len(s + i, len - i) : 1;
		const char *ent = entity(c, how);

		if ((how & TEXT_CONTROLS) &&
		    (n == 0 || c == 0x7f ||
		     (c < 0x20 && c != '\t' && c != '\n' && c != '\r'))) {
			sb_addf(out, "\\x%02x", c);
			n = 1;
		} else if (ent) {
			sb_adds(out, ent);
		} else if ((how & TEXT_CDATA) && len - i >= 3 &&
			   !memcmp(s + i, "]]>", 3)) {
			sb_adds(out, "]]]]><![CDATA[>");
			n = 3;
		} else {
			sb_add(out, s + i, n);
		}
		i += n;
	}
}

void text_html(struct sb *out, const char *s)
{
	text_escape(out, s, strlen(s), TEXT_HTML);
}

void text_base64(struct sb *out, const void *data, size_t len)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i += 3) {
		unsigned long v = (unsigned long)p[i] << 16;
		size_t n = len - i < 3 ? len - i : 3;

		if (n > 1)
			v |= (unsigned long)p[i + 1] << 8;
		if (n > 2)
			v |= p[i + 2];
		sb_addc(out, digits[(v >> 18) & 63]);
		sb_addc(out, digits[(v >> 12) & 63]);
		sb_addc(out, n > 1 ? digits[(v >> 6) & 63] : '=');
		sb_addc(out, n > 2 ? digits[v & 63] : '=');
	}
}
