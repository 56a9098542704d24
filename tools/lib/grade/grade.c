/*
 * grade.c — `labkit grade` (grade.h): the class, the shard of it this
 * machine grades, a process per student, at most `jobs` at once, and the
 * class table at the end.
 *
 * What a grading shares is the lab's build tree, as its grading plan
 * (plan.h) says: kernels, headers, the base root file systems.  Each
 * student runs in a child process of its own process group, with its
 * output in students/<name>/grade.log; a student whose process fails
 * fails alone.  SIGINT, SIGTERM or SIGHUP stop the children (each kills
 * its guest and sandbox, as `labkit run` does on a signal; SIGKILL after
 * a grace period) before grading returns.  Refusals are messages naming
 * the submission, option or file at fault, before anything is graded.
 */
#include "grade.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include "events.h"
#include "layout.h"
#include "plan.h"
#include "proc.h"
#include "sandbox.h"
#include "student.h"
#include "summary.h"
#include "util.h"
#include "vm.h"

struct submission {
	char *name;
	char *path;              /* canonical */
	pid_t pid;               /* while its student is graded */
	double started;
	int rc;
};

struct class {
	const struct spec *spec;
	const struct grade_opts *o;
	struct plan plan;
	size_t nsubs, cap;
	struct submission *subs;
	size_t nexercises;
	const char **exercises;
	const char **hide;       /* every submission and the grading,
				    NULL-terminated */
	size_t nhide;
	char *unsandboxed_why;
};

/* ---- the class ---- */

static int add_submission(struct class *c, const char *dir)
{
	char real[PATH_MAX];
	const char *base;
	struct stat st;

	if (!realpath(dir, real) || stat(real, &st) < 0 || !S_ISDIR(st.st_mode))
		return error("submission '%s' is not a directory", dir);
	base = strrchr(real, '/') ? strrchr(real, '/') + 1 : real;
	if (!summary_student_name_ok(base))
		return error("submission '%s': '%s' cannot name a student (letters, digits, '.', '_', '-', not starting with '.')",
			     dir, base);
	ARRAY_PUSH(c->subs, c->nsubs, c->cap);
	c->subs[c->nsubs++] = (struct submission){
		.name = xstrdup(base), .path = xstrdup(real) };
	return 0;
}

static int add_class_dir(struct class *c, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;

	if (!d)
		return error("cannot open '%s': %s", dir, strerror(errno));
	while (rc == 0 && (e = readdir(d))) {
		char *path = xasprintf("%s/%s", dir, e->d_name);
		struct stat st;

		if (e->d_name[0] != '.' && stat(path, &st) == 0 &&
		    S_ISDIR(st.st_mode))
			rc = add_submission(c, path);
		free(path);
	}
	closedir(d);
	return rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct submission *)a)->name,
		      ((const struct submission *)b)->name);
}

/* The submissions, in name order, each name once; the hide list; then
 * only this shard's share. */
static int gather(struct class *c)
{
	const struct grade_opts *o = c->o;
	size_t keep = 0;

	for (size_t i = 0; i < o->nsubmissions; i++)
		if (add_submission(c, o->submissions[i]) < 0)
			return -1;
	if (o->class_dir && add_class_dir(c, o->class_dir) < 0)
		return -1;
	if (!c->nsubs)
		return error("no submission to grade");
	qsort(c->subs, c->nsubs, sizeof(*c->subs), by_name);
	c->hide = xcalloc(c->nsubs + 2, sizeof(*c->hide));
	for (size_t i = 0; i < c->nsubs; i++) {
		if (i && !strcmp(c->subs[i].name, c->subs[i - 1].name))
			return error("two submissions of student '%s': '%s' and '%s'",
				     c->subs[i].name, c->subs[i - 1].path,
				     c->subs[i].path);
		c->hide[c->nhide++] = xstrdup(c->subs[i].path);
	}
	for (size_t i = 0; i < c->nsubs; i++) {
		if (o->nshards && i % o->nshards != o->shard - 1) {
			free(c->subs[i].name);
			free(c->subs[i].path);
			continue;
		}
		c->subs[keep++] = c->subs[i];
	}
	c->nsubs = keep;
	return 0;
}

/* ---- what is graded, and with what ---- */

static bool builds_kernel(const struct spec_exercise *ex)
{
	for (size_t i = 0; i < ex->nsteps; i++)
		if (ex->steps[i].kind == STEP_BUILD)
			return true;
	return false;
}

