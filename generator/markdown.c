/*
 * markdown: Markdown bodies to HTML through cmark-gfm; see markdown.h.
 *
 * md_parse() lets cmark-gfm build the tree, then walks it once to collect
 * the nodes it cares about and post-processes them: headings get ids (from
 * their text, before raw HTML is touched, so that ids do not depend on the
 * unsafe_html option), raw HTML becomes text in safe mode, and relative
 * link destinations are resolved. md_render_doc() swaps each heading for a
 * custom block around a custom inline that prints <hN id="...">, because
 * cmark-gfm's HTML renderer has no hook for heading attributes, and swaps
 * the headings back afterwards so the tree stays usable for the booklet.
 */
#include "markdown_internal.h"

#include "alloc.h"
#include "buf.h"
#include "diag.h"

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const md_extension_names[] = {
	"table", "strikethrough", "autolink", "tagfilter", "tasklist",
};

#define MD_PARSE_OPTIONS (CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8)

/*
 * Registration of the core extensions mutates global lists and is not
 * guarded inside cmark-gfm. The parse lock works around the global table of
 * special inline characters of cmark-gfm 0.29.0.gfm.6 (github/cmark-gfm
 * #176): each parse adds the characters of its inline extensions to that
 * table and removes them at the end, so a parse finishing on one thread
 * breaks strikethrough and autolinks of a parse running on another.
 * NEEDSWORK: drop the lock when Debian ships a cmark-gfm with per-parser
 * special characters.
 */
static pthread_once_t md_register_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t md_parse_lock = PTHREAD_MUTEX_INITIALIZER;

