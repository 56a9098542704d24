/*
 * guest.c — where a guest is booted.  Starts the emulator (or the UML
 * kernel) that vm.c's table describes on a pty, in its own session, with
 * a watchdog that kills its group if labkit dies; drops to `nobody` when
 * the guest kind asks for it; probes KVM by behaviour and caches the
 * verdict; logs in with the root file system's own description
 * (rootfs.yaml); powers off with its command; and proves that no process
 * of the guest's group is left.
 *
 * Never decides a step's fate and never prints: what it finds out goes
 * into the run's facts (the user it ran as, the accelerator and why, how
 * it powered off: reasons of the catalog, reason.h), news through
 * events.h.  Fails by returning a console status or -1 with a message.
 */
#include "guest.h"
#include "guest_int.h"
#include "match.h"
#include "events.h"
#include "layout.h"
#include "util.h"
#include "yamldoc.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- the root file system's description ---- */

static const char *const rootfs_keys[] = {
	"login.prompt", "login.user", "login.password", "login.shell",
	"poweroff",
};

int guest_rootfs_load(struct guest_rootfs *rf, const char *dir)
{
	char *path = layout_file(dir, LAYOUT_ROOTFS_YAML);
	yaml_document_t doc;
	int rc = -1;

	memset(rf, 0, sizeof(*rf));
	if (yamldoc_load(path, &doc) < 0)
		goto out;
	rc = 0;
	for (size_t i = 0; i < 5; i++) {
		const char *v = yamldoc_scalar(yamldoc_get(&doc,
				yaml_document_get_root_node(&doc), rootfs_keys[i]));

		if (!v && rc == 0)
			rc = error_at(path, 0, 0, "no '%s'", rootfs_keys[i]);
		rf->buf[i] = xstrdup(v ? v : "");
	}
	rf->login = (struct console_login){ rf->buf[0], rf->buf[1], rf->buf[2],
					    rf->buf[3] };
	rf->poweroff = rf->buf[4];
	yaml_document_delete(&doc);
	if (rc < 0)
		guest_rootfs_free(rf);
out:
	free(path);
	return rc;
}

void guest_rootfs_free(struct guest_rootfs *rf)
{
	for (size_t i = 0; i < 5; i++)
		free(rf->buf[i]);
	memset(rf, 0, sizeof(*rf));
}

/* ---- starting ---- */

