/*
 * fuzz_media: the input as a linked file. Byte 0 picks its name (bits 0-2:
 * .png .jpg .gif .webp .svg .pdf .docx .doc) and its use (bit 3: an image,
 * else a link); the rest is its content. media_check_bytes() applies the
 * whole policy (LFS pointer, magic bytes, image header, pixel limit, SVG
 * scan); the image header readers also run on their own, on every raster
 * type, whatever the name says.
 */
#include "fuzz.h"

#include "buf.h"
#include "media.h"

#include <string.h>

static const char *const names[] = {
	"content/a.png", "content/a.jpg", "content/a.gif", "content/a.webp",
	"content/a.svg", "content/a.pdf", "content/a.docx", "content/a.doc",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum media_type raster[] = {
		MEDIA_PNG, MEDIA_JPEG, MEDIA_GIF, MEDIA_WEBP,
	};
	struct buf why = BUF_INIT;
	const unsigned char *p = data + 1;
	size_t n;

	if (!size)
		return 0;
	n = size - 1;
	if (media_check_bytes(names[data[0] & 7], p, n, (data[0] >> 3) & 1,
			      NULL, &why) < 0 && !why.len)
		abort(); /* a refusal always says why */
	for (size_t i = 0; i < sizeof(raster) / sizeof(*raster); i++) {
		struct media_image_info info;
		const char *reason = NULL;
		if (media_image_header(raster[i], p, n, &info, &reason) < 0) {
			if (!reason || !*reason)
				abort();
			continue;
		}
		/* A size is never 0, and pixels is the saturated product. */
		if (!info.width || !info.height || !info.frames)
			abort();
		unsigned long long wh = (unsigned long long)info.width * info.height;
		if (info.pixels < wh ||
		    (info.pixels != ~0ULL && info.pixels != wh * info.frames))
			abort();
	}
	buf_release(&why);
	return 0;
}
