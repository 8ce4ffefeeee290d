/*
 * Unit tests of the typesetter (typeset_*.c): a whole booklet is typeset
 * into a temporary folder and checked with the real poppler tools
 * (pdfinfo, pdffonts, pdftotext, pdfimages), as a reader's PDF viewer
 * would see it; pagination rules and line breaking are also checked
 * directly on the measured blocks.
 */
#include <cairo-pdf.h>
#include <cmark-gfm.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#include "alloc.h"
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "directive.h"
#include "markdown.h"
#include "typeset.h"
#include "typeset_internal.h"

static const char title[] = "2024年度教师培训成果展示";
static const char org[] = "某某区教师发展中心";

static char tmpdir[] = "/tmp/test_typeset.XXXXXX";
static char pdf_path[128];
static struct buf jpeg = BUF_INIT, png = BUF_INIT, md = BUF_INIT;
static struct buf pdf = BUF_INIT, pdf2 = BUF_INIT;
static struct ts_result res = TS_RESULT_INIT;
static char *diags;
static int render_rc;
static char **pages; /* pdftotext -layout, one string per page */
static int fixtures_open;
static int npages;

static const char chart_svg[] =
	"<svg xmlns='http://www.w3.org/2000/svg' width='600' height='300' viewBox='0 0 600 300'>"
	"<text x='300' y='30' text-anchor='middle' font-family='Noto Sans CJK SC' font-size='20'>各区县参训人数</text>"
	"<rect x='60' y='80' width='80' height='180' fill='#3a6'/>"
	"<rect x='200' y='140' width='80' height='120' fill='#36a'/></svg>";

static int image_hook(void *ctx, const char *url, struct buf *bytes)
{
	(void)ctx;
	if (!strcmp(url, "images/photo.jpg"))
		buf_add(bytes, jpeg.ptr, jpeg.len);
	else if (!strcmp(url, "images/figure.png"))
		buf_add(bytes, png.ptr, png.len);
	else
		return -1;
	return 0;
}

static int chart_hook(void *ctx, const struct directive *dir, struct buf *svg)
{
	(void)ctx;
	if (strcmp(dir->figure, "enrolment"))
		return -1;
	buf_puts(svg, chart_svg);
	return 0;
}

static const struct ts_hooks hooks = { image_hook, chart_hook, NULL, NULL };

static struct ts_info booklet_info(void)
{
	struct ts_info info = {
		.title = title,
		.subtitle = "典型案例与年度成果汇编",
		.organization = org,
		.year_label = "二〇二四年",
		.date = 1714564800, /* 2024-05-01T12:00:00Z */
		.cover_image = "images/photo.jpg",
	};
	return info;
}

/* ---- helpers ------------------------------------------------------------ */

/* Run a shell command and return its standard output (caller frees). */
static char *run(const char *fmt, ...)
{
	struct buf cmd = BUF_INIT, out = BUF_INIT;
	char chunk[4096];
	size_t n;
	va_list ap;
	FILE *p;

	buf_puts(&cmd, "TZ=UTC LC_ALL=C.UTF-8 ");
	va_start(ap, fmt);
	buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	p = popen(cmd.ptr, "r");
	assert_non_null(p);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_add(&out, chunk, n);
	int status = pclose(p);
	if (status)
		print_error("command failed: %s\n", cmd.ptr);
	assert_int_equal(status, 0);
	buf_release(&cmd);
	return buf_detach(&out, NULL);
}

static void write_file(const char *path, const struct buf *b)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b->ptr, 1, b->len, f), b->len);
	assert_int_equal(fclose(f), 0);
}

/* Typeset Markdown whose `showcase` blocks are directives, as the report
 * makes them (directive_apply()). */
static int render(const char *text, const struct ts_info *info, struct buf *out,
		  struct ts_result *r, char **diag_text)
{
	struct arena a = ARENA_INIT;
	struct diag d;
	struct cmark_node *doc;
	int rc;

	diag_init(&d);
	md_parse(text, strlen(text), "report.md", 1, NULL, NULL, &d, &doc);
	assert_int_equal(directive_apply(doc, &a, "report.md", NULL, &d), 0);
	rc = ts_render_pdf(&doc, info, &hooks, out, r, &d);
	if (diag_text)
		*diag_text = test_flush_diag(&d);
	if (doc) /* ts_render_pdf() took it */
		cmark_node_free(doc);
	diag_release(&d);
	arena_release(&a);
	return rc;
}

static size_t count(const char *hay, size_t len, const char *needle)
{
	size_t n = 0, nl = strlen(needle);
	for (const char *p = hay; (p = memmem(p, len - (size_t)(p - hay), needle, nl)); p += nl)
		n++;
	return n;
}

/* Lines of a page's text that are not blank, trimmed (caller frees). */
static char **page_lines(int page, int *n)
{
	char **lines = g_strsplit(pages[page - 1], "\n", -1), **out;
	int k = 0;

	out = xcalloc(g_strv_length(lines) + 1, sizeof(*out));
	for (int i = 0; lines[i]; i++) {
		char *t = g_strstrip(lines[i]);
		if (*t)
			out[k++] = xstrdup(t);
	}
	g_strfreev(lines);
	*n = k;
	return out;
}

