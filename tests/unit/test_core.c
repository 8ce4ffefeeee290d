/*
 * Unit tests of the shared core: buf, arena, value, strmap, diag, utf8.
 */
#include <string.h>

#include "testutil.h"

#include "arena.h"
#include "buf.h"
#include "strmap.h"
#include "utf8.h"
#include "value.h"

static void test_buf_basics(void **state)
{
	struct buf b = BUF_INIT;
	(void)state;
	assert_string_equal(b.ptr, "");
	buf_puts(&b, "教师");
	buf_printf(&b, "%d", 42);
	buf_putc(&b, '!');
	assert_string_equal(b.ptr, "教师42!");
	assert_int_equal(b.len, strlen("教师42!"));
	buf_truncate(&b, 6);
	assert_string_equal(b.ptr, "教师");
	buf_reset(&b);
	assert_string_equal(b.ptr, "");
	for (int i = 0; i < 10000; i++)
		buf_puts(&b, "abc");
	assert_int_equal(b.len, 30000);
	size_t len;
	char *p = buf_detach(&b, &len);
	assert_int_equal(len, 30000);
	assert_string_equal(b.ptr, "");
	free(p);
	buf_release(&b);
}

static void test_buf_escape(void **state)
{
	struct buf b = BUF_INIT;
	const char *in = "<a href=\"x\">'&'</a>";
	(void)state;
	buf_add_html_escaped(&b, in, strlen(in));
	assert_string_equal(b.ptr,
		"&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
	buf_release(&b);
}

static void test_arena(void **state)
{
	struct arena a = ARENA_INIT;
	(void)state;
	char *s = arena_strdup(&a, "工作室");
	assert_string_equal(s, "工作室");
	for (int i = 0; i < 5000; i++) {
		void *p = arena_alloc(&a, (size_t)(i % 97) + 1);
		assert_int_equal((uintptr_t)p % 16, 0);
	}
	void *big = arena_alloc(&a, 1 << 20);
	memset(big, 1, 1 << 20);
	assert_string_equal(arena_printf(&a, "%s-%d", "x", 7), "x-7");
	arena_release(&a);
}

/* What workers allocate in arenas of their own outlives them in the
 * arena that adopts them (model.c's records): still readable, freed once
 * (ASan and valgrind would see a double free or a leak). */
static void test_arena_adopt(void **state)
{
	struct arena into = ARENA_INIT, from = ARENA_INIT, none = ARENA_INIT;
	char *kept[3];
	(void)state;
	kept[0] = arena_strdup(&into, "into");
	kept[1] = arena_strdup(&from, "from");
	memset(arena_alloc(&from, 1 << 20), 2, 1 << 20); /* a block of its own */
	kept[2] = arena_strdup(&from, "after the big one");
	size_t total = into.total + from.total;
	arena_adopt(&into, &from);
	assert_null(from.head);
	assert_int_equal(from.total, 0);
	assert_int_equal(into.total, total);
	/* The adopting arena goes on filling its own current block. */
	char *next = arena_strdup(&into, "next");
	assert_true(next > kept[0] && next - kept[0] < 64);
	assert_string_equal(kept[0], "into");
	assert_string_equal(kept[1], "from");
	assert_string_equal(kept[2], "after the big one");
	/* Into an empty arena; of an empty arena. */
	kept[1] = arena_strdup(&from, "again");
	arena_adopt(&none, &from);
	arena_adopt(&none, &from);
	assert_string_equal(kept[1], "again");
	arena_adopt(&into, &none);
	assert_string_equal(kept[1], "again");
	arena_release(&into);
	arena_release(&from);
	arena_release(&none);
}

static void test_value_map(void **state)
{
	struct arena a = ARENA_INIT;
	struct value *m = value_map(&a);
	char key[32];
	(void)state;
	/* Past the index threshold, with replacement and order kept. */
	for (int i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		value_map_set(&a, m, arena_strdup(&a, key), value_int(&a, i));
	}
	value_map_set(&a, m, "k5", value_cstring(&a, "five"));
	assert_int_equal(m->u.map.len, 100);
	assert_string_equal(m->u.map.members[5].key, "k5");
	assert_string_equal(value_str(value_map_get(m, "k5")), "five");
	assert_int_equal(value_int_or(value_map_get(m, "k99"), -1), 99);
	assert_null(value_map_get(m, "k100"));
	assert_null(value_map_add(&a, m, "k1", 2, value_null(&a), 0, 0));
	arena_release(&a);
}

/* A small map is scanned (no index): a key matches on its pointer or on
 * its bytes, never on a shared first byte or a prefix of the same
 * string. */
static void test_value_map_small(void **state)
{
	struct arena a = ARENA_INIT;
	struct value *m = value_map(&a);
	static const char kind[] = "kind";
	char other[8];
	(void)state;
	value_map_set(&a, m, kind, value_int(&a, 1));
	value_map_set(&a, m, "king", value_int(&a, 2));
	value_map_setn(&a, m, "", 0, value_int(&a, 3));
	value_map_set(&a, m, "k", value_int(&a, 4));
	assert_int_equal(m->u.map.len, 4);
	assert_int_equal(value_int_or(value_map_get(m, kind), -1), 1);
	snprintf(other, sizeof(other), "%s", "kind");
	assert_int_equal(value_int_or(value_map_get(m, other), -1), 1);
	assert_int_equal(value_int_or(value_map_get(m, "king"), -1), 2);
	assert_int_equal(value_int_or(value_map_getn(m, kind, 1), -1), 4);
	assert_int_equal(value_int_or(value_map_getn(m, kind, 0), -1), 3);
	assert_null(value_map_getn(m, kind, 3));
	assert_null(value_map_get(m, "kine"));
	assert_null(value_map_get(m, "Kind"));
	arena_release(&a);
}

static void test_buf_percent_decoded(void **state)
{
	struct buf b = BUF_INIT;
	(void)state;
	assert_int_equal(buf_add_percent_decoded(&b, "a%2Cb%2c%25%zz%4", 16), 0);
	assert_string_equal(b.ptr, "a,b,%%zz%4");
	buf_reset(&b);
	/* Only `len` bytes: the "%41" past it is not read. */
	assert_int_equal(buf_add_percent_decoded(&b, "x%41", 2), 0);
	assert_string_equal(b.ptr, "x%");
	buf_reset(&b);
	assert_int_equal(buf_add_percent_decoded(&b, "%E6%B5%8B", 9), 0);
	assert_string_equal(b.ptr, "测");
	buf_reset(&b);
	assert_int_equal(buf_add_percent_decoded(&b, "a%00b", 5), -1);
	buf_release(&b);
}

static void test_value_resolve(void **state)
{
	struct arena a = ARENA_INIT;
	const char *plain[] = { "2024", "-3", "0x1F", "true", "False", "~", "",
				"1.5", "2024-01-02", "二〇二四" };
	enum value_kind want[] = { VALUE_INT, VALUE_INT, VALUE_INT, VALUE_BOOL,
				   VALUE_BOOL, VALUE_NULL, VALUE_NULL,
				   VALUE_STRING, VALUE_STRING, VALUE_STRING };
	(void)state;
	for (size_t i = 0; i < sizeof(plain) / sizeof(*plain); i++) {
		struct value *v = value_cstring(&a, plain[i]);
		v->flags |= VALUE_PLAIN;
		value_resolve_scalars(v);
		assert_int_equal(v->kind, want[i]);
	}
	struct value *q = value_cstring(&a, "2024");
	value_resolve_scalars(q); /* quoted: stays a string */
	assert_int_equal(q->kind, VALUE_STRING);
	assert_false(value_truthy(value_list(&a)));
	assert_false(value_truthy(&value_null_const));
	assert_true(value_truthy(value_cstring(&a, "")));
	arena_release(&a);
}

/* Found by the fuzz seed fuzz/corpus/site/edge-alias-cycle: site.yaml
 * "title: &t [*t]" is a list that holds itself (yamlv shares aliases), and
 * resolving it recursed until the stack overflowed. */
static void test_resolve_scalars_alias_cycle(void **state)
{
	struct arena a = ARENA_INIT;
	struct value *list = value_list(&a), *map = value_map(&a);
	struct value *s = value_cstring(&a, "true");
	(void)state;
	s->flags |= VALUE_PLAIN;
	value_list_push(&a, list, list);
	value_list_push(&a, list, map);
	value_map_set(&a, map, "self", map);
	value_map_set(&a, map, "up", list);
	value_map_set(&a, map, "s", s);
	value_resolve_scalars(list);
	assert_int_equal(s->kind, VALUE_BOOL);
	assert_ptr_equal(list->u.list.items[0], list);
	arena_release(&a);
}

/* The same walk on shared values: 40 levels that each hold the level
 * below twice describe 2^40 scalars, but resolving costs the 41 values. */
static void test_resolve_scalars_alias_bomb(void **state)
{
	struct arena a = ARENA_INIT;
	struct value *v = value_cstring(&a, "0x10"), *first = v;
	(void)state;
	v->flags |= VALUE_PLAIN;
	for (int i = 0; i < 40; i++) {
		struct value *up = value_list(&a);
		value_list_push(&a, up, v);
		value_list_push(&a, up, v);
		v = up;
	}
	value_resolve_scalars(v); /* would not finish in a lifetime */
	assert_int_equal(first->kind, VALUE_INT);
	assert_int_equal(first->u.integer, 16);
	arena_release(&a);
}

static void test_strmap(void **state)
{
	struct strmap m = STRMAP_INIT;
	static char keys[1000][16];
	(void)state;
	for (int i = 0; i < 1000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "s%d", i);
		assert_null(strmap_put(&m, keys[i], keys[i]));
	}
	assert_ptr_equal(strmap_put(&m, "s7", NULL), keys[7]);
	for (int i = 0; i < 1000; i++)
		assert_ptr_equal(strmap_get(&m, keys[i]), keys[i]);
	assert_null(strmap_get(&m, "nope"));
	strmap_release(&m);
}

