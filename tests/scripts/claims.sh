#!/bin/sh
# claims.sh LABKIT SRC — Lab 2's steps prove what they claim: 2.6, 4.2
# and 5.5 pass on the results of a real run (tests/data/claims/real/) and
# fail on the same run as another environment would have made it (F2FS
# already on; another root device; no hostfs; a /host that is not the
# host), each with the expectation that caught it (README.md there).
set -u
labkit=$1 src=$2
data=$src/tests/data/claims
fail() { echo "claims: FAIL: $*"; exit 1; }

check() {
	"$labkit" check --spec "$src/labs.yaml" --results "$1" --step "$2" 2>&1
}

for s in 2.6 4.2 5.5; do
	out=$(check "$data/real/${s%%.*}/results.yaml" "$s") ||
		{ echo "$out"; fail "step $s fails on the real run"; }
done
echo "claims: ok: 2.6, 4.2 and 5.5 pass on the real run"

# refuted CASE STEP PATTERN: the step fails on CASE, for PATTERN.
refuted() {
	out=$(check "$data/$1/${2%%.*}/results.yaml" "$2")
	rc=$?
	[ $rc -eq 1 ] || { echo "$out"; fail "step $2 on $1: exit status $rc, expected 1"; }
	echo "$out" | grep -Eq -- "$3" || { echo "$out"; fail "step $2 on $1: no '$3'"; }
	echo "claims: ok: $2 fails when $(echo "$1" | tr - ' '): $(echo "$out" | grep -Eo -- "$3" | head -n 1)"
}
refuted f2fs-already-on 2.6 "pattern '\^\(\?<before># CONFIG_F2FS_FS is not set"
refuted other-root 4.2 "pattern '\^DEVNAME=\(\?<name>sda\)\\$' not found"
refuted no-hostfs 5.5 'exit status 255, expected 0'
refuted guest-root 5.5 "pattern '\^\(\?<token>host token [0-9]+\)\\$' not found"
