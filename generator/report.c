/*
 * report: see report.h. This file holds the making of one booklet
 * (template -> Markdown -> AST -> directives -> PDF or HTML) and the
 * expansion of record directives; report_cmd.c is the command,
 * report_data.c builds the template data and report_html.c the print
 * page.
 *
 * Directives are read from the template's own document, once, before any
 * record's body is spliced in (directive_apply()); a body is plain Markdown
 * whatever its code blocks say. Problems are reported where they were
 * written: a directive at the template line that wrote it (through the
 * render's source map), an image of a body at its line in the record's
 * file (a struct ts_origin on the image node).
 */
#include "report_internal.h"

#include "alloc.h"
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "directive.h"
#include "markdown.h"
#include "media.h"
#include "model.h"
#include "model_data.h"
#include "repo.h"
#include "schema.h"
#include "site.h"
#include "figures.h"
#include "stats.h"
#include "strmap.h"
#include "theme.h"
#include "tmpl.h"
#include "typeset.h"
#include "value.h"

#include <cmark-gfm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPORT_TEMPLATE "report"

/* The booklet's template: "report-LANG" when the theme has one for the
 * site's language (report-en.mustache: chapters and their headings in
 * English), else "report". */
static const struct tmpl *report_template(const struct load_site *s)
{
	char name[64];
	const struct tmpl *t;

	snprintf(name, sizeof(name), "%s-%s", REPORT_TEMPLATE, s->site.language);
	if (strcmp(s->site.language, "zh-CN") && (t = theme_template(s->theme, name)))
		return t;
	return theme_template(s->theme, REPORT_TEMPLATE);
}

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
	for (size_t i = 0; r && job->paged && i < job->nin_full; i++)
		if (job->in_full[i] == r) /* "（见第 N 页）" */
			return arena_printf(job->arena, TS_RECORD_LINK "%s/%s",
					    r->coll->name, r->slug);
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

/* Move a position in the template's Markdown to the template line that
 * wrote it (a directive_locator). */
static void locate(void *ctx, const char **path, unsigned *line,
		   unsigned *col)
{
	const struct report_job *job = ctx;
	size_t offset;

	if (!*line || *line > job->md_nlines)
		return;
	offset = job->md_lines[*line - 1] + (*col ? *col - 1 : 0);
	tmpl_srcmap_find(job->map, job->md, offset, path, line, col);
}

/* Where each line of the template's Markdown starts. */
static void index_lines(struct report_job *job, const char *md, size_t len)
{
	size_t n = 1;
	for (size_t i = 0; i < len; i++)
		n += md[i] == '\n';
	job->md = md;
	job->md_lines = arena_alloc(job->arena, st_mult(n, sizeof(size_t)));
	job->md_nlines = 0;
	job->md_lines[job->md_nlines++] = 0;
	for (size_t i = 0; i < len; i++)
		if (md[i] == '\n' && job->md_nlines < n)
			job->md_lines[job->md_nlines++] = i + 1;
}

/* Give every image node of `doc` the place it was written: in `r`'s file
 * (a body parsed on its own), else in the template. */
static void mark_images(const struct report_job *job, struct cmark_node *doc,
			const struct record *r)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		struct ts_origin *o;
		if (ev != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(n) != CMARK_NODE_IMAGE)
			continue;
		/* Every field: an image in a body prints at its natural size
		 * (share 0); arena memory is not zeroed, and a stray share
		 * once printed a photo at 1e-307 points and failed the PDF. */
		o = arena_alloc(job->arena, sizeof(*o));
		*o = (struct ts_origin){ NULL, (unsigned)cmark_node_get_start_line(n),
					 (unsigned)cmark_node_get_start_column(n), 0 };
		if (r) {
			o->path = r->path;
			o->line += r->body_first_line - 1;
		} else {
			o->path = job->template_path;
			locate((void *)job, &o->path, &o->line, &o->col);
		}
		cmark_node_set_user_data(n, o);
	}
	cmark_iter_free(it);
}

