/*
 * media: the publishing policy for linked files; see media.h. The image
 * header readers are in media_image.c, the SVG scanner in media_svg.c.
 */
#include "media.h"

#include "alloc.h"
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "repo.h"
#include "strmap.h"

#include <string.h>
#include <strings.h>

static const struct {
	const char *ext;
	enum media_type type;
} extensions[] = {
	{ "jpg", MEDIA_JPEG }, { "jpeg", MEDIA_JPEG }, { "png", MEDIA_PNG },
	{ "gif", MEDIA_GIF }, { "webp", MEDIA_WEBP }, { "svg", MEDIA_SVG },
	{ "pdf", MEDIA_PDF },
	{ "doc", MEDIA_OLE }, { "xls", MEDIA_OLE }, { "ppt", MEDIA_OLE },
	{ "docx", MEDIA_OOXML }, { "xlsx", MEDIA_OOXML }, { "pptx", MEDIA_OOXML },
};

#define PUBLISHED_TYPES "images (.jpg .jpeg .png .gif .webp .svg), PDF " \
			"or office documents (.doc .docx .xls .xlsx .ppt .pptx)"

/* The extension of the last segment of `path` (after its last '.'), or
 * NULL. A leading '.' starts no extension. */
static const char *extension_of(const char *path)
{
	const char *base = strrchr(path, '/'), *dot;
	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	return dot && dot != base ? dot + 1 : NULL;
}

enum media_type media_type_from_name(const char *path)
{
	const char *ext = extension_of(path);
	if (!ext)
		return MEDIA_UNKNOWN;
	for (size_t i = 0; i < sizeof(extensions) / sizeof(*extensions); i++)
		if (!strcasecmp(ext, extensions[i].ext))
			return extensions[i].type;
	return MEDIA_UNKNOWN;
}

int media_type_is_image(enum media_type t)
{
	return t == MEDIA_JPEG || t == MEDIA_PNG || t == MEDIA_GIF ||
	       t == MEDIA_WEBP || t == MEDIA_SVG;
}

const char *media_type_name(enum media_type t)
{
	switch (t) {
	case MEDIA_JPEG: return "JPEG";
	case MEDIA_PNG: return "PNG";
	case MEDIA_GIF: return "GIF";
	case MEDIA_WEBP: return "WebP";
	case MEDIA_SVG: return "SVG";
	case MEDIA_PDF: return "PDF";
	case MEDIA_OLE: return "Office 97-2003 (.doc .xls .ppt)";
	case MEDIA_OOXML: return "Office Open XML (.docx .xlsx .pptx)";
	default: return "unknown";
	}
}

