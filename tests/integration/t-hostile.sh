# Hostile inputs (issue 8): records that Debian's libyaml and cmark-gfm
# would take seconds to minutes over are answered at once, with an error at
# the line and column to blame, in bounded memory; dangerous link schemes
# are left out whatever unsafe_html says. The sizes are those of the
# reports (200 KB, 300 KB) or larger; the unit tests (test_parse.c,
# test_markdown_guard.c) have the exact limits, bench/ nothing of this.

# Generous bounds, so that a loaded machine or a sanitizer build passes:
# before the guards these inputs took 10 s to minutes, or 380 MB.
HOSTILE_SECONDS=${HOSTILE_SECONDS:-$((2 * TIME_FACTOR))}
HOSTILE_MAX_KB=${HOSTILE_MAX_KB:-$((TIME_FACTOR > 1 ? 400000 : 200000))}

# repeat UNIT COUNT: UNIT written COUNT times.
repeat() {
	awk -v u="$1" -v n="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", u }'
}

# allow_big_records SITE: raise limits.record_bytes to its ceiling, so that
# the guard under test, not the size cap (t-media.sh), answers.
allow_big_records() {
	printf 'limits:\n  record_bytes: 67108864\n' >> "$1/site.yaml"
}

# hostile_case SITE: write content/cases/x.md from stdin.
hostile_case() {
	cat > "$1/content/cases/x.md"
}

# no_booklets SITE: builds skip the booklets (which are typeset even
# beside a page's error, to report their own problems in the same run), whose
# typesetting is not under test here and would dominate time and memory.
no_booklets() {
	printf 'reports:\n  pdf: false\n  html: false\n' >> "$1/site.yaml"
}

# run_bounded EXPECTED_EXIT ARGS...: run_showcase within HOSTILE_SECONDS
# and, where /usr/bin/time can tell, HOSTILE_MAX_KB of resident memory.
run_bounded() {
	local want=$1 code=0 kb
	shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f %M -o rss.txt timeout "$HOSTILE_SECONDS" \
			"$SHOWCASE" "$@" >out.txt 2>err.txt || code=$?
	else
		timeout "$HOSTILE_SECONDS" "$SHOWCASE" "$@" >out.txt 2>err.txt || code=$?
	fi
	[ "$code" != 124 ] || fail "no answer within ${HOSTILE_SECONDS}s"
	if [ "$code" != "$want" ]; then
		echo "exit code $code, expected $want; stderr:" >&2
		head -c 2000 err.txt >&2
		return 1
	fi
	if [ -f rss.txt ]; then
		kb=$(tail -n 1 rss.txt)
		[ "$kb" -le "$HOSTILE_MAX_KB" ] || fail "used $kb KB (bound $HOSTILE_MAX_KB)"
	fi
}

# The front matter of a valid case, for bodies.
case_head='---
title: 案例
date: 2024-05-01
kind: 工作案例
---'

t_yaml_flow_nesting() {
	make_site site
	{ printf -- '---\ntitle: '; repeat '[' 200000; printf '\n---\n'; } |
		hostile_case site
	commit_all site
	run_bounded 1 build -C site -q
	expect_same_text err.txt - <<'EOF'
content/cases/x.md:2:72: error: YAML nested deeper than 64 levels
EOF
	{ printf -- '---\ntitle: '; repeat '{a: [' 50000; printf '\n---\n'; } |
		hostile_case site
	commit_all site
	run_bounded 1 build -C site -q
	expect_contains err.txt "content/cases/x.md:2:168: error: YAML nested deeper than 64 levels"
	expect_no_file site/output
}
test_case "YAML flow nesting of 200 KB is refused at level 65" t_yaml_flow_nesting

t_yaml_block_nesting() {
	make_site site
	{ printf -- '---\ntitle: 案例\ntags:\n'; awk 'BEGIN { for (i = 1; i < 3000; i++) printf "%*s- \n", i, "" }'; printf -- '---\n'; } |
		hostile_case site
	allow_big_records site
	commit_all site
	run_bounded 1 build -C site -q
	expect_contains err.txt "content/cases/x.md:68:66: error: YAML nested deeper than 64 levels"
}
test_case "YAML nested by indentation is refused at level 65" t_yaml_block_nesting

t_yaml_many_anchors() {
	make_site site
	{
		printf -- '---\ntitle: 案例\ndate: 2024-05-01\nkind: 工作案例\nauthors: ['
		awk 'BEGIN { for (i = 0; i < 20000; i++) printf "%s&a%d 作者%d", i ? ", " : "", i, i }'
		# The aliases in the same list: 'tags' would make 20,000 taxonomy
		# pages, which is not what this test measures.
		awk 'BEGIN { for (i = 19999; i >= 0; i--) printf ", *a%d", i }'
		printf ']\n---\n正文\n'
	} | hostile_case site
	no_booklets site
	commit_all site
	run_bounded 0 build -C site -q
	expect_contains site/output/cases/x/index.html "作者19999"
}
test_case "20,000 YAML anchors and aliases load in linear time" t_yaml_many_anchors

