/*
 * report_env.c — the report's environment: the host's kernel (uname(2),
 * when the report is made), the emulator's version (as the run recorded
 * it: the report never runs a binary that results name), the
 * accelerator each run used and why (in the report's words when the
 * reason is of a form labkit writes), the kernel
 * sources' version, and each guest kernel with the `uname -a` line its
 * steps printed.  Everything else comes from the runs' recorded facts.
 * What it cannot find out it leaves out; it never fails.
 */
#include "report_int.h"
#include "vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#define L(l) report_label(r, (l))

static const char *fact(const struct report_exercise *x, const char *name)
{
	return x->c.loaded ? expand_vars_get(&x->c.res.facts, name) : NULL;
}

static void env_host(const struct report *r, struct sb *md)
{
	struct utsname u;
	char *s;

	if (uname(&u) < 0)
		return;
	s = xasprintf("%s %s %s %s", u.sysname, u.release, u.version, u.machine);
	sb_addf(md, "- **%s** (%s): ", L(RL_HOST_KERNEL), L(RL_AT_REPORT));
	report_md_code(md, s, false);
	sb_adds(md, "\n");
	free(s);
}

/* The first word of a guest command, when it is a QEMU binary. */
static char *emulator(const struct report_exercise *x)
{
	const char *cmd = fact(x, "guest.command");
	size_t n = cmd ? strcspn(cmd, " ") : 0;
	char *bin = cmd ? xstrndup(cmd, n) : NULL;
	const char *base = bin ? strrchr(bin, '/') : NULL;

	if (bin && !strncmp(base ? base + 1 : bin, "qemu-system-", 12))
		return bin;
	free(bin);
	return NULL;
}

static void env_emulator(const struct report *r, struct sb *md,
			 const char *bin)
{
	const char *version = NULL;

	/* as the run recorded it: a report never runs what results name */
	for (size_t i = 0; i < r->nex && !version; i++) {
		char *b = emulator(&r->ex[i]);

		if (b && !strcmp(b, bin))
			version = fact(&r->ex[i], "guest.emulator");
		free(b);
	}
	sb_addf(md, "- **QEMU** (");
	report_md_code(md, bin, false);
	sb_adds(md, "): ");
	if (version)
		report_md_code(md, version, false);
	else
		sb_adds(md, L(RL_NOT_FOUND));
	sb_adds(md, "\n");
}

static void env_emulators(const struct report *r, struct sb *md)
{
	for (size_t i = 0; i < r->nex; i++) {
		char *bin = emulator(&r->ex[i]);
		bool seen = false;

		for (size_t j = 0; bin && j < i && !seen; j++) {
			char *prev = emulator(&r->ex[j]);

			seen = prev && !strcmp(prev, bin);
			free(prev);
		}
		if (bin && !seen)
			env_emulator(r, md, bin);
		free(bin);
	}
}

static bool same_fact(const struct report_exercise *a,
		      const struct report_exercise *b, const char *name)
{
	const char *x = fact(a, name), *y = fact(b, name);

	return x && y && !strcmp(x, y);
}

/* Runs share a line when they used the same accelerator for the same reason. */
static bool same_accel(const struct report_exercise *a,
		       const struct report_exercise *b)
{
	const char *x = fact(a, "guest.accel_reason");
	const char *y = fact(b, "guest.accel_reason");

	return same_fact(a, b, "guest.accel") &&
	       (x && y ? !strcmp(x, y) : x == y);
}

static void env_accel(const struct report *r, struct sb *md)
{
	for (size_t i = 0; i < r->nex; i++) {
		const struct report_exercise *x = &r->ex[i];
		const struct reason *why = x->c.loaded ?
			results_fact_why(&x->c.res, "guest.accel_reason") : NULL;
		const char *text = fact(x, "guest.accel_reason");
		bool seen = false;
		size_t n = 0;

		for (size_t j = 0; j < i; j++)
			seen = seen || same_accel(x, &r->ex[j]);
		if (!fact(x, "guest.accel") || seen)
			continue;
		sb_addf(md, "- **%s:** ", L(RL_ACCEL));
		report_md_code(md, fact(x, "guest.accel"), false);
		sb_adds(md, " (");
		for (size_t j = i; j < r->nex; j++)
			if (same_accel(x, &r->ex[j]))
				sb_addf(md, "%s%s", n++ ? ", " : "", r->ex[j].ex->id);
		sb_adds(md, ")");
		if (why || text) {   /* data of no known form: as it is */
			char *said = why ? reason_text(why, r->lang) : xstrdup(text);

			sb_adds(md, " — ");
			report_md_text(md, said);
			free(said);
		}
		sb_adds(md, "\n");
	}
}

/* How each guest started (guest.start): the exercises restored from a
 * saved guest, with the seconds it took; those that booted cold, by why. */
