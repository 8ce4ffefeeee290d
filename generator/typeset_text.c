/*
 * typeset_text: fonts, inline markup and paragraph layout for the
 * typesetter.
 *
 * Inlines of the cmark-gfm tree become one UTF-8 string plus a Pango
 * attribute list (italic, bold, strikethrough, code font, links)
 * built directly, not through Pango markup: the byte offsets of links
 * then stay exact for the clickable areas and no text ever needs escaping.
 *
 * Pango breaks the lines (UAX #14), and this file adds what Chinese
 * typesetting needs on top:
 *   - no line may start with closing punctuation (。，、；：？！）》」』】…”)
 *     nor end with opening punctuation (（《「『【“); Pango allows both
 *     around quotation marks next to spaces and when it has to break a
 *     too-long word, so every layout is checked and the offending pair is
 *     glued with an allow-breaks=false attribute, then laid out again;
 *   - justification spreads the free space over every gap between
 *     characters, three times as much into spaces. Pango's own justify
 *     stretches only the spaces when a line has any, which tears a
 *     Chinese line with one embedded English word apart;
 *   - a soft line break between two Chinese characters disappears instead
 *     of becoming a space;
 *   - lines sit on a fixed pitch (1.6 × the font size for body text) with
 *     the ideographic em box centred in the line, rather than on the
 *     font's tall ascent and descent; a line with taller content grows.
 */
#include "typeset_internal.h"

#include "markdown.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "diag.h"

#define PT(v) ((double)(v) / PANGO_SCALE)
#define PU(v) ((int)lround((v) * PANGO_SCALE))

static const struct {
	const char *family;
	double size, pitch;
	PangoWeight weight;
} styles[TS_S_COUNT] = {
	[TS_S_BODY] = { "Noto Serif CJK SC", 10.5, 1.6, PANGO_WEIGHT_NORMAL },
	[TS_S_H1] = { "Noto Sans CJK SC", 20, 1.4, PANGO_WEIGHT_BOLD },
	[TS_S_H2] = { "Noto Sans CJK SC", 14, 1.45, PANGO_WEIGHT_BOLD },
	[TS_S_H3] = { "Noto Sans CJK SC", 12, 1.5, PANGO_WEIGHT_NORMAL },
	[TS_S_H4] = { "Noto Sans CJK SC", 10.5, 1.6, PANGO_WEIGHT_NORMAL },
	[TS_S_CODE] = { "Noto Sans Mono CJK SC", 9, 1.5, PANGO_WEIGHT_NORMAL },
	[TS_S_CAPTION] = { "Noto Serif CJK SC", 9, 1.5, PANGO_WEIGHT_NORMAL },
	[TS_S_NOTE] = { "Noto Serif CJK SC", 9, 1.55, PANGO_WEIGHT_NORMAL },
	[TS_S_CELL] = { "Noto Serif CJK SC", 9.5, 1.45, PANGO_WEIGHT_NORMAL },
	[TS_S_CELL_HEAD] = { "Noto Sans CJK SC", 9.5, 1.45, PANGO_WEIGHT_BOLD },
	[TS_S_TOC_TITLE] = { "Noto Sans CJK SC", 20, 1.4, PANGO_WEIGHT_BOLD },
	[TS_S_TOC1] = { "Noto Sans CJK SC", 11, 1.7, PANGO_WEIGHT_BOLD },
	[TS_S_TOC2] = { "Noto Serif CJK SC", 10.5, 1.6, PANGO_WEIGHT_NORMAL },
	[TS_S_RUNNING] = { "Noto Sans CJK SC", 8.5, 1.3, PANGO_WEIGHT_NORMAL },
	[TS_S_FOLIO] = { "Noto Serif CJK SC", 9, 1.3, PANGO_WEIGHT_NORMAL },
	[TS_S_COVER_TITLE] = { "Noto Sans CJK SC", 28, 1.35, PANGO_WEIGHT_BOLD },
	[TS_S_COVER_SUB] = { "Noto Sans CJK SC", 16, 1.4, PANGO_WEIGHT_NORMAL },
	[TS_S_COVER_ORG] = { "Noto Sans CJK SC", 14, 1.5, PANGO_WEIGHT_NORMAL },
};

