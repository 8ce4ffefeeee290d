/*
 * write: see write.h.
 *
 * The scratch folder and the output folder share a parent, so the swap is a
 * rename within one filesystem. Where the kernel and filesystem support it,
 * renameat2(RENAME_EXCHANGE) swaps the two folders in one step, so OUT never
 * stops existing; elsewhere the old OUT is first renamed aside (a window in
 * which OUT is missing, but never half-written). Either way the old tree is
 * removed afterwards by outdir_remove_tree(), which never follows a
 * symbolic link out of it nor enters another filesystem.
 *
 * Every file is created with openat() relative to a descriptor of the
 * scratch folder and O_NOFOLLOW, and only this module creates entries in
 * the scratch folder (mkdtemp makes it private to us), so checked relative
 * paths cannot reach outside it.
 *
 * For tests, SHOWCASE_TEST_NO_EXCHANGE=1 in the environment forces the
 * rename-aside path that filesystems without RENAME_EXCHANGE take.
 */
#include "write.h"

#include "alloc.h"
#include "buf.h"
#include "diag.h"
#include "outdir.h"
#include "progress.h"
#include "strmap.h"

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct writer {
	char *outdir; /* as resolved: the folder to replace */
	char *parent; /* its parent folder */
	char *base;   /* its last component */
	char *tmpdir; /* the scratch folder (outdir_scratch_template) */
	int tmp_fd;   /* descriptor of tmpdir, for openat */
	int old_fd;   /* the previous output, if it holds the marker; else -1 */
	int lock_fd;  /* the output's lock (outdir_lock), held until freed */
	mode_t dir_mode;
	/* Folders made so far below tmpdir (keys owned), so that a file whose
	 * folder is new costs one mkdirat and one openat, not a failed openat
	 * first. Guarded by dirs_lock: writers run on several threads. */
	struct strmap dirs;
	pthread_mutex_t dirs_lock;
	/* write_set_same(): is `relpath` with these bytes a file of the
	 * previous output to link instead? */
	int (*same)(void *ctx, const char *relpath, const void *data, size_t len);
	void *same_ctx;
	/* Every file written or carried over, with its stat as made, for the
	 * manifest (write_files()); under made_lock. */
	struct write_made *made;
	size_t nmade, capmade;
	pthread_mutex_t made_lock;
};

static int write_all_close(int fd, const char *p, size_t len);
static int reuse_one(struct writer *w, const char *relpath,
		     int (*accept)(void *ctx, const struct stat *st),
		     void *ctx, struct diag *d);

static const char *errstr(int err, char *tmp, size_t len)
{
	/* GNU strerror_r: thread-safe, may return a static string. */
	return strerror_r(err, tmp, len);
}

int write_path_is_safe(const char *relpath)
{
	const char *seg = relpath;

	if (!relpath || !*relpath || *relpath == '/')
		return 0;
	for (const char *p = relpath;; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '/' || c == '\0') {
			size_t n = (size_t)(p - seg);
			if (n == 0)
				return 0; /* "a//b" or a trailing '/' */
			if ((n == 1 && seg[0] == '.') ||
			    (n == 2 && seg[0] == '.' && seg[1] == '.'))
				return 0;
			if (c == '\0')
				return 1;
			seg = p + 1;
		} else if (c == '\\' || c < 0x20 || c == 0x7f) {
			return 0;
		}
	}
}

int write_is_scratch_name(const char *out_base, const char *name)
{
	return outdir_is_own_name(out_base, name);
}

/* mkdir -p for a path outside the output (the output's parents). */
static int make_dirs(char *path, mode_t mode)
{
	for (char *p = path + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(path, mode) < 0 && errno != EEXIST) {
			*p = saved;
			return -1;
		}
		*p = saved;
		if (!saved)
			return 0;
	}
}

/* ---- cleaning up after a signal ----
 *
 * SIGINT, SIGTERM and SIGHUP are blocked in every thread and taken by one
 * watcher thread, which cannot be interrupted in the middle of a removal as
 * a signal handler would be (nor is removing a tree async-signal-safe). It
 * stops further writes, removes the folders registered below, and then dies
 * of the same signal so that the caller sees how the build ended. */

