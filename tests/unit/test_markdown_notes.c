/*
 * Unit tests for markdown's footnotes and md_prefix_ids(): one body prints
 * its notes as cmark-gfm does; several bodies on one page (a booklet) keep
 * every id unique, each body's notes in a section of their own, and every
 * link of a body to its own headings and notes still resolves.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "markdown.h"
#include "buf.h"

#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("expected to find:\n%s\nin:\n%s", needle, hay);
}

static struct cmark_node *parse(const char *md)
{
	struct cmark_node *doc = NULL;
	assert_int_equal(md_parse(md, strlen(md), "content/cases/a.md", 1, NULL,
				  NULL, NULL, &doc), 0);
	return doc;
}

static char *render_doc(struct cmark_node *doc)
{
	struct buf html = BUF_INIT;
	md_render_doc(doc, NULL, &html);
	return buf_detach(&html, NULL);
}

static void test_one_body_as_cmark(void **state)
{
	(void)state;
	struct cmark_node *doc = parse("正文[^1]，又[^a]，再[^1]。\n\n"
				       "[^a]: 二\n\n[^1]: 一\n\n    续\n");
	char *html = render_doc(doc);
	assert_string_equal(html,
		"<p>正文<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\" data-footnote-ref>1</a></sup>，"
		"又<sup class=\"footnote-ref\"><a href=\"#fn-2\" id=\"fnref-2\" data-footnote-ref>2</a></sup>，"
		"再<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1-2\" data-footnote-ref>1</a></sup>。</p>\n"
		"<section class=\"footnotes\" data-footnotes>\n<ol>\n"
		"<li id=\"fn-1\">\n<p>一</p>\n"
		"<p>续 <a href=\"#fnref-1\" class=\"footnote-backref\" data-footnote-backref aria-label=\"Back to content\">↩</a> "
		"<a href=\"#fnref-1-2\" class=\"footnote-backref\" data-footnote-backref aria-label=\"Back to content\">↩"
		"<sup class=\"footnote-ref\">2</sup></a></p>\n</li>\n"
		"<li id=\"fn-2\">\n<p>二 <a href=\"#fnref-2\" class=\"footnote-backref\" data-footnote-backref "
		"aria-label=\"Back to content\">↩</a></p>\n</li>\n"
		"</ol>\n</section>\n");
	/* The tree is as before: a second rendering is the same. */
	char *again = render_doc(doc);
	assert_string_equal(html, again);
	free(again);
	free(html);
	cmark_node_free(doc);
}

/* The values of attribute `name` ("id" or "href") in `html`, in order. */
static size_t attrs(const char *html, const char *name, char **out, size_t max)
{
	char pat[16];
	size_t n = 0;
	snprintf(pat, sizeof(pat), " %s=\"", name);
	for (const char *p = strstr(html, pat); p && n < max; p = strstr(p, pat)) {
		p += strlen(pat);
		size_t len = strcspn(p, "\"");
		out[n++] = strndup(p, len);
		p += len;
	}
	return n;
}

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* A fragment as the browser matches it: percent-decoded. */
static void decode(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (*r == '%' && hexval(r[1]) >= 0 && hexval(r[2]) >= 0) {
			*w++ = (char)(hexval(r[1]) * 16 + hexval(r[2]));
			r += 2;
		} else {
			*w++ = *r;
		}
	}
	*w = 0;
}

#define BODY(n) \
	"## 背景\n\n正文" n "[^1]，又[^note]，再[^1]。跳到[背景](#背景)、" \
	"[第二个背景](#背景-1)和[注](#fn-1)，[外面](#别处)。\n\n" \
	"## 背景\n\n重复标题。\n\n[^1]: 第一条脚注" n "。\n[^note]: 命名脚注" n "。\n"

static void test_bodies_on_one_page(void **state)
{
	(void)state;
	/* A booklet: its own headings (one like the bodies'), then two
	 * records printed in full, each body parsed on its own. */
	struct cmark_node *page = parse("# 典型案例\n\n## 背景\n\n引言[^1]。\n\n[^1]: 书的注。\n");
	struct cmark_node *a = parse(BODY("甲")), *b = parse(BODY("乙")), *c;
	md_prefix_ids(a, "cases:a:");
	md_prefix_ids(b, "cases:b:");
	cmark_node *end = cmark_node_last_child(page); /* the booklet's note */
	while ((c = cmark_node_first_child(a)))
		cmark_node_insert_before(end, c);
	while ((c = cmark_node_first_child(b)))
		cmark_node_insert_before(end, c);
	cmark_node_free(a);
	cmark_node_free(b);

	char *html = render_doc(page);
	char *ids[64], *hrefs[64];
	size_t nids = attrs(html, "id", ids, 64), nhrefs = attrs(html, "href", hrefs, 64);

	/* 2 + 2 * 2 headings, 1 + 2 * 2 notes, 1 + 2 * 3 references */
	assert_int_equal(nids, 18);
	for (size_t i = 0; i < nids; i++)
		for (size_t k = i + 1; k < nids; k++)
			if (!strcmp(ids[i], ids[k]))
				fail_msg("id \"%s\" twice", ids[i]);
	/* Every link to the page resolves, but the one to no heading. */
	size_t resolved = 0;
	for (size_t i = 0; i < nhrefs; i++) {
		assert_true(hrefs[i][0] == '#');
		decode(hrefs[i]);
		for (size_t k = 0; k < nids; k++)
			if (!strcmp(hrefs[i] + 1, ids[k])) {
				resolved++;
				break;
			}
		if (!strcmp(hrefs[i], "#别处"))
			resolved++;
	}
	assert_int_equal(resolved, nhrefs);
	/* The body's links lead into the body. */
	assert_contains(html, "<h2 id=\"cases:a:背景-1\">");
	assert_contains(html, "<a href=\"#cases:a:%E8%83%8C%E6%99%AF-1\">第二个背景</a>");
	assert_contains(html, "<a href=\"#cases:b:fn-1\">注</a>");
	assert_contains(html, "<a href=\"#cases:b:fn-2\" id=\"cases:b:fnref-2\" data-footnote-ref>2</a>");
	assert_contains(html, "<li id=\"cases:b:fn-1\">");
	assert_contains(html, "<a href=\"#%E5%88%AB%E5%A4%84\">外面</a>");
	/* Each body's notes close their own section, before what follows. */
	const char *first_end = strstr(html, "</ol>\n</section>");
	const char *second = strstr(html, "正文乙");
	assert_non_null(first_end);
	assert_non_null(second);
	assert_true(first_end < second);
	assert_non_null(strstr(html, "<li id=\"fn-1\">\n<p>书的注。"));
	size_t sections = 0;
	for (const char *p = html; (p = strstr(p, "<section class=\"footnotes\"")); p++)
		sections++;
	assert_int_equal(sections, 3);

	for (size_t i = 0; i < nids; i++)
		free(ids[i]);
	for (size_t i = 0; i < nhrefs; i++)
		free(hrefs[i]);
	free(html);
	cmark_node_free(page);
}

static void test_prefix_before_notes_are_read(void **state)
{
	(void)state;
	/* A body without notes or headings: nothing to prefix, no harm. */
	struct cmark_node *doc = parse("只有正文，[链接](#fn-1)。\n");
	md_prefix_ids(doc, "cases:x:");
	char *html = render_doc(doc);
	assert_string_equal(html, "<p>只有正文，<a href=\"#fn-1\">链接</a>。</p>\n");
	free(html);
	cmark_node_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_body_as_cmark),
		cmocka_unit_test(test_bodies_on_one_page),
		cmocka_unit_test(test_prefix_before_notes_are_read),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
