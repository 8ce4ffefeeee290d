/*
 * build: see build.h.
 */
#include "build.h"

#include "alloc.h"
#include "arena.h"
#include "bodycache.h"
#include "booklet.h"
#include "buf.h"
#include "diag.h"
#include "manifest.h"
#include "model.h"
#include "outdir.h"
#include "parallel.h"
#include "progress.h"
#include "render.h"
#include "repo.h"
#include "schema.h"
#include "site.h"
#include "strmap.h"
#include "theme.h"
#include "thumb.h"
#include "write.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/*
 * The output folder is replaced wholesale, so it must keep clear of
 * everything the build reads and of the folders a user would never mean
 * (outdir.h): the resolved `out` may lie inside the site, its work tree and
 * the current folder, but never be or contain them, and never touch the
 * repository's git folder or a theme.
 */
static int check_output_place(const struct load_options *o, const char *out,
			      struct diag *d)
{
	const char *dir = o->dir ? o->dir : ".";
	struct repo_location loc;
	struct buf content = BUF_INIT, themes = BUF_INIT;
	int ret;

	repo_locate(dir, &loc);
	buf_printf(&content, "%s/content", dir);
	buf_printf(&themes, "%s/themes", dir);
	const struct outdir_place places[] = {
		{ loc.common_dir, "the site's git repository", 0 },
		{ loc.git_dir, "the site's git repository", 0 },
		{ o->theme, "the theme folder", 0 },
		{ theme_builtin_dir(), "the built-in theme", 0 },
		{ content.ptr, "the site's records", 1 },
		{ themes.ptr, "the site's themes", 1 },
		{ dir, "the site folder", 1 },
		{ loc.work_tree, "the work tree of the site's repository", 1 },
		{ ".", "the current folder", 1 },
	};
	ret = outdir_check_places(out, places, sizeof(places) / sizeof(*places), d);
	repo_location_release(&loc);
	buf_release(&content);
	buf_release(&themes);
	return ret;
}

int build_render(struct load_site *s, const struct render_reuse *reuse,
		 struct writer *w, int jobs, struct diag *d)
{
	struct thumb_config tc = {
		.nwidths = s->site.nimage_widths,
		.max_pixels = s->site.image_pixels,
		.base_path = s->site.base_path,
	};
	int ret;

	memcpy(tc.widths, s->site.image_widths, sizeof(tc.widths));
	s->model->thumbs = thumb_set_new(&tc, s->snap, w);
	ret = render_site(s->model, s->theme, &s->figures, &s->taxonomy,
			  reuse, w, jobs, d);
	thumb_set_free(s->model->thumbs);
	s->model->thumbs = NULL;
	return ret;
}

/* How much the pages yield to the booklets (a nice value, added). */
#define RENDER_NICE 5

struct render_call {
	struct load_site *s;
	const struct render_reuse *reuse;
	struct writer *w;
	int jobs;
	struct diag *d;
	int ret;
};

static void *render_yielding(void *arg)
{
	struct render_call *c = arg;
	pid_t tid = gettid();
	int nice;

	/* A nice value is a thread's own on Linux (setpriority(2)): the
	 * threads the pages start take it from this one, and the booklet
	 * threads, started before, keep theirs. A failure only leaves the
	 * pages as eager as the booklets. */
	errno = 0;
	nice = getpriority(PRIO_PROCESS, (id_t)tid);
	if (!errno)
		(void)setpriority(PRIO_PROCESS, (id_t)tid, nice + RENDER_NICE);
	c->ret = build_render(c->s, c->reuse, c->w, c->jobs, c->d);
	return NULL;
}

/*
 * build_render() beside the booklet threads of `booklets`. A booklet
 * typeset again after a commit takes longer than all the pages, which are
 * mostly carried over: with the same share of the processors it finished
 * last, after a second processor had gone idle. So the pages are made on
 * a thread that yields to the booklets (a higher nice value): the
 * booklet gets a processor of its own and the pages the rest. Without
 * booklet threads (one job, or no booklets) on this thread, as it is.
 */
static int render_beside(struct load_site *s, const struct render_reuse *reuse,
			 struct writer *w, int jobs,
			 const struct booklet_run *booklets, struct diag *d)
{
	struct render_call c = { s, reuse, w, jobs, d, -1 };
	pthread_t t;

	if (!booklet_threads(booklets) ||
	    pthread_create(&t, NULL, render_yielding, &c))
		return build_render(s, reuse, w, jobs, d);
	pthread_join(t, NULL);
	return c.ret;
}

/* Say what a refused --out resolved to, when links or ".." made it
 * another folder than the one named. */
