/*
 * model_data: see model_data.h. A record has two maps: its summary (title,
 * url, date, ...: what a link to it shows) and its data (every typed field,
 * display rows, links back). Links hold summaries only, so the value graph
 * has no cycles even when two records refer to each other.
 *
 * Both are built when a page needs them, into that page's arena, and freed
 * with it: the model itself holds only the typed fields, so memory stays
 * proportional to the records, not to everything every page could show.
 */
#include "model_data.h"

#include "arena.h"
#include "buf.h"
#include "model.h"
#include "numfmt.h"
#include "repo.h"
#include "schema.h"
#include "site.h"
#include "value.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Number of newest records per collection on the home page. */
#define HOME_SECTION_SIZE 5

/* Templates test a key with a section, and an empty string is true there:
 * leave empty settings out instead. */
static void set_nonempty(struct arena *a, struct value *map, const char *key,
			 const char *s)
{
	if (s && *s)
		value_map_set(a, map, key, value_cstring_ref(a, s));
}

static int lang_en(const struct model *m)
{
	return !strcmp(m->site->language, "en");
}

static const char *field_label(const struct model *m,
			       const struct schema_field *f)
{
	return lang_en(m) && f->label_en ? f->label_en : f->label;
}

/* A commit time as a date (YYYY-MM-DD) under `key` and an ISO 8601 time
 * under `iso_key`, both in UTC so that they do not depend on where the
 * site is built. */
static void set_time(struct arena *a, struct value *map, const char *key,
		     const char *iso_key, long long when)
{
	time_t t = (time_t)when;
	char date[32], iso[48];
	struct tm tm;

	if (!gmtime_r(&t, &tm))
		return;
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	value_map_set(a, map, key, value_cstring(a, date));
	value_map_set(a, map, iso_key, value_cstring(a, iso));
}

/* Fields that classify a record, copied into its summary so that lists of
 * links can show them as tags. */
static const char *const tag_fields[] = { "kind", "level", "category", "award" };

struct value *model_record_summary(const struct model *m,
				   const struct record *r, struct arena *a)
{
	struct value *s = value_map_sized(a, 20);
	const struct value *v;

	value_map_set(a, s, "title", value_cstring_ref(a, r->title));
	value_map_set(a, s, "url", value_cstring_ref(a, r->url));
	value_map_set(a, s, "slug", value_cstring_ref(a, r->slug));
	value_map_set(a, s, "collection", value_cstring_ref(a, r->coll->name));
	value_map_set(a, s, "collection_label", value_cstring_ref(a, r->coll->label));
	if ((v = value_map_get(r->fields, "date")))
		value_map_set(a, s, "date", (struct value *)v);
	if ((v = value_map_get(r->fields, "year")))
		value_map_set(a, s, "year", (struct value *)v);
	else if (value_str(value_map_get(r->fields, "date")))
		value_map_set(a, s, "year", value_int(a,
			strtol(value_str(value_map_get(r->fields, "date")), NULL, 10)));
	if ((v = value_map_get(r->fields, "summary")))
		value_map_set(a, s, "summary", (struct value *)v);
	value_map_set(a, s, "collection_url", value_cstring_ref(a, r->coll->url));
	if (r->history) {
		set_time(a, s, "published", "published_iso", r->history->published);
		set_time(a, s, "updated", "updated_iso", r->history->updated);
	}
	for (size_t i = 0; i < sizeof(tag_fields) / sizeof(*tag_fields); i++)
		if ((v = value_map_get(r->fields, tag_fields[i])) &&
		    v->kind == VALUE_STRING)
			value_map_set(a, s, tag_fields[i], (struct value *)v);
	/* A single reference also as {slug, title, url}, under NAME_ref. */
	for (size_t i = 0; i < r->schema->nfields; i++) {
		const struct schema_field *f = &r->schema->fields[i];
		const struct record *to;
		if (f->type != SCHEMA_REFERENCE ||
		    !value_str(v = value_map_get(r->fields, f->name)) ||
		    !(to = model_record(m, f->to, value_str(v))))
			continue;
		struct value *ref = value_map_sized(a, 3);
		value_map_set(a, ref, "slug", value_cstring_ref(a, to->slug));
		value_map_set(a, ref, "title", value_cstring_ref(a, to->title));
		value_map_set(a, ref, "url", value_cstring_ref(a, to->url));
		value_map_set(a, s, arena_printf(a, "%s_ref", f->name), ref);
	}
	return s;
}

