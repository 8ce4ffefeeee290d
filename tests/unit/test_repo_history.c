/*
 * Tests for repo_history: published and updated dates and authors of a
 * snapshot's files, from throw-away repositories made with the git command
 * (fixed identities and dates): added, modified, unchanged, renamed,
 * deleted-and-added-again files, a merge with a conflict resolved by hand,
 * a change of mode only, a .mailmap, older revisions, a site in a subfolder,
 * worktree mode, a shallow clone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "buf.h"
#include "diag.h"
#include "repo.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char tmproot[4096]; /* realpath of the test's temporary folder */

#define T0 1704067200LL /* 2024-01-01T00:00:00Z */
#define DAY 86400LL

#define tpath(rel) test_path(tmproot, (rel))

/* In `repo`: run `cmd` (may be ""), then commit everything as `name` with
 * committer time `when` and author time `authored`. A merge in progress
 * becomes the merge commit. */
static void commit_as(const char *repo, const char *name, const char *email,
		      long long authored, long long when, const char *cmd)
{
	test_sh("cd '%s' && %s%s git add -A && "
		"GIT_AUTHOR_NAME='%s' GIT_AUTHOR_EMAIL='%s' "
		"GIT_COMMITTER_NAME='%s' GIT_COMMITTER_EMAIL='%s' "
		"GIT_AUTHOR_DATE='%lld +0000' GIT_COMMITTER_DATE='%lld +0000' "
		"git commit -q -m 'change by %s'",
		tpath(repo), cmd, *cmd ? " &&" : "", name, email, name, email,
		authored, when, name);
}

/*
 * The repository "hist" (site at the top), on main:
 *   c1 Alice   T0      add a b c d f u .mailmap site.yaml themes/x.txt
 *   c2 Bob     T0+1d   modify a, rename c -> e (as "bob-laptop", mapped
 *                      to Bob by .mailmap; authored an hour earlier)
 *   c3 Carol   T0+2d   delete d, modify themes/x.txt (outside content/)
 *   c4 Dave    T0+3d   on branch feature: modify b and f
 *   c5 Frank   T0+4d   on main: add d again, modify a and f
 *   c6 Erin    T0+5d   merge feature: b as on the branch, f by hand
 *   c7 Alice   T0+6d   make u executable (mode only)
 * Tags v2 (c2) and v5 (c5).
 */
static void make_history(void)
{
	test_sh("mkdir -p '%s' && cd '%s' && git init -q -b main . && "
		"mkdir -p content/cases themes && "
		"for f in a b c d f u; do printf -- '---\\ntitle: %%s\\n---\\n' $f "
		"> content/cases/$f.md; done && "
		"printf 'title: t\\n' > site.yaml && printf 'x\\n' > themes/x.txt && "
		"printf 'Bob <bob@example.org>\\n' > .mailmap",
		tpath("hist"), tpath("hist"));
	commit_as("hist", "Alice", "alice@example.org", T0, T0, "");
	commit_as("hist", "bob-laptop", "bob@example.org", T0 + DAY - 3600,
		  T0 + DAY, "echo a2 >> content/cases/a.md && "
		  "git mv content/cases/c.md content/cases/e.md");
	test_sh("git -C '%s' tag v2", tpath("hist"));
	commit_as("hist", "Carol", "carol@example.org", T0 + 2 * DAY,
		  T0 + 2 * DAY, "git rm -q content/cases/d.md && echo x3 >> themes/x.txt");
	test_sh("git -C '%s' checkout -q -b feature", tpath("hist"));
	commit_as("hist", "Dave", "dave@example.org", T0 + 3 * DAY, T0 + 3 * DAY,
		  "echo b4 >> content/cases/b.md && echo f-dave >> content/cases/f.md");
	test_sh("git -C '%s' checkout -q main", tpath("hist"));
	commit_as("hist", "Frank", "frank@example.org", T0 + 4 * DAY, T0 + 4 * DAY,
		  "printf -- '---\\ntitle: d again\\n---\\n' > content/cases/d.md && "
		  "echo a5 >> content/cases/a.md && echo f-frank >> content/cases/f.md");
	test_sh("git -C '%s' tag v5", tpath("hist"));
	commit_as("hist", "Erin", "erin@example.org", T0 + 5 * DAY, T0 + 5 * DAY,
		  "{ git merge -q feature >/dev/null 2>&1 || true; } && "
		  "printf -- '---\\ntitle: f merged\\n---\\n' > content/cases/f.md");
	commit_as("hist", "Alice", "alice@example.org", T0 + 6 * DAY, T0 + 6 * DAY,
		  "chmod +x content/cases/u.md");
}

