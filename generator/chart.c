/*
 * chart: bar and pie charts as SVG for the website and the booklet; see
 * chart.h for the layout rules and what the output may contain.
 *
 * Every chart is laid out in two steps: first the geometry (which may switch
 * a bar chart to horizontal bars or make the chart taller), then one pass
 * that writes the elements. Text widths are estimated (CJK characters 1 em,
 * others 0.6 em) because neither the browser's nor librsvg's font metrics
 * are available here; the estimate errs wide, so text fits in both.
 */
#include "chart.h"
#include "chart_text.h"

#include "numfmt.h"

#include "alloc.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define FONT_FAMILY "Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
#define COLOR_TEXT "#1a1a1a"
#define COLOR_MUTED "#555555"
#define COLOR_GRID "#e0e0e0"
#define COLOR_AXIS "#888888"
#define COLOR_BAR "#1f5fa8"

#define TITLE_SIZE 16.0
#define LABEL_SIZE 12.0
#define TICK_SIZE 11.0
#define LINE_GAP 15.0
#define MIN_ROW 22.0

/* Deep, distinguishable colours, each at least 4:1 against white; gray last
 * because the merged "其他" slice lands there. */
static const char *const palette[CHART_PIE_MAX_SLICES] = {
	"#b3261e", "#1f5fa8", "#b26b00", "#00796b",
	"#6a3d9a", "#2e7d32", "#795548", "#616161",
};

/* ---- numbers ---------------------------------------------------------- */

/* A non-negative count, as everywhere in showcase (numfmt.h): 1234,
 * 12,345. */
static void put_count(struct buf *out, long long v)
{
	numfmt_count(out, v);
}

static const long long pow10_ll[19] = {
	1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
	100000000LL, 1000000000LL, 10000000000LL, 100000000000LL,
	1000000000000LL, 10000000000000LL, 100000000000000LL,
	1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
	1000000000000000000LL,
};

/* The label of tick k, k·mant·10^exp, in 万, 亿 or 万亿 when the step is a
 * whole number of them; what is left is small, so ticks past LLONG_MAX stay
 * exact. */
static void put_tick(struct buf *out, const struct chart_axis *ax, int k)
{
	int e = ax->exp;
	const char *suffix = "";

	if (k == 0) {
		buf_putc(out, '0');
		return;
	}
	if (e >= 12) {
		e -= 12;
		suffix = "万亿";
	} else if (e >= 8) {
		e -= 8;
		suffix = "亿";
	} else if (e >= 4) {
		e -= 4;
		suffix = "万";
	}
	put_count(out, (long long)k * ax->mant * pow10_ll[e]);
	buf_puts(out, suffix);
}

void chart_nice_axis(long long max, struct chart_axis *axis)
{
	static const int mants[3] = { 1, 2, 5 };
	int found = 0;

	if (max < 0)
		max = 0;
	axis->count = 3;
	axis->mant = 1;
	axis->exp = 0;
	/* Of the steps giving 3 to 5 intervals, take the tightest top; the
	 * smaller step wins a tie because it is seen first. */
	for (int e = 0; e <= 18; e++) {
		for (int i = 0; i < 3; i++) {
			long long s = mants[i] * pow10_ll[e];
			long long n = max / s + (max % s != 0);
			double top = (double)n * (double)s;
			if (n < 3 || n > 5)
				continue;
			if (!found || top < axis->top) {
				found = 1;
				axis->count = (int)n;
				axis->mant = mants[i];
				axis->exp = e;
				axis->top = top;
			}
		}
	}
	/* Below 3 no step of at least 1 gives three intervals: 0, 1, 2, 3. */
	axis->step = (double)axis->mant * (double)pow10_ll[axis->exp];
	axis->top = axis->step * axis->count;
}