/* Text and link of one scalar value of field type `f`. */
static void scalar_text(const struct model *m, struct arena *a,
			const struct schema_field *f, const struct value *v,
			struct buf *text, const char **url)
{
	*url = NULL;
	switch (v->kind) {
	case VALUE_INT:
		numfmt_count(text, v->u.integer); /* as in the booklet and charts */
		return;
	case VALUE_BOOL:
		buf_puts(text, v->u.boolean ? (lang_en(m) ? "yes" : "是")
					    : (lang_en(m) ? "no" : "否"));
		return;
	case VALUE_STRING:
		break;
	default:
		return;
	}
	if (f && f->type == SCHEMA_REFERENCE) {
		const struct record *r = model_record(m, f->to, v->u.str.ptr);
		if (r) {
			buf_puts(text, r->title);
			*url = r->url;
			return;
		}
	}
	if (f && f->type == SCHEMA_IMAGE)
		*url = model_asset_url(m, a, v->u.str.ptr);
	buf_add(text, v->u.str.ptr, v->u.str.len);
}

static struct value *cell(const struct model *m, struct arena *a,
			  const struct schema_field *f, const struct value *v,
			  struct buf *scratch)
{
	struct value *c = value_map_sized(a, 4);
	const char *url;
	buf_reset(scratch);
	scalar_text(m, a, f, v, scratch, &url);
	value_map_set(a, c, "text", value_string(a, scratch->ptr, scratch->len));
	if (url)
		value_map_set(a, c, "url", value_cstring_ref(a, url));
	return c;
}

static struct value *table_row(const struct model *m, struct arena *a,
			       const struct schema_field *f,
			       const struct value *rows_value, struct buf *scratch)
{
	const struct schema_field *obj = f->item;
	struct value *row = value_map(a), *columns = value_list(a),
		     *rows = value_list(a);

	value_map_set(a, row, "is_table", value_bool(a, 1));
	for (size_t i = 0; i < obj->nfields; i++) {
		struct value *col = value_map_sized(a, 2);
		value_map_set(a, col, "label", value_cstring_ref(a, field_label(m, &obj->fields[i])));
		value_map_set(a, col, "name", value_cstring_ref(a, obj->fields[i].name));
		value_list_push(a, columns, col);
	}
	for (size_t k = 0; k < rows_value->u.list.len; k++) {
		const struct value *entry = rows_value->u.list.items[k];
		struct value *r = value_map(a), *cells = value_list(a);
		for (size_t i = 0; i < obj->nfields; i++) {
			const struct value *v = value_map_get(entry, obj->fields[i].name);
			value_list_push(a, cells, v ? cell(m, a, &obj->fields[i], v, scratch)
						    : cell(m, a, NULL, &value_null_const, scratch));
		}
		value_map_set(a, r, "cells", cells);
		value_list_push(a, rows, r);
	}
	value_map_set(a, row, "columns", columns);
	value_map_set(a, row, "rows", rows);
	return row;
}

/* The display row of field `f` with value `v`, or NULL to leave it out. */
static struct value *field_row(const struct model *m, struct arena *a,
			       const struct schema_field *f,
			       const struct value *v, struct buf *scratch)
{
	struct value *row;
	const char *url;

	if (f->type == SCHEMA_LIST && v->kind == VALUE_LIST &&
	    f->item && f->item->type == SCHEMA_OBJECT) {
		if (!v->u.list.len)
			return NULL;
		row = table_row(m, a, f, v, scratch);
	} else if (f->type == SCHEMA_LIST && v->kind == VALUE_LIST) {
		struct value *items = value_list(a);
		if (!v->u.list.len)
			return NULL;
		row = value_map_sized(a, 6);
		buf_reset(scratch);
		for (size_t i = 0; i < v->u.list.len; i++) {
			struct buf one = BUF_INIT;
			if (i)
				buf_puts(scratch, lang_en(m) ? ", " : "、");
			scalar_text(m, a, f->item, v->u.list.items[i], &one, &url);
			buf_add(scratch, one.ptr, one.len);
			struct value *it = value_map_sized(a, 2);
			value_map_set(a, it, "text", value_string(a, one.ptr, one.len));
			if (url)
				value_map_set(a, it, "url", value_cstring_ref(a, url));
			value_list_push(a, items, it);
			buf_release(&one);
		}
		value_map_set(a, row, "is_list", value_bool(a, 1));
		value_map_set(a, row, "items", items);
		value_map_set(a, row, "text", value_string(a, scratch->ptr, scratch->len));
	} else {
		row = cell(m, a, f, v, scratch);
	}
	value_map_set(a, row, "name", value_cstring_ref(a, f->name));
	value_map_set(a, row, "label", value_cstring_ref(a, field_label(m, f)));
	return row;
}

