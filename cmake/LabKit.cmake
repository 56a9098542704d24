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
# (LABKIT_DIR, LABKIT_RELEASE, ...), never in global state.  Outputs go to
# <build>/labkit/<lab>/{kernels,modules,rootfs}/<id>; results and the
# report to <build>/<lab>/.  What labs share (Debian's kernel unpacked,
# the kernel source tree, the cross-reference index, the KVM verdict) is
# made once per build tree.  Nothing here knows any particular lab.
include_guard(GLOBAL)

set(LABKIT_CMAKE_DIR ${CMAKE_CURRENT_LIST_DIR})
set_property(GLOBAL PROPERTY LABKIT_CMAKE_DIR ${LABKIT_CMAKE_DIR})
if(NOT LABKIT_EXECUTABLE)            # in labkit's own source tree
  set(LABKIT_TOOLS_DIR ${CMAKE_CURRENT_LIST_DIR}/../tools)
  set(LABKIT_LIBEXEC_DIR ${LABKIT_TOOLS_DIR})
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
set(LABKIT_MODULE_DIR "" CACHE PATH
  "Build the spec's modules from this directory (a student's) instead of the spec's own")
set(LABKIT_BUILD_JOBS "" CACHE STRING
  "make -j for kernels built from source (empty: the number of cores)")
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
  get_property(done GLOBAL PROPERTY _LABKIT_BOOTSTRAPPED)
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
    set_property(GLOBAL PROPERTY _LABKIT_BOOTSTRAPPED ON)
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
  get_property(done GLOBAL PROPERTY _LABKIT_PACKAGED)
  if(done)
    return()
  endif()
  set_property(GLOBAL PROPERTY _LABKIT_PACKAGED ${lab})
  get_target_property(dir ${lab} LABKIT_RESULTS_DIR)
  install(DIRECTORY ${dir}/ DESTINATION ${lab} OPTIONAL COMPONENT report)
  cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL _labkit_cpack)
endfunction()

# A macro, so that CPack's variables are the top directory's: the bundle
# is the TGZ generator's (cmake/LabKitCPack.cmake picks its component).
macro(_labkit_cpack)
  if(NOT CPack_CMake_INCLUDED)
    get_property(_labkit_lab GLOBAL PROPERTY _LABKIT_PACKAGED)
    get_property(_labkit_dir GLOBAL PROPERTY LABKIT_CMAKE_DIR)
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
  set(LABKIT_LAB_WORK ${CMAKE_BINARY_DIR}/labkit/${id})
  add_custom_target(${id})
  set_target_properties(${id} PROPERTIES LABKIT_SPEC ${LABKIT_LAB_SPEC}
    LABKIT_RESULTS_DIR ${CMAKE_BINARY_DIR}/${id})
endmacro()

# The report: <lab>.report (a target and a test) runs `labkit report` over
# whatever results exist.  The test is the cleanup of every exercise's
# fixture, so it runs last whichever exercises ran; it fails only when the
# report cannot be written (failed steps fail their own tests, and stale
# results of exercises not run this time must not fail this one).
function(labkit_lab_end)
  _labkit_command(labkit)
  get_target_property(fixtures ${LABKIT_LAB} LABKIT_FIXTURES)
  set(dir ${CMAKE_BINARY_DIR}/${LABKIT_LAB})
  set(report ${labkit} report --spec ${LABKIT_LAB_SPEC} --results ${dir}
      -o ${dir} --lang ${LABKIT_REPORT_LANG} --exit-zero)
  add_custom_target(${LABKIT_LAB}.report COMMAND ${report}
    COMMENT "Writing ${dir}/report.md and report.html" VERBATIM)
  if(TARGET labkit)
    add_dependencies(${LABKIT_LAB}.report labkit)
  endif()
  add_test(NAME ${LABKIT_LAB}.report COMMAND ${report})
  set_tests_properties(${LABKIT_LAB}.report PROPERTIES
    FIXTURES_CLEANUP "${fixtures}" LABELS "${LABKIT_LAB};report")
  _labkit_grade_target()
endfunction()

# ---- grading a class (`labkit grade`) ----

# A value as a double-quoted YAML scalar.
function(_labkit_yaml_quote value out)
  string(REPLACE "\\" "\\\\" value "${value}")
  string(REPLACE "\"" "\\\"" value "${value}")
  set(${out} "\"${value}\"" PARENT_SCOPE)
endfunction()

# Exercise <id>'s entry in the lab's grading plan: the options of its
# `labkit run` (`run`, from --accel on; each `--module <m>=<ko>` becomes
# a module with the headers a submission's copy builds against), and the
# targets a grading needs built first.
function(_labkit_grade_plan_exercise id run deps)
  _labkit_yaml_quote("${id}" qid)
  set(yaml "  - id: ${qid}\n    run:\n")
  set(mods "")
  list(FIND run --accel at)
  list(SUBLIST run ${at} -1 run)
  while(run)
    list(POP_FRONT run key value)
    string(REGEX REPLACE "^--" "" key "${key}")
    _labkit_yaml_quote("${value}" qvalue)
    if(key STREQUAL "module")
      string(REGEX REPLACE "=.*" "" m "${value}")
      get_target_property(k ${LABKIT_LAB}.module.${m} LABKIT_KERNEL)
      get_target_property(headers ${LABKIT_LAB}.kernel.${k} LABKIT_HEADERS)
      _labkit_yaml_quote("${m}" qm)
      _labkit_yaml_quote("${headers}" qheaders)
      string(APPEND mods "      - id: ${qm}\n        headers: ${qheaders}\n")
    else()
      string(APPEND yaml "      ${key}: ${qvalue}\n")
    endif()
  endwhile()
  if(mods)
    string(APPEND yaml "    modules:\n${mods}")
  endif()
  set_property(TARGET ${LABKIT_LAB} APPEND_STRING PROPERTY
    LABKIT_GRADE_PLAN "${yaml}")
  set_property(TARGET ${LABKIT_LAB} APPEND PROPERTY LABKIT_GRADE_DEPS ${deps})