void report_note_shown(struct report_shown *sh, const struct figures_value *v)
{
	if (sh->len == sh->cap) {
		sh->cap = sh->cap ? sh->cap * 2 : 16;
		sh->values = xrealloc(sh->values,
				      st_mult(sh->cap, sizeof(*sh->values)));
	}
	sh->values[sh->len++] = v;
}

void report_note_used(struct report_used *u, const struct record *r)
{
	if (u->len == u->cap) {
		u->cap = u->cap ? u->cap * 2 : 8;
		u->records = xrealloc(u->records, st_mult(u->cap, sizeof(*u->records)));
	}
	u->records[u->len++] = r;
}

static const struct record *directive_record(const struct report_job *job,
					     const struct directive *dir)
{
	const struct record *r = model_record(job->site->model, dir->collection,
					      dir->slug);
	const struct schema_collection *c;

	if (!r) {
		c = schema_find(job->site->model->schema, dir->collection);
		if (c)
			diag_fail(job->d, dir->path, dir->line, dir->col,
				  "directive '%s' names '%s/%s', which is not a "
				  "record (no file %s/%s.md)",
				  directive_name(dir->kind), dir->collection,
				  dir->slug, c->folder, dir->slug);
		else
			diag_fail(job->d, dir->path, dir->line, dir->col,
				  "directive '%s' names '%s/%s', but there is no "
				  "collection '%s'", directive_name(dir->kind),
				  dir->collection, dir->slug, dir->collection);
	}
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

	/* An empty header row: the typesetter prints a field table, labels in
	 * a fixed column and no "项目 | 内容" row. */
	buf_puts(&md, "| | |\n|---|---|\n");
	for (size_t i = 0; rows && i < rows->u.list.len; i++) {
		const struct value *row = rows->u.list.items[i];
		const char *text = value_str(value_map_get(row, "text"));
		const char *name = value_str(value_map_get(row, "name"));
		if (!text || value_map_get(row, "is_table"))
			continue;
		/* Said by the chapter (精选) and by the photo. */
		if (name && (!strcmp(name, "featured") || !strcmp(name, "cover")))
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

/* The first image of `doc` that shows the file `url`, taken out of the
 * tree (with its paragraph when nothing else is in it), its caption text
 * returned (caller frees); NULL when there is none. */
static char *take_image(struct cmark_node *doc, const char *url)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	struct cmark_node *found = NULL;
	struct buf alt = BUF_INIT;

	while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		const char *u = cmark_node_get_url(n);
		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_IMAGE &&
		    u && !strcmp(u, url))
			found = n;
	}
	cmark_iter_free(it);
	if (!found)
		return NULL;
	for (cmark_node *c = cmark_node_first_child(found); c; c = cmark_node_next(c))
		if (cmark_node_get_literal(c))
			buf_puts(&alt, cmark_node_get_literal(c));
	cmark_node *para = cmark_node_parent(found);
	cmark_node_free(found);
	if (para && cmark_node_get_type(para) == CMARK_NODE_PARAGRAPH &&
	    !cmark_node_first_child(para))
		cmark_node_free(para);
	return buf_detach(&alt, NULL);
}

/* The text of a heading's inlines, for comparing (caller frees). */
static char *heading_text(struct cmark_node *h)
{
	struct buf b = BUF_INIT;
	cmark_iter *it = cmark_iter_new(h);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && (cmark_node_get_type(n) == CMARK_NODE_TEXT ||
						cmark_node_get_type(n) == CMARK_NODE_CODE))
			buf_puts(&b, cmark_node_get_literal(n));
	}
	cmark_iter_free(it);
	return buf_detach(&b, NULL);
}

/* A body that opens with the heading the template has just printed
 * ("# 前言", then a 前言 whose text starts "## 前言") says it once. */
