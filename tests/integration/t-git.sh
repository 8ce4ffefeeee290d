# Reading from git: committed tree, worktree, refs, bare repositories.

t_committed_tree() {
	make_site site
	sed -i 's/案例一/案例一（已修改）/' site/content/cases/c1.md
	run_showcase 0 build -C site
	expect_not_contains site/output/cases/c1/index.html '已修改'
	run_showcase 0 build -C site --worktree
	expect_contains site/output/cases/c1/index.html '已修改'
	# The output folder is not read back as content, even inside content/:
	# a stray .md file there would otherwise be a record in no collection.
	run_showcase 0 build -C site --worktree --out site/content/built
	printf -- '---\ntitle: x\n---\n' > site/content/built/stray.md
	run_showcase 0 build -C site --worktree --out site/content/built
}
test_case "the committed tree is built, not the working tree, unless --worktree" t_committed_tree

t_refs_and_bare() {
	make_site site
	sed -i 's/^title: 案例一$/title: 案例一第二版/' site/content/cases/c1.md
	commit_all site "second"
	git -C site tag v2
	run_showcase 0 build -C site --ref HEAD~1 --out "$PWD/old"
	expect_not_contains old/cases/c1/index.html '第二版'
	run_showcase 0 build -C site --ref v2 --out "$PWD/new"
	expect_contains new/cases/c1/index.html '第二版'
	git clone -q --bare site bare.git
	run_showcase 0 build -C bare.git --out "$PWD/from-bare"
	diff -r -x .showcase-manifest new from-bare >&2
	run_showcase 3 build -C site --ref nosuch
	expect_contains err.txt "nosuch"
}
test_case "--ref selects a commit; bare repositories build the same" t_refs_and_bare

t_history() {
	make_site site
	echo "补充材料。" >> site/content/cases/c1.md
	GIT_AUTHOR_NAME="李老师" GIT_AUTHOR_EMAIL="li@example.org" \
	GIT_COMMITTER_DATE="2025-01-05T09:00:00+08:00" \
	GIT_AUTHOR_DATE="2025-01-05T09:00:00+08:00" commit_all site "c1 by li"
	run_showcase 0 build -C site --out "$PWD/new"
	page=new/cases/c1/index.html
	expect_contains $page '发布 <time datetime="2024-12-20T10:00:00+08:00">2024年12月20日</time>'
	expect_contains $page '更新 <time datetime="2025-01-05T09:00:00+08:00">2025年1月5日</time>'
	expect_contains $page '<span>贡献者 测试员、李老师</span>'
	# A record the second commit left alone.
	expect_contains new/projects/p1/index.html '更新 <time datetime="2024-12-20T10:00:00+08:00">2024年12月20日</time>'
	expect_contains new/projects/p1/index.html '<span>贡献者 测试员</span>'
	# The dates are those of the commit built, not of the newest one.
	run_showcase 0 build -C site --ref HEAD~1 --out "$PWD/old"
	page=old/cases/c1/index.html
	expect_contains $page '更新 <time datetime="2024-12-20T10:00:00+08:00">2024年12月20日</time>'
	expect_not_contains $page '2025-01-05'
	expect_not_contains $page '2025年'
	expect_contains $page '<span>贡献者 测试员</span>'
	expect_not_contains $page '李老师'
	# A preview dates committed records; a new one is not published yet.
	sed 's/^title: 案例一$/title: 案例二/' site/content/cases/c1.md > site/content/cases/c2.md
	run_showcase 0 build -C site --worktree --out "$PWD/preview"
	expect_contains preview/cases/c1/index.html '<span>贡献者 测试员、李老师</span>'
	expect_file preview/cases/c2/index.html
	expect_not_contains preview/cases/c2/index.html '<time'
	expect_not_contains preview/cases/c2/index.html '贡献者'
}
t_timezone() {
	make_site site
	# 07:31 in Beijing is the day before in UTC: the site shows Beijing's.
	echo "早上补充。" >> site/content/cases/c1.md
	GIT_COMMITTER_DATE="2025-03-05T07:31:00+08:00" \
	GIT_AUTHOR_DATE="2025-03-05T07:31:00+08:00" commit_all site "early"
	run_showcase 0 build -C site
	expect_contains site/output/cases/c1/index.html '更新 <time datetime="2025-03-05T07:31:00+08:00">2025年3月5日</time>'
	expect_contains site/output/index.html '构建日期 <time datetime="2025-03-05">2025年3月5日</time>'
	# Another offset, and English dates.
	printf 'timezone: "+00:00"\nlanguage: en\n' >> site/site.yaml
	sed -i '/^language: zh-CN$/d' site/site.yaml
	commit_all site "UTC, English"
	run_showcase 0 build -C site
	expect_contains site/output/cases/c1/index.html '<time datetime="2025-03-04T23:31:00+00:00">4 March 2025</time>'
	# The machine's TZ changes nothing.
	TZ=America/New_York run_showcase 0 build -C site --out "$PWD/ny"
	diff -r -x .showcase-manifest site/output ny >&2 || fail "TZ changed the output"
	sed -i 's|^timezone: .*|timezone: Europe/Paris|' site/site.yaml
	commit_all site "a zone with summer time"
	run_showcase 1 build -C site
	expect_contains err.txt "site.yaml:$(grep -n '^timezone: Europe' site/site.yaml | cut -d: -f1):11: error: unknown timezone 'Europe/Paris' (write an offset from UTC such as +08:00, or Asia/Shanghai or UTC)"
}
test_case "dates are days of the site's time zone (Beijing by default), in Chinese or English" t_timezone

test_case "record pages show the published and updated dates and contributors of the commit built" t_history

t_not_a_repo() {
	mkdir plain
	cp -R "$FIXTURES/minimal/." plain/
	GIT_CEILING_DIRECTORIES="$PWD" run_showcase 3 build -C plain
	expect_contains err.txt "--worktree"
	expect_no_file plain/output
	GIT_CEILING_DIRECTORIES="$PWD" run_showcase 0 build -C plain --worktree
	expect_file plain/output/cases/c1/index.html
}
test_case "outside a repository: an error suggesting --worktree, which works" t_not_a_repo

t_usage() {
	run_showcase 2 build --bogus
	expect_contains err.txt "unknown option '--bogus'"
	run_showcase 2 frobnicate
	run_showcase 2 build --ref
	run_showcase 0 --version
	expect_contains out.txt "showcase "
	run_showcase 0 build --help
	expect_contains out.txt "--worktree"
}
test_case "usage errors exit 2; --help and --version" t_usage
