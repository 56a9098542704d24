# LabKit.cmake — labs as CMake targets and ctest tests.
#
#   labkit_add_lab(<labs.yaml>)
#
# validates the spec with `labkit spec` at configure time and includes the
# CMake it generates: calls of the functions below, one per thing the spec
# declares.  Several labs may live in one build tree; everything a lab
# declares is named after it:
#
#   <lab>                    every exercise of the lab
#   <lab>.<ex>               run exercise <ex> (a target); <lab>.<ex>.run is
#                            its ctest fixture, <lab>.<step> a test per step
#   <lab>.report             the report (a target, and the fixtures' cleanup)
#   <lab>.kernel.<id>        a kernel: unpacked, or built by the exercises
#                            whose build steps make it (<lab>.kernel.<id>.<ex>)
#   <lab>.module.<id>        a module, kbuild M= against its kernel
#   <lab>.rootfs.<id>        a root file system (busybox, the lab's modules,
#                            programs and files); <id>.<kernel> for
#                            booting a kernel the lab built and installed
#   <lab>.grade              with -DLABKIT_SUBMISSIONS=<dir>: `labkit grade`
#                            of that class (its plan: labkit/<lab>/grade-plan.yaml)
#   labkit.compile-commands  <build>/compile_commands.json of every module
#
# What one call finds out for the next (a kernel's directory, release,
# headers; a rootfs's directory) is kept as properties of those targets
# (LABKIT_DIR, LABKIT_RELEASE, ...), never in global state.  What labs
# share (Debian's kernel unpacked, the kernel source tree, the
# cross-reference index, the KVM verdict) is made once per build tree.
# Nothing here knows any particular lab.  The lab and its exercises are
# here; kernels, modules, root file systems and grading in
# LabKitKernels.cmake, LabKitModules.cmake, LabKitRootfs.cmake and
# LabKitGrade.cmake, which this includes.
#
# Where things go in the build tree is tools/lib/util/layout.c's, and
# only its: `labkit spec` hands each call the paths it needs
# (labkit_layout(): the lab's directories and what labs share; DIR, KO,
# OUT, RESULTS, BUILD_RESULTS, SAVED_DIR, ... of a kernel, module, root
# file system or exercise), and the facts of each guest kind from
# tools/lib/vm/vm.c's rows (labkit_arch()).  CMake still spells, and
# layout.c must agree with, only: what it needs before the generator runs
# (_bootstrap/, labkit-gen/); the files its -P scripts write into a
# directory they are given (rootfs.cmake: initramfs.cpio, base.cpio,
# payload.cpio, rootfs.ext4, rootfs.yaml; debian-kernel.cmake: bzImage,
# vmlinux, release, config, share-modules/; UML's release); the
# modules' compilation database (labkit/gen_compile_commands.py,
# compile_commands.json); and its own rules' stamps (<file>.stamp,
# <module dir>.source, a root file system's tree/ and programs/).
include_guard(GLOBAL)

set(LABKIT_CMAKE_DIR ${CMAKE_CURRENT_LIST_DIR})
# What labs of one build tree share is kept on one target, never in
# global state: LABKIT_CMAKE_DIR, LABKIT_GENERATOR (the bootstrapped
# `labkit spec`, once built), LABKIT_PACKAGE (the lab that is the
# hand-in bundle), LABKIT_COMPILE_DB and LABKIT_COMPILE_DB_DEPS (every
# module's compilation database and target, for compile_commands.json).
if(NOT TARGET labkit_tree)
  add_library(labkit_tree INTERFACE)
  set_target_properties(labkit_tree PROPERTIES
    LABKIT_CMAKE_DIR ${LABKIT_CMAKE_DIR})
endif()
if(NOT LABKIT_EXECUTABLE)            # in labkit's own source tree
  set(LABKIT_TOOLS_DIR ${CMAKE_CURRENT_LIST_DIR}/../tools)
  set(LABKIT_LIBEXEC_DIR ${LABKIT_TOOLS_DIR})
  set(LABKIT_KCONFIG_DIR ${CMAKE_CURRENT_LIST_DIR}/kconfig)
else()                               # installed (LabKitConfig.cmake)
  set(LABKIT_KCONFIG_DIR ${LABKIT_DATA_DIR}/kconfig)
endif()

