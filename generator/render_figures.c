/*
 * render_figures: the pages that publish the figures (part of the render
 * module, see render.h and figures.h):
 *
 *   years/YYYY/        a year: its figures, a chart and a table for each
 *                      breakdown, its records by collection, its booklets
 *   stats/             every figure across the years (trends) and broken
 *                      down by region, level, kind... over all years
 *   stats/NAME/[YYYY/][by-FIELD/TERM/]
 *                      one figure value and exactly the records it counts
 *                      (its provenance); TERM is written as taxonomy.h says
 *
 * Every figure shown links to its own value page, and every page that
 * shows a value says so with figures_shown(), so that stats/figures.json
 * names it. Not reported is shown as figures_text() says (未填报), never
 * as 0, and is left out of the chart: the table beside it says it.
 *
 * Runs on the render's calling thread, after the record pages: the figures
 * are read-only then except for the pages they are shown on.
 */
#include "render.h"
#include "render_internal.h"

#include "arena.h"
#include "buf.h"
#include "chart.h"
#include "figures.h"
#include "model.h"
#include "model_data.h"
#include "schema.h"
#include "site.h"
#include "taxonomy.h"
#include "value.h"

#include <stdlib.h>
#include <string.h>

/* Records of a collection listed on a year page before "all N". */
#define YEAR_SECTION_SIZE 6

static int lang_en(const struct model *m)
{
	return !strcmp(m->site->language, "en");
}

/* "stats/NAME[/YYYY][/by-FIELD/TERM]": as folders (href 0) or encoded for
 * an href (href 1). */
static void value_dir(struct buf *out, const struct figures_value *v, int href)
{
	struct buf seg = BUF_INIT;

	buf_puts(out, "stats/");
	taxonomy_segment(&seg, v->def->name);
	if (href)
		taxonomy_href(out, seg.ptr);
	else
		buf_puts(out, seg.ptr);
	if (v->year)
		buf_printf(out, "/%d", v->year);
	if (v->by) {
		buf_printf(out, "/by-%s/", v->by);
		buf_reset(&seg);
		taxonomy_segment(&seg, v->term);
		if (href)
			taxonomy_href(out, seg.ptr);
		else
			buf_puts(out, seg.ptr);
	}
	buf_release(&seg);
}

static const char *value_out(struct arena *a, const struct figures_value *v)
{
	struct buf b = BUF_INIT;
	const char *ret;
	value_dir(&b, v, 0);
	buf_puts(&b, "/index.html");
	ret = arena_strndup(a, b.ptr, b.len);
	buf_release(&b);
	return ret;
}

static const char *value_url(struct arena *a, const struct model *m,
			     const struct figures_value *v)
{
	struct buf b = BUF_INIT;
	const char *ret;
	buf_puts(&b, m->site->base_path);
	value_dir(&b, v, 1);
	buf_putc(&b, '/');
	ret = arena_strndup(a, b.ptr, b.len);
	buf_release(&b);
	return ret;
}

static int has_year(const struct figures *fs, int year)
{
	for (size_t i = 0; i < fs->nyears; i++)
		if (fs->years[i] == year)
			return 1;
	return 0;
}

const char *render_year_url(const struct model *m, const struct figures *fs,
			    struct arena *a, int year)
{
	if (!fs->ndefs || !year || !has_year(fs, year))
		return NULL;
	return arena_printf(a, "%syears/%d/", m->site->base_path, year);
}

void render_figures_claims(const struct figures *fs, struct arena *a,
			   render_claim_fn *claim, void *ctx)
{
	if (!fs->ndefs)
		return;
	claim(ctx, "stats/index.html", "the statistics page");
	for (size_t i = 0; i < fs->nyears; i++)
		claim(ctx, arena_printf(a, "years/%d/index.html", fs->years[i]),
		      arena_printf(a, "the page of the year %d", fs->years[i]));
	for (size_t i = 0; i < fs->nvalues; i++)
		claim(ctx, value_out(a, fs->values[i]),
		      arena_printf(a, "the page of the figure '%s'",
				   fs->values[i]->id));
}

