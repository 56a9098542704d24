# ReadLE.cmake — read_le(FILE OFFSET SIZE OUTVAR): the little-endian
# unsigned integer of SIZE bytes at OFFSET in FILE, for the -P scripts that
# look into binary headers (bzImage, ELF).  Calls die(), which each script
# defines with its own prefix, when FILE is shorter than that.
include_guard(GLOBAL)

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
