# The output folder: a build replaces only what showcase wrote, whatever
# --out, symbolic links, signals or a kill do (issue 8).

# The repository's own sample site: big enough that a build takes a while.
SAMPLE_SITE=$(cd "$HERE/../.." && pwd)

# Files and folders below DIR with their contents, to compare before/after.
snapshot_of() {
	(cd "$1" && find . -print0 | sort -z | xargs -0 ls -ld --time-style=+ |
		awk '{ $2 = ""; print }'
	 find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
}

t_out_home() {
	make_site site
	mkdir -p home/.ssh home/Documents
	echo secret > home/.ssh/id_rsa
	echo report > home/Documents/a.txt
	run_showcase 2 build -C site --out home
	expect_contains err.txt "showcase: error: refusing to replace '$PWD/home': it holds 2 entries that showcase did not write (it has no .showcase-output file); choose a new or empty folder for --out, or move the files away yourself"
	expect_file home/.ssh/id_rsa
	expect_file home/Documents/a.txt
	[ -z "$(ls -A . | grep showcase-tmp)" ] || fail "scratch folder left"
}
test_case "--out naming a folder of the user's is refused and left intact" t_out_home

t_out_content() {
	make_site site
	echo "未提交的草稿" > site/content/cases/draft-note.md
	local before
	before=$(snapshot_of site/content)
	run_showcase 2 build -C site --worktree --out site/content
	expect_contains err.txt "refusing to use '$PWD/site/content' as the output folder: it is the site's records, which a build would replace"
	[ "$(snapshot_of site/content)" = "$before" ] || fail "content/ changed"
}
test_case "--worktree --out site/content is refused; the uncommitted file stays" t_out_content

t_out_symlink_up() {
	mkdir box
	make_site box/site
	echo neighbour > box/neighbour.txt
	ln -s . box/up
	local before
	before=$(snapshot_of box)
	run_showcase 2 build -C box/site --out box/up
	expect_contains err.txt "refusing to use '$PWD/box' as the output folder: it contains the site's git repository '$PWD/box/site/.git', which a build would delete"
	expect_contains err.txt "showcase: note: the output folder 'box/up' resolves to '$PWD/box'"
	[ "$(snapshot_of box)" = "$before" ] || fail "box/ changed"
	git -C box/site log -q >/dev/null || fail "the repository is damaged"
}
test_case "an --out that is a link to a folder holding the site is refused" t_out_symlink_up

t_out_bare_link() {
	make_site site
	git clone -q --bare site bare.git
	ln -s bare.git bare-link
	local before
	before=$(snapshot_of bare.git)
	run_showcase 2 build -C bare.git --out bare-link
	expect_contains err.txt "refusing to use '$PWD/bare.git' as the output folder: it is the site's git repository, which a build would replace"
	[ "$(snapshot_of bare.git)" = "$before" ] || fail "the bare repository changed"
	# And a folder inside it, through the link.
	run_showcase 2 build -C bare.git --out bare-link/site
	expect_contains err.txt "it lies inside the site's git repository '$PWD/bare.git'"
	run_showcase 0 build -C bare.git --out public
	expect_file public/index.html
}
test_case "a link to a bare repository is refused as --out" t_out_bare_link

t_out_theme() {
	make_site site2
	cp -R "$HERE/../../themes/default" th
	local before
	before=$(snapshot_of th)
	run_showcase 2 build -C site2 --theme th --out th
	expect_contains err.txt "refusing to use '$PWD/th' as the output folder: it is the theme folder, which a build would replace"
	run_showcase 2 build -C site2 --theme th --out th/static/x
	expect_contains err.txt "it lies inside the theme folder '$PWD/th'"
	[ "$(snapshot_of th)" = "$before" ] || fail "the theme changed"
	run_showcase 0 build -C site2 --theme th --out site2/output
}
test_case "the theme folder is refused as --out" t_out_theme

t_out_root_home_mount() {
	make_site site
	run_showcase 2 build -C site --out /
	expect_contains err.txt "refusing to use '/' as the output folder"
	mkdir myhome
	HOME="$PWD/myhome" run_showcase 2 build -C site --out myhome
	expect_contains err.txt "refusing to use the home folder '$PWD/myhome' as the output folder"
	run_showcase 2 build -C site --out /proc
	expect_contains err.txt "refusing to use '/proc' as the output folder: it is a mount point"
	run_showcase 2 build -C site --out site
	expect_contains err.txt "refusing to use '$PWD/site' as the output folder: it contains the site's git repository"
	run_showcase 2 build -C site --out .
	expect_contains err.txt "refusing to use '$PWD' as the output folder: it contains"
}
test_case "/, the home folder, mount points, the site and . are refused" t_out_root_home_mount

t_out_marker() {
	make_site site
	run_showcase 0 build -C site
	expect_file site/output/.showcase-output
	head -n 1 site/output/.showcase-output > line.txt
	expect_same_text line.txt <(echo "Signature: showcase-output/1")
	# An output of showcase is replaced, also inside the work tree.
	run_showcase 0 build -C site
	run_showcase 0 build -C site --out site/content/preview --worktree
	# An empty folder may be used; a folder with a foreign marker may not.
	mkdir empty
	run_showcase 0 build -C site --out empty
	mkdir fake && echo "Signature: something else" > fake/.showcase-output
	run_showcase 2 build -C site --out fake
	expect_file fake/.showcase-output
	# A file is not a folder.
	echo x > afile
	run_showcase 2 build -C site --out afile
	expect_contains err.txt "refusing to replace '$PWD/afile': it is a file"
	expect_file afile
	# There is no option that forces it.
	run_showcase 2 build -C site --out fake --force
}
test_case "every output carries the marker; only marked or empty folders are replaced" t_out_marker

t_out_mount_inside() {
	# Needs a private mount namespace (root or user namespaces).
	unshare -rm true 2>/dev/null || unshare -m true 2>/dev/null || return 0
	local un="unshare -m"
	unshare -rm true 2>/dev/null && un="unshare -rm"
	make_site site
	run_showcase 0 build -C site
	mkdir site/output/mnt
	$un sh -c "mount -t tmpfs none site/output/mnt && echo keep > site/output/mnt/f &&
		'$SHOWCASE' build -C site -q 2>err.txt; echo \$? > code.txt;
		find . -path '*/mnt/f' > found.txt" || fail "could not mount"
	[ "$(cat code.txt)" = 0 ] || { cat err.txt; fail "exit $(cat code.txt)"; }
	expect_contains err.txt "warning: cannot remove the previous output"
	expect_contains err.txt "Invalid cross-device link"
	[ -s found.txt ] || fail "the file on the other filesystem was removed"
}
test_case "removing the old output never enters another filesystem" t_out_mount_inside

# Build the sample site in the background into OUT and wait until its
# scratch folder appears; its pid is left in $bg_pid.
start_slow_build() {
	# Another build date than the output's: a full build, not a no-op
	# that would be over before the signal (manifest.h).
	SOURCE_DATE_EPOCH=86400 "$SHOWCASE" build -C "$SAMPLE_SITE" --out "$1" -q 2>bg-err.txt &
	bg_pid=$!
	local i=0
	while [ $i -lt 250 ] && [ -z "$(ls -A "$(dirname "$1")" | grep showcase-tmp)" ]; do
		sleep 0.02
		i=$((i + 1))
	done
}

t_out_killed() {
	git -C "$SAMPLE_SITE" rev-parse HEAD >/dev/null 2>&1 || return 0
	mkdir w
	run_showcase 0 build -C "$SAMPLE_SITE" --out w/out -q
	local before i
	before=$(tree_digest w/out)
	for i in 1 2 3; do
		start_slow_build w/out
		kill -9 "$bg_pid"
		wait "$bg_pid" 2>/dev/null || true
	done
	[ "$(tree_digest w/out)" = "$before" ] || fail "a kill changed the old output"
	[ -n "$(ls -A w | grep showcase-tmp)" ] || fail "no scratch folder to clean (test too slow?)"
	# A look-alike that is not ours is kept.
	mkdir w/.out.showcase-tmp-999999999-zzzzzz
	echo mine > w/.out.showcase-tmp-999999999-zzzzzz/notes
	run_showcase 0 build -C "$SAMPLE_SITE" --out w/out -q
	ls -A w > left.txt
	expect_same_text left.txt <(printf '%s\n' .out.showcase-cache .out.showcase-lock .out.showcase-tmp-999999999-zzzzzz out)
}
test_case "a build removes the scratch folders of killed builds" t_out_killed

t_out_signals() {
	git -C "$SAMPLE_SITE" rev-parse HEAD >/dev/null 2>&1 || return 0
	mkdir s
	run_showcase 0 build -C "$SAMPLE_SITE" --out s/out -q
	local before sig code
	before=$(tree_digest s/out)
	for sig in INT TERM; do
		start_slow_build s/out
		kill -$sig "$bg_pid"
		code=0
		wait "$bg_pid" || code=$?
		case $sig in INT) [ $code = 130 ] ;; TERM) [ $code = 143 ] ;; esac ||
			fail "SIG$sig: exit $code"
		[ -z "$(ls -A s | grep showcase-tmp)" ] || fail "SIG$sig left a scratch folder"
		[ "$(tree_digest s/out)" = "$before" ] || fail "SIG$sig changed the output"
	done
}
test_case "SIGINT and SIGTERM remove the scratch folder and keep the old output" t_out_signals

