/*
 * write: the write stage. Puts a built site in place atomically.
 *
 * The site is written into a scratch folder next to the output folder OUT
 * (same parent, named ".OUT.showcase-tmp-PID-XXXXXX", so the final rename
 * never crosses a filesystem) and swapped in only when the whole build
 * succeeded, as git's lockfile and libgit2's filebuf do for single files. A
 * reader of OUT sees the old site or the new one, never a half-written mix;
 * a failed build leaves the previous OUT exactly as it was.
 *
 * Only a folder that showcase wrote is ever replaced (outdir.h): OUT must be
 * absent, empty or hold the marker file, which the scratch folder gets
 * first. Builds of one OUT take turns through a lock file beside it. A
 * scratch folder left by a killed build is removed by the next build of the
 * same OUT; SIGINT, SIGTERM and SIGHUP remove it at once (see
 * write_catch_signals).
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
#include <sys/types.h>

struct diag;
struct writer;

/*
 * Create the scratch folder for a build of `outdir` (creating the parents of
 * `outdir` if needed). `outdir` is resolved through every symbolic link
 * (outdir_resolve): the folder a link points at is the one replaced. Takes
 * the output's lock (waiting for it when `wait` is set, else failing when
 * another build holds it), refuses an `outdir` that is not absent, empty or
 * marked as showcase's (a usage error), and removes scratch folders of
 * killed builds. The caller checks the place (outdir_check_places) first.
 * It reads the umask (umask() is process-wide), so call it before starting
 * threads. Returns 0, or reports and returns -1 with *out set to NULL.
 */
int write_begin(struct writer **out, const char *outdir, int wait,
		struct diag *d);

/*
 * Block SIGINT, SIGTERM and SIGHUP in the calling thread (and so in every
 * thread it starts later) and start a thread that takes them: it stops
 * further writes, removes the scratch folders and temporary files of the
 * writers, then ends the process by the same signal. Call it once, first
 * thing in main(). Returns 0, or -1 when the thread cannot be started.
 */
int write_catch_signals(void);

/* Have the signal thread also remove `path` (a private folder of the
 * command, such as serve's), until write_forget_on_signal(path). At most a
 * few paths are registered at once. */
void write_remove_on_signal(const char *path);
void write_forget_on_signal(const char *path);

/*
 * Write `len` bytes of `data` as `relpath` (relative to the output folder,
 * '/'-separated), creating parent folders as needed. A path that is not
 * safe (see write_path_is_safe) or that was already written is an error.
 * Files are created 0644 and folders 0755, less the umask.
 */
int write_file(struct writer *w, const char *relpath, const void *data,
	       size_t len, struct diag *d);

/*
 * Carrying files of the previous output over (incremental builds, see
 * manifest.h). The previous output is the folder being replaced, and only
 * when it carries the marker (write_begin checks, under the lock); it is
 * only ever read, and walked without following a symbolic link.
 *
 * write_previous_stat() fills `st` for its regular file `relpath` and
 * returns 0, else -1. write_reuse() gives the new output the same file as
 * `relpath`, by a hard link (so nothing is written, and the file is never
 * changed: the previous output keeps its own name for it until it is
 * removed), or by a copy where a link cannot be made. Returns 0, or -1
 * after reporting a system error. Thread safety as write_file().
 */
struct stat;
int write_previous_stat(const struct writer *w, const char *relpath,
			struct stat *st);
int write_reuse(struct writer *w, const char *relpath, struct diag *d);
/* write_reuse() of a file that must first pass a check of its stat (that
 * it is as the manifest lists it, say): one walk down the previous output
 * for both, where write_previous_stat() then write_reuse() took two (a
 * changed build carries over every page it does not make). Returns 1 when
 * carried over; 0 when there is no such regular file or accept() said no,
 * and the file must be made; -1 after reporting a system error. */
int write_reuse_if(struct writer *w, const char *relpath,
		   int (*accept)(void *ctx, const struct stat *st), void *ctx,
		   struct diag *d);

/* Open the previous output's regular file `relpath` for reading (never
 * following a symbolic link); returns the descriptor, or -1. */
int write_previous_open(const struct writer *w, const char *relpath);

/*
 * Have write_file() ask `same` first: when it returns 1 for `relpath`
 * and the bytes to write, the file is carried over from the previous
 * output (as write_reuse()) instead of written. `same` is called from the
 * writing threads at once. Set it before any write (single-threaded).
 */
void write_set_same(struct writer *w,
		    int (*same)(void *ctx, const char *relpath,
				const void *data, size_t len),
		    void *ctx);

/* Descriptors of the scratch folder and of the previous output (-1 when
 * there is none or it has no marker), owned by the writer: for reading
 * back what was written, never for writing files of the output (the one
 * exception, bodycache.c, writes a temporary dotfile in the scratch
 * folder and renames it out beside the output before the commit). */
int write_scratch_fd(const struct writer *w);
int write_previous_fd(const struct writer *w);

/* The mode of the folders the writer makes (0755 less the umask); files
 * get it less the execute bits. */
mode_t write_dir_mode(const struct writer *w);

/* Every file written or carried into the new output so far (write_file(),
 * write_reuse()), in no order, with its size, inode and time as made: what
 * the manifest lists, without a walk of the output. Owned by the writer;
 * call it when no thread writes any more. */
struct write_made {
	char *path;
	unsigned long long size, ino;
	long long sec, nsec;
};
const struct write_made *write_files(const struct writer *w, size_t *n);

/*
 * Swap the scratch folder in as the output folder and remove the previous
 * output (never following a symbolic link or entering another filesystem).
 * If what was swapped out is no longer showcase's (replaced since
 * write_begin checked it), it is swapped back and the commit fails. Frees
 * `w` whether it succeeds or not; on failure the scratch folder is removed
 * and the previous output is left in place. A failure to remove the
 * previous output after the swap is only a warning.
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
 * An existing `path` is replaced only if showcase wrote it
 * (outdir_check_file); otherwise this is a usage error.
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
 * or the lock file that a build of an output folder named `out_base`
 * creates, so that readers of the site's files can skip them.
 */
int write_is_scratch_name(const char *out_base, const char *name);

#endif
