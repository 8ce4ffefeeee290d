/*
 * report: see report.h. This file holds the command, the making of one
 * booklet (template -> Markdown -> AST -> directives -> PDF or HTML) and the
 * expansion of record directives; report_data.c builds the template data
 * and report_html.c the print page.
 */
#include "report_internal.h"

#include "alloc.h"
#include "arena.h"
#include "buf.h"
#include "chart.h"
#include "diag.h"
#include "markdown.h"
#include "media.h"
#include "model.h"
#include "model_data.h"
#include "repo.h"
#include "schema.h"
#include "site.h"
#include "stats.h"
#include "theme.h"
#include "tmpl.h"
#include "typeset.h"
#include "value.h"
#include "write.h"

#include <cmark-gfm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPORT_TEMPLATE "report"
/* Directive bodies are demoted to start at this heading level. */
#define DEFAULT_BODY_LEVEL 3

const char *report_output_path(struct arena *a, const struct record *r,
			       enum report_format format)
{
	const char *slash = strrchr(r->out_path, '/');
	int dir = slash ? (int)(slash - r->out_path + 1) : 0;
	return arena_printf(a, "%.*s%s.%s", dir, r->out_path, r->slug,
			    format == REPORT_PDF ? "pdf" : "html");
}

int report_read_repo_url(const struct report_job *job, const char *url,
			 struct buf *out)
{
	const struct repo_file *f;
	const char *why;
	if (strncmp(url, "repo:", 5))
		return -1;
	/* Every "repo:" URL comes from resolve() or an image field, both
	 * checked already; checking again costs a cache look-up and keeps
	 * anything else from reaching the typesetter's decoders. */
	if (media_policy_check(job->site->model->media, url + 5, 1, &why,
			       job->d) != MEDIA_OK)
		return -1;
	f = repo_snapshot_find(job->site->snap, url + 5);
	buf_reset(out);
	return repo_snapshot_read(job->site->snap, f, out, job->d);
}

/* Absolute URL of a page of the site, for links printed in the booklet. */
static const char *site_url(const struct report_job *job, const char *url)
{
	const struct site_config *s = &job->site->site;
	size_t blen = strlen(s->base_url), plen = strlen(s->base_path);
	if (blen > plen && !strncmp(s->base_url, "http", 4))
		return arena_printf(job->arena, "%.*s%s", (int)(blen - plen),
				    s->base_url, url);
	return url;
}

/* Links from record bodies: records to their page on the website, images
 * to "repo:PATH", read from the snapshot when placed, and other files to
 * their place on the website; files only as the media policy allows, as
 * on the website. */
static const char *resolve(void *ctx, const char *repo_path, int is_image,
			   const char **why)
{
	const struct report_job *job = ctx;
	const struct record *r = model_record_by_path(job->site->model, repo_path);
	size_t len = strlen(repo_path);

	*why = NULL;
	if (r)
		return site_url(job, r->url);
	if (len > 3 && !strcmp(repo_path + len - 3, ".md"))
		return NULL; /* a Markdown file that is not a published record */
	if (media_policy_check(job->site->model->media, repo_path, is_image,
			       why, job->d) != MEDIA_OK)
		return NULL;
	if (!is_image)
		return site_url(job, model_asset_url(job->site->model, job->arena,
						     repo_path));
	return arena_printf(job->arena, "repo:%s", repo_path);
}

int report_chart_svg(const struct report_job *job, const char *arg,
		     int inline_svg, struct buf *out)
{
	char key[128], kind[16] = "";
	const struct stats_figure *f;
	struct chart_spec spec;
	struct chart_item *items;
	int ret;

	if (sscanf(arg, "%127s %15s", key, kind) < 1)
		return -1;
	f = stats_figure(job->stats, key);
	if (!f)
		return -1;
	memset(&spec, 0, sizeof(spec));
	spec.kind = !strcmp(kind, "pie") ? CHART_PIE
		    : !strcmp(kind, "hbar") ? CHART_HBAR : CHART_BAR;
	spec.title = f->title;
	spec.unit = f->unit;
	items = xcalloc(f->nitems ? f->nitems : 1, sizeof(*items));
	for (size_t i = 0; i < f->nitems; i++) {
		items[i].label = f->items[i].label;
		items[i].value = f->items[i].value;
	}
	spec.items = items;
	spec.nitems = f->nitems;
	ret = inline_svg ? chart_svg_inline(&spec, out) : chart_svg(&spec, out);
	free(items);
	return ret;
}

