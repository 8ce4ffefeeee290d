/*
 * test_tmpl: the Mustache engine (generator/tmpl.h).
 *
 * The official Mustache spec files (tests/spec/mustache, or
 * $MUSTACHE_SPEC_DIR) are run case by case; then the things the spec does
 * not cover: exact diagnostics with line and column, template name
 * checks, runaway recursion, HTML escaping, the value model, and rendering
 * one compiled page from several threads at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "tmpl.h"
#include "value.h"
#include "yamlv.h"

/* ---- helpers ---- */

static struct value *parse_yaml(struct arena *a, const char *text)
{
	struct diag d;
	struct value *v = NULL;
	diag_init(&d);
	assert_int_equal(yamlv_parse(a, text, strlen(text), "test.yaml", 0, &d,
				     &v), 0);
	diag_release(&d);
	value_resolve_scalars(v);
	return v;
}

/* An in-memory theme: templates by name, shown as theme file paths. */
struct fake_theme {
	const char *const *files; /* name, text, name, text, ..., NULL */
	int calls;
	int bad_calls;            /* names the engine should never pass */
};

static int fake_load(void *ctx, const char *name, struct buf *text,
		     char **display_path)
{
	struct fake_theme *th = ctx;
	struct buf path = BUF_INIT;

	th->calls++;
	if (strstr(name, "..") || name[0] == '/')
		th->bad_calls++;
	buf_printf(&path, "themes/test/templates/%s.mustache", name);
	*display_path = buf_detach(&path, NULL);
	for (size_t i = 0; th->files[i]; i += 2) {
		if (!strcmp(th->files[i], name)) {
			buf_puts(text, th->files[i + 1]);
			return 0;
		}
	}
	return 1;
}

/* Compile `name` from `files`; on success render it with `data` (YAML)
 * into *out. Returns the compile result (NULL on errors); *diags receives
 * what the diagnostics printed (caller frees). */
static int compile_and_render(const char *const *files, const char *name,
			      const char *data_yaml, char **out, char **diags)
{
	struct fake_theme th = { files, 0, 0 };
	struct tmpl_loader loader = { fake_load, &th };
	struct arena a = ARENA_INIT;
	struct diag d;
	struct buf b = BUF_INIT;
	struct tmpl_set *s;
	const struct tmpl *t;
	int ret = -1;

	diag_init(&d);
	s = tmpl_set_new(&loader, &d);
	t = tmpl_set_compile(s, name);
	if (t) {
		struct value *data = parse_yaml(&a, data_yaml ? data_yaml : "{}");
		ret = tmpl_render(t, data, &b, &d);
	}
	assert_int_equal(th.bad_calls, 0);
	*out = buf_detach(&b, NULL);
	*diags = test_flush_diag(&d);
	tmpl_set_free(s);
	diag_release(&d);
	arena_release(&a);
	return t ? ret : -2;
}

/* Render one template text with data; expects success. */
static void expect_render(const char *text, const char *data_yaml,
			  const char *expected)
{
	const char *files[] = { "t", text, NULL };
	char *out, *diags;
	assert_int_equal(compile_and_render(files, "t", data_yaml, &out,
					    &diags), 0);
	assert_string_equal(diags, "");
	assert_string_equal(out, expected);
	free(out);
	free(diags);
}

/* Compile `files` starting at `name`; expect it to fail with exactly
 * `expected` diagnostics. */
static void expect_errors(const char *const *files, const char *name,
			  const char *expected)
{
	char *out, *diags;
	assert_int_equal(compile_and_render(files, name, NULL, &out, &diags),
			 -2);
	assert_string_equal(diags, expected);
	free(out);
	free(diags);
}

/* ---- the Mustache spec ---- */

/* The value model has no floats: write a decimal like 1.210 the way the
 * spec expects it printed (1.21), and keep it a string. */
static void fix_decimals(struct arena *a, struct value *v)
{
	if (v->kind == VALUE_LIST) {
		for (size_t i = 0; i < v->u.list.len; i++)
			fix_decimals(a, v->u.list.items[i]);
	} else if (v->kind == VALUE_MAP) {
		for (size_t i = 0; i < v->u.map.len; i++)
			fix_decimals(a, v->u.map.members[i].val);
	} else if (v->kind == VALUE_STRING && (v->flags & VALUE_PLAIN)) {
		const char *s = v->u.str.ptr;
		size_t i = 0, digits = 0, dot = 0;
		char *end, num[64];
		if (s[i] == '-' || s[i] == '+')
			i++;
		for (; s[i]; i++) {
			if (s[i] >= '0' && s[i] <= '9')
				digits++;
			else if (s[i] == '.' && !dot)
				dot = 1;
			else
				break;
		}
		if (s[i] || !digits || !dot)
			return;
		double d = strtod(s, &end);
		snprintf(num, sizeof(num), "%.15g", d);
		v->u.str.ptr = arena_strdup(a, num);
		v->u.str.len = strlen(num);
		v->flags &= ~(unsigned)VALUE_PLAIN;
	}
}

static const char *scalar_text(const struct value *v, size_t *len)
{
	if (v && v->kind == VALUE_STRING) {
		*len = v->u.str.len;
		return v->u.str.ptr;
	}
	*len = 0;
	return ""; /* an empty partial resolves to null */
}

