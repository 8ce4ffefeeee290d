/*
 * yamlv: YAML text to a value tree (see value.h), through libyaml.
 *
 * Used for front matter, site.yaml, the theme's schema and the Mustache spec
 * files. Scalars become strings, flagged VALUE_PLAIN when unquoted, so the
 * schema can type them; call value_resolve_scalars() for untyped config.
 * Every value records its 1-based line and column (columns count characters,
 * as libyaml does), shifted by `line_offset` so that front matter reports the
 * line in the whole file.
 *
 * Limits: nesting deeper than YAMLV_MAX_DEPTH is an error. Aliases share
 * the anchored value (no copying), so alias bombs cost no memory.
 */
#ifndef SHOWCASE_YAMLV_H
#define SHOWCASE_YAMLV_H

#include <stddef.h>

struct arena;
struct diag;
struct value;

#define YAMLV_MAX_DEPTH 64

/*
 * Parse the first YAML document of `text`. On success store the root in *out
 * (a VALUE_NULL value for an empty document) and return 0. On a syntax error,
 * a duplicate key or excessive nesting, report it to `d` as a content error
 * at `path` and return -1. Values are allocated in `a`.
 */
int yamlv_parse(struct arena *a, const char *text, size_t len,
		const char *path, unsigned line_offset, struct diag *d,
		struct value **out);

#endif
