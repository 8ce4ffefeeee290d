/*
 * stats: see stats.h. Figures group records by the value of one field;
 * groups follow the field's enum order when it has one, otherwise the
 * largest first (ties by label), so the output is deterministic.
 */
#include "stats.h"

#include "arena.h"
#include "model.h"
#include "schema.h"
#include "value.h"

#include <stdlib.h>
#include <string.h>

void stats_set_add(struct arena *a, struct stats_set *set, struct record *r)
{
	if (set->len == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 8;
		set->records = arena_grow_array(a, set->records, set->len, cap,
						sizeof(*set->records));
		set->cap = cap;
	}
	set->records[set->len++] = r;
}

int stats_record_year(const struct record *r)
{
	const struct value *v = value_map_get(r->fields, "year");
	if (v && v->kind == VALUE_INT)
		return (int)v->u.integer;
	const char *date = value_str(value_map_get(r->fields, "date"));
	return date ? atoi(date) : 0;
}

/* What a figure adds up for each record: 1 (a count) or a field's value. */
struct figure_def {
	const char *key, *title, *unit, *how;
	const char *collection;
	const char *group_by; /* field whose value names the group */
	const char *sum;      /* integer field to add, NULL to count */
};

static const struct figure_def figure_defs[] = {
	{ "projects_by_level", "培训项目（按级别）", "个",
	  "当年（year 字段）的培训项目按“级别”计数", "projects", "level", NULL },
	{ "projects_by_region", "培训项目（按区县）", "个",
	  "当年培训项目按“区县”计数", "projects", "region", NULL },
	{ "trainees_by_level", "参训人次（按级别）", "人次",
	  "当年培训项目“参训人数”按“级别”求和", "projects", "level", "trainees" },
	{ "trainees_by_region", "参训人次（按区县）", "人次",
	  "当年培训项目“参训人数”按“区县”求和", "projects", "region", "trainees" },
	{ "hours_by_level", "培训学时（按级别）", "学时",
	  "当年培训项目“学时”按“级别”求和", "projects", "level", "hours" },
	{ "cases_by_kind", "典型案例（按类型）", "篇",
	  "日期在当年的典型案例按“案例类型”计数", "cases", "kind", NULL },
	{ "achievements_by_level", "工作室成果（按级别）", "项",
	  "日期在当年的工作室成果按“级别”计数", "achievements", "level", NULL },
	{ "achievements_by_kind", "工作室成果（按类型）", "项",
	  "日期在当年的工作室成果按“成果类型”计数", "achievements", "kind", NULL },
};

static struct stats_set *set_for(struct stats_year *s, const char *collection)
{
	if (!strcmp(collection, "projects"))
		return &s->projects;
	if (!strcmp(collection, "cases"))
		return &s->cases;
	if (!strcmp(collection, "achievements"))
		return &s->achievements;
	return NULL;
}

static int compare_items(const void *pa, const void *pb)
{
	const struct stats_item *a = pa, *b = pb;
	if (a->value != b->value)
		return a->value > b->value ? -1 : 1;
	return strcmp(a->label, b->label);
}

static void compute_figure(const struct model *m, struct stats_year *s,
			   struct arena *a, const struct figure_def *def,
			   struct stats_figure *fig)
{
	const struct stats_set *set = set_for(s, def->collection);
	const struct collection *c = model_collection(m, def->collection);
	const struct schema_field *f = c ? schema_field_find(c->schema, def->group_by) : NULL;
	size_t cap = set->len + (f ? f->nvalues : 0) + 1;

	fig->key = def->key;
	fig->title = def->title;
	fig->unit = def->unit;
	fig->how = def->how;
	fig->items = arena_calloc(a, cap, sizeof(*fig->items));
	/* Enum groups first, in the schema's order, so charts read 国培→校本. */
	if (f && f->type == SCHEMA_ENUM)
		for (size_t i = 0; i < f->nvalues; i++)
			fig->items[fig->nitems++].label = f->values[i];
	size_t fixed = fig->nitems;

	for (size_t i = 0; i < set->len; i++) {
		struct record *r = set->records[i];
		const char *label = value_str(value_map_get(r->fields, def->group_by));
		long long add = 1;
		size_t k;
		if (def->sum) {
			const struct value *v = value_map_get(r->fields, def->sum);
			if (!v || v->kind != VALUE_INT)
				continue;
			add = v->u.integer;
		}
		if (!label)
			label = "未填写";
		for (k = 0; k < fig->nitems; k++)
			if (!strcmp(fig->items[k].label, label))
				break;
		if (k == fig->nitems)
			fig->items[fig->nitems++].label = label;
		fig->items[k].value += add;
		fig->total += add;
		stats_set_add(a, &fig->items[k].records, r);
	}
	/* Free-text groups (counties) by size. */
	if (fig->nitems > fixed)
		qsort(fig->items + fixed, fig->nitems - fixed, sizeof(*fig->items),
		      compare_items);
	/* Drop empty groups. */
	size_t kept = 0;
	for (size_t i = 0; i < fig->nitems; i++)
		if (fig->items[i].records.len)
			fig->items[kept++] = fig->items[i];
	fig->nitems = kept;
}

void stats_compute(const struct model *m, int year, struct arena *a,
		   struct stats_year *s)
{
	static const char *const dated[] = { "projects", "cases", "achievements",
					     "selections" };
	memset(s, 0, sizeof(*s));
	s->year = year;
	for (size_t i = 0; i < sizeof(dated) / sizeof(*dated); i++) {
		const struct collection *c = model_collection(m, dated[i]);
		struct stats_set *set = !strcmp(dated[i], "selections")
					? &s->selections : set_for(s, dated[i]);
		for (size_t k = 0; c && k < c->count; k++)
			if (stats_record_year(c->records[k]) == year)
				stats_set_add(a, set, c->records[k]);
	}
	const struct collection *studios = model_collection(m, "studios");
	for (size_t k = 0; studios && k < studios->count; k++)
		stats_set_add(a, &s->studios, studios->records[k]);
	for (size_t i = 0; i < s->cases.len; i++) {
		const struct value *f = value_map_get(s->cases.records[i]->fields,
						      "featured");
		stats_set_add(a, f && f->kind == VALUE_BOOL && f->u.boolean
				 ? &s->featured_cases : &s->other_cases,
			      s->cases.records[i]);
	}
	for (size_t i = 0; i < s->projects.len; i++) {
		const struct value *fields = s->projects.records[i]->fields;
		s->trainees += value_int_or(value_map_get(fields, "trainees"), 0);
		s->hours += value_int_or(value_map_get(fields, "hours"), 0);
	}
	s->nfigures = sizeof(figure_defs) / sizeof(*figure_defs);
	s->figures = arena_calloc(a, s->nfigures, sizeof(*s->figures));
	for (size_t i = 0; i < s->nfigures; i++)
		compute_figure(m, s, a, &figure_defs[i], &s->figures[i]);
}

const struct stats_figure *stats_figure(const struct stats_year *s,
					const char *key)
{
	for (size_t i = 0; i < s->nfigures; i++)
		if (!strcmp(s->figures[i].key, key))
			return &s->figures[i];
	return NULL;
}
