# Diagnostics in one run (issue 8): clashing output paths, file names,
# body errors beside front-matter errors, a line for every error, booklet
# errors at the record, a template error once; and the report's directives
# read only from the template. Each checks the exit code and the exact
# `path:line:column: error: message` lines.

# A record of `cases` with front matter lines in $2 (after the title, date
# and kind), written to site/content/cases/$1.md.
diag_case() {
	{
		printf -- '---\ntitle: 案例%s\ndate: 2024-01-01\nkind: 工作案例\n' "$1"
		[ -z "${2:-}" ] || printf '%s\n' "$2"
		printf -- '---\n%s\n' "${3:-正文。}"
	} > "site/content/cases/$1.md"
}

# Every line of err.txt is `path:line:column: error: ...` (or a warning).
expect_every_line_placed() {
	! grep -vE '^[^ ]+:[0-9]+:[0-9]+: (error|warning): ' err.txt ||
		fail "a diagnostic without a line and column"
}

# Build into a fresh output and keep it; then commit a change that must
# fail, and check the old output is untouched and no scratch is left.
expect_build_fails_untouched() {
	local code=$1 before
	before=$(tree_digest site/output)
	commit_all site "bad change"
	run_showcase "$code" build -C site -q
	[ "$(tree_digest site/output)" = "$before" ] || fail "output changed"
	[ -z "$(find site -maxdepth 1 -name '.output.showcase-tmp*')" ] || fail "scratch folder left behind"
}

t_diag_slug_clashes() {
	make_site site
	run_showcase 0 build -C site -q
	diag_case x "slug: index.html"
	expect_build_fails_untouched 1
	cat > want.txt <<'EOF'
content/cases/x.md:5:7: error: page 'cases/index.html/index.html' needs a folder 'cases/index.html', which is the list page of 'cases'; choose another slug
EOF
	expect_same_text err.txt want.txt

	# Records at the top level of the site may claim what showcase writes
	# itself: every clash in one run, each at the record's slug (line 1
	# when the slug is the file name), naming the other side; a record
	# whose slug names a folder others need is blamed once, not each
	# record inside.
	git -C site rm -q content/cases/x.md
	cat >> site/site.yaml <<'EOF'
page_size: 1
collections:
  cases:
    permalink: "/{slug}"
  studios:
    permalink: "/{collection}/page/{slug}/"
  achievements:
    permalink: "/{collection}/{slug}.pdf"
EOF
	diag_case home "slug: index.html"
	diag_case missing "slug: 404.html"
	diag_case media
	diag_case static "slug: static"
	diag_case projects "slug: projects"
	diag_case deep "slug: media.x"
	diag_case report "slug: reports"
	cat > site/content/studios/s2.md <<'EOF'
---
title: 第二工作室
kind: 名师工作室
level: 市级
host: 李老师
---
EOF
	cat > site/content/studios/2.md <<'EOF'
---
title: 第三工作室
kind: 名师工作室
level: 县级
host: 赵老师
---
EOF
	expect_build_fails_untouched 1
	cat > want.txt <<'EOF'
content/cases/home.md:5:7: error: page 'index.html' is also the home page; choose another slug
content/cases/media.md:1:1: error: page 'media' would replace the folder 'media/', which holds the images and files that records link to; choose another slug
content/cases/missing.md:5:7: error: page '404.html' is also the page for missing pages; choose another slug
content/cases/projects.md:5:7: error: page 'projects' is a file where the list page of 'projects' ('projects/index.html') needs a folder; choose another slug
content/cases/report.md:5:7: error: page 'reports' is a file where the list page of 'reports' ('reports/index.html') needs a folder; choose another slug
content/cases/static.md:5:7: error: page 'static' would replace the folder 'static/', which holds the theme's static files; choose another slug
content/studios/2.md:1:1: error: page 'studios/page/2/index.html' is also page 2 of the list of 'studios'; choose another slug
EOF
	expect_same_text err.txt want.txt
}
test_case "diag: a slug that clashes with a page of the site is exit 1 at its line, every clash in one run" t_diag_slug_clashes

