/*
 * kbuild.c — `labkit build`: a kernel built from source through the
 * kernel's own Kbuild and Kconfig, the commands being the lab's own steps
 * (`make ARCH=um defconfig`, `make menuconfig`, `make all`,
 * `make install`), so the transcript shows what the student typed and the
 * timings are the real ones.  Config fragments go through
 * scripts/kconfig/merge_config.sh and `make olddefconfig`, never by
 * editing .config; options that olddefconfig dropped are named.
 *
 * Out of tree only: the steps run in the build dir, which `make
 * outputmakefile` makes usable like a source tree; the source tree is
 * never written.  `make install` runs labkit's installkernel (found
 * through $HOME/bin, as scripts/install.sh looks first), which only copies
 * into INSTALL_PATH: Debian's /sbin/installkernel and its hooks never run.
 * Compiles go through ccache's masquerade directory (paths hashed relative
 * to the build tree, so other build trees share the entries) and, when
 * asked, on to distcc's hosts.
 * A failing step stops the build and is recorded with its output; the
 * results file is written in every case, atomically.
 */
#include "kbuild.h"
#include "events.h"
#include "expand.h"
#include "layout.h"
#include "proc.h"
#include "results.h"
#include "tty.h"
#include "vm.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CCACHE_DIR "/usr/lib/ccache"
#define DISTCC_MASQUERADE "/usr/lib/distcc"

#define INSTALLKERNEL "labkit-installkernel"

/* What `make install` runs: installkernel(8)'s arguments, into DIR only. */
static const char installkernel[] =
	"#!/bin/sh\n"
	"# labkit-installkernel RELEASE IMAGE SYSTEM.MAP DIR: make install's\n"
	"# installkernel for labkit; copies into DIR and nowhere else.\n"
	"set -e\n"
	"rel=$1 image=$2 map=$3 dir=${4:?INSTALL_PATH is not set}\n"
	"mkdir -p \"$dir\"\n"
	"cp \"$image\" \"$dir/vmlinuz-$rel\"\n"
	"cp \"$map\" \"$dir/System.map-$rel\"\n"
	"cp .config \"$dir/config-$rel\"\n"
	"echo \"$rel\" > \"$dir/release\"\n"
	"ln -sfn \"vmlinuz-$rel\" \"$dir/vmlinuz\"\n"
	"echo \"installed $dir/vmlinuz-$rel\"\n";

struct kb {
	const struct spec *spec;
	const struct spec_exercise *ex;
	const struct spec_kernel *k;
	const struct kbuild_opts *o;
	struct expand_vars vars;
	struct results res;
	char *home;              /* $HOME for make: bin/labkit-installkernel */
	bool silent;             /* this command's output is not streamed */
};

/* The longest directory both paths are under ("/" at worst). */
static char *common_dir(const char *a, const char *b)
{
	size_t i = 0, last = 0;

	while (a[i] && a[i] == b[i]) {
		if (a[i] == '/')
			last = i;
		i++;
	}
	if ((!a[i] || a[i] == '/') && (!b[i] || b[i] == '/'))
		last = i;
	return last ? xstrndup(a, last) : xstrdup("/");
}

/*
 * Compiles go to distcc (hosts from DISTCC_HOSTS or ~/.distcc/hosts).
 * Behind ccache through its prefix, so only misses travel; without ccache
 * through distcc's masquerade directory, first in PATH like ccache's.
 * make gets a HOME of its own: keep the user's ~/.distcc (hosts, locks).
 */
static char **distcc_env(char **env, bool ccache)
{
	if (ccache && !getenv("CCACHE_PREFIX")) {
		env = proc_env_set(env, "CCACHE_PREFIX", "distcc");
	} else if (!ccache) {
		const char *path = getenv("PATH");
		char *p = xasprintf("%s:%s", DISTCC_MASQUERADE,
				    path ? path : "/usr/bin:/bin");

		env = proc_env_set(env, "PATH", p);
		free(p);
	}
	if (!getenv("DISTCC_DIR")) {
		const char *home = getenv("HOME");
		char *dir = xasprintf("%s/.distcc", home ? home : "/tmp");

		env = proc_env_set(env, "DISTCC_DIR", dir);
		free(dir);
	}
	return env;
}

