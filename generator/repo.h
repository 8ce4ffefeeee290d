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
 * each with its blob id and size. Contents are read on demand with
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

/* Folders nested deeper than this under the site root are an error. */
#define REPO_MAX_DEPTH 64

struct repo_file {
	const char *path; /* relative to the site root, '/'-separated */
	char oid[41];     /* blob id, 40 hex digits */
	size_t size;      /* bytes; for a symlink the length of its target */
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
 * Replace the contents of `out` with the contents of `f` (a file of `s`):
 * the blob in commit mode, the file on disk in worktree mode. Symbolic links
 * are not readable. On failure report a system error and return -1.
 */
int repo_snapshot_read(const struct repo_snapshot *s, const struct repo_file *f,
		       struct buf *out, struct diag *d);

/*
 * For history queries (published and updated dates) added later: the open
 * repository, owned by the snapshot (do not free it; serialise use across
 * threads), or NULL in worktree mode outside any repository ...
 */
struct git_repository *repo_snapshot_repository(const struct repo_snapshot *s);

/* ... and the site root's path inside the repository's tree: "" at the top
 * (and for bare repositories), else e.g. "sites/demo/" with a final '/', so
 * that prefix + file->path is the path git knows the file by. */
const char *repo_snapshot_repo_prefix(const struct repo_snapshot *s);

#endif