static void drop_repeated_heading(struct cmark_node *doc, struct cmark_node *before)
{
	struct cmark_node *first = cmark_node_first_child(doc);
	struct cmark_node *prev = cmark_node_previous(before);
	char *a, *b;

	while (prev && directive_of(prev))
		prev = cmark_node_previous(prev);
	if (!first || !prev || cmark_node_get_type(first) != CMARK_NODE_HEADING ||
	    cmark_node_get_type(prev) != CMARK_NODE_HEADING)
		return;
	a = heading_text(first);
	b = heading_text(prev);
	if (!strcmp(a, b))
		cmark_node_free(first);
	free(a);
	free(b);
}

/*
 * The prefix of the ids of a body printed in the booklet, for its `n`-th
 * time (from 1): "cases:c1:", then "cases:c1:2:". Ids of the booklet's own
 * headings have no ':' (md_heading_id()), nor have collection names and
 * slugs, so the ids of the page stay unique (markdown.h, md_prefix_ids()).
 */
static const char *body_prefix(const struct report_job *job,
			       const struct record *r, unsigned n)
{
	if (n > 1)
		return arena_printf(job->arena, "%s:%s:%u:", r->coll->name, r->slug, n);
	return arena_printf(job->arena, "%s:%s:", r->coll->name, r->slug);
}

static int expand_body(const struct report_job *job, const struct record *r,
		       int level, struct cmark_node *before, const char *cover,
		       char **cover_caption, unsigned n)
{
	const struct md_options opt = { .unsafe_html = job->site->site.unsafe_html };
	const struct md_resolver res = { resolve, (void *)job };
	struct cmark_node *doc = NULL;
	int ret = md_parse(r->body, r->body_len, r->path, r->body_first_line,
			   &opt, &res, job->d, &doc);
	md_prefix_ids(doc, body_prefix(job, r, n));
	drop_repeated_heading(doc, before);
	demote_headings(doc, level);
	/* The cover photo goes under the title; a body that shows it too
	 * lends it its caption instead of printing it twice. */
	if (cover)
		*cover_caption = take_image(doc, cover);
	mark_images(job, doc, r);
	splice_before(before, doc);
	return ret;
}

/*
 * A record's cover photo, under its title (before `first`, the first
 * block of the record), at half the text width, with a caption: the
 * body's own caption for the same picture, else the record's title.
 */
static void add_cover(const struct report_job *job, const struct record *r,
		      const char *url, const char *caption, struct cmark_node *first)
{
	const struct value *v = value_map_get(r->fields, "cover");
	struct cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
	struct cmark_node *img = cmark_node_new(CMARK_NODE_IMAGE);
	struct cmark_node *text = cmark_node_new(CMARK_NODE_TEXT);
	struct ts_origin *o = arena_alloc(job->arena, sizeof(*o));

	cmark_node_set_url(img, url);
	cmark_node_set_literal(text, caption && *caption ? caption : r->title);
	cmark_node_append_child(img, text);
	cmark_node_append_child(para, img);
	*o = (struct ts_origin){ r->path, v->line, v->col, 0.5 };
	cmark_node_set_user_data(img, o);
	cmark_node_insert_before(first, para);
}

/* The records that record directives print in full, before any body is
 * parsed (a body may link to a record printed after it). */
static void note_in_full(struct report_job *job, struct cmark_node *doc)
{
	size_t n = 0;

	for (struct cmark_node *c = cmark_node_first_child(doc); c; c = cmark_node_next(c))
		n += directive_of(c) && directive_of(c)->kind == DIRECTIVE_RECORD;
	job->in_full = arena_alloc(job->arena, st_mult(n ? n : 1, sizeof(*job->in_full)));
	for (struct cmark_node *c = cmark_node_first_child(doc); c; c = cmark_node_next(c)) {
		const struct directive *dir = directive_of(c);
		const struct record *r = dir && dir->kind == DIRECTIVE_RECORD
			? model_record(job->site->model, dir->collection, dir->slug) : NULL;
		if (r)
			job->in_full[job->nin_full++] = r;
	}
}

