/*
 * handover.c — where a run hands its guest to a person (labkit shell,
 * labkit gdb, labkit run --shell-on-failure; run_workbench in run.h):
 * whether it is to after the login or a step, the session itself
 * (shell.c, gdb.c), what is refused before anything boots, the exit
 * status after, and the directory the guest shares.  run.c calls these;
 * they call nothing of run.c.  Fails by saying so (events.h): a session
 * that cannot start makes the run's exit status EXIT_CHECK_FAILED.
 */
#include "run_int.h"
#include "events.h"
#include "gdb.h"
#include "shell.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static const char *const tool_names[] = {
	[RUN_TOOL_SHELL] = "shell", [RUN_TOOL_GDB] = "gdb",
};

bool run_wants_hand_over(const struct run *r, const struct spec_step *st)
{
	const struct run_workbench *wb = r->o->wb;

	if (!wb || r->handed)
		return false;
	if (!st)
		return !wb->after && !wb->failed;
	if (wb->after)
		return !strcmp(wb->after, st->id);
	return wb->failed && wb->failed(wb->failed_ctx, st, &r->res);
}

void run_hand_over(struct run *r, const struct spec_step *st)
{
	const struct run_workbench *wb = r->o->wb;
	const char *tool = tool_names[wb->tool];

	r->handed = true;
	if (st)
		reason_set(&r->handed_why, REASON_HANDED_OVER_AFTER, tool, st->id);
	else
		reason_set(&r->handed_why, REASON_HANDED_OVER, tool);
	expand_vars_set(&r->res.facts, "workbench.tool", tool);
	if (st)
		expand_vars_set(&r->res.facts, "workbench.after", st->id);
	if (r->res.outcome != OUTCOME_OK || !r->guest.up ||
	    r->guest.proc.exited) {
		const struct reason *why = r->died.code ? &r->died :
					   r->res.detail.code ? &r->res.detail : NULL;
		char *said = why ? reason_text(why, LANG_EN) :
			     xstrdup("the guest is not up");

		error("no %s: %s", tool, said);
		free(said);
		r->wb_rc = EXIT_CHECK_FAILED;
		return;
	}
	if (wb->tool == RUN_TOOL_GDB)
		r->wb_rc = gdb_session(r);
	else
		r->wb_rc = shell_session(&r->guest, wb, r->spec->lab_id,
					 r->ex->id, &r->res.facts);
}

bool run_workbench_refused(const struct run *r)
{
	const struct run_workbench *wb = r->o->wb;
	const struct vm_arch *a;
	bool has = false;

	if (!wb)
		return false;
	if (!r->ex->guest && !wb->failed) {
		error("exercise '%s' boots no guest", r->ex->id);
		return true;
	}
	a = r->ex->guest ? vm_arch_find(spec_kernel(r->spec,
					r->ex->guest->kernel)->arch) : NULL;
	if (wb->tool == RUN_TOOL_GDB && a && !a->gdb_args) {
		error("exercise '%s' boots a guest of kind '%s', which has no "
		      "gdb stub (a UML kernel is a host process: gdb -p its "
		      "pid, docs/workbench.md)", r->ex->id, a->name);
		return true;
	}
	for (size_t i = 0; wb->after && i < r->ex->nsteps; i++)
		has = has || !strcmp(r->ex->steps[i].id, wb->after);
	if (wb->after && !has)
		error("exercise '%s' has no step '%s'", r->ex->id, wb->after);
	return wb->after && !has;
}

int run_workbench_rc(const struct run *r, int rc)
{
	const struct run_workbench *wb = r->o->wb;

	if (!wb || rc != EXIT_OK)
		return rc;
	if (r->handed)
		return r->wb_rc;
	if (wb->failed)
		return rc;              /* no step failed: a run like any */
	error("no %s: the run did not come to %s", tool_names[wb->tool],
	      wb->after ? wb->after : "the login");
	return EXIT_CHECK_FAILED;
}

int run_workbench_guest(struct run *r, const struct vm_arch *a,
			struct vm_guest *vm)
{
	const char *s = r->ex->guest->share;
	const struct run_workbench *wb = r->o->wb;
	char *rel;

	if (wb && wb->tool == RUN_TOOL_GDB) {
		/* a kind without a stub: vm_guest_unsupported() says so */
		vm->gdb_socket = a->gdb_args ? gdb_prepare(r) : "-";
		if (!vm->gdb_socket)
			return -1;
	}
	if (wb && wb->share) {
		vm->share = wb->share;
	} else if (s) {
		rel = s[0] == '/' ? xstrdup(s) :
		      xasprintf("%s/%s", r->spec->dir, s);
		r->share_path = fs_absolute(rel);
		free(rel);
		vm->share = r->share_path;
		vm->share_ro = true;
	}
	return 0;
}

void run_workbench_release(struct run *r)
{
	gdb_release(r);
}

