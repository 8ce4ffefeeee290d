/*
 * repo_history: when each file of a snapshot was published and last
 * updated, and who wrote it, from one pass over the snapshot's commits (the
 * rules are in repo.h).
 *
 * Three steps. Discover: every commit reachable from the start, breadth
 * first, each parsed once for its committer time, its author (through the
 * .mailmap) and the id of its prefix folder's tree. Order: children before
 * parents and, among the commits whose children are all placed, the newest
 * first (Kahn's algorithm with a heap): what libgit2's revwalk gives with
 * GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME, done here because libgit2 1.5's
 * revwalk fails outright on the missing parents of a shallow clone.
 * Compare: oldest first, each commit's prefix tree with its parents',
 * descending only into subtrees whose id differs from the same subtree in
 * every parent. A commit that leaves the folder as one of its parents had
 * it costs one id comparison; one that edits a record reads the trees on
 * the record's path and nothing else. Entries of a folder and its parents'
 * are matched in one merge pass (both are sorted), and the trees a commit
 * read are kept for the next one, whose parent it usually is: what remains
 * is inflating each new version of a folder once, as `git log` does.
 *
 * Every libgit2 call runs under the snapshot's lock (see repo_internal.h).
 */
#include "repo.h"
#include "repo_internal.h"

#include "alloc.h"
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "strmap.h"

#include <git2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NO_AUTHOR ((size_t)-1)

struct hcommit {
	git_oid oid;
	long long time;      /* committer time */
	size_t author;       /* index into walk.names, or NO_AUTHOR */
	size_t first_parent; /* parents: walk.edges[first_parent..+nparents] */
	size_t nparents;
	size_t children;     /* while ordering: children not yet placed */
	git_oid tree;        /* the prefix folder's tree, when has_tree */
	int has_tree;
	int missing;         /* beyond the edge of a shallow clone */
};

/* A file of the snapshot being dated. */
struct hfile {
	const char *path;
	long long published, updated;
	size_t *authors;     /* indexes into walk.names, first contribution first */
	size_t nauthors, cap;
	int changed;         /* some commit changed it */
};

/* A tree kept from one commit to the next (see get_tree). */
struct tree_slot {
	char hex[GIT_OID_HEXSZ + 1]; /* its id: the key in walk.tree_ids */
	git_tree *tree;
	size_t generation;   /* the last commit that used it */
};

struct repo_history {
	struct arena arena;   /* paths, names, author arrays */
	struct strmap by_path; /* path -> struct repo_file_history */
	size_t commits;
};

struct walk {
	struct snapshot *s;
	struct diag *d;
	const char *rev;      /* the start, for messages */
	const char *prefix;   /* of the site paths, e.g. "content/" */
	char *folder;         /* the prefix folder in the repository's tree,
			       * e.g. "sites/demo/content"; "" for the top */
	git_mailmap *mailmap;
	struct arena keys;    /* commit ids and names, for the maps */
	struct hcommit *commits;
	size_t ncommits, commits_cap;
	size_t *edges;
	size_t nedges, edges_cap;
	struct strmap by_oid;  /* hex id -> commit index + 1 */
	const char **names;
	size_t nnames, names_cap;
	struct strmap by_name; /* author name -> index + 1 */
	struct hfile *files;
	size_t nfiles;
	struct strmap by_path; /* site path -> struct hfile */
	struct buf path;
	struct tree_slot **trees; /* the trees the last commits compared */
	size_t ntrees, trees_cap, generation;
	struct strmap tree_ids;  /* hex id -> struct tree_slot */
	int shallow;          /* a parent was missing */
};

static int fail(struct walk *w, const char *what, const git_oid *oid)
{
	char e[256], hex[GIT_OID_HEXSZ + 1] = "";

	if (oid)
		git_oid_tostr(hex, sizeof(hex), oid);
	diag_fail(w->d, NULL, 0, 0,
		  "cannot read the history of revision '%s': %s%s%s: %s", w->rev,
		  what, oid ? " " : "", hex, repo_git_msg(e, sizeof(e)));
	return -1;
}

/* ---- discovering the commits ---- */

