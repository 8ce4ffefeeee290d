/*
 * schema_internal: what the two halves of schema loading share; not part of
 * the API. schema_load.c merges the theme's and the site's definitions
 * into drafts and compiles collections; schema_field.c compiles the field
 * definitions of a draft. Drafts keep the raw YAML nodes, so that every
 * problem can be reported at the node that caused it, in the file it came
 * from.
 */
#ifndef SHOWCASE_SCHEMA_INTERNAL_H
#define SHOWCASE_SCHEMA_INTERNAL_H

#include "arena.h"
#include "schema.h"

#include <stddef.h>

struct value;

/* Which file a definition came from, and so which class its errors have:
 * the theme's are system errors, the site's content errors. */
struct schema_origin {
	const char *path;
	int system;
};

/* One field definition as written, before compiling. */
struct schema_draft {
	const char *name;
	const struct value *def;
	const struct schema_origin *o;
	unsigned line, col; /* of the key */
};

struct schema_draft_collection;

struct schema_loader {
	struct arena *a;  /* the schema's arena */
	struct arena tmp; /* drafts and scratch text, released at the end */
	struct diag *d;
	size_t errors;
	struct schema_draft_collection *cols;
	size_t ncols, cap;
};

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
void schema_report(struct schema_loader *L, const struct schema_origin *o,
		   unsigned line, unsigned col, const char *fmt, ...);

/* Null, or a plain scalar that YAML reads as null. */
int schema_is_null(const struct value *v);
/* The text of a scalar (string, integer or boolean), or NULL for null, a
 * list or a map; the input may or may not have been typed already. */
const char *schema_text(struct schema_loader *L, const struct value *v);
/* A decimal integer with an optional sign: 0, or -1. */
int schema_parse_int(const char *s, long long *out);
/* Letters (only lowercase if asked), digits, '-' and '_'. */
int schema_valid_name(const char *s, size_t len, int lower_only);
/* Whether the merged drafts define a collection `name`. */
int schema_collection_declared(const struct schema_loader *L, const char *name);

/*
 * Compile n sibling field definitions (of a collection, or of an object
 * field: `prefix` then names the object in messages, as "entries.") into
 * an array in L->a, and check each `after` against the siblings.
 */
void schema_compile_fields(struct schema_loader *L,
			   const struct schema_draft *df, size_t n,
			   unsigned depth, const char *prefix,
			   const struct schema_field **out, size_t *nout);

#endif
