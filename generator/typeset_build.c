/*
 * typeset_build: the cmark-gfm tree to a flat list of measured blocks.
 *
 * The walk keeps, for each container it enters, the horizontal extent of
 * the text and what kind of text it is (list item, quote, footnote), and
 * emits one block per paragraph, heading, code block, image, chart, table
 * and rule. Lists become indented blocks with their marker attached to
 * the first block of each item; quotes become indented blocks with a rule
 * at the quote's left. Directive nodes (directive.h) place the cover,
 * the contents, charts and breaks; code blocks are only ever code.
 *
 * Everything that takes time (Pango layout, image decoding, SVG parsing)
 * happens here, once; pagination only moves the measured blocks.
 *
 * Depth is bounded twice: indentation stops growing after
 * TS_MAX_INDENT_DEPTH levels, and a container nested deeper than
 * TS_MAX_DEPTH is printed as one plain paragraph, so that a pathological
 * document cannot exhaust the stack or squeeze text to nothing.
 */
#include "typeset_internal.h"

#include <cmark-gfm-core-extensions.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "diag.h"
#include "directive.h"
#include "markdown.h"

#define TS_QUOTE_INDENT 18.0

struct walk {
	double x, w;
	int quote;
	double quote_x[4];
	int depth;  /* containers entered */
	int indent; /* containers that indented */
	int lists;  /* enclosing lists, for the bullet shape */
	int top;    /* at the document level */
	int item;   /* in a list item or footnote: no first-line indent */
	int note;   /* in a footnote: small type */
};

struct builder {
	struct ts_doc *doc;
	struct ts_text marker; /* waits for the first block of a list item */
	double marker_x;
	int has_marker;
	int notes; /* footnote definitions seen */
	int article;   /* inside a record printed in full (a featured case) */
	int colophon;  /* after the colophon directive: lines set flush left */
	int section[3]; /* its heading numbers at levels 3, 4 and 5 */
};

static void walk_children(struct builder *b, cmark_node *parent, const struct walk *w);

static struct ts_block *new_block(struct builder *b, enum ts_kind kind, const struct walk *w)
{
	struct ts_block *blk = TS_PUSH(b->doc->blocks);

	blk->kind = kind;
	blk->x = w->x;
	blk->w = w->w;
	blk->quote = w->quote;
	memcpy(blk->quote_x, w->quote_x, sizeof(blk->quote_x));
	blk->heading = -1;
	blk->toc_target = -1;
	if (b->has_marker && kind != TS_B_BREAK && kind != TS_B_NUMBERING &&
	    kind != TS_B_COVER) {
		blk->marker = b->marker;
		blk->marker_x = b->marker_x;
		b->has_marker = 0;
		memset(&b->marker, 0, sizeof(b->marker));
	}
	return blk;
}

static void text_block(struct builder *b, struct ts_rich *r, int style,
		       unsigned flags, const struct walk *w)
{
	if (!r->text->len)
		return;
	struct ts_block *blk = new_block(b, TS_B_TEXT, w);
	ts_text_make(b->doc, &blk->text, r, style, w->w, flags);
	blk->height = blk->text.height;
}

/* The image at `url`, with its problems reported at `at` (path NULL: the
 * document's own path). */
static struct ts_image *image_at(struct ts_doc *doc, const char *url,
				 const struct ts_origin *at)
{
	const char *path = doc->path;
	struct ts_image *img;

	if (at->path)
		doc->path = at->path;
	img = ts_image_get(doc, url, (int)at->line, (int)at->col);
	doc->path = path;
	return img;
}

/* Print shops want about TS_PRINT_PPI: say when a photo is spread
 * thinner, where it was named. */
static void check_density(struct ts_doc *doc, const struct ts_image *img,
			  const char *url, double printed_w, const struct ts_origin *at)
{
	int px = img->surface ? cairo_image_surface_get_width(img->surface) : 0;
	double ppi = printed_w > 0 ? px * 72.0 / printed_w : 0;

	if (!px || ppi >= TS_PRINT_PPI - 10) /* "about" 200 */
		return;
	diag_warning(doc->d, at->path ? at->path : doc->path, at->line, at->col,
		     "image '%s' prints at %.0f ppi (%d pixels across %.1f cm); "
		     "use an image of at least %.0f pixels across for print",
		     url, ppi, px, printed_w / 72 * 2.54,
		     ceil(printed_w / 72 * TS_PRINT_PPI));
}

