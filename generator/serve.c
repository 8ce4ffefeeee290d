/*
 * serve: see serve.h. The main thread watches and rebuilds; libmicrohttpd's
 * threads answer requests, reading the shared state under `lock`.
 */
#include "serve.h"

#include "alloc.h"
#include "buf.h"
#include "build.h"
#include "cli.h"
#include "diag.h"
#include "load.h"
#include "outdir.h"
#include "render.h"
#include "repo.h"
#include "site.h"
#include "write.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <microhttpd.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define EVENTS_PATH "/__showcase/events"
#define DEBOUNCE_MS 150
#define PING_SECONDS 15
#define MAX_FILE_SIZE ((size_t)256 << 20)

const char serve_help[] =
	"usage: showcase serve [-C DIR] [--worktree] [--port N] [--bind ADDR]\n"
	"                      [--drafts] [--theme DIR]\n"
	"\n"
	"Preview the site at http://127.0.0.1:8000/ while you work. The site is\n"
	"built into a private temporary folder (never into output/) and rebuilt\n"
	"after every commit (or, with --worktree, every saved file); open pages\n"
	"reload by themselves. When a build fails its errors are shown over the\n"
	"page and the last good site stays.\n"
	"\n"
	"  -C DIR       the site's folder (default: the current folder)\n"
	"  --worktree   preview the files on disk instead of the last commit\n"
	"  --port N     the port (default 8000; 0 picks a free one)\n"
	"  --bind ADDR  the address to listen on (default 127.0.0.1: only this\n"
	"               computer can see the preview)\n"
	"  --drafts     include records marked draft: true\n"
	"  --theme DIR  use the theme in DIR\n"
	"\n"
	"Stop it with Ctrl-C. Exit status: 2 wrong usage; 3 the port cannot be\n"
	"opened or the repository cannot be read.\n";

struct server {
	struct load_options o;
	char *scratch;      /* the private folder */
	char *site;         /* scratch/site: what is served */
	pthread_mutex_t lock;
	pthread_cond_t changed;
	unsigned long generation; /* builds finished, good or bad */
	char *base_path;    /* of the last good build, "/" before */
	char *errors;       /* diagnostics of the last build if it failed */
	int built;          /* a good build exists */
};

/* ---- building ---- */

static void rebuild(struct server *srv)
{
	struct load_site s;
	struct writer *w = NULL;
	struct diag d;
	struct buf excl = BUF_INIT;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	struct timespec t0, t1;
	int ok;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	diag_init(&d);
	buf_printf(&excl, "%s/output", srv->o.dir ? srv->o.dir : ".");
	ok = load_open(&s, &srv->o, excl.ptr, &d) == 0 &&
	     write_begin(&w, srv->site, 0, &d) == 0;
	if (ok && build_render(&s, NULL, w, srv->o.jobs, &d) < 0) {
		write_abort(w);
		ok = 0;
	} else if (ok && write_commit(w, &d) < 0) {
		ok = 0;
	}
	ok = ok && diag_exit_code(&d) == EXIT_OK;
	clock_gettime(CLOCK_MONOTONIC, &t1);

	f = open_memstream(&text, &len);
	if (f) {
		diag_flush(&d, f);
		fclose(f);
	}
	fputs(text ? text : "", stderr);
	fprintf(stderr, "showcase: %s in %ld ms\n",
		ok ? "built" : "build failed, the last good site stays",
		(long)((t1.tv_sec - t0.tv_sec) * 1000 +
		       (t1.tv_nsec - t0.tv_nsec) / 1000000));

	pthread_mutex_lock(&srv->lock);
	free(srv->errors);
	srv->errors = ok ? NULL : xstrdup(text && *text ? text
					  : "the build failed\n");
	if (ok) {
		free(srv->base_path);
		srv->base_path = xstrdup(s.site.base_path ? s.site.base_path : "/");
		srv->built = 1;
	}
	srv->generation++;
	pthread_cond_broadcast(&srv->changed);
	pthread_mutex_unlock(&srv->lock);

	free(text);
	buf_release(&excl);
	load_release(&s);
	diag_release(&d);
}

/* ---- answering ---- */

static void add_html_escaped(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '&': buf_puts(b, "&amp;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		default: buf_putc(b, *s);
		}
	}
}