static int setup(void **state)
{
	test_git_sandbox("showcase-test-history", tmproot);
	test_sh("git config --global core.fileMode true");
	make_history();
	return 0;
}

static int teardown(void **state)
{
	test_sh("rm -rf '%s'", tmproot);
	return 0;
}

/* Assert the history of `path`: published and updated as day offsets from
 * T0, then the authors (a NULL-terminated list). */
static void expect(const struct repo_history *h, const char *path,
		   long long published_day, long long updated_day, ...)
{
	const struct repo_file_history *f = repo_history_find(h, path);
	const char *name;
	size_t n = 0;
	va_list ap;

	if (!f)
		print_error("no history for '%s'\n", path);
	assert_non_null(f);
	assert_string_equal(f->path, path);
	if (f->published != T0 + published_day * DAY ||
	    f->updated != T0 + updated_day * DAY)
		print_error("'%s': published %lld, updated %lld\n", path,
			    (f->published - T0) / DAY, (f->updated - T0) / DAY);
	assert_int_equal(f->published, T0 + published_day * DAY);
	assert_int_equal(f->updated, T0 + updated_day * DAY);
	va_start(ap, updated_day);
	while ((name = va_arg(ap, const char *))) {
		if (n >= f->nauthors || strcmp(f->authors[n], name))
			print_error("'%s': author %zu is '%s', expected '%s'\n", path,
				    n, n < f->nauthors ? f->authors[n] : "(none)", name);
		assert_true(n < f->nauthors);
		assert_string_equal(f->authors[n], name);
		n++;
	}
	va_end(ap);
	assert_int_equal(f->nauthors, n);
}

/* Open `dir` at `ref` (NULL: HEAD) and load the history of `prefix`. */
static struct repo_history *load(const char *dir, const char *ref, int worktree,
				 const char *prefix, struct repo_snapshot **s,
				 struct diag *d)
{
	struct repo_history *h = NULL;
	assert_int_equal(repo_snapshot_open(s, dir, ref, worktree, NULL, d), 0);
	assert_int_equal(repo_history_load(&h, *s, prefix, d), 0);
	assert_non_null(h);
	return h;
}

static void test_head(void **state)
{
	struct diag d;
	struct repo_snapshot *s;
	struct repo_history *h;

	diag_init(&d);
	h = load(tpath("hist"), NULL, 0, "content/", &s, &d);
	assert_int_equal(repo_history_commits(h), 7);
	/* Modified twice on main, by three people (bob-laptop is Bob). */
	expect(h, "content/cases/a.md", 0, 4, "Alice", "Bob", "Frank", NULL);
	/* Changed on the merged branch: the branch commit counts, the
	 * merge (which took the branch's version) does not. */
	expect(h, "content/cases/b.md", 0, 3, "Alice", "Dave", NULL);
	/* Renamed: added at the rename, by its author; committer time, not
	 * author time. */
	expect(h, "content/cases/e.md", 1, 1, "Bob", NULL);
	/* Deleted and added again: the first date stays; the deletion is
	 * nobody's contribution. */
	expect(h, "content/cases/d.md", 0, 4, "Alice", "Frank", NULL);
	/* A conflict resolved by hand: the merge changed it too. */
	expect(h, "content/cases/f.md", 0, 5, "Alice", "Dave", "Frank", "Erin",
	       NULL);
	/* Unchanged but for its mode. */
	expect(h, "content/cases/u.md", 0, 0, "Alice", NULL);
	/* Outside the prefix, or not in the snapshot. */
	assert_null(repo_history_find(h, "site.yaml"));
	assert_null(repo_history_find(h, "themes/x.txt"));
	assert_null(repo_history_find(h, "content/cases/c.md"));
	assert_null(repo_history_find(h, "content/cases/nosuch.md"));
	assert_int_equal(diag_error_count(&d), 0);
	assert_int_equal(d.warnings, 0);
	repo_history_free(h);
	repo_snapshot_free(s);
	diag_release(&d);
}

