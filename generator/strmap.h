/*
 * strmap: a string-keyed hash map of pointers, for the model's indexes
 * (records by slug, records by file path, assets by path).
 *
 * Open addressing with linear probing; keys are not copied (they must
 * outlive the map: arena strings or literals). Lookups are O(1) expected.
 * Not thread-safe for writes; concurrent reads of a map nobody writes are
 * fine.
 *
 * Ownership: strmap_release() frees the table, never the keys or values.
 */
#ifndef SHOWCASE_STRMAP_H
#define SHOWCASE_STRMAP_H

#include <stddef.h>

struct strmap_slot {
	const char *key;
	void *val;
};

struct strmap {
	struct strmap_slot *slots;
	size_t cap, len;
};

#define STRMAP_INIT { NULL, 0, 0 }

/* Insert; returns the existing value (and leaves it) if the key is taken,
 * NULL after inserting. */
void *strmap_put(struct strmap *m, const char *key, void *val);
void *strmap_get(const struct strmap *m, const char *key);
void strmap_release(struct strmap *m);

#endif
