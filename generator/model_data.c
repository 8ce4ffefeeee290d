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
#include "taxonomy.h"
#include "thumb.h"
#include "value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Number of newest records per collection on the home page. */
#define HOME_SECTION_SIZE 5
/* The home page's 精选 section: at most this many, newest first. */
#define HOME_FEATURED_MAX 6

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

static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

void model_time_text(const struct model *m, struct arena *a, long long when,
		     struct record_time *out)
{
	int off = m->site->utc_offset;
	time_t t = (time_t)(when + off);
	char date[32], iso[48], text[64];
	struct tm tm;

	memset(out, 0, sizeof(*out));
	if (!gmtime_r(&t, &tm))
		return;
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(iso + strlen(iso), sizeof(iso) - strlen(iso), "%c%02d:%02d",
		 off < 0 ? '-' : '+', abs(off) / 3600, abs(off) % 3600 / 60);
	if (lang_en(m))
		snprintf(text, sizeof(text), "%d %s %d", tm.tm_mday,
			 month_names[tm.tm_mon], tm.tm_year + 1900);
	else
		snprintf(text, sizeof(text), "%d年%d月%d日", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday);
	out->date = arena_strdup(a, date);
	out->text = arena_strdup(a, text);
	out->iso = arena_strdup(a, iso);
}

