/*
 * run.c — `labkit run`: one exercise, one boot.  Keeps the session: boots
 * the exercise's guest once (guest.c), runs each guest step between
 * markers on its console and each host step on the host while the guest
 * is up (run_host.c), powers the guest off.  Writes transcript.log (every
 * console byte) and results.yaml.
 *
 * It decides nothing about pass or fail of expectations (check.c does);
 * it fails when the guest does: no login prompt before the deadline
 * (boot-fail), a step past its deadline (timeout), a panic line (panic),
 * or a signal (interrupted).  Then the guest's group is killed, the last
 * console lines go out as a PROGRESS_FAILURE event, and results.yaml is
 * written all the same.  Never prints (events.h).
 */
#include "run.h"
#include "run_int.h"
#include "stamp.h"
#include "events.h"
#include "fault.h"
#include "fold.h"
#include "layout.h"
#include "match.h"
#include "util.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TAIL_LINES 20

/* Why the step cannot run, in `why` (may be NULL): the reason CMake
 * gave (`given`), else `code`.  Returns true. */
static bool unsupported(struct reason *why, const struct reason *given,
			enum reason_code code)
{
	if (why && given)
		reason_copy(why, given);
	else if (why)
		reason_set(why, code);
	return true;
}

bool run_step_unsupported(const struct spec *spec,
			  const struct spec_exercise *ex,
			  const struct spec_step *st, const struct run_opts *o,
			  struct reason *why)
{
	const struct spec_kernel *k;