/* Where the baseline sits in a plain line box: the ideographic em box
 * spans 0.88 em above to 0.12 em below the baseline in Noto CJK, so this
 * centres it. */
#define TS_EM_CENTRE 0.38

void ts_grow_(void **v, size_t *cap, size_t size)
{
	*cap = *cap ? st_mult(*cap, 2) : 16;
	*v = xrealloc(*v, st_mult(*cap, size));
}

/* ---- fonts -------------------------------------------------------------- */

static void measure_plain(struct ts_doc *doc, struct ts_font *f)
{
	PangoLayout *l = pango_layout_new(doc->pango);
	PangoLayoutIter *it;
	PangoRectangle log;

	pango_layout_set_font_description(l, f->desc);
	pango_layout_set_text(l, "国Ag", -1);
	it = pango_layout_get_iter(l);
	pango_layout_iter_get_line_extents(it, NULL, &log);
	f->plain_h = PT(log.height);
	f->plain_asc = PT(pango_layout_iter_get_baseline(it) - log.y);
	pango_layout_iter_free(it);
	g_object_unref(l);
}

/* Warn once per family that fontconfig replaces by something else: the
 * booklet would still come out, in the wrong typeface. */
static void check_family(struct ts_doc *doc, const PangoFontDescription *desc)
{
	PangoFont *font = pango_font_map_load_font(doc->fontmap, doc->pango, desc);
	PangoFontDescription *got;
	const char *want = pango_font_description_get_family(desc);

	if (!font) {
		diag_report(doc->d, DIAG_WARNING, DIAG_SYSTEM, NULL, 0, 0,
			    "font '%s' is not available; install fonts-noto-cjk", want);
		return;
	}
	got = pango_font_describe(font);
	if (g_ascii_strcasecmp(pango_font_description_get_family(got), want))
		diag_report(doc->d, DIAG_WARNING, DIAG_SYSTEM, NULL, 0, 0,
			    "font '%s' is not installed, '%s' is used instead; "
			    "install fonts-noto-cjk", want,
			    pango_font_description_get_family(got));
	pango_font_description_free(got);
	g_object_unref(font);
}

int ts_fonts_init(struct ts_doc *doc, cairo_surface_t *target)
{
	cairo_font_options_t *fo = cairo_font_options_create();

	/* A font map of our own: the default one is per thread and lives
	 * until exit, and measuring must use the PDF surface's font options
	 * (no hinting), or the text would not fit the widths measured. */
	doc->fontmap = pango_cairo_font_map_new();
	doc->pango = pango_font_map_create_context(doc->fontmap);
	cairo_surface_get_font_options(target, fo);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(doc->pango, fo);
	cairo_font_options_destroy(fo);
	/* One Pango unit of size is then one point of the PDF. */
	pango_cairo_context_set_resolution(doc->pango, 72.0);
	pango_context_set_language(doc->pango, pango_language_from_string("zh-cn"));

	for (int i = 0; i < TS_S_COUNT; i++) {
		struct ts_font *f = &doc->fonts[i];
		f->desc = pango_font_description_new();
		pango_font_description_set_family_static(f->desc, styles[i].family);
		pango_font_description_set_size(f->desc, PU(styles[i].size));
		pango_font_description_set_weight(f->desc, styles[i].weight);
		f->size = styles[i].size;
		f->pitch = styles[i].size * styles[i].pitch;
		measure_plain(doc, f);
	}
	check_family(doc, doc->fonts[TS_S_BODY].desc);
	check_family(doc, doc->fonts[TS_S_H1].desc);
	check_family(doc, doc->fonts[TS_S_CODE].desc);
	return 0;
}

