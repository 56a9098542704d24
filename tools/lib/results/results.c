/*
 * results.c — results.yaml, the artifact between `labkit run` and
 * `labkit check`/`labkit report`: per step the command, its output, exit
 * status and duration, plus the facts of the run (kernel release, the
 * accelerator used and why).  Written with libyaml's emitter, atomically;
 * read back with libyaml's document API.
 *
 * Console output is not always valid UTF-8 and YAML must be: invalid
 * bytes are written as U+FFFD.  Load errors name the file and position.
 */
#include "results.h"
#include "proc.h"
#include "text.h"
#include "util.h"
#include "yamldoc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

static const char *const status_names[STATUS_COUNT] = {
	[STATUS_RAN] = "ran",
	[STATUS_SKIP] = "skip",
	[STATUS_NOT_RUN] = "not-run",
	[STATUS_TIMEOUT] = "timeout",
	[STATUS_PANIC] = "panic",
	[STATUS_INTERRUPTED] = "interrupted",
	[STATUS_GUEST_EXIT] = "guest-exit",
	[STATUS_ERROR] = "error",
};

static const char *const outcome_names[OUTCOME_COUNT] = {
	[OUTCOME_OK] = "ok",
	[OUTCOME_FAIL] = "fail",
	[OUTCOME_TIMEOUT] = "timeout",
	[OUTCOME_PANIC] = "panic",
	[OUTCOME_BOOT_FAIL] = "boot-fail",
	[OUTCOME_INTERRUPTED] = "interrupted",
	[OUTCOME_GUEST_EXIT] = "guest-exit",
	[OUTCOME_ERROR] = "error",
};

static const char *const fault_names[FAULT_COUNT] = {
	[FAULT_NONE] = "none",
	[FAULT_WARN] = "warn",
	[FAULT_OOPS] = "oops",
	[FAULT_PANIC] = "panic",
};

static int find_name(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (!strcmp(names[i], name))
			return (int)i;
	return -1;
}

const char *results_status_name(enum step_status s)
{
	return (unsigned)s < STATUS_COUNT ? status_names[s] : "?";
}

int results_status_parse(const char *name, enum step_status *s)
{
	int i = find_name(status_names, STATUS_COUNT, name);

	if (i >= 0)
		*s = (enum step_status)i;
	return i < 0 ? -1 : 0;
}

const char *results_fault_name(enum fault_kind k)
{
	return (unsigned)k < FAULT_COUNT ? fault_names[k] : "?";
}

int results_fault_parse(const char *name, enum fault_kind *k)
{
	int i = find_name(fault_names, FAULT_COUNT, name);

	if (i >= 0)
		*k = (enum fault_kind)i;
	return i < 0 ? -1 : 0;
}

const char *results_outcome_name(enum run_outcome o)
{
	return (unsigned)o < OUTCOME_COUNT ? outcome_names[o] : "?";
}

int results_outcome_parse(const char *name, enum run_outcome *o)
{
	int i = find_name(outcome_names, OUTCOME_COUNT, name);

	if (i >= 0)
		*o = (enum run_outcome)i;
	return i < 0 ? -1 : 0;
}

void results_init(struct results *r, const char *lab, const char *exercise)
{
	memset(r, 0, sizeof(*r));
	r->lab = xstrdup(lab ? lab : "");
	r->exercise = xstrdup(exercise ? exercise : "");
	r->outcome = OUTCOME_ERROR;
	expand_vars_init(&r->facts);
}

struct results_step *results_add_step(struct results *r, const char *id)
{
	struct results_step *s;

	ARRAY_PUSH(r->steps, r->nsteps, r->cap);
	s = &r->steps[r->nsteps++];
	memset(s, 0, sizeof(*s));
	s->id = xstrdup(id);
	s->status = STATUS_NOT_RUN;
	s->exit_status = -1;
	s->host_exit = -1;
	s->before_exit = -1;
	s->wait_seen = -1;
	s->ccache_hits = s->ccache_misses = -1;
	return s;
}

const struct results_step *results_step(const struct results *r,
					const char *id)
{
	for (size_t i = 0; i < r->nsteps; i++)
		if (!strcmp(r->steps[i].id, id))
			return &r->steps[i];
	return NULL;
}

