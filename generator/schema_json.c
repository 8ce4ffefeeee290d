/*
 * schema_json: see schema_json.h. A small pretty-printing JSON writer (two
 * spaces a level, one key a line) so the output reads well and diffs well
 * when committed next to a site.
 */
#include "schema_json.h"

#include "buf.h"
#include "schema.h"

#include <string.h>

#define DATE_PATTERN "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

struct writer {
	struct buf *out;
	int depth;
	int first;  /* nothing written yet in the open object or array */
	int zh;     /* the site's language is Chinese */
};

static void newline(struct writer *w)
{
	buf_putc(w->out, '\n');
	for (int i = 0; i < w->depth; i++)
		buf_puts(w->out, "  ");
}

/* Start a member of the open object (key != NULL) or array. */
static void member(struct writer *w, const char *key)
{
	if (!w->first)
		buf_putc(w->out, ',');
	w->first = 0;
	newline(w);
	if (key) {
		buf_add_json_string(w->out, key);
		buf_puts(w->out, ": ");
	}
}

static void begin(struct writer *w, const char *key, char bracket)
{
	member(w, key);
	buf_putc(w->out, bracket);
	w->depth++;
	w->first = 1;
}

static void end(struct writer *w, char bracket)
{
	w->depth--;
	if (!w->first)
		newline(w);
	buf_putc(w->out, bracket);
	w->first = 0;
}

static void str(struct writer *w, const char *key, const char *value)
{
	member(w, key);
	buf_add_json_string(w->out, value);
}

static void raw(struct writer *w, const char *key, const char *json)
{
	member(w, key);
	buf_puts(w->out, json);
}

static const char *title_of(const struct writer *w, const char *label,
			    const char *label_en)
{
	return !w->zh && label_en ? label_en : label;
}

/* The description of what a value of `f` must be, in the site language. */
static void describe(const struct writer *w, const struct schema_field *f,
		     struct buf *b)
{
	switch (f->type) {
	case SCHEMA_STRING:
		buf_puts(b, w->zh ? "文本" : "Text");
		break;
	case SCHEMA_INTEGER:
		buf_puts(b, w->zh ? "整数" : "A whole number");
		if (f->has_min)
			buf_printf(b, w->zh ? "，不小于 %lld" : ", at least %lld",
				   f->min);
		break;
	case SCHEMA_BOOLEAN:
		buf_puts(b, w->zh ? "true 或 false" : "true or false");
		break;
	case SCHEMA_DATE:
		buf_puts(b, w->zh ? "日期，格式 YYYY-MM-DD，如 2024-03-05"
				  : "A date as YYYY-MM-DD, e.g. 2024-03-05");
		if (f->after)
			buf_printf(b, w->zh ? "；不早于 %s" : "; not before %s",
				   f->after);
		break;
	case SCHEMA_ENUM:
		buf_puts(b, w->zh ? "可选: " : "One of: ");
		for (size_t i = 0; i < f->nvalues; i++)
			buf_printf(b, "%s%s", i ? ", " : "", f->values[i]);
		break;
	case SCHEMA_LIST:
		buf_puts(b, w->zh ? "列表" : "A list");
		if (f->min_items)
			buf_printf(b, w->zh ? "，至少 %zu 项" : ", at least %zu items",
				   f->min_items);
		break;
	case SCHEMA_REFERENCE:
		buf_printf(b, w->zh ? "引用：集合 %s 中一条记录的 slug（文件名，不含 .md）"
				    : "A reference: the slug (file name without .md) "
				      "of a record of collection %s", f->to);
		break;
	case SCHEMA_IMAGE:
		buf_puts(b, w->zh ? "图片：仓库中的路径，如 media/2024/photo.jpg"
				  : "An image: its path in the repository, "
				    "e.g. media/2024/photo.jpg");
		break;
	case SCHEMA_OBJECT:
		buf_puts(b, w->zh ? "一组字段" : "A map of fields");
		break;
	}
	if (f->required)
		buf_puts(b, w->zh ? "（必填）" : " (required)");
}

static void field(struct writer *w, const struct schema_field *f, int top,
		  int nullable);

static void object_body(struct writer *w, const struct schema_field *fields,
			size_t n, int implicit)
{
	int any = 0;

	raw(w, "type", "\"object\"");
	begin(w, "properties", '{');
	for (size_t i = 0; i < n; i++)
		field(w, &fields[i], 1, !fields[i].required);
	if (implicit) {
		/* Every collection's implicit fields (schema.h). */
		begin(w, "slug", '{');
		str(w, "title", "slug");
		str(w, "description", w->zh ? "网址中的名称，默认取文件名"
				    : "The name in the URL; the file name by default");
		raw(w, "type", "\"string\"");
		end(w, '}');
		begin(w, "draft", '{');
		str(w, "title", "draft");
		str(w, "description", w->zh ? "true：草稿，不发布"
				    : "true: a draft, not published");
		raw(w, "type", "[\"boolean\", \"null\"]");
		end(w, '}');
	}
	end(w, '}');
	for (size_t i = 0; i < n; i++) {
		if (!fields[i].required)
			continue;
		if (!any)
			begin(w, "required", '[');
		any = 1;
		str(w, NULL, fields[i].name);
	}
	if (any)
		end(w, ']');
}

