/*
 * Unit tests of the schema module: loading and checking the default theme's
 * schema and site extensions, validating records with the exact diagnostics
 * a user sees, and the helpers the model uses (references, order,
 * permalinks, dates).
 *
 * Run from the repository root (the Makefile does): the real
 * themes/default/schema.yaml is loaded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "schema.h"
#include "value.h"
#include "yamlv.h"

#define THEME_SCHEMA "themes/default/schema.yaml"

struct fixture {
	struct arena a;
	struct diag d;
	struct schema *s;
};

#define assert_diags(d, expected)                     \
	do {                                          \
		char *out_ = test_flush_diag(d);                \
		assert_string_equal(out_, expected);  \
		free(out_);                           \
	} while (0)

static struct value *parse(struct fixture *fx, const char *text,
			   const char *path, unsigned line_offset)
{
	struct value *v = NULL;
	assert_int_equal(yamlv_parse(&fx->a, text, strlen(text), path,
				     line_offset, &fx->d, &v), 0);
	return v;
}

static struct value *theme_value(struct fixture *fx)
{
	char *text = test_read_file(THEME_SCHEMA, NULL);
#ifdef SHOWCASE_SRCDIR
	if (!text)
		text = test_read_file(SHOWCASE_SRCDIR "/" THEME_SCHEMA, NULL);
#endif
	assert_non_null(text);
	struct value *v = parse(fx, text, THEME_SCHEMA, 0);
	free(text);
	return v;
}

/* site.yaml's `collections`, typed by the core schema as site.c does. */
static struct value *site_collections(struct fixture *fx, const char *text)
{
	struct value *v = parse(fx, text, "site.yaml", 0);
	value_resolve_scalars(v);
	return value_map_get(v, "collections");
}

static int load(struct fixture *fx, const char *site_text)
{
	const struct value *site = site_text ? site_collections(fx, site_text)
					     : NULL;
	return schema_load(&fx->a, theme_value(fx), THEME_SCHEMA, site,
			   "site.yaml", &fx->s, &fx->d);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	arena_init(&fx->a);
	diag_init(&fx->d);
	*state = fx;
	return 0;
}

static int setup_theme(void **state)
{
	setup(state);
	struct fixture *fx = *state;
	assert_int_equal(load(fx, NULL), 0);
	assert_diags(&fx->d, "");
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	diag_release(&fx->d);
	arena_release(&fx->a);
	free(fx);
	return 0;
}

/* The repository of the tests holds these files; the media policy
 * refuses the last one. */
static const char *check_image(void *ctx, const char *path)
{
	static const char *const files[] = {
		"content/cases/images/ketang.jpg",
		"content/images/logo.png",
	};
	(void)ctx;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (!strcmp(files[i], path))
			return NULL;
	if (!strcmp(path, "content/images/lfs.png"))
		return "is a Git LFS pointer; run git lfs pull / commit the real file";
	return "not found in the repository (paths in front matter start at "
	       "the repository root)";
}

/*
 * Validate `yaml` as the front matter of content/<coll>/r.md (the YAML
 * starts on line 2, after "---"); return the diagnostics printed.
 */
static char *check(struct fixture *fx, const char *coll, const char *yaml,
		   struct value **typed, int *ret)
{
	char path[64];
	const struct schema_collection *c = schema_find(fx->s, coll);
	struct value *front, *t = NULL;
	int r;
	assert_non_null(c);
	snprintf(path, sizeof(path), "content/%s/r.md", coll);
	front = parse(fx, yaml, path, 1);
	r = schema_validate(c, &fx->a, front, path, check_image, NULL, &t,
			    &fx->d);
	assert_non_null(t);
	assert_int_equal(t->kind, VALUE_MAP);
	if (typed)
		*typed = t;
	if (ret)
		*ret = r;
	return test_flush_diag(&fx->d);
}

#define assert_check(fx, coll, yaml, expected_ret, expected)        \
	do {                                                          \
		int r_;                                               \
		char *out_ = check(fx, coll, yaml, NULL, &r_);        \
		assert_string_equal(out_, expected);                  \
		free(out_);                                           \
		assert_int_equal(r_, expected_ret);                   \
	} while (0)

/* ---- the theme's schema ---- */

static void test_theme_collections(void **state)
{
	struct fixture *fx = *state;
	const struct schema *s = fx->s;
	static const char *const names[] = { "achievements", "cases",
		"projects", "reports", "selections", "studios" };

	assert_int_equal(s->count, 6);
	for (size_t i = 0; i < 6; i++) {
		const struct schema_collection *c = &s->collections[i];
		assert_string_equal(c->name, names[i]);
		assert_ptr_equal(schema_find(s, names[i]), c);
		assert_string_equal(c->permalink, "/{collection}/{slug}/");
		char folder[64];
		snprintf(folder, sizeof(folder), "content/%s", names[i]);
		assert_string_equal(c->folder, folder);
		assert_non_null(c->label_en);
		/* Every field has a Chinese label of its own. */
		for (size_t j = 0; j < c->nfields; j++)
			assert_string_not_equal(c->fields[j].label,
						c->fields[j].name);
	}
	assert_null(schema_find(s, "news"));
	assert_string_equal(schema_find(s, "projects")->label, "培训项目");
	assert_string_equal(schema_find(s, "studios")->label, "工作室");
	assert_string_equal(schema_find(s, "cases")->label, "典型案例");
	assert_string_equal(schema_find(s, "achievements")->label, "工作室成果");
	assert_string_equal(schema_find(s, "selections")->label, "年度评选");
	assert_string_equal(schema_find(s, "reports")->label, "年度成果展示");
}

static void test_theme_projects(void **state)
{
	struct fixture *fx = *state;
	const struct schema_collection *c = schema_find(fx->s, "projects");
	const struct schema_field *f;

	assert_int_equal(c->nfields, 14);
	assert_int_equal(c->nsort, 2);
	assert_string_equal(c->sort[0].field, "year");
	assert_true(c->sort[0].descending);
	assert_ptr_equal(c->sort[0].def, schema_field_find(c, "year"));
	assert_string_equal(c->sort[1].field, "title");
	assert_false(c->sort[1].descending);

	f = schema_field_find(c, "title");
	assert_int_equal(f->type, SCHEMA_STRING);
	assert_true(f->required);
	assert_string_equal(f->label, "项目名称");
	f = schema_field_find(c, "level");
	assert_int_equal(f->type, SCHEMA_ENUM);
	assert_true(f->required);
	assert_string_equal(f->label, "级别");
	assert_int_equal(f->nvalues, 5);
	assert_string_equal(f->values[0], "国培");
	assert_string_equal(f->values[4], "校本");
	f = schema_field_find(c, "stage");
	assert_int_equal(f->type, SCHEMA_LIST);
	assert_false(f->required);
	assert_int_equal(f->item->type, SCHEMA_ENUM);
	assert_int_equal(f->item->nvalues, 4);
	assert_string_equal(f->item->values[3], "高中");
	f = schema_field_find(c, "subject");
	assert_int_equal(f->item->type, SCHEMA_STRING);
	f = schema_field_find(c, "trainees");
	assert_int_equal(f->type, SCHEMA_INTEGER);
	assert_true(f->has_min);
	assert_int_equal(f->min, 0);
	assert_string_equal(f->label, "参训人数");
	assert_string_equal(schema_field_find(c, "hours")->label, "学时");
	f = schema_field_find(c, "end");
	assert_int_equal(f->type, SCHEMA_DATE);
	assert_string_equal(f->after, "start");
	assert_null(schema_field_find(c, "start")->after);
	assert_int_equal(schema_field_find(c, "rating")->nvalues, 4);

	/* The implicit fields are found but not listed. */
	f = schema_field_find(c, "slug");
	assert_int_equal(f->type, SCHEMA_STRING);
	f = schema_field_find(c, "draft");
	assert_int_equal(f->type, SCHEMA_BOOLEAN);
	for (size_t i = 0; i < c->nfields; i++) {
		assert_string_not_equal(c->fields[i].name, "slug");
		assert_string_not_equal(c->fields[i].name, "draft");
	}
	assert_null(schema_field_find(c, "nosuch"));
}

