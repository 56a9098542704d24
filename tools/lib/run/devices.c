/*
 * devices.c — what a guest has besides its console and shell line, made
 * afresh for every run before the boot: its disks (raw images of their
 * size in the output directory, made with their mkfs and filled from
 * the lab's tree), the host ports forwarded to its network, its serial
 * ports (a unix socket on the host, or wired to each other), its extra
 * consoles (a pty each, logged into after the boot) and QEMU's monitor
 * (keys are pressed through it).  Each device's variables are set:
 * ${disk.<name>.path} and .dev, ${net.<name>.port}, ${serial.<name>.tty}
 * and .socket.
 *
 * A device that cannot be made fails the run before the boot, with a
 * message naming it; nothing here decides a step's fate.  Owns only the
 * files it makes: the images, the transcripts of extra consoles, and a
 * directory in /tmp for the sockets, removed at the end.
 */
#include "run_dev_int.h"
#include "events.h"
#include "layout.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MKFS_TIMEOUT 60.0

static void set_var(struct run *r, const char *kind, const char *name,
		    const char *field, const char *value)
{
	char *var = xasprintf("%s.%s.%s", kind, name, field);

	expand_vars_set(&r->vars, var, value);
	expand_vars_set(&r->res.facts, var, value);
	free(var);
}

/* Runs a host tool; 0, or -1 with its output in a message. */
static int tool(char *const *argv, const char *what)
{
	struct proc p;
	struct sb out;
	int rc;

	sb_init(&out);
	rc = proc_run(argv, NULL, MKFS_TIMEOUT, &out, &p);
	if (rc != 0)
		error("%s: '%s' %s: %s", what, argv[0], rc < 0 ?
		      "could not run" : "failed", out.len ? out.buf : "");
	sb_release(&out);
	return rc == 0 ? 0 : -1;
}

/* The image's file system: mke2fs -d fills it from the lab's tree. */
static int make_fs(struct run *r, const struct spec_disk *d, const char *img)
{
	char *what = xasprintf("disk '%s'", d->name);
	char *files = !d->files ? NULL : d->files[0] == '/' ? xstrdup(d->files) :
		      xasprintf("%s/%s", r->spec->dir, d->files);
	char *ext[] = { "mke2fs", "-q", "-F", "-t", d->mkfs, "-E",
			"root_owner=0:0", (char *)img, NULL, NULL, NULL };
	char *minix[] = { "mkfs.minix", (char *)img, NULL };
	int rc;

	if (files) {             /* -d <dir> before the image */
		ext[7] = "-d";
		ext[8] = files;
		ext[9] = (char *)img;
	}
	rc = tool(strcmp(d->mkfs, "minix") ? ext : minix, what);
	free(files);
	free(what);
	return rc;
}

