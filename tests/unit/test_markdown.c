/*
 * Unit tests for markdown: GFM rendering, raw HTML safety, link
 * resolution and its diagnostics, heading ids, table of contents,
 * excerpts, and concurrent rendering.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "markdown.h"
#include "buf.h"
#include "diag.h"

#include <cmark-gfm.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RECORD "content/cases/a.md"

/* A resolver over a fixed list of files; records what it was asked. */
struct fake_repo {
	const char *const *files; /* pairs: repository path, URL */
	int calls;
	int last_is_image;
	char last_path[256];
};

static const char *const default_files[] = {
	"content/projects/y.md", "/projects/y/",
	"content/cases/images/ketang.jpg", "/media/cases/ketang.jpg",
	"content/cases/images/图片 1.jpg", "/media/cases/tu-1.jpg",
	"content/cases/x.md", "/cases/x/",
	"content/cases/a%b.md", "/cases/percent/",
	"README.md", "/readme/",
	NULL,
};

static const char *fake_resolve(void *ctx, const char *repo_path, int is_image,
				const char **why)
{
	struct fake_repo *r = ctx;
	*why = NULL;
	if (!strcmp(repo_path, ".env")) {
		*why = "is a hidden file ('.env')";
		return NULL;
	}
	r->calls++;
	r->last_is_image = is_image;
	snprintf(r->last_path, sizeof(r->last_path), "%s", repo_path);
	for (size_t i = 0; r->files[i]; i += 2)
		if (!strcmp(r->files[i], repo_path))
			return r->files[i + 1];
	return NULL;
}

/* Render `md` as the body of RECORD starting at file line `first`; return
 * the HTML (caller frees) and store md_render's result in *rc. */
static char *render_full(const char *md, unsigned first, int unsafe,
			 struct fake_repo *repo, struct diag *d, int *rc)
{
	struct md_options opt = { .unsafe_html = unsafe };
	struct md_resolver res = { fake_resolve, repo };
	struct buf html = BUF_INIT;

	*rc = md_render(md, strlen(md), RECORD, first, &opt,
			repo ? &res : NULL, &html, d);
	return buf_detach(&html, NULL);
}