static void test_theme_other_collections(void **state)
{
	struct fixture *fx = *state;
	const struct schema_collection *c;
	const struct schema_field *f, *e;

	c = schema_find(fx->s, "cases");
	assert_string_equal(c->sort[0].field, "date");
	assert_true(c->sort[0].descending);
	f = schema_field_find(c, "project");
	assert_int_equal(f->type, SCHEMA_REFERENCE);
	assert_string_equal(f->to, "projects");
	assert_int_equal(schema_field_find(c, "cover")->type, SCHEMA_IMAGE);
	assert_int_equal(schema_field_find(c, "featured")->type,
			 SCHEMA_BOOLEAN);
	assert_int_equal(schema_field_find(c, "kind")->nvalues, 5);

	c = schema_find(fx->s, "achievements");
	f = schema_field_find(c, "studio");
	assert_true(f->required);
	assert_string_equal(f->to, "studios");
	assert_int_equal(schema_field_find(c, "kind")->nvalues, 7);
	assert_int_equal(schema_field_find(c, "level")->nvalues, 5);

	c = schema_find(fx->s, "studios");
	assert_int_equal(c->nsort, 1);
	assert_string_equal(c->sort[0].field, "title");
	assert_int_equal(schema_field_find(c, "level")->nvalues, 4);

	c = schema_find(fx->s, "reports");
	assert_int_equal(c->nsort, 1);
	assert_true(c->sort[0].descending);
	assert_true(schema_field_find(c, "year")->required);
	assert_false(schema_field_find(c, "title")->required);
	assert_string_equal(schema_field_find(c, "organization")->label,
			    "编印单位");

	c = schema_find(fx->s, "selections");
	assert_int_equal(schema_field_find(c, "category")->nvalues, 6);
	f = schema_field_find(c, "entries");
	assert_int_equal(f->type, SCHEMA_LIST);
	assert_true(f->required);
	assert_int_equal(f->min_items, 1);
	assert_int_equal(f->item->type, SCHEMA_OBJECT);
	assert_int_equal(f->item->nfields, 6);
	e = &f->item->fields[0];
	assert_string_equal(e->name, "name");
	assert_true(e->required);
	e = &f->item->fields[4];
	assert_string_equal(e->name, "studio");
	assert_string_equal(e->to, "studios");
	e = &f->item->fields[5];
	assert_string_equal(e->name, "case");
	assert_string_equal(e->to, "cases");
}

static void test_for_path(void **state)
{
	struct fixture *fx = *state;
	assert_string_equal(schema_for_path(fx->s, "content/cases/x.md")->name,
			    "cases");
	assert_string_equal(
		schema_for_path(fx->s, "content/reports/2024.md")->name,
		"reports");
	assert_null(schema_for_path(fx->s, "content/cases/images/x.md"));
	assert_null(schema_for_path(fx->s, "content/cases/x.jpg"));
	assert_null(schema_for_path(fx->s, "content/casesx/x.md"));
	assert_null(schema_for_path(fx->s, "content/news/x.md"));
	assert_null(schema_for_path(fx->s, "README.md"));
}

/* ---- site extensions ---- */

static void test_site_extension(void **state)
{
	struct fixture *fx = *state;
	const struct schema_collection *c;
	const struct schema_field *f;

	assert_int_equal(load(fx,
		"title: 示例\n"
		"collections:\n"
		"  cases:\n"
		"    permalink: /anli/{slug}/\n"
		"    label_en: Cases\n"
		"    fields:\n"
		"      grade: { type: string, label: 年级 }\n"
		"      title: { type: string, label: 标题 }\n"
		"      partners: { type: list, of: { type: reference, to: studios } }\n"
		"  news:\n"
		"    label: 工作动态\n"
		"    sort: -date\n"
		"    fields:\n"
		"      title: { type: string, required: true, label: 标题 }\n"
		"      date: { type: date, required: true, label: 日期 }\n"
		"      score: { type: enum, values: [1, 2, 3] }\n"), 0);
	assert_diags(&fx->d, "");

	assert_int_equal(fx->s->count, 7);
	c = schema_find(fx->s, "cases");
	/* Overridden key by key: the rest stays the theme's. */
	assert_string_equal(c->permalink, "/anli/{slug}/");
	assert_string_equal(c->label_en, "Cases");
	assert_string_equal(c->label, "典型案例");
	assert_string_equal(c->folder, "content/cases");
	assert_int_equal(c->nsort, 2);
	/* A replaced field keeps its place; new fields come last. */
	assert_int_equal(c->nfields, 14);
	assert_string_equal(c->fields[0].name, "title");
	assert_false(c->fields[0].required);
	assert_string_equal(c->fields[0].label, "标题");
	assert_string_equal(c->fields[12].name, "grade");
	assert_string_equal(c->fields[12].label, "年级");
	f = &c->fields[13];
	assert_string_equal(f->name, "partners");
	assert_string_equal(f->label, "partners");
	assert_int_equal(f->item->type, SCHEMA_REFERENCE);
	assert_string_equal(f->item->to, "studios");

	c = schema_find(fx->s, "news");
	assert_ptr_equal(c, &fx->s->collections[2]);
	assert_string_equal(c->label, "工作动态");
	assert_null(c->label_en);
	assert_string_equal(c->folder, "content/news");
	assert_string_equal(c->permalink, "/{collection}/{slug}/");
	assert_int_equal(c->nfields, 3);
	/* Integers typed by the core schema are still enum values. */
	assert_string_equal(schema_field_find(c, "score")->values[2], "3");
	assert_ptr_equal(schema_for_path(fx->s, "content/news/a.md"), c);

	/* The theme's other collections are untouched. */
	assert_string_equal(schema_find(fx->s, "projects")->permalink,
			    "/{collection}/{slug}/");
}

static void test_site_errors(void **state)
{
	struct fixture *fx = *state;
	assert_int_equal(load(fx,
		"collections:\n"
		"  cases:\n"
		"    permalink: /anli/{id}/\n"
		"    sort: -dat\n"
		"    colour: red\n"
		"    fields:\n"
		"      grade: { type: strng }\n"
		"      slug: string\n"
		"  News:\n"
		"    label: 新闻\n"), -1);
	assert_null(fx->s);
	assert_diags(&fx->d,
		"site.yaml:3:16: error: unknown placeholder '{id}' in permalink of collection 'cases' (expected {slug}, {year} or {collection})\n"
		"site.yaml:3:16: error: permalink '/anli/{id}/' of collection 'cases' must contain {slug}\n"
		"site.yaml:4:11: error: cannot sort 'cases' by unknown field 'dat'\n"
		"site.yaml:5:5: error: unknown setting 'colour' in collection 'cases' (expected label, label_en, folder, permalink, sort, order or fields)\n"
		"site.yaml:7:22: error: unknown type 'strng' for field 'grade' (expected string, integer, boolean, date, enum, list, reference, image or object)\n"
		"site.yaml:8:7: error: field 'slug' is implicit in every collection and cannot be declared\n"
		"site.yaml:9:3: error: collection name 'News' may only hold lowercase letters, digits, '-' and '_'\n");
	/* Problems in site.yaml are the content's, not the system's. */
	assert_int_equal(diag_exit_code(&fx->d), EXIT_CONTENT);
}

