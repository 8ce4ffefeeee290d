/*
 * parallel: see parallel.h.
 */
#include "parallel.h"

#include "alloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static int default_jobs;

void parallel_set_jobs(int jobs)
{
	default_jobs = jobs > 0 ? jobs : 0;
}

int parallel_jobs(int requested)
{
	long n;

	if (requested > 0)
		return requested;
	if (default_jobs > 0)
		return default_jobs;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		return 1;
	return n > PARALLEL_MAX_JOBS ? PARALLEL_MAX_JOBS : (int)n;
}

void parallel_run(void *(*fn)(void *), void *args, size_t size, size_t n)
{
	pthread_t *threads;

	if (n <= 1) {
		fn(args);
		return;
	}
	threads = xcalloc(n, sizeof(*threads));
	for (size_t i = 0; i < n; i++)
		if (pthread_create(&threads[i], NULL, fn, (char *)args + i * size))
			BUG("cannot start a worker thread");
	for (size_t i = 0; i < n; i++)
		pthread_join(threads[i], NULL);
	free(threads);
}
