/*
 * reason.h — why: a step skipped, not run or cut short, a run that ended
 * badly, what a fact of the guest says (the user it ran as, why that
 * accelerator, how it powered off), an expectation that did not hold.  A
 * reason is a code and its named arguments (the step, the pattern, the
 * seconds, the fault line; a reason within a reason), made where it
 * happens and worded only here: reason.c has the catalog, one row per
 * code with its name in results.yaml, its arguments, and its English
 * and Polish.  results.yaml keeps the code and the arguments (and the
 * English beside them, for people); the report, the command line and
 * summary.csv word them through the catalog.
 */
#ifndef LABKIT_REASON_H
#define LABKIT_REASON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "lang.h"
#include "sb.h"

enum reason_code {
	REASON_NONE,             /* no reason */
	REASON_TEXT,             /* {text}: words labkit did not make (a
				    spec's skip:, a compiler's message, an
				    old file's reason of no known form) */
	/* run/guest.c: the facts guest.user, guest.accel_reason and
	 * guest.poweroff */
	REASON_USER_SELF, REASON_USER_ROOT_UNREADABLE,
	REASON_USER_ROOT_NO_NOBODY, REASON_USER_ROOT_NO_HOME,
	REASON_ACCEL_CACHED, REASON_ACCEL_PROBED, REASON_ACCEL_CHOSEN,
	REASON_KVM_NO_LOGIN, REASON_KVM_LOGIN, REASON_KVM_UNUSABLE,
	REASON_POWEROFF_CLEAN, REASON_POWEROFF_KILLED,
	/* console/console.c: how a wait on the console ended */
	REASON_CONSOLE_TIMEOUT, REASON_CONSOLE_CLOSED, REASON_CONSOLE_PANIC,
	REASON_CONSOLE_INTERRUPTED, REASON_CONSOLE_ERROR,
	/* run/run.c: a run's detail, a step's reason */
	REASON_STEP_PANIC, REASON_STEP_ENDED, REASON_BOOT_PANIC,
	REASON_BOOT_ENDED, REASON_GUEST_POWERED_OFF, REASON_GUEST_STOPPED,
	REASON_GUEST_DIED, REASON_NOT_EXPANDED, REASON_BEFORE_FAILED,
	REASON_NO_POWEROFF, REASON_LEFTOVER, REASON_NO_ROOTFS,
	REASON_NO_BUILD_RESULTS, REASON_NO_XREF_INDEX, REASON_NO_GUEST,
	REASON_NO_GUEST_KIND, REASON_NO_KERNEL_DIR, REASON_UNKNOWN_STEP_KIND,
	REASON_NO_DEVICES, REASON_NO_EXTRA_SHELL,
	/* run/background.c, run/devices.c: other consoles, the background,
	 * keys */
	REASON_BG_GONE, REASON_BG_LATE, REASON_BG_UNFINISHED,
	REASON_BG_RUNNING, REASON_KEYS_FAILED, REASON_NO_CONSOLE,
	/* run/restore.c, run/run_saved.c: the fact guest.start */
	REASON_START_RESTORED, REASON_START_COLD, REASON_SAVED_NONE,
	REASON_SAVED_STALE, REASON_SAVED_QEMU, REASON_SAVED_NO_DISK,
	REASON_SAVED_PAYLOAD, REASON_SAVED_SHELL, REASON_UNSAVED_KIND,
	REASON_UNSAVED_KERNEL, REASON_UNSAVED_DISK_BOOT,
	REASON_UNSAVED_INSTALLED, REASON_UNSAVED_DEVICES, REASON_UNSAVED_KEYS,
	REASON_UNSAVED_NO_CPIO, REASON_UNSAVED_WORKBENCH,
	/* run/handover.c, run/run.c: the workbench */
	REASON_HANDED_OVER, REASON_HANDED_OVER_AFTER, REASON_GUEST_UNSUPPORTED,
	/* run/run_host.c */
	REASON_HOST_DEADLINE, REASON_HOST_NO_START, REASON_BUILD_UNREADABLE,
	REASON_BUILD_NOT_RUN,
	/* cmake/LabKitKernels.cmake: --no-build, --no-guest, --no-xref */
	REASON_KERNEL_PREBUILT, REASON_KERNEL_NOT_BUILT, REASON_NO_XREF_SOURCE,
	REASON_XREF_UNSUPPORTED, REASON_NO_DEBIAN_KERNEL, REASON_NO_UML,
	REASON_KERNEL_UNBUILT, REASON_KERNEL_FROM_UNSUPPORTED,
	/* cmake/LabKitRootfs.cmake: --no-guest */
	REASON_NO_GUEST_BUSYBOX,
	/* check/check.c: why an expectation did not hold */
	REASON_PATTERN_UNDEFINED, REASON_PATTERN_BAD, REASON_PATTERN_PRESENT,
	REASON_PATTERN_MISSING_AFTER, REASON_PATTERN_MISSING,
	REASON_CLOSEST_LINES, REASON_WHOLE_OUTPUT, REASON_EMPTY_OUTPUT,
	REASON_IN_HOST, REASON_IN_BOOT, REASON_IN_KERNEL, REASON_IN_BEFORE,
	REASON_EXIT_STATUS, REASON_EXIT_STATUS_HOST, REASON_EXIT_STATUS_BOOT,
	REASON_EXIT_STATUS_KERNEL, REASON_EXIT_STATUS_BEFORE,
	REASON_WITH_OUTPUT, REASON_FAULT_NONE_SEEN, REASON_FAULT_OTHER,
	REASON_AT, REASON_AT_SOURCE, REASON_TIMEOUT_EXPECTED,
	REASON_UNFINISHED_WHY, REASON_UNFINISHED, REASON_UNEXPECTED_FAULT,
	REASON_FAULT_WHERE,
	REASON_COUNT,
};

