/* test_opt.c — one option table gives the parser and the usage text. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <getopt.h>
#include <unistd.h>

#include "events.h"
#include "opt.h"
#include "util.h"

static const char *const accels[] = { "auto", "kvm", "tcg", NULL };

/* What a command's options land in. */
struct values {
	const char *spec;
	const char *out;
	bool verbose;
	bool ccache;
	int jobs;
	double timeout;
	const char *accel;
};

struct fixture {
	struct values v;
	struct opt opts[8];
	struct opt_cmd cmd;
	char *argv[32];          /* of the last parse */
	char *out, *err;         /* what it printed on stdout and stderr */
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	const struct opt opts[] = {
		OPTION("spec", 's', OPT_STRING, &f->v.spec, "<labs.yaml>",
		       "the lab spec", .required = true),
		OPTION("out", 'o', OPT_STRING, &f->v.out, "<dir>",
		       "where results go"),
		OPTION("verbose", 'v', OPT_FLAG, &f->v.verbose, NULL,
		       "say more"),
		OPTION("no-ccache", 0, OPT_UNSET, &f->v.ccache, NULL,
		       "compile without ccache"),
		OPTION("jobs", 'j', OPT_INT, &f->v.jobs, "<n>", "make -j<n>"),
		OPTION("timeout", 0, OPT_DOUBLE, &f->v.timeout, "<seconds>",
		       "the deadline"),
		OPTION("accel", 0, OPT_CHOICE, &f->v.accel, "<how>",
		       "auto, kvm or tcg", .choices = accels),
		OPT_END,
	};

	optind = 0;              /* getopt afresh, whatever a test left */
	memcpy(f->opts, opts, sizeof(opts));
	f->v.ccache = true;
	f->v.jobs = 1;
	f->v.accel = "auto";
	f->cmd = (struct opt_cmd){
		.name = "run", .summary = "runs an exercise",
		.operands = "<exercise>", .min_operands = 1, .max_operands = 1,
		.opts = f->opts, .more = "Exit status: 0 ok, 2 usage.\n",
	};
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	free(f->out);
	free(f->err);
	free(f);
	return 0;
}

/* Reads back and closes a stream a parse printed into. */
static char *slurp(FILE *tmp)
{
	struct sb sb;
	char buf[4096];
	size_t n;

	sb_init(&sb);
	rewind(tmp);
	while ((n = fread(buf, 1, sizeof(buf), tmp)) > 0)
		sb_add(&sb, buf, n);
	fclose(tmp);
	return sb_detach(&sb, NULL);
}

/* opt_parse() of a NULL-terminated list of words after the command, with
 * what it prints on stdout and stderr caught. */
