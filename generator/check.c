/*
 * check: see check.h. The hook installer is here too: it is the one way a
 * check runs without anyone typing it.
 */
#include "check.h"

#include "alloc.h"
#include "buf.h"
#include "diag.h"
#include "model.h"
#include "render.h"
#include "report.h"
#include "repo.h"

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Every booklet's template and directives, laid out as the print page
 * (cheap) into a buffer that is dropped. */
static void check_reports(struct load_site *s, struct diag *d)
{
	const struct collection *c = model_collection(s->model, "reports");
	struct buf out = BUF_INIT;

	for (size_t i = 0; c && i < c->count; i++)
		report_typeset(s, c->records[i], REPORT_HTML, &out, d);
	buf_release(&out);
}

/* The bodies' links and images, on a thread of their own (below). */
struct bodies_job {
	const struct model *m;
	struct diag d; /* its own: the booklets count their errors */
};

static void *check_bodies(void *arg)
{
	struct bodies_job *job = arg;
	render_check_bodies(job->m, &job->d);
	return NULL;
}

/*
 * The bodies and the booklets, at the same time: they are the two halves of
 * a check after the load (a fifth and a third of it at 10,000 records), and
 * they share nothing written: the bodies only read the model (as render's
 * workers do), the booklets write their own arena, figures and buffers, and
 * the media policy locks for itself. Each reports into a collector of its
 * own, because report_typeset() decides what to check next by whether its
 * error count grew; they are merged bodies first, as when one ran after the
 * other, so the output is the same. Without a thread, one after the other.
 */
static void check_bodies_and_reports(struct load_site *s, struct diag *d)
{
	struct bodies_job job;
	struct diag reports;
	pthread_t t;
	int threaded;

	job.m = s->model;
	diag_init(&job.d);
	diag_init(&reports);
	threaded = pthread_create(&t, NULL, check_bodies, &job) == 0;
	if (!threaded)
		check_bodies(&job);
	check_reports(s, &reports);
	if (threaded)
		pthread_join(t, NULL);
	diag_merge(d, &job.d);
	diag_merge(d, &reports);
	diag_release(&job.d);
	diag_release(&reports);
}

static const char *what_checked(const struct check_options *o,
				const struct load_site *s, struct buf *b)
{
	if (o->build.worktree == REPO_WORKTREE)
		buf_puts(b, "the working tree");
	else if (o->build.worktree == REPO_INDEX)
		buf_puts(b, "the staged files");
	else
		buf_printf(b, "commit %.12s", s->snap->commit_id);
	return b->ptr;
}

int check_run(const struct check_options *o, struct diag *d)
{
	const char *dir = o->build.dir ? o->build.dir : ".";
	struct load_options bo = o->build;
	struct load_site s;
	struct buf out = BUF_INIT, what = BUF_INIT;
	int code, loaded;

	bo.no_history = 1;
	/* In --worktree mode the default output folder is not content. */
	buf_printf(&out, "%s/output", dir);
	loaded = load_open(&s, &bo, out.ptr, d);
	if (s.site.language && !strcmp(s.site.language, "zh-CN"))
		d->localize = 1;
	if (loaded == 0 && diag_exit_code(d) == EXIT_OK) {
		/* load_open checks the bodies itself only when it failed. */
		check_bodies_and_reports(&s, d);
	}
	code = diag_exit_code(d);
	diag_flush(d, stderr);
	if (!o->build.quiet && code == EXIT_OK)
		fprintf(stderr, "showcase: %zu records in %s: no problems\n",
			s.model->nrecords, what_checked(o, &s, &what));
	else if (!o->build.quiet && code == EXIT_CONTENT && d->localize)
		fprintf(stderr, "showcase: %zu error%s (共 %zu 处错误，请修改后再提交)\n",
			diag_error_count(d), diag_error_count(d) == 1 ? "" : "s",
			diag_error_count(d));
	else if (!o->build.quiet && code == EXIT_CONTENT)
		fprintf(stderr, "showcase: %zu error%s\n", diag_error_count(d),
			diag_error_count(d) == 1 ? "" : "s");
	load_release(&s);
	buf_release(&out);
	buf_release(&what);
	return code;
}

/* ---- the pre-commit hook ---- */

static char *git_msg(void)
{
	const git_error *e = git_error_last();
	return xstrdup(e && e->message ? e->message : "unknown error");
}

/* The hooks folder as git would use it: core.hooksPath (relative to the
 * work tree, where hooks run) or the common git folder's hooks/. */
static char *hooks_dir(git_repository *repo)
{
	git_config *cfg = NULL;
	git_buf value = { 0 };
	struct buf b = BUF_INIT;
	const char *wd = git_repository_workdir(repo);

	if (git_repository_config_snapshot(&cfg, repo) == 0 &&
	    git_config_get_path(&value, cfg, "core.hooksPath") == 0 &&
	    value.ptr && *value.ptr) {
		if (value.ptr[0] != '/' && wd)
			buf_printf(&b, "%s%s", wd, value.ptr);
		else
			buf_puts(&b, value.ptr);
	} else {
		buf_printf(&b, "%shooks", git_repository_commondir(repo));
	}
	git_error_clear();
	git_buf_dispose(&value);
	git_config_free(cfg);
	return buf_detach(&b, NULL);
}

