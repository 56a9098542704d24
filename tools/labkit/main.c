/*
 * main.c — the labkit command: one table of subcommands, each a thin
 * cmd_<name>.c that parses its options and calls liblabkit.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "util.h"

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "spec", cmd_spec, "validate labs.yaml and write the CMake it drives" },
	{ "build", cmd_build, "build an exercise's kernel from source, timed" },
	{ "run", cmd_run, "boot an exercise's guest and run its steps" },
	{ "check", cmd_check, "check a step's saved results against its expectations" },
	{ "report", cmd_report, "write the lab report (Markdown, HTML, time chart)" },
	{ "xref", cmd_xref, "index the kernel source and answer LXR-style queries" },
	{ "help", cmd_help, "list the commands" },
};

int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("usage: labkit <command> [options]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		printf("  %-8s %s\n", commands[i].name, commands[i].help);
	printf("\n'labkit <command> --help' describes a command's options.\n");
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		cmd_help(0, NULL);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(0, NULL);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	error("unknown command '%s' (see 'labkit help')", argv[1]);
	return EXIT_USAGE;
}
