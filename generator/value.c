/*
 * value: see value.h.
 */
#include "value.h"

#include "alloc.h"
#include "arena.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Maps with more members than this get a hash index. */
#define VALUE_INDEX_THRESHOLD 8

struct value value_null_const = { .kind = VALUE_NULL };
struct value value_true_const = { .kind = VALUE_BOOL, .u.boolean = 1 };
struct value value_false_const = { .kind = VALUE_BOOL, .u.boolean = 0 };

struct value *value_new(struct arena *a, enum value_kind kind)
{
	struct value *v = arena_calloc(a, 1, sizeof(*v));
	v->kind = kind;
	return v;
}

struct value *value_null(struct arena *a)
{
	return value_new(a, VALUE_NULL);
}

struct value *value_bool(struct arena *a, int b)
{
	struct value *v = value_new(a, VALUE_BOOL);
	v->u.boolean = !!b;
	return v;
}

struct value *value_int(struct arena *a, long long i)
{
	struct value *v = value_new(a, VALUE_INT);
	v->u.integer = i;
	return v;
}

struct value *value_string_ref(struct arena *a, const char *s, size_t len)
{
	struct value *v = value_new(a, VALUE_STRING);
	v->u.str.ptr = s;
	v->u.str.len = len;
	return v;
}

struct value *value_cstring_ref(struct arena *a, const char *s)
{
	return s ? value_string_ref(a, s, strlen(s)) : value_string_ref(a, "", 0);
}

struct value *value_string(struct arena *a, const char *s, size_t len)
{
	return value_string_ref(a, arena_strndup(a, s, len), len);
}

struct value *value_cstring(struct arena *a, const char *s)
{
	return value_string(a, s, strlen(s));
}

struct value *value_list(struct arena *a)
{
	return value_new(a, VALUE_LIST);
}

struct value *value_map(struct arena *a)
{
	return value_new(a, VALUE_MAP);
}

struct value *value_list_sized(struct arena *a, size_t n)
{
	struct value *v = value_list(a);
	if (n) {
		v->u.list.items = arena_alloc(a, st_mult(n, sizeof(*v->u.list.items)));
		v->u.list.cap = n;
	}
	return v;
}

struct value *value_map_sized(struct arena *a, size_t n)
{
	struct value *v = value_map(a);
	if (n) {
		v->u.map.members = arena_alloc(a, st_mult(n, sizeof(*v->u.map.members)));
		v->u.map.cap = n;
	}
	return v;
}

void value_list_push(struct arena *a, struct value *list, struct value *item)
{
	if (list->kind != VALUE_LIST)
		BUG("value_list_push on a %s", value_kind_name(list->kind));
	if (list->u.list.len == list->u.list.cap) {
		size_t cap = list->u.list.cap ? list->u.list.cap * 2 : 4;
		list->u.list.items = arena_grow_array(a, list->u.list.items,
						      list->u.list.len, cap,
						      sizeof(*list->u.list.items));
		list->u.list.cap = cap;
	}
	list->u.list.items[list->u.list.len++] = item;
}

/* FNV-1a: short keys, no adversary that profits from collisions here. */
static size_t hash_key(const char *key, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)key[i];
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

static void index_insert(struct value *map, size_t member)
{
	const struct value_member *m = &map->u.map.members[member];
	size_t mask = map->u.map.index_cap - 1;
	size_t i = hash_key(m->key, m->key_len) & mask;
	while (map->u.map.index[i])
		i = (i + 1) & mask;
	map->u.map.index[i] = (unsigned)(member + 1);
}

static void index_rebuild(struct arena *a, struct value *map)
{
	size_t cap = 16;
	while (cap < map->u.map.len * 2)
		cap *= 2;
	map->u.map.index = arena_calloc(a, cap, sizeof(unsigned));
	map->u.map.index_cap = cap;
	for (size_t i = 0; i < map->u.map.len; i++)
		index_insert(map, i);
}

