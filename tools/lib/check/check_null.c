/*
 * check_null.c — a step must fail on the null run.  `labkit spec` judges
 * every step, through the one judge (check_judge()), against the runs any
 * booted guest gives without doing the step's work:
 *
 *   a. the command printed nothing and exited 0;
 *   b. it printed nothing and exited 1;
 *   c. it printed only its own command line and what its own `echo` and
 *      `printf` say (a check that an `|| echo ok` satisfies proves
 *      nothing).
 *
 * Each with what the runner itself requires and so always sees: a boot
 * that reached the login prompt, the login prompt again after a step that
 * logs out, and no new line of the kernel.  A step that passes any of
 * them would pass whatever the command does: it is an error at the
 * step's position.  Exempt: a skipped step, one that says `unchecked:
 * <why>`, and a build step whose only check is its exit status (a build
 * that exits 0 did its work).  The run's facts are given stand-in values
 * nothing prints; a check that needs another variable cannot be judged
 * here and is left alone.
 *
 * Never prints: findings are error_at() events; returns their count.
 */
#include "check.h"

#include <stdlib.h>
#include <string.h>

enum null_run { NULL_SILENT_OK, NULL_SILENT_FAIL, NULL_ECHO, NULL_RUNS };

static const char *const null_said[NULL_RUNS] = {
	[NULL_SILENT_OK] = "printed nothing and exited 0",
	[NULL_SILENT_FAIL] = "printed nothing and exited 1",
	[NULL_ECHO] = "printed only its own command line and what its own echo says",
};

/* What the login prompt of labkit's root file systems looks like. */
#define NULL_LOGIN "login: "
/* A release and pid no output has by chance. */
#define NULL_RELEASE "0.0.0-labkit-null-run"
#define NULL_PID "2147483646"

static bool exempt(const struct spec_step *st)
{
	if (st->skip || st->unchecked)
		return true;
	if (st->kind != STEP_BUILD)
		return false;
	for (size_t i = 0; i < st->nexpect; i++)
		if (st->expect[i].kind != SPEC_EXPECT_EXIT)
			return false;
	return true;
}

/* The facts a run sets (run.c), with stand-in values. */
static void null_facts(const struct spec *spec, const struct spec_exercise *ex,
		       struct results *res)
{
	struct expand_vars *f = &res->facts;
	const char *arch = ex->guest ? spec_kernel(spec, ex->guest->kernel)->arch :
			   "x86_64";

	expand_vars_set(f, "kernel.release", NULL_RELEASE);
	expand_vars_set(f, "kernel.version", "#0");
	expand_vars_set(f, "kernel.arch", arch);
	expand_vars_set(f, "guest.pid", NULL_PID);
	expand_vars_set(f, "guest.pgid", NULL_PID);
	for (size_t i = 0; i < ex->nmodules; i++) {
		const char *m = ex->modules[i];
		char *name = xasprintf("module.%s.name", m);
		char *file = xasprintf("module.%s.file", m);
		char *ko = xasprintf("/lib/modules/" NULL_RELEASE "/extra/%s.ko", m);

		expand_vars_set(f, name, m);
		expand_vars_set(f, file, ko);
		if (ex->module && !strcmp(ex->module, m)) {
			expand_vars_set(f, "module.name", m);
			expand_vars_set(f, "module.file", ko);
		}
		free(ko);
		free(file);
		free(name);
	}
}

/* The text of the word at `p` (quotes taken off), up to an unquoted
 * blank or an operator; *end past it. */
static void shell_word(const char *p, struct sb *out, const char **end)
{
	char q = 0;

	for (; *p; p++) {
		if (q) {
			if (*p == q)
				q = 0;
			else
				sb_add(out, p, 1);
		} else if (*p == '\'' || *p == '"') {
			q = *p;
		} else if (strchr(" \t\n;|&)}<>", *p)) {
			break;
		} else {
			sb_add(out, p, 1);
		}
	}
	*end = p;
}

/* The command line (its variables filled in as a run would), then a
 * line of what each of its `echo`s and `printf`s says by itself (their
 * words, options left out). */
static char *echo_only(const char *run, const struct spec *spec,
		       const struct results *res)
{
	struct expand_vars vars;
	struct sb sb;
	size_t off;
	char *cmd;

	expand_vars_init(&vars);
	check_vars(spec, res, &vars);
	cmd = expand(run, &vars, EXPAND_PLAIN, &off, NULL);
	expand_vars_free(&vars);
	if (!cmd)
		cmd = xstrdup(run);
	sb_init(&sb);
	sb_addf(&sb, "%s\n", cmd);
	for (const char *p = cmd; *p;) {
		const char *w = p;

		while (*w == ' ' || *w == '\t')
			w++;
		if ((strncmp(w, "echo ", 5) && strncmp(w, "printf ", 7)) ||
		    (w > cmd && !strchr(" \t\n;|&({", w[-1]))) {
			p = w + (*w != '\0');
			continue;
		}
		p = w + (w[0] == 'e' ? 5 : 7);
		for (bool first = true;;) {
			while (*p == ' ' || *p == '\t')
				p++;
			if (!*p || strchr("\n;|&)}<>", *p))
				break;
			if (*p == '-' && first) {     /* echo -n, printf -- */
				struct sb option;

				sb_init(&option);
				shell_word(p, &option, &p);
				sb_release(&option);
				continue;
			}
			sb_adds(&sb, first ? "" : " ");
			shell_word(p, &sb, &p);
			first = false;
		}
		sb_adds(&sb, "\n");
	}
	free(cmd);
	return sb_detach(&sb, NULL);
}

