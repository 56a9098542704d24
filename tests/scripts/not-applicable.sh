#!/bin/sh
# not-applicable.sh TEST REASON... — stands in for a test that does not
# apply to this build tree's configuration: says why, and exits 77, which
# ctest (SKIP_RETURN_CODE 77) shows as Skipped.  The test stays
# registered, so a configuration never makes one disappear silently.
[ $# -ge 2 ] || { echo "usage: not-applicable.sh TEST REASON..." >&2; exit 2; }
test=$1
shift
echo "$test: skipped: $*"
exit 77