#define MAX_REGISTERED 8

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static char *registered[MAX_REGISTERED];
static atomic_int write_interrupted;
/* write_file() calls in progress: the watcher removes the scratch folder
 * only when none can create anything in it any more. */
static atomic_int writes_in_flight;

/* Call with registry_lock held. */
static void register_locked(const char *path)
{
	for (size_t i = 0; i < MAX_REGISTERED; i++)
		if (!registered[i]) {
			registered[i] = xstrdup(path);
			break;
		}
}

static void register_path(const char *path)
{
	pthread_mutex_lock(&registry_lock);
	register_locked(path);
	pthread_mutex_unlock(&registry_lock);
}

/* Call with registry_lock held. */
static void unregister_locked(const char *path)
{
	for (size_t i = 0; i < MAX_REGISTERED; i++)
		if (registered[i] && !strcmp(registered[i], path)) {
			free(registered[i]);
			registered[i] = NULL;
			break;
		}
}

static void unregister_path(const char *path)
{
	pthread_mutex_lock(&registry_lock);
	unregister_locked(path);
	pthread_mutex_unlock(&registry_lock);
}

void write_remove_on_signal(const char *path)
{
	register_path(path);
}

void write_forget_on_signal(const char *path)
{
	unregister_path(path);
}

static void *signal_watcher(void *arg)
{
	sigset_t *set = arg;
	int sig;

	while (sigwait(set, &sig) != 0)
		;
	atomic_store(&write_interrupted, 1);
	/* A writer that counted itself in before the flag was set finishes its
	 * file; every later one sees the flag and writes nothing (both are
	 * sequentially consistent atomics). Bounded, in case one is stuck. */
	for (int i = 0; i < 500 && atomic_load(&writes_in_flight); i++)
		usleep(10000);
	pthread_mutex_lock(&registry_lock);
	for (size_t i = 0; i < MAX_REGISTERED; i++)
		if (registered[i])
			outdir_remove_tree(registered[i]);
	signal(sig, SIG_DFL);
	sigemptyset(set);
	sigaddset(set, sig);
	pthread_sigmask(SIG_UNBLOCK, set, NULL);
	raise(sig);
	_exit(128 + sig); /* not reached */
}

/* The build fails once writes are refused; its exit must not overtake the
 * watcher, which ends the process by the signal once it has cleaned up. */
static void wait_for_watcher(void)
{
	if (atomic_load(&write_interrupted))
		for (;;)
			pause();
}

int write_catch_signals(void)
{
	static sigset_t set;
	pthread_t thread;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;
	if (pthread_create(&thread, NULL, signal_watcher, &set) != 0) {
		pthread_sigmask(SIG_UNBLOCK, &set, NULL);
		return -1;
	}
	pthread_detach(thread);
	atexit(wait_for_watcher);
	return 0;
}

static void writer_free(struct writer *w)
{
	if (!w)
		return;
	if (w->tmp_fd >= 0)
		close(w->tmp_fd);
	if (w->old_fd >= 0)
		close(w->old_fd);
	if (w->lock_fd >= 0)
		close(w->lock_fd); /* releases the lock */
	free(w->outdir);
	free(w->parent);
	free(w->base);
	free(w->tmpdir);
	for (size_t i = 0; i < w->dirs.cap; i++)
		free((char *)w->dirs.slots[i].key);
	strmap_release(&w->dirs);
	pthread_mutex_destroy(&w->dirs_lock);
	for (size_t i = 0; i < w->nmade; i++)
		free(w->made[i].path);
	free(w->made);
	pthread_mutex_destroy(&w->made_lock);
	free(w);
}

static void note_made(struct writer *w, const char *relpath,
		      const struct stat *st)
{
	struct write_made m = { xstrdup(relpath), (unsigned long long)st->st_size,
				(unsigned long long)st->st_ino,
				(long long)st->st_mtim.tv_sec,
				(long long)st->st_mtim.tv_nsec };

	pthread_mutex_lock(&w->made_lock);
	if (w->nmade == w->capmade) {
		w->capmade = w->capmade ? w->capmade * 2 : 256;
		w->made = xrealloc(w->made, st_mult(w->capmade, sizeof(*w->made)));
	}
	w->made[w->nmade++] = m;
	pthread_mutex_unlock(&w->made_lock);
}

const struct write_made *write_files(const struct writer *w, size_t *n)
{
	*n = w->nmade;
	return w->made;
}

