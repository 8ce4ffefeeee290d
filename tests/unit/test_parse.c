/*
 * Unit tests of the pure parse-stage pieces: the front matter splitter,
 * the YAML loader (positions, errors, limits) and site.yaml.
 */
#include <string.h>

#include "testutil.h"

#include "arena.h"
#include "buf.h"
#include "frontmatter.h"
#include "site.h"
#include "value.h"
#include "yamlv.h"

static void split_ok(const char *text, const char *yaml, unsigned body_line,
		     const char *body)
{
	struct diag d;
	struct fm_parts p;
	diag_init(&d);
	assert_int_equal(fm_split(text, strlen(text), "x.md", &p, &d), 0);
	assert_int_equal(p.yaml_len, strlen(yaml));
	assert_memory_equal(p.yaml, yaml, p.yaml_len);
	assert_int_equal(p.yaml_first_line, 2);
	assert_int_equal(p.body_first_line, body_line);
	assert_int_equal(p.body_len, strlen(body));
	assert_memory_equal(p.body, body, p.body_len);
	assert_int_equal(diag_error_count(&d), 0);
	diag_release(&d);
}

static void test_split(void **state)
{
	(void)state;
	split_ok("---\ntitle: a\n---\nbody\n", "title: a\n", 4, "body\n");
	split_ok("---\ntitle: a\n...\n", "title: a\n", 4, "");
	split_ok("---\n---\n", "", 3, "");
	split_ok("\xEF\xBB\xBF---  \r\na: 1\r\n---\r\nx", "a: 1\r\n", 4, "x");
	split_ok("---\na: 1\n---", "a: 1\n", 4, "");
	/* A later "---" in the body is body text. */
	split_ok("---\na: 1\n---\n\n---\n", "a: 1\n", 4, "\n---\n");
}

static void split_fails(const char *text, const char *expected)
{
	struct diag d;
	struct fm_parts p;
	diag_init(&d);
	assert_int_equal(fm_split(text, strlen(text), "c/x.md", &p, &d), -1);
	assert_diag(&d, expected);
	diag_release(&d);
}

static void test_split_errors(void **state)
{
	(void)state;
	split_fails("# title\n", "c/x.md:1:1: error: missing front matter: a "
		    "record must start with a '---' line, then YAML fields, "
		    "then another '---' line\n");
	split_fails("", "c/x.md:1:1: error: missing front matter: a "
		    "record must start with a '---' line, then YAML fields, "
		    "then another '---' line\n");
	split_fails("---\ntitle: x\n", "c/x.md:1:1: error: unterminated front "
		    "matter: no closing '---' line after the opening one\n");
	split_fails("----\n---\n", "c/x.md:1:1: error: missing front matter: a "
		    "record must start with a '---' line, then YAML fields, "
		    "then another '---' line\n");
}

static void test_yaml_positions(void **state)
{
	struct arena a = ARENA_INIT;
	struct diag d;
	struct value *v;
	const char *text = "title: 标题\nlist:\n  - 一\n  - \"二\"\nmap: {k: 3}\n";
	(void)state;
	diag_init(&d);
	assert_int_equal(yamlv_parse(&a, text, strlen(text), "f.md", 1, &d, &v), 0);
	assert_int_equal(v->kind, VALUE_MAP);
	const struct value *list = value_map_get(v, "list");
	assert_int_equal(list->u.list.len, 2);
	assert_int_equal(list->u.list.items[1]->line, 5);
	assert_int_equal(list->u.list.items[1]->col, 5);
	assert_true(list->u.list.items[0]->flags & VALUE_PLAIN);
	assert_false(list->u.list.items[1]->flags & VALUE_PLAIN);
	const struct value_member *m = value_map_member(v, "map", 3);
	assert_int_equal(m->line, 6);
	assert_int_equal(m->col, 1);
	assert_string_equal(value_str(value_map_get(m->val, "k")), "3");
	assert_int_equal(diag_error_count(&d), 0);
	diag_release(&d);
	arena_release(&a);
}

static void yaml_fails(const char *text, const char *expected)
{
	struct arena a = ARENA_INIT;
	struct diag d;
	struct value *v;
	diag_init(&d);
	assert_int_equal(yamlv_parse(&a, text, strlen(text), "f.md", 1, &d, &v), -1);
	assert_diag(&d, expected);
	diag_release(&d);
	arena_release(&a);
}

