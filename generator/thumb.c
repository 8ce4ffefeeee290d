/*
 * thumb: derived sizes of published images through libvips; see thumb.h.
 */
#include "thumb.h"

#include "alloc.h"
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "media.h"
#include "repo.h"
#include "strmap.h"
#include "value.h"
#include "write.h"

#include <vips/vips.h>

#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Encoder settings: fixed, so that the same image gives the same bytes.
 * They are part of the recipe hashed into every file name: change one and
 * no file of an older build is taken for this one's. */
#define WEBP_Q 80
#define WEBP_EFFORT 4
#define JPEG_Q 82
#define PNG_COMPRESSION 6
#define RECIPE "showcase-thumb/1 webp Q80 effort4 jpeg Q82 optimize png c6 strip srgb"

/* Longest output path: THUMB_DIR "/" 40 hex "-" width "-" 8 hex ".webp". */
#define PATH_MAX_LEN 96

struct entry {
	struct thumb_image im;
	int ready;
	char paths[2 * (THUMB_MAX_WIDTHS + 1)][PATH_MAX_LEN];
};

struct thumb_set {
	struct thumb_config cfg;
	const struct repo_snapshot *snap;
	struct writer *w;
	pthread_mutex_t lock;
	pthread_cond_t ready;
	struct strmap by_oid; /* blob id -> struct entry */
	struct arena arena;   /* keys and entries */
};

/* ---- libvips, once per process ---- */

static pthread_once_t vips_once = PTHREAD_ONCE_INIT;
static int vips_started;
static char recipe[9]; /* 8 hex digits of the recipe and libvips' version */

/* libvips warns on stderr (through GLib) about every damaged tile; what
 * matters reaches the caller as an error. */
static void quiet(const char *domain, GLogLevelFlags level, const char *msg,
		  void *data)
{
}

static void start_vips(void)
{
	struct buf r = BUF_INIT;
	uint32_t h = 2166136261u; /* FNV-1a */

	if (VIPS_INIT("showcase"))
		return;
	/* Only the four loaders the media policy lets through are wanted;
	 * this shuts the ones libvips marks unsafe for untrusted input
	 * (ImageMagick, MATLAB, ...) in case a file sniffs as one. */
	vips_block_untrusted_set(TRUE);
	/* Each image is decoded once: nothing to cache. The render workers
	 * already run one image each at a time: one thread per pipeline. */
	vips_cache_set_max(0);
	vips_concurrency_set(1);
	g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE |
			  G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG, quiet, NULL);
	buf_printf(&r, "%s vips %s", RECIPE, vips_version_string());
	for (size_t i = 0; i < r.len; i++)
		h = (h ^ (unsigned char)r.ptr[i]) * 16777619u;
	snprintf(recipe, sizeof(recipe), "%08x", (unsigned)h);
	buf_release(&r);
	vips_started = 1;
	atexit(thumb_shutdown);
}

const char *thumb_library_version(void)
{
	return vips_version_string();
}

void thumb_shutdown(void)
{
	if (vips_started) {
		vips_started = 0;
		vips_shutdown();
	}
}

/* What libvips said about the last failure on this thread, as one line. */
static void vips_reason(struct buf *why, const char *doing)
{
	char *msg = vips_error_buffer_copy();
	size_t n = strcspn(msg, "\n");

	while (n && (msg[n - 1] == ' ' || msg[n - 1] == '.'))
		n--;
	buf_printf(why, "cannot be %s (libvips: %.*s)", doing, (int)n,
		   n ? msg : "unknown error");
	g_free(msg);
}

/* ---- the set ---- */

struct thumb_set *thumb_set_new(const struct thumb_config *cfg,
				const struct repo_snapshot *snap,
				struct writer *w)
{
	struct thumb_set *ts = xcalloc(1, sizeof(*ts));

	ts->cfg = *cfg;
	ts->snap = snap;
	ts->w = w;
	if (pthread_mutex_init(&ts->lock, NULL) ||
	    pthread_cond_init(&ts->ready, NULL))
		BUG("cannot initialise a mutex");
	arena_init(&ts->arena);
	return ts;
}

