/*
 * frontmatter: split a record file into its YAML front matter and its
 * Markdown body (parse stage; pure: bytes in, ranges out).
 *
 * A record starts with a line "---" (an optional UTF-8 byte order mark and
 * trailing blanks allowed) and its front matter ends at the next line that
 * is "---" or "...". The body is everything after that line. Line numbers
 * are kept so that YAML and Markdown diagnostics can name lines of the whole
 * file: the YAML's first line is 2, the body's first line follows the
 * closing delimiter.
 *
 * Ownership: the ranges point into the caller's text; nothing is allocated.
 */
#ifndef SHOWCASE_FRONTMATTER_H
#define SHOWCASE_FRONTMATTER_H

#include <stddef.h>

struct diag;

struct fm_parts {
	const char *yaml;
	size_t yaml_len;
	unsigned yaml_first_line; /* line of the file where the YAML starts */
	const char *body;
	size_t body_len;
	unsigned body_first_line; /* line of the file where the body starts */
};

/*
 * Split `text`. Returns 0, or -1 after reporting a content error at `path`
 * when the front matter is missing or unterminated.
 */
int fm_split(const char *text, size_t len, const char *path,
	     struct fm_parts *out, struct diag *d);

#endif
