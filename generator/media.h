/*
 * media: what may be published from the files that records link to.
 *
 * A record names repository files in two ways: image fields of its front
 * matter (`cover`) and links and images of its Markdown body. Every such
 * file that the site publishes under /media/, and every image the booklet
 * prints, is first let through media_policy_check(), the one place that
 * decides. Before it existed, any committed file a record linked to was
 * copied: a link to "../../.env" published a password file, and a linked
 * .html page or an SVG holding a script ran on the site's own origin.
 *
 * The policy, in the order it is applied:
 *
 *   - the path names a committed regular file (not a symbolic link), and
 *     no segment of it starts with '.' (".env", ".git/config",
 *     ".github/x.png" are never published);
 *   - its extension, compared case-insensitively, is one a results site
 *     needs: images .jpg .jpeg .png .gif .webp .svg, documents .pdf, .doc
 *     .docx, .xls .xlsx, .ppt .pptx; an image field or a Markdown image
 *     takes images only;
 *   - it is at most `max_bytes` long (the size git records, read before
 *     the content);
 *   - it is not a Git LFS pointer (the small text file LFS commits in
 *     place of the real one);
 *   - its first bytes are those of the type its extension names (a ".png"
 *     that holds a JPEG or HTML is refused: servers pick the Content-Type
 *     from the extension, browsers may sniff the bytes);
 *   - an image is at most `max_pixels` pixels, read from its header without
 *     decoding it (media_image_header()): width x height, times the number
 *     of frames for an animation. This is what stops decompression bombs
 *     (a 389 KB PNG that says 20000 x 20000);
 *   - an SVG holds no script, event attribute, foreignObject, entity
 *     declaration or reference to anything outside the file
 *     (media_svg_check()).
 *
 * Everything a refusal says is a phrase that follows the quoted name of
 * the file in the caller's diagnostic ("image 'a.png' is not a PNG
 * file..."), so that the caller reports it at the line and column of the
 * field or link; the policy knows no positions.
 *
 * The header readers and the SVG check are pure (bytes in, verdict out),
 * for unit tests and the fuzzer; media_policy_* adds the snapshot and a
 * cache, so that a file linked from many records is read and checked once.
 */
#ifndef SHOWCASE_MEDIA_H
#define SHOWCASE_MEDIA_H

#include <pthread.h>
#include <stddef.h>

#include "arena.h"
#include "strmap.h"

struct buf;
struct diag;
struct repo_snapshot;

/*
 * Default limits; site.yaml may change them under `limits:` (see site.h)
 * up to the ceilings. 40 megapixels is a 7,300 x 5,500 photograph and 160
 * MB of decoded pixels: more than any page or booklet needs. 50 MiB is
 * where GitHub starts warning about a file; the build holds each
 * published file in memory once while copying it.
 */
#define MEDIA_MAX_PIXELS 40000000ULL
#define MEDIA_MAX_PIXELS_CEILING 100000000ULL
#define MEDIA_MAX_BYTES ((size_t)50 << 20)
#define MEDIA_MAX_BYTES_CEILING ((size_t)1 << 30)

/* Deepest nesting of elements an SVG may have: librsvg, which draws SVG
 * images into the booklet, recurses into every level, and no drawing
 * needs more. */
#define MEDIA_SVG_MAX_DEPTH 256

/* The start of every Git LFS pointer file. */
#define MEDIA_LFS_SIGNATURE "version https://git-lfs.github.com/spec/"

enum media_type {
	MEDIA_UNKNOWN = 0,
	/* images */
	MEDIA_JPEG,
	MEDIA_PNG,
	MEDIA_GIF,
	MEDIA_WEBP,
	MEDIA_SVG,
	/* documents */
	MEDIA_PDF,
	MEDIA_OLE,  /* .doc .xls .ppt: an OLE2 compound file */
	MEDIA_OOXML, /* .docx .xlsx .pptx: a ZIP archive */
};

struct media_limits {
	unsigned long long max_pixels; /* 0: MEDIA_MAX_PIXELS */
	size_t max_bytes;              /* 0: MEDIA_MAX_BYTES */
};

/* The type a file name's extension stands for (case-insensitive), or
 * MEDIA_UNKNOWN for every other name. */
enum media_type media_type_from_name(const char *path);

/* Whether `t` is an image (JPEG, PNG, GIF, WebP or SVG). */
int media_type_is_image(enum media_type t);

/* "PNG", "JPEG", "PDF", "Word, Excel or PowerPoint (97-2003)"...: the
 * type as a reader knows it, for messages. */
const char *media_type_name(enum media_type t);

/* The type whose signature starts `p` (n bytes), or MEDIA_UNKNOWN. SVG is
 * not sniffed (text has no signature). */
enum media_type media_sniff(const unsigned char *p, size_t n);

