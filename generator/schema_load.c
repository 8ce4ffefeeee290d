/*
 * schema_load: build the schema of the collections from the theme's schema
 * file and the site's `collections` overrides, and check it.
 *
 * Loading runs in two steps so that overrides are simple and every problem
 * still points at the YAML node that caused it. First both files are merged
 * into drafts that keep the raw definitions and which file each came from
 * (a field given by the site replaces the theme's node; settings override
 * one by one). Then each draft is compiled into the immutable structures of
 * schema.h, checking types, constraints and cross references (`to`,
 * `after`, `sort`, the permalink's placeholders) against the merged result.
 * A problem is a system error in the theme and a content error in the site.
 *
 * Field definitions are compiled by schema_field.c; the record-level half
 * of the module (validation, references, ordering) is in schema_check.c.
 */
#include "schema_internal.h"

#include "alloc.h"
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "value.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct draft_setting {
	const struct value *v; /* NULL when not given */
	const struct schema_origin *o;
};

struct schema_draft_collection {
	const char *name;
	const struct schema_origin *o; /* of the first definition */
	unsigned line, col;
	struct draft_setting label, label_en, folder, permalink, sort, order;
	struct schema_draft *fields;
	size_t nfields, cap;
};

/* The implicit fields of every collection. */
static const struct schema_field implicit_fields[] = {
    {.name = "slug",
     .label = "标识",
     .label_en = "Slug",
     .type = SCHEMA_STRING},
    {.name = "draft",
     .label = "草稿",
     .label_en = "Draft",
     .type = SCHEMA_BOOLEAN},
};

void schema_report(struct schema_loader *L, const struct schema_origin *o,
		   unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;
	if (L->errors++ >= SCHEMA_MAX_REPORTS) {
		L->last_unreported = o;
		return;
	}
	va_start(ap, fmt);
	diag_vreport(L->d, DIAG_ERROR, o->system ? DIAG_SYSTEM : DIAG_CONTENT,
		     o->path, line, col, fmt, ap);
	va_end(ap);
}

static int str_is(const struct value *v, const char *s)
{
	return v->u.str.len == strlen(s) &&
	       !memcmp(v->u.str.ptr, s, v->u.str.len);
}

/* Null, or a plain scalar that YAML reads as null. */
int schema_is_null(const struct value *v)
{
	if (!v || v->kind == VALUE_NULL)
		return 1;
	if (v->kind != VALUE_STRING || !(v->flags & VALUE_PLAIN))
		return 0;
	return !v->u.str.len || str_is(v, "~") || str_is(v, "null") ||
	       str_is(v, "Null") || str_is(v, "NULL");
}

/* The text of a scalar (string, integer or boolean), or NULL for null, a
 * list or a map; the input may or may not have been typed already. */
const char *schema_text(struct schema_loader *L, const struct value *v)
{
	if (schema_is_null(v))
		return NULL;
	switch (v->kind) {
	case VALUE_STRING:
		return v->u.str.ptr;
	case VALUE_INT:
		return arena_printf(&L->tmp, "%lld", v->u.integer);
	case VALUE_BOOL:
		return v->u.boolean ? "true" : "false";
	default:
		return NULL;
	}
}

int schema_parse_int(const char *s, long long *out)
{
	const char *p = s;
	char *end;
	if (*p == '-' || *p == '+')
		p++;
	if (!*p)
		return -1;
	for (const char *q = p; *q; q++)
		if (*q < '0' || *q > '9')
			return -1;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return errno || *end ? -1 : 0;
}

/* Names of collections and fields become file names, URLs and template
 * keys, so keep them to a safe alphabet. */
int schema_valid_name(const char *s, size_t len, int lower_only)
{
	if (!len)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '_' || c == '-')
			continue;
		if (!lower_only && c >= 'A' && c <= 'Z')
			continue;
		return 0;
	}
	return 1;
}

int schema_collection_declared(const struct schema_loader *L, const char *name)
{
	for (size_t i = 0; i < L->ncols; i++)
		if (!strcmp(L->cols[i].name, name))
			return 1;
	return 0;
}

/* ---- merging into drafts ---- */