static void free_lines(char **lines)
{
	for (int i = 0; lines[i]; i++)
		free(lines[i]);
	free(lines);
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* First physical page after `after` whose text holds `needle`, or 0. */
static int find_page(const char *needle, int after)
{
	for (int p = after + 1; p <= npages; p++)
		if (strstr(pages[p - 1], needle))
			return p;
	return 0;
}

/* ---- the booklet -------------------------------------------------------- */

static const char *const prose[] = {
	"教师培训是提高教育质量的关键环节。",
	"近年来，我区坚持“培训即服务”的理念，",
	"围绕《骨干教师能力提升》《送教下乡》等项目（含县级、校级），",
	"开展了形式多样的培训活动；",
	"参训教师累计达到12000人次！",
	"“训前调研、训中管理、训后跟踪”的全过程管理机制成效如何？",
	"学员评价：“收获很大。”",
	"采用 PBL 项目式学习与 Workshop 研修相结合的方式……",
	"「名师工作室」『示范引领』【重点项目】，",
	"形成了一批可复制、可推广的经验（见附表）。",
};

static void para(struct buf *b, unsigned seed, int phrases)
{
	for (int i = 0; i < phrases; i++) {
		seed = seed * 1103515245u + 12345u;
		buf_puts(b, prose[(seed >> 16) % (sizeof(prose) / sizeof(*prose))]);
	}
	buf_puts(b, "培训工作取得明显成效。\n\n");
}

static void booklet_markdown(struct buf *b)
{
	unsigned seed = 7;

	buf_puts(b, "```showcase\ncover\n```\n\n# 前言\n\n");
	for (int i = 0; i < 4; i++)
		para(b, seed++, 12);
	buf_puts(b, "```showcase\ntoc\nnumbering\n```\n\n");

	buf_puts(b, "# 第一章 培训工作概况\n\n");
	for (int i = 0; i < 5; i++)
		para(b, seed++, 14);
	buf_puts(b, "## 一、项目实施\n\n");
	para(b, seed++, 10);
	buf_puts(b, "- 骨干教师能力提升\n- 送教下乡\n  - 小学语文\n  - 初中数学\n"
		    "- 教师工作坊研修\n\n1. 训前调研\n2. 训中管理\n3. 训后跟踪\n\n"
		    "- [x] 完成年度计划\n- [ ] 完成总结\n\n");
	buf_puts(b, "> 教育大计，教师为本。");
	para(b, seed++, 8);
	buf_puts(b, "## 二、典型经验\n\n");
	para(b, seed++, 12);
	buf_puts(b, "![课堂教学现场](images/photo.jpg)\n\n");
	for (int i = 0; i < 3; i++)
		para(b, seed++, 12);

	buf_puts(b, "# 第二章 项目数据统计\n\n");
	para(b, seed++, 10);
	buf_puts(b, "## 一、参训人数\n\n");
	para(b, seed++, 6);
	buf_puts(b, "| 序号 | 项目名称 | 承训机构 | 人数 |\n|---:|---|---|---:|\n");
	for (int r = 1; r <= 90; r++)
		buf_printf(b, "| %d | 骨干教师能力提升培训第%d期 | 某某师范大学继续教育学院 | %d |\n",
			   r, r, 100 + r);
	buf_puts(b, "\n## 二、图表分析\n\n```showcase\nchart enrolment\n```\n\n");
	para(b, seed++, 10);
	buf_puts(b, "## 三、区县分布\n\n");
	for (int i = 0; i < 6; i++)
		para(b, seed++, 14);

	buf_puts(b, "# 第三章 工作展望\n\n## 一、存在问题\n\n");
	para(b, seed++, 12);
	buf_puts(b, "![结构图](images/figure.png)\n\n![缺失的照片](images/missing.png)\n\n");
	buf_puts(b, "## 二、下一步打算\n\n见[官网](https://example.org/path?a=1)与"
		    "[第一章](#第一章-培训工作概况)。代码 `make report` 示例[^n]：\n\n"
		    "```\nshowcase report 2024\n```\n\n---\n\n");
	for (int i = 0; i < 3; i++)
		para(b, seed++, 12);
	buf_puts(b, "[^n]: 详见操作手册。\n");
}

static void make_images(void)
{
	GdkPixbuf *pb = gdk_pixbuf_new(GDK_COLORSPACE_RGB, FALSE, 8, 320, 200);
	guchar *px = gdk_pixbuf_get_pixels(pb);
	int stride = gdk_pixbuf_get_rowstride(pb);
	gchar *data;
	gsize len;

	for (int y = 0; y < 200; y++)
		for (int x = 0; x < 320; x++) {
			guchar *q = px + y * stride + x * 3;
			q[0] = (guchar)(x * 255 / 320);
			q[1] = (guchar)(y * 255 / 200);
			q[2] = 128;
		}
	assert_true(gdk_pixbuf_save_to_buffer(pb, &data, &len, "jpeg", NULL, "quality", "85", NULL));
	buf_add(&jpeg, data, len);
	g_free(data);
	assert_true(gdk_pixbuf_save_to_buffer(pb, &data, &len, "png", NULL, NULL));
	buf_add(&png, data, len);
	g_free(data);
	g_object_unref(pb);
}

static int setup(void **state)
{
	struct ts_info info = booklet_info();
	char *text;

	(void)state;
	if (!mkdtemp(tmpdir))
		return -1;
	make_images();
	booklet_markdown(&md);
	render_rc = render(md.ptr, &info, &pdf, &res, &diags);
	snprintf(pdf_path, sizeof(pdf_path), "%s/booklet.pdf", tmpdir);
	write_file(pdf_path, &pdf);
	text = run("pdftotext -layout '%s' -", pdf_path);
	pages = g_strsplit(text, "\f", -1);
	npages = (int)g_strv_length(pages);
	if (npages && !*pages[npages - 1])
		npages--; /* the text ends with a form feed */
	free(text);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(pdf_path);
	rmdir(tmpdir);
	g_strfreev(pages);
	free(diags);
	ts_result_release(&res);
	buf_release(&pdf);
	buf_release(&pdf2);
	buf_release(&md);
	buf_release(&jpeg);
	buf_release(&png);
	/* A fixture left open by a failed test keeps fonts alive, and Cairo
	 * aborts when its caches are reset under live fonts. */
	if (!fixtures_open)
		ts_shutdown();
	return 0;
}

static int heading_number(const char *text)
{
	for (size_t i = 0; i < res.nheadings; i++)
		if (!strcmp(res.headings[i].text, text))
			return res.headings[i].number;
	fail_msg("no heading '%s' in the result", text);
	return 0;
}

/* ---- tests on the booklet ----------------------------------------------- */

static void test_metadata(void **state)
{
	char *info = run("pdfinfo '%s'", pdf_path);
	char want[64];

	(void)state;
	assert_true(res.pages > 3);
	assert_int_equal(npages, res.pages);
	snprintf(want, sizeof(want), "\nPages:           %d\n", res.pages);
	assert_non_null(strstr(info, want));
	assert_non_null(strstr(info, "Title:           2024年度教师培训成果展示\n"));
	assert_non_null(strstr(info, "Author:          某某区教师发展中心\n"));
	assert_non_null(strstr(info, "Creator:         showcase\n"));
	assert_non_null(strstr(info, "CreationDate:    Wed May  1 12:00:00 2024 UTC\n"));
	assert_non_null(strstr(info, "ModDate:         Wed May  1 12:00:00 2024 UTC\n"));
	assert_non_null(strstr(info, "Page size:       595.28 x 841.89 pts (A4)"));
	free(info);
}

static void test_fonts_embedded(void **state)
{
	char *out = run("pdffonts '%s'", pdf_path);
	char **lines = g_strsplit(out, "\n", -1);
	int fonts = 0, serif = 0, sans = 0;

	(void)state;
	for (int i = 2; lines[i] && *lines[i]; i++) {
		char **tok = g_strsplit_set(lines[i], " ", -1);
		const char *t[16];
		int n = 0;
		for (int k = 0; tok[k]; k++)
			if (*tok[k] && n < 16)
				t[n++] = tok[k];
		assert_true(n >= 7);
		assert_string_equal(t[n - 5], "yes"); /* emb */
		assert_string_equal(t[n - 4], "yes"); /* sub */
		serif += strstr(t[0], "NotoSerifCJKsc") != NULL;
		sans += strstr(t[0], "NotoSansCJKsc") != NULL;
		fonts++;
		g_strfreev(tok);
	}
	assert_true(fonts >= 2);
	assert_true(serif >= 1);
	assert_true(sans >= 1);
	g_strfreev(lines);
	free(out);
}

static void test_contents_page_numbers(void **state)
{
	int toc = find_page("目录", 1), entries = 0;

	(void)state;
	assert_true(toc > 0);
	assert_true(res.first_numbered > toc);
	for (size_t i = 0; i < res.nheadings; i++) {
		const struct ts_heading_page *h = &res.headings[i];
		int n, found = 0, number = 0;
		char **lines;

		if (!strcmp(h->text, "前言"))
			continue; /* before the contents, not listed */
		lines = page_lines(toc, &n);
		for (int k = 0; k < n; k++) {
			size_t len = strlen(h->text);
			if (strncmp(lines[k], h->text, len))
				continue;
			const char *num = strrchr(lines[k], ' ');
			assert_non_null(num);
			number = atoi(num + 1);
			found = 1;
		}
		free_lines(lines);
		if (!found)
			fail_msg("heading '%s' is not in the contents", h->text);
		entries++;
		/* The printed number names the page pdftotext finds it on. */
		int page = find_page(h->text, toc);
		assert_int_equal(page, res.first_numbered + number - 1);
		assert_int_equal(page, h->page);
		assert_int_equal(number, h->number);
	}
	assert_int_equal(entries, 3 + 7);
}

struct word {
	double x, y;
	char *text;
};

static int word_order(const void *a, const void *b)
{
	const struct word *u = a, *v = b;
	if (fabs(u->y - v->y) > 1)
		return u->y < v->y ? -1 : 1;
	return u->x < v->x ? -1 : u->x > v->x;
}

/*
 * The lines of a page as a reader sees them: the words of pdftotext -bbox
 * on one baseline, left to right. (pdftotext -layout splits a line where
 * a half-width mark's full-width box overlaps the next character, as
 * punctuation compression makes them.)
 */
static char **visual_lines(int page, int *n)
{
	char *bbox = run("pdftotext -bbox -f %d -l %d '%s' -", page, page, pdf_path);
	struct word *w = NULL;
	size_t nw = 0, cap = 0;
	char **out;
	int k = 0;

	for (char *p = bbox; (p = strstr(p, "<word xMin=\"")); ) {
		double x = g_ascii_strtod(p + 12, NULL);
		char *y = strstr(p, "yMin=\""), *t = strchr(p, '>'), *e;
		if (!y || !t || !(e = strstr(t, "</word>")))
			break;
		if (nw == cap)
			w = xrealloc(w, (cap = cap ? 2 * cap : 256) * sizeof(*w));
		w[nw].x = x;
		w[nw].y = g_ascii_strtod(y + 6, NULL);
		w[nw++].text = g_strndup(t + 1, (gsize)(e - t - 1));
		p = e;
	}
	qsort(w, nw, sizeof(*w), word_order);
	out = xcalloc(nw + 1, sizeof(*out));
	for (size_t i = 0; i < nw; i++) {
		GString *line = g_string_new(w[i].text);
		g_free(w[i].text);
		while (i + 1 < nw && fabs(w[i + 1].y - w[i].y) <= 1) {
			g_string_append(line, w[++i].text);
			g_free(w[i].text);
		}
		out[k++] = g_string_free(line, FALSE);
	}
	for (int i = 0; i < k; i++) { /* xcalloc'd strings for free_lines() */
		char *copy = xstrdup(out[i]);
		g_free(out[i]);
		out[i] = copy;
	}
	free(w);
	free(bbox);
	*n = k;
	return out;
}

static void test_line_breaking(void **state)
{
	static const gunichar no_start[] = {
		0x3002, 0xFF0C, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, 0xFF09,
		0x300B, 0x300D, 0x300F, 0x3011, 0x2026, 0x201D, 0x2019,
	};
	static const gunichar no_end[] = { 0xFF08, 0x300A, 0x300C, 0x300E, 0x3010, 0x201C, 0x2018 };
	int checked = 0;

	(void)state;
	for (int p = 1; p <= npages; p++) {
		int n;
		char **lines = visual_lines(p, &n);
		for (int k = 0; k < n; k++) {
			gunichar first = g_utf8_get_char(lines[k]);
			gunichar last = g_utf8_get_char(g_utf8_find_prev_char(lines[k], lines[k] + strlen(lines[k])));
			for (size_t j = 0; j < sizeof(no_start) / sizeof(*no_start); j++)
				if (first == no_start[j])
					fail_msg("page %d: line starts with closing punctuation: %s", p, lines[k]);
			for (size_t j = 0; j < sizeof(no_end) / sizeof(*no_end); j++)
				if (last == no_end[j])
					fail_msg("page %d: line ends with opening punctuation: %s", p, lines[k]);
			checked++;
		}
		free_lines(lines);
	}
	assert_true(checked > 300);
}

static void test_running_header(void **state)
{
	int ch2 = res.first_numbered + heading_number("第二章 项目数据统计") - 1;
	int n;
	char **lines = page_lines(ch2 + 1, &n);

	(void)state;
	/* A page inside chapter 2 names the booklet and chapter 2 on top. */
	assert_true(n > 2);
	assert_non_null(strstr(lines[0], title));
	assert_non_null(strstr(lines[0], "第二章 项目数据统计"));
	free_lines(lines);
	/* The cover has none. */
	assert_null(strstr(pages[0], "第一章"));
	assert_non_null(strstr(pages[0], title));
	assert_non_null(strstr(pages[0], org));
}

static void test_page_numbers(void **state)
{
	(void)state;
	assert_true(res.first_numbered > 1);
	for (int p = 1; p <= npages; p++) {
		int n;
		char **lines = page_lines(p, &n);
		const char *last = n ? lines[n - 1] : "";
		if (p < res.first_numbered) {
			if (all_digits(last))
				fail_msg("front matter page %d has a page number", p);
		} else {
			char want[16];
			snprintf(want, sizeof(want), "%d", p - res.first_numbered + 1);
			assert_string_equal(last, want);
		}
		free_lines(lines);
	}
	assert_int_equal(heading_number("第一章 培训工作概况"), 1);
}

static void test_table_header_repeats(void **state)
{
	int first = find_page("培训第1期 ", 0), last = find_page("培训第90期", 0);

	(void)state;
	assert_true(first > 0);
	assert_true(last > first); /* the table runs over more than a page */
	for (int p = first; p <= last; p++)
		assert_non_null(strstr(pages[p - 1], "承训机构"));
}

static void test_headings_kept_with_text(void **state)
{
	(void)state;
	for (size_t i = 0; i < res.nheadings; i++) {
		const struct ts_heading_page *h = &res.headings[i];
		int n;
		char **lines = page_lines(h->page, &n);
		int body_end = n && all_digits(lines[n - 1]) ? n - 1 : n;
		/* Something of the section follows its heading on the page. */
		assert_true(body_end > 0);
		if (strstr(lines[body_end - 1], h->text) && body_end > 1)
			fail_msg("heading '%s' ends page %d", h->text, h->page);
		free_lines(lines);
	}
}

static void test_outline_links_images(void **state)
{
	char *images = run("pdfimages -list '%s'", pdf_path);

	(void)state;
	assert_int_equal(count(pdf.ptr, pdf.len, "/Type /Outlines"), 1);
	/* A bookmark for every top heading and the contents (hex as qpdf writes it). */
	assert_true(count(pdf.ptr, pdf.len, "/Title <feff") >= res.nheadings + 1);
	assert_true(count(pdf.ptr, pdf.len, "/Dest (h") >= 10 + res.nheadings);
	assert_int_equal(count(pdf.ptr, pdf.len, "/URI (https://example.org/path?a=1)"), 1);
	/* The JPEG is embedded as it was (once, for the cover and chapter 1),
	 * the PNG as pixels, the chart as vectors. */
	char **lines = g_strsplit(images, "\n", -1);
	int jpegs = 0, others = 0;
	long jpeg_object = -1;
	for (int i = 2; lines[i] && *lines[i]; i++) {
		char **tok = g_strsplit_set(lines[i], " ", -1);
		const char *t[24];
		int n = 0;
		for (int k = 0; tok[k]; k++)
			if (*tok[k] && n < 24)
				t[n++] = tok[k];
		assert_true(n > 11);
		if (!strcmp(t[8], "jpeg")) {
			if (jpeg_object >= 0)
				assert_int_equal(atol(t[10]), jpeg_object);
			jpeg_object = atol(t[10]);
			jpegs++;
		} else {
			others++;
		}
		g_strfreev(tok);
	}
	g_strfreev(lines);
	assert_int_equal(jpegs, 2);
	assert_int_equal(others, 1);
	assert_non_null(strstr(pdf.ptr + 0, "%PDF-"));
	assert_true(count(pdf.ptr, pdf.len, "/DCTDecode") >= 1);
	assert_non_null(find_page("各区县参训人数", 0)); /* the chart's own title */
	free(images);
}

static void test_diagnostics_and_placeholder(void **state)
{
	char want[160];
	const char *at = strstr(md.ptr, "![缺失的照片]");
	int line = 1;

	(void)state;
	for (const char *p = md.ptr; p < at; p++)
		line += *p == '\n';
	snprintf(want, sizeof(want),
		 "report template:%d:1: error: image 'images/missing.png' not found\n", line);
	assert_string_equal(diags, want);
	assert_int_equal(render_rc, -1);
	assert_true(pdf.len > 1000); /* the PDF is still complete */
	assert_non_null(find_page("图片缺失：images/missing.png", 0));
}

static void test_deterministic(void **state)
{
	struct ts_info info = booklet_info();
	char self[512], path[160], *d2, *out;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	(void)state;
	/* Twice in this process... */
	assert_int_equal(render(md.ptr, &info, &pdf2, NULL, &d2), -1);
	free(d2);
	assert_int_equal(pdf2.len, pdf.len);
	assert_memory_equal(pdf2.ptr, pdf.ptr, pdf.len);
	/* ...and once in another, with other addresses and a cold cache. */
	assert_true(n > 0);
	self[n] = '\0';
	snprintf(path, sizeof(path), "%s/again.pdf", tmpdir);
	out = run("TEST_TYPESET_RENDER='%s' '%s'", path, self);
	free(out);
	buf_reset(&pdf2);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char chunk[65536];
	size_t got;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&pdf2, chunk, got);
	fclose(f);
	unlink(path);
	assert_int_equal(pdf2.len, pdf.len);
	assert_memory_equal(pdf2.ptr, pdf.ptr, pdf.len);
}

