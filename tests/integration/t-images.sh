# Smaller copies of the images pages show (thumb.h, issue 11): WebP and
# srcset widths made with libvips, never larger than the image, width and
# height on every raster image, made once and linked on rebuilds, and a
# file libvips cannot decode reported at the field or image that shows it.

MEDIA="python3 $HERE/make_media.py"

# image_record NAME BODY [FRONT]: content/cases/NAME.md, a valid case with
# extra front matter lines FRONT (the body starts on line 6 without them).
image_record() {
	printf -- '---\ntitle: 图片\ndate: 2024-05-01\nkind: 工作案例\n%s---\n%s\n' \
		"${3:-}" "$2" > "site/content/cases/$1.md"
}

# oid FILE: the blob id git gives FILE's bytes.
oid() {
	git hash-object "$1"
}

# expect_size FILE W H: an image of W x H pixels, as libvips reads it.
expect_size() {
	local w h
	w=$(vipsheader -f width "$1") h=$(vipsheader -f height "$1")
	[ "$w x $h" = "$2 x $3" ] || fail "$1 is $w x $h, not $2 x $3"
}

# A site with a 1200 x 800 PNG in a body, a 240 x 135 cover (the size that
# was stretched to 775 pixels) and the fixture's 800 x 450 JPEG.
images_site() {
	make_site site
	local img=site/content/cases/images
	$MEDIA png 1200 800 $img/big.png
	$MEDIA png 240 135 $img/small.png
	image_record m '![大图](images/big.png "标题") ![照片](images/photo.jpg)

![再次](images/big.png)' 'cover: content/cases/images/small.png
'
	commit_all site
}

t_images_sizes() {
	images_site
	run_showcase 0 build -C site
	local out=site/output thumbs=site/output/media/_thumbs
	local big small photo
	big=$(oid site/content/cases/images/big.png)
	small=$(oid site/content/cases/images/small.png)
	photo=$(oid site/content/cases/images/photo.jpg)
	# The widths below the image's own, as WebP and in its own format,
	# and a WebP at its own width when that is smaller than the original
	# (a photograph's is; a flat grey PNG's is not); nothing larger.
	expect_size $thumbs/$big-480-*.webp 480 320
	expect_size $thumbs/$big-480-*.png 480 320
	expect_size $thumbs/$big-960-*.webp 960 640
	expect_size $thumbs/$big-960-*.png 960 640
	[ "$(ls $thumbs | grep -c -- "$big-")" = 4 ] || fail "big.png: $(ls $thumbs)"
	expect_size $thumbs/$photo-480-*.webp 480 270
	expect_size $thumbs/$photo-480-*.jpg 480 270
	expect_size $thumbs/$photo-800-*.webp 800 450
	[ "$(ls $thumbs | grep -c -- "$photo-")" = 3 ] || fail "photo.jpg: $(ls $thumbs)"
	# 240 pixels wide: no larger copy (and its WebP is not smaller).
	[ -z "$(ls $thumbs | grep -- "$small-")" ] ||
		fail "small.png: $(ls $thumbs | grep -- "$small-")"
	# The originals stay published for the full-size link.
	cmp $out/media/content/cases/images/big.png site/content/cases/images/big.png
	local page=$out/cases/m/index.html
	expect_contains $page '<picture><source type="image/webp" srcset="/peixun/media/_thumbs/'"$big"'-480-'
	expect_contains $page '<img src="/peixun/media/content/cases/images/big.png" srcset="/peixun/media/_thumbs/'"$big"'-480-'
	expect_contains $page ' 960w, /peixun/media/content/cases/images/big.png 1200w" sizes="'
	expect_contains $page 'width="1200" height="800" alt="大图" title="标题" loading="lazy" decoding="async"></picture>'
	expect_contains $page 'width="800" height="450" alt="照片"'
	# The cover: its own size, no srcset of larger copies.
	expect_contains $page '<img src="/peixun/media/content/cases/images/small.png" width="240" height="135" alt="图片" decoding="async">'
	expect_contains $page '<source type="image/webp" srcset="/peixun/media/_thumbs/'"$photo"'-480-'
	expect_contains $page ' 480w, /peixun/media/_thumbs/'"$photo"'-800-'
	# Cards show the smallest copy.
	expect_contains $out/cases/index.html 'class="card-cover" src="/peixun/media/content/cases/images/small.png"'
	expect_contains $out/cases/index.html 'width="240" height="135" alt="" loading="lazy"'
	# Every <img> of a page has a size, except SVG.
	! grep -o '<img [^>]*>' $page | grep -v 'width="' || fail "an <img> without width"
}
test_case "images: copies at the configured widths below the image's own, WebP, width and height, no upscaling" t_images_sizes

