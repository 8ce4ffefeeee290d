# The site as its visitors get it (issue 11): Chinese text, search,
# feeds and discovery, lists, locale. Checked on the HTML and XML a
# visitor's browser or feed reader receives.

t_vis_softbreak() {
	make_site site
	cat >> site/content/cases/c1.md <<'MD'

第一行结束
第二行开始，**重点**
继续。Latin words
stay apart; 中文
Latin 混排。
MD
	commit_all site
	run_showcase 0 build -C site
	local page=site/output/cases/c1/index.html
	expect_contains "$page" "第一行结束第二行开始，<strong>重点</strong>继续。Latin words"
	expect_contains "$page" "stay apart; 中文"
	grep -q "^stay apart; 中文$" "$page" || fail "Latin soft break lost"
	grep -q "^Latin 混排。" "$page" || fail "soft break before Latin lost"
}
test_case "a soft break between Chinese characters renders as nothing, between Latin words as a space" t_vis_softbreak

t_vis_search() {
	make_site site
	run_showcase 0 build -C site
	local o=site/output
	expect_file $o/search/index.html
	expect_file $o/search/meta.json
	expect_file $o/search/t/0.json
	expect_file $o/search/d/0.json
	# The page works without JavaScript: it says so and links the lists.
	expect_contains $o/search/index.html '<noscript>'
	expect_contains $o/search/index.html '<li><a href="/peixun/cases/">典型案例</a>'
	expect_contains $o/search/index.html 'src="/peixun/static/search.js"'
	expect_file $o/static/search.js
	# Every page links the search page from the navigation.
	expect_contains $o/index.html 'href="/peixun/search/"'
	# Bigrams of the body and the title, words of Latin, ids delta-coded.
	expect_contains $o/search/t/0.json '"项目":['
	expect_contains $o/search/t/0.json '"听课":[1]'
	expect_contains $o/search/d/0.json '["/peixun/cases/c1/","案例一","cases",2024,'
	python3 -c 'import json,sys; [json.load(open(f)) for f in sys.argv[1:]]' \
		$o/search/meta.json $o/search/t/*.json $o/search/d/*.json
	# The same output from a second build, with other thread counts.
	run_showcase 0 build -C site --out "$PWD/again" -j 1
	[ "$(tree_digest $o/search)" = "$(tree_digest again/search)" ] ||
		fail "search index differs between builds"
}
test_case "search: the page, its index (bigrams, words) and the no-JavaScript fallback" t_vis_search

t_vis_discovery() {
	make_site site
	run_showcase 0 build -C site
	local o=site/output
	# Atom feeds, the site's and one per collection, checked against what
	# RFC 4287 requires of a feed and of each entry.
	python3 - $o/feed.xml $o/cases/feed.xml $o/projects/feed.xml <<'PY'
import sys, xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
for path in sys.argv[1:]:
    feed = ET.parse(path).getroot()
    assert feed.tag == A + "feed", path
    for req in ("id", "title", "updated", "author"):
        assert feed.find(A + req) is not None, (path, req)
    entries = feed.findall(A + "entry")
    assert entries, path
    for e in entries:
        for req in ("id", "title", "updated"):
            assert e.find(A + req) is not None, (path, req)
        link = e.find(A + "link[@rel='alternate']")
        assert link.get("href").startswith("https://example.org/peixun/"), path
        assert e.find(A + "id").text.startswith("https://"), path
PY
	expect_contains $o/cases/feed.xml '<title>案例一</title>'
	expect_not_contains $o/cases/feed.xml '<title>论文一篇</title>'
	# sitemap.xml lists every page with absolute URLs; robots.txt names it.
	python3 -c 'import sys, xml.etree.ElementTree as ET; ET.parse(sys.argv[1])' $o/sitemap.xml
	expect_contains $o/sitemap.xml '<loc>https://example.org/peixun/cases/c1/</loc>'
	expect_contains $o/robots.txt 'Sitemap: https://example.org/peixun/sitemap.xml'
	expect_file $o/static/favicon.svg
	# Every page: a description, a canonical link, Open Graph, the favicon.
	local f
	for f in $(find $o -name '*.html' ! -path '*/reports/*/*.html'); do
		expect_contains $f '<meta name="description" content="'
		[ "$f" = $o/404.html ] ||
			expect_contains $f '<link rel="canonical" href="https://example.org/peixun/'
		expect_contains $f '<meta property="og:title"'
		expect_contains $f 'favicon.svg'
	done
	# A record without a summary is described by its body's opening, cut at
	# a sentence end; its card shows that opening too.
	expect_contains $o/cases/c1/index.html '<meta name="description" content="见工作室和项目。">'
	expect_contains $o/cases/index.html '<p class="card-summary">见工作室和项目。</p>'
	expect_contains $o/projects/p1/index.html '<meta name="description" content="一个测试项目。">'
	# The 404 page is served at every missing URL: no canonical link or
	# og:url (they would name the home page), kept out of search engines.
	expect_not_contains $o/404.html 'rel="canonical"'
	expect_not_contains $o/404.html 'og:url'
	expect_contains $o/404.html '<meta name="robots" content="noindex">'
	expect_not_contains $o/sitemap.xml '404'
}
test_case "feeds (RFC 4287), sitemap.xml, robots.txt, canonical, Open Graph, descriptions, favicon" t_vis_discovery

t_vis_discovery_relative() {
	make_site site
	sed -i 's#^base_url: .*#base_url: /#' site/site.yaml
	commit_all site
	run_showcase 0 build -C site
	expect_no_file site/output/sitemap.xml
	expect_not_contains site/output/robots.txt 'Sitemap:'
	expect_not_contains site/output/index.html 'rel="canonical"'
	expect_contains site/output/feed.xml '<id>urn:showcase:/cases/c1/</id>'
}
test_case "with a relative base_url: no sitemap, no canonical link, urn: ids in feeds" t_vis_discovery_relative

t_vis_pagination() {
	make_site site
	echo 'page_size: 1' >>site/site.yaml
	local i
	for i in $(seq 2 12); do
		printf -- '---\ntitle: 案例%s\ndate: 2024-05-%02d\nkind: 工作案例\n---\n正文。\n' \
			"$i" "$i" >site/content/cases/c$i.md
	done
	commit_all site
	run_showcase 0 build -C site
	local p6=site/output/cases/page/6/index.html
	expect_contains $p6 '<title>典型案例 第 6 页 - 测试县教师培训成果</title>'
	expect_contains site/output/cases/index.html '<title>典型案例 - 测试县教师培训成果</title>'
	# First, last, two neighbours each side, an ellipsis for each gap.
	[ "$(grep -c '<li class="pagination-gap" aria-hidden="true">…</li>' $p6)" = 2 ] ||
		fail "page 6 of 12 should have two gaps"
	local nums
	nums=$(sed -n '/class="pagination"/,/<\/nav>/p' $p6 |
		grep -o '>[0-9]*</a>' | tr -d '<>/a' | tr '\n' ' ')
	[ "$nums" = "1 4 5 6 7 8 12 " ] || fail "page numbers on page 6: $nums"
	expect_contains $p6 'href="/peixun/cases/page/5/" rel="prev"'
	expect_contains $p6 'href="/peixun/cases/page/7/" rel="next"'
	expect_contains $p6 '<a href="/peixun/cases/page/6/" aria-current="page">6</a>'
}
test_case "pagination: a window of pages with ellipses, and a title per list page" t_vis_pagination

t_visitors_public_details() {
	make_site site
	printf 'contact: 电话 0391-1234567\nicp: 豫ICP备12345678号-1\n' >> site/site.yaml
	commit_all site
	run_showcase 0 build -C site
	local p=site/output/cases/c1/index.html
	grep -q '^featured: true' site/content/cases/c1.md || fail "the fixture has no featured flag"
	# What is for the staff is not shown to the public.
	expect_not_contains $p 'content/cases/c1.md'
	expect_not_contains $p '源文件'
	expect_not_contains $p 'field-featured'
	# The footer names the host, the contact line and the ICP number.
	expect_contains $p '<p class="footer-host">主办单位：测试县教育体育局</p>'
	expect_contains $p '<p class="footer-contact">联系方式：电话 0391-1234567</p>'
	expect_contains $p '<a href="https://beian.miit.gov.cn/" rel="noopener">豫ICP备12345678号-1</a>'
}
test_case "record pages hide internal details; the footer has host, contact and ICP number" t_visitors_public_details

t_visitors_home_limits() {
	make_site site
	no_booklets_v() { printf 'reports:\n  pdf: false\n  html: false\n' >> "$1/site.yaml"; }
	no_booklets_v site
	# Ten featured cases, one commit each, so each is newer than the last.
	for i in 01 02 03 04 05 06 07 08 09 10; do
		printf -- '---\ntitle: 精选案例%s\ndate: 2024-06-%s\nkind: 工作案例\nfeatured: true\n---\n正文。\n' \
			"$i" "$i" > site/content/cases/f$i.md
		GIT_COMMITTER_DATE="2025-01-$i""T09:00:00+08:00" commit_all site "f$i"
	done
	run_showcase 0 build -C site
	local home=site/output/index.html
	# The featured section holds six, the newest.
	sed -n '/cards-featured/,/<\/ul>/p' $home > featured.txt
	[ "$(grep -c '<article class="card' featured.txt)" = 6 ] || fail "featured: $(grep -c '<article class="card' featured.txt) cards"
	expect_contains featured.txt 精选案例10
	expect_not_contains featured.txt 精选案例04
	# No record is shown twice on the page.
	for i in 05 06 07 08 09 10; do
		[ "$(grep -o "精选案例$i<" $home | wc -l)" = 1 ] || fail "精选案例$i shown more than once"
	done
	# The cases section is the newest of the rest: 04, 03, 02, 01, then c1.
	sed -n '/aria-labelledby="section-cases"/,/<\/section>/p' $home > cases.txt
	grep -o '精选案例0[1-4]' cases.txt | tr '\n' ' ' > order.txt
	expect_same_text order.txt <(printf '精选案例04 精选案例03 精选案例02 精选案例01 ')
}
test_case "the home page shows at most six featured records, newest first, none twice" t_visitors_home_limits

t_visitors_pinyin_terms() {
	make_site site
	local i=0 r
	for r in 广西 济源 湖南 甘州 金坛; do
		i=$((i + 1))
		sed "s/^region: 测试县$/region: $r/; s/^title: .*/title: 项目$i/" \
			site/content/projects/p1.md > site/content/projects/q$i.md
	done
	commit_all site
	run_showcase 0 build -C site
	# The term index lists regions in pinyin order, not by code point.
	# (测试县 is cè: first.)
	grep -o 'by-region/[^"]*/">[^ <]*' site/output/projects/by-region/index.html |
		sed 's/.*">//' | tr '\n' ' ' > order.txt
	expect_same_text order.txt <(printf '测试县 甘州 广西 湖南 济源 金坛 ')
}
test_case "taxonomy terms are in pinyin order" t_visitors_pinyin_terms