/* The child of test_deterministic: typeset the booklet into `path`. */
static int render_only(const char *path)
{
	struct ts_info info = booklet_info();
	struct buf out = BUF_INIT;
	FILE *f;

	make_images();
	booklet_markdown(&md);
	render(md.ptr, &info, &out, NULL, NULL);
	f = fopen(path, "wb");
	if (!f || fwrite(out.ptr, 1, out.len, f) != out.len || fclose(f))
		return 1;
	buf_release(&out);
	buf_release(&md);
	buf_release(&jpeg);
	buf_release(&png);
	ts_shutdown();
	return 0;
}

/* ---- smaller documents -------------------------------------------------- */

/* Directives come only as directive nodes: a `showcase` code block that
 * reaches the typesetter (one in a record's body) is printed as code, and
 * a missing chart is reported where its directive was written. */
static void test_directives_are_nodes(void **state)
{
	const char *text = "正文\n\n```showcase\ntoc\ncover\n```\n\n## 节\n";
	struct ts_info info = { .title = "T", .date = 0 };
	struct ts_result r = TS_RESULT_INIT;
	struct buf out = BUF_INIT;
	struct cmark_node *doc;
	struct diag d;
	char path[160], *txt, *msg;

	(void)state;
	diag_init(&d);
	md_parse(text, strlen(text), "content/cases/x.md", 1, NULL, NULL, &d, &doc);
	assert_int_equal(ts_render_pdf(&doc, &info, &hooks, &out, &r, &d), 0);
	msg = test_flush_diag(&d);
	assert_string_equal(msg, "");
	free(msg);
	assert_int_equal(r.pages, 1); /* no cover, no contents page */
	snprintf(path, sizeof(path), "%s/code.pdf", tmpdir);
	write_file(path, &out);
	txt = run("pdftotext '%s' -", path);
	assert_non_null(strstr(txt, "toc\ncover"));
	assert_null(strstr(txt, "目录"));
	free(txt);
	unlink(path);
	if (doc) /* ts_render_pdf() took it */
		cmark_node_free(doc);
	diag_release(&d);
	ts_result_release(&r);
	buf_release(&out);

	assert_int_equal(render("正文\n\n```showcase\nchart nosuch pie\n```\n",
				&info, &out, NULL, &msg), -1);
	assert_string_equal(msg, "report.md:4:1: error: chart 'nosuch pie' not found\n");
	free(msg);
	buf_release(&out);
}