static const struct record *directive_record(const struct report_job *job,
					     const char *ref, unsigned line)
{
	char coll[64];
	const char *slash = strchr(ref, '/');
	const struct record *r = NULL;
	if (slash && (size_t)(slash - ref) < sizeof(coll)) {
		memcpy(coll, ref, (size_t)(slash - ref));
		coll[slash - ref] = '\0';
		r = model_record(job->site->model, coll, slash + 1);
	}
	if (!r)
		diag_fail(job->d, job->template_path, 0, 0,
			  "directive names '%s', which is not a record "
			  "(expected COLLECTION/SLUG)", ref);
	return r;
}

/* Move the blocks of `from` before `before`, then free `from`. */
static void splice_before(struct cmark_node *before, struct cmark_node *from)
{
	struct cmark_node *child;
	while ((child = cmark_node_first_child(from)))
		cmark_node_insert_before(before, child);
	cmark_node_free(from);
}

static void demote_headings(struct cmark_node *doc, int top)
{
	int min = 7;
	struct cmark_node *n;
	for (n = cmark_node_first_child(doc); n; n = cmark_node_next(n))
		if (cmark_node_get_type(n) == CMARK_NODE_HEADING &&
		    cmark_node_get_heading_level(n) < min)
			min = cmark_node_get_heading_level(n);
	if (min == 7)
		return;
	for (n = cmark_node_first_child(doc); n; n = cmark_node_next(n))
		if (cmark_node_get_type(n) == CMARK_NODE_HEADING) {
			int level = cmark_node_get_heading_level(n) - min + top;
			cmark_node_set_heading_level(n, level > 6 ? 6 : level);
		}
}

/* Escape a cell for a Markdown table row. */
static void add_cell(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n' || *s == '\r') {
			buf_putc(b, ' ');
			continue;
		}
		if (strchr("\\`*_[]<>|#!~&", *s))
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
}

static int expand_fields(const struct report_job *job, const struct record *r,
			 struct cmark_node *before)
{
	const struct value *rows = value_map_get(model_record_data(
		job->site->model, r, job->arena), "fields");
	const struct md_options opt = { 0 };
	struct buf md = BUF_INIT;
	struct cmark_node *doc = NULL;
	int ret;

	buf_puts(&md, "| 项目 | 内容 |\n|---|---|\n");
	for (size_t i = 0; rows && i < rows->u.list.len; i++) {
		const struct value *row = rows->u.list.items[i];
		const char *text = value_str(value_map_get(row, "text"));
		if (!text || value_map_get(row, "is_table"))
			continue;
		buf_puts(&md, "| ");
		add_cell(&md, value_str(value_map_get(row, "label")));
		buf_puts(&md, " | ");
		add_cell(&md, text);
		buf_puts(&md, " |\n");
	}
	ret = md_parse(md.ptr, md.len, r->path, 1, &opt, NULL, job->d, &doc);
	splice_before(before, doc);
	buf_release(&md);
	return ret;
}

static int expand_body(const struct report_job *job, const struct record *r,
		       int level, struct cmark_node *before)
{
	const struct md_options opt = { .unsafe_html = job->site->site.unsafe_html };
	const struct md_resolver res = { resolve, (void *)job };
	struct cmark_node *doc = NULL;
	int ret = md_parse(r->body, r->body_len, r->path, r->body_first_line,
			   &opt, &res, job->d, &doc);
	demote_headings(doc, level);
	splice_before(before, doc);
	return ret;
}

/*
 * Expand record directives of one block in place; the lines meant for the
 * typesetter stay in the block (which is removed when none are left).
 */