	if (st->skip) {
		if (why)
			reason_set(why, REASON_TEXT, st->skip);
		return true;
	}
	switch (st->kind) {
	case STEP_HOST:
		return false;
	case STEP_BUILD:
		return !o->build_results &&
		       unsupported(why, o->no_build, REASON_NO_BUILD_RESULTS);
	case STEP_LXR:
		return !o->xref_index &&
		       unsupported(why, o->no_xref, REASON_NO_XREF_INDEX);
	case STEP_GUEST:
		if (!ex->guest)
			return unsupported(why, NULL, REASON_NO_GUEST);
		k = spec_kernel(spec, ex->guest->kernel);
		if (!k || !vm_arch_find(k->arch))
			return unsupported(why, NULL, REASON_NO_GUEST_KIND);
		return (!o->kernel_dir || !o->rootfs_dir) &&
		       unsupported(why, o->no_guest, REASON_NO_KERNEL_DIR);
	case STEP_KIND_COUNT:
		break;
	}
	return unsupported(why, NULL, REASON_UNKNOWN_STEP_KIND);
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
static char *kernel_release(struct run *r)
{
	const struct results *b;
	const char *rel;

	if (!r->ex->guest->use_installed || !r->o->build_results) {
		char *line = read_line(r->o->kernel_dir, layout_name(LAYOUT_RELEASE));

		if (!line)
			error("no kernel release in '%s/%s': build the kernel first",
			      r->o->kernel_dir, layout_name(LAYOUT_RELEASE));
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

/* A variable steps expand that is also a fact of the run. */
static void set_fact(struct run *r, const char *name, const char *value)
{
	expand_vars_set(&r->vars, name, value);
	expand_vars_set(&r->res.facts, name, value);
}

/* ${module.name}, ${module.file}, and ${module.<id>.name|file} for each
 * module of the exercise: its name, and where its .ko is in the guest. */
static void set_module_facts(struct run *r)
{
	const struct spec_exercise *ex = r->ex;
	const char *rel = expand_vars_get(&r->vars, "kernel.release");

	for (size_t i = 0; i < ex->nmodules; i++) {
		char *name = xasprintf("module.%s.name", ex->modules[i]);
		char *file = xasprintf("module.%s.file", ex->modules[i]);
		char *ko = xasprintf("/lib/modules/%s/extra/%s.ko", rel ? rel : "?",
				     ex->modules[i]);

		set_fact(r, name, ex->modules[i]);
		set_fact(r, file, ko);
		if (ex->module && !strcmp(ex->module, ex->modules[i])) {
			set_fact(r, "module.name", ex->module);
			set_fact(r, "module.file", ko);
		}
		free(ko);
		free(file);
		free(name);
	}
}

static int set_facts(struct run *r)
{
	const struct spec_exercise *ex = r->ex;
	char *release;

	spec_vars(r->spec, ex, &r->vars);
	if (ex->guest && r->o->kernel_dir) {
		release = kernel_release(r);
		if (!release)
			return -1;
		set_fact(r, "kernel.release", release);
		set_fact(r, "kernel.arch", spec_kernel(r->spec, ex->guest->kernel)->arch);
		free(release);
	}
	set_module_facts(r);
	for (size_t i = 0; r->o->facts && i < r->o->facts->n; i++)
		expand_vars_set(&r->res.facts, r->o->facts->name[i],
				r->o->facts->value[i]);
	return 0;
}

/* ---- the guest's fate ---- */

static void fail_run(struct run *r, enum run_outcome outcome,
		     const struct reason *detail)
{
	if (r->res.outcome != OUTCOME_OK && r->res.outcome != OUTCOME_ERROR)
		return; /* the first failure is the one to report */
	r->res.outcome = outcome;
	reason_copy(&r->res.detail, detail);
}

/* A failure of the run of no more words than its code. */
static void fail_run_with(struct run *r, enum run_outcome outcome,
			  enum reason_code code)
{
	struct reason detail = REASON_INIT;

	reason_set(&detail, code);
	fail_run(r, outcome, &detail);
	reason_free(&detail);
}

/* What a console status makes of a step and of the run. */
static const struct {
	enum step_status status;
	enum run_outcome outcome;
} console_fate[] = {
	[CONSOLE_OK] = { STATUS_RAN, OUTCOME_OK },
	[CONSOLE_TIMEOUT] = { STATUS_TIMEOUT, OUTCOME_TIMEOUT },
	[CONSOLE_EOF] = { STATUS_GUEST_EXIT, OUTCOME_GUEST_EXIT },
	[CONSOLE_PANIC] = { STATUS_PANIC, OUTCOME_PANIC },
	[CONSOLE_INTERRUPTED] = { STATUS_INTERRUPTED, OUTCOME_INTERRUPTED },
	[CONSOLE_ERROR] = { STATUS_ERROR, OUTCOME_ERROR },
};

void run_guest_failed(struct run *r, enum console_status s, const char *step)
{
	const char *panic = r->guest.klog.panic_line ? r->guest.klog.panic_line :
			    r->guest.con.panic_line;
	struct reason why = REASON_INIT, detail = REASON_INIT;

	reason_set(&why, console_status_reason(s));
	if (s == CONSOLE_PANIC && step)
		reason_set(&detail, REASON_STEP_PANIC, step, panic ? panic : "?");
	else if (s == CONSOLE_PANIC)
		reason_set(&detail, REASON_BOOT_PANIC, panic ? panic : "?");
	else if (step)
		reason_set(&detail, REASON_STEP_ENDED, step, &why);
	else
		reason_set(&detail, REASON_BOOT_ENDED, &why);
	fail_run(r, console_fate[s].outcome, &detail);
	reason_free(&detail);
	reason_free(&why);
}

enum step_status run_step_status(enum console_status s)
{
	return console_fate[s].status;
}

/* ---- steps ---- */

/*
 * A command that ends the shell (`ends: login`, e.g. `exit`): typed as it
 * is, then the login prompt must come back, and the runner logs in again.
 * The output is the console from the command to the new shell prompt.
 */
static enum console_status run_logout(struct run *r, struct results_step *rs,
				      double deadline)
{
	char *seen = console_seen(&r->guest.con);
	size_t from = strlen(seen);
	enum console_status s;

	free(seen);
	s = guest_relogin(&r->guest, rs->command, deadline);
	seen = console_seen(&r->guest.con);
	rs->output = xstrdup(seen + (from < strlen(seen) ? from : strlen(seen)));
	free(seen);
	rs->exit_status = s == CONSOLE_OK ? 0 : -1;
	return s;
}

/* `wait:` — until the kernel prints the pattern (since the step began),
 * or the wait's deadline.  A line the wait saw is the step's: *to moves
 * past it. */
static void wait_for(struct run *r, const struct spec_step *st,
		     struct results_step *rs, double deadline, size_t *to)
{
	struct console *k = &r->guest.klog;
	size_t off, end;
	char *pat = expand(st->wait->pattern, &r->vars, EXPAND_REGEX, &off, NULL);
	char *err = NULL;
	struct match_pattern *p = pat ? match_compile(pat, &err, &off) : NULL;
	double t = now_monotonic();

	if (st->wait->timeout > 0 && t + st->wait->timeout < deadline)
		deadline = t + st->wait->timeout;
	rs->wait_seen = p && console_expect_line(k, p, r->kernel_from, deadline,
						 &end) == CONSOLE_OK;
	if (rs->wait_seen && end > *to)
		*to = end;
	rs->waited = now_monotonic() - t;
	match_free(p);
	free(err);
	free(pat);
}

/*
 * What the kernel printed during the step, and its worst fault: its
 * console from where the last step ended to this one's end, in the
 * console's order — the command's end mark, or for a step that ended
 * otherwise what had been read; a line its `wait:` saw is the step's.
 */
static void kernel_of_step(struct run *r, const struct spec_step *st,
			   struct results_step *rs, double deadline)
{
	struct console *k = &r->guest.klog;
	size_t to;

	if (k->fd < 0)
		return;               /* the kernel shares the shell's line */
	to = rs->status == STATUS_RAN && st->ends == ENDS_NONE ?
	     r->guest.con.kernel_end : k->text.len;
	if (rs->status == STATUS_RAN && st->wait && !st->wait->step)
		wait_for(r, st, rs, deadline, &to);
	rs->kernel = console_span(k, r->kernel_from, to);
	fault_find(k, r->kernel_from, to, &rs->fault);
	fault_decode(&rs->fault, r->o->modules, r->o->nmodules);
	r->kernel_from = to;
}

/*
 * A command that ends the guest (`ends: poweroff`): typed as it is; the
 * guest must exit by the deadline.  The output is the console from the
 * command to the end, the exit status the guest's own (the emulator's, or
 * UML's); no step can run after it.
 */
static enum console_status run_poweroff(struct run *r, struct results_step *rs,
					double deadline)
{
	char *seen = console_seen(&r->guest.con), *all;
	size_t from = strlen(seen);
	enum console_status s;

	free(seen);
	s = guest_end(&r->guest, rs->command, deadline, &rs->exit_status);
	all = console_text_from(&r->guest.con, 0);
	rs->output = xstrdup(all + (from < strlen(all) ? from : strlen(all)));
	free(all);
	if (s == CONSOLE_OK)
		reason_set(&r->died, REASON_GUEST_POWERED_OFF, rs->id);
	return s;
}

static void run_guest_step(struct run *r, const struct spec_step *st,
			   struct results_step *rs)
{
	double timeout = st->timeout > 0 ? st->timeout : r->ex->guest->timeout;
	double t = now_monotonic();
	enum console_status s;

	if (st->ends == ENDS_LOGIN)
		s = run_logout(r, rs, t + timeout);
	else if (st->ends == ENDS_POWEROFF)
		s = run_poweroff(r, rs, t + timeout);
	else
		s = console_run(&r->guest.con, rs->command, t + timeout,
				&rs->output, &rs->exit_status);
	rs->duration = now_monotonic() - t;
	results_step_set(rs, console_fate[s].status, console_status_reason(s));
	kernel_of_step(r, st, rs, t + timeout);
	if (s == CONSOLE_OK)
		return;
	if (!rs->output)
		rs->output = console_tail(&r->guest.con, TAIL_LINES);
	run_guest_failed(r, s, st->id);
	r->res.expected = spec_step_expects_end(st, rs->status);
	reason_set(&r->died, s == CONSOLE_TIMEOUT ? REASON_GUEST_STOPPED :
		   REASON_GUEST_DIED, st->id);
}

static void progress(struct run *r, enum progress_kind kind,
		     const struct results_step *rs)
{
	struct progress p = { .kind = kind, .lab = r->spec->lab_id,
			      .exercise = r->ex->id, .step = r->res.nsteps,
			      .total = r->ex->nsteps, .rs = rs };

	events_progress(&p);
}

static void run_step(struct run *r, const struct spec_step *st)
{
	struct results_step *rs = results_add_step(&r->res, st->id);
	struct reason why = REASON_INIT;

	if (r->handed) {        /* recorded, not shown: the person is done */
		results_step_set_why(rs, STATUS_NOT_RUN, &r->handed_why);
		return;
	}
	progress(r, PROGRESS_STEP_START, rs);
	if (run_step_unsupported(r->spec, r->ex, st, r->o, &why)) {
		results_step_set_why(rs, STATUS_SKIP, &why);
	} else if (st->kind == STEP_BUILD) {
		run_copy_build_step(r, st, rs); /* ran at build time, not now */
	} else if (r->res.outcome != OUTCOME_OK ||
		   (st->kind == STEP_GUEST && r->guest.proc.exited)) {
		results_step_set_why(rs, STATUS_NOT_RUN, r->died.code ?
				     &r->died : &r->res.detail);
	} else if (!(rs->command = run_expand_cmd(r, st->run ? st->run : "true"))) {
		results_step_set(rs, STATUS_ERROR, REASON_NOT_EXPANDED);
	} else if (st->kind == STEP_GUEST && run_host_before(r, st, rs) < 0) {
		results_step_set(rs, STATUS_ERROR, REASON_BEFORE_FAILED);
	} else if (st->kind == STEP_GUEST && run_bg_before(r, st, rs) < 0) {
		/* its wait or its keys failed: the result says why */
	} else if (st->kind == STEP_GUEST && run_bg_step(r, st, rs)) {
		/* on another console, or in the background (background.c) */
	} else if (st->kind == STEP_GUEST) {
		run_guest_step(r, st, rs);
		if (st->host && rs->status == STATUS_RAN)
			run_host_side(r, st, rs);
	} else {
		run_host_step(r, st, rs);
	}
	reason_free(&why);
	progress(r, PROGRESS_STEP_DONE, rs);
	if (run_wants_hand_over(r, st))
		run_hand_over(r, st);
}

static bool needs_guest(struct run *r)
{
	if (r->o->wb && !r->o->wb->failed)
		return r->ex->guest != NULL;
	for (size_t i = 0; i < r->ex->nsteps; i++) {
		const struct spec_step *st = &r->ex->steps[i];

		if (st->kind == STEP_GUEST &&
		    !run_step_unsupported(r->spec, r->ex, st, r->o, NULL))
			return true;
	}
	return false;
}

/* ---- the session ---- */

/* The first of the arch's kernel images that exists in the kernel dir. */
static char *kernel_image(struct run *r, const struct vm_arch *a)
{
	const char *image = r->o->kernel_image ? r->o->kernel_image :
			    r->ex->guest->image ? r->ex->guest->image :
			    r->installed_image;
	char *path;

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

/* What to boot, from the spec, the options and the rootfs description. */
static int guest_opts(struct run *r, struct guest_opts *go)
{
	const struct spec_guest *g = r->ex->guest;
	const struct vm_arch *a = vm_arch_find(spec_kernel(r->spec, g->kernel)->arch);
	char *image;

	if (guest_rootfs_load(&r->rootfs, r->o->rootfs_dir) < 0)
		return -1;
	if (g->append && !(r->append = run_expand_cmd(r, g->append)))
		return -1;
	image = layout_file(r->o->rootfs_dir, g->boot == BOOT_DISK ?
			    LAYOUT_ROOTFS_EXT4 : LAYOUT_INITRAMFS);
	r->kernel_path = kernel_image(r, a);
	r->image_path = image;
	*go = (struct guest_opts){
		.arch = a, .rootfs = &r->rootfs, .accel = r->o->accel,
		.accel_cache = r->o->accel_cache,
		.probe_timeout = r->o->probe_timeout, .timeout = g->timeout,
		.out_dir = r->o->out_dir, .transcript = r->transcript,
		.kernel_log = r->kernel_log, .lab = r->spec->lab_id,
		.exercise = r->ex->id,
	};
	go->vm.kernel = r->kernel_path;
	go->vm.append = r->append;
	go->vm.boot = g->boot == BOOT_DISK ? VM_BOOT_DISK : VM_BOOT_INITRAMFS;
	if (g->boot == BOOT_DISK)
		go->vm.disk = image;
	else
		go->vm.initrd = image;
	go->vm.debug = spec_kernel(r->spec, g->kernel)->debug;
	if (run_workbench_guest(r, a, &go->vm) < 0)
		return -1;
	if (vm_guest_unsupported(a, &go->vm)) {
		struct reason why = REASON_INIT;

		reason_set(&why, REASON_GUEST_UNSUPPORTED,
			   vm_guest_unsupported(a, &go->vm));
		fail_run(r, OUTCOME_ERROR, &why);
		reason_free(&why);
		return error("exercise '%s': %s", r->ex->id,
			     vm_guest_unsupported(a, &go->vm));
	}
	run_saved_opts(r, go);
	return 0;
}

static void logged_in(struct run *r)
{
	char buf[32];

	r->res.boot = console_seen(&r->guest.con);
	r->kernel_from = r->guest.klog.text.len;
	snprintf(buf, sizeof(buf), "%d", (int)r->guest.proc.pid);
	set_fact(r, "guest.pid", buf);
	set_fact(r, "guest.pgid", buf);
	events_note(r->spec->lab_id, r->ex->id, "logged in after %s s",
		    expand_vars_get(&r->res.facts, "boot.seconds"));
}

/* Cleanly, unless the guest failed or a person had it (who may have
 * left a program running on its shell line, which would take the
 * command): its disk is never written, so killing it loses nothing. */
static void power_off(struct run *r)
{
	int rc = guest_power_off(&r->guest, r->res.outcome == OUTCOME_OK &&
				 !r->handed,
				 now_monotonic() + r->ex->guest->timeout);

	if (rc == -1)
		fail_run_with(r, OUTCOME_TIMEOUT, REASON_NO_POWEROFF);
	else if (rc == -2)
		fail_run_with(r, OUTCOME_ERROR, REASON_LEFTOVER);
}

/* --save: the guest booted and saved, no step run. */
static int save_guest(struct run *r)
{
	struct guest_opts go;

	if (!needs_guest(r) || !r->o->saved_dir)
		return error("--save needs --saved and an exercise with a guest"),
		       EXIT_USAGE;
	if (guest_opts(r, &go) < 0)
		return EXIT_INTERNAL;
	return run_saved_save(r, &go);
}

static void run_guest_session(struct run *r)
{
	struct guest_opts go;
	enum console_status s;

	if (guest_opts(r, &go) < 0) {
		fail_run_with(r, OUTCOME_ERROR, REASON_NO_ROOTFS);
	} else if (run_devices_prepare(r, &go.vm, go.arch) < 0) {
		fail_run_with(r, OUTCOME_ERROR, REASON_NO_DEVICES);
	} else if ((s = guest_boot(&r->guest, &go, &r->res)) != CONSOLE_OK) {
		run_guest_failed(r, s, NULL);
		if (r->res.outcome == OUTCOME_TIMEOUT)
			r->res.outcome = OUTCOME_BOOT_FAIL;
	} else {
		logged_in(r);
		if (run_devices_login(r, now_monotonic() + go.timeout) != CONSOLE_OK)
			fail_run_with(r, OUTCOME_BOOT_FAIL, REASON_NO_EXTRA_SHELL);
		else if (run_wants_hand_over(r, NULL))
			run_hand_over(r, NULL);
	}
	for (size_t i = 0; i < r->ex->nsteps; i++)
		run_step(r, &r->ex->steps[i]);
	run_bg_end(r);
	power_off(r);
}

/* The last TAIL_LINES lines of a console, what it repeated at its end
 * (a kernel flooding it after a fault) folded and counted. */
static char *tail_of(const struct console *c)
{
	char *t = console_tail(c, TAIL_LINES * FOLD_BLOCK_MAX);
	char *folded = fold_repeats(t, NULL, NULL, NULL), *p;
	size_t n = 0;

	free(t);
	for (p = folded + strlen(folded); p > folded; p--)
		if (p[-1] == '\n' && p[0] && ++n == TAIL_LINES)
			break;
	t = xstrdup(p);
	free(folded);
	return t;
}

/* The last lines of the guest's consoles: the shell's, and the kernel's
 * when it has one of its own. */
static char *last_lines(const struct run *r)
{
	struct sb sb;
	char *t;

	if (!r->guest.con.raw.buf)
		return NULL;
	sb_init(&sb);
	t = tail_of(&r->guest.con);
	sb_adds(&sb, t);
	free(t);
	if (r->guest.klog.raw.buf) {
		t = tail_of(&r->guest.klog);
		sb_addf(&sb, "%s--- the kernel's console ---\n%s",
			sb.len && sb.buf[sb.len - 1] != '\n' ? "\n" : "", t);
		free(t);
	}
	return sb_detach(&sb, NULL);
}

/* A run that did not end well: a failure with the consoles' last lines,
 * or, when a step expected it (a panic, a timeout), a note. */
static void report_end(struct run *r)
{
	struct progress p = { .kind = PROGRESS_FAILURE, .lab = r->spec->lab_id,
			      .exercise = r->ex->id, .path = r->transcript_path };
	char *detail = reason_text(&r->res.detail, LANG_EN);
	char *text = xasprintf("%s: %s", results_outcome_name(r->res.outcome),
			       detail);

	r->res.tail = last_lines(r);
	if (r->res.expected) {
		events_note(r->spec->lab_id, r->ex->id, "%s (as the step expects)",
			    text);
	} else {
		p.text = text;
		p.len = strlen(text);
		p.detail = r->res.tail;
		events_progress(&p);
	}
	free(text);
	free(detail);
}

/* transcript.log (the shell's line) and kernel.log (the kernel's
 * console, when it has one of its own). */
static int open_outputs(struct run *r)
{
	char *klog = layout_file(r->o->out_dir, LAYOUT_KERNEL_LOG);

	if (fs_mkdirs(r->o->out_dir, 0755) < 0)
		return free(klog), error("cannot create '%s': %m", r->o->out_dir);
	r->transcript_path = layout_file(r->o->out_dir, LAYOUT_TRANSCRIPT);
	r->transcript = open(r->transcript_path,
			     O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	r->kernel_log = open(klog, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (r->transcript < 0 || r->kernel_log < 0)
		error("cannot create '%s': %m", r->transcript < 0 ?
		      r->transcript_path : klog);
	free(klog);
	return r->transcript < 0 || r->kernel_log < 0 ? -1 : 0;
}

static void run_free(struct run *r)
{
	guest_release(&r->guest);
	run_devices_free(r);
	guest_rootfs_free(&r->rootfs);
	free(r->kernel_path);
	free(r->share_path);
	free(r->image_path);
	for (size_t i = 0; i < r->nsaved; i++)
		free(r->saved[i]);
	free(r->installed_image);
	free(r->transcript_path);
	free(r->append);
	reason_free(&r->died);
	reason_free(&r->handed_why);
	run_workbench_release(r);
	expand_vars_free(&r->vars);
	results_free(&r->res);
	if (r->built_loaded != 0)
		results_free(&r->built);
}

char *run_guest_release(const struct spec *spec, const struct run_opts *o)
{
	struct run r = { .spec = spec, .o = o };
	char *release;

	r.guest.con.fd = -1;
	r.guest.klog.fd = -1;
	r.ex = spec_exercise(spec, o->exercise);
	if (!r.ex || !r.ex->guest || !o->kernel_dir) {
		error("exercise '%s' boots no guest here", o->exercise);
		return NULL;
	}
	release = kernel_release(&r);
	run_free(&r);   /* the build's results and the facts taken from them */
	return release;
}

/* --reuse: the results in the output directory are of a run that did
 * its job from exactly these inputs (stamp.c), so they stand. */
static bool results_current(const struct run *r, const char *stamp)
{
	struct results old;
	char *path;
	bool current;

	if (!stamp_matches(r->o->out_dir, stamp))
		return false;
	path = layout_file(r->o->out_dir, LAYOUT_RESULTS);
	current = results_load(&old, path) == 0 &&
		  (old.outcome == OUTCOME_OK || old.expected);
	results_free(&old);
	free(path);
	if (current)
		events_note(r->spec->lab_id, r->ex->id,
			    "results in %s are current (nothing it runs on changed since): not run again",
			    r->o->out_dir);
	return current;
}

int run_exercise(const struct spec *spec, const struct run_opts *o)
{
	struct run r = { .spec = spec, .o = o, .t0 = now_monotonic(),
			 .transcript = -1, .kernel_log = -1 };
	int rc = EXIT_USAGE;
	char *results_path = NULL;
	struct sb stamp;

	r.guest.con.fd = -1;
	r.guest.klog.fd = -1;
	r.ex = spec_exercise(spec, o->exercise);
	if (!r.ex)
		return error("no exercise '%s' in '%s'", o->exercise, spec->file),
		       EXIT_USAGE;
	if (run_workbench_refused(&r))
		return EXIT_USAGE;
	sb_init(&stamp);
	stamp_inputs(spec, o, &stamp);
	results_init(&r.res, spec->lab_id, r.ex->id);
	expand_vars_init(&r.vars);
	if (o->reuse && results_current(&r, stamp.buf)) {
		rc = EXIT_OK;
		goto out;
	}
	if (set_facts(&r) < 0 || open_outputs(&r) < 0)
		goto out;
	if (o->save) {
		rc = save_guest(&r);
		goto out;
	}
	if (stamp_save(o->out_dir, NULL) < 0)
		goto out;
	r.res.outcome = OUTCOME_OK;
	proc_catch_signals();
	if (needs_guest(&r)) {
		run_guest_session(&r);
	} else {
		for (size_t i = 0; i < r.ex->nsteps; i++)
			run_step(&r, &r.ex->steps[i]);
	}
	r.res.duration = now_monotonic() - r.t0;
	progress(&r, PROGRESS_DONE, NULL);
	if (r.res.outcome != OUTCOME_OK)
		report_end(&r);
	results_path = layout_file(o->out_dir, LAYOUT_RESULTS);
	rc = results_write(&r.res, results_path) < 0 ? EXIT_INTERNAL :
	     r.res.outcome != OUTCOME_OK && !r.res.expected ? EXIT_CHECK_FAILED :
	     EXIT_OK;
	rc = run_workbench_rc(&r, rc);
	if (rc == EXIT_OK && !r.handed && (!o->wb || o->wb->failed) &&
	    stamp_save(o->out_dir, stamp.buf) < 0)
		rc = EXIT_INTERNAL;
out:
	sb_release(&stamp);
	if (r.transcript >= 0)
		close(r.transcript);
	if (r.kernel_log >= 0)
		close(r.kernel_log);
	free(results_path);
	run_free(&r);
	return rc;
}