/*
 * Check the directives of the template (what only this booklet knows:
 * records and figures) and expand the record directives in place, each
 * body parsed on its own.
 */
static int expand_directives(const struct report_job *job,
			     struct cmark_node *doc)
{
	struct cmark_node *n = cmark_node_first_child(doc), *next;
	struct strmap printed = STRMAP_INIT; /* record path -> bodies printed */
	int ret = 0;

	for (; n; n = next) {
		const struct directive *dir = directive_of(n);
		const struct record *r;

		next = cmark_node_next(n);
		if (!dir)
			continue;
		if (dir->kind == DIRECTIVE_CHART) {
			const struct figures_value *v;
			const struct figures_group *g =
				report_chart_group(job, dir->figure, &v);
			const char *sentence;
			if (!g) {
				diag_fail(job->d, dir->path, dir->line, dir->col,
					  "chart directive names '%s', which is "
					  "not a figure's breakdown (FIGURE_by_FIELD"
					  " of the theme's figures.yaml, e.g. "
					  "projects_by_level)", dir->figure);
				ret = -1;
				continue;
			}
			for (size_t i = 0; i < g->nitems; i++)
				report_note_shown(job->shown, g->items[i]);
			sentence = report_chart_sentence(job, v, g,
							 dir->style == DIRECTIVE_PIE);
			if (sentence) {
				struct cmark_node *p = cmark_node_new(CMARK_NODE_PARAGRAPH);
				struct cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
				cmark_node_set_literal(t, sentence);
				cmark_node_append_child(p, t);
				cmark_node_insert_before(n, p);
				cmark_node_free(n);
			}
			continue;
		}
		if (dir->kind != DIRECTIVE_FIELDS && dir->kind != DIRECTIVE_BODY &&
		    dir->kind != DIRECTIVE_RECORD)
			continue;
		if ((r = directive_record(job, dir))) {
			report_note_used(job->used, r);
			const char *path = dir->kind != DIRECTIVE_BODY
				? value_str(value_map_get(r->fields, "cover")) : NULL;
			const char *cover = path ? arena_printf(job->arena, "repo:%s", path) : NULL;
			struct cmark_node *prev = cmark_node_previous(n);
			char *caption = NULL;
			if (dir->kind != DIRECTIVE_BODY && expand_fields(job, r, n) < 0)
				ret = -1;
			if (dir->kind != DIRECTIVE_FIELDS) {
				unsigned *times = strmap_get(&printed, r->path);
				if (!times) {
					times = arena_alloc(job->arena, sizeof(*times));
					*times = 0;
					strmap_put(&printed, r->path, times);
				}
				if (expand_body(job, r, dir->level, n, cover, &caption,
						++*times) < 0)
					ret = -1;
			}
			struct cmark_node *first = prev ? cmark_node_next(prev)
						       : cmark_node_first_child(doc);
			/* A record directive stays, before what it expanded to: it
			 * tells the typesetter that the heading above it is a
			 * record printed in full (a contents entry, a new page). */
			if (dir->kind == DIRECTIVE_RECORD && first != n) {
				cmark_node_insert_before(first, n);
				first = cmark_node_next(n);
			}
			if (cover)
				add_cover(job, r, cover, caption, first);
			free(caption);
			if (dir->kind == DIRECTIVE_RECORD)
				continue;
		} else {
			ret = -1;
		}
		cmark_node_free(n);
	}
	strmap_release(&printed);
	return ret;
}

static int hook_image(void *ctx, const char *url, struct buf *bytes)
{
	return report_read_repo_url(ctx, url, bytes);
}

static int hook_chart(void *ctx, const struct directive *dir, struct buf *svg)
{
	return report_chart_svg(ctx, dir, 0, svg);
}

