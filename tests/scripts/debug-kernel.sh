#!/bin/sh
# debug-kernel.sh SRC_DIR — a kernel built here with `debug: true`
# (tests/data/labs/debug-kernel.yaml), in a scratch build tree: the
# lab-trimmed x86_64 kernel with labkit's debug fragments merged, its
# .config holding debug information, gdb's scripts and 9p (step 1.2),
# installed, booted with nokaslr (step 2.1); then, driven through a
# pseudo-terminal (workbench.py), labkit shell with /mnt/share over the
# kernel's built-in 9p and every way out, and labkit gdb --batch: stopped
# in the trivial module's init at its line, the kernel's own vfs_read at
# its source line, lx-version from the kernel's gdb scripts.  Skipped
# without gdb or pahole.
set -u
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "debug-kernel: FAIL: $*"; exit 1; }
for tool in gdb pahole; do
	command -v $tool >/dev/null 2>&1 ||
		{ echo "debug-kernel: skipped: $tool is not installed (apt install gdb dwarves)"; exit 77; }
done

spec=$src/tests/data/labs/debug-kernel.yaml
cmake -S "$src" -B "$tmp/build" -DLABKIT_TESTS=OFF -DLABKIT_SPEC="$spec" -DLABKIT_KERNELS=full \
	>"$tmp/configure.log" 2>&1 || { cat "$tmp/configure.log"; fail "configure"; }
cmake --build "$tmp/build" --target dbg.2 >"$tmp/build.log" 2>&1 ||
	{ tail -n 60 "$tmp/build.log"; fail "target dbg.2"; }
ctest --test-dir "$tmp/build" -L dbg >"$tmp/ctest.log" 2>&1 ||
	{ cat "$tmp/ctest.log"; fail "ctest -L dbg"; }
echo "debug-kernel: ok: built with debug information, gdb's scripts and 9p, booted with nokaslr"
drive="python3 $src/tests/scripts/workbench.py"
$drive shell "$tmp/build/tools/labkit" "$tmp/build" "$spec" 2 trivial || fail "labkit shell"
$drive gdb "$tmp/build/tools/labkit" "$tmp/build" "$spec" 2 trivial trivial_init vfs_read ||
	fail "labkit gdb"