# What a lab's build tree can be asked for (cmake -D...).
set(LABKIT_ACCEL auto CACHE STRING "Guest accelerator: auto, kvm or tcg")
set(LABKIT_DEB_CACHE /var/cache/labkit CACHE PATH
  "Where tools/install-deps downloads the guest kernel package")
set(LABKIT_KERNELS full CACHE STRING
  "Kernels from source: full (as the spec says), quick (prebuilt or trimmed), prebuilt")
set_property(CACHE LABKIT_KERNELS PROPERTY STRINGS full quick prebuilt)
set(LABKIT_REPORT_LANG pl CACHE STRING "The report's first language: pl or en")
set_property(CACHE LABKIT_REPORT_LANG PROPERTY STRINGS pl en)
# -DLABKIT_MODULE_DIR built a student's module here, on the host, outside
# any sandbox: it is gone, for `labkit grade`, which builds it sandboxed.
if(LABKIT_MODULE_DIR)
  message(FATAL_ERROR "LABKIT_MODULE_DIR is gone: it built a student's module on the host, unsandboxed.  Grade it with `labkit grade --spec <labs.yaml> --build-dir <this build tree> ${LABKIT_MODULE_DIR}`, which builds it in a sandbox (docs/teaching.md).")
endif()
set(LABKIT_BUILD_JOBS "" CACHE STRING
  "make -j for kernels built from source (empty: the number of cores)")
option(LABKIT_SAVED "A guest that can starts from one saved once booted, not booted every run" ON)
option(LABKIT_DISTCC "Kernels built from source compile through distcc (DISTCC_HOSTS)" OFF)
set(LABKIT_SUBMISSIONS "" CACHE PATH
  "A class's submissions, one directory each: the target <lab>.grade grades them")

# ctest runs from the directory that includes this (the top, normally).
enable_testing()

# The generator: an installed labkit (LABKIT_EXECUTABLE), or one
# bootstrapped from tools/ at configure time — a nested, incremental CMake
# build under _bootstrap/ of the spec stage only (-DLABKIT_BOOTSTRAP=ON),
# made once per build tree.
function(_labkit_generator out)
  if(LABKIT_EXECUTABLE)
    set(${out} ${LABKIT_EXECUTABLE} PARENT_SCOPE)
    return()
  endif()
  set(boot ${CMAKE_BINARY_DIR}/_bootstrap)
  get_target_property(done labkit_tree LABKIT_GENERATOR)
  if(NOT done)
    if(NOT EXISTS ${boot}/CMakeCache.txt)
      # No optimisation: it parses one spec, and builds in a third of the time.
      execute_process(
        COMMAND ${CMAKE_COMMAND} -S ${LABKIT_TOOLS_DIR} -B ${boot}
                -DCMAKE_BUILD_TYPE= -DLABKIT_BOOTSTRAP=ON
                -DCMAKE_C_COMPILER=${CMAKE_C_COMPILER}
        OUTPUT_QUIET RESULT_VARIABLE rc ERROR_VARIABLE err)
      if(rc)
        message(FATAL_ERROR "bootstrap of the labkit generator failed:\n${err}")
      endif()
    endif()
    cmake_host_system_information(RESULT jobs QUERY NUMBER_OF_LOGICAL_CORES)
    execute_process(
      COMMAND ${CMAKE_COMMAND} --build ${boot} --target labkit --parallel ${jobs}
      OUTPUT_VARIABLE log ERROR_VARIABLE log RESULT_VARIABLE rc)
    if(rc)
      message(FATAL_ERROR "building the labkit generator failed:\n${log}")
    endif()
    set_target_properties(labkit_tree PROPERTIES LABKIT_GENERATOR ${boot}/labkit)
  endif()
  set(${out} ${boot}/labkit PARENT_SCOPE)
endfunction()

# The labkit the targets and tests run: this project's, or the installed one.
function(_labkit_command out)
  if(TARGET labkit)
    set(${out} $<TARGET_FILE:labkit> PARENT_SCOPE)
  else()
    set(${out} ${LABKIT_EXECUTABLE} PARENT_SCOPE)
  endif()
endfunction()