t_visitors_pinyin_lists() {
	make_site site
	local r slug
	# Studios sort by title: pinyin order, ties by slug (hn, z1, z2).
	studio_v() {
		printf -- '---\ntitle: %s\nkind: 名师工作室\nlevel: 省级\nhost: 某老师\n---\n简介。\n' \
			"$2" > "site/content/studios/$1.md"
	}
	for r in gx:广西 jy:济源 z2:湖南 hn:湖南 gz:甘州 jt:金坛 z1:湖南; do
		studio_v "${r%%:*}" "${r#*:}工作室"
	done
	commit_all site
	run_showcase 0 build -C site
	grep -o 'class="card-title"><a href="[^"]*">[^<]*' site/output/studios/index.html |
		sed 's/.*href="\/peixun\/studios\/\([^"]*\)\/">\(.*\)/\2(\1)/' | tr '\n' ' ' > order.txt
	expect_same_text order.txt <(printf '甘州工作室(gz) 广西工作室(gx) 湖南工作室(hn) 湖南工作室(z1) 湖南工作室(z2) 济源工作室(jy) 金坛工作室(jt) 王老师名师工作室(s1) ')
	# The order is the same from one build to the next.
	run_showcase 0 build -C site --out "$PWD/again" -j 1
	cmp site/output/studios/index.html again/studios/index.html
}
test_case "list pages are in pinyin order, ties by slug" t_visitors_pinyin_lists