int chart_percentages(const long long *values, size_t n, int *pct)
{
	unsigned long long total = 0, *rem;
	double dtotal = 0;
	int exact = 1, left = 100;

	for (size_t i = 0; i < n; i++)
		pct[i] = 0;
	for (size_t i = 0; i < n; i++) {
		if (values[i] < 0)
			return -1;
		dtotal += (double)values[i];
		if (exact && total + (unsigned long long)values[i] <= ULLONG_MAX / 100)
			total += (unsigned long long)values[i];
		else
			exact = 0;
	}
	if (dtotal == 0)
		return -1;

	rem = xcalloc(n ? n : 1, sizeof(*rem));
	for (size_t i = 0; i < n; i++) {
		if (exact) {
			unsigned long long x = (unsigned long long)values[i] * 100;
			pct[i] = (int)(x / total);
			rem[i] = x % total;
		} else {
			/* Sums past 1.8e17: shares in floating point, remainders
			 * scaled to integers so both paths compare alike. */
			double q = (double)values[i] * 100.0 / dtotal;
			double f = floor(q);
			pct[i] = (int)f;
			rem[i] = (unsigned long long)((q - f) * 1e15);
		}
		left -= pct[i];
	}
	/* Rounding in the floating-point path can overshoot by a point. */
	for (size_t i = n; left < 0 && i-- > 0;) {
		if (pct[i] > 0) {
			pct[i]--;
			left++;
		}
	}
	while (left > 0) {
		size_t best = n;
		for (size_t i = 0; i < n; i++) {
			if (rem[i] && (best == n || rem[i] > rem[best]))
				best = i;
		}
		if (best == n)
			break;
		pct[best]++;
		rem[best] = 0;
		left--;
	}
	free(rem);
	return 0;
}


/* ---- document ----------------------------------------------------------- */

struct chart {
	const struct chart_spec *spec;
	const struct chart_words *words;
	const char *unit;  /* never NULL */
	double w, h;
	int titled;        /* a non-empty title is drawn */
	double top;        /* where the drawing below the title starts */
	int *pct;          /* pie: percent of every item, or NULL */
};

static int check_spec(const struct chart_spec *spec, double *w, double *h)
{
	*w = spec->width ? spec->width : CHART_DEFAULT_WIDTH;
	*h = spec->height ? spec->height : CHART_DEFAULT_HEIGHT;
	if (!(*w >= CHART_MIN_SIZE && *w <= CHART_MAX_SIZE) ||
	    !(*h >= CHART_MIN_SIZE && *h <= CHART_MAX_SIZE))
		return -1;
	if (spec->kind != CHART_BAR && spec->kind != CHART_HBAR &&
	    spec->kind != CHART_PIE)
		return -1;
	if (spec->nitems > CHART_MAX_ITEMS || (spec->nitems && !spec->items))
		return -1;
	for (size_t i = 0; i < spec->nitems; i++) {
		if (!spec->items[i].label || spec->items[i].value < 0)
			return -1;
	}
	return 0;
}

/* "3个" as text (escaped). */
static void put_value(struct chart *c, struct buf *out, long long v)
{
	put_count(out, v);
	if (*c->unit)
		buf_puts(out, c->words->unit_space);
	chart_put_text(out, c->unit);
}

static double value_width(struct chart *c, long long v, double size)
{
	struct buf tmp = BUF_INIT;
	double w;

	put_count(&tmp, v);
	if (*c->unit)
		buf_puts(&tmp, c->words->unit_space);
	w = chart_text_width(tmp.ptr, size) + chart_text_width(c->unit, size);
	buf_release(&tmp);
	return w;
}

static void put_attr_num(struct buf *out, const char *name, double v)
{
	buf_printf(out, " %s=\"", name);
	chart_put_num(out, v);
	buf_putc(out, '"');
}

/* <text x y ...> opening tag; the caller writes the content and closes.
 * `extra` holds further attributes, with a leading space. */
static void open_text_ex(struct buf *out, double x, double y, const char *anchor,
			 double size, const char *fill, const char *extra)
{
	buf_puts(out, "<text");
	put_attr_num(out, "x", x);
	put_attr_num(out, "y", y);
	buf_printf(out, " text-anchor=\"%s\"", anchor);
	put_attr_num(out, "font-size", size);
	buf_printf(out, " fill=\"%s\"%s>", fill, extra);
}

static void open_text(struct buf *out, double x, double y, const char *anchor,
		      double size, const char *fill)
{
	open_text_ex(out, x, y, anchor, size, fill, "");
}

