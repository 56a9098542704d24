/*
 * scaffold.c — `labkit new`: writes the starter lab repository from the
 * templates compiled in (scaffold_templates[], made from templates/new/
 * and, for --autograder, templates/autograder/<platform>/ by
 * templates.cmake).  It owns the rules for a new lab's id and title,
 * the placeholders the templates hold (@ID@, @TITLE@, @TITLE_YAML@,
 * @LANG@, @LANG_NAME@, @LABKIT_VERSION@) and their lines of one language
 * (a line that starts with @PL@ or @EN@ is written, without it, in a lab
 * of that language only), and writing the tree all or
 * nothing: every file goes into a temporary sibling of the directory,
 * <dir>.new-XXXXXX, which rename(2) then puts in place (over the
 * directory when it is there and empty, which rename allows only then).
 *
 * How it fails: a refusal (a directory that is there and not empty, a bad
 * id or title) or a failure to write is reported with error(), lowercase,
 * the subject quoted, and leaves the file system as it was: the temporary
 * is removed.  A template with a placeholder it does not know is an error
 * too (the unit test writes them all).
 */
#include "scaffold.h"
#include "text.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef LABKIT_VERSION        /* tools/CMakeLists.txt passes the project's */
#define LABKIT_VERSION "unknown"
#endif

/* A placeholder's name and what it becomes. */
struct value {
	const char *name;
	char *text;
};

enum { V_ID, V_TITLE, V_TITLE_YAML, V_LANG, V_LANG_NAME, V_VERSION,
       NVALUES };

/* ---- the id and the title ---- */

static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_id_char(char c)
{
	return is_letter(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

int scaffold_check_id(const char *id)
{
	if (!*id)
		return error("the lab id is empty");
	if (!is_letter(id[0]))
		return error("lab id '%s' does not start with a letter", id);
	for (const char *p = id; *p; p++)
		if (!is_id_char(*p))
			return error("lab id '%s' may hold only letters, digits, "
				     "'_' and '-' (it names the CMake project, "
				     "targets and tests; '.' separates an "
				     "exercise's number)", id);
	if (strlen(id) > SCAFFOLD_ID_MAX)
		return error("lab id '%s' is longer than %d characters", id,
			     SCAFFOLD_ID_MAX);
	return 0;
}

/* The last component of `dir`, trailing slashes ignored (caller frees). */
static char *last_component(const char *dir)
{
	size_t end = strlen(dir), start;

	while (end > 1 && dir[end - 1] == '/')
		end--;
	start = end;
	while (start > 0 && dir[start - 1] != '/')
		start--;
	return xstrndup(dir + start, end - start);
}

char *scaffold_default_id(const char *dir)
{
	char *base = last_component(dir);
	struct sb id;

	sb_init(&id);
	for (const char *p = base; *p && id.len < SCAFFOLD_ID_MAX; p++) {
		char c = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;

		if (!id.len && !is_letter(c))
			continue;
		if (is_id_char(c))
			sb_addc(&id, c);
		else if (id.buf[id.len - 1] != '-')
			sb_addc(&id, '-');
	}
	while (id.len && id.buf[id.len - 1] == '-')
		id.buf[--id.len] = '\0';
	if (!id.len) {
		error("'%s' makes no lab id (it has no letter); give one with "
		      "--id", base);
		sb_release(&id);
		free(base);
		return NULL;
	}
	free(base);
	return sb_detach(&id, NULL);
}

/* A title is one line of UTF-8 text, not empty. */
static int check_title(const char *title)
{
	size_t n = strlen(title), len;

	if (!n)
		return error("the title is empty");
	for (const char *p = title; *p; p += len) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return error("the title may not hold control characters "
				     "(a new line, a tab)");
		len = text_utf8_len(p, n - (size_t)(p - title));
		if (!len)
			return error("the title is not UTF-8 text");
	}
	return 0;
}

/* The text of a YAML double-quoted scalar, without the quotes. */
static char *yaml_quoted(const char *s)
{
	struct sb out;

	sb_init(&out);
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			sb_addc(&out, '\\');
		sb_addc(&out, *s);
	}
	return sb_detach(&out, NULL);
}

const char *scaffold_default_lang(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);

		if (v && *v)
			return !strncmp(v, "pl", 2) ? "pl" : "en";
	}
	return "en";
}

/* The placeholders' values: the id (o->id, else from the directory's
 * name), the title and the language, the version. */
