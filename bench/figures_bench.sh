#!/bin/sh
# What the figures and the pages built on them add to a build: `showcase
# build` of a generated corpus (default 10,000 records) with the default
# theme, and with the same theme stripped of figures.yaml (nothing declared
# or counted: no year, statistics or figure pages, no figures in the
# booklets) and of its taxonomy marks (no taxonomy pages).
#
# Twice: as generated (with booklets), and with the booklets turned off in
# site.yaml (a clone of the corpus), which measures the website's pages
# alone. Best of RUNS (default 3) each, wall and CPU (user + system) time;
# on a loaded machine the CPU time is the steadier number. The output goes
# to BENCH_OUT (default: /dev/shm when it exists), so the disk's cost of
# creating files does not drown the rest.
# usage: bench/figures_bench.sh [N]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${SHOWCASE:-$top/build/showcase}
work=${BENCH_DIR:-/tmp/showcase-bench}
n=${1:-10000}
runs=${RUNS:-3}
repo=$work/corpus-$n
[ -d "$repo/.git" ] || python3 "$top/bench/gen_corpus.py" "$n" "$repo"
pages_only=$work/corpus-$n-nobooklets
if [ ! -d "$pages_only/.git" ]; then
	git clone -q "$repo" "$pages_only"
	printf 'reports:\n  pdf: false\n  html: false\n' >> "$pages_only/site.yaml"
	git -C "$pages_only" -c user.name=bench -c user.email=bench@example.org \
		commit -q -am "bench: no booklets"
fi
bare=$work/theme-nofigures
rm -rf "$bare"
cp -R "$top/themes/default" "$bare"
rm -f "$bare/figures.yaml"
sed -i -e 's/, taxonomy: true }/ }/' -e '/^ *taxonomy: true$/d' "$bare/schema.yaml"
tmp_out=
if [ -z "${BENCH_OUT:-}" ] && [ -d /dev/shm ]; then
	BENCH_OUT=/dev/shm/showcase-bench-$$
	tmp_out=$BENCH_OUT
fi
out=${BENCH_OUT:-$work}/out-figures
# best REPO THEME: "WALL CPU", the least of each over RUNS builds
best() {
	bw= bc=
	for i in $(seq "$runs"); do
		rm -rf "$out"
		/usr/bin/time -f '%e %U %S' -o "$work/time.txt" \
			"$bin" build -C "$1" -q --out "$out" --theme "$2"
		read -r w u s < "$work/time.txt"
		c=$(echo "$u + $s" | bc)
		if [ -z "$bw" ] || [ "$(echo "$w < $bw" | bc)" = 1 ]; then bw=$w; fi
		if [ -z "$bc" ] || [ "$(echo "$c < $bc" | bc)" = 1 ]; then bc=$c; fi
	done
	echo "$bw $bc"
}
pct() { echo "scale=1; ($1 - $2) * 100 / $2" | bc; }
for corpus in "$repo" "$pages_only"; do
	set -- $(best "$corpus" "$bare")
	w0=$1 c0=$2
	p0=$(find "$out" -name '*.html' | wc -l)
	set -- $(best "$corpus" "$top/themes/default")
	w1=$1 c1=$2
	p1=$(find "$out" -name '*.html' | wc -l)
	tax=$(find "$out" -path '*/by-*' -name index.html | wc -l)
	fig=$(find "$out/stats" "$out/years" -name index.html | wc -l)
	values=$(grep -c '"id"' "$out/stats/figures.json")
	echo "$(basename "$corpus"): records=$n figures=$values html: $p0 -> $p1 (taxonomy $tax, year/stats/figure $fig)"
	echo "  wall ${w0}s -> ${w1}s (+$(pct "$w1" "$w0")%)  cpu ${c0}s -> ${c1}s (+$(pct "$c1" "$c0")%)"
done
rm -rf "$out" "$work/time.txt" ${tmp_out:+"$tmp_out"}
