/*
 * typeset_page: pagination, the measured blocks placed on pages.
 *
 * One pass over the blocks, filling the text area of each page from the
 * top. The rules, in the order they are applied:
 *   - a chapter heading, the contents, `pagebreak`, `numbering` and the
 *     cover start a new page (never leaving an empty one behind);
 *   - the space between two blocks is the larger of the two asked for,
 *     and none is left at the top of a page;
 *   - a heading stays on the page of what follows it: the heading (and
 *     any headings right after it) must fit together with the smallest
 *     first piece of the next block, or they all move to the next page;
 *   - a paragraph is split between lines, leaving at least two lines on
 *     each page (no orphan, no widow); one of fewer than four lines moves
 *     whole;
 *   - a table is split between rows, never leaving its header row alone,
 *     and its header row is repeated on top of each continuation; a row
 *     taller than a page is split between lines;
 *   - images, charts and rules move whole.
 * Anything that cannot obey the rules even on an empty page is placed
 * anyway, so the loop always makes progress.
 *
 * Two-sided (ts_info.two_sided), the page after the cover, the contents
 * and each chapter start on a right-hand page: an empty left-hand page is
 * left blank before them (it counts, but shows nothing).
 *
 * Page numbers are assigned here: pages after a `numbering` directive
 * count from 1, the front matter before it counts i, ii, iii (the cover
 * has no number); without the directive every page but the cover is
 * numbered from 1.
 */
#include "typeset_internal.h"

#include <math.h>
#include <string.h>

#define EPS 0.01

struct pager {
	struct ts_doc *doc;
	double y;       /* height used on the current page */
	double after;   /* space the last block wants after it */
	int empty;      /* nothing placed on the current page yet */
	int fresh;      /* the next block starts a new page */
	int pending;    /* the next page is number 1 */
	int number;     /* number of the current page, 0: none */
	int chapter;    /* running chapter heading, -1: none */
	int colophon;   /* after the colophon directive */
};

static struct ts_page *cur(struct pager *p)
{
	return &p->doc->pages.v[p->doc->pages.len - 1];
}

static void new_page(struct pager *p)
{
	struct ts_page *pg = TS_PUSH(p->doc->pages);

	pg->first = p->doc->frags.len;
	pg->chapter = p->chapter;
	pg->colophon = p->colophon;
	if (p->pending) {
		p->number = 1;
		p->pending = 0;
	} else if (p->number > 0) {
		p->number++;
	}
	pg->number = p->number;
	p->y = 0;
	p->after = 0;
	p->empty = 1;
}

static struct ts_frag *place(struct pager *p, int block, double space, double h,
			     int from, int to)
{
	struct ts_frag *f = TS_PUSH(p->doc->frags);

	f->block = block;
	f->space = p->empty ? 0 : space;
	f->y = p->y + f->space;
	f->h = h;
	f->from = from;
	f->to = to;
	f->cut1 = -1;
	p->y = f->y + h;
	p->empty = 0;
	cur(p)->count++;
	return f;
}

/* Height of the smallest piece a block may leave on a page. */
static double min_first(const struct ts_block *b)
{
	switch (b->kind) {
	case TS_B_TEXT:
		if ((b->flags & TS_F_NO_SPLIT) || b->text.nlines < 4)
			return b->height;
		return 2 * b->pad + ts_text_span(&b->text, 0, 2);
	case TS_B_TABLE:
		return b->table->rowh[0] + (b->table->nrows > 1 ? b->table->rowh[1] : 0);
	case TS_B_BREAK:
	case TS_B_NUMBERING:
	case TS_B_COVER:
		return 0;
	default:
		return b->height;
	}
}

static int starts_page(const struct ts_block *b)
{
	return b->kind == TS_B_BREAK || b->kind == TS_B_NUMBERING ||
	       b->kind == TS_B_COVER || (b->flags & TS_F_BREAK_BEFORE);
}

/* Height a block kept with the next needs: itself, the headings chained
 * after it and the first piece of the block that ends the chain. */
