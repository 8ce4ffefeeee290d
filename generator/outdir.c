/*
 * outdir: see outdir.h.
 *
 * Every check works on resolved paths (no symbolic link left in them), so
 * that "box/up -> ." or "bare-link -> bare.git" cannot pass as a new name
 * for a folder that must not be replaced.
 */
#include "outdir.h"

#include "alloc.h"
#include "buf.h"
#include "diag.h"
#include "parallel.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define SCRATCH_INFIX ".showcase-tmp-"
#define LOCK_SUFFIX ".showcase-lock"
/* Deeper folders than this are left in place by outdir_remove_tree(): one
 * descriptor is open per level. */
#define REMOVE_MAX_DEPTH 256

const char outdir_marker_text[] =
	OUTDIR_SIGNATURE "\n"
	"# This folder was written by showcase (showcase build). Each build\n"
	"# replaces the whole folder: do not keep files of your own in it.\n"
	"# A build replaces a folder only if it holds this file or is empty.\n";

static const char *errstr(int err, char *tmp, size_t len)
{
	return strerror_r(err, tmp, len); /* GNU: thread-safe */
}

static void refuse(struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void refuse(struct diag *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(d, DIAG_ERROR, DIAG_USAGE, NULL, 0, 0, fmt, ap);
	va_end(ap);
}

/* ---- resolving ---- */

char *outdir_resolve(const char *path, struct diag *d)
{
	struct buf abs = BUF_INIT, rest = BUF_INIT;
	char *real = NULL, *result = NULL;

	if (!path || !*path) {
		refuse(d, "the output folder is empty (name a folder, e.g. --out output)");
		return NULL;
	}
	if (path[0] != '/') {
		char *cwd = getcwd(NULL, 0);
		if (!cwd) {
			char e[128];
			diag_fail(d, NULL, 0, 0, "cannot read the current folder: %s",
				  errstr(errno, e, sizeof(e)));
			return NULL;
		}
		buf_printf(&abs, "%s/", cwd);
		free(cwd);
	}
	buf_puts(&abs, path);

	/* Strip components from the end until what is left exists; they are
	 * collected in `rest` (reversed order is rebuilt below). */
	for (;;) {
		struct stat st;
		while (abs.len > 1 && abs.ptr[abs.len - 1] == '/')
			buf_truncate(&abs, abs.len - 1);
		if (lstat(abs.ptr, &st) == 0) {
			real = realpath(abs.ptr, NULL);
			if (!real) {
				refuse(d, "output folder '%s' goes through a symbolic link to a missing folder ('%s')",
				       path, abs.ptr);
				goto cleanup;
			}
			break;
		}
		if (errno != ENOENT && errno != ENOTDIR) {
			char e[128];
			diag_fail(d, NULL, 0, 0, "cannot use output folder '%s': %s",
				  path, errstr(errno, e, sizeof(e)));
			goto cleanup;
		}
		char *slash = strrchr(abs.ptr, '/');
		const char *comp = slash + 1;
		if (!strcmp(comp, ".") || !strcmp(comp, "..")) {
			refuse(d, "output folder '%s' has '%s' below a folder that does not exist",
			       path, comp);
			goto cleanup;
		}
		struct buf tmp = BUF_INIT;
		buf_printf(&tmp, "/%s%s", comp, rest.ptr);
		buf_reset(&rest);
		buf_add(&rest, tmp.ptr, tmp.len);
		buf_release(&tmp);
		buf_truncate(&abs, (size_t)(slash - abs.ptr));
		if (!abs.len)
			buf_puts(&abs, "/");
	}
	buf_reset(&abs);
	buf_puts(&abs, strcmp(real, "/") ? real : "");
	buf_add(&abs, rest.ptr, rest.len);
	if (!abs.len)
		buf_puts(&abs, "/");
	result = buf_detach(&abs, NULL);

cleanup:
	free(real);
	buf_release(&abs);
	buf_release(&rest);
	return result;
}

/* ---- places ---- */

/* 1 if `inner` is `outer` or lies below it (both resolved). */
static int path_within(const char *inner, const char *outer)
{
	size_t n = strlen(outer);
	if (!strcmp(outer, "/"))
		return 1;
	return !strncmp(inner, outer, n) && (inner[n] == '\0' || inner[n] == '/');
}

/* 1 if the existing folder `path` is the root of a mount. */
static int is_mount_point(const char *path)
{
	struct statx stx;
	struct stat st, up;
	struct buf parent = BUF_INIT;
	int mount = 0;

	if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS,
		  &stx) == 0 &&
	    (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT))
		return (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
	/* Older kernels: a different device than the parent's (this misses
	 * bind mounts of the same filesystem). */
	buf_printf(&parent, "%s/..", path);
	if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
	    stat(parent.ptr, &up) == 0)
		mount = st.st_dev != up.st_dev || st.st_ino == up.st_ino;
	buf_release(&parent);
	return mount;
}

