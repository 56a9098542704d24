/*
 * xref_serve.c — `labkit xref serve`: a local LXR-like web view of an
 * index and its source tree, over libmicrohttpd.
 *
 * Owns the HTTP side: listening (loopback unless told otherwise; port 0
 * picks a free one, and the URL is printed on stdout), the request checks
 * (GET or HEAD only, else 405; a request target or headers over 8 KiB,
 * 414/431; a bad header, a target not starting with '/', HTTP/1.1
 * without Host, 400; a request line libmicrohttpd cannot parse at all
 * gets the connection closed, its choice), decoding the raw request target
 * once and strictly, routing to the pages of xref_html.c, and opening
 * source files strictly inside the tree: no empty, `.` or `..`
 * component, no absolute path, no '\', no NUL, no escaped '/', '%' or NUL
 * (so no double encoding either), and each component opened with
 * openat(O_NOFOLLOW) from the tree's directory, so no symbolic link is
 * followed, in the tree or out of it.  The raw target comes from
 * libmicrohttpd's URI log callback, before its own unescaping.
 *
 * Runs until SIGINT or SIGTERM, taken with sigwait() on the calling thread
 * while libmicrohttpd's threads serve (they start with both blocked).
 * Errors before serving (no index, a bad address, a port in use) are
 * printed and return -1; a request never stops the server.  Allocation
 * failure dies.
 */
#include "xref_serve.h"
#include "xref_html_int.h"
#include "xref_index.h"

#include "events.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_TARGET 8192
#define MAX_HEADERS 8192
#define MAX_SOURCE (32u << 20)

struct server {
	struct xref_index *idx;
	int rootfd;
};

/* --- decoding and resolving --------------------------------------------------- */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *xref_serve_decode(const char *s, size_t len, int query)
{
	char *out = xmalloc(len + 1);
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)s[i], hi, lo;

		if (c == '%') {
			if (i + 2 >= len)
				goto bad;
			hi = hexval((unsigned char)s[i + 1]);
			lo = hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				goto bad;
			c = hi << 4 | lo;
			i += 2;
			/* in a path, an escaped '/', '%' or '\' is an attack */
			if (!query && (c == '/' || c == '%' || c == '\\'))
				goto bad;
		} else if (c == '+' && query) {
			c = ' ';
		}
		if (c == 0)
			goto bad;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return out;
bad:
	free(out);
	return NULL;
}

