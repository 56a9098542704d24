/* cmd_new.c — `labkit new [--id ID] [--title TITLE] [--lang en|pl]
 * [--autograder gradescope|prairielearn]... <dir>`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "opt.h"
#include "scaffold.h"
#include "util.h"

int cmd_new(int argc, char **argv)
{
	static const char *const langs[] = { "en", "pl", NULL };
	struct scaffold_opts o = { 0 };
	struct opt_list autograders = { 0 };
	const struct opt opts[] = {
		OPTION("id", 'i', OPT_STRING, &o.id, "<id>", "the lab id: letters, digits, '_', '-' (default: from <dir>'s name)"),
		OPTION("title", 't', OPT_STRING, &o.title, "<title>", "the lab's title (default: \"Lab <id>\", \"Laboratorium <id>\")"),
		OPTION("lang", 'l', OPT_CHOICE, &o.lang, "en|pl", "the language of labs.yaml's texts and of the report (default: the locale's, Polish or else English)", .choices = langs),
		OPTION("autograder", 'a', OPT_LIST, &autograders, "<platform>", "also what gradescope or prairielearn needs to grade the lab\n"
		  "                                 there, in autograder/<platform>/ (repeatable)"),
		OPT_END,
	};
	const struct opt_cmd cmd = {
		"new", "Writes a starter lab repository into <dir> (created; it may be an empty directory).",
		"<dir>", 1, 1, opts,
		"It holds CMakeLists.txt (finds the installed labkit), CMakePresets.json\n"
		"(the workflows 'lab' and 'check'), labs.yaml with one exercise, the\n"
		"module modules/hello, README.md, .gitignore, .clangd and CI files\n"
		"(.gitlab-ci.yml, .github/workflows/lab.yml, which reports the points to\n"
		"GitHub Classroom).  Nothing is written when anything fails.\n",
	};
	char *id;
	int first, parsed = opt_parse(&cmd, argc, argv, &first);

	if (parsed != OPT_OK)
		return opt_exit(parsed);
	o.dir = argv[first];
	o.autograders = autograders.v;
	o.nautograders = autograders.n;
	if (scaffold_new(&o, &id) < 0) {
		free(autograders.v);
		return EXIT_USAGE;
	}
	printf("labkit new: wrote lab '%s' (in %s) into %s; next:\n"
	       "  cd %s\n"
	       "  cmake --workflow --preset lab      # the whole lab and its report\n"
	       "  cmake --workflow --preset check    # the quick check after an edit\n",
	       id, !strcmp(o.lang ? o.lang : scaffold_default_lang(), "pl") ?
	       "Polish" : "English", o.dir, o.dir);
	for (size_t i = 0; i < autograders.n; i++)
		printf("labkit new: %s's autograder is in %s/autograder/%s/ (its README.md says how to use it)\n",
		       autograders.v[i], o.dir, autograders.v[i]);
	free(autograders.v);
	free(id);
	return EXIT_OK;
}
