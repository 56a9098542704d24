#!/bin/sh
# kill-guest.sh BIN SPEC KERNEL_QEMU KERNEL_UML ROOTFS — kills `ctest`
# (SIGTERM) and then `labkit run` itself (SIGKILL) while a QEMU guest is
# booted, then `labkit run` of a UML guest (SIGKILL; UML runs as many host
# processes), and proves that no process of the guest's process group
# survives, and none holds the root file system's image.  The guest is found by the pid `labkit run` records in
# <out>/guest.pid, never by name.  SPEC is tests/labs/selftest.yaml.
set -u
bin=$1
spec=$2
kqemu=$3
kuml=$4
rootfs=$5
out=$bin/selftest/qemu
fail() { echo "kill-guest: FAIL: $*"; exit 1; }

# Waits until guest.pid is newer than $1 and the guest has printed, and
# prints the guest's pid.
wait_guest() {
	i=0
	while [ $i -lt 300 ]; do
		if [ -s "$out/guest.pid" ] && [ "$out/guest.pid" -nt "$1" ] &&
		   [ -s "$out/transcript.log" ]; then
			cat "$out/guest.pid"
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# Counts live processes in process group $1.
group_count() {
	n=0
	for stat in /proc/[0-9]*/stat; do
		pg=$(sed 's/.*) [A-Z] [0-9-]* \([0-9-]*\).*/\1/' "$stat" 2>/dev/null) || continue
		state=$(sed 's/.*) \([A-Z]\).*/\1/' "$stat" 2>/dev/null) || continue
		[ "$pg" = "$1" ] && [ "$state" != Z ] && n=$((n + 1))
	done
	echo $n
}

# Processes that hold the root file system's image open: a guest's
# helper that left its group (UML's SIGWINCH watcher, of a session of its
# own, did) still counts as the guest.
holders() {
	for fd in /proc/[0-9]*/fd/*; do
		[ "$(readlink "$fd" 2>/dev/null)" = "$rootfs/rootfs.ext4" ] &&
			echo "${fd%/fd/*}"
	done | sort -u
}

check_gone() {
	i=0
	while { [ "$(group_count "$1")" -gt 0 ] || [ -n "$(holders)" ]; } &&
	      [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	left=$(group_count "$1")
	[ "$left" -eq 0 ] || fail "$left process(es) of guest group $1 left after $2"
	[ -z "$(holders)" ] || fail "$(holders | tr '\n' ' ')hold $rootfs/rootfs.ext4 after $2"
	echo "kill-guest: ok: no process of guest group $1 left after $2, none holds the disk"
}

stamp=$(mktemp)
rm -f "$out/inputs.txt"     # the fixture would keep results of the same inputs
ctest --test-dir "$bin" -R '^selftest\.qemu\.run$' >/dev/null 2>&1 &
ctest_pid=$!
pid=$(wait_guest "$stamp") || fail "no guest started"
kill -TERM $ctest_pid
wait $ctest_pid 2>/dev/null
check_gone "$pid" "SIGTERM to ctest"

# kill_run EXERCISE KERNEL_DIR WHAT: starts `labkit run` of the exercise
# into $out, kills it with SIGKILL once its guest printed, checks its group.
kill_run() {
	touch "$stamp"
	sleep 1
	"$bin/tools/labkit" run --spec "$spec" --exercise "$1" --out "$out" \
		--kernel-dir "$2" --rootfs-dir "$rootfs" \
		--accel-cache "$bin/accel-probe.txt" >/dev/null 2>&1 &
	run_pid=$!
	pid=$(wait_guest "$stamp") || fail "no $3 guest started"
	kill -KILL $run_pid
	wait $run_pid 2>/dev/null
	check_gone "$pid" "SIGKILL to labkit run of a $3 guest"
}

kill_run qemu "$kqemu" QEMU
out=$bin/kill-test/uml
mkdir -p "$out"
kill_run uml "$kuml" UML
rm -rf "$bin/kill-test"
rm -f "$stamp"