void thumb_set_free(struct thumb_set *ts)
{
	if (!ts)
		return;
	strmap_release(&ts->by_oid);
	arena_release(&ts->arena);
	pthread_cond_destroy(&ts->ready);
	pthread_mutex_destroy(&ts->lock);
	free(ts);
}

/* ---- making the files of one image ---- */

enum format { WEBP, JPEG, PNG };

static const char *const extension[] = { "webp", "jpg", "png" };

static int save(VipsImage *img, enum format fmt, void **data, size_t *len)
{
	switch (fmt) {
	case WEBP:
		return vips_webpsave_buffer(img, data, len, "Q", WEBP_Q,
					    "effort", WEBP_EFFORT, "strip", TRUE,
					    NULL);
	case JPEG:
		return vips_jpegsave_buffer(img, data, len, "Q", JPEG_Q,
					    "optimize_coding", TRUE,
					    "strip", TRUE, NULL);
	default:
		return vips_pngsave_buffer(img, data, len, "compression",
					   PNG_COMPRESSION, "strip", TRUE, NULL);
	}
}

/* A file of the previous output that a write cut short is empty. */
static int not_empty(void *ctx, const struct stat *st)
{
	return st->st_size > 0;
}

/* Is `path` already in the new output (carried over by someone else), or
 * can it be linked from the previous one? 1 when it is there now, 0 when
 * it must be made, -1 after reporting a system error. */
static int carried(struct writer *w, const char *path, struct diag *d)
{
	struct stat st;

	if (!fstatat(write_scratch_fd(w), path, &st, AT_SYMLINK_NOFOLLOW))
		return 1;
	/* Named by content: a file of that name holds these bytes (the
	 * previous output is showcase's, swapped in whole). */
	return write_reuse_if(w, path, not_empty, NULL, d);
}

/* Decode `p` straight to `width` (every file from the original, so its
 * bytes depend on nothing else) and save it as WebP at `webp_path` and,
 * unless NULL, in `other` at `other_path`, writing what is not carried
 * over. With `webp_max`, the WebP is kept only when smaller than that
 * (*webp_kept says): a small, well-compressed original can be the lighter.
 * Returns 0, 1 with *why set when libvips fails, or -1 after reporting a
 * system error. */
static int make_width(struct thumb_set *ts, const unsigned char *p, size_t n,
		      unsigned long width, const char *webp_path,
		      const char *other_path, enum format other,
		      size_t webp_max, int *webp_kept, struct buf *why,
		      struct diag *d)
{
	const char *paths[2] = { webp_path, other_path };
	enum format fmts[2] = { WEBP, other };
	int todo[2] = { 0, 0 };
	VipsImage *t = NULL, *mem = NULL;
	int rc = 0;

	/* A WebP in the previous output was kept: its bytes are the same. */
	*webp_kept = 1;
	for (int i = 0; i < 2; i++) {
		if (!paths[i])
			continue;
		int c = carried(ts->w, paths[i], d);
		if (c < 0)
			return -1;
		todo[i] = !c;
	}
	if (!todo[0] && !todo[1])
		return 0;
	/* fail_on=error: a truncated or damaged file stops the decoder
	 * instead of giving grey rows. The colours are turned to sRGB, so
	 * that stripping the ICC profile loses nothing. */
	if (vips_thumbnail_buffer((void *)p, n, &t, (int)width,
				  "height", VIPS_MAX_COORD,
				  "size", VIPS_SIZE_DOWN,
				  "export_profile", "srgb",
				  "option_string", "fail_on=error", NULL) ||
	    !(mem = vips_image_copy_memory(t))) {
		vips_reason(why, "decoded");
		rc = 1;
		goto done;
	}
	for (int i = 0; i < 2 && !rc; i++) {
		void *data = NULL;
		size_t len = 0;
		if (!todo[i])
			continue;
		if (save(mem, fmts[i], &data, &len)) {
			vips_reason(why, "encoded");
			rc = 1;
		} else if (!i && webp_max && len >= webp_max) {
			*webp_kept = 0;
		} else if (write_file(ts->w, paths[i], data, len, d) < 0) {
			rc = -1;
		}
		g_free(data);
	}
done:
	if (mem)
		g_object_unref(mem);
	if (t)
		g_object_unref(t);
	return rc;
}

