/*
 * repo: see repo.h.
 *
 * Commit mode walks the commit's tree with git_tree_walk and records each
 * blob's id. Sizes come later, from each blob's header, when
 * repo_snapshot_sizes() asks: a rebuild with nothing changed needs only
 * the ids, and at 50,000 records the headers are a tenth of its time.
 * Contents are read later still, one blob at a time.
 *
 * Worktree mode walks the folder with openat()/fstatat() relative to
 * descriptors, never following symbolic links, and hashes every file as git
 * would (the bytes are read once and dropped). Reads later go component by
 * component with O_NOFOLLOW from a descriptor of the site root kept open, so
 * a file replaced by a link after the snapshot still cannot lead outside.
 *
 * libgit2 is initialised per snapshot (its init/shutdown are refcounted).
 * Its errors are turned into diagnostics here, at the boundary. The history
 * of a snapshot's files (published, updated, contributors) is computed in
 * repo_history.c, which shares struct snapshot through repo_internal.h.
 */
#include "repo.h"
#include "repo_internal.h"

#include "alloc.h"
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "write.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* libgit2's last message, without the final period some messages carry. */
const char *repo_git_msg(char *tmp, size_t len)
{
	const git_error *e = git_error_last();
	size_t n;

	snprintf(tmp, len, "%s", e && e->message ? e->message : "unknown error");
	n = strlen(tmp);
	while (n && (tmp[n - 1] == '.' || tmp[n - 1] == '\n' || tmp[n - 1] == ' '))
		tmp[--n] = '\0';
	return tmp;
}

static const char *errstr(int err, char *tmp, size_t len)
{
	return strerror_r(err, tmp, len); /* GNU version */
}

static void add_file(struct snapshot *s, const char *path, size_t pathlen,
		     const git_oid *oid, size_t size, unsigned mode)
{
	struct repo_file *f;

	if (s->pub.count == s->cap) {
		s->cap = s->cap ? st_mult(s->cap, 2) : 64;
		s->pub.files = xrealloc(s->pub.files,
					st_mult(s->cap, sizeof(*s->pub.files)));
	}
	f = &s->pub.files[s->pub.count++];
	memset(f, 0, sizeof(*f));
	f->path = arena_strndup(&s->arena, path, pathlen);
	git_oid_tostr(f->oid, sizeof(f->oid), oid);
	f->size = size;
	f->mode = mode;
	f->is_symlink = mode == REPO_MODE_LINK;
}

void repo_add_file(struct snapshot *s, const char *path, size_t pathlen,
		   const git_oid *oid, size_t size, unsigned mode)
{
	add_file(s, path, pathlen, oid, size, mode);
}

static int compare_files(const void *pa, const void *pb)
{
	const struct repo_file *a = pa, *b = pb;
	return strcmp(a->path, b->path);
}

/* ---- commit mode ---- */

struct tree_walk {
	struct snapshot *s;
	struct diag *d;
	const char *rev;
	struct buf path;
	int failed;
};

static int tree_entry_cb(const char *root, const git_tree_entry *entry,
			 void *payload)
{
	struct tree_walk *w = payload;
	git_object_t type = git_tree_entry_type(entry);
	git_filemode_t fmode = git_tree_entry_filemode(entry);
	const char *name = git_tree_entry_name(entry);
	unsigned mode;

	buf_reset(&w->path);
	buf_puts(&w->path, root);
	buf_puts(&w->path, name);

	if (type == GIT_OBJECT_TREE) {
		size_t depth = 0;
		for (const char *p = root; *p; p++)
			depth += *p == '/';
		if (depth >= REPO_MAX_DEPTH) {
			diag_fail(w->d, NULL, 0, 0,
				  "folder '%s' in revision '%s' is nested deeper than %d levels",
				  w->path.ptr, w->rev, REPO_MAX_DEPTH);
			w->failed = 1;
			return -1;
		}
		return 0;
	}
	if (type != GIT_OBJECT_BLOB)
		return 0; /* a submodule (commit entry): not part of the site */

	if (fmode == GIT_FILEMODE_LINK)
		mode = REPO_MODE_LINK;
	else if (fmode == GIT_FILEMODE_BLOB_EXECUTABLE)
		mode = REPO_MODE_EXEC;
	else
		mode = REPO_MODE_FILE;
	add_file(w->s, w->path.ptr, w->path.len, git_tree_entry_id(entry),
		 REPO_SIZE_UNKNOWN, mode);
	return 0;
}

