/*
 * expand.c — ${name} variables in commands and patterns.
 *
 * Owns the name=value table (struct expand_vars) and the one scanner that
 * decides what "${name}" and "$$" mean, so that spec checking and run-time
 * expansion can never disagree.  A name is [A-Za-z_][A-Za-z0-9_.-]*; a "$"
 * followed by anything but "{" or "$" is kept as it is (it is an anchor in
 * a pattern).  In EXPAND_REGEX mode every non-alphanumeric ASCII byte of a
 * value is escaped with a backslash, so a value is literal text wherever it
 * lands in a pattern (inside a class too, unlike \Q...\E).
 *
 * Never prints.  Fails by returning NULL (expand) or -1 (expand_each_name)
 * with the offset of the offending "$"; allocation failure dies.
 */
#include "expand.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

void expand_vars_init(struct expand_vars *v)
{
	memset(v, 0, sizeof(*v));
}

static size_t vars_find(const struct expand_vars *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (!strcmp(v->name[i], name))
			return i;
	return v->n;
}

void expand_vars_set(struct expand_vars *v, const char *name,
		     const char *value)
{
	size_t i = vars_find(v, name);

	if (i < v->n) {
		free(v->value[i]);
		v->value[i] = xstrdup(value);
		return;
	}
	if (v->n == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 16;
		v->name = xrealloc(v->name, v->cap * sizeof(*v->name));
		v->value = xrealloc(v->value, v->cap * sizeof(*v->value));
	}
	v->name[v->n] = xstrdup(name);
	v->value[v->n] = xstrdup(value);
	v->n++;
}

const char *expand_vars_get(const struct expand_vars *v, const char *name)
{
	size_t i = vars_find(v, name);

	return i < v->n ? v->value[i] : NULL;
}

void expand_vars_free(struct expand_vars *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		free(v->name[i]);
		free(v->value[i]);
	}
	free(v->name);
	free(v->value);
	expand_vars_init(v);
}

static int is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_alnum(char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

/*
 * At in[i] == '$': the length of "${name}" starting there (name in
 * *name, *name_len), 0 when it is not a reference at all, -1 when "${"
 * is not followed by a valid name and "}".
 */
static long scan_ref(const char *in, size_t i, const char **name,
		     size_t *name_len)
{
	size_t j = i + 2;

	if (in[i + 1] != '{')
		return 0;
	if (!is_alpha(in[j]) && in[j] != '_')
		return -1;
	while (is_alnum(in[j]) || in[j] == '_' || in[j] == '.' ||
	       in[j] == '-')
		j++;
	if (in[j] != '}')
		return -1;
	*name = in + i + 2;
	*name_len = j - (i + 2);
	return (long)(j + 1 - i);
}

int expand_each_name(const char *in,
		     void (*fn)(const char *name, size_t offset, void *arg),
		     void *arg, size_t *bad)
{
	size_t i = 0;

	while (in[i]) {
		const char *name;
		size_t name_len;
		long n;

		if (in[i] != '$') {
			i++;
			continue;
		}
		if (in[i + 1] == '$') {
			i += 2;
			continue;
		}
		n = scan_ref(in, i, &name, &name_len);
		if (n < 0) {
			if (bad)
				*bad = i;
			return -1;
		}
		if (n > 0) {
			char *s = xstrndup(name, name_len);

			fn(s, i, arg);
			free(s);
			i += (size_t)n;
		} else {
			i++;
		}
	}
	return 0;
}

static void add_value(struct sb *out, const char *value, enum expand_mode mode)
{
	const unsigned char *p;

	if (mode == EXPAND_PLAIN) {
		sb_adds(out, value);
		return;
	}
	for (p = (const unsigned char *)value; *p; p++) {
		if (*p < 0x80 && !is_alnum((char)*p))
			sb_addc(out, '\\');
		sb_addc(out, (char)*p);
	}
}

/* Sets the failure outputs and releases the half-built result. */
static char *fail(struct sb *out, size_t at, const char *name, size_t len,
		  size_t *bad_offset, char **bad_name)
{
	sb_release(out);
	if (bad_offset)
		*bad_offset = at;
	if (bad_name)
		*bad_name = name ? xstrndup(name, len) : NULL;
	return NULL;
}

char *expand(const char *in, const struct expand_vars *v,
	     enum expand_mode mode, size_t *bad_offset, char **bad_name)
{
	struct sb out;
	size_t i = 0;

	sb_init(&out);
	while (in[i]) {
		const char *name, *value;
		size_t name_len;
		char *s;
		long n;

		if (in[i] != '$' || in[i + 1] == '$') {
			sb_addc(&out, in[i]);
			i += in[i] == '$' ? 2 : 1;
			continue;
		}
		n = scan_ref(in, i, &name, &name_len);
		if (n < 0)
			return fail(&out, i, NULL, 0, bad_offset, bad_name);
		if (n == 0) {
			sb_addc(&out, in[i++]);
			continue;
		}
		s = xstrndup(name, name_len);
		value = expand_vars_get(v, s);
		free(s);
		if (!value)
			return fail(&out, i, name, name_len, bad_offset,
				    bad_name);
		add_value(&out, value, mode);
		i += (size_t)n;
	}
	return sb_detach(&out, NULL);
}
