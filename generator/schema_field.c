/*
 * schema_field: compile the definition of a field (a bare type name or a
 * map of settings) into a struct schema_field, checking it as it goes:
 * the type is known, every setting applies to that type and has the right
 * shape, enums have values, lists say what they hold, references name a
 * collection, objects have fields, and `after` names a sibling date.
 * Problems go to the file the definition came from (see schema_internal.h).
 */
#include "schema_internal.h"

#include "arena.h"
#include "diag.h"
#include "strmap.h"
#include "value.h"

#include <string.h>

int schema_check_field_name(struct schema_loader *L,
			    const struct schema_origin *o,
			    const struct value_member *m)
{
	if (schema_valid_name(m->key, m->key_len, 0))
		return 1;
	schema_report(L, o, m->line, m->col,
		      "field name '%s' may only hold letters, digits, '-' and '_'",
		      m->key);
	return 0;
}

static const char *const type_names[] = {
    [SCHEMA_STRING] = "string",	      [SCHEMA_INTEGER] = "integer",
    [SCHEMA_BOOLEAN] = "boolean",     [SCHEMA_DATE] = "date",
    [SCHEMA_ENUM] = "enum",	      [SCHEMA_LIST] = "list",
    [SCHEMA_REFERENCE] = "reference", [SCHEMA_IMAGE] = "image",
    [SCHEMA_OBJECT] = "object",
};
#define NTYPES (sizeof(type_names) / sizeof(type_names[0]))

const char *schema_type_name(enum schema_type type)
{
	return (size_t)type < NTYPES ? type_names[type] : "?";
}

int schema_spend(struct schema_loader *L, const struct schema_origin *o,
		 unsigned line, unsigned col)
{
	if (L->defs_spent)
		return -1;
	if (++L->ndefs <= SCHEMA_MAX_DEFINITIONS)
		return 0;
	/* Printed even past SCHEMA_MAX_REPORTS: it explains the others. */
	diag_report(L->d, DIAG_ERROR, o->system ? DIAG_SYSTEM : DIAG_CONTENT,
		    o->path, line, col,
		    "the schema defines more than %d fields and enum values "
		    "(check the aliases in its definitions)",
		    SCHEMA_MAX_DEFINITIONS);
	L->errors++;
	L->defs_spent = 1;
	return -1;
}

static const char *type_list_text(void)
{
	return "string, integer, boolean, date, enum, list, reference, image "
	       "or object";
}

/* The keys a field definition may have, in one place so that the
 * "unknown key" message and the parser agree. */
enum fkey {
	K_TYPE,
	K_REQUIRED,
	K_LABEL,
	K_LABEL_EN,
	K_VALUES,
	K_MIN,
	K_MIN_ITEMS,
	K_OF,
	K_TO,
	K_FIELDS,
	K_AFTER,
	K_TAXONOMY,
	K_COUNT
};
static const char *const fkey_names[K_COUNT] = {
    "type",	 "required", "label", "label_en", "values", "min",
    "min_items", "of",	     "to",    "fields",	  "after",
    "taxonomy",
};

static const char *text_setting(struct schema_loader *L,
				const struct schema_origin *o,
				const struct value_member *m,
				const char *display)
{
	const char *t = schema_text(L, m->val);
	if (!t) {
		schema_report(L, o, m->val->line, m->val->col,
			      "'%s' of field '%s' must be a string", m->key,
			      display);
		return NULL;
	}
	return t;
}

