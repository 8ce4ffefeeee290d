/*
 * schema: the typed description of the collections, and the validate stage
 * that turns a record's raw front matter into typed values.
 *
 * The default theme ships themes/default/schema.yaml; site.yaml may extend
 * it under `collections:` with the same shape. Merging is by key: a field
 * given by the site replaces the theme's whole definition of that field
 * (keeping its place in the field order; new fields come after the theme's),
 * and collection settings (label, label_en, folder, permalink, sort) are
 * overridden one by one. The merged schema is itself checked when loaded;
 * problems are reported at the offending YAML node, as system errors
 * (diag_fail) when they come from the theme and content errors (diag_error)
 * when they come from site.yaml.
 *
 * Every collection implicitly has `slug` (string) and `draft` (boolean);
 * they are not listed in `fields` but schema_field_find() knows them.
 *
 * Validation checks one record without seeing the others: references are
 * typed (as slugs) but resolved by the model, which walks them with
 * schema_each_reference().
 *
 * Ownership: everything schema_load() and schema_validate() build lives in
 * the arena passed to them and shares no memory with their input values,
 * which may be released afterwards. A loaded schema is never modified, so
 * any number of threads may read it; schema_validate() allocates from its
 * arena and so needs one arena per thread.
 */
#ifndef SHOWCASE_SCHEMA_H
#define SHOWCASE_SCHEMA_H

#include <stddef.h>

struct arena;
struct buf;
struct diag;
struct value;

/* Nesting limit of object fields in a schema (input-controlled). */
#define SCHEMA_MAX_DEPTH 8
/* Limit on the values typed for one record, so aliases cannot blow up. */
#define SCHEMA_MAX_VALUES 100000

enum schema_type {
	SCHEMA_STRING,
	SCHEMA_INTEGER,
	SCHEMA_BOOLEAN,
	SCHEMA_DATE,   /* "YYYY-MM-DD", kept as a string */
	SCHEMA_ENUM,   /* one of `values`, kept as a string */
	SCHEMA_LIST,   /* items typed by `item` */
	SCHEMA_REFERENCE, /* a slug of collection `to`, kept as a string */
	SCHEMA_IMAGE,  /* a repository-relative path, kept as a string */
	SCHEMA_OBJECT, /* a map typed by `fields` */
};

struct schema_field {
	const char *name;     /* the key in front matter */
	const char *label;    /* shown on record pages; the name if not given */
	const char *label_en; /* label_en, else the name as words: "Start date" */
	enum schema_type type;
	int required;
	const char *const *values; /* SCHEMA_ENUM: allowed values, in order */
	size_t nvalues;
	int has_min;         /* SCHEMA_INTEGER: `min` was given */
	long long min;
	size_t min_items;    /* SCHEMA_LIST */
	const struct schema_field *item; /* SCHEMA_LIST: the item type */
	const char *to;      /* SCHEMA_REFERENCE: the target collection */
	const char *after;   /* SCHEMA_DATE: sibling date it must not precede */
	const struct schema_field *fields; /* SCHEMA_OBJECT */
	size_t nfields;
	/* `taxonomy: true`: a page per term and an index of terms (see
	 * taxonomy.h); only a record's own fields */
	int taxonomy;
};

struct schema_sort_key {
	const char *field;
	int descending;
	const struct schema_field *def; /* the field, maybe the implicit slug */
};

struct schema_collection {
	const char *name;      /* e.g. "cases" */
	const char *label;     /* e.g. "典型案例"; the name if not given */
	const char *label_en;  /* or NULL */
	const char *folder;    /* e.g. "content/cases", no trailing '/' */
	const char *permalink; /* e.g. "/{collection}/{slug}/" */
	const struct schema_sort_key *sort; /* then by slug */
	size_t nsort;
	const struct schema_field *fields; /* as declared; no slug or draft */
	size_t nfields;
	int order;             /* place in navigation, smaller first */
};

/* A collection without an `order` setting comes after those with one. */
#define SCHEMA_DEFAULT_ORDER 1000

struct schema {
	const struct schema_collection *collections; /* sorted by name */
	size_t count;
};

/*
 * Build the schema from the theme's parsed schema file (a map with a
 * `collections` map) and the `collections` map of site.yaml (or NULL).
 * Input values may be raw from yamlv_parse() or already passed through
 * value_resolve_scalars(). Returns 0 and sets *out; on any problem reports
 * every one found (the first 200, then how many more there were), sets
 * *out to NULL and returns -1.
 */
