/*
 * tmpl_internal: the compiled form of a template, shared by the compiler
 * (tmpl_compile.c) and the renderer (tmpl_render.c). Not part of the API.
 *
 * A compiled template is a tree of nodes in the set's arena. Text and names
 * point into the template's source, which the arena also holds, so a tree
 * costs one node per tag or run of text and never changes after compile.
 *
 * Indentation (the whitespace in front of a standalone partial, parent or
 * block, added to every line of what it expands to) is applied while
 * rendering, from flags the compiler leaves on the nodes: TN_BOL marks a
 * node that begins a line of its template, so the current indentation goes
 * in front of it; text nodes also take it after each newline inside them.
 */
#ifndef SHOWCASE_TMPL_INTERNAL_H
#define SHOWCASE_TMPL_INTERNAL_H

#include "arena.h"
#include "tmpl.h"

#include <stddef.h>

enum tnode_kind {
	TN_TEXT,
	TN_VAR,      /* {{name}}: HTML-escaped */
	TN_RAW,      /* {{{name}}} or {{&name}} */
	TN_SECTION,  /* {{#name}}...{{/name}} */
	TN_INVERTED, /* {{^name}}...{{/name}} */
	TN_PARTIAL,  /* {{>name}} or {{>*name}} */
	TN_PARENT,   /* {{<name}}...{{/name}}: kids are the overriding blocks */
	TN_BLOCK,    /* {{$name}}...{{/name}}: kids are the default content */
};

enum tnode_flags {
	TN_BOL = 1,       /* first thing on its line: indentation goes before it */
	TN_BOL_END = 2,   /* closing tag began a line: indent after each pass */
	TN_DYNAMIC = 4,   /* the name is looked up in the data ({{>*name}}) */
	TN_LINE_SITE = 8, /* stands alone on its line: `indent` applies */
};

struct tspan {
	const char *p;
	size_t n;
};

/* A name pre-split at its dots; nparts == 0 is the implicit iterator "." */
struct tname {
	struct tspan text; /* as written, for messages and block matching */
	unsigned nparts;
	const struct tspan *parts;
};

struct tnode {
	unsigned char kind, flags;
	unsigned line, col;
	struct tspan text;   /* TN_TEXT; for an empty block alone on its line,
			      * the newline printed after a one-line expansion */
	struct tname name;   /* variables, sections, dynamic names, blocks */
	struct tspan indent; /* TN_LINE_SITE: indentation added to the content */
	struct tmpl *target; /* static partial or parent */
	struct tnode *kids;
	size_t nkids;
};

enum tmpl_state {
	TMPL_UNLOADED, /* named by a partial tag, not loaded yet */
	TMPL_SOURCE,   /* text given by tmpl_set_add, not compiled yet */
	TMPL_OK,
	TMPL_FAILED,   /* compile errors, reported */
	TMPL_MISSING,  /* the loader does not have it */
};

struct tmpl {
	struct tmpl_set *set;
	const char *name;
	size_t name_len;
	const char *path; /* for diagnostics */
	const char *src;
	size_t src_len;
	enum tmpl_state state;
	int unreadable;   /* the loader failed (state TMPL_MISSING) */
	int queued;       /* on a compile work list (each template compiles once) */
	int usable;       /* OK, and so is everything it includes statically */
	unsigned mark;    /* closure walks */
	struct tnode *kids;
	size_t nkids;
	struct tmpl **refs; /* templates named statically, for closure walks */
	size_t nrefs;
};

struct tmpl_set {
	struct arena arena;
	struct tmpl_loader loader;
	int has_loader;
	int lenient;
	struct diag *d;
	struct tmpl **slots; /* open addressing by name */
	size_t cap, len;
	unsigned gen;        /* closure walks */
};

#define BAD_NAME_HINT "template names are relative paths of letters, " \
	"digits, '_', '-', '.' and '/', without '..'"

/* The template called `name` in the set, whatever its state, or NULL. */
struct tmpl *tmpl_set_find_(const struct tmpl_set *s, const char *name,
			    size_t len);

/*
 * Parse t->src into t->kids (nodes in the set's arena), reporting every
 * problem to the set's diagnostics at t->path. Stores in *refs (malloc'd,
 * caller frees) the static partial and parent nodes with valid names, whose
 * `target` the caller fills in. Returns the number of errors reported.
 */
size_t tmpl_parse_(struct tmpl_set *s, struct tmpl *t, struct tnode ***refs,
		   size_t *nrefs);

/* One mark of a source map (tmpl.h): the output from `offset` on comes
 * from `node` of `owner`, until the next mark (tmpl_srcmap.c). */
struct tmpl_srcmark {
	size_t offset;            /* in the output buffer */
	const struct tmpl *owner;
	const struct tnode *node; /* text, variable or raw variable */
};

#endif