/* Decide what folder to replace: `outdir` resolved through every link. */
static int resolve_outdir(struct writer *w, const char *outdir, struct diag *d)
{
	char *slash;

	if (!(w->outdir = outdir_resolve(outdir, d)))
		return -1;
	slash = strrchr(w->outdir, '/');
	if (slash == w->outdir && !slash[1]) {
		diag_report(d, DIAG_ERROR, DIAG_USAGE, NULL, 0, 0,
			    "refusing to use '/' as the output folder");
		return -1;
	}
	w->parent = slash == w->outdir
			    ? xstrdup("/")
			    : xstrndup(w->outdir, (size_t)(slash - w->outdir));
	w->base = xstrdup(slash + 1);
	return 0;
}

/* The process's umask. Reading it means setting it, so call this only
 * while no other thread creates files. */
static mode_t current_umask(void)
{
	mode_t mask = umask(0);
	umask(mask);
	return mask;
}

int write_begin(struct writer **out, const char *outdir, int wait,
		struct diag *d)
{
	struct writer *w = xcalloc(1, sizeof(*w));
	char e[128];
	int fd;

	*out = NULL;
	w->tmp_fd = -1;
	w->old_fd = -1;
	w->lock_fd = -1;
	pthread_mutex_init(&w->dirs_lock, NULL);
	pthread_mutex_init(&w->made_lock, NULL);
	if (resolve_outdir(w, outdir, d) < 0)
		goto fail;