static long find_member(const struct value *map, const char *key, size_t len)
{
	if (!map || map->kind != VALUE_MAP)
		return -1;
	if (map->u.map.index) {
		size_t mask = map->u.map.index_cap - 1;
		size_t i = hash_key(key, len) & mask;
		unsigned slot;
		while ((slot = map->u.map.index[i])) {
			const struct value_member *m = &map->u.map.members[slot - 1];
			if (m->key_len == len && !memcmp(m->key, key, len))
				return (long)slot - 1;
			i = (i + 1) & mask;
		}
		return -1;
	}
	/* Small maps (a record's fields, a card) are scanned: this is the
	 * hottest loop of rendering. A key that is the very string the map
	 * was given (a schema field's name, schema_check.c) matches on the
	 * pointer; others are told apart by length and first byte before a
	 * memcmp() call. */
	for (size_t i = 0; i < map->u.map.len; i++) {
		const struct value_member *m = &map->u.map.members[i];
		if (m->key_len == len &&
		    (m->key == key || !len ||
		     (m->key[0] == key[0] && !memcmp(m->key, key, len))))
			return (long)i;
	}
	return -1;
}

struct value_member *value_map_add(struct arena *a, struct value *map,
				   const char *key, size_t key_len,
				   struct value *val, unsigned line,
				   unsigned col)
{
	if (map->kind != VALUE_MAP)
		BUG("value_map_add on a %s", value_kind_name(map->kind));
	if (find_member(map, key, key_len) >= 0)
		return NULL;
	if (map->u.map.len == map->u.map.cap) {
		size_t cap = map->u.map.cap ? map->u.map.cap * 2 : 4;
		map->u.map.members = arena_grow_array(a, map->u.map.members,
						      map->u.map.len, cap,
						      sizeof(*map->u.map.members));
		map->u.map.cap = cap;
	}
	size_t idx = map->u.map.len++;
	struct value_member *m = &map->u.map.members[idx];
	m->key = key;
	m->key_len = key_len;
	m->val = val;
	m->line = line;
	m->col = col;
	if (map->u.map.len > VALUE_INDEX_THRESHOLD) {
		if (!map->u.map.index || map->u.map.len * 2 > map->u.map.index_cap)
			index_rebuild(a, map);
		else
			index_insert(map, idx);
	}
	return m;
}

void value_map_setn(struct arena *a, struct value *map, const char *key,
		    size_t key_len, struct value *val)
{
	long i = find_member(map, key, key_len);
	if (i >= 0)
		map->u.map.members[i].val = val;
	else
		value_map_add(a, map, key, key_len, val, 0, 0);
}

void value_map_set(struct arena *a, struct value *map, const char *key,
		   struct value *val)
{
	value_map_setn(a, map, key, strlen(key), val);
}

const struct value_member *value_map_member(const struct value *map,
					    const char *key, size_t key_len)
{
	long i = find_member(map, key, key_len);
	return i >= 0 ? &map->u.map.members[i] : NULL;
}

struct value *value_map_getn(const struct value *map, const char *key,
			     size_t key_len)
{
	long i = find_member(map, key, key_len);
	return i >= 0 ? map->u.map.members[i].val : NULL;
}

struct value *value_map_get(const struct value *map, const char *key)
{
	return value_map_getn(map, key, strlen(key));
}

const char *value_str(const struct value *v)
{
	return v && v->kind == VALUE_STRING ? v->u.str.ptr : NULL;
}

long long value_int_or(const struct value *v, long long fallback)
{
	return v && v->kind == VALUE_INT ? v->u.integer : fallback;
}

int value_truthy(const struct value *v)
{
	if (!v)
		return 0;
	switch (v->kind) {
	case VALUE_NULL: return 0;
	case VALUE_BOOL: return v->u.boolean;
	case VALUE_LIST: return v->u.list.len > 0;
	default: return 1;
	}
}

static int eq(const struct value *v, const char *s)
{
	return v->u.str.len == strlen(s) && !memcmp(v->u.str.ptr, s, v->u.str.len);
}

static int parse_core_int(const char *s, size_t len, long long *out)
{
	int base = 10;
	const char *p = s;
	char *end;
	if (!len)
		return 0;
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
		base = s[1] == 'x' ? 16 : 8;
		p = s + 2;
	} else {
		size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
		if (i == len)
			return 0;
		for (; i < len; i++)
			if (s[i] < '0' || s[i] > '9')
				return 0;
	}
	errno = 0;
	long long v = strtoll(p, &end, base);
	if (errno || end != s + len || end == p)
		return 0;
	*out = v;
	return 1;
}

