/* cmd_xref.c — `labkit xref index|def|refs|show|file|doc|serve`: the
 * offline kernel cross-referencer (tools/lib/xref/ does the work,
 * xref_writeout.c writes the queries' answers out). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "opt.h"
#include "util.h"
#include "xref_index.h"
#include "xref_query.h"
#include "xref_serve.h"
#include "xref_writeout.h"

#define DEFAULT_INDEX "build/xref/index"

struct xref_opts {
	const char *index;
	const char *in;
	const char *kind;
	bool json;
	int limit;
	int jobs;
	const char *out;
	const char *tree;
	const char *bind;
	int port;
	bool full;
};

/* Which options each sub takes (bits of xref_sub.opts). */
enum { XO_INDEX_CMD = 1u << 0, XO_DEF = 1u << 1, XO_IN = 1u << 2,
       XO_QUERY = 1u << 3, XO_SERVE = 1u << 4 };

/* What each subcommand takes: its operands and options. */
static const struct xref_sub {
	const char *name;
	const char *summary;
	const char *operands;
	int min, max;
	unsigned opts;           /* XO_* */
} subs[] = {
	{ "index", "Indexes a kernel tree (an update reads only what changed).", "<tree>", 1, 1, XO_INDEX_CMD },
	{ "def", "Where names are defined.", "<name>...", 1, -1, XO_DEF },
	{ "refs", "Where a name is used.", "<name>", 1, 1, XO_IN },
	{ "show", "A definition with its kernel-doc ('struct dentry' or struct dentry).", "<name>", 1, 2, XO_IN },
	{ "file", "Files whose path matches.", "<pattern>", 1, 1, XO_QUERY },
	{ "doc", "Documentation/ pages about some words.", "<words>...", 1, -1, XO_QUERY },
	{ "serve", "A local LXR in the browser.", NULL, 0, 0, XO_SERVE },
};

/* Parses `labkit xref <sub>`'s options from its own table. */
static int parse(const struct xref_sub *sub, int argc, char **argv,
		 struct xref_opts *o, int *first)
{
	const bool query = !(sub->opts & (XO_INDEX_CMD | XO_SERVE));
	struct opt opts[16];
	size_t n = 0;
	char name[32];

	if (sub->opts & XO_INDEX_CMD) {
		opts[n++] = (struct opt)OPTION("output", 'o', OPT_STRING, &o->out, "<index>", "where the index goes (default: --index)");
		opts[n++] = (struct opt)OPTION("jobs", 'j', OPT_INT, &o->jobs, "<n>", "worker threads (default: the cores)");
		opts[n++] = (struct opt)OPTION("full", 0, OPT_FLAG, &o->full, NULL, "index everything again instead of updating");
	}
	opts[n++] = (struct opt)OPTION("index", 'x', OPT_STRING, &o->index, "<file>", "the index (default $LABKIT_XREF_INDEX, else " DEFAULT_INDEX ")");
	if (sub->opts & XO_DEF)
		opts[n++] = (struct opt)OPTION("kind", 'k', OPT_STRING, &o->kind, "<kind>", "only definitions of this kind: struct union enum typedef\n"
			"                                 function prototype macro enumerator\n"
			"                                 variable extern syscall label");
	if (sub->opts & (XO_DEF | XO_IN))
		opts[n++] = (struct opt)OPTION("in", 'i', OPT_STRING, &o->in, "<path-prefix>", "only in files under this path");
	if (query) {
		opts[n++] = (struct opt)OPTION("json", 'J', OPT_FLAG, &o->json, NULL, "JSON instead of lines");
		opts[n++] = (struct opt)OPTION("limit", 'n', OPT_INT, &o->limit, "<n>", "at most this many answers");
	}
	if (sub->opts & XO_SERVE) {
		opts[n++] = (struct opt)OPTION("tree", 't', OPT_STRING, &o->tree, "<dir>", "the tree to show (default: the one indexed)");
		opts[n++] = (struct opt)OPTION("port", 'p', OPT_INT, &o->port, "<n>", "the port (default 8000; 0: any free one)");
		opts[n++] = (struct opt)OPTION("bind", 'b', OPT_STRING, &o->bind, "<addr>", "the address (default 127.0.0.1)");
	}
	opts[n] = (struct opt)OPT_END;
	snprintf(name, sizeof(name), "xref %s", sub->name);
	{
		const struct opt_cmd cmd = { name, sub->summary, sub->operands,
					     sub->min, sub->max, opts, NULL };

		return opt_parse(&cmd, argc, argv, first);
	}
}