t_diag_page_clashes_between_records() {
	make_site site
	run_showcase 0 build -C site -q
	cat >> site/site.yaml <<'EOF'
collections:
  cases:
    permalink: "/{slug}/"
  projects:
    permalink: "/{slug}/"
  reports:
    permalink: "/{slug}"
EOF
	diag_case p1
	diag_case 2024.pdf "slug: 2024.pdf"
	diag_case 2024.html "slug: 2024.html"
	expect_build_fails_untouched 1
	cat > want.txt <<'EOF'
content/cases/2024.html.md:5:7: error: page '2024.html/index.html' needs a folder '2024.html', which is the booklet of 'content/reports/2024.md'; choose another slug
content/cases/2024.pdf.md:5:7: error: page '2024.pdf/index.html' needs a folder '2024.pdf', which is the booklet of 'content/reports/2024.md'; choose another slug
content/cases/p1.md:1:1: error: page 'p1/index.html' is also the page of 'content/projects/p1.md'; choose another slug
EOF
	expect_same_text err.txt want.txt
}
test_case "diag: two records, or a record and a booklet, on one path name both sources" t_diag_page_clashes_between_records

t_diag_file_names() {
	local bad ctl
	make_site site
	printf -v bad 'site/content/cases/\xb0\xb8\xc0\xfd\x1b[2J.md'
	printf -v ctl 'site/content/cases/images/tab\there.jpg'
	diag_case ok
	cp site/content/cases/ok.md "$bad"
	cp site/content/cases/images/photo.jpg "$ctl"
	commit_all site
	run_showcase 1 build -C site -q
	cat > want.txt <<'EOF'
content/cases/images/tab\there.jpg:1:1: error: file name holds a control character; rename the file
content/cases/\xb0\xb8\xc0\xfd\x1b[2J.md:1:1: error: file name is not valid UTF-8 (was it committed from a system with another encoding?); rename the file
EOF
	expect_same_text err.txt want.txt
	! grep -q "$(printf '\x1b')" err.txt || fail "a raw escape reached the terminal"
	expect_no_file site/output
}
test_case "diag: a file name that is not UTF-8 is an error naming it, escaped" t_diag_file_names

t_diag_bodies_with_front_matter() {
	make_site site
	diag_case bad "studio: nobody" "见[不存在](nope.md)和![图](images/nope.png)，[坏记录](broken.md)，[草稿](draft.md)。"
	printf -- '---\ntitle: [\n---\n[也坏](gone.md)\n' > site/content/cases/broken.md
	diag_case draft "draft: true"
	commit_all site
	run_showcase 1 build -C site -q
	cat > want.txt <<'EOF'
content/cases/bad.md:5:9: error: 'studio' refers to 'nobody', which is not a record of 'studios' (no file content/studios/nobody.md)
content/cases/bad.md:7:2: error: link to 'nope.md' points to a missing file 'content/cases/nope.md'
content/cases/bad.md:7:17: error: image 'images/nope.png' points to a missing file 'content/cases/images/nope.png'
content/cases/bad.md:7:56: error: link to 'draft.md' points to a missing file 'content/cases/draft.md'
content/cases/broken.md:3:1: error: invalid YAML: did not find expected node content while parsing a flow node
content/cases/broken.md:4:1: error: link to 'gone.md' points to a missing file 'content/cases/gone.md'
EOF
	expect_same_text err.txt want.txt
}
test_case "diag: body link and image errors come in the same run as front-matter errors" t_diag_bodies_with_front_matter

t_diag_every_error_has_a_line() {
	make_site site
	diag_case -bad
	diag_case a "slug: c1"
	cat >> site/site.yaml <<'EOF'
collections:
  studios:
    permalink: "/{collection}/{year}/{slug}/"
    fields:
      date: { type: date, label: 成立日期 }
EOF
	cat > site/content/reports/second.md <<'EOF'
---
title: 又一本
year: 2024
---
EOF
	commit_all site
	run_showcase 1 build -C site -q
	cat > want.txt <<'EOF'
content/cases/-bad.md:1:1: error: invalid slug '-bad': use letters, digits, '-', '_' or '.', not starting with '.' or '-' (the slug comes from the file name; rename the file or give a 'slug' field)
content/cases/c1.md:1:1: error: duplicate slug 'c1' in 'cases': 'content/cases/a.md' has it too
content/studios/s1.md:1:1: error: permalink '/{collection}/{year}/{slug}/' needs a 'year' or 'date' field, which this record lacks
EOF
	expect_same_text err.txt want.txt
	expect_every_line_placed

	git -C site rm -q content/cases/-bad.md content/cases/a.md
	git -C site checkout -q HEAD~1 -- site.yaml
	commit_all site
	run_showcase 1 report 2024 -C site -q
	cat > want.txt <<'EOF'
content/reports/second.md:3:7: error: a second report for 2024 (the first is 'content/reports/2024.md')
EOF
	expect_same_text err.txt want.txt
}
test_case "diag: every error has a line; a slug from the file name is at 1:1" t_diag_every_error_has_a_line

t_diag_booklet_images() {
	make_site site
	printf 'not an image' > site/content/cases/images/bad.png
	printf 'not an image either' > site/content/reports/cover.png
	printf '\n![坏图](images/bad.png)\n' >> site/content/cases/c1.md
	sed -i 's|^year: 2024$|year: 2024\ncover: content/reports/cover.png|' site/content/reports/2024.md
	commit_all site
	cat > want.txt <<'EOF'
content/cases/c1.md:23:1: error: image 'images/bad.png' is named '.png' but is not a PNG file
content/reports/2024.md:4:8: error: image 'content/reports/cover.png' is named '.png' but is not a PNG file
EOF
	run_showcase 1 build -C site -q
	expect_same_text err.txt want.txt
	expect_no_file site/output
	run_showcase 1 report 2024 -C site -q
	expect_same_text err.txt want.txt
	expect_no_file site/output
	# An image whose header is sound but whose data is damaged is found
	# only when the booklet decodes it: still at the record's line.
	python3 - site/content/cases/images/bad.png <<'PY'
import struct, sys, zlib
def chunk(kind, data):
    return (struct.pack('>I', len(data)) + kind + data +
            struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff))
open(sys.argv[1], 'wb').write(b'\x89PNG\r\n\x1a\n' +
    chunk(b'IHDR', struct.pack('>IIBBBBB', 4, 4, 8, 2, 0, 0, 0)) +
    chunk(b'IDAT', b'not zlib data') + chunk(b'IEND', b''))
PY
	sed -i '/^cover:/d' site/content/reports/2024.md
	commit_all site
	run_showcase 1 report 2024 -C site -q
	echo "content/cases/c1.md:23:1: error: cannot read image 'content/cases/images/bad.png': its PNG data is damaged or truncated" > want.txt
	expect_same_text err.txt want.txt
}
test_case "diag: booklet image errors name the record, not report.mustache" t_diag_booklet_images

