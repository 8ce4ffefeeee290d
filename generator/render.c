/*
 * render: see render.h.
 */
#include "progress.h"
#include "render.h"
#include "render_internal.h"

#include "alloc.h"
#include "arena.h"
#include "bodycache.h"
#include "buf.h"
#include "diag.h"
#include "figures.h"
#include "manifest.h"
#include "markdown.h"
#include "media.h"
#include "model.h"
#include "model_data.h"
#include "pagination.h"
#include "parallel.h"
#include "repo.h"
#include "schema.h"
#include "search.h"
#include "site.h"
#include "strmap.h"
#include "theme.h"
#include "thumb.h"
#include "tmpl.h"
#include "value.h"
#include "write.h"

#include <cmark-gfm.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct value *render_page_root(struct arena *a, const struct model *m,
			       const struct theme *t, struct value *site,
			       const char *kind, const char *title,
			       const char *url, const char *stats_url)
{
	struct value *root = value_map(a), *page = value_map(a);
	value_map_set(a, page, "kind", value_cstring_ref(a, kind));
	value_map_set(a, page, "title", value_cstring_ref(a, title));
	value_map_set(a, page, "url", value_cstring_ref(a, url));
	value_map_set(a, page, "lang", value_cstring_ref(a, m->site->language));
	value_map_set(a, page, "is_home", value_bool(a, !strcmp(kind, "home")));
	value_map_set(a, page, "is_list", value_bool(a, !strcmp(kind, "list")));
	value_map_set(a, page, "is_record", value_bool(a, !strcmp(kind, "record")));
	value_map_set(a, page, "is_search", value_bool(a, !strcmp(kind, "search")));
	/* For the meta description (record pages put their own) and the
	 * canonical link and Open Graph tags, which want absolute URLs. The
	 * 404 page, served at every missing URL, has no address of its own:
	 * no canonical link or og:url (a canonical to the home page would
	 * tell crawlers that every broken link is the home page). */
	if (*m->site->description)
		value_map_set(a, page, "description",
			      value_cstring_ref(a, m->site->description));
	if (render_site_origin(m->site) && strcmp(kind, "404"))
		value_map_set(a, page, "abs_url", value_cstring_ref(a, arena_printf(
			a, "%.*s%s", (int)(strlen(m->site->base_url) -
					  strlen(m->site->base_path)),
			m->site->base_url, url)));
	value_map_set(a, page, "is_stats", value_bool(a, !strcmp(kind, "stats")));
	value_map_set(a, root, "site", site);
	value_map_set(a, root, "i18n", t->i18n);
	value_map_set(a, root, "page", page);
	if (stats_url)
		value_map_set(a, root, "stats_url", value_cstring_ref(a, stats_url));
	return root;
}

int render_emit(const struct theme *t, const char *template_name,
		const struct value *root, struct buf *out, struct writer *w,
		const char *out_path, struct diag *d)
{
	const struct tmpl *tp = theme_template(t, template_name);
	if (!tp) {
		diag_fail(d, NULL, 0, 0, "theme '%s' has no template '%s'",
			  t->root, template_name);
		return -1;
	}
	buf_reset(out);
	if (tmpl_render(tp, root, out, d) < 0)
		return -1;
	return write_file(w, out_path, out->ptr, out->len, d);
}

/* A link's target: a record's page, or a file published under media/ if
 * the media policy lets it through. */
static const char *resolve_link(void *ctx, const char *repo_path, int is_image,
				const char **why)
{
	struct render_worker *wk = ctx;
	const struct model *m = wk->job->m;
	const struct record *r = model_record_by_path(m, repo_path);
	size_t len = strlen(repo_path);
	const char *url = NULL;

	*why = NULL;
	if (r)
		return r->url ? r->url : "";
	if (wk->job->checking && model_record_failed(m, repo_path))
		return ""; /* its own errors are reported */
	if (len > 3 && !strcmp(repo_path + len - 3, ".md"))
		return NULL; /* a Markdown file that is not a published record */
	if (media_policy_check(m->media, repo_path, is_image, why,
			       wk->job->d) != MEDIA_OK)
		return NULL;
	if (is_image && m->thumbs && !wk->job->checking) {
		/* Its smaller copies, made on first use; a file that libvips
		 * cannot decode is an error at the image. */
		const struct thumb_image *im = thumb_use(m->thumbs, repo_path,
							 wk->job->d);
		if (im->error) {
			*why = im->error;
			return NULL;
		}
		url = model_asset_url(m, &wk->arena, repo_path);
		if (im->width)
			strmap_put(&wk->pictures, url, (void *)im);
	}
	if (!strmap_get(&wk->assets, repo_path)) {
		const char *key = arena_strdup(&wk->keep, repo_path);
		strmap_put(&wk->assets, key, (void *)key);
	}
	return url ? url : model_asset_url(m, &wk->arena, repo_path);
}