t_yaml_directives() {
	make_site site
	{ printf -- '---\n'; awk 'BEGIN { for (i = 0; i < 100000; i++) printf "%%TAG !t%d! tag:example.org,2024:\n", i }'; printf -- '---\n'; } |
		hostile_case site
	allow_big_records site
	commit_all site
	run_bounded 1 build -C site -q
	expect_same_text err.txt - <<'EOF'
content/cases/x.md:66:1: error: more than 64 YAML directives (lines that start with '%'); remove them
EOF
}
test_case "100,000 YAML directives are refused before libyaml reads them" t_yaml_directives

t_markdown_image_brackets() {
	make_site site
	no_booklets site
	{ echo "$case_head"; repeat '![[]()' 50000; echo; } | hostile_case site
	commit_all site
	run_bounded 1 build -C site -q
	expect_same_text err.txt - <<'EOF'
content/cases/x.md:6:16966: error: too many '![' before this ']' in one paragraph (2828): the Markdown parser slows down quadratically on unfinished images; finish each as ![text](file), write '\![' for a literal one, or split the paragraph with blank lines
EOF
	expect_no_file site/output
}
test_case "Markdown '![[]()' repeated to 300 KB is refused at once" t_markdown_image_brackets

# body_refused UNIT COUNT LOCATION MESSAGE_START: a body of UNIT repeated
# after "前言" on line 6 is refused at LOCATION.
body_refused() {
	{ echo "$case_head"; printf '前言'; repeat "$1" "$2"; echo; } | hostile_case site
	commit_all site
	run_bounded 1 build -C site -q
	expect_contains err.txt "content/cases/x.md:$3: error: $4"
}

t_markdown_quadratic_family() {
	make_site site
	no_booklets site
	body_refused '<?' 150000 6:3 "too many unfinished '<?', '<!' or '<![CDATA['"
	body_refused '<!A ' 75000 6:3 "too many unfinished '<?', '<!' or '<![CDATA['"
	body_refused '<![CDATA[' 35000 6:3 "too many unfinished '<?', '<!' or '<![CDATA['"
	body_refused 'a@b.c ' 70000 6:4 "too many '@' on one line"
	body_refused 'a@' 150000 6:4 "too many '@' on one line"
	{ echo "$case_head"; printf '前言 www.a'; repeat ')' 300000; echo; } | hostile_case site
	commit_all site
	run_bounded 1 build -C site -q
	expect_contains err.txt "content/cases/x.md:6:4: error: too many ')' after this link's start"
	{ echo "$case_head"; repeat '![' 25000; repeat '[]()' 12500; echo; } | hostile_case site
	commit_all site
	run_bounded 1 build -C site -q
	expect_contains err.txt "content/cases/x.md:6:50642: error: too many '![' before this ']'"
	expect_no_file site/output
}
test_case "the other quadratic Markdown inputs of cmark-gfm 0.29 are refused at once" t_markdown_quadratic_family

t_markdown_wide_table() {
	make_site site
	{ echo "$case_head"; printf 'a|b\n-|-\n'; repeat '|' 300000; echo; } | hostile_case site
	no_booklets site
	commit_all site
	run_bounded 0 build -C site -q
	expect_contains err.txt "content/cases/x.md:8:1: warning: table too large to render"
}
test_case "a table row of 300,000 cells is shown as text at once" t_markdown_wide_table

t_dangerous_links() {
	make_site site
	cat > site/content/cases/x.md <<'MD'
---
title: 链接
date: 2024-05-01
kind: 工作案例
---
[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](< javascript:alert(1)>)
[d](&#106;avascript:alert(1)) [e](java&#9;script:alert(1)) [f](&#1;javascript:x)
<javascript:alert(1)> [g][r] ![h](javascript:alert(1)) [i](vbscript:x)
[j](data:text/html,x) [k](file:///etc/passwd) ![ok](data:image/png;base64,AAAA)

[r]: javascript:alert(1)
MD
	commit_all site
	for unsafe in false true; do
		printf 'markdown:\n  unsafe_html: %s\n' "$unsafe" > site/site.yaml.extra
		cat "$FIXTURES/minimal/site.yaml" site/site.yaml.extra > site/site.yaml
		rm site/site.yaml.extra
		commit_all site "unsafe_html: $unsafe"
		run_showcase 0 build -C site
		local p=site/output/cases/x/index.html
		! grep -qiE '(href|src)="[^"]*(script|file|data:text)' "$p" ||
			fail "a dangerous URL is live with unsafe_html: $unsafe"
		expect_contains "$p" '<a href="">a</a>'
		expect_contains "$p" '<a href="">f</a>'
		expect_contains "$p" '<img src="data:image/png;base64,AAAA" alt="ok" />'
		[ "$(grep -c "warning: .* left out: such URLs can run script" err.txt)" = 12 ] ||
			fail "expected 12 warnings"
		expect_contains err.txt "content/cases/x.md:6:1: warning: link to 'javascript:alert(1)' left out"
		expect_contains err.txt "content/cases/x.md:7:60: warning: link to '\\x01javascript:x' left out"
		expect_contains err.txt "content/cases/x.md:8:1: warning: link to 'javascript:alert(1)' left out"
	done
}
test_case "javascript: and other dangerous links are never live, with or without unsafe_html" t_dangerous_links
