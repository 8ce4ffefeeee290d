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
