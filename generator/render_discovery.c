/*
 * render_discovery: what lets readers and search engines find the site's
 * records without visiting each list (part of the render module, see
 * render.h): Atom feeds (RFC 4287) of the newest records, the site's and
 * one per collection, sitemap.xml and robots.txt.
 *
 * A feed's and a sitemap's URLs must be absolute, so they use the site's
 * `base_url` when it is one (https://...); with a bare path ("/") the
 * feeds fall back to urn: ids and relative links, and no sitemap is
 * written (robots.txt then names none). Dates are the records' git dates;
 * nothing here reads the clock, so builds stay byte-identical.
 */
#include "render.h"
#include "render_internal.h"

#include "alloc.h"
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "markdown.h"
#include "model.h"
#include "repo.h"
#include "site.h"
#include "value.h"
#include "write.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *render_site_origin(const struct site_config *s)
{
	size_t ulen = strlen(s->base_url), plen = strlen(s->base_path);

	if (strncmp(s->base_url, "http://", 7) && strncmp(s->base_url, "https://", 8))
		return NULL;
	if (ulen < plen || strcmp(s->base_url + ulen - plen, s->base_path))
		return NULL;
	return s->base_url + ulen; /* callers print the first ulen - plen bytes */
}

/* The absolute URL of site path `path` ("/peixun/cases/"), or NULL. */
static void abs_url(struct buf *b, const struct site_config *s, const char *path)
{
	const char *end = render_site_origin(s);
	size_t olen = end ? strlen(s->base_url) - strlen(s->base_path) : 0;
	buf_add(b, s->base_url, olen);
	buf_puts(b, path);
}

static long long record_time(const struct record *r)
{
	if (!r->history)
		return 0;
	return r->history->updated ? r->history->updated : r->history->published;
}

static void rfc3339(struct buf *b, long long when)
{
	time_t t = (time_t)when;
	struct tm tm;
	char s[32];

	if (!gmtime_r(&t, &tm))
		memset(&tm, 0, sizeof(tm));
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_puts(b, s);
}

static void esc(struct buf *b, const char *s)
{
	buf_add_html_escaped(b, s ? s : "", s ? strlen(s) : 0);
}

struct entry {
	const struct record *r;
	const char *text;
	long long when;
};

/* Newest first; ties by URL, so the order never depends on threads. */
static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	if (x->when != y->when)
		return x->when > y->when ? -1 : 1;
	return strcmp(x->r->url, y->r->url);
}

static void feed_xml(struct buf *b, const struct model *m, const char *title,
		     const char *self, const char *alternate,
		     struct entry *e, size_t n)
{
	const struct site_config *s = m->site;
	long long newest = n ? e[0].when : 0;

	buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
	buf_printf(b, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
	esc(b, s->language);
	buf_puts(b, "\">\n  <title>");
	esc(b, title);
	buf_puts(b, "</title>\n  <id>");
	if (render_site_origin(s))
		abs_url(b, s, self);
	else
		buf_printf(b, "urn:showcase:%s", self);
	buf_puts(b, "</id>\n  <updated>");
	rfc3339(b, newest);
	buf_puts(b, "</updated>\n  <link rel=\"self\" href=\"");
	abs_url(b, s, self);
	buf_puts(b, "\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"");
	abs_url(b, s, alternate);
	buf_puts(b, "\"/>\n  <author><name>");
	esc(b, *s->organization ? s->organization : s->title);
	buf_puts(b, "</name></author>\n");
	for (size_t i = 0; i < n; i++) {
		const struct record *r = e[i].r;
		const char *summary = value_str(value_map_get(r->fields, "summary"));
		struct buf cut = BUF_INIT;
		md_text_cut(summary && *summary ? summary : e[i].text ? e[i].text : "",
			    RENDER_DESCRIPTION_CHARS, &cut);
		buf_puts(b, "  <entry>\n    <title>");
		esc(b, r->title);
		buf_puts(b, "</title>\n    <id>");
		if (render_site_origin(s))
			abs_url(b, s, r->url);
		else
			buf_printf(b, "urn:showcase:%s", r->url);
		buf_puts(b, "</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\"");
		abs_url(b, s, r->url);
		buf_puts(b, "\"/>\n    <updated>");
		rfc3339(b, e[i].when);
		buf_puts(b, "</updated>\n");
		if (r->history && r->history->published) {
			buf_puts(b, "    <published>");
			rfc3339(b, r->history->published);
			buf_puts(b, "</published>\n");
		}
		buf_printf(b, "    <category term=\"%s\" label=\"", r->coll->name);
		esc(b, r->coll->label);
		buf_puts(b, "\"/>\n");
		if (cut.len) {
			buf_puts(b, "    <summary>");
			esc(b, cut.ptr);
			buf_puts(b, "</summary>\n");
		}
		buf_puts(b, "  </entry>\n");
		buf_release(&cut);
	}
	buf_puts(b, "</feed>\n");
}

static int write_buf(struct writer *w, const char *path, struct buf *b,
		     struct diag *d)
{
	return write_file(w, path, b->ptr, b->len, d);
}

static int write_feeds(const struct model *m, struct record **records,
		       char **texts, size_t count, struct writer *w,
		       struct diag *d)
{
	struct entry *e = xcalloc(count ? count : 1, sizeof(*e));
	struct buf b = BUF_INIT, path = BUF_INIT, title = BUF_INIT;
	int ret = 0;

	for (size_t i = 0; i < count; i++)
		e[i] = (struct entry){ records[i], texts ? texts[i] : NULL,
				       record_time(records[i]) };
	if (count)
		qsort(e, count, sizeof(*e), cmp_entry);
	buf_printf(&path, "%s" RENDER_FEED_NAME, m->site->base_path);
	feed_xml(&b, m, m->site->title, path.ptr, m->site->base_path, e,
		 count < RENDER_FEED_ENTRIES ? count : RENDER_FEED_ENTRIES);
	if (write_buf(w, RENDER_FEED_NAME, &b, d) < 0)
		ret = -1;
	for (size_t k = 0; k < m->ncollections; k++) {
		const struct collection *c = &m->collections[k];
		size_t n = 0;
		struct entry *ce = xcalloc(c->count ? c->count : 1, sizeof(*ce));
		for (size_t i = 0; i < count; i++)
			if (e[i].r->coll == c)
				ce[n++] = e[i];
		buf_reset(&b);
		buf_reset(&path);
		buf_reset(&title);
		buf_printf(&path, "%s" RENDER_FEED_NAME, c->url);
		/* Not from m->arena: this runs beside other threads that
		 * allocate from it (render.c). */
		buf_printf(&title, "%s - %s", c->label, m->site->title);
		feed_xml(&b, m, title.ptr, path.ptr, c->url, ce,
			 n < RENDER_FEED_ENTRIES ? n : RENDER_FEED_ENTRIES);
		buf_reset(&path);
		buf_printf(&path, "%s/" RENDER_FEED_NAME, c->out_dir);
		if (write_buf(w, path.ptr, &b, d) < 0)
			ret = -1;
		free(ce);
	}
	free(e);
	buf_release(&b);
	buf_release(&path);
	buf_release(&title);
	return ret;
}

static void sitemap_url(struct buf *b, const struct site_config *s,
			const char *url, long long when)
{
	buf_puts(b, "  <url><loc>");
	{
		struct buf u = BUF_INIT;
		abs_url(&u, s, url);
		esc(b, u.ptr);
		buf_release(&u);
	}
	buf_puts(b, "</loc>");
	if (when) {
		buf_puts(b, "<lastmod>");
		rfc3339(b, when);
		buf_puts(b, "</lastmod>");
	}
	buf_puts(b, "</url>\n");
}

size_t render_sitemap_count(const struct model *m)
{
	size_t urls = 1;
	if (!render_site_origin(m->site))
		return 0;
	for (size_t k = 0; k < m->ncollections; k++)
		urls += 1 + m->collections[k].count;
	/* One file up to the protocol's 50,000 URLs; beyond, numbered files
	 * and sitemap.xml as their index. */
	return urls <= RENDER_SITEMAP_URLS ? 1
	       : 1 + (urls + RENDER_SITEMAP_URLS - 1) / RENDER_SITEMAP_URLS;
}

static int write_sitemaps(const struct model *m, struct writer *w,
			  struct diag *d)
{
	const struct site_config *s = m->site;
	size_t files = render_sitemap_count(m), n = 0, part = 0;
	struct buf b = BUF_INIT, name = BUF_INIT;
	const char *head = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
			   "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
	int ret = 0;

	if (!files)
		return 0;
	buf_puts(&b, head);
	sitemap_url(&b, s, s->base_path, 0);
	n = 1;
	for (size_t k = 0; k < m->ncollections; k++) {
		const struct collection *c = &m->collections[k];
		const char *urls[2] = { c->url, NULL };
		for (size_t i = 0; i <= c->count; i++) {
			const struct record *r = i ? c->records[i - 1] : NULL;
			if (n == RENDER_SITEMAP_URLS) {
				buf_puts(&b, "</urlset>\n");
				buf_reset(&name);
				buf_printf(&name, "sitemap-%zu.xml", ++part);
				if (write_buf(w, name.ptr, &b, d) < 0)
					ret = -1;
				buf_reset(&b);
				buf_puts(&b, head);
				n = 0;
			}
			sitemap_url(&b, s, r ? r->url : urls[0], r ? record_time(r) : 0);
			n++;
		}
	}
	buf_puts(&b, "</urlset>\n");
	if (files == 1) {
		if (write_buf(w, "sitemap.xml", &b, d) < 0)
			ret = -1;
	} else {
		buf_reset(&name);
		buf_printf(&name, "sitemap-%zu.xml", ++part);
		if (write_buf(w, name.ptr, &b, d) < 0)
			ret = -1;
		buf_reset(&b);
		buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
			 "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
		for (size_t i = 1; i <= part; i++) {
			struct buf u = BUF_INIT;
			buf_reset(&name);
			buf_printf(&name, "%ssitemap-%zu.xml", s->base_path, i);
			abs_url(&u, s, name.ptr);
			buf_puts(&b, "  <sitemap><loc>");
			esc(&b, u.ptr);
			buf_puts(&b, "</loc></sitemap>\n");
			buf_release(&u);
		}
		buf_puts(&b, "</sitemapindex>\n");
		if (write_buf(w, "sitemap.xml", &b, d) < 0)
			ret = -1;
	}
	buf_release(&b);
	buf_release(&name);
	return ret;
}

static int write_robots(const struct model *m, struct writer *w, struct diag *d)
{
	struct buf b = BUF_INIT;
	int ret;

	/* Everything is public but the search page and its index, which
	 * only repeat the records' text. */
	buf_printf(&b, "User-agent: *\nDisallow: %s" RENDER_SEARCH_DIR "/\n",
		   m->site->base_path);
	if (render_sitemap_count(m)) {
		buf_puts(&b, "\nSitemap: ");
		abs_url(&b, m->site, m->site->base_path);
		buf_puts(&b, "sitemap.xml\n");
	}
	ret = write_buf(w, "robots.txt", &b, d);
	buf_release(&b);
	return ret;
}

int render_discovery(const struct model *m, struct record **records,
		     char **texts, size_t count, struct writer *w,
		     struct diag *d)
{
	int ret = 0;
	if (write_feeds(m, records, texts, count, w, d) < 0)
		ret = -1;
	if (write_sitemaps(m, w, d) < 0)
		ret = -1;
	if (write_robots(m, w, d) < 0)
		ret = -1;
	return ret;
}
