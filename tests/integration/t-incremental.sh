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

# build_with_stats ARGS...: build_over_and_fresh with SHOWCASE_DEBUG_STATS
# set for the build over ./inc, whose stderr is kept in inc-err.txt.
build_with_stats() {
	SHOWCASE_DEBUG_STATS=1 run_showcase 0 build -C site --out "$PWD/inc" "$@"
	cp err.txt inc-err.txt
	rm -rf fresh
	run_showcase 0 build -C site --out "$PWD/fresh" "$@"
	diff -r -x .showcase-manifest inc fresh >&2 || fail "incremental differs from fresh"
}

inode() {
	stat -c %i "$1"
}

# add_year_2023: a second year in the site, its report and a case of
# 2023 (content/cases/c23.md), not committed.
add_year_2023() {
	printf -- '---\ntitle: 2023年度教师培训成果展示\nyear: 2023\norganization: 测试县教育体育局\n---\n前言。\n' \
		> site/content/reports/2023.md
	printf -- '---\ntitle: 二〇二三年的案例\ndate: 2023-05-10\nkind: 工作案例\n---\n去年的案例。\n' \
		> site/content/cases/c23.md
}

t_incremental_noop() {
	make_site site
	run_showcase 0 build -C site --out "$PWD/inc"
	expect_file inc/reports/2024/2024.pdf
	head -n 1 inc/.showcase-manifest > line.txt
	expect_same_text line.txt <(echo "showcase-manifest/5")
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

# see_change CHANGE: make CHANGE (a shell command) to ./inc, build over
# it: the output must be made again (a new folder) and be a fresh build's.
see_change() {
	local folder
	folder=$(inode inc)
	sh -c "$1" || fail "cannot set up: $1"
	build_over_and_fresh
	[ "$(inode inc)" != "$folder" ] || fail "not seen: $1"
}

# expect_left_in_place: a build over an output that is exactly its own
# leaves the very folder.
expect_left_in_place() {
	local folder
	folder=$(inode inc)
	run_showcase 0 build -C site --out "$PWD/inc"
	[ "$(inode inc)" = "$folder" ] || fail "an exact output was replaced"
}

# The no-op check walks the previous output: whatever a build did not
# make, at any depth and of any kind, must be seen, and the output made
# again without it (by hard links: the pages themselves are not redone).
t_incremental_noop_walk_sees_all() {
	make_site site
	run_showcase 0 build -C site --out "$PWD/inc"
	page=$(inode inc/cases/c1/index.html)
	mode=$(stat -c %a inc/cases)
	for change in "echo mine > inc/cases/c1/mine.txt" \
		      "ln -s ../index.html inc/cases/c1/link.html" \
		      "mkfifo inc/cases/pipe" \
		      "mkdir -p inc/cases/c1/deep/er" \
		      "chmod 700 inc/cases" \
		      "rm inc/cases/c1/index.html && mkdir inc/cases/c1/index.html"; do
		see_change "$change"
		expect_no_file inc/cases/c1/mine.txt
		[ ! -L inc/cases/c1/link.html ] || fail "a link was kept: $change"
		[ ! -e inc/cases/pipe ] || fail "a pipe was kept: $change"
		expect_no_file inc/cases/c1/deep
		[ -f inc/cases/c1/index.html ] || fail "the page is gone: $change"
		[ "$(stat -c %a inc/cases)" = "$mode" ] ||
			fail "a folder's mode was carried over: $change"
		# Carried by hard link, not made again (until it was itself
		# the thing replaced).
		case $change in
		*index.html*) ;;
		*) [ "$(inode inc/cases/c1/index.html)" = "$page" ] ||
			fail "the page was made again: $change" ;;
		esac
	done
	# And once all is as built, the next build leaves it in place.
	expect_left_in_place
}
test_case "incremental: the no-op check sees anything a build did not make, at any depth" t_incremental_noop_walk_sees_all

# make_site_300: a site of 300 more cases (g1 to g300), committed: enough
# folders for the walk of the old output and its removal to be shared out
# to threads.
make_site_300() {
	make_site site
	for i in $(seq 300); do
		printf -- '---\ntitle: 案例%s\ndate: 2024-05-10\nkind: 工作案例\n---\n正文。\n' "$i" \
			> "site/content/cases/g$i.md"
	done
	commit_all site "300 cases"
}

