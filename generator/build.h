/*
 * build: `showcase build`, the whole pipeline from a git commit to a
 * website: load (load.h) -> render the pages (render.h) and typeset the
 * booklets (booklet.h) at once -> write (write.h), with the outputs of the
 * previous build reused by key (manifest.h).
 *
 * Nothing is written unless every stage succeeded: content errors stop the
 * build before the writer starts, and render errors abort the writer, which
 * leaves any previous output exactly as it was.
 */
#ifndef SHOWCASE_BUILD_H
#define SHOWCASE_BUILD_H

#include "load.h"

struct diag;
struct render_reuse;
struct writer;

/* Render the pages of a loaded site into `w` with `jobs` threads
 * (render_site(), carrying pages over as `reuse` says, or NULL), with
 * smaller copies of the images it shows made as the pages need them
 * (thumb.h). Returns 0, or -1 after reporting. */
int build_render(struct load_site *s, const struct render_reuse *reuse,
		 struct writer *w, int jobs, struct diag *d);

/* Run a build; returns the exit code (EXIT_OK, EXIT_CONTENT, EXIT_SYSTEM).
 * Diagnostics are flushed to stderr before it returns. */
int build_run(const struct load_options *o, struct diag *d);

/* `build --print-key`: print on stdout the key (manifest_key()) that
 * build_run() with the same options would write into its manifest, 64
 * hex digits and a newline, reading only what the key needs (no record)
 * and writing nothing: no output folder, no lock, no scratch folder, no
 * cache. When the build has no key (--worktree, an unreadable theme
 * folder) or the site cannot be loaded, nothing is printed on stdout.
 * Returns the exit code, diagnostics flushed to stderr, like build_run(). */
int build_print_key(const struct load_options *o, struct diag *d);

#endif
