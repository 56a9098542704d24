#!/bin/sh
# tests/fuzz/build.sh SRC BUILD — builds the libFuzzer harnesses of
# tests/fuzz/ in BUILD, a tree of their own: configured once with clang
# (FUZZ_CC, default clang; not CC, which may be the main build's gcc) and
# -DLABKIT_FUZZ=ON (the stage libraries instrumented for the fuzzer under
# ASan and UBSan), then `cmake --build --target fuzzers`, under a lock on
# BUILD so that tests starting at once build it once.  Exits 77, saying
# why, when the compiler cannot link a libFuzzer program (Debian: clang
# and libclang-rt-14-dev, installed by tools/install-deps --dev); 1 when
# the build fails; 0 with the harnesses in BUILD/tests/fuzz/.
set -eu
[ $# -eq 2 ] || { echo "usage: tests/fuzz/build.sh SRC BUILD" >&2; exit 2; }
src=$(cd "$1" && pwd)
build=$2
cc=${FUZZ_CC:-clang}

command -v "$cc" >/dev/null 2>&1 || {
	echo "fuzz: skipped: no C compiler '$cc' (libFuzzer needs clang: tools/install-deps --dev)"
	exit 77
}
mkdir -p "$build"
build=$(cd "$build" && pwd)
exec 9>"$build/.build.lock"
flock 9                  # the probe too: tests start at once
probe=$build/probe
cat >"$probe.c" <<'C'
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; return (int)n * 0; }
C
if ! "$cc" -fsanitize=fuzzer,address,undefined "$probe.c" -o "$probe" >"$probe.log" 2>&1; then
	sed 's/^/  /' "$probe.log"
	echo "fuzz: skipped: '$cc' cannot link a libFuzzer program (Debian: clang libclang-rt-14-dev, tools/install-deps --dev)"
	exit 77
fi

if [ ! -f "$build/CMakeCache.txt" ]; then
	echo "fuzz: configuring $build with $cc"
	cmake -S "$src" -B "$build" -DCMAKE_C_COMPILER="$cc" \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo -DLABKIT_FUZZ=ON \
		-DLABKIT_UNIT_TESTS_ONLY=ON >"$build/configure.log" 2>&1 || {
		cat "$build/configure.log"
		rm -f "$build/CMakeCache.txt"
		echo "fuzz: error: cannot configure $build"
		exit 1
	}
fi
cmake --build "$build" --target fuzzers -j "${FUZZ_JOBS:-2}" >"$build/build.log" 2>&1 || {
	tail -n 40 "$build/build.log"
	echo "fuzz: error: cannot build the harnesses in $build (log: $build/build.log)"
	exit 1
}
