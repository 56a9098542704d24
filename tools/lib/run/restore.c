/*
 * restore.c — a guest saved once booted, and started from there instead
 * of booted.  Saving: the guest boots from its base (base.cpio: the tree
 * without the lab's part) with the devices every restored one has — a
 * payload disk, empty, and a QMP socket — logs in, and is stopped and
 * migrated into a file (saved.c keeps it, by what it was made from).
 * Restoring: QEMU starts with `-incoming` from that file, paused; the
 * boot's console lines are replayed into the transcripts (they are what
 * that guest printed when it booted); the guest runs on, unpacks what
 * this run gives it (the lab's part, a student's module) from its payload
 * disk, takes the host's time and fresh randomness, and its shell makes
 * way for a fresh login shell, as after a boot.
 *
 * Every failure of a restore is said once (guest.start: "cold: ...") and
 * leaves the caller to boot cold; nothing is retried.  A save that fails
 * leaves no half-saved guest behind.  Fails with a console status, or -1
 * and a message.
 */
#include "guest.h"
#include "guest_int.h"
#include "match.h"
#include "qmp.h"
#include "reason.h"
#include "results.h"
#include "saved.h"
#include "events.h"
#include "layout.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* Seconds QEMU gets to read a saved state and to write one. */
#define RESTORE_SECONDS 30.0

static void set_seconds(struct guest *g, const char *fact, double t0)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.3f", now_monotonic() - t0);
	expand_vars_set(&g->res->facts, fact, buf);
}

/* The QMP socket's path (g->qmp), in a directory of its own under /tmp
 * (a build tree's path may be longer than a socket's may be).  NULL on
 * failure. */
static const char *qmp_socket(struct guest *g)
{
	if (g->qmp)
		return g->qmp;
	if (!(g->sock_dir = fs_temp_dir("qmp"))) {
		error("cannot make a directory for the guest's QMP socket: %m");
		return NULL;
	}
	return g->qmp = saved_path(g->sock_dir, "qmp");
}

/* The guest as saved: the options' guest booting the base. */
static void saved_guest(const struct guest *g, enum vm_accel accel,
			struct vm_guest *vg)
{
	*vg = g->o->vm;
	vg->accel = accel;
	vg->initrd = g->o->base;
}

int guest_saved_devices(struct guest *g, struct vm_guest *vg)
{
	vg->initrd = g->o->base;
	free(g->saved_key);
	g->saved_key = saved_key(g->o->arch, vg);
	free(g->payload);
	g->payload = saved_path(g->o->saved_dir, "empty.img");
	if (fs_mkdirs(g->o->saved_dir, 0755) < 0 ||
	    saved_empty_disk(g->payload) < 0 || !qmp_socket(g))
		return error("cannot make the devices of the guest to save in '%s'",
			     g->o->saved_dir);
	vg->payload = g->payload;
	vg->qmp = g->qmp;
	return 0;
}

/* ---- restoring ---- */

/* Replays one of the saved boot's logs into a console (and so into its
 * transcript). */
static int replay(struct console *c, const char *dir, const char *name)
{
	char *path = saved_path(dir, name), *data = NULL;
	size_t len = 0;
	int rc = fs_read_file(path, &data, &len);

	if (rc == 0 && len && console_feed(c, data, len) != CONSOLE_OK)
		rc = -1;
	free(data);
	free(path);
	return rc;
}

/* The restored guest, paused, running on: its boot replayed, its shell's
 * prompt known.  0, or -1 with a message. */
static int resume(struct guest *g, struct qmp *q, const char *dir,
		  double deadline)
{
	static const char *const failed[] = { "\"status\": \"shutdown\"",
					      "\"status\": \"internal-error\"",
					      NULL };

	if (qmp_connect(q, g->qmp, deadline) < 0 ||
	    qmp_wait(q, "{\"execute\": \"query-status\"}",
		     "\"status\": \"paused\"", failed, deadline) < 0)
		return -1;
	if (replay(&g->klog, dir, "kernel.log") < 0 ||
	    replay(&g->con, dir, "shell.log") < 0)
		return error("cannot replay the saved guest's boot in '%s'", dir);
	if (console_set_prompt(&g->con, g->o->rootfs->login.prompt_re) < 0 ||
	    console_expect(&g->con, g->con.prompt, now_monotonic(), NULL) !=
	    CONSOLE_OK)
		return error("the saved guest's boot in '%s' does not end at the shell's prompt",
			     dir);
	return qmp_run(q, "{\"execute\": \"cont\"}", NULL, deadline);
}

/* The guest's command that makes it this run's: the payload unpacked,
 * the host's time, fresh randomness, a line in its kernel log. */
