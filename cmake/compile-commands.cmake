# compile-commands.cmake — the compilation database of a build tree's
# kernel modules, for a student's editor (clangd):
#
#   cmake -DOUT=<build>/compile_commands.json
#         -DMODULES="<module json>|<build copy>|<source dir>;..."
#         -P compile-commands.cmake
#
# Each <module json> is what the kernel's own
# scripts/clang-tools/gen_compile_commands.py wrote for a module built in
# <build copy> (kbuild M=, from a copy of <source dir>).  Its entries for
# the module's C files are kept with the file named where the student
# edits it (<source dir>/x.c), once (the first module that has it); the
# kbuild-generated ones (x.mod.c) are dropped.  A module not built yet
# has no json and no entries.  The output is written whole (a temporary
# file, then renamed), and only when its content changes; a json that
# does not parse stops the script with its name.
cmake_minimum_required(VERSION 3.25)
set(LABKIT_SCRIPT compile-commands.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/LabKitScript.cmake)

if(NOT OUT)
  die("-DOUT=<compile_commands.json> is required")
endif()
# A JSON string's text: backslashes and quotes escaped.
function(json_quote text out)
  string(REPLACE "\\" "\\\\" text "${text}")
  string(REPLACE "\"" "\\\"" text "${text}")
  set(${out} "\"${text}\"" PARENT_SCOPE)
endfunction()

set(body "")
set(seen "")
foreach(m IN LISTS MODULES)
  string(REPLACE "|" ";" m "${m}")
  list(GET m 0 json)
  list(GET m 1 copy)
  list(GET m 2 src)
  if(NOT EXISTS "${json}")
    continue()
  endif()
  file(READ "${json}" db)
  string(JSON n ERROR_VARIABLE err LENGTH "${db}")
  if(err)
    die("'${json}': ${err}")
  endif()
  if(n EQUAL 0)
    continue()
  endif()
  math(EXPR last "${n} - 1")
  foreach(i RANGE ${last})
    string(JSON file GET "${db}" ${i} file)
    get_filename_component(name "${file}" NAME)
    if(NOT EXISTS "${src}/${name}")             # generated: x.mod.c
      continue()
    endif()
    if("${src}/${name}" IN_LIST seen)           # two labs, one module
      continue()
    endif()
    list(APPEND seen "${src}/${name}")
    string(JSON entry GET "${db}" ${i})
    string(JSON cmd GET "${entry}" command)
    string(REPLACE "${copy}/${name}" "${src}/${name}" cmd "${cmd}")
    json_quote("${cmd}" cmd)
    json_quote("${src}/${name}" file)
    string(JSON entry SET "${entry}" command "${cmd}")
    string(JSON entry SET "${entry}" file "${file}")
    if(NOT body STREQUAL "")
      string(APPEND body ",\n  ")
    endif()
    string(APPEND body "${entry}")
  endforeach()
endforeach()
if(body STREQUAL "")
  set(db "[]\n")
else()
  set(db "[\n  ${body}\n]\n")
endif()
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
  if(old STREQUAL db)
    return()
  endif()
endif()
set(tmp "${OUT}.tmp")
file(WRITE "${tmp}" "${db}")
file(RENAME "${tmp}" "${OUT}")