# With hundreds of pages the walk is shared out to threads (list_output()):
# what one of them finds must count as much.
t_incremental_noop_walk_threaded() {
	make_site_300
	run_showcase 0 build -C site --out "$PWD/inc"
	for change in "echo mine > inc/cases/g287/mine.txt" \
		      "chmod 700 inc/cases/g150" \
		      "rm inc/cases/g3/index.html" \
		      "mkdir inc/cases/g299/empty"; do
		see_change "$change"
	done
	expect_left_in_place
}
test_case "incremental: the no-op check of hundreds of pages, walked by several threads, sees a change in any" t_incremental_noop_walk_threaded

# threads_started ARGS...: build with ARGS under strace, print how many
# threads the process started (clones that share its memory as threads;
# LeakSanitizer, which cannot run under ptrace, off in ASan builds).
threads_started() {
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -qq -e trace=clone,clone3 -o clones.txt "$SHOWCASE" build "$@" 2>err.txt ||
		fail "build $*: $(cat err.txt)"
	grep -c 'CLONE_THREAD' clones.txt
}

# --jobs 1 bounds every stage, also those no option reached: the walk of
# a no-op rebuild and the removal of the old output, which shared out
# large sites to a thread per CPU whatever --jobs said. With -j1 the one
# thread started is the signal watcher (write.h).
t_incremental_jobs_one() {
	command -v strace >/dev/null || { echo "# no strace: skipped" >&2; return 0; }
	make_site_300
	printf 'reports:\n  pdf: false\n  html: false\n' >> site/site.yaml
	commit_all site "no booklets"
	run_showcase 0 build -C site --out "$PWD/inc"
	# A file of one's own in the way: the no-op walk finds it, the output
	# is carried over whole and the old one removed.
	echo mine > inc/cases/g7/mine.txt
	[ "$(threads_started -q -j1 -C site --out "$PWD/inc")" = 1 ] ||
		fail "-j1 over an output to walk and remove started threads: $(cat clones.txt)"
	expect_no_file inc/cases/g7/mine.txt
	printf '\n又一段。\n' >> site/content/cases/g1.md
	commit_all site "g1"
	[ "$(threads_started -q -j1 -C site --out "$PWD/inc")" = 1 ] ||
		fail "-j1 after a commit started threads: $(cat clones.txt)"
	# The control: without -j the same work is shared out.
	echo mine > inc/cases/g7/mine.txt
	[ "$(threads_started -q -j2 -C site --out "$PWD/inc")" -gt 1 ] ||
		fail "-j2 started no thread: the test sees nothing"
}
test_case "incremental: --jobs 1 starts no worker thread, in the walk of the old output and its removal too" t_incremental_jobs_one

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
	# The record template only: the record pages and (the theme is part
	# of every key) the booklet are made again.
	pdf=$(inode inc/reports/2024/2024.pdf) c1=$(inode inc/cases/c1/index.html)
	sed -i 's|</article>|</article><!-- edited -->|' theme/templates/record.mustache
	build_over_and_fresh --theme "$PWD/theme"
	expect_contains inc/cases/c1/index.html 'edited'
	[ "$(inode inc/cases/c1/index.html)" != "$c1" ] || fail "a record page of an edited template was carried over"
	[ "$(inode inc/reports/2024/2024.pdf)" != "$pdf" ] || fail "the booklet was carried over after a theme change"
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
	# One with the right keys that lost a line, or its last line: with
	# the same key the files listed are the whole output, so trusting it
	# would leave a file out (build_over_and_fresh compares with a fresh
	# build).
	grep -v ' index.html$' inc/.showcase-manifest > m
	mv m inc/.showcase-manifest
	build_over_and_fresh
	head -n -1 inc/.showcase-manifest > m
	mv m inc/.showcase-manifest
	build_over_and_fresh
	# One whose list is not one a build writes: the marker, a file twice,
	# a path out of the output, numbers out of range or malformed, a key
	# too long or missing. Each means a full build: the page is made
	# again, not linked.
	page_line=$(grep ' index.html$' inc/.showcase-manifest)
	for bad in "1 0.0 0 - .showcase-output" "$page_line" \
		   "1 0.0 1 - ../outside.html" \
		   "18446744073709551616 0.0 1 - x.html" \
		   "1 -0.0 1 - x.html" "1 0.5x 1 - x.html" "1 0 1 - x.html" \
		   "1 0.0 1 $(printf 'a%.0s' $(seq 65)) x.html" \
		   "1 0.0 1 x.html" "1  0.0 1 - x.html"; do
		{ head -n 4 inc/.showcase-manifest; echo "$page_line"; echo "$bad"
		  echo "end 2"; } > m
		mv m inc/.showcase-manifest
		page=$(inode inc/index.html)
		build_over_and_fresh
		[ "$(inode inc/index.html)" != "$page" ] ||
			fail "a manifest with the line '$bad' was trusted"
	done
	expect_no_file outside.html
	# Working-tree builds have no key and no manifest.
	run_showcase 0 build -C site --worktree --out "$PWD/wt"
	expect_no_file wt/.showcase-manifest
}
test_case "incremental: an edited or missing old file means a full build" t_incremental_tampered

