#!/bin/sh
# `make bench`: one table of what a build costs on generated corpora.
#
# For each size (records), three builds in this order: fresh (no previous
# output), no-op (the same commit again over that output) and one changed
# record (a new commit that adds a line to one case's body, built over the
# previous output), each by
#   - showcase with the booklets (as the corpus is generated),
#   - showcase with the booklets off (site.yaml `reports: {pdf: false,
#     html: false}`, committed in a clone of the corpus),
#   - Hugo, when `hugo` is installed, on the Hugo site in bench/hugo/ that
#     renders the same records (bench/hugo/convert.py lays them out).
# The three alternate at every step, so a change in the machine's load
# falls on all of them. Wall time and peak RSS come from /usr/bin/time; the
# fresh rows also give the output's files and size. Everything measured
# goes to $BENCH_DIR/bench.tsv as well.
#
# Environment:
#   BENCH_SIZES    sizes, commas or spaces (default 1000,10000,50000)
#   BENCH_OUT      parent folder of the outputs (default BENCH_DIR); put it
#                  on tmpfs (/dev/shm) to leave the disk's speed out
#   BENCH_DIR      work folder: corpora, clones, Hugo sites
#                  (default /tmp/showcase-bench)
#   BENCH_HISTORY  commits of history added to each corpus by
#                  bench/gen_history.py (default 20: dates and contributors
#                  come from history)
#   BENCH_TSV      where the measurements go (default BENCH_DIR/bench.tsv);
#                  `bench/bench.sh --table FILE...` prints the table of
#                  such files again, e.g. of runs made one size at a time
#   RUNS           times each build is measured (default 1); the table
#                  shows the fastest run and that run's memory
#   SHOWCASE, HUGO the binaries (default build/showcase, hugo on PATH;
#                  HUGO=none leaves Hugo out)
# The corpora are generated once per size and history and kept; builds run
# on fresh clones of them, so a corpus is never changed.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${SHOWCASE:-$top/build/showcase}
work=${BENCH_DIR:-/tmp/showcase-bench}
outs=${BENCH_OUT:-$work}
sizes=$(echo "${BENCH_SIZES:-1000,10000,50000}" | tr ',' ' ')
history=${BENCH_HISTORY:-20}
runs=${RUNS:-1}
hugo=${HUGO:-$(command -v hugo || true)}
[ "$hugo" != none ] || hugo=
mkdir -p "$work" "$outs"
tsv=${BENCH_TSV:-$work/bench.tsv}
# `bench.sh --table FILE...` prints the table of earlier runs' files.
if [ "${1:-}" = --table ]; then
	shift
	table_only=1
	cat "$@" >"$tsv.all"
	tsv=$tsv.all
	sizes=
else
	table_only=
	: >"$tsv"
fi

# A commit with fixed names and dates, so runs are repeatable.
commit() {
	GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.org \
	GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.org \
	GIT_AUTHOR_DATE="2025-06-01T10:00:00+08:00" \
	GIT_COMMITTER_DATE="2025-06-01T10:00:00+08:00" \
		git -C "$1" commit -qam "$2"
}

# change ENGINE BOOKLETS: one more line in the body of the same case, in
# a new commit (showcase), or in the laid-out record (Hugo reads no git).
change() {
	line='\n一条修改：补充了一句话。\n'
	case $1 in
	hugo)
		printf "$line" >>"$site/content/cases/c1.md"
		return ;;
	esac
	r=$on
	[ "$2" = on ] || r=$off
	printf "$line" >>"$r/content/cases/c1.md"
	commit "$r" "bench: one record changed"
}

# measure N ENGINE BOOKLETS BUILD OUT CMD...: RUNS timed runs of CMD, one
# line to the table's file. BUILD=fresh removes OUT (and Hugo's cache)
# before each run; BUILD=changed changes the record before each run.
measure() {
	n=$1 engine=$2 booklets=$3 build=$4 out=$5
	shift 5
	best=
	for _ in $(seq "$runs"); do
		[ "$build" != fresh ] || rm -rf "$out" "$out.cache"
		[ "$build" != changed ] || change "$engine" "$booklets"
		if ! /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" >"$work/run.log" 2>&1; then
			echo "bench: $engine failed ($n $booklets $build):" >&2
			cat "$work/run.log" >&2
			exit 1
		fi
		read -r wall kb <"$work/time.txt"
		if [ -z "$best" ] || [ "$(echo "$wall < $best" | bc)" = 1 ]; then
			best=$wall rss=$kb
		fi
	done
	files=- size=-
	if [ "$build" = fresh ]; then
		files=$(find "$out" -type f | wc -l)
		size=$(du -sk "$out" | awk '{ printf "%.0f", $1 / 1024 }')
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%.0f\t%s\t%s\n' "$n" "$engine" "$booklets" "$build" \
		"$best" "$(echo "$rss / 1024" | bc -l)" "$files" "$size" >>"$tsv"
	printf '  %-6s %-8s %-3s %-8s %7.2f s %6.0f MiB\n' "$n" "$engine" "$booklets" \
		"$build" "$best" "$(echo "$rss / 1024" | bc -l)" >&2
}

