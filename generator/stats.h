/*
 * stats: the figures of one year, computed once from the model.
 *
 * The yearly booklet's 年度概况 and its charts, and later the website's
 * statistics pages, show the same numbers: how many projects by level and
 * by county, 参训人次 (sum of trainees), 学时, cases by kind, achievements by
 * level and kind. Each figure keeps the records it counts, so that a page
 * can link a number to the records behind it and a test can recompute it.
 *
 * Which records belong to a year: projects and selections by their integer
 * `year`; cases and achievements by the year of their `date`; studios all
 * (a studio is listed with the achievements it had that year).
 *
 * Ownership: everything lives in the arena given to stats_compute(); the
 * records are the model's. Read-only afterwards.
 */
#ifndef SHOWCASE_STATS_H
#define SHOWCASE_STATS_H

#include <stddef.h>

struct arena;
struct model;
struct record;
struct value;

struct stats_set {
	struct record **records;
	size_t len, cap;
};

struct stats_item {
	const char *label;
	long long value;
	struct stats_set records; /* the records counted or summed */
};

struct stats_figure {
	const char *key;   /* e.g. "projects_by_level" */
	const char *title; /* e.g. "培训项目（按级别）" */
	const char *unit;  /* e.g. "个" */
	const char *how;   /* how it is counted, for the booklet's appendix */
	struct stats_item *items;
	size_t nitems;
	long long total;
};

struct stats_year {
	int year;
	struct stats_set projects, cases, featured_cases, other_cases,
		achievements, studios, selections;
	long long trainees;  /* 参训人次: sum of projects' trainees */
	long long hours;     /* 学时: sum of projects' hours */
	struct stats_figure *figures;
	size_t nfigures;
};

/* Compute the figures of `year`. Records are taken in collection order. */
void stats_compute(const struct model *m, int year, struct arena *a,
		   struct stats_year *out);

/* The figure with `key`, or NULL. */
const struct stats_figure *stats_figure(const struct stats_year *s,
					const char *key);

/* Append record to a set (arena-grown). */
void stats_set_add(struct arena *a, struct stats_set *set, struct record *r);

/* The year of a record for statistics: its integer `year`, else the year
 * of its `date`, else 0. */
int stats_record_year(const struct record *r);

#endif