static void note_resolved(const char *given, const char *out, struct diag *d)
{
	struct buf abs = BUF_INIT;
	char *cwd = given[0] == '/' ? NULL : getcwd(NULL, 0);

	if (cwd)
		buf_printf(&abs, "%s/", cwd);
	buf_puts(&abs, given);
	while (abs.len > 1 && abs.ptr[abs.len - 1] == '/')
		buf_truncate(&abs, abs.len - 1);
	if (strcmp(abs.ptr, out))
		diag_report(d, DIAG_NOTE, DIAG_USAGE, NULL, 0, 0,
			    "the output folder '%s' resolves to '%s'", given, out);
	free(cwd);
	buf_release(&abs);
}

/* stats/figures.json: every figure, as open data (figures_json()). */
static int write_figures(struct load_site *s, struct writer *w,
			 struct diag *d)
{
	struct buf out = BUF_INIT;
	int ret;

	figures_json(&s->figures, s->site.base_path,
		     "showcase " SHOWCASE_VERSION, &out);
	ret = write_file(w, RENDER_FIGURES_JSON, out.ptr, out.len, d);
	buf_release(&out);
	return ret;
}

/*
 * The output folder of `o` (--out, else DIR/output; `given` as named,
 * for messages), resolved through its links and refused when it is a
 * place a build must not replace (outdir.h). Only reads. Returns the
 * resolved path, to free, or NULL after reporting.
 */
static char *output_folder(const struct load_options *o, struct buf *given,
			   struct diag *d)
{
	char *out;

	if (o->out)
		buf_puts(given, o->out);
	else
		buf_printf(given, "%s/output", o->dir ? o->dir : ".");
	if (!(out = outdir_resolve(given->ptr, d)))
		return NULL;
	if (check_output_place(o, out, d) < 0 || outdir_check_owner(out, d) < 0) {
		note_resolved(given->ptr, out, d);
		free(out);
		return NULL;
	}
	return out;
}

/* An empty site never replaces a real one by accident (a moved content/,
 * a wrong --ref). */
static int check_not_empty(const struct load_options *o,
			   const struct load_site *s, struct diag *d)
{
	if (s->model->nrecords || o->allow_empty)
		return 0;
	if (s->snap->worktree)
		diag_error(d, NULL, 0, 0,
			   "no records under content/ in the working tree: nothing to publish (use --allow-empty to publish an empty site)");
	else
		diag_error(d, NULL, 0, 0,
			   "no records under content/ at %s (commit %.12s): nothing to publish (use --allow-empty to publish an empty site)",
			   o->ref ? o->ref : "HEAD", s->snap->commit_id);
	return -1;
}