static void test_yaml_errors(void **state)
{
	struct buf deep = BUF_INIT;
	(void)state;
	yaml_fails("a: 1\na: 2\n", "f.md:3:1: error: duplicate key 'a'\n");
	yaml_fails("a: [1, 2\n", "f.md:3:1: error: invalid YAML: did not find "
		   "expected ',' or ']' while parsing a flow sequence that starts at line 2, column 4\n");
	yaml_fails("a: b: c\n", "f.md:2:5: error: invalid YAML: mapping values "
		   "are not allowed in this context\n");
	for (int i = 0; i < 400; i++)
		buf_putc(&deep, i < 200 ? '[' : ']');
	yaml_fails(deep.ptr, "f.md:2:66: error: YAML nested deeper than 64 levels\n");
	buf_release(&deep);
}

static void test_yaml_alias_bomb(void **state)
{
	struct arena a = ARENA_INIT;
	struct diag d;
	struct value *v;
	struct buf t = BUF_INIT;
	(void)state;
	/* Each level doubles: shared values keep it linear. */
	buf_puts(&t, "a0: &a0 [x, x]\n");
	for (int i = 1; i < 30; i++)
		buf_printf(&t, "a%d: &a%d [*a%d, *a%d]\n", i, i, i - 1, i - 1);
	diag_init(&d);
	assert_int_equal(yamlv_parse(&a, t.ptr, t.len, "f", 0, &d, &v), 0);
	assert_true(a.total < 10 * 1024 * 1024);
	diag_release(&d);
	buf_release(&t);
	arena_release(&a);
}

static void yaml_ok(const char *text, struct arena *a, struct value **v)
{
	struct diag d;
	diag_init(&d);
	assert_int_equal(yamlv_parse(a, text, strlen(text), "f.md", 1, &d, v), 0);
	assert_diag(&d, "");
	diag_release(&d);
}

/* Anchors are hashed, and the events are composed by yamlv itself: a name
 * used twice names the later node, an alias can be a key, an unknown alias
 * is named in the error. */
static void test_yaml_anchors(void **state)
{
	struct arena a = ARENA_INIT;
	struct value *v;
	(void)state;
	yaml_ok("a: &x 1\nb: *x\nc: &x 2\nd: *x\n", &a, &v);
	assert_string_equal(value_str(value_map_get(v, "b")), "1");
	assert_string_equal(value_str(value_map_get(v, "d")), "2");
	assert_ptr_equal(value_map_get(v, "c"), value_map_get(v, "d"));

	yaml_ok("k: &k name\n*k : v\n", &a, &v);
	const struct value_member *m = value_map_member(v, "name", 4);
	assert_non_null(m);
	assert_int_equal(m->line, 3);
	assert_int_equal(m->col, 1);
	assert_string_equal(value_str(m->val), "v");

	/* A list that holds itself, as libyaml's loader made it. */
	yaml_ok("l: &l [a, *l]\n", &a, &v);
	const struct value *l = value_map_get(v, "l");
	assert_int_equal(l->kind, VALUE_LIST);
	assert_ptr_equal(l->u.list.items[1], l);

	yaml_fails("a: *nope\n", "f.md:2:4: error: invalid YAML: found "
		   "undefined alias 'nope'\n");
	yaml_fails("&m {a: 1}: b\n", "f.md:2:1: error: a mapping key must be "
		   "a plain string\n");
	yaml_fails("m: &m {a: 1}\n*m : b\n", "f.md:3:1: error: a mapping key "
		   "must be a plain string\n");
	arena_release(&a);
}

/* Regression (issue 8): 20,000 anchors, each aliased, took libyaml's
 * loader time quadratic in their number. */
static void test_yaml_many_anchors(void **state)
{
	struct arena a = ARENA_INIT;
	struct buf t = BUF_INIT;
	struct value *v;
	(void)state;
	for (int i = 0; i < 20000; i++)
		buf_printf(&t, "k%d: &a%d v%d\n", i, i, i);
	buf_puts(&t, "last: [");
	for (int i = 0; i < 20000; i++)
		buf_printf(&t, "%s*a%d", i ? ", " : "", 19999 - i);
	buf_puts(&t, "]\n");
	yaml_ok(t.ptr, &a, &v);
	const struct value *last = value_map_get(v, "last");
	assert_int_equal(last->u.list.len, 20000);
	assert_string_equal(value_str(last->u.list.items[0]), "v19999");
	buf_release(&t);
	arena_release(&a);
}

