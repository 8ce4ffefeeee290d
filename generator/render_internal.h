/*
 * render_internal: what the files of the render module share (render.c,
 * render_outputs.c), so that the pages the site is checked for and the
 * pages it writes are named by the same code. Not for other modules.
 */
#ifndef SHOWCASE_RENDER_INTERNAL_H
#define SHOWCASE_RENDER_INTERNAL_H

#include <stddef.h>

struct arena;
struct collection;
struct model;
struct site_config;
struct record;
struct diag;
struct writer;

/* The folders of the output that render fills with files of its own:
 * the theme's static files and the files that records link to. */
#define RENDER_STATIC_DIR "static"
#define RENDER_MEDIA_DIR "media"
/* The search page and its index (search.h), when the theme has a
 * template "search". */
#define RENDER_SEARCH_DIR "search"
/* The Atom feed of the site, and of each collection in its folder. */
#define RENDER_FEED_NAME "feed.xml"
#define RENDER_FEED_ENTRIES 20
/* The sitemap protocol's limit of URLs per file. */
#define RENDER_SITEMAP_URLS 50000
/* Characters of a page's meta description and a feed entry's summary. */
#define RENDER_DESCRIPTION_CHARS 120
/* Characters of a card's excerpt when its record has no summary. */
#define RENDER_CARD_CHARS 80

/* How many list pages collection `c` has: one even when it is empty. */
size_t render_list_page_count(const struct model *m,
			      const struct collection *c);

/* The output path of list page `p` (0-based) of `c`, in `a`:
 * "cases/index.html", "cases/page/2/index.html"... */
const char *render_list_page_path(struct arena *a, const struct collection *c,
				  size_t p);

/*
 * render_search.c: write the search index under RENDER_SEARCH_DIR for the
 * `count` records, texts[i] being the plain text of records[i]'s body (or
 * NULL). Borrows everything. Returns 0, or -1 when a file could not be
 * written (reported to `d`).
 */
int render_search_index(const struct model *m, struct record **records,
			char **texts, size_t count, struct writer *w,
			struct diag *d);

/*
 * render_discovery.c: the Atom feeds, sitemap.xml (sitemap-N.xml beyond
 * RENDER_SITEMAP_URLS) and robots.txt, for the same records and texts as
 * render_search_index(). Returns 0 or -1.
 */
int render_discovery(const struct model *m, struct record **records,
		     char **texts, size_t count, struct writer *w,
		     struct diag *d);
/* How many sitemap files a build writes: 0 when `base_url` is not
 * absolute, 1, or the numbered files plus their index. */
size_t render_sitemap_count(const struct model *m);
/* Non-NULL when the site's base_url is absolute (http or https), so that
 * absolute URLs can be made: the scheme and host are the first
 * strlen(base_url) - strlen(base_path) bytes of base_url. */
const char *render_site_origin(const struct site_config *s);

#endif
