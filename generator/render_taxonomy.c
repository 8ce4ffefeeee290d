/*
 * render_taxonomy: the taxonomy pages (part of the render module, see
 * render.h and taxonomy.h): for every taxonomy field of a collection, the
 * index of its terms with their counts, and for every term its records,
 * paginated like the collection's list pages.
 *
 * Each record is on one page per term it has, so the work is linear in the
 * records times their taxonomy values; terms come from the index that
 * taxonomy_build() made once with a hash map. The pages show no figure, so
 * render's workers share them out (render_taxonomy_job()), each with its
 * own arena and buffer.
 */
#include "render.h"
#include "render_internal.h"

#include "arena.h"
#include "buf.h"
#include "model.h"
#include "model_data.h"
#include "manifest.h"
#include "site.h"
#include "taxonomy.h"
#include "value.h"

#include <string.h>

static size_t term_pages(const struct model *m, const struct taxonomy_term *t)
{
	size_t size = (size_t)m->site->page_size;
	return t->count ? (t->count + size - 1) / size : 1;
}

static const char *term_page_path(struct arena *a,
				  const struct taxonomy_term *t, size_t p)
{
	if (p == 0)
		return arena_printf(a, "%s/index.html", t->out_dir);
	return arena_printf(a, "%s/page/%zu/index.html", t->out_dir, p + 1);
}

void render_taxonomy_claims(const struct model *m, const struct taxonomy *tx,
			    struct arena *a, render_claim_fn *claim, void *ctx)
{
	for (size_t i = 0; i < tx->nfields; i++) {
		const struct taxonomy_field *tf = &tx->fields[i];
		claim(ctx, arena_printf(a, "%s/index.html", tf->out_dir),
		      arena_printf(a, "the index of '%s' of '%s'", tf->name,
				   tf->coll->name));
		for (size_t k = 0; k < tf->nterms; k++) {
			size_t n = term_pages(m, &tf->terms[k]);
			for (size_t p = 0; p < n; p++)
				claim(ctx, term_page_path(a, &tf->terms[k], p),
				      arena_printf(a, "the page of %s '%s' of "
						   "'%s'", tf->name,
						   tf->terms[k].text,
						   tf->coll->name));
		}
	}
}

/* {collection, name, label, url}: what both kinds of page say about the
 * taxonomy. */
static struct value *field_data(struct arena *a,
				const struct taxonomy_field *tf)
{
	struct value *d = value_map(a);
	value_map_set(a, d, "collection", tf->coll->data);
	value_map_set(a, d, "name", value_cstring_ref(a, tf->name));
	value_map_set(a, d, "label", value_cstring_ref(a, tf->label));
	value_map_set(a, d, "url", value_cstring_ref(a, tf->url));
	value_map_set(a, d, "count", value_int(a, (long long)tf->nterms));
	return d;
}

static int index_page(struct render_ctx *rc, const struct taxonomy_field *tf,
		      struct value *site)
{
	struct arena *a = rc->a;
	struct value *tax = field_data(a, tf), *terms = value_list(a), *root;
	int ret;

	for (size_t k = 0; k < tf->nterms; k++) {
		const struct taxonomy_term *t = &tf->terms[k];
		struct value *item = value_map_sized(a, 4);
		value_map_set(a, item, "text", value_cstring_ref(a, t->text));
		value_map_set(a, item, "label", value_cstring_ref(a, t->label));
		value_map_set(a, item, "url", value_cstring_ref(a, t->url));
		value_map_set(a, item, "count", value_int(a, (long long)t->count));
		value_list_push(a, terms, item);
	}
	value_map_set(a, tax, "terms", terms);
	root = render_page_root(a, rc->m, rc->t, site, "terms",
				arena_printf(a, "%s · %s", tf->coll->label,
					     tf->label),
				tf->url, rc->stats_url);
	value_map_set(a, root, "taxonomy", tax);
	ret = render_emit(rc->t, "terms", root, rc->page, rc->w,
			  arena_printf(a, "%s/index.html", tf->out_dir), rc->d);
	arena_release(a);
	return ret;
}

