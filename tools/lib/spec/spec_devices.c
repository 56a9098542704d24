/*
 * spec_devices.c — what a guest has besides its console and shell line:
 * extra disks (`disks:`), QEMU's user-mode network with forwarded ports
 * (`net:`), serial ports wired to the host or to each other (`serial:`),
 * more consoles, each with a login (a step's `console:`), steps left
 * running in the background (`background:`, a later `wait: {step:}`),
 * and keys pressed on the guest's keyboard (`keys:`); with the variables
 * they give (${disk.<name>.path} ...).  What a guest kind can have is its
 * row of vm.c: asking for more is refused at the key that asks.
 *
 * Never prints and never runs anything: problems are queued with
 * spec_diag() at their position.
 */
#include "spec_parse.h"

#include "vm.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* What each `mkfs:` runs on the host, and the guest's driver for it. */
static const struct spec_mkfs {
	const char *name;
	const char *module;      /* the kernel modules that mount it */
	bool files;              /* can be filled from a directory */
} mkfses[] = {
	/* ext4 asks the crypto API for crc32c when it mounts (checksums):
	 * a module of its own, no dependency modinfo names */
	{ "ext2", "ext4 crc32c_generic", true },
	{ "ext3", "ext4 crc32c_generic", true },
	{ "ext4", "ext4 crc32c_generic", true }, { "minix", "minix", false },
};
static const char *const mkfs_names[] = { "ext2", "ext3", "ext4", "minix", NULL };
static const char *const buses[] = { "virtio", "ide", NULL };
static const char *const disk_keys[] = { "size", "mkfs", "files", "bus", NULL };
enum { DISK_SIZE, DISK_MKFS, DISK_FILES, DISK_BUS, DISK_NKEYS };
static const char *const net_keys[] = { "mode", "forward", NULL };
enum { NET_MODE, NET_FORWARD, NET_NKEYS };
static const char *const net_modes[] = { "none", "user", NULL };

const char *spec_disk_bus_name(enum spec_disk_bus b)
{
	return buses[b == DISK_IDE];
}

const char *spec_mkfs_module(const char *mkfs)
{
	for (size_t i = 0; mkfs && i < sizeof(mkfses) / sizeof(mkfses[0]); i++)
		if (!strcmp(mkfses[i].name, mkfs))
			return mkfses[i].module;
	return NULL;
}

static bool mkfs_fills(const char *mkfs)
{
	for (size_t i = 0; i < sizeof(mkfses) / sizeof(mkfses[0]); i++)
		if (!strcmp(mkfses[i].name, mkfs))
			return mkfses[i].files;
	return false;
}

const struct spec_step *spec_exercise_step(const struct spec_exercise *ex,
					   const char *id)
{
	for (size_t i = 0; id && i < ex->nsteps; i++)
		if (ex->steps[i].id && !strcmp(ex->steps[i].id, id))
			return &ex->steps[i];
	return NULL;
}

/* The row of the guest's kernel's arch, or NULL. */
static const struct vm_arch *guest_arch(struct spec_ctx *c,
					const struct spec_guest *g)
{
	const struct spec_kernel *k = g && g->kernel ?
		spec_kernel(c->spec, g->kernel) : NULL;

	return k && k->arch ? vm_arch_find(k->arch) : NULL;
}

/* A device name (a key of disks:, forward:, serial:) names variables. */
static bool good_name(struct spec_ctx *c, yaml_node_t *k, const char *what,
		      const char *where)
{
	const char *s = spec_scalar(k);

	if (s && (isalpha((unsigned char)*s) || *s == '_') &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		   "0123456789_-") == strlen(s))
		return true;
	spec_diag(c, spec_mark_pos(k->start_mark), "bad %s name '%s' %s "
		  "(letters, digits, '_', '-'; not starting with a digit)",
		  what, s ? s : "?", where);
	return false;
}

/* ---- disks ---- */

