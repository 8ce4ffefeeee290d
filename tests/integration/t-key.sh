# `showcase build --print-key` (build_print_key()): the key a build would
# write into its manifest, printed without building, for CI caches keyed
# by a string (docs/SCALE.md). It must be the very key the build then
# writes, follow every option the key hashes, create nothing on disk, and
# print nothing on stdout when there is no key to print.

# print_key ARGS...: `build --print-key ARGS`, which must exit 0 with 64
# hex digits and a newline on stdout and nothing on stderr; the key is
# kept in ./key.txt.
print_key() {
	run_showcase 0 build --print-key "$@"
	grep -qxE '[0-9a-f]{64}' out.txt && [ "$(wc -l < out.txt)" = 1 ] &&
		[ "$(wc -c < out.txt)" = 65 ] ||
		fail "stdout is not one key: $(cat out.txt)"
	[ ! -s err.txt ] || fail "--print-key said something: $(cat err.txt)"
	cp out.txt key.txt
}

# manifest_key DIR: the key line of DIR's manifest.
manifest_key() {
	sed -n 's/^key //p' "$1/.showcase-manifest"
}

# listing DIR: every entry under DIR, DIR itself and hidden files
# included, with what a creation or a removal inside changes (a folder's
# time and size).
listing() {
	find "$1" -printf '%y %m %s %T@ %i %p\n' | LC_ALL=C sort -k6
}

# expect_key_of_build OUT ARGS...: --print-key, then a build with the
# same ARGS (which build into OUT), whose manifest must list the printed
# key.
expect_key_of_build() {
	local out=$1
	shift
	print_key "$@"
	run_showcase 0 build "$@"
	[ "$(manifest_key "$out")" = "$(cat key.txt)" ] ||
		fail "printed $(cat key.txt), the build of $* wrote $(manifest_key "$out")"
}

t_key_is_the_build_key() {
	make_site site
	mkdir pub
	listing pub > pub-before.txt
	listing site > site-before.txt
	# Nothing built yet: no output, lock, scratch folder or cache
	# appears, beside --out or in the default output's site.
	print_key -C site --out "$PWD/pub/public"
	listing pub > pub-after.txt
	expect_same_text pub-after.txt pub-before.txt
	print_key -C site
	listing site > site-after.txt
	expect_same_text site-after.txt site-before.txt
	expect_no_file site/output

	# The key the build then writes, whatever the output folder, the
	# number of jobs or the other options that do not change the output.
	expect_key_of_build "$PWD/pub/public" -C site --out "$PWD/pub/public"
	first=$(cat key.txt)
	expect_key_of_build site/output -C site
	[ "$(cat key.txt)" = "$first" ] || fail "the output folder changed the key"
	expect_key_of_build pub/other -C site --out pub/other -j 1 --quiet --wait --allow-empty
	[ "$(cat key.txt)" = "$first" ] || fail "-j, --quiet, --wait or --allow-empty changed the key"

	# Over a previous output (with its manifest, lock file and body
	# cache beside it), still nothing is touched.
	listing pub > pub-before.txt
	print_key -C site --out "$PWD/pub/public"
	[ "$(cat key.txt)" = "$first" ] || fail "the previous output changed the key"
	listing pub > pub-after.txt
	expect_same_text pub-after.txt pub-before.txt
}
test_case "key: --print-key prints the key the build then writes into its manifest, and creates nothing" t_key_is_the_build_key

t_key_follows_options() {
	local top
	top=$(cd "$HERE/../.." && pwd)
	make_site site
	print_key -C site
	plain=$(cat key.txt)
	# A draft: --drafts builds another site.
	sed -e 's/^title: .*/title: 草稿案例/' -e '1a draft: true' \
		site/content/cases/c1.md > site/content/cases/d1.md
	commit_all site "a draft"
	print_key -C site
	nodrafts=$(cat key.txt)
	[ "$nodrafts" != "$plain" ] || fail "a new commit kept the key"
	expect_key_of_build "$PWD/drafts" -C site --out "$PWD/drafts" --drafts
	[ "$(cat key.txt)" != "$nodrafts" ] || fail "--drafts kept the key"
	expect_contains drafts/cases/d1/index.html '草稿案例'

	# --ref: the key of that commit, as its build writes it.
	expect_key_of_build "$PWD/old" -C site --out "$PWD/old" --ref HEAD~1
	[ "$(cat key.txt)" = "$plain" ] || fail "--ref HEAD~1 is not the key of that commit"
	expect_no_file old/cases/d1

	# site.yaml says whether booklets are made: committed, it is in the key.
	printf 'reports:\n  pdf: false\n' >> site/site.yaml
	commit_all site "no booklets"
	expect_key_of_build "$PWD/nopdf" -C site --out "$PWD/nopdf"
	expect_no_file nopdf/reports/2024/2024.pdf
	[ "$(cat key.txt)" != "$nodrafts" ] || fail "booklets off kept the key"

	# --theme and the bytes of that theme.
	cp -R "$top/themes/default" theme
	expect_key_of_build "$PWD/themed" -C site --out "$PWD/themed" --theme "$PWD/theme"
	themed=$(cat key.txt)
	echo "/* edited */" >> theme/static/style.css
	expect_key_of_build "$PWD/themed" -C site --out "$PWD/themed" --theme "$PWD/theme"
	[ "$(cat key.txt)" != "$themed" ] || fail "an edited theme kept the key"

	# SOURCE_DATE_EPOCH is the build date.
	print_key -C site
	head=$(cat key.txt)
	SOURCE_DATE_EPOCH=86400 expect_key_of_build "$PWD/dated" -C site --out "$PWD/dated"
	[ "$(cat key.txt)" != "$head" ] || fail "SOURCE_DATE_EPOCH kept the key"
}
test_case "key: --drafts, --ref, --theme, site.yaml and SOURCE_DATE_EPOCH change the printed key as they change the build's" t_key_follows_options

