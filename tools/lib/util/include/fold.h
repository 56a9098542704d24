/* fold.h — a kernel's text with what it repeats counted, not repeated
 * (fold.c). */
#ifndef LABKIT_FOLD_H
#define LABKIT_FOLD_H

#include <stddef.h>

struct sb;

/* Writes the line that says a block of `lines` lines came `times` times
 * (its newline too): another language's words. */
typedef void fold_mark_fn(struct sb *out, size_t lines, size_t times,
			  void *ctx);

/* The longest block of lines a fold looks for, and how many times in a
 * row it must come to be folded. */
#define FOLD_BLOCK_MAX 64
#define FOLD_MIN_TIMES 3

/*
 * `text` with each block of up to FOLD_BLOCK_MAX lines that comes
 * FOLD_MIN_TIMES times or more in a row (the kernel's printk times,
 * "[   12.345678] ", ignored) shown once, followed by a line of its own:
 * "[… the line above repeated 412 times …]", or "[… the 40 lines above
 * repeated 20 times …]" (the count is of every time, the one shown too).
 * A fault that floods the console (an idle task made to sleep prints its
 * "bad: scheduling from the idle thread!" and a stack, again and again)
 * reads as what it is.  `mark` (NULL: those English words) writes the
 * line after a block.  The caller frees; *folded (may be NULL) gets the
 * number of blocks folded.  Cannot fail.
 */
char *fold_repeats(const char *text, fold_mark_fn *mark, void *ctx,
		   size_t *folded);

#endif