/* An image spliced in from another file (a record's body) carries its
 * origin, and so does the cover image: problems are reported there, not
 * in the template. */
static void test_image_origins(void **state)
{
	const char *text = "```showcase\ncover\n```\n\n正文\n\n![图](nothing.png)\n";
	struct ts_origin body = { "content/cases/x.md", 17, 3, 0 };
	struct ts_info info = { .title = "T", .cover_image = "cover.png",
				.cover_at = { "content/reports/2024.md", 5, 8 },
				.source_path = "templates/report.mustache" };
	struct arena a = ARENA_INIT;
	struct buf out = BUF_INIT;
	struct cmark_node *doc, *img;
	struct diag d;
	char *msg;

	(void)state;
	diag_init(&d);
	md_parse(text, strlen(text), "report.md", 1, NULL, NULL, &d, &doc);
	assert_int_equal(directive_apply(doc, &a, "report.md", NULL, &d), 0);
	img = cmark_node_first_child(cmark_node_last_child(doc));
	assert_int_equal(cmark_node_get_type(img), CMARK_NODE_IMAGE);
	cmark_node_set_user_data(img, &body);
	assert_int_equal(ts_render_pdf(&doc, &info, &hooks, &out, NULL, &d), -1);
	msg = test_flush_diag(&d);
	assert_string_equal(msg,
		"content/cases/x.md:17:3: error: image 'nothing.png' not found\n"
		"content/reports/2024.md:5:8: error: image 'cover.png' not found\n");
	free(msg);
	if (doc) /* ts_render_pdf() took it */
		cmark_node_free(doc);
	diag_release(&d);
	arena_release(&a);
	buf_release(&out);
}

