/*
 * yamlv: see yamlv.h. Loads the document with libyaml's document API (which
 * already resolves anchors and aliases to node ids) and converts the node
 * graph, memoising nodes so an alias points at the same value.
 */
#include "yamlv.h"

#include "alloc.h"
#include "arena.h"
#include "diag.h"
#include "value.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct conv {
	struct arena *a;
	yaml_document_t *doc;
	struct value **memo; /* by node id - 1 */
	const char *path;
	unsigned line_offset;
	struct diag *d;
};

static void set_pos(struct conv *c, struct value *v, yaml_mark_t mark)
{
	v->line = (unsigned)mark.line + 1 + c->line_offset;
	v->col = (unsigned)mark.column + 1;
}

static struct value *convert(struct conv *c, int id, int depth)
{
	yaml_node_t *node = yaml_document_get_node(c->doc, id);
	struct value *v;

	if (!node)
		return value_null(c->a);
	if (c->memo[id - 1])
		return c->memo[id - 1];
	if (depth > YAMLV_MAX_DEPTH) {
		diag_error(c->d, c->path,
			   (unsigned)node->start_mark.line + 1 + c->line_offset,
			   (unsigned)node->start_mark.column + 1,
			   "YAML nested deeper than %d levels", YAMLV_MAX_DEPTH);
		return NULL;
	}

	switch (node->type) {
	case YAML_SCALAR_NODE:
		v = value_string(c->a, (const char *)node->data.scalar.value,
				 node->data.scalar.length);
		if (node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
			v->flags |= VALUE_PLAIN;
		break;
	case YAML_SEQUENCE_NODE: {
		yaml_node_item_t *it;
		v = value_list(c->a);
		c->memo[id - 1] = v; /* a self-referencing alias sees itself */
		for (it = node->data.sequence.items.start;
		     it < node->data.sequence.items.top; it++) {
			struct value *item = convert(c, *it, depth + 1);
			if (!item)
				return NULL;
			value_list_push(c->a, v, item);
		}
		break;
	}
	case YAML_MAPPING_NODE: {
		yaml_node_pair_t *p;
		v = value_map(c->a);
		c->memo[id - 1] = v;
		for (p = node->data.mapping.pairs.start;
		     p < node->data.mapping.pairs.top; p++) {
			yaml_node_t *key = yaml_document_get_node(c->doc, p->key);
			unsigned kl, kc;
			struct value *val;
			if (!key)
				continue;
			kl = (unsigned)key->start_mark.line + 1 + c->line_offset;
			kc = (unsigned)key->start_mark.column + 1;
			if (key->type != YAML_SCALAR_NODE) {
				diag_error(c->d, c->path, kl, kc,
					   "a mapping key must be a plain string");
				return NULL;
			}
			val = convert(c, p->value, depth + 1);
			if (!val)
				return NULL;
			const char *k = arena_strndup(c->a,
				(const char *)key->data.scalar.value,
				key->data.scalar.length);
			if (!value_map_add(c->a, v, k, key->data.scalar.length,
					   val, kl, kc)) {
				diag_error(c->d, c->path, kl, kc,
					   "duplicate key '%s'", k);
				return NULL;
			}
		}
		break;
	}
	default:
		v = value_null(c->a);
		break;
	}
	set_pos(c, v, node->start_mark);
	c->memo[id - 1] = v;
	return v;
}

int yamlv_parse(struct arena *a, const char *text, size_t len,
		const char *path, unsigned line_offset, struct diag *d,
		struct value **out)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct conv c;
	int ret = -1;
	size_t count;

	*out = NULL;
	if (!yaml_parser_initialize(&parser)) {
		diag_fail(d, path, 0, 0, "cannot initialise the YAML parser");
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		const char *problem = parser.problem ? parser.problem : "syntax error";
		yaml_mark_t mark = parser.problem_mark;
		if (parser.context && (parser.context_mark.line != mark.line ||
				       parser.context_mark.column != mark.column))
			diag_error(d, path, (unsigned)mark.line + 1 + line_offset,
				   (unsigned)mark.column + 1,
				   "invalid YAML: %s %s that starts at line %u, "
				   "column %u", problem, parser.context,
				   (unsigned)parser.context_mark.line + 1 + line_offset,
				   (unsigned)parser.context_mark.column + 1);
		else if (parser.context)
			diag_error(d, path, (unsigned)mark.line + 1 + line_offset,
				   (unsigned)mark.column + 1,
				   "invalid YAML: %s %s", problem, parser.context);
		else
			diag_error(d, path, (unsigned)mark.line + 1 + line_offset,
				   (unsigned)mark.column + 1, "invalid YAML: %s",
				   problem);
		yaml_parser_delete(&parser);
		return -1;
	}

	if (!yaml_document_get_root_node(&doc)) {
		*out = value_null(a);
		(*out)->line = 1 + line_offset;
		(*out)->col = 1;
		ret = 0;
		goto cleanup;
	}
	count = (size_t)(doc.nodes.top - doc.nodes.start);
	memset(&c, 0, sizeof(c));
	c.a = a;
	c.doc = &doc;
	c.memo = xcalloc(count, sizeof(*c.memo));
	c.path = path;
	c.line_offset = line_offset;
	c.d = d;
	*out = convert(&c, 1, 0);
	free(c.memo);
	ret = *out ? 0 : -1;

cleanup:
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return ret;
}
