/*
 * alloc: allocation wrappers that abort on out-of-memory, and overflow-checked
 * size arithmetic.
 *
 * A build tool gains nothing from recovering from a failed malloc, so every
 * allocation in showcase goes through these wrappers (as git's xmalloc and
 * cmark's mem do) and callers never test for NULL.
 */
#ifndef SHOWCASE_ALLOC_H
#define SHOWCASE_ALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t len);

/* Return a + b, or abort if the sum overflows size_t. */
size_t st_add(size_t a, size_t b);
/* Return a * b, or abort if the product overflows size_t. */
size_t st_mult(size_t a, size_t b);

/* Print "fatal: ..." to stderr and abort: for programmer errors and OOM. */
#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 1, 2)))
#endif
void die_bug(const char *fmt, ...);

#define BUG(...) die_bug(__VA_ARGS__)

#endif
