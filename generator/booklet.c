/*
 * booklet: see booklet.h.
 */
#include "booklet.h"

#include "alloc.h"
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "figures.h"
#include "load.h"
#include "manifest.h"
#include "model.h"
#include "progress.h"
#include "repo.h"
#include "report.h"
#include "strmap.h"
#include "write.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_THREADS 16

/* One booklet: what its thread fills in, read back after the join. */
struct booklet {
	const struct record *report;
	size_t report_index;        /* in the reports collection */
	enum report_format format;
	const char *path;           /* in the output, from s->arena */
	struct diag diag;           /* its problems, absorbed in order */
	struct report_shown shown;  /* its figures, applied in order */
	struct report_key key;      /* its key, for the manifest */
	int failed;
	int done;                   /* typeset (set before the join) */
	int carried;                /* carried over, not typeset */
	int state;                  /* TODO, MAKING, DONE; under run->lock */
	size_t size;                /* bytes written, once DONE */
};

enum { TODO, MAKING, DONE };

struct booklet_run {
	struct load_site *s;
	struct writer *w;
	const struct manifest_prev *prev; /* NULL: nothing to reuse */
	char base[MANIFEST_KEY_SIZE];     /* report_key_base(), "" for none */
	struct booklet *items;      /* sequential order */
	size_t count;
	size_t *order;              /* the order threads take them in */
	atomic_size_t next;
	pthread_t threads[MAX_THREADS];
	int nthreads;
	/* A booklet is made by whoever claims it first: a booklet thread, or
	 * a page that shows its size (booklet_pdf_size()), which otherwise
	 * waits on `made` until its maker is done. */
	pthread_mutex_t lock;
	pthread_cond_t made;
};

/* 1 when the caller is to make `b` (it was TODO). */
static int claim(struct booklet_run *run, struct booklet *b)
{
	int mine;

	pthread_mutex_lock(&run->lock);
	if ((mine = b->state == TODO))
		b->state = MAKING;
	pthread_mutex_unlock(&run->lock);
	return mine;
}

/* Write booklet `b`, typeset into `out` with result `rc` (or carried
 * over: rc 1), and mark it DONE. */
static void finish_one(struct booklet_run *run, struct booklet *b,
		       struct buf *out, int rc)
{
	/* 1: the previous output's file is this booklet (report_key.c). */
	if (rc < 0 || (rc == 1 ? write_reuse(run->w, b->path, &b->diag)
		       : write_file(run->w, b->path, out->ptr, out->len, &b->diag)) < 0)
		b->failed = 1;
	/* A booklet carried over was not typeset here: its size is the
	 * previous output's file, which is now also the new one. */
	size_t size = out->len;
	struct stat st;
	if (rc == 1 && !b->failed)
		size = write_previous_stat(run->w, b->path, &st) == 0
			       ? (size_t)st.st_size : 0;
	pthread_mutex_lock(&run->lock);
	b->done = 1;
	b->carried = rc == 1 && !b->failed;
	b->size = size;
	b->state = DONE;
	pthread_cond_broadcast(&run->made);
	pthread_mutex_unlock(&run->lock);
	if (b->format == REPORT_PDF)
		progress_add(PROGRESS_BOOKLETS, 1); /* atomic */
	progress_stage(b->path);
}

/* The other format of `b`'s report, when it is still to make: claimed
 * here, to be made from the same template output (report.h). */
static struct booklet *claim_sibling(struct booklet_run *run,
				     const struct booklet *b)
{
	for (size_t i = 0; i < run->count; i++) {
		struct booklet *o = &run->items[i];
		if (o != b && o->report == b->report)
			return claim(run, o) ? o : NULL;
	}
	return NULL;
}

struct making {
	struct booklet_run *run;
	struct booklet *set[2];
	struct buf out[2];
	struct report_booklet rb[2];
	int sibling; /* may make the other format too */
};

/* set[i] as report_typeset_formats() takes it. */
static void making_add(struct making *mk, size_t i, struct booklet *b)
{
	struct booklet_run *run = mk->run;

	mk->set[i] = b;
	b->key.base = run->base;
	b->key.prev = manifest_prev_key(run->prev, b->path);
	/* Read with the key it goes with (the file is intact). */
	b->key.prev_note = b->key.prev ? manifest_prev_note(run->prev, b->path)
				       : NULL;
	mk->rb[i] = (struct report_booklet){ b->format, &mk->out[i], &b->shown,
		run->base[0] ? &b->key : NULL, &b->diag, 0 };
}

