/* lang.h — the languages labkit words a report in: one enum, one table of
 * names (the options' and <html lang>'s), parsed once where a language
 * comes in (an option), never compared by name after. */
#ifndef LABKIT_LANG_H
#define LABKIT_LANG_H

enum lang {
	LANG_PL,                 /* the default: a report is Polish first */
	LANG_EN,
	LANG_COUNT,
};

/* "pl", "en", then NULL: an option's choices. */
extern const char *const lang_names[LANG_COUNT + 1];

const char *lang_name(enum lang l);
/* 0 and *l set, or -1 for a name that is none (no message). */
int lang_parse(const char *name, enum lang *l);

#endif
