/*
 * chart: bar and pie charts of a year's figures, drawn once as SVG for both
 * the website (inline <svg>) and the printed booklet (librsvg draws the same
 * document as vectors into the PDF).
 *
 * Because two very different renderers read the output, it keeps to plain
 * SVG 1.1: rect, circle, path, line, text and title, with presentation
 * attributes only (no CSS classes, no ids, no external references, no
 * scripts), explicit width, height and viewBox, and text placed with
 * text-anchor and computed baselines (librsvg 2.54 ignores
 * dominant-baseline). Numbers are formatted without printf's %f, so the
 * output is byte-identical for the same input whatever LC_NUMERIC says.
 *
 * Layout choices:
 * - CHART_BAR draws vertical bars with the value above each bar and the
 *   category below, wrapped onto at most two lines. When a label would need
 *   more lines, a value label is wider than its bar's slot, or there are
 *   more than CHART_BAR_MAX_COLUMNS categories, the chart is drawn as
 *   CHART_HBAR instead: rotated CJK text is hard to read, and a horizontal
 *   bar chart has room for long labels.
 * - CHART_HBAR puts labels left, bars right and the value at the bar's end;
 *   a label wider than 40% of the chart is shortened with "…" (the full
 *   text stays in the bar's <title> tooltip). The chart grows taller than
 *   `height` when its rows would otherwise be thinner than 22 units.
 * - The value axis runs from 0 to a "nice" top with 4 to 6 ticks at steps of
 *   1, 2 or 5 × 10^n (never below 1: the figures are counts, so a largest
 *   value under 3 gives 0, 1, 2, 3). From a step of 10,000 up, tick labels
 *   count in 万, 亿 or 万亿 ("5万"); values are written in full, grouped as
 *   everywhere in showcase (numfmt.h: "1234人次", "12,345人次").
 * - CHART_PIE omits zero slices, starts at 12 o'clock and goes clockwise;
 *   more than CHART_PIE_MAX_SLICES non-zero slices are cut to the largest
 *   seven plus one "其他" slice. The legend gives label, value and a
 *   percentage rounded so the legend sums to 100 (largest remainder). The
 *   legend stands right of the pie, or under it when the chart is too narrow
 *   for four characters of label there; either way it may make the chart
 *   taller than `height`.
 * - No items, or a pie whose values are all 0, draws the title and "无数据".
 *
 * Accessibility: the <svg> has role="img", a <title> with the chart's title
 * and an aria-label summing up the data ("培训项目（按级别）：国培 3个，省培
 * 2个"); chart_table_html() writes the same data as an HTML table that the
 * website can offer as a text alternative.
 *
 * Text from the caller (title, unit, labels) is escaped for XML; invalid
 * UTF-8 becomes U+FFFD and control characters are dropped, so content can
 * never make the document malformed.
 *
 * Ownership: the chart module keeps nothing. The spec and its strings are
 * only read during the call; output is appended to the caller's buffer,
 * which the caller releases. On error, the buffer is left as it was.
 * All functions are reentrant.
 */
#ifndef SHOWCASE_CHART_H
#define SHOWCASE_CHART_H

#include <stddef.h>

#include "buf.h"

#define CHART_DEFAULT_WIDTH 480
#define CHART_DEFAULT_HEIGHT 300
/* Accepted sizes, in px (website) or pt (booklet). */
#define CHART_MIN_SIZE 160
#define CHART_MAX_SIZE 4000
/* More items than this is a caller's mistake, not a chart. */
#define CHART_MAX_ITEMS 500
#define CHART_BAR_MAX_COLUMNS 12
#define CHART_PIE_MAX_SLICES 8

enum chart_kind { CHART_BAR, CHART_HBAR, CHART_PIE };

struct chart_item {
	const char *label; /* must not be NULL; may be "" */
	long long value;   /* must not be negative */
};

struct chart_spec {
	enum chart_kind kind;
	const char *title; /* drawn at the top, e.g. "培训项目（按级别）"; may be NULL */
	const char *unit;  /* appended to values, e.g. "个", "人次"; may be NULL */
	const struct chart_item *items;
	size_t nitems;
	double width, height; /* 0 = CHART_DEFAULT_WIDTH / _HEIGHT */
	const char *language; /* "en…": English words and punctuation of the
			       * chart's own ("No data", "Total", ": "); else
			       * Chinese. The title, labels and unit are the
			       * caller's. May be NULL. */
};

/* The value axis: ticks at 0, step, 2·step … count·step (= top).
 * step = mant × 10^exp with mant 1, 2 or 5 and exp >= 0. */
struct chart_axis {
	int count;   /* intervals: 3 to 5, so 4 to 6 ticks */
	int mant;
	int exp;
	double step;
	double top;
};

/*
 * Append a standalone SVG document (with its XML declaration) for `spec` to
 * `out`. Returns 0, or -1 if the spec is invalid: a negative value, a NULL
 * label, items == NULL with nitems > 0, more than CHART_MAX_ITEMS items, an
 * unknown kind, or a size outside CHART_MIN_SIZE..CHART_MAX_SIZE (after
 * 0 is replaced by the default).
 */
int chart_svg(const struct chart_spec *spec, struct buf *out);

/* The same as chart_svg() without the XML declaration, for embedding the
 * <svg> element in an HTML page. */
int chart_svg_inline(const struct chart_spec *spec, struct buf *out);

/*
 * Append an HTML <table class="chart-table"> with the spec's data: a caption
 * with the title, one row per item (all items, zeros included), and for a
 * pie chart a percentage column and a 合计 row. Returns 0, or -1 for the
 * same invalid specs as chart_svg().
 */
int chart_table_html(const struct chart_spec *spec, struct buf *out);

/* Compute the value axis for a largest value of `max` (0 or more). */
void chart_nice_axis(long long max, struct chart_axis *axis);

/*
 * Round the shares of `values` (n of them, none negative) to whole percents
 * that sum to 100, by the largest remainder method; ties go to the earlier
 * item. Writes n percents to `pct`. Returns 0, or -1 if every value is 0
 * (pct is then all zeros) or a value is negative.
 */
int chart_percentages(const long long *values, size_t n, int *pct);

#endif