void results_step_set(struct results_step *rs, enum step_status status,
		      const char *reason)
{
	rs->status = status;
	free(rs->reason);
	rs->reason = reason ? xstrdup(reason) : NULL;
}

static double seconds(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

void results_step_finish(struct results_step *rs, int rc,
			 const struct proc *p, char *output)
{
	free(rs->output);
	rs->output = output;
	rs->duration = p->ended > p->started ? p->ended - p->started : 0;
	rs->user = seconds(p->ru.ru_utime);
	rs->sys = seconds(p->ru.ru_stime);
	rs->exit_status = rc >= 0 ? rc : -1;
	results_step_set(rs, rc == -2 ? STATUS_TIMEOUT : rc == -1 ?
			 STATUS_ERROR : STATUS_RAN, NULL);
}

void results_free(struct results *r)
{
	for (size_t i = 0; i < r->nsteps; i++) {
		struct results_step *s = &r->steps[i];

		free(s->id);
		free(s->reason);
		free(s->command);
		free(s->output);
		free(s->host_command);
		free(s->host_output);
		free(s->before_command);
		free(s->before_output);
		free(s->kernel);
		free(s->fault.line);
		free(s->fault.trace);
		free(s->fault.where);
		free(s->fault.source);
	}
	free(r->steps);
	free(r->lab);
	free(r->exercise);
	free(r->detail);
	free(r->tail);
	free(r->boot);
	expand_vars_free(&r->facts);
	memset(r, 0, sizeof(*r));
}

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

static int emit_num(yaml_emitter_t *e, const char *k, double v, int is_int)
{
	char buf[64];

	if (is_int)
		snprintf(buf, sizeof(buf), "%d", (int)v);
	else
		snprintf(buf, sizeof(buf), "%.3f", v);
	return emit_kv(e, k, buf);
}

static int emit_map_start(yaml_emitter_t *e)
{
	yaml_event_t ev;

	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
					    YAML_BLOCK_MAPPING_STYLE);
	return emit(e, &ev);
}

static int emit_map_end(yaml_emitter_t *e)
{
	yaml_event_t ev;

	yaml_mapping_end_event_initialize(&ev);
	return emit(e, &ev);
}

static int emit_step(yaml_emitter_t *e, const struct results_step *s)
{
	int rc = emit_map_start(e);

	rc = rc || emit_kv(e, "id", s->id);
	rc = rc || emit_kv(e, "status", results_status_name(s->status));
	rc = rc || emit_kv(e, "reason", s->reason);
	rc = rc || emit_kv(e, "command", s->command);
	rc = rc || emit_num(e, "exit", s->exit_status, 1);
	rc = rc || emit_num(e, "duration", s->duration, 0);
	if (s->user > 0 || s->sys > 0) {
		rc = rc || emit_num(e, "user", s->user, 0);
		rc = rc || emit_num(e, "sys", s->sys, 0);
	}
	if (s->ccache_hits >= 0) {
		rc = rc || emit_num(e, "ccache_hits", (double)s->ccache_hits, 1);
		rc = rc || emit_num(e, "ccache_misses", (double)s->ccache_misses, 1);
	}
	rc = rc || emit_kv(e, "output", s->output);
	if (s->before_command) {
		rc = rc || emit_kv(e, "before_command", s->before_command);
		rc = rc || emit_num(e, "before_exit", s->before_exit, 1);
		rc = rc || emit_kv(e, "before_output", s->before_output);
	}
	if (s->host_command) {
		rc = rc || emit_kv(e, "host_command", s->host_command);
		rc = rc || emit_num(e, "host_exit", s->host_exit, 1);
		rc = rc || emit_kv(e, "host_output", s->host_output);
	}
	if (s->wait_seen >= 0) {
		rc = rc || emit_num(e, "wait_seen", s->wait_seen, 1);
		rc = rc || emit_num(e, "waited", s->waited, 0);
	}
	rc = rc || emit_kv(e, "kernel", s->kernel);
	if (s->fault.kind != FAULT_NONE) {
		rc = rc || emit_kv(e, "fault", results_fault_name(s->fault.kind));
		rc = rc || emit_kv(e, "fault_line", s->fault.line);
		rc = rc || emit_kv(e, "fault_where", s->fault.where);
		rc = rc || emit_kv(e, "fault_source", s->fault.source);
		rc = rc || emit_kv(e, "fault_trace", s->fault.trace);
	}
	return rc || emit_map_end(e);
}

