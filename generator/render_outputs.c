/*
 * render_outputs: every file a build will write, checked before the first
 * one is written (part of the render module, see render.h).
 *
 * Records choose their output paths (slug and permalink), and so do the
 * pages showcase makes itself: the home page, 404.html, each collection's
 * list pages, the taxonomy, year, statistics and figure pages, the booklets next to their report's page, the theme's
 * static/ folder and the media/ folder of linked files. Two of them on one
 * path, or one where another needs a folder ("cases/index.html" the list
 * page and "cases/index.html/index.html" a record whose slug is
 * index.html), used to surface as "File exists" from the writer, exit 3,
 * after the scratch folder had been filled. Here every output is claimed
 * with its source first, and each clash is a content error at the slug of
 * the record that made it, naming the other side.
 *
 * The folders static/ and media/ are claimed whole: what lands in media/
 * depends on the links that render finds, and a theme may add static files
 * at any time.
 */
#include "render.h"
#include "render_internal.h"

#include "arena.h"
#include "diag.h"
#include "manifest.h"
#include "model.h"
#include "outdir.h"
#include "report.h"
#include "site.h"
#include "strmap.h"
#include "theme.h"

#include <string.h>

struct claim {
	const char *path;             /* relative to the output folder */
	int folder;                   /* everything under path is claimed */
	const struct record *record;  /* whose page or booklet, or NULL */
	const char *noun;             /* a record's "page" or "booklet" */
	const char *what;             /* e.g. "the home page", "the page of" */
	int rank;                     /* who is to blame for a clash: see clash() */
	int blamed;                   /* a clash was reported at it */
};

struct claims {
	struct arena *a;
	struct claim *v;
	size_t len, cap;
	struct strmap by_path;
};

static void claim(struct claims *cs, const char *path, int folder,
		  const struct record *r, const char *noun, const char *what)
{
	if (cs->len == cs->cap) {
		size_t cap = cs->cap ? cs->cap * 2 : 64;
		cs->v = arena_grow_array(cs->a, cs->v, cs->len, cap, sizeof(*cs->v));
		cs->cap = cap;
	}
	/* A page's path is its record's choice (slug, permalink); a booklet
	 * follows its report's page; showcase's own pages follow nobody's. */
	int rank = !r ? 0 : !strcmp(noun, "booklet") ? 1 : 2;
	cs->v[cs->len++] = (struct claim){ path, folder, r, noun, what, rank, 0 };
}

/* "the page of 'content/cases/x.md'", "the list page of 'cases'"... */
static const char *describe(struct arena *a, const struct claim *c)
{
	if (c->record)
		return arena_printf(a, "%s '%s'", c->what, c->record->path);
	return c->what;
}

/*
 * Report that `c` clashes with `other` (claimed before it): `how` is 0
 * when they are one path, 1 when `c` lies inside `other`. The error goes to
 * the side of higher rank, a record's page before a booklet before a page
 * of showcase's own; between equals, for one path to the later, for a file
 * where a folder is needed to the file, once (a record whose slug is
 * "projects" must not put an error on every project).
 */
static void clash(struct claims *cs, struct claim *c, struct claim *other,
		  int how, struct diag *d)
{
	struct arena *a = cs->a;
	const struct record *r;
	const char *hint = "choose another slug";

	if (other->rank > c->rank || (how == 1 && other->rank == c->rank)) {
		struct claim *t = c;
		c = other;
		other = t;
		how = how ? 2 : 0;
	}
	if (c->blamed && how == 2)
		return;
	c->blamed = 1;
	if (!c->record) {
		/* Only showcase's own pages: collection names exclude it. */
		diag_fail(d, NULL, 0, 0, "internal error: '%s' is both %s and "
			  "%s", c->path, describe(a, c), describe(a, other));
		return;
	}
	r = c->record;
	if (how == 0 && other->folder)
		diag_error(d, r->path, r->slug_line, r->slug_col,
			   "%s '%s' would replace the folder '%s/', which holds "
			   "%s; %s", c->noun, c->path, other->path,
			   describe(a, other), hint);
	else if (how == 0)
		diag_error(d, r->path, r->slug_line, r->slug_col,
			   "%s '%s' is also %s; %s", c->noun, c->path,
			   describe(a, other), hint);
	else if (how == 1 && other->folder)
		diag_error(d, r->path, r->slug_line, r->slug_col,
			   "%s '%s' is inside the folder '%s/', which holds %s; "
			   "%s", c->noun, c->path, other->path,
			   describe(a, other), hint);
	else if (how == 1)
		diag_error(d, r->path, r->slug_line, r->slug_col,
			   "%s '%s' needs a folder '%s', which is %s; %s",
			   c->noun, c->path, other->path, describe(a, other),
			   hint);
	else
		diag_error(d, r->path, r->slug_line, r->slug_col,
			   "%s '%s' is a file where %s ('%s') needs a folder; "
			   "%s", c->noun, c->path, describe(a, other),
			   other->path, hint);
}