static char *fresh_command(const char *unpack)
{
	unsigned char rnd[32];
	char hex[2 * sizeof(rnd) + 1];

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		for (size_t i = 0; i < sizeof(rnd); i++)
			rnd[i] = (unsigned char)(rand() ^ (int)time(NULL));
	for (size_t i = 0; i < sizeof(rnd); i++)
		snprintf(hex + 2 * i, 3, "%02x", rnd[i]);
	return xasprintf("%s && date -s @%lld >/dev/null && echo %s > /dev/urandom"
			 " && echo 'labkit: restored from a saved guest' > /dev/kmsg",
			 unpack, (long long)time(NULL), hex);
}

/* Runs the payload's command, then a fresh login shell in place of the
 * saved one.  CONSOLE_OK, or why not (*why says it). */
static enum console_status fresh_shell(struct guest *g, const char *unpack,
				       double deadline, struct reason *why)
{
	char *cmd = fresh_command(unpack), *out = NULL, *login, *echo, *err = NULL;
	struct match_pattern *p;
	size_t off;
	int status = -1;
	enum console_status s = console_run(&g->con, cmd, deadline, &out,
					    &status);

	if (s == CONSOLE_OK && status != 0) {
		char exit[16];

		snprintf(exit, sizeof(exit), "%d", status);
		reason_set(why, REASON_SAVED_PAYLOAD, exit, out ? out : "");
		s = CONSOLE_ERROR;
	}
	free(out);
	free(cmd);
	if (s != CONSOLE_OK)
		return s;
	/* its echo first: the prompt it follows was matched already */
	login = xasprintf("exec login -f %s\n", g->o->rootfs->login.user);
	echo = xasprintf("exec login -f \\Q%s\\E\\s*$", g->o->rootfs->login.user);
	p = match_compile(echo, &err, &off);
	s = !p || console_send(&g->con, login) < 0 ? CONSOLE_ERROR :
	    console_expect(&g->con, p, deadline, NULL);
	if (s == CONSOLE_OK)
		s = console_expect(&g->con, g->con.prompt, deadline, NULL);
	match_free(p);
	free(err);
	free(echo);
	free(login);
	return s;
}

/* What QEMU said last on its console (its errors go there), read for a
 * moment: why it did not start from a state, or save one (caller
 * frees). */
static char *qemu_said(struct guest *g)
{
	struct console *c = g->klog.fd >= 0 ? &g->klog : &g->con;
	char *last;

	console_drain(c, now_monotonic() + 1.0);
	last = console_tail(c, 1);
	last[strcspn(last, "\n")] = '\0';
	if (!*last) {
		free(last);
		last = xstrdup("it said nothing");
	}
	return last;
}

/* Starts the guest saved in `dir` with `payload` and brings up its shell.
 * CONSOLE_OK, or why not (*why, when not said in a message). */
static enum console_status start_saved(struct guest *g, struct vm_guest *vg,
				       const char *dir, const char *unpack,
				       double deadline, struct reason *why)
{
	char *uri = saved_state_uri(dir, false);
	struct qmp q = { .fd = -1 };
	enum console_status s = CONSOLE_ERROR;

	vg->incoming = uri;
	vg->qmp = qmp_socket(g);
	if (uri && vg->qmp && guest_start(g, vg) == 0) {
		char *said;

		if (resume(g, &q, dir, deadline) == 0) {
			s = fresh_shell(g, unpack, deadline, why);
		} else {
			said = qemu_said(g);
			reason_set(why, REASON_SAVED_QEMU, said);
			free(said);
		}
	}
	qmp_close(&q);
	free(uri);
	return s;
}

/* guest.start: how the guest started, and why (said as news too). */
static void start_fact(struct guest *g, enum reason_code code, ...)
{
	struct reason why = REASON_INIT;
	char *said;
	va_list ap;

	va_start(ap, code);
	reason_setv(&why, code, ap);
	va_end(ap);
	results_fact_reason(g->res, "guest.start", &why);
	said = reason_text(&why, LANG_EN);
	events_note(g->o->lab, g->o->exercise, "%s", said);
	free(said);
	reason_free(&why);
}

enum console_status guest_restore(struct guest *g, enum vm_accel accel,
				  double timeout)
{
	const struct guest_opts *o = g->o;
	double t0 = now_monotonic();
	char *key, *dir, *unpack = NULL;
	char *image = layout_file(o->out_dir, LAYOUT_PAYLOAD_IMG);
	enum console_status s = CONSOLE_ERROR;
	struct reason why = REASON_INIT;
	struct vm_guest vg;

	saved_guest(g, accel, &vg);
	key = saved_key(o->arch, &vg);
	dir = saved_find(o->saved_dir, key, &why);
	if (dir && saved_payload(image, o->payloads, o->npayloads, &unpack) < 0) {
		reason_set(&why, REASON_SAVED_NO_DISK);
	} else if (dir) {
		vg.payload = image;
		s = start_saved(g, &vg, dir, unpack,
				t0 + (timeout < RESTORE_SECONDS ? timeout : RESTORE_SECONDS),
				&why);
		if (s != CONSOLE_OK && !why.code) {
			struct reason st = REASON_INIT;

			reason_set(&st, console_status_reason(s));
			reason_set(&why, REASON_SAVED_SHELL, &st);
			reason_free(&st);
		}
	}
	if (s == CONSOLE_OK) {
		set_seconds(g, "boot.seconds", t0);
		start_fact(g, REASON_START_RESTORED, dir,
			   expand_vars_get(&g->res->facts, "boot.seconds"));
	} else {
		start_fact(g, REASON_START_COLD, &why);
	}
	reason_free(&why);
	free(unpack);
	free(dir);
	free(key);
	free(image);
	return s;
}