void ts_fonts_release(struct ts_doc *doc)
{
	ts_cache_release(doc);
	for (int i = 0; i < TS_S_COUNT; i++) {
		if (doc->fonts[i].desc)
			pango_font_description_free(doc->fonts[i].desc);
		doc->fonts[i].desc = NULL;
	}
	if (doc->pango)
		g_object_unref(doc->pango);
	if (doc->fontmap)
		g_object_unref(doc->fontmap);
	doc->pango = NULL;
	doc->fontmap = NULL;
}

/* ---- rich text from inlines --------------------------------------------- */

void ts_rich_init(struct ts_rich *r)
{
	memset(r, 0, sizeof(*r));
	r->text = g_string_new(NULL);
	r->attrs = pango_attr_list_new();
}

void ts_rich_release(struct ts_rich *r)
{
	for (int i = 0; i < r->nlinks; i++)
		free(r->links[i].target);
	free(r->links);
	if (r->text)
		g_string_free(r->text, TRUE);
	if (r->attrs)
		pango_attr_list_unref(r->attrs);
	memset(r, 0, sizeof(*r));
}

static int is_wide(gunichar c)
{
	return g_unichar_iswide_cjk(c) && !g_unichar_isspace(c);
}

/* Settle a pending soft break before text starting with `next`: Chinese
 * lines are joined without a space, as a Chinese reader wrote them. */
static void rich_settle(struct ts_rich *r, const char *next)
{
	if (!r->softbreak || !*next)
		return;
	r->softbreak = 0;
	if (!r->text->len)
		return;
	const char *end = r->text->str + r->text->len;
	gunichar prev = g_utf8_get_char(g_utf8_find_prev_char(r->text->str, end));
	gunichar c = g_utf8_get_char(next);
	if (!(is_wide(prev) && is_wide(c)) && prev != ' ' && c != ' ')
		g_string_append_c(r->text, ' ');
}

static void rich_add(struct ts_rich *r, const char *s, size_t len)
{
	if (!len)
		return;
	rich_settle(r, s);
	g_string_append_len(r->text, s, (gssize)len);
}

void ts_rich_plain(struct ts_rich *r, const char *s)
{
	rich_add(r, s, strlen(s));
}

static void add_attr(struct ts_rich *r, PangoAttribute *a, size_t start)
{
	a->start_index = (guint)start;
	a->end_index = (guint)r->text->len;
	if (a->start_index == a->end_index) {
		pango_attribute_destroy(a);
		return;
	}
	pango_attr_list_insert(r->attrs, a);
}

int ts_note_number(struct ts_doc *doc, cmark_node *n)
{
	char key[64];
	const char *lit;

	/* Keyed by the definition: the labels (and cmark-gfm's numbers) of
	 * bodies printed one after another repeat. */
	if (cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_REFERENCE && md_footnote_def(n))
		n = md_footnote_def(n);
	if (cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_DEFINITION)
		snprintf(key, sizeof(key), "def %p", (void *)n);
	else
		snprintf(key, sizeof(key), "ref %s", (lit = cmark_node_get_literal(n)) ? lit : "");
	for (size_t i = 0; i < doc->notes.len; i++)
		if (!strcmp(doc->notes.v[i], key))
			return (int)i + 1;
	*TS_PUSH(doc->notes) = xstrdup(key);
	return (int)doc->notes.len;
}

