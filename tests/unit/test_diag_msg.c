/*
 * Unit tests of diag_msg: every format of the table uses exactly the
 * arguments 1..nargs (a gap in positional arguments is undefined), and the
 * Chinese line is printed after the English one only when asked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "diag.h"
#include "diag_msg.h"

/* Which positional arguments `fmt` uses, as a bit set; -1 on a conversion
 * that is not %N$s or %N$.0s. */
static long used_args(const char *fmt)
{
	long used = 0;
	for (const char *p = fmt; (p = strchr(p, '%')); p++) {
		char *end;
		long n = strtol(p + 1, &end, 10);
		if (n < 1 || n > 9 || *end != '$')
			return -1;
		end++;
		if (!strncmp(end, ".0", 2))
			end += 2;
		if (*end != 's')
			return -1;
		used |= 1L << n;
		p = end;
	}
	return used;
}

static void test_formats_use_every_argument(void **state)
{
	(void)state;
	for (int id = 0; id < DIAG_MSG_COUNT; id++) {
		long want = ((1L << diag_msg_nargs(id)) - 1) << 1;
		assert_non_null(diag_msg_key(id));
		assert_int_equal(used_args(diag_msg_format(id, 0)), want);
		assert_int_equal(used_args(diag_msg_format(id, 1)), want);
	}
}

static char *flush_to_string(struct diag *d)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	diag_flush(d, f);
	fclose(f);
	return text;
}

static void test_english_then_chinese(void **state)
{
	struct diag d;
	char *text;
	(void)state;

	diag_init(&d);
	diag_msg(&d, "content/cases/x.md", 5, 8, DIAG_MSG_ENUM, "'国家级培训'",
		 "", "level", "国培, 省培", "级别", "国家级培训");
	text = flush_to_string(&d);
	assert_string_equal(text, "content/cases/x.md:5:8: error: '国家级培训' "
			    "is not a valid value for 'level' (expected one of: "
			    "国培, 省培)\n");
	free(text);

	d.localize = 1;
	diag_msg(&d, "content/cases/x.md", 5, 8, DIAG_MSG_ENUM, "'国家级培训'",
		 "", "level", "国培, 省培", "级别", "国家级培训");
	text = flush_to_string(&d);
	assert_non_null(strstr(text, "\ncontent/cases/x.md:5:8: 错误: 未知的级别 "
			       "\"国家级培训\"，可选: 国培, 省培\n"));
	assert_int_equal(diag_exit_code(&d), EXIT_CONTENT);
	free(text);
	diag_release(&d);
}

static void test_missing_field(void **state)
{
	struct diag d;
	char *text;
	(void)state;

	diag_init(&d);
	d.localize = 1;
	diag_msg(&d, "a.md", 2, 1, DIAG_MSG_REQUIRED, "", "title", "title");
	diag_msg(&d, "a.md", 2, 1, DIAG_MSG_REQUIRED_LABEL, "entries[0].",
		 "name", "名称");
	text = flush_to_string(&d);
	assert_string_equal(text,
			    "a.md:2:1: error: missing required field 'title'\n"
			    "a.md:2:1: 错误: 缺少必填字段 title\n"
			    "a.md:2:1: error: missing required field 'entries[0].name' (名称)\n"
			    "a.md:2:1: 错误: 缺少必填字段“名称”（entries[0].name）\n");
	free(text);
	diag_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats_use_every_argument),
		cmocka_unit_test(test_english_then_chinese),
		cmocka_unit_test(test_missing_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
