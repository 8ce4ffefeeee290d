/*
 * markdown_ids: the outline side of the markdown module: heading ids (from
 * a heading's text, stable, unique within a document), the table of
 * contents and plain-text excerpts. See markdown.h for the rules; the
 * parser (markdown.c) calls md_assign_heading_id() for each heading.
 */
#include "markdown_internal.h"

#include "alloc.h"
#include "buf.h"

#include <cmark-gfm.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Decode one UTF-8 sequence at s[0..len); return its length, 0 if invalid
 * (cmark-gfm validates input, so only a guard). */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xE0) == 0xC0) {
		n = 2;
		*cp = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3;
		*cp = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4;
		*cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3F);
	}
	return n;
}

/* Whether a non-ASCII code point is a space, punctuation or symbol, which
 * an id turns into '-'. Covers the blocks Chinese text uses (CJK symbols,
 * full-width forms, general punctuation), not all of Unicode. */
static int is_unicode_separator(uint32_t cp)
{
	if (cp <= 0xBF)
		return cp != 0xAA && cp != 0xB5 && cp != 0xBA;
	if (cp == 0xD7 || cp == 0xF7)
		return 1;
	if (cp >= 0x2000 && cp <= 0x206F) /* general punctuation */
		return 1;
	if (cp >= 0x20A0 && cp <= 0x20CF) /* currency */
		return 1;
	if ((cp >= 0x2190 && cp <= 0x245F) || (cp >= 0x2500 && cp <= 0x2BFF))
		return 1; /* arrows, maths, shapes; not ①② */
	if (cp >= 0x2E00 && cp <= 0x2E7F)
		return 1;
	if (cp >= 0x3000 && cp <= 0x303F) /* 、。《》「」【】〜 ... */
		return !(cp >= 0x3005 && cp <= 0x3007) &&
		       !(cp >= 0x3021 && cp <= 0x3029);
	if ((cp >= 0xFE10 && cp <= 0xFE1F) || (cp >= 0xFE30 && cp <= 0xFE6F))
		return 1;
	if ((cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
	    (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65))
		return 1; /* full-width punctuation */
	if (cp == 0xFEFF || (cp >= 0xFFF0 && cp <= 0xFFFF))
		return 1;
	if (cp >= 0x1F000 && cp <= 0x1FAFF) /* emoji */
		return 1;
	return 0;
}

static int is_ascii_alnum(uint32_t cp)
{
	return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
	       (cp >= 'A' && cp <= 'Z');
}

/* The id a heading's text asks for, before duplicates are numbered. */
static void slugify(const char *text, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t len = strlen(text);
	int pending_dash = 0;

	for (size_t i = 0; i < len && out->len < MD_ID_MAX;) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		if (!n) {
			pending_dash = 1;
			i++;
			continue;
		}
		/* Full-width letters and digits read as their ASCII twins. */
		if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
		    (cp >= 0xFF41 && cp <= 0xFF5A))
			cp -= 0xFEE0;
		if (cp < 0x80 ? !is_ascii_alnum(cp) : is_unicode_separator(cp)) {
			pending_dash = 1;
		} else {
			if (pending_dash && out->len)
				buf_putc(out, '-');
			pending_dash = 0;
			if (cp < 0x80)
				buf_putc(out, cp >= 'A' && cp <= 'Z' ? (int)cp + 32 : (int)cp);
			else
				buf_add(out, s + i, n);
		}
		i += n;
	}
	if (!out->len)
		buf_puts(out, "section");
}


static size_t id_hash(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static size_t idset_slot(const struct md_idset *set, const char *key)
{
	size_t i = id_hash(key) & (set->cap - 1);
	while (set->keys[i] && strcmp(set->keys[i], key))
		i = (i + 1) & (set->cap - 1);
	return i;
}

static void idset_add(struct md_idset *set, const char *key)
{
	if (2 * (set->len + 1) > set->cap) {
		struct md_idset big = { NULL, NULL, set->cap ? st_mult(set->cap, 2) : 32, 0 };
		big.keys = xcalloc(big.cap, sizeof(*big.keys));
		big.next = xcalloc(big.cap, sizeof(*big.next));
		for (size_t i = 0; i < set->cap; i++) {
			if (!set->keys[i])
				continue;
			size_t j = idset_slot(&big, set->keys[i]);
			big.keys[j] = set->keys[i];
			big.next[j] = set->next[i];
		}
		big.len = set->len;
		free(set->keys);
		free(set->next);
		*set = big;
	}
	size_t i = idset_slot(set, key);
	if (!set->keys[i]) {
		set->keys[i] = key;
		set->next[i] = 1;
		set->len++;
	}
}

static void free_user_id(cmark_mem *mem, void *id)
{
	(void)mem;
	free(id);
}

void md_assign_heading_id(struct md_idset *set, cmark_node *h)
{
	struct buf text = BUF_INIT, id = BUF_INIT;

	md_plain_text(h, &text);
	slugify(text.ptr, &id);
	size_t i = set->cap ? idset_slot(set, id.ptr) : 0;
	if (set->cap && set->keys[i]) {
		size_t base = id.len;
		unsigned k = set->next[i];
		for (;; k++) {
			buf_truncate(&id, base);
			buf_printf(&id, "-%u", k);
			if (!set->keys[idset_slot(set, id.ptr)])
				break;
		}
		set->next[i] = k + 1;
	}
	char *owned = buf_detach(&id, NULL);
	cmark_node_set_user_data(h, owned);
	cmark_node_set_user_data_free_func(h, free_user_id);
	idset_add(set, owned);
	buf_release(&text);
}

/* ---- parse -------------------------------------------------------------- */


const char *md_heading_id(struct cmark_node *heading)
{
	if (!heading || cmark_node_get_type(heading) != CMARK_NODE_HEADING)
		return NULL;
	return cmark_node_get_user_data(heading);
}

static int is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r'); /* \t \n \v \f \r */
}

