/*
 * schema_check: the validate stage. Types one record's raw front matter by
 * the schema of its collection, reporting every problem at the line and
 * column of the node at fault, and gives the model the helpers that depend
 * on field types: walking references, ordering records, expanding
 * permalinks.
 *
 * Validation never stops at the first problem: a teacher fixing a record
 * should see all of its mistakes in one build. Values with errors are left
 * out of the typed record so that later stages only ever see well-typed
 * data. The work per record is bounded (SCHEMA_MAX_VALUES, and recursion
 * by the schema's own depth) because YAML aliases can make a small file
 * describe a huge tree.
 *
 * Loading the schema is in schema_load.c.
 */
#include "schema.h"

#include "alloc.h"
#include "arena.h"
#include "buf.h"
#include "collate.h"
#include "diag.h"
#include "diag_msg.h"
#include "value.h"
#include "yamlv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct check {
	const struct schema_collection *c;
	struct arena *a;
	const char *path;
	const char *(*check_image)(void *ctx, const char *repo_path);
	void *ctx;
	struct diag *d;
	size_t errors;
	size_t spent; /* values typed so far, against SCHEMA_MAX_VALUES */
	int exhausted, exhaustion_reported;
};

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void err(struct check *k, unsigned line, unsigned col,
		const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(k->d, DIAG_ERROR, DIAG_CONTENT, k->path, line, col, fmt,
		     ap);
	va_end(ap);
	k->errors++;
}

/* An error with a Chinese translation (diag_msg.h): string arguments. */
static void err_msg(struct check *k, unsigned line, unsigned col,
		    enum diag_msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	diag_vmsg(k->d, k->path, line, col, id, ap);
	va_end(ap);
	k->errors++;
}

/* Count one value against the budget; once it is spent, typing stops and
 * type_map() reports it at the field that was being typed (the node where
 * the count ran out is usually inside an anchor elsewhere in the file). */
static int spend(struct check *k)
{
	if (k->exhausted)
		return -1;
	if (++k->spent <= SCHEMA_MAX_VALUES)
		return 0;
	k->exhausted = 1;
	return -1;
}

static int str_is(const struct value *v, const char *s)
{
	return v->u.str.len == strlen(s) &&
	       !memcmp(v->u.str.ptr, s, v->u.str.len);
}

/* Null, a plain scalar YAML reads as null, or a blank quoted string: all
 * count as "no value", so an empty required field is a missing one. */
static int is_empty(const struct value *v)
{
	if (!v || v->kind == VALUE_NULL)
		return 1;
	if (v->kind != VALUE_STRING)
		return 0;
	if ((v->flags & VALUE_PLAIN) &&
	    (str_is(v, "~") || str_is(v, "null") || str_is(v, "Null") ||
	     str_is(v, "NULL")))
		return 1;
	for (size_t i = 0; i < v->u.str.len; i++)
		if (!strchr(" \t\r\n", v->u.str.ptr[i]))
			return 0;
	return 1;
}

/* A scalar's text, typed or not: returns 0 and sets *s, *len (`tmp`
 * holds formatted integers), or -1 for lists and maps. */
static int scalar(const struct value *v, char tmp[32], const char **s,
		  size_t *len)
{
	switch (v->kind) {
	case VALUE_STRING:
		*s = v->u.str.ptr;
		*len = v->u.str.len;
		return 0;
	case VALUE_INT:
		*len = (size_t)snprintf(tmp, 32, "%lld", v->u.integer);
		*s = tmp;
		return 0;
	case VALUE_BOOL:
		*s = v->u.boolean ? "true" : "false";
		*len = strlen(*s);
		return 0;
	case VALUE_NULL:
		*s = "";
		*len = 0;
		return 0;
	default:
		return -1;
	}
}

/* What a message shows for a value it quotes: 'text' (shortened on a
 * UTF-8 boundary), or "a list" / "a map". */
static const char *got(const struct value *v, char out[96])
{
	char tmp[32];
	const char *s;
	size_t len;
	if (v->kind == VALUE_LIST)
		return "a list";
	if (v->kind == VALUE_MAP)
		return "a map";
	scalar(v, tmp, &s, &len);
	if (len > 60) {
		len = 60;
		while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
		snprintf(out, 96, "'%.*s...'", (int)len, s);
	} else {
		snprintf(out, 96, "'%.*s'", (int)len, s);
	}
	return out;
}