_Static_assert(MANIFEST_KEY_SIZE == sizeof(*((struct render_job *)0)->body_keys),
	       "a body cache key is a manifest key");

/* resolve_link(), noting each link for the body cache: a kind ('i' for
 * an image), the path, a NUL. */
static const char *resolve_noted(void *ctx, const char *repo_path,
				 int is_image, const char **why)
{
	struct render_worker *wk = ctx;

	buf_putc(&wk->links, is_image ? 'i' : 'a');
	buf_add(&wk->links, repo_path, strlen(repo_path) + 1);
	return resolve_link(ctx, repo_path, is_image, why);
}

/*
 * What the parse of record `index`'s body gave, from the body cache when
 * it has the page's key `key`: its text and prose, and its links resolved
 * again in the same order (which publishes the media, as the parse
 * would). 0 when the cache cannot say, or a link no longer resolves (the
 * parse then reports it).
 */
static int body_from_cache(struct render_worker *wk, const char *key,
			   size_t index)
{
	struct render_job *job = wk->job;
	struct bodycache_entry e;

	if (!bodycache_find(job->cache, key, &e))
		return 0;
	for (size_t i = 0; i < e.links_len;) {
		const char *why = NULL, *path = e.links + i + 1;
		if (!resolve_link(wk, path, e.links[i] == 'i', &why))
			return 0;
		i += strlen(path) + 2;
	}
	job->texts[index] = (char *)e.text;
	job->prose[index] = (char *)e.prose;
	job->borrowed[index] = 1;
	memcpy(job->body_keys[index], key, MANIFEST_KEY_SIZE);
	job->links[index] = xstrndup(e.links, e.links_len);
	job->links_len[index] = e.links_len;
	atomic_fetch_add(&job->bodies_cached, 1);
	return 1;
}

/* A Markdown image that the page has resolved: its <picture>. */
static int picture_html(void *ctx, const char *url, const char *alt,
			const char *title, struct buf *out)
{
	struct render_worker *wk = ctx;
	const struct thumb_image *im = strmap_get(&wk->pictures, url);

	if (!im)
		return 0;
	thumb_html(wk->job->m->thumbs, im, url, alt, title, out);
	return 1;
}

static const char *record_template(const struct theme *t, struct arena *a,
				   const struct record *r)
{
	const char *name = arena_printf(a, "record-%s", r->coll->name);
	return theme_template(t, name) ? name : "record";
}

/* The key of `r`'s page (render_key.c), when the build keeps keys: 1
 * when the previous output's page has it and is carried over, 0 when
 * the page is to be made, -1 after reporting. */
static int record_key(struct render_worker *wk, const struct record *r,
		      const char *template_name, char key[MANIFEST_KEY_SIZE])
{
	struct render_job *job = wk->job;
	struct manifest_hash *h;

	key[0] = '\0';
	if (!job->keys)
		return 0;
	h = render_key_begin(job->keys, "record", r->out_path);
	manifest_hash_str(h, "template", template_name);
	render_key_record(h, job->keys, job->m, job->fs, &wk->arena, r);
	return render_key_reuse(job->keys, h, r->out_path, 1, key, job->w,
				job->d);
}

/* Parse `r`'s body: its text and prose for records[index], the links it
 * resolves (kept for the body cache under page key `key`, when not empty
 * and the parse said nothing) and, when `html` is not NULL, its HTML
 * there. 0, or -1 after reporting. */