static void parse_disk(struct spec_ctx *c, struct spec_disk *d, yaml_node_t *n,
		       const struct vm_arch *a, const char *where)
{
	yaml_node_t *v[DISK_NKEYS], *k[DISK_NKEYS];
	int i;

	d->pos = spec_mark_pos(n->start_mark);
	if (spec_map(c, n, "a disk", where, disk_keys, v, k) < 0)
		return;
	if (!v[DISK_SIZE])
		spec_missing(c, n, disk_keys, "size", where);
	else if (spec_get_int(c, v[DISK_SIZE], "size", where, &d->size_mb) == 0 &&
		 (d->size_mb < 1 || d->size_mb > 4096))
		spec_diag(c, spec_mark_pos(v[DISK_SIZE]->start_mark), "disk '%s' "
			  "%s: size %d MiB is out of range (1 to 4096)", d->name,
			  where, d->size_mb);
	d->mkfs = spec_get_choice(c, v[DISK_MKFS], "mkfs", where, mkfs_names);
	d->files = spec_get_str(c, v[DISK_FILES], "files", where);
	if (spec_get_enum(c, v[DISK_BUS], "bus", where, buses, &i) == 0)
		d->bus = (enum spec_disk_bus)i;
	if (d->files && !d->mkfs)
		spec_diag(c, spec_mark_pos(v[DISK_FILES]->start_mark), "disk '%s' "
			  "%s: 'files' needs 'mkfs' (a file system to hold them)",
			  d->name, where);
	else if (d->files && d->mkfs && !mkfs_fills(d->mkfs))
		spec_diag(c, spec_mark_pos(v[DISK_FILES]->start_mark), "disk '%s' "
			  "%s: mkfs 'minix' cannot be filled with files (mkfs.minix "
			  "has no option for it); copy them in a step", d->name, where);
	if (d->bus == DISK_IDE && a && !a->ide_args)
		spec_diag(c, spec_mark_pos(v[DISK_BUS]->start_mark), "disk '%s' "
			  "%s: an %s guest has no IDE controller (use bus: virtio)",
			  d->name, where, a->name);
}

static void parse_disks(struct spec_ctx *c, struct spec_guest *g,
			yaml_node_t *n, const struct vm_arch *a, const char *where)
{
	yaml_node_pair_t *p;

	if (spec_map(c, n, "'disks'", where, NULL, NULL, NULL) < 0)
		return;
	if (a && !a->disk_args)
		spec_diag(c, spec_mark_pos(n->start_mark), "'disks' %s: an %s "
			  "guest cannot have extra disks here (only QEMU's guests: "
			  "x86_64, arm64)", where, a->name);
	g->disks = xcalloc(spec_len(n) + 1, sizeof(*g->disks));
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = spec_node(c, p->key);
		struct spec_disk *d = &g->disks[g->ndisks];

		if (spec_map_skip(c, n, (size_t)(p - n->data.mapping.pairs.start)) ||
		    !good_name(c, k, "disk", where))
			continue;
		d->name = xstrdup(spec_scalar(k));
		g->ndisks++;
		parse_disk(c, d, spec_node(c, p->value), a, where);
	}
}

/* ---- the network ---- */

/* `name: 7777` (TCP) or `name: "7777/udp"`. */
static void parse_forward(struct spec_ctx *c, struct spec_forward *f,
			  yaml_node_t *k, yaml_node_t *v, const char *where)
{
	const char *s = spec_scalar(v);
	char *end = NULL;
	long port = s ? strtol(s, &end, 10) : 0;

	f->name = xstrdup(spec_scalar(k));
	f->pos = spec_mark_pos(v->start_mark);
	if (end && !strcmp(end, "/udp"))
		f->udp = true;
	else if (end && *end && strcmp(end, "/tcp"))
		port = 0;
	if (!s || end == s || port < 1 || port > 65535)
		spec_diag(c, f->pos, "forward '%s' %s: '%s' is not a guest port "
			  "(1 to 65535, optionally '/udp' or '/tcp')", f->name,
			  where, s ? s : "a collection");
	f->port = (int)port;
}

static void parse_forwards(struct spec_ctx *c, struct spec_guest *g,
			   yaml_node_t *n, const char *where)
{
	yaml_node_pair_t *p;

	if (spec_map(c, n, "'forward'", where, NULL, NULL, NULL) < 0)
		return;
	g->forwards = xcalloc(spec_len(n) + 1, sizeof(*g->forwards));
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = spec_node(c, p->key);

		if (spec_map_skip(c, n, (size_t)(p - n->data.mapping.pairs.start)) ||
		    !good_name(c, k, "forward", where))
			continue;
		parse_forward(c, &g->forwards[g->nforwards++], k,
			      spec_node(c, p->value), where);
	}
}

