/*
 * tmpl_render: the template set and the renderer of the template engine
 * (see tmpl.h). The set holds templates by name, loads them, has
 * tmpl_compile.c parse each one once and points partial and parent tags at
 * their templates; rendering is a walk over those trees with an explicit
 * context stack, and finds dynamic names in the same table.
 *
 * The walk never writes to a tree or to the set, so any number of threads
 * may render at once. Its whole state (the context stack, the indentation
 * in force, the parents whose blocks override, the overrides being
 * expanded) lives in one struct on the caller's stack, every array bounded
 * by the limits in tmpl.h. So rendering allocates nothing but output
 * buffer growth, and a template that includes itself forever ends in a
 * diagnostic rather than a stack overflow.
 *
 * The work of one render is bounded too (TMPL_MAX_RENDER_STEPS and
 * TMPL_MAX_RENDER_TEXT): nested sections over lists multiply, and so do
 * partials that include themselves more than once, so a small template can
 * ask for more passes than any machine will finish. Steps are counted
 * where the time goes (each node, each context searched by a lookup) and
 * template text where the bytes come from (text nodes, indentation).
 *
 * Indentation follows the specification's model, in which the whitespace
 * in front of a standalone partial is added to each line of the partial's
 * text (not to the lines of interpolated data): the compiler marks the
 * nodes that begin a line (TN_BOL), and text nodes take the indentation
 * after each newline inside them. A block expanded at the start of a line
 * indents its first output lazily (`pending`), since the first line of an
 * override may come from another template.
 */
#include "tmpl_internal.h"

#include "alloc.h"
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "value.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- rendering ---- */

struct override_frame {
	const struct tnode *parent; /* its kids are the overriding blocks */
	const struct tmpl *owner;   /* the template that holds them */
};

struct render {
	struct buf *out;
	struct tmpl_srcmap *map;  /* NULL unless tmpl_render_map() */
	struct diag *d;
	int failed;
	int pending;     /* indentation owed before the next output */
	unsigned depth;  /* partials and parents being expanded */
	unsigned nest;   /* sections, blocks, partials: recursion depth */
	size_t steps;    /* against TMPL_MAX_RENDER_STEPS */
	size_t text;     /* template text written, against TMPL_MAX_RENDER_TEXT */
	const struct tmpl *at_owner; /* the node being rendered, for messages */
	const struct tnode *at;
	size_t nctx, nind, ind_base, nframes, nactive;
	const struct value *ctx[TMPL_MAX_RENDER_NEST + 1];
	struct tspan ind[TMPL_MAX_RENDER_NEST + 1];
	struct override_frame frames[TMPL_MAX_DEPTH + 1];
	const struct tnode *active[TMPL_MAX_RENDER_NEST + 1];
};

static void render_nodes(struct render *r, const struct tmpl *owner,
			 const struct tnode *kids, size_t n);

/* `steps`: 1 for the step limit, 0 for the text limit. */
static void too_much(struct render *r, int steps)
{
	char what[64];
	if (r->failed)
		return;
	if (steps)
		snprintf(what, sizeof(what), "%zu steps",
			 (size_t)TMPL_MAX_RENDER_STEPS);
	else
		snprintf(what, sizeof(what), "%zu MB of template text",
			 (size_t)TMPL_MAX_RENDER_TEXT >> 20);
	diag_fail(r->d, r->at_owner->path, r->at->line, r->at->col,
		  "template '%s' takes more than %s to render (sections over "
		  "lists nested too deep, or partials included too often?)",
		  r->at_owner->name, what);
	r->failed = 1;
}

/* Count `n` bytes of template text: 0 if they may be written, else -1
 * (reported; the render fails). */
static int spend_text(struct render *r, size_t n)
{
	if (r->failed)
		return -1;
	if (n > TMPL_MAX_RENDER_TEXT - r->text) {
		too_much(r, 0);
		return -1;
	}
	r->text += n;
	return 0;
}

static void put_indent(struct render *r)
{
	for (size_t i = r->ind_base; i < r->nind; i++) {
		if (spend_text(r, r->ind[i].n) < 0)
			return;
		buf_add(r->out, r->ind[i].p, r->ind[i].n);
	}
}