endfunction()

# <build>/labkit/<lab>/grade-plan.yaml: what `labkit grade --build-dir
# <build>` needs of this build tree (the kernels, root file systems and
# options each exercise runs with; written when it changes), and with
# -DLABKIT_SUBMISSIONS=<dir> (a directory of submissions, one directory
# each) the target <lab>.grade, which grades them into <build>/grade.
function(_labkit_grade_target)
  get_target_property(plan ${LABKIT_LAB} LABKIT_GRADE_PLAN)
  get_target_property(deps ${LABKIT_LAB} LABKIT_GRADE_DEPS)
  if(NOT plan)
    set(plan "  []\n")
  endif()
  _labkit_yaml_quote("${LABKIT_LAB_SPEC}" qspec)
  file(GENERATE OUTPUT ${LABKIT_LAB_WORK}/grade-plan.yaml CONTENT
    "labkit-grade-plan: 1\nlab: ${LABKIT_LAB}\nspec: ${qspec}\nexercises:\n${plan}")
  if(NOT LABKIT_SUBMISSIONS)
    return()
  endif()
  _labkit_command(labkit)
  add_custom_target(${LABKIT_LAB}.grade
    COMMAND ${labkit} grade --spec ${LABKIT_LAB_SPEC}
            --build-dir ${CMAKE_BINARY_DIR} -o ${CMAKE_BINARY_DIR}/grade
            --class ${LABKIT_SUBMISSIONS} --lang ${LABKIT_REPORT_LANG}
    COMMENT "Grading the submissions in ${LABKIT_SUBMISSIONS}"
    USES_TERMINAL VERBATIM)
  if(deps)
    list(REMOVE_DUPLICATES deps)
    add_dependencies(${LABKIT_LAB}.grade ${deps})
  endif()
endfunction()

# ---- kernels: one row per `from` ----

# <lab>.kernel.<id> stands for the kernel whatever its origin; its
# LABKIT_MISSING says why no guest can boot it in this build tree.
function(_labkit_kernel_target id)
  set(t ${LABKIT_LAB}.kernel.${id})
  add_custom_target(${t} ALL)
  set_target_properties(${t} PROPERTIES LABKIT_MISSING "" LABKIT_NO_BUILD ""
    LABKIT_SOURCE OFF LABKIT_DIR "" LABKIT_HEADERS "" LABKIT_RELEASE "")
endfunction()

# The newest Debian kernel package in LABKIT_DEB_CACHE (where
# tools/install-deps puts it), else in the build tree, where it is
# downloaded at the first configure that needs it (fetch-guest-kernel:
# the image matching the installed headers; downloaded, never
# installed).  out_why says why there is none.
function(_labkit_debian_package out_deb out_why)
  set(own ${CMAKE_BINARY_DIR}/labkit/debs)
  set(glob linux-image-*-amd64_*_amd64.deb)
  file(GLOB debs ${LABKIT_DEB_CACHE}/${glob} ${own}/${glob})
  if(NOT debs)
    message(STATUS "No Debian kernel package in ${LABKIT_DEB_CACHE}: downloading one into ${own}")
    execute_process(COMMAND sh ${LABKIT_LIBEXEC_DIR}/fetch-guest-kernel ${own}
      RESULT_VARIABLE rc OUTPUT_VARIABLE log ERROR_VARIABLE log)
    file(GLOB debs ${own}/${glob})
  endif()
  list(SORT debs)
  list(POP_BACK debs deb)
  set(${out_deb} "${deb}" PARENT_SCOPE)
  string(STRIP "${log}" log)
  set(${out_why} "no linux-image package in ${LABKIT_DEB_CACHE} and none could be downloaded (${log}); run tools/install-deps" PARENT_SCOPE)
endfunction()

# Debian's kernel package, unpacked once per build tree (never installed).
function(_labkit_kernel_debian id)
  set(t ${LABKIT_LAB}.kernel.${id})
  _labkit_debian_package(deb why)
  if(NOT deb)
    set(why "kernel '${id}': ${why}")
    message(WARNING "${why}")
    set_target_properties(${t} PROPERTIES LABKIT_MISSING "${why}")
    return()
  endif()
  get_filename_component(name ${deb} NAME)
  string(REGEX REPLACE "^linux-image-([^_]+)_.*" "\\1" release ${name})
  set(dir ${CMAKE_BINARY_DIR}/labkit/debian/${release})
  if(NOT TARGET labkit.debian.${release})
    add_custom_command(
      OUTPUT ${dir}/vmlinux ${dir}/bzImage ${dir}/release
      COMMAND ${CMAKE_COMMAND} -DDEB=${deb} -DOUT=${dir}
              -P ${LABKIT_CMAKE_DIR}/debian-kernel.cmake
      DEPENDS ${deb} ${LABKIT_CMAKE_DIR}/debian-kernel.cmake
              ${LABKIT_CMAKE_DIR}/LabKitScript.cmake
      COMMENT "Unpacking Debian's kernel ${release} from ${name}"
      VERBATIM)
    add_custom_target(labkit.debian.${release} ALL
      DEPENDS ${dir}/vmlinux ${dir}/bzImage ${dir}/release)
  endif()
  add_dependencies(${t} labkit.debian.${release})
  set_target_properties(${t} PROPERTIES LABKIT_DIR ${dir}
    LABKIT_RELEASE ${release} LABKIT_HEADERS /usr/src/linux-headers-${release})
