/*
 * markdown_text: what a soft line break between two Chinese characters
 * means, plain text of a document for excerpts, the search index, heading
 * ids and image alt text, and the swap of images for the caller's
 * <picture> markup while rendering (part of the markdown module, see
 * markdown.h).
 *
 * Chinese is written without spaces, and writers wrap long paragraphs of
 * it in their editor. cmark-gfm keeps each such wrap as a soft break and
 * prints it as a newline, which the browser shows as a space ("结束 第二
 * 行"). CSS Text 3 (§4.1.2, segment break transformation) says what a
 * typesetter of Chinese does instead: a segment break whose neighbours are
 * both East Asian Wide, Fullwidth or Halfwidth characters, neither of them
 * Hangul, is removed; elsewhere it stays a space. Browsers do not apply
 * that rule yet, so the HTML must not contain the break at all. The
 * booklet's typesetter applies the same rule on its own (typeset_text.c),
 * so the tree md_parse() returns is left as written and only what is
 * rendered from it here drops the break.
 */
#include "markdown.h"
#include "markdown_internal.h"

#include "alloc.h"
#include "buf.h"
#include "utf8.h"

#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

int md_cjk_wide(unsigned cp)
{
	/* Hangul keeps its spaces: Korean separates words. */
	if ((cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x3130 && cp <= 0x318F) ||
	    (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xFFA0 && cp <= 0xFFDC))
		return 0;
	return (cp >= 0x2E80 && cp <= 0x303E) ||  /* radicals, CJK punctuation */
	       (cp >= 0x3041 && cp <= 0x33FF) ||  /* kana, bopomofo, CJK compat */
	       (cp >= 0x3400 && cp <= 0x4DBF) ||  /* extension A */
	       (cp >= 0x4E00 && cp <= 0x9FFF) ||  /* unified ideographs */
	       (cp >= 0xA000 && cp <= 0xA4CF) ||  /* Yi */
	       (cp >= 0xF900 && cp <= 0xFAFF) ||  /* compatibility ideographs */
	       (cp >= 0xFE10 && cp <= 0xFE19) ||  /* vertical forms */
	       (cp >= 0xFE30 && cp <= 0xFE6F) ||  /* CJK compat and small forms */
	       (cp >= 0xFF01 && cp <= 0xFF60) ||  /* fullwidth forms */
	       (cp >= 0xFF61 && cp <= 0xFF9F) ||  /* halfwidth kana, punctuation */
	       (cp >= 0xFFE0 && cp <= 0xFFE6) ||  /* fullwidth signs */
	       (cp >= 0x20000 && cp <= 0x3FFFD);  /* planes 2 and 3 */
}

/* The last code point of `s`, or 0. */
static unsigned last_cp(const char *s)
{
	size_t len = s ? strlen(s) : 0, i = len;
	unsigned cp = 0;

	if (!len)
		return 0;
	while (i > 0 && len - i < 4) {
		i--;
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			break;
	}
	return utf8_decode(s + i, len - i, &cp) ? cp : 0;
}

static unsigned first_cp(const char *s)
{
	unsigned cp = 0;
	size_t len = s ? strlen(s) : 0;
	return len && utf8_decode(s, len, &cp) ? cp : 0;
}

static int is_inline_container(cmark_node *n)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_EMPH:
	case CMARK_NODE_STRONG:
	case CMARK_NODE_LINK:
		return 1;
	default:
		/* Strikethrough is an extension node: an inline with children. */
		return (cmark_node_get_type(n) & CMARK_NODE_TYPE_MASK) ==
			       CMARK_NODE_TYPE_INLINE &&
		       cmark_node_first_child(n) != NULL;
	}
}

/*
 * The character that a reader sees next to `n` on side `dir` (-1 before,
 * +1 after), looking through emphasis and links: "结束**重点**⏎第二行"
 * has 点 before the break. 0 when there is none (start or end of the
 * block, an image, a line break, HTML).
 */
static unsigned neighbour(cmark_node *n, int dir)
{
	cmark_node *s = n;

	for (;;) {
		cmark_node *next = dir < 0 ? cmark_node_previous(s)
					   : cmark_node_next(s);
		if (!next) {
			/* Climb out of an inline container, not out of its block. */
			s = cmark_node_parent(s);
			if (!s || !is_inline_container(s))
				return 0;
			continue;
		}
		s = next;
		while (is_inline_container(s) &&
		       (dir < 0 ? cmark_node_last_child(s) : cmark_node_first_child(s)))
			s = dir < 0 ? cmark_node_last_child(s) : cmark_node_first_child(s);
		switch (cmark_node_get_type(s)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE: {
			const char *lit = cmark_node_get_literal(s);
			if (!lit || !*lit)
				continue; /* an empty text node: look further */
			return dir < 0 ? last_cp(lit) : first_cp(lit);
		}
		default:
			return 0;
		}
	}
}

