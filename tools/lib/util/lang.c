/*
 * lang.c — the languages' names (lang.h).  Cannot fail: a name that is
 * no language is the caller's to report.
 */
#include "lang.h"
#include "text.h"

const char *const lang_names[LANG_COUNT + 1] = {
	[LANG_PL] = "pl",
	[LANG_EN] = "en",
	[LANG_COUNT] = NULL,
};

TEXT_NAMES(lang, enum lang, lang_names, LANG_COUNT)
