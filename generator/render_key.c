/*
 * render_key: the keys of record, list and term pages for incremental
 * builds (manifest.h), computed from the model without rendering: a page
 * whose key is the one the previous manifest lists is carried over by
 * hard link, not rendered.
 *
 * What a record page shows (render.c render_record(), model_data.c
 * model_record_data()) comes from:
 *   - its own file: path, blob id (front matter and body), and git
 *     history (published, updated, authors);
 *   - its address, output path and template (the theme is in the base);
 *   - the records its fields reference (title, address, slug), walked
 *     through lists and tables like field_row() does;
 *   - the records that reference it (model_record_summary(): their file,
 *     address, dates and the records they reference in turn), in order;
 *   - the addresses its body links resolve to, and the navigation's
 *     collection counts: conservatively, through the site key, which
 *     covers every record's path and address and every collection's
 *     count, so it changes only when a record is added, removed or moves;
 *   - the page of its year's figures (a report), when there is one, and
 *     the size of its PDF booklet (waiting for it, as rendering would);
 *   - the generator, the theme, site.yaml and media: the base key.
 * A card in a term page (model_record_card()) shows a record's file,
 * dates and the records it references; one in a list page (card_data())
 * all that a record page shows but its body's HTML and its year's page,
 * which includes a report's booklet size; the page itself its position (page number,
 * page count, through its path and the site key's counts) and, for a
 * term, the term's text, label, address and count.
 * Anything else a page shows must enter here, or a reused page is stale:
 * tests/integration/t-incremental.sh compares with fresh builds.
 */
#include "render_internal.h"

#include "alloc.h"
#include "arena.h"
#include "figures.h"
#include "manifest.h"
#include "model.h"
#include "repo.h"
#include "schema.h"
#include "site.h"
#include "strmap.h"
#include "value.h"
#include "write.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct render_keys {
	const struct manifest_prev *prev;
	char site[MANIFEST_KEY_SIZE];
	pthread_mutex_t lock; /* for `made` and `arena` */
	struct strmap made;   /* output path -> key */
	struct arena arena;
	atomic_size_t rendered[2], reused[2]; /* [1]: record pages */
	/* each record's card key (card_key()), in collection order: the
	 * records of collection i from first[i], by rank */
	char (*cards)[MANIFEST_KEY_SIZE];
	size_t *first;
};

static void card_key(const struct model *m, const struct record *r,
		     char out[MANIFEST_KEY_SIZE]);

struct render_keys *render_keys_new(const struct model *m, const char *base,
				    const struct manifest_prev *prev,
				    const char *stats_url)
{
	struct render_keys *k;
	struct manifest_hash *h;

	if (!base)
		return NULL;
	k = xcalloc(1, sizeof(*k));
	k->prev = prev;
	pthread_mutex_init(&k->lock, NULL);
	arena_init(&k->arena);
	for (int i = 0; i < 2; i++) {
		atomic_init(&k->rendered[i], 0);
		atomic_init(&k->reused[i], 0);
	}
	h = manifest_hash_new();
	manifest_hash_str(h, "pages-base", base);
	manifest_hash_str(h, "stats", stats_url ? stats_url : "");
	for (size_t i = 0; i < m->ncollections; i++) {
		const struct collection *c = &m->collections[i];
		manifest_hash_str(h, "collection", c->name);
		manifest_hash_num(h, "count", (long long)c->count);
		for (size_t j = 0; j < c->count; j++) {
			manifest_hash_str(h, "path", c->records[j]->path);
			manifest_hash_str(h, "url", c->records[j]->url);
		}
	}
	manifest_hash_end(h, k->site);
	/* A record is a card in several lists (its collection's, its
	 * terms', back-links): its part of their keys is made once. */
	k->first = xcalloc(m->ncollections + 1, sizeof(*k->first));
	for (size_t i = 0; i < m->ncollections; i++)
		k->first[i + 1] = k->first[i] + m->collections[i].count;
	k->cards = xcalloc(k->first[m->ncollections] + 1, sizeof(*k->cards));
	for (size_t i = 0; i < m->ncollections; i++)
		for (size_t j = 0; j < m->collections[i].count; j++)
			card_key(m, m->collections[i].records[j],
				 k->cards[k->first[i] + j]);
	return k;
}

void render_keys_free(struct render_keys *k, struct strmap *keys,
		      struct arena *arena)
{
	if (!k)
		return;
	if (getenv("SHOWCASE_DEBUG_STATS"))
		fprintf(stderr, "showcase: record pages rendered %zu, reused %zu; "
			"list and term pages rendered %zu, reused %zu\n",
			atomic_load(&k->rendered[1]), atomic_load(&k->reused[1]),
			atomic_load(&k->rendered[0]), atomic_load(&k->reused[0]));
	for (size_t i = 0; keys && i < k->made.cap; i++)
		if (k->made.slots[i].key)
			strmap_put(keys, arena_strdup(arena, k->made.slots[i].key),
				   arena_strdup(arena, k->made.slots[i].val));
	strmap_release(&k->made);
	arena_release(&k->arena);
	free(k->cards);
	free(k->first);
	pthread_mutex_destroy(&k->lock);
	free(k);
}

