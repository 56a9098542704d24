/*
 * shell.c — `labkit shell`: the person's terminal on the shell line of
 * the guest their exercise booted (the run's own boot, run.c), through
 * bridge.c.  Before joining it: the guest's terminal size set from the
 * person's, the shared directory checked, how to leave said.  After:
 * how it ended, said and recorded (fact workbench.end).
 *
 * The guest is never ended here (run.c powers it off or kills its
 * group); what fails is said through events.h and returned as an exit
 * status.
 */
#include "shell.h"
#include "bridge.h"
#include "events.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define ASK_TIMEOUT 20.0  /* seconds a command of labkit's own may take */

/* A command of labkit's own on the guest's shell line, cut out between
 * markers, so the person sees none of it: its exit status, or -1. */
static int ask(struct guest *g, const char *cmd)
{
	char *out = NULL;
	int status = -1;

	if (console_run(&g->con, cmd, now_monotonic() + ASK_TIMEOUT, &out,
			&status) != CONSOLE_OK)
		status = -1;
	free(out);
	return status;
}

int shell_share_mounted(struct guest *g)
{
	int status = ask(g, "grep -q ' " SHELL_SHARE_MOUNT " ' /proc/mounts");

	return status < 0 ? -1 : status == 0;
}

/* A serial line has no size of its own: the guest's programs (vi,
 * less) get the person's terminal's. */
static void set_size(struct guest *g, int fd)
{
	struct winsize ws;
	char *cmd;

	if (fd < 0 || ioctl(fd, TIOCGWINSZ, &ws) < 0 || !ws.ws_row ||
	    !ws.ws_col)
		return;
	cmd = xasprintf("stty rows %u cols %u", ws.ws_row, ws.ws_col);
	ask(g, cmd);
	free(cmd);
}

static void banner(struct guest *g, const struct run_workbench *wb,
		   const char *lab, const char *ex)
{
	int mounted = wb->share ? shell_share_mounted(g) : 0;

	events_note(lab, ex, "the guest's shell: Ctrl-] q leaves (the guest "
		    "is stopped), poweroff powers it off; Ctrl-] k %s the "
		    "kernel's messages, Ctrl-] ? lists the keys",
		    wb->kernel_hidden ? "shows" : "hides");
	if (mounted == 1)
		events_note(lab, ex, "%s in the guest is '%s' on the host "
			    "(read-write)", SHELL_SHARE_MOUNT, wb->share);
	else if (wb->share)
		warning("'%s' is not mounted on %s in the guest: its kernel "
			"lacks the file system (9p over virtio for QEMU, "
			"hostfs for UML; dmesg in the guest says more)",
			wb->share, SHELL_SHARE_MOUNT);
}

/* How the bridge ended, said and recorded; the exit status. */
static int ended(struct guest *g, enum bridge_end end, const char *lab,
		 const char *ex, struct expand_vars *facts)
{
	const char *panic = g->klog.panic_line ? g->klog.panic_line :
			    g->con.panic_line;
	char buf[32];

	switch (end) {
	case BRIDGE_LEFT:
		expand_vars_set(facts, "workbench.end", "left");
		events_note(lab, ex, "left the guest (Ctrl-] q)");
		return EXIT_OK;
	case BRIDGE_GUEST_EXIT:
		if (panic) {
			expand_vars_set(facts, "workbench.end", "panic");
			return error("the guest's kernel panicked: '%s'", panic),
			       EXIT_CHECK_FAILED;
		}
		expand_vars_set(facts, "workbench.end", "poweroff");
		events_note(lab, ex, "the guest powered off (%s)",
			    g->proc.exited ? proc_status_str(g->proc.status,
				buf, sizeof(buf)) : "it is still going");
		return EXIT_OK;
	case BRIDGE_HANGUP:
		expand_vars_set(facts, "workbench.end", "hangup");
		warning("the terminal went away: the guest is stopped");
		return EXIT_CHECK_FAILED;
	case BRIDGE_INTERRUPTED:
		expand_vars_set(facts, "workbench.end", "interrupted");
		error("interrupted: the guest is stopped");
		return EXIT_CHECK_FAILED;
	case BRIDGE_ON:
	case BRIDGE_ERROR:
		break;
	}
	expand_vars_set(facts, "workbench.end", "error");
	error("the terminal or the guest's line failed: %m");
	return EXIT_CHECK_FAILED;
}

int shell_session(struct guest *g, const struct run_workbench *wb,
		  const char *lab, const char *exercise,
		  struct expand_vars *facts)
{
	struct bridge b;
	enum bridge_end end;

	set_size(g, wb->in);
	banner(g, wb, lab, exercise);
	bridge_begin(&b, g, wb->in, wb->out, !wb->kernel_hidden, lab,
		     exercise);
	bridge_type(&b, "\n", 1);       /* a fresh prompt to start at */
	while (bridge_poll(&b, NULL, 0, 250) == BRIDGE_ON)
		;
	end = b.end;
	bridge_end(&b);
	return ended(g, end, lab, exercise, facts);
}
