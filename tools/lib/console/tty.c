/*
 * tty.c — a terminal program driven like a student drives it: the lab's
 * `make menuconfig` runs on a pty of its own, and each input waits for
 * text on the screen and types keys.  The console code does the waiting
 * (deadlines, every byte kept); ncurses' ESC delay is shortened so ESC
 * ESC means "back" at once.
 *
 * Fails by returning: -2 when the deadline passes (the program's whole
 * process group is killed), -1 when it cannot start.
 */
#include "tty.h"
#include "console.h"
#include "match.h"
#include "proc.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define COLS 100
#define ROWS 32

static int start(struct console *con, struct proc *p, const char *cmd,
		 const char *cwd, char *const *env)
{
	char *argv[] = { "/bin/sh", "-c", (char *)cmd, NULL };
	char **tenv = proc_env_set(NULL, "TERM", "xterm");
	struct proc_opts o = { .argv = argv, .cwd = cwd, .in = -1, .out = -1,
			       .die_with_parent = true };
	struct winsize ws = { .ws_row = ROWS, .ws_col = COLS };
	int slave, rc;

	for (char *const *e = env; e && *e; e++) {
		char *eq = strchr(*e, '=');
		char *name = eq ? xstrndup(*e, (size_t)(eq - *e)) : NULL;

		if (name)
			tenv = proc_env_set(tenv, name, eq + 1);
		free(name);
	}
	tenv = proc_env_set(tenv, "TERM", "xterm");
	tenv = proc_env_set(tenv, "ESCDELAY", "25");
	if (console_open_pty(con, &slave, -1) < 0) {
		proc_env_free(tenv);
		return -1;
	}
	ioctl(slave, TIOCSWINSZ, &ws);
	o.tty = slave;
	o.env = tenv;
	rc = proc_spawn(p, &o);
	close(slave);
	proc_env_free(tenv);
	return rc;
}

/* Waits for each pattern and types the answer.  0, or -2 on timeout. */
static int answer(struct console *con, const struct tty_input *in,
		  size_t nin, double deadline)
{
	for (size_t i = 0; i < nin; i++) {
		char *err = NULL;
		size_t off;
		struct match_pattern *p = match_compile(in[i].wait, &err, &off);
		enum console_status s;

		if (!p) {
			error("input %zu: bad pattern '%s': %s", i + 1, in[i].wait,
			      err);
			free(err);
			return -1;
		}
		s = console_expect(con, p, deadline, NULL);
		match_free(p);
		/* Type as a person would: once the screen is drawn (keys sent
		 * while a dialog is still being set up may be flushed). */
		if (s == CONSOLE_OK)
			s = console_settle(con, 0.2, deadline);
		if (s != CONSOLE_OK) {
			error("input %zu: '%s' did not show (%s)", i + 1,
			      in[i].wait, console_status_str(s));
			return s == CONSOLE_TIMEOUT ? -2 : -1;
		}
		if (in[i].send && console_send(con, in[i].send) < 0)
			return -1;
	}
	return 0;
}

int tty_run(const char *cmd, const char *cwd, char *const *env,
	    const struct tty_input *in, size_t nin, double timeout,
	    struct results_step *rs)
{
	struct console con;
	struct proc p;
	double deadline = now_monotonic() + timeout;
	int rc;

	memset(&con, 0, sizeof(con)); /* console_open_pty() sets it up */
	con.fd = -1;
	if (start(&con, &p, cmd, cwd, env) < 0) {
		console_close(&con);
		return -1;
	}
	rc = answer(&con, in, nin, deadline);
	if (rc == 0) {
		console_drain(&con, deadline);
		rc = proc_wait(&p, deadline) == 1 ? 0 : -2;
	}
	proc_kill_group(&p, 1.0);
	if (p.ended == 0)
		p.ended = now_monotonic();
	if (rc == 0)
		rc = WIFEXITED(p.status) ? WEXITSTATUS(p.status) :
		     128 + WTERMSIG(p.status);
	results_step_finish(rs, rc, &p, console_tail(&con, 10000));
	console_close(&con);
	return rc;
}