/* `net: user`, `net: none`, or `net: {mode: user, forward: {...}}`. */
static void parse_net(struct spec_ctx *c, struct spec_guest *g, yaml_node_t *n,
		      const struct vm_arch *a, const char *where)
{
	yaml_node_t *v[NET_NKEYS], *k[NET_NKEYS], *mode = n;
	int i;

	if (n->type == YAML_MAPPING_NODE) {
		if (spec_map(c, n, "'net'", where, net_keys, v, k) < 0)
			return;
		if (!v[NET_MODE])
			spec_missing(c, n, net_keys, "mode", where);
		mode = v[NET_MODE];
		if (v[NET_FORWARD])
			parse_forwards(c, g, v[NET_FORWARD], where);
	}
	if (mode && spec_get_enum(c, mode, "net", where, net_modes, &i) == 0)
		g->net_user = i == 1;
	if (g->nforwards && !g->net_user)
		spec_diag(c, spec_mark_pos(n->start_mark), "'forward' %s needs "
			  "'mode: user' (a guest without a network has no port "
			  "to forward to)", where);
	if (g->net_user && a && !a->net_args)
		spec_diag(c, spec_mark_pos(n->start_mark), "'net' %s: an %s guest "
			  "has no user-mode network here (only QEMU's guests: "
			  "x86_64, arm64)", where, a->name);
}

/* ---- serial ports ---- */

static void add_port(struct spec_guest *g, const char *name, const char *to,
		     struct spec_pos pos)
{
	struct spec_serial *s = &g->serial[g->nserial++];

	s->name = xstrdup(name);
	s->to = xstrdup(to);
	s->pos = pos;
}

static bool port_named(const struct spec_guest *g, const char *name)
{
	for (size_t i = 0; i < g->nserial; i++)
		if (!strcmp(g->serial[i].name, name))
			return true;
	return false;
}

/* `serial: {uart: host}` (a port on a host socket) or `{a: b}` (ports a
 * and b, wired to each other). */
static void parse_serial(struct spec_ctx *c, struct spec_guest *g,
			 yaml_node_t *n, const struct vm_arch *a,
			 const char *where)
{
	yaml_node_pair_t *p;

	if (spec_map(c, n, "'serial'", where, NULL, NULL, NULL) < 0)
		return;
	if (a && !a->lines)
		spec_diag(c, spec_mark_pos(n->start_mark), "'serial' %s: an %s "
			  "guest has no serial ports to give here (only QEMU's "
			  "guests: x86_64, arm64)", where, a->name);
	g->serial = xcalloc(2 * spec_len(n) + 1, sizeof(*g->serial));
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = spec_node(c, p->key), *v = spec_node(c, p->value);
		const char *name = spec_scalar(k), *to = spec_scalar(v);
		struct spec_pos pos = spec_mark_pos(v->start_mark);

		if (spec_map_skip(c, n, (size_t)(p - n->data.mapping.pairs.start)) ||
		    !good_name(c, k, "serial port", where))
			continue;
		if (!to || (strcmp(to, "host") && !good_name(c, v, "serial port", where))) {
			if (!to)
				spec_want(c, v, "string", "a serial port", where);
			continue;
		}
		if (port_named(g, name) || (strcmp(to, "host") && port_named(g, to)) ||
		    !strcmp(name, to)) {
			spec_diag(c, pos, "serial port '%s' %s is wired twice (one "
				  "entry a port, or a pair)", port_named(g, name) ||
				  !strcmp(name, to) ? name : to, where);
			continue;
		}
		add_port(g, name, to, pos);
		if (strcmp(to, "host"))
			add_port(g, to, name, pos);
	}
}

void spec_parse_guest_devices(struct spec_ctx *c, struct spec_guest *g,
			      yaml_node_t *disks, yaml_node_t *net,
			      yaml_node_t *serial, const char *where)
{
	const struct vm_arch *a = guest_arch(c, g);

	if (disks)
		parse_disks(c, g, disks, a, where);
	if (net)
		parse_net(c, g, net, a, where);
	if (serial)
		parse_serial(c, g, serial, a, where);
}

/* ---- a step's console, background and keys ---- */

/* QEMU's key names (sendkey), the ones a lab may press. */
static const char *const key_names[] = {
	"shift", "shift_r", "alt", "alt_r", "ctrl", "ctrl_r", "esc", "minus",
	"equal", "backspace", "tab", "ret", "spc", "caps_lock", "semicolon",
	"apostrophe", "grave_accent", "backslash", "comma", "dot", "slash",
	"bracket_left", "bracket_right", "up", "down", "left", "right",
	"home", "end", "pgup", "pgdn", "insert", "delete", "f1", "f2", "f3",
	"f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12", NULL,
};