/* 1 if the file at `path` is a hook showcase wrote, 0 if it is another's,
 * -1 if there is none. */
static int hook_is_ours(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256];
	int ours = 0;

	if (!f)
		return -1;
	for (int i = 0; i < 5 && fgets(line, sizeof(line), f); i++)
		if (!strncmp(line, CHECK_HOOK_MARK, strlen(CHECK_HOOK_MARK)))
			ours = 1;
	fclose(f);
	return ours;
}

/* A shell word in single quotes. */
static void add_quoted(struct buf *b, const char *s)
{
	buf_putc(b, '\'');
	for (; *s; s++)
		if (*s == '\'')
			buf_puts(b, "'\\''");
		else
			buf_putc(b, *s);
	buf_putc(b, '\'');
}

static int write_hook(const char *path, const char *text, struct diag *d)
{
	struct buf tmp = BUF_INIT;
	size_t len = strlen(text);
	int fd, rc = -1;

	buf_printf(&tmp, "%s.showcase-tmp", path);
	fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0755);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len || fsync(fd) < 0 ||
	    close(fd) < 0) {
		diag_fail(d, NULL, 0, 0, "cannot write '%s': %s", tmp.ptr,
			  strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(tmp.ptr);
		goto cleanup;
	}
	/* The umask may have taken the x bits; a hook must be executable. */
	if (chmod(tmp.ptr, 0755) < 0 || rename(tmp.ptr, path) < 0) {
		diag_fail(d, NULL, 0, 0, "cannot install '%s': %s", path,
			  strerror(errno));
		unlink(tmp.ptr);
		goto cleanup;
	}
	rc = 0;
cleanup:
	buf_release(&tmp);
	return rc;
}

int check_install_hook(const char *dir, const char *self, struct diag *d)
{
	git_repository *repo = NULL;
	char *hooks = NULL, *site = NULL, *top = NULL, *exe = NULL, *msg;
	struct buf path = BUF_INIT, text = BUF_INIT;
	const char *rel;
	int code;

	git_libgit2_init();
	if (!dir)
		dir = ".";
	if (git_repository_open_ext(&repo, dir, 0,
				    getenv("GIT_CEILING_DIRECTORIES")) < 0) {
		msg = git_msg();
		diag_fail(d, NULL, 0, 0, "cannot open the git repository of "
			  "'%s': %s", dir, msg);
		free(msg);
		goto cleanup;
	}
	if (git_repository_is_bare(repo)) {
		diag_report(d, DIAG_ERROR, DIAG_USAGE, NULL, 0, 0,
			    "'%s' is a bare repository: nobody commits there, "
			    "so it needs no pre-commit hook", dir);
		goto cleanup;
	}
	site = realpath(dir, NULL);
	top = realpath(git_repository_workdir(repo), NULL);
	exe = realpath(self ? self : "/proc/self/exe", NULL);
	if (!site || !top || !exe) {
		diag_fail(d, NULL, 0, 0, "cannot resolve '%s': %s",
			  !site ? dir : !top ? "the work tree" : "showcase",
			  strerror(errno));
		goto cleanup;
	}
	rel = site + strlen(top);
	rel = *rel == '/' ? rel + 1 : ".";
	if (!strcmp(top, "/"))
		rel = site + 1;

	hooks = hooks_dir(repo);
	if (mkdir(hooks, 0755) < 0 && errno != EEXIST) {
		diag_fail(d, NULL, 0, 0, "cannot create '%s': %s", hooks,
			  strerror(errno));
		goto cleanup;
	}
	buf_printf(&path, "%s/pre-commit", hooks);
	if (hook_is_ours(path.ptr) == 0) {
		diag_report(d, DIAG_ERROR, DIAG_USAGE, path.ptr, 0, 0,
			    "a pre-commit hook that showcase did not write is "
			    "already there; it was left as it is (to check "
			    "records too, add the line \"showcase check --staged "
			    "-C %s || exit 1\" to it)", rel);
		goto cleanup;
	}
	buf_puts(&text, "#!/bin/sh\n" CHECK_HOOK_MARK "\n"
		 "# Checks the records this commit holds (the index) before git\n"
		 "# records them; 'git commit --no-verify' skips it. Delete this\n"
		 "# file to remove the hook.\n"
		 "showcase=");
	add_quoted(&text, exe);
	buf_puts(&text, "\n[ -x \"$showcase\" ] || showcase=showcase\n"
		 "exec \"$showcase\" check --staged -C ");
	add_quoted(&text, rel);
	buf_putc(&text, '\n');
	if (write_hook(path.ptr, text.ptr, d) == 0)
		fprintf(stderr, "showcase: installed the pre-commit hook '%s': "
			"every commit is checked first\n", path.ptr);

cleanup:
	code = diag_exit_code(d);
	diag_flush(d, stderr);
	git_repository_free(repo);
	git_libgit2_shutdown();
	free(hooks);
	free(site);
	free(top);
	free(exe);
	buf_release(&path);
	buf_release(&text);
	return code;
}
