/*
 * fuzz_directive: the input as a booklet template's Markdown output, its
 * `showcase` blocks turned into directive nodes as the report does.
 *
 * Contracts checked: after directive_apply() no top-level code block is a
 * directive block any more; every directive node holds a directive of a
 * known kind whose arguments its kind needs (a figure for a chart, a
 * record for fields, body and record, a level from 1 to 6), placed at a
 * line of the input; and each line of each block parses the same on its
 * own (the one parser, no state).
 */
#include "fuzz.h"

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "directive.h"
#include "markdown.h"

#include <cmark-gfm.h>

#include <string.h>

static void check(const struct directive *dir, unsigned lines)
{
	if (!dir->path || !dir->line || dir->line > lines || !dir->col)
		abort();
	switch (dir->kind) {
	case DIRECTIVE_COVER:
	case DIRECTIVE_TOC:
	case DIRECTIVE_NUMBERING:
	case DIRECTIVE_PAGEBREAK:
	case DIRECTIVE_COLOPHON:
		return;
	case DIRECTIVE_CHART:
		if (!dir->figure || !*dir->figure || dir->style > DIRECTIVE_PIE)
			abort();
		return;
	case DIRECTIVE_FIELDS:
	case DIRECTIVE_BODY:
	case DIRECTIVE_RECORD:
		if (!dir->collection || !*dir->collection || !dir->slug ||
		    !*dir->slug || strchr(dir->slug, '/') ||
		    dir->level < 1 || dir->level > 6)
			abort();
		return;
	}
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT;
	struct buf why = BUF_INIT;
	struct cmark_node *doc = NULL, *n;
	const char *text = (const char *)data;
	unsigned lines = 1;
	struct diag d;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n' || data[i] == '\r';
	diag_init(&d);
	md_parse(text, size, "report.mustache", 1, NULL, NULL, &d, &doc);

	/* Each line on its own, as directive_apply() will see it. */
	for (n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
		const char *lit = directive_is_block(n) ? cmark_node_get_literal(n) : NULL;
		for (const char *p = lit ? lit : ""; *p;) {
			size_t len = strcspn(p, "\n"), at;
			struct directive one, two;
			int rc = directive_parse(&a, p, len, &one, &why, &at);
			if (rc != directive_parse(&a, p, len, &two, &why, &at) ||
			    (rc > 0 && one.kind != two.kind) || (rc < 0 && at > len))
				abort();
			buf_reset(&why);
			p += len + (p[len] == '\n');
		}
	}

	directive_apply(doc, &a, "report.mustache", NULL, &d);
	for (n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
		if (directive_is_block(n))
			abort(); /* left for someone else to read */
		if (directive_of(n))
			check(directive_of(n), lines);
	}

	cmark_node_free(doc);
	diag_flush(&d, fuzz_devnull());
	diag_release(&d);
	buf_release(&why);
	arena_release(&a);
	return 0;
}
