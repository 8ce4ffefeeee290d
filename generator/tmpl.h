/*
 * tmpl: the Mustache template engine of showcase.
 *
 * Themes turn the model into HTML through Mustache templates. The engine
 * follows the Mustache specification (comments, delimiters, interpolation,
 * sections, inverted sections, partials, and the optional inheritance and
 * dynamic-names modules; lambdas do not apply, the data has no functions)
 * and sees nothing but `struct value` trees (see value.h).
 *
 * Compile once, render many. A template set loads and parses every
 * template once into an immutable tree with source positions. Partials and
 * parents named statically ({{>header}}, {{<layout}}) are loaded and
 * resolved at compile time, so a missing partial is reported before any
 * page is written, as `path:line:column: error: unknown partial 'x'`
 * (a theme mistake is a system error, exit 3). Dynamic names
 * ({{>*name}}, {{<*name}}) are looked up at render time among the
 * templates the set already holds; one that is not there renders nothing.
 *
 * Template names are relative paths without extension, such as
 * "record-cases" or "partials/header". The engine only passes the loader
 * names made of [A-Za-z0-9_./-] that are not absolute and hold no "..",
 * so no template can reach a file outside the theme.
 *
 * Data model: {{a.b}} looks `a` up through the context stack (innermost
 * section first) and `b` inside what it found; {{.}} is the innermost
 * context. A section over a list repeats for each item; over any other
 * truthy value (see value_truthy: null, false and the empty list are
 * false) it renders once with that value pushed. Interpolation writes a
 * string as is, an integer in decimal, a boolean as "true"/"false", and
 * nothing for null, lists and maps. {{x}} escapes & < > " ' for HTML;
 * {{{x}}} and {{&x}} do not.
 *
 * Ownership: tmpl_set_new() returns a set the caller frees with
 * tmpl_set_free(), which also frees every compiled template; a
 * `const struct tmpl *` stays valid until then. The set copies template
 * text, names and display paths; callers keep theirs. tmpl_render()
 * appends to a buffer the caller owns and never keeps pointers to `data`.
 *
 * Threads: building the set (new, add, compile, lenient) is single-
 * threaded. Once the set is built, tmpl_set_get() and tmpl_render() only
 * read it, so any number of threads may render the same templates at once,
 * each into its own buffer, provided nobody compiles or adds meanwhile.
 * Rendering allocates nothing but output buffer growth; it keeps its state
 * on the calling thread's stack: about 18 KB, and up to about 128 KB at
 * the deepest nesting TMPL_MAX_RENDER_NEST allows (optimised build), so
 * render from threads with ordinary (MB-sized) stacks.
 */
#ifndef SHOWCASE_TMPL_H
#define SHOWCASE_TMPL_H

#include <stddef.h>

struct buf;
struct diag;
struct tmpl;
struct tmpl_set;
struct value;

/* Partials and parents may nest this deep while rendering; deeper is an
 * error (a template that includes itself without end). */
#define TMPL_MAX_DEPTH 100
/* Sections, inverted sections, parents and blocks may nest this deep
 * inside one template; deeper is a compile error. */
#define TMPL_MAX_NESTING 64
/* Sections, blocks and partials together may nest this deep while
 * rendering (bounds the context stack and the renderer's recursion). */
#define TMPL_MAX_RENDER_NEST 512
/* One render may take this many steps (a step is a tag or run of text
 * rendered, or a context searched for a name) and write this many bytes
 * of template text and indentation (interpolated data does not count, so
 * a booklet's large body is fine). Sections over lists nested in one
 * another multiply: ten levels over ten items are ten billion passes, so
 * a template that does that fails instead of running for days. The
 * busiest page of the sample site (home) takes 3,400 steps and 20 KB.
 * The fuzz build (make fuzz) sets lower values, so that inputs which hit
 * the limits cost the fuzzer less time; nothing else should. */
#ifndef TMPL_MAX_RENDER_STEPS
#define TMPL_MAX_RENDER_STEPS 1000000
#endif
#ifndef TMPL_MAX_RENDER_TEXT
#define TMPL_MAX_RENDER_TEXT ((size_t)16 << 20)
#endif