static void register_extensions(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

void md_nodelist_push(struct md_nodelist *l, cmark_node *n)
{
	if (l->len == l->cap) {
		l->cap = l->cap ? st_mult(l->cap, 2) : 16;
		l->v = xrealloc(l->v, st_mult(l->cap, sizeof(*l->v)));
	}
	l->v[l->len++] = n;
}

/* What md_parse() needs while post-processing one document. */
struct md_ctx {
	const char *text;
	size_t len;
	const char *path;
	unsigned first_line;
	const struct md_resolver *res;
	struct diag *d;
	cmark_mem *mem;
	size_t *line_starts; /* built on the first diagnostic */
	size_t nlines;
	/* The last column counted: links come in document order, so counting
	 * on from there keeps many links on one long line linear. */
	int col_line;
	size_t col_off;
	unsigned col_chars;
	int errors;
};

static cmark_node *parse_document(const char *text, size_t len, int tables)
{
	cmark_mem *mem = cmark_get_default_mem_allocator();
	cmark_node *doc;

	pthread_once(&md_register_once, register_extensions);
	pthread_mutex_lock(&md_parse_lock);
	cmark_parser *parser = cmark_parser_new_with_mem(MD_PARSE_OPTIONS, mem);
	for (size_t i = 0; i < sizeof(md_extension_names) / sizeof(*md_extension_names); i++) {
		cmark_syntax_extension *ext =
			cmark_find_syntax_extension(md_extension_names[i]);
		if (!ext)
			BUG("cmark-gfm extension '%s' is not registered",
			    md_extension_names[i]);
		if (!tables && !strcmp(md_extension_names[i], "table"))
			continue;
		cmark_parser_attach_syntax_extension(parser, ext);
	}
	if (len)
		cmark_parser_feed(parser, text, len);
	doc = cmark_parser_finish(parser);
	cmark_parser_free(parser);
	pthread_mutex_unlock(&md_parse_lock);
	return doc;
}

/* ---- positions ---------------------------------------------------------- */

static void build_line_index(struct md_ctx *c)
{
	size_t cap = 64;

	c->line_starts = xmalloc(st_mult(cap, sizeof(size_t)));
	c->line_starts[0] = 0;
	c->nlines = 1;
	for (size_t i = 0; i < c->len; i++) {
		if (c->text[i] != '\n' && c->text[i] != '\r')
			continue;
		if (c->text[i] == '\r' && i + 1 < c->len && c->text[i + 1] == '\n')
			i++;
		if (c->nlines == cap) {
			cap = st_mult(cap, 2);
			c->line_starts = xrealloc(c->line_starts,
						  st_mult(cap, sizeof(size_t)));
		}
		c->line_starts[c->nlines++] = i + 1;
	}
}

/* Bytes of body line `line` (1-based), without its line ending. */
static const char *body_line(struct md_ctx *c, int line, size_t *len)
{
	if (!c->line_starts)
		build_line_index(c);
	if (line < 1 || (size_t)line > c->nlines)
		return NULL;
	size_t start = c->line_starts[line - 1];
	size_t end = (size_t)line < c->nlines ? c->line_starts[line] : c->len;
	/* Without its line ending: "\n", "\r" or "\r\n". */
	if (end > start && c->text[end - 1] == '\n')
		end--;
	if (end > start && c->text[end - 1] == '\r')
		end--;
	*len = end - start;
	return c->text + start;
}

/* Whether link `n` is an autolink "<scheme:...>" or "<a@b.c>": its only
 * child is its URL as text (without "mailto:" for an address). */
static int is_autolink(cmark_node *n)
{
	cmark_node *text = cmark_node_first_child(n);
	const char *url = cmark_node_get_url(n), *lit;

	if (cmark_node_get_type(n) != CMARK_NODE_LINK || !url || !text ||
	    cmark_node_next(text) ||
	    cmark_node_get_type(text) != CMARK_NODE_TEXT ||
	    !(lit = cmark_node_get_literal(text)))
		return 0;
	return !strcmp(lit, url) ||
	       (!strncmp(url, "mailto:", 7) && !strcmp(lit, url + 7));
}

/* How far right of cmark's column link_position() looks for the '[' (the
 * indentation cmark stripped); beyond it the column is taken as given. */
#define MD_COLUMN_SLACK 1024

/*
 * The file line and column (in characters) where a link or image starts.
 * cmark-gfm 0.29 gives a link the line of its closing bracket and, on
 * continuation lines of a paragraph, columns that ignore the indentation
 * it stripped; so take the line of the first positioned descendant when it
 * is earlier, and slide the column right to the '[' or '!' that opens the
 * link, or the '<' of an autolink (and, on one line, whose end column
 * holds ')' or ']', or '>').
 */
static void link_position(struct md_ctx *c, cmark_node *n, unsigned *line,
			  unsigned *col)
{
	int l = cmark_node_get_start_line(n);
	int sc = cmark_node_get_start_column(n);
	int ec = cmark_node_get_end_column(n);
	cmark_iter *it = cmark_iter_new(n);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *k = cmark_iter_get_node(it);
		if (k != n && cmark_node_get_start_line(k) > 0) {
			if (cmark_node_get_start_line(k) < l)
				l = cmark_node_get_start_line(k);
			break;
		}
	}
	cmark_iter_free(it);
	int autolink = is_autolink(n);
	if (autolink) {
		/* Its own columns are off; its text's are right, inside the
		 * '<' and '>'. */
		cmark_node *text = cmark_node_first_child(n);
		if (cmark_node_get_start_line(text) == l &&
		    cmark_node_get_start_column(text) > 1) {
			sc = cmark_node_get_start_column(text) - 1;
			ec = cmark_node_get_end_column(text) + 1;
		}
	}
	int one_line = l == cmark_node_get_end_line(n) && ec > sc;

	*line = l > 0 ? c->first_line + (unsigned)l - 1 : c->first_line;
	*col = 0;
	size_t llen;
	const char *s = body_line(c, l, &llen);
	if (!s || sc < 1)
		return;
	char open = cmark_node_get_type(n) == CMARK_NODE_IMAGE ? '!' : '[';
	char close = ']';
	if (autolink) {
		open = '<';
		close = '>';
	}
	size_t base = (size_t)sc - 1, off = base;
	for (size_t shift = 0; base + shift < llen && shift < MD_COLUMN_SLACK;
	     shift++) {
		size_t end = (size_t)ec - 1 + shift;
		if (s[base + shift] != open)
			continue;
		if (one_line && (end >= llen || (s[end] != ')' && s[end] != close)))
			continue;
		off = base + shift;
		break;
	}
	if (off > llen)
		off = llen;
	size_t from = 0;
	unsigned chars = 1;
	if (c->col_line == l && off >= c->col_off) {
		from = c->col_off;
		chars = c->col_chars;
	}
	for (size_t i = from; i < off; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			chars++;
	c->col_line = l;
	c->col_off = off;
	c->col_chars = chars;
	*col = chars;
}

/* ---- links -------------------------------------------------------------- */

/* Whether a destination is resolved against the record's folder: not empty,
 * no URL scheme, not site-absolute ('/', '//') and not a bare fragment. */
static int is_relative_url(const char *url)
{
	if (!*url || *url == '/' || *url == '#' || *url == '?')
		return 0;
	if ((*url >= 'a' && *url <= 'z') || (*url >= 'A' && *url <= 'Z')) {
		const char *p = url + 1;
		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		       (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' ||
		       *p == '.')
			p++;
		if (*p == ':')
			return 0;
	}
	return 1;
}

/*
 * Resolve `rel` against the folder of the record at `record` into a
 * normalised repository path in `out`. Returns -1 if it climbs above the
 * repository's root.
 */
static int resolve_path(const char *record, const char *rel, struct buf *out)
{
	const char *slash = strrchr(record, '/');

	if (slash)
		buf_add(out, record, (size_t)(slash - record));
	while (*rel) {
		size_t n = strcspn(rel, "/");
		if (n == 2 && rel[0] == '.' && rel[1] == '.') {
			if (!out->len)
				return -1;
			char *up = memrchr(out->ptr, '/', out->len);
			buf_truncate(out, up ? (size_t)(up - out->ptr) : 0);
		} else if (n && !(n == 1 && rel[0] == '.')) {
			if (out->len)
				buf_putc(out, '/');
			buf_add(out, rel, n);
		}
		rel += n;
		if (*rel == '/')
			rel++;
	}
	return 0;
}

static void rewrite_link(struct md_ctx *c, cmark_node *n)
{
	const char *url = cmark_node_get_url(n);
	int is_image = cmark_node_get_type(n) == CMARK_NODE_IMAGE;
	const char *what = is_image ? "image" : "link to";
	struct buf decoded = BUF_INIT, repo = BUF_INIT, final = BUF_INIT;
	const char *target, *why = NULL;
	unsigned line, col;

	if (!url || !is_relative_url(url))
		return;
	/* Split off "?query#fragment" before decoding, so that an encoded
	 * '#' (%23) stays part of the file name. */
	size_t plen = strcspn(url, "?#");
	if (!plen)
		return;
	if (buf_add_percent_decoded(&decoded, url, plen) < 0) {
		link_position(c, n, &line, &col);
		diag_error(c->d, c->path, line, col,
			   "%s '%s' contains an encoded NUL byte", what, url);
		c->errors++;
		goto cleanup;
	}
	if (resolve_path(c->path, decoded.ptr, &repo) < 0) {
		link_position(c, n, &line, &col);
		diag_error(c->d, c->path, line, col,
			   "%s '%s' points outside the repository", what, url);
		c->errors++;
		goto cleanup;
	}
	target = c->res->resolve(c->res->ctx, repo.ptr, is_image, &why);
	if (!target) {
		link_position(c, n, &line, &col);
		if (why)
			diag_error(c->d, c->path, line, col, "%s '%s' %s", what,
				   url, why);
		else
			diag_error(c->d, c->path, line, col,
				   "%s '%s' points to a missing file '%s'", what,
				   url, repo.ptr);
		c->errors++;
		goto cleanup;
	}
	buf_puts(&final, target);
	buf_puts(&final, url + plen);
	cmark_node_set_url(n, final.ptr);
cleanup:
	buf_release(&decoded);
	buf_release(&repo);
	buf_release(&final);
}

/* ---- dangerous URL schemes ---------------------------------------------- */

/*
 * cmark-gfm leaves these URLs out of its HTML only without
 * CMARK_OPT_UNSAFE (its scan_dangerous_url), and never out of the tree
 * that the booklet reads; so md_parse() empties them itself, whatever
 * unsafe_html says: a link that runs script or opens the reader's files is
 * never what a record means, while raw HTML is the site's own choice.
 */
static const char *const md_dangerous_schemes[] = {
	"javascript:", "vbscript:", "file:", "data:",
};
/* data: URLs that are images, as cmark-gfm allows them. */
static const char *const md_data_images[] = {
	"data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp",
};

int md_url_is_dangerous(const char *url)
{
	const unsigned char *p = (const unsigned char *)url;
	char head[32];
	size_t n = 0;

	/* Read the start as a browser does: leading C0 controls and spaces
	 * dropped, ASCII tabs and newlines anywhere ignored (the URL
	 * standard), letters in any case. Entities (&#106;) are decoded in
	 * the tree already. */
	while (*p && *p <= 0x20)
		p++;
	for (; *p && n < sizeof(head) - 1; p++) {
		if (*p == '\t' || *p == '\n' || *p == '\r')
			continue;
		head[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	}
	head[n] = '\0';
	for (size_t i = 0; i < sizeof(md_data_images) / sizeof(*md_data_images); i++)
		if (!strncmp(head, md_data_images[i], strlen(md_data_images[i])))
			return 0;
	for (size_t i = 0; i < sizeof(md_dangerous_schemes) / sizeof(*md_dangerous_schemes); i++)
		if (!strncmp(head, md_dangerous_schemes[i],
			     strlen(md_dangerous_schemes[i])))
			return 1;
	return 0;
}

/* Longest part of a URL quoted in a warning, in bytes. */
#define MD_URL_QUOTE 60

/* Empty the destination of link or image `n` if it is dangerous, with a
 * warning; returns whether it did. */
static int disarm_url(struct md_ctx *c, cmark_node *n)
{
	const char *url = cmark_node_get_url(n);
	struct buf quote = BUF_INIT;
	unsigned line, col;

	if (!url || !md_url_is_dangerous(url))
		return 0;
	if (c->d) {
		size_t len = strlen(url);
		if (len > MD_URL_QUOTE) {
			len = MD_URL_QUOTE;
			while (len && ((unsigned char)url[len] & 0xC0) == 0x80)
				len--;
		}
		/* Control characters shown escaped, not sent to the
		 * terminal. */
		for (size_t i = 0; i < len; i++) {
			unsigned char ch = (unsigned char)url[i];
			if (ch < 0x20 || ch == 0x7F)
				buf_printf(&quote, "\\x%02X", ch);
			else
				buf_putc(&quote, (char)ch);
		}
		if (url[len])
			buf_puts(&quote, "...");
		link_position(c, n, &line, &col);
		diag_warning(c->d, c->path, line, col,
			     "%s '%s' left out: such URLs can run script or "
			     "open the reader's files; link to a web page or "
			     "to a file in the repository",
			     cmark_node_get_type(n) == CMARK_NODE_IMAGE ?
			     "image" : "link to", quote.ptr);
		buf_release(&quote);
	}
	cmark_node_set_url(n, "");
	return 1;
}

/* ---- raw HTML in safe mode ---------------------------------------------- */

/* Whether raw HTML is one comment and nothing else (trailing blanks aside). */
static int is_html_comment(const char *s)
{
	size_t len = strlen(s);

	while (len && strchr(" \t\r\n", s[len - 1]))
		len--;
	if (len < 7 || strncmp(s, "<!--", 4) != 0)
		return 0;
	const char *end = strstr(s + 4, "-->");
	return end && (size_t)(end - s) + 3 == len;
}

/* Replace a raw HTML node by its source as text, so that the reader sees
 * it escaped; comments disappear. */
static void neutralise_html(struct md_ctx *c, cmark_node *n)
{
	const char *lit = cmark_node_get_literal(n);

	if (!lit || is_html_comment(lit)) {
		cmark_node_unlink(n);
		cmark_node_free(n);
		return;
	}
	if (cmark_node_get_type(n) == CMARK_NODE_HTML_INLINE) {
		cmark_node *t = cmark_node_new_with_mem(CMARK_NODE_TEXT, c->mem);
		cmark_node_set_literal(t, lit);
		cmark_node_replace(n, t);
		cmark_node_free(n);
		return;
	}
	/* A block: one paragraph, its lines kept apart by hard breaks. */
	cmark_node *p = cmark_node_new_with_mem(CMARK_NODE_PARAGRAPH, c->mem);
	size_t len = strlen(lit);
	while (len && strchr(" \t\r\n", lit[len - 1]))
		len--;
	for (size_t i = 0; i < len;) {
		size_t n_line = strcspn(lit + i, "\r\n");
		if (i + n_line > len)
			n_line = len - i;
		if (cmark_node_first_child(p))
			cmark_node_append_child(
				p, cmark_node_new_with_mem(CMARK_NODE_LINEBREAK, c->mem));
		char *line = xstrndup(lit + i, n_line);
		cmark_node *t = cmark_node_new_with_mem(CMARK_NODE_TEXT, c->mem);
		cmark_node_set_literal(t, line);
		cmark_node_append_child(p, t);
		free(line);
		i += n_line;
		if (i < len && lit[i] == '\r')
			i++;
		if (i < len && lit[i] == '\n')
			i++;
	}
	cmark_node_replace(n, p);
	cmark_node_free(n);
}

/* ---- bodies cmark-gfm would take too long over -------------------------- */

/* The file line and column (in characters) of byte `offset` of the body. */
static void offset_position(struct md_ctx *c, size_t offset, unsigned *line,
			    unsigned *col)
{
	size_t lo = 0, hi, chars = 1;

	if (!c->line_starts)
		build_line_index(c);
	hi = c->nlines;
	while (hi - lo > 1) { /* the last line that starts at or before it */
		size_t mid = lo + (hi - lo) / 2;
		if (c->line_starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	for (size_t i = c->line_starts[lo]; i < offset && i < c->len; i++)
		if (((unsigned char)c->text[i] & 0xC0) != 0x80)
			chars++;
	*line = c->first_line + (unsigned)lo;
	*col = (unsigned)chars;
}

/* Report why md_guard_check() refused the body. */
static void report_guard(struct md_ctx *c, const struct md_guard *g)
{
	unsigned line, col;

	if (!c->d)
		return;
	offset_position(c, g->offset, &line, &col);
	switch (g->kind) {
	case MD_GUARD_BRACKETS:
		diag_error(c->d, c->path, line, col,
			   "too many '![' before this ']' in one paragraph "
			   "(%zu): the Markdown parser slows down quadratically "
			   "on unfinished images; finish each as ![text](file), "
			   "write '\\![' for a literal one, or split the "
			   "paragraph with blank lines", g->count);
		break;
	case MD_GUARD_HTML:
		diag_error(c->d, c->path, line, col,
			   "too many unfinished '<?', '<!' or '<![CDATA[' in "
			   "one paragraph (%zu, the first here): the Markdown "
			   "parser slows down quadratically on them; write "
			   "'\\<' for a literal '<', or split the paragraph "
			   "with blank lines", g->count);
		break;
	case MD_GUARD_EMAIL:
		diag_error(c->d, c->path, line, col,
			   "too many '@' on one line (%zu, the first here): "
			   "looking for e-mail addresses, the Markdown parser "
			   "reads and copies the rest of the line for each; "
			   "break the line", g->count);
		break;
	case MD_GUARD_AUTOLINK:
		diag_error(c->d, c->path, line, col,
			   "too many ')' after this link's start, with no "
			   "space (%zu): the Markdown parser slows down "
			   "quadratically on them; put a space after the link",
			   g->count);
		break;
	case MD_GUARD_NONE:
		BUG("md_guard_check failed without a reason");
	}
}

int md_parse(const char *text, size_t len, const char *path,
	     unsigned body_first_line, const struct md_options *opt,
	     const struct md_resolver *res, struct diag *d,
	     struct cmark_node **out)
{
	struct md_ctx c = {
		.text = text ? text : "",
		.len = text ? len : 0,
		.path = path,
		.first_line = body_first_line ? body_first_line : 1,
		.res = res && res->resolve ? res : NULL,
		.d = d,
		.mem = cmark_get_default_mem_allocator(),
	};
	struct md_nodelist headings = { 0 }, html = { 0 }, links = { 0 };
	struct md_idset ids = { 0 };
	int unsafe = opt && opt->unsafe_html;
	struct md_guard guard;
	size_t table_line;
	int tables;
	cmark_node *doc;
	cmark_iter *it;
	cmark_event_type ev;

	if (md_guard_check(c.text, c.len, &guard) < 0) {
		/* Never hand it to cmark-gfm: an empty document instead. */
		report_guard(&c, &guard);
		free(c.line_starts);
		*out = cmark_node_new_with_mem(CMARK_NODE_DOCUMENT, c.mem);
		return -1;
	}
	tables = md_table_work(c.text, c.len, &table_line) <= MD_MAX_TABLE_WORK;
	doc = parse_document(c.text, c.len, tables);
	it = cmark_iter_new(doc);

	/* Collect first: the tree must not change under the iterator. */
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_HEADING:
			md_nodelist_push(&headings, n);
			break;
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
			if (!unsafe)
				md_nodelist_push(&html, n);
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			md_nodelist_push(&links, n);
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);

	if (!tables && d)
		diag_warning(d, path, c.first_line + (unsigned)table_line, 1,
			     "table too large to render (over %d cells, "
			     "counting padding, or rows of too many cells): "
			     "the record's tables are shown as text; split it "
			     "or give it fewer columns", MD_MAX_TABLE_WORK);
	for (size_t i = 0; i < headings.len; i++)
		md_assign_heading_id(&ids, headings.v[i]);
	if (memmem(c.text, c.len, "[^", 2))
		md_notes_number(doc);
	for (size_t i = 0; i < html.len; i++)
		neutralise_html(&c, html.v[i]);
	for (size_t i = 0; i < links.len; i++) {
		if (disarm_url(&c, links.v[i]))
			continue;
		if (c.res)
			rewrite_link(&c, links.v[i]);
	}

	free(headings.v);
	free(html.v);
	free(links.v);
	md_idset_release(&ids);
	free(c.line_starts);
	*out = doc;
	return c.errors ? -1 : 0;
}

/* ---- render ------------------------------------------------------------- */


/* Each table of `tables` into a custom block that prints the scrolling
 * region around it (see struct md_options); unwrap_tables() undoes it. */
static void wrap_tables(struct md_nodelist *tables, const char *label,
			cmark_mem *mem)
{
	struct buf s = BUF_INIT;

	if (!label)
		return;
	buf_puts(&s, "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"");
	buf_add_html_escaped(&s, label, strlen(label));
	buf_puts(&s, "\">");
	for (size_t i = 0; i < tables->len; i++) {
		cmark_node *t = tables->v[i];
		cmark_node *block = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, mem);
		cmark_node_set_on_enter(block, s.ptr);
		cmark_node_set_on_exit(block, "</div>");
		if (!cmark_node_replace(t, block))
			BUG("cmark-gfm refused a custom block in place of a table");
		cmark_node_append_child(block, t);
	}
	buf_release(&s);
}

static void unwrap_tables(struct md_nodelist *tables)
{
	for (size_t i = 0; i < tables->len; i++) {
		cmark_node *t = tables->v[i];
		cmark_node *block = cmark_node_parent(t);
		cmark_node_unlink(t);
		cmark_node_replace(block, t);
		cmark_node_free(block);
	}
	free(tables->v);
}

void md_render_doc(struct cmark_node *doc, const struct md_options *opt,
		   struct buf *html)
{
	cmark_mem *mem = cmark_get_default_mem_allocator();
	struct md_nodelist headings = { 0 }, wrappers = { 0 }, tables = { 0 },
			   images = { 0 }, pictures = { 0 };
	cmark_llist *exts = NULL;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	/* Column alignment as style="text-align: …", not the align
	 * attribute that HTML5 made obsolete. */
	int options = (opt && opt->unsafe_html ? CMARK_OPT_UNSAFE : 0) |
		      CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES;

	pthread_once(&md_register_once, register_extensions);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && md_heading_id(n))
			md_nodelist_push(&headings, n);
		else if (ev == CMARK_EVENT_ENTER && opt && opt->table_label &&
			 !strcmp(cmark_node_get_type_string(n), "table"))
			md_nodelist_push(&tables, n);
		else if (ev == CMARK_EVENT_ENTER && opt && opt->image_html &&
			 cmark_node_get_type(n) == CMARK_NODE_IMAGE)
			md_nodelist_push(&images, n);
	}
	cmark_iter_free(it);
	wrap_tables(&tables, opt ? opt->table_label : NULL, mem);
	/* The caller's markup for images, as custom inlines (printed as
	 * they are) in their place until the HTML is made. */
	for (size_t i = 0; i < images.len; i++)
		md_nodelist_push(&pictures, md_image_swap(images.v[i], opt, mem));

	/* A custom block prints its own text plus line breaks around it; the
	 * tag therefore sits on a custom inline inside it, which prints its
	 * text verbatim, whatever CMARK_OPT_UNSAFE says. */
	for (size_t i = 0; i < headings.len; i++) {
		cmark_node *h = headings.v[i], *child;
		cmark_node *block = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, mem);
		cmark_node *tag = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_INLINE, mem);
		int level = cmark_node_get_heading_level(h);
		struct buf s = BUF_INIT;

		buf_printf(&s, "<h%d id=\"", level);
		const char *id = md_heading_id(h);
		buf_add_html_escaped(&s, id, strlen(id));
		buf_puts(&s, "\">");
		cmark_node_set_on_enter(tag, s.ptr);
		buf_reset(&s);
		buf_printf(&s, "</h%d>", level);
		cmark_node_set_on_exit(tag, s.ptr);
		buf_release(&s);
		cmark_node_append_child(block, tag);
		while ((child = cmark_node_first_child(h))) {
			cmark_node_unlink(child);
			cmark_node_append_child(tag, child);
		}
		if (!cmark_node_replace(h, block))
			BUG("cmark-gfm refused a custom block in place of a heading");
		md_nodelist_push(&wrappers, block);
	}

	/* Only tagfilter acts through this list; the other extensions render
	 * through their nodes. */
	for (size_t i = 0; i < sizeof(md_extension_names) / sizeof(*md_extension_names); i++)
		exts = cmark_llist_append(mem, exts,
					  cmark_find_syntax_extension(md_extension_names[i]));
	/* Footnotes print with ids of our own (markdown_notes.c), soft
	 * breaks between Chinese characters as nothing. */
	struct md_swapped notes;
	struct md_unlinked breaks;
	md_notes_swap(doc, &notes);
	md_cjk_breaks_unlink(doc, &breaks);
	char *s = cmark_render_html_with_mem(doc, options, exts, mem);
	md_cjk_breaks_restore(&breaks);
	md_notes_restore(&notes);
	buf_puts(html, s);
	mem->free(s);
	cmark_llist_free(mem, exts);

	for (size_t i = 0; i < wrappers.len; i++) {
		cmark_node *block = wrappers.v[i], *h = headings.v[i], *child;
		cmark_node *tag = cmark_node_first_child(block);
		while ((child = cmark_node_first_child(tag))) {
			cmark_node_unlink(child);
			cmark_node_append_child(h, child);
		}
		cmark_node_replace(block, h);
		cmark_node_free(block);
	}
	for (size_t i = 0; i < images.len; i++)
		if (pictures.v[i]) {
			cmark_node_replace(pictures.v[i], images.v[i]);
			cmark_node_free(pictures.v[i]);
		}
	free(headings.v);
	free(wrappers.v);
	unwrap_tables(&tables);
	free(images.v);
	free(pictures.v);
}

int md_render(const char *text, size_t len, const char *path,
	      unsigned body_first_line, const struct md_options *opt,
	      const struct md_resolver *res, struct buf *html,
	      struct diag *d)
{
	struct cmark_node *doc;
	int rc = md_parse(text, len, path, body_first_line, opt, res, d, &doc);

	md_render_doc(doc, opt, html);
	cmark_node_free(doc);
	return rc;
}

/* ---- table of contents and excerpts ------------------------------------- */
