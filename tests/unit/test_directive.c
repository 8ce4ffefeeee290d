/*
 * Unit tests of the directive module: the one parser of the booklet's
 * directives (each line, each mistake and where it is reported), and
 * directive_apply(), which turns the template's blocks into directive
 * nodes and leaves every other code block alone.
 */
#include <cmark-gfm.h>
#include <string.h>

#include "testutil.h"

#include "arena.h"
#include "buf.h"
#include "directive.h"
#include "markdown.h"

/* Parse `line`; expect rc, and for errors the message and the offset of
 * the word it is about. */
static struct directive parse(struct arena *a, const char *line, int rc,
			      const char *why, size_t at)
{
	struct directive dir;
	struct buf msg = BUF_INIT;
	size_t got_at = 99;

	assert_int_equal(directive_parse(a, line, strlen(line), &dir, &msg,
					 &got_at), rc);
	if (rc < 0) {
		assert_string_equal(msg.ptr, why);
		assert_int_equal(got_at, at);
	} else {
		assert_string_equal(msg.ptr, "");
	}
	buf_release(&msg);
	return dir;
}

static void test_parse_lines(void **state)
{
	struct arena a = ARENA_INIT;
	struct directive dir;
	(void)state;

	assert_int_equal(parse(&a, "cover", 1, NULL, 0).kind, DIRECTIVE_COVER);
	assert_int_equal(parse(&a, "  toc \t\r", 1, NULL, 0).kind, DIRECTIVE_TOC);
	assert_int_equal(parse(&a, "numbering", 1, NULL, 0).kind, DIRECTIVE_NUMBERING);
	assert_int_equal(parse(&a, "pagebreak", 1, NULL, 0).kind, DIRECTIVE_PAGEBREAK);
	assert_int_equal(parse(&a, "colophon", 1, NULL, 0).kind, DIRECTIVE_COLOPHON);
	parse(&a, "", 0, NULL, 0);
	parse(&a, " \t ", 0, NULL, 0);

	dir = parse(&a, "chart projects_by_level", 1, NULL, 0);
	assert_int_equal(dir.kind, DIRECTIVE_CHART);
	assert_string_equal(dir.figure, "projects_by_level");
	assert_int_equal(dir.style, DIRECTIVE_BAR);
	assert_int_equal(parse(&a, "chart x hbar", 1, NULL, 0).style, DIRECTIVE_HBAR);
	assert_int_equal(parse(&a, "chart x pie", 1, NULL, 0).style, DIRECTIVE_PIE);

	dir = parse(&a, "record cases/课堂-1 2", 1, NULL, 0);
	assert_int_equal(dir.kind, DIRECTIVE_RECORD);
	assert_string_equal(dir.collection, "cases");
	assert_string_equal(dir.slug, "课堂-1");
	assert_int_equal(dir.level, 2);
	dir = parse(&a, "body reports/2024", 1, NULL, 0);
	assert_int_equal(dir.kind, DIRECTIVE_BODY);
	assert_int_equal(dir.level, DIRECTIVE_DEFAULT_LEVEL);
	dir = parse(&a, "fields studios/s1", 1, NULL, 0);
	assert_int_equal(dir.kind, DIRECTIVE_FIELDS);
	assert_string_equal(dir.slug, "s1");

	/* Every mistake is named, at the word it is about; nothing is
	 * guessed (the three parsers before this one disagreed: a prefix
	 * like "covers" was a cover to one, "chart x pi" a bar chart). */
	parse(&a, "covers", -1, "unknown directive 'covers' (expected cover, "
	      "toc, numbering, pagebreak, chart, fields, body, record or colophon)", 0);
	parse(&a, "  Toc", -1, "unknown directive 'Toc' (expected cover, toc, "
	      "numbering, pagebreak, chart, fields, body, record or colophon)", 2);
	parse(&a, "cover now", -1, "directive 'cover' takes no argument", 6);
	/* toc's argument is the contents' heading, the rest of the line. */
	assert_string_equal(parse(&a, "toc Table of  contents \t", 1, NULL, 0).title,
			    "Table of  contents");
	assert_null(parse(&a, "toc", 1, NULL, 0).title);
	parse(&a, "chart", -1, "directive 'chart' needs a figure: chart FIGURE "
	      "[bar|hbar|pie]", 0);
	parse(&a, "chart x pi", -1, "unknown chart style 'pi' (expected bar, "
	      "hbar or pie)", 8);
	parse(&a, "chart x bar y", -1, "directive 'chart' takes a figure and a "
	      "style, no more", 12);
	parse(&a, "record", -1, "directive 'record' needs a record: "
	      "COLLECTION/SLUG", 0);
	parse(&a, "body cases", -1, "'cases' does not name a record: write "
	      "COLLECTION/SLUG", 5);
	parse(&a, "body /x", -1, "'/x' does not name a record: write "
	      "COLLECTION/SLUG", 5);
	parse(&a, "body x/", -1, "'x/' does not name a record: write "
	      "COLLECTION/SLUG", 5);
	parse(&a, "body a/b/c", -1, "'a/b/c' does not name a record: write "
	      "COLLECTION/SLUG", 5);
	parse(&a, "body a/b 7", -1, "heading level '7' is not a number from 1 "
	      "to 6", 9);
	parse(&a, "body a/b 0", -1, "heading level '0' is not a number from 1 "
	      "to 6", 9);
	parse(&a, "record a/b three", -1, "heading level 'three' is not a "
	      "number from 1 to 6", 11);
	parse(&a, "body a/b 2 x", -1, "directive 'body' takes a record and a "
	      "heading level, no more", 11);
	parse(&a, "fields a/b 2", -1, "directive 'fields' takes one argument, "
	      "the record", 11);
	parse(&a, "a b c d e f", -1, "too many words in one directive line", 10);
	arena_release(&a);
}