	if (strcmp(w->parent, "/") && make_dirs(w->parent, 0755) < 0) {
		diag_fail(d, NULL, 0, 0, "cannot create folder '%s': %s",
			  w->parent, errstr(errno, e, sizeof(e)));
		goto fail;
	}
	/* Checked again under the lock: another build may have made it. */
	if (outdir_lock(w->outdir, wait, &w->lock_fd, d) < 0 ||
	    outdir_check_owner(w->outdir, d) < 0)
		goto fail;
	outdir_remove_stale(w->parent, w->base);
	/* Files of the previous output may be carried over (write_reuse),
	 * read only, and only from a folder that carries the marker. */
	w->old_fd = open(w->outdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (w->old_fd >= 0 && faccessat(w->old_fd, OUTDIR_MARKER, F_OK,
					AT_SYMLINK_NOFOLLOW) < 0) {
		close(w->old_fd);
		w->old_fd = -1;
	}

	w->tmpdir = outdir_scratch_template(w->parent, w->base);
	if (!mkdtemp(w->tmpdir)) {
		diag_fail(d, NULL, 0, 0, "cannot create a folder in '%s': %s",
			  w->parent, errstr(errno, e, sizeof(e)));
		free(w->tmpdir);
		w->tmpdir = NULL;
		goto fail;
	}
	register_path(w->tmpdir);
	w->tmp_fd = open(w->tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w->tmp_fd < 0) {
		diag_fail(d, NULL, 0, 0, "cannot open folder '%s': %s",
			  w->tmpdir, errstr(errno, e, sizeof(e)));
		goto fail;
	}
	/* mkdtemp makes the folder 0700; the output is meant to be served. */
	w->dir_mode = 0755 & ~current_umask();
	if (fchmod(w->tmp_fd, w->dir_mode) < 0) {
		diag_fail(d, NULL, 0, 0, "cannot set permissions of '%s': %s",
			  w->tmpdir, errstr(errno, e, sizeof(e)));
		goto fail;
	}
	/* The marker first, so that even a scratch folder left by a kill is
	 * recognisably ours. */
	fd = openat(w->tmp_fd, OUTDIR_MARKER,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 || write_all_close(fd, outdir_marker_text,
				      strlen(outdir_marker_text)) < 0) {
		diag_fail(d, NULL, 0, 0, "cannot write '%s/" OUTDIR_MARKER "': %s",
			  w->tmpdir, errstr(errno, e, sizeof(e)));
		goto fail;
	}
	*out = w;
	return 0;

fail:
	write_abort(w);
	return -1;
}

/* mkdir -p of `path` below the scratch folder, deepest first: usually only
 * the last folder is missing, so this costs one mkdirat, not one per
 * level. Another thread may create the same folder at the same time. */
static int make_scratch_dirs(struct writer *w, char *path)
{
	char *slash;
	int rc;

	if (!mkdirat(w->tmp_fd, path, 0755) || errno == EEXIST)
		return 0;
	if (errno != ENOENT || !(slash = strrchr(path, '/')))
		return -1;
	*slash = '\0';
	rc = make_scratch_dirs(w, path);
	*slash = '/';
	if (rc < 0)
		return -1;
	return !mkdirat(w->tmp_fd, path, 0755) || errno == EEXIST ? 0 : -1;
}

/* Has the parent folder of `relpath` been made already? */
static int parent_known(struct writer *w, const char *relpath)
{
	size_t len = (size_t)(strrchr(relpath, '/') - relpath);
	char *path = xstrndup(relpath, len);
	int known;
	pthread_mutex_lock(&w->dirs_lock);
	known = strmap_get(&w->dirs, path) != NULL;
	pthread_mutex_unlock(&w->dirs_lock);
	free(path);
	return known;
}

/* Create the parent folders of `relpath` and remember them. */
static int make_parents(struct writer *w, const char *relpath)
{
	char *path = xstrdup(relpath);
	char *slash = strrchr(path, '/');
	int rc = 0;

	*slash = '\0';
	rc = make_scratch_dirs(w, path);
	if (!rc) {
		pthread_mutex_lock(&w->dirs_lock);
		if (strmap_put(&w->dirs, path, path))
			free(path); /* another thread was first */
		pthread_mutex_unlock(&w->dirs_lock);
	} else {
		free(path);
	}
	return rc;
}

/* Write all of `data` to `fd` and close it; -1 with errno on failure. */
static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_all_close(int fd, const char *p, size_t len)
{
	if (write_all(fd, p, len) < 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return close(fd);
}

int write_single_file(const char *path, const void *data, size_t len,
		      struct diag *d)
{
	char *tmp = NULL, *dir = xstrdup(path), *slash = strrchr(dir, '/');
	char e[128];
	int fd, ret = -1;

	if (outdir_check_file(path, d) < 0) {
		free(dir);
		return -1;
	}
	if (slash && slash != dir) {
		*slash = '\0';
		if (make_dirs(dir, 0755) < 0)
			goto fail;
	}
	tmp = xmalloc(st_add(strlen(path), sizeof(".tmp-XXXXXX")));
	sprintf(tmp, "%s.tmp-XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		tmp = NULL;
		goto fail;
	}
	register_path(tmp);
	if (fchmod(fd, 0644 & ~current_umask()) < 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		goto fail;
	}
	if (write_all_close(fd, data, len) < 0 || rename(tmp, path) < 0)
		goto fail;
	ret = 0;
	goto cleanup;
fail:
	diag_fail(d, path, 0, 0, "cannot write: %s", errstr(errno, e, sizeof(e)));
	if (tmp)
		unlink(tmp);
cleanup:
	if (tmp)
		unregister_path(tmp);
	free(tmp);
	free(dir);
	return ret;
}

static int write_one_file(struct writer *w, const char *relpath,
			     const void *data, size_t len, struct diag *d)
{
	const int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
	char e[128];
	struct stat st;
	int fd;

	if (!write_path_is_safe(relpath)) {
		diag_fail(d, NULL, 0, 0,
			  "refusing to write '%s': not a safe path inside the output folder",
			  relpath ? relpath : "");
		return -1;
	}
	if (strchr(relpath, '/') && !parent_known(w, relpath) &&
	    make_parents(w, relpath) < 0)
		goto fail;
	fd = openat(w->tmp_fd, relpath, flags, 0644);
	if (fd < 0)
		goto fail;
	/* Its stat for the manifest now, rather than a walk of the whole
	 * output at the end (tens of thousands of folders). */
	if (write_all(fd, data, len) < 0 || fstat(fd, &st) < 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		goto fail;
	}
	if (close(fd) < 0)
		goto fail;
	note_made(w, relpath, &st);
	return 0;

fail:
	diag_fail(d, NULL, 0, 0, "cannot write '%s/%s': %s", w->outdir, relpath,
		  errstr(errno, e, sizeof(e)));
	return -1;
}

int write_file(struct writer *w, const char *relpath, const void *data,
	       size_t len, struct diag *d)
{
	int rc;

	atomic_fetch_add(&writes_in_flight, 1);
	if (atomic_load(&write_interrupted)) {
		diag_fail(d, NULL, 0, 0, "interrupted");
		rc = -1;
	} else if (w->same && w->same(w->same_ctx, relpath, data, len)) {
		rc = reuse_one(w, relpath, NULL, NULL, d);
	} else {
		rc = write_one_file(w, relpath, data, len, d);
	}
	progress_add(PROGRESS_PAGES, 1);
	atomic_fetch_sub(&writes_in_flight, 1);
	return rc;
}

int write_scratch_fd(const struct writer *w)
{
	return w->tmp_fd;
}

mode_t write_dir_mode(const struct writer *w)
{
	return w->dir_mode;
}

int write_previous_fd(const struct writer *w)
{
	return w->old_fd;
}

/* Set when the kernel (before 5.6) or a sandbox refuses openat2(). */
static atomic_int no_openat2;

/* The folder `dir` (of `len` bytes) below `fd` in one call, refusing
 * symbolic links and ".." on the way as the walk below does; -2 when
 * openat2() is not there. A carried page took five system calls to find
 * its folder one component at a time, and there is a folder per page. */
static int open_beneath(int fd, const char *dir, size_t len)
{
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
			   RESOLVE_NO_MAGICLINKS,
	};
	char small[256], *path = len < sizeof(small) ? small : xstrndup(dir, len);
	int rc;

	if (atomic_load_explicit(&no_openat2, memory_order_relaxed))
		return -2;
	if (path == small) {
		memcpy(small, dir, len);
		small[len] = '\0';
	}
	rc = (int)syscall(SYS_openat2, fd, path, &how, sizeof(how));
	if (rc < 0 && (errno == ENOSYS || errno == EPERM)) {
		atomic_store(&no_openat2, 1);
		rc = -2;
	}
	if (path != small)
		free(path);
	return rc;
}

/* The folder of `relpath` in the previous output, walked without
 * following a symbolic link; *name
 * gets the last component. Returns a descriptor to close (w->old_fd itself
 * is never returned), or -1. */
static int previous_parent(const struct writer *w, const char *relpath,
			   const char **name)
{
	const char *seg = relpath, *slash = strrchr(relpath, '/');
	int fd;

	if (slash) {
		*name = slash + 1;
		if ((fd = open_beneath(w->old_fd, relpath,
				       (size_t)(slash - relpath))) != -2)
			return fd;
	}
	fd = dup(w->old_fd);

	while (fd >= 0 && (slash = strchr(seg, '/'))) {
		char *part = xstrndup(seg, (size_t)(slash - seg));
		int next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					    O_CLOEXEC);
		free(part);
		close(fd);
		fd = next;
		seg = slash + 1;
	}
	*name = seg;
	return fd;
}