static void put_line(struct buf *out, double x1, double y1, double x2,
		     double y2, const char *stroke)
{
	buf_puts(out, "<line");
	put_attr_num(out, "x1", x1);
	put_attr_num(out, "y1", y1);
	put_attr_num(out, "x2", x2);
	put_attr_num(out, "y2", y2);
	buf_printf(out, " stroke=\"%s\" stroke-width=\"1\"/>\n", stroke);
}

static void put_rect_open(struct buf *out, double x, double y, double w,
			  double h, const char *fill)
{
	buf_puts(out, "<rect");
	put_attr_num(out, "x", x);
	put_attr_num(out, "y", y);
	put_attr_num(out, "width", w);
	put_attr_num(out, "height", h);
	buf_printf(out, " fill=\"%s\"", fill);
}

/* The tooltip text of item i: "国培：3个" or "国培：3个（33%）". */
static void put_item_summary(struct chart *c, struct buf *out, size_t i,
			     const char *sep)
{
	chart_put_text(out, c->spec->items[i].label);
	buf_puts(out, sep);
	put_value(c, out, c->spec->items[i].value);
	if (c->pct)
		buf_printf(out, "%s%d%%%s", c->words->pct_open, c->pct[i],
			   c->words->pct_close);
}

/* Opening <svg>, <title>, background and heading. */
static void open_svg(struct chart *c, struct buf *out)
{
	const struct chart_spec *spec = c->spec;

	buf_puts(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\"");
	put_attr_num(out, "width", c->w);
	put_attr_num(out, "height", c->h);
	buf_puts(out, " viewBox=\"0 0 ");
	chart_put_num(out, c->w);
	buf_putc(out, ' ');
	chart_put_num(out, c->h);
	buf_puts(out, "\" role=\"img\" aria-label=\"");
	if (c->titled) {
		chart_put_text(out, spec->title);
		buf_puts(out, c->words->colon);
	}
	if (!spec->nitems)
		buf_puts(out, c->words->no_data);
	for (size_t i = 0; i < spec->nitems; i++) {
		if (i)
			buf_puts(out, c->words->comma);
		put_item_summary(c, out, i, " ");
	}
	buf_puts(out, "\" font-family=\"" FONT_FAMILY "\">\n");
	if (c->titled) {
		buf_puts(out, "<title>");
		chart_put_text(out, spec->title);
		buf_puts(out, "</title>\n");
	}
	put_rect_open(out, 0, 0, c->w, c->h, "#ffffff");
	buf_puts(out, "/>\n");
	if (c->titled) {
		open_text_ex(out, c->w / 2, 26, "middle", TITLE_SIZE, COLOR_TEXT,
			     " font-weight=\"bold\"");
		chart_put_fitted(out, spec->title, c->w - 16, TITLE_SIZE);
		buf_puts(out, "</text>\n");
	}
}

static void draw_no_data(struct chart *c, struct buf *out)
{
	open_svg(c, out);
	open_text(out, c->w / 2, c->top + (c->h - c->top) / 2, "middle", 14,
		  COLOR_MUTED);
	buf_puts(out, c->words->no_data);
	buf_puts(out, "</text>\n");
}

static long long max_value(const struct chart_spec *spec)
{
	long long m = 0;
	for (size_t i = 0; i < spec->nitems; i++)
		if (spec->items[i].value > m)
			m = spec->items[i].value;
	return m;
}

static double tick_width(const struct chart_axis *ax, int k, double size)
{
	struct buf tmp = BUF_INIT;
	double w;

	put_tick(&tmp, ax, k);
	w = chart_text_width(tmp.ptr, size);
	buf_release(&tmp);
	return w;
}

/* ---- bars ----------------------------------------------------------------- */

static void draw_hbar(struct chart *c, struct buf *out);