t_diag_template_error_once() {
	local i
	make_site site
	for i in $(seq 1 60); do diag_case "n$i"; done
	mkdir -p theme
	cp -R "$HERE/../../themes/default/." theme/
	printf '{{> partials/footer}}\n' >> theme/templates/partials/footer.mustache
	commit_all site
	run_showcase 3 build -C site -q --theme "$PWD/theme"
	local line
	line=$(wc -l < theme/templates/partials/footer.mustache)
	printf '%s:%s:1: error: template '\''partials/footer'\'' nests partials deeper than 100 levels (does it include itself without end?)\n' \
		"$PWD/theme/templates/partials/footer.mustache" "$line" > want.txt
	expect_same_text err.txt want.txt
	expect_no_file site/output
}
test_case "diag: a template error is reported once, not once per page" t_diag_template_error_once

# ---- report directives ----

t_diag_directive_in_a_body() {
	local contents
	make_site site
	run_showcase 0 build -C site -q
	pdftotext site/output/reports/2024/2024.pdf before.txt
	# (a page opening with its title, no running head, starts with \f)
	contents=$(tr -d '\f' < before.txt | grep -c '^目录$')
	cat >> site/content/cases/c1.md <<'EOF'

示例：

```showcase
toc
cover
frobnicate now
chart nosuch
```
EOF
	commit_all site
	run_showcase 0 build -C site -q
	expect_contains site/output/cases/c1/index.html '<pre><code class="language-showcase">toc'
	local html=site/output/reports/2024/2024.html
	[ "$(grep -c 'class="toc"' $html)" = 1 ] || fail "a second contents list"
	[ "$(grep -c 'class="cover"' $html)" = 1 ] || fail "a second cover"
	expect_contains $html '<pre><code class="language-showcase">toc
cover
frobnicate now
chart nosuch
</code></pre>'
	pdftotext site/output/reports/2024/2024.pdf booklet.txt
	expect_contains booklet.txt "frobnicate now"
	[ "$(tr -d '\f' < booklet.txt | grep -c '^目录$')" = "$contents" ] || fail "a second contents in the PDF"
	run_showcase 0 report 2024 -C site -q --format html --out one.html
	[ "$(grep -c 'class="toc"' one.html)" = 1 ] || fail "a second contents list (report)"
}
test_case "directives: a showcase block in a record body is an ordinary code block" t_diag_directive_in_a_body

