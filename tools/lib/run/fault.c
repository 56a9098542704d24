/*
 * fault.c — a fault of the guest's kernel as a step's result.  The
 * kernel's console is watched by console.c, which remembers where each
 * fault line is; here the most severe one of a step becomes its result
 * (first line, trace), and a trace that points into a module labkit built
 * is decoded to the source line: the function and offset the kernel
 * printed (`oops_null_init+0x15/0x1000 [oops_null]`) are looked up in the
 * module's symbol table (objdump -t) and its debug information (addr2line
 * -j <section>), as the kernel's scripts/faddr2line does.  No DWARF is
 * read here.
 *
 * A trace's lines that the kernel repeats are folded (fold.c), the
 * count said.
 *
 * Never fails: what cannot be decoded (no binutils, no debug information,
 * a frame in the kernel itself) leaves `where` and `source` empty.
 */
#include "fault.h"
#include "fold.h"
#include "proc.h"
#include "util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRACE_LINES 80
#define CONTEXT 3

/* The line at `p` (up to its newline), a fault of kind `k`, without a
 * leading printk time (a bracket that holds the fault's words is none). */
static char *line_at(const char *p, enum fault_kind k)
{
	size_t n = strcspn(p, "\n");

	if (p[0] == '[') {
		const char *end = memchr(p, ']', n);

		if (end && end[1] == ' ' &&
		    console_fault_line(end + 2, n - (size_t)(end + 2 - p)) == k) {
			n -= (size_t)(end + 2 - p);
			p = end + 2;
		}
	}
	return xstrndup(p, n);
}

/* The trace: from `p` to the kernel's end-of-trace line, at most
 * TRACE_LINES lines. */
static char *trace_at(const char *p)
{
	const char *q = p;

	for (int n = 0; *q && n < TRACE_LINES; n++) {
		const char *nl = strchr(q, '\n');
		size_t len = nl ? (size_t)(nl - q) : strlen(q);
		bool end = memmem(q, len, "---[ end ", 9) != NULL;

		q = nl ? nl + 1 : q + len;
		if (end)
			break;
	}
	return xstrndup(p, (size_t)(q - p));
}

void fault_find(const struct console *k, size_t from, size_t to,
		struct results_fault *f)
{
	const struct console_fault *best = NULL;
	char *folded;

	for (size_t i = 0; i < k->nfaults; i++)
		if (k->faults[i].at >= from && k->faults[i].at < to &&
		    (!best || k->faults[i].kind > best->kind))
			best = &k->faults[i];
	if (!best || best->at >= k->text.len)
		return;
	f->kind = best->kind;
	free(f->line);
	free(f->trace);
	f->line = line_at(k->text.buf + best->at, best->kind);
	/* What the kernel repeats after it (an idle task made to sleep
	 * prints a line and a stack again and again) is counted, so that
	 * the trace reaches past it and says how often. */
	folded = fold_repeats(k->text.buf + best->at, NULL, NULL, NULL);
	f->trace = trace_at(folded);
	free(folded);
}

/* ---- decoding ---- */

/* A frame of a trace in a module: `sym+0xoff/0xsize [module]`. */
struct frame {
	char sym[128];
	unsigned long off;
	char module[64];
	bool rip;            /* the faulting instruction, not a return address */
};

/* The frame a trace line ends with, if it is in a module: 1, else 0. */
static int parse_frame(const char *line, size_t len, struct frame *fr)
{
	const char *open = NULL, *tok, *plus;
	size_t n;

	while (len && (line[len - 1] == ' ' || line[len - 1] == '\r'))
		len--;
	if (!len || line[len - 1] != ']')
		return 0;
	for (const char *p = line + len - 1; p > line; p--)
		if (*p == '[' && p[-1] == ' ') {
			open = p;
			break;
		}
	if (!open || (n = (size_t)(line + len - 1 - open - 1)) == 0 ||
	    n >= sizeof(fr->module))
		return 0;
	memcpy(fr->module, open + 1, n);
	fr->module[n] = '\0';
	tok = open - 1;
	while (tok > line && tok[-1] != ' ' && tok[-1] != ':')
		tok--;
	plus = memchr(tok, '+', (size_t)(open - 1 - tok));
	if (!plus || (size_t)(plus - tok) >= sizeof(fr->sym) || plus == tok)
		return 0;
	memcpy(fr->sym, tok, (size_t)(plus - tok));
	fr->sym[plus - tok] = '\0';
	fr->off = strtoul(plus + 1, NULL, 16);
	return 1;
}

