/*
 * directive: see directive.h.
 */
#include "directive.h"

#include "arena.h"
#include "buf.h"
#include "diag.h"

#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[] = {
	[DIRECTIVE_COVER] = "cover",
	[DIRECTIVE_TOC] = "toc",
	[DIRECTIVE_NUMBERING] = "numbering",
	[DIRECTIVE_PAGEBREAK] = "pagebreak",
	[DIRECTIVE_CHART] = "chart",
	[DIRECTIVE_FIELDS] = "fields",
	[DIRECTIVE_BODY] = "body",
	[DIRECTIVE_RECORD] = "record",
	[DIRECTIVE_COLOPHON] = "colophon",
};

static const char *const styles[] = {
	[DIRECTIVE_BAR] = "bar",
	[DIRECTIVE_HBAR] = "hbar",
	[DIRECTIVE_PIE] = "pie",
};

#define COUNT(a) (sizeof(a) / sizeof(*(a)))

const char *directive_name(enum directive_kind kind)
{
	return (size_t)kind < COUNT(names) ? names[kind] : "?";
}

const char *directive_style_name(enum directive_style style)
{
	return (size_t)style < COUNT(styles) ? styles[style] : "?";
}

/* A word of a directive line: where it starts and how long it is. */
struct word {
	const char *p;
	size_t n;
};

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int is(const struct word *w, const char *s)
{
	return w->n == strlen(s) && !memcmp(w->p, s, w->n);
}

/* A positive number of at most two digits, or -1. */
static int small_number(const struct word *w)
{
	int n = 0;
	if (!w->n || w->n > 2)
		return -1;
	for (size_t i = 0; i < w->n; i++) {
		if (w->p[i] < '0' || w->p[i] > '9')
			return -1;
		n = n * 10 + (w->p[i] - '0');
	}
	return n;
}

/* Fail with a message about word `w` of `line`. */
static int fail(struct buf *why, size_t *at, const char *line,
		const struct word *w, const char *fmt, const char *arg)
{
	buf_printf(why, fmt, arg);
	*at = (size_t)(w->p - line);
	return -1;
}

int directive_parse(struct arena *a, const char *line, size_t len,
		    struct directive *out, struct buf *why, size_t *at)
{
	struct word w[5];
	size_t nw = 0, i = 0;
	const char *slash;

	memset(out, 0, sizeof(*out));
	*at = 0;
	while (i < len) {
		while (i < len && blank(line[i]))
			i++;
		if (i == len)
			break;
		if (nw == COUNT(w)) {
			buf_puts(why, "too many words in one directive line");
			*at = i;
			return -1;
		}
		w[nw].p = line + i;
		while (i < len && !blank(line[i]))
			i++;
		w[nw].n = (size_t)(line + i - w[nw].p);
		nw++;
	}
	if (!nw)
		return 0;

	size_t k = 0;
	while (k < COUNT(names) && !is(&w[0], names[k]))
		k++;
	if (k == COUNT(names))
		return fail(why, at, line, &w[0], "unknown directive '%s' "
			    "(expected cover, toc, numbering, pagebreak, chart, "
			    "fields, body, record or colophon)",
			    arena_strndup(a, w[0].p, w[0].n));
	out->kind = (enum directive_kind)k;

	switch (out->kind) {
	case DIRECTIVE_TOC:
		if (nw > 1) {
			/* The rest of the line, spaces and all. */
			const char *end = line + len;
			while (end > w[1].p && blank(end[-1]))
				end--;
			out->title = arena_strndup(a, w[1].p, (size_t)(end - w[1].p));
		}
		return 1;
	case DIRECTIVE_COVER:
	case DIRECTIVE_NUMBERING:
	case DIRECTIVE_PAGEBREAK:
	case DIRECTIVE_COLOPHON:
		if (nw > 1)
			return fail(why, at, line, &w[1], "directive '%s' takes "
				    "no argument", names[out->kind]);
		return 1;
	case DIRECTIVE_CHART:
		if (nw < 2)
			return fail(why, at, line, &w[0], "directive '%s' needs a "
				    "figure: chart FIGURE [bar|hbar|pie]", "chart");
		out->figure = arena_strndup(a, w[1].p, w[1].n);
		out->style = DIRECTIVE_BAR;
		if (nw > 2) {
			k = 0;
			while (k < COUNT(styles) && !is(&w[2], styles[k]))
				k++;
			if (k == COUNT(styles))
				return fail(why, at, line, &w[2], "unknown chart "
					    "style '%s' (expected bar, hbar or pie)",
					    arena_strndup(a, w[2].p, w[2].n));
			out->style = (enum directive_style)k;
		}
		if (nw > 3)
			return fail(why, at, line, &w[3], "directive '%s' takes a "
				    "figure and a style, no more", "chart");
		return 1;
	case DIRECTIVE_FIELDS:
	case DIRECTIVE_BODY:
	case DIRECTIVE_RECORD:
		if (nw < 2)
			return fail(why, at, line, &w[0], "directive '%s' needs a "
				    "record: COLLECTION/SLUG", names[out->kind]);
		slash = memchr(w[1].p, '/', w[1].n);
		if (!slash || slash == w[1].p || slash == w[1].p + w[1].n - 1 ||
		    memchr(slash + 1, '/', (size_t)(w[1].p + w[1].n - slash - 1)))
			return fail(why, at, line, &w[1], "'%s' does not name a "
				    "record: write COLLECTION/SLUG",
				    arena_strndup(a, w[1].p, w[1].n));
		out->collection = arena_strndup(a, w[1].p, (size_t)(slash - w[1].p));
		out->slug = arena_strndup(a, slash + 1,
					  (size_t)(w[1].p + w[1].n - slash - 1));
		out->level = DIRECTIVE_DEFAULT_LEVEL;
		if (nw > 2 && out->kind == DIRECTIVE_FIELDS)
			return fail(why, at, line, &w[2], "directive '%s' takes "
				    "one argument, the record", "fields");
		if (nw > 2) {
			out->level = small_number(&w[2]);
			if (out->level < 1 || out->level > 6)
				return fail(why, at, line, &w[2], "heading level "
					    "'%s' is not a number from 1 to 6",
					    arena_strndup(a, w[2].p, w[2].n));
		}
		if (nw > 3)
			return fail(why, at, line, &w[3], "directive '%s' takes a "
				    "record and a heading level, no more",
				    names[out->kind]);
		return 1;
	}
	return 1;
}

