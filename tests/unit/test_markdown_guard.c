/*
 * Unit tests for markdown_guard: bodies that would take cmark-gfm 0.29
 * (Debian 12) quadratic time are refused before the library sees them,
 * with an error at the construct to blame; real records pass far below
 * the limits. The full-size inputs of issue 8 are here; t-hostile.sh runs
 * them through the binary with a time limit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "buf.h"
#include "diag.h"
#include "markdown.h"
#include "markdown_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RECORD "content/cases/x.md"

/* `unit` repeated to at least `size` bytes, between `pre` and `post`. */
static char *repeat(const char *pre, const char *unit, size_t size,
		    const char *post)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, pre);
	while (b.len < size)
		buf_puts(&b, unit);
	buf_puts(&b, post);
	return buf_detach(&b, NULL);
}

/*
 * Render `md` as the body of RECORD from file line 5; expect it refused
 * with exactly `expected` as diagnostics and no HTML.
 */
static void refused(const char *md, const char *expected)
{
	struct md_options opt = { 0 };
	struct buf html = BUF_INIT;
	struct diag d;

	diag_init(&d);
	assert_int_equal(md_render(md, strlen(md), RECORD, 5, &opt, NULL,
				   &html, &d), -1);
	assert_diag(&d, expected);
	assert_int_equal(html.len, 0);
	buf_release(&html);
	diag_release(&d);
}

static void passes(const char *md, struct md_guard *g)
{
	assert_int_equal(md_guard_check(md, strlen(md), g), 0);
	assert_int_equal(g->kind, MD_GUARD_NONE);
}

/*
 * Regression (issue 8): "![[]()" repeated to 300 KB took 27 s. Each link
 * "[]()" walks back over every '![' before it; the error is at the ']'
 * where the paragraph's count passes MD_MAX_BRACKET_WORK.
 */
static void test_image_brackets(void **state)
{
	char *md = repeat("", "![[]()", 300000, "");
	size_t k = 0, work = 0;
	char expected[512];
	(void)state;

	/* Unit k has k + 1 image openers before its ']'. */
	while ((work += k + 1) <= MD_MAX_BRACKET_WORK)
		k++;
	snprintf(expected, sizeof(expected),
		 RECORD ":5:%zu: error: too many '![' before this ']' in one "
		 "paragraph (%zu): the Markdown parser slows down "
		 "quadratically on unfinished images; finish each as "
		 "![text](file), write '\\![' for a literal one, or split "
		 "the paragraph with blank lines\n", k * 6 + 4, k + 1);
	refused(md, expected);
	free(md);

	/* Image openers first, then links: 3.5 s for 100 KB before. */
	struct buf b = BUF_INIT;
	for (int i = 0; i < 25000; i++)
		buf_puts(&b, "![");
	for (int i = 0; i < 12500; i++)
		buf_puts(&b, "[]()");
	refused(b.ptr, RECORD ":5:50642: error: too many '![' before this ']' "
		"in one paragraph (25000): the Markdown parser slows down "
		"quadratically on unfinished images; finish each as "
		"![text](file), write '\\![' for a literal one, or split the "
		"paragraph with blank lines\n");

	/* A ']' in a code span closes nothing, so "![`]`" leaves the opener
	 * open: every '![' counts, whatever closes it. */
	buf_reset(&b);
	for (int i = 0; i < 10000; i++)
		buf_puts(&b, "![`]`");
	for (int i = 0; i < 12500; i++)
		buf_puts(&b, "[]()");
	struct md_guard g;
	assert_int_equal(md_guard_check(b.ptr, b.len, &g), -1);
	assert_int_equal(g.kind, MD_GUARD_BRACKETS);

	/* A blank line ends the paragraph and its openers. */
	buf_reset(&b);
	for (int i = 0; i < 25000; i++)
		buf_puts(&b, "![");
	buf_puts(&b, "\n \t\r\n");
	for (int i = 0; i < 12500; i++)
		buf_puts(&b, "[]()");
	passes(b.ptr, &g);
	assert_int_equal(g.bracket_work, 0);
	buf_release(&b);
}

/* '<?', '<!' and a letter, '<![CDATA[': each unfinished one is scanned to
 * the end of its paragraph (2 s for 100 KB of "<?"). The error is at the
 * paragraph's first one; columns count characters. */
static void test_html_scans(void **state)
{
	static const char *const units[] = { "<?", "<!A ", "<![CDATA[", "<?a?" };
	(void)state;
	for (size_t i = 0; i < sizeof(units) / sizeof(*units); i++) {
		char *md = repeat("前言 x\r\n中文", units[i], 300000, "");
		struct md_guard g;
		assert_int_equal(md_guard_check(md, strlen(md), &g), -1);
		assert_int_equal(g.kind, MD_GUARD_HTML);
		assert_int_equal(g.offset, strlen("前言 x\r\n中文"));
		free(md);
	}
	char *md = repeat("前言 x\r\n中文", "<?", 300000, "");
	struct md_guard g;
	md_guard_check(md, strlen(md), &g);
	char expected[512];
	snprintf(expected, sizeof(expected),
		 RECORD ":6:3: error: too many unfinished '<?', '<!' or "
		 "'<![CDATA[' in one paragraph (%zu, the first here): the "
		 "Markdown parser slows down quadratically on them; write "
		 "'\\<' for a literal '<', or split the paragraph with blank "
		 "lines\n", g.count);
	refused(md, expected);
	free(md);

	/* Comments are scanned to the next "--" only: not counted. */
	md = repeat("x", "<!-- a", 300000, "");
	passes(md, &g);
	assert_int_equal(g.html_work, 0);
	free(md);
}

