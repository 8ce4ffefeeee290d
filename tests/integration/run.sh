#!/usr/bin/env bash
# Integration tests of `showcase build`: throw-away git repositories built
# by the real binary, checked through the pages and diagnostics a user sees.
set -u
. "$(dirname "$0")/lib.sh"

for t in "$HERE"/t-*.sh; do
	. "$t"
done
finish