/*
 * A kernel of another architecture than the host's (its row names a
 * cross compiler): ARCH and CROSS_COMPILE in the environment of every
 * command, so that the lab's own `make all`, `make menuconfig` and
 * `make install` build for it as typed, and Kconfig asks the cross
 * compiler what it can do from the first config on (a config made with
 * the host's compiler is made again, differently, by the build).  The
 * host's own kinds keep the environment as it was.
 */
static char **cross_env(char **env, const char *arch)
{
	const struct vm_arch *a = vm_arch_find(arch);

	if (!a || !a->cross_compile || !*a->cross_compile)
		return env;
	env = proc_env_set(env, "ARCH", a->kernel_arch);
	return proc_env_set(env, "CROSS_COMPILE", a->cross_compile);
}

static char **build_env(const struct kb *b, int jobs_flag)
{
	const struct kbuild_opts *o = b->o;
	char **env = proc_env_set(NULL, "KBUILD_OUTPUT", o->obj);
	char jobs[16], *flags;
	struct stat st;
	bool ccache = false;

	snprintf(jobs, sizeof(jobs), "%d", o->jobs > 0 ? o->jobs : 1);
	env = proc_env_set(env, "HOME", b->home);
	env = cross_env(env, b->k->arch);
	/* A make above us (CMake's, with -s and its jobserver) must not make
	 * the kernel's build silent: the lab shows what it prints. */
	env = proc_env_set(env, "MAKEFLAGS", NULL);
	env = proc_env_set(env, "MFLAGS", NULL);
	env = proc_env_set(env, "MAKELEVEL", NULL);

	if (o->ccache && stat(CCACHE_DIR, &st) == 0) {
		const char *path = getenv("PATH");
		char *p = xasprintf("%s:%s", CCACHE_DIR, path ? path : "/usr/bin:/bin");
		char *base = common_dir(o->src, o->obj);

		ccache = true;

		env = proc_env_set(env, "PATH", p);
		/* Paths relative to the build tree, so another build tree (a
		 * fresh clone, CI) hits the same cache entries. */
		env = proc_env_set(env, "CCACHE_BASEDIR", base);
		env = proc_env_set(env, "CCACHE_NOHASHDIR", "1");
		/* make gets a HOME of its own (installkernel): keep the user's
		 * cache, which ccache would otherwise look for under it. */
		if (!getenv("CCACHE_DIR")) {
			const char *xdg = getenv("XDG_CACHE_HOME");
			const char *home = getenv("HOME");
			char *dir = xdg ? xasprintf("%s/ccache", xdg) :
				    xasprintf("%s/.cache/ccache", home ? home : "/tmp");

			env = proc_env_set(env, "CCACHE_DIR", dir);
			free(dir);
		}
		free(base);
		free(p);
	}
	if (o->distcc)
		env = distcc_env(env, ccache);
	/* The top Makefile sets INSTALLKERNEL with :=, so only a command-line
	 * variable overrides it; MAKEFLAGS carries one into every make the
	 * step runs.  Without it `make install` runs /sbin/installkernel. */
	flags = xasprintf("%s%s INSTALLKERNEL=" INSTALLKERNEL,
			  jobs_flag ? "-j" : "", jobs_flag ? jobs : "");
	env = proc_env_set(env, "MAKEFLAGS", flags);
	free(flags);
	return env;
}

/* Runs `cmd` in the build dir; fills a results step. */
static int run_cmd(struct kb *b, struct results_step *rs, const char *cmd,
		   double timeout, bool jobs)
{
	char *argv[] = { "/bin/sh", "-c", (char *)cmd, NULL };
	char **env = build_env(b, jobs);
	struct proc p;
	struct sb out;
	int rc;

	sb_init(&out);
	rc = proc_run_env(argv, b->o->obj, env, !b->o->quiet && !b->silent,
			  timeout, &out, &p);
	proc_env_free(env);
	results_step_finish(rs, rc, &p, sb_detach(&out, NULL));
	sb_release(&out);
	return rc;
}

/* A step starts or ends, for whoever shows progress. */
static void progress(const struct kb *b, enum progress_kind kind,
		     const struct results_step *rs)
{
	struct progress p = { .kind = kind, .lab = b->spec->lab_id,
			      .exercise = b->ex->id, .step = b->res.nsteps,
			      .total = b->ex->nsteps, .rs = rs,
			      .text = b->o->obj, .timed = true };

	events_progress(&p);
}

