/*
 * modbuild.c — one submission's kernel module built the kbuild way
 * (`make -C <headers> M=<dir> modules`), contained: the submission is
 * copied into a fresh build directory first (regular files and
 * directories only, so a symbolic link cannot pull a host file into the
 * build; with caps on size and count), and make runs through
 * sandbox_run(), which sees the copy (writable), the headers and the
 * build directories of the modules it uses (read-only; their
 * Module.symvers as KBUILD_EXTRA_SYMBOLS) and the system, and nothing
 * else of the host.  Its output goes to <dir>/build.log, written by us,
 * not by the build.
 *
 * A build that fails is a result, with one line a teacher reads: the
 * first compiler error, the missing .ko, the last error line of make or
 * of a command, or the sandbox's reason (deadline, output cap, CPU, the
 * processes or the memory of the whole build).
 * Only what keeps the submission from being judged at all (bad options,
 * no headers, the build directory or the sandbox failing) is an error.
 */
#include "modbuild.h"
#include "vm.h"
#include "layout.h"
#include "sandbox.h"
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_TIMEOUT 120.0
#define DEFAULT_CPU 300.0
#define DEFAULT_MEMORY (4ULL << 30)
#define DEFAULT_PROCS 256           /* 8 at once at -j1, ~30 at -j8 */
#define DEFAULT_TOTAL (1ULL << 30)  /* ~120-220 MiB at -j1, ~750 at -j8 */
#define DEFAULT_FILE (256ULL << 20)
#define DEFAULT_MAX_BYTES (16U << 20)
#define DEFAULT_MAX_FILES 1000
#define MAX_DEPTH 16
#define REASON_MAX 400            /* bytes of a reason line */

/* The copy of a submission in progress. */
struct copy {
	const char *src, *dst;        /* for messages */
	size_t bytes, files, max_bytes, max_files;
	struct sb skipped;            /* "labkit: not copied: ..." lines */
	char *over;                   /* set when a cap stopped the copy */
};

static const char *kind_name(mode_t m)
{
	if (S_ISLNK(m))
		return "a symbolic link";
	if (S_ISFIFO(m))
		return "a fifo";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	return "not a regular file";
}

/* One regular file, opened without following a link (it may have been
 * swapped since fstatat) and checked again. */
static int copy_file(struct copy *c, int sfd, int dfd, const char *name,
		     const char *rel)
{
	int in, out = -1, rc = -1;
	char buf[65536];
	struct stat st;
	ssize_t n;

	in = openat(sfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (in < 0 || fstat(in, &st) < 0) {
		error("cannot read '%s/%s': %m", c->src, rel);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		sb_addf(&c->skipped, "labkit: not copied: %s (%s)\n", rel,
			kind_name(st.st_mode));
		rc = 0;
		goto out;
	}
	out = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		     st.st_mode & 0111 ? 0755 : 0644);
	if (out < 0) {
		error("cannot create '%s/%s': %m", c->dst, rel);
		goto out;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0 && !c->over) {
		c->bytes += (size_t)n;
		if (c->bytes > c->max_bytes) {
			char *size = sandbox_size_str(c->max_bytes);

			c->over = xasprintf("the submission is larger than %s", size);
			free(size);
		} else if (fs_write_all(out, buf, (size_t)n) < 0) {
			error("cannot write '%s/%s': %m", c->dst, rel);
			goto out;
		}
	}
	if (n < 0)
		error("cannot read '%s/%s': %m", c->src, rel);
	else
		rc = 0;
out:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return rc;
}

static int copy_dir(struct copy *c, int sfd, int dfd, const char *rel,
		    int depth);

static int copy_subdir(struct copy *c, int sfd, int dfd, const char *name,
		       const char *rel, int depth)
{
	int in, out = -1, rc = -1;

	if (depth >= MAX_DEPTH) {
		c->over = xasprintf("the submission nests directories deeper "
				    "than %d", MAX_DEPTH);
		return 0;
	}
	in = openat(sfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0)
		return error("cannot read '%s/%s': %m", c->src, rel);
	if (mkdirat(dfd, name, 0755) < 0 ||
	    (out = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			  O_CLOEXEC)) < 0)
		error("cannot create '%s/%s': %m", c->dst, rel);
	else
		rc = copy_dir(c, in, out, rel, depth + 1);
	close(in);
	if (out >= 0)
		close(out);
	return rc;
}