/* set[i] is done: write it and, after the first, take the other format
 * when nobody has begun it. It is claimed only now, not with the first:
 * while a changed year's PDF is typeset, the other thread, done with the
 * booklets carried over, makes its print page beside it. */
static size_t made(void *ctx, size_t i)
{
	struct making *mk = ctx;
	struct booklet *o;

	finish_one(mk->run, mk->set[i], &mk->out[i], mk->rb[i].rc);
	buf_release(&mk->out[i]);
	if (i == 0 && mk->sibling && (o = claim_sibling(mk->run, mk->set[0]))) {
		making_add(mk, 1, o);
		return 2;
	}
	return i + 1;
}

/* Make `b` (claimed) and, with `sibling`, its other format when nobody
 * has begun it by then. A page waiting for a PDF's size makes only the
 * PDF. */
static void make(struct booklet_run *run, struct booklet *b, int sibling)
{
	struct making mk = { .run = run, .out = { BUF_INIT, BUF_INIT },
			     .sibling = sibling };

	making_add(&mk, 0, b);
	report_typeset_formats(run->s, b->report, mk.rb, 1, made, &mk);
}

static void *work(void *arg)
{
	struct booklet_run *run = arg;
	size_t i;

	while ((i = atomic_fetch_add(&run->next, 1)) < run->count)
		if (claim(run, &run->items[run->order[i]]))
			make(run, &run->items[run->order[i]], 1);
	return NULL;
}

int booklet_threads(const struct booklet_run *run)
{
	return run ? run->nthreads : 0;
}

long long booklet_pdf_size(void *ctx, const struct record *r)
{
	struct booklet_run *run = ctx;
	struct booklet *b = NULL;
	long long size;

	for (size_t i = 0; i < run->count && !b; i++)
		if (run->items[i].report == r && run->items[i].format == REPORT_PDF)
			b = &run->items[i];
	if (!b)
		return -1;
	if (claim(run, b))
		make(run, b, 0);
	pthread_mutex_lock(&run->lock);
	while (b->state != DONE)
		pthread_cond_wait(&run->made, &run->lock);
	size = b->failed ? -1 : (long long)b->size;
	pthread_mutex_unlock(&run->lock);
	return size;
}

/*
 * When each year's records last changed in git: the newest date of the
 * records of the year of c->records[i], in newest[i]. After a commit, the
 * year it changed is the newest, and its booklet, the one to typeset
 * again, is best taken first: the others are carried over quickly, and a
 * booklet taken last holds up the whole build.
 */
static void years_newest(const struct model *m, const struct collection *c,
			 long long *newest)
{
	int *years = xcalloc(c->count ? c->count : 1, sizeof(*years));

	for (size_t i = 0; i < c->count; i++)
		years[i] = figures_record_year(c->records[i]);
	for (size_t k = 0; k < m->ncollections; k++)
		for (size_t j = 0; j < m->collections[k].count; j++) {
			const struct record *r = m->collections[k].records[j];
			const struct repo_file_history *h = r->history;
			long long when = h ? (h->updated ? h->updated : h->published) : 0;
			int year = figures_record_year(r);
			for (size_t i = 0; i < c->count; i++)
				if (years[i] == year && when > newest[i])
					newest[i] = when;
		}
	free(years);
}

/* The order booklets are taken in: PDFs before print pages, then the
 * year changed last in git first, then as the reports come. */
struct order_ctx {
	const struct booklet *items;
	long long *newest; /* by report index, years_newest() */
};

static int compare_order(const void *pa, const void *pb, void *arg)
{
	const struct order_ctx *oc = arg;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	const struct booklet *x = &oc->items[a], *y = &oc->items[b];
	long long tx = oc->newest[x->report_index], ty = oc->newest[y->report_index];

	if ((x->format == REPORT_PDF) != (y->format == REPORT_PDF))
		return x->format == REPORT_PDF ? -1 : 1;
	if (tx != ty)
		return tx > ty ? -1 : 1;
	return a < b ? -1 : a > b;
}