t_diag_directive_errors_in_template() {
	make_site site
	mkdir -p theme
	cp -R "$HERE/../../themes/default/." theme/
	# A mistake on a line of its own, one inside a section that repeats
	# for each featured case, one in a partial, one from data.
	sed -i 's|^toc$|toc\nnumbring|' theme/templates/report.mustache
	sed -i 's|^record {{ref}} 3$|record {{ref}} 3\nchart nofigure pie\nbody cases/nope 9|' theme/templates/report.mustache
	printf '```showcase\npagebreak\n  chart projects_by_level pi\n```\n' > theme/templates/partials/extra.mustache
	sed -i 's|^# 五、成果目录$|{{> partials/extra}}\n# 五、成果目录|' theme/templates/report.mustache
	sed -i 's|^body {{report.ref}} 2$|body {{report.ref}}/x 2|' theme/templates/report.mustache
	local t="$PWD/theme/templates"
	at() { grep -n -- "$1" theme/templates/report.mustache | cut -d: -f1; }
	cat > want.txt <<EOF
$t/partials/extra.mustache:3:27: error: unknown chart style 'pi' (expected bar, hbar or pie)
$t/report.mustache:$(at '^body {{report.ref}}/x 2$'):6: error: 'reports/2024/x' does not name a record: write COLLECTION/SLUG
$t/report.mustache:$(at '^numbring$'):1: error: unknown directive 'numbring' (expected cover, toc, numbering, pagebreak, chart, fields, body, record or colophon)
$t/report.mustache:$(at '^chart nofigure pie$'):1: error: chart directive names 'nofigure', which is not a figure's breakdown (FIGURE_by_FIELD of the theme's figures.yaml, e.g. projects_by_level)
$t/report.mustache:$(at '^body cases/nope 9$'):17: error: heading level '9' is not a number from 1 to 6
EOF
	run_showcase 3 build -C site -q --theme "$PWD/theme"
	expect_same_text err.txt want.txt
	expect_no_file site/output
	run_showcase 3 report 2024 -C site -q --theme "$PWD/theme"
	expect_same_text err.txt want.txt
}
test_case "directives: problems in the template are reported at the template line that wrote them" t_diag_directive_errors_in_template
