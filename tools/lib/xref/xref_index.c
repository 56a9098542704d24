/*
 * xref_index.c — reading an index: mapping the file, checking it is one,
 * and looking symbols, definitions and references up in it.
 *
 * Owns the checks xref_open() makes before anyone reads a record (magic,
 * byte order, format version, size against the header, every section
 * inside the file) and the bounds checks each lookup makes on the records
 * it touches, so a damaged index gives an error or no answer, never a
 * read outside the mapping.  Nothing is parsed or copied at open: a
 * lookup is a binary search over the mapped symbol table.
 *
 * xref_open() prints an error naming the file and saying what to do;
 * lookups never print.  Allocation failure dies.
 */
#include "xref_index_int.h"
#include "xref_format_int.h"
#include "xref_query.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const kind_names[XREF_NKINDS] = {
	[XREF_NONE] = "none",
	[XREF_STRUCT] = "struct",
	[XREF_UNION] = "union",
	[XREF_ENUM] = "enum",
	[XREF_TYPEDEF] = "typedef",
	[XREF_FUNCTION] = "function",
	[XREF_PROTOTYPE] = "prototype",
	[XREF_MACRO] = "macro",
	[XREF_ENUMERATOR] = "enumerator",
	[XREF_VARIABLE] = "variable",
	[XREF_EXTERNVAR] = "extern",
	[XREF_SYSCALL] = "syscall",
	[XREF_LABEL] = "label",
};

const char *xref_kind_name(enum xref_kind kind)
{
	return (unsigned)kind < XREF_NKINDS ? kind_names[kind] : "?";
}

int xref_kind_parse(const char *name)
{
	static const struct {
		const char *alias;
		int kind;
	} aliases[] = {
		{ "func", XREF_FUNCTION }, { "proto", XREF_PROTOTYPE },
		{ "define", XREF_MACRO }, { "constant", XREF_ENUMERATOR },
		{ "var", XREF_VARIABLE }, { "externvar", XREF_EXTERNVAR },
	};

	for (int k = 1; k < XREF_NKINDS; k++)
		if (!strcmp(name, kind_names[k]))
			return k;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(name, aliases[i].alias))
			return aliases[i].kind;
	return -1;
}

/* --- opening --------------------------------------------------------------- */

static int section_ok(const struct xref_header *h, uint64_t off,
		      uint64_t count, uint64_t size)
{
	return off >= sizeof(*h) && off <= h->file_size &&
	       count <= (h->file_size - off) / (size ? size : 1) && !(off & 7);
}

/* error(), unless `quiet`. */
#define complain(quiet, ...) ((quiet) ? -1 : error(__VA_ARGS__))

/* Checks the header of a mapped file of `size` bytes. */
static int check_header(const char *path, const struct xref_header *h,
			size_t size, int quiet)
{
	const char *rebuild = "rebuild it with 'labkit xref index <tree> -o";

	if (size < sizeof(*h) || memcmp(h->magic, XREF_MAGIC, sizeof(h->magic)))
		return complain(quiet, "%s: not a labkit xref index", path);
	if (h->byte_order != XREF_BYTE_ORDER)
		return complain(quiet, "%s: index written on a machine of the other byte order; %s %s'",
			     path, rebuild, path);
	if (h->version != XREF_VERSION)
		return complain(quiet, "%s: index format version %u, this labkit reads version %u; %s %s'",
			     path, h->version, XREF_VERSION, rebuild, path);
	if (h->file_size != size)
		return complain(quiet, "%s: truncated or damaged index (%zu bytes, header says %llu); %s %s'",
			     path, size, (unsigned long long)h->file_size, rebuild, path);
	if (!section_ok(h, h->root_off, 1, 1) ||
	    !section_ok(h, h->files_off, h->nfiles, sizeof(struct xref_file_rec)) ||
	    !section_ok(h, h->stamps_off, h->nfiles, sizeof(struct xref_stamp)) ||
	    !section_ok(h, h->syms_off, (uint64_t)h->nsyms + 1, sizeof(struct xref_sym_rec)) ||
	    !section_ok(h, h->defs_off, h->ndefs, sizeof(struct xref_def_rec)) ||
	    !section_ok(h, h->docs_off, h->ndocs, sizeof(struct xref_doc_rec)) ||
	    !section_ok(h, h->strs_off, h->strs_size, 1) || !h->strs_size ||
	    !section_ok(h, h->post_off, h->post_size, 1) ||
	    !memchr((const char *)h + h->root_off, '\0', size - h->root_off) ||
	    ((const char *)h)[h->strs_off + h->strs_size - 1] != '\0')
		return complain(quiet, "%s: damaged index (a section is out of bounds); %s %s'",
			     path, rebuild, path);
	return 0;
}

