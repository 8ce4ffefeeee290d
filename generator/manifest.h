/*
 * manifest: incremental builds, keyed by content.
 *
 * Every output folder of a committed build holds `.showcase-manifest`
 * (MANIFEST_NAME), beside the marker: not published content, a note for
 * the next build. It names two keys and lists every file of the output
 * with its size, modification time, inode and, for the files that have
 * one, the key of their own inputs ("-" for none), and after a file with
 * a key, a note its maker keeps for the next build (a booklet: the records
 * and figures its Markdown turned out to print, report_key.c):
 *
 *     showcase-manifest/5
 *     key <64 hex digits>
 *     base <64 hex digits>
 *     summary <records> <diagnostics>
 *     <size> <mtime seconds>.<nanoseconds> <inode> <key or -> <path>
 *     note <printable bytes, no space>    (optional)
 *     ...
 *     end <number of files listed>
 *
 * The last line guards the list: with the same `key`, the files listed
 * are carried over as the whole output, so a manifest that lost lines
 * would carry an output short of those files.
 *
 * `key` covers everything a build reads (manifest_key()): the generator
 * (its version, its build ID or else the bytes of its own executable, the
 * versions of the libraries that shape the output, the state of the font
 * caches), the
 * commit (its id, so also its history, which records show as dates and
 * contributors), every file of the site's snapshot (path, mode, blob id),
 * the theme on disk when it is not in the snapshot (every file's path and
 * bytes), the build date and SOURCE_DATE_EPOCH, and the options that
 * change the output (--drafts, --theme). The same `key` makes the same
 * bytes: the previous output is left in place when it is exactly what
 * the manifest lists, or carried over whole by hard link (write_reuse()).
 * `key` needs no record to be parsed (only the snapshot's blob ids), so a
 * no-op rebuild costs the snapshot and a walk of the output: the summary
 * line (the number of records built and of diagnostics reported) stands
 * for the records the build then does not load. When that build reported
 * something (a warning), the output is not carried over whole but file
 * by file (below), so that what said it is made again and says it again:
 * the records are loaded, a booklet or body that reported something was
 * given no key or cache entry.
 *
 * `base` is the same but for the records (content/COLLECTION/SLUG.md) and the commit:
 * the generator, the theme, the settings, SOURCE_DATE_EPOCH and every
 * other file of the snapshot (site.yaml, media). Another `key` with the
 * same `base` is another commit of the same site setup, and the build
 * reuses what it can, file by file (manifest_prev):
 *   - a booklet (PDF, print page) whose own key (report_key.c: its year's
 *     records with their blob ids and git dates, the records and figures
 *     its Markdown prints, the year's figures, every record's title and
 *     address) is the one listed is carried over without being typeset;
 *     its note says what its Markdown printed, so that the key is taken
 *     before the template is rendered;
 *   - a record, list or term page whose own key (render_key.c: the
 *     records it shows with their blob ids and git history, the titles
 *     and addresses of those they reference or are referenced by, its
 *     place in its list, every record's path and address) is the one
 *     listed is carried over without being rendered (what its body gives
 *     the search index, the feeds and the media comes from the body cache
 *     beside the output, bodycache.h, else from parsing it again);
 *   - every other file is made again, and carried over by hard link when
 *     its bytes are those of the previous file (write_set_same()): no
 *     write, and its inode stays. The pages carry none of the build's own
 *     data (the commit and build date are on the home page only,
 *     model_data.c), so a page whose content did not change is the same
 *     bytes.
 * A file that is not exactly as the manifest says (edited, replaced,
 * missing: size, time, inode or mode differ), a manifest that cannot be
 * read, or another `base` means a full build. Working-tree builds
 * (--worktree) have no key and always build in full. `showcase build
 * --print-key` prints `key` without building (build_print_key()), for CI
 * caches that look an output up by a string.
 *
 * NEEDSWORK: when `key` changed, every record's front matter is still
 * read, parsed and validated (on the worker threads; a cache of the typed
 * records by blob id beside the output, like the body cache, would skip
 * that, but its values carry the lines and columns later diagnostics
 * name, and the bodies of pages made again must then be read lazily);
 * the figure pages, the home page, the search index and the feeds are
 * made in full and compared; a page's key errs on
 * the safe side where exact dependencies are costly (adding a record
 * changes every page's).
 *
 * Thread safety: manifest_key(), manifest_reuse() and manifest_write()
 * are single-threaded, called by build between write_begin() and
 * write_commit(); manifest_prev_key(), manifest_prev_reuse() and
 * manifest_prev_same() only read the manifest and may be called from the
 * writing threads.
 */
#ifndef SHOWCASE_MANIFEST_H
#define SHOWCASE_MANIFEST_H

#include <stddef.h>

#define MANIFEST_NAME ".showcase-manifest"
/* Its first line: the format (see above). */
#define MANIFEST_HEADER "showcase-manifest/5\n"

/* A key: 64 lowercase hex digits and a NUL. */
#define MANIFEST_KEY_SIZE 65

struct load_options;
struct load_site;
struct diag;
struct manifest_prev;
struct strmap;
struct writer;

