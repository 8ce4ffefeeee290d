/*
 * typeset: lay out a Markdown document (a cmark-gfm tree from md_parse())
 * as a print-ready A4 PDF, with Pango for text and Cairo for the PDF.
 *
 * This is the backend of `showcase report YEAR`: the report command turns
 * the records of a year into one Markdown document and hands the tree
 * here. The result is a booklet: cover, foreword, contents with page
 * numbers, chapters (level-1 headings, each on a new page) with running
 * headers and centred page numbers, tables that continue over pages with
 * their header row repeated, images with captions and vector charts.
 *
 * Directives are directive nodes (directive.h: custom blocks that
 * directive_apply() made from the template's `showcase` blocks) at the
 * top level of the document:
 *
 *   cover        the cover page (title, subtitle, organization, year and
 *                optional image from struct ts_info), unnumbered, no header
 *   toc          the contents (目录): the level-1 headings and the
 *                records printed in full (a level-2 heading followed by a
 *                record directive, which the caller leaves in place for
 *                this), or else every level-2 heading if at most 60; with
 *                dot leaders, page numbers and links
 *   pagebreak    start a new page
 *   numbering    start a new page; pages from there on are numbered from 1
 *                and the pages before it (front matter) i, ii, iii, the
 *                cover excepted; /PageLabels say the same to viewers.
 *                A document without this directive is numbered from its
 *                first page on (the cover excepted).
 *   colophon     start a new page (the 版权页); from there on pages have
 *                no running head and no folio
 *   chart        the SVG that hooks->chart returns for the directive,
 *                drawn as vectors at the text width (smaller if it would
 *                be too tall), with a numbered caption ("图1　…") under it
 *                when hooks->caption gives a title
 *
 * A chapter's first page has no running head; ts_info.two_sided makes a
 * book for printing on both sides (blank pages so that chapters open on
 * the right, a binding gutter).
 *
 * Record directives (fields, body, record) are the caller's to expand;
 * any left are ignored (a record directive still marks the heading before
 * it, above), as is a second toc. The PDF goes through a rewrite pass
 * with libqpdf (typeset_qpdf.c) so that strict checkers find it clean. A fenced code block is printed
 * as code whatever its info string: a `showcase` block that came with a
 * record's body is the record's text, not a directive.
 *
 * Output is deterministic: the same tree, info and hook data give the same
 * bytes (the dates come from ts_info.date, never the clock; cairo 1.16
 * writes no /ID and derives font subset names from the glyphs used).
 *
 * Thread safety: ts_render_pdf() may run on several threads at once, each
 * with its own document; every call builds its own Pango font map and
 * Cairo surface. The hooks are called on the calling thread.
 */
#ifndef SHOWCASE_TYPESET_H
#define SHOWCASE_TYPESET_H

#include <stddef.h>

struct buf;
struct cmark_node;
struct diag;
struct directive;

/*
 * Where something in the document was written, for diagnostics. A caller
 * that splices text from other files into the document (a record's body
 * into the booklet) may set a struct ts_origin as the user data of each
 * image node (cmark_node_set_user_data; the typesetter reads it and never
 * frees it): problems with the image are then reported there instead of
 * at the node's own line in ts_info.source_path.
 */
struct ts_origin {
	const char *path;
	unsigned line, col;
	/* Print the image at this share of the text width (a record's cover
	 * photo under its title: 0.5), with a warning when a raster image
	 * would print below TS_PRINT_PPI; 0: its natural size. */
	double share;
};

/*
 * A link whose URL is TS_RECORD_LINK "collection/slug" (as the caller's
 * resolver writes it) leads to a record printed in full in the document,
 * the level-2 heading before a record directive naming it: the link goes
 * to that heading, and "（见第 N 页）" with its page number follows the
 * link's text (part of the link). The document is laid out again until
 * the numbers hold. When the record is not there, or on an unnumbered
 * page, the text is printed alone, as a link to nothing.
 */
#define TS_RECORD_LINK "#record:"

/* Raster images print at this density at most, and a warning names those
 * that a fixed width spreads thinner. */
#define TS_PRINT_PPI 200.0