/* The index of the commit `oid`, appended (unexplored) when new. Appending
 * moves w->commits: hold indexes, not pointers, across calls. */
static size_t commit_index(struct walk *w, const git_oid *oid)
{
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;
	void *v;

	git_oid_tostr(hex, sizeof(hex), oid);
	if ((v = strmap_get(&w->by_oid, hex)))
		return (size_t)(uintptr_t)v - 1;
	if (w->ncommits == w->commits_cap) {
		w->commits_cap = w->commits_cap ? st_mult(w->commits_cap, 2) : 64;
		w->commits = xrealloc(w->commits,
				      st_mult(w->commits_cap, sizeof(*w->commits)));
	}
	i = w->ncommits++;
	memset(&w->commits[i], 0, sizeof(w->commits[i]));
	git_oid_cpy(&w->commits[i].oid, oid);
	w->commits[i].author = NO_AUTHOR;
	strmap_put(&w->by_oid, arena_strdup(&w->keys, hex), (void *)(uintptr_t)(i + 1));
	return i;
}

static size_t author_index(struct walk *w, const git_signature *sig)
{
	const char *name = sig ? sig->name : NULL, *email = sig ? sig->email : NULL;
	void *v;

	/* An unparsable .mailmap line just maps nothing; keep the name. */
	if (sig && w->mailmap &&
	    git_mailmap_resolve(&name, &email, w->mailmap, sig->name, sig->email) < 0)
		name = sig->name;
	if (!name || !*name)
		return NO_AUTHOR;
	if ((v = strmap_get(&w->by_name, name)))
		return (size_t)(uintptr_t)v - 1;
	if (w->nnames == w->names_cap) {
		w->names_cap = w->names_cap ? st_mult(w->names_cap, 2) : 16;
		w->names = xrealloc(w->names, st_mult(w->names_cap, sizeof(*w->names)));
	}
	w->names[w->nnames] = arena_strdup(&w->keys, name);
	strmap_put(&w->by_name, w->names[w->nnames], (void *)(uintptr_t)(w->nnames + 1));
	return w->nnames++;
}

/* The id of the prefix folder's tree in `commit`, if it has that folder. */
static int folder_tree(struct walk *w, git_commit *commit, git_oid *out,
		       int *has)
{
	git_tree *root = NULL;
	git_tree_entry *e = NULL;
	int err, rc = -1;

	*has = 0;
	if (git_commit_tree(&root, commit) < 0)
		return fail(w, "tree of commit", git_commit_id(commit));
	if (!*w->folder) {
		git_oid_cpy(out, git_tree_id(root));
		*has = 1;
	} else if ((err = git_tree_entry_bypath(&e, root, w->folder)) == 0) {
		if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
			git_oid_cpy(out, git_tree_entry_id(e));
			*has = 1;
		}
	} else if (err != GIT_ENOTFOUND) {
		fail(w, "tree of commit", git_commit_id(commit));
		goto cleanup;
	}
	rc = 0;

cleanup:
	git_tree_entry_free(e);
	git_tree_free(root);
	return rc;
}

static void add_edge(struct walk *w, size_t parent)
{
	if (w->nedges == w->edges_cap) {
		w->edges_cap = w->edges_cap ? st_mult(w->edges_cap, 2) : 64;
		w->edges = xrealloc(w->edges, st_mult(w->edges_cap, sizeof(*w->edges)));
	}
	w->edges[w->nedges++] = parent;
}

/* Parse commit `i` and append its parents. */
static int explore(struct walk *w, size_t i)
{
	git_commit *commit = NULL;
	git_oid tree;
	size_t author, n;
	int err, has, rc = -1;

	err = git_commit_lookup(&commit, w->s->repo, &w->commits[i].oid);
	if (err == GIT_ENOTFOUND && i > 0 &&
	    git_repository_is_shallow(w->s->repo) == 1) {
		/* The edge of a shallow clone: its children become roots. */
		w->commits[i].missing = 1;
		w->shallow = 1;
		return 0;
	}
	if (err < 0)
		return fail(w, "commit", &w->commits[i].oid);
	author = author_index(w, git_commit_author(commit));
	if (folder_tree(w, commit, &tree, &has) < 0)
		goto cleanup;
	n = git_commit_parentcount(commit);
	w->commits[i].time = (long long)git_commit_time(commit);
	w->commits[i].author = author;
	w->commits[i].tree = tree;
	w->commits[i].has_tree = has;
	w->commits[i].first_parent = w->nedges;
	w->commits[i].nparents = n;
	for (size_t k = 0; k < n; k++)
		add_edge(w, commit_index(w, git_commit_parent_id(commit, (unsigned)k)));
	rc = 0;

cleanup:
	git_commit_free(commit);
	return rc;
}

