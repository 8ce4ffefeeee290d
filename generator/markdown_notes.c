/*
 * markdown_notes: footnotes with ids of our own, and md_prefix_ids().
 *
 * cmark-gfm 0.29 names a footnote "fn-LABEL" (and its references
 * "fnref-LABEL"), with no way to change it, and opens one <section
 * class="footnotes"> at the first definition that it closes only at the end
 * of the document. That is right for one body on a page, and wrong for a
 * booklet that prints many bodies, each followed by its own notes: the ids
 * repeat, and everything after the first notes lands inside their <ol>. So
 * md_parse() numbers the notes of each body (md_notes_number()), and
 * md_render_doc() prints them itself: references and definitions become
 * custom nodes for the time of the rendering, and each run of definitions
 * is a section of its own. The HTML is cmark-gfm's, ids aside: "fn-N" and
 * "fnref-N" (then "fnref-N-2"...) by the number shown, not the label.
 */
#include "markdown_internal.h"

#include "alloc.h"
#include "buf.h"
#include "strmap.h"

#include <cmark-gfm.h>

#include <stdlib.h>
#include <string.h>

struct md_note *md_note_of(struct cmark_node *def)
{
	if (!def || cmark_node_get_type(def) != CMARK_NODE_FOOTNOTE_DEFINITION)
		return NULL;
	return cmark_node_get_user_data(def);
}

struct cmark_node *md_footnote_def(struct cmark_node *ref)
{
	if (!ref || cmark_node_get_type(ref) != CMARK_NODE_FOOTNOTE_REFERENCE)
		return NULL;
	return cmark_node_get_user_data(ref);
}

static void free_note(cmark_mem *mem, void *p)
{
	struct md_note *note = p;
	(void)mem;
	free(note->prefix);
	free(note);
}

/* The number a reference shows (cmark-gfm's literal), 0 if none. */
static unsigned ref_number(struct cmark_node *ref)
{
	const char *lit = cmark_node_get_literal(ref);
	char *end;
	unsigned long n = lit ? strtoul(lit, &end, 10) : 0;
	return lit && *lit && !*end && n <= 0xFFFFFFu ? (unsigned)n : 0;
}

void md_notes_number(struct cmark_node *doc)
{
	struct md_nodelist defs = { 0 };
	cmark_iter *it;
	cmark_event_type ev;

	/* cmark-gfm moves the definitions that are referenced to the end of
	 * the document, in the order of their numbers, and drops the rest. */
	for (cmark_node *n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
		if (cmark_node_get_type(n) != CMARK_NODE_FOOTNOTE_DEFINITION)
			continue;
		struct md_note *note = xcalloc(1, sizeof(*note));
		note->prefix = xstrdup("");
		note->number = (unsigned)(defs.len + 1);
		cmark_node_set_user_data(n, note);
		cmark_node_set_user_data_free_func(n, free_note);
		md_nodelist_push(&defs, n);
	}
	if (!defs.len)
		return;
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		unsigned k;
		if (ev != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(n) != CMARK_NODE_FOOTNOTE_REFERENCE)
			continue;
		k = ref_number(n);
		if (k < 1 || k > defs.len)
			continue; /* left to cmark-gfm's renderer */
		cmark_node_set_user_data(n, defs.v[k - 1]);
		md_note_of(defs.v[k - 1])->refs++;
	}
	cmark_iter_free(it);
	free(defs.v);
}

/* ---- rendering ---------------------------------------------------------- */

static void add_attr(struct buf *b, const char *s)
{
	buf_add_html_escaped(b, s, strlen(s));
}

static void note_id(struct buf *b, const struct md_note *note, const char *kind,
		    unsigned k)
{
	add_attr(b, note->prefix);
	buf_printf(b, "%s-%u", kind, note->number);
	if (k > 1)
		buf_printf(b, "-%u", k);
}

static void keep(struct md_swapped *s, cmark_node *orig, cmark_node *custom)
{
	md_nodelist_push(&s->orig, orig);
	md_nodelist_push(&s->custom, custom);
}

static cmark_node *new_custom(struct md_swapped *s, cmark_node_type type,
			      const char *enter, const char *exit, int extra)
{
	cmark_node *c = cmark_node_new_with_mem(type, cmark_get_default_mem_allocator());
	cmark_node_set_on_enter(c, enter);
	cmark_node_set_on_exit(c, exit);
	if (extra)
		md_nodelist_push(&s->extra, c);
	return c;
}

