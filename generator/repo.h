/*
 * repo: the load stage. Takes a snapshot of a site's files, either from a
 * commit of the git repository that contains the site (through libgit2) or
 * from the working tree on disk.
 *
 * A published site must be reproducible from history, so `showcase build`
 * reads site.yaml, content/ and themes/ from a commit's tree and never from
 * the working tree: an uncommitted edit does not change the output. The
 * `--worktree` mode reads the files on disk instead, for previews, and also
 * works outside any repository.
 *
 * The site root is the folder the build was started in (-C DIR). When DIR is
 * a subfolder of the repository's work tree the snapshot holds only that
 * subtree; for a bare repository, or DIR at the top, the whole tree. Every
 * path in a snapshot is '/'-separated and relative to the site root, e.g.
 * "content/cases/x.md".
 *
 * What a snapshot holds: the list of files, sorted by path in strcmp order,
 * each with its blob id and size (in commit mode, once
 * repo_snapshot_sizes() has run). Contents are read on demand with
 * repo_snapshot_read(), so images cost nothing until they are copied.
 *
 * Commit mode: submodules are skipped; symbolic links are listed (so callers
 * can report them) but are never readable and never followed.
 *
 * Worktree mode: ".git", nested repositories, the output folder (and the
 * scratch folders write.c leaves next to it after a crash), and, inside a
 * repository, everything git ignores (unless tracked) are skipped. Only
 * regular files and symbolic links are listed. A file's oid is the id git
 * would give its bytes as a blob, so incremental builds can key by it.
 *
 * Ownership: the snapshot owns every string and array it exposes; they live
 * until repo_snapshot_free(). Thread safety: once open, a snapshot is
 * read-only; find, prefix and read may be called from several threads at
 * once (read serialises its libgit2 calls internally).
 *
 * History: repo_history_load() (below) dates every file of a snapshot from
 * its commits: published, updated, and the authors.
 */
#ifndef SHOWCASE_REPO_H
#define SHOWCASE_REPO_H

#include <stddef.h>

struct buf;
struct diag;
struct git_repository;

/* git file modes a snapshot reports. */
#define REPO_MODE_FILE 0100644
#define REPO_MODE_EXEC 0100755
#define REPO_MODE_LINK 0120000

#define REPO_SIZE_UNKNOWN ((size_t)-1)

/* Folders nested deeper than this under the site root are an error. */
#define REPO_MAX_DEPTH 64

struct repo_file {
	const char *path; /* relative to the site root, '/'-separated */
	char oid[41];     /* blob id, 40 hex digits */
	size_t size;      /* bytes; for a symlink the length of its target;
			   * REPO_SIZE_UNKNOWN in commit mode until
			   * repo_snapshot_sizes() */
	unsigned mode;    /* REPO_MODE_FILE, REPO_MODE_EXEC or REPO_MODE_LINK */
	int is_symlink;
};

struct repo_snapshot {
	struct repo_file *files; /* sorted by path, strcmp order */
	size_t count;
	char commit_id[41];      /* "" in worktree mode */
	long long commit_time;   /* committer time, seconds since the epoch;
				  * 0 in worktree mode */
	int worktree;            /* 1 when read from the files on disk */
	const char *root_display; /* absolute path of the site root */
};

/*
 * What a snapshot reads, given as the `worktree` argument below (0 and 1
 * keep their old meaning). REPO_INDEX reads what `git commit` would record:
 * the index (or GIT_INDEX_FILE), blobs from the object database as in
 * commit mode, with HEAD's commit id, time and history (repo_index.c).
 */
enum { REPO_COMMIT = 0, REPO_WORKTREE = 1, REPO_INDEX = 2 };

/*
 * Open the repository containing `dir` (searching upward like git, bare
 * repositories too, not crossing filesystems, honouring
 * GIT_CEILING_DIRECTORIES) and take a snapshot of the site rooted at `dir`.
 *
 * `ref` is any revision git_revparse_single() accepts (branch, tag, commit
 * id, HEAD~1); NULL means HEAD. It is ignored in worktree mode.
 * `exclude_dir` (worktree mode only, may be NULL) is the output folder,
 * which is left out of the snapshot: the same string as given to
 * write_begin(), so absolute or relative to the current folder (not to
 * `dir`), resolved through symbolic links as write_begin() does. An output
 * folder outside the site root, or equal to it, excludes nothing.
 *
 * On success store a new snapshot in *out (free it with repo_snapshot_free)
 * and return 0. On failure report a system error to `d`, set *out to NULL and
 * return -1.
 */
int repo_snapshot_open(struct repo_snapshot **out, const char *dir,
		       const char *ref, int worktree, const char *exclude_dir,
		       struct diag *d);

void repo_snapshot_free(struct repo_snapshot *s);

/* The file at `path`, or NULL. O(log n). */
const struct repo_file *repo_snapshot_find(const struct repo_snapshot *s,
					   const char *path);

/*
 * All files whose path starts with `prefix` (e.g. "content/"): they are
 * contiguous because the list is sorted. Store the first in *first (NULL when
 * there are none) and return how many there are. "" selects every file.
 */
size_t repo_snapshot_prefix(const struct repo_snapshot *s, const char *prefix,
			    const struct repo_file **first);

