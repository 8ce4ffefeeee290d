/*
 * typeset_internal: what the typeset_*.c files share. Not for other modules.
 *
 * The typesetter works in three stages over one `struct ts_doc`:
 *
 *   build     (typeset_build.c, with typeset_text.c, typeset_table.c and
 *             typeset_media.c) walks the cmark-gfm tree and turns it into
 *             a flat list of blocks, each measured once: Pango lays out
 *             every paragraph at its final width, images and charts are
 *             loaded and sized, table columns are fitted.
 *   paginate  (typeset_page.c) places the blocks on pages, splitting
 *             paragraphs between lines and tables between rows, and records
 *             where every heading landed. It only moves measured boxes, so
 *             page numbers for the contents cost no second layout.
 *   draw      (typeset_pdf.c) writes the pages with Cairo, the contents
 *             now with real page numbers.
 *
 * Units are PDF points; y grows downwards from the top of the text area
 * (or of the page where so stated).
 */
#ifndef SHOWCASE_TYPESET_INTERNAL_H
#define SHOWCASE_TYPESET_INTERNAL_H

#include <cairo.h>
#include <cmark-gfm.h>
#include <librsvg/rsvg.h>
#include <pango/pangocairo.h>

#include "strmap.h"
#include "typeset.h"

/* A4 and its margins. The text area is the same on left and right pages. */
#define TS_PAGE_W 595.28
#define TS_PAGE_H 841.89
#define TS_MARGIN_TOP 72.0
#define TS_MARGIN_BOTTOM 72.0
#define TS_MARGIN_INNER 64.0
#define TS_MARGIN_OUTER 64.0
#define TS_TEXT_W (TS_PAGE_W - TS_MARGIN_INNER - TS_MARGIN_OUTER)
#define TS_TEXT_H (TS_PAGE_H - TS_MARGIN_TOP - TS_MARGIN_BOTTOM)
/* Two-sided booklets (ts_info.two_sided): the text area moves this far
 * away from the spine, so the inner margin is TS_GUTTER wider than the
 * outer one; the text width stays the same, so nothing is laid out
 * twice. */
#define TS_GUTTER 16.0

/* Lists and quotes indent up to this depth; deeper ones keep the indent
 * of the last level so that text never runs out of width. */
#define TS_MAX_INDENT_DEPTH 6
/* Containers nested deeper than this are printed as one plain paragraph
 * instead of being walked, which bounds the recursion. */
#define TS_MAX_DEPTH 48

/* Width reserved for page numbers in the contents. */
#define TS_TOC_NUMBER_W 36.0
/* Padding inside table cells. */
#define TS_CELL_PAD 4.0

enum ts_style {
	TS_S_BODY,
	TS_S_H1,
	TS_S_H2,
	TS_S_H3,
	TS_S_H4,
	TS_S_CODE,
	TS_S_CAPTION,
	TS_S_NOTE,
	TS_S_CELL,
	TS_S_CELL_HEAD,
	TS_S_TOC_TITLE,
	TS_S_TOC1,
	TS_S_TOC2,
	TS_S_RUNNING,
	TS_S_FOLIO,
	TS_S_COVER_TITLE,
	TS_S_COVER_SUB,
	TS_S_COVER_ORG,
	TS_S_COUNT
};

struct ts_font {
	PangoFontDescription *desc;
	double size;      /* pt */
	double pitch;     /* baseline to baseline of plain lines, pt */
	double plain_h;   /* Pango's logical height of a plain line, pt */
	double plain_asc; /* Pango's ascent of a plain line, pt */
};

/* Layout options of a text. */
enum {
	TS_T_JUSTIFY = 1 << 0,  /* both edges flush, except last lines */
	TS_T_INDENT = 1 << 1,   /* two-character first-line indent */
	TS_T_CENTER = 1 << 2,
	TS_T_RIGHT = 1 << 3,
	TS_T_ELLIPSIZE = 1 << 4 /* one line, cut with "…" */
};

/* One laid-out line; positions relative to the top of its text. */
struct ts_line {
	PangoLayoutLine *line; /* owned by the layout */
	double top, height;    /* the line box */
	double base;           /* baseline, from the top of the text */
	double x;              /* start of the line (indent, alignment) */
};

/* A link on a byte range of a text. */
struct ts_link {
	unsigned start, end;
	char *target; /* external URI, or "#id" for a heading */
};

