/*
 * Unit tests of the booklet's typography (issue 12): table columns, and
 * the PDF read back with poppler and qpdf. The measured blocks are checked
 * directly (white box), as in test_typeset.c.
 */
#include <cairo-pdf.h>
#include <cmark-gfm.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "buf.h"
#include "diag.h"
#include "markdown.h"
#include "typeset.h"
#include "typeset_internal.h"

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
	memset(f, 0, sizeof(*f));
	diag_init(&f->d);
	f->doc.info = &f->info;
	f->doc.d = &f->d;
	f->doc.path = "t";
	f->doc.toc_at = -1;
	f->surface = cairo_pdf_surface_create_for_stream(discard, NULL, TS_PAGE_W, TS_PAGE_H);
	ts_fonts_init(&f->doc, f->surface);
	md_parse(text, strlen(text), "t.md", 1, NULL, NULL, &f->d, &f->root);
	ts_build(&f->doc, f->root);
	ts_paginate(&f->doc);
}

static void fixture_close(struct fixture *f)
{
	ts_doc_release(&f->doc);
	cairo_surface_finish(f->surface);
	cairo_surface_destroy(f->surface);
	if (f->root)
		cmark_node_free(f->root);
	diag_release(&f->d);
}

static struct buf small_png = BUF_INIT;

static int image_hook(void *ctx, const char *url, struct buf *bytes)
{
	(void)ctx;
	if (strcmp(url, "small.png"))
		return -1;
	buf_add(bytes, small_png.ptr, small_png.len);
	return 0;
}

/* A fixture whose first image is printed at `share` of the text width. */
static void fixture_images(struct fixture *f, const char *text, double share,
			   struct ts_origin *o)
{
	static const struct ts_hooks hooks = { image_hook, NULL, NULL, NULL };
	GdkPixbuf *pb = gdk_pixbuf_new(GDK_COLORSPACE_RGB, FALSE, 8, 300, 200);
	gchar *data;
	gsize len;

	gdk_pixbuf_fill(pb, 0x336699ff);
	assert_true(gdk_pixbuf_save_to_buffer(pb, &data, &len, "png", NULL, NULL));
	buf_reset(&small_png);
	buf_add(&small_png, data, len);
	g_free(data);
	g_object_unref(pb);

	memset(f, 0, sizeof(*f));
	diag_init(&f->d);
	f->doc.info = &f->info;
	f->doc.hooks = &hooks;
	f->doc.d = &f->d;
	f->doc.path = "t";
	f->doc.toc_at = -1;
	f->surface = cairo_pdf_surface_create_for_stream(discard, NULL, TS_PAGE_W, TS_PAGE_H);
	ts_fonts_init(&f->doc, f->surface);
	md_parse(text, strlen(text), "t.md", 1, NULL, NULL, &f->d, &f->root);
	*o = (struct ts_origin){ "content/cases/c.md", 8, 8, share };
	cmark_node *img = cmark_node_first_child(cmark_node_first_child(f->root));
	assert_int_equal(cmark_node_get_type(img), CMARK_NODE_IMAGE);
	cmark_node_set_user_data(img, o);
	ts_build(&f->doc, f->root);
	ts_paginate(&f->doc);
}

/* Photos print at TS_PRINT_PPI at most; one spread thinner is named. */
static void test_photo_density(void **state)
{
	struct fixture f;
	struct ts_origin o;
	char *text;

	(void)state;
	fixture_images(&f, "![小图](small.png)\n", 0, &o);
	assert_int_equal(f.doc.blocks.v[0].kind, TS_B_IMAGE);
	assert_float_equal(f.doc.blocks.v[0].media_w, 300 * 72 / TS_PRINT_PPI, 0.01);
	text = test_flush_diag(&f.d);
	assert_string_equal(text, "");
	free(text);
	fixture_close(&f);

	fixture_images(&f, "![小图](small.png)\n", 0.5, &o);
	assert_float_equal(f.doc.blocks.v[0].media_w, TS_TEXT_W / 2, 0.01);
	text = test_flush_diag(&f.d);
	assert_string_equal(text, "content/cases/c.md:8:8: warning: image 'small.png' prints at "
			    "92 ppi (300 pixels across 8.2 cm); use an image of at least "
			    "649 pixels across for print\n");
	free(text);
	fixture_close(&f);
	buf_release(&small_png);
}

