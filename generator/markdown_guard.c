/*
 * markdown_guard: the work cmark-gfm 0.29.0.gfm.6 (Debian 12) would do on a
 * body, estimated from the text alone before it is parsed.
 *
 * Some inputs make that version of the library take time quadratic in
 * their size; later releases fixed most of them, Debian's has none of the
 * fixes, and our fuzzers cannot see inside the library. Measured on the
 * Debian library (parse and render), before these guards:
 *
 *   input                          100 KB   400 KB   what is repeated
 *   "![[]()" repeated              0.75 s   12 s     each link walks back
 *   "![" x N, "[]()" x N/2         3.5 s             over every '![' opener
 *   "<?" repeated                  2.0 s    > 20 s   each scans on to the
 *   "<!A " / "<![CDATA[" repeated  0.9/0.4  7.8 s    end of the paragraph
 *   "www.a" then ')' x N           2.9 s             each ')' recounts
 *   "a@b.c " on one line           0.10 s   0.87 s   each '@' copies the
 *                                  (95 MB)  (380 MB) rest of the line
 *   a table row of N cells         12.8 s            MD_MAX_TABLE_WORK
 *
 * The rest of cmark's own list of pathological inputs (nested brackets,
 * emphasis runs, block quotes, lists, backticks, unclosed links, link
 * references, comments, strikethrough, www./http: runs, footnotes) is
 * linear in this version: 400 KB of each parses in under 0.4 s.
 *
 * Each estimate is an upper bound of the library's work, computed in one
 * linear pass that needs no Markdown parse (about 3 ns a byte). Bounds are
 * loose where that keeps them simple and safe: a paragraph is taken to run
 * to the next blank line (it cannot run further), and code spans, code
 * blocks and escapes are not recognised, so what is in them counts too.
 * Real records stay orders of magnitude below the limits in markdown.h.
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

/* ---- the inline parser's quadratic paths -------------------------------- */

/* What one pass keeps: the work so far of each path, and what it knows of
 * the current paragraph (up to a blank line), line and word.
 * Work grows by a step per byte per construct that may still be scanning
 * over it, so it is known (and checked) at every byte. */
struct guard_scan {
	const char *text;
	size_t len;
	size_t bracket_work, html_work, email_work, paren_work;
	size_t images;		 /* '![' in the paragraph */
	size_t html, html_first; /* unfinished '<?', '<!X', '<![' in it */
	size_t ats, at_first;	 /* '@' on the current line */
	size_t link_start, link_parens; /* an autolink in the current word */
	int in_link;
	struct md_guard *out;
};

static void keep_work(struct guard_scan *s)
{
	s->out->bracket_work = s->bracket_work;
	s->out->html_work = s->html_work;
	s->out->email_work = s->email_work;
	s->out->autolink_work = s->paren_work;
}

static int fail(struct guard_scan *s, enum md_guard_kind kind, size_t offset,
		size_t count)
{
	keep_work(s);
	s->out->kind = kind;
	s->out->offset = offset;
	s->out->count = count;
	return -1;
}

static int is_alpha(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* cmark_isspace: where an autolink ends. */
static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	       c == '\r';
}

/* The bytes that change what the scan knows; the others only add work. */
static int is_special(unsigned char c)
{
	switch (c) {
	case '<': case '@': case ':': case 'w': case ')': case '!': case ']':
	case ' ': case '\t': case '\v': case '\f':
		return 1;
	default:
		return 0;
	}
}

/*
 * `n` more bytes read by every construct still open: unfinished '<?'...
 * of the paragraph and '@' of the line.
 */
static int add_span(struct guard_scan *s, size_t n)
{
	if (s->html) {
		s->html_work = sat_add(s->html_work, sat_mul(s->html, n));
		if (s->html_work > MD_MAX_HTML_SCAN)
			return fail(s, MD_GUARD_HTML, s->html_first, s->html);
	}
	if (s->ats) {
		s->email_work = sat_add(s->email_work, sat_mul(s->ats, n));
		if (s->email_work > MD_MAX_EMAIL_SCAN)
			return fail(s, MD_GUARD_EMAIL, s->at_first, s->ats);
	}
	return 0;
}