/* libvips reads the header itself before anything is decoded: its size
 * must be within the limit too (it is the one that allocates), and its
 * loader the one for the type the policy checked. */
static int vips_header(struct thumb_set *ts, enum media_type type,
		       const unsigned char *p, size_t n, unsigned long *w,
		       unsigned long *h, int *swap, struct buf *why)
{
	static const char *const loader_of[] = {
		[MEDIA_JPEG] = "jpeg", [MEDIA_PNG] = "png",
		[MEDIA_GIF] = "gif", [MEDIA_WEBP] = "webp",
	};
	const char *loader = vips_foreign_find_load_buffer(p, n);
	VipsImage *img;
	char lower[64];
	size_t i;

	for (i = 0; loader && loader[i] && i < sizeof(lower) - 1; i++)
		lower[i] = (char)(loader[i] >= 'A' && loader[i] <= 'Z' ?
				  loader[i] - 'A' + 'a' : loader[i]);
	lower[loader ? i : 0] = '\0';
	if (!loader || !strstr(lower, loader_of[type])) {
		buf_printf(why, "cannot be decoded (libvips reads it as %s, "
			   "not %s)", loader ? loader : "nothing it knows",
			   media_type_name(type));
		vips_error_clear();
		return -1;
	}
	if (!(img = vips_image_new_from_buffer(p, n, "", "access",
					       VIPS_ACCESS_SEQUENTIAL, NULL))) {
		vips_reason(why, "decoded");
		return -1;
	}
	*w = (unsigned long)vips_image_get_width(img);
	*h = (unsigned long)vips_image_get_height(img);
	*swap = vips_image_get_orientation_swap(img);
	g_object_unref(img);
	if ((unsigned long long)*w * *h > ts->cfg.max_pixels) {
		buf_printf(why, "is %lux%lu pixels as libvips reads it, over "
			   "the limit of %llu pixels (limits.image_pixels in "
			   "site.yaml)", *w, *h, ts->cfg.max_pixels);
		return -1;
	}
	return 0;
}

/* Plan and make the files of entry `e` for blob `f`. Returns 0 (with
 * e->im.error set when libvips cannot read it), or -1 after reporting a
 * system error. */
