/*
 * saved.c — a saved, booted guest, the files beside it and the payload a
 * restored one gets.  A guest kind with `has_saved` (QEMU) booted from
 * the base of its root file system (base.cpio) to the logged-in shell is
 * saved by QEMU's migration to a file (guest.c does that); every later
 * run of a guest of the same kernel, base, arguments and devices starts
 * from it, and gets what differs between runs — the lab's modules,
 * programs and files (payload.cpio), a student's module — on a disk the
 * saved guest never read.  What is here:
 *
 *   <dir>/<key>/state.zst  QEMU's migration stream, zstd -1 (a quarter
 *                          of it; `state` as it is without zstd)
 *   <dir>/<key>/key        what it was made from: labkit, QEMU's version,
 *                          the kernel (path, size, time), the base (its
 *                          bytes' hash, wherever it is), the command line
 *                          (the accelerator with it) with the run's own
 *                          paths left out; <key> is its hash
 *   <dir>/<key>/kernel.log the kernel's console and the shell's line up
 *   <dir>/<key>/shell.log  to the prompt, as the saved guest booted
 *   <dir>/empty.img        the payload disk the saved guest had:
 *                          SAVED_DISK bytes of nothing
 *
 * A state is found by the key it is asked with: a change of any input
 * makes a new key, and the run boots cold, saying why.  A guest is saved
 * into a directory of its own that is renamed into place whole, so a
 * run restoring one never reads half of it; the stale ones go then.
 * Nothing here starts a guest.
 * Fails with -1 and a message.
 */
#include "saved.h"
#include "stamp.h"
#include "reason.h"
#include "util.h"
#include "vm.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The archives on the payload disk start at multiples of this (what the
 * guest's dd reads at a time). */
#define SAVED_ALIGN (64 * 1024)

/* FNV-1a of a file's bytes, as hex; NULL when it cannot be read. */
static char *file_hash(const char *path)
{
	unsigned long long h = 1469598103934665603ULL;
	char buf[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++) {
			h ^= (unsigned char)buf[i];
			h *= 1099511628211ULL;
		}
	close(fd);
	return n < 0 ? NULL : xasprintf("%016llx", h);
}

char *saved_key(const struct vm_arch *a, const struct vm_guest *g)
{
	struct vm_guest canon = *g;
	char **argv, *line, *hash, *version;
	struct sb sb;

	/* what each run has of its own: its ptys, sockets and payload; and
	 * where the base is (a grading links it into each student's root
	 * file system): its bytes say what it is */
	canon.shell = canon.shell ? "SHELL" : NULL;
	canon.qmp = "QMP";
	canon.payload = "PAYLOAD";
	canon.incoming = NULL;
	canon.initrd = "BASE";
	sb_init(&sb);
	stamp_add_file(&sb, "labkit:", "/proc/self/exe");
	version = vm_emulator_version(a->emulator);
	sb_addf(&sb, "emulator: %s\n", version ? version : "?");
	free(version);
	stamp_add_file(&sb, "kernel:", g->kernel);
	hash = file_hash(g->initrd);
	sb_addf(&sb, "base: %s\n", hash ? hash : "unreadable");
	free(hash);
	argv = vm_argv(a, &canon);
	line = vm_argv_str(argv);
	sb_addf(&sb, "command: %s\n", line);
	free(line);
	vm_argv_free(argv);
	return sb_detach(&sb, NULL);
}

char *saved_path(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

/* <dir>/<hash of key>: where the guest saved from `key` is. */
static char *key_dir(const char *dir, const char *key)
{
	unsigned long long h = 1469598103934665603ULL;

	for (const char *p = key; *p; p++) {
		h ^= (unsigned char)*p;
		h *= 1099511628211ULL;
	}
	return xasprintf("%s/%016llx", dir, h);
}

/* A name key_dir() gives. */
static bool is_key_name(const char *name)
{
	return strlen(name) == 16 && strspn(name, "0123456789abcdef") == 16;
}

/* Is `prog` on the PATH? */
static bool on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char *copy = xstrdup(path ? path : "/usr/bin:/bin"), *save = NULL;
	bool found = false;

	for (char *d = strtok_r(copy, ":", &save); d && !found;
	     d = strtok_r(NULL, ":", &save)) {
		char *p = xasprintf("%s/%s", *d ? d : ".", prog);

		found = access(p, X_OK) == 0;
		free(p);
	}
	free(copy);
	return found;
}

char *saved_state_uri(const char *dir, bool save)
{
	char *zst = saved_path(dir, "state.zst"), *raw = saved_path(dir, "state");
	char *uri = NULL;
	bool zstd = on_path("zstd");

	if (strpbrk(dir, "'\"\\"))
		;                 /* no quoting of a path with quotes */
	else if (save)
		uri = zstd ? xasprintf("exec:zstd -1 -q -T1 > '%s'", zst) :
			     xasprintf("exec:cat > '%s'", raw);
	else if (zstd && access(zst, R_OK) == 0)
		uri = xasprintf("exec:zstd -d -q -c '%s'", zst);
	else if (access(raw, R_OK) == 0)
		uri = xasprintf("exec:cat '%s'", raw);
	free(raw);
	free(zst);
	return uri;
}