# The hand-in bundle of the first lab a project adds: `cpack` (the
# workflow's package step) packs its results, transcripts and report into
# <lab>-report.tar.gz, and prints the verdict table and the report's path
# (cmake/report-bundle.cmake).  CPack itself comes in at the end of the
# top-level CMakeLists.txt (_labkit_cpack), unless the project includes
# it before then.
function(_labkit_package lab)
  get_target_property(done labkit_tree LABKIT_PACKAGE)
  if(done)
    return()
  endif()
  set_target_properties(labkit_tree PROPERTIES LABKIT_PACKAGE ${lab})
  get_target_property(dir ${lab} LABKIT_RESULTS_DIR)
  install(DIRECTORY ${dir}/ DESTINATION ${lab} OPTIONAL COMPONENT report)
  cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL _labkit_cpack)
endfunction()

# A macro, so that CPack's variables are the top directory's: the bundle
# is the TGZ generator's (cmake/LabKitCPack.cmake picks its component).
macro(_labkit_cpack)
  if(NOT CPack_CMake_INCLUDED)
    get_target_property(_labkit_lab labkit_tree LABKIT_PACKAGE)
    get_target_property(_labkit_dir labkit_tree LABKIT_CMAKE_DIR)
    _labkit_command(CPACK_LABKIT_LABKIT)
    if(TARGET labkit)
      set(CPACK_LABKIT_LABKIT ${CMAKE_BINARY_DIR}/tools/labkit)
    endif()
    get_target_property(CPACK_LABKIT_SPEC ${_labkit_lab} LABKIT_SPEC)
    get_target_property(CPACK_LABKIT_DIR ${_labkit_lab} LABKIT_RESULTS_DIR)
    set(CPACK_LABKIT_LANG ${LABKIT_REPORT_LANG})
    if(NOT CPACK_GENERATOR)
      set(CPACK_GENERATOR TGZ)
    endif()
    set(CPACK_PACKAGE_FILE_NAME ${_labkit_lab}-report)
    set(CPACK_PRE_BUILD_SCRIPTS ${_labkit_dir}/report-bundle.cmake)
    if(NOT CPACK_PROJECT_CONFIG_FILE)
      set(CPACK_PROJECT_CONFIG_FILE ${_labkit_dir}/LabKitCPack.cmake)
    endif()
    include(CPack)
  endif()
endmacro()

