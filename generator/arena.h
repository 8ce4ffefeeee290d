/*
 * arena: a bump allocator for build-lifetime data (records, scalars, slugs,
 * compiled templates), freed all at once, like git's mem_pool and libgit2's
 * git_pool.
 *
 * Ownership: everything returned by arena_* belongs to the arena and is freed
 * by arena_release(); never free() it yourself. Memory is 16-byte aligned.
 *
 * Not thread-safe: allocate from one thread; data in an arena may then be
 * read from many threads. Work shared out to threads gives each worker an
 * arena of its own, which arena_adopt() hands over when it is done.
 */
#ifndef SHOWCASE_ARENA_H
#define SHOWCASE_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;
	size_t total; /* bytes handed out, for statistics */
};

#define ARENA_INIT { NULL, 0 }

void arena_init(struct arena *a);
void arena_release(struct arena *a);

/* Move every block of `from` into `into`, which then owns (and frees)
 * what was allocated from either; `from` is left empty and usable.
 * O(blocks of `from`). */
void arena_adopt(struct arena *into, struct arena *from);

void *arena_alloc(struct arena *a, size_t size);
void *arena_calloc(struct arena *a, size_t count, size_t size);
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_strdup(struct arena *a, const char *s);
/* printf into arena memory. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
char *arena_printf(struct arena *a, const char *fmt, ...);
/* Grow an arena array: returns a copy of `old` (old_count elements) with room
 * for new_count; the old memory stays in the arena until release. */
void *arena_grow_array(struct arena *a, void *old, size_t old_count,
		       size_t new_count, size_t elem_size);

#endif
