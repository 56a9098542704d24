/*
 * run_saved.c — which runs of an exercise start from a saved, booted
 * guest, and what they give it.  A guest may when `--saved` names where
 * its saved one is, its kind can be saved (vm.c's has_saved), and it is
 * nothing but a kernel of the lab's booting an initramfs, with its
 * console and shell line (spec_guest_unsaved).  Then it starts from the
 * one booted from the root file system's base.cpio, given payload.cpio
 * (the lab's part) and, in a grading, the student's overlay.cpio (the
 * student's modules); every other guest boots cold, and guest.start says
 * why.  Never prints; what it decides goes into the run's facts.
 */
#include "run_int.h"
#include "events.h"
#include "layout.h"
#include "reason.h"
#include "util.h"

#include <stdlib.h>
#include <sys/stat.h>

static bool is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Why the guest of `go` boots cold whatever is saved, or REASON_NONE. */
static enum reason_code cold_why(const struct run *r, const struct guest_opts *go)
{
	static const enum reason_code why[] = {
		[UNSAVED_NONE] = REASON_NONE,
		[UNSAVED_KERNEL] = REASON_UNSAVED_KERNEL,
		[UNSAVED_DISK_BOOT] = REASON_UNSAVED_DISK_BOOT,
		[UNSAVED_INSTALLED] = REASON_UNSAVED_INSTALLED,
		[UNSAVED_DEVICES] = REASON_UNSAVED_DEVICES,
		[UNSAVED_KEYS] = REASON_UNSAVED_KEYS,
	};

	if (!go->arch->has_saved)
		return REASON_UNSAVED_KIND;
	if (go->vm.gdb_socket || go->vm.share || go->vm.debug)
		return REASON_UNSAVED_WORKBENCH;
	return why[spec_guest_unsaved(r->spec, r->ex)];
}

/* guest.start: cold, for `code`. */
static void cold(struct run *r, enum reason_code code)
{
	struct reason why = REASON_INIT, start = REASON_INIT;

	reason_set(&why, code);
	reason_set(&start, REASON_START_COLD, &why);
	results_fact_reason(&r->res, "guest.start", &start);
	reason_free(&start);
	reason_free(&why);
}

void run_saved_opts(struct run *r, struct guest_opts *go)
{
	static const enum layout_file names[] = {
		LAYOUT_BASE_CPIO, LAYOUT_PAYLOAD_CPIO, LAYOUT_OVERLAY_CPIO,
	};
	enum reason_code why;

	if (!r->o->saved_dir)
		return;
	if (!(why = cold_why(r, go))) {
		for (size_t i = 0; i < 3; i++) {
			char *p = layout_file(r->o->rootfs_dir, names[i]);

			if (is_file(p))
				r->saved[r->nsaved++] = p;
			else
				free(p);
		}
		if (r->nsaved < 2 || !is_file(r->saved[1]))
			why = REASON_UNSAVED_NO_CPIO;
	}
	if (why) {
		cold(r, why);
		return;
	}
	go->saved_dir = r->o->saved_dir;
	go->save = r->o->save;
	go->base = r->saved[0];
	go->payloads = (const char *const *)r->saved + 1;
	go->npayloads = r->nsaved - 1;
}

int run_saved_save(struct run *r, struct guest_opts *go)
{
	const char *lab = r->spec->lab_id, *ex = r->ex->id;

	if (!go->saved_dir) {
		warning("exercise %s: its guest is not saved (%s): its runs boot cold",
			ex, expand_vars_get(&r->res.facts, "guest.start"));
		return EXIT_OK;
	}
	proc_catch_signals();
	if (guest_save(&r->guest, go, &r->res) < 0)
		warning("exercise %s: its guest was not saved: its runs boot cold",
			ex);
	else
		events_note(lab, ex, "guest saved in %s (%s)", go->saved_dir,
			    expand_vars_get(&r->res.facts, "guest.saved"));
	return EXIT_OK;
}
