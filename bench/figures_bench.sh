#!/bin/sh
# What the figures and the pages built on them add to a build: `showcase
# build` of a generated corpus (default 10,000 records) with the default
# theme, and with the same theme stripped of figures.yaml (nothing declared
# or counted; no year, statistics or figure pages) and of its taxonomy
# marks (no taxonomy pages). Best of RUNS (default 3) wall times each, and
# how many pages each build writes.
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
sed -i -e 's/, taxonomy: true }/ }/' -e '/^ *taxonomy: true$/d' "$bare/schema.yaml"
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
pages() { find "$out" -name '*.html' | wc -l; }
without=$(best --theme "$bare")
pages_without=$(pages)
with=$(best --theme "$top/themes/default")
pages_with=$(pages)
values=$(grep -c '"id"' "$out/stats/figures.json")
taxonomy=$(find "$out" -path '*/by-*' -name index.html | wc -l)
figure_pages=$(find "$out/stats" "$out/years" -name index.html | wc -l)
echo "records=$n figures=$values pages_without=$pages_without pages_with=$pages_with (taxonomy $taxonomy, year/stats/figure $figure_pages)"
echo "with=${with}s without=${without}s added=$(echo "scale=1; ($with - $without) * 100 / $without" | bc)%"
