/*
 * report_data: the values the report template sees (part of the report
 * module; see report.h and docs/REPORT.md).
 *
 * The template produces Markdown, so every text is escaped for Markdown
 * here: ASCII punctuation that Markdown could read as syntax gets a
 * backslash (a '|' in a title would otherwise end a table cell). The
 * characters & < > " ' are left to the template engine, which turns them
 * into entities that cmark decodes back. Line breaks become spaces.
 *
 * A booklet is carried over on a key taken before this data is built
 * (report_key.c): whatever is read here (the report record, the year's
 * records, sets and figures, titles and addresses of referenced records,
 * site.yaml, the epoch) must be hashed there too.
 */
#include "report_internal.h"

#include "arena.h"
#include "buf.h"
#include "model.h"
#include "numfmt.h"
#include "repo.h"
#include "schema.h"
#include "site.h"
#include "figures.h"
#include "stats.h"
#include "value.h"

#include <stdio.h>
#include <string.h>

static struct value *md_text(struct arena *a, const char *s, size_t len)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '\n' || c == '\r' || c == '\t') {
			buf_putc(&b, ' ');
			continue;
		}
		if (c && strchr("\\`*_{}[]()#+-.!|~:", c))
			buf_putc(&b, '\\');
		buf_putc(&b, c);
	}
	struct value *v = value_string(a, b.ptr, b.len);
	buf_release(&b);
	return v;
}

static struct value *md_cstr(struct arena *a, const char *s)
{
	return md_text(a, s ? s : "", s ? strlen(s) : 0);
}

static const char *ref_title(const struct model *m, const struct schema_field *f,
			     const char *slug)
{
	const struct record *r = f && f->type == SCHEMA_REFERENCE
				 ? model_record(m, f->to, slug) : NULL;
	return r ? r->title : slug;
}

/* One record as the template sees it: every field as escaped text (lists
 * joined with 、, references by their title), plus `ref` ("cases/slug")
 * for directives and `url` on the website. */
static struct value *record_value(const struct model *m, struct arena *a,
				  const struct record *r)
{
	struct value *v = value_map(a);
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < r->fields->u.map.len; i++) {
		const struct value_member *f = &r->fields->u.map.members[i];
		const struct schema_field *def = schema_field_find(r->schema, f->key);
		const struct value *fv = f->val;
		if (fv->kind == VALUE_STRING) {
			value_map_set(a, v, f->key, md_cstr(a,
				ref_title(m, def, fv->u.str.ptr)));
			if (def && def->type == SCHEMA_REFERENCE)
				value_map_set(a, v, arena_printf(a, "%s_ref", f->key),
					      value_cstring(a, arena_printf(a,
						"%s/%s", def->to, fv->u.str.ptr)));
		} else if (fv->kind == VALUE_LIST && fv->u.list.len &&
			   fv->u.list.items[0]->kind != VALUE_MAP) {
			buf_reset(&b);
			for (size_t k = 0; k < fv->u.list.len; k++) {
				const struct value *it = fv->u.list.items[k];
				if (k)
					buf_puts(&b, "、");
				if (it->kind == VALUE_STRING)
					buf_puts(&b, ref_title(m, def ? def->item : NULL,
							       it->u.str.ptr));
				else if (it->kind == VALUE_INT)
					numfmt_count(&b, it->u.integer);
			}
			value_map_set(a, v, f->key, md_text(a, b.ptr, b.len));
		} else if (fv->kind == VALUE_INT &&
			   (fv->u.integer >= 10000 || fv->u.integer <= -10000)) {
			/* Grouped as everywhere (numfmt.h); smaller numbers stay
			 * integers, so that {{#members}} still tests for 0. */
			buf_reset(&b);
			numfmt_count(&b, fv->u.integer);
			value_map_set(a, v, f->key, value_cstring(a, arena_strdup(a, b.ptr)));
		} else if (fv->kind != VALUE_LIST) {
			value_map_set(a, v, f->key, (struct value *)fv);
		}
	}
	value_map_set(a, v, "title", md_cstr(a, r->title));
	value_map_set(a, v, "slug", value_cstring(a, r->slug));
	value_map_set(a, v, "ref", value_cstring(a, arena_printf(a, "%s/%s",
		r->coll->name, r->slug)));
	value_map_set(a, v, "url", value_cstring(a, r->url));
	buf_release(&b);
	return v;
}

