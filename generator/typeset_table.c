/*
 * typeset_table: GFM tables for the typesetter.
 *
 * Column widths follow the automatic table layout of CSS: every cell is
 * measured twice with Pango, unwrapped (its max-content width) and broken
 * at every opportunity (its min-content width, the widest word or
 * character). A cell that should not break (a header, a word of up to six
 * characters, a date, a number) counts its whole width as its minimum. If
 * all columns fit at max-content the spare width is shared in proportion;
 * otherwise the widest columns (the titles) are capped at one level, so
 * that the short ones stay unbroken (fit_columns()); if even the minimums
 * do not fit, cells break anywhere, the width is split in proportion to
 * the one-character minimums and what is still too wide for its cell is
 * clipped at the cell's edge.
 * Tables always span the text width, so that the pages look even.
 * Columns that are empty in every body row are not printed. A header row
 * with every cell empty is not printed either; with two columns that is a
 * field table (label, value), whose label column has one fixed width.
 *
 * Pagination moves whole rows; when a table continues on a new page its
 * header row is drawn again on top. A row taller than a whole page is
 * split between lines (each cell continues where it stopped) rather than
 * clipped, so no text is ever lost.
 */
#include "typeset_internal.h"

#include <cmark-gfm-core-extensions.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

#define TS_MIN_COL (2 * TS_CELL_PAD + 12.0)
/* Cells of up to this many characters are never broken. */
#define TS_CELL_KEEP_CHARS 6
/* The share of the width that the title column keeps before others get
 * theirs, when they do not all fit. */
#define TS_TITLE_SHARE 0.4
/* The label column of a field table (two columns under an empty header
 * row, as the report writes a record's fields) is this many characters
 * wide, the same in every such table. */
#define TS_LABEL_CHARS 6

static int is_row(cmark_node *n)
{
	const char *t = cmark_node_get_type_string(n);
	return !strcmp(t, "table_row") || !strcmp(t, "table_header");
}

static double layout_width(PangoLayout *l)
{
	PangoRectangle log;
	pango_layout_get_extents(l, NULL, &log);
	return (double)log.width / PANGO_SCALE;
}

/* Min- and max-content widths of one cell's text, without padding. A
 * plain cell (no emphasis, link or script run) is measured once per style
 * and text in a document (typeset_cache.c): nothing else changes them.
 *
 * The second layout, at width 1, is not derived from the first one's
 * break opportunities (pango_layout_get_log_attrs() and the logical
 * widths) because that would not give the same numbers: Pango 1.50
 * (process_item() in pango-layout.c) shapes every piece it breaks off
 * again on its own, and may add a hyphen glyph to it, so a line's width at
 * a break is not the sum of the unbroken line's character widths. Any
 * change here moves column widths, and so the PDF. */
static void measure(struct ts_doc *doc, PangoLayout *l, int style,
		    const struct ts_rich *r, double *minw, double *maxw)
{
	const struct ts_font *f = &doc->fonts[style];
	char *key = ts_cache_width_key(doc, style, r);

	if (key && ts_cache_width_get(doc, key, minw, maxw)) {
		free(key);
		return;
	}
	pango_layout_set_font_description(l, f->desc);
	pango_layout_set_text(l, r->text->str, (int)r->text->len);
	pango_layout_set_attributes(l, r->attrs);
	pango_layout_set_width(l, -1);
	*maxw = layout_width(l);
	pango_layout_set_wrap(l, PANGO_WRAP_WORD);
	pango_layout_set_width(l, 1);
	*minw = layout_width(l);
	if (key)
		ts_cache_width_put(doc, key, *minw, *maxw);
}

/* Sum of the column widths when no column is wider than `level` (but none
 * narrower than its minimum nor wider than it wants). */
static double capped_sum(const double *minw, const double *maxw, int n, double level)
{
	double s = 0;
	for (int c = 0; c < n; c++)
		s += fmax(minw[c], fmin(maxw[c], level));
	return s;
}

/*
 * Too little room for every column at its widest: find the level that
 * fills the width exactly when every column is capped there (water
 * filling). Columns that want less than the level are printed unbroken
 * and the widest ones (the titles) share the rest evenly, rather than
 * everything shrinking in proportion, which breaks short columns too.
 */
