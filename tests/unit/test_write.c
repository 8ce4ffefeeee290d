/*
 * Tests for write: atomic output through a scratch folder, path safety,
 * concurrent writers, and what a failed or aborted build leaves behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "buf.h"
#include "diag.h"
#include "testutil.h"
#include "write.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmproot[4096];


#define tpath(rel) test_path(tmproot, (rel))

/* The contents of a file under the temporary folder (caller frees), or
 * NULL if it does not exist. */
static char *slurp(const char *rel)
{
	return test_read_file(tpath(rel), NULL);
}

static int exists(const char *rel)
{
	struct stat st;
	return lstat(tpath(rel), &st) == 0;
}

/* Number of entries in a folder under the temporary folder. */
static int count_entries(const char *rel)
{
	DIR *dir = opendir(tpath(rel));
	struct dirent *de;
	int n = 0;
	assert_non_null(dir);
	while ((de = readdir(dir)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(dir);
	return n;
}

static void put(struct writer *w, const char *path, const char *text,
		struct diag *d)
{
	assert_int_equal(write_file(w, path, text, strlen(text), d), 0);
}

static void assert_file(const char *rel, const char *text)
{
	char *got = slurp(rel);
	assert_non_null(got);
	assert_string_equal(got, text);
	free(got);
}

static int setup(void **state)
{
	char tmpl[] = "/tmp/showcase-test-write-XXXXXX";
	assert_non_null(mkdtemp(tmpl));
	assert_non_null(realpath(tmpl, tmproot));
	umask(022);
	return 0;
}

static int teardown(void **state)
{
	test_sh("rm -rf '%s'", tmproot);
	return 0;
}

static void test_write_and_commit(void **state)
{
	struct diag d;
	struct writer *w;
	struct stat st;

	diag_init(&d);
	/* The parent "first" does not exist yet. */
	assert_int_equal(write_begin(&w, tpath("first/site"), 0, &d), 0);
	assert_string_equal(write_outdir(w), tpath("first/site"));
	put(w, "index.html", "<h1>home</h1>\n", &d);
	put(w, "a/b/c.html", "deep\n", &d);
	put(w, "a/d.css", "p{}\n", &d);
	assert_int_equal(write_file(w, "empty.txt", "", 0, &d), 0);
	/* Nothing is visible before the commit, apart from the scratch folder
	 * and the lock file. */
	assert_false(exists("first/site"));
	assert_int_equal(count_entries("first"), 2);
	assert_true(exists("first/.site.showcase-lock"));
	assert_int_equal(write_commit(w, &d), 0);

	assert_file("first/site/index.html", "<h1>home</h1>\n");
	assert_file("first/site/a/b/c.html", "deep\n");
	assert_file("first/site/a/d.css", "p{}\n");
	assert_file("first/site/empty.txt", "");
	/* The marker says whose the folder is. */
	char *marker = slurp("first/site/.showcase-output");
	assert_non_null(marker);
	assert_memory_equal(marker, "Signature: showcase-output/1\n", 29);
	free(marker);
	assert_int_equal(count_entries("first"), 2); /* no scratch left */
	assert_int_equal(stat(tpath("first/site"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	assert_int_equal(stat(tpath("first/site/a/b"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	assert_int_equal(stat(tpath("first/site/a/d.css"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(diag_error_count(&d), 0);
	diag_release(&d);
}

/* Build "out" with the given files (path, text, path, text, ..., NULL). */
static void build(const char *outrel, ...)
{
	struct diag d;
	struct writer *w;
	va_list ap;
	const char *path;

	diag_init(&d);
	assert_int_equal(write_begin(&w, tpath(outrel), 0, &d), 0);
	va_start(ap, outrel);
	while ((path = va_arg(ap, const char *))) {
		const char *text = va_arg(ap, const char *);
		put(w, path, text, &d);
	}
	va_end(ap);
	assert_int_equal(write_commit(w, &d), 0);
	assert_int_equal(diag_error_count(&d), 0);
	diag_release(&d);
}

static void test_second_build_replaces(void **state)
{
	test_sh("mkdir -p '%s'", tpath("second"));
	build("second/out", "index.html", "one\n", "stale.html", "stale\n",
	      "old/x.html", "x\n", NULL);
	assert_file("second/out/stale.html", "stale\n");

	build("second/out", "index.html", "two\n", "new/y.html", "y\n", NULL);
	assert_file("second/out/index.html", "two\n");
	assert_file("second/out/new/y.html", "y\n");
	assert_false(exists("second/out/stale.html"));
	assert_false(exists("second/out/old"));
	assert_int_equal(count_entries("second/out"), 3); /* with the marker */
	assert_int_equal(count_entries("second"), 2);     /* and the lock */

	/* The same where the filesystem cannot exchange two folders. */
	setenv("SHOWCASE_TEST_NO_EXCHANGE", "1", 1);
	build("second/out", "three.html", "three\n", NULL);
	unsetenv("SHOWCASE_TEST_NO_EXCHANGE");
	assert_file("second/out/three.html", "three\n");
	assert_int_equal(count_entries("second/out"), 2);
	assert_int_equal(count_entries("second"), 2);
}

static void test_abort_keeps_old(void **state)
{
	struct diag d;
	struct writer *w;

	test_sh("mkdir -p '%s'", tpath("abort"));
	build("abort/out", "index.html", "kept\n", "a/b.html", "b\n", NULL);
	test_sh("cp -a '%s' '%s'", tpath("abort/out"), tpath("abort-copy"));

	diag_init(&d);
	assert_int_equal(write_begin(&w, tpath("abort/out"), 0, &d), 0);
	put(w, "index.html", "replaced\n", &d);
	put(w, "c/d.html", "d\n", &d);
	assert_int_equal(count_entries("abort"), 3); /* out, scratch, lock */
	write_abort(w);
	write_abort(NULL);

	test_sh("diff -r '%s' '%s'", tpath("abort/out"), tpath("abort-copy"));
	assert_int_equal(count_entries("abort"), 2);
	assert_int_equal(diag_error_count(&d), 0);
	diag_release(&d);
}

static void test_unsafe_paths(void **state)
{
	struct diag d;
	struct writer *w;
	static const char *bad[] = {
		"../x", "/etc/x", "a/../../x", "a//b", "a\\b", "", ".", "..",
		"a/./b", "a/", "a/..", "x\ny", "tab\there", "del\x7f",
	};
	static const char *good[] = {
		"a", "a/b.html", ".well-known/x", "a..b", "..a", "a.", "中文/页面.html",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_false(write_path_is_safe(bad[i]));
	assert_false(write_path_is_safe(NULL));
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
		assert_true(write_path_is_safe(good[i]));

	test_sh("mkdir -p '%s'", tpath("unsafe"));
	diag_init(&d);
	assert_int_equal(write_begin(&w, tpath("unsafe/out"), 0, &d), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_int_equal(write_file(w, bad[i], "x", 1, &d), -1);
	assert_int_equal(diag_error_count(&d), sizeof(bad) / sizeof(*bad));
	assert_int_equal(diag_exit_code(&d), EXIT_SYSTEM);
	char *msg = test_flush_diag(&d);
	assert_non_null(strstr(msg, "showcase: error: refusing to write '../x': "
				    "not a safe path inside the output folder\n"));
	free(msg);
	assert_int_equal(write_commit(w, &d), 0);
	/* Nothing was written anywhere (but the marker). */
	assert_int_equal(count_entries("unsafe/out"), 1);
	assert_int_equal(count_entries("unsafe"), 2);
	assert_false(exists("x"));
	diag_release(&d);
}

static void test_write_errors(void **state)
{
	struct diag d;
	struct writer *w;
	char *msg;
	struct buf expect = BUF_INIT;

	test_sh("mkdir -p '%s/gitout/.git' && touch '%s'", tmproot, tpath("afile"));
	diag_init(&d);

	assert_int_equal(write_begin(&w, tpath("errs/out"), 0, &d), 0);
	put(w, "page.html", "1\n", &d);
	assert_int_equal(write_file(w, "page.html", "2\n", 2, &d), -1);
	assert_int_equal(write_file(w, "page.html/sub", "3\n", 2, &d), -1);
	msg = test_flush_diag(&d);
	buf_printf(&expect,
		   "showcase: error: cannot write '%s/page.html': File exists\n"
		   "showcase: error: cannot write '%s/page.html/sub': Not a directory\n",
		   tpath("errs/out"), tpath("errs/out"));
	assert_string_equal(msg, expect.ptr);
	free(msg);
	write_abort(w);
	assert_int_equal(count_entries("errs"), 1); /* the lock file */

	assert_int_equal(write_begin(&w, tpath("afile"), 0, &d), -1);
	assert_null(w);
	assert_int_equal(write_begin(&w, tpath("gitout"), 0, &d), -1);
	assert_int_equal(write_begin(&w, "", 0, &d), -1);
	assert_int_equal(write_begin(&w, tpath("missing/../x"), 0, &d), -1);
	assert_int_equal(d.usage_errors, 4);
	msg = test_flush_diag(&d);
	buf_reset(&expect);
	buf_printf(&expect,
		   "showcase: error: refusing to replace '%s': it is a file, not an "
		   "output folder of showcase; choose another --out\n"
		   "showcase: error: refusing to replace '%s': it holds 1 entry that "
		   "showcase did not write (it has no .showcase-output file); choose a "
		   "new or empty folder for --out, or move the files away yourself\n"
		   "showcase: error: the output folder is empty (name a folder, e.g. "
		   "--out output)\n"
		   "showcase: error: output folder '%s' has '..' below a folder that "
		   "does not exist\n",
		   tpath("afile"), tpath("gitout"), tpath("missing/../x"));
	assert_string_equal(msg, expect.ptr);
	free(msg);
	assert_true(exists("gitout/.git"));
	buf_release(&expect);
	diag_release(&d);
}

/* An output that is a link: the folder it points at is replaced, and links
 * inside the old output are removed without touching what they point at. */
static void test_links(void **state)
{
	test_sh("mkdir -p '%s' '%s' && echo precious > '%s' && ln -s real '%s'",
	   tpath("links/real"), tpath("links/keep"), tpath("links/keep/file"),
	   tpath("links/out"));
	build("links/out", "index.html", "via link\n", NULL);
	assert_file("links/real/index.html", "via link\n");
	test_sh("test -L '%s'", tpath("links/out"));

	test_sh("ln -s ../keep '%s' && ln -s ../keep/file '%s'",
	   tpath("links/real/dirlink"), tpath("links/real/filelink"));
	build("links/out", "index.html", "again\n", NULL);
	assert_file("links/real/index.html", "again\n");
	assert_false(exists("links/real/dirlink"));
	assert_file("links/keep/file", "precious\n");
	assert_int_equal(count_entries("links"), 4); /* and .real.showcase-lock */
}

static int accept_any(void *ctx, const struct stat *st)
{
	(void)ctx;
	(void)st;
	return 1;
}

/* Carrying a file over from the previous output never follows a symbolic
 * link on the way to it, at any depth: a folder of the old output that
 * was replaced by a link to a folder of the user's is not read. */
static void test_reuse_no_links(void **state)
{
	struct diag d;
	struct writer *w;
	struct stat st;
	char *text;

	const char *through[] = { "a/b/c/page.html", "x/y/page.html",
				  "p/q/s/page.html" };

	build("carry/out", "top.html", "top\n", "a/b/c/page.html", "old\n",
	      "a/kept.html", "kept\n", "x/y/page.html", "old\n",
	      "p/q/s/page.html", "old\n", "r/s/page.html", "r\n", NULL);
	/* a/b, in the middle of a path, and x/y, the folder of a file,
	 * become links to folders of the user's holding the same names. */
	test_sh("mkdir -p '%s' '%s' && echo mine > '%s' && echo mine > '%s'",
		tpath("carry/user/b/c"), tpath("carry/user/y"),
		tpath("carry/user/b/c/page.html"), tpath("carry/user/y/page.html"));
	test_sh("rm -r '%s' '%s' && ln -s '%s' '%s' && ln -s '%s' '%s'",
		tpath("carry/out/a/b"), tpath("carry/out/x/y"),
		tpath("carry/user/b"), tpath("carry/out/a/b"),
		tpath("carry/user/y"), tpath("carry/out/x/y"));
	/* Nor one that stays inside the output: p/q -> ../r, which holds s/. */
	test_sh("rm -r '%s' && ln -s ../r '%s'", tpath("carry/out/p/q"),
		tpath("carry/out/p/q"));

	diag_init(&d);
	assert_int_equal(write_begin(&w, tpath("carry/out"), 0, &d), 0);
	/* Through a link: not carried, not read, no error. */
	for (int i = 0; i < 3; i++) {
		assert_int_equal(write_previous_stat(w, through[i], &st), -1);
		assert_int_equal(write_previous_open(w, through[i]), -1);
		assert_int_equal(write_reuse_if(w, through[i], accept_any, NULL, &d), 0);
	}
	assert_int_equal(diag_error_count(&d), 0);
	/* Around it, files are carried, at the top and below. */
	assert_int_equal(write_reuse_if(w, "a/kept.html", accept_any, NULL, &d), 1);
	assert_int_equal(write_reuse_if(w, "top.html", accept_any, NULL, &d), 1);
	/* Without a test first, a failure is an error. */
	assert_int_equal(write_reuse(w, "a/b/c/page.html", &d), -1);
	text = test_flush_diag(&d);
	assert_non_null(strstr(text, "cannot carry"));
	free(text);
	put(w, "a/b/c/page.html", "new\n", &d);
	put(w, "x/y/page.html", "new\n", &d);
	put(w, "p/q/s/page.html", "new\n", &d);
	assert_int_equal(write_commit(w, &d), 0);
	assert_file("carry/out/a/kept.html", "kept\n");
	assert_file("carry/out/x/y/page.html", "new\n");
	assert_file("carry/user/y/page.html", "mine\n");
	assert_file("carry/out/top.html", "top\n");
	assert_file("carry/out/a/b/c/page.html", "new\n");
	assert_file("carry/user/b/c/page.html", "mine\n");
	diag_release(&d);
}

static void test_scratch_names(void **state)
{
	assert_true(write_is_scratch_name("output", ".output.showcase-tmp-42-Ab12Cd"));
	assert_true(write_is_scratch_name("output", ".output.showcase-lock"));
	assert_false(write_is_scratch_name("output", ".output.showcase-tmp-42-Ab12C"));
	assert_false(write_is_scratch_name("output", ".output.showcase-tmp-Ab12Cd"));
	assert_false(write_is_scratch_name("output", ".output.showcase-tmp-0-Ab12Cd"));
	assert_false(write_is_scratch_name("output", "output.showcase-tmp-42-Ab12Cd"));
	assert_false(write_is_scratch_name("output", ".outputs.showcase-tmp-42-Ab12Cd"));
	assert_false(write_is_scratch_name("out", ".output.showcase-tmp-42-Ab12Cd"));
	assert_false(write_is_scratch_name("output", ".output.tmp-Ab12Cd"));

	/* The scratch folder write_begin makes is recognised. */
	struct diag d;
	struct writer *w;
	diag_init(&d);
	test_sh("mkdir -p '%s'", tpath("scratch"));
	assert_int_equal(write_begin(&w, tpath("scratch/site"), 0, &d), 0);
	DIR *dir = opendir(tpath("scratch"));
	struct dirent *de;
	int seen = 0;
	while ((de = readdir(dir)))
		seen += write_is_scratch_name("site", de->d_name);
	closedir(dir);
	assert_int_equal(seen, 2); /* the scratch folder and the lock */
	write_abort(w);
	diag_release(&d);
}

/* A relative output folder, in the current folder and below it. */
static void test_relative_outdir(void **state)
{
	struct diag d;
	struct writer *w;
	char *cwd = getcwd(NULL, 0);

	test_sh("mkdir -p '%s'", tpath("rel"));
	assert_int_equal(chdir(tpath("rel")), 0);
	diag_init(&d);
	for (int round = 0; round < 2; round++) {
		assert_int_equal(write_begin(&w, "out", 0, &d), 0);
		put(w, "index.html", round ? "second\n" : "first\n", &d);
		assert_int_equal(write_commit(w, &d), 0);
		assert_int_equal(write_begin(&w, "deeper/out/", 0, &d), 0);
		assert_string_equal(write_outdir(w), tpath("rel/deeper/out"));
		put(w, "a/b.html", "b\n", &d);
		assert_int_equal(write_commit(w, &d), 0);
	}
	assert_file("rel/out/index.html", "second\n");
	assert_file("rel/deeper/out/a/b.html", "b\n");
	assert_int_equal(count_entries("rel"), 3); /* out, deeper, the lock */
	assert_int_equal(count_entries("rel/deeper"), 2);
	assert_int_equal(diag_error_count(&d), 0);
	diag_release(&d);
	assert_int_equal(chdir(cwd), 0);
	free(cwd);
}

#define THREADS 4
#define FILES_PER_THREAD 300

struct job {
	struct writer *w;
	struct diag *d;
	int id, failures;
};

static void *write_many(void *arg)
{
	struct job *j = arg;
	char path[128], text[64];
	for (int i = 0; i < FILES_PER_THREAD; i++) {
		/* Threads share the folders, so they race to create them. */
		snprintf(path, sizeof(path), "shared/d%d/e%d/f-%d-%d.html", i % 7,
			 i % 3, j->id, i);
		snprintf(text, sizeof(text), "%d %d\n", j->id, i);
		if (write_file(j->w, path, text, strlen(text), j->d) < 0)
			j->failures++;
	}
	return NULL;
}

static void test_concurrent_writes(void **state)
{
	struct diag d;
	struct writer *w;
	pthread_t t[THREADS];
	struct job jobs[THREADS];

	diag_init(&d);
	assert_int_equal(write_begin(&w, tpath("threads"), 0, &d), 0);
	for (int i = 0; i < THREADS; i++) {
		jobs[i] = (struct job){ w, &d, i, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, write_many, &jobs[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(jobs[i].failures, 0);
	}
	assert_int_equal(write_commit(w, &d), 0);
	assert_int_equal(diag_error_count(&d), 0);

	int total = 0;
	for (int a = 0; a < 7; a++)
		for (int b = 0; b < 3; b++) {
			char rel[64];
			snprintf(rel, sizeof(rel), "threads/shared/d%d/e%d", a, b);
			total += count_entries(rel);
		}
	assert_int_equal(total, THREADS * FILES_PER_THREAD);
	assert_file("threads/shared/d5/e2/f-3-299.html", "3 299\n");
	diag_release(&d);
}

static void test_single_file(void **state)
{
	struct diag d;
	char *text;
	struct stat st;
	(void)state;
	diag_init(&d);
	static const char pdf[] = "%PDF-1.5 ... /Creator (showcase) ...";
	assert_int_equal(write_single_file(tpath("single/a/b.pdf"), pdf,
					   strlen(pdf), &d), 0);
	assert_int_equal(write_single_file(tpath("single/a/b.pdf"), "second", 6, &d), 0);
	text = slurp("single/a/b.pdf");
	assert_string_equal(text, "second");
	free(text);
	/* "second" does not name showcase as its maker: it is kept. */
	assert_int_equal(write_single_file(tpath("single/a/b.pdf"), "third", 5, &d), -1);
	assert_int_equal(diag_exit_code(&d), EXIT_USAGE);
	text = test_flush_diag(&d);
	assert_non_null(strstr(text, "refusing to replace '"));
	assert_non_null(strstr(text, "showcase did not write it"));
	free(text);
	text = slurp("single/a/b.pdf");
	assert_string_equal(text, "second");
	free(text);
	/* Inside a marked output folder any file is showcase's. */
	test_sh("mkdir -p '%s' && printf 'Signature: showcase-output/1\\n' > '%s' && echo x > '%s'",
		tpath("single/out/r"), tpath("single/out/.showcase-output"),
		tpath("single/out/r/y.html"));
	assert_int_equal(write_single_file(tpath("single/out/r/y.html"), "new", 3, &d), 0);
	diag_release(&d);
	diag_init(&d);
	assert_int_equal(stat(tpath("single/a/b.pdf"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	/* No temporary file is left next to it. */
	test_sh("test \"$(ls '%s' | wc -l)\" = 1", tpath("single/a"));
	/* A path that cannot be written is a system error naming it. */
	assert_int_equal(write_single_file("/proc/no/such.pdf", "x", 1, &d), -1);
	assert_int_equal(diag_exit_code(&d), EXIT_SYSTEM);
	text = test_flush_diag(&d);
	assert_non_null(strstr(text, "/proc/no/such.pdf: error: cannot write: "));
	free(text);
	diag_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_and_commit),
		cmocka_unit_test(test_second_build_replaces),
		cmocka_unit_test(test_abort_keeps_old),
		cmocka_unit_test(test_unsafe_paths),
		cmocka_unit_test(test_write_errors),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_reuse_no_links),
		cmocka_unit_test(test_scratch_names),
		cmocka_unit_test(test_relative_outdir),
		cmocka_unit_test(test_concurrent_writes),
		cmocka_unit_test(test_single_file),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
