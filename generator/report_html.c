/*
 * report_html: the booklet as one self-contained print HTML page (part of
 * the report module). Directives become HTML (the cover, the contents as
 * links, charts as inline SVG, page breaks as CSS), images become data:
 * URLs, and the theme's `report-print` template wraps the body, so the page
 * needs nothing but itself.
 */
#include "report_internal.h"

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "directive.h"
#include "markdown.h"
#include "media.h"
#include "model.h"
#include "site.h"
#include "stats.h"
#include "theme.h"
#include "tmpl.h"
#include "value.h"

#include <cmark-gfm.h>
#include <string.h>

#define PRINT_TEMPLATE "report-print"

static void add_base64(struct buf *b, const unsigned char *p, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;
	buf_grow(b, (n + 2) / 3 * 4);
	for (i = 0; i + 2 < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		buf_putc(b, tab[v >> 18]);
		buf_putc(b, tab[v >> 12 & 63]);
		buf_putc(b, tab[v >> 6 & 63]);
		buf_putc(b, tab[v & 63]);
	}
	if (i < n) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0);
		buf_putc(b, tab[v >> 18]);
		buf_putc(b, tab[v >> 12 & 63]);
		buf_putc(b, i + 1 < n ? tab[v >> 6 & 63] : '=');
		buf_putc(b, '=');
	}
}

/* The type of an image of the repository (the media policy has checked
 * that its bytes are what its name says). */
static const char *mime_of(const char *repo_path)
{
	switch (media_type_from_name(repo_path)) {
	case MEDIA_JPEG: return "image/jpeg";
	case MEDIA_PNG: return "image/png";
	case MEDIA_GIF: return "image/gif";
	case MEDIA_WEBP: return "image/webp";
	case MEDIA_SVG: return "image/svg+xml";
	default: return "application/octet-stream";
	}
}

/* Replace "repo:" image URLs by data: URLs. */
static void inline_images(const struct report_job *job, struct cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	struct buf bytes = BUF_INIT, url = BUF_INIT;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		const char *u;
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_IMAGE)
			continue;
		u = cmark_node_get_url(n);
		if (!u || report_read_repo_url(job, u, &bytes) < 0)
			continue;
		buf_reset(&url);
		buf_printf(&url, "data:%s;base64,", mime_of(u + 5));
		add_base64(&url, (const unsigned char *)bytes.ptr, bytes.len);
		cmark_node_set_url(n, url.ptr);
	}
	cmark_iter_free(it);
	buf_release(&bytes);
	buf_release(&url);
}

/* Plain text of a heading, for the contents. */
static void heading_text(cmark_node *h, struct buf *out)
{
	cmark_iter *it = cmark_iter_new(h);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && (cmark_node_get_type(n) == CMARK_NODE_TEXT ||
						cmark_node_get_type(n) == CMARK_NODE_CODE))
			buf_puts(out, cmark_node_get_literal(n));
	}
	cmark_iter_free(it);
}

static void toc_html(cmark_node *from, const char *title, struct buf *out)
{
	struct buf text = BUF_INIT;
	if (!title || !*title)
		title = DIRECTIVE_TOC_TITLE;
	/* A navigation landmark, but not a <nav>: an <h1> inside sectioning
	 * elements is an outline trap the Nu HTML Checker warns about, and
	 * the contents are a chapter of the book. */
	buf_puts(out, "<div class=\"toc\" role=\"navigation\" aria-label=\"");
	buf_add_html_escaped(out, title, strlen(title));
	buf_puts(out, "\"><h1 class=\"toc-title\">");
	buf_add_html_escaped(out, title, strlen(title));
	buf_puts(out, "</h1><ol>\n");
	for (cmark_node *n = cmark_node_next(from); n; n = cmark_node_next(n)) {
		int level;
		const char *id;
		if (cmark_node_get_type(n) != CMARK_NODE_HEADING)
			continue;
		level = cmark_node_get_heading_level(n);
		if (level > 2 || !(id = md_heading_id(n)))
			continue;
		buf_reset(&text);
		heading_text(n, &text);
		buf_printf(out, "<li class=\"toc-%d\"><a href=\"#%s\">", level, id);
		buf_add_html_escaped(out, text.ptr, text.len);
		buf_puts(out, "</a></li>\n");
	}
	buf_puts(out, "</ol></div>\n");
	buf_release(&text);
}