struct booklet_run *booklet_start(struct load_site *s, struct writer *w,
				  int threads, const struct manifest_prev *prev,
				  const char *base)
{
	const struct collection *c = model_collection(s->model, "reports");
	struct booklet_run *run = xcalloc(1, sizeof(*run));
	size_t n = 0;

	run->s = s;
	run->w = w;
	run->prev = prev;
	if (base && *base)
		report_key_base(s, base, run->base);
	atomic_init(&run->next, 0);
	pthread_mutex_init(&run->lock, NULL);
	pthread_cond_init(&run->made, NULL);
	run->items = xcalloc(c && c->count ? c->count * 2 : 1,
			     sizeof(*run->items));
	for (size_t i = 0; c && i < c->count; i++)
		for (int f = 0; f < 2; f++) {
			enum report_format format = f ? REPORT_HTML : REPORT_PDF;
			struct booklet *b = &run->items[n];
			if (!(format == REPORT_PDF ? s->site.report_pdf
						   : s->site.report_html))
				continue;
			b->report = c->records[i];
			b->report_index = i;
			b->format = format;
			b->path = report_output_path(&s->arena, b->report, format);
			diag_init(&b->diag);
			n++;
		}
	run->count = n;
	/* The PDFs, the long ones, first, the year changed last in git
	 * first among them (compare_order()); a thread done with a PDF then
	 * makes its year's print page from the same template output, unless
	 * another thread has taken it. The order of work changes no byte of
	 * output. */
	run->order = xcalloc(n ? n : 1, sizeof(*run->order));
	{
		struct order_ctx oc = { run->items, xcalloc(c && c->count ?
			c->count : 1, sizeof(long long)) };
		if (c)
			years_newest(s->model, c, oc.newest);
		for (size_t i = 0; i < n; i++)
			run->order[i] = i;
		qsort_r(run->order, n, sizeof(*run->order), compare_order, &oc);
		free(oc.newest);
	}

	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	if ((size_t)threads > run->count)
		threads = (int)run->count;
	if (threads > 1)
		for (int i = 0; i < threads; i++) {
			if (pthread_create(&run->threads[i], NULL, work, run))
				break; /* booklet_finish() does the rest */
			run->nthreads++;
		}
	return run;
}

int booklet_finish(struct booklet_run *run, struct strmap *keys,
		   struct strmap *notes, struct diag *d)
{
	int ret = 0, system;

	if (!run)
		return 0;
	for (int i = 0; i < run->nthreads; i++)
		pthread_join(run->threads[i], NULL);
	/* Left to this thread: all of them with one job, or those no thread
	 * took. A sequential build typesets nothing after a system error. */
	system = diag_exit_code(d) == EXIT_SYSTEM;
	if (!system)
		work(run);
	if (getenv("SHOWCASE_DEBUG_STATS")) {
		size_t made = 0, carried = 0, on_note = 0;
		for (size_t i = 0; i < run->count; i++) {
			const struct booklet *b = &run->items[i];
			on_note += b->key.on_note;
			carried += b->carried;
			made += b->done && !b->failed && !b->carried;
		}
		fprintf(stderr, "showcase: booklets typeset %zu, carried over %zu "
			"(%zu on their notes)\n", made, carried, on_note);
	}
	for (size_t i = 0; i < run->count; i++) {
		struct booklet *b = &run->items[i];
		/* A booklet that had something to say gets no key: the next
		 * build makes it again, and says it again. */
		int quiet = !diag_count(&b->diag);
		if (!system) {
			diag_absorb(d, &b->diag);
			report_shown_apply(&b->shown, &run->s->figures, b->path);
		}
		if (b->failed || !b->done)
			ret = -1;
		else if (keys && b->key.key[0] && quiet) {
			strmap_put(keys, b->path, arena_strndup(&run->s->arena,
				   b->key.key, strlen(b->key.key)));
			if (b->key.note)
				strmap_put(notes, b->path, arena_strdup(
					&run->s->arena, b->key.note));
		}
		free(b->key.note);
		diag_release(&b->diag);
		report_shown_release(&b->shown);
	}
	pthread_mutex_destroy(&run->lock);
	pthread_cond_destroy(&run->made);
	free(run->items);
	free(run->order);
	free(run);
	return ret;
}