/* The fragments to merge: the spec's (relative to its directory, or
 * absolute, as CMake takes them), then the caller's; NULL-ended (free
 * each and the array). */
static char **fragment_paths(const struct kb *b)
{
	size_t n = b->k->nfragments, m = b->o->nfragments;
	char **paths = xcalloc(n + m + 1, sizeof(*paths));

	for (size_t i = 0; i < n; i++)
		paths[i] = b->k->fragments[i][0] == '/' ?
			   xstrdup(b->k->fragments[i]) :
			   xasprintf("%s/%s", b->spec->dir, b->k->fragments[i]);
	for (size_t i = 0; i < m; i++)
		paths[n + i] = xstrdup(b->o->fragments[i]);
	return paths;
}

static void free_paths(char **paths)
{
	for (char **p = paths; *p; p++)
		free(*p);
	free(paths);
}

/* Every CONFIG_ line of the fragments that the final .config lacks. */
static char *dropped_options(struct kb *b)
{
	char *cfg_path = xasprintf("%s/.config", b->o->obj), *cfg = NULL;
	struct sb dropped;
	size_t len;

	char **paths = fragment_paths(b);

	sb_init(&dropped);
	if (fs_read_file(cfg_path, &cfg, &len) < 0) {
		sb_addf(&dropped, "(no .config)");
		goto out;
	}
	for (char **frag_path = paths; *frag_path; frag_path++) {
		char *frag = NULL, *line, *save = NULL;

		if (fs_read_file(*frag_path, &frag, &len) == 0) {
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
	}
out:
	free_paths(paths);
	free(cfg);
	free(cfg_path);
	return sb_detach(&dropped, NULL);
}

/* The exercise that boots kernel `id`, or NULL when none does. */
static const struct spec_exercise *booted_by(const struct spec *s,
					     const char *id)
{
	for (size_t i = 0; i < s->nexercises; i++)
		if (s->exercises[i].guest &&
		    !strcmp(s->exercises[i].guest->kernel, id))
			return &s->exercises[i];
	return NULL;
}

/*
 * A kernel a guest boots needs the line labkit runs the guest's shell on
 * (vm.h's shell_kconfig): without it the guest comes up with its login
 * prompt on the console and the boot times out.  Said after the config,
 * not after a long build and a boot.  0, or -1 with a message.
 */
static int check_guest_options(struct kb *b)
{
	const struct vm_arch *a = vm_arch_find(b->k->arch);
	const struct spec_exercise *ex = booted_by(b->spec, b->k->id);
	char *path, *cfg = NULL, *want;
	size_t len;
	int rc = 0;

	if (!a || !a->shell_kconfig || !ex)
		return 0;
	path = xasprintf("%s/.config", b->o->obj);
	want = xasprintf("\n%s=y\n", a->shell_kconfig);
	if (fs_read_file(path, &cfg, &len) == 0 && !strstr(cfg, want))
		rc = error("kernel '%s': its .config lacks %s=y, the line of "
			   "the guest's shell ('%s') that exercise '%s' boots "
			   "to: turn it on in a fragment", b->k->id,
			   a->shell_kconfig, a->shell_tty, ex->id);
	free(want);
	free(cfg);
	free(path);
	return rc;
}

/* merge_config.sh -m then olddefconfig, in the build dir's .config. */
static int merge_fragments(struct kb *b)
{
	struct results_step tmp;
	struct sb cmd;
	char *dropped, **paths;
	int rc;

	if (b->k->nfragments == 0 && b->o->nfragments == 0)
		return check_guest_options(b);
	sb_init(&cmd);
	sb_addf(&cmd, "'%s/scripts/kconfig/merge_config.sh' -m -O . .config",
		b->o->src);
	paths = fragment_paths(b);
	for (char **p = paths; *p; p++)
		sb_addf(&cmd, " '%s'", *p);
	free_paths(paths);
	sb_addf(&cmd, " && make ARCH=%s olddefconfig", b->k->arch);
	memset(&tmp, 0, sizeof(tmp));
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
	reason_free(&tmp.reason);
	free(tmp.output);
	sb_release(&cmd);
	return rc == 0 ? check_guest_options(b) : -1;
}

/*
 * kernel.version: the build's UTS_VERSION ("#2 SMP Wed Nov 25 ..."), the
 * part of `uname -a` that tells this build from an earlier one of the
 * same release.  From include/generated/utsversion.h (6.1 and later) or
 * compile.h; nothing when neither has it.
 */
static void record_version(struct kb *b)
{
	static const char *const headers[] = {
		"include/generated/utsversion.h", "include/generated/compile.h",
	};
	const char *key = "#define UTS_VERSION \"";

	for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
		char *path = xasprintf("%s/%s", b->o->obj, headers[i]);
		char *data = NULL, *p, *end;
		size_t len;

		if (fs_read_file(path, &data, &len) == 0 &&
		    (p = strstr(data, key)) && (end = strchr(p + strlen(key), '"'))) {
			*end = '\0';
			expand_vars_set(&b->res.facts, "kernel.version", p + strlen(key));
			i = sizeof(headers) / sizeof(headers[0]);
		}
		free(data);
		free(path);
	}
}