static int file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* <out>/guest.pid: the guest's process group, for whoever must prove it
 * is gone (tests, a teacher's script). */
static void record_pid(struct guest *g)
{
	char *path = layout_file(g->o->out_dir, LAYOUT_GUEST_PID);
	char *pid = xasprintf("%d\n", (int)g->proc.pid);

	if (fs_write_atomic(path, pid, strlen(pid)) < 0)
		warning("cannot write '%s': %m", path);
	free(pid);
	free(path);
}

/* The fact guest.user, why the guest runs as the user it does; NULL. */
static char **user_fact(struct guest *g, enum reason_code code)
{
	struct reason why = REASON_INIT;

	reason_set(&why, code);
	results_fact_reason(g->res, "guest.user", &why);
	reason_free(&why);
	return NULL;
}

/*
 * When we are root and the arch asks for it (UML: its root file system can
 * mount the host's / through hostfs), the guest runs as `nobody`, with a
 * home of its own (UML keeps ~/.uml there) that also holds the copy-on-write
 * file.  If `nobody` could not read the kernel or the disk, it stays root,
 * and the facts say why.
 */
static char **drop_privileges(struct guest *g, struct vm_guest *vg,
			      struct proc_opts *po)
{
	const char *disk = vg->disk ? vg->disk : vg->initrd;
	struct passwd *pw;
	char **env;

	if (!g->o->arch->unprivileged || geteuid() != 0)
		return user_fact(g, REASON_USER_SELF);
	pw = getpwnam("nobody");
	if (!pw || !fs_world_readable(vg->kernel) || !fs_world_readable(disk))
		return user_fact(g, pw ? REASON_USER_ROOT_UNREADABLE :
				 REASON_USER_ROOT_NO_NOBODY);
	/* In /tmp, which every user can reach, unlike a build tree may be. */
	g->home = fs_temp_dir("guest");
	if (!g->home || chown(g->home, pw->pw_uid, pw->pw_gid) < 0) {
		free(g->home);
		g->home = NULL;
		return user_fact(g, REASON_USER_ROOT_NO_HOME);
	}
	po->uid = pw->pw_uid;
	po->gid = pw->pw_gid;
	free(g->cow);
	g->cow = layout_file(g->home, LAYOUT_COW);
	vg->cow = vg->disk ? g->cow : NULL;
	env = proc_env_set(NULL, "HOME", g->home);
	env = proc_env_set(env, "TMPDIR", g->home);
	expand_vars_set(&g->res->facts, "guest.user", "nobody");
	return env;
}

/* Each complete console line, to whoever shows progress. */
static void console_line(void *ctx, const char *line, size_t len)
{
	const struct guest *g = ctx;
	struct progress p = { .kind = PROGRESS_CONSOLE, .lab = g->o->lab,
			      .exercise = g->o->exercise, .text = line,
			      .len = len };

	events_progress(&p);
}

/* One line to the guest: a pty, or a socket pair where the guest kind
 * asks for one; the guest's end in *slave.  0 or -1. */
static int open_line(const struct guest *g, struct console *c, int *slave,
		     int transcript)
{
	int sv[2];

	if (!g->o->arch->socket_lines)
		return console_open_pty(c, slave, transcript);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	console_init(c, sv[0], transcript);
	*slave = sv[1];
	return 0;
}

/*
 * The guest's lines: one for its console (the emulator's stdio), and,
 * when the guest kind has one, a second for the shell's own line; then
 * the kernel's messages and the shell's output never mix, and the first
 * line is the kernel's console alone.  Slaves in *con_slave and
 * *shell_slave (-1: none).  0, or -1 with a message.
 */
static int open_lines(struct guest *g, struct vm_guest *vg, int *con_slave,
		      int *shell_slave)
{
	const bool two = g->o->arch->shell_args != NULL;
	struct console *con = two ? &g->klog : &g->con;

	*shell_slave = -1;
	if (open_line(g, con, con_slave, two ? g->o->kernel_log :
		      g->o->transcript) < 0)
		return error("cannot open the guest's console line: %m");
	if (!two)
		return 0;
	if (open_line(g, &g->con, shell_slave, g->o->transcript) < 0) {
		close(*con_slave);
		return error("cannot open the guest's shell line: %m");
	}
	console_pair(&g->con, &g->klog);
	vg->shell = g->o->arch->socket_lines ? "fd 3" : ptsname(g->con.fd);
	return 0;
}

int guest_start(struct guest *g, struct vm_guest *vg)
{
	struct proc_opts po = { .tty = -1, .in = -1, .out = -1,
				.die_with_parent = true, .guard = true };
	char **env = drop_privileges(g, vg, &po);
	char **argv = NULL, *line;
	int slave, shell, rc = -1;

	if (open_lines(g, vg, &slave, &shell) < 0)
		goto out;
	argv = vm_argv(g->o->arch, vg);
	line = vm_argv_str(argv);
	expand_vars_set(&g->res->facts, "guest.command", line);
	free(line);
	if ((line = vm_emulator_version(argv[0])))
		expand_vars_set(&g->res->facts, "guest.emulator", line);
	free(line);
	g->con.on_line = console_line;
	g->con.on_line_ctx = g;
	g->klog.on_line = console_line;
	g->klog.on_line_ctx = g;
	po.argv = argv;
	po.env = env;
	if (g->o->arch->socket_lines)
		po.in = po.out = slave;
	else
		po.tty = slave;
	po.fd3 = shell > 2 ? shell : 0;
	rc = proc_spawn(&g->proc, &po);
	close(slave);
	if (shell >= 0)
		close(shell);
	if (rc < 0) {
		error("cannot start '%s': %m", argv[0]);
	} else {
		g->up = true;
		record_pid(g);
	}
out:
	vm_argv_free(argv);
	proc_env_free(env);
	return rc;
}

void guest_stop(struct guest *g, double grace)
{
	if (!g->up)
		return;
	proc_kill_group(&g->proc, grace);
	g->up = false;
}

/*
 * A boot that timed out with the login prompt on the kernel's console and
 * nothing on the shell's own line: the guest's kernel has no such line,
 * so the root file system's start-up left getty on the console.  Says so;
 * the boot's status stays what it was.
 */
static void explain_silent_shell(struct guest *g, const struct vm_guest *vg)
{
	const struct vm_arch *a = g->o->arch;
	struct match_pattern *p;
	char *err = NULL, *last;
	size_t off, b, e;

	if (!vg->shell || g->con.raw.len)
		return;
	p = match_compile(g->o->rootfs->login.login_re, &err, &off);
	last = console_tail(&g->klog, 1);
	if (p && match_find(p, last, strlen(last), 0, &b, &e) == 1)
		error("the guest's login prompt came on its console, not on "
		      "the shell's own line '%s': its kernel has no such line "
		      "(it needs %s=y)", a->shell_tty, a->shell_kconfig);
	match_free(p);
	free(last);
	free(err);
}

/* Boots with `accel`, waits for the shell.  CONSOLE_OK or why not. */
static enum console_status boot_once(struct guest *g, enum vm_accel accel,
				     double timeout)
{
	struct vm_guest vg = g->o->vm;
	const char *image = vg.disk ? vg.disk : vg.initrd;
	double t = now_monotonic();
	enum console_status s;
	char buf[32];

	vg.accel = accel;
	vg.cow = vg.disk ? g->cow : NULL;
	if (g->o->saved_dir && !g->o->save) {
		if (guest_restore(g, accel, timeout) == CONSOLE_OK)
			return CONSOLE_OK;
		guest_reset(g);
		t = now_monotonic();
	}
	if (g->o->save && guest_saved_devices(g, &vg) < 0)
		return CONSOLE_ERROR;
	if (!file_exists(vg.kernel) || !file_exists(image)) {
		error("guest image '%s' or '%s' is missing: build target 'all' first",
		      vg.kernel, image);
		return CONSOLE_ERROR;
	}
	if (guest_start(g, &vg) < 0)
		return CONSOLE_ERROR;
	s = console_login(&g->con, &g->o->rootfs->login, t + timeout);
	if (s == CONSOLE_TIMEOUT)
		explain_silent_shell(g, &vg);
	if (s == CONSOLE_OK) {
		snprintf(buf, sizeof(buf), "%.3f", now_monotonic() - t);
		expand_vars_set(&g->res->facts, "boot.seconds", buf);
	}
	return s;
}

/* ---- the accelerator ---- */

/*
 * The verdict in accel-probe.txt: 0 and *accel (KVM or TCG) and its
 * reason, or -1 when there is none (or it names no accelerator).  The
 * file is the accelerator's name, the reason's English (for people, and
 * all a cache of an older labkit has), then the reason as pairs
 * (reason_pairs()).
 */
static int accel_cached(const struct guest_opts *o, enum vm_accel *accel,
			struct reason *why)
{
	char *data = NULL, **lines = NULL;
	size_t len, n = 0, cap = 0;
	int rc = -1;

	if (!o->accel_cache || fs_read_file(o->accel_cache, &data, &len) < 0)
		return -1;
	for (char *p = data, *save = NULL; (p = strtok_r(p, "\n", &save)); p = NULL) {
		ARRAY_PUSH(lines, n, cap);
		lines[n++] = p;
	}
	if (n && vm_accel_parse(lines[0], accel) == 0 &&
	    *accel != VM_ACCEL_AUTO) {
		rc = 0;
		if (n < 3 || reason_from_pairs(why, (const char *const *)lines + 2,
					       n - 2) < 0)
			reason_from_english(why, n > 1 ? lines[1] : "", true);
	}
	free(lines);
	free(data);
	return rc;
}

enum vm_accel guest_accel_known(const struct guest_opts *o)
{
	enum vm_accel accel;
	struct reason why = REASON_INIT;

	if (o->accel != VM_ACCEL_AUTO)
		return o->accel;
	if (accel_cached(o, &accel, &why) < 0)
		accel = VM_ACCEL_AUTO;
	reason_free(&why);
	return accel;
}

static void accel_remember(const struct guest_opts *o, enum vm_accel accel,
			   const struct reason *why)
{
	struct sb data;

	if (!o->accel_cache)
		return;
	sb_init(&data);
	sb_addf(&data, "%s\n", vm_accel_name(accel));
	reason_say(&data, why, LANG_EN);
	sb_addc(&data, '\n');
	reason_pairs(&data, why);
	if (fs_write_atomic(o->accel_cache, data.buf, data.len) < 0)
		warning("cannot write '%s': %m", o->accel_cache);
	sb_release(&data);
}

static void set_accel(struct guest *g, enum vm_accel accel,
		      const struct reason *why)
{
	char *said = reason_text(why, LANG_EN);

	expand_vars_set(&g->res->facts, "guest.accel", vm_accel_name(accel));
	results_fact_reason(g->res, "guest.accel_reason", why);
	events_note(g->o->lab, g->o->exercise, "accelerator %s (%s)",
		    vm_accel_name(accel), said);
	free(said);
}

void guest_reset(struct guest *g)
{
	guest_stop(g, 0.5);
	console_close(&g->con);
	console_close(&g->klog);
	if (ftruncate(g->o->transcript, 0) < 0 ||
	    lseek(g->o->transcript, 0, SEEK_SET) < 0 ||
	    (g->o->kernel_log >= 0 && (ftruncate(g->o->kernel_log, 0) < 0 ||
	     lseek(g->o->kernel_log, 0, SEEK_SET) < 0)))
		warning("cannot reset the transcript: %m");
}

/* Starts over under TCG after a failed KVM probe, for `why` (freed): a
 * new console and an empty transcript. */
static enum console_status retry_tcg(struct guest *g, struct reason *why)
{
	guest_reset(g);
	accel_remember(g->o, VM_ACCEL_TCG, why);
	set_accel(g, VM_ACCEL_TCG, why);
	reason_free(why);
	return boot_once(g, VM_ACCEL_TCG, g->o->timeout);
}

static enum console_status probe_kvm(struct guest *g)
{
	struct reason why = REASON_INIT, status = REASON_INIT;
	enum console_status s;
	char secs[32];

	if (access("/dev/kvm", R_OK | W_OK) < 0) {
		reason_set(&why, REASON_KVM_UNUSABLE, strerror(errno));
		return retry_tcg(g, &why);
	}
	s = boot_once(g, VM_ACCEL_KVM, g->o->probe_timeout);
	if (s == CONSOLE_INTERRUPTED)   /* no verdict on KVM: nothing cached */
		return s;
	if (s != CONSOLE_OK) {
		snprintf(secs, sizeof(secs), "%.0f", g->o->probe_timeout);
		reason_set(&status, console_status_reason(s));
		reason_set(&why, REASON_KVM_NO_LOGIN, secs, &status);
		reason_free(&status);
		return retry_tcg(g, &why);
	}
	reason_set(&why, REASON_KVM_LOGIN,
		   expand_vars_get(&g->res->facts, "boot.seconds"));
	accel_remember(g->o, VM_ACCEL_KVM, &why);
	set_accel(g, VM_ACCEL_KVM, &why);
	reason_free(&why);
	return s;
}

enum console_status guest_boot(struct guest *g, const struct guest_opts *o,
			       struct results *res)
{
	struct reason cached_why = REASON_INIT, why = REASON_INIT;
	enum vm_accel cached;
	enum console_status s;

	memset(g, 0, sizeof(*g));
	g->con.fd = -1; /* console_open_pty() sets them up */
	g->klog.fd = -1;
	g->o = o;
	g->res = res;
	g->cow = layout_file(o->out_dir, LAYOUT_COW);
	unlink(g->cow);
	if (!o->arch->has_accel)
		return boot_once(g, VM_ACCEL_AUTO, o->timeout);
	if (o->accel != VM_ACCEL_AUTO) {
		reason_set(&why, REASON_ACCEL_CHOSEN);
		set_accel(g, o->accel, &why);
		reason_free(&why);
		return boot_once(g, o->accel, o->timeout);
	}
	if (accel_cached(o, &cached, &cached_why) < 0)
		return probe_kvm(g);
	if (cached_why.code == REASON_NONE ||
	    (cached_why.code == REASON_TEXT && !*cached_why.arg[0].text))
		reason_set(&cached_why, REASON_ACCEL_PROBED);
	reason_set(&why, REASON_ACCEL_CACHED, &cached_why, o->accel_cache);
	set_accel(g, cached, &why);
	s = boot_once(g, cached, o->timeout);
	reason_free(&why);
	reason_free(&cached_why);
	return s;
}

/* ---- logging out, powering off ---- */

enum console_status guest_relogin(struct guest *g, const char *cmd,
				  double deadline)
{
	char *line = xasprintf("%s\n", cmd);
	enum console_status s;

	s = console_send(&g->con, line) < 0 ? CONSOLE_ERROR :
	    console_login(&g->con, &g->o->rootfs->login, deadline);
	free(line);
	return s;
}

/*
 * What the kernel's console of its own still holds once the guest is gone
 * (its last lines: "reboot: Power down").  The reads of the two lines
 * together stop at the first end, and the shell's line can end first (an
 * arm64 guest's virtio console does, now and then): read the kernel's
 * alone to its end.
 */
static void guest_kernel_rest(struct guest *g)
{
	struct console *shell = g->klog.side;

	if (g->klog.fd < 0)
		return;
	g->klog.side = NULL;
	console_drain(&g->klog, now_monotonic() + 0.5);
	g->klog.side = shell;
}

enum console_status guest_end(struct guest *g, const char *cmd,
			      double deadline, int *status)
{
	char *line = xasprintf("%s\n", cmd);
	enum console_status s;

	s = console_send(&g->con, line) < 0 ? CONSOLE_ERROR :
	    console_drain(&g->con, deadline);
	free(line);
	if (s != CONSOLE_EOF && s != CONSOLE_TIMEOUT)
		return s;
	if (proc_wait(&g->proc, deadline) != 1)
		return CONSOLE_TIMEOUT;
	guest_kernel_rest(g);
	*status = WIFEXITED(g->proc.status) ? WEXITSTATUS(g->proc.status) :
		  128 + WTERMSIG(g->proc.status);
	return CONSOLE_OK;
}

/* The fact guest.poweroff: how the guest went ("clean in 0.07 s"). */
static void poweroff_fact(struct guest *g, enum reason_code code,
			  const char *seconds)
{
	struct reason why = REASON_INIT;

	reason_set(&why, code, seconds);
	results_fact_reason(g->res, "guest.poweroff", &why);
	reason_free(&why);
}

int guest_power_off(struct guest *g, bool clean, double deadline)
{
	double t = now_monotonic();
	char *line, buf[64];
	int rc = 0, left;

	if (!g->o)
		return 0;        /* it was never booted */

	line = xasprintf("%s\n", g->o->rootfs->poweroff);
	if (clean && g->up && !g->proc.exited &&
	    console_send(&g->con, line) == 0) {
		console_drain(&g->con, deadline);
		if (proc_wait(&g->proc, deadline) == 1) {
			snprintf(buf, sizeof(buf), "%.2f", now_monotonic() - t);
			poweroff_fact(g, REASON_POWEROFF_CLEAN, buf);
		} else {
			rc = -1;
		}
	}
	free(line);
	if ((!clean || rc < 0) && g->con.fd >= 0)
		console_drain(&g->con, now_monotonic() + 1.0); /* a panic's trace */
	if (!g->proc.exited)
		poweroff_fact(g, REASON_POWEROFF_KILLED, NULL);
	guest_stop(g, 2.0);
	if (g->proc.pid <= 0)
		return rc;       /* it never started */
	left = proc_group_count(g->proc.pid);
	snprintf(buf, sizeof(buf), "%d", left);
	expand_vars_set(&g->res->facts, "guest.leftover", buf);
	return left > 0 ? -2 : rc;
}

void guest_release(struct guest *g)
{
	guest_stop(g, 0.5);
	console_close(&g->con);
	console_close(&g->klog);
	if (g->sock_dir) {
		unlink(g->qmp);
		rmdir(g->sock_dir);
	}
	free(g->sock_dir);
	free(g->qmp);
	free(g->payload);
	free(g->saved_key);
	g->sock_dir = g->qmp = g->payload = g->saved_key = NULL;
	if (g->cow)
		unlink(g->cow);
	if (g->home)
		fs_remove_tree(g->home);
	free(g->cow);
	free(g->home);
	g->cow = g->home = NULL;
}