/* The autolink extension reads and copies the rest of the line for each
 * e-mail address on it: 400 KB of "a@b.c " took 0.9 s and 380 MB. */
static void test_email_runs(void **state)
{
	char *md = repeat("联系：", "a@b.c ", 400000, "");
	struct md_guard g;
	(void)state;
	assert_int_equal(md_guard_check(md, strlen(md), &g), -1);
	assert_int_equal(g.kind, MD_GUARD_EMAIL);
	char expected[512];
	snprintf(expected, sizeof(expected),
		 RECORD ":5:5: error: too many '@' on one line (%zu, the "
		 "first here): looking for e-mail addresses, the Markdown "
		 "parser reads and copies the rest of the line for each; "
		 "break the line\n", g.count);
	refused(md, expected);
	free(md);

	md = repeat("", "a@", 400000, "");
	assert_int_equal(md_guard_check(md, strlen(md), &g), -1);
	assert_int_equal(g.kind, MD_GUARD_EMAIL);
	free(md);

	/* One address a line is linear. */
	md = repeat("", "a@b.c\n", 400000, "");
	passes(md, &g);
	free(md);
}

/* autolink_delim() drops trailing ')' one at a time, counting the link's
 * parentheses again each time: "www.a" and 100 KB of ')' took 2.9 s. */
static void test_autolink_parens(void **state)
{
	static const char *const starts[] = { "www.a", "http://a", "mailto:a" };
	(void)state;
	for (size_t i = 0; i < sizeof(starts) / sizeof(*starts); i++) {
		char *md = repeat(starts[i], ")", 200000, "");
		struct md_guard g;
		assert_int_equal(md_guard_check(md, strlen(md), &g), -1);
		assert_int_equal(g.kind, MD_GUARD_AUTOLINK);
		assert_int_equal(g.offset, 0);
		free(md);
	}
	char *md = repeat("见 www.a", ")", 200000, "");
	struct md_guard g;
	md_guard_check(md, strlen(md), &g);
	char expected[512];
	snprintf(expected, sizeof(expected),
		 RECORD ":5:3: error: too many ')' after this link's start, "
		 "with no space (%zu): the Markdown parser slows down "
		 "quadratically on them; put a space after the link\n",
		 g.count);
	refused(md, expected);
	free(md);

	/* Without a link, parentheses cost nothing. */
	md = repeat("", ")", 200000, "");
	passes(md, &g);
	assert_int_equal(g.autolink_work, 0);
	free(md);
}

/*
 * A record heavier than real ones in every construct the guard counts:
 * a gallery of 60 images in one paragraph, links, e-mail addresses and
 * URLs with parentheses in long Chinese lines, PHP and XML in code. Every
 * estimate must stay below 1% of its limit, and the body renders.
 */
static void test_real_content_passes(void **state)
{
	struct buf b = BUF_INIT, html = BUF_INIT;
	struct md_options opt = { .unsafe_html = 1 };
	struct md_guard g;
	struct diag d;
	(void)state;

	buf_puts(&b, "## 工作室活动剪影\n\n");
	for (int i = 0; i < 60; i++)
		buf_printf(&b, "![第%d次活动](images/p%d.jpg \"图%d\") "
			   "[说明](../projects/p%d.md)\n", i, i, i, i);
	buf_puts(&b, "\n");
	for (int i = 0; i < 20; i++) {
		buf_puts(&b, "项目联系人：张老师 zhang.san@example.edu.cn，"
			 "李老师 li_si+peixun@qinchuan.gov.cn，王老师 "
			 "wang@school.cn；详见 https://example.gov.cn/a_(b)/c "
			 "与 www.example.cn/x(1)(2)。");
		for (int j = 0; j < 10; j++)
			buf_puts(&b, "项目坚持问题导向（2024年），围绕课堂教学中的"
				 "真实困惑设计研修主题(第一阶段)。");
		buf_puts(&b, "\n");
	}
	buf_puts(&b, "\n```php\n");
	for (int i = 0; i < 50; i++)
		buf_puts(&b, "<?php echo $a[$i]; ?>\n<![CDATA[ x ]]>\n<!DOCTYPE html>\n");
	buf_puts(&b, "```\n\n<!-- 备注 -->\n\n| 姓名 | 邮箱 |\n|---|---|\n");
	for (int i = 0; i < 200; i++)
		buf_printf(&b, "| 教师%d | t%d@example.cn, t%d@example.cn |\n", i, i, i);

	passes(b.ptr, &g);
	assert_true(g.bracket_work < MD_MAX_BRACKET_WORK / 100);
	assert_true(g.html_work < MD_MAX_HTML_SCAN / 100);
	assert_true(g.email_work < MD_MAX_EMAIL_SCAN / 100);
	assert_true(g.autolink_work < MD_MAX_AUTOLINK_TRIM / 100);

	diag_init(&d);
	assert_int_equal(md_render(b.ptr, b.len, RECORD, 5, &opt, NULL, &html,
				   &d), 0);
	assert_non_null(strstr(html.ptr, "<img src=\"images/p59.jpg\""));
	assert_diag(&d, "");
	diag_release(&d);
	buf_release(&html);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_image_brackets),
		cmocka_unit_test(test_html_scans),
		cmocka_unit_test(test_email_runs),
		cmocka_unit_test(test_autolink_parens),
		cmocka_unit_test(test_real_content_passes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
