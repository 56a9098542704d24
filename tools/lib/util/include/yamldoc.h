/* yamldoc.h — a small YAML file as a libyaml document (results.yaml,
 * rootfs.yaml): loaded with positions in its errors, scalars looked up. */
#ifndef LABKIT_YAMLDOC_H
#define LABKIT_YAMLDOC_H

#include <yaml.h>

/* Loads `path` into `doc` (free with yaml_document_delete); an empty file
 * gives a document with no root node.  0, or -1 with a "path:line:col:
 * error:" message (or "path: error:" when it cannot be opened). */
int yamldoc_load(const char *path, yaml_document_t *doc);

/* A node's position as an error gives it: libyaml's marks are 0-based. */
#define YAMLDOC_LINE(n) ((int)(n)->start_mark.line + 1)
#define YAMLDOC_COL(n) ((int)(n)->start_mark.column + 1)

/* The text of a scalar node, NULL for anything else (or NULL). */
const char *yamldoc_scalar(const yaml_node_t *n);

/* The node at `key` in mapping `map` ("a.b": b in the mapping at a), or
 * NULL. */
yaml_node_t *yamldoc_get(yaml_document_t *doc, yaml_node_t *map,
			 const char *key);

#endif
