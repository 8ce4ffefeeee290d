/*
 * typeset_media: images and charts for the typesetter.
 *
 * Bytes come from the caller's hooks (the report command reads them from
 * the repository, through the media policy, or renders the chart). Before
 * any raster image is decoded, its size is read from its header and held
 * against the pixel limit (ts_info.max_pixels): a decoder allocates what
 * the header says, so a small file can ask for gigabytes. JPEG photographs
 * are decoded with gdk-pixbuf only so that Cairo has a surface of the right
 * size; the original bytes are attached as CAIRO_MIME_TYPE_JPEG, and
 * Cairo's PDF backend then embeds them untouched (DCTDecode) instead of
 * recompressing the pixels losslessly, which would make the booklet many
 * times larger. PNG goes through Cairo's own loader, GIF (its first frame)
 * through gdk-pixbuf, WebP (its first frame) through libwebp (gdk-pixbuf
 * has no WebP loader on Debian 12). SVG (charts, and SVG images) stays
 * vector: librsvg draws it on the PDF's Cairo context.
 *
 * Each distinct image is loaded once per document and shared by every
 * block that shows it.
 */
#include "typeset_internal.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <webp/decode.h>
#include <webp/demux.h>

#include "alloc.h"
#include "buf.h"
#include "diag.h"
#include "directive.h"
#include "media.h"

/* Raster images are printed at 150 dpi at most. */
#define TS_IMAGE_DPI 150.0

struct png_cursor {
	const unsigned char *p;
	size_t left;
};

static cairo_status_t png_read(void *closure, unsigned char *data, unsigned int len)
{
	struct png_cursor *c = closure;

	if (len > c->left)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, c->p, len);
	c->p += len;
	c->left -= len;
	return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *load_png(const struct buf *b, const char **why)
{
	struct png_cursor c = { (const unsigned char *)b->ptr, b->len };
	cairo_surface_t *s = cairo_image_surface_create_from_png_stream(png_read, &c);

	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		/* Cairo says "out of memory" for any libpng error, which is
		 * nearly always damaged data (the size was checked already). */
		*why = cairo_surface_status(s) == CAIRO_STATUS_NO_MEMORY ||
				       cairo_surface_status(s) == CAIRO_STATUS_READ_ERROR
			       ? "its PNG data is damaged or truncated"
			       : cairo_status_to_string(cairo_surface_status(s));
		cairo_surface_destroy(s);
		return NULL;
	}
	return s;
}

/* Copy a pixbuf into a Cairo image surface (premultiplied native-endian
 * ARGB, or RGB24 when opaque). */
static cairo_surface_t *surface_from_pixbuf(GdkPixbuf *pb)
{
	int w = gdk_pixbuf_get_width(pb), h = gdk_pixbuf_get_height(pb);
	int n = gdk_pixbuf_get_n_channels(pb), stride = gdk_pixbuf_get_rowstride(pb);
	int alpha = gdk_pixbuf_get_has_alpha(pb);
	const guchar *src = gdk_pixbuf_read_pixels(pb);
	cairo_surface_t *s = cairo_image_surface_create(
		alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, w, h);

	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		return s;
	cairo_surface_flush(s);
	unsigned char *dst = cairo_image_surface_get_data(s);
	int dstride = cairo_image_surface_get_stride(s);
	for (int y = 0; y < h; y++) {
		const guchar *p = src + (size_t)y * stride;
		uint32_t *q = (uint32_t *)(dst + (size_t)y * dstride);
		for (int x = 0; x < w; x++, p += n) {
			uint32_t a = alpha ? p[3] : 255;
			uint32_t r = p[0] * a / 255, g = p[1] * a / 255, bl = p[2] * a / 255;
			q[x] = a << 24 | r << 16 | g << 8 | bl;
		}
	}
	cairo_surface_mark_dirty(s);
	return s;
}

/* A JPEG (whose bytes are then embedded as they are) or the first frame
 * of a GIF, through gdk-pixbuf. */