# same_inode FILE INODE WHAT / new_inode FILE INODE WHAT: was FILE carried
# over from the previous output (a hard link) or made again?
same_inode() {
	[ "$(inode "$1")" = "$2" ] || fail "$3 was made again"
}
new_inode() {
	[ "$(inode "$1")" != "$2" ] || fail "$3 was carried over"
}

t_incremental_series() {
	make_site site
	add_year_2023
	commit_all site "2023"
	run_showcase 0 build -C site --out "$PWD/inc"
	expect_file inc/reports/2023/2023.pdf
	grep -q '^base [0-9a-f]\{64\}$' inc/.showcase-manifest || fail "no base key"
	grep -q ' [0-9a-f]\{64\} reports/2024/2024.pdf$' inc/.showcase-manifest ||
		fail "the booklet has no key of its own"
	pdf23=$(inode inc/reports/2023/2023.pdf) pdf24=$(inode inc/reports/2024/2024.pdf)
	html23=$(inode inc/reports/2023/2023.html)
	c23=$(inode inc/cases/c23/index.html) a1=$(inode inc/achievements/a1/index.html)
	css=$(inode inc/static/style.css)

	# One record's body (a 2024 case): its page and the 2024 booklet are
	# made again; the 2023 booklet and the pages that do not show it are
	# carried over.
	printf '\n新增的一段。\n' >> site/content/cases/c1.md
	commit_all site "c1: a paragraph"
	c1=$(inode inc/cases/c1/index.html)
	build_over_and_fresh
	new_inode inc/cases/c1/index.html "$c1" "the edited record's page"
	new_inode inc/reports/2024/2024.pdf "$pdf24" "the 2024 booklet"
	same_inode inc/reports/2023/2023.pdf "$pdf23" "the 2023 booklet"
	same_inode inc/reports/2023/2023.html "$html23" "the 2023 print page"
	same_inode inc/cases/c23/index.html "$c23" "an unchanged record page"
	same_inode inc/static/style.css "$css" "a static file"
	pdf24=$(inode inc/reports/2024/2024.pdf)

	# Only history: an empty commit on another day. The booklets and the
	# records' pages stay; the home page names the new commit.
	home=$(inode inc/index.html)
	GIT_COMMITTER_DATE="2025-01-05T10:00:00+08:00" GIT_AUTHOR_DATE="2025-01-05T10:00:00+08:00" \
		git -C site commit -q --allow-empty -m "nothing"
	build_over_and_fresh
	new_inode inc/index.html "$home" "the home page"
	same_inode inc/reports/2024/2024.pdf "$pdf24" "the 2024 booklet"
	same_inode inc/reports/2023/2023.pdf "$pdf23" "the 2023 booklet"
	same_inode inc/cases/c23/index.html "$c23" "an unchanged record page"

	# A 2023 record changed on a later day: its dates change, and so the
	# 2023 booklet (its date is its records' newest); 2024's stays.
	printf '\n补记。\n' >> site/content/cases/c23.md
	git -C site add -A
	GIT_COMMITTER_DATE="2025-02-01T10:00:00+08:00" GIT_AUTHOR_DATE="2025-02-01T10:00:00+08:00" \
		git -C site commit -q -m "c23: a note"
	build_over_and_fresh
	new_inode inc/reports/2023/2023.pdf "$pdf23" "the 2023 booklet"
	same_inode inc/reports/2024/2024.pdf "$pdf24" "the 2024 booklet"
	pdftotext inc/reports/2023/2023.pdf - | tr -d '[:space:]' | grep -q '据2025年2月1日的记录编印' ||
		fail "the 2023 booklet is not dated by its records"
	pdfinfo inc/reports/2023/2023.pdf | grep -q '^CreationDate:.*2025' ||
		fail "the 2023 PDF's CreationDate is not its records' date"
	same_inode inc/achievements/a1/index.html "$a1" "an unchanged record page"

	# The title of a record others link to and list.
	sed -i 's/^title: 2024年测试县国培项目$/title: 2024年测试县国培项目（更名）/' site/content/projects/p1.md
	commit_all site "p1 renamed"
	build_over_and_fresh
	expect_contains inc/cases/c1/index.html '（更名）'

	# A record added, one deleted, a slug renamed.
	printf -- '---\ntitle: 新案例\ndate: 2024-09-01\nkind: 工作案例\n---\n新的。\n' \
		> site/content/cases/c-new.md
	commit_all site "a case added"
	build_over_and_fresh
	expect_file inc/cases/c-new/index.html
	git -C site rm -q content/achievements/a1.md
	commit_all site "a1 deleted"
	build_over_and_fresh
	expect_no_file inc/achievements/a1/index.html
	git -C site mv content/cases/c23.md content/cases/c23b.md
	commit_all site "c23 renamed"
	build_over_and_fresh
	expect_no_file inc/cases/c23/index.html
	expect_file inc/cases/c23b/index.html

	# site.yaml: every booklet is made again (its base key changed).
	pdf23=$(inode inc/reports/2023/2023.pdf)
	sed -i 's/^description: 测试用站点$/description: 测试用站点（新）/' site/site.yaml
	commit_all site "site.yaml"
	build_over_and_fresh
	new_inode inc/reports/2023/2023.pdf "$pdf23" "a booklet after site.yaml changed"
	# SOURCE_DATE_EPOCH dates every booklet.
	pdf23=$(inode inc/reports/2023/2023.pdf)
	export SOURCE_DATE_EPOCH=1700000000
	build_over_and_fresh
	new_inode inc/reports/2023/2023.pdf "$pdf23" "a booklet with another SOURCE_DATE_EPOCH"
	unset SOURCE_DATE_EPOCH
	# A file (the manifest) listing a key of a booklet that was edited by
	# hand: made again.
	echo "%% edited" >> inc/reports/2024/2024.pdf
	build_over_and_fresh
}
test_case "incremental: a series of commits, each built over the last output, is a fresh build's bytes; unchanged pages and booklets are carried over" t_incremental_series