/* What an HTML response gets before </body> (never the built file): the
 * reload script and, after a failed build, its diagnostics. */
static void add_injection(struct buf *b, unsigned long generation,
			  const char *errors)
{
	if (errors) {
		buf_puts(b, "<div id=\"showcase-serve-errors\" style=\"position:"
			 "fixed;inset:0 0 auto 0;max-height:60vh;overflow:auto;"
			 "z-index:2147483647;background:#fff0f0;color:#600;"
			 "border-bottom:3px solid #c00;padding:1em;font:14px/1.5 "
			 "monospace;white-space:pre-wrap\"><strong>构建失败 "
			 "(build failed): 下面是错误，网站仍是上次成功构建的版本"
			 "</strong>\n\n");
		add_html_escaped(b, errors);
		buf_puts(b, "</div>");
	}
	buf_printf(b, "<script>(function(){var s=new EventSource(\"%s?since=%lu\");"
		   "s.onmessage=function(){s.close();location.reload();};})();"
		   "</script>", EVENTS_PATH, generation);
}

static void inject(struct buf *page, unsigned long generation,
		   const char *errors)
{
	struct buf extra = BUF_INIT;
	char *end = NULL;

	add_injection(&extra, generation, errors);
	/* The last </body>, case-insensitively; else at the end. */
	for (char *p = page->ptr; (p = strcasestr(p, "</body")); p++)
		end = p;
	if (end) {
		size_t at = (size_t)(end - page->ptr);
		struct buf out = BUF_INIT;
		buf_add(&out, page->ptr, at);
		buf_add(&out, extra.ptr, extra.len);
		buf_add(&out, page->ptr + at, page->len - at);
		buf_release(page);
		*page = out;
	} else {
		buf_add(page, extra.ptr, extra.len);
	}
	buf_release(&extra);
}

static const char *content_type(const char *path)
{
	static const char *const types[][2] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".jpg", "image/jpeg" },
		{ ".jpeg", "image/jpeg" },
		{ ".gif", "image/gif" },
		{ ".webp", "image/webp" },
		{ ".pdf", "application/pdf" },
		{ ".json", "application/json" },
		{ ".xml", "application/xml" },
		{ ".txt", "text/plain; charset=utf-8" },
		{ ".woff2", "font/woff2" },
	};
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof(types) / sizeof(*types); i++)
		if (!strcasecmp(dot, types[i][0]))
			return types[i][1];
	return "application/octet-stream";
}

/* Read `rel` (a safe path) below `root` without following links into
 * `out`; a folder gives its index.html. 0, or -1. */
static int read_beneath(const char *root, const char *rel, struct buf *out,
			const char **type)
{
	char *copy = xstrdup(rel), *comp = copy, *slash;
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC), next;
	struct stat st;
	int rc = -1;

	while (fd >= 0 && (slash = strchr(comp, '/'))) {
		*slash = '\0';
		next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = next;
		comp = slash + 1;
	}
	if (fd < 0)
		goto cleanup;
	next = openat(fd, comp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (next >= 0 && fstat(next, &st) == 0 && S_ISDIR(st.st_mode)) {
		int dir = next;
		next = openat(dir, "index.html", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		close(dir);
		*type = content_type("index.html");
	} else {
		*type = content_type(comp);
	}
	close(fd);
	fd = next;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > MAX_FILE_SIZE)
		goto cleanup;
	buf_reset(out);
	if (buf_read_fd(out, fd) < 0)
		goto cleanup;
	rc = 0;
cleanup:
	if (fd >= 0)
		close(fd);
	free(copy);
	return rc;
}

static enum MHD_Result respond(struct MHD_Connection *c, unsigned status,
			    struct buf *body, const char *type)
{
	size_t len;
	char *data = buf_detach(body, &len);
	struct MHD_Response *r =
		MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ret;

	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

struct stream {
	struct server *srv;
	unsigned long seen;
	int greeted;
};

/* One server-sent event when the generation moves past what the page was
 * built from, a comment now and then so that proxies keep it open. */
static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct stream *st = cls;
	struct server *srv = st->srv;
	struct timespec until;
	const char *msg;

