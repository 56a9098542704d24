#!/bin/sh
# package-deb.sh BIN OUT — labkit's Debian package: `cpack -G DEB` in
# the build tree BIN makes OUT/labkit_<version>_<arch>.deb; its control
# has every package of tools/deps' `run` line in Depends, plus the
# libraries the command links (dpkg-shlibdeps); it holds the command, the
# CMake package, the scripts, the kconfig fragments and the docs, and not
# the hand-in bundle.  Leaves the package in OUT for the tests after it.
set -u
bin=$1 out=$2
src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$bin/CMakeCache.txt")
fail() { echo "package-deb: FAIL: $*"; exit 1; }

rm -rf "$out" && mkdir -p "$out" || fail "cannot make $out"
(cd "$bin" && cpack -G DEB --config "$bin/CPackConfig.cmake" -B "$out") \
	> "$out/cpack.log" 2>&1 || { cat "$out/cpack.log"; fail "cpack -G DEB failed"; }
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$bin/CMakeCache.txt")
deb="$out/labkit_${version}_$(dpkg --print-architecture).deb"
[ -f "$deb" ] || { ls "$out"; fail "no $deb"; }
echo "package-deb: ok: $(basename "$deb"), $(wc -c < "$deb") bytes"
dpkg-deb --info "$deb" | sed -n 's/^ \(Package\|Version\|Depends\|Recommends\):/package-deb:   \1:/p'

depends=$(dpkg-deb -f "$deb" Depends)
for p in $(sed -n 's/^run: *//p' "$src/tools/deps") libyaml-0-2 libpcre2-8-0; do
	echo "$depends" | tr ',' '\n' | sed 's/^ *//; s/ .*//' | grep -qx "$p" ||
		fail "Depends has no '$p'"
done
for p in $(sed -n 's/^dev: *//p' "$src/tools/deps"); do
	echo "$depends" | tr ',' '\n' | sed 's/^ *//; s/ .*//' | grep -qx "$p" &&
		fail "Depends has '$p', which only labkit's own tests need"
done
echo "package-deb: ok: Depends has tools/deps' run line and the libraries, no dev package"

files=$(dpkg-deb -c "$deb" | awk '{print $NF}')
for f in /bin/labkit /cmake/LabKit/LabKitConfig.cmake \
	/cmake/LabKit/LabKitConfigVersion.cmake /cmake/LabKit/LabKit.cmake \
	/cmake/LabKit/rootfs.cmake /share/labkit/kconfig/x86_64-lab.config \
	/libexec/labkit/fetch-guest-kernel /libexec/labkit/fetch-guest-busybox \
	/share/labkit/kconfig/arm64-lab.config /share/doc/labkit/labs-yaml.md; do
	echo "$files" | grep -q -- "$f\$" || fail "the package has no *$f"
done
echo "$files" | grep -q 'report' && echo "$files" | grep -Eq '/lab2/|results\.yaml' &&
	fail "the package holds the hand-in bundle"
echo "package-deb: ok: the command, the CMake package, scripts, kconfig and docs; no results"