static struct schema_draft_collection *draft_get(struct schema_loader *L,
						 const struct value_member *m,
						 const struct schema_origin *o)
{
	for (size_t i = 0; i < L->ncols; i++)
		if (!strcmp(L->cols[i].name, m->key))
			return &L->cols[i];
	if (L->ncols == L->cap) {
		size_t cap = L->cap ? L->cap * 2 : 8;
		L->cols = arena_grow_array(&L->tmp, L->cols, L->ncols, cap,
					   sizeof(*L->cols));
		L->cap = cap;
	}
	struct schema_draft_collection *dc = &L->cols[L->ncols++];
	memset(dc, 0, sizeof(*dc));
	dc->name = m->key;
	dc->o = o;
	dc->line = m->line;
	dc->col = m->col;
	return dc;
}

static void draft_add_field(struct schema_loader *L,
			    struct schema_draft_collection *dc,
			    const struct value_member *m,
			    const struct schema_origin *o)
{
	struct schema_draft *df = NULL;
	for (size_t i = 0; i < dc->nfields; i++)
		if (!strcmp(dc->fields[i].name, m->key))
			df = &dc->fields[i];
	if (!df) {
		if (dc->nfields == dc->cap) {
			size_t cap = dc->cap ? dc->cap * 2 : 16;
			dc->fields =
			    arena_grow_array(&L->tmp, dc->fields, dc->nfields,
					     cap, sizeof(*dc->fields));
			dc->cap = cap;
		}
		df = &dc->fields[dc->nfields++];
		df->name = m->key;
	}
	/* Replaced whole, in place: the field keeps its position. */
	df->def = m->val;
	df->o = o;
	df->line = m->line;
	df->col = m->col;
}

static void draft_fields(struct schema_loader *L,
			 struct schema_draft_collection *dc,
			 const struct value *fields,
			 const struct schema_origin *o)
{
	if (schema_is_null(fields))
		return;
	if (fields->kind != VALUE_MAP) {
		schema_report(
		    L, o, fields->line, fields->col,
		    "'fields' of collection '%s' must be a map of field "
		    "names to definitions",
		    dc->name);
		return;
	}
	for (size_t i = 0; i < fields->u.map.len; i++) {
		const struct value_member *m = &fields->u.map.members[i];
		if (!schema_check_field_name(L, o, m))
			continue;
		if (!strcmp(m->key, "slug") || !strcmp(m->key, "draft")) {
			schema_report(
			    L, o, m->line, m->col,
			    "field '%s' is implicit in every collection and "
			    "cannot be declared",
			    m->key);
			continue;
		}
		draft_add_field(L, dc, m, o);
	}
}

static void draft_settings(struct schema_loader *L,
			   struct schema_draft_collection *dc,
			   const struct value *def,
			   const struct schema_origin *o)
{
	if (schema_is_null(def))
		return;
	if (def->kind != VALUE_MAP) {
		schema_report(L, o, def->line, def->col,
			      "collection '%s' must be a map of settings",
			      dc->name);
		return;
	}
	for (size_t i = 0; i < def->u.map.len; i++) {
		const struct value_member *m = &def->u.map.members[i];
		struct draft_setting *s = NULL;
		if (!strcmp(m->key, "label"))
			s = &dc->label;
		else if (!strcmp(m->key, "label_en"))
			s = &dc->label_en;
		else if (!strcmp(m->key, "folder"))
			s = &dc->folder;
		else if (!strcmp(m->key, "permalink"))
			s = &dc->permalink;
		else if (!strcmp(m->key, "sort"))
			s = &dc->sort;
		else if (!strcmp(m->key, "order"))
			s = &dc->order;
		else if (!strcmp(m->key, "fields")) {
			draft_fields(L, dc, m->val, o);
			continue;
		} else {
			schema_report(
			    L, o, m->line, m->col,
			    "unknown setting '%s' in collection '%s' "
			    "(expected label, label_en, folder, permalink, "
			    "sort, order or fields)",
			    m->key, dc->name);
			continue;
		}
		s->v = m->val;
		s->o = o;
	}
}

