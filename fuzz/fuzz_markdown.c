/*
 * fuzz_markdown: the input as the Markdown body of a record, rendered to
 * HTML as the build renders it.
 *
 * The first byte holds flags: bit 0 turns on unsafe_html (raw HTML passes
 * through), bit 1 also walks the parsed document the way the site and the
 * booklet do (table of contents, excerpt, md_render_doc twice, which must
 * give the same HTML since rendering leaves the tree as it was) and checks
 * that no link or image kept a dangerous URL. The
 * resolver accepts some repository paths and rejects the others, so both
 * rewritten links and "not found" diagnostics are exercised.
 */
#include "fuzz.h"

#include "buf.h"
#include "diag.h"
#include "markdown.h"

#include <cmark-gfm.h>

#include <string.h>

#define RECORD "content/cases/fuzz.md"

struct fake_repo {
	struct buf url; /* the last URL returned; valid until the next call */
};

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !memcmp(s + n - m, suffix, m);
}

/* Records under content/ and images with a picture extension exist;
 * anything else (and every path holding "missing") does not; a path with
 * a hidden segment is refused, as the media policy would. */
static const char *fake_resolve(void *ctx, const char *repo_path, int is_image,
				const char **why)
{
	struct fake_repo *r = ctx;
	*why = NULL;
	if (strstr(repo_path, "missing"))
		return NULL;
	if (repo_path[0] == '.' || strstr(repo_path, "/.")) {
		*why = "is a hidden file";
		return NULL;
	}
	buf_reset(&r->url);
	if (is_image || ends_with(repo_path, ".jpg") ||
	    ends_with(repo_path, ".png")) {
		if (!ends_with(repo_path, ".jpg") && !ends_with(repo_path, ".png"))
			return NULL;
		buf_printf(&r->url, "/media/%s", repo_path);
		return r->url.ptr;
	}
	if (!strncmp(repo_path, "content/", 8) && ends_with(repo_path, ".md")) {
		buf_add(&r->url, repo_path + 7, strlen(repo_path) - 10);
		buf_putc(&r->url, '/');
		return r->url.ptr;
	}
	return NULL;
}

/* No link or image keeps a javascript:, vbscript:, file: or non-image
 * data: destination, whatever the unsafe_html flag. */
static void check_urls(struct cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev == CMARK_EVENT_ENTER &&
		    (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) &&
		    md_url_is_dangerous(cmark_node_get_url(n)))
			abort(); /* a dangerous URL kept */
	}
	cmark_iter_free(it);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fake_repo repo = { BUF_INIT };
	struct md_resolver res = { fake_resolve, &repo };
	struct md_options opt = { 0 };
	struct buf html = BUF_INIT, again = BUF_INIT, excerpt = BUF_INIT;
	struct md_toc toc = MD_TOC_INIT;
	struct cmark_node *doc = NULL;
	const char *text;
	unsigned flags;
	struct diag d;

	if (!size)
		return 0;
	flags = data[0];
	text = (const char *)data + 1;
	size--;
	opt.unsafe_html = flags & 1;
	diag_init(&d);

	md_render(text, size, RECORD, 5, &opt, &res, &html, &d);
	if (flags & 2) {
		md_parse(text, size, RECORD, 5, &opt, &res, &d, &doc);
		check_urls(doc);
		md_toc_collect(doc, &toc);
		for (size_t i = 0; i < toc.len; i++)
			if (toc.items[i].level < 1 || toc.items[i].level > 6 ||
			    !toc.items[i].id || !*toc.items[i].id)
				abort(); /* headings have levels and ids */
		md_excerpt(doc, 120, &excerpt);
		buf_reset(&html);
		md_render_doc(doc, &opt, &html);
		md_render_doc(doc, &opt, &again);
		if (html.len != again.len || memcmp(html.ptr, again.ptr, html.len))
			abort(); /* rendering changed the tree */
		cmark_node_free(doc);
	}

	diag_flush(&d, fuzz_devnull());
	diag_release(&d);
	md_toc_release(&toc);
	buf_release(&excerpt);
	buf_release(&again);
	buf_release(&html);
	buf_release(&repo.url);
	return 0;
}
