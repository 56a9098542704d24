/*
 * results_file.c — results.yaml, the artifact between `labkit run` and
 * `labkit check`/`labkit report`, written with libyaml's emitter
 * (atomically) and read back with libyaml's document API.  Its layout is
 * one table of fields, the run's and each step's (key, type, where it
 * lives, when it is written), which both the writer and the reader go
 * through: a key is spelled once.
 *
 * Format 2 (what this writes) keeps each reason as its code and
 * arguments (`why`, `detail_why`, `facts_why`: a mapping with `code` and
 * each argument by name, a reason within as a mapping of its own) and
 * its English beside it (`reason`, `detail`, the fact's value) for
 * people; a reason that is only text (REASON_TEXT) is its English
 * alone.  Format 1 carried only the English: it is read back into codes
 * by the catalog's English templates (reason_from_english()).
 *
 * Console output is not always valid UTF-8 and YAML must be: invalid
 * bytes are written as U+FFFD.  Load errors name the file and position;
 * keys the table does not know are left alone.
 */
#include "results.h"
#include "text.h"
#include "util.h"
#include "yamldoc.h"

#include <float.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define FORMAT 2                 /* labkit-results: what this writes */

/* ---- the layout ---- */

enum field_type {
	FT_STR,                  /* char *, written when not NULL */
	FT_INT,                  /* int */
	FT_LONG,                 /* long */
	FT_SECONDS,              /* double, to the millisecond */
	FT_BOOL,                 /* bool, "true" */
	FT_STATUS,               /* enum step_status, by its name */
	FT_OUTCOME,              /* enum run_outcome */
	FT_FAULT,                /* enum fault_kind */
	FT_REASON_TEXT,          /* struct reason: its English; format 1's
				    reason itself */
	FT_REASON,               /* struct reason: code and arguments, when
				    it has a code of labkit's */
	FT_FACTS,                /* struct expand_vars, a mapping */
	FT_FACTS_WHY,            /* the facts that are reasons: name, reason */
	FT_STEPS,                /* the steps, a sequence of mappings */
};

struct field {
	const char *key;
	enum field_type type;
	size_t offset;
	/* whether it is written (NULL: always); a string is written when
	 * set, whatever this says */
	bool (*when)(const void *rec);
};

static bool cpu_times(const void *rec)
{
	const struct results_step *s = rec;

	return s->user > 0 || s->sys > 0;
}

static bool ccache_counts(const void *rec)
{
	return ((const struct results_step *)rec)->ccache_hits >= 0;
}

static bool before_command(const void *rec)
{
	return ((const struct results_step *)rec)->before_command != NULL;
}

static bool host_command(const void *rec)
{
	return ((const struct results_step *)rec)->host_command != NULL;
}

static bool waited(const void *rec)
{
	return ((const struct results_step *)rec)->wait_seen >= 0;
}

static bool faulted(const void *rec)
{
	return ((const struct results_step *)rec)->fault.kind != FAULT_NONE;
}

static bool expected(const void *rec)
{
	return ((const struct results *)rec)->expected;
}

static bool facts_why(const void *rec)
{
	return ((const struct results *)rec)->nfact_why > 0;
}

#define STEP(k, t, f, w) { k, t, offsetof(struct results_step, f), w }
#define RUN(k, t, f, w) { k, t, offsetof(struct results, f), w }

/* A step, in the order it is written; its id first. */
static const struct field step_fields[] = {
	STEP("id", FT_STR, id, NULL),
	STEP("status", FT_STATUS, status, NULL),
	STEP("reason", FT_REASON_TEXT, reason, NULL),
	STEP("why", FT_REASON, reason, NULL),
	STEP("command", FT_STR, command, NULL),
	STEP("exit", FT_INT, exit_status, NULL),
	STEP("duration", FT_SECONDS, duration, NULL),
	STEP("user", FT_SECONDS, user, cpu_times),
	STEP("sys", FT_SECONDS, sys, cpu_times),
	STEP("ccache_hits", FT_LONG, ccache_hits, ccache_counts),
	STEP("ccache_misses", FT_LONG, ccache_misses, ccache_counts),
	STEP("output", FT_STR, output, NULL),
	STEP("before_command", FT_STR, before_command, before_command),
	STEP("before_exit", FT_INT, before_exit, before_command),
	STEP("before_output", FT_STR, before_output, before_command),
	STEP("host_command", FT_STR, host_command, host_command),
	STEP("host_exit", FT_INT, host_exit, host_command),
	STEP("host_output", FT_STR, host_output, host_command),
	STEP("wait_seen", FT_INT, wait_seen, waited),
	STEP("waited", FT_SECONDS, waited, waited),
	STEP("kernel", FT_STR, kernel, NULL),
	STEP("fault", FT_FAULT, fault.kind, faulted),
	STEP("fault_line", FT_STR, fault.line, faulted),
	STEP("fault_where", FT_STR, fault.where, faulted),
	STEP("fault_source", FT_STR, fault.source, faulted),
	STEP("fault_trace", FT_STR, fault.trace, faulted),
	{ NULL, FT_STR, 0, NULL },
};