void ts_rich_inline(struct ts_doc *doc, struct ts_rich *r, cmark_node *n)
{
	cmark_iter *it = cmark_iter_new(n);
	cmark_event_type ev;
	size_t *stack = NULL, depth = 0, cap = 0;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *c = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(c);
		const char *lit = cmark_node_get_literal(c);
		size_t start;

		if (ev != CMARK_EVENT_ENTER && ev != CMARK_EVENT_EXIT)
			continue;
		/* Leaves come once, as ENTER; guard against an EXIT anyway
		 * (cmark-gfm gives footnote references both). */
		if (ev == CMARK_EVENT_EXIT &&
		    (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE ||
		     type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK ||
		     type == CMARK_NODE_FOOTNOTE_REFERENCE))
			continue;
		switch (type) {
		case CMARK_NODE_TEXT:
			if (lit)
				rich_add(r, lit, strlen(lit));
			continue;
		case CMARK_NODE_CODE:
			if (!lit || !*lit)
				continue;
			rich_settle(r, lit);
			start = r->text->len;
			rich_add(r, lit, strlen(lit));
			add_attr(r, pango_attr_family_new("Noto Sans Mono CJK SC"), start);
			add_attr(r, pango_attr_scale_new(0.9), start);
			add_attr(r, pango_attr_foreground_new(0x8000, 0x2800, 0x1800), start);
			continue;
		case CMARK_NODE_SOFTBREAK:
			r->softbreak = 1;
			continue;
		case CMARK_NODE_LINEBREAK:
			r->softbreak = 0;
			/* U+2028 breaks the line without starting a new Pango
			 * paragraph, so the first-line indent is not repeated. */
			g_string_append(r->text, "\u2028");
			continue;
		case CMARK_NODE_FOOTNOTE_REFERENCE: {
			char num[32];
			snprintf(num, sizeof(num), "[%d]", ts_note_number(doc, c));
			rich_settle(r, num);
			start = r->text->len;
			rich_add(r, num, strlen(num));
			add_attr(r, pango_attr_scale_new(0.7), start);
			add_attr(r, pango_attr_rise_new(PU(3.5)), start);
			continue;
		}
		default:
			break;
		}
		if (type != CMARK_NODE_EMPH && type != CMARK_NODE_STRONG &&
		    type != CMARK_NODE_LINK && type != CMARK_NODE_IMAGE &&
		    strcmp(cmark_node_get_type_string(c), "strikethrough"))
			continue; /* raw HTML (unsafe mode) is not printed */
		if (ev == CMARK_EVENT_ENTER) {
			if (depth == cap) {
				cap = cap ? st_mult(cap, 2) : 16;
				stack = xrealloc(stack, st_mult(cap, sizeof(*stack)));
			}
			stack[depth++] = r->text->len;
			continue;
		}
		if (!depth)
			continue; /* the EXIT of `n` itself when n is such a node */
		start = stack[--depth];
		if (type == CMARK_NODE_EMPH) {
			add_attr(r, pango_attr_style_new(PANGO_STYLE_ITALIC), start);
		} else if (type == CMARK_NODE_STRONG) {
			add_attr(r, pango_attr_weight_new(PANGO_WEIGHT_BOLD), start);
		} else if (type == CMARK_NODE_LINK) {
			const char *url = cmark_node_get_url(c);
			if (!url || !*url || start == r->text->len)
				continue;
			/* A record printed in the booklet: say where, and the
			 * reference is part of the link. */
			if (!strncmp(url, TS_RECORD_LINK, strlen(TS_RECORD_LINK))) {
				int page = ts_ref_number(doc, url + strlen(TS_RECORD_LINK));
				char ref[64];
				if (page > 0) {
					if (doc->info->language &&
					    !strcmp(doc->info->language, "en"))
						snprintf(ref, sizeof(ref), " (see page %d)", page);
					else
						snprintf(ref, sizeof(ref), "（见第 %d 页）", page);
					rich_add(r, ref, strlen(ref));
				}
			}
			/* Black on paper: a reader cannot click it, and colour
			 * costs a print run a plate. The PDF keeps the link. */
			if (r->nlinks == r->caplinks) {
				r->caplinks = r->caplinks ? r->caplinks * 2 : 4;
				r->links = xrealloc(r->links, st_mult((size_t)r->caplinks,
								      sizeof(*r->links)));
			}
			r->links[r->nlinks].start = (unsigned)start;
			r->links[r->nlinks].end = (unsigned)r->text->len;
			r->links[r->nlinks].target = xstrdup(url);
			r->nlinks++;
		} else if (type != CMARK_NODE_IMAGE) {
			add_attr(r, pango_attr_strikethrough_new(TRUE), start);
		}
	}
	free(stack);
	cmark_iter_free(it);
}

