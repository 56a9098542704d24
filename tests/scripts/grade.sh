#!/bin/sh
# grade.sh SRC BIN MODE — `labkit grade` over a generated class of Lab 2
# §3 submissions (tests/data/grade/class.sh) against the build tree BIN, which has
# Lab 2 configured and built (its Debian kernel and root file system).
#
#   class      every student's verdict and reason in summary.csv; the
#              escaping Makefile got nothing (the secret it read is in no
#              file of its, nothing written to /tmp, no connection made);
#              no guest or sandbox left
#   shards     two shards merged give the unsharded summary.csv, byte for
#              byte; --summary rewrites it the same from the saved results
#   interrupt  SIGTERM in the middle: labkit stops, and no guest or
#              sandbox of the grading is left
#   retry      a grader's failure (the lab's kernel gone from the plan)
#              makes two correct students "not graded" (no score, exit
#              3), never 0; with the kernel back, --retry grades exactly
#              those, and a second --retry has nothing left to do
set -u
src=$1 bin=$2 mode=$3
labkit=$bin/tools/labkit
tmp=$(mktemp -d /tmp/labkit-grade.XXXXXX)
chmod 755 "$tmp"
listener=
cleanup() {
	[ -n "$listener" ] && kill "$listener" 2>/dev/null
	rm -rf "$tmp" /tmp/labkit-grade-escaped
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
fail() { echo "grade: FAIL: $*"; exit 1; }

secret="labkit-secret-$$-$(date +%s%N)"
echo "$secret" > "$tmp/secret.txt"
port=$(( 20000 + $$ % 20000 ))
sh "$src/tests/data/grade/class.sh" "$src" "$tmp/class" "$tmp/secret.txt" "$port" ||
	fail "cannot write the class"

# Processes of this grading: anything whose command line names $tmp, but
# this test's own listener.
leftovers() {
	ps -eo pid=,args= | grep -F "$tmp" | grep -v -e 'grep -F' -e "$0" |
		grep -v "^ *${listener:-none} "
}
no_leftovers() {
	for i in 1 2 3 4 5 6 7 8 9 10; do
		[ -z "$(leftovers)" ] && return 0
		sleep 1
	done
	leftovers
	fail "processes of the grading are left ($1)"
}

grade() {
	"$labkit" grade --spec "$src/labs.yaml" --build-dir "$bin" -j 2 "$@"
}

# field CSV STUDENT COLUMN: one cell of summary.csv.
field() {
	python3 -c 'import csv, sys
for row in csv.DictReader(open(sys.argv[1], newline="")):
    if row["student"] == sys.argv[2]: print(row[sys.argv[3]])' "$1" "$2" "$3"
}

expect() {
	student=$1 score=$2 reason=$3
	got=$(field "$tmp/grade/summary.csv" "$student" score)
	why=$(field "$tmp/grade/summary.csv" "$student" reason)
	[ "$got" = "$score" ] || fail "$student: score '$got', expected $score ($why)"
	echo "$why" | grep -Eq -- "$reason" || fail "$student: reason '$why', expected /$reason/"
	echo "grade: ok: $student: $got/5${why:+: $why}"
}

case $mode in
class)
	python3 -c 'import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8)