int schema_load(struct arena *a, const struct value *theme_schema,
		const char *theme_path, const struct value *site_collections,
		const char *site_path, struct schema **out, struct diag *d);

/* The collection named `name`, or NULL. */
const struct schema_collection *schema_find(const struct schema *s,
					    const char *name);

/* The collection whose folder directly holds `repo_path`, a ".md" file
 * (content/cases/x.md -> cases; content/cases/a/x.md -> NULL), or NULL. */
const struct schema_collection *schema_for_path(const struct schema *s,
						const char *repo_path);

/* The field `name` of `c` (including the implicit slug and draft), or NULL. */
const struct schema_field *schema_field_find(const struct schema_collection *c,
					     const char *name);

/* "string", "integer", ... as written in schema files. */
const char *schema_type_name(enum schema_type type);

/*
 * Validate the front matter `front` (a map from yamlv_parse(); an empty
 * document, i.e. null, counts as an empty map) of the record at `path`
 * against `c`, reporting every problem at its line and column.
 * `check_image` (may be NULL: no check) says whether the file an image path
 * names may be published (media_policy_check()): it returns NULL when it
 * may, else the reason, a phrase reported after the quoted path ("image
 * 'content/a.png' is a Git LFS pointer; ..."); `ctx` is passed to it.
 *
 * *typed is always set to a new map in `a`, in the order written: integers
 * as VALUE_INT, booleans VALUE_BOOL, lists and objects typed item by item,
 * dates, enums, references and image paths (normalised) as strings; unknown
 * fields (warned about) typed by value_resolve_scalars(). Absent optional
 * fields, empty optional values and values with errors are left out. Every
 * typed value keeps the line and column of its source.
 *
 * Returns 0 if there was no error (warnings allowed), -1 otherwise.
 */
int schema_validate(const struct schema_collection *c, struct arena *a,
		    const struct value *front, const char *path,
		    const char *(*check_image)(void *ctx, const char *repo_path),
		    void *ctx, struct value **typed, struct diag *d);

/* Parse a strict "YYYY-MM-DD" that names a real day (leap years included).
 * Returns 0 and sets *y, *m, *d, or -1. */
int schema_date_parse(const char *s, int *y, int *m, int *d);

/*
 * Call cb for every reference value in `typed` (a map returned by
 * schema_validate() for `c`), in field order, including references inside
 * lists and inside object entries; `field` is the reference's definition
 * (for a list of references, the list's item definition).
 */
void schema_each_reference(const struct schema_collection *c,
			   const struct value *typed,
			   void (*cb)(void *ctx, const char *to_collection,
				      const struct value *slug_value,
				      const struct schema_field *field),
			   void *ctx);

/*
 * Order two typed records of `c` by its sort keys, then by slug: returns
 * <0, 0 or >0 as for qsort. Integers compare as numbers, enums by their
 * position in `values`, dates byte-wise, strings by `coll` (collate.h:
 * pinyin for Chinese, so 甘州, 广西, 湖南, 济源, 金坛), or byte-wise when
 * `coll` is NULL. Records lacking a sort value come after those that have
 * one, whatever the direction.
 */
struct collate;
int schema_compare(const struct schema_collection *c, struct collate *coll,
		   const struct value *a, const char *a_slug,
		   const struct value *b, const char *b_slug);
/* The same order from each record's sort values, looked up once (what
 * schema_compare() does for one pair):
 * schema_sort_values() fills vals[0..c->nsort) from `typed` (NULL for the
 * slug key and for a field the record lacks). A sort of n records
 * compares n log n pairs; looking their fields up in every comparison was
 * half of sorting 50,000 records. */
void schema_sort_values(const struct schema_collection *c,
			const struct value *typed, const struct value **vals);
int schema_compare_values(const struct schema_collection *c,
			  struct collate *coll,
			  const struct value *const *a, const char *a_slug,
			  const struct value *const *b, const char *b_slug);

/*
 * Expand c->permalink for a record into `out` (appended): {collection} is
 * the collection name, {slug} the slug, {year} the record's integer `year`
 * field, else the year of its `date` field. Returns -1 (leaving `out` as it
 * was) when {year} is used and the record has neither.
 */
int schema_permalink(const struct schema_collection *c,
		     const struct value *typed, const char *slug,
		     struct buf *out);

#endif