static double chain_need(const struct ts_doc *doc, size_t i)
{
	double need = 0;

	for (size_t j = i; j < doc->blocks.len && j < i + 8; j++) {
		const struct ts_block *b = &doc->blocks.v[j];
		if (j > i) {
			if (starts_page(b))
				return need;
			need += fmax(doc->blocks.v[j - 1].after, b->before);
		}
		if (!(b->flags & TS_F_KEEP_NEXT))
			return need + min_first(b);
		need += b->height;
	}
	return need;
}

static void note_heading(struct pager *p, const struct ts_block *b)
{
	struct ts_heading *h = &p->doc->heads.v[b->heading];

	h->page = (int)p->doc->pages.len - 1;
	/* A book prints no running head over a chapter's first page. */
	if (h->chapter && cur(p)->count == 1)
		cur(p)->opener = 1;
	if (h->chapter) {
		p->chapter = b->heading;
		cur(p)->chapter = b->heading;
	}
}

/* Two-sided: does block b start on a right-hand page? The page after the
 * cover and every chapter (and the contents) do. */
static int wants_recto(const struct ts_doc *doc, const struct ts_block *b)
{
	size_t n = doc->pages.len;
	if (n >= 2 && doc->pages.v[n - 2].cover)
		return 1;
	return b->heading >= 0 && doc->heads.v[b->heading].chapter;
}

/* Leave the current, empty page blank and go on to the next. */
static void skip_page(struct pager *p)
{
	struct ts_page *pg = cur(p);
	pg->blank = 1;
	if (pg->number == 1) {
		/* The page meant to be "1" is left blank: the next one is
		 * "1", the blank one belongs to the front matter. */
		pg->number = 0;
		p->number = 0;
		p->pending = 1;
	}
	new_page(p);
}

static void place_text(struct pager *p, int i, double space)
{
	const struct ts_block *b = &p->doc->blocks.v[i];
	const struct ts_text *t = &b->text;
	int n = t->nlines > 0 ? t->nlines : 1, from = 0;
	int shade = (b->flags & TS_F_SHADE) != 0;

	while (from < n) {
		double avail = TS_TEXT_H - p->y - (p->empty ? 0 : space);
		double top = from == 0 || shade ? b->pad : 0, h = 0;
		int k = from;

		if (!t->nlines) {
			h = b->height;
			k = n;
		}
		for (; k < n; k++) {
			double hk = top + ts_text_span(t, from, k + 1) +
				    (k + 1 == n || shade ? b->pad : 0);
			if (hk > avail + EPS)
				break;
			h = hk;
		}
		if (k == n) {
			place(p, i, space, h, from, n);
			if (from == 0 && b->heading >= 0)
				note_heading(p, b);
			return;
		}
		int fit = k - from, rest = n - from, take = 0;
		if (!(b->flags & TS_F_NO_SPLIT) && rest >= 4) {
			take = fit < rest - 2 ? fit : rest - 2;
			if (take < 2)
				take = 0;
		}
		if (!take && !p->empty) {
			new_page(p);
			continue;
		}
		if (!take) /* not even an empty page obeys the rules */
			take = fit > 0 ? fit : 1;
		h = top + ts_text_span(t, from, from + take) + (shade ? b->pad : 0);
		place(p, i, space, h, from, from + take);
		if (from == 0 && b->heading >= 0)
			note_heading(p, b);
		from += take;
		new_page(p);
	}
}

