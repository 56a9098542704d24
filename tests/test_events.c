/* test_events.c — the library's one way out: messages and progress reach
 * the installed callbacks, and the last error is kept. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "util.h"

/* What the callbacks saw, copied (the event's strings do not outlive the
 * call). */
struct seen_msg {
	enum event_level level;
	char *file;
	int line, col;
	char *text;
};

struct seen {
	size_t nmsg;
	struct seen_msg msg[8];
	size_t nprog;
	struct progress prog[8];
	char *prog_text[8];
};

static void on_message(void *ctx, const struct event_msg *m)
{
	struct seen *s = ctx;
	struct seen_msg *c;

	assert_true(s->nmsg < 8);
	c = &s->msg[s->nmsg++];
	c->level = m->level;
	c->file = m->file ? xstrdup(m->file) : NULL;
	c->line = m->line;
	c->col = m->col;
	c->text = xstrdup(m->text);
}

static void on_progress(void *ctx, const struct progress *p)
{
	struct seen *s = ctx;

	assert_true(s->nprog < 8);
	s->prog[s->nprog] = *p;
	s->prog_text[s->nprog] = p->text ? xstrndup(p->text, p->len) : NULL;
	s->prog[s->nprog].text = NULL;
	s->nprog++;
}

/* Each test starts with our callbacks installed and no last error. */
static int install(void **state)
{
	struct seen *s = xcalloc(1, sizeof(*s));
	struct events ev = { on_message, on_progress, s };

	events_set(NULL);
	error("%s", "");         /* the last error made empty */
	events_set(&ev);
	*state = s;
	return 0;
}

static int uninstall(void **state)
{
	struct seen *s = *state;

	events_set(NULL);
	for (size_t i = 0; i < s->nmsg; i++) {
		free(s->msg[i].file);
		free(s->msg[i].text);
	}
	for (size_t i = 0; i < s->nprog; i++)
		free(s->prog_text[i]);
	free(s);
	return 0;
}

static void error_reaches_callback(void **state)
{
	struct seen *s = *state;

	assert_int_equal(error("cannot open '%s': %s", "labs.yaml", "gone"), -1);
	assert_int_equal(s->nmsg, 1);
	assert_int_equal(s->msg[0].level, EVENT_ERROR);
	assert_null(s->msg[0].file);
	assert_int_equal(s->msg[0].line, 0);
	assert_int_equal(s->msg[0].col, 0);
	assert_string_equal(s->msg[0].text, "cannot open 'labs.yaml': gone");
	/* kept even with callbacks installed */
	assert_string_equal(events_last_error(), "cannot open 'labs.yaml': gone");
}

static void error_at_gives_the_place(void **state)
{
	struct seen *s = *state;

	assert_int_equal(error_at("labs.yaml", 12, 5, "unknown key '%s'", "expcet"), -1);
	assert_int_equal(error_at("results.yaml", 0, 0, "not a labkit results file"), -1);
	assert_int_equal(s->nmsg, 2);
	assert_int_equal(s->msg[0].level, EVENT_ERROR);
	assert_string_equal(s->msg[0].file, "labs.yaml");
	assert_int_equal(s->msg[0].line, 12);
	assert_int_equal(s->msg[0].col, 5);
	assert_string_equal(s->msg[0].text, "unknown key 'expcet'");
	assert_string_equal(s->msg[1].file, "results.yaml");
	assert_int_equal(s->msg[1].line, 0);
	/* the last one, with its place first */
	assert_string_equal(events_last_error(),
			    "results.yaml: not a labkit results file");
}

static void warning_reaches_callback(void **state)
{
	struct seen *s = *state;

	warning("option '%s' did not survive", "CONFIG_X");
	assert_int_equal(s->nmsg, 1);
	assert_int_equal(s->msg[0].level, EVENT_WARNING);
	assert_null(s->msg[0].file);
	assert_string_equal(s->msg[0].text, "option 'CONFIG_X' did not survive");
}

/* Without callbacks nothing is shown, but the last error is kept, with
 * its place; a warning does not replace it. */
