/*
 * render_internal: what the files of the render module share (render.c,
 * render_outputs.c), so that the pages the site is checked for and the
 * pages it writes are named by the same code. Not for other modules.
 */
#ifndef SHOWCASE_RENDER_INTERNAL_H
#define SHOWCASE_RENDER_INTERNAL_H

#include <stddef.h>

struct arena;
struct collection;
struct model;

/* The folders of the output that render fills with files of its own:
 * the theme's static files and the files that records link to. */
#define RENDER_STATIC_DIR "static"
#define RENDER_MEDIA_DIR "media"

/* How many list pages collection `c` has: one even when it is empty. */
size_t render_list_page_count(const struct model *m,
			      const struct collection *c);

/* The output path of list page `p` (0-based) of `c`, in `a`:
 * "cases/index.html", "cases/page/2/index.html"... */
const char *render_list_page_path(struct arena *a, const struct collection *c,
				  size_t p);

#endif
