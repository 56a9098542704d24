#!/bin/sh
# own-kernel.sh SRC_DIR — the trivial module built against the lab's own
# kernel (tests/data/labs/own-kernel.yaml): configures a scratch build
# tree, builds the lab-trimmed x86_64 kernel, installs it into its staging
# directory, builds the module against that build, makes the root file
# system with the staged modules, boots the installed kernel from it and
# loads the module.  Every step's check must pass.
set -u
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "own-kernel: FAIL: $*"; exit 1; }

spec=$src/tests/data/labs/own-kernel.yaml
cmake -S "$src" -B "$tmp/build" -DLABKIT_TESTS=OFF -DLABKIT_SPEC="$spec" -DLABKIT_KERNELS=full \
	>"$tmp/configure.log" 2>&1 || { cat "$tmp/configure.log"; fail "configure"; }
cmake --build "$tmp/build" --target own.3 >"$tmp/build.log" 2>&1 ||
	{ tail -n 60 "$tmp/build.log"; fail "target own.3"; }
ctest --test-dir "$tmp/build" -L own.3 >"$tmp/ctest.log" 2>&1 ||
	{ cat "$tmp/ctest.log"; fail "ctest -L own.3"; }
[ "$(grep -c 'own\.3\.[0-9] .* Passed' "$tmp/ctest.log")" = 3 ] && grep -q '100% tests passed' "$tmp/ctest.log" ||
	{ cat "$tmp/ctest.log"; fail "not all own.3 tests passed"; }
release=$(cat "$tmp/build/labkit/own/kernels/x86_64.stage/boot/release")
grep -q "vermagic: *$release SMP" "$tmp/build/own/3/results.yaml" ||
	fail "the module's vermagic is not the built kernel's ($release)"
echo "own-kernel: ok: trivial.ko built against $release loads into it"
