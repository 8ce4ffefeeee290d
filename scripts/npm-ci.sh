#!/bin/sh
# Install the npm packages of DIR's package-lock.json into DIR/node_modules
# with `npm ci`, unless they were installed from this very lock file
# already (a stamp holds its checksum). Extra arguments go to npm ci.
#
#   scripts/npm-ci.sh DIR [NPM-CI-ARGS...]
#
# Installs Debian's nodejs and npm first when they are missing. Used by the
# test stages that need npm packages (tests/browser, tests/html). Exits
# non-zero, saying why, when npm is missing or fails.
set -eu

dir=$1
shift
top=$(cd "$(dirname "$0")/.." && pwd)
# A machine without Node.js gets Debian's nodejs and npm; one that has
# another build (NodeSource's, say) keeps it, since Debian's npm would
# conflict with the npm such builds bundle.
if ! command -v node >/dev/null 2>&1; then
	"$top/scripts/install-deps.sh" nodejs npm
elif ! command -v npm >/dev/null 2>&1; then
	"$top/scripts/install-deps.sh" npm
fi
command -v npm >/dev/null 2>&1 || {
	echo "npm-ci: npm is missing (Node.js with npm is needed)" >&2
	exit 1
}
lock_sum=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
stamp="$dir/node_modules/.showcase-lock-sha256"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_sum" ]; then
	exit 0
fi
echo "npm-ci: npm ci in $dir" >&2
(cd "$dir" && npm ci --no-audit --no-fund "$@" >&2) || {
	echo "npm-ci: npm ci failed in $dir (is the npm registry reachable?)" >&2
	exit 1
}
echo "$lock_sum" >"$stamp"
