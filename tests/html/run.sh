#!/usr/bin/env bash
# The Nu HTML Checker (vnu.jar of the npm package vnu-jar, run with the
# system's Java) on the HTML that showcase writes:
#   - every page of the sample site committed in this repository, the print
#     HTML of its booklets included (reports/YEAR/YEAR.html);
#   - the print HTML of the booklets of a generated corpus
#     (bench/gen_corpus.py; many records printed in full in one page, each
#     with the same headings and its own footnotes).
# One JVM checks all files at once (check.mjs). Any error fails; warnings
# are counted, not failed (SHOWCASE_VNU_WARNINGS=1 lists them).
#
#   SHOWCASE=build/showcase tests/html/run.sh
#
# Installs what it needs: Java (default-jre-headless, when `java` is
# missing), Node.js and npm (Debian's, when missing) and the npm packages
# of package-lock.json. Any failure there is a
# test failure, never a skip.
set -euo pipefail

: "${SHOWCASE:?set SHOWCASE to the binary under test}"
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
CORPUS_RECORDS=${SHOWCASE_VNU_CORPUS:-300}

die() {
	echo "html check: $*" >&2
	echo "# 0 passed, 1 failed"
	exit 1
}

if ! command -v java >/dev/null; then
	"$TOP/scripts/install-deps.sh" default-jre-headless ||
		die "could not install Java (default-jre-headless)"
fi
# Node.js and npm too, when missing. --ignore-scripts: vnu-jar's install
# script would fetch a Java of its own.
"$TOP/scripts/npm-ci.sh" "$HERE" --ignore-scripts ||
	die "could not install the npm packages"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/showcase-html.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s)
"$SHOWCASE" build -C "$TOP" --out "$tmp/site" --quiet ||
	die "showcase build of the sample site failed"
python3 "$TOP/bench/gen_corpus.py" "$CORPUS_RECORDS" "$tmp/corpus" ||
	die "bench/gen_corpus.py failed"
"$SHOWCASE" build -C "$tmp/corpus" --out "$tmp/corpus-site" --quiet ||
	die "showcase build of the generated corpus failed"

{
	find "$tmp/site" -name '*.html'
	find "$tmp/corpus-site/reports" -path '*/reports/*/*.html' ! -name index.html
} | LC_ALL=C sort >"$tmp/files"
status=0
node "$HERE/check.mjs" "$tmp" <"$tmp/files" || status=$?
echo "# html check took $(($(date +%s) - start)) s" >&2
exit "$status"
