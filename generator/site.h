/*
 * site: the site configuration, site.yaml at the root of the site.
 *
 * site.yaml says what the site is called, where it is served from, its
 * language, and how the theme's schema is extended (its `collections` map is
 * handed to the schema module as is). Unknown keys are warned about, wrong
 * types are content errors with the line and column in site.yaml.
 *
 * Ownership: every string points into the arena given to site_load().
 */
#ifndef SHOWCASE_SITE_H
#define SHOWCASE_SITE_H

#include <stddef.h>

struct arena;
struct diag;
struct value;

/* Default and largest `limits.record_bytes`: a record of 1 MiB is a book
 * of some 300,000 Chinese characters; the Markdown and YAML parsers must
 * never see more than this from one file. */
#define SITE_RECORD_BYTES ((size_t)1 << 20)
#define SITE_RECORD_BYTES_CEILING ((size_t)64 << 20)

struct site_config {
	const char *path;         /* "site.yaml", for diagnostics */
	const char *title;
	const char *description;  /* "" when absent */
	const char *organization; /* "" when absent */
	const char *contact;      /* footer contact line, "" when absent */
	const char *icp;          /* ICP filing number (备案号), "" when absent */
	const char *language;     /* "zh-CN" (default) or "en" */
	const char *base_url;     /* ends with '/'; "/" when absent */
	const char *base_path;    /* path part of base_url, starts and ends with '/' */
	const char *theme;        /* theme name, "default" when absent */
	int unsafe_html;          /* markdown.unsafe_html */
	int report_pdf;           /* reports.pdf: build writes booklets (default 1) */
	int report_html;          /* reports.html: and their print HTML (default 1) */
	int report_two_sided;     /* reports.two_sided: booklets for printing on both
				   * sides (docs/REPORT.md; default 0) */
	long long page_size;      /* records per list page */
	/* timezone: dates shown on the site (published, updated, the build
	 * date) are days of this fixed offset from UTC, in seconds; default
	 * +08:00, Beijing time, which all of China keeps. */
	const char *timezone;     /* as written, "Asia/Shanghai" by default */
	int utc_offset;
	/* limits: (the defaults and ceilings are in media.h and below) */
	size_t record_bytes;      /* largest record file (.md) */
	size_t media_bytes;       /* largest published file */
	unsigned long long image_pixels; /* largest image: width x height x frames */
	/* images.widths: the widths of the smaller copies of raster images
	 * (thumb.h), ascending and distinct; THUMB_DEFAULT_WIDTHS when absent,
	 * none for an empty list */
	unsigned long image_widths[8]; /* THUMB_MAX_WIDTHS */
	size_t nimage_widths;
	const struct value *collections; /* schema extension, or NULL */
	const struct value *raw;  /* the whole file, typed by the core schema */
};

/* The offset from UTC in seconds of `tz`: "+08:00", "-05:30", "+0800",
 * "UTC", "Z", or a zone name that keeps a fixed offset (Asia/Shanghai,
 * Asia/Chongqing, Asia/Harbin, Asia/Hong_Kong, Asia/Macau, Asia/Taipei,
 * PRC, Etc/UTC). Returns 0, or -1 for anything else. */
int site_parse_timezone(const char *tz, int *offset);

/* Parse and check site.yaml. Returns 0, or -1 after reporting errors. */
int site_load(struct arena *a, const char *text, size_t len, const char *path,
	      struct site_config *out, struct diag *d);

#endif
