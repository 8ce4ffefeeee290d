/*
 * repo_index: snapshots of the index, for `showcase check --staged`.
 *
 * A pre-commit hook must judge exactly what `git commit` is about to
 * record, and that is the index, not the work tree (a file may be staged
 * fixed while the copy on disk is still broken) nor HEAD. The index lists
 * every tracked path with the blob `git add` stored, so a snapshot of it is
 * a commit-mode snapshot whose tree comes from the index entries: contents
 * are read from the object database as for a commit (read_blob in repo.c),
 * the history and the commit id are HEAD's (none before the first commit).
 *
 * Inside a hook git may point GIT_INDEX_FILE at another index (`git commit
 * -a` and `git commit FILE` stage into a temporary one): that file is what
 * will be committed, so it wins over the repository's own index, as it does
 * for git. Relative values are taken from the current folder, as git does
 * (hooks run at the top of the work tree).
 *
 * Nothing is written: neither the index nor tree objects (git_index_write_
 * tree would store trees in the object database).
 */
#include "repo.h"
#include "repo_internal.h"

#include "alloc.h"
#include "buf.h"
#include "diag.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

static int open_index(git_index **out, struct snapshot *s, struct diag *d)
{
	const char *env = getenv("GIT_INDEX_FILE");
	char e[256];

	if (env && *env) {
		if (git_index_open(out, env) < 0) {
			diag_fail(d, NULL, 0, 0, "cannot read the index '%s' "
				  "(GIT_INDEX_FILE): %s", env,
				  repo_git_msg(e, sizeof(e)));
			return -1;
		}
		return 0;
	}
	if (git_repository_index(out, s->repo) < 0 || git_index_read(*out, 0) < 0) {
		diag_fail(d, NULL, 0, 0, "cannot read the index of '%s': %s",
			  s->root, repo_git_msg(e, sizeof(e)));
		return -1;
	}
	return 0;
}

/* HEAD's id and time, or nothing before the first commit. */
static int read_head(struct snapshot *s, struct diag *d)
{
	git_object *obj = NULL;
	git_commit *commit = NULL;
	char e[256];
	int err = git_revparse_single(&obj, s->repo, "HEAD^{commit}");

	if (err == GIT_ENOTFOUND || err == GIT_EUNBORNBRANCH ||
	    (err < 0 && git_repository_head_unborn(s->repo) == 1)) {
		git_error_clear();
		return 0;
	}
	if (err < 0) {
		diag_fail(d, NULL, 0, 0, "cannot resolve HEAD: %s",
			  repo_git_msg(e, sizeof(e)));
		return -1;
	}
	commit = (git_commit *)obj;
	git_oid_tostr(s->pub.commit_id, sizeof(s->pub.commit_id),
		      git_commit_id(commit));
	s->pub.commit_time = (long long)git_commit_time(commit);
	git_object_free(obj);
	return 0;
}

int repo_load_index(struct snapshot *s, struct diag *d)
{
	git_index *index = NULL;
	size_t plen = strlen(s->repo_prefix), n;
	char e[256];
	int rc = -1;

	if (!s->in_workdir) {
		diag_fail(d, NULL, 0, 0, "'%s' is not in the work tree of a "
			  "repository: there is no index to check (use --ref)",
			  s->root);
		return -1;
	}
	if (read_head(s, d) < 0 || open_index(&index, s, d) < 0)
		goto cleanup;
	if (git_repository_odb(&s->odb, s->repo) < 0) {
		diag_fail(d, NULL, 0, 0, "cannot read the objects of '%s': %s",
			  s->root, repo_git_msg(e, sizeof(e)));
		goto cleanup;
	}
	n = git_index_entrycount(index);
	for (size_t i = 0; i < n; i++) {
		const git_index_entry *ie = git_index_get_byindex(index, i);
		git_object_t type;
		size_t size;
		unsigned mode;

		if (strncmp(ie->path, s->repo_prefix, plen))
			continue;
		if (git_index_entry_stage(ie) > 0) {
			/* Once per path: its stages 1-3 follow each other. */
			const git_index_entry *prev =
				i ? git_index_get_byindex(index, i - 1) : NULL;
			if (!prev || strcmp(prev->path, ie->path))
				diag_error(d, ie->path + plen, 0, 0,
					   "file has unresolved merge conflicts "
					   "(resolve them and 'git add' it)");
			continue;
		}
		/* Not recorded by a commit until added for real. */
		if (ie->flags_extended & GIT_INDEX_ENTRY_INTENT_TO_ADD)
			continue;
		if (ie->mode == GIT_FILEMODE_COMMIT)
			continue; /* a submodule, as in commit mode */
		if (git_odb_read_header(&size, &type, s->odb, &ie->id) < 0) {
			diag_fail(d, NULL, 0, 0, "cannot read staged file '%s': %s",
				  ie->path, repo_git_msg(e, sizeof(e)));
			goto cleanup;
		}
		if (ie->mode == GIT_FILEMODE_LINK)
			mode = REPO_MODE_LINK;
		else if (ie->mode == GIT_FILEMODE_BLOB_EXECUTABLE)
			mode = REPO_MODE_EXEC;
		else
			mode = REPO_MODE_FILE;
		repo_add_file(s, ie->path + plen, strlen(ie->path + plen),
			      &ie->id, size, mode);
	}
	rc = 0;

cleanup:
	git_index_free(index);
	return rc;
}
