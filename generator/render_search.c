/*
 * render_search: the search index of the site (see search.h), made from the
 * plain text that the workers took from each record's body while rendering
 * it (part of the render module, see render.h). The records are added in
 * the model's order, not the workers', so that the files are the same from
 * one build to the next whatever the threads did.
 */
#include "render.h"
#include "render_internal.h"

#include "alloc.h"
#include "buf.h"
#include "diag.h"
#include "model.h"
#include "search.h"
#include "value.h"
#include "write.h"

#include <stdlib.h>
#include <string.h>

/* The record's year: its `year` field, else the year of its `date`. */
static int record_year(const struct record *r)
{
	const struct value *v = value_map_get(r->fields, "year");
	const char *date;

	if (v && v->kind == VALUE_INT)
		return (int)value_int_or(v, 0);
	date = value_str(value_map_get(r->fields, "date"));
	if (date && strlen(date) >= 4 && date[0] >= '1' && date[0] <= '9')
		return atoi(date);
	return 0;
}

int render_search_index(const struct model *m, struct record **records,
			char **texts, size_t count, struct writer *w,
			struct diag *d)
{
	struct search_index ix;
	struct buf text = BUF_INIT, out = BUF_INIT, path = BUF_INIT;
	const char **colls = xcalloc(m->ncollections * 2 + 1, sizeof(*colls));
	size_t ncolls = 0;
	int ret = 0;

	search_index_init(&ix);
	for (size_t i = 0; i < count; i++) {
		const struct record *r = records[i];
		const char *summary = value_str(value_map_get(r->fields, "summary"));
		const char *body = texts && texts[i] ? texts[i] : "";
		struct search_doc doc = {
			.url = r->url, .title = r->title,
			.collection = r->coll->name, .year = record_year(r),
			.excerpt = summary && *summary ? summary : body,
		};
		buf_reset(&text);
		buf_puts(&text, r->title ? r->title : "");
		buf_putc(&text, '\n');
		if (summary) {
			buf_puts(&text, summary);
			buf_putc(&text, '\n');
		}
		buf_puts(&text, body);
		search_index_add(&ix, &doc, text.ptr, text.len);
	}
	search_index_finish(&ix);

	for (size_t i = 0; i < m->ncollections; i++)
		if (m->collections[i].count) {
			colls[ncolls++] = m->collections[i].name;
			colls[ncolls++] = m->collections[i].label;
		}
	search_index_meta_json(&ix, colls, &out);
	if (write_file(w, RENDER_SEARCH_DIR "/meta.json", out.ptr, out.len, d) < 0)
		ret = -1;
	for (size_t k = 0; k < ix.nshards; k++) {
		buf_reset(&out);
		buf_reset(&path);
		search_index_shard_json(&ix, k, &out);
		buf_printf(&path, RENDER_SEARCH_DIR "/t/%zu.json", k);
		if (write_file(w, path.ptr, out.ptr, out.len, d) < 0)
			ret = -1;
	}
	for (size_t k = 0; k < search_index_chunks(&ix); k++) {
		buf_reset(&out);
		buf_reset(&path);
		search_index_chunk_json(&ix, k, &out);
		buf_printf(&path, RENDER_SEARCH_DIR "/d/%zu.json", k);
		if (write_file(w, path.ptr, out.ptr, out.len, d) < 0)
			ret = -1;
	}
	free(colls);
	buf_release(&text);
	buf_release(&out);
	buf_release(&path);
	search_index_release(&ix);
	return ret;
}
