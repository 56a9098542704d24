#!/bin/sh
# host-unchanged.sh SRC BIN — runs the guests of exercises 3 (QEMU: insmod,
# rmmod) and 5 (UML: hostfs mounted on the host's /) and proves the host
# is as it was: /boot and /lib/modules list the same files with the same
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
snapshot > "$tmp/after"
diff "$tmp/before" "$tmp/after" || fail "the host or the images changed"
echo "host-unchanged: ok: /boot, /lib/modules, the images and the host's modules are as they were"