static int shown_elsewhere(const char *name)
{
	return !strcmp(name, "title") || !strcmp(name, "summary") ||
	       !strcmp(name, "subtitle") ||
	       !strcmp(name, "cover") || !strcmp(name, "slug") ||
	       !strcmp(name, "draft");
}

/* Who wrote the record (the authors of the commits that changed its file),
 * as a list and as one line. */
static void contributors(const struct model *m, struct arena *a,
			 const struct record *r, struct value *d)
{
	struct value *names;
	struct buf text = BUF_INIT;

	if (!r->history || !r->history->nauthors)
		return;
	names = value_list_sized(a, r->history->nauthors);
	for (size_t i = 0; i < r->history->nauthors; i++) {
		const char *name = r->history->authors[i];
		if (i)
			buf_puts(&text, lang_en(m) ? ", " : "、");
		buf_puts(&text, name);
		value_list_push(a, names, value_cstring_ref(a, name));
	}
	value_map_set(a, d, "contributors", names);
	value_map_set(a, d, "contributors_text", value_string(a, text.ptr, text.len));
	buf_release(&text);
}

/* A report's page links the booklet that `showcase build` writes next to
 * it (see report_output_path()). */
static void booklet_links(const struct model *m, struct arena *a,
			  const struct record *r, struct value *d)
{
	const char *slash = strrchr(r->url, '/');
	int dir = slash ? (int)(slash - r->url + 1) : 0;

	if (strcmp(r->coll->name, "reports"))
		return;
	if (m->site->report_pdf)
		value_map_set(a, d, "booklet_pdf_url", value_cstring_ref(a, arena_printf(a,
			"%.*s%s.pdf", dir, r->url, r->slug)));
	if (m->site->report_html)
		value_map_set(a, d, "booklet_html_url", value_cstring_ref(a, arena_printf(a,
			"%.*s%s.html", dir, r->url, r->slug)));
}

struct value *model_record_data(const struct model *m, const struct record *r,
				struct arena *a)
{
	struct value *summary = model_record_summary(m, r, a);
	struct value *d = value_map_sized(a, r->fields->u.map.len +
					  summary->u.map.len + 10);
	struct buf scratch_buf = BUF_INIT, *scratch = &scratch_buf;
	struct value *rows = value_list_sized(a, r->schema->nfields),
		     *links = value_list(a);
	const struct value *v;

	for (size_t i = 0; i < r->fields->u.map.len; i++) {
		const struct value_member *f = &r->fields->u.map.members[i];
		value_map_setn(a, d, f->key, f->key_len, f->val);
	}
	for (size_t i = 0; i < summary->u.map.len; i++) {
		const struct value_member *f = &summary->u.map.members[i];
		value_map_setn(a, d, f->key, f->key_len, f->val);
	}
	value_map_set(a, d, "source", value_cstring_ref(a, r->path));
	contributors(m, a, r, d);
	booklet_links(m, a, r, d);
	/* The cover, when the schema makes it an image (render publishes it). */
	if ((v = value_map_get(r->fields, "cover")) && value_str(v) &&
	    schema_field_find(r->schema, "cover") &&
	    schema_field_find(r->schema, "cover")->type == SCHEMA_IMAGE)
		value_map_set(a, d, "cover_url",
			      value_cstring_ref(a, model_asset_url(m, a, value_str(v))));

	for (size_t i = 0; i < r->schema->nfields; i++) {
		const struct schema_field *f = &r->schema->fields[i];
		struct value *row;
		if (shown_elsewhere(f->name))
			continue;
		v = value_map_get(r->fields, f->name);
		if (!v || v->kind == VALUE_NULL)
			continue;
		if ((row = field_row(m, a, f, v, scratch)))
			value_list_push(a, rows, row);
	}
	value_map_set(a, d, "fields", rows);

	/* Links back, in schema order of the referring collections. */
	for (size_t i = 0; i < m->ncollections; i++) {
		for (struct record_links *l = r->links; l; l = l->next) {
			if (l->from != &m->collections[i])
				continue;
			struct value *group = value_map(a), *recs = value_list(a);
			value_map_set(a, group, "collection", value_cstring_ref(a, l->from->name));
			value_map_set(a, group, "label", value_cstring_ref(a, l->from->label));
			for (size_t k = 0; k < l->len; k++)
				value_list_push(a, recs, model_record_summary(m,
						l->records[k], a));
			value_map_set(a, group, "records", recs);
			value_map_set(a, group, "count", value_int(a, (long long)l->len));
			value_list_push(a, links, group);
		}
	}
	value_map_set(a, d, "links", links);
	value_map_set(a, d, "has_links", value_bool(a, links->u.list.len > 0));
	value_map_set(a, d, "has_fields", value_bool(a, rows->u.list.len > 0));
	buf_release(scratch);
	return d;
}

