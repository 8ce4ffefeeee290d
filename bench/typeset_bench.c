/*
 * typeset_bench: how fast the typesetter turns a booklet of about 300
 * pages into a PDF.
 *
 * The document is generated here, without files: cover, foreword,
 * contents, then chapters of Chinese prose with sections, lists, quotes,
 * tables and a few charts (a small SVG returned by the chart hook). It is
 * parsed with md_parse() and typeset into memory on one thread; the
 * program prints the time, pages per second and the peak resident size.
 * Typst needs about 1/125 s per page for such a booklet on these machines.
 *
 *   build/bench/typeset_bench [chapters] [repeat]
 *
 * The defaults, 70 chapters (293 pages) and the best of 3 runs, are the
 * figures quoted in the report of the typesetter.
 */
#include <cmark-gfm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "buf.h"
#include "diag.h"
#include "directive.h"
#include "markdown.h"
#include "typeset.h"

static const char *const phrases[] = {
	"教师培训是提高教育质量的关键环节，",
	"我区坚持“培训即服务”的理念，",
	"围绕骨干教师能力提升、送教下乡、教师工作坊研修等项目，",
	"开展了形式多样的培训活动。",
	"参训教师累计达到12000人次，",
	"涵盖幼儿园、小学、初中、高中各学段；",
	"采用 PBL 项目式学习与 Workshop 研修相结合的方式，",
	"各承训机构严格按照《培训实施方案》组织实施，",
	"落实“训前调研、训中管理、训后跟踪”的全过程管理机制，",
	"学员满意度达到98.6%，",
	"形成了一批可复制、可推广的典型经验（见附表）。",
	"名师工作室发挥示范引领作用，",
	"通过课例研究、同课异构、专题讲座等形式，",
	"有效促进了青年教师的专业成长……",
	"校本研修与区域教研深度融合，",
	"信息技术与学科教学融合应用能力显著提升。",
};

static uint32_t rng = 2463534242u;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static void paragraph(struct buf *md, int phrases_n)
{
	for (int i = 0; i < phrases_n; i++)
		buf_puts(md, phrases[next() % (sizeof(phrases) / sizeof(*phrases))]);
	buf_puts(md, "培训工作取得明显成效。\n\n");
}

static void table(struct buf *md, int rows)
{
	buf_puts(md, "| 序号 | 项目名称 | 承训机构 | 学段 | 参训人数 |\n|---:|---|---|---|---:|\n");
	for (int r = 1; r <= rows; r++)
		buf_printf(md, "| %d | 2024年骨干教师能力提升培训第%d期 | 某某师范大学继续教育学院 | %s | %u |\n",
			   r, r, r % 2 ? "小学" : "初中", 40 + next() % 200);
	buf_puts(md, "\n");
}

static void generate(struct buf *md, int chapters)
{
	buf_puts(md, "```showcase\ncover\n```\n\n# 前言\n\n");
	for (int i = 0; i < 6; i++)
		paragraph(md, 8);
	buf_puts(md, "```showcase\ntoc\nnumbering\n```\n\n");
	for (int c = 1; c <= chapters; c++) {
		buf_printf(md, "# 第%d章 年度培训工作综述之%d\n\n", c, c);
		for (int i = 0; i < 3; i++)
			paragraph(md, 10);
		for (int s = 1; s <= 4; s++) {
			buf_printf(md, "## %d.%d 重点项目进展情况%d\n\n", c, s, s);
			for (int i = 0; i < 4; i++)
				paragraph(md, 9);
			if (s == 2) {
				buf_puts(md, "- 骨干教师能力提升：**重点**培训学科带头人\n"
					     "- 送教下乡：覆盖全部乡镇学校\n"
					     "  - 小学语文、数学\n  - 初中英语\n"
					     "- 教师工作坊研修：线上线下混合\n\n"
					     "1. 训前调研\n2. 训中管理\n3. 训后跟踪\n\n");
				buf_puts(md, "> ");
				paragraph(md, 5);
			}
			if (s == 3)
				table(md, 18);
			if (s == 4 && c % 3 == 0)
				buf_printf(md, "```showcase\nchart chart%d\n```\n\n", c);
		}
	}
}

static int chart(void *ctx, const struct directive *dir, struct buf *svg)
{
	const char *name = dir->figure ? dir->figure : "";

	(void)ctx;
	buf_printf(svg,
		   "<svg xmlns='http://www.w3.org/2000/svg' width='640' height='320' viewBox='0 0 640 320'>"
		   "<text x='320' y='28' text-anchor='middle' font-family='Noto Sans CJK SC' font-size='18'>%s 各学段参训人数</text>",
		   name);
	for (int i = 0; i < 8; i++)
		buf_printf(svg, "<rect x='%d' y='%d' width='50' height='%d' fill='#2f6fb0'/>",
			   40 + i * 72, 300 - 30 * (i + 1), 30 * (i + 1) - 20);
	buf_puts(svg, "<line x1='30' y1='300' x2='620' y2='300' stroke='black'/></svg>");
	return 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int chapters = argc > 1 ? atoi(argv[1]) : 70, repeat = argc > 2 ? atoi(argv[2]) : 3;
	struct buf md = BUF_INIT;
	struct ts_info info = {
		.title = "2024年度教师培训成果展示",
		.subtitle = "基准测试文档",
		.organization = "某某区教师发展中心",
		.year_label = "2024",
		.date = 1714564800,
	};
	struct ts_hooks hooks = { NULL, chart, NULL, NULL };
	struct rusage ru;
	double best = 0;
	int pages = 0;
	size_t bytes = 0;

	generate(&md, chapters);
	for (int r = 0; r < (repeat > 0 ? repeat : 1); r++) {
		struct diag d;
		struct cmark_node *doc;
		struct buf pdf = BUF_INIT;
		struct ts_result res = TS_RESULT_INIT;
		double t0 = now(), t1, t2;

		diag_init(&d);
		md_parse(md.ptr, md.len, "bench.md", 1, NULL, NULL, &d, &doc);
		t1 = now();
		if (ts_render_pdf(&doc, &info, &hooks, &pdf, &res, &d) < 0) {
			diag_flush(&d, stderr);
			return 1;
		}
		t2 = now();
		pages = res.pages;
		bytes = pdf.len;
		if (!r || t2 - t0 < best)
			best = t2 - t0;
		printf("run %d: parse %.3f s, typeset %.3f s\n", r + 1, t1 - t0, t2 - t1);
		ts_result_release(&res);
		buf_release(&pdf);
		if (doc) /* ts_render_pdf() took it */
			cmark_node_free(doc);
		diag_release(&d);
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("typeset_bench: %zu bytes of Markdown, %d pages, %zu bytes of PDF\n",
	       md.len, pages, bytes);
	printf("typeset_bench: %.3f s, %.1f pages/s, peak RSS %.1f MB (one thread)\n",
	       best, pages / best, ru.ru_maxrss / 1024.0);
	buf_release(&md);
	return 0;
}