static int load_commit(struct snapshot *s, const char *ref, struct diag *d)
{
	const char *rev = ref ? ref : "HEAD";
	git_object *obj = NULL, *peeled = NULL;
	git_commit *commit;
	git_tree *tree = NULL, *sub = NULL;
	git_tree_entry *te = NULL;
	struct tree_walk walk = { s, d, rev, BUF_INIT, 0 };
	char e[256];
	int rc = -1;

	if (git_revparse_single(&obj, s->repo, rev) < 0) {
		int headish = !ref || !strncmp(ref, "HEAD", 4) || ref[0] == '@';
		if (headish && git_repository_head_unborn(s->repo) == 1)
			diag_fail(d, NULL, 0, 0,
				  "repository has no commits yet (commit the site first, or use --worktree)");
		else
			diag_fail(d, NULL, 0, 0, "cannot resolve revision '%s': %s",
				  rev, repo_git_msg(e, sizeof(e)));
		goto cleanup;
	}
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		diag_fail(d, NULL, 0, 0, "revision '%s' is not a commit", rev);
		goto cleanup;
	}
	commit = (git_commit *)peeled;
	git_oid_tostr(s->pub.commit_id, sizeof(s->pub.commit_id),
		      git_commit_id(commit));
	s->pub.commit_time = (long long)git_commit_time(commit);

	if (git_commit_tree(&tree, commit) < 0 ||
	    git_repository_odb(&s->odb, s->repo) < 0) {
		diag_fail(d, NULL, 0, 0, "cannot read revision '%s': %s", rev,
			  repo_git_msg(e, sizeof(e)));
		goto cleanup;
	}
	if (*s->repo_prefix) {
		/* The site is a subfolder: snapshot only its subtree. */
		char *folder = xstrndup(s->repo_prefix, strlen(s->repo_prefix) - 1);
		int found = git_tree_entry_bypath(&te, tree, folder) == 0 &&
			    git_tree_entry_type(te) == GIT_OBJECT_TREE;
		if (!found)
			diag_fail(d, NULL, 0, 0,
				  "folder '%s' is not in revision '%s' (commit the site first, or use --worktree)",
				  folder, rev);
		free(folder);
		if (!found)
			goto cleanup;
		if (git_tree_lookup(&sub, s->repo, git_tree_entry_id(te)) < 0) {
			diag_fail(d, NULL, 0, 0, "cannot read revision '%s': %s",
				  rev, repo_git_msg(e, sizeof(e)));
			goto cleanup;
		}
	}
	if (git_tree_walk(sub ? sub : tree, GIT_TREEWALK_PRE, tree_entry_cb,
			  &walk) < 0) {
		if (!walk.failed)
			diag_fail(d, NULL, 0, 0, "cannot read revision '%s': %s",
				  rev, repo_git_msg(e, sizeof(e)));
		goto cleanup;
	}
	rc = 0;

cleanup:
	buf_release(&walk.path);
	git_tree_entry_free(te);
	git_tree_free(sub);
	git_tree_free(tree);
	git_object_free(peeled);
	git_object_free(obj);
	return rc;
}

/* ---- worktree mode ---- */

struct dir_walk {
	struct snapshot *s;
	struct diag *d;
	git_index *index;      /* when git's ignore rules apply */
	char *excl_rel;        /* output folder relative to the root, or NULL */
	char *excl_parent;     /* its parent ("" for the root) */
	char *excl_base;       /* its name */
	struct buf path;       /* current path relative to the root */
	struct buf gitpath;    /* scratch: path relative to the work tree */
	struct buf content;    /* scratch: bytes being hashed */
};