/* The run, after its format; in the order it is written. */
static const struct field run_fields[] = {
	RUN("lab", FT_STR, lab, NULL),
	RUN("exercise", FT_STR, exercise, NULL),
	RUN("outcome", FT_OUTCOME, outcome, NULL),
	RUN("detail", FT_REASON_TEXT, detail, NULL),
	RUN("detail_why", FT_REASON, detail, NULL),
	RUN("expected", FT_BOOL, expected, expected),
	RUN("duration", FT_SECONDS, duration, NULL),
	RUN("facts", FT_FACTS, facts, NULL),
	RUN("facts_why", FT_FACTS_WHY, fact_why, facts_why),
	RUN("steps", FT_STEPS, steps, NULL),
	RUN("boot", FT_STR, boot, NULL),
	RUN("tail", FT_STR, tail, NULL),
	{ NULL, FT_STR, 0, NULL },
};

#define AT(rec, f, type) ((type *)((char *)(rec) + (f)->offset))
#define CAT(rec, f, type) ((const type *)((const char *)(rec) + (f)->offset))

static const struct field *field_of(const struct field *table, const char *key)
{
	for (const struct field *f = table; key && f->key; f++)
		if (!strcmp(f->key, key))
			return f;
	return NULL;
}

/* ---- writing ---- */

static int emit(yaml_emitter_t *e, yaml_event_t *ev)
{
	return yaml_emitter_emit(e, ev) ? 0 : -1;
}

static int emit_str(yaml_emitter_t *e, const char *s)
{
	yaml_event_t ev;
	char *clean = text_utf8_clean(s ? s : "");
	yaml_scalar_style_t style = strchr(clean, '\n') ?
		YAML_LITERAL_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE;
	int rc;

	yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)clean,
				     (int)strlen(clean), 1, 1, style);
	rc = emit(e, &ev);
	free(clean);
	return rc;
}

static int emit_kv(yaml_emitter_t *e, const char *k, const char *v)
{
	if (!v)
		return 0;
	return emit_str(e, k) || emit_str(e, v) ? -1 : 0;
}

static int emit_map(yaml_emitter_t *e, bool start)
{
	yaml_event_t ev;

	if (start)
		yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
						    YAML_BLOCK_MAPPING_STYLE);
	else
		yaml_mapping_end_event_initialize(&ev);
	return emit(e, &ev);
}

static int emit_fields(yaml_emitter_t *e, const struct field *table,
		       const void *rec);

/* A reason as a mapping: its code, then each argument by name. */
static int emit_reason(yaml_emitter_t *e, const struct reason *r)
{
	int rc = emit_map(e, true) || emit_kv(e, "code", reason_name(r->code));

	for (size_t i = 0; !rc && i < reason_nargs(r->code); i++) {
		const struct reason_arg *a = &r->arg[i];
		const char *name = reason_arg_name(r->code, i);

		switch (reason_arg_kind(r->code, i)) {
		case REASON_ARG_TEXT:
			rc = emit_kv(e, name, a->text ? a->text : "");
			break;
		case REASON_ARG_STATUS:
			rc = emit_kv(e, name, results_status_name(a->value));
			break;
		case REASON_ARG_FAULT:
			rc = emit_kv(e, name, results_fault_name(a->value));
			break;
		case REASON_ARG_REASON:
			if (a->why)
				rc = emit_str(e, name) || emit_reason(e, a->why);
			break;
		}
	}
	return rc || emit_map(e, false);
}

/* The English of a reason, for people. */
static int emit_reason_text(yaml_emitter_t *e, const char *key,
			    const struct reason *r)
{
	char *text;
	int rc;

	if (r->code == REASON_NONE)
		return 0;
	text = reason_text(r, LANG_EN);
	rc = emit_kv(e, key, text);
	free(text);
	return rc;
}

static int emit_facts_why(yaml_emitter_t *e, const struct results *r)
{
	int rc = emit_map(e, true);

	for (size_t i = 0; !rc && i < r->nfact_why; i++)
		rc = emit_str(e, r->fact_why[i].name) ||
		     emit_reason(e, &r->fact_why[i].why);
	return rc || emit_map(e, false);
}

