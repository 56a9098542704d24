/*
 * run.c — `labkit run`: one exercise, one boot.  Starts the guest on a
 * pty in its own session, logs in like the student did, runs each guest
 * step between markers and each host step on the host while the guest is
 * up, powers the guest off and checks that its whole process group is
 * gone.  Writes transcript.log (every console byte) and results.yaml.
 *
 * It decides nothing about pass or fail of expectations (check.c does);
 * it fails when the guest does: no login prompt before the deadline
 * (boot-fail), a step past its deadline (timeout), a panic line (panic),
 * or a signal (interrupted).  Then it kills the group, prints the last
 * console lines and the transcript path, and still writes results.yaml.
 */
#include "run.h"
#include "run_int.h"
#include "console.h"
#include "expand.h"
#include "proc.h"
#include "results.h"
#include "status.h"
#include "util.h"
#include "vm.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TAIL_LINES 20

/* What each step kind needs; NULL `missing` when labkit has it. */
static const struct {
	const char *kind;
	const char *missing;
} step_support[] = {
	{ "guest", NULL },
	{ "host", NULL },
	{ "build", NULL },
	{ "lxr", NULL },
};

const char *run_step_unsupported(const struct spec *spec,
				 const struct spec_exercise *ex,
				 const struct spec_step *st,
				 const struct run_opts *o)
{
	const struct spec_kernel *k;

	if (st->skip)
		return st->skip;
	for (size_t i = 0; i < sizeof(step_support) / sizeof(step_support[0]); i++) {
		if (strcmp(step_support[i].kind, st->kind))
			continue;
		if (step_support[i].missing)
			return step_support[i].missing;
		if (!strcmp(st->kind, "build"))
			return o->build_results ? NULL :
			       o->no_build ? o->no_build :
			       "no kernel build results were given (--build-results)";
		if (!strcmp(st->kind, "lxr"))
			return o->xref_index ? NULL :
			       o->no_xref ? o->no_xref :
			       "no cross-reference index was given (--xref-index)";
		if (strcmp(st->kind, "guest"))
			return NULL;
		if (!ex->guest)
			return "the exercise has no guest to run it in";
		k = spec_kernel(spec, ex->guest->kernel);
		if (!k || !vm_arch_find(k->arch))
			return "no guest kind for this kernel's architecture";
		if (!o->kernel_dir || !o->rootfs_dir)
			return o->no_guest ? o->no_guest :
			       "no guest kernel was given (--kernel-dir)";
		return NULL;
	}
	return "unknown step kind";
}