static void draft_collections(struct schema_loader *L, const struct value *cols,
			      const struct schema_origin *o)
{
	if (schema_is_null(cols))
		return;
	if (cols->kind != VALUE_MAP) {
		schema_report(
		    L, o, cols->line, cols->col,
		    "'collections' must be a map of collection names to "
		    "settings");
		return;
	}
	for (size_t i = 0; i < cols->u.map.len; i++) {
		const struct value_member *m = &cols->u.map.members[i];
		if (!schema_valid_name(m->key, m->key_len, 1)) {
			schema_report(
			    L, o, m->line, m->col,
			    "collection name '%s' may only hold lowercase "
			    "letters, digits, '-' and '_'",
			    m->key);
			continue;
		}
		/* A collection's list pages go to NAME/ in the output, where
		 * render keeps folders of its own (render_outputs.c). */
		if (!strcmp(m->key, "media") || !strcmp(m->key, "static")) {
			schema_report(
			    L, o, m->line, m->col,
			    "collection name '%s' is taken: the website's "
			    "'%s/' folder holds %s; choose another name",
			    m->key, m->key, m->key[0] == 'm' ?
			    "the files that records link to" :
			    "the theme's static files");
			continue;
		}
		draft_settings(L, draft_get(L, m, o), m->val, o);
	}
}

/* ---- compiling collections ---- */

static const char *setting_text(struct schema_loader *L,
				const struct draft_setting *s, const char *key,
				const char *collection)
{
	const char *t;
	if (!s->v || schema_is_null(s->v))
		return NULL;
	t = schema_text(L, s->v);
	if (!t || !*t) {
		schema_report(
		    L, s->o, s->v->line, s->v->col,
		    "'%s' of collection '%s' must be a non-empty string", key,
		    collection);
		return NULL;
	}
	return t;
}

static const char *compile_folder(struct schema_loader *L,
				  const struct schema_draft_collection *dc)
{
	const char *t = setting_text(L, &dc->folder, "folder", dc->name);
	size_t len;
	if (!t)
		return arena_printf(L->a, "content/%s", dc->name);
	len = strlen(t);
	while (len > 1 && t[len - 1] == '/')
		len--;
	/* Every segment must be a real name, so that the folder is inside
	 * the repository and compares equal to the paths git lists. */
	int ok = t[0] != '/';
	for (const char *p = t; ok && p < t + len;) {
		const char *e = memchr(p, '/', (size_t)(t + len - p));
		size_t sl = e ? (size_t)(e - p) : (size_t)(t + len - p);
		if (!sl || (sl == 1 && p[0] == '.') ||
		    (sl == 2 && p[0] == '.' && p[1] == '.') ||
		    memchr(p, '\\', sl))
			ok = 0;
		p += sl + 1;
	}
	if (!ok) {
		schema_report(
		    L, dc->folder.o, dc->folder.v->line, dc->folder.v->col,
		    "folder '%s' of collection '%s' must be a path inside "
		    "the repository, such as content/%s",
		    t, dc->name, dc->name);
		return NULL;
	}
	return arena_strndup(L->a, t, len);
}

static const char *compile_permalink(struct schema_loader *L,
				     const struct schema_draft_collection *dc,
				     int *uses_year)
{
	const struct draft_setting *s = &dc->permalink;
	const char *t = setting_text(L, s, "permalink", dc->name);
	int has_slug = 0, ok = 1;

	*uses_year = 0;
	if (!t)
		return arena_strdup(L->a, "/{collection}/{slug}/");
	if (t[0] != '/') {
		schema_report(
		    L, s->o, s->v->line, s->v->col,
		    "permalink '%s' of collection '%s' must start with '/'", t,
		    dc->name);
		ok = 0;
	}
	for (const char *p = t; *p; p++) {
		const char *e;
		if (*p != '{')
			continue;
		e = strchr(p, '}');
		if (!e) {
			schema_report(
			    L, s->o, s->v->line, s->v->col,
			    "unclosed '{' in permalink '%s' of collection "
			    "'%s'",
			    t, dc->name);
			return NULL;
		}
		size_t n = (size_t)(e - p - 1);
		if (n == 4 && !memcmp(p + 1, "slug", 4))
			has_slug = 1;
		else if (n == 4 && !memcmp(p + 1, "year", 4))
			*uses_year = 1;
		else if (!(n == 10 && !memcmp(p + 1, "collection", 10))) {
			schema_report(
			    L, s->o, s->v->line, s->v->col,
			    "unknown placeholder '{%.*s}' in permalink of "
			    "collection '%s' (expected {slug}, {year} or "
			    "{collection})",
			    (int)n, p + 1, dc->name);
			ok = 0;
		}
		p = e;
	}
	if (!has_slug) {
		/* Without the slug every record would get the same URL. */
		schema_report(
		    L, s->o, s->v->line, s->v->col,
		    "permalink '%s' of collection '%s' must contain {slug}", t,
		    dc->name);
		ok = 0;
	}
	return ok ? arena_strdup(L->a, t) : NULL;
}