static void compile_values(struct schema_loader *L,
			   const struct schema_origin *o, const struct value *v,
			   const char *display, struct schema_field *f)
{
	if (v->kind != VALUE_LIST || !v->u.list.len) {
		schema_report(
		    L, o, v->line, v->col,
		    "'values' of field '%s' must be a list of the allowed "
		    "values",
		    display);
		return;
	}
	const char **vals = arena_calloc(L->a, v->u.list.len, sizeof(*vals));
	struct strmap seen = STRMAP_INIT; /* a hash: lists can be long */
	size_t n = 0;
	for (size_t i = 0; i < v->u.list.len; i++) {
		const struct value *it = v->u.list.items[i];
		if (schema_spend(L, o, it->line, it->col) < 0)
			break;
		const char *t = schema_text(L, it);
		if (!t || !*t) {
			schema_report(
			    L, o, it->line, it->col,
			    "'values' of field '%s' must hold non-empty "
			    "strings",
			    display);
			continue;
		}
		const char *copy = arena_strdup(L->a, t);
		if (strmap_put(&seen, copy, (void *)copy)) {
			schema_report(
			    L, o, it->line, it->col,
			    "duplicate value '%s' in 'values' of field '%s'", t,
			    display);
			continue;
		}
		vals[n++] = copy;
	}
	strmap_release(&seen);
	f->values = vals;
	f->nvalues = n;
}

/* The draft fields of an object's `fields` map. */
static int object_drafts(struct schema_loader *L, const struct schema_origin *o,
			 const struct value *v, const char *display,
			 struct schema_draft **out, size_t *nout)
{
	if (v->kind != VALUE_MAP || !v->u.map.len) {
		schema_report(
		    L, o, v->line, v->col,
		    "'fields' of field '%s' must be a map of field names to "
		    "definitions",
		    display);
		return -1;
	}
	struct schema_draft *dfs =
	    arena_calloc(&L->tmp, v->u.map.len, sizeof(*dfs));
	size_t n = 0;
	for (size_t i = 0; i < v->u.map.len; i++) {
		const struct value_member *m = &v->u.map.members[i];
		if (!schema_check_field_name(L, o, m))
			continue;
		dfs[n].name = m->key;
		dfs[n].def = m->val;
		dfs[n].o = o;
		dfs[n].line = m->line;
		dfs[n].col = m->col;
		n++;
	}
	*out = dfs;
	*nout = n;
	return 0;
}

/* The label of a field without label_en on an English site: its name
 * as words ("start_date" -> "Start date"), never the Chinese label. */
static const char *english_name(struct arena *a, const char *name)
{
	char *s = arena_strdup(a, name);

	for (char *p = s; *p; p++)
		if (*p == '_' || *p == '-')
			*p = ' ';
	if (*s >= 'a' && *s <= 'z')
		*s = (char)(*s - 'a' + 'A');
	return s;
}

/* The settings any field may have, and the numeric constraints. */
static void compile_settings(struct schema_loader *L,
			     const struct schema_origin *o,
			     const struct value_member *const *k,
			     struct schema_field *f, const char *display)
{
	const char *t;

	if (k[K_LABEL] && (t = text_setting(L, o, k[K_LABEL], display)))
		f->label = arena_strdup(L->a, t);
	if (k[K_LABEL_EN] && (t = text_setting(L, o, k[K_LABEL_EN], display)))
		f->label_en = arena_strdup(L->a, t);
	if (k[K_REQUIRED]) {
		const struct value *v = k[K_REQUIRED]->val;
		t = schema_text(L, v);
		if (t && !strcmp(t, "true"))
			f->required = 1;
		else if (!t || strcmp(t, "false"))
			schema_report(
			    L, o, v->line, v->col,
			    "'required' of field '%s' must be true or false",
			    display);
	}
	if (k[K_MIN]) {
		const struct value *v = k[K_MIN]->val;
		t = schema_text(L, v);
		if (!t || schema_parse_int(t, &f->min) < 0)
			schema_report(L, o, v->line, v->col,
				      "'min' of field '%s' must be an integer",
				      display);
		else
			f->has_min = 1;
	}
	if (k[K_MIN_ITEMS]) {
		const struct value *v = k[K_MIN_ITEMS]->val;
		long long n;
		t = schema_text(L, v);
		if (!t || schema_parse_int(t, &n) < 0 || n < 0)
			schema_report(
			    L, o, v->line, v->col,
			    "'min_items' of field '%s' must be a whole "
			    "number",
			    display);
		else
			f->min_items = (size_t)n;
	}
}