# A spec error fails the configure with the generator's file:line:col
# message and leaves the previous generated file untouched.  The first
# lab a project adds is its hand-in bundle (its CPack package) unless
# NO_PACKAGE; the steps named after EXPECT_FAIL are expected to fail
# (their tests pass when they do).
function(labkit_add_lab spec)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "NO_PACKAGE" "" "EXPECT_FAIL")
  get_filename_component(spec ${spec} ABSOLUTE)
  if(NOT EXISTS ${spec})
    message(FATAL_ERROR "${spec}: error: cannot open: No such file or directory")
  endif()
  set_property(DIRECTORY ${CMAKE_SOURCE_DIR} APPEND PROPERTY
    CMAKE_CONFIGURE_DEPENDS ${spec})
  _labkit_generator(gen)
  get_filename_component(stem ${spec} NAME_WE)
  string(MD5 hash ${spec})
  string(SUBSTRING ${hash} 0 8 hash)
  set(out ${CMAKE_BINARY_DIR}/labkit-gen/${stem}-${hash}.cmake)
  file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/labkit-gen)
  execute_process(COMMAND ${gen} spec ${spec} -o ${out}
    RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(rc)
    # NOTICE prints the generator's lines as they are; FATAL_ERROR would
    # re-wrap them and break the file:line:col: an editor jumps to.
    string(REGEX REPLACE "\n$" "" err "${err}")
    message(NOTICE "${err}")
    if(rc EQUAL 2)
      message(FATAL_ERROR "the lab spec ${spec} has errors; ${out} is unchanged")
    endif()
    message(FATAL_ERROR "`labkit spec` failed (${rc}) on ${spec}")
  endif()
  include(${out})
  # Steps shipped failing on purpose (a lab's buggy module for the student
  # to fix): their tests pass when the step fails.
  foreach(step IN LISTS ARG_EXPECT_FAIL)
    if(NOT TEST ${LABKIT_LAB}.${step})
      message(FATAL_ERROR "labkit_add_lab(${spec} EXPECT_FAIL): no step '${step}' in lab '${LABKIT_LAB}'")
    endif()
    set_tests_properties(${LABKIT_LAB}.${step} PROPERTIES WILL_FAIL TRUE)
    set_property(TEST ${LABKIT_LAB}.${step} APPEND PROPERTY LABELS expect-fail)
  endforeach()
  if(NOT ARG_NO_PACKAGE)
    _labkit_package(${LABKIT_LAB})
  endif()
endfunction()

# The rest of the functions, by what they make.
include(${CMAKE_CURRENT_LIST_DIR}/LabKitKernels.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/LabKitModules.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/LabKitRootfs.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/LabKitGrade.cmake)

# ---- the lab ----

# A path the spec gives, as it is when absolute, else in the spec's
# directory; normalized (no `.` or `..`).
function(_labkit_lab_path path out)
  cmake_path(ABSOLUTE_PATH path BASE_DIRECTORY ${LABKIT_LAB_DIR} NORMALIZE
    OUTPUT_VARIABLE abs)
  set(${out} ${abs} PARENT_SCOPE)
endfunction()

# Fails the configure with `<spec>:<line:col>: error: <message>` on a line
# of its own, as `labkit spec` words its errors (FATAL_ERROR would re-wrap
# it), for what the spec asks and this build tree cannot make.
function(_labkit_spec_error pos message)
  message(NOTICE "${LABKIT_LAB_SPEC}:${pos}: error: ${message}")
  message(FATAL_ERROR "the lab spec ${LABKIT_LAB_SPEC} asks for what cannot be built (see above)")
endfunction()

# Opens a lab: the calls that follow (in the same generated file) belong
# to it.  Its id names its targets, so two labs of one id cannot coexist.
macro(labkit_lab id)
  cmake_parse_arguments(_LABKIT_LAB "" "SPEC" "" ${ARGN})
  if(TARGET ${id})
    message(FATAL_ERROR "${_LABKIT_LAB_SPEC}: error: lab '${id}' is already in this build tree (lab ids must differ)")
  endif()
  set(LABKIT_LAB ${id})
  set(LABKIT_LAB_SPEC ${_LABKIT_LAB_SPEC})
  get_filename_component(LABKIT_LAB_DIR ${_LABKIT_LAB_SPEC} DIRECTORY)
  add_custom_target(${id})
  set_target_properties(${id} PROPERTIES LABKIT_SPEC ${LABKIT_LAB_SPEC})
endmacro()

# labkit_layout(WORK <dir> RESULTS <dir> CONFIGURED <file> ACCEL_CACHE
#   <file> XREF_INDEX <file> DEBIAN <dir> UML_PACKAGE <dir> DEBS <dir>
#   SOURCE <dir> GRADE <dir>): the lab's directories (labkit/<lab>, the
# results' <lab>) and what labs share, as layout.c has them, for the
# calls that follow: LABKIT_LAB_WORK, LABKIT_LAYOUT_<KEY> in the scope of
# the lab (labkit_add_lab's).
function(labkit_layout)
  set(keys WORK RESULTS CONFIGURED ACCEL_CACHE XREF_INDEX DEBIAN UML_PACKAGE
      DEBS BUSYBOX SOURCE GRADE)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "" "${keys}" "")
  foreach(k IN LISTS keys)
    set(LABKIT_LAYOUT_${k} ${ARG_${k}} PARENT_SCOPE)
  endforeach()
  set(LABKIT_LAB_WORK ${ARG_WORK} PARENT_SCOPE)
  set_target_properties(${LABKIT_LAB} PROPERTIES
    LABKIT_RESULTS_DIR ${ARG_RESULTS})
endfunction()

# labkit_arch(<name> [PACKAGED <from>] IMAGES <file>...
#   [KBUILD_ARCH <ARCH> CROSS_COMPILE <prefix>] [DEB_ARCH <arch>]): a
# guest kind the lab's kernels are, from its row in tools/lib/vm/vm.c:
# the packaged kernel that boots as it (a `from:`), the files a guest of
# it boots, best first; for another arch than the host's (arm64) what
# kbuild needs to build for it (ARCH=, CROSS_COMPILE=) and its guests'
# Debian user space.  LABKIT_ARCH_<name>_<key> in the lab's scope.
function(labkit_arch name)
  set(keys PACKAGED KBUILD_ARCH CROSS_COMPILE DEB_ARCH)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "${keys}" "IMAGES")
  foreach(k IN LISTS keys ITEMS IMAGES)
    set(LABKIT_ARCH_${name}_${k} "${ARG_${k}}" PARENT_SCOPE)
  endforeach()
