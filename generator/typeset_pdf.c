/*
 * typeset_pdf: the typesetter's entry point and its Cairo PDF output.
 *
 * ts_render_pdf() runs the three stages (build, paginate, draw; see
 * typeset_internal.h) against a Cairo PDF surface that writes into
 * memory. Drawing happens after pagination, so the contents already know
 * the page of every heading: that is the "second pass", and it only draws.
 * The contents cannot change length with the numbers it shows, because a
 * fixed column is reserved for them, so one pagination is final.
 *
 * Links use Cairo's tag API with explicit rectangles computed from the
 * Pango lines. Links to headings (the contents, the outline and Markdown
 * links to "#id") go through named destinations ("h<N>"): Cairo 1.16
 * writes a page's annotations when the page ends, and refuses explicit
 * links to pages that do not exist yet, whereas named destinations are
 * resolved in the document's name tree at the end.
 *
 * Cairo 1.16 puts the clock into the PDF only as its default creation
 * date, which ts_info.date replaces; it writes no /ID, and its font subset
 * tags are hashes of the glyphs used, so equal input gives equal bytes.
 */
#include "typeset_internal.h"

#include <cairo-pdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "buf.h"
#include "diag.h"

#if defined(__SANITIZE_ADDRESS__)
#define TS_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TS_LSAN 1
#endif
#endif
#ifdef TS_LSAN
#include <sanitizer/lsan_interface.h>
#endif

/* Baselines of the running header and the page number, from the top. */
#define TS_RUNNING_BASE 50.0
#define TS_RUNNING_RULE 56.0
#define TS_FOLIO_BASE (TS_PAGE_H - 40.0)

struct drawer {
	struct ts_doc *doc;
	cairo_t *cr;
	cairo_surface_t *surface;
	int outline_h1; /* outline id of the last level-1 bookmark */
	double left;    /* left edge of the text area on the page being drawn
			 * (two-sided: away from the spine) */
};

struct sink {
	struct buf bytes;
	int finishing; /* inside cairo_surface_finish() */
};

static cairo_status_t write_cb(void *closure, const unsigned char *data, unsigned int len)
{
	struct sink *out = closure;

#ifdef TS_LSAN
	if (out->finishing)
		__lsan_enable(); /* our buffer stays leak-checked, see finish() */
#endif
	buf_add(&out->bytes, data, len);
#ifdef TS_LSAN
	if (out->finishing)
		__lsan_disable();
#endif
	return CAIRO_STATUS_SUCCESS;
}

/*
 * Cairo 1.16 loses 768 bytes for each CID-keyed CFF font (Noto CJK) that
 * it embeds, inside cairo_surface_finish() (a ten-line program showing one
 * string with cairo_show_text() does too). Under LeakSanitizer, whose fast
 * unwinder cannot see past Cairo's frames to name the culprit, Cairo's own
 * allocations during finish are not tracked; write_cb() turns tracking
 * back on for ours.
 */
static void finish(cairo_surface_t *surface, struct sink *out)
{
	out->finishing = 1;
#ifdef TS_LSAN
	__lsan_disable();
#endif
	cairo_surface_finish(surface);
#ifdef TS_LSAN
	__lsan_enable();
#endif
	out->finishing = 0;
}

/* Locale-independent numbers for Cairo's attribute strings. */
static void put_num(struct buf *b, double v)
{
	char tmp[G_ASCII_DTOSTR_BUF_SIZE];
	buf_puts(b, g_ascii_formatd(tmp, sizeof(tmp), "%.2f", v));
	buf_putc(b, ' ');
}

/* Cairo copies a URI into the PDF between parentheses without escaping:
 * percent-encode everything that is not plainly safe there. */
static void put_uri(struct buf *b, const char *uri)
{
	static const char safe[] = "-._~:/?#[]@!$&*+,;=%";

	for (const unsigned char *p = (const unsigned char *)uri; *p; p++) {
		if (g_ascii_isalnum(*p) || (*p < 0x80 && strchr(safe, *p)))
			buf_putc(b, *p);
		else
			buf_printf(b, "%%%02X", *p);
	}
}

