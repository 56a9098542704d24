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

int yamldoc_too_deep(const char *src, size_t len, int *line, int *col)
{
	size_t depth = 0, l = 0, c = 0;
	char quote = 0;

	for (size_t i = 0; i < len; i++, c++) {
		char ch = src[i];

		if (ch == '\n') {
			l++;
			c = (size_t)-1;
			if (quote == '#')
				quote = 0;
		} else if (quote) {
			if (quote == '"' && ch == '\\')
				i++, c++;
			else if (ch == quote)
				quote = 0;
		} else if (ch == '"' || ch == '\'' ||
			   (ch == '#' && (i == 0 || strchr(" \t\n", src[i - 1])))) {
			quote = ch;
		} else if ((ch == '[' || ch == '{') &&
			   ++depth > YAMLDOC_MAX_NESTING) {
			*line = (int)l + 1;
			*col = (int)c + 1;
			return 1;
		} else if ((ch == ']' || ch == '}') && depth > 0) {
			depth--;
		}
	}
	return 0;
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