endfunction()

# The report: <lab>.report (a target and a test) runs `labkit report` over
# whatever results exist.  The test is the cleanup of every exercise's
# fixture, so it runs last whichever exercises ran; it fails only when the
# report cannot be written (failed steps fail their own tests, and stale
# results of exercises not run this time must not fail this one).
function(labkit_lab_end)
  _labkit_command(labkit)
  get_target_property(fixtures ${LABKIT_LAB} LABKIT_FIXTURES)
  set(dir ${LABKIT_LAYOUT_RESULTS})
  set(report ${labkit} report --spec ${LABKIT_LAB_SPEC} --results ${dir}
      -o ${dir} --lang ${LABKIT_REPORT_LANG} --exit-zero)
  add_custom_target(${LABKIT_LAB}.report COMMAND ${report}
    COMMENT "Writing the report of ${LABKIT_LAB} into ${dir}" VERBATIM)
  if(TARGET labkit)
    add_dependencies(${LABKIT_LAB}.report labkit)
  endif()
  add_test(NAME ${LABKIT_LAB}.report COMMAND ${report})
  set_tests_properties(${LABKIT_LAB}.report PROPERTIES
    FIXTURES_CLEANUP "${fixtures}" LABELS "${LABKIT_LAB};report")
  _labkit_grade_target()
endfunction()

# ---- exercises: a target that runs it, a fixture, a test per step ----

# _labkit_reason_args(<option> <reason> <out>) — a reason kept as a list,
# "<code>;<name>=<value>..." (LabKitKernels.cmake), as `labkit run` takes
# it: <option> <code>, and <option>-arg <name>=<value> for each argument.
function(_labkit_reason_args option reason out)
  list(POP_FRONT reason code)
  set(args ${option} ${code})
  foreach(a IN LISTS reason)
    list(APPEND args ${option}-arg ${a})
  endforeach()
  set(${out} "${args}" PARENT_SCOPE)
endfunction()

# The options of `labkit run` that say what the guest boots, and the
# targets that make it: out_args, out_deps, and out_lock (the disk image
# QEMU and UML lock against each other, for a disk boot).  guest_dir: the
# installed kernel's directory in the kernel's (`use: installed`), whose
# root file system is guest_rootfs.
function(_labkit_guest kernel rootfs boot guest_dir guest_rootfs out_args
         out_deps out_lock)
  set(k ${LABKIT_LAB}.kernel.${kernel})
  get_target_property(kdir ${k} LABKIT_DIR)
  get_target_property(missing ${k} LABKIT_MISSING)
  get_target_property(from_source ${k} LABKIT_SOURCE)
  get_target_property(rdir ${LABKIT_LAB}.rootfs.${rootfs} LABKIT_DIR)
  get_target_property(rmissing ${LABKIT_LAB}.rootfs.${rootfs} LABKIT_MISSING)
  set(rtarget ${LABKIT_LAB}.rootfs.${rootfs})
  if(NOT missing AND rmissing)
    set(missing "${rmissing}")
  endif()
  if(missing)
    _labkit_reason_args(--no-guest "${missing}" missing)
    set(${out_args} ${missing} PARENT_SCOPE)
    set(${out_deps} "" PARENT_SCOPE)
    set(${out_lock} "" PARENT_SCOPE)
    return()
  endif()
  if(guest_dir)
    set(kdir ${kdir}${guest_dir})
    if(from_source)
      _labkit_rootfs_for_kernel(${rootfs} ${kernel} ${guest_dir} ${guest_rootfs})
      set(rdir ${guest_rootfs})
      set(rtarget ${LABKIT_LAB}.rootfs.${rootfs}.${kernel})
    endif()
  endif()
  set(${out_args} --kernel-dir ${kdir} --rootfs-dir ${rdir} PARENT_SCOPE)
  set(${out_deps} ${k} ${rtarget} PARENT_SCOPE)
  if(boot STREQUAL "disk")
    set(${out_lock} ${rtarget} PARENT_SCOPE)
  else()
    set(${out_lock} "" PARENT_SCOPE)
  endif()
endfunction()

