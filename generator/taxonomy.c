/*
 * taxonomy: see taxonomy.h.
 */
#include "taxonomy.h"

#include "arena.h"
#include "collate.h"
#include "buf.h"
#include "model.h"
#include "schema.h"
#include "site.h"
#include "strmap.h"
#include "value.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *taxonomy_term_text(const struct schema_field *f,
			       const struct value *v, char tmp[32])
{
	const struct schema_field *t = f->type == SCHEMA_LIST ? f->item : f;

	if (!v)
		return NULL;
	if (v->kind == VALUE_INT) {
		snprintf(tmp, 32, "%lld", v->u.integer);
		return tmp;
	}
	if (v->kind != VALUE_STRING || !v->u.str.len)
		return NULL;
	if (t && t->type == SCHEMA_DATE) {
		/* The figures' year rule: a date's year (schema-checked
		 * YYYY-MM-DD). */
		if (v->u.str.len < 4)
			return NULL;
		memcpy(tmp, v->u.str.ptr, 4);
		tmp[4] = '\0';
		return tmp;
	}
	return v->u.str.ptr;
}

const char *taxonomy_name(const struct collection *c,
			  const struct schema_field *f)
{
	const struct schema_field *year;

	if (!f->taxonomy)
		return NULL;
	if (f->type != SCHEMA_DATE)
		return f->name;
	year = schema_field_find(c->schema, "year");
	return year && year->taxonomy ? NULL : "year";
}

static int segment_byte_kept(unsigned char ch)
{
	return ch >= 0x80 || (ch >= 'a' && ch <= 'z') ||
	       (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '-' || ch == '_';
}

/* The folder name of a term (see taxonomy.h). */
void taxonomy_segment(struct buf *out, const char *term)
{
	size_t start = out->len, len = strlen(term);
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)term[i];
		h = (h ^ ch) * 1099511628211ULL;
		if (segment_byte_kept(ch))
			buf_putc(out, ch);
		else
			buf_printf(out, "%%%02X", ch);
	}
	if (out->len - start > TAXONOMY_MAX_SEGMENT) {
		size_t cut = start + TAXONOMY_MAX_SEGMENT - 20;
		/* Not inside a character, nor inside a %XX escape. */
		while (cut > start && ((out->ptr[cut] & 0xC0) == 0x80 ||
				       (cut >= start + 1 && out->ptr[cut - 1] == '%') ||
				       (cut >= start + 2 && out->ptr[cut - 2] == '%')))
			cut--;
		buf_truncate(out, cut);
		buf_printf(out, "~%016llx", (unsigned long long)h);
	}
}

/* Percent-encode `s` for an href: every byte but unreserved ASCII. */
void taxonomy_href(struct buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch < 0x80 && (segment_byte_kept(ch) || ch == '.' || ch == '~'))
			buf_putc(out, ch);
		else
			buf_printf(out, "%%%02X", ch);
	}
}

const char *taxonomy_term_url(struct arena *a, const struct collection *c,
			      const struct schema_field *f, const char *term)
{
	const char *name = taxonomy_name(c, f);
	struct buf seg = BUF_INIT, url = BUF_INIT;
	const char *ret;

	if (!name)
		return NULL;
	taxonomy_segment(&seg, term);
	buf_printf(&url, "%sby-%s/", c->url, name);
	taxonomy_href(&url, seg.ptr);
	buf_putc(&url, '/');
	ret = arena_strndup(a, url.ptr, url.len);
	buf_release(&seg);
	buf_release(&url);
	return ret;
}

static void term_add(struct arena *a, struct taxonomy_term *t,
		     struct record *r)
{
	/* A list naming one term twice lists the record once. */
	if (t->count && t->records[t->count - 1] == r)
		return;
	if (t->count == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 8;
		t->records = arena_grow_array(a, t->records, t->count, cap,
					      sizeof(*t->records));
		t->cap = cap;
	}
	t->records[t->count++] = r;
}

static const struct schema_field *term_def(const struct taxonomy_field *tf)
{
	return tf->field->type == SCHEMA_LIST ? tf->field->item : tf->field;
}

static size_t enum_rank(const struct schema_field *f, const char *term)
{
	for (size_t i = 0; f->type == SCHEMA_ENUM && i < f->nvalues; i++)
		if (!strcmp(f->values[i], term))
			return i;
	return (size_t)-1;
}

/* qsort has no context; taxonomy_build() runs on one thread. */
static const struct schema_field *sorting;
static struct collate *sorting_collate;

