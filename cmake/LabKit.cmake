# LabKit.cmake — the functions the generated labs.cmake calls, one per
# thing a lab spec declares:
#
#   labkit_lab(<id> SPEC <file>) ... labkit_lab_end()
#   labkit_kernel(<id> ARCH <arch> FROM <where> [CONFIG ..] [LOCALVERSION ..])
#   labkit_module(<id> PATH <dir> KERNEL <kernel>)   (LABKIT_MODULE_DIR
#                   replaces every module's PATH: a student's sources)
#   labkit_rootfs(<id> HOSTNAME <name> [MODULES <module>...])
#   labkit_exercise(<id> [GUEST_KERNEL k ROOTFS r BOOT b TIMEOUT s]
#                   STEPS <step>... LABELS <label>...)
#
# and labkit_generate(), which turns the spec into labs.cmake at
# configure time.  Nothing here knows any particular lab.
include_guard(GLOBAL)

set(LABKIT_CMAKE_DIR ${CMAKE_CURRENT_LIST_DIR})

# The generator must exist before any target does, so configure builds
# tools/ once on its own (a nested, incremental CMake build under
# _bootstrap/) and runs `labkit spec` from there.  The real build compiles
# the same sources again as the `labkit` target, which tests and targets
# use.  A spec error fails the configure with the generator's
# file:line:col message and leaves the previous labs.cmake untouched.
function(labkit_generate spec)
  set(boot ${CMAKE_BINARY_DIR}/_bootstrap)
  if(NOT EXISTS ${spec})
    message(FATAL_ERROR "${spec}: error: cannot open: No such file or directory")
  endif()
  set_property(DIRECTORY ${CMAKE_SOURCE_DIR} APPEND PROPERTY
    CMAKE_CONFIGURE_DEPENDS ${spec})
  if(NOT EXISTS ${boot}/CMakeCache.txt)
    execute_process(
      COMMAND ${CMAKE_COMMAND} -S ${PROJECT_SOURCE_DIR}/tools -B ${boot}
              -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=${CMAKE_C_COMPILER}
      OUTPUT_QUIET RESULT_VARIABLE rc ERROR_VARIABLE err)
    if(rc)
      message(FATAL_ERROR "bootstrap of the labkit generator failed:\n${err}")
    endif()
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${boot} --target labkit
    OUTPUT_VARIABLE out ERROR_VARIABLE out RESULT_VARIABLE rc)
  if(rc)
    message(FATAL_ERROR "building the labkit generator failed:\n${out}")
  endif()
  execute_process(
    COMMAND ${boot}/labkit spec ${spec} -o ${CMAKE_BINARY_DIR}/labs.cmake
    RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(rc)
    # NOTICE prints the generator's lines as they are; FATAL_ERROR would
    # re-wrap them and break the file:line:col: an editor jumps to.
    string(REGEX REPLACE "\n$" "" err "${err}")
    message(NOTICE "${err}")
    message(FATAL_ERROR "the lab spec ${spec} has errors; labs.cmake is unchanged")
  endif()
  include(${CMAKE_BINARY_DIR}/labs.cmake)
endfunction()

function(labkit_lab id)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "SPEC" "")
  set_property(GLOBAL PROPERTY LABKIT_LAB ${id})
  set_property(GLOBAL PROPERTY LABKIT_SPEC_FILE ${ARG_SPEC})
  get_filename_component(dir ${ARG_SPEC} DIRECTORY)
  set_property(GLOBAL PROPERTY LABKIT_SPEC_DIR ${dir})
  add_custom_target(${id})
endfunction()

# The report: <lab>.report (a target and a test) runs `labkit report` over
# whatever results exist.  The test is the cleanup of every exercise's
# fixture, so it runs last whichever exercises ran; it fails only when the
# report cannot be written (failed steps fail their own tests, and stale
# results of exercises not run this time must not fail this one).
function(labkit_lab_end)
  get_property(lab GLOBAL PROPERTY LABKIT_LAB)
  get_property(spec GLOBAL PROPERTY LABKIT_SPEC_FILE)
  get_property(fixtures GLOBAL PROPERTY LABKIT_FIXTURES)
  set(dir ${CMAKE_BINARY_DIR}/${lab})
  set(report $<TARGET_FILE:labkit> report --spec ${spec} --results ${dir}
      -o ${dir} --lang ${LABKIT_REPORT_LANG} --exit-zero)
  add_custom_target(${lab}.report COMMAND ${report} DEPENDS labkit
    COMMENT "Writing ${dir}/report.md and report.html" VERBATIM)
  add_test(NAME ${lab}.report COMMAND ${report})
  set_tests_properties(${lab}.report PROPERTIES
    FIXTURES_CLEANUP "${fixtures}" LABELS "${lab};report")
  set_property(GLOBAL PROPERTY LABKIT_REPORT_DIR ${dir})
