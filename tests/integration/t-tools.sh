# Integration tests of the tools for the people who write records:
# `check` (--staged, the pre-commit hook, Chinese messages), `new`, `serve`,
# `help` and the man page (issue 13).

# A bad value staged: exit 1 at its line and column, in English and Chinese.
t_check_staged_bad() {
	make_site s
	sed -i 's/^level: 国培/level: 国家级培训/' s/content/projects/p1.md
	git -C s add content/projects/p1.md
	run_showcase 1 check -C s --staged
	expect_contains err.txt "content/projects/p1.md:4:8: error: '国家级培训' is not a valid value for 'level' (expected one of: 国培, 省培, 市培, 县培, 校本)"
	expect_contains err.txt 'content/projects/p1.md:4:8: 错误: 未知的级别 "国家级培训"，可选: 国培, 省培, 市培, 县培, 校本'
	# HEAD is still good; the work tree is as bad as the index.
	run_showcase 0 check -C s
	run_showcase 1 check -C s --worktree
	# Nothing written.
	expect_no_file s/output
}
test_case "check --staged: a staged bad record fails at its line and column, in Chinese too" t_check_staged_bad

# The index wins over the work tree: a staged fix passes while the copy on
# disk is still wrong, and a staged mistake fails while the disk is right.
t_check_staged_fix() {
	make_site s
	sed -i 's/^level: 国培/level: 国家级培训/' s/content/projects/p1.md
	git -C s add content/projects/p1.md
	git -C s -c core.hooksPath=/dev/null commit -q -m bad
	git -C s checkout -q HEAD~1 -- content/projects/p1.md   # stage the fix
	sed -i 's/^level: 国培/level: 国家级培训/' s/content/projects/p1.md
	run_showcase 1 check -C s
	run_showcase 0 check -C s --staged
	expect_contains err.txt "no problems"
	run_showcase 1 check -C s --worktree
}
test_case "check --staged: a staged fix passes while the work tree is still bad" t_check_staged_fix

t_check_staged_new_and_missing() {
	make_site s
	mkdir -p s/content/cases
	printf -- '---\ntitle: 新案例\ndate: 2024-13-01\nkind: 工作案例\n---\n正文\n' >s/content/cases/new.md
	printf -- '---\ntitle: 未暂存\n---\n' >s/content/cases/unstaged.md
	git -C s add content/cases/new.md
	run_showcase 1 check -C s --staged
	expect_contains err.txt "content/cases/new.md:3:7: error: field 'date' has an impossible date '2024-13-01'"
	expect_not_contains err.txt "unstaged.md"
	# A staged deletion is what the commit records too.
	git -C s rm -q --cached content/cases/new.md
	run_showcase 0 check -C s --staged
}
test_case "check --staged: new files are read from the index, unstaged ones are not" t_check_staged_new_and_missing

t_check_english_site() {
	make_site s
	sed -i 's/^language: .*//' s/site.yaml
	echo 'language: en' >>s/site.yaml
	sed -i '/^region:/d' s/content/projects/p1.md
	commit_all s
	run_showcase 1 check -C s
	expect_contains err.txt "content/projects/p1.md:2:1: error: missing required field 'region'"
	expect_not_contains err.txt "错误"
}
test_case "check: a site in English gets English only" t_check_english_site

