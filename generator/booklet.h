/*
 * booklet: the yearly booklets (the PDF and the print HTML of each report
 * record) as outputs of the build, typeset on threads of their own while
 * the pages render.
 *
 * Typesetting is most of a build's time (a booklet takes seconds, a page
 * a millisecond), and booklets share nothing that changes: each gets its
 * own Pango font map and Cairo surface (typeset.h), its own buffers and
 * arena, a diagnostics collector of its own and a list of the figures it
 * shows (report_typeset_shown()). booklet_start() starts the threads;
 * each takes the next booklet, typesets it and writes it into the new
 * output at once (write_file() takes several threads), and then makes
 * the other format of the same report from the same template output
 * (report_typeset_formats()) when no thread has begun that one by then
 * (a thread with nothing else to do makes it beside it, from a template
 * output of its own). booklet_finish() joins them and then, booklet by booklet in the order a sequential build
 * made them (each report record, PDF then print HTML), moves their
 * diagnostics into the build's collector (diag_absorb()) and their figures
 * into s->figures. So the output, stats/figures.json and the diagnostics
 * are the same bytes as when the booklets are made one after another,
 * which is what happens with one job (--jobs 1).
 *
 * A page that shows a booklet's size (the report's page, its year's page)
 * asks booklet_pdf_size(), which waits for that booklet or, when no
 * thread has begun it, makes it on the page's own thread: whoever claims
 * a booklet first makes it, under the run's lock.
 *
 * Ownership and threads: booklet_start() and booklet_finish() are called
 * from the build's thread, in that order, exactly once each. Between them
 * the booklet threads only read `s` and never allocate from s->arena (the
 * booklets' paths are taken from it before the threads start), so the
 * build may render pages meanwhile, reading `s`, and its calling thread
 * may call figures_shown() (render_figures.c): that changes only the
 * lists of pages of the values, which the booklets never read, and
 * allocates from s->arena. Nothing else may change the model, the figures'
 * values, the taxonomy or the theme until booklet_finish().
 */
#ifndef SHOWCASE_BOOKLET_H
#define SHOWCASE_BOOKLET_H

struct booklet_run;
struct load_site;
struct manifest_prev;
struct record;
struct strmap;
struct diag;
struct writer;

/*
 * Plan the booklets of `s` that site.yaml asks for and, when `threads` is
 * more than 1, start up to `threads` threads that typeset them into `w`.
 * With the manifest's `base` key (NULL or "" for none), each booklet gets
 * a key of its own (report_key.c); one whose key is the one `prev` lists
 * for its file is carried over from the previous output instead of typeset.
 * With 1, nothing starts here: booklet_finish() typesets them on the
 * calling thread. Never fails (a thread that cannot start leaves its share
 * to booklet_finish()); returns the run, which booklet_finish() frees.
 */
struct booklet_run *booklet_start(struct load_site *s, struct writer *w,
				  int threads, const struct manifest_prev *prev,
				  const char *base);

/* How many threads booklet_start() started (0: the booklets are made on
 * the build's thread, or there are none). */
int booklet_threads(const struct booklet_run *run);

/*
 * The size in bytes of the PDF booklet of report record `r` (for a page's
 * download link: "PDF, 3.2 MB"), or -1 when none is made or it failed.
 * Waits until it is written, making it on the calling thread when no
 * booklet thread has begun it yet (so a page never waits for the whole
 * queue, and with one job it cannot wait forever). `ctx` is the run, for
 * model->booklet_pdf_size; any thread, between booklet_start() and
 * booklet_finish(). The bytes do not depend on who makes the booklet.
 */
long long booklet_pdf_size(void *ctx, const struct record *r);

/*
 * Wait for the booklets, then report their diagnostics into `d` and note
 * their figures, in the sequential order. When `d` already calls for
 * EXIT_SYSTEM (the pages failed for a system reason), the booklets'
 * problems are left out, as a sequential build never typeset them.
 * Puts the key and note of each booklet that reported nothing into `keys`
 * and `notes` (path -> key or note, in s->arena; `keys` NULL to skip
 * both), for the manifest. Returns 0, or -1 when a booklet was not made.
 * Frees `run` (NULL-safe, returning 0).
 */
int booklet_finish(struct booklet_run *run, struct strmap *keys,
		   struct strmap *notes, struct diag *d);

#endif