endfunction()

# ---- kernels: one row per `from` ----

function(_labkit_kernel_debian id arch)
  set(dir ${CMAKE_BINARY_DIR}/kernels/${id})
  file(GLOB debs ${LABKIT_DEB_CACHE}/linux-image-*-amd64_*_amd64.deb)
  list(SORT debs)
  list(POP_BACK debs deb)
  if(NOT deb)
    message(WARNING "kernel '${id}': no linux-image package in ${LABKIT_DEB_CACHE}; run tools/install-deps")
    add_custom_target(kernel.${id} COMMAND ${CMAKE_COMMAND} -E echo
      "kernel '${id}': no linux-image package in ${LABKIT_DEB_CACHE}; run tools/install-deps"
      COMMAND ${CMAKE_COMMAND} -E false)
    return()
  endif()
  get_filename_component(name ${deb} NAME)
  string(REGEX REPLACE "^linux-image-([^_]+)_.*" "\\1" release ${name})
  add_custom_command(
    OUTPUT ${dir}/vmlinux ${dir}/bzImage ${dir}/release
    COMMAND ${CMAKE_COMMAND} -DDEB=${deb} -DOUT=${dir}
            -P ${LABKIT_CMAKE_DIR}/debian-kernel.cmake
    DEPENDS ${deb} ${LABKIT_CMAKE_DIR}/debian-kernel.cmake ${LABKIT_CMAKE_DIR}/ReadLE.cmake
    COMMENT "Unpacking kernel '${id}' (${release}) from ${name}"
    VERBATIM)
  add_custom_target(kernel.${id} ALL DEPENDS ${dir}/vmlinux ${dir}/bzImage ${dir}/release)
  set_property(GLOBAL PROPERTY LABKIT_KERNEL_${id}_RELEASE ${release})
  set_property(GLOBAL PROPERTY LABKIT_KERNEL_${id}_HEADERS /usr/src/linux-headers-${release})
  set_property(GLOBAL PROPERTY LABKIT_KERNEL_${id}_DIR ${dir})
endfunction()