/* The label of field `name` of the figure's collection. */
static const char *field_label(const struct model *m,
			       const struct figures_def *def, const char *name)
{
	const struct schema_field *f = schema_field_find(def->coll, name);
	if (!f)
		return name;
	return lang_en(m) && f->label_en ? f->label_en : f->label;
}

static const char *year_text(struct render_ctx *rc, int year)
{
	return lang_en(rc->m) ? arena_printf(rc->a, "%d", year)
			      : arena_printf(rc->a, "%d年", year);
}

/* One value as a page shows it: {label, text, url, has_value, note}, and
 * the page `shown_on` (in the figures' arena) is recorded as showing it. */
static struct value *figure_item(struct render_ctx *rc,
				 const struct figures_value *v,
				 const char *label, const char *shown_on)
{
	struct arena *a = rc->a;
	struct value *d = value_map_sized(a, 6);
	struct buf text = BUF_INIT;

	figures_text(rc->fs, v, &text);
	value_map_set(a, d, "label", value_cstring_ref(a, label));
	value_map_set(a, d, "text", value_string(a, text.ptr, text.len));
	value_map_set(a, d, "url", value_cstring_ref(a, value_url(a, rc->m, v)));
	value_map_set(a, d, "has_value", value_bool(a, v->has_value));
	if (*v->def->note)
		value_map_set(a, d, "note", value_cstring_ref(a, v->def->note));
	buf_release(&text);
	figures_shown(rc->fs, v, shown_on);
	return d;
}

/*
 * A chart of `n` values with their labels and the table beside it:
 * {title, id, rows: [figure_item], svg}. The chart draws the reported
 * values only, and is left out when fewer than two are: one bar says no
 * more than the table.
 */
static struct value *chart_block(struct render_ctx *rc, const char *title,
				 const char *id,
				 const struct figures_value *const *vals,
				 const char *const *labels, size_t n,
				 const char *shown_on)
{
	struct arena *a = rc->a;
	struct value *d = value_map(a), *rows = value_list_sized(a, n);
	struct chart_item *items = arena_calloc(a, n ? n : 1, sizeof(*items));
	size_t shown = 0;

	for (size_t i = 0; i < n; i++) {
		value_list_push(a, rows, figure_item(rc, vals[i], labels[i],
						     shown_on));
		if (vals[i]->has_value && shown < CHART_MAX_ITEMS)
			items[shown++] = (struct chart_item){ labels[i],
							      vals[i]->value };
	}
	value_map_set(a, d, "title", value_cstring_ref(a, title));
	value_map_set(a, d, "id", value_cstring_ref(a, id));
	value_map_set(a, d, "rows", rows);
	if (shown >= 2) {
		struct chart_spec spec = { CHART_BAR, title,
					   n ? vals[0]->def->unit : NULL,
					   items, shown, 0, 0,
					   lang_en(rc->m) ? "en" : "zh-CN" };
		struct buf svg = BUF_INIT;
		if (chart_svg_inline(&spec, &svg) == 0)
			value_map_set(a, d, "svg", value_string(a, svg.ptr, svg.len));
		buf_release(&svg);
	}
	return d;
}

/* A chart per `by` group of value `v`, pushed to `list`. */
static void group_charts(struct render_ctx *rc, const struct figures_value *v,
			 struct value *list, const char *shown_on)
{
	struct arena *a = rc->a;

	for (size_t g = 0; g < v->ngroups; g++) {
		const struct figures_group *grp = &v->groups[g];
		const char **labels;
		if (!grp->nitems)
			continue;
		labels = arena_calloc(a, grp->nitems, sizeof(*labels));
		for (size_t i = 0; i < grp->nitems; i++)
			labels[i] = grp->items[i]->term;
		value_list_push(a, list, chart_block(rc,
			lang_en(rc->m)
			? arena_printf(a, "%s by %s", v->def->label,
				       field_label(rc->m, v->def, grp->field))
			: arena_printf(a, "%s（按%s）", v->def->label,
				       field_label(rc->m, v->def, grp->field)),
			arena_printf(a, "chart-%s-%s", v->def->name, grp->field),
			(const struct figures_value *const *)grp->items, labels,
			grp->nitems, shown_on));
	}
}