	if (!st->greeted) {
		st->greeted = 1;
		msg = "retry: 1000\n\n";
	} else {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += PING_SECONDS;
		pthread_mutex_lock(&srv->lock);
		while (srv->generation <= st->seen &&
		       pthread_cond_timedwait(&srv->changed, &srv->lock, &until) == 0)
			;
		msg = srv->generation > st->seen ? "data: reload\n\n" : ": ping\n\n";
		st->seen = srv->generation;
		pthread_mutex_unlock(&srv->lock);
	}
	size_t n = strlen(msg) < max ? strlen(msg) : max;
	memcpy(out, msg, n);
	return (ssize_t)n;
}

static enum MHD_Result events(struct server *srv, struct MHD_Connection *c)
{
	struct stream *st = xcalloc(1, sizeof(*st));
	const char *since = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
							"since");
	struct MHD_Response *r;
	enum MHD_Result ret;

	st->srv = srv;
	st->seen = since ? strtoul(since, NULL, 10) : 0;
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 256,
					      stream_read, st, free);
	MHD_add_response_header(r, "Content-Type", "text/event-stream");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c,
			      const char *url, const char *method,
			      const char *version, const char *upload,
			      size_t *upload_size, void **con_cls)
{
	struct server *srv = cls;
	struct buf body = BUF_INIT, rel = BUF_INIT;
	const char *type = "text/html; charset=utf-8";
	unsigned long generation;
	char *errors = NULL, *base;
	unsigned status = MHD_HTTP_OK;
	enum MHD_Result ret;

	if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
		buf_puts(&body, "only GET\n");
		return respond(c, MHD_HTTP_METHOD_NOT_ALLOWED, &body, "text/plain");
	}
	if (!strcmp(url, EVENTS_PATH))
		return events(srv, c);

	pthread_mutex_lock(&srv->lock);
	generation = srv->generation;
	errors = srv->errors ? xstrdup(srv->errors) : NULL;
	base = xstrdup(srv->base_path);
	pthread_mutex_unlock(&srv->lock);

	if (strncmp(url, base, strlen(base)) && strcmp(url, "/")) {
		status = MHD_HTTP_NOT_FOUND;
		buf_puts(&body, "<!doctype html><title>404</title><p>not in the site</p>");
	} else {
		/* "/" redirects in spirit: the site's home under its base. */
		buf_puts(&rel, strncmp(url, base, strlen(base)) ? ""
							      : url + strlen(base));
		if (!rel.len || rel.ptr[rel.len - 1] == '/')
			buf_puts(&rel, "index.html");
		if (!write_path_is_safe(rel.ptr)) {
			status = MHD_HTTP_BAD_REQUEST;
			buf_puts(&body, "<!doctype html><title>400</title><p>refused: "
				 "the path leaves the site</p>");
		} else if (read_beneath(srv->site, rel.ptr, &body, &type) < 0) {
			status = MHD_HTTP_NOT_FOUND;
			type = "text/html; charset=utf-8";
			if (read_beneath(srv->site, "404.html", &body, &type) < 0) {
				buf_reset(&body);
				buf_puts(&body, "<!doctype html><title>404</title>"
					 "<p>not found</p>");
			}
		}
	}
	if (!strncmp(type, "text/html", 9))
		inject(&body, generation, errors);
	ret = respond(c, status, &body, type);
	free(errors);
	free(base);
	buf_release(&rel);
	return ret;
}

/* ---- watching ---- */

struct watch {
	int fd;
	int worktree;
	int git_wd, common_wd; /* committed mode: the folders of HEAD and refs */
	char *skip;            /* worktree mode: the output folder's name */
};

/* Watch `path` and, below it, every folder but .git and the output. */
static void watch_tree(struct watch *w, const char *path, int depth)
{
	DIR *dir;
	struct dirent *de;
	uint32_t mask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM |
			IN_CREATE | IN_DELETE | IN_ONLYDIR;

	if (depth > REPO_MAX_DEPTH || inotify_add_watch(w->fd, path, mask) < 0)
		return;
	if (!(dir = opendir(path)))
		return;
	while ((de = readdir(dir))) {
		struct buf sub = BUF_INIT;
		if (de->d_type != DT_DIR || !strcmp(de->d_name, ".") ||
		    !strcmp(de->d_name, "..") || !strcmp(de->d_name, ".git") ||
		    (w->skip && depth == 0 && !strcmp(de->d_name, w->skip)))
			continue;
		buf_printf(&sub, "%s/%s", path, de->d_name);
		watch_tree(w, sub.ptr, depth + 1);
		buf_release(&sub);
	}
	closedir(dir);
}