t_visitors_excerpt_prose() {
	make_site site
	cat > site/content/cases/c2.md <<'MD'
---
title: 案例二
date: 2024-06-01
kind: 工作案例
---
# 一级标题不算

| 表头 | 数值 |
|---|---|
| 表格内容 | 1 |

```
代码块内容
```

![图片说明文字](images/photo.jpg)

第一段正文，含`行内代码`与![行内图片](images/photo.jpg)和**强调**，这一句写得长一些，好让句末落在描述长度的三分之一以后。第二句在这里！第三句很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长。

> 引文段落。
MD
	commit_all site
	run_showcase 0 build -C site
	local p=site/output/cases/c2/index.html
	# The description and the card: the first paragraph's prose, cut after
	# a Chinese sentence end; no heading, table, code block, HTML or alt text.
	expect_contains $p '<meta name="description" content="第一段正文，含行内代码与和强调，这一句写得长一些，好让句末落在描述长度的三分之一以后。第二句在这里！">'
	expect_contains site/output/cases/index.html '<p class="card-summary">第一段正文，含行内代码与和强调，这一句写得长一些，好让句末落在描述长度的三分之一以后。第二句在这里！</p>'
	local bad
	for bad in 一级标题 表头 表格内容 代码块 图片说明 行内图片; do
		grep '<meta name="description"' $p | grep -q "$bad" && fail "description has $bad"
		grep -A1 'href="/peixun/cases/c2/"' site/output/cases/index.html | grep -q "$bad" &&
			fail "card excerpt has $bad"
	done
	# The feed's summary is the same prose.
	expect_contains site/output/cases/feed.xml '第一段正文，含行内代码与和强调，'
	expect_not_contains site/output/cases/feed.xml '表格内容'
}
test_case "descriptions, card excerpts and feed summaries come from the body's prose, cut at a sentence end" t_visitors_excerpt_prose

