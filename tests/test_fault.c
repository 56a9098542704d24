/* test_fault.c — a step's fault found between its bounds on the kernel's
 * console, and decoded to the source line of an object compiled here with
 * debug information (objdump and addr2line, as for a module). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "console.h"
#include "fault.h"
#include "match.h"
#include "proc.h"
#include "util.h"

/* The caller's call to callee() is on line 5; the instruction after it,
 * where the return address points, on line 6. */
static const char source[] =
	"void callee(void);\n"
	"int after;\n"
	"void caller(void)\n"
	"{\n"
	"\tcallee();\n"
	"\tafter = 1;\n"
	"}\n";

static void fault_free(struct results_fault *f)
{
	free(f->line);
	free(f->trace);
	free(f->where);
	free(f->source);
	memset(f, 0, sizeof(*f));
}

struct built {
	char *dir, *obj;
	unsigned long ret;   /* caller's offset just past its call */
};

/* The offset in caller() of the instruction after its call (objdump -d). */
static unsigned long return_offset(const char *obj)
{
	char *argv[] = { "objdump", "-d", "--no-show-raw-insn", (char *)obj,
			 NULL };
	struct sb out;
	struct proc p;
	unsigned long off = 0;
	char *call;

	sb_init(&out);
	assert_int_equal(proc_run(argv, NULL, 10, &out, &p), 0);
	call = strstr(out.buf, "\tcall");
	assert_non_null(call);
	call = strchr(call, '\n');
	assert_non_null(call);
	off = strtoul(call + 1, NULL, 16);
	sb_release(&out);
	return off;
}

static int build(void **state)
{
	struct built *b = xcalloc(1, sizeof(*b));
	char tmpl[] = "/tmp/labkit-fault-XXXXXX";
	char *src, *argv[8];
	struct proc p;
	struct sb out;

	assert_non_null(mkdtemp(tmpl));
	b->dir = xstrdup(tmpl);
	src = xasprintf("%s/obj.c", b->dir);
	b->obj = xasprintf("%s/obj.ko", b->dir);
	assert_int_equal(fs_write_atomic(src, source, strlen(source)), 0);
	argv[0] = "gcc", argv[1] = "-O1", argv[2] = "-g", argv[3] = "-c";
	argv[4] = src, argv[5] = "-o", argv[6] = b->obj, argv[7] = NULL;
	sb_init(&out);
	assert_int_equal(proc_run(argv, NULL, 60, &out, &p), 0);
	sb_release(&out);
	b->ret = return_offset(b->obj);
	assert_true(b->ret > 0);
	free(src);
	*state = b;
	return 0;
}

static int unbuild(void **state)
{
	struct built *b = *state;

	if (!b)
		return 0;
	assert_int_equal(fs_remove_tree(b->dir), 0);
	free(b->dir);
	free(b->obj);
	free(b);
	return 0;
}

/* Decodes a trace with `line` in it against the object as module "obj". */
static char *decode(const struct built *b, const char *line)
{
	char *mod = xasprintf("obj=%s", b->obj);
	const char *const modules[] = { mod };
	struct results_fault f = { .kind = FAULT_WARN };
	char *where;

	f.line = xstrdup("WARNING: CPU: 0 PID: 1 at somewhere");
	f.trace = xasprintf("WARNING: CPU: 0 PID: 1\n%s\n---[ end trace ]---\n",
			    line);
	fault_decode(&f, modules, 1);
	where = f.where ? xstrdup(f.where) : NULL;
	fault_free(&f);
	free(mod);
	return where;
}

/* A call-trace frame is a return address: it is decoded to the line of
 * the call, not the line after it. */
static void call_frame_is_the_call_line(void **state)
{
	const struct built *b = *state;
	char *line = xasprintf(" caller+0x%lx/0x18 [obj]", b->ret);
	char *where = decode(b, line);

	assert_non_null(where);
	assert_string_equal(where, "obj.c:5");
	free(where);
	free(line);
}

/* The faulting RIP is the instruction itself: decoded as it is. */
static void rip_is_its_own_line(void **state)
{
	const struct built *b = *state;
	char *line = xasprintf("RIP: 0010:caller+0x%lx/0x18 [obj]", b->ret);
	char *where = decode(b, line);

	assert_non_null(where);
	assert_string_equal(where, "obj.c:6");
	free(where);
	free(line);
}

/* A step's fault is the worst one between its bounds, not one after. */
static void fault_between_the_bounds(void **state)
{
	struct console k;
	struct results_fault f = { 0 };
	int sv[2];
	char *err = NULL;
	size_t off, mid;
	struct match_pattern *p;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	console_init(&k, sv[0], -1);
	assert_int_equal(write(sv[1], "[1] WARNING: first\n", 19), 19);
	assert_int_equal(write(sv[1], "[2] BUG: second\n[3] end\n", 24), 24);
	p = match_compile("end", &err, &off);
	assert_int_equal(console_expect(&k, p, now_monotonic() + 5, NULL),
			 CONSOLE_OK);
	mid = strlen("[1] WARNING: first\n");
	fault_find(&k, 0, mid, &f);
	assert_int_equal(f.kind, FAULT_WARN);
	assert_string_equal(f.line, "WARNING: first");
	fault_free(&f);
	fault_find(&k, mid, k.text.len, &f);
	assert_int_equal(f.kind, FAULT_OOPS);
	fault_free(&f);
	match_free(p);
	console_close(&k);
	close(sv[1]);
}

