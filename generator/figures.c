/*
 * figures: see figures.h. The declaration is read once (figures_load), the
 * values counted once after the model stage (figures_compute), in time
 * linear in records × (years + 1) × (1 + `by` fields): each selection is
 * one pass over the collection, and terms are found through a hash map.
 */
#include "figures.h"

#include "arena.h"
#include "collate.h"
#include "numfmt.h"
#include "buf.h"
#include "diag.h"
#include "model.h"
#include "schema.h"
#include "strmap.h"
#include "value.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growable list of records in arena memory. */
struct recs {
	struct record **v;
	size_t len, cap;
};

static void recs_add(struct arena *a, struct recs *l, struct record *r)
{
	if (l->len == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		l->v = arena_grow_array(a, l->v, l->len, cap, sizeof(*l->v));
		l->cap = cap;
	}
	l->v[l->len++] = r;
}

/* A scalar as text, for filters and terms; NULL for what has no text. Integers
 * are written into `tmp`. */
static const char *scalar_text(const struct value *v, char tmp[32])
{
	if (!v)
		return NULL;
	switch (v->kind) {
	case VALUE_STRING:
		return v->u.str.len ? v->u.str.ptr : NULL;
	case VALUE_INT:
		snprintf(tmp, 32, "%lld", v->u.integer);
		return tmp;
	case VALUE_BOOL:
		return v->u.boolean ? "true" : "false";
	default:
		return NULL;
	}
}

int figures_record_year(const struct record *r)
{
	return model_record_year(r);
}

/* ------------------------------------------------------------------ */
/* The declaration                                                     */

static int fail(struct figures *fs, const struct value *at, struct diag *d,
		const char *fmt, const char *arg, const char *arg2)
{
	char msg[512];
	snprintf(msg, sizeof(msg), fmt, arg, arg2 ? arg2 : "");
	diag_fail(d, fs->path, at ? at->line : 1, at ? at->col : 1, "%s", msg);
	return -1;
}

static const char *text_in(struct figures *fs, const struct value *def,
			   const char *key)
{
	const char *zh = value_str(value_map_get(def, key));
	if (!strcmp(fs->language, "en")) {
		const char *en = value_str(value_map_get(def, arena_printf(fs->a,
								"%s_en", key)));
		if (en)
			return en;
	}
	return zh;
}

/* A field the figure names must exist; a list of objects has no terms. */
static int check_field(struct figures *fs, const struct figures_def *f,
		       const char *name, const struct value *at, struct diag *d)
{
	const struct schema_field *sf = schema_field_find(f->coll, name);
	if (!sf)
		return fail(fs, at, d, "figure '%s' names field '%s', which its "
			    "collection does not have", f->name, name);
	if (sf->type == SCHEMA_OBJECT ||
	    (sf->type == SCHEMA_LIST && sf->item && sf->item->type == SCHEMA_OBJECT))
		return fail(fs, at, d, "figure '%s' cannot count by field '%s': "
			    "its values are maps", f->name, name);
	return 0;
}

static int parse_measure(struct figures *fs, struct figures_def *f,
			 const struct value *at, struct diag *d)
{
	const char *m = value_str(at);
	const struct schema_field *sf;

	if (!m || !strcmp(m, "count")) {
		f->measure = FIGURES_COUNT;
		f->measure_text = "count";
		return 0;
	}
	if (!strncmp(m, "sum:", 4))
		f->measure = FIGURES_SUM;
	else if (!strncmp(m, "distinct:", 9))
		f->measure = FIGURES_DISTINCT;
	else
		return fail(fs, at, d, "figure '%s' has measure '%s'; use count, "
			    "sum:FIELD or distinct:FIELD", f->name, m);
	f->measure_text = m;
	f->field = strchr(m, ':') + 1;
	if (check_field(fs, f, f->field, at, d) < 0)
		return -1;
	sf = schema_field_find(f->coll, f->field);
	if (f->measure == FIGURES_SUM && sf->type != SCHEMA_INTEGER)
		return fail(fs, at, d, "figure '%s' sums field '%s', which is not "
			    "an integer", f->name, f->field);
	return 0;
}

