/*
 * yamldoc.c — the small YAML files labkit writes and reads back
 * (results.yaml, rootfs.yaml) as libyaml documents.  A load error names
 * the file and libyaml's position (0-based marks, printed 1-based).
 * Never prints; fails by returning -1 after error_at().
 */
#include "yamldoc.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

int yamldoc_load(const char *path, yaml_document_t *doc)
{
	FILE *f = fopen(path, "rb");
	yaml_parser_t parser;
	int rc = 0;

	if (!f)
		return error_at(path, 0, 0, "cannot open: %m");
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, doc)) {
		rc = error_at(path, (int)parser.problem_mark.line + 1,
			      (int)parser.problem_mark.column + 1, "%s",
			      parser.problem ? parser.problem : "bad YAML");
	}
	yaml_parser_delete(&parser);
	fclose(f);
	return rc;
}

const char *yamldoc_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ?
	       (const char *)n->data.scalar.value : NULL;
}

yaml_node_t *yamldoc_get(yaml_document_t *doc, yaml_node_t *map,
			 const char *key)
{
	const char *dot = strchr(key, '.');
	size_t len = dot ? (size_t)(dot - key) : strlen(key);

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);

		if (k && k->type == YAML_SCALAR_NODE &&
		    k->data.scalar.length == len &&
		    !memcmp(k->data.scalar.value, key, len)) {
			yaml_node_t *v = yaml_document_get_node(doc, p->value);

			return dot ? yamldoc_get(doc, v, dot + 1) : v;
		}
	}
	return NULL;
}
