/*
 * figures_json: stats/figures.json, every figure as open data (part of the
 * figures module, see figures.h; the format is in docs/THEMES.md).
 *
 * Journalists and supervisors recount the published numbers from it, so
 * each entry says what was counted (collection, measure, where), the
 * result, and exactly which records (their URLs) and which pages show it.
 * Keys are written in sorted order and entries in the order of the
 * declaration, then years ascending, then terms: the same input gives the
 * same bytes.
 */
#include "figures.h"

#include "alloc.h"
#include "arena.h"
#include "buf.h"
#include "model.h"
#include "schema.h"

#include <stdlib.h>
#include <string.h>

/* A filter value typed as its field: numbers and booleans bare. */
static void json_term(struct buf *b, const struct figures_def *f,
		      const char *field, const char *text)
{
	const struct schema_field *sf = schema_field_find(f->coll, field);
	if (sf && sf->type == SCHEMA_LIST)
		sf = sf->item;
	if (sf && (sf->type == SCHEMA_INTEGER || sf->type == SCHEMA_BOOLEAN))
		buf_puts(b, text);
	else
		buf_add_json_string(b, text);
}

struct cond {
	const char *field, *text;
	int year; /* the year condition */
};

static int compare_cond(const void *pa, const void *pb)
{
	return strcmp(((const struct cond *)pa)->field,
		      ((const struct cond *)pb)->field);
}

static void json_where(struct buf *b, const struct figures_value *v)
{
	const struct figures_def *f = v->def;
	struct cond conds[FIGURES_MAX_FIELDS + 2];
	size_t n = 0;

	for (size_t i = 0; i < f->nwhere; i++)
		conds[n++] = (struct cond){ f->where[i].field, f->where[i].text, 0 };
	if (v->by)
		conds[n++] = (struct cond){ v->by, v->term, 0 };
	if (v->year)
		conds[n++] = (struct cond){ "year", NULL, 1 };
	qsort(conds, n, sizeof(*conds), compare_cond);
	buf_putc(b, '{');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ',');
		buf_add_json_string(b, conds[i].field);
		buf_putc(b, ':');
		if (!conds[i].year)
			json_term(b, f, conds[i].field, conds[i].text);
		else if (f->cumulative)
			buf_printf(b, "{\"max\":%d,\"or_unknown\":true}", v->year);
		else
			buf_printf(b, "%d", v->year);
	}
	buf_putc(b, '}');
}

static int compare_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void json_value(struct buf *b, const struct figures_value *v,
		       const char *base_path)
{
	const struct figures_def *f = v->def;
	size_t blen = strlen(base_path);
	const char **pages;

	buf_puts(b, "{\"collection\":");
	buf_add_json_string(b, f->collection);
	buf_puts(b, ",\"id\":");
	buf_add_json_string(b, v->id);
	buf_puts(b, ",\"label\":");
	buf_add_json_string(b, f->label);
	buf_puts(b, ",\"measure\":");
	buf_add_json_string(b, f->measure_text);
	buf_puts(b, ",\"pages\":[");
	pages = xcalloc(v->npages ? v->npages : 1, sizeof(*pages));
	if (v->npages)
		memcpy(pages, v->pages, v->npages * sizeof(*pages));
	qsort(pages, v->npages, sizeof(*pages), compare_str);
	for (size_t i = 0; i < v->npages; i++) {
		if (i)
			buf_putc(b, ',');
		buf_add_json_string(b, pages[i]);
	}
	free(pages);
	buf_puts(b, "],\"records\":[");
	for (size_t i = 0; i < v->selected; i++) {
		const char *url = v->records[i]->url ? v->records[i]->url : "";
		if (!strncmp(url, base_path, blen))
			url += blen;
		if (i)
			buf_putc(b, ',');
		buf_add_json_string(b, url);
	}
	buf_printf(b, "],\"reported\":%zu,\"selected\":%zu,\"unit\":",
		   v->reported, v->selected);
	buf_add_json_string(b, f->unit);
	buf_puts(b, ",\"value\":");
	if (v->has_value)
		buf_printf(b, "%lld", v->value);
	else
		buf_puts(b, "null");
	buf_puts(b, ",\"where\":");
	json_where(b, v);
	buf_putc(b, '}');
}

void figures_json(const struct figures *fs, const char *base_path,
		  const char *generator, struct buf *out)
{
	buf_puts(out, "{\"figures\":[\n");
	for (size_t i = 0; i < fs->nvalues; i++) {
		json_value(out, fs->values[i], base_path);
		buf_puts(out, i + 1 < fs->nvalues ? ",\n" : "\n");
	}
	buf_puts(out, "],\"generator\":");
	buf_add_json_string(out, generator);
	buf_puts(out, "}\n");
}
