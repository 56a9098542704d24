/* yamldoc.h — a small YAML file as a libyaml document (results.yaml,
 * rootfs.yaml): loaded with positions in its errors, scalars looked up. */
#ifndef LABKIT_YAMLDOC_H
#define LABKIT_YAMLDOC_H

#include <yaml.h>

/* Loads `path` into `doc` (free with yaml_document_delete); an empty file
 * gives a document with no root node.  0, or -1 with a "path:line:col:
 * error:" message (or "path: error:" when it cannot be opened): a syntax
 * error, or collections nested too deep (yamldoc_too_deep()). */
int yamldoc_load(const char *path, yaml_document_t *doc);

/* No file labkit reads nests flow collections ('[', '{') deeper. */
#define YAMLDOC_MAX_NESTING 64

/* Whether `len` bytes of YAML at `src` nest flow collections deeper than
 * YAMLDOC_MAX_NESTING: 1 with the 1-based *line and *col of the one too
 * many, or 0 (also for a syntax error before it, which loading the file
 * reports).  Cheap whatever the depth: libyaml's events, counted as they
 * come, stop there. */
int yamldoc_too_deep(const char *src, size_t len, int *line, int *col);

/* A node's position as an error gives it: libyaml's marks are 0-based. */
#define YAMLDOC_LINE(n) ((int)(n)->start_mark.line + 1)
#define YAMLDOC_COL(n) ((int)(n)->start_mark.column + 1)

/* The text of a scalar node, NULL for anything else (or NULL). */
const char *yamldoc_scalar(const yaml_node_t *n);

/* The node at `key` in mapping `map` ("a.b": b in the mapping at a), or
 * NULL. */
yaml_node_t *yamldoc_get(yaml_document_t *doc, yaml_node_t *map,
			 const char *key);

/* The format of a file labkit writes, `<key>: <n>` at the top of mapping
 * `root` ("labkit-results: 2"): n, a whole number from 1; 0 when the key
 * is missing or holds anything else.  *at (may be NULL) is its value's
 * node, or NULL. */
int yamldoc_format(yaml_document_t *doc, yaml_node_t *root, const char *key,
		   yaml_node_t **at);

#endif
