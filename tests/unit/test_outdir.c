/*
 * Tests for outdir: resolving the output through links, the places it must
 * keep clear of, ownership by marker, the lock, stale scratch folders, and a
 * removal that never follows a link.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "diag.h"
#include "outdir.h"
#include "testutil.h"
#include "write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmproot[4096];

#define tpath(rel) test_path(tmproot, (rel))

static int exists(const char *rel)
{
	struct stat st;
	return lstat(tpath(rel), &st) == 0;
}

static int setup(void **state)
{
	char tmpl[] = "/tmp/showcase-test-outdir-XXXXXX";
	assert_non_null(mkdtemp(tmpl));
	assert_non_null(realpath(tmpl, tmproot));
	return 0;
}

static int teardown(void **state)
{
	test_sh("rm -rf '%s'", tmproot);
	return 0;
}

static void expect_resolved(const char *given, const char *want_rel)
{
	struct diag d;
	char *got;

	diag_init(&d);
	got = outdir_resolve(given, &d);
	assert_non_null(got);
	assert_string_equal(got, *want_rel ? tpath(want_rel) : tmproot);
	assert_int_equal(diag_error_count(&d), 0);
	free(got);
	diag_release(&d);
}

static void test_resolve(void **state)
{
	struct diag d;
	char *msg;

	test_sh("cd '%s' && mkdir -p real/sub && ln -s real link && ln -s . up && "
		"ln -s nowhere dangling", tmproot);
	expect_resolved(tpath("real"), "real");
	expect_resolved(tpath("real/"), "real");
	expect_resolved(tpath("link"), "real");
	expect_resolved(tpath("link/new/deeper"), "real/new/deeper");
	expect_resolved(tpath("up/up/real/sub/.."), "real");
	expect_resolved(tpath("up"), "");
	assert_int_equal(chdir(tmproot), 0);
	expect_resolved("link/x", "real/x");

	diag_init(&d);
	assert_null(outdir_resolve(tpath("new/../x"), &d));
	assert_null(outdir_resolve(tpath("dangling"), &d));
	assert_null(outdir_resolve("", &d));
	assert_int_equal(diag_exit_code(&d), EXIT_USAGE);
	msg = test_flush_diag(&d);
	assert_non_null(strstr(msg, "has '..' below a folder that does not exist"));
	assert_non_null(strstr(msg, "goes through a symbolic link to a missing folder"));
	assert_non_null(strstr(msg, "the output folder is empty"));
	free(msg);
	diag_release(&d);
}

/* The message of checking `out` against the places, or NULL when allowed. */
static char *check(const char *out, const struct outdir_place *p, size_t n)
{
	struct diag d;
	char *resolved, *msg = NULL;

	diag_init(&d);
	resolved = outdir_resolve(out, &d);
	assert_non_null(resolved);
	if (outdir_check_places(resolved, p, n, &d) < 0) {
		assert_int_equal(diag_exit_code(&d), EXIT_USAGE);
		msg = test_flush_diag(&d);
	}
	free(resolved);
	diag_release(&d);
	return msg;
}

static void test_places(void **state)
{
	char site[8192], git[8192], theme[8192];
	char *msg;

	test_sh("cd '%s' && mkdir -p box/site/.git box/theme && ln -s . box/up && "
		"ln -s site/.git box/gitlink", tmproot);
	snprintf(site, sizeof(site), "%s", tpath("box/site"));
	snprintf(git, sizeof(git), "%s", tpath("box/site/.git"));
	snprintf(theme, sizeof(theme), "%s", tpath("box/theme"));
	const struct outdir_place places[] = {
		{ git, "the site's git repository", 0 },
		{ theme, "the theme folder", 0 },
		{ NULL, "skipped", 0 },
		{ site, "the site folder", 1 },
	};
	const size_t n = sizeof(places) / sizeof(*places);

	/* Allowed: inside the site, beside it, new folders. */
	assert_null(check(tpath("box/site/output"), places, n));
	assert_null(check(tpath("box/elsewhere/new"), places, n));

	msg = check(tpath("box/up"), places, n); /* box itself */
	assert_non_null(strstr(msg, "it contains the site's git repository"));
	free(msg);
	msg = check(tpath("box/site"), places, n);
	assert_non_null(strstr(msg, "it contains the site's git repository"));
	free(msg);
	msg = check(tpath("box/gitlink"), places, n);
	assert_non_null(strstr(msg, "it is the site's git repository"));
	free(msg);
	msg = check(tpath("box/site/.git/objects"), places, n);
	assert_non_null(strstr(msg, "it lies inside the site's git repository"));
	free(msg);
	msg = check(tpath("box/theme/static"), places, n);
	assert_non_null(strstr(msg, "it lies inside the theme folder"));
	free(msg);
	msg = check("/", places, n);
	assert_non_null(strstr(msg, "refusing to use '/' as the output folder"));
	free(msg);
	setenv("HOME", tpath("box"), 1);
	msg = check(tpath("box"), NULL, 0);
	assert_non_null(strstr(msg, "the home folder"));
	free(msg);
	/* /proc is a mount point on every Linux machine. */
	msg = check("/proc", NULL, 0);
	assert_non_null(strstr(msg, "it is a mount point"));
	free(msg);
}