static int make(struct thumb_set *ts, struct entry *e,
		const struct repo_file *f, struct buf *why, struct diag *d)
{
	enum media_type type = media_type_from_name(f->path);
	struct thumb_image *im = &e->im;
	struct media_image_info info;
	struct buf bytes = BUF_INIT;
	const unsigned char *p;
	const char *reason;
	unsigned long w, h, largest;
	int swap = 0, rc = 0, kept;
	size_t k = 0;

	if (type == MEDIA_SVG || !media_type_is_image(type))
		return 0;
	/* libvips starts when the first image needs it: starting it costs
	 * a tenth of a second, which a site without images never pays. */
	pthread_once(&vips_once, start_vips);
	if (!vips_started) {
		buf_puts(why, "cannot be resized (libvips did not start)");
		return 0;
	}
	if (repo_snapshot_read(ts->snap, f, &bytes, d) < 0) {
		buf_puts(why, "cannot be read");
		goto out;
	}
	p = (const unsigned char *)bytes.ptr;
	if (media_image_header(type, p, bytes.len, &info, &reason) < 0) {
		buf_puts(why, reason); /* the policy let it through: no */
		goto out;
	}
	if (info.pixels > ts->cfg.max_pixels) {
		buf_puts(why, "is over limits.image_pixels");
		goto out;
	}
	if (vips_header(ts, type, p, bytes.len, &w, &h, &swap, why) < 0)
		goto out;
	im->width = swap ? h : w;
	im->height = swap ? w : h;
	if (info.frames > 1 || !ts->w)
		goto out; /* an animation is shown as it is */

	largest = ts->cfg.nwidths ? ts->cfg.widths[ts->cfg.nwidths - 1] : 0;
	for (size_t i = 0; i <= ts->cfg.nwidths; i++) {
		/* The configured widths below the image's own, then its own
		 * width as WebP when that is no larger than the largest. */
		unsigned long width = i < ts->cfg.nwidths ? ts->cfg.widths[i]
							 : im->width;
		int own = i == ts->cfg.nwidths;
		enum format other = type == MEDIA_JPEG ? JPEG : PNG;
		char *webp = e->paths[k++], *alt = e->paths[k++];

		if (own ? type == MEDIA_WEBP || width > largest
			: width >= im->width)
			continue;
		snprintf(webp, PATH_MAX_LEN, THUMB_DIR "/%s-%lu-%s.webp",
			 f->oid, width, recipe);
		snprintf(alt, PATH_MAX_LEN, THUMB_DIR "/%s-%lu-%s.%s", f->oid,
			 width, recipe, extension[other]);
		/* A WebP needs no second format; nor does the WebP at the
		 * image's own width (the original is that). */
		rc = make_width(ts, p, bytes.len, width, webp,
				own || type == MEDIA_WEBP ? NULL : alt, other,
				own ? f->size : 0, &kept, why, d);
		if (rc)
			break;
		if (kept)
			im->webp[im->nwebp++] = (struct thumb_file){ width, webp };
		if (!own)
			im->img[im->nimg++] = (struct thumb_file){
				width, type == MEDIA_WEBP ? webp : alt };
	}
	if (rc > 0)
		im->nwebp = im->nimg = 0;
	else if (!rc)
		im->img[im->nimg++] = (struct thumb_file){ im->width, NULL };
	/* A WebP original is its own <source>. */
	if (type == MEDIA_WEBP)
		im->nwebp = 0;
out:
	buf_release(&bytes);
	return rc < 0 ? -1 : 0;
}

const struct thumb_image *thumb_use(struct thumb_set *ts,
				    const char *repo_path, struct diag *d)
{
	static const struct thumb_image missing = {
		.error = "is not in the repository",
	};
	const struct repo_file *f = repo_snapshot_find(ts->snap, repo_path);
	struct entry *e;

	if (!f)
		return &missing;
	pthread_mutex_lock(&ts->lock);
	e = strmap_get(&ts->by_oid, f->oid);
	if (e) {
		while (!e->ready)
			pthread_cond_wait(&ts->ready, &ts->lock);
		pthread_mutex_unlock(&ts->lock);
		return &e->im;
	}
	e = arena_calloc(&ts->arena, 1, sizeof(*e));
	strmap_put(&ts->by_oid, arena_strdup(&ts->arena, f->oid), e);
	pthread_mutex_unlock(&ts->lock);

	/* Unlocked: other images are made on other threads meanwhile. */
	struct buf why = BUF_INIT;
	make(ts, e, f, &why, d);

	pthread_mutex_lock(&ts->lock);
	if (why.len)
		e->im.error = arena_strdup(&ts->arena, why.ptr);
	e->ready = 1;
	pthread_cond_broadcast(&ts->ready);
	pthread_mutex_unlock(&ts->lock);
	buf_release(&why);
	return &e->im;
}

const struct thumb_image *thumb_find(struct thumb_set *ts,
				     const char *repo_path)
{
	const struct repo_file *f = ts ? repo_snapshot_find(ts->snap, repo_path)
				       : NULL;
	struct entry *e;
	int ok;

	if (!f)
		return NULL;
	pthread_mutex_lock(&ts->lock);
	e = strmap_get(&ts->by_oid, f->oid);
	ok = e && e->ready && !e->im.error && e->im.width;
	pthread_mutex_unlock(&ts->lock);
	return ok ? &e->im : NULL;
}