static cairo_surface_t *load_pixbuf(const struct buf *b, enum media_type t,
				    const char **why, char **err)
{
	int jpeg = t == MEDIA_JPEG;
	GdkPixbufLoader *loader = gdk_pixbuf_loader_new_with_type(jpeg ? "jpeg" : "gif",
								  NULL);
	GError *e = NULL;
	cairo_surface_t *s = NULL;
	GdkPixbuf *pb;
	int ok;

	if (!loader) {
		*why = jpeg ? "no JPEG decoder (gdk-pixbuf loader 'jpeg')"
			    : "no GIF decoder (gdk-pixbuf loader 'gif')";
		return NULL;
	}
	ok = gdk_pixbuf_loader_write(loader, (const guchar *)b->ptr, b->len, &e);
	/* Close in any case: a loader must be closed before it is freed. */
	ok = gdk_pixbuf_loader_close(loader, ok ? &e : NULL) && ok;
	pb = ok ? gdk_pixbuf_loader_get_pixbuf(loader) : NULL;
	if (!pb) {
		*err = xstrdup(e ? e->message : jpeg ? "invalid JPEG data"
						     : "invalid GIF data");
		*why = *err;
		goto cleanup;
	}
	s = surface_from_pixbuf(pb);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		*why = cairo_status_to_string(cairo_surface_status(s));
		cairo_surface_destroy(s);
		s = NULL;
		goto cleanup;
	}
	if (jpeg) {
		/* The surface owns a copy of the file, freed with it. */
		unsigned char *copy = xmalloc(b->len);
		memcpy(copy, b->ptr, b->len);
		if (cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, copy,
						b->len, free, copy) != CAIRO_STATUS_SUCCESS)
			free(copy);
	}
cleanup:
	if (e)
		g_error_free(e);
	g_object_unref(loader);
	return s;
}

/* A WebP image through libwebp; of an animation, its first frame (whose
 * own bitstream libwebp's demuxer finds). */
static cairo_surface_t *load_webp(const struct buf *b, const char **why)
{
	WebPData data = { (const uint8_t *)b->ptr, b->len };
	WebPDemuxer *demux = WebPDemux(&data);
	WebPIterator it;
	int w = 0, h = 0;
	uint8_t *px = NULL;
	cairo_surface_t *s;

	if (demux && WebPDemuxGetFrame(demux, 1, &it)) {
		px = WebPDecodeBGRA(it.fragment.bytes, it.fragment.size, &w, &h);
		WebPDemuxReleaseIterator(&it);
	}
	WebPDemuxDelete(demux);
	if (!px) {
		*why = "invalid WebP data";
		return NULL;
	}
	s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		*why = cairo_status_to_string(cairo_surface_status(s));
		cairo_surface_destroy(s);
		WebPFree(px);
		return NULL;
	}
	cairo_surface_flush(s);
	unsigned char *dst = cairo_image_surface_get_data(s);
	int dstride = cairo_image_surface_get_stride(s);
	/* libwebp gives B, G, R, A bytes, not premultiplied. */
	for (int y = 0; y < h; y++) {
		const uint8_t *p = px + (size_t)y * (size_t)w * 4;
		uint32_t *q = (uint32_t *)(dst + (size_t)y * dstride);
		for (int x = 0; x < w; x++, p += 4) {
			uint32_t a = p[3];
			q[x] = a << 24 | (p[2] * a / 255) << 16 |
			       (p[1] * a / 255) << 8 | p[0] * a / 255;
		}
	}
	cairo_surface_mark_dirty(s);
	WebPFree(px);
	return s;
}

