/*
 * student.c — one student of a grading (student.h): the stages of a
 * lab's own build tree, with the submission in place of the lab's
 * modules, into <grade>/students/<name>/:
 *
 *   build/<module>/          the submission's module, copied and built in
 *                            the sandbox (modbuild.c), build.log; a
 *                            module that uses others after them, with
 *                            their Module.symvers (read-only there)
 *   rootfs/<exercise>/       the lab's root file system with that .ko in
 *                            place of the lab's own: its initramfs with
 *                            a second cpio archive appended (the kernel
 *                            unpacks both, the later file wins), or a
 *                            copy of its disk with the file replaced
 *   <exercise>/results.yaml  the run (run.h), as the lab's exercise runs
 *   junit.xml, report.*      every graded step judged (check.h)
 *
 * Kernels, headers and the base root file system are the build tree's,
 * shared by every student; nothing here builds a kernel.  A submission
 * that cannot be judged as it is (no module directory, a module that
 * does not build, or uses one that did not) gets results whose steps
 * did not run, with the reason: the student's.  A failure of the grader
 * (the sandbox or the root file system could not be made, labkit could
 * not run the exercise) is not the student's: the exercise's results say
 * so (`grade.not_graded`, or a run that did not boot), the student is
 * "not graded" (EXIT_NOT_GRADED), never scored 0.  Only a results file
 * that cannot be written at all is EXIT_INTERNAL.
 */
#include "student.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "events.h"
#include "expand.h"
#include "junit.h"
#include "layout.h"
#include "modbuild.h"
#include "proc.h"
#include "report.h"
#include "results.h"
#include "run.h"
#include "sandbox.h"
#include "summary.h"
#include "text.h"
#include "util.h"

/* ---- the submission's modules ---- */

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Where module `m` is in the submission: <submission>/<m>/, or for an
 * exercise of one module the submission itself.  NULL with *why. */
static char *module_source(const struct student_job *j, const char *m,
			   size_t nmodules, char **why)
{
	char *sub = xasprintf("%s/%s", j->submission, m);

	if (is_dir(sub))
		return sub;
	free(sub);
	if (nmodules == 1)
		return xstrdup(j->submission);
	*why = xasprintf("no directory '%s' in the submission (an exercise of several modules takes each from <submission>/<module>/)",
			 m);
	return NULL;
}

static size_t module_index(const struct plan_exercise *pe, const char *id)
{
	size_t i = 0;

	while (i < pe->nmodules && strcmp(pe->modules[i].id, id))
		i++;
	return i;
}

/* Is every module that module i uses done? */
static bool uses_done(const struct plan_exercise *pe, size_t i,
		      const bool *done)
{
	for (size_t k = 0; k < pe->modules[i].nuses; k++) {
		size_t u = module_index(pe, pe->modules[i].uses[k]);

		if (u < pe->nmodules && !done[u])
			return false;
	}
	return true;
}

/* The order the exercise's modules are built in (indexes into order[]):
 * each after the modules it uses, the plan's order otherwise.  -1 when
 * they use each other in a cycle (the spec refuses one). */
static int build_order(const struct plan_exercise *pe, size_t *order)
{
	bool *done = xcalloc(pe->nmodules + 1, sizeof(*done));
	int rc = 0;

	for (size_t n = 0; rc == 0 && n < pe->nmodules; n++) {
		size_t i = 0;

		while (i < pe->nmodules && (done[i] || !uses_done(pe, i, done)))
			i++;
		if (i == pe->nmodules)
			rc = -1;
		else
			done[order[n] = i] = true;
	}
	free(done);
	return rc;
}

/* The Module.symvers of the modules module `m` uses, as their builds
 * left them (NULL-terminated); NULL and *why when one left none. */
static char **symvers_of(const struct student_job *j,
			 const struct plan_module *m, char **why)
{
	char **files = xcalloc(m->nuses + 1, sizeof(*files));
	struct stat st;

	for (size_t k = 0; k < m->nuses; k++) {
		char *dir = layout_student_build(j->dir, m->uses[k]);

		files[k] = xasprintf("%s/Module.symvers", dir);
		free(dir);
		if (lstat(files[k], &st) == 0 && S_ISREG(st.st_mode))
			continue;
		*why = xasprintf("module '%s' was not built: module '%s', which it uses, left no Module.symvers",
				 m->id, m->uses[k]);
		for (size_t i = 0; i <= k; i++)
			free(files[i]);
		free(files);
		return NULL;
	}
	return files;
}

/* Builds module i of the exercise: 0 built (kos[i] "<id>=<ko>"), 1 it did
 * not (*why), -1 grading failed (*why). */