static void fit_columns(struct ts_table *t, const double *minw, const double *maxw,
			double width)
{
	double smin = 0, smax = 0, lo = 0, hi = 0, *lifted = NULL;
	int n = t->ncols;

	for (int c = 0; c < n; c++) {
		smin += minw[c];
		smax += maxw[c];
		hi = fmax(hi, maxw[c]);
	}
	t->squeezed = smin > width + 0.01;
	if (smax <= width) {
		for (int c = 0; c < n; c++)
			t->colw[c] = maxw[c] + (width - smax) * maxw[c] / smax;
		return;
	}
	if (t->squeezed) {
		for (int c = 0; c < n; c++)
			t->colw[c] = width * minw[c] / smin;
		return;
	}
	/* The widest column is the title: it keeps at least TS_TITLE_SHARE of
	 * the width, so that the other long columns break before it does. */
	int title = 0;
	for (int c = 1; c < n; c++)
		if (maxw[c] > maxw[title])
			title = c;
	double floor = fmin(maxw[title], width * TS_TITLE_SHARE);
	if (floor > minw[title] && smin - minw[title] + floor <= width) {
		lifted = xmalloc((size_t)n * sizeof(*lifted));
		memcpy(lifted, minw, (size_t)n * sizeof(*lifted));
		lifted[title] = floor;
		minw = lifted;
	}
	for (int k = 0; k < 40; k++) { /* capped_sum grows with the level */
		double mid = (lo + hi) / 2;
		if (capped_sum(minw, maxw, n, mid) > width)
			hi = mid;
		else
			lo = mid;
	}
	double sum = capped_sum(minw, maxw, n, lo), spare = width - sum;
	int wide = 0;
	for (int c = 0; c < n; c++) {
		t->colw[c] = fmax(minw[c], fmin(maxw[c], lo));
		wide += maxw[c] > lo;
	}
	for (int c = 0; c < n && wide; c++) /* what the bisection left over */
		if (maxw[c] > lo)
			t->colw[c] += spare / wide;
	free(lifted);
}

/*
 * Whether a cell must stay on one line: a header, a short word (a name,
 * a level, 济源示范区), a date or a number. CJK text may break between any
 * two characters, so without this rule a column's min-content width is
 * one character and 序号 is set as 序/号 whenever another column is long.
 */
static int keep_whole(const char *s, int head)
{
	int digits = 0, other = 0;

	if (head || g_utf8_strlen(s, -1) <= TS_CELL_KEEP_CHARS)
		return 1;
	for (const char *p = s; *p; p++) {
		if (g_ascii_isdigit(*p))
			digits++;
		else if (!strchr(" ,.-/:%+", *p))
			other++;
	}
	return digits && !other; /* 2024-09-01, 10,891, 12.5% */
}

static int is_empty_cell(cmark_node *cell)
{
	return !cell || !cmark_node_first_child(cell);
}

static int empty_row(cmark_node *row)
{
	for (cmark_node *c = cmark_node_first_child(row); c; c = cmark_node_next(c))
		if (!is_empty_cell(c))
			return 0;
	return 1;
}

/* Columns to print: those with a cell in some body row (all of them when
 * the table has no body). The map holds source column numbers. */
static int kept_columns(cmark_node *table, int has_head, int ncols, int *map)
{
	int body = 0, n = 0;
	char *used = xcalloc((size_t)ncols, 1);

	for (cmark_node *row = cmark_node_first_child(table); row; row = cmark_node_next(row)) {
		cmark_node *cell = cmark_node_first_child(row);
		if (!is_row(row) || (has_head && row == cmark_node_first_child(table)))
			continue;
		body = 1;
		for (int c = 0; c < ncols && cell; c++, cell = cmark_node_next(cell))
			used[c] |= !is_empty_cell(cell);
	}
	for (int c = 0; c < ncols; c++)
		if (!body || used[c])
			map[n++] = c;
	if (!n) /* every column empty: keep the table's shape */
		for (int c = 0; c < ncols; c++)
			map[n++] = c;
	free(used);
	return n;
}

struct ts_table *ts_table_build(struct ts_doc *doc, cmark_node *table, double width)
{
	struct ts_table *t = xcalloc(1, sizeof(*t));
	const uint8_t *align = cmark_gfm_extensions_get_table_alignments(table);
	int srccols = cmark_gfm_extensions_get_table_columns(table);
	PangoLayout *probe = pango_layout_new(doc->pango);
	struct ts_rich *rich;
	double *minw, *maxw, *softw, cap = width * 0.4, hard = 0;
	cmark_node *row, *cell;
	int r, c, *map, fields = 0;

