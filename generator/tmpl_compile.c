/*
 * tmpl_compile: the parser of the template engine (see tmpl.h), which
 * turns one template's text into the tree tmpl_render.c walks (see
 * tmpl_internal.h). It is pure: text in, tree and diagnostics out; the set
 * (tmpl_render.c) loads templates by name and resolves the partials and
 * parents each tree names.
 *
 * A template compiles in three passes. The tokenizer cuts the text into
 * tags and text, one text token per line at most, following delimiter
 * changes. The line pass applies the specification's standalone rule: a
 * line holding nothing but whitespace and one tag that prints nothing
 * (section, inverted, close, comment, partial, delimiter, parent, block)
 * disappears with its newline, and the whitespace in front of a partial
 * becomes the partial's indentation. The tree builder matches sections,
 * splits dotted names once, and records where lines begin so the renderer
 * can indent. Every problem is reported with the line and column of the
 * tag, and the passes keep going so that one build shows them all.
 *
 * Inheritance adds rules the core spec leaves open, settled here as the
 * inheritance spec's tests and their author's notes (mustache/spec #130,
 * #131) describe them:
 *  - a line of only parent and block tags ({{<layout}}{{$body}}, or
 *    {{/body}}{{/layout}}) is standalone as a whole;
 *  - a block whose opening tag is standalone takes its indentation from
 *    the first line of its content ("intrinsic indentation"); that much
 *    whitespace is removed from every line of the content and the
 *    indentation of the place where a block is expanded is added back;
 *  - an empty block alone on a line ("  {{$b}}{{/b}}") is replaced by what
 *    it expands to, indented by the whitespace in front of it; the line's
 *    newline stays only if that expansion does not end a line itself (the
 *    spec's "Standalone block" test keeps it after "one\ntwo", and a
 *    layout's "  {{$body}}{{/body}}" should not add a blank line after a
 *    body that ends with one).
 */
#include "tmpl_internal.h"

#include "alloc.h"
#include "arena.h"
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum tok_kind {
	TK_TEXT,
	TK_VAR,
	TK_RAW,
	TK_SECTION,
	TK_INVERTED,
	TK_CLOSE,
	TK_PARTIAL,
	TK_PARENT,
	TK_BLOCK,
	TK_COMMENT,
	TK_DELIM,
};

struct tok {
	unsigned char kind;
	unsigned char dynamic;    /* a name after "*": {{>*x}}, {{<*x}} */
	unsigned char removed;    /* text dropped by the standalone rule */
	unsigned char standalone; /* tag on a standalone line */
	unsigned char pair_site;  /* "  {{$b}}{{/b}}" alone on its line */
	unsigned char closes;     /* TK_CLOSE: kind of tag it closes, if known */
	unsigned char in_parent;  /* TK_BLOCK directly inside a parent */
	size_t start, end;        /* bytes of the text, or of the whole tag */
	struct tspan name;        /* tag content, trimmed (and without '*') */
	struct tspan indent;      /* leading whitespace of a standalone line */
	struct tspan intrinsic;   /* standalone block: indentation of content */
	struct tspan trail;       /* pair_site: the rest of its line */
	unsigned line, col;
};

struct parse {
	struct tmpl_set *s;
	struct tmpl *t;
	const char *src;
	size_t len;
	struct tok *toks;
	size_t ntok, tokcap;
	size_t errors;
	size_t cur;         /* position cursor: offset, and its line/column */
	unsigned line, col;
};

struct frame {
	struct tok *open; /* NULL for the template itself */
	struct tnode node;
	struct tnode *kids;
	size_t nkids, kidcap;
	struct tspan strip; /* whitespace removed from each line (outdent) */
};

/* ---- diagnostics and positions ---- */

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void perr(struct parse *ps, unsigned line, unsigned col,
		 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(ps->s->d, DIAG_ERROR, DIAG_SYSTEM, ps->t->path, line, col,
		     fmt, ap);
	va_end(ap);
	ps->errors++;
}

