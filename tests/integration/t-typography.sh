# The booklet as a book designer reads it (issue 12), checked with poppler
# and qpdf on the PDF. make_report_site comes from t-report.sh.
type make_report_site > /dev/null 2>&1 || . "$HERE/t-report.sh"

# The catalog of a PDF, uncompressed, for grep.
pdf_catalog() { qpdf --qdf --object-streams=disable "$1" - | tr -d '\r'; }

t_booklet_clean_pdf() {
	make_report_site
	run_showcase 0 report 2024 -C site --out "$PWD/b.pdf"
	# Strict checkers find nothing (Cairo alone leaves a damaged xref).
	qpdf --check b.pdf > check.txt 2>&1 || fail "qpdf --check: $(cat check.txt)"
	expect_not_contains check.txt "WARNING"
	pdf_catalog b.pdf > qdf.txt
	expect_contains qdf.txt "/Lang (zh-CN)"
	expect_contains qdf.txt "/PageMode /UseOutlines"
	# Page labels: the cover, the front matter in roman numerals, then
	# arabic from the page printed "1", which shows "1" as its folio.
	qpdf --json --json-key=pagelabels b.pdf > labels.json
	python3 - labels.json > labels.txt <<'PY' || fail "bad page labels: $(cat labels.json)"
import json, sys
labels = json.load(open(sys.argv[1]))["pagelabels"]
for l in labels:
    print(l["index"], l["label"].get("/S", "-"), l["label"].get("/St", 1), l["label"].get("/P", "-"))
PY
	head -2 labels.txt > front.txt
	expect_same_text front.txt - <<'TXT'
0 - 1 u:封面
1 /r 1 -
TXT
	arabic=$(awk '$2 == "/D" && $3 == 1 {print $1 + 1; exit}' labels.txt)
	[ -n "$arabic" ] && [ "$(wc -l < labels.txt)" = 3 ] || fail "page labels: $(cat labels.txt)"
	# The folios printed are the labels.
	[ "$(pdf_page_text b.pdf 2 | grep -v '^\s*$' | tail -1 | tr -d ' \f')" = i ] || fail "page 2 is not printed i"
	[ "$(pdf_page_text b.pdf "$arabic" | grep -v '^\s*$' | tail -1 | tr -d ' \f')" = 1 ] ||
		fail "page $arabic is labelled 1 but printed otherwise"
}
test_case "booklet: qpdf finds no problem; /Lang, /PageMode and page labels are set" t_booklet_clean_pdf

t_booklet_cover_photos() {
	make_report_site
	cp site/content/cases/images/photo.jpg site/content/cases/images/c2.jpg
	sed -i 's|^featured: true|featured: true\ncover: content/cases/images/c2.jpg|' site/content/cases/c2.md
	commit_all site "a cover for the second case"
	run_showcase 0 report 2024 -C site --out "$PWD/b.pdf"
	expect_not_contains err.txt "warning"
	# One photo for each featured case with a cover (案例一 shows its own in
	# its body: that one is moved under the title, not printed twice), at
	# about half the text width: 800 pixels at about 250 ppi.
	pdfimages -list b.pdf | tail -n +3 > images.txt
	[ "$(wc -l < images.txt)" = 2 ] || fail "images: $(cat images.txt)"
	awk '$4 != 800 || $13 < 200 || $13 > 300 { exit 1 }' images.txt || fail "images: $(cat images.txt)"
	# Each on the page of its case title, the body's caption under it.
	for page in $(awk '{print $1}' images.txt); do
		pdf_page_text b.pdf "$page" > page.txt
		grep -qE '案例一|乡村教师成长的第二个案例' page.txt || fail "page $page has a photo but no case title"
	done
	pdftotext b.pdf all.txt
	expect_contains all.txt "课堂"
}
test_case "booklet: featured cases show their cover photo under the title" t_booklet_cover_photos

