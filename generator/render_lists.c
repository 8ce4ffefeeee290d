/*
 * render_lists: the list pages of the collections (page_size cards a page,
 * a window of page links, a <title> per page), rendered by the workers of
 * the record pages once those are done. See render_internal.h.
 */
#include "render_internal.h"

#include "alloc.h"
#include "manifest.h"
#include "markdown.h"
#include "model.h"
#include "model_data.h"
#include "pagination.h"
#include "parallel.h"
#include "site.h"
#include "theme.h"
#include "value.h"

#include <stdlib.h>

size_t render_list_page_count(const struct model *m,
			      const struct collection *c)
{
	size_t size = (size_t)m->site->page_size;
	return c->count ? (c->count + size - 1) / size : 1;
}

const char *render_list_page_path(struct arena *a, const struct collection *c,
				  size_t p)
{
	if (p == 0)
		return arena_printf(a, "%s/index.html", c->out_dir);
	return arena_printf(a, "%s/page/%zu/index.html", c->out_dir, p + 1);
}

/* "典型案例 第 2 页", "Cases Page 2", from the interface strings. */
static const char *page_title(struct arena *a, const struct theme *t,
			      const char *label, size_t number)
{
	const char *pre = value_str(value_map_get(t->i18n, "page_prefix"));
	const char *post = value_str(value_map_get(t->i18n, "page"));
	return arena_printf(a, "%s %s %zu%s%s", label, pre ? pre : "", number,
			    post && *post ? " " : "", post ? post : "");
}

/* A card without a summary shows the opening of the record's body. */
static struct value *card_data(struct arena *a, const struct model *m,
			       const struct record *r, const char *text)
{
	struct value *card = model_record_data(m, r, a);
	const char *summary = value_str(value_map_get(card, "summary"));

	if ((!summary || !*summary) && text && *text) {
		struct buf cut = BUF_INIT;
		md_text_cut(text, RENDER_CARD_CHARS, &cut);
		value_map_set(a, card, "excerpt", value_cstring(a, cut.ptr));
		buf_release(&cut);
	}
	return card;
}

/* Page q (1-based) of a paginated list under `url`. */
static const char *page_url(struct arena *a, const char *url, size_t q)
{
	return q > 1 ? arena_printf(a, "%spage/%zu/", url, q) : url;
}

struct value *render_pagination(struct arena *a, const char *url,
				size_t p, size_t pages)
{
	struct value *pg = value_map(a), *all = value_list(a);
	size_t win[PAGINATION_MAX(2)];
	size_t n;

	if (pages < 2)
		return NULL;
	/* First, last, the current page and two neighbours, gaps between. */
	n = pagination_window(p + 1, pages, 2, win);
	for (size_t i = 0; i < n; i++) {
		struct value *item = value_map(a);
		size_t q = win[i];
		value_map_set(a, item, "gap", value_bool(a, q == 0));
		if (q) {
			value_map_set(a, item, "number", value_int(a, (long long)q));
			value_map_set(a, item, "url",
				      value_cstring_ref(a, page_url(a, url, q)));
			value_map_set(a, item, "current", value_bool(a, q == p + 1));
		}
		value_list_push(a, all, item);
	}
	value_map_set(a, pg, "current", value_int(a, (long long)p + 1));
	value_map_set(a, pg, "total", value_int(a, (long long)pages));
	if (p > 0)
		value_map_set(a, pg, "prev_url",
			      value_cstring_ref(a, page_url(a, url, p)));
	if (p + 1 < pages)
		value_map_set(a, pg, "next_url",
			      value_cstring_ref(a, page_url(a, url, p + 2)));
	value_map_set(a, pg, "pages", all);
	return pg;
}

