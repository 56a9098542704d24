/* spec.h — the lab spec (labs.yaml) as a validated, read-only model. */
#ifndef LABKIT_SPEC_H
#define LABKIT_SPEC_H

#include <stdbool.h>
#include <stddef.h>

#include "results.h"                    /* enum fault_kind */

/* A place in the spec file, 1-based (libyaml marks + 1). */
struct spec_pos {
	int line;
	int col;
};

/* Text in several languages: `question: "..."` or `question: {pl:, en:}`. */
struct spec_text {
	size_t n;
	char **lang;  /* "pl", "en", ...; "" for a plain string */
	char **text;
};

enum spec_expect_kind {
	SPEC_EXPECT_MATCH,   /* pattern must appear in the output */
	SPEC_EXPECT_ABSENT,  /* pattern must not appear */
	SPEC_EXPECT_EXIT,    /* the command's exit status */
	SPEC_EXPECT_ORDERED, /* patterns must appear in this order */
	SPEC_EXPECT_FAULT,   /* oops:, warn:, panic: a fault of that kind
				whose first line matches the pattern */
	SPEC_EXPECT_TIMEOUT, /* timeout: true — the step passes its deadline */
};

struct spec_expect {
	enum spec_expect_kind kind;
	size_t npatterns;        /* 1 for match/absent/fault, >= 1 ordered */
	char **patterns;         /* PCRE2 source, before ${} expansion */
	struct spec_pos *ppos;   /* where each pattern starts in the file */
	int exit_status;         /* SPEC_EXPECT_EXIT only */
	enum fault_kind fault;   /* SPEC_EXPECT_FAULT only */
	enum spec_in {
		SPEC_IN_OUTPUT,  /* the step's output (default) */
		SPEC_IN_HOST,    /* the output of the step's `host:` command */
		SPEC_IN_BOOT,    /* the console from power-on to the shell */
		SPEC_IN_KERNEL,  /* what the kernel printed during the step */
		SPEC_IN_BEFORE,  /* the output of the step's `before:` command */
	} in;
	struct spec_pos pos;
};

/* A guest step's wait for an asynchronous message (a timer's, a
 * kthread's) in the kernel log, once its command is done. */
struct spec_wait {
	char *pattern;           /* PCRE2, before ${} expansion; with `step`,
				    in that step's output (NULL: its end) */
	char *step;              /* a background step of the exercise to wait
				    for, before the command, or NULL */
	double timeout;          /* seconds; 0: the step's timeout */
	struct spec_pos pos;
};

/* What a step is; spec_step_kind_name() has the names. */
enum step_kind {
	STEP_GUEST,              /* a command on the guest's console */
	STEP_HOST,               /* a command on the host */
	STEP_BUILD,              /* a step of the kernel build (labkit build) */
	STEP_LXR,                /* a cross-referencer query on the host */
	STEP_KIND_COUNT,
};

/* A build step's part in the kernel recipe. */
enum step_stage {
	STAGE_NONE,
	STAGE_CONFIG,            /* makes the base config (fragments follow) */
	STAGE_BUILD,             /* the build proper: make -j */
};

enum guest_boot { BOOT_INITRAMFS, BOOT_DISK };

/* One exchange with an interactive program: wait for, then type. */
struct spec_input {
	char *wait;              /* PCRE2 pattern on the screen's text */
	char *send;              /* keys to type, ${} expanded */
	struct spec_pos pos;
};

/* Who may see a step's result, and when: a grading platform's own
 * settings (Gradescope's four); spec_visibility_name() has the names. */
enum spec_visibility {
	VISIBILITY_VISIBLE,      /* always (the default) */
	VISIBILITY_HIDDEN,       /* never: the teacher's only */
	VISIBILITY_AFTER_DUE_DATE, /* once the deadline has passed */
	VISIBILITY_AFTER_PUBLISHED, /* once the teacher publishes the grades */
	VISIBILITY_COUNT,
};

struct spec_step {
	char *id;                /* "3.1" */
	enum step_kind kind;
	struct spec_text question;
	struct spec_text answer;
	struct spec_text feedback; /* what a student is told when it does not
				    pass, in place of the judge's explanation
				    (n 0: none) */
	enum spec_visibility visibility;
	char *run;               /* command, before ${} expansion */
	char *host;              /* host command run while the guest is up */
	enum step_stage stage;   /* build steps */
	size_t ninput;
	struct spec_input *input;/* build steps: drive `run` on a terminal */
	enum step_ends {
		ENDS_NONE,
		ENDS_LOGIN,      /* `run` logs out: a new login follows */
		ENDS_POWEROFF,   /* `run` ends the guest: it must exit */
	} ends;                  /* guest steps */
	char *before;            /* a host command run before `run`, or NULL */
	char *unchecked;         /* why it expects nothing (the report says), or
				    NULL */
	double timeout;          /* seconds; 0 = the exercise's default */
	struct spec_wait *wait;  /* guest steps, or NULL */
	char *console;           /* the guest's console it runs on; NULL: the
				    shell's own line ("1") */
	bool background;         /* started, not waited for: the next steps
				    run, a later `wait: {step:}` (or the end
				    of the exercise) collects it */
	size_t nkeys;
	char **keys;             /* QEMU key names pressed on the guest's
				    keyboard before the command */
	struct spec_pos keys_pos;
	int points;              /* what passing it is worth; -1: not given */
	char *skip;              /* explicit skip reason, or NULL */
	size_t nexpect;
	struct spec_expect *expect;
	struct spec_pos pos;
};