static void test_diag_sorted(void **state)
{
	struct diag d;
	(void)state;
	diag_init(&d);
	diag_error(&d, "b.md", 3, 1, "third");
	diag_warning(&d, "a.md", 9, 2, "second");
	diag_error(&d, "a.md", 2, 7, "first '%s'", "x");
	diag_fail(&d, NULL, 0, 0, "whole command");
	diag_error(&d, "c.md", 4, 0, "no column");
	assert_int_equal(diag_error_count(&d), 4);
	assert_int_equal(diag_exit_code(&d), EXIT_SYSTEM);
	assert_diag(&d, "showcase: error: whole command\n"
			"a.md:2:7: error: first 'x'\n"
			"a.md:9:2: warning: second\n"
			"b.md:3:1: error: third\n"
			"c.md:4: error: no column\n");
	diag_release(&d);
}

/* Paths and messages reach the terminal escaped: invalid UTF-8 and
 * control characters cannot act on it (a file name holding ESC [ 2 J would
 * clear the screen); Chinese text is kept as it is. */
static void test_diag_escaped(void **state)
{
	struct diag d;
	(void)state;
	diag_init(&d);
	diag_error(&d, "content/cases/a\xff\x1b[2Jb.md", 1, 1, "name '%s'",
		   "\xe4\xb8\xad\t\xc2\x9b\xe2\x80\xae\x7f\xc0\xaf");
	diag_error(&d, "content/\xe6\xa1\x88\xe4\xbe\x8b.md", 2, 3, "ok");
	assert_diag(&d, "content/cases/a\\xff\\x1b[2Jb.md:1:1: error: name "
			"'\xe4\xb8\xad\\t\\u009b\\u202e\\x7f\\xc0\\xaf'\n"
			"content/\xe6\xa1\x88\xe4\xbe\x8b.md:2:3: error: ok\n");
	diag_release(&d);
}