/* "dest='h3'" or "uri='…'" for a link target; 0 when it leads nowhere on
 * paper (a relative URL of the website). */
static int link_target(const struct ts_doc *doc, const char *target, struct buf *attr)
{
	if (!strncmp(target, TS_RECORD_LINK, strlen(TS_RECORD_LINK))) {
		int h = ts_heading_by_record(doc, target + strlen(TS_RECORD_LINK));
		if (h < 0 || doc->heads.v[h].page < 0)
			return 0;
		buf_printf(attr, "dest='h%d'", h);
		return 1;
	}
	if (target[0] == '#') {
		int h = ts_heading_by_id(doc, target + 1);
		if (h < 0 || doc->heads.v[h].page < 0)
			return 0;
		buf_printf(attr, "dest='h%d'", h);
		return 1;
	}
	size_t scheme = strspn(target, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
	if (!scheme || target[scheme] != ':')
		return 0;
	buf_puts(attr, "uri='");
	put_uri(attr, target);
	buf_putc(attr, '\'');
	return 1;
}

static void link_rect(cairo_t *cr, const char *target_attr, double x, double y,
		      double w, double h)
{
	struct buf attr = BUF_INIT;

	buf_puts(&attr, "rect=[");
	put_num(&attr, x);
	put_num(&attr, y);
	put_num(&attr, w);
	put_num(&attr, h);
	buf_printf(&attr, "] %s", target_attr);
	cairo_tag_begin(cr, CAIRO_TAG_LINK, attr.ptr);
	cairo_tag_end(cr, CAIRO_TAG_LINK);
	buf_release(&attr);
}

/* The links of lines [from, to) of a text drawn at (x, y). */
static void draw_links(struct drawer *dr, const struct ts_text *t, int from, int to,
		       double x, double y)
{
	for (int k = 0; k < t->nlinks; k++) {
		const struct ts_link *l = &t->links[k];
		struct buf target = BUF_INIT, attr = BUF_INIT;

		if (!link_target(dr->doc, l->target, &target)) {
			buf_release(&target);
			continue;
		}
		for (int j = from; j < to; j++) {
			const struct ts_line *ln = &t->lines[j];
			int s = ln->line->start_index, e = s + ln->line->length, *ranges, n;
			if ((int)l->end <= s || (int)l->start >= e)
				continue;
			pango_layout_line_get_x_ranges(ln->line, (int)l->start > s ? (int)l->start : s,
						       (int)l->end < e ? (int)l->end : e, &ranges, &n);
			for (int r = 0; r < n; r++) {
				put_num(&attr, x + (double)ranges[2 * r] / PANGO_SCALE);
				put_num(&attr, y + ln->top - t->lines[from].top);
				put_num(&attr, (double)(ranges[2 * r + 1] - ranges[2 * r]) / PANGO_SCALE);
				put_num(&attr, ln->height);
			}
			g_free(ranges);
		}
		if (attr.len) {
			struct buf all = BUF_INIT;
			buf_printf(&all, "rect=[%s] %s", attr.ptr, target.ptr);
			cairo_tag_begin(dr->cr, CAIRO_TAG_LINK, all.ptr);
			cairo_tag_end(dr->cr, CAIRO_TAG_LINK);
			buf_release(&all);
		}
		buf_release(&attr);
		buf_release(&target);
	}
}

static void mark_heading(struct drawer *dr, int h, double x, double y)
{
	struct ts_doc *doc = dr->doc;
	const struct ts_heading *hd = &doc->heads.v[h];
	struct buf attr = BUF_INIT;
	int parent;

	buf_printf(&attr, "name='h%d' x=", h);
	put_num(&attr, x);
	buf_puts(&attr, "y=");
	put_num(&attr, y > 12 ? y - 12 : 0);
	cairo_tag_begin(dr->cr, CAIRO_TAG_DEST, attr.ptr);
	cairo_tag_end(dr->cr, CAIRO_TAG_DEST);
	buf_release(&attr);
	if (!hd->outline)
		return;
	buf_printf(&attr, "dest='h%d'", h);
	parent = hd->level == 1 || dr->outline_h1 < 0 ? CAIRO_PDF_OUTLINE_ROOT : dr->outline_h1;
	int id = cairo_pdf_surface_add_outline(dr->surface, parent, hd->text, attr.ptr,
					       CAIRO_PDF_OUTLINE_FLAG_OPEN);
	if (hd->level == 1)
		dr->outline_h1 = id;
	buf_release(&attr);
}

/* Dot leaders and page number of a contents entry. */
static void draw_toc_entry(struct drawer *dr, const struct ts_block *b,
			   const struct ts_frag *f, double x, double y)
{
	struct ts_doc *doc = dr->doc;
	const struct ts_heading *h = &doc->heads.v[b->toc_target];
	const struct ts_text *t = &b->text;
	int last = t->nlines - 1, number = h->page >= 0 ? doc->pages.v[h->page].number : 0;
	double right = dr->left + TS_TEXT_W, base = y + t->lines[last].base;
	double start = x + t->lines[last].x + ts_text_line_width(t, last) + 6;
	double end = right - TS_TOC_NUMBER_W + 6;
	struct buf target = BUF_INIT;
	char num[16] = "";

	if (number > 0) {
		struct ts_text nt;
		snprintf(num, sizeof(num), "%d", number);
		ts_text_plain(doc, &nt, num, t->style, TS_TOC_NUMBER_W, TS_T_RIGHT);
		end = right - ts_text_line_width(&nt, 0) - 6;
		ts_text_draw(dr->cr, &nt, 0, 1, right - TS_TOC_NUMBER_W, base - nt.lines[0].base);
		ts_text_release(&nt);
	}
	/* Dots on a common grid, so that the leaders of all entries align. */
	for (double dx = ceil((start - dr->left) / 4.5) * 4.5 + dr->left;
	     number > 0 && dx <= end; dx += 4.5) {
		cairo_new_sub_path(dr->cr);
		cairo_arc(dr->cr, dx, base - 2.2, 0.55, 0, 2 * M_PI);
	}
	cairo_fill(dr->cr);
	if (h->page >= 0) {
		buf_printf(&target, "dest='h%d'", b->toc_target);
		link_rect(dr->cr, target.ptr, x, y, right - x, f->h);
	}
	buf_release(&target);
}

static void draw_text_frag(struct drawer *dr, const struct ts_block *b,
			   const struct ts_frag *f, double x, double y)
{
	int shade = (b->flags & TS_F_SHADE) != 0;
	double top = f->from == 0 || shade ? b->pad : 0;

	if (shade) {
		cairo_rectangle(dr->cr, x, y, b->w, f->h);
		cairo_set_source_rgb(dr->cr, 0.95, 0.95, 0.94);
		cairo_fill(dr->cr);
	}
	cairo_set_source_rgb(dr->cr, 0, 0, 0);
	if (b->text.style == TS_S_CAPTION || b->quote)
		cairo_set_source_rgb(dr->cr, 0.2, 0.2, 0.2);
	ts_text_draw(dr->cr, &b->text, f->from, f->to, x + b->inset, y + top);
	cairo_set_source_rgb(dr->cr, 0, 0, 0);
	draw_links(dr, &b->text, f->from, f->to, x + b->inset, y + top);
	if (f->from == 0 && b->heading >= 0)
		mark_heading(dr, b->heading, x, y + top);
	if (b->toc_target >= 0)
		draw_toc_entry(dr, b, f, x, y + top);
}

static void draw_cover(struct drawer *dr, const struct ts_block *b)
{
	struct ts_doc *doc = dr->doc;
	const struct ts_info *info = doc->info;
	double x = dr->left, y = 190;
	struct ts_text t;

	cairo_set_source_rgb(dr->cr, 0.10, 0.24, 0.45);
	cairo_rectangle(dr->cr, 0, 0, TS_PAGE_W, 14);
	cairo_rectangle(dr->cr, x, y - 34, 56, 3);
	cairo_rectangle(dr->cr, 0, TS_PAGE_H - 14, TS_PAGE_W, 14);
	cairo_fill(dr->cr);
	cairo_set_source_rgb(dr->cr, 0.05, 0.1, 0.2);
	if (info->title && *info->title) {
		ts_text_plain(doc, &t, info->title, TS_S_COVER_TITLE, TS_TEXT_W, 0);
		ts_text_draw(dr->cr, &t, 0, t.nlines, x, y);
		y += t.height + 12;
		ts_text_release(&t);
	}
	if (info->subtitle && *info->subtitle) {
		ts_text_plain(doc, &t, info->subtitle, TS_S_COVER_SUB, TS_TEXT_W, 0);
		ts_text_draw(dr->cr, &t, 0, t.nlines, x, y);
		y += t.height;
		ts_text_release(&t);
	}
	if (b->image) {
		double bw = TS_TEXT_W, bh = 300, top = fmax(y + 36, 360);
		double s = fmin(bw / b->image->w, bh / b->image->h);
		ts_media_draw(dr->cr, b->image, x + (bw - b->image->w * s) / 2, top,
			      b->image->w * s, b->image->h * s);
	}
	y = TS_PAGE_H - 150;
	cairo_set_source_rgb(dr->cr, 0.05, 0.1, 0.2);
	if (info->organization && *info->organization) {
		ts_text_plain(doc, &t, info->organization, TS_S_COVER_ORG, TS_TEXT_W, TS_T_CENTER);
		ts_text_draw(dr->cr, &t, 0, t.nlines, x, y);
		y += t.height;
		ts_text_release(&t);
	}
	if (info->year_label && *info->year_label) {
		ts_text_plain(doc, &t, info->year_label, TS_S_COVER_ORG, TS_TEXT_W, TS_T_CENTER);
		ts_text_draw(dr->cr, &t, 0, t.nlines, x, y);
		ts_text_release(&t);
	}
	cairo_set_source_rgb(dr->cr, 0, 0, 0);
}

/* The rules left of quoted blocks; they bridge the gap to the block above
 * when that one is quoted at the same level. */
static void draw_quote_rules(struct drawer *dr, const struct ts_block *b,
			     const struct ts_frag *f, const struct ts_block *above)
{
	for (int k = 0; k < b->quote && k < 4; k++) {
		double top = TS_MARGIN_TOP + f->y;
		if (above && above->quote > k && above->quote_x[k] == b->quote_x[k])
			top -= f->space;
		cairo_move_to(dr->cr, dr->left + b->quote_x[k], top);
		cairo_line_to(dr->cr, dr->left + b->quote_x[k], TS_MARGIN_TOP + f->y + f->h);
	}
	cairo_set_source_rgb(dr->cr, 0.72, 0.76, 0.82);
	cairo_set_line_width(dr->cr, 2);
	cairo_stroke(dr->cr);
	cairo_set_source_rgb(dr->cr, 0, 0, 0);
}

static void draw_frag(struct drawer *dr, const struct ts_frag *f, const struct ts_frag *prev)
{
	struct ts_doc *doc = dr->doc;
	const struct ts_block *b = &doc->blocks.v[f->block];
	double x = dr->left + b->x, y = TS_MARGIN_TOP + f->y;

	if (b->quote)
		draw_quote_rules(dr, b, f, prev ? &doc->blocks.v[prev->block] : NULL);
	if (b->marker.layout && f->from == 0 && f->cut0 == 0) {
		double base = y + b->marker.lines[0].base;
		if (b->kind == TS_B_TEXT && b->text.nlines)
			base = y + b->pad + b->text.lines[0].base;
		ts_text_draw(dr->cr, &b->marker, 0, 1, dr->left + b->marker_x,
			     base - b->marker.lines[0].base);
	}
	switch (b->kind) {
	case TS_B_TEXT:
		draw_text_frag(dr, b, f, x, y);
		break;
	case TS_B_RULE: {
		double from = b->flags & TS_F_SHORT_RULE ? x : x + b->w / 4;
		double to = b->flags & TS_F_SHORT_RULE ? x + b->w / 4 : x + b->w * 3 / 4;
		cairo_move_to(dr->cr, from, y + b->height / 2);
		cairo_line_to(dr->cr, to, y + b->height / 2);
		cairo_set_line_width(dr->cr, 0.6);
		cairo_set_source_rgb(dr->cr, 0.5, 0.5, 0.5);
		cairo_stroke(dr->cr);
		cairo_set_source_rgb(dr->cr, 0, 0, 0);
		break;
	}
	case TS_B_IMAGE:
	case TS_B_CHART: {
		double mx = x + (b->w - b->media_w) / 2;
		if (b->image)
			ts_media_draw(dr->cr, b->image, mx, y, b->media_w, b->media_h);
		else
			ts_placeholder_draw(doc, dr->cr, b->missing, mx, y, b->media_w, b->media_h);
		cairo_set_source_rgb(dr->cr, 0.25, 0.25, 0.25);
		ts_text_draw(dr->cr, &b->text, 0, b->text.nlines, x, y + b->media_h + 4);
		cairo_set_source_rgb(dr->cr, 0, 0, 0);
		break;
	}
	case TS_B_TABLE:
		ts_table_draw(dr->cr, b, f, x, y);
		break;
	case TS_B_COVER:
		draw_cover(dr, b);
		break;
	default:
		break;
	}
}

static void draw_running(struct drawer *dr, const struct ts_page *pg, int head)
{
	struct ts_doc *doc = dr->doc;
	const char *title = doc->info->title;
	struct ts_text t;

	cairo_set_source_rgb(dr->cr, 0.3, 0.3, 0.3);
	if (!head)
		title = NULL;
	if (title && *title) {
		ts_text_plain(doc, &t, title, TS_S_RUNNING, TS_TEXT_W * 0.48, TS_T_ELLIPSIZE);
		ts_text_draw(dr->cr, &t, 0, 1, dr->left, TS_RUNNING_BASE - t.lines[0].base);
		ts_text_release(&t);
	}
	if (head && pg->chapter >= 0) {
		ts_text_plain(doc, &t, doc->heads.v[pg->chapter].text, TS_S_RUNNING,
			      TS_TEXT_W * 0.48, TS_T_ELLIPSIZE | TS_T_RIGHT);
		ts_text_draw(dr->cr, &t, 0, 1, dr->left + TS_TEXT_W * 0.52,
			     TS_RUNNING_BASE - t.lines[0].base);
		ts_text_release(&t);
	}
	if (head) {
		cairo_move_to(dr->cr, dr->left, TS_RUNNING_RULE);
		cairo_line_to(dr->cr, dr->left + TS_TEXT_W, TS_RUNNING_RULE);
		cairo_set_line_width(dr->cr, 0.4);
		cairo_stroke(dr->cr);
	}
	if (pg->number > 0 || pg->roman > 0) {
		char num[32];
		if (pg->roman > 0)
			ts_roman(pg->roman, num, sizeof(num));
		else
			snprintf(num, sizeof(num), "%d", pg->number);
		ts_text_plain(doc, &t, num, TS_S_FOLIO, TS_TEXT_W, TS_T_CENTER);
		ts_text_draw(dr->cr, &t, 0, 1, dr->left, TS_FOLIO_BASE - t.lines[0].base);
		ts_text_release(&t);
	}
	cairo_set_source_rgb(dr->cr, 0, 0, 0);
}

/* Draw every page, releasing each block once the last page that shows a
 * piece of it is out: Cairo has what it needs by then (see
 * release_layout()), so a long booklet's layout shrinks while it is drawn
 * instead of staying whole beside what Cairo accumulates. */
static void draw_pages(struct drawer *dr)
{
	struct ts_doc *doc = dr->doc;
	size_t *last = xcalloc(doc->blocks.len ? doc->blocks.len : 1, sizeof(*last));

	for (size_t p = 0; p < doc->pages.len; p++)
		for (size_t i = 0; i < doc->pages.v[p].count; i++)
			last[doc->frags.v[doc->pages.v[p].first + i].block] = p;
	for (size_t p = 0; p < doc->pages.len; p++) {
		const struct ts_page *pg = &doc->pages.v[p];
		dr->left = TS_MARGIN_INNER;
		if (doc->info->two_sided) /* page p + 1 is right-hand when odd */
			dr->left += p % 2 == 0 ? TS_GUTTER / 2 : -TS_GUTTER / 2;
		/* A blank page shows nothing; a chapter's first page has no
		 * running head, only its folio. */
		if (!pg->cover && !pg->blank && !pg->colophon)
			draw_running(dr, pg, !pg->opener);
		for (size_t i = 0; i < pg->count; i++) {
			const struct ts_frag *f = &doc->frags.v[pg->first + i];
			draw_frag(dr, f, i ? f - 1 : NULL);
		}
		cairo_show_page(dr->cr);
		for (size_t i = 0; i < pg->count; i++) {
			int b = doc->frags.v[pg->first + i].block;
			if (last[b] == p)
				ts_block_release(&doc->blocks.v[b]);
		}
	}
	free(last);
}

static void set_metadata(cairo_surface_t *s, const struct ts_info *info)
{
	time_t t = (time_t)info->date;
	struct tm tm;
	char date[32] = "1970-01-01T00:00:00Z";

	if ((long long)t == info->date && gmtime_r(&t, &tm) && tm.tm_year >= -1900 &&
	    tm.tm_year + 1900 <= 9999)
		strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (info->title)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, info->title);
	if (info->organization)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, info->organization);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "showcase");
	/* Always set: Cairo's default creation date is the clock. */
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
}

