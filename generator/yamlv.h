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
 * Limits: nesting deeper than YAMLV_MAX_DEPTH is an error, found as soon
 * as the parser gets there (libyaml's scanner slows down quadratically with
 * the depth of flow collections, so the check must come before it reads on).
 * More than YAMLV_MAX_DIRECTIVES lines that start with '%' is an error found
 * before libyaml starts (it compares each %TAG directive with all earlier
 * ones). Aliases share the anchored value (no copying), so alias bombs cost
 * no memory, and anchors are hashed, so many anchors cost linear time. An
 * anchor used again names the later node, as the YAML spec says.
 */
#ifndef SHOWCASE_YAMLV_H
#define SHOWCASE_YAMLV_H

#include <stddef.h>

struct arena;
struct diag;
struct value;

/* Deepest nesting of lists and maps (the root is depth 0). */
#define YAMLV_MAX_DEPTH 64
/* Most lines starting with '%' (YAML directives) in one text. */
#define YAMLV_MAX_DIRECTIVES 64

/*
 * Parse the first YAML document of `text`. On success store the root in *out
 * (a VALUE_NULL value for an empty document) and return 0. On a syntax error,
 * a duplicate key, an undefined alias or one of the limits above, report it
 * to `d` as a content error at `path` and return -1. Only the first
 * document of the text is read. Values are allocated in `a`.
 */
int yamlv_parse(struct arena *a, const char *text, size_t len,
		const char *path, unsigned line_offset, struct diag *d,
		struct value **out);

#endif