endfunction()

# Debian's User-Mode Linux: the kernel is /usr/bin/linux.uml itself.
function(_labkit_kernel_uml_package id)
  set(t ${LABKIT_LAB}.kernel.${id})
  set(dir ${CMAKE_BINARY_DIR}/labkit/uml-package)
  find_program(LABKIT_LINUX_UML linux.uml)
  if(NOT LABKIT_LINUX_UML)
    set_target_properties(${t} PROPERTIES LABKIT_MISSING
      "kernel '${id}': /usr/bin/linux.uml is not installed (run tools/install-deps)")
    return()
  endif()
  if(NOT TARGET labkit.uml-package)
    add_custom_command(
      OUTPUT ${dir}/vmlinux ${dir}/release
      COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
      COMMAND ${CMAKE_COMMAND} -E create_symlink ${LABKIT_LINUX_UML} ${dir}/vmlinux
      COMMAND sh -c "\"$1\" --version > \"$2\"" sh ${LABKIT_LINUX_UML} ${dir}/release
      DEPENDS ${LABKIT_LINUX_UML}
      COMMENT "Using Debian's User-Mode Linux: ${LABKIT_LINUX_UML}"
      VERBATIM)
    add_custom_target(labkit.uml-package ALL DEPENDS ${dir}/vmlinux ${dir}/release)
  endif()
  add_dependencies(${t} labkit.uml-package)
  set_target_properties(${t} PROPERTIES LABKIT_DIR ${dir})
endfunction()

# The unpacked linux-source tree, shared by every kernel built from source
# (and the cross-referencer): unpacked once into the build tree, with a
# stamp, never into the source tree.
function(_labkit_kernel_source_tree out_dir out_stamp)
  file(GLOB tarballs /usr/src/linux-source-*.tar.xz)
  list(SORT tarballs)
  list(POP_BACK tarballs tarball)
  set(LABKIT_KERNEL_TARBALL "${tarball}" CACHE FILEPATH
    "The kernel source tarball (Debian's linux-source package)")
  get_filename_component(name ${LABKIT_KERNEL_TARBALL} NAME)
  string(REGEX REPLACE "\\.tar\\.xz$" "" name "${name}")
  set(src ${CMAKE_BINARY_DIR}/src)
  set(stamp ${src}/${name}.stamp)
  if(NOT TARGET labkit.kernel-source)
    add_custom_command(
      OUTPUT ${stamp}
      COMMAND ${CMAKE_COMMAND} -E rm -rf ${src}/${name}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${src}
      COMMAND ${CMAKE_COMMAND} -E chdir ${src} tar xf ${LABKIT_KERNEL_TARBALL}
      COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
      DEPENDS ${LABKIT_KERNEL_TARBALL}
      COMMENT "Unpacking ${name} into ${src}"
      VERBATIM)
    add_custom_target(labkit.kernel-source DEPENDS ${stamp})
  endif()
  set(${out_dir} ${src}/${name} PARENT_SCOPE)
  set(${out_stamp} ${stamp} PARENT_SCOPE)
endfunction()

# How a kernel `from: source` is had depends on LABKIT_KERNELS:
#   full      built from source with the spec's config (the workbook)
#   quick     its `prebuilt` stand-in if it has one, else built from source
#             with its `trimmed` base config if it has one, else not at all
#   prebuilt  its `prebuilt` stand-in, or not at all
function(labkit_kernel id)
  cmake_parse_arguments(PARSE_ARGV 1 ARG ""
    "ARCH;FROM;CONFIG;LOCALVERSION;PREBUILT;TRIMMED" "FRAGMENTS")
  set(t ${LABKIT_LAB}.kernel.${id})
  _labkit_kernel_target(${id})
  set(from ${ARG_FROM})
  set(config ${ARG_CONFIG})
  set(not_built "kernel '${id}' is not built from source in this build tree (LABKIT_KERNELS=${LABKIT_KERNELS})")
  if(from STREQUAL "source" AND NOT LABKIT_KERNELS STREQUAL "full")
    if(ARG_PREBUILT)
      set(from ${ARG_PREBUILT})
      set_target_properties(${t} PROPERTIES LABKIT_NO_BUILD
        "${not_built}: the prebuilt ${ARG_PREBUILT} kernel boots instead")
    elseif(ARG_TRIMMED AND LABKIT_KERNELS STREQUAL "quick")
      set(config ${ARG_TRIMMED})
    else()
      set_target_properties(${t} PROPERTIES LABKIT_MISSING "${not_built}"
        LABKIT_NO_BUILD "${not_built}")
      return()
    endif()
  endif()
  if(from STREQUAL "debian-package" AND ARG_ARCH STREQUAL "x86_64")
    _labkit_kernel_debian(${id})
  elseif(from STREQUAL "uml-package" AND ARG_ARCH STREQUAL "um")
    _labkit_kernel_uml_package(${id})
  elseif(from STREQUAL "source")
    # Built by the exercises whose build steps make it (labkit_exercise
    # with BUILDS_KERNEL); until one does, the guests that need it skip.
    set(fragments "")
    foreach(f IN LISTS ARG_FRAGMENTS)
      _labkit_lab_path(${f} f)
      list(APPEND fragments ${f})
    endforeach()
    set_target_properties(${t} PROPERTIES LABKIT_SOURCE ON
      LABKIT_ARCH ${ARG_ARCH} LABKIT_CONFIG "${config}"
      LABKIT_FRAGMENTS "${fragments}"
      LABKIT_DIR ${LABKIT_LAB_WORK}/kernels/${id}
      LABKIT_HEADERS ${LABKIT_LAB_WORK}/kernels/${id}
      LABKIT_MISSING "no exercise builds kernel '${id}' (no build steps)")
  else()
    set_target_properties(${t} PROPERTIES LABKIT_MISSING
      "kernels from '${from}' for ${ARG_ARCH} are not supported")
  endif()