static void image_block(struct builder *b, cmark_node *node, const struct walk *w)
{
	struct ts_doc *doc = b->doc;
	const char *url = cmark_node_get_url(node);
	const char *title = cmark_node_get_title(node);
	const struct ts_origin *origin = cmark_node_get_user_data(node);
	struct ts_origin here = { NULL, (unsigned)cmark_node_get_start_line(node),
				  (unsigned)cmark_node_get_start_column(node), 0 };
	struct ts_image *img = image_at(doc, url ? url : "",
					origin ? origin : &here);
	char *caption = ts_plain_text(node);
	struct ts_block *blk = new_block(b, TS_B_IMAGE, w);

	if (!*caption && title && *title) {
		free(caption);
		caption = xstrdup(title);
	}
	blk->image = img;
	blk->flags = TS_F_NO_SPLIT;
	blk->before = blk->after = 8;
	if (img) {
		double natural = img->surface ? TS_PRINT_PPI : 0, s;
		if (origin && origin->share > 0)
			s = origin->share * w->w / img->w;
		else if (natural > 0) /* pixels at TS_PRINT_PPI */
			s = cairo_image_surface_get_width(img->surface) * 72.0 / natural / img->w;
		else
			s = 1.0;
		s = fmin(s, fmin(w->w / img->w, 0.45 * TS_TEXT_H / img->h));
		blk->media_w = img->w * s;
		blk->media_h = img->h * s;
		check_density(doc, img, url, blk->media_w, origin ? origin : &here);
	} else {
		struct buf label = BUF_INIT;
		buf_printf(&label, "图片缺失：%s", url ? url : "");
		blk->missing = buf_detach(&label, NULL);
		blk->media_w = w->w;
		blk->media_h = 80;
	}
	blk->height = blk->media_h;
	if (*caption) {
		ts_text_plain(doc, &blk->text, caption, TS_S_CAPTION, w->w, TS_T_CENTER);
		blk->height += 4 + blk->text.height;
	}
	free(caption);
}

/* A paragraph; images in it become blocks of their own between its
 * text, since a booklet shows pictures at full width with a caption. */
/* A paragraph ending in a colon of at most this many lines stays with
 * the start of what follows it. */
#define TS_LEAD_IN_LINES 3

static void paragraph(struct builder *b, cmark_node *p, const struct walk *w)
{
	struct ts_rich r;
	int style = w->note ? TS_S_NOTE : TS_S_BODY;
	/* A 版权页 is a column of short lines, not paragraphs of prose. */
	unsigned flags = TS_T_JUSTIFY | (w->item || b->colophon ? 0 : TS_T_INDENT);

	ts_rich_init(&r);
	for (cmark_node *c = cmark_node_first_child(p); c; c = cmark_node_next(c)) {
		if (cmark_node_get_type(c) != CMARK_NODE_IMAGE) {
			ts_rich_inline(b->doc, &r, c);
			continue;
		}
		text_block(b, &r, style, flags, w);
		r.softbreak = 0;
		image_block(b, c, w);
	}
	size_t before = b->doc->blocks.len;
	int lead_in = r.text->len >= 3 && (!strcmp(r.text->str + r.text->len - 3, "：") ||
					    r.text->str[r.text->len - 1] == ':');
	text_block(b, &r, style, flags, w);
	ts_rich_release(&r);
	/* "本年度成果：" introduces what follows: never strand it at a page
	 * foot (a short lead-in only; a long paragraph may still break). */
	if (lead_in && b->doc->blocks.len > before &&
	    b->doc->blocks.v[before].text.nlines <= TS_LEAD_IN_LINES)
		b->doc->blocks.v[before].flags |= TS_F_KEEP_NEXT;
}