static void draw_bar(struct chart *c, struct buf *out)
{
	const struct chart_spec *spec = c->spec;
	struct chart_axis ax;
	double tickw = 0, x0, x1, y0, y1, band, bw, plot_h;
	int lines = 1;

	chart_nice_axis(max_value(spec), &ax);
	for (int k = 0; k <= ax.count; k++) {
		double tw = tick_width(&ax, k, TICK_SIZE);
		if (tw > tickw)
			tickw = tw;
	}
	x0 = 8 + tickw + 6;
	x1 = c->w - 12;
	band = (x1 - x0) / (double)spec->nitems;

	/* Does every category fit under its bar? If not, go horizontal. */
	if (spec->nitems > CHART_BAR_MAX_COLUMNS) {
		draw_hbar(c, out);
		return;
	}
	for (size_t i = 0; i < spec->nitems; i++) {
		size_t cut, rest;
		int n = chart_wrap2(spec->items[i].label, band - 6, LABEL_SIZE, &cut, &rest);
		if (n > 2 || value_width(c, spec->items[i].value, LABEL_SIZE) > band - 2) {
			draw_hbar(c, out);
			return;
		}
		if (n > lines)
			lines = n;
	}

	open_svg(c, out);
	y0 = c->top + 18; /* room for the value over the tallest bar */
	y1 = c->h - (8 + LINE_GAP * lines + 4);
	plot_h = y1 - y0;
	bw = band * 0.62 < 64 ? band * 0.62 : 64;

	for (int k = 0; k <= ax.count; k++) {
		double y = y1 - plot_h * k / ax.count;
		if (k)
			put_line(out, x0, y, x1, y, COLOR_GRID);
		open_text(out, x0 - 6, y + TICK_SIZE * 0.35, "end", TICK_SIZE, COLOR_MUTED);
		put_tick(out, &ax, k);
		buf_puts(out, "</text>\n");
	}
	for (size_t i = 0; i < spec->nitems; i++) {
		const struct chart_item *it = &spec->items[i];
		double cx = x0 + band * ((double)i + 0.5);
		double bh = plot_h * (double)it->value / ax.top;
		size_t cut, rest;
		int n = chart_wrap2(it->label, band - 6, LABEL_SIZE, &cut, &rest);

		put_rect_open(out, cx - bw / 2, y1 - bh, bw, bh, COLOR_BAR);
		buf_puts(out, "><title>");
		put_item_summary(c, out, i, c->words->colon);
		buf_puts(out, "</title></rect>\n");
		open_text(out, cx, y1 - bh - 5, "middle", LABEL_SIZE, COLOR_TEXT);
		put_value(c, out, it->value);
		buf_puts(out, "</text>\n");
		open_text(out, cx, y1 + 16, "middle", LABEL_SIZE, COLOR_TEXT);
		chart_put_text_n(out, it->label, cut);
		buf_puts(out, "</text>\n");
		if (n == 2) {
			open_text(out, cx, y1 + 16 + LINE_GAP, "middle", LABEL_SIZE, COLOR_TEXT);
			chart_put_text(out, it->label + rest);
			buf_puts(out, "</text>\n");
		}
	}
	put_line(out, x0, y1, x1, y1, COLOR_AXIS);
}

static void draw_hbar(struct chart *c, struct buf *out)
{
	const struct chart_spec *spec = c->spec;
	struct chart_axis ax;
	double labw = 0, valw = 0, x0, x1, y0, y1, row, bt, plot_w;

	chart_nice_axis(max_value(spec), &ax);
	for (size_t i = 0; i < spec->nitems; i++) {
		double lw = chart_text_width(spec->items[i].label, LABEL_SIZE);
		double vw = value_width(c, spec->items[i].value, LABEL_SIZE);
		if (lw > labw)
			labw = lw;
		if (vw > valw)
			valw = vw;
	}
	if (labw > c->w * 0.4)
		labw = c->w * 0.4;

	y0 = c->top + 4;
	if (c->h - 24 - y0 < MIN_ROW * (double)spec->nitems)
		c->h = y0 + MIN_ROW * (double)spec->nitems + 24;
	open_svg(c, out);
	y1 = c->h - 24;
	row = (y1 - y0) / (double)spec->nitems;
	bt = row * 0.62 < 28 ? row * 0.62 : 28;
	x0 = 8 + labw + 8;
	x1 = c->w - 12 - valw - 6;
	if (x1 < x0 + 20)
		x1 = x0 + 20;
	plot_w = x1 - x0;

	for (int k = 0; k <= ax.count; k++) {
		double x = x0 + plot_w * k / ax.count;
		if (k)
			put_line(out, x, y0, x, y1, COLOR_GRID);
		open_text(out, x, y1 + 15, "middle", TICK_SIZE, COLOR_MUTED);
		put_tick(out, &ax, k);
		buf_puts(out, "</text>\n");
	}
	for (size_t i = 0; i < spec->nitems; i++) {
		const struct chart_item *it = &spec->items[i];
		double cy = y0 + row * ((double)i + 0.5);
		double len = plot_w * (double)it->value / ax.top;

		put_rect_open(out, x0, cy - bt / 2, len, bt, COLOR_BAR);
		buf_puts(out, "><title>");
		put_item_summary(c, out, i, c->words->colon);
		buf_puts(out, "</title></rect>\n");
		open_text(out, 8 + labw, cy + LABEL_SIZE * 0.35, "end", LABEL_SIZE, COLOR_TEXT);
		chart_put_fitted(out, it->label, labw, LABEL_SIZE);
		buf_puts(out, "</text>\n");
		open_text(out, x0 + len + 5, cy + LABEL_SIZE * 0.35, "start", LABEL_SIZE,
			  COLOR_TEXT);
		put_value(c, out, it->value);
		buf_puts(out, "</text>\n");
	}
	put_line(out, x0, y0, x0, y1, COLOR_AXIS);
}

