/* qmp.h — QEMU's machine protocol (QMP) on a guest's unix socket. */
#ifndef LABKIT_QMP_H
#define LABKIT_QMP_H

#include "sb.h"

struct qmp {
	int fd;
	struct sb in;            /* what came and is not read yet */
};

/* Connects to the socket at `path` (QEMU may still be making it: tried
 * until the deadline) and leaves capabilities negotiation.  0, or -1 with
 * a message. */
int qmp_connect(struct qmp *q, const char *path, double deadline);

/* Runs `command` (a QMP JSON object) and waits for its answer; *answer
 * (optional, caller frees) gets the answer's line.  0, or -1 with a
 * message (an error answer, QEMU gone, the deadline). */
int qmp_run(struct qmp *q, const char *command, char **answer,
	    double deadline);

/* Runs `command` again and again until its answer holds `want` (as
 * text); -1 when it holds one of `give_up` (NULL-ended, or NULL), or at
 * the deadline. */
int qmp_wait(struct qmp *q, const char *command, const char *want,
	     const char *const *give_up, double deadline);

/* Sends `quit`, waiting for no answer: QEMU may close the socket before
 * it sends one (whether it quit is the caller's to see, by its exit).
 * 0, or -1 with a message. */
int qmp_quit(struct qmp *q);

void qmp_close(struct qmp *q);

#endif