struct ts_text {
	PangoLayout *layout; /* NULL: no text */
	struct ts_line *lines;
	int nlines;
	struct ts_link *links;
	int nlinks;
	double height; /* sum of the line boxes */
	int style;
};

/* Text with attributes, as built from inlines before layout. */
struct ts_rich {
	GString *text;
	PangoAttrList *attrs;
	struct ts_link *links;
	int nlinks, caplinks;
	int softbreak; /* a soft line break waits for the next character */
};

struct ts_image {
	char *url;
	cairo_surface_t *surface; /* raster; NULL if vector or missing */
	RsvgHandle *svg;          /* vector (SVG images and charts) */
	double w, h;              /* intrinsic size, pt */
};

struct ts_table {
	int ncols, nrows;
	int has_head;           /* row 0 is the header row */
	int squeezed;           /* columns narrower than their widest word: clip cells */
	double *colw;           /* ncols, with padding */
	struct ts_text *cells;  /* nrows * ncols */
	double *rowh;           /* nrows, with padding */
};

enum ts_kind {
	TS_B_TEXT,
	TS_B_RULE,
	TS_B_IMAGE,
	TS_B_CHART,
	TS_B_TABLE,
	TS_B_BREAK,
	TS_B_NUMBERING,
	TS_B_COVER,
};

enum {
	TS_F_BREAK_BEFORE = 1 << 0, /* start a new page */
	TS_F_KEEP_NEXT = 1 << 1,    /* same page as the start of the next */
	TS_F_NO_SPLIT = 1 << 2,
	TS_F_SHADE = 1 << 3,        /* grey background (code) */
	TS_F_SHORT_RULE = 1 << 4,   /* rule above footnotes */
	TS_F_COLOPHON = 1 << 5,     /* BREAK: the 版权页 starts; no running head
				     * or folio from there on */
};

struct ts_block {
	enum ts_kind kind;
	unsigned flags;
	double x, w;          /* from the left of the text area */
	double before, after; /* space around; the larger of two neighbours wins */
	double pad;           /* TEXT: space above the first and below the last line */
	double inset;         /* TEXT: text starts this far right of x */
	double height;        /* whole block with padding (TABLE: all rows) */
	int quote;            /* block quote depth */
	double quote_x[4];    /* where the rules of the first four quote levels go */
	int heading;          /* index into ts_doc.heads, or -1 */
	int toc_target;       /* contents entry: the heading it lists, or -1 */
	struct ts_text text;   /* TEXT; IMAGE and CHART: caption */
	struct ts_text marker; /* list item marker, drawn left of the first line */
	double marker_x;
	struct ts_image *image; /* IMAGE, CHART, COVER; owned by ts_doc.images; NULL: placeholder */
	char *missing;          /* placeholder label */
	double media_w, media_h;
	struct ts_table *table;
};

struct ts_heading {
	int level;
	char *text;     /* plain text */
	char *id; /* a copy of md_heading_id(), owned; may be NULL (the
		   * tree is freed before the pages are drawn) */
	int block;
	int in_toc;  /* listed in the contents */
	int chapter; /* starts a chapter: the running header names it */
	int top;     /* level 1 or 2 at the document level: in the outline and the result */
	int outline; /* has a PDF bookmark (top headings and the contents) */
	int article; /* level 2, a record printed in full (record directive) */
	char *record; /* then its "collection/slug", for page references; owned */
	int page;    /* 0-based physical page, set by pagination (-1: none) */
};

/* A piece of a block on a page. TEXT: lines [from, to). TABLE: rows
 * [from, to), where row `from` starts at cut0 of its cell text (not 0
 * when it continues a row taller than a page) and, when cut1 >= 0, the
 * piece holds that row only, up to cut1. */
struct ts_frag {
	int block;
	double y;     /* top, from the top of the text area */
	double h;
	double space; /* gap to what is above on the page */
	int from, to;
	double cut0, cut1;
	int head; /* TABLE: the header row is repeated on top */
};

struct ts_page {
	size_t first, count; /* frags */
	int number;          /* printed page number, 0: none */
	int roman;           /* front matter: printed as i, ii, …; 0: not */
	int chapter;         /* heading of the running chapter, -1: none */
	int cover;
	int opener;          /* opens a chapter (or the contents): no running head */
	int colophon;        /* the 版权页 (colophon directive): no running head, no folio */
	int blank;           /* left blank so that a chapter starts on a right-hand
			      * page (two-sided): nothing is printed on it */
};

