/*
 * markdown_internal: what markdown.c and markdown_ids.c share. Not for
 * other modules: use markdown.h.
 */
#ifndef SHOWCASE_MARKDOWN_INTERNAL_H
#define SHOWCASE_MARKDOWN_INTERNAL_H

#include "markdown.h"

#include <stddef.h>

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

#endif
