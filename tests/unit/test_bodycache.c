/*
 * Tests for bodycache: the file beside the output round-trips, and a file
 * that is not exactly one written for the same base key (cut at any
 * byte, a byte changed, another base) is never used.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "bodycache.h"
#include "diag.h"
#include "testutil.h"
#include "write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmproot[4096];
static const char base[] =
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

#define tpath(rel) test_path(tmproot, (rel))

static int setup(void **state)
{
	char tmpl[] = "/tmp/showcase-test-bodycache-XXXXXX";
	(void)state;
	assert_non_null(mkdtemp(tmpl));
	assert_non_null(realpath(tmpl, tmproot));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_sh("rm -rf '%s'", tmproot);
	return 0;
}

static void key_of(char key[65], int n)
{
	for (int i = 0; i < 64; i++)
		key[i] = "0123456789abcdef"[(n * 7 + i) % 16];
	key[64] = '\0';
}

/* Write a cache of three entries (the second not kept) beside out/ with
 * base `b`, through a build that is committed. */
static int write_cache(const char *b, struct diag *d)
{
	char keys[3][65];
	char *texts[3] = { "正文一", "not kept", "" };
	char *prose[3] = { "散文一", NULL, NULL };
	char *links[3] = { "icontent/a.png\0acontent/cases/c2.md", NULL, NULL };
	size_t links_len[3] = { 36, 0, 0 };
	struct writer *w;
	int ret;

	key_of(keys[0], 1);
	keys[1][0] = '\0';
	key_of(keys[2], 3);
	assert_int_equal(write_begin(&w, tpath("out"), 0, d), 0);
	ret = bodycache_write(w, b, 3, keys, texts, prose, links, links_len, d);
	assert_int_equal(write_commit(w, d), 0);
	return ret;
}

static void test_round_trip(void **state)
{
	struct diag d;
	struct bodycache *c;
	struct bodycache_entry e;
	const char *why = NULL;
	char key[65];

	(void)state;
	diag_init(&d);
	assert_int_equal(write_cache(base, &d), 0);
	assert_int_equal(diag_count(&d), 0);
	/* Beside the output, nothing left in it. */
	assert_int_equal(access(tpath(".out.showcase-cache"), R_OK), 0);
	assert_int_equal(access(tpath("out/.showcase-cache-tmp"), F_OK), -1);

	assert_non_null(c = bodycache_open(tpath("out"), base, 3, NULL));
	key_of(key, 1);
	assert_int_equal(bodycache_find(c, key, &e), 1);
	assert_string_equal(e.text, "正文一");
	assert_string_equal(e.prose, "散文一");
	assert_int_equal(e.links_len, 36);
	assert_memory_equal(e.links, "icontent/a.png\0acontent/cases/c2.md", 36);
	key_of(key, 3);
	assert_int_equal(bodycache_find(c, key, &e), 1);
	assert_string_equal(e.text, "");
	assert_string_equal(e.prose, "");
	assert_int_equal(e.links_len, 0);
	key_of(key, 2);
	assert_int_equal(bodycache_find(c, key, &e), 0);
	bodycache_free(c);

	/* Another base key: not used. */
	{
		char other[65];
		memcpy(other, base, sizeof(other));
		other[0] = 'f';
		assert_null(bodycache_open(tpath("out"), other, 3, &why));
		assert_string_equal(why, "another base key");
	}
	assert_int_equal(bodycache_find(NULL, key, &e), 0);
	/* Larger than `records` entries could be: not even read. */
	test_sh("truncate -s %u '%s'", 2 * BODYCACHE_MAX_ENTRY,
		tpath(".out.showcase-cache"));
	assert_null(bodycache_open(tpath("out"), base, 1, &why));
	assert_string_equal(why, "larger than the records could make it");
	assert_null(bodycache_open(tpath("out"), base, 2, &why));
	assert_string_equal(why, "its checksum does not match (cut short or torn)");
	diag_release(&d);
}

/* Every prefix of the file, and the file with any one byte changed, is
 * refused: never a crash, never a wrong entry. */
static void test_damaged(void **state)
{
	struct diag d;
	size_t len;
	char *whole;
	char path[8192];

	(void)state;
	diag_init(&d);
	snprintf(path, sizeof(path), "%s", tpath(".out.showcase-cache"));
	assert_int_equal(write_cache(base, &d), 0);
	assert_non_null(whole = test_read_file(path, &len));
	for (size_t cut = 0; cut <= len; cut++) {
		for (int flip = 0; flip < 2; flip++) {
			FILE *f;
			struct bodycache *c;
			if (flip && cut == len)
				continue;
			assert_non_null(f = fopen(path, "wb"));
			if (!flip) {
				assert_int_equal(fwrite(whole, 1, cut, f), cut);
			} else {
				whole[cut] ^= 0x20;
				assert_int_equal(fwrite(whole, 1, len, f), len);
				whole[cut] ^= 0x20;
			}
			fclose(f);
			c = bodycache_open(tpath("out"), base, 3, NULL);
			if (!flip && cut == len)
				assert_non_null(c);
			else if (c)
				fail_msg("used with cut %zu flip %d", cut, flip);
			bodycache_free(c);
		}
	}
	free(whole);
	diag_release(&d);
}

/* What holds the cache's name is replaced only when it is a cache (or
 * empty, as a crash leaves it); anything else is left, with a warning. */
static void test_not_ours(void **state)
{
	struct diag d;
	struct bodycache *c;
	char *text;

	(void)state;
	diag_init(&d);
	test_sh("printf 'my notes\\n' > '%s'", tpath(".out.showcase-cache"));
	assert_int_equal(write_cache(base, &d), -1);
	text = test_flush_diag(&d);
	if (!strstr(text, ".out.showcase-cache: warning: not written by showcase"))
		fail_msg("%s", text);
	free(text);
	assert_int_equal(diag_error_count(&d), 0);
	text = test_read_file(tpath(".out.showcase-cache"), NULL);
	assert_string_equal(text, "my notes\n");
	free(text);
	assert_int_equal(access(tpath("out/.showcase-cache-tmp"), F_OK), -1);

	test_sh(": > '%s'", tpath(".out.showcase-cache"));
	assert_int_equal(write_cache(base, &d), 0);
	assert_non_null(c = bodycache_open(tpath("out"), base, 3, NULL));
	bodycache_free(c);
	diag_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_not_ours),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
