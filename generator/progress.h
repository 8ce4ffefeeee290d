/*
 * progress: one line on the terminal that says how far a long build or
 * report has got (records loaded, pages written, booklets typeset), redrawn
 * in place with '\r' and erased at the end, so the summary line and the
 * diagnostics that follow start on a clean line.
 *
 * The stages only count (progress_add(): one relaxed atomic add, whether or
 * not a line is shown, from any thread). A timer thread started by
 * progress_start() redraws the line ten times a second, after a first delay
 * (PROGRESS_DELAY_MS; the environment variable SHOWCASE_PROGRESS_DELAY_MS
 * overrides it, which the tests use) so that quick runs print nothing at
 * all. The caller decides whether to show it: main.c does for build and
 * report when stderr is a terminal and --quiet is not given; check, serve
 * and the tests never start it, and then nothing is printed.
 *
 * progress_stop() must come before anything else is printed to stderr
 * (build_run and report_run call it before diag_flush); it is idempotent.
 * One progress line per process: start/stop are not reentrant.
 */
#ifndef SHOWCASE_PROGRESS_H
#define SHOWCASE_PROGRESS_H

enum progress_counter {
	PROGRESS_RECORDS,  /* records read and validated (model.c) */
	PROGRESS_PAGES,    /* files written to the new output (write.c) */
	PROGRESS_BOOKLETS, /* booklets typeset (build.c, report.c) */
	PROGRESS_NCOUNTERS
};

#define PROGRESS_DELAY_MS 300

/* Count `n` more of `counter`. Thread-safe; cheap when nothing is shown. */
void progress_add(enum progress_counter counter, long n);

/* Reset the counters and, when `show`, start drawing on stderr (fd 2).
 * Returns 0, or -1 when the timer thread cannot start (then nothing is
 * shown; the build goes on). */
int progress_start(int show);

/* Stop drawing and erase the line if one was drawn. Idempotent. */
void progress_stop(void);

/*
 * With SHOWCASE_DEBUG_STATS set in the environment, print to stderr how
 * long the process has run when it reaches `stage` ("showcase: stage load
 * done at 812 ms"), for profiling where a build's time goes; otherwise
 * nothing. A monotonic clock measured from the first call; never part of
 * any output file. Thread-safe.
 */
void progress_stage(const char *stage);

/* The line as it would be drawn now, without '\r' (for tests), into
 * `out` of `size` bytes. */
void progress_format(char *out, unsigned size);

#endif
