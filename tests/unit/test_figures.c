/*
 * Unit tests of figures: the measures (count, full, partial and empty sums,
 * distinct), the year rule, the cumulative years of studios, breakdowns,
 * the declaration's errors and figures.json, on records built in memory.
 */
#include <string.h>

#include "testutil.h"

#include "arena.h"
#include "figures.h"
#include "model.h"
#include "schema.h"
#include "value.h"
#include "yamlv.h"

static const char *const schema_text =
	"collections:\n"
	"  projects:\n"
	"    label: 培训项目\n"
	"    folder: content/projects\n"
	"    fields:\n"
	"      title: { type: string, required: true }\n"
	"      year: { type: integer }\n"
	"      level: { type: enum, values: [国培, 省培, 县培] }\n"
	"      region: { type: string }\n"
	"      subject: { type: list, of: string }\n"
	"      trainees: { type: integer }\n"
	"  cases:\n"
	"    folder: content/cases\n"
	"    fields:\n"
	"      title: { type: string, required: true }\n"
	"      date: { type: date }\n"
	"      featured: { type: boolean }\n"
	"  studios:\n"
	"    folder: content/studios\n"
	"    fields:\n"
	"      title: { type: string, required: true }\n"
	"      founded: { type: integer }\n";

static const char *const decl_text =
	"figures:\n"
	"  projects: { collection: projects, label: 项目, unit: 个, by: [level, subject] }\n"
	"  trainees: { collection: projects, measure: \"sum:trainees\", label: 参训人次, unit: 人次 }\n"
	"  subjects: { collection: projects, measure: \"distinct:subject\", label: 学科, unit: 个 }\n"
	"  featured: { collection: cases, where: { featured: true }, label: 推介, unit: 篇 }\n"
	"  plain: { collection: cases, where: { featured: false }, label: 其他, unit: 篇 }\n"
	"  studios: { collection: studios, years: cumulative, label: 工作室, unit: 个 }\n";

struct fx {
	struct arena a;
	struct diag d;
	struct schema *schema;
	struct model m;
	struct collection colls[3];
	struct figures fs;
};

static struct value *yaml(struct fx *f, const char *text)
{
	struct value *v = NULL;
	assert_int_equal(yamlv_parse(&f->a, text, strlen(text), "t.yaml", 0,
				     &f->d, &v), 0);
	value_resolve_scalars(v);
	return v;
}

/* A record of collection `c` with fields given as YAML flow text. */
static void add(struct fx *f, struct collection *c, const char *slug,
		const char *fields)
{
	struct record *r = arena_calloc(&f->a, 1, sizeof(*r));
	r->schema = c->schema;
	r->coll = c;
	r->slug = slug;
	r->title = slug;
	r->url = arena_printf(&f->a, "/base/%s/%s/", c->name, slug);
	r->fields = yaml(f, fields);
	c->records = arena_grow_array(&f->a, c->records, c->count, c->count + 1,
				      sizeof(*c->records));
	c->records[c->count++] = r;
}

static int setup(void **state)
{
	static const char *const names[] = { "projects", "cases", "studios" };
	struct fx *f = calloc(1, sizeof(*f));
	arena_init(&f->a);
	diag_init(&f->d);
	assert_int_equal(schema_load(&f->a, yaml(f, schema_text), "schema.yaml",
				     NULL, "site.yaml", &f->schema, &f->d), 0);
	for (size_t i = 0; i < 3; i++) {
		f->colls[i].name = names[i];
		f->colls[i].schema = schema_find(f->schema, names[i]);
	}
	f->m.collections = f->colls;
	f->m.ncollections = 3;
	add(f, &f->colls[0], "p1", "{title: a, year: 2023, level: 县培, region: 甲县, trainees: 100, subject: [语文, 数学]}");
	add(f, &f->colls[0], "p2", "{title: b, year: 2024, level: 国培, region: 甲县, trainees: 50, subject: [语文]}");
	add(f, &f->colls[0], "p3", "{title: c, year: 2024, level: 县培, region: 乙县}");
	add(f, &f->colls[0], "p4", "{title: d, year: 2024, level: 国培, trainees: 7}");
	add(f, &f->colls[0], "p5", "{title: e, year: 2022, level: 省培}");
	add(f, &f->colls[1], "c1", "{title: x, date: 2024-05-01, featured: true}");
	add(f, &f->colls[1], "c2", "{title: y, date: 2024-06-01}");
	add(f, &f->colls[2], "s1", "{title: s, founded: 2020}");
	add(f, &f->colls[2], "s2", "{title: t, founded: 2024}");
	add(f, &f->colls[2], "s3", "{title: u}");
	assert_int_equal(figures_load(&f->fs, &f->a, yaml(f, decl_text),
				      "figures.yaml", f->schema, "zh-CN", &f->d), 0);
	figures_compute(&f->fs, &f->m);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	arena_release(&f->a);
	diag_release(&f->d);
	free(f);
	return 0;
}

