/*
 * fuzz_console.c — libFuzzer harness of what parses a guest's consoles
 * (console/console.c, run/fault.c): the input is what a guest printed, fed
 * with console_feed() to a shell's console and to the kernel's, paired,
 * in up to 16 pieces (the first byte says how many, and whether the
 * keep bound is small enough to drop).  After each piece the session
 * goes on as `labkit run` drives it — login, password, prompt, then
 * commands through console_run(), each cut out between its markers
 * (which carry the nonce FUZZ_NONCE, as the dictionary's do) and ended on
 * the kernel's console by its mark, then the kernel's lines of the step
 * (console_span(), fault_find(), fault_decode() on the trace) — without ever reading: every wait has a
 * deadline already passed, so it judges only what was fed.  At the end
 * the kernel's fault lines and panic line are checked against
 * console_fault_line().  Seeds: tests/data/transcripts/; dictionary:
 * console.dict (markers, prompts, fault lines).
 */
#include "console.h"
#include "fault.h"
#include "fuzz.h"
#include "match.h"

#define COMMANDS 8
#define FUZZ_NONCE "f0220f0220f0220f"

enum state { LOGIN, SHELL, PASSWORD, RUN, PROMPT, DONE };

struct session {
	struct console sh, k;
	enum state state;
	int commands;
};

static struct match_pattern *login_p, *either_p, *prompt_p;
static int devnull = -1;

static struct match_pattern *pattern(const char *re)
{
	char *err = NULL;
	size_t off;
	struct match_pattern *p = match_compile(re, &err, &off);

	FUZZ_CHECK(p != NULL);
	return p;
}

/* A line handed to on_line is one line. */
static void on_line(void *ctx, const char *line, size_t len)
{
	(void)ctx;
	FUZZ_CHECK(!memchr(line, '\n', len));
}

/* The kernel's lines of a step from `from` to `to`, as run.c takes them. */
static void kernel_of_step(struct session *s, size_t from, size_t to)
{
	struct results_fault f = { FAULT_NONE, NULL, NULL, NULL, NULL };
	char *text = console_span(&s->k, from, to);

	FUZZ_CHECK(strlen(text) <= to - (from < to ? from : to));
	fault_find(&s->k, from, to, &f);
	FUZZ_CHECK(f.kind == FAULT_NONE || (f.line && f.trace));
	FUZZ_CHECK(f.kind == FAULT_NONE ||
		   console_fault_line(f.line, strlen(f.line)) == f.kind);
	fault_decode(&f, NULL, 0);
	free(f.line);
	free(f.trace);
	free(f.where);
	free(f.source);
	free(text);
}

/* One command: its output cut out; on a timeout (nothing more fed yet)
 * the same markers are looked for again next time, as console_run()'s
 * own loop would after another read. */
static enum console_status command(struct session *s)
{
	size_t seq = s->sh.seq, from = s->k.text.len;
	char *out = NULL;
	int status;
	enum console_status st = console_run(&s->sh, "uname -r", 0, &out,
					     &status);

	if (st == CONSOLE_TIMEOUT && out) {
		/* cut out, but the kernel's mark has not come: the command is
		 * over (its end marker is behind the mark), as a run's step
		 * that meets its deadline there */
		free(out);
		kernel_of_step(s, from, s->k.text.len);
		return CONSOLE_OK;
	}
	if (st == CONSOLE_TIMEOUT) {
		s->sh.seq = seq;
		return st;
	}
	FUZZ_CHECK(st != CONSOLE_OK || out);
	FUZZ_CHECK(st != CONSOLE_OK || s->sh.kernel_end <= s->k.text.len);
	free(out);
	kernel_of_step(s, from, st == CONSOLE_OK ? s->sh.kernel_end : s->k.text.len);
	return st;
}

/* The session as far as what was fed allows. */
static void advance(struct session *s)
{
	enum console_status st = CONSOLE_OK;
	char *seen = NULL;

	while (st == CONSOLE_OK && s->state != DONE) {
		switch (s->state) {
		case LOGIN:
			st = console_expect(&s->sh, login_p, 0, NULL);
			s->state = st == CONSOLE_OK ? SHELL : LOGIN;
			break;
		case SHELL:
			st = console_expect(&s->sh, either_p, 0, &seen);
			if (st == CONSOLE_OK)
				s->state = strstr(seen, "assword") ? PASSWORD : RUN;
			free(seen);
			seen = NULL;
			break;
		case PASSWORD:
		case PROMPT:
			st = console_expect(&s->sh, prompt_p, 0, NULL);
			if (st == CONSOLE_OK)
				s->state = ++s->commands > COMMANDS ? DONE : RUN;
			break;
		case RUN:
			st = command(s);
			s->state = st == CONSOLE_OK ? PROMPT : RUN;
			break;
		case DONE:
			break;
		}
	}
	if (st != CONSOLE_OK && st != CONSOLE_TIMEOUT)
		s->state = DONE;    /* a panic: the session is over */
}

/* Each fault the kernel's console remembers is on a line that says so. */
static void check_faults(const struct console *k)
{
	bool panic = false;

	for (size_t i = 0; i < k->nfaults; i++) {
		const char *line = k->text.buf + k->faults[i].at;
		size_t len;

		FUZZ_CHECK(k->faults[i].at < k->text.len);
		len = strcspn(line, "\n");
		FUZZ_CHECK(console_fault_line(line, len) == k->faults[i].kind);
		panic = panic || k->faults[i].kind == FAULT_PANIC;
	}
	FUZZ_CHECK(panic == (k->panic_line != NULL));
	if (k->panic_line) {
		FUZZ_CHECK(!strchr(k->panic_line, '\n'));
		FUZZ_CHECK(console_fault_line(k->panic_line,
			strlen(k->panic_line)) == FAULT_PANIC);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	FUZZ_CHECK(devnull >= 0);
	login_p = pattern("login: ");
	either_p = pattern("(?:[Pp]assword: )|(?:[#$] )");
	prompt_p = pattern("[#$] ");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct session s = { .state = LOGIN };
	size_t pieces = size ? 1 + (data[0] & 15) : 1, done = 0;
	char *tail, *seen;

	console_init(&s.sh, devnull, -1);
	console_init(&s.k, devnull, -1);
	console_pair(&s.sh, &s.k);
	memcpy(s.sh.nonce, FUZZ_NONCE, sizeof(FUZZ_NONCE));
	memcpy(s.k.nonce, FUZZ_NONCE, sizeof(FUZZ_NONCE));
	s.sh.on_line = s.k.on_line = on_line;
	if (size && (data[0] & 16))
		s.sh.keep = s.k.keep = size / 2;
	for (size_t i = 1; i <= pieces; i++) {
		size_t end = size * i / pieces;

		console_feed(&s.sh, (const char *)data + done, end - done);
		console_feed(&s.k, (const char *)data + done, end - done);
		done = end;
		advance(&s);
	}
	check_faults(&s.k);
	for (size_t i = 0; i < s.k.nmarks; i++)
		FUZZ_CHECK(s.k.marks[i].at <= s.k.text.len);
	kernel_of_step(&s, 0, s.k.text.len);
	tail = console_tail(&s.sh, size ? 1 + data[size - 1] % 30 : 1);
	seen = console_seen(&s.sh);
	FUZZ_CHECK(strlen(seen) <= s.sh.raw.len);
	free(seen);
	free(tail);
	s.sh.fd = s.k.fd = -1;     /* /dev/null stays open */
	console_close(&s.sh);
	console_close(&s.k);
	return 0;
}