static int emit_facts(yaml_emitter_t *e, const struct expand_vars *facts)
{
	int rc = emit_map(e, true);

	for (size_t i = 0; !rc && i < facts->n; i++)
		rc = emit_kv(e, facts->name[i], facts->value[i]);
	return rc || emit_map(e, false);
}

static int emit_steps(yaml_emitter_t *e, const struct results *r)
{
	yaml_event_t ev;
	int rc;

	yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
					     YAML_BLOCK_SEQUENCE_STYLE);
	rc = emit(e, &ev);
	for (size_t i = 0; !rc && i < r->nsteps; i++)
		rc = emit_map(e, true) ||
		     emit_fields(e, step_fields, &r->steps[i]) ||
		     emit_map(e, false);
	if (!rc) {
		yaml_sequence_end_event_initialize(&ev);
		rc = emit(e, &ev);
	}
	return rc;
}

/* One field's value as text, into buf (or the string itself). */
static const char *scalar_of(const struct field *f, const void *rec,
			     char *buf, size_t size)
{
	switch (f->type) {
	case FT_STR:
		return *CAT(rec, f, char *);
	case FT_INT:
		snprintf(buf, size, "%d", *CAT(rec, f, int));
		return buf;
	case FT_LONG:
		snprintf(buf, size, "%ld", *CAT(rec, f, long));
		return buf;
	case FT_SECONDS:
		snprintf(buf, size, "%.3f", *CAT(rec, f, double));
		return buf;
	case FT_BOOL:
		return *CAT(rec, f, bool) ? "true" : "false";
	case FT_STATUS:
		return results_status_name(*CAT(rec, f, enum step_status));
	case FT_OUTCOME:
		return results_outcome_name(*CAT(rec, f, enum run_outcome));
	case FT_FAULT:
		return results_fault_name(*CAT(rec, f, enum fault_kind));
	case FT_REASON_TEXT:
	case FT_REASON:
	case FT_FACTS:
	case FT_FACTS_WHY:
	case FT_STEPS:
		break;
	}
	return NULL;
}

static int emit_field(yaml_emitter_t *e, const struct field *f,
		      const void *rec)
{
	/* room for any double's digits (a loaded file may hold 1e300), so
	 * what is written is what was held */
	char buf[DBL_MAX_10_EXP + 16];

	const struct reason *r = CAT(rec, f, struct reason);

	if (f->when && !f->when(rec))
		return 0;
	if (f->type == FT_REASON_TEXT)
		return emit_reason_text(e, f->key, r);
	if (f->type == FT_REASON)
		return r->code == REASON_NONE || r->code == REASON_TEXT ? 0 :
		       emit_str(e, f->key) || emit_reason(e, r);
	if (f->type == FT_FACTS_WHY)
		return emit_str(e, f->key) || emit_facts_why(e, rec);
	if (f->type == FT_FACTS)
		return emit_str(e, f->key) ||
		       emit_facts(e, CAT(rec, f, struct expand_vars));
	if (f->type == FT_STEPS)
		return emit_str(e, f->key) || emit_steps(e, rec);
	return emit_kv(e, f->key, scalar_of(f, rec, buf, sizeof(buf)));
}

static int emit_fields(yaml_emitter_t *e, const struct field *table,
		       const void *rec)
{
	int rc = 0;

	for (const struct field *f = table; !rc && f->key; f++)
		rc = emit_field(e, f, rec);
	return rc;
}

static int emit_results(yaml_emitter_t *e, const struct results *r)
{
	char format[16];

	snprintf(format, sizeof(format), "%d", FORMAT);
	return emit_map(e, true) || emit_kv(e, "labkit-results", format) ||
	       emit_fields(e, run_fields, r) || emit_map(e, false);
}

static int write_handler(void *data, unsigned char *buf, size_t size)
{
	sb_add(data, buf, size);
	return 1;
}

int results_write(const struct results *r, const char *path)
{
	yaml_emitter_t e;
	yaml_event_t ev;
	struct sb out;
	int rc = 0;

	sb_init(&out);
	yaml_emitter_initialize(&e);
	yaml_emitter_set_output(&e, write_handler, &out);
	yaml_emitter_set_unicode(&e, 1);
	yaml_emitter_set_width(&e, -1);
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	rc = rc || emit(&e, &ev);
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	rc = rc || emit(&e, &ev);
	rc = rc || emit_results(&e, r);
	yaml_document_end_event_initialize(&ev, 1);
	rc = rc || emit(&e, &ev);
	yaml_stream_end_event_initialize(&ev);
	rc = rc || emit(&e, &ev);
	if (rc)
		error("%s: cannot emit YAML: %s", path,
		      e.problem ? e.problem : "unknown error");
	else if (fs_write_atomic(path, out.buf, out.len) < 0)
		rc = error("cannot write '%s': %m", path);
	yaml_emitter_delete(&e);
	sb_release(&out);
	return rc ? -1 : 0;
}