static int is_note_def(cmark_node *n)
{
	return md_note_of(n) != NULL;
}

/* Whether definitions `a` and `b` (either may be another node or NULL)
 * print in one section: neighbours from the same body. */
static int same_run(cmark_node *a, cmark_node *b)
{
	return is_note_def(a) && is_note_def(b) &&
	       !strcmp(md_note_of(a)->prefix, md_note_of(b)->prefix);
}

static void swap_ref(struct md_swapped *s, cmark_node *ref)
{
	struct md_note *note = md_note_of(md_footnote_def(ref));
	struct buf b = BUF_INIT;

	buf_puts(&b, "<sup class=\"footnote-ref\"><a href=\"#");
	note_id(&b, note, "fn", 1);
	buf_puts(&b, "\" id=\"");
	note_id(&b, note, "fnref", ++note->seen);
	buf_printf(&b, "\" data-footnote-ref>%u</a></sup>", note->number);
	cmark_node *c = new_custom(s, CMARK_NODE_CUSTOM_INLINE, b.ptr, "", 0);
	if (!cmark_node_replace(ref, c))
		BUG("cmark-gfm refused a custom inline in place of a footnote reference");
	keep(s, ref, c);
	buf_release(&b);
}

/* Swap definition `def`; `open` and `close` say whether it starts and ends
 * a run of definitions (a section). */
static void swap_def(struct md_swapped *s, cmark_node *def, int open, int close)
{
	struct md_note *note = md_note_of(def);
	struct buf b = BUF_INIT, back = BUF_INIT;
	cmark_node *last = cmark_node_last_child(def), *child;

	/* The links back to each reference, in the last paragraph as
	 * cmark-gfm puts them, else after the last block. */
	for (unsigned k = 1; k <= note->refs; k++) {
		buf_puts(&back, k > 1 ? " <a href=\"#" : "<a href=\"#");
		note_id(&back, note, "fnref", k);
		buf_puts(&back, "\" class=\"footnote-backref\" data-footnote-backref "
			 "aria-label=\"Back to content\">↩");
		if (k > 1)
			buf_printf(&back, "<sup class=\"footnote-ref\">%u</sup>", k);
		buf_puts(&back, "</a>");
	}
	if (open)
		cmark_node_insert_before(def, new_custom(s, CMARK_NODE_CUSTOM_BLOCK,
			"<section class=\"footnotes\" data-footnotes>\n<ol>", "", 1));
	if (close)
		cmark_node_insert_after(def, new_custom(s, CMARK_NODE_CUSTOM_BLOCK,
			"</ol>\n</section>", "", 1));
	if (back.len && last && cmark_node_get_type(last) == CMARK_NODE_PARAGRAPH) {
		buf_reset(&b);
		buf_putc(&b, ' ');
		buf_add(&b, back.ptr, back.len);
		cmark_node_append_child(last, new_custom(s, CMARK_NODE_CUSTOM_INLINE,
							 b.ptr, "", 1));
		buf_reset(&back);
	}
	buf_reset(&b);
	buf_puts(&b, "<li id=\"");
	note_id(&b, note, "fn", 1);
	buf_puts(&b, "\">");
	if (back.len)
		buf_putc(&back, '\n');
	buf_puts(&back, "</li>");
	cmark_node *c = new_custom(s, CMARK_NODE_CUSTOM_BLOCK, b.ptr, back.ptr, 0);
	while ((child = cmark_node_first_child(def))) {
		cmark_node_unlink(child);
		cmark_node_append_child(c, child);
	}
	if (!cmark_node_replace(def, c))
		BUG("cmark-gfm refused a custom block in place of a footnote");
	keep(s, def, c);
	buf_release(&b);
	buf_release(&back);
}

