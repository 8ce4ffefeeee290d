/*
 * diag: see diag.h.
 */
#include "diag.h"

#include "alloc.h"
#include "buf.h"
#include "strmap.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

struct diag_entry {
	char *path; /* NULL for problems of the whole command */
	unsigned line, col;
	size_t seq;
	enum diag_level level;
	char *message;
	char *local; /* the message in the site's language, or NULL */
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
		free(d->items[i].local);
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
	diag_report_local(d, level, cls, path, line, col, msg.ptr, NULL);
	buf_release(&msg);
}

void diag_report_local(struct diag *d, enum diag_level level,
		       enum diag_class cls, const char *path, unsigned line,
		       unsigned col, const char *message, const char *local)
{
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
	e->message = xstrdup(message);
	e->local = local ? xstrdup(local) : NULL;
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

void diag_absorb(struct diag *d, struct diag *from)
{
	pthread_mutex_lock(&d->lock);
	for (size_t i = 0; i < from->len; i++) {
		if (d->len == d->cap) {
			d->cap = d->cap ? d->cap * 2 : 16;
			d->items = xrealloc(d->items,
					    st_mult(d->cap, sizeof(*d->items)));
		}
		d->items[d->len] = from->items[i]; /* the strings move */
		d->items[d->len++].seq = d->seq++;
	}
	d->content_errors += from->content_errors;
	d->system_errors += from->system_errors;
	d->usage_errors += from->usage_errors;
	d->warnings += from->warnings;
	pthread_mutex_unlock(&d->lock);
	from->len = 0;
	from->content_errors = from->system_errors = from->usage_errors = 0;
	from->warnings = 0;
}

/*
 * The counters are read while worker threads may still report (a render
 * thread asks whether to go on), so the readers take the lock too. The
 * lock is the only mutable part of a const diag: cast it, as a mutable
 * member would be in C++.
 */
static pthread_mutex_t *diag_lock_of(const struct diag *d)
{
	return (pthread_mutex_t *)&d->lock;
}

size_t diag_error_count(const struct diag *d)
{
	pthread_mutex_lock(diag_lock_of(d));
	size_t n = d->content_errors + d->system_errors + d->usage_errors;
	pthread_mutex_unlock(diag_lock_of(d));
	return n;
}

size_t diag_count(const struct diag *d)
{
	pthread_mutex_lock(diag_lock_of(d));
	size_t n = d->len;
	pthread_mutex_unlock(diag_lock_of(d));
	return n;
}

void diag_merge(struct diag *into, struct diag *from)
{
	pthread_mutex_lock(&from->lock);
	pthread_mutex_lock(&into->lock);
	for (size_t i = 0; i < from->len; i++) {
		if (into->len == into->cap) {
			into->cap = into->cap ? into->cap * 2 : 16;
			into->items = xrealloc(into->items,
					       st_mult(into->cap, sizeof(*into->items)));
		}
		into->items[into->len] = from->items[i];
		into->items[into->len++].seq = into->seq++;
	}
	into->content_errors += from->content_errors;
	into->system_errors += from->system_errors;
	into->usage_errors += from->usage_errors;
	into->warnings += from->warnings;
	from->len = 0; /* the strings now belong to `into` */
	from->content_errors = from->system_errors = from->usage_errors = 0;
	from->warnings = 0;
	pthread_mutex_unlock(&into->lock);
	pthread_mutex_unlock(&from->lock);
}

int diag_exit_code(const struct diag *d)
{
	int code = EXIT_OK;

	pthread_mutex_lock(diag_lock_of(d));
	if (d->system_errors)
		code = EXIT_SYSTEM;
	else if (d->usage_errors)
		code = EXIT_USAGE;
	else if (d->content_errors)
		code = EXIT_CONTENT;
	pthread_mutex_unlock(diag_lock_of(d));
	return code;
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

/*
 * Code points that must not reach a terminal as they are: C0 and C1
 * controls (an ESC or a CSI in a file name could recolour or rewrite the
 * screen), line separators, and the bidirectional controls that make text
 * read in another order than it is stored.
 */
static int unsafe_code_point(unsigned cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x61c ||
	       cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* Append `s` so that a terminal shows it as it is: bytes that are not
 * UTF-8 as \xNN, unsafe code points as \t, \n, \r or \uNNNN. */
static void add_escaped(struct buf *out, const char *s)
{
	size_t len = strlen(s), n;
	unsigned cp;

	for (size_t i = 0; i < len; i += n) {
		n = utf8_decode(s + i, len - i, &cp);
		if (!n) {
			buf_printf(out, "\\x%02x", (unsigned char)s[i]);
			n = 1;
		} else if (!unsafe_code_point(cp)) {
			buf_add(out, s + i, n);
		} else if (cp == '\t' || cp == '\n' || cp == '\r') {
			buf_putc(out, '\\');
			buf_putc(out, cp == '\t' ? 't' : cp == '\n' ? 'n' : 'r');
		} else if (cp < 0x80) {
			buf_printf(out, "\\x%02x", cp);
		} else {
			buf_printf(out, "\\u%04x", cp);
		}
	}
}

static void format_entry(struct buf *line, const struct diag_entry *e,
			 int localize)
{
	struct buf place = BUF_INIT;

	if (!e->path) {
		buf_puts(&place, "showcase");
	} else {
		add_escaped(&place, e->path);
		if (e->line)
			buf_printf(&place, ":%u", e->line);
		if (e->line && e->col)
			buf_printf(&place, ":%u", e->col);
	}
	buf_add(line, place.ptr, place.len);
	buf_printf(line, ": %s: ", level_name(e->level));
	add_escaped(line, e->message);
	buf_putc(line, '\n');
	if (localize && e->local) {
		/* The same place again, then the level and the message in
		 * Chinese (the one language translated so far: diag_msg.c). */
		buf_add(line, place.ptr, place.len);
		buf_printf(line, ": %s: ", e->level == DIAG_ERROR ? "错误"
				   : e->level == DIAG_WARNING ? "警告" : "注");
		add_escaped(line, e->local);
		buf_putc(line, '\n');
	}
	buf_release(&place);
}

void diag_flush(struct diag *d, FILE *out)
{
	/* Identical lines (one template error met on every page, one broken
	 * image in every booklet) are printed once; they were all counted. */
	struct strmap seen = STRMAP_INIT;
	char **lines;

	pthread_mutex_lock(&d->lock);
	if (d->len)
		qsort(d->items, d->len, sizeof(*d->items), compare_entries);
	lines = xcalloc(d->len ? d->len : 1, sizeof(*lines));
	for (size_t i = 0; i < d->len; i++) {
		struct buf line = BUF_INIT;
		format_entry(&line, &d->items[i], d->localize);
		lines[i] = buf_detach(&line, NULL);
		if (!strmap_put(&seen, lines[i], lines[i]))
			fputs(lines[i], out);
	}
	fflush(out);
	for (size_t i = 0; i < d->len; i++)
		free(lines[i]);
	free(lines);
	strmap_release(&seen);
	forget_entries(d);
	pthread_mutex_unlock(&d->lock);
}