# Debian's User-Mode Linux: the kernel is /usr/bin/linux.uml itself.
function(_labkit_kernel_uml_package id)
  set(dir ${CMAKE_BINARY_DIR}/kernels/${id})
  find_program(LABKIT_LINUX_UML linux.uml)
  if(NOT LABKIT_LINUX_UML)
    set_property(GLOBAL PROPERTY LABKIT_KERNEL_${id}_MISSING
      "kernel '${id}': /usr/bin/linux.uml is not installed (run tools/install-deps)")
    return()
  endif()
  add_custom_command(
    OUTPUT ${dir}/vmlinux ${dir}/release
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND ${CMAKE_COMMAND} -E create_symlink ${LABKIT_LINUX_UML} ${dir}/vmlinux
    COMMAND sh -c "\"$1\" --version > \"$2\"" sh ${LABKIT_LINUX_UML} ${dir}/release
    DEPENDS ${LABKIT_LINUX_UML}
    COMMENT "Using kernel '${id}': ${LABKIT_LINUX_UML}"
    VERBATIM)
  add_custom_target(kernel.${id} ALL DEPENDS ${dir}/vmlinux ${dir}/release)
  set_property(GLOBAL PROPERTY LABKIT_KERNEL_${id}_DIR ${dir})
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
  if(NOT TARGET kernel-source)
    add_custom_command(
      OUTPUT ${stamp}
      COMMAND ${CMAKE_COMMAND} -E rm -rf ${src}/${name}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${src}
      COMMAND ${CMAKE_COMMAND} -E chdir ${src} tar xf ${LABKIT_KERNEL_TARBALL}
      COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
      DEPENDS ${LABKIT_KERNEL_TARBALL}
      COMMENT "Unpacking ${name} into ${src}"
      VERBATIM)
    add_custom_target(kernel-source DEPENDS ${stamp})
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
  set(from ${ARG_FROM})
  set(config ${ARG_CONFIG})
  if(from STREQUAL "source" AND NOT LABKIT_KERNELS STREQUAL "full")
    if(ARG_PREBUILT)
      set(from ${ARG_PREBUILT})
      set_property(GLOBAL PROPERTY LABKIT_KERNEL_${id}_NO_BUILD
        "kernel '${id}' is not built from source in this build tree (LABKIT_KERNELS=${LABKIT_KERNELS}): the prebuilt ${ARG_PREBUILT} kernel boots instead")
    elseif(ARG_TRIMMED AND LABKIT_KERNELS STREQUAL "quick")
      set(config ${ARG_TRIMMED})
    else()
      set(why "kernel '${id}' is not built from source in this build tree (LABKIT_KERNELS=${LABKIT_KERNELS})")
      set_property(GLOBAL PROPERTY LABKIT_KERNEL_${id}_MISSING "${why}")
      set_property(GLOBAL PROPERTY LABKIT_KERNEL_${id}_NO_BUILD "${why}")
      return()
    endif()
  endif()
  if(from STREQUAL "debian-package" AND ARG_ARCH STREQUAL "x86_64")
    _labkit_kernel_debian(${id} ${ARG_ARCH})
  elseif(from STREQUAL "uml-package" AND ARG_ARCH STREQUAL "um")
    _labkit_kernel_uml_package(${id})
  elseif(from STREQUAL "source")
    # Built by the exercises whose build steps make it (labkit_exercise
    # with BUILDS_KERNEL); until one does, the guests that need it skip.
    set_property(GLOBAL PROPERTY LABKIT_KERNEL_${id}_SOURCE ON)
    set_property(GLOBAL PROPERTY LABKIT_KERNEL_${id}_ARCH ${ARG_ARCH})
    set_property(GLOBAL PROPERTY LABKIT_KERNEL_${id}_CONFIG ${config})
    get_property(specdir GLOBAL PROPERTY LABKIT_SPEC_DIR)
    list(TRANSFORM ARG_FRAGMENTS PREPEND ${specdir}/)
    set_property(GLOBAL PROPERTY LABKIT_KERNEL_${id}_FRAGMENTS ${ARG_FRAGMENTS})
    set_property(GLOBAL PROPERTY LABKIT_KERNEL_${id}_MISSING
      "no exercise builds kernel '${id}' (no build steps)")
  else()
    set_property(GLOBAL PROPERTY LABKIT_KERNEL_${id}_MISSING
      "kernels from '${from}' for ${ARG_ARCH} are not supported")
  endif()
endfunction()

# kernel.<id> for a kernel built from source by exercise <ex>'s build
# steps (`labkit build`: timed, ccache, out of tree).  The first exercise
# that builds it starts from the base config (--fresh); a later one (a
# rebuild with another local version, say) works on in the same build dir
# after it, as kernel.<id>.<ex>.
function(_labkit_kernel_build id ex)
  get_property(lab GLOBAL PROPERTY LABKIT_LAB)
  get_property(spec GLOBAL PROPERTY LABKIT_SPEC_FILE)
  get_property(arch GLOBAL PROPERTY LABKIT_KERNEL_${id}_ARCH)
  get_property(config GLOBAL PROPERTY LABKIT_KERNEL_${id}_CONFIG)
  get_property(fragments GLOBAL PROPERTY LABKIT_KERNEL_${id}_FRAGMENTS)
  get_property(last GLOBAL PROPERTY LABKIT_KERNEL_${id}_STAMP)
  _labkit_kernel_source_tree(src stamp)
  set(dir ${CMAKE_BINARY_DIR}/kernels/${id})
  set(jobs ${LABKIT_BUILD_JOBS})
  if(NOT jobs)
    cmake_host_system_information(RESULT jobs QUERY NUMBER_OF_LOGICAL_CORES)
  endif()
  set(build $<TARGET_FILE:labkit> build --spec ${spec} --exercise ${ex}
      --src ${src} --obj ${dir} --jobs ${jobs})
  if(LABKIT_DISTCC)
    list(APPEND build --distcc)
  endif()
  if(last)
    set(target kernel.${id}.${ex})
    set(results ${dir}/build-results-${ex}.yaml)
    list(APPEND build --out ${results})
    set(deps ${last})
  else()
    set(target kernel.${id})
    set(results ${dir}/build-results.yaml)
    list(APPEND build --out ${results} --fresh)
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
    DEPENDS labkit ${spec} ${deps}
    COMMENT "Building kernel '${id}' (${arch}) from source: exercise ${ex}'s build steps"
    USES_TERMINAL VERBATIM)
  add_custom_target(${target} ALL DEPENDS ${results}.stamp)
  # Order, not just files: the Makefile generator copies a rule into every
  # target that needs its output, and two copies must not run at once.
  get_property(modules GLOBAL PROPERTY LABKIT_KERNEL_${id}_MODULES)
  list(TRANSFORM modules PREPEND module.)
  if(last)
    get_property(prev GLOBAL PROPERTY LABKIT_KERNEL_${id}_TARGET)
    add_dependencies(${target} ${prev} ${modules})
  else()
    add_dependencies(${target} kernel-source)
    foreach(m IN LISTS modules)
      add_dependencies(${m} ${target})
    endforeach()
  endif()
  set_property(GLOBAL PROPERTY LABKIT_KERNEL_${id}_DIR ${dir})
  set_property(GLOBAL PROPERTY LABKIT_KERNEL_${id}_RESULTS ${results})
  set_property(GLOBAL PROPERTY LABKIT_KERNEL_${id}_STAMP ${results}.stamp)
  set_property(GLOBAL PROPERTY LABKIT_KERNEL_${id}_TARGET ${target})
  if(NOT last)
    set_property(GLOBAL PROPERTY LABKIT_KERNEL_${id}_FIRST_TARGET ${target})
    set_property(GLOBAL PROPERTY LABKIT_KERNEL_${id}_FIRST_STAMP ${results}.stamp)
  endif()
  set_property(GLOBAL PROPERTY LABKIT_KERNEL_${id}_MISSING "")
