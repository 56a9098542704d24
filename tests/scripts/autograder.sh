#!/bin/sh
# autograder.sh SRC BIN PLATFORM — plays a grading platform's harness
# around the script `labkit new --autograder PLATFORM` writes, against the
# build tree BIN (Lab 2 configured and built: its Debian kernel and root
# file system), with labkit BIN/tools/labkit:
#
#   gradescope    a temporary directory laid out as /autograder
#                 (source/, submission/, results/), run_autograder run
#                 there with AUTOGRADER_ROOT pointing at it
#   prairielearn  one laid out as /grade (student/, results/),
#                 labkit-pl-grade run with GRADE_ROOT pointing at it
#
# three submissions, one at a time, as the platform sends them: Lab 2
# §3's module as a student hands it in (the module's files); a copy of
# the lab repository whose module does not compile (modules/trivial/);
# the good module again with the grader broken (the plan's kernel
# gone); and once more with no build tree at all (labkit refuses).  Each
# leaves a results.json of the platform's documented form whose score
# is the grading's (summary.csv): 5 of 5; 0 and the compiler's line; no
# score at all, and why, for the two not graded.
# The teacher's report goes to stdout, never into results.json.  Exit
# 77 when the build tree cannot grade Lab 2 (not configured or built,
# no QEMU).
set -u
src=$1 bin=$2 platform=$3
labkit=$bin/tools/labkit
plan=$bin/labkit/lab2/grade-plan.yaml
skip() { echo "autograder.$platform: skipped: $*"; exit 77; }
fail() { echo "autograder.$platform: FAIL: $*"; exit 1; }

[ -x "$labkit" ] || skip "no labkit in $bin/tools"
[ -f "$plan" ] || skip "$bin has no Lab 2 configured ($plan)"
command -v qemu-system-x86_64 >/dev/null || skip "no qemu-system-x86_64"
for d in $(sed -n 's/^ *\(kernel-dir\|rootfs-dir\): "\(.*\)"$/\2/p' "$plan" |
	   grep -e /debian/ -e /rootfs/busybox\$); do
	[ -d "$d" ] || skip "Lab 2 is not built in $bin ($d is missing)"
done

tmp=$(mktemp -d /tmp/labkit-autograder.XXXXXX)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

"$labkit" new --autograder "$platform" "$tmp/newlab" > "$tmp/new.log" 2>&1 ||
	{ cat "$tmp/new.log"; fail "labkit new --autograder $platform"; }
case $platform in
gradescope)
	script=$tmp/newlab/autograder/gradescope/run_autograder
	files=submission results=results/results.json ;;
prairielearn)
	script=$tmp/newlab/autograder/prairielearn/labkit-pl-grade
	files=student results=results/results.json ;;
*)
	fail "no platform '$platform'" ;;
esac
[ -x "$script" ] || fail "$script is not executable"

# run NAME BUILD: the platform's harness for the submission in
# $tmp/NAME/$files, against build tree BUILD; its stdout in NAME.log.
run() {
	root=$tmp/$1
	mkdir -p "$root/results"
	[ $platform = gradescope ] && mkdir -p "$root/source" &&
		cp "$tmp/newlab/autograder/gradescope/setup.sh" "$script" "$root/source/"
	(cd "$root" && AUTOGRADER_ROOT=$root GRADE_ROOT=$root LABKIT_LAB=$src \
		LABKIT_BUILD_DIR=$2 LABKIT=$labkit LABKIT_LANG=en "$script") \
		> "$tmp/$1.log" 2>&1
	rc=$?
	[ $rc -eq 0 ] || { cat "$tmp/$1.log"; fail "$1: the script exited $rc"; }
	[ -f "$root/$results" ] || { cat "$tmp/$1.log"; fail "$1: no $results"; }
}