static const char *hook_caption(void *ctx, const struct directive *dir,
				int number)
{
	return report_chart_caption(ctx, dir, number);
}

/* Takes `*doc` (ts_render_pdf() frees it before drawing). */
static int typeset_pdf(const struct report_job *job, struct cmark_node **doc,
		       struct buf *out)
{
	const struct record *r = job->report;
	const struct value *cover = value_map_get(r->fields, "cover");
	struct ts_info info;
	struct ts_hooks hooks = { hook_image, hook_chart, (void *)job, hook_caption };
	struct ts_result res = TS_RESULT_INIT;
	int ret;

	memset(&info, 0, sizeof(info));
	info.title = r->title;
	info.subtitle = value_str(value_map_get(r->fields, "subtitle"));
	info.organization = value_str(value_map_get(r->fields, "organization"));
	if (!info.organization && *job->site->site.organization)
		info.organization = job->site->site.organization;
	info.language = job->site->site.language;
	info.year_label = !strcmp(job->site->site.language, "en")
		? arena_printf(job->arena, "%d", job->stats->year)
		: arena_printf(job->arena, "%d年度", job->stats->year);
	info.date = report_data_epoch(job->site, r, job->stats);
	info.cover_image = value_str(cover)
		? arena_printf(job->arena, "repo:%s", value_str(cover)) : NULL;
	if (info.cover_image)
		info.cover_at = (struct ts_origin){ r->path, cover->line, cover->col, 0 };
	info.source_path = job->template_path;
	info.max_pixels = job->site->site.image_pixels;
	info.two_sided = job->site->site.report_two_sided;
	ret = ts_render_pdf(doc, &info, &hooks, out, &res, job->d);
	ts_result_release(&res);
	return ret;
}

void report_shown_apply(const struct report_shown *sh, struct figures *fs,
			const char *page)
{
	for (size_t i = 0; i < sh->len; i++)
		figures_shown(fs, sh->values[i], page);
}

void report_shown_release(struct report_shown *sh)
{
	free(sh->values);
	memset(sh, 0, sizeof(*sh));
}

int report_typeset(struct load_site *s, const struct record *r,
		   enum report_format format, struct buf *out, struct diag *d)
{
	struct report_shown shown = REPORT_SHOWN_INIT;
	const char *page = report_output_path(&s->arena, r, format);
	int ret = report_typeset_shown(s, r, format, out, &shown, NULL, d);

	report_shown_apply(&shown, &s->figures, page);
	report_shown_release(&shown);
	return ret;
}

/*
 * What the PDF and the print page of one booklet share: the year's
 * statistics and the template's Markdown (with the map of which template
 * line wrote what). Building the template data and rendering the template
 * is a good part of a booklet that is then carried over unchanged, so
 * both formats are made from one (report_typeset_formats()), and neither
 * is done when every format is carried over on its note (report_key.c).
 */
struct report_prep {
	struct arena arena; /* the statistics */
	struct stats_year stats;
	struct buf md;
	struct tmpl_srcmap map;
	const struct tmpl *t;
	int year;
	int rendered; /* 1: md is the template's output; -1: that failed */
	/* What the first format's parse of `md` found, when it was clean
	 * enough to take a key: the records its directives print and the
	 * figures it shows. Neither depends on the format (paging changes
	 * only where links point), so another format's key is taken from
	 * them, and when that key is the one the previous output lists, the
	 * format is carried over without parsing `md` again. */
	int keyed;
	struct report_used used;
	struct report_shown shown;
};

static void prep_init(const struct load_site *s, const struct record *r,
		      struct report_prep *p)
{
	memset(p, 0, sizeof(*p));
	arena_init(&p->arena);
	buf_init(&p->md, 0);
	p->map = (struct tmpl_srcmap)TMPL_SRCMAP_INIT;
	p->year = figures_record_year(r);
	stats_compute(s->model, p->year, &p->arena, &p->stats);
}

