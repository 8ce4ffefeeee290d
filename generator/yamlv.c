/*
 * yamlv: see yamlv.h.
 *
 * The value tree is composed here from libyaml's events, not by libyaml's
 * own loader (yaml_parser_load), for two reasons of cost:
 *
 *   - libyaml's scanner walks its whole stack of possible simple keys for
 *     every token, and that stack grows with each level of flow nesting, so
 *     "[[[[..." costs time quadratic in its depth (200 KB took 47 s). Its
 *     loader builds the whole document before anyone can look at the depth;
 *     reading events, we stop at the first node deeper than YAMLV_MAX_DEPTH,
 *     when the scanner has read at most about a kilobyte past it (the
 *     longest a simple key may be).
 *   - the loader keeps anchors in an array and searches it for every anchor
 *     and alias, quadratic in their number; a hash map keeps it linear.
 *
 * What libyaml still does before the first event is to read the document's
 * directives, checking each %TAG against all before it: yamlv_parse()
 * counts the lines that may be directives first (YAMLV_MAX_DIRECTIVES).
 */
#include "yamlv.h"

#include "alloc.h"
#include "arena.h"
#include "diag.h"
#include "strmap.h"
#include "value.h"

#include <string.h>
#include <yaml.h>

/* A list or map being filled; a map's member waits for its value. */
struct frame {
	struct value *coll;
	const char *key; /* NULL: the next node is a key */
	size_t key_len;
	unsigned key_line, key_col;
};

/* The node an anchor names. Re-using a name re-points it, as the YAML spec
 * says (an alias refers to the most recent node with that anchor). */
struct anchor {
	struct value *v;
};

struct composer {
	struct arena *a;
	struct arena scratch; /* anchor names and slots */
	struct strmap anchors;
	const char *path;
	unsigned line_offset;
	struct diag *d;
	struct frame stack[YAMLV_MAX_DEPTH + 1];
	int depth; /* frames in use: the depth of the next node */
	struct value *root;
	int done;
};

static unsigned mark_line(struct composer *c, yaml_mark_t m)
{
	return (unsigned)m.line + 1 + c->line_offset;
}

static unsigned mark_col(yaml_mark_t m)
{
	return (unsigned)m.column + 1;
}

static void set_pos(struct composer *c, struct value *v, yaml_mark_t mark)
{
	v->line = mark_line(c, mark);
	v->col = mark_col(mark);
}

static void register_anchor(struct composer *c, const yaml_char_t *name,
			    struct value *v)
{
	struct anchor *slot;

	if (!name)
		return;
	slot = strmap_get(&c->anchors, (const char *)name);
	if (!slot) {
		slot = arena_alloc(&c->scratch, sizeof(*slot));
		strmap_put(&c->anchors, arena_strdup(&c->scratch,
						     (const char *)name), slot);
	}
	slot->v = v;
}

/*
 * Attach node `v` (which starts at `mark`) to the collection being filled,
 * or make it the root. Returns -1 after reporting a content error.
 */
static int attach(struct composer *c, struct value *v, yaml_mark_t mark)
{
	struct frame *f;

	if (!c->depth) {
		c->root = v;
		return 0;
	}
	f = &c->stack[c->depth - 1];
	if (f->coll->kind == VALUE_LIST) {
		value_list_push(c->a, f->coll, v);
		return 0;
	}
	if (!f->key) {
		if (v->kind != VALUE_STRING) {
			diag_error(c->d, c->path, mark_line(c, mark),
				   mark_col(mark),
				   "a mapping key must be a plain string");
			return -1;
		}
		f->key = v->u.str.ptr;
		f->key_len = v->u.str.len;
		f->key_line = mark_line(c, mark);
		f->key_col = mark_col(mark);
		return 0;
	}
	if (!value_map_add(c->a, f->coll, f->key, f->key_len, v, f->key_line,
			   f->key_col)) {
		diag_error(c->d, c->path, f->key_line, f->key_col,
			   "duplicate key '%s'", f->key);
		return -1;
	}
	f->key = NULL;
	return 0;
}

/* Nodes deeper than YAMLV_MAX_DEPTH are an error (aliases aside: they add
 * no depth, the node they name is already built). */
static int check_depth(struct composer *c, yaml_mark_t mark)
{
	if (c->depth <= YAMLV_MAX_DEPTH)
		return 0;
	diag_error(c->d, c->path, mark_line(c, mark), mark_col(mark),
		   "YAML nested deeper than %d levels", YAMLV_MAX_DEPTH);
	return -1;
}

