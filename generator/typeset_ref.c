/*
 * typeset_ref: page references to records printed in full, "（见第 N 页）"
 * (see typeset_internal.h).
 *
 * The number goes into the text, so it is part of the layout that decides
 * the pages: the document is built and paginated, the pages of the
 * referenced records noted, and, when a number printed differs from the
 * page found, built and paginated again with the numbers found. A number
 * changes a line's width by a digit at most, so the second layout almost
 * always holds; TS_REF_PASSES bounds the loop whatever happens.
 */
#include "typeset_internal.h"

#include "alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Indexes hold position + 1, so that NULL means absent. */
static void *index_value(size_t i)
{
	return (void *)(uintptr_t)(i + 1);
}

static int index_lookup(const struct strmap *m, const char *key)
{
	uintptr_t v = (uintptr_t)strmap_get(m, key);
	return v ? (int)(v - 1) : -1;
}

void ts_index_headings(struct ts_doc *doc)
{
	strmap_release(&doc->heads_by_id);
	strmap_release(&doc->heads_by_record);
	for (size_t i = 0; i < doc->heads.len; i++) {
		const struct ts_heading *h = &doc->heads.v[i];
		if (h->id)
			strmap_put(&doc->heads_by_id, h->id, index_value(i));
		if (h->record)
			strmap_put(&doc->heads_by_record, h->record, index_value(i));
	}
}

int ts_heading_by_record(const struct ts_doc *doc, const char *key)
{
	return index_lookup(&doc->heads_by_record, key);
}

int ts_heading_by_id(const struct ts_doc *doc, const char *id)
{
	return index_lookup(&doc->heads_by_id, id);
}

int ts_ref_number(struct ts_doc *doc, const char *key)
{
	struct ts_ref *ref;
	int i = index_lookup(&doc->refs_by_key, key);

	if (i >= 0)
		return doc->refs.v[i].guess;
	ref = TS_PUSH(doc->refs);
	ref->key = xstrdup(key);
	strmap_put(&doc->refs_by_key, ref->key, index_value(doc->refs.len - 1));
	return 0;
}

int ts_refs_settle(struct ts_doc *doc)
{
	int settled = 1;

	for (size_t i = 0; i < doc->refs.len; i++) {
		struct ts_ref *ref = &doc->refs.v[i];
		int h = ts_heading_by_record(doc, ref->key), page;
		page = h >= 0 ? doc->heads.v[h].page : -1;
		ref->found = page >= 0 ? doc->pages.v[page].number : 0;
		if (ref->found != ref->guess)
			settled = 0;
		ref->guess = ref->found;
	}
	return settled;
}

void ts_layout_reset(struct ts_doc *doc)
{
	for (size_t i = 0; i < doc->blocks.len; i++)
		ts_block_release(&doc->blocks.v[i]);
	doc->blocks.len = 0;
	for (size_t i = 0; i < doc->heads.len; i++) {
		free(doc->heads.v[i].text);
		free(doc->heads.v[i].record);
		free(doc->heads.v[i].id);
	}
	doc->heads.len = 0;
	strmap_release(&doc->heads_by_id);
	strmap_release(&doc->heads_by_record);
	for (size_t i = 0; i < doc->notes.len; i++)
		free(doc->notes.v[i]);
	doc->notes.len = 0;
	doc->frags.len = 0;
	doc->pages.len = 0;
	doc->toc_at = -1;
	doc->figures = 0;
}

void ts_refs_release(struct ts_doc *doc)
{
	for (size_t i = 0; i < doc->refs.len; i++)
		free(doc->refs.v[i].key);
	free(doc->refs.v);
	strmap_release(&doc->refs_by_key);
	doc->refs.v = NULL;
	doc->refs.len = doc->refs.cap = 0;
}