static char *home_folder(void)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if (home && *home)
		return realpath(home, NULL);
	pw = getpwuid(getuid());
	return pw && pw->pw_dir ? realpath(pw->pw_dir, NULL) : NULL;
}

int outdir_check_places(const char *out, const struct outdir_place *places,
			size_t n, struct diag *d)
{
	char *home = home_folder();
	int bad = 1;

	/* One message: the first rule broken is the one to fix. */
	if (!strcmp(out, "/"))
		refuse(d, "refusing to use '/' as the output folder: choose a new folder such as 'output'");
	else if (home && !strcmp(out, home))
		refuse(d, "refusing to use the home folder '%s' as the output folder: choose a new folder such as 'output'",
		       out);
	else if (is_mount_point(out))
		refuse(d, "refusing to use '%s' as the output folder: it is a mount point, which a build cannot replace; use a folder inside it",
		       out);
	else
		bad = 0;
	free(home);

	for (size_t i = 0; !bad && i < n; i++) {
		char *place;
		if (!places[i].path || !(place = realpath(places[i].path, NULL)))
			continue;
		bad = 1;
		if (!strcmp(out, place))
			refuse(d, "refusing to use '%s' as the output folder: it is %s, which a build would replace",
			       out, places[i].what);
		else if (path_within(place, out))
			refuse(d, "refusing to use '%s' as the output folder: it contains %s '%s', which a build would delete",
			       out, places[i].what, place);
		else if (path_within(out, place) && !places[i].inside_ok)
			refuse(d, "refusing to use '%s' as the output folder: it lies inside %s '%s'",
			       out, places[i].what, place);
		else
			bad = 0;
		free(place);
	}
	return bad ? -1 : 0;
}

/* ---- ownership ---- */