static bool key_known(const char *k, size_t len)
{
	if (len == 1 && (isdigit((unsigned char)*k) || islower((unsigned char)*k)))
		return true;
	for (size_t i = 0; key_names[i]; i++)
		if (strlen(key_names[i]) == len && !strncmp(key_names[i], k, len))
			return true;
	return false;
}

/* "shift-a": each part a key. */
static bool combo_known(const char *k)
{
	for (;;) {
		size_t len = strcspn(k, "-");

		if (!len || !key_known(k, len))
			return false;
		if (!k[len])
			return true;
		k += len + 1;
	}
}

static void push_key(struct spec_step *st, const char *k, size_t len)
{
	st->keys = xrealloc(st->keys, (st->nkeys + 2) * sizeof(*st->keys));
	st->keys[st->nkeys++] = xstrndup(k, len);
	st->keys[st->nkeys] = NULL;
}

/* A character of a `keys:` string that is no key of its own: reported
 * once, a UTF-8 sequence whole; returns how many more bytes it has. */
static size_t bad_char(struct spec_ctx *c, yaml_node_t *n, const char *s,
		       size_t i, const char *where)
{
	size_t len = 1;

	while ((s[i] & 0x80) && (s[i + len] & 0xc0) == 0x80)
		len++;
	spec_diag(c, spec_value_pos(c, n, i), "key '%.*s' %s cannot be typed "
		  "as it is (a-z, 0-9, space, newline; name others in a "
		  "sequence: [shift-a, minus])", (int)len, s + i, where);
	return len - 1;
}

/* `keys: "hello 1"` (letters, digits, spaces: spc; newlines: ret) or
 * `keys: [shift-h, i, ret]`, QEMU's names. */
static void parse_keys(struct spec_ctx *c, struct spec_step *st,
		       yaml_node_t *n, const char *where)
{
	yaml_node_item_t *it;
	const char *s = spec_scalar(n);

	st->keys_pos = spec_mark_pos(n->start_mark);
	if (s) {
		for (size_t i = 0; s[i]; i++) {
			if (s[i] == ' ' || s[i] == '\n')
				push_key(st, s[i] == ' ' ? "spc" : "ret", 3);
			else if (key_known(s + i, 1))
				push_key(st, s + i, 1);
			else
				i += bad_char(c, n, s, i, where);
		}
	} else if (spec_want(c, n, "sequence", "'keys'", where) == 0) {
		for (it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++) {
			yaml_node_t *k = spec_node(c, *it);
			const char *name = spec_scalar(k);

			if (name && combo_known(name))
				push_key(st, name, strlen(name));
			else
				spec_diag(c, spec_mark_pos(k->start_mark), "unknown "
					  "key '%s' %s (QEMU's sendkey names: a, 1, "
					  "ret, spc, shift-a, f1 ...)", name ? name : "?",
					  where);
		}
	}
	if (!st->nkeys && !c->ndiags)
		spec_diag(c, st->keys_pos, "'keys' %s presses no key", where);
}

void spec_parse_step_devices(struct spec_ctx *c, struct spec_step *st,
			     yaml_node_t *console, yaml_node_t *background,
			     yaml_node_t *keys, const char *where)
{
	const char *b = spec_scalar(background);
	yaml_node_t *first = console ? console : background ? background : keys;

	if (first && st->kind != STEP_GUEST) {
		spec_diag(c, spec_mark_pos(first->start_mark), "'%s' %s: only a "
			  "guest step runs on the guest", console ? "console" :
			  background ? "background" : "keys", where);
		return;
	}
	st->console = spec_get_str(c, console, "console", where);
	if (st->console && !strcmp(st->console, "1")) {
		free(st->console);
		st->console = NULL;
	} else if (st->console && (!*st->console || strspn(st->console,
		   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		   "0123456789_-") != strlen(st->console))) {
		spec_diag(c, spec_mark_pos(console->start_mark), "bad console name "
			  "'%s' %s (letters, digits, '_', '-')", st->console, where);
	}
	if (background && b && (!strcmp(b, "true") || !strcmp(b, "false")))
		st->background = !strcmp(b, "true");
	else if (background)
		spec_diag(c, spec_mark_pos(background->start_mark), "expected true "
			  "or false for 'background' %s, not '%s'", where,
			  b ? b : "a collection");
	if (keys)
		parse_keys(c, st, keys, where);
}