endfunction()

# <lab>.kernel.<id>.<ex>: the kernel built from source by exercise <ex>'s
# build steps (`labkit build`: timed, ccache, out of tree).  The first
# exercise that builds it starts from the base config (--fresh); a later
# one (a rebuild with another local version, say) works on in the same
# build dir after it.  Returns the build's results file.
function(_labkit_kernel_build id ex out_results)
  set(k ${LABKIT_LAB}.kernel.${id})
  get_target_property(arch ${k} LABKIT_ARCH)
  get_target_property(config ${k} LABKIT_CONFIG)
  get_target_property(fragments ${k} LABKIT_FRAGMENTS)
  get_target_property(dir ${k} LABKIT_DIR)
  get_target_property(last ${k} LABKIT_LAST_BUILD)
  _labkit_command(labkit)
  _labkit_kernel_source_tree(src stamp)
  set(jobs ${LABKIT_BUILD_JOBS})
  if(NOT jobs)
    cmake_host_system_information(RESULT jobs QUERY NUMBER_OF_LOGICAL_CORES)
  endif()
  set(target ${k}.${ex})
  set(results ${dir}/build-results-${ex}.yaml)
  set(build ${labkit} build --spec ${LABKIT_LAB_SPEC} --exercise ${ex}
      --src ${src} --obj ${dir} --jobs ${jobs} --out ${results})
  if(LABKIT_DISTCC)
    list(APPEND build --distcc)
  endif()
  if(last)
    set(deps ${dir}/build-results-${last}.yaml.stamp)
  else()
    list(APPEND build --fresh)
    if(config)
      list(APPEND build --config ${config})
    endif()
    set(deps ${stamp} ${fragments})
  endif()
  # The results are a byproduct, the stamp the output: a failed build
  # keeps its results (make deletes a failed command's OUTPUT).
  add_custom_command(
    OUTPUT ${results}.stamp
    BYPRODUCTS ${results}
    COMMAND ${build}
    COMMAND ${CMAKE_COMMAND} -E touch ${results}.stamp
    DEPENDS ${LABKIT_LAB_SPEC} ${deps}
    COMMENT "Building kernel '${id}' (${arch}) from source: exercise ${ex}'s build steps"
    USES_TERMINAL VERBATIM)
  add_custom_target(${target} ALL DEPENDS ${results}.stamp)
  if(TARGET labkit)
    add_dependencies(${target} labkit)
  endif()
  # Order, not just files: the Makefile generator copies a rule into every
  # target that needs its output, and two copies must not run at once.
  # Modules built against the kernel come after its first build and
  # before any rebuild, so their vermagic is the first build's.
  get_target_property(modules ${k} LABKIT_MODULES)
  if(NOT modules)
    set(modules "")
  endif()
  list(TRANSFORM modules PREPEND ${LABKIT_LAB}.module.)
  if(last)
    add_dependencies(${target} ${k}.${last} ${modules})
  else()
    add_dependencies(${target} labkit.kernel-source)
    add_dependencies(${k} ${target})
    foreach(m IN LISTS modules)
      add_dependencies(${m} ${target})
      get_target_property(ko ${m} LABKIT_KO)
      add_custom_command(OUTPUT ${ko} APPEND DEPENDS ${results}.stamp)
    endforeach()
    set_target_properties(${k} PROPERTIES LABKIT_FIRST_BUILD ${ex}
      LABKIT_MISSING "")
  endif()
  set_target_properties(${k} PROPERTIES LABKIT_LAST_BUILD ${ex})
  set(${out_results} ${results} PARENT_SCOPE)
endfunction()

# ---- the cross-referencer's index of the kernel source (section 1) ----

# labkit.xref.index: `labkit xref index` over the unpacked linux-source
# tree (once per build tree), and a ctest fixture of the same name that
# checks the index answers.
function(_labkit_xref_index out_index out_missing)
  set(index ${CMAKE_BINARY_DIR}/xref/index)
  set(${out_index} ${index} PARENT_SCOPE)
  file(GLOB tarballs /usr/src/linux-source-*.tar.xz)
  if(NOT tarballs AND NOT LABKIT_KERNEL_TARBALL)
    set(${out_missing} "no kernel source to index: /usr/src/linux-source-*.tar.xz is missing (run tools/install-deps)" PARENT_SCOPE)
    return()
  endif()
  set(${out_missing} "" PARENT_SCOPE)
  if(TARGET labkit.xref.index)
    return()
  endif()
  _labkit_command(labkit)
  _labkit_kernel_source_tree(src stamp)
  add_custom_command(
    OUTPUT ${index}
    COMMAND ${labkit} xref index ${src} -o ${index}
    DEPENDS ${stamp}
    COMMENT "Indexing ${src} for the cross-referencer"
    USES_TERMINAL VERBATIM)
  add_custom_target(labkit.xref.index ALL DEPENDS ${index})
  add_dependencies(labkit.xref.index labkit.kernel-source)
  if(TARGET labkit)
    add_dependencies(labkit.xref.index labkit)
  endif()
  add_test(NAME xref.index COMMAND ${labkit} xref def
    --index ${index} file_operations --kind struct)
  set_tests_properties(xref.index PROPERTIES
    FIXTURES_SETUP xref.index LABELS "xref"
    PASS_REGULAR_EXPRESSION "include/linux/fs\\.h:[0-9]+")