/* ---- markup ---- */

/* A URL as a srcset candidate: the characters that split candidates
 * (white space, and commas) percent-encoded. */
static void add_candidate_url(struct buf *out, const char *url)
{
	for (; *url; url++) {
		if (*url == ' ' || *url == ',' || *url == '\t' ||
		    *url == '\n' || *url == '\r' || *url == '\f')
			buf_printf(out, "%%%02X", (unsigned char)*url);
		else
			buf_putc(out, *url);
	}
}

void thumb_srcset(const struct thumb_set *ts, const struct thumb_file *f,
		  size_t n, const char *original, struct buf *out)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(out, ", ");
		if (f[i].path) {
			buf_puts(out, ts->cfg.base_path);
			buf_puts(out, f[i].path);
		} else {
			add_candidate_url(out, original);
		}
		buf_printf(out, " %luw", f[i].width);
	}
}

static void attr(struct buf *out, const char *name, const char *value,
		 size_t len)
{
	buf_printf(out, " %s=\"", name);
	buf_add_html_escaped(out, value, len);
	buf_putc(out, '"');
}

void thumb_html(const struct thumb_set *ts, const struct thumb_image *im,
		const char *src, const char *alt, const char *title,
		struct buf *out)
{
	struct buf set = BUF_INIT;

	if (im->nwebp) {
		thumb_srcset(ts, im->webp, im->nwebp, src, &set);
		buf_puts(out, "<picture><source type=\"image/webp\"");
		attr(out, "srcset", set.ptr, set.len);
		attr(out, "sizes", THUMB_SIZES, strlen(THUMB_SIZES));
		buf_putc(out, '>');
	}
	buf_puts(out, "<img");
	attr(out, "src", src, strlen(src));
	if (im->nimg > 1) {
		buf_reset(&set);
		thumb_srcset(ts, im->img, im->nimg, src, &set);
		attr(out, "srcset", set.ptr, set.len);
		attr(out, "sizes", THUMB_SIZES, strlen(THUMB_SIZES));
	}
	buf_printf(out, " width=\"%lu\" height=\"%lu\"", im->width, im->height);
	attr(out, "alt", alt, strlen(alt));
	if (title && *title)
		attr(out, "title", title, strlen(title));
	buf_puts(out, " loading=\"lazy\" decoding=\"async\">");
	if (im->nwebp)
		buf_puts(out, "</picture>");
	buf_release(&set);
}

struct value *thumb_value(const struct thumb_set *ts, struct arena *a,
			  const struct thumb_image *im, const char *src)
{
	struct value *v;
	struct buf set = BUF_INIT;

	if (!im)
		return NULL;
	v = value_map_sized(a, 8);
	value_map_set(a, v, "src", value_cstring_ref(a, src));
	value_map_set(a, v, "width", value_int(a, (long long)im->width));
	value_map_set(a, v, "height", value_int(a, (long long)im->height));
	value_map_set(a, v, "sizes", value_cstring_ref(a, THUMB_SIZES));
	if (im->nimg > 1) {
		thumb_srcset(ts, im->img, im->nimg, src, &set);
		value_map_set(a, v, "srcset", value_string(a, set.ptr, set.len));
	}
	if (im->nwebp) {
		buf_reset(&set);
		thumb_srcset(ts, im->webp, im->nwebp, src, &set);
		value_map_set(a, v, "webp_srcset", value_string(a, set.ptr, set.len));
		value_map_set(a, v, "thumb_webp", value_cstring(a, arena_printf(
			a, "%s%s", ts->cfg.base_path, im->webp[0].path)));
	}
	value_map_set(a, v, "thumb", im->nimg && im->img[0].path ?
		      value_cstring(a, arena_printf(a, "%s%s", ts->cfg.base_path,
						    im->img[0].path)) :
		      value_cstring_ref(a, src));
	buf_release(&set);
	return v;
}