t_out_lock() {
	make_site site
	run_showcase 0 build -C site
	flock site/.output.showcase-lock sleep 3 &
	local holder=$!
	sleep 0.3
	run_showcase 3 build -C site
	expect_contains err.txt "showcase: error: another build is writing '$PWD/site/output' (wait for it to finish, or use --wait)"
	run_showcase 0 build -C site --wait
	expect_contains err.txt "waiting for another build writing '$PWD/site/output'"
	wait $holder
	# The lock and the scratch folders do not become records in a worktree
	# build.
	run_showcase 0 build -C site --worktree
}
test_case "a second build into the same output exits 3, or waits with --wait" t_out_lock

t_out_empty_site() {
	make_site site
	run_showcase 0 build -C site
	local before
	before=$(tree_digest site/output)
	git -C site mv content records
	commit_all site "moved content/"
	run_showcase 1 build -C site
	expect_contains err.txt "showcase: error: no records under content/ at HEAD (commit $(git -C site rev-parse --short=12 HEAD)): nothing to publish (use --allow-empty to publish an empty site)"
	[ "$(tree_digest site/output)" = "$before" ] || fail "the output changed"
	run_showcase 0 build -C site --allow-empty
	expect_file site/output/index.html
}
test_case "an empty site never replaces a real one without --allow-empty" t_out_empty_site