static int usage(FILE *f)
{
	fprintf(f, "usage: labkit xref <command> [options] ...\n\n"
		   "The offline kernel cross-referencer.\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		fprintf(f, "  %-6s %s\n", subs[i].name, subs[i].summary);
	fprintf(f, "\n'labkit xref <command> --help' describes its options.\n");
	return f == stdout ? EXIT_OK : EXIT_USAGE;
}

static int run_index(char **argv, const struct xref_opts *o)
{
	struct xref_build_stats st;
	const char *out = o->out ? o->out : o->index;
	long jobs = o->jobs ? o->jobs : sysconf(_SC_NPROCESSORS_ONLN);

	if (xref_build(argv[0], out, jobs > 0 ? (int)jobs : 1,
		       o->full ? XREF_BUILD_FULL : 0, &st) < 0)
		return EXIT_USAGE;
	if (st.updated && !st.reread && !st.removed) {
		fprintf(stderr, "%s: up to date with %s (%zu files checked, %zu touched "
			"with the same content, in %.2f s)\n",
			out, argv[0], st.files, st.restamped, st.seconds);
		return EXIT_OK;
	}
	if (st.updated) {
		fprintf(stderr,
			"updated %s in %.2f s: %zu files read again, %zu gone (%zu skipped):\n"
			"  %zu symbols, %zu definitions, %zu references; %.1f MB\n",
			out, st.seconds, st.reread, st.removed, st.skipped, st.syms,
			st.defs, st.refs, st.index_bytes / 1e6);
		return EXIT_OK;
	}
	fprintf(stderr,
		"indexed %zu files (%.1f MB, %zu skipped) and %zu documents in %.2f s:\n"
		"  %zu symbols, %zu definitions, %zu references; %s: %.1f MB\n",
		st.files, st.bytes / 1e6, st.skipped, st.docs, st.seconds,
		st.syms, st.defs, st.refs, out, st.index_bytes / 1e6);
	return EXIT_OK;
}

static int run_serve(const struct xref_opts *o)
{
	struct xref_serve_opts so = {
		.index = o->index, .tree = o->tree,
		.bind = o->bind ? o->bind : "127.0.0.1", .port = (unsigned)o->port,
	};
	int sig = xref_serve(&so);

	if (sig < 0)
		return EXIT_USAGE;
	fprintf(stderr, "labkit xref serve: stopped by %s\n",
		sig == SIGINT ? "SIGINT" : "SIGTERM");
	return EXIT_OK;
}

static int run_query(const char *sub, int argc, char **argv,
		     const struct xref_opts *o)
{
	struct writeout w = {
		.out = stdout, .in = o->in, .json = o->json,
		.kind = o->kind ? xref_kind_parse(o->kind) : 0,
		.limit = (size_t)o->limit,
	};
	struct xref_index *idx;
	char *what = NULL;
	int rc;

	if (w.kind < 0)
		return error("unknown kind '%s' (see 'labkit xref def --help')",
			     o->kind), EXIT_USAGE;
	/* `show struct dentry` as well as `show 'struct dentry'` */
	if (argc == 2 && (!strcmp(argv[0], "struct") ||
	    !strcmp(argv[0], "union") || !strcmp(argv[0], "enum")))
		what = xasprintf("%s %s", argv[0], argv[1]);
	else if (!strcmp(sub, "show") && argc == 2)
		return error("'labkit xref show' takes one name, or struct|union|enum <name>"),
		       EXIT_USAGE;
	idx = xref_open(o->index);
	if (!idx) {
		free(what);
		return EXIT_USAGE;
	}
	if (!strcmp(sub, "def"))
		rc = writeout_def(idx, &w, argv, argc);
	else if (!strcmp(sub, "refs"))
		rc = writeout_refs(idx, &w, argv[0]);
	else if (!strcmp(sub, "show"))
		rc = writeout_show(idx, &w, what ? what : argv[0]);
	else if (!strcmp(sub, "file"))
		rc = writeout_file(idx, &w, argv[0]);
	else
		rc = writeout_doc(idx, &w, argv, argc);
	xref_close(idx);
	free(what);
	if (fflush(stdout) != 0)
		return EXIT_INTERNAL;
	return rc < 0 ? EXIT_INTERNAL : rc ? EXIT_CHECK_FAILED : EXIT_OK;
}

int cmd_xref(int argc, char **argv)
{
	struct xref_opts o = { .port = 8000 };
	const struct xref_sub *sub = NULL;
	int first, parsed;

	if (argc < 2)
		return usage(stderr);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return usage(stdout);
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(argv[1], subs[i].name))
			sub = &subs[i];
	if (!sub) {
		error("unknown xref command '%s' (see 'labkit xref --help')", argv[1]);
		return EXIT_USAGE;
	}
	o.index = getenv("LABKIT_XREF_INDEX");
	if (!o.index || !*o.index)
		o.index = DEFAULT_INDEX;
	parsed = parse(sub, argc - 1, argv + 1, &o, &first);
	if (parsed != OPT_OK)
		return opt_exit(parsed);
	argc -= 1 + first;
	argv += 1 + first;
	if (sub->opts & XO_INDEX_CMD)
		return run_index(argv, &o);
	if (sub->opts & XO_SERVE)
		return run_serve(&o);
	return run_query(sub->name, argc, argv, &o);
}