/* Parse Markdown and apply the directives; returns the diagnostics. */
static char *apply(const char *md, struct cmark_node **doc, struct arena *a,
		   int rc)
{
	struct diag d;
	char *text;

	diag_init(&d);
	assert_int_equal(md_parse(md, strlen(md), "report.mustache", 1, NULL,
				  NULL, &d, doc), 0);
	assert_int_equal(directive_apply(*doc, a, "report.mustache", NULL, &d),
			 rc);
	text = test_flush_diag(&d);
	diag_release(&d);
	return text;
}

static void test_apply(void **state)
{
	struct arena a = ARENA_INIT;
	struct cmark_node *doc, *n;
	const struct directive *dir;
	char *diags;
	(void)state;

	diags = apply("# 前言\n\n```showcase\ncover\n\n  chart x pie\n```\n\n"
		      "```showcase extra words\ntoc\n```\n\n"
		      "```c\nint x;\n```\n", &doc, &a, 0);
	assert_string_equal(diags, "");
	free(diags);
	n = cmark_node_first_child(doc);
	assert_int_equal(cmark_node_get_type(n), CMARK_NODE_HEADING);
	assert_null(directive_of(n));
	dir = directive_of(n = cmark_node_next(n));
	assert_non_null(dir);
	assert_int_equal(dir->kind, DIRECTIVE_COVER);
	assert_string_equal(dir->path, "report.mustache");
	assert_int_equal(dir->line, 4);
	assert_int_equal(dir->col, 1);
	dir = directive_of(n = cmark_node_next(n));
	assert_int_equal(dir->kind, DIRECTIVE_CHART);
	assert_int_equal(dir->style, DIRECTIVE_PIE);
	assert_int_equal(dir->line, 6);
	assert_int_equal(dir->col, 3);
	dir = directive_of(n = cmark_node_next(n));
	assert_int_equal(dir->kind, DIRECTIVE_TOC);
	assert_int_equal(dir->line, 10);
	/* Other code blocks stay. */
	n = cmark_node_next(n);
	assert_int_equal(cmark_node_get_type(n), CMARK_NODE_CODE_BLOCK);
	assert_false(directive_is_block(n));
	assert_null(cmark_node_next(n));
	/* Custom blocks render as nothing, should one reach HTML. */
	{
		struct buf html = BUF_INIT;
		md_render_doc(doc, NULL, &html);
		assert_string_equal(html.ptr, "<h1 id=\"前言\">前言</h1>\n"
				    "<pre><code class=\"language-c\">int x;\n</code></pre>\n");
		buf_release(&html);
	}
	cmark_node_free(doc);

	/* Every problem, each at its line and column, as theme errors; the
	 * nested block stays a code block. */
	diags = apply("```showcase\ntoc\nfrobnicate now\n\n   chart\ntoc\n"
		      "```\n\n- item\n\n  ```showcase\n  cover\n  ```\n\n"
		      "```showcase\ncover\ncover\n```\n", &doc, &a, -1);
	assert_string_equal(diags,
		"report.mustache:3:1: error: unknown directive 'frobnicate' "
		"(expected cover, toc, numbering, pagebreak, chart, fields, "
		"body, record or colophon)\n"
		"report.mustache:5:4: error: directive 'chart' needs a figure: "
		"chart FIGURE [bar|hbar|pie]\n"
		"report.mustache:6:1: error: a second 'toc' directive (the first "
		"is at report.mustache:2); keep one\n"
		"report.mustache:11:3: error: a directive block inside a list, a "
		"quote or a footnote; directives go at the top level, unindented\n"
		"report.mustache:17:1: error: a second 'cover' directive (the "
		"first is at report.mustache:16); keep one\n");
	free(diags);
	cmark_node_free(doc);
	arena_release(&a);
}

/* The locator moves positions into the file that wrote the text. */
static void locate_plus_100(void *ctx, const char **path, unsigned *line,
			    unsigned *col)
{
	*path = ctx;
	*line += 100;
	*col += 1;
}

static void test_apply_located(void **state)
{
	struct arena a = ARENA_INIT;
	struct cmark_node *doc;
	struct diag d;
	struct directive_locator loc = { locate_plus_100, "templates/report.mustache" };
	const char *md = "```showcase\ntoc\nnope\n```\n";
	char *diags;
	(void)state;

	diag_init(&d);
	md_parse(md, strlen(md), "out.md", 1, NULL, NULL, &d, &doc);
	assert_int_equal(directive_apply(doc, &a, "out.md", &loc, &d), -1);
	assert_int_equal(diag_exit_code(&d), EXIT_SYSTEM);
	assert_string_equal(directive_of(cmark_node_first_child(doc))->path,
			    "templates/report.mustache");
	assert_int_equal(directive_of(cmark_node_first_child(doc))->line, 102);
	diags = test_flush_diag(&d);
	assert_string_equal(diags, "templates/report.mustache:103:2: error: "
			    "unknown directive 'nope' (expected cover, toc, "
			    "numbering, pagebreak, chart, fields, body, record or colophon)\n");
	free(diags);
	cmark_node_free(doc);
	diag_release(&d);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_lines),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_apply_located),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