t_booklet_figure_captions() {
	make_report_site
	# A large count, to see one number style in the text, the table and
	# the charts: five digits and more grouped, four digits plain.
	cat > site/content/projects/big.md <<'MD'
---
title: 2024年全员远程培训
year: 2024
level: 省培
region: 北山县
trainees: 45000
hours: 1200
---
MD
	commit_all site "a large project"
	run_showcase 0 report 2024 -C site --out "$PWD/b.pdf"
	pdftotext b.pdf all.txt
	tr -d ' \n' < all.txt | sed 's/　//g' > flat.txt
	# Every chart has a caption under it, numbered from 1 in order.
	grep -oE '图[0-9]+[^（图]{1,20}（按[^）]+）' flat.txt > captions.txt || fail "no figure caption: $(cat all.txt)"
	[ "$(wc -l < captions.txt)" -ge 2 ] || fail "captions: $(cat captions.txt)"
	sed -E 's/^图([0-9]+).*/\1/' captions.txt | awk '$1 != NR { exit 1 }' ||
		fail "figures not numbered 1, 2, 3 …: $(cat captions.txt)"
	# One number style: 45,342 in the text and the chart, 45000 nowhere
	# without its comma; 1200 (four digits) plain.
	expect_contains flat.txt "参训人次：45,342人次"
	expect_contains flat.txt "45,000"
	expect_contains flat.txt "1200"
	expect_not_contains flat.txt "45342"
	expect_not_contains flat.txt "1,200"
	# The print page numbers them the same way.
	run_showcase 0 report 2024 -C site --format html --out "$PWD/b.html"
	grep -oE '<figcaption>图[0-9]+　[^<]+</figcaption>' b.html | sed 's/<[^>]*>//g; s/　//g' > html-captions.txt
	expect_same_text html-captions.txt captions.txt
}
test_case "booklet: charts have numbered captions; one number style in text and charts" t_booklet_figure_captions

t_booklet_two_sided() {
	make_report_site
	printf 'reports:\n  two_sided: true\n' >> site/site.yaml
	commit_all site "two-sided booklet"
	run_showcase 0 report 2024 -C site --out "$PWD/b.pdf"
	qpdf --check b.pdf > check.txt 2>&1 || fail "qpdf --check: $(cat check.txt)"
	pages=$(pdfinfo b.pdf | awk '/^Pages:/ {print $2}')
	pdf_catalog b.pdf | grep -q '/PageLayout /TwoPageRight' || fail "not shown as spreads"
	# The back of the cover is blank.
	[ -z "$(pdf_page_text b.pdf 2 | tr -d ' \n\f')" ] || fail "page 2 is not blank"
	# The contents and every chapter open on a right-hand (odd) page,
	# without a running head; a blank page before one shows nothing.
	local p opened=0
	for p in $(seq 1 "$pages"); do
		first=$(pdf_page_text b.pdf "$p" | grep -v '^\s*$' | head -1 | sed 's/[[:space:]　]//g')
		case "$first" in
		目录|前言|[一二三四五六]、*|附录*)
			[ $((p % 2)) = 1 ] || fail "'$first' opens on page $p, a left-hand page"
			opened=$((opened + 1)) ;;
		esac
	done
	[ "$opened" -ge 8 ] || fail "only $opened openers found"
	# The gutter: the text of a right-hand page starts further right than
	# that of a left-hand page (the folio is centred on the text area).
	pdftotext -bbox b.pdf - | python3 -c '
import re, sys
page, xs = 0, {}
for line in sys.stdin:
    if "<page " in line:
        page += 1
    m = re.search(r"<word xMin=\"([\d.]+)\" yMin=\"([\d.]+)\"", line)
    if m and float(m.group(2)) > 780:
        xs.setdefault(page % 2, []).append(float(m.group(1)))
odd, even = min(xs[1]), min(xs[0])
sys.exit(0 if odd - even > 10 else 1)
' || fail "no gutter: right-hand pages are not set further from the spine"
}
test_case "booklet: two-sided: blank back of the cover, chapters on right-hand pages, gutter" t_booklet_two_sided