static int expand_block(const struct report_job *job, struct cmark_node *block)
{
	const char *text = cmark_node_get_literal(block);
	unsigned line = (unsigned)cmark_node_get_start_line(block) + 1;
	struct buf keep = BUF_INIT;
	int ret = 0;

	for (const char *p = text ? text : ""; *p; line++) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char *l = arena_strndup(job->arena, p, len);
		char verb[16], ref[256];
		int level = DEFAULT_BODY_LEVEL, n;
		const struct record *r;

		p += len + (eol ? 1 : 0);
		n = sscanf(l, "%15s %255s %d", verb, ref, &level);
		if (n >= 2 && (!strcmp(verb, "record") || !strcmp(verb, "body") ||
			       !strcmp(verb, "fields"))) {
			if (!(r = directive_record(job, ref, line))) {
				ret = -1;
				continue;
			}
			if (level < 1 || level > 6)
				level = DEFAULT_BODY_LEVEL;
			if (strcmp(verb, "body") && expand_fields(job, r, block) < 0)
				ret = -1;
			if (strcmp(verb, "fields") && expand_body(job, r, level, block) < 0)
				ret = -1;
			continue;
		}
		if (n < 1)
			continue;
		if (strcmp(verb, "cover") && strcmp(verb, "toc") &&
		    strcmp(verb, "pagebreak") && strcmp(verb, "numbering") &&
		    strcmp(verb, "chart")) {
			diag_fail(job->d, job->template_path, 0, 0,
				  "unknown directive '%s' (expected cover, toc, "
				  "numbering, pagebreak, chart, record, body or "
				  "fields)", verb);
			ret = -1;
			continue;
		}
		if (!strcmp(verb, "chart") && (n < 2 || !stats_figure(job->stats, ref))) {
			diag_fail(job->d, job->template_path, 0, 0,
				  "chart directive needs a figure name, one of "
				  "projects_by_level, projects_by_region, ... "
				  "(see docs/REPORT.md), not '%s'", n < 2 ? "" : ref);
			ret = -1;
			continue;
		}
		buf_puts(&keep, l);
		buf_putc(&keep, '\n');
	}
	if (keep.len) {
		cmark_node_set_literal(block, keep.ptr);
	} else {
		cmark_node_unlink(block);
		cmark_node_free(block);
	}
	buf_release(&keep);
	return ret;
}

static int is_directive(struct cmark_node *n)
{
	const char *info;
	if (cmark_node_get_type(n) != CMARK_NODE_CODE_BLOCK)
		return 0;
	info = cmark_node_get_fence_info(n);
	return info && !strcmp(info, REPORT_DIRECTIVE);
}

static int expand_directives(const struct report_job *job,
			     struct cmark_node *doc)
{
	struct cmark_node *n = cmark_node_first_child(doc), *next;
	int ret = 0;
	for (; n; n = next) {
		next = cmark_node_next(n);
		if (is_directive(n) && expand_block(job, n) < 0)
			ret = -1;
	}
	return ret;
}

static int hook_image(void *ctx, const char *url, struct buf *bytes)
{
	return report_read_repo_url(ctx, url, bytes);
}

static int hook_chart(void *ctx, const char *name, struct buf *svg)
{
	return report_chart_svg(ctx, name, 0, svg);
}

static int typeset_pdf(const struct report_job *job, struct cmark_node *doc,
		       struct buf *out)
{
	const struct record *r = job->report;
	const struct value *cover = value_map_get(r->fields, "cover");
	struct ts_info info;
	struct ts_hooks hooks = { hook_image, hook_chart, (void *)job };
	struct ts_result res = TS_RESULT_INIT;
	int ret;

	memset(&info, 0, sizeof(info));
	info.title = r->title;
	info.subtitle = value_str(value_map_get(r->fields, "subtitle"));
	info.organization = value_str(value_map_get(r->fields, "organization"));
	if (!info.organization && *job->site->site.organization)
		info.organization = job->site->site.organization;
	info.year_label = arena_printf(job->arena, "%d年度", job->stats->year);
	info.date = build_epoch(job->site->snap->commit_time);
	info.cover_image = value_str(cover)
		? arena_printf(job->arena, "repo:%s", value_str(cover)) : NULL;
	info.source_path = job->template_path;
	info.max_pixels = job->site->site.image_pixels;
	ret = ts_render_pdf(doc, &info, &hooks, out, &res, job->d);
	ts_result_release(&res);
	return ret;
}