/* One problem met many times (a template error on each of a thousand
 * pages) is printed once, wherever the repeats fall in the report order;
 * every report still counts. */
static void test_diag_repeats_once(void **state)
{
	struct diag d;
	(void)state;
	diag_init(&d);
	for (int i = 0; i < 1000; i++) {
		diag_fail(&d, "templates/footer.mustache", 33, 1, "too deep");
		diag_error(&d, "a.md", 1, 1, i % 2 ? "odd" : "even");
		diag_warning(&d, "a.md", 1, 1, "odd");
	}
	diag_fail(&d, "templates/footer.mustache", 33, 2, "too deep");
	assert_int_equal(diag_error_count(&d), 2001);
	assert_diag(&d, "a.md:1:1: error: even\n"
			"a.md:1:1: warning: odd\n"
			"a.md:1:1: error: odd\n"
			"templates/footer.mustache:33:1: error: too deep\n"
			"templates/footer.mustache:33:2: error: too deep\n");
	assert_int_equal(diag_exit_code(&d), EXIT_SYSTEM);
	diag_release(&d);
}

/* A booklet's own collector, absorbed after its thread is joined: its
 * reports come after those already there and in their own order (which
 * breaks ties at one position), its counts move with them, and it is left
 * empty. */
static void test_diag_absorb(void **state)
{
	struct diag d, first, second;
	(void)state;
	diag_init(&d);
	diag_init(&first);
	diag_init(&second);
	diag_error(&d, "a.md", 1, 1, "zebra");
	diag_error(&second, "a.md", 1, 1, "apple");
	diag_warning(&first, "a.md", 1, 1, "mango");
	diag_fail(&first, "t.mustache", 2, 1, "broken");
	diag_absorb(&d, &first);
	diag_absorb(&d, &second);
	assert_int_equal(diag_error_count(&first), 0);
	assert_int_equal(diag_exit_code(&first), EXIT_OK);
	assert_int_equal(diag_error_count(&d), 3);
	assert_int_equal(diag_exit_code(&d), EXIT_SYSTEM);
	assert_diag(&first, "");
	assert_diag(&d, "a.md:1:1: error: zebra\n"
			"a.md:1:1: warning: mango\n"
			"a.md:1:1: error: apple\n"
			"t.mustache:2:1: error: broken\n");
	diag_release(&first);
	diag_release(&second);
	diag_release(&d);
}

