/*
 * model: reading, indexing and linking the records (see model.h). The
 * template values are built in model_data.c.
 */
#include "model.h"

#include "alloc.h"
#include "arena.h"
#include "buf.h"
#include "collate.h"
#include "diag.h"
#include "diag_msg.h"
#include "frontmatter.h"
#include "media.h"
#include "model_data.h"
#include "parallel.h"
#include "progress.h"
#include "repo.h"
#include "schema.h"
#include "site.h"
#include "utf8.h"
#include "value.h"
#include "write.h"
#include "yamlv.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define CONTENT_PREFIX "content/"

static int compare_collections(const void *pa, const void *pb)
{
	const struct schema_collection *a = ((const struct collection *)pa)->schema;
	const struct schema_collection *b = ((const struct collection *)pb)->schema;
	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	return strcmp(a->name, b->name);
}

struct model *model_new(struct arena *a, const struct site_config *site,
			const struct schema *schema,
			const struct repo_snapshot *snap, int drafts)
{
	struct model *m = arena_calloc(a, 1, sizeof(*m));
	m->arena = a;
	m->site = site;
	m->schema = schema;
	m->snapshot = snap;
	m->drafts = drafts;
	m->ncollections = schema->count;
	m->collections = arena_calloc(a, schema->count ? schema->count : 1,
				      sizeof(*m->collections));
	struct media_limits lim = { site->image_pixels, site->media_bytes };
	m->media = xmalloc(sizeof(*m->media));
	media_policy_init(m->media, snap, &lim);
	for (size_t i = 0; i < schema->count; i++)
		m->collections[i].schema = &schema->collections[i];
	/* Navigation order: the schema's `order`, then the name. */
	if (schema->count)
		qsort(m->collections, schema->count, sizeof(*m->collections),
		      compare_collections);
	for (size_t i = 0; i < schema->count; i++) {
		struct collection *c = &m->collections[i];
		c->name = c->schema->name;
		c->label = c->schema->label;
		if (!strcmp(site->language, "en") && c->schema->label_en)
			c->label = c->schema->label_en;
		c->out_dir = c->name;
		c->url = arena_printf(a, "%s%s/", site->base_path, c->name);
	}
	return m;
}

struct collection *model_collection(const struct model *m, const char *name)
{
	for (size_t i = 0; i < m->ncollections; i++)
		if (!strcmp(m->collections[i].name, name))
			return &m->collections[i];
	return NULL;
}

static int year_of_fields(const struct value *fields)
{
	const struct value *v = value_map_get(fields, "year");
	const char *date;

	if (v && v->kind == VALUE_INT)
		return v->u.integer > 0 && v->u.integer < 10000
		       ? (int)v->u.integer : 0;
	if ((date = value_str(value_map_get(fields, "date"))))
		return atoi(date);
	v = value_map_get(fields, "founded");
	if (v && v->kind == VALUE_INT && v->u.integer > 0 && v->u.integer < 10000)
		return (int)v->u.integer;
	return 0;
}

int model_record_year(const struct record *r)
{
	return r->year_known ? r->year : year_of_fields(r->fields);
}

const struct record *model_record(const struct model *m,
				  const char *collection, const char *slug)
{
	const struct collection *c = model_collection(m, collection);
	return c ? strmap_get(&c->by_slug, slug) : NULL;
}

const struct record *model_record_by_path(const struct model *m,
					  const char *repo_path)
{
	return strmap_get(&m->by_path, repo_path);
}

int model_record_failed(const struct model *m, const char *repo_path)
{
	return strmap_get(&m->failed, repo_path) != NULL;
}

const char *model_asset_url(const struct model *m, struct arena *a,
			    const char *repo_path)
{
	return arena_printf(a, "%smedia/%s", m->site->base_path, repo_path);
}

/* A slug becomes a folder name and a URL segment: keep it to characters
 * that are safe in both. Non-ASCII (UTF-8) letters are allowed. */
static int slug_is_valid(const char *s)
{
	if (!*s || *s == '.' || *s == '-')
		return 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x80 || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.')
			continue;
		return 0;
	}
	return 1;
}

static void add_to_collection(struct collection *c, struct arena *a,
			      struct record *r)
{
	if (c->count == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		c->records = arena_grow_array(a, c->records, c->count, cap,
					      sizeof(*c->records));
		c->cap = cap;
	}
	c->records[c->count++] = r;
}