/* A disk attached to the guest, made afresh for every run. */
struct spec_disk {
	char *name;              /* ${disk.<name>.path}, ${disk.<name>.dev} */
	int size_mb;             /* MiB */
	char *mkfs;              /* ext2 | ext3 | ext4 | minix | vfat, or NULL:
				    zeros */
	char *files;             /* a directory of the lab's tree copied onto
				    it (with mkfs), or NULL */
	enum spec_disk_bus { DISK_VIRTIO, DISK_IDE } bus;
	struct spec_pos pos;
};

/* A host port forwarded to a guest port (`net: {forward:}`). */
struct spec_forward {
	char *name;              /* ${net.<name>.port}: the host's port */
	int port;                /* the guest's */
	bool udp;                /* "7777/udp" */
	struct spec_pos pos;
};

/* One of the guest's serial ports after the shell's, wired to the host
 * (a socket) or to another of them. */
struct spec_serial {
	char *name;              /* ${serial.<name>.tty}, .socket */
	char *to;                /* "host", or another port's name */
	struct spec_pos pos;
};

struct spec_guest {
	char *kernel;            /* id in spec->kernels */
	char *rootfs;            /* id in spec->rootfs */
	enum guest_boot boot;
	char *image;             /* kernel file to boot, in the kernel's dir */
	bool use_installed;      /* use: installed — the kernel `make install`
				    put in ${kernel.stage}/boot, not the build's */
	char *append;            /* more kernel arguments, before ${} expansion */
	char *share;             /* a directory of the lab's the guest has on
				    /mnt/share, read-only, or NULL */
	double timeout;          /* whole-boot deadline, seconds */
	size_t ndisks;
	struct spec_disk *disks;
	bool net_user;           /* net: user (QEMU's user-mode network);
				    false: loopback only */
	size_t nforwards;
	struct spec_forward *forwards;
	size_t nserial;
	struct spec_serial *serial;
	size_t nconsoles;
	char **consoles;         /* the consoles its steps name besides the
				    shell's ("1"), in the order first named */
	struct spec_pos pos;
};

struct spec_exercise {
	char *id;                /* "3" */
	struct spec_text title;
	char *kernel;            /* kernel the build steps work on, or NULL */
	char *module;            /* ${module.name}, ${module.file}: `module:`,
				    or the only one of `modules:`; or NULL */
	size_t nmodules;
	char **modules;          /* ${module.<id>.*}: `modules:` (or `module:`) */
	struct spec_guest *guest;/* NULL when nothing boots */
	size_t nsteps;
	struct spec_step *steps;
	struct spec_pos pos;
};

/* Where a kernel comes from (`from:`); spec_kernel_from_name() has the
 * names. */
enum kernel_from {
	KERNEL_FROM_DEBIAN_PACKAGE,
	KERNEL_FROM_UML_PACKAGE,
	KERNEL_FROM_SOURCE,
	KERNEL_FROM_COUNT,
};

struct spec_kernel {
	char *id;
	char *arch;              /* a row of vm.c: x86_64, arm64, um */
	enum kernel_from from;
	char *config;            /* base config for `from: source` */
	char *localversion;
	size_t nfragments;
	char **fragments;        /* config fragments merged onto `config` */
	bool has_prebuilt;       /* `prebuilt:` given: */
	enum kernel_from prebuilt; /* `from` to use when source builds are off */
	char *trimmed;           /* base config of the quick profile (tinyconfig) */
	bool debug;              /* built for the workbench: debug information,
				    gdb's scripts, 9p; booted with nokaslr */
	struct spec_pos pos;
};

/* A user program compiled on the host (gcc -static) for the guest. */
struct spec_program {
	size_t nsources;
	char **sources;          /* relative to the spec file's directory */
	char *to;                /* its absolute path in the guest */
	size_t ncflags;
	char **cflags;
	struct spec_pos pos;
};

/* A file copied into the guest. */
struct spec_file {
	char *source;            /* relative to the spec file's directory */
	char *to;                /* its absolute path in the guest */
	char *mode;              /* octal, "0644" (default: the source's) */
	struct spec_pos pos;
};

