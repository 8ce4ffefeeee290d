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
struct value_member;

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

/* Fields and enum values compiled for one schema, at most: YAML aliases
 * let a small site.yaml nest one object definition in itself level after
 * level (SCHEMA_MAX_DEPTH deep, any width), or give one long list of
 * values to many enums, which would describe billions of them. The
 * default theme has about a hundred fields and fifty values. The fuzz
 * build (make fuzz) sets a lower value, so inputs that reach it cost the
 * fuzzer less time. */
#ifndef SCHEMA_MAX_DEFINITIONS
#define SCHEMA_MAX_DEFINITIONS 100000
#endif

/* Errors one schema load prints; the rest are counted and summed up in
 * one more. An aliased definition is compiled, and its mistakes reported,
 * once for every place it is used: tens of thousands of copies of one
 * message (that may quote a long key) help nobody and can take gigabytes. */
#define SCHEMA_MAX_REPORTS 200

struct schema_loader {
	struct arena *a;  /* the schema's arena */
	struct arena tmp; /* drafts and scratch text, released at the end */
	struct diag *d;
	size_t errors;
	struct schema_draft_collection *cols;
	size_t ncols, cap;
	const struct schema_origin *last_unreported; /* origin of the last
						      * error not printed */
	size_t ndefs;       /* compiled so far, against SCHEMA_MAX_DEFINITIONS */
	int defs_spent;     /* the budget ran out (reported once) */
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

/* Count one field or enum value against SCHEMA_MAX_DEFINITIONS: 0, or -1
 * once the budget is spent (reported once, at line:col of `o`). */
int schema_spend(struct schema_loader *L, const struct schema_origin *o,
		 unsigned line, unsigned col);

/*
 * Compile n sibling field definitions (of a collection, or of an object
 * field: `prefix` then names the object in messages, as "entries.") into
 * an array in L->a, and check each `after` against the siblings.
 */
void schema_compile_fields(struct schema_loader *L,
			   const struct schema_draft *df, size_t n,
			   unsigned depth, const char *prefix,
			   const struct schema_field **out, size_t *nout);

/* 1 if the key of `m` is a valid field name; else report it and 0. */
int schema_check_field_name(struct schema_loader *L,
			    const struct schema_origin *o,
			    const struct value_member *m);

#endif