endfunction()

# ---- modules: kbuild M= against the kernel's headers ----

# Where module <id>'s sources come from: the spec's PATH, or the directory
# LABKIT_MODULE_DIR names (a student's, for grading), which replaces every
# module's.  Either must be a kbuild directory: a Makefile or a Kbuild.
function(_labkit_module_source id path out)
  if(LABKIT_MODULE_DIR)
    set(src ${LABKIT_MODULE_DIR})
    set(what "LABKIT_MODULE_DIR")
    if(NOT IS_ABSOLUTE ${src})
      message(FATAL_ERROR "${what}: '${src}' is not an absolute path")
    endif()
  else()
    _labkit_lab_path(${path} src)
    set(what "${LABKIT_LAB_SPEC}: module '${id}'")
  endif()
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
# build (out_cmd, for add_custom_command), and what it needs (out_deps);
# the build tree's compile_commands.json gathers them (_labkit_compile_db).
function(_labkit_module_compile_commands id dir src headers out_cmd out_deps)
  _labkit_gen_compile_commands(script)
  set(${out_cmd} "" PARENT_SCOPE)
  set(${out_deps} "" PARENT_SCOPE)
  if(NOT script)
    return()
  endif()
  set(${out_cmd} COMMAND ${LABKIT_PYTHON3} ${script} -d ${headers}
    -o ${dir}.compile_commands.json ${dir} PARENT_SCOPE)
  set(${out_deps} ${script} PARENT_SCOPE)
  get_property(first GLOBAL PROPERTY _LABKIT_COMPILE_DB)
  set_property(GLOBAL APPEND PROPERTY _LABKIT_COMPILE_DB
    "${dir}.compile_commands.json|${dir}|${src}")
  set_property(GLOBAL APPEND PROPERTY _LABKIT_COMPILE_DB_DEPS
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
  get_property(modules GLOBAL PROPERTY _LABKIT_COMPILE_DB)
  get_property(targets GLOBAL PROPERTY _LABKIT_COMPILE_DB_DEPS)
  get_property(dir GLOBAL PROPERTY LABKIT_CMAKE_DIR)
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

# A module for a packaged kernel builds against its headers package; one
# for a kernel built from source against that kernel's build dir, after
# the exercise that first builds it and before any later rebuild of it
# (_labkit_kernel_build orders both), so its vermagic is that build's.
# The build dir is made afresh from the sources each time, so files of an
# earlier source directory never linger; <dir>.source names the directory
# the .ko comes from and changes (rebuilding it) when that does.
function(labkit_module id)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "PATH;KERNEL" "")
  set(k ${LABKIT_LAB}.kernel.${ARG_KERNEL})
  set(t ${LABKIT_LAB}.module.${id})
  get_target_property(headers ${k} LABKIT_HEADERS)
  get_target_property(from_source ${k} LABKIT_SOURCE)
  _labkit_module_source(${id} "${ARG_PATH}" src)
  set(dir ${LABKIT_LAB_WORK}/modules/${id})
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
  _labkit_module_compile_commands(${id} ${dir} ${src} ${headers} cc cc_deps)
  add_custom_command(
    OUTPUT ${dir}/${id}.ko
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${dir}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND ${CMAKE_COMMAND} -E copy ${sources} ${dir}/
    COMMAND make -C ${headers} M=${dir} modules
    COMMAND sh -c "test -f \"$1/$2.ko\" || { echo \"$3: error: the module built no $2.ko (its Kbuild must have obj-m := $2.o)\" >&2; exit 1; }"
            sh ${dir} ${id} ${src}
    ${cc}
    DEPENDS ${sources} ${dir}.source ${cc_deps}
    COMMENT "Building module '${id}' from ${src} against ${headers}"
    USES_TERMINAL VERBATIM)
  add_custom_target(${t} ALL DEPENDS ${dir}/${id}.ko)
  if(NOT from_source)
    add_dependencies(${t} ${k})
  endif()
  set_target_properties(${t} PROPERTIES LABKIT_KO ${dir}/${id}.ko
    LABKIT_KERNEL ${ARG_KERNEL})
endfunction()

# ---- root file systems: busybox, no root privileges ----