/* ---- pie -------------------------------------------------------------------- */

struct slice {
	const char *label;
	long long value;
	int pct;
};

/* The non-zero items in order; past CHART_PIE_MAX_SLICES, the largest seven
 * and "其他" for the rest. Returns the number of slices. */
static size_t pie_slices(struct chart *c, struct slice *sl)
{
	const struct chart_spec *spec = c->spec;
	size_t n = 0, nonzero = 0;
	char *keep = xcalloc(spec->nitems ? spec->nitems : 1, 1);
	long long other = 0;
	int other_pct = 0;

	for (size_t i = 0; i < spec->nitems; i++)
		if (spec->items[i].value > 0)
			nonzero++;
	if (nonzero <= CHART_PIE_MAX_SLICES) {
		for (size_t i = 0; i < spec->nitems; i++)
			keep[i] = spec->items[i].value > 0;
	} else {
		for (int k = 0; k < CHART_PIE_MAX_SLICES - 1; k++) {
			size_t best = spec->nitems;
			for (size_t i = 0; i < spec->nitems; i++) {
				if (!keep[i] && (best == spec->nitems ||
						 spec->items[i].value > spec->items[best].value))
					best = i;
			}
			keep[best] = 1;
		}
	}
	for (size_t i = 0; i < spec->nitems; i++) {
		if (keep[i]) {
			sl[n].label = spec->items[i].label;
			sl[n].value = spec->items[i].value;
			sl[n].pct = c->pct[i];
			n++;
		} else if (spec->items[i].value > 0) {
			/* Saturate rather than overflow; no real count gets there. */
			other = other > LLONG_MAX - spec->items[i].value
				? LLONG_MAX : other + spec->items[i].value;
			other_pct += c->pct[i];
		}
	}
	if (nonzero > CHART_PIE_MAX_SLICES) {
		sl[n].label = c->words->other;
		sl[n].value = other;
		sl[n].pct = other_pct;
		n++;
	}
	free(keep);
	return n;
}

static void put_point(struct buf *out, double cx, double cy, double r, double a)
{
	chart_put_num(out, cx + r * sin(a));
	buf_putc(out, ' ');
	chart_put_num(out, cy - r * cos(a));
}