/* What a field of type f expects, for "expects X, got Y" messages. */
static void expects(const struct schema_field *f, struct buf *b)
{
	switch (f->type) {
	case SCHEMA_STRING: buf_puts(b, "a string"); break;
	case SCHEMA_INTEGER: buf_puts(b, "an integer"); break;
	case SCHEMA_BOOLEAN: buf_puts(b, "true or false"); break;
	case SCHEMA_DATE: buf_puts(b, "a date as YYYY-MM-DD"); break;
	case SCHEMA_ENUM:
		buf_puts(b, "one of: ");
		for (size_t i = 0; i < f->nvalues; i++)
			buf_printf(b, "%s%s", i ? ", " : "", f->values[i]);
		break;
	case SCHEMA_LIST: buf_puts(b, "a list"); break;
	case SCHEMA_REFERENCE:
		buf_printf(b, "the slug of a record of '%s'", f->to);
		break;
	case SCHEMA_IMAGE: buf_puts(b, "an image path"); break;
	case SCHEMA_OBJECT: buf_puts(b, "a map of fields"); break;
	}
}

static void wrong_type(struct check *k, const struct schema_field *f,
		       const char *prefix, const struct value *v)
{
	struct buf b = BUF_INIT;
	char g[96];
	expects(f, &b);
	err_msg(k, v->line, v->col, DIAG_MSG_WRONG_TYPE, prefix, f->name, b.ptr,
		got(v, g), f->label, diag_msg_expects_zh(schema_type_name(f->type)));
	buf_release(&b);
}

static struct value *at(struct value *v, const struct value *src)
{
	v->line = src->line;
	v->col = src->col;
	return v;
}

/* ---- dates ---- */

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/* 0: a real date; -1: not YYYY-MM-DD; -2: the shape is right but there is
 * no such day. */
static int date_scan(const char *s, size_t len, int *y, int *m, int *d)
{
	static const char shape[] = "dddd-dd-dd";
	if (len != 10)
		return -1;
	for (size_t i = 0; i < 10; i++) {
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != '-')
			return -1;
	}
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	     (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	if (*y < 1 || *m < 1 || *m > 12 || *d < 1 ||
	    *d > days_in_month(*y, *m))
		return -2;
	return 0;
}

int schema_date_parse(const char *s, int *y, int *m, int *d)
{
	int yy, mm, dd;
	if (date_scan(s, strlen(s), &yy, &mm, &dd) < 0)
		return -1;
	*y = yy;
	*m = mm;
	*d = dd;
	return 0;
}

/* ---- typing values ---- */

static int parse_int(const char *s, size_t len, long long *out)
{
	size_t i = 0;
	char *end;
	if (len && (s[0] == '-' || s[0] == '+'))
		i = 1;
	if (i == len)
		return -1;
	for (; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return errno || end != s + len ? -1 : 0;
}

/*
 * Normalise a repository-relative path ("./" and "x/.." segments, doubled
 * slashes) into `out`. Returns -1 when it is absolute and -2 when it
 * climbs out of the repository.
 */
static int normalise_path(const char *s, size_t len, struct buf *out)
{
	if (len && s[0] == '/')
		return -1;
	for (size_t i = 0; i < len;) {
		const char *seg = s + i;
		const char *e = memchr(seg, '/', len - i);
		size_t sl = e ? (size_t)(e - seg) : len - i;
		i += sl + 1;
		if (!sl || (sl == 1 && seg[0] == '.'))
			continue;
		if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
			char *slash;
			if (!out->len)
				return -2;
			slash = strrchr(out->ptr, '/');
			buf_truncate(out,
				     slash ? (size_t)(slash - out->ptr) : 0);
			continue;
		}
		if (out->len)
			buf_putc(out, '/');
		buf_add(out, seg, sl);
	}
	return 0;
}

static struct value *type_image(struct check *k, const struct schema_field *f,
				const char *prefix, const struct value *v,
				const char *s, size_t len)
{
	struct buf p = BUF_INIT;
	struct value *out = NULL;
	const char *why = NULL;
	int r = normalise_path(s, len, &p);

	if (r == -1)
		err(k, v->line, v->col,
		    "image path '%.*s' of field '%s%s' must be relative to "
		    "the repository root (no leading '/')", (int)len, s, prefix,
		    f->name);
	else if (r == -2 || !p.len)
		err(k, v->line, v->col,
		    "image path '%.*s' of field '%s%s' leaves the repository",
		    (int)len, s, prefix, f->name);
	else if (k->check_image && (why = k->check_image(k->ctx, p.ptr)))
		err(k, v->line, v->col, "image '%s' %s", p.ptr, why);
	else
		out = at(value_string(k->a, p.ptr, p.len), v);
	buf_release(&p);
	return out;
}