static void resolve_scalar(struct value *v)
{
	long long i;
	if (!(v->flags & VALUE_PLAIN))
		return;
	v->flags &= ~(unsigned)VALUE_PLAIN;
	if (!v->u.str.len || eq(v, "~") || eq(v, "null") || eq(v, "Null") ||
	    eq(v, "NULL")) {
		v->kind = VALUE_NULL;
	} else if (eq(v, "true") || eq(v, "True") || eq(v, "TRUE")) {
		v->kind = VALUE_BOOL;
		v->u.boolean = 1;
	} else if (eq(v, "false") || eq(v, "False") || eq(v, "FALSE")) {
		v->kind = VALUE_BOOL;
		v->u.boolean = 0;
	} else if (parse_core_int(v->u.str.ptr, v->u.str.len, &i)) {
		v->kind = VALUE_INT;
		v->u.integer = i;
	}
}

/* The lists and maps a walk has entered, by address (open addressing). */
struct seen {
	const struct value **slots;
	size_t cap, len;
};

/* Add `v`; returns 0 if it was there already. */
static int seen_add(struct seen *s, const struct value *v)
{
	if (2 * (s->len + 1) > s->cap) {
		struct seen g = { NULL, s->cap ? st_mult(s->cap, 2) : 64, 0 };
		g.slots = xcalloc(g.cap, sizeof(*g.slots));
		for (size_t k = 0; k < s->cap; k++)
			if (s->slots[k])
				seen_add(&g, s->slots[k]);
		free(s->slots);
		*s = g;
	}
	uint64_t h = (uint64_t)((uintptr_t)v >> 4) * 0x9E3779B97F4A7C15ULL;
	size_t mask = s->cap - 1;
	size_t k = (size_t)(h ^ (h >> 32)) & mask; /* the high bits mix best */
	for (; s->slots[k]; k = (k + 1) & mask)
		if (s->slots[k] == v)
			return 0;
	s->slots[k] = v;
	s->len++;
	return 1;
}

/*
 * YAML aliases make the tree a graph: yamlv shares an anchored value
 * between its aliases, and an alias inside its own anchor makes a cycle.
 * So walk with an explicit stack (no recursion depth to overflow) and
 * enter each list or map once: a cycle ends, and an "alias bomb" costs
 * its size in the file, not the size of the tree it describes.
 */
void value_resolve_scalars(struct value *v)
{
	struct seen seen = { NULL, 0, 0 };
	struct value **stack, *cur;
	size_t n = 0, cap = 64;

	if (v->kind == VALUE_STRING) {
		resolve_scalar(v);
		return;
	}
	if (v->kind != VALUE_LIST && v->kind != VALUE_MAP)
		return;
	stack = xmalloc(cap * sizeof(*stack));
	stack[n++] = v;
	while (n) {
		cur = stack[--n];
		if (cur->kind == VALUE_STRING) {
			resolve_scalar(cur);
			continue;
		}
		if ((cur->kind != VALUE_LIST && cur->kind != VALUE_MAP) ||
		    !seen_add(&seen, cur))
			continue;
		size_t len = cur->kind == VALUE_LIST ? cur->u.list.len
						     : cur->u.map.len;
		if (len > cap - n) {
			while (len > cap - n)
				cap = st_mult(cap, 2);
			stack = xrealloc(stack, st_mult(cap, sizeof(*stack)));
		}
		for (size_t k = len; k-- > 0;)
			stack[n++] = cur->kind == VALUE_LIST
					     ? cur->u.list.items[k]
					     : cur->u.map.members[k].val;
	}
	free(stack);
	free(seen.slots);
}

const char *value_kind_name(enum value_kind kind)
{
	switch (kind) {
	case VALUE_NULL: return "null";
	case VALUE_BOOL: return "boolean";
	case VALUE_INT: return "integer";
	case VALUE_STRING: return "string";
	case VALUE_LIST: return "list";
	case VALUE_MAP: return "map";
	}
	return "?";
}
