#!/usr/bin/env bash
# Browser tests of the default theme: build the sample site committed in
# this repository with $SHOWCASE, then check its pages in headless Debian
# Chromium (driven by playwright-core, accessibility by axe-core) and fetch
# every link; see run.mjs for the checks. serve_reload.mjs then checks that
# an open page reloads by itself under `showcase serve` after a commit, and
# node18.sh runs run.mjs again on Debian 12's Node.js 18.
#
#   SHOWCASE=build/showcase tests/browser/run.sh [--worktree]
#
# --worktree builds the files on disk instead of HEAD, to try uncommitted
# theme changes. SHOWCASE_SHOTS=DIR also saves screenshots into DIR.
# Installs what it needs: the chromium package (scripts/install-deps.sh)
# and the npm packages of package-lock.json (npm ci, when node_modules is
# missing or was installed from another lock file). Any failure there is a
# test failure, never a skip.
set -euo pipefail

: "${SHOWCASE:?set SHOWCASE to the binary under test}"
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)

build_args=()
case "${1:-}" in
--worktree) build_args+=(--worktree) ;;
"") ;;
*) echo "usage: $0 [--worktree]" >&2; exit 2 ;;
esac

die() {
	echo "browser tests: $*" >&2
	echo "# 0 passed, 1 failed"
	exit 1
}

"$TOP/scripts/install-deps.sh" chromium || die "could not install the chromium package"
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is missing"
# Node.js 18 (Debian 12's nodejs) or newer, and npm: scripts/npm-ci.sh
# installs Debian's when they are missing.
"$TOP/scripts/npm-ci.sh" "$HERE" || die "could not install the npm packages"
node_major=$(node -p 'process.versions.node.split(".")[0]') || die "node does not run"
[ "$node_major" -ge 18 ] || die "Node.js $node_major is too old (18 or newer is needed)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/showcase-browser.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$SHOWCASE" build -C "$TOP" --out "$tmp/site" --quiet "${build_args[@]}" ||
	die "showcase build of the sample site failed"

start=$(date +%s)
status=0
node "$HERE/run.mjs" "$tmp/site" || status=$?
# Live reload under `showcase serve` (a throwaway repository of its own).
node "$HERE/serve_reload.mjs" "$SHOWCASE" "$TOP/tests/integration/fixtures/minimal" || status=$?
# The same checks on Debian 12's Node.js 18, when the machine's is newer.
"$HERE/node18.sh" "$tmp/site" || status=$?
echo "# browser tests took $(($(date +%s) - start)) s" >&2
exit "$status"
