#!/bin/sh
# faults.sh BIN SPEC — the faults no step expects (tests/labs/faults.yaml,
# run by ctest as its fixtures): each step fails with its outcome and the
# line the kernel printed; the Oops names the module's source file and
# line and quotes it; the guest went on after the Oops; after the panic
# the next step is not run, because the guest died; no guest process of
# any of these runs is left.
set -u
bin=$1
spec=$2
fail() { echo "faults: FAIL: $*"; exit 1; }

# check STEP EXERCISE PATTERN...: `labkit check` fails the step, and its
# message has every pattern (grep -E).
check() {
	step=$1 ex=$2
	shift 2
	out=$("$bin/tools/labkit" check --spec "$spec" \
		--results "$bin/faults/$ex/results.yaml" --step "$step" 2>&1)
	rc=$?
	[ $rc -eq 1 ] || { echo "$out"; fail "step $step: exit status $rc, expected 1"; }
	for p in "$@"; do
		echo "$out" | grep -Eq -- "$p" || { echo "$out"; fail "step $step: no '$p'"; }
	done
	echo "faults: ok: step $step fails: $(echo "$out" | grep -Eo -- "$1" | head -n 1)"
}

check warn survived "unexpected warn: 'WARNING: CPU: [0-9]+ PID: [0-9]+ at .*warn_once"
check oops survived "unexpected oops: 'BUG: kernel NULL pointer dereference" \
	'at oops_null\.c:[0-9]+:' '^> +[0-9]+ \| '
"$bin/tools/labkit" check --spec "$spec" --step after \
	--results "$bin/faults/survived/results.yaml" >/dev/null 2>&1 ||
	fail "the guest did not go on after the Oops"
echo "faults: ok: the guest went on after the Oops, in the same boot"
check panic panic "the step did not run to the end: panic" \
	"Kernel panic - not syncing: Fatal exception"
check after-panic panic "not run: the guest died in step panic"
check hang hang "the step did not run to the end: timeout"
for ex in survived panic hang; do
	pid=$(cat "$bin/faults/$ex/guest.pid")
	[ -z "$(ps -o pid= --sid "$pid" 2>/dev/null)" ] ||
		fail "processes of the $ex guest (session $pid) are left"
done
echo "faults: ok: no guest process is left"
