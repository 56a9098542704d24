#!/bin/sh
# host-unchanged.sh SRC BIN — runs the guests of exercises 3 (QEMU: insmod,
# rmmod) and 5 (UML: hostfs mounted on the host's /), and `make
# modules_install` and `make install` of the x86_64 kernel when this tree
# built one, and proves the host is as it was: /boot and /lib/modules list the same files with the same
# sizes and times, the root file system images in the build tree are byte
# for byte the same, and the host has no `trivial` module loaded.
set -u
src=$1
bin=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "host-unchanged: FAIL: $*"; exit 1; }

snapshot() {
	for d in /boot /lib/modules; do
		[ -e "$d" ] && find "$d" -printf '%p %s %T@ %m\n'
	done | sort | sha256sum
	sha256sum "$bin"/rootfs/*/rootfs.ext4 "$bin"/rootfs/*/initramfs.cpio
	[ -e /proc/modules ] && grep -c '^trivial ' /proc/modules || true
}

snapshot > "$tmp/before"
for ex in 3 5; do
	"$bin/tools/labkit" run --spec "$src/labs.yaml" --exercise $ex \
		--out "$tmp/$ex" --kernel-dir "$bin/kernels/$( [ $ex = 3 ] && echo debian || echo um)" \
		--rootfs-dir "$bin/rootfs/busybox" --accel-cache "$bin/accel-probe.txt" \
		--no-build "not part of this test" >"$tmp/$ex.log" 2>&1 ||
		{ cat "$tmp/$ex.log"; fail "exercise $ex did not run"; }
	grep -q 'status: ran' "$tmp/$ex/results.yaml" || fail "exercise $ex ran no step"
done
if [ -f "$bin/kernels/x86_64/vmlinux" ]; then
	"$bin/tools/labkit" build --spec "$src/tests/data/labs/install.yaml" \
		--exercise 1 --src "$(ls -d "$bin"/src/linux-source-* | grep -v stamp | head -n 1)" \
		--obj "$bin/kernels/x86_64" --out "$tmp/install.yaml" >"$tmp/install.log" 2>&1 ||
		{ cat "$tmp/install.log"; fail "make install into the staging directory failed"; }
	grep -q 'installed .*/kernels/x86_64.stage/boot/vmlinuz-' "$tmp/install.log" ||
		fail "labkit's installkernel did not run"
	echo "host-unchanged: make modules_install and make install ran"
fi
snapshot > "$tmp/after"
diff "$tmp/before" "$tmp/after" || fail "the host or the images changed"
echo "host-unchanged: ok: /boot, /lib/modules, the images and the host's modules are as they were"