struct value *render_figures_home(struct render_ctx *rc)
{
	struct figures *fs = rc->fs;
	struct arena *a = rc->a;
	struct value *d, *items;
	int year;

	if (!fs || !fs->ndefs || !fs->nyears)
		return NULL;
	year = fs->years[fs->nyears - 1];
	d = value_map(a);
	items = value_list(a);
	for (size_t i = 0; i < fs->ndefs; i++) {
		const struct figures_value *v;
		if (!fs->defs[i].overview ||
		    !(v = figures_get(fs, fs->defs[i].name, year)))
			continue;
		value_list_push(a, items, figure_item(rc, v, v->def->label,
						      "index.html"));
	}
	value_map_set(a, d, "year", value_int(a, year));
	value_map_set(a, d, "year_text", value_cstring_ref(a, year_text(rc, year)));
	value_map_set(a, d, "year_url", value_cstring_ref(a,
		render_year_url(rc->m, fs, a, year)));
	value_map_set(a, d, "figures", items);
	return d;
}

/* A year's records of `c`, the first few as summaries, with a link to all
 * of them when the collection has a year taxonomy. */
static struct value *year_section(struct render_ctx *rc,
				  const struct collection *c, int year)
{
	struct arena *a = rc->a;
	struct value *d = value_map(a), *recs = value_list(a);
	const struct taxonomy_field *tf = rc->tx
		? taxonomy_find(rc->tx, c, "year") : NULL;
	size_t count = 0;

	for (size_t k = 0; k < c->count; k++) {
		if (figures_record_year(c->records[k]) != year)
			continue;
		if (count++ < YEAR_SECTION_SIZE)
			value_list_push(a, recs, model_record_card(rc->m,
					c->records[k], a));
	}
	if (!count)
		return NULL;
	value_map_set(a, d, "name", value_cstring_ref(a, c->name));
	value_map_set(a, d, "label", value_cstring_ref(a, c->label));
	value_map_set(a, d, "count", value_int(a, (long long)count));
	value_map_set(a, d, "records", recs);
	for (size_t i = 0; tf && i < tf->nterms; i++)
		if (atoi(tf->terms[i].text) == year)
			value_map_set(a, d, "all_url",
				      value_cstring_ref(a, tf->terms[i].url));
	return d;
}

static int year_page(struct render_ctx *rc, size_t yi)
{
	const struct model *m = rc->m;
	struct figures *fs = rc->fs;
	struct arena *a = rc->a;
	int year = fs->years[yi];
	const char *out = arena_printf(fs->a, "years/%d/index.html", year);
	struct value *d = value_map(a), *figs = value_list(a),
		     *charts = value_list(a), *sections = value_list(a),
		     *booklets = value_list(a), *root;
	const struct collection *reports = model_collection(m, "reports");
	int ret;

	for (size_t i = 0; i < fs->ndefs; i++) {
		const struct figures_value *v = figures_get(fs, fs->defs[i].name,
							    year);
		if (!v)
			continue;
		value_list_push(a, figs, figure_item(rc, v, v->def->label, out));
		group_charts(rc, v, charts, out);
	}
	for (size_t i = 0; i < m->ncollections; i++) {
		const struct collection *c = &m->collections[i];
		struct value *sec;
		if (c == reports || (!schema_field_find(c->schema, "year") &&
				     !schema_field_find(c->schema, "date")))
			continue;
		if ((sec = year_section(rc, c, year)))
			value_list_push(a, sections, sec);
	}
	for (size_t k = 0; reports && k < reports->count; k++)
		if (figures_record_year(reports->records[k]) == year)
			value_list_push(a, booklets, model_record_data(m,
					reports->records[k], a));
	value_map_set(a, d, "year", value_int(a, year));
	value_map_set(a, d, "year_text", value_cstring_ref(a, year_text(rc, year)));
	value_map_set(a, d, "figures", figs);
	value_map_set(a, d, "charts", charts);
	value_map_set(a, d, "has_charts", value_bool(a, charts->u.list.len > 0));
	value_map_set(a, d, "sections", sections);
	value_map_set(a, d, "booklets", booklets);
	value_map_set(a, d, "has_booklets", value_bool(a, booklets->u.list.len > 0));
	if (yi > 0)
		value_map_set(a, d, "prev_url", value_cstring_ref(a,
			render_year_url(m, fs, a, fs->years[yi - 1])));
	if (yi + 1 < fs->nyears)
		value_map_set(a, d, "next_url", value_cstring_ref(a,
			render_year_url(m, fs, a, fs->years[yi + 1])));
	root = render_page_root(a, m, rc->t, m->site_data, "year",
				year_text(rc, year),
				render_year_url(m, fs, a, year), rc->stats_url);
	value_map_set(a, root, "year_page", d);
	ret = render_emit(rc->t, "year", root, rc->page, rc->w, out, rc->d);
	arena_release(a);
	return ret;
}