int md_softbreak_removed(struct cmark_node *sb)
{
	if (!sb || cmark_node_get_type(sb) != CMARK_NODE_SOFTBREAK)
		return 0;
	return md_cjk_wide(neighbour(sb, -1)) && md_cjk_wide(neighbour(sb, +1));
}

void md_cjk_breaks_unlink(struct cmark_node *doc, struct md_unlinked *u)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;

	memset(u, 0, sizeof(*u));
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || !md_softbreak_removed(n))
			continue;
		if (u->len == u->cap) {
			u->cap = u->cap ? u->cap * 2 : 16;
			u->v = xrealloc(u->v, u->cap * sizeof(*u->v));
		}
		u->v[u->len++] = n;
	}
	cmark_iter_free(it);
	/* Each goes back before its next sibling, or at the end of its
	 * parent when it was the last child; those stay in the tree, as no
	 * two removed breaks are siblings side by side (text lies between). */
	u->anchor = xcalloc(u->len ? u->len : 1, sizeof(*u->anchor));
	u->append = xcalloc(u->len ? u->len : 1, sizeof(*u->append));
	for (size_t i = 0; i < u->len; i++) {
		u->anchor[i] = cmark_node_next(u->v[i]);
		if (!u->anchor[i]) {
			u->anchor[i] = cmark_node_parent(u->v[i]);
			u->append[i] = 1;
		}
	}
	for (size_t i = 0; i < u->len; i++)
		cmark_node_unlink(u->v[i]);
}

void md_cjk_breaks_restore(struct md_unlinked *u)
{
	for (size_t i = 0; i < u->len; i++) {
		if (u->append[i])
			cmark_node_append_child(u->anchor[i], u->v[i]);
		else
			cmark_node_insert_before(u->anchor[i], u->v[i]);
	}
	free(u->v);
	free(u->anchor);
	free(u->append);
	memset(u, 0, sizeof(*u));
}

/* Sentence ends: Chinese full stops, and Latin ones before a space or the
 * end (a '.' inside "3.5" or a URL is not one). */
void md_plain_text(struct cmark_node *n, struct buf *out)
{
	cmark_iter *it = cmark_iter_new(n);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *c = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || c == n)
			continue;
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			buf_puts(out, cmark_node_get_literal(c));
			break;
		case CMARK_NODE_SOFTBREAK:
			if (!md_softbreak_removed(c))
				buf_putc(out, ' ');
			break;
		case CMARK_NODE_LINEBREAK:
			buf_putc(out, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

/* Put a custom inline holding opt->image_html()'s markup in the place of
 * image `img`, and return it; NULL when the caller leaves the image to
 * cmark-gfm. */
cmark_node *md_image_swap(cmark_node *img, const struct md_options *opt,
			  cmark_mem *mem)
{
	struct buf alt = BUF_INIT, html = BUF_INIT;
	const char *title = cmark_node_get_title(img);
	cmark_node *pic = NULL;

	md_plain_text(img, &alt);
	if (opt->image_html(opt->image_ctx, cmark_node_get_url(img),
			    alt.ptr ? alt.ptr : "", title ? title : "", &html)) {
		pic = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_INLINE, mem);
		cmark_node_set_on_enter(pic, html.ptr ? html.ptr : "");
		if (!cmark_node_replace(img, pic))
			BUG("cmark-gfm refused a custom inline in place of an image");
	}
	buf_release(&alt);
	buf_release(&html);
	return pic;
}

static int sentence_end(const char *s, size_t i, size_t len, unsigned cp,
			size_t n)
{
	if (cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF1B ||
	    cp == 0x2026)
		return 1;
	if (cp == '.' || cp == '!' || cp == '?' || cp == ';')
		return i + n == len || s[i + n] == ' ';
	return 0;
}

void md_text_cut(const char *text, size_t max_chars, struct buf *out)
{
	size_t len = strlen(text), i = 0, chars = 0, last_end = 0;
	unsigned cp;

	while (i < len && chars < max_chars) {
		size_t n = utf8_decode(text + i, len - i, &cp);
		if (!n) {
			n = 1;
			cp = 0xFFFD;
		}
		i += n;
		chars++;
		/* A closing quote or bracket right after the stop goes with it. */
		if (sentence_end(text, i - n, len, cp, n)) {
			unsigned next;
			size_t m = i < len ? utf8_decode(text + i, len - i, &next) : 0;
			if (m && (next == 0x201D || next == 0x300D || next == 0xFF09 ||
				  next == 0x300B))
				i += m;
			last_end = i;
		}
	}
	if (i >= len) {
		buf_add(out, text, len);
		return;
	}
	/* Cut after the last whole sentence if it keeps at least a third of
	 * the text; else mid-sentence, marked. */
	if (last_end && last_end * 3 >= i) {
		while (last_end > 0 && text[last_end - 1] == ' ')
			last_end--;
		buf_add(out, text, last_end);
	} else {
		while (i > 0 && text[i - 1] == ' ')
			i--;
		buf_add(out, text, i);
		buf_puts(out, "…");
	}
}