/* ---- saving ---- */

/* Stops the guest and migrates it into <tmp>/state, then quits QEMU.
 * 0, or -1 with a message. */
static int migrate(struct guest *g, const char *tmp, double deadline)
{
	static const char *const failed[] = { "\"status\": \"failed\"",
					      "\"status\": \"cancelled\"",
					      NULL };
	char *uri = saved_state_uri(tmp, true), *cmd;
	struct qmp q = { .fd = -1 };
	int rc = -1;

	if (!uri)
		return error("cannot save a guest under '%s': a quote or a backslash in its path",
			     tmp);
	cmd = xasprintf("{\"execute\": \"migrate\", \"arguments\": "
			"{\"uri\": \"%s\"}}", uri);
	if (qmp_connect(&q, g->qmp, deadline) == 0 &&
	    qmp_run(&q, "{\"execute\": \"stop\"}", NULL, deadline) == 0 &&
	    qmp_run(&q, cmd, NULL, deadline) == 0 &&
	    qmp_wait(&q, "{\"execute\": \"query-migrate\"}",
		     "\"status\": \"completed\"", failed, deadline) == 0 &&
	    qmp_quit(&q) == 0)
		rc = proc_wait(&g->proc, deadline) == 1 ? 0 :
		     error("QEMU did not quit after saving the guest");
	qmp_close(&q);
	free(cmd);
	free(uri);
	return rc;
}

/* <tmp>/kernel.log and shell.log: the boot as the consoles read it. */
static int keep_boot(const struct guest *g, const char *tmp)
{
	char *k = saved_path(tmp, "kernel.log"), *sh = saved_path(tmp, "shell.log");
	int rc = 0;

	if (fs_write_atomic(k, g->klog.raw.buf ? g->klog.raw.buf : "",
			    g->klog.raw.len) < 0 ||
	    fs_write_atomic(sh, g->con.raw.buf ? g->con.raw.buf : "",
			    g->con.raw.len) < 0)
		rc = error("cannot write the saved guest's boot into '%s': %m", tmp);
	free(sh);
	free(k);
	return rc;
}

/* Is the guest of these options saved already?  Only known when the
 * accelerator is known without booting. */
static bool saved_already(const struct guest_opts *o, struct expand_vars *facts)
{
	enum vm_accel accel = o->arch->has_accel ? guest_accel_known(o) :
			      VM_ACCEL_AUTO;
	struct vm_guest vg = o->vm;
	char *key, *dir = NULL;
	struct reason why = REASON_INIT;

	if (o->arch->has_accel && accel == VM_ACCEL_AUTO)
		return false;
	vg.accel = accel;
	vg.initrd = o->base;
	key = saved_key(o->arch, &vg);
	dir = saved_find(o->saved_dir, key, &why);
	if (dir)
		expand_vars_set(facts, "guest.saved", "already: nothing it is made from changed");
	reason_free(&why);
	free(dir);
	free(key);
	return dir != NULL;
}

int guest_save(struct guest *g, const struct guest_opts *o,
	       struct results *res)
{
	struct expand_vars *facts = &res->facts;
	double t0;
	char *tmp = NULL, *what;
	enum console_status s;
	int rc = -1;

	if (saved_already(o, facts))
		return 0;
	s = guest_boot(g, o, res);
	if (s != CONSOLE_OK)
		return error("the guest to save did not reach its shell: %s",
			     console_status_str(s));
	t0 = now_monotonic();
	if (!(tmp = saved_begin(o->saved_dir)))
		return -1;
	if (keep_boot(g, tmp) < 0 ||
	    migrate(g, tmp, t0 + RESTORE_SECONDS) < 0) {
		char *said = qemu_said(g);

		error("QEMU did not save the guest: %s", said);
		free(said);
		fs_remove_tree(tmp);
		goto out;
	}
	rc = saved_commit(o->saved_dir, g->saved_key, tmp);
	if (rc == 0) {
		what = xasprintf("in %.2f s", now_monotonic() - t0);
		expand_vars_set(facts, "guest.saved", what);
		free(what);
	}
out:
	free(tmp);
	return rc;
}
