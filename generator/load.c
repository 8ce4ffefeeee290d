/*
 * load: see load.h.
 */
#include "load.h"
#include "progress.h"

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "model.h"
#include "render.h"
#include "repo.h"
#include "schema.h"
#include "site.h"
#include "theme.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

long long load_epoch(long long commit_time)
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

int load_date(long long commit_time, int utc_offset, char out[11])
{
	long long when = load_epoch(commit_time);
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

int load_open_site(struct load_site *s, const struct load_options *o,
		   const char *exclude_dir, struct diag *d)
{
	const char *dir = o->dir ? o->dir : ".";

	memset(s, 0, sizeof(*s));
	arena_init(&s->arena);
	if (load_date(0, 0, s->date) < 0) {
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
	load_date(s->snap->commit_time, s->site.utc_offset, s->date);
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
	return 0;
}

int load_model(struct load_site *s, const struct load_options *o,
	       struct diag *d)
{
	int ret;

	if (repo_snapshot_sizes(s->snap, d) < 0)
		return -1;
	s->model = model_new(&s->arena, &s->site, s->schema, s->snap, o->drafts);
	s->model->commit_id = s->snap->commit_id;
	s->model->no_history = o->no_history;
	s->model->jobs = o->jobs;
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
	progress_stage("model built");
	if (render_check_outputs(s->model, s->theme,
				 ret == 0 ? &s->figures : NULL,
				 ret == 0 ? &s->taxonomy : NULL, d) < 0)
		ret = -1;
	if (ret < 0)
		render_check_bodies(s->model, d);
	return ret;
}

int load_open(struct load_site *s, const struct load_options *o,
	      const char *exclude_dir, struct diag *d)
{
	if (load_open_site(s, o, exclude_dir, d) < 0)
		return -1;
	return load_model(s, o, d);
}

void load_release(struct load_site *s)
{
	model_release(s->model);
	theme_free(s->theme);
	repo_snapshot_free(s->snap);
	arena_release(&s->arena);
	memset(s, 0, sizeof(*s));
}

