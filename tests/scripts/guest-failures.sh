#!/bin/sh
# guest-failures.sh SRC BIN KERNEL_QEMU KERNEL_UML ROOTFS — a UML guest
# whose step hangs and a QEMU
# guest whose kernel panics: `labkit run` must fail (exit 1) with the
# outcome and the reason, quote the panic line, and leave no process of
# the guest's process group (found through <out>/guest.pid, never by name).
set -u
src=$1
bin=$2
kqemu=$3
kuml=$4
rootfs=$5
spec=$src/tests/data/labs/guest-failures.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "guest-failures: FAIL: $*"; exit 1; }

# Live processes in process group $g (fields after "comm)": state ppid pgrp).
group_count() {
	n=0
	for stat in /proc/[0-9]*/stat; do
		line=$(cat "$stat" 2>/dev/null) || continue
		set -- ${line##*) }
		[ "$3" = "$g" ] && [ "$1" != Z ] && n=$((n + 1))
	done
	echo $n
}

# run EXERCISE KERNEL_DIR -> runs it, checks the exit status and the group
run() {
	out=$tmp/$1
	"$bin/tools/labkit" run --spec "$spec" --exercise "$1" --out "$out" \
		--kernel-dir "$2" --rootfs-dir "$rootfs" \
		--accel-cache "$bin/accel-probe.txt" >"$tmp/$1.log" 2>&1
	rc=$?
	cat "$tmp/$1.log"
	[ $rc -eq 1 ] || fail "$1: exit status $rc, expected 1"
	[ -s "$out/guest.pid" ] || fail "$1: no guest was started"
	g=$(cat "$out/guest.pid")
	left=$(group_count)
	[ "$left" -eq 0 ] || fail "$1: $left process(es) of guest group $g left"
	echo "guest-failures: ok: $1: no process of guest group $g left"
}

run hang "$kuml"
grep -q '^outcome: timeout$' "$tmp/hang/results.yaml" || fail "hang: outcome is not timeout"
grep -q 'reason: not run\|status: not-run' "$tmp/hang/results.yaml" || fail "hang: hang.2 not marked not-run"

run panic "$kqemu"
grep -q '^outcome: panic$' "$tmp/panic/results.yaml" || fail "panic: outcome is not panic"
grep -q "Kernel panic - not syncing" "$tmp/panic.log" || fail "panic: the panic line is not quoted"
echo "guest-failures: ok"
