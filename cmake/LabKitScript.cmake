# LabKitScript.cmake — what the -P scripts (rootfs.cmake,
# debian-kernel.cmake, ...) share:
#
#   die(<message>...)                 FATAL_ERROR "<LABKIT_SCRIPT>: <message>",
#                                     removing ${tmp} (a half-made output, file
#                                     or directory, and ${tmp}.* helpers) first
#   read_le(FILE OFFSET SIZE OUTVAR)  the little-endian unsigned integer of
#                                     SIZE bytes at OFFSET in FILE, for looking
#                                     into binary headers (bzImage, ELF)
#
# A script sets LABKIT_SCRIPT (its name, the messages' prefix) before use.
include_guard(GLOBAL)

function(die)
  if(DEFINED tmp AND NOT "${tmp}" STREQUAL "")
    file(GLOB helpers "${tmp}.*")
    file(REMOVE_RECURSE "${tmp}" ${helpers})
  endif()
  set(msg "")                     # ARGV<n>, unlike ARGN, keeps any ';'
  math(EXPR last "${ARGC} - 1")
  foreach(i RANGE ${last})
    string(APPEND msg "${ARGV${i}}")
  endforeach()
  message(FATAL_ERROR "${LABKIT_SCRIPT}: ${msg}")
endfunction()

function(read_le file offset size outvar)
  file(READ "${file}" hex OFFSET ${offset} LIMIT ${size} HEX)
  string(LENGTH "${hex}" len)
  math(EXPR want "${size} * 2")
  if(NOT len EQUAL want)
    die("'${file}' ends before byte ${offset} + ${size}")
  endif()
  set(be "")
  math(EXPR last "${size} - 1")
  foreach(i RANGE ${last})
    math(EXPR pos "${i} * 2")
    string(SUBSTRING "${hex}" ${pos} 2 byte)
    string(PREPEND be "${byte}")
  endforeach()
  math(EXPR value "0x${be}")
  set(${outvar} ${value} PARENT_SCOPE)
endfunction()
