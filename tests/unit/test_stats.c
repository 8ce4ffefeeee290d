/*
 * Unit tests of stats (a year's figures) and of the report's template data,
 * on the minimal fixture site read from the working tree.
 */
#include <string.h>

#include "testutil.h"

#include "arena.h"
#include "build.h"
#include "model.h"
#include "report_internal.h"
#include "stats.h"
#include "value.h"

static struct build_site site;
static struct diag diag;

static int setup(void **state)
{
	struct build_options o;
	(void)state;
	memset(&o, 0, sizeof(o));
	o.dir = "tests/integration/fixtures/minimal";
	o.worktree = 1;
	o.theme = "themes/default";
	diag_init(&diag);
	if (build_load(&site, &o, "/nonexistent-output", &diag) < 0) {
		diag_flush(&diag, stderr);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	build_site_release(&site);
	diag_release(&diag);
	return 0;
}

static void test_year_membership(void **state)
{
	struct arena a = ARENA_INIT;
	struct stats_year s;
	(void)state;
	stats_compute(site.model, 2024, &a, &s);
	assert_int_equal(s.projects.len, 1);
	assert_int_equal(s.cases.len, 1);
	assert_int_equal(s.featured_cases.len, 1);
	assert_int_equal(s.other_cases.len, 0);
	assert_int_equal(s.achievements.len, 1);
	assert_int_equal(s.selections.len, 1);
	assert_int_equal(s.studios.len, 1);
	assert_int_equal(s.trainees, 120);
	assert_int_equal(s.hours, 60);

	stats_compute(site.model, 2023, &a, &s);
	assert_int_equal(s.projects.len, 0);
	assert_int_equal(s.trainees, 0);
	assert_int_equal(s.studios.len, 1); /* studios are listed every year */
	arena_release(&a);
}

static void test_figures_keep_their_records(void **state)
{
	struct arena a = ARENA_INIT;
	struct stats_year s;
	const struct stats_figure *f;
	(void)state;
	stats_compute(site.model, 2024, &a, &s);
	f = stats_figure(&s, "projects_by_level");
	assert_non_null(f);
	assert_int_equal(f->nitems, 1); /* empty enum groups are left out */
	assert_string_equal(f->items[0].label, "国培");
	assert_int_equal(f->items[0].value, 1);
	assert_int_equal(f->items[0].records.len, 1);
	assert_string_equal(f->items[0].records.records[0]->slug, "p1");
	f = stats_figure(&s, "trainees_by_region");
	assert_int_equal(f->total, 120);
	assert_string_equal(f->items[0].label, "测试县");
	assert_null(stats_figure(&s, "nonsense"));
	arena_release(&a);
}

static void test_report_data_escapes_markdown(void **state)
{
	struct arena a = ARENA_INIT;
	struct stats_year s;
	const struct collection *reports = model_collection(site.model, "reports");
	const struct value *root, *projects, *p, *sel, *entry;
	(void)state;
	stats_compute(site.model, 2024, &a, &s);
	root = report_data(&site, reports->records[0], &s, &a);
	projects = value_map_get(root, "projects");
	assert_int_equal(projects->u.list.len, 1);
	p = projects->u.list.items[0];
	/* Dates and list items get backslashes before Markdown syntax; the
	 * template engine escapes & < > itself. */
	assert_string_equal(value_str(value_map_get(p, "start")), "2024\\-03\\-01");
	assert_string_equal(value_str(value_map_get(p, "stage")), "小学、初中");
	assert_string_equal(value_str(value_map_get(p, "ref")), "projects/p1");
	sel = value_map_get(root, "selections")->u.list.items[0];
	entry = value_map_get(sel, "entries")->u.list.items[0];
	/* References show the title of the record they name. */
	assert_string_equal(value_str(value_map_get(entry, "case")), "案例一");
	assert_int_equal(value_int_or(value_map_get(value_map_get(root, "stats"),
						     "trainees"), -1), 120);
	/* Each studio lists its achievements of the year. */
	const struct value *studio = value_map_get(root, "studios")->u.list.items[0];
	const struct value *ach = value_map_get(studio, "achievements");
	assert_int_equal(ach->u.list.len, 1);
	assert_string_equal(value_str(value_map_get(ach->u.list.items[0], "title")),
			    "论文一篇");
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_year_membership),
		cmocka_unit_test(test_figures_keep_their_records),
		cmocka_unit_test(test_report_data_escapes_markdown),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
