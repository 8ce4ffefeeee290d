#!/bin/sh
# Fresh, no-op and one-changed-record builds of generated corpora, with the
# booklets on and off: wall time, CPU time (user+system) and peak RSS.
# usage: bench/rebuild_bench.sh [N...]   (default: 1000 10000)
# SHOWCASE names the binary; BENCH_DIR the work folder; BENCH_OUT the
# output folders' parent (tmpfs, /dev/shm, measures showcase rather than
# the disk). The corpora are generated once (bench/gen_corpus.py) and left
# as they were: the changed record is a commit that is reset afterwards.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${SHOWCASE:-$top/build/showcase}
work=${BENCH_DIR:-/tmp/showcase-bench}
outs=${BENCH_OUT:-$work}
[ $# -gt 0 ] || set -- 1000 10000
mkdir -p "$work"

# run LABEL REPO OUT: one build, one row.
run() {
	/usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" \
		"$bin" build -C "$2" -q --out "$3"
	awk -v l="$1" '{ printf "%-34s %7.2f s %7.2f s %8.0f MiB\n", l, $1, $2 + $3, $4 / 1024 }' \
		"$work/time.txt"
}

printf "%-34s %9s %9s %12s\n" "build" "wall" "cpu" "peak RSS"
for n in "$@"; do
	repo=$work/corpus-$n
	[ -d "$repo/.git" ] || python3 "$top/bench/gen_corpus.py" "$n" "$repo" >/dev/null
	plain=$work/corpus-$n-nobooklets
	if [ ! -d "$plain/.git" ]; then
		git clone -q "$repo" "$plain"
		printf 'reports:\n  pdf: false\n  html: false\n' >> "$plain/site.yaml"
		git -C "$plain" commit -qam "bench: booklets off"
	fi
	for kind in booklets nobooklets; do
		r=$repo
		[ $kind = booklets ] || r=$plain
		out=$outs/out-$n-$kind
		rm -rf "$out"
		run "$n $kind fresh" "$r" "$out"
		run "$n $kind no-op" "$r" "$out"
		f=$(cd "$r" && ls content/projects/*.md | head -n 1)
		printf '\nOne more line.\n' >> "$r/$f"
		git -C "$r" commit -qam "bench: one record changed"
		run "$n $kind one record changed" "$r" "$out"
		git -C "$r" reset -q --hard HEAD~1
		rm -rf "$out"
	done
done
