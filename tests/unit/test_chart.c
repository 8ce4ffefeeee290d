/*
 * Tests for chart: nice axes, percentages, bar geometry, pie slices,
 * accessibility text, escaping, determinism, the HTML table, and that every
 * chart is well-formed XML that librsvg (the booklet's renderer) parses and
 * draws, with the expected colours where the bars and slices should be.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "buf.h"
#include "chart.h"
#include "numfmt.h"
#include "typeset.h"

#include <cairo.h>
#include <librsvg/rsvg.h>
#include <pango/pangocairo.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BAR_FILL "fill=\"#1f5fa8\""

/* ---- helpers ---------------------------------------------------------------- */

static int is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == ':' || c == '_';
}

/* Length of a valid entity reference at p ("&amp;" ...), or 0. */
static size_t entity_len(const char *p)
{
	static const char *const named[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&apos;" };
	const char *q;

	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (!strncmp(p, named[i], strlen(named[i])))
			return strlen(named[i]);
	if (strncmp(p, "&#", 2))
		return 0;
	q = p + 2;
	while (*q >= '0' && *q <= '9')
		q++;
	return q > p + 2 && *q == ';' ? (size_t)(q - p + 1) : 0;
}

/*
 * A strict little XML checker: one root element, balanced and matching
 * tags, quoted attributes, no raw '<', '>' or '&' in text or attribute
 * values. Fails the test with the offset of the first problem.
 */
static void assert_wellformed(const char *doc)
{
	const char *stack[32];
	size_t stack_len[32];
	int depth = 0, roots = 0;
	const char *p = doc;

	if (!strncmp(p, "<?xml ", 6)) {
		p = strstr(p, "?>");
		assert_non_null(p);
		p += 2;
	}
	while (*p) {
		if (*p == '<' && p[1] == '/') {
			const char *name = p + 2, *e = name;
			while (is_name_char(*e))
				e++;
			if (!depth || (size_t)(e - name) != stack_len[depth - 1] ||
			    strncmp(name, stack[depth - 1], (size_t)(e - name)) || *e != '>')
				fail_msg("mismatched end tag at offset %td", p - doc);
			depth--;
			p = e + 1;
		} else if (*p == '<') {
			const char *name = ++p;
			while (is_name_char(*p))
				p++;
			if (p == name)
				fail_msg("bad tag at offset %td", p - doc);
			if (!depth)
				roots++;
			for (;;) {
				while (*p == ' ' || *p == '\n')
					p++;
				if (!strncmp(p, "/>", 2)) {
					p += 2;
					break;
				}
				if (*p == '>') {
					assert_true(depth < 32);
					stack[depth] = name;
					stack_len[depth++] = 0;
					while (is_name_char(name[stack_len[depth - 1]]))
						stack_len[depth - 1]++;
					p++;
					break;
				}
				if (!is_name_char(*p))
					fail_msg("bad attribute at offset %td", p - doc);
				while (is_name_char(*p))
					p++;
				if (p[0] != '=' || p[1] != '"')
					fail_msg("unquoted attribute at offset %td", p - doc);
				for (p += 2; *p != '"'; p++) {
					if (!*p || *p == '<' || *p == '>' ||
					    (*p == '&' && !entity_len(p)))
						fail_msg("bad attribute value at offset %td", p - doc);
				}
				p++;
			}
		} else {
			if (*p == '>' || (*p == '&' && !entity_len(p)))
				fail_msg("unescaped '%c' at offset %td", *p, p - doc);
			if (!depth && *p != '\n' && *p != ' ')
				fail_msg("text outside the root at offset %td", p - doc);
			p++;
		}
	}
	assert_int_equal(depth, 0);
	assert_int_equal(roots, 1);
}

/* Parse and draw `svg` with librsvg onto a white image surface of its
 * intrinsic size; returns the surface (caller destroys). */
static cairo_surface_t *render(const char *svg, size_t len)
{
	GError *err = NULL;
	RsvgHandle *h = rsvg_handle_new_from_data((const guint8 *)svg, len, &err);
	double w = 0, hh = 0;
	cairo_surface_t *surf;
	cairo_t *cr;

	if (!h)
		fail_msg("librsvg rejected the chart: %s", err ? err->message : "?");
	assert_true(rsvg_handle_get_intrinsic_size_in_pixels(h, &w, &hh));
	assert_true(w >= CHART_MIN_SIZE && hh >= CHART_MIN_SIZE);
	surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)ceil(w), (int)ceil(hh));
	cr = cairo_create(surf);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	RsvgRectangle vp = { 0, 0, w, hh };
	if (!rsvg_handle_render_document(h, cr, &vp, &err))
		fail_msg("librsvg could not draw the chart: %s", err ? err->message : "?");
	assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
	cairo_destroy(cr);
	g_object_unref(h);
	cairo_surface_flush(surf);
	return surf;
}