static int record_body(struct render_worker *wk, const struct record *r,
		       size_t index, const char *key, struct buf *html)
{
	struct render_job *job = wk->job;
	const struct model *m = job->m;
	struct md_options opt = {
		.unsafe_html = m->site->unsafe_html,
		.table_label = job->t ? value_str(value_map_get(job->t->i18n,
							"table_region")) : NULL,
		.image_html = m->thumbs ? picture_html : NULL,
		.image_ctx = wk,
	};
	struct md_resolver res = { resolve_noted, wk };
	struct cmark_node *doc;
	struct buf text = BUF_INIT;
	int parsed;

	buf_reset(&wk->links);
	atomic_fetch_add(&job->bodies_parsed, 1);
	parsed = md_parse(r->body, r->body_len, r->path, r->body_first_line,
			  &opt, &res, wk->local, &doc);
	if (key[0] && parsed == 0 && !diag_count(wk->local)) {
		memcpy(job->body_keys[index], key, MANIFEST_KEY_SIZE);
		job->links_len[index] = wk->links.len;
		job->links[index] = xstrndup(wk->links.ptr ? wk->links.ptr : "",
					     wk->links.len);
	}
	diag_absorb(job->d, wk->local);
	if (html) {
		buf_reset(html);
		md_render_doc(doc, &opt, html);
	}
	md_excerpt(doc, SEARCH_MAX_TEXT, &text);
	job->texts[index] = buf_detach(&text, NULL);
	/* Enough for any cut (md_text_cut() looks for a sentence end within
	 * the limit). */
	md_prose_text(doc, 2 * RENDER_DESCRIPTION_CHARS, &text);
	job->prose[index] = buf_detach(&text, NULL);
	cmark_node_free(doc);
	return parsed < 0 ? -1 : 0;
}

/* `r`'s page, around its body's HTML `html`. 0, or -1 after reporting. */
static int record_page(struct render_worker *wk, const struct record *r,
		       size_t index, const char *template_name,
		       const struct buf *html)
{
	struct render_job *job = wk->job;
	const struct model *m = job->m;
	struct arena *a = &wk->arena;
	size_t coll_index = (size_t)(r->coll - m->collections);
	struct value *root, *rec;

	rec = model_record_data(m, r, a);
	value_map_set(a, rec, "content",
		      value_string_ref(a, html->ptr ? html->ptr : "", html->len));
	root = render_page_root(a, m, job->t, m->site_for[coll_index], "record",
			 r->title, r->url, job->stats_url);
	/* A report's page links the page of its year's figures. */
	if (!strcmp(r->coll->name, "reports") && job->fs) {
		const char *year_url = render_year_url(m, job->fs, a,
						       figures_record_year(r));
		if (year_url)
			value_map_set(a, rec, "year_url",
				      value_cstring_ref(a, year_url));
	}
	value_map_set(a, root, "record", rec);
	{
		/* The description: the summary, else the body's opening,
		 * cut at a sentence end. */
		const char *summary = value_str(value_map_get(r->fields, "summary"));
		struct buf desc = BUF_INIT;
		md_text_cut(summary && *summary ? summary : job->prose[index],
			    RENDER_DESCRIPTION_CHARS, &desc);
		if (desc.len)
			value_map_set(a, value_map_get(root, "page"), "description",
				      value_cstring(a, desc.ptr));
		buf_release(&desc);
	}
	return render_emit(job->t, template_name, root, &wk->page, job->w,
			   r->out_path, job->d);
}

static int render_record(struct render_worker *wk, const struct record *r,
			 size_t index)
{
	const char *template_name = record_template(wk->job->t, &wk->arena, r);
	char key[MANIFEST_KEY_SIZE];
	int same = record_key(wk, r, template_name, key), ret = same < 0 ? -1 : 0;

	/* A page carried over still gives its body's text to the search
	 * index, the feeds and the cards, and its links publish media: from
	 * the body cache, else the body is parsed all the same. */
	if (same > 0 && body_from_cache(wk, key, index))
		return ret;
	if (record_body(wk, r, index, key, same ? NULL : &wk->html) < 0)
		ret = -1;
	if (!same && record_page(wk, r, index, template_name, &wk->html) < 0)
		ret = -1;
	return ret;
}

/* A page that shows a booklet's size, in the record stage: only its body
 * (the search index and the feeds need its text before the pages that
 * wait for booklets are made); render_late() makes the page. Its body is
 * never cached: its key is not known yet (a handful of short bodies). */
