# LabKitRootfs.cmake — root file systems: busybox, the lab's modules, programs
# and files, no root privileges.
# Included by cmake/LabKit.cmake; called by the CMake a lab spec generates.
include_guard(GLOBAL)

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
  get_target_property(busybox ${t} LABKIT_BUSYBOX)
  _labkit_share_modules(share share_inputs)
  foreach(list kos programs files share)       # one argument each
    string(REPLACE ";" "$<SEMICOLON>" ${list} "${${list}}")
  endforeach()
  set(args -DSTAGING=${dir}/tree -DHOSTNAME=${hostname} "-DMODULES=${kos}"
      "-DPROGRAMS=${programs}" "-DFILES=${files}" -DSPEC=${LABKIT_LAB_SPEC}
      "-DSHARE_MODULES=${share}" ${ARGN})
  if(busybox)            # another user space's: its applets named by ours
    find_program(LABKIT_HOST_BUSYBOX busybox PATHS /bin /usr/bin)
    list(APPEND args -DBUSYBOX=${busybox} -DBUSYBOX_LIST=${LABKIT_HOST_BUSYBOX})
  else()
    set(busybox "")
  endif()
  add_custom_command(
    OUTPUT ${dir}/initramfs.cpio ${dir}/rootfs.ext4 ${dir}/rootfs.yaml
    BYPRODUCTS ${dir}/base.cpio ${dir}/payload.cpio
    COMMAND ${CMAKE_COMMAND} ${args}
            -DCPIO=${dir}/initramfs.cpio -DIMAGE=${dir}/rootfs.ext4
            -DDESCRIPTION=${dir}/rootfs.yaml
            -P ${LABKIT_CMAKE_DIR}/rootfs.cmake
    DEPENDS ${kos} ${inputs} ${share_inputs} ${busybox}
            ${LABKIT_CMAKE_DIR}/rootfs.cmake
            ${LABKIT_CMAKE_DIR}/LabKitScript.cmake
    COMMENT "${comment}"
    VERBATIM)
endfunction()

# The modules the guest mounts the workbench's shared directory with, of
# each Debian kernel of the build tree (cmake/debian-kernel.cmake takes
# them out of its package): "<release>;<dir>;..." for rootfs.cmake's
# -DSHARE_MODULES, and the files its rule depends on.
function(_labkit_share_modules out_list out_inputs)
  get_property(share TARGET labkit_tree PROPERTY LABKIT_SHARE_MODULES)
  set(inputs "")
  list(LENGTH share n)
  set(i 1)
  while(i LESS n)
    list(GET share ${i} d)
    list(APPEND inputs ${d}/order)
    math(EXPR i "${i} + 2")
  endwhile()
  set(${out_list} "${share}" PARENT_SCOPE)
  set(${out_inputs} "${inputs}" PARENT_SCOPE)
endfunction()

# Root file system target <t> comes after the Debian kernels whose share
# modules it carries (one producer for each of their files).
function(_labkit_rootfs_after_kernels t)
  get_property(share TARGET labkit_tree PROPERTY LABKIT_SHARE_MODULES)
  list(LENGTH share n)
  set(i 0)
  while(i LESS n)
    list(GET share ${i} release)
    add_dependencies(${t} labkit.debian.${release})
    math(EXPR i "${i} + 2")
  endwhile()
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
  get_target_property(cross ${LABKIT_LAB}.rootfs.${id} LABKIT_CROSS_COMPILE)
  set(cc ${CMAKE_C_COMPILER})
  if(cross)                          # the guests' user space is another arch's
    string(MAKE_C_IDENTIFIER "LABKIT_CC_${cross}" var)
    find_program(${var} NAMES ${cross}gcc)
    set(cc ${${var}})
    if(NOT cc)
      _labkit_spec_error("${pos}" "program '${to}': no C compiler for its guests' user space (${cross}gcc: run tools/install-deps)")
    endif()
  endif()
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

