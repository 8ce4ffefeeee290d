/*
 * value: the generator's own data model, shared by every stage.
 *
 * Front matter, site.yaml, the schema, the model's collections and the data
 * that templates see are all trees of `struct value`: null, boolean,
 * integer, string, list or map. Templates never see YAML or cmark objects.
 *
 * Values carry the line and column (1-based; 0 when computed) of the YAML
 * node they came from, so that any later stage can point a diagnostic at the
 * committed file.
 *
 * Scalars read from YAML stay strings (flag VALUE_PLAIN when unquoted) until
 * something gives them a type: the schema for records, value_resolve_scalars()
 * (YAML 1.2 core schema) for configuration. This keeps "007" and "2024" as
 * written when a field is declared a string.
 *
 * Ownership and threads: values live in an arena (see arena.h) and are built
 * by one thread. After the model stage they are never modified, so any
 * number of threads may read them at once. Strings are NUL-terminated and may
 * point into memory the arena does not own (value_string_ref) as long as that
 * memory outlives the value.
 *
 * Maps keep insertion order (so templates iterate them as written) and gain
 * a hash index once they grow past a few members, so lookups are O(1).
 */
#ifndef SHOWCASE_VALUE_H
#define SHOWCASE_VALUE_H

#include <stddef.h>

struct arena;

enum value_kind {
	VALUE_NULL,
	VALUE_BOOL,
	VALUE_INT,
	VALUE_STRING,
	VALUE_LIST,
	VALUE_MAP,
};

enum value_flags {
	VALUE_PLAIN = 1, /* an unquoted YAML scalar, not yet typed */
};

struct value;

struct value_member {
	const char *key;
	size_t key_len;
	struct value *val;
	unsigned line, col; /* of the key */
};

struct value {
	enum value_kind kind;
	unsigned flags;
	unsigned line, col;
	union {
		int boolean;
		long long integer;
		struct {
			const char *ptr;
			size_t len;
		} str;
		struct {
			struct value **items;
			size_t len, cap;
		} list;
		struct {
			struct value_member *members;
			size_t len, cap;
			unsigned *index; /* open addressing, member index + 1; NULL if small */
			size_t index_cap;
		} map;
	} u;
};

/* Shared immutable constants; never modify them. */
extern struct value value_null_const, value_true_const, value_false_const;

struct value *value_new(struct arena *a, enum value_kind kind);
struct value *value_null(struct arena *a);
struct value *value_bool(struct arena *a, int b);
struct value *value_int(struct arena *a, long long i);
/* Copies `len` bytes of `s` into the arena. */
struct value *value_string(struct arena *a, const char *s, size_t len);
struct value *value_cstring(struct arena *a, const char *s);
/* Does not copy: `s` (NUL-terminated at s[len]) must outlive the value. */
struct value *value_string_ref(struct arena *a, const char *s, size_t len);
/* The same for a C string; NULL gives the empty string. */
struct value *value_cstring_ref(struct arena *a, const char *s);
struct value *value_list(struct arena *a);
struct value *value_map(struct arena *a);
/* The same with room for `n` items or members, so that building a value of
 * known size wastes no arena memory on growing. */
struct value *value_list_sized(struct arena *a, size_t n);
struct value *value_map_sized(struct arena *a, size_t n);

void value_list_push(struct arena *a, struct value *list, struct value *item);
/* Set key to val, replacing an existing member with the same key. The key is
 * not copied: it must outlive the map (use arena memory or literals). */
void value_map_set(struct arena *a, struct value *map, const char *key,
		   struct value *val);
void value_map_setn(struct arena *a, struct value *map, const char *key,
		    size_t key_len, struct value *val);
/* Like value_map_setn, but records the key's source position; returns the
 * member, or NULL if the key already existed (the map is left unchanged). */
struct value_member *value_map_add(struct arena *a, struct value *map,
				   const char *key, size_t key_len,
				   struct value *val, unsigned line,
				   unsigned col);

/* Lookups return NULL when absent (or when `map` is not a map). */
struct value *value_map_get(const struct value *map, const char *key);
struct value *value_map_getn(const struct value *map, const char *key,
			     size_t key_len);
const struct value_member *value_map_member(const struct value *map,
					    const char *key, size_t key_len);

/* Convenience accessors: the string of a string value, else NULL; and so on. */
const char *value_str(const struct value *v);
long long value_int_or(const struct value *v, long long fallback);

/* Mustache truthiness: null, false and the empty list are false. */
int value_truthy(const struct value *v);

/* Type plain scalars in place by the YAML 1.2 core schema: null, ~ and empty
 * to null; true/false to booleans; decimal, 0x and 0o integers to integers.
 * Other scalars (including floats) stay strings. */
void value_resolve_scalars(struct value *v);

const char *value_kind_name(enum value_kind kind);

#endif