static int stats_page(struct render_ctx *rc)
{
	const struct model *m = rc->m;
	struct figures *fs = rc->fs;
	struct arena *a = rc->a;
	const char *out = "stats/index.html";
	struct value *d = value_map(a), *years = value_list(a),
		     *figs = value_list(a), *trends = value_list(a),
		     *breakdowns = value_list(a), *root;
	const struct figures_value **vals =
		arena_calloc(a, fs->nyears ? fs->nyears : 1, sizeof(*vals));
	const char **labels =
		arena_calloc(a, fs->nyears ? fs->nyears : 1, sizeof(*labels));
	int ret;

	for (size_t i = 0; i < fs->nyears; i++) {
		struct value *y = value_map(a);
		value_map_set(a, y, "year", value_int(a, fs->years[i]));
		value_map_set(a, y, "text", value_cstring_ref(a,
			year_text(rc, fs->years[i])));
		value_map_set(a, y, "url", value_cstring_ref(a,
			render_year_url(m, fs, a, fs->years[i])));
		value_list_push(a, years, y);
	}
	for (size_t i = 0; i < fs->ndefs; i++) {
		const struct figures_def *def = &fs->defs[i];
		const struct figures_value *all = figures_get(fs, def->name, 0);
		size_t n = 0;
		if (!all)
			continue;
		value_list_push(a, figs, figure_item(rc, all, def->label, out));
		for (size_t y = 0; y < fs->nyears; y++) {
			const struct figures_value *v =
				figures_get(fs, def->name, fs->years[y]);
			if (!v)
				continue;
			vals[n] = v;
			labels[n++] = year_text(rc, fs->years[y]);
		}
		if (n)
			value_list_push(a, trends, chart_block(rc, def->label,
				arena_printf(a, "trend-%s", def->name), vals,
				labels, n, out));
		group_charts(rc, all, breakdowns, out);
	}
	value_map_set(a, d, "years", years);
	value_map_set(a, d, "figures", figs);
	value_map_set(a, d, "trends", trends);
	value_map_set(a, d, "breakdowns", breakdowns);
	root = render_page_root(a, m, rc->t, m->site_data, "stats",
				lang_en(m) ? "Statistics" : "数据统计",
				rc->stats_url, rc->stats_url);
	value_map_set(a, root, "stats", d);
	ret = render_emit(rc->t, "stats", root, rc->page, rc->w, out, rc->d);
	arena_release(a);
	return ret;
}

/* The text of field `name` of `r` for a figure's record table: the number
 * or the values, "" when absent. */
