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

#include "diag.h"

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