static const struct schema_field *top_field(const struct schema_collection *c,
					    const char *name)
{
	return schema_field_find(c, name);
}

static void compile_sort(struct schema_loader *L,
			 const struct schema_draft_collection *dc,
			 struct schema_collection *c)
{
	const struct draft_setting *s = &dc->sort;
	const char *t = setting_text(L, s, "sort", dc->name);
	struct schema_sort_key *keys;
	size_t n = 0, cap = 1;

	if (!t)
		return;
	for (const char *p = t; *p; p++)
		cap += *p == ',';
	keys = arena_calloc(L->a, cap, sizeof(*keys));
	for (const char *p = t;;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		int desc = 0;
		while (len && *p == ' ')
			p++, len--;
		while (len && p[len - 1] == ' ')
			len--;
		if (len && *p == '-')
			desc = 1, p++, len--;
		const char *name = arena_strndup(L->a, p, len);
		const struct schema_field *f = top_field(c, name);
		if (!len)
			schema_report(
			    L, s->o, s->v->line, s->v->col,
			    "empty key in sort '%s' of collection '%s'", t,
			    dc->name);
		else if (!f)
			schema_report(L, s->o, s->v->line, s->v->col,
				      "cannot sort '%s' by unknown field '%s'",
				      dc->name, name);
		else if (f->type == SCHEMA_LIST || f->type == SCHEMA_OBJECT)
			schema_report(L, s->o, s->v->line, s->v->col,
				      "cannot sort '%s' by '%s', a %s field",
				      dc->name, name,
				      schema_type_name(f->type));
		else {
			keys[n].field = name;
			keys[n].descending = desc;
			keys[n].def = f;
			n++;
		}
		if (!e)
			break;
		p = e + 1;
	}
	c->sort = keys;
	c->nsort = n;
}

static void compile_collection(struct schema_loader *L,
			       const struct schema_draft_collection *dc,
			       struct schema_collection *c)
{
	const char *t;
	int uses_year;

	c->name = arena_strdup(L->a, dc->name);
	t = setting_text(L, &dc->label, "label", dc->name);
	c->label = t ? arena_strdup(L->a, t) : c->name;
	t = setting_text(L, &dc->label_en, "label_en", dc->name);
	c->label_en = t ? arena_strdup(L->a, t) : NULL;
	c->folder = compile_folder(L, dc);
	c->permalink = compile_permalink(L, dc, &uses_year);
	schema_compile_fields(L, dc->fields, dc->nfields, 0, "", &c->fields,
			      &c->nfields);
	compile_sort(L, dc, c);
	c->order = SCHEMA_DEFAULT_ORDER;
	if (dc->order.v && !schema_is_null(dc->order.v)) {
		const struct value *v = dc->order.v;
		char *end;
		long long n = v->kind == VALUE_INT ? v->u.integer
			      : v->kind == VALUE_STRING ? strtoll(v->u.str.ptr, &end, 10)
			      : -1;
		if (v->kind == VALUE_STRING && (*end || !v->u.str.len))
			n = -1;
		if (n < 0 || n > 1000000)
			schema_report(L, dc->order.o, v->line, v->col,
				      "'order' of collection '%s' must be an "
				      "integer from 0 to 1000000", dc->name);
		else
			c->order = (int)n;
	}
	if (uses_year) {
		const struct schema_field *y = schema_field_find(c, "year");
		const struct schema_field *dt = schema_field_find(c, "date");
		if (!(y && y->type == SCHEMA_INTEGER) &&
		    !(dt && dt->type == SCHEMA_DATE))
			schema_report(
			    L, dc->permalink.o, dc->permalink.v->line,
			    dc->permalink.v->col,
			    "permalink of collection '%s' uses {year} but "
			    "the collection has no integer 'year' or date "
			    "'date' field",
			    dc->name);
	}
}

static int compare_collections(const void *pa, const void *pb)
{
	const struct schema_collection *a = pa, *b = pb;
	return strcmp(a->name, b->name);
}