enum media_type media_sniff(const unsigned char *p, size_t n)
{
	if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return MEDIA_JPEG;
	if (n >= 8 && !memcmp(p, "\x89PNG\r\n\x1a\n", 8))
		return MEDIA_PNG;
	if (n >= 6 && (!memcmp(p, "GIF87a", 6) || !memcmp(p, "GIF89a", 6)))
		return MEDIA_GIF;
	if (n >= 12 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "WEBP", 4))
		return MEDIA_WEBP;
	if (n >= 5 && !memcmp(p, "%PDF-", 5))
		return MEDIA_PDF;
	if (n >= 8 && !memcmp(p, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
		return MEDIA_OLE;
	if (n >= 4 && !memcmp(p, "PK\x03\x04", 4))
		return MEDIA_OOXML;
	return MEDIA_UNKNOWN;
}

/* The first segment of `path` that starts with '.', or NULL. */
static const char *hidden_segment(const char *path)
{
	for (const char *seg = path; seg; seg = strchr(seg, '/')) {
		if (*seg == '/')
			seg++;
		if (*seg == '.')
			return seg;
	}
	return NULL;
}

int media_path_is_hidden(const char *path)
{
	return hidden_segment(path) != NULL;
}

int media_check_name(const char *path, int as_image, struct buf *why)
{
	const char *ext, *seg = hidden_segment(path);
	enum media_type t;

	if (seg) {
		size_t len = strcspn(seg, "/");
		buf_printf(why, "is %s ('%.*s'): files and folders whose "
			   "names start with '.' are never published",
			   seg[len] ? "in a hidden folder" : "a hidden file",
			   (int)len, seg);
		return -1;
	}
	/* Where the smaller copies of images go (thumb.h). */
	if (!strncmp(path, "_thumbs/", 8)) {
		buf_puts(why, "is in the folder '_thumbs', where showcase puts "
			 "the smaller copies of images it makes; move it");
		return -1;
	}
	t = media_type_from_name(path);
	ext = extension_of(path);
	if (t == MEDIA_UNKNOWN) {
		if (ext)
			buf_printf(why, "is a '.%s' file, which is not published; "
				   "link " PUBLISHED_TYPES, ext);
		else
			buf_puts(why, "has no extension, so it is not published; "
				 "link " PUBLISHED_TYPES);
		return -1;
	}
	if (as_image && !media_type_is_image(t)) {
		buf_printf(why, "is not an image ('.%s'); images are .jpg, .jpeg, "
			   ".png, .gif, .webp or .svg (link a document instead "
			   "of showing it)", ext);
		return -1;
	}
	return 0;
}

static void limits_or_defaults(const struct media_limits *in,
			       struct media_limits *out)
{
	out->max_pixels = in && in->max_pixels ? in->max_pixels : MEDIA_MAX_PIXELS;
	out->max_bytes = in && in->max_bytes ? in->max_bytes : MEDIA_MAX_BYTES;
}

static void too_large(size_t size, size_t max, struct buf *why)
{
	buf_printf(why, "is %zu bytes, over the limit of %zu for a published "
		   "file (limits.media_bytes in site.yaml)", size, max);
}

/* What the bytes of a file that is not of its named type look like. */
static const char *looks_like(const unsigned char *p, size_t n)
{
	enum media_type t = media_sniff(p, n);
	size_t i = 0;

	if (t == MEDIA_JPEG)
		return " (it holds a JPEG image)";
	if (t == MEDIA_PNG)
		return " (it holds a PNG image)";
	if (t == MEDIA_GIF)
		return " (it holds a GIF image)";
	if (t == MEDIA_WEBP)
		return " (it holds a WebP image)";
	if (t == MEDIA_PDF)
		return " (it holds a PDF document)";
	if (t == MEDIA_OLE || t == MEDIA_OOXML)
		return " (it holds an office document)";
	while (i < n && i < 256 && strchr(" \t\r\n", p[i]))
		i++;
	if (i < n && p[i] == '<')
		return " (it holds markup such as HTML or XML)";
	if (!n)
		return " (it is empty)";
	return "";
}

int media_check_bytes(const char *path, const unsigned char *p, size_t n,
		      int as_image, const struct media_limits *lim_in,
		      struct buf *why)
{
	struct media_limits lim;
	struct media_image_info info;
	enum media_type t;
	const char *reason;
	size_t lfs = strlen(MEDIA_LFS_SIGNATURE);

	limits_or_defaults(lim_in, &lim);
	if (media_check_name(path, as_image, why) < 0)
		return -1;
	if (n > lim.max_bytes) {
		too_large(n, lim.max_bytes, why);
		return -1;
	}
	/* Before the type: an LFS pointer is the commonest wrong content,
	 * and the one with a simple fix. */
	if (n >= lfs && !memcmp(p, MEDIA_LFS_SIGNATURE, lfs)) {
		buf_puts(why, "is a Git LFS pointer; run git lfs pull / commit "
			 "the real file");
		return -1;
	}
	t = media_type_from_name(path);
	if (t == MEDIA_SVG)
		return media_svg_check((const char *)p, n, why);
	if (media_sniff(p, n) != t) {
		buf_printf(why, "is named '.%s' but is not a %s file%s",
			   extension_of(path), media_type_name(t), looks_like(p, n));
		return -1;
	}
	if (!media_type_is_image(t))
		return 0;
	if (media_image_header(t, p, n, &info, &reason) < 0) {
		buf_puts(why, reason);
		return -1;
	}
	if (info.pixels > lim.max_pixels) {
		buf_printf(why, "is %lux%lu pixels", info.width, info.height);
		if (info.frames > 1)
			buf_printf(why, " x %lu frames (%llu pixels)", info.frames,
				   info.pixels);
		buf_printf(why, ", over the limit of %llu pixels "
			   "(limits.image_pixels in site.yaml); scale it down",
			   lim.max_pixels);
		return -1;
	}
	return 0;
}

/* ---- the policy over a snapshot ---- */

/* The cached verdict of a publishable file. */
static const char verdict_ok[] = "";

void media_policy_init(struct media_policy *mp,
		       const struct repo_snapshot *snap,
		       const struct media_limits *lim)
{
	memset(mp, 0, sizeof(*mp));
	mp->snap = snap;
	limits_or_defaults(lim, &mp->lim);
	if (pthread_mutex_init(&mp->lock, NULL))
		BUG("cannot initialise a mutex");
	arena_init(&mp->arena);
}

void media_policy_release(struct media_policy *mp)
{
	if (!mp->snap)
		return;
	strmap_release(&mp->verdicts);
	arena_release(&mp->arena);
	pthread_mutex_destroy(&mp->lock);
	mp->snap = NULL;
}

/* Check what a file holds: every rule but the use (image or link). */
static void check_file(struct media_policy *mp, const struct repo_file *f,
		       struct buf *why, struct diag *d)
{
	struct buf bytes = BUF_INIT;

	if (f->is_symlink) {
		buf_puts(why, "is a symbolic link; commit the file itself");
		return;
	}
	/* The size git records, before anything is read. */
	if (f->size > mp->lim.max_bytes) {
		too_large(f->size, mp->lim.max_bytes, why);
		return;
	}
	if (repo_snapshot_read(mp->snap, f, &bytes, d) < 0)
		buf_puts(why, "cannot be read");
	else
		media_check_bytes(f->path, (const unsigned char *)bytes.ptr,
				  bytes.len, 0, &mp->lim, why);
	buf_release(&bytes);
}

enum media_verdict media_policy_check(struct media_policy *mp,
				      const char *repo_path, int as_image,
				      const char **why, struct diag *d)
{
	const struct repo_file *f = repo_snapshot_find(mp->snap, repo_path);
	struct buf reason = BUF_INIT;
	const char *cached;

	*why = NULL;
	if (!f)
		return MEDIA_MISSING;
	/* The name rules depend on the use and cost nothing: not cached. */
	if (media_check_name(repo_path, as_image, &reason) < 0) {
		pthread_mutex_lock(&mp->lock);
		*why = arena_strdup(&mp->arena, reason.ptr);
		pthread_mutex_unlock(&mp->lock);
		buf_release(&reason);
		return MEDIA_REFUSED;
	}
	pthread_mutex_lock(&mp->lock);
	cached = strmap_get(&mp->verdicts, repo_path);
	pthread_mutex_unlock(&mp->lock);
	if (!cached) {
		/* Unlocked: two threads may check one file at once, and the
		 * first verdict stored is kept; both are the same. */
		check_file(mp, f, &reason, d);
		pthread_mutex_lock(&mp->lock);
		cached = strmap_get(&mp->verdicts, repo_path);
		if (!cached) {
			cached = reason.len ? arena_strdup(&mp->arena, reason.ptr)
					    : verdict_ok;
			strmap_put(&mp->verdicts, arena_strdup(&mp->arena, repo_path),
				   (void *)cached);
		}
		pthread_mutex_unlock(&mp->lock);
	}
	buf_release(&reason);
	if (*cached) {
		*why = cached;
		return MEDIA_REFUSED;
	}
	return MEDIA_OK;
}

const char *media_check_image_field(void *ctx, const char *repo_path)
{
	struct media_image_check *ic = ctx;
	const char *why;

	switch (media_policy_check(ic->policy, repo_path, 1, &why, ic->d)) {
	case MEDIA_OK:
		return NULL;
	case MEDIA_MISSING:
		return "not found in the repository (paths in front matter "
		       "start at the repository root)";
	default:
		return why;
	}
}