char *ts_plain_text(cmark_node *n)
{
	GString *s = g_string_new(NULL);
	cmark_iter *it = cmark_iter_new(n);
	cmark_event_type ev;
	int space = 0;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *c = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(c);
		const char *lit;

		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK) {
			space = 1;
			continue;
		}
		if (type != CMARK_NODE_TEXT && type != CMARK_NODE_CODE)
			continue;
		for (lit = cmark_node_get_literal(c); lit && *lit; lit++) {
			if (strchr(" \t\r\n", *lit)) {
				space = 1;
				continue;
			}
			if (space && s->len)
				g_string_append_c(s, ' ');
			space = 0;
			g_string_append_c(s, *lit);
		}
	}
	cmark_iter_free(it);
	char *out = xstrdup(s->str);
	g_string_free(s, TRUE);
	return out;
}

/* ---- line breaking and justification ------------------------------------- */

static int forbidden_start(gunichar c)
{
	static const gunichar set[] = {
		0x3002, 0xFF0C, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, 0xFF09,
		0x300B, 0x300D, 0x300F, 0x3011, 0x2026, 0x201D, 0x2019, 0x3009,
		0x3015, 0x3017, 0xFF0E, 0x00B7, 0x30FB, 0xFF5E, 0x2025, 0xFF3D,
		0xFF5D, ',', '.', ';', ':', '?', '!', ')', ']', '}', '%',
	};
	for (size_t i = 0; i < sizeof(set) / sizeof(*set); i++)
		if (set[i] == c)
			return 1;
	return 0;
}

static int forbidden_end(gunichar c)
{
	static const gunichar set[] = {
		0xFF08, 0x300A, 0x300C, 0x300E, 0x3010, 0x201C, 0x2018, 0x3008,
		0x3014, 0x3016, 0xFF3B, 0xFF5B, '(', '[', '{',
	};
	for (size_t i = 0; i < sizeof(set) / sizeof(*set); i++)
		if (set[i] == c)
			return 1;
	return 0;
}

/*
 * 孤字: a paragraph whose last line holds one character (and its mark)
 * looks like a mistake. Glue the last character of the line above to it,
 * so that Pango carries that one down too and the last line has two (the
 * line above is justified a little looser). 1 if it did.
 */
static int avoid_lone_last(PangoLayout *l, const char *text)
{
	int n = pango_layout_get_line_count(l), chars = 0, letters = 0;
	PangoLayoutLine *last, *prev;
	const char *s, *e, *p;

	if (n < 2)
		return 0;
	last = pango_layout_get_line_readonly(l, n - 1);
	prev = pango_layout_get_line_readonly(l, n - 2);
	if (pango_layout_line_is_paragraph_start(last) || prev->length < 12)
		return 0;
	s = text + last->start_index;
	e = s + last->length;
	for (p = s; p < e; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_isspace(c))
			continue;
		chars++;
		letters += !g_unichar_ispunct(c);
	}
	if (letters != 1 || chars > 3 || g_unichar_ispunct(g_utf8_get_char(s)))
		return 0;
	p = text + prev->start_index + prev->length;
	if (prev->length >= 3 && !memcmp(p - 3, "\u2028", 3))
		return 0; /* a hard break: the author's */
	p = g_utf8_prev_char(p);
	if (g_unichar_isspace(g_utf8_get_char(p)))
		return 0; /* between words: nothing to carry */
	/* Carry a character that may start a line, with what must stay
	 * with it (避头尾: "，" never starts one, "（" never ends one). */
	while (p > text + prev->start_index &&
	       (forbidden_start(g_utf8_get_char(p)) ||
		forbidden_end(g_utf8_get_char(g_utf8_prev_char(p)))))
		p = g_utf8_prev_char(p);
	if (p == text + prev->start_index || s - p > 12)
		return 0;

	PangoAttrList *old = pango_layout_get_attributes(l);
	PangoAttrList *al = old ? pango_attr_list_copy(old) : pango_attr_list_new();
	PangoAttribute *glue = pango_attr_allow_breaks_new(FALSE);
	glue->start_index = (guint)(p - text);
	glue->end_index = (guint)(g_utf8_next_char(s) - text);
	pango_attr_list_insert(al, glue);
	pango_layout_set_attributes(l, al);
	pango_attr_list_unref(al);
	return 1;
}