static int load_def(struct figures *fs, struct figures_def *f,
		    const char *name, const struct value *def,
		    const struct schema *schema, struct diag *d)
{
	static const char *const keys[] = {
		"collection", "measure", "label", "label_en", "unit", "unit_en",
		"note", "note_en", "where", "by", "years", "overview",
	};
	const struct value *v;

	f->name = name;
	if (def->kind != VALUE_MAP)
		return fail(fs, def, d, "figure '%s' must be a map (collection, "
			    "measure, label, unit...)", name, NULL);
	for (size_t i = 0; i < def->u.map.len; i++) {
		size_t k = 0;
		while (k < sizeof(keys) / sizeof(*keys) &&
		       strcmp(keys[k], def->u.map.members[i].key))
			k++;
		if (k == sizeof(keys) / sizeof(*keys))
			return fail(fs, def->u.map.members[i].val, d,
				    "figure '%s' has an unknown key '%s'", name,
				    def->u.map.members[i].key);
	}
	v = value_map_get(def, "collection");
	if (!value_str(v) || !(f->coll = schema_find(schema, value_str(v))))
		return fail(fs, v ? v : def, d, "figure '%s' needs a collection "
			    "of the schema, not '%s'", name,
			    value_str(v) ? value_str(v) : "");
	f->collection = f->coll->name;
	f->coll_label = !strcmp(fs->language, "en") && f->coll->label_en
			? f->coll->label_en : f->coll->label;
	if (!(f->label = text_in(fs, def, "label")))
		return fail(fs, def, d, "figure '%s' needs a label", name, NULL);
	f->unit = text_in(fs, def, "unit");
	f->unit = f->unit ? f->unit : "";
	f->note = text_in(fs, def, "note");
	f->note = f->note ? f->note : "";
	if (parse_measure(fs, f, value_map_get(def, "measure"), d) < 0)
		return -1;

	v = value_map_get(def, "years");
	if (v && (!value_str(v) || (strcmp(value_str(v), "each") &&
				    strcmp(value_str(v), "cumulative"))))
		return fail(fs, v, d, "figure '%s' has years '%s'; use each or "
			    "cumulative", name, value_str(v) ? value_str(v) : "");
	f->cumulative = v && !strcmp(value_str(v), "cumulative");
	v = value_map_get(def, "overview");
	if (v && v->kind != VALUE_BOOL)
		return fail(fs, v, d, "figure '%s': overview is true or false",
			    name, NULL);
	f->overview = v && v->u.boolean;

	v = value_map_get(def, "where");
	if (v && v->kind != VALUE_MAP)
		return fail(fs, v, d, "figure '%s': where is a map from field to "
			    "value", name, NULL);
	for (size_t i = 0; v && i < v->u.map.len; i++) {
		const struct value_member *m = &v->u.map.members[i];
		char tmp[32];
		const char *text = scalar_text(m->val, tmp);
		if (f->nwhere == FIGURES_MAX_FIELDS)
			return fail(fs, m->val, d, "figure '%s' has too many "
				    "conditions", name, NULL);
		if (check_field(fs, f, m->key, m->val, d) < 0)
			return -1;
		if (!text)
			return fail(fs, m->val, d, "figure '%s': the value of "
				    "'%s' must be a scalar", name, m->key);
		f->where[f->nwhere].field = m->key;
		f->where[f->nwhere++].text = arena_strdup(fs->a, text);
	}

	v = value_map_get(def, "by");
	if (v && value_str(v)) {
		if (check_field(fs, f, value_str(v), v, d) < 0)
			return -1;
		f->by[f->nby++] = value_str(v);
	} else if (v && v->kind == VALUE_LIST) {
		for (size_t i = 0; i < v->u.list.len; i++) {
			const char *by = value_str(v->u.list.items[i]);
			if (!by || f->nby == FIGURES_MAX_FIELDS)
				return fail(fs, v->u.list.items[i], d, "figure "
					    "'%s': by is a list of at most 16 "
					    "field names", name, NULL);
			if (check_field(fs, f, by, v->u.list.items[i], d) < 0)
				return -1;
			f->by[f->nby++] = by;
		}
	} else if (v) {
		return fail(fs, v, d, "figure '%s': by is a field name or a list "
			    "of them", name, NULL);
	}
	return 0;
}

int figures_load(struct figures *fs, struct arena *a, const struct value *decl,
		 const char *path, const struct schema *schema,
		 const char *language, struct diag *d)
{
	const struct value *list;
	int ret = 0;

	memset(fs, 0, sizeof(*fs));
	fs->a = a;
	fs->path = path ? path : "figures.yaml";
	fs->language = language ? language : "zh-CN";
	if (!decl || decl->kind == VALUE_NULL)
		return 0;
	list = value_map_get(decl, "figures");
	if (decl->kind != VALUE_MAP || !list || list->kind != VALUE_MAP)
		return fail(fs, decl, d, "the figures declaration needs a map "
			    "'figures' from name to figure%s", "", NULL);
	fs->defs = arena_calloc(a, list->u.map.len ? list->u.map.len : 1,
				sizeof(*fs->defs));
	for (size_t i = 0; i < list->u.map.len; i++) {
		const struct value_member *m = &list->u.map.members[i];
		if (strchr(m->key, '/') || strchr(m->key, '=') || !*m->key)
			ret = fail(fs, m->val, d, "figure name '%s' may not be "
				   "empty or hold '/' or '='", m->key, NULL);
		else if (load_def(fs, &fs->defs[fs->ndefs], m->key, m->val,
				  schema, d) < 0)
			ret = -1;
		else
			fs->ndefs++;
	}
	return ret;
}