# booklets_stats ARGS...: build_with_stats, with the booklet counts
# (booklet.c) in booklets.txt.
booklets_stats() {
	build_with_stats "$@"
	grep '^showcase: booklets typeset' inc-err.txt > booklets.txt || : > booklets.txt
}

# expect_booklets TYPESET CARRIED ON_NOTES: the last booklets_stats.
expect_booklets() {
	grep -q "^showcase: booklets typeset $1, carried over $2 ($3 on their notes)$" booklets.txt ||
		fail "expected $1 booklets typeset, $2 carried over, $3 on their notes: $(cat booklets.txt)"
}

# A booklet is carried over on the note its manifest line keeps (the
# records and figures its Markdown printed, report_key.c) without its
# template being rendered; a record the template prints from another year
# still makes it again, and a note that lies is not believed.
t_incremental_booklet_notes() {
	make_site site
	add_year_2023
	printf -- '---\ntitle: 二〇二二年的案例\ndate: 2022-05-10\nkind: 工作案例\n---\n前年的案例。\n' \
		> site/content/cases/c22.md
	# A region whose figures' ids hold a space, a comma and a percent
	# sign, which a note must write escaped.
	sed -i 's/^region: 测试县$/region: 测试县 东片,50%/' site/content/projects/p1.md
	commit_all site "2023, and a case of 2022"
	# Every booklet prints the 2022 case, of a year without a booklet.
	mkdir -p theme
	cp -R "$HERE/../../themes/default/." theme/
	sed -i 's|^body {{report.ref}} 2$|&\nbody cases/c22 2|' theme/templates/report.mustache
	set -- --theme "$PWD/theme"
	booklets_stats "$@"
	expect_booklets 4 0 0
	[ "$(grep -c '^note .*r:content/cases/c22\.md' inc/.showcase-manifest)" = 4 ] ||
		fail "not every booklet's note names the case it prints"
	expect_contains inc/reports/2023/2023.html '前年的案例。'

	grep -q '^note .*,f:trainees/2024/region=测试县%20东片%2C50%25,' inc/.showcase-manifest ||
		fail "the 2024 booklet's note does not name the region's figure, escaped"

	# A 2023 case: the 2024 booklet is carried over on its notes.
	printf '\n新增的一段。\n' >> site/content/cases/c23.md
	commit_all site "c23: a paragraph"
	booklets_stats "$@"
	expect_booklets 2 2 2
	# And a 2024 case: the 2023 booklet.
	printf '\n新增的一段。\n' >> site/content/cases/c1.md
	commit_all site "c1: a paragraph"
	booklets_stats "$@"
	expect_booklets 2 2 2

	# The 2022 case is in no year's records, but every booklet prints it.
	printf '\n补记一段。\n' >> site/content/cases/c22.md
	commit_all site "c22: a paragraph"
	booklets_stats "$@"
	expect_booklets 4 0 0
	expect_contains inc/reports/2023/2023.html '补记一段。'

	# A note that leaves out the 2022 case, one that leaves out a figure
	# the booklet shows: not believed (the key hashes both lists). The
	# 2023 PDF is parsed, found to be the same and carried over; its
	# print page then takes the PDF's findings.
	sed -i '/ reports\/2023\/2023\.pdf$/{n;s/r:content\/cases\/c22\.md,//}' inc/.showcase-manifest
	sed -i '/ reports\/2023\/2023\.html$/{n;s/,f:[^,]*//}' inc/.showcase-manifest
	printf '\n又一段。\n' >> site/content/cases/c1.md
	commit_all site "c1: another paragraph"
	booklets_stats "$@"
	expect_booklets 2 2 0
	# A note that cannot be read: the print page is made from its PDF's
	# findings, the PDF carried over on its own note.
	sed -i '/ reports\/2023\/2023\.html$/{n;s/^note .*/note r:%zz/}' inc/.showcase-manifest
	printf '\n又二段。\n' >> site/content/cases/c1.md
	commit_all site "c1: a paragraph more"
	booklets_stats "$@"
	expect_booklets 2 2 1

	# A note line that this generator cannot have written (a space in
	# it): the manifest is not believed at all, and the build is full.
	sed -i '0,/^note /s/^note .*/& x/' inc/.showcase-manifest
	printf '\n再一段。\n' >> site/content/cases/c1.md
	commit_all site "c1: a third paragraph"
	booklets_stats "$@"
	expect_booklets 4 0 0
}
test_case "incremental: a booklet is carried over on its note, unless a record it prints changed or the note lies" t_incremental_booklet_notes

