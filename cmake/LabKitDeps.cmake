# LabKitDeps.cmake — the libraries labkit links, as imported targets, and
# the compile flags every labkit target shares (labkit::warnings).
include_guard(GLOBAL)

find_package(PkgConfig REQUIRED)
pkg_check_modules(YAML REQUIRED IMPORTED_TARGET yaml-0.1)
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)
if(NOT LABKIT_BOOTSTRAP)             # `labkit spec` needs only the two above
  pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)
  pkg_check_modules(CMARK REQUIRED IMPORTED_TARGET libcmark)
  pkg_check_modules(MHD REQUIRED IMPORTED_TARGET libmicrohttpd)
endif()

option(LABKIT_WERROR "Treat compiler warnings as errors" OFF)
option(LABKIT_SANITIZE "Build with AddressSanitizer and UBSan" OFF)
# The libFuzzer harnesses (tests/fuzz/): every labkit target instrumented
# for the fuzzer, under ASan and UBSan (any undefined behaviour aborts).
# tests/fuzz/build.sh configures such a tree of its own with clang.
option(LABKIT_FUZZ "Build the libFuzzer harnesses of tests/fuzz/ (clang only)" OFF)
if(LABKIT_FUZZ AND NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "LABKIT_FUZZ needs clang and its libFuzzer, not "
    "${CMAKE_C_COMPILER_ID}: configure a tree of its own with "
    "tests/fuzz/build.sh (CC=clang)")
endif()

add_library(labkit_warnings INTERFACE)
add_library(labkit::warnings ALIAS labkit_warnings)
target_compile_options(labkit_warnings INTERFACE
  -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes
  $<$<BOOL:${LABKIT_WERROR}>:-Werror>
  $<$<BOOL:${LABKIT_SANITIZE}>:-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all>
  $<$<BOOL:${LABKIT_FUZZ}>:-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all>)
target_link_options(labkit_warnings INTERFACE
  $<$<BOOL:${LABKIT_SANITIZE}>:-fsanitize=address,undefined>
  $<$<BOOL:${LABKIT_FUZZ}>:-fsanitize=address,undefined>)
