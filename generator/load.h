/*
 * load: the load stage every command that reads a site shares (build,
 * report, check, serve): git snapshot (repo) -> site.yaml (site) -> theme
 * -> schema -> parse and validate the records (model, with frontmatter,
 * yamlv, schema) -> model -> figures and taxonomy.
 *
 * It writes nothing and knows none of the outputs: build renders the pages
 * and the booklets from what it loads (render.h, booklet.h), report
 * typesets one booklet (report.h), check and serve stop or go on from
 * here. The outputs depend on the load, never the other way round.
 *
 * Ownership: a load_site owns everything it holds (one arena, the
 * snapshot, the theme, the model); release it with load_release().
 * Thread safety: load_open() is single-threaded; a loaded site is then
 * read-only, and may be read by many threads at once (render, booklets),
 * except the figures' "shown at" notes, which each writer merges on one
 * thread (figures.h).
 */
#ifndef SHOWCASE_LOAD_H
#define SHOWCASE_LOAD_H

#include "arena.h"
#include "figures.h"
#include "site.h"
#include "taxonomy.h"

struct diag;
struct model;
struct repo_snapshot;
struct schema;
struct theme;

/* The options of the commands that load a site. The load reads dir, ref,
 * worktree, drafts, theme and no_history; the rest belong to the command
 * (build, report, check) and are kept here so the option parser
 * (main.c) fills one struct. */
struct load_options {
	const char *dir;   /* -C: the site root (default ".") */
	const char *ref;   /* --ref, NULL for HEAD */
	int worktree;      /* --worktree: read the files on disk */
	const char *out;   /* --out, NULL for DIR/output */
	int drafts;        /* --drafts */
	const char *theme; /* --theme DIR or NULL */
	int jobs;          /* worker threads, 0 = one per CPU */
	int quiet;         /* no summary line */
	int wait;          /* --wait: wait for another build of the output */
	int allow_empty;   /* --allow-empty: publish a site without records */
	int no_history;    /* check: skip the commit history (model.h) */
};

/* Everything loaded up to the model stage. */
struct load_site {
	struct arena arena;
	struct repo_snapshot *snap;
	struct site_config site;
	struct theme *theme;
	struct schema *schema;
	struct model *model;
	struct figures figures; /* counted after the model (figures.h) */
	struct taxonomy taxonomy; /* indexed after the model (taxonomy.h) */
	char date[11]; /* the build date, see load_date() */
};

/*
 * Load, parse, validate and model the site (every stage before render).
 * `exclude_dir` is the output folder, left out of --worktree snapshots.
 * Returns 0, or -1 after reporting; release `s` in either case.
 */
int load_open(struct load_site *s, const struct load_options *o,
	      const char *exclude_dir, struct diag *d);

/* load_open() in two steps: the snapshot, site.yaml, the theme, the
 * schema and the figures' definitions; then the records (parsed,
 * validated, modelled; figures and taxonomy). build asks for the second
 * only when the previous output is not already this build's (manifest.h):
 * what the first step reads is enough to know. s->model is NULL until
 * load_model(). Each returns 0, or -1 after reporting. */
int load_open_site(struct load_site *s, const struct load_options *o,
		   const char *exclude_dir, struct diag *d);
int load_model(struct load_site *s, const struct load_options *o,
	       struct diag *d);
void load_release(struct load_site *s);

/* The moment a build stands for: SOURCE_DATE_EPOCH when set, else
 * `commit_time` (0 for a worktree build); -1 when the variable is
 * malformed. */
long long load_epoch(long long commit_time);

/* The date shown as the build date: SOURCE_DATE_EPOCH when set, else
 * `commit_time`; "" when neither (a worktree build without the variable).
 * Writes YYYY-MM-DD, the day at `utc_offset` seconds from UTC (the site's
 * time zone), into out[11]. Returns -1 for a malformed SOURCE_DATE_EPOCH. */
int load_date(long long commit_time, int utc_offset, char out[11]);

#endif