/* kernel.release from `make kernelrelease`, once the build is done. */
static void record_release(struct kb *b)
{
	struct results_step tmp;
	char *cmd = xasprintf("make -s ARCH=%s kernelrelease", b->k->arch);

	memset(&tmp, 0, sizeof(tmp));
	b->silent = true;
	if (run_cmd(b, &tmp, cmd, 60, false) == 0 && tmp.output) {
		char *path = xasprintf("%s/release", b->o->obj);
		char *line;

		tmp.output[strcspn(tmp.output, "\n")] = '\0';
		line = xasprintf("%s\n", tmp.output);
		if (fs_write_atomic(path, line, strlen(line)) < 0)
			warning("cannot write '%s': %m", path);
		expand_vars_set(&b->res.facts, "kernel.release", tmp.output);
		free(line);
		free(path);
	}
	b->silent = false;
	reason_free(&tmp.reason);
	free(tmp.output);
	free(cmd);
}

/* A build step's `host:` command, after it, in the build dir. */
/* A build step's `before:` or `host:` command, in the build dir: its
 * command line, output and exit status. */
static void run_side(struct kb *b, const char *cmd, char **line,
		     char **output, int *status)
{
	struct results_step tmp;
	size_t off;

	memset(&tmp, 0, sizeof(tmp));
	*line = expand(cmd, &b->vars, EXPAND_PLAIN, &off, NULL);
	if (!*line)
		return;
	run_cmd(b, &tmp, *line, 600, false);
	*output = tmp.output;
	*status = tmp.exit_status;
	reason_free(&tmp.reason);
}

/* A step with `input`: its patterns and keys expanded, for tty_run(). */
static struct tty_input *tty_inputs(struct kb *b, const struct spec_step *st)
{
	struct tty_input *in = xcalloc(st->ninput + 1, sizeof(*in));
	size_t off;

	for (size_t i = 0; i < st->ninput; i++) {
		char *wait = expand(st->input[i].wait, &b->vars, EXPAND_REGEX,
				    &off, NULL);
		char *send = expand(st->input[i].send ? st->input[i].send : "",
				    &b->vars, EXPAND_PLAIN, &off, NULL);

		in[i].wait = wait ? wait : xstrdup(st->input[i].wait);
		in[i].send = send;
	}
	return in;
}

static void tty_inputs_free(struct tty_input *in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free((char *)in[i].wait);
		free((char *)in[i].send);
	}
	free(in);
}

/*
 * ccache's counters, in the build's environment (its cache directory):
 * compiles answered from the cache, and compiles it ran.  -1 for both
 * when the build does not go through ccache or it cannot tell.
 */
static void ccache_counts(struct kb *b, long *hits, long *misses)
{
	char *argv[] = { "ccache", "--print-stats", NULL };
	char **env = build_env(b, false);
	char *save = NULL;
	struct sb out;
	struct proc p;

	*hits = *misses = -1;
	sb_init(&out);
	if (b->o->ccache && strstr(proc_env_get(env, "PATH") ?: "", CCACHE_DIR) &&
	    proc_run_env(argv, b->o->obj, env, false, 30, &out, &p) == 0) {
		*hits = *misses = 0;
		for (char *l = strtok_r(out.buf, "\n", &save); l;
		     l = strtok_r(NULL, "\n", &save)) {
			char *tab = strchr(l, '\t');

			if (!tab)
				continue;
			*tab = '\0';
			if (!strcmp(l, "direct_cache_hit") ||
			    !strcmp(l, "preprocessed_cache_hit"))
				*hits += atol(tab + 1);
			else if (!strcmp(l, "cache_miss"))
				*misses += atol(tab + 1);
		}
	}
	sb_release(&out);
	proc_env_free(env);
}