static void test_site_field_errors(void **state)
{
	struct fixture *fx = *state;
	assert_int_equal(load(fx,
		"collections:\n"
		"  cases:\n"
		"    fields:\n"
		"      a: { type: list, of: { type: string, required: true } }\n"
		"      b:\n"
		"      c: [string]\n"
		"      d: { label: 无类型 }\n"
		"      e: { type: enum, values: [] }\n"
		"      f: { type: reference }\n"
		"      g: { type: object, fields: {} }\n"
		"      h: { type: string, required: yes }\n"
		"      i: { type: list, of: string, min_items: -1 }\n"), -1);
	assert_diags(&fx->d,
		"site.yaml:4:44: error: 'required' does not apply to the items of list 'a'\n"
		"site.yaml:5:7: error: field 'b' has no type\n"
		"site.yaml:6:10: error: field 'c' must be a type name or a map of settings\n"
		"site.yaml:7:10: error: field 'd' has no type\n"
		"site.yaml:8:32: error: 'values' of field 'e' must be a list of the allowed values\n"
		"site.yaml:9:10: error: reference field 'f' needs 'to', the collection it refers to\n"
		"site.yaml:10:34: error: 'fields' of field 'g' must be a map of field names to definitions\n"
		"site.yaml:11:36: error: 'required' of field 'h' must be true or false\n"
		"site.yaml:12:47: error: 'min_items' of field 'i' must be a whole number\n");
}

/* Nesting in a schema is bounded like nesting in YAML. */
static void test_schema_depth(void **state)
{
	struct fixture *fx = *state;
	struct buf b = BUF_INIT;
	char *out;

	buf_puts(&b, "collections:\n  cases:\n    fields:\n      deep: ");
	for (int i = 0; i < SCHEMA_MAX_DEPTH + 1; i++)
		buf_puts(&b, "{ type: object, fields: { deep: ");
	buf_puts(&b, "string");
	for (int i = 0; i < SCHEMA_MAX_DEPTH + 1; i++)
		buf_puts(&b, " } }");
	buf_puts(&b, "\n");
	assert_int_equal(load(fx, b.ptr), -1);
	out = test_flush_diag(&fx->d);
	assert_non_null(strstr(out, "error: field 'deep.deep.deep.deep.deep.deep.deep.deep.deep' nests deeper than 8 levels\n"));
	free(out);
	buf_release(&b);
}

/* Found while writing the site fuzz target (reproducer:
 * fuzz/corpus/site/regress-schema-alias-bomb): aliases
 * nest one object definition in another 8 levels deep, 20 fields wide,
 * 20^8 fields from 2 KB of site.yaml, and loading never finished. */
static void test_schema_alias_bomb(void **state)
{
	struct fixture *fx = *state;
	struct buf b = BUF_INIT;
	char *out;

	buf_puts(&b, "defs:\n  l0: &l0 string\n");
	for (int d = 1; d <= SCHEMA_MAX_DEPTH; d++) {
		buf_printf(&b, "  l%d: &l%d { type: object, fields: {", d, d);
		for (int i = 0; i < 20; i++)
			buf_printf(&b, "%sf%d: *l%d", i ? ", " : " ", i, d - 1);
		buf_puts(&b, " } }\n");
	}
	buf_printf(&b, "collections:\n  bomb:\n    fields:\n      x: *l%d\n",
		   SCHEMA_MAX_DEPTH);
	assert_int_equal(load(fx, b.ptr), -1);
	out = test_flush_diag(&fx->d);
	assert_non_null(strstr(out, "error: the schema defines more than 100000 "
				    "fields and enum values (check the "
				    "aliases in its definitions)\n"));
	free(out);
	buf_release(&b);
}

/* Found with a hand-made input for the site fuzz target (reproducer:
 * fuzz/corpus/site/regress-enum-values-alias): one list of 1,500 values
 * given by alias to 300 enums was checked for duplicates pairwise, 340
 * million comparisons from 20 KB. Duplicates are now found by hashing,
 * and values count against the schema's budget like fields. */
static void test_enum_values_alias_bomb(void **state)
{
	struct fixture *fx = *state;
	struct buf b = BUF_INIT;
	char *out;

	buf_puts(&b, "defs:\n  v: &v [");
	for (int i = 0; i < 1500; i++)
		buf_printf(&b, "%sv%d", i ? ", " : "", i);
	buf_puts(&b, "]\ncollections:\n  x:\n    fields:\n");
	for (int i = 0; i < 300; i++)
		buf_printf(&b, "      f%d: { type: enum, values: *v }\n", i);
	assert_int_equal(load(fx, b.ptr), -1);
	out = test_flush_diag(&fx->d);
	assert_non_null(strstr(out, "error: the schema defines more than 100000 "
				    "fields and enum values"));
	free(out);

	/* One long list is fine, and its duplicates are still found. */
	buf_reset(&b);
	buf_puts(&b, "collections:\n  x:\n    fields:\n      f: { type: enum, "
		     "values: [");
	for (int i = 0; i < 20000; i++)
		buf_printf(&b, "v%d, ", i);
	buf_puts(&b, "v7] }\n");
	assert_int_equal(load(fx, b.ptr), -1);
	assert_diags(&fx->d, "site.yaml:4:148923: error: duplicate value 'v7' "
			     "in 'values' of field 'f'\n");
	buf_release(&b);
}

/* Found with a hand-made input for the site fuzz target, after a fuzzed
 * input printed the same error 9,433 times (reproducer:
 * fuzz/corpus/site/regress-diag-flood): a definition with a 9,000-byte
 * unknown key, reached through aliases 80,000 times, printed 80,000
 * copies of its error, 1 GB of diagnostics from 10 KB of site.yaml. */
static void test_schema_error_flood(void **state)
{
	struct fixture *fx = *state;
	struct buf b = BUF_INIT;
	char *out, *p;
	size_t n = 0;

	buf_puts(&b, "defs:\n  l0: &l0\n    type: string\n    ? ");
	for (int i = 0; i < 9000; i++)
		buf_putc(&b, 'k');
	buf_puts(&b, "\n    : 1\n");
	for (int d = 1; d <= SCHEMA_MAX_DEPTH; d++) {
		buf_printf(&b, "  l%d: &l%d { type: object, fields: {", d, d);
		for (int i = 0; i < 5; i++)
			buf_printf(&b, "%sf%d: *l%d", i ? ", " : " ", i, d - 1);
		buf_puts(&b, " } }\n");
	}
	buf_printf(&b, "collections:\n  bomb:\n    fields:\n      x: *l%d\n",
		   SCHEMA_MAX_DEPTH);
	assert_int_equal(load(fx, b.ptr), -1);
	out = test_flush_diag(&fx->d);
	for (p = out; (p = strstr(p, "error: unknown key 'kkk")); p++)
		n++;
	assert_int_equal(n, 200);
	assert_non_null(strstr(out, "error: the schema defines more than 100000 "
				    "fields and enum values"));
	assert_non_null(strstr(out, "site.yaml: error: 79707 more errors in "
				    "the schema are not shown (fix those "
				    "above first)\n"));
	assert_true(strlen(out) < 4 * 1024 * 1024);
	free(out);
	buf_release(&b);
}