/* Page `p` of the list of collection `c`. */
static int render_list_page(struct render_worker *wk, const struct collection *c,
			    size_t p)
{
	const struct model *m = wk->job->m;
	struct arena *a = &wk->arena;
	size_t size = (size_t)m->site->page_size;
	size_t pages = render_list_page_count(m, c);
	size_t coll_index = (size_t)(c - m->collections);
	size_t first = 0; /* of the collection's records in job->records */
	int ret = 0;

	for (size_t i = 0; i < coll_index; i++)
		first += m->collections[i].count;
	{
		struct value *root, *list = value_map(a), *recs = value_list(a);
		const char *url, *out = render_list_page_path(a, c, p);
		if (wk->job->keys) {
			struct manifest_hash *h = render_key_begin(
				wk->job->keys, "list", out);
			int same;
			for (size_t k = p * size; k < c->count && k < (p + 1) * size; k++)
				render_key_data(h, wk->job->keys, m, c->records[k]);
			same = render_key_reuse(wk->job->keys, h, out, 0, NULL,
						wk->job->w, wk->job->d);
			if (same) {
				if (same < 0)
					ret = -1;
				arena_release(a);
				return ret;
			}
		}
		if (p == 0)
			url = c->url;
		else
			url = arena_printf(a, "%spage/%zu/", c->url, p + 1);
		for (size_t k = p * size; k < c->count && k < (p + 1) * size; k++)
			value_list_push(a, recs, card_data(a, m, c->records[k],
							    wk->job->prose[first + k]));
		value_map_set(a, list, "collection", c->data);
		value_map_set(a, list, "records", recs);
		if (pages > 1)
			value_map_set(a, list, "pagination",
				      render_pagination(a, c->url, p, pages));
		/* Each list page its own <title>: "典型案例 第 2 页". */
		root = render_page_root(a, m, wk->job->t, m->site_for[coll_index], "list",
				 p ? page_title(a, wk->job->t, c->label, p + 1) : c->label,
				 url, wk->job->stats_url);
		value_map_set(a, root, "list", list);
		if (render_emit(wk->job->t, "list", root, &wk->page, wk->job->w, out,
			 wk->job->d) < 0)
			ret = -1;
		arena_release(a);
	}
	return ret;
}

/* The list pages of every collection, shared out among the workers: a
 * page of 30 cards is a few records' worth of work, and a site of 10,000
 * records has hundreds of them. */
struct list_job {
	const struct model *m;
	const struct collection *late; /* see render_lists() */
	int only_late;
	size_t count;           /* pages in all */
	atomic_size_t next;
	atomic_int failed;
};

struct list_worker {
	struct list_job *job;
	struct render_worker *wk;
};

/* The pages of collection `c` that this job makes. */
static size_t job_page_count(const struct list_job *job,
			     const struct collection *c)
{
	return (c == job->late) == job->only_late
		? render_list_page_count(job->m, c) : 0;
}

static void *list_work(void *arg)
{
	struct list_worker *lw = arg;
	const struct model *m = lw->job->m;
	size_t i;

	while ((i = atomic_fetch_add(&lw->job->next, 1)) < lw->job->count) {
		size_t c = 0, n;
		/* Page i of all: find its collection (a handful). */
		while ((n = job_page_count(lw->job, &m->collections[c])) <= i) {
			i -= n;
			c++;
		}
		if (render_list_page(lw->wk, &m->collections[c], i) < 0)
			atomic_store(&lw->job->failed, 1);
	}
	return NULL;
}

int render_lists(const struct model *m, struct render_worker *workers,
		 size_t n, const struct collection *late, int only_late)
{
	struct list_job job = { .m = m, .late = late, .only_late = !!only_late };
	struct list_worker *lws = xcalloc(n, sizeof(*lws));

	for (size_t c = 0; c < m->ncollections; c++)
		job.count += job_page_count(&job, &m->collections[c]);
	atomic_init(&job.next, 0);
	atomic_init(&job.failed, 0);
	for (size_t i = 0; i < n; i++)
		lws[i] = (struct list_worker){ .job = &job, .wk = &workers[i] };
	parallel_run(list_work, lws, sizeof(*lws), n);
	free(lws);
	return atomic_load(&job.failed) ? -1 : 0;
}
