/*
 * stats: see stats.h. The collection names are those of the booklet's data
 * contract (docs/REPORT.md: projects[], featured_cases[], studios[]...);
 * the figures, which a theme declares, are in figures.c.
 */
#include "stats.h"

#include "arena.h"
#include "collate.h"
#include "figures.h"
#include "model.h"
#include "value.h"

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

static void gather(const struct model *m, const char *name, int year,
		   int or_before, struct arena *a, struct stats_set *set)
{
	const struct collection *c = model_collection(m, name);
	for (size_t k = 0; c && k < c->count; k++) {
		int y = figures_record_year(c->records[k]);
		if (y == year || (or_before && y < year))
			stats_set_add(a, set, c->records[k]);
	}
}

/* A record's region, then its title: the order of the booklet's lists. */
static const char *region_title(const void *elem, size_t k, void *ctx)
{
	const struct record *r = *(struct record *const *)elem;
	(void)ctx;
	if (k == 0)
		return value_str(value_map_get(r->fields, "region"));
	return r->title;
}

/* In pinyin order (collate.h), by region and then by title, as a reader
 * looks a name up; records without a region come last. */
static void sort_by_region(struct stats_set *set)
{
	collate_sort(set->records, set->len, sizeof(*set->records), 2,
		     region_title, NULL);
}

void stats_compute(const struct model *m, int year, struct arena *a,
		   struct stats_year *s)
{
	memset(s, 0, sizeof(*s));
	s->year = year;
	gather(m, "projects", year, 0, a, &s->projects);
	gather(m, "cases", year, 0, a, &s->cases);
	gather(m, "achievements", year, 0, a, &s->achievements);
	gather(m, "selections", year, 0, a, &s->selections);
	/* A studio founded after the year is not in its booklet; one whose
	 * founding year is unknown (0) is. */
	gather(m, "studios", year, 1, a, &s->studios);
	for (size_t i = 0; i < s->cases.len; i++) {
		const struct value *f = value_map_get(s->cases.records[i]->fields,
						      "featured");
		stats_set_add(a, f && f->kind == VALUE_BOOL && f->u.boolean
				 ? &s->featured_cases : &s->other_cases,
			      s->cases.records[i]);
	}
	sort_by_region(&s->studios);
	sort_by_region(&s->featured_cases);
	sort_by_region(&s->other_cases);
}