t_out_report_file() {
	make_site site
	echo "my own notes" > notes.pdf
	run_showcase 2 report 2024 -C site --out notes.pdf
	expect_contains err.txt "refusing to replace 'notes.pdf': showcase did not write it"
	expect_same_text notes.pdf <(echo "my own notes")
	run_showcase 0 report 2024 -C site --out book.pdf
	run_showcase 0 report 2024 -C site --out book.pdf
	run_showcase 0 report 2024 -C site --out book.html --format html
	run_showcase 0 report 2024 -C site --out book.html --format html
	# The default output folder that report makes is showcase's.
	run_showcase 0 report 2024 -C site
	expect_file site/output/.showcase-output
	run_showcase 0 build -C site
	run_showcase 2 report 4294969320 -C site
	expect_contains err.txt "'4294969320' is not a year from 1900 to 9999"
}
test_case "report --out never replaces a file showcase did not write" t_out_report_file

t_out_links_inside() {
	make_site site
	run_showcase 0 build -C site
	mkdir keep && echo precious > keep/file
	ln -s "$PWD/keep" site/output/dirlink
	ln -s "$PWD/keep/file" site/output/filelink
	ln -s "$PWD/keep" site/output/cases/nested-link
	run_showcase 0 build -C site
	expect_same_text keep/file <(echo precious)
	expect_no_file site/output/dirlink
	expect_no_file site/output/filelink
	# An output that is itself a link: the folder it points at is replaced.
	mkdir real && ln -s real outlink
	run_showcase 0 build -C site --out outlink
	[ -L outlink ] || fail "the link was replaced"
	expect_file real/index.html
}
test_case "removing the old output removes links inside it, never what they point at" t_out_links_inside