void md_notes_swap(struct cmark_node *doc, struct md_swapped *s)
{
	struct md_nodelist refs = { 0 }, defs = { 0 };
	unsigned char *runs; /* per definition: 1 opens, 2 closes */
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;

	memset(s, 0, sizeof(*s));
	/* Collect first: the tree must not change under the iterator. */
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (md_footnote_def(n)) {
			md_nodelist_push(&refs, n);
		} else if (is_note_def(n)) {
			md_note_of(n)->seen = 0;
			md_nodelist_push(&defs, n);
		}
	}
	cmark_iter_free(it);
	/* Runs first, while the neighbours are still definitions: the notes
	 * of one body that stand together (a booklet's own notes come after
	 * the last body's). */
	runs = xcalloc(defs.len ? defs.len : 1, 1);
	for (size_t i = 0; i < defs.len; i++) {
		int open = !same_run(cmark_node_previous(defs.v[i]), defs.v[i]);
		int close = !same_run(defs.v[i], cmark_node_next(defs.v[i]));
		runs[i] = (unsigned char)(open | close << 1);
	}
	for (size_t i = 0; i < refs.len; i++)
		swap_ref(s, refs.v[i]);
	for (size_t i = 0; i < defs.len; i++)
		swap_def(s, defs.v[i], runs[i] & 1, runs[i] >> 1);
	free(runs);
	free(refs.v);
	free(defs.v);
}

void md_notes_restore(struct md_swapped *s)
{
	for (size_t i = 0; i < s->extra.len; i++)
		cmark_node_free(s->extra.v[i]);
	for (size_t i = s->orig.len; i-- > 0;) {
		cmark_node *orig = s->orig.v[i], *c = s->custom.v[i], *child;
		while ((child = cmark_node_first_child(c))) {
			cmark_node_unlink(child);
			cmark_node_append_child(orig, child);
		}
		cmark_node_replace(c, orig);
		cmark_node_free(c);
	}
	free(s->orig.v);
	free(s->custom.v);
	free(s->extra.v);
	memset(s, 0, sizeof(*s));
}

/* ---- prefixes ----------------------------------------------------------- */

/* Whether `frag` names a note of `doc`: "fn-N" or "fnref-N" or "fnref-N-K"
 * with N a note's number (at most `nnotes`). */
static int is_note_fragment(const char *frag, unsigned nnotes)
{
	const char *p;
	char *end;
	unsigned long n;

	if (!strncmp(frag, "fn-", 3))
		p = frag + 3;
	else if (!strncmp(frag, "fnref-", 6))
		p = frag + 6;
	else
		return 0;
	if (*p < '1' || *p > '9')
		return 0;
	n = strtoul(p, &end, 10);
	if (n > nnotes)
		return 0;
	if (*end == '-' && p == frag + 6 && end[1] >= '1' && end[1] <= '9')
		strtoul(end + 1, &end, 10);
	return !*end;
}

void md_prefix_ids(struct cmark_node *doc, const char *prefix)
{
	struct strmap ids = STRMAP_INIT;
	struct buf frag = BUF_INIT, url = BUF_INIT;
	struct md_nodelist links = { 0 };
	unsigned nnotes = 0;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		const char *id = md_heading_id(n), *u;
		struct md_note *note = md_note_of(n);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (id) {
			strmap_put(&ids, id, n);
		} else if (note) {
			free(note->prefix);
			note->prefix = xstrdup(prefix);
			nnotes++;
		} else if (cmark_node_get_type(n) == CMARK_NODE_LINK &&
			   (u = cmark_node_get_url(n)) && u[0] == '#') {
			md_nodelist_push(&links, n);
		}
	}
	cmark_iter_free(it);

	/* The body's own links to its headings and notes follow them; links
	 * to anything else are left as written. */
	for (size_t i = 0; i < links.len; i++) {
		const char *u = cmark_node_get_url(links.v[i]) + 1;
		buf_reset(&frag);
		if (buf_add_percent_decoded(&frag, u, strlen(u)) < 0)
			continue;
		if (!strmap_get(&ids, frag.ptr) && !is_note_fragment(frag.ptr, nnotes))
			continue;
		buf_reset(&url);
		buf_printf(&url, "#%s%s", prefix, frag.ptr);
		cmark_node_set_url(links.v[i], url.ptr);
	}
	/* Then the headings (the map borrowed their old ids until now). */
	for (size_t i = 0; i < ids.cap; i++) {
		cmark_node *h = ids.slots[i].val;
		if (!ids.slots[i].key)
			continue;
		buf_reset(&url);
		buf_printf(&url, "%s%s", prefix, md_heading_id(h));
		free(cmark_node_get_user_data(h));
		cmark_node_set_user_data(h, buf_detach(&url, NULL));
	}
	strmap_release(&ids);
	free(links.v);
	buf_release(&frag);
	buf_release(&url);
}