static int late_record_body(struct render_worker *wk, const struct record *r,
			    size_t index)
{
	return record_body(wk, r, index, "", &wk->job->late_html[index]);
}

/* The page of late record `r`, from the HTML its body gave. */
static int late_record_page(struct render_worker *wk, const struct record *r,
			    size_t index)
{
	const char *template_name = record_template(wk->job->t, &wk->arena, r);
	char key[MANIFEST_KEY_SIZE];
	int same = record_key(wk, r, template_name, key);

	if (same)
		return same < 0 ? -1 : 0;
	return record_page(wk, r, index, template_name,
			   &wk->job->late_html[index]);
}

/* Publish the image a front matter value names; the model has checked it
 * against the policy already (the verdict is cached), what is left to
 * fail is decoding it for its smaller copies. */
static int publish_image(struct render_worker *wk, const struct record *r,
			 const struct value *v)
{
	const char *why;

	if (!value_str(v) || resolve_link(wk, value_str(v), 1, &why) || !why)
		return 0;
	diag_error(wk->job->d, r->path, v->line, v->col, "image '%s' %s",
		   value_str(v), why);
	return -1;
}

/* Images named in front matter (image fields, lists of images) are
 * published like those of the body: the page links them. */
static int publish_images(struct render_worker *wk, const struct record *r)
{
	int ret = 0;

	for (size_t k = 0; k < r->schema->nfields; k++) {
		const struct schema_field *f = &r->schema->fields[k];
		const struct value *v = value_map_get(r->fields, f->name);
		if (!v)
			continue;
		if (f->type == SCHEMA_IMAGE && publish_image(wk, r, v) < 0)
			ret = -1;
		else if (f->type == SCHEMA_LIST && f->item &&
			 f->item->type == SCHEMA_IMAGE && v->kind == VALUE_LIST)
			for (size_t i = 0; i < v->u.list.len; i++)
				if (publish_image(wk, r, v->u.list.items[i]) < 0)
					ret = -1;
	}
	return ret;
}

static void *work(void *arg)
{
	struct render_worker *wk = arg;
	struct render_job *job = wk->job;
	size_t i;

	while ((i = atomic_fetch_add(&job->next, 1)) < job->count) {
		int late = i >= job->nearly;
		i = job->order[i];
		const struct record *r = job->records[i];
		if (publish_images(wk, r) < 0)
			atomic_store(&job->failed, 1);
		if ((late ? late_record_body(wk, r, i) : render_record(wk, r, i)) < 0)
			atomic_store(&job->failed, 1);
		arena_release(&wk->arena);
		strmap_release(&wk->pictures);
	}
	return NULL;
}

/* The search index and the feeds, which need every record's text, on a
 * thread of their own beside the list, term and figure pages. */
struct index_job {
	const struct model *m;
	const struct theme *t;
	struct record **records;
	char **texts, **prose;
	size_t count;
	struct writer *w;
	struct diag *d;
	int failed;
	const struct render_job *job; /* for the body cache */
	const char *base;             /* its base key, or NULL: none */
};

static void *index_work(void *arg)
{
	struct index_job *ij = arg;

	if (theme_template(ij->t, "search") &&
	    render_search_index(ij->m, ij->records, ij->texts, ij->count,
				ij->w, ij->d) < 0)
		ij->failed = 1;
	if (render_discovery(ij->m, ij->records, ij->prose, ij->count, ij->w,
			     ij->d) < 0)
		ij->failed = 1;
	/* Only an aid to the next build: a failure is a warning. */
	if (ij->base)
		bodycache_write(ij->w, ij->base, ij->count, ij->job->body_keys,
				ij->texts, ij->prose, ij->job->links,
				ij->job->links_len, ij->d);
	return NULL;
}