static int run_spec_case(struct arena *a, const char *file,
			 const struct value *test)
{
	const char *name = value_str(value_map_get(test, "name"));
	struct value *data = value_map_get(test, "data");
	struct value *partials = value_map_get(test, "partials");
	const struct value *tv = value_map_get(test, "template");
	const struct value *ev = value_map_get(test, "expected");
	struct diag d;
	struct buf out = BUF_INIT;
	struct tmpl_set *s;
	const struct tmpl *t;
	const char *text, *expected;
	size_t text_len, expected_len;
	int ok;

	text = scalar_text(tv, &text_len);
	expected = scalar_text(ev, &expected_len);
	if (data) {
		fix_decimals(a, data);
		value_resolve_scalars(data);
	}
	if (partials)
		value_resolve_scalars(partials);

	diag_init(&d);
	s = tmpl_set_new(NULL, &d);
	tmpl_set_lenient(s, 1);
	for (size_t i = 0; partials && i < partials->u.map.len; i++) {
		size_t n;
		const char *p = scalar_text(partials->u.map.members[i].val, &n);
		assert_int_equal(tmpl_set_add(s, partials->u.map.members[i].key,
					      p, n, NULL), 0);
	}
	assert_int_equal(tmpl_set_add(s, "spec-template", text, text_len,
				      "template"), 0);
	for (size_t i = 0; partials && i < partials->u.map.len; i++)
		tmpl_set_compile(s, partials->u.map.members[i].key);
	t = tmpl_set_compile(s, "spec-template");
	ok = t && tmpl_render(t, data, &out, &d) == 0 &&
	     out.len == expected_len && !memcmp(out.ptr, expected, out.len);
	if (!ok) {
		char *diags = test_flush_diag(&d);
		fprintf(stderr, "FAIL %s: %s\n  template: [%s]\n  expected: [%s]\n"
			"  actual:   [%s]\n%s", file, name ? name : "?", text,
			expected, out.ptr, diags);
		free(diags);
	}
	buf_release(&out);
	tmpl_set_free(s);
	diag_release(&d);
	return ok;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_spec(void **state)
{
	const char *dir = getenv("MUSTACHE_SPEC_DIR");
	struct stat st;
	DIR *dh;
	struct dirent *e;
	char **files = NULL;
	size_t nfiles = 0;
	int passed = 0, failed = 0;

	(void)state;
	if (!dir || !*dir)
		dir = "tests/spec/mustache";
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		print_message("mustache spec: folder '%s' not found, skipped\n", dir);
		skip();
	}
	dh = opendir(dir);
	assert_non_null(dh);
	while ((e = readdir(dh))) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".yml"))
			continue;
		if (strstr(e->d_name, "lambdas")) /* no functions in our data */
			continue;
		files = xrealloc(files, (nfiles + 1) * sizeof(*files));
		files[nfiles++] = xstrdup(e->d_name);
	}
	closedir(dh);
	qsort(files, nfiles, sizeof(*files), compare_names);
	assert_true(nfiles > 0);

	for (size_t f = 0; f < nfiles; f++) {
		struct arena a = ARENA_INIT;
		struct diag d;
		struct value *root = NULL, *tests;
		struct buf path = BUF_INIT;
		size_t len;
		char *text;

		buf_printf(&path, "%s/%s", dir, files[f]);
		text = test_read_file(path.ptr, &len);
		assert_non_null(text);
		diag_init(&d);
		assert_int_equal(yamlv_parse(&a, text, len, path.ptr, 0, &d, &root),
				 0);
		tests = value_map_get(root, "tests");
		assert_non_null(tests);
		assert_int_equal(tests->kind, VALUE_LIST);
		for (size_t i = 0; i < tests->u.list.len; i++) {
			if (run_spec_case(&a, files[f], tests->u.list.items[i]))
				passed++;
			else
				failed++;
		}
		diag_release(&d);
		arena_release(&a);
		buf_release(&path);
		free(text);
		free(files[f]);
	}
	free(files);
	print_message("mustache spec: %d passed, %d failed\n", passed, failed);
	assert_int_equal(failed, 0);
	assert_true(passed > 100);
}

/* ---- behaviour beyond the spec ---- */

static void test_escaping(void **state)
{
	(void)state;
	expect_render("{{s}}|{{{s}}}|{{&s}}",
		      "s: \"<a href=\\\"x\\\">'&'</a>\"",
		      "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;|"
		      "<a href=\"x\">'&'</a>|<a href=\"x\">'&'</a>");
	/* Delimiters do not change escaping; data is never re-parsed. */
	expect_render("{{=<% %>=}}<%s%>|<%{s}%>", "s: '{{x}}<'",
		      "{{x}}&lt;|{{x}}<");
}

static void test_values(void **state)
{
	(void)state;
	expect_render("{{i}} {{n}} {{t}} {{f}} [{{z}}] [{{l}}] [{{m}}] [{{q}}]",
		      "{i: -9223372036854775807, n: 0, t: true, f: false, z: null, "
		      "l: [1], m: {a: 1}}",
		      "-9223372036854775807 0 true false [] [] [] []");
	/* Truthiness: empty string and 0 are true, empty list is false. */
	expect_render("{{#e}}E{{/e}}{{#z}}Z{{/z}}{{#l}}L{{/l}}{{^l}}!L{{/l}}",
		      "{e: '', z: 0, l: []}", "EZ!L");
	/* A map section pushes the map; a scalar section pushes the scalar. */
	expect_render("{{#m}}{{a}}{{.}}{{/m}}|{{#s}}<{{.}}>{{/s}}",
		      "{m: {a: 1}, s: 学}", "1|<学>");
}

