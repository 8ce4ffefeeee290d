/*
 * render_internal: what the files of the render module share (render.c,
 * render_outputs.c), so that the pages the site is checked for and the
 * pages it writes are named by the same code. Not for other modules.
 */
#ifndef SHOWCASE_RENDER_INTERNAL_H
#define SHOWCASE_RENDER_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "strmap.h"

struct arena;
struct buf;
struct collection;
struct diag;
struct figures;
struct model;
struct site_config;
struct record;
struct diag;
struct taxonomy;
struct theme;
struct value;
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
 *
 * Both run on a thread of their own while the list, term and figure pages
 * render (render.c): they only read the model, allocate nothing from its
 * arena and write through the writer, which takes many threads.
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
/* The pages showcase makes of its own beside list pages (taxonomy, year,
 * statistics, figure pages): rendered on the calling thread, after the
 * record pages, with one arena emptied after each page and one buffer. */
struct render_ctx {
	const struct model *m;
	const struct theme *t;
	struct writer *w;
	struct diag *d;
	struct figures *fs;          /* figures_shown() is called from here */
	const struct taxonomy *tx;
	struct arena *a;
	struct buf *page;
	const char *stats_url;       /* for render_page_root() */
	struct render_keys *keys;    /* or NULL: render every page */
};

/* Output paths are reported through this, with what they are ("the
 * statistics page"), for the output clash check (render_outputs.c). */
typedef void render_claim_fn(void *ctx, const char *path, const char *what);

/* The root value of a page of `kind` ("record", "list", "taxonomy"...),
 * into `a`. `site` is the model's site data for the page's section;
 * `stats_url` (or NULL) the statistics page, for the navigation. */
struct value *render_page_root(struct arena *a, const struct model *m,
			       const struct theme *t, struct value *site,
			       const char *kind, const char *title,
			       const char *url, const char *stats_url);

/* Render template `name` with `root` and write it to `out_path`. */
int render_emit(const struct theme *t, const char *name,
		const struct value *root, struct buf *out, struct writer *w,
		const char *out_path, struct diag *d);

/* {current, total, prev_url, next_url, pages: [{number, url, current}]}
 * for page `p` (0-based) of `pages` under `url` (page N at url/page/N/),
 * or NULL when there is one page. */
struct value *render_pagination(struct arena *a, const char *url,
				size_t p, size_t pages);

/*
 * render_key.c: keys of pages (manifest.h), from the model, without
 * rendering, so that a page whose key is the one the previous output's
 * manifest lists is carried over instead of rendered. One render_keys per
 * build, shared by the threads that render.
 */
struct manifest_hash;
struct manifest_prev;
struct strmap;
struct render_keys;

/* NULL when `base` (the manifest's base key) is NULL: no keys. `site` is
 * what every page's key starts from: the base key, every record's path
 * and address, the collection counts, the statistics page. The keys made
 * go into `keys` (output path -> key) in `arena`, both owned by the
 * caller, at render_keys_free(), which also prints the counts when
 * SHOWCASE_DEBUG_STATS is set. */
struct render_keys *render_keys_new(const struct model *m, const char *base,
				    const struct manifest_prev *prev,
				    const char *stats_url);
void render_keys_free(struct render_keys *k, struct strmap *keys,
		      struct arena *arena);

/* A page's key in the making: the site part, what kind of page, its
 * output path; end it with render_key_reuse(). */
struct manifest_hash *render_key_begin(const struct render_keys *k,
				       const char *kind, const char *out_path);
/* What a card of `r` in a list shows (model_record_card(), card_data()):
 * its file, dates, and the records it references. */
void render_key_card(struct manifest_hash *h, const struct render_keys *k,
		     const struct model *m, const struct record *r);
/* What model_record_data() shows of `r` beyond its card: the records
 * that link to it, a report's booklet size (waits for the booklet). */
void render_key_data(struct manifest_hash *h, const struct render_keys *k,
		     const struct model *m, const struct record *r);
/* What record page `r` shows: its data and its year's page. `a` for
 * scratch values. */
void render_key_record(struct manifest_hash *h, const struct render_keys *k,
		       const struct model *m, const struct figures *fs,
		       struct arena *a, const struct record *r);
/* End `h` (freed) into the key of page `out_path`, note it and copy it
 * to `key` when that is not NULL. Returns 1
 * when the previous output holds that page with that key and it was
 * carried over (nothing to render), 0 when the page must be rendered, -1
 * after reporting an error. `record` counts it as a record page. Thread
 * safe. */