static uint32_t pixel(cairo_surface_t *s, double x, double y)
{
	unsigned char *data = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	uint32_t px = *(uint32_t *)(data + (int)y * stride + 4 * (int)x);
	return px & 0xffffff;
}

/* Every way of asking for a chart of spec must give well-formed output
 * that librsvg draws. */
static void check_all_outputs(const struct chart_spec *spec)
{
	struct buf b = BUF_INIT;

	assert_int_equal(chart_svg(spec, &b), 0);
	assert_true(!strncmp(b.ptr, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 44));
	assert_null(strstr(b.ptr, "nan"));
	assert_null(strstr(b.ptr, "inf"));
	assert_wellformed(b.ptr);
	cairo_surface_destroy(render(b.ptr, b.len));
	buf_reset(&b);

	assert_int_equal(chart_svg_inline(spec, &b), 0);
	assert_true(!strncmp(b.ptr, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39));
	assert_wellformed(b.ptr);
	cairo_surface_destroy(render(b.ptr, b.len));
	buf_reset(&b);

	assert_int_equal(chart_table_html(spec, &b), 0);
	assert_wellformed(b.ptr);
	buf_release(&b);
}

struct rect {
	double x, y, w, h;
};

/* The bars of a bar chart, in order. */
static size_t find_bars(const char *svg, struct rect *r, size_t max)
{
	size_t n = 0;
	const char *p = svg;

	while ((p = strstr(p, "<rect ")) && n < max) {
		const char *end = strchr(p, '>');
		char tag[512];
		snprintf(tag, sizeof(tag), "%.*s", (int)(end - p), p);
		if (strstr(tag, BAR_FILL)) {
			assert_int_equal(sscanf(tag, "<rect x=\"%lf\" y=\"%lf\" width=\"%lf\" height=\"%lf\"",
						&r[n].x, &r[n].y, &r[n].w, &r[n].h), 4);
			n++;
		}
		p = end;
	}
	return n;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static const struct chart_item levels[] = {
	{ "国培", 3 }, { "省培", 2 }, { "市培", 4 },
};

/* ---- axis and percentages ---------------------------------------------------- */

static void test_nice_axis(void **state)
{
	struct chart_axis ax;
	static const struct { long long max; int count; double step; } cases[] = {
		{ 87, 5, 20 }, { 100, 5, 20 }, { 101, 3, 50 }, { 12, 3, 5 },
		{ 10, 5, 2 }, { 5, 5, 1 }, { 3, 3, 1 }, { 2, 3, 1 }, { 1, 3, 1 },
		{ 0, 3, 1 }, { 123456, 3, 50000 }, { 999, 5, 200 },
		{ 1000000, 5, 200000 },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		chart_nice_axis(cases[i].max, &ax);
		if (ax.count != cases[i].count || ax.step != cases[i].step)
			fail_msg("max %lld: got %d x %g, want %d x %g", cases[i].max,
				 ax.count, ax.step, cases[i].count, cases[i].step);
		assert_true(ax.top == ax.count * ax.step);
	}

	/* The properties, over a spread of magnitudes up to LLONG_MAX. */
	for (long long m = 3; m > 0 && m < LLONG_MAX / 3; m = m * 3 + 1) {
		long long probes[3] = { m, m + 1, m * 2 - 1 };
		for (int k = 0; k < 3; k++) {
			chart_nice_axis(probes[k], &ax);
			assert_in_range(ax.count, 3, 5);
			assert_true(ax.mant == 1 || ax.mant == 2 || ax.mant == 5);
			assert_true(ax.top >= (double)probes[k]);
			/* No empty interval at the top. */
			assert_true((ax.count - 1) * ax.step < (double)probes[k]);
		}
	}
	chart_nice_axis(LLONG_MAX, &ax);
	assert_true(ax.top >= (double)LLONG_MAX);
	assert_in_range(ax.count, 3, 5);
}

static void test_axis_labels_in_svg(void **state)
{
	struct chart_item items[] = { { "甲", 87 }, { "乙", 40 } };
	struct chart_spec spec = { CHART_BAR, "t", NULL, items, 2, 0, 0, NULL };
	struct buf b = BUF_INIT;
	const char *want[] = { ">0</text>", ">20</text>", ">40</text>",
			       ">60</text>", ">80</text>", ">100</text>" };
	(void)state;

	assert_int_equal(chart_svg(&spec, &b), 0);
	for (size_t i = 0; i < 6; i++)
		assert_non_null(strstr(b.ptr, want[i]));
	assert_null(strstr(b.ptr, ">120</text>"));

	/* Large values: ticks in 万 and grouped digits for the values. */
	items[0].value = 123456;
	items[1].value = 87000;
	buf_reset(&b);
	assert_int_equal(chart_svg(&spec, &b), 0);
	assert_non_null(strstr(b.ptr, ">5万</text>"));   /* 5万 */
	assert_non_null(strstr(b.ptr, ">15万</text>"));  /* 15万 */
	assert_non_null(strstr(b.ptr, ">123,456</text>"));
	buf_release(&b);
}

static void test_percentages(void **state)
{
	long long v1[] = { 3, 2, 4 }, v2[] = { 1, 1, 1 }, v3[] = { 0, 5, 0 };
	long long v4[] = { LLONG_MAX, LLONG_MAX, 1 }, zeros[] = { 0, 0 }, neg[] = { 1, -1 };
	int p[8];
	(void)state;

	assert_int_equal(chart_percentages(v1, 3, p), 0);
	assert_int_equal(p[0], 33);
	assert_int_equal(p[1], 22);
	assert_int_equal(p[2], 45);
	assert_int_equal(chart_percentages(v2, 3, p), 0);
	assert_int_equal(p[0], 34); /* ties go to the earlier item */
	assert_int_equal(p[1], 33);
	assert_int_equal(p[2], 33);
	assert_int_equal(chart_percentages(v3, 3, p), 0);
	assert_int_equal(p[1], 100);
	assert_int_equal(p[0] + p[2], 0);
	assert_int_equal(chart_percentages(v4, 3, p), 0);
	assert_int_equal(p[0] + p[1] + p[2], 100);
	assert_int_equal(p[0], 50);
	assert_int_equal(chart_percentages(zeros, 2, p), -1);
	assert_int_equal(chart_percentages(neg, 2, p), -1);

	/* Any mix sums to exactly 100. */
	srand(7);
	for (int round = 0; round < 2000; round++) {
		long long v[8];
		size_t n = 1 + (size_t)(rand() % 8);
		int sum = 0;
		for (size_t i = 0; i < n; i++)
			v[i] = rand() % (round % 2 ? 7 : 100000);
		v[0]++;
		assert_int_equal(chart_percentages(v, n, p), 0);
		for (size_t i = 0; i < n; i++) {
			double exact = 100.0 * (double)v[i];
			long long total = 0;
			for (size_t j = 0; j < n; j++)
				total += v[j];
			exact /= (double)total;
			/* Largest remainder moves a share by less than one point. */
			assert_true(fabs(p[i] - exact) < 1.0);
			sum += p[i];
		}
		assert_int_equal(sum, 100);
	}
}

/* ---- bar charts ------------------------------------------------------------- */

static void test_bar_heights_proportional(void **state)
{
	struct chart_item items[] = { { "甲", 10 }, { "乙", 25 }, { "丙", 0 }, { "丁", 87 } };
	struct chart_spec spec = { CHART_BAR, "比例", "人", items, 4, 0, 0, NULL };
	struct buf b = BUF_INIT;
	struct rect r[8];
	(void)state;

	assert_int_equal(chart_svg(&spec, &b), 0);
	assert_int_equal(find_bars(b.ptr, r, 8), 4);
	for (size_t i = 0; i < 4; i++) {
		/* Same baseline, height value/top of the plot (top = 100). */
		assert_true(fabs((r[i].y + r[i].h) - (r[0].y + r[0].h)) < 0.02);
		assert_true(fabs(r[i].h * 87 - r[3].h * (double)items[i].value) < 87 * 0.02);
		if (i)
			assert_true(r[i].x > r[i - 1].x);
	}
	assert_true(r[3].h > 0 && r[2].h == 0);
	assert_non_null(strstr(b.ptr, ">87人</text>")); /* 87人 */
	buf_release(&b);
}

static void test_hbar_lengths_proportional(void **state)
{
	struct chart_item items[] = { { "城关镇中心学校", 1234 }, { "东城区", 5678 }, { "南山区", 87 } };
	struct chart_spec spec = { CHART_HBAR, "参训人次（按区县）", "人次", items, 3, 0, 0, NULL };
	struct buf b = BUF_INIT;
	struct rect r[4];
	(void)state;

	assert_int_equal(chart_svg(&spec, &b), 0);
	assert_int_equal(find_bars(b.ptr, r, 4), 3);
	for (size_t i = 0; i < 3; i++) {
		assert_true(r[i].x == r[0].x);
		assert_true(fabs(r[i].w * 5678 - r[1].w * (double)items[i].value) < 5678 * 0.02);
		if (i)
			assert_true(r[i].y > r[i - 1].y);
	}
	/* Four digits plain, five and more grouped (numfmt.h). */
	assert_non_null(strstr(b.ptr, ">5678人次</text>"));
	buf_release(&b);
}

static void test_number_style(void **state)
{
	static const struct { long long n; const char *s; } cases[] = {
		{ 0, "0" }, { 987, "987" }, { 2024, "2024" }, { 9999, "9999" },
		{ 10000, "10,000" }, { 45821, "45,821" }, { 1234567, "1,234,567" },
		{ -12345, "-12,345" },
	};
	struct buf b = BUF_INIT;
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		numfmt_count(&b, cases[i].n);
		assert_string_equal(b.ptr, cases[i].s);
	}
	buf_release(&b);
}

