#!/bin/sh
# fuzz.sh SRC BUILD HARNESS SECONDS — fuzzes one parser (tests/fuzz/) for
# SECONDS from its seeds, with a fixed seed (FUZZ_SEED, default 1) so that
# a run is the same sequence of inputs each time (how far it gets
# depends on the machine's speed).
#
# Builds the harnesses in BUILD first (tests/fuzz/build.sh: a LABKIT_FUZZ
# tree, clang), and exits 77 with its reason when clang has no
# libFuzzer.  The corpus starts from the seeds of the repository each
# time: the regressions (tests/fuzz/regressions/HARNESS/, inputs that
# once failed) and the files of the repository the harness reads (see
# seeds() below).  Fails (1) on a crash, a leak, undefined behaviour, a
# broken invariant, an input slower than 10 s or over 2 GB, printing the
# report, the input and how to replay it; 0 with a line of statistics.
#
# FUZZ_WORK: the working directory (default BUILD/fuzz-run/HARNESS,
# emptied first): corpus/, artifacts/, log, stats.  FUZZ_KEEP_GOING=1
# (bench/fuzz): goes on past crashes (libFuzzer's fork mode) and counts
# them instead of stopping at the first; exits 0 unless nothing ran.
set -u
[ $# -eq 4 ] || { echo "usage: fuzz.sh SRC BUILD HARNESS SECONDS" >&2; exit 2; }
src=$(cd "$1" && pwd)
build=$2
h=$3
secs=$4
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# The repository's files the harness HARNESS parses, one path a line.
seeds() {
	find "$src/labs.yaml" "$src/labs" "$src/templates" "$src/tests" \
		-name '*.yaml' -type f | sort | while IFS= read -r f; do
		case $1 in
		spec) grep -q '^labkit-\(results\|grade\)' "$f" || echo "$f" ;;
		results) grep -q '^labkit-results:' "$f" && echo "$f" ;;
		yamldoc) grep -q '^labkit-grade:' "$f" && echo "$f" ;;
		esac
	done
	case $1 in
	console) find "$src/tests/data/transcripts" -name '*.log' -type f ;;
	yamldoc) find "$src/tests/fuzz/seeds/yamldoc" -name '*.yaml' -type f ;;
	esac
	find "$src/tests/fuzz/regressions/$1" -type f 2>/dev/null
	return 0
}

sh "$src/tests/fuzz/build.sh" "$src" "$build" || exit $?
build=$(cd "$build" && pwd)
bin=$build/tests/fuzz/fuzz_$h
[ -x "$bin" ] || { echo "fuzz.sh: error: no harness '$h' ($bin)"; exit 1; }
work=${FUZZ_WORK:-$build/fuzz-run/$h}
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
seeds "$h" | while IFS= read -r f; do
	cp "$f" "$work/corpus/$(echo "${f#"$src"/}" | tr / _)"
done
n=$(find "$work/corpus" -type f | wc -l)
[ "$n" -gt 0 ] || { echo "fuzz.sh: error: no seeds for '$h'"; exit 1; }

set -- -dict="$src/tests/fuzz/$h.dict" -max_total_time="$secs" \
	-seed="${FUZZ_SEED:-1}" -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix="$work/artifacts/"
if [ "${FUZZ_KEEP_GOING:-0}" = 1 ]; then
	set -- "$@" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1
fi
echo "fuzz.$h: $n seeds, ${secs} s, seed ${FUZZ_SEED:-1}: $bin"
t0=$(date +%s)
(cd "$work" && UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	"$bin" "$@" "$work/corpus" >"$work/log" 2>&1)
rc=$?
t1=$(date +%s)

# statistics: the final ones, or fork mode's last status line
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -n 1)
[ -n "$runs" ] || runs=$(sed -n 's/^#\([0-9]*\):.*/\1/p' "$work/log" | tail -n 1)
crashes=$(find "$work/artifacts" -type f | wc -l)
corpus=$(find "$work/corpus" -type f | wc -l)
elapsed=$((t1 - t0))
cat >"$work/stats" <<STATS
harness=$h
seconds=$elapsed
runs=${runs:-0}
corpus=$corpus
found=$crashes
STATS
echo "fuzz.$h: ${runs:-0} runs in ${elapsed} s ($(( ${runs:-0} / (elapsed > 0 ? elapsed : 1) )) exec/s), corpus $corpus inputs, $crashes crash/leak input(s)"

if [ "${FUZZ_KEEP_GOING:-0}" = 1 ]; then
	[ "${runs:-0}" -gt 0 ] || { tail -n 30 "$work/log"; exit 1; }
	exit 0
fi
if [ "$rc" -ne 0 ] || [ "$crashes" -gt 0 ]; then
	# the report: from the sanitizer's or the invariant's first line on
	sed -n '/^==[0-9]*==ERROR\|runtime error\|invariant failed\|^==[0-9]*== ERROR\|ALARM\|out-of-memory/,$p' \
		"$work/log" | head -n 80
	for a in "$work"/artifacts/*; do
		[ -f "$a" ] || continue
		echo "fuzz.$h: the input: $a"
		echo "  replay: $bin $a"
		echo "  keep it: cp $a $src/tests/fuzz/regressions/$h/ (after the fix)"
	done
	echo "fuzz.$h: FAILED (exit $rc; log: $work/log)"
	exit 1
fi
echo "fuzz.$h: no crash, leak or undefined behaviour"
