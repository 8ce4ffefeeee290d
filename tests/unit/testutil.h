/*
 * testutil: small helpers shared by the unit tests (cmocka).
 */
#ifndef SHOWCASE_TESTUTIL_H
#define SHOWCASE_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "buf.h"
#include "diag.h"

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
