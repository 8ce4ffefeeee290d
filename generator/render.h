/*
 * render: the render stage. Turns the model into pages through the theme's
 * templates and hands every file to the writer.
 *
 * Record pages (the bulk of a site) are rendered by worker threads: each
 * takes the next record, renders its Markdown body and its template into
 * buffers of its own, with page values in an arena of its own, and writes the
 * file. The model and the theme are only read. List pages, the home page,
 * static files and published images follow on the calling thread.
 *
 * Files written: record pages at their permalinks, COLLECTION/index.html and
 * COLLECTION/page/N/index.html, the taxonomy pages COLLECTION/by-FIELD/...
 * (taxonomy.h), the year pages years/YYYY/, the statistics page stats/ and
 * a page per figure value under stats/ (render_figures.c), index.html,
 * 404.html, static/..., and
 * media/<repository path> for every image or file that a record's front
 * matter or body refers to (and only those), when the media policy lets
 * it through (media.h); a refused one is a content error at its link.
 */
#ifndef SHOWCASE_RENDER_H
#define SHOWCASE_RENDER_H

/* The figures as open data (figures_json()), written by build. */
#define RENDER_FIGURES_JSON "stats/figures.json"

struct bodycache;
struct diag;
struct figures;
struct manifest_prev;
struct strmap;
struct model;
struct taxonomy;
struct theme;
struct writer;

/* Pages carried over from the previous output (manifest.h): a record page
 * whose key (render_key.c) is the one `prev` lists for it is linked from
 * the previous output instead of rendered; what its body gives the search
 * index, the feeds, the cards (its text) and the media it links comes from
 * the body cache when that has the page's key, else from parsing it. */
struct render_reuse {
	const struct manifest_prev *prev; /* NULL: nothing to reuse */
	const char *base;   /* the manifest's base key; NULL: no keys */
	struct strmap *keys; /* out: output path -> key, in the model's arena */
	/* The previous build's body cache (bodycache.h), or NULL: its texts
	 * are borrowed until render_site() returns. With keys, render_site()
	 * replaces the file with this build's. */
	const struct bodycache *cache;
};

/*
 * Render and write the whole site with `threads` workers (1 = no threads).
 * `reuse` (or NULL) gives the keys of the previous output and takes those
 * of the pages made (for manifest_write()). With SHOWCASE_DEBUG_STATS set
 * in the environment, how many record pages were rendered and reused is
 * printed to stderr.
 * `fs` (computed figures, or NULL) and `tx` (the taxonomy index, or NULL)
 * add their pages; figures_shown() is called on `fs` for every page that
 * shows a value, from the calling thread.
 * Returns 0, or -1 when any error was reported (the caller then aborts the
 * writer, so no half-written site is ever swapped in).
 */
int render_site(const struct model *m, const struct theme *t,
		struct figures *fs, const struct taxonomy *tx,
		const struct render_reuse *reuse, struct writer *w,
		int threads, struct diag *d);

/*
 * When the model has errors nothing is rendered; this parses every record
 * body that the model holds all the same, so that the errors of links and
 * images (missing files...) come in the same run as those of front
 * matter. Links to records left out for their own errors are not errors
 * here. Returns 0, or -1 after reporting.
 */
int render_check_bodies(const struct model *m, struct diag *d);

/*
 * Check, before anything is written, that no two files of the site claim
 * one output path and that none needs as a folder what another writes as a
 * file: record pages, list pages, the home and 404 pages, booklets, and the
 * static/ and media/ folders (see render_outputs.c). Each clash is a
 * content error at the slug of the record concerned. Returns 0, or -1
 * after reporting.
 */
int render_check_outputs(const struct model *m, const struct theme *t,
			 const struct figures *fs, const struct taxonomy *tx,
			 struct diag *d);

#endif