/* Line and column (counting UTF-8 characters, as yamlv does) of `off`;
 * offsets are asked for in increasing order, so this is linear overall. */
static void position(struct parse *ps, size_t off, unsigned *line,
		     unsigned *col)
{
	if (off < ps->cur) {
		ps->cur = 0;
		ps->line = ps->col = 1;
	}
	for (; ps->cur < off; ps->cur++) {
		unsigned char c = (unsigned char)ps->src[ps->cur];
		if (c == '\n') {
			ps->line++;
			ps->col = 1;
		} else if ((c & 0xC0) != 0x80) {
			ps->col++;
		}
	}
	*line = ps->line;
	*col = ps->col;
}

/* ---- pass 1: tokens ---- */

static struct tok *new_tok(struct parse *ps, enum tok_kind kind)
{
	if (ps->ntok == ps->tokcap) {
		ps->tokcap = ps->tokcap ? st_mult(ps->tokcap, 2) : 64;
		ps->toks = xrealloc(ps->toks, st_mult(ps->tokcap, sizeof(*ps->toks)));
	}
	struct tok *k = &ps->toks[ps->ntok++];
	memset(k, 0, sizeof(*k));
	k->kind = (unsigned char)kind;
	return k;
}

static void add_text(struct parse *ps, size_t from, size_t to)
{
	while (from < to) {
		const char *nl = memchr(ps->src + from, '\n', to - from);
		size_t end = nl ? (size_t)(nl - ps->src) + 1 : to;
		struct tok *k = new_tok(ps, TK_TEXT);
		k->start = from;
		k->end = end;
		from = end;
	}
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static struct tspan trim(const char *p, size_t n)
{
	while (n && is_space(*p)) {
		p++;
		n--;
	}
	while (n && is_space(p[n - 1]))
		n--;
	return (struct tspan){ p, n };
}

/* The closing delimiter from `from` on; with `before`, one that directly
 * follows that character (the '}' of {{{x}}}, the '=' of {{=a b=}}), and
 * then the result points at that character. */
static const char *find_close(const char *s, size_t from, size_t len,
			      struct tspan ctag, char before)
{
	size_t i = from;
	while (i < len) {
		const char *p = memmem(s + i, len - i, ctag.p, ctag.n);
		if (!p)
			return NULL;
		if (!before)
			return p;
		if ((size_t)(p - s) > from && p[-1] == before)
			return p - 1;
		i = (size_t)(p - s) + 1;
	}
	return NULL;
}

static void set_delimiters(struct parse *ps, struct tok *k, struct tspan *otag,
			   struct tspan *ctag)
{
	const char *p = k->name.p, *end = p + k->name.n;
	const char *a = p, *a_end, *b, *b_end;

	while (p < end && !is_space(*p))
		p++;
	a_end = p;
	while (p < end && is_space(*p))
		p++;
	b = p;
	while (p < end && !is_space(*p))
		p++;
	b_end = p;
	if (a_end == a || b_end == b || b_end != end ||
	    memchr(a, '=', (size_t)(a_end - a)) ||
	    memchr(b, '=', (size_t)(b_end - b))) {
		perr(ps, k->line, k->col,
		     "bad delimiter change '%.*s' (expected two delimiters "
		     "separated by a space, as in {{=<%% %%>=}})",
		     (int)k->name.n, k->name.p);
		return;
	}
	*otag = (struct tspan){ a, (size_t)(a_end - a) };
	*ctag = (struct tspan){ b, (size_t)(b_end - b) };
}

static enum tok_kind sigil_kind(char c)
{
	switch (c) {
	case '{': return TK_RAW;
	case '&': return TK_RAW;
	case '#': return TK_SECTION;
	case '^': return TK_INVERTED;
	case '/': return TK_CLOSE;
	case '>': return TK_PARTIAL;
	case '<': return TK_PARENT;
	case '$': return TK_BLOCK;
	case '!': return TK_COMMENT;
	case '=': return TK_DELIM;
	default: return TK_VAR;
	}
}

/* Check and store the name of a tag; returns -1 (reported) to drop it. */
static int tag_name(struct parse *ps, struct tok *k)
{
	if ((k->kind == TK_PARTIAL || k->kind == TK_PARENT ||
	     k->kind == TK_CLOSE) && k->name.n && k->name.p[0] == '*') {
		k->dynamic = 1;
		k->name = trim(k->name.p + 1, k->name.n - 1);
	}
	if (!k->name.n) {
		perr(ps, k->line, k->col, "empty tag name");
		return -1;
	}
	for (size_t i = 0; i < k->name.n; i++) {
		if (is_space(k->name.p[i])) {
			perr(ps, k->line, k->col,
			     "invalid tag name '%.*s' (names cannot contain "
			     "spaces)", (int)k->name.n, k->name.p);
			break;
		}
	}
	return 0;
}

/* Returns 0, or -1 after an unclosed tag (the rest cannot be parsed). */
static int tokenize(struct parse *ps)
{
	const char *s = ps->src;
	size_t len = ps->len, pos = 0;
	struct tspan otag = { "{{", 2 }, ctag = { "}}", 2 };

	while (pos < len) {
		const char *o = memmem(s + pos, len - pos, otag.p, otag.n);
		size_t start = o ? (size_t)(o - s) : len;
		add_text(ps, pos, start);
		if (!o)
			break;

		size_t body = start + otag.n;
		char sigil = body < len ? s[body] : '\0';
		enum tok_kind kind = sigil_kind(sigil);
		char before = '\0';
		if (kind != TK_VAR)
			body++;
		if (sigil == '{')
			before = '}';
		else if (kind == TK_DELIM)
			before = '=';

		unsigned line, col;
		position(ps, start, &line, &col);
		const char *close = body <= len ?
			find_close(s, body, len, ctag, before) : NULL;
		if (!close) {
			perr(ps, line, col, "unclosed tag '%.*s' (no '%.*s%.*s' "
			     "after it)", (int)otag.n, otag.p,
			     before ? 1 : 0, &before, (int)ctag.n, ctag.p);
			return -1;
		}
		size_t end = (size_t)(close - s) + (before ? 1 : 0) + ctag.n;

		struct tok *k = new_tok(ps, kind);
		k->start = start;
		k->end = end;
		k->line = line;
		k->col = col;
		k->name = trim(s + body, (size_t)(close - (s + body)));
		pos = end;

		if (kind == TK_DELIM)
			set_delimiters(ps, k, &otag, &ctag);
		else if (kind != TK_COMMENT && tag_name(ps, k) < 0)
			k->kind = TK_COMMENT; /* reported; keep its line rules */
	}
	return 0;
}

/* ---- pass 2: standalone lines ---- */

static int ends_line(const struct parse *ps, const struct tok *k)
{
	return k->kind == TK_TEXT && ps->src[k->end - 1] == '\n';
}

static int is_blank(const struct parse *ps, const struct tok *k)
{
	for (size_t i = k->start; i < k->end; i++)
		if (!is_space(ps->src[i]))
			return 0;
	return 1;
}

static int same_name(const struct tok *a, const struct tok *b)
{
	return a->dynamic == b->dynamic && a->name.n == b->name.n &&
	       !memcmp(a->name.p, b->name.p, a->name.n);
}

static int is_inheritance_tag(const struct tok *k)
{
	switch (k->kind) {
	case TK_PARENT:
	case TK_BLOCK:
	case TK_COMMENT:
		return 1;
	case TK_CLOSE:
		return k->closes == TK_PARENT || k->closes == TK_BLOCK;
	default:
		return 0;
	}
}

/* Leading whitespace of the line after token `k`, if that line has more
 * than whitespace; else `fallback`. */
static struct tspan next_line_indent(const struct parse *ps,
				     const struct tok *k, struct tspan fallback)
{
	size_t p = k->end, q;
	if (!ends_line(ps, k))
		return fallback;
	for (q = p; q < ps->len && (ps->src[q] == ' ' || ps->src[q] == '\t'); q++)
		;
	if (q >= ps->len || ps->src[q] == '\n' || ps->src[q] == '\r')
		return fallback;
	return (struct tspan){ ps->src + p, q - p };
}

/* Tokens a..b form one line. */
static void line_rule(struct parse *ps, size_t a, size_t b)
{
	size_t ntags = 0, first = 0;
	int inheritance = 1;

	for (size_t k = a; k <= b; k++) {
		const struct tok *t = &ps->toks[k];
		if (t->kind == TK_TEXT) {
			if (!is_blank(ps, t))
				return;
		} else if (t->kind == TK_VAR || t->kind == TK_RAW) {
			return;
		} else {
			if (!ntags++)
				first = k;
			inheritance &= is_inheritance_tag(t);
		}
	}
	if (!ntags)
		return;

	struct tok *ft = &ps->toks[first];
	struct tspan lead = { "", 0 };
	if (first > a)
		lead = (struct tspan){ ps->src + ps->toks[a].start,
				       ps->toks[a].end - ps->toks[a].start };

	if (ntags == 2 && ft->kind == TK_BLOCK && !ft->in_parent &&
	    ps->toks[first + 1].kind == TK_CLOSE &&
	    ps->toks[first + 1].closes == TK_BLOCK) {
		ft->pair_site = 1;
		ft->indent = lead;
		if (first > a)
			ps->toks[a].removed = 1;
		if (first + 2 <= b) {
			struct tok *w = &ps->toks[first + 2];
			ft->trail = (struct tspan){ ps->src + w->start,
						    w->end - w->start };
			w->removed = 1;
		}
		return;
	}
	if (ntags > 1 && !inheritance)
		return;

	ft->indent = lead;
	for (size_t k = a; k <= b; k++) {
		struct tok *t = &ps->toks[k];
		if (t->kind == TK_TEXT) {
			t->removed = 1;
			continue;
		}
		t->standalone = 1;
		if (t->kind == TK_BLOCK)
			t->intrinsic = next_line_indent(ps, &ps->toks[b], lead);
	}
}

static void standalone_lines(struct parse *ps)
{
	const struct tok *open[TMPL_MAX_NESTING + 1];
	size_t depth = 0, i = 0;

	while (i < ps->ntok) {
		size_t last = i;
		while (last + 1 < ps->ntok && !ends_line(ps, &ps->toks[last]))
			last++;
		for (size_t k = i; k <= last; k++) {
			struct tok *t = &ps->toks[k];
			switch (t->kind) {
			case TK_BLOCK:
				t->in_parent = depth &&
					       open[depth - 1]->kind == TK_PARENT;
				/* fall through */
			case TK_SECTION:
			case TK_INVERTED:
			case TK_PARENT:
				if (depth < TMPL_MAX_NESTING + 1)
					open[depth++] = t;
				break;
			case TK_CLOSE:
				if (depth && same_name(open[depth - 1], t))
					t->closes = open[--depth]->kind;
				break;
			default:
				break;
			}
		}
		line_rule(ps, i, last);
		i = last + 1;
	}
}

/* ---- pass 3: the tree ---- */

static int at_line_start(const struct parse *ps, size_t off)
{
	return off == 0 || ps->src[off - 1] == '\n';
}

/* Remove from `sp` the part of `strip` it begins with. A tag that is not
 * the first on its standalone line has no indentation of its own, and
 * then no pointer either: leave it as it is (NULL + 0 is undefined). */
static struct tspan outdent(struct tspan sp, struct tspan strip)
{
	size_t k = 0;
	while (k < sp.n && k < strip.n && sp.p[k] == strip.p[k])
		k++;
	if (!k)
		return sp;
	return (struct tspan){ sp.p + k, sp.n - k };
}

static struct tnode *push_kid(struct frame *f)
{
	if (f->nkids == f->kidcap) {
		f->kidcap = f->kidcap ? st_mult(f->kidcap, 2) : 8;
		f->kids = xrealloc(f->kids, st_mult(f->kidcap, sizeof(*f->kids)));
	}
	struct tnode *n = &f->kids[f->nkids++];
	memset(n, 0, sizeof(*n));
	return n;
}

static void split_name(struct parse *ps, const struct tok *k,
		       struct tname *out)
{
	struct tspan text = k->name;
	struct tspan *parts;
	size_t nparts = 1, i, from = 0;

	out->text = text;
	if (text.n == 1 && text.p[0] == '.') {
		out->nparts = 0;
		out->parts = NULL;
		return;
	}
	for (i = 0; i < text.n; i++)
		nparts += text.p[i] == '.';
	parts = arena_alloc(&ps->s->arena, st_mult(nparts, sizeof(*parts)));
	nparts = 0;
	for (i = 0; i <= text.n; i++) {
		if (i < text.n && text.p[i] != '.')
			continue;
		if (i == from) {
			perr(ps, k->line, k->col, "invalid name '%.*s' (empty "
			     "part between dots)", (int)text.n, text.p);
			break;
		}
		parts[nparts++] = (struct tspan){ text.p + from, i - from };
		from = i + 1;
	}
	out->nparts = (unsigned)nparts;
	out->parts = parts;
}

static const char *kind_word(unsigned char kind)
{
	switch (kind) {
	case TK_INVERTED: return "inverted section";
	case TK_PARENT: return "parent";
	case TK_BLOCK: return "block";
	default: return "section";
	}
}

/* Pop the innermost frame into a node of its parent frame. */
static void close_frame(struct parse *ps, struct frame *fr, size_t *depth,
			int bol_end)
{
	struct frame *f = &fr[*depth];
	struct tnode *n = push_kid(&fr[*depth - 1]);
	size_t nkids = 0;

	*n = f->node;
	if (bol_end)
		n->flags |= TN_BOL_END;
	for (size_t i = 0; i < f->nkids; i++) {
		/* A parent keeps only its blocks: other text is ignored. */
		if (n->kind == TN_PARENT && f->kids[i].kind != TN_BLOCK)
			continue;
		if (n->kind == TN_PARENT) {
			for (size_t j = 0; j < nkids; j++) {
				const struct tspan *a = &f->kids[j].name.text;
				const struct tspan *b = &f->kids[i].name.text;
				if (a->n == b->n && !memcmp(a->p, b->p, a->n)) {
					perr(ps, f->kids[i].line, f->kids[i].col,
					     "block '%.*s' is given twice in "
					     "parent '%.*s'", (int)b->n, b->p,
					     (int)n->name.text.n, n->name.text.p);
					break;
				}
			}
		}
		f->kids[nkids++] = f->kids[i];
	}
	if (nkids) {
		n->kids = arena_alloc(&ps->s->arena,
				      st_mult(nkids, sizeof(*n->kids)));
		memcpy(n->kids, f->kids, nkids * sizeof(*n->kids));
	}
	n->nkids = nkids;
	free(f->kids);
	memset(f, 0, sizeof(*f));
	(*depth)--;
}

static void add_text_node(struct frame *f, const char *p, size_t n, int bol)
{
	struct tnode *last = f->nkids ? &f->kids[f->nkids - 1] : NULL;
	if (last && last->kind == TN_TEXT && last->text.p + last->text.n == p) {
		last->text.n += n; /* contiguous in the source: one node */
		return;
	}
	struct tnode *t = push_kid(f);
	t->kind = TN_TEXT;
	t->flags = bol ? TN_BOL : 0;
	t->text = (struct tspan){ p, n };
}

static void close_tag(struct parse *ps, struct frame *fr, size_t *depth,
		      struct tok *t, int at_bol)
{
	if (!*depth) {
		perr(ps, t->line, t->col, "unexpected closing tag '%.*s' "
		     "(no section is open)", (int)t->name.n, t->name.p);
		return;
	}
	if (same_name(fr[*depth].open, t)) {
		close_frame(ps, fr, depth, at_bol && !t->standalone);
		return;
	}
	const struct tok *o = fr[*depth].open;
	perr(ps, t->line, t->col, "closing tag '%.*s' does not match the open "
	     "%s '%.*s' (line %u, column %u)", (int)t->name.n, t->name.p,
	     kind_word(o->kind), (int)o->name.n, o->name.p, o->line, o->col);
	/* Recover: if an outer section has this name, close up to it. */
	for (size_t j = *depth - 1; j >= 1; j--) {
		if (same_name(fr[j].open, t)) {
			while (*depth >= j)
				close_frame(ps, fr, depth, 0);
			return;
		}
	}
}

static void open_tag(struct parse *ps, struct frame *fr, size_t *depth,
		     struct tok *t, int *at_bol, int *suppress)
{
	static const unsigned char kinds[] = {
		[TK_SECTION] = TN_SECTION, [TK_INVERTED] = TN_INVERTED,
		[TK_PARENT] = TN_PARENT, [TK_BLOCK] = TN_BLOCK,
	};
	struct frame *up = &fr[*depth], *f;
	struct tnode *n;

	if (*depth == TMPL_MAX_NESTING) {
		perr(ps, t->line, t->col, "sections nest deeper than %d levels",
		     TMPL_MAX_NESTING);
		return;
	}
	f = &fr[++*depth];
	memset(f, 0, sizeof(*f));
	f->open = t;
	f->strip = up->strip;
	n = &f->node;
	n->kind = kinds[t->kind];
	n->line = t->line;
	n->col = t->col;
	if (t->dynamic)
		n->flags |= TN_DYNAMIC;
	if (t->kind == TK_PARENT && !t->dynamic)
		n->name.text = t->name;
	else if (t->kind == TK_BLOCK)
		n->name.text = t->name;
	else
		split_name(ps, t, &n->name);

	if (t->kind == TK_PARENT && !t->dynamic &&
	    !tmpl_name_valid(t->name.p, t->name.n))
		perr(ps, t->line, t->col, "invalid template name '%.*s' (%s)",
		     (int)t->name.n, t->name.p, BAD_NAME_HINT);

	if (t->standalone && t->kind == TK_PARENT) {
		n->flags |= TN_LINE_SITE;
		n->indent = outdent(t->indent, up->strip);
	} else if (t->standalone && t->kind == TK_BLOCK) {
		n->flags |= TN_LINE_SITE;
		n->indent = outdent(t->intrinsic, up->strip);
		f->strip = t->intrinsic;
	} else if (t->pair_site) {
		n->flags |= TN_LINE_SITE;
		n->indent = outdent(t->indent, up->strip);
		n->text = t->trail;
		*at_bol = 0;
	} else if (!t->standalone) {
		if (*at_bol && !*suppress)
			n->flags |= TN_BOL;
		*at_bol = 0;
	}
	/* The first line of a block that starts a line is indented where the
	 * block is expanded, not by its own line start. */
	*suppress = t->kind == TK_BLOCK && (n->flags & TN_LINE_SITE);
}

static void leaf_tag(struct parse *ps, struct frame *f, struct tok *t,
		     int *at_bol, int *suppress)
{
	struct tnode *n = push_kid(f);
	n->line = t->line;
	n->col = t->col;
	if (t->kind == TK_PARTIAL) {
		n->kind = TN_PARTIAL;
		if (t->dynamic) {
			n->flags |= TN_DYNAMIC;
			split_name(ps, t, &n->name);
		} else {
			n->name.text = t->name;
			if (!tmpl_name_valid(t->name.p, t->name.n))
				perr(ps, t->line, t->col, "invalid template name "
				     "'%.*s' (%s)", (int)t->name.n, t->name.p,
				     BAD_NAME_HINT);
		}
	} else {
		n->kind = t->kind == TK_VAR ? TN_VAR : TN_RAW;
		split_name(ps, t, &n->name);
	}
	if (t->standalone) {
		n->flags |= TN_LINE_SITE;
		n->indent = outdent(t->indent, f->strip);
	} else {
		if (*at_bol && !*suppress)
			n->flags |= TN_BOL;
		*at_bol = 0;
	}
	*suppress = 0;
}

static void build(struct parse *ps)
{
	struct frame *fr = xcalloc(TMPL_MAX_NESTING + 1, sizeof(*fr));
	size_t depth = 0;
	int at_bol = 1, suppress = 0, aborted = 0;

	for (size_t k = 0; k < ps->ntok; k++) {
		struct tok *t = &ps->toks[k];
		struct frame *f = &fr[depth];
		switch (t->kind) {
		case TK_TEXT: {
			struct tspan sp = { ps->src + t->start, t->end - t->start };
			if (t->removed) {
				if (ends_line(ps, t))
					at_bol = 1;
				break;
			}
			if (at_line_start(ps, t->start))
				sp = outdent(sp, f->strip);
			if (!sp.n)
				break;
			add_text_node(f, sp.p, sp.n, at_bol && !suppress);
			suppress = 0;
			at_bol = ends_line(ps, t);
			break;
		}
		case TK_VAR:
		case TK_RAW:
		case TK_PARTIAL:
			leaf_tag(ps, f, t, &at_bol, &suppress);
			break;
		case TK_SECTION:
		case TK_INVERTED:
		case TK_PARENT:
		case TK_BLOCK:
			open_tag(ps, fr, &depth, t, &at_bol, &suppress);
			if (depth == TMPL_MAX_NESTING && fr[depth].open != t) {
				aborted = 1; /* reported; the rest would mislead */
				goto cleanup;
			}
			break;
		case TK_CLOSE:
			close_tag(ps, fr, &depth, t, at_bol);
			if (!t->standalone)
				at_bol = 0;
			suppress = 0;
			break;
		default: /* comments and delimiter changes print nothing */
			break;
		}
	}
cleanup:
	while (depth) {
		const struct tok *o = fr[depth].open;
		if (!aborted)
			perr(ps, o->line, o->col, "unclosed %s '%.*s' (add a "
			     "closing tag '{{/%.*s}}')", kind_word(o->kind),
			     (int)o->name.n, o->name.p, (int)o->name.n,
			     o->name.p);
		close_frame(ps, fr, &depth, 0);
	}
	if (fr[0].nkids) {
		ps->t->kids = arena_alloc(&ps->s->arena,
					  st_mult(fr[0].nkids, sizeof(struct tnode)));
		memcpy(ps->t->kids, fr[0].kids, fr[0].nkids * sizeof(struct tnode));
	}
	ps->t->nkids = fr[0].nkids;
	free(fr[0].kids);
	free(fr);
}

/* ---- the entry point ---- */

/* Static partial and parent tags, which the set resolves. */
struct refs {
	struct tnode **v;
	size_t n, cap;
};

static void collect_refs(struct refs *r, struct tnode *kids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct tnode *k = &kids[i];
		if ((k->kind == TN_PARTIAL || k->kind == TN_PARENT) &&
		    !(k->flags & TN_DYNAMIC) &&
		    tmpl_name_valid(k->name.text.p, k->name.text.n)) {
			if (r->n == r->cap) {
				r->cap = r->cap ? st_mult(r->cap, 2) : 8;
				r->v = xrealloc(r->v, st_mult(r->cap, sizeof(*r->v)));
			}
			r->v[r->n++] = k;
		}
		collect_refs(r, k->kids, k->nkids);
	}
}

size_t tmpl_parse_(struct tmpl_set *s, struct tmpl *t, struct tnode ***refs,
		   size_t *nrefs)
{
	struct parse ps = { .s = s, .t = t, .src = t->src, .len = t->src_len,
			    .line = 1, .col = 1 };
	struct refs r = { NULL, 0, 0 };

	if (tokenize(&ps) == 0) {
		standalone_lines(&ps);
		build(&ps);
		collect_refs(&r, t->kids, t->nkids);
	}
	free(ps.toks);
	*refs = r.v;
	*nrefs = r.n;
	return ps.errors;
}