static int run_one(struct kb *b, const struct spec_step *st,
		   struct results_step *rs, double timeout)
{
	bool jobs = st->stage == STAGE_BUILD;
	struct tty_input *in;
	long hits, misses;
	char **env;
	int rc;

	if (jobs) {  /* the timed build: cold or warm, the time says which */
		ccache_counts(b, &hits, &misses);
		rc = run_cmd(b, rs, rs->command, timeout, jobs);
		ccache_counts(b, &rs->ccache_hits, &rs->ccache_misses);
		if (hits < 0 || rs->ccache_hits < 0)
			rs->ccache_hits = rs->ccache_misses = -1;
		else
			rs->ccache_hits -= hits, rs->ccache_misses -= misses;
		return rc;
	}
	if (!st->ninput)
		return run_cmd(b, rs, rs->command, timeout, jobs);
	env = build_env(b, jobs);
	in = tty_inputs(b, st);
	rc = tty_run(rs->command, b->o->obj, env, in, st->ninput, timeout, rs);
	tty_inputs_free(in, st->ninput);
	proc_env_free(env);
	return rc;
}

static int run_step(struct kb *b, const struct spec_step *st)
{
	struct results_step *rs = results_add_step(&b->res, st->id);
	double timeout = st->timeout > 0 ? st->timeout : 3 * 3600;
	size_t off;
	int rc;

	rs->command = expand(st->run ? st->run : "true", &b->vars,
			     EXPAND_PLAIN, &off, NULL);
	if (!rs->command)
		return error("step %s: the command does not expand", st->id);
	progress(b, PROGRESS_STEP_START, rs);
	if (st->before)
		run_side(b, st->before, &rs->before_command, &rs->before_output,
			 &rs->before_exit);
	rc = run_one(b, st, rs, timeout);
	progress(b, PROGRESS_STEP_DONE, rs);
	if (rc == 0 && st->host)
		run_side(b, st->host, &rs->host_command, &rs->host_output,
			 &rs->host_exit);
	if (rc == -1)
		return error("step %s: '%s' could not start", st->id, rs->command);
	if (rc != 0)
		return error("step %s: '%s' failed (%s %d)", st->id, rs->command,
			     rc == -2 ? "timeout after" : "exit", rc == -2 ?
			     (int)timeout : rc);
	if (st->stage == STAGE_CONFIG)
		return merge_fragments(b);
	if (st->stage == STAGE_BUILD) {
		record_release(b);
		record_version(b);
	}
	return 0;
}

/* The build dir made usable like a source tree, and make's $HOME. */
static int prepare(struct kb *b)
{
	struct results_step tmp;
	char *cmd = xasprintf("make -s -C '%s' O='%s' outputmakefile",
			      b->o->src, b->o->obj);
	char *ik = xasprintf("%s/bin/%s", b->home, INSTALLKERNEL);
	char *bin = xasprintf("%s/bin", b->home);
	int rc;

	memset(&tmp, 0, sizeof(tmp));
	rc = fs_mkdirs(bin, 0755) < 0 ||
	     fs_write_atomic(ik, installkernel, strlen(installkernel)) < 0 ||
	     chmod(ik, 0755) < 0 ? error("cannot write '%s': %m", ik) : 0;
	if (rc == 0 && run_cmd(b, &tmp, cmd, 120, false) != 0)
		rc = error("'%s' failed:\n%s", cmd, tmp.output ? tmp.output : "");
	reason_free(&tmp.reason);
	free(tmp.output);
	free(bin);
	free(ik);
	free(cmd);
	return rc;
}

/* The kernel's `localversion:` through scripts/config, not by editing. */
static int set_localversion(struct kb *b)
{
	struct results_step tmp;
	size_t off;
	char *lv = expand(b->k->localversion, &b->vars, EXPAND_PLAIN, &off, NULL);
	char *cmd = xasprintf("source/scripts/config --set-str LOCALVERSION '%s'"
			      " && make ARCH=%s olddefconfig", lv ? lv : "",
			      b->k->arch);
	int rc;

	memset(&tmp, 0, sizeof(tmp));
	rc = run_cmd(b, &tmp, cmd, 600, false);
	if (rc != 0)
		error("'%s' failed:\n%s", cmd, tmp.output ? tmp.output : "");
	expand_vars_set(&b->res.facts, "config.localversion", lv ? lv : "");
	reason_free(&tmp.reason);
	free(tmp.output);
	free(cmd);
	free(lv);
	return rc != 0 ? -1 : 0;
}