/* Whether git ignores `rel` (relative to the root) and does not track it. */
static int is_ignored(struct dir_walk *w, const char *rel, int is_dir,
		      int *ignored)
{
	char e[256];

	buf_reset(&w->gitpath);
	buf_puts(&w->gitpath, w->s->repo_prefix);
	buf_puts(&w->gitpath, rel);
	if (git_ignore_path_is_ignored(ignored, w->s->repo, w->gitpath.ptr) < 0) {
		diag_fail(w->d, NULL, 0, 0, "cannot read the ignore rules for '%s': %s",
			  rel, repo_git_msg(e, sizeof(e)));
		return -1;
	}
	if (!*ignored)
		return 0;
	/* Like git, keep what is tracked even when a rule matches it. */
	if (is_dir) {
		size_t pos;
		buf_putc(&w->gitpath, '/');
		*ignored = git_index_find_prefix(&pos, w->index, w->gitpath.ptr) != 0;
	} else {
		*ignored = git_index_get_bypath(w->index, w->gitpath.ptr, 0) == NULL;
	}
	return 0;
}

static int compare_names(const void *pa, const void *pb)
{
	return strcmp(*(char *const *)pa, *(char *const *)pb);
}

static int walk_dir(struct dir_walk *w, int fd, int depth);

static int walk_entry(struct dir_walk *w, int dfd, const char *name, int depth)
{
	struct snapshot *s = w->s;
	char e[256];
	struct stat st;
	git_oid oid;
	int ignored = 0;

	if (!strcmp(name, ".git"))
		return 0;
	if (w->excl_rel && !strcmp(w->path.ptr, w->excl_rel))
		return 0;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return 0; /* removed while we walk */
		diag_fail(w->d, NULL, 0, 0, "cannot read '%s/%s': %s", s->root,
			  w->path.ptr, errstr(errno, e, sizeof(e)));
		return -1;
	}
	if (w->index &&
	    is_ignored(w, w->path.ptr, S_ISDIR(st.st_mode), &ignored) < 0)
		return -1;
	if (ignored)
		return 0;

	if (S_ISDIR(st.st_mode)) {
		if (depth + 1 >= REPO_MAX_DEPTH) {
			diag_fail(w->d, NULL, 0, 0,
				  "folder '%s' is nested deeper than %d levels",
				  w->path.ptr, REPO_MAX_DEPTH);
			return -1;
		}
		int sub = openat(dfd, name,
				 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0) {
			diag_fail(w->d, NULL, 0, 0, "cannot open folder '%s/%s': %s",
				  s->root, w->path.ptr, errstr(errno, e, sizeof(e)));
			return -1;
		}
		/* A nested repository is not part of this one, as for git. */
		if (w->index && faccessat(sub, ".git", F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
			close(sub);
			return 0;
		}
		return walk_dir(w, sub, depth + 1);
	}
	if (S_ISLNK(st.st_mode)) {
		/* git stores a link as a blob holding its target. */
		buf_reset(&w->content);
		buf_grow(&w->content, (size_t)st.st_size + 256);
		ssize_t n = readlinkat(dfd, name, w->content.ptr, w->content.cap - 1);
		if (n < 0) {
			diag_fail(w->d, NULL, 0, 0, "cannot read link '%s/%s': %s",
				  s->root, w->path.ptr, errstr(errno, e, sizeof(e)));
			return -1;
		}
		w->content.len = (size_t)n;
		w->content.ptr[n] = '\0';
		git_odb_hash(&oid, w->content.ptr, w->content.len, GIT_OBJECT_BLOB);
		add_file(s, w->path.ptr, w->path.len, &oid, w->content.len,
			 REPO_MODE_LINK);
		return 0;
	}
	if (!S_ISREG(st.st_mode))
		return 0; /* fifos, sockets, devices: git skips them too */

	int ffd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	buf_reset(&w->content);
	if (ffd < 0 || buf_read_fd(&w->content, ffd) < 0) {
		diag_fail(w->d, NULL, 0, 0, "cannot read '%s/%s': %s", s->root,
			  w->path.ptr, errstr(errno, e, sizeof(e)));
		if (ffd >= 0)
			close(ffd);
		return -1;
	}
	close(ffd);
	git_odb_hash(&oid, w->content.ptr, w->content.len, GIT_OBJECT_BLOB);
	add_file(s, w->path.ptr, w->path.len, &oid, w->content.len,
		 (st.st_mode & 0111) ? REPO_MODE_EXEC : REPO_MODE_FILE);
	return 0;
}

