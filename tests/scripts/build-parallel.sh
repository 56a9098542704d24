#!/bin/sh
# build-parallel.sh SRC_DIR — a fresh build tree of a lab with several
# modules (labs/debug: four, a root file system and a program) built at
# -j8 must build what -j1 builds: every target's outputs have one
# producer, so no two rules race on a file (seen: two module targets both
# taking gen_compile_commands.py out of the kernel tarball).
set -u
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "build-parallel: FAIL: $*"; exit 1; }

cmake -S "$src" -B "$tmp/build" -DLABKIT_TESTS=OFF -DLABKIT_KERNELS=quick \
	-DLABKIT_SPEC="$src/labs/debug/labs.yaml" >"$tmp/configure.log" 2>&1 ||
	{ cat "$tmp/configure.log"; fail "configure"; }
cmake --build "$tmp/build" -j8 >"$tmp/build.log" 2>&1 ||
	{ tail -50 "$tmp/build.log"; fail "cmake --build -j8 of a fresh tree"; }
for m in warn_once oops_null student_list spin_forever; do
	[ -f "$tmp/build/labkit/debug/modules/$m/$m.ko" ] || fail "no $m.ko"
done
[ -f "$tmp/build/labkit/debug/rootfs/busybox/initramfs.cpio" ] || fail "no initramfs"
if command -v python3 >/dev/null && ls /usr/src/linux-source-*.tar.xz >/dev/null 2>&1; then
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert len(d) >= 4, len(d)' \
		"$tmp/build/compile_commands.json" || fail "compile_commands.json lacks the modules"
fi
echo "build-parallel: ok: a fresh tree of labs/debug builds at -j8"
