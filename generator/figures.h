/*
 * figures: the numbers a bureau publishes (参训人次, 学时, how many projects,
 * cases, achievements...), counted once per build and used by every output,
 * so that the website, the booklet PDF and its print page cannot disagree.
 *
 * Which figures exist is the theme's declaration (figures.yaml beside
 * schema.yaml, docs/THEMES.md), not C code. A declared figure is a measure
 * over one collection:
 *   count            how many records
 *   sum:FIELD        the sum of an integer field
 *   distinct:FIELD   how many different values a field takes (list items
 *                    count one by one)
 * under a fixed filter (`where`: field equality) and, when computed, a year
 * filter; `by` names fields whose terms each get a figure of their own
 * (projects by level, by region).
 *
 * The year of a record is its `year` field where the collection's schema
 * has one, else the year of its `date`, else its `founded`. A figure marked
 * `years: cumulative` (studios) counts, for year Y, the records of a year up
 * to Y or of no known year: a studio founded in 2024 is not in 2022's
 * booklet, one whose founding year is unknown is.
 *
 * Not reported is not zero: a sum that no record of the selection reports
 * has no value (has_value 0, shown as 未填报); `reported` and `selected`
 * say how many records of the selection report the field. A distinct
 * count over records none of which has the field has no value either.
 *
 * Every value keeps the records it was counted from (the selection, in
 * collection order), so a page can link a number to exactly those records
 * and anyone can recount it (stats/figures.json, figures_json()).
 *
 * Ownership and threads: everything lives in the arena given to
 * figures_load(); records are the model's. After figures_compute() the
 * values are read-only and may be read from render threads; only
 * figures_shown() changes anything afterwards (the list of pages showing a
 * value), and it must be called from one thread at a time.
 */
#ifndef SHOWCASE_FIGURES_H
#define SHOWCASE_FIGURES_H

#include <stddef.h>

struct arena;
struct buf;
struct diag;
struct model;
struct record;
struct schema;
struct schema_collection;
struct value;

enum figures_measure {
	FIGURES_COUNT,
	FIGURES_SUM,
	FIGURES_DISTINCT,
};

/* Most `by` fields and `where` conditions one figure may declare. */
#define FIGURES_MAX_FIELDS 16

struct figures_cond {
	const char *field;
	const char *text; /* the value as text: "国培", "2024", "true" */
};

/* One declared figure. */
struct figures_def {
	const char *name;       /* "trainees"; unique */
	const char *collection; /* "projects" */
	const struct schema_collection *coll;
	const char *coll_label; /* "培训项目", for "11 个培训项目中 3 个填报" */
	enum figures_measure measure;
	const char *field;      /* FIGURES_SUM, FIGURES_DISTINCT */
	const char *measure_text; /* "count", "sum:trainees" */
	const char *label;      /* in the site's language: "参训人次" */
	const char *unit;       /* "人次"; "" when none */
	const char *note;       /* how it is counted, or "" */
	int cumulative;         /* years: cumulative */
	int overview;           /* shown in the booklet's 年度概况 */
	struct figures_cond where[FIGURES_MAX_FIELDS];
	size_t nwhere;
	const char *by[FIGURES_MAX_FIELDS];
	size_t nby;
};

struct figures_value;

/* The breakdown of one value by one field: a value per term. Terms of an
 * enum follow the schema's order, others go largest first (then by text). */
struct figures_group {
	const char *field;
	struct figures_value **items;
	size_t nitems;
};

/* One computed figure: a declared figure under one filter. */
struct figures_value {
	const struct figures_def *def;
	const char *id;        /* unique: "trainees", "trainees/2024",
				* "trainees/2024/level=国培" */
	int year;              /* 0: all years */
	const char *by, *term; /* the breakdown field and term, or NULL */
	int has_value;         /* 0: not reported */
	long long value;
	size_t selected;       /* records in the selection */
	size_t reported;       /* of them, those that report the field */
	struct record **records; /* the selection, collection order */
	struct figures_group *groups; /* one per `by` field (whole values) */
	size_t ngroups;
	/* output paths of the pages showing it (figures_shown()) */
	const char **pages;
	size_t npages, pages_cap;
};

struct figures {
	struct arena *a;
	const char *path;       /* the declaration, for diagnostics */
	const char *language;
	struct figures_def *defs;
	size_t ndefs;
	int *years;             /* every year a record has, ascending */
	size_t nyears;
	struct figures_value **values; /* all, in declaration, year, term order */
	size_t nvalues, cap;
	struct figures_value **whole;  /* [def * (nyears + 1) + year index + 1] */
};

/*
 * Read the declaration `decl` (figures.yaml, at `path`) and check it
 * against `schema`: known collection, fields and measure, an integer field
 * for a sum. `decl` NULL declares nothing. `language` picks label/label_en.
 * Problems are theme errors (diag_fail) at their line and column. Returns 0
 * or -1. `fs` keeps pointers into `a`, which must outlive it.
 */
int figures_load(struct figures *fs, struct arena *a, const struct value *decl,
		 const char *path, const struct schema *schema,
		 const char *language, struct diag *d);

/* Count every declared figure over the model's records: for all years
 * together, for each year, and for each term of each `by` field. */
void figures_compute(struct figures *fs, const struct model *m);

/* The year of a record, by the rule above; 0 when it has none. */
int figures_record_year(const struct record *r);

/* The declared figure `name`, or NULL. */
const struct figures_def *figures_def(const struct figures *fs,
				      const char *name);

/* The value of figure `name` for `year` (0: all years), or NULL when the
 * figure is not declared or the year has no records at all. */
const struct figures_value *figures_get(const struct figures *fs,
					const char *name, int year);

/* The breakdown of `v` by `field`, or NULL when the figure has no such
 * `by` field. */
const struct figures_group *figures_group(const struct figures_value *v,
					  const char *field);

/*
 * The value as a reader sees it, into `out`: "1,234 人次"; "未填报" when not
 * reported; "1,234 人次（11 个培训项目中 3 个填报）" when only some records
 * report it (English with language "en").
 */
void figures_text(const struct figures *fs, const struct figures_value *v,
		  struct buf *out);

/* Record that output page `path` shows `v`. Single thread; `path` must
 * outlive `fs` (arena memory). */
void figures_shown(struct figures *fs, const struct figures_value *v,
		   const char *path);

/* stats/figures.json: every value, keys sorted, records as URLs relative to
 * `base_path`. Byte-identical for the same input. */
void figures_json(const struct figures *fs, const char *base_path,
		  const char *generator, struct buf *out);

#endif
