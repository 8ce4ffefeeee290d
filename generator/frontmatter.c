/*
 * frontmatter: see frontmatter.h.
 */
#include "frontmatter.h"

#include "diag.h"

#include <string.h>

/* Is [p, end_of_line) a delimiter line: `mark` followed only by blanks? */
static int is_delimiter(const char *p, const char *eol, const char *mark)
{
	size_t n = strlen(mark);
	if ((size_t)(eol - p) < n || memcmp(p, mark, n))
		return 0;
	for (p += n; p < eol; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r')
			return 0;
	return 1;
}

static const char *end_of_line(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return nl ? nl : end;
}

int fm_split(const char *text, size_t len, const char *path,
	     struct fm_parts *out, struct diag *d)
{
	const char *p = text, *end = text + len, *eol;
	unsigned line = 1;

	memset(out, 0, sizeof(*out));
	if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	eol = end_of_line(p, end);
	if (!is_delimiter(p, eol, "---")) {
		diag_error(d, path, 1, 1,
			   "missing front matter: a record must start with a "
			   "'---' line, then YAML fields, then another '---' line");
		return -1;
	}
	if (eol == end) {
		diag_error(d, path, 1, 1,
			   "unterminated front matter: no closing '---' line");
		return -1;
	}
	out->yaml = eol + 1;
	out->yaml_first_line = 2;
	for (p = eol + 1, line = 2; p < end; p = eol + 1, line++) {
		eol = end_of_line(p, end);
		if (is_delimiter(p, eol, "---") || is_delimiter(p, eol, "...")) {
			out->yaml_len = (size_t)(p - out->yaml);
			out->body = eol < end ? eol + 1 : end;
			out->body_len = (size_t)(end - out->body);
			out->body_first_line = line + 1;
			return 0;
		}
		if (eol == end)
			break;
	}
	diag_error(d, path, 1, 1,
		   "unterminated front matter: no closing '---' line after "
		   "the opening one");
	return -1;
}
