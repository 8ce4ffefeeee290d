/*
 * Unit tests of progress: counts from many threads add up, the line says
 * them, and starting without showing (not a terminal) never draws.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>

#include "progress.h"

#define THREADS 8
#define ADDS 10000

static void *adder(void *arg)
{
	(void)arg;
	for (int i = 0; i < ADDS; i++) {
		progress_add(PROGRESS_PAGES, 1);
		if (i % 100 == 0)
			progress_add(PROGRESS_RECORDS, 1);
	}
	return NULL;
}

static void test_counts(void **state)
{
	pthread_t t[THREADS];
	char line[160];
	(void)state;

	assert_int_equal(progress_start(0), 0);
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, adder, NULL), 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	progress_add(PROGRESS_BOOKLETS, 1);
	progress_format(line, sizeof(line));
	assert_string_equal(line, "showcase: 800 records loaded, 80000 pages "
			    "written, 1 booklet typeset");
	progress_stop();
	progress_stop(); /* idempotent */
	/* A new start resets the counts. */
	assert_int_equal(progress_start(0), 0);
	progress_format(line, sizeof(line));
	assert_string_equal(line, "showcase: 0 records loaded, 0 pages written, "
			    "0 booklets typeset");
	progress_stop();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