static struct value *type_map(struct check *k, const struct schema_field *fs,
			      size_t n, const char *prefix,
			      const struct value *src, int top);

static struct value *type_value(struct check *k, const struct schema_field *f,
				const char *prefix, const struct value *v);

static struct value *type_list(struct check *k, const struct schema_field *f,
			       const char *prefix, const struct value *v)
{
	struct value *out;
	if (v->kind != VALUE_LIST) {
		wrong_type(k, f, prefix, v);
		return NULL;
	}
	out = at(value_list(k->a), v);
	if (v->u.list.len < f->min_items)
		err(k, v->line, v->col,
		    "field '%s%s' needs at least %zu item%s, got %zu", prefix,
		    f->name, f->min_items, f->min_items == 1 ? "" : "s",
		    v->u.list.len);
	for (size_t i = 0; i < v->u.list.len; i++) {
		const struct value *it = v->u.list.items[i];
		struct value *tv;
		if (spend(k) < 0)
			break;
		if (is_empty(it)) {
			err(k, it->line, it->col, "empty item in list '%s%s'",
			    prefix, f->name);
			continue;
		}
		tv = type_value(k, f->item, prefix, it);
		if (tv)
			value_list_push(k->a, out, tv);
	}
	return out;
}

static struct value *type_object(struct check *k, const struct schema_field *f,
				 const char *prefix, const struct value *v)
{
	struct buf sub = BUF_INIT;
	struct value *out;
	if (v->kind != VALUE_MAP) {
		wrong_type(k, f, prefix, v);
		return NULL;
	}
	buf_printf(&sub, "%s%s.", prefix, f->name);
	out = type_map(k, f->fields, f->nfields, sub.ptr, v, 0);
	buf_release(&sub);
	return out;
}

/* Type one non-empty value; NULL (reported) when it is wrong. */
static struct value *type_value(struct check *k, const struct schema_field *f,
				const char *prefix, const struct value *v)
{
	char tmp[32], g[96];
	const char *s;
	size_t len;
	long long i;
	int y, m, d, r;

	if (f->type == SCHEMA_LIST)
		return type_list(k, f, prefix, v);
	if (f->type == SCHEMA_OBJECT)
		return type_object(k, f, prefix, v);
	if (scalar(v, tmp, &s, &len) < 0) {
		wrong_type(k, f, prefix, v);
		return NULL;
	}
	switch (f->type) {
	case SCHEMA_STRING:
	case SCHEMA_REFERENCE:
		return at(value_string(k->a, s, len), v);
	case SCHEMA_INTEGER:
		if (v->kind == VALUE_INT)
			i = v->u.integer;
		else if (v->kind != VALUE_STRING || parse_int(s, len, &i) < 0) {
			wrong_type(k, f, prefix, v);
			return NULL;
		}
		if (f->has_min && i < f->min) {
			err(k, v->line, v->col,
			    "field '%s%s' must be at least %lld, got %lld",
			    prefix, f->name, f->min, i);
			return NULL;
		}
		return at(value_int(k->a, i), v);
	case SCHEMA_BOOLEAN:
		if (v->kind == VALUE_BOOL)
			return at(value_bool(k->a, v->u.boolean), v);
		if (v->kind == VALUE_STRING) {
			if (str_is(v, "true") || str_is(v, "True") ||
			    str_is(v, "TRUE"))
				return at(value_bool(k->a, 1), v);
			if (str_is(v, "false") || str_is(v, "False") ||
			    str_is(v, "FALSE"))
				return at(value_bool(k->a, 0), v);
		}
		wrong_type(k, f, prefix, v);
		return NULL;
	case SCHEMA_DATE:
		r = date_scan(s, len, &y, &m, &d);
		if (r == -1) {
			wrong_type(k, f, prefix, v);
			return NULL;
		}
		if (r == -2) {
			err_msg(k, v->line, v->col, DIAG_MSG_BAD_DATE, prefix,
				f->name, got(v, g), f->label);
			return NULL;
		}
		return at(value_string(k->a, s, len), v);
	case SCHEMA_ENUM:
		for (size_t j = 0; j < f->nvalues; j++)
			if (strlen(f->values[j]) == len &&
			    !memcmp(f->values[j], s, len))
				return at(value_string(k->a, s, len), v);
		{
			struct buf b = BUF_INIT;
			for (size_t j = 0; j < f->nvalues; j++)
				buf_printf(&b, "%s%s", j ? ", " : "",
					   f->values[j]);
			const char *q = got(v, g); /* 'text', shortened */
			char *raw = arena_strndup(k->a, q + 1, strlen(q) - 2);
			err_msg(k, v->line, v->col, DIAG_MSG_ENUM, q, prefix,
				f->name, b.ptr, f->label, raw);
			buf_release(&b);
		}
		return NULL;
	case SCHEMA_IMAGE:
		return type_image(k, f, prefix, v, s, len);
	default:
		BUG("type_value: unexpected schema type %d", (int)f->type);
	}
}