static int build_module(const struct student_job *j,
			const struct plan_exercise *pe, size_t i, char **kos,
			char **why)
{
	const struct plan_module *m = &pe->modules[i];
	char *src = module_source(j, m->id, pe->nmodules, why);
	char *dir = layout_student_build(j->dir, m->id);
	char **symvers = src ? symvers_of(j, m, why) : NULL;
	struct modbuild_opts o = {
		.src = src, .dir = dir, .name = m->id, .headers = m->headers,
		.arch = m->arch,
		.symvers = (const char *const *)symvers, .hide = j->hide,
		.unsandboxed = j->unsandboxed_why != NULL,
	};
	struct modbuild_result r = { 0 };
	int rc = !symvers ? 1 : modbuild_build(&o, &r);

	if (rc == 0)
		events_note(j->spec->lab_id, pe->id,
			    "module '%s' built in %.2f s (%s; limits held by %s): %s",
			    m->id, r.seconds, j->unsandboxed_why ? "no sandbox" :
			    "sandboxed", r.limits ? r.limits : "nothing",
			    r.ok ? "ok" : r.reason);
	if (rc == 0 && r.ok)
		kos[i] = xasprintf("%s=%s", m->id, r.ko);
	else if (symvers)
		*why = xasprintf(rc < 0 ? "module '%s' could not be built: %s" :
				 "module '%s' did not build: %s", m->id,
				 r.reason ? r.reason : "?");
	for (size_t k = 0; symvers && symvers[k]; k++)
		free(symvers[k]);
	free(symvers);
	modbuild_result_free(&r);
	free(dir);
	free(src);
	return rc < 0 ? -1 : !kos[i];
}

/* *why, a module that did not build, goes on to name the modules of the
 * exercise that use it, which were not built either. */
static void name_users(const struct plan_exercise *pe, size_t failed,
		       char **why)
{
	struct sb users;
	size_t n = 0;

	sb_init(&users);
	for (size_t i = 0; i < pe->nmodules; i++)
		for (size_t k = 0; k < pe->modules[i].nuses; k++)
			if (!strcmp(pe->modules[i].uses[k], pe->modules[failed].id))
				sb_addf(&users, "%s'%s'", n++ ? ", " : "",
					pe->modules[i].id);
	if (n) {
		char *longer = xasprintf("%s (so %s, which use%s it, %s not built)",
					 *why, users.buf, n == 1 ? "s" : "",
					 n == 1 ? "was" : "were");

		free(*why);
		*why = longer;
	}
	sb_release(&users);
}

/* Builds the exercise's modules, each after those it uses: 0 all built
 * (kos[i] "<id>=<ko>"), 1 one did not (*why), -1 grading failed (*why). */
static int build_modules(const struct student_job *j,
			 const struct plan_exercise *pe, char **kos, char **why)
{
	size_t *order = xcalloc(pe->nmodules + 1, sizeof(*order));
	int rc = 0;

	if (build_order(pe, order) < 0) {
		*why = xasprintf("the modules of exercise %s in '%s' use each other in a cycle",
				 pe->id, j->plan->path);
		rc = -1;
	}
	for (size_t n = 0; rc == 0 && n < pe->nmodules; n++) {
		rc = build_module(j, pe, order[n], kos, why);
		if (rc > 0 && *why)
			name_users(pe, order[n], why);
	}
	free(order);
	return rc;
}

/* ---- the root file system with them ---- */

static int run_tool(char *const *argv, const char *what)
{
	struct proc p;
	struct sb out;
	int rc;

	sb_init(&out);
	rc = proc_run(argv, NULL, 120, &out, &p);
	if (rc != 0)
		error("%s failed (%d): %s", what, rc, out.buf);
	sb_release(&out);
	return rc == 0 ? 0 : -1;
}

/* <dir>/overlay.cpio: the .ko files at /lib/modules/<release>/extra/. */
static int overlay_cpio(const char *dir, const char *release,
			char *const *kos, size_t n)
{
	char *extra = xasprintf("%s/overlay/lib/modules/%s/extra", dir, release);
	char *top = xasprintf("%s/overlay", dir);
	char *cpio = layout_file(dir, LAYOUT_OVERLAY_CPIO);
	char *argv[] = { "sh", "-c",
		"cd \"$1\" && find . | LC_ALL=C sort | cpio --quiet -o -H newc --owner=0:0 --reproducible > \"$2\"",
		"sh", top, cpio, NULL };
	int rc = fs_mkdirs(extra, 0755);

	for (size_t i = 0; rc == 0 && i < n; i++) {
		const char *eq = strchr(kos[i], '=');
		char *to = xasprintf("%s/%.*s.ko", extra, (int)(eq - kos[i]), kos[i]);
		char *cp[] = { "cp", "--", (char *)eq + 1, to, NULL };

		rc = run_tool(cp, "copying the module");
		free(to);
	}
	if (rc == 0)
		rc = run_tool(argv, "cpio");
	free(cpio);
	free(top);
	free(extra);
	return rc;
}