/* Glue the characters around every line break that leaves closing
 * punctuation at a line start or opening punctuation at a line end.
 * Returns 1 when the layout changed and must be checked again. The
 * attributes are set only when some glue is added, so a paragraph that
 * needs none is laid out once (all of them in the 2021 booklet of a
 * 10,000-record site). */
static int fix_breaks(PangoLayout *l, const char *text)
{
	GSList *lines = pango_layout_get_lines_readonly(l);
	PangoLayoutLine *prev = NULL;
	PangoAttrList *al = NULL;

	for (; lines; prev = lines->data, lines = lines->next) {
		PangoLayoutLine *line = lines->data;
		const char *s = text + line->start_index, *a = NULL, *b = NULL, *p;

		if (!prev || !line->length || pango_layout_line_is_paragraph_start(line))
			continue;
		p = text + prev->start_index + prev->length;
		if (prev->length >= 3 && !memcmp(p - 3, "\u2028", 3))
			continue; /* a hard break: nothing to negotiate */
		do
			p = p > text + prev->start_index ? g_utf8_prev_char(p) : NULL;
		while (p && (*p == ' ' || *p == '\t'));
		if (!p)
			continue;
		if (forbidden_start(g_utf8_get_char(s))) {
			a = p;
			b = g_utf8_next_char(s);
		} else if (forbidden_end(g_utf8_get_char(p))) {
			a = p;
			b = g_utf8_next_char(s);
		}
		/* A long run of punctuation cannot be helped; gluing it would
		 * only push it past the margin. */
		if (!a || b - a > 24)
			continue;
		if (!al) {
			PangoAttrList *old = pango_layout_get_attributes(l);
			al = old ? pango_attr_list_copy(old) : pango_attr_list_new();
		}
		PangoAttribute *glue = pango_attr_allow_breaks_new(FALSE);
		glue->start_index = (guint)(a - text);
		glue->end_index = (guint)(b - text);
		pango_attr_list_insert(al, glue);
	}
	if (!al)
		return 0;
	pango_layout_set_attributes(l, al);
	pango_attr_list_unref(al);
	return 1;
}

struct gap {
	PangoGlyphInfo *glyph;
	int weight;
};

/* Spread the free space of a wrapped line over the gaps after its
 * characters (three shares for a space), so that it fills `avail`. */
static void justify_line(PangoLayoutLine *line, const char *text, int avail,
			 struct gap **gaps, size_t *cap)
{
	size_t n = 0;
	int width = 0;
	long total = 0;