t_key_and_commits() {
	make_site site
	expect_key_of_build "$PWD/pub" -C site --out "$PWD/pub"
	first=$(cat key.txt)
	# An edit that is not committed is not built, and keeps the key.
	echo "未提交的修改。" >> site/content/cases/c1.md
	print_key -C site --out "$PWD/pub"
	[ "$(cat key.txt)" = "$first" ] || fail "an uncommitted edit changed the key"
	# The same commit in another clone, somewhere else: the same key,
	# which is what lets a CI runner find another's artifact.
	git clone -q site elsewhere
	print_key -C elsewhere --out "$PWD/pub"
	[ "$(cat key.txt)" = "$first" ] || fail "a clone of the same commit has another key"

	# A commit that edits a record: another key, the one its build writes.
	commit_all site "c1 edited"
	expect_key_of_build "$PWD/pub" -C site --out "$PWD/pub"
	edited=$(cat key.txt)
	[ "$edited" != "$first" ] || fail "a commit that edits a record kept the key"

	# A commit of a file the build does not read (outside the site's
	# folder, which is www/ of the repository): the same pages, but
	# the key hashes the commit id (its history gives the pages' dates
	# and contributors, and the home page names the commit), so every
	# commit has a key of its own, and the build writes that key too.
	mkdir mono
	cp -R "$FIXTURES/minimal/." mono/www/
	git -C mono init -q -b main
	commit_all mono "the site in www/"
	expect_key_of_build "$PWD/sub" -C mono/www --out "$PWD/sub"
	moved=$(cat key.txt)
	echo "notes of the bureau" > mono/NOTES.txt
	commit_all mono "a file outside the site"
	expect_key_of_build "$PWD/sub" -C mono/www --out "$PWD/sub"
	[ "$(cat key.txt)" != "$moved" ] || fail "a new commit kept the key"
}
test_case "key: a commit that edits a record changes it, an uncommitted edit or another clone does not" t_key_and_commits

t_key_errors() {
	make_site site
	# --worktree builds have no key.
	run_showcase 2 build --print-key -C site --worktree
	[ ! -s out.txt ] || fail "a key was printed for --worktree"
	expect_contains err.txt "--print-key and --worktree cannot be used together: a build of the files on disk has no key"
	# A theme the key cannot read in full: the build has no key (it
	# builds in full and writes none); --print-key prints none.
	cp -R "$(cd "$HERE/../.." && pwd)/themes/default" theme
	mkfifo theme/static/pipe
	run_showcase 3 build --print-key -C site --theme "$PWD/theme"
	[ ! -s out.txt ] || fail "a key was printed for a theme that cannot be hashed"
	expect_contains err.txt "showcase: error: cannot print the key of the build: the theme folder cannot be read in full"
	# The site cannot be loaded: the build's error, the build's code.
	run_showcase 3 build --print-key -C "$PWD/nowhere"
	[ ! -s out.txt ] || fail "a key was printed for no repository"
	mkdir norepo
	run_showcase 3 build --print-key -C norepo
	[ ! -s out.txt ] || fail "a key was printed outside a repository"
	expect_contains err.txt "is not inside a git repository"
	echo "title: [unclosed" > site/site.yaml
	commit_all site "site.yaml broken"
	run_showcase 1 build --print-key -C site
	[ ! -s out.txt ] || fail "a key was printed for a broken site.yaml"
	expect_contains err.txt "site.yaml:"
	run_showcase 3 build --print-key -C site --ref no-such-ref
	[ ! -s out.txt ] || fail "a key was printed for a ref that does not exist"
	expect_contains err.txt "cannot resolve revision 'no-such-ref'"
	# An output folder the build would refuse: refused too (exit 2).
	git -C site reset -q --hard HEAD~1
	mkdir mine && echo mine > mine/file.txt
	run_showcase 2 build --print-key -C site --out "$PWD/mine"
	[ ! -s out.txt ] || fail "a key was printed for an output the build refuses"
	expect_contains err.txt "refusing to replace"
	# stdout that cannot be written.
	if [ -w /dev/full ]; then
		code=0
		"$SHOWCASE" build --print-key -C site > /dev/full 2>err.txt || code=$?
		[ "$code" = 3 ] || fail "exit $code writing to /dev/full"
		expect_contains err.txt "cannot write the key to stdout"
	fi
}
test_case "key: no key, no output: --worktree, a theme that cannot be hashed, a site that cannot be loaded" t_key_errors
