#!/bin/sh
# saved.sh BIN LABKIT [LAB...] — a guest started from a saved one gives the
# verdicts a cold boot gives.  Saves the tree's guests (its ctest commands
# with --save: nothing when current).  For every exercise of the labs
# (default: every lab of the tree) whose run starts from a saved guest
# (its ctest command has --saved), runs it twice into directories of its own, cold
# (without --saved) and restored, and compares `labkit check` on each of
# its steps: the same exit status, step by step.  The restored run must
# say it was restored (guest.start), the cold one nothing of the kind.
# Then, for the first such exercise: a saved guest whose state is cut in
# half, and a directory with none, are runs that boot cold, say why, and
# give the same verdicts all the same.
set -u
bin=$1 labkit=$2
shift 2
tmp=$(mktemp -d /tmp/labkit-saved-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "saved: FAIL: $*"; exit 1; }

# The ctest commands that save a guest, and of each exercise's run that
# starts from one (with --saved), one a line.
ctest --test-dir "$bin" -N -V 2>/dev/null |
	sed -n 's/^[0-9]*: Test command: //p' > "$tmp/all"
grep -- '"--save"' "$tmp/all" > "$tmp/saves"
grep -- '"--saved"' "$tmp/all" | grep -- '"--reuse"' > "$tmp/runs"
[ -s "$tmp/runs" ] || fail "no exercise of $bin starts from a saved guest"

# run <ctest command> <out> <saved dir or "">: the run, --out and --saved
# replaced, no --reuse.
run() {
	python3 - "$1" "$2" "$3" > "$tmp/argv" <<'EOF' || exit 1
import shlex, sys
argv = shlex.split(sys.argv[1])
out = []
i = 0
while i < len(argv):
    a = argv[i]
    if a == "--reuse":
        i += 1
        continue
    if a in ("--out", "--saved"):
        if a == "--out":
            out += [a, sys.argv[2]]
        elif sys.argv[3]:
            out += [a, sys.argv[3]]
        i += 2
        continue
    out.append(a)
    i += 1
print("\n".join(out))
EOF
	(IFS='
'; exec $(cat "$tmp/argv")) > "$2.log" 2>&1
}

arg() { python3 -c 'import shlex,sys; a=shlex.split(sys.argv[1]); print(a[a.index(sys.argv[2])+1])' "$1" "$2"; }

# verdicts <spec> <results dir>: "<step> <exit of labkit check>" a line.
verdicts() {
	for s in $(sed -n 's/^- id: *//p; s/^  - id: *//p' "$2/results.yaml" | tr -d "'\""); do
		"$labkit" check --spec "$1" --results "$2/results.yaml" --step "$s" \
			> /dev/null 2>&1
		echo "$s $?"
	done
}

# The saved guests, made (nothing when they are current).
while IFS= read -r cmd; do
	(eval "exec $cmd") > "$tmp/save.log" 2>&1 ||
		fail "saving a guest failed: $(tail -n 3 "$tmp/save.log")"
done < "$tmp/saves"

n=0 first=
while IFS= read -r cmd; do
	spec=$(arg "$cmd" --spec) ex=$(arg "$cmd" --exercise) saved=$(arg "$cmd" --saved)
	lab=$(basename "$(dirname "$(arg "$cmd" --out)")")
	if [ $# -gt 0 ]; then
		case " $* " in *" $lab "*) ;; *) continue ;; esac
	fi
	d=$tmp/$n
	run "$cmd" "$d.cold" "" || true
	run "$cmd" "$d.warm" "$saved" || true
	[ -f "$d.cold/results.yaml" ] || fail "$lab.$ex: the cold run wrote no results ($(tail -n 3 "$d.cold.log"))"
	[ -f "$d.warm/results.yaml" ] || fail "$lab.$ex: the restored run wrote no results ($(tail -n 3 "$d.warm.log"))"
	grep -q '^  guest.start: restored from ' "$d.warm/results.yaml" ||
		fail "$lab.$ex: not restored: $(grep 'guest.start' "$d.warm/results.yaml")"
	! grep -q 'guest.start: restored' "$d.cold/results.yaml" ||
		fail "$lab.$ex: the run without --saved says it was restored"
	verdicts "$spec" "$d.cold" > "$d.cold.v"
	verdicts "$spec" "$d.warm" > "$d.warm.v"
	[ -s "$d.cold.v" ] || fail "$lab.$ex: no step to compare"
	cmp -s "$d.cold.v" "$d.warm.v" ||
		fail "$lab.$ex: verdicts differ, cold vs restored: $(diff "$d.cold.v" "$d.warm.v" | tr '\n' ' ')"
	echo "saved: ok: $lab.$ex: $(wc -l < "$d.cold.v") step(s), the same verdicts cold and restored" \
	     "(boot $(sed -n 's/^  boot.seconds: //p' "$d.cold/results.yaml") s," \
	     "restore $(sed -n 's/^  boot.seconds: //p' "$d.warm/results.yaml") s)"
	[ -n "$first" ] || first=$n
	echo "$cmd" > "$tmp/cmd.$n"
	n=$((n + 1))
done < "$tmp/runs"
[ "$n" -gt 0 ] || fail "no exercise of the labs '$*' starts from a saved guest"

# A state cut in half, and no saved guest at all: cold, with the reason.
cmd=$(cat "$tmp/cmd.$first")
spec=$(arg "$cmd" --spec) saved=$(arg "$cmd" --saved)
mkdir "$tmp/bad" && cp -r "$saved"/* "$tmp/bad/"
state=$(ls "$tmp"/bad/*/state*)
truncate -s $(($(stat -c %s "$state") / 2)) "$state"
for case in bad none; do
	mkdir -p "$tmp/$case"
	run "$cmd" "$tmp/$case.out" "$tmp/$case" || true
	why=$(sed -n 's/^  guest.start: //p' "$tmp/$case.out/results.yaml" | tr -d "'\"")
	case "$why" in
	"booted cold: "*) ;;
	*) fail "a saved guest that is $case: guest.start is '$why', not cold with a reason" ;;
	esac
	verdicts "$spec" "$tmp/$case.out" > "$tmp/$case.v"
	cmp -s "$tmp/$first.cold.v" "$tmp/$case.v" ||
		fail "a saved guest that is $case: verdicts differ from the cold run's"
	echo "saved: ok: a saved guest that is $case boots cold: $why"
done
exit 0
