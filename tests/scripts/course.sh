#!/bin/sh
# course.sh SRC BIN LAB EX STEP... — the buggy student of a course lab
# (tests/data/buggy/<LAB>/: a module with one bug a student makes) graded
# with `labkit grade` against the build tree BIN, which has labs/<LAB>
# built: it must be graded (not "not graded"), score less than the
# exercise's maximum, and fail exactly the steps STEP... of exercise EX
# (each judged again with `labkit check` on the student's saved results).
set -u
src=$1 bin=$2 lab=$3 ex=$4
shift 4
labkit=$bin/tools/labkit
tmp=$(mktemp -d /tmp/labkit-course.XXXXXX)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
fail() { echo "course: FAIL: $lab: $*"; exit 1; }

field() {
	python3 -c 'import csv, sys
for row in csv.DictReader(open(sys.argv[1], newline="")):
    if row["student"] == sys.argv[2]: print(row[sys.argv[3]])' "$1" "$2" "$3"
}

mkdir -p "$tmp/class/buggy"
cp -r "$src/tests/data/buggy/$lab/." "$tmp/class/buggy/"
"$labkit" grade --spec "$src/labs/$lab/labs.yaml" --build-dir "$bin" \
	-o "$tmp/grade" -e "$ex" --class "$tmp/class" -j 1 > "$tmp/grade.log" 2>&1
rc=$?
csv=$tmp/grade/summary.csv
[ $rc -eq 1 ] || { cat "$tmp/grade.log"; fail "labkit grade exited $rc, expected 1"; }
[ "$(field "$csv" buggy grading)" = graded ] || { cat "$tmp/grade.log"; fail "the buggy module was not graded"; }
score=$(field "$csv" buggy score) max=$(field "$csv" buggy max)
[ "$score" -lt "$max" ] || fail "a buggy module scored $score/$max"
results=$tmp/grade/students/buggy/$ex/results.yaml
failed=
for step in $(sed -n 's/^- id: \(.*\)$/\1/p' "$results"); do
	"$labkit" check --spec "$src/labs/$lab/labs.yaml" --results "$results" \
		--step "$step" > /dev/null 2>&1
	[ $? -eq 1 ] && failed="$failed $step"
done
[ "$failed" = " $*" ] || fail "the failing steps are '$failed', expected ' $*'"
echo "course: ok: $lab $ex: the buggy module scores $score/$max, failing$failed"