static int make_values(const struct scaffold_opts *o, struct value *v)
{
	static const char *const names[NVALUES] = {
		[V_ID] = "ID", [V_TITLE] = "TITLE", [V_TITLE_YAML] = "TITLE_YAML",
		[V_LANG] = "LANG", [V_LANG_NAME] = "LANG_NAME",
		[V_VERSION] = "LABKIT_VERSION",
	};
	const char *lang = o->lang ? o->lang : scaffold_default_lang();
	bool pl = !strcmp(lang, "pl");

	for (int i = 0; i < NVALUES; i++)
		v[i] = (struct value){ names[i], NULL };
	if (strcmp(lang, "pl") && strcmp(lang, "en"))
		return error("language '%s' is not one labkit writes (en or "
			     "pl)", lang);
	if (o->id && scaffold_check_id(o->id) < 0)
		return -1;
	v[V_ID].text = o->id ? xstrdup(o->id) : scaffold_default_id(o->dir);
	if (!v[V_ID].text || (o->title && check_title(o->title) < 0))
		return -1;
	v[V_TITLE].text = o->title ? xstrdup(o->title) :
			  xasprintf(pl ? "Laboratorium %s" : "Lab %s",
				    v[V_ID].text);
	v[V_TITLE_YAML].text = yaml_quoted(v[V_TITLE].text);
	v[V_LANG].text = xstrdup(lang);
	v[V_LANG_NAME].text = xstrdup(pl ? "Polish" : "English");
	v[V_VERSION].text = xstrdup(LABKIT_VERSION);
	return 0;
}

static void free_values(struct value *v)
{
	for (int i = 0; i < NVALUES; i++)
		free(v[i].text);
}

/* ---- the templates ---- */

static const struct value *find_value(const struct value *v,
				      const char *name, size_t len)
{
	for (int i = 0; i < NVALUES; i++)
		if (strlen(v[i].name) == len && !memcmp(v[i].name, name, len))
			return &v[i];
	return NULL;
}

/* t's text without the lines of the other language: a line that starts
 * with @PL@ or @EN@ is the lab's, the marker taken off, when its language
 * is the lab's, and left out when not. */
static void one_language(const struct scaffold_template *t, const char *lang,
			 struct sb *out)
{
	const char *p = t->text, *end = t->text + t->len;
	char mine[5];

	snprintf(mine, sizeof(mine), "@%c%c@", lang[0] - 'a' + 'A',
		 lang[1] - 'a' + 'A');
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		bool tagged = len > 4 && (!memcmp(p, "@PL@", 4) ||
					  !memcmp(p, "@EN@", 4));

		if (!tagged)
			sb_add(out, p, len);
		else if (!memcmp(p, mine, 4))
			sb_add(out, p + 4, len - 4);
		p += len;
	}
}

/*
 * t's text, of one language, with each @NAME@ (NAME: capitals, digits,
 * '_') replaced; any other '@' stays (actions/checkout@v4).  -1 for a
 * NAME it does not know.
 */
static int expand(const struct scaffold_template *t, const struct value *v,
		  struct sb *out)
{
	struct sb lines;
	const char *p, *end;
	int rc = 0;

	sb_init(&lines);
	one_language(t, v[V_LANG].text, &lines);
	p = lines.buf ? lines.buf : "";
	end = p + lines.len;
	while (p < end) {
		const char *at = memchr(p, '@', (size_t)(end - p)), *name;
		size_t n = 0;

		if (!at) {
			sb_add(out, p, (size_t)(end - p));
			break;
		}
		sb_add(out, p, (size_t)(at - p));
		name = at + 1;
		while (name + n < end && ((name[n] >= 'A' && name[n] <= 'Z') ||
					  (name[n] >= '0' && name[n] <= '9') ||
					  name[n] == '_'))
			n++;
		if (!n || name + n == end || name[n] != '@') {
			sb_addc(out, '@');
			p = at + 1;
			continue;
		}
		if (!find_value(v, name, n)) {
			rc = error("template '%s' has an unknown placeholder "
				   "'@%.*s@'", t->path, (int)n, name);
			break;
		}
		sb_adds(out, find_value(v, name, n)->text);
		p = name + n + 1;
	}
	sb_release(&lines);
	return rc;
}

/* Writes template `t` under `root`; `shown` is the directory as messages
 * name it (the final one, not the temporary). */
static int write_template(const char *root, const char *shown,
			  const struct scaffold_template *t,
			  const struct value *v)
{
	char *path = xasprintf("%s/%s", root, t->path);
	char *slash = strrchr(path, '/');
	struct sb text;
	int fd, rc = -1;

	sb_init(&text);
	if (expand(t, v, &text) < 0)
		goto out;
	if (slash != path + strlen(root)) {     /* in a subdirectory */
		*slash = '\0';
		if (fs_mkdirs(path, 0777) < 0) {
			error("cannot create '%s/%.*s': %m", shown,
			      (int)(strrchr(t->path, '/') - t->path), t->path);
			goto out;
		}
		*slash = '/';
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, t->mode);
	rc = fd < 0 || fs_write_all(fd, text.buf, text.len) < 0 ? -1 : 0;
	if (fd >= 0 && close(fd) < 0)
		rc = -1;
	if (rc < 0)
		error("cannot write '%s/%s': %m", shown, t->path);
out:
	sb_release(&text);
	free(path);
	return rc;
}