/* A theme schema with one mistake of every kind. */
static void test_theme_errors(void **state)
{
	struct fixture *fx = *state;
	struct value *v = parse(fx,
		"collections:\n"
		"  projects:\n"
		"    sort: -year,titel\n"
		"    fields:\n"
		"      title: { type: text }\n"
		"      year: integer\n"
		"      level: { type: enum }\n"
		"      owner: { type: reference, to: people }\n"
		"      start: { type: date, after: begin }\n"
		"      end: { type: date, after: year }\n"
		"      hours: { type: integer, min: many, min_items: 2 }\n"
		"      tags: { type: list }\n"
		"      nested: { type: list, of: { type: list, of: string } }\n"
		"      info: { type: object, fields: { a: { type: date, after: b } } }\n"
		"      flag: { type: boolean, requried: true }\n"
		"      opts: { type: enum, values: [a, b, a] }\n"
		"  other:\n"
		"    folder: /abs\n"
		"    permalink: /{year}/{slug}/\n"
		"    sort: tags\n"
		"    fields:\n"
		"      tags: { type: list, of: string }\n"
		"version: 2\n",
		"themes/t/schema.yaml", 0);
	assert_int_equal(schema_load(&fx->a, v, "themes/t/schema.yaml", NULL,
				     "site.yaml", &fx->s, &fx->d), -1);
	assert_null(fx->s);
	assert_diags(&fx->d,
		"themes/t/schema.yaml:3:11: error: cannot sort 'projects' by unknown field 'titel'\n"
		"themes/t/schema.yaml:5:22: error: unknown type 'text' for field 'title' (expected string, integer, boolean, date, enum, list, reference, image or object)\n"
		"themes/t/schema.yaml:7:14: error: enum field 'level' needs 'values', the list of allowed values\n"
		"themes/t/schema.yaml:8:37: error: field 'owner' refers to unknown collection 'people'\n"
		"themes/t/schema.yaml:9:35: error: 'after' of field 'start' names unknown field 'begin'\n"
		"themes/t/schema.yaml:10:33: error: 'after' of field 'end' names 'year', which is not a date field\n"
		"themes/t/schema.yaml:11:36: error: 'min' of field 'hours' must be an integer\n"
		"themes/t/schema.yaml:11:42: error: 'min_items' does not apply to field 'hours' of type integer (only to list fields)\n"
		"themes/t/schema.yaml:12:13: error: list field 'tags' needs 'of', the type of its items\n"
		"themes/t/schema.yaml:13:33: error: list field 'nested' cannot hold lists\n"
		"themes/t/schema.yaml:14:63: error: 'after' of field 'info.a' names unknown field 'b'\n"
		"themes/t/schema.yaml:15:30: error: unknown key 'requried' in the definition of field 'flag' (expected type, required, label, label_en, values, min, min_items, of, to, fields, after or taxonomy)\n"
		"themes/t/schema.yaml:16:42: error: duplicate value 'a' in 'values' of field 'opts'\n"
		"themes/t/schema.yaml:18:13: error: folder '/abs' of collection 'other' must be a path inside the repository, such as content/other\n"
		"themes/t/schema.yaml:19:16: error: permalink of collection 'other' uses {year} but the collection has no integer 'year' or date 'date' field\n"
		"themes/t/schema.yaml:20:11: error: cannot sort 'other' by 'tags', a list field\n"
		"themes/t/schema.yaml:23:1: error: unknown key 'version' in the schema (expected 'collections')\n");
	/* A broken theme is a system error (exit 3). */
	assert_int_equal(diag_exit_code(&fx->d), EXIT_SYSTEM);
}

/* `taxonomy: true` only on a record's own fields whose values are terms. */
static void test_taxonomy_errors(void **state)
{
	struct fixture *fx = *state;
	struct value *v = parse(fx,
		"collections:\n"
		"  projects:\n"
		"    fields:\n"
		"      year: { type: integer, taxonomy: true }\n"
		"      tags: { type: list, of: string, taxonomy: true }\n"
		"      flag: { type: boolean, taxonomy: true }\n"
		"      info: { type: object, fields: { a: { type: string, taxonomy: true } } }\n"
		"      region: { type: string, taxonomy: maybe }\n",
		"themes/t/schema.yaml", 0);
	assert_int_equal(schema_load(&fx->a, v, "themes/t/schema.yaml", NULL,
				     "site.yaml", &fx->s, &fx->d), -1);
	assert_diags(&fx->d,
		"themes/t/schema.yaml:6:30: error: 'taxonomy' does not apply to field 'flag' of type boolean (only to string, integer, enum, reference and date fields, and lists of the first four)\n"
		"themes/t/schema.yaml:7:58: error: 'taxonomy' applies only to a record's own fields, not to 'info.a'\n"
		"themes/t/schema.yaml:8:41: error: 'taxonomy' of field 'region' must be true or false\n");
}

static void test_taxonomy_fields(void **state)
{
	struct fixture *fx = *state;
	struct value *v = parse(fx,
		"collections:\n"
		"  projects:\n"
		"    fields:\n"
		"      year: { type: integer, taxonomy: true }\n"
		"      tags: { type: list, of: string, taxonomy: true }\n"
		"      title: string\n",
		"themes/t/schema.yaml", 0);
	const struct schema_collection *c;
	assert_int_equal(schema_load(&fx->a, v, "themes/t/schema.yaml", NULL,
				     "site.yaml", &fx->s, &fx->d), 0);
	c = schema_find(fx->s, "projects");
	assert_int_equal(schema_field_find(c, "year")->taxonomy, 1);
	assert_int_equal(schema_field_find(c, "tags")->taxonomy, 1);
	assert_int_equal(schema_field_find(c, "title")->taxonomy, 0);
}

static void test_schema_not_a_map(void **state)
{
	struct fixture *fx = *state;
	struct value *v = parse(fx, "- a\n- b\n", "themes/t/schema.yaml", 0);
	assert_int_equal(schema_load(&fx->a, v, "themes/t/schema.yaml", NULL,
				     "site.yaml", &fx->s, &fx->d), -1);
	assert_diags(&fx->d,
		"themes/t/schema.yaml:1:1: error: the schema must be a map with a 'collections' map\n");
}

static void test_shared_folder(void **state)
{
	struct fixture *fx = *state;
	assert_int_equal(load(fx,
		"collections:\n"
		"  news:\n"
		"    folder: content/cases/\n"), -1);
	assert_diags(&fx->d,
		"site.yaml:3:13: error: collections 'cases' and 'news' share the folder 'content/cases'\n");
}

/* ---- valid records ---- */

static void assert_kind(const struct value *typed, const char *key,
			enum value_kind kind)
{
	const struct value *v = value_map_get(typed, key);
	if (!v)
		fail_msg("no field '%s' in the typed record", key);
	assert_int_equal(v->kind, kind);
	assert_int_equal(v->flags, 0);
	assert_true(v->line > 1);
}