/* A raw image of the disk's size, fresh: what the last run wrote is gone. */
static int make_disk(struct run *r, const struct spec_disk *d, const char *img)
{
	int fd;

	unlink(img);
	fd = open(img, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || ftruncate(fd, (off_t)d->size_mb << 20) < 0) {
		error("disk '%s': cannot make '%s': %m", d->name, img);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return d->mkfs ? make_fs(r, d, img) : 0;
}

/* The guest's name of disk `i`: vda, vdb ... after a root disk that is
 * one of them. */
static char *disk_dev(struct run *r, const struct vm_arch *a, size_t i)
{
	const struct spec_guest *g = r->ex->guest;
	bool ide = g->disks[i].bus == DISK_IDE;
	const char *prefix = ide ? a->ide_prefix : a->disk_prefix;
	size_t n = g->boot == BOOT_DISK &&
		   !strncmp(a->disk_root + 5, prefix, strlen(prefix));

	for (size_t j = 0; j < i; j++)
		n += (g->disks[j].bus == DISK_IDE) == ide;
	return xasprintf("/dev/%s%c", prefix, (char)('a' + n));
}

static int make_disks(struct run *r, struct run_devices *d,
		      const struct vm_arch *a)
{
	const struct spec_guest *g = r->ex->guest;

	d->disks = xcalloc(g->ndisks + 1, sizeof(*d->disks));
	d->ide = xcalloc(g->ndisks + 1, sizeof(*d->ide));
	for (size_t i = 0; i < g->ndisks; i++) {
		char *img = layout_disk_image(r->o->out_dir, g->disks[i].name);
		char *dev = disk_dev(r, a, i);

		d->disks[d->ndisks] = img;
		d->ide[d->ndisks++] = g->disks[i].bus == DISK_IDE;
		set_var(r, "disk", g->disks[i].name, "path", img);
		set_var(r, "disk", g->disks[i].name, "dev", dev);
		free(dev);
		if (make_disk(r, &g->disks[i], img) < 0)
			return -1;
	}
	return 0;
}

/* A port of 127.0.0.1 free now, for QEMU to listen on. */
static int free_port(bool udp)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
	int port = -1;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static int forward_ports(struct run *r, struct run_devices *d)
{
	const struct spec_guest *g = r->ex->guest;
	struct sb sb;

	sb_init(&sb);
	for (size_t i = 0; i < g->nforwards; i++) {
		const struct spec_forward *f = &g->forwards[i];
		int port = free_port(f->udp);
		char buf[16];

		if (port < 0) {
			sb_release(&sb);
			return error("forward '%s': no free port on 127.0.0.1: %m",
				     f->name);
		}
		sb_addf(&sb, ",hostfwd=%s:127.0.0.1:%d-:%d", f->udp ? "udp" : "tcp",
			port, f->port);
		snprintf(buf, sizeof(buf), "%d", port);
		set_var(r, "net", f->name, "port", buf);
	}
	d->hostfwd = sb_detach(&sb, NULL);
	return 0;
}

static void add_line(struct run_devices *d, char *backend)
{
	d->lines = xrealloc(d->lines, (d->nlines + 1) * sizeof(*d->lines));
	d->lines[d->nlines++] = backend;
}

/* The extra consoles: a pty each, its bytes to transcript-<name>.log. */
static int open_consoles(struct run *r, struct run_devices *d,
			 const struct vm_arch *a)
{
	const struct spec_guest *g = r->ex->guest;
	struct sb ttys;

	d->con = xcalloc(g->nconsoles + 1, sizeof(*d->con));
	d->slave = xcalloc(g->nconsoles + 1, sizeof(*d->slave));
	d->transcript = xcalloc(g->nconsoles + 1, sizeof(*d->transcript));
	sb_init(&ttys);
	for (size_t i = 0; i < g->nconsoles; i++) {
		char *path = layout_console_transcript(r->o->out_dir,
						       g->consoles[i]);

		d->transcript[i] = open(path, O_WRONLY | O_CREAT | O_TRUNC |
					O_CLOEXEC, 0644);
		free(path);
		if (d->transcript[i] < 0 ||
		    console_open_pty(&d->con[i], &d->slave[i], d->transcript[i]) < 0) {
			sb_release(&ttys);
			return error("console '%s': cannot open its line: %m",
				     g->consoles[i]);
		}
		d->ncons++;
		add_line(d, xasprintf("tty,path=%s", ptsname(d->con[i].fd)));
		sb_addf(&ttys, "%s%s", i ? "," : "", a->lines[i]);
	}
	d->consoles = ttys.len ? sb_detach(&ttys, NULL) : NULL;
	sb_release(&ttys);
	return 0;
}

/* Serial ports after the consoles: a socket the host connects to, or a
 * pair of ports wired through one socket (the first listens, QEMU's
 * second connects to it). */
static void serial_ports(struct run *r, struct run_devices *d,
			 const struct vm_arch *a)
{
	const struct spec_guest *g = r->ex->guest;

	for (size_t i = 0; i < g->nserial; i++) {
		const struct spec_serial *s = &g->serial[i];
		bool host = !strcmp(s->to, "host");
		bool second = !host && i > 0 && !strcmp(g->serial[i - 1].name, s->to);
		char *sock = xasprintf("%s/serial-%s", d->dir,
				       second ? s->to : s->name);
		char *tty = xasprintf("/dev/%s", a->lines[d->nlines]);

		add_line(d, second ? xasprintf("socket,path=%s,reconnect=1", sock) :
			 xasprintf("socket,path=%s,server=on,wait=off", sock));
		set_var(r, "serial", s->name, "tty", tty);
		set_var(r, "serial", s->name, "socket", sock);
		free(tty);
		free(sock);
	}
}

static bool presses_keys(const struct spec_exercise *ex)
{
	for (size_t i = 0; i < ex->nsteps; i++)
		if (ex->steps[i].nkeys && !ex->steps[i].skip)
			return true;
	return false;
}

int run_devices_prepare(struct run *r, struct vm_guest *vg,
			const struct vm_arch *a)
{
	const struct spec_guest *g = r->ex->guest;
	struct run_devices *d = r->dev = xcalloc(1, sizeof(*d));

	if (!g->ndisks && !g->net_user && !g->nserial && !g->nconsoles &&
	    !presses_keys(r->ex))
		return 0;
	if (!(d->dir = fs_temp_dir("run")))
		return error("cannot make a directory for the guest's sockets: %m");
	if (make_disks(r, d, a) < 0 || forward_ports(r, d) < 0 ||
	    open_consoles(r, d, a) < 0)
		return -1;
	serial_ports(r, d, a);
	if (presses_keys(r->ex))
		d->monitor = xasprintf("%s/monitor", d->dir);
	vg->nlines = d->nlines;
	vg->lines = (const char *const *)d->lines;
	vg->consoles = d->consoles;
	vg->ndisks = d->ndisks;
	vg->disks = (const char *const *)d->disks;
	vg->disk_ide = d->ide;
	vg->net_user = g->net_user;
	vg->hostfwd = d->hostfwd;
	vg->monitor = d->monitor;
	return 0;
}

struct console *run_dev_console(struct run *r, const char *name)
{
	const struct spec_guest *g = r->ex->guest;

	if (!name || !strcmp(name, "1"))
		return &r->guest.con;
	for (size_t i = 0; r->dev && i < r->dev->ncons; i++)
		if (!strcmp(g->consoles[i], name))
			return &r->dev->con[i];
	return NULL;
}

/*
 * After the shell's login: a login on each extra console, which then
 * marks its commands' ends on the kernel's console too (in a range of
 * command numbers of its own, so no two consoles' marks are alike).
 */
enum console_status run_devices_login(struct run *r, double deadline)
{
	struct run_devices *d = r->dev;
	enum console_status s = CONSOLE_OK;

	for (size_t i = 0; d && i < d->ncons && s == CONSOLE_OK; i++) {
		struct console *c = &d->con[i];

		if (r->guest.klog.fd >= 0) {
			c->side = &r->guest.klog;
			c->kernel_log = false;
			memcpy(c->nonce, r->guest.con.nonce, sizeof(c->nonce));
		}
		c->seq = (i + 1) * 1000000;
		s = console_login(c, &r->rootfs.login, deadline);
		if (s != CONSOLE_OK)
			error("console '%s' (%s) gave no shell: %s (its root file "
			      "system starts a login on labkit.consoles= since "
			      "labkit 1.1: rebuild it)", r->ex->guest->consoles[i],
			      r->ex->guest->consoles[i], console_status_str(s));
	}
	return s;
}

/* ---- keys, through QEMU's monitor ---- */

static int monitor_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* What the monitor said, read and dropped, for at most `secs`. */
static void monitor_drain(int fd, double secs)
{
	char buf[4096];
	double until = now_monotonic() + secs;

	while (now_monotonic() < until) {
		struct timeval tv = { 0, 20000 };
		fd_set set;

		FD_ZERO(&set);
		FD_SET(fd, &set);
		if (select(fd + 1, &set, NULL, NULL, &tv) > 0 &&
		    read(fd, buf, sizeof(buf)) <= 0)
			break;
	}
}

int run_press_keys(struct run *r, const struct spec_step *st)
{
	int fd = r->dev && r->dev->monitor ? monitor_connect(r->dev->monitor) : -1;

	if (fd < 0)
		return error("step %s: cannot reach the guest's monitor to press "
			     "keys: %m", st->id);
	monitor_drain(fd, 0.2);
	for (size_t i = 0; i < st->nkeys; i++) {
		char *line = xasprintf("sendkey %s 50\n", st->keys[i]);
		int rc = fs_write_all(fd, line, strlen(line));

		free(line);
		if (rc < 0) {
			close(fd);
			return error("step %s: the monitor took no key: %m", st->id);
		}
		monitor_drain(fd, 0.12);
	}
	monitor_drain(fd, 0.3);   /* the last key's release, and its IRQ */
	close(fd);
	return 0;
}

void run_devices_free(struct run *r)
{
	struct run_devices *d = r->dev;

	if (!d)
		return;
	for (size_t i = 0; i < d->ncons; i++) {
		console_close(&d->con[i]);
		close(d->slave[i]);
	}
	for (size_t i = 0; d->transcript && d->transcript[i] > 0; i++)
		close(d->transcript[i]);
	for (size_t i = 0; i < d->nlines; i++)
		free(d->lines[i]);
	for (size_t i = 0; i < d->ndisks; i++)
		free(d->disks[i]);
	if (d->dir)
		fs_remove_tree(d->dir);
	free(d->dir);
	free(d->lines);
	free(d->consoles);
	free(d->con);
	free(d->slave);
	free(d->transcript);
	free(d->disks);
	free(d->ide);
	free(d->hostfwd);
	free(d->monitor);
	free(d->bg);
	free(d);
	r->dev = NULL;
}