/* Does a heading number itself already ("第一步", "（二）", "3. ", "一、")? */
static int numbered_already(const char *t)
{
	static const char *const lead[] = { "第", "（", "(", "一", "二", "三", "四",
					     "五", "六", "七", "八", "九", "十" };
	if (*t >= '0' && *t <= '9')
		return 1;
	for (size_t i = 0; i < sizeof(lead) / sizeof(lead[0]); i++) {
		size_t n = strlen(lead[i]);
		if (!strncmp(t, lead[i], n))
			return i < 3 || strstr(t, "、") != NULL;
	}
	return 0;
}

/* The number of a heading inside a featured case. The book numbers its
 * chapters 一、二、三 (the template writes them); below that, as Chinese
 * documents do: （一）, then 1., then （1）. */
static void section_number(struct builder *b, int level, const char *text,
			   struct ts_rich *r)
{
	static const char *const cn[] = { "", "一", "二", "三", "四", "五",
					   "六", "七", "八", "九", "十" };
	char num[48];
	int k = level - 3, n;

	if (!b->article || k < 0 || k > 2 || numbered_already(text))
		return;
	n = ++b->section[k];
	for (int j = k + 1; j < 3; j++)
		b->section[j] = 0;
	if (k == 0 && n < 100)
		snprintf(num, sizeof(num), "（%s%s%s）", n >= 20 ? cn[n / 10] : "",
			 n >= 10 ? "十" : "", cn[n % 10]);
	else if (k == 1)
		snprintf(num, sizeof(num), "%d. ", n);
	else
		snprintf(num, sizeof(num), "（%d）", n);
	ts_rich_plain(r, num);
}

static void heading(struct builder *b, cmark_node *h, const struct walk *w)
{
	static const int style_of[] = { TS_S_H1, TS_S_H1, TS_S_H2, TS_S_H3 };
	struct ts_doc *doc = b->doc;
	int level = cmark_node_get_heading_level(h);
	int style = level <= 3 ? style_of[level] : TS_S_H4;
	int chapter = level == 1 && w->top;
	struct ts_rich r;
	struct ts_heading *hd;
	struct ts_block *blk;

	if (w->top && level <= 2)
		b->article = 0; /* record_article() says when one starts */
	ts_rich_init(&r);
	if (w->top) {
		char *plain = ts_plain_text(h);
		section_number(b, level, plain, &r);
		free(plain);
	}
	ts_rich_inline(doc, &r, h);
	if (!r.text->len)
		g_string_append(r.text, " "); /* keep an empty heading's place */
	blk = new_block(b, TS_B_TEXT, w);
	ts_text_make(doc, &blk->text, &r, style, w->w, chapter ? TS_T_CENTER : 0);
	ts_rich_release(&r);
	blk->flags = TS_F_KEEP_NEXT | TS_F_NO_SPLIT | (chapter ? TS_F_BREAK_BEFORE : 0);
	if (chapter) {
		blk->pad = 20;
		blk->after = 16;
	} else {
		blk->before = level == 1 ? 18 : level == 2 ? 14 : level == 3 ? 10 : 8;
		blk->after = level <= 2 ? 6 : 4;
	}
	blk->height = blk->text.height + 2 * blk->pad;
	blk->heading = (int)doc->heads.len;

	hd = TS_PUSH(doc->heads);
	hd->level = level;
	hd->text = ts_plain_text(h);
	hd->id = md_heading_id(h) ? xstrdup(md_heading_id(h)) : NULL;
	hd->block = (int)doc->blocks.len - 1;
	hd->in_toc = w->top && level <= 2 && doc->toc_at >= 0;
	hd->chapter = chapter;
	hd->top = hd->outline = w->top && level <= 2;
	hd->page = -1;
}

static void code_block(struct builder *b, const char *text, const struct walk *w)
{
	struct ts_rich r;
	struct ts_block *blk = new_block(b, TS_B_TEXT, w);

	ts_rich_init(&r);
	ts_rich_plain(&r, text ? text : "");
	if (!r.text->len)
		g_string_append(r.text, " ");
	blk->flags = TS_F_SHADE;
	blk->pad = 6;
	blk->inset = 8;
	blk->before = blk->after = 6;
	ts_text_make(b->doc, &blk->text, &r, TS_S_CODE, w->w - 2 * blk->inset, 0);
	blk->height = blk->text.height + 2 * blk->pad;
	ts_rich_release(&r);
}