/* ------------------------------------------------------------------ */
/* Counting                                                            */

/* Does record `r` match every `where` condition of `f`? A list field
 * matches when one of its items does. */
static int matches(const struct figures_def *f, const struct record *r)
{
	for (size_t i = 0; i < f->nwhere; i++) {
		const struct value *v = value_map_get(r->fields, f->where[i].field);
		char tmp[32];
		const char *t;
		int found = 0;
		if (v && v->kind == VALUE_LIST) {
			for (size_t k = 0; k < v->u.list.len && !found; k++)
				found = (t = scalar_text(v->u.list.items[k], tmp)) &&
					!strcmp(t, f->where[i].text);
		} else {
			found = (t = scalar_text(v, tmp)) && !strcmp(t, f->where[i].text);
		}
		/* An absent boolean is false. */
		if (!v && !strcmp(f->where[i].text, "false") &&
		    schema_field_find(f->coll, f->where[i].field)->type == SCHEMA_BOOLEAN)
			found = 1;
		if (!found)
			return 0;
	}
	return 1;
}

/* Measure `sel` into a new value. */
static struct figures_value *measure(struct figures *fs,
				     const struct figures_def *f, int year,
				     const char *by, const char *term,
				     struct recs *sel)
{
	struct figures_value *v = arena_calloc(fs->a, 1, sizeof(*v));
	struct strmap seen = STRMAP_INIT;

	v->def = f;
	v->year = year;
	v->by = by;
	v->term = term;
	v->records = sel->v;
	v->selected = sel->len;
	if (year && by)
		v->id = arena_printf(fs->a, "%s/%d/%s=%s", f->name, year, by, term);
	else if (year)
		v->id = arena_printf(fs->a, "%s/%d", f->name, year);
	else if (by)
		v->id = arena_printf(fs->a, "%s/%s=%s", f->name, by, term);
	else
		v->id = f->name;

	if (f->measure == FIGURES_COUNT) {
		v->has_value = 1;
		v->value = (long long)sel->len;
		v->reported = sel->len;
		return v;
	}
	for (size_t i = 0; i < sel->len; i++) {
		const struct value *fv = value_map_get(sel->v[i]->fields, f->field);
		char tmp[32];
		const char *t;
		if (!fv || (fv->kind == VALUE_LIST && !fv->u.list.len))
			continue;
		v->reported++;
		if (f->measure == FIGURES_SUM) {
			/* Fields are integers >= 0 by the schema; a sum past
			 * LLONG_MAX is pinned there rather than wrapped. */
			if (__builtin_add_overflow(v->value, fv->u.integer, &v->value))
				v->value = LLONG_MAX;
			continue;
		}
		for (size_t k = 0; k < (fv->kind == VALUE_LIST ? fv->u.list.len : 1); k++) {
			const struct value *it = fv->kind == VALUE_LIST
						 ? fv->u.list.items[k] : fv;
			if ((t = scalar_text(it, tmp)) && !strmap_get(&seen, t) &&
			    !strmap_put(&seen, t == tmp ? arena_strdup(fs->a, t) : t,
					(void *)1))
				v->value++;
		}
	}
	strmap_release(&seen);
	/* Not reported is not zero; a distinct count of nothing is 0. */
	v->has_value = v->reported > 0 ||
		       (f->measure == FIGURES_DISTINCT && !sel->len);
	return v;
}

static void add_value(struct figures *fs, struct figures_value *v)
{
	if (fs->nvalues == fs->cap) {
		size_t cap = fs->cap ? fs->cap * 2 : 64;
		fs->values = arena_grow_array(fs->a, fs->values, fs->nvalues, cap,
					      sizeof(*fs->values));
		fs->cap = cap;
	}
	fs->values[fs->nvalues++] = v;
}

/* Order of terms: an enum's in the schema's order first, then by value
 * (reported ones first), then by text. */
struct term_sort {
	struct figures_value *v;
	size_t rank;
};

