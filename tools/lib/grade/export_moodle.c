/*
 * export_moodle.c — the class as a Moodle grade import (Grades → Import
 * → CSV file), moodle.csv.  What Moodle reads, from its importer
 * (github.com/moodle/moodle grade/import/csv/classes/load_data.php,
 * https://docs.moodle.org/en/Grade_import):
 *
 *   - a header row, then a row per student; the teacher maps each column
 *     on the import page: one to a user field ("Map from" → "Map to": id,
 *     idnumber, email or username), each other to a grade item, a
 *     grade item's feedback, or nothing;
 *   - a grade "" or "-" is no grade (never 0), anything else a number;
 *   - a row whose user cannot be found stops the whole import.
 *
 * So: `<Username|ID number|Email address>,<lab id>,Feedback` (Moodle's
 * own names for the user fields), the lab's points got, empty for a
 * student who was not graded, and the feedback a student may read: each
 * step not passed whose results are not `hidden` (an import is the
 * teacher publishing them), its feedback or the judge's line.  The user
 * field is the student's directory name, or what the roster (--roster,
 * a CSV with a header naming columns "student" and the field, by its
 * option's name or Moodle's) says; a student it does not name is left
 * out with a warning.  RFC 4180 (summary_csv_field()), CRLF; text from
 * the results with its controls shown as \xNN.
 */
#include "export_int.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Moodle's own names of the user fields, in the order of enum export_id. */
static const char *const headers[EXPORT_NIDS] = {
	"Username", "ID number", "Email address",
};

struct roster {
	size_t n, cap;
	char **student, **id;
};

static void roster_free(struct roster *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->student[i]);
		free(r->id[i]);
	}
	free(r->student);
	free(r->id);
}

/* The fields of the CSV record at *p (RFC 4180: quoted fields may hold
 * commas, quotes doubled and line breaks), *p moved past it; *line
 * counts the lines. */
static size_t csv_record(const char **p, char ***fields, int *line)
{
	size_t n = 0;
	const char *s = *p;

	*fields = NULL;
	for (;;) {
		struct sb f;

		sb_init(&f);
		sb_adds(&f, "");
		if (*s == '"') {
			for (s++; *s && !(*s == '"' && s[1] != '"'); s++) {
				*line += *s == '\n';
				if (*s == '"')
					s++;
				sb_addc(&f, *s);
			}
			s += *s == '"';
		}
		while (*s && *s != ',' && *s != '\n' && *s != '\r')
			sb_addc(&f, *s++);
		*fields = xrealloc(*fields, (n + 1) * sizeof(**fields));
		(*fields)[n++] = sb_detach(&f, NULL);
		if (*s != ',')
			break;
		s++;
	}
	s += *s == '\r';
	if (*s == '\n') {
		s++;
		(*line)++;
	}
	*p = s;
	return n;
}

static void free_fields(char **f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(f[i]);
	free(f);
}

/* The header's columns of the student and the id; -1 reported. */
static int roster_columns(const char *path, char **f, size_t n,
			  enum export_id id, size_t *cs, size_t *ci)
{
	*cs = *ci = n;
	for (size_t i = 0; i < n; i++) {
		if (!strcasecmp(f[i], "student"))
			*cs = i;
		if (!strcasecmp(f[i], export_id_name(id)) ||
		    !strcasecmp(f[i], headers[id]))
			*ci = i;
	}
	if (*cs == n || *ci == n)
		return error_at(path, 1, 1, "the roster's header must name a column 'student' and a column '%s' (or '%s')",
				export_id_name(id), headers[id]);
	return 0;
}

static int roster_add(struct roster *r, const char *path, int line,
		      const char *student, const char *id)
{
	if (!*student || !*id)
		return error_at(path, line, 1, "a row with no student or no id");
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->student[i], student))
			return error_at(path, line, 1, "student '%s' is named twice",
					student);
	ARRAY_PUSH(r->student, r->n, r->cap);
	r->id = xrealloc(r->id, r->cap * sizeof(*r->id));
	r->student[r->n] = xstrdup(student);
	r->id[r->n++] = xstrdup(id);
	return 0;
}

