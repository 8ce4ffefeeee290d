/*
 * media_image: the size of a raster image read from its header (part of
 * the media module; see media.h).
 *
 * A decoder allocates width x height pixels as soon as it has read the
 * header, whatever the size of the file: zeros compress about 1000:1, so a
 * PNG of 389 KB can ask for 1.6 GB. These readers look at the header alone,
 * so that the policy refuses such a file before anything decodes it, on
 * the site's validation and in the booklet's typesetter alike.
 *
 * Why by hand: gdk-pixbuf (which comes with librsvg) reports a size only
 * from a loader fed with the file, through a GObject signal, runs the
 * format's whole parser on the input to get there, has no WebP loader on
 * Debian 12 and says nothing of the frames of an animation; libwebp's
 * WebPGetFeatures() covers one format and is not among our dependencies.
 * A header is a few fixed fields; reading them needs no library, and
 * these functions are pure, so unit tests and the fuzzer reach them.
 *
 * No length field is trusted: every offset is checked against the bytes
 * there are, and every walk (JPEG segments, PNG and WebP chunks, GIF
 * blocks) moves forward by at least one byte a step, so each reader is
 * linear in the size of the file.
 */
#include "media.h"

#include <limits.h>
#include <string.h>

static unsigned long be16(const unsigned char *p)
{
	return (unsigned long)p[0] << 8 | p[1];
}

static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
	       (unsigned long)p[2] << 8 | p[3];
}

static unsigned long le16(const unsigned char *p)
{
	return (unsigned long)p[1] << 8 | p[0];
}

static unsigned long le24(const unsigned char *p)
{
	return (unsigned long)p[2] << 16 | (unsigned long)p[1] << 8 | p[0];
}

static unsigned long le32(const unsigned char *p)
{
	return (unsigned long)p[3] << 24 | le24(p);
}

static unsigned long long mul_sat(unsigned long long a, unsigned long long b)
{
	return b && a > ULLONG_MAX / b ? ULLONG_MAX : a * b;
}

static void set_info(struct media_image_info *out, unsigned long w,
		     unsigned long h, unsigned long frames)
{
	out->width = w;
	out->height = h;
	out->frames = frames ? frames : 1;
	out->pixels = mul_sat(mul_sat(w, h), out->frames);
}

/* ---- PNG: the IHDR chunk, which must come first; acTL for APNG ---- */

static int png_header(const unsigned char *p, size_t n,
		      struct media_image_info *out, const char **why)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G',
					      '\r', '\n', 0x1a, '\n' };
	unsigned long w, h, frames = 1;

	if (n < 8 || memcmp(p, sig, 8)) {
		*why = "is not a PNG file (it lacks the PNG signature)";
		return -1;
	}
	if (n < 8 + 8 + 13) {
		*why = "is a truncated PNG file (no complete IHDR header)";
		return -1;
	}
	if (be32(p + 8) != 13 || memcmp(p + 12, "IHDR", 4)) {
		*why = "is a damaged PNG file (its first chunk is not IHDR)";
		return -1;
	}
	w = be32(p + 16);
	h = be32(p + 20);
	if (!w || !h || w > 0x7fffffffUL || h > 0x7fffffffUL) {
		*why = "is a damaged PNG file (a width or height of 0 or over 2^31)";
		return -1;
	}
	/* An animated PNG counts its frames in acTL, before the image data. */
	for (size_t i = 8; n - i >= 12;) {
		unsigned long len = be32(p + i);
		if (!memcmp(p + i + 4, "IDAT", 4))
			break;
		if (!memcmp(p + i + 4, "acTL", 4) && len >= 8) {
			frames = be32(p + i + 8);
			break;
		}
		if (len > n - i - 12)
			break;
		i += 12 + len;
	}
	set_info(out, w, h, frames);
	return 0;
}

/* ---- JPEG: the first frame header (SOFn) among the segments ---- */

