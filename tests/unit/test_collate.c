/*
 * Tests for collate: pinyin order through ICU, keys by level with empty
 * keys last, stability, byte order among strings ICU finds equal, and
 * sorting from several threads at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "collate.h"

#include <pthread.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void test_pinyin_order(void **state)
{
	const char *v[] = { "广西", "湖南", "济源", "甘州", "金坛" };
	const char *want[] = { "甘州", "广西", "湖南", "济源", "金坛" };
	(void)state;

	assert_true(collate_available());
	collate_sort_strings(v, COUNT(v));
	for (size_t i = 0; i < COUNT(v); i++)
		assert_string_equal(v[i], want[i]);
}

static void test_issue_example(void **state)
{
	/* Code-point order put 临泽县 first; pinyin: fu, lin, xing. */
	const char *v[] = { "临泽县", "傅海", "兴宁区", NULL, "" };
	(void)state;

	collate_sort_strings(v, COUNT(v));
	assert_string_equal(v[0], "傅海");
	assert_string_equal(v[1], "临泽县");
	assert_string_equal(v[2], "兴宁区");
	/* No key sorts last, in input order. */
	assert_null(v[3]);
	assert_string_equal(v[4], "");
}

static void test_compare(void **state)
{
	struct collate *c = collate_open();
	(void)state;

	assert_true(collate_compare(c, "甘州", "金坛") < 0);
	assert_true(collate_compare(c, "金坛", "甘州") > 0);
	assert_int_equal(collate_compare(c, "金坛", "金坛"), 0);
	/* Numbers by value. */
	assert_true(collate_compare(c, "第2中学", "第10中学") < 0);
	assert_true(collate_compare(c, "第11名师工作室", "第100名师工作室") < 0);
	/* CLDR's zh puts Han (by pinyin) before Latin letters. */
	assert_true(collate_compare(c, "abc", "甘州") > 0);
	assert_true(collate_compare(c, NULL, "甘州") > 0);
	/* Invalid UTF-8 compares, as U+FFFD, and never equals a valid string. */
	assert_true(collate_compare(c, "\xff", "a") != 0);
	collate_close(c);
}

struct rec {
	const char *region, *title;
	int id;
};

static const char *rec_key(const void *elem, size_t k, void *ctx)
{
	const struct rec *r = elem;
	(void)ctx;
	return k == 0 ? r->region : r->title;
}

static void test_keys_by_level(void **state)
{
	struct rec v[] = {
		{ "湖南", "乙", 1 }, { NULL, "甲", 2 }, { "广西", "丙", 3 },
		{ "湖南", "甲", 4 }, { "广西", "丙", 5 }, { "", "阿", 6 },
	};
	/* No region last; among those, 阿 (a) before 甲 (jia). */
	static const int want[] = { 3, 5, 4, 1, 6, 2 };
	(void)state;

	collate_sort(v, COUNT(v), sizeof(v[0]), 2, rec_key, NULL);
	for (size_t i = 0; i < COUNT(v); i++)
		assert_int_equal(v[i].id, want[i]);
}

static void *sort_many(void *arg)
{
	const char *v[64];
	int *ok = arg;
	static const char *const names[] = { "金坛", "甘州", "湖南", "济源", "广西",
					     "临泽县", "傅海", "兴宁区" };

	*ok = 1;
	for (int round = 0; round < 50; round++) {
		for (size_t i = 0; i < COUNT(v); i++)
			v[i] = names[(i * 5 + (size_t)round) % COUNT(names)];
		collate_sort_strings(v, COUNT(v));
		struct collate *c = collate_open();
		for (size_t i = 1; i < COUNT(v); i++)
			if (collate_compare(c, v[i - 1], v[i]) > 0)
				*ok = 0;
		collate_close(c);
	}
	return NULL;
}

static void test_threads(void **state)
{
	pthread_t t[4];
	int ok[4];
	(void)state;

	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, sort_many, &ok[i]), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_true(ok[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pinyin_order),
		cmocka_unit_test(test_issue_example),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_keys_by_level),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests_name("collate", tests, NULL, NULL);
}