static void compile_field(struct schema_loader *L,
			  const struct schema_draft *df, struct schema_field *f,
			  unsigned depth, int is_item, const char *display);

/* `taxonomy: true` (render_taxonomy.c): a page per term. Only a record's
 * own fields, and only those whose values name a term: text, a number, an
 * enum, a reference, a date (its year) or a list of those. */
static void compile_taxonomy(struct schema_loader *L,
			     const struct schema_origin *o,
			     const struct value_member *m,
			     struct schema_field *f, int nested,
			     const char *display)
{
	const char *t = schema_text(L, m->val);
	const struct schema_field *term = f->type == SCHEMA_LIST ? f->item : f;

	if (!t || (strcmp(t, "true") && strcmp(t, "false"))) {
		schema_report(L, o, m->val->line, m->val->col,
			      "'taxonomy' of field '%s' must be true or false",
			      display);
		return;
	}
	if (!strcmp(t, "false"))
		return;
	if (nested) {
		schema_report(L, o, m->line, m->col,
			      "'taxonomy' applies only to a record's own "
			      "fields, not to '%s'", display);
		return;
	}
	if (!term || (term->type != SCHEMA_STRING &&
		      term->type != SCHEMA_INTEGER &&
		      term->type != SCHEMA_ENUM &&
		      term->type != SCHEMA_REFERENCE &&
		      (term->type != SCHEMA_DATE || term != f))) {
		schema_report(L, o, m->line, m->col,
			      "'taxonomy' does not apply to field '%s' of "
			      "type %s (only to string, integer, enum, "
			      "reference and date fields, and lists of the "
			      "first four)",
			      display, type_names[f->type]);
		return;
	}
	f->taxonomy = 1;
}

/* What each type needs: values, a target collection, an item type, fields;
 * `after` is checked against the siblings by schema_compile_fields(). */
static void compile_by_type(struct schema_loader *L,
			    const struct schema_draft *df,
			    const struct value_member *const *k,
			    struct schema_field *f, unsigned depth,
			    const char *display)
{
	const struct schema_origin *o = df->o;
	const struct value *def = df->def;
	const char *t;

	switch (f->type) {
	case SCHEMA_ENUM:
		if (!k[K_VALUES])
			schema_report(
			    L, o, def->line, def->col,
			    "enum field '%s' needs 'values', the list of "
			    "allowed values",
			    display);
		else
			compile_values(L, o, k[K_VALUES]->val, display, f);
		break;
	case SCHEMA_REFERENCE:
		if (!k[K_TO]) {
			schema_report(
			    L, o, def->line, def->col,
			    "reference field '%s' needs 'to', the collection "
			    "it refers to",
			    display);
			break;
		}
		t = schema_text(L, k[K_TO]->val);
		if (!t || !schema_collection_declared(L, t)) {
			schema_report(
			    L, o, k[K_TO]->val->line, k[K_TO]->val->col,
			    "field '%s' refers to unknown collection '%s'",
			    display, t ? t : "");
			break;
		}
		f->to = arena_strdup(L->a, t);
		break;
	case SCHEMA_DATE:
		if (k[K_AFTER]) {
			t = schema_text(L, k[K_AFTER]->val);
			if (!t)
				schema_report(
				    L, o, k[K_AFTER]->val->line,
				    k[K_AFTER]->val->col,
				    "'after' of field '%s' must name a date "
				    "field",
				    display);
			else
				f->after = arena_strdup(L->a, t);
		}
		break;
	case SCHEMA_LIST: {
		struct schema_draft item;
		struct schema_field *it;
		if (!k[K_OF]) {
			schema_report(
			    L, o, def->line, def->col,
			    "list field '%s' needs 'of', the type of its "
			    "items",
			    display);
			break;
		}
		if (depth + 1 > SCHEMA_MAX_DEPTH) {
			schema_report(L, o, k[K_OF]->line, k[K_OF]->col,
				      "field '%s' nests deeper than %d levels",
				      display, SCHEMA_MAX_DEPTH);
			break;
		}
		item.name = df->name;
		item.def = k[K_OF]->val;
		item.o = o;
		item.line = k[K_OF]->line;
		item.col = k[K_OF]->col;
		it = arena_calloc(L->a, 1, sizeof(*it));
		compile_field(L, &item, it, depth + 1, 1, display);
		if (it->type == SCHEMA_LIST)
			schema_report(L, o, item.def->line, item.def->col,
				      "list field '%s' cannot hold lists",
				      display);
		f->item = it;
		break;
	}
	case SCHEMA_OBJECT: {
		struct schema_draft *dfs;
		size_t n;
		if (!k[K_FIELDS]) {
			schema_report(
			    L, o, def->line, def->col,
			    "object field '%s' needs 'fields', the map of "
			    "its fields",
			    display);
			break;
		}
		if (depth + 1 > SCHEMA_MAX_DEPTH) {
			schema_report(L, o, k[K_FIELDS]->line, k[K_FIELDS]->col,
				      "field '%s' nests deeper than %d levels",
				      display, SCHEMA_MAX_DEPTH);
			break;
		}
		if (object_drafts(L, o, k[K_FIELDS]->val, display, &dfs, &n) <
		    0)
			break;
		schema_compile_fields(L, dfs, n, depth + 1,
				      arena_printf(&L->tmp, "%s.", display),
				      &f->fields, &f->nfields);
		break;
	}
	default:
		break;
	}
}