# The busybox of guests whose user space is of Debian architecture
# <arch> (vm.c's deb_arch: arm64), not the host's: /bin/busybox taken out
# of busybox-static_<version>_<arch>.deb, from LABKIT_DEB_CACHE (where
# tools/install-deps puts it), else the build tree's labkit/debs/
# (LABKIT_LAYOUT_DEBS), where it is downloaded at the first configure that
# needs it (fetch-guest-busybox: downloaded, never installed), into
# LABKIT_LAYOUT_BUSYBOX/<arch>/busybox by the target labkit.busybox.<arch>,
# once per build tree.  out_busybox is that file, or "" when there is no
# package, and out_log then says why (what the download said).
function(_labkit_guest_busybox arch out_busybox out_log)
  set(own ${LABKIT_LAYOUT_DEBS})
  set(glob busybox-static_*_${arch}.deb)
  set(log "")
  file(GLOB debs ${LABKIT_DEB_CACHE}/${glob} ${own}/${glob})
  if(NOT debs)
    message(STATUS "No busybox-static for ${arch} in ${LABKIT_DEB_CACHE}: downloading one into ${own}")
    execute_process(COMMAND sh ${LABKIT_LIBEXEC_DIR}/fetch-guest-busybox ${arch} ${own}
      RESULT_VARIABLE rc OUTPUT_VARIABLE log ERROR_VARIABLE log)
    file(GLOB debs ${own}/${glob})
  endif()
  string(STRIP "${log}" log)
  string(REPLACE ";" "," log "${log}")   # one argument of a reason
  set(${out_log} "${log}" PARENT_SCOPE)
  set(${out_busybox} "" PARENT_SCOPE)
  if(NOT debs)
    return()
  endif()
  list(SORT debs)
  list(POP_BACK debs deb)
  get_filename_component(name ${deb} NAME)
  set(dir ${LABKIT_LAYOUT_BUSYBOX}/${arch})
  if(NOT TARGET labkit.busybox.${arch})
    add_custom_command(
      OUTPUT ${dir}/busybox
      COMMAND ${CMAKE_COMMAND} -E rm -rf ${dir}/deb
      COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}/deb
      COMMAND dpkg-deb -x ${deb} ${dir}/deb
      COMMAND ${CMAKE_COMMAND} -E copy ${dir}/deb/bin/busybox ${dir}/busybox
      COMMAND ${CMAKE_COMMAND} -E rm -rf ${dir}/deb
      DEPENDS ${deb}
      COMMENT "Taking the ${arch} guests' busybox out of ${name}"
      VERBATIM)
    add_custom_target(labkit.busybox.${arch} ALL DEPENDS ${dir}/busybox)
  endif()
  set(${out_busybox} ${dir}/busybox PARENT_SCOPE)
endfunction()

# labkit_rootfs(<id> HOSTNAME <name> DIR <dir> [ARCH <arch>]
#   [MODULES <module>...]
#   [PROGRAM <guest path> AT <line:col> SOURCES <file>... [CFLAGS <flag>...]]...
#   [FILE <guest path> AT <line:col> SOURCE <file> [MODE <octal>]]...)
# <lab>.rootfs.<id>: busybox, the modules built against a packaged kernel,
# the programs compiled for the guest and the files copied into it, into
# DIR (layout.c's).  ARCH (gen.c: its guests' user space is another
# arch's than the host's, arm64) takes busybox from its labkit_arch()'s
# DEB_ARCH's busybox-static and compiles the programs with its
# CROSS_COMPILE's gcc; without that busybox the target makes nothing and
# LABKIT_MISSING says why (its guests skip).  The
# arguments are walked one by one (not as a list), so that a word CMake's
# lists would split or join is refused, named, at its position.
function(labkit_rootfs id)
  set(t ${LABKIT_LAB}.rootfs.${id})
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
  cmake_parse_arguments(ARG "" "HOSTNAME;DIR;ARCH;DRIVERS_KERNEL"
    "MODULES;DRIVERS" ${top})
  set(dir ${ARG_DIR})
  set(deb_arch "${LABKIT_ARCH_${ARG_ARCH}_DEB_ARCH}")
  set(busybox "")
  if(deb_arch)
    _labkit_guest_busybox(${deb_arch} busybox log)
    if(NOT busybox)
      message(WARNING "rootfs '${id}': no busybox-static for ${deb_arch} in "
        "${LABKIT_DEB_CACHE}, and the download failed (${log}): its guests "
        "skip their steps; run tools/install-deps")
      add_custom_target(${t})
      set_target_properties(${t} PROPERTIES LABKIT_DIR ${dir}
        LABKIT_HOSTNAME ${ARG_HOSTNAME} LABKIT_MODULE_IDS "${ARG_MODULES}"
        LABKIT_MISSING "no-guest-busybox;rootfs=${id};arch=${deb_arch};dir=${LABKIT_DEB_CACHE};log=${log}")
      return()
    endif()
  endif()
  add_custom_target(${t} ALL
    DEPENDS ${dir}/initramfs.cpio ${dir}/rootfs.ext4 ${dir}/rootfs.yaml)
  set_target_properties(${t} PROPERTIES LABKIT_DIR ${dir}
    LABKIT_HOSTNAME ${ARG_HOSTNAME} LABKIT_MODULE_IDS "${ARG_MODULES}"
    LABKIT_PROGRAMS "" LABKIT_FILES "" LABKIT_INSTALL_INPUTS ""
    LABKIT_GUEST_PATHS "" LABKIT_MISSING "" LABKIT_BUSYBOX "${busybox}"
    LABKIT_DEB_ARCH "${deb_arch}"
    LABKIT_CROSS_COMPILE "${LABKIT_ARCH_${ARG_ARCH}_CROSS_COMPILE}")
  if(busybox)
    add_dependencies(${t} labkit.busybox.${deb_arch})
  endif()
  set(i 0)
  while(i LESS n)
    math(EXPR i "${i} + 1")
    _labkit_rootfs_install(${id} ${dir} "${group${i}}" "${bad${i}}")
  endwhile()
  _labkit_rootfs_modules("${ARG_MODULES}" kos targets release)
  _labkit_rootfs_drivers("${ARG_DRIVERS}" "${ARG_DRIVERS_KERNEL}" release drivers)
  _labkit_rootfs_rule(${dir} ${id} "${kos}"
    "Building root file system '${id}' of ${LABKIT_LAB} (busybox)"
    -DKERNEL_RELEASE=${release} ${drivers})
  _labkit_rootfs_after_kernels(${t})
  if(targets)
    add_dependencies(${t} ${targets})
  endif()