static void fill_result(const struct ts_doc *doc, struct ts_result *res)
{
	size_t n = 0;

	res->pages = (int)doc->pages.len;
	res->first_numbered = 0;
	for (size_t p = 0; p < doc->pages.len && !res->first_numbered; p++)
		if (doc->pages.v[p].number == 1)
			res->first_numbered = (int)p + 1;
	for (size_t i = 0; i < doc->heads.len; i++)
		n += doc->heads.v[i].top;
	res->headings = n ? xcalloc(n, sizeof(*res->headings)) : NULL;
	res->nheadings = 0;
	for (size_t i = 0; i < doc->heads.len; i++) {
		const struct ts_heading *h = &doc->heads.v[i];
		struct ts_heading_page *o;
		if (!h->top)
			continue;
		o = &res->headings[res->nheadings++];
		o->level = h->level;
		o->text = xstrdup(h->text);
		o->page = h->page + 1;
		o->number = h->page >= 0 ? doc->pages.v[h->page].number : 0;
	}
}

void ts_result_release(struct ts_result *res)
{
	if (!res)
		return;
	for (size_t i = 0; i < res->nheadings; i++)
		free(res->headings[i].text);
	free(res->headings);
	memset(res, 0, sizeof(*res));
}

/*
 * What only drawing needs: the laid-out blocks (a PangoLayout per
 * paragraph, cell and marker of the whole booklet), the frags that place
 * them and the decoded images. Cairo keeps what it still has to write (the
 * glyphs of the font subsets, the image data) by reference, so these go
 * before cairo_surface_finish() and the qpdf pass, which are the two
 * largest allocations of a booklet: the layout of a 10,000-record year no
 * longer sits beside them (and beside the other thread's booklet).
 */