/* A copy of an unknown field's value, typed by the YAML core schema. The
 * copy is a tree even when the source shares nodes through aliases. */
static struct value *copy_value(struct check *k, const struct value *v,
				unsigned depth)
{
	struct value *out;
	if (depth > YAMLV_MAX_DEPTH || spend(k) < 0)
		return NULL;
	switch (v->kind) {
	case VALUE_STRING:
		out = value_string(k->a, v->u.str.ptr, v->u.str.len);
		out->flags = v->flags;
		break;
	case VALUE_LIST:
		out = value_list(k->a);
		for (size_t i = 0; i < v->u.list.len; i++) {
			struct value *it = copy_value(k, v->u.list.items[i],
						      depth + 1);
			if (!it)
				return NULL;
			value_list_push(k->a, out, it);
		}
		break;
	case VALUE_MAP:
		out = value_map(k->a);
		for (size_t i = 0; i < v->u.map.len; i++) {
			const struct value_member *m = &v->u.map.members[i];
			struct value *it = copy_value(k, m->val, depth + 1);
			if (!it)
				return NULL;
			value_map_add(k->a, out,
				      arena_strndup(k->a, m->key, m->key_len),
				      m->key_len, it, m->line, m->col);
		}
		break;
	default:
		out = value_new(k->a, v->kind);
		out->u = v->u;
		break;
	}
	return at(out, v);
}

static const struct schema_field *find_field(const struct check *k,
					     const struct schema_field *fs,
					     size_t n, const char *key,
					     size_t key_len, int top)
{
	if (top)
		return strlen(key) == key_len ? schema_field_find(k->c, key)
					      : NULL;
	for (size_t i = 0; i < n; i++)
		if (strlen(fs[i].name) == key_len &&
		    !memcmp(fs[i].name, key, key_len))
			return &fs[i];
	return NULL;
}

static void report_exhaustion(struct check *k, const struct value_member *m)
{
	if (k->exhaustion_reported)
		return;
	k->exhaustion_reported = 1;
	err(k, m->line, m->col,
	    "front matter holds more than %d values (check its aliases)",
	    SCHEMA_MAX_VALUES);
}

/*
 * Type the map `src` by the fields fs[0..n): `prefix` names the enclosing
 * object in messages ("entries."), `top` says this is the record itself
 * (with the implicit slug and draft).
 */
