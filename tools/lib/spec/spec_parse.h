/*
 * spec_parse.h — private to the spec stage's files: the state of one
 * spec_load() and the helpers that turn libyaml nodes into the model
 * while collecting compiler-style diagnostics.  spec.c (the file, the top
 * level) calls spec_build.c (kernels, modules, rootfs) and
 * spec_exercise.c, which calls spec_step.c; all use spec_refs.c
 * (references, patterns, ids) and spec_node.c (nodes, positions).
 */
#ifndef LABKIT_SPEC_PARSE_H
#define LABKIT_SPEC_PARSE_H

#include "spec.h"
#include "util.h"

#include <yaml.h>

/* One problem found, printed sorted by position when loading ends. */
struct spec_diag {
	struct spec_pos pos;
	size_t seq;
	char *msg;
};

struct spec_ctx {
	const char *file;
	const char *src;          /* the file's bytes */
	size_t len;
	size_t *line_start;       /* byte offset of each 0-based line */
	size_t nlines;
	yaml_document_t *doc;
	struct spec *spec;
	struct spec_diag *diags;
	size_t ndiags, diags_cap;
	const struct spec_step *step; /* whose answer is checked: its patterns'
				    named groups are ${match.<name>} */
};

/* Did-you-mean: feed candidates to spec_suggest_try(), read `best`. */
struct spec_suggest {
	const char *word;
	const char *best;
	size_t dist;
};


/* spec_node.c — diagnostics and node access */
struct spec_pos spec_mark_pos(yaml_mark_t m);
/* Queues a problem at `pos`; returns 1 (one more problem). */
int spec_diag(struct spec_ctx *c, struct spec_pos pos, const char *fmt, ...)
	PRINTF_LIKE(3, 4);
yaml_node_t *spec_node(struct spec_ctx *c, int index);
/* Where byte `offset` of a scalar's value sits in the file. */
struct spec_pos spec_value_pos(struct spec_ctx *c, const yaml_node_t *n,
			       size_t offset);
/* The bytes at a 0-based line and character column (NULL past the end). */
const char *spec_src_at(struct spec_ctx *c, size_t line, size_t col);

void spec_suggest_init(struct spec_suggest *s, const char *word);
void spec_suggest_try(struct spec_suggest *s, const char *candidate);
/* " (did you mean 'x'?)" (written into buf) or "", for a "%s". */
const char *spec_suggest_fmt(const struct spec_suggest *s, char *buf,
			     size_t size);

/*
 * A mapping's pairs checked against `keys` (NULL-terminated): unknown and
 * duplicate keys are reported as being `where` ("in step 3.1");
 * val[i]/key[i] get the node of keys[i] or NULL.  With keys == NULL only
 * duplicates and non-string keys are checked and nothing is stored.
 * Returns -1 when `map` is not a mapping, reported as "expected a mapping
 * for <what>, got ..." (what: "an item of 'steps' in exercise 3").
 */
int spec_map(struct spec_ctx *c, yaml_node_t *map, const char *what,
	     const char *where, const char *const keys[], yaml_node_t **val,
	     yaml_node_t **key);
/* For a keys == NULL walk: is pair i a key already seen (or not a string)? */
int spec_map_skip(struct spec_ctx *c, yaml_node_t *map, size_t i);
/* The string value of `key` in a mapping, without reporting anything. */
const char *spec_map_peek(struct spec_ctx *c, yaml_node_t *map,
			  const char *key);
/* "missing required key", unless a misspelling of it was reported. */
void spec_missing(struct spec_ctx *c, yaml_node_t *map,
		  const char *const keys[], const char *key, const char *where);

/* Entries of a sequence or pairs of a mapping node. */
size_t spec_len(const yaml_node_t *n);
int spec_is_null(const yaml_node_t *n);
const char *spec_scalar(const yaml_node_t *n);
/* Reports "expected <type> for <what> <where>, got ..." and returns -1
 * unless `n` is of that type ("mapping", "sequence", "string"); `where`
 * may be NULL when `what` says it all. */
int spec_want(struct spec_ctx *c, yaml_node_t *n, const char *type,
	      const char *what, const char *where);
char *spec_get_str(struct spec_ctx *c, yaml_node_t *n, const char *key,
		   const char *where);
/* A number >= 0, or > 0 when `positive`. */
int spec_get_num(struct spec_ctx *c, yaml_node_t *n, const char *key,
		 const char *where, int positive, double *out);