/*
 * Compile one field definition: a bare type name or a map of settings.
 * `is_item` marks the item type of a list, which has no name of its own
 * (it takes the list's) and no `required` or `after`.
 */
static void compile_field(struct schema_loader *L,
			  const struct schema_draft *df, struct schema_field *f,
			  unsigned depth, int is_item, const char *display)
{
	const struct schema_origin *o = df->o;
	const struct value *def = df->def;
	const struct value_member *k[K_COUNT] = {0};
	const struct value *type_v = NULL;
	const char *t;
	size_t i;

	f->name = arena_strdup(L->a, df->name);
	f->label = f->name;
	if (schema_spend(L, o, df->line, df->col) < 0)
		return; /* and so everywhere after: the load fails anyway */
	if (schema_is_null(def)) {
		schema_report(L, o, df->line, df->col, "field '%s' has no type",
			      display);
		return;
	}
	if (def->kind == VALUE_MAP) {
		for (i = 0; i < def->u.map.len; i++) {
			const struct value_member *m = &def->u.map.members[i];
			size_t j;
			for (j = 0; j < K_COUNT; j++)
				if (!strcmp(m->key, fkey_names[j]))
					break;
			if (j == K_COUNT) {
				schema_report(
				    L, o, m->line, m->col,
				    "unknown key '%s' in the definition of "
				    "field '%s' (expected type, required, "
				    "label, label_en, values, min, "
				    "min_items, of, to, fields, after or "
				    "taxonomy)",
				    m->key, display);
				continue;
			}
			k[j] = m;
		}
		if (!k[K_TYPE]) {
			schema_report(L, o, def->line, def->col,
				      "field '%s' has no type", display);
			return;
		}
		type_v = k[K_TYPE]->val;
	} else if (def->kind == VALUE_LIST) {
		schema_report(
		    L, o, def->line, def->col,
		    "field '%s' must be a type name or a map of settings",
		    display);
		return;
	} else {
		type_v = def;
	}

	t = schema_text(L, type_v);
	for (i = 0; t && i < NTYPES; i++)
		if (!strcmp(t, type_names[i]))
			break;
	if (!t || i == NTYPES) {
		schema_report(L, o, type_v->line, type_v->col,
			      "unknown type '%s' for field '%s' (expected %s)",
			      t ? t : "", display, type_list_text());
		return;
	}
	f->type = (enum schema_type)i;

	/* Settings that do not apply to this type are mistakes, not noise. */
	static const struct {
		enum fkey key;
		enum schema_type type;
	} only_for[] = {
	    {K_VALUES, SCHEMA_ENUM},	{K_MIN, SCHEMA_INTEGER},
	    {K_MIN_ITEMS, SCHEMA_LIST}, {K_OF, SCHEMA_LIST},
	    {K_TO, SCHEMA_REFERENCE},	{K_FIELDS, SCHEMA_OBJECT},
	    {K_AFTER, SCHEMA_DATE},
	};
	for (i = 0; i < sizeof(only_for) / sizeof(only_for[0]); i++) {
		const struct value_member *m = k[only_for[i].key];
		if (m && f->type != only_for[i].type) {
			schema_report(
			    L, o, m->line, m->col,
			    "'%s' does not apply to field '%s' of type %s "
			    "(only to %s fields)",
			    m->key, display, type_names[f->type],
			    type_names[only_for[i].type]);
			k[only_for[i].key] = NULL;
		}
	}
	if (is_item) {
		static const enum fkey no_item[] = {K_REQUIRED, K_AFTER};
		for (i = 0; i < 2; i++) {
			const struct value_member *m = k[no_item[i]];
			if (m) {
				schema_report(
				    L, o, m->line, m->col,
				    "'%s' does not apply to the items of "
				    "list '%s'",
				    m->key, display);
				k[no_item[i]] = NULL;
			}
		}
	}

	compile_settings(L, o, k, f, display);
	if (!f->label_en)
		f->label_en = english_name(L->a, f->name);
	compile_by_type(L, df, k, f, depth, display);
	if (k[K_TAXONOMY])
		compile_taxonomy(L, o, k[K_TAXONOMY], f, depth || is_item,
				 display);
}