static void release_layout(struct ts_doc *doc)
{
	for (size_t i = 0; i < doc->blocks.len; i++)
		ts_block_release(&doc->blocks.v[i]);
	free(doc->blocks.v);
	memset(&doc->blocks, 0, sizeof(doc->blocks));
	for (size_t i = 0; i < doc->images.len; i++)
		ts_image_free(doc->images.v[i]);
	free(doc->images.v);
	memset(&doc->images, 0, sizeof(doc->images));
	free(doc->frags.v);
	memset(&doc->frags, 0, sizeof(doc->frags));
}

void ts_doc_release(struct ts_doc *doc)
{
	release_layout(doc);
	for (size_t i = 0; i < doc->heads.len; i++) {
		free(doc->heads.v[i].text);
		free(doc->heads.v[i].record);
		free(doc->heads.v[i].id);
	}
	free(doc->heads.v);
	strmap_release(&doc->heads_by_id);
	strmap_release(&doc->heads_by_record);
	ts_refs_release(doc);
	for (size_t i = 0; i < doc->notes.len; i++)
		free(doc->notes.v[i]);
	free(doc->notes.v);
	free(doc->pages.v);
	ts_fonts_release(doc);
}

int ts_render_pdf(struct cmark_node **rootp, const struct ts_info *info,
		  const struct ts_hooks *hooks, struct buf *pdf_out,
		  struct ts_result *res, struct diag *d)
{
	static const struct ts_info no_info;
	struct ts_doc doc = { 0 };
	struct sink pdf = { BUF_INIT, 0 };
	struct diag scratch;
	struct drawer dr = { .doc = &doc, .outline_h1 = -1 };
	struct cmark_node *root = rootp ? *rootp : NULL;
	cairo_status_t status;
	int rc = 0;