static const char *slug_from_path(struct arena *a, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	return arena_strndup(a, base, strlen(base) - 3); /* without ".md" */
}

/*
 * Read one record, on whichever worker thread: its file, front matter and
 * typed fields. `scratch` holds what is only needed while reading it (the
 * file, its YAML tree) and is emptied by the caller afterwards; the typed
 * fields and the body go into `a`, which the model's arena adopts. Returns
 * the record as far as it was read (a record left out for its errors
 * still has its body checked), or NULL when not even the body was found.
 * A record that got as far as its fields (r->fields set) joins its
 * collection (admit_record()).
 */
static struct record *read_record(const struct model *m,
				  struct repo_reader *rd,
				  const struct repo_file *f, struct buf *text,
				  struct arena *scratch, struct arena *a,
				  struct diag *d)
{
	const struct schema_collection *sc = schema_for_path(m->schema, f->path);
	struct fm_parts parts;
	struct value *front, *typed;
	struct record *r;
	struct media_image_check ic = { m->media, d };

	if (!sc) {
		diag_error(d, f->path, 1, 1,
			   "record file outside any collection folder "
			   "(records go in content/COLLECTION/, e.g. content/cases/)");
		return NULL;
	}
	if (f->is_symlink) {
		diag_error(d, f->path, 1, 1,
			   "record file is a symbolic link; commit the file itself");
		return NULL;
	}
	/* From the size git records: a huge file is never read. */
	if (f->size > m->site->record_bytes) {
		diag_error(d, f->path, 1, 1,
			   "record file is %zu bytes, over the limit of %zu "
			   "(limits.record_bytes in site.yaml); split the record "
			   "or link large material as a file", f->size,
			   m->site->record_bytes);
		return NULL;
	}
	if (repo_reader_read(rd, f, text, d) < 0)
		return NULL;
	if (memchr(text->ptr, '\0', text->len)) {
		diag_error(d, f->path, 1, 1, "record file contains NUL bytes "
			   "(is it a binary file named .md?)");
		return NULL;
	}
	if (fm_split(text->ptr, text->len, f->path, &parts, d) < 0)
		return NULL;
	r = arena_calloc(a, 1, sizeof(*r));
	r->schema = sc;
	r->path = f->path;
	/* The body stays in the arena for the render stage. */
	r->body = arena_strndup(a, parts.body, parts.body_len);
	r->body_len = parts.body_len;
	r->body_first_line = parts.body_first_line;
	if (yamlv_parse(scratch, parts.yaml, parts.yaml_len, f->path,
			parts.yaml_first_line - 1, d, &front) < 0)
		return r;
	/* A record with errors still joins the model (with the fields that
	 * were valid), so that its slug and references are checked too and
	 * one build reports every problem. The build stops before rendering. */
	schema_validate(sc, a, front, f->path, media_check_image_field, &ic,
			&typed, d);

	r->fields = typed;
	r->year = year_of_fields(typed);
	r->year_known = 1;
	return r;
}

/* A record read whole joins its collection, in path order, on one
 * thread: unless it is a draft, by its slug, which must be valid and its
 * own. */
static void admit_record(struct model *m, struct record *r, struct diag *d)
{
	struct arena *a = m->arena;
	const struct value *v = value_map_get(r->fields, "draft");
	struct record *other;
	struct collection *c;

	r->draft = v && v->kind == VALUE_BOOL && v->u.boolean;
	if (r->draft && !m->drafts)
		return;

	v = value_map_get(r->fields, "slug");
	r->slug = value_str(v) ? value_str(v) : slug_from_path(a, r->path);
	r->slug_line = value_str(v) ? v->line : 1;
	r->slug_col = value_str(v) ? v->col : 1;
	if (!slug_is_valid(r->slug)) {
		diag_error(d, r->path, r->slug_line, r->slug_col,
			   "invalid slug '%s': use letters, digits, '-', '_' "
			   "or '.', not starting with '.' or '-'%s", r->slug,
			   value_str(v) ? "" : " (the slug comes from the file "
			   "name; rename the file or give a 'slug' field)");
		return;
	}
	r->title = value_str(value_map_get(r->fields, "title"));
	if (!r->title)
		r->title = r->slug;

	c = model_collection(m, r->schema->name);
	r->coll = c;
	other = strmap_put(&c->by_slug, r->slug, r);
	if (other) {
		diag_error(d, r->path, r->slug_line, r->slug_col,
			   "duplicate slug '%s' in '%s': '%s' has it too",
			   r->slug, c->name, other->path);
		return;
	}
	strmap_put(&m->by_path, r->path, r);
	add_to_collection(c, a, r);
	m->nrecords++;
}

