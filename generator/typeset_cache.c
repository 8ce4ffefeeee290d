/*
 * typeset_cache: plain text measured and laid out once per document (see
 * typeset_internal.h).
 *
 * A year's booklet lists every record of the year in tables whose cells
 * repeat a few values (一等奖 1,100 times, 优秀 660 times in a 2,000-record
 * year: 13,800 cells, 2,800 different), and every cell was measured twice
 * and laid out once with Pango. Keys are the style (and the width and
 * flags, for layouts) and the text itself, so a hit is the same input and
 * gives the same bytes; the PDF does not change.
 *
 * A cached layout is shared: each ts_text holds a reference to it and a
 * copy of the line boxes, whose PangoLayoutLine pointers belong to the
 * layout. Nothing changes a layout after ts_text_make() (justification is
 * part of making it), so sharing is safe.
 */
#include "typeset_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

struct cached_width {
	double minw, maxw;
};

/* Plain: no attributes and no links, so the text alone decides. */
static int plain(struct ts_doc *doc, const struct ts_rich *r)
{
	if (r->nlinks)
		return 0;
	if (!doc->no_attrs)
		doc->no_attrs = pango_attr_list_new();
	return !r->attrs || pango_attr_list_equal(r->attrs, doc->no_attrs);
}

static char *make_key(const char *prefix, const GString *text)
{
	size_t n = strlen(prefix);
	char *key = xmalloc(st_add(st_add(n, text->len), 1));

	memcpy(key, prefix, n);
	memcpy(key + n, text->str, text->len + 1);
	return key;
}

char *ts_cache_width_key(struct ts_doc *doc, int style, const struct ts_rich *r)
{
	char prefix[32];

	if (!plain(doc, r))
		return NULL;
	snprintf(prefix, sizeof(prefix), "%d:", style);
	return make_key(prefix, r->text);
}

int ts_cache_width_get(struct ts_doc *doc, const char *key, double *minw,
		       double *maxw)
{
	const struct cached_width *w = strmap_get(&doc->cell_widths, key);

	if (!w)
		return 0;
	*minw = w->minw;
	*maxw = w->maxw;
	return 1;
}

void ts_cache_width_put(struct ts_doc *doc, char *key, double minw, double maxw)
{
	struct cached_width *w = xmalloc(sizeof(*w));

	w->minw = minw;
	w->maxw = maxw;
	if (strmap_put(&doc->cell_widths, key, w)) {
		free(key); /* already there: the same widths */
		free(w);
	}
}

char *ts_cache_text_key(struct ts_doc *doc, const struct ts_rich *r, int style,
			int width, unsigned flags)
{
	char prefix[64];

	if (!plain(doc, r))
		return NULL;
	snprintf(prefix, sizeof(prefix), "%d:%d:%u:", style, width, flags);
	return make_key(prefix, r->text);
}

static void copy_text(struct ts_text *to, const struct ts_text *from)
{
	*to = *from;
	to->links = NULL;
	to->nlinks = 0;
	if (from->layout)
		g_object_ref(from->layout);
	to->lines = NULL;
	if (from->nlines) {
		size_t size = st_mult((size_t)from->nlines, sizeof(*from->lines));
		to->lines = xmalloc(size);
		memcpy(to->lines, from->lines, size);
	}
}

int ts_cache_text_get(struct ts_doc *doc, const char *key, struct ts_text *t)
{
	const struct ts_text *known = strmap_get(&doc->texts, key);

	if (!known)
		return 0;
	copy_text(t, known);
	return 1;
}

void ts_cache_text_put(struct ts_doc *doc, char *key, const struct ts_text *t)
{
	struct ts_text *copy = xmalloc(sizeof(*copy));

	copy_text(copy, t);
	if (strmap_put(&doc->texts, key, copy)) {
		free(key);
		ts_text_release(copy);
		free(copy);
	}
}

void ts_cache_release(struct ts_doc *doc)
{
	for (size_t i = 0; i < doc->cell_widths.cap; i++)
		if (doc->cell_widths.slots[i].key) {
			free((char *)doc->cell_widths.slots[i].key);
			free(doc->cell_widths.slots[i].val);
		}
	for (size_t i = 0; i < doc->texts.cap; i++)
		if (doc->texts.slots[i].key) {
			free((char *)doc->texts.slots[i].key);
			ts_text_release(doc->texts.slots[i].val);
			free(doc->texts.slots[i].val);
		}
	strmap_release(&doc->cell_widths);
	strmap_release(&doc->texts);
	memset(&doc->cell_widths, 0, sizeof(doc->cell_widths));
	memset(&doc->texts, 0, sizeof(doc->texts));
	if (doc->no_attrs)
		pango_attr_list_unref(doc->no_attrs);
	doc->no_attrs = NULL;
}