static void test_utf8(void **state)
{
	unsigned cp = 0;
	(void)state;
	assert_int_equal(utf8_decode("\xe4\xb8\xad", 3, &cp), 3);
	assert_int_equal(cp, 0x4e2d);
	assert_int_equal(utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	assert_int_equal(utf8_decode("\xe4\xb8", 2, &cp), 0);     /* cut */
	assert_int_equal(utf8_decode("\xc0\xaf", 2, &cp), 0);     /* overlong */
	assert_int_equal(utf8_decode("\xed\xa0\x80", 3, &cp), 0); /* surrogate */
	assert_int_equal(utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0);
	assert_int_equal(utf8_decode("\x80", 1, &cp), 0);
	assert_true(utf8_valid("content/案例/a.md", strlen("content/案例/a.md")));
	assert_true(utf8_valid("", 0));
	assert_false(utf8_valid("a\xff" "b", 3));
	assert_false(utf8_valid("\xe6\xa1", 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_basics),
		cmocka_unit_test(test_buf_escape),
		cmocka_unit_test(test_arena),
		cmocka_unit_test(test_arena_adopt),
		cmocka_unit_test(test_value_map),
		cmocka_unit_test(test_value_map_small),
		cmocka_unit_test(test_buf_percent_decoded),
		cmocka_unit_test(test_value_resolve),
		cmocka_unit_test(test_resolve_scalars_alias_cycle),
		cmocka_unit_test(test_resolve_scalars_alias_bomb),
		cmocka_unit_test(test_strmap),
		cmocka_unit_test(test_diag_sorted),
		cmocka_unit_test(test_diag_escaped),
		cmocka_unit_test(test_diag_repeats_once),
		cmocka_unit_test(test_diag_absorb),
		cmocka_unit_test(test_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