static struct value *record_list(const struct model *m, struct arena *a,
				 const struct stats_set *set)
{
	struct value *list = value_list(a);
	for (size_t i = 0; i < set->len; i++) {
		struct value *rv = record_value(m, a, set->records[i]);
		value_map_set(a, rv, "number", value_int(a, (long long)i + 1));
		value_list_push(a, list, rv);
	}
	return list;
}

/* One figure as the template sees it: label, unit, note, the value as a
 * number when reported, and `text` as a reader sees it ("未填报", "1,234
 * 人次（11 个培训项目中 3 个填报）"). */
static struct value *figure_value(const struct figures *fs, struct arena *a,
				  const struct figures_value *v)
{
	struct value *fv = value_map(a);
	struct buf b = BUF_INIT;

	figures_text(fs, v, &b);
	value_map_set(a, fv, "name", value_cstring(a, v->def->name));
	value_map_set(a, fv, "label", md_cstr(a, v->def->label));
	value_map_set(a, fv, "unit", md_cstr(a, v->def->unit));
	/* Absent when empty: an empty string is truthy for {{#note}}, which
	 * printed "培训项目：，5 个。" in the appendix. */
	if (v->def->note && *v->def->note)
		value_map_set(a, fv, "note", md_cstr(a, v->def->note));
	value_map_set(a, fv, "text", md_text(a, b.ptr, b.len));
	if (v->has_value)
		value_map_set(a, fv, "value", value_int(a, v->value));
	value_map_set(a, fv, "not_reported", value_bool(a, !v->has_value));
	value_map_set(a, fv, "partial", value_bool(a, v->has_value &&
				v->reported < v->selected));
	value_map_set(a, fv, "selected", value_int(a, (long long)v->selected));
	value_map_set(a, fv, "reported", value_int(a, (long long)v->reported));
	buf_release(&b);
	return fv;
}

/* figures.NAME for each declared figure of the year, and overview[]: those
 * the declaration puts in the 年度概况, in its order. */
static void figures_data(const struct figures *fs, struct arena *a, int year,
			 struct value *root)
{
	struct value *map = value_map(a), *overview = value_list(a);
	for (size_t i = 0; i < fs->ndefs; i++) {
		const struct figures_value *v = figures_get(fs, fs->defs[i].name,
							    year);
		struct value *fv;
		if (!v)
			continue;
		fv = figure_value(fs, a, v);
		value_map_set(a, map, fs->defs[i].name, fv);
		if (fs->defs[i].overview)
			value_list_push(a, overview, fv);
	}
	value_map_set(a, root, "figures", map);
	value_map_set(a, root, "overview", overview);
}

/* stats.figures.NAME_by_FIELD: the breakdowns that charts draw, with
 * their reported items only (a region that reports no trainees is not a
 * bar of 0). */
static struct value *charts_data(const struct figures *fs, struct arena *a,
				 int year)
{
	struct value *map = value_map(a), *list = value_list(a);
	for (size_t i = 0; i < fs->ndefs; i++) {
		const struct figures_def *f = &fs->defs[i];
		const struct figures_value *v = figures_get(fs, f->name, year);
		for (size_t g = 0; v && g < v->ngroups; g++) {
			const struct figures_group *grp = &v->groups[g];
			const struct schema_field *sf = schema_field_find(f->coll,
									  grp->field);
			struct value *cv = value_map(a), *items = value_list(a);
			const char *key = arena_printf(a, "%s_by_%s", f->name,
						       grp->field);
			for (size_t k = 0; k < grp->nitems; k++) {
				struct value *it;
				if (!grp->items[k]->has_value)
					continue;
				it = value_map(a);
				value_map_set(a, it, "label", md_cstr(a, grp->items[k]->term));
				value_map_set(a, it, "value", value_int(a, grp->items[k]->value));
				value_list_push(a, items, it);
			}
			value_map_set(a, cv, "key", value_cstring(a, key));
			value_map_set(a, cv, "title", md_cstr(a,
				!strcmp(fs->language, "en")
				? arena_printf(a, "%s by %s", f->label,
					       sf ? sf->label_en : grp->field)
				: arena_printf(a, "%s（按%s）", f->label,
					       sf ? sf->label : grp->field)));
			value_map_set(a, cv, "unit", md_cstr(a, f->unit));
			value_map_set(a, cv, "how", md_cstr(a, f->note));
			value_map_set(a, cv, "items", items);
			value_map_set(a, cv, "has_items", value_bool(a, items->u.list.len > 0));
			value_map_set(a, map, key, cv);
			value_list_push(a, list, cv);
		}
	}
	value_map_set(a, map, "all", list);
	return map;
}