static int term_pages_render(struct render_ctx *rc,
			     const struct taxonomy_field *tf,
			     const struct taxonomy_term *t, struct value *site)
{
	const struct model *m = rc->m;
	struct arena *a = rc->a;
	size_t size = (size_t)m->site->page_size, pages = term_pages(m, t);
	int ret = 0;

	for (size_t p = 0; p < pages; p++) {
		struct value *list = value_map(a), *recs = value_list(a),
			     *tax = field_data(a, tf), *term = value_map(a),
			     *root, *pg;
		const char *url = p ? arena_printf(a, "%spage/%zu/", t->url, p + 1)
				    : t->url, *out = term_page_path(a, t, p);
		if (rc->keys) {
			struct manifest_hash *h = render_key_begin(rc->keys,
								   "term", out);
			int same;
			manifest_hash_str(h, "text", t->text);
			manifest_hash_str(h, "label", t->label);
			manifest_hash_str(h, "url", t->url);
			manifest_hash_num(h, "count", (long long)t->count);
			manifest_hash_num(h, "terms", (long long)tf->nterms);
			for (size_t k = p * size; k < t->count && k < (p + 1) * size; k++)
				render_key_card(h, rc->keys, m, t->records[k]);
			same = render_key_reuse(rc->keys, h, out, 0, NULL, rc->w,
						rc->d);
			if (same) {
				if (same < 0)
					ret = -1;
				arena_release(a);
				continue;
			}
		}
		for (size_t k = p * size; k < t->count && k < (p + 1) * size; k++)
			value_list_push(a, recs, model_record_card(m, t->records[k], a));
		value_map_set(a, list, "collection", tf->coll->data);
		value_map_set(a, list, "records", recs);
		if ((pg = render_pagination(a, t->url, p, pages)))
			value_map_set(a, list, "pagination", pg);
		value_map_set(a, term, "text", value_cstring_ref(a, t->text));
		value_map_set(a, term, "label", value_cstring_ref(a, t->label));
		value_map_set(a, term, "url", value_cstring_ref(a, t->url));
		value_map_set(a, term, "count", value_int(a, (long long)t->count));
		value_map_set(a, tax, "term", term);
		root = render_page_root(a, m, rc->t, site, "taxonomy",
					arena_printf(a, strcmp(m->site->language, "en")
						     ? "%s · %s：%s" : "%s · %s: %s",
						     tf->coll->label, tf->label,
						     t->label),
					url, rc->stats_url);
		value_map_set(a, root, "list", list);
		value_map_set(a, root, "taxonomy", tax);
		if (render_emit(rc->t, "taxonomy", root, rc->page, rc->w, out,
				rc->d) < 0)
			ret = -1;
		arena_release(a);
	}
	return ret;
}

size_t render_taxonomy_jobs(const struct taxonomy *tx)
{
	size_t n = tx->nfields;
	for (size_t i = 0; i < tx->nfields; i++)
		n += tx->fields[i].nterms;
	return n;
}

int render_taxonomy_job(struct render_ctx *rc, size_t k)
{
	const struct model *m = rc->m;
	const struct taxonomy *tx = rc->tx;

	/* The indexes first, then each field's terms in order. */
	if (k < tx->nfields) {
		const struct taxonomy_field *tf = &tx->fields[k];
		return index_page(rc, tf, m->site_for[tf->coll - m->collections]);
	}
	k -= tx->nfields;
	for (size_t i = 0; i < tx->nfields; i++) {
		const struct taxonomy_field *tf = &tx->fields[i];
		if (k < tf->nterms)
			return term_pages_render(rc, tf, &tf->terms[k],
				m->site_for[tf->coll - m->collections]);
		k -= tf->nterms;
	}
	return 0;
}
