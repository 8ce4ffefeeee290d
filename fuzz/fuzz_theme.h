/*
 * fuzz_theme: the default theme's schema for the fuzz targets that need
 * one (front matter, site.yaml), parsed once and kept for the process.
 *
 * The schema YAML is embedded into the fuzzer at build time (the Makefile
 * turns themes/default/schema.yaml into the byte array of
 * fuzz_theme_schema.inc), so a fuzzer or the replay driver runs from any
 * folder and never depends on a path; a changed schema rebuilds them.
 *
 * Header-only on purpose: each target is one translation unit plus the
 * library, as libFuzzer and the standalone driver expect.
 */
#ifndef SHOWCASE_FUZZ_THEME_H
#define SHOWCASE_FUZZ_THEME_H

#include "fuzz.h"

#include "arena.h"
#include "diag.h"
#include "schema.h"
#include "value.h"
#include "yamlv.h"

#include <stdio.h>
#include <stdlib.h>

#include "fuzz_theme_schema.inc" /* fuzz_theme_schema_yaml[] */

#define FUZZ_THEME_PATH "themes/default/schema.yaml"

struct fuzz_theme {
	struct arena arena;        /* lives as long as the process */
	struct value *raw;         /* the parsed schema file */
	struct schema *schema;     /* compiled, without site extensions */
};

/* The theme, parsed and compiled at the first call. The default theme must
 * load cleanly: anything else is a broken build, so abort loudly. */
static inline const struct fuzz_theme *fuzz_theme_get(void)
{
	static struct fuzz_theme t;
	static int loaded;
	struct diag d;

	if (loaded)
		return &t;
	arena_init(&t.arena);
	diag_init(&d);
	if (yamlv_parse(&t.arena, (const char *)fuzz_theme_schema_yaml,
			sizeof(fuzz_theme_schema_yaml), FUZZ_THEME_PATH, 0, &d,
			&t.raw) < 0 ||
	    schema_load(&t.arena, t.raw, FUZZ_THEME_PATH, NULL, "site.yaml",
			&t.schema, &d) < 0) {
		diag_flush(&d, stderr);
		fprintf(stderr, "fuzz: the embedded theme schema does not load\n");
		abort();
	}
	diag_release(&d);
	loaded = 1;
	return &t;
}

#endif
