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
#include "util.h"

#include <stdlib.h>
#include <sys/stat.h>

static bool is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Why the guest of `go` boots cold with the run's options, or NULL. */
static const char *cold_why(const struct run *r, const struct guest_opts *go)
{
	if (!go->arch->has_saved)
		return "its kind of guest cannot be saved";
	return spec_guest_unsaved(r->spec, r->ex);
}

void run_saved_opts(struct run *r, struct guest_opts *go)
{
	static const char *const names[] = { "base.cpio", "payload.cpio",
					     "overlay.cpio" };
	const char *why;
	char *cold;

	if (!r->o->saved_dir)
		return;
	if (!(why = cold_why(r, go))) {
		for (size_t i = 0; i < 3; i++) {
			char *p = xasprintf("%s/%s", r->o->rootfs_dir, names[i]);

			if (is_file(p))
				r->saved[r->nsaved++] = p;
			else
				free(p);
		}
		if (r->nsaved < 2 || !is_file(r->saved[1]))
			why = "its root file system has no base.cpio and payload.cpio";
	}
	if (why) {
		cold = xasprintf("cold: %s", why);
		expand_vars_set(&r->res.facts, "guest.start", cold);
		free(cold);
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
			ex, expand_vars_get(&r->res.facts, "guest.start") + 6);
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