/* The type keywords of `f`; `nullable`: null allowed too (an optional
 * field's empty value counts as absent). */
static void field_type(struct writer *w, const struct schema_field *f,
		       int nullable)
{
	const char *null = nullable ? ", \"null\"" : "";
	struct buf t = BUF_INIT;

	switch (f->type) {
	case SCHEMA_STRING:
	case SCHEMA_REFERENCE:
	case SCHEMA_IMAGE:
		/* showcase reads any scalar as text: `title: 2024` is fine. */
		buf_printf(&t, "[\"string\", \"number\", \"boolean\"%s]", null);
		raw(w, "type", t.ptr);
		break;
	case SCHEMA_INTEGER:
		buf_printf(&t, nullable ? "[\"integer\"%s]" : "\"integer\"%s", null);
		raw(w, "type", t.ptr);
		if (f->has_min) {
			buf_reset(&t);
			buf_printf(&t, "%lld", f->min);
			raw(w, "minimum", t.ptr);
		}
		break;
	case SCHEMA_BOOLEAN:
		raw(w, "type", nullable ? "[\"boolean\", \"null\"]" : "\"boolean\"");
		break;
	case SCHEMA_DATE:
		raw(w, "type", nullable ? "[\"string\", \"null\"]" : "\"string\"");
		str(w, "format", "date");
		str(w, "pattern", DATE_PATTERN);
		break;
	case SCHEMA_ENUM:
		begin(w, "enum", '[');
		for (size_t i = 0; i < f->nvalues; i++)
			str(w, NULL, f->values[i]);
		if (nullable)
			raw(w, NULL, "null");
		end(w, ']');
		break;
	case SCHEMA_LIST:
		raw(w, "type", nullable ? "[\"array\", \"null\"]" : "\"array\"");
		if (f->min_items) {
			buf_printf(&t, "%zu", f->min_items);
			raw(w, "minItems", t.ptr);
		}
		/* Items are never empty (check refuses empty items). */
		member(w, "items");
		buf_putc(w->out, '{');
		w->depth++;
		w->first = 1;
		field(w, f->item, 0, 0);
		end(w, '}');
		break;
	case SCHEMA_OBJECT:
		object_body(w, f->fields, f->nfields, 0);
		break;
	}
	buf_release(&t);
}

/* The keywords of `f`: as a property (`top`: open its own object) or the
 * body of an object already open (a list's items). */
static void field(struct writer *w, const struct schema_field *f, int top,
		  int nullable)
{
	struct buf d = BUF_INIT;

	if (top)
		begin(w, f->name, '{');
	if (top)
		str(w, "title", title_of(w, f->label, f->label_en));
	describe(w, f, &d);
	str(w, "description", d.ptr);
	field_type(w, f, nullable);
	if (top)
		end(w, '}');
	buf_release(&d);
}

static void collection(struct writer *w, const struct schema_collection *c)
{
	struct buf d = BUF_INIT;

	str(w, "title", title_of(w, c->label, c->label_en));
	buf_printf(&d, w->zh ? "%s/*.md 的 front matter" : "The front matter of %s/*.md",
		   c->folder);
	str(w, "description", d.ptr);
	object_body(w, c->fields, c->nfields, 1);
	buf_release(&d);
}

int schema_json(const struct schema *s, const char *language,
		const char *only, struct buf *out)
{
	struct writer w = { out, 0, 1, !language || strncmp(language, "en", 2) };
	const struct schema_collection *one = NULL;

	if (only && !(one = schema_find(s, only)))
		return -1;
	buf_putc(out, '{');
	w.depth = 1;
	str(&w, "$schema", "http://json-schema.org/draft-07/schema#");
	if (one) {
		collection(&w, one);
	} else {
		struct buf ref = BUF_INIT;
		str(&w, "title", w.zh ? "记录的 front matter" : "Front matter of a record");
		begin(&w, "definitions", '{');
		for (size_t i = 0; i < s->count; i++) {
			begin(&w, s->collections[i].name, '{');
			collection(&w, &s->collections[i]);
			end(&w, '}');
		}
		end(&w, '}');
		begin(&w, "anyOf", '[');
		for (size_t i = 0; i < s->count; i++) {
			buf_reset(&ref);
			buf_printf(&ref, "#/definitions/%s", s->collections[i].name);
			begin(&w, NULL, '{');
			str(&w, "$ref", ref.ptr);
			end(&w, '}');
		}
		end(&w, ']');
		buf_release(&ref);
	}
	end(&w, '}');
	buf_putc(out, '\n');
	return 0;
}
