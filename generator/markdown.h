/*
 * markdown: a record's Markdown body to HTML, through cmark-gfm (parse
 * stage; pure: bytes in, tree or HTML out, no files touched).
 *
 * The body is GitHub-flavoured Markdown (tables, strikethrough, autolinks,
 * task lists, footnotes). On top of cmark-gfm this module adds what a site
 * of many linked records needs:
 *
 *   - Raw HTML is shown to the reader as literal text unless the site sets
 *     `unsafe_html`, in which case it passes through (cmark-gfm's tagfilter
 *     extension still disarms <script>, <iframe> and the like). In safe mode
 *     HTML comments are dropped, as they are invisible in unsafe mode too.
 *   - Links and images to javascript:, vbscript:, file: and non-image data:
 *     URLs (see md_url_is_dangerous()) get an empty destination, with a
 *     warning, whatever `unsafe_html` says: in the tree, so the HTML and
 *     the booklet both lose them. Raw HTML in unsafe mode is not filtered.
 *   - Links and images relative to the record's file (`../studios/x.md`,
 *     `images/a.jpg#frag`) are resolved to a repository path and handed to
 *     the caller's resolver, which returns the URL to publish; a path that
 *     leaves the repository, names a missing file or a file the resolver
 *     refuses to publish is a content error at the line and column of the
 *     link in the record file.
 *   - Every heading gets a stable id attribute made from its text.
 *   - Tables whose parse would cost cmark-gfm 0.29 quadratic time (huge
 *     rows padded to a wide delimiter row) are shown as text, with a
 *     warning, instead of taking seconds: see MD_MAX_TABLE_WORK. Bodies
 *     that would take the library's other quadratic paths are refused
 *     with an error before it sees them: see MD_MAX_BRACKET_WORK.
 *
 * Thread safety: every function may run on several threads at once, each
 * with its own document. cmark-gfm 0.29.0.gfm.6 itself is not reentrant
 * while parsing (its table of special inline characters is a global array
 * that each parse sets and clears, see github/cmark-gfm#176), so
 * md_parse() serialises the cmark-gfm parse with a process-wide mutex; the
 * rest (link rewriting, ids, rendering) runs in parallel. Anything else in
 * showcase that wants a cmark-gfm tree must therefore get it from
 * md_parse(), not from cmark_parser_* directly.
 *
 * Memory: trees use cmark-gfm's default (malloc-based) allocator, never its
 * global arena.
 */
#ifndef SHOWCASE_MARKDOWN_H
#define SHOWCASE_MARKDOWN_H

#include <stddef.h>

struct buf;
struct cmark_node; /* cmark-gfm's node; include <cmark-gfm.h> to walk it */
struct diag;

struct md_options {
	int unsafe_html; /* site option `unsafe_html`: let raw HTML through */
	/*
	 * Optional: the HTML of an image instead of cmark-gfm's <img> (the
	 * site's <picture> with smaller copies, thumb.h). md_render_doc()
	 * calls it for every image with its destination as md_parse() left
	 * it, its description as plain text and its title ("" when none);
	 * it appends the markup to `out` and returns 1, or returns 0 to leave
	 * the image to cmark-gfm. The tree is not changed.
	 */
	int (*image_html)(void *ctx, const char *url, const char *alt,
			  const char *title, struct buf *out);
	void *image_ctx;
	/* When set, md_render_doc() wraps each table in <div class="table-wrap"
	 * role="region" tabindex="0" aria-label="table_label">: a region that
	 * scrolls sideways on a phone and can be scrolled from the keyboard.
	 * NULL (the booklet, which breaks tables across pages): no wrapper. */
	const char *table_label;
};

/*
 * Maps a repository path that a link or image names to the URL to publish.
 * `repo_path` is normalised ("content/studios/x.md", no "." or ".."
 * segments, percent-decoded, without "?query" or "#fragment"); `is_image`
 * is 1 for an image. Return the URL (the fragment and query of the link are
 * appended by this module), or NULL: with *why left NULL when the
 * repository has no such file, or set to the reason the file may not be
 * published (media_policy_check()), a phrase reported after the link
 * ("image 'a.png' is a Git LFS pointer; ..."). Both strings belong to the
 * resolver and must stay valid until md_parse() or md_render() returns.
 * Called from the rendering thread.
 */
