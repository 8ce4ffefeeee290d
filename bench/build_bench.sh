#!/bin/sh
# Time and peak memory of `showcase build` on generated corpora of 1,000 and
# 10,000 records (read from git). usage: bench/build_bench.sh [N...]
# BENCH_OUT names the output folder's parent: put it on tmpfs (/dev/shm) to
# measure showcase rather than the disk's file-creation speed.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${SHOWCASE:-$top/build/showcase}
work=${BENCH_DIR:-/tmp/showcase-bench}
[ $# -gt 0 ] || set -- 1000 10000
for n in "$@"; do
	repo=$work/corpus-$n
	[ -d "$repo/.git" ] || python3 "$top/bench/gen_corpus.py" "$n" "$repo"
	out=${BENCH_OUT:-$work}/out-$n
	rm -rf "$out"
	"$bin" build -C "$repo" -q --out "$out"   # warm the page cache
	rm -rf "$out"
	/usr/bin/time -f "%e s %M KB" "$bin" build -C "$repo" -q --out "$out" 2>"$work/time-$n.txt"
	pages=$(find "$out" -name '*.html' | wc -l)
	echo "records=$n pages=$pages $(cat "$work/time-$n.txt" | tail -1) (wall, peak RSS)"
done
