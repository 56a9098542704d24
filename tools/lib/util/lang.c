/*
 * lang.c — the languages' names (lang.h).  Cannot fail: a name that is
 * no language is the caller's to report.
 */
#include "lang.h"

#include <string.h>

const char *const lang_names[LANG_COUNT + 1] = {
	[LANG_PL] = "pl",
	[LANG_EN] = "en",
	[LANG_COUNT] = NULL,
};

const char *lang_name(enum lang l)
{
	return (unsigned)l < LANG_COUNT ? lang_names[l] : "?";
}

int lang_parse(const char *name, enum lang *l)
{
	for (int i = 0; name && i < LANG_COUNT; i++)
		if (!strcmp(name, lang_names[i])) {
			*l = (enum lang)i;
			return 0;
		}
	return -1;
}