t_booklet_book_conventions() {
	make_report_site
	# A 前言 that names itself under the template's own 前言 heading.
	sed -i 's/^前言。$/## 前言\n\n前言。/' site/content/reports/2024.md
	cat >> site/content/cases/c2.md <<'MD'

## 几点体会

### 研课要真

### 反思要勤
MD
	commit_all site "a foreword with its heading; headings in a case"
	run_showcase 0 report 2024 -C site --out "$PWD/b.pdf"
	pdftotext -layout b.pdf all.txt
	# 前言 is said once, by the chapter title.
	[ "$(grep -c '^\s*前言\s*$' all.txt)" = 1 ] || fail "前言 printed $(grep -c '^\s*前言\s*$' all.txt) times"
	# Headings inside a case: （一）, then 1.; never the book's 一、二、三.
	expect_contains all.txt "（一）成长过程"
	expect_contains all.txt "（二）几点体会"
	expect_contains all.txt "1. 研课要真"
	expect_contains all.txt "2. 反思要勤"
	# The 版权页, in plain words: no 40-digit commit, no program name, no
	# field names; no running head and no folio on it.
	pages=$(pdfinfo b.pdf | awk '/^Pages:/ {print $2}')
	pdf_page_text b.pdf "$pages" | grep -v '^\s*$' > last.txt
	sed 's/[[:space:]]//g' last.txt > last-flat.txt
	grep -qE '^据2024年12月20日的记录编印。$' last-flat.txt ||
		fail "no colophon line: $(cat last.txt)"
	expect_contains last-flat.txt "编印：测试县教育体育局"
	head -1 last-flat.txt | grep -q '^2024年度教师培训成果展示$' || fail "colophon has a running head: $(cat last.txt)"
	! tail -1 last-flat.txt | grep -qE '^[0-9ivx]+$' || fail "colophon has a folio: $(cat last.txt)"
	! grep -qE '[0-9a-f]{40}' all.txt || fail "a 40-digit commit id is printed"
	! grep -qiE 'showcase|year 字段' all.txt || fail "the program or a field name is printed"
}
test_case "booklet: 前言 once, case headings （一）/1., a 版权页 in plain words" t_booklet_book_conventions

t_booklet_pinyin_order() {
	make_report_site
	local r i=0
	for r in 广西 湖南 济源 甘州 金坛; do
		i=$((i + 1))
		cat > site/content/studios/py$i.md <<MD
---
title: ${r}名师工作室
kind: 名师工作室
level: 市级
host: 主持人$i
region: $r
---
MD
	done
	commit_all site "studios of five regions"
	run_showcase 0 report 2024 -C site --out "$PWD/b.pdf"
	pdftotext b.pdf - | tr -d '\f' | grep -oE '^(广西|湖南|济源|甘州|金坛)名师工作室$' | awk '!seen[$0]++' > order.txt
	expect_same_text order.txt - <<'TXT'
甘州名师工作室
广西名师工作室
湖南名师工作室
济源名师工作室
金坛名师工作室
TXT
}
test_case "booklet: studios are listed by region in pinyin order (ICU)" t_booklet_pinyin_order

t_booklet_page_references() {
	make_report_site
	# The 前言 links a case printed in full, and a studio, which is not.
	sed -i 's|^前言。$|前言。详见[第二个案例](../cases/c2.md)和[王老师名师工作室](../studios/s1.md)。|' \
		site/content/reports/2024.md
	commit_all site "links from the foreword"
	run_showcase 0 report 2024 -C site --out "$PWD/b.pdf"
	pdftotext b.pdf - | sed 's/[[:space:]]//g' > flat.txt
	n=$(grep -oE '第二个案例（见第[0-9]+页）' flat.txt | grep -oE '[0-9]+' | head -1)
	[ -n "$n" ] || fail "no page reference: $(grep -F 前言 flat.txt)"
	# Page N (the folio printed, the last line of a page) has the case.
	pages=$(pdfinfo b.pdf | awk '/^Pages:/ {print $2}')
	found=
	for p in $(seq 1 "$pages"); do
		folio=$(pdf_page_text b.pdf "$p" | grep -v '^\s*$' | tail -1 | tr -d ' \f')
		[ "$folio" = "$n" ] || continue
		pdf_page_text b.pdf "$p" | grep -q '乡村教师成长的第二个案例' && found=$p
	done
	[ -n "$found" ] || fail "page $n does not show the case"
	# A record that is not in the booklet keeps its web address (black).
	! grep -q '王老师名师工作室（见第' flat.txt || fail "a page reference to a record not printed in full"
	# The print page has no pages: the link goes to the website as before.
	run_showcase 0 report 2024 -C site --format html --out "$PWD/b.html"
	! grep -q '见第' b.html || fail "page reference on the print page"
	# Two builds, same bytes (the layout is repeated for the numbers).
	run_showcase 0 report 2024 -C site --out "$PWD/b2.pdf"
	cmp b.pdf b2.pdf || fail "two builds differ"
	qpdf --check b.pdf > check.txt 2>&1 || fail "qpdf --check: $(cat check.txt)"
}
test_case "booklet: links to records printed in full say （见第 N 页） with the right N" t_booklet_page_references
