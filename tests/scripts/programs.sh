#!/bin/sh
# programs.sh SRC_DIR — a root file system's own programs and files
# (`rootfs: <id>: programs:`, `files:`) and an exercise's `modules:`, end
# to end in a scratch build tree of tests/data/labs/programs.yaml, copied
# with its module's path and a source of each kind made absolute:
#   - a program that does not compile fails the rootfs target with the
#     spec's position and the compiler's own message, and leaves neither
#     the program nor any image;
#   - fixed, the program (two sources, a header through the spec's -I,
#     cflags) is in the tree at its guest path, 0755, a static ELF; the
#     file at its own, 0640; `labkit run` is given the exercise's module
#     (--module trivial=<its .ko>), and the guest runs the program, reads
#     the file and loads the module by id;
#   - broken again, the target fails and removes the program, and the
#     images made before stay as they were;
#   - a guest path labkit's own tree needs (/etc/inittab) is refused at
#     its position, and no image is made (the spec's change alone has
#     CMake remove initramfs.cpio, the first output of a rule whose command
#     changed; the others stay as they were).
set -u
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
lab=$tmp/lab
b=$tmp/build
root=$b/labkit/progs/rootfs/busybox
bin=$root/programs/usr/local/bin/hello
fail() { echo "programs: FAIL: $*"; exit 1; }

mkdir "$lab"
cp -r "$src/tests/data/labs/programs.yaml" "$src/tests/data/labs/programs" "$lab/"
sed -i -e "s#path: ../../../modules/trivial#path: $src/modules/trivial#" \
	-e "s#, programs/greet.c\]#, $lab/programs/greet.c]#" \
	-e "s#source: programs/motd#source: $lab/programs/motd#" "$lab/programs.yaml"
grep -q "path: $src/modules/trivial" "$lab/programs.yaml" &&
	grep -q ", $lab/programs/greet.c\]" "$lab/programs.yaml" &&
	grep -q "source: $lab/programs/motd" "$lab/programs.yaml" ||
	fail "the copied spec's paths were not made absolute"
cp "$lab/programs/greet.c" "$tmp/greet.c.good"

# rootfs <log>: the root file system's target; its exit status.
rootfs() {
	cmake --build "$b" --target progs.rootfs.busybox >"$1" 2>&1
}
# broken <log>: the target failed, quoting the spec's position, the
# compiler's message, and no program is left.
broken() {
	grep -q "^$lab/programs.yaml:18:9: error: program '/usr/local/bin/hello' does not compile:$" "$1" &&
	grep -q "^$lab/programs/greet.c:6:[0-9]*: error: expected" "$1" ||
		{ cat "$1"; fail "no spec position and compiler message"; }
	[ ! -e "$bin" ] || fail "a program that does not compile left $bin"
	ls "$root/programs/usr/local/bin" | grep -q tmp && fail "a temporary file was left"
	return 0
}

sed -i 's/return 0;/return 0/' "$lab/programs/greet.c"
cmake -S "$src" -B "$b" -DLABKIT_TESTS=OFF -DLABKIT_SPEC="$lab/programs.yaml" \
	>"$tmp/configure.log" 2>&1 || { cat "$tmp/configure.log"; fail "configure"; }
rootfs "$tmp/fresh.log" && { cat "$tmp/fresh.log"; fail "a broken program built"; }
broken "$tmp/fresh.log"
for f in initramfs.cpio rootfs.ext4 rootfs.yaml; do
	[ ! -e "$root/$f" ] || fail "a broken program's root file system has $f"
done
echo "programs: ok: a program that does not compile fails the root file system, at its position, leaving nothing"

cp "$tmp/greet.c.good" "$lab/programs/greet.c"
rootfs "$tmp/good.log" || { cat "$tmp/good.log"; fail "target progs.rootfs.busybox"; }
[ "$(stat -c %a "$root/tree/usr/local/bin/hello")" = 755 ] || fail "the program is not 0755"
[ "$(stat -c %a "$root/tree/etc/labkit/motd")" = 640 ] || fail "the file is not 0640"
cmp -s "$lab/programs/motd" "$root/tree/etc/labkit/motd" || fail "the file's content differs"
[ "$(head -c 4 "$root/tree/usr/local/bin/hello" | od -An -c | tr -d ' ')" = 177ELF ] ||
	fail "the program is not an ELF file"
readelf -lW "$root/tree/usr/local/bin/hello" >"$tmp/readelf.txt" ||
	fail "readelf cannot read the program"
grep -q 'INTERP' "$tmp/readelf.txt" && fail "the program is dynamically linked"
grep -q 'Elf file type is EXEC' "$tmp/readelf.txt" || { cat "$tmp/readelf.txt"; fail "not an executable"; }
[ "$("$root/tree/usr/local/bin/hello" host)" = "hello, host (static)" ] ||
	fail "the program does not greet with the spec's cflags"
echo "programs: ok: the program (static ELF, 0755) and the file (0640) are in the tree"

ctest --test-dir "$b" -R '^progs\.1\.run$' -N -V >"$tmp/ctest-n.log" 2>&1
grep -q -- "\"--module\" \"trivial=$b/labkit/progs/modules/trivial/trivial.ko\"" "$tmp/ctest-n.log" ||
	{ cat "$tmp/ctest-n.log"; fail "labkit run is not given the exercise's module"; }
cmake --build "$b" --target progs.1 >"$tmp/run.log" 2>&1 ||
	{ cat "$tmp/run.log"; fail "target progs.1"; }
ctest --test-dir "$b" -L progs.1 >"$tmp/ctest.log" 2>&1 ||
	{ cat "$tmp/ctest.log" "$b/progs/1/transcript.log"; fail "ctest -L progs.1"; }
echo "programs: ok: the guest runs the program, reads the file, loads the module by id"

md5sum "$root/initramfs.cpio" "$root/rootfs.ext4" "$root/rootfs.yaml" >"$tmp/images.md5"
sed -i 's/return 0;/return 0/' "$lab/programs/greet.c"
rootfs "$tmp/again.log" && { cat "$tmp/again.log"; fail "a broken program built"; }
broken "$tmp/again.log"
md5sum -c --quiet "$tmp/images.md5" || fail "a failed build changed the images"
echo "programs: ok: broken again, the program is removed and the images are as they were"

cp "$tmp/greet.c.good" "$lab/programs/greet.c"
sed -i 's#to: /etc/labkit/motd#to: /etc/inittab#' "$lab/programs.yaml"
rootfs "$tmp/inittab.log" && { cat "$tmp/inittab.log"; fail "a file replaced /etc/inittab"; }
grep -q "^$lab/programs.yaml:22:9: error: file '/etc/inittab' would replace /etc/inittab of labkit's tree" \
	"$tmp/inittab.log" || { cat "$tmp/inittab.log"; fail "no refusal at the file's position"; }
grep -v initramfs.cpio "$tmp/images.md5" | md5sum -c --quiet ||
	fail "a refused file changed the images"
[ ! -e "$root/initramfs.cpio" ] || grep initramfs.cpio "$tmp/images.md5" | md5sum -c --quiet ||
	fail "a refused file made an initramfs"
echo "programs: ok: a file over labkit's /etc/inittab is refused at its position"