# A booklet that said something (a photo too small for print) has no key:
# every build typesets it again and says it again, a no-op one too.
t_incremental_booklet_warning() {
	make_site site
	set_c1_cover 100 80 small.png
	commit_all site "c1: a small cover"
	local warning="content/cases/c1.md:8:8: warning: image 'repo:content/cases/images/small.png' prints at 31 ppi"
	run_showcase 0 build -C site --out "$PWD/inc"
	expect_contains err.txt "$warning"
	grep -q '^[0-9]* [0-9.]* [0-9]* - reports/2024/2024.pdf$' inc/.showcase-manifest ||
		fail "a booklet that warned has a key"
	run_showcase 0 build -C site --out "$PWD/inc"
	expect_contains err.txt "$warning"
	printf '\n新的一段。\n' >> site/content/projects/p1.md
	commit_all site "p1: a paragraph"
	booklets_stats
	expect_contains inc-err.txt "$warning"
	expect_booklets 2 0 0
}
test_case "incremental: a booklet that warned is typeset again and warns again, a no-op rebuild too" t_incremental_booklet_warning

# build_stats: build over ./inc like build_over_and_fresh, with the record
# page counts (render.h SHOWCASE_DEBUG_STATS) in stats.txt; a no-op
# rebuild renders nothing and prints none.
build_stats() {
	build_with_stats "$@"
	grep '^showcase: record pages rendered' inc-err.txt > stats.txt ||
		echo "record pages rendered 0, (no-op)" > stats.txt
}

