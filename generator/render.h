/*
 * render: the render stage. Turns the model into pages through the theme's
 * templates and hands every file to the writer.
 *
 * Record pages (the bulk of a site) are rendered by worker threads: each
 * takes the next record, renders its Markdown body and its template into
 * buffers of its own, with page values in an arena of its own, and writes the
 * file. The model and the theme are only read. List pages, the home page,
 * static files and published images follow on the calling thread.
 *
 * Files written: record pages at their permalinks, COLLECTION/index.html and
 * COLLECTION/page/N/index.html, index.html, 404.html, static/..., and
 * media/<repository path> for every image or file that a record's front
 * matter or body refers to (and only those), when the media policy lets
 * it through (media.h); a refused one is a content error at its link.
 */
#ifndef SHOWCASE_RENDER_H
#define SHOWCASE_RENDER_H

struct diag;
struct model;
struct theme;
struct writer;

/*
 * Render and write the whole site with `threads` workers (1 = no threads).
 * Returns 0, or -1 when any error was reported (the caller then aborts the
 * writer, so no half-written site is ever swapped in).
 */
int render_site(const struct model *m, const struct theme *t,
		struct writer *w, int threads, struct diag *d);

#endif