static int is_sof(unsigned m)
{
	/* C4 (DHT), C8 (reserved) and CC (DAC) share the range. */
	return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

static int jpeg_header(const unsigned char *p, size_t n,
		       struct media_image_info *out, const char **why)
{
	size_t i = 2;

	if (n < 3 || p[0] != 0xFF || p[1] != 0xD8 || p[2] != 0xFF) {
		*why = "is not a JPEG file (it lacks the JPEG start marker)";
		return -1;
	}
	for (;;) {
		unsigned m;
		unsigned long len;

		if (i >= n)
			break;
		if (p[i] != 0xFF) {
			*why = "is a damaged JPEG file (a segment does not start with a marker)";
			return -1;
		}
		while (i < n && p[i] == 0xFF) /* fill bytes */
			i++;
		if (i >= n)
			break;
		m = p[i++];
		if (m == 0x01 || (m >= 0xD0 && m <= 0xD7))
			continue; /* markers without a length */
		if (m == 0xD8 || m == 0xD9 || m == 0xDA || m == 0x00) {
			*why = "is a damaged JPEG file (no frame header before its image data)";
			return -1;
		}
		if (n - i < 2)
			break;
		len = be16(p + i);
		if (len < 2) {
			*why = "is a damaged JPEG file (a segment length under 2)";
			return -1;
		}
		if (is_sof(m)) {
			unsigned long w, h;
			if (len < 8 || n - i < 7)
				break;
			h = be16(p + i + 3);
			w = be16(p + i + 5);
			if (!w || !h) {
				/* A height of 0 is given later by a DNL
				 * segment, which few decoders support. */
				*why = "is a JPEG file without a width or height in its frame header";
				return -1;
			}
			set_info(out, w, h, 1);
			return 0;
		}
		if (len > n - i)
			break;
		i += len;
	}
	*why = "is a truncated JPEG file (it ends before its frame header)";
	return -1;
}

/* ---- GIF: the logical screen and every image descriptor ---- */

/* Skip data sub-blocks from p[*i]: lengths, then a zero. 0, or -1 if the
 * file ends first. */
static int gif_skip_blocks(const unsigned char *p, size_t n, size_t *i)
{
	while (*i < n) {
		size_t len = p[(*i)++];
		if (!len)
			return 0;
		if (len > n - *i)
			return -1;
		*i += len;
	}
	return -1;
}

static int gif_header(const unsigned char *p, size_t n,
		      struct media_image_info *out, const char **why)
{
	unsigned long w, h, frames = 0;
	size_t i = 13;

	if (n < 6 || (memcmp(p, "GIF87a", 6) && memcmp(p, "GIF89a", 6))) {
		*why = "is not a GIF file (it lacks the GIF signature)";
		return -1;
	}
	if (n < 13)
		goto truncated;
	w = le16(p + 6);
	h = le16(p + 8);
	if (p[10] & 0x80)
		i += (size_t)3 << ((p[10] & 7) + 1);
	/* Decoders grow the canvas to fit a frame that sticks out. */
	for (;;) {
		if (i >= n) {
			if (frames)
				break; /* no trailer: tolerated, as decoders do */
			goto truncated;
		}
		if (p[i] == 0x3B)
			break;
		if (p[i] == 0x21) { /* extension: label, then sub-blocks */
			i += 2;
			if (i > n || gif_skip_blocks(p, n, &i) < 0)
				goto truncated;
			continue;
		}
		if (p[i] != 0x2C) {
			*why = "is a damaged GIF file (an unknown block)";
			return -1;
		}
		if (n - i < 11)
			goto truncated;
		unsigned long right = le16(p + i + 1) + le16(p + i + 5);
		unsigned long bottom = le16(p + i + 3) + le16(p + i + 7);
		unsigned flags = p[i + 9];
		if (right > w)
			w = right;
		if (bottom > h)
			h = bottom;
		frames++;
		i += 10;
		if (flags & 0x80)
			i += (size_t)3 << ((flags & 7) + 1);
		i++; /* LZW minimum code size */
		if (i > n || gif_skip_blocks(p, n, &i) < 0)
			goto truncated;
	}
	if (!frames || !w || !h) {
		*why = "is a GIF file without an image";
		return -1;
	}
	set_info(out, w, h, frames);
	return 0;
truncated:
	*why = "is a truncated GIF file";
	return -1;
}

/* ---- WebP: RIFF chunks VP8 (lossy), VP8L (lossless), VP8X (extended) ---- */

static int webp_header(const unsigned char *p, size_t n,
		       struct media_image_info *out, const char **why)
{
	unsigned long w = 0, h = 0, frames = 0;
	int seen = 0;
	size_t i = 12;

	if (n < 12 || memcmp(p, "RIFF", 4) || memcmp(p + 8, "WEBP", 4)) {
		*why = "is not a WebP file (it lacks the RIFF WEBP signature)";
		return -1;
	}
	/* Every chunk counts, ANMF frames too: the canvas is the largest
	 * size any of them gives, so none can hide a bigger bitstream. */
	while (n - i >= 8) {
		const unsigned char *c = p + i + 8;
		unsigned long size = le32(p + i + 4), cw = 0, ch = 0;
		size_t avail = n - i - 8;

		if (!memcmp(p + i, "VP8 ", 4)) {
			if (avail < 10 || size < 10)
				goto truncated;
			if ((c[0] & 1) || memcmp(c + 3, "\x9d\x01\x2a", 3)) {
				*why = "is a damaged WebP file (a VP8 image that is not a key frame)";
				return -1;
			}
			cw = le16(c + 6) & 0x3fff;
			ch = le16(c + 8) & 0x3fff;
		} else if (!memcmp(p + i, "VP8L", 4)) {
			if (avail < 5 || size < 5)
				goto truncated;
			if (c[0] != 0x2f) {
				*why = "is a damaged WebP file (a VP8L image without its signature)";
				return -1;
			}
			unsigned long bits = le32(c + 1);
			cw = (bits & 0x3fff) + 1;
			ch = ((bits >> 14) & 0x3fff) + 1;
		} else if (!memcmp(p + i, "VP8X", 4)) {
			if (avail < 10 || size < 10)
				goto truncated;
			cw = le24(c + 4) + 1;
			ch = le24(c + 7) + 1;
		} else if (!memcmp(p + i, "ANMF", 4)) {
			if (avail < 16 || size < 16)
				goto truncated;
			cw = le24(c + 0) * 2 + le24(c + 6) + 1; /* x offset is in pairs */
			ch = le24(c + 3) * 2 + le24(c + 9) + 1;
			frames++;
			/* The frame's own bitstream is nested inside: read it
			 * as the next chunk. */
			if (cw > w)
				w = cw;
			if (ch > h)
				h = ch;
			i += 8 + 16;
			continue;
		}
		if (cw || ch) {
			seen = 1;
			if (!cw || !ch) {
				*why = "is a damaged WebP file (a width or height of 0)";
				return -1;
			}
			if (cw > w)
				w = cw;
			if (ch > h)
				h = ch;
		}
		if (size > avail)
			break; /* the rest is missing: what was read stands */
		i += 8 + size + (size & 1);
		if (i > n)
			break;
	}
	if (!seen && !frames)
		goto truncated;
	set_info(out, w, h, frames);
	return 0;
truncated:
	*why = "is a truncated WebP file (no complete image header)";
	return -1;
}

int media_image_header(enum media_type t, const unsigned char *p, size_t n,
		       struct media_image_info *out, const char **why)
{
	memset(out, 0, sizeof(*out));
	switch (t) {
	case MEDIA_PNG:
		return png_header(p, n, out, why);
	case MEDIA_JPEG:
		return jpeg_header(p, n, out, why);
	case MEDIA_GIF:
		return gif_header(p, n, out, why);
	case MEDIA_WEBP:
		return webp_header(p, n, out, why);
	default:
		*why = "is not a raster image";
		return -1;
	}
}
