/*
 * repo_locate: where the repository of a site lives on disk, so that the
 * write stage can keep the output folder clear of it (see repo.h).
 */
#include "repo.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

/* realpath() of a libgit2 path, which ends in '/'. */
static char *resolved(const char *path)
{
	return path ? realpath(path, NULL) : NULL;
}

int repo_locate(const char *dir, struct repo_location *loc)
{
	git_repository *repo = NULL;
	int rc = -1;

	memset(loc, 0, sizeof(*loc));
	if (git_libgit2_init() < 0)
		return -1;
	/* The same search as repo_snapshot_open(). */
	if (git_repository_open_ext(&repo, dir ? dir : ".", 0,
				    getenv("GIT_CEILING_DIRECTORIES")) == 0) {
		loc->git_dir = resolved(git_repository_path(repo));
		loc->common_dir = resolved(git_repository_commondir(repo));
		loc->work_tree = resolved(git_repository_workdir(repo));
		rc = 0;
	}
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}

void repo_location_release(struct repo_location *loc)
{
	free(loc->git_dir);
	free(loc->common_dir);
	free(loc->work_tree);
	memset(loc, 0, sizeof(*loc));
}
