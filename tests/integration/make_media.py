#!/usr/bin/env python3
"""Write small media files for the integration tests (t-media.sh).

    make_media.py png W H PATH     a grey PNG of W x H pixels whose IDAT is
                                   complete and all zeros, so a 20000 x 20000
                                   "decompression bomb" is some 400 KB
    make_media.py jpeg-sof W H PATH  a JPEG that is only a frame header
    make_media.py gif PATH         a 1 x 1 GIF
    make_media.py webp PATH        a 1 x 1 lossless WebP
    make_media.py pdf PATH         a one-page PDF
    make_media.py docx PATH        a Word document (ZIP with its parts)
    make_media.py lfs PATH         a Git LFS pointer file

Only the standard library (zlib, zipfile), so the tests need no imaging tool.
"""
import base64
import struct
import sys
import zipfile
import zlib


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png(w, h, path):
    z = zlib.compressobj(9)
    out = [b"\x89PNG\r\n\x1a\n",
           chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))]
    idat = []
    row = b"\0" * (w + 1)  # filter byte, then one grey byte a pixel
    rows = max(1, (8 << 20) // len(row))
    for y in range(0, h, rows):
        idat.append(z.compress(row * min(rows, h - y)))
    idat.append(z.flush())
    out.append(chunk(b"IDAT", b"".join(idat)))
    out.append(chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(b"".join(out))


def jpeg_sof(w, h, path):
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, h, w, 1) + b"\x01\x11\x00"
    with open(path, "wb") as f:
        f.write(b"\xff\xd8" + sof + b"\xff\xd9")


GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff"
       b"!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00"
       b"\x00\x02\x02D\x01\x00;")
WEBP = base64.b64decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
LFS = (b"version https://git-lfs.github.com/spec/v1\n"
       b"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
       b"size 12345\n")


def docx(path):
    with zipfile.ZipFile(path, "w") as z:
        for name, text in [
            ("[Content_Types].xml",
             '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
            ("word/document.xml", '<?xml version="1.0"?><document/>'),
        ]:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            z.writestr(info, text)


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def main(argv):
    kind = argv[1]
    if kind == "png":
        png(int(argv[2]), int(argv[3]), argv[4])
    elif kind == "jpeg-sof":
        jpeg_sof(int(argv[2]), int(argv[3]), argv[4])
    elif kind == "docx":
        docx(argv[2])
    else:
        write(argv[2], {"gif": GIF, "webp": WEBP, "pdf": PDF, "lfs": LFS}[kind])


if __name__ == "__main__":
    main(sys.argv)