static void test_dotted_names(void **state)
{
	(void)state;
	expect_render("{{record.school.name}}|{{#record}}{{school.name}}"
		      "{{title}}{{site}}{{/record}}",
		      "{record: {title: 报告, school: {name: 实验小学}}, "
		      "site: 站点}",
		      "实验小学|实验小学报告站点");
	/* Later parts resolve only in what the first found. */
	expect_render("[{{#a}}{{b.c}}{{/a}}][{{a.x.y}}]",
		      "{a: {b: {}}, b: {c: ERROR}}", "[][]");
	/* Sections over lists iterate, with outer names visible. */
	expect_render("{{#items}}{{name}}@{{city}};{{/items}}",
		      "{city: 成都, items: [{name: 甲}, {name: 乙, city: 绵阳}]}",
		      "甲@成都;乙@绵阳;");
}

static void test_partials_and_layouts(void **state)
{
	static const char *const files[] = {
		"page",
		"{{<layouts/base}}\n"
		"{{$title}}{{name}}{{/title}}\n"
		"{{$body}}\n"
		"<ul>\n"
		"  {{#items}}\n"
		"  {{>partials/item}}\n"
		"  {{/items}}\n"
		"</ul>\n"
		"{{/body}}\n"
		"{{/layouts/base}}\n",
		"layouts/base",
		"<title>{{$title}}默认{{/title}}</title>\n"
		"<main>\n"
		"  {{$body}}{{/body}}\n"
		"</main>\n",
		"partials/item",
		"<li>{{.}}</li>\n",
		NULL,
	};
	char *out, *diags;

	(void)state;
	assert_int_equal(compile_and_render(files, "page",
					    "{name: 名单, items: [一, 二]}",
					    &out, &diags), 0);
	assert_string_equal(diags, "");
	assert_string_equal(out, "<title>名单</title>\n"
				 "<main>\n"
				 "  <ul>\n"
				 "    <li>一</li>\n"
				 "    <li>二</li>\n"
				 "  </ul>\n"
				 "</main>\n");
	free(out);
	free(diags);
}

/* Found by fuzzing (fuzz/corpus/template/regress-outdent-null): a parent
 * tag after a comment on a standalone line has no indentation span, and
 * compiling it added 0 to a NULL pointer (undefined; UBSan stops). */
static void test_standalone_parent_after_comment(void **state)
{
	static const char *const files[] = {
		"page", "{{! note }}{{<base}}\n{{$b}}B{{/b}}\n{{/base}}\n",
		"base", "[{{$b}}{{/b}}]\n",
		NULL,
	};
	char *out, *diags;

	(void)state;
	assert_int_equal(compile_and_render(files, "page", NULL, &out, &diags),
			 0);
	assert_string_equal(diags, "");
	assert_string_equal(out, "[B]\n");
	free(out);
	free(diags);
}

/* Render the first of `files` (added from memory) with `data`. */
static void expect_set(const char *const *files, const char *data_yaml,
		       const char *expected)
{
	char *out, *diags;
	assert_int_equal(compile_and_render(files, files[0], data_yaml, &out,
					    &diags), 0);
	assert_string_equal(diags, "");
	assert_string_equal(out, expected);
	free(out);
	free(diags);
}

static void test_indentation(void **state)
{
	/* Standalone partials inside standalone partials add up. */
	static const char *const nested[] = {
		"t", "<div>\n  {{>outer}}\n</div>\n",
		"outer", "<p>\n  {{>inner}}\n</p>\n", "inner", "a\nb\n", NULL,
	};
	/* An inline partial is not indented, as in the spec's model where
	 * the indentation is part of the including template's text. */
	static const char *const in_line[] = {
		"t", "<div>\n  {{>outer}}\n</div>\n",
		"outer", "x{{>inner}}y\nz\n", "inner", "1\n2", NULL,
	};
	static const char *const crlf[] = {
		"t", "a\r\n  {{#s}}\r\n  {{>p}}\r\n  {{/s}}\r\nb\r\n",
		"p", "x\r\ny\r\n", NULL,
	};
	/* mustache/spec#131: block content is re-indented where it lands. */
	static const char *const reindent[] = {
		"child", "{{<parent}}\n        {{$block}}\n        Hello\n"
		"        {{/block}}\n{{/parent}}",
		"parent", "I say,\n  {{$block}}\n  Hi there!\n  {{/block}}", NULL,
	};
	/* Empty blocks alone on their lines leave no blank line. */
	static const char *const empty[] = {
		"page", "{{<layout}}{{/layout}}\n",
		"layout", "<html>\n  {{$body}}{{/body}}\n  {{$empty}}\n"
		"  {{/empty}}\n</html>\n", NULL,
	};
	/* An override is not applied inside itself. */
	static const char *const self[] = {
		"page", "{{<layout}}{{$a}}x{{$a}}inner{{/a}}y{{/a}}{{/layout}}",
		"layout", "[{{$a}}d{{/a}}]", NULL,
	};

	(void)state;
	expect_set(nested, "{}", "<div>\n  <p>\n    a\n    b\n  </p>\n</div>\n");
	expect_set(in_line, "{}", "<div>\n  x1\n2y\n  z\n</div>\n");
	expect_set(crlf, "s: true", "a\r\n  x\r\n  y\r\nb\r\n");
	expect_set(reindent, "{}", "I say,\n  Hello\n");
	expect_set(empty, "{}", "<html>\n</html>\n");
	expect_set(self, "{}", "[xinnery]");
}