for n in $sizes; do
	corpus=$work/corpus-$n-h$history
	if [ ! -d "$corpus/.git" ]; then
		echo "bench: generating $corpus (once)" >&2
		rm -rf "$corpus" "$corpus.tmp"
		# No `gc --auto` in the background, from the first commit on:
		# it would prune loose objects while a clone copies them, and
		# hold the lock the `gc` below needs. Into a scratch folder,
		# so that an interrupted run does not leave half a corpus.
		GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=gc.auto GIT_CONFIG_VALUE_0=0 \
			python3 "$top/bench/gen_corpus.py" "$n" "$corpus.tmp" >/dev/null
		git -C "$corpus.tmp" config gc.auto 0
		[ "$history" -eq 0 ] ||
			GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=gc.auto GIT_CONFIG_VALUE_0=0 \
			python3 "$top/bench/gen_history.py" "$corpus.tmp" "$history"
		# One pack: a local clone then links one file instead of
		# copying tens of thousands of loose objects.
		git -C "$corpus.tmp" gc -q
		mv "$corpus.tmp" "$corpus"
	fi
	on=$work/clone-$n-on off=$work/clone-$n-off site=$work/hugo-$n
	rm -rf "$on" "$off" "$site"
	git clone -q "$corpus" "$on"
	git clone -q "$corpus" "$off"
	printf 'reports:\n  pdf: false\n  html: false\n' >>"$off/site.yaml"
	commit "$off" "bench: booklets off"
	if [ -n "$hugo" ]; then
		cp -R "$top/bench/hugo" "$site"
		mkdir -p "$site/static"
		cp "$top/themes/default/static/style.css" "$site/static/"
		python3 "$top/bench/hugo/convert.py" "$on" "$site"
	fi
	# The clones and the Hugo site were just written: flush them first,
	# so that the fresh builds do not race the disk's write-back.
	sync
	out_on=$outs/showcase-bench-$n-on out_off=$outs/showcase-bench-$n-off
	out_hugo=$outs/showcase-bench-$n-hugo
	for build in fresh no-op changed; do
		measure "$n" showcase on $build "$out_on" "$bin" build -C "$on" -q --out "$out_on"
		measure "$n" showcase off $build "$out_off" "$bin" build -C "$off" -q --out "$out_off"
		[ -z "$hugo" ] || measure "$n" hugo - $build "$out_hugo" \
			"$hugo" --quiet -s "$site" -d "$out_hugo" --cacheDir "$out_hugo.cache"
	done
	rm -rf "$out_on" "$out_off" "$out_hugo" "$out_hugo.cache"
done

# The table: one row per size and build, the engines side by side, and
# showcase's time and memory as a fraction of Hugo's.
awk -F '\t' -v runs="$runs" '
{
	k = $1 SUBSEP $4
	if (!(k in seen)) { seen[k] = 1; order[++nk] = k }
	e = $2 "-" $3
	wall[k, e] = $5; rss[k, e] = $6
	if ($7 != "-") { files[k, e] = $7; size[k, e] = $8 }
	if ($2 == "hugo") hashugo = 1
}
function cell(k, e) { return (k, e) in wall ? sprintf("%7.2f s %5d MiB", wall[k, e], rss[k, e]) : sprintf("%17s", "-") }
function ratio(k, e) {
	if (!((k, e) in wall) || !((k, "hugo--") in wall) || wall[k, "hugo--"] == 0) return sprintf("%11s", "")
	return sprintf("%5.2f %5.2f", wall[k, e] / wall[k, "hugo--"], rss[k, e] / rss[k, "hugo--"])
}
END {
	printf "%7s %-8s | %-17s | %-17s |", "records", "build", "showcase+booklets", "showcase, none"
	if (hashugo) printf " %-17s | %-11s | %-11s |", "Hugo 0.111", "+bk / Hugo", "none / Hugo"
	printf " output files, MiB (showcase+bk / none%s)\n", hashugo ? " / Hugo" : ""
	for (i = 1; i <= nk; i++) {
		k = order[i]; split(k, p, SUBSEP)
		printf "%7d %-8s | %s | %s |", p[1], p[2], cell(k, "showcase-on"), cell(k, "showcase-off")
		if (hashugo) printf " %s | %s | %s |", cell(k, "hugo--"), ratio(k, "showcase-on"), ratio(k, "showcase-off")
		if ((k, "showcase-on") in files) {
			printf " %d, %d / %d, %d", files[k, "showcase-on"], size[k, "showcase-on"], files[k, "showcase-off"], size[k, "showcase-off"]
			if (hashugo) printf " / %d, %d", files[k, "hugo--"], size[k, "hugo--"]
		}
		printf "\n"
	}
	printf "wall time and peak RSS, best of %d run(s); ratios are time, memory\n", runs
}' "$tsv"