static void test_bar_switches_to_horizontal(void **state)
{
	struct chart_item many[14];
	char labels[14][16];
	struct chart_item longl[] = {
		{ "城关镇中心学校教师发展中心", 5 }, { "东城区", 3 }, { "西城区", 1 },
		{ "南山区", 2 }, { "北湖区", 4 },
	};
	struct chart_item two[] = {
		{ "城关镇中心学校教研", 5 }, { "东城区", 3 }, { "西城区", 1 },
		{ "南山区", 2 }, { "北湖区", 4 },
	};
	struct chart_spec spec = { CHART_BAR, "t", "人", many, 14, 0, 0, NULL };
	struct buf b = BUF_INIT;
	struct rect r[16];
	(void)state;

	for (int i = 0; i < 14; i++) {
		snprintf(labels[i], sizeof(labels[i]), "区%d", i);
		many[i].label = labels[i];
		many[i].value = i + 1;
	}
	/* Too many columns: horizontal bars share their left edge. */
	assert_int_equal(chart_svg(&spec, &b), 0);
	assert_int_equal(find_bars(b.ptr, r, 16), 14);
	assert_true(r[0].x == r[13].x && r[13].y > r[0].y);
	/* Rows never thinner than 22: the chart grew. */
	assert_non_null(strstr(b.ptr, "height=\"378\""));
	check_all_outputs(&spec);

	/* A label that needs three lines under its bar. */
	spec.items = longl;
	spec.nitems = 5;
	buf_reset(&b);
	assert_int_equal(chart_svg(&spec, &b), 0);
	assert_int_equal(find_bars(b.ptr, r, 16), 5);
	assert_true(r[0].x == r[4].x);
	assert_non_null(strstr(b.ptr, ">城关镇中心学校教师发展中心</text>"));

	/* Two lines still fit: vertical bars, the label split in two texts. */
	spec.items = two;
	buf_reset(&b);
	assert_int_equal(chart_svg(&spec, &b), 0);
	assert_int_equal(find_bars(b.ptr, r, 16), 5);
	assert_true(r[4].x > r[0].x && r[0].w == r[4].w);
	assert_non_null(strstr(b.ptr, ">城关镇中心学<"));
	assert_non_null(strstr(b.ptr, ">校教研<"));
	assert_non_null(strstr(b.ptr, "<title>城关镇中心学校教研：5人</title>"));
	check_all_outputs(&spec);
	buf_release(&b);
}