/*
 * Where template text comes from. load() fills `text` with the template
 * `name` and returns 0, returns 1 if there is no such template, or -1 if
 * it could not be read. It may set *display_path to a malloc'd string that
 * diagnostics print for this template (e.g.
 * "themes/default/templates/page.mustache"), whatever it returns; the
 * engine frees it. Without one, diagnostics print the name.
 */
struct tmpl_loader {
	int (*load)(void *ctx, const char *name, struct buf *text,
		    char **display_path);
	void *ctx;
};

/*
 * Create an empty set. `loader` (copied; may be NULL when every template
 * is added with tmpl_set_add) supplies templates by name; compile errors
 * are reported to `d`, which must outlive the set.
 */
struct tmpl_set *tmpl_set_new(const struct tmpl_loader *loader,
			      struct diag *d);

/*
 * In lenient mode a partial or parent that cannot be found renders as the
 * empty string, as the Mustache specification says, instead of being a
 * compile error. The spec tests use it; themes should not.
 */
void tmpl_set_lenient(struct tmpl_set *s, int on);

/*
 * Define the template `name` from memory (`len` bytes of `text`); it is
 * parsed by tmpl_set_compile(), like a loaded one. `display_path` (may be
 * NULL: the name is used) is what diagnostics print. Returns 0, or -1 after
 * reporting an invalid or already defined name.
 */
int tmpl_set_add(struct tmpl_set *s, const char *name, const char *text,
		 size_t len, const char *display_path);

/*
 * Load and compile `name` and, transitively, every partial and parent it
 * names statically. Returns the template, or NULL if it or anything it
 * includes has errors (each reported once, all of them where feasible:
 * every template reports its own). Idempotent: a second call returns the
 * same result without reporting again.
 */
const struct tmpl *tmpl_set_compile(struct tmpl_set *s, const char *name);

/* A template that compiled without errors (itself and all it includes),
 * or NULL. Thread-safe once the set is built. */
const struct tmpl *tmpl_set_get(const struct tmpl_set *s, const char *name);

/* The template's name, and the path diagnostics print for it. */
const char *tmpl_name(const struct tmpl *t);
const char *tmpl_path(const struct tmpl *t);

/* Whether `name` (`len` bytes) is an acceptable template name: non-empty,
 * relative, only [A-Za-z0-9_./-], no "..". */
int tmpl_name_valid(const char *name, size_t len);

/*
 * Render `t` with `data` (the root of the context stack; NULL acts as
 * null) and append the output to `out`. Returns 0, or -1 after reporting
 * a problem to `d` (partials nested deeper than TMPL_MAX_DEPTH, sections
 * deeper than TMPL_MAX_RENDER_NEST, or more work than
 * TMPL_MAX_RENDER_STEPS or TMPL_MAX_RENDER_TEXT allow); `out` then holds
 * part of the page and should be discarded. Thread-safe (see above).
 */
int tmpl_render(const struct tmpl *t, const struct value *data,
		struct buf *out, struct diag *d);

/*
 * Where each part of a render's output came from, so that problems found
 * in the output (a booklet template writes Markdown with directives) can
 * be reported at the template line that wrote it. Zero-initialise (or
 * TMPL_SRCMAP_INIT), fill with tmpl_render_map(), release with
 * tmpl_srcmap_release(). Refers to the set's templates: use it while the
 * set lives.
 */
struct tmpl_srcmark;
struct tmpl_srcmap {
	struct tmpl_srcmark *v;
	size_t len, cap;
};
#define TMPL_SRCMAP_INIT { NULL, 0, 0 }

/* tmpl_render(), also noting in `map` which template text or tag wrote
 * each part of what it appends to `out`. */
int tmpl_render_map(const struct tmpl *t, const struct value *data,
		    struct buf *out, struct tmpl_srcmap *map, struct diag *d);

/*
 * The template (its diagnostics path) and the line and column in it that
 * wrote byte `offset` of the output `out` (the buffer's bytes, as the
 * render left them): the source position of that byte for template text,
 * the tag for interpolated data. Returns 0, or -1 when nothing the map
 * knows wrote it.
 */
int tmpl_srcmap_find(const struct tmpl_srcmap *map, const char *out,
		     size_t offset, const char **path, unsigned *line,
		     unsigned *col);
void tmpl_srcmap_release(struct tmpl_srcmap *map);

/* Free the set and every template in it. NULL is fine. */
void tmpl_set_free(struct tmpl_set *s);

#endif