static void draw_pie(struct chart *c, struct buf *out)
{
	struct slice sl[CHART_PIE_MAX_SLICES];
	size_t n = pie_slices(c, sl);
	double top = c->top;
	double area_h, legend_h = MIN_ROW * (double)n, legend_w, d, r, cx, cy;
	double pctw = chart_text_width("100%", LABEL_SIZE), valw = 0, labw = 0;
	double lx, vx, px, ly, fixed, room, total = 0, cum = 0;
	int stacked;

	for (size_t i = 0; i < n; i++) {
		double lw = chart_text_width(sl[i].label, LABEL_SIZE);
		double vw = value_width(c, sl[i].value, LABEL_SIZE);
		total += (double)sl[i].value;
		if (lw > labw)
			labw = lw;
		if (vw > valw)
			valw = vw;
	}
	/* Legend columns: swatch, label, value and percent (right-aligned).
	 * Beside the pie while labels keep four characters there, else under
	 * it; labels are shortened to what room is left. */
	fixed = 18 + 12 + valw + 10 + pctw;
	area_h = c->h - top - 12;
	if (area_h < legend_h)
		area_h = legend_h;
	d = area_h < c->w * 0.42 ? area_h : c->w * 0.42;
	room = c->w - 24 - d - 24 - fixed;
	stacked = room < (labw < 4 * LABEL_SIZE ? labw : 4 * LABEL_SIZE);
	if (stacked) {
		room = c->w - 24 - fixed;
		d = c->h - top - 12 - legend_h - 12;
		if (d > c->w - 24)
			d = c->w - 24;
		if (d < 100)
			d = 100; /* CHART_MIN_SIZE leaves room for that */
		area_h = d + 12 + legend_h;
	}
	if (labw > room)
		labw = room > 0 ? room : 0;
	legend_w = fixed + labw;
	if (c->h < top + area_h + 12)
		c->h = top + area_h + 12;
	if (stacked) {
		cx = c->w / 2;
		cy = top + d / 2;
		lx = (c->w - legend_w) / 2;
		ly = top + d + 12;
	} else {
		cx = (c->w - (d + 24 + legend_w)) / 2;
		if (cx < 12)
			cx = 12;
		lx = cx + d + 24;
		cx += d / 2;
		cy = top + area_h / 2;
		ly = cy - legend_h / 2;
	}
	r = d / 2 - 2;
	vx = lx + 18 + labw + 12 + valw;
	px = vx + 10 + pctw;

	open_svg(c, out);
	for (size_t i = 0; i < n; i++) {
		double a0 = 2 * M_PI * cum / total, a1;
		cum += (double)sl[i].value;
		a1 = 2 * M_PI * cum / total;
		if (n == 1) {
			/* A 360° arc has equal end points and draws nothing. */
			buf_puts(out, "<circle");
			put_attr_num(out, "cx", cx);
			put_attr_num(out, "cy", cy);
			put_attr_num(out, "r", r);
		} else {
			buf_puts(out, "<path d=\"M");
			put_point(out, cx, cy, 0, 0);
			buf_puts(out, " L");
			put_point(out, cx, cy, r, a0);
			buf_puts(out, " A");
			chart_put_num(out, r);
			buf_putc(out, ' ');
			chart_put_num(out, r);
			buf_printf(out, " 0 %d 1 ", a1 - a0 > M_PI ? 1 : 0);
			put_point(out, cx, cy, r, a1);
			buf_puts(out, " Z\"");
		}
		buf_printf(out, " fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"1\""
			   " stroke-linejoin=\"round\"><title>", palette[i]);
		chart_put_text(out, sl[i].label);
		buf_puts(out, c->words->colon);
		put_value(c, out, sl[i].value);
		buf_printf(out, "%s%d%%%s</title></%s>\n", c->words->pct_open,
			   sl[i].pct, c->words->pct_close, n == 1 ? "circle" : "path");
	}
	for (size_t i = 0; i < n; i++) {
		double rc = ly + MIN_ROW * ((double)i + 0.5);
		double base = rc + LABEL_SIZE * 0.35;
		put_rect_open(out, lx, rc - 6, 12, 12, palette[i]);
		buf_puts(out, "/>\n");
		open_text(out, lx + 18, base, "start", LABEL_SIZE, COLOR_TEXT);
		chart_put_fitted(out, sl[i].label, labw, LABEL_SIZE);
		buf_puts(out, "</text>\n");
		open_text(out, vx, base, "end", LABEL_SIZE, COLOR_TEXT);
		put_value(c, out, sl[i].value);
		buf_puts(out, "</text>\n");
		open_text(out, px, base, "end", LABEL_SIZE, COLOR_MUTED);
		buf_printf(out, "%d%%</text>\n", sl[i].pct);
	}
}

/* ---- entry points ------------------------------------------------------------ */