static struct xref_index *open_index(const char *path, int quiet)
{
	struct xref_index *idx;
	struct stat st;
	void *base;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		complain(quiet, "%s: %s (build it with 'labkit xref index <tree> -o %s')",
			 path, strerror(errno), path);
		return NULL;
	}
	if (fstat(fd, &st) < 0 || st.st_size < (off_t)sizeof(struct xref_header)) {
		complain(quiet, "%s: not a labkit xref index", path);
		close(fd);
		return NULL;
	}
	base = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (base == MAP_FAILED) {
		complain(quiet, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (check_header(path, base, (size_t)st.st_size, quiet) < 0) {
		munmap(base, (size_t)st.st_size);
		return NULL;
	}
	idx = xcalloc(1, sizeof(*idx));
	idx->base = base;
	idx->size = (size_t)st.st_size;
	idx->h = base;
	idx->files = (const void *)(idx->base + idx->h->files_off);
	idx->syms = (const void *)(idx->base + idx->h->syms_off);
	idx->defs = (const void *)(idx->base + idx->h->defs_off);
	idx->docs = (const void *)(idx->base + idx->h->docs_off);
	idx->strs = (const char *)idx->base + idx->h->strs_off;
	idx->post = idx->base + idx->h->post_off;
	return idx;
}

struct xref_index *xref_open(const char *path)
{
	return open_index(path, 0);
}

struct xref_index *xref_open_quiet(const char *path)
{
	return open_index(path, 1);
}

void xref_close(struct xref_index *idx)
{
	if (!idx)
		return;
	munmap((void *)idx->base, idx->size);
	free(idx);
}

const char *xref_root(const struct xref_index *idx)
{
	return (const char *)idx->base + idx->h->root_off;
}

/* --- records ----------------------------------------------------------------- */

const char *xref_str(const struct xref_index *idx, uint32_t off)
{
	/* the strings end with a NUL (checked at open) */
	return off < idx->h->strs_size ? idx->strs + off : NULL;
}

const char *xref_file_path(const struct xref_index *idx, uint32_t file)
{
	return file < idx->h->nfiles ? xref_str(idx, idx->files[file].path_off) : NULL;
}

const char *xref_sym_name(const struct xref_index *idx,
			  const struct xref_sym_rec *s, size_t *len)
{
	const char *name = xref_str(idx, s->name_off);

	if (!name || s[1].name_off <= s->name_off ||
	    s[1].name_off > idx->h->strs_size || name[s[1].name_off - s->name_off - 1])
		return NULL;
	*len = s[1].name_off - s->name_off - 1;
	return name;
}

const struct xref_sym_rec *xref_lookup(const struct xref_index *idx,
				       const char *name, size_t len)
{
	size_t lo = 0, hi = idx->h->nsyms, nlen;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct xref_sym_rec *s = &idx->syms[mid];
		const char *n = xref_sym_name(idx, s, &nlen);
		int c;

		if (!n)
			return NULL;
		c = memcmp(n, name, nlen < len ? nlen : len);
		if (!c)
			c = nlen < len ? -1 : nlen > len;
		if (!c)
			return s;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int in_prefix(const char *path, const char *in)
{
	return !in || !*in || !strncmp(path, in, strlen(in));
}

size_t xref_defs(const struct xref_index *idx, const char *name, int kind,
		 const char *in, struct xref_def *out, size_t max,
		 size_t *total)
{
	const struct xref_sym_rec *s = xref_lookup(idx, name, strlen(name));
	size_t n = 0, all = 0, len = 0;
	const char *sname = s ? xref_sym_name(idx, s, &len) : NULL;

	if (s && (s[1].def_first < s->def_first || s[1].def_first > idx->h->ndefs))
		s = NULL;
	for (uint32_t i = s ? s->def_first : 0; s && i < s[1].def_first; i++) {
		const struct xref_def_rec *d = &idx->defs[i];
		const char *path = xref_file_path(idx, d->file);

		if (!path || (kind && (d->kind & 15) != kind) || !in_prefix(path, in))
			continue;
		if (n < max)
			out[n++] = (struct xref_def){
				.path = path, .name = sname, .name_len = len,
				.line = d->line,
				.start_line = d->line > d->back ? d->line - d->back : 1,
				.end_line = d->line + d->span,
				.kind = d->kind & 15, .flags = d->kind >> 4,
			};
		all++;
	}
	if (total)
		*total = all;
	return n;
}

size_t xref_refs(const struct xref_index *idx, const char *name,
		 const char *in, struct xref_ref *out, size_t max,
		 size_t *total)
{
	const struct xref_sym_rec *s = xref_lookup(idx, name, strlen(name));
	const uint8_t *p, *end;
	uint32_t file = 0, line = 0, v, checked = UINT32_MAX;
	const char *path = NULL;
	size_t n = 0, all = 0, k;
	int ok = 0;

	if (!s || s[1].post_off < s->post_off || s[1].post_off > idx->h->post_size)
		goto out;
	p = idx->post + s->post_off;
	end = idx->post + s[1].post_off;
	while (p < end && (k = xref_get_varint(p, end, &v))) {
		p += k;
		if (v & 1) {
			file += v >> 1;
			if (!(k = xref_get_varint(p, end, &line)))
				break;
			p += k;
		} else {
			line += v >> 1;
		}
		if (file != checked) {
			checked = file;
			path = xref_file_path(idx, file);
			ok = path && in_prefix(path, in);
		}
		if (!ok)
			continue;
		if (n < max)
			out[n++] = (struct xref_ref){ .path = path, .file = file, .line = line };
		all++;
	}
out:
	if (total)
		*total = all;
	return n;
}