int directive_is_block(struct cmark_node *n)
{
	const char *info;
	size_t len;
	int flen, offset;
	char fence;

	if (cmark_node_get_type(n) != CMARK_NODE_CODE_BLOCK ||
	    !cmark_node_get_fenced(n, &flen, &offset, &fence))
		return 0;
	info = cmark_node_get_fence_info(n);
	len = info ? strcspn(info, " \t") : 0;
	return len == strlen(DIRECTIVE_INFO) && !memcmp(info, DIRECTIVE_INFO, len);
}

const struct directive *directive_of(struct cmark_node *n)
{
	if (!n || cmark_node_get_type(n) != CMARK_NODE_CUSTOM_BLOCK)
		return NULL;
	return cmark_node_get_user_data(n);
}

static void report(struct diag *d, const struct directive_locator *loc,
		   const char *path, unsigned line, unsigned col,
		   const char *msg)
{
	if (loc && loc->locate)
		loc->locate(loc->ctx, &path, &line, &col);
	diag_fail(d, path, line, col, "%s", msg);
}

/* One block: a node for each directive, before `block`. */
static void apply_block(struct cmark_node *block, struct arena *a,
			const char *path, const struct directive_locator *loc,
			const struct directive **seen, struct diag *d)
{
	const char *text = cmark_node_get_literal(block);
	unsigned line = (unsigned)cmark_node_get_start_line(block) + 1;
	unsigned col0 = (unsigned)cmark_node_get_start_column(block);
	struct buf why = BUF_INIT;

	for (const char *p = text ? text : ""; *p; line++) {
		size_t len = strcspn(p, "\n"), at;
		struct directive dir, *copy;
		struct cmark_node *node;
		int rc = directive_parse(a, p, len, &dir, &why, &at);

		if (rc < 0) {
			report(d, loc, path, line, col0 + (unsigned)at, why.ptr);
			buf_reset(&why);
		}
		if (rc > 0) {
			dir.path = path;
			dir.line = line;
			dir.col = col0 + (unsigned)strspn(p, " \t");
			if (loc && loc->locate)
				loc->locate(loc->ctx, &dir.path, &dir.line, &dir.col);
			/* One contents and one cover a booklet. */
			if ((dir.kind == DIRECTIVE_TOC || dir.kind == DIRECTIVE_COVER) &&
			    seen[dir.kind]) {
				buf_printf(&why, "a second '%s' directive (the first "
					   "is at %s:%u); keep one", names[dir.kind],
					   seen[dir.kind]->path, seen[dir.kind]->line);
				diag_fail(d, dir.path, dir.line, dir.col, "%s", why.ptr);
				buf_reset(&why);
			} else {
				copy = arena_alloc(a, sizeof(*copy));
				*copy = dir;
				seen[dir.kind] = copy;
				node = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
				cmark_node_set_on_enter(node, "");
				cmark_node_set_on_exit(node, "");
				cmark_node_set_user_data(node, copy);
				cmark_node_insert_before(block, node);
			}
		}
		p += len + (p[len] == '\n');
	}
	buf_release(&why);
}

int directive_apply(struct cmark_node *doc, struct arena *a,
		    const char *path, const struct directive_locator *loc,
		    struct diag *d)
{
	const struct directive *seen[COUNT(names)] = { NULL };
	size_t errors = diag_error_count(d);
	struct cmark_node *n, *next;
	cmark_event_type ev;
	cmark_iter *it;

	if (!doc)
		return 0;
	for (n = cmark_node_first_child(doc); n; n = next) {
		next = cmark_node_next(n);
		if (!directive_is_block(n))
			continue;
		apply_block(n, a, path, loc, seen, d);
		cmark_node_free(n);
	}
	/* What is left is nested in a list, a quote or a footnote. */
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && directive_is_block(n))
			report(d, loc, path, (unsigned)cmark_node_get_start_line(n),
			       (unsigned)cmark_node_get_start_column(n),
			       "a directive block inside a list, a quote or a "
			       "footnote; directives go at the top level, "
			       "unindented");
	}
	cmark_iter_free(it);
	return diag_error_count(d) > errors ? -1 : 0;
}