/* Walk the folder open as `fd` (taking ownership); w->path names it. */
static int walk_dir(struct dir_walk *w, int fd, int depth)
{
	char e[256];
	DIR *dir = fdopendir(fd);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, mark = w->path.len;
	int rc = -1;

	if (!dir) {
		diag_fail(w->d, NULL, 0, 0, "cannot open folder '%s/%s': %s",
			  w->s->root, w->path.ptr, errstr(errno, e, sizeof(e)));
		close(fd);
		return -1;
	}
	errno = 0;
	while ((de = readdir(dir))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? st_mult(cap, 2) : 32;
			names = xrealloc(names, st_mult(cap, sizeof(*names)));
		}
		names[n++] = xstrdup(de->d_name);
	}
	if (errno) {
		diag_fail(w->d, NULL, 0, 0, "cannot read folder '%s/%s': %s",
			  w->s->root, w->path.ptr, errstr(errno, e, sizeof(e)));
		goto cleanup;
	}
	if (n)
		qsort(names, n, sizeof(*names), compare_names);

	for (size_t i = 0; i < n; i++) {
		int scratch = w->excl_base && !strcmp(w->path.ptr, w->excl_parent) &&
			      write_is_scratch_name(w->excl_base, names[i]);
		if (scratch)
			continue; /* left over from an interrupted build */
		if (mark)
			buf_putc(&w->path, '/');
		buf_puts(&w->path, names[i]);
		int err = walk_entry(w, dirfd(dir), names[i], depth);
		buf_truncate(&w->path, mark);
		if (err < 0)
			goto cleanup;
	}
	rc = 0;

cleanup:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(dir);
	return rc;
}

/*
 * Find the output folder relative to the site root, so the walk can skip
 * it. It is resolved the way write_begin() resolves it: the parent through
 * links, the last component only if it is itself a link. Sets w->excl_* or leaves them NULL when the
 * output lies outside the root (or is the root, which cannot be skipped).
 */
static void resolve_exclude(struct dir_walk *w, const char *exclude)
{
	struct buf abs = BUF_INIT, full = BUF_INIT;
	const char *root = w->s->root;
	size_t rlen = strcmp(root, "/") ? strlen(root) : 0;
	char *real = NULL, *slash;
	struct stat st;

	if (exclude[0] != '/') {
		/* Relative to the current folder, as write_begin() takes it. */
		char *cwd = getcwd(NULL, 0);
		if (!cwd)
			goto cleanup;
		buf_printf(&abs, "%s/", cwd);
		free(cwd);
	}
	buf_puts(&abs, exclude);
	while (abs.len > 1 && abs.ptr[abs.len - 1] == '/')
		buf_truncate(&abs, abs.len - 1);
	slash = strrchr(abs.ptr, '/');
	if (!strcmp(slash + 1, ".") || !strcmp(slash + 1, "..") ||
	    (lstat(abs.ptr, &st) == 0 && S_ISLNK(st.st_mode))) {
		/* write_begin() replaces the folder a link points at. */
		real = realpath(abs.ptr, NULL);
		if (real)
			buf_puts(&full, real);
	} else {
		*slash = '\0';
		real = realpath(slash == abs.ptr ? "/" : abs.ptr, NULL);
		if (real)
			buf_printf(&full, "%s/%s", strcmp(real, "/") ? real : "",
				   slash + 1);
	}
	if (full.len > rlen + 1 && !strncmp(full.ptr, root, rlen) &&
	    full.ptr[rlen] == '/') {
		const char *rel = full.ptr + rlen + 1;
		const char *base = strrchr(rel, '/');
		w->excl_rel = xstrdup(rel);
		w->excl_parent = base ? xstrndup(rel, (size_t)(base - rel))
				      : xstrdup("");
		w->excl_base = xstrdup(base ? base + 1 : rel);
	}

cleanup:
	free(real);
	buf_release(&abs);
	buf_release(&full);
}