static RsvgHandle *load_svg(const struct buf *b, double *w, double *h, char **err)
{
	GError *e = NULL;
	RsvgHandle *svg = rsvg_handle_new_from_data((const guint8 *)b->ptr, b->len, &e);
	gdouble pw, ph;
	gboolean has_w, has_h, has_vb;
	RsvgLength lw, lh;
	RsvgRectangle vb;

	if (!svg) {
		*err = xstrdup(e ? e->message : "invalid SVG");
		if (e)
			g_error_free(e);
		return NULL;
	}
	rsvg_handle_set_dpi(svg, 96.0);
	if (rsvg_handle_get_intrinsic_size_in_pixels(svg, &pw, &ph) && pw > 0 && ph > 0) {
		*w = pw * 0.75; /* CSS pixels to points */
		*h = ph * 0.75;
		return svg;
	}
	rsvg_handle_get_intrinsic_dimensions(svg, &has_w, &lw, &has_h, &lh, &has_vb, &vb);
	if (has_vb && vb.width > 0 && vb.height > 0) {
		*w = vb.width * 0.75;
		*h = vb.height * 0.75;
	} else {
		*w = 400;
		*h = 300;
	}
	return svg;
}

static int looks_like_svg(const struct buf *b)
{
	size_t n = b->len < 1024 ? b->len : 1024;
	return memmem(b->ptr, n, "<svg", 4) != NULL;
}

static struct ts_image *cache_find(struct ts_doc *doc, const char *key)
{
	for (size_t i = 0; i < doc->images.len; i++)
		if (!strcmp(doc->images.v[i]->url, key))
			return doc->images.v[i];
	return NULL;
}

/* Decode `bytes` into a new image, or report why not and return NULL. */
static struct ts_image *decode(struct ts_doc *doc, const char *what, const char *name,
			       const struct buf *bytes, int line, int col)
{
	const unsigned char *p = (const unsigned char *)bytes->ptr;
	struct ts_image *img = xcalloc(1, sizeof(*img));
	enum media_type t = media_sniff(p, bytes->len);
	struct media_image_info size;
	unsigned long long max = doc->info->max_pixels ? doc->info->max_pixels
						       : MEDIA_MAX_PIXELS;
	const char *why = NULL;
	char *err = NULL;

	/* The size from the header first: nothing is decoded past the limit. */
	if (t == MEDIA_PNG || t == MEDIA_JPEG || t == MEDIA_GIF || t == MEDIA_WEBP) {
		if (media_image_header(t, p, bytes->len, &size, &why) < 0) {
			t = MEDIA_UNKNOWN;
		} else if (size.pixels > max) {
			struct buf msg = BUF_INIT;
			buf_printf(&msg, "%lux%lu pixels", size.width, size.height);
			if (size.frames > 1)
				buf_printf(&msg, " x %lu frames", size.frames);
			buf_printf(&msg, ", over the limit of %llu pixels", max);
			err = buf_detach(&msg, NULL);
			why = err;
			t = MEDIA_UNKNOWN;
		}
	}
	if (t == MEDIA_PNG) {
		img->surface = load_png(bytes, &why);
	} else if (t == MEDIA_JPEG || t == MEDIA_GIF) {
		img->surface = load_pixbuf(bytes, t, &why, &err);
	} else if (t == MEDIA_WEBP) {
		img->surface = load_webp(bytes, &why);
	} else if (why) {
		/* refused above */
	} else if (looks_like_svg(bytes)) {
		img->svg = load_svg(bytes, &img->w, &img->h, &err);
		why = err;
	} else {
		why = "not a JPEG, PNG, GIF, WebP or SVG file";
	}
	if (img->surface) {
		img->w = cairo_image_surface_get_width(img->surface) * 72.0 / TS_IMAGE_DPI;
		img->h = cairo_image_surface_get_height(img->surface) * 72.0 / TS_IMAGE_DPI;
	}
	if (!img->surface && !img->svg) {
		/* "repo:" is the booklet's internal scheme for committed files. */
		diag_error(doc->d, doc->path, (unsigned)line, (unsigned)col,
			   "cannot read %s '%s': %s", what,
			   strncmp(name, "repo:", 5) ? name : name + 5,
			   why ? why : "unknown error");
		doc->errors++;
		free(err);
		free(img);
		return NULL;
	}
	free(err);
	return img;
}