	if (!d) { /* nobody listens: report into the void */
		diag_init(&scratch);
		d = &scratch;
	}
	doc.info = info ? info : &no_info;
	doc.hooks = hooks;
	doc.d = d;
	doc.path = doc.info->source_path ? doc.info->source_path : "report template";
	doc.toc_at = -1;

	dr.surface = cairo_pdf_surface_create_for_stream(write_cb, &pdf, TS_PAGE_W, TS_PAGE_H);
	set_metadata(dr.surface, doc.info);
	ts_fonts_init(&doc, dr.surface);
	ts_build(&doc, root);
	ts_paginate(&doc);
	ts_index_headings(&doc);
	/* Page references: lay out again until the numbers printed are the
	 * pages found (typeset_ref.c). Problems were reported by the first
	 * layout; later ones meet the same and say nothing. */
	for (int pass = 1; pass < TS_REF_PASSES && !ts_refs_settle(&doc); pass++) {
		struct diag quiet;
		int errors = doc.errors;
		diag_init(&quiet);
		doc.d = &quiet;
		ts_layout_reset(&doc);
		ts_build(&doc, root);
		ts_paginate(&doc);
		ts_index_headings(&doc);
		doc.d = d;
		doc.errors = errors;
		diag_release(&quiet);
	}

	if (root) {
		cmark_node_free(root);
		*rootp = NULL;
	}

