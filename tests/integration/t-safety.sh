# Escaping, raw HTML, paths that try to leave the output folder, theme errors.

t_escaping() {
	make_site site
	cat > site/content/cases/x.md <<'MD'
---
title: "<script>alert('标题')</script>"
date: 2024-05-01
kind: 工作案例
summary: a & b < c
---
正文 <script>alert(1)</script> 与 <b>粗体</b>。

[点我](javascript:alert(1))
MD
	commit_all site
	run_showcase 0 build -C site
	local p=site/output/cases/x/index.html
	expect_not_contains $p "<script>alert"
	expect_contains $p "&lt;script&gt;alert(&#39;标题&#39;)&lt;/script&gt;"
	expect_contains $p "a &amp; b &lt; c"
	expect_contains $p "&lt;b&gt;粗体&lt;/b&gt;"
	expect_not_contains $p 'href="javascript:'
	printf 'markdown:\n  unsafe_html: true\n' >> site/site.yaml
	commit_all site
	run_showcase 0 build -C site
	expect_contains $p "<b>粗体</b>"
	# tagfilter still disarms script tags.
	expect_not_contains $p "<script>alert(1)"
}
test_case "fields are escaped; raw HTML only when site.yaml allows it" t_escaping

t_slug_traversal() {
	make_site site
	cat > site/content/cases/evil.md <<'MD'
---
title: 越界
date: 2024-05-01
kind: 工作案例
slug: ../../../escaped
---
MD
	commit_all site
	run_showcase 1 build -C site
	expect_contains err.txt "content/cases/evil.md:5:7: error: invalid slug"
	[ -z "$(find . -name 'escaped*')" ] || fail "something was written outside"
}
test_case "a slug cannot write outside the output folder" t_slug_traversal

t_theme_error() {
	make_site site
	mkdir -p theme
	cp -R "$HERE/../../themes/default/." theme/
	printf '{{#record}}\n<p>{{title}}</p>\n' > theme/templates/broken.mustache
	run_showcase 3 build -C site --theme "$PWD/theme"
	expect_contains err.txt "broken.mustache:1:1: error:"
	expect_no_file site/output
}
test_case "a template error stops the build before anything is written" t_theme_error

t_site_theme_in_repo() {
	make_site site
	mkdir -p site/themes/plain
	cp -R "$HERE/../../themes/default/." site/themes/plain/
	sed -i 's/<\/footer>/<p>plain-theme-marker<\/p><\/footer>/' site/themes/plain/templates/*.mustache site/themes/plain/templates/partials/*.mustache
	printf 'theme: plain\n' >> site/site.yaml
	commit_all site
	run_showcase 0 build -C site
	grep -rqF plain-theme-marker site/output/index.html || fail "theme from the tree not used"
}
test_case "a theme committed in the site's tree is used" t_site_theme_in_repo
