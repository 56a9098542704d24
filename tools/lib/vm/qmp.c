/*
 * qmp.c — QEMU's machine protocol (QMP) over the unix socket a guest was
 * started with (`-qmp unix:<path>,server=on,wait=off`): connect, leave
 * capabilities negotiation, run a command and wait for its answer.  The
 * answers are JSON objects, one a line; events (`{"event": ...}`) come
 * in between and are skipped.  Only what labkit asks is understood: a
 * command's `return` or `error`, and a string member of the return
 * (`"status": "completed"`), found by its text — labkit's own commands
 * only, never the guest's output.
 *
 * Every wait has a deadline.  Fails with -1 and a message (events.h): the
 * socket did not come, QEMU closed it, an answer was an error.
 */
#include "qmp.h"
#include "util.h"

#include <stdbool.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Reads one line into `line` (without its newline); 0, or -1. */
static int read_line(struct qmp *q, struct sb *line, double deadline)
{
	for (;;) {
		char *nl = q->in.buf ? memchr(q->in.buf, '\n', q->in.len) : NULL;
		char chunk[4096];
		struct pollfd p = { .fd = q->fd, .events = POLLIN };
		double left = deadline - now_monotonic();
		ssize_t n;
		int r;

		if (nl) {
			size_t len = (size_t)(nl - q->in.buf);

			sb_reset(line);
			sb_add(line, q->in.buf, len);
			memmove(q->in.buf, nl + 1, q->in.len - len - 1);
			q->in.len -= len + 1;
			q->in.buf[q->in.len] = '\0';
			return 0;
		}
		if (left <= 0)
			return error("QEMU's machine protocol: no answer in time");
		r = poll(&p, 1, (int)(left * 1000) + 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			continue;
		n = read(q->fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return error("QEMU's machine protocol: QEMU closed it");
		sb_add(&q->in, chunk, (size_t)n);
	}
}

int qmp_connect(struct qmp *q, const char *path, double deadline)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct sb greeting;
	int rc;

	memset(q, 0, sizeof(*q));
	sb_init(&q->in);
	q->fd = -1;
	if (strlen(path) >= sizeof(a.sun_path))
		return error("QEMU's machine protocol: socket path '%s' is too long", path);
	strcpy(a.sun_path, path);
	while ((q->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) >= 0 &&
	       connect(q->fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(q->fd);
		q->fd = -1;
		if (now_monotonic() > deadline)
			return error("QEMU's machine protocol: cannot connect to '%s': %m", path);
		usleep(20 * 1000);
	}
	if (q->fd < 0)
		return error("QEMU's machine protocol: socket: %m");
	sb_init(&greeting);
	rc = read_line(q, &greeting, deadline);      /* {"QMP": {...}} */
	sb_release(&greeting);
	if (rc == 0)
		rc = qmp_run(q, "{\"execute\": \"qmp_capabilities\"}", NULL,
			     deadline);
	return rc;
}

/* `command` and its newline, in one write: QEMU acts on a command when
 * its JSON object ends, and after `quit` nothing more can be sent. */
static int send_command(struct qmp *q, const char *command)
{
	char *line = xasprintf("%s\n", command);
	int rc = fs_write_all(q->fd, line, strlen(line));

	free(line);
	return rc;
}

int qmp_quit(struct qmp *q)
{
	return send_command(q, "{\"execute\": \"quit\"}") < 0 ?
	       error("QEMU's machine protocol: cannot send: %m") : 0;
}

int qmp_run(struct qmp *q, const char *command, char **answer,
	    double deadline)
{
	struct sb line;
	int rc = -1;

	if (send_command(q, command) < 0)
		return error("QEMU's machine protocol: cannot send: %m");
	sb_init(&line);
	while (read_line(q, &line, deadline) == 0) {
		if (strstr(line.buf, "\"event\"") == line.buf + 1)
			continue;         /* {"event": ...}: not our answer */
		if (strstr(line.buf, "\"error\"")) {
			error("QEMU's machine protocol: '%s' failed: %s",
			      command, line.buf);
			break;
		}
		if (strstr(line.buf, "\"return\"")) {
			if (answer)
				*answer = xstrdup(line.buf);
			rc = 0;
			break;
		}
	}
	sb_release(&line);
	return rc;
}

int qmp_wait(struct qmp *q, const char *command, const char *want,
	     const char *const *give_up, double deadline)
{
	for (;;) {
		char *answer = NULL;
		bool got;

		if (qmp_run(q, command, &answer, deadline) < 0)
			return -1;
		got = strstr(answer, want) != NULL;
		for (const char *const *g = give_up; !got && g && *g; g++)
			if (strstr(answer, *g)) {
				error("QEMU's machine protocol: %s", answer);
				free(answer);
				return -1;
			}
		free(answer);
		if (got)
			return 0;
		if (now_monotonic() > deadline)
			return error("QEMU's machine protocol: '%s' not %s in time",
				     command, want);
		usleep(10 * 1000);
	}
}

void qmp_close(struct qmp *q)
{
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
	sb_release(&q->in);
}