static int watch_start(struct watch *w, const struct load_options *o,
		       struct diag *d)
{
	const char *dir = o->dir ? o->dir : ".";
	struct repo_location loc;
	struct buf refs = BUF_INIT;

	w->fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	w->git_wd = w->common_wd = -1;
	if (w->fd < 0) {
		diag_fail(d, NULL, 0, 0, "cannot watch the repository: %s",
			  strerror(errno));
		return -1;
	}
	w->worktree = o->worktree;
	if (o->worktree) {
		w->skip = xstrdup("output");
		watch_tree(w, dir, 0);
		return 0;
	}
	if (repo_locate(dir, &loc) < 0)
		return 0; /* the first build says why */
	/* HEAD moves by rename (HEAD.lock -> HEAD), a branch by a rename in
	 * refs/heads/, a gc into packed-refs. */
	w->git_wd = inotify_add_watch(w->fd, loc.git_dir, IN_MOVED_TO | IN_CLOSE_WRITE);
	w->common_wd = inotify_add_watch(w->fd, loc.common_dir,
					 IN_MOVED_TO | IN_CLOSE_WRITE);
	buf_printf(&refs, "%s/refs/heads", loc.common_dir);
	watch_tree(w, refs.ptr, 1);
	buf_release(&refs);
	repo_location_release(&loc);
	return 0;
}