/* Whether `rel` may name something inside the tree at all. */
static int path_allowed(const char *rel)
{
	const char *p = rel, *slash;
	size_t len;

	if (!*rel || *rel == '/' || strchr(rel, '\\') || strchr(rel, '%'))
		return 0;
	for (;; p = slash + 1) {
		slash = strchr(p, '/');
		len = slash ? (size_t)(slash - p) : strlen(p);
		if (len == 0 || (len == 1 && p[0] == '.') ||
		    (len == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
				return 0;
		if (!slash)
			return 1;
	}
}

static int is_link(int dirfd, const char *name)
{
	struct stat st;

	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
}

int xref_serve_open(int rootfd, const char *rel)
{
	char *copy, *save, *comp, *next;
	int fd, dirfd = rootfd, saved;

	if (!path_allowed(rel)) {
		errno = EINVAL;
		return -1;
	}
	copy = xstrdup(rel);
	comp = strtok_r(copy, "/", &save);
	for (;; comp = next) {
		next = strtok_r(NULL, "/", &save);
		fd = openat(dirfd, comp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY |
			    O_NONBLOCK | (next ? O_DIRECTORY : 0));
		saved = errno;
		if (fd < 0 && saved == ENOTDIR && is_link(dirfd, comp))
			saved = ELOOP; /* O_DIRECTORY says ENOTDIR for a link */
		if (dirfd != rootfd)
			close(dirfd);
		if (fd < 0 || !next)
			break;
		dirfd = fd;
	}
	free(copy);
	errno = saved;
	return fd;
}

/* Reads a regular file opened by xref_serve_open(); the HTTP status. */
static int read_source(int fd, char **text, size_t *len)
{
	struct stat st;
	size_t got = 0;
	ssize_t n;

	if (fstat(fd, &st) < 0)
		return 500;
	if (S_ISDIR(st.st_mode))
		return 301;
	if (!S_ISREG(st.st_mode))
		return 404;
	if ((uint64_t)st.st_size > MAX_SOURCE)
		return 413;
	*text = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		n = read(fd, *text + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	(*text)[got] = '\0';
	*len = got;
	return 200;
}

/* --- routes ---------------------------------------------------------------------- */

/* The value of `q` in a query string, decoded; "" when absent, NULL when
 * malformed. */
static char *query_q(const char *query)
{
	const char *p = query, *amp;

	for (; p && *p; p = amp ? amp + 1 : NULL) {
		amp = strchr(p, '&');
		if (!strncmp(p, "q=", 2))
			return xref_serve_decode(p + 2, amp ? (size_t)(amp - p - 2) : strlen(p + 2), 1);
		if (!amp)
			break;
	}
	return xstrdup("");
}

static int route_source(const struct server *sv, const char *rel,
			struct sb *out, char **location)
{
	char *text = NULL;
	size_t len = 0;
	int fd, status;

	if (!*rel || rel[strlen(rel) - 1] == '/') {
		char *dir = xstrndup(rel, *rel ? strlen(rel) - 1 : 0);

		status = !*rel || path_allowed(dir);
		free(dir);
		if (!status)
			return xref_html_error(out, 400, "bad path");
		return xref_html_dir(sv->idx, rel, out);
	}
	fd = xref_serve_open(sv->rootfd, rel);
	if (fd < 0)
		return xref_html_error(out, errno == EINVAL ? 400 : 404,
				       errno == EINVAL ? "bad path" : "no such file in the tree");
	status = read_source(fd, &text, &len);
	close(fd);
	if (status == 301) {
		*location = xasprintf("/source/%s/", rel);
		return xref_html_error(out, 301, "a directory");
	}
	if (status != 200)
		return xref_html_error(out, status, status == 413 ? "file too big to show" :
				       "not a regular file");
	status = xref_html_source(sv->idx, rel, text, len, out);
	free(text);
	return status;
}

/* The page for the decoded `path` and raw `query`; its status. */
static int route(const struct server *sv, const char *path, const char *query,
		 struct sb *out, char **location)
{
	char *q;
	int status;

	if (!strcmp(path, "/"))
		return xref_html_home(sv->idx, out);
	if (!strncmp(path, "/source/", 8))
		return route_source(sv, path + 8, out, location);
	if (!strcmp(path, "/source")) {
		*location = xstrdup("/source/");
		return xref_html_error(out, 301, "moved");
	}
	if (!strncmp(path, "/ident/", 7))
		return xref_html_ident(sv->idx, path + 7, out);
	if (strcmp(path, "/ident") && strcmp(path, "/doc"))
		return xref_html_error(out, 404, "no such page");
	q = query_q(query);
	if (!q)
		return xref_html_error(out, 400, "bad query string");
	if (!strcmp(path, "/doc")) {
		status = xref_html_doc(sv->idx, q, out);
	} else {
		/* "struct dentry" finds dentry */
		char *name = strrchr(q, ' ') ? strrchr(q, ' ') + 1 : q;

		status = xref_html_ident(sv->idx, name, out);
	}
	free(q);
	return status;
}

/* --- HTTP ------------------------------------------------------------------------- */

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind,
				    const char *key, const char *value)
{
	size_t *total = cls;

	(void)kind;
	*total += strlen(key) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

/* Checks the request; its status (0 when it may go on) and message. */
static int check_request(struct MHD_Connection *con, const char *method,
			 const char *version, const char *target, const char **why)
{
	size_t headers = 0;

	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return *why = "only GET and HEAD", 405;
	if (!target)
		return *why = "no request target", 400;
	if (strlen(target) > MAX_TARGET)
		return *why = "request target over 8 KiB", 414;
	MHD_get_connection_values(con, MHD_HEADER_KIND, count_header, &headers);
	if (headers > MAX_HEADERS)
		return *why = "headers over 8 KiB", 431;
	if (target[0] != '/')
		return *why = "not an origin-form request target", 400;
	if (!strcmp(version, MHD_HTTP_VERSION_1_1) &&
	    !MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST))
		return *why = "an HTTP/1.1 request without Host", 400;
	return 0;
}

static enum MHD_Result respond(struct MHD_Connection *con, int status,
			       struct sb *page, const char *location)
{
	size_t len;
	char *body = sb_detach(page, &len);
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body,
								 MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ret;

	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", "text/html; charset=utf-8");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
	if (status == 405)
		MHD_add_response_header(r, "Allow", "GET, HEAD");
	if (location)
		MHD_add_response_header(r, "Location", location);
	ret = MHD_queue_response(con, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *con,
			      const char *url, const char *method,
			      const char *version, const char *upload,
			      size_t *upload_size, void **req)
{
	const struct server *sv = cls;
	const char *target = *req, *why = NULL, *qm;
	char *path = NULL, *location = NULL;
	struct sb page;
	int status;
	enum MHD_Result ret;

	(void)url;
	(void)upload;
	if (*upload_size) {
		*upload_size = 0; /* a body we never read */
		return MHD_YES;
	}
	sb_init(&page);
	status = check_request(con, method, version, target, &why);
	if (!status) {
		qm = strchr(target, '?');
		path = xref_serve_decode(target, qm ? (size_t)(qm - target) : strlen(target), 0);
		if (!path)
			status = xref_html_error(&page, 400, "bad escape in the path");
		else
			status = route(sv, path, qm ? qm + 1 : "", &page, &location);
	} else {
		xref_html_error(&page, status, why);
	}
	ret = respond(con, status, &page, location);
	sb_release(&page);
	free(path);
	free(location);
	return ret;
}

/* The request target as the client sent it, kept as the request's
 * context (libmicrohttpd unescapes the one it hands handle()). */
static void *log_target(void *cls, const char *uri, struct MHD_Connection *con)
{
	(void)cls;
	(void)con;
	return xstrdup(uri ? uri : "");
}

static void request_done(void *cls, struct MHD_Connection *con, void **req,
			 enum MHD_RequestTerminationCode code)
{
	(void)cls;
	(void)con;
	(void)code;
	free(*req);
	*req = NULL;
}

/* --- the server --------------------------------------------------------------------- */

/* The address to listen on; -1 after an error. */
static int parse_bind(const char *bind, unsigned port,
		      struct sockaddr_storage *ss, unsigned *flags)
{
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (port > 65535)
		return error("port %u is not a TCP port", port);
	if (inet_pton(AF_INET6, bind, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*flags |= MHD_USE_IPv6;
		return 0;
	}
	if (inet_pton(AF_INET, bind, &in4->sin_addr) != 1)
		return error("'%s' is not an IPv4 or IPv6 address to listen on", bind);
	in4->sin_family = AF_INET;
	in4->sin_port = htons((uint16_t)port);
	return 0;
}

static struct MHD_Daemon *start(struct server *sv, const struct sockaddr *sa,
				unsigned flags, unsigned port)
{
	return MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, handle, sv,
				MHD_OPTION_SOCK_ADDR, sa,
				MHD_OPTION_URI_LOG_CALLBACK, log_target, NULL,
				MHD_OPTION_NOTIFY_COMPLETED, request_done, NULL,
				MHD_OPTION_THREAD_POOL_SIZE, 2u,
				MHD_OPTION_CONNECTION_LIMIT, 64u,
				MHD_OPTION_CONNECTION_TIMEOUT, 30u,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32u << 10),
				MHD_OPTION_END);
}

/* Serves until SIGINT or SIGTERM. */
static int run(struct server *sv, const struct xref_serve_opts *o)
{
	const union MHD_DaemonInfo *info;
	struct MHD_Daemon *d;
	struct sockaddr_storage ss;
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD;
	sigset_t set, old;
	int sig;

	if (parse_bind(o->bind, o->port, &ss, &flags) < 0)
		return -1;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	errno = 0;
	d = start(sv, (const struct sockaddr *)&ss, flags, o->port);
	if (!d) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		return error("cannot listen on '%s' port %u: %s", o->bind, o->port,
			     errno ? strerror(errno) : "libmicrohttpd failed");
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	events_note(NULL, NULL, "labkit xref serve: http://%s%s%s:%u/",
		    strchr(o->bind, ':') ? "[" : "", o->bind,
		    strchr(o->bind, ':') ? "]" : "", info ? info->port : o->port);
	while (sigwait(&set, &sig) != 0)
		;
	MHD_stop_daemon(d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return sig;
}

int xref_serve(const struct xref_serve_opts *o)
{
	struct server sv = { 0 };
	const char *tree;
	int rc;

	sv.idx = xref_open(o->index);
	if (!sv.idx)
		return -1;
	tree = o->tree ? o->tree : xref_root(sv.idx);
	sv.rootfd = open(tree, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sv.rootfd < 0) {
		error("%s: %s (the source tree to show)", tree, strerror(errno));
		xref_close(sv.idx);
		return -1;
	}
	rc = run(&sv, o);
	close(sv.rootfd);
	xref_close(sv.idx);
	return rc;
}