static int roster_load(struct roster *r, const char *path, enum export_id id)
{
	char *text, **f;
	size_t len, n, cs, ci;
	const char *p;
	int line = 1, at, rc;

	if (fs_read_file(path, &text, &len) < 0)
		return error_at(path, 0, 0, "cannot read the roster: %m");
	p = text;
	n = csv_record(&p, &f, &line);
	rc = roster_columns(path, f, n, id, &cs, &ci);
	free_fields(f, n);
	while (rc == 0 && *p) {
		at = line;
		n = csv_record(&p, &f, &line);
		if (n > 1 || (n == 1 && *f[0]))
			rc = roster_add(r, path, at, cs < n ? f[cs] : "",
					ci < n ? f[ci] : "");
		free_fields(f, n);
	}
	free(text);
	return rc;
}

static const char *roster_id(const struct roster *r, const char *student)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->student[i], student))
			return r->id[i];
	return NULL;
}

/* A field of text from the results: controls shown, then quoted. */
static void field(struct sb *csv, const char *s)
{
	struct sb clean;

	sb_init(&clean);
	text_escape(&clean, s, strlen(s), TEXT_CONTROLS);
	summary_csv_field(csv, clean.buf ? clean.buf : "");
	sb_release(&clean);
}

/* What a student may read of their grading, one line a step. */
static void feedback(const struct export_class *x,
		     const struct export_student *s, struct sb *out)
{
	if (s->s->not_graded) {
		char *why = export_not_graded(x, s);

		sb_adds(out, why);
		free(why);
		return;
	}
	sb_addf(out, "%s: %d/%d %s", export_word(x, EW_SCORE), s->s->score.got,
		s->s->score.max, export_word(x, EW_POINTS));
	for (size_t k = 0; k < x->c.nsteps; k++) {
		const struct export_step *e = &s->steps[k];

		if (e->verdict == VERDICT_PASSED ||
		    e->st->visibility == VISIBILITY_HIDDEN)
			continue;
		sb_addf(out, "\n%s: %s", e->st->id, export_verdict(x, e->verdict));
		if (*export_message(x, e))
			sb_addf(out, ": %s", export_message(x, e));
	}
}

static void row(const struct export_class *x, const struct export_student *s,
		const char *id, struct sb *csv)
{
	struct sb fb;

	sb_init(&fb);
	summary_csv_field(csv, id);
	if (s->s->not_graded)
		sb_adds(csv, ",,");
	else
		sb_addf(csv, ",%d,", s->s->score.got);
	feedback(x, s, &fb);
	field(csv, fb.buf);
	sb_adds(csv, "\r\n");
	sb_release(&fb);
}

int export_moodle(const struct export_class *x, struct sb *csv)
{
	enum export_id id = x->o->id;
	struct roster r = { 0 };
	int rc = 0;

	if (!x->o->roster && id == EXPORT_ID_EMAIL)
		return error("moodle: the e-mail address of a student comes from a roster (--roster FILE with columns student,email): a submission's name cannot be one");
	if (x->o->roster && roster_load(&r, x->o->roster, id) < 0)
		rc = -1;
	summary_csv_field(csv, headers[id]);
	sb_addc(csv, ',');
	summary_csv_field(csv, x->c.spec->lab_id);
	sb_adds(csv, ",Feedback\r\n");
	for (size_t i = 0; rc == 0 && i < x->c.nstudents; i++) {
		const struct export_student *s = &x->students[i];
		const char *uid = x->o->roster ? roster_id(&r, s->s->name) :
				  s->s->name;

		if (!uid) {
			warning("moodle: student '%s' is not in roster '%s': left out of moodle.csv (Moodle stops an import at a user it cannot find)",
				s->s->name, x->o->roster);
			continue;
		}
		row(x, s, uid, csv);
	}
	roster_free(&r);
	return rc;
}