struct md_resolver {
	const char *(*resolve)(void *ctx, const char *repo_path, int is_image,
			       const char **why);
	void *ctx;
};

/*
 * Most work (cells, counting the padding cmark-gfm adds, plus each row's
 * cells squared) that the tables of one body may cost; beyond it the body
 * is parsed without the table extension and a warning says so. Real tables
 * (ten columns, a thousand rows) stay far below.
 */
#define MD_MAX_TABLE_WORK 4000000

/*
 * cmark-gfm 0.29.0.gfm.6, the version in Debian 12, takes time quadratic in
 * the size of some bodies (27 s for 300 KB of "![[]()"). md_parse() checks
 * for them first, in one pass over the text, and refuses the body with a
 * content error at the line and column of the construct to blame when an
 * estimate of the library's work passes its limit. Each estimate is an
 * upper bound; each limit is about 50 ms of the library's time, which real
 * records do not come near (markdown_guard.c has the measurements).
 *
 * MD_MAX_BRACKET_WORK: links closed by ']' times the image openers '![' of
 * the paragraph before them (each link walks back over every image opener
 * still open). A paragraph of 2,000 images stays below it.
 */
#define MD_MAX_BRACKET_WORK 4000000
/* MD_MAX_HTML_SCAN: bytes read after each unfinished '<?', '<!' and a
 * letter, or '<![', up to the end of its paragraph (the scanners for
 * processing instructions, declarations and CDATA look for their end). */
#define MD_MAX_HTML_SCAN 64000000
/* MD_MAX_EMAIL_SCAN: for each '@', the bytes after it on its line (the
 * autolink extension reads on from each '@', and copies the rest of the
 * text for each address it finds: a line of 400 KB of "a@b.c " took 0.9 s
 * and 380 MB). */
#define MD_MAX_EMAIL_SCAN 16000000
/* MD_MAX_AUTOLINK_TRIM: for each ')' in a word after an autolink's start,
 * the bytes from that start (the autolink extension counts the link's
 * parentheses again for each trailing ')' it drops). */
#define MD_MAX_AUTOLINK_TRIM 64000000

/*
 * Whether a link or image destination (as in the tree: entities decoded)
 * is one md_parse() empties: javascript:, vbscript:, file:, or data: other
 * than data:image/png, gif, jpeg or webp; in any case, after leading
 * control characters and spaces, ignoring tabs and newlines, as browsers
 * read URLs.
 */
int md_url_is_dangerous(const char *url);

/* Longest id made from a heading's text, in bytes, before a "-N" suffix. */
#define MD_ID_MAX 96

/*
 * Parse the body `text` of the record at repository path `path` (e.g.
 * "content/cases/a.md"), whose first line is line `body_first_line` of the
 * file (cmark's line 1 is that line). Apply the safety rules of `opt` (NULL:
 * safe defaults), rewrite relative links and images through `res` (NULL:
 * leave them as written, report nothing) and give every heading its id (see
 * md_heading_id()).
 *
 * Store the document in *out, always, even when errors were reported; the
 * caller frees it with cmark_node_free(). The module keeps the user data of
 * heading nodes for their ids: do not set it. Returns 0, or -1 when content
 * errors were reported to `d`.
 */
int md_parse(const char *text, size_t len, const char *path,
	     unsigned body_first_line, const struct md_options *opt,
	     const struct md_resolver *res, struct diag *d,
	     struct cmark_node **out);

/*
 * Append the HTML of a document from md_parse() to `html`. Headings are
 * written as <hN id="...">. The tree is modified while rendering but is
 * exactly as before when this returns. `opt` must be the options the
 * document was parsed with (NULL: safe).
 */
void md_render_doc(struct cmark_node *doc, const struct md_options *opt,
		   struct buf *html);

/*
 * md_parse(), md_render_doc() and free: append the HTML of `text` to
 * `html`. Returns 0, or -1 when errors were reported to `d` (the HTML is
 * still complete, with the unresolved links left as written).
 */
int md_render(const char *text, size_t len, const char *path,
	      unsigned body_first_line, const struct md_options *opt,
	      const struct md_resolver *res, struct buf *html,
	      struct diag *d);

