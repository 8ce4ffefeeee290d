/*
 * build: see build.h.
 */
#include "build.h"

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "model.h"
#include "render.h"
#include "repo.h"
#include "schema.h"
#include "site.h"
#include "theme.h"
#include "write.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_JOBS 16

int build_date(long long commit_time, char out[11])
{
	const char *env = getenv("SOURCE_DATE_EPOCH");
	long long when = commit_time;
	struct tm tm;
	time_t t;

	out[0] = '\0';
	if (env && *env) {
		char *end;
		errno = 0;
		when = strtoll(env, &end, 10);
		if (errno || *end || when < 0)
			return -1;
	}
	if (!when)
		return 0;
	t = (time_t)when;
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
 * The output folder is replaced wholesale, so it must never be the site
 * itself or a folder that contains it.
 */
static int check_out_dir(const char *dir, const char *out, struct diag *d)
{
	char site[PATH_MAX], parent[PATH_MAX], target[PATH_MAX * 2];
	char *copy = strdup(out), *slash, *base;
	int ret = 0;

	if (!copy || !realpath(dir, site))
		goto cleanup; /* the snapshot reports a missing DIR */
	slash = strrchr(copy, '/');
	while (slash && slash != copy && !slash[1]) { /* "out/" */
		*slash = '\0';
		slash = strrchr(copy, '/');
	}
	if (slash) {
		*slash = '\0';
		base = slash + 1;
		if (!realpath(*copy ? copy : "/", parent))
			goto cleanup; /* created later by the writer */
	} else {
		base = copy;
		if (!getcwd(parent, sizeof(parent)))
			goto cleanup;
	}
	if (!strcmp(base, ".") || !strcmp(base, "..") || !*base) {
		if (!realpath(out, target))
			goto cleanup;
	} else {
		snprintf(target, sizeof(target), "%s/%s", strcmp(parent, "/") ? parent : "", base);
	}
	size_t n = strlen(target);
	if (!strncmp(site, target, n) && (site[n] == '\0' || site[n] == '/')) {
		diag_fail(d, NULL, 0, 0, "output folder '%s' is the site folder or "
			  "contains it; it would be replaced: choose another --out",
			  out);
		ret = -1;
	}
cleanup:
	free(copy);
	return ret;
}

static int default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		return 1;
	return n > MAX_JOBS ? MAX_JOBS : (int)n;
}

int build_run(const struct build_options *o, struct diag *d)
{
	struct arena arena = ARENA_INIT;
	struct repo_snapshot *snap = NULL;
	struct site_config site;
	struct theme *theme = NULL;
	struct schema *schema = NULL;
	struct model *model = NULL;
	struct writer *w = NULL;
	struct buf out = BUF_INIT;
	char date[11];
	const char *dir = o->dir ? o->dir : ".";
	int code;

	if (o->out)
		buf_puts(&out, o->out);
	else
		buf_printf(&out, "%s/output", dir);

	if (build_date(0, date) < 0) {
		diag_fail(d, NULL, 0, 0, "SOURCE_DATE_EPOCH must be a number "
			  "of seconds since 1970, not '%s'",
			  getenv("SOURCE_DATE_EPOCH"));
		goto cleanup;
	}
	if (check_out_dir(dir, out.ptr, d) < 0)
		goto cleanup;
	if (repo_snapshot_open(&snap, dir, o->ref, o->worktree, out.ptr, d) < 0)
		goto cleanup;
	build_date(snap->commit_time, date);

	if (read_site(snap, &arena, &site, d) < 0)
		goto cleanup;
	if (theme_open(&theme, &arena, snap, o->theme, site.theme,
		       site.language, d) < 0)
		goto cleanup;
	if (!theme->schema) {
		diag_fail(d, NULL, 0, 0, "theme '%s' has no schema.yaml",
			  theme->root);
		goto cleanup;
	}
	if (schema_load(&arena, theme->schema, theme->schema_path,
			site.collections, site.path, &schema, d) < 0)
		goto cleanup;

	model = model_new(&arena, &site, schema, snap, o->drafts);
	model->commit_id = snap->commit_id;
	if (model_build(model, "showcase " SHOWCASE_VERSION, date, d) < 0)
		goto cleanup;

	if (write_begin(&w, out.ptr, d) < 0)
		goto cleanup;
	if (render_site(model, theme, w, o->jobs > 0 ? o->jobs : default_jobs(),
			d) < 0) {
		write_abort(w);
		w = NULL;
		goto cleanup;
	}
	if (write_commit(w, d) < 0) {
		w = NULL;
		goto cleanup;
	}
	w = NULL;
	if (!o->quiet)
		fprintf(stderr, "showcase: built %zu records into '%s'%s%s\n",
			model->nrecords, out.ptr,
			snap->commit_id[0] ? " from commit " : " from the working tree",
			snap->commit_id[0] ? arena_strndup(&arena, snap->commit_id, 12) : "");

cleanup:
	if (w)
		write_abort(w);
	code = diag_exit_code(d);
	diag_flush(d, stderr);
	model_release(model);
	theme_free(theme);
	repo_snapshot_free(snap);
	arena_release(&arena);
	buf_release(&out);
	return code;
}