int spec_get_int(struct spec_ctx *c, yaml_node_t *n, const char *key,
		 const char *where, int *out);
/* One of `choices`; reports "unknown <key> '<v>'" otherwise. */
char *spec_get_choice(struct spec_ctx *c, yaml_node_t *n, const char *key,
		      const char *where, const char *const choices[]);
/* The same as the index of the choice: 0 and *out set, -1 when `n` is
 * absent (nothing reported) or not one of them (reported). */
int spec_get_enum(struct spec_ctx *c, yaml_node_t *n, const char *key,
		  const char *where, const char *const choices[], int *out);
int spec_get_text(struct spec_ctx *c, yaml_node_t *n, const char *key,
		  const char *where, struct spec_text *t);
void spec_text_free(struct spec_text *t);

/* spec_refs.c — ${} references, patterns, references, ids */
/* Checks every ${name} of a string scalar (or of each language of a text);
 * `ex` is the exercise whose steps may use ${module.*}, or NULL. */
int spec_check_vars(struct spec_ctx *c, yaml_node_t *n, const char *where,
		    const struct spec_exercise *ex);
/* A PCRE2 pattern (its ${} checked too) that must compile once expanded. */
void spec_check_pattern(struct spec_ctx *c, yaml_node_t *n, const char *where,
			const struct spec_exercise *ex);
/* The id of an existing `kind` ("kernel", "module", "rootfs"); an unknown
 * one is reported but returned, so that one typo gives one error. */
char *spec_get_ref(struct spec_ctx *c, yaml_node_t *n, const char *key,
		   const char *kind, const char *where);
/* An id names files, directories and CMake targets: letters, digits and
 * '.', '_', '-' only, starting with a letter or digit, no "..".  Reports
 * anything else at `pos`. */
void spec_check_id(struct spec_ctx *c, struct spec_pos pos, const char *what,
		   const char *id);
void spec_duplicate_id(struct spec_ctx *c, const char *what, const char *id,
		       struct spec_pos pos, struct spec_pos first);

/* spec_build.c — kernels, modules, root file systems (parse_section's) */
/* A path of the lab's (relative to the spec's directory) at node `n`
 * must be a directory (`dir`) or a regular file: reported when it is
 * not.  0 when it is. */
int spec_check_path(struct spec_ctx *c, yaml_node_t *n, const char *path,
		    bool dir, const char *what, const char *where);

void spec_parse_kernel(struct spec_ctx *c, const char *id, yaml_node_t *n,
		       const char *where);
void spec_parse_module(struct spec_ctx *c, const char *id, yaml_node_t *n,
		       const char *where);
/* Every module's `uses`, once all are parsed: each names another
 * module of the lab, of the same kernel, once, and none is in a cycle. */
void spec_check_uses(struct spec_ctx *c);
void spec_parse_one_rootfs(struct spec_ctx *c, const char *id,
			   yaml_node_t *n, const char *where);
void spec_module_free(struct spec_module *m);
void spec_rootfs_free(struct spec_rootfs *r);

/* spec_exercise.c */
void spec_parse_exercises(struct spec_ctx *c, yaml_node_t *seq);
void spec_exercise_free(struct spec_exercise *ex);

/* spec_devices.c — disks, net, serial ports, consoles, background, keys */
void spec_parse_guest_devices(struct spec_ctx *c, struct spec_guest *g,
			      yaml_node_t *disks, yaml_node_t *net,
			      yaml_node_t *serial, const char *where);
void spec_parse_step_devices(struct spec_ctx *c, struct spec_step *st,
			     yaml_node_t *console, yaml_node_t *background,
			     yaml_node_t *keys, const char *where);
/* Once its steps are parsed: the consoles they name, what the guest
 * kind can give, background steps and the steps that wait for them. */
void spec_check_exercise_devices(struct spec_ctx *c, struct spec_exercise *ex);
/* A ${disk.*}, ${net.*}, ${serial.*} the exercise's guest gives; reports
 * why not and returns 1, else 0 (0 too for any other variable). */
int spec_check_device_var(struct spec_ctx *c, struct spec_pos pos,
			  const char *var, const char *where,
			  const struct spec_exercise *ex);
void spec_guest_devices_free(struct spec_guest *g);
void spec_step_devices_free(struct spec_step *st);

/* spec_step.c */
void spec_parse_step(struct spec_ctx *c, struct spec_exercise *ex,
		     yaml_node_t *n, const char *ex_name);
void spec_step_free(struct spec_step *st);

#endif
