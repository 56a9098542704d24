#!/bin/sh
# rootfs-drivers.sh SRC DEB RELEASE — cmake/rootfs.cmake unpacks the
# kernel package's driver modules once into <STAGING>.drivers and copies
# them from there while its key holds: the same DRIVERS again reuse it
# (the cache is not remade, the tree still has the modules), other
# DRIVERS remake it (the tree has the new one and its dependencies).
set -u
src=$1 deb=$2 rel=$3
tmp=$(mktemp -d /tmp/labkit-rootfs-drivers.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "rootfs-drivers: FAIL: $*"; exit 1; }

rootfs() {
	cmake -DSTAGING="$tmp/tree" -DHOSTNAME=t -DKERNEL_RELEASE="$rel" \
		"-DDRIVERS=$1" -DDRIVERS_DEB="$deb" -P "$src/cmake/rootfs.cmake" \
		> "$tmp/log" 2>&1 || { cat "$tmp/log"; fail "rootfs.cmake with DRIVERS=$1"; }
}
has() {
	find "$tmp/tree/lib/modules/$rel/kernel" -name "$1.ko" | grep -q . ||
		fail "$2: the tree has no $1.ko"
}

rootfs virtio_blk
has virtio_blk first; has virtio_ring "first (a dependency)"
key=$(stat -c %i:%Y "$tmp/tree.drivers/key")
rootfs virtio_blk
[ "$(stat -c %i:%Y "$tmp/tree.drivers/key")" = "$key" ] ||
	fail "the same DRIVERS unpacked the package again"
has virtio_blk "again, from the cache"
[ "$(cat "$tmp/tree/etc/labkit-drivers")" = virtio_blk ] ||
	fail "again: /etc/labkit-drivers is '$(cat "$tmp/tree/etc/labkit-drivers")'"
echo "rootfs-drivers: ok: the same DRIVERS copied from the cache"

rootfs "virtio_blk;virtio_net"
has virtio_net "other DRIVERS"; has net_failover "other DRIVERS (a dependency)"
[ "$(cat "$tmp/tree/etc/labkit-drivers")" = "$(printf 'virtio_blk\nvirtio_net')" ] ||
	fail "other DRIVERS: /etc/labkit-drivers is '$(cat "$tmp/tree/etc/labkit-drivers")'"
echo "rootfs-drivers: ok: other DRIVERS unpacked again, with their dependencies"
