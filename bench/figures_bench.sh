#!/bin/sh
# What the figures add to a build: `showcase build` of a generated corpus
# (default 10,000 records) with the default theme, and with the same theme
# without figures.yaml (nothing declared, nothing counted; stats/figures.json
# empty). Best of RUNS (default 3) wall times each.
# usage: bench/figures_bench.sh [N]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${SHOWCASE:-$top/build/showcase}
work=${BENCH_DIR:-/tmp/showcase-bench}
n=${1:-10000}
runs=${RUNS:-3}
repo=$work/corpus-$n
[ -d "$repo/.git" ] || python3 "$top/bench/gen_corpus.py" "$n" "$repo"
bare=$work/theme-nofigures
rm -rf "$bare"
cp -R "$top/themes/default" "$bare"
rm -f "$bare/figures.yaml"
out=${BENCH_OUT:-$work}/out-figures
best() {
	b=
	for i in $(seq "$runs"); do
		rm -rf "$out"
		s=$(date +%s.%N)
		"$bin" build -C "$repo" -q --out "$out" "$@"
		e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc)
		if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; fi
	done
	echo "$b"
}
with=$(best --theme "$top/themes/default")
without=$(best --theme "$bare")
values=$(grep -c '"id"' "$out/stats/figures.json" || true)
rm -rf "$out"
"$bin" build -C "$repo" -q --out "$out" --theme "$top/themes/default"
values=$(grep -c '"id"' "$out/stats/figures.json")
echo "records=$n figures=$values with=${with}s without=${without}s added=$(echo "scale=1; ($with - $without) * 100 / $without" | bc)%"
