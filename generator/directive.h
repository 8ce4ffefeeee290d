/*
 * directive: the booklet's directives, parsed in one place.
 *
 * A booklet template (the theme's report.mustache) writes Markdown, and
 * says what Markdown cannot with fenced code blocks whose info string is
 * `showcase`, one directive a line:
 *
 *     cover                      the cover page
 *     toc [TITLE]                the contents, with page numbers, under
 *                                TITLE (default 目录: the theme names it) 
 *     numbering                  pages are numbered from 1 after this
 *     pagebreak                  a new page
 *     chart FIGURE [bar|hbar|pie]    a chart of one of the year's figures
 *     fields COLLECTION/SLUG     a record's field table
 *     body COLLECTION/SLUG [N]   a record's body, its headings from level N
 *     record COLLECTION/SLUG [N] fields, then body
 *     colophon                   the 版权页: a new page, and what follows
 *                                has no running head and no folio
 *
 * directive_apply() reads the blocks of the template's own document, once,
 * and replaces each by directive nodes: cmark custom blocks that carry a
 * struct directive. The report expands the record directives, the
 * typesetter and the print page lay out the rest, and none of them looks
 * at code blocks again. So a `showcase` block in a record body, spliced in
 * later, is only ever an ordinary code block: record bodies are never read
 * as directives. (Markdown never produces custom blocks, so no body can
 * make a directive node either.)
 *
 * Ownership: directives and their strings live in the arena given; the
 * nodes point at them (and do not free them), so free the document before
 * releasing the arena.
 */
#ifndef SHOWCASE_DIRECTIVE_H
#define SHOWCASE_DIRECTIVE_H

#include <stddef.h>

struct arena;
struct buf;
struct cmark_node;
struct diag;

/* The contents' heading when the toc directive names none. */
#define DIRECTIVE_TOC_TITLE "目录"

/* The info string (its first word) of directive blocks. */
#define DIRECTIVE_INFO "showcase"
/* Heading level of the top headings of a body, unless the directive
 * says. */
#define DIRECTIVE_DEFAULT_LEVEL 3

enum directive_kind {
	DIRECTIVE_COVER,
	DIRECTIVE_TOC,
	DIRECTIVE_NUMBERING,
	DIRECTIVE_PAGEBREAK,
	DIRECTIVE_CHART,
	DIRECTIVE_FIELDS,
	DIRECTIVE_BODY,
	DIRECTIVE_RECORD,
	DIRECTIVE_COLOPHON,
};

enum directive_style {
	DIRECTIVE_BAR,  /* the default */
	DIRECTIVE_HBAR,
	DIRECTIVE_PIE,
};

struct directive {
	enum directive_kind kind;
	const char *figure;     /* chart: the figure's key */
	const char *title;      /* toc: its heading ("toc Contents"), else NULL */
	enum directive_style style; /* chart */
	const char *collection; /* fields, body, record: the record's */
	const char *slug;       /*   collection and slug */
	int level;              /* body, record: 1 to 6 */
	const char *path;       /* where it is written, for diagnostics */
	unsigned line, col;
};

/*
 * Parse one line of a directive block (`len` bytes, no newline). Returns
 * 1 and fills *out (not its position), 0 for a blank line, or -1 with the
 * reason in `why` (appended) and in *at the offset in the line of the word
 * it is about. Strings go into `a`. Pure: no I/O, no diagnostics.
 */
int directive_parse(struct arena *a, const char *line, size_t len,
		    struct directive *out, struct buf *why, size_t *at);

/* 1 if `n` is a fenced code block whose info string's first word is
 * DIRECTIVE_INFO, else 0. */
int directive_is_block(struct cmark_node *n);

/* The directive that node `n` stands for, or NULL when it is not a
 * directive node. */
const struct directive *directive_of(struct cmark_node *n);

/*
 * Where the text that was parsed came from: called with the line and
 * column of a directive in that text (from 1), it may move them, and
 * *path, to the file that wrote them (a template).
 */
struct directive_locator {
	void (*locate)(void *ctx, const char **path, unsigned *line,
		       unsigned *col);
	void *ctx;
};

/*
 * Replace every directive block at the top level of `doc` (a document
 * from md_parse() of the text of `path`) by directive nodes, one per
 * directive, in order. `loc` may be NULL. Reports each problem as a theme
 * error (diag_fail) at its place: an unknown directive, a wrong argument,
 * a second toc or cover, a directive block inside a list or quote (which
 * stays a code block). Returns 0, or -1 after reporting.
 */
int directive_apply(struct cmark_node *doc, struct arena *a,
		    const char *path, const struct directive_locator *loc,
		    struct diag *d);

/* Names as written: "cover", "chart"...; "bar", "hbar", "pie". */
const char *directive_name(enum directive_kind kind);
const char *directive_style_name(enum directive_style style);

#endif