char *saved_find(const char *dir, const char *key, struct reason *why)
{
	char *kdir = key_dir(dir, key), *uri = saved_state_uri(kdir, false);
	DIR *d;
	struct dirent *e;
	bool other = false;

	free(uri);
	if (uri)
		return kdir;
	free(kdir);
	if ((d = opendir(dir))) {
		while ((e = readdir(d)))
			other |= is_key_name(e->d_name);
		closedir(d);
	}
	reason_set(why, other ? REASON_SAVED_STALE : REASON_SAVED_NONE, dir);
	return NULL;
}

char *saved_begin(const char *dir)
{
	char *tmp = xasprintf("%s/new.%ld", dir, (long)getpid());

	fs_remove_tree(tmp);
	if (fs_mkdirs(tmp, 0755) < 0) {
		error("cannot create '%s': %m", tmp);
		free(tmp);
		return NULL;
	}
	return tmp;
}

/* Removes every saved guest in `dir` but `keep` (a name). */
static void remove_others(const char *dir, const char *keep)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char *path;

		if (!is_key_name(e->d_name) || !strcmp(e->d_name, keep))
			continue;
		path = saved_path(dir, e->d_name);
		fs_remove_tree(path);
		free(path);
	}
	if (d)
		closedir(d);
}

int saved_commit(const char *dir, const char *key, const char *tmp)
{
	char *kdir = key_dir(dir, key), *stamp = saved_path(tmp, "key");
	int rc = fs_write_atomic(stamp, key, strlen(key));

	if (rc < 0) {
		error("cannot write '%s': %m", stamp);
	} else {
		fs_remove_tree(kdir);
		if (rename(tmp, kdir) < 0)
			rc = error("cannot rename '%s' to '%s': %m", tmp, kdir);
		else
			remove_others(dir, strrchr(kdir, '/') + 1);
	}
	if (rc < 0)
		fs_remove_tree(tmp);
	free(stamp);
	free(kdir);
	return rc;
}

/* A sparse file of SAVED_DISK bytes at `path`, `data` at its start. */
static int disk_image(const char *path, const char *data, size_t len)
{
	char *tmp = xasprintf("%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int rc = -1;

	if (fd >= 0 && fs_write_all(fd, data, len) == 0 &&
	    ftruncate(fd, SAVED_DISK) == 0 && close(fd) == 0) {
		fd = -1;
		rc = rename(tmp, path);
	}
	if (fd >= 0)
		close(fd);
	if (rc < 0)
		error("cannot write '%s': %m", path);
	free(tmp);
	return rc;
}

int saved_empty_disk(const char *path)
{
	return disk_image(path, "", 0);
}

/* The guest's command: its payload disk found by serial number, each
 * archive read (past the guest's page cache) and unpacked over /. */
static void unpack_command(struct sb *cmd, const size_t *at,
			   const size_t *len, size_t n)
{
	sb_addf(cmd, "d=; for b in /sys/block/vd*; do [ \"$(cat $b/serial 2>/dev/null)\" = %s ] && d=/dev/${b##*/}; done; [ -n \"$d\" ] && (cd /",
		VM_PAYLOAD_SERIAL);
	for (size_t i = 0; i < n; i++)
		sb_addf(cmd, " && dd if=$d bs=%d skip=%zu count=%zu iflag=direct 2>/dev/null | cpio -idmu 2>/dev/null",
			SAVED_ALIGN, at[i] / SAVED_ALIGN,
			(len[i] + SAVED_ALIGN - 1) / SAVED_ALIGN);
	sb_adds(cmd, ")");
}

int saved_payload(const char *path, const char *const *cpios, size_t n,
		  char **command)
{
	size_t *at = xcalloc(n + 1, sizeof(*at)), *len = xcalloc(n + 1, sizeof(*len));
	struct sb disk, cmd;
	int rc = 0;

	sb_init(&disk);
	sb_init(&cmd);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char *data = NULL;

		if (fs_read_file(cpios[i], &data, &len[i]) < 0) {
			rc = error("cannot read '%s': %m", cpios[i]);
			break;
		}
		while (disk.len % SAVED_ALIGN)
			sb_addc(&disk, '\0');
		at[i] = disk.len;
		sb_add(&disk, data, len[i]);
		free(data);
	}
	if (rc == 0 && disk.len > SAVED_DISK)
		rc = error("the lab's part for the guest is %zu bytes, more than its saved guest's payload disk holds (%d)",
			   disk.len, SAVED_DISK);
	if (rc == 0)
		rc = disk_image(path, disk.buf ? disk.buf : "", disk.len);
	if (rc == 0) {
		unpack_command(&cmd, at, len, n);
		*command = sb_detach(&cmd, NULL);
	}
	sb_release(&cmd);
	sb_release(&disk);
	free(len);
	free(at);
	return rc;
}