/* ---- reading ---- */

struct loader {
	const char *path;
	yaml_document_t *doc;
	struct results *r;
	int format;              /* the file's labkit-results */
};

static yaml_node_t *node(struct loader *l, int i)
{
	return yaml_document_get_node(l->doc, i);
}

static int bad(struct loader *l, yaml_node_t *n, const char *what)
{
	return error_at(l->path, YAMLDOC_LINE(n), YAMLDOC_COL(n), "%s", what);
}

static int load_fields(struct loader *l, const struct field *table,
		       void *rec, yaml_node_t *map);

/* A reason from its mapping (format 2). */
static int load_reason(struct loader *l, struct reason *r, yaml_node_t *map)
{
	const char *code = yamldoc_scalar(yamldoc_get(l->doc, map, "code"));
	int rc = 0;

	reason_free(r);
	if (map->type != YAML_MAPPING_NODE)
		return bad(l, map, "expected a mapping for a reason");
	if (reason_parse_name(code, &r->code) < 0 || r->code == REASON_NONE)
		return bad(l, map, "unknown reason code");
	for (size_t i = 0; !rc && i < reason_nargs(r->code); i++) {
		yaml_node_t *v = yamldoc_get(l->doc, map, reason_arg_name(r->code, i));
		const char *s = yamldoc_scalar(v);
		struct reason_arg *a = &r->arg[i];

		switch (reason_arg_kind(r->code, i)) {
		case REASON_ARG_TEXT:
			a->text = xstrdup(s ? s : "");
			break;
		case REASON_ARG_STATUS:
			if (results_status_parse(s, (enum step_status *)&a->value) < 0)
				rc = bad(l, v ? v : map, "unknown step status");
			break;
		case REASON_ARG_FAULT:
			if (results_fault_parse(s, (enum fault_kind *)&a->value) < 0)
				rc = bad(l, v ? v : map, "unknown fault kind");
			break;
		case REASON_ARG_REASON:
			if (!v)
				break;
			a->why = xcalloc(1, sizeof(*a->why));
			rc = load_reason(l, a->why, v);
			break;
		}
	}
	return rc;
}

/* A fact that is a reason: format 1's English of a form labkit wrote. */
static void fact_of_form(struct results *r, const char *name,
			 const char *value)
{
	struct reason why = REASON_INIT;

	if (reason_from_english(&why, value, false)) {
		results_fact_reason(r, name, &why);
		expand_vars_set(&r->facts, name, value);
	}
	reason_free(&why);
}

static void load_facts(struct loader *l, struct expand_vars *facts,
		       yaml_node_t *map)
{
	if (map->type != YAML_MAPPING_NODE)
		return;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		const char *k = yamldoc_scalar(node(l, p->key));
		const char *v = yamldoc_scalar(node(l, p->value));

		if (k && v)
			expand_vars_set(facts, k, v);
		if (k && v && l->format == 1)
			fact_of_form(l->r, k, v);
	}
}

static int load_facts_why(struct loader *l, yaml_node_t *map)
{
	if (map->type != YAML_MAPPING_NODE)
		return bad(l, map, "expected a mapping for 'facts_why'");
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		const char *k = yamldoc_scalar(node(l, p->key));
		struct reason why = REASON_INIT;
		const char *value = k ? expand_vars_get(&l->r->facts, k) : NULL;
		char *kept = value ? xstrdup(value) : NULL;

		if (!k || load_reason(l, &why, node(l, p->value)) < 0) {
			free(kept);
			reason_free(&why);
			return k ? -1 : bad(l, map, "expected a fact's name");
		}
		results_fact_reason(l->r, k, &why);
		if (kept)        /* the value as the run wrote it */
			expand_vars_set(&l->r->facts, k, kept);
		free(kept);
		reason_free(&why);
	}
	return 0;
}

/* A reason's English: format 1's reason, read back into its code;
 * format 2's only when it has no code (text). */
