#!/bin/sh
# Time of the history pass (published and updated dates, contributors) on a
# generated corpus of N records to which COMMITS commits are added, and of a
# whole build of it for scale.
# usage: bench/history_bench.sh [N] [COMMITS]   (default 10000 200)
# The repository is kept in $BENCH_DIR (default /tmp/showcase-bench).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${SHOWCASE:-$top/build/showcase}
bench=${HISTORY_BENCH:-$top/build/bench/history_bench}
n=${1:-10000}
commits=${2:-200}
work=${BENCH_DIR:-/tmp/showcase-bench}
repo=$work/history-$n-$commits
mkdir -p "$work"
if [ ! -d "$repo/.git" ]; then
	rm -rf "$repo"
	echo "making $repo (a few minutes the first time)"
	python3 "$top/bench/gen_corpus.py" "$n" "$repo"
	python3 "$top/bench/gen_history.py" "$repo" "$commits"
fi
"$bench" "$repo"
out=${BENCH_OUT:-$work}/history-out
rm -rf "$out"
/usr/bin/time -f "%e s %M KB" "$bin" build -C "$repo" -q --out "$out" 2>"$work/history-time.txt"
echo "whole build: $(tail -1 "$work/history-time.txt") (wall, peak RSS)"