struct media_image_info {
	unsigned long width, height; /* of the canvas, in pixels */
	unsigned long frames;        /* 1 for a still image */
	unsigned long long pixels;   /* width x height x frames, saturating */
};

/*
 * Read the size of a raster image of type `t` (JPEG, PNG, GIF or WebP)
 * from its header, without decoding anything: PNG's IHDR (and acTL for an
 * animation), JPEG's first SOFn frame header, GIF's logical screen and
 * every image descriptor (frames that stick out grow the canvas, as
 * browsers do), WebP's VP8, VP8L or VP8X header and its ANMF frames.
 * Linear in `n`, reads nothing outside p[0..n).
 *
 * Returns 0 and fills *out, or -1 with *why set to a static phrase ("is
 * not a PNG file", "is a truncated GIF file"...) when the bytes are not a
 * well-formed header of that type.
 */
int media_image_header(enum media_type t, const unsigned char *p, size_t n,
		       struct media_image_info *out, const char **why);

/*
 * Check that the SVG document `p` (n bytes) cannot run a script or load
 * anything when a browser opens it from the site: it must be UTF-8 XML
 * whose root element is <svg>, with
 *
 *   - no element script, foreignObject, handler, listener, iframe, frame,
 *     embed, object, applet, audio, video, link, meta or base (in any
 *     namespace, any letter case);
 *   - no attribute whose name starts with "on" (event handlers);
 *   - href, xlink:href and src only to a local "#fragment", no xml:base,
 *     and no animation (attributeName) of href or of an event attribute;
 *   - in style sheets (<style>, style attributes, presentation attributes)
 *     no @import, no url() other than url(#fragment), no image-set() and
 *     no backslash escapes (which could spell either);
 *   - no DOCTYPE internal subset (entity declarations), no entity
 *     reference other than the five of XML and numeric ones, no processing
 *     instruction but the XML declaration (so no xml-stylesheet), no
 *     encoding but UTF-8, and no XHTML or MathML namespace;
 *   - elements nested at most MEDIA_SVG_MAX_DEPTH deep.
 *
 * What the scanner cannot read as XML is refused: it only has to agree
 * with a browser's XML parser on documents it accepts.
 *
 * Returns 0, or -1 with the reason appended to `why` as a phrase that
 * follows the file name ("holds a <script> element (line 3)").
 */
int media_svg_check(const char *p, size_t n, struct buf *why);

/*
 * Apply the whole policy above, except existence and symbolic links, to
 * the bytes `p` (n bytes) of the file at `path`, used as an image when
 * `as_image`. Returns 0, or -1 with the reason appended to `why`.
 */
int media_check_bytes(const char *path, const unsigned char *p, size_t n,
		      int as_image, const struct media_limits *lim,
		      struct buf *why);

/* Whether a segment of the '/'-separated `path` starts with '.' (".env",
 * ".git/config", "a/.DS_Store"): such files are never published, linked
 * or not (the theme's static files obey it too). */
int media_path_is_hidden(const char *path);

/* The name checks alone (hidden segments, extension, image or not).
 * Returns 0, or -1 with the reason appended to `why`. */
int media_check_name(const char *path, int as_image, struct buf *why);

/*
 * The policy over a snapshot, with a cache of verdicts by path. Thread
 * safe: render workers check the links of their pages at once.
 * Ownership: the policy keeps `snap` and `lim` (copied) and owns the
 * reasons it returns, which live until media_policy_free().
 */
struct media_policy {
	const struct repo_snapshot *snap;
	struct media_limits lim;
	pthread_mutex_t lock;
	struct strmap verdicts; /* path -> NULL (publishable) or reason */
	struct arena arena;     /* keys and reasons */
};

enum media_verdict {
	MEDIA_OK = 0,
	MEDIA_MISSING, /* no such file in the snapshot */
	MEDIA_REFUSED, /* *why says why */
};

void media_policy_init(struct media_policy *mp,
		       const struct repo_snapshot *snap,
		       const struct media_limits *lim);
void media_policy_release(struct media_policy *mp);

/*
 * May the file at `repo_path` (normalised, relative to the site root) be
 * published, as an image when `as_image`? On MEDIA_REFUSED *why is the
 * reason (owned by the policy). A file that cannot be read is reported to
 * `d` as a system error and refused.
 */
enum media_verdict media_policy_check(struct media_policy *mp,
				      const char *repo_path, int as_image,
				      const char **why, struct diag *d);

/*
 * The check of an image field, in the shape schema_validate() takes: NULL
 * when the image at `repo_path` may be published, else the reason (a
 * missing file included). `ctx` is a struct media_image_check.
 */
struct media_image_check {
	struct media_policy *policy;
	struct diag *d;
};
const char *media_check_image_field(void *ctx, const char *repo_path);

#endif