static const struct figures_value *get(void **state, const char *name, int year)
{
	struct fx *f = *state;
	const struct figures_value *v = figures_get(&f->fs, name, year);
	assert_non_null(v);
	return v;
}

static char *text(void **state, const struct figures_value *v)
{
	static char out[256];
	struct buf b = BUF_INIT;
	figures_text(&((struct fx *)*state)->fs, v, &b);
	snprintf(out, sizeof(out), "%s", b.ptr);
	buf_release(&b);
	return out;
}

static void test_years(void **state)
{
	struct fx *f = *state;
	assert_int_equal(f->fs.nyears, 4); /* 2020 (founded) 2022 2023 2024 */
	assert_int_equal(f->fs.years[0], 2020);
	assert_int_equal(f->fs.years[3], 2024);
	assert_int_equal(figures_record_year(f->colls[0].records[0]), 2023);
	assert_int_equal(figures_record_year(f->colls[1].records[0]), 2024);
	assert_int_equal(figures_record_year(f->colls[2].records[0]), 2020);
	assert_int_equal(figures_record_year(f->colls[2].records[2]), 0);
	assert_null(figures_get(&f->fs, "projects", 1999));
}

static void test_count(void **state)
{
	const struct figures_value *v = get(state, "projects", 2024);
	assert_true(v->has_value);
	assert_int_equal(v->value, 3);
	assert_int_equal(v->selected, 3);
	assert_string_equal(v->records[0]->slug, "p2");
	assert_string_equal(text(state, v), "3 个");
	assert_int_equal(get(state, "projects", 0)->value, 5);
	/* A year with no project is a true 0. */
	v = get(state, "projects", 2020);
	assert_true(v->has_value);
	assert_int_equal(v->value, 0);
	/* where: an absent boolean is false */
	assert_int_equal(get(state, "featured", 2024)->value, 1);
	assert_int_equal(get(state, "plain", 2024)->value, 1);
	assert_string_equal(get(state, "plain", 2024)->records[0]->slug, "c2");
}

static void test_sums(void **state)
{
	const struct figures_value *v = get(state, "trainees", 2023);
	/* fully reported */
	assert_true(v->has_value);
	assert_int_equal(v->value, 100);
	assert_string_equal(text(state, v), "100 人次");
	/* partly reported: 2 of 3 */
	v = get(state, "trainees", 2024);
	assert_true(v->has_value);
	assert_int_equal(v->value, 57);
	assert_int_equal(v->reported, 2);
	assert_int_equal(v->selected, 3);
	assert_string_equal(text(state, v), "57 人次（3 个培训项目中 2 个填报）");
	/* reported by none: not 0 */
	v = get(state, "trainees", 2022);
	assert_false(v->has_value);
	assert_int_equal(v->selected, 1);
	assert_string_equal(text(state, v), "未填报");
	/* nothing to sum at all */
	assert_false(get(state, "trainees", 2020)->has_value);
	assert_int_equal(get(state, "trainees", 0)->value, 157);
}