static void test_dynamic_names(void **state)
{
	static const char *const files[] = {
		/* A dynamic parent closes with the same "*name". */
		"page", "{{#items}}{{>*kind}}{{/items}}|"
		"{{<*frame}}{{$b}}B{{/b}}{{/*frame}}",
		"text", "T:{{content}};",
		"image", "I:{{url}};",
		"box", "[{{$b}}d{{/b}}]",
		NULL,
	};
	struct fake_theme th = { files, 0, 0 };
	struct tmpl_loader loader = { fake_load, &th };
	struct arena a = ARENA_INIT;
	struct diag d;
	struct buf b = BUF_INIT;
	struct tmpl_set *s;
	const struct tmpl *t;

	(void)state;
	diag_init(&d);
	s = tmpl_set_new(&loader, &d);
	t = tmpl_set_compile(s, "page");
	assert_non_null(t);
	/* Dynamic names find only what is compiled, and never load. */
	assert_non_null(tmpl_set_compile(s, "text"));
	assert_non_null(tmpl_set_compile(s, "image"));
	assert_non_null(tmpl_set_compile(s, "box"));
	assert_ptr_equal(tmpl_set_compile(s, "page"), t);
	th.calls = 0;
	assert_int_equal(tmpl_render(t, parse_yaml(&a,
		"items: [{kind: text, content: 甲}, {kind: image, url: a.jpg},"
		" {kind: ../etc/passwd}, {kind: missing}, {kind: 5}]\n"
		"frame: box"), &b, &d), 0);
	assert_int_equal(th.calls, 0);
	assert_int_equal(th.bad_calls, 0);
	assert_string_equal(b.ptr, "T:甲;I:a.jpg;|[B]");
	assert_int_equal(diag_error_count(&d), 0);
	assert_string_equal(tmpl_name(t), "page");
	assert_string_equal(tmpl_path(t), "themes/test/templates/page.mustache");
	buf_release(&b);
	tmpl_set_free(s);
	diag_release(&d);
	arena_release(&a);
}

/* ---- diagnostics ---- */

#define P "themes/test/templates/"

static void test_error_unknown_partial(void **state)
{
	static const char *const files[] = {
		"page", "<p>\n  标题：{{>partials/nope}}\n{{<layout}}{{/layout}}\n",
		NULL,
	};
	(void)state;
	/* Columns count characters, not bytes. */
	expect_errors(files, "page",
		      P "page.mustache:2:6: error: unknown partial "
		      "'partials/nope'\n"
		      P "page.mustache:3:1: error: unknown parent 'layout'\n");
}

static void test_error_sections(void **state)
{
	static const char *const mismatched[] = {
		"page", "{{#a}}\n  {{^b}}x{{/a}}\n{{/b}}\n", NULL,
	};
	static const char *const unclosed[] = {
		"page", "<ul>\n{{#items}}\n<li>{{.}}</li>\n", NULL,
	};
	static const char *const stray[] = { "page", "x{{/items}}", NULL };
	(void)state;
	expect_errors(mismatched, "page",
		      P "page.mustache:2:10: error: closing tag 'a' does not "
		      "match the open inverted section 'b' (line 2, column 3)\n"
		      P "page.mustache:3:1: error: unexpected closing tag 'b' "
		      "(no section is open)\n");
	expect_errors(unclosed, "page",
		      P "page.mustache:2:1: error: unclosed section 'items' "
		      "(add a closing tag '{{/items}}')\n");
	expect_errors(stray, "page",
		      P "page.mustache:1:2: error: unexpected closing tag "
		      "'items' (no section is open)\n");
}

static void test_error_tags(void **state)
{
	static const char *const delim[] = {
		"page", "a\n{{=<% =}}\n{{= <% %> x =}}\n", NULL,
	};
	static const char *const unclosed[] = {
		"page", "ok {{a}}\n  {{name\n", NULL,
	};
	static const char *const triple[] = { "page", "{{{name}}", NULL };
	static const char *const empty[] = {
		"page", "{{}} {{# }} {{>*}}\n{{a b}} {{a..b}}", NULL,
	};
	(void)state;
	expect_errors(delim, "page",
		      P "page.mustache:2:1: error: bad delimiter change '<%' "
		      "(expected two delimiters separated by a space, as in "
		      "{{=<% %>=}})\n"
		      P "page.mustache:3:1: error: bad delimiter change "
		      "'<% %> x' (expected two delimiters separated by a space, "
		      "as in {{=<% %>=}})\n");
	expect_errors(unclosed, "page",
		      P "page.mustache:2:3: error: unclosed tag '{{' (no '}}' "
		      "after it)\n");
	expect_errors(triple, "page",
		      P "page.mustache:1:1: error: unclosed tag '{{' (no '}}}' "
		      "after it)\n");
	expect_errors(empty, "page",
		      P "page.mustache:1:1: error: empty tag name\n"
		      P "page.mustache:1:6: error: empty tag name\n"
		      P "page.mustache:1:13: error: empty tag name\n"
		      P "page.mustache:2:1: error: invalid tag name 'a b' "
		      "(names cannot contain spaces)\n"
		      P "page.mustache:2:9: error: invalid name 'a..b' (empty "
		      "part between dots)\n");
}

