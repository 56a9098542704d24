/* opt.h — one option table per command gives both its parser and its
 * usage text (libgit2's cli_opt_spec, git's parse-options). */
#ifndef LABKIT_OPT_H
#define LABKIT_OPT_H

#include <stdbool.h>
#include <stdio.h>

enum opt_type {
	OPT_STRING,              /* const char **dest */
	OPT_FLAG,                /* bool *dest, set to true */
	OPT_UNSET,               /* bool *dest, set to false (--no-x) */
	OPT_INT,                 /* int *dest, a whole number >= 0 */
	OPT_DOUBLE,              /* double *dest, a number >= 0 */
	OPT_CHOICE,              /* const char **dest, one of `choices` */
	OPT_LIST,                /* struct opt_list *dest: every time given */
};

/* The values of an option that may be given more than once. */
struct opt_list {
	const char **v;          /* argv's strings; free(v) when done */
	size_t n, cap;
};

struct opt {
	const char *name;        /* --name */
	char short_name;         /* -c, or 0 */
	enum opt_type type;
	void *dest;
	const char *arg;         /* the argument's name in the usage: "<dir>" */
	const char *help;        /* one line */
	bool required;
	const char *const *choices; /* OPT_CHOICE: NULL-terminated */
};

/* A row of a table: OPTION("spec", 's', OPT_STRING, &path, "<labs.yaml>",
 * "the lab spec", .required = true); the table ends with OPT_END. */
#define OPTION(n, s, t, d, a, h, ...)                                      \
	{ .name = (n), .short_name = (s), .type = (t), .dest = (d),        \
	  .arg = (a), .help = (h), __VA_ARGS__ }
#define OPT_END { .name = NULL }

struct opt_cmd {
	const char *name;        /* "run", or "xref index" */
	const char *summary;     /* what it does, one line */
	const char *operands;    /* "<labs.yaml>", or NULL for none */
	int min_operands, max_operands; /* max -1: any number */
	const struct opt *opts;  /* ends with { NULL } */
	const char *more;        /* more text after the options, or NULL */
};

/* The result of opt_parse(). */
enum {
	OPT_OK = 0,              /* *first: the index of the first operand */
	OPT_HELP = 1,            /* --help: the usage went to stdout */
	OPT_ERROR = -1,          /* the message and the usage went to stderr */
};

/* Parses argv (argv[0] is the command's name). */
int opt_parse(const struct opt_cmd *cmd, int argc, char **argv, int *first);

/* The usage text of `cmd`. */
void opt_usage(const struct opt_cmd *cmd, FILE *f);

/* What a command returns after opt_parse(): EXIT_OK after --help,
 * EXIT_USAGE after an error. */
int opt_exit(int parsed);

#endif