static void test_empty_and_odd_input(void **state)
{
	struct ts_info info = { .title = NULL };
	struct ts_result r = TS_RESULT_INIT;
	struct buf out = BUF_INIT, doc = BUF_INIT;
	char path[160], *d, *bbox;

	(void)state;
	/* Nothing at all: one blank page, still a valid PDF. */
	assert_int_equal(ts_render_pdf(NULL, NULL, NULL, &out, &r, NULL), 0);
	assert_int_equal(r.pages, 1);
	assert_int_equal(memcmp(out.ptr, "%PDF-", 5), 0);
	ts_result_release(&r);
	buf_release(&out);
	assert_int_equal(render("", &info, &out, &r, NULL), 0);
	assert_int_equal(r.pages, 1);
	ts_result_release(&r);
	buf_release(&out);

	/* Words and URLs longer than a line still break inside the margins. */
	for (int i = 0; i < 300; i++)
		buf_puts(&doc, "Supercalifragilistic");
	buf_puts(&doc, "\n\n<https://example.org/");
	for (int i = 0; i < 200; i++)
		buf_puts(&doc, "very/long/path/");
	buf_puts(&doc, ">\n\n");
	for (int i = 0; i < 400; i++)
		buf_puts(&doc, "（");
	buf_puts(&doc, "\n\n");
	assert_int_equal(render(doc.ptr, &info, &out, &r, NULL), 0);
	snprintf(path, sizeof(path), "%s/long.pdf", tmpdir);
	write_file(path, &out);
	bbox = run("pdftotext -bbox '%s' -", path);
	for (const char *p = bbox; (p = strstr(p, "xMax=\"")); p++)
		if (g_ascii_strtod(p + 6, NULL) > TS_PAGE_W - TS_MARGIN_OUTER + 0.5)
			fail_msg("text beyond the right margin: %.60s", p);
	free(bbox);
	unlink(path);
	ts_result_release(&r);
	buf_release(&out);
	buf_reset(&doc);

	/* A huge table, a row taller than a page, deep lists and quotes,
	 * runaway emphasis: all typeset, nothing lost or crashed. */
	buf_puts(&doc, "|");
	for (int c = 0; c < 30; c++)
		buf_printf(&doc, " 列%d |", c);
	buf_puts(&doc, "\n|");
	for (int c = 0; c < 30; c++)
		buf_puts(&doc, "---|");
	buf_puts(&doc, "\n");
	for (int r0 = 0; r0 < 150; r0++) {
		buf_puts(&doc, "|");
		for (int c = 0; c < 30; c++)
			buf_puts(&doc, " 内容内容 |");
		buf_puts(&doc, "\n");
	}
	buf_puts(&doc, "\n| 甲 | 乙 |\n|---|---|\n| ");
	for (int i = 0; i < 700; i++)
		buf_puts(&doc, "很长的单元格内容。");
	buf_puts(&doc, "ENDOFCELL | 短 |\n| 1 | 2 |\n\n");
	for (int i = 0; i < 200; i++)
		buf_printf(&doc, "%*s- 第%d层\n", 2 * i, "", i);
	buf_puts(&doc, "\n");
	for (int i = 0; i < 1000; i++)
		buf_putc(&doc, '>');
	buf_puts(&doc, " 很深的引用\n\n");
	for (int i = 0; i < 300; i++)
		buf_puts(&doc, "**_");
	buf_puts(&doc, "强调");
	for (int i = 0; i < 300; i++)
		buf_puts(&doc, "_**");
	buf_puts(&doc, "\n\n# \n\n## \n");
	assert_int_equal(render(doc.ptr, &info, &out, &r, &d), 0);
	assert_string_equal(d, "");
	assert_true(r.pages > 5);
	snprintf(path, sizeof(path), "%s/odd.pdf", tmpdir);
	write_file(path, &out);
	bbox = run("pdftotext '%s' -", path);
	assert_non_null(strstr(bbox, "ENDOFCELL")); /* the tall row's end */
	assert_non_null(strstr(bbox, "第199层"));
	assert_non_null(strstr(bbox, "很深的引用"));
	free(bbox);
	unlink(path);
	free(d);
	ts_result_release(&r);
	buf_release(&out);
	buf_release(&doc);
}

