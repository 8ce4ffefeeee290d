/*
 * outdir: which folders a build may replace, and how to remove one safely.
 *
 * A build replaces its output folder wholesale, so a mistyped --out must
 * never cost a user a file. Three independent rules protect them:
 *
 *   place      the output, resolved through every symbolic link, is not
 *              "/", the home folder, a mount point, the current folder, and
 *              neither equals, contains nor lies inside the repository's git
 *              folder or a theme folder; it may lie inside the site and the
 *              work tree but neither equal nor contain them
 *              (outdir_check_places);
 *   ownership  an existing output is replaced only when it is empty or
 *              carries the marker file that every build writes into its
 *              output, in the spirit of CACHEDIR.TAG (outdir_check_owner);
 *              there is deliberately no option to override this;
 *   removal    old trees are removed through directory descriptors without
 *              following a symbolic link or entering another filesystem
 *              (outdir_remove_tree).
 *
 * Builds of the same output exclude each other with a lock file beside it
 * (outdir_lock). Scratch folders are named after the output and the process
 * id, so that a later build can remove those of a process that is gone
 * (outdir_remove_stale).
 *
 * Errors are reported to the diag collector: a refused place or owner is a
 * usage error (exit 2), a held lock or an I/O failure a system error (exit 3).
 * Ownership: every returned string is malloc'd and the caller frees it.
 */
#ifndef SHOWCASE_OUTDIR_H
#define SHOWCASE_OUTDIR_H

#include <stddef.h>

struct diag;

/* The marker file in every output folder, and its first line. */
#define OUTDIR_MARKER ".showcase-output"
#define OUTDIR_SIGNATURE "Signature: showcase-output/1"

/* The whole marker file, as write.c writes it. */
extern const char outdir_marker_text[];

/*
 * Resolve `path` (absolute or relative to the current folder) to an absolute
 * path with every symbolic link followed, also when its last components do
 * not exist yet: the deepest existing folder goes through realpath() and the
 * rest is appended, in which "." and ".." are refused. A dangling symbolic
 * link is refused. Returns the path, or NULL after reporting a usage error.
 */
char *outdir_resolve(const char *path, struct diag *d);

/* A folder the output must keep clear of (see outdir_check_places). */
struct outdir_place {
	const char *path; /* any path; NULL entries are skipped */
	const char *what; /* what it is, for messages: "the site folder" */
	int inside_ok;    /* the output may lie inside it */
};

/*
 * Check that the resolved output `out` is not "/", the home folder or a
 * mount point, and that for each place it neither equals nor contains it,
 * nor lies inside it unless the place allows that. Returns 0, or -1 after
 * reporting the first rule it breaks (in the order of `places`) as a usage
 * error.
 */
int outdir_check_places(const char *out, const struct outdir_place *places,
			size_t n, struct diag *d);

/*
 * Check that the existing folder `out` may be replaced: it does not exist,
 * or is an empty folder, or holds the marker. Returns 0, or -1 after
 * reporting a usage error that says how many entries it holds and what to
 * do.
 */
int outdir_check_owner(const char *out, struct diag *d);

/* 1 if the folder open as `dirfd` holds a marker file with the signature. */
int outdir_has_marker(int dirfd);

/* 1 if the folder open as `dirfd` may be deleted by a build: it holds the
 * marker or is empty. Stores the number of its entries in *entries (may be
 * NULL). */
int outdir_owned(int dirfd, size_t *entries);

/*
 * Check that the single file `path` (a booklet of `showcase report --out`)
 * may be replaced: it does not exist, or lies inside an output folder that
 * holds the marker, or names showcase as its maker (a booklet's PDF
 * /Creator, an HTML page's generator). Symbolic links and anything but a
 * regular file are refused. Returns 0, or -1 after reporting.
 */
int outdir_check_file(const char *path, struct diag *d);

/*
 * Take the lock of output `out` (resolved): the file ".BASE.showcase-lock"
 * beside it, locked with flock(). When another process holds it, report
 * "another build is writing OUT" and return -1, or with `wait` print a note
 * and wait for it. Store the descriptor in *fd (closing it releases the
 * lock) and return 0. The parent folder must exist.
 */
int outdir_lock(const char *out, int wait, int *fd, struct diag *d);

/*
 * The scratch folder template "PARENT/.BASE.showcase-tmp-PID-XXXXXX" for
 * mkdtemp(), and a test of whether `name` (an entry of the parent) is one,
 * for any process; the pid is stored in *pid when it is.
 */
char *outdir_scratch_template(const char *parent, const char *base);
int outdir_is_scratch_name(const char *base, const char *name, long *pid);

/* The file "PARENT/.BASE" + suffix beside output `out` (resolved, so
 * with a slash), malloc'ed: the lock, the body cache (bodycache.h). */
char *outdir_beside(const char *out, const char *suffix);
#define OUTDIR_CACHE_SUFFIX ".showcase-cache"

/* 1 if `name` is a scratch folder, the lock file or the body cache of
 * output BASE. */
int outdir_is_own_name(const char *base, const char *name);

/*
 * Remove the scratch folders beside output PARENT/BASE that belong to
 * processes that no longer run and that are empty or hold the marker (a
 * kill -9 leaves them behind). Call it with the output's lock held.
 * Returns how many were removed.
 */
size_t outdir_remove_stale(const char *parent, const char *base);

/*
 * Remove the tree at `path` (a file, or a folder and everything below it)
 * through directory descriptors: symbolic links are removed, never
 * followed, and folders on another filesystem or mount point are left where
 * they are (the removal then fails with EXDEV). Keeps going after a failure
 * so that as much as possible is removed. Returns 0, or -1 with errno set
 * from the first failure. Async-signal-unsafe (it allocates).
 */
int outdir_remove_tree(const char *path);

/*
 * The entries of a folder, read straight with getdents64(): each name with
 * the type the file system gives (DT_REG, DT_DIR, ... or DT_UNKNOWN when it
 * does not say); "." and ".." are skipped. For the walks over a whole
 * output (the no-op check, the removal of an old output): an output has a
 * folder per page, and opendir() costs two more system calls per folder
 * than the reading (an fstat and an fcntl). The caller keeps `fd` open and
 * closes it.
 */
struct outdir_entries {
	int fd;
	long len, off;
	/* Small: walks recurse with one of these per level. */
	char buf[2048] __attribute__((aligned(8)));
};
void outdir_entries_start(struct outdir_entries *it, int fd);
/* The next entry's name (valid until the next call) and its type in *type;
 * NULL at the end, with *err 0, or after an error, with *err its errno. */
const char *outdir_entries_next(struct outdir_entries *it,
				unsigned char *type, int *err);

/*
 * Folders a walk leaves for the workers of parallel.h (parallel.h): the
 * walk reads the levels above itself and lists the folders below, each
 * by its name in a parent folder that it keeps open (outdir_folders_keep())
 * for the workers to open from. `path`, the caller's, may be NULL.
 * outdir_folders_release() frees the list and closes the kept folders.
 * Both the removal of an old output and the no-op check walk this way.
 */
struct outdir_folder {
	int parent;
	char *name, *path;
};
struct outdir_folders {
	struct outdir_folder *v;
	size_t len, cap;
	int *open;
	size_t nopen, capopen;
};
void outdir_folders_add(struct outdir_folders *f, int parent,
			const char *name, const char *path);
void outdir_folders_keep(struct outdir_folders *f, int fd);
void outdir_folders_release(struct outdir_folders *f);

#endif