/* A record's time under `key`, KEY_text and KEY_iso (model_time_text()). */
static void set_time(struct arena *a, struct value *map, const char *key,
		     const char *text_key, const char *iso_key,
		     const struct record_time *rt)
{
	if (!rt->date)
		return;
	value_map_set(a, map, key, value_cstring_ref(a, rt->date));
	value_map_set(a, map, text_key, value_cstring_ref(a, rt->text));
	value_map_set(a, map, iso_key, value_cstring_ref(a, rt->iso));
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
		set_time(a, s, "published", "published_text", "published_iso",
			 &r->published);
		set_time(a, s, "updated", "updated_text", "updated_iso",
			 &r->updated);
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
		buf_puts(text, v->u.boolean ? (lang_en(m) ? "Yes" : "是")
					    : (lang_en(m) ? "No" : "否"));
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

/* A taxonomy field's value links to its term page (taxonomy.h); a
 * reference keeps its link to the record it names and gets the term page
 * as `term_url`. */
static void term_link(struct arena *a, const struct collection *c,
		      const struct schema_field *f, const struct value *v,
		      struct value *shown)
{
	char tmp[32];
	const char *t, *url;

	if (!f->taxonomy || !(t = taxonomy_term_text(f, v, tmp)) ||
	    !(url = taxonomy_term_url(a, c, f, t)))
		return;
	value_map_set(a, shown, value_map_get(shown, "url") ? "term_url" : "url",
		      value_cstring_ref(a, url));
}

/* The display row of field `f` with value `v`, or NULL to leave it out. */
static struct value *field_row(const struct model *m, struct arena *a,
			       const struct collection *c,
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
			term_link(a, c, f, v->u.list.items[i], it);
			value_list_push(a, items, it);
			buf_release(&one);
		}
		value_map_set(a, row, "is_list", value_bool(a, 1));
		value_map_set(a, row, "items", items);
		value_map_set(a, row, "text", value_string(a, scratch->ptr, scratch->len));
	} else {
		row = cell(m, a, f, v, scratch);
		term_link(a, c, f, v, row);
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
	       !strcmp(name, "draft") ||
	       /* an editorial flag: the home page's 精选 section shows it */
	       !strcmp(name, "featured");
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

/* "3.2 MB", "850 KB" (decimal units, as file managers show them; one
 * decimal below 10). */
static const char *file_size_text(struct arena *a, long long bytes)
{
	if (bytes < 1000)
		return arena_printf(a, "%lld B", bytes);
	if (bytes < 1000 * 1000)
		return arena_printf(a, "%lld KB", (bytes + 500) / 1000);
	if (bytes < 10LL * 1000 * 1000)
		return arena_printf(a, "%.1f MB", (double)bytes / 1e6);
	return arena_printf(a, "%lld MB", (bytes + 500000) / 1000000);
}

/* `title`.pdf with the characters file systems refuse (/ \ : * ? " < > |
 * and controls) as "-". */
static const char *booklet_file_name(struct arena *a, const char *title)
{
	struct buf b = BUF_INIT;
	const char *name;

	for (const char *p = title && *title ? title : "booklet"; *p; p++)
		buf_putc(&b, (unsigned char)*p < 0x20 || strchr("/\\:*?\"<>|", *p)
			      ? '-' : *p);
	buf_puts(&b, ".pdf");
	name = arena_strdup(a, b.ptr);
	buf_release(&b);
	return name;
}

/* A report's page links the booklet that `showcase build` writes next to
 * it (see report_output_path()), with its size when the build knows it. */
static void booklet_links(const struct model *m, struct arena *a,
			  const struct record *r, struct value *d)
{
	const char *slash = strrchr(r->url, '/');
	int dir = slash ? (int)(slash - r->url + 1) : 0;

	if (strcmp(r->coll->name, "reports"))
		return;
	if (m->site->report_pdf) {
		long long size = m->booklet_pdf_size
			? m->booklet_pdf_size(m->booklet_ctx, r) : -1;
		value_map_set(a, d, "booklet_pdf_url", value_cstring_ref(a, arena_printf(a,
			"%.*s%s.pdf", dir, r->url, r->slug)));
		/* What the browser saves it as: the report's title, not
		 * "2024.pdf". */
		value_map_set(a, d, "booklet_pdf_name",
			      value_cstring_ref(a, booklet_file_name(a, r->title)));
		if (size >= 0)
			value_map_set(a, d, "booklet_pdf_size",
				      value_cstring_ref(a, file_size_text(a, size)));
	}
	if (m->site->report_html)
		value_map_set(a, d, "booklet_html_url", value_cstring_ref(a, arena_printf(a,
			"%.*s%s.html", dir, r->url, r->slug)));
}

/* The cover, when the schema makes it an image (render publishes it):
 * `cover_url`, and `cover_image` with its size and smaller copies when render
 * has made them (thumb_value()). */
static void cover(const struct model *m, const struct record *r,
		  struct arena *a, struct value *d)
{
	const struct value *v = value_map_get(r->fields, "cover");
	const struct schema_field *f = schema_field_find(r->schema, "cover");
	const char *url;
	struct value *img;

	if (!v || !value_str(v) || !f || f->type != SCHEMA_IMAGE)
		return;
	url = model_asset_url(m, a, value_str(v));
	value_map_set(a, d, "cover_url", value_cstring_ref(a, url));
	if (m->thumbs && (img = thumb_value(m->thumbs, a,
					    thumb_find(m->thumbs, value_str(v)),
					    url)))
		value_map_set(a, d, "cover_image", img);
}

struct value *model_record_card(const struct model *m, const struct record *r,
				struct arena *a)
{
	struct value *summary = model_record_summary(m, r, a);
	struct value *d = value_map_sized(a, r->fields->u.map.len +
					  summary->u.map.len + 2);

	for (size_t i = 0; i < r->fields->u.map.len; i++) {
		const struct value_member *f = &r->fields->u.map.members[i];
		value_map_setn(a, d, f->key, f->key_len, f->val);
	}
	for (size_t i = 0; i < summary->u.map.len; i++) {
		const struct value_member *f = &summary->u.map.members[i];
		value_map_setn(a, d, f->key, f->key_len, f->val);
	}
	cover(m, r, a, d);
	return d;
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
	cover(m, r, a, d);

	for (size_t i = 0; i < r->schema->nfields; i++) {
		const struct schema_field *f = &r->schema->fields[i];
		struct value *row;
		if (shown_elsewhere(f->name))
			continue;
		v = value_map_get(r->fields, f->name);
		if (!v || v->kind == VALUE_NULL)
			continue;
		if ((row = field_row(m, a, r->coll, f, v, scratch)))
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

/* `build_date` and the commit only for the home page (model.h site_home):
 * the other pages and the booklets carry none of the build's own data, so
 * an unchanged page of a new commit is the same bytes (manifest.h). */
static struct value *site_data(struct model *m, const char *generator,
			       const char *build_date, const char *current,
			       int home)
{
	struct arena *a = m->arena;
	const struct site_config *s = m->site;
	struct value *d = value_map(a), *nav = value_list(a), *commit = value_map(a);
	const char *id = home && m->commit_id ? m->commit_id : "";

	if (!home)
		build_date = NULL;
	value_map_set(a, d, "title", value_cstring_ref(a, s->title));
	set_nonempty(a, d, "description", s->description);
	set_nonempty(a, d, "organization", s->organization);
	set_nonempty(a, d, "contact", s->contact);
	set_nonempty(a, d, "icp", s->icp);
	value_map_set(a, d, "language", value_cstring_ref(a, s->language));
	value_map_set(a, d, "og_locale", value_cstring_ref(a,
		      !strcmp(s->language, "en") ? "en_US" : "zh_CN"));
	value_map_set(a, d, "base_url", value_cstring_ref(a, s->base_url));
	value_map_set(a, d, "base_path", value_cstring_ref(a, s->base_path));
	value_map_set(a, d, "home_url", value_cstring_ref(a, s->base_path));
	value_map_set(a, d, "static_url",
		      value_cstring_ref(a, arena_printf(a, "%sstatic/", s->base_path)));
	value_map_set(a, d, "generator", value_cstring_ref(a, generator));
	set_nonempty(a, d, "build_date", build_date);
	if (build_date && *build_date) {
		int y, mo, dd;
		if (sscanf(build_date, "%d-%d-%d", &y, &mo, &dd) == 3 &&
		    mo >= 1 && mo <= 12)
			value_map_set(a, d, "build_date_text", value_cstring(a,
				lang_en(m) ? arena_printf(a, "%d %s %d", dd, month_names[mo - 1], y)
					   : arena_printf(a, "%d年%d月%d日", y, mo, dd)));
	}
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

static int is_featured(const struct record *r)
{
	const struct value *f = value_map_get(r->fields, "featured");
	return f && f->kind == VALUE_BOOL && f->u.boolean;
}

/* When a record was first published on the site (its first commit), for
 * "newest"; 0 without history (a preview of uncommitted files). */
static long long published_at(const struct record *r)
{
	return r->history ? r->history->published : 0;
}

/* 1 if `i` is one of the n indexes in `set`. */
static int among(size_t i, const size_t *set, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (set[k] == i)
			return 1;
	return 0;
}

/*
 * The indexes of up to `k` records of `c`, featured ones only when
 * `featured_only`, not those among the `nskip` indexes of `skip`, newest
 * published first (ties, and records without history, in the collection's
 * own order): one pass keeping a short sorted array, so O(n k).
 */
static size_t newest(const struct collection *c, int featured_only,
		     const size_t *skip, size_t nskip, size_t *out, size_t k)
{
	size_t n = 0;

	for (size_t i = 0; i < c->count; i++) {
		long long t = published_at(c->records[i]);
		size_t at = n;
		if ((featured_only && !is_featured(c->records[i])) ||
		    among(i, skip, nskip))
			continue;
		while (at > 0 && published_at(c->records[out[at - 1]]) < t)
			at--;
		if (at >= k)
			continue;
		if (n < k)
			n++;
		memmove(out + at + 1, out + at, (n - 1 - at) * sizeof(*out));
		out[at] = i;
	}
	return n;
}

/*
 * The home page: the featured records (at most HOME_FEATURED_MAX, the
 * newest, in the collections' order), then for each collection its newest
 * records, leaving out those shown as featured above, so that none appears
 * twice. A record is "newest" by the commit that published it.
 */
struct value *model_home_data(const struct model *m, struct arena *a)
{
	struct value *d = value_map(a), *featured = value_list(a),
		     *sections = value_list(a);
	size_t nfeatured = 0, shown[HOME_FEATURED_MAX], pick[HOME_SECTION_SIZE];

	for (size_t i = 0; i < m->ncollections; i++) {
		struct collection *c = &m->collections[i];
		struct value *sec, *recs;
		size_t n;
		if (!c->count)
			continue;
		n = newest(c, 1, NULL, 0, shown, HOME_FEATURED_MAX - nfeatured);
		for (size_t k = 0; k < n; k++)
			value_list_push(a, featured, model_record_data(m,
					c->records[shown[k]], a));
		nfeatured += n;
		sec = value_map(a);
		recs = value_list(a);
		n = newest(c, 0, shown, n, pick, HOME_SECTION_SIZE);
		for (size_t k = 0; k < n; k++)
			value_list_push(a, recs, model_record_data(m,
					c->records[pick[k]], a));
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
	m->site_data = site_data(m, generator, build_date, NULL, 0);
	m->site_home = site_data(m, generator, build_date, NULL, 1);
	m->site_for = arena_calloc(a, m->ncollections ? m->ncollections : 1,
				   sizeof(*m->site_for));
	for (size_t i = 0; i < m->ncollections; i++)
		m->site_for[i] = site_data(m, generator, build_date,
					   m->collections[i].name, 0);
}