/* Does exercise `ex` boot a guest that is a process of the host (UML)? */
static bool runs_on_the_host(const struct spec *spec,
			     const struct spec_exercise *ex)
{
	const struct vm_arch *a;

	if (!ex->guest)
		return false;
	a = vm_arch_find(spec_kernel(spec, ex->guest->kernel)->arch);
	return a && a->host_process;
}

/* An exercise a submission can be graded on; NULL, or why not. */
static char *not_gradable(const struct class *c, const char *id)
{
	const struct spec_exercise *ex = spec_exercise(c->spec, id);
	const struct plan_exercise *pe = plan_exercise(&c->plan, id);

	if (!ex)
		return xasprintf("no exercise '%s' in '%s'", id, c->spec->file);
	if (builds_kernel(ex))
		return xasprintf("exercise '%s' builds a kernel: the lab's work, not a submission's", id);
	if (runs_on_the_host(c->spec, ex))
		return xasprintf("exercise '%s' boots a %s guest, whose kernel is a process of this machine: a student's module loaded there would run as host code, outside any sandbox (grade module exercises in a QEMU guest)",
				 id, spec_kernel(c->spec, ex->guest->kernel)->arch);
	if (!pe || !pe->nmodules)
		return xasprintf("exercise '%s' takes no module from a submission (it has no `module:`, or its kernel is not had in '%s')",
				 id, c->o->build_dir);
	return NULL;
}

/* The exercises graded, in spec order: those asked for, or each one a
 * submission can be graded on. */
static int pick_exercises(struct class *c)
{
	const struct grade_opts *o = c->o;
	char *why;

	c->exercises = xcalloc(c->spec->nexercises + 1, sizeof(*c->exercises));
	for (size_t i = 0; i < o->nexercises; i++)
		if ((why = not_gradable(c, o->exercises[i])))
			return error("%s", why), free(why), -1;
	for (size_t i = 0; i < c->spec->nexercises; i++) {
		const char *id = c->spec->exercises[i].id;
		bool asked = !o->nexercises;

		for (size_t k = 0; k < o->nexercises; k++)
			asked = asked || !strcmp(o->exercises[k], id);
		if (!asked || (why = not_gradable(c, id))) {
			free(asked ? why : NULL);
			continue;
		}
		c->exercises[c->nexercises++] = id;
	}
	if (!c->nexercises)
		return error("no exercise of lab '%s' takes a module from a submission; name one with --exercise",
			     c->spec->lab_id);
	return 0;
}

/* The build tree's plan, for this spec. */
static int load_plan(struct class *c)
{
	char *path = layout_grade_plan(c->o->build_dir, c->spec->lab_id);
	char a[PATH_MAX], b[PATH_MAX];
	int rc = plan_load(&c->plan, path);

	if (rc == 0 && (!realpath(c->plan.spec, a) || !realpath(c->spec->file, b) ||
			strcmp(a, b)))
		rc = error("'%s' is configured for '%s', not '%s'", c->o->build_dir,
			   c->plan.spec, c->spec->file);
	if (rc < 0 && access(path, F_OK) < 0)
		error("configure and build lab '%s' in '%s' first (cmake -S <lab> -B %s && cmake --build %s)",
		      c->spec->lab_id, c->o->build_dir, c->o->build_dir,
		      c->o->build_dir);
	free(path);
	return rc;
}

/* A sandbox, or --unsandboxed. */
static int check_sandbox(struct class *c)
{
	char *why = NULL;

	if (sandbox_probe(&why) == 0)
		return 0;
	if (!c->o->unsandboxed) {
		error("submissions cannot be built in a sandbox here: %s (--unsandboxed grades without one, and the summary says so)",
		      why);
		free(why);
		return -1;
	}
	warning("grading without a sandbox: %s", why);
	c->unsandboxed_why = why;
	return 0;
}

/* ---- the students, `jobs` at a time ---- */