struct spec_rootfs {
	char *id;
	char *hostname;
	size_t nmodules;
	char **modules;          /* ids in spec->modules */
	size_t nprograms;
	struct spec_program *programs;
	size_t nfiles;
	struct spec_file *files;
	struct spec_pos pos;
};

struct spec_module {
	char *id;
	char *path;              /* relative to the spec file's directory */
	char *kernel;            /* id in spec->kernels */
	size_t nuses;
	char **uses;             /* `uses:`: ids in spec->modules (of the same
				    kernel, no cycle) whose exported symbols
				    it calls: built first, their
				    Module.symvers given to its kbuild */
	struct spec_pos *uses_pos; /* where each of them is named */
	struct spec_pos pos;
};

struct spec_var {
	char *name;
	char *value;
	struct spec_pos pos;
};

struct spec {
	char *file;              /* path as given */
	char *dir;               /* directory holding the file */
	int version;
	char *lab_id;
	struct spec_text lab_title;
	size_t nvars;
	struct spec_var *vars;
	size_t nkernels;
	struct spec_kernel *kernels;
	size_t nrootfs;
	struct spec_rootfs *rootfs;
	size_t nmodules;
	struct spec_module *modules;
	size_t nexercises;
	struct spec_exercise *exercises;
};

/*
 * Parses and validates `path`.  On any error prints every problem found
 * as "file:line:col: error: ..." and returns NULL.
 */
struct spec *spec_load(const char *path);
/* The same for `len` bytes at `src` (no NUL needed after them), as if
 * they were the file `path`: messages name it, and the lab's paths are
 * relative to its directory (the fuzzing harness, tests/fuzz/). */
struct spec *spec_load_buffer(const char *path, const char *src, size_t len);
void spec_free(struct spec *spec);

const struct spec_exercise *spec_exercise(const struct spec *spec,
					  const char *id);
/* The step with this id, and the exercise holding it (may be NULL). */
const struct spec_step *spec_step(const struct spec *spec, const char *id,
				  const struct spec_exercise **exercise);
const struct spec_kernel *spec_kernel(const struct spec *spec, const char *id);
const struct spec_rootfs *spec_rootfs(const struct spec *spec, const char *id);
const struct spec_module *spec_module(const struct spec *spec, const char *id);

const char *spec_step_kind_name(enum step_kind k);
const char *spec_kernel_from_name(enum kernel_from f);
/* "visible", "hidden", "after_due_date", "after_published". */
const char *spec_visibility_name(enum spec_visibility v);

/* Does step `st` expect to end this way: a panic (`panic:`) for
 * STATUS_PANIC, its deadline passing (`timeout: true`) for STATUS_TIMEOUT? */
bool spec_step_expects_end(const struct spec_step *st, enum step_status s);

/* Sets the spec's own variables and lab.id in `vars`, and exercise.id
 * when `ex` is not NULL. */
struct expand_vars;
void spec_vars(const struct spec *spec, const struct spec_exercise *ex,
	       struct expand_vars *vars);
const char *spec_boot_name(enum guest_boot b);
const char *spec_disk_bus_name(enum spec_disk_bus b);
/* The guest's kernel modules that mount what `mkfs` makes, separated by
 * spaces ("ext4 crc32c_generic"), or NULL. */
const char *spec_mkfs_module(const char *mkfs);
/* Why the guest of exercise `ex` (which has one) cannot start from a
 * saved, booted one, whatever its kind can do: UNSAVED_NONE when it
 * boots Debian's kernel package (whose modules drive the disk a restored
 * guest reads) from its initramfs and has nothing but its console and
 * shell line. */
enum spec_unsaved {
	UNSAVED_NONE,
	UNSAVED_KERNEL,          /* not Debian's kernel package */
	UNSAVED_DISK_BOOT,       /* boots a disk its steps may change */
	UNSAVED_INSTALLED,       /* the kernel the exercise installs */
	UNSAVED_DEVICES,         /* disks, a network, serial lines, consoles */
	UNSAVED_KEYS,            /* its steps press keys */
};
enum spec_unsaved spec_guest_unsaved(const struct spec *spec,
				     const struct spec_exercise *ex);
/* "disk", "net" or "serial" for ${disk.<name>.path|dev},
 * ${net.<name>.port}, ${serial.<name>.tty|socket} (the name in *name,
 * caller frees, when not NULL); NULL for any other variable. */
const char *spec_device_var(const char *var, char **name);
/* The step with this id in exercise `ex`, or NULL. */
const struct spec_step *spec_exercise_step(const struct spec_exercise *ex,
					   const char *id);

/* The text in `lang`, else English, else the first; never NULL. */
const char *spec_text_get(const struct spec_text *t, const char *lang);

/*
 * The built-in variables a step may use, besides the spec's own
 * `variables:`; filled in at run time (kernel.release ...).
 */
extern const char *const spec_builtin_vars[];

#endif