struct ts_info {
	const char *title;        /* PDF title, running header, cover */
	const char *subtitle;     /* cover; may be NULL */
	const char *organization; /* cover and PDF author; may be NULL */
	const char *year_label;   /* cover, printed as given ("2024年度"); may be NULL */
	long long date;           /* PDF creation and modification date, seconds since the epoch (UTC) */
	const char *cover_image;  /* image for the cover, loaded through hooks->image; may be NULL */
	struct ts_origin cover_at; /* where cover_image was given; path NULL: at the cover directive */
	const char *source_path;  /* path named in diagnostics; NULL: "report template" */
	/* Largest raster image decoded, in pixels, read from the image's
	 * header before decoding (media_image_header()); 0: MEDIA_MAX_PIXELS */
	unsigned long long max_pixels;
	/* Printed on both sides (site.yaml reports.two_sided): a blank page
	 * after the cover, the contents and every chapter on a right-hand
	 * (odd) page, blank pages left without running head or folio, and
	 * the text area moved away from the binding (TS_GUTTER). */
	int two_sided;
	/* "en": a reference to a printed record reads " (see page 12)",
	 * not "（见第 12 页）". */
	const char *language;
};

/*
 * How the typesetter reaches images and charts. Each hook appends the
 * bytes to the empty buffer it is given and returns 0, or returns -1 when
 * there is no such thing (the typesetter then reports an error and draws a
 * placeholder). A NULL hook behaves as one that always returns -1.
 */
struct ts_hooks {
	/* An image named by a Markdown image node (its URL as in the tree) or
	 * by ts_info.cover_image: JPEG, PNG, GIF, WebP (of an animation, the
	 * first frame) or SVG bytes. */
	int (*image)(void *ctx, const char *url, struct buf *bytes);
	/* The SVG of the chart a chart directive asks for. */
	int (*chart)(void *ctx, const struct directive *dir, struct buf *svg);
	void *ctx;
	/* The caption printed under the chart a chart directive asks for,
	 * given its figure number (the captioned charts of a document are
	 * numbered in order from 1): "图1　培训项目（按级别）". The string must
	 * live as long as the call to ts_render_pdf(). NULL hook or NULL
	 * result: no caption, and the number is not used. */
	const char *(*caption)(void *ctx, const struct directive *dir, int number);
};

/* Where a level-1 or level-2 heading of the document level landed. */
struct ts_heading_page {
	int level;   /* 1 or 2 */
	char *text;  /* plain text of the heading; owned */
	int page;    /* physical page, 1-based */
	int number;  /* page number printed on that page, 0 when unnumbered */
};

struct ts_result {
	int pages;          /* physical pages in the PDF */
	int first_numbered; /* physical page printed as "1", 0 when none is */
	struct ts_heading_page *headings; /* document order; owned */
	size_t nheadings;
};

#define TS_RESULT_INIT { 0, 0, NULL, 0 }

/* Free what a result owns and leave it as TS_RESULT_INIT. */
void ts_result_release(struct ts_result *res);

/*
 * Typeset `*doc` (from md_parse(); `doc` or `*doc` NULL: an empty document) and append the
 * PDF to `pdf_out`. The call takes the tree: it frees it once the pages
 * are laid out, before they are drawn, and sets `*doc` to NULL (drawing
 * is a booklet's peak of memory, and nothing laid out points into the
 * tree). `info` and `hooks` may be
 * NULL (no title, no images, no charts). `res` may be NULL; otherwise it
 * is filled (release it with ts_result_release()). `d` may be NULL to
 * discard the diagnostics.
 *
 * Content problems (missing or unreadable images and charts) are reported
 * to `d` as errors and the PDF is still complete,
 * with placeholders; the call then returns -1. When Cairo cannot produce
 * the PDF at all, a system error is reported, nothing is appended and -1
 * is returned. Returns 0 when nothing was reported.
 */
int ts_render_pdf(struct cmark_node **doc, const struct ts_info *info,
		  const struct ts_hooks *hooks, struct buf *pdf_out,
		  struct ts_result *res, struct diag *d);

/*
 * Free the process-wide caches that typesetting fills in Pango (the
 * per-thread default font map librsvg uses) and Cairo, so that a leak
 * checker sees a clean exit. For tests; the binary does not call it.
 * Optional; call it at most once, at exit, when no thread typesets any more.
 */
void ts_shutdown(void);

#endif