static void test_distinct(void **state)
{
	/* list items count one by one, each value once */
	const struct figures_value *v = get(state, "subjects", 0);
	assert_int_equal(v->value, 2);
	assert_int_equal(v->reported, 2);
	assert_int_equal(get(state, "subjects", 2024)->value, 1);
	/* records, none of which has the field: not reported */
	assert_false(get(state, "subjects", 2022)->has_value);
	/* no records: 0 */
	v = get(state, "subjects", 2020);
	assert_true(v->has_value);
	assert_int_equal(v->value, 0);
}

static void test_studios_cumulative(void **state)
{
	const struct figures_value *v = get(state, "studios", 2022);
	/* founded 2020 and unknown; not the one founded in 2024 */
	assert_int_equal(v->value, 2);
	assert_string_equal(v->records[0]->slug, "s1");
	assert_string_equal(v->records[1]->slug, "s3");
	assert_int_equal(get(state, "studios", 2024)->value, 3);
	assert_int_equal(get(state, "studios", 0)->value, 3);
}

static void test_groups(void **state)
{
	const struct figures_value *v = get(state, "projects", 2024);
	const struct figures_group *g = figures_group(v, "level");
	assert_non_null(g);
	/* enum order of the schema, terms without records left out */
	assert_int_equal(g->nitems, 2);
	assert_string_equal(g->items[0]->term, "国培");
	assert_int_equal(g->items[0]->value, 2);
	assert_string_equal(g->items[1]->term, "县培");
	assert_string_equal(g->items[1]->id, "projects/2024/level=县培");
	/* a list field: a record in each of its terms */
	g = figures_group(get(state, "projects", 0), "subject");
	assert_int_equal(g->nitems, 2);
	assert_string_equal(g->items[0]->term, "语文");
	assert_int_equal(g->items[0]->value, 2);
	assert_string_equal(g->items[1]->term, "数学");
}

static void test_json(void **state)
{
	struct fx *f = *state;
	struct buf b = BUF_INIT;
	figures_shown(&f->fs, get(state, "trainees", 2022), "years/2022/index.html");
	figures_shown(&f->fs, get(state, "trainees", 2022), "b.html");
	figures_shown(&f->fs, get(state, "trainees", 2022), "b.html");
	figures_json(&f->fs, "/base/", "showcase test", &b);
	assert_non_null(strstr(b.ptr,
		"{\"collection\":\"projects\",\"id\":\"trainees/2022\","
		"\"label\":\"参训人次\",\"measure\":\"sum:trainees\","
		"\"pages\":[\"b.html\",\"years/2022/index.html\"],"
		"\"records\":[\"projects/p5/\"],\"reported\":0,\"selected\":1,"
		"\"unit\":\"人次\",\"value\":null,\"where\":{\"year\":2022}}"));
	assert_non_null(strstr(b.ptr, "\"where\":{\"featured\":true,\"year\":2024}"));
	assert_non_null(strstr(b.ptr, "\"id\":\"studios/2022\""));
	assert_non_null(strstr(b.ptr, "\"where\":{\"year\":{\"max\":2022,\"or_unknown\":true}}"));
	buf_release(&b);
}

static void test_declaration_errors(void **state)
{
	struct fx *f = *state;
	struct figures fs;
	struct diag d;
	char *out;
	diag_init(&d);
	assert_int_equal(figures_load(&fs, &f->a, yaml(f,
		"figures:\n"
		"  a: { collection: projects, measure: \"sum:region\", label: x }\n"
		"  b: { collection: nope, label: x }\n"
		"  c: { collection: projects, label: x, by: [colour] }\n"
		"  d: { collection: projects, label: x, measure: avg }\n"),
		"figures.yaml", f->schema, "zh-CN", &d), -1);
	out = test_flush_diag(&d);
	assert_non_null(strstr(out, "figures.yaml:2:"));
	assert_non_null(strstr(out, "sums field 'region', which is not an integer"));
	assert_non_null(strstr(out, "figures.yaml:3:"));
	assert_non_null(strstr(out, "'colour', which its collection does not have"));
	assert_non_null(strstr(out, "measure 'avg'"));
	free(out);
	diag_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_years),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_sums),
		cmocka_unit_test(test_distinct),
		cmocka_unit_test(test_studios_cumulative),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_declaration_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