int outdir_has_marker(int dirfd)
{
	char head[sizeof(OUTDIR_SIGNATURE)];
	const size_t want = sizeof(OUTDIR_SIGNATURE) - 1;
	size_t got = 0;
	int fd = openat(dirfd, OUTDIR_MARKER,
			O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return 0;
	}
	while (got < want) {
		ssize_t r = read(fd, head + got, want - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	return got == want && !memcmp(head, OUTDIR_SIGNATURE, want);
}

int outdir_owned(int dirfd, size_t *entries)
{
	int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	DIR *dir = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *ent;
	size_t n = 0;

	if (!dir) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while ((ent = readdir(dir)))
		if (strcmp(ent->d_name, ".") && strcmp(ent->d_name, ".."))
			n++;
	closedir(dir);
	if (entries)
		*entries = n;
	return n == 0 || outdir_has_marker(dirfd);
}

int outdir_check_owner(const char *out, struct diag *d)
{
	char e[128];
	struct stat st;
	size_t entries = 0;
	int fd, ok;

	if (lstat(out, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		diag_fail(d, NULL, 0, 0, "cannot use output folder '%s': %s", out,
			  errstr(errno, e, sizeof(e)));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		refuse(d, "refusing to replace '%s': it is a file, not an output folder of showcase; choose another --out",
		       out);
		return -1;
	}
	fd = open(out, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		diag_fail(d, NULL, 0, 0, "cannot read output folder '%s': %s",
			  out, errstr(errno, e, sizeof(e)));
		return -1;
	}
	ok = outdir_owned(fd, &entries);
	close(fd);
	if (ok)
		return 0;
	refuse(d, "refusing to replace '%s': it holds %zu %s that showcase did not write (it has no " OUTDIR_MARKER " file); "
	       "choose a new or empty folder for --out, or move the files away yourself",
	       out, entries, entries == 1 ? "entry" : "entries");
	return -1;
}

/* 1 if a folder above the resolved path `path` holds the marker. */
static int inside_marked_folder(const char *path)
{
	char *dir = xstrdup(path), *slash;
	int found = 0;

	while (!found && (slash = strrchr(dir, '/')) && slash != dir) {
		*slash = '\0';
		int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			found = outdir_has_marker(fd);
			close(fd);
		}
	}
	free(dir);
	return found;
}

/* 1 if the file open as `fd` (of `size` bytes) names showcase as its maker:
 * the PDF's /Creator near its end (Cairo) or its top (qpdf's rewrite puts
 * the document information second), or the HTML's generator near its top. */
static int file_made_by_showcase(int fd, off_t size)
{
	static const char pdf[] = "/Creator (showcase", html[] = "content=\"showcase";
	char buf[8192];
	ssize_t n;
	int found = 0;

	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n > 0) {
		buf[n] = '\0';
		found = (memmem(buf, (size_t)n, html, sizeof(html) - 1) != NULL &&
			 memmem(buf, (size_t)n, "name=\"generator\"", 16) != NULL) ||
			(!memcmp(buf, "%PDF-", 5 < n ? 5 : (size_t)n) &&
			 memmem(buf, (size_t)n, pdf, sizeof(pdf) - 1) != NULL);
	}
	if (!found && size > 0) {
		off_t at = size > (off_t)sizeof(buf) ? size - (off_t)sizeof(buf) : 0;
		n = pread(fd, buf, sizeof(buf), at);
		found = n > 0 && memmem(buf, (size_t)n, pdf, sizeof(pdf) - 1) != NULL;
	}
	return found;
}

int outdir_check_file(const char *path, struct diag *d)
{
	char e[128];
	struct stat st;
	char *real;
	int fd, ok;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		diag_fail(d, NULL, 0, 0, "cannot use output file '%s': %s", path,
			  errstr(errno, e, sizeof(e)));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		refuse(d, "refusing to replace '%s': it is not a regular file; choose another --out",
		       path);
		return -1;
	}
	real = realpath(path, NULL);
	ok = real && inside_marked_folder(real);
	free(real);
	if (!ok && (fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
		ok = file_made_by_showcase(fd, st.st_size);
		close(fd);
	}
	if (ok)
		return 0;
	refuse(d, "refusing to replace '%s': showcase did not write it; choose another --out or move the file away yourself",
	       path);
	return -1;
}

/* ---- lock ---- */

char *outdir_beside(const char *out, const char *suffix)
{
	struct buf b = BUF_INIT;
	const char *slash = strrchr(out, '/');

	buf_add(&b, out, (size_t)(slash - out));
	buf_printf(&b, "/.%s%s", slash + 1, suffix);
	return buf_detach(&b, NULL);
}

int outdir_lock(const char *out, int wait, int *fd, struct diag *d)
{
	char e[128];
	char *path = outdir_beside(out, LOCK_SUFFIX);
	int rc = -1;

	/* Never truncated and never removed: removing a lock file lets two
	 * processes lock two different files of the same name. */
	*fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (*fd < 0) {
		diag_fail(d, NULL, 0, 0, "cannot create the lock file '%s': %s",
			  path, errstr(errno, e, sizeof(e)));
		goto cleanup;
	}
	while (flock(*fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			diag_fail(d, NULL, 0, 0, "cannot lock '%s': %s", path,
				  errstr(errno, e, sizeof(e)));
			goto cleanup;
		}
		if (!wait) {
			diag_fail(d, NULL, 0, 0,
				  "another build is writing '%s' (wait for it to finish, or use --wait)",
				  out);
			goto cleanup;
		}
		fprintf(stderr, "showcase: waiting for another build writing '%s'\n", out);
		while (flock(*fd, LOCK_EX) < 0)
			if (errno != EINTR) {
				diag_fail(d, NULL, 0, 0, "cannot lock '%s': %s",
					  path, errstr(errno, e, sizeof(e)));
				goto cleanup;
			}
		break;
	}
	rc = 0;

cleanup:
	if (rc < 0 && *fd >= 0) {
		close(*fd);
		*fd = -1;
	}
	free(path);
	return rc;
}

/* ---- scratch folders ---- */

char *outdir_scratch_template(const char *parent, const char *base)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s/.%s" SCRATCH_INFIX "%ld-XXXXXX",
		   strcmp(parent, "/") ? parent : "", base, (long)getpid());
	return buf_detach(&b, NULL);
}