# The rule that makes <dir>/{initramfs.cpio,rootfs.ext4,rootfs.yaml} from
# the busybox tree, the .ko files `kos`, and root file system <id>'s
# programs and files (its target's properties), with the script
# arguments in ARGN.  (When the arguments change, CMake itself removes
# the first output at configure time, so the rule runs again.)
function(_labkit_rootfs_rule dir id kos comment)
  set(t ${LABKIT_LAB}.rootfs.${id})
  get_target_property(hostname ${t} LABKIT_HOSTNAME)
  get_target_property(programs ${t} LABKIT_PROGRAMS)
  get_target_property(files ${t} LABKIT_FILES)
  get_target_property(inputs ${t} LABKIT_INSTALL_INPUTS)
  foreach(list kos programs files)             # one argument each
    string(REPLACE ";" "$<SEMICOLON>" ${list} "${${list}}")
  endforeach()
  set(args -DSTAGING=${dir}/tree -DHOSTNAME=${hostname} "-DMODULES=${kos}"
      "-DPROGRAMS=${programs}" "-DFILES=${files}" -DSPEC=${LABKIT_LAB_SPEC}
      ${ARGN})
  add_custom_command(
    OUTPUT ${dir}/initramfs.cpio ${dir}/rootfs.ext4 ${dir}/rootfs.yaml
    COMMAND ${CMAKE_COMMAND} ${args}
            -DCPIO=${dir}/initramfs.cpio -DIMAGE=${dir}/rootfs.ext4
            -DDESCRIPTION=${dir}/rootfs.yaml
            -P ${LABKIT_CMAKE_DIR}/rootfs.cmake
    DEPENDS ${kos} ${inputs} ${LABKIT_CMAKE_DIR}/rootfs.cmake
            ${LABKIT_CMAKE_DIR}/LabKitScript.cmake
    COMMENT "${comment}"
    VERBATIM)
endfunction()

# A program of root file system <id>: `gcc -static` (cmake/program.cmake)
# into <dir>/programs/<its guest path>, whose name is returned in out;
# <that>.d names the headers it includes.
function(_labkit_program id dir to pos sources cflags out)
  set(bin ${dir}/programs${to})
  set(srcs "")
  foreach(src IN LISTS sources)
    _labkit_lab_path(${src} src)
    list(APPEND srcs ${src})
  endforeach()
  string(REPLACE ";" "$<SEMICOLON>" srcs_arg "${srcs}")
  string(REPLACE ";" "$<SEMICOLON>" cflags_arg "${cflags}")
  set(cc ${CMAKE_C_COMPILER})
  if(NOT cc)                         # a lab project of LANGUAGES NONE
    find_program(LABKIT_CC NAMES cc gcc)
    set(cc ${LABKIT_CC})
  endif()
  if(NOT cc)
    _labkit_spec_error("${pos}" "program '${to}': no C compiler (cc or gcc) to compile it with")
  endif()
  add_custom_command(
    OUTPUT ${bin}
    COMMAND ${CMAKE_COMMAND} -DCC=${cc} -DOUT=${bin}
            "-DSOURCES=${srcs_arg}" "-DCFLAGS=${cflags_arg}"
            -DDIR=${LABKIT_LAB_DIR} -DDEPFILE=${bin}.d
            -DSPEC=${LABKIT_LAB_SPEC} -DPOS=${pos} -DTO=${to}
            -P ${LABKIT_CMAKE_DIR}/program.cmake
    DEPENDS ${srcs} ${LABKIT_CMAKE_DIR}/program.cmake
            ${LABKIT_CMAKE_DIR}/LabKitScript.cmake
    DEPFILE ${bin}.d
    COMMENT "Compiling program '${to}' of root file system '${id}' (${LABKIT_LAB})"
    VERBATIM)
  set(${out} ${bin} PARENT_SCOPE)
endfunction()

# One PROGRAM or FILE group of labkit_rootfs's arguments (`words`, the
# keyword first; `bad`, a word CMake's lists cannot carry, or ""): a
# program is compiled, and both are appended to the root file system's
# LABKIT_PROGRAMS or LABKIT_FILES (rootfs.cmake's -DPROGRAMS and -DFILES)
# and LABKIT_INSTALL_INPUTS.  A guest path given twice is refused here.
function(_labkit_rootfs_install id dir words bad)
  set(t ${LABKIT_LAB}.rootfs.${id})
  list(FIND words CFLAGS at)                   # CFLAGS run to the group's end
  set(cflags "")
  if(at GREATER_EQUAL 0)
    math(EXPR next "${at} + 1")
    list(SUBLIST words ${next} -1 cflags)
    list(SUBLIST words 0 ${at} words)
  endif()
  cmake_parse_arguments(G "" "PROGRAM;FILE;AT;SOURCE;MODE" "SOURCES" ${words})
  set(kind program)
  set(to "${G_PROGRAM}")
  if(DEFINED G_FILE)
    set(kind file)
    set(to "${G_FILE}")
  endif()
  if(NOT bad STREQUAL "")
    string(REPLACE "\\;" ";" bad "${bad}")
    _labkit_spec_error("${G_AT}" "${kind} '${to}': '${bad}' holds ';', '[' or ']', or ends in '\\', which labkit cannot pass on through CMake's lists")
  endif()
  set(given "${to}")
  string(REGEX REPLACE "/+" "/" to "${to}")
  cmake_path(NORMAL_PATH to)                   # /a/./b/.. -> /a/
  string(REGEX REPLACE "(.)/$" "\\1" to "${to}")
  if(NOT to MATCHES "^/[^/]")
    _labkit_spec_error("${G_AT}" "${kind} '${given}' is not the absolute path of a file in the guest")
  endif()
  get_target_property(tos ${t} LABKIT_GUEST_PATHS)
  list(FIND tos "${to}" i)
  if(i GREATER_EQUAL 0)
    math(EXPR i "${i} + 1")
    list(GET tos ${i} first)
    _labkit_spec_error("${G_AT}" "${kind} '${to}' goes where the ${first} goes already (one file a path)")
  endif()
  set_property(TARGET ${t} APPEND PROPERTY LABKIT_GUEST_PATHS ${to} "${kind} at ${G_AT}")
  if(kind STREQUAL "program")
    _labkit_program(${id} ${dir} ${to} ${G_AT} "${G_SOURCES}" "${cflags}" bin)
    set_property(TARGET ${t} APPEND PROPERTY LABKIT_PROGRAMS ${bin} ${to} ${G_AT})
    set_property(TARGET ${t} APPEND PROPERTY LABKIT_INSTALL_INPUTS ${bin})
  else()
    _labkit_lab_path(${G_SOURCE} src)
    if("${G_MODE}" STREQUAL "")                 # the host file's
      set(G_MODE -)
    endif()
    set_property(TARGET ${t} APPEND PROPERTY LABKIT_FILES ${src} ${to} ${G_MODE} ${G_AT})
    set_property(TARGET ${t} APPEND PROPERTY LABKIT_INSTALL_INPUTS ${src})
  endif()