static void test_whole_site(void **state)
{
	struct diag d;
	struct repo_snapshot *s;
	struct repo_history *h;

	diag_init(&d);
	h = load(tpath("hist"), NULL, 0, "", &s, &d);
	expect(h, "site.yaml", 0, 0, "Alice", NULL);
	expect(h, "themes/x.txt", 0, 2, "Alice", "Carol", NULL);
	expect(h, ".mailmap", 0, 0, "Alice", NULL);
	expect(h, "content/cases/a.md", 0, 4, "Alice", "Bob", "Frank", NULL);
	repo_history_free(h);
	repo_snapshot_free(s);

	h = load(tpath("hist"), NULL, 0, "themes/", &s, &d);
	expect(h, "themes/x.txt", 0, 2, "Alice", "Carol", NULL);
	assert_null(repo_history_find(h, "content/cases/a.md"));
	repo_history_free(h);
	repo_snapshot_free(s);
	assert_int_equal(diag_error_count(&d), 0);
	diag_release(&d);
}

/* History is a function of the commit: an older revision does not see
 * what came after it. */
static void test_older_revisions(void **state)
{
	struct diag d;
	struct repo_snapshot *s;
	struct repo_history *h;

	diag_init(&d);
	h = load(tpath("hist"), "v5", 0, "content/", &s, &d);
	assert_int_equal(repo_history_commits(h), 4); /* not c4 on feature */
	expect(h, "content/cases/a.md", 0, 4, "Alice", "Bob", "Frank", NULL);
	expect(h, "content/cases/b.md", 0, 0, "Alice", NULL);
	expect(h, "content/cases/f.md", 0, 4, "Alice", "Frank", NULL);
	expect(h, "content/cases/d.md", 0, 4, "Alice", "Frank", NULL);
	repo_history_free(h);
	repo_snapshot_free(s);

	h = load(tpath("hist"), "v2", 0, "content/", &s, &d);
	assert_int_equal(repo_history_commits(h), 2);
	expect(h, "content/cases/a.md", 0, 1, "Alice", "Bob", NULL);
	expect(h, "content/cases/d.md", 0, 0, "Alice", NULL);
	expect(h, "content/cases/e.md", 1, 1, "Bob", NULL);
	assert_null(repo_history_find(h, "content/cases/c.md"));
	repo_history_free(h);
	repo_snapshot_free(s);

	/* The same commit gives the same history, however it is named. */
	h = load(tpath("hist"), "HEAD~1", 0, "content/", &s, &d);
	assert_int_equal(repo_history_commits(h), 6);
	expect(h, "content/cases/f.md", 0, 5, "Alice", "Dave", "Frank", "Erin",
	       NULL);
	expect(h, "content/cases/b.md", 0, 3, "Alice", "Dave", NULL);
	repo_history_free(h);
	repo_snapshot_free(s);
	assert_int_equal(diag_error_count(&d), 0);
	diag_release(&d);
}

/* A site in a subfolder: paths are relative to the site root, and the
 * files at the same relative path elsewhere in the repository do not mix
 * in. Bare clones give the same history. */
static void test_subfolder(void **state)
{
	struct diag d;
	struct repo_snapshot *s;
	struct repo_history *h;

	test_sh("mkdir -p '%s' && cd '%s' && git init -q -b main . && "
		"mkdir -p sites/demo/content content other && "
		"echo s > sites/demo/site.yaml && echo x > sites/demo/content/x.md && "
		"echo top > content/x.md && echo y > other/y.md",
		tpath("mono"), tpath("mono"));
	commit_as("mono", "Alice", "alice@example.org", T0, T0, "");
	commit_as("mono", "Bob", "bob@example.org", T0 + DAY, T0 + DAY,
		  "echo 2 >> content/x.md && echo 2 >> other/y.md");
	commit_as("mono", "Carol", "carol@example.org", T0 + 2 * DAY,
		  T0 + 2 * DAY, "echo 3 >> sites/demo/content/x.md");
	commit_as("mono", "Dave", "dave@example.org", T0 + 3 * DAY,
		  T0 + 3 * DAY, "echo 4 >> content/x.md");

	diag_init(&d);
	h = load(tpath("mono/sites/demo"), NULL, 0, "content/", &s, &d);
	assert_string_equal(repo_snapshot_repo_prefix(s), "sites/demo/");
	expect(h, "content/x.md", 0, 2, "Alice", "Carol", NULL);
	assert_null(repo_history_find(h, "site.yaml"));
	repo_history_free(h);
	repo_snapshot_free(s);

	h = load(tpath("mono/sites/demo"), NULL, 0, "", &s, &d);
	expect(h, "site.yaml", 0, 0, "Alice", NULL);
	expect(h, "content/x.md", 0, 2, "Alice", "Carol", NULL);
	repo_history_free(h);
	repo_snapshot_free(s);

	/* The top of the same repository sees its own content/x.md. */
	h = load(tpath("mono"), NULL, 0, "content/", &s, &d);
	expect(h, "content/x.md", 0, 3, "Alice", "Bob", "Dave", NULL);
	repo_history_free(h);
	repo_snapshot_free(s);

	test_sh("git clone -q --bare '%s' '%s'", tpath("hist"), tpath("hist.git"));
	h = load(tpath("hist.git"), NULL, 0, "content/", &s, &d);
	expect(h, "content/cases/f.md", 0, 5, "Alice", "Dave", "Frank", "Erin",
	       NULL);
	expect(h, "content/cases/a.md", 0, 4, "Alice", "Bob", "Frank", NULL);
	repo_history_free(h);
	repo_snapshot_free(s);
	assert_int_equal(diag_error_count(&d), 0);
	diag_release(&d);
}