static void test_owner(void **state)
{
	struct diag d;
	char *msg;

	test_sh("cd '%s' && mkdir -p own/empty own/user/Documents own/marked own/fake && "
		"echo key > own/user/id_rsa && printf '%s\\n' > own/marked/.showcase-output && "
		"echo page > own/marked/index.html && echo 'Signature: other' > own/fake/.showcase-output && "
		"ln -s ../marked/.showcase-output own/fake/x && echo f > own/file",
		tmproot, OUTDIR_SIGNATURE);
	diag_init(&d);
	assert_int_equal(outdir_check_owner(tpath("own/missing"), &d), 0);
	assert_int_equal(outdir_check_owner(tpath("own/empty"), &d), 0);
	assert_int_equal(outdir_check_owner(tpath("own/marked"), &d), 0);
	assert_int_equal(diag_error_count(&d), 0);
	assert_int_equal(outdir_check_owner(tpath("own/user"), &d), -1);
	assert_int_equal(outdir_check_owner(tpath("own/fake"), &d), -1);
	assert_int_equal(outdir_check_owner(tpath("own/file"), &d), -1);
	assert_int_equal(diag_exit_code(&d), EXIT_USAGE);
	msg = test_flush_diag(&d);
	assert_non_null(strstr(msg, "own/user': it holds 2 entries that showcase did not write"));
	assert_non_null(strstr(msg, "own/fake': it holds 2 entries"));
	assert_non_null(strstr(msg, "own/file': it is a file"));
	free(msg);
	/* Nothing was touched. */
	assert_true(exists("own/user/id_rsa"));
	assert_true(exists("own/user/Documents"));
	diag_release(&d);
}

static void test_lock(void **state)
{
	struct diag d;
	struct writer *w, *w2;
	char *msg;

	diag_init(&d);
	test_sh("mkdir -p '%s'", tpath("lock"));
	assert_int_equal(write_begin(&w, tpath("lock/out"), 0, &d), 0);
	/* A second build of the same output, as another process would be
	 * (flock locks belong to the open file, so this is the same). */
	assert_int_equal(write_begin(&w2, tpath("lock/out"), 0, &d), -1);
	assert_null(w2);
	assert_int_equal(diag_exit_code(&d), EXIT_SYSTEM);
	msg = test_flush_diag(&d);
	assert_non_null(strstr(msg, "another build is writing '"));
	free(msg);
	assert_int_equal(write_commit(w, &d), 0);
	/* Released by the commit. */
	assert_int_equal(write_begin(&w, tpath("lock/out"), 0, &d), 0);
	write_abort(w);
	diag_release(&d);
}

/* The pid of a process that has ended. */
static long dead_pid(void)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return (long)pid;
}

static void test_stale(void **state)
{
	long dead = dead_pid();
	char name[256];

	assert_true(outdir_is_scratch_name("out", ".out.showcase-tmp-1-abcdef", NULL));
	test_sh("mkdir -p '%s'", tpath("stale"));
	/* A killed build's scratch (marked), one killed before its marker
	 * (empty), a look-alike holding someone's file, a live process's. */
	snprintf(name, sizeof(name), "stale/.out.showcase-tmp-%ld-aaaaaa", dead);
	test_sh("mkdir -p '%s/sub' && printf '%s\\n' > '%s/.showcase-output'",
		tpath(name), OUTDIR_SIGNATURE, tpath(name));
	snprintf(name, sizeof(name), "stale/.out.showcase-tmp-%ld-bbbbbb", dead);
	test_sh("mkdir '%s'", tpath(name));
	snprintf(name, sizeof(name), "stale/.out.showcase-tmp-%ld-cccccc", dead);
	test_sh("mkdir '%s' && echo mine > '%s/notes.txt'", tpath(name), tpath(name));
	snprintf(name, sizeof(name), "stale/.out.showcase-tmp-%ld-dddddd", (long)getppid());
	test_sh("mkdir '%s'", tpath(name));

	assert_int_equal(outdir_remove_stale(tpath("stale"), "out"), 2);
	snprintf(name, sizeof(name), "stale/.out.showcase-tmp-%ld-cccccc/notes.txt", dead);
	assert_true(exists(name));
	snprintf(name, sizeof(name), "stale/.out.showcase-tmp-%ld-dddddd", (long)getppid());
	assert_true(exists(name));
	snprintf(name, sizeof(name), "stale/.out.showcase-tmp-%ld-aaaaaa", dead);
	assert_false(exists(name));
}