/* `make <config>` and the fragments, unless a step makes the config. */
static int base_config(struct kb *b)
{
	const char *config = b->o->config ? b->o->config : b->k->config;
	struct results_step tmp;
	char *cmd;
	int rc;

	for (size_t i = 0; i < b->ex->nsteps; i++)
		if (b->ex->steps[i].stage == STAGE_CONFIG)
			return 0;
	cmd = xasprintf("make ARCH=%s %s", b->k->arch, config ? config : "defconfig");
	memset(&tmp, 0, sizeof(tmp));
	events_note(b->spec->lab_id, NULL, "base configuration: %s", cmd);
	rc = run_cmd(b, &tmp, cmd, 600, false);
	expand_vars_set(&b->res.facts, "config.base", cmd);
	if (rc != 0)
		error("'%s' failed:\n%s", cmd, tmp.output ? tmp.output : "");
	reason_free(&tmp.reason);
	free(tmp.output);
	free(cmd);
	if (rc == 0)
		rc = merge_fragments(b);
	if (rc == 0 && b->k->localversion)
		rc = set_localversion(b);
	return rc;
}

static int setup(struct kb *b, const struct spec *spec,
		 const struct kbuild_opts *o)
{
	char *stage;

	memset(b, 0, sizeof(*b));
	b->spec = spec;
	b->o = o;
	b->ex = spec_exercise(spec, o->exercise);
	if (!b->ex)
		return error("no exercise '%s' in '%s'", o->exercise, spec->file);
	b->k = b->ex->kernel ? spec_kernel(spec, b->ex->kernel) : NULL;
	if (!b->k || b->k->from != KERNEL_FROM_SOURCE)
		return error("exercise '%s' has no kernel built from source",
			     o->exercise);
	if (fs_mkdirs(o->obj, 0755) < 0)
		return error("cannot create '%s': %m", o->obj);
	b->home = xasprintf("%s/.labkit", o->obj);
	stage = layout_kernel_stage(o->obj);
	expand_vars_init(&b->vars);
	spec_vars(spec, b->ex, &b->vars);
	expand_vars_set(&b->vars, "kernel.arch", b->k->arch);
	expand_vars_set(&b->vars, "kernel.src", o->src);
	expand_vars_set(&b->vars, "kernel.build", o->obj);
	expand_vars_set(&b->vars, "kernel.stage", stage);
	results_init(&b->res, spec->lab_id, b->ex->id);
	expand_vars_set(&b->res.facts, "kernel.arch", b->k->arch);
	expand_vars_set(&b->res.facts, "kernel.src", o->src);
	expand_vars_set(&b->res.facts, "kernel.build", o->obj);
	expand_vars_set(&b->res.facts, "kernel.stage", stage);
	free(stage);
	return 0;
}

int kbuild_run(const struct spec *spec, const struct kbuild_opts *o)
{
	struct kb b;
	int rc;
	double t0 = now_monotonic();

	if (o->distcc && access(DISTCC_MASQUERADE "/gcc", X_OK) < 0)
		return error("'--distcc': distcc is not installed (no %s/gcc)",
			     DISTCC_MASQUERADE), EXIT_USAGE;
	if (setup(&b, spec, o) < 0)
		return EXIT_USAGE;
	rc = prepare(&b);
	if (rc == 0 && o->fresh)
		rc = base_config(&b);
	for (size_t i = 0; i < b.ex->nsteps && rc == 0; i++)
		if (b.ex->steps[i].kind == STEP_BUILD)
			rc = run_step(&b, &b.ex->steps[i]);
	b.res.outcome = rc == 0 ? OUTCOME_OK : OUTCOME_FAIL;
	b.res.duration = now_monotonic() - t0;
	if (results_write(&b.res, o->out) < 0)
		rc = -1;
	results_free(&b.res);
	expand_vars_free(&b.vars);
	free(b.home);
	return rc == 0 ? EXIT_OK : EXIT_CHECK_FAILED;
}