/* qsort has no context; figures_compute() runs on one thread. */
static struct collate *terms_collate;

static int compare_terms(const void *pa, const void *pb)
{
	const struct term_sort *a = pa, *b = pb;
	int c;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->v->has_value != b->v->has_value)
		return a->v->has_value ? -1 : 1;
	if (a->v->value != b->v->value)
		return a->v->value > b->v->value ? -1 : 1;
	/* Equal values in pinyin order, bytes last (deterministic). */
	c = collate_compare(terms_collate, a->v->term, b->v->term);
	return c ? c : strcmp(a->v->term, b->v->term);
}

static size_t enum_rank(const struct schema_field *sf, const char *term)
{
	if (sf && sf->type == SCHEMA_LIST)
		sf = sf->item;
	for (size_t i = 0; sf && sf->type == SCHEMA_ENUM && i < sf->nvalues; i++)
		if (!strcmp(sf->values[i], term))
			return i;
	return (size_t)-1;
}

/* Split `sel` by the terms of field `by`: a record is in the group of each
 * of its terms (each item of a list), and in none when it has no value. */
static void group(struct figures *fs, const struct figures_def *f, int year,
		  const char *by, struct recs *sel, struct figures_group *g)
{
	const struct schema_field *sf = schema_field_find(f->coll, by);
	struct strmap index = STRMAP_INIT;
	struct recs *lists = NULL;
	const char **terms = NULL;
	size_t n = 0, cap = 0;
	struct term_sort *order;

	g->field = by;
	for (size_t i = 0; i < sel->len; i++) {
		const struct value *fv = value_map_get(sel->v[i]->fields, by);
		size_t items = !fv ? 0 : fv->kind == VALUE_LIST ? fv->u.list.len : 1;
		for (size_t k = 0; k < items; k++) {
			char tmp[32];
			const struct value *it = fv->kind == VALUE_LIST
						 ? fv->u.list.items[k] : fv;
			const char *t = scalar_text(it, tmp);
			size_t at;
			if (!t)
				continue;
			at = (size_t)(uintptr_t)strmap_get(&index, t);
			if (!at) {
				if (n == cap) {
					size_t ncap = cap ? cap * 2 : 8;
					lists = arena_grow_array(fs->a, lists, n, ncap,
								 sizeof(*lists));
					terms = arena_grow_array(fs->a, terms, n, ncap,
								 sizeof(*terms));
					cap = ncap;
				}
				memset(&lists[n], 0, sizeof(*lists));
				terms[n] = t == tmp ? arena_strdup(fs->a, t) : t;
				strmap_put(&index, terms[n], (void *)(uintptr_t)(n + 1));
				at = ++n;
			}
			/* A list naming one term twice counts the record once. */
			if (!lists[at - 1].len ||
			    lists[at - 1].v[lists[at - 1].len - 1] != sel->v[i])
				recs_add(fs->a, &lists[at - 1], sel->v[i]);
		}
	}
	strmap_release(&index);
	order = arena_calloc(fs->a, n ? n : 1, sizeof(*order));
	for (size_t i = 0; i < n; i++) {
		order[i].v = measure(fs, f, year, by, terms[i], &lists[i]);
		order[i].rank = enum_rank(sf, terms[i]);
	}
	if (n) {
		terms_collate = collate_open();
		qsort(order, n, sizeof(*order), compare_terms);
		collate_close(terms_collate);
		terms_collate = NULL;
	}
	g->items = arena_calloc(fs->a, n ? n : 1, sizeof(*g->items));
	for (size_t i = 0; i < n; i++)
		g->items[g->nitems++] = order[i].v;
}

static int compare_int(const void *pa, const void *pb)
{
	int a = *(const int *)pa, b = *(const int *)pb;
	return (a > b) - (a < b);
}

/* Every year some record has, ascending. */
static void collect_years(struct figures *fs, const struct model *m)
{
	int *all = NULL;
	size_t n = 0, cap = 0;

	/* Every collection, so that a year with only a report record (its
	 * booklet) has its values too, zeros and 未填报. */
	for (size_t i = 0; i < m->ncollections; i++) {
		const struct collection *c = &m->collections[i];
		for (size_t k = 0; k < c->count; k++) {
			int y = figures_record_year(c->records[k]);
			if (!y)
				continue;
			if (n == cap) {
				size_t ncap = cap ? cap * 2 : 64;
				all = arena_grow_array(fs->a, all, n, ncap, sizeof(*all));
				cap = ncap;
			}
			all[n++] = y;
		}
	}
	if (n) /* qsort(NULL, 0) is undefined */
		qsort(all, n, sizeof(*all), compare_int);
	fs->years = arena_calloc(fs->a, n ? n : 1, sizeof(*fs->years));
	for (size_t i = 0; i < n; i++)
		if (!fs->nyears || fs->years[fs->nyears - 1] != all[i])
			fs->years[fs->nyears++] = all[i];
}

