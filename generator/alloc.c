/*
 * alloc: see alloc.h. The only place in showcase that calls malloc directly.
 */
#include "alloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void die_bug(const char *fmt, ...)
{
	va_list ap;
	fputs("fatal: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		die_bug("out of memory allocating %zu bytes", size);
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		die_bug("out of memory allocating %zu x %zu bytes", count, size);
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		die_bug("out of memory reallocating %zu bytes", size);
	return p;
}

char *xstrndup(const char *s, size_t len)
{
	char *p = xmalloc(st_add(len, 1));
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

size_t st_add(size_t a, size_t b)
{
	if (a > SIZE_MAX - b)
		die_bug("size overflow: %zu + %zu", a, b);
	return a + b;
}

size_t st_mult(size_t a, size_t b)
{
	if (a && b > SIZE_MAX / a)
		die_bug("size overflow: %zu * %zu", a, b);
	return a * b;
}