static void place_table(struct pager *p, int i, double space)
{
	const struct ts_table *t = p->doc->blocks.v[i].table;
	double head = t->has_head ? t->rowh[0] : 0, cut0 = 0;
	int r = 0;

	while (r < t->nrows) {
		double avail = TS_TEXT_H - p->y - (p->empty ? 0 : space);
		int repeat = t->has_head && r > 0;
		double used = repeat ? head : 0;
		int k = r;

		for (; k < t->nrows; k++) {
			double h = ts_table_row_span(t, k, k == r ? cut0 : 0, -1);
			if (used + h > avail + EPS)
				break;
			used += h;
		}
		/* A header row alone at the bottom of a page helps nobody; on
		 * an empty page it means that the first row is taller than a
		 * page: split that row below the header. */
		if (r == 0 && k == 1 && t->has_head && t->nrows > 1) {
			k = 0;
			if (p->empty) {
				r = 1;
				repeat = 1;
			}
		}
		if (k > r) {
			struct ts_frag *f = place(p, i, space, used, r, k);
			f->cut0 = cut0;
			f->head = repeat;
			r = k;
			cut0 = 0;
			if (r < t->nrows)
				new_page(p);
			continue;
		}
		if (!p->empty) {
			new_page(p);
			continue;
		}
		/* Row r does not fit on an empty page: show as much as fits. */
		double room = avail - (repeat ? head : 0);
		double c1 = ts_table_cut(t, r, cut0, room);
		double text = t->rowh[r] - 2 * TS_CELL_PAD;
		if (c1 >= text - EPS)
			c1 = -1;
		struct ts_frag *f = place(p, i, space,
					  (repeat ? head : 0) + ts_table_row_span(t, r, cut0, c1),
					  r, r + 1);
		f->cut0 = cut0;
		f->cut1 = c1;
		f->head = repeat;
		if (c1 < 0) {
			r++;
			cut0 = 0;
		} else {
			cut0 = c1;
		}
		if (r < t->nrows)
			new_page(p);
	}
}

void ts_paginate(struct ts_doc *doc)
{
	struct pager p = { .doc = doc, .chapter = -1, .pending = 1, .empty = 1 };

	for (size_t i = 0; i < doc->blocks.len; i++)
		if (doc->blocks.v[i].kind == TS_B_NUMBERING)
			p.pending = 0; /* front matter stays unnumbered */

	for (size_t i = 0; i < doc->blocks.len; i++) {
		struct ts_block *b = &doc->blocks.v[i];
		int have_page = doc->pages.len > 0;
		double space;

		if (b->kind == TS_B_BREAK) {
			if (b->flags & TS_F_COLOPHON)
				p.colophon = 1;
			p.fresh = 1;
			continue;
		}
		if (b->kind == TS_B_NUMBERING) {
			p.pending = 1;
			p.fresh = 1;
			continue;
		}
		if (!have_page || (!p.empty && (p.fresh || (b->flags & TS_F_BREAK_BEFORE) ||
						b->kind == TS_B_COVER)))
			new_page(&p);
		p.fresh = 0;
		/* Physical page n (1-based) is a right-hand page when n is odd. */
		if (doc->info && doc->info->two_sided && p.empty &&
		    b->kind != TS_B_COVER && doc->pages.len % 2 == 0 &&
		    wants_recto(doc, b))
			skip_page(&p);
		space = p.empty ? 0 : fmax(p.after, b->before);

		if (b->kind == TS_B_COVER) {
			struct ts_page *pg = cur(&p);
			pg->cover = 1;
			if (pg->number > 0) { /* the cover is never numbered */
				pg->number = 0;
				if (--p.number == 0)
					p.pending = 1;
			}
			place(&p, (int)i, 0, TS_TEXT_H, 0, 1);
			p.fresh = 1;
			continue;
		}
		if ((b->flags & TS_F_KEEP_NEXT) && !p.empty &&
		    p.y + space + chain_need(doc, i) > TS_TEXT_H + EPS) {
			new_page(&p);
			space = 0;
		}
		switch (b->kind) {
		case TS_B_TEXT:
			place_text(&p, (int)i, space);
			break;
		case TS_B_TABLE:
			place_table(&p, (int)i, space);
			break;
		default:
			if (!p.empty && p.y + space + b->height > TS_TEXT_H + EPS) {
				new_page(&p);
				space = 0;
			}
			place(&p, (int)i, space, fmin(b->height, TS_TEXT_H), 0, 1);
			break;
		}
		p.after = b->after;
	}
	if (!doc->pages.len)
		new_page(&p);
	for (size_t k = 0, roman = 0; k < doc->pages.len && !doc->pages.v[k].number; k++)
		if (!doc->pages.v[k].cover)
			doc->pages.v[k].roman = (int)++roman;
}