/*
 * The id of a heading node of a document from md_parse(): ASCII letters
 * lowercased, runs of spaces and punctuation turned into one '-', letters
 * and digits of other scripts (Chinese included) kept as UTF-8, trimmed of
 * '-', "section" when nothing is left, "-1", "-2"... added to repeats
 * within the document. Safe in an HTML attribute without escaping. NULL
 * for a node that is not such a heading. The tree owns the string.
 */
const char *md_heading_id(struct cmark_node *heading);

/*
 * Footnotes: md_render_doc() prints them as cmark-gfm would, but with ids
 * "fn-N" and "fnref-N" ("fnref-N-2" for a second reference), N the number
 * shown, and each run of definitions as a <section class="footnotes"> of
 * its own, where it stands: a document made of several bodies (a booklet)
 * has each body's notes after it. A footnote reference keeps a pointer to
 * its definition (its user data): free or move them together.
 */

/* The definition of footnote reference `ref`, NULL for any other node (or
 * a reference md_parse() did not number). */
struct cmark_node *md_footnote_def(struct cmark_node *ref);

/*
 * Prefix every id of a document from md_parse() with `prefix`, before it
 * shares a page with other bodies: its headings' ids (md_heading_id())
 * and its footnotes', and the document's own links to them ("#背景",
 * "#fn-1") follow. Ids stay unique on the page when each body's prefix
 * holds a character no heading id has (see md_heading_id(): e.g. ':') and
 * no prefix is another's beginning.
 */
void md_prefix_ids(struct cmark_node *doc, const char *prefix);

/* One heading, for a table of contents. */
struct md_heading {
	int level;  /* 1 to 6 */
	char *id;   /* as md_heading_id(); owned */
	char *text; /* plain text, white space collapsed; owned */
};

struct md_toc {
	struct md_heading *items;
	size_t len, cap;
};

#define MD_TOC_INIT { NULL, 0, 0 }

/* Append the headings of a document from md_parse() to `toc`, in document
 * order. */
void md_toc_collect(struct cmark_node *doc, struct md_toc *toc);
/* Free the headings and leave `toc` empty. */
void md_toc_release(struct md_toc *toc);

/*
 * Append to `out` the first `max_chars` characters (Unicode code points) of
 * the document's plain text, for summaries and search: white space
 * collapsed, blocks separated by a space, images, code blocks, footnotes
 * and raw HTML left out (in safe mode raw HTML is text by then, and kept,
 * as the reader sees it); "…" is added when the text was cut.
 */
void md_excerpt(struct cmark_node *doc, size_t max_chars, struct buf *out);

/*
 * As md_excerpt(), but only the text of paragraphs (at any depth: in
 * quotes and list items too): never headings, tables, code blocks, raw
 * HTML, footnotes or image alt text. What a description or a card's
 * excerpt is cut from (md_text_cut()), so that it reads as the record's
 * prose, not as "背景 成果 表格的表头".
 */
void md_prose_text(struct cmark_node *doc, size_t max_chars, struct buf *out);

/*
 * Whether code point `cp` is East Asian Wide, Fullwidth or Halfwidth and
 * not Hangul: the characters between which CSS Text 3 removes a segment
 * break (Chinese, Japanese kana, CJK punctuation and fullwidth forms).
 */
int md_cjk_wide(unsigned cp);

/*
 * Whether soft break `sb` (a CMARK_NODE_SOFTBREAK of a document) renders
 * as nothing: the characters on both sides of it, looking through
 * emphasis and links, satisfy md_cjk_wide(). Every other soft break is a
 * space. md_render_doc() and md_excerpt() follow it; so must anything else
 * that turns a document into text.
 */
int md_softbreak_removed(struct cmark_node *sb);

/*
 * Append to `out` the plain text `text` (from md_excerpt()) cut to at most
 * `max_chars` characters for a description or a card: after its last
 * sentence end within the limit (。！？；… or a Latin stop before a space,
 * with a closing quote that follows), or, when that would keep less than a
 * third, at the limit with "…". Text within the limit is kept whole.
 */
void md_text_cut(const char *text, size_t max_chars, struct buf *out);

#endif