void figures_compute(struct figures *fs, const struct model *m)
{
	collect_years(fs, m);
	fs->whole = arena_calloc(fs->a, fs->ndefs * (fs->nyears + 1) + 1,
				 sizeof(*fs->whole));
	for (size_t i = 0; i < fs->ndefs; i++) {
		const struct figures_def *f = &fs->defs[i];
		const struct collection *c = model_collection(m, f->collection);
		struct recs cand = { 0 };
		int *years;

		for (size_t k = 0; c && k < c->count; k++)
			if (matches(f, c->records[k]))
				recs_add(fs->a, &cand, c->records[k]);
		years = arena_calloc(fs->a, cand.len ? cand.len : 1, sizeof(*years));
		for (size_t k = 0; k < cand.len; k++)
			years[k] = figures_record_year(cand.v[k]);
		for (size_t yi = 0; yi <= fs->nyears; yi++) {
			int year = yi ? fs->years[yi - 1] : 0;
			struct recs sel = { 0 };
			struct figures_value *v;
			for (size_t k = 0; k < cand.len; k++)
				if (!year || years[k] == year ||
				    (f->cumulative && (!years[k] || years[k] < year)))
					recs_add(fs->a, &sel, cand.v[k]);
			v = measure(fs, f, year, NULL, NULL, &sel);
			fs->whole[i * (fs->nyears + 1) + yi] = v;
			add_value(fs, v);
			v->groups = arena_calloc(fs->a, f->nby ? f->nby : 1,
						 sizeof(*v->groups));
			v->ngroups = f->nby;
			for (size_t b = 0; b < f->nby; b++) {
				group(fs, f, year, f->by[b], &sel, &v->groups[b]);
				for (size_t t = 0; t < v->groups[b].nitems; t++)
					add_value(fs, v->groups[b].items[t]);
			}
		}
	}
}

const struct figures_def *figures_def(const struct figures *fs,
				      const char *name)
{
	for (size_t i = 0; i < fs->ndefs; i++)
		if (!strcmp(fs->defs[i].name, name))
			return &fs->defs[i];
	return NULL;
}

const struct figures_value *figures_get(const struct figures *fs,
					const char *name, int year)
{
	const struct figures_def *f = figures_def(fs, name);
	size_t yi = 0;

	if (!f || !fs->whole)
		return NULL;
	if (year) {
		while (yi < fs->nyears && fs->years[yi] != year)
			yi++;
		if (yi == fs->nyears)
			return NULL;
		yi++;
	}
	return fs->whole[(size_t)(f - fs->defs) * (fs->nyears + 1) + yi];
}

const struct figures_group *figures_group(const struct figures_value *v,
					  const char *field)
{
	for (size_t i = 0; v && i < v->ngroups; i++)
		if (!strcmp(v->groups[i].field, field))
			return &v->groups[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Showing                                                             */

void figures_text(const struct figures *fs, const struct figures_value *v,
		  struct buf *out)
{
	int en = !strcmp(fs->language, "en");

	if (!v->has_value) {
		buf_puts(out, en ? "not reported" : "未填报");
		return;
	}
	numfmt_count(out, v->value);
	if (*v->def->unit)
		buf_printf(out, " %s", v->def->unit);
	if (v->def->measure != FIGURES_SUM || v->reported == v->selected)
		return;
	if (en)
		buf_printf(out, " (reported by %zu of %zu %s)", v->reported,
			   v->selected, v->def->coll_label);
	else
		buf_printf(out, "（%zu 个%s中 %zu 个填报）", v->selected,
			   v->def->coll_label, v->reported);
}

void figures_shown(struct figures *fs, const struct figures_value *cv,
		   const char *path)
{
	struct figures_value *v = (struct figures_value *)cv;
	for (size_t i = 0; i < v->npages; i++)
		if (!strcmp(v->pages[i], path))
			return;
	if (v->npages == v->pages_cap) {
		size_t cap = v->pages_cap ? v->pages_cap * 2 : 4;
		v->pages = arena_grow_array(fs->a, v->pages, v->npages, cap,
					    sizeof(*v->pages));
		v->pages_cap = cap;
	}
	v->pages[v->npages++] = path;
}