/*
 * A file's name becomes a slug, a URL and a file of the website, and is
 * shown in diagnostics: it must be UTF-8 without control characters. Git
 * keeps names as the bytes they were committed with, so a name from a
 * system with another encoding (GBK, say) arrives here unchanged.
 */
static int check_file_name(const char *path, struct diag *d)
{
	size_t len = strlen(path);

	if (!utf8_valid(path, len)) {
		diag_error(d, path, 1, 1, "file name is not valid UTF-8 (was it "
			   "committed from a system with another encoding?); "
			   "rename the file");
		return -1;
	}
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)path[i] < 0x20 || path[i] == 0x7f) {
			diag_error(d, path, 1, 1, "file name holds a control "
				   "character; rename the file");
			return -1;
		}
	return 0;
}

/* What a worker made of one file of content/ (load_records()). */
struct loaded {
	struct record *r; /* NULL when not a record or not read */
	size_t errors;    /* reported while reading it */
};

struct load_job {
	const struct model *m;
	const struct repo_file *first;
	struct loaded *out;
	size_t n;
	atomic_size_t next;
};

/* One worker: the records' data in its own arena, its diagnostics in its
 * own collector, both handed over after the join in worker order. */
struct load_worker {
	struct load_job *job;
	struct arena arena;
	struct diag d;
};

static void *load_work(void *arg)
{
	struct load_worker *w = arg;
	struct load_job *job = w->job;
	struct arena scratch = ARENA_INIT;
	struct buf text = BUF_INIT;
	struct repo_reader *rd = repo_reader_open(job->m->snapshot);
	size_t i;

	while ((i = atomic_fetch_add(&job->next, 1)) < job->n) {
		const struct repo_file *f = &job->first[i];
		size_t len = strlen(f->path), errors = diag_error_count(&w->d);
		struct loaded *o = &job->out[i];
		if (check_file_name(f->path, &w->d) == 0) {
			if (len < 3 || strcmp(f->path + len - 3, ".md"))
				continue; /* an image or attachment */
			o->r = read_record(job->m, rd, f, &text, &scratch,
					   &w->arena, &w->d);
			arena_release(&scratch);
			progress_add(PROGRESS_RECORDS, 1);
		}
		o->errors = diag_error_count(&w->d) - errors;
	}
	repo_reader_close(rd);
	buf_release(&text);
	return NULL;
}

/*
 * Every file of content/, read and typed on the worker threads, each with
 * a libgit2 handle of its own (at 10,000 records this was a fifth of a
 * build's time on one thread: inflating the blobs, the YAML, the typing),
 * then admitted to the collections in path order on this thread, so that
 * slugs clash and records are counted as if read one by one.
 */
static void load_records(struct model *m, struct diag *d)
{
	const struct repo_file *first;
	size_t n = repo_snapshot_prefix(m->snapshot, CONTENT_PREFIX, &first);
	/* A thread is worth its start for some hundred records. */
	size_t nworkers = n < 256 ? 1 : (size_t)parallel_jobs(m->jobs);
	struct load_job job = { m, first, xcalloc(n ? n : 1, sizeof(*job.out)),
				n, 0 };
	struct load_worker *workers = xcalloc(nworkers, sizeof(*workers));

	for (size_t i = 0; i < nworkers; i++) {
		workers[i].job = &job;
		arena_init(&workers[i].arena);
		diag_init(&workers[i].d);
	}
	parallel_run(load_work, workers, sizeof(*workers), nworkers);
	for (size_t i = 0; i < nworkers; i++) {
		arena_adopt(m->arena, &workers[i].arena);
		diag_absorb(d, &workers[i].d);
		diag_release(&workers[i].d);
	}
	free(workers);

	for (size_t i = 0; i < n; i++) {
		const char *p = first[i].path;
		struct loaded *o = &job.out[i];
		size_t errors = diag_error_count(d);
		if (o->r && o->r->fields)
			admit_record(m, o->r, d);
		if ((o->errors || diag_error_count(d) > errors) &&
		    !strmap_get(&m->by_path, p)) {
			struct record *r = o->r;
			if (!r) {
				r = arena_calloc(m->arena, 1, sizeof(*r));
				r->path = p;
			}
			strmap_put(&m->failed, p, r);
		}
	}
	free(job.out);
}

