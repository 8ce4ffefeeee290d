#!/usr/bin/env bash
# Integration tests of `showcase build`: throw-away git repositories built
# by the real binary, checked through the pages and diagnostics a user sees.
# With arguments, only those test files run (e.g. run.sh t-output.sh).
set -u
. "$(dirname "$0")/lib.sh"

if [ $# -gt 0 ]; then
	files=("$@")
else
	files=("$HERE"/t-*.sh)
fi
for t in "${files[@]}"; do
	case $t in /*) ;; *) t="$HERE/$(basename "$t")" ;; esac
	. "$t"
done
finish
