/*
 * yamldoc.c — the small YAML files labkit writes and reads back
 * (results.yaml, rootfs.yaml, grade.yaml, grade-plan.yaml) as libyaml
 * documents.  A load error names the file and libyaml's position (0-based
 * marks, printed 1-based).  libyaml takes time quadratic in the depth of
 * flow collections, and some of these files come from a student's
 * hand-in: a file nested deeper than any labkit writes is refused before
 * libyaml sees it (yamldoc_too_deep(), which the spec's loader uses too).
 * Never prints; fails by returning -1 after error_at().
 */
#include "yamldoc.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A flow collection ('[', '{') starts; inside one, every one is flow. */
static int flow_start(const yaml_event_t *ev)
{
	return (ev->type == YAML_SEQUENCE_START_EVENT &&
		ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE) ||
	       (ev->type == YAML_MAPPING_START_EVENT &&
		ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE);
}

int yamldoc_too_deep(const char *src, size_t len, int *line, int *col)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	int depth = 0, deep = 0, more = 1;

	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)src, len);
	while (more && !deep && yaml_parser_parse(&parser, &ev)) {
		if (flow_start(&ev)) {
			deep = ++depth > YAMLDOC_MAX_NESTING;
			*line = (int)ev.start_mark.line + 1;
			*col = (int)ev.start_mark.column + 1;
		} else if (depth > 0 && (ev.type == YAML_SEQUENCE_END_EVENT ||
					 ev.type == YAML_MAPPING_END_EVENT)) {
			depth--;
		}
		more = ev.type != YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return deep;
}

int yamldoc_load(const char *path, yaml_document_t *doc)
{
	yaml_parser_t parser;
	char *src;
	size_t len;
	int rc = 0, line, col;

	if (fs_read_file(path, &src, &len) < 0)
		return error_at(path, 0, 0, "cannot open: %m");
	if (yamldoc_too_deep(src, len, &line, &col)) {
		free(src);
		return error_at(path, line, col, "collections nested deeper "
				"than %d levels (not a file labkit wrote)",
				YAMLDOC_MAX_NESTING);
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)src, len);
	if (!yaml_parser_load(&parser, doc)) {
		rc = error_at(path, (int)parser.problem_mark.line + 1,
			      (int)parser.problem_mark.column + 1, "%s",
			      parser.problem ? parser.problem : "bad YAML");
	}
	yaml_parser_delete(&parser);
	free(src);
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

int yamldoc_format(yaml_document_t *doc, yaml_node_t *root, const char *key,
		   yaml_node_t **at)
{
	yaml_node_t *v = yamldoc_get(doc, root, key);
	const char *s = yamldoc_scalar(v);
	char *end;
	long n = s && *s >= '1' && *s <= '9' ? strtol(s, &end, 10) : 0;

	if (at)
		*at = v;
	return n > 0 && n < 1000000 && !*end ? (int)n : 0;
}