static void check_folders(struct schema_loader *L, struct schema_collection *cs,
			  size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			if (!cs[i].folder || !cs[j].folder ||
			    strcmp(cs[i].folder, cs[j].folder))
				continue;
			/* Point at the later collection's folder setting. */
			const struct schema_draft_collection *dc = &L->cols[j];
			const struct draft_setting *s = &dc->folder;
			if (s->v)
				schema_report(
				    L, s->o, s->v->line, s->v->col,
				    "collections '%s' and '%s' share the "
				    "folder '%s'",
				    cs[i].name, cs[j].name, cs[j].folder);
			else
				schema_report(
				    L, dc->o, dc->line, dc->col,
				    "collections '%s' and '%s' share the "
				    "folder '%s'",
				    cs[i].name, cs[j].name, cs[j].folder);
		}
}

int schema_load(struct arena *a, const struct value *theme_schema,
		const char *theme_path, const struct value *site_collections,
		const char *site_path, struct schema **out, struct diag *d)
{
	struct schema_origin theme = {theme_path, 1}, site = {site_path, 0};
	struct schema_loader L;
	struct schema_collection *cs = NULL;
	struct schema *s;
	int ret = -1;

	memset(&L, 0, sizeof(L));
	L.a = a;
	L.d = d;
	arena_init(&L.tmp);
	*out = NULL;

	if (!theme_schema || theme_schema->kind != VALUE_MAP) {
		schema_report(
		    &L, &theme, theme_schema ? theme_schema->line : 0,
		    theme_schema ? theme_schema->col : 0,
		    "the schema must be a map with a 'collections' map");
		goto cleanup;
	}
	for (size_t i = 0; i < theme_schema->u.map.len; i++) {
		const struct value_member *m = &theme_schema->u.map.members[i];
		if (!strcmp(m->key, "collections"))
			draft_collections(&L, m->val, &theme);
		else
			schema_report(
			    &L, &theme, m->line, m->col,
			    "unknown key '%s' in the schema (expected "
			    "'collections')",
			    m->key);
	}
	draft_collections(&L, site_collections, &site);

	cs = arena_calloc(a, L.ncols ? L.ncols : 1, sizeof(*cs));
	for (size_t i = 0; i < L.ncols; i++)
		compile_collection(&L, &L.cols[i], &cs[i]);
	check_folders(&L, cs, L.ncols);
	if (L.errors > SCHEMA_MAX_REPORTS)
		diag_report(d, DIAG_ERROR,
			    L.last_unreported->system ? DIAG_SYSTEM : DIAG_CONTENT,
			    L.last_unreported->path, 0, 0,
			    "%zu more errors in the schema are not shown (fix "
			    "those above first)", L.errors - SCHEMA_MAX_REPORTS);
	if (L.errors)
		goto cleanup;
	if (L.ncols)
		qsort(cs, L.ncols, sizeof(*cs), compare_collections);
	s = arena_calloc(a, 1, sizeof(*s));
	s->collections = cs;
	s->count = L.ncols;
	*out = s;
	ret = 0;

cleanup:
	arena_release(&L.tmp);
	return ret;
}

/* ---- lookups ---- */

const struct schema_collection *schema_find(const struct schema *s,
					    const char *name)
{
	size_t lo = 0, hi = s->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, s->collections[mid].name);
		if (!c)
			return &s->collections[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const struct schema_collection *schema_for_path(const struct schema *s,
						const char *repo_path)
{
	size_t len = strlen(repo_path);
	if (len < 3 || strcmp(repo_path + len - 3, ".md"))
		return NULL;
	for (size_t i = 0; i < s->count; i++) {
		const struct schema_collection *c = &s->collections[i];
		size_t fl = strlen(c->folder);
		if (len > fl + 1 && !memcmp(repo_path, c->folder, fl) &&
		    repo_path[fl] == '/' && !strchr(repo_path + fl + 1, '/'))
			return c;
	}
	return NULL;
}

const struct schema_field *schema_field_find(const struct schema_collection *c,
					     const char *name)
{
	for (size_t i = 0; i < c->nfields; i++)
		if (c->fields[i].name && !strcmp(c->fields[i].name, name))
			return &c->fields[i];
	for (size_t i = 0; i < 2; i++)
		if (!strcmp(implicit_fields[i].name, name))
			return &implicit_fields[i];
	return NULL;
}