static void test_remove_tree(void **state)
{
	test_sh("cd '%s' && mkdir -p rm/keep rm/tree/a/b && echo precious > rm/keep/f && "
		"ln -s ../../keep rm/tree/a/dirlink && ln -s ../keep/f rm/tree/filelink && "
		"echo x > rm/tree/a/b/c && chmod 0500 rm/tree/a/b",
		tmproot);
	/* A read-only folder inside is no obstacle for root, but is for
	 * others: either way the links are never followed. */
	outdir_remove_tree(tpath("rm/tree"));
	test_sh("chmod -R u+w '%s' 2>/dev/null; true", tpath("rm/tree"));
	outdir_remove_tree(tpath("rm/tree"));
	assert_false(exists("rm/tree"));
	assert_true(exists("rm/keep/f"));
	assert_int_equal(outdir_remove_tree(tpath("rm/none")), 0);

	/* Entries of every type, named as the file system lets them be: a
	 * pipe is unlinked (never opened, which would block), a link to a
	 * folder removed as a link. */
	test_sh("cd '%s' && mkdir -p 'rm/t2/a b/c' && mkfifo rm/t2/pipe && "
		"ln -s ../keep rm/t2/'a b'/up && echo y > 'rm/t2/a b/c/file' && "
		"touch rm/t2/.hidden", tmproot);
	assert_int_equal(outdir_remove_tree(tpath("rm/t2")), 0);
	assert_false(exists("rm/t2"));
	assert_true(exists("rm/keep/f"));

	/* Another filesystem mounted inside (where the test may mount one):
	 * left whole, and the removal says it could not finish. */
	test_sh("cd '%s' && mkdir -p rm/t3/m && (mount -t tmpfs none rm/t3/m "
		"2>/dev/null && echo kept > rm/t3/m/f || true)", tmproot);
	if (exists("rm/t3/m/f")) {
		int rc = outdir_remove_tree(tpath("rm/t3"));
		int kept = exists("rm/t3/m/f");
		/* Unmounted before any assertion can end the test. */
		test_sh("umount '%s'", tpath("rm/t3/m"));
		assert_int_equal(rc, -1);
		assert_true(kept);
	}
	assert_int_equal(outdir_remove_tree(tpath("rm/t3")), 0);
	assert_false(exists("rm/t3"));

	/* A tree the size of an output (a folder per page): emptied by
	 * several threads, by the same rules: links removed, not followed;
	 * a mount deep inside left whole. */
	test_sh("cd '%s' && mkdir -p rm/big && cd rm/big && for c in a b c; do "
		"mkdir $c; for i in $(seq 200); do mkdir $c/$i; echo p > $c/$i/index.html; "
		"done; ln -s ../../keep $c/up; echo top > $c/index.html; done && "
		"ln -s ../keep/f file-link && mkdir -p b/7/m && "
		"(mount -t tmpfs none b/7/m 2>/dev/null && echo kept > b/7/m/f || true)",
		tmproot);
	int mounted = exists("rm/big/b/7/m/f");
	int rc = outdir_remove_tree(tpath("rm/big"));
	int kept = exists("rm/big/b/7/m/f");
	if (mounted)
		test_sh("umount '%s'", tpath("rm/big/b/7/m"));
	assert_int_equal(rc, mounted ? -1 : 0);
	assert_int_equal(kept, mounted);
	assert_true(exists("rm/keep/f"));
	assert_false(exists("rm/big/a"));
	assert_false(exists("rm/big/b/8"));
	assert_int_equal(outdir_remove_tree(tpath("rm/big")), 0);
	assert_false(exists("rm/big"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_places),
		cmocka_unit_test(test_owner),
		cmocka_unit_test(test_lock),
		cmocka_unit_test(test_stale),
		cmocka_unit_test(test_remove_tree),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