	for (GSList *r = line->runs; r; r = r->next) {
		PangoGlyphItem *run = r->data;
		PangoGlyphString *gs = run->glyphs;
		for (int i = 0; i < gs->num_glyphs; i++) {
			width += gs->glyphs[i].geometry.width;
			if (i + 1 < gs->num_glyphs &&
			    gs->log_clusters[i + 1] == gs->log_clusters[i])
				continue;
			if (n == *cap) {
				*cap = *cap ? st_mult(*cap, 2) : 64;
				*gaps = xrealloc(*gaps, st_mult(*cap, sizeof(**gaps)));
			}
			char c = text[run->item->offset + gs->log_clusters[i]];
			(*gaps)[n].glyph = &gs->glyphs[i];
			(*gaps)[n].weight = c == ' ' || c == '\t' ? 3 : 1;
			n++;
		}
	}
	/* No space after the last visible character: drop the trailing
	 * white space (Pango gives it no width) and that character. */
	while (n && (*gaps)[n - 1].weight == 3)
		n--;
	if (n)
		n--;
	if (width >= avail || !n)
		return;
	for (size_t i = 0; i < n; i++)
		total += (*gaps)[i].weight;
	long slack = avail - width, given = 0, acc = 0;
	for (size_t i = 0; i < n; i++) {
		acc += (*gaps)[i].weight;
		long share = slack * acc / total - given;
		(*gaps)[i].glyph->geometry.width += (int)share;
		given += share;
	}
}

/* Does a line end where the author broke it (a paragraph end in Pango's
 * sense, or a hard break)? */
static int ends_paragraph(const char *text, PangoLayoutLine *line, PangoLayoutLine *next)
{
	if (!next || pango_layout_line_is_paragraph_start(next))
		return 1;
	const char *end = text + line->start_index + line->length;
	return line->length >= 3 && !memcmp(end - 3, "\u2028", 3);
}