	if (srccols < 1)
		srccols = 1;
	row = cmark_node_first_child(table);
	t->has_head = row && !strcmp(cmark_node_get_type_string(row), "table_header");
	map = xcalloc((size_t)srccols, sizeof(*map));
	t->ncols = kept_columns(table, t->has_head, srccols, map);
	/* A header row with nothing in it is a field table's: not printed. */
	if (t->has_head && empty_row(row) && cmark_node_next(row)) {
		row = cmark_node_next(row);
		t->has_head = 0;
		fields = t->ncols == 2;
	}
	for (cmark_node *n = row; n; n = cmark_node_next(n))
		t->nrows += is_row(n);
	if (t->nrows < 1)
		t->nrows = 1;

	size_t ncells = st_mult((size_t)t->nrows, (size_t)t->ncols);
	rich = xcalloc(ncells, sizeof(*rich));
	t->cells = xcalloc(ncells, sizeof(*t->cells));
	t->colw = xcalloc((size_t)t->ncols, sizeof(*t->colw));
	t->rowh = xcalloc((size_t)t->nrows, sizeof(*t->rowh));
	minw = xcalloc((size_t)t->ncols, sizeof(*minw));
	maxw = xcalloc((size_t)t->ncols, sizeof(*maxw));
	softw = xcalloc((size_t)t->ncols, sizeof(*softw));
	for (c = 0; c < t->ncols; c++)
		minw[c] = maxw[c] = softw[c] = TS_MIN_COL;

	for (r = 0; row && r < t->nrows; row = cmark_node_next(row)) {
		if (!is_row(row))
			continue;
		int head = r == 0 && t->has_head, style = head ? TS_S_CELL_HEAD : TS_S_CELL;
		int src = 0;
		cell = cmark_node_first_child(row);
		for (c = 0; c < t->ncols; c++) {
			struct ts_rich *rc = &rich[(size_t)r * t->ncols + c];
			double lo, hi;
			for (; cell && src < map[c]; src++)
				cell = cmark_node_next(cell);
			ts_rich_init(rc);
			if (cell && src == map[c])
				ts_rich_inline(doc, rc, cell);
			measure(doc, probe, style, rc, &lo, &hi);
			lo = fmin(lo, cap) + 2 * TS_CELL_PAD;
			hi += 2 * TS_CELL_PAD + 0.5; /* Pango units round down */
			softw[c] = fmax(softw[c], lo);
			if (keep_whole(rc->text->str, head))
				lo = fmax(lo, fmin(hi, cap));
			minw[c] = fmax(minw[c], lo);
			maxw[c] = fmax(maxw[c], fmax(hi, lo));
		}
		r++;
	}
	for (; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++)
			ts_rich_init(&rich[(size_t)r * t->ncols + c]);
	for (c = 0; c < t->ncols; c++)
		hard += minw[c];
	/* Whole words cannot all fit: fall back to breaking anywhere. */
	fit_columns(t, hard <= width + 0.01 ? minw : softw, maxw, width);
	if (fields) { /* labels in a column of one width in every such table */
		double label = fmin(fmax(maxw[0], TS_LABEL_CHARS * doc->fonts[TS_S_CELL].size +
					 2 * TS_CELL_PAD), width * TS_TITLE_SHARE);
		t->colw[0] = label;
		t->colw[1] = width - label;
	}

	for (r = 0; r < t->nrows; r++) {
		int style = r == 0 && t->has_head ? TS_S_CELL_HEAD : TS_S_CELL;
		double h = 0;
		for (c = 0; c < t->ncols; c++) {
			size_t i = (size_t)r * t->ncols + c;
			unsigned flags = 0;
			if (align)
				flags = align[map[c]] == 'c' ? TS_T_CENTER
					: align[map[c]] == 'r' ? TS_T_RIGHT : 0;
			ts_text_make(doc, &t->cells[i], &rich[i], style,
				     t->colw[c] - 2 * TS_CELL_PAD, flags);
			ts_rich_release(&rich[i]);
			h = fmax(h, t->cells[i].height);
		}
		t->rowh[r] = h + 2 * TS_CELL_PAD;
	}
	free(rich);
	free(minw);
	free(maxw);
	free(softw);
	free(map);
	g_object_unref(probe);
	return t;
}