static void test_valid_project(void **state)
{
	struct fixture *fx = *state;
	struct value *t;
	int r;
	char *out = check(fx, "projects",
		"title: 2024年国培计划骨干教师能力提升项目\n"
		"year: 2024\n"
		"level: 国培\n"
		"category: 骨干教师能力提升\n"
		"region: 城关区\n"
		"institution: 西北师范大学\n"
		"stage: [小学, 初中]\n"
		"subject:\n"
		"  - 语文\n"
		"  - 数学\n"
		"trainees: 120\n"
		"hours: \"60\"\n"
		"start: 2024-05-01\n"
		"end: 2024-05-01\n"
		"rating: 优秀\n"
		"summary: 一段话。\n"
		"slug: guopei-2024\n"
		"draft: false\n", &t, &r);
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(r, 0);
	assert_int_equal(t->u.map.len, 16);
	assert_kind(t, "title", VALUE_STRING);
	assert_kind(t, "year", VALUE_INT);
	assert_int_equal(value_map_get(t, "year")->u.integer, 2024);
	assert_int_equal(value_map_get(t, "year")->line, 3);
	assert_int_equal(value_map_get(t, "year")->col, 7);
	assert_kind(t, "level", VALUE_STRING);
	assert_kind(t, "stage", VALUE_LIST);
	const struct value *stage = value_map_get(t, "stage");
	assert_int_equal(stage->u.list.len, 2);
	assert_string_equal(value_str(stage->u.list.items[1]), "初中");
	assert_int_equal(stage->u.list.items[1]->col, 13);
	assert_kind(t, "subject", VALUE_LIST);
	assert_int_equal(value_map_get(t, "subject")->u.list.items[0]->line, 10);
	assert_kind(t, "trainees", VALUE_INT);
	/* A quoted number is accepted for an integer field. */
	assert_kind(t, "hours", VALUE_INT);
	assert_int_equal(value_map_get(t, "hours")->u.integer, 60);
	assert_kind(t, "start", VALUE_STRING);
	assert_string_equal(value_str(value_map_get(t, "end")), "2024-05-01");
	assert_kind(t, "slug", VALUE_STRING);
	assert_kind(t, "draft", VALUE_BOOL);
	assert_false(value_map_get(t, "draft")->u.boolean);
	/* Members keep the order and position of the keys as written. */
	assert_string_equal(t->u.map.members[0].key, "title");
	assert_int_equal(t->u.map.members[1].line, 3);
	assert_int_equal(t->u.map.members[1].col, 1);
}

static void test_valid_studio(void **state)
{
	struct fixture *fx = *state;
	struct value *t;
	int r;
	char *out = check(fx, "studios",
		"title: 张老师名师工作室\n"
		"kind: 名师工作室\n"
		"level: 省级\n"
		"host: 张三\n"
		"school: 第一中学\n"
		"region: 城关区\n"
		"subject: [语文]\n"
		"founded: 2019\n"
		"members: 0\n", &t, &r);
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(r, 0);
	assert_kind(t, "founded", VALUE_INT);
	assert_kind(t, "members", VALUE_INT);
	assert_kind(t, "subject", VALUE_LIST);
	assert_kind(t, "host", VALUE_STRING);
}

static void test_valid_case(void **state)
{
	struct fixture *fx = *state;
	struct value *t;
	int r;
	char *out = check(fx, "cases",
		"title: 课堂变革\n"
		"date: 2024-06-01\n"
		"authors: [李四, 王五]\n"
		"school: 第二小学\n"
		"region: 七里河区\n"
		"kind: 校本研修案例\n"
		"project: guopei-2024\n"
		"studio: zhang\n"
		"tags: [课堂, 研修]\n"
		"featured: true\n"
		"cover: content/cases/./images/ketang.jpg\n"
		"summary: 摘要\n", &t, &r);
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(r, 0);
	assert_kind(t, "featured", VALUE_BOOL);
	assert_true(value_map_get(t, "featured")->u.boolean);
	assert_kind(t, "project", VALUE_STRING);
	assert_string_equal(value_str(value_map_get(t, "studio")), "zhang");
	/* Image paths are normalised. */
	assert_kind(t, "cover", VALUE_STRING);
	assert_string_equal(value_str(value_map_get(t, "cover")),
			    "content/cases/images/ketang.jpg");
}

static void test_valid_achievement_and_report(void **state)
{
	struct fixture *fx = *state;
	struct value *t;
	int r;
	char *out = check(fx, "achievements",
		"title: 论文发表\n"
		"studio: zhang\n"
		"date: 2024-02-29\n"
		"kind: 论文\n"
		"level: 省级\n"
		"award: 一等奖\n"
		"people: [张三]\n"
		"venue: 中小学教育\n", &t, &r);
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(r, 0);
	assert_kind(t, "people", VALUE_LIST);
	assert_kind(t, "date", VALUE_STRING);

	out = check(fx, "reports",
		"title: 2024年度教师培训成果展示\n"
		"subtitle: 城关区\n"
		"year: 2024\n"
		"organization: 城关区教育局\n"
		"date: 2024-12-30\n", &t, &r);
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(r, 0);
	assert_kind(t, "year", VALUE_INT);
	assert_kind(t, "organization", VALUE_STRING);
}

static void test_valid_selection(void **state)
{
	struct fixture *fx = *state;
	struct value *t;
	const struct value *entries, *e;
	int r;
	char *out = check(fx, "selections",
		"title: 2024年度校本研修示范校评选结果\n"
		"year: 2024\n"
		"category: 校本研修示范校\n"
		"date: 2024-12-20\n"
		"issuer: 城关区教育局\n"
		"entries:\n"
		"  - name: 第一中学\n"
		"    grade: 示范校\n"
		"    region: 城关区\n"
		"  - { name: 张老师名师工作室, studio: zhang, case: ketang }\n",
		&t, &r);
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(r, 0);
	assert_kind(t, "entries", VALUE_LIST);
	entries = value_map_get(t, "entries");
	assert_int_equal(entries->u.list.len, 2);
	e = entries->u.list.items[0];
	assert_int_equal(e->kind, VALUE_MAP);
	assert_int_equal(e->line, 8);
	assert_int_equal(e->col, 5);
	assert_string_equal(value_str(value_map_get(e, "grade")), "示范校");
	e = entries->u.list.items[1];
	assert_string_equal(value_str(value_map_get(e, "case")), "ketang");
	assert_int_equal(value_map_get(e, "studio")->line, 11);
}

/* ---- record errors, one kind at a time ---- */

static void test_not_a_map(void **state)
{
	struct fixture *fx = *state;
	assert_check(fx, "cases", "- title\n- date\n", -1,
		"content/cases/r.md:2:1: error: front matter must be a map of fields (key: value lines), got a list\n");
	assert_check(fx, "cases", "只有一句话\n", -1,
		"content/cases/r.md:2:1: error: front matter must be a map of fields (key: value lines), got '只有一句话'\n");
}

static void test_missing_required(void **state)
{
	struct fixture *fx = *state;
	assert_check(fx, "projects",
		"year: 2024\n"
		"level: 国培\n", -1,
		"content/projects/r.md:2:1: error: missing required field 'title' (项目名称)\n"
		"content/projects/r.md:2:1: error: missing required field 'region' (区县)\n");
	/* An empty front matter lacks everything required. */
	assert_check(fx, "reports", "", -1,
		"content/reports/r.md:2:1: error: missing required field 'year' (年度)\n");
	/* Empty values count as missing. */
	assert_check(fx, "reports",
		"title: \"  \"\n"
		"year:\n", -1,
		"content/reports/r.md:3:1: error: required field 'year' is empty\n");
	assert_check(fx, "projects",
		"title: \"\"\n"
		"year: 2024\n"
		"level: 国培\n"
		"region: ~\n", -1,
		"content/projects/r.md:2:1: error: required field 'title' is empty\n"
		"content/projects/r.md:5:1: error: required field 'region' is empty\n");
}