/* The git history, read on a thread of its own or in turn. */
struct history_job {
	struct model *m;
	struct diag d; /* its own: absorbed after the records' */
	int rc;
	pthread_t thread;
	int started;   /* on `thread`, beside the records */
};

static void *history_work(void *arg)
{
	struct history_job *h = arg;
	h->rc = repo_history_load(&h->m->history, h->m->snapshot,
				  CONTENT_PREFIX, &h->d);
	return NULL;
}

/* The history is read beside the records when there are threads to spare:
 * it needs only the snapshot, and on one thread it was a fifth of the
 * load stage (80 ms at 10,000 records). */
static void history_start(struct model *m, struct history_job *h)
{
	h->m = m;
	h->rc = -1;
	diag_init(&h->d);
	h->started = !m->no_history && parallel_jobs(m->jobs) > 1 &&
		     pthread_create(&h->thread, NULL, history_work, h) == 0;
}

/* Dates and authors of every record from the commits that changed its
 * file. A failure (an unreadable commit) is a system error: the build stops,
 * as for any other repository problem. */
static void load_history(struct model *m, struct history_job *h,
			 struct diag *d)
{
	if (h->started)
		pthread_join(h->thread, NULL);
	else if (!m->no_history)
		history_work(h);
	diag_absorb(d, &h->d);
	diag_release(&h->d);
	if (m->no_history || h->rc < 0)
		return;
	for (size_t i = 0; i < m->ncollections; i++) {
		struct collection *c = &m->collections[i];
		for (size_t k = 0; k < c->count; k++) {
			struct record *r = c->records[k];
			r->history = repo_history_find(m->history, r->path);
			if (!r->history)
				continue;
			model_time_text(m, m->arena, r->history->published,
					&r->published);
			model_time_text(m, m->arena, r->history->updated,
					&r->updated);
		}
	}
}

struct link_ctx {
	struct model *m;
	struct record *from;
	struct diag *d;
};

static void add_link(struct arena *a, struct record *to, struct record *from)
{
	struct record_links *l;
	for (l = to->links; l; l = l->next)
		if (l->from == from->coll)
			break;
	if (!l) {
		l = arena_calloc(a, 1, sizeof(*l));
		l->from = from->coll;
		l->next = to->links;
		to->links = l;
	}
	/* References of one record arrive together: a repeat is the last. */
	if (l->len && l->records[l->len - 1] == from)
		return;
	if (l->len == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4;
		l->records = arena_grow_array(a, l->records, l->len, cap,
					      sizeof(*l->records));
		l->cap = cap;
	}
	l->records[l->len++] = from;
}

static void check_reference(void *ctx, const char *to_collection,
			    const struct value *slug_value,
			    const struct schema_field *field)
{
	struct link_ctx *lc = ctx;
	const char *slug = value_str(slug_value);
	struct record *to;

	if (!slug)
		return;
	to = (struct record *)model_record(lc->m, to_collection, slug);
	if (!to) {
		const struct schema_collection *sc =
			schema_find(lc->m->schema, to_collection);
		diag_msg(lc->d, lc->from->path, slug_value->line,
			 slug_value->col, DIAG_MSG_REFERENCE, field->name, slug,
			 to_collection, sc->folder, slug, sc->label);
		return;
	}
	if (to != lc->from)
		add_link(lc->m->arena, to, lc->from);
}

struct record_order {
	const struct schema_collection *schema;
	struct collate *coll; /* the site's language: pinyin for Chinese */
};

/* A record to sort with its sort values, looked up once
 * (schema_sort_values()). */
struct sort_item {
	struct record *r;
	const struct value **vals;
};

static int compare_records(const void *pa, const void *pb, void *ctx)
{
	const struct sort_item *a = pa, *b = pb;
	const struct record_order *o = ctx;
	return schema_compare_values(o->schema, o->coll, a->vals, a->r->slug,
				     b->vals, b->r->slug);
}

