# debian-kernel.cmake — unpack a prebuilt Debian kernel for guests.
#
#   cmake -DDEB=<linux-image-*.deb> -DOUT=<dir> -P cmake/debian-kernel.cmake
#
# Writes, from the .deb alone (never installing it):
#   OUT/bzImage   boot/vmlinuz-<release>, as shipped
#   OUT/release   the release string (e.g. 6.1.0-56-amd64), one line
#   OUT/vmlinux   the uncompressed ELF kernel taken out of the bzImage; QEMU
#                 boots it through its PVH entry much faster than the bzImage
#                 under TCG (no emulated decompression, no real-mode setup)
#   OUT/config    boot/config-<release>
#   OUT/modules/  with -DWITH_MODULES=ON: lib/modules/<release>/ (kernel/, modules.*),
#                 with modules.dep made by `depmod -b` when depmod exists
#   OUT/share-modules/  the modules a guest mounts a host directory with
#                 (9p over virtio: Debian builds them as modules), and
#                 `order`, their names in the order insmod takes them
#                 (each after those it depends on, from `modinfo`); the
#                 root file system carries them (cmake/rootfs.cmake)
#
# The vmlinux is located through the bzImage header (boot protocol >= 2.08:
# setup_sects, payload_offset, payload_length), its compression told by its
# magic bytes, and decompressed with the matching host tool, which is what
# the kernel's scripts/extract-vmlinux does by scanning.  Debian uses xz.
#
# Never writes outside OUT; every output is made under a temporary name and
# renamed into place.  Fails with FATAL_ERROR naming the missing tool or the
# malformed input; a failed run leaves the previous outputs untouched.

cmake_minimum_required(VERSION 3.20)

foreach(var DEB OUT)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "debian-kernel: -D${var}=... is required "
      "(usage: cmake -DDEB=<linux-image.deb> -DOUT=<dir> -P debian-kernel.cmake)")
  endif()
endforeach()
get_filename_component(DEB "${DEB}" ABSOLUTE)
get_filename_component(OUT "${OUT}" ABSOLUTE)
if(NOT EXISTS "${DEB}")
  message(FATAL_ERROR "debian-kernel: '${DEB}' does not exist")
endif()

find_program(DPKG_DEB dpkg-deb)
if(NOT DPKG_DEB)
  message(FATAL_ERROR "debian-kernel: 'dpkg-deb' not found (install dpkg)")
endif()
find_program(TAR tar)
if(NOT TAR)
  message(FATAL_ERROR "debian-kernel: 'tar' not found (install tar)")
endif()

set(LABKIT_SCRIPT debian-kernel)
include(${CMAKE_CURRENT_LIST_DIR}/LabKitScript.cmake)

# Offset, length and decompressor of the compressed vmlinux in a bzImage.
function(bzimage_payload img out_start out_len out_tool)
  file(READ "${img}" magic OFFSET 514 LIMIT 4 HEX)      # 0x202
  if(NOT magic STREQUAL "48647253")                      # "HdrS"
    die("'${img}' is not a bzImage (no 'HdrS' at 0x202)")
  endif()
  read_le("${img}" 518 2 version)                        # 0x206
  if(version LESS 520)                                   # 0x0208
    die("'${img}': boot protocol ${version} has no payload fields")
  endif()
  read_le("${img}" 497 1 setup_sects)                    # 0x1f1
  if(setup_sects EQUAL 0)
    set(setup_sects 4)
  endif()
  read_le("${img}" 584 4 payload_offset)                 # 0x248
  read_le("${img}" 588 4 payload_length)                 # 0x24c
  math(EXPR start "(${setup_sects} + 1) * 512 + ${payload_offset}")
  file(READ "${img}" head OFFSET ${start} LIMIT 6 HEX)
  if(head MATCHES "^fd377a585a00")
    set(tool xz -dc)
  elseif(head MATCHES "^28b52ffd")
    set(tool zstd -dc)
  elseif(head MATCHES "^1f8b0[08]")
    set(tool gzip -dc)
  elseif(head MATCHES "^5d0000")
    set(tool xz --format=lzma -dc)
  elseif(head MATCHES "^425a68")
    set(tool bzip2 -dc)
  elseif(head MATCHES "^02214c18")
    set(tool lz4 -dc)
  elseif(head MATCHES "^894c5a")
    set(tool lzop -dc)
  else()
    die("'${img}': unknown compression, "
      "payload at ${start} starts with ${head}")
  endif()
  list(GET tool 0 exe)
  find_program(DECOMPRESS_${exe} ${exe})
  if(NOT DECOMPRESS_${exe})
    die("'${exe}' not found; it is needed to "
      "decompress the vmlinux inside '${img}'")
  endif()
  list(REMOVE_AT tool 0)
  set(${out_start} ${start} PARENT_SCOPE)
  set(${out_len} ${payload_length} PARENT_SCOPE)
  set(${out_tool} "${DECOMPRESS_${exe}};${tool}" PARENT_SCOPE)