/* The .mailmap at the top of the start commit, so that one person's
 * commits under several names count once, as `git shortlog` does. */
static void load_mailmap(struct walk *w, git_commit *start)
{
	git_tree *root = NULL;
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;

	if (git_commit_tree(&root, start) == 0 &&
	    git_tree_entry_bypath(&e, root, ".mailmap") == 0 &&
	    git_tree_entry_filemode(e) != GIT_FILEMODE_LINK &&
	    git_blob_lookup(&blob, w->s->repo, git_tree_entry_id(e)) == 0 &&
	    git_mailmap_from_buffer(&w->mailmap, git_blob_rawcontent(blob),
				    (size_t)git_blob_rawsize(blob)) < 0)
		w->mailmap = NULL;
	git_error_clear(); /* no .mailmap is the usual case */
	git_blob_free(blob);
	git_tree_entry_free(e);
	git_tree_free(root);
}

/* ---- ordering them ---- */

/* Heap order: newer first; equal times by discovery order, so the result
 * does not depend on anything but the commits. */
static int heap_before(const struct walk *w, size_t a, size_t b)
{
	const struct hcommit *x = &w->commits[a], *y = &w->commits[b];
	if (x->time != y->time)
		return x->time > y->time;
	return a < b;
}

static void heap_push(const struct walk *w, size_t *heap, size_t *n, size_t c)
{
	size_t i = (*n)++;
	heap[i] = c;
	while (i && heap_before(w, heap[i], heap[(i - 1) / 2])) {
		size_t p = (i - 1) / 2, t = heap[p];
		heap[p] = heap[i];
		heap[i] = t;
		i = p;
	}
}

static size_t heap_pop(const struct walk *w, size_t *heap, size_t *n)
{
	size_t top = heap[0], i = 0;

	heap[0] = heap[--*n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i, t;
		if (l < *n && heap_before(w, heap[l], heap[m]))
			m = l;
		if (r < *n && heap_before(w, heap[r], heap[m]))
			m = r;
		if (m == i)
			break;
		t = heap[m];
		heap[m] = heap[i];
		heap[i] = t;
		i = m;
	}
	return top;
}

/* The commits present, children first (the start is the only commit
 * without children); returns how many were stored in `order`. */
static size_t order_commits(struct walk *w, size_t *order)
{
	size_t *heap = xmalloc(st_mult(w->ncommits, sizeof(*heap)));
	size_t nheap = 0, n = 0;

	for (size_t i = 0; i < w->ncommits; i++)
		for (size_t k = 0; k < w->commits[i].nparents; k++)
			w->commits[w->edges[w->commits[i].first_parent + k]].children++;
	heap_push(w, heap, &nheap, 0);
	while (nheap) {
		size_t c = heap_pop(w, heap, &nheap);
		order[n++] = c;
		for (size_t k = 0; k < w->commits[c].nparents; k++) {
			size_t p = w->edges[w->commits[c].first_parent + k];
			if (!--w->commits[p].children && !w->commits[p].missing)
				heap_push(w, heap, &nheap, p);
		}
	}
	free(heap);
	return n;
}

/* ---- comparing trees ---- */

/*
 * The tree `oid`, owned by the cache. Commits are compared oldest first, so
 * a commit's parent was usually compared just before it, and its trees are
 * the ones the parent's comparison read: keeping them saves inflating and
 * parsing every large folder twice (libgit2 caches no tree above 4 KB, and
 * a folder of 5,000 records is about 250 KB). The cache holds only what the
 * last commit used (sweep_trees), so memory stays bounded by what one
 * commit reads.
 */