static void flush_pending(struct render *r)
{
	if (r->pending) {
		r->pending = 0;
		put_indent(r);
	}
}

static void put_text(struct render *r, const char *p, size_t n)
{
	const char *end = p + n, *nl;

	if (r->nind == r->ind_base) {
		r->pending = 0;
		if (spend_text(r, n) == 0)
			buf_add(r->out, p, n);
		return;
	}
	flush_pending(r);
	while ((nl = memchr(p, '\n', (size_t)(end - p))) && nl + 1 < end) {
		if (spend_text(r, (size_t)(nl + 1 - p)) < 0)
			return;
		buf_add(r->out, p, (size_t)(nl + 1 - p));
		put_indent(r);
		p = nl + 1;
	}
	if (spend_text(r, (size_t)(end - p)) == 0)
		buf_add(r->out, p, (size_t)(end - p));
}

static void put_value(struct render *r, const struct value *v, int escape)
{
	char num[24], *p = num + sizeof(num);
	const char *s;
	size_t n;

	if (!v)
		return;
	switch (v->kind) {
	case VALUE_STRING:
		s = v->u.str.ptr;
		n = v->u.str.len;
		break;
	case VALUE_INT: {
		long long i = v->u.integer;
		unsigned long long m = i < 0 ? 0ULL - (unsigned long long)i :
				       (unsigned long long)i;
		do {
			*--p = (char)('0' + m % 10);
			m /= 10;
		} while (m);
		if (i < 0)
			*--p = '-';
		s = p;
		n = (size_t)(num + sizeof(num) - p);
		break;
	}
	case VALUE_BOOL:
		s = v->u.boolean ? "true" : "false";
		n = v->u.boolean ? 4 : 5;
		break;
	default: /* null, lists and maps print nothing */
		return;
	}
	if (!n)
		return;
	flush_pending(r);
	if (escape)
		buf_add_html_escaped(r->out, s, n);
	else
		buf_add(r->out, s, n);
}

/* The first part of a name is looked up from the innermost context out;
 * the others only inside what the previous part found. */
static const struct value *lookup(struct render *r, const struct tname *name)
{
	const struct value *v = NULL;

	if (!name->nparts)
		return r->ctx[r->nctx - 1];
	for (size_t i = r->nctx; i-- > 0;) {
		const struct value *c = r->ctx[i];
		r->steps++;
		if (c->kind == VALUE_MAP &&
		    (v = value_map_getn(c, name->parts[0].p, name->parts[0].n)))
			break;
	}
	for (unsigned k = 1; v && k < name->nparts; k++)
		v = value_map_getn(v, name->parts[k].p, name->parts[k].n);
	return v;
}

static int enter(struct render *r, const struct tmpl *owner,
		 const struct tnode *k)
{
	if (r->nest == TMPL_MAX_RENDER_NEST) {
		diag_fail(r->d, owner->path, k->line, k->col,
			  "template '%s' nests sections and partials deeper "
			  "than %d levels", owner->name, TMPL_MAX_RENDER_NEST);
		r->failed = 1;
		return -1;
	}
	r->nest++;
	return 0;
}

/* After a pass over content whose closing tag began a line. */
static void end_pass(struct render *r, const struct tnode *k)
{
	if ((k->flags & TN_BOL_END) && r->nind > r->ind_base)
		put_indent(r);
}

static void section(struct render *r, const struct tmpl *owner,
		    const struct tnode *k)
{
	const struct value *v = lookup(r, &k->name);
	int truthy = value_truthy(v) != 0;

	if ((k->kind == TN_SECTION) != truthy || enter(r, owner, k) < 0)
		return;
	if (k->kind == TN_INVERTED) {
		render_nodes(r, owner, k->kids, k->nkids);
		end_pass(r, k);
	} else if (v->kind == VALUE_LIST) {
		for (size_t i = 0; i < v->u.list.len && !r->failed; i++) {
			r->ctx[r->nctx++] = v->u.list.items[i];
			render_nodes(r, owner, k->kids, k->nkids);
			r->nctx--;
			end_pass(r, k);
		}
	} else {
		r->ctx[r->nctx++] = v;
		render_nodes(r, owner, k->kids, k->nkids);
		r->nctx--;
		end_pass(r, k);
	}
	r->nest--;
}

