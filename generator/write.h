/*
 * write: the write stage. Puts a built site in place atomically.
 *
 * The site is written into a scratch folder next to the output folder OUT
 * (same parent, named ".OUT.tmp-XXXXXX", so the final rename never crosses a
 * filesystem) and swapped in only when the whole build succeeded, as git's
 * lockfile and libgit2's filebuf do for single files. A reader of OUT sees
 * the old site or the new one, never a half-written mix; a failed build
 * leaves the previous OUT exactly as it was.
 *
 * Nothing is ever written outside the scratch folder, whatever a path says:
 * paths are checked with write_path_is_safe() and files are created with
 * openat() below the scratch folder, never following symbolic links.
 *
 * Ownership: write_begin() returns a writer that write_commit() or
 * write_abort() frees (exactly one of them must be called). Thread safety:
 * write_file() may be called from several threads at once for different
 * paths; begin, commit and abort are single-threaded.
 */
#ifndef SHOWCASE_WRITE_H
#define SHOWCASE_WRITE_H

#include <stddef.h>

struct diag;
struct writer;

/*
 * Create the scratch folder for a build of `outdir` (creating the parents of
 * `outdir` if needed). If `outdir` is a symbolic link to a folder, the folder
 * it points at is the one replaced. Refuses an `outdir` that exists but is
 * not a folder, or that holds a git repository (".git"), since committing
 * would delete it. Note that it reads the umask (umask() is process-wide),
 * so call it before starting threads. Returns 0, or reports a system error
 * and returns -1 with *out set to NULL.
 */
int write_begin(struct writer **out, const char *outdir, struct diag *d);

/*
 * Write `len` bytes of `data` as `relpath` (relative to the output folder,
 * '/'-separated), creating parent folders as needed. A path that is not
 * safe (see write_path_is_safe) or that was already written is an error.
 * Files are created 0644 and folders 0755, less the umask.
 */
int write_file(struct writer *w, const char *relpath, const void *data,
	       size_t len, struct diag *d);

/*
 * Swap the scratch folder in as the output folder and remove the previous
 * output. Frees `w` whether it succeeds or not; on failure the scratch folder
 * is removed and the previous output is left in place. A failure to remove
 * the previous output after the swap is only a warning.
 */
int write_commit(struct writer *w, struct diag *d);

/* Remove the scratch folder and free `w`; the output folder is untouched.
 * NULL-safe. */
void write_abort(struct writer *w);

/* The absolute or relative output folder the writer replaces (as resolved by
 * write_begin), valid until commit or abort. */
const char *write_outdir(const struct writer *w);

/*
 * Write one file, not a folder: `path` (parent folders are made) is
 * replaced atomically through a temporary file next to it and rename(), so
 * a reader never sees it half-written and a failure leaves the old file.
 * Mode 0644 less the umask. For single-threaded callers (it reads the
 * umask). Returns 0, or -1 after reporting a system error.
 */
int write_single_file(const char *path, const void *data, size_t len,
		      struct diag *d);

/*
 * 1 if `relpath` is a safe output path: non-empty, relative, '/'-separated
 * segments that are neither empty nor "." nor "..", and no backslash or
 * control character (the string ends at its NUL, so none can be inside).
 */
int write_path_is_safe(const char *relpath);

/*
 * 1 if `name` (an entry of the output folder's parent) is a scratch folder
 * that a build of an output folder named `out_base` creates, so that readers
 * of the site's files can skip leftovers of an interrupted build.
 */
int write_is_scratch_name(const char *out_base, const char *name);

#endif
