# LabKit.cmake — the functions the generated labs.cmake calls, one per
# thing a lab spec declares:
#
#   labkit_lab(<id> SPEC <file>) ... labkit_lab_end()
#   labkit_kernel(<id> ARCH <arch> FROM <where> [CONFIG ..] [LOCALVERSION ..])
#   labkit_module(<id> PATH <dir> KERNEL <kernel>)
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

function(labkit_lab_end)
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
    DEPENDS ${deb} ${LABKIT_CMAKE_DIR}/debian-kernel.cmake
    COMMENT "Unpacking kernel '${id}' (${release}) from ${name}")
  add_custom_target(kernel.${id} ALL DEPENDS ${dir}/vmlinux ${dir}/bzImage ${dir}/release)
  set_property(GLOBAL PROPERTY LABKIT_KERNEL_${id}_RELEASE ${release})
  set_property(GLOBAL PROPERTY LABKIT_KERNEL_${id}_HEADERS /usr/src/linux-headers-${release})
  set_property(GLOBAL PROPERTY LABKIT_KERNEL_${id}_DIR ${dir})
endfunction()

function(labkit_kernel id)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "ARCH;FROM;CONFIG;LOCALVERSION" "")
  if(ARG_FROM STREQUAL "debian-package" AND ARG_ARCH STREQUAL "x86_64")
    _labkit_kernel_debian(${id} ${ARG_ARCH})
  else()
    # Built or provided by later machinery; the steps that need it are
    # reported as skipped by `labkit run`, with the reason.
    set_property(GLOBAL PROPERTY LABKIT_KERNEL_${id}_UNSUPPORTED
      "kernels from '${ARG_FROM}' (${ARG_ARCH}) are not supported yet")
  endif()
endfunction()

# ---- modules: kbuild M= against the kernel's headers ----

function(labkit_module id)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "PATH;KERNEL" "")
  get_property(specdir GLOBAL PROPERTY LABKIT_SPEC_DIR)
  get_property(headers GLOBAL PROPERTY LABKIT_KERNEL_${ARG_KERNEL}_HEADERS)
  set(src ${specdir}/${ARG_PATH})
  set(dir ${CMAKE_BINARY_DIR}/modules/${id})
  if(NOT headers)
    return()
  endif()
  file(GLOB sources CONFIGURE_DEPENDS ${src}/*.c ${src}/*.h ${src}/Kbuild)
  add_custom_command(
    OUTPUT ${dir}/${id}.ko
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND ${CMAKE_COMMAND} -E copy ${sources} ${dir}/
    COMMAND make -C ${headers} M=${dir} modules
    DEPENDS ${sources}
    COMMENT "Building module '${id}' against ${headers}"
    USES_TERMINAL)
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
  foreach(m IN LISTS ARG_MODULES)
    get_property(ko GLOBAL PROPERTY LABKIT_MODULE_${m}_KO)
    get_property(k GLOBAL PROPERTY LABKIT_MODULE_${m}_KERNEL)
    get_property(release GLOBAL PROPERTY LABKIT_KERNEL_${k}_RELEASE)
    if(ko)
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
    DEPENDS ${kos} ${LABKIT_CMAKE_DIR}/rootfs.cmake
    COMMENT "Building root file system '${id}' (busybox)"
    VERBATIM)
  add_custom_target(rootfs.${id} ALL DEPENDS ${dir}/initramfs.cpio ${dir}/rootfs.ext4)
  set_property(GLOBAL PROPERTY LABKIT_ROOTFS_${id}_DIR ${dir})
endfunction()

# ---- exercises: a target that runs it, a fixture, a test per step ----

function(labkit_exercise id)
  cmake_parse_arguments(PARSE_ARGV 1 ARG ""
    "KERNEL;MODULE;GUEST_KERNEL;ROOTFS;BOOT;TIMEOUT" "STEPS;LABELS")
  get_property(lab GLOBAL PROPERTY LABKIT_LAB)
  get_property(spec GLOBAL PROPERTY LABKIT_SPEC_FILE)
  set(out ${CMAKE_BINARY_DIR}/${lab}/${id})
  set(run $<TARGET_FILE:labkit> run --spec ${spec} --exercise ${id}
      --out ${out} --accel ${LABKIT_ACCEL}
      --accel-cache ${CMAKE_BINARY_DIR}/accel-probe.txt)
  set(deps labkit)
  set(timeout 600)
  if(ARG_GUEST_KERNEL)
    get_property(kdir GLOBAL PROPERTY LABKIT_KERNEL_${ARG_GUEST_KERNEL}_DIR)
    get_property(rdir GLOBAL PROPERTY LABKIT_ROOTFS_${ARG_ROOTFS}_DIR)
    if(kdir)
      list(APPEND run --kernel-dir ${kdir} --rootfs-dir ${rdir})
      list(APPEND deps kernel.${ARG_GUEST_KERNEL} rootfs.${ARG_ROOTFS})
    endif()
  endif()
  add_custom_target(${lab}.${id}
    COMMAND ${run}
    DEPENDS ${deps}
    COMMENT "Running ${lab} exercise ${id}"
    USES_TERMINAL)
  add_dependencies(${lab} ${lab}.${id})

  add_test(NAME ${lab}.${id}.run COMMAND ${run})
  set_tests_properties(${lab}.${id}.run PROPERTIES
    FIXTURES_SETUP ${lab}.${id} LABELS "${lab};${lab}.${id}"
    TIMEOUT ${timeout})
  foreach(step label IN ZIP_LISTS ARG_STEPS ARG_LABELS)
    set(name ${lab}.${step})
    add_test(NAME ${name} COMMAND $<TARGET_FILE:labkit> check --spec ${spec}
      --results ${out}/results.yaml --step ${step})
    set_tests_properties(${name} PROPERTIES
      FIXTURES_REQUIRED ${lab}.${id} SKIP_RETURN_CODE 77
      LABELS "${lab};${lab}.${id};${label}")
  endforeach()
endfunction()
