# Differential test of incremental builds: random commits of the kinds
# staff make (mutate_site.py), each built over the previous output and
# afresh. Whatever an incremental build carries over, it must come out as
# the fresh build's bytes and say the same things with the same exit code:
# a key that leaves out something a page or booklet shows fails here,
# whichever page and field it is.
#
# SHOWCASE_DIFF_SEED and SHOWCASE_DIFF_STEPS choose another run or a longer
# one (a soak: SHOWCASE_DIFF_STEPS=500); a failure names the seed and step
# that replay it.

# differential_step N: commit step N's changes on day N of the run, build
# over ./inc and into a fresh ./fresh, compare.
differential_step() {
	local n=$1 what day code_inc=0 code_fresh=0 who
	what=$(python3 "$HERE/mutate_site.py" step site state.json "$DIFF_SEED" "$n") ||
		fail "mutate_site.py failed at step $n"
	# Some steps share a day with the one before (dates on pages are days).
	day=$(date -u -d "2025-01-01 + $((n - n / 3)) days" +%F)
	who=$([ $((n % 4)) = 0 ] && echo "李老师" || echo "王老师")
	git -C site add -A
	GIT_AUTHOR_DATE="${day}T10:00:00+08:00" GIT_COMMITTER_DATE="${day}T10:00:00+08:00" \
		git -C site -c user.name="$who" -c user.email="$n@example.org" \
		commit -q --allow-empty -m "step $n: $what"
	SHOWCASE_DEBUG_STATS=1 "$SHOWCASE" build -C site --out "$PWD/inc" \
		>/dev/null 2>inc-err.txt || code_inc=$?
	rm -rf fresh
	"$SHOWCASE" build -C site --out "$PWD/fresh" >/dev/null 2>fresh-err.txt || code_fresh=$?
	local replay="seed $DIFF_SEED, step $n ($what)"
	[ "$code_inc" = "$code_fresh" ] ||
		fail "$replay: exit $code_inc over the previous output, $code_fresh fresh"
	case $code_inc in 0|1) ;; *) cat fresh-err.txt >&2; fail "$replay: exit $code_inc" ;; esac
	grep -v -E '^showcase: (stage |record bodies |record pages rendered |booklets typeset |body cache not used)' \
		inc-err.txt | sed "s#$PWD/inc#OUT#g" > inc-said.txt
	sed "s#$PWD/fresh#OUT#g" fresh-err.txt > fresh-said.txt
	diff fresh-said.txt inc-said.txt >&2 ||
		fail "$replay: an incremental build said something else than a fresh one"
	if [ "$code_inc" = 0 ]; then
		diff -r -x .showcase-manifest inc fresh >&2 ||
			fail "$replay: the incremental output differs from a fresh build's"
		DIFF_BUILT=$((DIFF_BUILT + 1))
	else
		DIFF_FAILED=$((DIFF_FAILED + 1))
	fi
	local reused carried
	reused=$(sed -n 's/.*rendered [0-9]*, reused \([0-9]*\);.*/\1/p' inc-err.txt | head -1)
	carried=$(sed -n 's/^showcase: booklets typeset [0-9]*, carried over \([0-9]*\).*/\1/p' inc-err.txt)
	DIFF_REUSED=$((DIFF_REUSED + ${reused:-0}))
	DIFF_CARRIED=$((DIFF_CARRIED + ${carried:-0}))
}

t_differential_random_commits() {
	DIFF_SEED=${SHOWCASE_DIFF_SEED:-1}
	# Under the sanitizers (SHOWCASE_TIME_FACTOR 5) a shorter run.
	local steps=${SHOWCASE_DIFF_STEPS:-$((40 / TIME_FACTOR))}
	DIFF_BUILT=0 DIFF_FAILED=0 DIFF_REUSED=0 DIFF_CARRIED=0
	mkdir -p site
	cp -R "$FIXTURES/minimal/." site/
	python3 "$HERE/mutate_site.py" init site state.json
	git -C site init -q -b main
	git -C site add -A
	GIT_AUTHOR_DATE="2024-12-31T10:00:00+08:00" GIT_COMMITTER_DATE="2024-12-31T10:00:00+08:00" \
		git -C site commit -q -m "initial records"
	run_showcase 0 build -C site --out "$PWD/inc"
	for n in $(seq "$steps"); do
		differential_step "$n"
	done
	# The run must have gone through the incremental paths it tests, and
	# through failed builds.
	[ "$DIFF_BUILT" -gt $((steps / 2)) ] || fail "only $DIFF_BUILT of $steps builds succeeded"
	[ "$DIFF_REUSED" -gt 0 ] || fail "no page was ever carried over by its key"
	[ "$DIFF_CARRIED" -gt 0 ] || fail "no booklet was ever carried over"
	[ "$steps" -lt 30 ] || [ "$DIFF_FAILED" -gt 0 ] || fail "no step made the build fail"
}
test_case "differential: random commits, each built over the previous output, give a fresh build's bytes, words and exit code" t_differential_random_commits
