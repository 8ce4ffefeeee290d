# What is published from the files that records link to (issue 8): hidden
# files, types, content that does not match its name, SVG that could run
# or load something, Git LFS pointers, decompression bombs, sizes.

MEDIA="python3 $HERE/make_media.py"

# media_record NAME BODY [FRONT]: content/cases/NAME.md, a valid case with
# extra front matter lines FRONT (the body starts on line 6 without them).
media_record() {
	printf -- '---\ntitle: 媒体\ndate: 2024-05-01\nkind: 工作案例\n%s---\n%s\n' \
		"${3:-}" "$2" > "site/content/cases/$1.md"
}

t_media_published() {
	make_site site
	local img=site/content/cases/images
	$MEDIA png 3 2 $img/a.png
	cp $img/photo.jpg $img/PHOTO.JPG
	$MEDIA gif $img/b.gif
	$MEDIA webp $img/c.webp
	$MEDIA pdf site/content/cases/plan.pdf
	$MEDIA docx site/content/cases/report.docx
	cat > $img/clean.svg <<'SVG'
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">
  <!-- a comment with <script> in it is no script -->
  <defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>
  <style>rect { fill: url(#g); }</style>
  <rect id="r" width="10" height="10" style="stroke: url('#g')"/>
  <use xlink:href="#r" x="1"/>
  <text>&lt;script&gt; &#x4e2d;</text>
</svg>
SVG
	media_record m '![a](images/a.png) ![b](images/b.gif) ![c](images/c.webp)
![d](images/PHOTO.JPG) ![e](images/clean.svg)

[计划](plan.pdf) [报告](report.docx)' 'cover: content/cases/images/a.png
'
	commit_all site
	run_showcase 0 build -C site
	local out=site/output/media/content/cases
	for f in images/a.png images/b.gif images/c.webp images/PHOTO.JPG \
		 images/clean.svg plan.pdf report.docx; do
		expect_file $out/$f
		cmp $out/$f site/content/cases/$f || fail "$f changed"
	done
	expect_contains site/output/cases/m/index.html 'src="/peixun/media/content/cases/images/c.webp"'
	expect_contains site/output/cases/m/index.html 'href="/peixun/media/content/cases/report.docx"'
}
test_case "media: images (PNG, JPEG, GIF, WebP, clean SVG), PDF and Word are published" t_media_published

t_media_env_link() {
	make_site site
	printf 'DB_PASSWORD=hunter2\n' > site/.env
	media_record m '密码见[配置](../../.env)。'
	commit_all site
	run_showcase 1 build -C site
	expect_contains err.txt "content/cases/m.md:6:4: error: link to '../../.env' is a hidden file ('.env'): files and folders whose names start with '.' are never published"
	expect_no_file site/output
}
test_case "media: a link to ../../.env is refused at its line and column" t_media_env_link

t_media_dotfiles() {
	make_site site
	mkdir -p site/content/cases/.drafts
	$MEDIA png 1 1 site/content/cases/.drafts/a.png
	$MEDIA png 1 1 site/content/cases/images/.b.png
	media_record m '![草稿](.drafts/a.png)' 'cover: content/cases/images/.b.png
'
	commit_all site
	run_showcase 1 build -C site
	expect_contains err.txt "content/cases/m.md:5:8: error: image 'content/cases/images/.b.png' is a hidden file ('.b.png'): files and folders whose names start with '.' are never published"
	# Body links are checked when pages are rendered, after the front
	# matter: fix the cover, and the body's error shows.
	sed -i '/^cover:/d' site/content/cases/m.md
	commit_all site
	run_showcase 1 build -C site
	expect_contains err.txt "content/cases/m.md:6:1: error: image '.drafts/a.png' is in a hidden folder ('.drafts'): files and folders whose names start with '.' are never published"
	expect_no_file site/output
}
test_case "media: files and folders whose names start with '.' are never published" t_media_dotfiles

t_media_types() {
	make_site site
	printf '<script>alert(document.cookie)</script>\n' > site/content/cases/page.html
	printf 'text\n' > site/content/cases/notes
	$MEDIA pdf site/content/cases/plan.pdf
	media_record m '[页面](page.html)
[笔记](notes)
![计划](plan.pdf)'
	commit_all site
	run_showcase 1 build -C site
	expect_contains err.txt "content/cases/m.md:6:1: error: link to 'page.html' is a '.html' file, which is not published; link images (.jpg .jpeg .png .gif .webp .svg), PDF or office documents (.doc .docx .xls .xlsx .ppt .pptx)"
	expect_contains err.txt "content/cases/m.md:7:1: error: link to 'notes' has no extension, so it is not published; link images"
	expect_contains err.txt "content/cases/m.md:8:1: error: image 'plan.pdf' is not an image ('.pdf'); images are .jpg, .jpeg, .png, .gif, .webp or .svg (link a document instead of showing it)"
	expect_no_file site/output
}
test_case "media: .html and other types are refused; a PDF is no image" t_media_types

t_media_svg() {
	make_site site
	local img=site/content/cases/images
	printf '<svg xmlns="http://www.w3.org/2000/svg">\n<script>alert(1)</script></svg>\n' > $img/script.svg
	printf '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\n' > $img/onload.svg
	printf '<svg xmlns="http://www.w3.org/2000/svg">\n\n<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject></svg>\n' > $img/fo.svg
	printf '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n<image xlink:href="https://tracker.example/p.png"/></svg>\n' > $img/href.svg
	printf '<svg xmlns="http://www.w3.org/2000/svg"><a href="&#106;avascript:alert(1)"><text>x</text></a></svg>\n' > $img/js.svg
	printf '<svg xmlns="http://www.w3.org/2000/svg"><style>@imp<!-- -->ort "https://x.example/a.css";</style></svg>\n' > $img/import.svg
	printf '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://x.example/f.svg#p)"/></svg>\n' > $img/url.svg
	printf '<?xml version="1.0"?>\n<!DOCTYPE svg [ <!ENTITY x "y"> ]>\n<svg xmlns="http://www.w3.org/2000/svg">&x;</svg>\n' > $img/entity.svg
	media_record m '![1](images/script.svg)
![2](images/onload.svg)
![3](images/fo.svg)
![4](images/href.svg)
[5](images/js.svg)
![6](images/import.svg)
![7](images/url.svg)
![8](images/entity.svg)'
	commit_all site
	run_showcase 1 build -C site
	local tail="; SVG with scripts, event attributes, foreignObject or references outside the file is not published"
	expect_contains err.txt "content/cases/m.md:6:1: error: image 'images/script.svg' holds a <script> element (line 2)$tail"
	expect_contains err.txt "content/cases/m.md:7:1: error: image 'images/onload.svg' holds an event attribute 'onload' (line 1)$tail"
	expect_contains err.txt "content/cases/m.md:8:1: error: image 'images/fo.svg' holds a <foreignObject> element (line 3)$tail"
	expect_contains err.txt "content/cases/m.md:9:1: error: image 'images/href.svg' holds a reference outside the file, xlink:href=\"https://tracker.example/p.png\" (line 2)$tail"
	expect_contains err.txt "content/cases/m.md:10:1: error: link to 'images/js.svg' holds a reference outside the file, href=\"javascript:alert(1)\" (line 1)$tail"
	expect_contains err.txt "content/cases/m.md:11:1: error: image 'images/import.svg' holds an @import in a style (line 1)$tail"
	expect_contains err.txt "content/cases/m.md:12:1: error: image 'images/url.svg' holds a reference outside the file, 'url(https://x.example/f.svg#p)', in a style (line 1)$tail"
	expect_contains err.txt "content/cases/m.md:13:1: error: image 'images/entity.svg' holds a DOCTYPE that declares entities (line 2)$tail"
	expect_no_file site/output
}
test_case "media: SVG with script, onload, foreignObject or outside references is refused" t_media_svg

t_media_wrong_magic() {
	make_site site
	local img=site/content/cases/images
	printf '<html><body>not a picture</body></html>\n' > $img/fake.png
	$MEDIA png 1 1 $img/png.jpg
	: > $img/empty.gif
	printf 'not a pdf\n' > site/content/cases/plan.pdf
	media_record m '![1](images/fake.png)
![2](images/png.jpg)
![3](images/empty.gif)
[4](plan.pdf)'
	commit_all site
	run_showcase 1 build -C site
	expect_contains err.txt "content/cases/m.md:6:1: error: image 'images/fake.png' is named '.png' but is not a PNG file (it holds markup such as HTML or XML)"
	expect_contains err.txt "content/cases/m.md:7:1: error: image 'images/png.jpg' is named '.jpg' but is not a JPEG file (it holds a PNG image)"
	expect_contains err.txt "content/cases/m.md:8:1: error: image 'images/empty.gif' is named '.gif' but is not a GIF file (it is empty)"
	expect_contains err.txt "content/cases/m.md:9:1: error: link to 'plan.pdf' is named '.pdf' but is not a PDF file"
}
test_case "media: a file whose bytes are not of the type its name says is refused" t_media_wrong_magic

t_media_lfs() {
	make_site site
	$MEDIA lfs site/content/cases/images/big.png
	$MEDIA lfs site/content/cases/slides.pdf
	media_record m '[幻灯片](slides.pdf)' 'cover: content/cases/images/big.png
'
	commit_all site
	run_showcase 1 build -C site
	expect_contains err.txt "content/cases/m.md:5:8: error: image 'content/cases/images/big.png' is a Git LFS pointer; run git lfs pull / commit the real file"
	sed -i '/^cover:/d' site/content/cases/m.md
	commit_all site
	run_showcase 1 build -C site
	expect_contains err.txt "content/cases/m.md:6:1: error: link to 'slides.pdf' is a Git LFS pointer; run git lfs pull / commit the real file"
}
test_case "media: a Git LFS pointer is refused, saying so" t_media_lfs

t_media_symlink() {
	make_site site
	ln -s photo.jpg site/content/cases/images/link.jpg
	media_record m '![链接](images/link.jpg)'
	commit_all site
	run_showcase 1 build -C site
	expect_contains err.txt "content/cases/m.md:6:1: error: image 'images/link.jpg' is a symbolic link; commit the file itself"
}
test_case "media: a symbolic link is not followed" t_media_symlink

# Run showcase under /usr/bin/time; fail if it takes a second or more or
# more than MAX_KB of memory.
# run_bounded EXIT MAX_KB [MAX_SECONDS] -- ARGS: run, check the exit code,
# peak memory and time (1 s unless given, times TIME_FACTOR).
run_bounded() {
	local want=$1 max_kb=$2 max_s=1 code=0
	shift 2
	if [ "$1" != "--" ] && [ "$2" = "--" ]; then max_s=$1; shift; fi
	[ "$1" = "--" ] && shift
	/usr/bin/time -f '%e %M' -o time.txt "$SHOWCASE" "$@" >out.txt 2>err.txt || code=$?
	[ "$code" = "$want" ] || { cat err.txt >&2; fail "exit code $code, expected $want"; }
	# A failing command adds a line "Command exited with..." first.
	read -r secs kb <<EOF
$(tail -n 1 time.txt)
EOF
	echo "took $secs s, $kb KB" >&2
	awk -v s="$secs" -v m="$max_s" -v f="$TIME_FACTOR" 'BEGIN { exit !(s < m * f) }' ||
		fail "took $secs s"
	# AddressSanitizer about doubles what a build holds.
	[ "$TIME_FACTOR" -gt 1 ] && max_kb=$((max_kb * 2))
	[ "$kb" -lt "$max_kb" ] || fail "used $kb KB"
}

t_media_bombs() {
	[ -x /usr/bin/time ] || { echo "skipped: no /usr/bin/time"; return 0; }
	make_site site
	local img=site/content/cases/images
	$MEDIA png 20000 20000 $img/bomb.png
	[ "$(stat -c %s $img/bomb.png)" -lt 400000 ] || fail "the bomb is too big"
	$MEDIA jpeg-sof 60000 60000 $img/bomb.jpg
	# The booklet's cover: what took 1.7 GB and exited 0.
	sed -i 's#^year: 2024#cover: content/cases/images/bomb.png\nyear: 2024#' \
		site/content/reports/2024.md
	media_record m '![大](images/bomb.jpg)' 'cover: content/cases/images/bomb.png
'
	# Another record's error, reported in the same run.
	printf -- '---\ntitle: 缺日期\nkind: 工作案例\n---\n' > site/content/cases/nodate.md
	commit_all site
	run_bounded 1 150000 build -C site
	expect_contains err.txt "content/reports/2024.md:3:8: error: image 'content/cases/images/bomb.png' is 20000x20000 pixels, over the limit of 40000000 pixels (limits.image_pixels in site.yaml); scale it down"
	expect_contains err.txt "content/cases/m.md:5:8: error: image 'content/cases/images/bomb.png' is 20000x20000 pixels, over the limit of 40000000 pixels"
	expect_contains err.txt "content/cases/nodate.md:2:1: error: missing required field 'date' (日期)"
	run_bounded 1 150000 report 2024 -C site
	expect_contains err.txt "content/reports/2024.md:3:8: error: image 'content/cases/images/bomb.png' is 20000x20000 pixels"
	# In a body, and for JPEG too.
	sed -i '/^cover:/d' site/content/cases/m.md site/content/reports/2024.md
	rm site/content/cases/nodate.md
	commit_all site
	# The booklets are typeset beside a page's error (their own problems
	# come in the same run), which costs what a normal build does (about
	# 180 MB with the CJK fonts), not the 14 GB the bomb would.
	run_bounded 1 400000 3 -- build -C site
	expect_contains err.txt "content/cases/m.md:6:1: error: image 'images/bomb.jpg' is 60000x60000 pixels, over the limit of 40000000 pixels (limits.image_pixels in site.yaml); scale it down"
	# The limit is the site's to lower (or raise, up to a ceiling).
	printf 'limits:\n  image_pixels: 5\n' >> site/site.yaml
	commit_all site
	run_showcase 1 build -C site
	expect_contains err.txt "content/cases/c1.md:8:8: error: image 'content/cases/images/photo.jpg' is 800x450 pixels, over the limit of 5 pixels (limits.image_pixels in site.yaml); scale it down"
}
test_case "media: a 20000x20000 PNG is refused from its header, fast and in little memory" t_media_bombs

t_media_record_size() {
	make_site site
	{ printf -- '---\ntitle: 长\ndate: 2024-05-01\nkind: 工作案例\n---\n'
	  head -c 1100000 /dev/zero | tr '\0' 'a'; } > site/content/cases/long.md
	commit_all site
	run_showcase 1 build -C site
	expect_contains err.txt "content/cases/long.md:1:1: error: record file is 1100055 bytes, over the limit of 1048576 (limits.record_bytes in site.yaml); split the record or link large material as a file"
	printf 'limits:\n  record_bytes: 2000000\n' >> site/site.yaml
	commit_all site
	run_showcase 0 build -C site
	printf '  record_bytes: 0\n  media_bytes: x\n  pixels: 1\n' >> site/site.yaml
	sed -i '/record_bytes: 2000000/d' site/site.yaml
	commit_all site
	run_showcase 1 build -C site
	expect_contains err.txt "site.yaml:7:17: error: 'limits.record_bytes' must be an integer from 1 to 67108864"
	expect_contains err.txt "site.yaml:8:16: error: 'limits.media_bytes' must be an integer from 1 to 1073741824"
	expect_contains err.txt "site.yaml:9:3: warning: unknown setting 'limits.pixels'"
}
test_case "media: a record file over limits.record_bytes is refused, naming it" t_media_record_size

t_media_bytes() {
	make_site site
	$MEDIA pdf site/content/cases/plan.pdf
	head -c 4000 /dev/zero >> site/content/cases/plan.pdf
	printf 'limits:\n  media_bytes: 3000\n' >> site/site.yaml
	media_record m '[计划](plan.pdf)'
	commit_all site
	run_showcase 1 build -C site
	expect_contains err.txt "content/cases/m.md:6:1: error: link to 'plan.pdf' is 4193 bytes, over the limit of 3000 for a published file (limits.media_bytes in site.yaml)"
}
test_case "media: a published file over limits.media_bytes is refused" t_media_bytes

t_media_theme_hidden() {
	make_site site
	mkdir -p site/themes/plain
	cp -R "$HERE/../../themes/default/." site/themes/plain/
	printf 'SECRET=1\n' > site/themes/plain/static/.env
	mkdir -p site/themes/plain/static/.cache
	printf 'x\n' > site/themes/plain/static/.cache/a.css
	printf 'theme: plain\n' >> site/site.yaml
	commit_all site
	run_showcase 0 build -C site
	expect_file site/output/static/style.css
	expect_no_file site/output/static/.env
	expect_no_file site/output/static/.cache
}
test_case "media: a theme's hidden static files are not published" t_media_theme_hidden