/* Studios, each with the achievements it had in the year. */
static struct value *studios_value(const struct model *m, struct arena *a,
				   const struct stats_year *s)
{
	struct value *list = value_list(a);
	for (size_t i = 0; i < s->studios.len; i++) {
		const struct record *st = s->studios.records[i];
		struct value *sv = record_value(m, a, st), *ach = value_list(a);
		/* The model's links back: the achievements that name this
		 * studio, in the collection's order. */
		for (const struct record_links *l = st->links; l; l = l->next) {
			if (strcmp(l->from->name, "achievements"))
				continue;
			for (size_t k = 0; k < l->len; k++)
				if (figures_record_year(l->records[k]) == s->year)
					value_list_push(a, ach, record_value(m, a,
								l->records[k]));
		}
		value_map_set(a, sv, "achievements", ach);
		value_map_set(a, sv, "has_achievements", value_bool(a, ach->u.list.len > 0));
		value_map_set(a, sv, "achievement_count", value_int(a, (long long)ach->u.list.len));
		value_list_push(a, list, sv);
	}
	return list;
}

/* The year's achievements grouped by one field, in the figure's order
 * (enum order of the schema). */
static struct value *grouped(const struct model *m, const struct figures *fs,
			     struct arena *a, int year, const char *field)
{
	const struct figures_group *g = figures_group(
		figures_get(fs, "achievements", year), field);
	struct value *list = value_list(a);
	for (size_t i = 0; g && i < g->nitems; i++) {
		struct stats_set set = { g->items[i]->records,
					 g->items[i]->selected, 0 };
		struct value *gv = value_map(a);
		value_map_set(a, gv, "label", md_cstr(a, g->items[i]->term));
		value_map_set(a, gv, "count", value_int(a, (long long)set.len));
		value_map_set(a, gv, "records", record_list(m, a, &set));
		value_list_push(a, list, gv);
	}
	return list;
}

static struct value *selections_value(const struct model *m, struct arena *a,
				      const struct stats_year *s)
{
	struct value *list = value_list(a);
	for (size_t i = 0; i < s->selections.len; i++) {
		const struct record *r = s->selections.records[i];
		struct value *sv = record_value(m, a, r), *entries = value_list(a);
		const struct value *ev = value_map_get(r->fields, "entries");
		const struct schema_field *def = schema_field_find(r->schema, "entries");
		for (size_t k = 0; ev && ev->kind == VALUE_LIST && k < ev->u.list.len; k++) {
			const struct value *e = ev->u.list.items[k];
			struct value *out = value_map(a);
			for (size_t j = 0; e->kind == VALUE_MAP && j < e->u.map.len; j++) {
				const struct value_member *f = &e->u.map.members[j];
				const struct schema_field *fd = NULL;
				for (size_t q = 0; def && def->item && q < def->item->nfields; q++)
					if (!strcmp(def->item->fields[q].name, f->key))
						fd = &def->item->fields[q];
				if (f->val->kind == VALUE_STRING)
					value_map_set(a, out, f->key, md_cstr(a,
						ref_title(m, fd, f->val->u.str.ptr)));
			}
			value_map_set(a, out, "number", value_int(a, (long long)k + 1));
			value_list_push(a, entries, out);
		}
		value_map_set(a, sv, "entries", entries);
		value_list_push(a, list, sv);
	}
	return list;
}