/* ---- pie charts ------------------------------------------------------------- */

static int legend_percent_sum(const char *svg, int *rows)
{
	int sum = 0;
	*rows = 0;
	for (const char *p = svg; (p = strstr(p, "%</text>")); p++) {
		const char *q = p;
		while (q[-1] >= '0' && q[-1] <= '9')
			q--;
		sum += atoi(q);
		(*rows)++;
	}
	return sum;
}

static void test_pie(void **state)
{
	struct chart_item items[] = { { "国培", 3 }, { "省培", 0 }, { "市培", 4 }, { "县培", 2 } };
	struct chart_spec spec = { CHART_PIE, "培训项目（按级别）", "个", items, 4, 0, 0, NULL };
	struct buf b = BUF_INIT;
	int rows;
	(void)state;

	assert_int_equal(chart_svg(&spec, &b), 0);
	/* The zero slice is neither drawn nor in the legend. */
	assert_int_equal(count(b.ptr, "<path "), 3);
	assert_null(strstr(b.ptr, "<title>省培"));
	assert_int_equal(legend_percent_sum(b.ptr, &rows), 100);
	assert_int_equal(rows, 3);
	assert_non_null(strstr(b.ptr, "<title>国培：3个（33%）</title>"));
	check_all_outputs(&spec);

	/* One non-zero item: a full circle, since a 360° arc draws nothing. */
	items[0].value = items[2].value = items[3].value = 0;
	items[1].value = 9;
	buf_reset(&b);
	assert_int_equal(chart_svg(&spec, &b), 0);
	assert_int_equal(count(b.ptr, "<path "), 0);
	assert_int_equal(count(b.ptr, "<circle "), 1);
	assert_non_null(strstr(b.ptr, ">100%</text>"));
	check_all_outputs(&spec);
	buf_release(&b);
}

