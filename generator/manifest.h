/*
 * manifest: incremental builds, keyed by content.
 *
 * Every output folder of a committed build holds `.showcase-manifest`
 * (MANIFEST_NAME), beside the marker: not published content, a note for
 * the next build. It names the key of the build's inputs and lists every
 * file of the output with its size, modification time and inode:
 *
 *     showcase-manifest/1
 *     key <64 hex digits>
 *     <size> <mtime seconds>.<nanoseconds> <inode> <path>
 *     ...
 *
 * A build whose inputs have the same key as the previous output's makes
 * the same bytes (output is deterministic), so instead of rendering and
 * typesetting again it leaves the previous output in place when it is
 * exactly what the manifest lists (nothing added, nothing changed): a
 * no-op rebuild costs the load and a walk of the output, and writes
 * nothing. Otherwise it carries every listed file over into its scratch
 * folder by hard link (write_reuse()). A file that is not exactly as the manifest
 * says (edited, replaced, missing: size, time or inode differ), a manifest
 * that cannot be read, or any other key means a full build.
 *
 * The key (manifest_key()) is conservative: a hash of the generator (its
 * version, the bytes of its own executable, the versions of the libraries
 * that shape the output, the state of the font caches), the commit (its
 * id, so also its history, which records show as dates and contributors),
 * every file of the site's snapshot (path, mode, blob id: records,
 * site.yaml, a committed theme, media), the theme on disk when it is not
 * in the snapshot (every file's path and bytes), the build date and
 * SOURCE_DATE_EPOCH, and the options that change the output (--drafts,
 * --theme). Working-tree builds (--worktree) have no key and always build
 * in full.
 *
 * NEEDSWORK: one key for the whole output. The default theme prints the
 * commit on every page (the footer's colophon) and in every booklet, so
 * after a new commit no file of its output is the same bytes as before
 * and finer keys (a record page by its record, a booklet by its year)
 * would find nothing to reuse. They pay off for themes that leave the
 * commit out; the manifest format has room for them (a new version line).
 *
 * Thread safety: single-threaded, called by build between write_begin()
 * and write_commit().
 */
#ifndef SHOWCASE_MANIFEST_H
#define SHOWCASE_MANIFEST_H

#define MANIFEST_NAME ".showcase-manifest"

/* A key: 64 lowercase hex digits and a NUL. */
#define MANIFEST_KEY_SIZE 65

struct load_options;
struct load_site;
struct diag;
struct writer;

/* The key of what `s` (loaded with options `o`) would build, into `key`.
 * Returns 0, or -1 when the build has no key (a working-tree build, or a
 * theme folder that cannot be read): then nothing may be reused. */
int manifest_key(const struct load_site *s, const struct load_options *o,
		 char key[MANIFEST_KEY_SIZE]);

/*
 * If the previous output (write_previous_fd()) has a manifest with `key`
 * and every file it lists is as listed: return 2 when it holds exactly
 * those files and nothing else, with the modes the writer gives (it is
 * then byte for byte the output of this build: leave it in place and
 * abort the writer); else carry them all into the new output and return
 * 1. Return 0 when nothing was carried over (build in full), or -1 after
 * reporting a system error while linking.
 */
int manifest_reuse(struct writer *w, const char *key, struct diag *d);

/* List what the scratch folder holds and write MANIFEST_NAME into it:
 * call it last, after every other file is written. Returns 0, or -1
 * after reporting. */
int manifest_write(struct writer *w, const char *key, struct diag *d);

#endif