#define TS_VEC(type) struct { type *v; size_t len, cap; }

/* A page reference, "（见第 N 页）", to a record printed in full. */
struct ts_ref {
	char *key; /* "collection/slug"; owned */
	int guess; /* the number printed in this layout (0: none) */
	int found; /* where pagination put the record (0: unnumbered, absent) */
};

struct ts_doc {
	const struct ts_info *info;
	const struct ts_hooks *hooks;
	struct diag *d;
	const char *path; /* for diagnostics: info->source_path, or where the
			   * image or chart being built was written */
	int errors;

	PangoFontMap *fontmap;
	PangoContext *pango;
	struct ts_font fonts[TS_S_COUNT];

	TS_VEC(struct ts_block) blocks;
	TS_VEC(struct ts_heading) heads;
	TS_VEC(struct ts_image *) images;
	TS_VEC(char *) notes; /* footnote labels, in order of first reference */
	int toc_at;           /* block index where the contents go, -1 */
	int figures;          /* numbered chart captions so far (图1, 图2 …) */

	TS_VEC(struct ts_frag) frags;
	TS_VEC(struct ts_page) pages;
	TS_VEC(struct ts_ref) refs; /* page references asked for (typeset_ref.c) */
	/* Indexes, so that looking up a link's or a reference's heading is
	 * not a scan per link: heading index + 1 by id and by record key
	 * (cleared with the layout), ref index + 1 by key. Keys are the
	 * owned strings of heads and refs. */
	struct strmap heads_by_id, heads_by_record, refs_by_key;
	/* What plain text measured and laid out (typeset_cache.c): a
	 * booklet's tables repeat the same few values (一等奖, 优秀, a
	 * county) thousands of times, and running heads repeat on every
	 * page. Owned keys and values; freed with the fonts. */
	struct strmap cell_widths, texts;
	PangoAttrList *no_attrs; /* empty: what plain text's attrs equal */
};

/* Make room for one more element at the end of a TS_VEC and return it,
 * zeroed. */
#define TS_PUSH(vec)                                                        \
	((vec).len == (vec).cap ? ts_grow_((void **)&(vec).v, &(vec).cap,   \
					   sizeof(*(vec).v)) : (void)0,      \
	 memset(&(vec).v[(vec).len], 0, sizeof(*(vec).v)),                  \
	 &(vec).v[(vec).len++])
void ts_grow_(void **v, size_t *cap, size_t size);

/*
 * typeset_cache.c: plain text (attributes none, links none) is measured and
 * laid out once per document and style, width and flags; the results do
 * not depend on anything else. A key is NULL for text that is not plain
 * (and then nothing is cached); the caller owns a key until it passes it
 * to a _put, which takes it.
 */
char *ts_cache_width_key(struct ts_doc *doc, int style, const struct ts_rich *r);
int ts_cache_width_get(struct ts_doc *doc, const char *key, double *minw,
		       double *maxw);
void ts_cache_width_put(struct ts_doc *doc, char *key, double minw, double maxw);
char *ts_cache_text_key(struct ts_doc *doc, const struct ts_rich *r, int style,
			int width, unsigned flags);
/* Fill `t` with a copy of the layout made for `key` (its layout shared,
 * by reference); 0 when there is none. */
int ts_cache_text_get(struct ts_doc *doc, const char *key, struct ts_text *t);
/* Keep a copy of `t` (made without links) under `key`. */
void ts_cache_text_put(struct ts_doc *doc, char *key, const struct ts_text *t);
/* Frees both caches (called by ts_fonts_release). */
void ts_cache_release(struct ts_doc *doc);

/* typeset_text.c */
int ts_fonts_init(struct ts_doc *doc, cairo_surface_t *target);
void ts_fonts_release(struct ts_doc *doc);
void ts_rich_init(struct ts_rich *r);
void ts_rich_release(struct ts_rich *r);
void ts_rich_inline(struct ts_doc *doc, struct ts_rich *r, cmark_node *n);
void ts_rich_plain(struct ts_rich *r, const char *s);
/* Lay out `r` (emptied, its links moved) into `t`, `width` wide. */
void ts_text_make(struct ts_doc *doc, struct ts_text *t, struct ts_rich *r,
		  int style, double width, unsigned flags);
void ts_text_plain(struct ts_doc *doc, struct ts_text *t, const char *s,
		   int style, double width, unsigned flags);