/* Regression (issue 8): "[[[[..." of 200 KB took libyaml 47 s before the
 * depth was checked; now the parse stops at level 65. Also "{" and both
 * mixed, and nesting by indentation. */
static void test_yaml_deep_flow(void **state)
{
	struct buf t = BUF_INIT;
	(void)state;
	for (int i = 0; i < 200000; i++)
		buf_putc(&t, '[');
	yaml_fails(t.ptr, "f.md:2:66: error: YAML nested deeper than 64 levels\n");
	buf_reset(&t);
	buf_puts(&t, "a: ");
	for (int i = 0; i < 50000; i++)
		buf_puts(&t, "{a: [");
	yaml_fails(t.ptr, "f.md:2:164: error: YAML nested deeper than 64 levels\n");
	buf_reset(&t);
	for (int i = 0; i < 3000; i++)
		buf_printf(&t, "%*sk:\n", i, "");
	yaml_fails(t.ptr, "f.md:66:65: error: YAML nested deeper than 64 levels\n");
	buf_release(&t);
}

/* libyaml compares each %TAG directive with all earlier ones before it
 * returns its first event; more than YAMLV_MAX_DIRECTIVES is refused
 * before it starts. Line breaks are counted as libyaml counts them. */
static void test_yaml_directives(void **state)
{
	struct arena a = ARENA_INIT;
	struct buf t = BUF_INIT;
	struct value *v;
	(void)state;
	for (int i = 0; i < YAMLV_MAX_DIRECTIVES; i++)
		buf_printf(&t, "%%TAG !t%d! tag:example.org,2024:\n", i);
	buf_puts(&t, "--- !t3!x\na: 1\n");
	yaml_ok(t.ptr, &a, &v);
	assert_string_equal(value_str(value_map_get(v, "a")), "1");
	buf_reset(&t);
	for (int i = 0; i < 100000; i++)
		buf_printf(&t, "%%TAG !t%d! tag:example.org,2024:%s", i,
			   i % 2 ? "\r\n" : "\xE2\x80\xA8");
	yaml_fails(t.ptr, "f.md:66:1: error: more than 64 YAML directives "
		   "(lines that start with '%'); remove them\n");
	buf_release(&t);
	arena_release(&a);
}

static int load_site(const char *text, struct site_config *s, struct diag *d,
		     struct arena *a)
{
	return site_load(a, text, strlen(text), "site.yaml", s, d);
}

static void test_site(void **state)
{
	struct arena a = ARENA_INIT;
	struct diag d;
	struct site_config s;
	(void)state;
	diag_init(&d);
	assert_int_equal(load_site("title: 站点\nbase_url: https://x.cn/peixun\n"
				   "markdown: {unsafe_html: true}\n", &s, &d, &a), 0);
	assert_string_equal(s.title, "站点");
	assert_string_equal(s.base_url, "https://x.cn/peixun/");
	assert_string_equal(s.base_path, "/peixun/");
	assert_string_equal(s.language, "zh-CN");
	assert_true(s.unsafe_html);
	assert_int_equal(s.page_size, 30);
	assert_diag(&d, "");

	assert_int_equal(load_site("base_url: ftp://x\nlanguage: fr\n"
				   "page_size: 0\nfoo: 1\n", &s, &d, &a), -1);
	assert_diag(&d,
		"site.yaml:1:1: error: missing required setting 'title' (the site's name)\n"
		"site.yaml:1:11: error: 'base_url' must be an absolute URL "
		"(https://...) or a path starting with '/', not 'ftp://x'\n"
		"site.yaml:2:11: error: unsupported language 'fr' (expected zh-CN or en)\n"
		"site.yaml:3:12: error: 'page_size' must be an integer from 1 to 100000\n"
		"site.yaml:4:1: warning: unknown setting 'foo'\n");
	diag_release(&d);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_split_errors),
		cmocka_unit_test(test_yaml_positions),
		cmocka_unit_test(test_yaml_errors),
		cmocka_unit_test(test_yaml_alias_bomb),
		cmocka_unit_test(test_yaml_anchors),
		cmocka_unit_test(test_yaml_many_anchors),
		cmocka_unit_test(test_yaml_deep_flow),
		cmocka_unit_test(test_yaml_directives),
		cmocka_unit_test(test_site),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
