/*
 * fuzz_template: the input as a Mustache template of a theme, compiled
 * and rendered as a page would be.
 *
 * The template is added as "page" to a set that also holds two fixed
 * partials and a parent layout (tmpl_set_add), so static partials,
 * inheritance and dynamic names resolve; anything else it names is a
 * compile error, as in a real theme. When it compiles it is rendered with
 * a fixed value shaped like the model's page data (site settings, a page
 * with fields, lists of records with nested maps and lists, HTML that
 * needs escaping, numbers, booleans, null, empty lists), within the
 * engine's own limits.
 */
#include "fuzz.h"

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "tmpl.h"
#include "value.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char layout_text[] =
	"<!DOCTYPE html>\n<html lang=\"{{site.language}}\">\n"
	"<title>{{$title}}{{page.title}} - {{site.title}}{{/title}}</title>\n"
	"  {{> partials/header}}\n"
	"<main>\n  {{$content}}\n  {{/content}}\n</main>\n"
	"{{$footer}}<footer>{{site.organization}}</footer>{{/footer}}\n";

static const char header_text[] =
	"<header><a href=\"{{site.base_url}}\">{{site.title}}</a>\n"
	"{{#nav}}\n  <a href=\"{{url}}\"{{#current}} aria-current=\"page\"{{/current}}>"
	"{{label}}</a>\n{{/nav}}\n</header>\n";

static const char card_text[] =
	"<article class=\"card\">\n  <h2><a href=\"{{url}}\">{{title}}</a></h2>\n"
	"  {{#tags}}<span>{{.}}</span>{{/tags}}\n"
	"  {{^tags}}<span>{{i18n.none}}</span>{{/tags}}\n"
	"  {{{summary_html}}}\n</article>\n";

static struct value *str(struct arena *a, const char *s)
{
	return value_cstring(a, s);
}

static struct value *record(struct arena *a, int i)
{
	struct value *r = value_map(a), *tags = value_list(a),
		     *fields = value_list(a), *f;
	char url[32];

	snprintf(url, sizeof(url), "/cases/case-%d/", i);
	value_map_set(a, r, "title", str(a, i ? "乡村教师成长 & <共同体>"
					       : "\"Quoted\" 'title'"));
	value_map_set(a, r, "url", str(a, url));
	value_map_set(a, r, "year", value_int(a, 2022 + i));
	value_map_set(a, r, "draft", value_bool(a, i == 2));
	value_map_set(a, r, "summary_html",
		      str(a, "<p>摘要 <em>text</em> &amp; more</p>\n"));
	for (int k = 0; k < i; k++)
		value_list_push(a, tags, str(a, k ? "校本研修" : "tag<1>"));
	value_map_set(a, r, "tags", tags);
	f = value_map(a);
	value_map_set(a, f, "label", str(a, "年度"));
	value_map_set(a, f, "value", value_int(a, -7 * i));
	value_list_push(a, fields, f);
	f = value_map(a);
	value_map_set(a, f, "label", str(a, "对象"));
	value_map_set(a, f, "value", value_null(a));
	value_list_push(a, fields, f);
	value_map_set(a, r, "fields", fields);
	value_map_set(a, r, "project", i ? value_null(a) : str(a, "/projects/p/"));
	return r;
}

/* The page data, built once. */
static const struct value *page_data(void)
{
	static struct arena a;
	static struct value *root;
	struct value *site, *page, *nav, *items, *i18n, *n;

	if (root)
		return root;
	arena_init(&a);
	root = value_map(&a);
	site = value_map(&a);
	value_map_set(&a, site, "title", str(&a, "沁川市教师培训成果展示"));
	value_map_set(&a, site, "language", str(&a, "zh-CN"));
	value_map_set(&a, site, "base_url", str(&a, "https://example.gov.cn/peixun/"));
	value_map_set(&a, site, "organization", str(&a, "沁川市教育体育局"));
	value_map_set(&a, site, "description", str(&a, ""));
	value_map_set(&a, root, "site", site);

	nav = value_list(&a);
	for (int i = 0; i < 3; i++) {
		n = value_map(&a);
		value_map_set(&a, n, "label", str(&a, i ? "典型案例" : "培训项目"));
		value_map_set(&a, n, "url", str(&a, i ? "/cases/" : "/projects/"));
		value_map_set(&a, n, "current", value_bool(&a, i == 1));
		value_list_push(&a, nav, n);
	}
	value_map_set(&a, root, "nav", nav);

	items = value_list(&a);
	for (int i = 0; i < 3; i++)
		value_list_push(&a, items, record(&a, i));
	page = record(&a, 1);
	value_map_set(&a, page, "kind", str(&a, "list"));
	value_map_set(&a, page, "items", items);
	value_map_set(&a, page, "empty", value_list(&a));
	value_map_set(&a, page, "partial", str(&a, "partials/card"));
	value_map_set(&a, page, "layout", str(&a, "layout"));
	value_map_set(&a, page, "missing", str(&a, "partials/nope"));
	value_map_set(&a, root, "page", page);

	i18n = value_map(&a);
	value_map_set(&a, i18n, "none", str(&a, "无"));
	value_map_set(&a, i18n, "skip", str(&a, "跳到正文"));
	value_map_set(&a, root, "i18n", i18n);
	value_map_set(&a, root, "count", value_int(&a, 9223372036854775807LL));
	value_map_set(&a, root, "min", value_int(&a, -9223372036854775807LL - 1));
	value_map_set(&a, root, "yes", value_bool(&a, 1));
	value_map_set(&a, root, "no", value_bool(&a, 0));
	value_map_set(&a, root, "nothing", value_null(&a));
	value_map_set(&a, root, "self", str(&a, "page")); /* {{>*self}} */
	return root;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct value *root = page_data();
	struct tmpl_set *s;
	const struct tmpl *t;
	struct buf out = BUF_INIT;
	struct diag d;

	diag_init(&d);
	s = tmpl_set_new(NULL, &d);
	if (tmpl_set_add(s, "layout", layout_text, sizeof(layout_text) - 1,
			 "themes/default/templates/layout.mustache") < 0 ||
	    tmpl_set_add(s, "partials/header", header_text,
			 sizeof(header_text) - 1, NULL) < 0 ||
	    tmpl_set_add(s, "partials/card", card_text, sizeof(card_text) - 1,
			 NULL) < 0 ||
	    tmpl_set_add(s, "page", (const char *)data, size,
			 "themes/default/templates/page.mustache") < 0)
		abort(); /* fixed, valid names */
	/* The fixed templates compile first, as a theme's partials would be
	 * compiled by an earlier page. */
	if (!tmpl_set_compile(s, "partials/card") ||
	    !tmpl_set_compile(s, "layout"))
		abort();
	t = tmpl_set_compile(s, "page");
	if (t) {
		if (tmpl_set_get(s, "page") != t)
			abort();
		tmpl_render(t, root, &out, &d);
	}
	diag_flush(&d, fuzz_devnull());
	tmpl_set_free(s);
	diag_release(&d);
	buf_release(&out);
	return 0;
}