/* ---- white-box checks of layout and pagination --------------------------- */

struct fixture {
	struct ts_doc doc;
	struct diag d;
	cairo_surface_t *surface;
	struct cmark_node *root;
	struct ts_info info;
};

static cairo_status_t discard(void *c, const unsigned char *data, unsigned int len)
{
	(void)c, (void)data, (void)len;
	return CAIRO_STATUS_SUCCESS;
}


static void fixture_open(struct fixture *f, const char *text)
{
	fixtures_open++;
	memset(f, 0, sizeof(*f));
	diag_init(&f->d);
	f->doc.info = &f->info;
	f->doc.d = &f->d;
	f->doc.path = "t";
	f->doc.toc_at = -1;
	f->surface = cairo_pdf_surface_create_for_stream(discard, NULL, TS_PAGE_W, TS_PAGE_H);
	ts_fonts_init(&f->doc, f->surface);
	if (text) {
		md_parse(text, strlen(text), "t.md", 1, NULL, NULL, &f->d, &f->root);
		ts_build(&f->doc, f->root);
		ts_paginate(&f->doc);
	}
}

static void fixture_close(struct fixture *f)
{
	ts_doc_release(&f->doc);
	cairo_surface_finish(f->surface);
	cairo_surface_destroy(f->surface);
	if (f->root)
		cmark_node_free(f->root);
	diag_release(&f->d);
	fixtures_open--;
}