static struct value *type_map(struct check *k, const struct schema_field *fs,
			      size_t n, const char *prefix,
			      const struct value *src, int top)
{
	struct value *out = at(value_map(k->a), src);
	size_t i;

	/* In the order written, so that messages come in reading order. */
	for (i = 0; i < src->u.map.len; i++) {
		const struct value_member *m = &src->u.map.members[i];
		const struct schema_field *f;
		struct value *tv;
		if (spend(k) < 0) {
			report_exhaustion(k, m);
			break;
		}
		f = find_field(k, fs, n, m->key, m->key_len, top);
		if (!f) {
			diag_warning(k->d, k->path, m->line, m->col,
				     "unknown field '%s%s' (not in the schema "
				     "of '%s')", prefix, m->key, k->c->name);
			tv = copy_value(k, m->val, 0);
			if (tv)
				value_resolve_scalars(tv);
			else if (!k->exhausted)
				diag_warning(k->d, k->path, m->line, m->col,
					     "unknown field '%s%s' nests deeper "
					     "than %d levels and is left out",
					     prefix, m->key, YAMLV_MAX_DEPTH);
		} else if (is_empty(m->val)) {
			if (f->required)
				err_msg(k, m->line, m->col,
					DIAG_MSG_REQUIRED_EMPTY, prefix,
					f->name, f->label);
			continue;
		} else {
			tv = type_value(k, f, prefix, m->val);
		}
		if (k->exhausted) {
			report_exhaustion(k, m);
			break;
		}
		/* A known field's key is the schema's own string, which lives
		 * as long as the model: no copy per record, and lookups by
		 * the schema's name (most of them) match on the pointer
		 * (value.c, find_member()). */
		if (tv)
			value_map_add(k->a, out, f ? f->name :
				      arena_strndup(k->a, m->key, m->key_len),
				      m->key_len, tv, m->line, m->col);
	}
	if (k->exhausted)
		return out; /* the rest was not looked at: no more guesses */
	for (i = 0; i < n; i++) {
		const struct schema_field *f = &fs[i];
		if (!f->required || value_map_get(src, f->name))
			continue;
		err_msg(k, src->line, src->col,
			strcmp(f->label, f->name) ? DIAG_MSG_REQUIRED_LABEL
						  : DIAG_MSG_REQUIRED,
			prefix, f->name, f->label);
	}
	for (i = 0; i < n; i++) {
		const struct schema_field *f = &fs[i];
		const struct value *end, *start;
		if (!f->after)
			continue;
		end = value_map_get(out, f->name);
		start = value_map_get(out, f->after);
		if (!value_str(end) || !value_str(start) ||
		    strcmp(value_str(end), value_str(start)) >= 0)
			continue;
		err(k, end->line, end->col, "'%s%s' (%s) is before '%s%s' (%s)",
		    prefix, f->name, value_str(end), prefix, f->after,
		    value_str(start));
	}
	return out;
}

int schema_validate(const struct schema_collection *c, struct arena *a,
		    const struct value *front, const char *path,
		    const char *(*check_image)(void *ctx, const char *repo_path),
		    void *ctx, struct value **typed, struct diag *d)
{
	struct check k;
	struct value empty;
	char g[96];

	memset(&k, 0, sizeof(k));
	k.c = c;
	k.a = a;
	k.path = path;
	k.check_image = check_image;
	k.ctx = ctx;
	k.d = d;

	if (!front || is_empty(front)) {
		/* No front matter at all: an empty map at its position. */
		memset(&empty, 0, sizeof(empty));
		empty.kind = VALUE_MAP;
		empty.line = front && front->line ? front->line : 1;
		empty.col = front && front->col ? front->col : 1;
		front = &empty;
	}
	if (front->kind != VALUE_MAP) {
		err(&k, front->line, front->col,
		    "front matter must be a map of fields (key: value lines), "
		    "got %s", got(front, g));
		*typed = at(value_map(a), front);
		return -1;
	}
	*typed = type_map(&k, c->fields, c->nfields, "", front, 1);
	return k.errors ? -1 : 0;
}

/* ---- references ---- */

typedef void reference_cb(void *ctx, const char *to_collection,
			  const struct value *slug_value,
			  const struct schema_field *field);

static void walk_fields(const struct schema_field *fs, size_t n,
			const struct value *typed, reference_cb *cb, void *ctx);

static void walk_value(const struct schema_field *f, const struct value *v,
		       reference_cb *cb, void *ctx)
{
	switch (f->type) {
	case SCHEMA_REFERENCE:
		if (v->kind == VALUE_STRING)
			cb(ctx, f->to, v, f);
		break;
	case SCHEMA_LIST:
		if (v->kind == VALUE_LIST)
			for (size_t i = 0; i < v->u.list.len; i++)
				walk_value(f->item, v->u.list.items[i], cb,
					   ctx);
		break;
	case SCHEMA_OBJECT:
		walk_fields(f->fields, f->nfields, v, cb, ctx);
		break;
	default:
		break;
	}
}

static void walk_fields(const struct schema_field *fs, size_t n,
			const struct value *typed, reference_cb *cb, void *ctx)
{
	if (!typed || typed->kind != VALUE_MAP)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct value *v = value_map_get(typed, fs[i].name);
		if (v)
			walk_value(&fs[i], v, cb, ctx);
	}
}

void schema_each_reference(const struct schema_collection *c,
			   const struct value *typed, reference_cb *cb,
			   void *ctx)
{
	walk_fields(c->fields, c->nfields, typed, cb, ctx);
}

/* ---- ordering and permalinks ---- */

static long enum_index(const struct schema_field *f, const struct value *v)
{
	for (size_t i = 0; i < f->nvalues; i++)
		if (str_is(v, f->values[i]))
			return (long)i;
	return (long)f->nvalues;
}