static char *path_in(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static int file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Reads the first line of dir/name, or NULL. */
static char *read_line(const char *dir, const char *name)
{
	char *path = path_in(dir, name), *data = NULL;
	size_t len;

	if (fs_read_file(path, &data, &len) < 0) {
		free(path);
		return NULL;
	}
	free(path);
	data[strcspn(data, "\r\n")] = '\0';
	return data;
}

/*
 * The guest kernel's release.  An installed kernel (`use: installed`) is
 * the one this exercise's build made, not whichever `make install` ran
 * last into the same stage, so its release comes from the build's results
 * and its image is vmlinuz-<release>; otherwise <kernel-dir>/release.
 */
static char *guest_release(struct run *r)
{
	const struct spec_guest *g = r->ex->guest;
	const struct results *b;
	const char *rel;

	if (!g->use || strcmp(g->use, "installed") || !r->o->build_results) {
		char *line = read_line(r->o->kernel_dir, "release");

		if (!line)
			error("no kernel release in '%s/release': build the kernel first",
			      r->o->kernel_dir);
		return line;
	}
	b = run_build_results(r);
	rel = b ? expand_vars_get(&b->facts, "kernel.release") : NULL;
	if (!rel) {
		error("no 'kernel.release' in '%s': build the kernel first",
		      r->o->build_results);
		return NULL;
	}
	free(r->installed_image);
	r->installed_image = xasprintf("vmlinuz-%s", rel);
	return xstrdup(rel);
}

static int set_facts(struct run *r)
{
	const struct spec *s = r->spec;
	const struct spec_exercise *ex = r->ex;
	char *release;

	for (size_t i = 0; i < s->nvars; i++)
		expand_vars_set(&r->vars, s->vars[i].name, s->vars[i].value);
	expand_vars_set(&r->vars, "lab.id", s->lab_id);
	expand_vars_set(&r->vars, "exercise.id", ex->id);
	if (ex->module) {
		expand_vars_set(&r->vars, "module.name", ex->module);
		expand_vars_set(&r->res.facts, "module.name", ex->module);
	}
	if (ex->guest && r->o->kernel_dir) {
		const struct spec_kernel *k = spec_kernel(s, ex->guest->kernel);

		release = guest_release(r);
		if (!release)
			return -1;
		expand_vars_set(&r->vars, "kernel.release", release);
		expand_vars_set(&r->res.facts, "kernel.release", release);
		expand_vars_set(&r->vars, "kernel.arch", k->arch);
		expand_vars_set(&r->res.facts, "kernel.arch", k->arch);
		free(release);
	}
	return 0;
}

void run_step_set(struct results_step *rs, const char *status,
		     const char *reason)
{
	free(rs->status);
	rs->status = xstrdup(status);
	free(rs->reason);
	rs->reason = reason ? xstrdup(reason) : NULL;
}

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

/* ---- the guest ---- */

/* The first of the arch's kernel images that exists in the kernel dir. */
static char *kernel_image(struct run *r, const struct vm_arch *a)
{
	char *path;

	const char *image = r->o->kernel_image ? r->o->kernel_image :
			    r->ex->guest->image ? r->ex->guest->image :
			    r->installed_image;

	if (image)
		return path_in(r->o->kernel_dir, image);
	for (const char *const *i = a->images; *i; i++) {
		path = path_in(r->o->kernel_dir, *i);
		if (file_exists(path) || !i[1])
			return path;
		free(path);
	}
	return NULL;
}

static struct vm_guest guest_params(struct run *r, char **kernel, char **image)
{
	const struct spec_guest *g = r->ex->guest;
	const struct spec_kernel *k = spec_kernel(r->spec, g->kernel);
	const struct vm_arch *a = vm_arch_find(k->arch);
	struct vm_guest vg = { 0 };

	*kernel = kernel_image(r, a);
	vg.kernel = *kernel;
	vg.boot = strcmp(g->boot, "disk") ? VM_BOOT_INITRAMFS : VM_BOOT_DISK;
	*image = path_in(r->o->rootfs_dir, vg.boot == VM_BOOT_DISK ?
			 "rootfs.ext4" : "initramfs.cpio");
	if (vg.boot == VM_BOOT_DISK) {
		vg.disk = *image;
		vg.cow = r->cow_path;
	} else {
		vg.initrd = *image;
	}
	return vg;
}

/* <out>/guest.pid: the guest's process group, for whoever must prove it
 * is gone (tests, a teacher's script). */
static void record_pid(struct run *r)
{
	char *path = path_in(r->o->out_dir, "guest.pid");
	char *pid = xasprintf("%d\n", (int)r->guest.pid);

	if (fs_write_atomic(path, pid, strlen(pid)) < 0)
		warning("cannot write '%s': %m", path);
	free(pid);
	free(path);
}

/*
 * When we are root and the arch asks for it (UML: its root file system can
 * mount the host's / through hostfs), the guest runs as `nobody`, with a
 * home of its own (UML keeps ~/.uml there) that also holds the copy-on-write
 * file.  If `nobody` could not read the kernel or the disk, it stays root,
 * and the results say why.
 */
static char **guest_user(struct run *r, const struct vm_arch *a,
			 struct vm_guest *vg, struct proc_opts *po)
{
	const char *disk = vg->disk ? vg->disk : vg->initrd;
	struct passwd *pw;
	char **env;

	if (!a->unprivileged || geteuid() != 0) {
		expand_vars_set(&r->res.facts, "guest.user", "the user running labkit");
		return NULL;
	}
	pw = getpwnam("nobody");
	if (!pw || !fs_world_readable(vg->kernel) || !fs_world_readable(disk)) {
		expand_vars_set(&r->res.facts, "guest.user", pw ?
			"root: the kernel or the disk is not readable by 'nobody'" :
			"root: there is no user 'nobody'");
		return NULL;
	}
	/* In /tmp, which every user can reach, unlike a build tree may be. */
	free(r->home_path);
	r->home_path = xstrdup("/tmp/labkit-guest-XXXXXX");
	if (!mkdtemp(r->home_path) ||
	    chown(r->home_path, pw->pw_uid, pw->pw_gid) < 0) {
		free(r->home_path);
		r->home_path = NULL;
		expand_vars_set(&r->res.facts, "guest.user", "root: cannot make its home");
		return NULL;
	}
	po->uid = pw->pw_uid;
	po->gid = pw->pw_gid;
	free(r->cow_path);
	r->cow_path = path_in(r->home_path, "rootfs.cow");
	vg->cow = vg->disk ? r->cow_path : NULL;
	env = proc_env_set(NULL, "HOME", r->home_path);
	env = proc_env_set(env, "TMPDIR", r->home_path);
	expand_vars_set(&r->res.facts, "guest.user", "nobody");
	return env;
}

static int start_guest(struct run *r, struct vm_guest *vg, int transcript)
{
	const struct spec_kernel *k = spec_kernel(r->spec, r->ex->guest->kernel);
	const struct vm_arch *a = vm_arch_find(k->arch);
	struct proc_opts po = { .tty = -1, .in = -1, .out = -1,
				.die_with_parent = true, .guard = true };
	char **env = guest_user(r, a, vg, &po);
	char **argv = vm_argv(a, vg);
	char *line = vm_argv_str(argv);
	int slave, rc = -1;

	po.argv = argv;
	po.env = env;
	expand_vars_set(&r->res.facts, "guest.command", line);
	free(line);
	if ((line = vm_emulator_version(argv[0])))
		expand_vars_set(&r->res.facts, "guest.emulator", line);
	free(line);
	if (console_open_pty(&r->con, &slave, transcript) == 0) {
		r->con.on_line = status_console_line;
		r->con.on_line_ctx = &r->status;
	} else {
		error("cannot open a pty: %m");
		goto out;
	}
	po.tty = slave;
	rc = proc_spawn(&r->guest, &po);
	close(slave);
	if (rc < 0) {
		error("cannot start '%s': %m", argv[0]);
	} else {
		r->guest_up = true;
		record_pid(r);
	}
out:
	vm_argv_free(argv);
	proc_env_free(env);
	return rc;
}

static void stop_guest(struct run *r, double grace)
{
	if (!r->guest_up)
		return;
	proc_kill_group(&r->guest, grace);
	r->guest_up = false;
}

/* The busybox root file system's console: as the lab sheet says, root
 * with an empty password.  `poweroff -f` skips busybox init's two one-second
 * sleeps; nothing on the guest's disk is worth them. */
static const struct console_login busybox_login = {
	.login_re = "login: ",
	.user = "root",
	.password = "",
	.prompt_re = "[#$] ",
};
static const char busybox_poweroff[] = "sync; poweroff -f\n";

/* Boots with `accel`, waits for the shell.  CONSOLE_OK or why not. */
static enum console_status boot_once(struct run *r, const char *accel,
				     double timeout, int transcript)
{
	char *kernel = NULL, *image = NULL;
	struct vm_guest vg = guest_params(r, &kernel, &image);
	enum console_status s = CONSOLE_ERROR;
	double t = now_monotonic();

	vg.accel = accel;
	if (!file_exists(vg.kernel) || !file_exists(image)) {
		error("guest image '%s' or '%s' is missing: build target 'all' first",
		      vg.kernel, image);
		goto out;
	}
	if (start_guest(r, &vg, transcript) < 0)
		goto out;
	s = console_login(&r->con, &busybox_login, t + timeout);
	if (s == CONSOLE_OK) {
		char buf[32];

		snprintf(buf, sizeof(buf), "%.3f", now_monotonic() - t);
		expand_vars_set(&r->res.facts, "boot.seconds", buf);
	}
out:
	free(kernel);
	free(image);
	return s;
}

static char *accel_cached(const struct run_opts *o, char **reason)
{
	char *data = NULL, *nl;
	size_t len;

	*reason = NULL;
	if (!o->accel_cache || fs_read_file(o->accel_cache, &data, &len) < 0)
		return NULL;
	nl = strchr(data, '\n');
	if (nl) {
		*nl = '\0';
		nl[strcspn(nl + 1, "\n") + 1] = '\0';
		*reason = xstrdup(nl + 1);
	}
	return data;
}

static void accel_remember(const struct run_opts *o, const char *accel,
			   const char *reason)
{
	char *data;

	if (!o->accel_cache)
		return;
	data = xasprintf("%s\n%s\n", accel, reason);
	if (fs_write_atomic(o->accel_cache, data, strlen(data)) < 0)
		warning("cannot write '%s': %m", o->accel_cache);
	free(data);
}

static void set_accel(struct run *r, const char *accel, const char *why)
{
	expand_vars_set(&r->res.facts, "guest.accel", accel);
	expand_vars_set(&r->res.facts, "guest.accel_reason", why);
	printf("%s.%s: accelerator %s (%s)\n", r->spec->lab_id, r->ex->id,
	       accel, why);
}

/*
 * KVM is believed only when a guest booted with it reaches `login:` within
 * the probe deadline; otherwise the boot is redone under TCG and the
 * verdict cached, so later runs do not pay for the probe again.
 */
static enum console_status boot(struct run *r, int transcript)
{
	const struct spec_kernel *k = spec_kernel(r->spec, r->ex->guest->kernel);
	double timeout = r->ex->guest->timeout;
	char *cached, *reason = NULL, *why;
	enum console_status s;

	if (!vm_arch_find(k->arch)->has_accel)
		return boot_once(r, NULL, timeout, transcript);
	if (strcmp(r->o->accel, "auto")) {
		set_accel(r, r->o->accel, "chosen with --accel");
		return boot_once(r, r->o->accel, timeout, transcript);
	}
	cached = accel_cached(r->o, &reason);
	if (cached) {
		why = xasprintf("%s; cached in %s", reason ? reason : "probed",
				r->o->accel_cache);
		set_accel(r, cached, why);
		free(why);
		s = boot_once(r, cached, timeout, transcript);
		free(cached);
		free(reason);
		return s;
	}
	if (access("/dev/kvm", R_OK | W_OK) < 0) {
		why = xasprintf("/dev/kvm: %s", strerror(errno));
		goto tcg;
	}
	s = boot_once(r, "kvm", r->o->probe_timeout, transcript);
	if (s == CONSOLE_INTERRUPTED)   /* no verdict on KVM: nothing cached */
		return s;
	if (s == CONSOLE_OK) {
		why = xasprintf("a KVM guest reached login: in %s s",
				expand_vars_get(&r->res.facts, "boot.seconds"));
		accel_remember(r->o, "kvm", why);
		set_accel(r, "kvm", why);
		free(why);
		return s;
	}
	why = xasprintf("a KVM guest did not reach login: within %.0f s (%s)",
			r->o->probe_timeout, console_status_str(s));
	stop_guest(r, 0.5);
	console_close(&r->con);
	if (ftruncate(transcript, 0) < 0 || lseek(transcript, 0, SEEK_SET) < 0)
		warning("cannot reset the transcript: %m");
tcg:
	accel_remember(r->o, "tcg", why);
	set_accel(r, "tcg", why);
	free(why);
	return boot_once(r, "tcg", timeout, transcript);
}

/* ---- steps ---- */

static void fail_run(struct run *r, const char *outcome, const char *detail)
{
	if (strcmp(r->res.outcome, "ok") && strcmp(r->res.outcome, "error"))
		return; /* the first failure is the one to report */
	free(r->res.outcome);
	r->res.outcome = xstrdup(outcome);
	free(r->res.detail);
	r->res.detail = xstrdup(detail);
}

static const char *status_outcome(enum console_status s)
{
	switch (s) {
	case CONSOLE_TIMEOUT: return "timeout";
	case CONSOLE_PANIC: return "panic";
	case CONSOLE_INTERRUPTED: return "interrupted";
	case CONSOLE_EOF: return "guest-exit";
	default: return "error";
	}
}

static void guest_failed(struct run *r, enum console_status s,
			 const char *where)
{
	char *detail;

	if (s == CONSOLE_PANIC)
		detail = xasprintf("%s: '%s'", where, r->con.panic_line);
	else
		detail = xasprintf("%s: %s", where, console_status_str(s));
	fail_run(r, status_outcome(s), detail);
	free(detail);
}

/*
 * A command that ends the shell (`ends: login`, e.g. `exit`): typed as it
 * is, then the login prompt must come back, and the runner logs in again.
 * The output is the console from the command to the new shell prompt.
 */
static enum console_status run_logout(struct run *r, struct results_step *rs,
				      double deadline)
{
	char *seen = console_seen(&r->con);
	size_t from = strlen(seen);
	char *line = xasprintf("%s\n", rs->command);
	enum console_status s;

	free(seen);
	s = console_send(&r->con, line) < 0 ? CONSOLE_ERROR :
	    console_login(&r->con, &busybox_login, deadline);
	free(line);
	seen = console_seen(&r->con);
	rs->output = xstrdup(seen + (from < strlen(seen) ? from : strlen(seen)));
	free(seen);
	rs->exit_status = s == CONSOLE_OK ? 0 : -1;
	return s;
}

static void run_guest_step(struct run *r, const struct spec_step *st,
			   struct results_step *rs)
{
	double timeout = st->timeout > 0 ? st->timeout : r->ex->guest->timeout;
	double t = now_monotonic();
	enum console_status s;

	if (st->ends)
		s = run_logout(r, rs, t + timeout);
	else
		s = console_run(&r->con, rs->command, t + timeout, &rs->output,
				&rs->exit_status);
	rs->duration = now_monotonic() - t;
	if (s == CONSOLE_OK) {
		run_step_set(rs, "ran", NULL);
		return;
	}
	run_step_set(rs, status_outcome(s), console_status_str(s));
	if (!rs->output)
		rs->output = console_tail(&r->con, TAIL_LINES);
	{
		char *where = xasprintf("step %s", st->id);

		guest_failed(r, s, where);
		free(where);
	}
}

static void print_step(const struct run *r, const struct results_step *rs)
{
	if (!strcmp(rs->status, "ran"))
		printf("%s.%s: %-6s exit %d  %.2f s  %s\n", r->spec->lab_id,
		       rs->id, rs->status, rs->exit_status, rs->duration,
		       rs->command);
	else
		printf("%s.%s: %-6s %s\n", r->spec->lab_id, rs->id, rs->status,
		       rs->reason ? rs->reason : "");
	fflush(stdout);
}

static void run_step(struct run *r, const struct spec_step *st)
{
	struct results_step *rs = results_add_step(&r->res, st->id);
	const char *why = run_step_unsupported(r->spec, r->ex, st, r->o);

	status_step(&r->status, r->res.nsteps);
	if (why) {
		run_step_set(rs, "skip", why);
	} else if (!strcmp(st->kind, "build")) {
		run_copy_build_step(r, st, rs); /* ran at build time, not now */
	} else if (strcmp(r->res.outcome, "ok")) {
		run_step_set(rs, "not-run", r->res.detail);
	} else if (!(rs->command = run_expand_cmd(r, st->run ? st->run : "true"))) {
		run_step_set(rs, "error", "the command did not expand");
	} else if (!strcmp(st->kind, "guest")) {
		run_guest_step(r, st, rs);
		if (st->host && !strcmp(rs->status, "ran"))
			run_host_side(r, st, rs);
	} else {
		run_host_step(r, st, rs);
	}
	status_clear(&r->status);
	print_step(r, rs);
}

static bool needs_guest(struct run *r)
{
	for (size_t i = 0; i < r->ex->nsteps; i++) {
		const struct spec_step *st = &r->ex->steps[i];

		if (!strcmp(st->kind, "guest") &&
		    !run_step_unsupported(r->spec, r->ex, st, r->o))
			return true;
	}
	return false;
}

/* poweroff, the console closing, the emulator exiting, no process left. */
static void power_off(struct run *r)
{
	double t = now_monotonic();
	double deadline = t + r->ex->guest->timeout;
	char buf[64];
	int left;

	if (!strcmp(r->res.outcome, "ok") && console_send(&r->con, busybox_poweroff) == 0) {
		console_drain(&r->con, deadline);
		if (proc_wait(&r->guest, deadline) == 1) {
			snprintf(buf, sizeof(buf), "clean in %.2f s", now_monotonic() - t);
			expand_vars_set(&r->res.facts, "guest.poweroff", buf);
		} else {
			fail_run(r, "timeout", "the guest did not power off");
		}
	}
	if (strcmp(r->res.outcome, "ok") && r->con.fd >= 0)
		console_drain(&r->con, now_monotonic() + 1.0); /* a panic's trace */
	if (!r->guest.exited)
		expand_vars_set(&r->res.facts, "guest.poweroff", "killed");
	stop_guest(r, 2.0);
	if (r->guest.pid <= 0)
		return; /* it never started */
	left = proc_group_count(r->guest.pid);
	snprintf(buf, sizeof(buf), "%d", left);
	expand_vars_set(&r->res.facts, "guest.leftover", buf);
	if (left > 0)
		fail_run(r, "error", "guest processes survived the kill");
}

static void report_failure(struct run *r)
{
	char *tail = r->con.raw.buf ? console_tail(&r->con, TAIL_LINES) : NULL;

	status_clear(&r->status);
	fprintf(stderr, "labkit: error: %s.%s: %s: %s\n", r->spec->lab_id,
		r->ex->id, r->res.outcome, r->res.detail ? r->res.detail : "");
	if (tail) {
		fprintf(stderr, "--- last %d console lines ---\n%s%s---\n",
			TAIL_LINES, tail,
			*tail && tail[strlen(tail) - 1] != '\n' ? "\n" : "");
		r->res.tail = tail;
	}
	fprintf(stderr, "transcript: %s\n", r->transcript_path);
}

static void run_guest_session(struct run *r, int transcript)
{
	enum console_status s = boot(r, transcript);

	if (s != CONSOLE_OK) {
		guest_failed(r, s, "boot");
		if (!strcmp(r->res.outcome, "timeout")) {
			free(r->res.outcome);
			r->res.outcome = xstrdup("boot-fail");
		}
	} else {
		char buf[32];

		r->res.boot = console_seen(&r->con);
		snprintf(buf, sizeof(buf), "%d", (int)r->guest.pid);
		expand_vars_set(&r->vars, "guest.pid", buf);
		expand_vars_set(&r->vars, "guest.pgid", buf);
		status_clear(&r->status);
		printf("%s.%s: logged in after %s s\n", r->spec->lab_id,
		       r->ex->id, expand_vars_get(&r->res.facts, "boot.seconds"));
	}
	for (size_t i = 0; i < r->ex->nsteps; i++)
		run_step(r, &r->ex->steps[i]);
	power_off(r);
}

static int open_outputs(struct run *r, int *transcript)
{
	if (fs_mkdirs(r->o->out_dir, 0755) < 0)
		return error("cannot create '%s': %m", r->o->out_dir);
	r->transcript_path = path_in(r->o->out_dir, "transcript.log");
	r->cow_path = path_in(r->o->out_dir, "rootfs.cow");
	unlink(r->cow_path);
	*transcript = open(r->transcript_path,
			   O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (*transcript < 0)
		return error("cannot create '%s': %m", r->transcript_path);
	return 0;
}

int run_exercise(const struct spec *spec, const struct run_opts *o)
{
	struct run r = { .spec = spec, .o = o, .t0 = now_monotonic() };
	int transcript = -1, rc = EXIT_USAGE;
	char *results_path = NULL;

	r.ex = spec_exercise(spec, o->exercise);
	if (!r.ex)
		return error("no exercise '%s' in '%s'", o->exercise, spec->file),
		       EXIT_USAGE;
	results_init(&r.res, spec->lab_id, r.ex->id);
	expand_vars_init(&r.vars);
	status_init(&r.status, spec->lab_id, r.ex->id, r.ex->nsteps);
	r.con.fd = -1; /* console_open_pty() sets it up at boot */
	if (set_facts(&r) < 0 || open_outputs(&r, &transcript) < 0)
		goto out;
	free(r.res.outcome);
	r.res.outcome = xstrdup("ok");
	proc_catch_signals();
	if (needs_guest(&r)) {
		run_guest_session(&r, transcript);
	} else {
		for (size_t i = 0; i < r.ex->nsteps; i++)
			run_step(&r, &r.ex->steps[i]);
	}
	r.res.duration = now_monotonic() - r.t0;
	status_clear(&r.status);
	if (strcmp(r.res.outcome, "ok"))
		report_failure(&r);
	results_path = path_in(o->out_dir, "results.yaml");
	rc = results_write(&r.res, results_path) < 0 ? EXIT_INTERNAL :
	     strcmp(r.res.outcome, "ok") ? EXIT_CHECK_FAILED : EXIT_OK;
out:
	if (transcript >= 0)
		close(transcript);
	stop_guest(&r, 0.5);
	console_close(&r.con);
	if (r.cow_path)
		unlink(r.cow_path);
	if (r.home_path)
		fs_remove_tree(r.home_path);
	free(r.cow_path);
	free(r.installed_image);
	free(r.home_path);
	free(r.transcript_path);
	free(results_path);
	expand_vars_free(&r.vars);
	results_free(&r.res);
	if (r.built_loaded != 0)
		results_free(&r.built);
	return rc;
}
