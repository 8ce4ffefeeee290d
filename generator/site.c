/*
 * site: see site.h.
 */
#include "site.h"

#include "arena.h"
#include "diag.h"
#include "media.h"
#include "thumb.h"
#include "value.h"
#include "yamlv.h"

#include <stdio.h>
#include <string.h>

static const char *const known_keys[] = {
	"title", "description", "organization", "language", "base_url",
	"theme", "markdown", "page_size", "collections", "reports", "limits",
	"timezone", "contact", "icp", "images", NULL,
};

int site_parse_timezone(const char *tz, int *offset)
{
	/* Zones with one offset all year (no daylight saving since 1991);
	 * anything that changes with the season is refused rather than
	 * guessed, since the process's TZ must not decide the output. */
	static const struct { const char *name; int hours; } zones[] = {
		{ "Asia/Shanghai", 8 }, { "Asia/Chongqing", 8 },
		{ "Asia/Harbin", 8 }, { "Asia/Hong_Kong", 8 },
		{ "Asia/Macau", 8 }, { "Asia/Taipei", 8 }, { "PRC", 8 },
		{ "UTC", 0 }, { "Etc/UTC", 0 }, { "Z", 0 }, { "GMT", 0 },
	};
	int sign, h, m = 0;
	char rest;

	for (size_t i = 0; i < sizeof(zones) / sizeof(*zones); i++)
		if (!strcmp(tz, zones[i].name)) {
			*offset = zones[i].hours * 3600;
			return 0;
		}
	if (tz[0] != '+' && tz[0] != '-')
		return -1;
	sign = tz[0] == '-' ? -1 : 1;
	if (!(sscanf(tz + 1, "%2d:%2d%c", &h, &m, &rest) == 2 ||
	      (strlen(tz) == 5 && sscanf(tz + 1, "%2d%2d%c", &h, &m, &rest) == 2) ||
	      (strlen(tz) == 3 && sscanf(tz + 1, "%2d%c", &h, &rest) == 1)))
		return -1;
	if (h > 14 || m > 59 || tz[1] < '0' || tz[1] > '9')
		return -1;
	*offset = sign * (h * 3600 + m * 60);
	return 0;
}

/* limits: { record_bytes, media_bytes, image_pixels }, each an integer from
 * 1 to its ceiling. Returns the number of errors. */
static int load_limits(const struct value *v, const char *path,
		       struct site_config *out, struct diag *d)
{
	static const struct {
		const char *key;
		unsigned long long ceiling;
	} keys[] = {
		{ "record_bytes", SITE_RECORD_BYTES_CEILING },
		{ "media_bytes", MEDIA_MAX_BYTES_CEILING },
		{ "image_pixels", MEDIA_MAX_PIXELS_CEILING },
	};
	int errors = 0;

	if (!v || v->kind == VALUE_NULL)
		return 0;
	if (v->kind != VALUE_MAP) {
		diag_error(d, path, v->line, v->col, "'limits' must be a map "
			   "(record_bytes: ..., media_bytes: ..., image_pixels: ...)");
		return 1;
	}
	for (size_t i = 0; i < v->u.map.len; i++) {
		const struct value_member *m = &v->u.map.members[i];
		size_t k = 0;
		while (k < sizeof(keys) / sizeof(*keys) && strcmp(m->key, keys[k].key))
			k++;
		if (k == sizeof(keys) / sizeof(*keys)) {
			diag_warning(d, path, m->line, m->col,
				     "unknown setting 'limits.%s'", m->key);
			continue;
		}
		if (m->val->kind != VALUE_INT || m->val->u.integer < 1 ||
		    (unsigned long long)m->val->u.integer > keys[k].ceiling) {
			diag_error(d, path, m->val->line, m->val->col,
				   "'limits.%s' must be an integer from 1 to %llu",
				   m->key, keys[k].ceiling);
			errors++;
			continue;
		}
		if (k == 0)
			out->record_bytes = (size_t)m->val->u.integer;
		else if (k == 1)
			out->media_bytes = (size_t)m->val->u.integer;
		else
			out->image_pixels = (unsigned long long)m->val->u.integer;
	}
	return errors;
}

/* Warn about the keys of map `v` (site.yaml's `section`) other than
 * `known`, its only setting. */
static void warn_unknown(const struct value *v, const char *section,
			 const char *known, const char *path, struct diag *d)
{
	for (size_t i = 0; i < v->u.map.len; i++)
		if (strcmp(v->u.map.members[i].key, known))
			diag_warning(d, path, v->u.map.members[i].line,
				     v->u.map.members[i].col,
				     "unknown setting '%s.%s'", section,
				     v->u.map.members[i].key);
}

