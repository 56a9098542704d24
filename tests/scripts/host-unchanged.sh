#!/bin/sh
# host-unchanged.sh SPEC BIN — runs the guests of tests/labs/selftest.yaml
# (QEMU: insmod, rmmod; UML: hostfs mounted on the host's /), and `make
# modules_install` and `make install` of an x86_64 kernel this tree built
# (any lab's), and proves the host is as it was: /boot and /lib/modules
# list the same files with the same sizes and times, the root file system
# images in the build tree are byte for byte the same, and the host has no
# `trivial` module loaded.
set -u
spec=$1
bin=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "host-unchanged: FAIL: $*"; exit 1; }

snapshot() {
	for d in /boot /lib/modules; do
		[ -e "$d" ] && find "$d" -printf '%p %s %T@ %m\n'
	done | sort | sha256sum
	sha256sum "$bin"/labkit/*/rootfs/*/rootfs.ext4 "$bin"/labkit/*/rootfs/*/initramfs.cpio
	[ -e /proc/modules ] && grep -c '^trivial ' /proc/modules || true
}

snapshot > "$tmp/before"
rootfs=$bin/labkit/selftest/rootfs/busybox
for ex in qemu uml; do
	case $ex in
	qemu) kdir=$(ls -d "$bin"/labkit/debian/*/ | head -n 1) ;;
	uml) kdir=$bin/labkit/uml-package ;;
	esac
	"$bin/tools/labkit" run --spec "$spec" --exercise $ex \
		--out "$tmp/$ex" --kernel-dir "$kdir" --rootfs-dir "$rootfs" \
		--accel-cache "$bin/accel-probe.txt" >"$tmp/$ex.log" 2>&1 ||
		{ cat "$tmp/$ex.log"; fail "exercise $ex did not run"; }
	grep -q 'status: ran' "$tmp/$ex/results.yaml" || fail "exercise $ex ran no step"
done
kernel=$(ls -d "$bin"/labkit/*/kernels/* 2>/dev/null | while read -r d; do
	[ -f "$d/arch/x86/boot/bzImage" ] && echo "$d"; done | head -n 1)
if [ -n "$kernel" ]; then
	"$bin/tools/labkit" build --spec "$(dirname "$spec")/../data/labs/install.yaml" \
		--exercise 1 --src "$(ls -d "$bin"/src/linux-source-* | grep -v stamp | head -n 1)" \
		--obj "$kernel" --out "$tmp/install.yaml" >"$tmp/install.log" 2>&1 ||
		{ cat "$tmp/install.log"; fail "make install into the staging directory failed"; }
	grep -q "installed $kernel.stage/boot/vmlinuz-" "$tmp/install.log" ||
		fail "labkit's installkernel did not run"
	echo "host-unchanged: make modules_install and make install ran in $kernel"
fi
snapshot > "$tmp/after"
diff "$tmp/before" "$tmp/after" || fail "the host or the images changed"
echo "host-unchanged: ok: /boot, /lib/modules, the images and the host's modules are as they were"
