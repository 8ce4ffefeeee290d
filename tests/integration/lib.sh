# Helpers for the integration tests, in the spirit of git's test-lib.sh.
# Each test runs in a fresh folder under $TMP_ROOT; failures are counted and
# reported, and the runner exits non-zero if any test failed.

: "${SHOWCASE:?set SHOWCASE to the binary under test}"
HERE=$(cd "$(dirname "$0")" && pwd)
FIXTURES="$HERE/fixtures"
TMP_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/showcase-it.XXXXXX")
trap 'rm -rf "$TMP_ROOT"' EXIT

# Reproducible git: no user or system config, fixed identities and dates.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="测试员" GIT_AUTHOR_EMAIL="tester@example.org"
export GIT_COMMITTER_NAME="测试员" GIT_COMMITTER_EMAIL="tester@example.org"
export GIT_AUTHOR_DATE="2024-12-20T10:00:00+08:00"
export GIT_COMMITTER_DATE="2024-12-20T10:00:00+08:00"
unset SOURCE_DATE_EPOCH

# Time bounds in the tests are multiplied by this (make sets 5 under the
# sanitizers).
TIME_FACTOR=${SHOWCASE_TIME_FACTOR:-1}

passed=0
failed=0
current=""

# test_case NAME FUNCTION: run FUNCTION in a fresh folder.
test_case() {
	current=$1
	local dir="$TMP_ROOT/t$((passed + failed))"
	mkdir -p "$dir"
	# Not in an `if`: errexit is ignored there, and every step must count.
	(cd "$dir" || exit 1; set -e; "$2") >"$dir.log" 2>&1
	if [ $? -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok - $1"
	else
		failed=$((failed + 1))
		echo "not ok - $1"
		sed 's/^/    /' "$dir.log"
	fi
}

fail() {
	echo "FAIL: $*" >&2
	return 1
}

# make_site NAME: copy the minimal fixture site into ./NAME as a git repo
# with one commit.
make_site() {
	mkdir -p "$1"
	cp -R "$FIXTURES/minimal/." "$1/"
	git -C "$1" init -q -b main
	git -C "$1" add -A
	git -C "$1" commit -q -m "initial records"
}

# set_c1_cover W H NAME: a grey PNG of W x H pixels as the cover of the
# site's case c1 (content/cases/images/NAME), not committed.
set_c1_cover() {
	python3 "$HERE/make_media.py" png "$1" "$2" "site/content/cases/images/$3"
	sed -i "s|^cover: content/cases/images/photo.jpg\$|cover: content/cases/images/$3|" \
		site/content/cases/c1.md
	grep -q "^cover: content/cases/images/$3\$" site/content/cases/c1.md ||
		fail "c1 has no cover line to replace"
}

commit_all() {
	git -C "$1" add -A
	git -C "$1" commit -q -m "${2:-change}"
}

# run_showcase EXPECTED_EXIT ARGS...: run, keep stdout/stderr in ./out.txt
# and ./err.txt, check the exit code.
run_showcase() {
	local want=$1 code=0
	shift
	"$SHOWCASE" "$@" >out.txt 2>err.txt || code=$?
	if [ "$code" != "$want" ]; then
		echo "exit code $code, expected $want; stderr:" >&2
		cat err.txt >&2
		return 1
	fi
}

expect_file() {
	[ -f "$1" ] || fail "missing file $1"
}

expect_no_file() {
	[ ! -e "$1" ] || fail "unexpected file $1"
}

# expect_contains FILE TEXT: FILE contains TEXT literally.
expect_contains() {
	grep -qF -- "$2" "$1" || fail "$1 does not contain: $2"
}

expect_not_contains() {
	! grep -qF -- "$2" "$1" || fail "$1 contains: $2"
}

# expect_same_text ACTUAL EXPECTED: byte-identical, with a diff if not.
expect_same_text() {
	diff -u "$2" "$1" >&2 || fail "$1 differs from $2"
}

# tree_digest DIR: one hash of the files of an output folder, the manifest
# aside (it lists inodes and times: not published content).
tree_digest() {
	(cd "$1" && find . -type f ! -path ./.showcase-manifest -print0 |
		sort -z | xargs -0 sha256sum | sha256sum)
}

finish() {
	echo "# $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