/* Drain the events; 1 if one of them can change the site. */
static int watch_read(struct watch *w)
{
	char ev[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	int relevant = 0;
	ssize_t n;

	while ((n = read(w->fd, ev, sizeof(ev))) > 0) {
		for (char *p = ev; p < ev + n;) {
			const struct inotify_event *e = (const void *)p;
			const char *name = e->len ? e->name : "";
			size_t nl = strlen(name);
			p += sizeof(*e) + e->len;
			if (e->mask & IN_Q_OVERFLOW)
				relevant = 1;
			else if (nl > 5 && !strcmp(name + nl - 5, ".lock"))
				continue; /* git's lock files come and go */
			else if (!w->worktree && (e->wd == w->git_wd || e->wd == w->common_wd))
				relevant |= !strcmp(name, "HEAD") ||
					    !strcmp(name, "packed-refs");
			else
				relevant = 1;
		}
	}
	return relevant;
}

static void watch_loop(struct server *srv, struct watch *w)
{
	struct pollfd p = { .fd = w->fd, .events = POLLIN };

	for (;;) {
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			return;
		if (!watch_read(w))
			continue;
		/* Let a burst (a checkout, an editor's save) settle. */
		while (poll(&p, 1, DEBOUNCE_MS) > 0)
			watch_read(w);
		if (w->worktree)
			watch_tree(w, srv->o.dir ? srv->o.dir : ".", 0);
		rebuild(srv);
	}
}

/* ---- the command ---- */

/* Remove the private folders of servers that were killed. */
static void remove_stale(const char *tmp)
{
	DIR *dir = opendir(tmp);
	struct dirent *de;
	long pid;
	char *end;

	while (dir && (de = readdir(dir))) {
		if (strncmp(de->d_name, "showcase-serve-", 15))
			continue;
		pid = strtol(de->d_name + 15, &end, 10);
		if (*end != '-' || pid <= 0 || (kill((pid_t)pid, 0) < 0 && errno != ESRCH) ||
		    kill((pid_t)pid, 0) == 0)
			continue;
		struct buf path = BUF_INIT;
		buf_printf(&path, "%s/%s", tmp, de->d_name);
		outdir_remove_tree(path.ptr);
		buf_release(&path);
	}
	if (dir)
		closedir(dir);
}

static int usage_error(const char *fmt, const char *arg)
{
	return cli_usage_error("serve", fmt, arg);
}

int serve_command(int argc, char **argv)
{
	static const struct option options[] = {
		{ "worktree", no_argument, NULL, 'w' },
		{ "port", required_argument, NULL, 'p' },
		{ "bind", required_argument, NULL, 'b' },
		{ "drafts", no_argument, NULL, 'd' },
		{ "theme", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct server srv;
	struct watch w = { -1, 0, -1, -1, NULL };
	struct MHD_Daemon *daemon = NULL;
	struct sockaddr_storage sa;
	struct diag d;
	const char *bind_addr = "127.0.0.1", *tmp = getenv("TMPDIR");
	struct buf scratch = BUF_INIT;
	long port = 8000;
	char *end;
	int c, code = EXIT_SYSTEM;

	memset(&srv, 0, sizeof(srv));
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":C:h", options, NULL)) != -1) {
		switch (c) {
		case 'C': srv.o.dir = optarg; break;
		case 'w': srv.o.worktree = REPO_WORKTREE; break;
		case 'd': srv.o.drafts = 1; break;
		case 't': srv.o.theme = optarg; break;
		case 'b': bind_addr = optarg; break;
		case 'p':
			port = strtol(optarg, &end, 10);
			if (*end || !*optarg || port < 0 || port > 65535)
				return usage_error("--port needs a number from 0 to 65535, not '%s'", optarg);
			break;
		case 'h': fputs(serve_help, stdout); return EXIT_OK;
		case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
		default: return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	memset(&sa, 0, sizeof(sa));
	if (inet_pton(AF_INET, bind_addr, &((struct sockaddr_in *)&sa)->sin_addr) == 1) {
		((struct sockaddr_in *)&sa)->sin_family = AF_INET;
		((struct sockaddr_in *)&sa)->sin_port = htons((uint16_t)port);
	} else if (inet_pton(AF_INET6, bind_addr,
			     &((struct sockaddr_in6 *)&sa)->sin6_addr) == 1) {
		((struct sockaddr_in6 *)&sa)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)&sa)->sin6_port = htons((uint16_t)port);
	} else {
		return usage_error("--bind needs an IP address, not '%s'", bind_addr);
	}

	diag_init(&d);
	pthread_mutex_init(&srv.lock, NULL);
	pthread_cond_init(&srv.changed, NULL);
	srv.base_path = xstrdup("/");
	if (!tmp || !*tmp)
		tmp = "/tmp";
	remove_stale(tmp);
	buf_printf(&scratch, "%s/showcase-serve-%ld-XXXXXX", tmp, (long)getpid());
	if (!mkdtemp(scratch.ptr)) {
		diag_fail(&d, NULL, 0, 0, "cannot create a private folder in '%s': %s",
			  tmp, strerror(errno));
		goto cleanup;
	}
	srv.scratch = xstrdup(scratch.ptr);
	write_remove_on_signal(srv.scratch); /* Ctrl-C is how serve ends */
	buf_puts(&scratch, "/site");
	srv.site = buf_detach(&scratch, NULL);
	if (watch_start(&w, &srv.o, &d) < 0)
		goto cleanup;
	rebuild(&srv); /* before the threads: write_begin reads the umask */

	daemon = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION |
				  MHD_USE_INTERNAL_POLLING_THREAD |
				  MHD_USE_ERROR_LOG |
				  (sa.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
				  (uint16_t)port, NULL, NULL, answer, &srv,
				  MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				  MHD_OPTION_END);
	if (!daemon) {
		diag_fail(&d, NULL, 0, 0, "cannot listen on %s port %ld (is "
			  "another server using it? try --port)", bind_addr, port);
		goto cleanup;
	}
	port = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT)->port;
	printf(sa.ss_family == AF_INET6 ? "showcase: serving http://[%s]:%ld/ (Ctrl-C to stop)\n"
					: "showcase: serving http://%s:%ld/ (Ctrl-C to stop)\n",
	       bind_addr, port);
	fflush(stdout);
	watch_loop(&srv, &w);

cleanup:
	if (daemon)
		MHD_stop_daemon(daemon);
	code = diag_exit_code(&d) ? diag_exit_code(&d) : EXIT_SYSTEM;
	diag_flush(&d, stderr);
	if (srv.scratch) {
		outdir_remove_tree(srv.scratch);
		write_forget_on_signal(srv.scratch);
	}
	if (w.fd >= 0)
		close(w.fd);
	free(w.skip);
	free(srv.scratch);
	free(srv.site);
	free(srv.base_path);
	free(srv.errors);
	buf_release(&scratch);
	diag_release(&d);
	return code;
}
