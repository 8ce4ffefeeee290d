/*
 * thumb: smaller copies of the raster images a site shows, made with
 * libvips, so that a page downloads what it displays and does not jump
 * while images arrive.
 *
 * For every published JPEG, PNG, GIF or WebP that a page shows (an image
 * field of the front matter, a Markdown image), once per build whatever
 * the number of pages that show it:
 *
 *   - its size as the browser shows it (the header's, turned by a JPEG's
 *     EXIF orientation), for the width and height attributes;
 *   - a copy at each width of site.yaml's `images.widths` that is smaller
 *     than the image (never larger: a 240-pixel image gets none and is
 *     shown at 240 pixels at most), as WebP and in a format every browser
 *     reads (JPEG for a JPEG, PNG for a PNG or GIF; a WebP needs no
 *     second format);
 *   - a WebP at its own width, when that is not over the largest width
 *     and the WebP is smaller than the original.
 *
 * An animation (frames > 1) gets its size only: a still copy would lose
 * it. SVG is left as it is.
 *
 * Files are named by content: media/_thumbs/<blob id>-<width>-<recipe>.<ext>,
 * where the recipe is a hash of everything else that shapes the bytes
 * (libvips' version, the encoders' settings). The same image used by many
 * records, or committed under two names, is one set of files; a rebuild
 * finds the files in the previous output under the same names and links
 * them (write_reuse()) instead of decoding and encoding again. Encoding is
 * deterministic (fixed settings, metadata stripped), so a file made again
 * has the same bytes.
 *
 * Hostile input: an image reaches libvips only after the media policy has
 * let it through (media.h), its pixel count read from its header; libvips'
 * own reading of the header must agree before any pixel is decoded, and
 * decoding stops at the first error (a truncated or damaged file). A file
 * libvips cannot decode is an error that the caller reports at the field
 * or the Markdown image that shows it.
 *
 * Thread safety: thumb_use() and thumb_find() may be called by render
 * workers at once; the first caller of an image makes its files on its own
 * thread (so images are encoded in parallel, by as many threads as render
 * pages), later callers of the same image wait for it.
 * Ownership: the set owns every image and string it returns, until
 * thumb_set_free().
 */
#ifndef SHOWCASE_THUMB_H
#define SHOWCASE_THUMB_H

#include <stddef.h>

struct arena;
struct buf;
struct diag;
struct repo_snapshot;
struct value;
struct writer;

/* Derived files go under this folder of the output. Repository files
 * under the same path are never published (media_check_name()). */
#define THUMB_DIR "media/_thumbs"
/* The widths site.yaml gives when it says nothing (images.widths): a card
 * at 1x, the reading column at 1x and 2x. */
#define THUMB_DEFAULT_WIDTHS { 480, 960, 1600 }
#define THUMB_MAX_WIDTHS 8
/* The `sizes` of images in the reading column of the default theme. */
#define THUMB_SIZES "(min-width: 46em) 42.5em, calc(100vw - 2.5rem)"

struct thumb_file {
	unsigned long width;
	const char *path; /* under the output folder; NULL: the original */
};

struct thumb_image {
	unsigned long width, height; /* as shown; 0 for SVG */
	const char *error;           /* NULL, or why it cannot be shown */
	struct thumb_file webp[THUMB_MAX_WIDTHS + 1], img[THUMB_MAX_WIDTHS + 1];
	size_t nwebp, nimg;          /* ascending widths */
};

struct thumb_config {
	unsigned long widths[THUMB_MAX_WIDTHS]; /* ascending, distinct */
	size_t nwidths;
	unsigned long long max_pixels;          /* limits.image_pixels */
	const char *base_path;                  /* the site's, for URLs */
};

struct thumb_set;

/* A set for one build writing into `w` (NULL: sizes only, no files). */
struct thumb_set *thumb_set_new(const struct thumb_config *cfg,
				const struct repo_snapshot *snap,
				struct writer *w);
void thumb_set_free(struct thumb_set *ts);

/*
 * The image at `repo_path`, which the media policy has let through, as a
 * page shows it: made (or carried over) on first use. Never NULL; its
 * `error` says when libvips could not read it (the caller reports it after
 * the file's name, as media_policy_check()'s reasons). A failure to write
 * a file is reported to `d` as a system error.
 */
const struct thumb_image *thumb_use(struct thumb_set *ts,
				    const char *repo_path, struct diag *d);

/* The image at `repo_path` if thumb_use() has finished it without error,
 * else NULL; never waits. */
const struct thumb_image *thumb_find(struct thumb_set *ts,
				     const char *repo_path);

/* "URL 480w, URL 960w" of `n` files (a NULL path is `original`), into
 * `out`; nothing when n < 2... see thumb.c. */
void thumb_srcset(const struct thumb_set *ts, const struct thumb_file *f,
		  size_t n, const char *original, struct buf *out);

/*
 * The HTML of image `im` whose original is at URL `src`: a <picture> with
 * a WebP <source> when there are WebP files, and an <img> with srcset,
 * sizes, width and height, loading="lazy" and decoding="async". `alt` and
 * `title` (NULL: none) are plain text, escaped here.
 */
void thumb_html(const struct thumb_set *ts, const struct thumb_image *im,
		const char *src, const char *alt, const char *title,
		struct buf *out);

/*
 * The image for templates, into `a`: {src, width, height, srcset,
 * webp_srcset, sizes, thumb, thumb_webp}; `thumb` is the smallest file (a
 * card's), the keys without a value are left out. NULL when `im` is NULL.
 */
struct value *thumb_value(const struct thumb_set *ts, struct arena *a,
			  const struct thumb_image *im, const char *src);

/* Shut libvips down, if it was started; registered with atexit(). */
void thumb_shutdown(void);

/* libvips' version, for the manifest's key (thumbnail bytes depend on
 * it); needs no start. */
const char *thumb_library_version(void);

#endif