static const struct tmpl *dynamic_target(struct render *r,
					 const struct tmpl *owner,
					 const struct tnode *k)
{
	const struct value *v = lookup(r, &k->name);
	const struct tmpl *t;

	if (!v || v->kind != VALUE_STRING)
		return NULL;
	t = tmpl_set_find_(owner->set, v->u.str.ptr, v->u.str.len);
	return t && t->usable ? t : NULL;
}

static void include(struct render *r, const struct tmpl *owner,
		    const struct tnode *k)
{
	const struct tmpl *t = k->flags & TN_DYNAMIC ?
		dynamic_target(r, owner, k) : k->target;
	size_t nind = r->nind, base = r->ind_base;

	if (!t || t->state != TMPL_OK)
		return; /* lenient mode, or a dynamic name not found */
	if (r->depth == TMPL_MAX_DEPTH) {
		diag_fail(r->d, owner->path, k->line, k->col,
			  "template '%s' nests partials deeper than %d levels "
			  "(does it include itself without end?)", owner->name,
			  TMPL_MAX_DEPTH);
		r->failed = 1;
		return;
	}
	if (enter(r, owner, k) < 0)
		return;
	if (k->flags & TN_LINE_SITE) {
		if (k->indent.n)
			r->ind[r->nind++] = k->indent;
	} else {
		/* Inline: the partial's lines are not indented. */
		flush_pending(r);
		r->ind_base = r->nind;
	}
	if (k->kind == TN_PARENT)
		r->frames[r->nframes++] = (struct override_frame){ k, owner };
	r->depth++;
	render_nodes(r, t, t->kids, t->nkids);
	r->depth--;
	if (k->kind == TN_PARENT)
		r->nframes--;
	r->nind = nind;
	r->ind_base = base;
	r->nest--;
}

static int is_active(struct render *r, const struct tnode *o)
{
	r->steps += r->nactive;
	for (size_t i = 0; i < r->nactive; i++)
		if (r->active[i] == o)
			return 1;
	return 0;
}

/* The outermost override wins: the page overrides its layout, which
 * overrides the layout it extends. An override is not applied inside
 * itself, so a block that repeats its own name shows its default. */
static void block(struct render *r, const struct tmpl *owner,
		  const struct tnode *k)
{
	const struct tnode *content = k;
	const struct tmpl *content_owner = owner;
	size_t nind = r->nind, nactive = r->nactive, start = r->out->len;
	int pending = r->pending;

	for (size_t f = 0; f < r->nframes && content == k; f++) {
		const struct tnode *p = r->frames[f].parent;
		/* Parents may give hundreds of blocks, each searched here:
		 * that is work like any other. */
		r->steps += p->nkids;
		for (size_t b = 0; b < p->nkids; b++) {
			const struct tnode *o = &p->kids[b];
			if (o->name.text.n == k->name.text.n &&
			    !memcmp(o->name.text.p, k->name.text.p,
				    k->name.text.n) && !is_active(r, o)) {
				content = o;
				content_owner = r->frames[f].owner;
				break;
			}
		}
	}
	if (enter(r, owner, k) < 0)
		return;
	if (k->flags & TN_LINE_SITE) {
		if (k->indent.n)
			r->ind[r->nind++] = k->indent;
		r->pending = 1;
	}
	if (content != k)
		r->active[r->nactive++] = content;
	render_nodes(r, content_owner, content->kids, content->nkids);
	end_pass(r, content);
	if ((k->flags & TN_LINE_SITE) && r->pending)
		r->pending = pending; /* printed nothing: owe what we owed */
	r->nactive = nactive;
	r->nind = nind;
	r->nest--;
	if (k->text.n && r->out->len > start &&
	    r->out->ptr[r->out->len - 1] != '\n' && spend_text(r, k->text.n) == 0)
		buf_add(r->out, k->text.p, k->text.n);
}

