# program.cmake — a user program of a root file system (`rootfs: <id>:
# programs:` in labs.yaml), compiled on the host for the guest.
#
#   cmake -DCC=<C compiler> -DOUT=<file> -DSOURCES="<a.c;b.c>"
#         [-DCFLAGS="<flag;...>"] [-DDIR=<dir>] [-DDEPFILE=<file.d>]
#         [-DSPEC=<labs.yaml> -DPOS=<line:col> -DTO=<guest path>]
#         -P cmake/program.cmake
#
# Runs `<CC> -static -o <OUT> <SOURCES> <CFLAGS>` in DIR (the spec's
# directory, so that `-Iinclude` is the spec's include/): statically
# linked, because the guest's busybox tree has no C library.  CFLAGS come
# after the sources so that libraries (`-lm`) link; with -static, a
# library named before the objects that need it is not searched.
#
# Owns OUT and DEPFILE only.  OUT is written under a temporary name and
# renamed into place: a program that does not compile leaves no OUT at
# all (an earlier one is removed, so nothing stale reaches an image).
# Then it prints `<SPEC>:<POS>: error: program '<TO>' does not compile:`
# and the compiler's own messages, and fails.  A warning is printed as
# the compiler gave it.
#
# DEPFILE, written after a good build, names every file the sources
# include outside the system's headers (gcc -MM), with absolute paths:
# the build tree's rule recompiles when one of them changes.

cmake_minimum_required(VERSION 3.21)

set(LABKIT_SCRIPT program)
include(${CMAKE_CURRENT_LIST_DIR}/LabKitScript.cmake)

foreach(var CC OUT SOURCES)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    die("-D${var}=... is required")
  endif()
endforeach()
if(NOT DIR)
  get_filename_component(DIR "${OUT}" DIRECTORY)
endif()
if(SPEC AND POS AND TO)
  set(what "${SPEC}:${POS}: error: program '${TO}'")
else()
  set(what "program: '${OUT}'")
endif()
foreach(src IN LISTS SOURCES)
  if(NOT IS_ABSOLUTE "${src}")
    set(src "${DIR}/${src}")
  endif()
  if(NOT EXISTS "${src}" OR IS_DIRECTORY "${src}")
    message(NOTICE "${what} does not compile: '${src}' is not a file")
    die("'${OUT}' not made: source '${src}' is not a file")
  endif()
endforeach()

get_filename_component(outdir "${OUT}" DIRECTORY)
file(MAKE_DIRECTORY "${outdir}")
string(RANDOM LENGTH 8 tag)
set(tmp "${OUT}.tmp.${tag}")                   # die() removes it
execute_process(
  COMMAND "${CC}" -static -o "${tmp}" ${SOURCES} ${CFLAGS}
  WORKING_DIRECTORY "${DIR}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE log ERROR_VARIABLE log)
string(REGEX REPLACE "\n+$" "" log "${log}")
if(NOT rc EQUAL 0 OR NOT EXISTS "${tmp}")
  file(REMOVE "${OUT}")
  message(NOTICE "${what} does not compile:\n${log}")
  die("'${OUT}' not made: the compiler failed (${rc})")
endif()
if(NOT log STREQUAL "")
  message(NOTICE "${log}")
endif()

if(DEPFILE)
  # Relative names (an -I of the spec's) are the spec directory's; the
  # build tree reads them as its own, so they are made absolute: after an
  # unescaped space (a new name), anything but '/', a space or a '\'.
  execute_process(
    COMMAND "${CC}" -MM -MT "${OUT}" ${SOURCES} ${CFLAGS}
    WORKING_DIRECTORY "${DIR}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE deps ERROR_QUIET)
  if(rc EQUAL 0)
    string(REGEX REPLACE "([^\\]) ([^/ \\\n])" "\\1 ${DIR}/\\2" deps "${deps}")
    file(WRITE "${DEPFILE}.tmp.${tag}" "${deps}")
    file(RENAME "${DEPFILE}.tmp.${tag}" "${DEPFILE}")
  endif()
endif()
file(RENAME "${tmp}" "${OUT}")