int build_run(const struct load_options *o, struct diag *d)
{
	struct load_site s;
	struct writer *w = NULL;
	struct buf given = BUF_INIT;
	struct booklet_run *booklets;
	char *out = NULL;
	char key[MANIFEST_KEY_SIZE], base[MANIFEST_KEY_SIZE];
	struct manifest_prev *prev = NULL;
	struct bodycache *cache = NULL;
	const char *why = "";
	struct manifest_summary was, now;
	struct strmap keys = STRMAP_INIT, notes = STRMAP_INIT;
	int code, failed = 0, jobs, have_key, reused;
	size_t nrecords;

	memset(&s, 0, sizeof(s));
	/* Refuse a wrong --out before the (long) load, and again under the
	 * lock in write_begin(). */
	if (!(out = output_folder(o, &given, d)))
		goto cleanup;
	if (load_open_site(&s, o, out, d) < 0)
		goto cleanup;
	if (write_begin(&w, out, o->wait, d) < 0)
		goto cleanup;
	/* The same inputs as the previous output's: the same bytes, carried
	 * over by hard link instead of made again (manifest.h). The key
	 * needs no record parsed: when it is the previous output's, which
	 * was built without a word to say, the records are not loaded. */
	progress_stage("site loaded");
	have_key = manifest_key(&s, o, key, base, NULL) == 0;
	progress_stage("manifest key");
	if ((reused = have_key ? manifest_reuse(w, key, base, &prev, &was, d)
			       : 0) < 0)
		goto cleanup;
	/* Loaded after all when the previous build had something to say (a
	 * warning, or no records: --allow-empty may not be given this time),
	 * so that this one says it again. */
	if (!reused || was.diagnostics || !(was.records || o->allow_empty)) {
		if (load_model(&s, o, d) < 0 || check_not_empty(o, &s, d) < 0)
			goto cleanup;
		progress_stage("records loaded");
	}
	nrecords = s.model ? s.model->nrecords : was.records;
	if (reused == 2) {
		/* The previous output is already this build's, to the byte. */
		write_abort(w);
		w = NULL;
		goto done;
	}
	if (reused)
		manifest_prev_keys(prev, &keys, &notes, &s.arena);
	else {
		jobs = parallel_jobs(o->jobs);
		/* The booklets, most of the work, are typeset on threads of
		 * their own while the pages render; their problems come in the
		 * same run as the pages' (unless the run is failing for a
		 * system reason anyway). */
		/* Another commit over an output of the same generator and
		 * settings: a file made again with the same bytes is linked
		 * from the previous output, not written (manifest.h). */
		if (prev)
			write_set_same(w, manifest_prev_same, prev);
		/* What the keys of pages and booklets hash of each record. */
		if (have_key)
			manifest_record_digests(s.model);
		/* What the bodies of the previous build's pages gave. */
		if (prev)
			cache = bodycache_open(out, base,
					       s.model->nrecords, &why);
		if (prev && !cache && getenv("SHOWCASE_DEBUG_STATS"))
			fprintf(stderr, "showcase: body cache not used: %s\n",
				why);
		booklets = booklet_start(&s, w, jobs, prev,
					 have_key ? base : NULL);
		/* A report's page shows its booklet's size: it waits for
		 * (or makes) that booklet. */
		s.model->booklet_pdf_size = booklet_pdf_size;
		s.model->booklet_ctx = booklets;
		{
			/* Pages with an unchanged key of their own are
			 * carried over without rendering. */
			struct render_reuse reuse = { prev,
				have_key ? base : NULL, &keys, cache };
			failed = render_beside(&s, &reuse, w, jobs, booklets,
					       d) < 0;
		}
		s.model->booklet_pdf_size = NULL;
		s.model->booklet_ctx = NULL;
		progress_stage("pages rendered");
		if (booklet_finish(booklets, &keys, &notes, d) < 0)
			failed = 1;
		progress_stage("booklets");
		/* Last: the booklets and pages have said where each figure is
		 * shown. */
		if (!failed && write_figures(&s, w, d) < 0)
			failed = 1;
	}
	if (prev)
		write_set_same(w, NULL, NULL);
	progress_stage("figures.json");
	now.records = nrecords;
	now.diagnostics = diag_count(d);
	if (failed || (have_key && manifest_write(w, key, base, &keys, &notes, &now, d) < 0))
		goto cleanup;
	progress_stage("manifest");
	if (write_commit(w, d) < 0) {
		w = NULL;
		goto cleanup;
	}
	w = NULL;
	progress_stage("swapped in");
done:
	progress_stop();
	if (!o->quiet)
		fprintf(stderr, "showcase: built %zu records into '%s'%s%.12s\n",
			nrecords, given.ptr,
			s.snap->commit_id[0] ? " from commit " : " from the working tree",
			s.snap->commit_id);

cleanup:
	progress_stop(); /* the line goes before the diagnostics */
	if (w)
		write_abort(w);
	code = diag_exit_code(d);
	diag_flush(d, stderr);
	manifest_prev_free(prev);
	bodycache_free(cache);
	strmap_release(&keys);
	strmap_release(&notes);
	load_release(&s);
	buf_release(&given);
	free(out);
	return code;
}

/*
 * build_run() up to its key and no further: the same --out checks and
 * the same load_open_site() (the snapshot's blob ids, site.yaml, the
 * theme, the schema; no record is read), then manifest_key(). What the
 * build does next is skipped: write_begin() (the lock beside the output,
 * the scratch folder), the previous output's manifest and the body
 * cache, so that nothing is created or opened for writing.
 */
int build_print_key(const struct load_options *o, struct diag *d)
{
	struct load_site s;
	struct buf given = BUF_INIT;
	char key[MANIFEST_KEY_SIZE], base[MANIFEST_KEY_SIZE];
	const char *why = "";
	char *out = NULL;
	int code;

	memset(&s, 0, sizeof(s));
	if (!(out = output_folder(o, &given, d)) ||
	    load_open_site(&s, o, out, d) < 0)
		goto cleanup;
	if (manifest_key(&s, o, key, base, &why) < 0) {
		/* Nothing on stdout rather than a key the build will not
		 * write: a CI that looks its artifact up by what is printed
		 * then finds none, and builds. */
		diag_report(d, DIAG_ERROR,
			    s.snap->worktree ? DIAG_USAGE : DIAG_SYSTEM,
			    NULL, 0, 0, "cannot print the key of the build: %s",
			    why);
		goto cleanup;
	}
	printf("%s\n", key);
	if (fflush(stdout) != 0)
		diag_fail(d, NULL, 0, 0, "cannot write the key to stdout");
cleanup:
	code = diag_exit_code(d);
	diag_flush(d, stderr);
	load_release(&s);
	buf_release(&given);
	free(out);
	return code;
}