# expect_rendered N: the last build_stats rendered N record pages.
expect_rendered() {
	grep -q "record pages rendered $1, " stats.txt ||
		fail "expected $1 record pages rendered: $(cat stats.txt)"
}

# Record pages are carried over by a key of their own (render_key.c):
# each change of what a page shows from other records must make it again.
t_incremental_page_keys() {
	make_site site
	# No booklets: a report's page shows its PDF's size, which any edit
	# of its year changes (the series above builds them).
	printf 'page_size: 2\nreports:\n  pdf: false\n  html: false\n' >> site/site.yaml
	for n in 2 3 4; do
		printf -- '---\ntitle: 案例%s\ndate: 2024-0%s-01\nkind: 工作案例\n---\n正文%s。\n' \
			"$n" "$n" "$n" > site/content/cases/c$n.md
	done
	sed 's/^title: .*/title: 第二工作室/' site/content/studios/s1.md > site/content/studios/s2.md
	commit_all site "three more cases, two to a list page; a second studio"
	build_stats
	expect_rendered 10
	build_stats
	expect_file inc/cases/page/2/index.html

	# A body that nothing else shows: only its own page.
	s1=$(inode inc/studios/s1/index.html) c1=$(inode inc/cases/c1/index.html)
	printf '\n新的一段。\n' >> site/content/projects/p1.md
	commit_all site "p1: a paragraph"
	build_stats
	expect_rendered 1
	same_inode inc/cases/c1/index.html "$c1" "a page linking the edited record"
	same_inode inc/studios/s1/index.html "$s1" "an unrelated record page"

	# A title others show: the pages of the records that reference it
	# (c1 names p1) and that it references (p1 lists c1 back).
	sed -i 's/^title: 案例一$/title: 案例一（改）/' site/content/cases/c1.md
	commit_all site "c1 renamed"
	build_stats
	expect_contains inc/projects/p1/index.html '案例一（改）'
	expect_contains inc/studios/s1/index.html '案例一（改）'
	expect_contains inc/selections/2024-test/index.html '案例一（改）'
	p1=$(inode inc/projects/p1/index.html)
	sed -i 's/^title: 2024年测试县国培项目$/title: 国培项目（改）/' site/content/projects/p1.md
	commit_all site "p1 renamed"
	build_stats
	expect_contains inc/cases/c1/index.html '国培项目（改）'
	new_inode inc/projects/p1/index.html "$p1" "the renamed record's page"

	# A date (the back-link on p1 shows it; the list pages sort by it).
	sed -i 's/^date: 2024-05-10$/date: 2024-01-10/' site/content/cases/c1.md
	commit_all site "c1 dated earlier"
	build_stats
	expect_contains inc/projects/p1/index.html '2024-01-10'

	# A tag: from one term page to another.
	sed -i 's/^kind: 工作案例$/kind: 校本研修案例/' site/content/cases/c3.md
	commit_all site "c3: another kind"
	build_stats
	expect_rendered 1

	# A back-link moved: a1 names s2, no longer s1.
	sed -i 's/^studio: s1$/studio: s2/' site/content/achievements/a1.md
	commit_all site "a1: another studio"
	build_stats
	expect_not_contains inc/studios/s1/index.html '论文一篇'
	expect_contains inc/studios/s2/index.html '论文一篇'

	# A figure's value (p1's trainees): the report's page and the
	# figure pages.
	sed -i 's/^trainees: 120$/trainees: 150/' site/content/projects/p1.md
	commit_all site "p1: trainees"
	build_stats

	# A record added: every list page after it, the navigation counts
	# on every page.
	printf -- '---\ntitle: 案例五\ndate: 2024-12-01\nkind: 工作案例\n---\n正文五。\n' \
		> site/content/cases/c5.md
	commit_all site "c5 added"
	build_stats
	expect_file inc/cases/page/3/index.html
	expect_rendered 11

	# A record's address (renamed file) others link to in their body.
	git -C site mv content/studios/s1.md content/studios/s9.md
	sed -i 's/studio: s1$/studio: s9/; s|studios/s1.md|studios/s9.md|' \
		site/content/cases/c1.md
	sed -i 's/studio: s1$/studio: s9/' site/content/selections/2024-test.md
	commit_all site "s1 is s9"
	build_stats
	expect_contains inc/cases/c1/index.html 'studios/s9/'
}
test_case "incremental: record pages carried over by their own key are made again when anything they show changes" t_incremental_page_keys