int outdir_is_scratch_name(const char *base, const char *name, long *pid)
{
	size_t blen = strlen(base), ilen = strlen(SCRATCH_INFIX);
	const char *p;
	char *end;
	long n;

	if (name[0] != '.' || strncmp(name + 1, base, blen) ||
	    strncmp(name + 1 + blen, SCRATCH_INFIX, ilen))
		return 0;
	p = name + 1 + blen + ilen;
	if (*p < '1' || *p > '9')
		return 0;
	errno = 0;
	n = strtol(p, &end, 10);
	if (errno || *end != '-' || strlen(end + 1) != 6)
		return 0;
	if (pid)
		*pid = n;
	return 1;
}

int outdir_is_own_name(const char *base, const char *name)
{
	size_t blen = strlen(base);
	return outdir_is_scratch_name(base, name, NULL) ||
	       (name[0] == '.' && !strncmp(name + 1, base, blen) &&
		(!strcmp(name + 1 + blen, LOCK_SUFFIX) ||
		 !strcmp(name + 1 + blen, OUTDIR_CACHE_SUFFIX)));
}

/* 1 if no process `pid` runs (in our pid namespace). */
static int process_gone(long pid)
{
	return pid != (long)getpid() && kill((pid_t)pid, 0) < 0 &&
	       errno == ESRCH;
}

