/*
 * markdown_guard: the work cmark-gfm 0.29.0.gfm.6 (Debian 12) would do on a
 * body, estimated from the text alone before it is parsed, for inputs that
 * make that version of the library take time quadratic in their size.
 */
#include "markdown_internal.h"

#include "alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t sat_add(size_t a, size_t b)
{
	return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

static size_t sat_mul(size_t a, size_t b)
{
	return b && a > SIZE_MAX / b ? SIZE_MAX : a * b;
}

/* The end of the line that starts at `p`: its "\n" or "\r", or `end`. */
static const char *line_end(const char *p, const char *end)
{
	while (p < end && *p != '\n' && *p != '\r')
		p++;
	return p;
}

/* Past the line break at `e` ("\n", "\r" or "\r\n"), as cmark reads them. */
static const char *next_line(const char *e, const char *end)
{
	if (e < end && *e == '\r' && e + 1 < end && e[1] == '\n')
		return e + 2;
	return e < end ? e + 1 : end;
}

/* ---- tables ------------------------------------------------------------- */

/*
 * cmark-gfm 0.29.0.gfm.6 parses a table row in time quadratic in its cells,
 * and pads every row to the width of the delimiter row, so a few kilobytes
 * ("a|a|...|a", "-|-|...|-", then thousands of lines "a") take seconds and
 * gigabytes. Later releases cap the padding (MAX_AUTOCOMPLETED_CELLS,
 * GHSA-w4qg-3vf7-m9x5); Debian's does not.
 *
 * The estimate: a possible delimiter row is a line of '|', '-', ':', blanks
 * (and '>' of block quotes) with at least one '-' (":-" alone is one); its
 * table can take every line up to the next blank one, each padded to the
 * delimiter row's width. Each row, the header included, costs its cells
 * squared.
 */
struct md_line_scan {
	size_t pipes;
	size_t end; /* the next blank line (or the line count) */
	int blank, delimiter;
};

static void scan_line(const char *p, size_t n, struct md_line_scan *l)
{
	int dash = 0, other = 0;
	l->pipes = 0;
	for (size_t i = 0; i < n; i++) {
		switch (p[i]) {
		case '|': l->pipes++; break;
		case '-': dash = 1; break;
		case ':': other |= 1; break;
		case ' ': case '\t': case '\v': case '\f': case '>': break;
		default: other |= 2; break;
		}
	}
	l->blank = !l->pipes && !dash && !other;
	l->delimiter = dash && !(other & 2);
}

size_t md_table_work(const char *text, size_t len, size_t *line)
{
	struct md_line_scan *lines;
	size_t n = 1, k = 0, work = 0, covered = 0;

	for (size_t i = 0; i < len; i++)
		n += text[i] == '\n' || (text[i] == '\r' &&
					 (i + 1 == len || text[i + 1] != '\n'));
	lines = xmalloc(st_mult(n, sizeof(*lines)));
	for (const char *p = text, *end = text + len; k < n; k++) {
		const char *e = line_end(p, end);
		scan_line(p, (size_t)(e - p), &lines[k]);
		p = next_line(e, end);
	}
	for (size_t i = n, next_blank = n; i-- > 0;) {
		lines[i].end = next_blank;
		if (lines[i].blank)
			next_blank = i;
	}
	*line = 0;
	for (size_t i = 0; i < n; i++) {
		const struct md_line_scan *l = &lines[i];
		if (l->delimiter) {
			/* Every line up to the next blank one may be a row,
			 * padded to this row's width. */
			work = sat_add(work, sat_mul(l->pipes + 1, l->end - i - 1));
			if (i && i - 1 >= covered) /* the header row */
				work = sat_add(work, sat_mul(lines[i - 1].pipes,
							     lines[i - 1].pipes));
			if (l->end > covered)
				covered = l->end;
		}
		/* Rows cost their cells squared, once each. */
		if (i < covered)
			work = sat_add(work, sat_mul(l->pipes, l->pipes));
		if (work > MD_MAX_TABLE_WORK) {
			*line = i;
			break;
		}
	}
	free(lines);
	return work;
}