endfunction()

# labkit_rootfs(<id> HOSTNAME <name> [MODULES <module>...]
#   [PROGRAM <guest path> AT <line:col> SOURCES <file>... [CFLAGS <flag>...]]...
#   [FILE <guest path> AT <line:col> SOURCE <file> [MODE <octal>]]...)
# <lab>.rootfs.<id>: busybox, the modules built against a packaged kernel,
# the programs compiled for the guest and the files copied into it.  The
# arguments are walked one by one (not as a list), so that a word CMake's
# lists would split or join is refused, named, at its position.
function(labkit_rootfs id)
  set(t ${LABKIT_LAB}.rootfs.${id})
  set(dir ${LABKIT_LAB_WORK}/rootfs/${id})
  set(top "")
  set(n 0)
  set(i 0)
  math(EXPR last "${ARGC} - 1")
  while(i LESS last)
    math(EXPR i "${i} + 1")
    set(a "${ARGV${i}}")
    if(a STREQUAL "PROGRAM" OR a STREQUAL "FILE")
      math(EXPR n "${n} + 1")
      set(group${n} ${a})
      set(bad${n} "")
    elseif(n EQUAL 0)
      list(APPEND top "${a}")
    elseif(a MATCHES "[][;]|\\\\$")
      set(bad${n} "${a}")
    else()
      list(APPEND group${n} "${a}")
    endif()
  endwhile()
  cmake_parse_arguments(ARG "" "HOSTNAME" "MODULES" ${top})
  add_custom_target(${t} ALL
    DEPENDS ${dir}/initramfs.cpio ${dir}/rootfs.ext4 ${dir}/rootfs.yaml)
  set_target_properties(${t} PROPERTIES LABKIT_DIR ${dir}
    LABKIT_HOSTNAME ${ARG_HOSTNAME} LABKIT_MODULE_IDS "${ARG_MODULES}"
    LABKIT_PROGRAMS "" LABKIT_FILES "" LABKIT_INSTALL_INPUTS ""
    LABKIT_GUEST_PATHS "")
  set(i 0)
  while(i LESS n)
    math(EXPR i "${i} + 1")
    _labkit_rootfs_install(${id} ${dir} "${group${i}}" "${bad${i}}")
  endwhile()
  _labkit_rootfs_modules("${ARG_MODULES}" kos targets release)
  _labkit_rootfs_rule(${dir} ${id} "${kos}"
    "Building root file system '${id}' of ${LABKIT_LAB} (busybox)"
    -DKERNEL_RELEASE=${release})
  if(targets)
    add_dependencies(${t} ${targets})
  endif()
endfunction()

# Of the modules `ids`, those built against a packaged kernel (one built
# here from source has its own image): their .ko files, targets, and
# that kernel's release.
function(_labkit_rootfs_modules ids out_kos out_targets out_release)
  set(kos "")
  set(targets "")
  set(release "")
  foreach(m IN LISTS ids)
    set(mt ${LABKIT_LAB}.module.${m})
    if(NOT TARGET ${mt})
      continue()
    endif()
    get_target_property(ko ${mt} LABKIT_KO)
    get_target_property(k ${mt} LABKIT_KERNEL)
    get_target_property(from_source ${LABKIT_LAB}.kernel.${k} LABKIT_SOURCE)
    if(from_source)              # in the image made for that kernel only
      continue()
    endif()
    get_target_property(release ${LABKIT_LAB}.kernel.${k} LABKIT_RELEASE)
    list(APPEND kos ${ko})
    list(APPEND targets ${mt})
  endforeach()
  set(${out_kos} "${kos}" PARENT_SCOPE)
  set(${out_targets} "${targets}" PARENT_SCOPE)
  set(${out_release} "${release}" PARENT_SCOPE)
endfunction()