/* ---- the fault of a step ---- */

static const char kernel[] =
	"[    1.000000] WARNING: CPU: 0 PID: 1 at m.c:9 f+0x1/0x2\n"
	"[    1.100000] ---[ end trace 0000000000000000 ]---\n"
	"[    2.000000] BUG: kernel NULL pointer dereference, address: 0\n"
	"[    2.000001] RIP: 0010:oops_null_init+0x15/0x1000 [oops_null]\n"
	"[    2.000002] ---[ end trace 0000000000000001 ]---\n"
	"[    3.000000] after\n";

static void fed(struct console *k, const char *text)
{
	console_init(k, -1, -1);
	assert_int_equal(console_feed(k, text, strlen(text)), CONSOLE_OK);
}

/* The most severe fault from `from` on: its line without the printk
 * time, its trace to the end-of-trace line. */
static void most_severe_from(void **state)
{
	struct console k;
	struct results_fault f = { 0 };

	(void)state;
	fed(&k, kernel);
	fault_find(&k, 0, k.text.len, &f);
	assert_int_equal(f.kind, FAULT_OOPS);
	assert_string_equal(f.line, "BUG: kernel NULL pointer dereference, address: 0");
	assert_non_null(strstr(f.trace, "RIP: 0010:oops_null_init"));
	assert_null(strstr(f.trace, "after"));
	fault_free(&f);
	fault_find(&k, k.faults[1].at + 1, k.text.len, &f);
	assert_int_equal(f.kind, FAULT_NONE);
	assert_null(f.line);
	console_close(&k);
}

/* A bracket that holds the fault's words is no printk time: the line is
 * quoted whole, so it still says what it is (the console fuzzer's find). */
static void bracket_with_the_words_is_kept(void **state)
{
	struct console k;
	struct results_fault f = { 0 };

	(void)state;
	fed(&k, "[ 1.8Kernel panic - not syncing.81] TERM=linux\n"
		"[BUG: x] y\n");
	assert_string_equal(k.panic_line, "[ 1.8Kernel panic - not syncing.81] TERM=linux");
	fault_find(&k, 0, k.text.len, &f);
	assert_int_equal(f.kind, FAULT_PANIC);
	assert_string_equal(f.line, k.panic_line);
	fault_free(&f);
	fault_find(&k, k.faults[1].at, k.text.len, &f);
	assert_int_equal(f.kind, FAULT_OOPS);
	assert_string_equal(f.line, "[BUG: x] y");
	fault_free(&f);
	console_close(&k);
}

/* A fault that floods the console (tests/data/transcripts/idle-flood.log:
 * a timer that sleeps on the idle task): its trace says how often the
 * kernel repeated the line and stack that follow, and reaches past them. */
static void a_flood_after_a_fault_is_counted(void **state)
{
	char *path = xasprintf("%s/transcripts/idle-flood.log",
			       getenv("LABKIT_TEST_DATA"));
	struct results_fault f = { 0 };
	struct console k;
	char *data, *err = NULL;
	size_t len, off;
	struct match_pattern *p = match_compile("labkit-end", &err, &off);
	int sv[2];

	(void)state;
	assert_int_equal(fs_read_file(path, &data, &len), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	console_init(&k, sv[0], -1);
	assert_int_equal(fs_write_all(sv[1], data, len), 0);
	assert_int_equal(fs_write_all(sv[1], "[99] labkit-end\n", 16), 0);
	assert_int_equal(console_expect(&k, p, now_monotonic() + 5, NULL),
			 CONSOLE_OK);
	fault_find(&k, 0, k.text.len, &f);
	assert_int_equal(f.kind, FAULT_OOPS);
	assert_string_equal(f.line, "BUG: scheduling while atomic: "
			    "swapper/0/0/0x00000102");
	assert_non_null(strstr(f.trace, "[… the 40 lines above repeated 15 "
			       "times …]\n"));
	assert_non_null(strstr(f.trace, "bad: scheduling from the idle thread!"));
	fault_free(&f);
	match_free(p);
	console_close(&k);
	close(sv[1]);
	free(data);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_flood_after_a_fault_is_counted),
		cmocka_unit_test(call_frame_is_the_call_line),
		cmocka_unit_test(rip_is_its_own_line),
		cmocka_unit_test(fault_between_the_bounds),
		cmocka_unit_test(most_severe_from),
		cmocka_unit_test(bracket_with_the_words_is_kept),
	};

	return cmocka_run_group_tests(tests, build, unbuild);
}