# check NAME WANT: results.json of the platform's form, with the score
# WANT (the grading's summary.csv's, checked equal), or none at all
# (WANT "none": not graded, and it says why).
check() {
	python3 - "$platform" "$tmp/$1/$results" "$tmp/$1/grading/out/summary.csv" "$2" <<'EOF' ||
import csv, json, sys
platform, path, summary, want = sys.argv[1:]
def constant(c):
    raise ValueError(c)
r = json.load(open(path, encoding='utf-8'), parse_constant=constant)
bad = []
# https://gradescope-autograders.readthedocs.io/en/latest/specs/ and
# https://prairielearn.readthedocs.io/en/latest/externalGrading/
allowed = {
    'gradescope': {'score', 'execution_time', 'output', 'output_format',
                   'test_output_format', 'test_name_format', 'visibility',
                   'stdout_visibility', 'extra_data', 'tests', 'leaderboard'},
    'prairielearn': {'gradable', 'score', 'format_errors', 'message', 'output',
                     'images', 'tests'},
}[platform]
if set(r) - allowed:
    bad.append(f'fields not in the format: {sorted(set(r) - allowed)}')
row = next(csv.DictReader(open(summary, newline='')))
if want == 'none':
    if 'score' in r or row['grading'] != 'not graded':
        bad.append(f'a score, or graded: {row["grading"]}')
    if platform == 'prairielearn' and r.get('gradable') is not False:
        bad.append('gradable is not false')
    if 'not graded' not in r.get('output' if platform == 'gradescope' else 'message', ''):
        bad.append('it does not say why it is not graded')
else:
    score = r['score'] if platform == 'gradescope' else r['score'] * int(row['max'])
    if abs(score - int(want)) > 1e-6 or row['score'] != want:
        bad.append(f'score {r["score"]}, summary.csv {row["score"]}, want {want}')
    if platform == 'gradescope' and sum(t['score'] for t in r['tests']) != r['score']:
        bad.append('the tests do not add up to the score')
    if platform == 'prairielearn' and r.get('gradable', True) is not True:
        bad.append('not gradable')
if 'Kernel messages' in json.dumps(r) or 'grade.log' in json.dumps(r):
    bad.append('the teacher\'s report is in results.json')
for b in bad:
    print(f'{path}: {b}')
sys.exit(1 if bad else 0)
EOF
		fail "$1: results.json is not as expected"
}

# A correct module, its files as the student uploads them.
mkdir -p "$tmp/good/$files"
cp "$src/modules/trivial/trivial.c" "$src/modules/trivial/Kbuild" "$tmp/good/$files/"
run good "$bin"
check good 5
grep -q '^===== report.md' "$tmp/good.log" || { cat "$tmp/good.log"; fail "good: the teacher's report is not on stdout"; }
echo "autograder.$platform: ok: a correct module: results.json of the platform's form, 5/5"

# The student's copy of the lab repository, whose module does not compile.
mkdir -p "$tmp/bad/$files/modules"
cp -r "$src/modules/trivial" "$tmp/bad/$files/modules/"
cp "$src/labs.yaml" "$tmp/bad/$files/"
sed -i 's/return 0;/return 0/' "$tmp/bad/$files/modules/trivial/trivial.c"
run bad "$bin"
check bad 0
grep -q "did not build: trivial.c:[0-9]*:[0-9]*: error" "$tmp/bad/$results" ||
	{ cat "$tmp/bad/$results"; fail "bad: the compiler's line is not in results.json"; }
echo "autograder.$platform: ok: a repository whose module does not compile: 0/5, the compiler's line"

# The grader broken: the plan's kernel is gone.  Not graded, never 0.
mkdir -p "$tmp/bt/labkit/lab2" "$tmp/broken/$files"
sed "s|\(kernel-dir: \"\)\([^\"]*/debian/[^\"]*\)\"|\1$tmp/gone\"|" "$plan" \
	> "$tmp/bt/labkit/lab2/grade-plan.yaml"
grep -q "$tmp/gone" "$tmp/bt/labkit/lab2/grade-plan.yaml" || fail "could not break the plan"
cp "$tmp/good/$files/"* "$tmp/broken/$files/"
run broken "$tmp/bt"
check broken none
echo "autograder.$platform: ok: the grader's failure: no score in results.json, and why"

# labkit cannot grade at all (no build tree): still a results.json, with
# no score, saying why.
mkdir -p "$tmp/nothing/$files" "$tmp/empty"
cp "$tmp/good/$files/"* "$tmp/nothing/$files/"
run nothing "$tmp/empty"
python3 - "$platform" "$tmp/nothing/$results" <<'EOF2' || fail "nothing: results.json is not as expected"
import json, sys
platform, path = sys.argv[1:]
r = json.load(open(path))
key = 'output' if platform == 'gradescope' else 'message'
ok = 'score' not in r and 'not graded' in r.get(key, '') and \
     (platform == 'gradescope' or r.get('gradable') is False)
if not ok:
    print(f'{path}: {r}')
sys.exit(0 if ok else 1)
EOF2
echo "autograder.$platform: ok: labkit could not grade at all: results.json, no score, and why"
