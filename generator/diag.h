/*
 * diag: the one diagnostics API of showcase.
 *
 * Every problem that a user can fix is reported here as
 *     path:line:column: error: message
 * (or "warning:"), with the line and column in the file as committed. Stages
 * report and keep going, so that a build shows every problem at once, as
 * SQLite counts parse errors in Parse.nErr; the caller decides at the end of
 * a stage whether to stop. Messages follow git's habit: lowercase first
 * word, no final period, the subject in quotes, what is wrong first and then
 * what to do.
 *
 * Each diagnostic has a class that decides the exit code: content problems
 * (the records or site.yaml) exit 1, a command line that asks for something
 * refused (an output folder that is not showcase's) exits 2, and system
 * problems (repository, theme, I/O) exit 3.
 *
 * Diagnostics are collected and printed by diag_flush() sorted by path, line
 * and column, so output is deterministic even when threads report. The
 * collector is thread-safe.
 *
 * What is printed is safe for a terminal whatever the input held: paths
 * and messages are escaped (bytes that are not UTF-8 as \xNN, control
 * and bidirectional characters as \t, \n, \r, \xNN or \uNNNN), so a
 * file name or a YAML string cannot recolour or rewrite the screen. And a
 * problem met many times over (one template error on every page) is
 * printed once.
 *
 * Ownership: the collector copies path and message; callers keep theirs.
 */
#ifndef SHOWCASE_DIAG_H
#define SHOWCASE_DIAG_H

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

enum diag_level {
	DIAG_ERROR,
	DIAG_WARNING,
	DIAG_NOTE,
};

enum diag_class {
	DIAG_CONTENT, /* records, site.yaml: exit 1 */
	DIAG_SYSTEM,  /* repository, theme, I/O: exit 3 */
	DIAG_USAGE,   /* the command line asks for something refused: exit 2 */
};

/* Exit codes of the showcase command. */
enum {
	EXIT_OK = 0,
	EXIT_CONTENT = 1,
	EXIT_USAGE = 2,
	EXIT_SYSTEM = 3,
};

struct diag_entry;

struct diag {
	pthread_mutex_t lock;
	struct diag_entry *items;
	size_t len, cap;
	size_t seq;
	size_t content_errors, system_errors, usage_errors, warnings;
	/* Print the translated message of a diagnostic (diag_msg.h) on a
	 * second line after the English one; set by `showcase check` when the
	 * site's language is zh-CN. */
	int localize;
};

void diag_init(struct diag *d);
void diag_release(struct diag *d);

/* Report a problem. `path` may be NULL (a problem of the whole command);
 * line and col are 1-based, 0 when unknown. */
#if defined(__GNUC__)
__attribute__((format(printf, 7, 8)))
#endif
void diag_report(struct diag *d, enum diag_level level, enum diag_class cls,
		 const char *path, unsigned line, unsigned col,
		 const char *fmt, ...);
void diag_vreport(struct diag *d, enum diag_level level, enum diag_class cls,
		  const char *path, unsigned line, unsigned col,
		  const char *fmt, va_list ap);

/* Report a message already formatted, with its translation `local` (may be
 * NULL), which diag_flush prints too when d->localize is set. Both are
 * copied. */
void diag_report_local(struct diag *d, enum diag_level level,
		       enum diag_class cls, const char *path, unsigned line,
		       unsigned col, const char *message, const char *local);

/* Shorthands: a content error, a content warning, a system error. */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
void diag_error(struct diag *d, const char *path, unsigned line, unsigned col,
		const char *fmt, ...);
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
void diag_warning(struct diag *d, const char *path, unsigned line,
		  unsigned col, const char *fmt, ...);
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
void diag_fail(struct diag *d, const char *path, unsigned line, unsigned col,
	       const char *fmt, ...);

/* Number of errors (of either class) reported so far. */
size_t diag_error_count(const struct diag *d);
/* Every diagnostic reported so far, of any level. */
size_t diag_count(const struct diag *d);

/* Move every diagnostic of `from` into `into`, after those `into` already
 * holds (so ties in the printed order keep that order), and leave `from`
 * empty but usable. For work split over threads that must not see each
 * other's errors: each part reports into its own collector, and the
 * parts are merged in a fixed order once they are done. */
void diag_merge(struct diag *into, struct diag *from);

/* The exit code the errors so far call for: EXIT_OK, EXIT_CONTENT,
 * EXIT_USAGE or EXIT_SYSTEM (system errors win, then usage errors). */
int diag_exit_code(const struct diag *d);

/*
 * Move every diagnostic of `from` into `d`, in the order `from` got them,
 * after those `d` holds, and add `from`'s counts to `d`'s; `from` is left
 * empty (counts included) for reuse or diag_release(). A stage that runs
 * on a thread of its own (a booklet) reports into a collector of its own
 * and is absorbed when it is joined, so that the order of report, which
 * breaks ties in diag_flush(), is the same whatever thread finished first.
 * Call it from one thread while nobody reports into `from`.
 */
void diag_absorb(struct diag *d, struct diag *from);

/* Print the collected diagnostics sorted by path, line, column (then order
 * of report), escaped for the terminal, each distinct line once, and
 * forget them; counts are kept (every report counts, repeats too). */
void diag_flush(struct diag *d, FILE *out);

#endif