static int get_tree(struct walk *w, const git_oid *oid, git_tree **out)
{
	char hex[GIT_OID_HEXSZ + 1];
	struct tree_slot *t;

	git_oid_tostr(hex, sizeof(hex), oid);
	if ((t = strmap_get(&w->tree_ids, hex))) {
		t->generation = w->generation;
		*out = t->tree;
		return 0;
	}
	if (git_tree_lookup(out, w->s->repo, oid) < 0)
		return fail(w, "tree", oid);
	if (w->ntrees == w->trees_cap) {
		w->trees_cap = w->trees_cap ? st_mult(w->trees_cap, 2) : 16;
		w->trees = xrealloc(w->trees, st_mult(w->trees_cap, sizeof(*w->trees)));
	}
	t = xmalloc(sizeof(*t));
	memcpy(t->hex, hex, sizeof(hex));
	t->tree = *out;
	t->generation = w->generation;
	w->trees[w->ntrees++] = t;
	strmap_put(&w->tree_ids, t->hex, t);
	return 0;
}

/* Free the trees the commit just compared did not use (all of them when
 * `all`). strmap cannot delete, so the index is rebuilt from what is kept:
 * no more than the commit itself read. */
static void sweep_trees(struct walk *w, int all)
{
	size_t kept = 0;

	strmap_release(&w->tree_ids);
	for (size_t i = 0; i < w->ntrees; i++) {
		struct tree_slot *t = w->trees[i];
		if (!all && t->generation == w->generation) {
			w->trees[kept++] = t;
			strmap_put(&w->tree_ids, t->hex, t);
		} else {
			git_tree_free(t->tree);
			free(t);
		}
	}
	w->ntrees = kept;
}

static void record_change(struct walk *w, const struct hcommit *c)
{
	struct hfile *f = strmap_get(&w->by_path, w->path.ptr);

	if (!f)
		return; /* not in the snapshot, or outside the prefix */
	if (!f->changed)
		f->published = c->time; /* the first change adds the file */
	f->changed = 1;
	f->updated = c->time;
	if (c->author == NO_AUTHOR)
		return;
	for (size_t i = 0; i < f->nauthors; i++)
		if (f->authors[i] == c->author)
			return;
	if (f->nauthors == f->cap) {
		f->cap = f->cap ? st_mult(f->cap, 2) : 2;
		f->authors = xrealloc(f->authors, st_mult(f->cap, sizeof(*f->authors)));
	}
	f->authors[f->nauthors++] = c->author;
}

static int compare_trees(struct walk *w, const struct hcommit *c,
			 git_tree *tree, git_tree **parents, size_t np,
			 int depth);

/* Descend into the subtree `e` of the commit, whose counterparts in the
 * parents are `pe` (NULL where a parent has no such subtree). */
static int compare_subtree(struct walk *w, const struct hcommit *c,
			   const git_tree_entry *e, const git_tree_entry **pe,
			   size_t np, int depth)
{
	git_tree *tree, **subs = xcalloc(np ? np : 1, sizeof(*subs));
	int rc = -1;

	if (get_tree(w, git_tree_entry_id(e), &tree) < 0)
		goto cleanup;
	for (size_t k = 0; k < np; k++)
		if (pe[k] && get_tree(w, git_tree_entry_id(pe[k]), &subs[k]) < 0)
			goto cleanup;
	rc = compare_trees(w, c, tree, subs, np, depth);

cleanup:
	free(subs);
	return rc;
}

/*
 * The entry of `t` that has the name (and kind) of `e`, or NULL, for
 * entries `e` given in order: *pos, where the search resumes, only moves
 * forward. Both trees are sorted the way git sorts them (a folder as if its
 * name ended in '/', which git_tree_entry_cmp follows), so matching a whole
 * folder against its parent's is one merge pass, not a search per entry.
 */
static const git_tree_entry *next_match(const git_tree *t, size_t *pos,
					const git_tree_entry *e)
{
	size_t n = git_tree_entrycount(t);

	while (*pos < n) {
		const git_tree_entry *p = git_tree_entry_byindex(t, *pos);
		int cmp = git_tree_entry_cmp(p, e);
		if (cmp > 0)
			return NULL; /* past it: `t` has no such entry */
		++*pos;
		if (!cmp)
			return p;
	}
	return NULL;
}