endfunction()

# ---- the cross-referencer's index of the kernel source (section 1) ----

# xref.index: `labkit xref index` over the unpacked linux-source tree, and
# a ctest fixture of the same name that checks the index answers.
function(_labkit_xref_index out_index out_missing)
  set(index ${CMAKE_BINARY_DIR}/xref/index)
  set(${out_index} ${index} PARENT_SCOPE)
  file(GLOB tarballs /usr/src/linux-source-*.tar.xz)
  if(NOT tarballs AND NOT LABKIT_KERNEL_TARBALL)
    set(${out_missing} "no kernel source to index: /usr/src/linux-source-*.tar.xz is missing (run tools/install-deps)" PARENT_SCOPE)
    return()
  endif()
  set(${out_missing} "" PARENT_SCOPE)
  if(TARGET xref.index)
    return()
  endif()
  _labkit_kernel_source_tree(src stamp)
  add_custom_command(
    OUTPUT ${index}
    COMMAND $<TARGET_FILE:labkit> xref index ${src} -o ${index}
    DEPENDS labkit ${stamp}
    COMMENT "Indexing ${src} for the cross-referencer"
    USES_TERMINAL VERBATIM)
  add_custom_target(xref.index ALL DEPENDS ${index})
  add_dependencies(xref.index kernel-source)
  add_test(NAME xref.index COMMAND $<TARGET_FILE:labkit> xref def
    --index ${index} file_operations --kind struct)
  set_tests_properties(xref.index PROPERTIES
    FIXTURES_SETUP xref.index LABELS "xref"
    PASS_REGULAR_EXPRESSION "include/linux/fs\\.h:[0-9]+")
  # labkit's definitions against universal-ctags' on 2400 names of the tree
  add_test(NAME xref.accuracy
    COMMAND bash ${PROJECT_SOURCE_DIR}/tests/scripts/xref-accuracy.sh
            ${src} ${index} $<TARGET_FILE:labkit>
            ${PROJECT_SOURCE_DIR}/tests/data/xref/accuracy-known.txt)
  set_tests_properties(xref.accuracy PROPERTIES
    LABELS "xref;slow" FIXTURES_REQUIRED xref.index SKIP_RETURN_CODE 77
    TIMEOUT 1200)
endfunction()

# ---- modules: kbuild M= against the kernel's headers ----