static const struct ts_table *first_table(const struct fixture *f)
{
	for (size_t i = 0; i < f->doc.blocks.len; i++)
		if (f->doc.blocks.v[i].kind == TS_B_TABLE)
			return f->doc.blocks.v[i].table;
	fail_msg("no table");
	return NULL;
}

/* Regression: 序/号, 国/培, 不合/格 and 济源示范/区 were set as stacks,
 * because the title column took all the spare width. */
static void test_table_short_cells_unbroken(void **state)
{
	static const char *const regions[] = { "济源示范区", "临泽县", "兴宁区" };
	static const char *const ratings[] = { "不合格", "优秀", "良好" };
	struct buf md = BUF_INIT;
	struct fixture f;
	const struct ts_table *t;

	(void)state;
	buf_puts(&md, "| 序号 | 项目名称 | 级别 | 区县 | 人数 | 学时 | 评级 | 承办学校 | 开始日期 |\n"
		      "|---:|---|---|---|---:|---:|---|---|---|\n");
	for (int r = 0; r < 30; r++)
		buf_printf(&md, "| %d | 2024年国培计划某某县乡村小学语文骨干教师"
			   "信息技术应用能力提升工程2.0整校推进项目第%d期 | 国培 | %s | %d | %d "
			   "| %s | 某某市第一实验小学教育集团东校区 | 2024-0%d-1%d |\n",
			   r + 1, r, regions[r % 3], 1000 + r * 137, 24 + r, ratings[r % 3],
			   1 + r % 9, r % 10);
	fixture_open(&f, md.ptr);
	t = first_table(&f);
	assert_int_equal(t->ncols, 9);
	assert_false(t->squeezed);
	for (int r = 0; r < t->nrows; r++)
		for (int c = 0; c < t->ncols; c++) {
			const struct ts_text *x = &t->cells[(size_t)r * t->ncols + c];
			const char *s = pango_layout_get_text(x->layout);
			int keep = r == 0 || g_utf8_strlen(s, -1) <= 6 || c == 8;
			if (keep && x->nlines != 1)
				fail_msg("row %d column %d '%s' broken in %d lines", r, c, s,
					 x->nlines);
		}
	/* The title column keeps the most room. */
	for (int c = 0; c < t->ncols; c++)
		assert_true(t->colw[1] >= t->colw[c]);
	fixture_close(&f);
	buf_release(&md);
}

/* A column empty in every body row is not printed. */
static void test_table_empty_column_dropped(void **state)
{
	struct fixture f;
	const struct ts_table *t;

	(void)state;
	fixture_open(&f, "| 序号 | 成果名称 | 奖项 | 日期 |\n|---:|---|---|---|\n"
			 "| 1 | 寄宿制初中同伴支持小组 |  | 2024-10-08 |\n"
			 "| 2 | 乡村初中英语整本书阅读 | | 2024-03-18 |\n");
	t = first_table(&f);
	assert_int_equal(t->ncols, 3);
	assert_string_equal(pango_layout_get_text(t->cells[2].layout), "日期");
	assert_string_equal(pango_layout_get_text(t->cells[3 + 2].layout), "2024-10-08");
	fixture_close(&f);
	/* Only a header: nothing is dropped. */
	fixture_open(&f, "| 甲 | 乙 |\n|---|---|\n");
	assert_int_equal(first_table(&f)->ncols, 2);
	fixture_close(&f);
}

/* Advance (pt) of the glyph of the character at byte `at` in line `ln`,
 * or -1 when the line does not hold it. */
static double advance_at(PangoLayoutLine *ln, int at)
{
	for (GSList *r = ln->runs; r; r = r->next) {
		PangoGlyphItem *gi = r->data;
		for (int g = 0; g < gi->glyphs->num_glyphs; g++)
			if (gi->item->offset + gi->glyphs->log_clusters[g] == at)
				return (double)gi->glyphs->glyphs[g].geometry.width / PANGO_SCALE;
	}
	return -1;
}

static int is_mark(gunichar c, const char *set)
{
	char u[8] = "";
	u[g_unichar_to_utf8(c, u)] = 0;
	return strstr(set, u) != NULL;
}

/* Regression: "），", "》（" and "）：" were each set at full width (624
 * times in the large booklet). clreq §3.1.6: one of the two marks is set
 * at half width; an opening bracket that starts a line too. */