/* Record the blobs of `tree` (at w->path) that differ from the same path in
 * every parent tree (NULL: the parent has no such folder). */
static int compare_trees(struct walk *w, const struct hcommit *c,
			 git_tree *tree, git_tree **parents, size_t np,
			 int depth)
{
	const git_tree_entry **pe = xcalloc(np ? np : 1, sizeof(*pe));
	size_t *pos = xcalloc(np ? np : 1, sizeof(*pos));
	size_t n = git_tree_entrycount(tree), mark = w->path.len;
	int rc = 0;

	for (size_t i = 0; i < n && !rc; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		git_object_t type = git_tree_entry_type(e);
		int same = 0;

		/* Every parent's position must pass `e`, even when an
		 * earlier parent already matched it. */
		for (size_t k = 0; k < np; k++) {
			pe[k] = parents[k] ? next_match(parents[k], &pos[k], e) : NULL;
			if (pe[k] && git_tree_entry_type(pe[k]) != type)
				pe[k] = NULL; /* a file became a submodule or back */
			same |= pe[k] && git_oid_equal(git_tree_entry_id(pe[k]),
						       git_tree_entry_id(e));
		}
		if (type != GIT_OBJECT_BLOB && type != GIT_OBJECT_TREE)
			continue; /* a submodule: not part of the site */
		if (same)
			continue;
		buf_puts(&w->path, git_tree_entry_name(e));
		if (type == GIT_OBJECT_BLOB) {
			record_change(w, c);
		} else if (depth + 1 < REPO_MAX_DEPTH) {
			/* Deeper folders cannot hold snapshot files. */
			buf_putc(&w->path, '/');
			rc = compare_subtree(w, c, e, pe, np, depth + 1);
		}
		buf_truncate(&w->path, mark);
	}
	free(pos);
	free(pe);
	return rc;
}

/* Record what commit `ci` changed below the prefix folder. */
static int compare_commit(struct walk *w, size_t ci)
{
	const struct hcommit *c = &w->commits[ci];
	size_t np = c->nparents;
	git_tree *tree, **parents;
	int rc = -1;

	if (!c->has_tree)
		return 0; /* no folder: nothing added or changed in it */
	for (size_t k = 0; k < np; k++) {
		const struct hcommit *p = &w->commits[w->edges[c->first_parent + k]];
		if (!p->missing && p->has_tree && git_oid_equal(&p->tree, &c->tree))
			return 0; /* the folder as a parent had it */
	}
	parents = xcalloc(np ? np : 1, sizeof(*parents));
	w->generation++;
	if (get_tree(w, &c->tree, &tree) < 0)
		goto cleanup;
	for (size_t k = 0; k < np; k++) {
		const struct hcommit *p = &w->commits[w->edges[c->first_parent + k]];
		if (!p->missing && p->has_tree && get_tree(w, &p->tree, &parents[k]) < 0)
			goto cleanup;
	}
	buf_reset(&w->path);
	buf_puts(&w->path, w->prefix);
	rc = compare_trees(w, c, tree, parents, np, 0);
	sweep_trees(w, 0);

cleanup:
	free(parents);
	return rc;
}

/* ---- the files to date ---- */

/*
 * The snapshot's files under the prefix; in worktree mode only those that
 * `start` (HEAD) holds, so that a new file is not dated by an old one
 * deleted from the same path.
 */