size_t outdir_remove_stale(const char *parent, const char *base)
{
	DIR *dir = opendir(parent);
	struct dirent *ent;
	size_t removed = 0;

	if (!dir)
		return 0;
	while ((ent = readdir(dir))) {
		long pid;
		struct stat st;
		if (!outdir_is_scratch_name(base, ent->d_name, &pid) ||
		    !process_gone(pid) ||
		    fstatat(dirfd(dir), ent->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode))
			continue;
		int fd = openat(dirfd(dir), ent->d_name,
				O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		/* Empty if killed before the marker was written. */
		int ours = outdir_owned(fd, NULL);
		close(fd);
		if (!ours)
			continue;
		struct buf path = BUF_INIT;
		buf_printf(&path, "%s/%s", parent, ent->d_name);
		if (outdir_remove_tree(path.ptr) == 0)
			removed++;
		buf_release(&path);
	}
	closedir(dir);
	return removed;
}

/* ---- removal ---- */

static void keep_first(int *first, int err)
{
	if (!*first)
		*first = err;
}

void outdir_entries_start(struct outdir_entries *it, int fd)
{
	it->fd = fd;
	it->len = it->off = 0;
}

const char *outdir_entries_next(struct outdir_entries *it,
				unsigned char *type, int *err)
{
	*err = 0;
	for (;;) {
		if (it->off >= it->len) {
			ssize_t n = getdents64(it->fd, it->buf, sizeof(it->buf));
			if (n <= 0) {
				*err = n < 0 ? errno : 0;
				return NULL;
			}
			it->len = (long)n;
			it->off = 0;
		}
		const struct dirent64 *e = (const void *)(it->buf + it->off);
		it->off += e->d_reclen;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		*type = e->d_type;
		return e->d_name;
	}
}

void outdir_folders_add(struct outdir_folders *f, int parent,
			const char *name, const char *path)
{
	if (f->len == f->cap) {
		f->cap = f->cap ? st_mult(f->cap, 2) : 64;
		f->v = xrealloc(f->v, st_mult(f->cap, sizeof(*f->v)));
	}
	f->v[f->len++] = (struct outdir_folder){ parent, xstrdup(name),
						 path ? xstrdup(path) : NULL };
}

void outdir_folders_keep(struct outdir_folders *f, int fd)
{
	if (f->nopen == f->capopen) {
		f->capopen = f->capopen ? st_mult(f->capopen, 2) : 16;
		f->open = xrealloc(f->open, st_mult(f->capopen, sizeof(*f->open)));
	}
	f->open[f->nopen++] = fd;
}

void outdir_folders_release(struct outdir_folders *f)
{
	for (size_t i = 0; i < f->len; i++) {
		free(f->v[i].name);
		free(f->v[i].path);
	}
	for (size_t i = 0; i < f->nopen; i++)
		close(f->open[i]);
	free(f->v);
	free(f->open);
	memset(f, 0, sizeof(*f));
}

static void empty_dir(int fd, dev_t dev, int depth, int *first,
		      struct outdir_folders *defer);

/* Open entry `name` of the folder `fd`, a folder or of a type the file
 * system did not say, to empty it: never across a mount, never through a
 * link. Returns its descriptor, or -1 when it was not a folder after all
 * (then it is unlinked), is the start of another filesystem, too deep, or
 * gone; what stopped it is kept in *first. */
static int open_folder(int fd, const char *name, dev_t dev, int depth,
		       int *first)
{
	struct statx stx;
	int sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			 O_CLOEXEC);

	if (sub < 0) {
		/* Not a folder after all (a link, or a type not given). */
		if (errno == ENOTDIR || errno == ELOOP) {
			if (unlinkat(fd, name, 0) < 0 && errno != ENOENT)
				keep_first(first, errno);
		} else if (errno != ENOENT) {
			keep_first(first, errno);
		}
		return -1;
	}
	/* Its own device, or a mount of the same one (a bind mount): the
	 * start of another filesystem, left alone. */
	if (statx(sub, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx) < 0) {
		keep_first(first, errno);
		close(sub);
		return -1;
	}
	if (makedev(stx.stx_dev_major, stx.stx_dev_minor) != dev ||
	    (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT &
	     stx.stx_attributes)) {
		keep_first(first, EXDEV);
		close(sub);
		return -1;
	}
	if (depth >= REMOVE_MAX_DEPTH) {
		keep_first(first, ELOOP);
		close(sub);
		return -1;
	}
	return sub;
}