/* images: { widths: [480, 960, 1600] }: integers from 16 to 8192, at most
 * THUMB_MAX_WIDTHS, kept sorted and distinct. Returns the number of
 * errors. */
static int load_images(const struct value *v, const char *path,
		       struct site_config *out, struct diag *d)
{
	static const unsigned long defaults[] = THUMB_DEFAULT_WIDTHS;
	const struct value *list;
	int errors = 0;

	out->nimage_widths = sizeof(defaults) / sizeof(*defaults);
	memcpy(out->image_widths, defaults, sizeof(defaults));
	if (!v || v->kind == VALUE_NULL)
		return 0;
	if (v->kind != VALUE_MAP) {
		diag_error(d, path, v->line, v->col,
			   "'images' must be a map (widths: [480, 960, 1600])");
		return 1;
	}
	warn_unknown(v, "images", "widths", path, d);
	list = value_map_get(v, "widths");
	if (!list || list->kind == VALUE_NULL)
		return 0;
	if (list->kind != VALUE_LIST ||
	    list->u.list.len > sizeof(out->image_widths) / sizeof(*out->image_widths)) {
		diag_error(d, path, list->line, list->col,
			   "'images.widths' must be a list of at most %zu widths "
			   "in pixels", sizeof(out->image_widths) /
			   sizeof(*out->image_widths));
		return 1;
	}
	out->nimage_widths = 0;
	for (size_t i = 0; i < list->u.list.len; i++) {
		const struct value *w = list->u.list.items[i];
		size_t k;
		if (w->kind != VALUE_INT || w->u.integer < 16 || w->u.integer > 8192) {
			diag_error(d, path, w->line, w->col, "'images.widths' "
				   "must hold integers from 16 to 8192");
			errors++;
			continue;
		}
		/* Insert sorted, once. */
		for (k = 0; k < out->nimage_widths &&
			    out->image_widths[k] < (unsigned long)w->u.integer; k++)
			;
		if (k < out->nimage_widths &&
		    out->image_widths[k] == (unsigned long)w->u.integer)
			continue;
		memmove(out->image_widths + k + 1, out->image_widths + k,
			(out->nimage_widths - k) * sizeof(*out->image_widths));
		out->image_widths[k] = (unsigned long)w->u.integer;
		out->nimage_widths++;
	}
	return errors;
}

static const char *get_string(const struct value *root, const char *key,
			      const char *path, const char *fallback,
			      struct diag *d, int *errors)
{
	const struct value *v = value_map_get(root, key);
	if (!v || v->kind == VALUE_NULL)
		return fallback;
	if (v->kind != VALUE_STRING) {
		diag_error(d, path, v->line, v->col,
			   "'%s' must be a string, not a %s", key,
			   value_kind_name(v->kind));
		(*errors)++;
		return fallback;
	}
	return v->u.str.ptr;
}

/* The path of an absolute URL ("https://host/a/" -> "/a/"), or the URL
 * itself when it is already a path. */
static const char *url_path(struct arena *a, const char *url)
{
	const char *p = strstr(url, "://");
	if (p) {
		p = strchr(p + 3, '/');
		return p ? arena_strdup(a, p) : "/";
	}
	return url;
}

static int is_known_key(const char *key)
{
	for (size_t i = 0; known_keys[i]; i++)
		if (!strcmp(key, known_keys[i]))
			return 1;
	return 0;
}

int site_load(struct arena *a, const char *text, size_t len, const char *path,
	      struct site_config *out, struct diag *d)
{
	struct value *root;
	const struct value *v;
	int errors = 0;

	memset(out, 0, sizeof(*out));
	out->path = path;
	out->record_bytes = SITE_RECORD_BYTES;
	out->media_bytes = MEDIA_MAX_BYTES;
	out->image_pixels = MEDIA_MAX_PIXELS;
	if (yamlv_parse(a, text, len, path, 0, d, &root) < 0)
		return -1;
	if (root->kind != VALUE_MAP) {
		diag_error(d, path, root->line, root->col,
			   "site.yaml must be a map of settings (title: ..., "
			   "base_url: ...)");
		return -1;
	}
	/* Collections are typed by the schema module, the rest by the core
	 * schema, so resolve everything but them. */
	for (size_t i = 0; i < root->u.map.len; i++) {
		struct value_member *m = &root->u.map.members[i];
		if (strcmp(m->key, "collections"))
			value_resolve_scalars(m->val);
		if (!is_known_key(m->key))
			diag_warning(d, path, m->line, m->col,
				     "unknown setting '%s'", m->key);
	}
	out->raw = root;

