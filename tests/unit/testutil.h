/*
 * testutil: small helpers shared by the unit tests (cmocka).
 */
#ifndef SHOWCASE_TESTUTIL_H
#define SHOWCASE_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <cmocka.h>

#include "buf.h"
#include "diag.h"

/* The whole contents of the file at `path` (caller frees; its length in
 * *len when len is not NULL), or NULL if it cannot be opened. */
#if defined(__GNUC__)
__attribute__((unused))
#endif
static char *test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_detach(&b, len);
}

/* "ROOT/REL" in one of 4 static buffers used in turn: the path is valid
 * until the fourth call after this one, so copy what must live longer
 * (a path kept across calls that make paths is a stale path). */
#if defined(__GNUC__)
__attribute__((unused))
#endif
static const char *test_path(const char *root, const char *rel)
{
	static char bufs[4][8192];
	static int next;
	char *b = bufs[next++ % 4];
	snprintf(b, sizeof(bufs[0]), "%s/%s", root, rel);
	return b;
}

/* Run a shell command (formatted), failing the test if it fails. */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2), unused))
#endif
static void test_sh(const char *fmt, ...)
{
	struct buf cmd = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	int rc = system(cmd.ptr);
	if (rc != 0)
		fprintf(stderr, "command failed (%d): %s\n", rc, cmd.ptr);
	buf_release(&cmd);
	assert_int_equal(rc, 0);
}

/* Flush the diagnostics of `d` into a malloc'd string (caller frees). */
static inline char *test_flush_diag(struct diag *d)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	diag_flush(d, f);
	fclose(f);
	return text;
}

/*
 * Make a temporary folder (its real path into `root`, PATH_MAX bytes) and
 * keep the user's and the system's git configuration out of the tests that
 * run git there; then set a fixed identity and branch name.
 */
#if defined(__GNUC__)
__attribute__((unused))
#endif
static void test_git_sandbox(const char *prefix, char *root)
{
	char tmpl[256];
	snprintf(tmpl, sizeof(tmpl), "/tmp/%s-XXXXXX", prefix);
	assert_non_null(mkdtemp(tmpl));
	assert_non_null(realpath(tmpl, root));
	setenv("HOME", root, 1);
	setenv("XDG_CONFIG_HOME", root, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_CEILING_DIRECTORIES", root, 1);
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_INDEX_FILE");
	test_sh("git config --global user.name Tester && "
		"git config --global user.email tester@example.org && "
		"git config --global init.defaultBranch main");
}

/* Assert that the flushed diagnostics of `d` equal `expected` exactly. */
#define assert_diag(d, expected)                                        \
	do {                                                            \
		char *got_ = test_flush_diag(d);                         \
		if (strcmp(got_, (expected)))                            \
			print_error("diagnostics differ:\n--- expected\n%s"  \
				    "--- actual\n%s", (expected), got_);     \
		assert_string_equal(got_, (expected));                   \
		free(got_);                                              \
	} while (0)

#endif
