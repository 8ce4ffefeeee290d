/*
 * markdown_internal: what markdown.c and markdown_ids.c share. Not for
 * other modules: use markdown.h.
 */
#ifndef SHOWCASE_MARKDOWN_INTERNAL_H
#define SHOWCASE_MARKDOWN_INTERNAL_H

#include "markdown.h"

#include <stddef.h>

struct buf;
struct cmark_node;

/*
 * The ids taken in one document: an open-addressing hash set of borrowed
 * strings, each with the next "-N" suffix to try, so that numbering many
 * repeats of one heading stays linear. Zero-initialise; release with
 * md_idset_release().
 */
struct md_idset {
	const char **keys;
	unsigned *next;
	size_t cap, len;
};

/* Give heading `h` its id (see md_heading_id()), unique within `set`; the
 * id is stored as the node's user data and freed with the node. */
void md_assign_heading_id(struct md_idset *set, struct cmark_node *h);
void md_idset_release(struct md_idset *set);

/*
 * markdown_guard.c: the estimated work of cmark-gfm's table extension on
 * `text` (see MD_MAX_TABLE_WORK), and in *line the 0-based line of the
 * delimiter row at which it passes the limit. Linear time.
 */
size_t md_table_work(const char *text, size_t len, size_t *line);

/* Which of cmark-gfm's slow paths a body would take too far. */
enum md_guard_kind {
	MD_GUARD_NONE,
	MD_GUARD_BRACKETS, /* MD_MAX_BRACKET_WORK */
	MD_GUARD_HTML,	   /* MD_MAX_HTML_SCAN */
	MD_GUARD_EMAIL,	   /* MD_MAX_EMAIL_SCAN */
	MD_GUARD_AUTOLINK, /* MD_MAX_AUTOLINK_TRIM */
};

struct md_guard {
	enum md_guard_kind kind;
	size_t offset; /* byte of the text to point the error at */
	size_t count;  /* of the constructs to blame ('![', '@', ...) */
	/* The estimates, as far as the scan got. */
	size_t bracket_work, html_work, email_work, autolink_work;
};

/*
 * markdown_guard.c: estimate, in one linear pass over `text`, the work of
 * cmark-gfm's paths that are quadratic in Debian's 0.29.0.gfm.6. Returns 0
 * when every estimate is within its limit (see markdown.h); else -1, with
 * *out saying which limit was passed first and where.
 */
int md_guard_check(const char *text, size_t len, struct md_guard *out);

/*
 * markdown_text.c: the soft breaks of a document that render as nothing
 * (md_softbreak_removed()), taken out of the tree for the time of a
 * rendering and put back by md_cjk_breaks_restore(), which frees the
 * arrays. The tree must not change in between.
 */
struct md_unlinked {
	struct cmark_node **v, **anchor;
	unsigned char *append; /* 1: anchor is the parent, else the next */
	size_t len, cap;
};

void md_cjk_breaks_unlink(struct cmark_node *doc, struct md_unlinked *u);
void md_cjk_breaks_restore(struct md_unlinked *u);

/* Append the plain text of the inlines under `n` (a heading's, for its
 * id; an image's description, for its alt attribute): text and code as
 * written, breaks as a space (or nothing: md_softbreak_removed()), raw
 * HTML left out (in safe mode it is text by the time of rendering). */
void md_plain_text(struct cmark_node *n, struct buf *out);

/* For md_render_doc(): put a custom inline holding opt->image_html()'s
 * markup in the place of image `img` and return it (the caller puts the
 * image back and frees it), or NULL when the hook leaves the image to
 * cmark-gfm. */
struct cmark_mem;
struct md_options;
struct cmark_node *md_image_swap(struct cmark_node *img,
				 const struct md_options *opt,
				 struct cmark_mem *mem);
/* markdown.c: a growable array of borrowed node pointers (free `v`). */
struct md_nodelist {
	struct cmark_node **v;
	size_t len, cap;
};

void md_nodelist_push(struct md_nodelist *l, struct cmark_node *n);

/*
 * markdown_notes.c: footnotes with ids of our own (see markdown.h,
 * md_prefix_ids()). md_notes_number() runs on a freshly parsed document:
 * each footnote definition gets a struct md_note (its user data, freed
 * with the node), each reference a borrowed pointer to its definition (its
 * user data). md_notes_swap() replaces them by custom nodes that print our
 * HTML, for the time of one rendering; md_notes_restore() puts the tree
 * back as it was and frees the arrays. The tree must not change between.
 */
struct md_note {
	char *prefix;	 /* owned; "" unless md_prefix_ids() set one */
	unsigned number; /* 1, 2, ...: as shown, in order of first reference */
	unsigned refs;	 /* references to it */
	unsigned seen;	 /* references met so far while swapping */
};

struct md_swapped {
	struct md_nodelist orig, custom; /* swapped pairs */
	struct md_nodelist extra;	 /* inserted nodes, freed */
};

void md_notes_number(struct cmark_node *doc);
void md_notes_swap(struct cmark_node *doc, struct md_swapped *s);
void md_notes_restore(struct md_swapped *s);
/* The note of a footnote definition, NULL for any other node. */
struct md_note *md_note_of(struct cmark_node *def);

#endif
