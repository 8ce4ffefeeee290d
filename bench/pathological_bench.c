/*
 * pathological_bench: the inputs that Debian's libyaml and cmark-gfm take
 * super-linear time over (issue 8), timed through the library alone and
 * through showcase's parsers, which refuse them first.
 *
 * Each input is built at half its size and at its size: a ratio of raw
 * times near 4 means quadratic, near 2 linear. Sizes are picked so that a
 * raw parse takes well under a second on Debian 12's libraries; set
 * PATHOLOGICAL_SCALE=4 for inputs four times larger (and minutes of
 * waiting). Rerun this when Debian ships a newer libyaml or cmark-gfm,
 * before dropping a guard: generator/markdown_guard.c and yamlv.c say
 * which fix of which release makes each one linear.
 *
 * The real body and front matter rows show what the guards cost on real
 * records. Memory is not shown: "a@b.c" on one line is linear in time
 * after 1,000 addresses but costs cmark-gfm about 1,000 bytes a byte.
 */
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "markdown.h"
#include "value.h"
#include "yamlv.h"

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yaml.h>

struct input {
	const char *name;
	int yaml;
	size_t kb;	    /* the size at scale 1 */
	const char *pre;    /* written once */
	const char *unit;   /* repeated to half the size... */
	const char *unit2;  /* ...then this one, if any, to the size */
	int numbered;	    /* unit is a format: each "%u" the repeat's number */
};

static const struct input inputs[] = {
	{ "![[]()", 0, 48, "", "![[]()", NULL, 0 },
	{ "'![' then '[]()'", 0, 16, "", "![", "[]()", 0 },
	{ "<?", 0, 24, "x", "<?", NULL, 0 },
	{ "<!A ", 0, 32, "x", "<!A ", NULL, 0 },
	{ "<![CDATA[", 0, 48, "x", "<![CDATA[", NULL, 0 },
	{ "www.a then ')'", 0, 24, " www.a", ")", NULL, 0 },
	{ "a@ on one line", 0, 64, "", "a@", NULL, 0 },
	{ "a@b.c on one line", 0, 128, "", "a@b.c ", NULL, 0 },
	{ "table row of '|'", 0, 12, "a|b\n-|-\n", "|", NULL, 0 },
	{ "real body", 0, 128, "",
	  "## 项目目标\n\n项目坚持问题导向，围绕课堂教学中的真实困惑设计研修"
	  "主题，详见[实施方案](../projects/p1.md)与 https://example.gov.cn/a "
	  "，联系 zhang@example.edu.cn。\n\n![课堂](images/a.jpg)\n\n"
	  "| 模块 | 学时 |\n|---|---|\n| 听课 | 10 |\n\n", NULL, 0 },
	{ "YAML [[[", 1, 16, "a: ", "[", NULL, 0 },
	{ "YAML {a: [", 1, 16, "a: ", "{a: [", NULL, 0 },
	{ "YAML anchors", 1, 256, "", "k%u: &a%u v\n", NULL, 1 },
	{ "YAML %TAG lines", 1, 256, "", "%%TAG !t%u! tag:example.org,2024:\n",
	  NULL, 1 },
	{ "real front matter", 1, 128, "",
	  "- title: 2024年河阳县语文骨干教师培训项目\n  year: 2024\n"
	  "  level: 国培\n  stage: [小学, 初中]\n  trainees: 120\n", NULL, 0 },
};

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The input at about `size` bytes. */
static void build(const struct input *in, size_t size, struct buf *b)
{
	buf_reset(b);
	buf_puts(b, in->pre);
	for (unsigned n = 0; b->len < (in->unit2 ? size / 2 : size); n++) {
		if (in->numbered)
			buf_printf(b, in->unit, n, n);
		else
			buf_puts(b, in->unit);
	}
	while (in->unit2 && b->len < size)
		buf_puts(b, in->unit2);
}

/* cmark-gfm as showcase calls it, without the guards. */
static double raw_markdown(const struct buf *b)
{
	static const char *const names[] = {
		"table", "strikethrough", "autolink", "tagfilter", "tasklist",
	};
	cmark_mem *mem = cmark_get_default_mem_allocator();
	cmark_llist *exts = NULL;
	double t0 = now();
	cmark_parser *p = cmark_parser_new(CMARK_OPT_FOOTNOTES |
					   CMARK_OPT_VALIDATE_UTF8);
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(names[i]);
		cmark_parser_attach_syntax_extension(p, e);
		exts = cmark_llist_append(mem, exts, e);
	}
	cmark_parser_feed(p, b->ptr, b->len);
	cmark_node *doc = cmark_parser_finish(p);
	char *html = cmark_render_html(doc, 0, exts);
	double t = now() - t0;
	mem->free(html);
	cmark_node_free(doc);
	cmark_parser_free(p);
	cmark_llist_free(mem, exts);
	return t;
}

/* libyaml's loader, as yamlv used it before. */
static double raw_yaml(const struct buf *b)
{
	yaml_parser_t p;
	yaml_document_t doc;
	double t0 = now();
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)b->ptr, b->len);
	if (yaml_parser_load(&p, &doc))
		yaml_document_delete(&doc);
	yaml_parser_delete(&p);
	return now() - t0;
}

/* showcase's parser; *refused tells whether it reported an error. */
static double ours(const struct input *in, const struct buf *b, int *refused)
{
	struct diag d;
	double t0, t;
	diag_init(&d);
	t0 = now();
	if (in->yaml) {
		struct arena a = ARENA_INIT;
		struct value *v;
		*refused = yamlv_parse(&a, b->ptr, b->len, "bench.yaml", 0, &d,
				       &v) < 0;
		t = now() - t0;
		arena_release(&a);
	} else {
		struct buf html = BUF_INIT;
		*refused = md_render(b->ptr, b->len, "content/cases/bench.md", 1,
				     NULL, NULL, &html, &d) < 0;
		t = now() - t0;
		buf_release(&html);
	}
	diag_release(&d);
	return t;
}

int main(void)
{
	const char *env = getenv("PATHOLOGICAL_SCALE");
	double scale = env ? atof(env) : 1;
	struct buf b = BUF_INIT;

	if (scale <= 0)
		scale = 1;
	cmark_gfm_core_extensions_ensure_registered();
	printf("%-20s %8s %9s %9s %6s %10s %s\n", "input", "bytes",
	       "raw n/2", "raw n", "ratio", "showcase", "");
	for (size_t i = 0; i < sizeof(inputs) / sizeof(*inputs); i++) {
		const struct input *in = &inputs[i];
		size_t size = (size_t)((double)in->kb * 1024 * scale);
		double half, full, t;
		int refused;

		build(in, size / 2, &b);
		half = in->yaml ? raw_yaml(&b) : raw_markdown(&b);
		build(in, size, &b);
		full = in->yaml ? raw_yaml(&b) : raw_markdown(&b);
		t = ours(in, &b, &refused);
		printf("%-20s %8zu %8.3fs %8.3fs %6.1f %9.4fs %s\n", in->name,
		       b.len, half, full, half > 0 ? full / half : 0, t,
		       refused ? "refused" : "");
	}
	buf_release(&b);
	return 0;
}