/* Directory `sfd` into `dfd`: what is neither a file nor a directory is
 * named in c->skipped; a cap reached sets c->over and stops. */
static int copy_dir(struct copy *c, int sfd, int dfd, const char *rel,
		    int depth)
{
	int fd = dup(sfd), rc = 0;
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return error("cannot read '%s/%s': %m", c->src, rel);
	}
	while (rc == 0 && !c->over && (de = readdir(d))) {
		struct stat st;
		char *path;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		path = *rel ? xasprintf("%s/%s", rel, de->d_name) :
			      xstrdup(de->d_name);
		if (fstatat(sfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			rc = error("cannot read '%s/%s': %m", c->src, path);
		else if (++c->files > c->max_files)
			c->over = xasprintf("the submission has more than %zu files",
					    c->max_files);
		else if (S_ISDIR(st.st_mode))
			rc = copy_subdir(c, sfd, dfd, de->d_name, path, depth);
		else if (S_ISREG(st.st_mode))
			rc = copy_file(c, sfd, dfd, de->d_name, path);
		else
			sb_addf(&c->skipped, "labkit: not copied: %s (%s)\n", path,
				kind_name(st.st_mode));
		free(path);
	}
	closedir(d);
	return rc;
}

static int copy_submission(const struct modbuild_opts *o, const char *dir,
			   struct copy *c)
{
	int sfd, dfd, rc = -1;

	c->src = o->src;
	c->dst = dir;
	c->max_bytes = o->max_bytes ? o->max_bytes : DEFAULT_MAX_BYTES;
	c->max_files = o->max_files ? o->max_files : DEFAULT_MAX_FILES;
	sfd = open(o->src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sfd < 0)
		return error("cannot read '%s': %m", o->src);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		error("cannot open '%s': %m", dir);
	else
		rc = copy_dir(c, sfd, dfd, "", 0);
	close(sfd);
	if (dfd >= 0)
		close(dfd);
	return rc;
}

/* A regular Makefile or Kbuild, what kbuild reads in M=. */
static bool has_makefile(const char *src)
{
	static const char *const names[] = { "Makefile", "Kbuild" };
	struct stat st;

	for (size_t i = 0; i < 2; i++) {
		char *path = xasprintf("%s/%s", src, names[i]);
		bool found = lstat(path, &st) == 0 && S_ISREG(st.st_mode);

		free(path);
		if (found)
			return true;
	}
	return false;
}

/* May `dir` be removed: empty, or a build directory of ours (build.log)? */
static bool removable(const char *dir)
{
	char *log = layout_file(dir, LAYOUT_BUILD_LOG);
	DIR *d = opendir(dir);
	struct dirent *de;
	bool empty = true, ours = access(log, F_OK) == 0;

	while (d && empty && (de = readdir(d)))
		empty = !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..");
	if (d)
		closedir(d);
	free(log);
	return d && (empty || ours);
}

/* The build dir, canonical, made afresh with an empty build.log (which
 * marks it ours); never the submission itself, a directory holding it or
 * one inside it, nor a directory of something else. */
static char *fresh_dir(const struct modbuild_opts *o)
{
	char *src = realpath(o->src, NULL), *dir = NULL, *log = NULL;

	if (!src) {
		error("cannot find '%s': %m", o->src);
		return NULL;
	}
	if (fs_mkdirs(o->dir, 0755) < 0 || !(dir = realpath(o->dir, NULL)))
		error("cannot create '%s': %m", o->dir);
	else if (!strcmp(dir, "/") || fs_path_under(dir, src) || fs_path_under(src, dir))
		error("'%s': the build directory cannot hold the submission "
		      "'%s' or be inside it", o->dir, o->src);
	else if (!removable(dir))
		error("'%s' is not empty and not a build directory (no "
		      "build.log): not removing it", o->dir);
	else if (log = layout_file(dir, LAYOUT_BUILD_LOG), fs_remove_tree(dir) < 0 ||
		 mkdir(dir, 0755) < 0 || fs_write_atomic(log, "", 0) < 0)
		error("cannot make '%s' afresh: %m", dir);
	else {
		free(log);
		free(src);
		return dir;
	}
	free(log);
	free(src);
	free(dir);
	return NULL;
}

/* What a build gets of the modules it uses (o->symvers). */
struct uses {
	char **dirs;             /* their directories, canonical;
				    NULL-terminated */
	char *arg;               /* KBUILD_EXTRA_SYMBOLS=<canonical paths>, or
				    NULL when it uses none */
};

static void uses_free(struct uses *u)
{
	for (size_t i = 0; u->dirs && u->dirs[i]; i++)
		free(u->dirs[i]);
	free(u->dirs);
	free(u->arg);
}

/* o->symvers, each a regular file (not a link) in a directory whose
 * canonical path has no blank (kbuild splits the list on blanks).  0, or
 * -1 with an error. */
static int uses_of(const struct modbuild_opts *o, struct uses *u)
{
	size_t n = 0;
	struct sb arg;
	struct stat st;

	while (o->symvers && o->symvers[n])
		n++;
	u->dirs = xcalloc(n + 1, sizeof(*u->dirs));
	sb_init(&arg);
	sb_adds(&arg, "KBUILD_EXTRA_SYMBOLS=");
	for (size_t i = 0; i < n; i++) {
		const char *f = o->symvers[i], *slash = strrchr(f, '/');
		char *dir = slash ? xstrndup(f, (size_t)(slash - f) + (slash == f)) :
				    xstrdup(".");

		u->dirs[i] = realpath(dir, NULL);
		free(dir);
		if (lstat(f, &st) < 0 || !S_ISREG(st.st_mode) || !u->dirs[i] ||
		    strpbrk(u->dirs[i], " \t\n")) {
			sb_release(&arg);
			return error("'%s': no Module.symvers of a module built "
				     "there (not a regular file, or a path with "
				     "a blank)", f);
		}
		sb_addf(&arg, "%s%s/%s", i ? " " : "", u->dirs[i],
			slash ? slash + 1 : f);
	}
	if (n)
		u->arg = sb_detach(&arg, NULL);
	else
		sb_release(&arg);
	return 0;
}

/* The headers, canonical, the target of their `source` link and the
 * directories of the modules it uses: the read-only directories of the
 * build, before the caller's. */
static const char **ro_dirs(const struct modbuild_opts *o, char *headers,
			    const struct uses *u, char **source)
{
	size_t n = 0, nu = 0, at = 0;
	const char **dirs;
	char *link = xasprintf("%s/source", headers);
	struct stat st;

	*source = NULL;
	if (lstat(link, &st) == 0 && S_ISLNK(st.st_mode))
		*source = realpath(link, NULL);
	free(link);
	while (o->ro_dirs && o->ro_dirs[n])
		n++;
	while (u->dirs && u->dirs[nu])
		nu++;
	dirs = xcalloc(n + nu + 3, sizeof(*dirs));
	dirs[at++] = headers;
	if (*source)
		dirs[at++] = *source;
	for (size_t i = 0; i < nu; i++)
		dirs[at++] = u->dirs[i];
	for (size_t i = 0; i < n; i++)
		dirs[at++] = o->ro_dirs[i];
	return dirs;
}

/* make in the sandbox, its messages in plain ASCII (LANG=C: the kernel's
 * Makefile unexports LC_ALL). */
static int run_make(const struct modbuild_opts *o, const char *dir,
		    char *headers, const struct uses *u,
		    struct sandbox_result *sr)
{
	const struct vm_arch *a = o->arch ? vm_arch_find(o->arch) : NULL;
	bool cross = a && a->cross_compile && *a->cross_compile;
	char *mdir = xasprintf("M=%s", dir), *source;
	char *karch = cross ? xasprintf("ARCH=%s", a->kernel_arch) : NULL;
	char *kcross = cross ? xasprintf("CROSS_COMPILE=%s", a->cross_compile) : NULL;
	char *argv[8] = { "make", "-C", headers, mdir };
	size_t n = 4;

	if (cross) {
		argv[n++] = karch;
		argv[n++] = kcross;
	}
	if (u->arg)
		argv[n++] = u->arg;
	argv[n++] = "modules";
	char *env[] = { "LANG=C", NULL };
	const char **ro = ro_dirs(o, headers, u, &source);
	struct sandbox_opts so = {
		.argv = argv, .rw_dir = dir, .ro_dirs = ro, .hide = o->hide,
		.env = env, .unsandboxed = o->unsandboxed,
		.timeout = o->timeout > 0 ? o->timeout : DEFAULT_TIMEOUT,
		.cpu_seconds = o->cpu_seconds > 0 ? o->cpu_seconds : DEFAULT_CPU,
		.memory_bytes = o->memory_bytes ? o->memory_bytes : DEFAULT_MEMORY,
		.max_procs = o->max_procs ? o->max_procs : DEFAULT_PROCS,
		.memory_total_bytes = o->memory_total_bytes ?: DEFAULT_TOTAL,
		.file_bytes = o->file_bytes ? o->file_bytes : DEFAULT_FILE,
		.output_cap = o->output_cap,
	};
	int rc = sandbox_run(&so, sr);

	free(ro);
	free(source);
	free(mdir);
	free(karch);
	free(kcross);
	return rc;
}

/* Every "<dir>/" taken out of a line, which is cut at REASON_MAX bytes
 * (not inside a UTF-8 character). */
static char *strip_dir(const char *line, size_t len, const char *dir)
{
	char *prefix = xasprintf("%s/", dir);
	size_t plen = strlen(prefix);
	struct sb sb;

	sb_init(&sb);
	for (size_t i = 0; i < len;) {
		if (len - i >= plen && !memcmp(line + i, prefix, plen))
			i += plen;
		else
			sb_addc(&sb, line[i++]);
	}
	if (sb.len > REASON_MAX) {
		size_t cut = REASON_MAX;

		while (cut > 0 && (sb.buf[cut] & 0xc0) == 0x80)
			cut--;
		sb.len = cut;
		sb_adds(&sb, "...");
	}
	free(prefix);
	return sb_detach(&sb, NULL);
}

/* "file:12:5: error: ..." or "file:12: fatal error: ..." */
static bool compiler_error(const char *line, size_t len)
{
	static const char *const marks[] = { ": error: ", ": fatal error: " };
	const char *e = NULL, *p;
	int groups = 0;

	for (size_t i = 0; i < 2 && !e; i++)
		e = memmem(line, len, marks[i], strlen(marks[i]));
	for (p = e; p && groups < 2; groups++) {
		const char *q = p;

		while (q > line && isdigit((unsigned char)q[-1]))
			q--;
		if (q == p || q - 1 <= line || q[-1] != ':')
			break;
		p = q - 1;
	}
	return e && groups > 0;
}

/* make's own echoes of a failure and kbuild's progress lines, which say
 * nothing of the cause. */
static bool is_noise(const char *l, size_t n)
{
	static const char *const make_echoes[] = {
		": Entering directory", ": Leaving directory",
		"*** Waiting for unfinished jobs", "*** Deleting file ",
	};

	while (n > 0 && isspace((unsigned char)l[n - 1]))
		n--;
	if (n == 0 || !strncmp(l, "Skipping BTF generation", 23))
		return true;
	if (n > 3 && l[0] == ' ' && l[1] == ' ' && isupper((unsigned char)l[2]))
		return true;
	if (strncmp(l, "make", 4))
		return false;
	for (size_t i = 0; i < sizeof(make_echoes) / sizeof(make_echoes[0]); i++)
		if (memmem(l, n, make_echoes[i], strlen(make_echoes[i])))
			return true;
	return memmem(l, n, "] Error ", 8) != NULL; /* "*** [...] Error 1" */
}

/* The first compiler error line, else the last line that is not noise. */
static char *error_line(const char *out, const char *dir)
{
	const char *last = NULL, *s = out;
	size_t last_len = 0;

	while (*s) {
		size_t len = strcspn(s, "\n");

		if (compiler_error(s, len))
			return strip_dir(s, len, dir);
		if (!is_noise(s, len)) {
			last = s;
			last_len = len;
		}
		s += len + (s[len] == '\n');
	}
	return last ? strip_dir(last, last_len, dir) : NULL;
}

static char *build_reason(const struct modbuild_opts *o, const char *dir,
			  const struct sandbox_result *sr, bool have_ko)
{
	char *line;

	if (sr->timed_out || sr->output_capped || sr->interrupted ||
	    sr->cpu_limit || sr->file_limit || sr->procs_limit ||
	    sr->memory_limit)
		return xstrdup(sr->reason);
	if (sr->status == 0)
		return have_ko ? NULL : xasprintf("the module built no %s.ko (its "
			"Kbuild must have obj-m := %s.o)", o->name, o->name);
	line = error_line(sr->output ? sr->output : "", dir);
	return line ? line : xasprintf("make failed: %s", sr->reason);
}

/* build.log: what was not copied, the build's output, how it ended. */
static int write_log(const char *path, const struct copy *c,
		     const struct sandbox_result *sr)
{
	struct sb log;
	int rc;

	sb_init(&log);
	sb_add(&log, c->skipped.buf, c->skipped.len);
	if (sr->output)
		sb_add(&log, sr->output, sr->output_len);
	if (sr->reason)
		sb_addf(&log, "%slabkit: %s\n", log.len && log.buf[log.len - 1] !=
			'\n' ? "\n" : "", sr->reason);
	/* The build could leave anything there (a directory, a link). */
	rc = fs_remove_tree(path) < 0 ? -1 :
	     fs_write_atomic(path, log.buf, log.len);
	if (rc < 0)
		error("cannot write '%s': %m", path);
	sb_release(&log);
	return rc;
}

static bool valid_name(const char *name)
{
	if (!name || !*name)
		return false;
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
			return false;
	return true;
}

/* Copies, builds, judges: with `dir` made afresh, `headers` found and
 * what it uses checked. */
static int build_in(const struct modbuild_opts *o, const char *dir,
		    char *headers, const struct uses *u,
		    struct modbuild_result *r)
{
	struct sandbox_result sr = { .status = -1 };
	struct copy c = { 0 };
	struct stat st;
	int rc;

	sb_init(&c.skipped);
	r->log = layout_file(dir, LAYOUT_BUILD_LOG);
	rc = copy_submission(o, dir, &c);
	if (rc == 0 && c.over) {
		r->reason = xstrdup(c.over);
		sr.reason = xasprintf("not built: %s", c.over);
	} else if (rc == 0) {
		rc = run_make(o, dir, headers, u, &sr);
		r->status = sr.status;
		r->seconds = sr.seconds;
		r->limits = sr.limits ? xstrdup(sr.limits) : NULL;
		r->procs_peak = sr.procs_peak;
		r->memory_peak = sr.memory_peak;
		r->ko = xasprintf("%s/%s.ko", dir, o->name);
		/* lstat: the build may leave a link to a host file there. */
		r->ok = rc == 0 && sr.status == 0 && lstat(r->ko, &st) == 0 &&
			S_ISREG(st.st_mode);
		r->reason = rc == 0 ? build_reason(o, dir, &sr, r->ok) :
				      xstrdup(sr.reason);
	}
	if (write_log(r->log, &c, &sr) < 0)
		rc = -1;
	sandbox_result_free(&sr);
	sb_release(&c.skipped);
	free(c.over);
	return rc;
}

int modbuild_build(const struct modbuild_opts *o, struct modbuild_result *r)
{
	char *headers = NULL, *dir = NULL, *make = NULL;
	struct uses u = { 0 };
	int rc = -1;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	if (!o->src || !o->dir || !o->headers || !valid_name(o->name)) {
		error("'%s': a module name is letters, digits, _ and -; and a "
		      "submission, a build dir and headers are needed",
		      o->name ? o->name : "");
		goto out;
	}
	make = xasprintf("%s/Makefile", o->headers);
	if (!(headers = realpath(o->headers, NULL)) || access(make, R_OK) < 0) {
		error("no kernel headers at '%s' (no Makefile there)", o->headers);
		goto out;
	}
	if (uses_of(o, &u) < 0)
		goto out;
	if (!has_makefile(o->src)) {
		r->reason = xasprintf("no Makefile or Kbuild in %s", o->src);
		rc = 0;
		goto out;
	}
	if ((dir = fresh_dir(o)))
		rc = build_in(o, dir, headers, &u, r);
out:
	uses_free(&u);
	if (rc < 0 && !r->reason)
		r->reason = xstrdup("the module could not be built (see the errors)");
	if (!r->ok) {
		free(r->ko);
		r->ko = NULL;
	}
	free(make);
	free(headers);
	free(dir);
	return rc;
}

void modbuild_result_free(struct modbuild_result *r)
{
	free(r->ko);
	free(r->log);
	free(r->reason);
	free(r->limits);
	memset(r, 0, sizeof(*r));
}