# The saved guest of exercise `first` (gen.c's SAVED): a target (in ALL)
# and a fixture that boot its guest and save it into `dir`
# (<lab>/.saved/<first>; `labkit run --save` into `out`: nothing when the
# one there is of the same inputs).  Made once, for the first exercise of
# the guest; the others name it.
function(_labkit_saved first dir out guest_args guest_deps)
  set(lab ${LABKIT_LAB})
  if(TARGET ${lab}.saved.${first})
    return()
  endif()
  _labkit_command(labkit)
  set(save ${labkit} run --spec ${LABKIT_LAB_SPEC} --exercise ${first}
      --out ${out} --accel ${LABKIT_ACCEL}
      --accel-cache ${LABKIT_LAYOUT_ACCEL_CACHE} ${guest_args}
      --saved ${dir} --save)
  # In ALL: a built tree has its saved guests, so a grading straight after
  # `cmake --build` restores every student's guest.
  add_custom_target(${lab}.saved.${first} ALL COMMAND ${save}
    DEPENDS ${guest_deps} COMMENT "Saving the booted guest of ${lab} exercise ${first}"
    VERBATIM)
  if(TARGET labkit)
    add_dependencies(${lab}.saved.${first} labkit)
  endif()
  add_test(NAME ${lab}.saved.${first} COMMAND ${save})
  set_tests_properties(${lab}.saved.${first} PROPERTIES
    FIXTURES_SETUP ${lab}.saved.${first} LABELS "${lab};saved"
    RESOURCE_LOCK ${lab}.saved.${first} TIMEOUT 600)
endfunction()

# <lab>.<ex>.shell and <lab>.<ex>.gdb: `labkit shell` and `labkit gdb` of
# the exercise, its guest booted as its run boots it (the build tree's
# grading plan has its run's options, and says where the session's files
# go), with what that needs built; a person's terminal on its shell line,
# or gdb on its kernel (docs/workbench.md).
function(_labkit_workbench id deps)
  _labkit_command(labkit)
  set(common --spec ${LABKIT_LAB_SPEC} --build-dir ${CMAKE_BINARY_DIR})
  add_custom_target(${LABKIT_LAB}.${id}.shell
    COMMAND ${labkit} shell ${common} ${id}
    DEPENDS ${deps}
    COMMENT "A shell in the guest of ${LABKIT_LAB} exercise ${id} (Ctrl-] q leaves)"
    USES_TERMINAL VERBATIM)
  add_custom_target(${LABKIT_LAB}.${id}.gdb
    COMMAND ${labkit} gdb ${common} ${id}
    DEPENDS ${deps}
    COMMENT "gdb on the guest of ${LABKIT_LAB} exercise ${id}"
    USES_TERMINAL VERBATIM)
endfunction()