while True:
    c, a = s.accept(); open(sys.argv[2], "a").write("connected\n")' \
		"$port" "$tmp/connections" &
	listener=$!
	# As the README has it: relative paths, from another directory, the
	# default --out (grade/ in that directory).
	(cd "$tmp" && "$labkit" grade --spec "$(realpath --relative-to=. "$src/labs.yaml")" \
		--build-dir "$(realpath --relative-to=. "$bin")" --class class/ -j 2) \
		> "$tmp/grade.log" 2>&1
	rc=$?
	cat "$tmp/grade.log"
	[ $rc -eq 1 ] || fail "labkit grade exited $rc, expected 1 (some students fail)"
	for i in 1 2 3 4 5 6; do expect "good-$i" 5 '^$'; done
	expect marker-echo 5 '^$'
	expect wrong-line 3 "^3\.3: pattern 'Hello world! I'ma a trivial module!' not found"
	expect no-compile 0 "^3\.1: module 'trivial' did not build: trivial\.c:[0-9]+:[0-9]+: error: expected ';'"
	expect wrong-ko 0 "^3\.1: module 'trivial' did not build: the module built no trivial\.ko"
	expect panic-on-load 0 "^3\.1: unexpected panic: 'Kernel panic - not syncing: trivial: the student panics'"
	expect oops-on-load 0 "^3\.1: unexpected oops: 'BUG: kernel NULL pointer dereference"
	# A busy loop in the kernel ends at the step's deadline, or earlier at
	# the kernel's own soft-lockup report (after 20 s of it; which comes
	# first depends on the machine's load).
	hung="the step did not run to the end: timeout\$|unexpected oops: 'watchdog: BUG: soft lockup"
	expect hang-on-unload 3 "^3\.4: ($hung)"
	expect print-loop 0 "^3\.1: ($hung)"
	expect escape 0 "^3\.1: module 'trivial' did not build: .*(Read-only file system|No such file or directory)"
	expect network 0 "^3\.1: module 'trivial' did not build: .*(Connection refused|Network is unreachable)"
	[ "$(field "$tmp/grade/summary.csv" good-1 sandbox)" = bubblewrap ] ||
		fail "good-1 was not built in the sandbox"
	grep -rlF "$secret" "$tmp/grade" && fail "the secret reached the grading"
	[ -e /tmp/labkit-grade-escaped ] && fail "the escaping Makefile wrote to /tmp"
	[ -s "$tmp/connections" ] && fail "a build connected to the host"
	echo "grade: ok: the escaping Makefile read nothing, wrote nothing outside, connected nowhere"
	no_leftovers "after grading"
	echo "grade: ok: no guest or sandbox left"
	;;
shards)
	mkdir "$tmp/small"
	for s in good-1 good-2 good-3 wrong-line no-compile wrong-ko; do
		mv "$tmp/class/$s" "$tmp/small/"
	done
	grade -o "$tmp/all" --class "$tmp/small" > "$tmp/all.log" 2>&1
	grade -o "$tmp/s1" --class "$tmp/small" --shard 1/2 > "$tmp/s1.log" 2>&1
	grade -o "$tmp/s2" --class "$tmp/small" --shard 2/2 > "$tmp/s2.log" 2>&1
	n1=$(ls "$tmp/s1/students" | wc -l) n2=$(ls "$tmp/s2/students" | wc -l)
	[ "$n1" -eq 3 ] && [ "$n2" -eq 3 ] || fail "shards of $n1 and $n2 students, expected 3 and 3"
	"$labkit" grade --spec "$src/labs.yaml" -o "$tmp/merged" --merge "$tmp/s1" --merge "$tmp/s2" ||
		fail "merge failed"
	cmp "$tmp/all/summary.csv" "$tmp/merged/summary.csv" ||
		{ diff "$tmp/all/summary.csv" "$tmp/merged/summary.csv"; fail "merged summary.csv differs"; }
	echo "grade: ok: shards 1/2 and 2/2 ($n1 + $n2 students) merge into the unsharded summary.csv, byte for byte"
	cp "$tmp/all/summary.csv" "$tmp/before.csv"
	"$labkit" grade --spec "$src/labs.yaml" -o "$tmp/all" --summary || fail "--summary failed"
	cmp "$tmp/before.csv" "$tmp/all/summary.csv" || fail "--summary wrote another summary.csv"
	echo "grade: ok: --summary writes it again from the saved results"
	no_leftovers "after the shards"
	;;