static void collect_lines(struct ts_doc *doc, struct ts_text *t, unsigned flags,
			  int width)
{
	const struct ts_font *f = &doc->fonts[t->style];
	const char *text = pango_layout_get_text(t->layout);
	PangoLayoutIter *it = pango_layout_get_iter(t->layout);
	double top = 0, centre = f->pitch / 2 + TS_EM_CENTRE * f->size;
	int n = pango_layout_get_line_count(t->layout), i = 0;
	struct gap *gaps = NULL;
	size_t gapcap = 0;

	t->lines = xcalloc((size_t)n, sizeof(*t->lines));
	do {
		PangoRectangle log;
		struct ts_line *ln = &t->lines[i];
		pango_layout_iter_get_line_extents(it, NULL, &log);
		double h = PT(log.height);
		double asc = PT(pango_layout_iter_get_baseline(it) - log.y);
		double up = asc - f->plain_asc, down = (h - asc) - (f->plain_h - f->plain_asc);

		up = up > 0.5 ? up : 0;
		down = down > 0.5 ? down : 0;
		ln->line = pango_layout_iter_get_line_readonly(it);
		ln->x = PT(log.x);
		ln->top = top;
		ln->height = f->pitch + up + down;
		ln->base = top + up + centre;
		top += ln->height;
		i++;
	} while (i < n && pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	t->nlines = i;
	t->height = top;

	if (flags & TS_T_JUSTIFY) {
		for (i = 0; i + 1 < t->nlines; i++) {
			struct ts_line *ln = &t->lines[i];
			if (ends_paragraph(text, ln->line, t->lines[i + 1].line))
				continue;
			justify_line(ln->line, text, width - PU(ln->x), &gaps, &gapcap);
		}
	}
	free(gaps);
}

/* Empty `r` for the next text (its links were moved or there were none). */
static void rich_reset(struct ts_rich *r)
{
	g_string_truncate(r->text, 0);
	pango_attr_list_unref(r->attrs);
	r->attrs = pango_attr_list_new();
}

void ts_text_make(struct ts_doc *doc, struct ts_text *t, struct ts_rich *r,
		  int style, double width, unsigned flags)
{
	const struct ts_font *f = &doc->fonts[style];
	PangoLayout *l;
	int w = PU(width > 1 ? width : 1);
	char *key;

	memset(t, 0, sizeof(*t));
	/* Trailing white space and hard breaks would make an empty line. */
	while (r->text->len && strchr(" \t\n", r->text->str[r->text->len - 1]))
		g_string_truncate(r->text, r->text->len - 1);
	while (r->text->len >= 3 && !memcmp(r->text->str + r->text->len - 3, "\u2028", 3))
		g_string_truncate(r->text, r->text->len - 3);
	/* Plain text laid out before at this width: the same lines. */
	key = ts_cache_text_key(doc, r, style, w, flags);
	if (key && ts_cache_text_get(doc, key, t)) {
		free(key);
		rich_reset(r);
		return;
	}
	l = pango_layout_new(doc->pango);
	t->style = style;
	t->layout = l;

	pango_layout_set_font_description(l, f->desc);
	pango_layout_set_width(l, w);
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	if (flags & TS_T_CENTER)
		pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	else if (flags & TS_T_RIGHT)
		pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
	if (flags & TS_T_INDENT)
		pango_layout_set_indent(l, PU(2 * f->size));
	if (flags & TS_T_ELLIPSIZE) {
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		pango_layout_set_height(l, -1);
	}
	char *halted = xcalloc(r->text->len + 1, 1);
	ts_punct_compress(r->attrs, r->text->str, halted);
	pango_layout_set_text(l, r->text->str, (int)r->text->len);
	pango_layout_set_attributes(l, r->attrs);
	if (!(flags & TS_T_ELLIPSIZE))
		for (int pass = 0, lone = 0; pass < 16; pass++)
			if (!fix_breaks(l, r->text->str) &&
			    !ts_punct_line_starts(l, r->text->str, halted) &&
			    (lone || !(flags & TS_T_JUSTIFY) ||
			     !(lone = avoid_lone_last(l, r->text->str))))
				break;
	free(halted);
	collect_lines(doc, t, flags, w);
	if (key)
		ts_cache_text_put(doc, key, t);

	t->links = r->links;
	t->nlinks = r->nlinks;
	r->links = NULL;
	r->nlinks = r->caplinks = 0;
	rich_reset(r);
}

void ts_text_plain(struct ts_doc *doc, struct ts_text *t, const char *s,
		   int style, double width, unsigned flags)
{
	struct ts_rich r;

	ts_rich_init(&r);
	if (s && g_utf8_validate(s, -1, NULL)) {
		g_string_append(r.text, s);
	} else if (s) {
		char *valid = g_utf8_make_valid(s, -1);
		g_string_append(r.text, valid);
		g_free(valid);
	}
	ts_text_make(doc, t, &r, style, width, flags);
	ts_rich_release(&r);
}

void ts_text_release(struct ts_text *t)
{
	for (int i = 0; i < t->nlinks; i++)
		free(t->links[i].target);
	free(t->links);
	free(t->lines);
	if (t->layout)
		g_object_unref(t->layout);
	memset(t, 0, sizeof(*t));
}

double ts_text_span(const struct ts_text *t, int from, int to)
{
	if (to <= from || !t->nlines)
		return 0;
	return t->lines[to - 1].top + t->lines[to - 1].height - t->lines[from].top;
}

double ts_text_line_width(const struct ts_text *t, int i)
{
	long w = 0;

	for (GSList *r = t->lines[i].line->runs; r; r = r->next) {
		PangoGlyphString *gs = ((PangoGlyphItem *)r->data)->glyphs;
		for (int g = 0; g < gs->num_glyphs; g++)
			w += gs->glyphs[g].geometry.width;
	}
	return PT(w);
}

void ts_text_draw(cairo_t *cr, const struct ts_text *t, int from, int to,
		  double x, double y)
{
	if (!t->layout || from >= to)
		return;
	for (int i = from; i < to && i < t->nlines; i++) {
		const struct ts_line *ln = &t->lines[i];
		cairo_move_to(cr, x + ln->x, y + ln->base - t->lines[from].top);
		pango_cairo_show_layout_line(cr, ln->line);
	}
}