/* The node a field's `after` was read from, for positions. */
static const struct value *after_node(const struct schema_draft *df)
{
	const struct value *v = value_map_get(df->def, "after");
	return v ? v : df->def;
}

void schema_compile_fields(struct schema_loader *L,
			   const struct schema_draft *df, size_t n,
			   unsigned depth, const char *prefix,
			   const struct schema_field **out, size_t *nout)
{
	struct schema_field *fs = arena_calloc(L->a, n ? n : 1, sizeof(*fs));
	size_t i, j;

	/* Once the budget is spent the rest keep no name (lookups skip
	 * them) and are not checked: the load has failed. */
	for (i = 0; i < n && !L->defs_spent; i++)
		compile_field(
		    L, &df[i], &fs[i], depth, 0,
		    arena_printf(&L->tmp, "%s%s", prefix, df[i].name));
	if (L->defs_spent) {
		*out = fs;
		*nout = n;
		return;
	}
	/* `after` names a sibling: in a record, or in the same object. */
	for (i = 0; i < n; i++) {
		const struct value *at;
		if (!fs[i].after)
			continue;
		at = after_node(&df[i]);
		for (j = 0; j < n; j++)
			if (!strcmp(fs[j].name, fs[i].after))
				break;
		if (j == n)
			schema_report(
			    L, df[i].o, at->line, at->col,
			    "'after' of field '%s%s' names unknown field "
			    "'%s'",
			    prefix, fs[i].name, fs[i].after);
		else if (j == i)
			schema_report(
			    L, df[i].o, at->line, at->col,
			    "'after' of field '%s%s' names the field itself",
			    prefix, fs[i].name);
		else if (fs[j].type != SCHEMA_DATE)
			schema_report(
			    L, df[i].o, at->line, at->col,
			    "'after' of field '%s%s' names '%s', which is "
			    "not a date field",
			    prefix, fs[i].name, fs[i].after);
	}
	*out = fs;
	*nout = n;
}