static void test_punctuation_compressed(void **state)
{
	static const char opening[] = "（《「『【“", closing[] = "）》」』】”、，。：；！？";
	static const char *const bits[] = {
		"教师", "培训", "（省级），", "《书》（注）", "工作室）：", "。「", "，“",
		"（", "）", "《", "》", "，", "。", "成果", "研修", "乡村",
	};
	struct buf md = BUF_INIT;
	struct fixture f;
	unsigned seed = 7;
	int pairs = 0, starts = 0;

	(void)state;
	for (int k = 0; k < 600; k++) {
		seed = seed * 1103515245u + 12345u;
		buf_puts(&md, bits[(seed >> 16) % (sizeof(bits) / sizeof(bits[0]))]);
		if (k % 150 == 149)
			buf_puts(&md, "\n\n");
	}
	fixture_open(&f, md.ptr);
	for (size_t b = 0; b < f.doc.blocks.len; b++) {
		const struct ts_text *t = &f.doc.blocks.v[b].text;
		const char *text = t->layout ? pango_layout_get_text(t->layout) : "";
		double em = f.doc.fonts[t->style].size;
		for (int i = 0; i < t->nlines; i++) {
			PangoLayoutLine *ln = t->lines[i].line;
			const char *p = text + ln->start_index, *end = p + ln->length, *q;
			double ideo = 0; /* an ideograph's advance: em plus justification */
			for (q = p; q < end; q = g_utf8_next_char(q))
				if (g_unichar_type(g_utf8_get_char(q)) == G_UNICODE_OTHER_LETTER)
					ideo = fmax(ideo, advance_at(ln, (int)(q - text)));
			if (ideo == 0)
				continue;
			if (i > 0 && is_mark(g_utf8_get_char(p), opening)) {
				assert_true(advance_at(ln, ln->start_index) <= ideo - 0.45 * em);
				starts++;
			}
			for (; p < end && (q = g_utf8_next_char(p)) < end; p = q) {
				gunichar a = g_utf8_get_char(p), c = g_utf8_get_char(q);
				int ca = is_mark(a, closing), oa = is_mark(a, opening);
				if (!(ca && is_mark(c, closing)) && !((ca || oa) && is_mark(c, opening)))
					continue;
				/* Justified, two full marks are 2 * ideo; one halved is
				 * half an em less. */
				double w = advance_at(ln, (int)(p - text)) + advance_at(ln, (int)(q - text));
				if (w > 2 * ideo - 0.45 * em)
					fail_msg("'%.*s' is %.1f pt wide at %.1f pt", (int)(g_utf8_next_char(q) - p),
						 p, w, em);
				pairs++;
			}
		}
	}
	assert_true(pairs > 100);
	assert_true(starts > 0);
	fixture_close(&f);
	buf_release(&md);
}

/* Regression: 26 paragraphs ended in a line of one character and a mark
 * (孤字). Every length of paragraph, so that some would. */
static void test_no_lone_last_character(void **state)
{
	struct buf md = BUF_INIT;
	struct fixture f;
	int paragraphs = 0;

	(void)state;
	for (int n = 30; n < 160; n++) {
		for (int k = 0; k < n; k++)
			buf_puts(&md, k % 17 == 16 ? "，" : "研");
		buf_puts(&md, "。\n\n");
	}
	fixture_open(&f, md.ptr);
	for (size_t b = 0; b < f.doc.blocks.len; b++) {
		const struct ts_text *t = &f.doc.blocks.v[b].text;
		const char *text = pango_layout_get_text(t->layout);
		PangoLayoutLine *last = t->lines[t->nlines - 1].line;
		if (t->nlines < 2)
			continue;
		paragraphs++;
		if (g_utf8_strlen(text + last->start_index, last->length) <= 2)
			fail_msg("paragraph %zu ends in '%.*s'", b, last->length,
				 text + last->start_index);
	}
	assert_true(paragraphs > 100);
	fixture_close(&f);
	buf_release(&md);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_short_cells_unbroken),
		cmocka_unit_test(test_table_empty_column_dropped),
		cmocka_unit_test(test_photo_density),
		cmocka_unit_test(test_punctuation_compressed),
		cmocka_unit_test(test_no_lone_last_character),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