int write_previous_stat(const struct writer *w, const char *relpath,
			struct stat *st)
{
	const char *name;
	int fd, rc;

	if (w->old_fd < 0 || !write_path_is_safe(relpath))
		return -1;
	if ((fd = previous_parent(w, relpath, &name)) < 0)
		return -1;
	rc = fstatat(fd, name, st, AT_SYMLINK_NOFOLLOW);
	close(fd);
	return rc < 0 || !S_ISREG(st->st_mode) ? -1 : 0;
}

int write_previous_open(const struct writer *w, const char *relpath)
{
	const char *name;
	int fd, file;

	if (w->old_fd < 0 || !write_path_is_safe(relpath))
		return -1;
	if ((fd = previous_parent(w, relpath, &name)) < 0)
		return -1;
	file = openat(fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	close(fd);
	return file;
}

void write_set_same(struct writer *w,
		    int (*same)(void *ctx, const char *relpath,
				const void *data, size_t len),
		    void *ctx)
{
	w->same = same;
	w->same_ctx = ctx;
}

/* Copy what `fd` holds (a file of the previous output) as `relpath`. */
static int copy_previous(struct writer *w, int dirfd, const char *name,
			 const char *relpath, struct diag *d)
{
	struct buf b = BUF_INIT;
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	rc = buf_read_fd(&b, fd);
	close(fd);
	if (rc == 0)
		rc = write_one_file(w, relpath, b.ptr, b.len, d);
	buf_release(&b);
	return rc;
}

/* Link the previous output's `relpath` into the new one: 0, or -1 after
 * reporting; with `accept`, first its stat is shown to accept(), and 1
 * means it refused, or there is no such regular file. */
static int reuse_one(struct writer *w, const char *relpath,
		     int (*accept)(void *ctx, const struct stat *st),
		     void *ctx, struct diag *d)
{
	const char *name;
	char e[128];
	struct stat old;
	int fd, rc, saved;

	if ((fd = previous_parent(w, relpath, &name)) < 0) {
		if (accept)
			return 1;
		goto fail;
	}
	if (accept) {
		if (fstatat(fd, name, &old, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(old.st_mode) || !accept(ctx, &old)) {
			close(fd);
			return 1;
		}
	}
	if (strchr(relpath, '/') && !parent_known(w, relpath) &&
	    make_parents(w, relpath) < 0)
		goto fail;
	/* A hard link: the file is shared, never written; the previous
	 * output keeps its own name for it until it is removed. */
	rc = linkat(fd, name, w->tmp_fd, relpath, 0);
	if (rc == 0 && accept) {
		note_made(w, relpath, &old); /* the same inode, size and time */
	} else if (rc == 0) {
		struct stat st;
		if ((rc = fstatat(w->tmp_fd, relpath, &st, AT_SYMLINK_NOFOLLOW)) == 0)
			note_made(w, relpath, &st);
	} else if (errno == EXDEV || errno == EPERM || errno == EMLINK) {
		rc = copy_previous(w, fd, name, relpath, d); /* noted there */
	}
	saved = errno;
	close(fd);
	errno = saved;
	if (rc == 0)
		return 0;
fail:
	diag_fail(d, NULL, 0, 0, "cannot carry '%s/%s' over: %s", w->outdir,
		  relpath, errstr(errno, e, sizeof(e)));
	return -1;
}

static int reuse(struct writer *w, const char *relpath,
		 int (*accept)(void *ctx, const struct stat *st), void *ctx,
		 struct diag *d)
{
	int rc;

	if (w->old_fd < 0 || !write_path_is_safe(relpath)) {
		diag_fail(d, NULL, 0, 0, "cannot carry '%s' over: no previous "
			  "output or not a safe path", relpath ? relpath : "");
		return -1;
	}
	atomic_fetch_add(&writes_in_flight, 1);
	if (atomic_load(&write_interrupted)) {
		diag_fail(d, NULL, 0, 0, "interrupted");
		rc = -1;
	} else {
		rc = reuse_one(w, relpath, accept, ctx, d);
	}
	atomic_fetch_sub(&writes_in_flight, 1);
	return rc;
}

int write_reuse(struct writer *w, const char *relpath, struct diag *d)
{
	return reuse(w, relpath, NULL, NULL, d);
}

int write_reuse_if(struct writer *w, const char *relpath,
		   int (*accept)(void *ctx, const struct stat *st), void *ctx,
		   struct diag *d)
{
	int rc;

	/* Nothing to carry over: made, and written where it is safe. */
	if (w->old_fd < 0 || !write_path_is_safe(relpath))
		return 0;
	rc = reuse(w, relpath, accept, ctx, d);
	return rc < 0 ? -1 : !rc;
}

/* Without RENAME_EXCHANGE: move the old output aside, then move in. */
static int swap_by_renames(struct writer *w, char **old_out, struct diag *d)
{
	char e[128];
	char *old = outdir_scratch_template(w->parent, w->base);

	*old_out = NULL;
	/* An empty folder that rename(2) may replace, with a fresh name. */
	if (!mkdtemp(old)) {
		diag_fail(d, NULL, 0, 0, "cannot create a folder in '%s': %s",
			  w->parent, errstr(errno, e, sizeof(e)));
		free(old);
		return -1;
	}
	if (rename(w->outdir, old) < 0) {
		diag_fail(d, NULL, 0, 0, "cannot move '%s' aside: %s", w->outdir,
			  errstr(errno, e, sizeof(e)));
		rmdir(old);
		free(old);
		return -1;
	}
	if (rename(w->tmpdir, w->outdir) < 0) {
		int err = errno;
		rename(old, w->outdir); /* put the old output back */
		diag_fail(d, NULL, 0, 0, "cannot replace '%s': %s", w->outdir,
			  errstr(err, e, sizeof(e)));
		free(old);
		return -1;
	}
	*old_out = old;
	return 0;
}

/* Undo a swap whose old output turned out not to be ours (replaced by
 * someone else since write_begin checked it): put it back. */
static void swap_back(struct writer *w, const char *old, int exchanged)
{
	if (exchanged) {
		/* `old` gets the new site back; it is the scratch folder. */
		renameat2(AT_FDCWD, old, AT_FDCWD, w->outdir, RENAME_EXCHANGE);
		outdir_remove_tree(old);
	} else if (rename(w->outdir, w->tmpdir) == 0) {
		rename(old, w->outdir);
		outdir_remove_tree(w->tmpdir);
	}
}

/* Is the folder at `path` one a build may delete (marker or empty)? */
static int folder_is_ours(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int ours = fd >= 0 && outdir_owned(fd, NULL);
	if (fd >= 0)
		close(fd);
	return ours;
}

int write_commit(struct writer *w, struct diag *d)
{
	char e[128];
	char *old = NULL;
	struct stat st;
	int exchange = !getenv("SHOWCASE_TEST_NO_EXCHANGE");
	int exchanged = 0, rc = -1;

	close(w->tmp_fd);
	w->tmp_fd = -1;
	if (atomic_load(&write_interrupted))
		goto cleanup;

	/* A signal arriving now waits until the names are settled. */
	pthread_mutex_lock(&registry_lock);
	if (lstat(w->outdir, &st) < 0) {
		if (errno != ENOENT) {
			diag_fail(d, NULL, 0, 0, "cannot use output folder '%s': %s",
				  w->outdir, errstr(errno, e, sizeof(e)));
		} else if (rename(w->tmpdir, w->outdir) < 0) {
			diag_fail(d, NULL, 0, 0, "cannot create '%s': %s",
				  w->outdir, errstr(errno, e, sizeof(e)));
		} else {
			unregister_locked(w->tmpdir);
			free(w->tmpdir); /* renamed away: nothing to remove */
			w->tmpdir = NULL;
			rc = 0;
		}
		pthread_mutex_unlock(&registry_lock);
		goto cleanup;
	}
	if (exchange && renameat2(AT_FDCWD, w->tmpdir, AT_FDCWD, w->outdir,
				  RENAME_EXCHANGE) == 0) {
		/* The scratch name, still registered, holds the old output. */
		old = w->tmpdir;
		w->tmpdir = NULL;
		exchanged = 1;
	} else if (!exchange || errno == EINVAL || errno == ENOSYS ||
		   errno == ENOTSUP) {
		if (swap_by_renames(w, &old, d) == 0)
			register_locked(old);
	} else {
		diag_fail(d, NULL, 0, 0, "cannot replace '%s': %s", w->outdir,
			  errstr(errno, e, sizeof(e)));
	}
	pthread_mutex_unlock(&registry_lock);
	if (!old)
		goto cleanup;

	if (!folder_is_ours(old)) {
		swap_back(w, old, exchanged);
		diag_report(d, DIAG_ERROR, DIAG_USAGE, NULL, 0, 0,
			    "refusing to replace '%s': it changed during the build and is no longer an output folder of showcase; nothing was replaced",
			    w->outdir);
		unregister_path(old);
		goto cleanup;
	}
	rc = 0;
	if (w->tmpdir) {
		unregister_path(w->tmpdir);
		free(w->tmpdir); /* renamed away: nothing left to remove */
		w->tmpdir = NULL;
	}
	if (outdir_remove_tree(old) < 0)
		diag_report(d, DIAG_WARNING, DIAG_SYSTEM, NULL, 0, 0,
			    "cannot remove the previous output '%s': %s (remove it by hand)",
			    old, errstr(errno, e, sizeof(e)));
	unregister_path(old);

cleanup:
	free(old);
	write_abort(w);
	return rc;
}

void write_abort(struct writer *w)
{
	if (!w)
		return;
	if (w->tmp_fd >= 0) {
		close(w->tmp_fd);
		w->tmp_fd = -1;
	}
	if (w->tmpdir) {
		outdir_remove_tree(w->tmpdir); /* best effort: OUT is what matters */
		unregister_path(w->tmpdir);
	}
	writer_free(w);
}

const char *write_outdir(const struct writer *w)
{
	return w->outdir;
}