/* ---- the exercise as a whole ---- */

static void add_console(struct spec_guest *g, const char *name)
{
	for (size_t i = 0; i < g->nconsoles; i++)
		if (!strcmp(g->consoles[i], name))
			return;
	g->consoles = xrealloc(g->consoles, (g->nconsoles + 1) * sizeof(char *));
	g->consoles[g->nconsoles++] = xstrdup(name);
}

/* The consoles the steps name, and what the guest kind can give. */
static void check_lines(struct spec_ctx *c, struct spec_exercise *ex,
			const struct vm_arch *a)
{
	struct spec_guest *g = ex->guest;
	size_t have = a ? vm_arch_nlines(a) : (size_t)-1;

	for (size_t i = 0; i < ex->nsteps; i++) {
		const struct spec_step *st = &ex->steps[i];

		if (st->console && st->kind == STEP_GUEST && g) {
			if (a && !a->lines)
				spec_diag(c, st->pos, "'console' in step %s: an %s "
					  "guest has one console here (only QEMU's "
					  "guests have more)", st->id, a->name);
			add_console(g, st->console);
		}
		if (st->nkeys && a && !a->keyboard)
			spec_diag(c, st->keys_pos, "'keys' in step %s: an %s guest "
				  "has no PS/2 keyboard to press them on (x86_64 "
				  "has)", st->id, a->name);
		if ((st->console || st->nkeys || st->background) && !g)
			spec_diag(c, st->pos, "step %s needs a guest: its "
				  "exercise has none", st->id);
	}
	if (g && a && a->lines && g->nconsoles + g->nserial > have)
		spec_diag(c, g->pos, "the guest of exercise %s needs %zu extra "
			  "lines (%zu consoles, %zu serial ports); an %s guest has "
			  "%zu", ex->id ? ex->id : "?", g->nconsoles + g->nserial,
			  g->nconsoles, g->nserial, a->name, have);
}

/* A later step's `wait: {step:}` names a background step before it. */
static const struct spec_step *waited_step(struct spec_ctx *c,
					   const struct spec_exercise *ex,
					   size_t at)
{
	const struct spec_step *st = &ex->steps[at];
	const struct spec_step *b = spec_exercise_step(ex, st->wait->step);

	if (!b || b >= st || !b->background) {
		spec_diag(c, st->wait->pos, "'wait' in step %s: '%s' is not a "
			  "background step before it in exercise %s", st->id,
			  st->wait->step, ex->id ? ex->id : "?");
		return NULL;
	}
	return b;
}

/*
 * Steps in order: a background step holds its console until a later
 * step waits for its end; no other step may run there meanwhile, and
 * only the shell's line may end the shell or the guest.
 */
static void check_background(struct spec_ctx *c, const struct spec_exercise *ex)
{
	const struct spec_step **busy = xcalloc(ex->nsteps + 1, sizeof(*busy));
	size_t nbusy = 0;

	for (size_t i = 0; i < ex->nsteps; i++) {
		const struct spec_step *st = &ex->steps[i], *b;
		const char *con = st->console ? st->console : "1";

		if (st->kind != STEP_GUEST || st->skip)
			continue;
		b = st->wait && st->wait->step ? waited_step(c, ex, i) : NULL;
		for (size_t j = 0; b && !st->wait->pattern && j < nbusy; j++)
			if (busy[j] == b)
				busy[j] = busy[--nbusy];
		for (size_t j = 0; j < nbusy; j++) {
			const char *bc = busy[j]->console ? busy[j]->console : "1";

			if (!strcmp(bc, con))
				spec_diag(c, st->pos, "step %s runs on console "
					  "'%s', where step %s still runs in the "
					  "background (wait for its end first: "
					  "wait: {step: \"%s\"}; or give it another "
					  "console)", st->id, con, busy[j]->id,
					  busy[j]->id);
		}
		if (st->ends && (st->console || st->background))
			spec_diag(c, st->pos, "step %s: only a step on the shell's "
				  "own line, not in the background, may end the "
				  "shell or the guest ('ends')", st->id);
		if (st->background)
			busy[nbusy++] = st;
	}
	free(busy);
}

