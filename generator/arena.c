/*
 * arena: see arena.h. Blocks of at least ARENA_BLOCK bytes form a singly
 * linked list; a request larger than a block gets a block of its own so
 * that big blobs do not waste the rest of the current block.
 */
#include "arena.h"

#include "alloc.h"
#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK (64 * 1024)
#define ARENA_ALIGN 16

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->total = 0;
}

void arena_release(struct arena *a)
{
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	arena_init(a);
}

void arena_adopt(struct arena *into, struct arena *from)
{
	struct arena_block *tail = from->head;

	if (!tail)
		return;
	while (tail->next)
		tail = tail->next;
	/* Behind `into`'s current block, which its next allocations fill. */
	if (into->head) {
		tail->next = into->head->next;
		into->head->next = from->head;
	} else {
		into->head = from->head;
	}
	into->total += from->total;
	arena_init(from);
}

static struct arena_block *new_block(size_t size)
{
	struct arena_block *b = xmalloc(st_add(sizeof(*b), size));
	b->next = NULL;
	b->used = 0;
	b->size = size;
	return b;
}

void *arena_alloc(struct arena *a, size_t size)
{
	struct arena_block *b = a->head;
	size = st_add(size, ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (!size)
		size = ARENA_ALIGN;
	a->total += size;
	if (size > ARENA_BLOCK / 4) {
		/* Large: own block, linked behind the current one. */
		struct arena_block *big = new_block(size);
		big->used = size;
		if (b) {
			big->next = b->next;
			b->next = big;
		} else {
			a->head = big;
		}
		return big->data;
	}
	if (!b || b->size - b->used < size) {
		b = new_block(ARENA_BLOCK);
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += size;
	return p;
}

void *arena_calloc(struct arena *a, size_t count, size_t size)
{
	size_t n = st_mult(count, size);
	void *p = arena_alloc(a, n);
	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p = arena_alloc(a, st_add(len, 1));
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	char *p = arena_strndup(a, b.ptr, b.len);
	buf_release(&b);
	return p;
}

void *arena_grow_array(struct arena *a, void *old, size_t old_count,
		       size_t new_count, size_t elem_size)
{
	void *p = arena_alloc(a, st_mult(new_count, elem_size));
	if (old_count)
		memcpy(p, old, st_mult(old_count < new_count ? old_count : new_count, elem_size));
	return p;
}
