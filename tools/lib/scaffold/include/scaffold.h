/*
 * scaffold.h — `labkit new`: a starter lab repository that works at once
 * (a four-line CMakeLists.txt that finds an installed labkit, presets,
 * labs.yaml with one exercise, the module hello, clangd and CI files),
 * written all or nothing.  Errors are reported through events.h and the
 * functions return -1 (or NULL).
 */
#ifndef LABKIT_SCAFFOLD_H
#define LABKIT_SCAFFOLD_H

#include <stddef.h>

/* A file of the starter, as templates/new/ has it (scaffold_templates.c,
 * generated at build time by templates.cmake): its text holds @NAME@
 * placeholders, filled in when it is written. */
struct scaffold_template {
	const char *path;        /* relative: "labs.yaml", ".github/workflows/lab.yml" */
	int mode;                /* 0644, or 0755 */
	const char *text;        /* NUL-terminated */
	size_t len;              /* of text */
	const char *set;         /* "": every starter's; "gradescope": only
				    with --autograder gradescope, its path
				    under autograder/gradescope/ */
};

extern const struct scaffold_template scaffold_templates[];
extern const size_t scaffold_ntemplates;

/* The longest lab id `labkit new` gives a lab. */
#define SCAFFOLD_ID_MAX 64

struct scaffold_opts {
	const char *dir;         /* the new lab's directory: missing or empty */
	const char *id;          /* the lab id; NULL: from dir's name */
	const char *title;       /* the title; NULL: "Lab <id>" (en),
				    "Laboratorium <id>" (pl) */
	const char *lang;        /* "en" or "pl": the language of labs.yaml's
				    texts and of the report (the presets'
				    LABKIT_REPORT_LANG); NULL: the user's
				    locale's (scaffold_default_lang()) */
	size_t nautograders;
	const char *const *autograders; /* template sets to add
				    ("gradescope", "prairielearn") */
};

/*
 * Writes the starter into o->dir, which is created; refused when it
 * exists and is not an empty directory, when the id or the title is not
 * good.  Everything is written into a temporary sibling, <dir>.new-XXXXXX,
 * then renamed into place, so on any failure <dir> is as it was and the
 * temporary is gone.  0, with the lab id in *id (free it), or -1.
 */
int scaffold_new(const struct scaffold_opts *o, char **id);

/* The language of the user's locale (LC_ALL, else LC_MESSAGES, else
 * LANG): "pl" when it is Polish, else "en". */
const char *scaffold_default_lang(void);
/* Is `name` a platform `labkit new --autograder` writes files for?  0,
 * or -1 reported, naming those it knows. */
int scaffold_check_autograder(const char *name);

/* Is `id` good for a new lab: letters, digits, '_' and '-', starting with
 * a letter, at most SCAFFOLD_ID_MAX long?  0, or -1 reported. */
int scaffold_check_id(const char *id);

/* The lab id made of the last component of `dir`: lowercase, each run of
 * other characters a '-', what comes before the first letter dropped
 * ("My Lab 2" → "my-lab-2").  NULL, reported, when it has no letter. */
char *scaffold_default_id(const char *dir);

#endif