static void env_start(const struct report *r, struct sb *md)
{
	char **said = xcalloc(r->nex + 1, sizeof(*said));
	size_t n = 0;

	for (size_t i = 0; i < r->nex; i++) {
		const struct reason *why = r->ex[i].c.loaded ?
			results_fact_why(&r->ex[i].c.res, "guest.start") : NULL;

		if (!why)
			continue;
		if (why->code == REASON_START_RESTORED) {
			if (!n++)
				sb_addf(md, "- **%s:** %s (", L(RL_START),
					L(RL_RESTORED));
			else
				sb_adds(md, ", ");
			sb_addf(md, "%s: %s s", r->ex[i].ex->id,
				fact(&r->ex[i], "boot.seconds"));
		} else {
			said[i] = reason_text(why, r->lang);
		}
	}
	if (n)
		sb_adds(md, ")\n");
	for (size_t i = 0; i < r->nex; i++) {
		bool seen = false;

		for (size_t j = 0; said[i] && j < i; j++)
			seen = seen || (said[j] && !strcmp(said[i], said[j]));
		if (!said[i] || seen)
			continue;
		sb_addf(md, "- **%s:** ", L(RL_START));
		report_md_text(md, said[i]);
		sb_adds(md, " (");
		for (size_t j = i, k = 0; j < r->nex; j++)
			if (said[j] && !strcmp(said[i], said[j]))
				sb_addf(md, "%s%s", k++ ? ", " : "", r->ex[j].ex->id);
		sb_adds(md, ")\n");
	}
	for (size_t i = 0; i < r->nex; i++)
		free(said[i]);
	free(said);
}

static void env_uml(const struct report *r, struct sb *md)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nex; i++) {
		const char *arch = fact(&r->ex[i], "kernel.arch");
		const struct vm_arch *a = arch ? vm_arch_find(arch) : NULL;

		if (!a || a->emulator)   /* a kernel that runs itself: UML */
			continue;
		if (!n++)
			sb_addf(md, "- **%s:** %s (", L(RL_ACCEL), L(RL_UML));
		else
			sb_adds(md, ", ");
		sb_adds(md, r->ex[i].ex->id);
	}
	if (n)
		sb_adds(md, ")\n");
}

/* "6.1.192" from a kernel tree's Makefile, or NULL. */
static char *source_version(const char *src)
{
	char *path = xasprintf("%s/Makefile", src), *text = NULL, *v = NULL;
	int ver = -1, patch = -1, sub = -1;
	size_t len;

	if (fs_read_file(path, &text, &len) == 0) {
		for (char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
			sscanf(l, "VERSION = %d", &ver);
			sscanf(l, "PATCHLEVEL = %d", &patch);
			sscanf(l, "SUBLEVEL = %d", &sub);
			if (ver >= 0 && patch >= 0 && sub >= 0)
				break;
		}
		if (ver >= 0 && patch >= 0 && sub >= 0)
			v = xasprintf("%d.%d.%d", ver, patch, sub);
	}
	free(text);
	free(path);
	return v;
}

static void env_sources(const struct report *r, struct sb *md)
{
	for (size_t i = 0; i < r->nex; i++) {
		const char *src = fact(&r->ex[i], "kernel.src");
		bool seen = false;
		char *v;

		for (size_t j = 0; src && j < i; j++)
			seen = seen || same_fact(&r->ex[i], &r->ex[j], "kernel.src");
		if (!src || seen)
			continue;
		v = source_version(src);
		sb_addf(md, "- **%s:** ", L(RL_SOURCES));
		report_md_code(md, src, false);
		if (v)
			sb_addf(md, " (%s)", v);
		sb_adds(md, "\n");
		free(v);
	}
}

/* The first `uname -a` line the exercise's steps printed. */
static char *uname_line(const struct report_exercise *x)
{
	for (size_t i = 0; x->c.loaded && i < x->c.res.nsteps; i++) {
		const char *out = x->c.res.steps[i].output;

		for (const char *l = out; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
			size_t n = strcspn(l, "\n");

			if (!strncmp(l, "Linux ", 6) && memmem(l, n, " #", 2))
				return xstrndup(l, n);
		}
	}
	return NULL;
}

static void env_guests(const struct report *r, struct sb *md)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nex; i++) {
		const struct report_exercise *x = &r->ex[i];
		const char *rel = fact(x, "kernel.release");
		char *line = uname_line(x);

		if (rel) {
			if (!n++)
				sb_addf(md, "- **%s:**\n", L(RL_GUESTS));
			sb_addf(md, "  - %s: ", x->ex->id);
			report_md_code(md, rel, false);
			if (fact(x, "kernel.arch"))
				sb_addf(md, " (%s)", fact(x, "kernel.arch"));
			if (line) {
				sb_adds(md, "; `uname -a`: ");
				report_md_code(md, line, false);
			}
			sb_adds(md, "\n");
		}
		free(line);
	}
}

void report_environment(const struct report *r, struct sb *md)
{
	sb_addf(md, "## %s\n\n", L(RL_ENV));
	env_host(r, md);
	env_emulators(r, md);
	env_accel(r, md);
	env_uml(r, md);
	env_start(r, md);
	env_sources(r, md);
	env_guests(r, md);
	sb_adds(md, "\n");
}