static void toc_title(struct builder *b, const struct walk *w,
		      const char *title)
{
	struct ts_doc *doc = b->doc;
	struct ts_block *blk = new_block(b, TS_B_TEXT, w);
	struct ts_heading *hd;

	if (!title || !*title)
		title = DIRECTIVE_TOC_TITLE;
	ts_text_plain(doc, &blk->text, title, TS_S_TOC_TITLE, w->w, TS_T_CENTER);
	blk->flags = TS_F_BREAK_BEFORE | TS_F_KEEP_NEXT | TS_F_NO_SPLIT;
	blk->pad = 20;
	blk->after = 16;
	blk->height = blk->text.height + 2 * blk->pad;
	blk->heading = (int)doc->heads.len;
	hd = TS_PUSH(doc->heads);
	hd->level = 1;
	hd->text = xstrdup(title);
	hd->block = (int)doc->blocks.len - 1;
	hd->chapter = 1;
	hd->outline = 1;
	hd->page = -1;
	doc->toc_at = (int)doc->blocks.len;
}

static void chart_block(struct builder *b, const struct directive *dir,
			const struct walk *w)
{
	const char *path = b->doc->path, *title;
	struct ts_image *img;
	struct ts_block *blk;

	b->doc->path = dir->path;
	img = ts_chart_get(b->doc, dir);
	b->doc->path = path;
	blk = new_block(b, TS_B_CHART, w);

	blk->image = img;
	blk->flags = TS_F_NO_SPLIT;
	blk->before = blk->after = 10;
	if (img) {
		double s = fmin(w->w / img->w, 0.6 * TS_TEXT_H / img->h);
		blk->media_w = img->w * s;
		blk->media_h = img->h * s;
	} else {
		struct buf label = BUF_INIT;
		buf_printf(&label, "图表缺失：%s", dir->figure);
		blk->missing = buf_detach(&label, NULL);
		blk->media_w = w->w;
		blk->media_h = 120;
	}
	blk->height = blk->media_h;
	/* A figure number and caption under it, as books do; numbered through
	 * the document, as the print page numbers them (report_html.c). */
	title = b->doc->hooks && b->doc->hooks->caption
		? b->doc->hooks->caption(b->doc->hooks->ctx, dir, b->doc->figures + 1)
		: NULL;
	if (title && *title) {
		b->doc->figures++;
		ts_text_plain(b->doc, &blk->text, title, TS_S_CAPTION, w->w, TS_T_CENTER);
		blk->height += 4 + blk->text.height;
	}
}

/* A directive node. The report checked it (directive_apply); what is
 * not for the typesetter, or a second contents, is left out. */
/*
 * A record directive right after a level-2 heading: that section is a
 * record printed in full (a featured case). It starts a new page, unless
 * it opens its chapter, and it is what the contents list besides the
 * chapters.
 */
static void record_article(struct ts_doc *doc, const struct directive *dir)
{
	struct ts_heading *h;
	struct ts_block *blk;

	if (!doc->heads.len)
		return;
	h = &doc->heads.v[doc->heads.len - 1];
	if (h->level != 2 || !h->top || (size_t)h->block + 1 != doc->blocks.len)
		return;
	h->article = 1;
	if (dir->collection && dir->slug) { /* for page references to it */
		struct buf key = BUF_INIT;
		buf_printf(&key, "%s/%s", dir->collection, dir->slug);
		h->record = buf_detach(&key, NULL);
	}
	blk = &doc->blocks.v[h->block];
	if (h->block == 0 || doc->blocks.v[h->block - 1].heading < 0 ||
	    !doc->heads.v[doc->blocks.v[h->block - 1].heading].chapter)
		blk->flags |= TS_F_BREAK_BEFORE;
}