static void test_error_every_template(void **state)
{
	/* Each template reports its own errors; the page fails with them. */
	static const char *const files[] = {
		"page", "{{>a}}{{>b}}{{>c}}", "a", "{{#x}}", "b", "{{/y}}",
		"c", "fine", NULL,
	};
	(void)state;
	expect_errors(files, "page",
		      P "a.mustache:1:1: error: unclosed section 'x' (add a "
		      "closing tag '{{/x}}')\n"
		      P "b.mustache:1:1: error: unexpected closing tag 'y' (no "
		      "section is open)\n");
}

static void test_error_names(void **state)
{
	static const char *const files[] = {
		"page", "{{>../etc/passwd}}\n{{</abs}}{{//abs}}\n{{>a\\b}}\n", NULL,
	};
	struct diag d;
	struct tmpl_set *s;
	char *text;

	(void)state;
	expect_errors(files, "page",
		      P "page.mustache:1:1: error: invalid template name "
		      "'../etc/passwd' (template names are relative paths of "
		      "letters, digits, '_', '-', '.' and '/', without '..')\n"
		      P "page.mustache:2:1: error: invalid template name '/abs' "
		      "(template names are relative paths of letters, digits, "
		      "'_', '-', '.' and '/', without '..')\n"
		      P "page.mustache:3:1: error: invalid template name 'a\\b' "
		      "(template names are relative paths of letters, digits, "
		      "'_', '-', '.' and '/', without '..')\n");

	assert_true(tmpl_name_valid("partials/record-field_2.v1", 26));
	assert_false(tmpl_name_valid("../etc/passwd", 13));
	assert_false(tmpl_name_valid("a/../../b", 9));
	assert_false(tmpl_name_valid("/etc/passwd", 11));
	assert_false(tmpl_name_valid("a\\b", 3));
	assert_false(tmpl_name_valid("a\0b", 3));
	assert_false(tmpl_name_valid("页面", strlen("页面")));
	assert_false(tmpl_name_valid("a b", 3));
	assert_false(tmpl_name_valid("", 0));

	diag_init(&d);
	s = tmpl_set_new(NULL, &d);
	assert_null(tmpl_set_compile(s, "../etc/passwd"));
	assert_int_equal(tmpl_set_add(s, "../x", "x", 1, NULL), -1);
	assert_int_equal(tmpl_set_add(s, "x", "x", 1, NULL), 0);
	assert_int_equal(tmpl_set_add(s, "x", "y", 1, NULL), -1);
	assert_null(tmpl_set_compile(s, "nothing"));
	assert_null(tmpl_set_get(s, "x")); /* added, not compiled yet */
	assert_non_null(tmpl_set_compile(s, "x"));
	assert_int_equal(diag_exit_code(&d), EXIT_SYSTEM);
	text = test_flush_diag(&d);
	assert_string_equal(text,
		"showcase: error: invalid template name '../etc/passwd' "
		"(template names are relative paths of letters, digits, '_', "
		"'-', '.' and '/', without '..')\n"
		"showcase: error: invalid template name '../x' (template names "
		"are relative paths of letters, digits, '_', '-', '.' and '/', "
		"without '..')\n"
		"showcase: error: template 'x' is already defined\n"
		"showcase: error: unknown template 'nothing'\n");
	free(text);
	/* Idempotent: asking again reports nothing new. */
	assert_null(tmpl_set_compile(s, "nothing"));
	text = test_flush_diag(&d);
	assert_string_equal(text, "");
	free(text);
	tmpl_set_free(s);
	diag_release(&d);
}

static void test_error_runaway_recursion(void **state)
{
	static const char *const files[] = {
		"page", "<main>\n{{>loop}}</main>", "loop", "x\n{{#a}}{{>loop}}{{/a}}",
		NULL,
	};
	static const char *const ends[] = {
		"tree", "{{name}}({{#kids}}{{>tree}}{{/kids}})", NULL,
	};
	char *out, *diags;

	(void)state;
	assert_int_equal(compile_and_render(files, "page", "a: true", &out,
					    &diags), -1);
	assert_string_equal(diags,
		P "loop.mustache:2:7: error: template 'loop' nests partials "
		"deeper than 100 levels (does it include itself without end?)\n");
	free(out);
	free(diags);
	/* A self-including template is fine while the data ends it. */
	assert_int_equal(compile_and_render(ends, "tree",
		"{name: 根, kids: [{name: 甲, kids: [{name: 乙, kids: []}]}, "
		"{name: 丙, kids: []}]}",
		&out, &diags), 0);
	assert_string_equal(diags, "");
	assert_string_equal(out, "根(甲(乙())丙())");
	free(out);
	free(diags);
}