/* The newest git date (updated, else published) of `r`. */
static long long newest(long long t, const struct record *r)
{
	const struct repo_file_history *h = r->history;
	long long when;

	if (!h)
		return t;
	when = h->updated ? h->updated : h->published;
	return when > t ? when : t;
}

static long long newest_of(long long t, const struct stats_set *set)
{
	for (size_t i = 0; i < set->len; i++)
		t = newest(t, set->records[i]);
	return t;
}

long long report_data_epoch(const struct load_site *bs, const struct record *r,
			    const struct stats_year *s)
{
	long long t = newest(0, r);

	(void)bs;
	t = newest_of(t, &s->projects);
	t = newest_of(t, &s->cases);
	t = newest_of(t, &s->achievements);
	t = newest_of(t, &s->studios);
	t = newest_of(t, &s->selections);
	return load_epoch(t);
}

struct value *report_data(const struct load_site *bs, const struct record *r,
			  const struct stats_year *s, struct arena *a)
{
	const struct model *m = bs->model;
	struct value *root = value_map(a), *st = value_map(a), *build = value_map(a);
	/* Who publishes it: the report's 编印单位, else site.yaml's; never a
	 * fixed 全市. Empty (left out) when neither says. */
	const char *org = value_str(value_map_get(r->fields, "organization"));
	if (!org || !*org)
		org = bs->site.organization;

	value_map_set(a, root, "report", record_value(m, a, r));
	value_map_set(a, st, "year", value_int(a, s->year));
	value_map_set(a, st, "figures", charts_data(&bs->figures, a, s->year));
	figures_data(&bs->figures, a, s->year, root);
	if (org && *org)
		value_map_set(a, root, "organization", md_cstr(a, org));
	value_map_set(a, root, "stats", st);

	value_map_set(a, root, "projects", record_list(m, a, &s->projects));
	value_map_set(a, root, "featured_cases", record_list(m, a, &s->featured_cases));
	value_map_set(a, root, "other_cases", record_list(m, a, &s->other_cases));
	value_map_set(a, root, "has_other_cases", value_bool(a, s->other_cases.len > 0));
	value_map_set(a, root, "studios", studios_value(m, a, s));
	value_map_set(a, root, "achievements_by_level", grouped(m, &bs->figures, a, s->year, "level"));
	value_map_set(a, root, "achievements_by_kind", grouped(m, &bs->figures, a, s->year, "kind"));
	value_map_set(a, root, "selections", selections_value(m, a, s));
	value_map_set(a, root, "has_selections", value_bool(a, s->selections.len > 0));
	value_map_set(a, root, "has_projects", value_bool(a, s->projects.len > 0));
	value_map_set(a, root, "has_cases", value_bool(a, s->cases.len > 0));
	value_map_set(a, root, "has_studios", value_bool(a, s->studios.len > 0));
	value_map_set(a, root, "has_achievements", value_bool(a, s->achievements.len > 0));

	/* The booklet's own date, not the build's: a booklet whose year did
	 * not change is the same bytes in a later build (report_data_epoch). */
	int en = !strcmp(bs->site.language, "en");
	char date[11];
	if (load_date(report_data_epoch(bs, r, s), bs->site.utc_offset, date) < 0)
		date[0] = '\0';
	value_map_set(a, build, "date", value_cstring(a, date));
	/* For the 版权页, in words: "2024年12月20日". */
	int y = 0, mo = 0, day = 0;
	if (sscanf(date, "%d-%d-%d", &y, &mo, &day) == 3)
		value_map_set(a, build, "date_text",
			      value_cstring(a, en ? arena_printf(a, "%d-%02d-%02d", y, mo, day)
					     : arena_printf(a, "%d年%d月%d日", y, mo, day)));
	value_map_set(a, build, "generator", md_cstr(a, "showcase " SHOWCASE_VERSION));
	value_map_set(a, build, "base_url", value_cstring(a, bs->site.base_url));
	value_map_set(a, root, "build", build);
	value_map_set(a, root, "site", md_cstr(a, bs->site.title));
	return root;
}