/* The results of a null run of step `st`. */
static void null_results(const struct spec *spec, const struct spec_exercise *ex,
			 const struct spec_step *st, enum null_run n,
			 struct results *res)
{
	struct results_step *rs;
	char *out = NULL;
	int status = n == NULL_SILENT_FAIL;

	results_init(res, spec->lab_id, ex->id);
	null_facts(spec, ex, res);
	if (n == NULL_ECHO && st->run)
		out = echo_only(st->run, spec, res);
	res->boot = xstrdup(NULL_LOGIN);
	rs = results_add_step(res, st->id);
	results_step_set(rs, STATUS_RAN, NULL);
	rs->command = xstrdup(st->run ? st->run : "");
	rs->output = xasprintf("%s%s", out ? out : "",
			       st->ends == ENDS_LOGIN ? NULL_LOGIN : "");
	rs->exit_status = status;
	rs->kernel = xstrdup("");
	if (st->before) {
		rs->before_output = xstrdup("");
		rs->before_exit = status;
	}
	if (st->host) {
		rs->host_output = xstrdup("");
		rs->host_exit = status;
	}
	free(out);
}

/* Judges step `st` on null run `n`: whether the step passes it, and
 * which of its expectations hold there (held[i]).  A check that cannot
 * be judged here (a variable only a real run has) holds nowhere. */
static bool judge_null(const struct spec *spec, const struct spec_exercise *ex,
		       const struct spec_step *st, enum null_run n, bool *held)
{
	struct results res;
	struct expand_vars vars;
	struct check_judgement j;
	bool pass;

	null_results(spec, ex, st, n, &res);
	expand_vars_init(&vars);
	check_vars(spec, &res, &vars);
	check_judge(st, &res, &vars, &j);
	pass = j.verdict == VERDICT_PASSED;
	for (size_t i = 0; i < st->nexpect; i++) {
		held[i] = i < j.nexpect && j.expect[i].held == 1;
		pass = pass && (i >= j.nexpect || j.expect[i].held >= 0);
	}
	check_judgement_free(&j);
	expand_vars_free(&vars);
	results_free(&res);
	return pass;
}

/* A check that holds on every null run (a pattern the runner sees
 * before any step, like the login prompt) proves nothing: an error at
 * its position.  `absent` and `exit` are left out: holding on a silent
 * run is what they are for. */
static int vacuous_checks(const struct spec *spec, const struct spec_step *st,
			  bool held[NULL_RUNS][st->nexpect ? st->nexpect : 1])
{
	int found = 0;

	for (size_t i = 0; i < st->nexpect; i++) {
		const struct spec_expect *e = &st->expect[i];
		bool always = e->kind == SPEC_EXPECT_MATCH ||
			      e->kind == SPEC_EXPECT_ORDERED;

		for (int n = 0; n < NULL_RUNS; n++)
			always = always && held[n][i];
		if (!always)
			continue;
		error_at(spec->file, e->pos.line, e->pos.col,
			 "in step %s, pattern '%s' holds whatever the run does (the runner sees it before any step): it proves nothing",
			 st->id, e->patterns[0]);
		found++;
	}
	return found;
}

/* The null-run rule on one step: its findings. */
static int null_step(const struct spec *spec, const struct spec_exercise *ex,
		     const struct spec_step *st)
{
	bool held[NULL_RUNS][st->nexpect ? st->nexpect : 1];
	int found = 0, first = NULL_RUNS;

	for (int n = NULL_RUNS - 1; n >= 0; n--)
		if (judge_null(spec, ex, st, (enum null_run)n, held[n]))
			first = n;
	if (!st->skip && !st->unchecked)
		found += vacuous_checks(spec, st, held);
	if (exempt(st) || first == NULL_RUNS)
		return found;
	error_at(spec->file, st->pos.line, st->pos.col,
		 "step %s passes whatever the command does: its checks hold on a run that %s (check what only the step's work makes true, or say 'unchecked: <why>')",
		 st->id, null_said[first]);
	return found + 1;
}

int check_null_runs(const struct spec *spec)
{
	int found = 0;

	for (size_t e = 0; e < spec->nexercises; e++)
		for (size_t s = 0; s < spec->exercises[e].nsteps; s++)
			found += null_step(spec, &spec->exercises[e],
					   &spec->exercises[e].steps[s]);
	return found;
}