endfunction()

# The kernel's own modules the guests of this root file system need for
# their devices (DRIVERS, which `labkit spec` works out from their disks
# and network), when their kernel is Debian's package: rootfs.cmake's
# arguments in out_args, and that kernel's release in release_var when
# no module of the lab's gave one.
function(_labkit_rootfs_drivers drivers kernel release_var out_args)
  set(args "")
  set(k ${LABKIT_LAB}.kernel.${kernel})
  if(drivers AND TARGET ${k})
    get_target_property(deb ${k} LABKIT_DEB)
    get_target_property(rel ${k} LABKIT_RELEASE)
    if(deb)
      string(REPLACE ";" "$<SEMICOLON>" drivers "${drivers}")
      set(args "-DDRIVERS=${drivers}" -DDRIVERS_DEB=${deb})
      if("${${release_var}}" STREQUAL "")
        set(${release_var} ${rel} PARENT_SCOPE)
      endif()
    endif()
  endif()
  set(${out_args} "${args}" PARENT_SCOPE)
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
# that the lab built and installed (`use: installed`, into `installed` in
# its directory), into `dir`: the same tree, plus that kernel's staged
# modules (`make modules_install`) and the modules built against it.
function(_labkit_rootfs_for_kernel id kernel installed dir)
  set(t ${LABKIT_LAB}.rootfs.${id}.${kernel})
  set(k ${LABKIT_LAB}.kernel.${kernel})
  if(TARGET ${t})
    return()
  endif()
  get_target_property(ids ${LABKIT_LAB}.rootfs.${id} LABKIT_MODULE_IDS)
  get_target_property(first ${k} LABKIT_FIRST_BUILD)
  get_target_property(first_results ${k} LABKIT_FIRST_RESULTS)
  get_target_property(kdir ${k} LABKIT_DIR)
  get_target_property(stage ${k} LABKIT_STAGE)
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
    -DKERNEL_RELEASE_FILE=${kdir}${installed}/release -DMODULES_TREE=${stage})
  add_custom_command(OUTPUT ${dir}/initramfs.cpio APPEND
    DEPENDS ${first_results}.stamp)
  add_custom_target(${t} ALL
    DEPENDS ${dir}/initramfs.cpio ${dir}/rootfs.ext4 ${dir}/rootfs.yaml)
  # The programs' rules belong to <lab>.rootfs.<id>; coming after it, this
  # target does not run them a second time (CMP0113).
  add_dependencies(${t} ${k}.${first} ${LABKIT_LAB}.rootfs.${id} ${targets})
  get_target_property(arch ${LABKIT_LAB}.rootfs.${id} LABKIT_DEB_ARCH)
  if(arch)
    add_dependencies(${t} labkit.busybox.${arch})
  endif()
  _labkit_rootfs_after_kernels(${t})
endfunction()