/* The percent of every item (caller frees); *ok is 0 when all are 0. */
static int *item_percentages(const struct chart_spec *spec, int *ok)
{
	size_t n = spec->nitems ? spec->nitems : 1;
	long long *v = xcalloc(n, sizeof(*v));
	int *pct = xcalloc(n, sizeof(*pct));

	for (size_t i = 0; i < spec->nitems; i++)
		v[i] = spec->items[i].value;
	*ok = chart_percentages(v, spec->nitems, pct) == 0;
	free(v);
	return pct;
}

static int write_svg(const struct chart_spec *spec, int decl, struct buf *out)
{
	struct chart c = { 0 };
	int *pct = NULL, has_data = 0;

	if (check_spec(spec, &c.w, &c.h) < 0)
		return -1;
	c.spec = spec;
	c.words = chart_words_for(spec->language);
	c.unit = spec->unit ? spec->unit : "";
	c.titled = spec->title && *spec->title;
	c.top = c.titled ? 42 : 12;
	if (spec->kind == CHART_PIE) {
		pct = item_percentages(spec, &has_data);
		if (has_data)
			c.pct = pct;
	}
	if (decl)
		buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	if (!spec->nitems || (spec->kind == CHART_PIE && !has_data))
		draw_no_data(&c, out);
	else if (spec->kind == CHART_PIE)
		draw_pie(&c, out);
	else if (spec->kind == CHART_HBAR)
		draw_hbar(&c, out);
	else
		draw_bar(&c, out);
	buf_puts(out, "</svg>\n");
	free(pct);
	return 0;
}

int chart_svg(const struct chart_spec *spec, struct buf *out)
{
	return write_svg(spec, 1, out);
}

int chart_svg_inline(const struct chart_spec *spec, struct buf *out)
{
	return write_svg(spec, 0, out);
}

int chart_table_html(const struct chart_spec *spec, struct buf *out)
{
	const struct chart_words *words = chart_words_for(spec->language);
	double w, h;
	long long total = 0;
	int *pct = NULL, is_pie = spec->kind == CHART_PIE, has_pct = 0, overflow = 0;

	if (check_spec(spec, &w, &h) < 0)
		return -1;
	if (is_pie) {
		pct = item_percentages(spec, &has_pct);
		for (size_t i = 0; i < spec->nitems; i++) {
			if (total > LLONG_MAX - spec->items[i].value)
				overflow = 1;
			else
				total += spec->items[i].value;
		}
	}
	buf_puts(out, "<table class=\"chart-table\">\n");
	if (spec->title && *spec->title) {
		buf_puts(out, "<caption>");
		chart_put_text(out, spec->title);
		buf_puts(out, "</caption>\n");
	}
	/* 类别 | 数量（unit） | 占比 */
	buf_printf(out, "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s",
		   words->category, words->count);
	if (spec->unit && *spec->unit) {
		buf_puts(out, words->pct_open);
		chart_put_text(out, spec->unit);
		buf_puts(out, words->pct_close);
	}
	buf_puts(out, "</th>");
	if (is_pie)
		buf_printf(out, "<th scope=\"col\">%s</th>", words->share);
	buf_puts(out, "</tr></thead>\n<tbody>\n");
	if (!spec->nitems)
		buf_printf(out, "<tr><td colspan=\"%d\">%s</td></tr>\n",
			   is_pie ? 3 : 2, words->no_data);
	for (size_t i = 0; i < spec->nitems; i++) {
		buf_puts(out, "<tr><th scope=\"row\">");
		chart_put_text(out, spec->items[i].label);
		buf_puts(out, "</th><td>");
		put_count(out, spec->items[i].value);
		buf_puts(out, "</td>");
		if (is_pie && has_pct)
			buf_printf(out, "<td>%d%%</td>", pct[i]);
		else if (is_pie)
			buf_puts(out, "<td>—</td>");
		buf_puts(out, "</tr>\n");
	}
	buf_puts(out, "</tbody>\n");
	if (is_pie && spec->nitems && !overflow) {
		buf_printf(out, "<tfoot><tr><th scope=\"row\">%s</th><td>", words->total);
		put_count(out, total);
		buf_printf(out, "</td><td>%s</td></tr></tfoot>\n",
			   has_pct ? "100%" : "—");
	}
	buf_puts(out, "</table>\n");
	free(pct);
	return 0;
}