/* Note that the output from here on comes from node `k` of `owner`. */
static void mark(struct render *r, const struct tmpl *owner,
		 const struct tnode *k)
{
	struct tmpl_srcmap *map = r->map;
	if (map->len == map->cap) {
		map->cap = map->cap ? map->cap * 2 : 256;
		map->v = xrealloc(map->v, st_mult(map->cap, sizeof(*map->v)));
	}
	map->v[map->len++] = (struct tmpl_srcmark){ r->out->len, owner, k };
}

static void render_nodes(struct render *r, const struct tmpl *owner,
			 const struct tnode *kids, size_t n)
{
	for (size_t i = 0; i < n && !r->failed; i++) {
		const struct tnode *k = &kids[i];
		r->at_owner = owner;
		r->at = k;
		if (++r->steps > TMPL_MAX_RENDER_STEPS) {
			too_much(r, 1);
			return;
		}
		if (k->flags & TN_BOL) {
			r->pending = 0;
			if (r->nind > r->ind_base)
				put_indent(r);
		}
		if (r->map && (k->kind == TN_TEXT || k->kind == TN_VAR ||
			       k->kind == TN_RAW))
			mark(r, owner, k);
		switch (k->kind) {
		case TN_TEXT:
			put_text(r, k->text.p, k->text.n);
			break;
		case TN_VAR:
			put_value(r, lookup(r, &k->name), 1);
			break;
		case TN_RAW:
			put_value(r, lookup(r, &k->name), 0);
			break;
		case TN_SECTION:
		case TN_INVERTED:
			section(r, owner, k);
			break;
		case TN_PARTIAL:
		case TN_PARENT:
			include(r, owner, k);
			break;
		case TN_BLOCK:
			block(r, owner, k);
			break;
		}
	}
}

int tmpl_render(const struct tmpl *t, const struct value *data,
		struct buf *out, struct diag *d)
{
	return tmpl_render_map(t, data, out, NULL, d);
}

int tmpl_render_map(const struct tmpl *t, const struct value *data,
		    struct buf *out, struct tmpl_srcmap *map, struct diag *d)
{
	struct render r;

	if (!t->usable) {
		diag_fail(d, t->path, 0, 0, "template '%s' did not compile",
			  t->name);
		return -1;
	}
	/* Only the counters: the arrays are written before they are read. */
	r.out = out;
	r.map = map;
	r.d = d;
	r.failed = 0;
	r.pending = 0;
	r.depth = 0;
	r.nest = 0;
	r.steps = 0;
	r.text = 0;
	r.nctx = 1;
	r.ctx[0] = data ? data : &value_null_const;
	r.nind = 0;
	r.ind_base = 0;
	r.nframes = 0;
	r.nactive = 0;
	render_nodes(&r, t, t->kids, t->nkids);
	return r.failed ? -1 : 0;
}

/* ---- the set: templates by name ---- */

static size_t hash_name(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

struct tmpl *tmpl_set_find_(const struct tmpl_set *s, const char *name,
			    size_t len)
{
	if (!s->cap)
		return NULL;
	size_t mask = s->cap - 1;
	for (size_t i = hash_name(name, len) & mask; s->slots[i];
	     i = (i + 1) & mask) {
		struct tmpl *t = s->slots[i];
		if (t->name_len == len && !memcmp(t->name, name, len))
			return t;
	}
	return NULL;
}

static void insert_slot(struct tmpl **slots, size_t cap, struct tmpl *t)
{
	size_t i = hash_name(t->name, t->name_len) & (cap - 1);
	while (slots[i])
		i = (i + 1) & (cap - 1);
	slots[i] = t;
}

static struct tmpl *find_or_create(struct tmpl_set *s, const char *name,
				   size_t len)
{
	struct tmpl *t = tmpl_set_find_(s, name, len);
	if (t)
		return t;
	if (2 * (s->len + 1) > s->cap) {
		size_t cap = s->cap ? st_mult(s->cap, 2) : 32;
		struct tmpl **slots = xcalloc(cap, sizeof(*slots));
		for (size_t i = 0; i < s->cap; i++)
			if (s->slots[i])
				insert_slot(slots, cap, s->slots[i]);
		free(s->slots);
		s->slots = slots;
		s->cap = cap;
	}
	t = arena_calloc(&s->arena, 1, sizeof(*t));
	t->set = s;
	t->name = arena_strndup(&s->arena, name, len);
	t->name_len = len;
	t->path = t->name;
	t->state = TMPL_UNLOADED;
	insert_slot(s->slots, s->cap, t);
	s->len++;
	return t;
}

int tmpl_name_valid(const char *name, size_t len)
{
	if (!len || name[0] == '/')
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      c == '.' || c == '/'))
			return 0;
		if (c == '.' && i + 1 < len && name[i + 1] == '.')
			return 0;
	}
	return 1;
}