/* ---- the autograders ---- */

int scaffold_check_autograder(const char *name)
{
	struct sb known;
	int rc;

	for (size_t i = 0; *name && i < scaffold_ntemplates; i++)
		if (!strcmp(scaffold_templates[i].set, name))
			return 0;
	sb_init(&known);
	for (size_t i = 0; i < scaffold_ntemplates; i++) {
		const char *set = scaffold_templates[i].set;

		if (*set && (i == 0 || strcmp(set, scaffold_templates[i - 1].set)))
			sb_addf(&known, "%s%s", known.len ? ", " : "", set);
	}
	rc = error("no autograder for '%s' (labkit new writes one for: %s)",
		   name, known.buf ? known.buf : "none");
	sb_release(&known);
	return rc;
}

/* Is template `t` one the starter asked for? */
static bool wanted(const struct scaffold_opts *o,
		   const struct scaffold_template *t)
{
	for (size_t i = 0; *t->set && i < o->nautograders; i++)
		if (!strcmp(t->set, o->autograders[i]))
			return true;
	return !*t->set;
}

/* ---- the directory ---- */

/* `dir` without trailing slashes; NULL, reported, when it names no new
 * directory ("", ".", "..", "/"). */
static char *clean_dir(const char *dir)
{
	char *d = xstrdup(dir), *base;
	size_t n = strlen(d);

	while (n > 1 && d[n - 1] == '/')
		d[--n] = '\0';
	base = strrchr(d, '/') ? strrchr(d, '/') + 1 : d;
	if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
		error("'%s' does not name a new directory", dir);
		free(d);
		return NULL;
	}
	return d;
}

/* Is `dir` a directory with nothing in it?  1 yes, 0 no, -1 error. */
static int dir_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int empty = 1;

	if (!d)
		return -1;
	while (empty && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = 0;
	closedir(d);
	return empty;
}

/* `dir` must be missing, or an empty directory. */
static int check_target(const char *dir)
{
	struct stat st;
	int empty;

	if (lstat(dir, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		return error("cannot look at '%s': %m", dir);
	}
	if (!S_ISDIR(st.st_mode))
		return error("'%s' exists and is not a directory", dir);
	empty = dir_is_empty(dir);
	if (empty < 0)
		return error("cannot read '%s': %m", dir);
	if (!empty)
		return error("'%s' exists and is not empty", dir);
	return 0;
}

/* The temporary sibling <dir>.new-XXXXXX, with the mode mkdir(2) would
 * give (mkdtemp's is 0700); NULL, reported. */
static char *make_temp(const char *dir)
{
	char *tmp = xasprintf("%s.new-XXXXXX", dir);
	mode_t mask = umask(022);

	umask(mask);
	if (!mkdtemp(tmp)) {
		error("cannot create a directory beside '%s': %m", dir);
		free(tmp);
		return NULL;
	}
	if (chmod(tmp, 0777 & ~mask) < 0) {
		error("cannot create a directory beside '%s': %m", dir);
		rmdir(tmp);
		free(tmp);
		return NULL;
	}
	return tmp;
}

int scaffold_new(const struct scaffold_opts *o, char **id)
{
	struct value v[NVALUES] = { { NULL, NULL } };
	char *dir = clean_dir(o->dir), *tmp = NULL;
	int rc = -1;

	for (size_t i = 0; i < o->nautograders; i++)
		if (scaffold_check_autograder(o->autograders[i]) < 0)
			goto out;
	if (!dir || make_values(o, v) < 0 || check_target(dir) < 0)
		goto out;
	tmp = make_temp(dir);
	if (!tmp)
		goto out;
	for (size_t i = 0; i < scaffold_ntemplates; i++)
		if (wanted(o, &scaffold_templates[i]) &&
		    write_template(tmp, dir, &scaffold_templates[i], v) < 0)
			goto out;
	/* Over an empty directory too; one that is no longer empty (written
	 * to since check_target) fails with ENOTEMPTY and stays. */
	if (rename(tmp, dir) < 0) {
		error("cannot rename '%s' to '%s': %m", tmp, dir);
		goto out;
	}
	*id = v[V_ID].text;
	v[V_ID].text = NULL;
	rc = 0;
out:
	if (rc < 0 && tmp)
		fs_remove_tree(tmp);
	free_values(v);
	free(tmp);
	free(dir);
	return rc;
}
