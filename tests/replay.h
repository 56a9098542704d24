/*
 * replay.h — golden transcripts fed to the console as if a guest printed
 * them, for test_console.c and test_check.c.  Test code only: the helpers
 * assert with cmocka.
 */
#ifndef LABKIT_TESTS_REPLAY_H
#define LABKIT_TESTS_REPLAY_H

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "console.h"
#include "util.h"

/* The nonce the golden transcripts' markers carry. */
#define REPLAY_NONCE "7e57c0de7e57c0de"

struct replay {
	struct console con;
	int peer;          /* the "guest" end: the transcript is written here */
};

/* Feeds a golden transcript into one end of a socketpair; the console
 * reads the other.  With `hang` the guest end stays open after the last
 * byte (a guest that stops talking) instead of closing (one that exits). */
static inline void replay_open(struct replay *r, const char *name, int hang)
{
	char *path = xasprintf("%s/transcripts/%s", getenv("LABKIT_TEST_DATA"), name);
	char *data;
	size_t len;
	int sv[2];

	assert_int_equal(fs_read_file(path, &data, &len), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(write(sv[1], data, len), (ssize_t)len);
	if (!hang) {
		shutdown(sv[1], SHUT_WR);
	}
	console_init(&r->con, sv[0], -1);
	memcpy(r->con.nonce, REPLAY_NONCE, sizeof(REPLAY_NONCE));
	r->peer = sv[1];
	free(data);
	free(path);
}

static inline void replay_close(struct replay *r)
{
	console_close(&r->con);
	close(r->peer);
}

#endif
