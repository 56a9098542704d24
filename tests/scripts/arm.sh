#!/bin/sh
# arm.sh SRC — the ARM lab (labs/arm) as its README runs it, in a copy of
# the source tree SRC (its tracked and new files): an arm64 kernel
# cross-built from linux-source, a module and a program cross-built, the
# guest booted on QEMU's virt machine under TCG.  Every step of both
# exercises must pass.  Then the lab's buggy student
# (tests/data/buggy/arm/: CurrentEL's level read from the wrong bits) is
# graded against that tree and must fail 2.2 and 2.3 only (course.sh).
# 3 to 7 minutes on two cores with a cold ccache: label full.
set -u
src=$1
tmp=$(mktemp -d /tmp/labkit-arm.XXXXXX)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
fail() { echo "arm: FAIL: $*"; exit 1; }
# run LOG CMD: CMD through sh in the copy; its output in LOG, shown when
# it fails.
run() {
	sh -c "$2" > "$tmp/$1" 2>&1 || { tail -n 40 "$tmp/$1"; fail "'$2' exited $?"; }
}

mkdir "$tmp/labkit"
git -C "$src" ls-files -co --exclude-standard -z |
	(cd "$src" && xargs -0 cp --parents -t "$tmp/labkit" 2>/dev/null)
[ -f "$tmp/labkit/labs/arm/labs.yaml" ] || fail "no copy of $src"
cd "$tmp/labkit" || fail "no copy of $src"

# labs/arm/README.md, as written.
run configure.log 'cmake -B build-arm -DLABKIT_SPEC=labs/arm/labs.yaml -DLABKIT_TESTS=OFF'
run arm.log 'cmake --build build-arm --target arm'

labkit=build-arm/tools/labkit
n=0
for ex in 1 2; do
	results=build-arm/arm/$ex/results.yaml
	[ -f "$results" ] || fail "exercise $ex left no $results"
	for step in $(sed -n 's/^- id: \(.*\)$/\1/p' "$results"); do
		"$labkit" check --spec labs/arm/labs.yaml --results "$results" \
			--step "$step" > "$tmp/check.log" 2>&1 ||
			{ cat "$tmp/check.log"; fail "step $step did not pass"; }
		n=$((n + 1))
	done
done
[ $n -eq 9 ] || fail "$n steps checked, the lab has 9"
echo "arm: ok: all $n steps of labs/arm pass"

sh "$src/tests/scripts/course.sh" "$tmp/labkit" "$tmp/labkit/build-arm" arm 2 2.2 2.3