/* In the child: the student's directory afresh, its log, the grading. */
static void grade_child(const struct class *c, const struct submission *s)
{
	char *dir = layout_student_dir(c->o->out_dir, s->name);
	char *log = layout_file(dir, LAYOUT_GRADE_LOG);
	struct student_job j = {
		.spec = c->spec, .plan = &c->plan, .name = s->name,
		.submission = s->path, .dir = dir,
		.nexercises = c->nexercises, .exercises = c->exercises,
		.hide = c->hide, .unsandboxed_why = c->unsandboxed_why,
		.lang = c->o->lang,
	};
	int fd, rc;

	setpgid(0, 0);
	if (fs_remove_tree(dir) < 0 || fs_mkdirs(dir, 0755) < 0 ||
	    (fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0) {
		error("%s: cannot make '%s': %s", s->name, dir, strerror(errno));
		_exit(EXIT_INTERNAL);
	}
	fflush(stdout);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	proc_catch_signals();
	rc = student_grade(&j);
	fflush(stdout);
	fflush(stderr);
	_exit(rc);
}

static void done(const struct class *c, struct submission *s, int status,
		 size_t ndone)
{
	char buf[64];
	double t = now_monotonic() - s->started;

	s->pid = 0;
	s->rc = WIFEXITED(status) ? WEXITSTATUS(status) : EXIT_INTERNAL;
	events_note(c->spec->lab_id, NULL, "[%zu/%zu] %s: %s (%.1f s)", ndone,
		    c->nsubs, s->name,
		    s->rc == EXIT_OK ? "every step passed" :
		    s->rc == EXIT_CHECK_FAILED ? "a step did not pass" :
		    s->rc == EXIT_NOT_GRADED ? "NOT GRADED: the grader failed, not the student (see its grade.log)" :
		    WIFEXITED(status) ? "grading failed (see its grade.log)" :
		    proc_status_str(status, buf, sizeof(buf)), t);
}

/* Stops every student in progress: SIGTERM to each one's group (each
 * kills its guest and sandbox), SIGKILL to those left after `grace`. */
static void stop_all(struct class *c, double grace)
{
	double deadline = now_monotonic() + grace;
	size_t left = 0;

	for (size_t i = 0; i < c->nsubs; i++)
		if (c->subs[i].pid > 0 && kill(-c->subs[i].pid, SIGTERM) == 0)
			left++;
	while (left) {
		int st;
		pid_t pid = waitpid(-1, &st, WNOHANG);

		if (pid < 0 && errno == ECHILD)
			break;
		for (size_t i = 0; pid > 0 && i < c->nsubs; i++)
			if (c->subs[i].pid == pid) {
				c->subs[i].pid = 0;
				c->subs[i].rc = EXIT_INTERNAL;
				left--;
			}
		if (pid <= 0 && now_monotonic() > deadline) {
			for (size_t i = 0; i < c->nsubs; i++)
				if (c->subs[i].pid > 0)
					kill(-c->subs[i].pid, SIGKILL);
			deadline = now_monotonic() + 60;
		}
		if (pid <= 0)
			usleep(50 * 1000);
	}
}

/* Grades every submission; -1 when interrupted. */
static int run_pool(struct class *c, int jobs)
{
	size_t next = 0, running = 0, ndone = 0;

	while (next < c->nsubs || running) {
		int st;
		pid_t pid;

		while (!proc_interrupted && running < (size_t)jobs &&
		       next < c->nsubs) {
			struct submission *s = &c->subs[next++];

			s->started = now_monotonic();
			fflush(NULL);
			if ((s->pid = fork()) < 0)
				return error("cannot fork: %s", strerror(errno));
			if (s->pid == 0)
				grade_child(c, s);
			setpgid(s->pid, s->pid);
			running++;
		}
		if (proc_interrupted) {
			stop_all(c, 15);
			return error("interrupted: %zu of %zu students graded",
				     ndone, c->nsubs);
		}
		pid = waitpid(-1, &st, 0);
		for (size_t i = 0; pid > 0 && i < c->nsubs; i++)
			if (c->subs[i].pid == pid) {
				done(c, &c->subs[i], st, ++ndone);
				running--;
			}
		if (pid < 0 && errno != EINTR)
			return error("waitpid: %s", strerror(errno));
	}
	return 0;
}

/* ---- the grading ---- */

static void class_free(struct class *c)
{
	for (size_t i = 0; i < c->nsubs; i++) {
		free(c->subs[i].name);
		free(c->subs[i].path);
	}
	for (size_t i = 0; c->hide && c->hide[i]; i++)
		free((char *)c->hide[i]);
	free(c->hide);
	free(c->subs);
	free(c->exercises);
	free(c->unsandboxed_why);
	plan_free(&c->plan);
}

/* The grading itself is hidden from the builds too: the other students'
 * copies and results are in it (each build sees its own directory, bound
 * over the empty one). */
static void hide_grading(struct class *c)
{
	char real[PATH_MAX];

	if (realpath(c->o->out_dir, real))
		c->hide[c->nhide++] = xstrdup(real);
}

/* --retry: only the students of <out> that are not graded yet (a
 * failure of the grader, or never graded), on the exercises <out> was
 * graded on. */
static int retry_only(struct class *c)
{
	char *path = layout_file(c->o->out_dir, LAYOUT_GRADE_YAML);
	struct summary_grade g;
	size_t keep = 0;
	int rc = summary_grade_load(&g, path, c->spec);

	for (size_t i = 0; rc == 0 && i < c->nexercises; i++)
		if (g.nexercises != c->nexercises ||
		    strcmp(g.exercises[i], c->exercises[i]))
			rc = error("--retry: '%s' graded other exercises; give the same --exercise as that grading",
				   path);
	for (size_t i = 0; rc == 0 && i < c->nsubs; i++) {
		struct submission *s = &c->subs[i];

		if (summary_student_graded(c->spec, c->o->out_dir, s->name)) {
			free(s->name);
			free(s->path);
			continue;
		}
		c->subs[keep++] = *s;
	}
	if (rc == 0)
		c->nsubs = keep;
	summary_grade_free(&g);
	free(path);
	return rc;
}

static int write_grade_yaml(const struct class *c)
{
	struct summary_grade g = {
		.lab = (char *)c->spec->lab_id, .nexercises = c->nexercises,
		.exercises = (char **)c->exercises,
	};
	char *path = layout_file(c->o->out_dir, LAYOUT_GRADE_YAML);
	int rc = fs_mkdirs(c->o->out_dir, 0755) < 0 ?
		 error("cannot create '%s': %s", c->o->out_dir, strerror(errno)) :
		 summary_grade_write(&g, path);

	free(path);
	return rc;
}

/* The user's paths, each made absolute once, here at the start: a
 * student's tools run in directories of their own (cpio in its tree, make
 * in the sandbox), where a relative path names nothing. */
static void absolute_paths(const struct grade_opts *o, struct grade_opts *abs,
			   char **owned)
{
	*abs = *o;
	abs->build_dir = owned[0] = fs_absolute(o->build_dir);
	abs->out_dir = owned[1] = fs_absolute(o->out_dir);
	abs->class_dir = owned[2] = o->class_dir ? fs_absolute(o->class_dir) : NULL;
}

int grade_class(const struct spec *spec, const struct grade_opts *given)
{
	struct grade_opts abs, *o = &abs;
	char *owned[3];
	struct class c = { .spec = spec, .o = o };
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int jobs = given->jobs > 0 ? given->jobs : cores > 0 ? (int)cores : 1;
	double t0 = now_monotonic();
	size_t passed = 0;
	int rc = EXIT_USAGE;

	absolute_paths(given, &abs, owned);
	if (o->nshards && (o->shard < 1 || o->shard > o->nshards)) {
		error("shard %u/%u: the share must be 1 to %u", o->shard,
		      o->nshards, o->nshards);
		goto out;
	}
	if (load_plan(&c) < 0 || pick_exercises(&c) < 0 || gather(&c) < 0 ||
	    (o->retry && retry_only(&c) < 0) || check_sandbox(&c) < 0)
		goto out;
	rc = EXIT_INTERNAL;
	if (write_grade_yaml(&c) < 0)
		goto out;
	hide_grading(&c);
	proc_catch_signals();
	events_note(spec->lab_id, NULL, "grading %zu students%s on %zu exercise(s), %d at a time%s",
		    c.nsubs, o->nshards ? " (this shard's share)" : "",
		    c.nexercises, jobs,
		    c.unsandboxed_why ? ", WITHOUT a sandbox" : ", each build in a sandbox");
	if (run_pool(&c, jobs) < 0)
		goto out;
	for (size_t i = 0; i < c.nsubs; i++)
		passed += c.subs[i].rc == EXIT_OK;
	rc = summary_write(spec, o->out_dir);
	if (rc == EXIT_NOT_GRADED)
		events_note(spec->lab_id, NULL, "some students could not be graded, for a failure of the grader (summary.csv says who and why): labkit grade --retry grades them again");
	if (rc == EXIT_OK && !c.nsubs)
		events_note(spec->lab_id, NULL, "every student of %s is graded: nothing to grade again",
			    o->out_dir);
	if (rc == EXIT_OK && c.nsubs) {
		double t = now_monotonic() - t0;

		events_note(spec->lab_id, NULL, "%zu students graded in %.1f s (%.1f s each, %d at a time): %zu passed every step; %s/%s, %s/%s",
			    c.nsubs, t, t / (double)c.nsubs, jobs, passed,
			    o->out_dir, layout_name(LAYOUT_SUMMARY_CSV),
			    o->out_dir, layout_name(LAYOUT_SUMMARY_HTML));
		rc = passed == c.nsubs ? EXIT_OK : EXIT_CHECK_FAILED;
	}
out:
	class_free(&c);
	for (size_t i = 0; i < 3; i++)
		free(owned[i]);
	return rc;
}

int grade_summary(const struct spec *spec, const char *out_dir)
{
	return summary_write(spec, out_dir);
}