t_images_rebuild() {
	images_site
	run_showcase 0 build -C site --out "$PWD/a"
	run_showcase 0 build -C site --out "$PWD/b" --jobs 1
	[ "$(tree_digest a)" = "$(tree_digest b)" ] || fail "two builds differ"
	local f
	f=$(ls a/media/_thumbs/*-480-*.webp | head -n 1)
	local before
	before=$(stat -c %i "$f")
	# Another record changes: the pages are made again, the copies of
	# the images are linked from the previous output.
	printf '\n又一段。\n' >> site/content/cases/c1.md
	commit_all site
	run_showcase 0 build -C site --out "$PWD/a"
	[ "$(stat -c %i "$f")" = "$before" ] || fail "$f was made again"
	rm -rf b
	run_showcase 0 build -C site --out "$PWD/b"
	[ "$(tree_digest a)" = "$(tree_digest b)" ] || fail "the rebuild differs from a fresh build"
}
test_case "images: byte-identical builds (-j1 too); a rebuild links the copies it has" t_images_rebuild

t_images_widths() {
	images_site
	printf 'images:\n  widths: [300, 100]\n' >> site/site.yaml
	commit_all site
	run_showcase 0 build -C site
	local big
	big=$(oid site/content/cases/images/big.png)
	expect_size site/output/media/_thumbs/$big-100-*.png 100 67
	expect_size site/output/media/_thumbs/$big-300-*.png 300 200
	# Its own width is over the largest: no WebP of it.
	[ "$(ls site/output/media/_thumbs | grep -c -- "$big-")" = 4 ] ||
		fail "$(ls site/output/media/_thumbs)"
	printf 'images:\n  widths: [480, 9]\n' > site/site.yaml.new
	grep -v '^images:\|^  widths' site/site.yaml >> site/site.yaml.new
	mv site/site.yaml.new site/site.yaml
	commit_all site
	run_showcase 1 build -C site
	expect_contains err.txt "site.yaml:2:17: error: 'images.widths' must hold integers from 16 to 8192"
}
test_case "images: site.yaml images.widths" t_images_widths

t_images_corrupt() {
	make_site site
	local img=site/content/cases/images
	head -c 2000 $img/photo.jpg > $img/cut.jpg
	$MEDIA png 64 64 $img/p.png
	python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); open(sys.argv[1], "wb").write(d[:60])' $img/p.png
	image_record m '正文

![坏图](images/p.png)' 'cover: content/cases/images/cut.jpg
'
	commit_all site
	run_showcase 1 build -C site
	expect_contains err.txt "content/cases/m.md:5:8: error: image 'content/cases/images/cut.jpg' cannot be decoded (libvips: "
	expect_contains err.txt "content/cases/m.md:9:1: error: image 'images/p.png' cannot be decoded (libvips: "
	expect_no_file site/output
}
test_case "images: a file libvips cannot decode is an error at its field or image" t_images_corrupt

t_images_thumbs_folder() {
	make_site site
	mkdir -p site/_thumbs
	$MEDIA png 4 4 site/_thumbs/a.png
	image_record m '![a](../../_thumbs/a.png)'
	commit_all site
	run_showcase 1 build -C site
	expect_contains err.txt "content/cases/m.md:6:1: error: image '../../_thumbs/a.png' is in the folder '_thumbs', where showcase puts the smaller copies"
}
test_case "images: files under _thumbs/ are not published (the copies go there)" t_images_thumbs_folder