/* What an argument holds. */
enum reason_arg_kind {
	REASON_ARG_TEXT,         /* data, shown as it is in any language */
	REASON_ARG_STATUS,       /* an enum step_status */
	REASON_ARG_FAULT,        /* an enum fault_kind */
	REASON_ARG_REASON,       /* a reason within this one */
};

#define REASON_ARGS 4

struct reason;

struct reason_arg {
	char *text;              /* REASON_ARG_TEXT */
	int value;               /* REASON_ARG_STATUS, REASON_ARG_FAULT */
	struct reason *why;      /* REASON_ARG_REASON */
};

struct reason {
	enum reason_code code;
	struct reason_arg arg[REASON_ARGS]; /* in the catalog's order */
};

#define REASON_INIT { REASON_NONE, { { NULL, 0, NULL } } }

/*
 * Sets *r (freeing what it held) to `code` with its arguments, in the
 * catalog's order: a `const char *` for text (copied; NULL is ""), an
 * `int` (the enum) for a status or a fault, a `const struct reason *`
 * for a reason within (copied; NULL is none).
 */
void reason_set(struct reason *r, enum reason_code code, ...);
void reason_setv(struct reason *r, enum reason_code code, va_list ap);
/* *r becomes the first reason-argument of `outer`, whose other arguments
 * follow in order, as reason_set() takes them. */
void reason_wrap(struct reason *r, enum reason_code outer, ...);
void reason_copy(struct reason *to, const struct reason *from);
/* Frees what r holds; r is REASON_NONE after. */
void reason_free(struct reason *r);

/* The reason in `lang`, appended; nothing for REASON_NONE. */
void reason_say(struct sb *out, const struct reason *r, enum lang lang);
/* The same as a new string ("" for REASON_NONE). */
char *reason_text(const struct reason *r, enum lang lang);
/* A reason of no arguments in `lang` ("console closed"). */
const char *reason_word(enum reason_code code, enum lang lang);

/* The code's name in results.yaml ("guest-died"), and back: 0 and *code,
 * or -1 (no message). */
const char *reason_name(enum reason_code code);
int reason_parse_name(const char *name, enum reason_code *code);
/* The code's arguments: how many, each one's name and kind. */
size_t reason_nargs(enum reason_code code);
const char *reason_arg_name(enum reason_code code, size_t i);
enum reason_arg_kind reason_arg_kind(enum reason_code code, size_t i);
/* The index of argument `name` of `code` ("step"), or -1. */
int reason_arg_index(enum reason_code code, const char *name);

/*
 * A reason from pairs "code=<name>", "<arg>=<value>", and for an
 * argument that is a reason "<arg>.code=<name>", "<arg>.<its arg>=...":
 * what `labkit run --no-build` takes (with --no-build-arg), a grading
 * plan, the accelerator's cache.  0, or -1 with a message for an unknown
 * code, argument or status, or no code.
 */
int reason_from_pairs(struct reason *r, const char *const *pairs, size_t n);
/*
 * A reason from an option and its -arg options (`labkit run --no-guest
 * <code> --no-guest-arg <name>=<value>...`, a grading plan's): the code
 * and its arguments; words with no arguments that are no code are taken
 * as English (an older labkit's CMake wrote them), as format 1's are.
 * 0, or -1 with a message.
 */
int reason_from_option(struct reason *r, const char *value,
		       const char *const *args, size_t nargs);
/* The pairs reason_from_pairs() takes, one a line ("\n" and "\\" in a
 * value escaped as "\\n", "\\\\"), appended. */
void reason_pairs(struct sb *out, const struct reason *r);

/*
 * The reason `text` is, as labkit wrote it in English before reasons had
 * codes (results format 1, an old accelerator cache): a code whose
 * English it has, with the arguments it holds, when it has the form of
 * one that format 1 wrote; else REASON_TEXT, `text` itself.  `names`: a
 * text that is no more than a status's name ("timeout") is the console's
 * reason of that name (where format 1 was read so: a reason, not a
 * fact).  True when a code other than REASON_TEXT was found.
 */
bool reason_from_english(struct reason *r, const char *text, bool names);

/* The catalog's words, for a test that a report in one language holds
 * none of the other's: the i-th pair, Polish and English (a template's
 * arguments as "{name}"); false past the last. */
bool reason_words(size_t i, const char **pl, const char **en);

#endif
