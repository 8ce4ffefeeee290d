/*
 * repo_internal: what the two files of the repo module share (repo.c takes
 * snapshots, repo_history.c walks their history); nothing outside the
 * module includes it. See repo.h for the public API.
 */
#ifndef SHOWCASE_REPO_INTERNAL_H
#define SHOWCASE_REPO_INTERNAL_H

#include "arena.h"
#include "repo.h"

#include <git2.h>
#include <pthread.h>
#include <stddef.h>

/* The public snapshot plus what only this module sees; `pub` comes first so
 * that a struct repo_snapshot pointer converts back. */
struct snapshot {
	struct repo_snapshot pub;
	size_t cap;
	struct arena arena;  /* file paths */
	char *root;          /* realpath of the site root */
	char *repo_prefix;   /* "" or "sub/dir/" */
	int in_workdir;      /* the root lies inside the repository's work tree */
	int root_fd;         /* worktree mode: the site root, for reads */
	git_repository *repo;
	git_odb *odb;        /* commit mode */
	/* Serialises every libgit2 call made after the snapshot is open
	 * (repo_snapshot_read, repo_history_load): one repository handle is
	 * not safe to use from several threads at once. */
	pthread_mutex_t lock;
	int git_initialised;
};

static inline struct snapshot *repo_snap(const struct repo_snapshot *s)
{
	return (struct snapshot *)s;
}

/* libgit2's last message, without the final period some messages carry,
 * formatted into `tmp`. */
const char *repo_git_msg(char *tmp, size_t len);

/* Add a file to the snapshot's list (repo.c). */
void repo_add_file(struct snapshot *s, const char *path, size_t pathlen,
		   const git_oid *oid, size_t size, unsigned mode);

/* List the index's files (repo_index.c): see REPO_INDEX in repo.h. */
int repo_load_index(struct snapshot *s, struct diag *d);

#endif