/* Append `s` to `out` with runs of ASCII white space as one space, no
 * space at the start; `*space` carries a pending space across calls.
 * Stops after `max` code points in `out` (counted in *chars), setting
 * *cut when text was left over. Every record's search text and
 * description pass through here, mostly three-byte CJK characters: runs
 * between spaces are copied whole, not byte by byte. */
static void add_collapsed(struct buf *out, const char *s, int *space,
			  size_t *chars, size_t max, int *cut)
{
	while (*s && !*cut) {
		const char *run = s;
		if (is_space((unsigned char)*s)) {
			*space = 1;
			s++;
			continue;
		}
		if (((unsigned char)*s & 0xC0) != 0x80) {
			if (*chars + (*space && out->len ? 1 : 0) >= max) {
				*cut = 1;
				break;
			}
			if (*space && out->len) {
				buf_putc(out, ' ');
				(*chars)++;
			}
			(*chars)++;
		}
		*space = 0;
		for (s++; *s && !is_space((unsigned char)*s); s++) {
			if (((unsigned char)*s & 0xC0) == 0x80)
				continue;
			if (*chars >= max) {
				*cut = 1;
				break;
			}
			(*chars)++;
		}
		buf_add(out, run, (size_t)(s - run));
	}
}

void md_toc_collect(struct cmark_node *doc, struct md_toc *toc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		const char *id = md_heading_id(n);
		if (ev != CMARK_EVENT_ENTER || !id)
			continue;
		struct buf raw = BUF_INIT, text = BUF_INIT;
		int space = 0, cut = 0;
		size_t chars = 0;
		md_plain_text(n, &raw);
		add_collapsed(&text, raw.ptr, &space, &chars, SIZE_MAX, &cut);
		buf_release(&raw);
		if (toc->len == toc->cap) {
			toc->cap = toc->cap ? st_mult(toc->cap, 2) : 8;
			toc->items = xrealloc(toc->items,
					      st_mult(toc->cap, sizeof(*toc->items)));
		}
		struct md_heading *h = &toc->items[toc->len++];
		h->level = cmark_node_get_heading_level(n);
		h->id = xstrdup(id);
		h->text = buf_detach(&text, NULL);
	}
	cmark_iter_free(it);
}

void md_toc_release(struct md_toc *toc)
{
	for (size_t i = 0; i < toc->len; i++) {
		free(toc->items[i].id);
		free(toc->items[i].text);
	}
	free(toc->items);
	toc->items = NULL;
	toc->len = toc->cap = 0;
}

/* The text of `doc` for md_excerpt(), or with `prose` set only that of
 * its paragraphs, for md_prose_text(). */
static void doc_text(struct cmark_node *doc, size_t max_chars, int prose,
		     struct buf *out)
{
	struct buf text = BUF_INIT;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	int space = 0, cut = 0, in_para = 0;
	size_t chars = 0;

	while (!cut && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(n);
		if (type == CMARK_NODE_PARAGRAPH)
			in_para = ev == CMARK_EVENT_ENTER;
		if (ev == CMARK_EVENT_EXIT) {
			/* Blocks end in a space, inlines do not. */
			if ((type & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK)
				space = 1;
			continue;
		}
		if (type == CMARK_NODE_IMAGE ||
		    type == CMARK_NODE_FOOTNOTE_DEFINITION) {
			/* Skip the subtree: jump to its exit event. */
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			continue;
		}
		if (prose && !in_para)
			continue;
		switch (type) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			add_collapsed(&text, cmark_node_get_literal(n), &space,
				      &chars, max_chars, &cut);
			break;
		case CMARK_NODE_SOFTBREAK:
			if (!md_softbreak_removed(n))
				space = 1;
			break;
		case CMARK_NODE_LINEBREAK:
			space = 1;
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	buf_add(out, text.ptr, text.len);
	if (cut)
		buf_puts(out, "…");
	buf_release(&text);
}

void md_excerpt(struct cmark_node *doc, size_t max_chars, struct buf *out)
{
	doc_text(doc, max_chars, 0, out);
}

void md_prose_text(struct cmark_node *doc, size_t max_chars, struct buf *out)
{
	doc_text(doc, max_chars, 1, out);
}

void md_idset_release(struct md_idset *set)
{
	free(set->keys);
	free(set->next);
	memset(set, 0, sizeof(*set));
}
