#!/bin/sh
# Typeset a booklet of about 300 pages from a generated corpus read from
# git, and print seconds, pages per second and peak memory.
# usage: bench/report_bench.sh [RECORDS] (default 3000, every 2nd case featured)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${SHOWCASE:-$top/build/showcase}
n=${1:-3000}
work=${BENCH_DIR:-/tmp/showcase-bench}
repo=$work/report-corpus-$n
mkdir -p "$work"
[ -d "$repo/.git" ] || FEATURED_EVERY=2 python3 "$top/bench/gen_corpus.py" "$n" "$repo"
pdf=$work/booklet-$n.pdf
"$bin" report 2024 -C "$repo" --out "$pdf" -q   # warm caches
/usr/bin/time -f "%e %M" "$bin" report 2024 -C "$repo" --out "$pdf" -q 2>"$work/report-time.txt"
read -r secs kb < "$work/report-time.txt"
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
awk -v p="$pages" -v s="$secs" -v kb="$kb" 'BEGIN {
	printf "booklet: %d pages in %.2f s, %.0f pages/s, peak RSS %.0f MB\n", p, s, p / s, kb / 1024 }'
