/*
 * diag: see diag.h.
 */
#include "diag.h"

#include "alloc.h"
#include "buf.h"

#include <stdlib.h>
#include <string.h>

struct diag_entry {
	char *path; /* NULL for problems of the whole command */
	unsigned line, col;
	size_t seq;
	enum diag_level level;
	char *message;
};

void diag_init(struct diag *d)
{
	memset(d, 0, sizeof(*d));
	pthread_mutex_init(&d->lock, NULL);
}

static void forget_entries(struct diag *d)
{
	for (size_t i = 0; i < d->len; i++) {
		free(d->items[i].path);
		free(d->items[i].message);
	}
	d->len = 0;
}

void diag_release(struct diag *d)
{
	forget_entries(d);
	free(d->items);
	pthread_mutex_destroy(&d->lock);
	memset(d, 0, sizeof(*d));
}

void diag_vreport(struct diag *d, enum diag_level level, enum diag_class cls,
		  const char *path, unsigned line, unsigned col,
		  const char *fmt, va_list ap)
{
	struct buf msg = BUF_INIT;
	buf_vprintf(&msg, fmt, ap);

	pthread_mutex_lock(&d->lock);
	if (d->len == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->items = xrealloc(d->items, st_mult(d->cap, sizeof(*d->items)));
	}
	struct diag_entry *e = &d->items[d->len++];
	e->path = path ? xstrdup(path) : NULL;
	e->line = line;
	e->col = col;
	e->seq = d->seq++;
	e->level = level;
	e->message = buf_detach(&msg, NULL);
	if (level == DIAG_ERROR) {
		if (cls == DIAG_SYSTEM)
			d->system_errors++;
		else if (cls == DIAG_USAGE)
			d->usage_errors++;
		else
			d->content_errors++;
	} else if (level == DIAG_WARNING) {
		d->warnings++;
	}
	pthread_mutex_unlock(&d->lock);
}

void diag_report(struct diag *d, enum diag_level level, enum diag_class cls,
		 const char *path, unsigned line, unsigned col,
		 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(d, level, cls, path, line, col, fmt, ap);
	va_end(ap);
}

void diag_error(struct diag *d, const char *path, unsigned line, unsigned col,
		const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(d, DIAG_ERROR, DIAG_CONTENT, path, line, col, fmt, ap);
	va_end(ap);
}

void diag_warning(struct diag *d, const char *path, unsigned line,
		  unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(d, DIAG_WARNING, DIAG_CONTENT, path, line, col, fmt, ap);
	va_end(ap);
}

void diag_fail(struct diag *d, const char *path, unsigned line, unsigned col,
	       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(d, DIAG_ERROR, DIAG_SYSTEM, path, line, col, fmt, ap);
	va_end(ap);
}

size_t diag_error_count(const struct diag *d)
{
	return d->content_errors + d->system_errors + d->usage_errors;
}

int diag_exit_code(const struct diag *d)
{
	if (d->system_errors)
		return EXIT_SYSTEM;
	if (d->usage_errors)
		return EXIT_USAGE;
	if (d->content_errors)
		return EXIT_CONTENT;
	return EXIT_OK;
}

static int compare_entries(const void *pa, const void *pb)
{
	const struct diag_entry *a = pa, *b = pb;
	/* Whole-command problems first, then by file. */
	if (!a->path != !b->path)
		return a->path ? 1 : -1;
	if (a->path) {
		int c = strcmp(a->path, b->path);
		if (c)
			return c;
	}
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static const char *level_name(enum diag_level level)
{
	switch (level) {
	case DIAG_ERROR: return "error";
	case DIAG_WARNING: return "warning";
	case DIAG_NOTE: return "note";
	}
	return "?";
}

void diag_flush(struct diag *d, FILE *out)
{
	pthread_mutex_lock(&d->lock);
	if (d->len)
		qsort(d->items, d->len, sizeof(*d->items), compare_entries);
	for (size_t i = 0; i < d->len; i++) {
		const struct diag_entry *e = &d->items[i];
		if (!e->path)
			fprintf(out, "showcase: ");
		else if (!e->line)
			fprintf(out, "%s: ", e->path);
		else if (!e->col)
			fprintf(out, "%s:%u: ", e->path, e->line);
		else
			fprintf(out, "%s:%u:%u: ", e->path, e->line, e->col);
		fprintf(out, "%s: %s\n", level_name(e->level), e->message);
	}
	fflush(out);
	forget_entries(d);
	pthread_mutex_unlock(&d->lock);
}