void spec_check_exercise_devices(struct spec_ctx *c, struct spec_exercise *ex)
{
	const struct vm_arch *a = ex->guest ? guest_arch(c, ex->guest) : NULL;

	check_lines(c, ex, a);
	check_background(c, ex);
}

/* ---- variables ---- */

/* "disk.<name>.path|dev", "net.<name>.port", "serial.<name>.tty|socket":
 * the kind ("disk" ...), and the name in *name (caller frees); NULL for
 * any other variable. */
const char *spec_device_var(const char *var, char **name)
{
	static const struct { const char *kind, *fields; } kinds[] = {
		{ "disk", ".path.dev." }, { "net", ".port." },
		{ "serial", ".tty.socket." },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t n = strlen(kinds[i].kind);
		const char *dot = strrchr(var, '.');
		char *field;
		bool ok;

		if (strncmp(var, kinds[i].kind, n) || var[n] != '.' ||
		    dot <= var + n + 1)
			continue;
		field = xasprintf("%s.", dot);
		ok = strstr(kinds[i].fields, field) != NULL;
		free(field);
		if (!ok)
			return NULL;
		if (name)
			*name = xstrndup(var + n + 1, (size_t)(dot - var - n - 1));
		return kinds[i].kind;
	}
	return NULL;
}

static bool guest_has(const struct spec_guest *g, const char *kind,
		      const char *name)
{
	for (size_t i = 0; !strcmp(kind, "disk") && i < g->ndisks; i++)
		if (!strcmp(g->disks[i].name, name))
			return true;
	for (size_t i = 0; !strcmp(kind, "net") && i < g->nforwards; i++)
		if (!strcmp(g->forwards[i].name, name))
			return true;
	for (size_t i = 0; !strcmp(kind, "serial") && i < g->nserial; i++)
		if (!strcmp(g->serial[i].name, name))
			return true;
	return false;
}

int spec_check_device_var(struct spec_ctx *c, struct spec_pos pos,
			  const char *var, const char *where,
			  const struct spec_exercise *ex)
{
	char *name = NULL;
	const char *kind = spec_device_var(var, &name);
	int bad = 0;

	if (!kind)
		return 0;
	if (!ex->guest || !guest_has(ex->guest, kind, name))
		bad = spec_diag(c, pos, "variable '%s' %s: the guest of exercise "
				"%s has no %s '%s' (its '%s')", var, where,
				ex->id ? ex->id : "?", !strcmp(kind, "net") ?
				"forwarded port" : !strcmp(kind, "disk") ? "disk" :
				"serial port", name, !strcmp(kind, "net") ?
				"net: {forward:}" : !strcmp(kind, "disk") ? "disks:" :
				"serial:");
	free(name);
	return bad;
}

/* ---- freeing ---- */

void spec_guest_devices_free(struct spec_guest *g)
{
	for (size_t i = 0; i < g->ndisks; i++) {
		free(g->disks[i].name);
		free(g->disks[i].mkfs);
		free(g->disks[i].files);
	}
	for (size_t i = 0; i < g->nforwards; i++)
		free(g->forwards[i].name);
	for (size_t i = 0; i < g->nserial; i++) {
		free(g->serial[i].name);
		free(g->serial[i].to);
	}
	for (size_t i = 0; i < g->nconsoles; i++)
		free(g->consoles[i]);
	free(g->disks);
	free(g->forwards);
	free(g->serial);
	free(g->consoles);
}

void spec_step_devices_free(struct spec_step *st)
{
	for (size_t i = 0; i < st->nkeys; i++)
		free(st->keys[i]);
	free(st->keys);
	free(st->console);
}

enum spec_unsaved spec_guest_unsaved(const struct spec *spec,
				    const struct spec_exercise *ex)
{
	const struct spec_guest *g = ex->guest;
	const struct spec_kernel *k = spec_kernel(spec, g->kernel);

	if (!k || k->from != KERNEL_FROM_DEBIAN_PACKAGE)
		return UNSAVED_KERNEL;
	if (g->boot == BOOT_DISK)
		return UNSAVED_DISK_BOOT;
	if (g->use_installed)
		return UNSAVED_INSTALLED;
	if (g->ndisks || g->net_user || g->nserial || g->nconsoles || g->share)
		return UNSAVED_DEVICES;
	for (size_t i = 0; i < ex->nsteps; i++)
		if (ex->steps[i].nkeys && !ex->steps[i].skip)
			return UNSAVED_KEYS;
	return UNSAVED_NONE;
}