void ts_text_release(struct ts_text *t);
/* Height of lines [from, to). */
double ts_text_span(const struct ts_text *t, int from, int to);
/* Draw lines [from, to) with the top of line `from` at y. */
void ts_text_draw(cairo_t *cr, const struct ts_text *t, int from, int to,
		  double x, double y);
/* Plain text of a node's inlines, white space collapsed (caller frees). */
char *ts_plain_text(cmark_node *n);
/* The number of footnote `n` (a reference or a definition), given in
 * order of first use; a definition and its references share it. */
int ts_note_number(struct ts_doc *doc, cmark_node *n);
/* Logical width of line i. */
double ts_text_line_width(const struct ts_text *t, int i);

/* typeset_punct.c: halve full-width marks (attributes added to `al`) in
 * runs of marks, and opening brackets that start a line of `l` other than
 * a paragraph's first (1 if one was added); `halted` has one byte per
 * byte of the text and notes which marks are halved. */
void ts_punct_compress(PangoAttrList *al, const char *text, char *halted);
int ts_punct_line_starts(PangoLayout *l, const char *text, char *halted);

/* typeset_media.c */
struct ts_image *ts_image_get(struct ts_doc *doc, const char *url,
			      int line, int col);
struct ts_image *ts_chart_get(struct ts_doc *doc, const struct directive *dir);
void ts_image_free(struct ts_image *img);
void ts_media_draw(cairo_t *cr, const struct ts_image *img, double x,
		   double y, double w, double h);
void ts_placeholder_draw(struct ts_doc *doc, cairo_t *cr, const char *label,
			 double x, double y, double w, double h);

/* typeset_table.c */
struct ts_table *ts_table_build(struct ts_doc *doc, cmark_node *table,
				double width);
void ts_table_free(struct ts_table *t);
double ts_table_row_span(const struct ts_table *t, int row, double cut0,
			 double cut1);
/* The cut after cut0 in row `row` that fits `avail` of cell text, at a
 * line boundary of every cell. */
double ts_table_cut(const struct ts_table *t, int row, double cut0,
		    double avail);
void ts_table_draw(cairo_t *cr, const struct ts_block *b,
		   const struct ts_frag *f, double x, double y);

/* typeset_build.c */
int ts_build(struct ts_doc *doc, cmark_node *root);
void ts_block_release(struct ts_block *b);

/* typeset_pdf.c: free everything a document holds */
void ts_doc_release(struct ts_doc *doc);

/* typeset_page.c */
void ts_paginate(struct ts_doc *doc);

/* typeset_ref.c: links to records printed in full (TS_RECORD_LINK)
 * get "（见第 N 页）" after their text. N is only known after pagination, so a document with such links
 * is laid out again with the numbers found, until they hold (at most
 * TS_REF_PASSES layouts). */
#define TS_REF_PASSES 3
/* The page number to print after a link to record `key`: 0 when none is
 * known yet (or it lands on an unnumbered page: then nothing is printed). */
int ts_ref_number(struct ts_doc *doc, const char *key);
/* After pagination: note where each referenced record landed; 1 when
 * every number printed is right (or there are none), else 0 and the
 * numbers found become the next layout's. */
int ts_refs_settle(struct ts_doc *doc);
/* Index the headings of a finished layout by id and by record (the first
 * of each wins); ts_layout_reset() clears the indexes. */
void ts_index_headings(struct ts_doc *doc);
/* The heading of record `key` printed in full, or -1. */
int ts_heading_by_record(const struct ts_doc *doc, const char *key);
/* The heading whose id (md_heading_id()) is `id`, or -1. */
int ts_heading_by_id(const struct ts_doc *doc, const char *id);
/* Free the layout (blocks, headings, notes, pages) for another build;
 * fonts, images and page references stay. */
void ts_layout_reset(struct ts_doc *doc);
void ts_refs_release(struct ts_doc *doc);

/* typeset_qpdf.c */
/* Rewrite the finished PDF in `pdf` in place (a clean cross-reference
 * table, catalog entries from `doc`'s pages); 0, or -1 with the reason
 * appended to `err` and `pdf` untouched. */
int ts_pdf_rewrite(const struct ts_doc *doc, struct buf *pdf, struct buf *err);
/* `n` in lower-case roman numerals into out[size]. */
void ts_roman(int n, char *out, size_t size);

#endif
