#!/bin/sh
# other-spec.sh SRC_DIR — configures labkit in a scratch build tree with
# another lab file (-DLABKIT_SPEC=), runs and checks its exercise through
# the generated targets and tests, then breaks the spec and proves that
# the configure fails with a file:line:col error and leaves the generated
# labs.cmake byte for byte as it was.
set -u
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "other-spec: FAIL: $*"; exit 1; }

cp "$src/tests/data/labs/demo.yaml" "$tmp/labs.yaml"
cmake -S "$src" -B "$tmp/build" -DLABKIT_TESTS=OFF -DLABKIT_SPEC="$tmp/labs.yaml" \
	>"$tmp/configure.log" 2>&1 || { cat "$tmp/configure.log"; fail "configure"; }
cmake --build "$tmp/build" --target demo.1 >"$tmp/build.log" 2>&1 ||
	{ cat "$tmp/build.log"; fail "target demo.1"; }
ctest --test-dir "$tmp/build" -L demo.1 >"$tmp/ctest.log" 2>&1 ||
	{ cat "$tmp/ctest.log"; fail "ctest -L demo.1"; }
grep -q '100% tests passed' "$tmp/ctest.log" || fail "not all demo tests passed"
grep -q 'demo.1.3 .*Skipped' "$tmp/ctest.log" || fail "demo.1.3 was not skipped"
echo "other-spec: ok: another lab configures, runs and is checked"

gen=$(ls "$tmp"/build/labkit-gen/labs-*.cmake)
cp "$gen" "$tmp/labs.cmake.before"
sed -i 's/^          - exit: 0$/          - exti: 0/' "$tmp/labs.yaml"
if cmake "$tmp/build" >"$tmp/reconf.log" 2>&1; then
	fail "configure succeeded on a broken spec"
fi
grep -q "labs.yaml:19:13: error: unknown key 'exti' in step 1.1 (did you mean 'exit'?)" \
	"$tmp/reconf.log" || { cat "$tmp/reconf.log"; fail "no file:line:col message"; }
cmp -s "$tmp/labs.cmake.before" "$gen" ||
	fail "labs.cmake changed after a failed configure"
echo "other-spec: ok: a broken spec fails the configure and changes nothing"

# The README's command for another lab, as written, from the top of a
# copy of this tree (labkit's own tests on, as they are by default): the
# user's spec wins, labkit's test labs step aside for it.
mkdir "$tmp/src"
(cd "$src" && tar --exclude='./build' --exclude='./build-*' --exclude='./.git' -cf - .) |
	tar -C "$tmp/src" -xf - || fail "cannot copy the tree"
(cd "$tmp/src" && cmake -B build-other -DLABKIT_SPEC=labs/chardev/labs.yaml) \
	>"$tmp/readme.log" 2>&1 || { cat "$tmp/readme.log"; fail "the README's other-lab command"; }
ctest --test-dir "$tmp/src/build-other" -N >"$tmp/tests.txt" 2>&1 || fail "ctest -N"
grep -q ' chardev\.1\.1$' "$tmp/tests.txt" || fail "no test chardev.1.1 in the other lab's tree"
grep -q ' selftest\.qemu\.load$' "$tmp/tests.txt" || fail "labkit's own tests are gone"
echo "other-spec: ok: 'cmake -B build-other -DLABKIT_SPEC=labs/chardev/labs.yaml' configures, the user's lab and labkit's tests side by side"