static void sort_collection(struct collection *c, struct record_order *o)
{
	size_t nsort = c->schema->nsort ? c->schema->nsort : 1;
	struct sort_item *items = xcalloc(c->count, sizeof(*items));
	const struct value **vals = xcalloc(st_mult(c->count, nsort),
					    sizeof(*vals));

	for (size_t k = 0; k < c->count; k++) {
		items[k].r = c->records[k];
		items[k].vals = vals + k * nsort;
		schema_sort_values(c->schema, items[k].r->fields, items[k].vals);
	}
	qsort_r(items, c->count, sizeof(*items), compare_records, o);
	for (size_t k = 0; k < c->count; k++) {
		c->records[k] = items[k].r;
		c->records[k]->rank = k;
	}
	free(vals);
	free(items);
}

static int compare_by_rank(const void *pa, const void *pb)
{
	const struct record *a = *(struct record *const *)pa;
	const struct record *b = *(struct record *const *)pb;
	return a->rank < b->rank ? -1 : a->rank > b->rank;
}

/* Place each record at its permalink. Whether two pages claim one path is
 * checked with every other file of the site, in render_check_outputs(). */
static void place_records(struct model *m, struct diag *d)
{
	struct buf link = BUF_INIT;

	for (size_t i = 0; i < m->ncollections; i++) {
		struct collection *c = &m->collections[i];
		for (size_t k = 0; k < c->count; k++) {
			struct record *r = c->records[k];
			const char *rel;
			buf_reset(&link);
			if (schema_permalink(c->schema, r->fields, r->slug, &link) < 0) {
				diag_error(d, r->path, 1, 1,
					   "permalink '%s' needs a 'year' or 'date' "
					   "field, which this record lacks",
					   c->schema->permalink);
				continue;
			}
			rel = link.ptr[0] == '/' ? link.ptr + 1 : link.ptr;
			r->url = arena_printf(m->arena, "%s%s", m->site->base_path, rel);
			if (!*rel || rel[strlen(rel) - 1] == '/')
				r->out_path = arena_printf(m->arena, "%sindex.html", rel);
			else
				r->out_path = arena_strdup(m->arena, rel);
			if (!write_path_is_safe(r->out_path)) {
				diag_error(d, r->path, r->slug_line, r->slug_col,
					   "permalink gives an unsafe output path '%s'",
					   r->out_path);
				r->out_path = NULL;
			}
		}
	}
	buf_release(&link);
}

int model_build(struct model *m, const char *generator, const char *build_date,
		struct diag *d)
{
	size_t errors = diag_error_count(d);
	struct history_job history;

	history_start(m, &history);

	load_records(m, d);
	progress_stage("records parsed");
	load_history(m, &history, d);
	progress_stage("history");

	struct record_order order = { NULL, collate_open_for(m->site->language) };
	for (size_t i = 0; i < m->ncollections; i++) {
		struct collection *c = &m->collections[i];
		order.schema = c->schema;
		if (c->count)
			sort_collection(c, &order);
	}
	collate_close(order.coll);

	for (size_t i = 0; i < m->ncollections; i++) {
		struct collection *c = &m->collections[i];
		for (size_t k = 0; k < c->count; k++) {
			struct link_ctx lc = { m, c->records[k], d };
			schema_each_reference(c->schema, c->records[k]->fields,
					      check_reference, &lc);
		}
	}
	for (size_t i = 0; i < m->ncollections; i++) {
		struct collection *c = &m->collections[i];
		for (size_t k = 0; k < c->count; k++)
			for (struct record_links *l = c->records[k]->links; l; l = l->next)
				qsort(l->records, l->len, sizeof(*l->records),
				      compare_by_rank);
	}
	place_records(m, d);
	if (diag_error_count(d) > errors)
		return -1;
	model_data_build(m, generator, build_date);
	return 0;
}

void model_release(struct model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->ncollections; i++)
		strmap_release(&m->collections[i].by_slug);
	strmap_release(&m->by_path);
	strmap_release(&m->failed);
	repo_history_free(m->history);
	m->history = NULL;
	if (m->media) {
		media_policy_release(m->media);
		free(m->media);
		m->media = NULL;
	}
}
