/*
 * render_key: the key of a record page for incremental builds (manifest.h),
 * computed from the model without rendering: a page whose key is the one
 * the previous manifest lists is carried over by hard link, not rendered.
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
 *   - the page of its year's figures (a report), when there is one;
 *   - the generator, the theme, site.yaml and media: the base key.
 * Anything else a page shows must enter here, or a reused page is stale:
 * tests/integration/t-incremental.sh compares with fresh builds.
 */
#include "render_internal.h"

#include "arena.h"
#include "figures.h"
#include "manifest.h"
#include "model.h"
#include "repo.h"
#include "schema.h"
#include "value.h"

#include <string.h>

void render_key_site(const struct model *m, const char *base,
		     const char *stats_url, char out[MANIFEST_KEY_SIZE])
{
	struct manifest_hash *h = manifest_hash_new();

	manifest_hash_str(h, "pages-base", base);
	manifest_hash_str(h, "stats", stats_url ? stats_url : "");
	for (size_t i = 0; i < m->ncollections; i++) {
		const struct collection *c = &m->collections[i];
		manifest_hash_str(h, "collection", c->name);
		manifest_hash_num(h, "count", (long long)c->count);
		for (size_t k = 0; k < c->count; k++) {
			manifest_hash_str(h, "path", c->records[k]->path);
			manifest_hash_str(h, "url", c->records[k]->url);
		}
	}
	manifest_hash_end(h, out);
}

static void put_file(struct manifest_hash *h, const struct model *m,
		     const struct record *r)
{
	const struct repo_file *f = repo_snapshot_find(m->snapshot, r->path);
	const struct repo_file_history *hi = r->history;

	manifest_hash_str(h, "record", r->path);
	manifest_hash_str(h, "oid", f ? f->oid : "");
	manifest_hash_str(h, "url", r->url ? r->url : "");
	manifest_hash_num(h, "history", hi != NULL);
	if (!hi)
		return;
	manifest_hash_num(h, "published", hi->published);
	manifest_hash_num(h, "updated", hi->updated);
	manifest_hash_num(h, "authors", (long long)hi->nauthors);
	for (size_t i = 0; i < hi->nauthors; i++)
		manifest_hash_str(h, "author", hi->authors[i]);
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

void render_key_record(const struct model *m, const struct figures *fs,
		       struct arena *a, const char *site_key,
		       const char *template_name, const struct record *r,
		       char out[MANIFEST_KEY_SIZE])
{
	struct manifest_hash *h = manifest_hash_new();
	const char *year_url = NULL;

	manifest_hash_str(h, "record-page", site_key);
	manifest_hash_str(h, "template", template_name);
	manifest_hash_str(h, "out", r->out_path);
	manifest_hash_str(h, "slug", r->slug);
	manifest_hash_str(h, "title", r->title);
	put_file(h, m, r);
	put_record_refs(h, m, r);
	if (!strcmp(r->coll->name, "reports") && fs)
		year_url = render_year_url(m, fs, a, figures_record_year(r));
	manifest_hash_str(h, "year-url", year_url ? year_url : "");
	for (size_t i = 0; i < m->ncollections; i++)
		for (const struct record_links *l = r->links; l; l = l->next) {
			if (l->from != &m->collections[i])
				continue;
			manifest_hash_str(h, "links-from", l->from->name);
			manifest_hash_num(h, "links", (long long)l->len);
			for (size_t k = 0; k < l->len; k++) {
				const struct record *o = l->records[k];
				manifest_hash_str(h, "link-slug", o->slug);
				manifest_hash_str(h, "link-title", o->title);
				put_file(h, m, o);
				put_record_refs(h, m, o);
			}
		}
	manifest_hash_end(h, out);
}
