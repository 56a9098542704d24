/*
 * match.c — expectations: PCRE2 patterns over a step's output.
 *
 * Owns compiled patterns (multi-line, UTF-8, tolerant of invalid UTF-8 in
 * the subject, so any bytes a console produces can be searched), the
 * normalisation that turns raw console bytes into the text checks see, and
 * the "closest lines" hint shown when a `match` fails.
 *
 * Normalising makes CR LF, CR CR LF (a tty's ONLCR applied twice) and a
 * lone CR one LF, so patterns only ever see "\n".
 *
 * Never prints and never expands ${} (callers expand first).  Compile
 * errors come back as PCRE2's message and offset; a match error as -1;
 * allocation failure dies.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "match.h"

#include "expand.h"
#include "util.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

struct match_pattern {
	pcre2_code *code;
};

struct match_pattern *match_compile(const char *pattern, char **err,
				    size_t *err_offset)
{
	struct match_pattern *p;
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off = 0;
	pcre2_code *code;
	int rc;

	code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
			     PCRE2_MULTILINE | PCRE2_UTF |
				     PCRE2_MATCH_INVALID_UTF,
			     &rc, &off, NULL);
	if (!code) {
		if (pcre2_get_error_message(rc, msg, sizeof(msg)) < 0)
			strcpy((char *)msg, "unknown PCRE2 error");
		if (err)
			*err = xstrdup((const char *)msg);
		if (err_offset)
			*err_offset = off;
		return NULL;
	}
	p = xmalloc(sizeof(*p));
	p->code = code;
	return p;
}

void match_free(struct match_pattern *p)
{
	if (!p)
		return;
	pcre2_code_free(p->code);
	free(p);
}

/* Each named group of a match that took part in it, as "match.<name>". */
static void set_named(const struct match_pattern *p, const char *text,
		      const PCRE2_SIZE *ov, struct expand_vars *named)
{
	uint32_t count = 0, size = 0;
	PCRE2_SPTR table;

	pcre2_pattern_info(p->code, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(p->code, PCRE2_INFO_NAMEENTRYSIZE, &size);
	pcre2_pattern_info(p->code, PCRE2_INFO_NAMETABLE, &table);
	for (uint32_t i = 0; i < count; i++, table += size) {
		int g = (table[0] << 8) | table[1];
		char *name, *value;

		if (ov[2 * g] == PCRE2_UNSET || ov[2 * g + 1] < ov[2 * g])
			continue;
		name = xasprintf("match.%s", (const char *)table + 2);
		value = xstrndup(text + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
		expand_vars_set(named, name, value);
		free(value);
		free(name);
	}
}

int match_find(const struct match_pattern *p, const char *text, size_t len,
	       size_t start, size_t *mstart, size_t *mend)
{
	return match_find_named(p, text, len, start, mstart, mend, NULL);
}

int match_find_named(const struct match_pattern *p, const char *text,
		     size_t len, size_t start, size_t *mstart, size_t *mend,
		     struct expand_vars *named)
{
	pcre2_match_data *md;
	PCRE2_SIZE *ov;
	int rc;

	if (start > len)
		return 0;
	md = pcre2_match_data_create_from_pattern(p->code, NULL);
	if (!md)
		die("out of memory (pcre2 match data)");
	rc = pcre2_match(p->code, (PCRE2_SPTR)text, len, start, 0, md, NULL);
	if (rc == PCRE2_ERROR_NOMATCH) {
		pcre2_match_data_free(md);
		return 0;
	}
	if (rc < 0) {
		pcre2_match_data_free(md);
		return -1;
	}
	ov = pcre2_get_ovector_pointer(md);
	if (mstart)
		*mstart = ov[0];
	if (mend)
		*mend = ov[1] < ov[0] ? ov[0] : ov[1]; /* \K past the end */
	if (named)
		set_named(p, text, ov, named);
	pcre2_match_data_free(md);
	return 1;
}

int match_empty(const struct match_pattern *p)
{
	return match_find(p, "", 0, 0, NULL, NULL) == 1;
}

/*
 * An escape sequence starting at raw[i] == ESC: returns how many bytes it
 * spans.  A sequence cut short by the end of the input, or broken by a
 * byte that cannot belong to it, ends there.
 */
static size_t escape_len(const unsigned char *raw, size_t i, size_t len)
{
	size_t j = i + 1;

	if (j >= len)
		return 1;
	if (raw[j] == '[') { /* CSI: parameters, intermediates, final */
		for (j++; j < len && raw[j] >= 0x20 && raw[j] < 0x40; j++)
			;
		return j < len && raw[j] >= 0x40 && raw[j] <= 0x7e ?
			       j + 1 - i : j - i;
	}
	if (raw[j] == ']' || raw[j] == 'P' || raw[j] == '_' ||
	    raw[j] == '^' || raw[j] == 'X') { /* OSC, DCS ...: up to BEL/ST */
		for (j++; j < len && raw[j] != '\n'; j++) {
			if (raw[j] == 0x07)
				return j + 1 - i;
			if (raw[j] == 0x1b && j + 1 < len && raw[j + 1] == '\\')
				return j + 2 - i;
		}
		return j - i;
	}
	while (j < len && raw[j] >= 0x20 && raw[j] < 0x30) /* ESC ( B ... */
		j++;
	return j < len && raw[j] >= 0x30 && raw[j] <= 0x7e ? j + 1 - i : j - i;
}

/* Backspace: drops the character before it, if on the same line. */
static void backspace(struct sb *out)
{
	if (!out->len || out->buf[out->len - 1] == '\n')
		return;
	while (out->len > 1 && (out->buf[out->len - 1] & 0xc0) == 0x80)
		out->len--;
	out->len--;
	out->buf[out->len] = '\0';
}

char *match_normalize(const char *raw, size_t len, size_t *out_len)
{
	const unsigned char *r = (const unsigned char *)raw;
	struct sb out;
	size_t i = 0;

	sb_init(&out);
	while (i < len) {
		unsigned char c = r[i];

		if (c == '\r') { /* CR LF, CR CR LF (a tty's onlcr) or CR */
			while (i < len && r[i] == '\r')
				i++;
			if (i >= len || r[i] != '\n')
				sb_addc(&out, '\n');
		} else if (c == 0x1b) {
			i += escape_len(r, i, len);
		} else if (c == '\b') {
			backspace(&out);
			i++;
		} else {
			if (c >= 0x20 || c == '\t' || c == '\n')
				sb_addc(&out, (char)c);
			i++;
		}
	}
	return sb_detach(&out, out_len);
}

static int is_word_char(char c)
{
	return c == '_' || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	       (c >= 'a' && c <= 'z');
}

/*
 * The distinct literal words of a pattern: runs of 3 or more word
 * characters, not counting the letter of an escape (\d, \s, \b ...).
 */
static size_t pattern_words(const char *pattern, char ***words)
{
	size_t n = 0, cap = 0, k, len;
	const char *p = pattern;

	*words = NULL;
	while (*p) {
		if (*p == '\\') {
			p += p[1] ? 2 : 1;
			continue;
		}
		for (len = 0; is_word_char(p[len]); len++)
			;
		if (!len) {
			p++;
			continue;
		}
		for (k = 0; k < n; k++)
			if (strlen((*words)[k]) == len &&
			    !memcmp((*words)[k], p, len))
				break;
		if (len >= 3 && k == n) {
			ARRAY_PUSH(*words, n, cap);
			(*words)[n++] = xstrndup(p, len);
		}
		p += len;
	}
	return n;
}

static size_t line_score(char **words, size_t nwords, const char *line,
			 size_t len)
{
	size_t i, score = 0;

	for (i = 0; i < nwords; i++)
		if (memmem(line, len, words[i], strlen(words[i])))
			score++;
	return score;
}

/* Inserts a line into the best-first list of at most `max`. */
static void keep_best(size_t *scores, const char **lines, size_t *lens,
		      size_t *n, size_t max, size_t score, const char *line,
		      size_t len)
{
	size_t at = *n;

	while (at > 0 && scores[at - 1] < score)
		at--;
	if (at >= max)
		return;
	if (*n == max)
		(*n)--;
	memmove(scores + at + 1, scores + at, (*n - at) * sizeof(*scores));
	memmove(lines + at + 1, lines + at, (*n - at) * sizeof(*lines));
	memmove(lens + at + 1, lens + at, (*n - at) * sizeof(*lens));
	scores[at] = score;
	lines[at] = line;
	lens[at] = len;
	(*n)++;
}

size_t match_closest(const char *pattern, const char *text, size_t len,
		     size_t max, const char **lines, size_t *lens)
{
	char **words;
	size_t nwords = pattern_words(pattern, &words);
	size_t *scores = xcalloc(max ? max : 1, sizeof(*scores));
	size_t i, n = 0, pos = 0;

	while (max && nwords && pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t l = nl ? (size_t)(nl - (text + pos)) : len - pos;
		size_t score = line_score(words, nwords, text + pos, l);

		if (score)
			keep_best(scores, lines, lens, &n, max, score,
				  text + pos, l);
		pos += l + 1;
	}
	for (i = 0; i < nwords; i++)
		free(words[i]);
	free(words);
	free(scores);
	return n;
}
