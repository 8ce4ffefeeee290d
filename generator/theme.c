/*
 * theme: see theme.h.
 */
#include "theme.h"

#include "alloc.h"
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "media.h"
#include "repo.h"
#include "tmpl.h"
#include "value.h"
#include "yamlv.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TEMPLATE_EXT ".mustache"

static int read_disk_file(const char *path, struct buf *out, struct diag *d)
{
	int rc, fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		diag_fail(d, path, 0, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	if ((rc = buf_read_fd(out, fd)) < 0)
		diag_fail(d, path, 0, 0, "cannot read: %s", strerror(errno));
	close(fd);
	return rc;
}

/* Read `rel` (relative to the theme root). Returns 0, 1 if absent, -1. */
static int theme_read(const struct theme *t, const char *rel, struct buf *out,
		      struct diag *d)
{
	struct buf path = BUF_INIT;
	int ret = 1;

	if (t->snapshot) {
		buf_printf(&path, "%s/%s", t->root, rel);
		const struct repo_file *f = repo_snapshot_find(t->snapshot, path.ptr);
		if (f)
			ret = repo_snapshot_read(t->snapshot, f, out, d) < 0 ? -1 : 0;
	} else {
		struct stat st;
		buf_printf(&path, "%s/%s", t->dir, rel);
		if (!stat(path.ptr, &st) && S_ISREG(st.st_mode))
			ret = read_disk_file(path.ptr, out, d) < 0 ? -1 : 0;
	}
	buf_release(&path);
	return ret;
}

static int load_template(void *ctx, const char *name, struct buf *text,
			 char **display_path)
{
	const struct theme *t = ctx;
	struct buf rel = BUF_INIT;
	struct diag scratch;
	int ret;

	buf_printf(&rel, "templates/%s%s", name, TEMPLATE_EXT);
	diag_init(&scratch);
	ret = theme_read(t, rel.ptr, text, &scratch);
	diag_release(&scratch);
	if (display_path) {
		struct buf shown = BUF_INIT;
		buf_printf(&shown, "%s/%s", t->root, rel.ptr);
		*display_path = buf_detach(&shown, NULL);
	}
	buf_release(&rel);
	return ret;
}

/* A file list gathered from disk with nftw, which has no context pointer. */
static struct {
	char **paths;
	size_t len, cap, skip;
} walk;

static int collect(const char *fpath, const struct stat *sb, int type,
		   struct FTW *ftw)
{
	if (type != FTW_F)
		return 0;
	if (walk.len == walk.cap) {
		walk.cap = walk.cap ? walk.cap * 2 : 32;
		walk.paths = xrealloc(walk.paths, walk.cap * sizeof(*walk.paths));
	}
	walk.paths[walk.len++] = xstrdup(fpath + walk.skip);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * List the files under `sub` ("templates", "static") relative to it, sorted,
 * into arena strings. Returns the count.
 */
static size_t list_files(const struct theme *t, struct arena *a,
			 const char *sub, const char ***out)
{
	struct buf prefix = BUF_INIT;
	const char **list = NULL;
	size_t n = 0;

	if (t->snapshot) {
		const struct repo_file *first;
		buf_printf(&prefix, "%s/%s/", t->root, sub);
		n = repo_snapshot_prefix(t->snapshot, prefix.ptr, &first);
		list = arena_alloc(a, (n + 1) * sizeof(*list));
		for (size_t i = 0; i < n; i++)
			list[i] = first[i].path + prefix.len;
	} else {
		buf_printf(&prefix, "%s/%s", t->dir, sub);
		memset(&walk, 0, sizeof(walk));
		walk.skip = prefix.len + 1;
		nftw(prefix.ptr, collect, 16, FTW_PHYS);
		if (walk.len)
			qsort(walk.paths, walk.len, sizeof(*walk.paths), cmp_str);
		n = walk.len;
		list = arena_alloc(a, (n + 1) * sizeof(*list));
		for (size_t i = 0; i < n; i++) {
			list[i] = arena_strdup(a, walk.paths[i]);
			free(walk.paths[i]);
		}
		free(walk.paths);
		memset(&walk, 0, sizeof(walk));
	}
	buf_release(&prefix);
	*out = list;
	return n;
}

static int is_dir(const char *path)
{
	struct stat st;
	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

const char *theme_builtin_dir(void)
{
	static char found[PATH_MAX];
	static const char *const candidates[] = {
		"../themes/default",              /* build/showcase */
		"../../themes/default",           /* build/asan/showcase */
		"../share/showcase/themes/default", /* PREFIX/bin/showcase */
	};
	char exe[PATH_MAX], path[PATH_MAX * 2];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		for (size_t i = 0; i < sizeof(candidates) / sizeof(*candidates); i++) {
			snprintf(path, sizeof(path), "%s/%s", exe, candidates[i]);
			if (is_dir(path) && realpath(path, found))
				return found;
		}
	}
#ifdef SHOWCASE_DATADIR
	if (is_dir(SHOWCASE_DATADIR "/themes/default"))
		return SHOWCASE_DATADIR "/themes/default";
#endif
	return NULL;
}

static int locate(struct theme *t, struct arena *a,
		  const struct repo_snapshot *snap, const char *override_dir,
		  const char *name, struct diag *d)
{
	if (override_dir) {
		if (!is_dir(override_dir)) {
			diag_fail(d, NULL, 0, 0, "theme folder '%s' does not exist",
				  override_dir);
			return -1;
		}
		t->dir = arena_strdup(a, override_dir);
		t->root = t->dir;
		return 0;
	}
	if (strchr(name, '/') || !strcmp(name, "..") || !strcmp(name, ".") ||
	    !*name) {
		diag_fail(d, "site.yaml", 0, 0, "invalid theme name '%s'", name);
		return -1;
	}
	t->root = arena_printf(a, "themes/%s", name);
	if (snap) {
		const struct repo_file *first;
		char *prefix = arena_printf(a, "%s/", t->root);
		if (repo_snapshot_prefix(snap, prefix, &first) > 0) {
			t->snapshot = snap;
			return 0;
		}
	}
	if (!strcmp(name, "default") && theme_builtin_dir()) {
		t->dir = arena_strdup(a, theme_builtin_dir());
		t->root = t->dir;
		return 0;
	}
	diag_fail(d, NULL, 0, 0,
		  "theme '%s' not found: no folder 'themes/%s' in the site "
		  "(use --theme DIR to name one)", name, name);
	return -1;
}

static struct value *load_yaml(struct theme *t, struct arena *a,
			       const char *rel, const char **shown,
			       struct diag *d)
{
	struct buf text = BUF_INIT;
	struct value *v = NULL;
	char *path = arena_printf(a, "%s/%s", t->root, rel);
	int ret = theme_read(t, rel, &text, d);

	if (shown)
		*shown = path;
	if (ret == 0 && yamlv_parse(a, text.ptr, text.len, path, 0, d, &v) < 0)
		v = NULL;
	buf_release(&text);
	return v;
}

int theme_open(struct theme **out, struct arena *a,
	       const struct repo_snapshot *snap, const char *override_dir,
	       const char *name, const char *language, struct diag *d)
{
	struct theme *t = xcalloc(1, sizeof(*t));
	struct tmpl_loader loader;
	const char **files;
	size_t n, errors_before = diag_error_count(d);

	*out = NULL;
	if (locate(t, a, snap, override_dir, name, d) < 0)
		goto fail;

	t->schema = load_yaml(t, a, "schema.yaml", &t->schema_path, d);
	t->figures = load_yaml(t, a, "figures.yaml", &t->figures_path, d);
	if (t->figures)
		value_resolve_scalars(t->figures);
	t->i18n = load_yaml(t, a, arena_printf(a, "i18n/%s.yaml", language),
			    NULL, d);
	if (t->i18n)
		value_resolve_scalars(t->i18n);
	if (!t->i18n || t->i18n->kind != VALUE_MAP)
		t->i18n = value_map(a);

	loader.load = load_template;
	loader.ctx = t;
	t->templates = tmpl_set_new(&loader, d);
	n = list_files(t, a, "templates", &files);
	if (!n)
		diag_fail(d, NULL, 0, 0, "theme '%s' has no templates "
			  "(expected %s/templates/*.mustache)", t->root, t->root);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(files[i]), ext = strlen(TEMPLATE_EXT);
		if (len <= ext || strcmp(files[i] + len - ext, TEMPLATE_EXT))
			continue;
		char *tname = arena_strndup(a, files[i], len - ext);
		tmpl_set_compile(t->templates, tname);
	}

	/* Hidden files (.DS_Store, .gitkeep, an .env) are never published. */
	n = list_files(t, a, "static", &files);
	t->statics = arena_calloc(a, n ? n : 1, sizeof(*t->statics));
	t->nstatics = 0;
	for (size_t i = 0; i < n; i++) {
		struct theme_static *st = &t->statics[t->nstatics];
		if (media_path_is_hidden(files[i]))
			continue;
		st->path = files[i];
		st->source = arena_printf(a, "static/%s", files[i]);
		t->nstatics++;
	}

	if (diag_error_count(d) > errors_before)
		goto fail;
	*out = t;
	return 0;
fail:
	theme_free(t);
	return -1;
}

const struct tmpl *theme_template(const struct theme *t, const char *name)
{
	return tmpl_set_get(t->templates, name);
}

int theme_read_static(const struct theme *t, const struct theme_static *s,
		      struct buf *out, struct diag *d)
{
	int ret = theme_read(t, s->source, out, d);
	if (ret == 1)
		diag_fail(d, s->source, 0, 0, "static file disappeared");
	return ret ? -1 : 0;
}

void theme_free(struct theme *t)
{
	if (!t)
		return;
	if (t->templates)
		tmpl_set_free(t->templates);
	free(t);
}