static int load_worktree(struct snapshot *s, const char *exclude,
			 struct diag *d)
{
	struct dir_walk w = { s, d, NULL, NULL, NULL, NULL,
			      BUF_INIT, BUF_INIT, BUF_INIT };
	char e[256];
	int fd, rc = -1;

	if (exclude && *exclude)
		resolve_exclude(&w, exclude);
	if (s->repo && s->in_workdir &&
	    git_repository_index(&w.index, s->repo) < 0) {
		diag_fail(d, NULL, 0, 0, "cannot read the index of '%s': %s",
			  s->root, repo_git_msg(e, sizeof(e)));
		goto cleanup;
	}
	s->root_fd = open(s->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/* walk_dir() closes the descriptor it is given; keep root_fd. */
	fd = s->root_fd < 0 ? -1 : fcntl(s->root_fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0) {
		diag_fail(d, NULL, 0, 0, "cannot open folder '%s': %s", s->root,
			  errstr(errno, e, sizeof(e)));
		goto cleanup;
	}
	rc = walk_dir(&w, fd, 0);

cleanup:
	git_index_free(w.index);
	free(w.excl_rel);
	free(w.excl_parent);
	free(w.excl_base);
	buf_release(&w.path);
	buf_release(&w.gitpath);
	buf_release(&w.content);
	return rc;
}

/* ---- opening ---- */

/* Where the root lies relative to the repository's work tree. */
static void locate_root(struct snapshot *s)
{
	const char *workdir = git_repository_workdir(s->repo);
	char *wd = workdir ? realpath(workdir, NULL) : NULL;
	size_t len = wd ? strlen(wd) : 0;

	if (wd && !strcmp(wd, "/"))
		len = 0;
	if (wd && !strcmp(s->root, wd)) {
		s->repo_prefix = xstrdup("");
		s->in_workdir = 1;
	} else if (wd && !strncmp(s->root, wd, len) && s->root[len] == '/') {
		struct buf b = BUF_INIT;
		buf_printf(&b, "%s/", s->root + len + 1);
		s->repo_prefix = buf_detach(&b, NULL);
		s->in_workdir = 1;
	} else {
		/* A bare repository (or a root outside its work tree). */
		s->repo_prefix = xstrdup("");
	}
	free(wd);
}

int repo_snapshot_open(struct repo_snapshot **out, const char *dir,
		       const char *ref, int worktree, const char *exclude_dir,
		       struct diag *d)
{
	struct snapshot *s = xcalloc(1, sizeof(*s));
	char e[256];
	struct stat st;
	int err, rc = -1;

	*out = NULL;
	s->root_fd = -1;
	s->pub.worktree = worktree == REPO_WORKTREE;
	arena_init(&s->arena);
	pthread_mutex_init(&s->lock, NULL);
	if (!dir)
		dir = ".";

	if (git_libgit2_init() < 0) {
		diag_fail(d, NULL, 0, 0, "cannot initialise libgit2: %s",
			  repo_git_msg(e, sizeof(e)));
		goto cleanup;
	}
	s->git_initialised = 1;
	/* Like git itself, trust the object store: libgit2 otherwise hashes
	 * every object it reads again, a tenth of a rebuild's CPU, to catch a
	 * corrupt pack that `git fsck` is the tool for. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);

	s->root = realpath(dir, NULL);
	if (!s->root || stat(s->root, &st) < 0) {
		diag_fail(d, NULL, 0, 0, "cannot open site folder '%s': %s", dir,
			  errstr(errno, e, sizeof(e)));
		goto cleanup;
	}
	if (!S_ISDIR(st.st_mode)) {
		diag_fail(d, NULL, 0, 0, "site folder '%s' is not a folder", dir);
		goto cleanup;
	}
	s->pub.root_display = s->root;

	/* The path given wins over GIT_DIR (set in hooks), as with git -C. */
	err = git_repository_open_ext(&s->repo, s->root, 0,
				      getenv("GIT_CEILING_DIRECTORIES"));
	if (err == GIT_ENOTFOUND) {
		s->repo = NULL;
		if (worktree != REPO_WORKTREE) {
			diag_fail(d, NULL, 0, 0,
				  "'%s' is not inside a git repository (use --worktree to build the files on disk)",
				  s->root);
			goto cleanup;
		}
		s->repo_prefix = xstrdup("");
	} else if (err < 0) {
		diag_fail(d, NULL, 0, 0, "cannot open the git repository of '%s': %s",
			  s->root, repo_git_msg(e, sizeof(e)));
		goto cleanup;
	} else {
		locate_root(s);
	}