static int parse_words(struct fixture *f, int *first, const char *const *words)
{
	FILE *out = tmpfile(), *err = tmpfile();
	int argc = 0, saved_out, saved_err, rc;

	assert_non_null(out);
	assert_non_null(err);
	f->argv[argc++] = (char *)"labkit-run";
	while (*words)
		f->argv[argc++] = (char *)*words++;
	f->argv[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	saved_out = dup(1);
	saved_err = dup(2);
	assert_true(dup2(fileno(out), 1) == 1 && dup2(fileno(err), 2) == 2);
	rc = opt_parse(&f->cmd, argc, f->argv, first);
	fflush(stdout);
	fflush(stderr);
	assert_true(dup2(saved_out, 1) == 1 && dup2(saved_err, 2) == 2);
	close(saved_out);
	close(saved_err);
	free(f->out);
	free(f->err);
	f->out = slurp(out);
	f->err = slurp(err);
	return rc;
}

#define PARSE(f, first, ...)                                               \
	parse_words((f), (first), (const char *const[]){ __VA_ARGS__, NULL })

static void every_type_sets_its_value(void **state)
{
	struct fixture *f = *state;
	int first = -1;

	assert_int_equal(PARSE(f, &first, "--spec", "labs.yaml", "-o", "out",
			       "-v", "--no-ccache", "--jobs=8", "--timeout",
			       "2.5", "--accel", "tcg", "3"), OPT_OK);
	assert_string_equal(f->v.spec, "labs.yaml");
	assert_string_equal(f->v.out, "out");
	assert_true(f->v.verbose);
	assert_false(f->v.ccache);
	assert_int_equal(f->v.jobs, 8);
	assert_true(f->v.timeout == 2.5);
	assert_string_equal(f->v.accel, "tcg");
	assert_int_equal(first, 12);
}

/* Short options, joined arguments, and what is not given stays. */
static void short_options_and_defaults(void **state)
{
	struct fixture *f = *state;
	int first = -1;

	assert_int_equal(PARSE(f, &first, "-slabs.yaml", "-vj4", "1"), OPT_OK);
	assert_string_equal(f->v.spec, "labs.yaml");
	assert_true(f->v.verbose);
	assert_int_equal(f->v.jobs, 4);
	assert_null(f->v.out);
	assert_true(f->v.ccache);
	assert_true(f->v.timeout == 0);
	assert_string_equal(f->v.accel, "auto");
	assert_int_equal(first, 3);
}

/* "--" ends the options: what follows is an operand. */
static void double_dash_ends_options(void **state)
{
	struct fixture *f = *state;
	int first = -1;

	assert_int_equal(PARSE(f, &first, "-s", "x.yaml", "--", "--verbose"), OPT_OK);
	assert_false(f->v.verbose);
	assert_int_equal(first, 4);
	assert_string_equal(f->argv[first], "--verbose");
}

/* A usage error: the message (events) and the usage on stderr, nothing
 * on stdout. */
static void error_shows_usage_on_stderr(void **state)
{
	struct fixture *f = *state;
	int first;

	assert_int_equal(PARSE(f, &first, "-v", "3"), OPT_ERROR);
	assert_string_equal(f->out, "");
	assert_int_equal(strncmp(f->err, "usage: labkit run [options] <exercise>\n", 39), 0);
	assert_int_equal(PARSE(f, &first, "-s", "x", "3"), OPT_OK);
	assert_string_equal(f->out, "");
	assert_string_equal(f->err, "");
}

static void missing_required_option(void **state)
{
	struct fixture *f = *state;
	int first;

	assert_int_equal(PARSE(f, &first, "-v", "3"), OPT_ERROR);
	assert_string_equal(events_last_error(), "'labkit run' needs --spec");
	assert_int_equal(opt_exit(OPT_ERROR), EXIT_USAGE);
}

static void unknown_choice(void **state)
{
	struct fixture *f = *state;
	int first;

	assert_int_equal(PARSE(f, &first, "-s", "x", "--accel", "hvf", "3"), OPT_ERROR);
	assert_string_equal(events_last_error(), "unknown accel 'hvf' (auto, kvm, tcg)");
	assert_string_equal(f->v.accel, "auto");
	/* a choice is the table's own string */
	assert_int_equal(PARSE(f, &first, "-s", "x", "--accel", "kvm", "3"), OPT_OK);
	assert_ptr_equal(f->v.accel, accels[1]);
}

static void unknown_option_or_missing_argument(void **state)
{
	struct fixture *f = *state;
	int first;

	assert_int_equal(PARSE(f, &first, "-s", "x", "--bogus", "3"), OPT_ERROR);
	assert_non_null(strstr(events_last_error(), "'--bogus'"));
	assert_int_equal(PARSE(f, &first, "-s", "x", "-x", "3"), OPT_ERROR);
	assert_non_null(strstr(events_last_error(), "unknown option"));
	assert_int_equal(PARSE(f, &first, "3", "--spec"), OPT_ERROR);
	assert_int_equal(PARSE(f, &first, "--spec"), OPT_ERROR);
	assert_non_null(strstr(events_last_error(), "'--spec'"));
	/* a flag takes no argument */
	assert_int_equal(PARSE(f, &first, "-s", "x", "--verbose=yes", "3"), OPT_ERROR);
}

static void bad_numbers_refused(void **state)
{
	static const char *const bad_int[] = { "x", "", "1.5", "-1", "4k", "99999999999" };
	static const char *const bad_double[] = { "soon", "", "-0.5", "2s" };
	struct fixture *f = *state;
	int first;

	for (size_t i = 0; i < sizeof(bad_int) / sizeof(bad_int[0]); i++) {
		f->v.jobs = 7;
		if (PARSE(f, &first, "-s", "x", "--jobs", bad_int[i], "3") != OPT_ERROR)
			fail_msg("--jobs '%s' accepted", bad_int[i]);
		assert_int_equal(f->v.jobs, 7);
		assert_non_null(strstr(events_last_error(), "--jobs wants a whole number >= 0"));
	}
	for (size_t i = 0; i < sizeof(bad_double) / sizeof(bad_double[0]); i++) {
		if (PARSE(f, &first, "-s", "x", "--timeout", bad_double[i], "3") != OPT_ERROR)
			fail_msg("--timeout '%s' accepted", bad_double[i]);
		assert_non_null(strstr(events_last_error(), "--timeout wants a number >= 0"));
	}
	assert_int_equal(PARSE(f, &first, "-s", "x", "--jobs", "0", "--timeout",
			       "1e3", "3"), OPT_OK);
	assert_int_equal(f->v.jobs, 0);
	assert_true(f->v.timeout == 1000);
}

/* "nan" is no number >= 0 (strtod() reads it; NaN < 0 is false). */
static void nan_refused(void **state)
{
	struct fixture *f = *state;
	int first;

	assert_int_equal(PARSE(f, &first, "-s", "x", "--timeout", "nan", "3"), OPT_ERROR);
	assert_true(f->v.timeout == 0);
}

static void operand_counts_enforced(void **state)
{
	struct fixture *f = *state;
	int first;

	assert_int_equal(PARSE(f, &first, "-s", "x"), OPT_ERROR);
	assert_string_equal(events_last_error(), "'labkit run' takes <exercise>");
	assert_int_equal(PARSE(f, &first, "-s", "x", "3", "4"), OPT_ERROR);
	assert_string_equal(events_last_error(), "'labkit run' takes <exercise>");
	f->cmd.min_operands = 0;
	f->cmd.max_operands = 0;
	f->cmd.operands = NULL;
	assert_int_equal(PARSE(f, &first, "-s", "x", "3"), OPT_ERROR);
	assert_string_equal(events_last_error(), "'labkit run' takes no operands");
	assert_int_equal(PARSE(f, &first, "-s", "x"), OPT_OK);
	assert_int_equal(first, 3);
	f->cmd.min_operands = 2;
	f->cmd.max_operands = -1;
	f->cmd.operands = "<step>...";
	assert_int_equal(PARSE(f, &first, "-s", "x", "1.1"), OPT_ERROR);
	assert_int_equal(PARSE(f, &first, "-s", "x", "1.1", "1.2", "1.3", "1.4"), OPT_OK);
	assert_int_equal(first, 3);
}

/* The usage to a string. */
static char *usage_of(const struct opt_cmd *cmd)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	opt_usage(cmd, f);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void help_lists_every_option(void **state)
{
	static const char head[] = "usage: labkit run [options] <exercise>\n"
				   "\nruns an exercise\n\noptions:\n";
	struct fixture *f = *state;
	char *usage;
	int first;

	/* --help wins over a missing required option and operand */
	assert_int_equal(PARSE(f, &first, "--help"), OPT_HELP);
	assert_string_equal(f->err, "");
	usage = usage_of(&f->cmd);
	assert_string_equal(f->out, usage);
	free(usage);
	assert_int_equal(PARSE(f, &first, "-v", "-h"), OPT_HELP);
	assert_int_equal(opt_exit(OPT_HELP), EXIT_OK);
	usage = usage_of(&f->cmd);
	assert_int_equal(strncmp(usage, head, strlen(head)), 0);
	for (const struct opt *o = f->opts; o->name; o++) {
		char *name = xasprintf("--%s", o->name);
		const char *line = strstr(usage, name);

		if (!line)
			fail_msg("--%s missing from:\n%s", o->name, usage);
		assert_non_null(strstr(line, o->help));
		if (o->arg)
			assert_memory_equal(line + strlen(name) + 1, o->arg, strlen(o->arg));
		free(name);
	}
	assert_non_null(strstr(usage, "  -s, --spec <labs.yaml>"));
	assert_non_null(strstr(usage, "the lab spec (required)\n"));
	assert_non_null(strstr(usage, "      --no-ccache "));
	assert_null(strstr(usage, "where results go (required)"));
	assert_non_null(strstr(usage, "\nExit status: 0 ok, 2 usage.\n"));
	free(usage);
}

/* A command without options or operands. */
static void bare_command(void **state)
{
	const struct opt none[] = { OPT_END };
	const struct opt_cmd cmd = { .name = "xref version", .summary = "prints it",
				     .opts = none };
	char *argv[] = { "labkit-xref-version", "extra", NULL };
	char *usage = usage_of(&cmd);
	int first;

	(void)state;
	assert_string_equal(usage, "usage: labkit xref version\n\nprints it\n");
	assert_int_equal(opt_parse(&cmd, 1, argv, &first), OPT_OK);
	assert_int_equal(first, 1);
	assert_int_equal(opt_parse(&cmd, 2, argv, &first), OPT_ERROR);
	assert_string_equal(events_last_error(), "'labkit xref version' takes no operands");
	free(usage);
}

/* The option named is the one that is wrong, also inside a cluster. */
static void unknown_option_in_a_cluster_is_named(void **state)
{
	struct fixture *f = *state;
	int first;

	assert_int_equal(PARSE(f, &first, "-s", "x", "-zv", "3"), OPT_ERROR);
	if (!strstr(events_last_error(), "'-z'") && !strstr(events_last_error(), "'-zv'"))
		fail_msg("the option is not named: %s", events_last_error());
}

/* Each parse starts afresh, whatever the one before it left behind (an
 * error in the middle of "-xv"). */
static void parses_are_independent(void **state)
{
	struct fixture *f = *state;
	int first;

	assert_int_equal(PARSE(f, &first, "-s", "x", "-zv", "3"), OPT_ERROR);
	assert_false(f->v.verbose);
	assert_int_equal(PARSE(f, &first, "-s", "y", "3"), OPT_OK);
	assert_string_equal(f->err, "");
	assert_false(f->v.verbose);
	assert_string_equal(f->v.spec, "y");
	assert_int_equal(first, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(every_type_sets_its_value, setup, teardown),
		cmocka_unit_test_setup_teardown(short_options_and_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(double_dash_ends_options, setup, teardown),
		cmocka_unit_test_setup_teardown(error_shows_usage_on_stderr, setup, teardown),
		cmocka_unit_test_setup_teardown(missing_required_option, setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_choice, setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_option_or_missing_argument, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_numbers_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(nan_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(operand_counts_enforced, setup, teardown),
		cmocka_unit_test_setup_teardown(help_lists_every_option, setup, teardown),
		cmocka_unit_test(bare_command),
		cmocka_unit_test_setup_teardown(unknown_option_in_a_cluster_is_named, setup, teardown),
		cmocka_unit_test_setup_teardown(parses_are_independent, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