static const char *record_field_text(struct arena *a, const struct record *r,
				     const char *name)
{
	const struct value *v = value_map_get(r->fields, name);
	struct buf b = BUF_INIT;
	const char *ret;

	if (!v)
		return "";
	for (size_t i = 0; i < (v->kind == VALUE_LIST ? v->u.list.len : 1); i++) {
		const struct value *it = v->kind == VALUE_LIST ? v->u.list.items[i] : v;
		if (i)
			buf_puts(&b, "、");
		if (it->kind == VALUE_INT)
			buf_printf(&b, "%lld", it->u.integer);
		else if (value_str(it))
			buf_puts(&b, value_str(it));
	}
	ret = arena_strndup(a, b.ptr ? b.ptr : "", b.len);
	buf_release(&b);
	return ret;
}

/* The page of one value: what it counts and exactly which records. */
static int value_page(struct render_ctx *rc, const struct figures_value *v)
{
	const struct model *m = rc->m;
	struct arena *a = rc->a;
	const struct figures_def *def = v->def;
	const char *out = value_out(rc->fs->a, v);
	struct value *d = value_map(a), *recs = value_list_sized(a, v->selected),
		     *root;
	struct buf title = BUF_INIT;
	int en = lang_en(m), ret;

	buf_puts(&title, def->label);
	if (v->year)
		buf_printf(&title, " · %s", year_text(rc, v->year));
	if (v->by)
		buf_printf(&title, en ? " · %s: %s" : " · %s：%s",
			   field_label(m, def, v->by), v->term);
	for (size_t i = 0; i < v->selected; i++) {
		const struct record *r = v->records[i];
		struct value *row = value_map_sized(a, 4);
		int y = figures_record_year(r);
		value_map_set(a, row, "title", value_cstring_ref(a, r->title));
		value_map_set(a, row, "url", value_cstring_ref(a, r->url));
		if (y)
			value_map_set(a, row, "year", value_int(a, y));
		if (def->field) {
			const char *t = record_field_text(a, r, def->field);
			value_map_set(a, row, "field", value_cstring_ref(a,
				*t ? t : en ? "not reported" : "未填报"));
		}
		value_list_push(a, recs, row);
	}
	value_map_set(a, d, "figure", figure_item(rc, v, def->label, out));
	value_map_set(a, d, "collection", def->coll_label
		? value_cstring_ref(a, def->coll_label) : value_cstring_ref(a, ""));
	value_map_set(a, d, "collection_url", value_cstring_ref(a,
		model_collection(m, def->collection)->url));
	value_map_set(a, d, "measure", value_cstring_ref(a, def->measure_text));
	if (def->field)
		value_map_set(a, d, "field_label", value_cstring_ref(a,
			field_label(m, def, def->field)));
	value_map_set(a, d, "selected", value_int(a, (long long)v->selected));
	value_map_set(a, d, "reported", value_int(a, (long long)v->reported));
	if (v->year) {
		value_map_set(a, d, "year_text", value_cstring_ref(a,
			year_text(rc, v->year)));
		value_map_set(a, d, "year_url", value_cstring_ref(a,
			render_year_url(m, rc->fs, a, v->year)));
	}
	if (def->cumulative)
		value_map_set(a, d, "cumulative", value_bool(a, 1));
	value_map_set(a, d, "records", recs);
	root = render_page_root(a, m, rc->t, m->site_data, "figure", title.ptr,
				value_url(a, m, v), rc->stats_url);
	value_map_set(a, root, "figure", d);
	ret = render_emit(rc->t, "figure", root, rc->page, rc->w, out, rc->d);
	buf_release(&title);
	arena_release(a);
	return ret;
}

int render_figures_pages(struct render_ctx *rc)
{
	struct figures *fs = rc->fs;
	int ret = 0;

	if (!fs->ndefs)
		return 0;
	if (stats_page(rc) < 0)
		ret = -1;
	for (size_t i = 0; i < fs->nvalues; i++)
		if (value_page(rc, fs->values[i]) < 0)
			ret = -1;
	return ret;
}

int render_year_pages(struct render_ctx *rc)
{
	int ret = 0;

	for (size_t i = 0; rc->fs->ndefs && i < rc->fs->nyears; i++)
		if (year_page(rc, i) < 0)
			ret = -1;
	return ret;
}