# Where module <id>'s sources come from: the spec's PATH, or the directory
# LABKIT_MODULE_DIR names (a student's, for grading), which replaces every
# module's.  Either must be a kbuild directory: a Makefile or a Kbuild.
function(_labkit_module_source id path out)
  get_property(specdir GLOBAL PROPERTY LABKIT_SPEC_DIR)
  if(LABKIT_MODULE_DIR)
    set(src ${LABKIT_MODULE_DIR})
    set(what "LABKIT_MODULE_DIR")
    if(NOT IS_ABSOLUTE ${src})
      message(FATAL_ERROR "${what}: '${src}' is not an absolute path")
    endif()
  else()
    set(src ${specdir}/${path})
    get_property(spec GLOBAL PROPERTY LABKIT_SPEC_FILE)
    set(what "${spec}: module '${id}'")
  endif()
  if(NOT IS_DIRECTORY ${src})
    message(FATAL_ERROR "${what}: '${src}' is not a directory")
  endif()
  if(NOT EXISTS ${src}/Makefile AND NOT EXISTS ${src}/Kbuild)
    message(FATAL_ERROR "${what}: '${src}' has no Makefile or Kbuild (not a kbuild module directory)")
  endif()
  set(${out} ${src} PARENT_SCOPE)
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
  get_property(headers GLOBAL PROPERTY LABKIT_KERNEL_${ARG_KERNEL}_HEADERS)
  get_property(from_source GLOBAL PROPERTY LABKIT_KERNEL_${ARG_KERNEL}_SOURCE)
  _labkit_module_source(${id} "${ARG_PATH}" src)
  set(dir ${CMAKE_BINARY_DIR}/modules/${id})
  set(kdeps "")
  if(from_source)
    set(headers ${CMAKE_BINARY_DIR}/kernels/${ARG_KERNEL})
    set(kdeps ${headers}/build-results.yaml.stamp)
    set_property(GLOBAL APPEND PROPERTY LABKIT_KERNEL_${ARG_KERNEL}_MODULES ${id})
  endif()
  if(NOT headers)
    return()
  endif()
  file(CONFIGURE OUTPUT ${dir}.source CONTENT "${src}\n" @ONLY)
  file(GLOB sources CONFIGURE_DEPENDS
    ${src}/*.c ${src}/*.h ${src}/Kbuild ${src}/Makefile)
  add_custom_command(
    OUTPUT ${dir}/${id}.ko
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${dir}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND ${CMAKE_COMMAND} -E copy ${sources} ${dir}/
    COMMAND make -C ${headers} M=${dir} modules
    COMMAND sh -c "test -f \"$1/$2.ko\" || { echo \"$3: error: the module built no $2.ko (its Kbuild must have obj-m := $2.o)\" >&2; exit 1; }"
            sh ${dir} ${id} ${src}
    DEPENDS ${sources} ${kdeps} ${dir}.source
    COMMENT "Building module '${id}' from ${src} against ${headers}"
    USES_TERMINAL VERBATIM)
  add_custom_target(module.${id} ALL DEPENDS ${dir}/${id}.ko)
  set_property(GLOBAL PROPERTY LABKIT_MODULE_${id}_KO ${dir}/${id}.ko)
  set_property(GLOBAL PROPERTY LABKIT_MODULE_${id}_KERNEL ${ARG_KERNEL})
endfunction()

# ---- root file systems: busybox, no root privileges ----

function(labkit_rootfs id)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "HOSTNAME" "MODULES")
  set(dir ${CMAKE_BINARY_DIR}/rootfs/${id})
  set(kos "")
  set(release "")
  set_property(GLOBAL PROPERTY LABKIT_ROOTFS_${id}_HOSTNAME ${ARG_HOSTNAME})
  foreach(m IN LISTS ARG_MODULES)
    get_property(ko GLOBAL PROPERTY LABKIT_MODULE_${m}_KO)
    get_property(k GLOBAL PROPERTY LABKIT_MODULE_${m}_KERNEL)
    get_property(from_source GLOBAL PROPERTY LABKIT_KERNEL_${k}_SOURCE)
    if(ko AND from_source)       # in the image made for that kernel only
      set_property(GLOBAL APPEND PROPERTY LABKIT_ROOTFS_${id}_MODULES_${k} ${m})
    elseif(ko)
      get_property(release GLOBAL PROPERTY LABKIT_KERNEL_${k}_RELEASE)
      list(APPEND kos ${ko})
    endif()
  endforeach()
  string(REPLACE ";" "$<SEMICOLON>" kos_arg "${kos}")
  add_custom_command(
    OUTPUT ${dir}/initramfs.cpio ${dir}/rootfs.ext4
    COMMAND ${CMAKE_COMMAND} -DSTAGING=${dir}/tree -DHOSTNAME=${ARG_HOSTNAME}
            "-DMODULES=${kos_arg}" -DKERNEL_RELEASE=${release}
            -DCPIO=${dir}/initramfs.cpio -DIMAGE=${dir}/rootfs.ext4
            -P ${LABKIT_CMAKE_DIR}/rootfs.cmake
    DEPENDS ${kos} ${LABKIT_CMAKE_DIR}/rootfs.cmake ${LABKIT_CMAKE_DIR}/ReadLE.cmake
    COMMENT "Building root file system '${id}' (busybox)"
    VERBATIM)
  add_custom_target(rootfs.${id} ALL DEPENDS ${dir}/initramfs.cpio ${dir}/rootfs.ext4)
  foreach(ko IN LISTS kos)
    get_filename_component(m ${ko} NAME_WE)
    add_dependencies(rootfs.${id} module.${m})
  endforeach()
  set_property(GLOBAL PROPERTY LABKIT_ROOTFS_${id}_DIR ${dir})
endfunction()

# rootfs.<id>.<kernel>: the root file system for booting the kernel that
# an exercise built and installed (`use: installed`): the same tree, plus
# that kernel's staged modules (`make modules_install`) and the modules
# built against it.  Its directory is returned in out_dir.
function(_labkit_rootfs_for_kernel id kernel out_dir)
  set(dir ${CMAKE_BINARY_DIR}/rootfs/${id}-${kernel})
  set(${out_dir} ${dir} PARENT_SCOPE)
  if(TARGET rootfs.${id}.${kernel})
    return()
  endif()
  get_property(hostname GLOBAL PROPERTY LABKIT_ROOTFS_${id}_HOSTNAME)
  get_property(modules GLOBAL PROPERTY LABKIT_ROOTFS_${id}_MODULES_${kernel})
  get_property(target GLOBAL PROPERTY LABKIT_KERNEL_${kernel}_FIRST_TARGET)
  get_property(stamp GLOBAL PROPERTY LABKIT_KERNEL_${kernel}_FIRST_STAMP)
  set(stage ${CMAKE_BINARY_DIR}/kernels/${kernel}.stage)
  set(kos ${modules})
  list(TRANSFORM kos REPLACE "^(.+)$" "${CMAKE_BINARY_DIR}/modules/\\1/\\1.ko")
  string(REPLACE ";" "$<SEMICOLON>" kos_arg "${kos}")
  add_custom_command(
    OUTPUT ${dir}/initramfs.cpio ${dir}/rootfs.ext4
    COMMAND ${CMAKE_COMMAND} -DSTAGING=${dir}/tree -DHOSTNAME=${hostname}
            "-DMODULES=${kos_arg}" -DKERNEL_RELEASE_FILE=${stage}/boot/release
            -DMODULES_TREE=${stage}
            -DCPIO=${dir}/initramfs.cpio -DIMAGE=${dir}/rootfs.ext4
            -P ${LABKIT_CMAKE_DIR}/rootfs.cmake
    DEPENDS ${kos} ${stamp} ${LABKIT_CMAKE_DIR}/rootfs.cmake ${LABKIT_CMAKE_DIR}/ReadLE.cmake
    COMMENT "Building root file system '${id}' for kernel '${kernel}' with its modules"
    VERBATIM)
  add_custom_target(rootfs.${id}.${kernel} ALL
    DEPENDS ${dir}/initramfs.cpio ${dir}/rootfs.ext4)
  add_dependencies(rootfs.${id}.${kernel} ${target})
  foreach(m IN LISTS modules)
    add_dependencies(rootfs.${id}.${kernel} module.${m})
  endforeach()
endfunction()

# ---- exercises: a target that runs it, a fixture, a test per step ----

function(labkit_exercise id)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "BUILDS_KERNEL;XREF"
    "KERNEL;MODULE;GUEST_KERNEL;GUEST_DIR;ROOTFS;BOOT;TIMEOUT" "STEPS;LABELS")
  get_property(lab GLOBAL PROPERTY LABKIT_LAB)
  get_property(spec GLOBAL PROPERTY LABKIT_SPEC_FILE)
  set(out ${CMAKE_BINARY_DIR}/${lab}/${id})
  set(run $<TARGET_FILE:labkit> run --spec ${spec} --exercise ${id}
      --out ${out} --accel ${LABKIT_ACCEL}
      --accel-cache ${CMAKE_BINARY_DIR}/accel-probe.txt)
  set(deps labkit)
  if(ARG_KERNEL)
    get_property(from_source GLOBAL PROPERTY LABKIT_KERNEL_${ARG_KERNEL}_SOURCE)
    if(ARG_BUILDS_KERNEL AND from_source)
      _labkit_kernel_build(${ARG_KERNEL} ${id})
      get_property(results GLOBAL PROPERTY LABKIT_KERNEL_${ARG_KERNEL}_RESULTS)
      get_property(target GLOBAL PROPERTY LABKIT_KERNEL_${ARG_KERNEL}_TARGET)
      list(APPEND run --build-results ${results})
      list(APPEND deps ${target})
    else()
      get_property(no_build GLOBAL PROPERTY LABKIT_KERNEL_${ARG_KERNEL}_NO_BUILD)
      if(no_build)
        list(APPEND run --no-build ${no_build})
      endif()
    endif()
  endif()
  if(ARG_XREF)
    _labkit_xref_index(index no_xref)
    if(no_xref)
      list(APPEND run --no-xref ${no_xref})
    else()
      list(APPEND run --xref-index ${index})
      list(APPEND deps xref.index)
    endif()
  endif()
  if(ARG_GUEST_KERNEL)
    get_property(kdir GLOBAL PROPERTY LABKIT_KERNEL_${ARG_GUEST_KERNEL}_DIR)
    get_property(ktarget GLOBAL PROPERTY LABKIT_KERNEL_${ARG_GUEST_KERNEL}_TARGET)
    get_property(missing GLOBAL PROPERTY LABKIT_KERNEL_${ARG_GUEST_KERNEL}_MISSING)
    get_property(rdir GLOBAL PROPERTY LABKIT_ROOTFS_${ARG_ROOTFS}_DIR)
    if(NOT ktarget)
      set(ktarget kernel.${ARG_GUEST_KERNEL})
    endif()
    set(rtarget rootfs.${ARG_ROOTFS})
    if(ARG_GUEST_DIR)
      set(kdir ${kdir}${ARG_GUEST_DIR})
      get_property(from_source GLOBAL PROPERTY LABKIT_KERNEL_${ARG_GUEST_KERNEL}_SOURCE)
      if(from_source AND NOT missing)
        _labkit_rootfs_for_kernel(${ARG_ROOTFS} ${ARG_GUEST_KERNEL} rdir)
        set(rtarget rootfs.${ARG_ROOTFS}.${ARG_GUEST_KERNEL})
      endif()
    endif()
    if(kdir AND NOT missing)
      list(APPEND run --kernel-dir ${kdir} --rootfs-dir ${rdir})
      list(APPEND deps ${ktarget} ${rtarget})
    elseif(missing)
      list(APPEND run --no-guest ${missing})
    endif()
  endif()
  add_custom_target(${lab}.${id}
    COMMAND ${run}
    DEPENDS ${deps}
    COMMENT "Running ${lab} exercise ${id}"
    USES_TERMINAL VERBATIM)
  add_dependencies(${lab} ${lab}.${id})

  # QEMU and UML lock a disk image against each other even when neither
  # writes it (-snapshot, copy-on-write): one disk guest at a time.
  set(locks ${lab}.${id})
  if(ARG_BOOT STREQUAL "disk")
    list(APPEND locks ${rtarget})
  endif()
  set_property(GLOBAL APPEND PROPERTY LABKIT_FIXTURES ${lab}.${id})
  add_test(NAME ${lab}.${id}.run COMMAND ${run})
  set_tests_properties(${lab}.${id}.run PROPERTIES
    FIXTURES_SETUP ${lab}.${id} LABELS "${lab};${lab}.${id}"
    RESOURCE_LOCK "${locks}" TIMEOUT 600)
  foreach(step label IN ZIP_LISTS ARG_STEPS ARG_LABELS)
    set(name ${lab}.${step})
    add_test(NAME ${name} COMMAND $<TARGET_FILE:labkit> check --spec ${spec}
      --results ${out}/results.yaml --step ${step})
    set_tests_properties(${name} PROPERTIES
      FIXTURES_REQUIRED ${lab}.${id} SKIP_RETURN_CODE 77
      LABELS "${lab};${lab}.${id};${label}")
  endforeach()
endfunction()