/*
 * Fill in the size of every file whose size is REPO_SIZE_UNKNOWN, from the
 * blobs' headers (nothing is inflated). Whoever reads a file's size calls
 * this first (load_model() does, for every command that loads records).
 * On a blob that cannot be read, report a system error and return -1.
 */
int repo_snapshot_sizes(struct repo_snapshot *s, struct diag *d);

/*
 * Replace the contents of `out` with the contents of `f` (a file of `s`):
 * the blob in commit mode, the file on disk in worktree mode. Symbolic links
 * are not readable. On failure report a system error and return -1.
 */
int repo_snapshot_read(const struct repo_snapshot *s, const struct repo_file *f,
		       struct buf *out, struct diag *d);

/*
 * A reader of one thread: repo_snapshot_read() serialises every read on
 * one libgit2 handle, which is not safe to share; a reader has a handle
 * of its own on the same repository, so that threads reading many files
 * (the records) read them at once. Same results and errors as
 * repo_snapshot_read(). Open and use it on one thread at a time, close it
 * before the snapshot is freed.
 */
struct repo_reader;
struct repo_reader *repo_reader_open(const struct repo_snapshot *s);
int repo_reader_read(struct repo_reader *rd, const struct repo_file *f,
		     struct buf *out, struct diag *d);
void repo_reader_close(struct repo_reader *rd);

/*
 * The open repository, owned by the snapshot (do not free it; it is not
 * safe to use from several threads at once), or NULL in worktree mode
 * outside any repository ...
 */
struct git_repository *repo_snapshot_repository(const struct repo_snapshot *s);

/* ... and the site root's path inside the repository's tree: "" at the top
 * (and for bare repositories), else e.g. "sites/demo/" with a final '/', so
 * that prefix + file->path is the path git knows the file by. */
const char *repo_snapshot_repo_prefix(const struct repo_snapshot *s);

/*
 * Where the repository containing `dir` lives (repo_locate.c), found as
 * repo_snapshot_open() finds it, every path resolved through symbolic
 * links: its git folder, the common git folder of its worktrees (the same
 * for a plain repository) and its work tree (NULL when bare). Returns 0, or
 * -1 with every field NULL when there is no repository (the snapshot
 * reports why). Release the strings with repo_location_release().
 */
struct repo_location {
	char *git_dir;
	char *common_dir;
	char *work_tree;
};

int repo_locate(const char *dir, struct repo_location *loc);
void repo_location_release(struct repo_location *loc);

/*
 * History (repo_history.c): when each file was published and last updated,
 * and who wrote it, computed from the commits of the snapshot.
 *
 * Every commit reachable from the snapshot's commit is compared with its
 * parents (a root commit with an empty tree). A commit changes a path when
 * the path holds a blob whose id differs from the path's blob in every
 * parent, as in `git log` for a merge: a change made on a merged branch
 * counts once, with the branch commit's date and author, and a merge counts
 * only where it made content of its own (a conflict resolved by hand). Then
 * for each file of the snapshot:
 *
 *   published  the committer time of the oldest commit that changed it,
 *              which is the commit that first added a file at this path;
 *              a file deleted and added again keeps its first date
 *   updated    the committer time of the newest commit that changed it
 *   authors    the distinct author names of those commits, oldest
 *              contribution first, mapped through the .mailmap at the top
 *              of the snapshot's commit
 *
 * "Oldest" and "newest" are in topological order (parents before children,
 * then by committer time), so the values are a function of the commit alone.
 * A deletion changes nothing (the deleter is not an author); a change of the
 * file mode alone is not a change. Paths are followed, not contents: a
 * renamed file is added at the rename, by the author of the rename.
 *
 * Worktree mode uses the history of HEAD: a file on disk gets the history
 * of the committed file at its path (its uncommitted edits change nothing),
 * a file HEAD does not hold (new, not yet committed) gets none, and so does
 * every file outside a repository or before the first commit.
 *
 * In a shallow clone the history stops at the oldest commit fetched, which
 * then adds every file it holds; a warning says so.
 *
 * Cost: one pass over the commits; each is compared with its parents only
 * below the prefix folder, and subtrees with equal ids are skipped without
 * being read, so a commit that changes one record reads a few trees.
 */
struct repo_file_history {
	const char *path;             /* relative to the site root */
	long long published;          /* seconds since the epoch (UTC) */
	long long updated;
	const char *const *authors;   /* nauthors names */
	size_t nauthors;
};

struct repo_history;

/*
 * Compute the history of every file of `s` whose path starts with `prefix`
 * ("content/"; "" for every file; otherwise it must end with '/'). Call it
 * from one thread (the load stage): it holds the snapshot's libgit2 lock
 * throughout. Store the result in *out (free it with repo_history_free) and
 * return 0; on failure (an unreadable commit or tree) report a system error
 * to `d`, set *out to NULL and return -1.
 */
int repo_history_load(struct repo_history **out, const struct repo_snapshot *s,
		      const char *prefix, struct diag *d);

/* The history of the file at `path` (relative to the site root), or NULL
 * when it has none (not under the prefix, not committed). The result lives
 * until repo_history_free(); it does not depend on the snapshot, and once
 * loaded may be read from several threads. */
const struct repo_file_history *repo_history_find(const struct repo_history *h,
						  const char *path);

/* Number of commits the history was computed from (for benchmarks). */
size_t repo_history_commits(const struct repo_history *h);

void repo_history_free(struct repo_history *h);

#endif