/* Static partials and parents named by the templates of one compile call,
 * checked once everything that call needs is loaded. */
struct link {
	struct tnode *node;
	struct tmpl *owner;
};

struct job {
	struct tmpl **queue;
	size_t nqueue, queuecap;
	struct link *links;
	size_t nlinks, linkcap;
};

static void enqueue(struct job *j, struct tmpl *t)
{
	if (t->queued || (t->state != TMPL_UNLOADED && t->state != TMPL_SOURCE))
		return;
	t->queued = 1;
	if (j->nqueue == j->queuecap) {
		j->queuecap = j->queuecap ? st_mult(j->queuecap, 2) : 16;
		j->queue = xrealloc(j->queue, st_mult(j->queuecap, sizeof(*j->queue)));
	}
	j->queue[j->nqueue++] = t;
}

/* Parse `t` and point its partial and parent tags at their templates,
 * queueing those not loaded yet. */
static void compile_one(struct tmpl_set *s, struct tmpl *t, struct job *j)
{
	struct tnode **refs;
	size_t nrefs, ntargets = 0;

	t->state = tmpl_parse_(s, t, &refs, &nrefs) ? TMPL_FAILED : TMPL_OK;
	if (nrefs)
		t->refs = arena_alloc(&s->arena, st_mult(nrefs, sizeof(*t->refs)));
	if (st_add(j->nlinks, nrefs) > j->linkcap) {
		j->linkcap = st_add(st_mult(j->linkcap, 2), nrefs);
		j->links = xrealloc(j->links, st_mult(j->linkcap, sizeof(*j->links)));
	}
	for (size_t i = 0; i < nrefs; i++) {
		struct tnode *n = refs[i];
		struct tmpl *target = find_or_create(s, n->name.text.p,
						     n->name.text.n);
		size_t k;
		n->target = target;
		enqueue(j, target);
		j->links[j->nlinks++] = (struct link){ n, t };
		for (k = 0; k < ntargets && t->refs[k] != target; k++)
			;
		if (k == ntargets)
			t->refs[ntargets++] = target;
	}
	t->nrefs = ntargets;
	free(refs);
}

static void load(struct tmpl_set *s, struct tmpl *t)
{
	struct buf text = BUF_INIT;
	char *shown = NULL;
	int ret;

	if (!s->has_loader) {
		t->state = TMPL_MISSING;
		return;
	}
	ret = s->loader.load(s->loader.ctx, t->name, &text, &shown);
	if (shown) {
		t->path = arena_strdup(&s->arena, shown);
		free(shown);
	}
	if (ret == 0) {
		t->src = arena_strndup(&s->arena, text.ptr, text.len);
		t->src_len = text.len;
		t->state = TMPL_SOURCE;
	} else {
		t->state = TMPL_MISSING;
		t->unreadable = ret < 0;
	}
	buf_release(&text);
}

/* Whether `t` and everything it includes statically compiled. */
static int closure_ok(struct tmpl_set *s, struct tmpl *t)
{
	size_t n = 0, cap = 8;
	struct tmpl **stack = xmalloc(cap * sizeof(*stack));
	int ok = 1;

	t->mark = ++s->gen;
	stack[n++] = t;
	while (n && ok) {
		struct tmpl *u = stack[--n];
		if (u->state == TMPL_FAILED ||
		    (u->state == TMPL_MISSING && (!s->lenient || u->unreadable))) {
			ok = 0;
			break;
		}
		for (size_t i = 0; i < u->nrefs; i++) {
			struct tmpl *r = u->refs[i];
			if (r->mark == s->gen)
				continue;
			r->mark = s->gen;
			if (n == cap) {
				cap = st_mult(cap, 2);
				stack = xrealloc(stack, st_mult(cap, sizeof(*stack)));
			}
			stack[n++] = r;
		}
	}
	free(stack);
	return ok;
}

