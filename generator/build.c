/*
 * build: see build.h.
 */
#include "build.h"

#include "alloc.h"
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "model.h"
#include "render.h"
#include "report.h"
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

int build_date(long long commit_time, char out[11])
{
	long long when = build_epoch(commit_time);
	struct tm tm;
	time_t t;

	out[0] = '\0';
	if (when < 0)
		return -1;
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
	char *copy = xstrdup(out), *slash, *base;
	int ret = 0;

	if (!realpath(dir, site))
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

int build_load(struct build_site *s, const struct build_options *o,
	       const char *exclude_dir, struct diag *d)
{
	const char *dir = o->dir ? o->dir : ".";
	int ret;

	memset(s, 0, sizeof(*s));
	arena_init(&s->arena);
	if (build_date(0, s->date) < 0) {
		diag_fail(d, NULL, 0, 0, "SOURCE_DATE_EPOCH must be a number "
			  "of seconds since 1970, not '%s'",
			  getenv("SOURCE_DATE_EPOCH"));
		return -1;
	}
	if (repo_snapshot_open(&s->snap, dir, o->ref, o->worktree, exclude_dir,
			       d) < 0)
		return -1;
	build_date(s->snap->commit_time, s->date);

	if (read_site(s->snap, &s->arena, &s->site, d) < 0)
		return -1;
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

	s->model = model_new(&s->arena, &s->site, s->schema, s->snap, o->drafts);
	s->model->commit_id = s->snap->commit_id;
	ret = model_build(s->model, "showcase " SHOWCASE_VERSION, s->date, d);
	/* What the next stages would find, in the same run: pages that clash,
	 * and (when the model's own errors stop the build here) broken links
	 * in the bodies. */
	if (diag_exit_code(d) == EXIT_SYSTEM)
		return -1;
	if (render_check_outputs(s->model, s->theme, d) < 0)
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

/* Typeset each report record's booklet (PDF and print HTML) into the new
 * output, next to its page, unless site.yaml turns that off. */
static int write_reports(struct build_site *s, struct writer *w,
			 struct diag *d)
{
	const struct collection *c = model_collection(s->model, "reports");
	int ret = 0;

	for (size_t i = 0; c && i < c->count; i++) {
		for (int f = 0; f < 2; f++) {
			enum report_format format = f ? REPORT_HTML : REPORT_PDF;
			struct buf out = BUF_INIT;
			if (!(format == REPORT_PDF ? s->site.report_pdf
						   : s->site.report_html))
				continue;
			if (report_typeset(s, c->records[i], format, &out, d) < 0 ||
			    write_file(w, report_output_path(&s->arena,
					c->records[i], format),
				       out.ptr, out.len, d) < 0)
				ret = -1;
			buf_release(&out);
		}
	}
	return ret;
}

int build_run(const struct build_options *o, struct diag *d)
{
	struct build_site s;
	struct writer *w = NULL;
	struct buf out = BUF_INIT;
	const char *dir = o->dir ? o->dir : ".";
	int code, failed;

	memset(&s, 0, sizeof(s));
	if (o->out)
		buf_puts(&out, o->out);
	else
		buf_printf(&out, "%s/output", dir);

	if (check_out_dir(dir, out.ptr, d) < 0)
		goto cleanup;
	if (build_load(&s, o, out.ptr, d) < 0)
		goto cleanup;
	if (write_begin(&w, out.ptr, d) < 0)
		goto cleanup;
	failed = render_site(s.model, s.theme, w,
			     o->jobs > 0 ? o->jobs : default_jobs(), d) < 0;
	/* The booklets' problems come in the same run as the pages' (unless
	 * the run is failing for a system reason anyway). */
	if (diag_exit_code(d) != EXIT_SYSTEM && write_reports(&s, w, d) < 0)
		failed = 1;
	if (failed)
		goto cleanup;
	if (write_commit(w, d) < 0) {
		w = NULL;
		goto cleanup;
	}
	w = NULL;
	if (!o->quiet)
		fprintf(stderr, "showcase: built %zu records into '%s'%s%.12s\n",
			s.model->nrecords, out.ptr,
			s.snap->commit_id[0] ? " from commit " : " from the working tree",
			s.snap->commit_id);

cleanup:
	if (w)
		write_abort(w);
	code = diag_exit_code(d);
	diag_flush(d, stderr);
	build_site_release(&s);
	buf_release(&out);
	return code;
}