t_check_hook() {
	make_site s
	run_showcase 0 check -C s --install-hook
	hook=s/.git/hooks/pre-commit
	expect_file "$hook"
	[ -x "$hook" ] || fail "hook not executable"
	# A bad record cannot be committed ...
	sed -i 's/^level: 国培/level: 国家级培训/' s/content/projects/p1.md
	git -C s add -A
	if git -C s commit -q -m bad 2>commit.txt; then fail "bad commit accepted"; fi
	expect_contains commit.txt "content/projects/p1.md:4:8: 错误: 未知的级别"
	[ "$(git -C s rev-list --count HEAD)" = 1 ] || fail "commit made"
	# ... a fixed one can, also with `commit -a` (its own index file).
	sed -i 's/^level: 国家级培训/level: 省培/' s/content/projects/p1.md
	git -C s commit -q -a -m fixed
	[ "$(git -C s rev-list --count HEAD)" = 2 ] || fail "commit refused"
	sed -i 's/^level: 省培/level: 部培/' s/content/projects/p1.md
	if git -C s commit -q -a -m bad2 2>commit.txt; then fail "commit -a accepted"; fi
	expect_contains commit.txt "部培"
	# Installing again replaces our own hook; another's is left alone.
	run_showcase 0 check -C s --install-hook
	echo '#!/bin/sh' >"$hook"
	echo 'exit 0' >>"$hook"
	run_showcase 2 check -C s --install-hook
	expect_contains err.txt "did not write"
	expect_same_text "$hook" <(printf '#!/bin/sh\nexit 0\n')
}
test_case "check --install-hook: git commit runs check --staged; a foreign hook is kept" t_check_hook

t_check_hooks_path() {
	make_site s
	git -C s config core.hooksPath myhooks
	run_showcase 0 check -C s --install-hook
	expect_file s/myhooks/pre-commit
	expect_no_file s/.git/hooks/pre-commit
	sed -i 's/^level: 国培/level: 国家级培训/' s/content/projects/p1.md
	if git -C s commit -q -a -m bad 2>commit.txt; then fail "bad commit accepted"; fi
	expect_contains commit.txt "国家级培训"
}
test_case "check --install-hook respects core.hooksPath" t_check_hooks_path

t_check_usage() {
	make_site s
	run_showcase 2 check -C s --staged --worktree
	run_showcase 2 check -C s --bogus
	run_showcase 3 check -C s --ref nope
	run_showcase 0 help check
	expect_contains out.txt "--staged"
	run_showcase 0 check --help
	expect_contains out.txt "--install-hook"
}
test_case "check: usage errors exit 2, a bad ref 3, help" t_check_usage

t_new() {
	make_site s
	run_showcase 0 new cases -C s --title "课堂 Reform 2.0 实践" --date 2024-05-08 \
		--set kind=工作案例 --set tags=语文，阅读 --set project=p1 </dev/null
	f=s/content/cases/2024-05-08-reform-2-0.md
	expect_file "$f"
	expect_contains out.txt "content/cases/2024-05-08-reform-2-0.md"
	expect_contains "$f" 'kind: "工作案例"  # 案例类型；可选: 工作案例, 学员成长案例'
	expect_contains "$f" '# school:'
	expect_contains "$f" 'tags: ["语文", "阅读"]'
	# Required fields come first.
	[ "$(grep -n '^title:' "$f" | cut -d: -f1)" -lt "$(grep -n '^project:' "$f" | cut -d: -f1)" ] || fail "order"
	# check accepts it, staged too.
	run_showcase 0 check -C s --worktree
	git -C s add -A
	run_showcase 0 check -C s --staged
	# Never replaced.
	cp "$f" before.md
	run_showcase 2 new cases -C s --title "课堂 Reform 2.0 实践" --date 2024-05-08 \
		--set kind=校本研修案例 </dev/null
	expect_contains err.txt "already exists"
	expect_same_text "$f" before.md
	# A Chinese title gets a hash; the same title gives the same slug.
	run_showcase 0 new cases -C s --title 送教下乡 --date 2024-05-09 --set kind=送教下乡案例 </dev/null
	expect_contains out.txt "content/cases/2024-05-09-r"
}
test_case "new: writes a record from the schema that check accepts, never over another" t_new