static void test_wrong_types(void **state)
{
	struct fixture *fx = *state;
	assert_check(fx, "reports",
		"year: 二〇二四\n", -1,
		"content/reports/r.md:2:7: error: field 'year' expects an integer, got '二〇二四'\n");
	assert_check(fx, "reports",
		"year: 2024.0\n", -1,
		"content/reports/r.md:2:7: error: field 'year' expects an integer, got '2024.0'\n");
	assert_check(fx, "reports",
		"year: [2024]\n", -1,
		"content/reports/r.md:2:7: error: field 'year' expects an integer, got a list\n");
	assert_check(fx, "reports",
		"year: 2024\n"
		"title: { zh: 标题 }\n", -1,
		"content/reports/r.md:3:8: error: field 'title' expects a string, got a map\n");
	assert_check(fx, "cases",
		"title: t\ndate: 2024-01-01\nkind: 工作案例\n"
		"featured: 是\n", -1,
		"content/cases/r.md:5:11: error: field 'featured' expects true or false, got '是'\n");
	assert_check(fx, "cases",
		"title: t\ndate: 2024-01-01\nkind: 工作案例\n"
		"featured: 1\n", -1,
		"content/cases/r.md:5:11: error: field 'featured' expects true or false, got '1'\n");
	/* A scalar where a list is expected. */
	assert_check(fx, "cases",
		"title: t\ndate: 2024-01-01\nkind: 工作案例\n"
		"tags: 课堂\n", -1,
		"content/cases/r.md:5:7: error: field 'tags' expects a list, got '课堂'\n");
	assert_check(fx, "cases",
		"title: t\ndate: 2024-01-01\nkind: 工作案例\n"
		"studio: [a, b]\n", -1,
		"content/cases/r.md:5:9: error: field 'studio' expects the slug of a record of 'studios', got a list\n");
	/* Long values are shortened in messages. */
	assert_check(fx, "reports",
		"year: 1234567890123456789012345678901234567890123456789012345678901234567890\n", -1,
		"content/reports/r.md:2:7: error: field 'year' expects an integer, got '123456789012345678901234567890123456789012345678901234567890...'\n");
}

static void test_enum_and_min(void **state)
{
	struct fixture *fx = *state;
	assert_check(fx, "projects",
		"title: t\nyear: 2024\nregion: r\n"
		"level: 县级培训\n", -1,
		"content/projects/r.md:5:8: error: '县级培训' is not a valid value for 'level' (expected one of: 国培, 省培, 市培, 县培, 校本)\n");
	assert_check(fx, "projects",
		"title: t\nyear: 2024\nregion: r\nlevel: 国培\n"
		"stage: [小学, 初三]\n", -1,
		"content/projects/r.md:6:13: error: '初三' is not a valid value for 'stage' (expected one of: 幼儿园, 小学, 初中, 高中)\n");
	assert_check(fx, "projects",
		"title: t\nyear: 2024\nregion: r\nlevel: 国培\n"
		"trainees: -5\n"
		"hours: 0\n", -1,
		"content/projects/r.md:6:11: error: field 'trainees' must be at least 0, got -5\n");
	assert_check(fx, "projects",
		"title: t\nyear: 2024\nregion: r\nlevel: 国培\n"
		"subject:\n"
		"  - 语文\n"
		"  -\n"
		"  - \"\"\n", -1,
		"content/projects/r.md:8:4: error: empty item in list 'subject'\n"
		"content/projects/r.md:9:5: error: empty item in list 'subject'\n");
}

static void test_dates(void **state)
{
	struct fixture *fx = *state;
	assert_check(fx, "reports", "year: 2024\ndate: 2024-02-30\n", -1,
		"content/reports/r.md:3:7: error: field 'date' has an impossible date '2024-02-30'\n");
	assert_check(fx, "reports", "year: 2024\ndate: 2023-13-01\n", -1,
		"content/reports/r.md:3:7: error: field 'date' has an impossible date '2023-13-01'\n");
	assert_check(fx, "reports", "year: 2024\ndate: 2023-02-29\n", -1,
		"content/reports/r.md:3:7: error: field 'date' has an impossible date '2023-02-29'\n");
	assert_check(fx, "reports", "year: 2024\ndate: 1900-02-29\n", -1,
		"content/reports/r.md:3:7: error: field 'date' has an impossible date '1900-02-29'\n");
	assert_check(fx, "reports", "year: 2024\ndate: 2000-02-29\n", 0, "");
	assert_check(fx, "reports", "year: 2024\ndate: 2024/3/1\n", -1,
		"content/reports/r.md:3:7: error: field 'date' expects a date as YYYY-MM-DD, got '2024/3/1'\n");
	assert_check(fx, "reports", "year: 2024\ndate: 2024-3-1\n", -1,
		"content/reports/r.md:3:7: error: field 'date' expects a date as YYYY-MM-DD, got '2024-3-1'\n");
	assert_check(fx, "reports", "year: 2024\ndate: \"2024-03-01 \"\n", -1,
		"content/reports/r.md:3:7: error: field 'date' expects a date as YYYY-MM-DD, got '2024-03-01 '\n");
	/* end must not precede start; equal is fine (tested above). */
	assert_check(fx, "projects",
		"title: t\nyear: 2024\nregion: r\nlevel: 国培\n"
		"start: 2024-05-01\n"
		"end: 2024-03-01\n", -1,
		"content/projects/r.md:7:6: error: 'end' (2024-03-01) is before 'start' (2024-05-01)\n");
	/* Written in the other order, still reported at end. */
	assert_check(fx, "projects",
		"title: t\nyear: 2024\nregion: r\nlevel: 国培\n"
		"end: 2024-03-01\n"
		"start: 2024-05-01\n", -1,
		"content/projects/r.md:6:6: error: 'end' (2024-03-01) is before 'start' (2024-05-01)\n");
}

static void test_date_parse(void **state)
{
	int y = 0, m = 0, d = 0;
	(void)state;
	assert_int_equal(schema_date_parse("2024-02-29", &y, &m, &d), 0);
	assert_int_equal(y, 2024);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
	assert_int_equal(schema_date_parse("2023-02-29", &y, &m, &d), -1);
	assert_int_equal(schema_date_parse("2023-04-31", &y, &m, &d), -1);
	assert_int_equal(schema_date_parse("2023-12-31", &y, &m, &d), 0);
	assert_int_equal(schema_date_parse("2023-00-10", &y, &m, &d), -1);
	assert_int_equal(schema_date_parse("2023-01-00", &y, &m, &d), -1);
	assert_int_equal(schema_date_parse("0000-01-01", &y, &m, &d), -1);
	assert_int_equal(schema_date_parse("2023-1-01", &y, &m, &d), -1);
	assert_int_equal(schema_date_parse("2023-01-011", &y, &m, &d), -1);
	assert_int_equal(schema_date_parse("", &y, &m, &d), -1);
	assert_int_equal(y, 2023); /* untouched by failures */
}

static void test_images(void **state)
{
	struct fixture *fx = *state;
	const char *head = "title: t\ndate: 2024-01-01\nkind: 工作案例\n";
	char yaml[256];

	snprintf(yaml, sizeof(yaml), "%scover: /content/images/logo.png\n", head);
	assert_check(fx, "cases", yaml, -1,
		"content/cases/r.md:5:8: error: image path '/content/images/logo.png' of field 'cover' must be relative to the repository root (no leading '/')\n");
	snprintf(yaml, sizeof(yaml), "%scover: content/../../logo.png\n", head);
	assert_check(fx, "cases", yaml, -1,
		"content/cases/r.md:5:8: error: image path 'content/../../logo.png' of field 'cover' leaves the repository\n");
	snprintf(yaml, sizeof(yaml), "%scover: images/ketang.jpg\n", head);
	assert_check(fx, "cases", yaml, -1,
		"content/cases/r.md:5:8: error: image 'images/ketang.jpg' not found in the repository (paths in front matter start at the repository root)\n");
	/* The media policy's reason follows the normalised path. */
	snprintf(yaml, sizeof(yaml), "%scover: ./content/images/lfs.png\n", head);
	assert_check(fx, "cases", yaml, -1,
		"content/cases/r.md:5:8: error: image 'content/images/lfs.png' is a Git LFS pointer; run git lfs pull / commit the real file\n");
	/* ".." inside the tree is fine once normalised. */
	snprintf(yaml, sizeof(yaml),
		 "%scover: content/cases/../images//logo.png\n", head);
	assert_check(fx, "cases", yaml, 0, "");
}

