# `showcase report YEAR`: the booklet as PDF and print HTML, checked with
# poppler-utils the way a reader sees it.

# A site with records in 2023 and 2024, so the year's figures must filter.
make_report_site() {
	make_site site
	local i
	for i in 1 2 3; do
		cat > site/content/projects/extra$i.md <<MD
---
title: 2024年送教下乡项目$i
year: 2024
level: 县培
region: 河阳县
trainees: $((i * 37))
hours: $((i * 8))
rating: 良好
---
项目$i简介。
MD
	done
	cat > site/content/projects/old.md <<'MD'
---
title: 2023年旧项目
year: 2023
level: 市培
region: 北山县
trainees: 999
hours: 99
---
MD
	cat > site/content/cases/c2.md <<'MD'
---
title: 乡村教师成长的第二个案例
date: 2024-09-01
kind: 学员成长案例
project: p1
featured: true
---
## 成长过程

乡村教师在工作坊中成长，经历了备课、上课、反思三个阶段。（这一句以括号结尾。）“引号里的话，”他说，“要守规矩。”

| 阶段 | 内容 |
|---|---|
| 备课 | 集体研讨 |
MD
	commit_all site "records for the booklet"
}

pdf_page_text() { pdftotext -layout -f "$2" -l "$2" "$1" - 2>/dev/null; }

# Every line of a PDF as set: the words of pdftotext -bbox on one baseline,
# left to right.
pdf_visual_lines() {
	pdftotext -bbox "$1" - | python3 -c '
import re, sys
page, words = 0, []
for line in sys.stdin:
    if "<page " in line:
        page += 1
    m = re.search(r"<word xMin=\"([\d.]+)\" yMin=\"([\d.]+)\"[^>]*>(.*)</word>", line)
    if m:
        words.append((page, round(float(m.group(2))), float(m.group(1)), m.group(3)))
lines = {}
for p, y, x, t in sorted(words):
    lines.setdefault((p, y), []).append(t)
for key in sorted(lines):
    print("".join(lines[key]))
'
}

