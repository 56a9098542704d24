# LabKitKernels.cmake — kernels (Debian's, UML's, built from source) and the
# cross-referencer's index of the kernel source.
# Included by cmake/LabKit.cmake; called by the CMake a lab spec generates.
include_guard(GLOBAL)

# ---- kernels: one row per `from` ----

# <lab>.kernel.<id> stands for the kernel whatever its origin; its
# LABKIT_MISSING says why no guest can boot it in this build tree, and
# LABKIT_NO_BUILD why no exercise builds it: a reason of labkit's catalog
# (tools/lib/results/reason.c) as a list, its code then its arguments,
# "<code>;<name>=<value>...", which `labkit run` takes as --no-guest
# <code> --no-guest-arg <name>=<value>... and words in the report's
# language.
function(_labkit_kernel_target id)
  set(t ${LABKIT_LAB}.kernel.${id})
  add_custom_target(${t} ALL)
  set_property(TARGET ${LABKIT_LAB} APPEND PROPERTY LABKIT_KERNEL_IDS ${id})
  set_target_properties(${t} PROPERTIES LABKIT_MISSING "" LABKIT_NO_BUILD ""
    LABKIT_SOURCE OFF LABKIT_DIR "" LABKIT_HEADERS "" LABKIT_RELEASE ""
    LABKIT_KBUILD_ARGS "")
endfunction()

# The newest Debian kernel package in LABKIT_DEB_CACHE (where
# tools/install-deps puts it), else in the build tree, where it is
# downloaded at the first configure that needs it (fetch-guest-kernel:
# the image matching the installed headers; downloaded, never
# installed).  out_log says why there is none: what the download said.
function(_labkit_debian_package out_deb out_log)
  set(own ${LABKIT_LAYOUT_DEBS})
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
  string(REPLACE ";" "," log "${log}")   # one argument of a reason
  set(${out_log} "${log}" PARENT_SCOPE)
endfunction()

# Debian's kernel package, unpacked once per build tree (never installed).
function(_labkit_kernel_debian id)
  set(t ${LABKIT_LAB}.kernel.${id})
  _labkit_debian_package(deb log)
  if(NOT deb)
    message(WARNING "kernel '${id}': no Debian kernel package in "
      "${LABKIT_DEB_CACHE}, and the download failed (${log}): its guests "
      "skip their steps; run tools/install-deps")
    set_target_properties(${t} PROPERTIES LABKIT_MISSING
      "no-debian-kernel;kernel=${id};dir=${LABKIT_DEB_CACHE};log=${log}")
    return()
  endif()
  get_filename_component(name ${deb} NAME)
  string(REGEX REPLACE "^linux-image-([^_]+)_.*" "\\1" release ${name})
  set(dir ${LABKIT_LAYOUT_DEBIAN}/${release})
  if(NOT TARGET labkit.debian.${release})
    add_custom_command(
      OUTPUT ${dir}/vmlinux ${dir}/bzImage ${dir}/release
             ${dir}/share-modules/order
      COMMAND ${CMAKE_COMMAND} -DDEB=${deb} -DOUT=${dir}
              -P ${LABKIT_CMAKE_DIR}/debian-kernel.cmake
      DEPENDS ${deb} ${LABKIT_CMAKE_DIR}/debian-kernel.cmake
              ${LABKIT_CMAKE_DIR}/LabKitScript.cmake
      COMMENT "Unpacking Debian's kernel ${release} from ${name}"
      VERBATIM)
    add_custom_target(labkit.debian.${release} ALL
      DEPENDS ${dir}/vmlinux ${dir}/bzImage ${dir}/release
              ${dir}/share-modules/order)
    # Its share's modules go into every root file system of the build
    # tree (9p over virtio: the workbench's shared directory).
    set_property(TARGET labkit_tree APPEND PROPERTY LABKIT_SHARE_MODULES
      ${release} ${dir}/share-modules)
  endif()
  add_dependencies(${t} labkit.debian.${release})
  set_target_properties(${t} PROPERTIES LABKIT_DIR ${dir} LABKIT_DEB ${deb}
    LABKIT_RELEASE ${release} LABKIT_HEADERS /usr/src/linux-headers-${release})
endfunction()

