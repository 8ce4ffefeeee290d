#!/usr/bin/env bash
# Browser tests of the default theme: build the sample site committed in
# this repository with $SHOWCASE, then check its pages in headless Debian
# Chromium (driven by playwright-core, accessibility by axe-core) and fetch
# every link; see run.mjs for the checks. serve_reload.mjs then checks that
# an open page reloads by itself under `showcase serve` after a commit.
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
command -v node >/dev/null || die "node is missing (Node.js 20 with npm is needed)"

"$TOP/scripts/npm-ci.sh" "$HERE" || die "could not install the npm packages"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/showcase-browser.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$SHOWCASE" build -C "$TOP" --out "$tmp/site" --quiet "${build_args[@]}" ||
	die "showcase build of the sample site failed"

start=$(date +%s)
status=0
node "$HERE/run.mjs" "$tmp/site" || status=$?
# Live reload under `showcase serve` (a throwaway repository of its own).
node "$HERE/serve_reload.mjs" "$SHOWCASE" "$TOP/tests/integration/fixtures/minimal" || status=$?
echo "# browser tests took $(($(date +%s) - start)) s" >&2
exit "$status"