int report_typeset(struct build_site *s, const struct record *r,
		   enum report_format format, struct buf *out, struct diag *d)
{
	struct arena arena = ARENA_INIT;
	struct stats_year stats;
	struct report_job job;
	struct buf md = BUF_INIT;
	struct cmark_node *doc = NULL;
	const struct tmpl *t = theme_template(s->theme, REPORT_TEMPLATE);
	const struct md_options opt = { .unsafe_html = s->site.unsafe_html };
	size_t errors = diag_error_count(d);
	int year = stats_record_year(r);

	if (!t) {
		diag_fail(d, NULL, 0, 0, "theme '%s' has no report template "
			  "(templates/%s.mustache)", s->theme->root, REPORT_TEMPLATE);
		return -1;
	}
	stats_compute(s->model, year, &arena, &stats);
	memset(&job, 0, sizeof(job));
	job.site = s;
	job.report = r;
	job.stats = &stats;
	job.arena = &arena;
	job.d = d;
	job.template_path = tmpl_path(t);

	if (tmpl_render(t, report_data(s, r, &stats, &arena), &md, d) < 0)
		goto cleanup;
	md_parse(md.ptr, md.len, job.template_path, 1, &opt, NULL, d, &doc);
	expand_directives(&job, doc);
	if (diag_error_count(d) > errors)
		goto cleanup;
	buf_reset(out);
	if (format == REPORT_PDF)
		typeset_pdf(&job, doc, out);
	else
		report_html(&job, doc, out);

cleanup:
	if (doc)
		cmark_node_free(doc);
	buf_release(&md);
	arena_release(&arena);
	return diag_error_count(d) > errors ? -1 : 0;
}

/* The report record of `year`, or NULL after reporting which years have
 * one. */
static const struct record *find_report(const struct model *m, int year,
					struct diag *d)
{
	const struct collection *c = model_collection(m, "reports");
	const struct record *found = NULL;
	struct buf years = BUF_INIT;

	for (size_t i = 0; c && i < c->count; i++) {
		int y = stats_record_year(c->records[i]);
		if (y == year && !found)
			found = c->records[i];
		else if (y == year)
			diag_error(d, c->records[i]->path, 0, 0,
				   "a second report for %d (the first is '%s')",
				   year, found->path);
		buf_printf(&years, "%s%d", years.len ? ", " : "", y);
	}
	if (!found)
		diag_error(d, NULL, 0, 0,
			   "no report record for %d (content/reports/%d.md); "
			   "years with a report: %s", year, year,
			   years.len ? years.ptr : "none");
	buf_release(&years);
	return diag_error_count(d) ? NULL : found;
}

int report_run(const struct report_options *o, struct diag *d)
{
	struct build_site s;
	struct buf out = BUF_INIT, path = BUF_INIT;
	const struct record *r;
	const char *dir = o->build.dir ? o->build.dir : ".";
	int code;

	buf_printf(&path, "%s/output", dir);
	if (build_load(&s, &o->build, path.ptr, d) < 0)
		goto cleanup;
	if (!(r = find_report(s.model, o->year, d)))
		goto cleanup;
	buf_reset(&path);
	if (o->out)
		buf_puts(&path, o->out);
	else
		buf_printf(&path, "%s/output/%s", dir,
			   report_output_path(&s.arena, r, o->format));
	if (report_typeset(&s, r, o->format, &out, d) < 0)
		goto cleanup;
	if (write_single_file(path.ptr, out.ptr, out.len, d) < 0)
		goto cleanup;
	if (!o->build.quiet)
		fprintf(stderr, "showcase: wrote the %d booklet to '%s'\n",
			o->year, path.ptr);
cleanup:
	code = diag_exit_code(d);
	diag_flush(d, stderr);
	build_site_release(&s);
	buf_release(&out);
	buf_release(&path);
	return code;
}