t_new_missing() {
	make_site s
	run_showcase 2 new cases -C s --title 送教下乡 </dev/null
	expect_contains err.txt "'kind' (案例类型: --set kind=VALUE)"
	run_showcase 1 new cases -C s --title 送教下乡 --set kind=乱写 --set project=zz </dev/null
	expect_contains err.txt "'乱写' is not a valid value for 'kind'"
	expect_contains err.txt "'project' refers to 'zz'"
	run_showcase 2 new nosuch -C s --title x </dev/null
	expect_contains err.txt "no collection 'nosuch'"
	run_showcase 2 new cases -C s --set nofield=1 </dev/null
	[ -z "$(git -C s status --porcelain)" ] || fail "something was written"
}
test_case "new: exit 2 naming missing values without a terminal, 1 for bad values, nothing written" t_new_missing

# serve on a free loopback port (--port 0 prints the one it got).
t_serve() {
	command -v curl >/dev/null || { echo "curl missing: skipped"; return 0; }
	make_site s
	"$SHOWCASE" serve -C s --port 0 >serve.out 2>serve.err &
	pid=$!
	trap 'kill $pid 2>/dev/null' RETURN
	for _ in $(seq 50); do grep -q serving serve.out && break; sleep 0.1; done
	port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' serve.out)
	[ -n "$port" ] || fail "no port: $(cat serve.err)"
	url=http://127.0.0.1:$port/peixun/projects/p1/
	curl -sf "$url" >page.html
	expect_contains page.html "EventSource"
	expect_no_file s/output
	# The reload script is in the response, never in the built files.
	! grep -rq EventSource /tmp/showcase-serve-"$pid"-*/site || fail "script in the built site"
	# Paths outside the site are refused.
	code=$(curl -s -o /dev/null -w '%{http_code}' --path-as-is "http://127.0.0.1:$port/peixun/../../../etc/passwd")
	[ "$code" = 404 ] || [ "$code" = 400 ] || fail "traversal answered $code"
	# An open page hears about the next build ...
	curl -sN --max-time 5 "http://127.0.0.1:$port/__showcase/events?since=1" >events.txt &
	sleep 0.3
	sed -i 's/^title: .*/title: 改过的项目名/' s/content/projects/p1.md
	commit_all s "rename"
	for _ in $(seq 50); do curl -s "$url" | grep -q 改过的项目名 && break; sleep 0.1; done
	curl -s "$url" >page.html
	expect_contains page.html 改过的项目名
	wait %2 2>/dev/null || true
	expect_contains events.txt "data: reload"
	# ... a bad commit shows its errors over the old page.
	sed -i 's/^level: .*/level: 乱写/' s/content/projects/p1.md
	commit_all s "bad"
	for _ in $(seq 50); do curl -s "$url" | grep -q showcase-serve-errors && break; sleep 0.1; done
	curl -s "$url" >page.html
	expect_contains page.html "showcase-serve-errors"
	expect_contains page.html "乱写"
	expect_contains page.html 改过的项目名
}
test_case "serve: loopback, rebuild on commit, reload event, errors over the last good page" t_serve

t_man_help_completion() {
	top=$(cd "$HERE/../.." && pwd)
	MANWIDTH=200 man -l "$top/docs/showcase.1" >man.txt 2>man.err || fail "man: $(cat man.err)"
	expect_contains man.txt "what git commit would record"
	for c in check new serve; do
		run_showcase 0 help $c
		expect_contains out.txt "usage: showcase $c"
	done
	run_showcase 0 help build
	expect_contains out.txt "usage: showcase build"
	bash -c ". '$top/completion/showcase.bash'; COMP_WORDS=(showcase check --st); COMP_CWORD=2; _showcase; echo \${COMPREPLY[*]}" >comp.txt
	expect_contains comp.txt "--staged"
	make -s -C "$top" install DESTDIR="$PWD/inst" PREFIX=/usr >/dev/null
	expect_file inst/usr/share/man/man1/showcase.1
	expect_file inst/usr/share/bash-completion/completions/showcase
}
test_case "man page renders; help COMMAND; bash completion; make install puts both" t_man_help_completion