/* Render with the default files, expecting no diagnostics. */
static char *render(const char *md, int unsafe)
{
	struct fake_repo repo = { default_files, 0, 0, "" };
	struct diag d;
	int rc;

	diag_init(&d);
	char *html = render_full(md, 1, unsafe, &repo, &d, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(diag_error_count(&d), 0);
	diag_release(&d);
	return html;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("expected \"%s\" in:\n%s", needle, hay);
}

static void assert_lacks(const char *hay, const char *needle)
{
	if (strstr(hay, needle))
		fail_msg("did not expect \"%s\" in:\n%s", needle, hay);
}

static void expect_html(const char *md, int unsafe, const char *want)
{
	char *html = render(md, unsafe);
	assert_string_equal(html, want);
	free(html);
}

/* ---- GFM ---------------------------------------------------------------- */

static void test_table(void **state)
{
	(void)state;
	expect_html("| 学段 | 人数 |\n|:---|---:|\n| 小学 | 40 |\n", 0,
		    "<table>\n<thead>\n<tr>\n<th style=\"text-align: left\">学段</th>\n"
		    "<th style=\"text-align: right\">人数</th>\n</tr>\n</thead>\n<tbody>\n"
		    "<tr>\n<td style=\"text-align: left\">小学</td>\n"
		    "<td style=\"text-align: right\">40</td>\n</tr>\n</tbody>\n</table>\n");
}

static void test_strikethrough(void **state)
{
	(void)state;
	expect_html("原定 ~~三天~~ 两天\n", 0,
		    "<p>原定 <del>三天</del> 两天</p>\n");
}

static void test_autolink(void **state)
{
	(void)state;
	expect_html("见 www.example.com 和 https://example.org/a?b=1 或 a@b.cn\n", 0,
		    "<p>见 <a href=\"http://www.example.com\">www.example.com</a> 和 "
		    "<a href=\"https://example.org/a?b=1\">https://example.org/a?b=1</a> 或 "
		    "<a href=\"mailto:a@b.cn\">a@b.cn</a></p>\n");
}

static void test_tasklist(void **state)
{
	(void)state;
	expect_html("- [x] 完成\n- [ ] 待办\n", 0,
		    "<ul>\n<li><input type=\"checkbox\" checked=\"\" disabled=\"\" /> 完成</li>\n"
		    "<li><input type=\"checkbox\" disabled=\"\" /> 待办</li>\n</ul>\n");
}

static void test_footnote(void **state)
{
	(void)state;
	char *html = render("正文[^1]\n\n[^1]: 注释\n", 0);
	assert_contains(html, "<sup class=\"footnote-ref\"><a href=\"#fn-1\"");
	assert_contains(html, "<li id=\"fn-1\">");
	free(html);
}

/* ---- raw HTML ----------------------------------------------------------- */

static void test_raw_html_escaped_in_safe_mode(void **state)
{
	(void)state;
	expect_html("a <b>粗</b> b\n", 0, "<p>a &lt;b&gt;粗&lt;/b&gt; b</p>\n");
	expect_html("<div class=\"x\">\nhi\n</div>\n", 0,
		    "<p>&lt;div class=&quot;x&quot;&gt;<br />\nhi<br />\n"
		    "&lt;/div&gt;</p>\n");
	/* Comments are invisible in both modes. */
	expect_html("<!-- 备注 -->\n\n正文 <!-- x --> 完\n", 0,
		    "<p>正文  完</p>\n");
}

static void test_raw_html_passes_in_unsafe_mode(void **state)
{
	(void)state;
	expect_html("a <b>粗</b> b\n", 1, "<p>a <b>粗</b> b</p>\n");
	expect_html("<div class=\"x\">\nhi\n</div>\n", 1,
		    "<div class=\"x\">\nhi\n</div>\n");
}

static void test_script_never_raw(void **state)
{
	(void)state;
	const char *md = "<script>alert(1)</script>\n\n"
			 "x <script>alert(2)</script> y\n\n"
			 "<SCRIPT src=\"http://e.vil/x.js\"></SCRIPT>\n";
	char *html = render(md, 0);
	assert_lacks(html, "<script");
	assert_lacks(html, "<SCRIPT");
	assert_contains(html, "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
	assert_contains(html, "x &lt;script&gt;alert(2)&lt;/script&gt; y");
	free(html);

	/* Unsafe mode: tagfilter still disarms it. */
	html = render(md, 1);
	assert_lacks(html, "<script");
	assert_lacks(html, "<SCRIPT");
	assert_contains(html, "&lt;script>alert(1)&lt;/script>");
	free(html);
}

static void test_dangerous_urls_neutralised(void **state)
{
	(void)state;
	struct fake_repo repo = { default_files, 0, 0, "" };
	struct diag d;
	int rc;

	diag_init(&d);
	char *html = render_full(
		"[a](javascript:alert(1)) [b](JAVASCRIPT:x) [c](vbscript:x) "
		"[d](data:text/html,<b>) ![e](data:image/png;base64,AAAA) "
		"[f](file:///etc/passwd)\n",
		1, 0, &repo, &d, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(repo.calls, 0);
	assert_string_equal(html,
			    "<p><a href=\"\">a</a> <a href=\"\">b</a> <a href=\"\">c</a> "
			    "<a href=\"\">d</a> <img src=\"data:image/png;base64,AAAA\" alt=\"e\" /> "
			    "<a href=\"\">f</a></p>\n");
	free(html);
	diag_release(&d);
}

/*
 * Regression (issue 8): with unsafe_html, cmark-gfm stops filtering
 * javascript: links (CMARK_OPT_UNSAFE). md_parse() empties them in the
 * tree in both modes, also when written in mixed case, after spaces or
 * control characters, with tabs or newlines inside, or as entities, in
 * autolinks, references and images; each with a warning.
 */
static void test_dangerous_urls_in_both_modes(void **state)
{
	static const char md[] =
		"[a](JaVaScRiPt:alert(1)) [b](< javascript:alert(1)>) "
		"[c](&#106;avascript:alert(1)) [d](java&#9;script:alert(1)) "
		"[e](<java\tscr&#10;ipt:x>) [f](&#1;javascript:x) "
		"<javascript:alert(1)> [g][r] ![h](javascript:x) "
		"![i](data:image/svg+xml,<svg>) [j](VBScript:x) [k](FILE:///x)\n"
		"\n[r]: javascript:alert(1)\n";
	(void)state;
	for (int unsafe = 0; unsafe <= 1; unsafe++) {
		struct diag d;
		int rc;
		diag_init(&d);
		char *html = render_full(md, 3, unsafe, NULL, &d, &rc);
		assert_int_equal(rc, 0);
		assert_string_equal(html,
			"<p><a href=\"\">a</a> <a href=\"\">b</a> <a href=\"\">c</a> "
			"<a href=\"\">d</a> <a href=\"\">e</a> <a href=\"\">f</a> "
			"<a href=\"\">javascript:alert(1)</a> <a href=\"\">g</a> "
			"<img src=\"\" alt=\"h\" /> <img src=\"\" alt=\"i\" /> "
			"<a href=\"\">j</a> <a href=\"\">k</a></p>\n");
		char *diags = test_flush_diag(&d);
		/* Twelve warnings, each at its link. */
		size_t warnings = 0;
		for (const char *p = diags; (p = strstr(p, ": warning: ")); p++)
			warnings++;
		assert_int_equal(warnings, 12);
		assert_non_null(strstr(diags, RECORD ":3:1: warning: link to "
			"'JaVaScRiPt:alert(1)' left out: such URLs can run script "
			"or open the reader's files; link to a web page or to a "
			"file in the repository\n"));
		assert_non_null(strstr(diags, RECORD ":3:190: warning: image "
			"'javascript:x' left out"));
		assert_non_null(strstr(diags, RECORD ":3:113: warning: link to "
			"'java\\x09scr\\x0Aipt:x' left out"));
		/* An autolink is found at its '<'. */
		char where[128];
		snprintf(where, sizeof(where), RECORD ":3:%d: warning: link to "
			 "'javascript:alert(1)'",
			 (int)(strstr(md, "<javascript") - md) + 1);
		assert_non_null(strstr(diags, where));
		free(diags);
		free(html);
		diag_release(&d);
	}
	/* What stays: images as data:, web pages, relative names. */
	assert_false(md_url_is_dangerous("data:image/png;base64,AAAA"));
	assert_false(md_url_is_dangerous("DATA:image/WEBP;base64,AAAA"));
	assert_false(md_url_is_dangerous("https://javascript.info/"));
	assert_false(md_url_is_dangerous("javascripts/a.html"));
	assert_false(md_url_is_dangerous("../cases/file:x.md"));
	assert_false(md_url_is_dangerous(""));
	assert_true(md_url_is_dangerous("\x01\x1f javascript:x"));
	assert_true(md_url_is_dangerous("j\ta\nv\rascript:x"));
	assert_true(md_url_is_dangerous("data:text/html,x"));
	assert_true(md_url_is_dangerous("data:image/svg+xml,x"));
}

/* ---- links -------------------------------------------------------------- */

static void test_record_link_rewritten_with_fragment(void **state)
{
	(void)state;
	struct fake_repo repo = { default_files, 0, 0, "" };
	struct diag d;
	int rc;

	diag_init(&d);
	char *html = render_full("见[项目](../projects/y.md#目标)。\n", 1, 0,
				 &repo, &d, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(repo.calls, 1);
	assert_string_equal(repo.last_path, "content/projects/y.md");
	assert_int_equal(repo.last_is_image, 0);
	/* The renderer percent-encodes the UTF-8 fragment. */
	assert_string_equal(html, "<p>见<a href=\"/projects/y/#%E7%9B%AE%E6%A0%87\">项目</a>。</p>\n");
	free(html);

	html = render_full("[x](./x.md?v=2#a) [自己](a.md)\n", 1, 0, &repo, &d, &rc);
	assert_int_equal(rc, -1); /* a.md is not in the fake repository */
	assert_contains(html, "<a href=\"/cases/x/?v=2#a\">x</a>");
	free(html);
	diag_release(&d);
}

static void test_image_rewritten(void **state)
{
	(void)state;
	struct fake_repo repo = { default_files, 0, 0, "" };
	struct diag d;
	int rc;

	diag_init(&d);
	char *html = render_full("![课堂](images/ketang.jpg \"标题\")\n", 1, 0,
				 &repo, &d, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(repo.last_is_image, 1);
	assert_string_equal(repo.last_path, "content/cases/images/ketang.jpg");
	assert_string_equal(html, "<p><img src=\"/media/cases/ketang.jpg\" alt=\"课堂\" title=\"标题\" /></p>\n");
	free(html);
	diag_release(&d);
}

/* A file the resolver refuses to publish: its reason, at the link. */
/* An image_html hook that claims the images under /media/cases/ and
 * prints what it was given. */
static int fake_picture(void *ctx, const char *url, const char *alt,
			const char *title, struct buf *out)
{
	int *calls = ctx;
	(*calls)++;
	if (strncmp(url, "/media/cases/", 13))
		return 0;
	buf_printf(out, "<picture data-url=\"%s\" data-alt=\"%s\" "
		   "data-title=\"%s\"></picture>", url, alt, title);
	return 1;
}

static void test_image_html_hook(void **state)
{
	static const char md[] =
		"前 ![课堂 *实录*\n照片](images/ketang.jpg \"标题\") 后 "
		"![外](https://example.org/a.png)\n";
	struct fake_repo repo = { default_files, 0, 0, "" };
	struct md_resolver res = { fake_resolve, &repo };
	int calls = 0;
	struct md_options opt = { .image_html = fake_picture, .image_ctx = &calls };
	struct cmark_node *doc;
	struct buf html = BUF_INIT, again = BUF_INIT;
	struct diag d;

	(void)state;
	diag_init(&d);
	assert_int_equal(md_parse(md, strlen(md), RECORD, 1, &opt, &res, &d, &doc), 0);
	md_render_doc(doc, &opt, &html);
	assert_int_equal(calls, 2);
	/* The hook's markup in place of the image; alt is the plain text
	 * of the description (the break between two Chinese characters is
	 * nothing, as on the page); an image it leaves is cmark-gfm's. */
	assert_string_equal(html.ptr,
		"<p>前 <picture data-url=\"/media/cases/ketang.jpg\" "
		"data-alt=\"课堂 实录照片\" data-title=\"标题\"></picture> 后 "
		"<img src=\"https://example.org/a.png\" alt=\"外\" /></p>\n");
	/* The tree is as it was: without the hook, cmark-gfm's <img>. */
	md_render_doc(doc, NULL, &again);
	assert_contains(again.ptr, "<img src=\"/media/cases/ketang.jpg\" "
			"alt=\"课堂 实录照片\" title=\"标题\" />");
	cmark_node_free(doc);
	buf_release(&html);
	buf_release(&again);
	diag_release(&d);
}

static void test_refused_target_diagnostic(void **state)
{
	(void)state;
	struct fake_repo repo = { default_files, 0, 0, "" };
	struct diag d;
	int rc;

	diag_init(&d);
	char *html = render_full("密码见[配置](../../.env?x#y)。\n", 6, 0, &repo,
				 &d, &rc);
	assert_int_equal(rc, -1);
	char *text = test_flush_diag(&d);
	assert_string_equal(text, RECORD ":6:4: error: link to '../../.env?x#y' "
			    "is a hidden file ('.env')\n");
	assert_contains(html, "<a href=\"../../.env?x#y\">配置</a>");
	free(text);
	free(html);
	diag_release(&d);
}

static void test_missing_target_diagnostic(void **state)
{
	(void)state;
	struct fake_repo repo = { default_files, 0, 0, "" };
	struct diag d;
	int rc;
	const char *md =
		"第一段。\n"                           /* file line 10 */
		"\n"
		"详见案例[x](x.md)和[缺失](nope.md#a)。\n" /* 12 */
		"  续行 [y](../cases/gone.md) ![图](images/no.png)\n"
		"\n"
		"> 引用\n"
		"> 再 [q](q.md)\n"                       /* 16 */
		"\n"
		"- 列表\n"
		"  [跨\n"                                /* 19 */
		"  行](multi.md)\n";

	diag_init(&d);
	char *html = render_full(md, 10, 0, &repo, &d, &rc);
	assert_int_equal(rc, -1);
	assert_int_equal(diag_error_count(&d), 5);
	assert_int_equal(diag_exit_code(&d), EXIT_CONTENT);
	char *text = test_flush_diag(&d);
	assert_string_equal(text,
		RECORD ":12:15: error: link to 'nope.md#a' points to a missing file 'content/cases/nope.md'\n"
		RECORD ":13:6: error: link to '../cases/gone.md' points to a missing file 'content/cases/gone.md'\n"
		RECORD ":13:28: error: image 'images/no.png' points to a missing file 'content/cases/images/no.png'\n"
		RECORD ":16:5: error: link to 'q.md' points to a missing file 'content/cases/q.md'\n"
		RECORD ":19:3: error: link to 'multi.md' points to a missing file 'content/cases/multi.md'\n");
	/* The page is still complete, the broken link left as written. */
	assert_contains(html, "<a href=\"/cases/x/\">x</a>");
	assert_contains(html, "<a href=\"nope.md#a\">缺失</a>");
	free(text);
	free(html);
	diag_release(&d);
}

static void test_link_leaving_repository(void **state)
{
	(void)state;
	struct fake_repo repo = { default_files, 0, 0, "" };
	struct diag d;
	int rc;

	diag_init(&d);
	/* content/cases/ is two levels deep: ../../ is the root. */
	char *html = render_full("[ok](../../README.md) [bad](../../../etc/passwd)\n"
				 "![bad](images/../../../../x.png)\n",
				 3, 0, &repo, &d, &rc);
	assert_int_equal(rc, -1);
	char *text = test_flush_diag(&d);
	assert_string_equal(text,
		RECORD ":3:23: error: link to '../../../etc/passwd' points outside the repository\n"
		RECORD ":4:1: error: image 'images/../../../../x.png' points outside the repository\n");
	assert_contains(html, "<a href=\"/readme/\">ok</a>");
	free(text);
	free(html);
	diag_release(&d);
}

static void test_percent_encoded_path(void **state)
{
	(void)state;
	struct fake_repo repo = { default_files, 0, 0, "" };
	struct diag d;
	int rc;

	diag_init(&d);
	/* images/图片 1.jpg, encoded as a git host would */
	char *html = render_full("![图](images/%E5%9B%BE%E7%89%87%201.jpg)\n", 1, 0,
				 &repo, &d, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(repo.last_path, "content/cases/images/图片 1.jpg");
	assert_contains(html, "<img src=\"/media/cases/tu-1.jpg\"");
	free(html);

	/* Unencoded UTF-8 in angle brackets works the same. */
	html = render_full("![图](<images/图片 1.jpg>)\n", 1, 0, &repo, &d, &rc);
	assert_int_equal(rc, 0);
	assert_contains(html, "<img src=\"/media/cases/tu-1.jpg\"");
	free(html);

	/* An encoded '%' is decoded once; a stray '%' stays. */
	html = render_full("[p](a%25b.md) [q](a%b.md)\n", 1, 0, &repo, &d, &rc);
	assert_int_equal(rc, 0);
	assert_contains(html, "<a href=\"/cases/percent/\">p</a> <a href=\"/cases/percent/\">q</a>");
	free(html);

	/* %00 cannot name a file. */
	html = render_full("[n](a%00.md)\n", 1, 0, &repo, &d, &rc);
	assert_int_equal(rc, -1);
	char *text = test_flush_diag(&d);
	assert_string_equal(text, RECORD ":1:1: error: link to 'a%00.md' contains an encoded NUL byte\n");
	free(text);
	free(html);
	diag_release(&d);
}

static void test_absolute_links_untouched(void **state)
{
	(void)state;
	struct fake_repo repo = { default_files, 0, 0, "" };
	struct diag d;
	int rc;
	const char *md = "[a](http://e.cn/x.md) [b](https://e.cn) [c](mailto:x@e.cn) "
			 "[d](tel:+86-10-1234) [e](/about/) [f](//cdn.e.cn/x.js) "
			 "[g](#目标) [h](?page=2) [i]()\n";

	diag_init(&d);
	char *html = render_full(md, 1, 0, &repo, &d, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(repo.calls, 0);
	assert_string_equal(html,
		"<p><a href=\"http://e.cn/x.md\">a</a> <a href=\"https://e.cn\">b</a> "
		"<a href=\"mailto:x@e.cn\">c</a> <a href=\"tel:+86-10-1234\">d</a> "
		"<a href=\"/about/\">e</a> <a href=\"//cdn.e.cn/x.js\">f</a> "
		"<a href=\"#%E7%9B%AE%E6%A0%87\">g</a> <a href=\"?page=2\">h</a> "
		"<a href=\"\">i</a></p>\n");
	free(html);
	diag_release(&d);
}

static void test_no_resolver_leaves_links(void **state)
{
	(void)state;
	struct diag d;
	int rc;

	diag_init(&d);
	char *html = render_full("[x](../../../x.md)\n", 1, 0, NULL, &d, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(diag_error_count(&d), 0);
	assert_string_equal(html, "<p><a href=\"../../../x.md\">x</a></p>\n");
	free(html);
	diag_release(&d);
}

/* ---- headings ----------------------------------------------------------- */

static void test_heading_ids(void **state)
{
	(void)state;
	expect_html("## 项目目标\n", 0, "<h2 id=\"项目目标\">项目目标</h2>\n");
	expect_html("## Part 1: Intro\n", 0, "<h2 id=\"part-1-intro\">Part 1: Intro</h2>\n");
	expect_html("# 一、项目背景（２０２４年）\n", 0,
		    "<h1 id=\"一-项目背景-2024年\">一、项目背景（２０２４年）</h1>\n");
	expect_html("### --- *C++* & `Go`! ---\n", 0,
		    "<h3 id=\"c-go\">--- <em>C++</em> &amp; <code>Go</code>! ---</h3>\n");
	expect_html("## !!!\n", 0, "<h2 id=\"section\">!!!</h2>\n");
	expect_html("Setext 标题\n===\n", 0, "<h1 id=\"setext-标题\">Setext 标题</h1>\n");
	/* Quotes and markup never reach the attribute. */
	expect_html("## Say \"hi\" <b>&'\n", 0,
		    "<h2 id=\"say-hi\">Say &quot;hi&quot; &lt;b&gt;&amp;'</h2>\n");
	/* Ids do not depend on the unsafe option. */
	expect_html("## Say \"hi\" <b>&'\n", 1,
		    "<h2 id=\"say-hi\">Say &quot;hi&quot; <b>&amp;'</h2>\n");
	/* Headings nested in containers get ids too. */
	expect_html("> ## 引用\n", 0,
		    "<blockquote>\n<h2 id=\"引用\">引用</h2>\n</blockquote>\n");
}

static void test_heading_id_duplicates(void **state)
{
	(void)state;
	expect_html("## 小结\n## 小结\n## A\n## a\n## A 1\n## 小结\n", 0,
		    "<h2 id=\"小结\">小结</h2>\n"
		    "<h2 id=\"小结-1\">小结</h2>\n"
		    "<h2 id=\"a\">A</h2>\n"
		    "<h2 id=\"a-1\">a</h2>\n"
		    "<h2 id=\"a-1-1\">A 1</h2>\n"
		    "<h2 id=\"小结-2\">小结</h2>\n");
}

static void test_heading_id_length_bounded(void **state)
{
	(void)state;
	struct buf md = BUF_INIT;
	buf_puts(&md, "# ");
	for (int i = 0; i < 100; i++)
		buf_puts(&md, "长");
	buf_putc(&md, '\n');
	struct cmark_node *doc;
	struct diag d;
	diag_init(&d);
	assert_int_equal(md_parse(md.ptr, md.len, RECORD, 1, NULL, NULL, &d, &doc), 0);
	const char *id = md_heading_id(cmark_node_first_child(doc));
	assert_non_null(id);
	/* Cut at a character boundary: 32 characters of 3 bytes. */
	assert_int_equal(strlen(id), 96);
	assert_int_equal(strncmp(id, "长长长", 9), 0);
	cmark_node_free(doc);
	buf_release(&md);
	diag_release(&d);
}

static void test_toc_and_tree(void **state)
{
	(void)state;
	const char *md = "# 总 *标题*\n\n正文\n\n## 第一节\n\n### Part `1`\n## 第一节\n";
	struct cmark_node *doc;
	struct md_toc toc = MD_TOC_INIT;
	struct buf a = BUF_INIT, b = BUF_INIT;
	struct diag d;

	diag_init(&d);
	assert_int_equal(md_parse(md, strlen(md), RECORD, 5, NULL, NULL, &d, &doc), 0);
	md_toc_collect(doc, &toc);
	assert_int_equal(toc.len, 4);
	assert_int_equal(toc.items[0].level, 1);
	assert_string_equal(toc.items[0].id, "总-标题");
	assert_string_equal(toc.items[0].text, "总 标题");
	assert_int_equal(toc.items[1].level, 2);
	assert_string_equal(toc.items[1].id, "第一节");
	assert_int_equal(toc.items[2].level, 3);
	assert_string_equal(toc.items[2].id, "part-1");
	assert_string_equal(toc.items[2].text, "Part 1");
	assert_string_equal(toc.items[3].id, "第一节-1");

	/* Rendering leaves the tree as it was: headings stay headings. */
	md_render_doc(doc, NULL, &a);
	assert_int_equal(cmark_node_get_type(cmark_node_first_child(doc)),
			 CMARK_NODE_HEADING);
	md_render_doc(doc, NULL, &b);
	assert_string_equal(a.ptr, b.ptr);
	assert_contains(a.ptr, "<h1 id=\"总-标题\">总 <em>标题</em></h1>\n<p>正文</p>\n");

	md_toc_release(&toc);
	assert_int_equal(toc.len, 0);
	cmark_node_free(doc);
	buf_release(&a);
	buf_release(&b);
	diag_release(&d);
}

static void test_excerpt(void **state)
{
	(void)state;
	const char *md = "# 标题\n\n第一段  *强调*\n换行。![图](x.png)\n\n"
			 "```\ncode\n```\n\n- 甲\n- 乙[^1]\n\n[^1]: 脚注\n";
	struct cmark_node *doc;
	struct buf out = BUF_INIT;
	struct diag d;

	diag_init(&d);
	assert_int_equal(md_parse(md, strlen(md), RECORD, 1, NULL, NULL, &d, &doc), 0);
	md_excerpt(doc, 100, &out);
	assert_string_equal(out.ptr, "标题 第一段 强调换行。 甲 乙");
	buf_reset(&out);
	md_excerpt(doc, 5, &out);
	assert_string_equal(out.ptr, "标题 第一…");
	buf_reset(&out);
	md_excerpt(doc, 3, &out);
	assert_string_equal(out.ptr, "标题…");
	cmark_node_free(doc);
	buf_release(&out);
	diag_release(&d);
}

/* The excerpt's white space and cut, against the rule written byte by
 * byte (as add_collapsed() was before it copied runs whole): ASCII white
 * space runs become one space, none at the start, and the text stops
 * before the code point that would pass `max`, with "…". */
static void oracle_collapsed(const char *s, size_t max, struct buf *out)
{
	int space = 0, cut = 0;
	size_t chars = 0;

	for (; *s && !cut; s++) {
		if (strchr(" \t\r\n\f\v", *s)) {
			space = 1;
			continue;
		}
		int lead = ((unsigned char)*s & 0xC0) != 0x80;
		if (lead && chars + (space && out->len ? 1 : 0) >= max) {
			cut = 1;
			break;
		}
		if (space && out->len && lead) {
			buf_putc(out, ' ');
			chars++;
		}
		space = 0;
		buf_putc(out, *s);
		if (lead)
			chars++;
	}
	if (cut)
		buf_puts(out, "…");
}

static void test_excerpt_runs(void **state)
{
	static const char *const pieces[] = {
		"培训", "工作室", "a", "bc", "2024", " ", "  ", "\t", " \t ",
		"，", "。", "x", "名师", "Q",
	};
	struct buf md = BUF_INIT, got = BUF_INIT, want = BUF_INIT;
	unsigned seed = 12345;
	struct diag d;
	(void)state;

	diag_init(&d);
	for (int round = 0; round < 500; round++) {
		/* Not white space first: indented, it is a code block. */
		buf_reset(&md);
		buf_puts(&md, "甲");
		int n = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 24;
		for (int i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			buf_puts(&md, pieces[(seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]))]);
		}
		struct cmark_node *doc;
		assert_int_equal(md_parse(md.ptr, md.len, RECORD, 1, NULL, NULL, &d,
					  &doc), 0);
		for (size_t max = 1; max < 40; max += 3) {
			buf_reset(&got);
			buf_reset(&want);
			md_excerpt(doc, max, &got);
			oracle_collapsed(md.ptr, max, &want);
			if (strcmp(got.ptr, want.ptr))
				fail_msg("'%s' cut at %zu: '%s', want '%s'", md.ptr,
					 max, got.ptr, want.ptr);
		}
		cmark_node_free(doc);
	}
	buf_release(&md);
	buf_release(&got);
	buf_release(&want);
	diag_release(&d);
}

/* CSS Text 3 segment breaks: a soft break between two wide characters
 * (Han, kana, fullwidth punctuation) is removed, looking through emphasis
 * and links; between Latin words, digits, or Chinese and Latin it stays.
 * Hangul keeps its break. The tree keeps the break for the booklet. */
static void test_cjk_soft_breaks(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "结束\n第二行", "<p>结束第二行</p>\n" },
		{ "逗号，\n第二行", "<p>逗号，第二行</p>\n" },
		{ "重点**加粗**\n第二行", "<p>重点<strong>加粗</strong>第二行</p>\n" },
		{ "见[链接](https://e.org/)\n*强调*", "<p>见<a href=\"https://e.org/\">链接</a><em>强调</em></p>\n" },
		{ "Latin words\nstay apart", "<p>Latin words\nstay apart</p>\n" },
		{ "中文\nLatin", "<p>中文\nLatin</p>\n" },
		{ "2024\n年", "<p>2024\n年</p>\n" },
		{ "한국어\n문장", "<p>한국어\n문장</p>\n" },
		{ "行尾  \n硬换行", "<p>行尾<br />\n硬换行</p>\n" },
		{ "甲\n乙\n丙\nd\n丁", "<p>甲乙丙\nd\n丁</p>\n" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *html = render(cases[i][0], 0);
		assert_string_equal(html, cases[i][1]);
		free(html);
	}

	const char *md = "第一行\n第二行\n";
	struct cmark_node *doc;
	struct buf a = BUF_INIT, b = BUF_INIT;
	struct diag d;
	diag_init(&d);
	assert_int_equal(md_parse(md, strlen(md), RECORD, 1, NULL, NULL, &d, &doc), 0);
	md_render_doc(doc, NULL, &a);
	md_render_doc(doc, NULL, &b);
	assert_string_equal(a.ptr, "<p>第一行第二行</p>\n");
	assert_string_equal(a.ptr, b.ptr);
	cmark_node *p = cmark_node_first_child(doc);
	assert_int_equal(cmark_node_get_type(cmark_node_next(cmark_node_first_child(p))),
			 CMARK_NODE_SOFTBREAK);
	buf_reset(&a);
	md_excerpt(doc, 100, &a);
	assert_string_equal(a.ptr, "第一行第二行");
	assert_true(md_cjk_wide(0x4E2D));
	assert_true(md_cjk_wide(0xFF0C));
	assert_false(md_cjk_wide('a'));
	assert_false(md_cjk_wide(0xAC00));
	cmark_node_free(doc);
	buf_release(&a);
	buf_release(&b);
	diag_release(&d);
}

static void test_text_cut(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	md_text_cut("短文本。", 10, &b);
	assert_string_equal(b.ptr, "短文本。");
	buf_reset(&b);
	md_text_cut("第一句话。第二句“很长”。第三句还要更长一些", 14, &b);
	assert_string_equal(b.ptr, "第一句话。第二句“很长”。");
	buf_reset(&b);
	md_text_cut("一二三四五六七八九十。后面", 5, &b);
	assert_string_equal(b.ptr, "一二三四五…");
	buf_reset(&b);
	md_text_cut("Version 3.5 is out. More text follows here", 25, &b);
	assert_string_equal(b.ptr, "Version 3.5 is out.");
	buf_release(&b);
}

/* Found by the markdown fuzz target running its corpus
 * (fuzz/corpus/markdown/edge-pathological-links_missing, 900 ms under
 * ASan): each link reported on a line measured the line and counted its
 * characters from the start again, so n missing links on one line cost
 * n^2; 20,000 of them took 12 s. */
static void test_many_link_errors_on_one_line(void **state)
{
	struct fake_repo repo = { default_files, 0, 0, "" };
	struct buf md = BUF_INIT, want = BUF_INIT;
	size_t col_500 = 0, col_last = 0;
	struct diag d;
	char *html, *diags;
	int rc;

	(void)state;
	buf_puts(&md, "图 ");
	for (int i = 0; i < 20000; i++) {
		if (i == 500)
			col_500 = md.len - 1; /* "图" is 3 bytes, 1 column */
		col_last = md.len - 1;
		buf_printf(&md, "[x](m%d.md) ", i);
	}
	diag_init(&d);
	html = render_full(md.ptr, 3, 0, &repo, &d, &rc);
	assert_int_equal(rc, -1);
	assert_int_equal(diag_error_count(&d), 20000);
	diags = test_flush_diag(&d);
	buf_printf(&want, RECORD ":3:%zu: error: link to 'm500.md' points to a "
		   "missing file 'content/cases/m500.md'\n", col_500);
	assert_contains(diags, want.ptr);
	buf_reset(&want);
	buf_printf(&want, RECORD ":3:%zu: error: link to 'm19999.md' points to "
		   "a missing file 'content/cases/m19999.md'\n", col_last);
	assert_contains(diags, want.ptr);
	free(diags);
	free(html);
	diag_release(&d);
	buf_release(&want);
	buf_release(&md);
}

/* Found by pathological inputs written for the markdown fuzz target
 * (fuzz/corpus/markdown/regress-table-*):
 * cmark-gfm 0.29.0.gfm.6 pads each row to the delimiter row's width and
 * parses a row in time quadratic in its cells, so 16 KB of "a|a|...",
 * "-|-|..." and 4,000 lines "a" took over 20 s. Such tables are now shown
 * as text, with a warning; ordinary tables are untouched. */
static void test_table_blowup_shown_as_text(void **state)
{
	struct fake_repo repo = { default_files, 0, 0, "" };
	struct buf md = BUF_INIT;
	struct diag d;
	char *html, *diags;
	int rc;

	(void)state;
	for (int i = 0; i < 4000; i++)
		buf_puts(&md, "a|");
	buf_puts(&md, "\n");
	for (int i = 0; i < 4000; i++)
		buf_puts(&md, "-|");
	buf_puts(&md, "\n");
	for (int i = 0; i < 4000; i++)
		buf_puts(&md, "a\n");
	diag_init(&d);
	html = render_full(md.ptr, 7, 0, &repo, &d, &rc);
	assert_int_equal(rc, 0);
	assert_lacks(html, "<table");
	assert_true(strlen(html) < 2 * md.len);
	diags = test_flush_diag(&d);
	assert_string_equal(diags, RECORD ":8:1: warning: table too large to "
		"render (over 4000000 cells, counting padding, or rows of too "
		"many cells): the record's tables are shown as text; split it "
		"or give it fewer columns\n");
	free(diags);
	free(html);
	diag_release(&d);

	/* One row of 16,000 cells under a one-column header: seconds of
	 * parsing, for cells that are then dropped. */
	buf_reset(&md);
	buf_puts(&md, "| a |\n|---|\n");
	for (int i = 0; i < 16000; i++)
		buf_putc(&md, '|');
	diag_init(&d);
	html = render_full(md.ptr, 1, 0, &repo, &d, &rc);
	assert_int_equal(rc, 0);
	assert_lacks(html, "<table");
	assert_int_equal(d.warnings, 1);
	free(html);
	diag_release(&d);

	/* The same with lines ended by "\r" alone, as cmark reads them. */
	buf_reset(&md);
	for (int i = 0; i < 4000; i++)
		buf_puts(&md, "a|");
	buf_puts(&md, "\r");
	for (int i = 0; i < 4000; i++)
		buf_puts(&md, "-|");
	buf_puts(&md, "\r");
	for (int i = 0; i < 4000; i++)
		buf_puts(&md, "a\r");
	diag_init(&d);
	html = render_full(md.ptr, 1, 0, &repo, &d, &rc);
	assert_lacks(html, "<table");
	assert_int_equal(d.warnings, 1);
	free(html);
	diag_release(&d);

	/* ":-" is a delimiter row without any '|'. */
	buf_reset(&md);
	buf_puts(&md, "|a|\n:-\n");
	for (int i = 0; i < 16000; i++)
		buf_putc(&md, '|');
	diag_init(&d);
	html = render_full(md.ptr, 1, 0, &repo, &d, &rc);
	assert_lacks(html, "<table");
	assert_int_equal(d.warnings, 1);
	free(html);
	diag_release(&d);

	/* Ten columns and a thousand rows are a table. */
	buf_reset(&md);
	buf_puts(&md, "| 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 |\n");
	buf_puts(&md, "|---|---|---|---|---|---|---|---|---|:--:|\n");
	for (int i = 0; i < 1000; i++)
		buf_puts(&md, "| a | b | c | d | e | f | g | h | i | j |\n");
	diag_init(&d);
	html = render_full(md.ptr, 1, 0, &repo, &d, &rc);
	assert_int_equal(rc, 0);
	assert_contains(html, "<table>");
	assert_int_equal(d.warnings, 0);
	free(html);
	diag_release(&d);
	buf_release(&md);
}

static void test_empty_body(void **state)
{
	(void)state;
	struct diag d;
	struct buf html = BUF_INIT;
	diag_init(&d);
	assert_int_equal(md_render(NULL, 0, RECORD, 1, NULL, NULL, &html, &d), 0);
	assert_string_equal(html.ptr, "");
	assert_int_equal(md_render("", 0, RECORD, 0, NULL, NULL, &html, &d), 0);
	assert_string_equal(html.ptr, "");
	buf_release(&html);
	diag_release(&d);
}

/* ---- threads ------------------------------------------------------------ */

#define NTHREADS 4
#define ROUNDS 40

struct job {
	const char *md;
	char *expected;
	int mismatches;
};

/* Documents that use the inline extensions whose global state in
 * cmark-gfm races without the parse lock. */
static char *thread_doc(int k)
{
	struct buf b = BUF_INIT;
	for (int i = 0; i < 300; i++)
		buf_printf(&b, "## 第%d节 %d\n\n文 ~~删%d~~ www.e%d.cn [r](../projects/y.md#%d) "
			   "<i>%d</i> ![t](images/ketang.jpg)\n\n| a | b |\n|---|---|\n| ~~%d~~ | %d |\n\n",
			   i, k, i, k, i, k, i, k);
	return buf_detach(&b, NULL);
}

static void *thread_main(void *arg)
{
	struct job *job = arg;
	struct fake_repo repo = { default_files, 0, 0, "" };
	struct diag d;
	int rc;

	diag_init(&d);
	for (int i = 0; i < ROUNDS; i++) {
		char *html = render_full(job->md, 1, 0, &repo, &d, &rc);
		if (rc != 0 || strcmp(html, job->expected))
			job->mismatches++;
		free(html);
	}
	diag_release(&d);
	return NULL;
}

static void test_threads_match_serial(void **state)
{
	(void)state;
	struct job jobs[NTHREADS];
	pthread_t tid[NTHREADS];

	for (int k = 0; k < NTHREADS; k++) {
		jobs[k].md = thread_doc(k);
		jobs[k].expected = render(jobs[k].md, 0);
		jobs[k].mismatches = 0;
		assert_contains(jobs[k].expected, "<del>");
		char want[64];
		snprintf(want, sizeof(want), "<a href=\"http://www.e%d.cn\">", k);
		assert_contains(jobs[k].expected, want);
	}
	for (int k = 0; k < NTHREADS; k++)
		assert_int_equal(pthread_create(&tid[k], NULL, thread_main, &jobs[k]), 0);
	for (int k = 0; k < NTHREADS; k++)
		pthread_join(tid[k], NULL);
	for (int k = 0; k < NTHREADS; k++) {
		assert_int_equal(jobs[k].mismatches, 0);
		free((char *)jobs[k].md);
		free(jobs[k].expected);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_strikethrough),
		cmocka_unit_test(test_autolink),
		cmocka_unit_test(test_tasklist),
		cmocka_unit_test(test_footnote),
		cmocka_unit_test(test_raw_html_escaped_in_safe_mode),
		cmocka_unit_test(test_raw_html_passes_in_unsafe_mode),
		cmocka_unit_test(test_script_never_raw),
		cmocka_unit_test(test_dangerous_urls_neutralised),
		cmocka_unit_test(test_dangerous_urls_in_both_modes),
		cmocka_unit_test(test_record_link_rewritten_with_fragment),
		cmocka_unit_test(test_image_rewritten),
		cmocka_unit_test(test_image_html_hook),
		cmocka_unit_test(test_missing_target_diagnostic),
		cmocka_unit_test(test_refused_target_diagnostic),
		cmocka_unit_test(test_link_leaving_repository),
		cmocka_unit_test(test_percent_encoded_path),
		cmocka_unit_test(test_absolute_links_untouched),
		cmocka_unit_test(test_no_resolver_leaves_links),
		cmocka_unit_test(test_heading_ids),
		cmocka_unit_test(test_heading_id_duplicates),
		cmocka_unit_test(test_heading_id_length_bounded),
		cmocka_unit_test(test_toc_and_tree),
		cmocka_unit_test(test_excerpt),
		cmocka_unit_test(test_excerpt_runs),
		cmocka_unit_test(test_cjk_soft_breaks),
		cmocka_unit_test(test_text_cut),
		cmocka_unit_test(test_many_link_errors_on_one_line),
		cmocka_unit_test(test_table_blowup_shown_as_text),
		cmocka_unit_test(test_empty_body),
		cmocka_unit_test(test_threads_match_serial),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
