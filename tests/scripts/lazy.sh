#!/bin/sh
# lazy.sh SRC BIN — a printk-only submission of each graded lab of labs/
# (tests/data/lazy/<lab>/<module>/: it prints every line the checks look
# for in the kernel's text, and does none of the work) graded with
# `labkit grade` against the build tree BIN, which has those labs built.
# Each must be graded (not "not graded") and score less than the
# exercise's maximum, with the step that caught it named.
set -u
src=$1 bin=$2
labkit=$bin/tools/labkit
tmp=$(mktemp -d /tmp/labkit-lazy.XXXXXX)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
fail() { echo "lazy: FAIL: $*"; exit 1; }

field() {
	python3 -c 'import csv, sys
for row in csv.DictReader(open(sys.argv[1], newline="")):
    if row["student"] == sys.argv[2]: print(row[sys.argv[3]])' "$1" "$2" "$3"
}

for entry in chardev:1 debug:2 deferred:1; do
	lab=${entry%%:*} ex=${entry#*:}
	mkdir -p "$tmp/$lab/class/lazy"
	cp -r "$src/tests/data/lazy/$lab/." "$tmp/$lab/class/lazy/"
	"$labkit" grade --spec "$src/labs/$lab/labs.yaml" --build-dir "$bin" \
		-o "$tmp/$lab/grade" -e "$ex" --class "$tmp/$lab/class" -j 1 \
		> "$tmp/$lab/grade.log" 2>&1
	rc=$?
	csv=$tmp/$lab/grade/summary.csv
	[ $rc -eq 1 ] || { cat "$tmp/$lab/grade.log"; fail "$lab: labkit grade exited $rc, expected 1"; }
	[ "$(field "$csv" lazy grading)" = graded ] || fail "$lab: the lazy module was not graded"
	score=$(field "$csv" lazy score) max=$(field "$csv" lazy max)
	[ "$score" -lt "$max" ] || fail "$lab: a printk-only module scored $score/$max"
	echo "lazy: ok: $lab $ex: a printk-only module scores $score/$max: $(field "$csv" lazy reason)"
done
