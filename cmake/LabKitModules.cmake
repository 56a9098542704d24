# LabKitModules.cmake — modules (kbuild M=) and their compilation database.
# Part of cmake/LabKit.cmake, which includes it: the functions here are
# Included by cmake/LabKit.cmake; called by the CMake a lab spec generates.

# ---- modules: kbuild M= against the kernel's headers ----

# Where module <id>'s sources come from: the spec's PATH, a kbuild
# directory (a Makefile or a Kbuild).  A student's module is not built
# here, unsandboxed: `labkit grade` builds it in its sandbox.
function(_labkit_module_source id path out)
  _labkit_lab_path(${path} src)
  set(what "${LABKIT_LAB_SPEC}: module '${id}'")
  if(NOT IS_DIRECTORY ${src})
    message(FATAL_ERROR "${what}: '${src}' is not a directory")
  endif()
  if(NOT EXISTS ${src}/Makefile AND NOT EXISTS ${src}/Kbuild)
    message(FATAL_ERROR "${what}: '${src}' has no Makefile or Kbuild (not a kbuild module directory)")
  endif()
  set(${out} ${src} PARENT_SCOPE)
endfunction()

# The kernel's own scripts/clang-tools/gen_compile_commands.py, taken
# once per build tree from the linux-source tarball (the headers packages
# do not ship it); "" when there is no tarball or no python3.
function(_labkit_gen_compile_commands out)
  set(script ${CMAKE_BINARY_DIR}/labkit/gen_compile_commands.py)
  set(${out} "" PARENT_SCOPE)
  find_program(LABKIT_PYTHON3 python3)
  file(GLOB tarballs /usr/src/linux-source-*.tar.xz)
  list(SORT tarballs)
  list(POP_BACK tarballs tarball)
  if(NOT LABKIT_PYTHON3 OR NOT tarball)
    return()
  endif()
  if(NOT TARGET labkit.gen-compile-commands)
    get_filename_component(name ${tarball} NAME)
    string(REGEX REPLACE "\\.tar\\.xz$" "" name "${name}")
    add_custom_command(
      OUTPUT ${script}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/labkit
      COMMAND sh -c "tar xJf \"$1\" -O \"$2\" > \"$3.tmp\" && mv \"$3.tmp\" \"$3\""
              sh ${tarball} ${name}/scripts/clang-tools/gen_compile_commands.py
              ${script}
      DEPENDS ${tarball}
      COMMENT "Taking gen_compile_commands.py from ${name}"
      VERBATIM)
    add_custom_target(labkit.gen-compile-commands DEPENDS ${script})
  endif()
  set(${out} ${script} PARENT_SCOPE)
endfunction()

# The command that writes module <id>'s compilation database after its
# build (out_cmd, for add_custom_command), and the target that makes the
# script it runs (out_target: a target-level dependency, not the file,
# so that only labkit.gen-compile-commands ever runs the rule that makes
# it, whatever the -j); the build tree's compile_commands.json gathers
# them (_labkit_compile_db).
function(_labkit_module_compile_commands id dir src headers out_cmd out_target)
  _labkit_gen_compile_commands(script)
  set(${out_cmd} "" PARENT_SCOPE)
  set(${out_target} "" PARENT_SCOPE)
  if(NOT script)
    return()
  endif()
  set(${out_cmd} COMMAND ${LABKIT_PYTHON3} ${script} -d ${headers}
    -o ${dir}.compile_commands.json ${dir} PARENT_SCOPE)
  set(${out_target} labkit.gen-compile-commands PARENT_SCOPE)
  get_target_property(first labkit_tree LABKIT_COMPILE_DB)
  set_property(TARGET labkit_tree APPEND PROPERTY LABKIT_COMPILE_DB
    "${dir}.compile_commands.json|${dir}|${src}")
  set_property(TARGET labkit_tree APPEND PROPERTY LABKIT_COMPILE_DB_DEPS
    ${LABKIT_LAB}.module.${id})
  if(NOT first)
    cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR}
      CALL _labkit_compile_db)
  endif()
endfunction()

# <build>/compile_commands.json: every module's entries, named where the
# student edits them, so clangd resolves the kernel headers in a module
# (target labkit.compile-commands, part of `all`).  The modules may come
# from other directories, whose rules' files a rule here cannot name: it
# runs after their targets every time, and rewrites the file only when
# its content changes.
function(_labkit_compile_db)
  get_target_property(modules labkit_tree LABKIT_COMPILE_DB)
  get_target_property(targets labkit_tree LABKIT_COMPILE_DB_DEPS)
  get_target_property(dir labkit_tree LABKIT_CMAKE_DIR)
  set(out ${CMAKE_BINARY_DIR}/compile_commands.json)
  if(CMAKE_EXPORT_COMPILE_COMMANDS)           # CMake writes that one
    set(out ${CMAKE_BINARY_DIR}/labkit/compile_commands.json)
  endif()
  string(REPLACE ";" "$<SEMICOLON>" modules "${modules}")
  add_custom_target(labkit.compile-commands ALL
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} "-DMODULES=${modules}"
            -P ${dir}/compile-commands.cmake
    BYPRODUCTS ${out}
    VERBATIM)
  add_dependencies(labkit.compile-commands ${targets})