/* Worktree mode dates the files HEAD holds from HEAD's history; a new file
 * has no history, even at a path that once had one. */
static void test_worktree(void **state)
{
	struct diag d;
	struct repo_snapshot *s;
	struct repo_history *h;

	test_sh("git clone -q '%s' '%s' && cd '%s' && "
		"echo edited >> content/cases/a.md && echo new > content/cases/n.md && "
		"echo old-path > content/cases/c.md",
		tpath("hist"), tpath("wt"), tpath("wt"));
	diag_init(&d);
	h = load(tpath("wt"), NULL, 1, "content/", &s, &d);
	assert_int_equal(s->worktree, 1);
	assert_int_equal(repo_history_commits(h), 7);
	expect(h, "content/cases/a.md", 0, 4, "Alice", "Bob", "Frank", NULL);
	expect(h, "content/cases/e.md", 1, 1, "Bob", NULL);
	assert_null(repo_history_find(h, "content/cases/n.md"));
	assert_null(repo_history_find(h, "content/cases/c.md"));
	repo_history_free(h);
	repo_snapshot_free(s);

	/* A repository without commits, and a folder outside any. */
	test_sh("mkdir -p '%s/content' && cd '%s' && git init -q . && "
		"echo x > content/x.md", tpath("unborn"), tpath("unborn"));
	test_sh("mkdir -p '%s/content' && echo x > '%s/content/x.md'",
		tpath("plain"), tpath("plain"));
	for (int i = 0; i < 2; i++) {
		h = load(tpath(i ? "plain" : "unborn"), NULL, 1, "content/", &s, &d);
		assert_non_null(repo_snapshot_find(s, "content/x.md"));
		assert_null(repo_history_find(h, "content/x.md"));
		assert_int_equal(repo_history_commits(h), 0);
		repo_history_free(h);
		repo_snapshot_free(s);
	}
	assert_int_equal(diag_error_count(&d), 0);
	assert_int_equal(d.warnings, 0);
	diag_release(&d);
}

/* A shallow clone: the oldest commit fetched adds every file, and a
 * warning says that the history is cut. */
static void test_shallow(void **state)
{
	struct diag d;
	struct repo_snapshot *s;
	struct repo_history *h;

	test_sh("git clone -q --depth 2 'file://%s' '%s'", tpath("hist"),
		tpath("shallow"));
	diag_init(&d);
	h = load(tpath("shallow"), NULL, 0, "content/", &s, &d);
	/* c7 and the merge c6, whose parents are cut. */
	assert_int_equal(repo_history_commits(h), 2);
	expect(h, "content/cases/a.md", 5, 5, "Erin", NULL);
	expect(h, "content/cases/u.md", 5, 5, "Erin", NULL);
	assert_int_equal(diag_error_count(&d), 0);
	assert_int_equal(d.warnings, 1);
	char *msg = test_flush_diag(&d);
	assert_non_null(strstr(msg, "shallow clone"));
	free(msg);
	repo_history_free(h);
	repo_snapshot_free(s);
	diag_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_head),
		cmocka_unit_test(test_whole_site),
		cmocka_unit_test(test_older_revisions),
		cmocka_unit_test(test_subfolder),
		cmocka_unit_test(test_worktree),
		cmocka_unit_test(test_shallow),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