/* The disk image with the modules written in place (debugfs). */
static int disk_with(const char *dir, const char *base, const char *release,
		     char *const *kos, size_t n)
{
	char *image = layout_file(dir, LAYOUT_ROOTFS_EXT4);
	char *cmds = xasprintf("%s/debugfs.cmd", dir);
	char *cp[] = { "cp", "--sparse=always", "--", (char *)base, image, NULL };
	char *dbg[] = { "debugfs", "-w", "-f", cmds, image, NULL };
	struct sb s;
	int rc;

	sb_init(&s);
	sb_addf(&s, "mkdir /lib/modules/%s/extra\n", release);
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(kos[i], '=');
		int len = (int)(eq - kos[i]);

		sb_addf(&s, "rm /lib/modules/%s/extra/%.*s.ko\n", release, len, kos[i]);
		sb_addf(&s, "write %s /lib/modules/%s/extra/%.*s.ko\n", eq + 1,
			release, len, kos[i]);
	}
	rc = fs_write_atomic(cmds, s.buf, s.len) < 0 ? -1 :
	     run_tool(cp, "copying the disk image");
	if (rc == 0)
		rc = run_tool(dbg, "debugfs");
	sb_release(&s);
	free(cmds);
	free(image);
	return rc;
}

/* Concatenates `a` and `b` into `out` (atomically). */
static int concat(const char *a, const char *b, const char *out)
{
	char *da = NULL, *db = NULL, *both;
	size_t la = 0, lb = 0;
	int rc = -1;

	if (fs_read_file(a, &da, &la) < 0 || fs_read_file(b, &db, &lb) < 0) {
		error("cannot read '%s': %s", da ? b : a, strerror(errno));
		goto out;
	}
	both = xmalloc(la + lb);
	memcpy(both, da, la);
	memcpy(both + la, db, lb);
	rc = fs_write_atomic(out, both, la + lb);
	free(both);
out:
	free(da);
	free(db);
	return rc;
}

/* <rdir>/<name> -> the lab's <name>, when it has one: base.cpio and
 * payload.cpio, which a guest started from a saved one is given with the
 * student's overlay.cpio (run_saved.c). */
static int link_lab_file(const char *rdir, const char *lab_dir,
			 enum layout_file name)
{
	char *from = layout_file(lab_dir, name);
	char *to = layout_file(rdir, name);
	int rc = 0;

	if (access(from, R_OK) == 0 && symlink(from, to) < 0)
		rc = error("cannot link '%s': %s", to, strerror(errno));
	free(to);
	free(from);
	return rc;
}

/* rootfs/<exercise>/: the lab's root file system, the modules replaced. */
static int make_rootfs(const char *rdir, const struct plan_exercise *pe,
		       enum guest_boot boot, const char *release,
		       char *const *kos, size_t n)
{
	char *yaml = layout_file(pe->rootfs_dir, LAYOUT_ROOTFS_YAML);
	char *link = layout_file(rdir, LAYOUT_ROOTFS_YAML);
	char *base = layout_file(pe->rootfs_dir, boot == BOOT_DISK ?
				 LAYOUT_ROOTFS_EXT4 : LAYOUT_INITRAMFS);
	char *cpio = layout_file(rdir, LAYOUT_OVERLAY_CPIO);
	char *initramfs = layout_file(rdir, LAYOUT_INITRAMFS);
	int rc = fs_mkdirs(rdir, 0755);

	if (rc == 0 && symlink(yaml, link) < 0)
		rc = error("cannot link '%s': %s", link, strerror(errno));
	if (rc == 0 && boot == BOOT_DISK)
		rc = disk_with(rdir, base, release, kos, n);
	else if (rc == 0)
		rc = overlay_cpio(rdir, release, kos, n) < 0 ||
		     link_lab_file(rdir, pe->rootfs_dir, LAYOUT_BASE_CPIO) < 0 ||
		     link_lab_file(rdir, pe->rootfs_dir, LAYOUT_PAYLOAD_CPIO) < 0 ? -1 :
		     concat(base, cpio, initramfs);
	free(initramfs);
	free(cpio);
	free(base);
	free(link);
	free(yaml);
	return rc;
}

/* ---- the run ---- */

