/*
 * tmpl_bench: how fast the Mustache engine renders a record page.
 *
 * The page is shaped like the default theme's: a record template that
 * extends a layout (parent with title and content blocks), a head, header
 * and footer partial, a field partial inside a section over ten field rows,
 * and about 6 KB of body HTML inserted with a triple mustache, filled with
 * a Chinese training-project record. It is compiled once and rendered
 * 100,000 times into one reused buffer, as a build thread would; the
 * result is printed as pages per second and MB of HTML per second.
 */
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "tmpl.h"
#include "value.h"
#include "yamlv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ITERATIONS 100000

static const char *const templates[] = {
	"record-projects",
	"{{<layout}}\n"
	"{{$title}}{{record.title}} · {{site.title}}{{/title}}\n"
	"{{$content}}\n"
	"<article class=\"record record-projects\">\n"
	"  <p class=\"crumbs\"><a href=\"{{site.base}}/\">{{i18n.home}}</a> › "
	"<a href=\"{{site.base}}/projects/\">{{i18n.projects}}</a></p>\n"
	"  <h1>{{record.title}}</h1>\n"
	"  {{#record.summary}}\n"
	"  <p class=\"summary\">{{record.summary}}</p>\n"
	"  {{/record.summary}}\n"
	"  <dl class=\"fields\">\n"
	"    {{#fields}}\n"
	"    {{>partials/field}}\n"
	"    {{/fields}}\n"
	"  </dl>\n"
	"  <div class=\"body\">\n"
	"{{{record.body_html}}}\n"
	"  </div>\n"
	"  {{#record.tags.0}}\n"
	"  <ul class=\"tags\">{{#record.tags}}<li>{{.}}</li>{{/record.tags}}</ul>\n"
	"  {{/record.tags.0}}\n"
	"</article>\n"
	"{{/content}}\n"
	"{{/layout}}\n",

	"layout",
	"<!DOCTYPE html>\n"
	"<html lang=\"{{site.language}}\">\n"
	"<head>\n"
	"  {{>partials/head}}\n"
	"  <title>{{$title}}{{site.title}}{{/title}}</title>\n"
	"</head>\n"
	"<body>\n"
	"  {{>partials/header}}\n"
	"  <main>\n"
	"    {{$content}}{{/content}}\n"
	"  </main>\n"
	"  {{>partials/footer}}\n"
	"</body>\n"
	"</html>\n",

	"partials/head",
	"<meta charset=\"utf-8\">\n"
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	"<meta name=\"description\" content=\"{{site.description}}\">\n"
	"<link rel=\"stylesheet\" href=\"{{site.base}}/static/style.css\">\n",

	"partials/header",
	"<header class=\"site\">\n"
	"  <a class=\"brand\" href=\"{{site.base}}/\">{{site.title}}</a>\n"
	"  <nav>\n"
	"    {{#site.nav}}\n"
	"    <a href=\"{{site.base}}/{{path}}/\"{{#current}} "
	"aria-current=\"page\"{{/current}}>{{label}}</a>\n"
	"    {{/site.nav}}\n"
	"  </nav>\n"
	"</header>\n",

	"partials/footer",
	"<footer class=\"site\">\n"
	"  <p>{{site.footer}}</p>\n"
	"  <p>{{i18n.generated}} {{build.date}}</p>\n"
	"</footer>\n",

	"partials/field",
	"<div class=\"field field-{{name}}\"><dt>{{label}}</dt><dd>"
	"{{#values}}<span>{{.}}</span>{{/values}}{{^values}}{{value}}{{/values}}"
	"</dd></div>\n",
	NULL,
};

