/* cmd_xref.c — `labkit xref index|def|refs|show|file|doc|serve`: the
 * offline kernel cross-referencer (tools/lib/xref*.c does the work). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "util.h"
#include "xref.h"

#define DEFAULT_INDEX "build/xref/index"

static int usage(void)
{
	fprintf(stderr,
		"usage: labkit xref index <tree> [-o <index>] [-j <jobs>] [--full]\n"
		"       labkit xref def <name>... [--kind <kind>] [--in <path-prefix>]\n"
		"       labkit xref refs <name> [--in <path-prefix>]\n"
		"       labkit xref show <name> | struct|union|enum <name> [--in <path-prefix>]\n"
		"       labkit xref file <pattern>\n"
		"       labkit xref doc <words>...\n"
		"       labkit xref serve [--tree <dir>] [--port <n>] [--bind <addr>]\n"
		"  every query takes --index <file> (default $LABKIT_XREF_INDEX, else\n"
		"  " DEFAULT_INDEX "), --json and --limit <n>; kinds: struct union enum\n"
		"  typedef function prototype macro enumerator variable extern syscall label;\n"
		"  index updates an existing index of the same tree, reading only the\n"
		"  files whose size or mtime changed, unless given --full;\n"
		"  serve listens on 127.0.0.1 port 8000 unless told (port 0: any free port)\n"
		"  and shows the tree the index was built from unless given --tree\n");
	return EXIT_USAGE;
}

struct xref_opts {
	const char *index;
	const char *in;
	int kind;
	int json;
	long limit;
	long jobs;
	const char *out;
	const char *tree;
	const char *bind;
	long port;
	int full;
};

/* Parses the options of `labkit xref <sub>`; argv[0] is <sub>.  1 for
 * --help, -1 after an error. */
static int parse_opts(int argc, char **argv, struct xref_opts *o)
{
	static const struct option opts[] = {
		{ "index", required_argument, NULL, 'x' },
		{ "in", required_argument, NULL, 'i' },
		{ "kind", required_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'J' },
		{ "limit", required_argument, NULL, 'n' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "output", required_argument, NULL, 'o' },
		{ "tree", required_argument, NULL, 't' },
		{ "bind", required_argument, NULL, 'b' },
		{ "port", required_argument, NULL, 'p' },
		{ "full", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "x:i:k:Jn:j:o:t:b:p:Fh", opts, NULL)) != -1) {
		switch (c) {
		case 'x': o->index = optarg; break;
		case 'i': o->in = optarg; break;
		case 'o': o->out = optarg; break;
		case 't': o->tree = optarg; break;
		case 'b': o->bind = optarg; break;
		case 'p':
			o->port = strtol(optarg, &end, 10);
			if (*end || end == optarg || o->port < 0 || o->port > 65535)
				return error("--port wants a number from 0 to 65535, not '%s'", optarg);
			break;
		case 'J': o->json = 1; break;
		case 'F': o->full = 1; break;
		case 'h': return 1;
		case 'k':
			o->kind = xref_kind_parse(optarg);
			if (o->kind < 0)
				return error("unknown kind '%s' (see 'labkit xref --help')", optarg);
			break;
		case 'n': case 'j':
			*(c == 'n' ? &o->limit : &o->jobs) = strtol(optarg, &end, 10);
			if (*end || end == optarg || (c == 'n' ? o->limit : o->jobs) < 1)
				return error("--%s wants a positive number, not '%s'",
					     c == 'n' ? "limit" : "jobs", optarg);
			break;
		default:
			return -1;
		}
	}
	return 0;
}

static int run_index(int argc, char **argv, const struct xref_opts *o)
{
	struct xref_build_stats st;
	const char *out = o->out ? o->out : o->index;
	long jobs = o->jobs ? o->jobs : sysconf(_SC_NPROCESSORS_ONLN);

	if (argc != 1)
		return usage();
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

static int run_serve(int argc, const struct xref_opts *o)
{
	struct xref_serve_opts so = {
		.index = o->index, .tree = o->tree,
		.bind = o->bind ? o->bind : "127.0.0.1", .port = (unsigned)o->port,
	};

	if (argc != 0)
		return usage();
	return xref_serve(&so) < 0 ? EXIT_USAGE : EXIT_OK;
}

static int run_query(const char *sub, int argc, char **argv,
		     const struct xref_opts *o)
{
	struct xref_query q = {
		.out = stdout, .in = o->in, .kind = o->kind, .json = o->json,
		.limit = (size_t)o->limit,
	};
	struct xref_index *idx;
	char *what = NULL;
	int rc;

	/* `show struct dentry` as well as `show 'struct dentry'` */
	if (!strcmp(sub, "show") && argc == 2 && (!strcmp(argv[0], "struct") ||
	    !strcmp(argv[0], "union") || !strcmp(argv[0], "enum")))
		what = xasprintf("%s %s", argv[0], argv[1]);
	if (argc < 1 || (argc > 1 && !what && (!strcmp(sub, "refs") ||
	    !strcmp(sub, "show") || !strcmp(sub, "file"))))
		return usage();
	idx = xref_open(o->index);
	if (!idx) {
		free(what);
		return EXIT_USAGE;
	}
	if (!strcmp(sub, "def"))
		rc = xref_query_def(idx, &q, argv, argc);
	else if (!strcmp(sub, "refs"))
		rc = xref_query_refs(idx, &q, argv[0]);
	else if (!strcmp(sub, "show"))
		rc = xref_query_show(idx, &q, what ? what : argv[0]);
	else if (!strcmp(sub, "file"))
		rc = xref_query_file(idx, &q, argv[0]);
	else
		rc = xref_query_doc(idx, &q, argv, argc);
	xref_close(idx);
	free(what);
	if (fflush(stdout) != 0)
		return EXIT_INTERNAL;
	return rc < 0 ? EXIT_INTERNAL : rc ? EXIT_CHECK_FAILED : EXIT_OK;
}

int cmd_xref(int argc, char **argv)
{
	static const char *const subs[] = { "index", "def", "refs", "show", "file", "doc", "serve" };
	struct xref_opts o = { 0 };
	const char *sub;
	size_t i;

	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage();
		return EXIT_OK;
	}
	sub = argv[1];
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]) && strcmp(sub, subs[i]); i++)
		;
	if (i == sizeof(subs) / sizeof(subs[0])) {
		error("unknown xref command '%s' (see 'labkit xref --help')", sub);
		return EXIT_USAGE;
	}
	o.port = 8000;
	o.index = getenv("LABKIT_XREF_INDEX");
	if (!o.index || !*o.index)
		o.index = DEFAULT_INDEX;
	switch (parse_opts(argc - 1, argv + 1, &o)) {
	case 1:
		usage();
		return EXIT_OK;
	case -1:
		return usage();
	}
	argc -= 1 + optind;
	argv += 1 + optind;
	if (!strcmp(sub, "index"))
		return run_index(argc, argv, &o);
	if (!strcmp(sub, "serve"))
		return run_serve(argc, &o);
	return run_query(sub, argc, argv, &o);
}
