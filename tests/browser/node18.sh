#!/usr/bin/env bash
# The browser tests on Debian 12's own Node.js, 18.
#
#   SHOWCASE=build/showcase tests/browser/node18.sh [SITE]
#
# SITE is a site built already (run.sh passes its own); without it, the
# sample site is built first.
#
# Debian 12 ships Node.js 18, and the browser tests must run with it (a
# newer playwright-core would need 20). When the machine's `node` is 18
# already, run.sh has just proved that and this script does nothing.
# Otherwise it unpacks Debian's nodejs 18 packages (apt-get download, never
# installed: the machine's own Node.js stays as it is) into build/node18/
# and runs run.mjs with that node over the sample site.
#
# Debian's node loads a few built-in modules from /usr/share/nodejs, a path
# compiled into it. They are laid over /usr/share with a read-only overlay
# in a private mount namespace (unshare -m), so that folder never appears
# on the machine itself. That needs root; anything missing is a failure,
# never a skip.
set -euo pipefail

: "${SHOWCASE:?set SHOWCASE to the binary under test}"
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
CACHE="$TOP/build/node18"

die() {
	echo "browser tests on Node.js 18: $*" >&2
	echo "# 0 passed, 1 failed"
	exit 1
}

if [ "$(node -p 'process.versions.node.split(".")[0]')" = 18 ]; then
	echo "# node is 18 already: run.sh covered it" >&2
	exit 0
fi
[ "$(id -u)" -eq 0 ] || die "needs root (a private mount namespace for /usr/share/nodejs)"
command -v unshare >/dev/null || die "unshare is missing"

# The newest 18.x that Debian's sources hold, and the packages whose files
# node 18 reads at start-up.
packages="nodejs libnode108 node-acorn node-cjs-module-lexer node-undici node-busboy"
version=$(apt-cache madison nodejs | awk -F' *[|] *' '$2 ~ /^18\./ {print $2; exit}')
[ -n "$version" ] || die "no nodejs 18 in the package sources (apt-get update?)"
if [ ! -f "$CACHE/$version.ok" ]; then
	rm -rf "$CACHE" && mkdir -p "$CACHE/debs"
	(cd "$CACHE/debs" && apt-get download -q -o APT::Sandbox::User=root \
		"nodejs=$version" "libnode108=$version" node-acorn node-cjs-module-lexer \
		node-undici node-busboy >&2) ||
		die "apt-get download $packages failed"
	for deb in "$CACHE"/debs/*.deb; do dpkg-deb -x "$deb" "$CACHE/root"; done
	touch "$CACHE/$version.ok"
fi

site=${1:-}
if [ -z "$site" ]; then
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/showcase-node18.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	site="$tmp/site"
	"$SHOWCASE" build -C "$TOP" --out "$site" --quiet ||
		die "showcase build of the sample site failed"
fi

# run.sh has installed node_modules from the lock file already.
unshare -m --propagation private env CACHE="$CACHE" HERE="$HERE" SITE="$site" sh -c '
	mount -t overlay overlay -o "lowerdir=$CACHE/root/usr/share:/usr/share" /usr/share || exit 1
	export LD_LIBRARY_PATH="$CACHE/root/usr/lib/x86_64-linux-gnu"
	v=$("$CACHE/root/usr/bin/node" -p process.version) || exit 1
	echo "# browser tests on Debian node $v" >&2
	exec "$CACHE/root/usr/bin/node" "$HERE/run.mjs" "$SITE"
' || exit 1
