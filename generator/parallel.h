/*
 * parallel: the one way showcase shares work out to threads.
 *
 * Every stage that runs on several threads (reading the records, the
 * record, list and term pages) starts `n` workers on the same function,
 * each with its own argument (a worker struct holding its arena, buffers
 * and diagnostics), and waits for all of them. The workers take their
 * items from a shared atomic counter, so that the order of work changes
 * nothing but the time: what a worker made is merged by the caller in a
 * fixed order after the join.
 *
 * Ownership: nothing is allocated that outlives parallel_run().
 */
#ifndef SHOWCASE_PARALLEL_H
#define SHOWCASE_PARALLEL_H

#include <stddef.h>

/* Most threads a stage starts by default, on a machine of many CPUs. */
#define PARALLEL_MAX_JOBS 16

/* `requested` threads (--jobs, which main.c bounds), or when it is 0 or
 * less the default: parallel_set_jobs()'s, else one per CPU, at most
 * PARALLEL_MAX_JOBS. */
int parallel_jobs(int requested);

/* The default of parallel_jobs() for the rest of the process: --jobs, so
 * that it also bounds the stages that no option reaches (the removal of
 * an old output inside write_commit(), the walk of a no-op rebuild).
 * Call it once, before any thread starts; 0 restores one per CPU. */
void parallel_set_jobs(int jobs);

/* Run fn(args + i * size) for i in [0, n) on n threads and wait for all;
 * with n == 1, fn(args) on the calling thread. A thread that cannot be
 * started is a BUG(): the machine is out of resources. */
void parallel_run(void *(*fn)(void *), void *args, size_t size, size_t n);

#endif
