/*
 * stats: the records of one year, as the yearly booklet lists them.
 *
 * The numbers themselves (how many, 参训人次, 学时, by level and region)
 * are the figures module's (figures.h), declared by the theme and counted
 * once per build; this module only gathers the records the booklet's
 * chapters list, by the same year rule (figures_record_year()):
 * projects, cases (featured and other), achievements and selections of the
 * year, and the studios founded in or before the year (or of unknown
 * founding year), each listed with its achievements of the year.
 *
 * Ownership: the sets live in the arena given to stats_compute(); the
 * records are the model's. Read-only afterwards.
 */
#ifndef SHOWCASE_STATS_H
#define SHOWCASE_STATS_H

#include <stddef.h>

struct arena;
struct model;
struct record;

struct stats_set {
	struct record **records;
	size_t len, cap;
};

struct stats_year {
	int year;
	struct stats_set projects, cases, featured_cases, other_cases,
		achievements, studios, selections;
};

/* Gather the records of `year`, in collection order, except the studios
 * and the featured and other cases: those by region and then title, in
 * pinyin order (collate.h). */
void stats_compute(const struct model *m, int year, struct arena *a,
		   struct stats_year *out);

/* Append record to a set (arena-grown). */
void stats_set_add(struct arena *a, struct stats_set *set, struct record *r);

#endif