static void last_error_without_callbacks(void **state)
{
	struct seen *s = *state;

	events_set(NULL);
	error_at("labs.yaml", 3, 7, "duplicate step id '%s'", "3.1");
	assert_string_equal(events_last_error(),
			    "labs.yaml:3:7: duplicate step id '3.1'");
	warning("this is only a warning");
	assert_string_equal(events_last_error(),
			    "labs.yaml:3:7: duplicate step id '3.1'");
	error("second");
	assert_string_equal(events_last_error(), "second");
	warning("another warning");
	assert_string_equal(events_last_error(), "second");
	assert_int_equal(s->nmsg, 0);       /* nothing reached our callbacks */
}

/* A message longer than the copy is cut, not overrun. */
static void long_error_is_cut(void **state)
{
	char *big = xmalloc(5000);

	(void)state;
	memset(big, 'x', 4999);
	big[4999] = '\0';
	error("%s", big);
	assert_true(strlen(events_last_error()) > 100);
	assert_true(strlen(events_last_error()) < 4999);
	assert_memory_equal(events_last_error(), big, 100);
	free(big);
}

static void events_message_directly(void **state)
{
	struct seen *s = *state;
	struct event_msg m = { EVENT_ERROR, "rootfs.yaml", 4, 1, "bad" };

	events_message(&m);
	assert_int_equal(s->nmsg, 1);
	assert_string_equal(s->msg[0].file, "rootfs.yaml");
	assert_int_equal(s->msg[0].line, 4);
	assert_int_equal(s->msg[0].col, 1);
	assert_string_equal(events_last_error(), "rootfs.yaml:4:1: bad");
}

static void note_formats(void **state)
{
	struct seen *s = *state;

	events_note("lab2", "3", "accelerator %s (%d s)", "kvm", 2);
	events_note(NULL, NULL, "labkit xref serve: http://%s:%u/", "127.0.0.1", 8080u);
	assert_int_equal(s->nprog, 2);
	assert_int_equal(s->prog[0].kind, PROGRESS_NOTE);
	assert_string_equal(s->prog[0].lab, "lab2");
	assert_string_equal(s->prog[0].exercise, "3");
	assert_string_equal(s->prog_text[0], "accelerator kvm (2 s)");
	assert_int_equal(s->prog[0].len, strlen("accelerator kvm (2 s)"));
	assert_null(s->prog[0].rs);
	assert_int_equal(s->prog[0].step, 0);
	assert_null(s->prog[1].lab);
	assert_null(s->prog[1].exercise);
	assert_string_equal(s->prog_text[1], "labkit xref serve: http://127.0.0.1:8080/");
	assert_int_equal(s->nmsg, 0);       /* a note is no message */
}

static void progress_passed_through(void **state)
{
	struct seen *s = *state;
	struct progress p = { .kind = PROGRESS_CONSOLE, .lab = "lab2",
			      .exercise = "4", .step = 2, .total = 5,
			      .text = "login: ", .len = 7 };

	events_progress(&p);
	assert_int_equal(s->nprog, 1);
	assert_int_equal(s->prog[0].kind, PROGRESS_CONSOLE);
	assert_int_equal(s->prog[0].step, 2);
	assert_int_equal(s->prog[0].total, 5);
	assert_string_equal(s->prog_text[0], "login: ");
	/* no progress callback: nothing happens */
	events_set(&(struct events){ .message = on_message, .ctx = s });
	events_progress(&p);
	events_note("lab2", "4", "quiet");
	assert_int_equal(s->nprog, 1);
}

/* events_set() copies the struct: changing ours afterwards changes nothing. */
static void callbacks_are_copied(void **state)
{
	struct seen *s = *state;
	struct events ev = { on_message, on_progress, s };

	events_set(&ev);
	ev.message = NULL;
	ev.ctx = NULL;
	error("still here");
	assert_int_equal(s->nmsg, 1);
	assert_string_equal(s->msg[0].text, "still here");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(error_reaches_callback, install, uninstall),
		cmocka_unit_test_setup_teardown(error_at_gives_the_place, install, uninstall),
		cmocka_unit_test_setup_teardown(warning_reaches_callback, install, uninstall),
		cmocka_unit_test_setup_teardown(last_error_without_callbacks, install, uninstall),
		cmocka_unit_test_setup_teardown(long_error_is_cut, install, uninstall),
		cmocka_unit_test_setup_teardown(events_message_directly, install, uninstall),
		cmocka_unit_test_setup_teardown(note_formats, install, uninstall),
		cmocka_unit_test_setup_teardown(progress_passed_through, install, uninstall),
		cmocka_unit_test_setup_teardown(callbacks_are_copied, install, uninstall),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