/* The facts a grading adds to a student's results. */
static void grade_facts(const struct student_job *j, struct expand_vars *facts)
{
	expand_vars_init(facts);
	expand_vars_set(facts, "grade.student", j->name);
	expand_vars_set(facts, "grade.sandbox", sandbox_kind_name(
			j->unsandboxed_why ? SANDBOX_NONE : SANDBOX_BUBBLEWRAP));
	if (j->unsandboxed_why)
		expand_vars_set(facts, "grade.sandbox.why", j->unsandboxed_why);
}

/* <out>/results.yaml of an exercise that could not run: every step not
 * run, for `why`; `grader` when that is the grader's failure, not the
 * student's (grade.not_graded). */
static int not_run(const struct student_job *j, const struct spec_exercise *ex,
		   const struct expand_vars *facts, const char *out,
		   const char *why, bool grader)
{
	struct results res;
	char *path = layout_file(out, LAYOUT_RESULTS);
	int rc;

	results_init(&res, j->spec->lab_id, ex->id);
	res.outcome = OUTCOME_FAIL;
	reason_set(&res.detail, REASON_TEXT, why);
	for (size_t i = 0; i < ex->nsteps; i++)
		results_step_set(results_add_step(&res, ex->steps[i].id),
				 STATUS_NOT_RUN, REASON_TEXT, why);
	for (size_t i = 0; i < facts->n; i++)
		expand_vars_set(&res.facts, facts->name[i], facts->value[i]);
	if (grader)
		expand_vars_set(&res.facts, "grade.not_graded", why);
	rc = fs_mkdirs(out, 0755) < 0 ? -1 : results_write(&res, path);
	results_free(&res);
	free(path);
	return rc;
}

/* The exercise's run, into `out`; NULL, or the grader's failure. */
static char *run_it(const struct student_job *j, const struct plan_exercise *pe,
		    struct run_opts *o, char **kos, const char *rdir,
		    const char *out)
{
	const struct spec_exercise *ex = spec_exercise(j->spec, pe->id);
	char *release = NULL, *why = NULL;
	int rc;

	if (ex->guest && pe->kernel_dir) {
		if (!(release = run_guest_release(j->spec, o)))
			return xstrdup("the lab's kernel has no release here");
		if (make_rootfs(rdir, pe, ex->guest->boot, release, kos,
				pe->nmodules) < 0)
			why = xasprintf("the root file system with the module could not be made in '%s'",
					rdir);
		free(release);
		if (why)
			return why;
		o->rootfs_dir = rdir;
	}
	o->out_dir = out;
	o->modules = (const char *const *)kos;
	o->nmodules = pe->nmodules;
	rc = run_exercise(j->spec, o);
	if (rc == EXIT_OK || rc == EXIT_CHECK_FAILED)
		return NULL;
	return xasprintf("labkit could not run exercise %s (exit %d)", pe->id, rc);
}

/* One exercise: 0 it ran (or could not, for the submission's fault: its
 * results say why), 1 the grader failed (its results say so: the
 * student is not graded), -1 not even that could be written. */
static int grade_exercise(const struct student_job *j,
			  const struct plan_exercise *pe)
{
	const struct spec_exercise *ex = spec_exercise(j->spec, pe->id);
	char *out = layout_exercise_dir(j->dir, pe->id);
	char *rdir = layout_student_rootfs(j->dir, pe->id);
	char **kos = xcalloc(pe->nmodules + 1, sizeof(*kos));
	char *why = NULL, *ours = NULL;
	struct expand_vars facts;
	struct run_opts o = { 0 };
	int rc = build_modules(j, pe, kos, &why);

	grade_facts(j, &facts);
	plan_run_opts(pe, &o, NULL);
	o.facts = &facts;
	if (rc == 0 && (ours = run_it(j, pe, &o, kos, rdir, out))) {
		/* what the run left is not the student's: its results go */
		char *r = layout_file(out, LAYOUT_RESULTS);

		unlink(r);
		free(r);
	}
	if (rc != 0 || ours) {
		const char *reason = ours ? ours : why;

		error("%s: exercise %s: %s", j->name, pe->id, reason);
		if (not_run(j, ex, &facts, out, reason, rc < 0 || ours) < 0)
			rc = -1;
		else
			rc = rc > 0 ? 0 : 1;
	}
	for (size_t i = 0; i < pe->nmodules; i++)
		free(kos[i]);
	expand_vars_free(&facts);
	free(kos);
	free(ours);
	free(why);
	free(rdir);
	free(out);
	return rc;
}

/* ---- verdicts ---- */

