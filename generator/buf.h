/*
 * buf: a growable byte buffer, modelled on git's strbuf.
 *
 * Invariants: `ptr` is never NULL and `ptr[len]` is always '\0', so the
 * contents can be passed to C string functions at any time (they may also
 * hold NUL bytes of their own). A buffer initialised with BUF_INIT or
 * buf_init() owns no memory until something is added.
 *
 * Ownership: the buffer owns `ptr`; buf_release() frees it and resets the
 * buffer to empty. buf_detach() hands the bytes to the caller, who must
 * free() them, and leaves the buffer empty.
 *
 * Not thread-safe; give each thread its own buffer.
 */
#ifndef SHOWCASE_BUF_H
#define SHOWCASE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *ptr;
	size_t len;
	size_t cap; /* 0 while ptr points at the shared empty string */
};

extern char buf_empty_[];
#define BUF_INIT { buf_empty_, 0, 0 }

void buf_init(struct buf *b, size_t hint);
void buf_release(struct buf *b);
/* Make room for at least `extra` more bytes (plus the terminating NUL). */
void buf_grow(struct buf *b, size_t extra);
/* Empty the buffer but keep its memory for reuse. */
void buf_reset(struct buf *b);
/* Shorten to `len` bytes; `len` must not exceed the current length. */
void buf_truncate(struct buf *b, size_t len);
/* Return the bytes (caller frees) and leave the buffer empty. */
char *buf_detach(struct buf *b, size_t *len);

void buf_add(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, int c);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void buf_printf(struct buf *b, const char *fmt, ...);
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);

/* Append `len` bytes of `s` with & < > " ' replaced by HTML entities. */
void buf_add_html_escaped(struct buf *b, const char *s, size_t len);

/* Append `s` (UTF-8) as a JSON string: quoted, with '"', '\\' and control
 * characters escaped (\n, \t... or \u00XX), and "</" written "<\/" so
 * that the text is safe even inside an HTML <script>. */
void buf_add_json_string(struct buf *b, const char *s);

/* Append `len` bytes of `s` with every %XX (hex digits, either case)
 * decoded; a '%' not followed by two hex digits stays as written.
 * Returns 0, or -1 when a %00 would put a NUL in the text (what was
 * decoded before it stays appended). */
int buf_add_percent_decoded(struct buf *b, const char *s, size_t len);

/* Append everything `fd` holds until its end (the file's size from
 * fstat() is reserved first). Returns 0, or -1 with errno; `fd` stays
 * open. */
int buf_read_fd(struct buf *b, int fd);

#endif