endfunction()

# --- unpack boot/ and lib/modules/ from the package ------------------------
string(RANDOM LENGTH 8 tag)
set(tmp "${OUT}/.debian-kernel.${tag}")
file(REMOVE_RECURSE "${tmp}")
file(MAKE_DIRECTORY "${tmp}/root")
# The modules (~400 MB) only when asked for (-DWITH_MODULES=ON): guests
# that boot from an initramfs need none of them, but the share's.
set(share_dirs fs/9p net/9p drivers/virtio fs/netfs fs/fscache)
set(share_roots 9p 9pnet_virtio virtio_pci)
if(WITH_MODULES)
  set(members --exclude=./usr)
else()
  set(members --wildcards ./boot)
  foreach(d IN LISTS share_dirs)
    list(APPEND members "./lib/modules/*/kernel/${d}")
  endforeach()
endif()
execute_process(
  COMMAND "${DPKG_DEB}" --fsys-tarfile "${DEB}"
  COMMAND "${TAR}" -x -C "${tmp}/root" --no-same-owner ${members}
  RESULTS_VARIABLE rcs
  ERROR_VARIABLE err)
foreach(rc IN LISTS rcs)
  if(NOT rc EQUAL 0)
    die("cannot unpack '${DEB}': ${err}")
  endif()
endforeach()

file(GLOB vmlinuz "${tmp}/root/boot/vmlinuz-*")
list(LENGTH vmlinuz n)
if(NOT n EQUAL 1)
  die("'${DEB}' holds ${n} boot/vmlinuz-* files, expected 1")
endif()
get_filename_component(name "${vmlinuz}" NAME)
string(REGEX REPLACE "^vmlinuz-" "" release "${name}")

# --- vmlinux out of the bzImage -------------------------------------------
bzimage_payload("${vmlinuz}" start len decompress)
math(EXPR tail_from "${start} + 1")                      # tail -c +N is 1-based
execute_process(
  COMMAND tail -c +${tail_from} "${vmlinuz}"
  COMMAND head -c ${len}
  COMMAND ${decompress}
  OUTPUT_FILE "${tmp}/vmlinux"
  RESULTS_VARIABLE rcs
  ERROR_VARIABLE err)
# The decompressor's exit status cannot be trusted: the payload ends with
# the 4-byte uncompressed size the kernel appends (size_append), which xz
# calls "unexpected end of input".  Check that size and the ELF magic instead
# (scripts/extract-vmlinux checks only the magic).
math(EXPR size_at "${start} + ${len} - 4")
read_le("${vmlinuz}" ${size_at} 4 want)
file(SIZE "${tmp}/vmlinux" got)
file(READ "${tmp}/vmlinux" elf LIMIT 4 HEX)
if(NOT got EQUAL want OR NOT elf STREQUAL "7f454c46")
  die("decompressing the payload of '${vmlinuz}' (${decompress}) gave "
    "${got} bytes starting ${elf}, expected an ELF file of ${want} bytes "
    "(exit statuses ${rcs}): ${err}")