static void prep_release(struct report_prep *p)
{
	buf_release(&p->md);
	tmpl_srcmap_release(&p->map);
	arena_release(&p->arena);
	free(p->used.records);
	report_shown_release(&p->shown);
}

/* The part of a booklet's job that every format of `p` shares. */
static void job_start(struct report_job *job, const struct load_site *s,
		      const struct record *r, struct report_prep *p)
{
	memset(job, 0, sizeof(*job));
	job->site = s;
	job->report = r;
	job->stats = &p->stats;
	job->figures = &s->figures;
}

/* 1 when the previous output's file of `b` is the booklet that prints the
 * records `used` and shows the figures `shown`: its key is the one listed.
 * Then b->shown gets the figures and b->key its key and note; else 0 and
 * b->key is left without a key. */
static int carry(const struct load_site *s, const struct record *r,
		 struct report_prep *p, struct report_booklet *b,
		 struct report_used *used, struct report_shown *shown)
{
	struct report_key *k = b->key;
	struct report_job job;

	job_start(&job, s, r, p);
	job.used = used;
	job.shown = shown;
	report_key_make(&job, k->base, b->format, 0, k->key);
	if (strcmp(k->prev, k->key)) {
		k->key[0] = '\0';
		return 0;
	}
	for (size_t i = 0; i < shown->len; i++)
		report_note_shown(b->shown, shown->values[i]);
	free(k->note);
	k->note = report_key_note(used, shown, 0);
	return 1;
}

/* Before anything is rendered: 1 when `b` is carried over on the note its
 * previous file left (what its Markdown printed then), else 0. */
static int carry_on_note(const struct load_site *s, const struct record *r,
			 struct report_prep *p, struct report_booklet *b)
{
	struct report_used used = { NULL, 0, 0 };
	struct report_shown shown = REPORT_SHOWN_INIT;
	int same;

	if (!b->key || !b->key->prev || !b->key->prev_note)
		return 0;
	same = report_key_read_note(s, p->year, b->key->prev_note, &used,
				    &shown) == 0 &&
	       carry(s, r, p, b, &used, &shown);
	b->key->on_note = same;
	free(used.records);
	report_shown_release(&shown);
	return same;
}

/* The template's Markdown of `p`, rendered once: 0, or -1 after reporting
 * (nothing to make from it). */
static int prep_render(const struct load_site *s, const struct record *r,
		       struct report_prep *p, struct diag *d)
{
	size_t errors = diag_error_count(d);
	int rendered;

	if (p->rendered)
		return p->rendered > 0 ? 0 : -1;
	p->rendered = -1;
	if (!(p->t = report_template(s))) {
		diag_fail(d, NULL, 0, 0, "theme '%s' has no report template "
			  "(templates/%s.mustache)", s->theme->root, REPORT_TEMPLATE);
		return -1;
	}
	/* The template data is the booklet's largest tree after the layout
	 * (some 11 MiB at 10,000 records, 56 MiB at 50,000), and nothing
	 * points into it once the Markdown is out: an arena of its own, let
	 * go before the Markdown is parsed and laid out, so two booklets in
	 * flight do not hold it through their typesetting. */
	struct arena data_arena = ARENA_INIT;
	rendered = tmpl_render_map(p->t, report_data(s, r, &p->stats, &data_arena),
				   &p->md, &p->map, d);
	arena_release(&data_arena);
	if (rendered < 0 || diag_error_count(d) > errors)
		return -1;
	p->rendered = 1;
	return 0;
}