static struct value *site_data(struct model *m, const char *generator,
			       const char *build_date, const char *current)
{
	struct arena *a = m->arena;
	const struct site_config *s = m->site;
	struct value *d = value_map(a), *nav = value_list(a), *commit = value_map(a);
	const char *id = m->commit_id ? m->commit_id : "";

	value_map_set(a, d, "title", value_cstring_ref(a, s->title));
	set_nonempty(a, d, "description", s->description);
	set_nonempty(a, d, "organization", s->organization);
	value_map_set(a, d, "language", value_cstring_ref(a, s->language));
	value_map_set(a, d, "base_url", value_cstring_ref(a, s->base_url));
	value_map_set(a, d, "base_path", value_cstring_ref(a, s->base_path));
	value_map_set(a, d, "home_url", value_cstring_ref(a, s->base_path));
	value_map_set(a, d, "static_url",
		      value_cstring_ref(a, arena_printf(a, "%sstatic/", s->base_path)));
	value_map_set(a, d, "generator", value_cstring_ref(a, generator));
	set_nonempty(a, d, "build_date", build_date);
	if (*id) {
		value_map_set(a, commit, "id", value_cstring_ref(a, id));
		value_map_set(a, commit, "short", value_string(a, id, 7));
		value_map_set(a, d, "commit", commit);
	}
	for (size_t i = 0; i < m->ncollections; i++) {
		struct collection *c = &m->collections[i];
		struct value *item;
		if (!c->count)
			continue;
		item = value_map(a);
		value_map_set(a, item, "name", value_cstring_ref(a, c->name));
		value_map_set(a, item, "label", value_cstring_ref(a, c->label));
		value_map_set(a, item, "url", value_cstring_ref(a, c->url));
		value_map_set(a, item, "count", value_int(a, (long long)c->count));
		value_map_set(a, item, "current",
			      value_bool(a, current && !strcmp(current, c->name)));
		value_list_push(a, nav, item);
	}
	value_map_set(a, d, "nav", nav);
	return d;
}

struct value *model_home_data(const struct model *m, struct arena *a)
{
	struct value *d = value_map(a), *featured = value_list(a),
		     *sections = value_list(a);

	for (size_t i = 0; i < m->ncollections; i++) {
		struct collection *c = &m->collections[i];
		struct value *sec, *recs;
		if (!c->count)
			continue;
		for (size_t k = 0; k < c->count; k++) {
			const struct value *f = value_map_get(c->records[k]->fields,
							      "featured");
			if (f && f->kind == VALUE_BOOL && f->u.boolean)
				value_list_push(a, featured, model_record_data(m,
						c->records[k], a));
		}
		sec = value_map(a);
		recs = value_list(a);
		for (size_t k = 0; k < c->count && k < HOME_SECTION_SIZE; k++)
			value_list_push(a, recs, model_record_data(m, c->records[k], a));
		value_map_set(a, sec, "name", value_cstring_ref(a, c->name));
		value_map_set(a, sec, "label", value_cstring_ref(a, c->label));
		value_map_set(a, sec, "url", value_cstring_ref(a, c->url));
		value_map_set(a, sec, "count", value_int(a, (long long)c->count));
		value_map_set(a, sec, "records", recs);
		value_list_push(a, sections, sec);
	}
	value_map_set(a, d, "featured", featured);
	value_map_set(a, d, "has_featured", value_bool(a, featured->u.list.len > 0));
	value_map_set(a, d, "sections", sections);
	return d;
}

void model_data_build(struct model *m, const char *generator,
		      const char *build_date)
{
	struct arena *a = m->arena;

	for (size_t i = 0; i < m->ncollections; i++) {
		struct collection *c = &m->collections[i];
		c->data = value_map(a);
		value_map_set(a, c->data, "name", value_cstring_ref(a, c->name));
		value_map_set(a, c->data, "label", value_cstring_ref(a, c->label));
		value_map_set(a, c->data, "url", value_cstring_ref(a, c->url));
		value_map_set(a, c->data, "count", value_int(a, (long long)c->count));
	}
	m->site_data = site_data(m, generator, build_date, NULL);
	m->site_for = arena_calloc(a, m->ncollections ? m->ncollections : 1,
				   sizeof(*m->site_for));
	for (size_t i = 0; i < m->ncollections; i++)
		m->site_for[i] = site_data(m, generator, build_date,
					   m->collections[i].name);
}
