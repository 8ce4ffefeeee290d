/*
 * build: see build.h.
 */
#include "build.h"

#include "alloc.h"
#include "arena.h"
#include "booklet.h"
#include "buf.h"
#include "diag.h"
#include "manifest.h"
#include "model.h"
#include "outdir.h"
#include "progress.h"
#include "render.h"
#include "repo.h"
#include "schema.h"
#include "site.h"
#include "theme.h"
#include "thumb.h"
#include "write.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_JOBS 16

long long build_epoch(long long commit_time)
{
	const char *env = getenv("SOURCE_DATE_EPOCH");
	long long when;
	char *end;

	if (!env || !*env)
		return commit_time;
	errno = 0;
	when = strtoll(env, &end, 10);
	return errno || *end || when < 0 ? -1 : when;
}

int build_date(long long commit_time, int utc_offset, char out[11])
{
	long long when = build_epoch(commit_time);
	struct tm tm;
	time_t t;

	out[0] = '\0';
	if (when < 0)
		return -1;
	if (!when)
		return 0;
	t = (time_t)(when + utc_offset);
	if (!gmtime_r(&t, &tm))
		return -1;
	strftime(out, 11, "%Y-%m-%d", &tm);
	return 0;
}

static int read_site(const struct repo_snapshot *snap, struct arena *a,
		     struct site_config *site, struct diag *d)
{
	const struct repo_file *f = repo_snapshot_find(snap, "site.yaml");
	struct buf text = BUF_INIT;
	int ret;

	if (!f) {
		diag_error(d, NULL, 0, 0,
			   "no site.yaml at the root of the site '%s' (is -C "
			   "pointing at the content repository? for an uncommitted "
			   "site.yaml, use --worktree)", snap->root_display);
		return -1;
	}
	if (repo_snapshot_read(snap, f, &text, d) < 0)
		return -1;
	ret = site_load(a, arena_strndup(a, text.ptr, text.len), text.len,
			"site.yaml", site, d);
	buf_release(&text);
	return ret;
}

/*
 * The output folder is replaced wholesale, so it must keep clear of
 * everything the build reads and of the folders a user would never mean
 * (outdir.h): the resolved `out` may lie inside the site, its work tree and
 * the current folder, but never be or contain them, and never touch the
 * repository's git folder or a theme.
 */
static int check_output_place(const struct build_options *o, const char *out,
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

static int default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		return 1;
	return n > MAX_JOBS ? MAX_JOBS : (int)n;
}

int build_load(struct build_site *s, const struct build_options *o,
	       const char *exclude_dir, struct diag *d)
{
	const char *dir = o->dir ? o->dir : ".";
	int ret;

	memset(s, 0, sizeof(*s));
	arena_init(&s->arena);
	if (build_date(0, 0, s->date) < 0) {
		diag_fail(d, NULL, 0, 0, "SOURCE_DATE_EPOCH must be a number "
			  "of seconds since 1970, not '%s'",
			  getenv("SOURCE_DATE_EPOCH"));
		return -1;
	}
	if (repo_snapshot_open(&s->snap, dir, o->ref, o->worktree, exclude_dir,
			       d) < 0)
		return -1;
	if (read_site(s->snap, &s->arena, &s->site, d) < 0)
		return -1;
	/* The day in the site's time zone (site.yaml `timezone`). */
	build_date(s->snap->commit_time, s->site.utc_offset, s->date);
	if (theme_open(&s->theme, &s->arena, s->snap, o->theme, s->site.theme,
		       s->site.language, d) < 0)
		return -1;
	if (!s->theme->schema) {
		diag_fail(d, NULL, 0, 0, "theme '%s' has no schema.yaml",
			  s->theme->root);
		return -1;
	}
	if (schema_load(&s->arena, s->theme->schema, s->theme->schema_path,
			s->site.collections, s->site.path, &s->schema, d) < 0)
		return -1;

	if (figures_load(&s->figures, &s->arena, s->theme->figures,
			 s->theme->figures_path, s->schema, s->site.language,
			 d) < 0)
		return -1;

	s->model = model_new(&s->arena, &s->site, s->schema, s->snap, o->drafts);
	s->model->commit_id = s->snap->commit_id;
	s->model->no_history = o->no_history;
	ret = model_build(s->model, "showcase " SHOWCASE_VERSION, s->date, d);
	/* What the next stages would find, in the same run: pages that clash,
	 * and (when the model's own errors stop the build here) broken links
	 * in the bodies. */
	if (diag_exit_code(d) == EXIT_SYSTEM)
		return -1;
	/* The pages of the figures' years and of the terms are checked for
	 * clashes with the rest: count and index them first. */
	if (ret == 0) {
		figures_compute(&s->figures, s->model);
		taxonomy_build(&s->taxonomy, &s->arena, s->model);
	}
	if (render_check_outputs(s->model, s->theme,
				 ret == 0 ? &s->figures : NULL,
				 ret == 0 ? &s->taxonomy : NULL, d) < 0)
		ret = -1;
	if (ret < 0)
		render_check_bodies(s->model, d);
	return ret;
}