	dr.cr = cairo_create(dr.surface);
	draw_pages(&dr);
	status = cairo_status(dr.cr);
	cairo_destroy(dr.cr);
	release_layout(&doc);
	finish(dr.surface, &pdf);
	if (status == CAIRO_STATUS_SUCCESS)
		status = cairo_surface_status(dr.surface);
	cairo_surface_destroy(dr.surface);

	if (status == CAIRO_STATUS_SUCCESS) {
		struct buf why = BUF_INIT;
		if (ts_pdf_rewrite(&doc, &pdf.bytes, &why)) {
			diag_fail(d, doc.path, 0, 0, "cannot write the PDF: qpdf: %s", why.ptr);
			rc = -1;
		}
		buf_release(&why);
	}
	if (status != CAIRO_STATUS_SUCCESS) {
		diag_fail(d, doc.path, 0, 0, "cannot write the PDF: %s",
			  cairo_status_to_string(status));
		rc = -1;
	} else if (rc == 0) {
		if (!pdf_out->len) { /* hand the bytes over rather than copy them */
			struct buf empty = *pdf_out;
			*pdf_out = pdf.bytes;
			pdf.bytes = empty;
		} else {
			buf_add(pdf_out, pdf.bytes.ptr, pdf.bytes.len);
		}
		if (doc.errors)
			rc = -1;
	}
	if (res) {
		memset(res, 0, sizeof(*res));
		if (status == CAIRO_STATUS_SUCCESS)
			fill_result(&doc, res);
	}
	buf_release(&pdf.bytes);
	ts_doc_release(&doc);
	if (d == &scratch)
		diag_release(&scratch);
	return rc;
}

void ts_shutdown(void)
{
	pango_cairo_font_map_set_default(NULL); /* librsvg's, on this thread */
	/* Neither FcFini() nor cairo_debug_reset_static_data(): both assert
	 * (and abort) when a font of another thread or of a still-open
	 * document holds their caches, as happened in test_typeset about every
	 * other run. What they would free stays reachable, which leak checkers
	 * do not report. */
}
