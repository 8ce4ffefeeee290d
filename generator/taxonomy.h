/*
 * taxonomy: the terms of the fields a schema marks `taxonomy: true`
 * (year, region, level, kind, studio, subject, tags in the default theme),
 * each with the records that have it, for the term pages and term indexes
 * that render writes (render_taxonomy.c) and the links record pages make
 * from a field's value to its term page (model_data.c).
 *
 * URLs (docs/THEMES.md, "Taxonomy pages"), under a collection's list URL:
 *   COLLECTION/by-FIELD/              the index of FIELD's terms, with counts
 *   COLLECTION/by-FIELD/TERM/         the records with TERM, paginated like
 *   COLLECTION/by-FIELD/TERM/page/N/  list pages
 * A date field's terms are years and its pages are named by-year (unless
 * the collection marks a field `year` too; then the date is left out). A
 * list field's record is under each of its items; a reference's term is the
 * slug of the record it names, shown with that record's title.
 *
 * TERM on disk keeps UTF-8 (Chinese stays readable in the address bar) and
 * ASCII letters, digits, '-' and '_'; every other ASCII byte, '.' and '%'
 * included, is written %XX, so that no term can be "..", "index.html" or
 * contain a '/', and two terms never share a folder. A term longer than
 * TAXONOMY_MAX_SEGMENT bytes is cut at a character boundary and ends in
 * "~" and 16 hex digits of its hash (file names have at most 255 bytes).
 * In hrefs the folder name is percent-encoded byte by byte (UTF-8 as
 * %E5%9B%BD..., '%' as %25), which a web server decodes back to it.
 *
 * Ownership: everything lives in the arena given to taxonomy_build();
 * records are the model's. The index is built once on one thread and then
 * only read.
 */
#ifndef SHOWCASE_TAXONOMY_H
#define SHOWCASE_TAXONOMY_H

#include <stddef.h>

struct arena;
struct collection;
struct model;
struct record;
struct schema_field;
struct value;

#define TAXONOMY_MAX_SEGMENT 150

struct taxonomy_term {
	const char *text;    /* "国培", "2024", a slug */
	const char *label;   /* shown: the text, or a referenced title */
	const char *url;     /* with the base path, percent-encoded */
	const char *out_dir; /* "projects/by-level/国培" */
	struct record **records; /* collection order */
	size_t count, cap;
};

struct taxonomy_field {
	const struct collection *coll;
	const struct schema_field *field;
	const char *name;    /* "level"; "year" for a date field */
	const char *label;   /* the field's label in the site's language */
	const char *url;     /* of the index: ".../projects/by-level/" */
	const char *out_dir; /* "projects/by-level" */
	struct taxonomy_term *terms; /* sorted, see taxonomy_build() */
	size_t nterms;
};

struct taxonomy {
	struct taxonomy_field *fields; /* collection order, then field order */
	size_t nfields;
};

/*
 * Index the terms of every taxonomy field of the model's collections, in
 * one pass over the records (terms found through a hash map). Terms sort
 * as an enum's values in the schema's order, years and numbers newest or
 * largest first, other text in pinyin order (collate.h; bytes break ties).
 */
void taxonomy_build(struct taxonomy *tx, struct arena *a,
		    const struct model *m);

/* The taxonomy of collection `c` named `name` ("level", "year"), or NULL. */
const struct taxonomy_field *taxonomy_find(const struct taxonomy *tx,
					   const struct collection *c,
					   const char *name);

/* The term text of one value (an item, for a list) of taxonomy field `f`:
 * the text, the number, or a date's year; NULL when it names none. Numbers
 * are written into `tmp`. */
const char *taxonomy_term_text(const struct schema_field *f,
			       const struct value *v, char tmp[32]);

/* The URL name of taxonomy field `f` of `c`: its name, "year" for a date
 * field; NULL when `f` is not a taxonomy of `c` (a date beside a `year`
 * taxonomy). */
const char *taxonomy_name(const struct collection *c,
			  const struct schema_field *f);

/* The term page URL of `term` of taxonomy field `f` (not a list item's
 * definition: the record's own field) of `c`, into `a`; NULL when `f` is
 * not a taxonomy. Needs no index: record pages link terms with it. */
const char *taxonomy_term_url(struct arena *a, const struct collection *c,
			      const struct schema_field *f, const char *term);

/* Append the folder name of `term` (see above) to `out`. */
struct buf;
void taxonomy_segment(struct buf *out, const char *term);

/* Append `s` percent-encoded for an href: every byte but ASCII letters,
 * digits, '-', '_', '.' and '~'. */
void taxonomy_href(struct buf *out, const char *s);

#endif