# labkit_exercise(<id> [KERNEL <k>] [MODULE <m>] [MODULES <m>...]
#   [GUEST_KERNEL <k> ROOTFS <r> BOOT <boot> TIMEOUT <s> [GUEST_DIR <d>]
#    [SAVED <first>]]
#   [BUILDS_KERNEL] [XREF]
#   OUT <dir> RESULTS <file> [BUILD_RESULTS <file>] [GUEST_ROOTFS_DIR <dir>]
#   [SAVED_DIR <dir> SAVED_OUT <dir>]
#   STEPS <step>... LABELS <label>...)
# MODULES: the modules its steps use; each is built before it runs and
# given to `labkit run` as --module <id>=<its .ko> (to name the source line
# of an Oops in it).  SAVED: its guest starts from the one exercise
# <first> saves (`labkit run --saved`) into SAVED_DIR, unless LABKIT_SAVED
# is OFF.  OUT, RESULTS, ...: its paths (layout.c's).
function(labkit_exercise id)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "BUILDS_KERNEL;XREF"
    "KERNEL;MODULE;GUEST_KERNEL;GUEST_DIR;ROOTFS;BOOT;TIMEOUT;SAVED;OUT;RESULTS;BUILD_RESULTS;GUEST_ROOTFS_DIR;SAVED_DIR;SAVED_OUT"
    "MODULES;STEPS;LABELS")
  set(lab ${LABKIT_LAB})
  set(out ${ARG_OUT})
  _labkit_command(labkit)
  set(run ${labkit} run --spec ${LABKIT_LAB_SPEC} --exercise ${id}
      --out ${out} --accel ${LABKIT_ACCEL}
      --accel-cache ${LABKIT_LAYOUT_ACCEL_CACHE})
  set(deps "")
  set(lock "")
  if(TARGET labkit)
    list(APPEND deps labkit)
  endif()
  if(ARG_KERNEL)
    get_target_property(from_source ${lab}.kernel.${ARG_KERNEL} LABKIT_SOURCE)
    get_target_property(no_build ${lab}.kernel.${ARG_KERNEL} LABKIT_NO_BUILD)
    if(ARG_BUILDS_KERNEL AND from_source)
      _labkit_kernel_build(${ARG_KERNEL} ${id} ${ARG_BUILD_RESULTS})
      list(APPEND run --build-results ${ARG_BUILD_RESULTS})
      list(APPEND deps ${lab}.kernel.${ARG_KERNEL}.${id})
    elseif(no_build)
      _labkit_reason_args(--no-build "${no_build}" no_build)
      list(APPEND run ${no_build})
    endif()
  endif()
  if(ARG_XREF)
    _labkit_xref_index(index no_xref)
    if(no_xref)
      _labkit_reason_args(--no-xref "${no_xref}" no_xref)
      list(APPEND run ${no_xref})
    else()
      list(APPEND run --xref-index ${index})
      list(APPEND deps labkit.xref.index)
    endif()
  endif()
  foreach(m IN LISTS ARG_MODULES)
    if(TARGET ${lab}.module.${m})      # else its kernel is not had here
      get_target_property(ko ${lab}.module.${m} LABKIT_KO)
      list(APPEND run --module ${m}=${ko})
      list(APPEND deps ${lab}.module.${m})
    endif()
  endforeach()
  set(saved "")
  if(ARG_GUEST_KERNEL)
    _labkit_guest(${ARG_GUEST_KERNEL} ${ARG_ROOTFS} "${ARG_BOOT}"
      "${ARG_GUEST_DIR}" "${ARG_GUEST_ROOTFS_DIR}" args gdeps lock)
    list(APPEND run ${args})
    list(APPEND deps ${gdeps})
    if(ARG_SAVED AND LABKIT_SAVED AND NOT args MATCHES "^--no-guest")
      _labkit_saved(${ARG_SAVED} ${ARG_SAVED_DIR} ${ARG_SAVED_OUT} "${args}"
        "${gdeps}")
      set(saved ${ARG_SAVED_DIR})
      list(APPEND run --saved ${saved})
      list(APPEND deps ${lab}.saved.${ARG_SAVED})
    endif()
  endif()
  set_property(TARGET ${lab} APPEND PROPERTY LABKIT_GRADE_DEPS ${deps})
  if(ARG_GUEST_KERNEL)
    _labkit_workbench(${id} "${deps}")
  endif()
  add_custom_target(${lab}.${id}
    COMMAND ${run}
    DEPENDS ${deps}
    COMMENT "Running ${lab} exercise ${id}"
    USES_TERMINAL VERBATIM)
  add_dependencies(${lab} ${lab}.${id})

  set_property(TARGET ${lab} APPEND PROPERTY LABKIT_FIXTURES ${lab}.${id})
  # The fixture keeps the results the target just made (--reuse: when
  # nothing the run reads changed since), so a build of <lab>.<ex> then
  # ctest boots the guest once.
  add_test(NAME ${lab}.${id}.run COMMAND ${run} --reuse)
  set_tests_properties(${lab}.${id}.run PROPERTIES
    FIXTURES_SETUP ${lab}.${id} LABELS "${lab};${lab}.${id}"
    RESOURCE_LOCK "${lab}.${id};${lock}" TIMEOUT 600)
  if(saved)
    set_tests_properties(${lab}.${id}.run PROPERTIES
      FIXTURES_REQUIRED ${lab}.saved.${ARG_SAVED})
  endif()
  if(NOT lock)
    set_tests_properties(${lab}.${id}.run PROPERTIES RESOURCE_LOCK ${lab}.${id})
  endif()
  foreach(step label IN ZIP_LISTS ARG_STEPS ARG_LABELS)
    add_test(NAME ${lab}.${step} COMMAND ${labkit} check --spec ${LABKIT_LAB_SPEC}
      --results ${ARG_RESULTS} --step ${step})
    set_tests_properties(${lab}.${step} PROPERTIES
      FIXTURES_REQUIRED ${lab}.${id} SKIP_RETURN_CODE 77
      LABELS "${lab};${lab}.${id};${label}")
  endforeach()
endfunction()