/* An English site's charts: the words and punctuation the chart writes
 * itself are English, the rest is the caller's. */
static int has_non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

static void test_english_words(void **state)
{
	struct chart_item items[] = { { "National", 3 }, { "Province", 0 },
				      { "City", 4 }, { "County", 2 } };
	struct chart_spec spec = { CHART_PIE, "Projects by level", "projects",
				   items, 4, 0, 0, "en" };
	struct buf b = BUF_INIT;
	(void)state;

	assert_int_equal(chart_svg(&spec, &b), 0);
	assert_non_null(strstr(b.ptr, "<title>National: 3 projects (33%)</title>"));
	assert_false(has_non_ascii(b.ptr));
	buf_reset(&b);
	assert_int_equal(chart_table_html(&spec, &b), 0);
	assert_non_null(strstr(b.ptr, ">Category</th>"));
	assert_non_null(strstr(b.ptr, ">Count (projects)</th>"));
	assert_non_null(strstr(b.ptr, ">Share</th>"));
	assert_non_null(strstr(b.ptr, ">Total</th>"));
	assert_false(has_non_ascii(b.ptr));
	spec.kind = CHART_BAR;
	spec.nitems = 0;
	buf_reset(&b);
	assert_int_equal(chart_svg(&spec, &b), 0);
	assert_non_null(strstr(b.ptr, "No data"));
	assert_false(has_non_ascii(b.ptr));
	buf_release(&b);
}

static void test_pie_merges_small_slices(void **state)
{
	struct chart_item items[12];
	char labels[12][16];
	struct chart_spec spec = { CHART_PIE, "t", NULL, items, 12, 0, 0, NULL };
	struct buf b = BUF_INIT;
	int rows;
	(void)state;

	for (int i = 0; i < 12; i++) {
		snprintf(labels[i], sizeof(labels[i]), "L%02d", i);
		items[i].label = labels[i];
		items[i].value = i == 5 ? 1000 : 10 + i;
	}
	assert_int_equal(chart_svg(&spec, &b), 0);
	assert_int_equal(count(b.ptr, "<path "), CHART_PIE_MAX_SLICES);
	assert_int_equal(legend_percent_sum(b.ptr, &rows), 100);
	assert_int_equal(rows, CHART_PIE_MAX_SLICES);
	/* Largest seven kept (L05, L06..L11), the five smallest merged. */
	assert_non_null(strstr(b.ptr, ">L05</text>"));
	assert_non_null(strstr(b.ptr, ">L11</text>"));
	assert_null(strstr(b.ptr, ">L04</text>"));
	assert_non_null(strstr(b.ptr, "<title>其他：" "60"));
	/* The aria-label still lists every item. */
	assert_non_null(strstr(b.ptr, "L00 10"));
	check_all_outputs(&spec);
	buf_release(&b);
}

/* ---- text, accessibility, determinism ------------------------------------------ */

static void test_accessibility(void **state)
{
	struct chart_spec spec = { CHART_BAR, "培训项目（按级别）", "个", levels, 3, 0, 0, NULL };
	struct buf b = BUF_INIT;
	(void)state;

	assert_int_equal(chart_svg_inline(&spec, &b), 0);
	assert_non_null(strstr(b.ptr, " role=\"img\""));
	assert_non_null(strstr(b.ptr, " aria-label=\"培训项目（按级别）：国培 3个，省培 2个，市培 4个\""));
	assert_non_null(strstr(b.ptr, "<title>培训项目（按级别）</title>"));
	assert_non_null(strstr(b.ptr, " width=\"480\" height=\"300\" viewBox=\"0 0 480 300\""));
	assert_non_null(strstr(b.ptr, "font-family=\"Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif\""));
	assert_null(strstr(b.ptr, "<?xml"));
	assert_null(strstr(b.ptr, "class="));
	assert_null(strstr(b.ptr, "id="));
	assert_null(strstr(b.ptr, "href"));
	assert_null(strstr(b.ptr, "<script"));
	assert_null(strstr(b.ptr, "<style"));

	spec.kind = CHART_PIE;
	buf_reset(&b);
	assert_int_equal(chart_svg_inline(&spec, &b), 0);
	assert_non_null(strstr(b.ptr, "aria-label=\"培训项目（按级别）：国培 3个（33%），省培 2个（22%），市培 4个（45%）\""));
	buf_release(&b);
}