	out->title = get_string(root, "title", path, NULL, d, &errors);
	if (!out->title || !*out->title) {
		if (!value_map_get(root, "title"))
			diag_error(d, path, root->line, root->col,
				   "missing required setting 'title' (the site's name)");
		else if (out->title)
			diag_error(d, path, value_map_get(root, "title")->line,
				   value_map_get(root, "title")->col,
				   "'title' must not be empty");
		errors++;
	}
	out->description = get_string(root, "description", path, "", d, &errors);
	out->organization = get_string(root, "organization", path, "", d, &errors);
	out->contact = get_string(root, "contact", path, "", d, &errors);
	out->icp = get_string(root, "icp", path, "", d, &errors);
	out->theme = get_string(root, "theme", path, "default", d, &errors);

	out->language = get_string(root, "language", path, "zh-CN", d, &errors);
	if (strcmp(out->language, "zh-CN") && strcmp(out->language, "en")) {
		v = value_map_get(root, "language");
		diag_error(d, path, v->line, v->col,
			   "unsupported language '%s' (expected zh-CN or en)",
			   out->language);
		errors++;
		out->language = "zh-CN";
	}

	out->timezone = get_string(root, "timezone", path, "Asia/Shanghai", d,
				   &errors);
	if (site_parse_timezone(out->timezone, &out->utc_offset) < 0) {
		v = value_map_get(root, "timezone");
		diag_error(d, path, v->line, v->col,
			   "unknown timezone '%s' (write an offset from UTC such "
			   "as +08:00, or Asia/Shanghai or UTC)", out->timezone);
		errors++;
		out->utc_offset = 8 * 3600;
	}

	const char *base = get_string(root, "base_url", path, "/", d, &errors);
	size_t blen = strlen(base);
	v = value_map_get(root, "base_url");
	if (strncmp(base, "http://", 7) && strncmp(base, "https://", 8) &&
	    base[0] != '/') {
		diag_error(d, path, v->line, v->col,
			   "'base_url' must be an absolute URL (https://...) or "
			   "a path starting with '/', not '%s'", base);
		errors++;
		base = "/";
		blen = 1;
	}
	out->base_url = blen && base[blen - 1] == '/' ? base
			: arena_printf(a, "%s/", base);
	out->base_path = url_path(a, out->base_url);

	out->page_size = 30;
	v = value_map_get(root, "page_size");
	if (v) {
		if (v->kind != VALUE_INT || v->u.integer < 1 ||
		    v->u.integer > 100000) {
			diag_error(d, path, v->line, v->col,
				   "'page_size' must be an integer from 1 to 100000");
			errors++;
		} else {
			out->page_size = v->u.integer;
		}
	}

	v = value_map_get(root, "markdown");
	if (v && v->kind == VALUE_MAP) {
		const struct value *u = value_map_get(v, "unsafe_html");
		warn_unknown(v, "markdown", "unsafe_html", path, d);
		if (u && u->kind != VALUE_BOOL) {
			diag_error(d, path, u->line, u->col,
				   "'markdown.unsafe_html' must be true or false");
			errors++;
		} else if (u) {
			out->unsafe_html = u->u.boolean;
		}
	} else if (v && v->kind != VALUE_NULL) {
		diag_error(d, path, v->line, v->col,
			   "'markdown' must be a map (unsafe_html: false)");
		errors++;
	}

	out->report_pdf = out->report_html = 1;
	out->report_two_sided = 0;
	v = value_map_get(root, "reports");
	if (v && v->kind == VALUE_MAP) {
		for (size_t i = 0; i < v->u.map.len; i++) {
			const struct value_member *m = &v->u.map.members[i];
			int *flag = !strcmp(m->key, "pdf") ? &out->report_pdf
				    : !strcmp(m->key, "html") ? &out->report_html
				    : !strcmp(m->key, "two_sided") ? &out->report_two_sided
				    : NULL;
			if (!flag) {
				diag_warning(d, path, m->line, m->col,
					     "unknown setting 'reports.%s'", m->key);
			} else if (m->val->kind != VALUE_BOOL) {
				diag_error(d, path, m->val->line, m->val->col,
					   "'reports.%s' must be true or false", m->key);
				errors++;
			} else {
				*flag = m->val->u.boolean;
			}
		}
	} else if (v && v->kind != VALUE_NULL) {
		diag_error(d, path, v->line, v->col,
			   "'reports' must be a map (pdf: true, html: true)");
		errors++;
	}

	errors += load_limits(value_map_get(root, "limits"), path, out, d);
	errors += load_images(value_map_get(root, "images"), path, out, d);

	v = value_map_get(root, "collections");
	if (v && v->kind != VALUE_NULL) {
		if (v->kind != VALUE_MAP) {
			diag_error(d, path, v->line, v->col,
				   "'collections' must be a map of collection names");
			errors++;
		} else {
			out->collections = v;
		}
	}
	return errors ? -1 : 0;
}
