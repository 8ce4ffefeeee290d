# Invalid content: every problem reported at path:line:column, exit 1,
# previous output untouched. Each folder under fixtures/bad/ is laid over
# the minimal site; its `expected` file is the exact stderr.

t_bad_fixture() {
	local fixture=$1
	make_site site
	run_showcase 0 build -C site -q
	local before
	before=$(tree_digest site/output)
	(cd "$fixture" && find . -type f ! -name expected -print0 |
		xargs -0 -I{} cp --parents {} "$OLDPWD/site/")
	if [ -f "$fixture/remove" ]; then
		while read -r f; do git -C site rm -q "$f"; done < "$fixture/remove"
	fi
	commit_all site "bad record"
	run_showcase 1 build -C site -q
	expect_same_text err.txt "$fixture/expected"
	[ "$(tree_digest site/output)" = "$before" ] || fail "output changed"
	[ -z "$(find site -maxdepth 1 -name '.output.showcase-tmp*')" ] || fail "scratch folder left behind"
}

for fixture in "$FIXTURES"/bad/*/; do
	fixture=${fixture%/}
	eval "t_bad_$(basename "$fixture" | tr -c 'a-z0-9\n' _)() { t_bad_fixture '$fixture'; }"
	test_case "bad content: $(basename "$fixture")" "t_bad_$(basename "$fixture" | tr -c 'a-z0-9\n' _)"
done

t_all_errors_reported() {
	make_site site
	cat > site/content/cases/bad1.md <<'MD'
---
title: 坏案例一
date: 2024-02-30
kind: 工作案例
---
MD
	cat > site/content/cases/bad2.md <<'MD'
---
title: 坏案例二
date: 2024-01-01
kind: 论文
studio: nobody
---
MD
	commit_all site
	run_showcase 1 build -C site -q
	[ "$(grep -c ': error: ' err.txt)" -ge 3 ] || fail "expected 3 errors"
	expect_contains err.txt "content/cases/bad1.md:3:7: error:"
	expect_contains err.txt "content/cases/bad2.md:4:7: error:"
	expect_contains err.txt "content/cases/bad2.md:5:9: error:"
	expect_no_file site/output
}
test_case "every problem of every record is reported" t_all_errors_reported