void ts_table_free(struct ts_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < (size_t)t->nrows * t->ncols; i++)
		ts_text_release(&t->cells[i]);
	free(t->cells);
	free(t->colw);
	free(t->rowh);
	free(t);
}

double ts_table_row_span(const struct ts_table *t, int row, double cut0, double cut1)
{
	double text = t->rowh[row] - 2 * TS_CELL_PAD;

	if (cut1 < 0 || cut1 > text)
		cut1 = text;
	return cut1 - cut0 + 2 * TS_CELL_PAD;
}

double ts_table_cut(const struct ts_table *t, int row, double cut0, double avail)
{
	double limit = cut0 + avail - 2 * TS_CELL_PAD, cut = INFINITY;

	for (int c = 0; c < t->ncols; c++) {
		const struct ts_text *x = &t->cells[(size_t)row * t->ncols + c];
		for (int i = 0; i < x->nlines; i++) {
			const struct ts_line *ln = &x->lines[i];
			if (ln->top + 0.01 < cut0)
				continue;
			if (ln->top + ln->height > limit + 0.01) {
				cut = fmin(cut, ln->top);
				break;
			}
		}
	}
	if (cut <= cut0 + 0.01)
		cut = limit > cut0 + 1 ? limit : cut0 + 1; /* a line taller than a page */
	return cut;
}

/* Lines of a cell whose top lies in [c0, c1). */
static void cell_range(const struct ts_text *x, double c0, double c1, int *from, int *to)
{
	int i = 0;

	while (i < x->nlines && x->lines[i].top + 0.01 < c0)
		i++;
	*from = i;
	while (i < x->nlines && (c1 < 0 || x->lines[i].top + 0.01 < c1))
		i++;
	*to = i;
}

static void draw_row(cairo_t *cr, const struct ts_table *t, int row, double c0,
		     double c1, double x, double y, double h)
{
	double cx = x;

	if (row == 0 && t->has_head) {
		double w = 0;
		for (int c = 0; c < t->ncols; c++)
			w += t->colw[c];
		cairo_rectangle(cr, x, y, w, h);
		cairo_set_source_rgb(cr, 0.9, 0.92, 0.95);
		cairo_fill(cr);
	}
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (int c = 0; c < t->ncols; c++) {
		const struct ts_text *cell = &t->cells[(size_t)row * t->ncols + c];
		int from, to;
		cell_range(cell, c0, c1, &from, &to);
		if (from < to && t->squeezed) {
			/* Not even one character fits: keep it inside its cell. */
			cairo_save(cr);
			cairo_rectangle(cr, cx, y, t->colw[c], h);
			cairo_clip(cr);
		}
		if (from < to)
			ts_text_draw(cr, cell, from, to, cx + TS_CELL_PAD,
				     y + TS_CELL_PAD + cell->lines[from].top - c0);
		if (from < to && t->squeezed)
			cairo_restore(cr);
		cx += t->colw[c];
	}
	/* The rule under the row. */
	cairo_move_to(cr, x, y + h);
	cairo_line_to(cr, cx, y + h);
	cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
	cairo_set_line_width(cr, 0.5);
	cairo_stroke(cr);
}

void ts_table_draw(cairo_t *cr, const struct ts_block *b, const struct ts_frag *f,
		   double x, double y)
{
	const struct ts_table *t = b->table;
	double top = y, width = 0, cx = x;

	for (int c = 0; c < t->ncols; c++)
		width += t->colw[c];
	if (f->head) {
		draw_row(cr, t, 0, 0, -1, x, y, t->rowh[0]);
		y += t->rowh[0];
	}
	for (int r = f->from; r < f->to; r++) {
		double c0 = r == f->from ? f->cut0 : 0;
		double c1 = r == f->to - 1 ? f->cut1 : -1;
		double h = ts_table_row_span(t, r, c0, c1);
		draw_row(cr, t, r, c0, c1, x, y, h);
		y += h;
	}
	/* Frame and column rules over the whole fragment. */
	cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
	cairo_set_line_width(cr, 0.5);
	for (int c = 0; c < t->ncols; c++) {
		cx += t->colw[c];
		if (c + 1 < t->ncols) {
			cairo_move_to(cr, cx, top);
			cairo_line_to(cr, cx, y);
		}
	}
	cairo_stroke(cr);
	cairo_set_line_width(cr, 0.8);
	cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
	cairo_rectangle(cr, x, top, width, y - top);
	cairo_stroke(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
}