/* The .ko of module `name` (the kernel writes '-' as '_'), or NULL. */
static const char *module_ko(const char *name, const char *const *modules,
			     size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(modules[i], '=');
		size_t len = eq ? (size_t)(eq - modules[i]) : 0;
		size_t j = 0;

		while (j < len && name[j] &&
		       (name[j] == modules[i][j] ||
			(name[j] == '_' && modules[i][j] == '-')))
			j++;
		if (eq && j == len && !name[j])
			return eq + 1;
	}
	return NULL;
}

/* The first frame of the trace in one of `modules`, the faulting one
 * (RIP:) first.  1 found, 0 not. */
static int module_frame(const char *trace, const char *const *modules,
			size_t n, struct frame *fr, const char **ko)
{
	for (int rip = 1; rip >= 0; rip--) {
		for (const char *p = trace; *p;) {
			const char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p) : strlen(p);

			if ((!rip || memmem(p, len, "RIP: ", 5)) &&
			    parse_frame(p, len, fr) &&
			    (*ko = module_ko(fr->module, modules, n))) {
				fr->rip = rip;
				return 1;
			}
			p += len + (nl != NULL);
		}
	}
	return 0;
}

/* The output of a command that must succeed, or NULL. */
static char *run_tool(char *const *argv)
{
	struct sb out;
	struct proc p;

	sb_init(&out);
	if (proc_run(argv, NULL, 10, &out, &p) != 0) {
		sb_release(&out);
		return NULL;
	}
	return sb_detach(&out, NULL);
}

/* `sym`'s section and value in the module's symbol table (objdump -t:
 * "VALUE FLAGS SECTION\tSIZE NAME"). */
static int symbol(const char *ko, const char *sym, char *section,
		  size_t size, unsigned long *value)
{
	char *argv[] = { "objdump", "-t", (char *)ko, NULL };
	char *out = run_tool(argv), *save = NULL;
	int found = 0;

	for (char *l = out ? strtok_r(out, "\n", &save) : NULL; l && !found;
	     l = strtok_r(NULL, "\n", &save)) {
		char *name = strrchr(l, ' '), *tab = strrchr(l, '\t'), *sec;

		if (!name || !tab || tab > name || strcmp(name + 1, sym))
			continue;
		*tab = '\0';
		sec = strrchr(l, ' ');
		if (!sec || strlen(sec + 1) >= size)
			continue;
		strcpy(section, sec + 1);
		*value = strtoul(l, NULL, 16);
		found = 1;
	}
	free(out);
	return found;
}

/* "path/file.c:8" for an address in a section of the module, or NULL. */
static char *source_line(const char *ko, const char *section,
			 unsigned long addr)
{
	char hex[32];
	char *argv[] = { "addr2line", "-e", (char *)ko, "-j", (char *)section,
			 hex, NULL };
	char *out;

	snprintf(hex, sizeof(hex), "0x%lx", addr);
	out = run_tool(argv);
	if (out)
		out[strcspn(out, " \n")] = '\0';  /* " (discriminator 1)" */
	if (out && (out[0] == '?' || !strchr(out, ':'))) {
		free(out);
		return NULL;
	}
	return out;
}

/* Line `n` of `path` with CONTEXT lines around it, the line marked. */
static char *context(const char *path, long n)
{
	char *data = NULL, *p;
	struct sb sb;
	size_t len;
	long i = 1;

	if (fs_read_file(path, &data, &len) < 0)
		return NULL;
	sb_init(&sb);
	for (p = data; *p && i <= n + CONTEXT; i++) {
		char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);

		if (i >= n - CONTEXT)
			sb_addf(&sb, "%s%5ld | %.*s\n", i == n ? ">" : " ", i,
				(int)l, p);
		p += l + (nl != NULL);
	}
	free(data);
	return sb_detach(&sb, NULL);
}

void fault_decode(struct results_fault *f, const char *const *modules,
		  size_t nmodules)
{
	char section[64], *where, *colon;
	unsigned long value;
	struct frame fr;
	const char *ko, *base;

	if (f->kind == FAULT_NONE || !f->trace ||
	    !module_frame(f->trace, modules, nmodules, &fr, &ko) ||
	    !symbol(ko, fr.sym, section, sizeof(section), &value))
		return;
	/* A return address is past its call: the call's line is a byte back. */
	where = source_line(ko, section, value + fr.off - (!fr.rip && fr.off));
	if (!where)
		return;
	colon = strrchr(where, ':');
	*colon = '\0';
	f->source = context(where, strtol(colon + 1, NULL, 10));
	base = strrchr(where, '/');
	f->where = xasprintf("%s:%s", base ? base + 1 : where, colon + 1);
	free(where);
}
