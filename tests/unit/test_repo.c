/*
 * Tests for repo: snapshots of throw-away repositories made with the git
 * command in a temporary folder, in commit mode and worktree mode.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "buf.h"
#include "diag.h"
#include "testutil.h"
#include "repo.h"
#include "repo_internal.h"

#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmproot[4096]; /* realpath of the test's temporary folder */


/* Run a shell command and return its first output line (caller frees). */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static char *sh_out(const char *fmt, ...)
{
	struct buf cmd = BUF_INIT;
	char line[4096] = "";
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	FILE *p = popen(cmd.ptr, "r");
	assert_non_null(p);
	if (!fgets(line, sizeof(line), p))
		line[0] = '\0';
	assert_int_equal(pclose(p), 0);
	buf_release(&cmd);
	line[strcspn(line, "\n")] = '\0';
	return strdup(line);
}

/* A path under the temporary folder (static storage, rotating). */
#define tpath(rel) test_path(tmproot, (rel))

static void write_text(const char *rel, const char *text)
{
	FILE *f = fopen(tpath(rel), "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void commit_all(const char *repo, long long when, const char *msg)
{
	test_sh("cd '%s' && git add -A && GIT_AUTHOR_DATE='%lld +0000' "
	   "GIT_COMMITTER_DATE='%lld +0000' git commit -q -m '%s'",
	   tpath(repo), when, when, msg);
}

/* A repository "name" with a small site, committed once at time 1704067200. */
static void make_site(const char *name)
{
	char rel[512];
	test_sh("mkdir -p '%s' && cd '%s' && git init -q -b main . && "
	   "mkdir -p content/cases/images themes/default",
	   tpath(name), tpath(name));
#define W(path, text) \
	(snprintf(rel, sizeof(rel), "%s/%s", name, path), write_text(rel, text))
	W("site.yaml", "title: v1\n");
	W("content/cases/b.md", "---\ntitle: B\n---\nbody b\n");
	W("content/cases/a.md", "---\ntitle: A\n---\nbody a\n");
	W("content/a-x.md", "x\n");
	W("content/cases/images/pic.bin", "\x01\x02\x03");
	W("themes/default/page.mustache", "<p>{{title}}</p>\n");
#undef W
	commit_all(name, 1704067200, "first");
}

static int setup(void **state)
{
	test_git_sandbox("showcase-test-repo", tmproot);
	return 0;
}

static int teardown(void **state)
{
	test_sh("rm -rf '%s'", tmproot);
	return 0;
}

static void test_commit_files_sorted(void **state)
{
	struct diag d;
	struct repo_snapshot *s;
	struct buf b = BUF_INIT;
	static const char *expect[] = {
		"content/a-x.md",       "content/cases/a.md",
		"content/cases/b.md",   "content/cases/images/pic.bin",
		"site.yaml",            "themes/default/page.mustache",
	};

	make_site("sorted");
	diag_init(&d);
	assert_int_equal(repo_snapshot_open(&s, tpath("sorted"), NULL, 0, NULL, &d), 0);
	assert_int_equal(s->count, 6);
	for (size_t i = 0; i < s->count; i++)
		assert_string_equal(s->files[i].path, expect[i]);
	assert_int_equal(s->worktree, 0);
	assert_string_equal(s->root_display, tpath("sorted"));
	assert_int_equal(s->commit_time, 1704067200);
	char *head = sh_out("git -C '%s' rev-parse HEAD", tpath("sorted"));
	assert_string_equal(s->commit_id, head);
	free(head);

	const struct repo_file *f = repo_snapshot_find(s, "site.yaml");
	assert_non_null(f);
	char *oid = sh_out("git -C '%s' rev-parse HEAD:site.yaml", tpath("sorted"));
	assert_string_equal(f->oid, oid);
	free(oid);
	/* Sizes are read from the blobs' headers only when asked. */
	assert_true(f->size == REPO_SIZE_UNKNOWN);
	assert_int_equal(repo_snapshot_sizes(s, &d), 0);
	assert_int_equal(f->size, 10);
	assert_int_equal(f->mode, REPO_MODE_FILE);
	assert_false(f->is_symlink);
	assert_int_equal(repo_snapshot_read(s, f, &b, &d), 0);
	assert_string_equal(b.ptr, "title: v1\n");

	f = repo_snapshot_find(s, "content/cases/images/pic.bin");
	assert_non_null(f);
	assert_int_equal(f->size, 3);
	assert_int_equal(repo_snapshot_read(s, f, &b, &d), 0);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.ptr, "\x01\x02\x03", 3);

	assert_null(repo_snapshot_find(s, "nosuch"));
	assert_null(repo_snapshot_find(s, "content"));

	const struct repo_file *first;
	assert_int_equal(repo_snapshot_prefix(s, "content/", &first), 4);
	assert_ptr_equal(first, &s->files[0]);
	assert_int_equal(repo_snapshot_prefix(s, "content/cases/", &first), 3);
	assert_string_equal(first->path, "content/cases/a.md");
	assert_int_equal(repo_snapshot_prefix(s, "themes/", &first), 1);
	assert_ptr_equal(first, &s->files[5]);
	assert_int_equal(repo_snapshot_prefix(s, "zzz/", &first), 0);
	assert_null(first);
	assert_int_equal(repo_snapshot_prefix(s, "", &first), 6);
	assert_ptr_equal(first, &s->files[0]);

	assert_non_null(repo_snapshot_repository(s));
	assert_string_equal(repo_snapshot_repo_prefix(s), "");
	assert_int_equal(diag_error_count(&d), 0);
	buf_release(&b);
	repo_snapshot_free(s);
	diag_release(&d);
}

static void test_uncommitted_edit(void **state)
{
	struct diag d;
	struct repo_snapshot *s;
	struct buf b = BUF_INIT;
	const struct repo_file *f;

	make_site("edit");
	write_text("edit/site.yaml", "title: edited\n");
	write_text("edit/content/new.md", "new\n");
	test_sh("rm '%s'", tpath("edit/content/a-x.md"));
	diag_init(&d);

	/* Commit mode: as committed. */
	assert_int_equal(repo_snapshot_open(&s, tpath("edit"), NULL, 0, NULL, &d), 0);
	f = repo_snapshot_find(s, "site.yaml");
	assert_int_equal(repo_snapshot_read(s, f, &b, &d), 0);
	assert_string_equal(b.ptr, "title: v1\n");
	assert_null(repo_snapshot_find(s, "content/new.md"));
	assert_non_null(repo_snapshot_find(s, "content/a-x.md"));
	repo_snapshot_free(s);

	/* Worktree mode: as on disk. */
	assert_int_equal(repo_snapshot_open(&s, tpath("edit"), NULL, 1, NULL, &d), 0);
	assert_int_equal(s->worktree, 1);
	assert_string_equal(s->commit_id, "");
	assert_int_equal(s->commit_time, 0);
	assert_int_equal(s->count, 6);
	f = repo_snapshot_find(s, "site.yaml");
	assert_non_null(f);
	assert_int_equal(f->size, 14);
	char *oid = sh_out("git -C '%s' hash-object site.yaml", tpath("edit"));
	assert_string_equal(f->oid, oid);
	free(oid);
	assert_int_equal(repo_snapshot_read(s, f, &b, &d), 0);
	assert_string_equal(b.ptr, "title: edited\n");
	assert_non_null(repo_snapshot_find(s, "content/new.md"));
	assert_null(repo_snapshot_find(s, "content/a-x.md"));
	for (size_t i = 0; i < s->count; i++)
		assert_null(strstr(s->files[i].path, ".git"));
	for (size_t i = 1; i < s->count; i++)
		assert_true(strcmp(s->files[i - 1].path, s->files[i].path) < 0);

	assert_int_equal(diag_error_count(&d), 0);
	buf_release(&b);
	repo_snapshot_free(s);
	diag_release(&d);
}

static void test_worktree_ignored(void **state)
{
	struct diag d;
	struct repo_snapshot *s;

	make_site("ign");
	write_text("ign/.gitignore", "*.log\nbuild/\n");
	write_text("ign/keep.log", "tracked although ignored\n");
	test_sh("cd '%s' && git add .gitignore && git add -f keep.log",
	   tpath("ign"));
	commit_all("ign", 1704070800, "ignore");
	write_text("ign/debug.log", "noise\n");
	write_text("ign/content/cases/trace.log", "noise\n");
	test_sh("mkdir -p '%s'", tpath("ign/build"));
	write_text("ign/build/x.html", "<p>old</p>\n");
	write_text("ign/untracked.md", "not ignored\n");

	diag_init(&d);
	assert_int_equal(repo_snapshot_open(&s, tpath("ign"), NULL, 1, NULL, &d), 0);
	assert_null(repo_snapshot_find(s, "debug.log"));
	assert_null(repo_snapshot_find(s, "content/cases/trace.log"));
	assert_null(repo_snapshot_find(s, "build/x.html"));
	assert_non_null(repo_snapshot_find(s, "keep.log"));
	assert_non_null(repo_snapshot_find(s, ".gitignore"));
	assert_non_null(repo_snapshot_find(s, "untracked.md"));
	assert_int_equal(s->count, 9);
	repo_snapshot_free(s);
	diag_release(&d);
}

static void test_ref_tag_and_parent(void **state)
{
	struct diag d;
	struct repo_snapshot *s;
	struct buf b = BUF_INIT;

	make_site("refs");
	test_sh("cd '%s' && git tag -a v1 -m 'version 1' && git tag light",
	   tpath("refs"));
	write_text("refs/site.yaml", "title: v2\n");
	write_text("refs/content/later.md", "later\n");
	commit_all("refs", 1706745600, "second");
	char *first = sh_out("git -C '%s' rev-parse v1^{commit}", tpath("refs"));

	static const char *revs[] = { "v1", "light", "HEAD~1", "main~1", NULL };
	diag_init(&d);
	for (int i = 0; i < 5; i++) {
		const char *rev = revs[i] ? revs[i] : first;
		assert_int_equal(repo_snapshot_open(&s, tpath("refs"), rev, 0, NULL, &d), 0);
		assert_string_equal(s->commit_id, first);
		assert_int_equal(s->commit_time, 1704067200);
		assert_int_equal(repo_snapshot_read(s, repo_snapshot_find(s, "site.yaml"), &b, &d), 0);
		assert_string_equal(b.ptr, "title: v1\n");
		assert_null(repo_snapshot_find(s, "content/later.md"));
		repo_snapshot_free(s);
	}

	assert_int_equal(repo_snapshot_open(&s, tpath("refs"), "main", 0, NULL, &d), 0);
	assert_int_equal(s->commit_time, 1706745600);
	assert_non_null(repo_snapshot_find(s, "content/later.md"));
	repo_snapshot_free(s);

	assert_int_equal(diag_error_count(&d), 0);
	free(first);
	buf_release(&b);
	diag_release(&d);
}

static void test_bare(void **state)
{
	struct diag d;
	struct repo_snapshot *s;
	struct buf b = BUF_INIT;

	make_site("origin");
	test_sh("git clone -q --bare '%s' '%s'", tpath("origin"), tpath("site.git"));
	diag_init(&d);
	/* The bare folder itself, and a folder inside it (found upward). */
	for (int i = 0; i < 2; i++) {
		const char *dir = i ? tpath("site.git/refs") : tpath("site.git");
		assert_int_equal(repo_snapshot_open(&s, dir, NULL, 0, NULL, &d), 0);
		assert_int_equal(s->count, 6);
		assert_string_equal(s->files[4].path, "site.yaml");
		assert_string_equal(repo_snapshot_repo_prefix(s), "");
		assert_int_equal(repo_snapshot_read(s, &s->files[4], &b, &d), 0);
		assert_string_equal(b.ptr, "title: v1\n");
		repo_snapshot_free(s);
	}
	assert_int_equal(diag_error_count(&d), 0);
	buf_release(&b);
	diag_release(&d);
}

static void test_subfolder(void **state)
{
	struct diag d;
	struct repo_snapshot *s;
	struct buf b = BUF_INIT;

	test_sh("mkdir -p '%s' && cd '%s' && git init -q && mkdir -p site/content",
	   tpath("mono"), tpath("mono"));
	write_text("mono/README", "top\n");
	write_text("mono/site/site.yaml", "title: sub\n");
	write_text("mono/site/content/x.md", "x\n");
	commit_all("mono", 1704067200, "mono");
	test_sh("mkdir -p '%s'", tpath("mono/uncommitted"));
	write_text("mono/uncommitted/site.yaml", "title: new\n");

	diag_init(&d);
	for (int worktree = 0; worktree < 2; worktree++) {
		assert_int_equal(repo_snapshot_open(&s, tpath("mono/site"), NULL,
						    worktree, NULL, &d), 0);
		assert_int_equal(s->count, 2);
		assert_string_equal(s->files[0].path, "content/x.md");
		assert_string_equal(s->files[1].path, "site.yaml");
		assert_string_equal(repo_snapshot_repo_prefix(s), "site/");
		assert_string_equal(s->root_display, tpath("mono/site"));
		assert_int_equal(repo_snapshot_read(s, &s->files[1], &b, &d), 0);
		assert_string_equal(b.ptr, "title: sub\n");
		repo_snapshot_free(s);
	}
	assert_int_equal(diag_error_count(&d), 0);

	/* A subfolder that exists only on disk. */
	assert_int_equal(repo_snapshot_open(&s, tpath("mono/uncommitted"), NULL,
					    0, NULL, &d), -1);
	assert_null(s);
	char *msg = test_flush_diag(&d);
	assert_string_equal(msg, "showcase: error: folder 'uncommitted' is not in "
				 "revision 'HEAD' (commit the site first, or use "
				 "--worktree)\n");
	free(msg);
	buf_release(&b);
	diag_release(&d);
}

static void test_errors(void **state)
{
	struct diag d;
	struct repo_snapshot *s;
	struct buf expect = BUF_INIT;
	char *msg;

	test_sh("mkdir -p '%s' '%s'", tpath("plain"), tpath("empty"));
	test_sh("git -C '%s' init -q", tpath("empty"));
	make_site("errs");

	diag_init(&d);
	assert_int_equal(repo_snapshot_open(&s, tpath("plain"), NULL, 0, NULL, &d), -1);
	assert_null(s);
	assert_int_equal(diag_exit_code(&d), EXIT_SYSTEM);
	msg = test_flush_diag(&d);
	buf_printf(&expect, "showcase: error: '%s' is not inside a git repository "
			    "(use --worktree to build the files on disk)\n",
		   tpath("plain"));
	assert_string_equal(msg, expect.ptr);
	free(msg);

	assert_int_equal(repo_snapshot_open(&s, tpath("errs"), "nosuch", 0, NULL, &d), -1);
	msg = test_flush_diag(&d);
	assert_string_equal(msg, "showcase: error: cannot resolve revision 'nosuch': "
				 "revspec 'nosuch' not found\n");
	free(msg);

	assert_int_equal(repo_snapshot_open(&s, tpath("errs"), "HEAD~5", 0, NULL, &d), -1);
	msg = test_flush_diag(&d);
	assert_non_null(strstr(msg, "showcase: error: cannot resolve revision 'HEAD~5': "));
	free(msg);

	assert_int_equal(repo_snapshot_open(&s, tpath("errs"), "HEAD:site.yaml", 0, NULL, &d), -1);
	msg = test_flush_diag(&d);
	assert_string_equal(msg, "showcase: error: revision 'HEAD:site.yaml' is not a commit\n");
	free(msg);

	assert_int_equal(repo_snapshot_open(&s, tpath("empty"), NULL, 0, NULL, &d), -1);
	msg = test_flush_diag(&d);
	assert_string_equal(msg, "showcase: error: repository has no commits yet "
				 "(commit the site first, or use --worktree)\n");
	free(msg);

	assert_int_equal(repo_snapshot_open(&s, tpath("nothere"), NULL, 1, NULL, &d), -1);
	msg = test_flush_diag(&d);
	buf_reset(&expect);
	buf_printf(&expect, "showcase: error: cannot open site folder '%s': "
			    "No such file or directory\n", tpath("nothere"));
	assert_string_equal(msg, expect.ptr);
	free(msg);

	assert_int_equal(diag_exit_code(&d), EXIT_SYSTEM);
	buf_release(&expect);
	diag_release(&d);
}

static void test_worktree_exclude(void **state)
{
	struct diag d;
	struct repo_snapshot *s;

	make_site("excl");
	test_sh("cd '%s' && mkdir -p output/sub .output.showcase-tmp-42-Ab12Cd outputs "
	   "content/out .out.tmp-x",
	   tpath("excl"));
	write_text("excl/output/index.html", "old\n");
	write_text("excl/output/sub/page.html", "old\n");
	write_text("excl/.output.showcase-tmp-42-Ab12Cd/index.html", "crashed build\n");
	write_text("excl/.output.showcase-lock", "");
	write_text("excl/outputs/keep.txt", "a different folder\n");
	write_text("excl/content/out/x.html", "nested output\n");
	write_text("excl/.out.tmp-x/keep.txt", "not a scratch name\n");

	diag_init(&d);
	/* The output folder as write_begin() takes it: relative to the current
	 * folder (which need not be DIR), absolute, with a trailing slash, and
	 * through a link. */
	char *cwd = getcwd(NULL, 0);
	assert_int_equal(chdir(tmproot), 0);
	test_sh("ln -s excl/output '%s'", tpath("outlink"));
	const char *forms[] = { "excl/output", tpath("excl/output"),
				"excl/output/", "./excl//output", "outlink" };
	for (int i = 0; i < 5; i++) {
		assert_int_equal(repo_snapshot_open(&s, tpath("excl"), NULL, 1,
						    forms[i], &d), 0);
		const struct repo_file *first;
		assert_int_equal(repo_snapshot_prefix(s, "output/", &first), 0);
		assert_int_equal(repo_snapshot_prefix(s, ".output.showcase-", &first), 0);
		assert_non_null(repo_snapshot_find(s, "outputs/keep.txt"));
		assert_non_null(repo_snapshot_find(s, "content/out/x.html"));
		assert_non_null(repo_snapshot_find(s, ".out.tmp-x/keep.txt"));
		assert_int_equal(s->count, 9);
		repo_snapshot_free(s);
	}

	/* An output folder deeper down, with DIR the current folder. */
	assert_int_equal(chdir(tpath("excl")), 0);
	assert_int_equal(repo_snapshot_open(&s, ".", NULL, 1, "content/out", &d), 0);
	assert_null(repo_snapshot_find(s, "content/out/x.html"));
	assert_non_null(repo_snapshot_find(s, "output/index.html"));
	repo_snapshot_free(s);

	/* An output folder outside the site changes nothing. */
	assert_int_equal(repo_snapshot_open(&s, tpath("excl"), NULL, 1,
					    tpath("elsewhere"), &d), 0);
	assert_int_equal(s->count, 13);
	repo_snapshot_free(s);
	assert_int_equal(chdir(cwd), 0);
	free(cwd);
	assert_int_equal(diag_error_count(&d), 0);
	diag_release(&d);
}

static void test_worktree_outside_repo(void **state)
{
	struct diag d;
	struct repo_snapshot *s;
	struct buf b = BUF_INIT;

	test_sh("mkdir -p '%s' && cd '%s' && mkdir -p content/deep/er && "
	   "ln -s /etc/passwd content/link && mkfifo content/fifo",
	   tpath("loose"), tpath("loose"));
	write_text("loose/site.yaml", "title: loose\n");
	write_text("loose/content/deep/er/x.md", "deep\n");
	write_text("loose/.hidden", "h\n");
	write_text("loose/debug.log", "no ignore rules here\n");

	diag_init(&d);
	assert_int_equal(repo_snapshot_open(&s, tpath("loose"), NULL, 1, NULL, &d), 0);
	assert_null(repo_snapshot_repository(s));
	assert_int_equal(s->count, 5);
	assert_string_equal(s->files[0].path, ".hidden");
	assert_string_equal(s->files[1].path, "content/deep/er/x.md");
	assert_string_equal(s->files[2].path, "content/link");
	assert_string_equal(s->files[3].path, "debug.log");
	assert_string_equal(s->files[4].path, "site.yaml");

	const struct repo_file *link = &s->files[2];
	assert_true(link->is_symlink);
	assert_int_equal(link->mode, REPO_MODE_LINK);
	assert_int_equal(link->size, strlen("/etc/passwd"));
	/* git hashes a link as a blob of its target. */
	char *oid = sh_out("printf %%s /etc/passwd | git hash-object --stdin");
	assert_string_equal(link->oid, oid);
	free(oid);
	assert_int_equal(repo_snapshot_read(s, link, &b, &d), -1);
	char *msg = test_flush_diag(&d);
	assert_string_equal(msg, "showcase: error: cannot read 'content/link': it is "
				 "a symbolic link (showcase does not follow links; "
				 "commit the file itself)\n");
	free(msg);

	assert_int_equal(repo_snapshot_read(s, &s->files[1], &b, &d), 0);
	assert_string_equal(b.ptr, "deep\n");

	/* A file that turned into a link after the snapshot is not followed. */
	test_sh("cd '%s' && rm site.yaml && ln -s /etc/passwd site.yaml", tpath("loose"));
	assert_int_equal(repo_snapshot_read(s, &s->files[4], &b, &d), -1);
	msg = test_flush_diag(&d);
	assert_string_equal(msg, "showcase: error: cannot read 'site.yaml': it "
				 "became a symbolic link\n");
	free(msg);
	buf_release(&b);
	repo_snapshot_free(s);
	diag_release(&d);
}

/* A tree may name a blob the object database lacks (a damaged clone, a
 * shallow or partial fetch): the snapshot, which holds only ids, opens;
 * the sizes cannot be read, and say which file and commit. */
static void test_commit_missing_blob(void **state)
{
	struct diag d;
	struct repo_snapshot *s;

	make_site("missing");
	test_sh("cd '%s' && git update-index --add --cacheinfo "
		"100644,0123456789abcdef0123456789abcdef01234567,content/gone.md && "
		"tree=$(git write-tree --missing-ok) && "
		"c=$(GIT_COMMITTER_DATE='1704074400 +0000' git commit-tree "
		"-p HEAD -m gone $tree) && git update-ref HEAD $c",
		tpath("missing"));
	diag_init(&d);
	assert_int_equal(repo_snapshot_open(&s, tpath("missing"), NULL, 0, NULL,
					    &d), 0);
	assert_non_null(repo_snapshot_find(s, "content/gone.md"));
	assert_int_equal(repo_snapshot_sizes(s, &d), -1);
	assert_int_equal(diag_exit_code(&d), EXIT_SYSTEM);
	char *msg = test_flush_diag(&d);
	assert_non_null(strstr(msg, "showcase: error: cannot read "
				    "'content/gone.md' in commit "));
	free(msg);
	repo_snapshot_free(s);
	diag_release(&d);
}

static void test_commit_symlink_and_submodule(void **state)
{
	struct diag d;
	struct repo_snapshot *s;
	struct buf b = BUF_INIT;

	make_site("links");
	test_sh("cd '%s' && ln -s ../../site.yaml content/cases/alias.md && "
	   "chmod +x themes/default/page.mustache && git add -A && "
	   "git update-index --add --cacheinfo "
	   "160000,1234567890123456789012345678901234567890,vendor/sub",
	   tpath("links"));
	test_sh("cd '%s' && GIT_COMMITTER_DATE='1704074400 +0000' git commit -q -m links",
	   tpath("links"));

	diag_init(&d);
	assert_int_equal(repo_snapshot_open(&s, tpath("links"), NULL, 0, NULL, &d), 0);
	assert_int_equal(s->count, 7);
	assert_int_equal(s->commit_time, 1704074400);
	assert_null(repo_snapshot_find(s, "vendor/sub"));
	const struct repo_file *f = repo_snapshot_find(s, "content/cases/alias.md");
	assert_non_null(f);
	assert_true(f->is_symlink);
	assert_int_equal(repo_snapshot_sizes(s, &d), 0);
	assert_int_equal(f->size, strlen("../../site.yaml"));
	assert_int_equal(repo_snapshot_read(s, f, &b, &d), -1);
	assert_int_equal(diag_exit_code(&d), EXIT_SYSTEM);
	f = repo_snapshot_find(s, "themes/default/page.mustache");
	assert_int_equal(f->mode, REPO_MODE_EXEC);
	repo_snapshot_free(s);
	buf_release(&b);
	diag_release(&d);
}

/* Several threads reading blobs of one snapshot at once. */
#include <pthread.h>

struct reader {
	struct repo_snapshot *s;
	struct diag *d;
	int failures;
};

static void *read_all(void *arg)
{
	struct reader *r = arg;
	struct buf b = BUF_INIT;
	for (int round = 0; round < 50; round++)
		for (size_t i = 0; i < r->s->count; i++)
			if (repo_snapshot_read(r->s, &r->s->files[i], &b, r->d) < 0 ||
			    b.len != r->s->files[i].size)
				r->failures++;
	buf_release(&b);
	return NULL;
}

/* Readers of their own (repo_reader), one per thread as model.c uses
 * them: the same bytes as the snapshot's reads, and the same errors. */
static void *read_all_own(void *arg)
{
	struct reader *r = arg;
	struct repo_reader *rd = repo_reader_open(r->s);
	struct buf b = BUF_INIT, want = BUF_INIT;
	struct diag own;

	diag_init(&own);
	for (int round = 0; round < 50; round++)
		for (size_t i = 0; i < r->s->count; i++) {
			const struct repo_file *f = &r->s->files[i];
			if (repo_reader_read(rd, f, &b, &own) < 0 ||
			    b.len != f->size)
				r->failures++;
			else if (round == 0 &&
				 (repo_snapshot_read(r->s, f, &want, &own) < 0 ||
				  want.len != b.len ||
				  memcmp(want.ptr, b.ptr, b.len)))
				r->failures++;
		}
	if (diag_error_count(&own))
		r->failures++;
	diag_release(&own);
	repo_reader_close(rd);
	buf_release(&b);
	buf_release(&want);
	return NULL;
}

struct one_read {
	struct repo_reader *rd;
	const struct repo_file *f;
	int rc;
};

static void *read_one(void *arg)
{
	struct one_read *o = arg;
	struct buf b = BUF_INIT;
	struct diag d;

	diag_init(&d);
	o->rc = repo_reader_read(o->rd, o->f, &b, &d);
	diag_release(&d);
	buf_release(&b);
	return NULL;
}

static void test_concurrent_own_readers(void **state)
{
	struct diag d;
	struct repo_snapshot *s;
	pthread_t t[4];
	struct reader r[4];
	struct buf b = BUF_INIT;

	make_site("own-readers");
	diag_init(&d);
	assert_int_equal(repo_snapshot_open(&s, tpath("own-readers"), NULL, 0,
					    NULL, &d), 0);
	assert_int_equal(repo_snapshot_sizes(s, &d), 0);
	for (int i = 0; i < 4; i++) {
		r[i] = (struct reader){ s, &d, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, read_all_own, &r[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(r[i].failures, 0);
	}
	/* A reader has a handle of its own: it reads while the snapshot's
	 * handle is busy (its lock held), which is what lets the records be
	 * read on several threads at once. */
	struct one_read one = { repo_reader_open(s), repo_snapshot_find(s, "site.yaml"), -1 };
	pthread_mutex_t *lock = &repo_snap(s)->lock;
	struct timespec until;
	pthread_t reader;
	pthread_mutex_lock(lock);
	assert_int_equal(pthread_create(&reader, NULL, read_one, &one), 0);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 10;
	int joined = pthread_timedjoin_np(reader, NULL, &until);
	pthread_mutex_unlock(lock);
	if (joined)
		pthread_join(reader, NULL);
	repo_reader_close(one.rd);
	assert_int_equal(joined, 0);
	assert_int_equal(one.rc, 0);

	/* A link is refused by a reader as by the snapshot. */
	struct repo_file link = s->files[0];
	link.is_symlink = 1;
	struct repo_reader *rd = repo_reader_open(s);
	assert_int_equal(repo_reader_read(rd, &link, &b, &d), -1);
	assert_int_equal(diag_exit_code(&d), EXIT_SYSTEM);
	repo_reader_close(rd);
	buf_release(&b);
	repo_snapshot_free(s);
	diag_release(&d);
}

static void test_concurrent_reads(void **state)
{
	struct diag d;
	struct repo_snapshot *s;
	pthread_t t[4];
	struct reader r[4];

	make_site("threads");
	diag_init(&d);
	assert_int_equal(repo_snapshot_open(&s, tpath("threads"), NULL, 0, NULL, &d), 0);
	assert_int_equal(repo_snapshot_sizes(s, &d), 0);
	for (int i = 0; i < 4; i++) {
		r[i] = (struct reader){ s, &d, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, read_all, &r[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(r[i].failures, 0);
	}
	assert_int_equal(diag_error_count(&d), 0);
	repo_snapshot_free(s);
	diag_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commit_files_sorted),
		cmocka_unit_test(test_uncommitted_edit),
		cmocka_unit_test(test_worktree_ignored),
		cmocka_unit_test(test_ref_tag_and_parent),
		cmocka_unit_test(test_bare),
		cmocka_unit_test(test_subfolder),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_worktree_exclude),
		cmocka_unit_test(test_worktree_outside_repo),
		cmocka_unit_test(test_commit_missing_blob),
		cmocka_unit_test(test_commit_symlink_and_submodule),
		cmocka_unit_test(test_concurrent_reads),
		cmocka_unit_test(test_concurrent_own_readers),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