static int collect_files(struct walk *w, git_commit *start)
{
	const struct repo_file *first;
	size_t n = repo_snapshot_prefix(&w->s->pub, w->prefix, &first);
	git_tree *root = NULL, *dir_tree = NULL;
	struct buf full = BUF_INIT, dir = BUF_INIT;
	int rc = -1, missing_dir = 0;

	w->files = xcalloc(n ? n : 1, sizeof(*w->files));
	if (w->s->pub.worktree && git_commit_tree(&root, start) < 0) {
		fail(w, "tree of commit", git_commit_id(start));
		goto cleanup;
	}
	for (size_t i = 0; i < n; i++) {
		if (root) {
			const git_tree_entry *e = NULL;
			const char *slash = strrchr(first[i].path, '/');
			size_t dlen = slash ? (size_t)(slash - first[i].path) : 0;
			/* The folder's tree once per folder (the paths are
			 * sorted): git_tree_entry_bypath() would read every
			 * tree on the path again for each file, and libgit2
			 * does not cache trees over 4 KB, so 10,000 records
			 * in one folder took 20 s of inflating. */
			if (!dir_tree || dir.len != dlen ||
			    memcmp(dir.ptr, first[i].path, dlen)) {
				git_tree_entry *te = NULL;
				int err;
				git_tree_free(dir_tree);
				dir_tree = NULL;
				buf_reset(&dir);
				buf_add(&dir, first[i].path, dlen);
				buf_reset(&full);
				buf_puts(&full, w->s->repo_prefix);
				buf_add(&full, first[i].path, dlen);
				while (full.len && full.ptr[full.len - 1] == '/')
					buf_truncate(&full, full.len - 1);
				err = full.len ? git_tree_entry_bypath(&te, root, full.ptr)
					       : GIT_ENOTFOUND;
				if (!full.len)
					err = git_tree_dup(&dir_tree, root);
				else if (!err && git_tree_entry_type(te) == GIT_OBJECT_TREE)
					err = git_tree_lookup(&dir_tree, git_tree_owner(root),
							      git_tree_entry_id(te));
				git_tree_entry_free(te);
				if (err < 0 && err != GIT_ENOTFOUND) {
					fail(w, "tree of commit", git_commit_id(start));
					goto cleanup;
				}
				if (!dir_tree) {
					/* Not committed: keep the folder, no tree. */
					if (git_tree_dup(&dir_tree, root) < 0) {
						fail(w, "tree of commit", git_commit_id(start));
						goto cleanup;
					}
					missing_dir = 1;
				} else {
					missing_dir = 0;
				}
			}
			if (!missing_dir)
				e = git_tree_entry_byname(dir_tree, slash ? slash + 1
								   : first[i].path);
			if (!e || git_tree_entry_type(e) != GIT_OBJECT_BLOB)
				continue;
		}
		w->files[w->nfiles].path = first[i].path;
		strmap_put(&w->by_path, first[i].path, &w->files[w->nfiles]);
		w->nfiles++;
	}
	git_error_clear();
	rc = 0;

cleanup:
	git_tree_free(dir_tree);
	git_tree_free(root);
	buf_release(&full);
	buf_release(&dir);
	return rc;
}

/* ---- the result ---- */

static struct repo_history *new_history(void)
{
	struct repo_history *h = xcalloc(1, sizeof(*h));
	arena_init(&h->arena);
	return h;
}

/* Copy what the walk found into `h`, which outlives the walk. */
static void store(struct walk *w, struct repo_history *h)
{
	const char **names = xcalloc(w->nnames ? w->nnames : 1, sizeof(*names));

	for (size_t i = 0; i < w->nfiles; i++) {
		const struct hfile *f = &w->files[i];
		struct repo_file_history *r;
		const char **authors;

		if (!f->changed)
			continue;
		r = arena_calloc(&h->arena, 1, sizeof(*r));
		authors = arena_calloc(&h->arena, f->nauthors ? f->nauthors : 1,
				       sizeof(*authors));
		for (size_t k = 0; k < f->nauthors; k++) {
			size_t a = f->authors[k];
			if (!names[a])
				names[a] = arena_strdup(&h->arena, w->names[a]);
			authors[k] = names[a];
		}
		r->path = arena_strdup(&h->arena, f->path);
		r->published = f->published;
		r->updated = f->updated;
		r->authors = authors;
		r->nauthors = f->nauthors;
		strmap_put(&h->by_path, r->path, r);
	}
	free(names);
}

/* The commit to start from: the snapshot's, or HEAD in worktree mode.
 * Sets *start to NULL when there is no history to read. */