static void test_list_min_items(void **state)
{
	struct fixture *fx = *state;
	assert_check(fx, "selections",
		"title: t\nyear: 2024\ncategory: 其他\n"
		"entries: []\n", -1,
		"content/selections/r.md:5:10: error: field 'entries' needs at least 1 item, got 0\n");
}

static void test_entry_errors(void **state)
{
	struct fixture *fx = *state;
	struct value *t;
	int r;
	char *out = check(fx, "selections",
		"title: t\nyear: 2024\ncategory: 其他\n"
		"entries:\n"
		"  - name: 第一中学\n"
		"    grade: [一等奖]\n"
		"  - grade: 二等奖\n"
		"    school: 第二中学\n"
		"  - 第三中学\n"
		"  - { name: x, studio: { slug: a }, note: n }\n", &t, &r);
	assert_string_equal(out,
		"content/selections/r.md:7:12: error: field 'entries.grade' expects a string, got a list\n"
		"content/selections/r.md:8:5: error: missing required field 'entries.name' (名称)\n"
		"content/selections/r.md:10:5: error: field 'entries' expects a map of fields, got '第三中学'\n"
		"content/selections/r.md:11:24: error: field 'entries.studio' expects the slug of a record of 'studios', got a map\n"
		"content/selections/r.md:11:37: warning: unknown field 'entries.note' (not in the schema of 'selections')\n");
	free(out);
	assert_int_equal(r, -1);
	/* Best effort: good entries and good fields are kept. */
	const struct value *entries = value_map_get(t, "entries");
	assert_int_equal(entries->u.list.len, 3);
	assert_null(value_map_get(entries->u.list.items[0], "grade"));
	assert_string_equal(
		value_str(value_map_get(entries->u.list.items[1], "school")),
		"第二中学");
}

static void test_unknown_field(void **state)
{
	struct fixture *fx = *state;
	struct value *t;
	int r;
	char *out = check(fx, "reports",
		"year: 2024\n"
		"foo: 12\n"
		"bar: [true, x, ~]\n", &t, &r);
	assert_string_equal(out,
		"content/reports/r.md:3:1: warning: unknown field 'foo' (not in the schema of 'reports')\n"
		"content/reports/r.md:4:1: warning: unknown field 'bar' (not in the schema of 'reports')\n");
	free(out);
	/* Warnings are not errors; the values pass through typed. */
	assert_int_equal(r, 0);
	assert_int_equal(value_map_get(t, "foo")->kind, VALUE_INT);
	assert_int_equal(value_map_get(t, "foo")->u.integer, 12);
	const struct value *bar = value_map_get(t, "bar");
	assert_int_equal(bar->kind, VALUE_LIST);
	assert_int_equal(bar->u.list.items[0]->kind, VALUE_BOOL);
	assert_int_equal(bar->u.list.items[1]->kind, VALUE_STRING);
	assert_int_equal(bar->u.list.items[2]->kind, VALUE_NULL);
	assert_int_equal(bar->u.list.items[2]->col, 16);
}

/* All problems of a record are reported, in reading order. */
static void test_many_errors(void **state)
{
	struct fixture *fx = *state;
	struct value *t;
	int r;
	char *out = check(fx, "projects",
		"year: 二〇二四\n"
		"level: 县级培训\n"
		"trainees: -5\n"
		"hours: many\n"
		"region: 城关区\n"
		"start: 2024-05-01\n"
		"end: 2024-03-01\n"
		"stage: 小学\n"
		"rating: 好\n"
		"draft: no\n", &t, &r);
	assert_string_equal(out,
		"content/projects/r.md:2:1: error: missing required field 'title' (项目名称)\n"
		"content/projects/r.md:2:7: error: field 'year' expects an integer, got '二〇二四'\n"
		"content/projects/r.md:3:8: error: '县级培训' is not a valid value for 'level' (expected one of: 国培, 省培, 市培, 县培, 校本)\n"
		"content/projects/r.md:4:11: error: field 'trainees' must be at least 0, got -5\n"
		"content/projects/r.md:5:8: error: field 'hours' expects an integer, got 'many'\n"
		"content/projects/r.md:8:6: error: 'end' (2024-03-01) is before 'start' (2024-05-01)\n"
		"content/projects/r.md:9:8: error: field 'stage' expects a list, got '小学'\n"
		"content/projects/r.md:10:9: error: '好' is not a valid value for 'rating' (expected one of: 优秀, 良好, 合格, 不合格)\n"
		"content/projects/r.md:11:8: error: field 'draft' expects true or false, got 'no'\n");
	free(out);
	assert_int_equal(r, -1);
	/* What was right is typed all the same. */
	assert_string_equal(value_str(value_map_get(t, "region")), "城关区");
	assert_null(value_map_get(t, "year"));
	assert_null(value_map_get(t, "draft"));
}

/* Aliases can describe a huge tree in a few lines; the work is bounded. */
static void test_alias_bomb(void **state)
{
	struct fixture *fx = *state;
	assert_check(fx, "reports",
		"year: 2024\n"
		"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
		"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
		"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
		"f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n", -1,
		"content/reports/r.md:3:1: warning: unknown field 'a' (not in the schema of 'reports')\n"
		"content/reports/r.md:4:1: warning: unknown field 'b' (not in the schema of 'reports')\n"
		"content/reports/r.md:5:1: warning: unknown field 'c' (not in the schema of 'reports')\n"
		"content/reports/r.md:6:1: warning: unknown field 'd' (not in the schema of 'reports')\n"
		"content/reports/r.md:7:1: warning: unknown field 'e' (not in the schema of 'reports')\n"
		"content/reports/r.md:7:1: error: front matter holds more than 100000 values (check its aliases)\n");
}

/* An alias inside its own anchor makes a cycle; it must not hang. */
static void test_cyclic_alias(void **state)
{
	struct fixture *fx = *state;
	assert_check(fx, "reports",
		"year: 2024\n"
		"foo: &f [*f]\n"
		"bar: &b { k: *b }\n", 0,
		"content/reports/r.md:3:1: warning: unknown field 'foo' (not in the schema of 'reports')\n"
		"content/reports/r.md:3:1: warning: unknown field 'foo' nests deeper than 64 levels and is left out\n"
		"content/reports/r.md:4:1: warning: unknown field 'bar' (not in the schema of 'reports')\n"
		"content/reports/r.md:4:1: warning: unknown field 'bar' nests deeper than 64 levels and is left out\n");
	assert_check(fx, "selections",
		"title: t\nyear: 2024\ncategory: 其他\n"
		"entries: &e [*e]\n", -1,
		"content/selections/r.md:5:10: error: field 'entries' expects a map of fields, got a list\n");
}

/* ---- references, order, permalinks ---- */

struct refs {
	struct buf b;
};

static void collect_ref(void *ctx, const char *to, const struct value *slug,
			const struct schema_field *field)
{
	struct refs *r = ctx;
	buf_printf(&r->b, "%s:%s->%s@%u:%u;", field->name, value_str(slug), to,
		   slug->line, slug->col);
}