/* Found while writing the template fuzz target (reproducer:
 * fuzz/corpus/template/regress-nested-sections): twenty
 * sections over a three-item list, nested, are 3^20 passes; rendering ran
 * for hours. Now the render stops at TMPL_MAX_RENDER_STEPS. */
static void test_error_render_steps(void **state)
{
	struct buf text = BUF_INIT;
	const char *files[] = { "page", NULL, NULL };
	char *out, *diags;

	(void)state;
	for (int i = 0; i < 20; i++)
		buf_puts(&text, "{{#list}}");
	buf_puts(&text, "{{x}}");
	for (int i = 0; i < 20; i++)
		buf_puts(&text, "{{/list}}");
	files[1] = text.ptr;
	assert_int_equal(compile_and_render(files, "page",
		"{list: [1, 2, 3], x: y}", &out, &diags), -1);
	assert_non_null(strstr(diags, "error: template 'page' takes more than "
		"1000000 steps to render (sections over lists nested too "
		"deep, or partials included too often?)\n"));
	free(out);
	free(diags);
	/* The same nesting over one item is one pass. */
	assert_int_equal(compile_and_render(files, "page",
		"{list: [1], x: y}", &out, &diags), 0);
	assert_string_equal(out, "y");
	free(out);
	free(diags);
	buf_release(&text);
}

/* Found while writing the template fuzz target (reproducer:
 * fuzz/corpus/template/regress-block-search): a page that is its own
 * parent with 500 blocks, and renders 500 other blocks in a loop, made
 * every block search every override of every parent level: 13 s for a
 * 17 KB template before the depth limit ended it. The search now counts
 * as render steps. */
static void test_error_render_block_search(void **state)
{
	struct buf text = BUF_INIT;
	const char *files[] = { "page", NULL, NULL };
	char *out, *diags;

	(void)state;
	buf_puts(&text, "{{#list}}");
	for (int i = 0; i < 500; i++)
		buf_printf(&text, "{{$c%d}}{{/c%d}}", i, i);
	buf_puts(&text, "{{/list}}{{<page}}");
	for (int i = 0; i < 500; i++)
		buf_printf(&text, "{{$b%d}}{{/b%d}}", i, i);
	buf_puts(&text, "{{/page}}");
	files[1] = text.ptr;
	assert_int_equal(compile_and_render(files, "page", "list: [1, 2, 3]",
					    &out, &diags), -1);
	assert_non_null(strstr(diags, "error: template 'page' takes more than "
		"1000000 steps to render"));
	free(out);
	free(diags);
	buf_release(&text);
}

/* Found while writing the template fuzz target (reproducer:
 * fuzz/corpus/template/regress-indentation): a standalone
 * partial that includes itself indents every line of its text once more
 * at each level, so 6,000 lines and 200 spaces become gigabytes before
 * the depth limit is reached. Template text is bounded by
 * TMPL_MAX_RENDER_TEXT. */
static void test_error_render_text(void **state)
{
	struct buf text = BUF_INIT;
	const char *files[] = { "page", NULL, NULL };
	char *out, *diags;

	(void)state;
	for (int i = 0; i < 6000; i++)
		buf_puts(&text, "x\n");
	buf_printf(&text, "%200s{{>page}}\n", "");
	files[1] = text.ptr;
	assert_int_equal(compile_and_render(files, "page", NULL, &out, &diags),
			 -1);
	assert_non_null(strstr(diags, "error: template 'page' takes more than "
		"16 MB of template text to render"));
	assert_true(strlen(out) <= TMPL_MAX_RENDER_TEXT);
	free(out);
	free(diags);
	buf_release(&text);
}

static void test_error_nesting_limit(void **state)
{
	struct buf text = BUF_INIT;
	const char *files[] = { "deep", NULL, NULL };
	char *out, *diags;

	(void)state;
	for (int i = 0; i <= TMPL_MAX_NESTING; i++)
		buf_puts(&text, "{{#a}}");
	files[1] = text.ptr;
	assert_int_equal(compile_and_render(files, "deep", NULL, &out, &diags),
			 -2);
	assert_string_equal(diags, P "deep.mustache:1:385: error: sections "
			    "nest deeper than 64 levels\n");
	free(out);
	free(diags);
	buf_release(&text);
}

static void test_lenient(void **state)
{
	struct diag d;
	struct tmpl_set *s;
	const struct tmpl *t;
	struct buf b = BUF_INIT;

	(void)state;
	diag_init(&d);
	s = tmpl_set_new(NULL, &d);
	tmpl_set_lenient(s, 1);
	assert_int_equal(tmpl_set_add(s, "t", "[{{>gone}}|{{<gone}}{{/gone}}]",
				      30, NULL), 0);
	t = tmpl_set_compile(s, "t");
	assert_non_null(t);
	assert_int_equal(tmpl_render(t, NULL, &b, &d), 0);
	assert_string_equal(b.ptr, "[|]");
	assert_int_equal(diag_error_count(&d), 0);
	assert_null(tmpl_set_get(s, "gone"));
	buf_release(&b);
	tmpl_set_free(s);
	diag_release(&d);
}

/* ---- threads ---- */

