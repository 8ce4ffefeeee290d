/*
 * Unit tests of stats (a year's records), the figures of the fixture and the
 * report's template data,
 * on the minimal fixture site read from the working tree.
 */
#include <string.h>

#include "testutil.h"

#include "arena.h"
#include "load.h"
#include "model.h"
#include "report_internal.h"
#include "figures.h"
#include "stats.h"
#include "value.h"

static struct load_site site;
static struct diag diag;

static int setup(void **state)
{
	struct load_options o;
	(void)state;
	memset(&o, 0, sizeof(o));
	o.dir = "tests/integration/fixtures/minimal";
	o.worktree = 1;
	o.theme = "themes/default";
	diag_init(&diag);
	if (load_open(&site, &o, "/nonexistent-output", &diag) < 0) {
		diag_flush(&diag, stderr);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	load_release(&site);
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

	stats_compute(site.model, 2023, &a, &s);
	assert_int_equal(s.projects.len, 0);
	/* a studio of unknown founding year is listed every year */
	assert_int_equal(s.studios.len, 1);
	arena_release(&a);
}

static void test_figures_keep_their_records(void **state)
{
	const struct figures_value *v;
	const struct figures_group *g;
	(void)state;
	v = figures_get(&site.figures, "projects", 2024);
	assert_non_null(v);
	g = figures_group(v, "level");
	assert_non_null(g);
	assert_int_equal(g->nitems, 1); /* terms no record has are left out */
	assert_string_equal(g->items[0]->term, "国培");
	assert_int_equal(g->items[0]->value, 1);
	assert_int_equal(g->items[0]->selected, 1);
	assert_string_equal(g->items[0]->records[0]->slug, "p1");
	assert_string_equal(g->items[0]->id, "projects/2024/level=国培");
	v = figures_get(&site.figures, "trainees", 2024);
	assert_int_equal(v->value, 120);
	g = figures_group(v, "region");
	assert_string_equal(g->items[0]->term, "测试县");
	assert_null(figures_get(&site.figures, "nonsense", 2024));
	assert_null(figures_group(v, "nonsense"));
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
	assert_int_equal(value_int_or(value_map_get(value_map_get(value_map_get(
		root, "figures"), "trainees"), "value"), -1), 120);
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
