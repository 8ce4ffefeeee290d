/*
 * Unit tests for pagination: the window of page numbers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "pagination.h"

#include <stdio.h>
#include <string.h>

static const char *window(size_t current, size_t total)
{
	static char s[256];
	size_t out[PAGINATION_MAX(2)], n = pagination_window(current, total, 2, out);
	s[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char one[24];
		if (out[i])
			snprintf(one, sizeof(one), "%s%zu", i ? " " : "", out[i]);
		else
			snprintf(one, sizeof(one), "%s…", i ? " " : "");
		strcat(s, one);
	}
	return s;
}

static void test_window(void **state)
{
	(void)state;
	assert_string_equal(window(1, 1), "1");
	assert_string_equal(window(1, 2), "1 2");
	assert_string_equal(window(1, 7), "1 2 3 … 7");
	assert_string_equal(window(4, 7), "1 2 3 4 5 6 7");
	assert_string_equal(window(6, 156), "1 … 4 5 6 7 8 … 156");
	assert_string_equal(window(156, 156), "1 … 154 155 156");
	assert_string_equal(window(5, 10), "1 2 3 4 5 6 7 … 10");
	assert_string_equal(window(78, 156), "1 … 76 77 78 79 80 … 156");
	/* Never more than PAGINATION_MAX entries. */
	for (size_t t = 1; t < 60; t++)
		for (size_t c = 1; c <= t; c++) {
			size_t out[PAGINATION_MAX(2)];
			assert_true(pagination_window(c, t, 2, out) <= PAGINATION_MAX(2));
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
