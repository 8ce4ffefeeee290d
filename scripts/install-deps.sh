#!/bin/sh
# Install the Debian 12 packages that showcase needs to build and test.
# Idempotent: installs only what is missing, and does nothing (quickly) when
# everything is present. Called by `make site` and `make test`.
set -eu

packages="build-essential pkg-config git libgit2-dev libyaml-dev \
libcmark-gfm-dev libcmark-gfm-extensions-dev libcmocka-dev \
libpango1.0-dev libcairo2-dev librsvg2-dev libwebp-dev libqpdf-dev qpdf \
fonts-noto-cjk poppler-utils libmicrohttpd-dev libicu-dev libvips-dev \
libvips-tools strace"

# Extra packages for optional test stages can be passed as arguments.
packages="$packages $*"

missing=""
for p in $packages; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done

[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "install-deps: missing packages:$missing (run as root or install sudo)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# A stale package index makes installs fail with 404s; refresh it first.
$SUDO apt-get update -qq >&2 || true
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >&2
