# Reading from git: committed tree, worktree, refs, bare repositories.

t_committed_tree() {
	make_site site
	sed -i 's/案例一/案例一（已修改）/' site/content/cases/c1.md
	run_showcase 0 build -C site
	expect_not_contains site/output/cases/c1/index.html '已修改'
	run_showcase 0 build -C site --worktree
	expect_contains site/output/cases/c1/index.html '已修改'
	# The output folder inside the site is not read back as content.
	run_showcase 0 build -C site --worktree
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
	diff -r new from-bare >&2
	run_showcase 3 build -C site --ref nosuch
	expect_contains err.txt "nosuch"
}
test_case "--ref selects a commit; bare repositories build the same" t_refs_and_bare

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
