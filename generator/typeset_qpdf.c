/*
 * typeset_qpdf: the rewrite pass after Cairo, with libqpdf.
 *
 * Cairo 1.16 reserves cross-reference entries for objects it never writes
 * (hundreds in a long booklet), so strict checkers (`qpdf --check`, print
 * shops' preflight tools) call every booklet damaged. qpdf reads Cairo's
 * bytes, rebuilds the table and writes the file again, clean. (Without
 * object streams, which would save a tenth of the size but leave the
 * objects unreadable to grep and to older preflight tools.) On the way it sets what Cairo has no API for,
 * in the document catalog:
 *   /Lang (zh-CN)               screen readers and text extraction
 *   /PageMode /UseOutlines      the viewer opens with the bookmarks shown
 *   /PageLabels                 the viewer's page numbers are the printed
 *                               folios: 封面, i, ii, …, then 1, 2, …
 *   /ViewerPreferences          the window shows the title, not a file name
 *   /PageLayout /TwoPageRight   two-sided booklets only: shown as spreads,
 *                               the cover alone on the right, as printed
 * The /ID is derived from the content (qpdf's deterministic ID), so equal
 * input still gives equal bytes.
 *
 * Why libqpdf: it is packaged in Debian 12 (libqpdf-dev, the same library
 * as the `qpdf` command the tests check with), has a stable C API
 * (qpdf-c.h), repairs exactly this class of damage, and never re-encodes
 * fonts or images. The alternatives were weaker for this: poppler's and
 * mupdf's writers are not a stable C API in Debian, and patching the xref
 * ourselves would be guessing at Cairo's private layout.
 */
#include "typeset_internal.h"

#include <qpdf/qpdf-c.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"

/* Lower-case roman numerals, for the front matter's folios. */
void ts_roman(int n, char *out, size_t size)
{
	static const struct { int v; const char *s; } r[] = {
		{ 1000, "m" }, { 900, "cm" }, { 500, "d" }, { 400, "cd" }, { 100, "c" },
		{ 90, "xc" }, { 50, "l" }, { 40, "xl" }, { 10, "x" }, { 9, "ix" },
		{ 5, "v" }, { 4, "iv" }, { 1, "i" },
	};
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]) && n > 0; i++)
		while (n >= r[i].v && len + strlen(r[i].s) < size) {
			strcpy(out + len, r[i].s);
			len += strlen(r[i].s);
			n -= r[i].v;
		}
}

/* Kind of folio of a page: 0 cover, 1 roman, 2 arabic, 3 none. */
static int folio_kind(const struct ts_page *pg)
{
	return pg->cover ? 0 : pg->roman ? 1 : pg->number ? 2 : 3;
}

static int folio_value(const struct ts_page *pg)
{
	return pg->roman ? pg->roman : pg->number;
}

/* The /PageLabels number tree: a new range wherever the kind of folio
 * changes or the numbers do not follow on. */
static void page_labels(const struct ts_doc *doc, struct buf *out)
{
	buf_puts(out, "<< /Nums [");
	for (size_t p = 0; p < doc->pages.len; p++) {
		const struct ts_page *pg = &doc->pages.v[p], *prev = p ? pg - 1 : NULL;
		int kind = folio_kind(pg);
		if (prev && folio_kind(prev) == kind &&
		    (kind == 0 || kind == 3 || folio_value(prev) + 1 == folio_value(pg)))
			continue;
		switch (kind) {
		case 0: /* 封面 */
			buf_printf(out, " %zu << /P <FEFF5C019762> >>", p);
			break;
		case 1:
			buf_printf(out, " %zu << /S /r /St %d >>", p, pg->roman);
			break;
		case 2:
			buf_printf(out, " %zu << /S /D /St %d >>", p, pg->number);
			break;
		default: /* unnumbered: an empty label rather than a wrong one */
			buf_printf(out, " %zu << /P () >>", p);
			break;
		}
	}
	buf_puts(out, " ] >>");
}

static void set_key(qpdf_data q, qpdf_oh dict, const char *key, const char *value)
{
	qpdf_oh v = qpdf_oh_parse(q, value);
	qpdf_oh_replace_key(q, dict, key, v);
	qpdf_oh_release(q, v);
}

int ts_pdf_rewrite(const struct ts_doc *doc, struct buf *pdf, struct buf *err)
{
	qpdf_data q = qpdf_init();
	struct buf labels = BUF_INIT;
	int rc = -1;

	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
	if (qpdf_read_memory(q, "booklet.pdf", pdf->ptr, pdf->len, NULL) & QPDF_ERRORS)
		goto cleanup;
	qpdf_oh root = qpdf_get_root(q);
	set_key(q, root, "/Lang", "(zh-CN)");
	set_key(q, root, "/PageMode", "/UseOutlines");
	set_key(q, root, "/ViewerPreferences", "<< /DisplayDocTitle true >>");
	if (doc->info && doc->info->two_sided)
		set_key(q, root, "/PageLayout", "/TwoPageRight");
	page_labels(doc, &labels);
	set_key(q, root, "/PageLabels", labels.ptr);
	qpdf_oh_release(q, root);

	if (qpdf_init_write_memory(q) & QPDF_ERRORS)
		goto cleanup;
	qpdf_set_deterministic_ID(q, QPDF_TRUE);
	qpdf_set_object_stream_mode(q, qpdf_o_disable);
	if (qpdf_write(q) & QPDF_ERRORS)
		goto cleanup;
	buf_reset(pdf);
	buf_add(pdf, qpdf_get_buffer(q), qpdf_get_buffer_length(q));
	rc = 0;
cleanup:
	if (rc && qpdf_has_error(q))
		buf_puts(err, qpdf_get_error_full_text(q, qpdf_get_error(q)));
	else if (rc)
		buf_puts(err, "qpdf failed");
	while (qpdf_more_warnings(q))
		qpdf_next_warning(q); /* Cairo's xref: repaired, not news */
	buf_release(&labels);
	qpdf_cleanup(&q);
	return rc;
}