static void test_escaping(void **state)
{
	struct chart_item items[] = {
		{ "A&B <\"x'>", 3 }, { "</text><script>alert(1)</script>", 5 },
		{ "bad\xff\xfe utf8 \xe4\xb8", 1 }, { "ctl\x01\x1f\ttab", 2 },
	};
	struct chart_spec spec = { CHART_BAR, "<b>&amp;\"'</b>", "<u>", items, 4, 0, 0, NULL };
	struct buf b = BUF_INIT;
	(void)state;

	for (int kind = CHART_BAR; kind <= CHART_PIE; kind++) {
		spec.kind = (enum chart_kind)kind;
		buf_reset(&b);
		assert_int_equal(chart_svg(&spec, &b), 0);
		assert_non_null(strstr(b.ptr, "A&amp;B &lt;&quot;x&#39;&gt;"));
		assert_non_null(strstr(b.ptr, "&lt;b&gt;&amp;amp;&quot;&#39;&lt;/b&gt;"));
		assert_non_null(strstr(b.ptr, "&lt;u&gt;"));
		assert_null(strstr(b.ptr, "<script"));
		assert_null(strstr(b.ptr, "\x01"));
		assert_null(strstr(b.ptr, "\xff"));
		assert_non_null(strstr(b.ptr, "bad\uFFFD\uFFFD utf8 \uFFFD"));
		assert_non_null(strstr(b.ptr, "ctl tab"));
		check_all_outputs(&spec);
	}
	buf_reset(&b);
	assert_int_equal(chart_table_html(&spec, &b), 0);
	assert_non_null(strstr(b.ptr, "<th scope=\"row\">A&amp;B &lt;&quot;x&#39;&gt;</th>"));
	buf_release(&b);
}

static void test_deterministic(void **state)
{
	struct chart_item items[] = { { "国培", 3 }, { "省培", 2 }, { "市培", 4 }, { "其它", 1 } };
	struct chart_spec spec = { CHART_BAR, "t", "个", items, 4, 333.3, 222.2, NULL };
	static const char *const locales[] = { "de_DE.UTF-8", "fr_FR.UTF-8", "ru_RU.UTF-8" };
	(void)state;

	for (int kind = CHART_BAR; kind <= CHART_PIE; kind++) {
		struct buf a = BUF_INIT, b = BUF_INIT;
		spec.kind = (enum chart_kind)kind;
		assert_int_equal(chart_svg(&spec, &a), 0);
		assert_int_equal(chart_svg(&spec, &b), 0);
		assert_string_equal(a.ptr, b.ptr);
		/* Numbers never take a decimal comma; and when a locale with one
		 * is installed, the output does not change under it. */
		assert_non_null(strstr(a.ptr, "width=\"333.3\" height=\"222.2\""));
		for (size_t i = 0; i < sizeof(locales) / sizeof(locales[0]); i++) {
			if (!setlocale(LC_NUMERIC, locales[i]))
				continue;
			buf_reset(&b);
			assert_int_equal(chart_svg(&spec, &b), 0);
			setlocale(LC_NUMERIC, "C");
			assert_string_equal(a.ptr, b.ptr);
		}
		buf_release(&a);
		buf_release(&b);
	}
}

/* ---- edge cases and invalid input ------------------------------------------------ */

