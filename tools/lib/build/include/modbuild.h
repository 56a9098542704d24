/* modbuild.h — one submission's kernel module, built in a sandbox. */
#ifndef LABKIT_MODBUILD_H
#define LABKIT_MODBUILD_H

#include <stdbool.h>
#include <stddef.h>

struct modbuild_opts {
	const char *src;             /* the submission's module directory */
	const char *dir;             /* the build directory: removed (only
					when empty or holding a build.log, as
					an earlier build leaves it), then made
					afresh with a copy of src; when we are
					root it ends up nobody's (or the
					build's own uid's, sandbox.h) */
	const char *name;            /* the module: <dir>/<name>.ko */
	const char *headers;         /* the kernel's build dir (make -C) */
	const char *arch;            /* the kernel's arch (vm.c's row name),
					or NULL: the host's; one of another
					than the host's (arm64) gets its
					row's ARCH= and CROSS_COMPILE= */
	const char *const *ro_dirs;  /* NULL-terminated or NULL: more
					read-only directories the build needs */
	const char *const *symvers;  /* NULL-terminated or NULL: the
					Module.symvers of the modules this one
					uses (each a regular file, in the build
					directory of one): given to kbuild as
					KBUILD_EXTRA_SYMBOLS, their directories
					read-only in the sandbox */
	const char *const *hide;     /* NULL-terminated or NULL: directories
					the build must not see (the other
					submissions) */
	double timeout;              /* seconds; <= 0: 120 */
	double cpu_seconds;          /* of each process; <= 0: 300 */
	unsigned long long memory_bytes; /* of each process; 0: 4 GiB */
	unsigned max_procs;          /* at once, all of the build's
					together; 0: 256 */
	unsigned long long memory_total_bytes; /* all of the build's
					processes together; 0: 1 GiB */
	unsigned long long file_bytes;   /* 0: 256 MiB */
	size_t output_cap;           /* 0: 1 MiB */
	size_t max_bytes;            /* of the copied submission; 0: 16 MiB */
	size_t max_files;            /* files and directories; 0: 1000 */
	bool unsandboxed;            /* sandbox_opts.unsandboxed */
};

struct modbuild_result {
	bool ok;             /* <dir>/<name>.ko was built */
	char *ko;            /* its path when ok */
	char *log;           /* <dir>/build.log: what was not copied, then the
				build's output */
	char *reason;        /* one line when not ok: the first compiler error
				("hello.c:7:5: error: expected ';' before
				'return'"), "the module built no hello.ko (its
				Kbuild must have obj-m := hello.o)", the last
				error line of make or a command, or the
				sandbox's ("did not finish in 120 s", "tried
				to run more than 256 processes at once") */
	int status;          /* make's, as sandbox_result.status; -1 when it
				did not run */
	double seconds;      /* the build's wall clock */
	char *limits;        /* what held max_procs and memory_total_bytes
				(sandbox_result.limits), or NULL: not built */
	unsigned procs_peak; /* sandbox_result's, where a cgroup counted */
	unsigned long long memory_peak;
};

/*
 * Copies o->src into a fresh o->dir (regular files and directories only:
 * symbolic links, devices and fifos are left out and named in build.log;
 * at most max_bytes and max_files), then runs `make -C <headers>
 * M=<dir> [ARCH= CROSS_COMPILE=] [KBUILD_EXTRA_SYMBOLS=<symvers...>]
 * modules` through
 * sandbox_run() with the headers (and the target of their `source` link)
 * and the directories of o->symvers read-only, writes its output to
 * <dir>/build.log and looks for <dir>/<name>.ko.
 *
 * Everything in <dir> but build.log was written by the build, as nobody
 * (or its own uid) when we are root: read it as untrusted (links to host files, odd
 * types); r->ko is checked to be a regular file, not a link.
 *
 * Returns 0 when the submission was judged (r->ok, or r->reason saying
 * why not, in words for a teacher), -1 when it could not be (bad options,
 * no headers, a Module.symvers that is not a regular file, the build dir
 * or the sandbox failing: an error event, and r->reason).  Free r with
 * modbuild_result_free() in both cases.
 */
int modbuild_build(const struct modbuild_opts *o, struct modbuild_result *r);

void modbuild_result_free(struct modbuild_result *r);

#endif