/* A special byte (see is_special()): its own work first, then what it
 * opens or closes. */
static int scan_special(struct guard_scan *s, size_t i)
{
	const char *t = s->text;
	size_t left = s->len - i;
	unsigned char c = (unsigned char)t[i];

	if (add_span(s, 1) < 0)
		return -1;

	/*
	 * '<?', '<!' and a letter, '<![': cmark's scanners for processing
	 * instructions, declarations and CDATA read on to their end, which
	 * may be anywhere up to the end of the paragraph; each one unfinished
	 * reads this byte again.
	 */
	if (c == '<' && left > 2 &&
	    (t[i + 1] == '?' || (t[i + 1] == '!' &&
				 (t[i + 2] == '[' || is_alpha((unsigned char)t[i + 2]))))) {
		if (!s->html++)
			s->html_first = i;
	}

	/*
	 * The autolink extension looks for e-mail addresses after the parse,
	 * in each text node: for each '@' it reads on while the characters
	 * may belong to an address, and for each address it finds it copies
	 * the rest of the node into a new one (up to 1,000 per node). A text
	 * node ends at the end of its line at the latest.
	 */
	if (c == '@' && !s->ats++)
		s->at_first = i;

	/*
	 * An autolink (from "www." or a scheme's ':') runs to the next white
	 * space; autolink_delim() then drops the link's trailing ')' one at a
	 * time, counting the parentheses from the link's start each time.
	 */
	if (is_space(c)) {
		s->in_link = 0;
		s->link_parens = 0;
	} else if (!s->in_link &&
		   ((c == ':' && i && is_alpha((unsigned char)t[i - 1])) ||
		    (c == 'w' && left >= 4 && !memcmp(t + i, "www.", 4)))) {
		s->in_link = 1;
		s->link_start = i;
		/* A scheme's letters belong to the link (once per word). */
		while (c == ':' && s->link_start &&
		       is_alpha((unsigned char)t[s->link_start - 1]))
			s->link_start--;
	} else if (c == ')' && s->in_link) {
		s->link_parens++;
		s->paren_work = sat_add(s->paren_work, i - s->link_start + 1);
		if (s->paren_work > MD_MAX_AUTOLINK_TRIM)
			return fail(s, MD_GUARD_AUTOLINK, s->link_start,
				    s->link_parens);
	}

	/*
	 * Each link closed by a ']' makes cmark walk back over the openers
	 * before it to deactivate them, passing every image opener '![' still
	 * open. Which are open is not known without parsing (a ']' in a code
	 * span closes nothing): count every '![' of the paragraph.
	 */
	if (c == '!' && left > 1 && t[i + 1] == '[') {
		s->images++;
	} else if (c == ']' && s->images) {
		s->bracket_work = sat_add(s->bracket_work, s->images);
		if (s->bracket_work > MD_MAX_BRACKET_WORK)
			return fail(s, MD_GUARD_BRACKETS, i, s->images);
	}
	return 0;
}

int md_guard_check(const char *text, size_t len, struct md_guard *out)
{
	struct guard_scan s;
	const char *end = text + len;

	memset(&s, 0, sizeof(s));
	memset(out, 0, sizeof(*out));
	s.text = text;
	s.len = len;
	s.out = out;
	for (const char *p = text; p < end;) {
		const char *e = line_end(p, end), *q = p;
		while (q < e && (*q == ' ' || *q == '\t'))
			q++;
		if (q == e) /* a blank line ends the paragraph */
			s.images = s.html = 0;
		for (q = p; q < e;) {
			const char *r = q;
			while (r < e && !is_special((unsigned char)*r))
				r++;
			if (add_span(&s, (size_t)(r - q)) < 0 ||
			    (r < e && scan_special(&s, (size_t)(r - text)) < 0))
				return -1;
			q = r + (r < e);
		}
		/* A line break ends text nodes and words (and is read by
		 * what is still open). */
		s.ats = 0;
		s.in_link = 0;
		s.link_parens = 0;
		if (add_span(&s, 1) < 0)
			return -1;
		p = next_line(e, end);
	}
	keep_work(&s);
	return 0;
}