static int copy_file(const struct render_job *job, const char *repo_path,
		     const char *out_path, struct buf *scratch)
{
	const struct repo_file *f = repo_snapshot_find(job->m->snapshot, repo_path);
	buf_reset(scratch);
	if (!f || repo_snapshot_read(job->m->snapshot, f, scratch, job->d) < 0)
		return -1;
	return write_file(job->w, out_path, scratch->ptr, scratch->len, job->d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Publish the union of the workers' asset sets, in sorted order. */
static int copy_assets(struct render_job *job, struct render_worker *workers, size_t n,
		       struct buf *scratch)
{
	struct strmap all = STRMAP_INIT;
	const char **paths;
	size_t count = 0;
	int ret = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < workers[i].assets.cap; k++)
			if (workers[i].assets.slots[k].key &&
			    !strmap_put(&all, workers[i].assets.slots[k].key, NULL))
				count++;
	paths = xcalloc(count ? count : 1, sizeof(*paths));
	count = 0;
	for (size_t k = 0; k < all.cap; k++)
		if (all.slots[k].key)
			paths[count++] = all.slots[k].key;
	if (count)
		qsort(paths, count, sizeof(*paths), cmp_str);
	for (size_t i = 0; i < count; i++) {
		struct buf out = BUF_INIT;
		buf_printf(&out, "media/%s", paths[i]);
		if (copy_file(job, paths[i], out.ptr, scratch) < 0)
			ret = -1;
		buf_release(&out);
	}
	free(paths);
	strmap_release(&all);
	return ret;
}

/* The taxonomy pages, shared out to `n` threads like record pages. */
struct tax_job {
	const struct render_ctx *base;
	size_t count;
	atomic_size_t next;
	atomic_int failed;
};

struct tax_worker {
	struct tax_job *job;
	struct render_ctx rc;
};

static void *tax_work(void *arg)
{
	struct tax_worker *tw = arg;
	size_t i;

	while ((i = atomic_fetch_add(&tw->job->next, 1)) < tw->job->count)
		if (render_taxonomy_job(&tw->rc, i) < 0)
			atomic_store(&tw->job->failed, 1);
	return NULL;
}

static int render_taxonomy(const struct render_ctx *base,
			   struct render_worker *workers, size_t n)
{
	struct tax_job job = { .base = base };
	struct tax_worker *tws = xcalloc(n, sizeof(*tws));

	job.count = render_taxonomy_jobs(base->tx);
	atomic_init(&job.next, 0);
	atomic_init(&job.failed, 0);
	for (size_t i = 0; i < n; i++) {
		tws[i].job = &job;
		tws[i].rc = *base;
		tws[i].rc.a = &workers[i].arena;
		tws[i].rc.page = &workers[i].page;
	}
	parallel_run(tax_work, tws, sizeof(*tws), n);
	free(tws);
	return atomic_load(&job.failed) ? -1 : 0;
}

static void worker_init(struct render_worker *wk, struct render_job *job)
{
	memset(wk, 0, sizeof(*wk));
	wk->job = job;
	arena_init(&wk->arena);
	arena_init(&wk->keep);
	buf_init(&wk->html, 0);
	buf_init(&wk->page, 0);
	buf_init(&wk->links, 0);
	wk->local = xcalloc(1, sizeof(*wk->local));
	diag_init(wk->local);
}

static void worker_release(struct render_worker *wk)
{
	arena_release(&wk->arena);
	arena_release(&wk->keep);
	buf_release(&wk->html);
	buf_release(&wk->page);
	buf_release(&wk->links);
	diag_release(wk->local);
	free(wk->local);
	strmap_release(&wk->assets);
	strmap_release(&wk->pictures);
}

static void check_body(struct render_worker *wk, const struct record *r,
		       const struct md_options *opt,
		       const struct md_resolver *res)
{
	struct cmark_node *doc = NULL;

	if (!r->body)
		return;
	md_parse(r->body, r->body_len, r->path, r->body_first_line, opt, res,
		 wk->job->d, &doc);
	cmark_node_free(doc);
	arena_release(&wk->arena);
}

int render_check_bodies(const struct model *m, struct diag *d)
{
	struct render_job job;
	struct render_worker wk;
	struct md_options opt = { .unsafe_html = m->site->unsafe_html };
	struct md_resolver res = { resolve_link, &wk };
	size_t errors = diag_error_count(d);

	memset(&job, 0, sizeof(job));
	job.m = m;
	job.d = d;
	job.checking = 1;
	worker_init(&wk, &job);
	for (size_t i = 0; i < m->ncollections; i++)
		for (size_t k = 0; k < m->collections[i].count; k++)
			check_body(&wk, m->collections[i].records[k], &opt, &res);
	for (size_t i = 0; i < m->failed.cap; i++)
		if (m->failed.slots[i].key)
			check_body(&wk, m->failed.slots[i].val, &opt, &res);
	worker_release(&wk);
	return diag_error_count(d) > errors ? -1 : 0;
}

/*
 * The pages that show a booklet's size (booklet_pdf_size() waits for the
 * booklet, or makes it): the reports' pages and list, the home page (its
 * newest reports) and the year pages. Made last, so that while the
 * booklet of a changed year is typeset, every other page is made beside
 * it instead of after it. Without booklets (`late` NULL) only the home
 * and year pages are left, made here all the same.
 */
static int render_late(struct render_job *job, struct render_ctx *rc,
		       struct render_worker *workers, size_t nworkers,
		       const struct collection *late)
{
	const struct model *m = job->m;
	struct render_worker *wk = &workers[0];
	struct arena *a = rc->a;
	int ret = 0;

	for (size_t i = job->nearly; i < job->count; i++) {
		size_t index = job->order[i];
		if (late_record_page(wk, job->records[index], index) < 0)
			ret = -1;
		arena_release(&wk->arena);
	}
	if (late && render_lists(m, workers, nworkers, late, 1) < 0)
		ret = -1;
	{
		struct value *root = render_page_root(a, m, job->t, m->site_home,
					       "home", m->site->title,
					       m->site->base_path, job->stats_url);
		struct value *home = model_home_data(m, a), *figs;
		if ((figs = render_figures_home(rc)))
			value_map_set(a, home, "headline", figs);
		value_map_set(a, root, "home", home);
		if (render_emit(job->t, "home", root, &wk->page, job->w,
				"index.html", job->d) < 0)
			ret = -1;
		arena_release(a);
	}
	if (rc->fs && render_year_pages(rc) < 0)
		ret = -1;
	return ret;
}

int render_site(const struct model *m, const struct theme *t,
		struct figures *fs, const struct taxonomy *tx,
		const struct render_reuse *reuse, struct writer *w,
		int threads, struct diag *d)
{
	struct render_ctx rc;
	struct render_job job;
	struct render_worker *workers;
	struct arena *a;
	const struct collection *late;
	size_t nworkers, errors = diag_error_count(d);
	int failed = 0;

	memset(&job, 0, sizeof(job));
	job.m = m;
	job.t = t;
	job.w = w;
	job.d = d;
	job.fs = fs;
	if (fs && fs->ndefs)
		job.stats_url = arena_printf(m->arena, "%sstats/",
					     m->site->base_path);
	job.records = xcalloc(m->nrecords ? m->nrecords : 1, sizeof(*job.records));
	for (size_t i = 0; i < m->ncollections; i++)
		for (size_t k = 0; k < m->collections[i].count; k++)
			job.records[job.count++] = m->collections[i].records[k];
	job.order = xcalloc(job.count ? job.count : 1, sizeof(*job.order));
	/* The reports last; with booklets, their pages show the booklets'
	 * sizes and are made last of all (render_late()). */
	late = model_collection(m, "reports");
	{
		size_t n = 0;
		for (int pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < job.count; i++)
				if ((job.records[i]->coll == late) == pass)
					job.order[n++] = i;
	}
	if (!m->booklet_pdf_size || !m->site->report_pdf)
		late = NULL;
	job.nearly = job.count - (late ? late->count : 0);
	job.late_html = xcalloc(job.count ? job.count : 1, sizeof(*job.late_html));
	atomic_init(&job.next, 0);
	atomic_init(&job.failed, 0);
	atomic_init(&job.bodies_cached, 0);
	atomic_init(&job.bodies_parsed, 0);
	job.texts = xcalloc(job.count ? job.count : 1, sizeof(*job.texts));
	job.prose = xcalloc(job.count ? job.count : 1, sizeof(*job.prose));
	job.borrowed = xcalloc(job.count ? job.count : 1, sizeof(*job.borrowed));
	job.body_keys = xcalloc(job.count ? job.count : 1, sizeof(*job.body_keys));
	job.links = xcalloc(job.count ? job.count : 1, sizeof(*job.links));
	job.links_len = xcalloc(job.count ? job.count : 1, sizeof(*job.links_len));
	if (reuse) {
		job.cache = reuse->cache;
		job.keys = render_keys_new(m, reuse->base, reuse->prev,
					   job.stats_url);
	}

	nworkers = threads > 1 ? (size_t)threads : 1;
	if (nworkers > job.count && job.count)
		nworkers = job.count;
	workers = xcalloc(nworkers, sizeof(*workers));
	for (size_t i = 0; i < nworkers; i++)
		worker_init(&workers[i], &job);
	parallel_run(work, workers, sizeof(*workers), nworkers);
	failed = atomic_load(&job.failed);
	progress_stage("record pages");
	struct index_job ij = { m, t, job.records, job.texts, job.prose,
				job.count, w, d, 0, &job,
				reuse && job.keys ? reuse->base : NULL };
	pthread_t indexer;
	int indexing = nworkers > 1 &&
		       pthread_create(&indexer, NULL, index_work, &ij) == 0;
	if (!indexing)
		index_work(&ij);
	if (render_lists(m, workers, nworkers, late, 0) < 0)
		failed = 1;
	progress_stage("list pages");
	/* The rest is small: on this thread, with worker 0's buffers. */
	a = &workers[0].arena;
	rc = (struct render_ctx){ m, t, w, d, fs, tx, a, &workers[0].page,
				  job.stats_url, job.keys };
	if (theme_template(t, "search")) {
		const char *title = value_str(value_map_get(t->i18n, "search"));
		struct value *root = render_page_root(a, m, t, m->site_data, "search",
					       title ? title : "search",
					       arena_printf(a, "%s" RENDER_SEARCH_DIR "/",
							    m->site->base_path), rc.stats_url);
		if (render_emit(t, "search", root, &workers[0].page, w,
			 RENDER_SEARCH_DIR "/index.html", d) < 0)
			failed = 1;
		arena_release(a);
	}
	progress_stage("search page");
	if (tx && render_taxonomy(&rc, workers, nworkers) < 0)
		failed = 1;
	progress_stage("term pages");
	if (fs && render_figures_pages(&rc) < 0)
		failed = 1;
	progress_stage("figure pages");
	if (theme_template(t, "404")) {
		const char *title = value_str(value_map_get(t->i18n, "not_found"));
		struct value *root = render_page_root(a, m, t, m->site_data, "404",
					       title ? title : "404",
					       m->site->base_path, job.stats_url);
		if (render_emit(t, "404", root, &workers[0].page, w, "404.html", d) < 0)
			failed = 1;
		arena_release(a);
	}
	for (size_t i = 0; i < t->nstatics; i++) {
		struct buf out = BUF_INIT;
		buf_printf(&out, "static/%s", t->statics[i].path);
		buf_reset(&workers[0].page);
		if (theme_read_static(t, &t->statics[i], &workers[0].page, d) < 0 ||
		    write_file(w, out.ptr, workers[0].page.ptr,
			       workers[0].page.len, d) < 0)
			failed = 1;
		buf_release(&out);
	}
	if (copy_assets(&job, workers, nworkers, &workers[0].page) < 0)
		failed = 1;
	progress_stage("assets");
	if (render_late(&job, &rc, workers, nworkers, late) < 0)
		failed = 1;
	progress_stage("pages that show booklets");
	if (indexing)
		pthread_join(indexer, NULL);
	if (ij.failed)
		failed = 1;
	progress_stage("search index and feeds");
	if (getenv("SHOWCASE_DEBUG_STATS"))
		fprintf(stderr, "showcase: record bodies from the cache %zu, parsed %zu\n",
			atomic_load(&job.bodies_cached),
			atomic_load(&job.bodies_parsed));

	for (size_t i = 0; i < nworkers; i++)
		worker_release(&workers[i]);
	free(workers);
	for (size_t i = 0; i < job.count; i++)
		if (!job.borrowed[i]) {
			free(job.texts[i]);
			free(job.prose[i]);
		}
	free(job.texts);
	free(job.prose);
	free(job.borrowed);
	for (size_t i = 0; i < job.count; i++)
		buf_release(&job.late_html[i]);
	free(job.late_html);
	for (size_t i = 0; i < job.count; i++)
		free(job.links[i]);
	free(job.links);
	free(job.links_len);
	free(job.body_keys);
	render_keys_free(job.keys, reuse ? reuse->keys : NULL, m->arena);
	free(job.records);
	free(job.order);
	return failed || diag_error_count(d) > errors ? -1 : 0;
}
