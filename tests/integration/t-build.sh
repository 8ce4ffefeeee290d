# Pages of a valid site, cross-links, assets, determinism.

t_pages_exist() {
	make_site site
	run_showcase 0 build -C site
	for f in index.html 404.html static/style.css \
		projects/index.html projects/p1/index.html \
		studios/s1/index.html cases/c1/index.html \
		achievements/a1/index.html selections/2024-test/index.html \
		reports/2024/index.html media/content/cases/images/photo.jpg; do
		expect_file "site/output/$f"
	done
	cmp site/content/cases/images/photo.jpg site/output/media/content/cases/images/photo.jpg
	expect_contains err.txt "built 6 records"
}
test_case "a valid site builds every page, static file and image" t_pages_exist

t_cross_links() {
	make_site site
	run_showcase 0 build -C site
	local c=site/output/cases/c1/index.html
	# Field rows: reference fields link to their records, with labels.
	expect_contains $c 'href="/peixun/projects/p1/"'
	expect_contains $c '2024年测试县国培项目'
	expect_contains $c 'href="/peixun/studios/s1/"'
	expect_contains $c '<li>张三</li>'
	# Body links to record files become record URLs; images are published.
	expect_contains $c 'href="/peixun/projects/p1/#%E9%A1%B9%E7%9B%AE%E7%9B%AE%E6%A0%87"'
	expect_contains $c 'src="/peixun/media/content/cases/images/photo.jpg"'
	expect_contains $c '<table>'
	expect_contains $c '<h2 id="背景">'
	# Links back: the studio lists its case and achievement, the project
	# its case.
	expect_contains site/output/studios/s1/index.html 'href="/peixun/cases/c1/"'
	expect_contains site/output/studios/s1/index.html 'href="/peixun/achievements/a1/"'
	expect_contains site/output/projects/p1/index.html 'href="/peixun/cases/c1/"'
	# Selection entries link to the case and the studio.
	expect_contains site/output/selections/2024-test/index.html 'href="/peixun/cases/c1/"'
	# Home page shows the featured case.
	expect_contains site/output/index.html 'href="/peixun/cases/c1/"'
	expect_contains site/output/index.html '<html lang="zh-CN"'
}
test_case "records link to each other both ways" t_cross_links

t_reproducible() {
	make_site site
	run_showcase 0 build -C site --out "$PWD/one" -j 1
	run_showcase 0 build -C site --out "$PWD/two" -j 4
	diff -r -x .showcase-manifest one two >&2
	[ "$(tree_digest one)" = "$(tree_digest two)" ] || fail "digests differ"
	# The build date comes from the commit, not the clock.
	expect_contains one/index.html '2024-12-20'
	SOURCE_DATE_EPOCH=86400 "$SHOWCASE" build -C site --out "$PWD/three" -q
	expect_contains three/index.html '1970-01-02'
}
test_case "two builds of one commit are byte-identical" t_reproducible

t_drafts() {
	make_site site
	cat > site/content/cases/d1.md <<'MD'
---
title: 草稿案例
date: 2024-06-01
kind: 工作案例
draft: true
---
未完成。
MD
	commit_all site
	run_showcase 0 build -C site
	expect_no_file site/output/cases/d1/index.html
	run_showcase 0 build -C site --drafts
	expect_file site/output/cases/d1/index.html
}
test_case "drafts are left out unless --drafts" t_drafts

t_pagination() {
	make_site site
	for i in 1 2 3 4 5; do
		cat > site/content/achievements/x$i.md <<MD
---
title: 成果$i
studio: s1
date: 2024-0$i-01
kind: 讲座
level: 县级
---
MD
	done
	printf 'page_size: 2\n' >> site/site.yaml
	commit_all site
	run_showcase 0 build -C site
	expect_file site/output/achievements/index.html
	expect_file site/output/achievements/page/2/index.html
	expect_file site/output/achievements/page/3/index.html
	expect_no_file site/output/achievements/page/4/index.html
	# Newest first: x5 (May) on page 1, the oldest on page 3.
	expect_contains site/output/achievements/index.html '成果5'
	expect_contains site/output/achievements/page/3/index.html '成果1'
	expect_contains site/output/achievements/index.html 'href="/peixun/achievements/page/2/"'
}
test_case "list pages are paginated, newest first" t_pagination

t_sample_site() {
	# The repository's own sample content, as committed.
	local top
	top=$(cd "$HERE/../.." && pwd)
	git -C "$top" rev-parse --verify -q HEAD >/dev/null || return 0
	git -C "$top" cat-file -e HEAD:site.yaml 2>/dev/null || return 0
	run_showcase 0 build -C "$top" --out "$PWD/sample"
	expect_file sample/index.html
	[ "$(find sample -name index.html | wc -l)" -gt 60 ] || fail "too few pages"
}
test_case "the repository's sample content builds" t_sample_site

t_unknown_field_warns() {
	make_site site
	sed -i 's/^kind: 工作案例$/kind: 工作案例\nmood: 很好/' site/content/cases/c1.md
	commit_all site
	run_showcase 0 build -C site -q
	expect_same_text err.txt - <<'TXT'
content/cases/c1.md:5:1: warning: unknown field 'mood' (not in the schema of 'cases')
TXT
	expect_file site/output/cases/c1/index.html
}
test_case "an unknown field is a warning, not an error" t_unknown_field_warns

t_site_extends_schema() {
	make_site site
	cat >> site/site.yaml <<'YAML'
collections:
  cases:
    permalink: /anli/{year}/{slug}/
    fields:
      grade: { type: enum, values: [小学, 初中], label: 学段 }
  news:
    label: 通知公告
    sort: -date
    fields:
      title: { type: string, required: true }
      date: { type: date, required: true }
YAML
	sed -i 's/^kind: 工作案例$/kind: 工作案例\ngrade: 初中/' site/content/cases/c1.md
	mkdir -p site/content/news
	printf -- '---\ntitle: 开班通知\ndate: 2024-03-01\n---\n通知正文。\n' > site/content/news/n1.md
	commit_all site
	run_showcase 0 build -C site -q
	expect_contains site/output/anli/2024/c1/index.html '学段'
	expect_contains site/output/news/n1/index.html '开班通知'
	expect_contains site/output/index.html '通知公告'
	# References to the moved case follow its new permalink.
	expect_contains site/output/projects/p1/index.html 'href="/peixun/anli/2024/c1/"'
}
test_case "site.yaml adds fields and collections and moves permalinks" t_site_extends_schema

t_install() {
	local top
	top=$(cd "$HERE/../.." && pwd)
	make -s -C "$top" install PREFIX="$PWD/prefix" >/dev/null
	make_site site
	run_showcase 0 build -C site
	"$PWD/prefix/bin/showcase" build -C site --out "$PWD/installed" -q
	diff -r -x .showcase-manifest site/output installed >&2
}
test_case "make install: the installed binary finds its default theme" t_install