static void directive(struct builder *b, const struct directive *dir,
		      const struct walk *w)
{
	struct ts_doc *doc = b->doc;
	const struct ts_info *info = doc->info;

	switch (dir->kind) {
	case DIRECTIVE_COVER: {
		struct ts_block *blk = new_block(b, TS_B_COVER, w);
		struct ts_origin at = { dir->path, dir->line, dir->col, 0 };
		if (info->cover_image && *info->cover_image)
			blk->image = image_at(doc, info->cover_image,
					      info->cover_at.path ? &info->cover_at : &at);
		break;
	}
	case DIRECTIVE_TOC:
		if (doc->toc_at < 0)
			toc_title(b, w, dir->title);
		break;
	case DIRECTIVE_PAGEBREAK:
		new_block(b, TS_B_BREAK, w);
		break;
	case DIRECTIVE_COLOPHON:
		new_block(b, TS_B_BREAK, w)->flags |= TS_F_COLOPHON;
		b->colophon = 1;
		break;
	case DIRECTIVE_NUMBERING:
		new_block(b, TS_B_NUMBERING, w);
		break;
	case DIRECTIVE_CHART:
		chart_block(b, dir, w);
		break;
	case DIRECTIVE_RECORD:
		record_article(doc, dir);
		b->article = doc->heads.len && doc->heads.v[doc->heads.len - 1].article;
		memset(b->section, 0, sizeof(b->section));
		break;
	case DIRECTIVE_FIELDS:
	case DIRECTIVE_BODY:
		break;
	}
}

static void indent(struct walk *w, double by)
{
	w->depth++;
	if (w->indent >= TS_MAX_INDENT_DEPTH || w->w - by < 120)
		return;
	w->indent++;
	w->x += by;
	w->w -= by;
}

/* Space around a run of blocks [first, end). */
static void space_around(struct ts_doc *doc, size_t first, double before, double after)
{
	size_t end = doc->blocks.len;

	if (first >= end)
		return;
	doc->blocks.v[first].before = fmax(doc->blocks.v[first].before, before);
	doc->blocks.v[end - 1].after = fmax(doc->blocks.v[end - 1].after, after);
}

static void quote(struct builder *b, cmark_node *q, const struct walk *outer)
{
	struct walk w = *outer;
	size_t first = b->doc->blocks.len;

	if (w.quote < 4)
		w.quote_x[w.quote] = w.x + 4;
	w.quote++;
	w.top = 0;
	indent(&w, TS_QUOTE_INDENT);
	walk_children(b, q, &w);
	space_around(b->doc, first, 6, 6);
}

/* Set the marker of the next list item or footnote: `mark` right-aligned
 * in `width`, shrunk by `scale` around the middle of the em box. */
static void set_marker(struct builder *b, const char *mark, double scale, int style,
		       double x, double width)
{
	struct ts_doc *doc = b->doc;
	struct ts_rich r;

	ts_rich_init(&r);
	ts_rich_plain(&r, mark);
	if (scale != 1) {
		PangoAttribute *a = pango_attr_scale_new(scale);
		a->start_index = 0;
		a->end_index = (guint)r.text->len;
		pango_attr_list_insert(r.attrs, a);
		a = pango_attr_rise_new((int)((1 - scale) * 0.38 * doc->fonts[style].size * PANGO_SCALE));
		a->start_index = 0;
		a->end_index = (guint)r.text->len;
		pango_attr_list_insert(r.attrs, a);
	}
	if (b->has_marker)
		ts_text_release(&b->marker);
	ts_text_make(doc, &b->marker, &r, style, width, TS_T_RIGHT);
	ts_rich_release(&r);
	b->marker_x = x;
	b->has_marker = 1;
}