t_visitors_booklet_download() {
	make_site site
	run_showcase 0 build -C site
	local o=site/output pdf size want
	pdf=$(ls $o/reports/2024/*.pdf)
	size=$(stat -c %s "$pdf")
	want=$(python3 -c 'import sys; b=int(sys.argv[1]); print("%d B"%b if b<1000 else "%d KB"%((b+500)//1000) if b<10**6 else "%.1f MB"%(b/1e6) if b<10**7 else "%d MB"%((b+500000)//10**6))' "$size")
	# The report's page and its year's page: the size of the booklet
	# actually written, and the title as the file name to save.
	local title
	title=$(sed -n 's/^title: //p' site/content/reports/2024.md)
	for page in $o/reports/2024/index.html $o/years/2024/index.html; do
		expect_contains $page "download=\"$title.pdf\" type=\"application/pdf\">下载成果展示册（PDF，$want）</a>"
	done
	# The same bytes with one job (the page makes the booklet itself)
	# and with several (it waits for the booklet's thread).
	run_showcase 0 build -C site --out "$PWD/one" -j 1
	run_showcase 0 build -C site --out "$PWD/four" -j 4
	[ "$(tree_digest $o)" = "$(tree_digest one)" ] || fail "-j 1 differs"
	[ "$(tree_digest $o)" = "$(tree_digest four)" ] || fail "-j 4 differs"
	# An English site says it in English.
	sed -i 's/^language: .*/language: en/' site/site.yaml
	commit_all site
	run_showcase 0 build -C site --out "$PWD/en"
	expect_contains en/reports/2024/index.html ">Download the booklet (PDF, "
}
test_case "booklet downloads: a file name from the title, the size of the PDF written" t_visitors_booklet_download

t_visitors_english_ui() {
	make_site site
	sed -i 's/^language: .*/language: en/' site/site.yaml
	# A field the site adds without label_en, and a flag that is shown.
	cat >> site/site.yaml <<'YAML'
collections:
  cases:
    fields:
      grade_level: { type: string, label: 年级 }
      online: { type: boolean, label: 线上 }
YAML
	sed -i 's/^kind: 工作案例$/kind: 工作案例\ngrade_level: 七年级\nonline: true/' site/content/cases/c1.md
	# A second level, so that "by level" is a chart of two bars.
	sed 's/^level: 国培$/level: 省培/; s/^title: .*/title: 省培项目/' \
		site/content/projects/p1.md >site/content/projects/p2.md
	commit_all site
	run_showcase 0 build -C site
	local o=site/output
	# Every field label and table header the schema gives is English; the
	# records' own text (七年级) stays as written.
	python3 - $o <<'PY'
import re, sys, glob
cjk = re.compile(r'[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]')
bad = []
for f in glob.glob(sys.argv[1] + '/**/index.html', recursive=True):
    s = open(f, encoding='utf-8').read()
    for m in re.finditer(r'<dt>(.*?)</dt>|<th scope="col">(.*?)</th>|<caption[^>]*>(.*?)</caption>', s):
        t = next(g for g in m.groups() if g is not None)
        if cjk.search(t):
            bad.append(f + ': ' + t)
assert not bad, '\n'.join(bad)
PY
	local c1=$o/cases/c1/index.html
	expect_contains $c1 '<dt>Grade level</dt>'
	expect_contains $c1 '<dd>七年级</dd>'
	expect_contains $c1 '<dt>Online</dt>'
	expect_contains $c1 '<dd>Yes</dd>'
	expect_contains $o/projects/p1/index.html '<dt>Start date</dt>'
	# The booklet's chapters and contents are English (report-en.mustache).
	local print=$o/reports/2024/2024.html
	expect_contains $print '<h1 class="toc-title">Contents</h1>'
	expect_contains $print '>Foreword</h1>'
	expect_contains $print '>1. The year in figures</h1>'
	python3 - $print <<'PY'
import re, sys
cjk = re.compile(r'[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]')
s = open(sys.argv[1], encoding='utf-8').read()
title = re.search(r'<title>(.*?)</title>', s).group(1)
bad = [t for t in re.findall(r'<h1[^>]*>(.*?)</h1>', s)
       if cjk.search(re.sub('<[^>]+>', '', t)) and title not in t]
assert not bad, bad
PY
	pdftotext "$o/reports/2024/2024.pdf" - | grep -q 'Contents' || fail "no Contents in the PDF"
	# Charts say their own words in English: no Chinese punctuation or
	# 无数据/其他/合计 in any chart of the site or the print page.
	python3 - $o <<'PY'
import re, sys, glob
own = re.compile(r'[：，（）]|无数据|其他|合计|类别|数量|占比')
files = glob.glob(sys.argv[1] + '/**/*.html', recursive=True)
charts = 0
bad = []
for f in files:
    s = open(f, encoding='utf-8').read()
    for svg in re.findall(r'<svg.*?</svg>', s, re.S):
        charts += 1
        # Labels are the records' terms; strip them to the chart's words.
        words = re.sub(r'<title>[^<：]*', '<title>', svg)
        words = re.sub(r'<text[^>]*>[^<]*</text>', '', words)
        if own.search(words):
            bad.append(f + ': ' + own.search(words).group(0))
assert charts, 'no chart on the English site'
assert not bad, '\n'.join(bad[:5])
PY
}
test_case "English UI: field labels, booleans, charts and the booklet's chapters in English" t_visitors_english_ui

t_visitors_chinese_yes() {
	make_site site
	cat >> site/site.yaml <<'YAML'
collections:
  cases:
    fields:
      online: { type: boolean, label: 线上 }
YAML
	sed -i 's/^kind: 工作案例$/kind: 工作案例\nonline: true/' site/content/cases/c1.md
	commit_all site
	run_showcase 0 build -C site
	expect_contains site/output/cases/c1/index.html '<dt>线上</dt>'
	expect_contains site/output/cases/c1/index.html '<dd>是</dd>'
	expect_contains site/output/reports/2024/2024.html '<h1 class="toc-title">目录</h1>'
}
test_case "a Chinese site says 是 for a flag and 目录 for the contents" t_visitors_chinese_yes
