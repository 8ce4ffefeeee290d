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