static void list(struct builder *b, cmark_node *l, const struct walk *outer)
{
	/* Noto CJK's U+2022 is a tiny dot: draw geometric shapes instead. */
	static const char *const bullets[] = { "●", "○", "■" };
	static const double bullet_scale[] = { 0.42, 0.48, 0.36 };
	struct ts_doc *doc = b->doc;
	int ordered = cmark_node_get_list_type(l) == CMARK_ORDERED_LIST;
	int n = cmark_node_get_list_start(l);
	int tight = cmark_node_get_list_tight(l);
	int style = outer->note ? TS_S_NOTE : TS_S_BODY;
	double em = doc->fonts[style].size, by = 2 * em;
	size_t first = doc->blocks.len;
	char mark[32];

	if (ordered) {
		int items = 0;
		for (cmark_node *i = cmark_node_first_child(l); i; i = cmark_node_next(i))
			items++;
		/* Room for the widest number and its delimiter. */
		snprintf(mark, sizeof(mark), "%d", n + items);
		by = fmax(by, (strlen(mark) + 1.5) * em * 0.55 + em * 0.5);
	}
	for (cmark_node *item = cmark_node_first_child(l); item; item = cmark_node_next(item), n++) {
		struct walk w = *outer;
		size_t start = doc->blocks.len;

		double scale = 1;
		if (!strcmp(cmark_node_get_type_string(item), "tasklist")) {
			snprintf(mark, sizeof(mark), "%s",
				 cmark_gfm_extensions_get_tasklist_item_checked(item) ? "■" : "□");
			scale = 0.8;
		} else if (ordered) {
			snprintf(mark, sizeof(mark), "%d%c", n,
				 cmark_node_get_list_delim(l) == CMARK_PAREN_DELIM ? ')' : '.');
		} else {
			snprintf(mark, sizeof(mark), "%s", bullets[outer->lists % 3]);
			scale = bullet_scale[outer->lists % 3];
		}
		w.top = 0;
		w.item = 1;
		w.lists++;
		indent(&w, by);
		/* Past the deepest indent the marker hangs in the parent's gutter. */
		set_marker(b, mark, scale, style, w.x > outer->x ? outer->x : w.x - by,
			   by - em * 0.5);
		walk_children(b, item, &w);
		if (b->has_marker) { /* an empty item still shows its marker */
			struct ts_rich r;
			ts_rich_init(&r);
			g_string_append(r.text, " ");
			text_block(b, &r, style, 0, &w);
			ts_rich_release(&r);
		}
		if (!tight && start > first)
			space_around(doc, start, 4, 0);
	}
	space_around(doc, first, outer->lists ? 2 : 6, outer->lists ? 2 : 6);
}

static void footnote(struct builder *b, cmark_node *def, const struct walk *outer)
{
	struct ts_doc *doc = b->doc;
	struct walk w = *outer;
	char mark[32];

	if (!b->notes++) {
		struct ts_block *rule = new_block(b, TS_B_RULE, outer);
		rule->flags = TS_F_SHORT_RULE | TS_F_KEEP_NEXT;
		rule->before = 14;
		rule->after = 4;
		rule->height = 6;
	}
	snprintf(mark, sizeof(mark), "[%d]", ts_note_number(doc, def));
	w.top = 0;
	w.item = 1;
	w.note = 1;
	indent(&w, 2.5 * doc->fonts[TS_S_NOTE].size);
	set_marker(b, mark, 1, TS_S_NOTE, outer->x,
		   w.x - outer->x - doc->fonts[TS_S_NOTE].size * 0.4);
	walk_children(b, def, &w);
}

static void walk_node(struct builder *b, cmark_node *n, const struct walk *w)
{
	const char *type = cmark_node_get_type_string(n);

	if (w->depth > TS_MAX_DEPTH) {
		struct ts_rich r;
		char *plain = ts_plain_text(n);
		ts_rich_init(&r);
		ts_rich_plain(&r, plain);
		text_block(b, &r, TS_S_BODY, TS_T_JUSTIFY, w);
		ts_rich_release(&r);
		free(plain);
		return;
	}
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_PARAGRAPH:
		paragraph(b, n, w);
		return;
	case CMARK_NODE_HEADING:
		heading(b, n, w);
		return;
	case CMARK_NODE_CODE_BLOCK:
		code_block(b, cmark_node_get_literal(n), w);
		return;
	case CMARK_NODE_CUSTOM_BLOCK:
		if (directive_of(n)) {
			directive(b, directive_of(n), w);
			return;
		}
		break;
	case CMARK_NODE_THEMATIC_BREAK: {
		struct ts_block *blk = new_block(b, TS_B_RULE, w);
		blk->before = blk->after = 6;
		blk->height = 12;
		return;
	}
	case CMARK_NODE_HTML_BLOCK:
		return; /* raw HTML (unsafe mode) has no place on paper */
	case CMARK_NODE_BLOCK_QUOTE:
		quote(b, n, w);
		return;
	case CMARK_NODE_LIST:
		list(b, n, w);
		return;
	case CMARK_NODE_FOOTNOTE_DEFINITION:
		footnote(b, n, w);
		return;
	default:
		break;
	}
	if (!strcmp(type, "table")) {
		struct ts_block *blk = new_block(b, TS_B_TABLE, w);
		struct ts_table *t = ts_table_build(b->doc, n, w->w);
		blk = &b->doc->blocks.v[b->doc->blocks.len - 1];
		blk->table = t;
		blk->before = blk->after = 8;
		for (int r = 0; r < t->nrows; r++)
			blk->height += t->rowh[r];
		return;
	}
	struct walk inner = *w;
	inner.depth++;
	inner.top = 0;
	walk_children(b, n, &inner);
}

