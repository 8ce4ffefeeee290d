/*
 * Tests for media: the image header readers (well-formed, truncated at
 * every length, hostile), the SVG scanner, the name and byte rules, and the
 * policy over a snapshot. Every input is copied into a buffer of exactly
 * its size, so that AddressSanitizer sees any read past its end.
 */
#include <string.h>

#include "testutil.h"

#include "alloc.h"
#include "buf.h"
#include "diag.h"
#include "media.h"
#include "repo.h"
#include "thumb.h"

/* ---- building inputs ---- */

static void put32be(unsigned char *p, unsigned long v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* A PNG signature and IHDR of w x h (no CRC check is made), then `extra`
 * chunks (already encoded). */
static size_t make_png(unsigned char *out, unsigned long w, unsigned long h,
		       const unsigned char *extra, size_t extra_len)
{
	memcpy(out, "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16);
	put32be(out + 16, w);
	put32be(out + 20, h);
	memcpy(out + 24, "\x08\x02\0\0\0" "CRC!", 9);
	if (extra_len)
		memcpy(out + 33, extra, extra_len);
	return 33 + extra_len;
}

/* Header of a raster image `p` (copied to a buffer of its exact size). */
static int header(enum media_type t, const void *p, size_t n,
		  struct media_image_info *info, const char **why)
{
	unsigned char *copy = xmalloc(n ? n : 1);
	memcpy(copy, p, n);
	*why = NULL;
	int rc = media_image_header(t, copy, n, info, why);
	if (rc < 0)
		assert_non_null(*why);
	free(copy);
	return rc;
}

/* Every proper prefix of a well-formed image fails (or reads a smaller
 * valid header), without reading outside it. */
static void every_prefix(enum media_type t, const unsigned char *p, size_t n)
{
	struct media_image_info info;
	const char *why;
	for (size_t k = 0; k < n; k++)
		(void)header(t, p, k, &info, &why);
}

static void expect_size(enum media_type t, const void *p, size_t n,
			unsigned long w, unsigned long h, unsigned long frames)
{
	struct media_image_info info;
	const char *why;
	if (header(t, p, n, &info, &why) < 0)
		fail_msg("refused: %s", why);
	assert_int_equal(info.width, w);
	assert_int_equal(info.height, h);
	assert_int_equal(info.frames, frames);
	assert_true(info.pixels == (unsigned long long)w * h * frames);
}

static void expect_refused(enum media_type t, const void *p, size_t n,
			   const char *why_expected)
{
	struct media_image_info info;
	const char *why;
	assert_int_equal(header(t, p, n, &info, &why), -1);
	assert_string_equal(why, why_expected);
}

/* ---- PNG ---- */

static void test_png(void **state)
{
	unsigned char png[128];
	size_t n;
	(void)state;

	n = make_png(png, 3, 2, (const unsigned char *)"\0\0\0\0IEND", 8);
	expect_size(MEDIA_PNG, png, n, 3, 2, 1);
	every_prefix(MEDIA_PNG, png, n);
	expect_refused(MEDIA_PNG, png, 28, "is a truncated PNG file (no complete IHDR header)");
	expect_refused(MEDIA_PNG, "GIF89a", 6, "is not a PNG file (it lacks the PNG signature)");

	/* The bomb of the issue: what the header says, not the file size. */
	n = make_png(png, 20000, 20000, NULL, 0);
	expect_size(MEDIA_PNG, png, n, 20000, 20000, 1);

	/* An APNG of 100 frames: every frame counts. */
	n = make_png(png, 1000, 1000,
		     (const unsigned char *)"\0\0\0\x08" "acTL" "\0\0\0\x64" "\0\0\0\0" "CRC!", 20);
	expect_size(MEDIA_PNG, png, n, 1000, 1000, 100);
	every_prefix(MEDIA_PNG, png, n);

	/* Hostile headers. */
	n = make_png(png, 0, 5, NULL, 0);
	expect_refused(MEDIA_PNG, png, n, "is a damaged PNG file (a width or height of 0 or over 2^31)");
	n = make_png(png, 0x80000000UL, 5, NULL, 0);
	expect_refused(MEDIA_PNG, png, n, "is a damaged PNG file (a width or height of 0 or over 2^31)");
	n = make_png(png, 4, 4, NULL, 0);
	png[11] = 14; /* IHDR length */
	expect_refused(MEDIA_PNG, png, n, "is a damaged PNG file (its first chunk is not IHDR)");
	/* A chunk whose length runs past the end stops the acTL search. */
	n = make_png(png, 7, 7,
		     (const unsigned char *)"\xff\xff\xff\xff" "tEXt" "acTL\0\0\0\x09", 16);
	expect_size(MEDIA_PNG, png, n, 7, 7, 1);
	/* An acTL of 2^32-1 frames saturates instead of wrapping. */
	n = make_png(png, 0x7fffffffUL, 0x7fffffffUL,
		     (const unsigned char *)"\0\0\0\x08" "acTL" "\xff\xff\xff\xff" "\0\0\0\0", 16);
	struct media_image_info info;
	const char *why;
	assert_int_equal(header(MEDIA_PNG, png, n, &info, &why), 0);
	assert_true(info.pixels == ~0ULL);
}

/* ---- JPEG ---- */

static const unsigned char jpeg_small[] = {
	0xFF, 0xD8,
	0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
	0xFF, 0xFF, /* fill bytes */
	0xFF, 0xDB, 0x00, 0x03, 0x00,
	0xFF, 0xC2, 0x00, 0x0B, 0x08, 0x00, 0x30, 0x01, 0x40, 0x01, 0x01, 0x11, 0x00,
	0xFF, 0xDA, 0x00, 0x02,
	0xFF, 0xD9,
};

static void test_jpeg(void **state)
{
	unsigned char j[64];
	(void)state;

	expect_size(MEDIA_JPEG, jpeg_small, sizeof(jpeg_small), 320, 48, 1);
	every_prefix(MEDIA_JPEG, jpeg_small, sizeof(jpeg_small));
	expect_refused(MEDIA_JPEG, jpeg_small, 30,
		       "is a truncated JPEG file (it ends before its frame header)");
	expect_refused(MEDIA_JPEG, "\xFF\xD8", 2,
		       "is not a JPEG file (it lacks the JPEG start marker)");

	/* Image data before any frame header. */
	expect_refused(MEDIA_JPEG, "\xFF\xD8\xFF\xDA\x00\x02", 6,
		       "is a damaged JPEG file (no frame header before its image data)");
	/* A segment length under 2 would loop for ever if trusted. */
	expect_refused(MEDIA_JPEG, "\xFF\xD8\xFF\xE1\x00\x01\xFF\xC0", 8,
		       "is a damaged JPEG file (a segment length under 2)");
	/* Garbage where a marker belongs. */
	expect_refused(MEDIA_JPEG, "\xFF\xD8\xFF\xE1\x00\x02\x41", 7,
		       "is a damaged JPEG file (a segment does not start with a marker)");
	/* Height 0: defined later by DNL; refused. */
	memcpy(j, "\xFF\xD8\xFF\xC0\x00\x0B\x08\x00\x00\x00\x10\x01\x01\x11\x00", 15);
	expect_refused(MEDIA_JPEG, j, 15,
		       "is a JPEG file without a width or height in its frame header");
	/* A segment that claims more than the file holds. */
	expect_refused(MEDIA_JPEG, "\xFF\xD8\xFF\xE1\xFF\xFF\x00", 7,
		       "is a truncated JPEG file (it ends before its frame header)");
	/* The biggest a JPEG can say. */
	memcpy(j, "\xFF\xD8\xFF\xC1\x00\x0B\x08\xFF\xFF\xFF\xFF\x01\x01\x11\x00", 15);
	expect_size(MEDIA_JPEG, j, 15, 65535, 65535, 1);
	/* DHT (C4) is no frame header: its bytes are not a size. */
	memcpy(j, "\xFF\xD8\xFF\xC4\x00\x07\x00\x11\x11\x11\x11"
		  "\xFF\xC0\x00\x0B\x08\x00\x02\x00\x03\x01\x01\x11\x00", 24);
	expect_size(MEDIA_JPEG, j, 24, 3, 2, 1);
}

/* ---- GIF ---- */

static const unsigned char gif_1x1[] =
	"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff"
	"!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00"
	"\x00\x02\x02" "D\x01\x00;";

static void test_gif(void **state)
{
	unsigned char g[256];
	size_t n;
	(void)state;

	expect_size(MEDIA_GIF, gif_1x1, sizeof(gif_1x1) - 1, 1, 1, 1);
	every_prefix(MEDIA_GIF, gif_1x1, sizeof(gif_1x1) - 1);
	expect_refused(MEDIA_GIF, gif_1x1, 20, "is a truncated GIF file");
	expect_refused(MEDIA_GIF, "GIF88a", 6, "is not a GIF file (it lacks the GIF signature)");

	/* Two frames, the second sticking out of a 1x1 screen: the canvas
	 * grows as a browser's would, and both frames count. */
	n = sizeof(gif_1x1) - 2; /* without the trailer */
	memcpy(g, gif_1x1, n);
	memcpy(g + n, ",\x10\x00\x08\x00\x00\x01\x00\x02\x00\x02\x02" "D\x01\x00;", 16);
	n += 16;
	expect_size(MEDIA_GIF, g, n, 16 + 256, 8 + 512, 2);
	every_prefix(MEDIA_GIF, g, n);
	/* Without a trailer it is still read (decoders do). */
	expect_size(MEDIA_GIF, g, n - 1, 16 + 256, 8 + 512, 2);

	/* A screen of 65535 x 65535 and one frame of 1 x 1. */
	memcpy(g, gif_1x1, sizeof(gif_1x1) - 1);
	g[6] = g[7] = g[8] = g[9] = 0xff;
	expect_size(MEDIA_GIF, g, sizeof(gif_1x1) - 1, 65535, 65535, 1);

	/* Hostile: an unknown block, no image, a colour table past the end. */
	memcpy(g, "GIF89a\x01\x00\x01\x00\x00\x00\x00" "\x99", 14);
	expect_refused(MEDIA_GIF, g, 14, "is a damaged GIF file (an unknown block)");
	memcpy(g, "GIF89a\x01\x00\x01\x00\x00\x00\x00" ";", 14);
	expect_refused(MEDIA_GIF, g, 14, "is a GIF file without an image");
	memcpy(g, "GIF89a\x01\x00\x01\x00\x87\x00\x00" ";", 14);
	expect_refused(MEDIA_GIF, g, 14, "is a truncated GIF file");
	/* A sub-block that claims more than there is. */
	memcpy(g, "GIF89a\x01\x00\x01\x00\x00\x00\x00" "!\xfe\xff" "ab", 18);
	expect_refused(MEDIA_GIF, g, 18, "is a truncated GIF file");
}

/* ---- WebP ---- */

static const unsigned char webp_lossless[] = {
	'R', 'I', 'F', 'F', 0x1a, 0, 0, 0, 'W', 'E', 'B', 'P',
	'V', 'P', '8', 'L', 0x0d, 0, 0, 0,
	0x2f, 0x00, 0x00, 0x00, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07, 0x00,
};

static void test_webp(void **state)
{
	unsigned char w[128];
	(void)state;

	expect_size(MEDIA_WEBP, webp_lossless, sizeof(webp_lossless), 1, 1, 1);
	every_prefix(MEDIA_WEBP, webp_lossless, sizeof(webp_lossless));
	expect_refused(MEDIA_WEBP, "RIFF\0\0\0\0WEBX", 12,
		       "is not a WebP file (it lacks the RIFF WEBP signature)");
	expect_refused(MEDIA_WEBP, webp_lossless, 22,
		       "is a truncated WebP file (no complete image header)");

	/* Lossy: a key frame of 16383 x 16383 (the most VP8 can say). */
	memcpy(w, "RIFF\0\0\0\0WEBPVP8 \x0a\0\0\0" "\x00\x00\x00\x9d\x01\x2a\xff\x3f\xff\x3f", 30);
	expect_size(MEDIA_WEBP, w, 30, 16383, 16383, 1);
	every_prefix(MEDIA_WEBP, w, 30);
	w[20] = 1; /* an inter frame */
	expect_refused(MEDIA_WEBP, w, 30,
		       "is a damaged WebP file (a VP8 image that is not a key frame)");

	/* Extended: a 1x1 canvas hiding a 16384 x 16384 lossless bitstream;
	 * the larger size counts. */
	memcpy(w, "RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0" "\0\0\0\0" "\0\0\0" "\0\0\0"
		  "VP8L\x05\0\0\0" "\x2f\xff\xff\xff\x0f", 43);
	expect_size(MEDIA_WEBP, w, 43, 16384, 16384, 1);

	/* An animation: a 100 x 50 canvas, 3 frames. */
	memcpy(w, "RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0" "\x02\0\0\0" "\x63\0\0" "\x31\0\0", 30);
	size_t n = 30;
	for (int k = 0; k < 3; k++) {
		memcpy(w + n, "ANMF\x10\0\0\0" "\0\0\0" "\0\0\0" "\x63\0\0" "\x31\0\0"
			      "\0\0\0" "\0", 24);
		n += 24;
	}
	expect_size(MEDIA_WEBP, w, n, 100, 50, 3);
	every_prefix(MEDIA_WEBP, w, n);

	/* A chunk of 2^32-1 bytes: no overflow, the walk just stops. */
	memcpy(w, "RIFF\0\0\0\0WEBPXXXX\xff\xff\xff\xff" "abc", 23);
	expect_refused(MEDIA_WEBP, w, 23,
		       "is a truncated WebP file (no complete image header)");
	/* A bad VP8L signature. */
	memcpy(w, webp_lossless, sizeof(webp_lossless));
	w[20] = 0x2e;
	expect_refused(MEDIA_WEBP, w, sizeof(webp_lossless),
		       "is a damaged WebP file (a VP8L image without its signature)");
}

/* ---- names and bytes ---- */

static void expect_name(const char *path, int as_image, const char *why)
{
	struct buf b = BUF_INIT;
	int rc = media_check_name(path, as_image, &b);
	if (!why) {
		if (rc)
			fail_msg("'%s' refused: %s", path, b.ptr);
	} else {
		assert_int_equal(rc, -1);
		assert_string_equal(b.ptr, why);
	}
	buf_release(&b);
}

static void test_names(void **state)
{
	(void)state;
	assert_int_equal(media_type_from_name("a/b.JPEG"), MEDIA_JPEG);
	assert_int_equal(media_type_from_name("a.Png"), MEDIA_PNG);
	assert_int_equal(media_type_from_name("x.pptx"), MEDIA_OOXML);
	assert_int_equal(media_type_from_name("x.xls"), MEDIA_OLE);
	assert_int_equal(media_type_from_name(".png"), MEDIA_UNKNOWN);
	assert_int_equal(media_type_from_name("a.png/b"), MEDIA_UNKNOWN);
	assert_int_equal(media_type_from_name("a.svgz"), MEDIA_UNKNOWN);

	assert_true(media_path_is_hidden(".env"));
	assert_true(media_path_is_hidden("a/.git/b"));
	assert_true(media_path_is_hidden("a/.DS_Store"));
	assert_false(media_path_is_hidden("a/b.c/d"));
	assert_false(media_path_is_hidden("a/b."));

	expect_name("content/a.png", 1, NULL);
	expect_name("content/a.svg", 1, NULL);
	expect_name("content/a.docx", 0, NULL);
	expect_name(".env", 0, "is a hidden file ('.env'): files and folders "
		    "whose names start with '.' are never published");
	expect_name(".git/config", 0, "is in a hidden folder ('.git'): files "
		    "and folders whose names start with '.' are never published");
	expect_name("content/.well-known/a.pdf", 0, "is in a hidden folder "
		    "('.well-known'): files and folders whose names start with "
		    "'.' are never published");
	expect_name("content/x/.a.png", 1, "is a hidden file ('.a.png'): files "
		    "and folders whose names start with '.' are never published");
	expect_name("content/x.html", 0, "is a '.html' file, which is not "
		    "published; link images (.jpg .jpeg .png .gif .webp .svg), "
		    "PDF or office documents (.doc .docx .xls .xlsx .ppt .pptx)");
	expect_name("content/Makefile", 0, "has no extension, so it is not "
		    "published; link images (.jpg .jpeg .png .gif .webp .svg), "
		    "PDF or office documents (.doc .docx .xls .xlsx .ppt .pptx)");
	expect_name("content/x.pdf", 1, "is not an image ('.pdf'); images are "
		    ".jpg, .jpeg, .png, .gif, .webp or .svg (link a document "
		    "instead of showing it)");
}

static void expect_bytes(const char *path, const void *p, size_t n, int as_image,
			 const struct media_limits *lim, const char *why)
{
	struct buf b = BUF_INIT;
	unsigned char *copy = xmalloc(n ? n : 1);
	memcpy(copy, p, n);
	int rc = media_check_bytes(path, copy, n, as_image, lim, &b);
	free(copy);
	if (!why) {
		if (rc)
			fail_msg("'%s' refused: %s", path, b.ptr);
	} else {
		assert_int_equal(rc, -1);
		assert_string_equal(b.ptr, why);
	}
	buf_release(&b);
}

static void test_bytes(void **state)
{
	unsigned char png[64];
	size_t n = make_png(png, 20000, 20000, NULL, 0);
	struct media_limits small = { 100, 40 };
	static const char lfs[] = MEDIA_LFS_SIGNATURE "v1\noid sha256:00\nsize 9\n";
	(void)state;

	expect_bytes("a.png", png, n, 1, NULL, "is 20000x20000 pixels, over the "
		     "limit of 40000000 pixels (limits.image_pixels in site.yaml); "
		     "scale it down");
	n = make_png(png, 10, 10, NULL, 0);
	expect_bytes("a.png", png, n, 1, NULL, NULL);
	expect_bytes("a.png", png, n, 1, &small, NULL);
	n = make_png(png, 10, 11, NULL, 0);
	expect_bytes("a.png", png, n, 1, &small, "is 10x11 pixels, over the "
		     "limit of 100 pixels (limits.image_pixels in site.yaml); "
		     "scale it down");
	static const char gif2[] = "GIF89a\x0a\0\x0a\0\0\0\0"
		",\0\0\0\0\x0a\0\x0a\0\0\x02\0" ",\0\0\0\0\x0a\0\x0a\0\0\x02\0;";
	expect_bytes("a.gif", gif2, sizeof(gif2) - 1, 1, &small,
		     "is 10x10 pixels x 2 frames (200 pixels), over the limit of "
		     "100 pixels (limits.image_pixels in site.yaml); scale it down");
	expect_bytes("a.pdf", "%PDF-1.4 and forty-one bytes of a document", 42,
		     0, &small, "is 42 bytes, over the limit of 40 for a published "
		     "file (limits.media_bytes in site.yaml)");
	expect_bytes("a.png", lfs, sizeof(lfs) - 1, 1, NULL,
		     "is a Git LFS pointer; run git lfs pull / commit the real file");
	expect_bytes("a.pdf", lfs, sizeof(lfs) - 1, 0, NULL,
		     "is a Git LFS pointer; run git lfs pull / commit the real file");
	expect_bytes("a.png", "\xFF\xD8\xFF\xE0", 4, 1, NULL,
		     "is named '.png' but is not a PNG file (it holds a JPEG image)");
	expect_bytes("a.jpg", "  \n<!doctype html>", 18, 1, NULL,
		     "is named '.jpg' but is not a JPEG file (it holds markup such "
		     "as HTML or XML)");
	expect_bytes("a.webp", "", 0, 1, NULL,
		     "is named '.webp' but is not a WebP file (it is empty)");
	expect_bytes("a.docx", "%PDF-1.7", 8, 0, NULL, "is named '.docx' but is "
		     "not a Office Open XML (.docx .xlsx .pptx) file (it holds a "
		     "PDF document)");
	expect_bytes("a.xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, 0, NULL, NULL);
	expect_bytes("a.pptx", "PK\x03\x04", 4, 0, NULL, NULL);
	expect_bytes("a.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>", 41, 1,
		     NULL, NULL);
	/* A truncated image header is refused with the reader's reason. */
	expect_bytes("a.png", png, 20, 1, NULL,
		     "is a truncated PNG file (no complete IHDR header)");
}

/* ---- SVG ---- */

#define SUFFIX "; SVG with scripts, event attributes, foreignObject or " \
	       "references outside the file is not published"

static void expect_svg(const char *svg, const char *why)
{
	struct buf b = BUF_INIT;
	size_t n = strlen(svg);
	char *copy = xmalloc(n ? n : 1);
	memcpy(copy, svg, n);
	int rc = media_svg_check(copy, n, &b);
	free(copy);
	if (!why) {
		if (rc)
			fail_msg("refused: %s\n%s", b.ptr, svg);
	} else {
		if (rc != -1 || strcmp(b.ptr, why))
			fail_msg("for %s\nexpected: %s\n     got: %s", svg, why,
				 rc ? b.ptr : "(accepted)");
	}
	buf_release(&b);
}

#define SVG_OPEN "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">"

static void test_svg_clean(void **state)
{
	(void)state;
	expect_svg(SVG_OPEN "</svg>", NULL);
	expect_svg("\xEF\xBB\xBF<?xml version='1.0' encoding='utf-8' standalone='no'?>\n"
		   "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://x/svg11.dtd\">\n"
		   "<!-- <script>alert(1)</script> -->\n"
		   SVG_OPEN "<title>标题 &amp; &#x4e2d; &#20013;</title>"
		   "<defs><linearGradient id='g'/><clipPath id=\"c\"/></defs>"
		   "<style type=\"text/css\"><![CDATA[ rect { fill: url(#g) } ]]>"
		   ".a{clip-path:url( '#c' )}</style>"
		   "<rect class='a' fill=\"url(#g)\" style='opacity: .5'/>"
		   "<use xlink:href=\"#g\" href='  #g'/><a href=\"\"><text>x &gt; y</text></a>"
		   "<animate attributeName=\"x\" from=\"0\" to=\"1\"/>"
		   "<sodipodi:namedview xmlns:sodipodi='http://x' inkscape:path='C:\\a'/>"
		   "</svg>\n", NULL);
	expect_svg("<svg:svg xmlns:svg=\"http://www.w3.org/2000/svg\"><svg:rect/></svg:svg>", NULL);
	/* What Inkscape writes besides the drawing. */
	expect_svg("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
		   "<!-- Created with Inkscape (http://www.inkscape.org/) -->\n"
		   "<svg width=\"210mm\" height=\"297mm\" viewBox=\"0 0 210 297\" "
		   "version=\"1.1\" id=\"svg5\" inkscape:version=\"1.2.2 (b0a8486541, 2022-12-01)\" "
		   "sodipodi:docname=\"图.svg\" "
		   "xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\" "
		   "xmlns:sodipodi=\"http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd\" "
		   "xmlns=\"http://www.w3.org/2000/svg\" xmlns:svg=\"http://www.w3.org/2000/svg\" "
		   "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
		   "xmlns:cc=\"http://creativecommons.org/ns#\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
		   "<sodipodi:namedview id=\"namedview7\" pagecolor=\"#ffffff\" inkscape:zoom=\"0.7\" />\n"
		   "<metadata><rdf:RDF><cc:Work rdf:about=\"\"><dc:format>image/svg+xml</dc:format>"
		   "<dc:type rdf:resource=\"http://purl.org/dc/dcmitype/StillImage\" /></cc:Work></rdf:RDF></metadata>\n"
		   "<g inkscape:label=\"图层 1\" inkscape:groupmode=\"layer\" id=\"layer1\">"
		   "<rect style=\"fill:#d40000;stroke-width:0.26\" id=\"rect1\" width=\"50\" height=\"40\" x=\"20\" y=\"30\" />"
		   "</g>\n</svg>\n", NULL);
	/* Words that only look dangerous. */
	expect_svg(SVG_OPEN "<text>onload script url(http://x) @import</text>"
		   "<rect offset='1' opacity='1' data-x='a'/></svg>", NULL);
}

static void test_svg_refused(void **state)
{
	(void)state;
	expect_svg(SVG_OPEN "\n<script>alert(1)</script></svg>",
		   "holds a <script> element (line 2)" SUFFIX);
	expect_svg(SVG_OPEN "<SCRIPT/></svg>", "holds a <SCRIPT> element (line 1)" SUFFIX);
	expect_svg(SVG_OPEN "<h:script xmlns:h='http://www.w3.org/1999/xhtml'/></svg>",
		   "holds a <h:script> element (line 1)" SUFFIX);
	expect_svg("<svg xmlns='http://www.w3.org/2000/svg' onload='x()'/>",
		   "holds an event attribute 'onload' (line 1)" SUFFIX);
	expect_svg(SVG_OPEN "<rect\n\nONCLICK='x()'/></svg>",
		   "holds an event attribute 'ONCLICK' (line 3)" SUFFIX);
	expect_svg(SVG_OPEN "<rect ev:onbegin='x()'/></svg>",
		   "holds an event attribute 'ev:onbegin' (line 1)" SUFFIX);
	expect_svg(SVG_OPEN "<foreignObject><div/></foreignObject></svg>",
		   "holds a <foreignObject> element (line 1)" SUFFIX);
	expect_svg(SVG_OPEN "<iframe src='#x'/></svg>",
		   "holds a <iframe> element (line 1)" SUFFIX);
	expect_svg(SVG_OPEN "<image xlink:href='http://x/a.png'/></svg>",
		   "holds a reference outside the file, xlink:href=\"http://x/a.png\" (line 1)" SUFFIX);
	expect_svg(SVG_OPEN "<image href='data:image/png;base64,AAAA'/></svg>",
		   "holds a reference outside the file, href=\"data:image/png;base64,AAAA\" (line 1)" SUFFIX);
	expect_svg(SVG_OPEN "<a href='&#x6a;avascript:alert(1)'/></svg>",
		   "holds a reference outside the file, href=\"javascript:alert(1)\" (line 1)" SUFFIX);
	expect_svg(SVG_OPEN "<use href='other.svg#x'/></svg>",
		   "holds a reference outside the file, href=\"other.svg#x\" (line 1)" SUFFIX);
	expect_svg(SVG_OPEN "<a xml:base='http://x/'/></svg>",
		   "holds an xml:base attribute (line 1)" SUFFIX);
	expect_svg(SVG_OPEN "<set attributeName=' xlink:href ' to='javascript:x'/></svg>",
		   "holds an animation of 'xlink:href' (line 1)" SUFFIX);
	expect_svg(SVG_OPEN "<animate attributeName='onclick'/></svg>",
		   "holds an animation of 'onclick' (line 1)" SUFFIX);
	expect_svg(SVG_OPEN "<rect style='fill: URL( \"http://x/p\" )'/></svg>",
		   "holds a reference outside the file, 'URL( \"http://x/p\" )', in a style (line 1)" SUFFIX);
	expect_svg(SVG_OPEN "<rect fill='&#117;rl(//x/p)'/></svg>",
		   "holds a reference outside the file, 'url(//x/p)', in a style (line 1)" SUFFIX);
	expect_svg(SVG_OPEN "<rect style='fill:u\\72l(//x)'/></svg>",
		   "holds a backslash escape in a style (line 1)" SUFFIX);
	expect_svg(SVG_OPEN "<rect style='background:image-set(\"x.png\" 1x)'/></svg>",
		   "holds an image-set() in a style (line 1)" SUFFIX);
	/* A style sheet split by a comment, CDATA or an element is joined. */
	expect_svg(SVG_OPEN "<style>@im<!-- -->port 'x.css';</style></svg>",
		   "holds an @import in a style (line 1)" SUFFIX);
	expect_svg(SVG_OPEN "\n<style>a{b:u<![CDATA[rl(ht]]>tp://x)}</style></svg>",
		   "holds a reference outside the file, 'url(http://x)', in a style (line 2)" SUFFIX);
	expect_svg(SVG_OPEN "<style>@imp<g/>ort 'x'</style></svg>",
		   "holds an @import in a style (line 1)" SUFFIX);
	expect_svg(SVG_OPEN "<style>@import 'x'", /* never closed */
		   "holds an @import in a style (line 1)" SUFFIX);
	expect_svg("<?xml version='1.0'?><?xml-stylesheet href='http://x/a.css'?>" SVG_OPEN "</svg>",
		   "holds a processing instruction '<?xml-stylesheet' (an xml-stylesheet loads another file) (line 1)" SUFFIX);
	expect_svg("<!DOCTYPE svg [<!ENTITY a 'b'>]>" SVG_OPEN "&a;</svg>",
		   "holds a DOCTYPE that declares entities (line 1)" SUFFIX);
	expect_svg("<svg xmlns='http://www.w3.org/1999/xhtml'/>",
		   "holds the namespace 'http://www.w3.org/1999/xhtml', which turns elements into HTML (line 1)" SUFFIX);
}

static void test_svg_unreadable(void **state)
{
	(void)state;
	expect_svg("", "is not an SVG document (it has no <svg> element)");
	expect_svg("<html><script/></html>", "is not an SVG document (its root "
		   "element is <html>, not <svg>)");
	expect_svg("<?xml version='1.0' encoding='ISO-8859-1'?><svg/>",
		   "is an SVG file in an encoding other than UTF-8; save it again as UTF-8");
	expect_svg("<svg>\xC0\xAF</svg>", "is not an SVG file in UTF-8 (it holds "
		   "bytes that are not UTF-8 text); save it again as UTF-8");
	expect_svg("\xFF\xFE<\0s\0v\0g\0>\0", "is not an SVG file in UTF-8 (it "
		   "holds bytes that are not UTF-8 text); save it again as UTF-8");
	expect_svg("<svg><!-- never ends", "is not an SVG file showcase can read "
		   "(line 1: a comment that does not end); save it again as plain SVG");
	expect_svg("<svg x=1/>", "is not an SVG file showcase can read (line 1: "
		   "an attribute value without quotes); save it again as plain SVG");
	expect_svg("<svg x='<'/>", "is not an SVG file showcase can read (line 1: "
		   "a '<' in an attribute value); save it again as plain SVG");
	expect_svg("<svg x='1", "is not an SVG file showcase can read (line 1: "
		   "an attribute value that does not end); save it again as plain SVG");
	expect_svg("<svg>&nbsp;</svg>", "is not an SVG file showcase can read "
		   "(line 1: an entity reference other than &lt; &gt; &amp; "
		   "&quot; &apos;); save it again as plain SVG");
	expect_svg("<svg>&#0;</svg>", "is not an SVG file showcase can read "
		   "(line 1: a character reference to no character); save it "
		   "again as plain SVG");
	expect_svg("<svg>&#x110000;</svg>", "is not an SVG file showcase can "
		   "read (line 1: a character reference out of range); save it "
		   "again as plain SVG");
	expect_svg("<svg>< script/></svg>", "is not an SVG file showcase can read "
		   "(line 1: a '<' that starts no tag); save it again as plain SVG");
	expect_svg("<svg><!ELEMENT x ANY></svg>", "is not an SVG file showcase can "
		   "read (line 1: an unknown declaration '<!'); save it again as plain SVG");
	expect_svg("<svg></ svg>", "is not an SVG file showcase can read (line 1: "
		   "a bad end tag); save it again as plain SVG");
	/* Nesting: 256 levels pass, 257 do not. */
	struct buf deep = BUF_INIT;
	buf_puts(&deep, SVG_OPEN);
	for (int k = 1; k < MEDIA_SVG_MAX_DEPTH; k++)
		buf_puts(&deep, "<g>");
	expect_svg(deep.ptr, NULL);
	buf_puts(&deep, "<g/>\n<g>");
	expect_svg(deep.ptr, "is an SVG file whose elements are nested deeper "
		   "than 256 levels (line 2)");
	buf_release(&deep);
	/* Every prefix of a clean file is accepted or refused, never read
	 * past its end. */
	static const char clean[] = "<?xml version='1.0'?><!DOCTYPE svg>" SVG_OPEN
		"<style><![CDATA[a{}]]></style><!--c--><a href='#x'>&amp;</a></svg>";
	for (size_t k = 0; k < sizeof(clean) - 1; k++) {
		struct buf b = BUF_INIT;
		char *copy = xmalloc(k ? k : 1);
		memcpy(copy, clean, k);
		(void)media_svg_check(copy, k, &b);
		free(copy);
		buf_release(&b);
	}
}

/* ---- the policy over a snapshot ---- */

static char tmproot[4096];

static void write_file(const char *rel, const void *data, size_t n)
{
	char path[8192];
	snprintf(path, sizeof(path), "%s/%s", tmproot, rel);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void test_policy(void **state)
{
	struct repo_snapshot *snap = NULL;
	struct media_policy mp;
	struct media_limits lim = { 0, 64 };
	struct diag d;
	unsigned char png[64];
	size_t n = make_png(png, 2, 2, NULL, 0);
	const char *why, *why2;
	(void)state;

	test_git_sandbox("showcase-media", tmproot);
	test_sh("mkdir -p '%s/content/.hidden'", tmproot);
	write_file("content/a.png", png, n);
	write_file("content/b.png", "GIF89a", 6);
	write_file("content/big.pdf", "%PDF-1.4 and more than sixty-four bytes, which is "
		   "the limit of this test", 73);
	write_file("content/.hidden/c.png", png, n);
	write_file("content/d.pdf", "%PDF-1.4", 8);
	test_sh("ln -s a.png '%s/content/link.png'", tmproot);

	diag_init(&d);
	assert_int_equal(repo_snapshot_open(&snap, tmproot, NULL, 1, NULL, &d), 0);
	media_policy_init(&mp, snap, &lim);

	assert_int_equal(media_policy_check(&mp, "content/a.png", 1, &why, &d), MEDIA_OK);
	assert_null(why);
	/* Cached: the same answer, for either use. */
	assert_int_equal(media_policy_check(&mp, "content/a.png", 0, &why, &d), MEDIA_OK);
	assert_int_equal(media_policy_check(&mp, "content/none.png", 1, &why, &d), MEDIA_MISSING);
	assert_null(why);
	assert_int_equal(media_policy_check(&mp, "content/b.png", 1, &why, &d), MEDIA_REFUSED);
	assert_string_equal(why, "is named '.png' but is not a PNG file (it holds a GIF image)");
	assert_int_equal(media_policy_check(&mp, "content/b.png", 0, &why2, &d), MEDIA_REFUSED);
	assert_ptr_equal(why, why2); /* the cached reason */
	assert_int_equal(media_policy_check(&mp, "content/big.pdf", 0, &why, &d), MEDIA_REFUSED);
	assert_string_equal(why, "is 73 bytes, over the limit of 64 for a published "
			    "file (limits.media_bytes in site.yaml)");
	assert_int_equal(media_policy_check(&mp, "content/.hidden/c.png", 1, &why, &d),
			 MEDIA_REFUSED);
	assert_string_equal(why, "is in a hidden folder ('.hidden'): files and folders "
			    "whose names start with '.' are never published");
	assert_int_equal(media_policy_check(&mp, "content/link.png", 1, &why, &d), MEDIA_REFUSED);
	assert_string_equal(why, "is a symbolic link; commit the file itself");
	/* The use is checked on every call, the content once. */
	assert_int_equal(media_policy_check(&mp, "content/d.pdf", 0, &why, &d), MEDIA_OK);
	assert_int_equal(media_policy_check(&mp, "content/d.pdf", 1, &why, &d), MEDIA_REFUSED);
	assert_string_equal(why, "is not an image ('.pdf'); images are .jpg, .jpeg, "
			    ".png, .gif, .webp or .svg (link a document instead of "
			    "showing it)");
	assert_int_equal(diag_error_count(&d), 0);

	media_policy_release(&mp);
	media_policy_release(&mp); /* twice is harmless */
	repo_snapshot_free(snap);
	diag_release(&d);
	test_sh("rm -rf '%s'", tmproot);
}

/* The markup of an image with smaller copies: WebP <source>, srcset of
 * the copies then the original (whose name is made safe for srcset),
 * sizes, width and height; text escaped. */
static void test_thumb_html(void **state)
{
	struct thumb_config cfg = { .widths = { 480 }, .nwidths = 1,
				    .max_pixels = 1000000, .base_path = "/b/" };
	struct thumb_set *ts = thumb_set_new(&cfg, NULL, NULL);
	struct thumb_image im = {
		.width = 1200, .height = 800, .nwebp = 1, .nimg = 2,
		.webp = { { 480, "media/_thumbs/x-480-r.webp" } },
		.img = { { 480, "media/_thumbs/x-480-r.png" }, { 1200, NULL } },
	};
	struct thumb_image small = { .width = 240, .height = 135, .nimg = 1,
				     .img = { { 240, NULL } } };
	struct buf out = BUF_INIT;

	(void)state;
	thumb_html(ts, &im, "/b/media/a b,c.png", "图 \"引\" <x>", "", &out);
	assert_string_equal(out.ptr,
		"<picture><source type=\"image/webp\" srcset=\"/b/media/_thumbs/"
		"x-480-r.webp 480w\" sizes=\"" THUMB_SIZES "\"><img "
		"src=\"/b/media/a b,c.png\" srcset=\"/b/media/_thumbs/x-480-r.png "
		"480w, /b/media/a%20b%2Cc.png 1200w\" sizes=\"" THUMB_SIZES "\" "
		"width=\"1200\" height=\"800\" alt=\"图 &quot;引&quot; &lt;x&gt;\" "
		"loading=\"lazy\" decoding=\"async\"></picture>");
	/* Nothing smaller: its size only, no srcset. */
	buf_reset(&out);
	thumb_html(ts, &small, "/b/s.png", "", "题", &out);
	assert_string_equal(out.ptr, "<img src=\"/b/s.png\" width=\"240\" "
			    "height=\"135\" alt=\"\" title=\"题\" "
			    "loading=\"lazy\" decoding=\"async\">");
	buf_release(&out);
	thumb_set_free(ts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_png),
		cmocka_unit_test(test_jpeg),
		cmocka_unit_test(test_gif),
		cmocka_unit_test(test_webp),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_svg_clean),
		cmocka_unit_test(test_svg_refused),
		cmocka_unit_test(test_svg_unreadable),
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_thumb_html),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