static int find_start(struct walk *w, git_commit **start)
{
	struct snapshot *s = w->s;
	git_oid oid;
	int err;

	*start = NULL;
	if (!s->repo || (s->pub.worktree && !s->in_workdir))
		return 0; /* outside a repository, or not its work tree */
	if (!s->pub.worktree && !s->pub.commit_id[0])
		return 0; /* the index before the first commit (REPO_INDEX) */
	if (s->pub.worktree) {
		err = git_reference_name_to_id(&oid, s->repo, "HEAD");
		if (err == GIT_ENOTFOUND || err == GIT_EUNBORNBRANCH) {
			git_error_clear();
			return 0; /* no commit yet */
		}
		if (err < 0)
			return fail(w, "HEAD", NULL);
	} else if (git_oid_fromstr(&oid, s->pub.commit_id) < 0) {
		return fail(w, "commit id", NULL);
	}
	if (git_commit_lookup(start, s->repo, &oid) < 0)
		return fail(w, "commit", &oid);
	return 0;
}

int repo_history_load(struct repo_history **out, const struct repo_snapshot *pub,
		      const char *prefix, struct diag *d)
{
	struct snapshot *s = repo_snap(pub);
	struct walk w;
	struct repo_history *h = new_history();
	git_commit *start = NULL;
	size_t *order = NULL, n;
	struct buf folder = BUF_INIT;
	int rc = -1;

	if (*prefix && prefix[strlen(prefix) - 1] != '/')
		BUG("history prefix '%s' does not end with '/'", prefix);
	*out = NULL;
	memset(&w, 0, sizeof(w));
	w.s = s;
	w.d = d;
	w.rev = pub->worktree ? "HEAD" : pub->commit_id;
	w.prefix = prefix;
	arena_init(&w.keys);
	buf_puts(&folder, s->repo_prefix);
	buf_puts(&folder, prefix);
	if (folder.len)
		buf_truncate(&folder, folder.len - 1); /* the final '/' */
	w.folder = folder.ptr;

	pthread_mutex_lock(&s->lock);
	if (find_start(&w, &start) < 0)
		goto cleanup;
	if (!start) {
		rc = 0; /* no history: every file undated */
		goto cleanup;
	}
	if (collect_files(&w, start) < 0)
		goto cleanup;
	load_mailmap(&w, start);

	commit_index(&w, git_commit_id(start));
	for (size_t i = 0; i < w.ncommits; i++)
		if (explore(&w, i) < 0)
			goto cleanup;
	order = xmalloc(st_mult(w.ncommits, sizeof(*order)));
	n = order_commits(&w, order);
	/* Oldest first: the first change of a file adds it, the last one
	 * updates it, and authors come in order of their first change. */
	for (size_t i = n; i-- > 0;)
		if (compare_commit(&w, order[i]) < 0)
			goto cleanup;
	if (w.shallow)
		diag_warning(d, NULL, 0, 0,
			     "the repository is a shallow clone: published dates "
			     "and contributors start at its oldest commit (fetch "
			     "the whole history with 'git fetch --unshallow')");
	h->commits = n;
	store(&w, h);
	rc = 0;

cleanup:
	sweep_trees(&w, 1);
	free(w.trees);
	strmap_release(&w.tree_ids);
	git_commit_free(start);
	git_mailmap_free(w.mailmap);
	pthread_mutex_unlock(&s->lock);
	for (size_t i = 0; i < w.nfiles; i++)
		free(w.files[i].authors);
	free(w.files);
	free(order);
	free(w.commits);
	free(w.edges);
	free(w.names);
	strmap_release(&w.by_oid);
	strmap_release(&w.by_name);
	strmap_release(&w.by_path);
	arena_release(&w.keys);
	buf_release(&w.path);
	buf_release(&folder);
	if (rc < 0) {
		repo_history_free(h);
		return -1;
	}
	*out = h;
	return 0;
}

const struct repo_file_history *repo_history_find(const struct repo_history *h,
						  const char *path)
{
	return strmap_get(&h->by_path, path);
}

size_t repo_history_commits(const struct repo_history *h)
{
	return h->commits;
}

void repo_history_free(struct repo_history *h)
{
	if (!h)
		return;
	strmap_release(&h->by_path);
	arena_release(&h->arena);
	free(h);
}
