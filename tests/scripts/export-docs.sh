#!/bin/sh
# export-docs.sh LABKIT DATA — the commands docs/teaching.md gives for
# the platforms' files ("Grades where teachers keep them"), run as
# written, in a directory laid out as the doc has it: labs.yaml (the
# golden class's spec, DATA/grade/labs.yaml), grade/ (its grading,
# DATA/grade/class), roster.csv, and build/mylab/ (one of its students'
# results as a lab's own run leaves them).  Each must do what the doc
# says of it (tests/data/doc-commands.txt names this script for them).
set -u
labkit=$1 data=$2
tmp=$(mktemp -d /tmp/labkit-export-docs.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "export-docs: FAIL: $*"; exit 1; }
PATH=$(cd "$(dirname "$labkit")" && pwd):$PATH
export PATH

cd "$tmp" || exit 1
cp "$data/grade/labs.yaml" labs.yaml
cp -r "$data/grade/class" grade
mkdir -p build/mylab
cp -r "$data/grade/class/students/bob/1" build/mylab/
printf 'student,email\n' > roster.csv
for s in alice bob carol dave eve fred; do echo "$s,$s@example.edu" >> roster.csv; done

labkit export --spec labs.yaml -o grade --format gradescope,prairielearn ||
	fail "export of gradescope,prairielearn"
[ -f grade/students/eve/gradescope/results.json ] && [ -f grade/students/eve/prairielearn/results.json ] ||
	fail "no gradescope or prairielearn results.json"
[ -f grade/moodle.csv ] && fail "moodle.csv written, not asked for"

labkit export --spec labs.yaml -o grade --format moodle --id-column email --roster roster.csv ||
	fail "export of moodle"
head -1 grade/moodle.csv | grep -q '^Email address,hello,Feedback' || fail "moodle.csv's header"
grep -q '^fred@example.edu,,' grade/moodle.csv || fail "fred (not graded) has a grade in moodle.csv"

labkit export --spec labs.yaml --results build/mylab --format classroom -o build/mylab ||
	fail "export of one run for classroom"
[ "$(cat build/mylab/classroom/runners)" = labkit1,labkit2,labkit3 ] || fail "classroom's runners"

labkit report --spec labs.yaml --results grade/students/bob -o bob-report --lang en --as-student ||
	fail "a student's report"
grep -q "The student's view" bob-report/report.md && ! grep -q '^### 1.2 ' bob-report/report.md ||
	fail "bob-report is not the student's view (1.2 is shown after the due date)"
labkit check --spec labs.yaml --results grade/students/bob/1/results.yaml --step 1.1 --as-student \
	> check.log 2>&1 || { cat check.log; fail "labkit check --as-student of a passed step"; }

labkit new --autograder gradescope mylab > new.log 2>&1 || { cat new.log; fail "new --autograder gradescope"; }
[ -x mylab/autograder/gradescope/run_autograder ] || fail "no run_autograder"
mkdir pl && cd pl || exit 1
labkit new --autograder prairielearn mylab > new.log 2>&1 || { cat new.log; fail "new --autograder prairielearn"; }
[ -x mylab/autograder/prairielearn/labkit-pl-grade ] || fail "no labkit-pl-grade"
echo "export-docs: ok: teaching.md's export, report, check and new commands do what it says"
