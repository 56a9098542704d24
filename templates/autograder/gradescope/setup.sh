#!/bin/bash
# setup.sh — Gradescope runs this once, as root, when it builds the
# autograder's image from the zip (https://gradescope-autograders.
# readthedocs.io/en/latest/specs/); the zip, as make-zip packs it, is
# unpacked in /autograder/source:
#
#   setup.sh, run_autograder   these two
#   lab/                       the lab repository (labs.yaml, modules/ ...)
#   debs/                      labkit_<version>_amd64.deb, and the lab's
#                              saved kernel: Debian's linux-image, the
#                              linux-headers (and -common) and
#                              linux-kbuild packages of the same ABI
#
# It installs labkit and builds the lab once (the kernel unpacked, the
# root file system, the lab's own modules), so that grading a submission
# builds only the student's module and boots the guest (TCG: Gradescope
# has no KVM).  labkit's package is Debian 12's: on a Debian 12 base image
# it is installed with its dependencies; on Gradescope's Ubuntu base
# image (22.04), its files and the saved kernel's are unpacked as they
# are and what they run comes from Ubuntu (gcc-12, the compiler Debian's
# kernel was built with, as gcc).
set -euo pipefail
src=/autograder/source
export DEBIAN_FRONTEND=noninteractive
cache=/var/cache/labkit                  # where the lab's configure looks
mkdir -p "$cache"
cp "$src"/debs/linux-image-*.deb "$cache"/
. /etc/os-release
apt-get update
if [ "$ID" = debian ] && [ "${VERSION_ID:-}" = 12 ]; then
	apt-get install -y --no-install-recommends "$src"/debs/labkit_*.deb \
		"$src"/debs/linux-headers-*.deb "$src"/debs/linux-kbuild-*.deb
else
	apt-get install -y --no-install-recommends cmake make gcc gcc-12 \
		libc6-dev binutils python3 qemu-system-x86 busybox-static \
		e2fsprogs cpio xz-utils kmod bc bison flex libelf-dev libssl-dev \
		dwarves rsync bubblewrap libyaml-0-2 libpcre2-8-0 libcmark0.30.2 \
		libmicrohttpd12 libcmocka0
	for deb in "$src"/debs/*.deb; do
		case $deb in */linux-image-*) ;; *) dpkg-deb -x "$deb" / ;; esac
	done
	ln -sf gcc-12 /usr/bin/gcc
fi
cmake -S "$src/lab" -B "$src/lab/build" -DLABKIT_ACCEL=tcg \
	-DLABKIT_DEB_CACHE="$cache"
cmake --build "$src/lab/build"
cp "$src/run_autograder" /autograder/run_autograder
chmod 755 /autograder/run_autograder