/* -1/0/1, or 2 when a is missing and -2 when b is (missing goes last). */
static int compare_values(const struct schema_field *f, struct collate *coll,
			  const struct value *a, const struct value *b)
{
	enum value_kind want;
	switch (f->type) {
	case SCHEMA_INTEGER: want = VALUE_INT; break;
	case SCHEMA_BOOLEAN: want = VALUE_BOOL; break;
	default: want = VALUE_STRING; break;
	}
	if (!a || a->kind != want)
		return b && b->kind == want ? 2 : 0;
	if (!b || b->kind != want)
		return -2;
	switch (f->type) {
	case SCHEMA_INTEGER:
		return (a->u.integer > b->u.integer) -
		       (a->u.integer < b->u.integer);
	case SCHEMA_BOOLEAN:
		return (a->u.boolean > b->u.boolean) -
		       (a->u.boolean < b->u.boolean);
	case SCHEMA_ENUM: {
		long x = enum_index(f, a), y = enum_index(f, b);
		return (x > y) - (x < y);
	}
	case SCHEMA_STRING:
		if (coll) {
			int c = collate_compare(coll, a->u.str.ptr, b->u.str.ptr);
			return (c > 0) - (c < 0);
		}
		/* fall through */
	default: {
		int c = strcmp(a->u.str.ptr, b->u.str.ptr);
		return (c > 0) - (c < 0);
	}
	}
}

/* One sort key of two records: as schema_compare() returns, or 2 / -2
 * when only one of them has a value (it comes first, either way). */
static int compare_key(const struct schema_sort_key *key, struct collate *coll,
		       const struct value *a, const char *a_slug,
		       const struct value *b, const char *b_slug)
{
	int r;

	if (!strcmp(key->field, "slug")) {
		r = strcmp(a_slug, b_slug);
		return (r > 0) - (r < 0);
	}
	return compare_values(key->def, coll, a, b);
}

static int finish_compare(const struct schema_sort_key *key, int r)
{
	if (r == 2 || r == -2)
		return r / 2;
	return key->descending ? -r : r;
}

int schema_compare(const struct schema_collection *c, struct collate *coll,
		   const struct value *a, const char *a_slug,
		   const struct value *b, const char *b_slug)
{
	size_t n = c->nsort ? c->nsort : 1;
	const struct value **va = xcalloc(n, sizeof(*va));
	const struct value **vb = xcalloc(n, sizeof(*vb));
	int r;

	schema_sort_values(c, a, va);
	schema_sort_values(c, b, vb);
	r = schema_compare_values(c, coll, va, a_slug, vb, b_slug);
	free(va);
	free(vb);
	return r;
}

void schema_sort_values(const struct schema_collection *c,
			const struct value *typed, const struct value **vals)
{
	for (size_t i = 0; i < c->nsort; i++)
		vals[i] = strcmp(c->sort[i].field, "slug")
			  ? value_map_get(typed, c->sort[i].field) : NULL;
}

int schema_compare_values(const struct schema_collection *c,
			  struct collate *coll,
			  const struct value *const *a, const char *a_slug,
			  const struct value *const *b, const char *b_slug)
{
	for (size_t i = 0; i < c->nsort; i++) {
		int r = compare_key(&c->sort[i], coll, a[i], a_slug, b[i],
				    b_slug);
		if (r)
			return finish_compare(&c->sort[i], r);
	}
	return strcmp(a_slug, b_slug);
}

int schema_permalink(const struct schema_collection *c,
		     const struct value *typed, const char *slug,
		     struct buf *out)
{
	size_t start = out->len;
	for (const char *p = c->permalink; *p; p++) {
		if (!strncmp(p, "{slug}", 6)) {
			buf_puts(out, slug);
			p += 5;
		} else if (!strncmp(p, "{collection}", 12)) {
			buf_puts(out, c->name);
			p += 11;
		} else if (!strncmp(p, "{year}", 6)) {
			const struct value *y = value_map_get(typed, "year");
			const char *date =
				value_str(value_map_get(typed, "date"));
			int yy, mm, dd;
			if (y && y->kind == VALUE_INT)
				buf_printf(out, "%lld", y->u.integer);
			else if (date &&
				 !schema_date_parse(date, &yy, &mm, &dd))
				buf_printf(out, "%04d", yy);
			else {
				buf_truncate(out, start);
				return -1;
			}
			p += 5;
		} else {
			buf_putc(out, *p);
		}
	}
	return 0;
}