static void cover_html(const struct report_job *job, struct buf *out)
{
	const struct record *r = job->report;
	const char *sub = value_str(value_map_get(r->fields, "subtitle"));
	const char *org = value_str(value_map_get(r->fields, "organization"));
	if (!org)
		org = job->site->site.organization;
	/* <header>, not <section>: the title is the page's <h1>. */
	buf_puts(out, "<header class=\"cover\"><p class=\"cover-year\">");
	buf_printf(out, "%d", job->stats->year);
	buf_puts(out, "</p><h1 class=\"cover-title\">");
	buf_add_html_escaped(out, r->title, strlen(r->title));
	buf_puts(out, "</h1>");
	if (sub) {
		buf_puts(out, "<p class=\"cover-subtitle\">");
		buf_add_html_escaped(out, sub, strlen(sub));
		buf_puts(out, "</p>");
	}
	if (org && *org) {
		buf_puts(out, "<p class=\"cover-org\">");
		buf_add_html_escaped(out, org, strlen(org));
		buf_puts(out, "</p>");
	}
	buf_puts(out, "</header>\n");
}

/* Turn each directive node into a custom block holding its HTML. */
static void directives_html(const struct report_job *job, cmark_node *doc)
{
	struct buf html = BUF_INIT;
	cmark_node *n = cmark_node_first_child(doc), *next;
	int figure = 0; /* numbered as in the PDF (typeset_build.c) */
	const char *caption;

	for (; n; n = next) {
		const struct directive *dir = directive_of(n);
		next = cmark_node_next(n);
		if (!dir)
			continue;
		buf_reset(&html);
		switch (dir->kind) {
		case DIRECTIVE_COVER:
			cover_html(job, &html);
			break;
		case DIRECTIVE_TOC:
			toc_html(n, dir->title, &html);
			break;
		case DIRECTIVE_PAGEBREAK:
		case DIRECTIVE_COLOPHON:
			buf_puts(&html, "<div class=\"pagebreak\"></div>\n");
			break;
		case DIRECTIVE_CHART:
			buf_puts(&html, "<figure class=\"chart\">");
			report_chart_svg(job, dir, 1, &html);
			caption = report_chart_caption(job, dir, figure + 1);
			if (caption) {
				figure++;
				buf_puts(&html, "<figcaption>");
				buf_add_html_escaped(&html, caption, strlen(caption));
				buf_puts(&html, "</figcaption>");
			}
			buf_puts(&html, "</figure>\n");
			break;
		case DIRECTIVE_NUMBERING: /* pages are the browser's */
		case DIRECTIVE_FIELDS:    /* expanded already */
		case DIRECTIVE_BODY:
		case DIRECTIVE_RECORD:
			break;
		}
		cmark_node *custom = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
		cmark_node_set_on_enter(custom, html.ptr);
		cmark_node_set_on_exit(custom, "");
		cmark_node_insert_before(n, custom);
		cmark_node_free(n);
	}
	buf_release(&html);
}

int report_html(const struct report_job *job, struct cmark_node *doc,
		struct buf *out)
{
	const struct tmpl *t = theme_template(job->site->theme, PRINT_TEMPLATE);
	const struct md_options opt = { .unsafe_html = job->site->site.unsafe_html };
	struct arena *a = job->arena;
	struct buf body = BUF_INIT;
	struct value *root, *page;
	int ret;

	if (!t) {
		diag_fail(job->d, NULL, 0, 0, "theme '%s' has no print template "
			  "(templates/%s.mustache)", job->site->theme->root,
			  PRINT_TEMPLATE);
		return -1;
	}
	inline_images(job, doc);
	directives_html(job, doc);
	md_render_doc(doc, &opt, &body);

	root = value_map(a);
	page = value_map(a);
	value_map_set(a, page, "title", value_cstring(a, job->report->title));
	value_map_set(a, page, "lang", value_cstring(a, job->site->site.language));
	value_map_set(a, page, "year", value_int(a, job->stats->year));
	value_map_set(a, page, "body", value_string_ref(a, body.ptr, body.len));
	value_map_set(a, page, "generator", value_cstring(a, "showcase " SHOWCASE_VERSION));
	value_map_set(a, root, "booklet", page);
	ret = tmpl_render(t, root, out, job->d);
	buf_release(&body);
	return ret;
}