static void test_pagination_rules(void **state)
{
	struct buf doc = BUF_INIT;
	struct fixture f;
	unsigned seed = 99;
	int splits = 0, kept = 0;

	(void)state;
	for (int s = 0; s < 60; s++) {
		buf_printf(&doc, "## 第%d节\n\n", s);
		for (int k = 0; k < 3; k++) {
			seed = seed * 1103515245u + 12345u;
			/* 1 to 14 lines */
			para(&doc, seed, 1 + (int)((seed >> 16) % 30));
		}
		if (s % 7 == 3) {
			buf_puts(&doc, "| 甲 | 乙 |\n|---|---|\n");
			for (int r = 0; r < (s % 5) * 9 + 3; r++)
				buf_printf(&doc, "| %d | 内容 |\n", r);
			buf_puts(&doc, "\n");
		}
	}
	fixture_open(&f, doc.ptr);
	for (size_t b = 0; b < f.doc.blocks.len; b++) {
		const struct ts_block *blk = &f.doc.blocks.v[b];
		int next = 0, pieces = 0, first_page = -1;
		for (size_t p = 0; p < f.doc.pages.len; p++) {
			const struct ts_page *pg = &f.doc.pages.v[p];
			for (size_t i = pg->first; i < pg->first + pg->count; i++) {
				const struct ts_frag *fr = &f.doc.frags.v[i];
				assert_true(fr->y + fr->h <= TS_TEXT_H + 0.01);
				if (fr->block != (int)b)
					continue;
				if (first_page < 0)
					first_page = (int)p;
				pieces++;
				if (blk->kind == TS_B_TEXT) {
					assert_int_equal(fr->from, next); /* every line once, in order */
					next = fr->to;
					/* no orphan, no widow */
					if (fr->to - fr->from < blk->text.nlines)
						assert_true(fr->to - fr->from >= 2);
				}
				if (blk->kind == TS_B_TABLE) {
					assert_int_equal(fr->head, fr->from > 0);
					assert_true(fr->to > fr->from);
					/* the header row never ends a page alone */
					assert_false(fr->from == 0 && fr->to == 1 && blk->table->nrows > 1);
				}
			}
		}
		if (blk->kind == TS_B_TEXT) {
			assert_int_equal(next, blk->text.nlines);
			splits += pieces > 1;
		}
		/* a heading is on the page where what follows it starts */
		if (blk->heading >= 0 && b + 1 < f.doc.blocks.len) {
			const struct ts_heading *h = &f.doc.heads.v[blk->heading];
			for (size_t i = 0; i < f.doc.frags.len; i++)
				if (f.doc.frags.v[i].block == (int)b + 1) {
					size_t p = 0;
					while (i >= f.doc.pages.v[p].first + f.doc.pages.v[p].count)
						p++;
					assert_int_equal((int)p, h->page);
					kept++;
					break;
				}
		}
	}
	assert_true(splits > 5);
	assert_int_equal(kept, 60);
	fixture_close(&f);
	buf_release(&doc);
}

static void test_inline_text(void **state)
{
	struct fixture f;
	const struct ts_block *b;

	(void)state;
	fixture_open(&f, "第一行\n第二行\nEnglish\nwords，**粗体**与*强调*、~~删除~~、`code`"
			 "和[链接](https://example.org/)。\n\n![图](nothing.png)\n");
	assert_int_equal(f.doc.blocks.len, 2);
	b = &f.doc.blocks.v[0];
	/* Chinese lines join without a space, other lines with one. */
	assert_string_equal(pango_layout_get_text(b->text.layout),
			    "第一行第二行 English words，粗体与强调、删除、code和链接。");
	assert_int_equal(b->text.nlinks, 1);
	assert_string_equal(b->text.links[0].target, "https://example.org/");
	assert_string_equal(pango_layout_get_text(b->text.layout) + b->text.links[0].start,
			    "链接。");
	assert_int_equal(b->text.links[0].end - b->text.links[0].start, strlen("链接"));
	/* A missing image leaves a placeholder block and an error. */
	b = &f.doc.blocks.v[1];
	assert_int_equal(b->kind, TS_B_IMAGE);
	assert_null(b->image);
	assert_string_equal(b->missing, "图片缺失：nothing.png");
	assert_int_equal(f.doc.errors, 1);
	assert_diag(&f.d, "t:6:1: error: image 'nothing.png' not found\n");
	fixture_close(&f);
}

/* Images of every published type, and a bomb that must never be decoded. */
static int media_hook(void *ctx, const char *url, struct buf *bytes)
{
	static const unsigned char gif[] =
		"GIF89a\x02\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff"
		",\x00\x00\x00\x00\x02\x00\x01\x00\x00\x02\x02" "D\x01\x00;";
	static const unsigned char webp[] = {
		'R', 'I', 'F', 'F', 0x1a, 0, 0, 0, 'W', 'E', 'B', 'P',
		'V', 'P', '8', 'L', 0x0d, 0, 0, 0, 0x2f, 0x00, 0x00, 0x00, 0x10,
		0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07, 0x00,
	};
	/* The same image as the one frame of an animation. */
	static const unsigned char anim[] = {
		'R', 'I', 'F', 'F', 82, 0, 0, 0, 'W', 'E', 'B', 'P',
		'V', 'P', '8', 'X', 10, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		'A', 'N', 'I', 'M', 6, 0, 0, 0, 255, 255, 255, 255, 0, 0,
		'A', 'N', 'M', 'F', 38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 100, 0, 0, 0,
		'V', 'P', '8', 'L', 0x0d, 0, 0, 0, 0x2f, 0x00, 0x00, 0x00, 0x10,
		0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07, 0x00,
	};
	/* A PNG header of 20000 x 20000 and no data: decoding it would fail
	 * differently, so the message shows the header was read first. */
	static const unsigned char bomb[] =
		"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\x4e\x20\0\0\x4e\x20"
		"\x08\0\0\0\0CRC!";
	(void)ctx;
	if (!strcmp(url, "a.gif"))
		buf_add(bytes, gif, sizeof(gif) - 1);
	else if (!strcmp(url, "a.webp"))
		buf_add(bytes, webp, sizeof(webp));
	else if (!strcmp(url, "anim.webp"))
		buf_add(bytes, anim, sizeof(anim));
	else if (!strcmp(url, "bomb.png"))
		buf_add(bytes, bomb, sizeof(bomb) - 1);
	else if (!strcmp(url, "photo.jpg"))
		buf_add(bytes, jpeg.ptr, jpeg.len);
	else
		return -1;
	return 0;
}