# expect_not_loaded WHAT: the last build (with SHOWCASE_DEBUG_STATS) got as
# far as the manifest's key and never loaded the records.
expect_not_loaded() {
	expect_contains err.txt "stage manifest key"
	if grep -q "stage records loaded" err.txt; then
		fail "$1 loaded the records"
	fi
}

# A no-op rebuild reads the snapshot and the output, not the records
# (manifest.h): the summary line still counts them, a build that had
# warnings says them again, an output built with --allow-empty is not
# taken for granted without it, and an output carried over whole keeps
# the keys of its pages for the next commit.
t_incremental_noop_unloaded() {
	make_site site
	printf 'reports:\n  pdf: false\n  html: false\n' >> site/site.yaml
	commit_all site "no booklets"
	run_showcase 0 build -C site --out "$PWD/inc"
	expect_contains err.txt "showcase: built 6 records into '$PWD/inc'"
	grep '^summary 6 0$' inc/.showcase-manifest >/dev/null ||
		fail "the manifest has no summary line: $(sed -n 4p inc/.showcase-manifest)"

	SHOWCASE_DEBUG_STATS=1 run_showcase 0 build -C site --out "$PWD/inc"
	expect_contains err.txt "showcase: built 6 records into '$PWD/inc'"
	expect_not_loaded "a no-op rebuild"

	# Carried over whole (a file of one's own is in the way): still not
	# loaded, and the pages keep their keys, so that the next commit
	# renders only what it changes.
	echo mine > inc/mine.txt
	SHOWCASE_DEBUG_STATS=1 run_showcase 0 build -C site --out "$PWD/inc"
	expect_no_file inc/mine.txt
	expect_not_loaded "a rebuild carried over whole"
	printf '\n新的一段。\n' >> site/content/projects/p1.md
	commit_all site "p1: a paragraph"
	build_stats
	expect_rendered 1

	# A warning is said on every build, the no-op ones too.
	sed 's/^title: .*/&\nmood: 好/' site/content/cases/c1.md > c1.md
	mv c1.md site/content/cases/c1.md
	commit_all site "c1: a field the schema does not know"
	run_showcase 0 build -C site --out "$PWD/inc"
	expect_contains err.txt "content/cases/c1.md:3:1: warning: unknown field 'mood'"
	run_showcase 0 build -C site --out "$PWD/inc"
	expect_contains err.txt "content/cases/c1.md:3:1: warning: unknown field 'mood'"
	expect_contains err.txt "showcase: built 6 records into '$PWD/inc'"

	# Built once with --allow-empty, an empty commit is refused without it.
	git -C site rm -qr content
	commit_all site "no records"
	run_showcase 0 build -C site --out "$PWD/inc" --allow-empty
	run_showcase 1 build -C site --out "$PWD/inc"
	expect_contains err.txt "nothing to publish (use --allow-empty to publish an empty site)"
	run_showcase 0 build -C site --out "$PWD/inc" --allow-empty
	expect_contains err.txt "showcase: built 0 records into '$PWD/inc'"
}
test_case "incremental: a no-op rebuild does not load the records, and still counts them, repeats warnings and refuses an empty commit" t_incremental_noop_unloaded


# expect_bodies CACHED PARSED: what the last build_with_stats took of the
# record bodies from the body cache, and parsed.
expect_bodies() {
	grep -q "^showcase: record bodies from the cache $1, parsed $2$" inc-err.txt ||
		fail "expected $1 bodies from the cache, $2 parsed: $(grep 'record bodies' inc-err.txt)"
}

