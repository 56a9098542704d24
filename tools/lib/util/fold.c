/*
 * fold.c — what a guest's kernel says again and again, said once and
 * counted.  A line is compared without its printk time, through a hash
 * first; a block of k lines (1 <= k <= FOLD_BLOCK_MAX) that follows
 * itself is folded when it comes FOLD_MIN_TIMES times or more, the block
 * that covers the most lines winning (the shortest of equals).  The text
 * is only read; the folded copy is new.  Cannot fail (memory aside).
 */
#include "fold.h"
#include "util.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct line {
	const char *p;           /* the line, its newline included */
	size_t len;
	const char *key;         /* without the printk time and newline */
	size_t klen;
	uint64_t hash;           /* of the key */
};

/* "[   12.345678] ": the kernel's time of a line, or 0. */
static size_t printk_time(const char *p, size_t len)
{
	size_t i = 1;

	if (!len || p[0] != '[')
		return 0;
	while (i < len && (p[i] == ' ' || (p[i] >= '0' && p[i] <= '9') ||
			   p[i] == '.'))
		i++;
	return i + 1 < len && p[i] == ']' && p[i + 1] == ' ' ? i + 2 : 0;
}

static struct line *split(const char *text, size_t *n)
{
	struct line *l = NULL;
	size_t cap = 0;

	*n = 0;
	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\n"), t;
		uint64_t h = 14695981039346656037ULL;      /* FNV-1a */

		ARRAY_PUSH(l, *n, cap);
		t = printk_time(p, len);
		l[*n] = (struct line){ p, len + (p[len] == '\n'), p + t,
				       len - t, 0 };
		for (size_t i = 0; i < l[*n].klen; i++)
			h = (h ^ (unsigned char)l[*n].key[i]) *
			    1099511628211ULL;
		l[(*n)++].hash = h;
		p += l[*n - 1].len;
	}
	return l;
}

static bool same(const struct line *a, const struct line *b)
{
	return a->hash == b->hash && a->klen == b->klen &&
	       !memcmp(a->key, b->key, a->klen);
}

/* How many times in a row the block of `k` lines at `i` comes. */
static size_t times(const struct line *l, size_t n, size_t i, size_t k)
{
	size_t r = 1;

	for (;;) {
		size_t j = 0, at = i + r * k;

		if (at + k > n)
			return r;
		while (j < k && same(&l[i + j], &l[at + j]))
			j++;
		if (j < k)
			return r;
		r++;
	}
}

static void english(struct sb *out, size_t lines, size_t times, void *ctx)
{
	(void)ctx;
	if (lines == 1)
		sb_addf(out, "[… the line above repeated %zu times …]\n", times);
	else
		sb_addf(out, "[… the %zu lines above repeated %zu times …]\n",
			lines, times);
}

char *fold_repeats(const char *text, fold_mark_fn *mark, void *ctx,
		   size_t *folded)
{
	size_t n, count = 0;
	struct line *l = split(text, &n);
	struct sb out;

	sb_init(&out);
	for (size_t i = 0; i < n;) {
		size_t best_k = 0, best_r = 0;

		for (size_t k = 1; k <= FOLD_BLOCK_MAX &&
				   i + k * FOLD_MIN_TIMES <= n; k++) {
			size_t r = times(l, n, i, k);

			if (r >= FOLD_MIN_TIMES && r * k > best_r * best_k) {
				best_k = k;
				best_r = r;
			}
		}
		if (!best_k) {
			sb_add(&out, l[i].p, l[i].len);
			i++;
			continue;
		}
		for (size_t j = 0; j < best_k; j++)
			sb_add(&out, l[i + j].p, l[i + j].len);
		if (out.len && out.buf[out.len - 1] != '\n')
			sb_addc(&out, '\n');
		(mark ? mark : english)(&out, best_k, best_r, ctx);
		count++;
		i += best_k * best_r;
	}
	free(l);
	if (folded)
		*folded = count;
	return sb_detach(&out, NULL);
}