static int emit_results(yaml_emitter_t *e, const struct results *r)
{
	yaml_event_t ev;
	int rc = 0;

	rc = rc || emit_map_start(e);
	rc = rc || emit_num(e, "labkit-results", 1, 1);
	rc = rc || emit_kv(e, "lab", r->lab);
	rc = rc || emit_kv(e, "exercise", r->exercise);
	rc = rc || emit_kv(e, "outcome", results_outcome_name(r->outcome));
	rc = rc || emit_kv(e, "detail", r->detail);
	if (r->expected)
		rc = rc || emit_kv(e, "expected", "true");
	rc = rc || emit_num(e, "duration", r->duration, 0);
	rc = rc || emit_str(e, "facts") || emit_map_start(e);
	for (size_t i = 0; !rc && i < r->facts.n; i++)
		rc = emit_kv(e, r->facts.name[i], r->facts.value[i]);
	rc = rc || emit_map_end(e);
	rc = rc || emit_str(e, "steps");
	if (!rc) {
		yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
					     YAML_BLOCK_SEQUENCE_STYLE);
		rc = emit(e, &ev);
	}
	for (size_t i = 0; !rc && i < r->nsteps; i++)
		rc = emit_step(e, &r->steps[i]);
	if (!rc) {
		yaml_sequence_end_event_initialize(&ev);
		rc = emit(e, &ev);
	}
	rc = rc || emit_kv(e, "boot", r->boot);
	rc = rc || emit_kv(e, "tail", r->tail);
	return rc || emit_map_end(e);
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

/* ---- loading ---- */

struct loader {
	const char *path;
	yaml_document_t *doc;
};

static const char *scalar(struct loader *l, yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE)
		return NULL;
	(void)l;
	return (const char *)n->data.scalar.value;
}

static int bad(struct loader *l, yaml_node_t *n, const char *what)
{
	return error_at(l->path, (int)n->start_mark.line + 1,
			(int)n->start_mark.column + 1, "%s", what);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int load_step(struct loader *l, struct results *r, yaml_node_t *n)
{
	struct results_step *s;
	yaml_node_pair_t *p;
	const char *id = NULL;

	if (n->type != YAML_MAPPING_NODE)
		return bad(l, n, "expected a mapping for a step");
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++)
		if (!strcmp(scalar(l, yaml_document_get_node(l->doc, p->key)) ?: "", "id"))
			id = scalar(l, yaml_document_get_node(l->doc, p->value));
	if (!id)
		return bad(l, n, "step without an id");
	s = results_add_step(r, id);
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		const char *k = scalar(l, yaml_document_get_node(l->doc, p->key));
		const char *v = scalar(l, yaml_document_get_node(l->doc, p->value));

		if (!k || !v)
			continue;
		if (!strcmp(k, "status")) {
			if (results_status_parse(v, &s->status) < 0)
				return bad(l, yaml_document_get_node(l->doc, p->value),
					   "unknown step status");
		} else if (!strcmp(k, "reason")) s->reason = xstrdup(v);
		else if (!strcmp(k, "command")) s->command = xstrdup(v);
		else if (!strcmp(k, "output")) s->output = xstrdup(v);
		else if (!strcmp(k, "exit")) s->exit_status = atoi(v);
		else if (!strcmp(k, "duration")) s->duration = atof(v);
		else if (!strcmp(k, "user")) s->user = atof(v);
		else if (!strcmp(k, "sys")) s->sys = atof(v);
		else if (!strcmp(k, "host_command")) s->host_command = xstrdup(v);
		else if (!strcmp(k, "host_output")) s->host_output = xstrdup(v);
		else if (!strcmp(k, "host_exit")) s->host_exit = atoi(v);
		else if (!strcmp(k, "kernel")) s->kernel = xstrdup(v);
		else if (!strcmp(k, "ccache_hits")) s->ccache_hits = atol(v);
		else if (!strcmp(k, "ccache_misses")) s->ccache_misses = atol(v);
		else if (!strcmp(k, "before_command")) s->before_command = xstrdup(v);
		else if (!strcmp(k, "before_output")) s->before_output = xstrdup(v);
		else if (!strcmp(k, "before_exit")) s->before_exit = atoi(v);
		else if (!strcmp(k, "wait_seen")) s->wait_seen = atoi(v);
		else if (!strcmp(k, "waited")) s->waited = atof(v);
		else if (!strcmp(k, "fault_line")) s->fault.line = xstrdup(v);
		else if (!strcmp(k, "fault_trace")) s->fault.trace = xstrdup(v);
		else if (!strcmp(k, "fault_where")) s->fault.where = xstrdup(v);
		else if (!strcmp(k, "fault_source")) s->fault.source = xstrdup(v);
		else if (!strcmp(k, "fault") &&
			 results_fault_parse(v, &s->fault.kind) < 0)
			return bad(l, yaml_document_get_node(l->doc, p->value),
				   "unknown fault kind");
	}
	return 0;
}

