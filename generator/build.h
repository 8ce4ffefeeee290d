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

struct diag;

struct build_options {
	const char *dir;   /* -C: the site root (default ".") */
	const char *ref;   /* --ref, NULL for HEAD */
	int worktree;      /* --worktree: read the files on disk */
	const char *out;   /* --out, NULL for DIR/output */
	int drafts;        /* --drafts */
	const char *theme; /* --theme DIR or NULL */
	int jobs;          /* worker threads, 0 = one per CPU */
	int quiet;         /* no summary line */
};

/* Run a build; returns the exit code (EXIT_OK, EXIT_CONTENT, EXIT_SYSTEM).
 * Diagnostics are flushed to stderr before it returns. */
int build_run(const struct build_options *o, struct diag *d);

/* The date shown as the build date: SOURCE_DATE_EPOCH when set, else
 * `commit_time`; "" when neither (a worktree build without the variable).
 * Writes YYYY-MM-DD (UTC) into out[11]. Returns -1 for a malformed
 * SOURCE_DATE_EPOCH. */
int build_date(long long commit_time, char out[11]);

#endif