static void load_reason_text(struct loader *l, struct reason *r,
			     const char *s)
{
	if (!s)
		return;
	if (l->format == 1)
		reason_from_english(r, s, true);
	else if (r->code == REASON_NONE)
		reason_set(r, REASON_TEXT, s);
}

static int load_step(struct loader *l, yaml_node_t *n)
{
	const char *id = yamldoc_scalar(yamldoc_get(l->doc, n, step_fields[0].key));

	if (n->type != YAML_MAPPING_NODE)
		return bad(l, n, "expected a mapping for a step");
	if (!id)
		return bad(l, n, "step without an id");
	return load_fields(l, step_fields + 1, results_add_step(l->r, id), n);
}

static int load_steps(struct loader *l, yaml_node_t *seq)
{
	if (seq->type != YAML_SEQUENCE_NODE)
		return bad(l, seq, "expected a sequence for 'steps'");
	for (yaml_node_item_t *it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++)
		if (load_step(l, node(l, *it)) < 0)
			return -1;
	return 0;
}

/* One field from its node `v`: a value that is no scalar leaves a number
 * as it was and a string NULL. */
static int load_field(struct loader *l, const struct field *f, void *rec,
		      yaml_node_t *v)
{
	const char *s = yamldoc_scalar(v);

	switch (f->type) {
	case FT_STR:
		free(*AT(rec, f, char *));
		*AT(rec, f, char *) = s ? xstrdup(s) : NULL;
		return 0;
	case FT_REASON_TEXT:
		load_reason_text(l, AT(rec, f, struct reason), s);
		return 0;
	case FT_REASON:
		return load_reason(l, AT(rec, f, struct reason), v);
	case FT_FACTS:
		load_facts(l, AT(rec, f, struct expand_vars), v);
		return 0;
	case FT_FACTS_WHY:
		return load_facts_why(l, v);
	case FT_STEPS:
		return load_steps(l, v);
	case FT_STATUS:
	case FT_OUTCOME:
	case FT_FAULT:
		break;
	default:
		if (!s)
			return 0;
		break;
	}
	switch (f->type) {
	case FT_INT: *AT(rec, f, int) = atoi(s); break;
	case FT_LONG: *AT(rec, f, long) = atol(s); break;
	case FT_SECONDS: *AT(rec, f, double) = atof(s); break;
	case FT_BOOL: *AT(rec, f, bool) = !strcmp(s, "true"); break;
	case FT_STATUS:
		if (results_status_parse(s, AT(rec, f, enum step_status)) < 0)
			return bad(l, v, "unknown step status");
		break;
	case FT_OUTCOME:
		if (results_outcome_parse(s, AT(rec, f, enum run_outcome)) < 0)
			return bad(l, v, "unknown outcome");
		break;
	case FT_FAULT:
		if (results_fault_parse(s, AT(rec, f, enum fault_kind)) < 0)
			return bad(l, v, "unknown fault kind");
		break;
	default:
		break;
	}
	return 0;
}

/* The fields of `table` that mapping `map` has, in the file's order. */
static int load_fields(struct loader *l, const struct field *table,
		       void *rec, yaml_node_t *map)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		const struct field *f = field_of(table,
					yamldoc_scalar(node(l, p->key)));

		if (f && load_field(l, f, rec, node(l, p->value)) < 0)
			return -1;
	}
	return 0;
}

int results_load(struct results *r, const char *path)
{
	yaml_document_t doc;
	yaml_node_t *root;
	yaml_node_t *at;
	struct loader l = { path, &doc, r, 0 };
	int rc;

	results_init(r, NULL, NULL);
	if (yamldoc_load(path, &doc) < 0)
		return -1;
	root = yaml_document_get_root_node(&doc);
	if (!root || root->type != YAML_MAPPING_NODE) {
		yaml_document_delete(&doc);
		return error_at(path, 0, 0, "not a labkit results file");
	}
	l.format = yamldoc_format(&doc, root, "labkit-results", &at);
	if (!l.format && !at)
		l.format = 1;    /* before it said which */
	rc = l.format == 1 || l.format == FORMAT ?
	     load_fields(&l, run_fields, r, root) :
	     error_at(path, YAMLDOC_LINE(at), YAMLDOC_COL(at),
		      "results of another labkit (format '%s'; this one reads 1 and %d)",
		      yamldoc_scalar(at) ? yamldoc_scalar(at) : "?", FORMAT);
	yaml_document_delete(&doc);
	/* `lab` and `exercise` stay strings ("" when not one), as
	 * results_init() makes them */
	if (!r->lab)
		r->lab = xstrdup("");
	if (!r->exercise)
		r->exercise = xstrdup("");
	return rc;
}
