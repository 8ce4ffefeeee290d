/*
 * tmpl_srcmap: where a render's output came from (see tmpl.h). The
 * renderer notes a mark before each text node and each variable it writes
 * (tmpl_render.c); this file turns an offset in the output back into the
 * template, line and column that wrote it, for diagnostics about the
 * output, such as a booklet's directives.
 */
#include "tmpl_internal.h"

#include <stdlib.h>
#include <string.h>

int tmpl_srcmap_find(const struct tmpl_srcmap *map, const char *out,
		     size_t offset, const char **path, unsigned *line,
		     unsigned *col)
{
	const struct tmpl_srcmark *m;
	const char *p, *end, *eol, *src;
	size_t lo = 0, hi = map->len, line_out;

	/* The last mark at or before `offset`. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (map->v[mid].offset <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return -1;
	m = &map->v[lo - 1];
	*path = m->owner->path;
	if (m->node->kind != TN_TEXT) {
		/* Interpolated data: the tag that printed it. */
		*line = m->node->line;
		*col = m->node->col;
		return 0;
	}
	/* Follow the node's text line by line as far as the output has gone
	 * since the mark. (A partial's indentation, added to each line of its
	 * text, is counted as text: the column may then be a little off.) */
	src = m->owner->src;
	p = m->node->text.p;
	end = p + m->node->text.n;
	line_out = m->offset;
	for (size_t i = m->offset; i < offset; i++) {
		const char *nl;
		if (out[i] != '\n')
			continue;
		if (!(nl = memchr(p, '\n', (size_t)(end - p))))
			break;
		p = nl + 1;
		line_out = i + 1;
	}
	eol = memchr(p, '\n', (size_t)(end - p));
	if (!eol)
		eol = end;
	p += offset - line_out < (size_t)(eol - p) ? offset - line_out
						    : (size_t)(eol - p);
	if (p < src || p > src + m->owner->src_len)
		return -1;
	/* Columns count UTF-8 characters, as the compiler's do. */
	*line = 1;
	*col = 1;
	for (const char *q = src; q < p; q++)
		if (*q == '\n')
			++*line, *col = 1;
		else if ((*q & 0xC0) != 0x80)
			++*col;
	return 0;
}

void tmpl_srcmap_release(struct tmpl_srcmap *map)
{
	free(map->v);
	memset(map, 0, sizeof(*map));
}