/* One format of the booklet from `p`: see report_typeset_shown(). */
static int prep_make(const struct load_site *s, const struct record *r,
		     struct report_prep *p, struct report_booklet *b)
{
	struct arena arena = ARENA_INIT;
	struct report_job job;
	struct report_used used = { NULL, 0, 0 };
	int same = 0;
	struct cmark_node *doc = NULL;
	const struct directive_locator loc = { locate, &job };
	const struct md_options opt = { .unsafe_html = s->site.unsafe_html };
	struct report_key *k = b->key;
	struct report_shown *shown = b->shown;
	struct diag *d = b->d;
	size_t errors = diag_error_count(d), shown_from = shown->len;

	/* The other format's parse found what this one prints. */
	if (k && k->prev && p->keyed && carry(s, r, p, b, &p->used, &p->shown))
		return 1;
	if (prep_render(s, r, p, d) < 0)
		return -1;
	job_start(&job, s, r, p);
	job.shown = shown;
	job.used = &used;
	job.arena = &arena;
	job.d = d;
	job.template_path = tmpl_path(p->t);
	job.map = &p->map;

	/* The 年度概况 shows the overview figures of the year. */
	for (size_t i = 0; i < s->figures.ndefs; i++) {
		const struct figures_value *v = figures_get(&s->figures,
			s->figures.defs[i].name, p->year);
		if (v && s->figures.defs[i].overview)
			report_note_shown(shown, v);
	}
	index_lines(&job, p->md.ptr, p->md.len);
	md_parse(p->md.ptr, p->md.len, job.template_path, 1, &opt, NULL, d, &doc);
	mark_images(&job, doc, NULL);
	directive_apply(doc, &arena, job.template_path, &loc, d);
	job.paged = b->format == REPORT_PDF;
	note_in_full(&job, doc);
	expand_directives(&job, doc);
	/* A broken link in a body still leaves a booklet to lay out, and
	 * laying it out finds the images that cannot be read: go on, so that
	 * one run reports both (the output is dropped). Template and theme
	 * problems (system errors) stop here. */
	if (diag_exit_code(d) == EXIT_SYSTEM)
		goto cleanup;
	buf_reset(b->out);
	/* The same inputs as the previous output's file: the same bytes
	 * (report_key.c). Typesetting is most of a booklet's time. */
	if (k && diag_error_count(d) == errors) {
		report_key_make(&job, k->base, b->format, shown_from, k->key);
		free(k->note);
		k->note = report_key_note(&used, shown, shown_from);
		if (!p->keyed) {
			p->keyed = 1;
			for (size_t i = 0; i < used.len; i++)
				report_note_used(&p->used, used.records[i]);
			for (size_t i = shown_from; i < shown->len; i++)
				report_note_shown(&p->shown, shown->values[i]);
		}
		if (k->prev && !strcmp(k->prev, k->key)) {
			same = 1;
			goto cleanup;
		}
	}
	if (b->format == REPORT_PDF)
		typeset_pdf(&job, &doc, b->out);
	else
		report_html(&job, doc, b->out);

cleanup:
	if (doc)
		cmark_node_free(doc);
	arena_release(&arena);
	free(used.records);
	if (diag_error_count(d) > errors)
		return -1;
	return same;
}

int report_typeset_shown(const struct load_site *s, const struct record *r,
			 enum report_format format, struct buf *out, struct report_shown *shown,
			 struct report_key *k, struct diag *d)
{
	struct report_booklet one = { format, out, shown, k, d, 0 };

	report_typeset_formats(s, r, &one, 1, NULL, NULL);
	return one.rc;
}

void report_typeset_formats(const struct load_site *s, const struct record *r,
			    struct report_booklet *b, size_t n,
			    size_t (*made)(void *ctx, size_t i), void *ctx)
{
	struct report_prep p;

	prep_init(s, r, &p);
	for (size_t i = 0; i < n; i++) {
		b[i].rc = carry_on_note(s, r, &p, &b[i]) ? 1
			: p.rendered < 0 ? -1 : prep_make(s, r, &p, &b[i]);
		if (made)
			n = made(ctx, i);
	}
	prep_release(&p);
}