static const char *const page_files[] = {
	"record",
	"{{<layout}}\n"
	"{{$title}}{{record.title}} - {{site.title}}{{/title}}\n"
	"{{$content}}\n"
	"<article class=\"record\">\n"
	"  <h1>{{record.title}}</h1>\n"
	"  <dl class=\"fields\">\n"
	"    {{#fields}}\n"
	"    {{>partials/field}}\n"
	"    {{/fields}}\n"
	"  </dl>\n"
	"  <div class=\"body\">\n"
	"{{{record.body_html}}}\n"
	"  </div>\n"
	"</article>\n"
	"{{/content}}\n"
	"{{/layout}}\n",
	"layout",
	"<!DOCTYPE html>\n"
	"<html lang=\"zh-CN\">\n"
	"<head>\n"
	"  <meta charset=\"utf-8\">\n"
	"  <title>{{$title}}{{site.title}}{{/title}}</title>\n"
	"</head>\n"
	"<body>\n"
	"  {{>partials/header}}\n"
	"  <main>\n"
	"    {{$content}}{{/content}}\n"
	"  </main>\n"
	"  <footer>{{site.footer}}</footer>\n"
	"</body>\n"
	"</html>\n",
	"partials/header",
	"<header>\n"
	"  <a href=\"{{site.base}}/\">{{site.title}}</a>\n"
	"  <nav>\n"
	"    {{#site.nav}}\n"
	"    <a href=\"{{site.base}}/{{path}}/\"{{#current}} "
	"aria-current=\"page\"{{/current}}>{{label}}</a>\n"
	"    {{/site.nav}}\n"
	"  </nav>\n"
	"</header>\n",
	"partials/field",
	"<div class=\"field\"><dt>{{label}}</dt><dd>"
	"{{#values}}<span>{{.}}</span>{{/values}}{{^values}}{{value}}{{/values}}"
	"</dd></div>\n",
	NULL,
};

static const char page_data[] =
	"site:\n"
	"  title: 某某区教师发展中心\n"
	"  base: /showcase\n"
	"  footer: \"© 2024 某某区教育局 · 教师培训成果展示\"\n"
	"  nav:\n"
	"    - {path: projects, label: 培训项目, current: true}\n"
	"    - {path: studios, label: 工作室}\n"
	"    - {path: cases, label: 典型案例}\n"
	"    - {path: achievements, label: 工作室成果}\n"
	"record:\n"
	"  title: 2024年“国培计划”乡村骨干教师能力提升培训\n"
	"fields:\n"
	"  - {label: 项目级别, value: 国培}\n"
	"  - {label: 项目类别, value: 骨干教师能力提升}\n"
	"  - {label: 区县, value: 青羊区}\n"
	"  - {label: 承训机构, value: \"四川师范大学 <教师教育学院>\"}\n"
	"  - {label: 学段, values: [小学, 初中]}\n"
	"  - {label: 学科, values: [语文, 数学, 班主任]}\n"
	"  - {label: 参训人数, value: 120}\n"
	"  - {label: 学时, value: 96}\n"
	"  - {label: 起止日期, value: 2024-03-01 至 2024-06-30}\n"
	"  - {label: 绩效评级, value: 优秀}\n";

/* A body of about 6 KB of HTML, as cmark would produce it. */
static void fill_body(struct arena *a, struct value *data)
{
	struct buf b = BUF_INIT;
	struct value *record = value_map_get(data, "record");
	while (b.len < 6000)
		buf_printf(&b, "<p>本项目面向乡村学校骨干教师，采用“集中研修+跟岗实践+"
			   "返岗研修”的混合式培训模式，第%zu阶段共组织专题讲座、"
			   "课例研讨与<strong>成果展示</strong>活动。</p>\n",
			   b.len / 300 + 1);
	value_map_set(a, record, "body_html", value_string(a, b.ptr, b.len));
	buf_release(&b);
}

struct worker {
	const struct tmpl *t;
	const struct value *data;
	const char *expected;
	size_t expected_len;
	struct diag *d;
	int mismatches;
	int failures;
};

static void *render_many(void *arg)
{
	struct worker *w = arg;
	struct buf b = BUF_INIT;
	for (int i = 0; i < 200; i++) {
		buf_reset(&b);
		if (tmpl_render(w->t, w->data, &b, w->d) < 0)
			w->failures++;
		else if (b.len != w->expected_len ||
			 memcmp(b.ptr, w->expected, b.len))
			w->mismatches++;
	}
	buf_release(&b);
	return NULL;
}

/* The source map points each line of the output at the template line
 * (and column, in characters) that wrote it, through sections over lists,
 * partials and interpolated data. */