# Debian's User-Mode Linux: the kernel is /usr/bin/linux.uml itself, as
# the first image a guest of its arch boots (vm.c's row).
function(_labkit_kernel_uml_package id arch)
  set(t ${LABKIT_LAB}.kernel.${id})
  set(dir ${LABKIT_LAYOUT_UML_PACKAGE})
  list(GET LABKIT_ARCH_${arch}_IMAGES 0 image)
  find_program(LABKIT_LINUX_UML linux.uml)
  if(NOT LABKIT_LINUX_UML)
    set_target_properties(${t} PROPERTIES LABKIT_MISSING "no-uml;kernel=${id}")
    return()
  endif()
  if(NOT TARGET labkit.uml-package)
    add_custom_command(
      OUTPUT ${dir}/${image} ${dir}/release
      COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
      COMMAND ${CMAKE_COMMAND} -E create_symlink ${LABKIT_LINUX_UML} ${dir}/${image}
      COMMAND sh -c "\"$1\" --version > \"$2\"" sh ${LABKIT_LINUX_UML} ${dir}/release
      DEPENDS ${LABKIT_LINUX_UML}
      COMMENT "Using Debian's User-Mode Linux: ${LABKIT_LINUX_UML}"
      VERBATIM)
    add_custom_target(labkit.uml-package ALL DEPENDS ${dir}/${image} ${dir}/release)
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
  set(src ${LABKIT_LAYOUT_SOURCE})
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
# A packaged kernel is had when it boots as the kernel's arch (its
# labkit_arch()'s PACKAGED).  DIR and STAGE: where one built from source
# is built and installed.  An arch of another than the host's (arm64)
# has labkit_arch()'s KBUILD_ARCH and CROSS_COMPILE: what kbuild needs
# besides the kernel's directory to build a module against it, kept as
# LABKIT_KBUILD_ARGS ("ARCH=arm64;CROSS_COMPILE=aarch64-linux-gnu-") for
# the modules' rules.
function(labkit_kernel id)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "DEBUG"
    "ARCH;FROM;CONFIG;LOCALVERSION;PREBUILT;TRIMMED;DIR;STAGE" "FRAGMENTS")
  set(t ${LABKIT_LAB}.kernel.${id})
  _labkit_kernel_target(${id})
  set(cross LABKIT_ARCH_${ARG_ARCH}_CROSS_COMPILE)
  if(${cross})
    set_target_properties(${t} PROPERTIES LABKIT_KBUILD_ARGS
      "ARCH=${LABKIT_ARCH_${ARG_ARCH}_KBUILD_ARCH};CROSS_COMPILE=${${cross}}")
  endif()
  set(from ${ARG_FROM})
  set(config ${ARG_CONFIG})
  set(not_built "kernel-not-built;kernel=${id};kernels=${LABKIT_KERNELS}")
  if(from STREQUAL "source" AND NOT LABKIT_KERNELS STREQUAL "full")
    if(ARG_PREBUILT)
      set(from ${ARG_PREBUILT})
      set_target_properties(${t} PROPERTIES LABKIT_NO_BUILD
        "kernel-prebuilt;kernel=${id};kernels=${LABKIT_KERNELS};prebuilt=${ARG_PREBUILT}")
    elseif(ARG_TRIMMED AND LABKIT_KERNELS STREQUAL "quick")
      set(config ${ARG_TRIMMED})
    else()
      set_target_properties(${t} PROPERTIES LABKIT_MISSING "${not_built}"
        LABKIT_NO_BUILD "${not_built}")
      return()
    endif()
  endif()
  set(packaged "${LABKIT_ARCH_${ARG_ARCH}_PACKAGED}")
  if(from STREQUAL "debian-package" AND from STREQUAL packaged)
    _labkit_kernel_debian(${id})
  elseif(from STREQUAL "uml-package" AND from STREQUAL packaged)
    _labkit_kernel_uml_package(${id} ${ARG_ARCH})
  elseif(from STREQUAL "source")
    # Built by the exercises whose build steps make it (labkit_exercise
    # with BUILDS_KERNEL); until one does, the guests that need it skip.
    set(fragments "")
    foreach(f IN LISTS ARG_FRAGMENTS)
      _labkit_lab_path(${f} f)
      list(APPEND fragments ${f})
    endforeach()
    # `debug: true`: labkit's debug configuration after the lab's own.
    set(extra "")
    if(ARG_DEBUG)
      list(APPEND extra ${LABKIT_KCONFIG_DIR}/debug.config)
      if(EXISTS ${LABKIT_KCONFIG_DIR}/${ARG_ARCH}-debug.config)
        list(APPEND extra ${LABKIT_KCONFIG_DIR}/${ARG_ARCH}-debug.config)
      endif()
    endif()
    set_target_properties(${t} PROPERTIES LABKIT_SOURCE ON
      LABKIT_ARCH ${ARG_ARCH} LABKIT_CONFIG "${config}"
      LABKIT_FRAGMENTS "${fragments}" LABKIT_EXTRA_FRAGMENTS "${extra}"
      LABKIT_DIR ${ARG_DIR} LABKIT_HEADERS ${ARG_DIR} LABKIT_STAGE ${ARG_STAGE}
      LABKIT_MISSING "kernel-unbuilt;kernel=${id}")
  else()
    set_target_properties(${t} PROPERTIES LABKIT_MISSING
      "kernel-from-unsupported;from=${from};arch=${ARG_ARCH}")
  endif()