void build_site_release(struct build_site *s)
{
	model_release(s->model);
	theme_free(s->theme);
	repo_snapshot_free(s->snap);
	arena_release(&s->arena);
	memset(s, 0, sizeof(*s));
}

int build_render(struct build_site *s, struct writer *w, int jobs,
		 struct diag *d)
{
	struct thumb_config tc = {
		.nwidths = s->site.nimage_widths,
		.max_pixels = s->site.image_pixels,
		.base_path = s->site.base_path,
	};
	int ret;

	memcpy(tc.widths, s->site.image_widths, sizeof(tc.widths));
	s->model->thumbs = thumb_set_new(&tc, s->snap, w);
	ret = render_site(s->model, s->theme, &s->figures, &s->taxonomy, w,
			  jobs, d);
	thumb_set_free(s->model->thumbs);
	s->model->thumbs = NULL;
	return ret;
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
static int write_figures(struct build_site *s, struct writer *w,
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

/* An empty site never replaces a real one by accident (a moved content/,
 * a wrong --ref). */
static int check_not_empty(const struct build_options *o,
			   const struct build_site *s, struct diag *d)
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

int build_run(const struct build_options *o, struct diag *d)
{
	struct build_site s;
	struct writer *w = NULL;
	struct buf given = BUF_INIT;
	const char *dir = o->dir ? o->dir : ".";
	struct booklet_run *booklets;
	char *out = NULL;
	char key[MANIFEST_KEY_SIZE];
	int code, failed = 0, jobs, have_key, reused;

	memset(&s, 0, sizeof(s));
	if (o->out)
		buf_puts(&given, o->out);
	else
		buf_printf(&given, "%s/output", dir);

	/* Refuse a wrong --out before the (long) load, and again under the
	 * lock in write_begin(). */
	if (!(out = outdir_resolve(given.ptr, d)))
		goto cleanup;
	if (check_output_place(o, out, d) < 0 || outdir_check_owner(out, d) < 0) {
		note_resolved(given.ptr, out, d);
		goto cleanup;
	}
	if (build_load(&s, o, out, d) < 0 || check_not_empty(o, &s, d) < 0)
		goto cleanup;
	if (write_begin(&w, out, o->wait, d) < 0)
		goto cleanup;
	/* The same inputs as the previous output's: the same bytes, carried
	 * over by hard link instead of made again (manifest.h). */
	have_key = manifest_key(&s, o, key) == 0;
	if ((reused = have_key ? manifest_reuse(w, key, d) : 0) < 0)
		goto cleanup;
	if (reused == 2) {
		/* The previous output is already this build's, to the byte. */
		write_abort(w);
		w = NULL;
		goto done;
	}
	if (!reused) {
		jobs = o->jobs > 0 ? o->jobs : default_jobs();
		/* The booklets, most of the work, are typeset on threads of
		 * their own while the pages render; their problems come in the
		 * same run as the pages' (unless the run is failing for a
		 * system reason anyway). */
		booklets = booklet_start(&s, w, jobs);
		failed = build_render(&s, w, jobs, d) < 0;
		if (booklet_finish(booklets, d) < 0)
			failed = 1;
		/* Last: the booklets and pages have said where each figure is
		 * shown. */
		if (!failed && write_figures(&s, w, d) < 0)
			failed = 1;
	}
	if (failed || (have_key && manifest_write(w, key, d) < 0))
		goto cleanup;
	if (write_commit(w, d) < 0) {
		w = NULL;
		goto cleanup;
	}
	w = NULL;
done:
	progress_stop();
	if (!o->quiet)
		fprintf(stderr, "showcase: built %zu records into '%s'%s%.12s\n",
			s.model->nrecords, given.ptr,
			s.snap->commit_id[0] ? " from commit " : " from the working tree",
			s.snap->commit_id);

cleanup:
	progress_stop(); /* the line goes before the diagnostics */
	if (w)
		write_abort(w);
	code = diag_exit_code(d);
	diag_flush(d, stderr);
	build_site_release(&s);
	buf_release(&given);
	free(out);
	return code;
}
