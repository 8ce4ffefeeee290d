/*
 * progress: see progress.h. The timer thread sleeps on a condition
 * variable, so progress_stop() wakes it at once instead of waiting out a
 * tick; the line is written with one write(2) so that it is never torn by
 * another thread's output.
 */
#include "progress.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TICK_MS 100

static atomic_long counters[PROGRESS_NCOUNTERS];

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	int running;   /* the thread was started and not yet joined */
	int stopping;  /* under mu */
	int drawn;     /* a line is on the terminal (timer thread only) */
	char last[160]; /* the line drawn last: unchanged lines are not redrawn */
	long delay_ms;
} P = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

void progress_add(enum progress_counter counter, long n)
{
	atomic_fetch_add_explicit(&counters[counter], n, memory_order_relaxed);
}

static struct timespec stage_t0;

static void stage_start(void)
{
	clock_gettime(CLOCK_MONOTONIC, &stage_t0);
}

void progress_stage(const char *stage)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct timespec now;
	long ms;

	if (!getenv("SHOWCASE_DEBUG_STATS"))
		return;
	pthread_once(&once, stage_start);
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - stage_t0.tv_sec) * 1000 +
	     (now.tv_nsec - stage_t0.tv_nsec) / 1000000;
	fprintf(stderr, "showcase: stage %s at %ld ms\n", stage, ms);
}

void progress_format(char *out, unsigned size)
{
	long r = atomic_load_explicit(&counters[PROGRESS_RECORDS], memory_order_relaxed);
	long p = atomic_load_explicit(&counters[PROGRESS_PAGES], memory_order_relaxed);
	long b = atomic_load_explicit(&counters[PROGRESS_BOOKLETS], memory_order_relaxed);

	snprintf(out, size, "showcase: %ld record%s loaded, %ld page%s written, "
		 "%ld booklet%s typeset", r, r == 1 ? "" : "s", p,
		 p == 1 ? "" : "s", b, b == 1 ? "" : "s");
}

static void write_all(const char *s, size_t len)
{
	while (len > 0) {
		ssize_t n = write(STDERR_FILENO, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* a closed terminal: nothing to show it on */
		s += n;
		len -= (size_t)n;
	}
}

static void draw(void)
{
	char line[160];

	line[0] = '\r';
	progress_format(line + 1, sizeof(line) - 8);
	if (P.drawn && !strcmp(line, P.last))
		return;
	memcpy(P.last, line, sizeof(line));
	/* Erase what a longer earlier line left to the right. */
	strcat(line, "\033[K");
	write_all(line, strlen(line));
	P.drawn = 1;
}

static void deadline_after(struct timespec *ts, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

static void *timer(void *arg)
{
	struct timespec until;
	long wait = P.delay_ms;

	(void)arg;
	pthread_mutex_lock(&P.mu);
	for (;;) {
		deadline_after(&until, wait);
		while (!P.stopping &&
		       pthread_cond_timedwait(&P.cv, &P.mu, &until) != ETIMEDOUT)
			;
		if (P.stopping)
			break;
		draw();
		wait = TICK_MS;
	}
	if (P.drawn)
		write_all("\r\033[K", 4);
	P.drawn = 0;
	pthread_mutex_unlock(&P.mu);
	return NULL;
}

int progress_start(int show)
{
	pthread_condattr_t attr;
	const char *env = getenv("SHOWCASE_PROGRESS_DELAY_MS");
	int rc;

	for (int i = 0; i < PROGRESS_NCOUNTERS; i++)
		atomic_store(&counters[i], 0);
	if (!show || P.running)
		return 0;
	P.delay_ms = env && *env ? atol(env) : PROGRESS_DELAY_MS;
	if (P.delay_ms < 0)
		P.delay_ms = 0;
	P.stopping = 0;
	P.drawn = 0;
	/* No delay: the first line now, so that even a quick run shows one
	 * (what the tests rely on). */
	if (P.delay_ms == 0)
		draw();
	/* A monotonic clock: a clock change does not stall or flood the line. */
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_destroy(&P.cv);
	pthread_cond_init(&P.cv, &attr);
	pthread_condattr_destroy(&attr);
	rc = pthread_create(&P.thread, NULL, timer, NULL);
	if (rc != 0)
		return -1;
	P.running = 1;
	return 0;
}

void progress_stop(void)
{
	if (!P.running)
		return;
	pthread_mutex_lock(&P.mu);
	P.stopping = 1;
	pthread_cond_signal(&P.cv);
	pthread_mutex_unlock(&P.mu);
	pthread_join(P.thread, NULL);
	P.running = 0;
}