static void test_edge_cases(void **state)
{
	struct chart_item zeros[] = { { "国家级", 0 }, { "省级", 0 } };
	struct chart_item one[] = { { "国家级", 1 } };
	struct chart_item big[] = { { "甲", LLONG_MAX }, { "乙", 4000000000000000000LL } };
	struct chart_item empty_label[] = { { "", 2 }, { " ", 3 } };
	struct chart_item longl[] = {
		{ "一个非常非常非常非常非常非常非常非常非常非常非常长的区县名称", 12 },
		{ "Teacher Development Center of the County Education Bureau", 7 },
	};
	const struct { const struct chart_item *items; size_t n; } sets[] = {
		{ NULL, 0 }, { zeros, 2 }, { one, 1 }, { big, 2 },
		{ empty_label, 2 }, { longl, 2 }, { levels, 3 },
	};
	struct buf b = BUF_INIT;
	(void)state;

	for (size_t s = 0; s < sizeof(sets) / sizeof(sets[0]); s++) {
		for (int kind = CHART_BAR; kind <= CHART_PIE; kind++) {
			for (int variant = 0; variant < 3; variant++) {
				struct chart_spec spec = {
					(enum chart_kind)kind, variant == 1 ? NULL : "成果（按级别）",
					variant == 2 ? NULL : "项", sets[s].items, sets[s].n,
					variant == 2 ? CHART_MIN_SIZE : 0,
					variant == 2 ? CHART_MIN_SIZE : 0,
					NULL,
				};
				check_all_outputs(&spec);
			}
		}
	}

	/* No items, or nothing but zeros in a pie: the title and 无数据. */
	struct chart_spec spec = { CHART_BAR, "成果（按级别）", "项", NULL, 0, 0, 0, NULL };
	assert_int_equal(chart_svg(&spec, &b), 0);
	assert_non_null(strstr(b.ptr, ">成果（按级别）</text>"));
	assert_non_null(strstr(b.ptr, ">无数据</text>"));
	assert_non_null(strstr(b.ptr, "aria-label=\"成果（按级别）：无数据\""));
	spec.kind = CHART_PIE;
	spec.items = zeros;
	spec.nitems = 2;
	buf_reset(&b);
	assert_int_equal(chart_svg(&spec, &b), 0);
	assert_non_null(strstr(b.ptr, ">无数据</text>"));
	assert_int_equal(count(b.ptr, "<path "), 0);

	/* All zeros as bars: flat bars on a 0..3 axis. */
	spec.kind = CHART_BAR;
	buf_reset(&b);
	assert_int_equal(chart_svg(&spec, &b), 0);
	assert_non_null(strstr(b.ptr, ">3</text>"));
	assert_int_equal(count(b.ptr, "height=\"0\""), 2);

	/* A long title is shortened on the chart, whole in <title>. */
	spec.title = "二〇二四年度全县中小学幼儿园教师培训项目参训人次统计（按学段、按区县、按培训级别）";
	buf_reset(&b);
	assert_int_equal(chart_svg(&spec, &b), 0);
	assert_non_null(strstr(b.ptr, "<title>二〇二四年度"));
	assert_non_null(strstr(b.ptr, "…</text>"));
	buf_release(&b);
}

static void test_invalid(void **state)
{
	struct chart_item neg[] = { { "a", 1 }, { "b", -1 } };
	struct chart_item nolabel[] = { { NULL, 1 } };
	struct chart_spec bad[] = {
		{ CHART_BAR, "t", NULL, neg, 2, 0, 0, NULL },
		{ CHART_PIE, "t", NULL, neg, 2, 0, 0, NULL },
		{ CHART_BAR, "t", NULL, nolabel, 1, 0, 0, NULL },
		{ CHART_BAR, "t", NULL, NULL, 3, 0, 0, NULL },
		{ CHART_BAR, "t", NULL, levels, CHART_MAX_ITEMS + 1, 0, 0, NULL },
		{ CHART_BAR, "t", NULL, levels, 3, -480, 0, NULL },
		{ CHART_BAR, "t", NULL, levels, 3, 480, CHART_MAX_SIZE + 1, NULL },
		{ CHART_BAR, "t", NULL, levels, 3, NAN, 300, NULL },
		{ CHART_BAR, "t", NULL, levels, 3, 100, 300, NULL },
		{ (enum chart_kind)7, "t", NULL, levels, 3, 0, 0, NULL },
	};
	struct buf b = BUF_INIT;
	(void)state;

	buf_puts(&b, "before");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(chart_svg(&bad[i], &b), -1);
		assert_int_equal(chart_svg_inline(&bad[i], &b), -1);
		assert_int_equal(chart_table_html(&bad[i], &b), -1);
		assert_string_equal(b.ptr, "before");
	}
	buf_release(&b);
}

static void test_table_html(void **state)
{
	struct chart_spec spec = { CHART_PIE, "培训项目（按级别）", "个", levels, 3, 0, 0, NULL };
	struct buf b = BUF_INIT;
	(void)state;

	assert_int_equal(chart_table_html(&spec, &b), 0);
	assert_string_equal(b.ptr,
		"<table class=\"chart-table\">\n"
		"<caption>培训项目（按级别）</caption>\n"
		"<thead><tr><th scope=\"col\">类别</th><th scope=\"col\">数量（个）</th>"
		"<th scope=\"col\">占比</th></tr></thead>\n"
		"<tbody>\n"
		"<tr><th scope=\"row\">国培</th><td>3</td><td>33%</td></tr>\n"
		"<tr><th scope=\"row\">省培</th><td>2</td><td>22%</td></tr>\n"
		"<tr><th scope=\"row\">市培</th><td>4</td><td>45%</td></tr>\n"
		"</tbody>\n"
		"<tfoot><tr><th scope=\"row\">合计</th><td>9</td><td>100%</td></tr></tfoot>\n"
		"</table>\n");

	spec.kind = CHART_BAR;
	spec.unit = NULL;
	spec.nitems = 0;
	buf_reset(&b);
	assert_int_equal(chart_table_html(&spec, &b), 0);
	assert_string_equal(b.ptr,
		"<table class=\"chart-table\">\n"
		"<caption>培训项目（按级别）</caption>\n"
		"<thead><tr><th scope=\"col\">类别</th><th scope=\"col\">数量</th></tr></thead>\n"
		"<tbody>\n"
		"<tr><td colspan=\"2\">无数据</td></tr>\n"
		"</tbody>\n"
		"</table>\n");
	buf_release(&b);
}