/* An image by URL, or (`chart` not NULL) the chart of a directive. */
static struct ts_image *get(struct ts_doc *doc, const struct directive *chart,
			    const char *name, int line, int col)
{
	struct buf key = BUF_INIT, bytes = BUF_INIT;
	struct ts_image *img = NULL;
	const char *what = chart ? "chart" : "image";
	int rc;

	buf_printf(&key, "%s:%s", what, name);
	img = cache_find(doc, key.ptr);
	if (img)
		goto cleanup;
	if (chart)
		rc = doc->hooks && doc->hooks->chart
			? doc->hooks->chart(doc->hooks->ctx, chart, &bytes) : -1;
	else
		rc = doc->hooks && doc->hooks->image
			? doc->hooks->image(doc->hooks->ctx, name, &bytes) : -1;
	if (rc < 0) {
		diag_error(doc->d, doc->path, (unsigned)line, (unsigned)col,
			   "%s '%s' not found", what, name);
		doc->errors++;
		goto cleanup;
	}
	if (chart && !looks_like_svg(&bytes)) {
		diag_error(doc->d, doc->path, (unsigned)line, (unsigned)col,
			   "cannot read chart '%s': not an SVG document", name);
		doc->errors++;
		goto cleanup;
	}
	img = decode(doc, what, name, &bytes, line, col);
	if (img) {
		img->url = buf_detach(&key, NULL);
		*TS_PUSH(doc->images) = img;
	}
cleanup:
	buf_release(&key);
	buf_release(&bytes);
	return img;
}

struct ts_image *ts_image_get(struct ts_doc *doc, const char *url, int line, int col)
{
	return get(doc, NULL, url, line, col);
}

struct ts_image *ts_chart_get(struct ts_doc *doc, const struct directive *dir)
{
	struct buf name = BUF_INIT;
	struct ts_image *img;

	/* As written (and one cache entry per figure and style). */
	buf_puts(&name, dir->figure);
	if (dir->style != DIRECTIVE_BAR)
		buf_printf(&name, " %s", directive_style_name(dir->style));
	img = get(doc, dir, name.ptr, (int)dir->line, (int)dir->col);
	buf_release(&name);
	return img;
}

void ts_image_free(struct ts_image *img)
{
	if (!img)
		return;
	if (img->surface)
		cairo_surface_destroy(img->surface);
	if (img->svg)
		g_object_unref(img->svg);
	free(img->url);
	free(img);
}

void ts_media_draw(cairo_t *cr, const struct ts_image *img, double x, double y,
		   double w, double h)
{
	if (img->svg) {
		RsvgRectangle vp = { x, y, w, h };
		GError *e = NULL;
		cairo_save(cr);
		if (!rsvg_handle_render_document(img->svg, cr, &vp, &e) && e)
			g_error_free(e); /* what could be drawn is drawn */
		cairo_restore(cr);
		return;
	}
	int pw = cairo_image_surface_get_width(img->surface);
	int ph = cairo_image_surface_get_height(img->surface);
	if (pw <= 0 || ph <= 0)
		return;
	cairo_save(cr);
	cairo_translate(cr, x, y);
	cairo_scale(cr, w / pw, h / ph);
	cairo_set_source_surface(cr, img->surface, 0, 0);
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
	cairo_rectangle(cr, 0, 0, pw, ph);
	cairo_fill(cr);
	cairo_restore(cr);
}

void ts_placeholder_draw(struct ts_doc *doc, cairo_t *cr, const char *label,
			 double x, double y, double w, double h)
{
	static const double dash[] = { 4, 3 };
	struct ts_text t;

	cairo_save(cr);
	cairo_rectangle(cr, x + 0.5, y + 0.5, w - 1, h - 1);
	cairo_set_source_rgb(cr, 0.96, 0.96, 0.96);
	cairo_fill_preserve(cr);
	cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
	cairo_set_line_width(cr, 0.8);
	cairo_set_dash(cr, dash, 2, 0);
	cairo_stroke(cr);
	ts_text_plain(doc, &t, label, TS_S_CAPTION, w - 16, TS_T_CENTER);
	cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
	ts_text_draw(cr, &t, 0, t.nlines, x + 8, y + (h - t.height) / 2);
	ts_text_release(&t);
	cairo_restore(cr);
}