/* Add one event to the tree. Returns -1 after reporting an error. */
static int compose(struct composer *c, const yaml_event_t *ev)
{
	struct value *v;

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		if (check_depth(c, ev->start_mark) < 0)
			return -1;
		v = value_string(c->a, (const char *)ev->data.scalar.value,
				 ev->data.scalar.length);
		if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
			v->flags |= VALUE_PLAIN;
		set_pos(c, v, ev->start_mark);
		register_anchor(c, ev->data.scalar.anchor, v);
		return attach(c, v, ev->start_mark);
	case YAML_ALIAS_EVENT: {
		const char *name = (const char *)ev->data.alias.anchor;
		struct anchor *slot = strmap_get(&c->anchors, name);
		if (!slot) {
			diag_error(c->d, c->path, mark_line(c, ev->start_mark),
				   mark_col(ev->start_mark),
				   "invalid YAML: found undefined alias '%s'",
				   name);
			return -1;
		}
		return attach(c, slot->v, ev->start_mark);
	}
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		const yaml_char_t *anchor;
		if (check_depth(c, ev->start_mark) < 0)
			return -1;
		if (ev->type == YAML_SEQUENCE_START_EVENT) {
			v = value_list(c->a);
			anchor = ev->data.sequence_start.anchor;
		} else {
			v = value_map(c->a);
			anchor = ev->data.mapping_start.anchor;
		}
		set_pos(c, v, ev->start_mark);
		/* Before the children: a self-referencing alias sees it. */
		register_anchor(c, anchor, v);
		if (attach(c, v, ev->start_mark) < 0)
			return -1;
		memset(&c->stack[c->depth], 0, sizeof(c->stack[c->depth]));
		c->stack[c->depth++].coll = v;
		return 0;
	}
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (c->depth < 1)
			BUG("libyaml ended a collection that never started");
		c->depth--;
		return 0;
	case YAML_DOCUMENT_END_EVENT:
	case YAML_STREAM_END_EVENT:
		/* Only the first document counts, as with yaml_parser_load. */
		c->done = 1;
		return 0;
	default:
		return 0;
	}
}

static void report_syntax_error(const yaml_parser_t *parser, const char *path,
				unsigned line_offset, struct diag *d)
{
	const char *problem = parser->problem ? parser->problem : "syntax error";
	yaml_mark_t mark = parser->problem_mark;
	unsigned line = (unsigned)mark.line + 1 + line_offset;
	unsigned col = (unsigned)mark.column + 1;

	if (parser->context && (parser->context_mark.line != mark.line ||
				parser->context_mark.column != mark.column))
		diag_error(d, path, line, col,
			   "invalid YAML: %s %s that starts at line %u, "
			   "column %u", problem, parser->context,
			   (unsigned)parser->context_mark.line + 1 + line_offset,
			   (unsigned)parser->context_mark.column + 1);
	else if (parser->context)
		diag_error(d, path, line, col, "invalid YAML: %s %s", problem,
			   parser->context);
	else
		diag_error(d, path, line, col, "invalid YAML: %s", problem);
}

/* The length of the line break at text[i] as libyaml sees one (CR, LF,
 * CRLF, NEL, LS, PS), or 0. */
static size_t break_len(const char *text, size_t len, size_t i)
{
	const unsigned char *s = (const unsigned char *)text + i;
	size_t left = len - i;

	if (s[0] == '\r')
		return left > 1 && s[1] == '\n' ? 2 : 1;
	if (s[0] == '\n')
		return 1;
	if (left > 1 && s[0] == 0xC2 && s[1] == 0x85)
		return 2;
	if (left > 2 && s[0] == 0xE2 && s[1] == 0x80 &&
	    (s[2] == 0xA8 || s[2] == 0xA9))
		return 3;
	return 0;
}

/*
 * Lines that start with '%' (a directive can be nothing else; the count is
 * an upper bound): more than YAMLV_MAX_DIRECTIVES is an error at the first
 * one too many. Linear; returns 0 or -1.
 */
static int check_directives(const char *text, size_t len, const char *path,
			    unsigned line_offset, struct diag *d)
{
	unsigned line = 1, count = 0;
	size_t i = 0;

	while (i < len) {
		if (text[i] == '%' && ++count > YAMLV_MAX_DIRECTIVES) {
			diag_error(d, path, line + line_offset, 1,
				   "more than %d YAML directives (lines that "
				   "start with '%%'); remove them",
				   YAMLV_MAX_DIRECTIVES);
			return -1;
		}
		/* On to the next line. */
		size_t n = 0;
		while (i < len && !(n = break_len(text, len, i)))
			i++;
		i += n;
		line++;
	}
	return 0;
}

int yamlv_parse(struct arena *a, const char *text, size_t len,
		const char *path, unsigned line_offset, struct diag *d,
		struct value **out)
{
	yaml_parser_t parser;
	struct composer c;
	int ret = -1;

	*out = NULL;
	if (check_directives(text, len, path, line_offset, d) < 0)
		return -1;
	if (!yaml_parser_initialize(&parser)) {
		diag_fail(d, path, 0, 0, "cannot initialise the YAML parser");
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	memset(&c, 0, sizeof(c));
	c.a = a;
	c.path = path;
	c.line_offset = line_offset;
	c.d = d;
	while (!c.done) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			report_syntax_error(&parser, path, line_offset, d);
			goto cleanup;
		}
		int rc = compose(&c, &ev);
		yaml_event_delete(&ev);
		if (rc < 0)
			goto cleanup;
	}
	if (!c.root) {
		/* No document at all: an empty front matter. */
		c.root = value_null(a);
		c.root->line = 1 + line_offset;
		c.root->col = 1;
	}
	*out = c.root;
	ret = 0;

cleanup:
	strmap_release(&c.anchors);
	arena_release(&c.scratch);
	yaml_parser_delete(&parser);
	return ret;
}
