#!/bin/sh
# decode-line.sh BIN SRC — labs/deferred exercise 2 (a sleep under a
# spinlock: "BUG: scheduling while atomic", no RIP in the module): the
# fault is decoded from a call-trace frame, a return address, to the line
# of the msleep() call itself, not the line after it.
set -u
bin=$1 src=$2
fail() { echo "decode-line: FAIL: $*"; exit 1; }
c=$src/labs/deferred/modules/atomic_sleep/atomic_sleep.c
line=$(grep -n 'msleep(10);' "$c" | cut -d: -f1)
[ -n "$line" ] || fail "no msleep() call in $c"
got=$(sed -n 's/^ *fault_where: //p' "$bin/deferred/2/results.yaml")
[ "$got" = "atomic_sleep.c:$line" ] ||
	fail "decoded to '$got', expected atomic_sleep.c:$line (the msleep() call)"
echo "decode-line: ok: the fault decodes to atomic_sleep.c:$line, the msleep() call"