# change_p1 N: commit another paragraph of p1, so that the next build
# carries the other record pages over.
change_p1() {
	printf '\n第%s段。\n' "$1" >> site/content/projects/p1.md
	commit_all site "p1: paragraph $1"
}

# What a carried page's body gives (its text for the search index and
# feeds, the media it links) comes from the body cache beside the output
# (bodycache.h), only when it can be trusted, and only for bodies that
# said nothing; a file of the user's with the cache's name is left alone.
t_incremental_body_cache() {
	make_site site
	printf 'reports:\n  pdf: false\n  html: false\n' >> site/site.yaml
	# An image published only because a body links it, and a body with
	# a warning.
	cp site/content/cases/images/photo.jpg site/content/cases/images/body-only.jpg
	printf -- '---\ntitle: 案例二\ndate: 2024-06-01\nkind: 工作案例\n---\n正文里的图：![图](images/body-only.jpg)\n' \
		> site/content/cases/c2.md
	printf -- '---\ntitle: 案例三\ndate: 2024-06-02\nkind: 工作案例\n---\n[危险](javascript:alert(1))\n' \
		> site/content/cases/c3.md
	commit_all site "c2, c3"
	build_with_stats
	expect_bodies 0 8
	expect_file .inc.showcase-cache
	head -c 22 .inc.showcase-cache | grep -qx 'showcase-body-cache/1' ||
		fail "the body cache has no format line"
	local warning="content/cases/c3.md:6:1: warning: link to 'javascript:alert(1)' left out"
	expect_contains inc-err.txt "$warning"

	# p1 changed: the other bodies come from the cache, but c3's, which
	# said something and says it again; the image linked only from c2's
	# body is still published (build_stats compares with a fresh build).
	change_p1 1
	build_with_stats
	expect_bodies 6 2
	expect_contains inc-err.txt "$warning"
	[ -n "$(find inc/media -name 'body-only*')" ] || fail "the image c2's body links is not published"

	# A cache that cannot be trusted is not used: cut short, one byte
	# changed, made for another base (site.yaml), or not a cache.
	local n=2 damage
	for damage in cut byte base; do
		case $damage in
		cut) head -c -30 .inc.showcase-cache > c && cat c > .inc.showcase-cache ;;
		byte) python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[len(b)//2]^=1; open(p,"wb").write(b)' .inc.showcase-cache ;;
		base) cp .inc.showcase-cache c
		      sed -i 's/^description: .*/description: 另一个描述/' site/site.yaml ;;
		esac
		change_p1 $n
		n=$((n + 1))
		build_with_stats
		expect_bodies 0 8
		expect_contains inc-err.txt "$warning"
		# Another base: the whole output is made again, no cache read.
		[ $damage = base ] ||
			expect_contains inc-err.txt "body cache not used: its checksum does not match"
	done
	# The cache of the old base, put back, is not used either.
	cp c .inc.showcase-cache
	change_p1 $n
	build_with_stats
	expect_bodies 0 8
	expect_contains inc-err.txt "body cache not used: another base key"

	# Any file of the user's with the cache's name is left alone, with a
	# warning; the build still succeeds.
	rm .inc.showcase-cache
	echo mine > .inc.showcase-cache
	change_p1 $((n + 1))
	run_showcase 0 build -C site --out "$PWD/inc"
	expect_contains err.txt "warning: not written by showcase: left alone, and the body cache is not kept"
	[ "$(cat .inc.showcase-cache)" = mine ] || fail "the user's file was replaced"
	rm .inc.showcase-cache
	mkdir elsewhere
	ln -s elsewhere/target .inc.showcase-cache
	change_p1 $((n + 2))
	run_showcase 0 build -C site --out "$PWD/inc"
	expect_contains err.txt "warning: not written by showcase"
	[ -L .inc.showcase-cache ] && [ ! -e elsewhere/target ] ||
		fail "the link with the cache's name was replaced or followed"
	[ -z "$(find inc -name '*cache*')" ] || fail "a cache file was left in the output"
}
test_case "incremental: carried pages take their bodies' text and media from the body cache, when it can be trusted" t_incremental_body_cache
