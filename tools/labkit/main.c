/*
 * main.c — the labkit command: one table of subcommands, each a thin
 * cmd_<name>.c that parses its options and calls the library.  `labkit
 * help [<command>]` and `labkit <command> --help` print on stdout.
 * The bootstrap build (LABKIT_BOOTSTRAP: what configuring a lab needs
 * before anything else is built) has `spec` only.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "opt.h"
#include "print.h"
#include "spec.h"
#include "util.h"

static int cmd_help(int argc, char **argv);

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "spec", cmd_spec, "validate labs.yaml and write the CMake it drives" },
#ifndef LABKIT_BOOTSTRAP
	{ "build", cmd_build, "build an exercise's kernel from source, timed" },
	{ "run", cmd_run, "boot an exercise's guest and run its steps" },
	{ "shell", cmd_shell, "a shell in an exercise's guest, booted as its run boots it" },
	{ "gdb", cmd_gdb, "gdb on the kernel of an exercise's guest, its modules' symbols loaded" },
	{ "check", cmd_check, "check a step's saved results against its expectations" },
	{ "report", cmd_report, "write the lab report (Markdown, HTML, time chart)" },
	{ "grade", cmd_grade, "grade a class's submissions: sandboxed, in parallel, one table" },
	{ "export", cmd_export, "a grading's results for Gradescope, PrairieLearn, Classroom, Moodle" },
	{ "xref", cmd_xref, "index the kernel source and answer LXR-style queries" },
	{ "new", cmd_new, "write a starter lab repository" },
#endif
	{ "help", cmd_help, "list the commands, or describe one" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct command *find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

static void list(FILE *f)
{
	fprintf(f, "usage: labkit <command> [options]\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n'labkit help <command>' describes a command's options.\n");
}

static int cmd_help(int argc, char **argv)
{
	const struct command *c;
	char *args[] = { NULL, "--help", NULL };

	if (argc < 2) {
		list(stdout);
		return EXIT_OK;
	}
	c = find(argv[1]);
	if (!c || c->fn == cmd_help) {
		error("no command '%s' (see 'labkit help')", argv[1]);
		return EXIT_USAGE;
	}
	args[0] = argv[1];
	return c->fn(2, args);
}

int cmd_begin(const struct opt_cmd *cmd, int argc, char **argv,
	      const char *const *spec_path, struct spec **spec)
{
	int first, parsed = opt_parse(cmd, argc, argv, &first);

	if (parsed != OPT_OK)
		return opt_exit(parsed);
	*spec = spec_load(*spec_path);
	return *spec ? -1 : EXIT_USAGE;
}

int main(int argc, char **argv)
{
	const struct command *c;

	print_install();
	if (argc < 2) {
		list(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(1, argv);
	c = find(argv[1]);
	if (c)
		return c->fn(argc - 1, argv + 1);
	error("unknown command '%s' (see 'labkit help')", argv[1]);
	return EXIT_USAGE;
}