static int load_key(struct loader *l, struct results *r, const char *k,
		    yaml_node_t *v)
{
	const char *sv = scalar(l, v);
	yaml_node_item_t *it;
	yaml_node_pair_t *p;

	if (!strcmp(k, "steps")) {
		if (v->type != YAML_SEQUENCE_NODE)
			return bad(l, v, "expected a sequence for 'steps'");
		for (it = v->data.sequence.items.start;
		     it < v->data.sequence.items.top; it++)
			if (load_step(l, r, yaml_document_get_node(l->doc, *it)))
				return -1;
	} else if (!strcmp(k, "facts") && v->type == YAML_MAPPING_NODE) {
		for (p = v->data.mapping.pairs.start;
		     p < v->data.mapping.pairs.top; p++) {
			const char *fk = scalar(l, yaml_document_get_node(l->doc, p->key));
			const char *fv = scalar(l, yaml_document_get_node(l->doc, p->value));

			if (fk && fv)
				expand_vars_set(&r->facts, fk, fv);
		}
	} else if (!strcmp(k, "lab")) { free(r->lab); r->lab = dup_or_null(sv); }
	else if (!strcmp(k, "exercise")) { free(r->exercise); r->exercise = dup_or_null(sv); }
	else if (!strcmp(k, "outcome") && results_outcome_parse(sv, &r->outcome) < 0)
		return bad(l, v, "unknown outcome");
	else if (!strcmp(k, "detail")) r->detail = dup_or_null(sv);
	else if (!strcmp(k, "expected")) r->expected = sv && !strcmp(sv, "true");
	else if (!strcmp(k, "tail")) r->tail = dup_or_null(sv);
	else if (!strcmp(k, "boot")) r->boot = dup_or_null(sv);
	else if (!strcmp(k, "duration") && sv) r->duration = atof(sv);
	return 0;
}

int results_load(struct results *r, const char *path)
{
	yaml_document_t doc;
	yaml_node_t *root;
	yaml_node_pair_t *p;
	struct loader l = { path, &doc };
	int rc;

	results_init(r, NULL, NULL);
	if (yamldoc_load(path, &doc) < 0)
		return -1;
	root = yaml_document_get_root_node(&doc);
	rc = root && root->type == YAML_MAPPING_NODE ? 0 :
	     error_at(path, 0, 0, "not a labkit results file");
	for (p = rc ? NULL : root->data.mapping.pairs.start;
	     p && !rc && p < root->data.mapping.pairs.top; p++) {
		const char *k = scalar(&l, yaml_document_get_node(&doc, p->key));

		if (k)
			rc = load_key(&l, r, k, yaml_document_get_node(&doc, p->value));
	}
	yaml_document_delete(&doc);
	return rc;
}

int results_load_exercise(struct results *r, const char *path,
			  const char *lab, const char *exercise, bool *loaded)
{
	struct stat st;

	*loaded = false;
	if (stat(path, &st) < 0 && errno == ENOENT) {
		results_init(r, lab, exercise);
		return 0;
	}
	if (results_load(r, path) < 0)
		return -1;
	if (!r->lab || !*r->lab || !r->exercise || !*r->exercise)
		return error_at(path, 0, 0,
				"not a labkit results file (no 'lab' or 'exercise')");
	if (strcmp(r->lab, lab) || strcmp(r->exercise, exercise))
		return error_at(path, 0, 0, "results of lab '%s' exercise '%s', "
				"expected lab '%s' exercise '%s'", r->lab,
				r->exercise, lab, exercise);
	*loaded = true;
	return 0;
}
