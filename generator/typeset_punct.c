/*
 * typeset_punct: punctuation compression for the typesetter (clreq),
 * called by typeset_text.c while it lays out a text.
 */
#include "typeset_internal.h"

#include <string.h>

/*
 * Punctuation compression (clreq §3.1.6). A full-width mark is half ink,
 * half blank; two of them side by side ("），", "》（", "）：") leave a
 * whole blank character between the words. The fonts' `halt` feature sets
 * one mark at half width, and we ask for it (Noto CJK has no `chws`, which
 * would do this by itself) on:
 *   - a closing mark (closing bracket or quote, 、，。：；！？, whose blank
 *     is on the right in Simplified Chinese) followed by a closing mark;
 *   - an opening bracket or quote (blank on the left) after an opening or
 *     a closing mark;
 *   - an opening bracket at the start of a line, except a paragraph's
 *     first (ts_punct_line_starts()).
 */
enum { MARK_NONE, MARK_OPEN, MARK_CLOSE };

static int mark_class(gunichar c)
{
	switch (c) {
	case 0xFF08: case 0x3014: case 0xFF3B: case 0xFF5B: case 0x3008: case 0x300A:
	case 0x300C: case 0x300E: case 0x3010: case 0x3016: case 0x201C: case 0x2018:
		return MARK_OPEN;
	case 0xFF09: case 0x3015: case 0xFF3D: case 0xFF5D: case 0x3009: case 0x300B:
	case 0x300D: case 0x300F: case 0x3011: case 0x3017: case 0x201D: case 0x2019:
	case 0x3001: case 0xFF0C: case 0x3002: case 0xFF1A: case 0xFF1B: case 0xFF01:
	case 0xFF1F:
		return MARK_CLOSE;
	default:
		return MARK_NONE;
	}
}

static void add_halt(PangoAttrList *al, const char *text, const char *at)
{
	PangoAttribute *a = pango_attr_font_features_new("hwid 1, halt 1");

	a->start_index = (guint)(at - text);
	a->end_index = (guint)(g_utf8_next_char(at) - text);
	pango_attr_list_insert(al, a);
}

/*
 * Pango 1.50 passes at most 32 font features to HarfBuzz per item and
 * drops the others, and a long paragraph is one item. A fallback
 * attribute (at its default, so it changes nothing else) from some point
 * on starts a new item there: one every TS_ITEM_CHARS characters, where
 * a line may break anyway (between two ideographs), since Pango 1.50 may
 * also break a line between items where it should not.
 */
#define TS_ITEM_CHARS 28

static void split_items(PangoAttrList *al, const char *text)
{
	const char *p = text, *prev = NULL;
	int since = 0;

	for (; *p; prev = p, p = g_utf8_next_char(p), since++) {
		if (since < TS_ITEM_CHARS || !prev ||
		    g_unichar_type(g_utf8_get_char(p)) != G_UNICODE_OTHER_LETTER ||
		    g_unichar_type(g_utf8_get_char(prev)) != G_UNICODE_OTHER_LETTER)
			continue;
		PangoAttribute *a = pango_attr_fallback_new(TRUE);
		a->start_index = (guint)(p - text);
		pango_attr_list_insert(al, a);
		since = 0;
	}
}

/* Half-width marks in runs of marks; `halted` (one byte per byte of
 * text) notes which. */
void ts_punct_compress(PangoAttrList *al, const char *text, char *halted)
{
	const char *prev = NULL;
	int pc = MARK_NONE, marks = 0;

	for (const char *p = text; *p; p = g_utf8_next_char(p)) {
		int c = mark_class(g_utf8_get_char(p));
		if (c == MARK_CLOSE && pc == MARK_CLOSE && !halted[prev - text]) {
			add_halt(al, text, prev);
			halted[prev - text] = 1;
			marks++;
		}
		if (c == MARK_OPEN && pc != MARK_NONE) {
			add_halt(al, text, p);
			halted[p - text] = 1;
		}
		/* every opening bracket may be halted, here or at a line start */
		marks += c == MARK_OPEN;
		prev = p;
		pc = c;
	}
	if (marks > 24)
		split_items(al, text);
}

/* An opening bracket that starts a line (not a paragraph) is set at half
 * width, flush with the margin; 1 if one was added. */
int ts_punct_line_starts(PangoLayout *l, const char *text, char *halted)
{
	PangoAttrList *al = NULL;

	for (GSList *lines = pango_layout_get_lines_readonly(l); lines; lines = lines->next) {
		PangoLayoutLine *line = lines->data;
		const char *s = text + line->start_index;
		if (!line->length || pango_layout_line_is_paragraph_start(line) ||
		    halted[line->start_index] || mark_class(g_utf8_get_char(s)) != MARK_OPEN)
			continue;
		if (!al) {
			PangoAttrList *old = pango_layout_get_attributes(l);
			al = old ? pango_attr_list_copy(old) : pango_attr_list_new();
		}
		add_halt(al, text, s);
		halted[line->start_index] = 1;
	}
	if (!al)
		return 0;
	pango_layout_set_attributes(l, al);
	pango_attr_list_unref(al);
	return 1;
}