static void test_image_formats(void **state)
{
	static const struct ts_hooks mh = { media_hook, NULL, NULL, NULL };
	static const char text[] = "![](a.gif)\n\n![](a.webp)\n\n![](bomb.png)\n\n"
				   "![](photo.jpg)\n\n![](anim.webp)\n";
	struct fixture f;

	(void)state;
	fixture_open(&f, NULL);
	f.doc.hooks = &mh;
	md_parse(text, strlen(text), "t.md", 1, NULL, NULL, &f.d, &f.root);
	ts_build(&f.doc, f.root);
	assert_int_equal(f.doc.blocks.len, 5);
	assert_non_null(f.doc.blocks.v[0].image);
	assert_int_equal(cairo_image_surface_get_width(f.doc.blocks.v[0].image->surface), 2);
	assert_non_null(f.doc.blocks.v[1].image);
	assert_int_equal(cairo_image_surface_get_width(f.doc.blocks.v[1].image->surface), 1);
	assert_null(f.doc.blocks.v[2].image);
	assert_non_null(f.doc.blocks.v[3].image);
	assert_non_null(f.doc.blocks.v[4].image);
	assert_int_equal(cairo_image_surface_get_width(f.doc.blocks.v[4].image->surface), 1);
	assert_diag(&f.d, "t:5:1: error: cannot read image 'bomb.png': "
		    "20000x20000 pixels, over the limit of 40000000 pixels\n");
	fixture_close(&f);

	/* The limit is the caller's: a 320 x 200 photograph over 1000. */
	fixture_open(&f, NULL);
	f.doc.hooks = &mh;
	f.info.max_pixels = 1000;
	md_parse("![](photo.jpg)\n", 15, "t.md", 1, NULL, NULL, &f.d, &f.root);
	ts_build(&f.doc, f.root);
	assert_null(f.doc.blocks.v[0].image);
	assert_diag(&f.d, "t:1:1: error: cannot read image 'photo.jpg': "
		    "320x200 pixels, over the limit of 1000 pixels\n");
	fixture_close(&f);
}

static void test_text_rules(void **state)
{
	static const char *const bits[] = {
		"教", "师", "培", "训", "A", "b", "1", " ", "。", "，", "、", "；", "：",
		"？", "！", "）", "》", "」", "』", "】", "……", "”", "’", "（", "《",
		"「", "『", "【", "“", "‘",
	};
	struct fixture f;
	unsigned seed = 5;
	int lines = 0, flush = 0, ragged = 0;

	(void)state;
	fixture_open(&f, NULL);
	for (int trial = 0; trial < 400; trial++) {
		struct ts_text t;
		GString *s = g_string_new(NULL);
		for (int i = 0; i < 150; i++) {
			seed = seed * 1103515245u + 12345u;
			g_string_append(s, bits[(seed >> 16) % (sizeof(bits) / sizeof(*bits))]);
		}
		double width = 100 + trial % 360;
		ts_text_plain(&f.doc, &t, s->str, TS_S_BODY, width, TS_T_JUSTIFY | TS_T_INDENT);
		for (int i = 1; i < t.nlines; i++) {
			const char *start = s->str + t.lines[i].line->start_index;
			const char *end = s->str + t.lines[i - 1].line->start_index +
					  t.lines[i - 1].line->length;
			const char *p = g_utf8_find_prev_char(s->str, end);
			while (p && *p == ' ')
				p = g_utf8_find_prev_char(s->str, p);
			gunichar c = g_utf8_get_char(start), e = p ? g_utf8_get_char(p) : 0;
			const char *bad_start = "。，、；：？！）》」』】…”’";
			const char *bad_end = "（《「『【“‘";
			for (const char *q = bad_start; *q; q = g_utf8_next_char(q))
				assert_false(c == g_utf8_get_char(q));
			for (const char *q = bad_end; *q; q = g_utf8_next_char(q))
				assert_false(e == g_utf8_get_char(q));
			lines++;
		}
		/* Justified lines end flush right (but the last). */
		for (int i = 0; i + 1 < t.nlines; i++) {
			double w = t.lines[i].x + ts_text_line_width(&t, i);
			const char *ls = s->str + t.lines[i].line->start_index;
			if (g_utf8_strlen(ls, t.lines[i].line->length) < 4)
				continue; /* a line of one glued unit has no gap to widen */
			/* Random runs of ten closing marks cannot always be
			 * kept inside a narrow measure; real text has none. */
			ragged += fabs(w - width) > 0.05;
			flush++;
		}
		/* The first line is indented by two characters, the rest not. */
		assert_true(fabs(t.lines[0].x - 21) < 0.01);
		if (t.nlines > 1)
			assert_true(fabs(t.lines[1].x) < 0.01);
		ts_text_release(&t);
		g_string_free(s, TRUE);
	}
	assert_true(lines > 1000);
	assert_true(ragged * 100 < flush);

	/* A hard line break: the short line is not stretched, and the next
	 * line is not indented again. */
	struct ts_text t;
	ts_text_plain(&f.doc, &t, "第一行\u2028第二行的文字足够长，一定会折到下一行去，"
		      "所以这里还要再写一些内容。", TS_S_BODY, 200, TS_T_JUSTIFY | TS_T_INDENT);
	assert_true(t.nlines >= 3);
	assert_true(ts_text_line_width(&t, 0) < 50);
	assert_true(fabs(t.lines[1].x) < 0.01);
	assert_true(fabs(t.lines[1].x + ts_text_line_width(&t, 1) - 200) < 0.05);
	ts_text_release(&t);
	fixture_close(&f);
}

int main(void)
{
	if (getenv("TEST_TYPESET_RENDER"))
		return render_only(getenv("TEST_TYPESET_RENDER"));

	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metadata),
		cmocka_unit_test(test_fonts_embedded),
		cmocka_unit_test(test_contents_page_numbers),
		cmocka_unit_test(test_line_breaking),
		cmocka_unit_test(test_running_header),
		cmocka_unit_test(test_page_numbers),
		cmocka_unit_test(test_table_header_repeats),
		cmocka_unit_test(test_headings_kept_with_text),
		cmocka_unit_test(test_outline_links_images),
		cmocka_unit_test(test_diagnostics_and_placeholder),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_directives_are_nodes),
		cmocka_unit_test(test_image_origins),
		cmocka_unit_test(test_empty_and_odd_input),
		cmocka_unit_test(test_pagination_rules),
		cmocka_unit_test(test_inline_text),
		cmocka_unit_test(test_image_formats),
		cmocka_unit_test(test_text_rules),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