static void claim_own(void *ctx, const char *path, const char *what)
{
	claim(ctx, path, 0, NULL, NULL, what);
}

/* What showcase writes of its own, then the records' pages and booklets,
 * in the order the model holds them. */
static void claim_all(struct claims *cs, const struct model *m,
		      const struct theme *t, const struct figures *fs,
		      const struct taxonomy *tx)
{
	struct arena *a = cs->a;
	const struct collection *reports = model_collection(m, "reports");

	claim(cs, "index.html", 0, NULL, NULL, "the home page");
	if (theme_template(t, "404"))
		claim(cs, "404.html", 0, NULL, NULL, "the page for missing pages");
	claim(cs, RENDER_STATIC_DIR, 1, NULL, NULL, "the theme's static files");
	claim(cs, RENDER_MEDIA_DIR, 1, NULL, NULL,
	      "the images and files that records link to");
	claim(cs, OUTDIR_MARKER, 0, NULL, NULL,
	      "the file that marks the output folder as showcase's");
	claim(cs, MANIFEST_NAME, 0, NULL, NULL,
	      "the list of the output's files for the next build");
	claim(cs, RENDER_FIGURES_JSON, 0, NULL, NULL,
	      "the figures as open data");
	if (theme_template(t, "search"))
		claim(cs, RENDER_SEARCH_DIR, 1, NULL, NULL,
		      "the search page and its index");
	claim(cs, RENDER_FEED_NAME, 0, NULL, NULL, "the site's Atom feed");
	claim(cs, "robots.txt", 0, NULL, NULL, "robots.txt");
	{
		size_t n = render_sitemap_count(m);
		if (n)
			claim(cs, "sitemap.xml", 0, NULL, NULL, "the sitemap");
		for (size_t i = 1; i < n; i++)
			claim(cs, arena_printf(a, "sitemap-%zu.xml", i), 0, NULL,
			      NULL, "a part of the sitemap");
	}
	for (size_t i = 0; i < m->ncollections; i++) {
		const struct collection *c = &m->collections[i];
		size_t n = render_list_page_count(m, c);
		for (size_t p = 0; p < n; p++)
			claim(cs, render_list_page_path(a, c, p), 0, NULL, NULL,
			      p ? arena_printf(a, "page %zu of the list of '%s'",
					       p + 1, c->name)
				: arena_printf(a, "the list page of '%s'",
					       c->name));
		/* After the list pages: a clash names them first. */
		claim(cs, arena_printf(a, "%s/" RENDER_FEED_NAME, c->out_dir), 0,
		      NULL, NULL, arena_printf(a, "the Atom feed of '%s'", c->name));
	}
	/* After the list pages, so that a clash with a collection's folder
	 * names its list page. */
	if (fs)
		render_figures_claims(fs, a, claim_own, cs);
	if (tx)
		render_taxonomy_claims(m, tx, a, claim_own, cs);
	for (size_t i = 0; i < m->ncollections; i++) {
		const struct collection *c = &m->collections[i];
		for (size_t k = 0; k < c->count; k++)
			if (c->records[k]->out_path)
				claim(cs, c->records[k]->out_path, 0,
				      c->records[k], "page", "the page of");
	}
	for (size_t k = 0; reports && k < reports->count; k++) {
		const struct record *r = reports->records[k];
		if (!r->out_path)
			continue;
		if (m->site->report_pdf)
			claim(cs, report_output_path(a, r, REPORT_PDF), 0, r,
			      "booklet", "the booklet of");
		if (m->site->report_html)
			claim(cs, report_output_path(a, r, REPORT_HTML), 0, r,
			      "booklet", "the booklet of");
	}
}

int render_check_outputs(const struct model *m, const struct theme *t,
			 const struct figures *fs, const struct taxonomy *tx,
			 struct diag *d)
{
	struct arena arena = ARENA_INIT;
	struct claims cs = { .a = &arena };
	size_t errors = diag_error_count(d);
	char *prefix;

	claim_all(&cs, m, t, fs, tx);
	/* Exact repeats first, so that each path below maps to its first
	 * claim. */
	for (size_t i = 0; i < cs.len; i++) {
		struct claim *other = strmap_put(&cs.by_path, cs.v[i].path, &cs.v[i]);
		if (other)
			clash(&cs, &cs.v[i], other, 0, d);
	}
	/* Then every folder a path needs: none may be a claimed file, and
	 * none but the claim's own may be a claimed folder. */
	for (size_t i = 0; i < cs.len; i++) {
		struct claim *c = &cs.v[i];
		prefix = arena_strdup(&arena, c->path);
		for (char *slash = strchr(prefix, '/'); slash;
		     slash = strchr(slash + 1, '/')) {
			struct claim *outer;
			*slash = '\0';
			outer = strmap_get(&cs.by_path, prefix);
			*slash = '/';
			if (outer) {
				clash(&cs, c, outer, 1, d);
				break;
			}
		}
	}
	strmap_release(&cs.by_path);
	arena_release(&arena);
	return diag_error_count(d) > errors ? -1 : 0;
}