static void report_link(struct tmpl_set *s, const struct link *l)
{
	const struct tmpl *tg = l->node->target;
	const char *what = l->node->kind == TN_PARENT ? "parent" : "partial";

	if (tg->state != TMPL_MISSING)
		return;
	if (tg->unreadable)
		diag_fail(s->d, l->owner->path, l->node->line, l->node->col,
			  "cannot read %s '%s'", what, tg->name);
	else if (!s->lenient)
		diag_fail(s->d, l->owner->path, l->node->line, l->node->col,
			  "unknown %s '%s'", what, tg->name);
}

/* ---- the API of the set ---- */

struct tmpl_set *tmpl_set_new(const struct tmpl_loader *loader,
			      struct diag *d)
{
	struct tmpl_set *s = xcalloc(1, sizeof(*s));
	arena_init(&s->arena);
	if (loader && loader->load) {
		s->loader = *loader;
		s->has_loader = 1;
	}
	s->d = d;
	return s;
}

void tmpl_set_lenient(struct tmpl_set *s, int on)
{
	s->lenient = on;
}

int tmpl_set_add(struct tmpl_set *s, const char *name, const char *text,
		 size_t len, const char *display_path)
{
	size_t nlen = strlen(name);
	struct tmpl *t;

	if (!tmpl_name_valid(name, nlen)) {
		diag_fail(s->d, display_path, 0, 0,
			  "invalid template name '%s' (%s)", name, BAD_NAME_HINT);
		return -1;
	}
	t = tmpl_set_find_(s, name, nlen);
	if (t) {
		diag_fail(s->d, display_path, 0, 0,
			  "template '%s' is already defined", name);
		return -1;
	}
	t = find_or_create(s, name, nlen);
	t->src = arena_strndup(&s->arena, text, len);
	t->src_len = len;
	if (display_path)
		t->path = arena_strdup(&s->arena, display_path);
	t->state = TMPL_SOURCE;
	return 0;
}

const struct tmpl *tmpl_set_compile(struct tmpl_set *s, const char *name)
{
	size_t len = strlen(name);
	struct job j = { 0 };
	struct tmpl *root;

	if (!tmpl_name_valid(name, len)) {
		diag_fail(s->d, NULL, 0, 0, "invalid template name '%s' (%s)",
			  name, BAD_NAME_HINT);
		return NULL;
	}
	root = find_or_create(s, name, len);
	enqueue(&j, root);
	for (size_t i = 0; i < j.nqueue; i++) {
		struct tmpl *t = j.queue[i];
		if (t->state == TMPL_UNLOADED)
			load(s, t);
		if (t->state == TMPL_SOURCE)
			compile_one(s, t, &j);
	}
	for (size_t i = 0; i < j.nlinks; i++)
		report_link(s, &j.links[i]);
	if (j.nqueue && j.queue[0] == root && root->state == TMPL_MISSING)
		diag_fail(s->d, NULL, 0, 0, root->unreadable ?
			  "cannot read template '%s'" : "unknown template '%s'",
			  root->name);
	for (size_t i = 0; i < j.nqueue; i++)
		j.queue[i]->usable = j.queue[i]->state == TMPL_OK &&
				     closure_ok(s, j.queue[i]);
	free(j.queue);
	free(j.links);
	return root->usable ? root : NULL;
}

const struct tmpl *tmpl_set_get(const struct tmpl_set *s, const char *name)
{
	const struct tmpl *t = tmpl_set_find_(s, name, strlen(name));
	return t && t->usable ? t : NULL;
}

const char *tmpl_name(const struct tmpl *t)
{
	return t->name;
}

const char *tmpl_path(const struct tmpl *t)
{
	return t->path;
}

void tmpl_set_free(struct tmpl_set *s)
{
	if (!s)
		return;
	arena_release(&s->arena);
	free(s->slots);
	free(s);
}