t_report_pdf() {
	make_report_site
	run_showcase 0 report 2024 -C site
	local pdf=site/output/reports/2024/2024.pdf
	expect_file $pdf
	pdfinfo $pdf > info.txt
	expect_contains info.txt "Title:           2024年度教师培训成果展示"
	expect_contains info.txt "Author:          测试县教育体育局"
	expect_contains info.txt "CreationDate:"
	pages=$(awk '/^Pages:/ {print $2}' info.txt)
	[ "$pages" -ge 6 ] || fail "only $pages pages"
	# Every font embedded, both CJK families used.
	pdffonts $pdf | tail -n +3 > fonts.txt
	awk '{ if ($(NF-4) != "yes") bad = 1 } END { exit bad }' fonts.txt || fail "a font is not embedded: $(cat fonts.txt)"
	expect_contains fonts.txt "NotoSerifCJK"
	expect_contains fonts.txt "NotoSansCJK"
	pdftotext -layout $pdf all.txt
	# Featured case titles, chapter titles.
	expect_contains all.txt "案例一"
	expect_contains all.txt "乡村教师成长的第二个案例"
	for ch in 一、年度概况 二、培训项目 三、典型案例 四、工作室风采 五、成果目录 六、年度评选; do
		expect_contains all.txt "$ch"
	done
	# The year's figures, recomputed from the fixture records of 2024.
	local trainees hours
	trainees=$(cat site/content/projects/*.md | awk '/^year:/ {y=$2} /^trainees:/ {t=$2} /^---$/ && ++n % 2 == 0 { if (y == 2024) s += t; y=0; t=0 } END {print s}')
	hours=$(cat site/content/projects/*.md | awk '/^year:/ {y=$2} /^hours:/ {t=$2} /^---$/ && ++n % 2 == 0 { if (y == 2024) s += t; y=0; t=0 } END {print s}')
	[ "$trainees" = 342 ] || fail "fixture trainees sum is $trainees"
	tr -d ' \n' < all.txt > flat.txt
	expect_contains flat.txt "参训人次：${trainees}人次"
	expect_contains flat.txt "项目学时合计：${hours}学时"
	expect_not_contains flat.txt "培训总学时"
	expect_not_contains flat.txt "全市"
	expect_contains flat.txt "培训项目4个"
	expect_not_contains flat.txt "999"
	# No line starts with closing punctuation, none ends with opening: the
	# lines as set (the words on one baseline; pdftotext -layout splits a
	# line where a half-width mark overlaps the next character's box).
	pdf_visual_lines $pdf > lines.txt
	[ "$(wc -l < lines.txt)" -gt 50 ] || fail "too few lines: $(cat lines.txt)"
	! grep -nE '^\s*[。，、；：？！）》」』】]' lines.txt || fail "a line starts with closing punctuation"
	! grep -nE '[（《「『【]\s*$' lines.txt || fail "a line ends with opening punctuation"
}
test_case "report: a PDF with metadata, embedded CJK fonts, the year's figures" t_report_pdf

t_report_toc_and_headers() {
	make_report_site
	run_showcase 0 report 2024 -C site --out "$PWD/b.pdf"
	local pages p
	pages=$(pdfinfo b.pdf | awk '/^Pages:/ {print $2}')
	# Each contents entry "TITLE ..... N": the page printed N shows TITLE.
	# The footer number is the last line of a page's text.
	: > numbers.txt
	for p in $(seq 1 "$pages"); do
		pdf_page_text b.pdf "$p" > "page-$p.txt"
		[ -n "$(tr -d ' \n\f' < "page-$p.txt")" ] || fail "page $p is blank"
		n=$(grep -v '^\s*$' "page-$p.txt" | tail -1 | tr -d ' \f')
		echo "$p $n" >> numbers.txt
	done
	local toc
	toc=$(grep -lE '^\s*目录\s*$' page-*.txt | head -1)
	[ -n "$toc" ] || fail "no contents page"
	grep -E '^\s*[一二三四五六附].*[0-9]+\s*$' "$toc" | sed -E 's/[ .·…]+([0-9]+)\s*$/|\1/; s/^\s+//' > entries.txt
	[ "$(wc -l < entries.txt)" -ge 7 ] || fail "contents has too few entries: $(cat "$toc")"
	while IFS='|' read -r title num; do
		phys=$(awk -v n="$num" '$2 == n {print $1; exit}' numbers.txt)
		[ -n "$phys" ] || fail "no page is numbered $num (for $title)"
		sed 's/[[:space:]　]//g' "page-$phys.txt" | grep -qF "$(printf %s "$title" | sed 's/[[:space:]　]//g')" ||
			fail "'$title' is not on page $num (physical $phys)"
	done < entries.txt
	# The running header (first line) of every numbered page names the
	# chapter that page belongs to: the last one starting on or before it;
	# a chapter's first page has none, its first line is the chapter title.
	local checked=0 openers=0
	while read -r phys n; do
		case "$n" in *[!0-9]*|'') continue ;; esac
		chapter=$(awk -F'|' -v n="$n" '$2 <= n {c = $1} END {print c}' entries.txt)
		[ -n "$chapter" ] || continue
		first=$(grep -v '^\s*$' "page-$phys.txt" | head -1)
		if awk -F'|' -v n="$n" '$2 == n {f = 1} END {exit !f}' entries.txt &&
		   printf %s "$chapter" | grep -q '^[一二三四五六附]'; then
			printf %s "$first" | grep -q '2024年度教师培训成果展示' &&
				fail "page $n (physical $phys) opens a chapter but has a running head: $first"
			openers=$((openers + 1))
			continue
		fi
		printf %s "$first" | grep -qF "$chapter" ||
			fail "page $n (physical $phys) does not name its chapter '$chapter' in its header"
		checked=$((checked + 1))
	done < numbers.txt
	[ "$openers" -ge 5 ] || fail "only $openers chapter openers checked"
	[ "$checked" -ge 3 ] || fail "only $checked pages had a header to check"
}
test_case "report: contents page numbers and running headers match the pages" t_report_toc_and_headers

t_report_reproducible() {
	make_report_site
	run_showcase 0 report 2024 -C site --out "$PWD/one.pdf"
	run_showcase 0 report 2024 -C site --out "$PWD/two.pdf"
	cmp one.pdf two.pdf || fail "two runs differ"
	run_showcase 0 report 2024 -C site --format html --out "$PWD/one.html"
	run_showcase 0 report 2024 -C site --format html --out "$PWD/two.html"
	cmp one.html two.html || fail "two HTML runs differ"
	expect_contains one.html '<html lang="zh-CN"'
	expect_contains one.html '<svg'
	expect_contains one.html 'src="data:image/jpeg;base64,'
	expect_contains one.html '乡村教师成长的第二个案例'
	expect_not_contains one.html 'src="http'
}
test_case "report: two runs are byte-identical; the print HTML is self-contained" t_report_reproducible

# A body's photo prints at its natural size (TS_PRINT_PPI) beside a cover
# that is another image: the body image's place was once left with stray
# bytes for its share of the text width, which printed it at 1e-307
# points and failed the PDF ("invalid matrix").
t_report_body_photo_beside_cover() {
	make_site site
	set_c1_cover 700 500 cover.png
	commit_all site "c1: a cover of its own"
	run_showcase 0 report 2024 -C site --out "$PWD/one.pdf"
	# 800 pixels of photo.jpg at 200 ppi; the cover at half the text width
	pdfimages -list one.pdf | awk '$4 == 800 && $5 == 450 { print $13 }' > ppi.txt
	[ "$(cat ppi.txt)" = 200 ] || fail "the body photo prints at $(cat ppi.txt) ppi, not 200"
	pdfimages -list one.pdf | awk '$4 == 700 { print $13 }' > ppi.txt
	[ "$(cat ppi.txt)" = 216 ] || fail "the cover prints at $(cat ppi.txt) ppi, not 216"
}
test_case "report: a body's photo beside a cover of another image prints at its natural size" t_report_body_photo_beside_cover

t_report_errors() {
	make_report_site
	run_showcase 1 report 2030 -C site
	expect_same_text err.txt - <<'TXT'
showcase: error: no report record for 2030 (content/reports/2030.md); years with a report: 2024
TXT
	expect_no_file site/output
	cp "$FIXTURES/bad/bad-selection-entry/content/selections/x.md" site/content/selections/
	commit_all site
	run_showcase 1 report 2024 -C site
	expect_same_text err.txt "$FIXTURES/bad/bad-selection-entry/expected"
	expect_no_file site/output
	run_showcase 2 report
	run_showcase 2 report 20x4
	run_showcase 2 report 2024 --format docx
}
test_case "report: a missing report or a bad selection gives diagnostics, no file" t_report_errors

t_build_writes_booklets() {
	make_report_site
	run_showcase 0 build -C site
	expect_file site/output/reports/2024/2024.pdf
	expect_file site/output/reports/2024/2024.html
	expect_contains site/output/reports/2024/index.html 'href="/peixun/reports/2024/2024.pdf"'
	printf 'reports:\n  pdf: false\n  html: false\n' >> site/site.yaml
	commit_all site
	run_showcase 0 build -C site
	expect_no_file site/output/reports/2024/2024.pdf
	expect_not_contains site/output/reports/2024/index.html '2024.pdf'
}
test_case "build writes each report's booklet and links it, unless turned off" t_build_writes_booklets

# Ids of a print page: each once, and every "#..." link leads to one.
check_ids() {
	python3 - "$1" <<'PY'
import sys, urllib.parse
from html.parser import HTMLParser
ids, hrefs = [], []
class P(HTMLParser):
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            ids.append(a["id"])
        if tag == "a" and (a.get("href") or "").startswith("#"):
            hrefs.append(urllib.parse.unquote(a["href"][1:]))
P().feed(open(sys.argv[1], encoding="utf-8").read())
dup = sorted({i for i in ids if ids.count(i) > 1})
dangling = sorted(set(hrefs) - set(ids))
if dup or dangling:
    sys.exit(f"duplicate ids: {dup}; links to no id: {dangling}")
print(f"{len(ids)} ids, {len(hrefs)} links")
PY
}

t_report_ids_unique() {
	make_report_site
	# Two cases printed in full, each with the same headings and its own
	# footnotes, and links to both.
	local i
	for i in 3 4; do
		cat > site/content/cases/n$i.md <<MD
---
title: 有脚注的案例$i
date: 2024-0$i-01
kind: 工作案例
project: p1
featured: true
---
## 背景

正文$i[^1]，又引一次[^1]，另一条[^说明]。见[背景](#背景)、[下一节](#背景-1)和[注一](#fn-1)。

## 背景

同名的第二节。

[^1]: 案例$i的第一条脚注。
[^说明]: 案例$i的第二条脚注。
MD
	done
	commit_all site
	run_showcase 0 report 2024 -C site --format html --out "$PWD/b.html"
	check_ids b.html
	expect_contains b.html '<h3 id="cases:n3:背景">'
	expect_contains b.html '<h3 id="cases:n4:背景-1">'
	expect_contains b.html '<li id="cases:n4:fn-1">'
	expect_contains b.html '<a href="#cases:n4:fn-1" id="cases:n4:fnref-1-2" data-footnote-ref>1</a>'
	expect_contains b.html '<a href="#cases:n3:%E8%83%8C%E6%99%AF-1">下一节</a>'
	# Each case's notes in a section of their own, closed before the next.
	[ "$(grep -c '<section class="footnotes"' b.html)" = 2 ] || fail "not one notes section per case"
	awk '/<section class="footnotes"/ { open = 1 } /<\/section>/ { open = 0 }
	     /<h[1-6]/ && open { bad = 1 } END { exit bad }' b.html ||
		fail "a heading inside a notes section"
	# The site's page of each case keeps the plain ids.
	run_showcase 0 build -C site
	expect_contains site/output/cases/n3/index.html '<li id="fn-1">'
	expect_contains site/output/cases/n3/index.html '<h2 id="背景-1">'
	check_ids site/output/reports/2024/2024.html
	# The PDF numbers the notes through the booklet, references and notes
	# alike: the second case's first note is [3], not its label's 1.
	pdftotext site/output/reports/2024/2024.pdf all.txt
	expect_contains all.txt "正文4[3]"
	expect_contains all.txt "[3] 案例4的第一条脚注"
}
test_case "report: print HTML ids are unique with two bodies' headings and footnotes; links follow" t_report_ids_unique
