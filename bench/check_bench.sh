#!/bin/sh
# Time and peak memory of `showcase check` (HEAD, --staged, --worktree) on
# generated corpora, by default of 10,000 records: a pre-commit hook must
# answer in under a second. usage: bench/check_bench.sh [N...]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${SHOWCASE:-$top/build/showcase}
work=${BENCH_DIR:-/tmp/showcase-bench}
[ $# -gt 0 ] || set -- 10000
for n in "$@"; do
	repo=$work/corpus-$n
	[ -d "$repo/.git" ] || python3 "$top/bench/gen_corpus.py" "$n" "$repo"
	"$bin" check -C "$repo" -q   # warm the page cache
	for mode in "" --staged --worktree; do
		/usr/bin/time -f "%e s %M KB" "$bin" check -C "$repo" -q $mode \
			2>"$work/check-time-$n.txt"
		echo "records=$n check ${mode:-HEAD}: $(tail -1 "$work/check-time-$n.txt") (wall, peak RSS)"
	done
done