static const char data_yaml[] =
	"site:\n"
	"  title: 某某区教师发展中心 · 教师培训成果展示\n"
	"  description: 某某区中小学教师培训项目、名师工作室与典型案例\n"
	"  language: zh-CN\n"
	"  base: /showcase\n"
	"  footer: \"© 2024 某某区教育局 版权所有\"\n"
	"  nav:\n"
	"    - {path: projects, label: 培训项目, current: true}\n"
	"    - {path: studios, label: 工作室}\n"
	"    - {path: cases, label: 典型案例}\n"
	"    - {path: achievements, label: 工作室成果}\n"
	"    - {path: selections, label: 年度评选}\n"
	"i18n: {home: 首页, projects: 培训项目, generated: 生成于}\n"
	"build: {date: 2024-07-01}\n"
	"record:\n"
	"  title: 2024年“国培计划”乡村骨干教师能力提升培训（小学语文）\n"
	"  summary: 面向乡村小学语文骨干教师，聚焦“大单元教学设计”与"
	"“整本书阅读”，通过集中研修、跟岗实践与返岗研修提升课堂教学能力。\n"
	"  tags: [国培计划, 乡村教师, 小学语文, 大单元教学]\n"
	"fields:\n"
	"  - {name: level, label: 项目级别, value: 国培}\n"
	"  - {name: category, label: 项目类别, value: 骨干教师能力提升}\n"
	"  - {name: region, label: 区县, value: 青羊区}\n"
	"  - {name: institution, label: 承训机构, value: \"四川师范大学 <教师教育学院>\"}\n"
	"  - {name: stage, label: 学段, values: [小学]}\n"
	"  - {name: subject, label: 学科, values: [语文, 班主任]}\n"
	"  - {name: trainees, label: 参训人数, value: 120}\n"
	"  - {name: hours, label: 学时, value: 96}\n"
	"  - {name: dates, label: 起止日期, value: 2024-03-01 至 2024-06-30}\n"
	"  - {name: rating, label: 绩效评级, value: 优秀}\n";

/* About 6 KB of body HTML, as cmark-gfm would produce it. */
static void add_body(struct arena *a, struct value *data)
{
	struct buf b = BUF_INIT;
	struct value *record = value_map_get(data, "record");
	int n = 0;

	while (b.len < 6000) {
		if (n % 4 == 0)
			buf_printf(&b, "<h2>第%d阶段：集中研修</h2>\n", n / 4 + 1);
		buf_printf(&b, "<p>本阶段围绕“大单元教学设计”开展专题讲座%d场、"
			   "课例研讨%d次，学员在<strong>名师工作室</strong>导师"
			   "指导下完成教学设计与<a href=\"../cases/ketang-%d/\">"
			   "课堂实录</a>。</p>\n", n + 2, n + 3, n);
		n++;
	}
	buf_puts(&b, "<table>\n<thead>\n<tr>\n<th>阶段</th>\n<th>学时</th>\n"
		 "</tr>\n</thead>\n<tbody>\n<tr>\n<td>集中研修</td>\n"
		 "<td>48</td>\n</tr>\n</tbody>\n</table>\n");
	value_map_set(a, record, "body_html", value_string(a, b.ptr, b.len));
	buf_release(&b);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
	struct arena a = ARENA_INIT;
	struct diag d;
	struct buf out = BUF_INIT;
	struct tmpl_set *s;
	const struct tmpl *t;
	struct value *data = NULL;
	double start, compile_s, render_s;
	size_t bytes = 0;
	int ret = 1;

	diag_init(&d);
	s = tmpl_set_new(NULL, &d);
	start = now();
	for (size_t i = 0; templates[i]; i += 2)
		tmpl_set_add(s, templates[i], templates[i + 1],
			     strlen(templates[i + 1]), NULL);
	t = tmpl_set_compile(s, templates[0]);
	compile_s = now() - start;
	if (!t ||
	    yamlv_parse(&a, data_yaml, sizeof(data_yaml) - 1, "bench.yaml", 0,
			&d, &data) < 0)
		goto cleanup;
	value_resolve_scalars(data);
	add_body(&a, data);

	start = now();
	for (int i = 0; i < ITERATIONS; i++) {
		buf_reset(&out);
		if (tmpl_render(t, data, &out, &d) < 0)
			goto cleanup;
		bytes += out.len;
	}
	render_s = now() - start;

	printf("tmpl: compiled 6 templates in %.3f ms; rendered %d pages of "
	       "%zu bytes in %.2f s\n", compile_s * 1e3, ITERATIONS, out.len,
	       render_s);
	printf("tmpl: %.0f pages/s, %.0f MB/s, %.2f us/page\n",
	       ITERATIONS / render_s, (double)bytes / render_s / 1e6,
	       render_s / ITERATIONS * 1e6);
	ret = 0;
cleanup:
	diag_flush(&d, stderr);
	buf_release(&out);
	tmpl_set_free(s);
	diag_release(&d);
	arena_release(&a);
	return ret;
}
