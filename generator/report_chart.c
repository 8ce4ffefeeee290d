/*
 * report_chart: the booklet's charts (part of the report module): the
 * breakdown a chart directive names, its SVG (chart.h, shared with the
 * website), its numbered caption, and the sentence that replaces a chart
 * of a single term.
 */
#include "report_internal.h"

#include "alloc.h"
#include "arena.h"
#include "buf.h"
#include "chart.h"
#include "directive.h"
#include "figures.h"
#include "schema.h"
#include "stats.h"

#include <stdlib.h>
#include <string.h>

const struct figures_group *report_chart_group(const struct report_job *job,
					       const char *name,
					       const struct figures_value **whole)
{
	const char *by = strstr(name, "_by_");
	const struct figures_value *v;
	char *fig;

	*whole = NULL;
	if (!by)
		return NULL;
	fig = arena_strndup(job->arena, name, (size_t)(by - name));
	v = figures_get(job->figures, fig, job->stats->year);
	*whole = v;
	return figures_group(v, by + 4);
}

/* "培训项目（按级别）" */
static const char *chart_title(const struct report_job *job,
			       const struct figures_value *v,
			       const struct figures_group *g)
{
	const struct schema_field *sf = schema_field_find(v->def->coll, g->field);
	const char *label = sf ? sf->label : g->field;
	if (!strcmp(job->figures->language, "en"))
		return arena_printf(job->arena, "%s by %s", v->def->label,
				    sf && sf->label_en ? sf->label_en : g->field);
	return arena_printf(job->arena, "%s（按%s）", v->def->label, label);
}

int report_chart_svg(const struct report_job *job, const struct directive *dir,
		     int inline_svg, struct buf *out)
{
	const struct figures_value *v;
	const struct figures_group *g = report_chart_group(job, dir->figure, &v);
	struct chart_spec spec;
	struct chart_item *items;
	int ret;

	if (!g)
		return -1;
	memset(&spec, 0, sizeof(spec));
	spec.kind = dir->style == DIRECTIVE_PIE ? CHART_PIE
		    : dir->style == DIRECTIVE_HBAR ? CHART_HBAR : CHART_BAR;
	/* No title inside: the booklet prints it as a numbered caption
	 * under the chart (report_chart_caption(); on the print page a
	 * <figcaption>, which also names the figure for screen readers). */
	spec.title = NULL;
	spec.unit = v->def->unit;
	spec.language = job->site->site.language;
	items = xcalloc(g->nitems ? g->nitems : 1, sizeof(*items));
	/* Terms that report nothing are no bar of 0. */
	for (size_t i = 0; i < g->nitems; i++)
		if (g->items[i]->has_value) {
			items[spec.nitems].label = g->items[i]->term;
			items[spec.nitems++].value = g->items[i]->value;
		}
	spec.items = items;
	ret = inline_svg ? chart_svg_inline(&spec, out) : chart_svg(&spec, out);
	free(items);
	return ret;
}

const char *report_chart_caption(const struct report_job *job,
				 const struct directive *dir, int number)
{
	const struct figures_value *v;
	const struct figures_group *g = report_chart_group(job, dir->figure, &v);

	if (!g)
		return NULL;
	if (!strcmp(job->figures->language, "en"))
		return arena_printf(job->arena, "Figure %d. %s", number,
				    chart_title(job, v, g));
	return arena_printf(job->arena, "图%d　%s", number, chart_title(job, v, g));
}

/*
 * A chart of one bar, or a pie of one 100 % slice, says nothing a sentence
 * does not say better: "培训项目（按级别）：全部为国培，3 个。" Returns the
 * sentence, or NULL when the chart has two reported terms or more.
 */
const char *report_chart_sentence(const struct report_job *job,
				  const struct figures_value *v,
				  const struct figures_group *g, int pie)
{
	const struct figures_value *only = NULL;
	size_t shown = 0;
	int en = !strcmp(job->figures->language, "en");
	struct buf b = BUF_INIT;
	const char *s;

	for (size_t i = 0; i < g->nitems; i++)
		if (g->items[i]->has_value && (!pie || g->items[i]->value > 0)) {
			only = g->items[i];
			shown++;
		}
	if (shown > 1)
		return NULL;
	buf_printf(&b, "%s%s", chart_title(job, v, g), en ? ": " : "：");
	if (!only) {
		buf_puts(&b, en ? "not reported." : "未填报。");
	} else {
		if (en)
			buf_printf(&b, "%s %s, ", g->nitems > 1 ? "only" : "all",
				   only->term);
		else
			buf_printf(&b, "%s%s，", g->nitems > 1 ? "仅" : "全部为",
				   only->term);
		figures_text(job->figures, only, &b);
		buf_puts(&b, en ? "." : "。");
	}
	s = arena_strdup(job->arena, b.ptr);
	buf_release(&b);
	return s;
}