# <lab>.rootfs.<id>.<kernel>: the root file system for booting the kernel
# that the lab built and installed (`use: installed`): the same tree, plus
# that kernel's staged modules (`make modules_install`) and the modules
# built against it.  Its directory is returned in out_dir.
function(_labkit_rootfs_for_kernel id kernel out_dir)
  set(t ${LABKIT_LAB}.rootfs.${id}.${kernel})
  set(k ${LABKIT_LAB}.kernel.${kernel})
  set(dir ${LABKIT_LAB_WORK}/rootfs/${id}-${kernel})
  set(${out_dir} ${dir} PARENT_SCOPE)
  if(TARGET ${t})
    return()
  endif()
  get_target_property(ids ${LABKIT_LAB}.rootfs.${id} LABKIT_MODULE_IDS)
  get_target_property(first ${k} LABKIT_FIRST_BUILD)
  get_target_property(kdir ${k} LABKIT_DIR)
  set(kos "")
  set(targets "")
  foreach(m IN LISTS ids)
    if(TARGET ${LABKIT_LAB}.module.${m})
      get_target_property(mk ${LABKIT_LAB}.module.${m} LABKIT_KERNEL)
      if(mk STREQUAL kernel)
        get_target_property(ko ${LABKIT_LAB}.module.${m} LABKIT_KO)
        list(APPEND kos ${ko})
        list(APPEND targets ${LABKIT_LAB}.module.${m})
      endif()
    endif()
  endforeach()
  _labkit_rootfs_rule(${dir} ${id} "${kos}"
    "Building root file system '${id}' of ${LABKIT_LAB} for kernel '${kernel}' with its modules"
    -DKERNEL_RELEASE_FILE=${kdir}.stage/boot/release -DMODULES_TREE=${kdir}.stage)
  add_custom_command(OUTPUT ${dir}/initramfs.cpio APPEND
    DEPENDS ${kdir}/build-results-${first}.yaml.stamp)
  add_custom_target(${t} ALL
    DEPENDS ${dir}/initramfs.cpio ${dir}/rootfs.ext4 ${dir}/rootfs.yaml)
  # The programs' rules belong to <lab>.rootfs.<id>; coming after it, this
  # target does not run them a second time (CMP0113).
  add_dependencies(${t} ${k}.${first} ${LABKIT_LAB}.rootfs.${id} ${targets})
endfunction()

# ---- exercises: a target that runs it, a fixture, a test per step ----

# The options of `labkit run` that say what the guest boots, and the
# targets that make it: out_args, out_deps, and out_lock (the disk image
# QEMU and UML lock against each other, for a disk boot).
function(_labkit_guest kernel rootfs boot guest_dir out_args out_deps out_lock)
  set(k ${LABKIT_LAB}.kernel.${kernel})
  get_target_property(kdir ${k} LABKIT_DIR)
  get_target_property(missing ${k} LABKIT_MISSING)
  get_target_property(from_source ${k} LABKIT_SOURCE)
  get_target_property(rdir ${LABKIT_LAB}.rootfs.${rootfs} LABKIT_DIR)
  set(rtarget ${LABKIT_LAB}.rootfs.${rootfs})
  if(missing)
    set(${out_args} --no-guest ${missing} PARENT_SCOPE)
    set(${out_deps} "" PARENT_SCOPE)
    set(${out_lock} "" PARENT_SCOPE)
    return()
  endif()
  if(guest_dir)
    set(kdir ${kdir}${guest_dir})
    if(from_source)
      _labkit_rootfs_for_kernel(${rootfs} ${kernel} rdir)
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

# labkit_exercise(<id> [KERNEL <k>] [MODULE <m>] [MODULES <m>...]
#   [GUEST_KERNEL <k> ROOTFS <r> BOOT <boot> TIMEOUT <s> [GUEST_DIR <d>]]
#   [BUILDS_KERNEL] [XREF] STEPS <step>... LABELS <label>...)
# MODULES: the modules its steps use; each is built before it runs and
# given to `labkit run` as --module <id>=<its .ko> (to name the source line
# of an Oops in it).
function(labkit_exercise id)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "BUILDS_KERNEL;XREF"
    "KERNEL;MODULE;GUEST_KERNEL;GUEST_DIR;ROOTFS;BOOT;TIMEOUT"
    "MODULES;STEPS;LABELS")
  set(lab ${LABKIT_LAB})
  set(out ${CMAKE_BINARY_DIR}/${lab}/${id})
  _labkit_command(labkit)
  set(run ${labkit} run --spec ${LABKIT_LAB_SPEC} --exercise ${id}
      --out ${out} --accel ${LABKIT_ACCEL}
      --accel-cache ${CMAKE_BINARY_DIR}/accel-probe.txt)
  set(deps "")
  set(lock "")
  if(TARGET labkit)
    list(APPEND deps labkit)
  endif()
  if(ARG_KERNEL)
    get_target_property(from_source ${lab}.kernel.${ARG_KERNEL} LABKIT_SOURCE)
    get_target_property(no_build ${lab}.kernel.${ARG_KERNEL} LABKIT_NO_BUILD)
    if(ARG_BUILDS_KERNEL AND from_source)
      _labkit_kernel_build(${ARG_KERNEL} ${id} results)
      list(APPEND run --build-results ${results})
      list(APPEND deps ${lab}.kernel.${ARG_KERNEL}.${id})
    elseif(no_build)
      list(APPEND run --no-build ${no_build})
    endif()
  endif()
  if(ARG_XREF)
    _labkit_xref_index(index no_xref)
    if(no_xref)
      list(APPEND run --no-xref ${no_xref})
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
  if(ARG_GUEST_KERNEL)
    _labkit_guest(${ARG_GUEST_KERNEL} ${ARG_ROOTFS} "${ARG_BOOT}"
      "${ARG_GUEST_DIR}" args gdeps lock)
    list(APPEND run ${args})
    list(APPEND deps ${gdeps})
  endif()
  _labkit_grade_plan_exercise(${id} "${run}" "${deps}")
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
  if(NOT lock)
    set_tests_properties(${lab}.${id}.run PROPERTIES RESOURCE_LOCK ${lab}.${id})
  endif()
  foreach(step label IN ZIP_LISTS ARG_STEPS ARG_LABELS)
    add_test(NAME ${lab}.${step} COMMAND ${labkit} check --spec ${LABKIT_LAB_SPEC}
      --results ${out}/results.yaml --step ${step})
    set_tests_properties(${lab}.${step} PROPERTIES
      FIXTURES_REQUIRED ${lab}.${id} SKIP_RETURN_CODE 77
      LABELS "${lab};${lab}.${id};${label}")
  endforeach()
endfunction()
