#!/bin/sh
# The time `showcase serve` takes to show one changed record on a generated
# corpus of N records (default 10,000): the first build, then, ROUNDS times
# (default 3), one record's title changed and committed, timed twice: the
# rebuild as serve reports it ("built in N ms") and from the commit to the
# page answering with the new title (what a writer waits for). Then the same
# with --worktree and a saved file, no commit.
# usage: bench/serve_bench.sh [N] [ROUNDS]
# The corpus is cloned into $BENCH_DIR (default /tmp/showcase-bench).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${SHOWCASE:-$top/build/showcase}
n=${1:-10000}
rounds=${2:-3}
work=${BENCH_DIR:-/tmp/showcase-bench}
corpus=$work/corpus-$n
repo=$work/serve-$n
mkdir -p "$work"
[ -d "$corpus/.git" ] || python3 "$top/bench/gen_corpus.py" "$n" "$corpus"
rm -rf "$repo"
git clone -q "$corpus" "$repo"
git -C "$repo" config user.name bench
git -C "$repo" config user.email bench@example.org
rec=$(cd "$repo" && ls content/cases/*.md | head -1)
slug=$(basename "$rec" .md)

ms() { date +%s%3N; }

# bench MODE: serve the copy, change the record `rounds` times.
bench() {
	mode=$1
	log=$work/serve-$n$mode.err
	"$bin" serve -C "$repo" --port 0 $mode >"$work/serve.out" 2>"$log" &
	pid=$!
	trap 'kill $pid 2>/dev/null' EXIT
	t0=$(ms)
	until grep -q "built in\|build failed" "$log"; do sleep 0.05; done
	echo "records=$n serve${mode:+ $mode}: first build $(grep -o '[0-9]* ms' "$log" | head -1) ($(( $(ms) - t0 )) ms to the first page)"
	port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/serve.out")
	url=http://127.0.0.1:$port/cases/$slug/
	for i in $(seq "$rounds"); do
		builds=$(grep -c "built in" "$log")
		title="基准测试标题$mode$i"
		sed -i "s/^title: .*/title: $title/" "$repo/$rec"
		t0=$(ms)
		[ -n "$mode" ] || git -C "$repo" commit -qam "bench $i"
		until curl -s "$url" | grep -q "$title"; do sleep 0.02; done
		t1=$(ms)
		until [ "$(grep -c "built in" "$log")" -gt "$builds" ]; do sleep 0.02; done
		echo "records=$n serve${mode:+ $mode}: one record changed: rebuild $(grep -o '[0-9]* ms' "$log" | tail -1), page updated after $((t1 - t0)) ms"
	done
	kill $pid
	wait $pid 2>/dev/null || true
	trap - EXIT
}
bench ""
bench --worktree
