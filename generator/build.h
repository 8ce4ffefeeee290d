/*
 * build: `showcase build`, the whole pipeline from a git commit to a
 * website: load (repo) -> parse and validate (model, with frontmatter, yamlv,
 * schema) -> model -> render -> write.
 *
 * Nothing is written unless every stage succeeded: content errors stop the
 * build before the writer starts, and render errors abort the writer, which
 * leaves any previous output exactly as it was.
 */
#ifndef SHOWCASE_BUILD_H
#define SHOWCASE_BUILD_H

#include "arena.h"
#include "figures.h"
#include "site.h"
#include "taxonomy.h"

struct diag;
struct writer;
struct model;
struct repo_snapshot;
struct schema;
struct theme;

struct build_options {
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

/* Everything loaded up to the model stage; shared by build and report. */
struct build_site {
	struct arena arena;
	struct repo_snapshot *snap;
	struct site_config site;
	struct theme *theme;
	struct schema *schema;
	struct model *model;
	struct figures figures; /* counted after the model (figures.h) */
	struct taxonomy taxonomy; /* indexed after the model (taxonomy.h) */
	char date[11]; /* the build date, see build_date() */
};

/*
 * Load, parse, validate and model the site (every stage before render).
 * `exclude_dir` is the output folder, left out of --worktree snapshots.
 * Returns 0, or -1 after reporting; release `s` in either case.
 */
int build_load(struct build_site *s, const struct build_options *o,
	       const char *exclude_dir, struct diag *d);
void build_site_release(struct build_site *s);

/* Render the pages of a loaded site into `w` with `jobs` threads
 * (render_site()), with smaller copies of the images it shows made as
 * the pages need them (thumb.h). Returns 0, or -1 after reporting. */
int build_render(struct build_site *s, struct writer *w, int jobs,
		 struct diag *d);

/* Run a build; returns the exit code (EXIT_OK, EXIT_CONTENT, EXIT_SYSTEM).
 * Diagnostics are flushed to stderr before it returns. */
int build_run(const struct build_options *o, struct diag *d);

/* The moment a build stands for: SOURCE_DATE_EPOCH when set, else
 * `commit_time` (0 for a worktree build); -1 when the variable is
 * malformed. */
long long build_epoch(long long commit_time);

/* The date shown as the build date: SOURCE_DATE_EPOCH when set, else
 * `commit_time`; "" when neither (a worktree build without the variable).
 * Writes YYYY-MM-DD, the day at `utc_offset` seconds from UTC (the site's
 * time zone), into out[11]. Returns -1 for a malformed SOURCE_DATE_EPOCH. */
int build_date(long long commit_time, int utc_offset, char out[11]);

#endif