	if (worktree == REPO_INDEX ? repo_load_index(s, d)
	    : worktree ? load_worktree(s, exclude_dir, d) : load_commit(s, ref, d))
		goto cleanup;
	if (s->pub.count) /* qsort(NULL, 0) is undefined */
		qsort(s->pub.files, s->pub.count, sizeof(*s->pub.files),
		      compare_files);
	rc = 0;

cleanup:
	if (rc < 0) {
		repo_snapshot_free(&s->pub);
		return -1;
	}
	*out = &s->pub;
	return 0;
}

int repo_snapshot_sizes(struct repo_snapshot *pub, struct diag *d)
{
	struct snapshot *s = repo_snap(pub);
	char e[256];

	for (size_t i = 0; i < pub->count; i++) {
		struct repo_file *f = &pub->files[i];
		git_object_t type;
		git_oid oid;
		if (f->size != REPO_SIZE_UNKNOWN)
			continue;
		if (git_oid_fromstr(&oid, f->oid) < 0 ||
		    git_odb_read_header(&f->size, &type, s->odb, &oid) < 0) {
			diag_fail(d, NULL, 0, 0,
				  "cannot read '%s' in commit %.12s: %s",
				  f->path, pub->commit_id,
				  repo_git_msg(e, sizeof(e)));
			return -1;
		}
	}
	return 0;
}

void repo_snapshot_free(struct repo_snapshot *pub)
{
	struct snapshot *s = repo_snap(pub);

	if (!s)
		return;
	git_odb_free(s->odb);
	git_repository_free(s->repo);
	if (s->git_initialised)
		git_libgit2_shutdown();
	if (s->root_fd >= 0)
		close(s->root_fd);
	free(s->pub.files);
	arena_release(&s->arena);
	free(s->root);
	free(s->repo_prefix);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

/* ---- queries ---- */

const struct repo_file *repo_snapshot_find(const struct repo_snapshot *s,
					   const char *path)
{
	size_t lo = 0, hi = s->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->files[mid].path, path);
		if (!c)
			return &s->files[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

size_t repo_snapshot_prefix(const struct repo_snapshot *s, const char *prefix,
			    const struct repo_file **first)
{
	size_t plen = strlen(prefix), lo = 0, hi = s->count, start;

	/* The first path not below `prefix` in strcmp order ... */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(s->files[mid].path, prefix) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	start = lo;
	/* ... then the end of the run that starts with it. */
	hi = s->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (!strncmp(s->files[mid].path, prefix, plen))
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo > start ? &s->files[start] : NULL;
	return lo - start;
}

/* Open `path` below the root without following any link on the way. */
static int open_beneath(int root_fd, const char *path)
{
	char *copy = xstrdup(path), *comp = copy, *slash;
	int fd = root_fd, next;

	while ((slash = strchr(comp, '/'))) {
		*slash = '\0';
		next = openat(fd, comp,
			      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd != root_fd)
			close(fd);
		if (next < 0) {
			free(copy);
			return -1;
		}
		fd = next;
		comp = slash + 1;
	}
	next = openat(fd, comp, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd != root_fd) {
		int saved = errno;
		close(fd);
		errno = saved;
	}
	free(copy);
	return next;
}

static int read_worktree(const struct snapshot *s, const struct repo_file *f,
			 struct buf *out, struct diag *d)
{
	char e[256];
	struct stat st;
	int fd = open_beneath(s->root_fd, f->path);

	if (fd < 0) {
		diag_fail(d, NULL, 0, 0, "cannot read '%s': %s", f->path,
			  errno == ELOOP ? "it became a symbolic link"
					 : errstr(errno, e, sizeof(e)));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		diag_fail(d, NULL, 0, 0, "cannot read '%s': not a regular file",
			  f->path);
		close(fd);
		return -1;
	}
	buf_reset(out);
	if (buf_read_fd(out, fd) < 0) {
		diag_fail(d, NULL, 0, 0, "cannot read '%s': %s", f->path,
			  errstr(errno, e, sizeof(e)));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* The blob of `f` from `repo`: the snapshot's own handle, under `lock`,
 * or a reader's (repo_reader_open()), with `lock` NULL. */
static int read_blob(struct snapshot *s, git_repository *repo,
		     pthread_mutex_t *lock, const struct repo_file *f,
		     struct buf *out, struct diag *d)
{
	char e[256];
	git_blob *blob = NULL;
	git_oid oid;
	int rc = -1;

	if (lock)
		pthread_mutex_lock(lock);
	if (git_oid_fromstr(&oid, f->oid) < 0 ||
	    git_blob_lookup(&blob, repo, &oid) < 0) {
		diag_fail(d, NULL, 0, 0, "cannot read '%s' in commit %s: %s",
			  f->path, s->pub.commit_id, repo_git_msg(e, sizeof(e)));
		goto cleanup;
	}
	git_object_size_t size = git_blob_rawsize(blob);
	if (size > (git_object_size_t)(SIZE_MAX / 2)) {
		diag_fail(d, NULL, 0, 0, "cannot read '%s': file too large",
			  f->path);
		goto cleanup;
	}
	buf_reset(out);
	buf_add(out, git_blob_rawcontent(blob), (size_t)size);
	rc = 0;

cleanup:
	git_blob_free(blob);
	if (lock)
		pthread_mutex_unlock(lock);
	return rc;
}

static int read_file(struct snapshot *s, git_repository *repo,
		     const struct repo_file *f, struct buf *out,
		     struct diag *d)
{
	if (f->is_symlink) {
		diag_fail(d, NULL, 0, 0,
			  "cannot read '%s': it is a symbolic link (showcase does not follow links; commit the file itself)",
			  f->path);
		return -1;
	}
	if (s->pub.worktree)
		return read_worktree(s, f, out, d);
	return repo ? read_blob(s, repo, NULL, f, out, d)
		    : read_blob(s, s->repo, &s->lock, f, out, d);
}

int repo_snapshot_read(const struct repo_snapshot *pub,
		       const struct repo_file *f, struct buf *out,
		       struct diag *d)
{
	return read_file(repo_snap(pub), NULL, f, out, d);
}

struct repo_reader {
	struct snapshot *s;
	git_repository *repo; /* its own handle; NULL: the snapshot's */
};

struct repo_reader *repo_reader_open(const struct repo_snapshot *pub)
{
	struct repo_reader *rd = xcalloc(1, sizeof(*rd));
	struct snapshot *s = repo_snap(pub);

	rd->s = s;
	/* Another handle on the same object database; when it cannot be
	 * had, reads share the snapshot's, one at a time. */
	if (!pub->worktree && s->repo &&
	    git_repository_open_ext(&rd->repo, git_repository_path(s->repo),
				    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		rd->repo = NULL;
	return rd;
}

int repo_reader_read(struct repo_reader *rd, const struct repo_file *f,
		     struct buf *out, struct diag *d)
{
	return read_file(rd->s, rd->repo, f, out, d);
}

void repo_reader_close(struct repo_reader *rd)
{
	if (!rd)
		return;
	git_repository_free(rd->repo);
	free(rd);
}

struct git_repository *repo_snapshot_repository(const struct repo_snapshot *s)
{
	return repo_snap(s)->repo;
}

const char *repo_snapshot_repo_prefix(const struct repo_snapshot *s)
{
	return repo_snap(s)->repo_prefix;
}
