/*
 * theme: find a theme, read its schema and interface strings, and compile
 * all its templates once, before any page is written.
 *
 * A theme comes from one of three places, in this order: a folder given
 * with --theme; `themes/NAME/` in the site's own committed tree (NAME from
 * site.yaml `theme`, "default" by default); or, for the default theme, the
 * one that ships with showcase (next to the binary in the source tree, or
 * under PREFIX/share/showcase when installed). The layout of a theme is
 * documented in docs/THEMES.md.
 *
 * Every template under templates/ is compiled, so a mistake in any of them
 * is reported (path:line:column, exit 3) even if no page uses it, and
 * dynamic partial names can find any template at render time.
 *
 * Ownership: theme_open() allocates the theme; theme_free() releases it and
 * its compiled templates. Values (schema, i18n) live in the arena passed to
 * theme_open(), which must outlive the theme. After theme_open() the theme is
 * read-only and may be used from several threads.
 */
#ifndef SHOWCASE_THEME_H
#define SHOWCASE_THEME_H

#include <stddef.h>

struct arena;
struct buf;
struct diag;
struct repo_snapshot;
struct tmpl;
struct tmpl_set;
struct value;

struct theme_static {
	const char *path;   /* relative to static/, e.g. "style.css" */
	const char *source; /* for reading: snapshot path or file path */
};

struct theme {
	const char *root;          /* how diagnostics name it, e.g. "themes/default" */
	const struct repo_snapshot *snapshot; /* NULL when on disk */
	const char *dir;           /* folder on disk, when not in the snapshot */
	struct value *schema;      /* schema.yaml, or NULL */
	const char *schema_path;
	struct value *figures;     /* figures.yaml, or NULL (figures.h) */
	const char *figures_path;
	struct value *i18n;        /* i18n/LANG.yaml, an empty map if absent */
	struct tmpl_set *templates;
	struct theme_static *statics; /* hidden files (".x") left out */
	size_t nstatics;
};

/*
 * Locate and load the theme. `override_dir` is --theme (or NULL), `name` the
 * site's theme name, `language` selects i18n/LANG.yaml. Returns 0, or -1
 * after reporting system errors (missing theme, template errors).
 */
int theme_open(struct theme **out, struct arena *a,
	       const struct repo_snapshot *snap, const char *override_dir,
	       const char *name, const char *language, struct diag *d);

/* The compiled template `name` (e.g. "record-cases"), or NULL. */
const struct tmpl *theme_template(const struct theme *t, const char *name);

/* Read a static file's bytes. Returns 0 or -1 (reported). */
int theme_read_static(const struct theme *t, const struct theme_static *s,
		      struct buf *out, struct diag *d);

void theme_free(struct theme *t);

/* The folder of the default theme that ships with the binary, or NULL. */
const char *theme_builtin_dir(void);

#endif
