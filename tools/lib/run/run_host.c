/*
 * run_host.c — the steps of `labkit run` that run on the host: `host`
 * steps and lxr steps (`/bin/sh -c` in the spec's directory, with a
 * deadline, in their own process group), a guest step's `host:` command
 * while the guest is up, and build steps, whose results are copied from
 * the kernel build's (read once).  A command that cannot start or passes
 * its deadline makes its step `error` or `timeout`; nothing here stops
 * the run.  run.c calls here; nothing here calls run.c.
 */
#include "run_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *run_expand_cmd(struct run *r, const char *cmd)
{
	size_t off;
	char *bad = NULL;
	char *out = expand(cmd, &r->vars, EXPAND_PLAIN, &off, &bad);

	if (!out) {
		error("undefined variable '%s' in '%s'", bad ? bad : "?", cmd);
		free(bad);
	}
	return out;
}

/*
 * The environment of an lxr step: `labkit` on PATH is this very program
 * (not whatever an older install put there), and LABKIT_XREF_INDEX names
 * the index.  NULL (inherit) for other kinds.
 */
static char **lxr_env(struct run *r)
{
	char self[4096], *slash, *path;
	const char *old = getenv("PATH");
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	/* the step runs in the spec's directory: an absolute index path */
	char *index = realpath(r->o->xref_index, NULL);
	char **env = proc_env_set(NULL, "LABKIT_XREF_INDEX",
				  index ? index : r->o->xref_index);

	free(index);
	if (n <= 0)
		return env;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	path = xasprintf("%s%s%s", self, old ? ":" : "", old ? old : "");
	env = proc_env_set(env, "PATH", path);
	free(path);
	return env;
}

/* Runs `cmd` on the host (`/bin/sh -c`, in the spec's directory) into
 * `rs`; 0, or -1 when it could not start or passed its deadline. */
static int host_command(struct run *r, const char *cmd, double timeout,
			char **env, struct results_step *rs)
{
	char *argv[] = { "/bin/sh", "-c", (char *)cmd, NULL };
	struct proc p;
	struct sb out;
	int rc;

	sb_init(&out);
	rc = proc_run_env(argv, r->spec->dir, env, false, timeout, &out, &p);
	results_step_finish(rs, rc, &p, sb_detach(&out, NULL));
	sb_release(&out);
	return rc < 0 ? -1 : 0;
}

void run_host_step(struct run *r, const struct spec_step *st,
		   struct results_step *rs)
{
	double timeout = st->timeout > 0 ? st->timeout :
		(r->ex->guest ? r->ex->guest->timeout : 60);
	char **env = st->kind == STEP_LXR ? lxr_env(r) : NULL;

	host_command(r, rs->command, timeout, env, rs);
	proc_env_free(env);
	if (rs->status == STATUS_TIMEOUT)
		results_step_set(rs, STATUS_TIMEOUT, REASON_HOST_DEADLINE);
	else if (rs->status == STATUS_ERROR)
		results_step_set(rs, STATUS_ERROR, REASON_HOST_NO_START);
}

/* One of a guest step's host commands (`before:`, `host:`), run while the
 * guest is up: its command line, output and exit status.  0, or -1 when
 * it did not expand. */
static int side_command(struct run *r, const struct spec_step *st,
			const char *cmd, char **line, char **output, int *status)
{
	double timeout = st->timeout > 0 ? st->timeout : r->ex->guest->timeout;
	struct results_step side = { .exit_status = -1 };

	*line = run_expand_cmd(r, cmd);
	if (!*line)
		return -1;
	host_command(r, *line, timeout, NULL, &side);
	*output = side.output;
	*status = side.exit_status;
	reason_free(&side.reason);
	return 0;
}

void run_host_side(struct run *r, const struct spec_step *st,
		   struct results_step *rs)
{
	side_command(r, st, st->host, &rs->host_command, &rs->host_output,
		     &rs->host_exit);
}

int run_host_before(struct run *r, const struct spec_step *st,
		    struct results_step *rs)
{
	if (!st->before)
		return 0;
	if (side_command(r, st, st->before, &rs->before_command,
			 &rs->before_output, &rs->before_exit) < 0)
		return -1;
	return rs->before_exit == 0 ? 0 : -1;
}

/* The kernel build's results, read once on the first build step; their
 * facts (kernel.release, config.dropped ...) become the run's. */
const struct results *run_build_results(struct run *r)
{
	if (r->built_loaded == 0) {
		r->built_loaded = results_load(&r->built, r->o->build_results) < 0 ?
				  -1 : 1;
		for (size_t i = 0; r->built_loaded > 0 && i < r->built.facts.n; i++)
			expand_vars_set(&r->res.facts, r->built.facts.name[i],
					r->built.facts.value[i]);
	}
	return r->built_loaded > 0 ? &r->built : NULL;
}

/* A build step's result is the kernel build's: copied, not re-run. */
void run_copy_build_step(struct run *r, const struct spec_step *st,
			    struct results_step *rs)
{
	const struct results *built = run_build_results(r);
	const struct results_step *b = built ? results_step(built, st->id) : NULL;

	if (!built) {
		results_step_set(rs, STATUS_ERROR, REASON_BUILD_UNREADABLE);
	} else if (!b) {
		results_step_set(rs, STATUS_SKIP, REASON_BUILD_NOT_RUN);
	} else {
		results_step_set_why(rs, b->status, &b->reason);
		free(rs->command);
		rs->command = b->command ? xstrdup(b->command) : NULL;
		rs->output = b->output ? xstrdup(b->output) : NULL;
		rs->exit_status = b->exit_status;
		rs->duration = b->duration;
		rs->user = b->user;
		rs->sys = b->sys;
		rs->host_command = b->host_command ? xstrdup(b->host_command) : NULL;
		rs->host_output = b->host_output ? xstrdup(b->host_output) : NULL;
		rs->host_exit = b->host_exit;
		rs->before_command = b->before_command ? xstrdup(b->before_command) : NULL;
		rs->before_output = b->before_output ? xstrdup(b->before_output) : NULL;
		rs->before_exit = b->before_exit;
		rs->ccache_hits = b->ccache_hits;
		rs->ccache_misses = b->ccache_misses;
	}
}