static void walk_children(struct builder *b, cmark_node *parent, const struct walk *w)
{
	for (cmark_node *c = cmark_node_first_child(parent); c; c = cmark_node_next(c))
		walk_node(b, c, w);
}

/* Level-2 entries that two pages of contents hold, with the chapters. */
#define TS_TOC_MAX_SECTIONS 60

/* Put the contents entries (and a page break after them) where the `toc`
 * directive was, now that every heading is known. */
static void insert_toc(struct ts_doc *doc)
{
	size_t at = (size_t)doc->toc_at, n = 0, k = 0;
	struct ts_block *entries;
	int articles = 0;

	/* With records printed in full, the contents are the chapters and
	 * those: not every studio and list (that would run ten pages). */
	for (size_t i = 0; i < doc->heads.len; i++) {
		articles |= doc->heads.v[i].article;
		n += doc->heads.v[i].in_toc && doc->heads.v[i].level == 2;
	}
	/* Without them, sections are listed only when two pages hold them. */
	for (size_t i = 0; (articles || n > TS_TOC_MAX_SECTIONS) && i < doc->heads.len; i++)
		if (doc->heads.v[i].level == 2 && !doc->heads.v[i].article)
			doc->heads.v[i].in_toc = 0;
	n = 0;
	for (size_t i = 0; i < doc->heads.len; i++)
		n += doc->heads.v[i].in_toc;
	entries = xcalloc(n + 1, sizeof(*entries));
	for (size_t i = 0; i < doc->heads.len; i++) {
		const struct ts_heading *h = &doc->heads.v[i];
		struct ts_block *e = &entries[k++];
		if (!h->in_toc) {
			k--;
			continue;
		}
		e->kind = TS_B_TEXT;
		e->flags = TS_F_NO_SPLIT;
		e->x = h->level == 1 ? 0 : 2 * doc->fonts[TS_S_TOC2].size;
		e->w = TS_TEXT_W - e->x - TS_TOC_NUMBER_W - 12;
		e->before = h->level == 1 ? 6 : 0;
		e->heading = -1;
		e->toc_target = (int)i;
		ts_text_plain(doc, &e->text, h->text, h->level == 1 ? TS_S_TOC1 : TS_S_TOC2,
			      e->w, 0);
		e->height = e->text.height;
	}
	entries[n].kind = TS_B_BREAK;
	entries[n].heading = entries[n].toc_target = -1;

	while (doc->blocks.cap < doc->blocks.len + n + 1)
		ts_grow_((void **)&doc->blocks.v, &doc->blocks.cap, sizeof(*doc->blocks.v));
	memmove(&doc->blocks.v[at + n + 1], &doc->blocks.v[at],
		(doc->blocks.len - at) * sizeof(*doc->blocks.v));
	memcpy(&doc->blocks.v[at], entries, (n + 1) * sizeof(*entries));
	doc->blocks.len += n + 1;
	for (size_t i = 0; i < doc->heads.len; i++)
		if ((size_t)doc->heads.v[i].block >= at)
			doc->heads.v[i].block += (int)(n + 1);
	free(entries);
}

int ts_build(struct ts_doc *doc, cmark_node *root)
{
	struct builder b = { .doc = doc };
	struct walk w = { .x = 0, .w = TS_TEXT_W, .top = 1 };

	doc->toc_at = -1;
	if (root)
		walk_children(&b, root, &w);
	if (b.has_marker)
		ts_text_release(&b.marker);
	if (doc->toc_at >= 0)
		insert_toc(doc);
	return 0;
}

void ts_block_release(struct ts_block *b)
{
	ts_text_release(&b->text);
	ts_text_release(&b->marker);
	ts_table_free(b->table);
	free(b->missing);
	memset(b, 0, sizeof(*b));
}