endfunction()

# What module <id>'s kbuild needs of the modules it USES (labkit_module()
# of each came first: the generator orders them so): the make argument
# KBUILD_EXTRA_SYMBOLS=<their Module.symvers, space-separated> (out_arg,
# empty when it uses none), so that modpost knows the symbols they
# export, and their .ko files (out_files), which are rebuilt whenever
# their Module.symvers is.
function(_labkit_module_uses id uses out_arg out_files)
  set(symvers "")
  set(files "")
  foreach(u IN LISTS uses)
    if(NOT TARGET ${LABKIT_LAB}.module.${u})
      message(FATAL_ERROR "labkit_module(${id}): module '${u}' it uses has no target yet (its labkit_module() must come first)")
    endif()
    get_target_property(ko ${LABKIT_LAB}.module.${u} LABKIT_KO)
    get_filename_component(udir ${ko} DIRECTORY)
    list(APPEND symvers ${udir}/Module.symvers)
    list(APPEND files ${ko})
  endforeach()
  set(${out_arg} "" PARENT_SCOPE)
  if(symvers)
    string(JOIN " " symvers ${symvers})
    set(${out_arg} "KBUILD_EXTRA_SYMBOLS=${symvers}" PARENT_SCOPE)
  endif()
  set(${out_files} ${files} PARENT_SCOPE)
endfunction()

# A module for a packaged kernel builds against its headers package; one
# for a kernel built from source against that kernel's build dir (with
# its ARCH and CROSS_COMPILE when it is another arch's: arm64), after
# the exercise that first builds it and before any later rebuild of it
# (_labkit_kernel_build orders both), so its vermagic is that build's.
# The build dir is made afresh from the sources each time, so files of an
# earlier source directory never linger; <dir>.source names the directory
# the .ko comes from and changes (rebuilding it) when that does.  The
# modules it USES (of the same kernel) are built before it, and their
# Module.symvers given to its kbuild; it is built again when they are.
# DIR is its build dir, KO the module there (layout.c's).
function(labkit_module id)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "PATH;KERNEL;DIR;KO" "USES")
  set(k ${LABKIT_LAB}.kernel.${ARG_KERNEL})
  set(t ${LABKIT_LAB}.module.${id})
  get_target_property(headers ${k} LABKIT_HEADERS)
  get_target_property(from_source ${k} LABKIT_SOURCE)
  get_target_property(kbuild_args ${k} LABKIT_KBUILD_ARGS)
  _labkit_module_source(${id} "${ARG_PATH}" src)
  set(dir ${ARG_DIR})
  set(ko ${ARG_KO})
  set(kdeps "")
  if(from_source)
    set_property(TARGET ${k} APPEND PROPERTY LABKIT_MODULES ${id})
  endif()
  if(NOT headers)
    return()
  endif()
  file(CONFIGURE OUTPUT ${dir}.source CONTENT "${src}\n" @ONLY)
  file(GLOB sources CONFIGURE_DEPENDS
    ${src}/*.c ${src}/*.h ${src}/Kbuild ${src}/Makefile)
  _labkit_module_compile_commands(${id} ${dir} ${src} ${headers} cc cc_target)
  _labkit_module_uses(${id} "${ARG_USES}" extra uses_kos)
  add_custom_command(
    OUTPUT ${ko}
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${dir}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND ${CMAKE_COMMAND} -E copy ${sources} ${dir}/
    COMMAND make -C ${headers} M=${dir} ${kbuild_args} ${extra} modules
    COMMAND sh -c "test -f \"$1\" || { echo \"$2: error: the module built no $3.ko (its Kbuild must have obj-m := $3.o)\" >&2; exit 1; }"
            sh ${ko} ${src} ${id}
    ${cc}
    DEPENDS ${sources} ${dir}.source ${uses_kos}
    COMMENT "Building module '${id}' from ${src} against ${headers}"
    USES_TERMINAL VERBATIM)
  add_custom_target(${t} ALL DEPENDS ${ko})
  if(cc_target)
    add_dependencies(${t} ${cc_target})
  endif()
  if(NOT from_source)
    add_dependencies(${t} ${k})
  endif()
  # Order, not just files: the Makefile generator copies the rule of a
  # used module's .ko into this target too, and the copy must find it
  # made.
  foreach(u IN LISTS ARG_USES)
    add_dependencies(${t} ${LABKIT_LAB}.module.${u})
  endforeach()
  set_target_properties(${t} PROPERTIES LABKIT_KO ${ko}
    LABKIT_KERNEL ${ARG_KERNEL} LABKIT_USES "${ARG_USES}")
endfunction()