/* The keys of what `s` (loaded with options `o`, the records not needed:
 * load_open_site()) would build: `key` of the
 * whole output, `base` of everything but the records and the commit.
 * Returns 0, or -1 when the build has no key (a working-tree build, or a
 * theme folder that cannot be read): then nothing may be reused, and
 * *why (when `why` is not NULL) says why, in a static string, for `build
 * --print-key`, which has nothing to print then. */
int manifest_key(const struct load_site *s, const struct load_options *o,
		 char key[MANIFEST_KEY_SIZE], char base[MANIFEST_KEY_SIZE],
		 const char **why);

/*
 * If the previous output (write_previous_fd()) has a manifest with `key`
 * whose build reported nothing, and every file it lists is as listed:
 * return 2 when it holds exactly
 * those files and nothing else, with the modes the writer gives (it is
 * then byte for byte the output of this build: leave it in place and
 * abort the writer); else carry them all into the new output and return
 * 1 (with *prev set, for manifest_prev_keys()). In both cases `was` is
 * the summary of the build that made it (else it is zeroed). Otherwise, when
 * the manifest has `base`, set *prev to its listing for reuse file by
 * file (manifest_prev_key(), manifest_prev_same()) and return 0; *prev is
 * NULL when nothing can be reused. -1 after reporting a system error
 * while linking.
 */
struct manifest_summary {
	size_t records;      /* records it was built from */
	size_t diagnostics;  /* diagnostics its build reported */
};

int manifest_reuse(struct writer *w, const char *key, const char *base,
		   struct manifest_prev **prev, struct manifest_summary *was,
		   struct diag *d);

/* Copy the key and note of each file `p` lists into `keys` and `notes`
 * (path -> key or note, strings from `a`), for an output carried over
 * whole (manifest_reuse() returned 1): its files keep the keys and notes
 * they were made with. */
struct arena;
void manifest_prev_keys(const struct manifest_prev *p, struct strmap *keys,
			struct strmap *notes, struct arena *a);

/* The key the previous manifest lists for its file `path`, when the file
 * is still exactly as listed; else NULL. Thread safe (only reads). */
const char *manifest_prev_key(const struct manifest_prev *p, const char *path);
/* The note the previous manifest keeps with its file `path`, when it
 * lists a key for it; else NULL. Whether the file is still as listed is
 * manifest_prev_key()'s to say: a note goes with the key it returned.
 * Thread safe. A note only says what its maker wrote: whoever reads one
 * must check it against something it trusts (a booklet's key hashes what
 * its note lists). */
const char *manifest_prev_note(const struct manifest_prev *p, const char *path);
/* 1 when `note` can be kept: not empty, printable ASCII or UTF-8 bytes
 * above the space, no space, no control byte. */
int manifest_note_is_valid(const char *note);
/* When the previous output's `path` has the key `key` and is intact,
 * carry it into `w`'s new output (write_reuse_if()) and return 1; 0 when
 * it must be made; -1 after reporting a system error. */
struct writer;
int manifest_prev_reuse(const struct manifest_prev *p, const char *path,
			const char *key, struct writer *w, struct diag *d);

/* For write_set_same(): 1 when the previous output's file `path` is still
 * as listed and holds exactly `len` bytes `data`. `ctx` is the
 * manifest_prev. Thread safe. */
int manifest_prev_same(void *ctx, const char *path, const void *data,
		       size_t len);

void manifest_prev_free(struct manifest_prev *p);

/* A key in the making (SHA-256), for the keys of single outputs
 * (report_key.c): each part is written with its name and length, so that
 * no two different inputs give the same stream. manifest_hash_end()
 * writes the key and frees `h`. */
struct manifest_hash;
struct manifest_hash *manifest_hash_new(void);
void manifest_hash_put(struct manifest_hash *h, const char *what,
		       const void *data, size_t len);
void manifest_hash_str(struct manifest_hash *h, const char *what,
		       const char *s);
void manifest_hash_num(struct manifest_hash *h, const char *what,
		       long long v);
void manifest_hash_end(struct manifest_hash *h, char key[MANIFEST_KEY_SIZE]);
/* A record's file as the keys of single outputs see it: its path, its
 * blob id, and its git history (published, updated, authors), so that an
 * edit, or a commit that only changes its dates, changes the key. Hashed
 * once per record into `record->digest` by manifest_record_digests(),
 * which build calls for a keyed output before anything renders: a record
 * enters the key of every page and booklet that lists or counts it, a
 * hundred keys and more for some, and a figure of a year counts
 * thousands. */
struct model;
struct record;
void manifest_record_digests(struct model *m);
void manifest_hash_record(struct manifest_hash *h, const struct record *r);

/* List the files the writer made (write_files(): their stats as made,
 * no walk of the scratch folder) and write MANIFEST_NAME into it, with
 * the key `keys` (path -> 64 hex digits, NULL for none) gives each file,
 * the note `notes` (path -> note, NULL for none) keeps with a file that
 * has a key (a note that is not valid is left out), and the summary
 * `sum`: call it last, after every other file is written. Returns 0, or
 * -1 after reporting. */
int manifest_write(struct writer *w, const char *key, const char *base,
		   const struct strmap *keys, const struct strmap *notes,
		   const struct manifest_summary *sum, struct diag *d);

#endif