struct manifest_hash *render_key_begin(const struct render_keys *k,
				       const char *kind, const char *out_path)
{
	struct manifest_hash *h = manifest_hash_new();
	manifest_hash_str(h, "site", k->site);
	manifest_hash_str(h, "kind", kind);
	manifest_hash_str(h, "out", out_path);
	return h;
}

int render_key_reuse(struct render_keys *k, struct manifest_hash *h,
		     const char *out_path, int record, char *key_out,
		     struct writer *w, struct diag *d)
{
	char key[MANIFEST_KEY_SIZE];
	int same;

	manifest_hash_end(h, key);
	if (key_out)
		memcpy(key_out, key, MANIFEST_KEY_SIZE);
	pthread_mutex_lock(&k->lock);
	strmap_put(&k->made, arena_strdup(&k->arena, out_path),
		   arena_strdup(&k->arena, key));
	pthread_mutex_unlock(&k->lock);
	same = manifest_prev_reuse(k->prev, out_path, key, w, d);
	atomic_fetch_add(same > 0 ? &k->reused[!!record] : &k->rendered[!!record], 1);
	return same;
}

static void put_file(struct manifest_hash *h, const struct model *m,
		     const struct record *r)
{
	manifest_hash_record(h, r);
	manifest_hash_str(h, "url", r->url ? r->url : "");
}

/* The records value `v` of field `f` references, as far down as lists and
 * objects go: what scalar_text() and model_record_summary() show of them. */
static void put_refs(struct manifest_hash *h, const struct model *m,
		     const struct schema_field *f, const struct value *v)
{
	const struct record *to;

	if (!f || !v)
		return;
	switch (f->type) {
	case SCHEMA_REFERENCE:
		if (!value_str(v))
			return;
		to = model_record(m, f->to, value_str(v));
		manifest_hash_str(h, "ref", value_str(v));
		manifest_hash_str(h, "ref-slug", to ? to->slug : "");
		manifest_hash_str(h, "ref-title", to ? to->title : "");
		manifest_hash_str(h, "ref-url", to && to->url ? to->url : "");
		return;
	case SCHEMA_LIST:
		if (v->kind == VALUE_LIST)
			for (size_t i = 0; i < v->u.list.len; i++)
				put_refs(h, m, f->item, v->u.list.items[i]);
		return;
	case SCHEMA_OBJECT:
		if (v->kind == VALUE_MAP)
			for (size_t i = 0; i < f->nfields; i++)
				put_refs(h, m, &f->fields[i],
					 value_map_get(v, f->fields[i].name));
		return;
	default:
		return;
	}
}

static void put_record_refs(struct manifest_hash *h, const struct model *m,
			    const struct record *r)
{
	for (size_t i = 0; i < r->schema->nfields; i++)
		put_refs(h, m, &r->schema->fields[i],
			 value_map_get(r->fields, r->schema->fields[i].name));
}

static void card_key(const struct model *m, const struct record *r,
		     char out[MANIFEST_KEY_SIZE])
{
	struct manifest_hash *h = manifest_hash_new();
	manifest_hash_str(h, "slug", r->slug);
	manifest_hash_str(h, "title", r->title);
	put_file(h, m, r);
	put_record_refs(h, m, r);
	manifest_hash_end(h, out);
}

void render_key_card(struct manifest_hash *h, const struct render_keys *k,
		     const struct model *m, const struct record *r)
{
	size_t c = (size_t)(r->coll - m->collections);
	const struct record *at = r->rank < m->collections[c].count ?
		m->collections[c].records[r->rank] : NULL;
	char own[MANIFEST_KEY_SIZE];

	/* The table is by rank; a record not in it (never, but cheap to
	 * check) gets its key made here. */
	if (at == r) {
		manifest_hash_str(h, "card", k->cards[k->first[c] + r->rank]);
		return;
	}
	card_key(m, r, own);
	manifest_hash_str(h, "card", own);
}

void render_key_data(struct manifest_hash *h, const struct render_keys *k,
		     const struct model *m, const struct record *r)
{
	render_key_card(h, k, m, r);
	/* A report's booklet link shows the PDF's size: this waits for
	 * the booklet, as rendering the page would. */
	if (!strcmp(r->coll->name, "reports") && m->site->report_pdf)
		manifest_hash_num(h, "booklet-size", m->booklet_pdf_size ?
				  m->booklet_pdf_size(m->booklet_ctx, r) : -1);
	for (size_t i = 0; i < m->ncollections; i++)
		for (const struct record_links *l = r->links; l; l = l->next) {
			if (l->from != &m->collections[i])
				continue;
			manifest_hash_str(h, "links-from", l->from->name);
			manifest_hash_num(h, "links", (long long)l->len);
			for (size_t j = 0; j < l->len; j++)
				render_key_card(h, k, m, l->records[j]);
		}
}

void render_key_record(struct manifest_hash *h, const struct render_keys *k,
		       const struct model *m, const struct figures *fs,
		       struct arena *a, const struct record *r)
{
	const char *year_url = NULL;

	render_key_data(h, k, m, r);
	if (!strcmp(r->coll->name, "reports") && fs)
		year_url = render_year_url(m, fs, a, figures_record_year(r));
	manifest_hash_str(h, "year-url", year_url ? year_url : "");
}