/* ---- pixels ------------------------------------------------------------------- */

static void test_render_png(void **state)
{
	struct chart_spec spec = { CHART_BAR, "培训项目（按级别）", "个", levels, 3, 0, 0, NULL };
	struct buf b = BUF_INIT;
	struct rect r[3];
	cairo_surface_t *s;
	double cx, cy, rad, a1;
	(void)state;

	assert_int_equal(chart_svg(&spec, &b), 0);
	assert_int_equal(find_bars(b.ptr, r, 3), 3);
	s = render(b.ptr, b.len);
	assert_int_equal(cairo_image_surface_get_width(s), 480);
	assert_int_equal(cairo_image_surface_get_height(s), 300);
	for (int i = 0; i < 3; i++)
		assert_int_equal(pixel(s, r[i].x + r[i].w / 2, r[i].y + r[i].h / 2), 0x1f5fa8);
	/* Between bars and above the tallest bar: background or gridline. */
	assert_true(pixel(s, (r[0].x + r[0].w + r[1].x) / 2, r[2].y + 2) >= 0xe0e0e0);
	assert_int_equal(pixel(s, 2, 2), 0xffffff);
	/* The title is drawn: some dark pixels in its band. */
	{
		int dark = 0;
		for (int x = 160; x < 320; x++)
			for (int y = 10; y < 32; y++)
				dark += (pixel(s, x, y) & 0xff) < 0x80;
		assert_true(dark > 50);
	}
	assert_int_equal(cairo_surface_write_to_png(s, "/tmp/showcase-test-chart-bar.png"),
			 CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(s);

	/* Pie: the middle of each slice has its palette colour. */
	spec.kind = CHART_PIE;
	buf_reset(&b);
	assert_int_equal(chart_svg(&spec, &b), 0);
	assert_int_equal(sscanf(strstr(b.ptr, "<path d=\"M"), "<path d=\"M%lf %lf L%*f %lf",
				&cx, &cy, &rad), 3);
	rad = cy - rad; /* the first slice starts at 12 o'clock */
	s = render(b.ptr, b.len);
	a1 = 2 * M_PI * 3 / 9;
	assert_int_equal(pixel(s, cx + rad / 2 * sin(a1 / 2), cy - rad / 2 * cos(a1 / 2)), 0xb3261e);
	a1 = 2 * M_PI * (3 + 1) / 9; /* middle of the second slice */
	assert_int_equal(pixel(s, cx + rad / 2 * sin(a1), cy - rad / 2 * cos(a1)), 0x1f5fa8);
	a1 = 2 * M_PI * 7 / 9;
	assert_int_equal(pixel(s, cx + rad / 2 * sin(a1), cy - rad / 2 * cos(a1)), 0xb26b00);
	assert_int_equal(pixel(s, cx - rad - 4, cy), 0xffffff);
	assert_int_equal(cairo_surface_write_to_png(s, "/tmp/showcase-test-chart-pie.png"),
			 CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(s);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nice_axis),
		cmocka_unit_test(test_axis_labels_in_svg),
		cmocka_unit_test(test_percentages),
		cmocka_unit_test(test_bar_heights_proportional),
		cmocka_unit_test(test_hbar_lengths_proportional),
		cmocka_unit_test(test_number_style),
		cmocka_unit_test(test_bar_switches_to_horizontal),
		cmocka_unit_test(test_pie),
		cmocka_unit_test(test_pie_merges_small_slices),
		cmocka_unit_test(test_accessibility),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_edge_cases),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_table_html),
		cmocka_unit_test(test_english_words),
		cmocka_unit_test(test_render_png),
	};
	int failed = cmocka_run_group_tests_name("chart", tests, NULL, NULL);

	/* The same release as the typesetter's tests: not FcFini() nor
	 * cairo_debug_reset_static_data(), which assert when a cache is still
	 * held (see ts_shutdown); tests/lsan.supp covers fontconfig. */
	ts_shutdown();
	return failed;
}
