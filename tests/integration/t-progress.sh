# Integration tests of the progress line (issue 13): shown on a terminal
# (script(1) from util-linux gives the command one), erased before the
# summary, and never shown when stderr is not a terminal or with --quiet.

t_progress_tty() {
	command -v script >/dev/null || { echo "no script(1): skipped"; return 0; }
	make_site s
	SHOWCASE_PROGRESS_DELAY_MS=0 script -qec "'$SHOWCASE' build -C s" /dev/null >tty.txt
	expect_contains tty.txt "records loaded"
	grep -q "pages written" tty.txt || fail "no page count"
	# Erased (\r, erase to end of line) just before the summary line.
	printf '\r\033[Kshowcase: built' >want.bin
	grep -qF "$(cat want.bin)" tty.txt || fail "the line is not erased before the summary"
	grep -q "booklets typeset" tty.txt || fail "no booklet count"
}
test_case "progress: a line on a terminal, erased before the summary" t_progress_tty

t_progress_quiet() {
	command -v script >/dev/null || { echo "no script(1): skipped"; return 0; }
	make_site s
	SHOWCASE_PROGRESS_DELAY_MS=0 script -qec "'$SHOWCASE' build -C s --quiet" /dev/null >tty.txt
	expect_not_contains tty.txt "records loaded"
	# Not a terminal: nothing but the summary.
	SHOWCASE_PROGRESS_DELAY_MS=0 run_showcase 0 build -C s
	expect_not_contains err.txt "records loaded"
	[ "$(wc -l <err.txt)" -eq 1 ] || fail "more than the summary line on stderr"
	if grep -q $'\r' err.txt; then fail "a carriage return without a terminal"; fi
	# A report on a terminal: progress, then the summary on a clean line.
	SHOWCASE_PROGRESS_DELAY_MS=0 script -qec "'$SHOWCASE' report 2024 -C s --format html" /dev/null >tty.txt
	expect_contains tty.txt "records loaded"
	printf '\r\033[Kshowcase: wrote' >want.bin
	grep -qF "$(cat want.bin)" tty.txt || fail "the line is not erased before the report's summary"
}
test_case "progress: nothing with --quiet or without a terminal" t_progress_quiet