static void test_source_map(void **state)
{
	static const char *const files[] = {
		"booklet",
		"{{! a comment line }}\n"
		"# 标题\n"
		"{{#items}}\n"
		"- {{name}}\n"
		"{{/items}}\n"
		"{{> part}}\n"
		"end {{last}}\n",
		"part", "```showcase\n  chart x\n```\n",
		NULL,
	};
	struct fake_theme th = { files, 0, 0 };
	struct tmpl_loader loader = { fake_load, &th };
	struct tmpl_srcmap map = TMPL_SRCMAP_INIT;
	struct arena a = ARENA_INIT;
	struct buf out = BUF_INIT;
	struct diag d;
	struct tmpl_set *s;
	const struct tmpl *t;
	const char *path;
	unsigned line, col;
	(void)state;

	diag_init(&d);
	s = tmpl_set_new(&loader, &d);
	t = tmpl_set_compile(s, "booklet");
	assert_non_null(t);
	buf_puts(&out, "kept: ");
	assert_int_equal(tmpl_render_map(t, parse_yaml(&a, "{items: [{name: a}, "
					 "{name: b}], last: z}"), &out, &map, &d), 0);
	assert_string_equal(out.ptr, "kept: # 标题\n- a\n- b\n```showcase\n"
			    "  chart x\n```\nend z\n");
	/* Before the render: nothing. */
	assert_int_equal(tmpl_srcmap_find(&map, out.ptr, 2, &path, &line, &col), -1);
	/* "# 标题" and the '\n' after 标题 (3 bytes each, 1 column). */
	assert_int_equal(tmpl_srcmap_find(&map, out.ptr, 6, &path, &line, &col), 0);
	assert_string_equal(path, "themes/test/templates/booklet.mustache");
	assert_int_equal(line, 2);
	assert_int_equal(col, 1);
	assert_int_equal(tmpl_srcmap_find(&map, out.ptr, strchr(out.ptr, '\n') - out.ptr,
					  &path, &line, &col), 0);
	assert_int_equal(line, 2);
	assert_int_equal(col, 5);
	/* "- b": the second pass over line 4; "b" is data: its tag. */
	const char *b = strstr(out.ptr, "- b");
	assert_int_equal(tmpl_srcmap_find(&map, out.ptr, b - out.ptr, &path, &line, &col), 0);
	assert_int_equal(line, 4);
	assert_int_equal(col, 1);
	assert_int_equal(tmpl_srcmap_find(&map, out.ptr, b + 2 - out.ptr, &path, &line, &col), 0);
	assert_int_equal(line, 4);
	assert_int_equal(col, 3);
	/* The partial's second line, at "chart". */
	const char *chart = strstr(out.ptr, "chart");
	assert_int_equal(tmpl_srcmap_find(&map, out.ptr, chart - out.ptr, &path, &line, &col), 0);
	assert_string_equal(path, "themes/test/templates/part.mustache");
	assert_int_equal(line, 2);
	assert_int_equal(col, 3);
	/* Back in the booklet, after the partial. */
	assert_int_equal(tmpl_srcmap_find(&map, out.ptr, strstr(out.ptr, "end") - out.ptr,
					  &path, &line, &col), 0);
	assert_string_equal(path, "themes/test/templates/booklet.mustache");
	assert_int_equal(line, 7);
	assert_int_equal(col, 1);

	tmpl_srcmap_release(&map);
	buf_release(&out);
	tmpl_set_free(s);
	char *diags = test_flush_diag(&d);
	assert_string_equal(diags, "");
	free(diags);
	diag_release(&d);
	arena_release(&a);
}

static void test_threads(void **state)
{
	struct fake_theme th = { page_files, 0, 0 };
	struct tmpl_loader loader = { fake_load, &th };
	struct arena a = ARENA_INIT;
	struct diag d;
	struct buf once = BUF_INIT;
	struct tmpl_set *s;
	const struct tmpl *t;
	struct value *data;
	struct worker w[4];
	pthread_t tid[4];

	(void)state;
	diag_init(&d);
	s = tmpl_set_new(&loader, &d);
	t = tmpl_set_compile(s, "record");
	assert_non_null(t);
	assert_int_equal(th.calls, 4); /* each template loaded once */
	data = parse_yaml(&a, page_data);
	fill_body(&a, data);
	assert_int_equal(tmpl_render(t, data, &once, &d), 0);
	assert_true(once.len > 7000);
	assert_non_null(strstr(once.ptr, "    <div class=\"field\"><dt>学段</dt>"
			       "<dd><span>小学</span><span>初中</span></dd></div>\n"));
	assert_non_null(strstr(once.ptr, "四川师范大学 &lt;教师教育学院&gt;"));
	assert_non_null(strstr(once.ptr, "      <a href=\"/showcase/projects/\" "
			       "aria-current=\"page\">培训项目</a>\n"));

	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){ t, data, once.ptr, once.len, &d, 0, 0 };
		assert_int_equal(pthread_create(&tid[i], NULL, render_many, &w[i]),
				 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(tid[i], NULL);
		assert_int_equal(w[i].failures, 0);
		assert_int_equal(w[i].mismatches, 0);
	}
	assert_int_equal(diag_error_count(&d), 0);
	buf_release(&once);
	tmpl_set_free(s);
	diag_release(&d);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_dotted_names),
		cmocka_unit_test(test_partials_and_layouts),
		cmocka_unit_test(test_standalone_parent_after_comment),
		cmocka_unit_test(test_indentation),
		cmocka_unit_test(test_dynamic_names),
		cmocka_unit_test(test_error_unknown_partial),
		cmocka_unit_test(test_error_sections),
		cmocka_unit_test(test_error_tags),
		cmocka_unit_test(test_error_every_template),
		cmocka_unit_test(test_error_names),
		cmocka_unit_test(test_error_runaway_recursion),
		cmocka_unit_test(test_error_render_steps),
		cmocka_unit_test(test_error_render_block_search),
		cmocka_unit_test(test_error_render_text),
		cmocka_unit_test(test_error_nesting_limit),
		cmocka_unit_test(test_lenient),
		cmocka_unit_test(test_source_map),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
