/*
 * opt.c — command-line options from one table per command: getopt_long's
 * table and the usage text are both made from it, so they cannot drift.
 * `--help` prints the usage on stdout and is not an error (git's
 * convention); a bad option prints the message and the usage on stderr.
 */
#include "opt.h"
#include "util.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static size_t count(const struct opt *o)
{
	size_t n = 0;

	while (o[n].name)
		n++;
	return n;
}

static bool takes_arg(const struct opt *o)
{
	return o->type != OPT_FLAG && o->type != OPT_UNSET;
}

static int set_number(const struct opt *o, const char *arg)
{
	char *end;
	double d = strtod(arg, &end);

	/* !(d >= 0) refuses NaN too; an int must fit one */
	if (end == arg || *end || !(d >= 0) || d > 1e9 ||
	    (o->type == OPT_INT && d != (double)(int)d))
		return error("--%s wants a %s, not '%s'", o->name,
			     o->type == OPT_INT ? "whole number >= 0" :
			     "number >= 0", arg);
	if (o->type == OPT_INT)
		*(int *)o->dest = (int)d;
	else
		*(double *)o->dest = d;
	return 0;
}

static int set_choice(const struct opt *o, const char *arg)
{
	struct sb list;

	for (const char *const *c = o->choices; *c; c++)
		if (!strcmp(*c, arg)) {
			*(const char **)o->dest = *c;
			return 0;
		}
	sb_init(&list);
	for (const char *const *c = o->choices; *c; c++)
		sb_addf(&list, "%s%s", c == o->choices ? "" : ", ", *c);
	error("unknown %s '%s' (%s)", o->name, arg, list.buf);
	sb_release(&list);
	return -1;
}

static int set(const struct opt *o, const char *arg)
{
	switch (o->type) {
	case OPT_STRING:
		*(const char **)o->dest = arg;
		return 0;
	case OPT_FLAG:
	case OPT_UNSET:
		*(bool *)o->dest = o->type == OPT_FLAG;
		return 0;
	case OPT_INT:
	case OPT_DOUBLE:
		return set_number(o, arg);
	case OPT_CHOICE:
		return set_choice(o, arg);
	case OPT_LIST: {
		struct opt_list *l = o->dest;

		ARRAY_PUSH(l->v, l->n, l->cap);
		l->v[l->n++] = arg;
		return 0;
	}
	}
	return -1;
}

static int fail(const struct opt_cmd *cmd)
{
	opt_usage(cmd, stderr);
	return OPT_ERROR;
}

/* Every required option given, and as many operands as the command takes. */
static int complete(const struct opt_cmd *cmd, const bool *seen,
		    int noperands)
{
	for (size_t i = 0; cmd->opts[i].name; i++)
		if (cmd->opts[i].required && !seen[i])
			return error("'labkit %s' needs --%s", cmd->name,
				     cmd->opts[i].name);
	if (noperands < cmd->min_operands ||
	    (cmd->max_operands >= 0 && noperands > cmd->max_operands))
		return error("'labkit %s' takes %s", cmd->name,
			     cmd->operands ? cmd->operands : "no operands");
	return 0;
}

int opt_parse(const struct opt_cmd *cmd, int argc, char **argv, int *first)
{
	size_t n = count(cmd->opts);
	struct option *lo = xcalloc(n + 2, sizeof(*lo));
	bool *seen = xcalloc(n + 1, sizeof(*seen));
	struct sb shorts;
	int c, idx, rc = OPT_OK;

	sb_init(&shorts);
	sb_adds(&shorts, "h");
	for (size_t i = 0; i < n; i++) {
		const struct opt *o = &cmd->opts[i];

		lo[i] = (struct option){ o->name, takes_arg(o) ? required_argument :
					 no_argument, NULL, 256 + (int)i };
		if (o->short_name)
			sb_addf(&shorts, "%c%s", o->short_name, takes_arg(o) ? ":" : "");
	}
	lo[n] = (struct option){ "help", no_argument, NULL, 'h' };
	optind = 0;              /* 0, not 1: glibc forgets a half-read cluster */
	opterr = 0;
	while (rc == OPT_OK &&
	       (c = getopt_long(argc, argv, shorts.buf, lo, &idx)) != -1) {
		size_t i = 0;

		if (c == 'h') {
			opt_usage(cmd, stdout);
			rc = OPT_HELP;
			break;
		}
		if (c < 256)
			while (i < n && cmd->opts[i].short_name != c)
				i++;
		else
			i = (size_t)(c - 256);
		if (c == '?' || c == ':' || i == n) {
			if (optopt && optopt < 256)
				error("'labkit %s': unknown option or missing argument '-%c'",
				      cmd->name, optopt);
			else
				error("'labkit %s': unknown option or missing argument '%s'",
				      cmd->name, argv[optind - 1]);
			rc = fail(cmd);
		} else if (set(&cmd->opts[i], optarg) < 0) {
			rc = fail(cmd);
		} else {
			seen[i] = true;
		}
	}
	if (rc == OPT_OK && complete(cmd, seen, argc - optind) < 0)
		rc = fail(cmd);
	*first = optind;
	sb_release(&shorts);
	free(seen);
	free(lo);
	return rc;
}

void opt_usage(const struct opt_cmd *cmd, FILE *f)
{
	fprintf(f, "usage: labkit %s%s%s%s\n", cmd->name,
		cmd->opts[0].name ? " [options]" : "",
		cmd->operands ? " " : "", cmd->operands ? cmd->operands : "");
	fprintf(f, "\n%s\n", cmd->summary);
	if (cmd->opts[0].name)
		fputs("\noptions:\n", f);
	for (const struct opt *o = cmd->opts; o->name; o++) {
		char head[80], shrt[8] = "    ";

		if (o->short_name)
			snprintf(shrt, sizeof(shrt), "-%c, ", o->short_name);
		snprintf(head, sizeof(head), "%s--%s%s%s", shrt, o->name,
			 takes_arg(o) ? " " : "", takes_arg(o) ? o->arg : "");
		fprintf(f, "  %-30s %s%s\n", head, o->help,
			o->required ? " (required)" : "");
	}
	if (cmd->more)
		fprintf(f, "\n%s", cmd->more);
}

int opt_exit(int parsed)
{
	return parsed == OPT_HELP ? EXIT_OK : EXIT_USAGE;
}