interrupt)
	"$labkit" grade --spec "$src/labs.yaml" --build-dir "$bin" -j 2 \
		-o "$tmp/grade" "$tmp/class/print-loop" "$tmp/class/hang-on-unload" \
		"$tmp/class/good-1" > "$tmp/grade.log" 2>&1 &
	pid=$!
	for i in $(seq 120); do
		ps -eo args= | grep -F "$tmp" | grep -q '^qemu-system' && break
		sleep 0.5
	done
	ps -eo args= | grep -F "$tmp" | grep -q '^qemu-system' || fail "no guest started"
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
	cat "$tmp/grade.log"
	[ $rc -ne 0 ] || fail "an interrupted grading exited 0"
	grep -q 'interrupted' "$tmp/grade.log" || fail "it does not say it was interrupted"
	no_leftovers "after SIGTERM"
	echo "grade: ok: SIGTERM stops the grading (exit $rc); no guest or sandbox left"
	;;
retry)
	# A build tree whose plan names a kernel directory that is not there.
	mkdir -p "$tmp/bt/labkit/lab2" "$tmp/two"
	mv "$tmp/class/good-1" "$tmp/class/good-2" "$tmp/two/"
	sed "s|\(kernel-dir: \"\)\([^\"]*/debian/[^\"]*\)\"|\1$tmp/gone\"|" \
		"$bin/labkit/lab2/grade-plan.yaml" > "$tmp/bt/labkit/lab2/grade-plan.yaml"
	grep -q "$tmp/gone" "$tmp/bt/labkit/lab2/grade-plan.yaml" || fail "could not break the plan"
	"$labkit" grade --spec "$src/labs.yaml" --build-dir "$tmp/bt" -j 2 \
		-o "$tmp/g" --class "$tmp/two" > "$tmp/g1.log" 2>&1
	rc=$?
	[ $rc -eq 3 ] || { cat "$tmp/g1.log"; fail "a grader's failure exited $rc, expected 3"; }
	for s in good-1 good-2; do
		[ "$(field "$tmp/g/summary.csv" $s grading)" = "not graded" ] ||
			fail "$s is '$(field "$tmp/g/summary.csv" $s grading)', expected not graded"
		[ -z "$(field "$tmp/g/summary.csv" $s score)" ] || fail "$s has a score"
		field "$tmp/g/summary.csv" $s reason | grep -q '^not graded: ' ||
			fail "$s: no reason"
		grep -q '<error message="not graded: ' "$tmp/g/students/$s/junit.xml" ||
			fail "$s's junit.xml has no error"
	done
	echo "grade: ok: the grader's failure: not graded, no score, exit 3 ($(field "$tmp/g/summary.csv" good-1 reason))"
	cp "$bin/labkit/lab2/grade-plan.yaml" "$tmp/bt/labkit/lab2/grade-plan.yaml"
	"$labkit" grade --spec "$src/labs.yaml" --build-dir "$tmp/bt" -j 2 \
		-o "$tmp/g" --class "$tmp/two" --retry > "$tmp/g2.log" 2>&1
	rc=$?
	[ $rc -eq 0 ] || { cat "$tmp/g2.log"; fail "--retry exited $rc, expected 0"; }
	grep -q 'grading 2 students' "$tmp/g2.log" || { cat "$tmp/g2.log"; fail "--retry did not grade the two"; }
	for s in good-1 good-2; do
		[ "$(field "$tmp/g/summary.csv" $s score)" = 5 ] || fail "$s: not 5 after --retry"
	done
	cp "$tmp/g/summary.csv" "$tmp/before.csv"
	"$labkit" grade --spec "$src/labs.yaml" --build-dir "$tmp/bt" -j 2 \
		-o "$tmp/g" --class "$tmp/two" --retry > "$tmp/g3.log" 2>&1 ||
		{ cat "$tmp/g3.log"; fail "a second --retry failed"; }
	grep -q 'grading 0 students' "$tmp/g3.log" || { cat "$tmp/g3.log"; fail "a second --retry graded someone"; }
	cmp -s "$tmp/before.csv" "$tmp/g/summary.csv" || fail "a second --retry changed summary.csv"
	echo "grade: ok: --retry grades the two again (5/5 each), then nothing is left to retry"
	no_leftovers "after the retries"
	;;
*)
	fail "mode '$mode'?"
	;;
esac
