/*
 * Unit tests for search: the tokenizer (CJK bigrams, Latin words), the
 * shard hash (which static/search.js computes too) and the index's JSON.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "search.h"
#include "buf.h"

#include <string.h>

static void collect(void *ctx, const char *tok, size_t len)
{
	struct buf *b = ctx;
	buf_add(b, tok, len);
	buf_putc(b, '|');
}

static const char *tokens(struct buf *b, const char *text)
{
	buf_reset(b);
	search_tokenize(text, strlen(text), collect, b);
	return b->ptr;
}

static void test_tokenize(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_string_equal(tokens(&b, "教师培训"), "教师|师培|培训|");
	assert_string_equal(tokens(&b, "送教，下乡"), "送教|下乡|");
	assert_string_equal(tokens(&b, "甲"), "甲|");
	assert_string_equal(tokens(&b, "Hello World2024 a"), "hello|world2024|a|");
	assert_string_equal(tokens(&b, "国培2024年"), "国培|2024|年|");
	assert_string_equal(tokens(&b, "Café 课堂"), "café|课堂|");
	assert_string_equal(tokens(&b, ""), "");
	/* Words are cut at 32 bytes. */
	assert_string_equal(tokens(&b, "abcdefghijklmnopqrstuvwxyzabcdefghij"),
			    "abcdefghijklmnopqrstuvwxyzabcdef|");
	/* Invalid UTF-8 separates. */
	assert_string_equal(tokens(&b, "ab\xff" "cd"), "ab|cd|");
	buf_release(&b);
}

static void test_hash(void **state)
{
	(void)state;
	/* FNV-1a test vectors. */
	assert_int_equal(search_hash("", 0), 0x811c9dc5u);
	assert_int_equal(search_hash("a", 1), 0xe40c292cu);
	assert_int_equal(search_hash("foobar", 6), 0xbf9cf968u);
}

/* Characters U+4E00 + i and + i + 1, in UTF-8: one bigram. */
static void put_cjk_pair(struct buf *b, unsigned i)
{
	for (unsigned k = 0; k < 2; k++) {
		unsigned cp = 0x4E00 + i + k;
		char ch[3] = { (char)(0xE0 | (cp >> 12)),
			       (char)(0x80 | ((cp >> 6) & 0x3F)),
			       (char)(0x80 | (cp & 0x3F)) };
		buf_add(b, ch, 3);
	}
}

/* Many distinct tokens of every length, short (bigrams, short words)
 * and long (words over 8 bytes): each found again for every document
 * that has it, however the tables grew, and ids printed as deltas. */
static void test_index_many_tokens(void **state)
{
	(void)state;
	struct search_index ix;
	struct search_doc doc = { "/x/", "x", "cases", 2024, "" };
	struct buf text = BUF_INIT, out = BUF_INIT;

	search_index_init(&ix);
	for (unsigned i = 0; i < 6000; i++) {
		buf_reset(&text);
		/* Two CJK characters (one bigram, 6 bytes), a word of 1 to 20
		 * letters, and a word every document has. */
		put_cjk_pair(&text, i);
		buf_printf(&text, " w%0*u common", (int)(i % 20), i);
		search_index_add(&ix, &doc, text.ptr, text.len);
	}
	search_index_finish(&ix);
	for (size_t sh = 0; sh < ix.nshards; sh++)
		search_index_shard_json(&ix, sh, &out);
	/* "common": ids 0 to 5999 as deltas, 0 then 1s. */
	buf_reset(&text);
	buf_puts(&text, "\"common\":[0");
	for (unsigned i = 1; i < 6000; i++)
		buf_puts(&text, ",1");
	buf_puts(&text, "]");
	assert_non_null(strstr(out.ptr, text.ptr));
	for (unsigned i = 0; i < 6000; i += 97) {
		buf_reset(&text);
		buf_putc(&text, '"');
		put_cjk_pair(&text, i);
		buf_printf(&text, "\":[%u]", i);
		assert_non_null(strstr(out.ptr, text.ptr));
		buf_reset(&text);
		buf_printf(&text, "\"w%0*u\":[%u]", (int)(i % 20), i, i);
		assert_non_null(strstr(out.ptr, text.ptr));
	}
	buf_release(&text);
	buf_release(&out);
	search_index_release(&ix);
}

static void test_index_json(void **state)
{
	(void)state;
	struct search_index ix;
	struct buf out = BUF_INIT;
	const char *colls[] = { "cases", "典型案例", "projects", "项目", NULL };
	struct search_doc a = { "/cases/a/", "案例\"一\"", "cases", 2024, "培训</script>" };
	struct search_doc p = { "/projects/p/", "项目", "projects", 2023, "" };

	search_index_init(&ix);
	search_index_add(&ix, &a, "教师培训", strlen("教师培训"));
	search_index_add(&ix, &p, "培训 培训", strlen("培训 培训"));
	search_index_add(&ix, &a, "培训", strlen("培训"));
	search_index_finish(&ix);
	assert_int_equal(ix.nshards, 1);
	assert_int_equal(search_index_chunks(&ix), 1);
	search_index_shard_json(&ix, 0, &out);
	assert_string_equal(out.ptr, "{\"培训\":[0,1,1],\"师培\":[0],\"教师\":[0]}\n");
	buf_reset(&out);
	search_index_chunk_json(&ix, 0, &out);
	assert_non_null(strstr(out.ptr, "[\"/cases/a/\",\"案例\\\"一\\\"\",\"cases\",2024,\"培训<\\/script>\"]"));
	buf_reset(&out);
	search_index_meta_json(&ix, colls, &out);
	assert_string_equal(out.ptr, "{\"version\":1,\"docs\":3,\"shards\":1,\"chunk\":128,"
			    "\"collections\":[[\"cases\",\"典型案例\"],[\"projects\",\"项目\"]],"
			    "\"years\":[2024,2023],\"c\":\"aba\",\"y\":\"aba\"}\n");
	buf_release(&out);
	search_index_release(&ix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokenize),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_index_many_tokens),
		cmocka_unit_test(test_index_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