endfunction()

# <lab>.kernel.<id>.<ex>: the kernel built from source by exercise <ex>'s
# build steps (`labkit build`: timed, ccache, out of tree), its results
# into `results`.  The first exercise that builds it starts from the base
# config (--fresh); a later one (a rebuild with another local version,
# say) works on in the same build dir after it.
function(_labkit_kernel_build id ex results)
  set(k ${LABKIT_LAB}.kernel.${id})
  get_target_property(arch ${k} LABKIT_ARCH)
  get_target_property(config ${k} LABKIT_CONFIG)
  get_target_property(fragments ${k} LABKIT_FRAGMENTS)
  get_target_property(extra ${k} LABKIT_EXTRA_FRAGMENTS)
  get_target_property(dir ${k} LABKIT_DIR)
  get_target_property(last ${k} LABKIT_LAST_BUILD)
  get_target_property(last_results ${k} LABKIT_LAST_RESULTS)
  _labkit_command(labkit)
  _labkit_kernel_source_tree(src stamp)
  set(jobs ${LABKIT_BUILD_JOBS})
  if(NOT jobs)
    cmake_host_system_information(RESULT jobs QUERY NUMBER_OF_LOGICAL_CORES)
  endif()
  set(target ${k}.${ex})
  set(build ${labkit} build --spec ${LABKIT_LAB_SPEC} --exercise ${ex}
      --src ${src} --obj ${dir} --jobs ${jobs} --out ${results})
  if(LABKIT_DISTCC)
    list(APPEND build --distcc)
  endif()
  if(last)
    set(deps ${last_results}.stamp)
  else()
    list(APPEND build --fresh)
    if(config)
      list(APPEND build --config ${config})
    endif()
    foreach(f IN LISTS extra)
      list(APPEND build --fragment ${f})
    endforeach()
    set(deps ${stamp} ${fragments} ${extra})
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
      LABKIT_FIRST_RESULTS ${results} LABKIT_MISSING "")
  endif()
  set_target_properties(${k} PROPERTIES LABKIT_LAST_BUILD ${ex}
    LABKIT_LAST_RESULTS ${results})
endfunction()

# ---- the cross-referencer's index of the kernel source (section 1) ----

# Why this build tree can have no index (a reason, as a list), or "".
function(_labkit_xref_missing out_missing)
  file(GLOB tarballs /usr/src/linux-source-*.tar.xz)
  set(${out_missing} "" PARENT_SCOPE)
  if(NOT tarballs AND NOT LABKIT_KERNEL_TARBALL)
    set(${out_missing} "no-xref-source;path=/usr/src/linux-source-*.tar.xz" PARENT_SCOPE)
  endif()
endfunction()

# labkit.xref.index: `labkit xref index` over the unpacked linux-source
# tree (once per build tree), and a ctest fixture of the same name that
# checks the index answers.
function(_labkit_xref_index out_index out_missing)
  set(index ${LABKIT_LAYOUT_XREF_INDEX})
  set(${out_index} ${index} PARENT_SCOPE)
  _labkit_xref_missing(missing)
  set(${out_missing} "${missing}" PARENT_SCOPE)
  if(missing)
    return()
  endif()
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
