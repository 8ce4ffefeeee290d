# Incremental builds (manifest.h): a build over a previous output gives
# exactly the bytes of a fresh build of the same commit, whatever changed,
# and carries files over only when nothing they depend on changed.

# build_over_and_fresh ARGS...: build the site's HEAD over ./inc, then
# fresh into ./fresh, and compare the two byte for byte (the manifest
# aside: it lists inodes and times, it is not published content).
build_over_and_fresh() {
	run_showcase 0 build -C site --out "$PWD/inc" "$@"
	rm -rf fresh
	run_showcase 0 build -C site --out "$PWD/fresh" "$@"
	diff -r -x .showcase-manifest inc fresh >&2 || fail "incremental differs from fresh"
	expect_file inc/.showcase-manifest
}

inode() {
	stat -c %i "$1"
}

t_incremental_noop() {
	make_site site
	run_showcase 0 build -C site --out "$PWD/inc"
	expect_file inc/reports/2024/2024.pdf
	head -n 1 inc/.showcase-manifest > line.txt
	expect_same_text line.txt <(echo "showcase-manifest/1")
	page=$(inode inc/index.html) pdf=$(inode inc/reports/2024/2024.pdf)
	folder=$(inode inc)
	# A link of our own to an old file: the next build must never write
	# into it.
	ln inc/index.html kept.html
	cp inc/index.html kept-copy.html
	build_over_and_fresh
	# Same inputs: the very same files, left in place.
	[ "$(inode inc)" = "$folder" ] || fail "the output was replaced"
	[ "$(inode inc/index.html)" = "$page" ] || fail "index.html was made again"
	[ "$(inode inc/reports/2024/2024.pdf)" = "$pdf" ] || fail "the booklet was typeset again"
	cmp kept.html kept-copy.html || fail "an old file was changed"
	# A file of one's own in the output (which a build removes), an
	# empty folder: the files are carried over into a new folder by
	# hard link, without them.
	echo mine > inc/mine.txt
	mkdir inc/cases/empty
	build_over_and_fresh
	expect_no_file inc/mine.txt
	expect_no_file inc/cases/empty
	[ "$(inode inc)" != "$folder" ] || fail "the output was not replaced"
	[ "$(inode inc/index.html)" = "$page" ] || fail "index.html was made again"
	[ "$(inode inc/reports/2024/2024.pdf)" = "$pdf" ] || fail "the booklet was typeset again"
	cmp kept.html kept-copy.html || fail "an old file was changed"
	# Another mode than a build gives: made again.
	chmod 600 inc/cases/c1/index.html
	build_over_and_fresh
	[ "$(stat -c %a inc/cases/c1/index.html)" = "$(stat -c %a fresh/cases/c1/index.html)" ] ||
		fail "a file's mode was carried over"
	# Another SOURCE_DATE_EPOCH is another build date: made again.
	SOURCE_DATE_EPOCH=86400 "$SHOWCASE" build -C site --out "$PWD/inc" -q
	expect_contains inc/index.html '1970-01-02'
	[ "$(inode inc/index.html)" != "$page" ] || fail "a page with another date was carried over"
	cmp kept.html kept-copy.html || fail "an old file was changed"
}
test_case "incremental: a no-op rebuild leaves the output or carries every file over by hard link" t_incremental_noop

t_incremental_record() {
	make_site site
	run_showcase 0 build -C site --out "$PWD/inc"
	ln inc/cases/c1/index.html kept.html
	cp kept.html kept-copy.html
	sed -i 's/^title: 案例一$/title: 案例一第二版/' site/content/cases/c1.md
	commit_all site "one record edited"
	build_over_and_fresh
	expect_contains inc/cases/c1/index.html '第二版'
	cmp kept.html kept-copy.html || fail "an old file was changed"
	git -C site rm -q content/achievements/a1.md
	commit_all site "one record deleted"
	build_over_and_fresh
	expect_no_file inc/achievements/a1/index.html
}
test_case "incremental: a record edited, a record deleted" t_incremental_record

t_incremental_site_and_report() {
	make_site site
	run_showcase 0 build -C site --out "$PWD/inc"
	sed -i 's/^title: 测试县教师培训成果$/title: 测试县教师培训成果（新）/' site/site.yaml
	commit_all site "site.yaml edited"
	build_over_and_fresh
	expect_contains inc/index.html '（新）'
	sed -i 's/^title: 2024年度教师培训成果展示$/title: 2024年度成果汇编/' \
		site/content/reports/2024.md
	commit_all site "the report of 2024 edited"
	build_over_and_fresh
	expect_contains inc/reports/2024/2024.html '2024年度成果汇编'
}
test_case "incremental: site.yaml edited, a report year edited" t_incremental_site_and_report

t_incremental_theme() {
	local top
	top=$(cd "$HERE/../.." && pwd)
	make_site site
	cp -R "$top/themes/default" theme
	run_showcase 0 build -C site --out "$PWD/inc" --theme "$PWD/theme"
	page=$(inode inc/index.html)
	sed -i 's|</footer>|<!-- theme edited --></footer>|' theme/templates/partials/footer.mustache
	build_over_and_fresh --theme "$PWD/theme"
	expect_contains inc/index.html 'theme edited'
	[ "$(inode inc/index.html)" != "$page" ] || fail "a page of another theme was carried over"
	echo "/* new */" >> theme/static/style.css
	build_over_and_fresh --theme "$PWD/theme"
	expect_contains inc/static/style.css '/* new */'
}
test_case "incremental: a theme template and a static file edited" t_incremental_theme

t_incremental_tampered() {
	make_site site
	run_showcase 0 build -C site --out "$PWD/inc"
	# A file of the old output edited, another removed: nothing is
	# carried over that is not what the manifest says.
	echo "edited by hand" >> inc/cases/c1/index.html
	rm inc/projects/p1/index.html
	build_over_and_fresh
	expect_not_contains inc/cases/c1/index.html 'edited by hand'
	# A manifest that is not one: a full build.
	echo "garbage" > inc/.showcase-manifest
	build_over_and_fresh
	# One with the right key that lists the marker, or a file twice.
	{ head -n 2 inc/.showcase-manifest; echo "1 0.0 0 .showcase-output"; } > m
	mv m inc/.showcase-manifest
	build_over_and_fresh
	{ head -n 2 inc/.showcase-manifest; grep ' index.html$' inc/.showcase-manifest
	  grep ' index.html$' inc/.showcase-manifest; } > m
	mv m inc/.showcase-manifest
	build_over_and_fresh
	# Working-tree builds have no key and no manifest.
	run_showcase 0 build -C site --worktree --out "$PWD/wt"
	expect_no_file wt/.showcase-manifest
}
test_case "incremental: an edited or missing old file means a full build" t_incremental_tampered