static void remove_folder(int fd, const char *name, dev_t dev, int depth,
			  int *first)
{
	int sub = open_folder(fd, name, dev, depth, first);

	if (sub < 0)
		return;
	empty_dir(sub, dev, depth + 1, first, NULL);
	if (unlinkat(fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		keep_first(first, errno);
}

/* Unlink entry `name` of `fd` when the file system says it is not a
 * folder: 1 when that is done (or it was gone), 0 when it is a folder
 * (or may be one) and is left to the caller. */
static int unlink_other(int fd, const char *name, unsigned char type,
			int *first)
{
	if (type == DT_DIR || type == DT_UNKNOWN)
		return 0;
	if (unlinkat(fd, name, 0) == 0 || errno == ENOENT)
		return 1;
	if (errno == EISDIR) /* became a folder since it was listed */
		return 0;
	keep_first(first, errno);
	return 1;
}

/* Empty the folder open as `fd` (which this closes). What the file system
 * says is not a folder is unlinked without a stat: a link is removed, not
 * followed, and unlinkat() refuses a folder (EISDIR), which is then taken
 * as one. With `defer`, its folders are listed there instead, and `fd`
 * is kept open for them. */
static void empty_dir(int fd, dev_t dev, int depth, int *first,
		      struct outdir_folders *defer)
{
	struct outdir_entries it;
	const char *name;
	unsigned char type;
	int err;

	outdir_entries_start(&it, fd);
	while ((name = outdir_entries_next(&it, &type, &err))) {
		if (unlink_other(fd, name, type, first))
			continue;
		if (defer)
			outdir_folders_add(defer, fd, name, NULL);
		else
			remove_folder(fd, name, dev, depth, first);
	}
	if (err)
		keep_first(first, err);
	if (defer)
		outdir_folders_keep(defer, fd);
	else
		close(fd);
}

/*
 * Large trees are emptied by the workers of parallel.h: an output has a
 * folder per page (25,000 entries at 10,000 records), and removing the
 * previous one after the swap was a tenth of a one-change rebuild. The
 * folders two levels down (cases/SLUG/) are the work; the levels above
 * are read first on this thread and removed last. Each worker removes
 * with the same rules (remove_folder()).
 */
struct rm_job {
	const struct outdir_folders *items;
	dev_t dev;
	atomic_size_t next;
};

struct rm_worker {
	struct rm_job *job;
	int first;
};

/* Folders of the top level kept open: more are removed on the way. */
#define RM_MAX_OPEN 256
/* Below this many folders, one thread does it all. */
#define RM_MIN_PARALLEL 256

static void *rm_work(void *arg)
{
	struct rm_worker *w = arg;
	const struct outdir_folders *l = w->job->items;
	size_t i;

	while ((i = atomic_fetch_add(&w->job->next, 1)) < l->len)
		remove_folder(l->v[i].parent, l->v[i].name, w->job->dev, 2,
			      &w->first);
	return NULL;
}

/* Empty the folder open as `fd` (closed here), a tree of depth 1, with
 * the workers. */
static void empty_tree(int fd, dev_t dev, int *first)
{
	struct outdir_folders tops = { 0 }, items = { 0 };
	struct outdir_entries it;
	const char *name;
	unsigned char type;
	int err, sub;

	outdir_entries_start(&it, fd);
	while ((name = outdir_entries_next(&it, &type, &err))) {
		if (unlink_other(fd, name, type, first))
			continue;
		if (items.nopen >= RM_MAX_OPEN)
			remove_folder(fd, name, dev, 1, first);
		else if ((sub = open_folder(fd, name, dev, 1, first)) >= 0) {
			outdir_folders_add(&tops, fd, name, NULL);
			empty_dir(sub, dev, 2, first, &items);
		}
	}
	if (err)
		keep_first(first, err);

	size_t n = items.len < RM_MIN_PARALLEL ? 1 : (size_t)parallel_jobs(0);
	struct rm_job job = { &items, dev, 0 };
	struct rm_worker *workers = xcalloc(n, sizeof(*workers));
	for (size_t i = 0; i < n; i++)
		workers[i].job = &job;
	parallel_run(rm_work, workers, sizeof(*workers), n);
	for (size_t i = 0; i < n; i++)
		if (workers[i].first)
			keep_first(first, workers[i].first);
	free(workers);
	outdir_folders_release(&items);
	for (size_t i = 0; i < tops.len; i++)
		if (unlinkat(fd, tops.v[i].name, AT_REMOVEDIR) < 0 &&
		    errno != ENOENT)
			keep_first(first, errno);
	outdir_folders_release(&tops);
	close(fd);
}

int outdir_remove_tree(const char *path)
{
	struct stat st;
	int first = 0, fd;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path) < 0 && errno != ENOENT ? -1 : 0;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	empty_tree(fd, st.st_dev, &first);
	if (rmdir(path) < 0 && errno != ENOENT)
		keep_first(&first, errno);
	if (first) {
		errno = first;
		return -1;
	}
	return 0;
}
