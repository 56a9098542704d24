/*
 * kbuild.c — `labkit build`: a kernel built from source through the
 * kernel's own Kbuild and Kconfig, the commands being the lab's own steps
 * (`make ARCH=um defconfig`, `make ARCH=um`), so the transcript shows what
 * the student typed and the timings are the real ones.  Config fragments
 * go through scripts/kconfig/merge_config.sh and `make olddefconfig`,
 * never by editing .config; options that olddefconfig dropped are named.
 *
 * Out of tree only (KBUILD_OUTPUT): the source tree is never written.
 * A failing step stops the build and is recorded with its output; the
 * results file is written in every case, atomically.
 */
#include "kbuild.h"
#include "expand.h"
#include "proc.h"
#include "results.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CCACHE_DIR "/usr/lib/ccache"

struct kb {
	const struct spec *spec;
	const struct spec_exercise *ex;
	const struct spec_kernel *k;
	const struct kbuild_opts *o;
	struct expand_vars vars;
	struct results res;
	char **env;
};

static char **build_env(const struct kbuild_opts *o, int jobs_flag)
{
	char **env = proc_env_set(NULL, "KBUILD_OUTPUT", o->obj);
	struct stat st;

	/* A make above us (CMake's, with -s and its jobserver) must not make
	 * the kernel's build silent: the lab shows what it prints. */
	env = proc_env_set(env, "MAKEFLAGS", NULL);
	env = proc_env_set(env, "MFLAGS", NULL);
	env = proc_env_set(env, "MAKELEVEL", NULL);

	if (o->ccache && stat(CCACHE_DIR, &st) == 0) {
		const char *path = getenv("PATH");
		char *p = xasprintf("%s:%s", CCACHE_DIR, path ? path : "/usr/bin:/bin");

		env = proc_env_set(env, "PATH", p);
		free(p);
	}
	if (jobs_flag) {
		char *j = xasprintf("-j%d", o->jobs > 0 ? o->jobs : 1);

		env = proc_env_set(env, "MAKEFLAGS", j);
		free(j);
	}
	return env;
}

/* Runs `cmd` in the source tree; fills a results step. */
static int run_cmd(struct kb *b, struct results_step *rs, const char *cmd,
		   double timeout, bool jobs)
{
	char *argv[] = { "/bin/sh", "-c", (char *)cmd, NULL };
	char **env = build_env(b->o, jobs);
	struct proc p;
	struct sb out;
	int rc;

	sb_init(&out);
	rc = proc_run_env(argv, b->o->src, env, b->o->quiet ? -1 : 1,
			  timeout, &out, &p);
	proc_env_free(env);
	rs->output = sb_detach(&out, NULL);
	sb_release(&out);
	rs->duration = p.ended > p.started ? p.ended - p.started : 0;
	rs->user = (double)p.ru.ru_utime.tv_sec + p.ru.ru_utime.tv_usec / 1e6;
	rs->sys = (double)p.ru.ru_stime.tv_sec + p.ru.ru_stime.tv_usec / 1e6;
	rs->exit_status = rc >= 0 ? rc : -1;
	free(rs->status);
	rs->status = xstrdup(rc == -2 ? "timeout" : rc == -1 ? "error" : "ran");
	return rc;
}

/* "1m28.880s", as time(1) prints it. */
static void fmt_time(char *buf, size_t len, double s)
{
	int m = (int)(s / 60);

	snprintf(buf, len, "%dm%.3fs", m, s - 60.0 * m);
}

static void print_done(const struct kb *b, const struct results_step *rs)
{
	char real[32], user[32], sys[32];

	fmt_time(real, sizeof(real), rs->duration);
	fmt_time(user, sizeof(user), rs->user);
	fmt_time(sys, sizeof(sys), rs->sys);
	printf("%s.%s: %s: exit %d, real %s user %s sys %s\n",
	       b->spec->lab_id, rs->id, rs->command, rs->exit_status, real,
	       user, sys);
	fflush(stdout);
}

/* Every CONFIG_ line of the fragments that the final .config lacks. */
static char *dropped_options(struct kb *b)
{
	char *cfg_path = xasprintf("%s/.config", b->o->obj), *cfg = NULL;
	struct sb dropped;
	size_t len;

	sb_init(&dropped);
	if (fs_read_file(cfg_path, &cfg, &len) < 0) {
		sb_addf(&dropped, "(no .config)");
		goto out;
	}
	for (size_t i = 0; i < b->k->nfragments; i++) {
		char *frag_path = xasprintf("%s/%s", b->spec->dir, b->k->fragments[i]);
		char *frag = NULL, *line, *save = NULL;

		if (fs_read_file(frag_path, &frag, &len) == 0) {
			for (line = strtok_r(frag, "\n", &save); line;
			     line = strtok_r(NULL, "\n", &save)) {
				char name[128];
				bool off = sscanf(line, "# %127s is not set", name) == 1;
				char *want = off ? xasprintf("\n%s=", name) :
						   xasprintf("\n%s\n", line);

				if (!off && strncmp(line, "CONFIG_", 7)) {
					free(want);
					continue;
				}
				if (off ? strstr(cfg, want) != NULL : !strstr(cfg, want))
					sb_addf(&dropped, "%s%s", dropped.len ? " " : "",
						off ? name : line);
				free(want);
			}
		}
		free(frag);
		free(frag_path);
	}
out:
	free(cfg);
	free(cfg_path);
	return sb_detach(&dropped, NULL);
}