endif()

# --- modules: lib/modules/<release>/, with modules.dep when possible ------
set(moddir "${tmp}/root/lib/modules/${release}")
if(IS_DIRECTORY "${moddir}" AND WITH_MODULES)
  find_program(DEPMOD depmod PATHS /sbin /usr/sbin)
  if(DEPMOD)
    execute_process(COMMAND "${DEPMOD}" -b "${tmp}/root" "${release}"
      RESULT_VARIABLE rc ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
      message(WARNING "debian-kernel: depmod failed, no modules.dep: ${err}")
    endif()
  else()
    message(WARNING "debian-kernel: depmod not found, OUT/modules has no modules.dep")
  endif()
endif()

# --- the share's modules, in the order insmod takes them ------------------
# share_module(<name>): <name> after every module it depends on, into
# `order` (the caller's), each once.
function(share_module name)
  if("${name}" IN_LIST order OR "${name}" IN_LIST visiting)
    return()
  endif()
  list(APPEND visiting ${name})
  set(visiting "${visiting}" PARENT_SCOPE)
  set(ko "${ko_${name}}")
  if(NOT ko)
    die("the share's module '${name}' is not in '${DEB}'")
  endif()
  execute_process(COMMAND "${MODINFO}" -F depends "${ko}"
    OUTPUT_VARIABLE deps RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    die("modinfo failed on '${ko}'")
  endif()
  string(REPLACE "," ";" deps "${deps}")
  foreach(dep IN LISTS deps)
    share_module(${dep})
  endforeach()
  list(APPEND order ${name})
  set(order "${order}" PARENT_SCOPE)
endfunction()

find_program(MODINFO modinfo PATHS /sbin /usr/sbin)
file(GLOB_RECURSE share_kos "${moddir}/kernel/*.ko")
set(order "")
set(visiting "")
if(share_kos AND NOT MODINFO)
  message(WARNING "debian-kernel: modinfo not found (install kmod): guests get no shared directory")
elseif(share_kos)
  foreach(ko IN LISTS share_kos)
    get_filename_component(name "${ko}" NAME_WE)
    string(REPLACE "-" "_" name "${name}")
    set(ko_${name} "${ko}")
  endforeach()
  foreach(root IN LISTS share_roots)
    share_module(${root})
  endforeach()
endif()
file(MAKE_DIRECTORY "${tmp}/share-modules")
foreach(name IN LISTS order)
  file(COPY_FILE "${ko_${name}}" "${tmp}/share-modules/${name}.ko")
endforeach()
list(JOIN order "\n" order_text)
file(WRITE "${tmp}/share-modules/order" "${order_text}\n")

# --- move everything into place -------------------------------------------
file(WRITE "${tmp}/release" "${release}\n")
file(RENAME "${vmlinuz}" "${tmp}/bzImage")
if(NOT EXISTS "${tmp}/root/boot/config-${release}")
  die("'${DEB}' has no boot/config-${release}")
endif()
file(RENAME "${tmp}/root/boot/config-${release}" "${tmp}/config")
foreach(f bzImage vmlinux release config)
  file(RENAME "${tmp}/${f}" "${OUT}/${f}")
endforeach()
file(REMOVE_RECURSE "${OUT}/modules" "${OUT}/share-modules") # never another kernel's
if(IS_DIRECTORY "${moddir}" AND WITH_MODULES)
  file(RENAME "${moddir}" "${OUT}/modules")
endif()
file(RENAME "${tmp}/share-modules" "${OUT}/share-modules")
file(REMOVE_RECURSE "${tmp}")
set(written "${OUT}/bzImage, ${OUT}/vmlinux, ${OUT}/share-modules (${order})")
if(IS_DIRECTORY "${OUT}/modules")
  string(APPEND written ", ${OUT}/modules")
endif()
message(STATUS "debian-kernel: ${release}: ${written}")