static void test_each_reference(void **state)
{
	struct fixture *fx = *state;
	struct refs refs = { BUF_INIT };
	struct value *t;
	char *out;

	assert_int_equal(load(fx,
		"collections:\n"
		"  cases:\n"
		"    fields:\n"
		"      partners: { type: list, of: { type: reference, to: studios } }\n"), 0);
	out = check(fx, "cases",
		"title: t\ndate: 2024-01-01\nkind: 工作案例\n"
		"partners: [li, wang]\n"
		"studio: zhang\n"
		"project: p1\n", &t, NULL);
	assert_string_equal(out, "");
	free(out);
	schema_each_reference(schema_find(fx->s, "cases"), t, collect_ref, &refs);
	/* In field order: project, studio, then the new partners. */
	assert_string_equal(refs.b.ptr,
		"project:p1->projects@7:10;"
		"studio:zhang->studios@6:9;"
		"partners:li->studios@5:12;"
		"partners:wang->studios@5:16;");
	buf_reset(&refs.b);

	out = check(fx, "selections",
		"title: t\nyear: 2024\ncategory: 其他\n"
		"entries:\n"
		"  - { name: a, case: c1 }\n"
		"  - { name: b }\n"
		"  - { name: c, studio: s3, case: c3 }\n", &t, NULL);
	assert_string_equal(out, "");
	free(out);
	schema_each_reference(schema_find(fx->s, "selections"), t, collect_ref,
			      &refs);
	assert_string_equal(refs.b.ptr,
		"case:c1->cases@6:22;"
		"studio:s3->studios@8:24;"
		"case:c3->cases@8:34;");
	buf_release(&refs.b);
}

static struct value *typed_record(struct fixture *fx, const char *coll,
				  const char *yaml)
{
	struct value *t;
	int r;
	char *out = check(fx, coll, yaml, &t, &r);
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(r, 0);
	return t;
}

static void test_compare(void **state)
{
	struct fixture *fx = *state;
	const struct schema_collection *p = schema_find(fx->s, "projects");
	const char *base = "title: %s\nyear: %s\nlevel: 国培\nregion: r\n";
	char y[128];
	struct value *a, *b, *c, *n;

	snprintf(y, sizeof(y), base, "乙", "2024");
	a = typed_record(fx, "projects", y);
	snprintf(y, sizeof(y), base, "甲", "2024");
	b = typed_record(fx, "projects", y);
	snprintf(y, sizeof(y), base, "甲", "2023");
	c = typed_record(fx, "projects", y);
	/* -year first: 2024 before 2023. */
	assert_true(schema_compare(p, NULL, a, "a", c, "c") < 0);
	assert_true(schema_compare(p, NULL, c, "c", a, "a") > 0);
	/* Same year: by title, by code point ("甲" U+7532 > "乙" U+4E59). */
	assert_true(schema_compare(p, NULL, b, "b", a, "a") > 0);
	/* Ties by slug. */
	assert_true(schema_compare(p, NULL, a, "a", a, "b") < 0);
	assert_int_equal(schema_compare(p, NULL, a, "a", a, "a"), 0);

	/* Records lacking a sort value come last in either direction. */
	const struct schema_collection *s = schema_find(fx->s, "studios");
	n = typed_record(fx, "studios",
			 "kind: 名师工作室\nlevel: 省级\nhost: h\ntitle: x\n");
	struct value *none = value_map(&fx->a);
	assert_true(schema_compare(s, NULL, n, "n", none, "a") < 0);
	assert_true(schema_compare(s, NULL, none, "a", n, "n") > 0);
	assert_true(schema_compare(p, NULL, none, "a", c, "c") > 0);
}

static void test_permalink(void **state)
{
	struct fixture *fx = *state;
	struct buf b = BUF_INIT;
	struct value *t;

	assert_int_equal(load(fx,
		"collections:\n"
		"  cases:\n"
		"    permalink: /{year}/{collection}/{slug}.html\n"
		"  reports:\n"
		"    permalink: /nianbao/{year}/\n"
		"    label: 年报\n"
		"    fields: { dummy: string }\n"
		"  studios: { permalink: '/{slug}/{year}/' }\n"), -1);
	assert_diags(&fx->d,
		"site.yaml:5:16: error: permalink '/nianbao/{year}/' of collection 'reports' must contain {slug}\n"
		"site.yaml:8:25: error: permalink of collection 'studios' uses {year} but the collection has no integer 'year' or date 'date' field\n");

	arena_release(&fx->a);
	assert_int_equal(load(fx,
		"collections:\n"
		"  cases:\n"
		"    permalink: /{year}/{collection}/{slug}.html\n"), 0);
	t = typed_record(fx, "cases", "title: t\ndate: 2023-09-01\nkind: 工作案例\n");
	buf_puts(&b, "https://x");
	assert_int_equal(schema_permalink(schema_find(fx->s, "cases"), t,
					  "ketang", &b), 0);
	assert_string_equal(b.ptr, "https://x/2023/cases/ketang.html");
	/* Without a date or year, {year} cannot be filled. */
	buf_reset(&b);
	buf_puts(&b, "keep");
	assert_int_equal(schema_permalink(schema_find(fx->s, "cases"),
					  value_map(&fx->a), "k", &b), -1);
	assert_string_equal(b.ptr, "keep");
	buf_reset(&b);
	assert_int_equal(schema_permalink(schema_find(fx->s, "projects"),
					  value_map(&fx->a), "guopei", &b), 0);
	assert_string_equal(b.ptr, "/projects/guopei/");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_theme_collections, setup_theme, teardown),
		cmocka_unit_test_setup_teardown(test_theme_projects, setup_theme, teardown),
		cmocka_unit_test_setup_teardown(test_theme_other_collections, setup_theme, teardown),
		cmocka_unit_test_setup_teardown(test_for_path, setup_theme, teardown),
		cmocka_unit_test_setup_teardown(test_site_extension, setup, teardown),
		cmocka_unit_test_setup_teardown(test_site_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_site_field_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_depth, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_alias_bomb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enum_values_alias_bomb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_error_flood, setup, teardown),
		cmocka_unit_test_setup_teardown(test_theme_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_taxonomy_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_taxonomy_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_not_a_map, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_valid_project, setup_theme, teardown),
		cmocka_unit_test_setup_teardown(test_valid_studio, setup_theme, teardown),
		cmocka_unit_test_setup_teardown(test_valid_case, setup_theme, teardown),
		cmocka_unit_test_setup_teardown(test_valid_achievement_and_report, setup_theme, teardown),
		cmocka_unit_test_setup_teardown(test_valid_selection, setup_theme, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_map, setup_theme, teardown),
		cmocka_unit_test_setup_teardown(test_missing_required, setup_theme, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_types, setup_theme, teardown),
		cmocka_unit_test_setup_teardown(test_enum_and_min, setup_theme, teardown),
		cmocka_unit_test_setup_teardown(test_dates, setup_theme, teardown),
		cmocka_unit_test(test_date_parse),
		cmocka_unit_test_setup_teardown(test_images, setup_theme, teardown),
		cmocka_unit_test_setup_teardown(test_list_min_items, setup_theme, teardown),
		cmocka_unit_test_setup_teardown(test_entry_errors, setup_theme, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_field, setup_theme, teardown),
		cmocka_unit_test_setup_teardown(test_many_errors, setup_theme, teardown),
		cmocka_unit_test_setup_teardown(test_alias_bomb, setup_theme, teardown),
		cmocka_unit_test_setup_teardown(test_cyclic_alias, setup_theme, teardown),
		cmocka_unit_test_setup_teardown(test_each_reference, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compare, setup_theme, teardown),
		cmocka_unit_test_setup_teardown(test_permalink, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