int render_key_reuse(struct render_keys *k, struct manifest_hash *h,
		     const char *out_path, int record, char *key,
		     struct writer *w, struct diag *d);

/* Taxonomy pages (render_taxonomy.c): job k of render_taxonomy_jobs(),
 * a term index or a term's pages. Jobs are independent: any thread may
 * run any job with a render_ctx (arena, buffer) of its own. */
size_t render_taxonomy_jobs(const struct taxonomy *tx);
int render_taxonomy_job(struct render_ctx *rc, size_t k);
void render_taxonomy_claims(const struct model *m, const struct taxonomy *tx,
			    struct arena *a, render_claim_fn *claim, void *ctx);

/* The statistics page and a page per figure value (render_figures.c);
 * render_year_pages(): a page per year, which lists the year's booklets
 * with their sizes. Nothing when the theme declares no figures. */
int render_figures_pages(struct render_ctx *rc);
int render_year_pages(struct render_ctx *rc);
void render_figures_claims(const struct figures *fs, struct arena *a,
			   render_claim_fn *claim, void *ctx);
/* The latest year's headline figures for the home page, marked shown on
 * "index.html"; NULL when there are none. */
struct value *render_figures_home(struct render_ctx *rc);
/* The URL of year `year`'s page, in `a`, or NULL when there is none. */
const char *render_year_url(const struct model *m, const struct figures *fs,
			    struct arena *a, int year);

/*
 * The record pages' run (render.c): what every worker reads, and what each
 * worker owns. The list pages (render_lists.c) reuse the workers once the
 * record pages are done.
 */
struct render_keys;
struct bodycache;
struct render_job {
	const struct model *m;
	const struct theme *t;
	struct writer *w;
	struct diag *d;
	struct record **records; /* every record, in collection order */
	size_t count;
	/* the order the workers take records[] in: the reports last. When
	 * the build makes booklets (m->booklet_pdf_size), a report's page
	 * shows its booklet's size and would hold a worker idle while the
	 * booklet is typeset: order[nearly..] are then only parsed in the
	 * record stage (their HTML kept in late_html), and their pages are
	 * made last, with the other pages that show a booklet's size
	 * (render_late()) */
	size_t *order;
	size_t nearly;     /* order[0..nearly) are made in the record stage */
	struct buf *late_html; /* records[i]'s body HTML, when late */
	atomic_size_t next;
	atomic_int failed;
	int checking; /* render_check_bodies(): the model has errors */
	/* the plain text of records[i]'s body, for descriptions, excerpts,
	 * feeds and the search index; each owned */
	char **texts;
	/* the prose of records[i]'s body (md_prose_text()): paragraphs only,
	 * for descriptions, card excerpts and feed summaries; each owned */
	char **prose;
	/* borrowed[i]: texts[i] and prose[i] are not owned but point into
	 * the body cache's mapping (never written), which outlives the job:
	 * at 50,000 records, copies of them were 50 MiB more at the peak */
	unsigned char *borrowed;
	const struct figures *fs; /* only read by the workers */
	const char *stats_url;    /* the statistics page, or NULL */
	struct render_keys *keys; /* or NULL: render every page */
	/* The body cache (bodycache.h) of the previous build, or NULL; and
	 * what goes into the next one, with the keys: records[i]'s page key
	 * ("" when its body is not kept: no key, or its parse reported
	 * something) and the links its parse resolved (each owned). */
	const struct bodycache *cache;
	char (*body_keys)[65];
	char **links;
	size_t *links_len;
	atomic_size_t bodies_cached, bodies_parsed; /* for SHOWCASE_DEBUG_STATS */
};

/* What one worker owns. */
struct render_worker {
	struct render_job *job;
	struct arena arena;   /* page values; emptied after each page */
	struct arena keep;    /* asset paths, kept until the merge */
	struct buf html, page;
	struct strmap assets; /* repository paths of files to publish */
	/* the page's images by URL, for their <picture> (thumb.h); keys in
	 * `arena`, emptied with it */
	struct strmap pictures;
	const struct record *current;
	/* A body's parse reports here first, to tell whether it said
	 * anything (then it is not kept in the body cache); and the links
	 * it resolved, for the cache. */
	struct diag *local;
	struct buf links;
};

/* render_lists.c: the list pages of every collection but `late` (NULL:
 * of every one), or with `only_late` those of `late` alone, shared out
 * among the `n` workers (their arenas and buffers, on threads of their
 * own when n > 1). Returns 0, or -1 after reporting. */
int render_lists(const struct model *m, struct render_worker *workers,
		 size_t n, const struct collection *late, int only_late);

#endif