/* The JUnit cases of the graded steps, their strings owned. */
struct tally {
	size_t n, cap;
	struct junit_case *cases;
};

/* A step's test case: passed, a failure, skipped, or — when the grader
 * failed (`not_graded`) — an error, JUnit's word for a test that could
 * not be judged. */
static void junit_case(struct tally *t, const char *classname,
		       const struct check_judgement *jd, const char *step,
		       const char *not_graded)
{
	struct junit_case *c;

	ARRAY_PUSH(t->cases, t->n, t->cap);
	c = &t->cases[t->n++];
	*c = (struct junit_case){ xstrdup(classname), xstrdup(step),
				  JUNIT_PASSED, NULL, NULL };
	if (not_graded) {
		c->result = JUNIT_ERROR;
		c->message = xasprintf("not graded: %s", not_graded);
	} else if (jd->verdict != VERDICT_PASSED) {
		c->result = jd->verdict == VERDICT_SKIPPED ? JUNIT_SKIPPED :
			    JUNIT_FAILURE;
		c->message = summary_explain(jd);
	}
}

/* One exercise's steps going into the JUnit. */
struct judging {
	struct tally *t;
	const char *classname;
	const char *not_graded;  /* the grader's failure, or NULL */
	bool all;                /* every step passed so far */
};

/* check_exercise_judge()'s: step i judged. */
static void step_judged(const struct check_exercise *x, size_t i,
			struct check_judgement *jd, void *arg)
{
	struct judging *g = arg;

	g->all = g->all && jd->verdict == VERDICT_PASSED && !g->not_graded;
	junit_case(g->t, g->classname, jd, x->ex->steps[i].id, g->not_graded);
}

/* The graded steps of one exercise into `t`; false when one did not
 * pass, or the exercise could not be graded (*graded false then).  A
 * results file that does not load is judged as none. */
static bool judge_exercise(const struct student_job *j, const char *id,
			   struct tally *t, bool *graded)
{
	char *classname = xasprintf("%s.%s.%s", j->spec->lab_id, j->name, id);
	struct judging g = { t, classname, NULL, true };
	struct check_exercise x;
	char *not_graded;

	check_exercise_load(&x, j->spec, spec_exercise(j->spec, id), j->dir);
	not_graded = summary_not_graded(x.loaded ? &x.res : NULL);
	*graded = *graded && !not_graded;
	g.not_graded = not_graded;
	check_exercise_judge(&x, step_judged, &g);
	check_exercise_free(&x);
	free(not_graded);
	free(classname);
	return g.all;
}

/* junit.xml: one suite, the student; a test case per graded step. */
static int write_junit(const struct student_job *j, bool *all, bool *graded)
{
	struct tally t = { 0 };
	struct sb xml;
	char *path = layout_file(j->dir, LAYOUT_JUNIT);
	char *name = xasprintf("%s.%s", j->spec->lab_id, j->name);
	struct junit_suite suite = { name, 0, NULL, false, 0, 0 };
	int rc;

	sb_init(&xml);
	*all = *graded = true;
	for (size_t i = 0; i < j->nexercises; i++)
		*all = judge_exercise(j, j->exercises[i], &t, graded) && *all;
	suite.ncases = t.n;
	suite.cases = t.cases;
	junit_write(&xml, &suite, 1);
	rc = fs_write_atomic(path, xml.buf, xml.len);
	for (size_t i = 0; i < t.n; i++) {
		free((char *)t.cases[i].classname);
		free((char *)t.cases[i].name);
		free((char *)t.cases[i].message);
	}
	free(t.cases);
	sb_release(&xml);
	free(name);
	free(path);
	return rc;
}

int student_grade(const struct student_job *j)
{
	struct report_opts ro = { .results_dir = j->dir, .lang = j->lang };
	struct report_summary sum = { 0 };
	bool all = false, graded = true;
	int rc = 0;

	for (size_t i = 0; rc >= 0 && i < j->nexercises; i++) {
		const struct plan_exercise *pe = plan_exercise(j->plan,
							       j->exercises[i]);

		rc = pe ? grade_exercise(j, pe) :
		     error("no exercise '%s' in '%s'", j->exercises[i],
			   j->plan->path);
	}
	if (rc >= 0)
		rc = write_junit(j, &all, &graded);
	if (rc == 0) {
		int r = report_write(j->spec, &ro, &sum);

		report_summary_free(&sum);
		rc = r == EXIT_OK || r == EXIT_CHECK_FAILED ? 0 : -1;
	}
	if (rc < 0)
		return EXIT_INTERNAL;
	return !graded ? EXIT_NOT_GRADED : all ? EXIT_OK : EXIT_CHECK_FAILED;
}