/* merge_config.sh -m then olddefconfig, in the build dir's .config. */
static int merge_fragments(struct kb *b)
{
	struct results_step tmp;
	struct sb cmd;
	char *dropped;
	int rc;

	if (b->k->nfragments == 0)
		return 0;
	sb_init(&cmd);
	sb_addf(&cmd, "scripts/kconfig/merge_config.sh -m -O '%s' '%s/.config'",
		b->o->obj, b->o->obj);
	for (size_t i = 0; i < b->k->nfragments; i++)
		sb_addf(&cmd, " '%s/%s'", b->spec->dir, b->k->fragments[i]);
	sb_addf(&cmd, " && make ARCH=%s olddefconfig", b->k->arch);
	memset(&tmp, 0, sizeof(tmp));
	tmp.status = xstrdup("");
	rc = run_cmd(b, &tmp, cmd.buf, 600, false);
	if (rc != 0)
		error("merging the config fragments failed (%d):\n%s", rc,
		      tmp.output ? tmp.output : "");
	expand_vars_set(&b->res.facts, "config.merge", cmd.buf);
	dropped = dropped_options(b);
	expand_vars_set(&b->res.facts, "config.dropped", dropped);
	if (*dropped)
		warning("options of the fragments that olddefconfig dropped: %s",
			dropped);
	free(dropped);
	free(tmp.status);
	free(tmp.output);
	sb_release(&cmd);
	return rc == 0 ? 0 : -1;
}

/* kernel.release from `make kernelrelease`, once the build is done. */
static void record_release(struct kb *b)
{
	struct results_step tmp;
	char *cmd = xasprintf("make -s ARCH=%s kernelrelease", b->k->arch);
	bool quiet = b->o->quiet;
	struct kbuild_opts o = *b->o;

	memset(&tmp, 0, sizeof(tmp));
	tmp.status = xstrdup("");
	o.quiet = true;
	b->o = &o;
	if (run_cmd(b, &tmp, cmd, 60, false) == 0 && tmp.output) {
		char *path = xasprintf("%s/release", b->o->obj);

		tmp.output[strcspn(tmp.output, "\n") + 1] = '\0';
		if (fs_write_atomic(path, tmp.output, strlen(tmp.output)) < 0)
			warning("cannot write '%s': %m", path);
		tmp.output[strcspn(tmp.output, "\n")] = '\0';
		expand_vars_set(&b->res.facts, "kernel.release", tmp.output);
		free(path);
	}
	o.quiet = quiet;
	free(tmp.status);
	free(tmp.output);
	free(cmd);
}

static int run_stage(struct kb *b, const struct spec_step *st)
{
	struct results_step *rs = results_add_step(&b->res, st->id);
	double timeout = st->timeout > 0 ? st->timeout : 3 * 3600;
	size_t off;
	char *bad = NULL;
	int rc;

	rs->command = expand(st->run ? st->run : "true", &b->vars,
			     EXPAND_PLAIN, &off, &bad);
	if (!rs->command) {
		free(bad);
		return error("step %s: the command does not expand", st->id);
	}
	printf("%s.%s: %s (in %s, O=%s)\n", b->spec->lab_id, st->id,
	       rs->command, b->o->src, b->o->obj);
	fflush(stdout);
	rc = run_cmd(b, rs, rs->command, timeout, !strcmp(st->stage, "build"));
	print_done(b, rs);
	if (rc != 0)
		return error("step %s: '%s' failed (%s %d)", st->id, rs->command,
			     rc == -2 ? "timeout after" : "exit", rc == -2 ?
			     (int)timeout : rc);
	if (!strcmp(st->stage, "config"))
		return merge_fragments(b);
	record_release(b);
	return 0;
}

static int setup(struct kb *b, const struct spec *spec,
		 const struct kbuild_opts *o)
{
	memset(b, 0, sizeof(*b));
	b->spec = spec;
	b->o = o;
	b->ex = spec_exercise(spec, o->exercise);
	if (!b->ex)
		return error("no exercise '%s' in '%s'", o->exercise, spec->file);
	b->k = b->ex->kernel ? spec_kernel(spec, b->ex->kernel) : NULL;
	if (!b->k || strcmp(b->k->from, "source"))
		return error("exercise '%s' has no kernel built from source",
			     o->exercise);
	if (fs_mkdirs(o->obj, 0755) < 0)
		return error("cannot create '%s': %m", o->obj);
	expand_vars_init(&b->vars);
	for (size_t i = 0; i < spec->nvars; i++)
		expand_vars_set(&b->vars, spec->vars[i].name, spec->vars[i].value);
	expand_vars_set(&b->vars, "kernel.arch", b->k->arch);
	results_init(&b->res, spec->lab_id, b->ex->id);
	expand_vars_set(&b->res.facts, "kernel.arch", b->k->arch);
	expand_vars_set(&b->res.facts, "kernel.src", o->src);
	expand_vars_set(&b->res.facts, "kernel.build", o->obj);
	return 0;
}

int kbuild_run(const struct spec *spec, const struct kbuild_opts *o)
{
	struct kb b;
	int rc = 0;
	double t0 = now_monotonic();

	if (setup(&b, spec, o) < 0)
		return EXIT_USAGE;
	for (size_t i = 0; i < b.ex->nsteps && rc == 0; i++) {
		const struct spec_step *st = &b.ex->steps[i];

		if (strcmp(st->kind, "build") || !st->stage)
			continue;
		rc = run_stage(&b, st);
	}
	free(b.res.outcome);
	b.res.outcome = xstrdup(rc == 0 ? "ok" : "fail");
	b.res.duration = now_monotonic() - t0;
	if (results_write(&b.res, o->out) < 0)
		rc = -1;
	results_free(&b.res);
	expand_vars_free(&b.vars);
	return rc == 0 ? EXIT_OK : EXIT_CHECK_FAILED;
}