static int compare_terms(const void *pa, const void *pb)
{
	const struct taxonomy_term *a = pa, *b = pb;
	size_t ra, rb;

	if (sorting->type == SCHEMA_INTEGER || sorting->type == SCHEMA_DATE) {
		long long x = atoll(a->text), y = atoll(b->text);
		if (x != y)
			return x > y ? -1 : 1;
	}
	ra = enum_rank(sorting, a->text);
	rb = enum_rank(sorting, b->text);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	/* Text in pinyin order (甘州, 广西, 湖南, 济源, 金坛), bytes last so
	 * that the order never depends on qsort. */
	int c = collate_compare(sorting_collate, a->text, b->text);
	return c ? c : strcmp(a->text, b->text);
}

static void index_field(struct taxonomy_field *tf, struct arena *a,
			const struct model *m)
{
	const struct collection *c = tf->coll;
	const struct schema_field *f = tf->field;
	const struct schema_field *def = term_def(tf);
	struct strmap at = STRMAP_INIT;
	struct taxonomy_term *terms = NULL;
	size_t n = 0, cap = 0;

	for (size_t k = 0; k < c->count; k++) {
		struct record *r = c->records[k];
		const struct value *v = value_map_get(r->fields, f->name);
		size_t items = !v ? 0 : v->kind == VALUE_LIST ? v->u.list.len : 1;
		for (size_t i = 0; i < items; i++) {
			char tmp[32];
			const char *t = taxonomy_term_text(f, v->kind == VALUE_LIST
				? v->u.list.items[i] : v, tmp);
			size_t idx;
			if (!t)
				continue;
			idx = (size_t)(uintptr_t)strmap_get(&at, t);
			if (!idx) {
				if (n == cap) {
					size_t ncap = cap ? cap * 2 : 16;
					terms = arena_grow_array(a, terms, n, ncap,
								 sizeof(*terms));
					cap = ncap;
				}
				memset(&terms[n], 0, sizeof(*terms));
				terms[n].text = t == tmp ? arena_strdup(a, t) : t;
				strmap_put(&at, terms[n].text, (void *)(uintptr_t)(n + 1));
				idx = ++n;
			}
			term_add(a, &terms[idx - 1], r);
		}
	}
	strmap_release(&at);
	sorting = def;
	sorting_collate = collate_open();
	if (n)
		qsort(terms, n, sizeof(*terms), compare_terms);
	collate_close(sorting_collate);
	sorting_collate = NULL;
	for (size_t i = 0; i < n; i++) {
		struct taxonomy_term *t = &terms[i];
		const struct record *to;
		struct buf seg = BUF_INIT;
		t->label = t->text;
		if (def->type == SCHEMA_REFERENCE &&
		    (to = model_record(m, def->to, t->text)))
			t->label = to->title;
		t->url = taxonomy_term_url(a, c, f, t->text);
		taxonomy_segment(&seg, t->text);
		t->out_dir = arena_printf(a, "%s/%s", tf->out_dir, seg.ptr);
		buf_release(&seg);
	}
	tf->terms = terms;
	tf->nterms = n;
}

void taxonomy_build(struct taxonomy *tx, struct arena *a,
		    const struct model *m)
{
	size_t n = 0;
	int en = !strcmp(m->site->language, "en");

	memset(tx, 0, sizeof(*tx));
	for (size_t i = 0; i < m->ncollections; i++)
		for (size_t k = 0; k < m->collections[i].schema->nfields; k++)
			n += m->collections[i].schema->fields[k].taxonomy;
	tx->fields = arena_calloc(a, n ? n : 1, sizeof(*tx->fields));
	for (size_t i = 0; i < m->ncollections; i++) {
		const struct collection *c = &m->collections[i];
		for (size_t k = 0; k < c->schema->nfields; k++) {
			const struct schema_field *f = &c->schema->fields[k];
			const char *name = taxonomy_name(c, f);
			struct taxonomy_field *tf;
			if (!name)
				continue;
			tf = &tx->fields[tx->nfields++];
			tf->coll = c;
			tf->field = f;
			tf->name = name;
			tf->label = en && f->label_en ? f->label_en : f->label;
			if (f->type == SCHEMA_DATE)
				tf->label = en ? "Year" : "年度";
			tf->url = arena_printf(a, "%sby-%s/", c->url, name);
			tf->out_dir = arena_printf(a, "%s/by-%s", c->out_dir, name);
			index_field(tf, a, m);
		}
	}
}

const struct taxonomy_field *taxonomy_find(const struct taxonomy *tx,
					   const struct collection *c,
					   const char *name)
{
	for (size_t i = 0; i < tx->nfields; i++)
		if (tx->fields[i].coll == c && !strcmp(tx->fields[i].name, name))
			return &tx->fields[i];
	return NULL;
}
